/* Checking a capacity certificate (doc/certificate-format.md, section
   10).  From the recorded data, activation and point (W0, b0, v0) alone
   it rebuilds the witness minor of diag(v0) psi'(W0^T X + b0 1^T) (.) X,
   entry (l m + k, i) = v0_k psi'(z_ki) x_li with z_ki = w_k . x_i + b_k
   computed exactly, and takes its determinant: modulo p (psi' evaluated
   from z modulo p, from the sign of z for ReLU, and for a named psi'
   from u = q z and t0^u), or in ball arithmetic.  It shares no code with
   the prover: only core/'s parsers, the data reader (for data given by
   file), the activation table and phi's ball definitions. */
#define _XOPEN_SOURCE 700   /* realpath */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <flint/fmpq_vec.h>
#include <flint/fmpz_vec.h>
#include <flint/ulong_extras.h>
#include "check.h"

#define CERT_MAX CHECK_SIZE_MAX

typedef struct {
    slong n, d, m;
    fmpq *x, *W0, *b0, *v0;
    genrank_activation_t act;
    int ball;
    ulong p, t0, i0, det;
    slong prec;
    fmpz_t q;
    slong *rows, *cols;
    char data_file[256];  /* the data file read, "" for inline data */
    /* exact integers, per point and per neuron (never one common
       denominator of all, whose size would grow with the whole data):
       X_i = Di x_i, and W_k = Dk w_k, b_k = Dk b_k */
    fmpz *Xi, *Di, *Wi, *bi, *Dk;
    const genrank_verify_opts_t *opts;
} ccert_t;

/* The data: inline points, or the file (SHA-256 checked) read again with
   the recorded options and the recorded selection of its points. */
/* Inline points (with an informational selection that must make sense). */
static int
get_inline(ccert_t *c, const json_t *dj, const json_t *pts, genrank_err_t *err)
{
    const json_t *v;
    int rc;
    /* the shape first: n is then bounded by what the file holds */
    if ((rc = _genrank_json_shape(pts, c->n, c->d, "points", err)) != 0)
        return rc;
    /* the selection is informational here, but must make sense */
    v = json_object_get(dj, "select");
    if (v != NULL)
    {
        slong nf, *sel;
        if (_genrank_json_slong(&nf, json_object_get(dj, "points_in_file"), c->n, CERT_MAX) != 0)
            return genrank_err_set(err, GENRANK_EINVALID,
                "\"data\".\"select\" needs \"points_in_file\", at least n = %ld", (long) c->n);
        if (!json_is_array(v) || (slong) json_array_size(v) != c->n)
            return genrank_err_set(err, GENRANK_EINVALID, "\"data\".\"select\" must have n entries");
        sel = flint_malloc(c->n * sizeof(slong));
        rc = _genrank_json_indices(sel, v, c->n, nf, "data select", err);
        flint_free(sel);
        if (rc != 0)
            return rc;
    }
    c->x = _fmpq_vec_init(c->n * c->d);
    return _genrank_json_rational_matrix(c->x, pts, c->n, c->d, "points", err);
}

/* The reading options a data file is re-read with. */
static int
data_options(genrank_data_opts_t *o, const json_t *dj, genrank_err_t *err)
{
    const char *h;
    const json_t *v;
    genrank_data_opts_init(o);
    h = json_string_value(json_object_get(dj, "header"));
    if (h == NULL || (strcmp(h, "auto") && strcmp(h, "yes") && strcmp(h, "no")))
        return genrank_err_set(err, GENRANK_EFORMAT, "\"data\".\"header\" must be auto, yes or no");
    o->header = !strcmp(h, "yes") ? GENRANK_HEADER_YES : !strcmp(h, "no") ? GENRANK_HEADER_NO
               : GENRANK_HEADER_AUTO;
    v = json_object_get(dj, "label_column");
    if (json_is_string(v) && !strcmp(json_string_value(v), "last"))
        o->label_column = GENRANK_LABEL_LAST;
    else if (json_is_string(v) && !strcmp(json_string_value(v), "none"))
        o->label_column = GENRANK_LABEL_NONE;
    else if (_genrank_json_slong(&o->label_column, v, 1, CERT_MAX) == 0)
        o->label_column--;
    else
        return genrank_err_set(err, GENRANK_EFORMAT,
            "\"data\".\"label_column\" must be \"none\", \"last\" or a column number");
    return 0;
}

/* The data file's path: the recorded one, relative and without "..",
   inside the data directory (the certificate's own unless the caller
   widened it), and still inside once symbolic links are resolved.  Into
   *full (malloc'd) the file to read. */
static int
data_path(char **full, const char *rec, const char *dir, genrank_err_t *err)
{
    const char *s;
    char *joined, *rdir;
    size_t k;
    *full = NULL;
    if (rec[0] == '\0' || rec[0] == '/')
        return genrank_err_set(err, GENRANK_EIO, "the data file '%.200s' is not a relative path: the "
                               "checker reads only files inside the data directory (the certificate's "
                               "own, or one given with --data-dir)", rec);
    for (s = rec; *s; s += strcspn(s, "/"), s += (*s == '/'))
        if (!strncmp(s, "..", 2) && (s[2] == '/' || s[2] == '\0'))
            return genrank_err_set(err, GENRANK_EIO, "the data file '%.200s' leaves the data "
                                   "directory with '..' (give the directory that holds it with --data-dir)", rec);
    k = strlen(dir) + strlen(rec) + 2;
    joined = flint_malloc(k);
    snprintf(joined, k, "%s/%s", dir, rec);
    rdir = realpath(dir, NULL);
    *full = realpath(joined, NULL);
    if (rdir == NULL || *full == NULL)
    {
        int e = errno;
        free(rdir);
        free(*full);
        *full = NULL;
        genrank_err_set(err, GENRANK_EIO, "cannot read the data file '%.200s': %s", joined, strerror(e));
        flint_free(joined);
        return GENRANK_EIO;
    }
    flint_free(joined);
    k = strlen(rdir);
    if (strncmp(*full, rdir, k) != 0 || ((*full)[k] != '/' && strcmp(rdir, "/") != 0))
    {
        free(rdir);
        free(*full);
        *full = NULL;
        return genrank_err_set(err, GENRANK_EIO, "the data file '%.200s' lies outside the data "
                               "directory once symbolic links are resolved", rec);
    }
    free(rdir);
    return 0;
}

/* The data file, SHA-256 checked, read again with the recorded options
   and the recorded selection of its points. */
static int
get_file_data(ccert_t *c, const json_t *dj, genrank_err_t *err)
{
    const json_t *v;
    int rc = 0;
    genrank_data_t data;
    genrank_data_opts_t o;
    char hex[65];
    const char *path;
    char *full = NULL;
    slong i, l, nf, *sel = NULL;
    v = json_object_get(dj, "file");
    if (!json_is_string(v))
        return genrank_err_set(err, GENRANK_EFORMAT, "\"data\" has neither \"points\" nor \"file\"");
    path = json_string_value(v);
    v = json_object_get(dj, "sha256");
    if (!json_is_string(v) || strlen(json_string_value(v)) != 64)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"data\".\"sha256\" must be 64 hex digits");
    strcpy(hex, json_string_value(v));
    if ((rc = data_options(&o, dj, err)) != 0 || (rc = data_path(&full, path, c->opts->data_dir, err)) != 0)
        return rc;
    /* the hash first: a file that is not the certificate's is not parsed */
    {
        char got[65], b1[32], b2[32];
        struct stat sb;
        /* a field of 6 bytes such as 1e4096 becomes a 4097-digit integer:
           at most about 300 bytes of memory per byte of text */
        if (stat(full, &sb) == 0 && 300.0 * (double) sb.st_size > _genrank_check_memory(c->opts))
        {
            free(full);
            return genrank_err_set(err, GENRANK_ENOMEM, "reading the data file '%.200s' may need "
                                   "up to %s but only %s of memory is available or allowed", path,
                                   _genrank_bytes_str(b1, 300.0 * (double) sb.st_size),
                                   _genrank_bytes_str(b2, _genrank_check_memory(c->opts)));
        }
        if ((rc = genrank_sha256_file(got, full, err)) != 0)
        {
            free(full);
            return rc;
        }
        if (strcmp(got, hex) != 0)
        {
            free(full);
            return genrank_err_set(err, GENRANK_EINVALID, "the data file '%.200s' is not the "
                                   "certificate's data (its SHA-256 differs from the recorded one)", path);
        }
    }
    genrank_data_init(data);
    rc = genrank_data_read(data, full, &o, err);
    free(full);
    if (rc != 0)
    {
        genrank_data_clear(data);
        if (rc == GENRANK_EIO)
            return rc;
        /* the reader's message quotes the offending field: a certificate
           may name any file, so none of its content is echoed */
        return genrank_err_set(err, GENRANK_EINVALID, "the data file '%.200s' is not the "
                               "certificate's data (it does not read as a data set)", path);
    }
    nf = data->n;
    v = json_object_get(dj, "select");
    if (strcmp(data->sha256, hex) != 0)     /* the hash of the very bytes parsed */
        rc = genrank_err_set(err, GENRANK_EINVALID,
            "the data file '%.200s' is not the certificate's data (its SHA-256 differs from "
            "the recorded one)", path);
    else if (data->d != c->d)
        rc = genrank_err_set(err, GENRANK_EINVALID, "the data file has d = %ld features, not %ld",
                             (long) data->d, (long) c->d);
    else if (v == NULL && nf != c->n)
        rc = genrank_err_set(err, GENRANK_EINVALID, "the data file has %ld points, not %ld",
                             (long) nf, (long) c->n);
    else if (v != NULL && json_object_get(dj, "points_in_file") != NULL
             && (_genrank_json_slong(&i, json_object_get(dj, "points_in_file"), 0, CERT_MAX) != 0
                 || i != nf))
        rc = genrank_err_set(err, GENRANK_EINVALID, "the data file has %ld points, not "
                             "\"points_in_file\"", (long) nf);
    else if (v != NULL && (!json_is_array(v) || (slong) json_array_size(v) != c->n))
        rc = genrank_err_set(err, GENRANK_EINVALID, "\"data\".\"select\" must have n entries");
    else if (v != NULL)
    {
        sel = flint_malloc(c->n * sizeof(slong));
        rc = _genrank_json_indices(sel, v, c->n, nf, "data select", err);
    }
    if (rc == 0)
    {
        c->x = _fmpq_vec_init(c->n * c->d);
        for (i = 0; i < c->n; i++)
            for (l = 0; l < c->d; l++)
                fmpq_set(c->x + i * c->d + l, data->x + (sel ? sel[i] : i) * c->d + l);
        snprintf(c->data_file, sizeof c->data_file, "%s%s%s", strcmp(c->opts->data_dir, ".") ? c->opts->data_dir : "",
                 strcmp(c->opts->data_dir, ".") ? "/" : "", path);
    }
    flint_free(sel);
    genrank_data_clear(data);
    return rc;
}

/* The data: inline points, or the file, never both (the checked points
   must be the ones the certificate names). */
static int
get_data(ccert_t *c, const json_t *dj, genrank_err_t *err)
{
    static const char *const by_file[] = {"file", "sha256", "header", "label_column", "inline"};
    const json_t *pts = json_object_get(dj, "points");
    size_t k;
    if (_genrank_json_slong(&c->n, json_object_get(dj, "n"), 1, CERT_MAX) != 0
        || _genrank_json_slong(&c->d, json_object_get(dj, "d"), 1, CERT_MAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"data\" needs \"n\" and \"d\" in [1, 2^40]");
    if (pts == NULL)
        return get_file_data(c, dj, err);
    for (k = 0; k < sizeof by_file / sizeof by_file[0]; k++)
        if (json_object_get(dj, by_file[k]) != NULL)
            return genrank_err_set(err, GENRANK_EFORMAT, "\"data\" has inline \"points\" and \"%s\": "
                                   "its data is inline or by reference, not both", by_file[k]);
    return get_inline(c, dj, pts, err);
}

/* The exact integers of z for neuron k and point i: numerator into u,
   z = u / (Dk[k] Di[i]). */
static void
z_num(fmpz_t u, const ccert_t *c, slong k, slong i)
{
    slong l, d = c->d;
    fmpz_mul(u, c->bi + k, c->Di + i);
    for (l = 0; l < d; l++)
        fmpz_addmul(u, c->Wi + k * d + l, c->Xi + i * d + l);
}

static ulong
q_mod(const fmpq_t x, nmod_t mod)
{
    ulong num = fmpz_fdiv_ui(fmpq_numref(x), mod.n);
    return nmod_mul(num, n_invmod(fmpz_fdiv_ui(fmpq_denref(x), mod.n), mod.n), mod);
}

/* psi'(z_ki) modulo p; 0 (with a message) when it is undefined there. */
static int
value_mod(ulong *y, const ccert_t *c, slong k, slong i, nmod_t mod, fmpz_t u, fmpz_t t,
          genrank_err_t *err)
{
    ulong zp;
    z_num(u, c, k, i);
    fmpz_mul(t, c->Dk + k, c->Di + i);          /* z = u / t, t > 0 */
    if (c->act->kind == GENRANK_ACT_RELU)
    {
        if (fmpz_is_zero(u))
            return !genrank_err_set(err, GENRANK_EINVALID,
                "the pre-activation of neuron %ld at point %ld is 0, where ReLU has no derivative",
                (long) k, (long) i);
        *y = fmpz_sgn(u) > 0;
        return 1;
    }
    zp = nmod_mul(fmpz_fdiv_ui(u, mod.n), n_invmod(fmpz_fdiv_ui(t, mod.n), mod.n), mod);
    if (c->act->kind == GENRANK_ACT_POLY)
    {
        /* psi'(z) = sum_{j >= 1} j c_j z^(j-1), by Horner */
        slong j;
        ulong r = 0;
        for (j = c->act->len - 1; j >= 1; j--)
            r = nmod_add(nmod_mul(r, zp, mod),
                         nmod_mul(q_mod(c->act->coeffs + j, mod), j % mod.n, mod), mod);
        *y = r;
        return 1;
    }
    {
        /* u' = q z must be an integer; x = z, E = t0^u' */
        ulong E = 0;
        fmpz_mul(u, u, c->q);
        if (!fmpz_divisible(u, t))
            return !genrank_err_set(err, GENRANK_EINVALID,
                "q times the pre-activation of neuron %ld at point %ld is not an integer",
                (long) k, (long) i);
        fmpz_divexact(u, u, t);
        if (genrank_phi_class(c->act->dpsi) != GENRANK_CLASS_RATIONAL)
            E = n_powmod2_ui_preinv(c->t0, fmpz_fdiv_ui(u, mod.n - 1), mod.n, mod.ninv);
        if (!_genrank_verify_named_mod(y, c->act->dpsi, zp, E, c->i0, mod))
            return !genrank_err_set(err, GENRANK_EINVALID,
                "a denominator of %s' vanishes modulo p at t0 (neuron %ld, point %ld)",
                c->act->name, (long) k, (long) i);
    }
    return 1;
}

/* The minor's parts modulo p: the data's entries at the minor's
   columns, v0, and psi' for each neuron the minor uses (slot), computed
   once. */
typedef struct {
    const ccert_t *c;
    nmod_t mod;
    ulong *xv, *vv, *cache;
    slong *slot;
} cminor_t;

static int
cminor_init(cminor_t *cm, const ccert_t *c, genrank_err_t *err)
{
    slong r = c->n, s, t, d = c->d, m = c->m, nk = 0;
    fmpz_t u, tt;
    int ok = 1;
    cm->c = c;
    nmod_init(&cm->mod, c->p);
    cm->xv = flint_malloc(r * d * sizeof(ulong));
    cm->vv = flint_malloc(m * sizeof(ulong));
    cm->slot = flint_malloc(m * sizeof(slong));
    for (s = 0; s < r * d; s++)
        cm->xv[s] = q_mod(c->x + (c->cols[s / d]) * d + s % d, cm->mod);
    for (s = 0; s < m; s++)
    {
        cm->vv[s] = q_mod(c->v0 + s, cm->mod);
        cm->slot[s] = -1;
    }
    for (s = 0; s < r; s++)
        if (cm->slot[c->rows[s] % m] < 0)
            cm->slot[c->rows[s] % m] = nk++;
    cm->cache = flint_malloc((size_t) FLINT_MAX(nk, 1) * r * sizeof(ulong));
    fmpz_init(u);
    fmpz_init(tt);
    for (s = 0; s < m && ok; s++)
        if (cm->slot[s] >= 0)
            for (t = 0; t < r && ok; t++)
                ok = value_mod(cm->cache + cm->slot[s] * r + t, c, s, c->cols[t], cm->mod, u, tt, err);
    fmpz_clear(u);
    fmpz_clear(tt);
    return ok;
}

static void
cminor_clear(cminor_t *cm)
{
    flint_free(cm->xv);
    flint_free(cm->vv);
    flint_free(cm->slot);
    flint_free(cm->cache);
}

/* Row s = l m + k: v0_k psi'(z_k,col) x_col,l. */
static int
cminor_row(ulong *out, slong s, void *ctx, genrank_err_t *err)
{
    const cminor_t *cm = ctx;
    const ccert_t *c = cm->c;
    slong r = c->n, k = c->rows[s] % c->m, l = c->rows[s] / c->m, t;
    const ulong *h = cm->cache + cm->slot[k] * r;
    for (t = 0; t < r; t++)
        out[t] = nmod_mul(nmod_mul(cm->vv[k], h[t], cm->mod), cm->xv[t * c->d + l], cm->mod);
    return 1;
}

/* The witness minor's determinant modulo p; 0 or the error. */
static int
det_mod(ulong *det, const ccert_t *c, genrank_err_t *err)
{
    cminor_t cm;
    int rc;
    if (cminor_init(&cm, c, err))
        rc = _genrank_minor_det_mod(det, c->n, cm.mod, cminor_row, &cm, err);
    else
        rc = err ? err->code : GENRANK_EINVALID;
    cminor_clear(&cm);
    return rc;
}

/* Row s of the witness minor in ball arithmetic. */
static void
cminor_row_arb(arb_ptr out, slong s, slong prec, void *ctx)
{
    const ccert_t *c = ctx;
    slong r = c->n, t, d = c->d, k = c->rows[s] % c->m, l = c->rows[s] / c->m;
    arb_t z, h;
    fmpz_t u, tt;
    arb_init(z);
    arb_init(h);
    fmpz_init(u);
    fmpz_init(tt);
    for (t = 0; t < r; t++)
    {
        z_num(u, c, k, c->cols[t]);
        fmpz_mul(tt, c->Dk + k, c->Di + c->cols[t]);
        arb_fmpz_div_fmpz(z, u, tt, prec);
        _genrank_phi_arb(h, c->act->dpsi, z, prec);
        arb_set_fmpq(z, c->x + c->cols[t] * d + l, prec);
        arb_mul(out + t, h, z, prec);
        arb_set_fmpq(z, c->v0 + k, prec);
        arb_mul(out + t, out + t, z, prec);
    }
    arb_clear(z);
    arb_clear(h);
    fmpz_clear(u);
    fmpz_clear(tt);
}

/* Exact integers: per point Di and X_i = Di x_i; per neuron Dk,
   W_k = Dk w_k, b_k = Dk b_k. */
static void
scale_rows(fmpz *num, fmpz *den, const fmpq *x, slong rows, slong cols)
{
    slong i, l;
    for (i = 0; i < rows; i++)
    {
        fmpz_one(den + i);
        for (l = 0; l < cols; l++)
            fmpz_lcm(den + i, den + i, fmpq_denref(x + i * cols + l));
        for (l = 0; l < cols; l++)
        {
            fmpz_divexact(num + i * cols + l, den + i, fmpq_denref(x + i * cols + l));
            fmpz_mul(num + i * cols + l, num + i * cols + l, fmpq_numref(x + i * cols + l));
        }
    }
}

static void
integerise(ccert_t *c)
{
    slong n = c->n, d = c->d, m = c->m, k, l;
    fmpq *wb = _fmpq_vec_init(m * (d + 1));
    fmpz *wbi = _fmpz_vec_init(m * (d + 1));
    c->Xi = _fmpz_vec_init(n * d);
    c->Di = _fmpz_vec_init(n);
    scale_rows(c->Xi, c->Di, c->x, n, d);
    /* neuron k's row (w_k, b_k), scaled together */
    for (k = 0; k < m; k++)
    {
        for (l = 0; l < d; l++)
            fmpq_set(wb + k * (d + 1) + l, c->W0 + k * d + l);
        fmpq_set(wb + k * (d + 1) + d, c->b0 + k);
    }
    c->Wi = _fmpz_vec_init(m * d);
    c->bi = _fmpz_vec_init(m);
    c->Dk = _fmpz_vec_init(m);
    scale_rows(wbi, c->Dk, wb, m, d + 1);
    for (k = 0; k < m; k++)
    {
        _fmpz_vec_set(c->Wi + k * d, wbi + k * (d + 1), d);
        fmpz_set(c->bi + k, wbi + k * (d + 1) + d);
    }
    _fmpz_vec_clear(wbi, m * (d + 1));
    _fmpq_vec_clear(wb, m * (d + 1));
}

/* p divides no denominator of the recorded numbers. */
static int
prime_ok(const ccert_t *c)
{
    slong i;
    for (i = 0; i < c->n * c->d; i++)
        if (fmpz_fdiv_ui(fmpq_denref(c->x + i), c->p) == 0)
            return 0;
    for (i = 0; i < c->m * c->d; i++)
        if (fmpz_fdiv_ui(fmpq_denref(c->W0 + i), c->p) == 0)
            return 0;
    for (i = 0; i < c->m; i++)
        if (fmpz_fdiv_ui(fmpq_denref(c->b0 + i), c->p) == 0
            || fmpz_fdiv_ui(fmpq_denref(c->v0 + i), c->p) == 0)
            return 0;
    for (i = 0; i < c->act->len; i++)
        if (fmpz_fdiv_ui(fmpq_denref(c->act->coeffs + i), c->p) == 0)
            return 0;
    return 1;
}

static slong
cdiv(slong a, slong b)
{
    return (a + b - 1) / b;
}

/* The activation: a name from core/'s table, or "polynomial" with its
   coefficients. */
static int
read_activation(ccert_t *c, const json_t *root, genrank_err_t *err)
{
    const json_t *v = json_object_get(root, "activation"), *w;
    const char *name;
    if (!json_is_string(v) || strlen(json_string_value(v)) >= sizeof c->act->name)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"activation\" must name an activation (%s)",
                               genrank_activation_names());
    name = json_string_value(v);
    if (strcmp(name, "polynomial") != 0)
    {
        if (genrank_activation_parse(c->act, name, NULL, NULL) != 0)
            return genrank_err_set(err, GENRANK_EFORMAT, "\"activation\" must name an activation (%s)",
                                   genrank_activation_names());
        return 0;
    }
    w = json_object_get(root, "coeffs");
    if (!json_is_array(w) || json_array_size(w) < 2 || json_array_size(w) > 4096)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"coeffs\" must be an array of 2 to 4096 rational strings");
    c->act->kind = GENRANK_ACT_POLY;
    strcpy(c->act->name, name);
    c->act->len = json_array_size(w);
    c->act->coeffs = _fmpq_vec_init(c->act->len);
    return _genrank_json_rational_list(c->act->coeffs, w, c->act->len, "coeffs", err);
}

/* The width and the point (W0, b0, v0), and the claim rank = n. */
static int
read_point(ccert_t *c, const json_t *root, genrank_err_t *err)
{
    slong k, rank;
    int rc;
    if (_genrank_json_slong(&c->m, json_object_get(root, "width"), 1, CERT_MAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"width\" must be an integer in [1, 2^40]");
    if (c->m > CERT_MAX / c->d)
        return genrank_err_set(err, GENRANK_EFORMAT, "width times d is too large");
    if ((rc = _genrank_json_shape(json_object_get(root, "W0"), c->m, c->d, "W0", err)) != 0)
        return rc;
    c->W0 = _fmpq_vec_init(c->m * c->d);
    c->b0 = _fmpq_vec_init(c->m);
    c->v0 = _fmpq_vec_init(c->m);
    if ((rc = _genrank_json_rational_matrix(c->W0, json_object_get(root, "W0"), c->m, c->d, "W0", err)) != 0
        || (rc = _genrank_json_rational_list(c->b0, json_object_get(root, "b0"), c->m, "b0", err)) != 0
        || (rc = _genrank_json_rational_list(c->v0, json_object_get(root, "v0"), c->m, "v0", err)) != 0)
        return rc;
    for (k = 0; k < c->m; k++)
        if (fmpq_is_zero(c->v0 + k))
            return genrank_err_set(err, GENRANK_EINVALID, "v0[%ld] is 0", (long) k);
    if (_genrank_json_slong(&rank, json_object_get(root, "rank"), 0, CERT_MAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"rank\" must be a nonnegative integer");
    if (rank != c->n)
        return genrank_err_set(err, GENRANK_EINVALID, "a capacity certificate proves rank n = %ld, not %ld",
                               (long) c->n, (long) rank);
    if (c->n > c->m * c->d)
        return genrank_err_set(err, GENRANK_EINVALID, "rank n = %ld exceeds the W-Jacobian's %ld rows",
                               (long) c->n, (long) (c->m * c->d));
    return 0;
}

/* The witness's route, the memory its minor needs, its rows and cols. */
static int
read_witness(ccert_t *c, const json_t *w, genrank_err_t *err)
{
    double bytes;
    ulong p = 0;
    int rc;
    if (!json_is_object(w))
        return genrank_err_set(err, GENRANK_EFORMAT, "\"witness\" must be an object");
    if ((c->ball = _genrank_json_route(w)) < 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"route\" must be \"exact\" or \"ball\"");
    if (c->ball && (json_object_get(w, "prime") != NULL || json_object_get(w, "det_mod_p") != NULL
                    || json_object_get(w, "t0") != NULL || json_object_get(w, "i0") != NULL
                    || json_object_get(w, "q") != NULL))
        return genrank_err_set(err, GENRANK_EFORMAT,
            "a ball-route witness has no \"prime\", \"det_mod_p\", \"q\", \"t0\" or \"i0\"");
    if (!c->ball && (json_object_get(w, "precision") != NULL || json_object_get(w, "det") != NULL))
        return genrank_err_set(err, GENRANK_EFORMAT,
            "an exact witness has no \"precision\" or \"det\" (those are the ball route's)");
    if (c->ball && c->act->kind != GENRANK_ACT_NAMED)
        return genrank_err_set(err, GENRANK_EINVALID, "the ball route is for analytic activations, not %s",
                               c->act->name);
    if (!c->ball && c->act->kind == GENRANK_ACT_NAMED && genrank_phi_class(c->act->dpsi) == GENRANK_CLASS_BALL)
        return genrank_err_set(err, GENRANK_EINVALID, "%s' has no exact route", c->act->name);
    if (c->ball && _genrank_json_slong(&c->prec, json_object_get(w, "precision"), 2, WORD(1) << 24) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"precision\" must be an integer in [2, 2^24]");
    if (c->ball && _genrank_check_precision(c->prec, c->opts, err) != 0)
        return GENRANK_ENOMEM;
    if (!c->ball && _genrank_json_ulong(&p, json_object_get(w, "prime")) != 0)
        p = 0;     /* read_exact_witness rejects it; 8 bytes an entry meanwhile */
    bytes = c->ball ? _genrank_minor_bytes_arb(c->n, c->prec) : _genrank_minor_bytes_mod(c->n, p);
    bytes += 16.0 * (double) c->n * (double) c->d;     /* the points in integers */
    if (bytes > _genrank_check_memory(c->opts))
    {
        char b1[32], b2[32];
        return genrank_err_set(err, GENRANK_ENOMEM, "checking the %ld x %ld witness minor needs about %s "
                               "but only %s of memory is available or allowed", (long) c->n, (long) c->n,
                               _genrank_bytes_str(b1, bytes), _genrank_bytes_str(b2, _genrank_check_memory(c->opts)));
    }
    c->rows = flint_malloc(c->n * sizeof(slong));
    c->cols = flint_malloc(c->n * sizeof(slong));
    if ((rc = _genrank_json_indices(c->rows, json_object_get(w, "rows"), c->n, c->m * c->d, "witness rows", err)) != 0)
        return rc;
    return _genrank_json_indices(c->cols, json_object_get(w, "cols"), c->n, c->n, "witness cols", err);
}

/* ReLU: every pre-activation, not only the minor's, must be nonzero: the
   point then lies in the open set where h is smooth. */
static int
check_relu_point(const ccert_t *c, genrank_err_t *err)
{
    fmpz_t u;
    slong k, i;
    int rc = 0;
    fmpz_init(u);
    for (k = 0; k < c->m && rc == 0; k++)
        for (i = 0; i < c->n && rc == 0; i++)
        {
            z_num(u, c, k, i);
            if (fmpz_is_zero(u))
                rc = genrank_err_set(err, GENRANK_EINVALID, "the pre-activation of neuron %ld at point "
                                     "%ld is 0, where ReLU has no derivative", (long) k, (long) i);
        }
    fmpz_clear(u);
    return rc;
}

/* The exact route's prime and residues. */
static int
read_exact_witness(ccert_t *c, const json_t *w, genrank_err_t *err)
{
    if (_genrank_json_ulong(&c->p, json_object_get(w, "prime")) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"prime\" must be an integer in [2, 2^64)");
    if (c->p < 3 || !n_is_prime(c->p))
        return genrank_err_set(err, GENRANK_EINVALID, "witness prime %lu is not an odd prime", (unsigned long) c->p);
    if (!prime_ok(c))
        return genrank_err_set(err, GENRANK_EINVALID, "the witness prime divides a denominator of the data, the point "
                               "or the coefficients");
    if (_genrank_json_ulong(&c->det, json_object_get(w, "det_mod_p")) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"det_mod_p\" must be a nonnegative integer");
    if (c->det == 0 || c->det >= c->p)
        return genrank_err_set(err, GENRANK_EINVALID, "witness det_mod_p must be in [1, p)");
    if (c->act->kind != GENRANK_ACT_NAMED)
        return 0;
    if (_genrank_json_int(c->q, json_object_get(w, "q")) != 0 || fmpz_sgn(c->q) <= 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"q\" must be a positive integer");
    if (fmpz_fdiv_ui(c->q, c->p) == 0)
        return genrank_err_set(err, GENRANK_EINVALID, "witness prime divides q");
    return _genrank_check_exact_residues(&c->t0, &c->i0, w, c->p, genrank_phi_class(c->act->dpsi), err);
}

static int
check_witness_minor(ccert_t *c, const json_t *w, genrank_err_t *err)
{
    int rc;
    if (c->ball)
    {
        arb_t det;
        arb_init(det);
        _genrank_minor_det_arb(det, c->n, c->prec, cminor_row_arb, c);
        rc = _genrank_ball_witness_check(det, w, c->prec, err);
        arb_clear(det);
    }
    else
    {
        ulong det = 0;
        if ((rc = read_exact_witness(c, w, err)) == 0 && (rc = det_mod(&det, c, err)) == 0)
            rc = _genrank_minor_check_mod(det, c->det, err);
    }
    return rc;
}

/* The data's points as a data set (no lines, no file). */
static void
data_view(genrank_data_t dd, const ccert_t *c)
{
    memset(dd, 0, sizeof(genrank_data_struct));
    dd->n = c->n;
    dd->d = c->d;
    dd->x = c->x;
    dd->nsource = c->n;
}

/* The widths stated next to the proof; *nec = the largest necessary one
   and source the argument behind it. */
static int
check_widths(const ccert_t *c, const json_t *root, slong *nec, char *source, size_t size,
             genrank_err_t *err)
{
    const json_t *v = json_object_get(root, "necessary_width");
    genrank_data_t dd;
    slong k, r, want;
    if (_genrank_json_slong(&k, json_object_get(root, "sufficient_width"), 0, CERT_MAX) != 0 || k != 2 * c->m)
        return genrank_err_set(err, GENRANK_EINVALID, "\"sufficient_width\" must be twice the width (Theorem 5.2)");
    *nec = cdiv(c->n, c->d + 2);
    if (!json_is_object(v) || _genrank_json_slong(&k, json_object_get(v, "theorem_5_4"), 0, CERT_MAX) != 0
        || k != *nec)
        return genrank_err_set(err, GENRANK_EINVALID,
                               "\"necessary_width\".\"theorem_5_4\" must be ceil(n / (d + 2)) = %ld", (long) *nec);
    data_view(dd, c);
    r = genrank_data_rank(dd);
    if (_genrank_json_slong(&k, json_object_get(v, "data_rank"), 0, CERT_MAX) != 0 || k != r)
        return genrank_err_set(err, GENRANK_EINVALID,
                               "\"necessary_width\".\"data_rank\" is not the rank %ld of the data", (long) r);
    want = cdiv(c->n, r + 2);
    if (_genrank_json_slong(&k, json_object_get(v, "with_data_rank"), 0, CERT_MAX) != 0 || k != want)
        return genrank_err_set(err, GENRANK_EINVALID,
                               "\"necessary_width\".\"with_data_rank\" must be ceil(n / (rank + 2)) = %ld", (long) want);
    snprintf(source, size, c->act->kind == GENRANK_ACT_RELU
             ? "the count m (d + 2) >= n (Theorem 5.4; for ReLU the Lipschitz argument of "
               "doc/capacity.md)" : "Theorem 5.4");
    if (want > *nec)
        snprintf(source, size, c->act->kind == GENRANK_ACT_RELU
                 ? "the count m (rank X + 2) >= n with rank X = %ld (for ReLU the Lipschitz "
                   "argument of doc/capacity.md)" : "Theorem 5.4 with d replaced by rank X = %ld",
                 (long) r);
    *nec = FLINT_MAX(*nec, want);
    if (c->act->kind == GENRANK_ACT_POLY)
    {
        int nw, nr;
        slong K = genrank_coeffs_degree(c->act->coeffs, c->act->len);
        want = genrank_capacity_poly_width(&nw, &nr, c->n, K, r);
        if (_genrank_json_slong(&k, json_object_get(root, "necessary_width_polynomial"), 0, CERT_MAX) != 0
            || k != want)
            return genrank_err_set(err, GENRANK_EINVALID,
                "\"necessary_width_polynomial\" must be ceil((n + 1 - C(K + r, r)) / 2) = %ld", (long) want);
        if (want > *nec)
            snprintf(source, size, "the degree-%ld polynomial bound rank <= 2m + C(K + r, r) - 1 "
                     "(doc/capacity.md)", (long) K);
        *nec = FLINT_MAX(*nec, want);
    }
    return 0;
}

/* The optional lower bound for the route: a set T of points with
   width = ceil(|T| / rank X_T) (never above the certified width). */
static int
check_route_bound(const ccert_t *c, const json_t *v, slong *width, genrank_err_t *err)
{
    const json_t *pts = json_object_get(v, "points");
    slong wl, rl, cnt, rt, *idx;
    genrank_data_t dd, sub;
    int rc;
    if (!json_is_object(v) || !json_is_array(pts) || json_array_size(pts) < 1
        || (slong) json_array_size(pts) > c->n
        || _genrank_json_slong(&wl, json_object_get(v, "width"), 1, CERT_MAX) != 0
        || _genrank_json_slong(&rl, json_object_get(v, "rank"), 1, CERT_MAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"route_lower_bound\" needs \"width\", \"rank\" and \"points\"");
    cnt = json_array_size(pts);
    idx = flint_malloc(cnt * sizeof(slong));
    if ((rc = _genrank_json_indices(idx, pts, cnt, c->n, "route_lower_bound points", err)) != 0)
    {
        flint_free(idx);
        return rc;
    }
    data_view(dd, c);
    genrank_data_init(sub);
    genrank_data_select(sub, dd, idx, cnt);
    rt = genrank_data_rank(sub);
    genrank_data_clear(sub);
    flint_free(idx);
    if (rt != rl)
        return genrank_err_set(err, GENRANK_EINVALID, "the route lower bound's points have rank %ld, not %ld",
                               (long) rt, (long) rl);
    if (wl != cdiv(cnt, rt))
        return genrank_err_set(err, GENRANK_EINVALID, "the route lower bound's width must be ceil(%ld / %ld) = %ld",
                               (long) cnt, (long) rt, (long) cdiv(cnt, rt));
    if (wl > c->m)
        return genrank_err_set(err, GENRANK_EINVALID, "the route lower bound %ld exceeds the certified width %ld",
                               (long) wl, (long) c->m);
    *width = wl;
    return 0;
}

static void
fill_info(genrank_verify_info_t *info, const ccert_t *c, slong nec, const char *source,
          slong route_lb)
{
    memset(info, 0, sizeof *info);
    info->route_min = route_lb;
    info->capacity = 1;
    snprintf(info->activation, sizeof info->activation, "%s", c->act->name);
    strcpy(info->family, "capacity");
    info->m = c->m;
    info->d = c->d;
    info->n = c->n;
    info->rank = c->n;
    info->width = c->m;
    info->necessary = nec;
    snprintf(info->necessary_source, sizeof info->necessary_source, "%s", source);
    snprintf(info->data_file, sizeof info->data_file, "%s", c->data_file);
    info->kruskal_rank = -1;
    snprintf(info->prime, sizeof info->prime, "%lu", (unsigned long) c->p);
    snprintf(info->route, sizeof info->route, "%s", c->ball ? "ball" : "exact");
    info->precision = c->prec;
    strcpy(info->theorem, "Theorem 5.2");
}

static void
ccert_clear(ccert_t *c)
{
    genrank_activation_clear(c->act);
    if (c->x)
        _fmpq_vec_clear(c->x, c->n * c->d);
    if (c->W0)
    {
        _fmpq_vec_clear(c->W0, c->m * c->d);
        _fmpq_vec_clear(c->b0, c->m);
        _fmpq_vec_clear(c->v0, c->m);
    }
    if (c->Xi)
    {
        _fmpz_vec_clear(c->Xi, c->n * c->d);
        _fmpz_vec_clear(c->Di, c->n);
        _fmpz_vec_clear(c->Wi, c->m * c->d);
        _fmpz_vec_clear(c->bi, c->m);
        _fmpz_vec_clear(c->Dk, c->m);
    }
    flint_free(c->rows);
    flint_free(c->cols);
    fmpz_clear(c->q);
}

int
_genrank_check_capacity(const json_t *root, const genrank_verify_opts_t *opts,
                        genrank_verify_info_t *info, genrank_err_t *err)
{
    ccert_t c;
    const json_t *w = json_object_get(root, "witness"), *dj = json_object_get(root, "data");
    const json_t *lb = json_object_get(root, "route_lower_bound");
    slong nec = 0, route_lb = 0;
    char source[160] = "";
    int rc;

    memset(&c, 0, sizeof c);
    c.opts = opts;
    fmpz_init_set_ui(c.q, 1);
    if ((rc = read_activation(&c, root, err)) != 0)
        goto done;
    if (!json_is_object(dj))
    {
        rc = genrank_err_set(err, GENRANK_EFORMAT, "\"data\" must be an object");
        goto done;
    }
    if ((rc = get_data(&c, dj, err)) != 0 || (rc = read_point(&c, root, err)) != 0
        || (rc = read_witness(&c, w, err)) != 0)
        goto done;
    integerise(&c);
    if ((c.act->kind == GENRANK_ACT_RELU && (rc = check_relu_point(&c, err)) != 0)
        || (rc = check_witness_minor(&c, w, err)) != 0
        || (rc = check_widths(&c, root, &nec, source, sizeof source, err)) != 0
        || (lb != NULL && (rc = check_route_bound(&c, lb, &route_lb, err)) != 0))
        goto done;
    if (info != NULL)
        fill_info(info, &c, nec, source, route_lb);
done:
    ccert_clear(&c);
    return rc;
}
