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
#include <flint/ulong_extras.h>
#include <flint/nmod_vec.h>
#include <flint/fmpz_vec.h>
#include <flint/fmpq_vec.h>
#include "config.h"
#include "genrank.h"
#include "verify_blas.h"

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
} vcert_t;

#define FAIL(code, ...) \
    do { rc = genrank_err_set(err, code, __VA_ARGS__); goto done; } while (0)

/* A JSON integer: a number, or a decimal string of any size. */
static int
get_int(fmpz_t x, const json_t *v)
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
static int
get_slong(slong *out, const json_t *v, slong lo, slong hi)
{
    fmpz_t x;
    int ok;
    fmpz_init(x);
    ok = get_int(x, v) == 0 && fmpz_cmp_si(x, lo) >= 0 && fmpz_cmp_si(x, hi) <= 0;
    if (ok)
        *out = fmpz_get_si(x);
    fmpz_clear(x);
    return ok ? 0 : -1;
}

static int
get_ulong(ulong *out, const json_t *v)
{
    fmpz_t x;
    int ok;
    fmpz_init(x);
    ok = get_int(x, v) == 0 && fmpz_sgn(x) >= 0 && fmpz_abs_fits_ui(x);
    if (ok)
        *out = fmpz_get_ui(x);
    fmpz_clear(x);
    return ok ? 0 : -1;
}

/* a must be an array of `rows` arrays of `cols` entries each. */
static int
check_shape(const json_t *a, slong rows, slong cols, const char *name,
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
                "\"%s\"[%ld] must be an array of d = %ld integers", name, (long) i, (long) cols);
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
            if (get_int(v + i * cols + j, json_array_get(json_array_get(a, i), j)) != 0)
                return genrank_err_set(err, GENRANK_EFORMAT,
                    "\"%s\"[%ld][%ld] is not an integer", name, (long) i, (long) j);
    return 0;
}

/* `count` strictly increasing indices in [0, bound). */
static int
get_indices(slong *v, const json_t *a, slong count, slong bound,
            const char *name, genrank_err_t *err)
{
    slong i;
    if (!json_is_array(a))
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"%s\" must be an array", name);
    if ((slong) json_array_size(a) != count)
        return genrank_err_set(err, GENRANK_EINVALID,
            "witness has %ld %s but rank is %ld", (long) json_array_size(a), name, (long) count);
    for (i = 0; i < count; i++)
    {
        if (get_slong(v + i, json_array_get(a, i), 0, bound - 1) != 0)
            return genrank_err_set(err, GENRANK_EINVALID,
                "witness %s[%ld] is not an index in [0, %ld)", name, (long) i, (long) bound);
        if (i > 0 && v[i] <= v[i - 1])
            return genrank_err_set(err, GENRANK_EINVALID,
                "witness %s are not strictly increasing at position %ld", name, (long) i);
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
    slong *slot, nslots;
} minor_plan_t;

static void
plan_init(minor_plan_t *pl, const vcert_t *c, nmod_t mod)
{
    slong k, s;
    pl->cp = flint_malloc(c->len * sizeof(ulong));
    for (k = 0; k < c->len; k++)
    {
        ulong den = fmpz_fdiv_ui(fmpq_denref(c->coeffs + k), mod.n);
        pl->cp[k] = nmod_mul(fmpz_fdiv_ui(fmpq_numref(c->coeffs + k), mod.n),
                             n_invmod(den, mod.n), mod);
    }
    pl->slot = flint_malloc(c->m * sizeof(slong));
    pl->nslots = 0;
    for (s = 0; s < c->m; s++)
        pl->slot[s] = -1;
    for (s = 0; s < c->rank; s++)
        if (pl->slot[c->rows[s] % c->m] < 0)
            pl->slot[c->rows[s] % c->m] = pl->nslots++;
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

/* The witness minor modulo p, rebuilt from the instance: the needed rows
   of A and B reduced modulo p, each inner product by _nmod_vec_dot. */
static void
rebuild_minor(nmod_mat_t S, const vcert_t *c)
{
    nmod_t mod = S->mod;
    slong r = c->rank, d = c->d, s, t;
    int nlimbs = _nmod_vec_dot_bound_limbs(d, mod);
    minor_plan_t pl;
    ulong *ar, *br, *val;

    plan_init(&pl, c, mod);
    ar = pl.ar;
    br = pl.br;
    val = flint_malloc(FLINT_MAX(pl.nslots * r, 1) * sizeof(ulong));
    for (s = 0; s < pl.nslots; s++)
        for (t = 0; t < r; t++)
            val[s * r + t] = phi_mod(&pl, c->len,
                _nmod_vec_dot(ar + s * d, br + t * d, d, mod, nlimbs), mod);
    for (s = 0; s < r; s++)
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

    if (!json_is_object(w) || get_slong(&k, member(w, "rank"), 0, FLINT_MIN(c->nrows, c->n)) != 0)
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
        if ((rc = get_indices(sub.rows, member(mi, "rows"), k, c->nrows, "rows", err)) != 0)
        {
            char why[sizeof err->msg];
            snprintf(why, sizeof why, "%s", err ? err->msg : "");
            genrank_err_set(err, rc, "kruskal: minors[%ld]: %s", (long) t, why);
            break;
        }
        if (get_ulong(&want, member(mi, "det_mod_p")) != 0 || want == 0 || want >= c->p)
        {
            rc = genrank_err_set(err, GENRANK_EINVALID, "kruskal: minors[%ld]: det_mod_p must be in [1, p)", (long) t);
            break;
        }
        if (k > 0)
        {
            nmod_mat_init(S, k, k, c->p);
            rebuild_minor(S, &sub);
            det = nmod_mat_det(S);
            nmod_mat_clear(S);
        }
        else
            det = 1;
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
    int rc = 0;

    memset(&c, 0, sizeof c);
    genrank_formula_init(f);
    fmpz_init(pred);

    if (!json_is_object(root))
        FAIL(GENRANK_EFORMAT, "not a JSON object");
    v = member(root, "format");
    if (!json_is_string(v) || strcmp(json_string_value(v), "genrank-certificate") != 0)
        FAIL(GENRANK_EFORMAT, "\"format\" is not \"genrank-certificate\"");
    v = member(root, "version");
    if (!json_is_integer(v))
        FAIL(GENRANK_EFORMAT, "\"version\" is missing or not an integer");
    if (json_integer_value(v) != 1)
        FAIL(GENRANK_EFORMAT, "certificate version %lld is not supported (this verifier reads version 1)",
             (long long) json_integer_value(v));
    v = member(root, "family");
    if (!json_is_string(v) || genrank_family_parse(&c.family, json_string_value(v), NULL) != 0)
        FAIL(GENRANK_EFORMAT, "\"family\" must be \"hadamard\" or \"khatri-rao\"");
    if (get_slong(&c.m, member(root, "m"), 1, SIZE_MAX_CERT) != 0)
        FAIL(GENRANK_EFORMAT, "\"m\" must be an integer in [1, 2^40]");
    if (get_slong(&c.d, member(root, "d"), 1, SIZE_MAX_CERT) != 0)
        FAIL(GENRANK_EFORMAT, "\"d\" must be an integer in [1, 2^40]");
    if (get_slong(&c.n, member(root, "n"), 1, SIZE_MAX_CERT) != 0)
        FAIL(GENRANK_EFORMAT, "\"n\" must be an integer in [1, 2^40]");
    v = member(root, "coeffs");
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

    /* every shape is checked against the arrays before anything is
       allocated, so sizes written in the file cannot force a huge
       allocation: what is allocated is what the file holds */
    v = member(root, "A");
    w = member(root, "B");
    if ((rc = check_shape(v, c.m, c.d, "A", err)) != 0
        || (rc = check_shape(w, c.n, c.d, "B", err)) != 0)
        goto done;
    c.nrows = (c.family == GENRANK_HADAMARD) ? c.m : c.m * c.d;
    c.A = _fmpz_vec_init(c.m * c.d);
    c.B = _fmpz_vec_init(c.n * c.d);
    if ((rc = get_int_matrix(c.A, v, c.m, c.d, "A", err)) != 0)
        goto done;
    if ((rc = get_int_matrix(c.B, w, c.n, c.d, "B", err)) != 0)
        goto done;

    if (get_slong(&c.rank, member(root, "rank"), 0, WORD_MAX) != 0)
        FAIL(GENRANK_EFORMAT, "\"rank\" must be a nonnegative integer");
    if (c.rank > FLINT_MIN(c.nrows, c.n))
        FAIL(GENRANK_EINVALID, "rank %ld exceeds min(rows, columns) = %ld",
             (long) c.rank, (long) FLINT_MIN(c.nrows, c.n));

    v = member(root, "predicted");
    if (v == NULL || get_int(pred, v) != 0)
        FAIL(GENRANK_EFORMAT, "\"predicted\" must be an integer");
    genrank_formula(f, c.family, c.m, c.d, c.n, c.coeffs, c.len);
    if (!fmpz_equal(pred, f->predicted))
        FAIL(GENRANK_EINVALID, "\"predicted\" does not match %s", f->theorem);

    w = member(root, "witness");
    if (!json_is_object(w))
        FAIL(GENRANK_EFORMAT, "\"witness\" must be an object");
    if (get_ulong(&c.p, member(w, "prime")) != 0)
        FAIL(GENRANK_EFORMAT, "witness \"prime\" must be an integer in [2, 2^64)");
    if (c.p < 2 || !n_is_prime(c.p))
        FAIL(GENRANK_EINVALID, "witness prime %lu is not prime", (unsigned long) c.p);
    for (k = 0; k < c.len; k++)
        if (fmpz_fdiv_ui(fmpq_denref(c.coeffs + k), c.p) == 0)
            FAIL(GENRANK_EINVALID, "witness prime divides the denominator of c%ld", (long) k);
    if (get_ulong(&c.det, member(w, "det_mod_p")) != 0)
        FAIL(GENRANK_EFORMAT, "witness \"det_mod_p\" must be a nonnegative integer");
    if (c.det == 0 || c.det >= c.p)
        FAIL(GENRANK_EINVALID, "witness det_mod_p must be in [1, p)");

    {
        /* the minor, the inner products (at most m rows of them) and
           the reduced rows of A and B */
        double r = (double) c.rank, have = (double) genrank_memory_available();
        double bytes = 8.0 * (r * r + (double) FLINT_MIN(c.m, c.rank) * r
                              + ((double) c.m + r) * (double) c.d + 4 * r);
        if (bytes > have)
            FAIL(GENRANK_ENOMEM, "checking the %ld x %ld witness minor needs about %.2f GiB "
                 "but only %.2f GiB of memory is available",
                 (long) c.rank, (long) c.rank, bytes / 1073741824.0, have / 1073741824.0);
    }
    c.rows = flint_malloc(FLINT_MAX(c.rank, 1) * sizeof(slong));
    c.cols = flint_malloc(FLINT_MAX(c.rank, 1) * sizeof(slong));
    if ((rc = get_indices(c.rows, member(w, "rows"), c.rank, c.nrows, "rows", err)) != 0)
        goto done;
    if ((rc = get_indices(c.cols, member(w, "cols"), c.rank, c.n, "cols", err)) != 0)
        goto done;

    {
        ulong det = 1;
#ifdef HAVE_CBLAS
        if (c.rank >= VERIFY_BLAS_MIN && c.p >= 3 && c.p < GENRANK_BLAS_PRIME_MAX)
            det = minor_det_blas(&c);
        else
#endif
        if (c.rank > 0)
        {
            nmod_mat_t S;
            nmod_mat_init(S, c.rank, c.rank, c.p);
            rebuild_minor(S, &c);
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
