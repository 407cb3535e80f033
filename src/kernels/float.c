/* The floating-point rank, computed the usual way, for comparison with
   the certified one (--compare-float): the matrix in doubles, singular
   values by LAPACK's dgesdd, numpy's default tolerance. */
#include <math.h>
#include <float.h>
#include "config.h"
#include "genrank.h"
#include "families/family.h"

#ifdef HAVE_LAPACK
/* LAPACK's Fortran interface (no LAPACKE needed) */
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda,
             double *s, double *u, const int *ldu, double *vt, const int *ldvt,
             double *work, const int *lwork, int *iwork, int *info);
#endif

int
genrank_have_lapack(void)
{
#ifdef HAVE_LAPACK
    return 1;
#else
    return 0;
#endif
}

int
genrank_float_rank(slong *rank, double *smax, double *smin, const genrank_instance_t inst)
{
#ifdef HAVE_LAPACK
    slong nr = genrank_instance_nrows(inst), nc = genrank_instance_ncols(inst);
    const genrank_family_ops_t *fam = _genrank_family(inst->family);
    slong i, j;
    double *a;

    if (nr > 46000 || nc > 46000
        || 8.0 * (double) nr * (double) nc * 1.2 > (double) genrank_memory_available())
        return -3;
    a = flint_malloc(sizeof(double) * nr * nc);
    /* column-major for Fortran */
    for (i = 0; i < nr; i++)
        for (j = 0; j < nc; j++)
            a[i + j * nr] = fam->entry_d(inst, i, j);
    return genrank_float_rank_dense(rank, smax, smin, a, nr, nc);
#else
    (void) rank; (void) smax; (void) smin; (void) inst;
    return -1;
#endif
}

int
genrank_float_rank_dense(slong *rank, double *smax, double *smin, double *a, slong nr, slong nc)
{
#ifdef HAVE_LAPACK
    slong k, mn = FLINT_MIN(nr, nc);
    double *s, *work, wq, tol;
    int M = (int) nr, N = (int) nc, lwork = -1, info = 0, *iwork, one = 1;

    for (k = 0; k < nr * nc; k++)
        if (!isfinite(a[k]))
        {
            flint_free(a);
            return -2;
        }
    s = flint_malloc(sizeof(double) * FLINT_MAX(mn, 1));
    iwork = flint_malloc(sizeof(int) * 8 * FLINT_MAX(mn, 1));
    dgesdd_("N", &M, &N, a, &M, s, NULL, &one, NULL, &one, &wq, &lwork, iwork, &info);
    lwork = (int) wq + 1;
    work = flint_malloc(sizeof(double) * lwork);
    dgesdd_("N", &M, &N, a, &M, s, NULL, &one, NULL, &one, work, &lwork, iwork, &info);
    flint_free(work);
    flint_free(iwork);
    flint_free(a);
    if (info != 0)
    {
        flint_free(s);
        return -2;
    }
    *smax = mn > 0 ? s[0] : 0.0;
    *smin = mn > 0 ? s[mn - 1] : 0.0;
    tol = *smax * (double) FLINT_MAX(nr, nc) * DBL_EPSILON;
    *rank = 0;
    for (k = 0; k < mn; k++)
        if (s[k] > tol)
            (*rank)++;
    flint_free(s);
    return 0;
#else
    (void) rank; (void) smax; (void) smin; (void) nr; (void) nc;
    flint_free(a);
    return -1;
#endif
}
