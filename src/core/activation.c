/* Activations of a two-layer network (doc/capacity.md): the names
   genrank capacity accepts, each with the phi that is its derivative, and
   the polynomial bound of the capacity formulas.  Shared by the prover and
   the checker. */
#include <stdio.h>
#include <string.h>
#include <flint/fmpz.h>
#include "genrank.h"

static const struct { const char *name; genrank_phi_t dpsi; } act_table[] = {
    {"relu", GENRANK_PHI_STEP},
    {"tanh", GENRANK_PHI_DTANH}, {"sigmoid", GENRANK_PHI_DSIGMOID},
    {"logistic", GENRANK_PHI_DSIGMOID}, {"softplus", GENRANK_PHI_SIGMOID},
    {"silu", GENRANK_PHI_DSILU}, {"swish", GENRANK_PHI_DSILU},
    {"gelu", GENRANK_PHI_DGELU}, {"exp", GENRANK_PHI_EXP},
    {"sinh", GENRANK_PHI_COSH}, {"cosh", GENRANK_PHI_SINH},
    {"sin", GENRANK_PHI_COS}, {"cos", GENRANK_PHI_DCOS},
    {"arctan", GENRANK_PHI_DARCTAN}, {"erf", GENRANK_PHI_DERF}
};

const char *
genrank_activation_names(void)
{
    return "relu, tanh, sigmoid, softplus, silu, gelu, exp, sinh, cosh, sin, cos, arctan, erf "
           "(and logistic, swish), or polynomial with coefficients";
}

int
genrank_activation_parse(genrank_activation_t act, const char *name, const char *coeffs,
                         genrank_err_t *err)
{
    size_t k;
    int rc;
    memset(act, 0, sizeof(genrank_activation_struct));
    if (!strcmp(name, "polynomial") || !strcmp(name, "poly"))
    {
        if (coeffs == NULL)
            return genrank_err_set(err, GENRANK_EINVAL,
                "a polynomial activation needs its coefficients (--coeffs c0,c1,...)");
        if ((rc = genrank_coeffs_parse(&act->coeffs, &act->len, coeffs, err)) != 0)
            return rc;
        if (genrank_coeffs_degree(act->coeffs, act->len) < 1)
        {
            genrank_activation_clear(act);
            return genrank_err_set(err, GENRANK_EINVAL,
                "a constant activation has derivative 0: its network is constant in W and "
                "fits no labels but constant ones");
        }
        act->kind = GENRANK_ACT_POLY;
        strcpy(act->name, "polynomial");
        return 0;
    }
    if (coeffs != NULL)
        return genrank_err_set(err, GENRANK_EINVAL,
            "coefficients go with the polynomial activation only");
    for (k = 0; k < sizeof act_table / sizeof act_table[0]; k++)
        if (!strcmp(name, act_table[k].name))
        {
            act->dpsi = act_table[k].dpsi;
            act->kind = (act->dpsi == GENRANK_PHI_STEP) ? GENRANK_ACT_RELU : GENRANK_ACT_NAMED;
            snprintf(act->name, sizeof act->name, "%s", name);
            return 0;
        }
    return genrank_err_set(err, GENRANK_EINVAL, "unknown activation '%.40s' (known: %s)",
                           name, genrank_activation_names());
}

void
genrank_activation_clear(genrank_activation_t act)
{
    if (act->coeffs != NULL)
        genrank_coeffs_free(act->coeffs, act->len);
    act->coeffs = NULL;
    act->len = 0;
}

/* ceil(a / b) for a >= 0, b >= 1 */
static slong
cdiv(slong a, slong b)
{
    return (a + b - 1) / b;
}

slong
genrank_capacity_poly_width(int *no_width, int *no_route, slong n, slong K, slong r)
{
    /* C(K + r, r): polynomials of degree <= K on the r-dimensional span */
    fmpz_t c;
    slong w = 0;
    fmpz_init(c);
    fmpz_bin_uiui(c, (ulong) (K + r), (ulong) r);
    *no_width = fmpz_cmp_si(c, n) < 0;
    *no_route = fmpz_cmp_si(c, n + 1) < 0;
    /* rank <= 2m + C - 1 < n while m < (n + 1 - C) / 2 */
    fmpz_neg(c, c);
    fmpz_add_si(c, c, n + 1);
    if (fmpz_sgn(c) > 0)
        w = cdiv(fmpz_get_si(c), 2);
    fmpz_clear(c);
    return w;
}
