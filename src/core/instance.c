/* Instances: sizes, coefficients and the integer point (A, B). */
#include <flint/fmpz_vec.h>
#include <flint/fmpq_vec.h>
#include "genrank.h"
#include "core.h"

void
genrank_instance_init(genrank_instance_t inst, genrank_family_t family,
                      slong m, slong d, slong n, const fmpq *coeffs, slong len)
{
    slong k;
    FLINT_ASSERT(m >= 1 && d >= 1 && n >= 1 && len >= 1);
    inst->family = family;
    inst->m = m;
    inst->d = d;
    inst->n = n;
    inst->len = len;
    inst->coeffs = _fmpq_vec_init(len);
    for (k = 0; k < len; k++)
        fmpq_set(inst->coeffs + k, coeffs + k);
    inst->A = _fmpz_vec_init(m * d);
    inst->B = _fmpz_vec_init(n * d);
    inst->phi = GENRANK_PHI_POLY;
    fmpz_init_set_ui(inst->q, 1);
    inst->t0 = inst->i0 = 0;
}

void
genrank_instance_init_phi(genrank_instance_t inst, genrank_family_t family,
                          slong m, slong d, slong n, genrank_phi_t phi,
                          const fmpz_t q)
{
    FLINT_ASSERT(m >= 1 && d >= 1 && n >= 1 && fmpz_sgn(q) > 0);
    inst->family = family;
    inst->m = m;
    inst->d = d;
    inst->n = n;
    inst->len = 0;
    inst->coeffs = NULL;
    inst->A = _fmpz_vec_init(m * d);
    inst->B = _fmpz_vec_init(n * d);
    inst->phi = phi;
    fmpz_init_set(inst->q, q);
    inst->t0 = inst->i0 = 0;
}

void
genrank_instance_clear(genrank_instance_t inst)
{
    if (inst->coeffs != NULL)
        _fmpq_vec_clear(inst->coeffs, inst->len);
    _fmpz_vec_clear(inst->A, inst->m * inst->d);
    _fmpz_vec_clear(inst->B, inst->n * inst->d);
    fmpz_clear(inst->q);
}

slong
genrank_coeffs_degree(const fmpq *coeffs, slong len)
{
    slong k;
    for (k = len - 1; k >= 0; k--)
        if (!fmpq_is_zero(coeffs + k))
            return k;
    return -1;
}

static void
random_entries(fmpz *v, slong len, genrank_rng_t *rng, uint64_t range)
{
    slong i;
    for (i = 0; i < len; i++)
    {
        uint64_t u = genrank_rng_below(rng, 2 * range + 1);
        if (u >= range)
            fmpz_set_ui(v + i, u - range);
        else
        {
            fmpz_set_ui(v + i, range - u);
            fmpz_neg(v + i, v + i);
        }
    }
}

void
genrank_instance_random_point(genrank_instance_t inst, genrank_rng_t *rng,
                              uint64_t range)
{
    random_entries(inst->A, inst->m * inst->d, rng, range);
    random_entries(inst->B, inst->n * inst->d, rng, range);
}

void
_genrank_inner(fmpz_t u, const genrank_instance_t inst, slong i, slong j)
{
    slong l, d = inst->d;
    fmpz_zero(u);
    for (l = 0; l < d; l++)
        fmpz_addmul(u, inst->A + i * d + l, inst->B + j * d + l);
}
