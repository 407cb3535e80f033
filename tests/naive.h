/* Reference computations for the tests, written independently of the
   library: schoolbook Gaussian elimination modulo p on a plain array,
   and the family's entries in exact rational arithmetic. */
#ifndef GENRANK_NAIVE_H
#define GENRANK_NAIVE_H
#include <string.h>
#include <flint/ulong_extras.h>
#include <flint/fmpq.h>
#include <flint/nmod_mat.h>
#include "genrank.h"

static inline ulong
naive_mulmod(ulong a, ulong b, ulong p)
{
    return (ulong) (((unsigned __int128) a * b) % p);
}

static inline ulong
naive_powmod(ulong a, ulong e, ulong p)
{
    ulong r = 1 % p;
    while (e)
    {
        if (e & 1)
            r = naive_mulmod(r, a, p);
        a = naive_mulmod(a, a, p);
        e >>= 1;
    }
    return r;
}

/* Rank of the rows x cols array a (destroyed) modulo prime p; if det is
   not NULL and the array is square, *det receives its determinant. */
static inline long
naive_rank(ulong *a, long rows, long cols, ulong p, ulong *det)
{
    long r = 0, c, i, j;
    ulong dv = 1;
    for (c = 0; c < cols && r < rows; c++)
    {
        long piv = -1;
        for (i = r; i < rows; i++)
            if (a[i * cols + c] != 0) { piv = i; break; }
        if (piv < 0) { dv = 0; continue; }
        if (piv != r)
        {
            for (j = 0; j < cols; j++)
            {
                ulong t = a[r * cols + j];
                a[r * cols + j] = a[piv * cols + j];
                a[piv * cols + j] = t;
            }
            dv = (p - dv) % p;
        }
        dv = naive_mulmod(dv, a[r * cols + c], p);
        {
            ulong inv = naive_powmod(a[r * cols + c], p - 2, p);
            for (i = r + 1; i < rows; i++)
            {
                ulong f = naive_mulmod(a[i * cols + c], inv, p);
                if (f == 0)
                    continue;
                for (j = c; j < cols; j++)
                    a[i * cols + j] = (ulong) (((unsigned __int128) a[i * cols + j] + p - naive_mulmod(f, a[r * cols + j], p)) % p);
            }
        }
        r++;
    }
    if (det)
        *det = (rows == cols && r == rows) ? dv : 0;
    return r;
}

/* Entry (row, col) of the family's matrix at the instance's point, exactly. */
static inline void
naive_entry(fmpq_t res, const genrank_instance_t in, long row, long col)
{
    long i = row % in->m, ell = row / in->m, l, k;
    fmpq_t x, pw, t;
    fmpq_init(x); fmpq_init(pw); fmpq_init(t);
    for (l = 0; l < in->d; l++)
    {
        fmpz_mul(fmpq_numref(t), in->A + i * in->d + l, in->B + col * in->d + l);
        fmpz_one(fmpq_denref(t));
        fmpq_add(x, x, t);
    }
    fmpq_zero(res);
    fmpq_one(pw);              /* 0^0 = 1 */
    for (k = 0; k < in->len; k++)
    {
        fmpq_mul(t, in->coeffs + k, pw);
        fmpq_add(res, res, t);
        fmpq_mul(pw, pw, x);
    }
    if (in->family == GENRANK_KHATRI_RAO)
    {
        fmpz_set(fmpq_numref(t), in->B + col * in->d + ell);
        fmpz_one(fmpq_denref(t));
        fmpq_mul(res, res, t);
    }
    fmpq_clear(x); fmpq_clear(pw); fmpq_clear(t);
}

/* An exact rational reduced modulo p (p must not divide the denominator). */
static inline ulong
naive_reduce(const fmpq_t q, ulong p)
{
    ulong a = fmpz_fdiv_ui(fmpq_numref(q), p), b = fmpz_fdiv_ui(fmpq_denref(q), p);
    return naive_mulmod(a, naive_powmod(b, p - 2, p), p);
}
/* A random rows x cols matrix modulo p of one of several kinds: dense,
   zero, low rank (a product), with zero rows or columns, duplicated
   columns, or mostly zero. */
static inline void
test_random_matrix(nmod_mat_t M, flint_rand_t st)
{
    slong rows = M->r, cols = M->c, i, j, kind = n_randint(st, 7);
    slong target = n_randint(st, FLINT_MIN(rows, cols) + 2);
    nmod_mat_t X, Y;
    if (kind == 0)
    {
        nmod_mat_randtest(M, st);
        return;
    }
    if (kind == 1)
    {
        nmod_mat_zero(M);
        return;
    }
    nmod_mat_init(X, rows, target, M->mod.n);
    nmod_mat_init(Y, target, cols, M->mod.n);
    nmod_mat_randtest(X, st);
    nmod_mat_randtest(Y, st);
    if (target > 0)
        nmod_mat_mul(M, X, Y);          /* rank <= target */
    else
        nmod_mat_zero(M);
    nmod_mat_clear(X);
    nmod_mat_clear(Y);
    if (kind == 3)                      /* zero rows */
        for (i = 0; i < rows; i += 1 + n_randint(st, 4))
            for (j = 0; j < cols; j++)
                nmod_mat_entry(M, i, j) = 0;
    if (kind == 4)                      /* zero columns */
        for (j = 0; j < cols; j += 1 + n_randint(st, 4))
            for (i = 0; i < rows; i++)
                nmod_mat_entry(M, i, j) = 0;
    if (kind == 5 && cols > 1)          /* duplicated columns */
        for (j = 1; j < cols; j += 2)
            for (i = 0; i < rows; i++)
                nmod_mat_entry(M, i, j) = nmod_mat_entry(M, i, j - 1);
    if (kind == 6)                      /* sparse: most entries zero */
        for (i = 0; i < rows; i++)
            for (j = 0; j < cols; j++)
                if (n_randint(st, 8))
                    nmod_mat_entry(M, i, j) = 0;
}


/* Random instances (either family, random sizes and coefficients) whose
   rank modulo a random prime of the given bits FLINT and `method` must
   agree on, with a nonzero witness determinant; the number that do not. */
static inline long
test_methods_agree(flint_rand_t st, int method, int prime_bits, long iters)
{
    long bad = 0, k;
    for (k = 0; k < iters; k++)
    {
        genrank_family_t fam = n_randint(st, 2) ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO;
        slong m = 1 + n_randint(st, 40), d = 1 + n_randint(st, 8), n = 1 + n_randint(st, 260), len;
        fmpq *c;
        genrank_instance_t in;
        genrank_rng_t rng;
        slong mx, r1, r2, *a1, *b1, *a2, *b2;
        ulong p = n_randprime(st, prime_bits, 1), d1, d2;
        genrank_coeffs_parse(&c, &len, n_randint(st, 2) ? "1,1,1/2,1/6" : "0,0,-2", NULL);
        genrank_instance_init(in, fam, m, d, n, c, len);
        genrank_rng_seed(&rng, n_randlimb(st));
        genrank_instance_random_point(in, &rng, 1000);
        mx = FLINT_MIN(genrank_instance_nrows(in), n);
        a1 = flint_malloc(mx * sizeof(slong)); b1 = flint_malloc(mx * sizeof(slong));
        a2 = flint_malloc(mx * sizeof(slong)); b2 = flint_malloc(mx * sizeof(slong));
        r1 = genrank_instance_rank_witness(a1, b1, &d1, in, p, GENRANK_METHOD_FLINT);
        r2 = genrank_instance_rank_witness(a2, b2, &d2, in, p, method);
        bad += (r1 != r2 || (r2 >= 0 && d2 == 0));
        flint_free(a1); flint_free(b1); flint_free(a2); flint_free(b2);
        genrank_instance_clear(in);
        genrank_coeffs_free(c, len);
    }
    return bad;
}

#endif
