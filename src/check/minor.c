/* The witness minor: rebuilt row by row from a certificate kind's own
   callback, and its determinant taken modulo p or in ball arithmetic.
   One routine serves every certificate kind. */
#include <stdint.h>
#include <string.h>
#include <arb_mat.h>
#include <flint/nmod_mat.h>
#include <flint/thread_support.h>
#include "config.h"
#include "check.h"
#include "vblas.h"

/* minors from this order on use the double-precision path when p < 2^24 */
#define MINOR_BLAS_MIN 64

int
_genrank_minor_use_blas(slong r, ulong p)
{
#ifdef HAVE_CBLAS
    return r >= MINOR_BLAS_MIN && p >= 3 && p < GENRANK_BLAS_PRIME_MAX;
#else
    (void) r;
    (void) p;
    return 0;
#endif
}

/* the 16-bit path: the double-precision path's orders and p < 2^16 */
static int
minor_use_u16(slong r, ulong p)
{
    return _genrank_minor_use_blas(r, p) && p < (UWORD(1) << 16);
}

double
_genrank_minor_bytes_mod(slong r, ulong p)
{
    /* the minor and one row; on the 16-bit path 2 bytes an entry and the
       determinant's panels in doubles */
    if (minor_use_u16(r, p))
        return 2.0 * (double) r * (double) r + 8.0 * (double) r + genrank_vdet_blas_u16_bytes(r);
    return 8.0 * ((double) r * (double) r + (double) r);
}

double
_genrank_minor_bytes_arb(slong r, slong prec)
{
    return (double) r * (double) r * (48.0 + (double) prec / 4.0);
}

/* det S by FLINT's LU factorisation in place (S destroyed): the product
   of U's diagonal times the sign of the row permutation.  nmod_mat_det
   would first copy S. */
static ulong
det_in_place(nmod_mat_t S)
{
    slong r = nmod_mat_nrows(S), i, j, *P = flint_malloc(r * sizeof(slong));
    ulong d = 1 % S->mod.n;
    int odd = 0;
    if (nmod_mat_lu(P, S, 1) < r)
        d = 0;
    else
    {
        for (i = 0; i < r; i++)
            d = nmod_mul(d, nmod_mat_entry(S, i, i), S->mod);
        /* the permutation's parity: r minus its number of cycles */
        for (i = 0; i < r; i++)
        {
            if (P[i] < 0)
                continue;
            for (j = i; P[j] >= 0; )
            {
                slong k = P[j];
                P[j] = -1;
                j = k;
                odd ^= (j != i);
            }
        }
        if (odd)
            d = nmod_neg(d, S->mod);
    }
    flint_free(P);
    return d;
}

/* rows of the minor from row_d, split between FLINT's threads: into S
   (doubles) as they are, or reduced into S16 (16 bits, p < 2^16) through
   a row of doubles per thread */
typedef struct {
    double *S;
    uint16_t *S16;
    slong r, parts;
    ulong p;
    _genrank_minor_row_d_t row;
    void *ctx;
} rows_d_t;

static void
rows_d_part(slong t, void *arg)
{
    const rows_d_t *R = arg;
    double *buf = R->S16 != NULL ? flint_malloc(R->r * sizeof(double)) : NULL;
    slong s;
    for (s = R->r * t / R->parts; s < R->r * (t + 1) / R->parts; s++)
    {
        if (buf == NULL)
            R->row(R->S + s * R->r, s, R->ctx);
        else
        {
            R->row(buf, s, R->ctx);
            genrank_vred_u16(R->S16 + s * R->r, buf, R->r, R->p);
        }
    }
    flint_free(buf);
}

int
_genrank_minor_det_mod_d(ulong *det, slong r, nmod_t mod, _genrank_minor_row_mod_t row,
                         _genrank_minor_row_d_t row_d, void *ctx, genrank_err_t *err)
{
    rows_d_t R;
    int u16 = minor_use_u16(r, mod.n);
    size_t bytes = (size_t) r * r * (u16 ? sizeof(uint16_t) : sizeof(double));
    if (row_d == NULL || !_genrank_minor_use_blas(r, mod.n))
        return _genrank_minor_det_mod(det, r, mod, row, ctx, err);
    R.S = NULL;
    R.S16 = NULL;
    if (u16)
        R.S16 = _genrank_big_alloc(bytes);
    else
        R.S = _genrank_big_alloc(bytes);
    R.r = r;
    R.parts = FLINT_MAX(1, FLINT_MIN(flint_get_num_threads(), r));
    R.p = mod.n;
    R.row = row_d;
    R.ctx = ctx;
    if (R.parts < 2)
        rows_d_part(0, &R);
    else
        flint_parallel_do(rows_d_part, &R, R.parts, (int) R.parts, FLINT_PARALLEL_UNIFORM);
    *det = u16 ? genrank_vdet_blas_u16(R.S16, r, mod.n) : genrank_vdet_blas(R.S, r, mod.n);
    _genrank_big_free(u16 ? (void *) R.S16 : (void *) R.S, bytes);
    return 0;
}

int
_genrank_minor_det_mod(ulong *det, slong r, nmod_t mod, _genrank_minor_row_mod_t row,
                       void *ctx, genrank_err_t *err)
{
    slong s, t;
    int ok = 1;
    if (r == 0)
    {
        *det = 1 % mod.n;
        return 0;
    }
    if (minor_use_u16(r, mod.n))
    {
        uint16_t *S = _genrank_big_alloc((size_t) r * r * sizeof(uint16_t));
        ulong *buf = flint_malloc(r * sizeof(ulong));
        for (s = 0; s < r && ok; s++)
        {
            ok = row(buf, s, ctx, err);
            for (t = 0; t < r; t++)
                S[s * r + t] = (uint16_t) buf[t];
        }
        if (ok)
            *det = genrank_vdet_blas_u16(S, r, mod.n);
        flint_free(buf);
        _genrank_big_free(S, (size_t) r * r * sizeof(uint16_t));
    }
    else if (_genrank_minor_use_blas(r, mod.n))
    {
        double *S = _genrank_big_alloc((size_t) r * r * sizeof(double));
        ulong *buf = flint_malloc(r * sizeof(ulong));
        for (s = 0; s < r && ok; s++)
        {
            ok = row(buf, s, ctx, err);
            for (t = 0; t < r; t++)
                S[s * r + t] = (double) buf[t];
        }
        if (ok)
            *det = genrank_vdet_blas(S, r, mod.n);
        flint_free(buf);
        _genrank_big_free(S, (size_t) r * r * sizeof(double));
    }
    else
    {
        nmod_mat_t S;
        nmod_mat_init(S, r, r, mod.n);
        for (s = 0; s < r && ok; s++)
            ok = row(S->rows[s], s, ctx, err);
        if (ok)
            *det = det_in_place(S);
        nmod_mat_clear(S);
    }
    return ok ? 0 : (err != NULL && err->code != 0 ? err->code : GENRANK_EINVALID);
}

void
_genrank_minor_det_arb(arb_t det, slong r, slong prec, _genrank_minor_row_arb_t row, void *ctx)
{
    arb_mat_t S;
    slong s;
    if (r == 0)
    {
        arb_one(det);
        return;
    }
    arb_mat_init(S, r, r);
    for (s = 0; s < r; s++)
        row(S->rows[s], s, prec, ctx);
    arb_mat_det(det, S, prec);
    arb_mat_clear(S);
}

int
_genrank_minor_fast_mod(slong r, nmod_t mod, _genrank_minor_row_mod_t row, void *ctx,
                        const ulong *X, const ulong *C, slong k, genrank_err_t *err)
{
    ulong *Y = flint_calloc(FLINT_MAX(k * r, 1), sizeof(ulong));
    ulong *buf = flint_malloc(FLINT_MAX(r, 1) * sizeof(ulong));
    slong s, j;
    int ok = 1, rc = 0;
    for (s = 0; s < r && ok; s++)
    {
        ok = row(buf, s, ctx, err);
        for (j = 0; j < k && ok; j++)
            _nmod_vec_scalar_addmul_nmod(Y + j * r, buf, r, X[j * r + s], mod);
    }
    if (!ok)
        rc = (err != NULL && err->code != 0) ? err->code : GENRANK_EINVALID;
    else
        rc = _genrank_fast_compare(Y, C, k, r, err);
    flint_free(Y);
    flint_free(buf);
    return rc;
}

int
_genrank_fast_compare(const ulong *Y, const ulong *C, slong k, slong r, genrank_err_t *err)
{
    slong j, t;
    for (j = 0; j < k; j++)
        for (t = 0; t < r; t++)
            if (Y[j * r + t] != C[j * r + t])
                return genrank_err_set(err, GENRANK_EINVALID,
                    "the fast section is wrong: vector %ld times the witness minor differs "
                    "from the challenge in column %ld", (long) j, (long) t);
    return 0;
}

int
_genrank_minor_check_mod(ulong det, ulong want, genrank_err_t *err)
{
    if (det == 0)
        return genrank_err_set(err, GENRANK_EINVALID, "the witness minor is singular modulo p");
    if (det != want)
        return genrank_err_set(err, GENRANK_EINVALID,
            "the witness minor's determinant is %lu modulo p, not det_mod_p = %lu",
            (unsigned long) det, (unsigned long) want);
    return 0;
}

int
_genrank_ball_witness_check(const arb_t det, const json_t *w, slong prec, genrank_err_t *err)
{
    return _genrank_ball_witness_check_tol(det, w, prec, 40, err);
}

int
_genrank_ball_witness_check_tol(const arb_t det, const json_t *w, slong prec, slong tol_bits,
                                genrank_err_t *err)
{
    const json_t *v = json_object_get(w, "det");
    int match;
    if (!json_is_string(v))
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"det\" must be a decimal string");
    if (!arb_is_nonzero(det))
        return genrank_err_set(err, GENRANK_EINVALID, "the witness minor's determinant, in ball "
                               "arithmetic at %ld bits, is a ball containing 0", (long) prec);
    match = _genrank_ball_det_matches(det, json_string_value(v), prec, tol_bits);
    if (match == -2)
        return genrank_err_set(err, GENRANK_EINVALID, "witness \"det\" is not a tight value "
                               "(at least 60 bits of relative accuracy, not a wide ball)");
    if (match < 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"det\" is not a decimal number");
    if (!match)
        return genrank_err_set(err, GENRANK_EINVALID,
                               "the witness minor's determinant is not the recorded \"det\"");
    return 0;
}

int
_genrank_ball_det_matches(const arb_t det, const char *rec, slong prec, slong tol_bits)
{
    arb_t v;
    mag_t e;
    int ok;
    arb_init(v);
    mag_init(e);
    if (arb_set_str(v, rec, FLINT_MAX(prec, 128)) != 0 || !arb_is_finite(v))
        ok = -1;
    else if (arb_rel_accuracy_bits(v) < 60)
        ok = -2;   /* a wide ball, such as [0 +/- 1e100], would overlap anything */
    else
    {
        arb_get_mag(e, v);
        mag_mul_2exp_si(e, e, -tol_bits);
        arb_add_error_mag(v, e);
        ok = arb_overlaps(det, v);
    }
    arb_clear(v);
    mag_clear(e);
    return ok;
}
