/* The Hadamard family: H = phi(A B^T), m x n, entry (i, j) = phi(a_i . b_j)
   (Theorems 3.1, 3.2, 4.4 of Madden & Thrampoulidis). */
#include "family.h"

static slong
nrows(slong m, slong d)
{
    return m;
}

static int
rows_mod(const genrank_instance_t inst, nmod_t mod, genrank_row_sink_t sink, void *ctx)
{
    return _genrank_outer_rows_mod(inst, 0, mod, sink, ctx);
}

static void
entry_arb(arb_t y, const genrank_instance_t inst, slong row, slong col, slong prec)
{
    _genrank_outer_entry_arb(y, inst, 0, row, col, prec);
}

static double
entry_d(const genrank_instance_t inst, slong row, slong col)
{
    return _genrank_outer_entry_d(inst, 0, row, col);
}

/* phi(a . b) has degree 2K in the point's coordinates */
static slong
degree(slong K)
{
    return 2 * K;
}

const genrank_family_ops_t _genrank_family_hadamard = {
    "hadamard", GENRANK_HADAMARD, 1, nrows, rows_mod, entry_arb, entry_d, degree, 0,
    _genrank_family_formula
};
