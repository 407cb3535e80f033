/* The verifier.  It trusts nothing the prover computed: it reads the
   recorded instance, rebuilds only the witness minor from it (inner
   products of the reduced rows by FLINT's _nmod_vec_dot), and takes the
   determinant modulo p with FLINT's nmod_mat_det.  It shares no matrix-building or elimination
   code with the prover (build.c, rank.c, prove.c). */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include <arb.h>
#include <arb_mat.h>
#include <flint/ulong_extras.h>
#include <flint/nmod_vec.h>
#include <flint/fmpz_vec.h>
#include <flint/fmpq_vec.h>
#include "config.h"
#include "genrank.h"
#include "verify_blas.h"
#include "internal.h"
#include "verify_common.h"

/* minors from this order on use the double-precision path when p < 2^24 */
#define VERIFY_BLAS_MIN 64

#define SIZE_MAX_CERT (WORD(1) << 40)

typedef struct {
    genrank_family_t family;
    slong m, d, n, nrows, rank, len;
    fmpq *coeffs;
    fmpz *A, *B;
    ulong p, det;
    slong *rows, *cols;
    /* version 2: a named phi at the point (A / q, B) */
    genrank_phi_t phi;
    fmpz_t q;
    int ball;           /* 1: ball route, else exact route */
    ulong t0, i0;       /* exact route */
    slong prec;         /* ball route */
} vcert_t;

#define FAIL(code, ...) \
    do { rc = genrank_err_set(err, code, __VA_ARGS__); goto done; } while (0)

/* A JSON integer: a number, or a decimal string of any size. */
int
_genrank_json_int(fmpz_t x, const json_t *v)
{
    if (json_is_integer(v))
    {
        fmpz_set_si(x, (slong) json_integer_value(v));
        return 0;
    }
    if (json_is_string(v))
        return genrank_integer_parse(x, json_string_value(v), NULL);
    return -1;
}

/* A JSON integer in [lo, hi]. */
int
_genrank_json_slong(slong *out, const json_t *v, slong lo, slong hi)
{
    fmpz_t x;
    int ok;
    fmpz_init(x);
    ok = _genrank_json_int(x, v) == 0 && fmpz_cmp_si(x, lo) >= 0 && fmpz_cmp_si(x, hi) <= 0;
    if (ok)
        *out = fmpz_get_si(x);
    fmpz_clear(x);
    return ok ? 0 : -1;
}

int
_genrank_json_ulong(ulong *out, const json_t *v)
{
    fmpz_t x;
    int ok;
    fmpz_init(x);
    ok = _genrank_json_int(x, v) == 0 && fmpz_sgn(x) >= 0 && fmpz_abs_fits_ui(x);
    if (ok)
        *out = fmpz_get_ui(x);
    fmpz_clear(x);
    return ok ? 0 : -1;
}

/* a must be an array of `rows` arrays of `cols` entries each. */
int
_genrank_json_shape(const json_t *a, slong rows, slong cols, const char *name,
            genrank_err_t *err)
{
    slong i;
    if (!json_is_array(a) || (slong) json_array_size(a) != rows)
        return genrank_err_set(err, GENRANK_EFORMAT,
            "\"%s\" must be an array of %ld rows", name, (long) rows);
    for (i = 0; i < rows; i++)
    {
        const json_t *r = json_array_get(a, i);
        if (!json_is_array(r) || (slong) json_array_size(r) != cols)
            return genrank_err_set(err, GENRANK_EFORMAT,
                "\"%s\"[%ld] must be an array of %ld entries", name, (long) i, (long) cols);
    }
    return 0;
}

/* The integers of a checked rows x cols array, into v (row-major). */
static int
get_int_matrix(fmpz *v, const json_t *a, slong rows, slong cols,
               const char *name, genrank_err_t *err)
{
    slong i, j;
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            if (_genrank_json_int(v + i * cols + j, json_array_get(json_array_get(a, i), j)) != 0)
                return genrank_err_set(err, GENRANK_EFORMAT,
                    "\"%s\"[%ld][%ld] is not an integer", name, (long) i, (long) j);
    return 0;
}

/* `count` strictly increasing indices in [0, bound). */
int
_genrank_json_indices(slong *v, const json_t *a, slong count, slong bound,
            const char *name, genrank_err_t *err)
{
    slong i;
    if (!json_is_array(a))
        return genrank_err_set(err, GENRANK_EFORMAT, "%s must be an array", name);
    if ((slong) json_array_size(a) != count)
        return genrank_err_set(err, GENRANK_EINVALID,
            "%s has %ld entries, not %ld", name, (long) json_array_size(a), (long) count);
    for (i = 0; i < count; i++)
    {
        if (_genrank_json_slong(v + i, json_array_get(a, i), 0, bound - 1) != 0)
            return genrank_err_set(err, GENRANK_EINVALID,
                "%s[%ld] is not an index in [0, %ld)", name, (long) i, (long) bound);
        if (i > 0 && v[i] <= v[i - 1])
            return genrank_err_set(err, GENRANK_EINVALID,
                "%s are not strictly increasing at position %ld", name, (long) i);
    }
    return 0;
}

static const json_t *
member(const json_t *obj, const char *key)
{
    return json_object_get(obj, key);
}

/* What both ways of rebuilding the minor need: phi's coefficients modulo
   p; for each A row the minor uses, its slot among those rows; and those
   rows of A (ar, nslots x d) and the minor's rows of B (br, rank x d)
   reduced modulo p. */
typedef struct {
    ulong *cp, *ar, *br;
    slong *slot, *arow, nslots;
} minor_plan_t;

static void
plan_init(minor_plan_t *pl, const vcert_t *c, nmod_t mod)
{
    slong k, s;
    pl->cp = flint_malloc(FLINT_MAX(c->len, 1) * sizeof(ulong));
    for (k = 0; k < c->len; k++)
    {
        ulong den = fmpz_fdiv_ui(fmpq_denref(c->coeffs + k), mod.n);
        pl->cp[k] = nmod_mul(fmpz_fdiv_ui(fmpq_numref(c->coeffs + k), mod.n),
                             n_invmod(den, mod.n), mod);
    }
    pl->slot = flint_malloc(c->m * sizeof(slong));
    pl->arow = flint_malloc(FLINT_MAX(c->rank, 1) * sizeof(slong));
    pl->nslots = 0;
    for (s = 0; s < c->m; s++)
        pl->slot[s] = -1;
    for (s = 0; s < c->rank; s++)
        if (pl->slot[c->rows[s] % c->m] < 0)
        {
            pl->arow[pl->nslots] = c->rows[s] % c->m;
            pl->slot[c->rows[s] % c->m] = pl->nslots++;
        }
    pl->ar = flint_malloc(FLINT_MAX(pl->nslots * c->d, 1) * sizeof(ulong));
    pl->br = flint_malloc(FLINT_MAX(c->rank * c->d, 1) * sizeof(ulong));
    for (s = 0; s < c->m; s++)
        if (pl->slot[s] >= 0)
            for (k = 0; k < c->d; k++)
                pl->ar[pl->slot[s] * c->d + k] = fmpz_fdiv_ui(c->A + s * c->d + k, mod.n);
    for (s = 0; s < c->rank; s++)
        for (k = 0; k < c->d; k++)
            pl->br[s * c->d + k] = fmpz_fdiv_ui(c->B + c->cols[s] * c->d + k, mod.n);
}

static void
plan_clear(minor_plan_t *pl)
{
    flint_free(pl->cp);
    flint_free(pl->slot);
    flint_free(pl->arow);
    flint_free(pl->ar);
    flint_free(pl->br);
}

/* phi(x) modulo p by Horner's rule. */
static ulong
phi_mod(const minor_plan_t *pl, slong len, ulong x, nmod_t mod)
{
    ulong y = 0;
    slong k;
    for (k = len - 1; k >= 0; k--)
        y = nmod_add(nmod_mul(y, x, mod), pl->cp[k], mod);
    return y;
}

/* A named phi modulo p from x = u/q and E = t0^u (exact route), written
   from the definitions independently of the prover's phi.c: returns 0
   when a denominator vanishes modulo p.  E^-1 exists since t0 != 0. */
int
_genrank_verify_named_mod(ulong *y, genrank_phi_t phi, ulong x, ulong E, ulong i0, nmod_t mod)
{
    ulong one = 1 % mod.n, Ei = 0, den, s;
    if (E != 0)
        Ei = n_invmod(E, mod.n);
    switch (phi)
    {
    case GENRANK_PHI_EXP: *y = E; return 1;
    case GENRANK_PHI_SINH:                        /* (E - 1/E) / 2 */
        *y = nmod_mul(nmod_sub(E, Ei, mod), (mod.n + 1) / 2, mod);
        return 1;
    case GENRANK_PHI_COSH: case GENRANK_PHI_COS:  /* (E + 1/E) / 2 */
        *y = nmod_mul(nmod_add(E, Ei, mod), (mod.n + 1) / 2, mod);
        return 1;
    case GENRANK_PHI_SIN: case GENRANK_PHI_DCOS:  /* (E - 1/E) / (2 i) */
        s = nmod_mul(nmod_sub(E, Ei, mod), (mod.n + 1) / 2, mod);
        s = nmod_mul(s, nmod_neg(i0, mod), mod);  /* 1/i = -i */
        *y = (phi == GENRANK_PHI_SIN) ? s : nmod_neg(s, mod);
        return 1;
    case GENRANK_PHI_TANH: case GENRANK_PHI_DTANH: /* 1 - 2 / (E^2 + 1) */
        den = nmod_add(nmod_mul(E, E, mod), one, mod);
        if (den == 0)
            return 0;
        s = nmod_sub(one, nmod_mul(2 % mod.n, n_invmod(den, mod.n), mod), mod);
        *y = (phi == GENRANK_PHI_TANH) ? s : nmod_sub(one, nmod_mul(s, s, mod), mod);
        return 1;
    case GENRANK_PHI_SIGMOID: case GENRANK_PHI_DSIGMOID:
    case GENRANK_PHI_SILU: case GENRANK_PHI_DSILU: /* s = 1 / (1 + 1/E) */
        den = nmod_add(one, Ei, mod);
        if (den == 0)
            return 0;
        s = n_invmod(den, mod.n);
        if (phi == GENRANK_PHI_SIGMOID)
            *y = s;
        else if (phi == GENRANK_PHI_SILU)
            *y = nmod_mul(x, s, mod);
        else
        {
            ulong ds = nmod_mul(s, nmod_sub(one, s, mod), mod);   /* s (1 - s) */
            *y = (phi == GENRANK_PHI_DSIGMOID) ? ds : nmod_add(s, nmod_mul(x, ds, mod), mod);
        }
        return 1;
    case GENRANK_PHI_DARCTAN:                     /* 1 / (1 + x^2) */
        den = nmod_add(one, nmod_mul(x, x, mod), mod);
        if (den == 0)
            return 0;
        *y = n_invmod(den, mod.n);
        return 1;
    default:
        return 0;
    }
}

/* The value of phi at a_i . b_t for slot s and column t of the minor:
   polynomial phi from the reduced rows; a named phi from the exact inner
   product u (x = u q^-1 and E = t0^(u mod (p-1)) modulo p).  Returns 0
   when a denominator vanishes. */
static int
minor_value(ulong *y, const minor_plan_t *pl, const vcert_t *c, slong s, slong t,
            nmod_t mod, int nlimbs, fmpz_t u)
{
    slong l, d = c->d;
    ulong x, E = 0;
    if (c->phi == GENRANK_PHI_POLY)
    {
        *y = phi_mod(pl, c->len, _nmod_vec_dot(pl->ar + s * d, pl->br + t * d, d, mod, nlimbs), mod);
        return 1;
    }
    fmpz_zero(u);
    for (l = 0; l < d; l++)
        fmpz_addmul(u, c->A + pl->arow[s] * d + l, c->B + c->cols[t] * d + l);
    x = nmod_mul(fmpz_fdiv_ui(u, mod.n), n_invmod(fmpz_fdiv_ui(c->q, mod.n), mod.n), mod);
    if (genrank_phi_class(c->phi) != GENRANK_CLASS_RATIONAL)
        E = n_powmod2_ui_preinv(c->t0, fmpz_fdiv_ui(u, mod.n - 1), mod.n, mod.ninv);
    return _genrank_verify_named_mod(y, c->phi, x, E, c->i0, mod);
}

/* The witness minor modulo p, rebuilt from the instance: the needed rows
   of A and B reduced modulo p, each inner product by _nmod_vec_dot (or
   exactly, for a named phi).  Returns 0, or 1 when a denominator of a
   named phi vanishes at some entry. */
static int
rebuild_minor(nmod_mat_t S, const vcert_t *c)
{
    nmod_t mod = S->mod;
    slong r = c->rank, d = c->d, s, t;
    int nlimbs = _nmod_vec_dot_bound_limbs(d, mod), bad = 0;
    minor_plan_t pl;
    ulong *br, *val;
    fmpz_t u;

    fmpz_init(u);
    plan_init(&pl, c, mod);
    br = pl.br;
    val = flint_malloc(FLINT_MAX(pl.nslots * r, 1) * sizeof(ulong));
    for (s = 0; s < pl.nslots && !bad; s++)
        for (t = 0; t < r && !bad; t++)
            bad = !minor_value(val + s * r + t, &pl, c, s, t, mod, nlimbs, u);
    for (s = 0; s < r && !bad; s++)
    {
        slong i = c->rows[s] % c->m, ell = c->rows[s] / c->m;
        for (t = 0; t < r; t++)
        {
            ulong y = val[pl.slot[i] * r + t];
            if (c->family == GENRANK_KHATRI_RAO)
                y = nmod_mul(y, br[t * d + ell], mod);
            nmod_mat_entry(S, s, t) = y;
        }
    }
    flint_free(val);
    plan_clear(&pl);
    fmpz_clear(u);
    return bad;
}

/* Ball route: the determinant of the minor at the real point (A / q, B),
   entries and arb_mat_det in Arb at the recorded precision. */
static void
ball_minor_det(arb_t det, const vcert_t *c)
{
    slong r = c->rank, d = c->d, s, t, l;
    arb_mat_t S;
    arb_t x;
    fmpz_t u;
    if (r == 0)
    {
        arb_one(det);
        return;
    }
    arb_mat_init(S, r, r);
    arb_init(x);
    fmpz_init(u);
    for (s = 0; s < r; s++)
    {
        slong i = c->rows[s] % c->m, ell = c->rows[s] / c->m;
        for (t = 0; t < r; t++)
        {
            arb_ptr e = arb_mat_entry(S, s, t);
            fmpz_zero(u);
            for (l = 0; l < d; l++)
                fmpz_addmul(u, c->A + i * d + l, c->B + c->cols[t] * d + l);
            arb_fmpz_div_fmpz(x, u, c->q, c->prec);
            _genrank_phi_arb(e, c->phi, x, c->prec);
            if (c->family == GENRANK_KHATRI_RAO)
                arb_mul_fmpz(e, e, c->B + c->cols[t] * d + ell, c->prec);
        }
    }
    arb_mat_det(det, S, c->prec);
    arb_mat_clear(S);
    arb_clear(x);
    fmpz_clear(u);
}

int
_genrank_ball_witness_check(const arb_t det, const json_t *w, slong prec, genrank_err_t *err)
{
    const json_t *v = json_object_get(w, "det");
    int match;
    if (!json_is_string(v))
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"det\" must be a decimal string");
    if (!arb_is_nonzero(det))
        return genrank_err_set(err, GENRANK_EINVALID, "the witness minor's determinant, in ball "
                               "arithmetic at %ld bits, is a ball containing 0", (long) prec);
    match = _genrank_ball_det_matches(det, json_string_value(v), prec);
    if (match < 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"det\" is not a decimal number");
    if (!match)
        return genrank_err_set(err, GENRANK_EINVALID,
                               "the witness minor's determinant is not the recorded \"det\"");
    return 0;
}

/* 1 when the recorded decimal value, widened by a relative 2^-40,
   overlaps the ball det; -1 when it is not a number. */
int
_genrank_ball_det_matches(const arb_t det, const char *rec, slong prec)
{
    arb_t v;
    mag_t e;
    int ok;
    arb_init(v);
    mag_init(e);
    if (arb_set_str(v, rec, FLINT_MAX(prec, 128)) != 0 || !arb_is_finite(v))
        ok = -1;
    else
    {
        arb_get_mag(e, v);
        mag_mul_2exp_si(e, e, -40);
        arb_add_error_mag(v, e);
        ok = arb_overlaps(det, v);
    }
    arb_clear(v);
    mag_clear(e);
    return ok;
}

#ifdef HAVE_CBLAS
/* The same minor as doubles for p < 2^24, inner products by dgemm, and
   its determinant by the verifier's own blocked LU (verify_blas.c). */
static ulong
minor_det_blas(const vcert_t *c)
{
    ulong p = c->p;
    nmod_t mod;
    slong r = c->rank, d = c->d, s, t, l;
    minor_plan_t pl;
    double *X, *Yt, *G, *S;
    ulong det;

    nmod_init(&mod, p);
    plan_init(&pl, c, mod);
    X = flint_malloc(FLINT_MAX(pl.nslots * d, 1) * sizeof(double));
    Yt = flint_malloc(FLINT_MAX(d * r, 1) * sizeof(double));
    G = flint_malloc(FLINT_MAX(pl.nslots * r, 1) * sizeof(double));
    for (s = 0; s < pl.nslots * d; s++)
        X[s] = (double) pl.ar[s];
    for (t = 0; t < r; t++)
        for (l = 0; l < d; l++)
            Yt[l * r + t] = (double) pl.br[t * d + l];
    genrank_vmul_blas(G, X, Yt, pl.nslots, r, d, p);
    for (s = 0; s < pl.nslots * r; s++)
    {
        G[s] = (double) phi_mod(&pl, c->len, (ulong) G[s], mod);   /* G[s] in [0, p) */
    }
    flint_free(X);
    S = flint_malloc((size_t) r * r * sizeof(double));
    for (s = 0; s < r; s++)
    {
        slong i = c->rows[s] % c->m, ell = c->rows[s] / c->m;
        const double *g = G + pl.slot[i] * r;
        double *row = S + s * r;
        if (c->family == GENRANK_KHATRI_RAO)
            for (t = 0; t < r; t++)
                row[t] = g[t] * Yt[ell * r + t];   /* < p^2 < 2^48: exact */
        else
            memcpy(row, g, r * sizeof(double));
    }
    flint_free(G);
    flint_free(Yt);
    det = genrank_vdet_blas(S, r, p);
    flint_free(S);
    plan_clear(&pl);
    return det;
}
#endif

static int
verify_kruskal(const vcert_t *c, const json_t *w, genrank_verify_info_t *info,
               genrank_err_t *err)
{
    slong k, count, t, j, *subset;
    const json_t *minors;
    fmpz_t cnt;
    vcert_t sub = *c;
    int rc = 0;

    if (!json_is_object(w) || _genrank_json_slong(&k, member(w, "rank"), 0, FLINT_MIN(c->nrows, c->n)) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT,
            "\"kruskal\" must be an object with a \"rank\" in [0, min(rows, n)]");
    fmpz_init(cnt);
    fmpz_bin_uiui(cnt, (ulong) c->n, (ulong) k);
    if (fmpz_cmp_si(cnt, GENRANK_KRUSKAL_MAX) > 0)
    {
        fmpz_clear(cnt);
        return genrank_err_set(err, GENRANK_EINVALID,
            "kruskal: C(n, %ld) column subsets exceed the %ld this verifier checks",
            (long) k, (long) GENRANK_KRUSKAL_MAX);
    }
    count = fmpz_get_si(cnt);
    fmpz_clear(cnt);
    minors = member(w, "minors");
    if (!json_is_array(minors) || (slong) json_array_size(minors) != count)
        return genrank_err_set(err, GENRANK_EINVALID,
            "kruskal: \"minors\" must list one minor for each of the C(%ld, %ld) = %ld column subsets",
            (long) c->n, (long) k, (long) count);
    subset = flint_malloc((k + 1) * sizeof(slong));
    sub.rows = flint_malloc((k + 1) * sizeof(slong));
    sub.cols = subset;
    sub.rank = k;
    for (j = 0; j < k; j++)
        subset[j] = j;
    for (t = 0; t < count && rc == 0; t++)
    {
        const json_t *mi = json_array_get(minors, t);
        ulong want, det;
        nmod_mat_t S;
        if (!json_is_object(mi))
        {
            rc = genrank_err_set(err, GENRANK_EFORMAT, "kruskal: minors[%ld] is not an object", (long) t);
            break;
        }
        if ((rc = _genrank_json_indices(sub.rows, member(mi, "rows"), k, c->nrows, "kruskal minor rows", err)) != 0)
        {
            char why[sizeof err->msg];
            snprintf(why, sizeof why, "%s", err ? err->msg : "");
            genrank_err_set(err, rc, "kruskal: minors[%ld]: %s", (long) t, why);
            break;
        }
        if (_genrank_json_ulong(&want, member(mi, "det_mod_p")) != 0 || want == 0 || want >= c->p)
        {
            rc = genrank_err_set(err, GENRANK_EINVALID, "kruskal: minors[%ld]: det_mod_p must be in [1, p)", (long) t);
            break;
        }
        det = 1;
        if (k > 0)
        {
            nmod_mat_init(S, k, k, c->p);
            if (rebuild_minor(S, &sub))
            {
                nmod_mat_clear(S);
                rc = genrank_err_set(err, GENRANK_EINVAL,
                    "kruskal: minors[%ld]: a denominator of phi vanishes modulo p", (long) t);
                break;
            }
            det = nmod_mat_det(S);
            nmod_mat_clear(S);
        }
        if (det != want)
        {
            rc = genrank_err_set(err, GENRANK_EINVALID,
                "kruskal: the minor for column subset %ld is %s modulo p", (long) t,
                det == 0 ? "singular" : "not det_mod_p");
            break;
        }
        /* next subset in lexicographic order */
        for (j = k - 1; j >= 0 && subset[j] == c->n - k + j; j--)
            ;
        if (j >= 0)
        {
            subset[j]++;
            for (j = j + 1; j < k; j++)
                subset[j] = subset[j - 1] + 1;
        }
    }
    flint_free(sub.rows);
    flint_free(subset);
    if (rc == 0 && info != NULL)
        info->kruskal_rank = k;
    return rc;
}

static int
verify_json(const json_t *root, genrank_verify_info_t *info, genrank_err_t *err)
{
    vcert_t c;
    const json_t *v, *w;
    genrank_formula_t f;
    fmpz_t pred;
    slong k;
    int rc = 0, version;

    memset(&c, 0, sizeof c);
    fmpz_init_set_ui(c.q, 1);
    genrank_formula_init(f);
    fmpz_init(pred);

    if (!json_is_object(root))
        FAIL(GENRANK_EFORMAT, "not a JSON object");
    v = member(root, "format");
    if (json_is_string(v) && strcmp(json_string_value(v), "genrank-capacity") == 0)
    {
        rc = _genrank_verify_capacity(root, info, err);
        goto done;
    }
    if (!json_is_string(v) || strcmp(json_string_value(v), "genrank-certificate") != 0)
        FAIL(GENRANK_EFORMAT, "\"format\" is not \"genrank-certificate\" or \"genrank-capacity\"");
    v = member(root, "version");
    if (!json_is_integer(v))
        FAIL(GENRANK_EFORMAT, "\"version\" is missing or not an integer");
    if (json_integer_value(v) != 1 && json_integer_value(v) != 2)
        FAIL(GENRANK_EFORMAT, "certificate version %lld is not supported (this verifier reads versions 1 and 2)",
             (long long) json_integer_value(v));
    version = (int) json_integer_value(v);
    v = member(root, "family");
    if (!json_is_string(v) || genrank_family_parse(&c.family, json_string_value(v), NULL) != 0)
        FAIL(GENRANK_EFORMAT, "\"family\" must be \"hadamard\" or \"khatri-rao\"");
    if (_genrank_json_slong(&c.m, member(root, "m"), 1, SIZE_MAX_CERT) != 0)
        FAIL(GENRANK_EFORMAT, "\"m\" must be an integer in [1, 2^40]");
    if (_genrank_json_slong(&c.d, member(root, "d"), 1, SIZE_MAX_CERT) != 0)
        FAIL(GENRANK_EFORMAT, "\"d\" must be an integer in [1, 2^40]");
    if (_genrank_json_slong(&c.n, member(root, "n"), 1, SIZE_MAX_CERT) != 0)
        FAIL(GENRANK_EFORMAT, "\"n\" must be an integer in [1, 2^40]");
    v = member(root, "coeffs");
    if (version == 2)
    {
        /* a named phi at (A / q, B), no coefficients */
        const json_t *ph = member(root, "phi");
        if (v != NULL)
            FAIL(GENRANK_EFORMAT, "a version-2 certificate names \"phi\" and has no \"coeffs\"");
        if (!json_is_string(ph) || genrank_phi_parse(&c.phi, json_string_value(ph), NULL) != 0)
            FAIL(GENRANK_EFORMAT, "\"phi\" must name an activation (%s)", genrank_phi_names());
        if (_genrank_json_int(c.q, member(root, "q")) != 0 || fmpz_sgn(c.q) <= 0)
            FAIL(GENRANK_EFORMAT, "\"q\" must be a positive integer");
    }
    else
    {
        if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > 4096)
            FAIL(GENRANK_EFORMAT, "\"coeffs\" must be an array of 1 to 4096 strings");
        c.len = json_array_size(v);
        c.coeffs = _fmpq_vec_init(c.len);
        for (k = 0; k < c.len; k++)
        {
            const json_t *e = json_array_get(v, k);
            if (!json_is_string(e) || genrank_rational_parse(c.coeffs + k, json_string_value(e), NULL) != 0)
                FAIL(GENRANK_EFORMAT, "\"coeffs\"[%ld] is not a rational string such as \"-1/3\"", (long) k);
        }
    }

    /* every shape is checked against the arrays before anything is
       allocated, so sizes written in the file cannot force a huge
       allocation: what is allocated is what the file holds */
    v = member(root, "A");
    w = member(root, "B");
    if ((rc = _genrank_json_shape(v, c.m, c.d, "A", err)) != 0
        || (rc = _genrank_json_shape(w, c.n, c.d, "B", err)) != 0)
        goto done;
    c.nrows = (c.family == GENRANK_HADAMARD) ? c.m : c.m * c.d;
    c.A = _fmpz_vec_init(c.m * c.d);
    c.B = _fmpz_vec_init(c.n * c.d);
    if ((rc = get_int_matrix(c.A, v, c.m, c.d, "A", err)) != 0)
        goto done;
    if ((rc = get_int_matrix(c.B, w, c.n, c.d, "B", err)) != 0)
        goto done;

    if (_genrank_json_slong(&c.rank, member(root, "rank"), 0, WORD_MAX) != 0)
        FAIL(GENRANK_EFORMAT, "\"rank\" must be a nonnegative integer");
    if (c.rank > FLINT_MIN(c.nrows, c.n))
        FAIL(GENRANK_EINVALID, "rank %ld exceeds min(rows, columns) = %ld",
             (long) c.rank, (long) FLINT_MIN(c.nrows, c.n));

    v = member(root, "predicted");
    if (v == NULL || _genrank_json_int(pred, v) != 0)
        FAIL(GENRANK_EFORMAT, "\"predicted\" must be an integer");
    if (c.phi != GENRANK_PHI_POLY)
        genrank_formula_phi(f, c.family, c.m, c.d, c.n);
    else
        genrank_formula(f, c.family, c.m, c.d, c.n, c.coeffs, c.len);
    if (!fmpz_equal(pred, f->predicted))
        FAIL(GENRANK_EINVALID, "\"predicted\" does not match %s", f->theorem);

    w = member(root, "witness");
    if (!json_is_object(w))
        FAIL(GENRANK_EFORMAT, "\"witness\" must be an object");
    if (c.phi != GENRANK_PHI_POLY)
    {
        v = member(w, "route");
        if (!json_is_string(v) || (strcmp(json_string_value(v), "exact") != 0
                                   && strcmp(json_string_value(v), "ball") != 0))
            FAIL(GENRANK_EFORMAT, "witness \"route\" must be \"exact\" or \"ball\"");
        c.ball = (strcmp(json_string_value(v), "ball") == 0);
        if (!c.ball && genrank_phi_class(c.phi) == GENRANK_CLASS_BALL)
            FAIL(GENRANK_EINVALID, "%s has no exact route (it is not rational in x and e^x or e^(ix))",
                 genrank_phi_name(c.phi));
    }
    if (c.ball)
    {
        if (_genrank_json_slong(&c.prec, member(w, "precision"), 2, WORD(1) << 24) != 0)
            FAIL(GENRANK_EFORMAT, "witness \"precision\" must be an integer in [2, 2^24]");
        if (member(root, "kruskal") != NULL)
            FAIL(GENRANK_EFORMAT, "a ball-route certificate has no \"kruskal\" section");
    }
    else
    {
        if (_genrank_json_ulong(&c.p, member(w, "prime")) != 0)
            FAIL(GENRANK_EFORMAT, "witness \"prime\" must be an integer in [2, 2^64)");
        if (c.p < 2 || !n_is_prime(c.p))
            FAIL(GENRANK_EINVALID, "witness prime %lu is not prime", (unsigned long) c.p);
        for (k = 0; k < c.len; k++)
            if (fmpz_fdiv_ui(fmpq_denref(c.coeffs + k), c.p) == 0)
                FAIL(GENRANK_EINVALID, "witness prime divides the denominator of c%ld", (long) k);
        if (_genrank_json_ulong(&c.det, member(w, "det_mod_p")) != 0)
            FAIL(GENRANK_EFORMAT, "witness \"det_mod_p\" must be a nonnegative integer");
        if (c.det == 0 || c.det >= c.p)
            FAIL(GENRANK_EINVALID, "witness det_mod_p must be in [1, p)");
    }
    if (c.phi != GENRANK_PHI_POLY && !c.ball)
    {
        /* the exact route's residues */
        if (c.p == 2 || fmpz_fdiv_ui(c.q, c.p) == 0)
            FAIL(GENRANK_EINVALID, "witness prime must be odd and not divide q");
        if (_genrank_json_ulong(&c.t0, member(w, "t0")) != 0 || c.t0 == 0 || c.t0 >= c.p)
            FAIL(GENRANK_EINVALID, "witness \"t0\" must be an integer in [1, p)");
        if (genrank_phi_class(c.phi) == GENRANK_CLASS_TRIG)
        {
            if (_genrank_json_ulong(&c.i0, member(w, "i0")) != 0 || c.i0 >= c.p
                || n_mulmod2_preinv(c.i0, c.i0, c.p, n_preinvert_limb(c.p)) != c.p - 1)
                FAIL(GENRANK_EINVALID, "witness \"i0\" must be a square root of -1 modulo p");
        }
    }

    {
        /* the minor, the inner products (at most m rows of them) and
           the reduced rows of A and B */
        double r = (double) c.rank, have = (double) genrank_memory_available();
        double bytes = 8.0 * (r * r + (double) FLINT_MIN(c.m, c.rank) * r
                              + ((double) c.m + r) * (double) c.d + 4 * r);
        if (c.ball)
            bytes = r * r * (48.0 + (double) c.prec / 4.0);
        if (bytes > have)
            FAIL(GENRANK_ENOMEM, "checking the %ld x %ld witness minor needs about %.2f GiB "
                 "but only %.2f GiB of memory is available",
                 (long) c.rank, (long) c.rank, bytes / 1073741824.0, have / 1073741824.0);
    }
    c.rows = flint_malloc(FLINT_MAX(c.rank, 1) * sizeof(slong));
    c.cols = flint_malloc(FLINT_MAX(c.rank, 1) * sizeof(slong));
    if ((rc = _genrank_json_indices(c.rows, member(w, "rows"), c.rank, c.nrows, "witness rows", err)) != 0)
        goto done;
    if ((rc = _genrank_json_indices(c.cols, member(w, "cols"), c.rank, c.n, "witness cols", err)) != 0)
        goto done;

    if (c.ball)
    {
        arb_t det;
        arb_init(det);
        ball_minor_det(det, &c);
        rc = _genrank_ball_witness_check(det, w, c.prec, err);
        arb_clear(det);
        if (rc != 0)
            goto done;
    }
    else
    {
        ulong det = 1;
#ifdef HAVE_CBLAS
        if (c.phi == GENRANK_PHI_POLY && c.rank >= VERIFY_BLAS_MIN && c.p >= 3
            && c.p < GENRANK_BLAS_PRIME_MAX)
            det = minor_det_blas(&c);
        else
#endif
        if (c.rank > 0)
        {
            nmod_mat_t S;
            nmod_mat_init(S, c.rank, c.rank, c.p);
            if (rebuild_minor(S, &c))
            {
                nmod_mat_clear(S);
                FAIL(GENRANK_EINVALID, "a denominator of %s vanishes modulo p at t0 in the witness minor",
                     genrank_phi_name(c.phi));
            }
            det = nmod_mat_det(S);
            nmod_mat_clear(S);
        }
        if (det == 0)
            FAIL(GENRANK_EINVALID, "the witness minor is singular modulo p");
        if (det != c.det)
            FAIL(GENRANK_EINVALID, "the witness minor's determinant is %lu modulo p, not det_mod_p = %lu",
                 (unsigned long) det, (unsigned long) c.det);
    }

    /* the optional Kruskal certificate: every k-subset of columns, in
       lexicographic order, with rows of a nonzero k x k minor */
    w = member(root, "kruskal");
    if (info != NULL)
        info->kruskal_rank = -1;
    if (w != NULL)
    {
        if ((rc = verify_kruskal(&c, w, info, err)) != 0)
            goto done;
    }

    if (info != NULL)
    {
        info->capacity = 0;
        strcpy(info->family, genrank_family_name(c.family));
        info->m = c.m;
        info->d = c.d;
        info->n = c.n;
        info->rank = c.rank;
        {
            char *s = fmpz_get_str(NULL, 10, f->predicted);
            snprintf(info->predicted, sizeof info->predicted, "%s", s);
            flint_free(s);
        }
        snprintf(info->prime, sizeof info->prime, "%lu", (unsigned long) c.p);
        snprintf(info->phi, sizeof info->phi, "%s",
                 c.phi == GENRANK_PHI_POLY ? "" : genrank_phi_name(c.phi));
        snprintf(info->route, sizeof info->route, "%s",
                 c.phi == GENRANK_PHI_POLY ? "" : c.ball ? "ball" : "exact");
        info->precision = c.prec;
        snprintf(info->theorem, sizeof info->theorem, "%s", f->theorem);
    }

done:
    if (c.coeffs)
        _fmpq_vec_clear(c.coeffs, c.len);
    if (c.A)
        _fmpz_vec_clear(c.A, c.m * c.d);
    if (c.B)
        _fmpz_vec_clear(c.B, c.n * c.d);
    flint_free(c.rows);
    flint_free(c.cols);
    fmpz_clear(pred);
    fmpz_clear(c.q);
    genrank_formula_clear(f);
    return rc;
}

static int
verify_loaded(json_t *root, const json_error_t *jerr, genrank_verify_info_t *info,
              genrank_err_t *err)
{
    int rc;
    if (root == NULL)
        return genrank_err_set(err, GENRANK_EFORMAT, "not valid JSON (line %d, column %d: %s)",
                               jerr->line, jerr->column, jerr->text);
    rc = verify_json(root, info, err);
    json_decref(root);
    return rc;
}

int
genrank_verify_string(const char *json, genrank_verify_info_t *info, genrank_err_t *err)
{
    json_error_t jerr;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    return verify_loaded(root, &jerr, info, err);
}

int
genrank_verify_file(const char *path, genrank_verify_info_t *info, genrank_err_t *err)
{
    json_error_t jerr;
    json_t *root;
    struct stat sb;
    FILE *f;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': it is a directory", path);
    f = fopen(path, "rb");
    if (f == NULL)
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': %s", path, strerror(errno));
    root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    return verify_loaded(root, &jerr, info, err);
}
