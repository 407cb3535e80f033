/* genrank network: certified ranks of the Jacobian and the Hessians of a
   fully connected network, beside seed 001's formulas (doc/networks.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <flint/fmpq_vec.h>
#include <jansson.h>
#include "cli.h"

static const char *usage_network =
"Usage: genrank network --widths d,M_1,...,K [--bias] [--activation A] [--coeffs C]\n"
"                       [--object LIST] [--n N] [--seed S] [--input-rank R]\n"
"                       [--point FILE | --data FILE [--label-column K|first|last]\n"
"                       [--header auto|yes|no]] [--out CERT] [--compare-float]\n"
"                       [--max-precision B] [--json] [--quiet]\n"
"\n"
"Certifies lower bounds on the ranks of the Jacobian and the Hessians of\n"
"F(x) = W_L s(... s(W_1 x + b_1) ...) + b_L with the squared loss\n"
"1/2 sum_i |F(x_i) - y_i|^2 at one exact point: over Q by a nonzero minor\n"
"modulo a prime, or, for a named s such as tanh, over R by a minor whose\n"
"determinant is a ball excluding 0 (Arb).  Prints them beside the ranks\n"
"Singh, Bachmann and Hofmann (NeurIPS 2021) predict, and writes a\n"
"certificate per object for 'genrank verify'.\n"
"Parameters in order: W_1 row-major, ..., W_L, then b_1, ..., b_L.\n"
"\n"
"  --widths LIST     d,M_1,...,M_(L-1),K (2 to 33 widths; with --point, if\n"
"                    given, it must match the point's shapes)\n"
"  --bias            biases b_1..b_L (with --point: when it has \"biases\")\n"
"  --activation A    the hidden layers' s: linear (default), relu (exact at a\n"
"                    point where no pre-activation is 0, checked), poly (with\n"
"                    --coeffs c0,c1,...: s(z) = c0 + c1 z + ...), or a named\n"
"                    analytic s by the ball route: tanh, sigmoid, softplus,\n"
"                    silu, gelu, erf, arctan, sin, cos, exp, sinh, cosh\n"
"  --object LIST     comma-separated: jacobian (n K x P; its rank is that of\n"
"                    the NTK Gram matrix J J^T), hessian-outer (H_o = J^T J),\n"
"                    hessian-functional (H_f = sum_ik (F_k(x_i) - y_ik)\n"
"                    grad^2 F_k(x_i)), hessian-loss (H_L = H_o + H_f), or all\n"
"                    (default: all)\n"
"  --n N             random inputs (default 2 d + 1)\n"
"  --seed S          seed of the random point and prime (default 1): weights,\n"
"                    biases, inputs and targets uniform integers in\n"
"                    [-1000, 1000] (named s: divided by 1000, and W_l's by\n"
"                    1000 M_(l-1), so that pre-activations stay small)\n"
"  --input-rank R    random inputs spanning R < d dimensions\n"
"  --point FILE      the point: JSON {\"weights\": L matrices (W_l as M_l\n"
"                    arrays of M_(l-1) numbers), \"biases\": L arrays\n"
"                    (optional), \"inputs\": n arrays of d numbers, \"targets\":\n"
"                    n arrays of K numbers}; a number is a JSON integer, a\n"
"                    string holding a decimal or p/q, or a JSON real (its\n"
"                    shortest decimal), all read exactly\n"
"  --data FILE       the inputs from a data file (as 'genrank capacity' reads\n"
"                    it), with one-hot targets from --label-column (K must be\n"
"                    the number of classes); random weights from --seed\n"
"  --out CERT        certificate path (several objects: -OBJECT is inserted\n"
"                    before .json); default genrank-network-OBJECT.json\n"
"  --compare-float   also print each object's floating-point rank: the point\n"
"                    rounded to doubles, the matrix in double arithmetic\n"
"                    (tangents, forward over reverse), LAPACK's SVD\n"
"                    and numpy's default tolerance\n"
"  --max-precision B named s: at most B bits of ball arithmetic (default 8192)\n"
"  --json            print a JSON object (several objects: an \"objects\" map)\n"
"  --quiet           print nothing but errors\n"
"\n"
"What is proved: rank over Q (named s: over R) >= the certified rank.  It\n"
"is reported exact when it meets a bound proved for every point (P; n K\n"
"for J and H_o; P - K for H_f with bias and a named s; the formulas marked\n"
"proved; Theorems 9 and 12).  Seed 001's status: proved,\n"
"upper bound, empirical, or none for this regime.\n"
"\n"
"Exit status: 0 certified; 1 failure; 2 bad usage or unreadable file; 3\n"
"certified but below a prediction stated as an equality (proved or\n"
"empirical).\n";

enum { N_WIDTHS = 800, N_BIAS, N_ACT, N_OBJECT, N_INRANK, N_DATA, N_LABEL, N_HEADER };

typedef struct {
    slong L, M[GENRANK_NET_LMAX + 1];
    int have_widths, bias, act, objs[GENRANK_NET_NOBJECTS], nobj, json, quiet, compare;
    fmpq *coeffs;
    slong len, n, input_rank;
    uint64_t seed;
    const char *point, *data, *out;
    genrank_data_opts_t dopts;
    int seen_label;
    genrank_phi_t phi;
    slong max_prec;
    int seen_prec;
} net_args_t;

static void
parse_widths(net_args_t *a, const char *s)
{
    const char *p = s;
    a->L = -1;
    while (*p)
    {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 1 || v > GENRANK_NET_WIDTH_MAX || (*end != ',' && *end != '\0')
            || a->L + 1 > GENRANK_NET_LMAX)
            die_usage("network", "--widths must be 2 to 33 positive integers d,M_1,...,K "
                      "(each at most 100000)");
        a->M[++a->L] = v;
        p = *end == ',' ? end + 1 : end;
    }
    if (a->L < 1)
        die_usage("network", "--widths must list at least d and K");
    a->have_widths = 1;
}

static void
parse_objects(net_args_t *a, const char *s)
{
    char buf[256], *tok, *save = NULL;
    int k;
    memset(a->objs, 0, sizeof a->objs);
    snprintf(buf, sizeof buf, "%s", s);
    for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
    {
        if (!strcmp(tok, "all"))
        {
            for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
                a->objs[k] = 1;
            continue;
        }
        k = genrank_net_object_parse(tok);
        if (k < 0)
            die_usage("network", "--object must list jacobian, hessian-outer, "
                      "hessian-functional, hessian-loss or all");
        a->objs[k] = 1;
    }
    for (a->nobj = 0, k = 0; k < GENRANK_NET_NOBJECTS; k++)
        a->nobj += a->objs[k];
    if (a->nobj == 0)
        die_usage("network", "--object is empty");
}

static void
parse_args(net_args_t *a, int argc, char **argv)
{
    static struct option lo[] = {
        {"widths", required_argument, 0, N_WIDTHS}, {"bias", no_argument, 0, N_BIAS},
        {"activation", required_argument, 0, N_ACT}, {"coeffs", required_argument, 0, O_COEFFS},
        {"object", required_argument, 0, N_OBJECT}, {"n", required_argument, 0, O_N},
        {"seed", required_argument, 0, O_SEED}, {"input-rank", required_argument, 0, N_INRANK},
        {"point", required_argument, 0, O_POINT}, {"data", required_argument, 0, N_DATA},
        {"label-column", required_argument, 0, N_LABEL}, {"header", required_argument, 0, N_HEADER},
        {"out", required_argument, 0, O_OUT}, {"json", no_argument, 0, O_JSON},
        {"quiet", no_argument, 0, O_QUIET}, {"help", no_argument, 0, O_HELP},
        {"compare-float", no_argument, 0, O_COMPARE},
        {"max-precision", required_argument, 0, O_MAXPREC}, {0, 0, 0, 0}};
    genrank_err_t e;
    int c, k, seen_act = 0;
    memset(a, 0, sizeof *a);
    a->seed = 1;
    a->max_prec = 8192;
    genrank_data_opts_init(&a->dopts);
    for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
        a->objs[k] = 1;
    a->nobj = GENRANK_NET_NOBJECTS;
    opt_cmd = "network";
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1)
        switch (c)
        {
        case N_WIDTHS: parse_widths(a, optarg); break;
        case N_BIAS: a->bias = 1; break;
        case N_ACT:
            seen_act = 1;
            if (!strcmp(optarg, "linear"))
                a->act = GENRANK_NET_LINEAR;
            else if (!strcmp(optarg, "relu"))
                a->act = GENRANK_NET_RELU;
            else if (!strcmp(optarg, "poly"))
                a->act = GENRANK_NET_POLY;
            else if (genrank_net_named_parse(&a->phi, optarg) == 0)
                a->act = GENRANK_NET_NAMED;
            else
            {
                char msg[256];
                snprintf(msg, sizeof msg, "--activation must be linear, relu, poly or a named "
                         "analytic activation (%s)", genrank_net_named_list());
                die_usage("network", msg);
            }
            break;
        case O_COEFFS:
            if (a->coeffs != NULL)
                genrank_coeffs_free(a->coeffs, a->len);
            if (genrank_coeffs_parse(&a->coeffs, &a->len, optarg, &e) != 0 || a->len > 64)
                die_usage("network", "--coeffs must be 1 to 64 rationals c0,c1,...");
            break;
        case N_OBJECT: parse_objects(a, optarg); break;
        case O_N: a->n = (slong) prove_u64(optarg, 1, GENRANK_NET_N_MAX, "--n must be in [1, 10^7]"); break;
        case O_SEED: a->seed = prove_u64(optarg, 0, UINT64_MAX, "--seed must be an integer in [0, 2^64)"); break;
        case N_INRANK: a->input_rank = (slong) prove_u64(optarg, 1, GENRANK_NET_WIDTH_MAX, "--input-rank must be a positive integer"); break;
        case O_POINT: a->point = optarg; break;
        case N_DATA: a->data = optarg; break;
        case N_LABEL:
            a->seen_label = 1;
            if (!strcmp(optarg, "last"))
                a->dopts.label_column = GENRANK_LABEL_LAST;
            else if (!strcmp(optarg, "first"))
                a->dopts.label_column = 0;
            else
                a->dopts.label_column = (slong) prove_u64(optarg, 1, MAX_SIZE,
                    "--label-column must be a column number (from 1), first or last") - 1;
            break;
        case N_HEADER:
            a->dopts.header = prove_choice(optarg, "auto", "yes", "no", "--header must be auto, yes or no");
            break;
        case O_OUT: a->out = optarg; break;
        case O_JSON: a->json = 1; break;
        case O_QUIET: a->quiet = 1; break;
        case O_COMPARE: a->compare = 1; break;
        case O_MAXPREC:
            a->seen_prec = 1;
            a->max_prec = (slong) prove_u64(optarg, 64, UINT64_C(1) << 24,
                "--max-precision must be an integer in [64, 16777216] (bits)");
            break;
        case 'h': case O_HELP: fputs(usage_network, stdout); exit(EX_OK);
        default: die_usage("network", bad_option(argv));
        }
    if (optind != argc)
        die_usage("network", "unexpected argument");
    if (a->point != NULL && a->data != NULL)
        die_usage("network", "--point and --data exclude each other");
    if (a->point == NULL && !a->have_widths)
        die_usage("network", "--widths is required (or --point FILE)");
    if (a->data != NULL && !a->seen_label)
        die_usage("network", "--data needs --label-column (the one-hot targets' classes)");
    if (a->act == GENRANK_NET_POLY && a->coeffs == NULL)
        die_usage("network", "--activation poly needs --coeffs c0,c1,...");
    if (a->coeffs != NULL && a->act != GENRANK_NET_POLY)
    {
        if (seen_act)
            die_usage("network", "--coeffs goes with --activation poly");
        a->act = GENRANK_NET_POLY;
    }
    if (a->point != NULL && (a->n > 0 || a->input_rank > 0))
        die_usage("network", "--n and --input-rank make random inputs: not with --point");
    if (a->input_rank > 0 && a->input_rank >= a->M[0])
        die_usage("network", "--input-rank must be below d");
    if (a->seen_prec && a->act != GENRANK_NET_NAMED)
        die_usage("network", "--max-precision goes with a named activation (the ball route)");
    if (a->compare && !genrank_have_lapack())
        die_usage("network", "--compare-float: this genrank was built without LAPACK "
                  "(apt-get install liblapack-dev, then reconfigure)");
}

/* The label column's classes as one-hot targets: 0 or EX_USAGE. */
static int
one_hot(genrank_net_t net, const genrank_data_t raw, slong col, slong K)
{
    slong n = raw->n, i, k, nc = 0;
    fmpq *cls = _fmpq_vec_init(n);
    for (i = 0; i < n; i++)
    {
        const fmpq *v = raw->x + i * raw->d + col;
        for (k = 0; k < nc && !fmpq_equal(cls + k, v); k++)
            ;
        if (k == nc)
            fmpq_set(cls + nc++, v);
    }
    /* sorted classes */
    for (i = 1; i < nc; i++)
        for (k = i; k > 0 && fmpq_cmp(cls + k - 1, cls + k) > 0; k--)
            fmpq_swap(cls + k - 1, cls + k);
    if (nc != K)
    {
        fprintf(stderr, "genrank: network: the label column has %ld classes but K (the last "
                "width) is %ld\n", (long) nc, (long) K);
        _fmpq_vec_clear(cls, n);
        return EX_USAGE;
    }
    for (i = 0; i < n; i++)
        for (k = 0; k < nc; k++)
            fmpq_set_si(net->Y + i * K + k, fmpq_equal(cls + k, raw->x + i * raw->d + col), 1);
    _fmpq_vec_clear(cls, n);
    return 0;
}

static int
load_data(genrank_net_t net, net_args_t *a)
{
    genrank_data_t data, raw;
    genrank_data_opts_t ro = a->dopts;
    genrank_err_t e;
    slong col, i;
    int rc = 0;
    genrank_data_init(data);
    genrank_data_init(raw);
    ro.label_column = GENRANK_LABEL_NONE;
    if (genrank_data_read(data, a->data, &a->dopts, &e) != 0 || genrank_data_read(raw, a->data, &ro, &e) != 0)
    {
        fprintf(stderr, "genrank: network: %s\n", e.msg);
        rc = EX_USAGE;
    }
    else if (raw->d != data->d + 1 || raw->n != data->n)
    {
        fprintf(stderr, "genrank: network: %s: the label column could not be split off the "
                "features (give --header yes or no)\n", a->data);
        rc = EX_USAGE;
    }
    else if (data->d != a->M[0])
    {
        fprintf(stderr, "genrank: network: %s has %ld features but d (the first width) is %ld\n",
                a->data, (long) data->d, (long) a->M[0]);
        rc = EX_USAGE;
    }
    else if (genrank_net_setup(net, a->L, a->M, a->bias, data->n, &e) != 0)
    {
        fprintf(stderr, "genrank: network: %s\n", e.msg);
        rc = EX_USAGE;
    }
    else
    {
        col = a->dopts.label_column == GENRANK_LABEL_LAST ? raw->d - 1 : a->dopts.label_column;
        for (i = 0; i < data->n * data->d; i++)
            fmpq_set(net->X + i, data->x + i);
        rc = one_hot(net, raw, col, a->M[a->L]);
    }
    genrank_data_clear(data);
    genrank_data_clear(raw);
    return rc;
}

/* The weights (and biases) of a random point, the inputs and targets kept. */
static int
random_weights(genrank_net_t net, uint64_t seed, genrank_err_t *err)
{
    genrank_net_t tmp;
    slong i;
    int rc;
    genrank_net_init(tmp);
    tmp->act = net->act;
    tmp->phi = net->phi;
    if ((rc = genrank_net_setup(tmp, net->L, net->M, net->bias, net->n, err)) != 0)
        return rc;
    for (i = 0; i < 64; i++)
    {
        slong j;
        if ((rc = genrank_net_random_point(tmp, seed + (uint64_t) i * 0x9e3779b97f4a7c15ULL, 1000, 0, err)) != 0
            && net->act != GENRANK_NET_RELU)
            break;
        for (j = 0; j < net->nw; j++)
            fmpq_set(net->W + j, tmp->W + j);
        for (j = 0; j < net->P - net->nw; j++)
            fmpq_set(net->b + j, tmp->b + j);
        if ((rc = genrank_net_relu_check(net, err)) == 0)
            break;
    }
    genrank_net_clear(tmp);
    return rc;
}

static int
build_network(genrank_net_t net, net_args_t *a)
{
    genrank_err_t e;
    slong l;
    int rc;
    net->act = a->act;
    net->phi = a->phi;
    net->coeffs = a->coeffs;
    net->len = a->len;
    a->coeffs = NULL;
    if (a->point != NULL)
    {
        if ((rc = genrank_net_read_point_file(net, a->point, &e)) != 0)
        {
            fprintf(stderr, "genrank: network: %s\n", e.msg);
            return rc == GENRANK_ENOMEM ? EX_FAIL : EX_USAGE;
        }
        if (a->have_widths)
        {
            int same = a->L == net->L;
            for (l = 0; same && l <= net->L; l++)
                same = a->M[l] == net->M[l];
            if (!same)
            {
                fprintf(stderr, "genrank: network: --widths does not match the shapes of %s\n", a->point);
                return EX_USAGE;
            }
        }
        if (a->bias && !net->bias)
        {
            fprintf(stderr, "genrank: network: --bias given but %s has no \"biases\"\n", a->point);
            return EX_USAGE;
        }
        if ((rc = genrank_net_relu_check(net, &e)) != 0)
        {
            fprintf(stderr, "genrank: network: %s: %s\n", a->point, e.msg);
            return EX_USAGE;
        }
        return 0;
    }
    if (a->data != NULL)
    {
        if ((rc = load_data(net, a)) != 0)
            return rc;
        rc = random_weights(net, a->seed, &e);
    }
    else if ((rc = genrank_net_setup(net, a->L, a->M, a->bias, a->n > 0 ? a->n : 2 * a->M[0] + 1, &e)) == 0)
        rc = genrank_net_random_point(net, a->seed, 1000, a->input_rank, &e);
    if (rc != 0)
    {
        fprintf(stderr, "genrank: network: %s\n", e.msg);
        return rc == GENRANK_ENOMEM ? EX_FAIL : EX_USAGE;
    }
    return 0;
}

static void
cert_path(char *buf, size_t size, const net_args_t *a, int obj)
{
    const char *name = genrank_net_object_name(obj);
    size_t len;
    if (a->out == NULL)
        snprintf(buf, size, "genrank-network-%s.json", name);
    else if (a->nobj == 1)
        snprintf(buf, size, "%s", a->out);
    else if ((len = strlen(a->out)) > 5 && !strcmp(a->out + len - 5, ".json"))
        snprintf(buf, size, "%.*s-%s.json", (int) (len - 5), a->out, name);
    else
        snprintf(buf, size, "%s-%s", a->out, name);
}

typedef struct {
    genrank_net_result_t res;
    genrank_net_prediction_t pr;
    char path[4096];
    int frc;               /* --compare-float: 0, or why not (genrank_net_float_rank) */
    slong frank;
    double fmax, fmin;
} obj_out_t;

static int
below(const obj_out_t *o)
{
    return o->pr.predicted >= 0 && o->res.rank < o->pr.predicted
           && (!strcmp(o->pr.status, "proved") || !strcmp(o->pr.status, "empirical"));
}

/* Certifies one object, with up to two more primes while below the
   prediction; writes its certificate.  0 or an exit status. */
static int
run_object(obj_out_t *o, const genrank_net_t net, const genrank_net_facts_t *f, int obj,
           genrank_rng_t *rng, slong max_prec)
{
    genrank_err_t e;
    int t, rc;
    genrank_net_predict(&o->pr, net, f, obj);
    for (t = 0; t < 3; t++)
    {
        genrank_net_result_t r;
        if (net->act == GENRANK_NET_NAMED)
            rc = genrank_net_certify_ball(&r, net, obj, o->pr.bound, max_prec, &e);
        else
            rc = genrank_net_certify(&r, net, obj, genrank_net_prime(net, rng), &e);
        if (rc != 0)
        {
            fprintf(stderr, "genrank: network: %s: %s\n", genrank_net_object_name(obj), e.msg);
            return EX_FAIL;
        }
        if (t == 0 || r.rank > o->res.rank)
        {
            double s = t ? o->res.seconds : 0;
            genrank_net_result_clear(&o->res);
            o->res = r;
            o->res.seconds += s;
        }
        else
        {
            o->res.seconds += r.seconds;
            genrank_net_result_clear(&r);
        }
        /* the ball route has no prime to redraw: one run at the precisions it tried */
        if (!below(o) || o->res.rank == o->pr.bound || net->act == GENRANK_NET_NAMED)
            break;
    }
    if (genrank_net_cert_write(&o->res, net, &o->pr, o->path, &e) != 0)
    {
        fprintf(stderr, "genrank: network: %s\n", e.msg);
        return EX_FAIL;
    }
    return 0;
}

static json_t *
record_json(const obj_out_t *o, const genrank_net_t net)
{
    json_t *r = json_object();
    int exact = o->res.rank == o->pr.bound;
    json_object_set_new(r, "rank", json_integer(o->res.rank));
    json_object_set_new(r, "predicted", o->pr.predicted >= 0 ? json_integer(o->pr.predicted) : json_null());
    json_object_set_new(r, "theorem", json_string(o->pr.source));
    json_object_set_new(r, "prediction_status", json_string(o->pr.status));
    json_object_set_new(r, "status", json_string(exact ? "exact" : "lower bound"));
    json_object_set_new(r, "exact_by", exact ? json_string(o->pr.bound_source) : json_null());
    json_object_set_new(r, "params", json_integer(net->P));
    json_object_set_new(r, "shape", json_pack("[I, I]", (json_int_t) o->res.nrows, (json_int_t) o->res.ncols));
    json_object_set_new(r, "bound", json_integer(o->pr.bound));
    json_object_set_new(r, "bound_source", json_string(o->pr.bound_source));
    json_object_set_new(r, "prime", o->res.prime ? json_integer((json_int_t) o->res.prime)
                                                  : json_null());
    json_object_set_new(r, "route", json_string(o->res.prime ? "exact" : "ball"));
    if (o->res.prime == 0)
        json_object_set_new(r, "precision", json_integer(o->res.prec));
    json_object_set_new(r, "certificate", json_string(o->path));
    json_object_set_new(r, "seconds", json_real(o->res.seconds));
    if (o->frc != 1)
    {
        json_object_set_new(r, "float_rank", o->frc == 0 ? json_integer(o->frank) : json_null());
        if (o->frc == 0)
        {
            json_object_set_new(r, "float_smax", json_real(o->fmax));
            json_object_set_new(r, "float_smin", json_real(o->fmin));
        }
    }
    return r;
}

static void
print_text(const obj_out_t *o, const int *objs, const genrank_net_t net,
           const genrank_net_facts_t *f, const net_args_t *a)
{
    slong l;
    int k;
    printf("network: ");
    for (l = 0; l <= net->L; l++)
        printf(l ? "-%ld" : "%ld", (long) net->M[l]);
    printf(", %s, %s, P = %ld parameters, n = %ld inputs", genrank_net_activation(net),
           net->bias ? "bias" : "no bias", (long) net->P, (long) net->n);
    if (a->data != NULL)
        printf(" (%s, one-hot targets)", a->data);
    else if (a->point != NULL)
        printf(" (point %s)", a->point);
    else
        printf(" (random point, seed %llu)", (unsigned long long) a->seed);
    printf("\nfacts: rank X = %ld, rank of the centred X = %ld", (long) f->r, (long) f->rc);
    if (f->s >= 0)
        printf(", rank sum_i e_i x_i^T = %ld", (long) f->s);
    printf("\n");
    printf("%-19s %7s %9s  %-11s %s\n", "object", "rank", "predicted", "status", "source");
    for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
    {
        char pv[24];
        if (!objs[k])
            continue;
        if (o[k].pr.predicted >= 0)
            snprintf(pv, sizeof pv, "%ld", (long) o[k].pr.predicted);
        else
            snprintf(pv, sizeof pv, "-");
        printf("%-19s %7ld %9s  %-11s %s\n", genrank_net_object_name(k), (long) o[k].res.rank, pv,
               o[k].pr.status, o[k].pr.source);
    }
    for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
    {
        const obj_out_t *x = o + k;
        int ex = x->res.rank == x->pr.bound;
        char how[64];
        if (!objs[k])
            continue;
        if (x->res.prime)
            snprintf(how, sizeof how, "minor modulo %lu", (unsigned long) x->res.prime);
        else
            snprintf(how, sizeof how, "minor in ball arithmetic at %ld bits", (long) x->res.prec);
        printf("%s: rank >= %ld over %s, %s (%ld x %ld, %s, %.2f s)\n",
               genrank_net_object_name(k), (long) x->res.rank, x->res.prime ? "Q" : "R",
               ex ? "exact" : "lower bound", (long) x->res.nrows, (long) x->res.ncols, how,
               x->res.seconds);
        printf("  %s %ld: %s\n  certificate: %s\n", ex ? "meets the proved bound"
               : "proved upper bound", (long) x->pr.bound, x->pr.bound_source, x->path);
        if (x->frc == 0)
            printf("  floating point: numerical rank %ld (LAPACK dgesdd singular values %.3g .. "
                   "%.3g, numpy's tolerance smax * %ld * 2^-52)%s\n", (long) x->frank, x->fmax,
                   x->fmin, (long) FLINT_MAX(x->res.nrows, x->res.ncols),
                   x->frank < x->res.rank ? ": below the certified rank" : "");
        else if (x->frc != 1)
            printf("  floating point: %s\n", x->frc == -2 ? "an entry is not a finite double, "
                   "or the SVD failed"
                   : "the matrix is too large for a dense SVD here");
    }
}

int
cmd_network(int argc, char **argv)
{
    net_args_t a;
    genrank_net_t net;
    genrank_net_facts_t f;
    obj_out_t o[GENRANK_NET_NOBJECTS];
    genrank_rng_t rng;
    genrank_err_t e;
    int k, rc = 0, low = 0;
    parse_args(&a, argc, argv);
    genrank_net_init(net);
    memset(o, 0, sizeof o);
    if ((rc = build_network(net, &a)) != 0)
    {
        genrank_net_clear(net);
        return rc;
    }
    if (a.input_rank > 0 && a.input_rank >= net->M[0])
        die_usage("network", "--input-rank must be below d");
    for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
        if (a.objs[k])
        {
            cert_path(o[k].path, sizeof o[k].path, &a, k);
            if (genrank_output_check(o[k].path, &e) != 0)
            {
                fprintf(stderr, "genrank: network: %s\n", e.msg);
                genrank_net_clear(net);
                return EX_FAIL;
            }
        }
    genrank_net_facts(&f, net);
    genrank_rng_seed(&rng, a.seed ^ UINT64_C(0x6e6574776f726b));
    for (k = 0; k < GENRANK_NET_NOBJECTS && rc == 0; k++)
        if (a.objs[k])
        {
            if (!a.quiet && !a.json)
                ticker_start(genrank_net_object_name(k));
            rc = run_object(o + k, net, &f, k, &rng, a.max_prec);
            o[k].frc = 1;
            if (rc == 0 && a.compare && (a.json || !a.quiet))
                o[k].frc = genrank_net_float_rank(&o[k].frank, &o[k].fmax, &o[k].fmin, net, k);
            ticker_stop();
            low |= rc == 0 && below(o + k);
        }
    if (rc == 0 && a.json)
    {
        json_t *root;
        if (a.nobj == 1)
            for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
            {
                if (a.objs[k])
                {
                    json_t *rec = record_json(o + k, net);
                    root = cli_json_object("network");
                    json_object_update(root, rec);
                    json_decref(rec);
                    json_object_set_new(root, "object", json_string(genrank_net_object_name(k)));
                    print_json(root);
                }
            }
        else
        {
            json_t *m = json_object();
            root = cli_json_object("network");
            for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
                if (a.objs[k])
                    json_object_set_new(m, genrank_net_object_name(k), record_json(o + k, net));
            json_object_set_new(root, "params", json_integer(net->P));
            json_object_set_new(root, "n", json_integer(net->n));
            json_object_set_new(root, "objects", m);
            print_json(root);
        }
    }
    else if (rc == 0 && !a.quiet)
        print_text(o, a.objs, net, &f, &a);
    for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
        genrank_net_result_clear(&o[k].res);
    genrank_net_clear(net);
    return rc != 0 ? rc : low ? EX_BELOW : EX_OK;
}
