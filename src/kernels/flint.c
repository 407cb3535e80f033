/* Rank with a nonsingular witness minor, from FLINT's LU factorisation,
   and the sorting helper both witness routines use. */
#include <stdlib.h>
#include <string.h>
#include <flint/nmod_vec.h>
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

static int
slong_cmp(const void *a, const void *b)
{
    slong x = *(const slong *) a, y = *(const slong *) b;
    return (x > y) - (x < y);
}

void
_genrank_sorted_positions(slong *pos, const slong *v, const slong *sorted, slong r)
{
    slong t;
    for (t = 0; t < r; t++)
        pos[t] = (const slong *) bsearch(v + t, sorted, r, sizeof(slong), slong_cmp) - sorted;
}

/* X_j^T S' = C'_j^T for S' = L11 U11 (nmod_mat_lu's factors: L[s][u] at
   (s, u) for u < s, U[u][cols[t]] at (u, cols[t]); rows in P order, the
   pivot columns increasing, so C' = C), by U11^T y = c forward and
   L11^T x = y backward, each an axpy over a row of the factor. */
static void
solve_nmod(genrank_solve_t *sv, const nmod_mat_t M, const slong *P, const slong *cols,
           const slong *rows, slong r, ulong det)
{
    nmod_t mod = M->mod;
    slong k = sv->k, j, s, t, *pos = flint_malloc(FLINT_MAX(r, 1) * sizeof(slong));
    ulong *C = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(ulong));
    ulong *inv = flint_malloc(FLINT_MAX(r, 1) * sizeof(ulong));
    sv->X = NULL;
    if (sv->challenge(C, k, rows, cols, r, det, mod.n, sv->ctx) != 0)
    {
        flint_free(inv);
        flint_free(C);
        flint_free(pos);
        return;
    }
    _genrank_sorted_positions(pos, P, rows, r);
    for (s = 0; s < r; s++)
        inv[s] = n_invmod(nmod_mat_entry(M, s, cols[s]), mod.n);
    sv->X = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(ulong));
    for (j = 0; j < k; j++)
    {
        ulong *y = C + j * r;
        for (s = 0; s < r; s++)
        {
            ulong ys = nmod_mul(y[s], inv[s], mod), neg = nmod_neg(ys, mod);
            y[s] = ys;
            if (ys != 0)
                for (t = s + 1; t < r; t++)
                    y[t] = nmod_addmul(y[t], nmod_mat_entry(M, s, cols[t]), neg, mod);
        }
        for (t = r - 1; t >= 0; t--)
        {
            ulong neg = nmod_neg(y[t], mod);
            if (neg != 0)
                _nmod_vec_scalar_addmul_nmod(y, M->rows[t], t, neg, mod);
        }
        for (s = 0; s < r; s++)
            sv->X[j * r + pos[s]] = y[s];
    }
    flint_free(inv);
    flint_free(C);
    flint_free(pos);
}

slong
genrank_nmod_mat_rank_witness(slong *rows, slong *cols, ulong *det, nmod_mat_t M)
{
    return genrank_nmod_mat_rank_witness_solve(rows, cols, det, M, NULL);
}

slong
genrank_nmod_mat_rank_witness_solve(slong *rows, slong *cols, ulong *det, nmod_mat_t M,
                                    genrank_solve_t *sv)
{
    slong nr = nmod_mat_nrows(M), nc = nmod_mat_ncols(M);
    slong *P, r, t, c;
    ulong v = 1;

    if (nr == 0 || nc == 0)
    {
        *det = 1;
        if (sv != NULL)
            sv->X = flint_malloc(sizeof(ulong));   /* k x 0 */
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
    if (sv != NULL)
        solve_nmod(sv, M, P, cols, rows, r, v);
    flint_free(P);
    return r;
}
