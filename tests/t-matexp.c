/* Matrix-exponential networks (genrank matexp): Theorem 1's weights on
   random real and complex data, checked by identities computed here
   (W_1 (X_1 - X_2) = ln(a) I, Y_1 exp(W_2 e^{W_1 X_2} - W_2 e^{W_1 X_1})
   = Y_2, f(X_i) = Y_i); each failed hypothesis refused; the Frechet
   derivative against a difference quotient with a rigorous bound on its
   error; d = 1 against closed forms; capacity certificates against the
   checker and, tampered with, refused; bad data files refused. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <acb_mat.h>
#include <flint/fmpq_vec.h>
#include <jansson.h>
#include "genrank.h"
#include "tap.h"

static genrank_rng_t rng;

static slong
rnd(slong bound)
{
    return (slong) genrank_rng_below(&rng, (uint64_t) bound);
}

/* A random entry p/q, |p| <= 20, q in [1, 5]; the imaginary part too
   when cplx. */
static json_t *
rand_entry(int cplx)
{
    char re[48], im[48];
    snprintf(re, sizeof re, "%ld/%ld", (long) (rnd(41) - 20), (long) (rnd(5) + 1));
    if (!cplx)
        return rnd(2) ? json_string(re) : json_integer(rnd(41) - 20);
    snprintf(im, sizeof im, "%ld/%ld", (long) (rnd(41) - 20), (long) (rnd(5) + 1));
    return json_pack("[s, s]", re, im);
}

static json_t *
rand_matrix(slong d, int cplx)
{
    json_t *a = json_array();
    slong i, j;
    for (i = 0; i < d; i++)
    {
        json_t *r = json_array();
        for (j = 0; j < d; j++)
            json_array_append_new(r, rand_entry(cplx));
        json_array_append_new(a, r);
    }
    return a;
}

/* {"X1", "X2", "Y1", "Y2"} at random, as JSON text (free()). */
static char *
rand_data(slong d, int cplx)
{
    json_t *o = json_object();
    static const char *const names[4] = {"X1", "X2", "Y1", "Y2"};
    int k;
    char *s;
    for (k = 0; k < 4; k++)
        json_object_set_new(o, names[k], rand_matrix(d, cplx));
    s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

/* Makes one matrix singular: which = 0: X1 = X2 + S; 1: Y1 = S; 2: Y2 = S,
   with S's row 0 a copy of its row 1 (S = 0 when d = 1). */
static void
make_singular(genrank_matexp_data_t data, int which)
{
    slong d = data->d, j;
    int k = which == 0 ? 0 : which + 1;
    fmpq *re = data->re[k], *im = data->im[k];
    if (which == 0)
        for (j = 0; j < d * d; j++)
        {
            fmpq_set_si(re + j, rnd(21) - 10, 1);
            fmpq_set_si(im + j, rnd(21) - 10, 1);
        }
    for (j = 0; j < d; j++)
    {
        if (d == 1)
        {
            fmpq_zero(re + j);
            fmpq_zero(im + j);
        }
        else
        {
            fmpq_set(re + j, re + d + j);
            fmpq_set(im + j, im + d + j);
        }
    }
    if (which == 0)
        for (j = 0; j < d * d; j++)
        {
            fmpq_add(re + j, re + j, data->re[1] + j);
            fmpq_add(im + j, im + j, data->im[1] + j);
        }
}

static void
set_mat(acb_mat_t A, const fmpq *re, const fmpq *im, slong prec)
{
    slong i, d = acb_mat_nrows(A);
    for (i = 0; i < d * d; i++)
    {
        arb_set_fmpq(acb_realref(acb_mat_entry(A, i / d, i % d)), re + i, prec);
        arb_set_fmpq(acb_imagref(acb_mat_entry(A, i / d, i % d)), im + i, prec);
    }
}

/* 1 when every entry of F contains re + i im exactly. */
static int
contains_exact(const acb_mat_t F, const fmpq *re, const fmpq *im)
{
    slong i, d = acb_mat_nrows(F);
    for (i = 0; i < d * d; i++)
        if (!arb_contains_fmpq(acb_realref(acb_mat_entry(F, i / d, i % d)), re + i)
            || !arb_contains_fmpq(acb_imagref(acb_mat_entry(F, i / d, i % d)), im + i))
            return 0;
    return 1;
}

/* F = W_3 exp(W_2 exp(W_1 X)). */
static void
net3(acb_mat_t F, const acb_mat_struct *W, const acb_mat_t X, slong prec)
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

/* Theorem 1's identities on the weights' balls, at 256 bits:
   W_1 (X_1 - X_2) meets ln(a) I, Y_1 exp(W_2 e^{W_1 X_2} - W_2 e^{W_1 X_1})
   contains Y_2, f(X_1), f(X_2) contain Y_1, Y_2. */
static int
identities(const genrank_matexp_solution_t sol, const genrank_matexp_data_t data)
{
    slong d = data->d, prec = 256, k;
    acb_mat_t M[4], T, U, V;
    arb_t lna;
    int ok = 1;
    for (k = 0; k < 4; k++)
    {
        acb_mat_init(M[k], d, d);
        set_mat(M[k], data->re[k], data->im[k], prec);
    }
    acb_mat_init(T, d, d);
    acb_mat_init(U, d, d);
    acb_mat_init(V, d, d);
    arb_init(lna);
    arb_set_fmpq(lna, sol->alpha, prec);
    arb_log(lna, lna, prec);
    acb_mat_sub(T, M[0], M[1], prec);
    acb_mat_mul(T, sol->W + 0, T, prec);
    acb_mat_one(U);
    acb_mat_scalar_mul_arb(U, U, lna, prec);
    ok &= acb_mat_overlaps(T, U);
    acb_mat_mul(T, sol->W + 0, M[1], prec);
    acb_mat_exp(T, T, prec);
    acb_mat_mul(T, sol->W + 1, T, prec);
    acb_mat_mul(U, sol->W + 0, M[0], prec);
    acb_mat_exp(U, U, prec);
    acb_mat_mul(U, sol->W + 1, U, prec);
    acb_mat_sub(T, T, U, prec);
    acb_mat_exp(T, T, prec);
    acb_mat_mul(T, M[2], T, prec);
    ok &= contains_exact(T, data->re[3], data->im[3]);
    for (k = 0; k < 2; k++)
    {
        net3(V, sol->W, M[k], prec);
        ok &= contains_exact(V, data->re[k + 2], data->im[k + 2]);
    }
    for (k = 0; k < 4; k++)
        acb_mat_clear(M[k]);
    acb_mat_clear(T);
    acb_mat_clear(U);
    acb_mat_clear(V);
    arb_clear(lna);
    return ok;
}

/* 1 when one of X1 - X2, Y1, Y2 is singular: its determinant, in Q(i)
   with a denominator dividing 60^d, is taken in balls at 512 bits; a ball
   around 0 narrower than 60^-d holds no other such number. */
static int
some_singular(const genrank_matexp_data_t data)
{
    slong d = data->d, k;
    acb_mat_t A, B;
    acb_t det;
    mag_t m;
    int sing = 0;
    acb_mat_init(A, d, d);
    acb_mat_init(B, d, d);
    acb_init(det);
    mag_init(m);
    for (k = 0; k < 3; k++)
    {
        set_mat(A, data->re[k ? k + 1 : 0], data->im[k ? k + 1 : 0], 512);
        if (k == 0)
        {
            set_mat(B, data->re[1], data->im[1], 512);
            acb_mat_sub(A, A, B, 512);
        }
        acb_mat_det(det, A, 512);
        mag_max(m, arb_radref(acb_realref(det)), arb_radref(acb_imagref(det)));
        sing |= acb_contains_zero(det) && mag_cmp_2exp_si(m, -6 * d - 10) < 0;
    }
    acb_mat_clear(A);
    acb_mat_clear(B);
    acb_clear(det);
    mag_clear(m);
    return sing;
}

static void
test_solve(int cplx)
{
    static const char *const alphas[5] = {"2", "1/2", "3", "7/10", "5/4"};
    slong it, iters = tap_iters(25), good = 0, refused = 0, bad = 0;
    genrank_matexp_data_t data;
    genrank_matexp_solution_t sol;
    genrank_err_t e;
    fmpq_t alpha;
    fmpq_init(alpha);
    genrank_matexp_data_init(data);
    genrank_matexp_solution_init(sol);
    for (it = 0; it < iters; it++)
    {
        slong d = 1 + rnd(4);
        char *text = rand_data(d, cplx);
        int rc;
        genrank_decimal_parse(alpha, alphas[rnd(5)], &e);
        if (genrank_matexp_data_parse(data, text, strlen(text), &e) != 0)
        {
            bad++;
            TAP_DIAG("random data refused: %s", e.msg);
            free(text);
            continue;
        }
        rc = genrank_matexp_solve(sol, data, alpha, 0, &e);
        if (rc == 0 && sol->certified && sol->radius < 1e-15 && identities(sol, data))
            good++;
        else if (rc == GENRANK_EINVAL && strstr(e.msg, "singular") && some_singular(data))
            refused++;
        else
        {
            bad++;
            TAP_DIAG("d = %ld, data %s: rc %d (%s), certified %d, radius %g", (long) d, text, rc,
                     rc ? e.msg : "", sol->certified, sol->radius);
        }
        free(text);
    }
    TAP_OK(bad == 0 && good > 0, "solve on %ld random %s data sets (d = 1..4): f(X_i) contains "
           "Y_i and the identities of eq. 12 hold in balls (%ld solved, %ld singular refused)",
           (long) iters, cplx ? "complex" : "real", (long) good, (long) refused);
    genrank_matexp_data_clear(data);
    genrank_matexp_solution_clear(sol);
    fmpq_clear(alpha);
}

/* Each hypothesis made to fail exactly is refused, naming it; so are
   alpha = 1, 0, -2; a Jordan block in alpha Y1^-1 Y2 is refused with the
   eigenvalue message; a scalar alpha Y1^-1 Y2 is solved. */
static void
test_hypotheses(void)
{
    static const char *const names[3] = {"X1 - X2", "Y1", "Y2"};
    static const char *const bad_alpha[3] = {"1", "0", "-2"};
    slong it, iters = tap_iters(8), d;
    genrank_matexp_data_t data;
    genrank_matexp_solution_t sol;
    genrank_err_t e;
    fmpq_t alpha;
    int which, ok = 1, okj = 1, oks = 1, k;
    fmpq_init(alpha);
    fmpq_set_si(alpha, 2, 1);
    genrank_matexp_data_init(data);
    genrank_matexp_solution_init(sol);
    for (it = 0; it < iters; it++)
        for (which = 0; which < 3; which++)
        {
            char *text = rand_data(1 + rnd(4), rnd(2));
            genrank_matexp_data_parse(data, text, strlen(text), &e);
            make_singular(data, which);
            e.msg[0] = '\0';
            if (genrank_matexp_solve(sol, data, alpha, 0, &e) != GENRANK_EINVAL
                || strstr(e.msg, names[which]) == NULL || strstr(e.msg, "singular") == NULL)
            {
                ok = 0;
                TAP_DIAG("%s singular: not refused as such (%s)", names[which], e.msg);
            }
            free(text);
        }
    TAP_OK(ok, "singular X1 - X2, Y1 or Y2 (real and complex, d = 1..4) is refused, naming it");
    ok = 1;
    for (k = 0; k < 3; k++)
    {
        char *text = rand_data(2, 0);
        genrank_matexp_data_parse(data, text, strlen(text), &e);
        genrank_decimal_parse(alpha, bad_alpha[k], &e);
        ok &= genrank_matexp_solve(sol, data, alpha, 0, &e) == GENRANK_EINVAL
              && strstr(e.msg, "alpha") != NULL;
        free(text);
    }
    TAP_OK(ok, "alpha = 1, 0 and -2 are refused");
    fmpq_set_si(alpha, 3, 1);
    for (it = 0; it < iters; it++)
    {
        char *text = rand_data(2, rnd(2));
        slong i;
        int rc;
        genrank_matexp_data_parse(data, text, strlen(text), &e);
        /* Y2 = Y1 [[1, 1], [0, 1]]: alpha Y1^-1 Y2 is a Jordan block */
        for (i = 0; i < 2; i++)
        {
            fmpq_set(data->re[3] + 2 * i, data->re[2] + 2 * i);
            fmpq_set(data->im[3] + 2 * i, data->im[2] + 2 * i);
            fmpq_add(data->re[3] + 2 * i + 1, data->re[2] + 2 * i, data->re[2] + 2 * i + 1);
            fmpq_add(data->im[3] + 2 * i + 1, data->im[2] + 2 * i, data->im[2] + 2 * i + 1);
        }
        rc = genrank_matexp_solve(sol, data, alpha, 512, &e);
        okj &= (rc == GENRANK_EINVAL && strstr(e.msg, "repeated eigenvalue") != NULL) || some_singular(data);
        /* Y2 = c Y1, c = -3/2 or 1 + 2i: scalar, solved */
        for (i = 0; i < 4; i++)
        {
            fmpq_t t;
            fmpq_init(t);
            if (it % 2 == 0)
            {
                fmpq_mul_si(data->re[3] + i, data->re[2] + i, -3);
                fmpq_div_2exp(data->re[3] + i, data->re[3] + i, 1);
                fmpq_mul_si(data->im[3] + i, data->im[2] + i, -3);
                fmpq_div_2exp(data->im[3] + i, data->im[3] + i, 1);
            }
            else   /* (a + bi)(1 + 2i) = a - 2b + (2a + b) i */
            {
                fmpq_mul_si(t, data->im[2] + i, 2);
                fmpq_sub(data->re[3] + i, data->re[2] + i, t);
                fmpq_mul_si(t, data->re[2] + i, 2);
                fmpq_add(data->im[3] + i, t, data->im[2] + i);
            }
            fmpq_clear(t);
        }
        rc = genrank_matexp_solve(sol, data, alpha, 0, &e);
        oks &= (rc == 0 && sol->scalar && sol->certified && identities(sol, data))
               || (rc == GENRANK_EINVAL && some_singular(data));
        free(text);
    }
    TAP_OK(okj, "a Jordan block in alpha Y1^-1 Y2 is refused: a repeated eigenvalue, exactly");
    okj = 1;
    for (it = 0; it < iters; it++)
    {
        /* Y2 = Y1 diag(2, 2, 3 + i): repeated but diagonalizable */
        char *text = rand_data(3, rnd(2));
        slong i;
        int rc;
        fmpq_t t;
        fmpq_init(t);
        genrank_matexp_data_parse(data, text, strlen(text), &e);
        for (i = 0; i < 9; i++)
        {
            if (i % 3 < 2)
            {
                fmpq_mul_si(data->re[3] + i, data->re[2] + i, 2);
                fmpq_mul_si(data->im[3] + i, data->im[2] + i, 2);
            }
            else   /* (a + bi)(3 + i) = 3a - b + (a + 3b) i */
            {
                fmpq_mul_si(t, data->re[2] + i, 3);
                fmpq_sub(data->re[3] + i, t, data->im[2] + i);
                fmpq_mul_si(t, data->im[2] + i, 3);
                fmpq_add(data->im[3] + i, t, data->re[2] + i);
            }
        }
        rc = genrank_matexp_solve(sol, data, alpha, 0, &e);
        okj &= (rc == GENRANK_EINVAL && strstr(e.msg, "repeated eigenvalue") != NULL) || some_singular(data);
        fmpq_clear(t);
        free(text);
    }
    TAP_OK(okj, "a repeated eigenvalue of a diagonalizable, non-scalar alpha Y1^-1 Y2 is refused, "
           "exactly");
    TAP_OK(oks, "alpha Y1^-1 Y2 = c I (c real negative or complex) is solved through log(c) I");
    genrank_matexp_data_clear(data);
    genrank_matexp_solution_clear(sol);
    fmpq_clear(alpha);
    (void) d;
}

/* Random d x d matrix with entries a / den (+ i b / den). */
static void
rand_acb_mat(acb_mat_t A, slong den, slong prec)
{
    slong i, j;
    for (i = 0; i < acb_mat_nrows(A); i++)
        for (j = 0; j < acb_mat_ncols(A); j++)
        {
            arb_set_si(acb_realref(acb_mat_entry(A, i, j)), rnd(41) - 20);
            arb_div_si(acb_realref(acb_mat_entry(A, i, j)), acb_realref(acb_mat_entry(A, i, j)), den, prec);
            arb_set_si(acb_imagref(acb_mat_entry(A, i, j)), rnd(41) - 20);
            arb_div_si(acb_imagref(acb_mat_entry(A, i, j)), acb_imagref(acb_mat_entry(A, i, j)), den, prec);
        }
}

/* L(M, E) from the Kronecker block route against the central difference
   (exp(M + hE) - exp(M - hE)) / 2h at h = 2^-80 and 600 bits, widened by
   its truncation error h^2/6 |E|^3 exp(|M| + h|E|) (Frobenius norms: the
   third derivative of t -> exp(M + tE) is bounded by that of
   exp(|M| + t|E|)): the widened quotient must contain L and be narrow. */
static void
test_frechet(void)
{
    slong it, iters = tap_iters(20), prec = 600;
    int ok = 1;
    for (it = 0; it < iters; it++)
    {
        slong d = 1 + rnd(4);
        acb_mat_t M, E, L, P, Q;
        arb_t nm, ne, b, h;
        mag_t err;
        acb_mat_init(M, d, d);
        acb_mat_init(E, d, d);
        acb_mat_init(L, d, d);
        acb_mat_init(P, d, d);
        acb_mat_init(Q, d, d);
        arb_init(nm); arb_init(ne); arb_init(b); arb_init(h);
        mag_init(err);
        rand_acb_mat(M, 10 * d, prec);
        rand_acb_mat(E, 5, prec);
        genrank_matexp_frechet(L, M, E, 256);
        arb_one(h);
        arb_mul_2exp_si(h, h, -80);
        acb_mat_scalar_mul_arb(P, E, h, prec);
        acb_mat_add(Q, M, P, prec);
        acb_mat_exp(Q, Q, prec);
        acb_mat_sub(P, M, P, prec);
        acb_mat_exp(P, P, prec);
        acb_mat_sub(Q, Q, P, prec);
        acb_mat_scalar_mul_2exp_si(Q, Q, 79);            /* / 2h */
        acb_mat_frobenius_norm(nm, M, prec);
        acb_mat_frobenius_norm(ne, E, prec);
        arb_mul(b, ne, h, prec);
        arb_add(b, b, nm, prec);
        arb_exp(b, b, prec);
        arb_pow_ui(ne, ne, 3, prec);
        arb_mul(b, b, ne, prec);
        arb_mul(b, b, h, prec);
        arb_mul(b, b, h, prec);
        arb_div_ui(b, b, 6, prec);
        arb_get_abs_ubound_arf(arb_midref(nm), b, prec);
        arf_get_mag(err, arb_midref(nm));
        acb_mat_add_error_mag(Q, err);
        if (!acb_mat_contains(Q, L) || mag_cmp_2exp_si(err, -140) > 0)
        {
            ok = 0;
            TAP_DIAG("d = %ld: the Frechet derivative is not in the widened difference quotient", (long) d);
        }
        acb_mat_clear(M); acb_mat_clear(E); acb_mat_clear(L); acb_mat_clear(P); acb_mat_clear(Q);
        arb_clear(nm); arb_clear(ne); arb_clear(b); arb_clear(h);
        mag_clear(err);
    }
    TAP_OK(ok, "the Frechet derivative of exp (Kronecker block route, d = 1..4) lies in the "
           "difference quotient at h = 2^-80 widened by its truncation bound");
}

/* A logarithm of x by the rule of doc/matexp.md: principal when the
   midpoint's real part is >= 0, else log(-x) + i pi. */
static void
log_rule(acb_t y, const acb_t x, slong prec)
{
    if (arf_sgn(arb_midref(acb_realref(x))) >= 0)
        acb_log(y, x, prec);
    else
    {
        arb_t pi;
        arb_init(pi);
        acb_neg(y, x);
        acb_log(y, y, prec);
        arb_const_pi(pi, prec);
        arb_add(acb_imagref(y), acb_imagref(y), pi, prec);
        arb_clear(pi);
    }
}

/* d = 1: the weights from their scalar closed forms, and the Frechet
   derivative L(m, e) = e^m e. */
static void
test_d1_solve(void)
{
    slong it, iters = tap_iters(20), prec = 256;
    genrank_matexp_data_t data;
    genrank_matexp_solution_t sol;
    genrank_err_t e;
    fmpq_t alpha;
    int ok = 1, okf = 1, k;
    fmpq_init(alpha);
    genrank_matexp_data_init(data);
    genrank_matexp_solution_init(sol);
    for (it = 0; it < iters; it++)
    {
        char *text = rand_data(1, it % 2);
        acb_t x[4], w1, w2, w3, z, t, a1;
        arb_t lna;
        fmpq_set_si(alpha, 1 + rnd(9), 1 + rnd(9));
        if (fmpq_is_one(alpha))
            fmpq_set_si(alpha, 5, 2);
        genrank_matexp_data_parse(data, text, strlen(text), &e);
        free(text);
        if (genrank_matexp_solve(sol, data, alpha, 0, &e) != 0)
        {
            ok &= some_singular(data);
            continue;
        }
        for (k = 0; k < 4; k++)
        {
            acb_init(x[k]);
            arb_set_fmpq(acb_realref(x[k]), data->re[k], prec);
            arb_set_fmpq(acb_imagref(x[k]), data->im[k], prec);
        }
        acb_init(w1); acb_init(w2); acb_init(w3); acb_init(z); acb_init(t); acb_init(a1);
        arb_init(lna);
        arb_set_fmpq(lna, alpha, prec);
        arb_log(lna, lna, prec);
        acb_sub(t, x[0], x[1], prec);                  /* w1 = ln a / (x1 - x2) */
        acb_set_arb(w1, lna);
        acb_div(w1, w1, t, prec);
        acb_div(z, x[3], x[2], prec);                  /* z = log(a y2 / y1) */
        arb_set_fmpq(acb_realref(a1), alpha, prec);
        acb_mul(z, z, a1, prec);
        log_rule(z, z, prec);
        acb_sub_arb(z, z, lna, prec);                  /* w2 = (z - ln a) e^{-w1 x2} / (1 - a) */
        acb_mul(t, w1, x[1], prec);
        acb_neg(t, t);
        acb_exp(t, t, prec);
        acb_mul(w2, z, t, prec);
        acb_sub_ui(t, a1, 1, prec);
        acb_neg(t, t);
        acb_div(w2, w2, t, prec);
        acb_mul(t, w1, x[0], prec);                    /* w3 = y1 exp(-w2 e^{w1 x1}) */
        acb_exp(t, t, prec);
        acb_mul(t, t, w2, prec);
        acb_neg(t, t);
        acb_exp(t, t, prec);
        acb_mul(w3, x[2], t, prec);
        ok &= acb_overlaps(w1, acb_mat_entry(sol->W + 0, 0, 0))
              && acb_overlaps(w2, acb_mat_entry(sol->W + 1, 0, 0))
              && acb_overlaps(w3, acb_mat_entry(sol->W + 2, 0, 0));
        {
            /* L(m, e) = e^m e */
            acb_mat_t M, E, L;
            acb_mat_init(M, 1, 1);
            acb_mat_init(E, 1, 1);
            acb_mat_init(L, 1, 1);
            acb_set(acb_mat_entry(M, 0, 0), x[0]);
            acb_set(acb_mat_entry(E, 0, 0), x[1]);
            genrank_matexp_frechet(L, M, E, prec);
            acb_exp(t, x[0], prec);
            acb_mul(t, t, x[1], prec);
            okf &= acb_overlaps(t, acb_mat_entry(L, 0, 0));
            acb_mat_clear(M);
            acb_mat_clear(E);
            acb_mat_clear(L);
        }
        for (k = 0; k < 4; k++)
            acb_clear(x[k]);
        acb_clear(w1); acb_clear(w2); acb_clear(w3); acb_clear(z); acb_clear(t); acb_clear(a1);
        arb_clear(lna);
    }
    TAP_OK(ok, "d = 1: W1, W2, W3 meet their scalar closed forms (w1 = ln a / (x1 - x2), ...)");
    TAP_OK(okf, "d = 1: the Frechet derivative is e^m e");
    genrank_matexp_data_clear(data);
    genrank_matexp_solution_clear(sol);
    fmpq_clear(alpha);
}

/* d = 1: the determinant of the minor (rows, cols, r) of the Jacobian at
   cap's point, from the closed form of the derivatives (h_0 = x,
   h_j = exp(w_j h_{j-1}), f = w_L h_{L-1}: df/dw_L = h_{L-1};
   dh_j/dw_j = h_j h_{j-1}, dh_m/dw_j = h_m w_m dh_{m-1}/dw_j). */
static void
closed_form_det(acb_t det, const genrank_matexp_cap_t cap, const slong *rows, const slong *cols,
                slong r, slong prec)
{
    slong L = cap->spec.layers, n = cap->spec.n, k, j, m, s, t;
    acb_ptr w = _acb_vec_init(L + n), h = _acb_vec_init(L), x = w + L;
    acb_mat_t J, S;
    for (k = 0; k < L + n; k++)
    {
        arb_set_fmpq(acb_realref(w + k), cap->re + k, prec);
        arb_set_fmpq(acb_imagref(w + k), cap->im + k, prec);
    }
    acb_mat_init(J, n, L);
    for (k = 0; k < n; k++)
    {
        acb_set(h + 0, x + k);
        for (j = 1; j < L; j++)
        {
            acb_mul(h + j, w + j - 1, h + j - 1, prec);
            acb_exp(h + j, h + j, prec);
        }
        acb_set(acb_mat_entry(J, k, L - 1), h + L - 1);
        for (j = 1; j < L; j++)
        {
            acb_ptr dh = acb_mat_entry(J, k, j - 1);
            acb_mul(dh, h + j, h + j - 1, prec);
            for (m = j + 1; m < L; m++)
            {
                acb_mul(dh, dh, w + m - 1, prec);
                acb_mul(dh, dh, h + m, prec);
            }
            acb_mul(dh, dh, w + L - 1, prec);
        }
    }
    acb_mat_init(S, FLINT_MAX(r, 1), FLINT_MAX(r, 1));
    for (s = 0; s < r; s++)
        for (t = 0; t < r; t++)
            acb_set(acb_mat_entry(S, s, t), acb_mat_entry(J, rows[s], cols[t]));
    if (r == 0)
        acb_one(det);
    else
        acb_mat_det(det, S, prec);
    acb_mat_clear(J);
    acb_mat_clear(S);
    _acb_vec_clear(w, L + n);
    _acb_vec_clear(h, L);
}

/* d = 1: the certified minor's determinant against the closed form. */
static void
test_d1_capacity(void)
{
    slong it, iters = tap_iters(10), prec = 256;
    int ok = 1;
    for (it = 0; it < iters; it++)
    {
        genrank_matexp_spec_t spec;
        genrank_matexp_cap_t cap;
        genrank_err_t e;
        acb_t det, rec;
        mag_t r;
        genrank_matexp_spec_init(&spec);
        spec.d = 1;
        spec.layers = 1 + rnd(5);
        spec.n = 1 + rnd(5);
        spec.seed = 100 + it;
        spec.complex_point = it % 2;
        genrank_matexp_cap_init(cap);
        if (genrank_matexp_capacity(cap, &spec, &e) != 0)
        {
            ok = 0;
            continue;
        }
        acb_init(det);
        acb_init(rec);
        mag_init(r);
        closed_form_det(det, cap, cap->rows, cap->cols, cap->rank, prec);
        arb_set_str(acb_realref(rec), cap->det_re, prec);
        arb_set_str(acb_imagref(rec), cap->det_im, prec);
        acb_get_mag(r, rec);
        mag_mul_2exp_si(r, r, -40);
        acb_add_error_mag(rec, r);
        if (cap->rank < 1 || !acb_overlaps(det, rec) || acb_contains_zero(det))
        {
            ok = 0;
            TAP_DIAG("d = 1, L = %ld, n = %ld: the closed-form minor is not the certified one",
                     (long) spec.layers, (long) spec.n);
        }
        acb_clear(det);
        acb_clear(rec);
        mag_clear(r);
        genrank_matexp_cap_clear(cap);
    }
    TAP_OK(ok, "d = 1: the certified minor's determinant meets the closed-form derivatives' "
           "(L, n = 1..5, real and complex points)");
}

static char tmpdir[] = "/tmp/t-matexp-XXXXXX";

/* A capacity certificate as text (free()); NULL on failure. */
static char *
cert_text(genrank_matexp_cap_t cap, slong d, slong L, slong n, uint64_t seed, int cplx)
{
    genrank_matexp_spec_t spec;
    genrank_err_t e;
    char path[128];
    char *text;
    genrank_matexp_spec_init(&spec);
    spec.d = d;
    spec.layers = L;
    spec.n = n;
    spec.seed = seed;
    spec.complex_point = cplx;
    snprintf(path, sizeof path, "%s/c.json", tmpdir);
    if (genrank_matexp_capacity(cap, &spec, &e) != 0 || genrank_matexp_cert_write(cap, path, &e) != 0)
        return NULL;
    text = slurp(path);
    unlink(path);
    return text;
}

/* Random sizes: the checker (another derivative route) accepts the
   prover's certificates and reports the same rank and bound. */
static void
test_capacity_verify(void)
{
    slong it, iters = tap_iters(16), met = 0;
    int ok = 1;
    for (it = 0; it < iters; it++)
    {
        slong d = 1 + rnd(3), L = 1 + rnd(4), n = 1 + rnd(4);
        genrank_matexp_cap_t cap;
        genrank_verify_info_t info;
        genrank_err_t e;
        char *text;
        int rc;
        genrank_matexp_cap_init(cap);
        text = cert_text(cap, d, L, n, genrank_rng_next(&rng), rnd(2));
        rc = text ? genrank_verify_string(text, &info, &e) : -1;
        if (rc != 0 || !info.matexp || info.rank != cap->rank || info.d != d || info.m != L
            || info.n != n || cap->bound != FLINT_MIN(L, n) * d * d || cap->rank > cap->bound
            || cap->numerical_rank < cap->rank)
        {
            ok = 0;
            TAP_DIAG("d = %ld, L = %ld, n = %ld: rc %d (%s)", (long) d, (long) L, (long) n, rc,
                     rc > 0 ? e.msg : "");
        }
        met += cap->rank == cap->bound;
        free(text);
        genrank_matexp_cap_clear(cap);
    }
    TAP_OK(ok, "capacity certificates at random sizes (d <= 3, L, n <= 4, real and complex "
           "points) verify with the same rank (%ld of %ld meet min(L, n) d^2)", (long) met,
           (long) iters);
}

/* One tampering of a certificate (JSON tree, changed in place). */
static void
tamper(json_t *root, int kind, const genrank_matexp_cap_t cap)
{
    json_t *w = json_object_get(root, "witness"), *pt = json_object_get(root, "point");
    json_t *W = json_object_get(pt, "W"), *z;
    slong i, j, d = cap->spec.d, L = cap->spec.layers;
    switch (kind)
    {
    case 1: json_object_set_new(root, "rank", json_integer(cap->rank + 1)); break;
    case 2: json_array_set_new(json_array_get(json_array_get(W, 0), 0), 0, json_string("1/3")); break;
    case 3:   /* W_L = 0: every column of W_1 .. W_{L-1} vanishes */
        z = json_array_get(W, L - 1);
        for (i = 0; i < d; i++)
            for (j = 0; j < d; j++)
                json_array_set_new(json_array_get(z, i), j, json_string("0"));
        break;
    case 4:
    {
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", 1.001 * atof(cap->det_re));
        json_array_set_new(json_object_get(w, "det"), 0, json_string(buf));
        break;
    }
    case 5:   /* a row of the minor replaced by one outside it */
    {
        json_t *rows = json_object_get(w, "rows");
        slong r, used = 0, k;
        for (r = 0; r < cap->spec.n * d * d; r++)
        {
            for (k = 0, used = 0; k < cap->rank; k++)
                used |= cap->rows[k] == r;
            if (!used)
                break;
        }
        /* r is not in the minor: put it in place of the row nearest below */
        for (k = cap->rank - 1; k > 0 && cap->rows[k] > r; k--)
            ;
        json_array_set_new(rows, k, json_integer(r));
        break;
    }
    case 6: json_object_set_new(root, "status", json_string("lower bound")); break;
    case 7: json_object_set_new(root, "bound", json_integer(cap->bound + 1)); break;
    case 8: json_object_set_new(w, "precision", json_integer(1 << 20)); break;
    case 9: json_object_set_new(w, "precision", json_integer(60000)); break;   /* and 1 MiB */
    case 10: json_object_set_new(w, "route", json_string("exact")); break;
    case 11: json_array_set_new(json_array_get(json_array_get(W, 0), 0), 0, json_string("abc")); break;
    case 12: json_object_set_new(root, "d", json_integer(9)); break;
    case 13: json_object_set_new(w, "det_radius", json_string("1e300")); break;
    case 14: json_object_del(root, "witness"); break;
    case 15: json_object_set_new(root, "version", json_integer(2)); break;
    }
}

static void
test_tamper(void)
{
    static const int want[16] = {0, GENRANK_EINVALID, GENRANK_EINVALID, GENRANK_EINVALID,
        GENRANK_EINVALID, GENRANK_EINVALID, GENRANK_EINVALID, GENRANK_EINVALID, GENRANK_ENOMEM,
        GENRANK_ENOMEM, GENRANK_EFORMAT, GENRANK_EFORMAT, GENRANK_EFORMAT, GENRANK_EINVALID,
        GENRANK_EFORMAT, GENRANK_EFORMAT};
    static const char *const what[16] = {"the certificate itself", "rank raised by one",
        "a weight entry changed", "W_L set to 0 (a singular minor)", "det changed by 0.1%",
        "a row of the minor replaced", "status changed", "bound changed", "precision 2^20 "
        "(above --max-precision)", "precision 60000 in 1 MiB of memory", "route exact", "an entry not a number",
        "d = 9", "det_radius huge", "no witness", "version 2"};
    genrank_matexp_cap_t cap;
    char *text;
    int kind, c;
    genrank_matexp_cap_init(cap);
    for (c = 0; c < 2; c++)
    {
        text = cert_text(cap, 2, 3, 4, 77 + c, c);
        TAP_OK(text != NULL && cap->rank > 0, "a %s certificate d = 2, L = 3, n = 4 is written",
               c ? "complex" : "real");
        for (kind = 0; kind < 16 && text != NULL; kind++)
        {
            json_t *root = json_loads(text, 0, NULL);
            genrank_verify_opts_t opts;
            genrank_err_t e;
            char *t2;
            int rc;
            tamper(root, kind, cap);
            t2 = json_dumps(root, JSON_COMPACT);
            genrank_verify_opts_init(&opts);
            if (kind == 9)
                opts.max_memory = 1 << 20;
            e.msg[0] = '\0';
            rc = genrank_verify_string_opts(t2, &opts, NULL, &e);
            TAP_OK(rc == want[kind] && (kind != 9 || strstr(e.msg, "checking needs")),
                   "%s: %s: %s (%s)", c ? "complex" : "real", what[kind],
                   kind ? "refused" : "accepted", rc ? e.msg : "valid");
            free(t2);
            json_decref(root);
        }
        free(text);
    }
    genrank_matexp_cap_clear(cap);
}

/* d = 1, L = n = 3: the certificate with its minor cut to the leading
   r - 1 rows and columns, the determinant from the closed form, status
   "lower bound": the checker accepts it, and refuses it as "exact". */
static void
test_lower_bound(void)
{
    genrank_matexp_cap_t cap;
    char *text, *t2, *sr, *si;
    json_t *root, *w, *rows, *cols;
    acb_t det;
    genrank_err_t e;
    genrank_verify_info_t info;
    slong r;
    int rc1 = -1, rc2 = -1;
    genrank_matexp_cap_init(cap);
    text = cert_text(cap, 1, 3, 3, 5, 0);
    if (text != NULL && cap->rank >= 2)
    {
        r = cap->rank - 1;
        acb_init(det);
        closed_form_det(det, cap, cap->rows, cap->cols, r, 256);
        sr = arb_get_str(acb_realref(det), 25, ARB_STR_NO_RADIUS);
        si = arb_get_str(acb_imagref(det), 25, ARB_STR_NO_RADIUS);
        root = json_loads(text, 0, NULL);
        w = json_object_get(root, "witness");
        rows = json_object_get(w, "rows");
        cols = json_object_get(w, "cols");
        json_array_remove(rows, r);
        json_array_remove(cols, r);
        json_object_set_new(w, "det", json_pack("[s, s]", sr, si));
        json_object_set_new(w, "det_radius", json_string("1e-60"));
        json_object_set_new(root, "rank", json_integer(r));
        json_object_set_new(root, "status", json_string("lower bound"));
        t2 = json_dumps(root, 0);
        rc1 = genrank_verify_string(t2, &info, &e);
        rc1 = rc1 == 0 && info.rank == r && info.corrected[0] == '\0' ? 0 : 1;
        free(t2);
        json_object_set_new(root, "status", json_string("exact"));
        t2 = json_dumps(root, 0);
        rc2 = genrank_verify_string(t2, NULL, &e);
        free(t2);
        json_decref(root);
        flint_free(sr);
        flint_free(si);
        acb_clear(det);
    }
    TAP_OK(rc1 == 0, "a certificate of rank below the bound, status \"lower bound\", is accepted");
    TAP_OK(rc2 == GENRANK_EINVALID, "the same with status \"exact\" is refused");
    free(text);
    genrank_matexp_cap_clear(cap);
}

/* Bad data files: each refused with GENRANK_EINVAL and a message naming
   the fault; JSON numbers read as the decimal written. */
static void
test_bad_data(void)
{
    static const char *const bad[][2] = {
        {"", "not valid JSON"},
        {"[1]", "JSON object"},
        {"{}", "missing"},
        {"{\"X1\": [[1]], \"X2\": [[2]], \"Y1\": [[1]]}", "\"Y2\" is missing"},
        {"{\"X1\": [[1]], \"X2\": [[2]], \"Y1\": [[1]], \"Y2\": [[1]], \"Z\": 1}", "unknown key"},
        {"{\"X1\": [[1, 2], [3]], \"X2\": [[1, 2], [3, 4]], \"Y1\": [[1, 2], [3, 4]], \"Y2\": [[1, 2], [3, 4]]}", "X1\"[1] must be an array of 2"},
        {"{\"X1\": [[1, 2], [3, 4]], \"X2\": [[1]], \"Y1\": [[1, 2], [3, 4]], \"Y2\": [[1, 2], [3, 4]]}", "X2\" must be an array of 2 rows"},
        {"{\"X1\": [[1]], \"X2\": [[2]], \"Y1\": [[\"abc\"]], \"Y2\": [[1]]}", "Y1\"[0][0] is not a number"},
        {"{\"X1\": [[1]], \"X2\": [[2]], \"Y1\": [[[1, 2, 3]]], \"Y2\": [[1]]}", "is not a number"},
        {"{\"X1\": [[1]], \"X2\": [[2]], \"Y1\": [[true]], \"Y2\": [[1]]}", "is not a number"},
        {"{\"X1\": [[1]], \"X2\": [[2]], \"Y1\": [[1]], \"Y2\": [[\"1/0\"]]}", "is not a number"},
        {"{\"X1\": [], \"X2\": [[2]], \"Y1\": [[1]], \"Y2\": [[1]]}", "nonempty"},
        {"{\"X1\": 5, \"X2\": [[2]], \"Y1\": [[1]], \"Y2\": [[1]]}", "nonempty"},
    };
    genrank_matexp_data_t data;
    genrank_err_t e;
    json_t *o, *big;
    char *s;
    slong k, i;
    int ok = 1;
    genrank_matexp_data_init(data);
    for (k = 0; k < (slong) (sizeof bad / sizeof bad[0]); k++)
    {
        e.msg[0] = '\0';
        if (genrank_matexp_data_parse(data, bad[k][0], strlen(bad[k][0]), &e) != GENRANK_EINVAL
            || strstr(e.msg, bad[k][1]) == NULL)
        {
            ok = 0;
            TAP_DIAG("'%s': '%s' does not say '%s'", bad[k][0], e.msg, bad[k][1]);
        }
    }
    /* d = 65 */
    big = json_array();
    for (i = 0; i < 65; i++)
        json_array_append_new(big, json_array());
    o = json_pack("{s:O, s:[[i]], s:[[i]], s:[[i]]}", "X1", big, "X2", 1, "Y1", 1, "Y2", 1);
    s = json_dumps(o, 0);
    ok &= genrank_matexp_data_parse(data, s, strlen(s), &e) == GENRANK_EINVAL
          && strstr(e.msg, "above the limit") != NULL;
    free(s);
    json_decref(o);
    json_decref(big);
    TAP_OK(ok, "malformed data (%ld kinds, and d = 65) is refused with a message naming the fault",
           (long) (sizeof bad / sizeof bad[0]));
    ok = genrank_matexp_data_read(data, "/nonexistent/data.json", &e) == GENRANK_EIO
         && genrank_matexp_data_read(data, tmpdir, &e) == GENRANK_EIO;
    TAP_OK(ok, "a missing file and a directory are refused as unreadable");
    s = "{\"X1\": [[0.1]], \"X2\": [[-2.5e-3]], \"Y1\": [[[1, 0.3]]], \"Y2\": [[\"1/7\"]]}";
    ok = genrank_matexp_data_parse(data, s, strlen(s), &e) == 0 && data->d == 1;
    if (ok)
    {
        fmpq_t q;
        fmpq_init(q);
        fmpq_set_si(q, 1, 10);
        ok &= fmpq_equal(data->re[0], q);
        fmpq_set_si(q, -1, 400);
        ok &= fmpq_equal(data->re[1], q);
        fmpq_set_si(q, 3, 10);
        ok &= fmpq_equal(data->im[2], q) && fmpq_is_one(data->re[2]);
        fmpq_set_si(q, 1, 7);
        ok &= fmpq_equal(data->re[3], q) && fmpq_is_zero(data->im[3]);
        fmpq_clear(q);
    }
    TAP_OK(ok, "JSON numbers are read as the decimals written (0.1 = 1/10, -2.5e-3 = -1/400), "
           "[re, im] and p/q strings exactly");
    genrank_matexp_data_clear(data);
}

int
main(void)
{
    genrank_rng_seed(&rng, 20261130);
    if (mkdtemp(tmpdir) == NULL)
    {
        printf("Bail out! cannot create a temporary directory\n");
        return 1;
    }
    test_solve(0);
    test_solve(1);
    test_hypotheses();
    test_frechet();
    test_d1_solve();
    test_d1_capacity();
    test_capacity_verify();
    test_tamper();
    test_lower_bound();
    test_bad_data();
    rmdir(tmpdir);
    flint_cleanup();
    return tap_done();
}
