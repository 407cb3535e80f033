/* Internal: the verifier's double-precision arithmetic (verify_blas.c). */
#ifndef GENRANK_VERIFY_BLAS_H
#define GENRANK_VERIFY_BLAS_H
#include "genrank.h"

/* G (a x b) = X (a x d) times Yt (d x b) modulo p, all row-major,
   entries centred residues (|x| <= p/2 + 1); p < GENRANK_BLAS_PRIME_MAX. */
void genrank_vmul_blas(double *G, const double *X, const double *Yt, slong a,
                       slong b, slong d, ulong p);

/* Determinant modulo p of the r x r row-major S (overwritten), r >= 1. */
ulong genrank_vdet_blas(double *S, slong r, ulong p);

#endif
