/* Rank with row and column pivots over Z/p, residues stored as doubles,
   the work done by BLAS (cblas_dgemm) in a column-recursive PLUQ
   factorisation.

   Representation: residues are doubles x with |x| <= h = p/2 + 1.
   A product of two residues is at most h^2, so a dot product of length k
   added to a residue stays below 2^52 while k <= kmax = (2^52 - h) / h^2;
   reductions are delayed that long.  With p < 2^24, kmax >= 63.

   The recursion (Toledo 1997, with rank deficiency as in Dumas, Pernet
   and Sultan 2013): factor the left half of the columns, giving rank r1
   and its pivot columns moved to the front; apply its row swaps to the
   right half; U12 = L11^-1 A12 (triangular solve, recursive); A22 -=
   L21 U12 (dgemm); factor A22; apply its row swaps to the left half and
   its column permutation to U12; rotate the right pivots next to the left
   ones.  The result is P A Q = L U with L unit lower trapezoidal (m x r)
   and U upper trapezoidal (r x n), stored in A. */
#include "dmod.h"
#include "internal.h"

#define LEAF DMOD_LEAF
#define TRSM_LEAF 32   /* rows of a triangular solve done by hand */

#ifdef HAVE_CBLAS

/* B = L^-1 B, L unit lower triangular r x r, B r x n.  Halves are
   solved recursively with a dgemm update between them; a block of at
   most TRSM_LEAF rows is inverted by hand (TRSM_LEAF^3 operations) and
   applied with one dgemm. */
void
_genrank_dmod_trsm(const double *L, slong ldl, double *B, slong ldb, slong r, slong n,
                   const dmod_t *F)
{
    slong i, j, c, r1;
    if (r == 0 || n == 0)
        return;
    if (r == 1)
    {
        reduce_row(B, n, F);    /* L = 1; B may be unreduced (F->lazy) */
        return;
    }
    if (r <= TRSM_LEAF)
    {
        double Li[TRSM_LEAF * TRSM_LEAF];
        double *T = flint_malloc(r * n * sizeof(double));
        /* Li = L^-1 by forward substitution; row i accumulates < r <= kmax products */
        for (i = 0; i < r; i++)
        {
            for (c = 0; c < r; c++)
                Li[i * r + c] = (c == i);
            for (j = 0; j < i; j++)
            {
                double l = L[i * ldl + j];
                if (l != 0)
                    for (c = 0; c < j + 1; c++)
                        Li[i * r + c] -= l * Li[j * r + c];
            }
            for (c = 0; c < i; c++)
                Li[i * r + c] = dred(Li[i * r + c], F);
        }
        for (i = 0; i < r; i++)
            memcpy(T + i * n, B + i * ldb, n * sizeof(double));
        reduce_mat(T, n, r, n, F);      /* B may be unreduced (F->lazy) */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) r, (int) n, (int) r,
                    1.0, Li, (int) r, T, (int) n, 0.0, B, (int) ldb);
        reduce_mat(B, ldb, r, n, F);
        flint_free(T);
        return;
    }
    r1 = r / 2;
    _genrank_dmod_trsm(L, ldl, B, ldb, r1, n, F);
    gemm_sub(B + r1 * ldb, ldb, L + r1 * ldl, ldl, B, ldb, r - r1, n, r1, F);
    _genrank_dmod_trsm(L + r1 * ldl + r1, ldl, B + r1 * ldb, ldb, r - r1, n, F);
}

#endif /* HAVE_CBLAS */

/* Applies the row swaps piv[0..k) (swap row base+t with row piv[t], in
   order) to columns [c0, c0 + w) of A. */
static void
apply_row_swaps(double *A, slong lda, slong c0, slong w, const slong *piv,
                slong k, slong base)
{
    slong t, c;
    if (w == 0)
        return;
    for (t = 0; t < k; t++)
        if (piv[t] != base + t)
        {
            double *x = A + (base + t) * lda + c0, *y = A + piv[t] * lda + c0;
            for (c = 0; c < w; c++)
            {
                double s = x[c];
                x[c] = y[c];
                y[c] = s;
            }
        }
}

/* Permutes columns [c0, c0 + w) of rows [0, m): new column t is old
   column perm[t]. */
static void
apply_col_perm(double *A, slong lda, slong m, slong c0, slong w, const slong *perm,
               double *tmp)
{
    slong i, t, moved = 0;
    for (t = 0; t < w; t++)
        moved |= (perm[t] != t);
    if (!moved)
        return;
    for (i = 0; i < m; i++)
    {
        double *row = A + i * lda + c0;
        for (t = 0; t < w; t++)
            tmp[t] = row[perm[t]];
        memcpy(row, tmp, w * sizeof(double));
    }
}

/* Classical elimination of an m x n block (n <= LEAF), transposed into
   the column-major buffer W (column c at W + c*m) so that every inner
   loop runs down a column.  Reductions are lazy: an entry gets at most
   n <= kmax updates of size h^2, so only the column searched for a pivot
   and the pivot row are reduced as they are used, and the rest once at
   the end.  piv[t] is the row swapped into position t; qperm is the
   block's column permutation (new column t is old column qperm[t]),
   pivot columns first.  Returns r. */
GENRANK_CLONES static slong
pluq_leaf(double *A, slong lda, slong m, slong n, slong *piv, slong *qperm,
          const dmod_t *F, double *W)
{
    slong r = 0, j, i, c;
    for (i = 0; i < m; i++)
        for (c = 0; c < n; c++)
            W[c * m + i] = dred(A[i * lda + c], F);     /* A may be unreduced (F->lazy) */
    for (j = 0; j < n; j++)
        qperm[j] = j;
    for (j = 0; j < n && r < m; j++)
    {
        double inv, *wj = W + j * m, *wr;
        for (i = r; i < m; i++)
            wj[i] = dred_exact(wj[i], F);
        for (i = r; i < m; i++)
            if (wj[i] != 0)
                break;
        if (i == m)
            continue;
        piv[r] = i;
        if (i != r)
            for (c = 0; c < n; c++)
            {
                double s = W[c * m + r];
                W[c * m + r] = W[c * m + i];
                W[c * m + i] = s;
            }
        wr = W + r * m;
        if (j != r)
        {
            slong s2 = qperm[r];
            qperm[r] = qperm[j];
            qperm[j] = s2;
            for (i = 0; i < m; i++)
            {
                double s = wr[i];
                wr[i] = wj[i];
                wj[i] = s;
            }
        }
        /* multipliers below the pivot */
        inv = dinv(wr[r], F);
        for (i = r + 1; i < m; i++)
            wr[i] = dred(wr[i] * inv, F);
        for (c = r + 1; c < n; c++)
        {
            double *wc = W + c * m, u = dred(wc[r], F);
            wc[r] = u;
            if (u != 0)
                for (i = r + 1; i < m; i++)
                    wc[i] -= wr[i] * u;
        }
        r++;
    }
    for (c = 0; c < n; c++)
        reduce_row(W + c * m, m, F);
    for (i = 0; i < m; i++)
        for (c = 0; c < n; c++)
            A[i * lda + c] = W[c * m + i];
    return r;
}

#ifdef HAVE_CBLAS

/* tmp: n doubles; W: m * LEAF doubles. */
slong
_genrank_dmod_pluq(double *A, slong lda, slong m, slong n, slong *piv, slong *qperm,
         const dmod_t *F, double *tmp, double *W)
{
    slong n1, n2, r1, r2, t, *piv2, *q2;

    if (m == 0 || n == 0)
    {
        for (t = 0; t < n; t++)
            qperm[t] = t;
        return 0;
    }
    if (n <= LEAF)
        return pluq_leaf(A, lda, m, n, piv, qperm, F, W);

    n1 = n / 2;
    n2 = n - n1;
    r1 = _genrank_dmod_pluq(A, lda, m, n1, piv, qperm, F, tmp, W);
    apply_row_swaps(A, lda, n1, n2, piv, r1, 0);

    /* U12 = L11^-1 A12, then A22 -= L21 U12 */
    _genrank_dmod_trsm(A, lda, A + n1, lda, r1, n2, F);
    gemm_sub(A + r1 * lda + n1, lda, A + r1 * lda, lda, A + n1, lda, m - r1, n2, r1, F);

    piv2 = piv + r1;
    q2 = flint_malloc(n2 * sizeof(slong));
    r2 = _genrank_dmod_pluq(A + r1 * lda + n1, lda, m - r1, n2, piv2, q2, F, tmp, W);
    for (t = 0; t < r2; t++)
        piv2[t] += r1;
    /* the right factorisation's row swaps, on the left columns */
    apply_row_swaps(A, lda, 0, n1, piv2, r2, r1);
    /* its column permutation, on the rows above it (U12) */
    apply_col_perm(A, lda, r1, n1, n2, q2, tmp);
    for (t = 0; t < n2; t++)
        q2[t] = n1 + q2[t];

    /* columns now read: [left pivots r1 | left rest n1-r1 | right pivots r2 | right rest];
       rotate so that the r1 + r2 pivot columns come first */
    if (r2 > 0 && n1 > r1)
    {
        slong gap = n1 - r1, i;
        for (i = 0; i < m; i++)
        {
            double *row = A + i * lda + r1;
            memcpy(tmp, row, gap * sizeof(double));
            memmove(row, row + gap, r2 * sizeof(double));
            memcpy(row + r2, tmp, gap * sizeof(double));
        }
    }
    {
        /* the same rotation on the column permutation */
        slong *qn = flint_malloc(n * sizeof(slong)), k = 0;
        for (t = 0; t < r1; t++)
            qn[k++] = qperm[t];
        for (t = 0; t < r2; t++)
            qn[k++] = q2[t];
        for (t = r1; t < n1; t++)
            qn[k++] = qperm[t];
        for (t = r2; t < n2; t++)
            qn[k++] = q2[t];
        memcpy(qperm, qn, n * sizeof(slong));
        flint_free(qn);
    }
    flint_free(q2);
    return r1 + r2;
}

#endif /* HAVE_CBLAS */

#ifdef HAVE_CBLAS

/* X_j^T S' = C'_j^T for S' = L11 U11, the leading r x r block of a PLUQ
   factorisation (rows prow = perm[0..r), columns pcol = qperm[0..r)),
   by U11^T y = c forward and L11^T x = y backward, k vectors at a time,
   each step an axpy over a row of the factor with the product reduced at
   once (|residue| <= h, so |y - u x| < 2^52).  The factor's rows come
   from rows_of (see dmod.h) a block at a time, so that the kernel on
   16-bit residues can convert them.  C and X are indexed like the sorted
   cols and rows. */
void
_genrank_dmod_solve(genrank_solve_t *sv, _genrank_dmod_rows_t rows_of, void *rctx, slong r,
                    const slong *prow, const slong *pcol, const slong *rows, const slong *cols,
                    ulong det, const dmod_t *F)
{
    const double magic = 6755399441055744.0, p = F->p, pinv = F->pinv;
    slong k = sv->k, j, s, t, s0, s1, t0, t1, ld, blk = FLINT_MIN(DMOD_SOLVE_BLOCK, F->kmax);
    slong *pos = flint_malloc(FLINT_MAX(r, 1) * sizeof(slong));
    ulong *C = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(ulong));
    double *Y = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(double));
    const double *P;
    sv->X = NULL;
    if (sv->challenge(C, k, rows, cols, r, det, (ulong) p, sv->ctx) != 0)
    {
        flint_free(Y);
        flint_free(C);
        flint_free(pos);
        return;
    }
    _genrank_sorted_positions(pos, pcol, cols, r);
    for (j = 0; j < k; j++)
        for (t = 0; t < r; t++)
            Y[j * r + t] = dred((double) C[j * r + pos[t]], F);
    /* forward, blocks of DMOD_SOLVE_BLOCK rows: within a block by axpys, then
       the rest of every y at once, Y[:, s1..) -= Y[:, s0..s1) U[s0..s1, s1..)
       by dgemm (DMOD_SOLVE_BLOCK <= kmax products per entry stay exact) */
    for (s0 = 0; s0 < r; s0 = s1)
    {
        s1 = FLINT_MIN(r, s0 + blk);
        P = rows_of(rctx, s0, s1, &ld);
        for (s = s0; s < s1; s++)
        {
            const double *u = P + (s - s0) * ld;
            double inv = dinv(u[s], F);
            for (j = 0; j < k; j++)
            {
                double *y = Y + j * r, ys = dred(y[s] * inv, F);
                y[s] = ys;
                if (ys != 0)
                    for (t = s + 1; t < s1; t++)
                    {
                        double x = y[t] - u[t] * ys;
                        y[t] = x - ((x * pinv + magic) - magic) * p;
                    }
            }
        }
        if (s1 < r)
        {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) k, (int) (r - s1),
                        (int) (s1 - s0), -1.0, Y + s0, (int) r, P + s1, (int) ld,
                        1.0, Y + s1, (int) r);
            reduce_mat(Y + s1, r, k, r - s1, F);
        }
    }
    /* backward, blocks from the end: x_t = y_t, then within the block by
       axpys over rows of L, then Y[:, 0..t0) -= X[:, t0..t1) L[t0..t1, 0..t0) */
    for (t1 = r; t1 > 0; t1 = t0)
    {
        t0 = FLINT_MAX(0, t1 - blk);
        P = rows_of(rctx, t0, t1, &ld);
        for (t = t1 - 1; t >= t0; t--)
        {
            const double *l = P + (t - t0) * ld;
            for (j = 0; j < k; j++)
            {
                double *y = Y + j * r, xt = y[t];
                if (xt != 0)
                    for (s = t0; s < t; s++)
                    {
                        double x = y[s] - l[s] * xt;
                        y[s] = x - ((x * pinv + magic) - magic) * p;
                    }
            }
        }
        if (t0 > 0)
        {
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) k, (int) t0,
                        (int) (t1 - t0), -1.0, Y + t0, (int) r, P, (int) ld,
                        1.0, Y, (int) r);
            reduce_mat(Y, r, k, t0, F);
        }
    }
    _genrank_sorted_positions(pos, prow, rows, r);
    sv->X = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(ulong));
    for (j = 0; j < k; j++)
        for (s = 0; s < r; s++)
        {
            slong v = (slong) dred_exact(Y[j * r + s], F);
            sv->X[j * r + pos[s]] = (ulong) (v < 0 ? v + (slong) p : v);
        }
    flint_free(Y);
    flint_free(C);
    flint_free(pos);
}

/* The double kernel's factor rows: in place, pivot columns first. */
typedef struct { const double *A; slong lda; } drows_t;

static const double *
drows(void *ctx, slong s0, slong s1, slong *ld)
{
    const drows_t *d = ctx;
    (void) s1;
    *ld = d->lda;
    return d->A + s0 * d->lda;
}

#endif /* HAVE_CBLAS */

slong
_genrank_dmod_empty(ulong *det, ulong p, genrank_solve_t *sv)
{
    *det = 1 % p;
    if (sv != NULL)
        sv->X = flint_malloc(sizeof(ulong));   /* k x 0 */
    return 0;
}

slong *
_genrank_dmod_swaps_perm(const slong *piv, slong r, slong m)
{
    slong t, *perm = flint_malloc(FLINT_MAX(m, 1) * sizeof(slong));
    for (t = 0; t < m; t++)
        perm[t] = t;
    for (t = 0; t < r; t++)
    {
        slong s = perm[t];
        perm[t] = perm[piv[t]];
        perm[piv[t]] = s;
    }
    return perm;
}

ulong
_genrank_dmod_witness_det(slong *rows, slong *cols, slong r, double v, const dmod_t *F)
{
    int sign = _genrank_sort_with_sign(rows, r) * _genrank_sort_with_sign(cols, r);
    slong x = (slong) dred_exact(sign * v, F);
    return (ulong) (x < 0 ? x + (slong) F->p : x);
}

int
genrank_have_blas(void)
{
#ifdef HAVE_CBLAS
    return 1;
#else
    return 0;
#endif
}

slong
genrank_dmat_rank_witness_blas(slong *rows, slong *cols, ulong *det, double *A,
                               slong m, slong n, slong lda, ulong p)
{
    return genrank_dmat_rank_witness_blas_solve(rows, cols, det, A, m, n, lda, p, NULL);
}

slong
genrank_dmat_rank_witness_blas_solve(slong *rows, slong *cols, ulong *det, double *A,
                                     slong m, slong n, slong lda, ulong p, genrank_solve_t *sv)
{
#ifdef HAVE_CBLAS
    dmod_t F;
    slong r, t, *piv, *perm, *qperm;
    double *tmp, *W, v;
    ulong u;

    dmod_init(&F, p);
    if (m == 0 || n == 0)
        return _genrank_dmod_empty(det, p, sv);
    reduce_mat(A, lda, m, n, &F);
    /* every entry then takes at most min(m, n) products before a leaf or
       a triangular solve reads (and reduces) it */
    F.lazy = FLINT_MIN(m, n) <= F.kmax;
    piv = flint_malloc(FLINT_MAX(FLINT_MIN(m, n), 1) * sizeof(slong));
    qperm = flint_malloc(n * sizeof(slong));
    tmp = flint_malloc(n * sizeof(double));
    W = flint_malloc(m * FLINT_MIN(n, LEAF) * sizeof(double));
    r = _genrank_dmod_pluq(A, lda, m, n, piv, qperm, &F, tmp, W);

    perm = _genrank_dmod_swaps_perm(piv, r, m);
    memcpy(rows, perm, r * sizeof(slong));
    memcpy(cols, qperm, r * sizeof(slong));
    /* det of the minor in P, Q order is the product of U's diagonal */
    v = 1;
    for (t = 0; t < r; t++)
        v = dred(v * A[t * lda + t], &F);
    u = *det = _genrank_dmod_witness_det(rows, cols, r, v, &F);
    if (sv != NULL)
    {
        drows_t d;
        d.A = A;
        d.lda = lda;
        _genrank_dmod_solve(sv, drows, &d, r, perm, qperm, rows, cols, u, &F);
    }

    flint_free(perm);
    flint_free(W);
    flint_free(tmp);
    flint_free(qperm);
    flint_free(piv);
    return r;
#else
    (void) rows; (void) cols; (void) det; (void) A; (void) m; (void) n; (void) lda; (void) p;
    (void) sv;
    return -1;
#endif
}
