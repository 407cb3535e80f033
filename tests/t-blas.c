/* The BLAS kernel against FLINT and schoolbook elimination: random
   shapes, ranks and primes; pivots checked by recomputing the minor's
   determinant from an untouched copy. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include <flint/nmod_mat.h>
#include <flint/nmod_poly.h>
#include <flint/thread_support.h>
#include <flint/fmpz_vec.h>
#include "genrank.h"
#include "naive.h"
#include "tap.h"
#include "check/vblas.h"
#include "check/check.h"

#ifdef HAVE_CBLAS
/* genrank_check_progress read from another thread while a determinant
   runs: every value seen in [0, 1) and none smaller than the one before
   (yielding between reads, so as not to starve the determinant's own
   threads) */
typedef struct {
    atomic_int stop, started;
    long seen, bad;
} watch_t;

static void *
watch_progress(void *arg)
{
    watch_t *w = arg;
    double last = 0;
    atomic_store(&w->started, 1);
    while (!atomic_load(&w->stop))
    {
        double v = genrank_check_progress();
        if (v < 0)
        {
            sched_yield();
            continue;
        }
        w->seen++;
        w->bad += (v >= 1 || v < last);
        last = v;
        sched_yield();
    }
    return NULL;
}
#endif

/* a prime below 2^16: tiny ones, 65521 (the largest), or random sizes */
static ulong
prime16(flint_rand_t st)
{
    static const ulong tiny[] = {3, 5, 7, 11};
    switch (n_randint(st, 6))
    {
        case 0: return tiny[n_randint(st, 4)];
        case 1: return 65521;
        default: return n_randprime(st, 2 + n_randint(st, 15), 1);   /* 2..16 bits */
    }
}

/* M random of one of several kinds: dense uniform; of rank k < r (a
   product r x k by k x r); with a zero leading z x z block, so that
   pivots come from rows below it, across outer panels when z > 512;
   test_random_matrix's mix. */
static void
random_kind(nmod_mat_t M, flint_rand_t st, int kind)
{
    slong r = M->r, i, j, k, z;
    ulong p = M->mod.n;
    if (kind == 0 || kind == 2)
        for (i = 0; i < r; i++)
            for (j = 0; j < r; j++)
                nmod_mat_entry(M, i, j) = n_randint(st, p);
    if (kind == 1)
    {
        nmod_mat_t X, Y;
        k = n_randint(st, r);
        if (k == 0)
            nmod_mat_zero(M);
        else
        {
            nmod_mat_init(X, r, k, p);
            nmod_mat_init(Y, k, r, p);
            for (i = 0; i < r * k; i++)
            {
                nmod_mat_entry(X, i / k, i % k) = n_randint(st, p);
                nmod_mat_entry(Y, i % k, i / k) = n_randint(st, p);
            }
            nmod_mat_mul(M, X, Y);
            nmod_mat_clear(X);
            nmod_mat_clear(Y);
        }
    }
    if (kind == 2)
    {
        z = n_randint(st, 3) ? r / 2 : (slong) n_randint(st, r + 1);   /* r / 2 keeps it nonsingular */
        for (i = 0; i < z; i++)
            for (j = 0; j < z; j++)
                nmod_mat_entry(M, i, j) = 0;
    }
    if (kind == 3)
        test_random_matrix(M, st);
}

typedef struct { nmod_mat_struct *M; } rows_ctx;

/* row s of M as doubles, each entry plus a multiple of p below 2^48 (as
   the checker's unreduced products), so the determinant must reduce */
static void
mat_row_d(double *out, slong s, void *ctx)
{
    const nmod_mat_struct *M = ((rows_ctx *) ctx)->M;
    ulong p = M->mod.n, lim = (UWORD(1) << 48) / p - 1;
    slong t;
    for (t = 0; t < M->c; t++)
        out[t] = (double) nmod_mat_entry(M, s, t) + (double) p * (double) ((s * 7919 + t * 104729) % (lim + 1));
}

static int
mat_row(ulong *out, slong s, void *ctx, genrank_err_t *err)
{
    const nmod_mat_struct *M = ((rows_ctx *) ctx)->M;
    memcpy(out, M->rows[s], M->c * sizeof(ulong));
    return 1;
}

int
main(void)
{
    flint_rand_t st;
    long iter, iters = tap_iters(400), bad_rank = 0, bad_det = 0, bad_idx = 0, big = 0;
    flint_randinit(st);

    if (!genrank_have_blas())
    {
        printf("ok 1 - # SKIP built without a CBLAS\n1..1\n");
        return 0;
    }
    for (iter = 0; iter < iters; iter++)
    {
        slong rows, cols, r, t, s, maxr, fr;
        ulong p, det, ndet, *minor;
        slong *rw, *cl;
        double *A;
        nmod_mat_t M, C;
        int cls = n_randint(st, 10);

        if (cls < 6)
        {
            rows = 1 + n_randint(st, 40);
            cols = 1 + n_randint(st, 40);
        }
        else if (cls < 9)
        {
            rows = 1 + n_randint(st, 300);
            cols = 1 + n_randint(st, 300);
        }
        else
        {
            rows = 300 + n_randint(st, 500);
            cols = 300 + n_randint(st, 500);
            big++;
        }
        if (iter % 13 == 0) rows = 1;
        if (iter % 17 == 0) cols = 1;
        p = (iter % 5 == 0) ? 2 + 0 * n_randint(st, 2)
            : n_randprime(st, 2 + n_randint(st, 23), 1);   /* below 2^24 */
        if (iter % 7 == 0)
            p = GENRANK_BLAS_PRIME_MAX - 3;                 /* 16777213, the largest accepted */
        nmod_mat_init(M, rows, cols, p);
        test_random_matrix(M, st);
        nmod_mat_init_set(C, M);
        A = flint_malloc(rows * (cols + 3) * sizeof(double));
        for (t = 0; t < rows; t++)
            for (s = 0; s < cols; s++)   /* any representative: shift by multiples of p */
                A[t * (cols + 3) + s] = (double) nmod_mat_entry(M, t, s)
                                        - (double) p * (double) n_randint(st, 3);
        maxr = FLINT_MIN(rows, cols);
        rw = flint_malloc(maxr * sizeof(slong));
        cl = flint_malloc(maxr * sizeof(slong));
        r = genrank_dmat_rank_witness_blas(rw, cl, &det, A, rows, cols, cols + 3, p);
        fr = nmod_mat_rank(C);
        if (r != fr)
        {
            bad_rank++;
            TAP_DIAG("rank %ld, FLINT %ld: %ld x %ld modulo %lu", (long) r, (long) fr,
                     (long) rows, (long) cols, p);
        }
        for (t = 0; t < r; t++)
            if (rw[t] < 0 || rw[t] >= rows || cl[t] < 0 || cl[t] >= cols
                || (t > 0 && (rw[t] <= rw[t - 1] || cl[t] <= cl[t - 1])))
                bad_idx++;
        minor = flint_malloc((r * r + 1) * sizeof(ulong));
        for (t = 0; t < r && bad_idx == 0; t++)
            for (s = 0; s < r; s++)
                minor[t * r + s] = nmod_mat_entry(C, rw[t], cl[s]);
        ndet = 1 % p;
        if (r > 0 && bad_idx == 0)
            naive_rank(minor, r, r, p, &ndet);
        if (bad_idx == 0 && (ndet == 0 || ndet != det))
        {
            bad_det++;
            TAP_DIAG("witness det %lu, recomputed %lu: %ld x %ld rank %ld modulo %lu",
                     det, ndet, (long) rows, (long) cols, (long) r, p);
        }
        flint_free(minor);
        flint_free(rw);
        flint_free(cl);
        flint_free(A);
        nmod_mat_clear(M);
        nmod_mat_clear(C);
    }
    TAP_OK(bad_rank == 0, "BLAS kernel rank equals nmod_mat_rank (%ld matrices, %ld above 300 x 300)", iters, big);
    TAP_OK(bad_idx == 0, "witness indices in range and strictly increasing");
    TAP_OK(bad_det == 0, "witness minor nonsingular with the reported determinant");

    /* the dispatcher agrees across methods on the same instance */
    TAP_OK(test_methods_agree(st, GENRANK_METHOD_BLAS, 20, tap_iters(40)) == 0,
           "FLINT and BLAS methods give the same rank on random instances");
    {
        genrank_instance_t in;
        fmpq one;
        fmpq_init(&one);
        fmpq_one(&one);
        genrank_instance_init(in, GENRANK_HADAMARD, 300, 2, 300, &one, 1);
        TAP_OK(genrank_rank_method(in, 1048573, GENRANK_METHOD_AUTO) == GENRANK_METHOD_BLAS
               && genrank_rank_method(in, UWORD(4611686018427387847), GENRANK_METHOD_AUTO) == GENRANK_METHOD_FLINT
               && genrank_rank_method(in, UWORD(4611686018427387847), GENRANK_METHOD_BLAS) == -1,
               "dispatch: BLAS for small primes at size, FLINT for large primes");
        genrank_instance_clear(in);
        fmpq_clear(&one);
    }
    /* the verifier's determinant against FLINT's, singular matrices included */
    {
        long bad = 0, k;
        for (k = 0; k < tap_iters(150); k++)
        {
            slong r = k % 50 == 0 ? 513 + (slong) n_randint(st, 700)   /* several outer panels */
                      : 1 + (slong) n_randint(st, k % 10 ? 120 : 400), i, j;
            ulong p = (k % 6 == 0) ? GENRANK_BLAS_PRIME_MAX - 3 : n_randprime(st, 2 + n_randint(st, 23), 1);
            if (p < 3)
                p = 3;
            nmod_mat_t M;
            double *S = flint_malloc(r * r * sizeof(double));
            nmod_mat_init(M, r, r, p);
            test_random_matrix(M, st);
            for (i = 0; i < r; i++)
                for (j = 0; j < r; j++)
                    S[i * r + j] = (double) nmod_mat_entry(M, i, j) - (double) p * (double) n_randint(st, 2);
            flint_set_num_threads(1 + (int) n_randint(st, 3));   /* reductions split between threads */
            if (genrank_vdet_blas(S, r, p) != nmod_mat_det(M))
            {
                bad++;
                TAP_DIAG("verifier det differs from nmod_mat_det: %ld x %ld modulo %lu", (long) r, (long) r, p);
            }
            nmod_mat_clear(M);
            flint_free(S);
        }
        /* pivots always in the last row of each panel: anti-diagonal
           permutation matrices, determinant +-1 */
        for (k = 1; k <= 300; k += 1 + k / 4)
        {
            slong i;
            ulong p = 1048573, want;
            nmod_mat_t M;
            double *S = flint_calloc(k * k, sizeof(double));
            nmod_mat_init(M, k, k, p);
            for (i = 0; i < k; i++)
            {
                S[i * k + (k - 1 - i)] = 1;
                nmod_mat_entry(M, i, k - 1 - i) = 1;
            }
            want = nmod_mat_det(M);
            if (genrank_vdet_blas(S, k, p) != want)
                bad++;
            nmod_mat_clear(M);
            flint_free(S);
        }
        flint_set_num_threads(1);
        TAP_OK(bad == 0, "the verifier's BLAS determinant equals nmod_mat_det (singular and permutation cases included)");
    }
    /* the 16-bit determinant against FLINT's: random sizes, mostly within
       one or a few outer panels, a few spanning several; dense, low-rank
       and zero-leading-block matrices; primes from 3 to 65521; half with
       the default blocking, half with a random one (outer panels down to
       one column, chunks and row blocks down to one); one to three
       threads for the conversions */
    {
        long bad = 0, k, big16 = 0, sing = 0;
        for (k = 0; k < tap_iters(400); k++)
        {
            slong outer = 1 + (slong) n_randint(st, 700), chunk = 1 + (slong) n_randint(st, 1200),
                  rows = 1 + (slong) n_randint(st, 700);
            int dflt = n_randint(st, 2);
            slong r = k % 80 == 5 ? 1000 + (slong) n_randint(st, 601)
                      : 1 + (slong) n_randint(st, k % 4 ? 300 : 700), i, j;
            ulong p = prime16(st), want, got;
            int kind = n_randint(st, 4);
            nmod_mat_t M;
            uint16_t *S = flint_malloc(r * r * sizeof(uint16_t));
            nmod_mat_init(M, r, r, p);
            random_kind(M, st, kind);
            for (i = 0; i < r; i++)
                for (j = 0; j < r; j++)
                    S[i * r + j] = (uint16_t) nmod_mat_entry(M, i, j);
            big16 += (r >= 1000);
            flint_set_num_threads(1 + (int) n_randint(st, 3));
            got = dflt ? genrank_vdet_blas_u16(S, r, p)
                       : _genrank_vdet_blas_u16_blocked(S, r, p, outer, chunk, rows);
            want = nmod_mat_det(M);
            sing += (want == 0);
            if (got != want)
            {
                bad++;
                TAP_DIAG("16-bit det %lu, nmod_mat_det %lu: %ld x %ld kind %d modulo %lu, blocking %s %ld %ld %ld",
                         got, want, (long) r, (long) r, kind, p, dflt ? "default" : "random",
                         (long) outer, (long) chunk, (long) rows);
            }
            nmod_mat_clear(M);
            flint_free(S);
        }
        /* anti-diagonal permutations: every pivot in the last row, across
           outer panels when k > 512 */
        for (k = 1; k <= 1200; k += 1 + k / 3)
        {
            slong i;
            ulong p = 65521, want;
            nmod_mat_t M;
            uint16_t *S = flint_calloc(k * k, sizeof(uint16_t));
            nmod_mat_init(M, k, k, p);
            for (i = 0; i < k; i++)
            {
                S[i * k + (k - 1 - i)] = (uint16_t) (i % 7 + 1);
                nmod_mat_entry(M, i, k - 1 - i) = i % 7 + 1;
            }
            want = nmod_mat_det(M);
            if (genrank_vdet_blas_u16(S, k, p) != want)
            {
                bad++;
                TAP_DIAG("16-bit det of an anti-diagonal %ld x %ld differs", (long) k, (long) k);
            }
            nmod_mat_clear(M);
            flint_free(S);
        }
        flint_set_num_threads(1);
        TAP_OK(bad == 0 && sing > 0 && big16 > 0, "the 16-bit BLAS determinant equals nmod_mat_det "
               "(%ld matrices, %ld singular, %ld of order >= 1000; anti-diagonal permutations)",
               tap_iters(400), sing, big16);
    }
    /* the minor routine on each of its paths: 16 bits (p < 2^16), doubles
       (p < 2^24), FLINT (larger p or order < 64), with the rows from the
       nmod callback and, on the first two, written in doubles (unreduced)
       by one to three threads; its memory estimate 2 bytes an entry on the
       16-bit path */
    {
        long bad = 0, k;
        for (k = 0; k < tap_iters(60); k++)
        {
            slong r = k % 5 == 0 ? 1 + n_randint(st, 63) : 64 + n_randint(st, 600);
            ulong p = k % 3 == 0 ? prime16(st)
                      : k % 3 == 1 ? n_randprime(st, 17 + n_randint(st, 7), 1)
                      : n_randprime(st, 25 + n_randint(st, 38), 1), det = 0, det_d = 0, want;
            nmod_t mod;
            nmod_mat_t M;
            rows_ctx ctx;
            genrank_err_t e;
            nmod_init(&mod, p);
            nmod_mat_init(M, r, r, p);
            random_kind(M, st, n_randint(st, 4));
            ctx.M = M;
            want = nmod_mat_det(M);
            flint_set_num_threads(1 + n_randint(st, 3));
            if (_genrank_minor_det_mod(&det, r, mod, mat_row, &ctx, &e) != 0 || det != want
                || _genrank_minor_det_mod_d(&det_d, r, mod, mat_row, mat_row_d, &ctx, &e) != 0
                || det_d != want)
            {
                bad++;
                TAP_DIAG("minor det %lu (rows in doubles %lu), nmod_mat_det %lu: %ld x %ld modulo %lu",
                         det, det_d, want, (long) r, (long) r, p);
            }
            flint_set_num_threads(1);
            nmod_mat_clear(M);
        }
        bad += !(_genrank_minor_bytes_mod(80000, 65521) < 2.1 * 80000.0 * 80000.0
                 && _genrank_minor_bytes_mod(80000, 65537) >= 8.0 * 80000.0 * 80000.0
                 && _genrank_minor_bytes_mod(10, 65521) >= 8.0 * 100);
        TAP_OK(bad == 0, "the minor routine's determinant equals nmod_mat_det on its 16-bit, double and FLINT "
               "paths, its rows from residues or from unreduced doubles written by 1-3 threads; "
               "2 bytes an entry on the 16-bit path");
    }
    /* Horner in doubles against FLINT's */
    {
        long bad = 0, k;
        for (k = 0; k < tap_iters(200); k++)
        {
            ulong p = n_randprime(st, 2 + n_randint(st, 23), 1), c[9];
            slong len = n_randint(st, 10), n = n_randint(st, 700), i;
            double *y = flint_malloc(FLINT_MAX(n, 1) * sizeof(double));
            ulong *x = flint_malloc(FLINT_MAX(n, 1) * sizeof(ulong));
            nmod_t mod;
            if (p < 3)
                p = 3;
            nmod_init(&mod, p);
            for (i = 0; i < len; i++)
                c[i] = n_randint(st, 4) ? n_randint(st, p) : p - 1;
            for (i = 0; i < n; i++)
            {
                x[i] = n_randint(st, 4) ? n_randint(st, p) : p - 1;
                y[i] = (double) x[i];
            }
            genrank_vpoly_blas(y, n, c, len, p);
            for (i = 0; i < n; i++)
                if (y[i] != (double) _nmod_poly_evaluate_nmod(c, len, x[i], mod))
                    bad++;
            flint_free(y);
            flint_free(x);
        }
        TAP_OK(bad == 0, "Horner in doubles equals _nmod_poly_evaluate_nmod (p < 2^24, lengths 0-9)");
    }
    /* certificates of rank >= 64 (the verifier's BLAS path) round trip,
       and a wrong determinant or a singular minor is rejected */
    {
        char path[] = "/tmp/genrank-t-blas-XXXXXX";
        int fd = mkstemp(path);
        long bad = 0, k;
        close(fd);
        for (k = 0; k < tap_iters(8); k++)
        {
            slong len;
            fmpq *c;
            genrank_prove_opts_t o;
            genrank_cert_t cert;
            genrank_err_t e;
            int rc;
            genrank_coeffs_parse(&c, &len, k % 2 ? "1,-1,1/2" : "0,0,1,3", NULL);
            genrank_prove_opts_init(&o);
            o.seed = n_randlimb(st);
            o.method = GENRANK_METHOD_BLAS;
            genrank_cert_init(cert);
            rc = genrank_prove(cert, k % 2 ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO,
                               70 + n_randint(st, 60), 12 + n_randint(st, 4), 100 + n_randint(st, 200),
                               c, len, &o, &e);
            rc = rc ? rc : genrank_cert_write(cert, path, &e);
            rc = rc ? rc : genrank_verify_file(path, NULL, &e);
            if ((rc != 0) || cert->rank < 64 || cert->prime >= GENRANK_BLAS_PRIME_MAX)
            {
                bad++;
                TAP_DIAG("rc %d rank %ld prime %lu: %s", rc, (long) cert->rank, cert->prime, rc ? e.msg : "");
            }
            if (rc == 0)
            {
                /* a wrong determinant */
                cert->det = (cert->det == 1) ? 2 : cert->det - 1;
                genrank_cert_write(cert, path, &e);
                if (genrank_verify_file(path, NULL, &e) != GENRANK_EINVALID)
                {
                    bad++;
                    TAP_DIAG("a wrong determinant accepted");
                }
                /* a singular minor: the same column twice is not increasing,
                   so repeat a row of the instance instead */
                _fmpz_vec_set(cert->inst->B + cert->cols[1] * cert->inst->d,
                              cert->inst->B + cert->cols[0] * cert->inst->d, cert->inst->d);
                genrank_cert_write(cert, path, &e);
                rc = genrank_verify_file(path, NULL, &e);
                if (rc != GENRANK_EINVALID || strstr(e.msg, "singular") == NULL)
                {
                    bad++;
                    TAP_DIAG("a singular minor: rc %d: %s", rc, rc ? e.msg : "accepted");
                }
            }
            genrank_cert_clear(cert);
            genrank_coeffs_free(c, len);
        }
        unlink(path);
        TAP_OK(bad == 0, "rank >= 64 certificates verify; a wrong determinant and a singular minor are rejected");
    }
    /* the checker's progress: -1 outside a determinant, rising from 0
       below 1 within one (both kinds; a panel of 8 columns gives the
       watcher many steps to see), -1 again after it */
#ifdef HAVE_CBLAS
    {
        long bad = 0, seen = 0;
        int kind;
        bad += genrank_check_progress() != -1.0;
        for (kind = 0; kind < 2; kind++)
        {
            slong r = 1000 + (slong) n_randint(st, 200), i;
            ulong p = 65521;
            watch_t w;
            pthread_t th;
            atomic_init(&w.stop, 0);
            atomic_init(&w.started, 0);
            w.seen = w.bad = 0;
            if (pthread_create(&th, NULL, watch_progress, &w) != 0)
            {
                bad++;
                break;
            }
            while (!atomic_load(&w.started))
                sched_yield();
            if (kind == 0)
            {
                uint16_t *S = flint_malloc(r * r * sizeof(uint16_t));
                for (i = 0; i < r * r; i++)
                    S[i] = (uint16_t) n_randint(st, p);
                _genrank_vdet_blas_u16_blocked(S, r, p, 8, 256, 256);
                flint_free(S);
            }
            else
            {
                double *S = flint_malloc(r * r * sizeof(double));
                for (i = 0; i < r * r; i++)
                    S[i] = (double) n_randint(st, p);
                genrank_vdet_blas(S, r, p);
                flint_free(S);
            }
            bad += genrank_check_progress() != -1.0;
            atomic_store(&w.stop, 1);
            pthread_join(th, NULL);
            bad += w.bad;
            seen += w.seen;
            if (w.bad || genrank_check_progress() != -1.0)
                TAP_DIAG("kind %d, order %ld: %ld of %ld values out of order or range", kind,
                         (long) r, w.bad, w.seen);
        }
        TAP_OK(bad == 0 && seen > 0, "the checker's progress rises within [0, 1) during its determinants "
               "and is -1 outside them (%ld values seen)", seen);
    }
    /* delayed reductions at their limit.  The kernel leaves products
       unreduced while min(m, n) <= kmax = (2^52 - h) / h^2 (h = p/2 + 1):
       primes whose kmax lies just above the order, matrices of full rank
       and of rank half the order, entries of the largest magnitude.  The
       checker's determinant reduces its trailing matrix once the products
       it holds could pass vk - 512 (vk = 2^53 / (p - 1)^2): primes with vk
       in [1024, 1536) and orders of three outer panels, so that both a
       delayed and a forced reduction happen. */
    {
        long bad = 0, k;
        for (k = 0; k < tap_iters(12); k++)
        {
            slong n = 64 + (slong) n_randint(st, 400), kmax, i, j, r, fr, *rw, *cl;
            ulong p, det;
            double h, *A;
            nmod_mat_t M;
            /* the largest prime whose kmax is still >= n */
            for (p = n_sqrt((UWORD(1) << 54) / (ulong) n) + 2; ; p--)
            {
                h = (double) p / 2 + 1;
                kmax = (slong) ((4503599627370496.0 - h) / (h * h));
                if (kmax >= n && n_is_prime(p))
                    break;
            }
            nmod_mat_init(M, n, n, p);
            random_kind(M, st, k % 2);
            for (i = 0; i < n * n && k % 4 == 0; i++)      /* +-(p-1)/2: the largest centred residues */
                nmod_mat_entry(M, i / n, i % n) = n_randint(st, 2) ? (p - 1) / 2 : (p + 1) / 2;
            A = flint_malloc(n * n * sizeof(double));
            for (i = 0; i < n; i++)
                for (j = 0; j < n; j++)
                    A[i * n + j] = (double) nmod_mat_entry(M, i, j);
            rw = flint_malloc(n * sizeof(slong));
            cl = flint_malloc(n * sizeof(slong));
            r = genrank_dmat_rank_witness_blas(rw, cl, &det, A, n, n, n, p);
            fr = nmod_mat_rank(M);
            if (r != fr)
            {
                bad++;
                TAP_DIAG("order %ld modulo %lu (kmax %ld): rank %ld, FLINT %ld", (long) n, p,
                         (long) kmax, (long) r, (long) fr);
            }
            if (r == n && det != nmod_mat_det(M))
            {
                bad++;
                TAP_DIAG("order %ld modulo %lu (kmax %ld): determinant %lu, FLINT %lu", (long) n,
                         p, (long) kmax, det, nmod_mat_det(M));
            }
            flint_free(rw);
            flint_free(cl);
            flint_free(A);
            nmod_mat_clear(M);
        }
        for (k = 0; k < tap_iters(2); k++)
        {
            slong r = 1025 + (slong) n_randint(st, 500), i, vk;
            /* vk = (2^53 - p) / (p - 1)^2 in [1024, 1536) */
            ulong p = n_nextprime(2425000 + n_randint(st, 530000), 1), want;
            double *S, q;
            nmod_mat_t M;
            q = (double) (p - 1);
            vk = (slong) ((9007199254740992.0 - (double) p) / (q * q));
            nmod_mat_init(M, r, r, p);
            random_kind(M, st, 0);
            if (k % 2 == 0)
                for (i = 0; i < r * r; i++)               /* the largest residues */
                    nmod_mat_entry(M, i / r, i % r) = p - 1 - n_randint(st, 3);
            S = flint_malloc(r * r * sizeof(double));
            for (i = 0; i < r * r; i++)
                S[i] = (double) nmod_mat_entry(M, i / r, i % r);
            flint_set_num_threads(1 + (int) n_randint(st, 2));
            want = nmod_mat_det(M);
            if (genrank_vdet_blas(S, r, p) != want)
            {
                bad++;
                TAP_DIAG("checker's determinant, order %ld modulo %lu (vk %ld), differs from FLINT's",
                         (long) r, p, (long) vk);
            }
            flint_set_num_threads(1);
            flint_free(S);
            nmod_mat_clear(M);
        }
        TAP_OK(bad == 0, "delayed reductions at their limit: the kernel's rank and determinant and "
               "the checker's determinant equal FLINT's");
    }
#endif
    flint_randclear(st);
    return tap_done();
}
