/* Fully connected networks (doc/networks.md): the Jacobian and the
   Hessians of the squared loss modulo p, built from closed-form blocks
   straight into the double kernel's layout (centred residues).

   At input x with z_l = W_l h_(l-1) + b_l, h_l = s(z_l), F = z_L and
   D_l = diag s'(z_l):
   * J: B_l = dF/dz_l (K x M_l) by B_L = I, B_l = B_(l+1) W_(l+1) D_l;
     dF_k/dW_l[a,c] = B_l[k,a] h_(l-1)[c], dF_k/db_l[a] = B_l[k,a].
   * H_o = J^T J, by dgemm over blocks of inputs.
   * H_f: with residual e = F - y, g_m = B_m^T e and T_(t,j) = dh_t/dz_j
     = D_t W_t ... W_(j+1) D_j, the second derivative of e . F is
       sum_m sum_(c,e') g_m[c] (E_(W_m[c,e']) (x) dh_(m-1)[e'] + transpose)
       + sum_l dz_l^T diag((W_(l+1)^T g_(l+1)) s''(z_l)) dz_l,
     the first sum from the bilinear W_m h_(m-1), the second from s
     (zero for linear and ReLU networks).
   The checker (check/network.c) derives the same matrices' minors by
   forward-mode dual numbers over a reverse pass instead. */
#include <flint/nmod_poly.h>
#include <math.h>
#include <string.h>
#include <flint/fmpq_vec.h>
#include <flint/nmod_vec.h>
#include "../kernels/dmod.h"
#include "genrank.h"
#include "internal.h"
#include "../core/core.h"

/* Inner dimension of one dgemm between reductions, and the bytes a
   block of rows may take. */
#define BLOCK_BYTES (64.0 * 1024 * 1024)

typedef struct {
    const genrank_net_struct *net;
    ulong p;
    nmod_t mod;
    dmod_t F;
    slong L, K, P, nw, H, mw;
    ulong *W, *b, *X, *Y, *c, *dc, *ddc;   /* residues; c: coefficients, dc, ddc: of s', s'' */
    unsigned char *pos;     /* ReLU: n x H, 1 where the pre-activation is positive */
    /* one input's values */
    ulong *h;               /* h_0, ..., h_(L-1) at hoff[l] */
    ulong *D, *S;           /* s'(z_l), s''(z_l) for l = 1..L-1 at hoff[l] */
    ulong *res;             /* F - y */
    ulong **B;              /* B_l, l = 1..L */
    slong hoff[GENRANK_NET_LMAX + 1];
} nctx_t;

static ulong
qmod(const fmpq_t x, const nmod_t mod)
{
    ulong a = fmpz_fdiv_ui(fmpq_numref(x), mod.n), d = fmpz_fdiv_ui(fmpq_denref(x), mod.n);
    return nmod_mul(a, n_invmod(d, mod.n), mod);
}

static ulong *
qvec_mod(const fmpq *x, slong len, const nmod_t mod)
{
    slong i;
    ulong *v = flint_malloc(FLINT_MAX(len, 1) * sizeof(ulong));
    for (i = 0; i < len; i++)
        v[i] = qmod(x + i, mod);
    return v;
}

static double
cen(ulong x, ulong p)
{
    return x > p / 2 ? (double) x - (double) p : (double) x;
}

static void
ctx_init(nctx_t *C, const genrank_net_t net, ulong p)
{
    slong l, i, k, len = net->len, nb = net->P - net->nw;
    memset(C, 0, sizeof *C);
    C->net = net;
    C->p = p;
    nmod_init(&C->mod, p);
    dmod_init(&C->F, p);
    C->L = net->L;
    C->K = net->M[net->L];
    C->P = net->P;
    C->nw = net->nw;
    C->mw = 1;
    for (l = 0; l <= C->L; l++)
    {
        C->hoff[l] = C->H;
        C->H += net->M[l];
        C->mw = FLINT_MAX(C->mw, net->M[l]);
    }
    C->W = qvec_mod(net->W, net->nw, C->mod);
    C->b = qvec_mod(net->b, nb, C->mod);
    C->X = qvec_mod(net->X, net->n * net->M[0], C->mod);
    C->Y = qvec_mod(net->Y, net->n * C->K, C->mod);
    if (net->act == GENRANK_NET_POLY)
    {
        C->c = qvec_mod(net->coeffs, len, C->mod);
        C->dc = flint_calloc(FLINT_MAX(len, 1), sizeof(ulong));
        C->ddc = flint_calloc(FLINT_MAX(len, 1), sizeof(ulong));
        for (k = 1; k < len; k++)
            C->dc[k - 1] = nmod_mul(C->c[k], k % p, C->mod);
        for (k = 1; k < len - 1; k++)
            C->ddc[k - 1] = nmod_mul(C->dc[k], k % p, C->mod);
    }
    if (net->act == GENRANK_NET_RELU && C->L > 1)
    {
        slong hid = C->hoff[C->L] - net->M[0];
        fmpq *z = _fmpq_vec_init(hid), *out = _fmpq_vec_init(C->K);
        C->pos = flint_malloc(FLINT_MAX(net->n * hid, 1));
        for (i = 0; i < net->n; i++)
        {
            genrank_net_forward(z, out, net, i);
            for (k = 0; k < hid; k++)
                C->pos[i * hid + k] = fmpq_sgn(z + k) > 0;
        }
        _fmpq_vec_clear(z, hid);
        _fmpq_vec_clear(out, C->K);
    }
    C->h = flint_calloc(C->H, sizeof(ulong));
    C->D = flint_calloc(C->H, sizeof(ulong));
    C->S = flint_calloc(C->H, sizeof(ulong));
    C->res = flint_calloc(C->K, sizeof(ulong));
    C->B = flint_calloc(C->L + 1, sizeof(ulong *));
    for (l = 1; l <= C->L; l++)
        C->B[l] = flint_calloc(C->K * net->M[l], sizeof(ulong));
}

static void
ctx_clear(nctx_t *C)
{
    slong l;
    flint_free(C->W);
    flint_free(C->b);
    flint_free(C->X);
    flint_free(C->Y);
    flint_free(C->c);
    flint_free(C->dc);
    flint_free(C->ddc);
    flint_free(C->pos);
    flint_free(C->h);
    flint_free(C->D);
    flint_free(C->S);
    flint_free(C->res);
    for (l = 1; l <= C->L; l++)
        flint_free(C->B[l]);
    flint_free(C->B);
}

/* The forward pass, s' and s'', the residual and the B_l at input i. */
static void
ctx_input(nctx_t *C, slong i)
{
    const genrank_net_struct *net = C->net;
    slong L = C->L, l, a, c, k, hid = C->hoff[L] - net->M[0];
    ulong *z = flint_malloc(C->mw * sizeof(ulong));
    nmod_t mod = C->mod;
    memcpy(C->h, C->X + i * net->M[0], net->M[0] * sizeof(ulong));
    for (l = 1; l <= L; l++)
    {
        const ulong *W = C->W + genrank_net_woff(net, l), *hp = C->h + C->hoff[l - 1];
        for (a = 0; a < net->M[l]; a++)
        {
            z[a] = _nmod_vec_dot(W + a * net->M[l - 1], hp, net->M[l - 1], mod,
                                 _nmod_vec_dot_bound_limbs(net->M[l - 1], mod));
            if (net->bias)
                z[a] = nmod_add(z[a], C->b[genrank_net_boff(net, l) + a], mod);
        }
        if (l == L)
            break;
        for (a = 0; a < net->M[l]; a++)
        {
            slong o = C->hoff[l] + a;
            if (net->act == GENRANK_NET_LINEAR)
                C->h[o] = z[a], C->D[o] = 1, C->S[o] = 0;
            else if (net->act == GENRANK_NET_RELU)
            {
                int on = C->pos[i * hid + C->hoff[l] - net->M[0] + a];
                C->h[o] = on ? z[a] : 0;
                C->D[o] = on;
                C->S[o] = 0;
            }
            else
            {
                C->h[o] = _nmod_poly_evaluate_nmod(C->c, net->len, z[a], mod);
                C->D[o] = _nmod_poly_evaluate_nmod(C->dc, net->len, z[a], mod);
                C->S[o] = _nmod_poly_evaluate_nmod(C->ddc, net->len, z[a], mod);
            }
        }
    }
    for (k = 0; k < C->K; k++)
        C->res[k] = nmod_sub(z[k], C->Y[i * C->K + k], mod);
    /* B_L = I; B_l = B_(l+1) W_(l+1) D_l */
    memset(C->B[L], 0, C->K * C->K * sizeof(ulong));
    for (k = 0; k < C->K; k++)
        C->B[L][k * C->K + k] = 1;
    for (l = L - 1; l >= 1; l--)
    {
        const ulong *W = C->W + genrank_net_woff(net, l + 1);
        slong Mu = net->M[l + 1], Ml = net->M[l];
        for (k = 0; k < C->K; k++)
            for (c = 0; c < Ml; c++)
            {
                ulong t = 0;
                for (a = 0; a < Mu; a++)
                    t = nmod_add(t, nmod_mul(C->B[l + 1][k * Mu + a], W[a * Ml + c], mod), mod);
                C->B[l][k * Ml + c] = nmod_mul(t, C->D[C->hoff[l] + c], mod);
            }
    }
    flint_free(z);
}

/* The K rows of J at the current input into A (leading dimension lda). */
static void
jacobian_rows(double *A, slong lda, const nctx_t *C)
{
    const genrank_net_struct *net = C->net;
    slong l, k, a, c;
    for (k = 0; k < C->K; k++)
    {
        double *row = A + k * lda;
        for (l = 1; l <= C->L; l++)
        {
            slong Ml = net->M[l], Mp = net->M[l - 1], wo = genrank_net_woff(net, l);
            const ulong *hp = C->h + C->hoff[l - 1];
            for (a = 0; a < Ml; a++)
            {
                ulong B = C->B[l][k * Ml + a];
                for (c = 0; c < Mp; c++)
                    row[wo + a * Mp + c] = cen(nmod_mul(B, hp[c], C->mod), C->p);
                if (net->bias)
                    row[C->nw + genrank_net_boff(net, l) + a] = cen(B, C->p);
            }
        }
    }
}

/* C += A^T B modulo p: A is k x m, B is k x n (row-major, centred),
   C is m x n with leading dimension ldc. */
static void
gemm_tn_acc(double *Cm, slong ldc, const double *A, slong lda, const double *B, slong ldb,
            slong m, slong n, slong k, const dmod_t *F)
{
    slong k0;
    if (m == 0 || n == 0 || k == 0)
        return;
    for (k0 = 0; k0 < k; k0 += F->kmax)
    {
        slong kc = FLINT_MIN(F->kmax, k - k0);
#ifdef HAVE_CBLAS
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int) m, (int) n, (int) kc, 1.0,
                    A + k0 * lda, (int) lda, B + k0 * ldb, (int) ldb, 1.0, Cm, (int) ldc);
#else
        {
            slong i, j, t;
            for (t = k0; t < k0 + kc; t++)
                for (i = 0; i < m; i++)
                {
                    double x = A[t * lda + i];
                    if (x != 0)
                        for (j = 0; j < n; j++)
                            Cm[i * ldc + j] += x * B[t * ldb + j];
                }
        }
#endif
        reduce_mat(Cm, ldc, m, n, F);
    }
}

/* The upper triangle of C += A^T A modulo p (A is k x m, C is m x m);
   the lower triangle is left as it is. */
static void
syrk_tn_acc(double *Cm, slong ldc, const double *A, slong lda, slong m, slong k, const dmod_t *F)
{
#ifdef HAVE_CBLAS
    slong k0, i;
    if (m == 0 || k == 0)
        return;
    for (k0 = 0; k0 < k; k0 += F->kmax)
    {
        slong kc = FLINT_MIN(F->kmax, k - k0);
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int) m, (int) kc, 1.0, A + k0 * lda,
                    (int) lda, 1.0, Cm, (int) ldc);
        for (i = 0; i < m; i++)
            reduce_row(Cm + i * ldc + i, m - i, F);
    }
#else
    gemm_tn_acc(Cm, ldc, A, lda, A, lda, m, m, k, F);
#endif
}

/* Rows of inputs per block: at most kmax, and the block within BLOCK_BYTES. */
static slong
block_rows(const nctx_t *C, double row_bytes)
{
    slong s = (slong) (BLOCK_BYTES / FLINT_MAX(row_bytes, 1.0));
    return FLINT_MAX(1, FLINT_MIN(s, C->F.kmax));
}

/* H += J^T J, by dgemm over blocks of inputs' rows of J. */
static void
add_outer_blocks(double *Hm, nctx_t *C)
{
    slong n = C->net->n, K = C->K, P = C->P, per = FLINT_MAX(1, block_rows(C, 8.0 * P * K) / K);
    double *A = flint_malloc(per * K * P * sizeof(double));
    slong i0, i;
    for (i0 = 0; i0 < n; i0 += per)
    {
        slong cnt = FLINT_MIN(per, n - i0);
        for (i = 0; i < cnt; i++)
        {
            ctx_input(C, i0 + i);
            jacobian_rows(A + i * K * P, P, C);
        }
        syrk_tn_acc(Hm, P, A, P, P, cnt * K, &C->F);
    }
    /* the lower triangle holds the other terms, symmetric: mirror */
    for (i0 = 0; i0 < P; i0++)
        for (i = 0; i < i0; i++)
            Hm[i0 * P + i] = Hm[i * P + i0];
    flint_free(A);
}

/* H += J^T J for a network whose D_l are identities at every input
   (linear activations, or one layer): B_l is then the same at every
   input and the block of (W_l or b_l, W_m or b_m) is (B_l^T B_m) (x)
   sum_i u_(l-1)(i) u_(m-1)(i)^T with u = [h; 1] (1 with bias), the
   closed form of seed 001's Proposition 2. */
static void
add_outer_linear(double *Hm, nctx_t *C)
{
    const genrank_net_struct *net = C->net;
    slong L = C->L, K = C->K, P = C->P, n = net->n, bias = net->bias, l, m, i, a, c, T = 0, Bt = 0;
    slong off[GENRANK_NET_LMAX + 2], boff[GENRANK_NET_LMAX + 2];
    slong per = block_rows(C, 1.0), i0;
    double *U, *S, *Bc, *G;
    for (l = 1; l <= L; l++)
    {
        off[l] = T;
        T += net->M[l - 1] + bias;
        boff[l] = Bt;
        Bt += net->M[l];
    }
    per = FLINT_MIN(per, 4096);
    U = flint_malloc(per * T * sizeof(double));
    S = flint_calloc(T * T, sizeof(double));
    Bc = flint_malloc(K * Bt * sizeof(double));
    G = flint_calloc(Bt * Bt, sizeof(double));
    for (i0 = 0; i0 < n; i0 += per)
    {
        slong cnt = FLINT_MIN(per, n - i0);
        for (i = 0; i < cnt; i++)
        {
            ctx_input(C, i0 + i);
            for (l = 1; l <= L; l++)
            {
                for (c = 0; c < net->M[l - 1]; c++)
                    U[i * T + off[l] + c] = cen(C->h[C->hoff[l - 1] + c], C->p);
                if (bias)
                    U[i * T + off[l] + net->M[l - 1]] = 1.0;
            }
        }
        gemm_tn_acc(S, T, U, T, U, T, T, T, cnt, &C->F);
    }
    for (l = 1; l <= L; l++)   /* B_l from the last input: the same at every input */
        for (a = 0; a < K; a++)
            for (c = 0; c < net->M[l]; c++)
                Bc[a * Bt + boff[l] + c] = cen(C->B[l][a * net->M[l] + c], C->p);
    gemm_tn_acc(G, Bt, Bc, Bt, Bc, Bt, Bt, Bt, K, &C->F);
    /* the parameter of index q: its layer, row a and column c of u */
    for (l = 1; l <= L; l++)
        for (a = 0; a < net->M[l]; a++)
            for (c = 0; c < net->M[l - 1] + bias; c++)
            {
                slong q = c < net->M[l - 1] ? genrank_net_woff(net, l) + a * net->M[l - 1] + c
                                            : C->nw + genrank_net_boff(net, l) + a;
                double *row = Hm + q * P;
                for (m = 1; m <= L; m++)
                {
                    slong a2, c2, wo = genrank_net_woff(net, m), bo = C->nw + genrank_net_boff(net, m);
                    for (a2 = 0; a2 < net->M[m]; a2++)
                    {
                        double g = G[(boff[l] + a) * Bt + boff[m] + a2];
                        const double *srow = S + (off[l] + c) * T + off[m];
                        double *dst = row + wo + a2 * net->M[m - 1];
                        if (g == 0)
                            continue;
                        for (c2 = 0; c2 < net->M[m - 1]; c2++)
                            dst[c2] = dred(dst[c2] + dred(g * srow[c2], &C->F), &C->F);
                        if (bias)
                            row[bo + a2] = dred(row[bo + a2] + dred(g * srow[net->M[m - 1]], &C->F), &C->F);
                    }
                }
            }
    flint_free(U);
    flint_free(S);
    flint_free(Bc);
    flint_free(G);
}

static void
add_outer(double *Hm, nctx_t *C)
{
    if (C->net->act == GENRANK_NET_LINEAR || C->L == 1)
        add_outer_linear(Hm, C);
    else
        add_outer_blocks(Hm, C);
}

/* Tm[j] = dh_t/dz_j (M_t x M_j) for j = 1..t at the current input. */
static void
chain_mats(ulong **Tm, const nctx_t *C, slong t)
{
    const genrank_net_struct *net = C->net;
    slong j, a, c, e, Mt = net->M[t];
    memset(Tm[t], 0, Mt * Mt * sizeof(ulong));
    for (a = 0; a < Mt; a++)
        Tm[t][a * Mt + a] = C->D[C->hoff[t] + a];
    for (j = t - 1; j >= 1; j--)
    {
        const ulong *W = C->W + genrank_net_woff(net, j + 1);
        slong Mu = net->M[j + 1], Mj = net->M[j];
        for (a = 0; a < Mt; a++)
            for (c = 0; c < Mj; c++)
            {
                ulong s = 0;
                for (e = 0; e < Mu; e++)
                    s = nmod_add(s, nmod_mul(Tm[j + 1][a * Mu + e], W[e * Mj + c], C->mod), C->mod);
                Tm[j][a * Mj + c] = nmod_mul(s, C->D[C->hoff[j] + c], C->mod);
            }
    }
}

/* Local columns of the parameters of layers 1..t: the weights
   [0, woff(t+1)), then the biases; their global index. */
static slong
local_cols(const nctx_t *C, slong t)
{
    const genrank_net_struct *net = C->net;
    return genrank_net_woff(net, t + 1) + (net->bias ? genrank_net_boff(net, t + 1) : 0);
}

static slong
global_col(const nctx_t *C, slong t, slong q)
{
    slong w = genrank_net_woff(C->net, t + 1);
    return q < w ? q : C->nw + (q - w);
}

/* row = R[e, :] pushed to the parameters of layers 1..t: the column of
   W_j[c, e'] is R_j[e, c] h_(j-1)[e'], that of b_j[c] is R_j[e, c]. */
static void
chain_row(double *row, ulong **R, slong e, const nctx_t *C, slong t)
{
    const genrank_net_struct *net = C->net;
    slong j, c, f, w = genrank_net_woff(net, t + 1);
    for (j = 1; j <= t; j++)
    {
        slong Mj = net->M[j], Mp = net->M[j - 1], wo = genrank_net_woff(net, j);
        const ulong *hp = C->h + C->hoff[j - 1];
        for (c = 0; c < Mj; c++)
        {
            ulong r = R[j][e * Mj + c];
            for (f = 0; f < Mp; f++)
                row[wo + c * Mp + f] = r == 0 ? 0.0 : cen(nmod_mul(r, hp[f], C->mod), C->p);
            if (net->bias)
                row[w + genrank_net_boff(net, j) + c] = cen(r, C->p);
        }
    }
}

static ulong **
mats_alloc(const nctx_t *C, slong rows, slong t)
{
    ulong **T = flint_calloc(t + 1, sizeof(ulong *));
    slong j;
    for (j = 1; j <= t; j++)
        T[j] = flint_calloc(rows * C->net->M[j], sizeof(ulong));
    return T;
}

static void
mats_free(ulong **T, slong t)
{
    slong j;
    for (j = 1; j <= t; j++)
        flint_free(T[j]);
    flint_free(T);
}

/* g = B_m^T e at the current input (M_m entries). */
static void
grad_z(ulong *g, const nctx_t *C, slong m)
{
    slong Mm = C->net->M[m], a, k;
    for (a = 0; a < Mm; a++)
    {
        ulong s = 0;
        for (k = 0; k < C->K; k++)
            s = nmod_add(s, nmod_mul(C->B[m][k * Mm + a], C->res[k], C->mod), C->mod);
        g[a] = s;
    }
}

/* The bilinear terms of layer m into rows W_m[c, e'], columns of the
   parameters of layers < m (the transpose is filled by symmetrize). */
static void
add_bilinear(double *Hm, nctx_t *C, slong m)
{
    const genrank_net_struct *net = C->net;
    slong n = net->n, Mm = net->M[m], Mp = net->M[m - 1], Q = local_cols(C, m - 1), P = C->P;
    slong per = block_rows(C, 8.0 * Q * Mp), i0, i, e, c, q, wo = genrank_net_woff(net, m);
    double *G = flint_malloc(per * Mm * sizeof(double)), *V = flint_malloc(per * Mp * Q * sizeof(double));
    double *Cb = flint_malloc(Mm * Q * sizeof(double));
    ulong *g = flint_malloc(Mm * sizeof(ulong)), **T = mats_alloc(C, Mp, m - 1);
    for (i0 = 0; i0 < n; i0 += per)
    {
        slong cnt = FLINT_MIN(per, n - i0);
        for (i = 0; i < cnt; i++)
        {
            ctx_input(C, i0 + i);
            grad_z(g, C, m);
            for (c = 0; c < Mm; c++)
                G[i * Mm + c] = cen(g[c], C->p);
            chain_mats(T, C, m - 1);
            for (e = 0; e < Mp; e++)
                chain_row(V + (e * per + i) * Q, T, e, C, m - 1);
        }
        for (e = 0; e < Mp; e++)
        {
            memset(Cb, 0, Mm * Q * sizeof(double));
            gemm_tn_acc(Cb, Q, G, Mm, V + e * per * Q, Q, Mm, Q, cnt, &C->F);
            for (c = 0; c < Mm; c++)
                for (q = 0; q < Q; q++)
                {
                    double *x = Hm + (wo + c * Mp + e) * P + global_col(C, m - 1, q);
                    *x = dred(*x + Cb[c * Q + q], &C->F);
                }
        }
    }
    flint_free(G);
    flint_free(V);
    flint_free(Cb);
    flint_free(g);
    mats_free(T, m - 1);
}

/* The curvature terms of layer l (polynomial s): dz_l^T diag(w) dz_l
   with w = (W_(l+1)^T g_(l+1)) s''(z_l), into the parameters of layers
   1..l. */
static void
add_curvature(double *Hm, nctx_t *C, slong l)
{
    const genrank_net_struct *net = C->net;
    slong n = net->n, Ml = net->M[l], Mu = net->M[l + 1], Q = local_cols(C, l), P = C->P;
    slong per = FLINT_MAX(1, block_rows(C, 8.0 * Q * Ml) / Ml), i0, i, a, c, q, j;
    double *U = flint_malloc(per * Ml * Q * sizeof(double)), *U2 = flint_malloc(per * Ml * Q * sizeof(double));
    double *Cb = flint_calloc(Q * Q, sizeof(double));
    ulong *g = flint_malloc(Mu * sizeof(ulong)), **T = mats_alloc(C, Ml, l);
    const ulong *W = C->W + genrank_net_woff(net, l + 1), *Wl = C->W + genrank_net_woff(net, l);
    for (i0 = 0; i0 < n; i0 += per)
    {
        slong cnt = FLINT_MIN(per, n - i0);
        for (i = 0; i < cnt; i++)
        {
            ctx_input(C, i0 + i);
            grad_z(g, C, l + 1);
            /* dz_l/dz_j = W_l T_(l-1, j) for j < l, the identity for j = l */
            if (l > 1)
            {
                ulong **T2 = mats_alloc(C, net->M[l - 1], l - 1);
                chain_mats(T2, C, l - 1);
                for (j = 1; j < l; j++)
                    for (a = 0; a < Ml; a++)
                        for (c = 0; c < net->M[j]; c++)
                        {
                            ulong s = 0;
                            slong e;
                            for (e = 0; e < net->M[l - 1]; e++)
                                s = nmod_add(s, nmod_mul(Wl[a * net->M[l - 1] + e],
                                                         T2[j][e * net->M[j] + c], C->mod), C->mod);
                            T[j][a * net->M[j] + c] = s;
                        }
                mats_free(T2, l - 1);
            }
            memset(T[l], 0, Ml * Ml * sizeof(ulong));
            for (a = 0; a < Ml; a++)
                T[l][a * Ml + a] = 1;
            for (a = 0; a < Ml; a++)
            {
                ulong s = 0, w;
                slong k;
                double wd;
                for (k = 0; k < Mu; k++)
                    s = nmod_add(s, nmod_mul(W[k * Ml + a], g[k], C->mod), C->mod);
                w = nmod_mul(s, C->S[C->hoff[l] + a], C->mod);
                wd = cen(w, C->p);
                chain_row(U + (i * Ml + a) * Q, T, a, C, l);
                for (q = 0; q < Q; q++)
                    U2[(i * Ml + a) * Q + q] = dred(wd * U[(i * Ml + a) * Q + q], &C->F);
            }
        }
        gemm_tn_acc(Cb, Q, U, Q, U2, Q, Q, Q, cnt * Ml, &C->F);
    }
    for (q = 0; q < Q; q++)
        for (c = 0; c < Q; c++)
        {
            double *x = Hm + global_col(C, l, q) * P + global_col(C, l, c);
            *x = dred(*x + Cb[q * Q + c], &C->F);
        }
    flint_free(U);
    flint_free(U2);
    flint_free(Cb);
    flint_free(g);
    mats_free(T, l);
}

/* Copies each bilinear block (rows W_m, columns of layers < m) to its
   transpose. */
static void
symmetrize(double *Hm, const nctx_t *C)
{
    slong m, r, q, P = C->P;
    for (m = 2; m <= C->L; m++)
    {
        slong w0 = genrank_net_woff(C->net, m), w1 = genrank_net_woff(C->net, m + 1);
        slong Q = local_cols(C, m - 1);
        for (r = w0; r < w1; r++)
            for (q = 0; q < Q; q++)
            {
                slong g = global_col(C, m - 1, q);
                Hm[g * P + r] = Hm[r * P + g];
            }
    }
}

static double
object_bytes(const genrank_net_t net, int obj)
{
    double P = (double) net->P, R = obj == GENRANK_NET_JACOBIAN ? (double) net->n * net->M[net->L] : P;
    return 8.0 * R * P + 3 * BLOCK_BYTES + 16.0 * P;
}

int
genrank_net_matrix_d(double *A, const genrank_net_t net, int obj, ulong p, genrank_err_t *err)
{
    nctx_t C;
    slong i, l, P = net->P, R;
    if (net->act == GENRANK_NET_NAMED)
        return genrank_err_set(err, GENRANK_EINVAL, "a named activation has no matrix modulo p");
    if (net->act == GENRANK_NET_RELU && genrank_net_relu_check(net, err) != 0)
        return GENRANK_EINVAL;
    ctx_init(&C, net, p);
    R = obj == GENRANK_NET_JACOBIAN ? net->n * C.K : P;
    memset(A, 0, (size_t) R * P * sizeof(double));
    if (obj == GENRANK_NET_JACOBIAN)
        for (i = 0; i < net->n; i++)
        {
            ctx_input(&C, i);
            jacobian_rows(A + i * C.K * P, P, &C);
        }
    else
    {
        if (obj == GENRANK_NET_HFUNC || obj == GENRANK_NET_HLOSS)
        {
            for (l = 2; l <= net->L; l++)
                add_bilinear(A, &C, l);
            symmetrize(A, &C);
            if (net->act == GENRANK_NET_POLY)
                for (l = 1; l < net->L; l++)
                    add_curvature(A, &C, l);
        }
        if (obj == GENRANK_NET_HOUTER || obj == GENRANK_NET_HLOSS)
            add_outer(A, &C);
        for (i = 0; i < R * P; i++)
            A[i] = dred_exact(A[i], &C.F);
    }
    ctx_clear(&C);
    return 0;
}

ulong
genrank_net_prime(const genrank_net_t net, genrank_rng_t *rng)
{
    slong i, nb = net->P - net->nw;
    for (;;)
    {
        ulong p = genrank_random_prime(rng, GENRANK_BLAS_PRIME_BITS);
        int ok = 1;
        for (i = 0; ok && i < net->nw; i++)
            ok = fmpz_fdiv_ui(fmpq_denref(net->W + i), p) != 0;
        for (i = 0; ok && i < nb; i++)
            ok = fmpz_fdiv_ui(fmpq_denref(net->b + i), p) != 0;
        for (i = 0; ok && i < net->n * net->M[0]; i++)
            ok = fmpz_fdiv_ui(fmpq_denref(net->X + i), p) != 0;
        for (i = 0; ok && i < net->n * net->M[net->L]; i++)
            ok = fmpz_fdiv_ui(fmpq_denref(net->Y + i), p) != 0;
        for (i = 0; ok && i < net->len; i++)
            ok = fmpz_fdiv_ui(fmpq_denref(net->coeffs + i), p) != 0;
        if (ok)
            return p;
    }
}

void
genrank_net_result_clear(genrank_net_result_t *res)
{
    flint_free(res->rows);
    flint_free(res->cols);
    flint_free(res->det_str);
    memset(res, 0, sizeof *res);
}

int
genrank_net_certify(genrank_net_result_t *res, const genrank_net_t net, int obj, ulong p,
                    genrank_err_t *err)
{
    slong R = obj == GENRANK_NET_JACOBIAN ? net->n * net->M[net->L] : net->P, C = net->P, r;
    double t0 = _genrank_seconds(), need = object_bytes(net, obj);
    double *A;
    char b1[32], b2[32];
    int rc;
    memset(res, 0, sizeof *res);
    if (net->act == GENRANK_NET_NAMED)
        return genrank_err_set(err, GENRANK_EINVAL, "a named activation is certified by the ball "
                               "route (genrank_net_certify_ball), not modulo p");
    if (need > (double) genrank_memory_available())
        return genrank_err_set(err, GENRANK_ENOMEM, "the %s (%ld x %ld) needs about %s but only "
                               "%s of memory is available", genrank_net_object_name(obj), (long) R,
                               (long) C, _genrank_bytes_str(b1, need),
                               _genrank_bytes_str(b2, (double) genrank_memory_available()));
    if (p >= GENRANK_BLAS_PRIME_MAX || p < 3)
        return genrank_err_set(err, GENRANK_EINVAL, "the prime must be in [3, 2^24)");
    A = flint_malloc(FLINT_MAX((size_t) R * C, 1) * sizeof(double));
    if ((rc = genrank_net_matrix_d(A, net, obj, p, err)) != 0)
    {
        flint_free(A);
        return rc;
    }
    res->obj = obj;
    res->nrows = R;
    res->ncols = C;
    res->prime = p;
    res->rows = flint_malloc(FLINT_MAX(FLINT_MIN(R, C), 1) * sizeof(slong));
    res->cols = flint_malloc(FLINT_MAX(FLINT_MIN(R, C), 1) * sizeof(slong));
    r = genrank_have_blas() ? genrank_dmat_rank_witness_blas(res->rows, res->cols, &res->det, A,
                                                            R, C, C, p) : -1;
    if (r < 0)
    {
        nmod_mat_t M;
        slong i, j;
        nmod_mat_init(M, R, C, p);
        for (i = 0; i < R; i++)
            for (j = 0; j < C; j++)
            {
                double x = A[i * C + j];
                nmod_mat_entry(M, i, j) = x < 0 ? (ulong) (x + (double) p) : (ulong) x;
            }
        r = genrank_nmod_mat_rank_witness(res->rows, res->cols, &res->det, M);
        nmod_mat_clear(M);
    }
    flint_free(A);
    res->rank = r;
    res->seconds = _genrank_seconds() - t0;
    return 0;
}

/* ---- random points ------------------------------------------------- */

static slong
draw(genrank_rng_t *rng, slong range)
{
    return (slong) genrank_rng_below(rng, 2 * (uint64_t) range + 1) - range;
}

static void
draw_point(genrank_net_t net, genrank_rng_t *rng, slong range, slong input_rank)
{
    slong i, j, k, d = net->M[0], n = net->n, K = net->M[net->L];
    for (i = 0; i < net->nw; i++)
        fmpq_set_si(net->W + i, draw(rng, range), 1);
    for (i = 0; i < net->P - net->nw; i++)
        fmpq_set_si(net->b + i, draw(rng, range), 1);
    if (input_rank > 0 && input_rank < d)
    {
        slong *A = flint_malloc(n * input_rank * sizeof(slong));
        slong *B = flint_malloc(input_rank * d * sizeof(slong));
        for (i = 0; i < n * input_rank; i++)
            A[i] = draw(rng, 9);
        for (i = 0; i < input_rank * d; i++)
            B[i] = draw(rng, 9);
        for (i = 0; i < n; i++)
            for (j = 0; j < d; j++)
            {
                slong s = 0;
                for (k = 0; k < input_rank; k++)
                    s += A[i * input_rank + k] * B[k * d + j];
                fmpq_set_si(net->X + i * d + j, s, 1);
            }
        flint_free(A);
        flint_free(B);
    }
    else
        for (i = 0; i < n * d; i++)
            fmpq_set_si(net->X + i, draw(rng, range), 1);
    for (i = 0; i < n * K; i++)
        fmpq_set_si(net->Y + i, draw(rng, range), 1);
}

/* A named s: the integers divided by range (inputs of rank r < d by 81 r,
   their largest possible size), W_l's also by M_(l-1), so that every
   pre-activation is at most 1 + 1 in absolute value at the first layer
   and s stays away from its saturated tails. */
static void
scale_point(genrank_net_t net, slong range, slong input_rank)
{
    slong l, i, d = net->M[0];
    fmpz_t q;
    fmpz_init(q);
    for (l = 1; l <= net->L; l++)
    {
        fmpz_set_si(q, range * net->M[l - 1]);
        for (i = 0; i < net->M[l] * net->M[l - 1]; i++)
            fmpq_div_fmpz(net->W + genrank_net_woff(net, l) + i, net->W + genrank_net_woff(net, l) + i, q);
    }
    fmpz_set_si(q, range);
    for (i = 0; i < net->P - net->nw; i++)
        fmpq_div_fmpz(net->b + i, net->b + i, q);
    for (i = 0; i < net->n * net->M[net->L]; i++)
        fmpq_div_fmpz(net->Y + i, net->Y + i, q);
    if (input_rank > 0 && input_rank < d)
        fmpz_set_si(q, 81 * input_rank);
    for (i = 0; i < net->n * d; i++)
        fmpq_div_fmpz(net->X + i, net->X + i, q);
    fmpz_clear(q);
}

int
genrank_net_random_point(genrank_net_t net, uint64_t seed, slong range, slong input_rank,
                         genrank_err_t *err)
{
    genrank_rng_t rng;
    int t, rc = 0;
    if (range < 1 || range > (WORD(1) << 30))
        return genrank_err_set(err, GENRANK_EINVAL, "the range must be in [1, 2^30]");
    genrank_rng_seed(&rng, seed);
    for (t = 0; t < 64; t++)
    {
        draw_point(net, &rng, range, input_rank);
        if (net->act == GENRANK_NET_NAMED)
            scale_point(net, range, input_rank);
        if ((rc = genrank_net_relu_check(net, err)) == 0)
            return 0;
    }
    return rc;
}
