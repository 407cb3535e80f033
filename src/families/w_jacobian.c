/* The W-Jacobian of a two-layer network with a bias (doc/capacity.md):
   diag(v0) psi'(W0^T X + b0 1^T) (.) X at v0 = 1, as an instance whose
   B has a last column of ones (the bias enters the argument a_k . b_i,
   not the product).  For d columns of B (d - 1 features): m (d - 1) x n,
   entry (l m + k, i) = B[i][l] psi'(a_k . b_i / q) for l < d - 1.  Only
   genrank capacity builds it; it has no published rank formula. */
#include "family.h"

static slong
nrows(slong m, slong d)
{
    return d < 2 ? -1 : m > WORD_MAX / (d - 1) ? -1 : m * (d - 1);
}

static int
rows_mod(const genrank_instance_t inst, nmod_t mod, genrank_row_sink_t sink, void *ctx)
{
    return _genrank_outer_rows_mod(inst, inst->d - 1, mod, sink, ctx);
}

static void
entry_arb(arb_t y, const genrank_instance_t inst, slong row, slong col, slong prec)
{
    _genrank_outer_entry_arb(y, inst, inst->d - 1, row, col, prec);
}

static double
entry_d(const genrank_instance_t inst, slong row, slong col)
{
    return _genrank_outer_entry_d(inst, inst->d - 1, row, col);
}

static slong
degree(slong K)
{
    return 2 * K + 1;
}

/* Its rank is bounded by genrank capacity's own arguments (doc/capacity.md),
   not by a published formula. */
static int
formula(genrank_formula_t f, const genrank_spec_t *spec, genrank_err_t *err)
{
    return genrank_err_set(err, GENRANK_EINVAL,
        "the w-jacobian family has no published rank formula (genrank capacity certifies it)");
}

const genrank_family_ops_t _genrank_family_w_jacobian = {
    "w-jacobian", GENRANK_W_JACOBIAN, 0, nrows, rows_mod, entry_arb, entry_d, degree, 1, formula
};
