/* The compact kernel (16-bit residues, primes below 2^16) against FLINT
   and schoolbook elimination: random shapes, ranks, primes and blockings
   (panels, chunks and row blocks down to one column, so that every edge
   of the panel loop is reached on small matrices), the witness minor's
   determinant recomputed from an untouched copy, the fast section's
   solves checked against the original matrix, and the default blocking
   on matrices spanning several panels. */
#include <string.h>
#include <unistd.h>
#include <flint/nmod_mat.h>
#include "genrank.h"
#include "internal.h"
#include "naive.h"
#include "tap.h"

typedef struct {
    flint_rand_t *st;
    ulong *C;
    int called;
} chal_t;

static int
chal(ulong *C, slong k, const slong *rows, const slong *cols, slong r, ulong det, ulong p,
     void *ctx)
{
    chal_t *c = ctx;
    slong t;
    (void) rows; (void) cols; (void) det;
    c->C = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(ulong));
    for (t = 0; t < k * r; t++)
        c->C[t] = C[t] = n_randint(*c->st, p);
    c->called = 1;
    return 0;
}

/* 0 when the witness (r, rows, cols, det) and the solves X are right for
   M0, else a code naming what failed */
static int
check_witness(const nmod_mat_t M0, slong r, const slong *rows, const slong *cols, ulong det,
              const ulong *X, const ulong *C, slong k)
{
    ulong p = M0->mod.n, ndet = 1 % p, *minor;
    slong t, s, j;
    nmod_mat_t F;
    nmod_mat_init_set(F, M0);
    t = nmod_mat_rank(F);
    nmod_mat_clear(F);
    if (t != r)
        return 1;
    for (t = 0; t < r; t++)
        if (rows[t] < 0 || rows[t] >= M0->r || cols[t] < 0 || cols[t] >= M0->c
            || (t > 0 && (rows[t] <= rows[t - 1] || cols[t] <= cols[t - 1])))
            return 2;
    if (r > 300)
    {
        /* large minors by FLINT's determinant, small ones by schoolbook */
        nmod_mat_t S;
        nmod_mat_init(S, r, r, p);
        for (t = 0; t < r; t++)
            for (s = 0; s < r; s++)
                nmod_mat_entry(S, t, s) = nmod_mat_entry(M0, rows[t], cols[s]);
        ndet = nmod_mat_det(S);
        nmod_mat_clear(S);
    }
    else
    {
        minor = flint_malloc((r * r + 1) * sizeof(ulong));
        for (t = 0; t < r; t++)
            for (s = 0; s < r; s++)
                minor[t * r + s] = nmod_mat_entry(M0, rows[t], cols[s]);
        if (r > 0)
            naive_rank(minor, r, r, p, &ndet);
        flint_free(minor);
    }
    if (ndet == 0 || ndet != det)
        return 3;
    if (X != NULL)
        for (j = 0; j < k; j++)
            for (s = 0; s < r; s++)
            {
                ulong acc = 0;
                for (t = 0; t < r; t++)
                    acc = (acc + naive_mulmod(X[j * r + t], nmod_mat_entry(M0, rows[t], cols[s]), p)) % p;
                if (acc != C[j * r + s])
                    return 4;
            }
    return 0;
}

static uint16_t *
to_u16(const nmod_mat_t M, slong lda)
{
    uint16_t *A = flint_malloc(FLINT_MAX(M->r * lda, 1) * sizeof(uint16_t));
    slong i, j;
    for (i = 0; i < M->r; i++)
        for (j = 0; j < lda; j++)
            A[i * lda + j] = j < M->c ? (uint16_t) nmod_mat_entry(M, i, j) : 0xdead;
    return A;
}

static ulong
small_prime(flint_rand_t st, long iter)
{
    if (iter % 11 == 0)
        return 2;
    if (iter % 7 == 0)
        return 65521;                       /* the largest prime below 2^16 */
    return n_randprime(st, 2 + n_randint(st, 15), 1);
}

int
main(void)
{
    flint_rand_t st;
    long iter, iters = tap_iters(300), bad[5] = {0}, solved = 0;
    flint_randinit(st);

    if (!genrank_have_blas())
    {
        printf("ok 1 - # SKIP built without a CBLAS\n1..1\n");
        return 0;
    }
    for (iter = 0; iter < iters; iter++)
    {
        slong m = 1 + n_randint(st, iter % 10 == 9 ? 300 : 90), n = 1 + n_randint(st, iter % 10 == 9 ? 300 : 90);
        slong lda = n + n_randint(st, 3), bl[3], r, k = 1 + n_randint(st, 9), small = FLINT_MIN(m, n);
        ulong p = small_prime(st, iter), det;
        slong *rows = flint_malloc(small * sizeof(slong)), *cols = flint_malloc(small * sizeof(slong));
        chal_t c = {0};
        genrank_solve_t sv, *svp = NULL;
        nmod_mat_t M0;
        uint16_t *A;
        int code;
        nmod_mat_init(M0, m, n, p);
        test_random_matrix(M0, st);
        A = to_u16(M0, lda);
        bl[0] = 1 + n_randint(st, 48);
        bl[1] = 1 + n_randint(st, 64);
        bl[2] = 1 + n_randint(st, 64);
        if (iter % 2)
        {
            c.st = (flint_rand_t *) st;
            sv.k = k;
            sv.challenge = chal;
            sv.ctx = &c;
            sv.X = NULL;
            svp = &sv;
        }
        r = _genrank_hmat_rank_witness(rows, cols, &det, A, m, n, lda, p, svp, bl, NULL);
        code = check_witness(M0, r, rows, cols, det, svp != NULL ? sv.X : NULL, c.C, k);
        if (svp != NULL && r > 0 && (!c.called || sv.X == NULL))
            code = 4;
        if (code != 0)
        {
            bad[code]++;
            TAP_DIAG("failure %d: %ld x %ld rank %ld modulo %lu, blocks %ld %ld %ld", code,
                     (long) m, (long) n, (long) r, p, (long) bl[0], (long) bl[1], (long) bl[2]);
        }
        solved += (svp != NULL && r > 0);
        if (svp != NULL)
        {
            flint_free(sv.X);
            flint_free(c.C);
        }
        flint_free(A);
        flint_free(rows);
        flint_free(cols);
        nmod_mat_clear(M0);
    }
    TAP_OK(bad[1] == 0, "compact kernel rank equals nmod_mat_rank (%ld matrices, random blockings)", iters);
    TAP_OK(bad[2] == 0, "witness indices in range and strictly increasing");
    TAP_OK(bad[3] == 0, "witness minor nonsingular with the reported determinant");
    TAP_OK(bad[4] == 0, "X^T S = C against the original matrix (%ld solves)", solved);

    /* checkpoints: a run stopped after some saves and resumed from its
       file gives the uninterrupted run's witness; a checkpoint of another
       matrix, or a truncated one, is not resumed */
    {
        long i, bad_resume = 0, bad_other = 0, resumed = 0;
        char path[64];
        snprintf(path, sizeof path, "t-compact-%ld.ckpt", (long) getpid());
        for (i = 0; i < tap_iters(60); i++)
        {
            slong m = 20 + n_randint(st, 80), n = 20 + n_randint(st, 80), small = FLINT_MIN(m, n);
            slong bl[3], r0, r1, r2, *rw0 = flint_malloc(small * sizeof(slong)), *cl0 = flint_malloc(small * sizeof(slong));
            slong *rw1 = flint_malloc(small * sizeof(slong)), *cl1 = flint_malloc(small * sizeof(slong));
            ulong p = small_prime(st, i + 1), d0, d1;
            nmod_mat_t M0;
            uint16_t *A0, *A1, *A2;
            _genrank_ckpt_t ck;
            FILE *f;
            nmod_mat_init(M0, m, n, p);
            test_random_matrix(M0, st);
            A0 = to_u16(M0, n);
            A1 = to_u16(M0, n);
            A2 = to_u16(M0, n);
            bl[0] = 1 + n_randint(st, 12);
            bl[1] = 1 + n_randint(st, 30);
            bl[2] = 1 + n_randint(st, 30);
            memset(&ck, 0, sizeof ck);
            ck.path = path;
            ck.every = 0;
            ck.id[0] = (uint8_t) i;
            ck.id[31] = 7;
            ck.stop_after = 1 + n_randint(st, 4);
            r0 = _genrank_hmat_rank_witness(rw0, cl0, &d0, A0, m, n, n, p, NULL, bl, NULL);
            r1 = _genrank_hmat_rank_witness(rw1, cl1, &d1, A1, m, n, n, p, NULL, bl, &ck);
            if (r1 == -3)
            {
                /* stopped: resume on a freshly built copy */
                if (i % 5 == 1)
                {
                    /* another matrix's id: not resumed */
                    ck.id[0] ^= 1;
                    ck.stop_after = 0;
                    r2 = _genrank_hmat_rank_witness(rw1, cl1, &d1, A2, m, n, n, p, NULL, bl, &ck);
                    bad_other += (ck.resumed_at != -1 || r2 != r0 || d1 != d0);
                }
                else if (i % 5 == 2)
                {
                    /* truncated: not resumed */
                    if (truncate(path, 100) != 0)
                        bad_other++;
                    ck.stop_after = 0;
                    r2 = _genrank_hmat_rank_witness(rw1, cl1, &d1, A2, m, n, n, p, NULL, bl, &ck);
                    bad_other += (ck.resumed_at != -1 || r2 != r0 || d1 != d0);
                }
                else
                {
                    ck.stop_after = 0;
                    r2 = _genrank_hmat_rank_witness(rw1, cl1, &d1, A2, m, n, n, p, NULL, bl, &ck);
                    resumed += (ck.resumed_at > 0);
                    bad_resume += (ck.resumed_at <= 0 || r2 != r0 || d1 != d0
                                   || memcmp(rw0, rw1, r0 * sizeof(slong))
                                   || memcmp(cl0, cl1, r0 * sizeof(slong)));
                }
            }
            else
                bad_resume += (r1 != r0 || d1 != d0);
            /* the checkpoint is gone once the elimination ends */
            if ((f = fopen(path, "rb")) != NULL)
            {
                bad_resume++;
                fclose(f);
                remove(path);
            }
            flint_free(A0); flint_free(A1); flint_free(A2);
            flint_free(rw0); flint_free(cl0); flint_free(rw1); flint_free(cl1);
            nmod_mat_clear(M0);
        }
        TAP_OK(bad_resume == 0 && resumed > 0, "checkpoint: a stopped run resumed from its file gives "
               "the uninterrupted witness (%ld resumed)", resumed);
        TAP_OK(bad_other == 0, "checkpoint: another matrix's or a truncated file is not resumed");
    }

    /* the default blocking on matrices of several panels (1024 columns) */
    {
        long i, nbad = 0;
        for (i = 0; i < tap_iters(3); i++)
        {
            slong m = 1000 + n_randint(st, 1200), n = 1030 + n_randint(st, 1200), r;
            slong small = FLINT_MIN(m, n), target = n_randint(st, 3) ? small : small - 1 - (slong) n_randint(st, 900);
            slong *rows = flint_malloc(small * sizeof(slong)), *cols = flint_malloc(small * sizeof(slong));
            ulong p = small_prime(st, 1 + i), det;
            nmod_mat_t M0, X, Y;
            uint16_t *A;
            chal_t c = {0};
            genrank_solve_t sv;
            nmod_mat_init(M0, m, n, p);
            nmod_mat_init(X, m, target, p);
            nmod_mat_init(Y, target, n, p);
            nmod_mat_randfull(X, st);
            nmod_mat_randfull(Y, st);
            nmod_mat_mul(M0, X, Y);
            A = to_u16(M0, n);
            c.st = (flint_rand_t *) st;
            sv.k = 2;
            sv.challenge = chal;
            sv.ctx = &c;
            sv.X = NULL;
            r = genrank_hmat_rank_witness_solve(rows, cols, &det, A, m, n, n, p, &sv);
            if (check_witness(M0, r, rows, cols, det, sv.X, c.C, 2) != 0)
            {
                nbad++;
                TAP_DIAG("%ld x %ld of rank <= %ld modulo %lu: rank %ld", (long) m, (long) n,
                         (long) target, p, (long) r);
            }
            flint_free(sv.X);
            flint_free(c.C);
            flint_free(A);
            flint_free(rows);
            flint_free(cols);
            nmod_mat_clear(X);
            nmod_mat_clear(Y);
            nmod_mat_clear(M0);
        }
        TAP_OK(nbad == 0, "default blocking: rank, witness and solves over several panels");
    }

    /* the dispatcher: compact and FLINT agree on random instances */
    TAP_OK(test_methods_agree(st, GENRANK_METHOD_COMPACT, 16, tap_iters(30)) == 0,
           "FLINT and compact methods give the same rank on random instances");
    {
        genrank_instance_t in;
        fmpq one;
        fmpq_init(&one);
        fmpq_one(&one);
        genrank_instance_init(in, GENRANK_HADAMARD, 30, 2, 30, &one, 1);
        TAP_OK(genrank_rank_method(in, 65521, GENRANK_METHOD_COMPACT) == GENRANK_METHOD_COMPACT
               && genrank_rank_method(in, 65537, GENRANK_METHOD_COMPACT) == -1,
               "dispatch: compact takes primes below 2^16 only");
        genrank_instance_clear(in);
        fmpq_clear(&one);
    }
    flint_randclear(st);
    return tap_done();
}
