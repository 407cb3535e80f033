/* The verifier's dense arithmetic for primes below 2^24: inner products
   through dgemm and a determinant by blocked right-looking LU with
   partial pivoting.  Written separately from the prover's kernel
   (blas.c); the two share only the arithmetic primitives of dmod.h. */
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

ulong
genrank_vdet_blas(double *S, slong r, ulong p)
{
    dmod_t F;
    slong nb, k0, kb = 0, i, j, c;
    double det = 1, *W, *Li, *T;
    int zero = 0;

    dmod_init(&F, p);
    nb = FLINT_MIN(96, F.kmax);
    W = flint_malloc(FLINT_MAX(r * nb, 1) * sizeof(double));
    Li = flint_malloc(nb * nb * sizeof(double));
    T = flint_malloc(FLINT_MAX(nb * r, 1) * sizeof(double));
    reduce_mat(S, r, r, r, &F);

    for (k0 = 0; k0 < r && !zero; k0 += kb)
    {
        slong mr = r - k0, rest;
        double *P0 = S + k0 * r + k0;
        kb = FLINT_MIN(nb, r - k0);
        rest = r - k0 - kb;

        /* factor the panel (mr x kb), column-major in W; each entry is
           updated at most kb <= kmax times before it is reduced */
        for (i = 0; i < mr; i++)
            for (c = 0; c < kb; c++)
                W[c * mr + i] = P0[i * r + c];
        for (j = 0; j < kb; j++)
        {
            double *wj = W + j * mr, inv;
            for (i = j; i < mr; i++)
                wj[i] = dred_exact(wj[i], &F);
            for (i = j; i < mr && wj[i] == 0; i++)
                ;
            if (i == mr)
            {
                zero = 1;
                break;
            }
            if (i != j)
            {
                for (c = 0; c < kb; c++)
                {
                    double s = W[c * mr + j];
                    W[c * mr + j] = W[c * mr + i];
                    W[c * mr + i] = s;
                }
                for (c = kb; c < mr; c++)   /* the rest of the two rows of S */
                {
                    double s = P0[j * r + c];
                    P0[j * r + c] = P0[i * r + c];
                    P0[i * r + c] = s;
                }
                det = -det;
            }
            det = dred(det * wj[j], &F);
            inv = dinv(wj[j], &F);
            for (i = j + 1; i < mr; i++)
                wj[i] = dred(wj[i] * inv, &F);
            for (c = j + 1; c < kb; c++)
            {
                double *wc = W + c * mr, u = dred(wc[j], &F);
                wc[j] = u;
                if (u != 0)
                    for (i = j + 1; i < mr; i++)
                        wc[i] -= wj[i] * u;
            }
        }
        if (zero || rest == 0)
            break;
        for (c = 0; c < kb; c++)
            reduce_row(W + c * mr, mr, &F);
        for (i = 0; i < mr; i++)
            for (c = 0; c < kb; c++)
                P0[i * r + c] = W[c * mr + i];

        /* U12 = L11^-1 A12 and A22 -= L21 U12 */
        unit_lower_inverse(Li, P0, r, kb, &F);
        for (i = 0; i < kb; i++)
            memcpy(T + i * rest, P0 + i * r + kb, rest * sizeof(double));
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) kb, (int) rest,
                    (int) kb, 1.0, Li, (int) kb, T, (int) rest, 0.0, P0 + kb, (int) r);
        reduce_mat(P0 + kb, r, kb, rest, &F);
        gemm_sub(P0 + kb * r + kb, r, P0 + kb * r, r, P0 + kb, r, mr - kb, rest, kb, &F);
    }
    flint_free(T);
    flint_free(Li);
    flint_free(W);
    if (zero)
        return 0;
    det = dred_exact(det, &F);
    return (ulong) (det < 0 ? (slong) det + (slong) p : (slong) det);
}

#endif
