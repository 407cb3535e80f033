/* Matrix-exponential networks, Theorem 1 of doc/matexp.md: the weights
   W_1 = ln(a) (X_1 - X_2)^-1, W_2 = (Z - ln(a) I) exp(-W_1 X_2) / (1 - a),
   W_3 = Y_1 exp(-W_2 exp(W_1 X_1)) with exp(Z) = a Y_1^-1 Y_2, in Arb
   balls, after the hypotheses are checked exactly over Q(i); and the
   Frechet derivative of exp by the one Kronecker block matrix. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <flint/fmpq_mat.h>
#include <flint/fmpq_vec.h>
#include "internal.h"

static const char *const data_names[4] = {"X1", "X2", "Y1", "Y2"};

void
genrank_matexp_data_init(genrank_matexp_data_t data)
{
    memset(data, 0, sizeof *data);
}

void
genrank_matexp_data_clear(genrank_matexp_data_t data)
{
    int k;
    for (k = 0; k < 4; k++)
        if (data->re[k] != NULL)
        {
            _fmpq_vec_clear(data->re[k], data->d * data->d);
            _fmpq_vec_clear(data->im[k], data->d * data->d);
        }
    memset(data, 0, sizeof *data);
}

static int
data_from_json(genrank_matexp_data_t data, const json_t *root, genrank_err_t *err)
{
    const char *key;
    json_t *v;
    const json_t *x1 = json_object_get(root, "X1");
    slong d;
    int k, rc;
    json_object_foreach((json_t *) root, key, v)
        if (strcmp(key, "X1") && strcmp(key, "X2") && strcmp(key, "Y1") && strcmp(key, "Y2"))
            return genrank_err_set(err, GENRANK_EINVAL, "unknown key \"%.40s\" (the keys are "
                                   "X1, X2, Y1 and Y2)", key);
    for (k = 0; k < 4; k++)
        if (json_object_get(root, data_names[k]) == NULL)
            return genrank_err_set(err, GENRANK_EINVAL, "\"%s\" is missing (the keys are X1, X2, "
                                   "Y1 and Y2, each a d x d matrix)", data_names[k]);
    if (!json_is_array(x1) || json_array_size(x1) == 0)
        return genrank_err_set(err, GENRANK_EINVAL, "\"X1\" must be a nonempty array of rows");
    d = (slong) json_array_size(x1);
    if (d > GENRANK_MATEXP_SOLVE_DMAX)
        return genrank_err_set(err, GENRANK_EINVAL, "d = %ld is above the limit %d", (long) d,
                               GENRANK_MATEXP_SOLVE_DMAX);
    data->d = d;
    for (k = 0; k < 4; k++)
    {
        data->re[k] = _fmpq_vec_init(d * d);
        data->im[k] = _fmpq_vec_init(d * d);
    }
    for (k = 0; k < 4; k++)
        if ((rc = _genrank_json_gauss_matrix(data->re[k], data->im[k],
                                             json_object_get(root, data_names[k]), d,
                                             data_names[k], err)) != 0)
            return rc;
    return 0;
}

int
genrank_matexp_data_parse(genrank_matexp_data_t data, const char *text, size_t len,
                          genrank_err_t *err)
{
    json_error_t jerr;
    json_t *root;
    int rc;
    genrank_matexp_data_clear(data);
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return genrank_err_set(err, GENRANK_EINVAL, "not valid JSON (line %d, column %d: %s)",
                               jerr.line, jerr.column, jerr.text);
    if (!json_is_object(root))
        rc = genrank_err_set(err, GENRANK_EINVAL, "the data is a JSON object {\"X1\": .., "
                             "\"X2\": .., \"Y1\": .., \"Y2\": ..}");
    else
        rc = data_from_json(data, root, err);
    json_decref(root);
    if (rc != 0)
        genrank_matexp_data_clear(data);
    return rc;
}

/* Data files above this size are refused before they are read. */
#define DATA_BYTES_MAX (WORD(64) << 20)

int
genrank_matexp_data_read(genrank_matexp_data_t data, const char *path, genrank_err_t *err)
{
    struct stat sb;
    FILE *f;
    char *buf;
    size_t len;
    int rc;
    if (stat(path, &sb) != 0)
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': not a regular file", path);
    if (sb.st_size > DATA_BYTES_MAX)
        return genrank_err_set(err, GENRANK_EINVAL, "'%.200s' is larger than 64 MiB", path);
    /* Jansson's tree takes up to about 40 bytes per byte of text */
    if (40.0 * (double) sb.st_size > (double) genrank_memory_available())
        return genrank_err_set(err, GENRANK_ENOMEM, "reading '%.200s' needs more memory than is "
                               "available", path);
    if ((f = fopen(path, "rb")) == NULL)
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': %s", path, strerror(errno));
    buf = flint_malloc((size_t) sb.st_size + 1);
    len = fread(buf, 1, (size_t) sb.st_size, f);
    fclose(f);
    buf[len] = '\0';
    rc = genrank_matexp_data_parse(data, buf, len, err);
    if (rc != 0 && err != NULL)
    {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        genrank_err_set(err, rc, "%.200s: %s", path, msg);
    }
    flint_free(buf);
    return rc;
}

/* R = [[P, -Q], [Q, P]] for M = P + iQ (d x d): M -> R is a ring
   homomorphism and det R = |det M|^2. */
static void
realify(fmpq_mat_t R, const fmpq *re, const fmpq *im, slong d)
{
    slong i, j;
    for (i = 0; i < d; i++)
        for (j = 0; j < d; j++)
        {
            fmpq_set(fmpq_mat_entry(R, i, j), re + i * d + j);
            fmpq_set(fmpq_mat_entry(R, i + d, j + d), re + i * d + j);
            fmpq_set(fmpq_mat_entry(R, i + d, j), im + i * d + j);
            fmpq_neg(fmpq_mat_entry(R, i, j + d), im + i * d + j);
        }
}

/* The hypotheses, exactly: det(X_1 - X_2), det Y_1, det Y_2 nonzero over
   Q(i) (by the real 2d x 2d form), alpha > 0, alpha != 1.  Sets
   A = alpha Y_1^-1 Y_2 in real form and *scalar. */
static int
hypotheses(fmpq_mat_t A, int *scalar, const genrank_matexp_data_t data, const fmpq_t alpha,
           genrank_err_t *err)
{
    static const char *const what[3] = {"X1 - X2", "Y1", "Y2"};
    slong d = data->d, i, j, k;
    fmpq *re = _fmpq_vec_init(d * d), *im = _fmpq_vec_init(d * d);
    fmpq_mat_t R[3];
    fmpq_t det;
    int rc = 0;
    if (fmpq_sgn(alpha) <= 0 || fmpq_is_one(alpha))
        rc = genrank_err_set(err, GENRANK_EINVAL, "alpha must be positive and not 1 (Theorem 1 "
                             "takes ln(alpha) and divides by 1 - alpha)");
    for (i = 0; i < d * d; i++)
    {
        fmpq_sub(re + i, data->re[0] + i, data->re[1] + i);
        fmpq_sub(im + i, data->im[0] + i, data->im[1] + i);
    }
    fmpq_init(det);
    for (k = 0; k < 3; k++)
    {
        fmpq_mat_init(R[k], 2 * d, 2 * d);
        realify(R[k], k ? data->re[k + 1] : re, k ? data->im[k + 1] : im, d);
        fmpq_mat_det(det, R[k]);
        if (rc == 0 && fmpq_is_zero(det))
            rc = genrank_err_set(err, GENRANK_EINVAL, "hypothesis fails: %s is singular (its "
                                 "determinant is 0, exactly); Theorem 1 needs X1 - X2, Y1 and Y2 "
                                 "invertible", what[k]);
    }
    if (rc == 0)
    {
        fmpq_mat_solve(A, R[1], R[2]);
        fmpq_mat_scalar_mul_fmpq(A, A, alpha);
        *scalar = 1;   /* A = c I: P = Re(c) I and Q = Im(c) I */
        for (i = 0; i < d; i++)
            for (j = 0; j < d; j++)
                for (k = 0; k < 2; k++)
                    if (i == j ? !fmpq_equal(fmpq_mat_entry(A, i + k * d, j), fmpq_mat_entry(A, k * d, 0))
                        : !fmpq_is_zero(fmpq_mat_entry(A, i + k * d, j)))
                        *scalar = 0;
    }
    for (k = 0; k < 3; k++)
        fmpq_mat_clear(R[k]);
    fmpq_clear(det);
    _fmpq_vec_clear(re, d * d);
    _fmpq_vec_clear(im, d * d);
    return rc;
}

/* A complex matrix M = P + iQ (d x d) in the real form [[P, -Q], [Q, P]]
   of realify(); c I for a complex c; the trace of M. */
static void
realify_scalar(fmpq_mat_t R, const fmpq_t re, const fmpq_t im, slong d)
{
    slong i;
    fmpq_mat_zero(R);
    for (i = 0; i < d; i++)
    {
        fmpq_set(fmpq_mat_entry(R, i, i), re);
        fmpq_set(fmpq_mat_entry(R, i + d, i + d), re);
        fmpq_set(fmpq_mat_entry(R, i + d, i), im);
        fmpq_neg(fmpq_mat_entry(R, i, i + d), im);
    }
}

/* 1 when the complex matrix A (real form, 2d x 2d) has a repeated
   eigenvalue, exactly: its characteristic polynomial p (Faddeev-LeVerrier
   over Q(i)) and p' have a common root, i.e. the Sylvester matrix of p
   and p' is singular (its real form's determinant is 0). */
static int
repeated_eigenvalue(const fmpq_mat_t A, slong d)
{
    slong k, i, j, n = 2 * d - 1;
    fmpq *cre = _fmpq_vec_init(d + 1), *cim = _fmpq_vec_init(d + 1);
    fmpq_mat_t M, T, S;
    fmpq_t det, tre, tim;
    int rep;
    if (d == 1)
    {
        _fmpq_vec_clear(cre, d + 1);
        _fmpq_vec_clear(cim, d + 1);
        return 0;
    }
    fmpq_mat_init(M, 2 * d, 2 * d);
    fmpq_mat_init(T, 2 * d, 2 * d);
    fmpq_init(det);
    fmpq_init(tre);
    fmpq_init(tim);
    fmpq_one(cre + d);                       /* p = sum c_k x^k, c_d = 1 */
    for (k = 1; k <= d; k++)
    {
        /* M_k = A M_{k-1} + c_{d-k+1} I; c_{d-k} = -tr(A M_k) / k */
        fmpq_mat_mul(M, A, M);
        realify_scalar(T, cre + d - k + 1, cim + d - k + 1, d);
        fmpq_mat_add(M, M, T);
        fmpq_mat_mul(T, A, M);
        fmpq_zero(tre);
        fmpq_zero(tim);
        for (i = 0; i < d; i++)
        {
            fmpq_add(tre, tre, fmpq_mat_entry(T, i, i));
            fmpq_add(tim, tim, fmpq_mat_entry(T, i + d, i));
        }
        fmpz_set_si(fmpq_numref(det), -k);   /* det: -k as a scratch rational */
        fmpz_one(fmpq_denref(det));
        fmpq_div(cre + d - k, tre, det);
        fmpq_div(cim + d - k, tim, det);
    }
    /* the Sylvester matrix of p (degree d) and p' (degree d - 1), n x n,
       in real form */
    fmpq_mat_init(S, 2 * n, 2 * n);
    for (i = 0; i < d - 1; i++)              /* d - 1 rows of p */
        for (j = 0; j <= d; j++)
        {
            fmpq_set(fmpq_mat_entry(S, i, i + j), cre + d - j);
            fmpq_set(fmpq_mat_entry(S, i + n, i + j + n), cre + d - j);
            fmpq_set(fmpq_mat_entry(S, i + n, i + j), cim + d - j);
            fmpq_neg(fmpq_mat_entry(S, i, i + j + n), cim + d - j);
        }
    for (i = 0; i < d; i++)                  /* d rows of p' */
        for (j = 0; j < d; j++)
        {
            slong r = d - 1 + i;
            fmpq_mul_si(tre, cre + d - j, d - j);
            fmpq_mul_si(tim, cim + d - j, d - j);
            fmpq_set(fmpq_mat_entry(S, r, i + j), tre);
            fmpq_set(fmpq_mat_entry(S, r + n, i + j + n), tre);
            fmpq_set(fmpq_mat_entry(S, r + n, i + j), tim);
            fmpq_neg(fmpq_mat_entry(S, r, i + j + n), tim);
        }
    fmpq_mat_det(det, S);
    rep = fmpq_is_zero(det);
    fmpq_mat_clear(M);
    fmpq_mat_clear(T);
    fmpq_mat_clear(S);
    fmpq_clear(det);
    fmpq_clear(tre);
    fmpq_clear(tim);
    _fmpq_vec_clear(cre, d + 1);
    _fmpq_vec_clear(cim, d + 1);
    return rep;
}

/* y = a logarithm of x: the principal one when the midpoint of x has
   nonnegative real part, else log(-x) + i pi (so that no ball crosses a
   branch cut).  Returns 1 for the second. */
static int
log_branch(acb_t y, const acb_t x, slong prec)
{
    arb_t pi;
    if (arf_sgn(arb_midref(acb_realref(x))) >= 0)
    {
        acb_log(y, x, prec);
        return 0;
    }
    arb_init(pi);
    acb_neg(y, x);
    acb_log(y, y, prec);
    arb_const_pi(pi, prec);
    arb_add(acb_imagref(y), acb_imagref(y), pi, prec);
    arb_clear(pi);
    return 1;
}

/* Z with exp(Z) = A: log(c) I when A = c I, else R diag(log l) R^-1 from
   acb_mat_eig_simple's certified eigen-decomposition.  1, or 0 when the
   eigenvalues are not certified simple (or R not invertible) at prec. */
static int
log_matrix(acb_mat_t Z, slong *negative, const acb_mat_t A, int scalar, slong prec)
{
    slong d = acb_mat_nrows(A), i;
    acb_ptr E, Ea;
    acb_mat_t R, Ra, Ri;
    int ok;
    acb_mat_zero(Z);
    *negative = 0;
    if (scalar)
    {
        *negative = d * log_branch(acb_mat_entry(Z, 0, 0), acb_mat_entry(A, 0, 0), prec);
        for (i = 1; i < d; i++)
            acb_set(acb_mat_entry(Z, i, i), acb_mat_entry(Z, 0, 0));
        return 1;
    }
    E = _acb_vec_init(d);
    Ea = _acb_vec_init(d);
    acb_mat_init(R, d, d);
    acb_mat_init(Ra, d, d);
    acb_mat_init(Ri, d, d);
    acb_mat_approx_eig_qr(Ea, NULL, Ra, A, NULL, 0, prec);
    ok = acb_mat_eig_simple(E, NULL, R, A, Ea, Ra, prec) && acb_mat_inv(Ri, R, prec);
    if (ok)
    {
        for (i = 0; i < d; i++)
            *negative += log_branch(acb_mat_entry(Z, i, i), E + i, prec);
        acb_mat_mul(Z, R, Z, prec);
        acb_mat_mul(Z, Z, Ri, prec);
    }
    _acb_vec_clear(E, d);
    _acb_vec_clear(Ea, d);
    acb_mat_clear(R);
    acb_mat_clear(Ra);
    acb_mat_clear(Ri);
    return ok;
}

/* f(X) = W_3 exp(W_2 exp(W_1 X)). */
static void
network3(acb_mat_t F, const acb_mat_struct *W, const acb_mat_t X, slong prec)
{
    acb_mat_t T;
    acb_mat_init(T, acb_mat_nrows(X), acb_mat_nrows(X));
    acb_mat_mul(T, W + 0, X, prec);
    acb_mat_exp(T, T, prec);
    acb_mat_mul(T, W + 1, T, prec);
    acb_mat_exp(T, T, prec);
    acb_mat_mul(F, W + 2, T, prec);
    acb_mat_clear(T);
}

/* eq. 12 at prec from the balls M[0..3] = X_1, X_2, Y_1, Y_2 and A:
   1, 0 when Z is not certified, -1 when X_1 - X_2 is not invertible in
   balls (both: raise the precision). */
static int
weights(genrank_matexp_solution_t sol, const acb_mat_struct *M, const acb_mat_t A, int scalar,
        slong prec)
{
    slong d = sol->d;
    acb_mat_t T, Z, E;
    arb_t lna, c;
    int ok = 1;
    acb_mat_init(T, d, d);
    acb_mat_init(Z, d, d);
    acb_mat_init(E, d, d);
    arb_init(lna);
    arb_init(c);
    arb_set_fmpq(lna, sol->alpha, prec);
    arb_log(lna, lna, prec);
    acb_mat_sub(T, M + 0, M + 1, prec);
    if (!acb_mat_inv(T, T, prec))
        ok = -1;
    else if (!log_matrix(Z, &sol->negative, A, scalar, prec))
        ok = 0;
    else
    {
        acb_mat_scalar_mul_arb(sol->W + 0, T, lna, prec);         /* W_1 */
        acb_mat_mul(T, sol->W + 0, M + 1, prec);
        acb_mat_neg(T, T);
        acb_mat_exp(E, T, prec);                                   /* exp(-W_1 X_2) */
        acb_mat_one(T);
        acb_mat_scalar_mul_arb(T, T, lna, prec);
        acb_mat_sub(Z, Z, T, prec);                                /* Z - ln(a) I */
        arb_set_fmpq(c, sol->alpha, prec);
        arb_sub_ui(c, c, 1, prec);
        arb_neg(c, c);                                             /* 1 - a */
        acb_mat_mul(T, Z, E, prec);
        acb_mat_scalar_div_arb(sol->W + 1, T, c, prec);            /* W_2 */
        acb_mat_mul(T, sol->W + 0, M + 0, prec);
        acb_mat_exp(T, T, prec);
        acb_mat_mul(T, sol->W + 1, T, prec);
        acb_mat_neg(T, T);
        acb_mat_exp(T, T, prec);
        acb_mat_mul(sol->W + 2, M + 2, T, prec);                   /* W_3 */
    }
    acb_mat_clear(T);
    acb_mat_clear(Z);
    acb_mat_clear(E);
    arb_clear(lna);
    arb_clear(c);
    return ok;
}

/* The largest radius of the entries' parts, into r. */
static void
max_radius(mag_t r, const acb_mat_t F)
{
    slong i, j;
    for (i = 0; i < acb_mat_nrows(F); i++)
        for (j = 0; j < acb_mat_ncols(F); j++)
        {
            mag_max(r, r, arb_radref(acb_realref(acb_mat_entry(F, i, j))));
            mag_max(r, r, arb_radref(acb_imagref(acb_mat_entry(F, i, j))));
        }
}

/* 1 when every entry of F contains re + i im. */
static int
contains_gauss(const acb_mat_t F, const fmpq *re, const fmpq *im)
{
    slong i, d = acb_mat_nrows(F);
    for (i = 0; i < d * d; i++)
        if (!arb_contains_fmpq(acb_realref(F->rows[i / d] + i % d), re + i)
            || !arb_contains_fmpq(acb_imagref(F->rows[i / d] + i % d), im + i))
            return 0;
    return acb_mat_is_finite(F);
}

void
genrank_matexp_solution_init(genrank_matexp_solution_t sol)
{
    memset(sol, 0, sizeof *sol);
    fmpq_init(sol->alpha);
}

void
genrank_matexp_solution_clear(genrank_matexp_solution_t sol)
{
    int k;
    if (sol->d > 0)
        for (k = 0; k < 3; k++)
            acb_mat_clear(sol->W + k);
    fmpq_clear(sol->alpha);
    memset(sol, 0, sizeof *sol);
}

/* Evaluates f(X_1), f(X_2) from the weights' balls: sets certified and
   radius. */
static void
evaluate(genrank_matexp_solution_t sol, const acb_mat_struct *M, const genrank_matexp_data_t data,
         slong prec)
{
    acb_mat_t F;
    mag_t r;
    int k;
    acb_mat_init(F, sol->d, sol->d);
    mag_init(r);
    sol->certified = 1;
    for (k = 0; k < 2; k++)
    {
        network3(F, sol->W, M + k, prec);
        sol->certified &= contains_gauss(F, data->re[k + 2], data->im[k + 2]);
        max_radius(r, F);
    }
    sol->radius = mag_get_d(r);
    mag_zero(r);
    for (k = 0; k < 3; k++)
        max_radius(r, sol->W + k);
    sol->weight_radius = mag_get_d(r);
    acb_mat_clear(F);
    mag_clear(r);
}

/* The tolerance on radii: 2^-64 max(1, |entries of Y_1, Y_2|). */
static double
radius_goal(const genrank_matexp_data_t data)
{
    double m = 1.0, v;
    slong i, k;
    for (k = 2; k < 4; k++)
        for (i = 0; i < data->d * data->d; i++)
        {
            v = fabs(fmpq_get_d(data->re[k] + i)) + fabs(fmpq_get_d(data->im[k] + i));
            m = v > m ? v : m;
        }
    return ldexp(m, -64);
}

int
genrank_matexp_solve(genrank_matexp_solution_t sol, const genrank_matexp_data_t data,
                     const fmpq_t alpha, slong max_prec, genrank_err_t *err)
{
    slong d = data->d, prec, k;
    fmpq_mat_t Ar;
    acb_mat_t A, M[4];
    int scalar = 0, rc, ok = 0;
    double t0 = _genrank_seconds(), goal;
    if (d < 1 || d > GENRANK_MATEXP_SOLVE_DMAX)
        return genrank_err_set(err, GENRANK_EINVAL, "d must be in [1, %d]", GENRANK_MATEXP_SOLVE_DMAX);
    max_prec = max_prec <= 0 ? 4096 : FLINT_MAX(max_prec, 128);
    fmpq_mat_init(Ar, 2 * d, 2 * d);
    if ((rc = hypotheses(Ar, &scalar, data, alpha, err)) != 0)
    {
        fmpq_mat_clear(Ar);
        return rc;
    }
    genrank_matexp_solution_clear(sol);
    sol->d = d;
    fmpq_set(sol->alpha, alpha);
    sol->scalar = scalar;
    for (k = 0; k < 3; k++)
        acb_mat_init(sol->W + k, d, d);
    acb_mat_init(A, d, d);
    for (k = 0; k < 4; k++)
        acb_mat_init(M[k], d, d);
    goal = radius_goal(data);
    for (prec = 128; prec <= max_prec; prec *= 2)
    {
        fmpq *p = _fmpq_vec_init(2 * d * d);
        slong i, j;
        for (i = 0; i < d; i++)
            for (j = 0; j < d; j++)
            {
                fmpq_set(p + i * d + j, fmpq_mat_entry(Ar, i, j));
                fmpq_set(p + d * d + i * d + j, fmpq_mat_entry(Ar, i + d, j));
            }
        _genrank_acb_mat_set_gauss(A, p, p + d * d, prec);
        _fmpq_vec_clear(p, 2 * d * d);
        for (k = 0; k < 4; k++)
            _genrank_acb_mat_set_gauss(M[k], data->re[k], data->im[k], prec);
        sol->prec = prec;
        ok = weights(sol, M[0], A, scalar, prec);
        if (ok == 0 && prec == 128 && repeated_eigenvalue(Ar, d))
        {
            ok = -2;
            break;
        }
        if (ok != 1)
            continue;
        evaluate(sol, M[0], data, prec);
        if (sol->certified && sol->radius <= goal)
            break;
    }
    if (ok == -2)
        rc = genrank_err_set(err, GENRANK_EINVAL, "alpha Y1^-1 Y2 has a repeated eigenvalue (the "
                             "discriminant of its characteristic polynomial is 0, exactly) and is "
                             "not a scalar matrix; the logarithm Z is computed from a certified "
                             "eigen-decomposition, which needs simple eigenvalues");
    else if (ok != 1)
        rc = genrank_err_set(err, GENRANK_EINVAL, ok == 0 ? "the eigenvalues of alpha Y1^-1 Y2 "
                             "could not be certified simple up to %ld bits (they are distinct, "
                             "exactly, but too close): no certified logarithm Z" :
                             "X1 - X2 could not be inverted in ball arithmetic up to %ld bits",
                             (long) max_prec);
    sol->seconds = _genrank_seconds() - t0;
    fmpq_mat_clear(Ar);
    acb_mat_clear(A);
    for (k = 0; k < 4; k++)
        acb_mat_clear(M[k]);
    return rc;
}

/* ---- the weights as JSON ------------------------------------------- */

/* x's midpoint as a 25-digit decimal m, and an upper bound on |x - m|
   (x's radius and the rounding) into *rad. */
static json_t *
json_mid(mag_t rad, const arb_t x)
{
    char *s = arb_get_str(x, 25, ARB_STR_NO_RADIUS);
    arb_t m;
    mag_t e;
    json_t *j;
    arb_init(m);
    mag_init(e);
    if (!arb_is_finite(x) || arb_set_str(m, s, 256) != 0)
        mag_inf(e);
    else
    {
        arb_sub(m, x, m, 256);
        arb_get_mag(e, m);
    }
    mag_max(rad, rad, e);
    j = json_string(s);
    flint_free(s);
    arb_clear(m);
    mag_clear(e);
    return j;
}

static json_t *
json_weight(const acb_mat_t W)
{
    json_t *mid = json_array(), *rad = json_array(), *o = json_object();
    slong i, j, d = acb_mat_nrows(W);
    mag_t r;
    char buf[40];
    mag_init(r);
    for (i = 0; i < d; i++)
    {
        json_t *mr = json_array(), *rr = json_array();
        for (j = 0; j < d; j++)
        {
            json_t *z = json_array();
            mag_zero(r);
            json_array_append_new(z, json_mid(r, acb_realref(acb_mat_entry(W, i, j))));
            json_array_append_new(z, json_mid(r, acb_imagref(acb_mat_entry(W, i, j))));
            json_array_append_new(mr, z);
            /* rounded up: 4 digits of the bound times 1 + 2^-9 */
            snprintf(buf, sizeof buf, "%.3e", mag_get_d(r) * (1 + ldexp(1, -9)));
            json_array_append_new(rr, json_string(buf));
        }
        json_array_append_new(mid, mr);
        json_array_append_new(rad, rr);
    }
    mag_clear(r);
    json_object_set_new(o, "mid", mid);
    json_object_set_new(o, "rad", rad);
    return o;
}

static void
dump_json(FILE *f, const void *ctx)
{
    json_dumpf((const json_t *) ctx, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
}

int
genrank_matexp_solution_write(const genrank_matexp_solution_t sol, const char *path,
                              genrank_err_t *err)
{
    json_t *o = json_object();
    char *a = fmpq_get_str(NULL, 10, sol->alpha), buf[40];
    int k, rc;
    json_object_set_new(o, "format", json_string("genrank-matexp-weights"));
    json_object_set_new(o, "network", json_string("f(X) = W3 exp(W2 exp(W1 X))"));
    json_object_set_new(o, "d", json_integer(sol->d));
    json_object_set_new(o, "alpha", json_string(a));
    json_object_set_new(o, "precision", json_integer(sol->prec));
    json_object_set_new(o, "certified", json_boolean(sol->certified));
    snprintf(buf, sizeof buf, "%.3e", sol->radius);
    json_object_set_new(o, "radius", json_string(buf));
    for (k = 0; k < 3; k++)
    {
        snprintf(buf, sizeof buf, "W%d", k + 1);
        json_object_set_new(o, buf, json_weight(sol->W + k));
    }
    json_object_set_new(o, "entries", json_string("mid: [re, im] decimal midpoints; rad: an upper "
                                                  "bound on the distance of each part to its midpoint"));
    rc = genrank_write_atomic(path, dump_json, o, err);
    json_decref(o);
    flint_free(a);
    return rc;
}

/* ---- the Frechet derivative of exp --------------------------------- */

/* K(M), d^2 x d^2, with vec L(M, E) = K(M) vec E (row-major vec):
   the upper right block of exp([[M (x) I, I], [0, I (x) M^T]]), since
   M (x) I and I (x) M^T commute and vec(A E B) = (A (x) B^T) vec E. */
void
_genrank_matexp_kron_frechet(acb_mat_t K, const acb_mat_t M, slong prec)
{
    slong d = acb_mat_nrows(M), n = d * d, a, b, c;
    acb_mat_t B;
    acb_mat_init(B, 2 * n, 2 * n);
    for (a = 0; a < d; a++)
        for (b = 0; b < d; b++)
            for (c = 0; c < d; c++)
            {
                /* (M (x) I)[a d + c][b d + c] = M[a][b];
                   (I (x) M^T)[c d + a][c d + b] = M[b][a] */
                acb_set(acb_mat_entry(B, a * d + c, b * d + c), acb_mat_entry(M, a, b));
                acb_set(acb_mat_entry(B, n + c * d + a, n + c * d + b), acb_mat_entry(M, b, a));
            }
    for (a = 0; a < n; a++)
        acb_one(acb_mat_entry(B, a, n + a));
    acb_mat_exp(B, B, prec);
    for (a = 0; a < n; a++)
        for (b = 0; b < n; b++)
            acb_set(acb_mat_entry(K, a, b), acb_mat_entry(B, a, n + b));
    acb_mat_clear(B);
}

void
genrank_matexp_frechet(acb_mat_t L, const acb_mat_t M, const acb_mat_t E, slong prec)
{
    slong d = acb_mat_nrows(M), n = d * d, i;
    acb_mat_t K, v, w;
    acb_mat_init(K, n, n);
    acb_mat_init(v, n, 1);
    acb_mat_init(w, n, 1);
    _genrank_matexp_kron_frechet(K, M, prec);
    for (i = 0; i < n; i++)
        acb_set(acb_mat_entry(v, i, 0), acb_mat_entry(E, i / d, i % d));
    acb_mat_mul(w, K, v, prec);
    for (i = 0; i < n; i++)
        acb_set(acb_mat_entry(L, i / d, i % d), acb_mat_entry(w, i, 0));
    acb_mat_clear(K);
    acb_mat_clear(v);
    acb_mat_clear(w);
}
