/* Checking "genrank-network" certificates (doc/certificate-format.md):
   the witness minor of the Jacobian or a Hessian of a fully connected
   network, rebuilt modulo p from the recorded point by forward-mode dual
   numbers -- a tangent for each of the minor's r columns carried through
   the forward pass (J's columns), and for the Hessians through a reverse
   pass as well (forward over reverse: the tangent of the gradient of
   e . F, e the residual, is a column of H_f; that of the gradient with
   the residual's own tangent J e_t added, of H_L; with the tangent alone,
   of H_o = J^T J).  The work is O(r n) forward and reverse passes of
   matrix-by-r-columns products, none of it shared with the prover's
   closed-form blocks (prove/network.c). */
#include <flint/nmod_poly.h>
#include <string.h>
#include <flint/fmpq_vec.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>
#include "check.h"

typedef _genrank_net_par_t par_t;

typedef struct {
    genrank_net_struct *net;
    int obj;
    slong r;
    slong *rows, *cols;
    par_t *pc, *pr;            /* the columns' and (Hessians) the rows' parameters */
    nmod_t mod;
    nmod_mat_struct *W, *Wt;   /* W_l and W_l^T, l = 1..L */
    ulong *b, *X, *Y, *c, *dc, *ddc;
    unsigned char *pos;        /* ReLU signs, exact */
    slong hid;
    slong prec;                /* ball route */
    nmod_mat_t minor;
    ulong *acc;                /* p < 2^26: the minor's sums before reduction */
    slong pending;             /* inputs added to acc since its last reduction */
} nchk_t;

/* Below this prime a product of two residues is under 2^52, and 2^10
   inputs' sums of two such products stay under 2^63. */
#define FAST_PRIME (UWORD(1) << 26)
#define FAST_INPUTS 1024

static void
par_decode(par_t *q, slong idx, const genrank_net_struct *net)
{
    slong l, o = 0;
    q->bias = idx >= net->nw;
    if (q->bias)
        idx -= net->nw;
    for (l = 1; l <= net->L; l++)
    {
        slong size = q->bias ? net->M[l] : net->M[l] * net->M[l - 1];
        if (idx < o + size)
        {
            q->l = l;
            q->a = q->bias ? idx - o : (idx - o) / net->M[l - 1];
            q->c = q->bias ? 0 : (idx - o) % net->M[l - 1];
            return;
        }
        o += size;
    }
}

static ulong
qres(const fmpq *x, nmod_t mod)
{
    return nmod_mul(fmpz_fdiv_ui(fmpq_numref(x), mod.n),
                    n_invmod(fmpz_fdiv_ui(fmpq_denref(x), mod.n), mod.n), mod);
}

/* Every denominator of the point and coefficients prime to p. */
static int
denominators_ok(const genrank_net_struct *net, ulong p)
{
    slong i;
    const fmpq *parts[5] = {net->W, net->b, net->X, net->Y, net->coeffs};
    slong lens[5] = {net->nw, net->P - net->nw, net->n * net->M[0], net->n * net->M[net->L], net->len};
    int k;
    for (k = 0; k < 5; k++)
        for (i = 0; i < lens[k]; i++)
            if (fmpz_fdiv_ui(fmpq_denref(parts[k] + i), p) == 0)
                return 0;
    return 1;
}

static void
chk_setup(nchk_t *C, ulong p)
{
    genrank_net_struct *net = C->net;
    slong l, i, j, k, nb = net->P - net->nw, o = 0;
    nmod_init(&C->mod, p);
    C->W = flint_malloc((net->L + 1) * sizeof(nmod_mat_struct));
    C->Wt = flint_malloc((net->L + 1) * sizeof(nmod_mat_struct));
    for (l = 1; l <= net->L; l++)
    {
        nmod_mat_init(C->W + l, net->M[l], net->M[l - 1], p);
        nmod_mat_init(C->Wt + l, net->M[l - 1], net->M[l], p);
        for (i = 0; i < net->M[l]; i++)
            for (j = 0; j < net->M[l - 1]; j++)
                nmod_mat_entry(C->W + l, i, j) = qres(net->W + o + i * net->M[l - 1] + j, C->mod);
        nmod_mat_transpose(C->Wt + l, C->W + l);
        o += net->M[l] * net->M[l - 1];
    }
    C->b = flint_calloc(FLINT_MAX(nb, 1), sizeof(ulong));
    for (i = 0; i < nb; i++)
        C->b[i] = qres(net->b + i, C->mod);
    C->X = flint_malloc(FLINT_MAX(net->n * net->M[0], 1) * sizeof(ulong));
    for (i = 0; i < net->n * net->M[0]; i++)
        C->X[i] = qres(net->X + i, C->mod);
    C->Y = flint_malloc(FLINT_MAX(net->n * net->M[net->L], 1) * sizeof(ulong));
    for (i = 0; i < net->n * net->M[net->L]; i++)
        C->Y[i] = qres(net->Y + i, C->mod);
    C->c = flint_calloc(net->len + 2, sizeof(ulong));
    C->dc = flint_calloc(net->len + 2, sizeof(ulong));
    C->ddc = flint_calloc(net->len + 2, sizeof(ulong));
    for (k = 0; k < net->len; k++)
        C->c[k] = qres(net->coeffs + k, C->mod);
    for (k = 1; k < net->len; k++)   /* s' and s'' from the definition */
        C->dc[k - 1] = nmod_mul(C->c[k], k % p, C->mod);
    for (k = 2; k < net->len; k++)
        C->ddc[k - 2] = nmod_mul(C->c[k], nmod_mul(k % p, (k - 1) % p, C->mod), C->mod);
    C->hid = 0;
    for (l = 1; l < net->L; l++)
        C->hid += net->M[l];
    C->pos = NULL;
    if (net->act == GENRANK_NET_RELU && C->hid > 0)
    {
        fmpq *z = _fmpq_vec_init(C->hid), *out = _fmpq_vec_init(net->M[net->L]);
        C->pos = flint_malloc(net->n * C->hid);
        for (i = 0; i < net->n; i++)
        {
            genrank_net_forward(z, out, net, i);
            for (k = 0; k < C->hid; k++)
                C->pos[i * C->hid + k] = fmpq_sgn(z + k) > 0;
        }
        _fmpq_vec_clear(z, C->hid);
        _fmpq_vec_clear(out, net->M[net->L]);
    }
    nmod_mat_init(C->minor, C->r, C->r, p);
    C->acc = p < FAST_PRIME && C->obj != GENRANK_NET_JACOBIAN
             ? flint_calloc(FLINT_MAX(C->r * C->r, 1), sizeof(ulong)) : NULL;
    C->pending = 0;
}

static void
chk_clear(nchk_t *C)
{
    slong l;
    if (C->W != NULL)
    {
        for (l = 1; l <= C->net->L; l++)
        {
            nmod_mat_clear(C->W + l);
            nmod_mat_clear(C->Wt + l);
        }
        nmod_mat_clear(C->minor);
    }
    flint_free(C->W);
    flint_free(C->Wt);
    flint_free(C->b);
    flint_free(C->X);
    flint_free(C->Y);
    flint_free(C->c);
    flint_free(C->dc);
    flint_free(C->ddc);
    flint_free(C->pos);
    flint_free(C->pc);
    flint_free(C->pr);
    flint_free(C->acc);
    flint_free(C->rows);
    flint_free(C->cols);
}

/* One input's passes: z_l and h_l (vectors), s'(z_l), s''(z_l), and
   the tangents dz_l (M_l x r) and dh_l (h_0's tangent is 0). */
typedef struct {
    ulong **z, **h, **d1, **d2;
    nmod_mat_struct *dz, *dh;
} pass_t;

static void
pass_init(pass_t *S, const nchk_t *C)
{
    const genrank_net_struct *net = C->net;
    slong l, L = net->L;
    S->z = flint_calloc(L + 1, sizeof(ulong *));
    S->h = flint_calloc(L + 1, sizeof(ulong *));
    S->d1 = flint_calloc(L + 1, sizeof(ulong *));
    S->d2 = flint_calloc(L + 1, sizeof(ulong *));
    S->dz = flint_malloc((L + 1) * sizeof(nmod_mat_struct));
    S->dh = flint_malloc((L + 1) * sizeof(nmod_mat_struct));
    for (l = 0; l <= L; l++)
    {
        S->z[l] = flint_calloc(net->M[l], sizeof(ulong));
        S->h[l] = flint_calloc(net->M[l], sizeof(ulong));
        S->d1[l] = flint_calloc(net->M[l], sizeof(ulong));
        S->d2[l] = flint_calloc(net->M[l], sizeof(ulong));
        nmod_mat_init(S->dz + l, net->M[l], C->r, C->mod.n);
        nmod_mat_init(S->dh + l, net->M[l], C->r, C->mod.n);
    }
}

static void
pass_clear(pass_t *S, const nchk_t *C)
{
    slong l;
    for (l = 0; l <= C->net->L; l++)
    {
        flint_free(S->z[l]);
        flint_free(S->h[l]);
        flint_free(S->d1[l]);
        flint_free(S->d2[l]);
        nmod_mat_clear(S->dz + l);
        nmod_mat_clear(S->dh + l);
    }
    flint_free(S->z);
    flint_free(S->h);
    flint_free(S->d1);
    flint_free(S->d2);
    flint_free(S->dz);
    flint_free(S->dh);
}

/* The forward pass at input i with the r column tangents. */
static void
forward(pass_t *S, const nchk_t *C, slong i)
{
    const genrank_net_struct *net = C->net;
    slong L = net->L, l, a, c, t, bo = 0, ho = 0;
    nmod_t mod = C->mod;
    memcpy(S->h[0], C->X + i * net->M[0], net->M[0] * sizeof(ulong));
    nmod_mat_zero(S->dh + 0);
    for (l = 1; l <= L; l++)
    {
        for (a = 0; a < net->M[l]; a++)
        {
            ulong s = net->bias ? C->b[bo + a] : 0;
            for (c = 0; c < net->M[l - 1]; c++)
                s = nmod_add(s, nmod_mul(nmod_mat_entry(C->W + l, a, c), S->h[l - 1][c], mod), mod);
            S->z[l][a] = s;
        }
        nmod_mat_mul(S->dz + l, C->W + l, S->dh + l - 1);
        for (t = 0; t < C->r; t++)      /* the tangent's own entry */
            if (C->pc[t].l == l)
            {
                ulong *x = &nmod_mat_entry(S->dz + l, C->pc[t].a, t);
                *x = nmod_add(*x, C->pc[t].bias ? 1 : S->h[l - 1][C->pc[t].c], mod);
            }
        bo += net->M[l];
        if (l == L)
            break;
        for (a = 0; a < net->M[l]; a++)
        {
            ulong z = S->z[l][a];
            if (net->act == GENRANK_NET_LINEAR)
                S->h[l][a] = z, S->d1[l][a] = 1, S->d2[l][a] = 0;
            else if (net->act == GENRANK_NET_RELU)
            {
                int on = C->pos[i * C->hid + ho + a];
                S->h[l][a] = on ? z : 0, S->d1[l][a] = on, S->d2[l][a] = 0;
            }
            else
            {
                S->h[l][a] = _nmod_poly_evaluate_nmod(C->c, net->len, z, mod);
                S->d1[l][a] = _nmod_poly_evaluate_nmod(C->dc, net->len, z, mod);
                S->d2[l][a] = _nmod_poly_evaluate_nmod(C->ddc, net->len, z, mod);
            }
            if (S->d1[l][a] <= 1)      /* linear, ReLU: a copy or zeros */
                for (t = 0; t < C->r; t++)
                    nmod_mat_entry(S->dh + l, a, t) = S->d1[l][a] ? nmod_mat_entry(S->dz + l, a, t) : 0;
            else
                for (t = 0; t < C->r; t++)
                    nmod_mat_entry(S->dh + l, a, t) = nmod_mul(S->d1[l][a], nmod_mat_entry(S->dz + l, a, t), mod);
        }
        ho += net->M[l];
    }
}

/* Jacobian: the minor's rows of input i (rows i K + k). */
static void
minor_jacobian(nchk_t *C, pass_t *S, slong i)
{
    slong K = C->net->M[C->net->L], s, t;
    for (s = 0; s < C->r; s++)
        if (C->rows[s] / K == i)
            for (t = 0; t < C->r; t++)
                nmod_mat_entry(C->minor, s, t) = nmod_mat_entry(S->dz + C->net->L, C->rows[s] % K, t);
}

/* minor += acc reduced; acc = 0. */
static void
flush_acc(nchk_t *C)
{
    slong s, t;
    if (C->acc == NULL || C->pending == 0)
        return;
    for (s = 0; s < C->r; s++)
        for (t = 0; t < C->r; t++)
        {
            ulong *x = &nmod_mat_entry(C->minor, s, t);
            C->acc[s * C->r + t] %= C->mod.n;
            *x = nmod_add(*x, C->acc[s * C->r + t], C->mod);
            C->acc[s * C->r + t] = 0;
        }
    C->pending = 0;
}

/* Hessians: the reverse pass of e . F with duals, added to the minor. */
static void
minor_hessian(nchk_t *C, pass_t *S, slong i)
{
    const genrank_net_struct *net = C->net;
    slong L = net->L, K = net->M[L], l, a, c, s, t, mw = 1;
    nmod_t mod = C->mod;
    ulong *g, *gb;
    nmod_mat_t dg, dgb;
    int prim = C->obj != GENRANK_NET_HOUTER, tang = C->obj != GENRANK_NET_HFUNC;
    for (l = 0; l <= L; l++)
        mw = FLINT_MAX(mw, net->M[l]);
    g = flint_calloc(mw, sizeof(ulong));
    gb = flint_calloc(mw, sizeof(ulong));
    nmod_mat_init(dg, K, C->r, mod.n);
    for (a = 0; a < K; a++)
    {
        g[a] = prim ? nmod_sub(S->z[L][a], C->Y[i * K + a], mod) : 0;
        for (t = 0; t < C->r; t++)
            nmod_mat_entry(dg, a, t) = tang ? nmod_mat_entry(S->dz + L, a, t) : 0;
    }
    for (l = L; l >= 1; l--)
    {
        /* rows of layer l: d/dW_l[a,c] = g[a] h[c], d/db_l[a] = g[a] */
        for (s = 0; s < C->r; s++)
            if (C->pr[s].l == l && C->acc != NULL)
            {
                /* raw sums, reduced every FAST_INPUTS inputs */
                const par_t *q = C->pr + s;
                const ulong *dgr = dg->rows[q->a];
                ulong *acc = C->acc + s * C->r;
                if (q->bias)
                    for (t = 0; t < C->r; t++)
                        acc[t] += dgr[t];
                else
                {
                    const ulong *dhr = S->dh[l - 1].rows[q->c];
                    ulong hc = S->h[l - 1][q->c], ga = g[q->a];
                    for (t = 0; t < C->r; t++)
                        acc[t] += dgr[t] * hc + ga * dhr[t];
                }
            }
            else if (C->pr[s].l == l)
            {
                const par_t *q = C->pr + s;
                for (t = 0; t < C->r; t++)
                {
                    ulong v = nmod_mat_entry(dg, q->a, t), *x = &nmod_mat_entry(C->minor, s, t);
                    if (!q->bias)
                        v = nmod_add(nmod_mul(v, S->h[l - 1][q->c], mod),
                                     nmod_mul(g[q->a], nmod_mat_entry(S->dh + l - 1, q->c, t), mod), mod);
                    *x = nmod_add(*x, v, mod);
                }
            }
        if (l == 1)
            break;
        /* adjoint of h_(l-1) and its tangent (W_l's own tangent included) */
        nmod_mat_init(dgb, net->M[l - 1], C->r, mod.n);
        nmod_mat_mul(dgb, C->Wt + l, dg);
        for (c = 0; c < net->M[l - 1]; c++)
        {
            ulong v = 0;
            for (a = 0; a < net->M[l]; a++)
                v = nmod_add(v, nmod_mul(nmod_mat_entry(C->W + l, a, c), g[a], mod), mod);
            gb[c] = v;
        }
        for (t = 0; t < C->r; t++)
            if (C->pc[t].l == l && !C->pc[t].bias)
            {
                ulong *x = &nmod_mat_entry(dgb, C->pc[t].c, t);
                *x = nmod_add(*x, g[C->pc[t].a], mod);
            }
        nmod_mat_clear(dg);
        nmod_mat_init(dg, net->M[l - 1], C->r, mod.n);
        for (c = 0; c < net->M[l - 1]; c++)
        {
            g[c] = nmod_mul(S->d1[l - 1][c], gb[c], mod);
            if (S->d1[l - 1][c] <= 1 && S->d2[l - 1][c] == 0)   /* linear, ReLU */
            {
                for (t = 0; t < C->r; t++)
                    nmod_mat_entry(dg, c, t) = S->d1[l - 1][c] ? nmod_mat_entry(dgb, c, t) : 0;
                continue;
            }
            for (t = 0; t < C->r; t++)
                nmod_mat_entry(dg, c, t) = nmod_add(
                    nmod_mul(S->d1[l - 1][c], nmod_mat_entry(dgb, c, t), mod),
                    nmod_mul(nmod_mul(S->d2[l - 1][c], gb[c], mod), nmod_mat_entry(S->dz + l - 1, c, t), mod),
                    mod);
        }
        nmod_mat_clear(dgb);
    }
    nmod_mat_clear(dg);
    flint_free(g);
    flint_free(gb);
    if (C->acc != NULL && ++C->pending == FAST_INPUTS)
        flush_acc(C);
}

static int
minor_row(ulong *out, slong s, void *ctx, genrank_err_t *err)
{
    nchk_t *C = ctx;
    slong t;
    for (t = 0; t < C->r; t++)
        out[t] = nmod_mat_entry(C->minor, s, t);
    return 1;
}

static void
build_minor(nchk_t *C)
{
    pass_t S;
    slong i, K = C->net->M[C->net->L], s;
    unsigned char *need = NULL;
    pass_init(&S, C);
    if (C->obj == GENRANK_NET_JACOBIAN)
    {
        need = flint_calloc(C->net->n, 1);
        for (s = 0; s < C->r; s++)
            need[C->rows[s] / K] = 1;
    }
    for (i = 0; i < C->net->n; i++)
    {
        if (need != NULL && !need[i])
            continue;
        forward(&S, C, i);
        if (C->obj == GENRANK_NET_JACOBIAN)
            minor_jacobian(C, &S, i);
        else
            minor_hessian(C, &S, i);
    }
    flush_acc(C);
    flint_free(need);
    pass_clear(&S, C);
}

/* err's message kept, its code changed. */
static int
recode(genrank_err_t *err, int code)
{
    char msg[sizeof err->msg];
    memcpy(msg, err->msg, sizeof msg);
    return genrank_err_set(err, code, "%s", msg);
}

/* The architecture fields against the point's shapes. */
static int
read_header(nchk_t *C, const json_t *root, genrank_err_t *err)
{
    genrank_net_struct *net = C->net;
    const json_t *o = json_object_get(root, "object"), *a = json_object_get(root, "activation");
    const json_t *w = json_object_get(root, "widths"), *b = json_object_get(root, "bias");
    const char *an = json_is_string(a) ? json_string_value(a) : "";
    slong l, v;
    int rc;
    C->obj = json_is_string(o) ? genrank_net_object_parse(json_string_value(o)) : -1;
    if (C->obj < 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"object\" must be \"jacobian\", "
                               "\"hessian-outer\", \"hessian-functional\" or \"hessian-loss\"");
    if (!strcmp(an, "linear"))
        net->act = GENRANK_NET_LINEAR;
    else if (!strcmp(an, "relu"))
        net->act = GENRANK_NET_RELU;
    else if (!strcmp(an, "poly"))
    {
        const json_t *cf = json_object_get(root, "coeffs");
        net->act = GENRANK_NET_POLY;
        if (!json_is_array(cf) || json_array_size(cf) < 1 || json_array_size(cf) > 64)
            return genrank_err_set(err, GENRANK_EFORMAT, "\"coeffs\" must be an array of 1 to 64 "
                                   "rationals");
        net->len = (slong) json_array_size(cf);
        net->coeffs = _fmpq_vec_init(net->len);
        if ((rc = _genrank_json_rational_list(net->coeffs, cf, net->len, "\"coeffs\"", err)) != 0)
            return rc;
    }
    else if (_genrank_net_named_read(&net->phi, an))
        net->act = GENRANK_NET_NAMED;
    else
        return genrank_err_set(err, GENRANK_EFORMAT, "\"activation\" must be \"linear\", \"relu\", "
                               "\"poly\" or one of %s", genrank_net_named_list());
    if ((rc = _genrank_net_read_point(net, json_object_get(root, "point"), "\"point\"", err)) != 0)
        return recode(err, GENRANK_EFORMAT);
    if (!json_is_array(w) || (slong) json_array_size(w) != net->L + 1)
        return genrank_err_set(err, GENRANK_EINVALID, "\"widths\" does not match the point's "
                               "%ld layers", (long) net->L);
    for (l = 0; l <= net->L; l++)
        if (_genrank_json_slong(&v, json_array_get(w, l), 1, GENRANK_NET_WIDTH_MAX) != 0 || v != net->M[l])
            return genrank_err_set(err, GENRANK_EINVALID, "\"widths\"[%ld] does not match the "
                                   "point's shapes", (long) l);
    if (!json_is_boolean(b) || json_is_true(b) != net->bias)
        return genrank_err_set(err, GENRANK_EINVALID, "\"bias\" does not match the point "
                               "(\"biases\" %s)", net->bias ? "present" : "absent");
    if (_genrank_json_slong(&v, json_object_get(root, "n"), 1, GENRANK_NET_N_MAX) != 0 || v != net->n)
        return genrank_err_set(err, GENRANK_EINVALID, "\"n\" does not match the point's inputs");
    if (_genrank_json_slong(&v, json_object_get(root, "params"), 1, CHECK_SIZE_MAX) != 0 || v != net->P)
        return genrank_err_set(err, GENRANK_EINVALID, "\"params\" is not the number of parameters, "
                               "%ld", (long) net->P);
    return 0;
}

/* The recorded prediction and "exact" against the checker's own. */
static int
check_prediction(const nchk_t *C, const json_t *root, genrank_verify_info_t *info,
                 genrank_err_t *err)
{
    genrank_net_facts_t f;
    genrank_net_prediction_t pr;
    const json_t *p = json_object_get(root, "prediction"), *pv, *ex = json_object_get(root, "exact");
    const char *st;
    genrank_net_facts(&f, C->net);
    genrank_net_predict(&pr, C->net, &f, C->obj);
    if (!json_is_object(p))
        return genrank_err_set(err, GENRANK_EFORMAT, "\"prediction\" must be an object");
    pv = json_object_get(p, "predicted");
    st = json_string_value(json_object_get(p, "status"));
    if ((pr.predicted < 0 ? !json_is_null(pv) : (!json_is_integer(pv) || json_integer_value(pv) != pr.predicted))
        || st == NULL || strcmp(st, pr.status) != 0)
        return genrank_err_set(err, GENRANK_EINVALID, "\"prediction\" is not seed 001's for this "
                               "network and point (recomputed: %ld, %s)", (long) pr.predicted, pr.status);
    if (!json_is_integer(json_object_get(p, "bound"))
        || json_integer_value(json_object_get(p, "bound")) != pr.bound)
        return genrank_err_set(err, GENRANK_EINVALID, "\"prediction\".\"bound\" is not %ld (%s)",
                               (long) pr.bound, pr.bound_source);
    {
        const char *src = json_string_value(json_object_get(p, "source"));
        const char *bsrc = json_string_value(json_object_get(p, "bound_source"));
        if (src == NULL || strcmp(src, pr.source) != 0 || bsrc == NULL || strcmp(bsrc, pr.bound_source) != 0)
            return genrank_err_set(err, GENRANK_EINVALID, "\"prediction\" names sources that are not "
                                   "those recomputed (\"%s\"; bound: \"%s\")", pr.source, pr.bound_source);
    }
    if (C->r > pr.bound)
        return genrank_err_set(err, GENRANK_EINVALID, "the certified rank %ld exceeds the bound %ld "
                               "proved for every point (%s): the certificate contradicts a theorem",
                               (long) C->r, (long) pr.bound, pr.bound_source);
    if (!json_is_boolean(ex) || json_is_true(ex) != (C->r == pr.bound))
        return genrank_err_set(err, GENRANK_EINVALID, "\"exact\" must be %s (rank %ld, proved "
                               "bound %ld)", C->r == pr.bound ? "true" : "false", (long) C->r,
                               (long) pr.bound);
    if (info == NULL)
        return 0;
    if (pr.predicted >= 0)
        snprintf(info->predicted, sizeof info->predicted, "%ld", (long) pr.predicted);
    snprintf(info->theorem, sizeof info->theorem, "%s", pr.status);
    if (C->r == pr.bound)
    {
        snprintf(info->corrected, sizeof info->corrected, "%ld", (long) pr.bound);
        snprintf(info->corrected_source, sizeof info->corrected_source, "%.127s", pr.bound_source);
    }
    return 0;
}

/* The witness's rows and columns, and their parameters. */
static int
read_minor(nchk_t *C, const json_t *w, slong R, genrank_err_t *err)
{
    slong s;
    int rc;
    C->rows = flint_malloc(FLINT_MAX(C->r, 1) * sizeof(slong));
    C->cols = flint_malloc(FLINT_MAX(C->r, 1) * sizeof(slong));
    if ((rc = _genrank_json_indices(C->rows, json_object_get(w, "rows"), C->r, R, "witness rows", err)) != 0
        || (rc = _genrank_json_indices(C->cols, json_object_get(w, "cols"), C->r, C->net->P,
                                       "witness cols", err)) != 0)
        return rc;
    C->pc = flint_malloc(FLINT_MAX(C->r, 1) * sizeof(par_t));
    C->pr = flint_malloc(FLINT_MAX(C->r, 1) * sizeof(par_t));
    for (s = 0; s < C->r; s++)
    {
        par_decode(C->pc + s, C->cols[s], C->net);
        if (C->obj != GENRANK_NET_JACOBIAN)
            par_decode(C->pr + s, C->rows[s], C->net);
        else
            C->pr[s].l = -1;
    }
    return 0;
}

/* The ball route's witness: the minor in ball arithmetic at the recorded
   precision, its determinant a ball excluding 0 that overlaps "det". */
static int
check_ball(nchk_t *C, const json_t *w, slong R, const genrank_verify_opts_t *opts,
           genrank_err_t *err)
{
    double need, have = _genrank_check_memory(opts);
    char b1[32], b2[32];
    arb_t det;
    int rc;
    if (_genrank_json_slong(&C->prec, json_object_get(w, "precision"), 2, WORD(1) << 24) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"precision\" must be an integer in "
                               "[2, 2^24]");
    if ((rc = _genrank_check_precision(C->prec, opts, err)) != 0)
        return rc;
    if (json_object_get(w, "prime") != NULL || json_object_get(w, "det_mod_p") != NULL)
        return genrank_err_set(err, GENRANK_EFORMAT, "a ball-route witness has no \"prime\" or "
                               "\"det_mod_p\"");
    need = _genrank_minor_bytes_arb(C->r, C->prec)
           + (double) (sizeof(arb_struct) + C->prec / 8 + 16)
             * (4.0 * C->r * (C->net->P + 4 * C->net->M[0]) + 2.0 * C->net->nw
                + (C->net->P - C->net->nw) + (double) C->net->n * (C->net->M[0] + C->net->M[C->net->L]));
    if (need > have)
        return genrank_err_set(err, GENRANK_ENOMEM, "rebuilding the %ld x %ld minor at %ld bits "
                               "needs about %s but only %s is available or allowed", (long) C->r,
                               (long) C->r, (long) C->prec, _genrank_bytes_str(b1, need),
                               _genrank_bytes_str(b2, have));
    if ((rc = read_minor(C, w, R, err)) != 0)
        return rc;
    arb_init(det);
    _genrank_net_minor_det_arb(det, C->net, C->obj, C->rows, C->pc, C->pr, C->r, C->prec);
    /* the prover's midpoint is within 2^-16 of the true value (its ball
       had 16 bits of relative accuracy), this ball contains the true
       value: 2^-10 leaves room */
    rc = _genrank_ball_witness_check_tol(det, w, C->prec, 10, err);
    arb_clear(det);
    return rc;
}

static int
check_witness(nchk_t *C, const json_t *root, const genrank_verify_opts_t *opts,
              genrank_err_t *err)
{
    const json_t *w = json_object_get(root, "witness");
    slong R = C->obj == GENRANK_NET_JACOBIAN ? C->net->n * C->net->M[C->net->L] : C->net->P;
    slong v;
    ulong p, want, det;
    char b1[32], b2[32];
    double need, have = _genrank_check_memory(opts);
    int rc, named;
    if (!json_is_array(json_object_get(root, "shape"))
        || _genrank_json_slong(&v, json_array_get(json_object_get(root, "shape"), 0), 0, CHECK_SIZE_MAX) != 0
        || v != R || _genrank_json_slong(&v, json_array_get(json_object_get(root, "shape"), 1), 0,
                                         CHECK_SIZE_MAX) != 0 || v != C->net->P)
        return genrank_err_set(err, GENRANK_EINVALID, "\"shape\" must be [%ld, %ld]", (long) R,
                               (long) C->net->P);
    if (_genrank_json_slong(&C->r, json_object_get(root, "rank"), 0, FLINT_MIN(R, C->net->P)) != 0)
        return genrank_err_set(err, GENRANK_EINVALID, "\"rank\" must be an integer in [0, %ld]",
                               (long) FLINT_MIN(R, C->net->P));
    named = C->net->act == GENRANK_NET_NAMED;
    if (!json_is_object(w) || _genrank_json_route(w) != named)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"witness\" must be an object with route "
                               "\"%s\" (%s)", named ? "ball" : "exact",
                               named ? "a named activation" : "linear, relu and poly");
    if (named)
        return check_ball(C, w, R, opts, err);
    if (_genrank_json_ulong(&p, json_object_get(w, "prime")) != 0 || p < 3 || !n_is_prime(p))
        return genrank_err_set(err, GENRANK_EINVALID, "witness prime is not an odd prime");
    if (!denominators_ok(C->net, p))
        return genrank_err_set(err, GENRANK_EINVALID, "the prime %lu divides a denominator of the "
                               "point or of the coefficients", (unsigned long) p);
    if (_genrank_json_ulong(&want, json_object_get(w, "det_mod_p")) != 0 || want >= p)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"det_mod_p\" must be a residue modulo p");
    need = _genrank_minor_bytes_mod(C->r, p) + 8.0 * C->r * C->r
           + 48.0 * C->r * (C->net->P + 4 * C->net->M[0]);
    if (need > have)
        return genrank_err_set(err, GENRANK_ENOMEM, "rebuilding the %ld x %ld minor needs about %s "
                               "but only %s is available or allowed", (long) C->r, (long) C->r,
                               _genrank_bytes_str(b1, need), _genrank_bytes_str(b2, have));
    if ((rc = read_minor(C, w, R, err)) != 0)
        return rc;
    if ((rc = genrank_net_relu_check(C->net, err)) != 0)
        return recode(err, GENRANK_EINVALID);
    chk_setup(C, p);
    build_minor(C);
    if ((rc = _genrank_minor_det_mod(&det, C->r, C->mod, minor_row, C, err)) != 0)
        return rc;
    return _genrank_minor_check_mod(det, want, err);
}

int
_genrank_check_network(const json_t *root, const genrank_verify_opts_t *opts,
                       genrank_verify_info_t *info, genrank_err_t *err)
{
    genrank_net_t net;
    nchk_t C;
    int rc;
    genrank_net_init(net);
    memset(&C, 0, sizeof C);
    C.net = net;
    if ((rc = read_header(&C, root, err)) == 0 && (rc = check_witness(&C, root, opts, err)) == 0)
        rc = check_prediction(&C, root, info, err);
    if (rc == 0 && info != NULL)
    {
        info->network = 1;
        info->m = net->L;
        info->d = net->M[0];
        info->n = net->n;
        info->rank = C.r;
        if (C.prec > 0)
        {
            info->prime[0] = 0;
            info->precision = C.prec;
        }
        else
            snprintf(info->prime, sizeof info->prime, "%lu", (unsigned long) C.mod.n);
        snprintf(info->route, sizeof info->route, C.prec > 0 ? "ball" : "exact");
        snprintf(info->status, sizeof info->status, "%s", info->corrected[0] ? "exact" : "lower bound");
        snprintf(info->activation, sizeof info->activation, "%s", genrank_net_activation(net));
        snprintf(info->object, sizeof info->object, "%s", genrank_net_object_name(C.obj));
    }
    chk_clear(&C);
    genrank_net_clear(net);
    return rc;
}
