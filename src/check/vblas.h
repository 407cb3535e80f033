/* Internal: the verifier's double-precision arithmetic (verify_blas.c). */
#ifndef GENRANK_VERIFY_BLAS_H
#define GENRANK_VERIFY_BLAS_H
#include "genrank.h"

/* G (a x b) = X (a x d) times Yt (d x b) modulo p, all row-major,
   entries residues in [0, p); 3 <= p < GENRANK_BLAS_PRIME_MAX. */
void genrank_vmul_blas(double *G, const double *X, const double *Yt, slong a,
                       slong b, slong d, ulong p);

/* Determinant modulo p (3 <= p < 2^24) of the r x r row-major S
   (overwritten; integers with |x| < 2^48), r >= 1. */
ulong genrank_vdet_blas(double *S, slong r, ulong p);

#endif
