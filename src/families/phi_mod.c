/* The prover's values of a named phi modulo p (the exact route): phi as
   a rational function of x and T (T = t0^u, or s0^u for the trig class),
   evaluated on residues.  The checker has its own, written apart from
   this one (check/named.c). */
#include <flint/ulong_extras.h>
#include "genrank.h"
#include "internal.h"

/* a / b modulo p, 0 when b is 0 modulo p (the caller checks b first). */
static ulong
ndiv(ulong a, ulong b, nmod_t mod)
{
    return nmod_mul(a, n_invmod(b, mod.n), mod);
}

int
_genrank_phi_nmod(ulong *y, genrank_phi_t phi, ulong x, ulong T, ulong i0, nmod_t mod)
{
    ulong T2 = nmod_mul(T, T, mod), one = 1 % mod.n, den, num;
    switch (phi)
    {
    case GENRANK_PHI_EXP:
        *y = T;
        return 1;
    case GENRANK_PHI_SINH:
    case GENRANK_PHI_COSH:
    case GENRANK_PHI_COS:
        den = nmod_add(T, T, mod);
        num = (phi == GENRANK_PHI_SINH) ? nmod_sub(T2, one, mod) : nmod_add(T2, one, mod);
        break;
    case GENRANK_PHI_SIN:
    case GENRANK_PHI_DCOS:
        den = nmod_mul(nmod_add(T, T, mod), i0, mod);
        num = nmod_sub(T2, one, mod);
        if (phi == GENRANK_PHI_DCOS)
            num = nmod_neg(num, mod);
        break;
    case GENRANK_PHI_TANH:
        den = nmod_add(T2, one, mod);
        num = nmod_sub(T2, one, mod);
        break;
    case GENRANK_PHI_DTANH:
        den = nmod_add(T2, one, mod);
        den = nmod_mul(den, den, mod);
        num = nmod_mul(4 % mod.n, T2, mod);
        break;
    case GENRANK_PHI_SIGMOID:
        den = nmod_add(T, one, mod);
        num = T;
        break;
    case GENRANK_PHI_DSIGMOID:
        den = nmod_add(T, one, mod);
        den = nmod_mul(den, den, mod);
        num = T;
        break;
    case GENRANK_PHI_SILU:
        den = nmod_add(T, one, mod);
        num = nmod_mul(x, T, mod);
        break;
    case GENRANK_PHI_DSILU:
        den = nmod_add(T, one, mod);
        num = nmod_mul(T, nmod_add(den, x, mod), mod);
        den = nmod_mul(den, den, mod);
        break;
    case GENRANK_PHI_DARCTAN:
        den = nmod_add(nmod_mul(x, x, mod), one, mod);
        num = one;
        break;
    default:
        return 0;   /* no exact route */
    }
    if (den == 0)
        return 0;
    *y = ndiv(num, den, mod);
    return 1;
}
