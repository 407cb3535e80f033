/* Checking the ball route of "genrank-network" certificates (a named
   analytic activation; doc/certificate-format.md section 13): the witness
   minor rebuilt in Arb ball arithmetic at the recorded precision by
   forward-mode dual numbers over a reverse pass, as check/network.c does
   modulo p, with s, s' and s'' taken from Arb's power series of s at
   z + t (never from the prover's hand-derived formulas). */
#include <string.h>
#include <arb_mat.h>
#include <arb_poly.h>
#include <arb_hypgeom.h>
#include "check.h"

/* s(z + t) = s0 + s1 t + (s2 / 2) t^2 + ...: out = s0, s', s''. */
static void
jet(arb_ptr out, genrank_phi_t phi, const arb_t z, slong prec)
{
    arb_ptr h = _arb_vec_init(2), a = _arb_vec_init(3), b = _arb_vec_init(3), c = _arb_vec_init(3);
    arb_set(h, z);
    arb_one(h + 1);
    switch (phi)
    {
    case GENRANK_PHI_TANH:                /* (e^(2h) - 1) / (e^(2h) + 1) */
        _arb_vec_scalar_mul_2exp_si(a, h, 2, 1);
        _arb_poly_exp_series(b, a, 2, 3, prec);
        _arb_vec_set(c, b, 3);
        arb_sub_ui(b, b, 1, prec);
        arb_add_ui(c, c, 1, prec);
        _arb_poly_div_series(out, b, 3, c, 3, 3, prec);
        break;
    case GENRANK_PHI_SIGMOID: case GENRANK_PHI_SILU:   /* 1 / (1 + e^(-h)), h times that */
        _arb_vec_neg(a, h, 2);
        _arb_poly_exp_series(b, a, 2, 3, prec);
        arb_add_ui(b, b, 1, prec);
        arb_one(c);
        if (phi == GENRANK_PHI_SIGMOID)
            _arb_poly_div_series(out, c, 1, b, 3, 3, prec);
        else
        {
            _arb_poly_div_series(a, c, 1, b, 3, 3, prec);
            _arb_poly_mullow(out, a, 3, h, 2, 3, prec);
        }
        break;
    case GENRANK_PHI_SOFTPLUS:            /* log(1 + e^h) */
        _arb_poly_exp_series(b, h, 2, 3, prec);
        _arb_poly_log1p_series(out, b, 3, 3, prec);
        break;
    case GENRANK_PHI_ERF:
        _arb_hypgeom_erf_series(out, h, 2, 3, prec);
        break;
    case GENRANK_PHI_GELU:                /* h (1 + erf(h / sqrt 2)) / 2 */
        arb_sqrt_ui(c, 2, prec);
        _arb_vec_scalar_div(a, h, 2, c, prec);
        _arb_hypgeom_erf_series(b, a, 2, 3, prec);
        arb_add_ui(b, b, 1, prec);
        _arb_vec_scalar_mul_2exp_si(b, b, 3, -1);
        _arb_poly_mullow(out, b, 3, h, 2, 3, prec);
        break;
    case GENRANK_PHI_ARCTAN:
        _arb_poly_atan_series(out, h, 2, 3, prec);
        break;
    case GENRANK_PHI_SIN: case GENRANK_PHI_COS:
        _arb_poly_sin_cos_series(a, b, h, 2, 3, prec);
        _arb_vec_set(out, phi == GENRANK_PHI_SIN ? a : b, 3);
        break;
    case GENRANK_PHI_SINH: case GENRANK_PHI_COSH:
        _arb_poly_sinh_cosh_series(a, b, h, 2, 3, prec);
        _arb_vec_set(out, phi == GENRANK_PHI_SINH ? a : b, 3);
        break;
    default:                              /* exp */
        _arb_poly_exp_series(out, h, 2, 3, prec);
        break;
    }
    arb_mul_2exp_si(out + 2, out + 2, 1);  /* the t^2 coefficient is s'' / 2 */
    _arb_vec_clear(h, 2);
    _arb_vec_clear(a, 3);
    _arb_vec_clear(b, 3);
    _arb_vec_clear(c, 3);
}

static const struct { const char *name; genrank_phi_t phi; } acts[] = {
    {"tanh", GENRANK_PHI_TANH}, {"sigmoid", GENRANK_PHI_SIGMOID},
    {"softplus", GENRANK_PHI_SOFTPLUS}, {"silu", GENRANK_PHI_SILU}, {"gelu", GENRANK_PHI_GELU},
    {"erf", GENRANK_PHI_ERF}, {"arctan", GENRANK_PHI_ARCTAN}, {"sin", GENRANK_PHI_SIN},
    {"cos", GENRANK_PHI_COS}, {"exp", GENRANK_PHI_EXP}, {"sinh", GENRANK_PHI_SINH},
    {"cosh", GENRANK_PHI_COSH}};

int
_genrank_net_named_read(genrank_phi_t *phi, const char *name)
{
    size_t k;
    for (k = 0; k < sizeof acts / sizeof acts[0]; k++)
        if (strcmp(name, acts[k].name) == 0)
        {
            *phi = acts[k].phi;
            return 1;
        }
    return 0;
}

typedef struct {
    const genrank_net_struct *net;
    int obj;
    slong r, prec;
    const slong *rows;
    const _genrank_net_par_t *pc, *pr;
    _genrank_net_ball_point_t pt;                /* W_l (l = 1..L), b, X, Y */
    arb_mat_struct Wt[GENRANK_NET_LMAX + 1];
    arb_ptr z[GENRANK_NET_LMAX + 1], h[GENRANK_NET_LMAX + 1], d[GENRANK_NET_LMAX + 1];
    arb_mat_struct dz[GENRANK_NET_LMAX + 1], dh[GENRANK_NET_LMAX + 1];
    arb_mat_t minor;
} bchk_t;

/* The forward pass at input i with the r column tangents; d[l] holds
   s, s', s'' of each neuron of layer l (3 M_l entries). */
static void
forward(bchk_t *C, slong i)
{
    const genrank_net_struct *net = C->net;
    slong L = net->L, l, a, t, prec = C->prec, bo = 0;
    _arb_vec_set(C->h[0], C->pt.X + i * net->M[0], net->M[0]);
    arb_mat_zero(C->dh + 0);
    for (l = 1; l <= L; l++)
    {
        arb_mat_t hv, zv;
        arb_mat_init(hv, net->M[l - 1], 1);
        arb_mat_init(zv, net->M[l], 1);
        for (a = 0; a < net->M[l - 1]; a++)
            arb_set(arb_mat_entry(hv, a, 0), C->h[l - 1] + a);
        arb_mat_mul(zv, C->pt.W + l, hv, prec);
        for (a = 0; a < net->M[l]; a++)
        {
            arb_set(C->z[l] + a, arb_mat_entry(zv, a, 0));
            if (net->bias)
                arb_add(C->z[l] + a, C->z[l] + a, C->pt.b + bo + a, prec);
        }
        arb_mat_clear(hv);
        arb_mat_clear(zv);
        arb_mat_mul(C->dz + l, C->pt.W + l, C->dh + l - 1, prec);
        for (t = 0; t < C->r; t++)
            if (C->pc[t].l == l)
            {
                arb_ptr x = arb_mat_entry(C->dz + l, C->pc[t].a, t);
                if (C->pc[t].bias)
                    arb_add_ui(x, x, 1, prec);
                else
                    arb_add(x, x, C->h[l - 1] + C->pc[t].c, prec);
            }
        bo += net->M[l];
        if (l == L)
            break;
        for (a = 0; a < net->M[l]; a++)
        {
            arb_ptr s = C->d[l] + 3 * a;
            jet(s, net->phi, C->z[l] + a, prec);
            arb_set(C->h[l] + a, s);
            for (t = 0; t < C->r; t++)
                arb_mul(arb_mat_entry(C->dh + l, a, t), arb_mat_entry(C->dz + l, a, t), s + 1, prec);
        }
    }
}

/* Hessians: the reverse pass of e . F with duals, added to the minor. */
static void
reverse(bchk_t *C, slong i)
{
    const genrank_net_struct *net = C->net;
    slong L = net->L, K = net->M[L], l, a, c, s, t, prec = C->prec;
    int prim = C->obj != GENRANK_NET_HOUTER, tang = C->obj != GENRANK_NET_HFUNC;
    arb_mat_t g, dg, gb, dgb;
    arb_t v;
    arb_init(v);
    arb_mat_init(g, K, 1);
    arb_mat_init(dg, K, C->r);
    for (a = 0; a < K; a++)
    {
        if (prim)
            arb_sub(arb_mat_entry(g, a, 0), C->z[L] + a, C->pt.Y + i * K + a, prec);
        if (tang)
            for (t = 0; t < C->r; t++)
                arb_set(arb_mat_entry(dg, a, t), arb_mat_entry(C->dz + L, a, t));
    }
    for (l = L; l >= 1; l--)
    {
        for (s = 0; s < C->r; s++)
        {
            const _genrank_net_par_t *q = C->pr + s;
            if (q->l != l)
                continue;
            for (t = 0; t < C->r; t++)
            {
                arb_ptr x = arb_mat_entry(C->minor, s, t);
                if (q->bias)
                    arb_add(x, x, arb_mat_entry(dg, q->a, t), prec);
                else
                {
                    arb_mul(v, arb_mat_entry(dg, q->a, t), C->h[l - 1] + q->c, prec);
                    arb_addmul(v, arb_mat_entry(g, q->a, 0), arb_mat_entry(C->dh + l - 1, q->c, t), prec);
                    arb_add(x, x, v, prec);
                }
            }
        }
        if (l == 1)
            break;
        arb_mat_init(gb, net->M[l - 1], 1);
        arb_mat_init(dgb, net->M[l - 1], C->r);
        arb_mat_mul(gb, C->Wt + l, g, prec);
        arb_mat_mul(dgb, C->Wt + l, dg, prec);
        for (t = 0; t < C->r; t++)     /* W_l's own tangent */
            if (C->pc[t].l == l && !C->pc[t].bias)
            {
                arb_ptr x = arb_mat_entry(dgb, C->pc[t].c, t);
                arb_add(x, x, arb_mat_entry(g, C->pc[t].a, 0), prec);
            }
        arb_mat_clear(g);
        arb_mat_clear(dg);
        arb_mat_init(g, net->M[l - 1], 1);
        arb_mat_init(dg, net->M[l - 1], C->r);
        for (c = 0; c < net->M[l - 1]; c++)
        {
            arb_srcptr s3 = C->d[l - 1] + 3 * c;
            arb_mul(arb_mat_entry(g, c, 0), s3 + 1, arb_mat_entry(gb, c, 0), prec);
            arb_mul(v, s3 + 2, arb_mat_entry(gb, c, 0), prec);
            for (t = 0; t < C->r; t++)
            {
                arb_ptr x = arb_mat_entry(dg, c, t);
                arb_mul(x, s3 + 1, arb_mat_entry(dgb, c, t), prec);
                arb_addmul(x, v, arb_mat_entry(C->dz + l - 1, c, t), prec);
            }
        }
        arb_mat_clear(gb);
        arb_mat_clear(dgb);
    }
    arb_mat_clear(g);
    arb_mat_clear(dg);
    arb_clear(v);
}

void
_genrank_net_minor_det_arb(arb_t det, const genrank_net_struct *net, int obj, const slong *rows,
                           const _genrank_net_par_t *pc, const _genrank_net_par_t *pr, slong r,
                           slong prec)
{
    bchk_t C;
    slong l, i, s, t, K = net->M[net->L];
    memset(&C, 0, sizeof C);
    C.net = net;
    C.obj = obj;
    C.r = r;
    C.prec = prec;
    C.rows = rows;
    C.pc = pc;
    C.pr = pr;
    _genrank_net_ball_point_init(&C.pt, net, prec);
    for (l = 1; l <= net->L; l++)
    {
        arb_mat_init(C.Wt + l, net->M[l - 1], net->M[l]);
        arb_mat_transpose(C.Wt + l, C.pt.W + l);
    }
    for (l = 0; l <= net->L; l++)
    {
        C.z[l] = _arb_vec_init(net->M[l]);
        C.h[l] = _arb_vec_init(net->M[l]);
        C.d[l] = _arb_vec_init(3 * net->M[l]);
        arb_mat_init(C.dz + l, net->M[l], r);
        arb_mat_init(C.dh + l, net->M[l], r);
    }
    arb_mat_init(C.minor, r, r);
    for (i = 0; i < net->n; i++)
    {
        int need = obj != GENRANK_NET_JACOBIAN;
        for (s = 0; s < r && !need; s++)
            need = rows[s] / K == i;
        if (!need)
            continue;
        forward(&C, i);
        if (obj != GENRANK_NET_JACOBIAN)
            reverse(&C, i);
        else
            for (s = 0; s < r; s++)
                if (rows[s] / K == i)
                    for (t = 0; t < r; t++)
                        arb_set(arb_mat_entry(C.minor, s, t), arb_mat_entry(C.dz + net->L, rows[s] % K, t));
    }
    if (r == 0)
        arb_one(det);
    else
        _genrank_arb_mat_det_scaled(det, C.minor, prec);
    arb_mat_clear(C.minor);
    for (l = 0; l <= net->L; l++)
    {
        _arb_vec_clear(C.z[l], net->M[l]);
        _arb_vec_clear(C.h[l], net->M[l]);
        _arb_vec_clear(C.d[l], 3 * net->M[l]);
        arb_mat_clear(C.dz + l);
        arb_mat_clear(C.dh + l);
    }
    for (l = 1; l <= net->L; l++)
        arb_mat_clear(C.Wt + l);
    _genrank_net_ball_point_clear(&C.pt, net);
}
