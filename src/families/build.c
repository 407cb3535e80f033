#define GENRANK_BUILD_BLOCK (WORD(1) << 22)

/* The prover's matrix: the family's matrix at an integer point,
   reduced modulo a word-size prime. */
#include <flint/ulong_extras.h>
#include <flint/nmod_vec.h>
#include <string.h>
#include "genrank.h"
#include "internal.h"

int
genrank_prime_check(ulong p, const fmpq *coeffs, slong len, genrank_err_t *err)
{
    slong k;
    if (p < 2 || !n_is_prime(p))
        return genrank_err_set(err, GENRANK_EINVAL, "%lu is not a prime", (unsigned long) p);
    for (k = 0; k < len; k++)
        if (fmpz_fdiv_ui(fmpq_denref(coeffs + k), p) == 0)
            return genrank_err_set(err, GENRANK_EINVAL,
                "prime %lu divides the denominator of coefficient c%ld; choose another prime",
                (unsigned long) p, (long) k);
    return 0;
}

static size_t
sat_mul(size_t a, size_t b)
{
    return (b != 0 && a > SIZE_MAX / b) ? SIZE_MAX : a * b;
}

static size_t
sat_add(size_t a, size_t b)
{
    return (a > SIZE_MAX - b) ? SIZE_MAX : a + b;
}

size_t
genrank_prove_memory(const genrank_instance_t inst)
{
    size_t w = sizeof(mp_limb_t);
    size_t rows = (size_t) genrank_instance_nrows(inst), n = (size_t) inst->n;
    size_t m = (size_t) inst->m, d = (size_t) inst->d;
    size_t block = FLINT_MAX(1, FLINT_MIN(m, GENRANK_BUILD_BLOCK / n)) * n;
    size_t bytes = sat_mul(sat_mul(rows, n), w);           /* the matrix */
    bytes = sat_add(bytes, sat_mul(rows, sizeof(mp_limb_t *)));
    bytes = sat_add(bytes, sat_mul(sat_add(block, n), w)); /* inner products, a row */
    bytes = sat_add(bytes, sat_mul(sat_mul(sat_add(m, n), d), w)); /* A, B mod p */
    bytes = sat_add(bytes, sat_mul(sat_mul(sat_add(m, n), d), sizeof(fmpz)));
    bytes = sat_add(bytes, sat_mul(sat_add(rows, 4 * n), sizeof(slong))); /* pivots */
    return bytes;
}

/* phi(x) mod p by Horner, c holding c_0..c_K mod p. */
static ulong
poly_eval(const ulong *c, slong len, ulong x, nmod_t mod)
{
    ulong r = 0;
    slong k;
    for (k = len - 1; k >= 0; k--)
        r = nmod_add(nmod_mul(r, x, mod), c[k], mod);
    return r;
}

/* Calls sink(ctx, row, h, b) for every row of the family's matrix modulo
   p: the row is h (hadamard, b = NULL) or the entrywise product b * h
   (khatri-rao, b the row l of B^T), all residues in [0, p).  A B^T is formed in blocks
   of rows of A (nmod_mat_mul), so no second copy of the matrix is held:
   the extra memory is one block of at most GENRANK_BUILD_BLOCK entries. */
typedef void (*row_sink_t)(void *ctx, slong row, const mp_limb_t *h,
                           const mp_limb_t *b, slong n);

/* The values phi(G[j]) of one row modulo p, in place.  Polynomial phi:
   Horner.  Named phi (exact route): G holds u = a_i.b_j modulo p and E
   the same inner products modulo p - 1, so that x = u / q and T = t0^u
   (t0^(p-1) = 1).  Returns 0, or 1 when some denominator of phi
   vanishes modulo p (the row is then unusable). */
static int
phi_row(mp_limb_t *g, const mp_limb_t *E, slong n, const ulong *c,
        const genrank_instance_t inst, ulong qinv, nmod_t mod)
{
    slong j;
    int bad = 0;
    if (inst->phi == GENRANK_PHI_POLY)
    {
        for (j = 0; j < n; j++)
            g[j] = poly_eval(c, inst->len, g[j], mod);
        return 0;
    }
    for (j = 0; j < n; j++)
    {
        ulong x = nmod_mul(g[j], qinv, mod), T = 0, y = 0;
        if (genrank_phi_class(inst->phi) != GENRANK_CLASS_RATIONAL)
            T = n_powmod2_ui_preinv(inst->t0, E[j], mod.n, mod.ninv);
        if (!_genrank_phi_nmod(&y, inst->phi, x, T, inst->i0, mod))
            bad = 1;
        g[j] = y;
    }
    return bad;
}

/* The step 1[x > 0] on row i, from the signs of the exact inner products
   a_i . b_j (the residues cannot tell the sign).  Returns 1 when some
   argument is 0, where the step has no derivative to stand for. */
static int
sign_row(mp_limb_t *g, const genrank_instance_t inst, slong i)
{
    slong j;
    int bad = 0;
    fmpz_t u;
    fmpz_init(u);
    for (j = 0; j < inst->n; j++)
    {
        _genrank_inner(u, inst, i, j);
        g[j] = (fmpz_sgn(u) > 0);
        bad |= fmpz_is_zero(u);
    }
    fmpz_clear(u);
    return bad;
}

/* Bt = B^T reduced modulo Bt's modulus (Bt initialised d x n). */
static void
reduce_Bt(nmod_mat_t Bt, const genrank_instance_t inst)
{
    slong j, l, d = inst->d;
    for (j = 0; j < inst->n; j++)
        for (l = 0; l < d; l++)
            nmod_mat_entry(Bt, l, j) = fmpz_fdiv_ui(inst->B + j * d + l, Bt->mod.n);
}

/* G = (rows i0 .. i0 + rows - 1 of A) B^T modulo G's modulus, Bt as
   reduce_Bt made it (G initialised rows x n). */
static void
gram_block(nmod_mat_t G, const genrank_instance_t inst, slong i0, const nmod_mat_t Bt)
{
    slong i, l, d = inst->d, rows = G->r;
    nmod_mat_t Ab;
    nmod_mat_init(Ab, rows, d, G->mod.n);
    for (i = 0; i < rows; i++)
        for (l = 0; l < d; l++)
            nmod_mat_entry(Ab, i, l) = fmpz_fdiv_ui(inst->A + (i0 + i) * d + l, G->mod.n);
    nmod_mat_mul(G, Ab, Bt);
    nmod_mat_clear(Ab);
}

static int
build_rows(const genrank_instance_t inst, nmod_t mod, row_sink_t sink, void *ctx)
{
    slong m = inst->m, d = inst->d, n = inst->n, i, l, k, i0, bs;
    int named = (inst->phi != GENRANK_PHI_POLY), bad = 0;
    ulong *c = flint_malloc(FLINT_MAX(inst->len, 1) * sizeof(ulong)), qinv = 0;
    nmod_mat_t Bt, G, Bte, Ge;

    for (k = 0; k < inst->len; k++)
    {
        ulong num = fmpz_fdiv_ui(fmpq_numref(inst->coeffs + k), mod.n);
        ulong den = fmpz_fdiv_ui(fmpq_denref(inst->coeffs + k), mod.n);
        c[k] = nmod_mul(num, n_invmod(den, mod.n), mod);
    }
    nmod_mat_init(Bt, d, n, mod.n);
    reduce_Bt(Bt, inst);
    if (named)
    {
        /* the exponents: the same inner products modulo p - 1 */
        qinv = n_invmod(fmpz_fdiv_ui(inst->q, mod.n), mod.n);
        nmod_mat_init(Bte, d, n, mod.n - 1);
        reduce_Bt(Bte, inst);
    }

    bs = FLINT_MAX(1, FLINT_MIN(m, GENRANK_BUILD_BLOCK / n));
    for (i0 = 0; i0 < m; i0 += bs)
    {
        slong rows = FLINT_MIN(bs, m - i0);
        nmod_mat_init(G, rows, n, mod.n);
        gram_block(G, inst, i0, Bt);             /* inner products a_i . b_j */
        if (named)
        {
            nmod_mat_init(Ge, rows, n, mod.n - 1);
            gram_block(Ge, inst, i0, Bte);
        }
        for (i = 0; i < rows; i++)
        {
            mp_limb_t *g = G->rows[i];
            if (genrank_phi_class(inst->phi) == GENRANK_CLASS_SIGN)
                bad |= sign_row(g, inst, i0 + i);
            else
                bad |= phi_row(g, named ? Ge->rows[i] : NULL, n, c, inst, qinv, mod);
            if (inst->family == GENRANK_HADAMARD)
                sink(ctx, i0 + i, g, NULL, n);
            else
                for (l = 0; l < inst->kr; l++)
                    sink(ctx, l * m + i0 + i, g, Bt->rows[l], n);
        }
        nmod_mat_clear(G);
        if (named)
            nmod_mat_clear(Ge);
    }
    nmod_mat_clear(Bt);
    if (named)
        nmod_mat_clear(Bte);
    flint_free(c);
    return bad;
}

static void
sink_nmod(void *ctx, slong row, const mp_limb_t *h, const mp_limb_t *b, slong n)
{
    nmod_mat_struct *M = ctx;
    mp_limb_t *out = M->rows[row];
    slong j;
    if (b == NULL)
        memcpy(out, h, n * sizeof(mp_limb_t));
    else
        for (j = 0; j < n; j++)
            out[j] = nmod_mul(b[j], h[j], M->mod);
}

typedef struct { double *A; slong lda; ulong p; } dsink_t;

/* Centred residues; for khatri-rao the product of two centred residues,
   exact in a double while p < 2^26 and reduced by the kernel. */
static void
sink_double(void *ctx, slong row, const mp_limb_t *h, const mp_limb_t *b, slong n)
{
    dsink_t *s = ctx;
    double *out = s->A + row * s->lda, p = (double) s->p;
    ulong half = s->p / 2;
    slong j;
    for (j = 0; j < n; j++)
        out[j] = h[j] > half ? (double) h[j] - p : (double) h[j];
    if (b != NULL)
        for (j = 0; j < n; j++)
            out[j] *= b[j] > half ? (double) b[j] - p : (double) b[j];
}

int
genrank_instance_matrix_nmod(nmod_mat_t M, const genrank_instance_t inst)
{
    return build_rows(inst, M->mod, sink_nmod, M);
}

int
genrank_instance_matrix_d(double *A, slong lda, const genrank_instance_t inst, ulong p)
{
    dsink_t s;
    nmod_t mod;
    nmod_init(&mod, p);
    s.A = A;
    s.lda = lda;
    s.p = p;
    return build_rows(inst, mod, sink_double, &s);
}
