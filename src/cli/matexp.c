/* genrank matexp solve | capacity: matrix-exponential networks
   f(X) = W_L exp(W_{L-1} ... exp(W_1 X)) (doc/matexp.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"

static const char *usage_matexp =
"Usage: genrank matexp solve --data FILE [--alpha A] [--json] [--out FILE]\n"
"       genrank matexp capacity --d D --layers L --n N [--seed S] [--complex]\n"
"                               [--precision BITS] [--json] [--out CERT] [--quiet]\n"
"\n"
"Networks f(X) = W_L exp(W_{L-1} exp(... exp(W_1 X))) on d x d complex\n"
"matrices (L weight matrices, L - 1 matrix exponentials).\n"
"\n"
"solve: the closed-form weights of the three-layer network (L = 3) with\n"
"f(X1) = Y1 and f(X2) = Y2.  FILE is JSON {\"X1\": .., \"X2\": .., \"Y1\": ..,\n"
"\"Y2\": ..}, each d arrays of d entries; an entry is an integer, a string\n"
"holding a decimal or p/q, a JSON number (read as the shortest decimal that\n"
"gives the same double), or [re, im] of those.  X1 - X2, Y1 and Y2 must be\n"
"invertible (checked exactly); the weights are computed in ball arithmetic and\n"
"f(X1), f(X2) evaluated from them must contain Y1, Y2.\n"
"  --data FILE       the data (required)\n"
"  --alpha A         a positive rational other than 1 (default 2)\n"
"  --out FILE        write the weights (midpoints and radii) as JSON\n"
"  --json            print a JSON object (doc/json.md)\n"
"\n"
"capacity: certifies the rank of the Jacobian of (W_1, ..., W_L) ->\n"
"(f(X_1), ..., f(X_N)) (N d^2 x L d^2) at a random point, by a minor whose\n"
"determinant is a ball excluding 0, and writes a certificate that 'genrank\n"
"verify' checks.  Rank N d^2 means N data matrices are fit near the point.\n"
"  --d D             the matrices' order, 1..8\n"
"  --layers L        weight matrices, 1..16 (3 is the network of 'solve')\n"
"  --n N             data matrices, 1..16; min(L, N) d^2 <= 512\n"
"  --seed S          seed of the random point (default 1)\n"
"  --complex         draw complex entries (default: real rationals)\n"
"  --precision BITS  working precision, 32..4096 (default 128)\n"
"  --out CERT        certificate path (default genrank-matexp-dD-lL-nN.json)\n"
"  --json            print a JSON object (doc/json.md)\n"
"  --quiet           print nothing but errors\n"
"\n"
"Exit status: 0 certified (capacity: also when the rank is below the bound);\n"
"1 failure, a failed hypothesis, or containment not certified; 2 bad usage or\n"
"unreadable file.\n";

enum { M_DATA = 700, M_ALPHA, M_LAYERS, M_COMPLEX, M_PREC };

/* ---- solve ---------------------------------------------------------- */

static void
print_weight(const char *name, const acb_mat_t W)
{
    slong i, j, d = acb_mat_nrows(W);
    printf("%s =\n", name);
    for (i = 0; i < d; i++)
    {
        printf("  ");
        for (j = 0; j < d; j++)
        {
            double re = arf_get_d(arb_midref(acb_realref(acb_mat_entry(W, i, j))), ARF_RND_NEAR);
            double im = arf_get_d(arb_midref(acb_imagref(acb_mat_entry(W, i, j))), ARF_RND_NEAR);
            printf("%s%.10g%+.10gi", j ? "  " : "", re, im);
        }
        printf("\n");
    }
}

static json_t *
json_weight_mid(const acb_mat_t W)
{
    json_t *a = json_array();
    slong i, j, d = acb_mat_nrows(W);
    for (i = 0; i < d; i++)
    {
        json_t *r = json_array();
        for (j = 0; j < d; j++)
            json_array_append_new(r, json_pack("[f, f]",
                arf_get_d(arb_midref(acb_realref(acb_mat_entry(W, i, j))), ARF_RND_NEAR),
                arf_get_d(arb_midref(acb_imagref(acb_mat_entry(W, i, j))), ARF_RND_NEAR)));
        json_array_append_new(a, r);
    }
    return a;
}

static void
solve_print(const genrank_matexp_solution_t sol, const char *path, const char *out, int json)
{
    char *a = fmpq_get_str(NULL, 10, sol->alpha);
    if (json)
    {
        json_t *o = cli_json_object("matexp solve");
        json_object_set_new(o, "data", json_string(path));
        json_object_set_new(o, "d", json_integer(sol->d));
        json_object_set_new(o, "alpha", json_string(a));
        json_object_set_new(o, "certified", json_boolean(sol->certified));
        json_object_set_new(o, "radius", json_real(sol->radius));
        json_object_set_new(o, "weight_radius", json_real(sol->weight_radius));
        json_object_set_new(o, "precision", json_integer(sol->prec));
        json_object_set_new(o, "log", json_string(sol->scalar ? "scalar" : "eigen-decomposition"));
        json_object_set_new(o, "negative_eigenvalues", json_integer(sol->negative));
        json_object_set_new(o, "W1", json_weight_mid(sol->W + 0));
        json_object_set_new(o, "W2", json_weight_mid(sol->W + 1));
        json_object_set_new(o, "W3", json_weight_mid(sol->W + 2));
        json_object_set_new(o, "weights_file", out ? json_string(out) : json_null());
        json_object_set_new(o, "seconds", json_real(sol->seconds));
        print_json(o);
        flint_free(a);
        return;
    }
    printf("data: %s (d = %ld)\n", path, (long) sol->d);
    printf("hypotheses: X1 - X2, Y1 and Y2 are invertible (exact determinants over Q(i))\n");
    printf("alpha = %s; Z = log(alpha Y1^-1 Y2) %s", a, sol->scalar ? "= log(c) I (a scalar matrix)"
           : "by a certified eigen-decomposition (simple eigenvalues)");
    if (sol->negative > 0)
        printf("; %ld eigenvalue%s of negative real part: log(-l) + i pi", (long) sol->negative,
               sol->negative == 1 ? "" : "s");
    printf("\n");
    print_weight("W1", sol->W + 0);
    print_weight("W2", sol->W + 1);
    print_weight("W3", sol->W + 2);
    if (sol->certified)
        printf("certified: f(X1) contains Y1 and f(X2) contains Y2 (balls at %ld bits, largest "
               "radius %.3g; weights' largest radius %.3g; %.3f s)\n", (long) sol->prec,
               sol->radius, sol->weight_radius, sol->seconds);
    else
        printf("NOT certified: f(X1), f(X2) do not contain Y1, Y2 at %ld bits (largest radius "
               "%.3g)\n", (long) sol->prec, sol->radius);
    if (out != NULL)
        printf("weights: %s\n", out);
    flint_free(a);
}

static int
matexp_solve(int argc, char **argv)
{
    static struct option lo[] = {
        {"data", required_argument, 0, M_DATA}, {"alpha", required_argument, 0, M_ALPHA},
        {"out", required_argument, 0, O_OUT}, {"json", no_argument, 0, O_JSON},
        {"help", no_argument, 0, O_HELP}, {0, 0, 0, 0}};
    const char *path = NULL, *out = NULL;
    int c, json = 0, rc;
    fmpq_t alpha;
    genrank_err_t e;
    genrank_matexp_data_t data;
    genrank_matexp_solution_t sol;
    fmpq_init(alpha);
    fmpq_set_si(alpha, 2, 1);
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1)
        switch (c)
        {
        case M_DATA: path = optarg; break;
        case M_ALPHA:
            if (genrank_decimal_parse(alpha, optarg, &e) != 0 || fmpq_sgn(alpha) <= 0 || fmpq_is_one(alpha))
                die_usage("matexp solve", "--alpha must be a positive decimal or p/q other than 1");
            break;
        case O_OUT: out = optarg; break;
        case O_JSON: json = 1; break;
        case 'h': case O_HELP: fputs(usage_matexp, stdout); fmpq_clear(alpha); return EX_OK;
        default: die_usage("matexp solve", bad_option(argv));
        }
    if (optind != argc)
        die_usage("matexp solve", "unexpected argument (the data is given by --data FILE)");
    if (path == NULL)
        die_usage("matexp solve", "--data FILE is required");
    genrank_matexp_data_init(data);
    genrank_matexp_solution_init(sol);
    if ((rc = genrank_matexp_data_read(data, path, &e)) != 0)
    {
        fprintf(stderr, "genrank: matexp solve: %s\n", e.msg);
        fmpq_clear(alpha);
        return rc == GENRANK_ENOMEM ? EX_FAIL : EX_USAGE;
    }
    if (out != NULL && (rc = genrank_output_check(out, &e)) == 0)
        rc = genrank_matexp_solve(sol, data, alpha, 0, &e);
    else if (out == NULL)
        rc = genrank_matexp_solve(sol, data, alpha, 0, &e);
    if (rc == 0 && out != NULL)
        rc = genrank_matexp_solution_write(sol, out, &e);
    if (rc != 0)
        fprintf(stderr, "genrank: matexp solve: %s\n", e.msg);
    else
        solve_print(sol, path, out, json);
    c = rc == 0 && sol->certified ? EX_OK : EX_FAIL;
    genrank_matexp_solution_clear(sol);
    genrank_matexp_data_clear(data);
    fmpq_clear(alpha);
    return c;
}

/* ---- capacity -------------------------------------------------------- */

static void
capacity_print(const genrank_matexp_cap_t cap, const char *out, int json, int quiet)
{
    const genrank_matexp_spec_t *s = &cap->spec;
    slong dd = s->d * s->d;
    int met = cap->rank == cap->bound, fits = cap->rank == s->n * dd;
    if (json)
    {
        json_t *o = cli_json_object("matexp capacity");
        json_object_set_new(o, "d", json_integer(s->d));
        json_object_set_new(o, "layers", json_integer(s->layers));
        json_object_set_new(o, "n", json_integer(s->n));
        json_object_set_new(o, "rank", json_integer(cap->rank));
        json_object_set_new(o, "bound", json_integer(cap->bound));
        json_object_set_new(o, "met", json_boolean(met));
        json_object_set_new(o, "status", json_string(met ? "exact" : "lower bound"));
        json_object_set_new(o, "exact_by", met ? json_string("the bound min(layers, n) d^2") : json_null());
        json_object_set_new(o, "full_row_rank", json_boolean(fits));
        json_object_set_new(o, "numerical_rank", json_integer(cap->numerical_rank));
        json_object_set_new(o, "elimination", json_string(cap->ball_elimination ? "ball" : "double"));
        json_object_set_new(o, "precision", json_integer(cap->prec));
        json_object_set_new(o, "seed", s->seed < (UINT64_C(1) << 53) ? json_integer((json_int_t) s->seed)
                            : json_string("(above 2^53)"));
        json_object_set_new(o, "complex_point", json_boolean(s->complex_point));
        json_object_set_new(o, "certificate", json_string(out));
        json_object_set_new(o, "seconds", json_real(cap->seconds));
        print_json(o);
        return;
    }
    if (quiet)
        return;
    printf("network: f(X) = %s, d = %ld, %ld weight matri%s, n = %ld data "
           "matri%s\n", s->layers == 1 ? "W_1 X" : s->layers == 2 ? "W_2 exp(W_1 X)"
           : s->layers == 3 ? "W_3 exp(W_2 exp(W_1 X))" : "W_L exp(... exp(W_1 X))", (long) s->d, (long) s->layers, s->layers == 1 ? "x" : "ces",
           (long) s->n, s->n == 1 ? "x" : "ces");
    printf("Jacobian: %ld x %ld at a random point over %s (seed %llu)\n", (long) (s->n * dd),
           (long) (s->layers * dd), s->complex_point ? "Q(i)" : "Q", (unsigned long long) s->seed);
    printf("certified: rank >= %ld (a nonzero %ld x %ld minor: its determinant is a ball excluding "
           "0 at %ld bits)\n", (long) cap->rank, (long) cap->rank, (long) cap->rank, (long) cap->prec);
    if (met)
        printf("exact: rank = %ld, the bound min(layers, n) d^2 is met%s\n", (long) cap->rank,
               fits ? " (rank n d^2: near this point the network fits every nearby choice of the "
               "n labels)" : " (rank layers d^2 < n d^2: the labels the network fits form a set of "
               "measure zero)");
    else
        printf("lower bound: rank >= %ld, below the bound %ld (the floating-point elimination found "
               "%ld; not a proof of an upper bound)\n", (long) cap->rank, (long) cap->bound,
               (long) cap->numerical_rank);
    printf("certificate: %s (%.3f s)\n", out, cap->seconds);
}

static int
matexp_capacity(int argc, char **argv)
{
    static struct option lo[] = {
        {"d", required_argument, 0, O_D}, {"layers", required_argument, 0, M_LAYERS},
        {"n", required_argument, 0, O_N}, {"seed", required_argument, 0, O_SEED},
        {"complex", no_argument, 0, M_COMPLEX}, {"precision", required_argument, 0, M_PREC},
        {"out", required_argument, 0, O_OUT}, {"json", no_argument, 0, O_JSON},
        {"quiet", no_argument, 0, O_QUIET}, {"help", no_argument, 0, O_HELP}, {0, 0, 0, 0}};
    genrank_matexp_spec_t spec;
    genrank_matexp_cap_t cap;
    genrank_err_t e;
    const char *out = NULL;
    char outbuf[128];
    int c, json = 0, quiet = 0, rc, have = 0;
    genrank_matexp_spec_init(&spec);
    opt_cmd = "matexp capacity";
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1)
        switch (c)
        {
        case O_D: spec.d = prove_u64(optarg, 1, GENRANK_MATEXP_DMAX, "--d must be in [1, 8]"); have |= 1; break;
        case M_LAYERS: spec.layers = prove_u64(optarg, 1, GENRANK_MATEXP_LMAX, "--layers must be in [1, 16]"); have |= 2; break;
        case O_N: spec.n = prove_u64(optarg, 1, GENRANK_MATEXP_NMAX, "--n must be in [1, 16]"); have |= 4; break;
        case O_SEED: spec.seed = prove_u64(optarg, 0, UINT64_MAX, "--seed must be an integer in [0, 2^64)"); break;
        case M_COMPLEX: spec.complex_point = 1; break;
        case M_PREC: spec.prec = prove_u64(optarg, 32, 4096, "--precision must be in [32, 4096]"); break;
        case O_OUT: out = optarg; break;
        case O_JSON: json = 1; break;
        case O_QUIET: quiet = 1; break;
        case 'h': case O_HELP: fputs(usage_matexp, stdout); return EX_OK;
        default: die_usage("matexp capacity", bad_option(argv));
        }
    if (optind != argc)
        die_usage("matexp capacity", "unexpected argument");
    if (have != 7)
        die_usage("matexp capacity", "--d, --layers and --n are required");
    if (FLINT_MIN(spec.layers, spec.n) * spec.d * spec.d > GENRANK_MATEXP_ORDER_MAX)
        die_usage("matexp capacity", "min(layers, n) d^2 must be at most 512 (the largest minor)");
    if (out == NULL)
    {
        snprintf(outbuf, sizeof outbuf, "genrank-matexp-d%ld-l%ld-n%ld.json", (long) spec.d,
                 (long) spec.layers, (long) spec.n);
        out = outbuf;
    }
    if (genrank_output_check(out, &e) != 0)
    {
        fprintf(stderr, "genrank: matexp capacity: %s\n", e.msg);
        return EX_FAIL;
    }
    genrank_matexp_cap_init(cap);
    if (!quiet && !json)
        ticker_start("matexp capacity: the Jacobian");
    rc = genrank_matexp_capacity(cap, &spec, &e);
    ticker_stop();
    if (rc == 0)
        rc = genrank_matexp_cert_write(cap, out, &e);
    if (rc != 0)
        fprintf(stderr, "genrank: matexp capacity: %s\n", e.msg);
    else
        capacity_print(cap, out, json, quiet);
    genrank_matexp_cap_clear(cap);
    return rc == 0 ? EX_OK : EX_FAIL;
}

int
cmd_matexp(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "solve"))
        return matexp_solve(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "capacity"))
        return matexp_capacity(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
    {
        fputs(usage_matexp, stdout);
        return EX_OK;
    }
    die_usage("matexp", argc >= 2 ? "the subcommand must be 'solve' or 'capacity'"
                                  : "missing subcommand ('solve' or 'capacity')");
    return EX_USAGE;
}
