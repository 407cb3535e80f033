/* Rank with a nonsingular witness minor, from FLINT's LU factorisation,
   and the sorting helper both witness routines use. */
#include <stdlib.h>
#include <string.h>
#include "genrank.h"
#include "internal.h"

typedef struct { slong value, pos; } pair_t;

static int
pair_cmp(const void *a, const void *b)
{
    slong x = ((const pair_t *) a)->value, y = ((const pair_t *) b)->value;
    return (x > y) - (x < y);
}

int
_genrank_sort_with_sign(slong *v, slong r)
{
    pair_t *pr = flint_malloc((r + 1) * sizeof(pair_t));
    char *seen = flint_calloc(r + 1, 1);
    slong t, cycles = 0;
    for (t = 0; t < r; t++)
    {
        pr[t].value = v[t];
        pr[t].pos = t;
    }
    qsort(pr, r, sizeof(pair_t), pair_cmp);
    for (t = 0; t < r; t++)
    {
        slong u = t;
        if (seen[t])
            continue;
        cycles++;
        while (!seen[u])
        {
            seen[u] = 1;
            u = pr[u].pos;
        }
    }
    for (t = 0; t < r; t++)
        v[t] = pr[t].value;
    flint_free(seen);
    flint_free(pr);
    return ((r - cycles) % 2) ? -1 : 1;
}

slong
genrank_nmod_mat_rank_witness(slong *rows, slong *cols, ulong *det, nmod_mat_t M)
{
    slong nr = nmod_mat_nrows(M), nc = nmod_mat_ncols(M);
    slong *P, r, t, c;
    ulong v = 1;

    if (nr == 0 || nc == 0)
    {
        *det = 1;
        return 0;
    }
    P = flint_malloc(nr * sizeof(slong));
    /* P A = L U with U in row echelon form (its first r rows nonzero) and
       L unit lower triangular, stored below U's pivots in the columns < r. */
    r = nmod_mat_lu(P, M, 0);

    for (t = 0, c = 0; t < r; t++, c++)
    {
        while (nmod_mat_entry(M, t, c) == 0)
            c++;
        cols[t] = c;
        v = nmod_mul(v, nmod_mat_entry(M, t, c), M->mod);
    }

    /* The minor with rows P[0..r) in that order has determinant
       det(L_r) * prod(pivots) = prod(pivots); sorting the rows multiplies
       it by the sign of the sorting permutation. */
    memcpy(rows, P, r * sizeof(slong));
    if (_genrank_sort_with_sign(rows, r) < 0)
        v = nmod_neg(v, M->mod);
    *det = v;
    flint_free(P);
    return r;
}
