/* The fast section (doc/certificate-format.md section 3.2): the kernels'
   transposed solves against the original matrix, the challenge's
   definitions, and certificates through the checker with and without
   --fast, intact and tampered. */
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <flint/ulong_extras.h>
#include <flint/nmod_mat.h>
#include "genrank.h"
#include "core/core.h"
#include "tap.h"
#include "naive.h"

/* A challenge from the test's own generator: the kernels must solve for
   any right-hand side. */
typedef struct {
    flint_rand_t *st;
    ulong *C;
    slong r;
    int called;
} test_challenge_t;

static int
test_challenge(ulong *C, slong k, const slong *rows, const slong *cols, slong r, ulong det,
               ulong p, void *ctx)
{
    test_challenge_t *tc = ctx;
    slong t;
    (void) rows; (void) cols; (void) det;
    tc->C = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(ulong));
    for (t = 0; t < k * r; t++)
        tc->C[t] = C[t] = n_randint(*tc->st, p);
    tc->r = r;
    tc->called = 1;
    return 0;
}

/* 1 when sum_a X_j[a] M0[rows[a]][cols[b]] = C_j[b] for all j, b, computed
   naively from the original matrix. */
static int
solves(const nmod_mat_t M0, const slong *rows, const slong *cols, slong r, const ulong *X,
       const ulong *C, slong k)
{
    ulong p = M0->mod.n;
    slong j, a, b;
    for (j = 0; j < k; j++)
        for (b = 0; b < r; b++)
        {
            ulong s = 0;
            for (a = 0; a < r; a++)
                s = (s + naive_mulmod(X[j * r + a], nmod_mat_entry(M0, rows[a], cols[b]), p)) % p;
            if (s != C[j * r + b])
                return 0;
        }
    return 1;
}

static void
test_kernels(flint_rand_t st)
{
    long iter, iters = tap_iters(300), bad_flint = 0, bad_blas = 0, same = 0, blas_runs = 0;
    for (iter = 0; iter < iters; iter++)
    {
        /* every tenth up to 400 x 400: several of the solves' blocks */
        slong size = iter % 10 == 9 ? 400 : 70;
        slong m = 1 + n_randint(st, size), n = 1 + n_randint(st, size), k = 1 + n_randint(st, 8);
        int blas = genrank_have_blas() && iter % 2;
        ulong p = blas ? n_randprime(st, 2 + n_randint(st, 23), 1)
                       : n_randprime(st, 2 + n_randint(st, 63), 1);
        nmod_mat_t M, M0;
        slong *rows = flint_malloc(FLINT_MIN(m, n) * sizeof(slong));
        slong *cols = flint_malloc(FLINT_MIN(m, n) * sizeof(slong));
        slong *rows2 = flint_malloc(FLINT_MIN(m, n) * sizeof(slong));
        slong *cols2 = flint_malloc(FLINT_MIN(m, n) * sizeof(slong));
        slong r, r2, i, j;
        ulong det, det2;
        test_challenge_t tc = {0};
        genrank_solve_t sv;
        nmod_mat_init(M0, m, n, p);
        test_random_matrix(M0, st);
        nmod_mat_init_set(M, M0);
        tc.st = (flint_rand_t *) st;
        sv.k = k;
        sv.challenge = test_challenge;
        sv.ctx = &tc;
        sv.X = NULL;
        if (blas)
        {
            double *A = flint_malloc(m * n * sizeof(double)), *A2 = flint_malloc(m * n * sizeof(double));
            for (i = 0; i < m; i++)
                for (j = 0; j < n; j++)
                    A[i * n + j] = A2[i * n + j] = (double) nmod_mat_entry(M0, i, j);
            r = genrank_dmat_rank_witness_blas_solve(rows, cols, &det, A, m, n, n, p, &sv);
            r2 = genrank_dmat_rank_witness_blas(rows2, cols2, &det2, A2, m, n, n, p);
            flint_free(A);
            flint_free(A2);
            blas_runs++;
        }
        else
        {
            nmod_mat_t M2;
            nmod_mat_init_set(M2, M0);
            r = genrank_nmod_mat_rank_witness_solve(rows, cols, &det, M, &sv);
            r2 = genrank_nmod_mat_rank_witness(rows2, cols2, &det2, M2);
            nmod_mat_clear(M2);
        }
        /* the witness is the one without the solves */
        same += (r == r2 && det == det2 && !memcmp(rows, rows2, r * sizeof(slong))
                 && !memcmp(cols, cols2, r * sizeof(slong)));
        if (r > 0 && (!tc.called || sv.X == NULL || !solves(M0, rows, cols, r, sv.X, tc.C, k)))
            *(blas ? &bad_blas : &bad_flint) += 1;
        flint_free(tc.C);
        flint_free(sv.X);
        flint_free(rows);
        flint_free(cols);
        flint_free(rows2);
        flint_free(cols2);
        nmod_mat_clear(M);
        nmod_mat_clear(M0);
    }
    TAP_OK(same == iters, "the solves leave the witness as without them (%ld of %ld)", same, iters);
    TAP_OK(bad_flint == 0, "FLINT LU: X^T S = C against the original matrix, random ranks and primes "
           "below 2^64 (%ld wrong)", bad_flint);
    TAP_OK(blas_runs == 0 || bad_blas == 0, "BLAS PLUQ: X^T S = C against the original matrix, "
           "primes below 2^24 (%ld wrong of %ld)", bad_blas, blas_runs);
}

static void
test_challenge_defs(flint_rand_t st)
{
    long iter, bad_k = 0, bad_bits = 0, bad_range = 0, bad_det = 0;
    for (iter = 0; iter < tap_iters(200); iter++)
    {
        ulong p = iter == 0 ? 2 : n_randprime(st, 2 + n_randint(st, 63), 1);
        slong k = _genrank_challenge_count(p), b = _genrank_challenge_bits(p, k), r = 1 + n_randint(st, 50), t;
        fmpz_t x, two;
        uint8_t dig[32];
        ulong *C = flint_malloc(k * r * sizeof(ulong)), *C2 = flint_malloc(k * r * sizeof(ulong));
        fmpz_init(x);
        fmpz_init(two);
        /* p^k >= 2^128 > p^(k-1) */
        fmpz_ui_pow_ui(x, p, k);
        fmpz_one(two);
        fmpz_mul_2exp(two, two, GENRANK_FAST_BITS);
        if (fmpz_cmp(x, two) < 0)
            bad_k++;
        fmpz_ui_pow_ui(x, p, k - 1);
        if (fmpz_cmp(x, two) >= 0)
            bad_k++;
        /* 2^b <= p^k < 2^(b+1) */
        fmpz_ui_pow_ui(x, p, k);
        if ((slong) fmpz_bits(x) != b + 1 || b < GENRANK_FAST_BITS)
            bad_bits++;
        for (t = 0; t < 32; t++)
            dig[t] = (uint8_t) n_randint(st, 256);
        _genrank_challenge(C, k, r, p, dig);
        _genrank_challenge(C2, k, r, p, dig);
        for (t = 0; t < k * r; t++)
            bad_range += (C[t] >= p);
        bad_det += memcmp(C, C2, k * r * sizeof(ulong)) != 0;
        fmpz_clear(x);
        fmpz_clear(two);
        flint_free(C);
        flint_free(C2);
    }
    TAP_OK(bad_k == 0, "k is the least with p^k >= 2^128 (%ld wrong)", bad_k);
    TAP_OK(bad_bits == 0, "the error bits B satisfy 2^B <= p^k < 2^(B+1), B >= 128 (%ld wrong)", bad_bits);
    TAP_OK(bad_range == 0 && bad_det == 0, "challenge residues lie in [0, p) and are a function "
           "of the digest (%ld out of range, %ld differ)", bad_range, bad_det);

    {
        /* the digest: the statement's members only, in any order and layout */
        const char *a = "{\"format\": \"genrank-certificate\", \"m\": 2, \"A\": [[1, -2]], "
                        "\"witness\": {\"prime\": 7, \"rows\": [0]}, \"seconds\": 1.5}";
        const char *b = "{\"witness\":{\"rows\":[0],\"prime\":7},\"A\":[[1,-2]],\"seconds\":9,"
                        "\"m\":2,\"format\":\"genrank-certificate\",\"producer\":\"x\"}";
        const char *c = "{\"format\": \"genrank-certificate\", \"m\": 2, \"A\": [[1, -3]], "
                        "\"witness\": {\"prime\": 7, \"rows\": [0]}, \"seconds\": 1.5}";
        json_t *ja = json_loads(a, 0, NULL), *jb = json_loads(b, 0, NULL), *jc = json_loads(c, 0, NULL);
        uint8_t da[32], db[32], dc[32];
        _genrank_statement_digest(da, ja, _genrank_rank_statement_keys());
        _genrank_statement_digest(db, jb, _genrank_rank_statement_keys());
        _genrank_statement_digest(dc, jc, _genrank_rank_statement_keys());
        TAP_OK(!memcmp(da, db, 32), "the digest ignores member order, layout and members outside "
               "the statement (seconds, producer)");
        TAP_OK(memcmp(da, dc, 32) != 0, "the digest changes with an entry of the point");
        json_decref(ja);
        json_decref(jb);
        json_decref(jc);
    }
}

/* Certificates of random instances through the checker. */
static void
test_certificates(flint_rand_t st, const char *path)
{
    long iter, iters = tap_iters(40), ok_fast = 0, ok_full = 0, used = 0, tried = 0;
    long caught_x = 0, caught_point = 0, nofast_full = 0, nofast_fast = 0, indep = 0;
    const char *cs[] = {"0,1", "1,1,1/2", "0,0,-3", "2,0,1/5,1", "0,1,0,0,1", "1,2,3"};
    for (iter = 0; iter < iters; iter++)
    {
        genrank_family_t fam = n_randint(st, 2) ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO;
        slong m = 1 + n_randint(st, 12), d = 1 + n_randint(st, 5), n = 1 + n_randint(st, 90), len;
        fmpq *c;
        genrank_prove_opts_t o;
        genrank_verify_opts_t vo;
        genrank_verify_info_t info;
        genrank_cert_t cert;
        genrank_err_t e;
        json_t *root, *X;
        char *text, *t2;
        ulong p;
        slong r, j, a, b, k;

        genrank_coeffs_parse(&c, &len, cs[n_randint(st, 6)], NULL);
        genrank_prove_opts_init(&o);
        o.seed = n_randlimb(st);
        o.trials = 1;
        o.method = (iter % 2 && genrank_have_blas()) ? GENRANK_METHOD_BLAS : GENRANK_METHOD_FLINT;
        o.prime_bits = o.method == GENRANK_METHOD_BLAS ? 10 + (int) n_randint(st, 11) : 0;
        genrank_cert_init(cert);
        if (genrank_prove(cert, fam, m, d, n, c, len, &o, &e) || genrank_cert_write(cert, path, &e))
        {
            TAP_DIAG("prove failed: %s", e.msg);
            genrank_cert_clear(cert);
            genrank_coeffs_free(c, len);
            continue;
        }
        tried++;
        text = slurp(path);
        genrank_verify_opts_init(&vo);
        vo.fast = 1;
        ok_fast += genrank_verify_string_opts(text, &vo, &info, &e) == 0;
        used += info.fast_used == 1 && info.fast_k == cert->fast_k && info.fast_bits >= 128;
        ok_full += genrank_verify_string(text, NULL, &e) == 0;

        /* independently: S built exactly from the instance, C from core */
        root = json_loads(text, 0, NULL);
        p = cert->prime;
        r = cert->rank;
        k = cert->fast_k;
        {
            uint8_t dig[32];
            ulong *C = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(ulong));
            nmod_mat_t S;
            fmpq_t q;
            int good = 1;
            fmpq_init(q);
            nmod_mat_init(S, FLINT_MAX(r, 1), FLINT_MAX(r, 1), p);
            for (a = 0; a < r; a++)
                for (b = 0; b < r; b++)
                {
                    naive_entry(q, cert->inst, cert->rows[a], cert->cols[b]);
                    nmod_mat_entry(S, a, b) = naive_reduce(q, p);
                }
            _genrank_statement_digest(dig, root, _genrank_rank_statement_keys());
            _genrank_challenge(C, k, r, p, dig);
            for (j = 0; j < k && good; j++)
                for (b = 0; b < r && good; b++)
                {
                    ulong s = 0;
                    for (a = 0; a < r; a++)
                        s = (s + naive_mulmod(cert->fast_X[j * r + a], nmod_mat_entry(S, a, b), p)) % p;
                    good = (s == C[j * r + b]);
                }
            indep += good && k >= 1;
            fmpq_clear(q);
            nmod_mat_clear(S);
            flint_free(C);
        }

        /* one entry of X changed: refused by both checks */
        X = json_object_get(json_object_get(root, "fast"), "X");
        if (r > 0)
        {
            json_t *row = json_array_get(X, n_randint(st, k)), *v;
            slong t = n_randint(st, r);
            json_int_t x = json_integer_value(json_array_get(row, t));
            v = json_integer((json_int_t) (((ulong) x + 1 + n_randint(st, p - 1)) % p));
            json_array_set_new(row, t, v);
            t2 = json_dumps(root, 0);
            caught_x += genrank_verify_string_opts(t2, &vo, NULL, &e) != 0
                        && genrank_verify_string(t2, NULL, &e) != 0;
            free(t2);
        }
        else
            caught_x++;
        json_decref(root);

        /* a point entry changed: the challenge changes, the fast check refuses */
        root = json_loads(text, 0, NULL);
        {
            json_t *B = json_object_get(root, "B"), *row = json_array_get(B, n_randint(st, n));
            slong l = n_randint(st, d);
            json_array_set_new(row, l, json_integer(json_integer_value(json_array_get(row, l)) + 1));
            t2 = json_dumps(root, 0);
            caught_point += r == 0 || genrank_verify_string_opts(t2, &vo, NULL, &e) != 0;
            free(t2);
        }
        json_decref(root);

        /* without the section: the full check still passes, --fast refuses */
        root = json_loads(text, 0, NULL);
        json_object_del(root, "fast");
        t2 = json_dumps(root, 0);
        nofast_full += genrank_verify_string(t2, NULL, &e) == 0;
        nofast_fast += genrank_verify_string_opts(t2, &vo, NULL, &e) != 0;
        free(t2);
        json_decref(root);

        free(text);
        genrank_cert_clear(cert);
        genrank_coeffs_free(c, len);
    }
    TAP_OK(tried == iters, "prove succeeded on every random instance (%ld of %ld)", tried, iters);
    TAP_OK(ok_fast == tried && used == tried, "verify --fast accepts every certificate and reports "
           "k and at least 128 bits (%ld, %ld of %ld)", ok_fast, used, tried);
    TAP_OK(ok_full == tried, "the full check accepts them, fast section included (%ld of %ld)",
           ok_full, tried);
    TAP_OK(indep == tried, "X^T S = C with S built exactly from the instance and C from the "
           "certificate's text (%ld of %ld)", indep, tried);
    TAP_OK(caught_x == tried, "an entry of X changed is refused by both checks (%ld of %ld)",
           caught_x, tried);
    TAP_OK(caught_point == tried, "an entry of B changed is refused by the fast check (%ld of %ld)",
           caught_point, tried);
    TAP_OK(nofast_full == tried && nofast_fast == tried, "without a fast section: the full check "
           "accepts, --fast refuses (%ld, %ld of %ld)", nofast_full, nofast_fast, tried);
}

int
main(void)
{
    flint_rand_t st;
    char path[] = "/tmp/genrank-t-fast-XXXXXX";
    int fd = mkstemp(path);
    flint_randinit(st);
    if (fd >= 0)
        close(fd);
    test_kernels(st);
    test_challenge_defs(st);
    test_certificates(st, path);
    unlink(path);
    flint_randclear(st);
    flint_cleanup();
    return tap_done();
}
