/* The floating-point rank of a network's Jacobian or Hessian, computed
   the usual way for comparison with the certified rank (genrank network
   --compare-float): the point rounded to doubles, the matrix in double
   arithmetic, its singular values by LAPACK, numpy's tolerance.

   J column by column, each column the tangent of F along one parameter
   at every input (forward mode); a Hessian column by column, each column t
   the tangent along parameter t of the gradient of the loss (H_L), of
   e . F with the residual e held fixed (H_f), or of J^T J's generator
   (H_o: the residual's tangent only) -- forward over reverse, as a float64
   automatic-differentiation program computes it. */
#include <math.h>
#include <string.h>
#include "genrank.h"
#include "internal.h"

#define GENRANK_PI 3.14159265358979323846

typedef struct {
    const genrank_net_struct *net;
    slong L, K, mw;
    double *W, *b, *X, *Y, *c;      /* the point and coefficients as doubles */
    double *z, *h, *dz, *dh;        /* per layer l at l * mw */
    double *g, *dg, *u, *du;
} fnet_t;

static double *
to_d(const fmpq *v, slong len)
{
    double *out = flint_malloc(FLINT_MAX(len, 1) * sizeof(double));
    slong i;
    for (i = 0; i < len; i++)
        out[i] = fmpq_get_d(v + i);
    return out;
}

/* A named s and its first two derivatives (libm). */
static void
named3(double *s, double *s1, double *s2, genrank_phi_t phi, double z)
{
    double q = 1.0 / (1.0 + exp(-z)), dq = q * (1.0 - q), ddq = dq * (1.0 - 2.0 * q);
    double p = exp(-0.5 * z * z) / sqrt(2.0 * GENRANK_PI), t = tanh(z);
    switch (phi)
    {
    case GENRANK_PHI_TANH: *s = t, *s1 = 1.0 - t * t, *s2 = -2.0 * t * (1.0 - t * t); break;
    case GENRANK_PHI_SIGMOID: *s = q, *s1 = dq, *s2 = ddq; break;
    case GENRANK_PHI_SOFTPLUS: *s = genrank_phi_double(phi, z), *s1 = q, *s2 = dq; break;
    case GENRANK_PHI_SILU: *s = z * q, *s1 = q + z * dq, *s2 = 2.0 * dq + z * ddq; break;
    case GENRANK_PHI_GELU: *s = 0.5 * z * erfc(-z / sqrt(2.0)), *s1 = 0.5 * erfc(-z / sqrt(2.0)) + z * p,
                           *s2 = p * (2.0 - z * z); break;
    case GENRANK_PHI_ERF: *s = erf(z), *s1 = 2.0 / sqrt(GENRANK_PI) * exp(-z * z), *s2 = -2.0 * z * *s1; break;
    case GENRANK_PHI_ARCTAN: *s = atan(z), *s1 = 1.0 / (1.0 + z * z), *s2 = -2.0 * z * *s1 * *s1; break;
    case GENRANK_PHI_SIN: *s = sin(z), *s1 = cos(z), *s2 = -sin(z); break;
    case GENRANK_PHI_COS: *s = cos(z), *s1 = -sin(z), *s2 = -cos(z); break;
    case GENRANK_PHI_SINH: *s = sinh(z), *s1 = cosh(z), *s2 = sinh(z); break;
    case GENRANK_PHI_COSH: *s = cosh(z), *s1 = sinh(z), *s2 = cosh(z); break;
    default: *s = *s1 = *s2 = exp(z); break;
    }
}

/* s, s' and s'' at z (double). */
static void
act3(double *s, double *s1, double *s2, const fnet_t *F, double z)
{
    slong k, len = F->net->len;
    if (F->net->act == GENRANK_NET_LINEAR)
    {
        *s = z, *s1 = 1, *s2 = 0;
        return;
    }
    if (F->net->act == GENRANK_NET_RELU)
    {
        *s = z > 0 ? z : 0, *s1 = z > 0, *s2 = 0;
        return;
    }
    if (F->net->act == GENRANK_NET_NAMED)
    {
        named3(s, s1, s2, F->net->phi, z);
        return;
    }
    *s = *s1 = *s2 = 0;
    for (k = len - 1; k >= 0; k--)
    {
        *s2 = *s2 * z + 2 * *s1;
        *s1 = *s1 * z + *s;
        *s = *s * z + F->c[k];
    }
}

/* Forward pass at input i with the tangent of parameter t (t < 0: none):
   z, h and their tangents per layer. */
static void
forward(fnet_t *F, slong i, slong t)
{
    const genrank_net_struct *net = F->net;
    slong l, a, c, mw = F->mw;
    double s, s1, s2;
    for (c = 0; c < net->M[0]; c++)
    {
        F->h[c] = F->X[i * net->M[0] + c];
        F->dh[c] = 0;
    }
    for (l = 1; l <= F->L; l++)
    {
        const double *W = F->W + genrank_net_woff(net, l);
        slong Mp = net->M[l - 1], wo = genrank_net_woff(net, l);
        double *hp = F->h + (l - 1) * mw, *dhp = F->dh + (l - 1) * mw;
        double *z = F->z + l * mw, *dz = F->dz + l * mw;
        for (a = 0; a < net->M[l]; a++)
        {
            double v = net->bias ? F->b[genrank_net_boff(net, l) + a] : 0, dv = 0;
            for (c = 0; c < Mp; c++)
            {
                v += W[a * Mp + c] * hp[c];
                dv += W[a * Mp + c] * dhp[c];
            }
            if (t >= wo && t < wo + net->M[l] * Mp && (t - wo) / Mp == a)
                dv += hp[(t - wo) % Mp];
            if (net->bias && t == net->nw + genrank_net_boff(net, l) + a)
                dv += 1;
            z[a] = v;
            dz[a] = dv;
            if (l < F->L)
            {
                act3(&s, &s1, &s2, F, v);
                F->h[l * mw + a] = s;
                F->dh[l * mw + a] = s1 * dv;
            }
        }
    }
}

/* Adds column t's share from input i (forward done) into col (P
   entries): the tangent of the reverse pass seeded with g_L = e (unless
   H_o) and dg_L = dF (unless H_f). */
static void
reverse(double *col, fnet_t *F, slong i, slong t, int obj)
{
    const genrank_net_struct *net = F->net;
    slong L = F->L, K = F->K, l, a, c, mw = F->mw;
    double *g = F->g, *dg = F->dg, s, s1, s2;
    for (a = 0; a < K; a++)
    {
        double e = F->z[L * mw + a] - F->Y[i * K + a];
        g[a] = obj == GENRANK_NET_HOUTER ? 0 : e;
        dg[a] = obj == GENRANK_NET_HFUNC ? 0 : F->dz[L * mw + a];
    }
    for (l = L; l >= 1; l--)
    {
        slong Ml = net->M[l], Mp = net->M[l - 1], wo = genrank_net_woff(net, l);
        const double *W = F->W + wo, *hp = F->h + (l - 1) * mw, *dhp = F->dh + (l - 1) * mw;
        for (a = 0; a < Ml; a++)
        {
            for (c = 0; c < Mp; c++)
                col[wo + a * Mp + c] += dg[a] * hp[c] + g[a] * dhp[c];
            if (net->bias)
                col[net->nw + genrank_net_boff(net, l) + a] += dg[a];
        }
        if (l == 1)
            break;
        for (c = 0; c < Mp; c++)
        {
            double u = 0, du = 0;
            for (a = 0; a < Ml; a++)
            {
                u += W[a * Mp + c] * g[a];
                du += W[a * Mp + c] * dg[a];
            }
            /* the tangent of W_l itself */
            if (t >= wo && t < wo + Ml * Mp && (t - wo) % Mp == c)
                du += g[(t - wo) / Mp];
            F->u[c] = u;
            F->du[c] = du;
        }
        for (c = 0; c < Mp; c++)
        {
            act3(&s, &s1, &s2, F, F->z[(l - 1) * mw + c]);
            g[c] = s1 * F->u[c];
            dg[c] = s1 * F->du[c] + s2 * F->dz[(l - 1) * mw + c] * F->u[c];
        }
    }
}

int
_genrank_net_matrix_float(double *A, const genrank_net_t net, int obj)
{
    fnet_t F;
    slong l, i, t, k, P = net->P, K = net->M[net->L], nr;
    double *col;
    memset(&F, 0, sizeof F);
    F.net = net;
    F.L = net->L;
    F.K = K;
    F.mw = 1;
    for (l = 0; l <= net->L; l++)
        F.mw = FLINT_MAX(F.mw, net->M[l]);
    F.W = to_d(net->W, net->nw);
    F.b = to_d(net->b, P - net->nw);
    F.X = to_d(net->X, net->n * net->M[0]);
    F.Y = to_d(net->Y, net->n * K);
    F.c = to_d(net->coeffs, net->len);
    F.z = flint_calloc((F.L + 1) * F.mw, sizeof(double));
    F.h = flint_calloc((F.L + 1) * F.mw, sizeof(double));
    F.dz = flint_calloc((F.L + 1) * F.mw, sizeof(double));
    F.dh = flint_calloc((F.L + 1) * F.mw, sizeof(double));
    F.g = flint_calloc(F.mw, sizeof(double));
    F.dg = flint_calloc(F.mw, sizeof(double));
    F.u = flint_calloc(F.mw, sizeof(double));
    F.du = flint_calloc(F.mw, sizeof(double));
    col = flint_malloc(FLINT_MAX(P, 1) * sizeof(double));
    nr = obj == GENRANK_NET_JACOBIAN ? net->n * K : P;
    for (t = 0; t < P; t++)
    {
        if (obj == GENRANK_NET_JACOBIAN)
            /* column t of J: the tangent of F at every input */
            for (i = 0; i < net->n; i++)
            {
                forward(&F, i, t);
                for (k = 0; k < K; k++)
                    A[i * K + k + t * nr] = F.dz[F.L * F.mw + k];
            }
        else
        {
            memset(col, 0, P * sizeof(double));
            for (i = 0; i < net->n; i++)
            {
                forward(&F, i, t);
                reverse(col, &F, i, t, obj);
            }
            memcpy(A + t * nr, col, P * sizeof(double));
        }
    }
    flint_free(col);
    flint_free(F.W);
    flint_free(F.b);
    flint_free(F.X);
    flint_free(F.Y);
    flint_free(F.c);
    flint_free(F.z);
    flint_free(F.h);
    flint_free(F.dz);
    flint_free(F.dh);
    flint_free(F.g);
    flint_free(F.dg);
    flint_free(F.u);
    flint_free(F.du);
    return 0;
}

int
genrank_net_float_rank(slong *rank, double *smax, double *smin, const genrank_net_t net, int obj)
{
    slong nr = obj == GENRANK_NET_JACOBIAN ? net->n * net->M[net->L] : net->P, nc = net->P;
    double *A;
    if (!genrank_have_lapack())
        return -1;
    /* the matrix, the SVD's copy, and P columns of n passes of O(P) */
    if (nr > 46000 || nc > 46000
        || 8.0 * (double) nr * (double) nc * 2.5 > (double) genrank_memory_available()
        || (double) nc * (double) net->n * (double) net->P > 4e11)
        return -3;
    A = flint_malloc(FLINT_MAX(nr * nc, 1) * sizeof(double));
    _genrank_net_matrix_float(A, net, obj);
    return genrank_float_rank_dense(rank, smax, smin, A, nr, nc);
}
