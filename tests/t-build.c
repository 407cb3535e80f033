/* The prover's matrix modulo p against exact rational entries. */
#include <flint/nmod_mat.h>
#include <flint/fmpz_vec.h>
#include <flint/thread_support.h>
#include "genrank.h"
#include "naive.h"
#include "tap.h"

/* random coefficients: small rationals, some zero */
static fmpq *
random_coeffs(flint_rand_t st, slong *len)
{
    slong k;
    fmpq *c;
    *len = 1 + n_randint(st, 6);
    c = _fmpq_vec_init(*len);
    for (k = 0; k < *len; k++)
        if (n_randint(st, 3))
        {
            fmpz_set_si(fmpq_numref(c + k), (slong) n_randint(st, 41) - 20);
            fmpz_set_ui(fmpq_denref(c + k), 1 + n_randint(st, 12));
            fmpq_canonicalise(c + k);
        }
    return c;
}

int
main(void)
{
    flint_rand_t st;
    long iter, iters = tap_iters(400), bad = 0, checked = 0;
    flint_randinit(st);

    for (iter = 0; iter < iters; iter++)
    {
        genrank_family_t fam = n_randint(st, 2) ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO;
        slong m = 1 + n_randint(st, 6), d = 1 + n_randint(st, 5), n = 1 + n_randint(st, 8);
        slong len, i, j;
        fmpq *c = random_coeffs(st, &len);
        genrank_instance_t in;
        genrank_rng_t rng;
        ulong p;
        nmod_mat_t M;
        fmpq_t e;

        genrank_instance_init(in, fam, m, d, n, c, len);
        genrank_rng_seed(&rng, n_randlimb(st));
        genrank_instance_random_point(in, &rng, 1 + n_randint(st, 1000));
        do
            p = n_randprime(st, 2 + n_randint(st, 63), 1);
        while (genrank_prime_check(p, c, len, NULL) != 0);

        nmod_mat_init(M, genrank_instance_nrows(in), n, p);
        genrank_instance_matrix_nmod(M, in);
        fmpq_init(e);
        for (i = 0; i < M->r; i++)
            for (j = 0; j < n; j++)
            {
                naive_entry(e, in, i, j);
                checked++;
                if (naive_reduce(e, p) != nmod_mat_entry(M, i, j))
                {
                    bad++;
                    TAP_DIAG("%s m=%ld d=%ld n=%ld p=%lu entry (%ld,%ld) differs",
                             genrank_family_name(fam), (long) m, (long) d, (long) n, p, (long) i, (long) j);
                }
            }
        fmpq_clear(e);
        nmod_mat_clear(M);
        genrank_instance_clear(in);
        _fmpq_vec_clear(c, len);
    }
    TAP_OK(bad == 0, "matrix modulo p equals exact rational entries reduced (%ld entries, %ld instances)",
           checked, iters);

    /* the double layout holds integers congruent to the same entries */
    for (bad = 0, iter = 0; iter < iters; iter++)
    {
        genrank_family_t fam = n_randint(st, 2) ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO;
        slong m = 1 + n_randint(st, 6), d = 1 + n_randint(st, 5), n = 1 + n_randint(st, 8);
        slong len, i, j, rows;
        fmpq *c = random_coeffs(st, &len);
        genrank_instance_t in;
        genrank_rng_t rng;
        ulong p;
        double *D;
        fmpq_t e;

        genrank_instance_init(in, fam, m, d, n, c, len);
        genrank_rng_seed(&rng, n_randlimb(st));
        genrank_instance_random_point(in, &rng, 1 + n_randint(st, 1000));
        do
            p = n_randprime(st, 2 + n_randint(st, 24), 1);
        while (genrank_prime_check(p, c, len, NULL) != 0);
        rows = genrank_instance_nrows(in);
        D = flint_malloc(rows * (n + 2) * sizeof(double));
        genrank_instance_matrix_d(D, n + 2, in, p);
        fmpq_init(e);
        for (i = 0; i < rows; i++)
            for (j = 0; j < n; j++)
            {
                double x = D[i * (n + 2) + j];
                slong v = (slong) x;
                ulong u = (ulong) (((v % (slong) p) + (slong) p) % (slong) p);
                naive_entry(e, in, i, j);
                if (x != (double) v || u != naive_reduce(e, p)
                    || x > ((double) p / 2) * ((double) p / 2) || x < -((double) p / 2) * ((double) p / 2))
                    bad++;
            }
        fmpq_clear(e);
        flint_free(D);
        genrank_instance_clear(in);
        _fmpq_vec_clear(c, len);
    }
    TAP_OK(bad == 0, "the double layout is congruent to the exact entries, within (p/2)^2");

    /* the layouts built by several threads at once (blocks of rows split
       between FLINT's threads) against the nmod layout built by one */
    for (bad = 0, iter = 0; iter < tap_iters(12); iter++)
    {
        genrank_family_t fam = n_randint(st, 2) ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO;
        slong m = 20 + n_randint(st, 200), d = 1 + n_randint(st, 6), n = 300 + n_randint(st, 900);
        slong len, i, j, rows;
        int threads = 2 + n_randint(st, 2), small = n_randint(st, 2);
        fmpq *c = random_coeffs(st, &len);
        genrank_instance_t in;
        genrank_rng_t rng;
        nmod_mat_t M;
        double *D;
        uint16_t *H;
        ulong p;

        genrank_instance_init(in, fam, m, d, n, c, len);
        genrank_rng_seed(&rng, n_randlimb(st));
        genrank_instance_random_point(in, &rng, 1 + n_randint(st, 1000));
        do
            p = n_randprime(st, small ? 2 + n_randint(st, 15) : 17 + n_randint(st, 8), 1);
        while (genrank_prime_check(p, c, len, NULL) != 0);
        rows = genrank_instance_nrows(in);
        nmod_mat_init(M, rows, n, p);
        flint_set_num_threads(1);
        genrank_instance_matrix_nmod(M, in);
        flint_set_num_threads(threads);
        D = flint_malloc(rows * n * sizeof(double));
        H = flint_malloc(rows * n * sizeof(uint16_t));
        genrank_instance_matrix_d(D, n, in, p);
        if (small)
            genrank_instance_matrix_u16(H, n, in, p);
        for (i = 0; i < rows; i++)
            for (j = 0; j < n; j++)
            {
                slong v = (slong) D[i * n + j];
                ulong u = (ulong) (((v % (slong) p) + (slong) p) % (slong) p);
                if (u != nmod_mat_entry(M, i, j) || (small && H[i * n + j] != nmod_mat_entry(M, i, j)))
                    bad++;
            }
        if (bad)
            TAP_DIAG("%s m=%ld d=%ld n=%ld p=%lu threads=%d: %ld entries differ",
                     fam == GENRANK_HADAMARD ? "hadamard" : "khatri-rao", (long) m, (long) d,
                     (long) n, (unsigned long) p, threads, bad);
        flint_set_num_threads(1);
        flint_free(D);
        flint_free(H);
        nmod_mat_clear(M);
        genrank_instance_clear(in);
        _fmpq_vec_clear(c, len);
    }
    TAP_OK(bad == 0, "the double and 16-bit layouts built by 2-3 threads equal the nmod layout built by one");

    /* the point generator: entries stay in [-R, R] and both ends occur */
    {
        genrank_rng_t rng;
        long out = 0, lo = 0, hi = 0, k;
        genrank_instance_t in;
        fmpq one;
        fmpq_init(&one);
        fmpq_one(&one);
        genrank_instance_init(in, GENRANK_HADAMARD, 1000, 2, 1000, &one, 1);
        genrank_rng_seed(&rng, 42);
        genrank_instance_random_point(in, &rng, 3);
        for (k = 0; k < 2000; k++)
        {
            slong a = fmpz_get_si(in->A + k), b = fmpz_get_si(in->B + k);
            out += (a < -3 || a > 3) + (b < -3 || b > 3);
            lo += (a == -3) + (b == -3);
            hi += (a == 3) + (b == 3);
        }
        TAP_OK(out == 0 && lo > 400 && hi > 400, "point entries uniform in [-R, R] (R = 3: %ld at -3, %ld at 3)", lo, hi);
        genrank_instance_clear(in);
        fmpq_clear(&one);
    }
    /* SplitMix64 reference values (seed 0), from its published definition */
    {
        genrank_rng_t rng;
        genrank_rng_seed(&rng, 0);
        TAP_OK(genrank_rng_next(&rng) == UINT64_C(0xe220a8397b1dcdaf)
               && genrank_rng_next(&rng) == UINT64_C(0x6e789e6aa1b965f4),
               "SplitMix64 matches its reference output");
    }
    /* random primes: prime, of the requested size */
    {
        genrank_rng_t rng;
        long k, badp = 0;
        genrank_rng_seed(&rng, 7);
        for (k = 0; k < 300; k++)
        {
            int bits = 3 + (int) (k % 61);
            ulong q = genrank_random_prime(&rng, bits);
            if (!n_is_prime(q) || FLINT_BIT_COUNT(q) != (unsigned) bits)
                badp++;
        }
        TAP_OK(badp == 0, "random primes are prime and have the requested bit length");
    }
    flint_randclear(st);
    return tap_done();
}
