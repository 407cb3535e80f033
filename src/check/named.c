/* The checker's named phi modulo p (the exact route), written from the
   definitions in doc/certificate-format.md section 9 independently of the
   prover's (families/phi_mod.c), and the exact route's residues t0, i0. */
#include <flint/ulong_extras.h>
#include "check.h"

int
_genrank_verify_named_mod(ulong *y, genrank_phi_t phi, ulong x, ulong E, ulong i0, nmod_t mod)
{
    ulong one = 1 % mod.n, Ei = 0, den, s;
    if (E != 0)
        Ei = n_invmod(E, mod.n);
    switch (phi)
    {
    case GENRANK_PHI_EXP: *y = E; return 1;
    case GENRANK_PHI_SINH:                        /* (E - 1/E) / 2 */
        *y = nmod_mul(nmod_sub(E, Ei, mod), (mod.n + 1) / 2, mod);
        return 1;
    case GENRANK_PHI_COSH: case GENRANK_PHI_COS:  /* (E + 1/E) / 2 */
        *y = nmod_mul(nmod_add(E, Ei, mod), (mod.n + 1) / 2, mod);
        return 1;
    case GENRANK_PHI_SIN: case GENRANK_PHI_DCOS:  /* (E - 1/E) / (2 i) */
        s = nmod_mul(nmod_sub(E, Ei, mod), (mod.n + 1) / 2, mod);
        s = nmod_mul(s, nmod_neg(i0, mod), mod);  /* 1/i = -i */
        *y = (phi == GENRANK_PHI_SIN) ? s : nmod_neg(s, mod);
        return 1;
    case GENRANK_PHI_TANH: case GENRANK_PHI_DTANH: /* 1 - 2 / (E^2 + 1) */
        den = nmod_add(nmod_mul(E, E, mod), one, mod);
        if (den == 0)
            return 0;
        s = nmod_sub(one, nmod_mul(2 % mod.n, n_invmod(den, mod.n), mod), mod);
        *y = (phi == GENRANK_PHI_TANH) ? s : nmod_sub(one, nmod_mul(s, s, mod), mod);
        return 1;
    case GENRANK_PHI_SIGMOID: case GENRANK_PHI_DSIGMOID:
    case GENRANK_PHI_SILU: case GENRANK_PHI_DSILU: /* s = 1 / (1 + 1/E) */
        den = nmod_add(one, Ei, mod);
        if (den == 0)
            return 0;
        s = n_invmod(den, mod.n);
        if (phi == GENRANK_PHI_SIGMOID)
            *y = s;
        else if (phi == GENRANK_PHI_SILU)
            *y = nmod_mul(x, s, mod);
        else
        {
            ulong ds = nmod_mul(s, nmod_sub(one, s, mod), mod);   /* s (1 - s) */
            *y = (phi == GENRANK_PHI_DSIGMOID) ? ds : nmod_add(s, nmod_mul(x, ds, mod), mod);
        }
        return 1;
    case GENRANK_PHI_DARCTAN:                     /* 1 / (1 + x^2) */
        den = nmod_add(one, nmod_mul(x, x, mod), mod);
        if (den == 0)
            return 0;
        *y = n_invmod(den, mod.n);
        return 1;
    default:
        return 0;
    }
}

int
_genrank_check_exact_residues(ulong *t0, ulong *i0, const json_t *w, ulong p, int cls,
                              genrank_err_t *err)
{
    *i0 = 0;
    if (_genrank_json_ulong(t0, json_object_get(w, "t0")) != 0 || *t0 == 0 || *t0 >= p)
        return genrank_err_set(err, GENRANK_EINVALID, "witness \"t0\" must be an integer in [1, p)");
    if (cls == GENRANK_CLASS_TRIG
        && (_genrank_json_ulong(i0, json_object_get(w, "i0")) != 0 || *i0 >= p
            || n_mulmod2_preinv(*i0, *i0, p, n_preinvert_limb(p)) != p - 1))
        return genrank_err_set(err, GENRANK_EINVALID, "witness \"i0\" must be a square root of -1 modulo p");
    return 0;
}
