/* The ball route (Arb): the rank of the family's matrix for a named phi
   at the real point (A / q, B), proved in interval arithmetic.  Every
   ball contains the exact real value of what it stands for, so a pivot
   whose ball excludes zero is a nonzero real number, and the minor on
   the pivot rows and columns has a nonzero determinant (the product of
   the pivots, up to sign).  doc/theory.md, "The ball route". */
#include <arb.h>
#include <arb_mat.h>
#include <string.h>
#include "genrank.h"
#include "families/family.h"
#include "internal.h"

/* The determinant's ball at the recorded precision must be this many bits
   accurate, a margin over merely excluding zero. */
#define BALL_MARGIN_BITS 16

/* The whole matrix at precision prec. */
static void
build_arb(arb_mat_t M, const genrank_instance_t inst, slong prec)
{
    const genrank_family_ops_t *fam = _genrank_family(inst->family);
    slong i, j;
    for (i = 0; i < arb_mat_nrows(M); i++)
        for (j = 0; j < arb_mat_ncols(M); j++)
            fam->entry_arb(arb_mat_entry(M, i, j), inst, i, j, prec);
}

/* Gaussian elimination with complete pivoting on M (destroyed), the pivot
   at each step the entry of largest midpoint among those whose ball
   excludes zero.  rows[0..r), cols[0..r) receive the pivot rows and
   columns (unsorted).  Returns r. */
slong
_genrank_arb_eliminate(slong *rows, slong *cols, arb_mat_t M, slong prec)
{
    slong nr = arb_mat_nrows(M), nc = arb_mat_ncols(M), k, i, j, bi, bj;
    slong *rp = flint_malloc(FLINT_MAX(nr, 1) * sizeof(slong));
    slong *cp = flint_malloc(FLINT_MAX(nc, 1) * sizeof(slong));
    arb_t f;
    arb_init(f);
    for (i = 0; i < nr; i++)
        rp[i] = i;
    for (j = 0; j < nc; j++)
        cp[j] = j;
    for (k = 0; k < FLINT_MIN(nr, nc); k++)
    {
        bi = -1;
        bj = -1;
        for (i = k; i < nr; i++)
            for (j = k; j < nc; j++)
            {
                arb_srcptr a = arb_mat_entry(M, i, j);
                if (arb_is_nonzero(a) && (bi < 0 || arf_cmpabs(arb_midref(a),
                                          arb_midref(arb_mat_entry(M, bi, bj))) > 0))
                {
                    bi = i;
                    bj = j;
                }
            }
        if (bi < 0)
            break;
        if (bi != k)
        {
            arb_ptr t = M->rows[k];
            slong s = rp[k];
            M->rows[k] = M->rows[bi];
            M->rows[bi] = t;
            rp[k] = rp[bi];
            rp[bi] = s;
        }
        if (bj != k)
        {
            slong s = cp[k];
            for (i = 0; i < nr; i++)
                arb_swap(arb_mat_entry(M, i, k), arb_mat_entry(M, i, bj));
            cp[k] = cp[bj];
            cp[bj] = s;
        }
        for (i = k + 1; i < nr; i++)
        {
            if (arb_is_zero(arb_mat_entry(M, i, k)))
                continue;
            arb_div(f, arb_mat_entry(M, i, k), arb_mat_entry(M, k, k), prec);
            for (j = k + 1; j < nc; j++)
                arb_submul(arb_mat_entry(M, i, j), f, arb_mat_entry(M, k, j), prec);
        }
    }
    for (i = 0; i < k; i++)
    {
        rows[i] = rp[i];
        cols[i] = cp[i];
    }
    arb_clear(f);
    flint_free(rp);
    flint_free(cp);
    return k;
}

/* 1 when arb_mat_det of the minor on rows x cols, its entries computed at
   prec as build_arb computes them, excludes zero with BALL_MARGIN_BITS
   bits to spare; then *det_str is its midpoint to 20 significant digits
   (a new string). */
static int
minor_det_ok(char **det_str, const genrank_instance_t inst, const slong *rows,
             const slong *cols, slong r, slong prec)
{
    arb_mat_t S;
    arb_t det;
    const genrank_family_ops_t *fam = _genrank_family(inst->family);
    slong s, t;
    int ok;
    if (r == 0)
    {
        *det_str = flint_malloc(2);
        strcpy(*det_str, "1");
        return 1;
    }
    arb_mat_init(S, r, r);
    arb_init(det);
    for (s = 0; s < r; s++)
        for (t = 0; t < r; t++)
        {
            fam->entry_arb(arb_mat_entry(S, s, t), inst, rows[s], cols[t], prec);
        }
    arb_mat_det(det, S, prec);
    ok = arb_is_nonzero(det) && arb_rel_accuracy_bits(det) >= BALL_MARGIN_BITS;
    if (ok)
        *det_str = arb_get_str(det, 20, ARB_STR_MORE | ARB_STR_NO_RADIUS);
    arb_clear(det);
    arb_mat_clear(S);
    return ok;
}

slong
genrank_instance_rank_witness_ball(slong *rows, slong *cols, slong *prec_out,
                                   char **det_str, const genrank_instance_t inst,
                                   slong max_prec)
{
    slong nr = genrank_instance_nrows(inst), nc = genrank_instance_ncols(inst);
    slong full = FLINT_MIN(nr, nc), best = -1, prec, r;
    slong *rw = flint_malloc(FLINT_MAX(full, 1) * sizeof(slong));
    slong *cw = flint_malloc(FLINT_MAX(full, 1) * sizeof(slong));
    arb_mat_t M;

    arb_mat_init(M, nr, nc);
    /* the rank: precision doubled until the matrix's order is reached */
    for (prec = 64; prec <= max_prec && best < full; prec *= 2)
    {
        build_arb(M, inst, prec);
        r = _genrank_arb_eliminate(rw, cw, M, prec);
        if (r > best)
        {
            best = r;
            memcpy(rows, rw, r * sizeof(slong));
            memcpy(cols, cw, r * sizeof(slong));
        }
    }
    _genrank_sort_with_sign(rows, best);
    _genrank_sort_with_sign(cols, best);
    arb_mat_clear(M);
    /* the witness as the verifier checks it: arb_mat_det on the minor */
    for (prec = 64; prec <= max_prec; prec *= 2)
        if (minor_det_ok(det_str, inst, rows, cols, best, prec))
            break;
    flint_free(rw);
    flint_free(cw);
    if (prec > max_prec)
        return -1;
    *prec_out = prec;
    return best;
}
