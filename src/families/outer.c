/* The families built on phi(A B^T) (hadamard, khatri-rao, the
   W-Jacobian): row l m + i of the matrix is the entrywise product of
   phi(A B^T)'s row i and B^T's row l, for l < factors (factors = 0: the
   row i of phi(A B^T) itself).  Rows modulo p for the prover's kernels,
   single entries in ball arithmetic and in double for the ball route and
   the floating-point comparison. */
#include <flint/nmod_poly.h>
#include <flint/ulong_extras.h>
#include <flint/nmod_vec.h>
#include <flint/thread_support.h>
#include <string.h>
#include "family.h"

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
            g[j] = _nmod_poly_evaluate_nmod(c, inst->len, g[j], mod);
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

/* One block's rows of G (and Ge) turned into the matrix's rows, split
   between FLINT's threads by rows of G: each part evaluates phi on its
   rows and hands them to the sink, which writes only the rows it is
   given (so the parts never touch the same memory). */
typedef struct {
    const genrank_instance_struct *inst;
    const nmod_mat_struct *G, *Ge, *Bt;
    const ulong *c;
    ulong qinv;
    nmod_t mod;
    slong factors, i0, parts;
    genrank_row_sink_t sink;
    void *ctx;
    int *bad;               /* one flag per part */
} block_job_t;

static void
block_part(slong t, void *arg)
{
    const block_job_t *J = arg;
    const genrank_instance_struct *inst = J->inst;
    slong rows = J->G->r, i, l, m = inst->m, n = inst->n;
    int bad = 0;
    for (i = rows * t / J->parts; i < rows * (t + 1) / J->parts; i++)
    {
        mp_limb_t *g = J->G->rows[i];
        if (genrank_phi_class(inst->phi) == GENRANK_CLASS_SIGN)
            bad |= sign_row(g, inst, J->i0 + i);
        else
            bad |= phi_row(g, J->Ge != NULL ? J->Ge->rows[i] : NULL, n, J->c, inst,
                           J->qinv, J->mod);
        if (J->factors == 0)
            J->sink(J->ctx, J->i0 + i, g, NULL, n);
        else
            for (l = 0; l < J->factors; l++)
                J->sink(J->ctx, l * m + J->i0 + i, g, J->Bt->rows[l], n);
    }
    J->bad[t] = bad;
}

/* Calls sink(ctx, row, h, b) for every row of the matrix modulo p: the
   row is h (factors = 0, b = NULL) or the entrywise product b * h (b the
   row l < factors of B^T), all residues in [0, p), from FLINT's threads
   at once (each row once, in no set order).  A B^T is formed in blocks
   of rows of A (nmod_mat_mul), so no second copy of the matrix is held:
   the extra memory is one block of at most GENRANK_BUILD_BLOCK entries. */
int
_genrank_outer_rows_mod(const genrank_instance_t inst, slong factors, nmod_t mod,
                        genrank_row_sink_t sink, void *ctx)
{
    slong m = inst->m, d = inst->d, n = inst->n, k, t, i0, bs;
    int named = (inst->phi != GENRANK_PHI_POLY), bad = 0;
    ulong *c = flint_malloc(FLINT_MAX(inst->len, 1) * sizeof(ulong)), qinv = 0;
    nmod_mat_t Bt, G, Bte, Ge;
    block_job_t J;
    int *flags;

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
    flags = flint_malloc(FLINT_MAX(flint_get_num_threads(), 1) * sizeof(int));
    J = (block_job_t) {.inst = inst, .Bt = Bt, .c = c, .qinv = qinv, .mod = mod,
                       .factors = factors, .sink = sink, .ctx = ctx, .bad = flags};
    for (i0 = 0; i0 < m; i0 += bs)
    {
        slong rows = FLINT_MIN(bs, m - i0);
        nmod_mat_init(G, rows, n, mod.n);
        gram_block(G, inst, i0, Bt);             /* inner products a_i . b_j */
        J.Ge = NULL;
        if (named)
        {
            nmod_mat_init(Ge, rows, n, mod.n - 1);
            gram_block(Ge, inst, i0, Bte);
            J.Ge = Ge;
        }
        J.G = G;
        J.i0 = i0;
        /* a part is worth a thread from about 2^16 entries of output */
        J.parts = FLINT_MAX(1, FLINT_MIN(flint_get_num_threads(),
                    FLINT_MIN(rows, (slong) ((double) rows * n * FLINT_MAX(factors, 1) / 65536.0))));
        if (J.parts < 2)
            block_part(0, &J);
        else
            flint_parallel_do(block_part, &J, J.parts, (int) J.parts, FLINT_PARALLEL_UNIFORM);
        for (t = 0; t < J.parts; t++)
            bad |= flags[t];
        nmod_mat_clear(G);
        if (named)
            nmod_mat_clear(Ge);
    }
    flint_free(flags);
    nmod_mat_clear(Bt);
    if (named)
        nmod_mat_clear(Bte);
    flint_free(c);
    return bad;
}

void
_genrank_outer_entry_arb(arb_t y, const genrank_instance_t inst, slong factors, slong row,
                         slong col, slong prec)
{
    fmpz_t u;
    arb_t x;
    slong m = inst->m;
    fmpz_init(u);
    arb_init(x);
    _genrank_inner(u, inst, row % m, col);
    arb_fmpz_div_fmpz(x, u, inst->q, prec);
    _genrank_phi_arb(y, inst->phi, x, prec);
    if (factors > 0)
        arb_mul_fmpz(y, y, inst->B + col * inst->d + row / m, prec);
    fmpz_clear(u);
    arb_clear(x);
}

double
_genrank_outer_entry_d(const genrank_instance_t inst, slong factors, slong row, slong col)
{
    slong l, m = inst->m;
    double x, y = 0;
    fmpz_t u;
    fmpz_init(u);
    _genrank_inner(u, inst, row % m, col);
    x = fmpz_get_d(u) / fmpz_get_d(inst->q);
    fmpz_clear(u);
    if (inst->phi != GENRANK_PHI_POLY)
        y = genrank_phi_double(inst->phi, x);
    else
        for (l = inst->len - 1; l >= 0; l--)
            y = y * x + fmpq_get_d(inst->coeffs + l);
    if (factors > 0)
        y *= fmpz_get_d(inst->B + col * inst->d + row / m);
    return y;
}
