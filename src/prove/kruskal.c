/* The Kruskal rank (genrank_prove_kruskal): at a certificate's point and
   prime, a nonzero k x k minor in every k-subset of columns. */
#include "genrank.h"
#include "internal.h"

/* Next k-subset of {0..n-1} in lexicographic order; 0 after the last. */
static int
next_subset(slong *s, slong k, slong n)
{
    slong i = k - 1;
    while (i >= 0 && s[i] == n - k + i)
        i--;
    if (i < 0)
        return 0;
    s[i]++;
    for (i = i + 1; i < k; i++)
        s[i] = s[i - 1] + 1;
    return 1;
}

int
genrank_prove_kruskal(genrank_cert_t cert, genrank_err_t *err)
{
    slong n = cert->inst->n, nr = genrank_instance_nrows(cert->inst), k, t, i;
    nmod_mat_t M;
    fmpz_t cnt;

    if (cert->route == GENRANK_ROUTE_BALL)
        return genrank_err_set(err, GENRANK_EINVAL,
            "Kruskal rank: only for certificates modulo a prime (not the ball route)");
    {
        /* the matrix and one submatrix of it */
        double need = 16.0 * (double) nr * (double) n, have = (double) genrank_memory_available();
        if (need > have)
            return genrank_err_set(err, GENRANK_ENOMEM,
                "Kruskal rank: the %ld x %ld matrix needs about %.2f GiB but only %.2f GiB is available",
                (long) nr, (long) n, need / 1073741824.0, have / 1073741824.0);
    }
    flint_free(cert->kruskal_rows);
    flint_free(cert->kruskal_dets);
    cert->kruskal_rows = NULL;
    cert->kruskal_dets = NULL;
    cert->kruskal_rank = -1;
    fmpz_init(cnt);
    nmod_mat_init(M, nr, n, cert->prime);
    genrank_instance_matrix_nmod(M, cert->inst);
    for (k = cert->rank; k >= 0; k--)
    {
        slong *s, count = 0, *rows, *cols;
        ulong *dets;
        int independent = 1;
        fmpz_bin_uiui(cnt, (ulong) n, (ulong) k);
        if (fmpz_cmp_si(cnt, GENRANK_KRUSKAL_MAX) > 0)
        {
            char *c = fmpz_get_str(NULL, 10, cnt);
            genrank_err_set(err, GENRANK_EINVAL,
                "Kruskal rank: C(%ld, %ld) = %s column subsets to check, more than the %ld allowed",
                (long) n, (long) k, c, (long) GENRANK_KRUSKAL_MAX);
            flint_free(c);
            nmod_mat_clear(M);
            fmpz_clear(cnt);
            return GENRANK_EINVAL;
        }
        count = fmpz_get_si(cnt);
        s = flint_malloc((k + 1) * sizeof(slong));
        rows = flint_malloc(FLINT_MAX(count * k, 1) * sizeof(slong));
        cols = flint_malloc((k + 1) * sizeof(slong));
        dets = flint_malloc(FLINT_MAX(count, 1) * sizeof(ulong));
        for (t = 0; t < k; t++)
            s[t] = t;
        for (t = 0; t < count; t++)
        {
            nmod_mat_t S;
            slong r;
            nmod_mat_init(S, nr, k, cert->prime);
            for (i = 0; i < nr; i++)
            {
                slong j;
                for (j = 0; j < k; j++)
                    nmod_mat_entry(S, i, j) = nmod_mat_entry(M, i, s[j]);
            }
            r = genrank_nmod_mat_rank_witness(rows + t * k, cols, dets + t, S);
            nmod_mat_clear(S);
            if (r < k)
            {
                independent = 0;
                break;
            }
            next_subset(s, k, n);
        }
        flint_free(s);
        flint_free(cols);
        if (independent)
        {
            cert->kruskal_rank = k;
            cert->kruskal_count = count;
            cert->kruskal_rows = rows;
            cert->kruskal_dets = dets;
            break;
        }
        flint_free(rows);
        flint_free(dets);
    }
    nmod_mat_clear(M);
    fmpz_clear(cnt);
    return 0;
}
