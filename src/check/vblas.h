/* Internal: the verifier's double-precision arithmetic (verify_blas.c). */
#ifndef GENRANK_VERIFY_BLAS_H
#define GENRANK_VERIFY_BLAS_H
#include <stdint.h>
#include "genrank.h"

/* G (a x b) = X (a x d) times Yt (d x b) modulo p, all row-major,
   entries residues in [0, p); 3 <= p < GENRANK_BLAS_PRIME_MAX. */
void genrank_vmul_blas(double *G, const double *X, const double *Yt, slong a,
                       slong b, slong d, ulong p);

/* y[i] = c(y[i]) modulo p in place for the n residues y[i] in [0, p),
   c of length len with coefficients in [0, p) (c(x) = 0 when len = 0),
   by Horner in doubles; 3 <= p < GENRANK_BLAS_PRIME_MAX. */
void genrank_vpoly_blas(double *y, slong n, const ulong *c, slong len, ulong p);

/* s[i] = d[i] modulo p in [0, p) for the n integers d[i] (|d[i]| < 2^48),
   3 <= p < 2^16. */
void genrank_vred_u16(uint16_t *s, const double *d, slong n, ulong p);

/* Determinant modulo p (3 <= p < 2^24) of the r x r row-major S
   (overwritten; integers with |x| < 2^48), r >= 1. */
ulong genrank_vdet_blas(double *S, slong r, ulong p);

/* The same for 3 <= p < 2^16 on S stored as uint16_t (row-major r x r,
   entries in [0, p); overwritten), r >= 1: one outer panel at a time is
   held in doubles, so the workspace is O(r) doubles per panel column,
   genrank_vdet_blas_u16_bytes(r) bytes besides S. */
ulong genrank_vdet_blas_u16(uint16_t *S, slong r, ulong p);
double genrank_vdet_blas_u16_bytes(slong r);

/* genrank_vdet_blas_u16 with its blocking given (for the tests): outer
   panels of `outer` columns, the trailing matrix updated in chunks of
   `chunk` columns by blocks of `rows` rows (each at least 1). */
ulong _genrank_vdet_blas_u16_blocked(uint16_t *S, slong r, ulong p, slong outer,
                                     slong chunk, slong rows);

#endif
