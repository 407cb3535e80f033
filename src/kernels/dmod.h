/* dmod.h -- arithmetic modulo a prime p < 2^24 on residues stored as
   doubles, and C -= A B through cblas_dgemm with delayed reductions.
   Arithmetic primitives only: shared by the prover's kernel (blas.c)
   and the verifier's determinant (verify_blas.c), which share no
   elimination or matrix-building code. */
#ifndef GENRANK_DMOD_H
#define GENRANK_DMOD_H

#include <string.h>
#include <flint/ulong_extras.h>
#include "config.h"
#include "genrank.h"
#ifdef HAVE_CBLAS
#include <cblas.h>
#endif

/* columns at which blas.c's recursion stops (its W buffer: m * DMOD_LEAF) */
#define DMOD_LEAF 32
/* rows of the factor the solves take at a time */
#define DMOD_SOLVE_BLOCK 48

typedef struct {
    double p, pinv, h;
    slong kmax;
    int lazy;   /* gemm_sub leaves its result unreduced (see gemm_sub) */
} dmod_t;

static inline void
dmod_init(dmod_t *F, ulong p)
{
    double h = (double) p / 2 + 1;   /* bound on |residue| (see dred) */
    F->p = (double) p;
    F->pinv = 1.0 / (double) p;
    F->h = h;
    F->kmax = (slong) ((4503599627370496.0 - h) / (h * h));   /* 2^52 */
    F->lazy = 0;
}

/* A representative of x modulo p with |result| <= p/2 + 1, for an
   integer x with |x| < 2^52.  The constant 2^52 + 2^51 rounds x/p to
   the nearest integer in plain SSE2 code; the computed quotient is off
   by at most 1.01/p, hence the "+ 1".  Zero tests use dred_exact. */
static inline double
dred(double x, const dmod_t *F)
{
    const double magic = 6755399441055744.0;
    double q = (x * F->pinv + magic) - magic;
    return x - q * F->p;
}

/* The representative in [-p/2, p/2]: zero exactly when x = 0 mod p. */
static inline double
dred_exact(double x, const dmod_t *F)
{
    double y = dred(x, F);
    y = (y > F->p / 2) ? y - F->p : y;
    y = (y < -F->p / 2) ? y + F->p : y;
    return y;
}

static inline void
reduce_row(double *x, slong n, const dmod_t *F)
{
    /* p and 1/p in locals: through F they could alias x, which would
       keep the loop from vectorizing */
    const double magic = 6755399441055744.0, p = F->p, pinv = F->pinv;
    slong j;
    for (j = 0; j < n; j++)
        x[j] -= ((x[j] * pinv + magic) - magic) * p;
}

static inline void
reduce_mat(double *C, slong ldc, slong m, slong n, const dmod_t *F)
{
    slong i;
    for (i = 0; i < m; i++)
        reduce_row(C + i * ldc, n, F);
}

/* Inverse of a nonzero residue x modulo p, as a centred residue. */
static inline double
dinv(double x, const dmod_t *F)
{
    ulong p = (ulong) F->p;
    slong v = (slong) dred_exact(x, F);
    ulong u = (ulong) (v < 0 ? v + (slong) p : v);
    return dred((double) n_invmod(u, p), F);
}

#ifdef HAVE_CBLAS
/* C -= A B; A is m x k, B is k x n, their entries residues (|x| <= h).
   C is reduced afterwards unless F->lazy: then the caller guarantees that
   no entry of C takes more than kmax products of residues in all before
   it is next reduced (its readers reduce what they read), so that it
   stays below 2^52. */
static inline void
gemm_sub(double *C, slong ldc, const double *A, slong lda, const double *B,
         slong ldb, slong m, slong n, slong k, const dmod_t *F)
{
    slong k0;
    if (m == 0 || n == 0 || k == 0)
        return;
    for (k0 = 0; k0 < k; k0 += F->kmax)
    {
        slong kc = FLINT_MIN(F->kmax, k - k0);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) m, (int) n,
                    (int) kc, -1.0, A + k0, (int) lda, B + k0 * ldb, (int) ldb,
                    1.0, C, (int) ldc);
        if (!F->lazy)
            reduce_mat(C, ldc, m, n, F);
    }
}

/* Rows s0 .. s1 - 1 of an r x r factor in pivot order, entry (s, t) at
   P[(s - s0) * ld + t] for every t < r; valid until the next call. */
typedef const double *(*_genrank_dmod_rows_t)(void *ctx, slong s0, slong s1, slong *ld);

/* blas.c's building blocks, shared with the 16-bit kernel (compact.c):
   B = L^-1 B for L unit lower triangular r x r; the column-recursive
   PLUQ of an m x n block (piv, qperm as in its header; tmp: n doubles,
   W: m * DMOD_LEAF doubles); the fast section's solves on a factor whose rows
   come from rows_of. */
void _genrank_dmod_trsm(const double *L, slong ldl, double *B, slong ldb, slong r, slong n,
                        const dmod_t *F);
slong _genrank_dmod_pluq(double *A, slong lda, slong m, slong n, slong *piv, slong *qperm,
                         const dmod_t *F, double *tmp, double *W);
/* The witness of an empty matrix (rank 0, det 1, no solves); the row
   permutation (m entries, flint_free it) from the swaps piv[0..r); the
   witness's determinant in [0, p) from the product v of U's diagonal in
   pivot order, rows and cols (r each) sorted on the way. */
slong _genrank_dmod_empty(ulong *det, ulong p, genrank_solve_t *sv);
slong *_genrank_dmod_swaps_perm(const slong *piv, slong r, slong m);
ulong _genrank_dmod_witness_det(slong *rows, slong *cols, slong r, double v, const dmod_t *F);
void _genrank_dmod_solve(genrank_solve_t *sv, _genrank_dmod_rows_t rows_of, void *rctx,
                         slong r, const slong *prow, const slong *pcol, const slong *rows,
                         const slong *cols, ulong det, const dmod_t *F);

#endif

#endif
