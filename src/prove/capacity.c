/* Memorization capacity (doc/capacity.md).  For data X (d x n, the
   points as columns) and h(W, b, v) = psi(X^T W + 1 b^T) v, a rank-n
   W-Jacobian at one point (W0, b0, v0) of width m0, i.e. a nonzero n x n
   minor of diag(v0) psi'(W0^T X + b0 1^T) (.) X, makes the width-2 m0
   network fit every label vector on X (Theorem 5.2 of Madden &
   Thrampoulidis).  The matrix is the w-jacobian family's matrix of an
   instance (families/w_jacobian.c): A's row k is (2 w_k, bias numerator),
   B's row i is (D x_i, 1) with D the data's common denominator, the
   argument is a_k . b_i / q, and only the first d columns of B enter the
   product. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arb.h>
#include <flint/fmpz_vec.h>
#include <flint/fmpq_vec.h>
#include <flint/ulong_extras.h>
#include "genrank.h"
#include "internal.h"

/* the integers w and beta of the point are drawn from [-CAP_RANGE, CAP_RANGE] */
#define CAP_RANGE 1000

void
genrank_capacity_opts_init(genrank_capacity_opts_t *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->trials = 3;
    opts->method = GENRANK_METHOD_AUTO;
    opts->route = GENRANK_ROUTE_AUTO;
    opts->max_prec = 8192;
}

void
genrank_capacity_init(genrank_capacity_t cap)
{
    memset(cap, 0, sizeof(genrank_capacity_struct));
    fmpz_init(cap->D);
    cap->poly_degree = -1;
}

void
genrank_capacity_clear(genrank_capacity_t cap)
{
    if (cap->have_inst)
    {
        if (cap->W0 != NULL)
        {
            _fmpq_vec_clear(cap->W0, cap->best_width * cap->d);
            _fmpq_vec_clear(cap->b0, cap->best_width);
        }
        genrank_instance_clear(cap->inst);
    }
    fmpz_clear(cap->D);
    flint_free(cap->rows);
    flint_free(cap->cols);
    flint_free(cap->ball_det);
    flint_free(cap->obs_points);
    memset(cap, 0, sizeof(genrank_capacity_struct));
}

/* ceil(a / b) for a >= 0, b >= 1 */
static slong
cdiv(slong a, slong b)
{
    return (a + b - 1) / b;
}

/* A uniform integer in [-R, R]. */
static slong
draw(genrank_rng_t *rng)
{
    return (slong) genrank_rng_below(rng, 2 * CAP_RANGE + 1) - CAP_RANGE;
}

/* A projection and its point's index, sorted by value then index. */
typedef struct {
    const fmpz *v;
    slong i;
} proj_ref_t;

static int
cmp_proj(const void *a, const void *b)
{
    const proj_ref_t *x = a, *y = b;
    int c = fmpz_cmp(x->v, y->v);
    return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

/* The point of width m (doc/capacity.md, "The point"): with c = Cnum/Cden
   the power of two at or above the largest |x_i|, W0 = w / (R c) and
   b0 = beta / R (w, beta in [-R, R]); for ReLU b0 puts each neuron's
   threshold half a grid step off a data point instead, the point at
   quantile (pi(k) + 1/2) / m of the projections on w_k (pi a random
   permutation), so that no pre-activation is 0.  In integers: a_k = (2 Cden w, bias), b_i =
   (N_i, 1), q = 2 D R Cnum. */
static void
draw_point(genrank_instance_t inst, const fmpz *N, const genrank_capacity_t cap,
           const genrank_activation_t act, const fmpz_t Cnum, const fmpz_t Cden,
           genrank_rng_t *rng)
{
    slong m = inst->m, d = cap->d, n = cap->n, k, l, *perm = NULL;
    proj_ref_t *ord = NULL;
    fmpz *proj = NULL;
    fmpz_t t;
    fmpz_init(t);
    if (act->kind == GENRANK_ACT_RELU)
    {
        /* neuron k's threshold at quantile (perm[k] + 1/2) / m of the
           points' projections on its direction: the cuts are spread
           evenly through the data whichever direction dominates */
        perm = flint_malloc(m * sizeof(slong));
        for (k = 0; k < m; k++)
            perm[k] = k;
        for (k = m - 1; k > 0; k--)
        {
            slong r = (slong) genrank_rng_below(rng, k + 1), s = perm[k];
            perm[k] = perm[r];
            perm[r] = s;
        }
        ord = flint_malloc(n * sizeof(proj_ref_t));
        proj = _fmpz_vec_init(n);
    }
    for (k = 0; k < m; k++)
    {
        fmpz *a = inst->A + k * (d + 1);
        for (l = 0; l < d; l++)
        {
            fmpz_set_si(a + l, 2 * draw(rng));
            fmpz_mul(a + l, a + l, Cden);
        }
        if (act->kind == GENRANK_ACT_RELU)
        {
            slong j, i;
            for (i = 0; i < n; i++)
            {
                ord[i].v = proj + i;
                ord[i].i = i;
                fmpz_zero(proj + i);
                for (l = 0; l < d; l++)
                    fmpz_addmul(proj + i, a + l, N + i * d + l);   /* 2 Cden w . N_i */
            }
            qsort(ord, n, sizeof(proj_ref_t), cmp_proj);
            j = ord[(slong) (((double) perm[k] + 0.5) * (double) n / (double) m)].i;
            /* Cden (-2 w . N_j + 1): a_k . b_i = Cden (2 w . (N_i - N_j) + 1),
               odd times Cden, never 0; point j itself is active */
            fmpz_sub(a + d, Cden, proj + j);
        }
        else
        {
            fmpz_set_si(a + d, 2 * draw(rng));
            fmpz_mul(a + d, a + d, cap->D);
            fmpz_mul(a + d, a + d, Cnum);
        }
    }
    flint_free(perm);
    flint_free(ord);
    if (proj != NULL)
        _fmpz_vec_clear(proj, n);
    fmpz_clear(t);
}

/* The given weights (opts->weights) as the point, over q = D L, L the lcm
   of their denominators: a_k = (W'_k L / qa, b'_k D L / qb), so that
   a_k . b_i / q = W0_k . x_i + b0_k.  For ReLU a zero pre-activation is
   refused (the step is not differentiable there): GENRANK_EINVAL. */
static int
set_point(genrank_instance_t inst, const fmpz *N, const genrank_capacity_t cap,
          const genrank_activation_t act, const genrank_point_struct *P, genrank_err_t *err)
{
    slong m = inst->m, d = cap->d, n = cap->n, k, l, i;
    fmpz_t L, fa, fb, t;
    int rc = 0;
    fmpz_init(L);
    fmpz_init(fa);
    fmpz_init(fb);
    fmpz_init(t);
    fmpz_lcm(L, P->qa, P->qb);
    fmpz_divexact(fa, L, P->qa);
    fmpz_divexact(fb, L, P->qb);
    fmpz_mul(fb, fb, cap->D);
    for (k = 0; k < m; k++)
    {
        fmpz *a = inst->A + k * (d + 1);
        for (l = 0; l < d; l++)
            fmpz_mul(a + l, P->A + k * d + l, fa);
        fmpz_mul(a + d, P->B + k * d, fb);
    }
    for (k = 0; k < m && rc == 0 && act->kind == GENRANK_ACT_RELU; k++)
        for (i = 0; i < n && rc == 0; i++)
        {
            const fmpz *a = inst->A + k * (d + 1);
            fmpz_set(t, a + d);
            for (l = 0; l < d; l++)
                fmpz_addmul(t, a + l, N + i * d + l);
            if (fmpz_is_zero(t))
                rc = genrank_err_set(err, GENRANK_EINVAL, "ReLU: at the given weights neuron %ld's "
                                     "pre-activation at point #%ld is 0, where the step is not "
                                     "differentiable", (long) (k + 1), (long) (i + 1));
        }
    fmpz_clear(L);
    fmpz_clear(fa);
    fmpz_clear(fb);
    fmpz_clear(t);
    return rc;
}

/* A fresh instance of width m with B = [N | 1]. */
static void
new_instance(genrank_instance_t inst, slong m, const genrank_capacity_t cap,
             const genrank_activation_t act, const fmpz *N, const fmpz_t q)
{
    slong n = cap->n, d = cap->d, i, l;
    if (act->kind == GENRANK_ACT_POLY)
    {
        /* psi'(u / q) = sum_k (k + 1) c_{k+1} u^k / q^k */
        slong K = act->len - 1, k;
        fmpq *c = _fmpq_vec_init(K);
        fmpz_t qk;
        fmpz_init_set_ui(qk, 1);
        for (k = 0; k < K; k++)
        {
            fmpq_mul_ui(c + k, act->coeffs + k + 1, k + 1);
            fmpq_div_fmpz(c + k, c + k, qk);
            fmpz_mul(qk, qk, q);
        }
        genrank_instance_init(inst, GENRANK_W_JACOBIAN, m, d + 1, n, c, K);
        fmpz_set(inst->q, q);
        _fmpq_vec_clear(c, K);
        fmpz_clear(qk);
    }
    else
        genrank_instance_init_phi(inst, GENRANK_W_JACOBIAN, m, d + 1, n, act->dpsi, q);
    for (i = 0; i < n; i++)
    {
        for (l = 0; l < d; l++)
            fmpz_set(inst->B + i * (d + 1) + l, N + i * d + l);
        fmpz_one(inst->B + i * (d + 1) + d);
    }
}

/* A prime for this instance: prime to q, and to the coefficients'
   denominators (POLY), or as the exact route needs (NAMED). */
static ulong
draw_prime(const genrank_instance_t inst, const genrank_activation_t act, int bits,
           genrank_rng_t *rng)
{
    for (;;)
    {
        ulong p = genrank_random_prime(rng, bits);
        if (p == 2 || fmpz_fdiv_ui(inst->q, p) == 0)
            continue;
        if (act->kind == GENRANK_ACT_POLY && genrank_prime_check(p, inst->coeffs, inst->len, NULL) != 0)
            continue;
        if (act->kind == GENRANK_ACT_NAMED
            && !_genrank_exact_prime_ok(p, inst->q, genrank_phi_class(act->dpsi)))
            continue;
        return p;
    }
}

/* The smallest m with sum_l min(m, s_l) >= n, s_l the number of points
   whose feature l is nonzero (the rows of feature l are supported on those
   s_l points, so they contribute at most min(m, s_l) to the rank); 0 when
   no m reaches n. */
static slong
support_min(const genrank_data_t data)
{
    slong n = data->n, d = data->d, i, l, lo = 1, hi = n, total = 0;
    slong *s = flint_calloc(d, sizeof(slong));
    for (i = 0; i < n; i++)
        for (l = 0; l < d; l++)
            s[l] += !fmpq_is_zero(data->x + i * d + l);
    for (l = 0; l < d; l++)
        total += s[l];
    if (total < n)
        hi = lo = 0;
    while (lo < hi)          /* the sum is nondecreasing in m */
    {
        slong mid = lo + (hi - lo) / 2, sum = 0;
        for (l = 0; l < d; l++)
            sum += FLINT_MIN(mid, s[l]);
        if (sum >= n)
            hi = mid;
        else
            lo = mid + 1;
    }
    flint_free(s);
    return lo;
}

/* Exact rank over Q of the points idx[0..len). */
static slong
rank_of(const genrank_data_t data, const slong *idx, slong len)
{
    genrank_data_t sub;
    slong r;
    genrank_data_init(sub);
    genrank_data_select(sub, data, idx, len);
    r = genrank_data_rank(sub);
    genrank_data_clear(sub);
    return r;
}

static int
cmp_support(const void *a, const void *b)
{
    const slong *x = a, *y = b;   /* (support, feature) pairs */
    if (x[0] != y[0])
        return x[0] > y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* A set T of points with a large ceil(|T| / rank X_T): the W-Jacobian's
   columns for T lie in R^m (x) span(X_T), so its rank is at most
   n - |T| + m rank X_T and rank n needs m >= |T| / rank X_T.  Tried: T_f
   = the points whose nonzero features are among the f most frequent
   ones, f = 1..d (T_d is every point).  Ranks are exact; a residue rank
   (never above the rank over Q) first rules out sets that cannot beat
   the best.  Sets cap->obs_*. */
static void
obstruction(genrank_capacity_t cap, const genrank_data_t data, slong data_rank)
{
    slong n = data->n, d = data->d, i, l, f, len;
    slong *sup = flint_calloc(2 * d, sizeof(slong)), *rankpos = flint_malloc(d * sizeof(slong));
    slong *idx = flint_malloc(n * sizeof(slong)), *last = flint_malloc(n * sizeof(slong));
    int prune = 1;   /* the residue rank bounds the rank only when no denominator vanishes */
    nmod_t mod;
    nmod_init(&mod, UWORD(2305843009213693951));   /* 2^61 - 1 */
    for (l = 0; l < d; l++)
        sup[2 * l + 1] = l;
    for (i = 0; i < n; i++)
        for (l = 0; l < d; l++)
            sup[2 * l] += !fmpq_is_zero(data->x + i * d + l);
    qsort(sup, d, 2 * sizeof(slong), cmp_support);
    for (l = 0; l < d; l++)
        rankpos[sup[2 * l + 1]] = l;
    /* last[i]: the position (in that order) of point i's rarest nonzero feature */
    for (i = 0; i < n; i++)
    {
        last[i] = -1;
        for (l = 0; l < d; l++)
            if (!fmpq_is_zero(data->x + i * d + l))
                last[i] = FLINT_MAX(last[i], rankpos[l]);
    }
    cap->obs_width = 0;
    for (i = 0; i < n * d && prune; i++)
        prune = (fmpz_fdiv_ui(fmpq_denref(data->x + i), mod.n) != 0);
    for (f = 1; f <= d; f++)
    {
        slong rp, r, w;
        for (len = 0, i = 0; i < n; i++)
            if (last[i] >= 0 && last[i] < f)
                idx[len++] = i;
        if (len == 0 || (f < d && len == n))
            continue;
        if (f == d)
            rp = data_rank;   /* every nonzero point: the data's rank, known */
        else
        {
            /* the residue rank modulo 2^61 - 1 bounds the exact rank from below */
            nmod_mat_t M;
            nmod_mat_init(M, len, d, mod.n);
            for (i = 0; i < len; i++)
                for (l = 0; l < d; l++)
                {
                    const fmpq *x = data->x + idx[i] * d + l;
                    ulong den = fmpz_fdiv_ui(fmpq_denref(x), mod.n);
                    nmod_mat_entry(M, i, l) = den == 0 ? 0 : nmod_mul(fmpz_fdiv_ui(fmpq_numref(x), mod.n),
                                                                      n_invmod(den, mod.n), mod);
                }
            rp = nmod_mat_rank(M);
            nmod_mat_clear(M);
        }
        if (prune && (rp == 0 || cdiv(len, rp) <= cap->obs_width))
            continue;
        r = (f == d) ? data_rank : rank_of(data, idx, len);
        if (r == 0)
            continue;
        w = cdiv(len, r);
        if (w > cap->obs_width)
        {
            cap->obs_width = w;
            cap->obs_rank = r;
            cap->obs_count = len;
            flint_free(cap->obs_points);
            cap->obs_points = flint_malloc(len * sizeof(slong));
            memcpy(cap->obs_points, idx, len * sizeof(slong));
        }
    }
    flint_free(sup);
    flint_free(rankpos);
    flint_free(idx);
    flint_free(last);
}

/* The facts that do not depend on the point. */
static void
set_bounds(genrank_capacity_t cap, const genrank_data_t data, const genrank_activation_t act,
           slong r)
{
    slong n = cap->n, d = cap->d, sm = support_min(data);
    cap->data_rank = r;
    obstruction(cap, data, r);
    cap->support_width = sm;
    cap->route_min = FLINT_MAX(FLINT_MAX(cdiv(n, r), sm), cap->obs_width);
    cap->support_impossible = (sm == 0);
    cap->nec_sard = cdiv(n, d + 2);
    cap->nec_rank = cdiv(n, r + 2);
    if (act->kind == GENRANK_ACT_POLY)
    {
        slong K = genrank_coeffs_degree(act->coeffs, act->len);
        cap->poly_degree = (int) K;
        /* every network output is a polynomial of degree <= K on the
           r-dimensional span of the points; every W-Jacobian row is one
           vanishing at 0 */
        cap->nec_poly = genrank_capacity_poly_width(&cap->poly_no_width, &cap->poly_no_route,
                                                    n, K, r);
    }
}

/* Keeps inst (moved into cap) and its witness when it beats the best. */
static void
keep_best(genrank_capacity_t cap, genrank_instance_t inst, const slong *rows,
          const slong *cols, slong r, ulong det, ulong p, slong prec, char **det_str)
{
    if (cap->have_inst)
        genrank_instance_clear(cap->inst);
    *cap->inst = *inst;
    cap->have_inst = 1;
    cap->rank = r;
    cap->best_width = inst->m;
    memcpy(cap->rows, rows, r * sizeof(slong));
    memcpy(cap->cols, cols, r * sizeof(slong));
    cap->prime = p;
    cap->precision = prec;
    flint_free(cap->ball_det);
    cap->ball_det = NULL;
    if (cap->route == GENRANK_ROUTE_BALL)
    {
        /* the instance's columns are D x_i: divide its determinant by D^r */
        arb_t v;
        fmpz_t Dr;
        arb_init(v);
        fmpz_init(Dr);
        arb_set_str(v, *det_str, FLINT_MAX(prec, 128));
        fmpz_pow_ui(Dr, cap->D, (ulong) r);
        arb_div_fmpz(v, v, Dr, FLINT_MAX(prec, 128));
        cap->ball_det = arb_get_str(v, 20, ARB_STR_MORE | ARB_STR_NO_RADIUS);
        arb_clear(v);
        fmpz_clear(Dr);
    }
    else
    {
        ulong Dp = fmpz_fdiv_ui(cap->D, p);
        cap->det = n_mulmod2_preinv(det, n_invmod(n_powmod2_ui_preinv(Dp, (ulong) r, p,
                                    n_preinvert_limb(p)), p), p, n_preinvert_limb(p));
    }
}

/* The route for act: analytic activations as asked (AUTO: exact when
   psi' has one), every other activation exactly.  0 or GENRANK_EINVAL. */
static int
capacity_route(int *route, const genrank_activation_t act, int asked, genrank_err_t *err)
{
    int r = asked;
    if (act->kind == GENRANK_ACT_NAMED && r == GENRANK_ROUTE_AUTO)
        r = (genrank_phi_class(act->dpsi) == GENRANK_CLASS_BALL) ? GENRANK_ROUTE_BALL : GENRANK_ROUTE_EXACT;
    if (r == GENRANK_ROUTE_AUTO || act->kind != GENRANK_ACT_NAMED)
    {
        if (r == GENRANK_ROUTE_BALL)
            return genrank_err_set(err, GENRANK_EINVAL,
                "the ball route is for analytic activations; %s is certified exactly", act->name);
        r = GENRANK_ROUTE_EXACT;
    }
    if (r == GENRANK_ROUTE_EXACT && act->kind == GENRANK_ACT_NAMED
        && genrank_phi_class(act->dpsi) == GENRANK_CLASS_BALL)
        return genrank_err_set(err, GENRANK_EINVAL,
            "%s' is not rational in x and e^x or e^(ix): it has only the ball route", act->name);
    *route = r;
    return 0;
}

/* The data in integers, N = D x (cap->D the common denominator), and
   the point's scale: c = Cnum / Cden = 2^e >= max_i |x_i| (Euclidean
   norm; a choice of scale only, so doubles are fine) and q = 2 D R Cnum. */
static int
capacity_scale(genrank_capacity_t cap, fmpz *N, fmpz_t Cnum, fmpz_t Cden, fmpz_t q,
               const genrank_data_t data, genrank_err_t *err)
{
    slong n = data->n, d = data->d, i, l;
    double maxnorm = 0, bytes = 0, have = 0.5 * (double) genrank_memory_available();
    int e;
    fmpz_one(cap->D);
    for (i = 0; i < n * d; i++)
    {
        fmpz_lcm(cap->D, cap->D, fmpq_denref(data->x + i));
        /* the points times D: each about D's size more than its numerator */
        bytes += (double) (fmpz_bits(cap->D) + fmpz_bits(fmpq_numref(data->x + i))) / 8.0 + 8.0;
        if ((i + 1) % d == 0 && (double) fmpz_bits(cap->D) / 8.0 * (double) (n * d) > have)
            return genrank_err_set(err, GENRANK_ENOMEM, "the data's common denominator has more than "
                "%ld bits (the points' denominators share few factors): the points in integers "
                "would need more than half the memory available", (long) fmpz_bits(cap->D));
    }
    if (bytes > have)
        return genrank_err_set(err, GENRANK_ENOMEM, "the points times their common denominator "
                               "(%ld bits) would need more than half the memory available",
                               (long) fmpz_bits(cap->D));
    for (i = 0; i < n * d; i++)
    {
        fmpz_divexact(N + i, cap->D, fmpq_denref(data->x + i));
        fmpz_mul(N + i, N + i, fmpq_numref(data->x + i));
    }
    for (i = 0; i < n; i++)
    {
        double s = 0;
        for (l = 0; l < d; l++)
        {
            double v = fmpq_get_d(data->x + i * d + l);
            s += v * v;
        }
        maxnorm = FLINT_MAX(maxnorm, sqrt(s));
    }
    if (isfinite(maxnorm) && maxnorm > 0)
        frexp(maxnorm, &e);
    else
        e = maxnorm > 0 ? 1000 : 0;   /* beyond doubles: any scale is exact */
    e = FLINT_MAX(FLINT_MIN(e, 1000), -1000);
    fmpz_one(Cnum);
    fmpz_one(Cden);
    if (e >= 0)
        fmpz_mul_2exp(Cnum, Cnum, (ulong) e);
    else
        fmpz_mul_2exp(Cden, Cden, (ulong) -e);
    fmpz_mul_ui(q, cap->D, 2 * CAP_RANGE);
    fmpz_mul(q, q, Cnum);
    return 0;
}

/* What a search needs besides cap: the integer data, the scale, the
   generator, and scratch for a witness. */
typedef struct {
    const genrank_data_struct *data;
    const genrank_activation_struct *act;
    const genrank_capacity_opts_t *opts;
    fmpz *N;
    fmpz_t q, Cnum, Cden;
    genrank_rng_t rng;
    slong *rows, *cols;
} search_t;

/* The W-Jacobian's rank at a fresh point of width w (*rank), kept in cap
   when it beats the best; 0 or an error. */
static int
capacity_trial(genrank_capacity_t cap, search_t *S, slong w, genrank_err_t *err)
{
    const genrank_capacity_opts_t *opts = S->opts;
    slong n = cap->n, d = cap->d, rk, prec = 0;
    ulong p = 0, det = 0;
    char *det_str = NULL;
    double t1 = _genrank_seconds();
    size_t need, have;
    genrank_instance_t inst;
    int rc = 0;

    /* the memory from the sizes, before the point is allocated */
    need = cap->route == GENRANK_ROUTE_BALL ? _genrank_ball_memory(GENRANK_W_JACOBIAN, w, d + 1, n, opts->max_prec)
           : _genrank_exact_memory(GENRANK_W_JACOBIAN, w, d + 1, n);
    have = genrank_memory_available();
    if (need > have)
        return genrank_err_set(err, GENRANK_ENOMEM,
            "width %ld: the %ld x %ld W-Jacobian needs about %.2f GiB but only %.2f GiB "
            "of memory is available", (long) w, (long) (w * d), (long) n,
            need / 1073741824.0, have / 1073741824.0);
    new_instance(inst, w, cap, S->act, S->N, S->q);
    if (opts->weights != NULL && (rc = set_point(inst, S->N, cap, S->act, opts->weights, err)) != 0)
    {
        genrank_instance_clear(inst);
        return rc;
    }
    if (opts->weights == NULL)
        draw_point(inst, S->N, cap, S->act, S->Cnum, S->Cden, &S->rng);
    if (cap->route == GENRANK_ROUTE_BALL)
    {
        rk = genrank_instance_rank_witness_ball(S->rows, S->cols, &prec, &det_str, inst, opts->max_prec);
        if (rk < 0)
            rc = genrank_err_set(err, GENRANK_EINVAL,
                "ball route: the witness minor's determinant still contains 0 at %ld bits; "
                "raise the maximal precision", (long) opts->max_prec);
    }
    else
    {
        slong attempts;
        int bits = _genrank_prime_bits(opts->method, w * d, n);
        rk = -2;
        for (attempts = 0; attempts < 8 && rk == -2; attempts++)
        {
            p = draw_prime(inst, S->act, bits, &S->rng);
            if (S->act->kind == GENRANK_ACT_NAMED)
                rk = _genrank_exact_trial(S->rows, S->cols, &det, inst, p, &S->rng, opts->method, NULL);
            else
                rk = genrank_instance_rank_witness(S->rows, S->cols, &det, inst, p, opts->method);
        }
        if (rk == -1)
            rc = genrank_err_set(err, GENRANK_EINVAL, "the BLAS kernel needs a CBLAS build and a prime below 2^24");
        else if (rk == -2)
            rc = genrank_err_set(err, GENRANK_EINVAL,
                "a denominator of %s' vanished modulo every prime drawn", S->act->name);
    }
    if (rc == 0 && opts->progress)
        fprintf(stderr, "genrank: capacity: width %ld (%ld x %ld): rank %ld of %ld%s (%.2f s)\n",
                (long) w, (long) (w * d), (long) n, (long) rk, (long) n,
                cap->route == GENRANK_ROUTE_BALL ? " in ball arithmetic" : " modulo p",
                _genrank_seconds() - t1);
    if (rc == 0 && rk > cap->rank)
        keep_best(cap, inst, S->rows, S->cols, rk, det, p, prec, &det_str);
    else
        genrank_instance_clear(inst);
    flint_free(det_str);
    return rc;
}

/* The certified point as rationals: W0 = a_k[0..d) D / q, b0 = a_k[d] / q. */
static void
point_rationals(genrank_capacity_t cap, const fmpz_t q)
{
    slong m = cap->best_width, d = cap->d, w, l;
    cap->W0 = _fmpq_vec_init(m * d);
    cap->b0 = _fmpq_vec_init(m);
    for (w = 0; w < m; w++)
    {
        const fmpz *a = cap->inst->A + w * (d + 1);
        for (l = 0; l < d; l++)
        {
            fmpz_mul(fmpq_numref(cap->W0 + w * d + l), a + l, cap->D);
            fmpz_set(fmpq_denref(cap->W0 + w * d + l), q);
            fmpq_canonicalise(cap->W0 + w * d + l);
        }
        fmpz_set(fmpq_numref(cap->b0 + w), a + d);
        fmpz_set(fmpq_denref(cap->b0 + w), q);
        fmpq_canonicalise(cap->b0 + w);
    }
}

/* The widths to try and the points per width. */
static void
width_range(slong *from, slong *to, slong *trials, const genrank_capacity_t cap,
            const genrank_activation_t act, const genrank_capacity_opts_t *opts)
{
    if (opts->weights != NULL)
    {
        /* the given point: its width, once (nothing is random but the prime) */
        *from = *to = opts->weights->m;
        *trials = 1;
    }
    else if (opts->width > 0)
    {
        *from = *to = opts->width;
        *trials = opts->trials;
    }
    else
    {
        *from = cap->route_min;
        /* ReLU's point is a random arrangement of cuts, which needs more
           neurons than a generic analytic point */
        *to = opts->max_width > 0 ? opts->max_width
              : act->kind == GENRANK_ACT_RELU ? 2 * *from + 8 : *from + FLINT_MAX(8, *from / 4);
        *trials = 1;
    }
    if ((act->kind == GENRANK_ACT_POLY && cap->poly_no_route) || cap->support_impossible)
        if (opts->width == 0)
            *to = *from - 1;   /* nothing to search: no width reaches rank n */
    if (*from == *to && *from < cap->route_min)
        *to = *from - 1;       /* proved below rank n at every point: no trial can succeed */
}

int
genrank_capacity(genrank_capacity_t cap, const genrank_data_t data,
                 const genrank_activation_t act, const genrank_capacity_opts_t *opts,
                 genrank_err_t *err)
{
    slong n = data->n, d = data->d, r, w, from, to, trial, trials;
    search_t S;
    double t_start = _genrank_seconds();
    int rc;

    cap->n = n;
    cap->d = d;
    if ((rc = capacity_route(&cap->route, act, opts->route, err)) != 0)
        return rc;
    if (opts->width < 0 || opts->max_width < 0 || opts->trials < 1)
        return genrank_err_set(err, GENRANK_EINVAL, "widths must be positive and trials at least 1");
    r = genrank_data_rank(data);
    if (r == 0)
        return genrank_err_set(err, GENRANK_EINVAL,
            "every point is zero: the W-Jacobian is zero and no width can be certified");
    set_bounds(cap, data, act, r);

    S.data = data;
    S.act = act;
    S.opts = opts;
    S.N = _fmpz_vec_init(n * d);
    fmpz_init(S.q);
    fmpz_init(S.Cnum);
    fmpz_init(S.Cden);
    rc = capacity_scale(cap, S.N, S.Cnum, S.Cden, S.q, data, err);
    if (rc == 0 && opts->weights != NULL)
    {
        /* the given point's scale: q = D lcm(qa, qb) (set_point) */
        if (opts->weights->d != d)
            rc = genrank_err_set(err, GENRANK_EINVAL, "the given weights W have %ld columns but the "
                                 "points %ld features", (long) opts->weights->d, (long) d);
        fmpz_lcm(S.q, opts->weights->qa, opts->weights->qb);
        fmpz_mul(S.q, S.q, cap->D);
    }
    width_range(&from, &to, &trials, cap, act, opts);
    cap->tried_from = from;
    cap->tried_to = from - 1;
    S.rows = flint_malloc(n * sizeof(slong));
    S.cols = flint_malloc(n * sizeof(slong));
    cap->rows = flint_malloc(n * sizeof(slong));
    cap->cols = flint_malloc(n * sizeof(slong));
    cap->rank = -1;
    genrank_rng_seed(&S.rng, opts->seed);

    if (rc == 0 && opts->progress && opts->width == 0 && opts->weights == NULL && from <= to)
        fprintf(stderr, "genrank: capacity: searching widths %ld..%ld (n = %ld points, d = %ld; "
                "below %ld the W-Jacobian cannot have rank n)\n", (long) from, (long) to,
                (long) n, (long) d, (long) cap->route_min);
    for (w = from; w <= to && cap->width == 0 && rc == 0; w++)
    {
        if (w > WORD_MAX / d)
        {
            rc = genrank_err_set(err, GENRANK_ENOMEM, "width %ld times d = %ld rows is too many",
                                 (long) w, (long) d);
            break;
        }
        for (trial = 0; trial < trials && cap->width == 0 && rc == 0; trial++)
        {
            rc = capacity_trial(cap, &S, w, err);
            if (rc == 0 && cap->rank == n)
                cap->width = w;
        }
        cap->tried_to = w;
    }
    if (rc == 0 && cap->have_inst)
        point_rationals(cap, S.q);
    flint_free(S.rows);
    flint_free(S.cols);
    _fmpz_vec_clear(S.N, n * d);
    fmpz_clear(S.q);
    fmpz_clear(S.Cnum);
    fmpz_clear(S.Cden);
    cap->seconds = _genrank_seconds() - t_start;
    return rc;
}
