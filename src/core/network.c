/* Fully connected networks (doc/networks.md): what the prover and the
   checker share -- the architecture, the point's reader, the exact
   forward pass over Q (ReLU's signs, the residuals), the facts the
   formulas need and seed 001's formulas themselves (the checker
   recomputes a certificate's prediction).  Derivatives are not here:
   the prover builds them in prove/network.c, the checker in
   check/network.c, by different methods. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include <flint/fmpq_vec.h>
#include <flint/fmpq_mat.h>
#include <flint/fmpz_mat.h>
#include <arb_mat.h>
#include "core.h"

void
genrank_net_init(genrank_net_t net)
{
    memset(net, 0, sizeof(genrank_net_struct));
}

void
genrank_net_clear(genrank_net_t net)
{
    if (net->W != NULL)
        _fmpq_vec_clear(net->W, net->nw);
    if (net->b != NULL)
        _fmpq_vec_clear(net->b, net->P - net->nw);
    if (net->X != NULL)
        _fmpq_vec_clear(net->X, net->n * net->M[0]);
    if (net->Y != NULL)
        _fmpq_vec_clear(net->Y, net->n * net->M[net->L]);
    if (net->coeffs != NULL)
        _fmpq_vec_clear(net->coeffs, net->len);
    memset(net, 0, sizeof(genrank_net_struct));
}

int
genrank_net_setup(genrank_net_t net, slong L, const slong *M, int bias, slong n,
                  genrank_err_t *err)
{
    slong l, nw = 0, nb = 0;
    double bytes;
    fmpq *c = net->coeffs;
    slong len = net->len;
    int act = net->act;
    genrank_phi_t phi = net->phi;
    if (L < 1 || L > GENRANK_NET_LMAX)
        return genrank_err_set(err, GENRANK_EINVAL, "the network must have 1 to %d layers "
                               "(--widths d,M_1,...,K: 2 to %d widths)", GENRANK_NET_LMAX,
                               GENRANK_NET_LMAX + 1);
    for (l = 0; l <= L; l++)
        if (M[l] < 1 || M[l] > GENRANK_NET_WIDTH_MAX)
            return genrank_err_set(err, GENRANK_EINVAL, "width %ld is %ld: each width must be in "
                                   "[1, %d]", (long) l, (long) M[l], GENRANK_NET_WIDTH_MAX);
    for (l = 1; l <= L; l++)
    {
        nw += M[l] * M[l - 1];
        nb += M[l];
        if (nw + nb > GENRANK_NET_PARAMS_MAX)
            return genrank_err_set(err, GENRANK_EINVAL, "the network has more than %d "
                                   "parameters", GENRANK_NET_PARAMS_MAX);
    }
    if (n < 1 || n > GENRANK_NET_N_MAX)
        return genrank_err_set(err, GENRANK_EINVAL, "the number of inputs must be in [1, %d]",
                               GENRANK_NET_N_MAX);
    bytes = 64.0 * ((double) nw + nb + (double) n * (M[0] + M[L]));
    if (bytes > 0.5 * (double) genrank_memory_available())
        return genrank_err_set(err, GENRANK_ENOMEM, "the point would take more than half the "
                               "memory available");
    net->coeffs = NULL;
    genrank_net_clear(net);
    net->coeffs = c;
    net->len = len;
    net->act = act;
    net->phi = phi;
    net->L = L;
    memcpy(net->M, M, (L + 1) * sizeof(slong));
    net->bias = bias != 0;
    net->n = n;
    net->nw = nw;
    net->P = nw + (bias ? nb : 0);
    net->W = _fmpq_vec_init(nw);
    if (bias)
        net->b = _fmpq_vec_init(nb);
    net->X = _fmpq_vec_init(n * M[0]);
    net->Y = _fmpq_vec_init(n * M[L]);
    return 0;
}

slong
genrank_net_woff(const genrank_net_t net, slong l)
{
    slong k, o = 0;
    for (k = 1; k < l; k++)
        o += net->M[k] * net->M[k - 1];
    return o;
}

slong
genrank_net_boff(const genrank_net_t net, slong l)
{
    slong k, o = 0;
    for (k = 1; k < l; k++)
        o += net->M[k];
    return o;
}

static const char *object_names[GENRANK_NET_NOBJECTS] = {
    "jacobian", "hessian-outer", "hessian-functional", "hessian-loss"};

const char *
genrank_net_object_name(int obj)
{
    return obj >= 0 && obj < GENRANK_NET_NOBJECTS ? object_names[obj] : "?";
}

int
genrank_net_object_parse(const char *s)
{
    int k;
    for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
        if (strcmp(s, object_names[k]) == 0)
            return k;
    return -1;
}

const char *
genrank_net_act_name(int act)
{
    return act == GENRANK_NET_LINEAR ? "linear" : act == GENRANK_NET_RELU ? "relu" : "poly";
}

static const struct { const char *name; genrank_phi_t phi; } named[] = {
    {"tanh", GENRANK_PHI_TANH}, {"sigmoid", GENRANK_PHI_SIGMOID},
    {"softplus", GENRANK_PHI_SOFTPLUS}, {"silu", GENRANK_PHI_SILU},
    {"gelu", GENRANK_PHI_GELU}, {"erf", GENRANK_PHI_ERF}, {"arctan", GENRANK_PHI_ARCTAN},
    {"sin", GENRANK_PHI_SIN}, {"cos", GENRANK_PHI_COS}, {"exp", GENRANK_PHI_EXP},
    {"sinh", GENRANK_PHI_SINH}, {"cosh", GENRANK_PHI_COSH}};

int
genrank_net_named_parse(genrank_phi_t *phi, const char *s)
{
    size_t k;
    for (k = 0; k < sizeof named / sizeof named[0]; k++)
        if (strcmp(s, named[k].name) == 0)
        {
            *phi = named[k].phi;
            return 0;
        }
    return GENRANK_EINVAL;
}

const char *
genrank_net_named_list(void)
{
    return "tanh, sigmoid, softplus, silu, gelu, erf, arctan, sin, cos, exp, sinh, cosh";
}

const char *
genrank_net_activation(const genrank_net_t net)
{
    size_t k;
    if (net->act != GENRANK_NET_NAMED)
        return genrank_net_act_name(net->act);
    for (k = 0; k < sizeof named / sizeof named[0]; k++)
        if (named[k].phi == net->phi)
            return named[k].name;
    return "?";
}

/* ---- the point's reader --------------------------------------------- */

/* rows x cols numbers of a (an array of rows arrays) into v; name and
   the outer index (or -1) in messages. */
static int
read_matrix(fmpq *v, const json_t *a, slong rows, slong cols, const char *where,
            const char *name, slong outer, genrank_err_t *err)
{
    slong i, j;
    char lab[64];
    fmpq_t im;
    if (outer >= 0)
        snprintf(lab, sizeof lab, "\"%s\"[%ld]", name, (long) outer);
    else
        snprintf(lab, sizeof lab, "\"%s\"", name);
    if (!json_is_array(a) || (slong) json_array_size(a) != rows)
        return genrank_err_set(err, GENRANK_EINVAL, "%.200s: %s must be an array of %ld rows",
                               where, lab, (long) rows);
    fmpq_init(im);
    for (i = 0; i < rows; i++)
    {
        const json_t *r = json_array_get(a, i);
        if (!json_is_array(r) || (slong) json_array_size(r) != cols)
        {
            fmpq_clear(im);
            return genrank_err_set(err, GENRANK_EINVAL, "%.200s: %s, row %ld: must be an array "
                                   "of %ld numbers (every row alike)", where, lab, (long) i + 1,
                                   (long) cols);
        }
        for (j = 0; j < cols; j++)
            if (_genrank_json_gauss(v + i * cols + j, im, json_array_get(r, j)) != 0
                || !fmpq_is_zero(im) || json_is_array(json_array_get(r, j)))
            {
                fmpq_clear(im);
                return genrank_err_set(err, GENRANK_EINVAL, "%.200s: %s, row %ld, entry %ld: not "
                                       "a number (an integer, or a string holding a decimal or "
                                       "p/q such as \"-5/2\")", where, lab, (long) i + 1,
                                       (long) j + 1);
            }
    }
    fmpq_clear(im);
    return 0;
}

/* The widths from "weights" (and "inputs" for d when there is no layer). */
static int
read_shapes(slong *L, slong *M, slong *n, const json_t *root, const char *where,
            genrank_err_t *err)
{
    const json_t *w = json_object_get(root, "weights"), *x = json_object_get(root, "inputs");
    slong l;
    if (!json_is_array(w) || json_array_size(w) < 1 || json_array_size(w) > GENRANK_NET_LMAX)
        return genrank_err_set(err, GENRANK_EINVAL, "%.200s: \"weights\" must be an array of 1 to "
                               "%d matrices", where, GENRANK_NET_LMAX);
    *L = (slong) json_array_size(w);
    for (l = 1; l <= *L; l++)
    {
        const json_t *m = json_array_get(w, l - 1), *r0;
        if (!json_is_array(m) || json_array_size(m) < 1 || !json_is_array(r0 = json_array_get(m, 0))
            || json_array_size(r0) < 1)
            return genrank_err_set(err, GENRANK_EINVAL, "%.200s: \"weights\"[%ld] must be a "
                                   "nonempty array of nonempty rows", where, (long) l - 1);
        M[l] = (slong) json_array_size(m);
        if (l == 1)
            M[0] = (slong) json_array_size(r0);
        else if ((slong) json_array_size(r0) != M[l - 1])
            return genrank_err_set(err, GENRANK_EINVAL, "%.200s: \"weights\"[%ld] has rows of %ld "
                                   "entries but \"weights\"[%ld] has %ld rows: W_l is M_l x M_(l-1)",
                                   where, (long) l - 1, (long) json_array_size(r0), (long) l - 2,
                                   (long) M[l - 1]);
    }
    if (!json_is_array(x) || json_array_size(x) < 1)
        return genrank_err_set(err, GENRANK_EINVAL, "%.200s: \"inputs\" must be a nonempty array "
                               "of inputs (each an array of d numbers)", where);
    *n = (slong) json_array_size(x);
    return 0;
}

int
_genrank_net_read_point(genrank_net_t net, const json_t *root, const char *where,
                        genrank_err_t *err)
{
    slong L = 0, M[GENRANK_NET_LMAX + 1], n = 0, l;
    const json_t *w, *b, *y;
    int rc;
    char name[32];
    if (!json_is_object(root))
        return genrank_err_set(err, GENRANK_EINVAL, "%.200s: the point must be a JSON object "
                               "{\"weights\": .., \"biases\": .., \"inputs\": .., \"targets\": ..}",
                               where);
    if ((rc = read_shapes(&L, M, &n, root, where, err)) != 0)
        return rc;
    b = json_object_get(root, "biases");
    if ((rc = genrank_net_setup(net, L, M, b != NULL && !json_is_null(b), n, err)) != 0)
        return rc;
    w = json_object_get(root, "weights");
    for (l = 1; l <= L; l++)
        if ((rc = read_matrix(net->W + genrank_net_woff(net, l), json_array_get(w, l - 1), M[l],
                              M[l - 1], where, "weights", l - 1, err)) != 0)
            return rc;
    if (net->bias)
    {
        if (!json_is_array(b) || (slong) json_array_size(b) != L)
            return genrank_err_set(err, GENRANK_EINVAL, "%.200s: \"biases\" must be an array of "
                                   "%ld vectors, one per layer", where, (long) L);
        for (l = 1; l <= L; l++)
        {
            json_t *wrap = json_array();
            json_array_append(wrap, json_array_get(b, l - 1));
            snprintf(name, sizeof name, "biases[%ld]", (long) l - 1);
            rc = read_matrix(net->b + genrank_net_boff(net, l), wrap, 1, M[l], where, name, -1, err);
            json_decref(wrap);
            if (rc != 0)
                return rc;
        }
    }
    if ((rc = read_matrix(net->X, json_object_get(root, "inputs"), n, M[0], where, "inputs", -1,
                          err)) != 0)
        return rc;
    y = json_object_get(root, "targets");
    if (y == NULL)
        return genrank_err_set(err, GENRANK_EINVAL, "%.200s: \"targets\" is missing (n arrays of K "
                               "numbers)", where);
    return read_matrix(net->Y, y, n, M[L], where, "targets", -1, err);
}

int
genrank_net_read_point_file(genrank_net_t net, const char *path, genrank_err_t *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    int rc;
    if (root == NULL)
        return genrank_err_set(err, je.line < 1 ? GENRANK_EIO : GENRANK_EINVAL,
                               "%.200s: line %d: %.120s", path, je.line, je.text);
    rc = _genrank_net_read_point(net, root, path, err);
    json_decref(root);
    return rc;
}

/* ---- the exact forward pass ------------------------------------------ */

static void
activate(fmpq_t h, const fmpq_t z, const genrank_net_t net)
{
    slong k;
    if (net->act == GENRANK_NET_LINEAR)
        fmpq_set(h, z);
    else if (net->act == GENRANK_NET_RELU)
    {
        if (fmpq_sgn(z) > 0)
            fmpq_set(h, z);
        else
            fmpq_zero(h);
    }
    else
    {
        fmpq_t t;
        fmpq_init(t);
        fmpq_zero(t);
        for (k = net->len - 1; k >= 0; k--)     /* Horner */
        {
            fmpq_mul(t, t, z);
            fmpq_add(t, t, net->coeffs + k);
        }
        fmpq_swap(h, t);
        fmpq_clear(t);
    }
}

static slong
max_width(const genrank_net_t net)
{
    slong l, m = 1;
    for (l = 0; l <= net->L; l++)
        m = FLINT_MAX(m, net->M[l]);
    return m;
}

void
genrank_net_forward(fmpq *z, fmpq *out, const genrank_net_t net, slong i)
{
    slong L = net->L, l, a, c, mw = max_width(net), zo = 0;
    fmpq *h = _fmpq_vec_init(mw), *g = _fmpq_vec_init(mw);
    fmpq_t t;
    fmpq_init(t);
    for (a = 0; a < net->M[0]; a++)
        fmpq_set(h + a, net->X + i * net->M[0] + a);
    for (l = 1; l <= L; l++)
    {
        const fmpq *W = net->W + genrank_net_woff(net, l);
        for (a = 0; a < net->M[l]; a++)
        {
            fmpq_zero(g + a);
            for (c = 0; c < net->M[l - 1]; c++)
                fmpq_addmul(g + a, W + a * net->M[l - 1] + c, h + c);
            if (net->bias)
                fmpq_add(g + a, g + a, net->b + genrank_net_boff(net, l) + a);
        }
        if (l == L)
            break;
        for (a = 0; a < net->M[l]; a++)
        {
            if (z != NULL)
                fmpq_set(z + zo + a, g + a);
            activate(h + a, g + a, net);
        }
        zo += net->M[l];
    }
    for (a = 0; a < net->M[L]; a++)
        fmpq_set(out + a, g + a);
    _fmpq_vec_clear(h, mw);
    _fmpq_vec_clear(g, mw);
    fmpq_clear(t);
}

static slong
hidden_count(const genrank_net_t net)
{
    slong l, s = 0;
    for (l = 1; l < net->L; l++)
        s += net->M[l];
    return s;
}

int
genrank_net_relu_check(const genrank_net_t net, genrank_err_t *err)
{
    slong H = hidden_count(net), K = net->M[net->L], i, j, l, a;
    fmpq *z, *out;
    int rc = 0;
    if (net->act != GENRANK_NET_RELU || H == 0)
        return 0;
    z = _fmpq_vec_init(H);
    out = _fmpq_vec_init(K);
    for (i = 0; i < net->n && rc == 0; i++)
    {
        genrank_net_forward(z, out, net, i);
        for (j = 0, l = 1; l < net->L && rc == 0; l++)
            for (a = 0; a < net->M[l] && rc == 0; a++, j++)
                if (fmpq_is_zero(z + j))
                    rc = genrank_err_set(err, GENRANK_EINVAL, "ReLU is not differentiable at this "
                                         "point: the pre-activation of layer %ld, neuron %ld is 0 "
                                         "at input %ld", (long) l, (long) a + 1, (long) i + 1);
    }
    _fmpq_vec_clear(z, H);
    _fmpq_vec_clear(out, K);
    return rc;
}

/* ---- facts and formulas ---------------------------------------------- */

/* Exact rank of an r x c rational matrix (rows cleared of denominators). */
static slong
qrank(const fmpq *v, slong r, slong c)
{
    fmpq_mat_t A;
    fmpz_mat_t N;
    fmpz *den;
    slong i, k;
    if (r == 0 || c == 0)
        return 0;
    fmpq_mat_init(A, r, c);
    fmpz_mat_init(N, r, c);
    den = _fmpz_vec_init(r);
    for (i = 0; i < r; i++)
        for (k = 0; k < c; k++)
            fmpq_set(fmpq_mat_entry(A, i, k), v + i * c + k);
    fmpq_mat_get_fmpz_mat_rowwise(N, den, A);
    k = fmpz_mat_rank(N);
    fmpq_mat_clear(A);
    fmpz_mat_clear(N);
    _fmpz_vec_clear(den, r);
    return k;
}

void
genrank_net_facts(genrank_net_facts_t *f, const genrank_net_t net)
{
    slong n = net->n, d = net->M[0], K = net->M[net->L], H = hidden_count(net), i, k, c;
    fmpq *xc = _fmpq_vec_init(n * d), *mean = _fmpq_vec_init(d), *om = _fmpq_vec_init(K * d);
    fmpq *z = _fmpq_vec_init(FLINT_MAX(H, 1)), *out = _fmpq_vec_init(K);
    fmpq_t t;
    fmpq_init(t);
    f->r = qrank(net->X, n, d);
    for (i = 0; i < n; i++)
        for (c = 0; c < d; c++)
            fmpq_add(mean + c, mean + c, net->X + i * d + c);
    fmpq_set_si(t, n, 1);
    for (c = 0; c < d; c++)
        fmpq_div(mean + c, mean + c, t);
    for (i = 0; i < n; i++)
        for (c = 0; c < d; c++)
            fmpq_sub(xc + i * d + c, net->X + i * d + c, mean + c);
    f->rc = qrank(xc, n, d);
    f->active = 0;
    if (net->act == GENRANK_NET_RELU && net->L == 2)
    {
        slong *on = flint_calloc(net->M[1], sizeof(slong));
        for (i = 0; i < n; i++)
        {
            genrank_net_forward(z, out, net, i);
            for (k = 0; k < net->M[1]; k++)
                on[k] |= fmpq_sgn(z + k) > 0;
        }
        for (k = 0; k < net->M[1]; k++)
            f->active += on[k];
        flint_free(on);
    }
    /* a named s has no exact forward pass past the first layer; s is
       used only by the linear formulas */
    for (i = 0; i < n && (net->act != GENRANK_NET_NAMED || net->L == 1); i++)
    {
        genrank_net_forward(NULL, out, net, i);
        for (k = 0; k < K; k++)
        {
            fmpq_sub(t, out + k, net->Y + i * K + k);
            for (c = 0; c < d; c++)
                fmpq_addmul(om + k * d + c, t, net->X + i * d + c);
        }
    }
    f->s = net->act != GENRANK_NET_NAMED || net->L == 1 ? qrank(om, K, d) : -1;
    _fmpq_vec_clear(xc, n * d);
    _fmpq_vec_clear(mean, d);
    _fmpq_vec_clear(om, K * d);
    _fmpq_vec_clear(z, FLINT_MAX(H, 1));
    _fmpq_vec_clear(out, K);
    fmpq_clear(t);
}

static void
set_pred(genrank_net_prediction_t *pr, slong v, const char *status, const char *source)
{
    pr->predicted = v;
    snprintf(pr->status, sizeof pr->status, "%s", status);
    snprintf(pr->source, sizeof pr->source, "%s", source);
}

/* A proved upper bound below the current one replaces it. */
static void
set_bound(genrank_net_prediction_t *pr, slong v, const char *source)
{
    if (v < pr->bound)
    {
        pr->bound = v;
        snprintf(pr->bound_source, sizeof pr->bound_source, "%s", source);
    }
}

/* Linear networks without bias (L >= 2). */
static void
predict_linear(genrank_net_prediction_t *pr, const genrank_net_t net, const genrank_net_facts_t *f,
               int obj)
{
    slong L = net->L, K = net->M[L], r = f->r, q = FLINT_MIN(r, K), Msum = 0, l, qh, ho;
    for (l = 1; l < L; l++)
    {
        q = FLINT_MIN(q, net->M[l]);
        Msum += net->M[l];
    }
    ho = q * (r + K - q);
    qh = FLINT_MIN(q, f->s);
    if (obj == GENRANK_NET_JACOBIAN || obj == GENRANK_NET_HOUTER)
    {
        set_pred(pr, ho, "proved", obj == GENRANK_NET_JACOBIAN
                 ? "Thm. 3 / Cor. 4 (rank J = rank H_o over R)" : "Prop. 2, Thm. 3, Cor. 4");
        set_bound(pr, ho, "Thm. 3 / Cor. 4: the generic rank q(r + K - q), q = min(r, M_1..M_(L-1), K)");
    }
    else if (obj == GENRANK_NET_HFUNC)
        set_pred(pr, 2 * qh * Msum + 2 * qh * f->s - L * qh * qh, "upper bound",
                 "Thm. 5 / Cor. 6: 2 q^ M + 2 q^ s - L q^2, q^ = min(q, s)");
    else if (q == K)
        set_pred(pr, 2 * q * Msum + q * (r + K) - L * q * q, "empirical",
                 "S7.3 (no bias, q = K): 2 K M - L K^2 + K (r + K)");
    else
        set_pred(pr, -1, "none", "seed 001 gives no formula for H_L without bias when q < K");
}

/* Linear networks with bias (L >= 2), r the rank of the centred inputs. */
static void
predict_bias(genrank_net_prediction_t *pr, const genrank_net_t net, const genrank_net_facts_t *f,
             int obj)
{
    slong L = net->L, K = net->M[L], r = f->rc, q = FLINT_MIN(r, K), Msum = 0, l, s1, qb;
    int bottleneck = 0;
    s1 = FLINT_MIN(r + 1, K);
    for (l = 1; l < L; l++)
    {
        q = FLINT_MIN(q, net->M[l]);
        Msum += net->M[l];
        bottleneck |= net->M[l] < s1;
    }
    qb = q * (r + K - q) + K;
    if (obj == GENRANK_NET_JACOBIAN || obj == GENRANK_NET_HOUTER)
        set_pred(pr, qb, "upper bound", "Thm. 12: q(r + K - q) + K, r of the centred inputs "
                 "(S7.2, S7.3: equal empirically)");
    else if (L == 2 && obj == GENRANK_NET_HFUNC)
        set_pred(pr, 2 * s1 * net->M[1], "empirical", "S7.2: 2 s' M_1, s' = min(r + 1, K)");
    else if (L == 2)
        set_pred(pr, 2 * s1 * (net->M[1] - q) + q * (K + r + 1) + K, "empirical",
                 "S7.2: 2 s'(M_1 - q) + q(K + r + 1) + K");
    else if (bottleneck)
        set_pred(pr, -1, "none", "seed 001 gives no formula with bias and a bottleneck "
                 "(some M_l < min(r + 1, K))");
    else if (obj == GENRANK_NET_HFUNC)
        set_pred(pr, 2 * s1 * Msum + 2 * s1 * s1 - L * s1 * s1 + (L - 2) * s1, "empirical",
                 "S7.3: 2 q' M + 2 q' s' - L q'^2 + (L - 2) q'");
    else
        set_pred(pr, 2 * s1 * Msum + s1 * (r + K) - L * s1 * s1 + L * s1, "empirical",
                 "S7.3: 2 q' M + q'(r + K) - L q'^2 + L q'");
}

void
genrank_net_predict(genrank_net_prediction_t *pr, const genrank_net_t net,
                    const genrank_net_facts_t *f, int obj)
{
    slong L = net->L, K = net->M[L], nK = net->n * K;
    pr->bound = net->P;
    snprintf(pr->bound_source, sizeof pr->bound_source, "P, the number of parameters");
    if (obj == GENRANK_NET_JACOBIAN || obj == GENRANK_NET_HOUTER)
        set_bound(pr, nK, "n K, the rows of J");
    /* F is linear in b_L, so H_f's K rows (and columns) on b_L are 0 (a
       fact for every s; applied to named s, whose certificates came with
       it, so that earlier certificates keep their recorded bounds) */
    if (obj == GENRANK_NET_HFUNC && net->bias && net->act == GENRANK_NET_NAMED)
        set_bound(pr, net->P - K, "P - K: F is linear in b_L, so H_f's rows on b_L are 0");
    set_pred(pr, -1, "none", "seed 001 gives no formula for this regime");
    if (L == 1)
    {
        /* F = W_1 x (+ b_1) is linear in the parameters: J = I_K (x) [X 1] */
        /* rank [X 1] = rank X_c + 1: centring is a column operation and 1
           is orthogonal to the centred columns */
        slong rx = net->bias ? f->rc + 1 : f->r;
        if (obj == GENRANK_NET_HFUNC)
        {
            set_pred(pr, 0, "proved", "F is linear in the parameters (one layer): H_f = 0");
            set_bound(pr, 0, "F is linear in the parameters: H_f = 0");
        }
        else
        {
            set_pred(pr, K * rx, "proved", "one layer: J = I_K (x) X (with bias [X 1]), rank K rank X");
            set_bound(pr, K * rx, "one layer: rank J = K rank X (with bias [X 1])");
        }
        return;
    }
    if (net->act == GENRANK_NET_LINEAR)
    {
        if (net->bias)
            predict_bias(pr, net, f, obj);
        else
            predict_linear(pr, net, f, obj);
        if (net->bias && (obj == GENRANK_NET_JACOBIAN || obj == GENRANK_NET_HOUTER))
            set_bound(pr, pr->predicted, "Thm. 12 (inputs centred by a change of parameters)");
    }
    else if (net->act == GENRANK_NET_RELU && L == 2 && !net->bias
             && (obj == GENRANK_NET_JACOBIAN || obj == GENRANK_NET_HOUTER))
    {
        slong m = f->active, v = f->r * m + m * K - m;
        set_pred(pr, v, "upper bound", "Thm. 9: r M~ + M~ K - M~, M~ the active hidden neurons");
        set_bound(pr, v, "Thm. 9 (sigma(z) = sigma'(z) z)");
    }
}

/* ---- ball arithmetic helpers (prover and checker) ------------------- */

/* Raises *e to the exponent of x's midpoint (2^e bounds it) unless it is 0. */
static void
max_exponent(slong *e, int *any, const arb_t x)
{
    slong t;
    if (arf_is_zero(arb_midref(x)))
        return;
    t = arf_abs_bound_lt_2exp_si(arb_midref(x));
    if (!*any || t > *e)
        *e = t;
    *any = 1;
}

int
_genrank_arb_mat_equilibrate(fmpz_t e, arb_mat_t M, slong min_spread)
{
    slong r = arb_mat_nrows(M), c = arb_mat_ncols(M), i, j, t, lo = 0, hi = 0;
    slong *rt = flint_calloc(FLINT_MAX(r, 1), sizeof(slong));
    int any, seen = 0;
    for (i = 0; i < r; i++)
    {
        for (any = 0, j = 0; j < c; j++)
            max_exponent(rt + i, &any, arb_mat_entry(M, i, j));
        if (!any)
            continue;
        lo = seen ? FLINT_MIN(lo, rt[i]) : rt[i];
        hi = seen ? FLINT_MAX(hi, rt[i]) : rt[i];
        seen = 1;
    }
    if (!seen || (min_spread > 0 && hi - lo <= min_spread))
    {
        flint_free(rt);
        return 0;
    }
    for (i = 0; i < r; i++)
    {
        for (j = 0; rt[i] != 0 && j < c; j++)
            arb_mul_2exp_si(arb_mat_entry(M, i, j), arb_mat_entry(M, i, j), -rt[i]);
        if (e != NULL)
            fmpz_add_si(e, e, rt[i]);
    }
    for (j = 0; j < c; j++)
    {
        for (any = 0, t = 0, i = 0; i < r; i++)
            max_exponent(&t, &any, arb_mat_entry(M, i, j));
        for (i = 0; t != 0 && i < r; i++)
            arb_mul_2exp_si(arb_mat_entry(M, i, j), arb_mat_entry(M, i, j), -t);
        if (e != NULL)
            fmpz_add_si(e, e, t);
    }
    flint_free(rt);
    return 1;
}

void
_genrank_arb_mat_det_scaled(arb_t det, arb_mat_t M, slong prec)
{
    fmpz_t e;
    fmpz_init(e);
    _genrank_arb_mat_equilibrate(e, M, 0);
    arb_mat_det(det, M, prec);
    arb_mul_2exp_fmpz(det, det, e);
    fmpz_clear(e);
}

void
_genrank_net_ball_point_init(_genrank_net_ball_point_t *B, const genrank_net_t net, slong prec)
{
    slong l, k, o = 0, nb = net->P - net->nw, nx = net->n * net->M[0], ny = net->n * net->M[net->L];
    for (l = 1; l <= net->L; l++)
    {
        arb_mat_init(B->W + l, net->M[l], net->M[l - 1]);
        for (k = 0; k < net->M[l] * net->M[l - 1]; k++)
            arb_set_fmpq(arb_mat_entry(B->W + l, k / net->M[l - 1], k % net->M[l - 1]),
                         net->W + o + k, prec);
        o += net->M[l] * net->M[l - 1];
    }
    B->b = _arb_vec_init(FLINT_MAX(nb, 1));
    B->X = _arb_vec_init(FLINT_MAX(nx, 1));
    B->Y = _arb_vec_init(FLINT_MAX(ny, 1));
    for (k = 0; k < nb; k++)
        arb_set_fmpq(B->b + k, net->b + k, prec);
    for (k = 0; k < nx; k++)
        arb_set_fmpq(B->X + k, net->X + k, prec);
    for (k = 0; k < ny; k++)
        arb_set_fmpq(B->Y + k, net->Y + k, prec);
}

void
_genrank_net_ball_point_clear(_genrank_net_ball_point_t *B, const genrank_net_t net)
{
    slong l;
    for (l = 1; l <= net->L; l++)
        arb_mat_clear(B->W + l);
    _arb_vec_clear(B->b, FLINT_MAX(net->P - net->nw, 1));
    _arb_vec_clear(B->X, FLINT_MAX(net->n * net->M[0], 1));
    _arb_vec_clear(B->Y, FLINT_MAX(net->n * net->M[net->L], 1));
}
