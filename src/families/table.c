/* The family table: one row per family, in genrank_family_t's order.
   A new family is a file in families/, a row here, its checker in
   check/ (and a row in check/rank.c's table or a kind of its own in
   check/check.c), and a section in doc/certificate-format.md. */
#include <string.h>
#include "family.h"

static const genrank_family_ops_t *const family_table[GENRANK_FAMILY_COUNT] = {
    &_genrank_family_hadamard,
    &_genrank_family_khatri_rao,
    &_genrank_family_w_jacobian,
};

const genrank_family_ops_t *
_genrank_family(genrank_family_t family)
{
    return family_table[family];
}

const char *
genrank_family_name(genrank_family_t family)
{
    return family_table[family]->name;
}

int
genrank_family_parse(genrank_family_t *family, const char *s, genrank_err_t *err)
{
    int k;
    for (k = 0; k < GENRANK_FAMILY_COUNT; k++)
        if (family_table[k]->cli && strcmp(s, family_table[k]->name) == 0)
        {
            *family = (genrank_family_t) k;
            return 0;
        }
    return genrank_err_set(err, GENRANK_EINVAL,
                           "unknown family '%.40s' (expected 'hadamard' or 'khatri-rao')", s);
}

int
_genrank_family_formula(genrank_formula_t f, const genrank_spec_t *spec, genrank_err_t *err)
{
    if (spec->phi == GENRANK_PHI_POLY)
        genrank_formula(f, spec->family, spec->m, spec->d, spec->n, spec->coeffs, spec->len);
    else
        genrank_formula_phi(f, spec->family, spec->m, spec->d, spec->n);
    return 0;
}

slong
genrank_family_nrows(genrank_family_t family, slong m, slong d)
{
    return family_table[family]->nrows(m, d);
}

slong
genrank_instance_nrows(const genrank_instance_t inst)
{
    return family_table[inst->family]->nrows(inst->m, inst->d);
}

slong
genrank_instance_ncols(const genrank_instance_t inst)
{
    return inst->n;
}
