/* The Khatri-Rao family: K = B^T (Khatri-Rao) phi(A B^T), md x n, entry
   (l m + i, j) = B[j][l] phi(a_i . b_j): the Jacobian of a two-layer
   network (Theorems 4.2, 4.3, 4.5 of Madden & Thrampoulidis). */
#include "family.h"

static slong
nrows(slong m, slong d)
{
    return m > WORD_MAX / d ? -1 : m * d;
}

static int
rows_mod(const genrank_instance_t inst, nmod_t mod, genrank_row_sink_t sink, void *ctx)
{
    return _genrank_outer_rows_mod(inst, inst->d, mod, sink, ctx);
}

static void
entry_arb(arb_t y, const genrank_instance_t inst, slong row, slong col, slong prec)
{
    _genrank_outer_entry_arb(y, inst, inst->d, row, col, prec);
}

static double
entry_d(const genrank_instance_t inst, slong row, slong col)
{
    return _genrank_outer_entry_d(inst, inst->d, row, col);
}

/* B[j][l] phi(a . b) has degree 2K + 1 */
static slong
degree(slong K)
{
    return 2 * K + 1;
}

const genrank_family_ops_t _genrank_family_khatri_rao = {
    "khatri-rao", GENRANK_KHATRI_RAO, 1, nrows, rows_mod, entry_arb, entry_d, degree, 1,
    _genrank_family_formula
};
