/* Checking a matrix-exponential capacity certificate, "genrank-matexp"
   (doc/certificate-format.md), from the certificate alone: the network
   f(X) = W_L exp(W_{L-1} ... exp(W_1 X)) at the recorded point over Q(i),
   each column of the witness minor rebuilt as the derivative of
   (f(X_1), ..., f(X_n)) along one entry of one W_j, by the chain rule
   with each Frechet derivative of exp read off exp([[A, E], [0, A]]) =
   [[e^A, L(A, E)], [0, e^A]] (a 2d x 2d exponential per step; the prover
   uses the d^2 x d^2 Kronecker form instead), and its determinant in
   complex ball arithmetic, which must exclude 0. */
#include <string.h>
#include <flint/fmpq_vec.h>
#include "check.h"

/* The checker's own limits (doc/certificate-format.md). */
#define MX_DMAX 8
#define MX_LMAX 16
#define MX_NMAX 16

typedef struct {
    slong d, L, n, rank, bound, prec;
    fmpq *re, *im;            /* W_1..W_L then X_1..X_n */
    slong *rows, *cols;
    acb_mat_struct *W, *A, *H;  /* W[j-1] = W_j; A, H: n x L arrays (A_j, H_j of X_k) */
    int *used;                /* data points with a row in the minor */
} mx_t;

static int
mx_sizes(mx_t *c, const json_t *root, genrank_err_t *err)
{
    const json_t *st = json_object_get(root, "status");
    const char *want;
    if (_genrank_json_slong(&c->d, json_object_get(root, "d"), 1, MX_DMAX) != 0
        || _genrank_json_slong(&c->L, json_object_get(root, "layers"), 1, MX_LMAX) != 0
        || _genrank_json_slong(&c->n, json_object_get(root, "n"), 1, MX_NMAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"d\", \"layers\" and \"n\" must be integers "
                               "in [1, %d], [1, %d] and [1, %d]", MX_DMAX, MX_LMAX, MX_NMAX);
    c->bound = FLINT_MIN(c->L, c->n) * c->d * c->d;
    if (_genrank_json_slong(&c->rank, json_object_get(root, "rank"), 0, c->bound) != 0)
        return genrank_err_set(err, GENRANK_EINVALID, "\"rank\" must be an integer in [0, "
                               "min(layers, n) d^2 = %ld]", (long) c->bound);
    if (!json_is_integer(json_object_get(root, "bound"))
        || json_integer_value(json_object_get(root, "bound")) != c->bound)
        return genrank_err_set(err, GENRANK_EINVALID, "\"bound\" must be min(layers, n) d^2 = %ld",
                               (long) c->bound);
    want = c->rank == c->bound ? "exact" : "lower bound";
    if (!json_is_string(st) || strcmp(json_string_value(st), want) != 0)
        return genrank_err_set(err, GENRANK_EINVALID, "\"status\" must be \"%s\" (rank %ld, bound "
                               "%ld)", want, (long) c->rank, (long) c->bound);
    return 0;
}

/* Bytes the check needs: the point, the forward pass, the minor. */
static double
mx_bytes(const mx_t *c, slong prec)
{
    double e = 2 * (48.0 + prec / 4.0), dd = (double) c->d * c->d;
    return (double) (c->L + c->n) * dd * (2 * 32 + 3 * e) + 2.0 * c->n * c->L * dd * e
           + (double) c->rank * c->rank * e + 16 * dd * e * 8;
}

static int
mx_witness(mx_t *c, const json_t *w, const genrank_verify_opts_t *opts, genrank_err_t *err)
{
    char b1[32], b2[32];
    int rc;
    if (!json_is_object(w) || _genrank_json_route(w) != 1)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"witness\" must be an object with "
                               "\"route\": \"ball\"");
    if (_genrank_json_slong(&c->prec, json_object_get(w, "precision"), 2, WORD(1) << 24) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"precision\" must be an integer "
                               "in [2, 2^24]");
    if ((rc = _genrank_check_precision(c->prec, opts, err)) != 0)
        return rc;
    if (mx_bytes(c, c->prec) > _genrank_check_memory(opts))
        return genrank_err_set(err, GENRANK_ENOMEM, "checking needs about %s but only %s of "
                               "memory is available or allowed", _genrank_bytes_str(b1, mx_bytes(c, c->prec)),
                               _genrank_bytes_str(b2, _genrank_check_memory(opts)));
    c->rows = flint_malloc(FLINT_MAX(c->rank, 1) * sizeof(slong));
    c->cols = flint_malloc(FLINT_MAX(c->rank, 1) * sizeof(slong));
    if ((rc = _genrank_json_indices(c->rows, json_object_get(w, "rows"), c->rank,
                                    c->n * c->d * c->d, "witness rows", err)) != 0
        || (rc = _genrank_json_indices(c->cols, json_object_get(w, "cols"), c->rank,
                                       c->L * c->d * c->d, "witness cols", err)) != 0)
        return rc;
    return 0;
}

/* The point: "W" (layers matrices) and "X" (n matrices), entries over
   Q(i). */
static int
mx_point(mx_t *c, const json_t *p, genrank_err_t *err)
{
    const json_t *W = json_object_get(p, "W"), *X = json_object_get(p, "X");
    slong m, dd = c->d * c->d;
    char name[32];
    if (!json_is_object(p) || !json_is_array(W) || !json_is_array(X)
        || (slong) json_array_size(W) != c->L || (slong) json_array_size(X) != c->n)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"point\" must be {\"W\": %ld matrices, "
                               "\"X\": %ld matrices}", (long) c->L, (long) c->n);
    c->re = _fmpq_vec_init((c->L + c->n) * dd);
    c->im = _fmpq_vec_init((c->L + c->n) * dd);
    for (m = 0; m < c->L + c->n; m++)
    {
        snprintf(name, sizeof name, "point.%s[%ld]", m < c->L ? "W" : "X",
                 (long) (m < c->L ? m : m - c->L));
        if (_genrank_json_gauss_matrix(c->re + m * dd, c->im + m * dd,
                                       json_array_get(m < c->L ? W : X, m < c->L ? m : m - c->L),
                                       c->d, name, err) != 0)
            return GENRANK_EFORMAT;
    }
    return 0;
}

/* A[k][j] = W_j H_{j-1}, H[k][j] = exp(A[k][j]) for the data points with
   a row in the minor (H_0 = X_k). */
static void
mx_forward(mx_t *c)
{
    slong d = c->d, L = c->L, k, j, s;
    c->W = flint_malloc((L + c->n) * sizeof(acb_mat_struct));
    c->A = flint_malloc(c->n * L * sizeof(acb_mat_struct));
    c->H = flint_malloc(c->n * L * sizeof(acb_mat_struct));
    c->used = flint_calloc(c->n, sizeof(int));
    for (s = 0; s < c->rank; s++)
        c->used[c->rows[s] / (d * d)] = 1;
    for (j = 0; j < L + c->n; j++)
    {
        acb_mat_init(c->W + j, d, d);
        _genrank_acb_mat_set_gauss(c->W + j, c->re + j * d * d, c->im + j * d * d, c->prec);
    }
    for (k = 0; k < c->n; k++)
        for (j = 0; j < L; j++)
        {
            acb_mat_init(c->A + k * L + j, d, d);
            acb_mat_init(c->H + k * L + j, d, d);
            if (!c->used[k])
                continue;
            if (j == 0)
                acb_mat_set(c->H + k * L, c->W + L + k);
            else
            {
                acb_mat_mul(c->A + k * L + j, c->W + j - 1, c->H + k * L + j - 1, c->prec);
                acb_mat_exp(c->H + k * L + j, c->A + k * L + j, c->prec);
            }
        }
}

/* D = L(A, E), the upper right block of exp([[A, E], [0, A]]). */
static void
mx_frechet(acb_mat_t D, const acb_mat_t A, const acb_mat_t E, slong prec)
{
    slong d = acb_mat_nrows(A), i, j;
    acb_mat_t B;
    acb_mat_init(B, 2 * d, 2 * d);
    for (i = 0; i < d; i++)
        for (j = 0; j < d; j++)
        {
            acb_set(acb_mat_entry(B, i, j), acb_mat_entry(A, i, j));
            acb_set(acb_mat_entry(B, d + i, d + j), acb_mat_entry(A, i, j));
            acb_set(acb_mat_entry(B, i, d + j), acb_mat_entry(E, i, j));
        }
    acb_mat_exp(B, B, prec);
    for (i = 0; i < d; i++)
        for (j = 0; j < d; j++)
            acb_set(acb_mat_entry(D, i, j), acb_mat_entry(B, i, d + j));
    acb_mat_clear(B);
}

/* The derivative of f(X_k) along entry (a, b) of W_j (1-based j) into F:
   dA_j = E H_{j-1}; dH_m = L(A_m, dA_m), dA_{m+1} = W_{m+1} dH_m; the
   derivative is W_L dH_{L-1}, or E H_{L-1} when j = L. */
static void
mx_column(acb_mat_t F, const mx_t *c, slong k, slong j, slong a, slong b)
{
    slong d = c->d, L = c->L, m;
    acb_mat_t E, T;
    acb_mat_init(E, d, d);
    acb_mat_init(T, d, d);
    acb_one(acb_mat_entry(E, a, b));
    acb_mat_mul(T, E, c->H + k * L + j - 1, c->prec);       /* E H_{j-1} */
    if (j == L)
        acb_mat_set(F, T);
    else
    {
        for (m = j; m < L; m++)
        {
            mx_frechet(E, c->A + k * L + m, T, c->prec);    /* dH_m */
            acb_mat_mul(T, c->W + m, E, c->prec);           /* W_{m+1} dH_m */
        }
        acb_mat_set(F, T);
    }
    acb_mat_clear(E);
    acb_mat_clear(T);
}

/* The recorded determinant ["re", "im"] and its radius r against the
   ball det: decimals whose ball, of radius max(r, 2^-40 |z|) in each part,
   overlaps det; r must be at most 2^-20 |z| (a tight value). */
static int
mx_det_check(const acb_t det, const json_t *w, genrank_err_t *err)
{
    const json_t *v = json_object_get(w, "det"), *rv = json_object_get(w, "det_radius");
    acb_t z;
    arb_t r;
    mag_t e, t;
    int rc = 0;
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_string(json_array_get(v, 0))
        || !json_is_string(json_array_get(v, 1)) || !json_is_string(rv))
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"det\" must be [\"re\", \"im\"], "
                               "two decimal strings, and \"det_radius\" a decimal string");
    if (acb_contains_zero(det))
        return genrank_err_set(err, GENRANK_EINVALID, "the witness minor's determinant, in ball "
                               "arithmetic, is a ball containing 0");
    acb_init(z);
    arb_init(r);
    mag_init(e);
    mag_init(t);
    if (arb_set_str(acb_realref(z), json_string_value(json_array_get(v, 0)), 128) != 0
        || arb_set_str(acb_imagref(z), json_string_value(json_array_get(v, 1)), 128) != 0
        || arb_set_str(r, json_string_value(rv), 128) != 0 || !acb_is_finite(z)
        || !arb_is_finite(r) || arb_is_negative(r))
        rc = genrank_err_set(err, GENRANK_EFORMAT, "witness \"det\" and \"det_radius\" are not "
                             "decimal numbers (the radius nonnegative)");
    else
    {
        acb_get_mag(e, z);
        arb_get_mag(t, r);
        mag_mul_2exp_si(e, e, -20);
        if (mag_cmp(t, e) > 0 || mag_cmp(arb_radref(acb_realref(z)), e) > 0
            || mag_cmp(arb_radref(acb_imagref(z)), e) > 0)
            rc = genrank_err_set(err, GENRANK_EINVALID, "witness \"det\" is not a tight value "
                                 "(its radius must be at most 2^-20 of its modulus)");
        else
        {
            mag_mul_2exp_si(e, e, -20);          /* 2^-40 |z| */
            mag_max(e, e, t);
            acb_add_error_mag(z, e);
            if (!acb_overlaps(det, z))
                rc = genrank_err_set(err, GENRANK_EINVALID, "the witness minor's determinant is "
                                     "not the recorded \"det\"");
        }
    }
    acb_clear(z);
    arb_clear(r);
    mag_clear(e);
    mag_clear(t);
    return rc;
}

/* The witness minor, column by column, and its determinant. */
static int
mx_minor(mx_t *c, const json_t *w, genrank_err_t *err)
{
    slong d = c->d, dd = d * d, s, t, k;
    acb_mat_t S, F;
    acb_t det;
    int rc;
    acb_mat_init(S, FLINT_MAX(c->rank, 1), FLINT_MAX(c->rank, 1));
    acb_mat_init(F, d, d);
    acb_init(det);
    for (t = 0; t < c->rank; t++)
    {
        slong j = c->cols[t] / dd + 1, a = (c->cols[t] % dd) / d, b = c->cols[t] % d;
        for (k = 0; k < c->n; k++)
        {
            if (!c->used[k])
                continue;
            mx_column(F, c, k, j, a, b);
            for (s = 0; s < c->rank; s++)
                if (c->rows[s] / dd == k)
                    acb_set(acb_mat_entry(S, s, t), acb_mat_entry(F, (c->rows[s] % dd) / d,
                                                                  c->rows[s] % d));
        }
    }
    if (c->rank == 0)
        acb_one(det);
    else
        acb_mat_det(det, S, c->prec);
    rc = mx_det_check(det, w, err);
    acb_mat_clear(S);
    acb_mat_clear(F);
    acb_clear(det);
    return rc;
}

static void
mx_clear(mx_t *c)
{
    slong j;
    if (c->re != NULL)
    {
        _fmpq_vec_clear(c->re, (c->L + c->n) * c->d * c->d);
        _fmpq_vec_clear(c->im, (c->L + c->n) * c->d * c->d);
    }
    if (c->W != NULL)
    {
        for (j = 0; j < c->L + c->n; j++)
            acb_mat_clear(c->W + j);
        for (j = 0; j < c->n * c->L; j++)
        {
            acb_mat_clear(c->A + j);
            acb_mat_clear(c->H + j);
        }
    }
    flint_free(c->W);
    flint_free(c->A);
    flint_free(c->H);
    flint_free(c->used);
    flint_free(c->rows);
    flint_free(c->cols);
}

int
_genrank_check_matexp(const json_t *root, const genrank_verify_opts_t *opts,
                      genrank_verify_info_t *info, genrank_err_t *err)
{
    mx_t c;
    const json_t *w = json_object_get(root, "witness");
    int rc;
    memset(&c, 0, sizeof c);
    if ((rc = mx_sizes(&c, root, err)) == 0 && (rc = mx_witness(&c, w, opts, err)) == 0
        && (rc = mx_point(&c, json_object_get(root, "point"), err)) == 0)
    {
        mx_forward(&c);
        rc = mx_minor(&c, w, err);
    }
    if (rc == 0 && info != NULL)
    {
        memset(info, 0, sizeof *info);
        snprintf(info->family, sizeof info->family, "matexp");
        info->matexp = 1;
        info->m = c.L;
        info->d = c.d;
        info->n = c.n;
        info->rank = c.rank;
        info->kruskal_rank = -1;
        info->precision = c.prec;
        snprintf(info->route, sizeof info->route, "ball");
        snprintf(info->predicted, sizeof info->predicted, "%ld", (long) c.bound);
        if (c.rank == c.bound)
        {
            snprintf(info->corrected, sizeof info->corrected, "%ld", (long) c.rank);
            snprintf(info->corrected_source, sizeof info->corrected_source,
                     "rank <= min(n d^2, layers d^2), the Jacobian's shape");
        }
    }
    mx_clear(&c);
    return rc;
}
