/* genrank network: the Jacobian and the Hessians modulo p against an
   exact computation over Q written here (hyper-dual numbers: the forward
   pass on f + f_a e + f_b d + f_ab e d with e^2 = d^2 = 0 gives dF/dtheta_a
   and d^2 F/dtheta_a dtheta_b exactly); ReLU's rescaling directions in the
   kernel of J; the formulas with a proof on random architectures; the
   certificates accepted, and refused when tampered with; bad point files
   refused with the field named. */
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <flint/fmpq_vec.h>
#include <flint/nmod_mat.h>
#include "genrank.h"
#include "internal.h"
#include "tap.h"

static char tmpdir[] = "/tmp/t-network-XXXXXX";

/* ---- hyper-dual numbers over Q ---------------------------------- */

typedef struct { fmpq_t v, a, b, ab; } hd_t;

static void hd_init(hd_t *x) { fmpq_init(x->v); fmpq_init(x->a); fmpq_init(x->b); fmpq_init(x->ab); }
static void hd_clear(hd_t *x) { fmpq_clear(x->v); fmpq_clear(x->a); fmpq_clear(x->b); fmpq_clear(x->ab); }
static void hd_zero(hd_t *x) { fmpq_zero(x->v); fmpq_zero(x->a); fmpq_zero(x->b); fmpq_zero(x->ab); }
static void
hd_set(hd_t *x, const hd_t *y)
{
    fmpq_set(x->v, y->v); fmpq_set(x->a, y->a); fmpq_set(x->b, y->b); fmpq_set(x->ab, y->ab);
}

/* x += y z */
static void
hd_addmul(hd_t *x, const hd_t *y, const hd_t *z)
{
    fmpq_t t;
    fmpq_init(t);
    fmpq_mul(t, y->a, z->b); fmpq_add(x->ab, x->ab, t);
    fmpq_mul(t, y->b, z->a); fmpq_add(x->ab, x->ab, t);
    fmpq_addmul(x->ab, y->v, z->ab);
    fmpq_addmul(x->ab, y->ab, z->v);
    fmpq_addmul(x->a, y->a, z->v); fmpq_addmul(x->a, y->v, z->a);
    fmpq_addmul(x->b, y->b, z->v); fmpq_addmul(x->b, y->v, z->b);
    fmpq_addmul(x->v, y->v, z->v);
    fmpq_clear(t);
}

/* The network's outputs at input i with parameters a and b perturbed
   (the parameter a carries e, b carries d; a = b allowed). */
static void
hd_forward(hd_t *out, const genrank_net_t net, slong i, slong pa, slong pb)
{
    slong L = net->L, l, r, c, k, mw = 1;
    hd_t *h, *z, w, one, t;
    for (l = 0; l <= L; l++)
        mw = FLINT_MAX(mw, net->M[l]);
    h = flint_malloc(mw * sizeof(hd_t));
    z = flint_malloc(mw * sizeof(hd_t));
    for (r = 0; r < mw; r++)
    {
        hd_init(h + r);
        hd_init(z + r);
    }
    hd_init(&w); hd_init(&one); hd_init(&t);
    fmpq_one(one.v);
    for (c = 0; c < net->M[0]; c++)
        fmpq_set(h[c].v, net->X + i * net->M[0] + c);
    for (l = 1; l <= L; l++)
    {
        slong wo = genrank_net_woff(net, l), bo = genrank_net_boff(net, l);
        for (r = 0; r < net->M[l]; r++)
        {
            hd_zero(z + r);
            for (c = 0; c < net->M[l - 1]; c++)
            {
                slong q = wo + r * net->M[l - 1] + c;
                hd_zero(&w);
                fmpq_set(w.v, net->W + q);
                if (q == pa) fmpq_one(w.a);
                if (q == pb) fmpq_one(w.b);
                hd_addmul(z + r, &w, h + c);
            }
            if (net->bias)
            {
                slong q = net->nw + bo + r;
                hd_zero(&w);
                fmpq_set(w.v, net->b + bo + r);
                if (q == pa) fmpq_one(w.a);
                if (q == pb) fmpq_one(w.b);
                hd_addmul(z + r, &w, &one);
            }
        }
        if (l == L)
            break;
        for (r = 0; r < net->M[l]; r++)
        {
            if (net->act == GENRANK_NET_LINEAR)
                hd_set(h + r, z + r);
            else if (net->act == GENRANK_NET_RELU)
            {
                if (fmpq_sgn(z[r].v) > 0)
                    hd_set(h + r, z + r);
                else
                    hd_zero(h + r);
            }
            else
            {
                hd_zero(&t);
                for (k = net->len - 1; k >= 0; k--)
                {
                    hd_t u;
                    hd_init(&u);
                    fmpq_set(u.v, net->coeffs + k);
                    hd_addmul(&u, &t, z + r);
                    hd_set(&t, &u);
                    hd_clear(&u);
                }
                hd_set(h + r, &t);
            }
        }
    }
    for (k = 0; k < net->M[L]; k++)
        hd_set(out + k, z + k);
    for (r = 0; r < mw; r++)
    {
        hd_clear(h + r);
        hd_clear(z + r);
    }
    flint_free(h);
    flint_free(z);
    hd_clear(&w); hd_clear(&one); hd_clear(&t);
}

/* The exact J (nK x P) and H_f (P x P). */
static void
naive(fmpq *J, fmpq *Hf, const genrank_net_t net)
{
    slong n = net->n, K = net->M[net->L], P = net->P, i, k, a, b;
    hd_t *out = flint_malloc(K * sizeof(hd_t));
    fmpq_t e;
    fmpq_init(e);
    for (k = 0; k < K; k++)
        hd_init(out + k);
    for (a = 0; a < P; a++)
        for (b = a; b < P; b++)
        {
            fmpq_zero(Hf + a * P + b);
            for (i = 0; i < n; i++)
            {
                hd_forward(out, net, i, a, b);
                for (k = 0; k < K; k++)
                {
                    if (a == b)
                        fmpq_set(J + (i * K + k) * P + a, out[k].a);
                    fmpq_sub(e, out[k].v, net->Y + i * K + k);
                    fmpq_addmul(Hf + a * P + b, e, out[k].ab);
                }
            }
            fmpq_set(Hf + b * P + a, Hf + a * P + b);
        }
    for (k = 0; k < K; k++)
        hd_clear(out + k);
    flint_free(out);
    fmpq_clear(e);
}

static int
same_mod(const double *A, const fmpq *X, slong len, ulong p)
{
    slong i;
    for (i = 0; i < len; i++)
    {
        ulong num = fmpz_fdiv_ui(fmpq_numref(X + i), p), den = fmpz_fdiv_ui(fmpq_denref(X + i), p);
        ulong v = n_mulmod2(num, n_invmod(den, p), p);
        slong c = (slong) A[i];
        if ((ulong) (c < 0 ? c + (slong) p : c) != v)
            return 0;
    }
    return 1;
}

/* A (column-major, rows x cols) within 1e-9 of the exact X (row-major),
   relative to X's largest entry: the double builder's rounding only. */
static int
near_exact(const double *A, const fmpq *X, slong rows, slong cols)
{
    slong i, j;
    double big = 1, worst = 0;
    for (i = 0; i < rows * cols; i++)
        big = FLINT_MAX(big, fabs(fmpq_get_d(X + i)));
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            worst = FLINT_MAX(worst, fabs(A[i + j * rows] - fmpq_get_d(X + i * cols + j)));
    return worst <= 1e-9 * big;
}

/* A random small architecture. */
static void
random_arch(slong *L, slong *M, genrank_rng_t *rng, slong maxw)
{
    slong l;
    *L = 1 + (slong) genrank_rng_below(rng, 3);
    for (l = 0; l <= *L; l++)
        M[l] = 1 + (slong) genrank_rng_below(rng, maxw);
}

static int
make_net(genrank_net_t net, genrank_rng_t *rng, int act, int bias, slong maxw, slong n)
{
    slong L, M[GENRANK_NET_LMAX + 1];
    genrank_err_t e;
    random_arch(&L, M, rng, maxw);
    genrank_net_clear(net);
    genrank_net_init(net);
    net->act = act;
    if (act == GENRANK_NET_POLY)
    {
        slong k;
        net->len = 2 + (slong) genrank_rng_below(rng, 3);
        net->coeffs = _fmpq_vec_init(net->len);
        for (k = 0; k < net->len; k++)
        {
            slong num = (slong) genrank_rng_below(rng, 7) - 3;
            ulong den = 1 + genrank_rng_below(rng, 3);
            fmpq_set_si(net->coeffs + k, num, den);
        }
    }
    if (genrank_net_setup(net, L, M, bias, n, &e) != 0)
        return 0;
    return genrank_net_random_point(net, genrank_rng_next(rng), 6, 0, &e) == 0;
}

static void
test_naive(void)
{
    genrank_rng_t rng;
    genrank_net_t net;
    long it, iters = tap_iters(40);
    int ok[3] = {1, 1, 1}, fok[3] = {1, 1, 1}, act;
    genrank_err_t e;
    genrank_rng_seed(&rng, 11);
    genrank_net_init(net);
    for (act = 0; act < 3; act++)
        for (it = 0; it < iters; it++)
        {
            slong P, R, n = 1 + (slong) genrank_rng_below(&rng, 4), i;
            fmpq *J, *Hf, *Ho, *HL;
            double *A;
            ulong p;
            if (!make_net(net, &rng, act, (int) genrank_rng_below(&rng, 2), 4, n))
                continue;   /* a zero ReLU pre-activation 64 times: skip */
            P = net->P;
            R = n * net->M[net->L];
            J = _fmpq_vec_init(R * P);
            Hf = _fmpq_vec_init(P * P);
            Ho = _fmpq_vec_init(P * P);
            HL = _fmpq_vec_init(P * P);
            naive(J, Hf, net);
            for (i = 0; i < P * P; i++)
            {
                slong r;
                for (r = 0; r < R; r++)
                    fmpq_addmul(Ho + i, J + r * P + i / P, J + r * P + i % P);
                fmpq_add(HL + i, Ho + i, Hf + i);
            }
            p = genrank_net_prime(net, &rng);
            A = flint_malloc(FLINT_MAX(R, P) * P * sizeof(double));
            if (genrank_net_matrix_d(A, net, GENRANK_NET_JACOBIAN, p, &e) != 0 || !same_mod(A, J, R * P, p))
                ok[act] = 0;
            if (genrank_net_matrix_d(A, net, GENRANK_NET_HOUTER, p, &e) != 0 || !same_mod(A, Ho, P * P, p))
                ok[act] = 0;
            if (genrank_net_matrix_d(A, net, GENRANK_NET_HFUNC, p, &e) != 0 || !same_mod(A, Hf, P * P, p))
                ok[act] = 0;
            if (genrank_net_matrix_d(A, net, GENRANK_NET_HLOSS, p, &e) != 0 || !same_mod(A, HL, P * P, p))
                ok[act] = 0;
            /* the double builder of --compare-float against the same */
            if (_genrank_net_matrix_float(A, net, GENRANK_NET_JACOBIAN) != 0 || !near_exact(A, J, R, P)
                || _genrank_net_matrix_float(A, net, GENRANK_NET_HOUTER) != 0 || !near_exact(A, Ho, P, P)
                || _genrank_net_matrix_float(A, net, GENRANK_NET_HFUNC) != 0 || !near_exact(A, Hf, P, P)
                || _genrank_net_matrix_float(A, net, GENRANK_NET_HLOSS) != 0 || !near_exact(A, HL, P, P))
            {
                if (fok[act])
                    TAP_DIAG("float mismatch: act %d L %ld P %ld n %ld bias %d", act,
                             (long) net->L, (long) P, (long) n, net->bias);
                fok[act] = 0;
            }
            if (!ok[act])
            {
                TAP_DIAG("mismatch: act %d L %ld P %ld n %ld bias %d p %lu", act, (long) net->L,
                         (long) P, (long) n, net->bias, (unsigned long) p);
                it = iters;
            }
            flint_free(A);
            _fmpq_vec_clear(J, R * P);
            _fmpq_vec_clear(Hf, P * P);
            _fmpq_vec_clear(Ho, P * P);
            _fmpq_vec_clear(HL, P * P);
        }
    TAP_OK(ok[0], "linear networks: J, H_o, H_f, H_L modulo p equal the exact hyper-dual computation");
    TAP_OK(ok[1], "ReLU networks: J, H_o, H_f, H_L modulo p equal the exact hyper-dual computation");
    TAP_OK(ok[2], "polynomial activations: J, H_o, H_f, H_L modulo p equal the exact hyper-dual computation");
    TAP_OK(fok[0] && fok[1] && fok[2], "--compare-float's double matrices (J, H_o, H_f, H_L; linear, "
           "ReLU, polynomial) within 1e-9 relative of the exact hyper-dual computation");
    genrank_net_clear(net);
}

/* Each hidden ReLU neuron's rescaling (incoming weights and bias times
   1 + t, outgoing times 1/(1 + t)) is a kernel vector of J; the certified
   rank stays at most P minus the hidden neurons. */
static void
test_relu_kernel(void)
{
    genrank_rng_t rng;
    genrank_net_t net;
    genrank_err_t e;
    long it, iters = tap_iters(30);
    int ok = 1, ok_rank = 1, tried = 0;
    genrank_rng_seed(&rng, 12);
    genrank_net_init(net);
    for (it = 0; it < iters; it++)
    {
        slong n = 2 + (slong) genrank_rng_below(&rng, 6), P, R, l, a, c, r, hidden = 0;
        double *A;
        ulong p;
        genrank_net_result_t res;
        if (!make_net(net, &rng, GENRANK_NET_RELU, (int) genrank_rng_below(&rng, 2), 4, n) || net->L < 2)
            continue;
        tried++;
        P = net->P;
        R = n * net->M[net->L];
        p = genrank_net_prime(net, &rng);
        A = flint_malloc(R * P * sizeof(double));
        genrank_net_matrix_d(A, net, GENRANK_NET_JACOBIAN, p, &e);
        for (l = 1; l < net->L; l++)
            for (a = 0; a < net->M[l]; a++, hidden++)
            {
                fmpq *v = _fmpq_vec_init(P);
                slong wo = genrank_net_woff(net, l), wn = genrank_net_woff(net, l + 1);
                for (c = 0; c < net->M[l - 1]; c++)
                    fmpq_set(v + wo + a * net->M[l - 1] + c, net->W + wo + a * net->M[l - 1] + c);
                if (net->bias)
                    fmpq_set(v + net->nw + genrank_net_boff(net, l) + a, net->b + genrank_net_boff(net, l) + a);
                for (r = 0; r < net->M[l + 1]; r++)
                    fmpq_neg(v + wn + r * net->M[l] + a, net->W + wn + r * net->M[l] + a);
                for (r = 0; r < R; r++)
                {
                    ulong s = 0;
                    for (c = 0; c < P; c++)
                    {
                        slong x = (slong) A[r * P + c];
                        ulong xv = (ulong) (x < 0 ? x + (slong) p : x);
                        ulong vv = n_mulmod2(fmpz_fdiv_ui(fmpq_numref(v + c), p),
                                             n_invmod(fmpz_fdiv_ui(fmpq_denref(v + c), p), p), p);
                        s = n_addmod(s, n_mulmod2(xv, vv, p), p);
                    }
                    ok &= s == 0;
                }
                _fmpq_vec_clear(v, P);
            }
        if (genrank_net_certify(&res, net, GENRANK_NET_JACOBIAN, p, &e) == 0)
        {
            ok_rank &= res.rank <= P - hidden;
            genrank_net_result_clear(&res);
        }
        flint_free(A);
    }
    TAP_OK(ok && tried > 0, "ReLU: each hidden neuron's rescaling direction is in ker J (%d networks)", tried);
    TAP_OK(ok_rank && tried > 0, "ReLU: the certified rank of J is at most P minus the hidden neurons");
    genrank_net_clear(net);
}

/* Formulas with a proof: deep linear networks without bias (Thm. 3 /
   Cor. 4: rank J = rank H_o = q(r + K - q), the generic rank, met at a
   random point), one layer (J = I_K (x) X, H_f = 0), Thm. 12 and Thm. 9
   as upper bounds; the certified rank never exceeds the bound proved
   for every point. */
static void
test_formulas(void)
{
    genrank_rng_t rng;
    genrank_net_t net;
    genrank_err_t e;
    long it, iters = tap_iters(40);
    int ok_eq = 1, ok_bound = 1, ok_one = 1, ok_inrank = 1;
    genrank_rng_seed(&rng, 13);
    genrank_net_init(net);
    for (it = 0; it < iters; it++)
    {
        int act = (int) genrank_rng_below(&rng, 2), bias = (int) genrank_rng_below(&rng, 2), obj;
        slong n = 1 + (slong) genrank_rng_below(&rng, 8), L, M[GENRANK_NET_LMAX + 1], rin;
        genrank_net_facts_t f;
        random_arch(&L, M, &rng, 6);
        if (genrank_rng_below(&rng, 2))
            L = 2;
        genrank_net_clear(net);
        genrank_net_init(net);
        net->act = act ? GENRANK_NET_RELU : GENRANK_NET_LINEAR;
        rin = M[0] > 1 && genrank_rng_below(&rng, 2) ? 1 + (slong) genrank_rng_below(&rng, M[0] - 1) : 0;
        if (genrank_net_setup(net, L, M, bias, n, &e) != 0
            || genrank_net_random_point(net, genrank_rng_next(&rng), 1000, rin, &e) != 0)
            continue;
        genrank_net_facts(&f, net);
        if (rin > 0)
            ok_inrank &= f.r <= rin;
        for (obj = 0; obj < GENRANK_NET_NOBJECTS; obj++)
        {
            genrank_net_prediction_t pr;
            genrank_net_result_t res;
            genrank_net_predict(&pr, net, &f, obj);
            if (genrank_net_certify(&res, net, obj, genrank_net_prime(net, &rng), &e) != 0)
            {
                ok_bound = 0;
                continue;
            }
            ok_bound &= res.rank <= pr.bound;
            if (L == 1)
                ok_one &= res.rank == pr.bound;
            else if (net->act == GENRANK_NET_LINEAR && !bias
                     && (obj == GENRANK_NET_JACOBIAN || obj == GENRANK_NET_HOUTER))
            {
                ok_eq &= res.rank == pr.predicted && !strcmp(pr.status, "proved");
                if (res.rank != pr.predicted)
                    TAP_DIAG("Cor. 4: L %ld n %ld rank %ld predicted %ld", (long) L, (long) n,
                             (long) res.rank, (long) pr.predicted);
            }
            genrank_net_result_clear(&res);
        }
    }
    TAP_OK(ok_eq, "deep linear networks: the certified rank of J and H_o is q(r + K - q) (Thm. 3, Cor. 4)");
    TAP_OK(ok_one, "one layer: rank J = rank H_o = H_L = K rank [X (1)], H_f = 0, certified");
    TAP_OK(ok_bound, "the certified rank never exceeds the bound proved for every point (P, n K, Thm. 3/4, 9, 12)");
    TAP_OK(ok_inrank, "--input-rank R gives inputs of rank at most R");
    genrank_net_clear(net);
}

static int
verify_text(const char *text)
{
    genrank_err_t e;
    return genrank_verify_string(text, NULL, &e);
}

/* The determinant modulo p, by the prover's matrix at the certificate's
   (possibly tampered) point, of its recorded minor; -1 when the minor's
   indices are not strictly increasing in range. */
static slong
prover_det(const json_t *cert, const genrank_net_t like)
{
    char path[256];
    genrank_net_t net;
    genrank_err_t e;
    json_t *w = json_object_get(cert, "witness");
    slong r = (slong) json_array_size(json_object_get(w, "rows")), s, t, R, P;
    ulong p = (ulong) json_integer_value(json_object_get(w, "prime")), det = 0;
    int obj = genrank_net_object_parse(json_string_value(json_object_get(cert, "object"))), ok = 1;
    double *A;
    nmod_mat_t M;
    snprintf(path, sizeof path, "%s/pt.json", tmpdir);
    json_dump_file(json_object_get(cert, "point"), path, 0);
    genrank_net_init(net);
    net->act = like->act;
    if (like->len > 0)
    {
        net->len = like->len;
        net->coeffs = _fmpq_vec_init(like->len);
        for (s = 0; s < like->len; s++)
            fmpq_set(net->coeffs + s, like->coeffs + s);
    }
    if (genrank_net_read_point_file(net, path, &e) != 0 || genrank_net_relu_check(net, &e) != 0)
    {
        genrank_net_clear(net);
        unlink(path);
        return -1;
    }
    unlink(path);
    P = net->P;
    R = obj == GENRANK_NET_JACOBIAN ? net->n * net->M[net->L] : P;
    A = flint_malloc(R * P * sizeof(double));
    genrank_net_matrix_d(A, net, obj, p, &e);
    nmod_mat_init(M, r, r, p);
    for (s = 0; s < r && ok; s++)
        for (t = 0; t < r && ok; t++)
        {
            slong i = (slong) json_integer_value(json_array_get(json_object_get(w, "rows"), s));
            slong j = (slong) json_integer_value(json_array_get(json_object_get(w, "cols"), t));
            double x;
            ok = i >= 0 && i < R && j >= 0 && j < P
                 && (s == 0 || i > json_integer_value(json_array_get(json_object_get(w, "rows"), s - 1)))
                 && (t == 0 || j > json_integer_value(json_array_get(json_object_get(w, "cols"), t - 1)));
            if (!ok)
                break;
            x = A[i * P + j];
            nmod_mat_entry(M, s, t) = x < 0 ? (ulong) (x + (double) p) : (ulong) x;
        }
    if (ok)
        det = nmod_mat_det(M);
    nmod_mat_clear(M);
    flint_free(A);
    genrank_net_clear(net);
    return ok ? (slong) det : -1;
}

/* A tampered certificate c: refused when the prover's minor at its point
   no longer has the recorded nonzero determinant; *refusals counts the
   refusals.  1 when the checker's verdict is consistent with that. */
static int
tamper_ok(json_t *c, const genrank_net_t net, int *refusals)
{
    char *t = json_dumps(c, 0);
    slong det = prover_det(c, net);
    slong want = (slong) json_integer_value(json_object_get(json_object_get(c, "witness"), "det_mod_p"));
    int valid = verify_text(t) == 0;
    free(t);
    *refusals += !valid;
    return (det > 0 && det == want) || !valid;
}

/* Certificates: valid as written; refused after tampering. */
static void
test_certificates(void)
{
    genrank_rng_t rng;
    genrank_net_t net;
    genrank_err_t e;
    char path[256];
    long it, iters = tap_iters(30);
    int ok_valid = 1, ok_w = 1, ok_x = 1, ok_obj = 1, ok_idx = 1, ok_pred = 1, tried = 0;
    int ref_w = 0, ref_x = 0, ref_idx = 0, ref_obj = 0;
    genrank_rng_seed(&rng, 14);
    genrank_net_init(net);
    snprintf(path, sizeof path, "%s/c.json", tmpdir);
    for (it = 0; it < iters; it++)
    {
        int act = (int) (it % 3), obj = (int) genrank_rng_below(&rng, GENRANK_NET_NOBJECTS);
        genrank_net_facts_t f;
        genrank_net_prediction_t pr;
        genrank_net_result_t res;
        json_t *root;
        json_error_t je;
        char *text, *t2;
        int bias = (int) genrank_rng_below(&rng, 2);
        slong n = 1 + (slong) genrank_rng_below(&rng, 4);
        if (!make_net(net, &rng, act, bias, 4, n))
            continue;
        genrank_net_facts(&f, net);
        genrank_net_predict(&pr, net, &f, obj);
        if (genrank_net_certify(&res, net, obj, genrank_net_prime(net, &rng), &e) != 0
            || genrank_net_cert_write(&res, net, &pr, path, &e) != 0)
        {
            ok_valid = 0;
            continue;
        }
        text = slurp(path);
        ok_valid &= verify_text(text) == 0;
        if (res.rank == 0)
        {
            free(text);
            genrank_net_result_clear(&res);
            continue;
        }
        tried++;
        root = json_loads(text, 0, &je);
        /* a weight, an input changed */
        {
            json_t *c = json_deep_copy(root);
            json_t *cw = json_array_get(json_array_get(json_object_get(json_object_get(c, "point"), "weights"),
                                                       (size_t) genrank_rng_below(&rng, net->L)), 0);
            json_array_set_new(cw, 0, json_string("1/7"));
            ok_w &= tamper_ok(c, net, &ref_w);
            json_decref(c);
        }
        {
            json_t *c = json_deep_copy(root);
            json_t *cx = json_array_get(json_object_get(json_object_get(c, "point"), "inputs"), 0);
            json_array_set_new(cx, 0, json_string("1/11"));
            ok_x &= tamper_ok(c, net, &ref_x);
            json_decref(c);
        }
        {
            json_t *c = json_deep_copy(root);
            json_object_set_new(c, "object", json_string(genrank_net_object_name((obj + 1) % 4)));
            /* another object: refused unless its minor there has the same
               determinant (one layer: H_o = H_L) */
            ok_obj &= tamper_ok(c, net, &ref_obj);
            json_decref(c);
        }
        {
            json_t *c = json_deep_copy(root), *cw = json_object_get(c, "witness");
            json_t *cols = json_object_get(cw, "cols");
            slong last = (slong) json_integer_value(json_array_get(cols, json_array_size(cols) - 1));
            json_array_set_new(cols, json_array_size(cols) - 1, json_integer(last + 1 < net->P ? last + 1 : last - 1));
            ok_idx &= tamper_ok(c, net, &ref_idx);
            json_decref(c);
        }
        {
            json_t *c = json_deep_copy(root);
            json_object_set_new(c, "exact", json_boolean(!json_is_true(json_object_get(c, "exact"))));
            t2 = json_dumps(c, 0);
            ok_pred &= verify_text(t2) != 0;
            free(t2);
            json_decref(c);
        }
        json_decref(root);
        free(text);
        genrank_net_result_clear(&res);
    }
    unlink(path);
    TAP_OK(ok_valid, "certificates as written are valid (linear, ReLU, polynomial; every object)");
    TAP_OK(ok_w && ref_w > 0, "a changed weight is refused whenever the minor's determinant "
           "changes (%d of %d refused)", ref_w, tried);
    TAP_OK(ok_x && ref_x > 0, "a changed input is refused whenever the minor's determinant "
           "changes (%d of %d refused)", ref_x, tried);
    TAP_OK(ok_obj && ref_obj > 0, "a changed object is refused whenever its minor's determinant "
           "differs (%d of %d refused)", ref_obj, tried);
    TAP_OK(ok_idx && ref_idx > 0, "a changed witness column is refused whenever the minor "
           "changes (%d of %d refused)", ref_idx, tried);
    TAP_OK(ok_pred && tried > 0, "a flipped \"exact\" is refused");
    genrank_net_clear(net);
}

/* text into the point file tmpdir/p.json, whose path goes to path. */
static void
write_point(char *path, size_t size, const char *text)
{
    FILE *f;
    snprintf(path, size, "%s/p.json", tmpdir);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* A point file with text refused, its message containing want. */
static int
refused(const char *text, const char *want)
{
    char path[256];
    genrank_net_t net;
    genrank_err_t e;
    int rc;
    write_point(path, sizeof path, text);
    genrank_net_init(net);
    rc = genrank_net_read_point_file(net, path, &e);
    if (rc == 0)
    {
        net->act = GENRANK_NET_RELU;
        rc = genrank_net_relu_check(net, &e);
    }
    genrank_net_clear(net);
    unlink(path);
    if (rc == 0 || strstr(e.msg, want) == NULL)
    {
        TAP_DIAG("not refused as expected (%s): %s", want, rc ? e.msg : "accepted");
        return 0;
    }
    return 1;
}

static void
test_bad_points(void)
{
    const char *good = "{\"weights\": [[[1, \"2/3\"], [\"-0.5\", 4]], [[1, 1]]], "
                       "\"inputs\": [[1, 2], [3, 4]], \"targets\": [[1], [0]]}";
    char path[256];
    genrank_net_t net;
    genrank_err_t e;
    int ok;
    write_point(path, sizeof path, good);
    genrank_net_init(net);
    ok = genrank_net_read_point_file(net, path, &e) == 0 && net->L == 2 && net->M[0] == 2
         && net->M[1] == 2 && net->M[2] == 1 && net->n == 2 && !net->bias
         && fmpz_equal_si(fmpq_denref(net->W + 1), 3) && fmpz_equal_si(fmpq_denref(net->W + 2), 2);
    genrank_net_clear(net);
    unlink(path);
    TAP_OK(ok, "a point file with integers, p/q and decimals is read exactly");
    TAP_OK(refused("{\"weights\": [[[1, 2], [3]]], \"inputs\": [[1, 2]], \"targets\": [[1, 2]]}",
                   "\"weights\"[0], row 2"), "a ragged weight matrix is refused, its row named");
    TAP_OK(refused("{\"weights\": [[[1, 2]], [[1, 2]]], \"inputs\": [[1, 2]], \"targets\": [[1]]}",
                   "\"weights\"[1]"), "weights of the wrong shape are refused, the matrix named");
    TAP_OK(refused("{\"weights\": [[[1, 2]]], \"inputs\": [[1, 2, 3]], \"targets\": [[1]]}",
                   "\"inputs\", row 1"), "inputs of the wrong length are refused, the row named");
    TAP_OK(refused("{\"weights\": [[[1, 2]]], \"inputs\": [[1, 2]], \"targets\": [[1, 2]]}",
                   "\"targets\", row 1"), "targets of the wrong length are refused");
    TAP_OK(refused("{\"weights\": [[[1, \"x\"]]], \"inputs\": [[1, 2]], \"targets\": [[1]]}",
                   "row 1, entry 2: not a number"), "a non-number is refused, its row and entry named");
    TAP_OK(refused("{\"weights\": [[[1, -1]], [[1]]], \"inputs\": [[1, 1]], \"targets\": [[1]]}",
                   "layer 1, neuron 1 is 0 at input 1"), "a zero ReLU pre-activation is refused, naming layer, neuron and input");
    TAP_OK(refused("{\"weights\": [[[1, 2]]], \"biases\": [[1, 2]], \"inputs\": [[1, 2]], \"targets\": [[1]]}",
                   "\"biases[0]\""), "biases of the wrong length are refused");
    TAP_OK(refused("{\"weights\": [[[1, 2]]], \"inputs\": [[1, 2]]}", "\"targets\" is missing"),
           "missing targets are refused");
    TAP_OK(refused("{\"weights\": [[[1, 2]]],\n \"inputs\": [[1, 2],}", "line 2"),
           "malformed JSON is refused with its line");
}

/* ---- the ball route (named activations) -------------------------- */

static const genrank_phi_t named_acts[] = {
    GENRANK_PHI_TANH, GENRANK_PHI_SIGMOID, GENRANK_PHI_SOFTPLUS, GENRANK_PHI_SILU,
    GENRANK_PHI_GELU, GENRANK_PHI_ERF, GENRANK_PHI_ARCTAN, GENRANK_PHI_SIN, GENRANK_PHI_COS,
    GENRANK_PHI_EXP, GENRANK_PHI_SINH, GENRANK_PHI_COSH};
#define N_NAMED ((slong) (sizeof named_acts / sizeof named_acts[0]))

/* A random small network with a named s at a random point. */
static void
random_named(genrank_net_t net, genrank_rng_t *rng, genrank_phi_t phi, int bias)
{
    slong M[5], L = 1 + (slong) genrank_rng_below(rng, 3), l;
    genrank_err_t e;
    for (l = 0; l <= L; l++)
        M[l] = 1 + (slong) genrank_rng_below(rng, 3);
    net->act = GENRANK_NET_NAMED;
    net->phi = phi;
    genrank_net_setup(net, L, M, bias, 1 + (slong) genrank_rng_below(rng, 4), &e);
    genrank_net_random_point(net, genrank_rng_next(rng), 1000, 0, &e);
}

/* The ball route's matrices (closed-form blocks, s' and s'' by hand)
   against the float64 forward-over-reverse ones (libm), every object and
   named s; exp's rescaling directions in the kernel of J; certificates
   valid, and refused when tampered with. */
static void
test_ball(void)
{
    genrank_rng_t rng;
    long it, iters = tap_iters(60);
    int ok_float = 1, ok_kernel = 1, ok_bound = 1, ok_valid = 1, ok_det = 1, ok_act = 1, ok_x = 1;
    int kernels = 0, certs = 0, ref_x = 0;
    char path[256];
    genrank_rng_seed(&rng, 77);
    snprintf(path, sizeof path, "%s/ball.json", tmpdir);
    for (it = 0; it < iters; it++)
    {
        genrank_net_t net;
        genrank_phi_t phi = named_acts[it % N_NAMED];
        int obj = (int) genrank_rng_below(&rng, GENRANK_NET_NOBJECTS);
        slong R, P, i, j;
        arb_mat_t A;
        double *F, scale = 0;
        genrank_net_init(net);
        random_named(net, &rng, phi, (int) genrank_rng_below(&rng, 2));
        P = net->P;
        R = obj == GENRANK_NET_JACOBIAN ? net->n * net->M[net->L] : P;
        arb_mat_init(A, R, P);
        _genrank_net_matrix_arb(A, net, obj, 128);
        F = flint_malloc(R * P * sizeof(double));
        _genrank_net_matrix_float(F, net, obj);
        for (i = 0; i < R * P; i++)
            scale = fmax(scale, fabs(F[i]));
        for (i = 0; i < R; i++)
            for (j = 0; j < P; j++)
            {
                double a = arf_get_d(arb_midref(arb_mat_entry(A, i, j)), ARF_RND_NEAR);
                if (!(fabs(a - F[j * R + i]) <= 1e-9 * (1 + scale))
                    || mag_cmp_2exp_si(arb_radref(arb_mat_entry(A, i, j)), -80) > 0)
                {
                    if (ok_float)
                        TAP_DIAG("%s, %s, entry (%ld, %ld): ball %.17g, float %.17g",
                                 genrank_net_activation(net), genrank_net_object_name(obj),
                                 (long) i, (long) j, a, F[j * R + i]);
                    ok_float = 0;
                }
            }
        flint_free(F);
        arb_mat_clear(A);
        if (it % 3 == 0)
        {
            genrank_net_result_t res;
            genrank_net_prediction_t pr;
            genrank_net_facts_t f;
            genrank_err_t e;
            json_t *root, *w;
            char *text;
            genrank_net_facts(&f, net);
            genrank_net_predict(&pr, net, &f, obj);
            if (genrank_net_certify_ball(&res, net, obj, pr.bound, 1024, &e) != 0
                || genrank_net_cert_write(&res, net, &pr, path, &e) != 0)
            {
                TAP_DIAG("ball route failed: %s", e.msg);
                ok_valid = 0;
                genrank_net_clear(net);
                continue;
            }
            certs++;
            text = slurp(path);
            ok_valid &= verify_text(text) == 0;
            root = json_loads(text, 0, NULL);
            w = json_object_get(root, "witness");
            if (res.rank > 0)
            {
                /* the recorded determinant times 1.001 */
                json_t *c = json_deep_copy(root);
                char *t2, buf[64];
                snprintf(buf, sizeof buf, "%.17g", 1.001 * strtod(res.det_str, NULL));
                json_object_set_new(json_object_get(c, "witness"), "det", json_string(buf));
                t2 = json_dumps(c, 0);
                ok_det &= verify_text(t2) != 0;
                free(t2);
                json_decref(c);
                /* another named s (one layer has no hidden s) */
                if (net->L >= 2)
                {
                    c = json_deep_copy(root);
                    json_object_set_new(c, "activation", json_string(phi == GENRANK_PHI_EXP ? "sin" : "exp"));
                    t2 = json_dumps(c, 0);
                    ok_act &= verify_text(t2) != 0;
                    free(t2);
                    json_decref(c);
                }
                /* every input doubled: refused unless the minor's
                   determinant happens to stay within the recorded one */
                c = json_deep_copy(root);
                {
                    json_t *X = json_object_get(json_object_get(c, "point"), "inputs");
                    size_t u, v;
                    for (u = 0; u < json_array_size(X); u++)
                        for (v = 0; v < json_array_size(json_array_get(X, u)); v++)
                        {
                            json_t *x = json_array_get(json_array_get(X, u), v);
                            fmpq_t q;
                            fmpq_init(q);
                            if (json_is_string(x))
                                fmpq_set_str(q, json_string_value(x), 10);
                            else
                                fmpq_set_si(q, (slong) json_integer_value(x), 1);
                            char *qs;
                            fmpq_mul_si(q, q, 2);
                            qs = fmpq_get_str(NULL, 10, q);
                            json_array_set_new(json_array_get(X, u), v, json_string(qs));
                            flint_free(qs);
                            fmpq_clear(q);
                        }
                }
                t2 = json_dumps(c, 0);
                ref_x += verify_text(t2) != 0;
                free(t2);
                json_decref(c);
            }
            (void) w;
            json_decref(root);
            free(text);
            genrank_net_result_clear(&res);
        }
        genrank_net_clear(net);
    }
    /* exp with bias: b_(L-1)[a] up by t, W_L[., a] scaled by e^-t leaves F unchanged */
    for (it = 0; it < iters / 2; it++)
    {
        genrank_net_t net;
        genrank_net_result_t res;
        genrank_err_t e;
        slong L, K, Mh, a, k, i, wo, bo, R;
        arb_mat_t A;
        arb_t s, w;
        genrank_net_init(net);
        do
            random_named(net, &rng, GENRANK_PHI_EXP, 1);
        while (net->L < 2);
        L = net->L, K = net->M[L], Mh = net->M[L - 1], R = net->n * K;
        wo = genrank_net_woff(net, L), bo = net->nw + genrank_net_boff(net, L - 1);
        arb_mat_init(A, R, net->P);
        _genrank_net_matrix_arb(A, net, GENRANK_NET_JACOBIAN, 128);
        arb_init(s);
        arb_init(w);
        for (a = 0; a < Mh; a++)
            for (i = 0; i < R; i++)
            {
                arb_set(s, arb_mat_entry(A, i, bo + a));
                for (k = 0; k < K; k++)
                {
                    arb_set_fmpq(w, net->W + wo + k * Mh + a, 128);
                    arb_submul(s, w, arb_mat_entry(A, i, wo + k * Mh + a), 128);
                }
                ok_kernel &= arb_contains_zero(s);
            }
        kernels++;
        ok_bound &= genrank_net_certify_ball(&res, net, GENRANK_NET_JACOBIAN, net->P, 1024, &e) == 0
                    && res.rank <= FLINT_MIN(R, net->P - Mh);
        genrank_net_result_clear(&res);
        arb_clear(s);
        arb_clear(w);
        arb_mat_clear(A);
        genrank_net_clear(net);
    }
    unlink(path);
    ok_x = ref_x > 0;
    TAP_OK(ok_float, "the ball route's matrices contain the float64 forward-over-reverse ones "
           "(to 1e-9, radii below 2^-80; 12 named activations, every object)");
    TAP_OK(ok_kernel && kernels > 0, "exp with bias: each last hidden neuron's rescaling "
           "direction is in the kernel of J (every ball of J v contains 0; %d networks)", kernels);
    TAP_OK(ok_bound, "exp with bias: the certified rank of J never exceeds P - M_(L-1)");
    TAP_OK(ok_valid && certs > 0, "ball-route certificates as written are valid (%d)", certs);
    TAP_OK(ok_det, "a ball-route certificate with another \"det\" is refused");
    TAP_OK(ok_act, "a ball-route certificate with another activation is refused");
    TAP_OK(ok_x, "a ball-route certificate with doubled inputs is refused (%d times)", ref_x);
}

int
main(void)
{
    if (mkdtemp(tmpdir) == NULL)
        return 1;
    test_naive();
    test_relu_kernel();
    test_formulas();
    test_certificates();
    test_bad_points();
    test_ball();
    rmdir(tmpdir);
    flint_cleanup();
    return tap_done();
}
