/* The exact rank of a user's matrix (genrank rank): the lower bound is a
   nonzero r x r minor modulo a random 62-bit prime; the upper bound, when
   asked, an integer basis N of the smaller kernel (right: M N = 0, or
   left: N^T M = 0) with a nonzero minor of N modulo a prime, so that N has
   k = (columns or rows) - r independent vectors and rank M <= r.  The
   kernel is FLINT's fmpz_mat_nullspace of the matrix scaled to integers
   by rows (right) or columns (left), which leaves each kernel unchanged.
   When that basis would be too large, the upper bound is the rank modulo
   primes drawn from the matrix's digest, with the error bound of
   core/hashprime.c; those primes then give the lower bound's minor too. */
#include <math.h>
#include <string.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpq_vec.h>
#include <flint/nmod_mat.h>
#include "genrank.h"
#include "internal.h"

#define PRIME_TRIES 8
/* A kernel basis whose entries would average more digits than this is
   not computed (fraction-free elimination then takes hours): the
   probabilistic bound is used instead. */
#define KERNEL_ENTRY_DIGITS 50000.0

void
genrank_matrix_opts_init(genrank_matrix_opts_t *opts)
{
    opts->seed = 1;
    opts->exact = 0;
    opts->max_kernel_bytes = 0;
    opts->upper = GENRANK_UPPER_AUTO;
}

void
genrank_matrix_rank_init(genrank_matrix_rank_t res)
{
    memset(res, 0, sizeof(genrank_matrix_rank_struct));
}

void
genrank_matrix_rank_clear(genrank_matrix_rank_t res)
{
    flint_free(res->rows);
    flint_free(res->cols);
    flint_free(res->nsel);
    if (res->N != NULL)
        _fmpz_vec_clear(res->N, res->k * res->len);
    memset(res, 0, sizeof(genrank_matrix_rank_struct));
}

/* 1 when p divides no denominator of M. */
static int
prime_fits(const genrank_matrix_t M, ulong p)
{
    slong i;
    for (i = 0; i < M->r * M->c; i++)
        if (!fmpz_is_one(fmpq_denref(M->x + i)) && fmpz_fdiv_ui(fmpq_denref(M->x + i), p) == 0)
            return 0;
    return 1;
}

/* The rank of M modulo p with a witness minor, into res when larger;
   returns that rank. */
static slong
rank_mod(genrank_matrix_rank_t res, const genrank_matrix_t M, ulong p)
{
    nmod_mat_t A;
    slong i, j, r, *rows = flint_malloc(FLINT_MAX(M->r, 1) * sizeof(slong));
    slong *cols = flint_malloc(FLINT_MAX(M->c, 1) * sizeof(slong));
    ulong det;
    nmod_mat_init(A, M->r, M->c, p);
    for (i = 0; i < M->r; i++)
        for (j = 0; j < M->c; j++)
        {
            const fmpq *x = M->x + i * M->c + j;
            ulong num = fmpz_fdiv_ui(fmpq_numref(x), p), den = fmpz_fdiv_ui(fmpq_denref(x), p);
            nmod_mat_entry(A, i, j) = nmod_mul(num, n_invmod(den, p), A->mod);
        }
    r = genrank_nmod_mat_rank_witness(rows, cols, &det, A);
    nmod_mat_clear(A);
    if (r > res->rank || res->p == 0)
    {
        flint_free(res->rows);
        flint_free(res->cols);
        res->rank = r;
        res->p = p;
        res->det = det;
        res->rows = rows;
        res->cols = cols;
    }
    else
    {
        flint_free(rows);
        flint_free(cols);
    }
    return r;
}

/* A prime for M (dividing no denominator). */
static ulong
next_prime(genrank_rng_t *rng, const genrank_matrix_t M)
{
    ulong p;
    do
        p = genrank_random_prime(rng, 62);
    while (!prime_fits(M, p));
    return p;
}

/* Z = M scaled to integers: by rows (each row times the lcm of its
   denominators) for the right kernel, or by columns, transposed, for the
   left one; either way ker Z is the kernel sought. */
static void
integer_matrix(fmpz_mat_t Z, const genrank_matrix_t M, int left)
{
    slong a, na = left ? M->c : M->r, nb = left ? M->r : M->c;
    fmpz_t den;
    fmpz_init(den);
    fmpz_mat_init(Z, na, nb);
    for (a = 0; a < na; a++)
        _genrank_qline_integers(Z->rows[a], den, M->x + (left ? a : a * M->c), nb, left ? M->c : 1);
    fmpz_clear(den);
}

/* The kernel certificate's size in bytes, estimated from Hadamard's bound:
   an entry of a basis from fraction-free elimination is an r x r minor,
   of at most r (b + log2(r) / 2) bits for entries of b bits. */
static double
kernel_bytes(const fmpz_mat_t Z, slong r, slong k)
{
    slong i, j, b = 1;
    for (i = 0; i < fmpz_mat_nrows(Z); i++)
        for (j = 0; j < fmpz_mat_ncols(Z); j++)
            b = FLINT_MAX(b, (slong) fmpz_bits(fmpz_mat_entry(Z, i, j)));
    return (double) k * (double) fmpz_mat_ncols(Z)
           * ((double) r * ((double) b + 0.5 * log2((double) r + 1)) * 0.30103 + 4.0);
}

/* N's full column rank: a nonzero k x k minor modulo a prime. */
static void
kernel_witness(genrank_matrix_rank_t res, genrank_rng_t *rng)
{
    slong t, i, *rows = flint_malloc(FLINT_MAX(res->k, 1) * sizeof(slong));
    res->nsel = flint_malloc(FLINT_MAX(res->k, 1) * sizeof(slong));
    for (;;)
    {
        nmod_mat_t A;
        slong r;
        res->np = genrank_random_prime(rng, 62);
        nmod_mat_init(A, res->k, res->len, res->np);
        for (t = 0; t < res->k; t++)
            for (i = 0; i < res->len; i++)
                nmod_mat_entry(A, t, i) = fmpz_fdiv_ui(res->N + t * res->len + i, res->np);
        r = genrank_nmod_mat_rank_witness(rows, res->nsel, &res->ndet, A);
        nmod_mat_clear(A);
        if (r == res->k)
            break;
    }
    flint_free(rows);
}

/* The upper bound: the kernel basis and its witness; or res->why and 0
   with res->exact unset when its estimated size is above the limit. */
static int
kernel_certificate(genrank_matrix_rank_t res, const genrank_matrix_t M,
                   const genrank_matrix_opts_t *opts, genrank_rng_t *rng, genrank_err_t *err)
{
    fmpz_mat_t Z, N;
    slong kr = M->c - res->rank, kl = M->r - res->rank, nullity, t, i, tries;
    double limit = opts->max_kernel_bytes > 0 ? opts->max_kernel_bytes
                   : FLINT_MIN(1073741824.0, 0.25 * (double) genrank_memory_available());
    char b1[32], b2[32];
    double zbytes = 0;
    res->left = ((double) kl * (double) M->r < (double) kr * (double) M->c);
    for (t = 0; t < (res->left ? M->c : M->r); t++)
        zbytes += _genrank_qline_bytes(M->x + (res->left ? t : t * M->c), res->left ? M->r : M->c,
                                       res->left ? M->c : 1);
    if (zbytes > limit)
    {
        snprintf(res->why, sizeof res->why, "the matrix scaled to integers would take up to %s, "
                 "above the limit of %s (--max-kernel-size)", _genrank_bytes_str(b1, zbytes),
                 _genrank_bytes_str(b2, limit));
        return 0;
    }
    integer_matrix(Z, M, res->left);
    res->kernel_bytes = kernel_bytes(Z, res->rank, res->left ? kl : kr);
    if (res->kernel_bytes > limit || res->kernel_bytes > KERNEL_ENTRY_DIGITS * (double) (res->left ? kl : kr)
                                                         * (double) fmpz_mat_ncols(Z))
    {
        if (res->kernel_bytes > limit)
            snprintf(res->why, sizeof res->why, "a kernel certificate would take about %s, above the "
                     "limit of %s (--max-kernel-size)", _genrank_bytes_str(b1, res->kernel_bytes),
                     _genrank_bytes_str(b2, limit));
        else
            snprintf(res->why, sizeof res->why, "a kernel basis's entries would have about %.0f digits "
                     "each, above the %.0f that elimination reaches in reasonable time",
                     res->kernel_bytes / ((double) (res->left ? kl : kr) * (double) fmpz_mat_ncols(Z)),
                     KERNEL_ENTRY_DIGITS);
        fmpz_mat_clear(Z);
        return 0;
    }
    fmpz_mat_init(N, fmpz_mat_ncols(Z), fmpz_mat_ncols(Z));
    nullity = fmpz_mat_nullspace(N, Z);
    /* rank over Q = ncols - nullity >= the rank modulo p; a prime that
       lowered the rank is replaced (each does so with tiny probability) */
    for (tries = 0; tries < PRIME_TRIES && fmpz_mat_ncols(Z) - nullity > res->rank; tries++)
        rank_mod(res, M, next_prime(rng, M));
    if (fmpz_mat_ncols(Z) - nullity != res->rank)
    {
        fmpz_mat_clear(N);
        fmpz_mat_clear(Z);
        return genrank_err_set(err, GENRANK_EINVAL, "the rank over Q is %ld but no prime tried "
                               "showed it (best %ld)", (long) (fmpz_mat_ncols(Z) - nullity), (long) res->rank);
    }
    res->k = nullity;
    res->len = fmpz_mat_ncols(Z);
    res->N = _fmpz_vec_init(FLINT_MAX(res->k * res->len, 1));
    for (t = 0; t < res->k; t++)
    {
        fmpz_t g;
        fmpz_init(g);
        for (i = 0; i < res->len; i++)
            fmpz_set(res->N + t * res->len + i, fmpz_mat_entry(N, i, t));
        _fmpz_vec_content(g, res->N + t * res->len, res->len);   /* primitive vectors */
        if (!fmpz_is_zero(g) && !fmpz_is_one(g))
            _fmpz_vec_scalar_divexact_fmpz(res->N + t * res->len, res->N + t * res->len, res->len, g);
        fmpz_clear(g);
    }
    fmpz_mat_clear(N);
    fmpz_mat_clear(Z);
    kernel_witness(res, rng);
    res->exact = 1;
    return 0;
}

/* Full rank: rank <= min(rows, cols) needs no certificate (an empty
   kernel basis on the smaller side). */
static void
full_rank(genrank_matrix_rank_t res, const genrank_matrix_t M)
{
    res->left = M->r < M->c;
    res->k = 0;
    res->len = res->left ? M->r : M->c;
    res->exact = 1;
    res->probabilistic = 0;
    res->nsel = flint_malloc(sizeof(slong));
    res->np = res->p;
    res->ndet = 1;
}

/* The primes drawn from the matrix's digest (core/hashprime.c). */
typedef struct {
    uint8_t dig[32];
    uint64_t counter;
} hash_state_t;

/* The next such prime's rank, into res (and the lower bound when larger). */
static void
hash_rank(genrank_matrix_rank_t res, const genrank_matrix_t M, hash_state_t *h)
{
    res->hp[res->nh] = _genrank_hash_prime(h->dig, &h->counter, M->x, M->r, M->c);
    res->hr[res->nh] = rank_mod(res, M, res->hp[res->nh]);
    res->nh++;
}

/* The probabilistic upper bound: the rank modulo primes drawn from the
   matrix's digest, as many as the error target needs for the best rank
   found.  Each elimination's witness also competes for the lower bound,
   so the bound is for the rank reported (every prime's rank is at most
   it). */
static int
hash_bound(genrank_matrix_rank_t res, const genrank_matrix_t M, hash_state_t *h, genrank_err_t *err)
{
    slong K, ex, bits;
    for (;;)
    {
        if (res->nh == 0)
            hash_rank(res, M, h);
        if (res->rank == FLINT_MIN(M->r, M->c))
        {
            full_rank(res, M);   /* a later prime showed full rank */
            return 0;
        }
        bits = _genrank_hash_error_bits(&res->minor_bits, &K, &ex, M->x, M->r, M->c, res->rank, res->nh);
        if (bits == -2)
            return genrank_err_set(err, GENRANK_EINVAL, "the denominators have too many large "
                                   "prime factors for the probabilistic bound");
        if (bits == -1 || bits >= GENRANK_HASH_TARGET_BITS)
        {
            res->error_bits = bits;
            res->exact = res->probabilistic = 1;
            return 0;
        }
        if (res->nh == GENRANK_HASH_MAX_PRIMES)
            return genrank_err_set(err, GENRANK_EINVAL, "%d primes did not reach an error bound "
                                   "of 2^-%d", GENRANK_HASH_MAX_PRIMES, GENRANK_HASH_TARGET_BITS);
        hash_rank(res, M, h);
    }
}

int
genrank_matrix_rank(genrank_matrix_rank_t res, const genrank_matrix_t M,
                    const genrank_matrix_opts_t *opts, genrank_err_t *err)
{
    genrank_rng_t rng;
    hash_state_t h;
    slong i;
    double t0 = _genrank_seconds(), bytes;
    int rc = 0;
    genrank_matrix_rank_clear(res);
    if (M->r < 1 || M->c < 1)
        return genrank_err_set(err, GENRANK_EINVAL, "the matrix is empty");
    bytes = 8.0 * (double) M->r * (double) M->c * 2.0;
    if (bytes > 0.5 * (double) genrank_memory_available())
        return genrank_err_set(err, GENRANK_ENOMEM, "the %ld x %ld matrix modulo p needs more than "
                               "half the memory available", (long) M->r, (long) M->c);
    genrank_rng_seed(&rng, opts->seed);
    res->rank = -1;
    res->error_bits = -1;
    if (opts->exact && opts->upper != GENRANK_UPPER_KERNEL)
    {
        /* the first prime from the digest gives the lower bound, and
           counts for the probabilistic bound if the kernel does not fit */
        _genrank_qmat_digest(h.dig, M->x, M->r, M->c);
        for (i = 0; i < 32; i++)
            snprintf(res->digest + 2 * i, 3, "%02x", h.dig[i]);
        h.counter = 0;
        hash_rank(res, M, &h);
    }
    else
    {
        /* two primes: a prime that lowers the rank is rare, two in a row rarer */
        rank_mod(res, M, next_prime(&rng, M));
        rank_mod(res, M, next_prime(&rng, M));
    }
    if (opts->exact && res->rank == FLINT_MIN(M->r, M->c))
        full_rank(res, M);
    else if (opts->exact && opts->upper == GENRANK_UPPER_PROBABILISTIC)
        rc = hash_bound(res, M, &h, err);
    else if (opts->exact)
    {
        rc = kernel_certificate(res, M, opts, &rng, err);
        if (rc == 0 && !res->exact && opts->upper == GENRANK_UPPER_AUTO)
            rc = hash_bound(res, M, &h, err);
    }
    res->seconds = _genrank_seconds() - t0;
    return rc;
}
