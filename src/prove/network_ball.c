/* The ball route for networks with a named analytic activation
   (doc/networks.md, doc/theory.md section 8.7): the Jacobian and the
   Hessians at the real point in Arb ball arithmetic, from the same
   closed-form blocks as the modular prover (prove/network.c):

   * J by backpropagated B_l = dF/dz_l: B_L = I, B_l = B_(l+1) W_(l+1) D_l;
   * H_o = sum_i J_i^T J_i;
   * H_f = sum_i [ sum_m sum_(c,e') g_m[c] (E_(W_m[c,e']) (x) dh_(m-1)[e']
     + transpose) + sum_l dz_l^T diag(u_l s''(z_l)) dz_l ], with the
     residual e = F - y, g_m = B_m^T e, u_l = W_(l+1)^T g_(l+1) and dz_l,
     dh_l the forward Jacobians of z_l, h_l in all P parameters.

   Every ball contains the exact real value; a pivot whose ball excludes 0
   is a nonzero real number, so the pivots' minor is nonzero.  The checker
   (check/network_ball.c) rebuilds the minor by forward over reverse mode
   with s's derivatives from Arb's power series instead. */
#include <string.h>
#include <arb.h>
#include <arb_mat.h>
#include <arb_hypgeom.h>
#include "genrank.h"
#include "internal.h"

/* bits of relative accuracy the confirmed determinant keeps to spare: the
   checker, which rebuilds it by another method, widens the recorded
   midpoint by 2^-10 */
#define NET_BALL_MARGIN 16

/* s, s', s'' at z, from their derivatives worked out by hand. */
static void
act_jet(arb_t s0, arb_t s1, arb_t s2, genrank_phi_t phi, const arb_t z, slong prec)
{
    arb_t u, v;
    arb_init(u);
    arb_init(v);
    switch (phi)
    {
    case GENRANK_PHI_TANH:                       /* 1 - t^2, -2 t (1 - t^2) */
        arb_tanh(s0, z, prec);
        arb_mul(u, s0, s0, prec);
        arb_sub_ui(u, u, 1, prec);
        arb_neg(s1, u);
        arb_mul(s2, s0, u, prec);
        arb_mul_2exp_si(s2, s2, 1);
        break;
    case GENRANK_PHI_SIGMOID: case GENRANK_PHI_SOFTPLUS: case GENRANK_PHI_SILU:
        /* q = 1 / (1 + e^-z), q' = q (1 - q), q'' = q' (1 - 2 q) */
        arb_neg(u, z);
        arb_exp(u, u, prec);
        arb_add_ui(u, u, 1, prec);
        arb_inv(u, u, prec);                     /* q */
        arb_sub_ui(v, u, 1, prec);
        arb_neg(v, v);
        arb_mul(v, v, u, prec);                  /* q' */
        if (phi == GENRANK_PHI_SIGMOID)
        {
            arb_set(s0, u);
            arb_set(s1, v);
            arb_mul_2exp_si(s2, u, 1);
            arb_sub_ui(s2, s2, 1, prec);
            arb_neg(s2, s2);
            arb_mul(s2, s2, v, prec);
        }
        else if (phi == GENRANK_PHI_SOFTPLUS)    /* log(1 + e^z) */
        {
            arb_exp(s0, z, prec);
            arb_log1p(s0, s0, prec);
            arb_set(s2, v);
            arb_set(s1, u);
        }
        else                                     /* z q: q + z q', 2 q' + z q'' */
        {
            arb_mul(s0, z, u, prec);
            arb_mul(s1, z, v, prec);
            arb_add(s1, s1, u, prec);
            arb_mul_2exp_si(s2, u, 1);
            arb_sub_ui(s2, s2, 1, prec);
            arb_neg(s2, s2);
            arb_mul(s2, s2, v, prec);            /* q'' */
            arb_mul(s2, s2, z, prec);
            arb_addmul_ui(s2, v, 2, prec);
        }
        break;
    case GENRANK_PHI_GELU:
        /* z P(z), P the normal CDF, p its density: P + z p, p (2 - z^2) */
        arb_sqrt_ui(u, 2, prec);
        arb_div(u, z, u, prec);
        arb_hypgeom_erf(u, u, prec);
        arb_add_ui(u, u, 1, prec);
        arb_mul_2exp_si(u, u, -1);               /* P */
        arb_mul(v, z, z, prec);
        arb_mul_2exp_si(v, v, -1);
        arb_neg(v, v);
        arb_exp(v, v, prec);
        arb_const_pi(s2, prec);
        arb_mul_2exp_si(s2, s2, 1);
        arb_rsqrt(s2, s2, prec);
        arb_mul(v, v, s2, prec);                 /* p */
        arb_mul(s0, z, u, prec);
        arb_mul(s1, z, v, prec);
        arb_add(s1, s1, u, prec);
        arb_mul(u, z, z, prec);
        arb_sub_ui(u, u, 2, prec);
        arb_neg(u, u);
        arb_mul(s2, v, u, prec);
        break;
    case GENRANK_PHI_ERF:                        /* 2 e^(-z^2) / sqrt(pi), -2 z that */
        arb_hypgeom_erf(s0, z, prec);
        arb_mul(u, z, z, prec);
        arb_neg(u, u);
        arb_exp(u, u, prec);
        arb_const_sqrt_pi(v, prec);
        arb_div(s1, u, v, prec);
        arb_mul_2exp_si(s1, s1, 1);
        arb_mul(s2, s1, z, prec);
        arb_mul_2exp_si(s2, s2, 1);
        arb_neg(s2, s2);
        break;
    case GENRANK_PHI_ARCTAN:                     /* 1 / (1 + z^2), -2 z / (1 + z^2)^2 */
        arb_atan(s0, z, prec);
        arb_mul(u, z, z, prec);
        arb_add_ui(u, u, 1, prec);
        arb_inv(s1, u, prec);
        arb_mul(s2, s1, s1, prec);
        arb_mul(s2, s2, z, prec);
        arb_mul_2exp_si(s2, s2, 1);
        arb_neg(s2, s2);
        break;
    case GENRANK_PHI_SIN: case GENRANK_PHI_COS:
        arb_sin_cos(u, v, z, prec);
        if (phi == GENRANK_PHI_SIN)              /* sin, cos, -sin */
        {
            arb_set(s0, u);
            arb_set(s1, v);
            arb_neg(s2, u);
        }
        else                                     /* cos, -sin, -cos */
        {
            arb_set(s0, v);
            arb_neg(s1, u);
            arb_neg(s2, v);
        }
        break;
    case GENRANK_PHI_SINH: case GENRANK_PHI_COSH:
        arb_sinh_cosh(u, v, z, prec);
        arb_set(s0, phi == GENRANK_PHI_SINH ? u : v);
        arb_set(s1, phi == GENRANK_PHI_SINH ? v : u);
        arb_set(s2, s0);
        break;
    default:                                     /* exp */
        arb_exp(s0, z, prec);
        arb_set(s1, s0);
        arb_set(s2, s0);
        break;
    }
    arb_clear(u);
    arb_clear(v);
}

typedef struct {
    const genrank_net_struct *net;
    slong prec, L, K, P, nw;
    _genrank_net_ball_point_t pt;                /* W_l (l = 1..L), b, X, Y */
    /* one input's values, l = 0..L */
    arb_ptr h[GENRANK_NET_LMAX + 1], z[GENRANK_NET_LMAX + 1];
    arb_ptr d1[GENRANK_NET_LMAX + 1], d2[GENRANK_NET_LMAX + 1];
    arb_mat_struct B[GENRANK_NET_LMAX + 1];      /* K x M_l */
    arb_mat_struct dz[GENRANK_NET_LMAX + 1], dh[GENRANK_NET_LMAX + 1];  /* M_l x P */
    arb_ptr e;                                   /* F - y */
    int hess;
    arb_mat_t T;                                 /* Hessians: a P x P product */
} bnet_t;

static void
bnet_init(bnet_t *C, const genrank_net_t net, int obj, slong prec)
{
    slong l;
    memset(C, 0, sizeof *C);
    C->net = net;
    C->prec = prec;
    C->L = net->L;
    C->K = net->M[net->L];
    C->P = net->P;
    C->nw = net->nw;
    C->hess = obj != GENRANK_NET_JACOBIAN;
    _genrank_net_ball_point_init(&C->pt, net, prec);
    for (l = 1; l <= C->L; l++)
        arb_mat_init(C->B + l, C->K, net->M[l]);
    if (C->hess)
        arb_mat_init(C->T, C->P, C->P);
    for (l = 0; l <= C->L; l++)
    {
        C->h[l] = _arb_vec_init(net->M[l]);
        C->z[l] = _arb_vec_init(net->M[l]);
        C->d1[l] = _arb_vec_init(net->M[l]);
        C->d2[l] = _arb_vec_init(net->M[l]);
        if (C->hess && l < C->L)
        {
            arb_mat_init(C->dz + l, net->M[l], C->P);
            arb_mat_init(C->dh + l, net->M[l], C->P);
        }
    }
    C->e = _arb_vec_init(C->K);
}

static void
bnet_clear(bnet_t *C)
{
    const genrank_net_struct *net = C->net;
    slong l;
    _genrank_net_ball_point_clear(&C->pt, net);
    for (l = 1; l <= C->L; l++)
        arb_mat_clear(C->B + l);
    if (C->hess)
        arb_mat_clear(C->T);
    for (l = 0; l <= C->L; l++)
    {
        _arb_vec_clear(C->h[l], net->M[l]);
        _arb_vec_clear(C->z[l], net->M[l]);
        _arb_vec_clear(C->d1[l], net->M[l]);
        _arb_vec_clear(C->d2[l], net->M[l]);
        if (C->hess && l < C->L)
        {
            arb_mat_clear(C->dz + l);
            arb_mat_clear(C->dh + l);
        }
    }
    _arb_vec_clear(C->e, C->K);
}

/* Input i: the forward pass (h, z, s', s'', the residual) and the
   backpropagated B_l. */
static void
bnet_input(bnet_t *C, slong i)
{
    const genrank_net_struct *net = C->net;
    slong l, a, c, k, prec = C->prec;
    arb_mat_t T;
    for (c = 0; c < net->M[0]; c++)
        arb_set(C->h[0] + c, C->pt.X + i * net->M[0] + c);
    for (l = 1; l <= C->L; l++)
    {
        slong bo = genrank_net_boff(net, l);
        for (a = 0; a < net->M[l]; a++)
        {
            arb_dot(C->z[l] + a, net->bias ? C->pt.b + bo + a : NULL, 0,
                    C->pt.W[l].rows[a], 1, C->h[l - 1], 1, net->M[l - 1], prec);
            if (l < C->L)
                act_jet(C->h[l] + a, C->d1[l] + a, C->d2[l] + a, net->phi, C->z[l] + a, prec);
        }
    }
    for (k = 0; k < C->K; k++)
        arb_sub(C->e + k, C->z[C->L] + k, C->pt.Y + i * C->K + k, prec);
    arb_mat_one(C->B + C->L);
    for (l = C->L - 1; l >= 1; l--)
    {
        arb_mat_init(T, C->K, net->M[l]);
        arb_mat_mul(T, C->B + l + 1, C->pt.W + l + 1, prec);
        for (k = 0; k < C->K; k++)
            for (a = 0; a < net->M[l]; a++)
                arb_mul(arb_mat_entry(C->B + l, k, a), arb_mat_entry(T, k, a), C->d1[l] + a, prec);
        arb_mat_clear(T);
    }
}

/* J's K rows of the current input into J (K x P). */
static void
bnet_jacobian(arb_mat_t J, const bnet_t *C)
{
    const genrank_net_struct *net = C->net;
    slong l, k, a, c, prec = C->prec;
    arb_mat_zero(J);
    for (l = 1; l <= C->L; l++)
    {
        slong wo = genrank_net_woff(net, l), bo = C->nw + genrank_net_boff(net, l);
        for (k = 0; k < C->K; k++)
            for (a = 0; a < net->M[l]; a++)
            {
                arb_srcptr v = arb_mat_entry(C->B + l, k, a);
                for (c = 0; c < net->M[l - 1]; c++)
                    arb_mul(arb_mat_entry(J, k, wo + a * net->M[l - 1] + c), v, C->h[l - 1] + c, prec);
                if (net->bias)
                    arb_set(arb_mat_entry(J, k, bo + a), v);
            }
    }
}

/* dz_l, dh_l (l = 1..L-1) of the current input: forward Jacobians. */
static void
bnet_forward_jacobians(bnet_t *C)
{
    const genrank_net_struct *net = C->net;
    slong l, a, c, t, prec = C->prec;
    for (l = 1; l < C->L; l++)
    {
        slong wo = genrank_net_woff(net, l), bo = C->nw + genrank_net_boff(net, l);
        if (l == 1)
            arb_mat_zero(C->dz + 1);
        else
            arb_mat_mul(C->dz + l, C->pt.W + l, C->dh + l - 1, prec);
        for (a = 0; a < net->M[l]; a++)
        {
            for (c = 0; c < net->M[l - 1]; c++)
                arb_add(arb_mat_entry(C->dz + l, a, wo + a * net->M[l - 1] + c),
                        arb_mat_entry(C->dz + l, a, wo + a * net->M[l - 1] + c), C->h[l - 1] + c, prec);
            if (net->bias)
                arb_add_ui(arb_mat_entry(C->dz + l, a, bo + a), arb_mat_entry(C->dz + l, a, bo + a), 1, prec);
            for (t = 0; t < C->P; t++)
                arb_mul(arb_mat_entry(C->dh + l, a, t), arb_mat_entry(C->dz + l, a, t), C->d1[l] + a, prec);
        }
    }
}

/* H += the current input's second derivative of e . F (e held fixed). */
static void
bnet_add_functional(arb_mat_t H, bnet_t *C)
{
    const genrank_net_struct *net = C->net;
    slong L = C->L, l, a, c, t, prec = C->prec, mw = 1;
    arb_ptr g, u;
    arb_t f;
    arb_init(f);
    for (l = 0; l <= L; l++)
        mw = FLINT_MAX(mw, net->M[l]);
    g = _arb_vec_init(mw);
    u = _arb_vec_init(mw);
    bnet_forward_jacobians(C);
    for (l = L; l >= 2; l--)
    {
        slong wo = genrank_net_woff(net, l);
        /* g_l = B_l^T e */
        for (a = 0; a < net->M[l]; a++)
        {
            arb_zero(g + a);
            for (c = 0; c < C->K; c++)
                arb_addmul(g + a, arb_mat_entry(C->B + l, c, a), C->e + c, prec);
        }
        /* the bilinear W_l h_(l-1): rows and columns W_l[a, c] */
        for (a = 0; a < net->M[l]; a++)
            for (c = 0; c < net->M[l - 1]; c++)
            {
                slong pw = wo + a * net->M[l - 1] + c;
                for (t = 0; t < C->P; t++)
                {
                    arb_mul(f, g + a, arb_mat_entry(C->dh + l - 1, c, t), prec);
                    arb_add(arb_mat_entry(H, pw, t), arb_mat_entry(H, pw, t), f, prec);
                    arb_add(arb_mat_entry(H, t, pw), arb_mat_entry(H, t, pw), f, prec);
                }
            }
        /* the curvature of s at layer l - 1: u = W_l^T g_l */
        for (c = 0; c < net->M[l - 1]; c++)
        {
            arb_zero(u + c);
            for (a = 0; a < net->M[l]; a++)
                arb_addmul(u + c, arb_mat_entry(C->pt.W + l, a, c), g + a, prec);
            arb_mul(u + c, u + c, C->d2[l - 1] + c, prec);
        }
        {
            arb_mat_t Dt, Du;
            slong m = net->M[l - 1];
            arb_mat_init(Dt, C->P, m);
            arb_mat_init(Du, m, C->P);
            arb_mat_transpose(Dt, C->dz + l - 1);
            for (c = 0; c < m; c++)
                for (t = 0; t < C->P; t++)
                    arb_mul(arb_mat_entry(Du, c, t), arb_mat_entry(C->dz + l - 1, c, t), u + c, prec);
            arb_mat_mul(C->T, Dt, Du, prec);
            arb_mat_add(H, H, C->T, prec);
            arb_mat_clear(Dt);
            arb_mat_clear(Du);
        }
    }
    _arb_vec_clear(g, mw);
    _arb_vec_clear(u, mw);
    arb_clear(f);
}

void
_genrank_net_matrix_arb(arb_mat_t A, const genrank_net_t net, int obj, slong prec)
{
    bnet_t C;
    arb_mat_t J, Jt;
    slong i, k, t;
    bnet_init(&C, net, obj, prec);
    arb_mat_init(J, C.K, C.P);
    arb_mat_init(Jt, C.P, C.K);
    arb_mat_zero(A);
    for (i = 0; i < net->n; i++)
    {
        bnet_input(&C, i);
        if (obj != GENRANK_NET_HFUNC)
            bnet_jacobian(J, &C);
        if (obj == GENRANK_NET_JACOBIAN)
        {
            for (k = 0; k < C.K; k++)
                for (t = 0; t < C.P; t++)
                    arb_set(arb_mat_entry(A, i * C.K + k, t), arb_mat_entry(J, k, t));
            continue;
        }
        if (obj != GENRANK_NET_HFUNC)
        {
            arb_mat_transpose(Jt, J);
            arb_mat_mul(C.T, Jt, J, prec);
            arb_mat_add(A, A, C.T, prec);
        }
        if (obj != GENRANK_NET_HOUTER)
            bnet_add_functional(A, &C);
    }
    arb_mat_clear(J);
    arb_mat_clear(Jt);
    bnet_clear(&C);
}

/* 1 when the minor's determinant at prec excludes 0 with the margin;
   then *det_str is its midpoint to 20 digits.  A: the object at prec, or
   NULL to build it. */
static int
confirm(char **det_str, const arb_mat_t A, const genrank_net_t net, int obj, slong R,
        const slong *rows, const slong *cols, slong r, slong prec)
{
    arb_mat_t B, S;
    arb_t det;
    slong s, t;
    int ok;
    if (A == NULL)
    {
        arb_mat_init(B, R, net->P);
        _genrank_net_matrix_arb(B, net, obj, prec);
    }
    arb_mat_init(S, r, r);
    arb_init(det);
    for (s = 0; s < r; s++)
        for (t = 0; t < r; t++)
            arb_set(arb_mat_entry(S, s, t), arb_mat_entry(A != NULL ? A : B, rows[s], cols[t]));
    if (A == NULL)
        arb_mat_clear(B);
    _genrank_arb_mat_det_scaled(det, S, prec);
    ok = arb_is_nonzero(det) && arb_rel_accuracy_bits(det) >= NET_BALL_MARGIN;
    if (ok)
        *det_str = arb_get_str(det, 20, ARB_STR_MORE | ARB_STR_NO_RADIUS);
    arb_clear(det);
    arb_mat_clear(S);
    return ok;
}

/* The bytes of four R x P ball matrices and the per-input P x P products
   at precision prec: each entry a struct and its midpoint's limbs. */
static double
ball_bytes(const genrank_net_t net, slong R, slong P, slong prec)
{
    double per = (double) sizeof(arb_struct) + 2.0 * (prec / 8 + 16);
    double point = 2.0 * net->nw + (net->P - net->nw) + (double) net->n * (net->M[0] + net->M[net->L]);
    return per * (4.0 * R * P + 3.0 * P * P + point);
}

int
genrank_net_certify_ball(genrank_net_result_t *res, const genrank_net_t net, int obj,
                         slong bound, slong max_prec, genrank_err_t *err)
{
    slong R = obj == GENRANK_NET_JACOBIAN ? net->n * net->M[net->L] : net->P, P = net->P;
    slong full = FLINT_MIN(FLINT_MIN(R, P), FLINT_MAX(bound, 0)), best = -1, stale = 0, prec, r;
    slong best_prec = 64;
    int ok = 0;
    double t0 = _genrank_seconds(), step = 0;
    double need = ball_bytes(net, R, P, 64);
    slong *rw, *cw;
    arb_mat_t A, Bm, T;
    char b1[32], b2[32];
    memset(res, 0, sizeof *res);
    if (net->act != GENRANK_NET_NAMED)
        return genrank_err_set(err, GENRANK_EINVAL, "the ball route is for named activations");
    if (need > (double) genrank_memory_available())
        return genrank_err_set(err, GENRANK_ENOMEM, "the %s (%ld x %ld) in ball arithmetic at "
                               "%d bits needs about %s but only %s of memory is available",
                               genrank_net_object_name(obj), (long) R, (long) P, 64,
                               _genrank_bytes_str(b1, need),
                               _genrank_bytes_str(b2, (double) genrank_memory_available()));
    res->obj = obj;
    res->nrows = R;
    res->ncols = P;
    res->rows = flint_malloc(FLINT_MAX(full, 1) * sizeof(slong));
    res->cols = flint_malloc(FLINT_MAX(full, 1) * sizeof(slong));
    rw = flint_malloc(FLINT_MAX(full, 1) * sizeof(slong));
    cw = flint_malloc(FLINT_MAX(full, 1) * sizeof(slong));
    arb_mat_init(A, R, P);
    /* the rank: precision doubled below the bound while an elimination
       takes under a second, and beyond that until two doublings in a row
       find no more pivots; a matrix whose rows' scales span more than 2^64
       equilibrated first (its rows and columns scaled by powers of two,
       which keeps every minor's vanishing) */
    arb_mat_init(Bm, R, P);
    arb_mat_init(T, R, P);
    for (prec = 64; prec <= max_prec && best < full && (stale < 2 || step < 1.0)
                    && ball_bytes(net, R, P, prec) <= (double) genrank_memory_available(); prec *= 2)
    {
        double ts = _genrank_seconds();
        _genrank_net_matrix_arb(T, net, obj, prec);
        arb_mat_set(A, T);
        _genrank_arb_mat_equilibrate(NULL, A, 64);
        r = _genrank_arb_eliminate(rw, cw, A, prec);
        stale = r > best ? 0 : stale + 1;
        step = _genrank_seconds() - ts;
        if (r > best)
        {
            best = r;
            best_prec = prec;
            arb_mat_swap(Bm, T);     /* the object at best_prec, kept for the confirmation */
            memcpy(res->rows, rw, r * sizeof(slong));
            memcpy(res->cols, cw, r * sizeof(slong));
        }
    }
    arb_mat_clear(A);
    arb_mat_clear(T);
    flint_free(rw);
    flint_free(cw);
    _genrank_sort_with_sign(res->rows, best);
    _genrank_sort_with_sign(res->cols, best);
    res->rank = best;
    /* the confirmation at the lowest precision that gives it (the checker
       works at that one), on the object kept from best_prec there */
    for (prec = 64; !ok && prec <= max_prec
                    && ball_bytes(net, R, P, prec) <= (double) genrank_memory_available(); prec *= 2)
        if (best == 0 || confirm(&res->det_str, prec == best_prec ? Bm : NULL, net, obj, R,
                                 res->rows, res->cols, best, prec))
            ok = 1;
    arb_mat_clear(Bm);
    prec /= 2;
    if (!ok)
    {
        genrank_net_result_clear(res);
        return genrank_err_set(err, GENRANK_EINVAL, "the %s's witness minor's determinant is not "
                               "a ball excluding 0 at any precision up to %ld bits (the limit, "
                               "or what memory allows): raise --max-precision",
                               genrank_net_object_name(obj), (long) FLINT_MIN(prec, max_prec));
    }
    if (best == 0)
    {
        res->det_str = flint_malloc(2);
        strcpy(res->det_str, "1");
    }
    res->prec = prec;
    res->seconds = _genrank_seconds() - t0;
    return 0;
}
