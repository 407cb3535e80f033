/* The deficiency evidence of a proof with a polynomial phi: the bounds of
   core/evidence.c for the certificate's family, point range and primes. */
#include "genrank.h"
#include "families/family.h"

void
_genrank_evidence(genrank_cert_t cert, const genrank_prove_opts_t *opts)
{
    const genrank_family_ops_t *fam = _genrank_family(cert->inst->family);
    slong K = genrank_coeffs_degree(cert->inst->coeffs, cert->inst->len);
    genrank_evidence_t ev;
    cert->prime_fixed = (opts->prime != 0);
    genrank_evidence_bounds(&ev, K < 0 ? 0 : fam->degree(K), fam->b_factor, cert->inst->coeffs,
                            cert->inst->len, cert->inst->d, cert->rank, opts->range,
                            !cert->prime_fixed, cert->prime_bits, cert->trials);
    cert->degree_bound = ev.degree_bound;
    cert->per_trial_bound = ev.per_trial_bound;
    cert->probability_bound = ev.probability_bound;
}
