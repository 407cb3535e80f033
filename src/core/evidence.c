/* The deficiency evidence's bounds (doc/theory.md, "Deficiency
   evidence"): when the rank certified is below the target, a bound on the
   probability that every trial would have missed a higher generic rank.
   A function of what a certificate records, so that the prover writes it
   and the checker recomputes it with this one definition. */
#include <math.h>
#include "genrank.h"

/* L = the least common denominator of the coefficients. */
static void
denominator_lcm(fmpz_t L, const fmpq *coeffs, slong len)
{
    slong k;
    fmpz_one(L);
    for (k = 0; k < len; k++)
        fmpz_lcm(L, L, fmpq_denref(coeffs + k));
}

/* log2 of an upper bound on |L^(r+1) * f(x)| for any (r+1)-minor f of the
   family's matrix at a point with entries in [-R, R], L the common
   denominator of the coefficients (Hadamard's inequality).  See
   doc/theory.md, "Deficiency evidence". */
static double
log2_minor_value_bound(const fmpq *coeffs, slong len, slong d, int b_factor, slong r1, uint64_t R)
{
    fmpz_t L, t;
    double e = 0.0, logdR2 = log2((double) d) + 2.0 * log2((double) R);
    double best = -INFINITY, lg;
    slong k;

    fmpz_init(L);
    fmpz_init(t);
    denominator_lcm(L, coeffs, len);
    /* log2 sum_k |L c_k| (d R^2)^k, computed as max term + log2(len) */
    for (k = 0; k < len; k++)
    {
        if (fmpq_is_zero(coeffs + k))
            continue;
        fmpz_divexact(t, L, fmpq_denref(coeffs + k));
        fmpz_mul(t, t, fmpq_numref(coeffs + k));
        fmpz_abs(t, t);
        lg = fmpz_dlog(t) / log(2.0) + k * logdR2;
        if (lg > best)
            best = lg;
    }
    e = best + log2((double) len) + 1e-9;
    if (b_factor)
        e += log2((double) R);
    fmpz_clear(L);
    fmpz_clear(t);
    return (double) r1 * (0.5 * log2((double) r1) + (e > 0 ? e : 0));
}

/* log2 of the least common denominator of the coefficients. */
static double
log2_denominator_lcm(const fmpq *coeffs, slong len)
{
    fmpz_t L;
    double v;
    fmpz_init(L);
    denominator_lcm(L, coeffs, len);
    v = fmpz_dlog(L) / log(2.0);
    fmpz_clear(L);
    return v;
}

/* Lower bound on the number of primes in [2^(b-1), 2^b), from
   x / ln x < pi(x) (x >= 17) and pi(x) < 1.25506 x / ln x (x > 1)
   (Rosser and Schoenfeld 1962).  0 when no useful bound. */
static double
primes_in_bit_range(int b)
{
    double x = ldexp(1.0, b - 1);
    double v;
    if (b < 6)
        return 0.0;
    v = 2 * x / log(2 * x) - 1.25506 * x / log(x);
    return v > 0 ? v : 0.0;
}

void
genrank_evidence_bounds(genrank_evidence_t *ev, slong entry_degree, int b_factor,
                        const fmpq *coeffs, slong len, slong d, slong rank, uint64_t range,
                        int random_primes, int prime_bits, slong trials)
{
    slong r1 = rank + 1;
    double S = 2.0 * (double) range + 1.0;
    double delta;

    ev->degree_bound = (double) entry_degree * (double) r1;
    delta = ev->degree_bound / S;
    if (random_primes)
    {
        /* primes dividing a denominator are redrawn: they are not among
           the candidates, at most log2(L) / (b - 1) of them */
        double np = primes_in_bit_range(prime_bits)
                    - log2_denominator_lcm(coeffs, len) / (double) (prime_bits - 1);
        double nbad = log2_minor_value_bound(coeffs, len, d, b_factor, r1, range)
                      / (double) (prime_bits - 1);
        delta += (np > 0) ? nbad / np : 1.0;
    }
    else
        delta = 1.0;   /* a fixed prime may divide every (r+1)-minor: no bound at all */
    if (delta > 1.0)
        delta = 1.0;
    ev->per_trial_bound = delta;
    ev->probability_bound = pow(delta, (double) trials);
}
