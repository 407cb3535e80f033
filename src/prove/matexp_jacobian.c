/* The capacity of matrix-exponential networks (doc/matexp.md): the
   Jacobian of (W_1, ..., W_L) -> (f(X_1), ..., f(X_n)) at a random point
   over Q(i), in Arb balls, from the Kronecker form K(M) of the Frechet
   derivative of exp; its rank by a floating-point elimination that picks
   a minor, proved by the minor's determinant, a ball excluding 0. */
#include <complex.h>
#include <math.h>
#include <string.h>
#include <flint/fmpq_vec.h>
#include "internal.h"

void
genrank_matexp_spec_init(genrank_matexp_spec_t *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->d = 2;
    spec->layers = 3;
    spec->n = 2;
    spec->seed = 1;
}

void
genrank_matexp_cap_init(genrank_matexp_cap_t cap)
{
    memset(cap, 0, sizeof *cap);
}

void
genrank_matexp_cap_clear(genrank_matexp_cap_t cap)
{
    slong len = (cap->spec.layers + cap->spec.n) * cap->spec.d * cap->spec.d;
    if (cap->re != NULL)
    {
        _fmpq_vec_clear(cap->re, len);
        _fmpq_vec_clear(cap->im, len);
    }
    flint_free(cap->rows);
    flint_free(cap->cols);
    memset(cap, 0, sizeof *cap);
}

/* Numerators drawn from [-NUM, NUM]. */
#define NUM 1000

/* The point: X_k and W_1 with entries in [-1/d, 1/d] (operator norms at
   most 1), W_L in [-1, 1], and the inner W_j in [-1/k, 1/k] with
   k = ceil(4 sqrt(d)): a random such matrix has operator norm about
   2 sqrt(d) / (k sqrt(3)) <= 0.3, so each exponential's argument stays of
   norm about 1 however deep the network, while the differences between
   the data matrices' layers shrink as little as that allows. */
static void
draw_point(genrank_matexp_cap_t cap, genrank_rng_t *rng)
{
    slong d = cap->spec.d, L = cap->spec.layers, n = cap->spec.n, i, m, k = 1;
    while (k * k < 16 * d)
        k++;
    for (m = 0; m < L + n; m++)
    {
        slong den = m == L - 1 && L > 1 ? NUM : (m == 0 || m >= L ? NUM * d : NUM * k);
        for (i = 0; i < d * d; i++)
        {
            slong a = (slong) genrank_rng_below(rng, 2 * NUM + 1) - NUM;
            fmpq_set_si(cap->re + m * d * d + i, a, (ulong) den);
            a = cap->spec.complex_point ? (slong) genrank_rng_below(rng, 2 * NUM + 1) - NUM : 0;
            fmpq_set_si(cap->im + m * d * d + i, a, (ulong) den);
        }
    }
}

/* K = A (x) B (square, d x d each). */
static void
kron(acb_mat_t K, const acb_mat_t A, const acb_mat_t B, slong prec)
{
    slong d = acb_mat_nrows(A), i, j, k, l;
    for (i = 0; i < d; i++)
        for (j = 0; j < d; j++)
            for (k = 0; k < d; k++)
                for (l = 0; l < d; l++)
                    acb_mul(acb_mat_entry(K, i * d + k, j * d + l), acb_mat_entry(A, i, j),
                            acb_mat_entry(B, k, l), prec);
}

/* The rows of data point k: with H_0 = X_k, A_j = W_j H_{j-1},
   H_j = exp(A_j), f = W_L H_{L-1}, the block of W_j is
   (W_L (x) I) K(A_{L-1}) (W_{L-1} (x) I) ... K(A_j) (I (x) H_{j-1}^T). */
static void
jacobian_rows(acb_mat_t J, const acb_mat_struct *W, const acb_mat_t X, slong k, slong L,
              slong prec)
{
    slong d = acb_mat_nrows(X), n = d * d, j, r, c;
    acb_mat_struct *H = flint_malloc(L * sizeof(acb_mat_struct)), *K = flint_malloc(L * sizeof(acb_mat_struct));
    acb_mat_t G, T, U, Id, Ht, A;
    acb_mat_init(A, d, d);
    acb_mat_init(G, n, n);
    acb_mat_init(T, n, n);
    acb_mat_init(U, n, n);
    acb_mat_init(Id, d, d);
    acb_mat_init(Ht, d, d);
    acb_mat_one(Id);
    for (j = 0; j < L; j++)
    {
        acb_mat_init(H + j, d, d);
        acb_mat_init(K + j, n, n);
    }
    acb_mat_set(H + 0, X);
    for (j = 1; j < L; j++)      /* H[j] = H_j, K[j] = K(A_j); W + j - 1 is W_j */
    {
        acb_mat_mul(A, W + j - 1, H + j - 1, prec);
        _genrank_matexp_kron_frechet(K + j, A, prec);
        acb_mat_exp(H + j, A, prec);
    }
    kron(G, W + L - 1, Id, prec);
    for (j = L; j >= 1; j--)     /* G = (W_L (x) Id) K(A_{L-1}) ... K(A_j) (j < L) */
    {
        acb_mat_transpose(Ht, H + j - 1);
        kron(T, Id, Ht, prec);
        if (j == L)
            acb_mat_set(U, T);
        else
        {
            acb_mat_mul(G, G, K + j, prec);
            acb_mat_mul(U, G, T, prec);
            kron(T, W + j - 1, Id, prec);
            acb_mat_mul(G, G, T, prec);
        }
        for (r = 0; r < n; r++)
            for (c = 0; c < n; c++)
                acb_set(acb_mat_entry(J, k * n + r, (j - 1) * n + c), acb_mat_entry(U, r, c));
    }
    for (j = 0; j < L; j++)
    {
        acb_mat_clear(H + j);
        acb_mat_clear(K + j);
    }
    flint_free(H);
    flint_free(K);
    acb_mat_clear(G);
    acb_mat_clear(T);
    acb_mat_clear(U);
    acb_mat_clear(Id);
    acb_mat_clear(Ht);
    acb_mat_clear(A);
}

/* The Jacobian at prec: W and X from the point. */
static void
jacobian(acb_mat_t J, const genrank_matexp_cap_t cap, slong prec)
{
    slong d = cap->spec.d, L = cap->spec.layers, n = cap->spec.n, m;
    acb_mat_struct *M = flint_malloc((L + n) * sizeof(acb_mat_struct));
    for (m = 0; m < L + n; m++)
    {
        acb_mat_init(M + m, d, d);
        _genrank_acb_mat_set_gauss(M + m, cap->re + m * d * d, cap->im + m * d * d, prec);
    }
    for (m = 0; m < n; m++)
        jacobian_rows(J, M, M + L + m, m, L, prec);
    for (m = 0; m < L + n; m++)
        acb_mat_clear(M + m);
    flint_free(M);
}

/* Gaussian elimination with complete pivoting on J's midpoints in
   complex doubles: the pivots' rows and columns in order (the leading r
   of them form a nonsingular minor when the values are accurate); the
   number of pivots above 2^-30 times the largest entry. */
static slong
float_pivots(slong *prow, slong *pcol, const acb_mat_t J)
{
    slong R = acb_mat_nrows(J), C = acb_mat_ncols(J), i, j, t, r = 0;
    double complex *a = flint_malloc((size_t) R * C * sizeof(double complex));
    slong *ri = flint_malloc(R * sizeof(slong)), *ci = flint_malloc(C * sizeof(slong));
    double big = 0;
    for (i = 0; i < R; i++)
        for (j = 0; j < C; j++)
        {
            const acb_struct *z = acb_mat_entry(J, i, j);
            a[i * C + j] = arf_get_d(arb_midref(acb_realref(z)), ARF_RND_NEAR)
                           + I * arf_get_d(arb_midref(acb_imagref(z)), ARF_RND_NEAR);
            big = fmax(big, cabs(a[i * C + j]));
        }
    for (i = 0; i < R; i++)
        ri[i] = i;
    for (j = 0; j < C; j++)
        ci[j] = j;
    for (t = 0; t < FLINT_MIN(R, C); t++)
    {
        slong pi = t, pj = t, tmp;
        double best = -1;
        for (i = t; i < R; i++)
            for (j = t; j < C; j++)
                if (cabs(a[ri[i] * C + ci[j]]) > best)
                {
                    best = cabs(a[ri[i] * C + ci[j]]);
                    pi = i;
                    pj = j;
                }
        if (!(best > ldexp(big, -30)))
            break;
        tmp = ri[t]; ri[t] = ri[pi]; ri[pi] = tmp;
        tmp = ci[t]; ci[t] = ci[pj]; ci[pj] = tmp;
        for (i = t + 1; i < R; i++)
        {
            double complex f = a[ri[i] * C + ci[t]] / a[ri[t] * C + ci[t]];
            for (j = t; j < C; j++)
                a[ri[i] * C + ci[j]] -= f * a[ri[t] * C + ci[j]];
        }
        prow[t] = ri[t];
        pcol[t] = ci[t];
        r++;
    }
    flint_free(a);
    flint_free(ri);
    flint_free(ci);
    return r;
}

/* The same elimination on J's midpoints in complex arithmetic at prec
   (each updated entry rounded to its midpoint), for Jacobians too
   ill-conditioned for doubles; pivots are chosen by approximate log2 of
   their magnitude and counted while above 2^(-prec/2) of the largest
   entry. */
static slong
ball_pivots(slong *prow, slong *pcol, const acb_mat_t J, slong prec)
{
    slong R = acb_mat_nrows(J), C = acb_mat_ncols(J), i, j, t, r = 0;
    slong *ri = flint_malloc(R * sizeof(slong)), *ci = flint_malloc(C * sizeof(slong));
    double *lg = flint_malloc((size_t) R * C * sizeof(double)), big = -HUGE_VAL;
    acb_mat_t T;
    acb_t f;
    mag_t m;
    acb_mat_init(T, R, C);
    acb_init(f);
    mag_init(m);
    acb_mat_get_mid(T, J);
    for (i = 0; i < R; i++)
        for (j = 0; j < C; j++)
        {
            acb_get_mag(m, acb_mat_entry(T, i, j));
            lg[i * C + j] = mag_is_zero(m) ? -HUGE_VAL : mag_get_d_log2_approx(m);
            big = fmax(big, lg[i * C + j]);
        }
    for (i = 0; i < R; i++)
        ri[i] = i;
    for (j = 0; j < C; j++)
        ci[j] = j;
    for (t = 0; t < FLINT_MIN(R, C); t++)
    {
        slong pi = t, pj = t, tmp;
        double best = -HUGE_VAL;
        for (i = t; i < R; i++)
            for (j = t; j < C; j++)
                if (lg[ri[i] * C + ci[j]] > best)
                {
                    best = lg[ri[i] * C + ci[j]];
                    pi = i;
                    pj = j;
                }
        if (!(best > big - prec / 2))
            break;
        tmp = ri[t]; ri[t] = ri[pi]; ri[pi] = tmp;
        tmp = ci[t]; ci[t] = ci[pj]; ci[pj] = tmp;
        for (i = t + 1; i < R; i++)
        {
            acb_div(f, acb_mat_entry(T, ri[i], ci[t]), acb_mat_entry(T, ri[t], ci[t]), prec);
            acb_get_mid(f, f);
            for (j = t + 1; j < C; j++)
            {
                acb_ptr x = acb_mat_entry(T, ri[i], ci[j]);
                acb_submul(x, f, acb_mat_entry(T, ri[t], ci[j]), prec);
                acb_get_mid(x, x);
                acb_get_mag(m, x);
                lg[ri[i] * C + ci[j]] = mag_is_zero(m) ? -HUGE_VAL : mag_get_d_log2_approx(m);
            }
        }
        prow[t] = ri[t];
        pcol[t] = ci[t];
        r++;
    }
    acb_mat_clear(T);
    acb_clear(f);
    mag_clear(m);
    flint_free(lg);
    flint_free(ri);
    flint_free(ci);
    return r;
}

static int
cmp_slong(const void *a, const void *b)
{
    slong x = *(const slong *) a, y = *(const slong *) b;
    return (x > y) - (x < y);
}

/* The determinant of J's minor on the first r pivots (sorted). */
static void
minor_det(acb_t det, slong *rows, slong *cols, const slong *prow, const slong *pcol, slong r,
          const acb_mat_t J, slong prec)
{
    acb_mat_t S;
    slong s, t;
    memcpy(rows, prow, r * sizeof(slong));
    memcpy(cols, pcol, r * sizeof(slong));
    qsort(rows, r, sizeof(slong), cmp_slong);
    qsort(cols, r, sizeof(slong), cmp_slong);
    if (r == 0)
    {
        acb_one(det);
        return;
    }
    acb_mat_init(S, r, r);
    for (s = 0; s < r; s++)
        for (t = 0; t < r; t++)
            acb_set(acb_mat_entry(S, s, t), acb_mat_entry(J, rows[s], cols[t]));
    acb_mat_det(det, S, prec);
    acb_mat_clear(S);
}

/* Bytes for the Jacobian in balls of prec bits and the elimination. */
static double
cap_bytes(slong d, slong L, slong n, slong prec)
{
    double R = (double) n * d * d, C = (double) L * d * d, e = 2 * (48.0 + prec / 4.0);
    return R * C * (e + 16) + 2 * C * C * e + 16.0 * d * d * d * d * e * (L + 4);
}

/* A determinant with at least 30 bits of relative accuracy, excluding 0
   (so that the checker, on another route, excludes 0 too). */
static int
det_ok(const acb_t det)
{
    return !acb_contains_zero(det) && acb_rel_accuracy_bits(det) >= 30;
}

/* The largest rr in (lo, r] whose leading-pivot minor is proved (det_ok),
   by trying r and then bisecting; lo when none.  rows, cols, det receive
   the proved minor. */
static slong
certify(acb_t det, slong *rows, slong *cols, const slong *prow, const slong *pcol, slong lo,
        slong r, const acb_mat_t J, slong prec)
{
    slong hi = r, got = lo, mid;
    slong *tr = flint_malloc(FLINT_MAX(r, 1) * sizeof(slong)), *tc = flint_malloc(FLINT_MAX(r, 1) * sizeof(slong));
    acb_t t;
    acb_init(t);
    mid = r;
    while (mid > got)
    {
        minor_det(t, tr, tc, prow, pcol, mid, J, prec);
        if (det_ok(t))
        {
            got = mid;
            acb_set(det, t);
            memcpy(rows, tr, mid * sizeof(slong));
            memcpy(cols, tc, mid * sizeof(slong));
        }
        else
            hi = mid - 1;
        mid = got == r ? got : got + (hi - got + 1) / 2;
        if (hi <= got)
            break;
    }
    acb_clear(t);
    flint_free(tr);
    flint_free(tc);
    return got;
}

/* The determinant's midpoint as two 25-digit decimals, and an upper bound
   on the distance of each part to its decimal: the ball's radius plus the
   rounding, times 1 + 2^-9 for the 4 digits printed. */
static void
det_strings(genrank_matexp_cap_t cap, const acb_t det)
{
    arb_t m;
    mag_t r, e;
    char *s;
    int k;
    arb_init(m);
    mag_init(r);
    mag_init(e);
    for (k = 0; k < 2; k++)
    {
        const arb_struct *x = k ? acb_imagref(det) : acb_realref(det);
        s = arb_get_str(x, 25, ARB_STR_NO_RADIUS);
        snprintf(k ? cap->det_im : cap->det_re, sizeof cap->det_re, "%s", s);
        if (arb_set_str(m, s, 256) != 0)
            mag_inf(e);
        else
        {
            arb_sub(m, x, m, 256);
            arb_get_mag(e, m);
        }
        mag_max(r, r, e);
        flint_free(s);
    }
    snprintf(cap->det_rad, sizeof cap->det_rad, "%.4e", mag_get_d(r) * (1 + ldexp(1, -9)));
    arb_clear(m);
    mag_clear(r);
    mag_clear(e);
}

/* The elimination in balls is tried on Jacobians of at most this many
   rows x columns x bound: every size allowed (1024 x 512 x 512), a
   minute or two per precision. */
#define BALL_ELIMINATION_MAX 3e8

int
genrank_matexp_capacity(genrank_matexp_cap_t cap, const genrank_matexp_spec_t *spec,
                        genrank_err_t *err)
{
    slong d = spec->d, L = spec->layers, n = spec->n, R, C, r, p0, prec, pmax, *prow, *pcol;
    genrank_rng_t rng;
    acb_mat_t J;
    acb_t det;
    double t0 = _genrank_seconds(), need;
    char b1[32], b2[32];
    if (d < 1 || d > GENRANK_MATEXP_DMAX || L < 1 || L > GENRANK_MATEXP_LMAX || n < 1
        || n > GENRANK_MATEXP_NMAX)
        return genrank_err_set(err, GENRANK_EINVAL, "sizes must be 1 <= d <= %d, 1 <= layers <= "
                               "%d, 1 <= n <= %d", GENRANK_MATEXP_DMAX, GENRANK_MATEXP_LMAX,
                               GENRANK_MATEXP_NMAX);
    if (FLINT_MIN(L, n) * d * d > GENRANK_MATEXP_ORDER_MAX)
        return genrank_err_set(err, GENRANK_EINVAL, "the largest minor, min(layers, n) d^2 = %ld, "
                               "is above %d: lower --layers or --n", (long) (FLINT_MIN(L, n) * d * d),
                               GENRANK_MATEXP_ORDER_MAX);
    p0 = spec->prec > 0 ? spec->prec : 128;
    if (p0 < 32 || p0 > 4096)
        return genrank_err_set(err, GENRANK_EINVAL, "the precision must be in [32, 4096] bits");
    pmax = FLINT_MAX(p0, FLINT_MIN(8 * p0, 4096));
    need = cap_bytes(d, L, n, pmax);
    if (need > (double) genrank_memory_available())
        return genrank_err_set(err, GENRANK_ENOMEM, "the Jacobian needs about %s but only %s "
                               "of memory is available", _genrank_bytes_str(b1, need),
                               _genrank_bytes_str(b2, (double) genrank_memory_available()));
    genrank_matexp_cap_clear(cap);
    cap->spec = *spec;
    cap->spec.prec = p0;
    R = n * d * d;
    C = L * d * d;
    cap->bound = FLINT_MIN(R, C);
    cap->re = _fmpq_vec_init((L + n) * d * d);
    cap->im = _fmpq_vec_init((L + n) * d * d);
    cap->rows = flint_malloc(FLINT_MAX(cap->bound, 1) * sizeof(slong));
    cap->cols = flint_malloc(FLINT_MAX(cap->bound, 1) * sizeof(slong));
    prow = flint_malloc(FLINT_MAX(cap->bound, 1) * sizeof(slong));
    pcol = flint_malloc(FLINT_MAX(cap->bound, 1) * sizeof(slong));
    genrank_rng_seed(&rng, spec->seed);
    draw_point(cap, &rng);
    acb_mat_init(J, R, C);
    acb_init(det);
    acb_one(det);                      /* the empty minor */
    cap->prec = p0;
    /* doubles first; then, below the bound, the elimination in balls at
       rising precision */
    jacobian(J, cap, p0);
    r = cap->numerical_rank = float_pivots(prow, pcol, J);
    cap->rank = certify(det, cap->rows, cap->cols, prow, pcol, 0, r, J, p0);
    for (prec = p0; cap->rank < cap->bound && prec <= pmax
         && (double) R * C * cap->bound <= BALL_ELIMINATION_MAX; prec *= 2)
    {
        slong got;
        if (prec > p0)
            jacobian(J, cap, prec);
        r = ball_pivots(prow, pcol, J, prec);
        cap->numerical_rank = FLINT_MAX(cap->numerical_rank, r);
        got = certify(det, cap->rows, cap->cols, prow, pcol, cap->rank, r, J, prec);
        if (got > cap->rank)
        {
            cap->rank = got;
            cap->prec = prec;
            cap->ball_elimination = 1;
        }
    }
    det_strings(cap, det);
    acb_mat_clear(J);
    acb_clear(det);
    flint_free(prow);
    flint_free(pcol);
    cap->seconds = _genrank_seconds() - t0;
    return 0;
}
