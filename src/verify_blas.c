/* The verifier's dense arithmetic for primes below 2^24: inner products
   through dgemm and a determinant by blocked right-looking LU with
   partial pivoting.  Written separately from the prover's kernel
   (blas.c); the two share only the arithmetic primitives of dmod.h. */
#include <math.h>
#include <stdlib.h>
#include "dmod.h"
#include "verify_blas.h"

#ifdef HAVE_CBLAS

void
genrank_vmul_blas(double *G, const double *X, const double *Yt, slong a, slong b,
                  slong d, ulong p)
{
    dmod_t F;
    double *Xn = flint_malloc(FLINT_MAX(a * d, 1) * sizeof(double));
    slong i;
    dmod_init(&F, p);
    for (i = 0; i < a * d; i++)
        Xn[i] = -X[i];
    memset(G, 0, a * b * sizeof(double));
    gemm_sub(G, b, Xn, d, Yt, b, a, b, d, &F);     /* G = 0 - (-X) Yt */
    flint_free(Xn);
}

/* Li = L^-1 for the unit lower triangular k x k block L (leading
   dimension ldl), column by column: column c of Li solves L x = e_c. */
static void
unit_lower_inverse(double *Li, const double *L, slong ldl, slong k, const dmod_t *F)
{
    slong c, i, j;
    for (c = 0; c < k; c++)
        for (i = 0; i < k; i++)
        {
            double x = (i == c);
            if (i > c)
            {
                for (j = c; j < i; j++)
                    x -= L[i * ldl + j] * Li[j * k + c];
                x = dred(x, F);
            }
            Li[i * k + c] = x;
        }
}

/* Factors the mr x kb column panel at P (leading dimension ld) with
   partial pivoting, classically, in the column-major buffer W.  Row swaps
   are applied to the whole row from column -left of P (the L columns of
   the outer panel) to column width - 1 (the rest of the active matrix).  Multiplies *det by the pivots and the
   swaps' signs.  Returns 0 when a column has no pivot (singular). */
static int
panel_factor(double *P, slong ld, slong mr, slong kb, slong left, slong width,
             double *W, double *det, const dmod_t *F)
{
    slong i, j, c;
    for (i = 0; i < mr; i++)
        for (c = 0; c < kb; c++)
            W[c * mr + i] = P[i * ld + c];
    for (j = 0; j < kb; j++)
    {
        double *wj = W + j * mr, inv;
        for (i = j; i < mr; i++)
            wj[i] = dred_exact(wj[i], F);
        for (i = j; i < mr && wj[i] == 0; i++)
            ;
        if (i == mr)
            return 0;
        if (i != j)
        {
            for (c = 0; c < kb; c++)
            {
                double s = W[c * mr + j];
                W[c * mr + j] = W[c * mr + i];
                W[c * mr + i] = s;
            }
            for (c = -left; c < width; c++)
            {
                if (c == 0)
                    c = kb;
                double s = P[j * ld + c];
                P[j * ld + c] = P[i * ld + c];
                P[i * ld + c] = s;
            }
            *det = -*det;
        }
        *det = dred(*det * wj[j], F);
        inv = dinv(wj[j], F);
        for (i = j + 1; i < mr; i++)
            wj[i] = dred(wj[i] * inv, F);
        for (c = j + 1; c < kb; c++)
        {
            double *wc = W + c * mr, u = dred(wc[j], F);
            wc[j] = u;
            if (u != 0)
                for (i = j + 1; i < mr; i++)
                    wc[i] -= wj[i] * u;
        }
    }
    for (c = 0; c < kb; c++)
        reduce_row(W + c * mr, mr, F);
    for (i = 0; i < mr; i++)
        for (c = 0; c < kb; c++)
            P[i * ld + c] = W[c * mr + i];
    return 1;
}

/* After panel_factor: the kb rows of the panel become U rows over the
   next w columns (B = L11^-1 B) and the rows below are updated
   (C -= L21 B), for the block at P with w columns to its right. */
static void
panel_update(double *P, slong ld, slong mr, slong kb, slong w, double *Li,
             double *T, const dmod_t *F)
{
    slong i;
    if (w == 0)
        return;
    unit_lower_inverse(Li, P, ld, kb, F);
    for (i = 0; i < kb; i++)
        memcpy(T + i * w, P + i * ld + kb, w * sizeof(double));
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) kb, (int) w,
                (int) kb, 1.0, Li, (int) kb, T, (int) w, 0.0, P + kb, (int) ld);
    reduce_mat(P + kb, ld, kb, w, F);
    gemm_sub(P + kb * ld + kb, ld, P + kb * ld, ld, P + kb, ld, mr - kb, w, kb, F);
}

/* Two levels of blocking: outer panels of OUTER columns, each factored
   by inner panels of at most min(INNER, kmax) columns, whose updates stay
   inside the outer panel; the trailing matrix is updated once per outer
   panel, so its dgemm has inner dimension OUTER. */
#define OUTER 256
#define INNER 64

ulong
genrank_vdet_blas(double *S, slong r, ulong p)
{
    dmod_t F;
    slong K0, KB, k0, kb, i, inner;
    double det = 1, *W, *Li, *T;
    int ok = 1;

    dmod_init(&F, p);
    inner = FLINT_MIN(INNER, F.kmax);   /* panel_factor's lazy updates */
    W = flint_malloc(FLINT_MAX(r * INNER, 1) * sizeof(double));
    Li = flint_malloc(OUTER * OUTER * sizeof(double));
    T = flint_malloc(FLINT_MAX(OUTER * r, 1) * sizeof(double));
    reduce_mat(S, r, r, r, &F);

    for (K0 = 0; K0 < r && ok; K0 += KB)
    {
        double *P0 = S + K0 * r + K0;
        slong mr = r - K0;
        KB = FLINT_MIN(OUTER, mr);
        for (k0 = 0; k0 < KB && ok; k0 += kb)
        {
            double *Pk = P0 + k0 * r + k0;
            kb = FLINT_MIN(inner, KB - k0);
            ok = panel_factor(Pk, r, mr - k0, kb, k0, mr - k0, W, &det, &F);
            if (ok)
                panel_update(Pk, r, mr - k0, kb, KB - k0 - kb, Li, T, &F);
        }
        if (!ok || KB == mr)
            break;
        /* U12 = L11^-1 A12 over the trailing columns, inner block by inner
           block, then A22 -= L21 U12 with inner dimension KB */
        for (k0 = 0; k0 < KB; k0 += kb)
        {
            double *R = P0 + k0 * r + KB;     /* rows k0.. of the trailing columns */
            kb = FLINT_MIN(inner, KB - k0);
            unit_lower_inverse(Li, P0 + k0 * r + k0, r, kb, &F);
            for (i = 0; i < kb; i++)
                memcpy(T + i * (mr - KB), R + i * r, (mr - KB) * sizeof(double));
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) kb, (int) (mr - KB),
                        (int) kb, 1.0, Li, (int) kb, T, (int) (mr - KB), 0.0, R, (int) r);
            reduce_mat(R, r, kb, mr - KB, &F);
            gemm_sub(R + kb * r, r, P0 + (k0 + kb) * r + k0, r, R, r,
                     KB - k0 - kb, mr - KB, kb, &F);
        }
        gemm_sub(P0 + KB * r + KB, r, P0 + KB * r, r, P0 + KB, r, mr - KB, mr - KB, KB, &F);
    }
    flint_free(T);
    flint_free(Li);
    flint_free(W);
    if (!ok)
        return 0;
    det = dred_exact(det, &F);
    return (ulong) (det < 0 ? (slong) det + (slong) p : (slong) det);
}

#else /* no CBLAS: the same contracts through FLINT, for completeness */

#include <flint/nmod_mat.h>

void
genrank_vmul_blas(double *G, const double *X, const double *Yt, slong a, slong b,
                  slong d, ulong p)
{
    slong i, j, l;
    for (i = 0; i < a; i++)
        for (j = 0; j < b; j++)
        {
            double s = 0;
            for (l = 0; l < d; l++)
                s = fmod(s + X[i * d + l] * Yt[l * b + j], (double) p);
            G[i * b + j] = s;
        }
}

ulong
genrank_vdet_blas(double *S, slong r, ulong p)
{
    nmod_mat_t M;
    slong i, j;
    ulong det;
    nmod_mat_init(M, r, r, p);
    for (i = 0; i < r; i++)
        for (j = 0; j < r; j++)
        {
            double x = fmod(S[i * r + j], (double) p);
            nmod_mat_entry(M, i, j) = (ulong) (x < 0 ? x + (double) p : x);
        }
    det = nmod_mat_det(M);
    nmod_mat_clear(M);
    return det;
}

#endif
