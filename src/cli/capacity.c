/* genrank capacity: the width a two-layer network needs to fit every
   label vector on a data set (Theorems 5.2-5.4). */
#define _XOPEN_SOURCE 700   /* realpath */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <jansson.h>
#include <flint/ulong_extras.h>
#include "cli.h"

static const char *usage_capacity =
"Usage: genrank capacity --data FILE --activation NAME [--coeffs C]\n"
"                        [--width M | --search] [--max-width M] [--dedup]\n"
"                        [--label-column K|first|last|none] [--header auto|yes|no]\n"
"                        [--data-ref] [--out FILE] [--seed S] [--trials T]\n"
"                        [--method M] [--route R] [--max-precision B]\n"
"                        [--threads N] [--point FILE] [--json] [--quiet]\n"
"\n"
"How wide must a two-layer network h = psi(X^T W + 1 b^T) v be to fit every\n"
"label vector on the n points of FILE?  genrank certifies, by a nonzero\n"
"n x n minor, that the W-Jacobian diag(v0) psi'(W0^T X + b0 1^T) (.) X has\n"
"rank n at a rational point of width m0; then width 2 m0 suffices\n"
"(Theorem 5.2).  It prints that next to the necessary width of Theorem 5.4\n"
"(m (d + 2) >= n) and writes a certificate that 'genrank verify' checks.\n"
"Every number in FILE is read exactly as a rational, never as a double.\n"
"\n"
"  --data FILE       numbers separated by commas or blanks, one point per line;\n"
"                    blank lines and lines starting with # are skipped\n"
"  --header H        auto (default: the first line is a header when a field,\n"
"                    the label column's aside, does not begin like a number),\n"
"                    yes or no\n"
"  --label-column K  drop column K (1-based), first or last; default none\n"
"  --activation NAME relu, tanh, sigmoid, softplus, silu, gelu, exp, sinh, cosh,\n"
"                    sin, cos, arctan, erf, or polynomial (with --coeffs)\n"
"  --coeffs C        psi = c0 + c1 x + ... + cK x^K, e.g. 0,1,1/2\n"
"  --width M         certify width m0 = M (up to --trials points)\n"
"  --search          find the smallest m0 it can certify, from a proved lower\n"
"                    bound up, one point per width (the default)\n"
"  --max-width M     search up to m0 = M (default: start + max(8, start / 4);\n"
"                    2 start + 8 for ReLU)\n"
"  --dedup           certify on the distinct nonzero points (the first of each\n"
"                    group of equal points) when there are duplicates or zeros\n"
"  --data-ref        record the data file's path and SHA-256 in the\n"
"                    certificate instead of the points themselves (the file\n"
"                    must lie below the certificate's directory or the\n"
"                    current one: verify reads no file elsewhere)\n"
"  --out FILE        certificate path (default genrank-capacity-NAME-ACT.json)\n"
"  --point FILE      certify at the given weights instead of random ones: JSON\n"
"                    {\"W\": m0 arrays of d numbers, \"b\": m0 numbers}, each an\n"
"                    integer or a string such as \"0.25\" or \"-2/3\" (v0 = 1;\n"
"                    the width is m0, so no --width or --search)\n"
"  --seed S          seed of the point's generator (default 1)\n"
"  --trials T        points tried at a fixed --width (default 3)\n"
"  --method M        auto, flint or blas (as in prove)\n"
"  --route R         auto, exact or ball, for analytic activations (as in prove)\n"
"  --max-precision B ball route: at most B bits (default 8192)\n"
"  --threads N       threads for FLINT and OpenBLAS\n"
"  --json            print a JSON summary on stdout (doc/json.md)\n"
"  --quiet           print nothing but errors (no progress lines)\n"
"\n"
"Exit status: 0 a width was certified; 1 none was (the reason is printed:\n"
"duplicate or zero points, a polynomial of too low a degree, or no width\n"
"tried reached rank n), or a failure (too little memory, an unwritable\n"
"output); 2 bad usage or unreadable data.\n";

enum { O_DATA = 400, O_ACT, O_WIDTH, O_SEARCH, O_MAXWIDTH, O_LABEL, O_HEADER,
       O_DEDUP, O_DATAREF };

/* The base name of path without its last extension, for the default output. */
static void
base_name(char *buf, size_t size, const char *path)
{
    const char *b = strrchr(path, '/'), *dot;
    size_t len;
    b = b ? b + 1 : path;
    dot = strrchr(b, '.');
    len = dot && dot > b ? (size_t) (dot - b) : strlen(b);
    if (len >= size)
        len = size - 1;
    memcpy(buf, b, len);
    buf[len] = '\0';
}

/* Reports duplicate and zero points; bad is how many points --dedup
   drops (a zero point may also be a duplicate). */
static void
report_facts(const genrank_data_t data, const genrank_data_facts_t facts, slong bad,
             int quiet, int dedup)
{
    slong g, s;
    if (quiet)
        return;
    for (g = 0; g < facts->ndup_groups; g++)
    {
        printf("duplicate: points");
        for (s = facts->dup_start[g]; s < facts->dup_start[g + 1]; s++)
            printf("%s #%ld (line %ld)", s > facts->dup_start[g] ? "," : "",
                   (long) facts->dup[s] + 1, (long) data->line[facts->dup[s]]);
        printf(" are equal: their labels must agree, so no network fits every label vector\n");
    }
    for (s = 0; s < facts->nzero; s++)
        printf("zero point: point #%ld (line %ld) is all zeros: its column of the W-Jacobian "
               "is zero, so rank n cannot be certified this way\n",
               (long) facts->zero[s] + 1, (long) data->line[facts->zero[s]]);
    if (bad && !dedup)
        printf("rank n is impossible on these %ld points; rerun with --dedup to certify on the "
               "%ld distinct nonzero point%s\n", (long) data->n, (long) (data->n - bad),
               data->n - bad == 1 ? "" : "s");
}

typedef struct {
    const char *path, *act_name, *coeffs, *out;
    char outbuf[512], base[128];
    char *refpath;      /* --data-ref: the path the certificate records */
    genrank_capacity_opts_t opts;
    genrank_data_opts_t dopts;
    genrank_activation_t act;
    slong threads;
    int json, quiet, dedup, dataref, search;
    int seen_trials, seen_maxprec, seen_method, seen_label;
    const char *point_path;   /* --point: given weights */
    genrank_point_t weights;
} capacity_args_t;

static struct option capacity_longopts[] = {
    {"data", required_argument, 0, O_DATA},
    {"activation", required_argument, 0, O_ACT},
    {"coeffs", required_argument, 0, O_COEFFS},
    {"width", required_argument, 0, O_WIDTH},
    {"search", no_argument, 0, O_SEARCH},
    {"max-width", required_argument, 0, O_MAXWIDTH},
    {"label-column", required_argument, 0, O_LABEL},
    {"header", required_argument, 0, O_HEADER},
    {"dedup", no_argument, 0, O_DEDUP},
    {"data-ref", no_argument, 0, O_DATAREF},
    {"out", required_argument, 0, O_OUT},
    {"seed", required_argument, 0, O_SEED},
    {"trials", required_argument, 0, O_TRIALS},
    {"method", required_argument, 0, O_METHOD},
    {"route", required_argument, 0, O_ROUTE},
    {"max-precision", required_argument, 0, O_MAXPREC},
    {"threads", required_argument, 0, O_THREADS},
    {"point", required_argument, 0, O_POINT},
    {"json", no_argument, 0, O_JSON},
    {"quiet", no_argument, 0, O_QUIET},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0}
};

/* The options into a; -1 to go on, else the exit status (--help). */
static int
capacity_parse(capacity_args_t *a, int argc, char **argv)
{
    int c;
    memset(a, 0, sizeof *a);
    opt_cmd = "capacity";
    genrank_capacity_opts_init(&a->opts);
    genrank_data_opts_init(&a->dopts);
    a->opts.seed = 1;
    while ((c = getopt_long(argc, argv, "h", capacity_longopts, NULL)) != -1)
    {
        switch (c)
        {
        case O_DATA: a->path = optarg; break;
        case O_ACT: a->act_name = optarg; break;
        case O_COEFFS: a->coeffs = optarg; break;
        case O_WIDTH:
            a->opts.width = (slong) prove_u64(optarg, 1, MAX_SIZE, "--width must be an integer in [1, 2^40]");
            break;
        case O_SEARCH: a->search = 1; break;
        case O_MAXWIDTH:
            a->opts.max_width = (slong) prove_u64(optarg, 1, MAX_SIZE,
                                               "--max-width must be an integer in [1, 2^40]");
            break;
        case O_LABEL:
            a->seen_label = 1;
            if (!strcmp(optarg, "none"))
                a->dopts.label_column = GENRANK_LABEL_NONE;
            else if (!strcmp(optarg, "last"))
                a->dopts.label_column = GENRANK_LABEL_LAST;
            else if (!strcmp(optarg, "first"))
                a->dopts.label_column = 0;
            else
                a->dopts.label_column = (slong) prove_u64(optarg, 1, MAX_SIZE,
                    "--label-column must be a column number (from 1), first, last or none") - 1;
            break;
        case O_HEADER:
            /* the names in the order of GENRANK_HEADER_AUTO, _YES, _NO */
            a->dopts.header = prove_choice(optarg, "auto", "yes", "no", "--header must be auto, yes or no");
            break;
        case O_DEDUP: a->dedup = 1; break;
        case O_DATAREF: a->dataref = 1; break;
        case O_OUT: a->out = optarg; break;
        case O_SEED:
            a->opts.seed = prove_u64(optarg, 0, UINT64_MAX, "--seed must be an integer in [0, 2^64)");
            break;
        case O_TRIALS:
            a->seen_trials = 1;
            a->opts.trials = (slong) prove_u64(optarg, 1, 1000000, "--trials must be an integer in [1, 1000000]");
            break;
        case O_METHOD:
            a->seen_method = 1;
            a->opts.method = prove_choice(optarg, "auto", "flint", "blas", "--method must be auto, flint or blas");
            break;
        case O_ROUTE:
            a->opts.route = prove_choice(optarg, "auto", "exact", "ball", "--route must be auto, exact or ball");
            break;
        case O_MAXPREC:
            a->seen_maxprec = 1;
            a->opts.max_prec = (slong) prove_u64(optarg, 64, UINT64_C(1) << 24,
                "--max-precision must be an integer in [64, 16777216] (bits)");
            break;
        case O_THREADS:
            a->threads = (slong) prove_u64(optarg, 1, 4096, "--threads must be an integer in [1, 4096]");
            break;
        case O_POINT: a->point_path = optarg; break;
        case O_JSON: a->json = 1; break;
        case O_QUIET: a->quiet = 1; break;
        case 'h': case O_HELP:
            fputs(usage_capacity, stdout);
            return EX_OK;
        default:
            die_usage("capacity", bad_option(argv));
        }
    }
    return -1;
}

/* The options' consistency and the activation (dies on bad usage). */
static void
capacity_validate(capacity_args_t *a, int argc, char **argv)
{
    genrank_err_t e;
    if (optind < argc)
    {
        snprintf(a->outbuf, sizeof a->outbuf, "unexpected argument '%.200s'", argv[optind]);
        die_usage("capacity", a->outbuf);
    }
    if (a->path == NULL)
        die_usage("capacity", "--data FILE is required");
    if (a->act_name == NULL)
        die_usage("capacity", "--activation NAME is required");
    if (a->search && a->opts.width > 0)
        die_usage("capacity", "give --width or --search, not both");
    if (a->point_path != NULL && (a->search || a->opts.width > 0 || a->opts.max_width > 0
                                  || a->seen_trials))
        die_usage("capacity", "--point fixes the width (the rows of its W): give no --width, "
                  "--search, --max-width or --trials with it");
    if (a->opts.max_width > 0 && a->opts.width > 0)
        die_usage("capacity", "--max-width goes with --search");
    if (genrank_activation_parse(a->act, a->act_name, a->coeffs, &e) != 0)
        die_usage("capacity", e.msg);
    if (a->opts.route == GENRANK_ROUTE_BALL && a->act->kind != GENRANK_ACT_NAMED)
    {
        genrank_activation_clear(a->act);
        die_usage("capacity", "--route ball is for analytic activations; this one is certified exactly");
    }
    if (a->opts.route == GENRANK_ROUTE_EXACT && a->act->kind == GENRANK_ACT_NAMED
        && genrank_phi_class(a->act->dpsi) == GENRANK_CLASS_BALL)
    {
        genrank_activation_clear(a->act);
        die_usage("capacity", "this activation's derivative has only the ball route (--route exact refused)");
    }
    if (!a->quiet)
    {
        /* options the run will not use are named */
        int ball = a->act->kind == GENRANK_ACT_NAMED
                   && (a->opts.route == GENRANK_ROUTE_BALL
                       || (a->opts.route == GENRANK_ROUTE_AUTO && genrank_phi_class(a->act->dpsi) == GENRANK_CLASS_BALL));
        if (a->seen_trials && a->opts.width == 0)
            fprintf(stderr, "genrank: capacity: warning: --trials is ignored: the search tries one "
                    "point per width (--trials applies to --width)\n");
        if (a->seen_maxprec && !ball)
            fprintf(stderr, "genrank: capacity: warning: --max-precision is ignored: only the ball "
                    "route has a precision (this one is exact)\n");
        if (a->seen_method && ball)
            fprintf(stderr, "genrank: capacity: warning: --method is ignored: the ball route works "
                    "in Arb balls\n");
    }
    if (a->out != NULL)
    {
        struct stat so, sd;
        if (stat(a->out, &so) == 0 && stat(a->path, &sd) == 0 && so.st_dev == sd.st_dev
            && so.st_ino == sd.st_ino)
        {
            genrank_activation_clear(a->act);
            die_usage("capacity", "--out names the data file itself");
        }
    }
}

/* Without --label-column, a warning when the last column looks like class
   labels read as a feature: integers only, a few distinct values (at
   most max(2, min(20, n / 5)) of them, n >= 10). */
static void
warn_label_column(const capacity_args_t *a, const genrank_data_t raw)
{
    slong n = raw->n, d = raw->d, i, j, nv = 0, cap = FLINT_MAX(2, FLINT_MIN(20, n / 5));
    const fmpq *vals[20];
    if (a->seen_label || a->quiet || n < 10 || d < 2)
        return;
    for (i = 0; i < n; i++)
    {
        const fmpq *x = raw->x + i * d + d - 1;
        if (!fmpz_is_one(fmpq_denref(x)))
            return;
        for (j = 0; j < nv && !fmpq_equal(vals[j], x); j++)
            ;
        if (j == nv)
        {
            if (nv == cap)
                return;
            vals[nv++] = x;
        }
    }
    fprintf(stderr, "genrank: capacity: warning: the last column (%ld) holds only %ld distinct "
            "integers, like class labels, and is read as a feature; give --label-column last if "
            "it is the label (or --label-column none to keep it)\n", (long) d, (long) nv);
}

/* Reads the data, reports its facts, and de-duplicates it into data;
   -1 to go on, else the exit status. */
static int
capacity_data(capacity_args_t *a, genrank_data_t raw, genrank_data_t data,
              genrank_data_facts_t facts)
{
    genrank_err_t e;
    slong bad;
    if (genrank_data_read(raw, a->path, &a->dopts, &e) != 0)
    {
        fprintf(stderr, "genrank: capacity: %s\n", e.msg);
        return EX_USAGE;
    }
    genrank_data_facts(facts, raw);
    warn_label_column(a, raw);
    if (!a->quiet && !a->json)
    {
        printf("data: %s: %ld point%s, %ld feature%s, rank %ld over Q", a->path, (long) raw->n,
               raw->n == 1 ? "" : "s", (long) raw->d, raw->d == 1 ? "" : "s", (long) facts->rank);
        if (raw->header_line > 0)
            printf(" (line %ld read as a header)", (long) raw->header_line);
        printf("\n");
    }
    /* the distinct nonzero points (all of them when nothing repeats) */
    bad = raw->n - genrank_data_dedup(data, raw, facts);
    report_facts(raw, facts, bad, a->quiet || a->json, a->dedup);
    if (bad && !a->dedup)
    {
        if (a->quiet)
            fprintf(stderr, "genrank: capacity: not certified: %ld duplicate or zero point%s "
                    "(rerun with --dedup)\n", (long) bad, bad == 1 ? "" : "s");
        if (a->json)
        {
            json_t *o = cli_json_object("capacity");
            json_object_set_new(o, "data", json_string(a->path));
            json_object_set_new(o, "activation", json_string(a->act->name));
            json_object_set_new(o, "n", json_integer(raw->n));
            json_object_set_new(o, "certified", json_false());
            json_object_set_new(o, "status", json_string("not certified"));
            json_object_set_new(o, "duplicate_groups", json_integer(facts->ndup_groups));
            json_object_set_new(o, "zero_points", json_integer(facts->nzero));
            json_object_set_new(o, "reason", json_string("duplicate or zero points"));
            print_json(o);
        }
        return EX_FAIL;
    }
    if (bad && !a->quiet && !a->json)
        printf("certifying on the %ld distinct nonzero points\n", (long) data->n);
    return -1;
}

/* 1 and *rest the part of path below dir (both resolved), else 0. */
static int
below(const char **rest, const char *path, const char *dir)
{
    size_t k = strlen(dir);
    if (strcmp(dir, "/") == 0)
        k = 0;
    else if (strncmp(path, dir, k) != 0 || path[k] != '/')
        return 0;
    *rest = path + k + 1;
    return 1;
}

/* --data-ref: the data file's path as the checker will look it up, in
   the certificate's directory (which verify reads by default) or else in
   the current directory (verify then needs --data-dir).  0, or exit 2
   with a message when the file is in neither. */
static int
data_ref_path(capacity_args_t *a)
{
    char *data = realpath(a->path, NULL), *outdir, *dir, *cwd = realpath(".", NULL);
    const char *slash = strrchr(a->out, '/'), *rest;
    int rc = 0;
    outdir = slash == NULL ? strdup(".") : slash == a->out ? strdup("/")
             : strndup(a->out, (size_t) (slash - a->out));
    dir = realpath(outdir, NULL);
    if (data != NULL && dir != NULL && below(&rest, data, dir))
        a->refpath = strdup(rest);
    else if (data != NULL && cwd != NULL && below(&rest, data, cwd))
    {
        a->refpath = strdup(rest);
        if (!a->quiet)
            fprintf(stderr, "genrank: capacity: the data file is not inside the certificate's "
                    "directory: the certificate names it as '%s' and is verified from this "
                    "directory with: genrank verify --data-dir . %s\n", a->refpath, a->out);
    }
    else
    {
        fprintf(stderr, "genrank: capacity: --data-ref needs the data file inside the "
                "certificate's directory or the current directory (the checker reads files "
                "only there)\n");
        rc = EX_USAGE;
    }
    free(data);
    free(outdir);
    free(dir);
    free(cwd);
    return rc;
}

/* The search or the fixed width, and the certificate; the exit status,
   with *report set when the outcome is to be printed (not on errors). */
static int
capacity_run(capacity_args_t *a, const genrank_data_t data, genrank_capacity_t cap, int *report)
{
    genrank_err_t e;
    int rc;
    a->opts.progress = !a->quiet;
    if (a->out == NULL)
    {
        base_name(a->base, sizeof a->base, a->path);
        snprintf(a->outbuf, sizeof a->outbuf, "genrank-capacity-%s-%s.json", a->base, a->act->name);
        a->out = a->outbuf;
    }
    /* an unwritable output and too little memory are failures (exit 1),
       as for prove (genrank(1), EXIT STATUS) */
    if (genrank_output_check(a->out, &e) != 0)
    {
        fprintf(stderr, "genrank: capacity: %s\n", e.msg);
        return EX_FAIL;
    }
    if (a->dataref && (rc = data_ref_path(a)) != 0)
        return rc;
    if (a->opts.weights != NULL && a->opts.weights->d != data->d)
    {
        fprintf(stderr, "genrank: capacity: %s: the rows of \"W\" have %ld entries but the points "
                "%ld features\n", a->point_path, (long) a->opts.weights->d, (long) data->d);
        return EX_USAGE;
    }
    if (a->opts.weights != NULL && !a->quiet && !a->json)
        printf("point: the given weights %s: width m0 = %ld, v0 = 1\n", a->point_path,
               (long) a->opts.weights->m);
    if (genrank_capacity(cap, data, a->act, &a->opts, &e) != 0)
    {
        fprintf(stderr, "genrank: capacity: %s\n", e.msg);
        return EX_FAIL;
    }
    if (cap->width > 0
        && genrank_capacity_write(cap, data, a->act, a->refpath, &a->dopts, a->out, &e) != 0)
    {
        fprintf(stderr, "genrank: capacity: %s\n", e.msg);
        return EX_FAIL;
    }
    *report = 1;
    if (cap->width == 0 && a->quiet)
        fprintf(stderr, "genrank: capacity: not certified (best rank %ld of n = %ld; rerun "
                "without --quiet for the reason)\n", (long) FLINT_MAX(cap->rank, 0), (long) cap->n);
    return cap->width == 0 ? EX_FAIL : EX_OK;
}

static void
capacity_print_json(const capacity_args_t *a, const genrank_data_t raw, const genrank_data_t data,
                    const genrank_capacity_t cap, slong nec)
{
    json_t *o = cli_json_object("capacity"), *nw = json_object();
    json_object_set_new(o, "data", json_string(a->path));
    json_object_set_new(o, "activation", json_string(a->act->name));
    json_object_set_new(o, "n", json_integer(cap->n));
    json_object_set_new(o, "d", json_integer(cap->d));
    json_object_set_new(o, "data_rank", json_integer(cap->data_rank));
    json_object_set_new(o, "points_removed", json_integer(raw->n - data->n));
    json_object_set_new(o, "certified", json_boolean(cap->width > 0));
    json_object_set_new(o, "point", json_string(a->opts.weights != NULL ? "given" : "random"));
    if (cap->width > 0)
    {
        json_object_set_new(o, "width", json_integer(cap->width));
        json_object_set_new(o, "sufficient_width", json_integer(2 * cap->width));
        json_object_set_new(o, "certificate", json_string(a->out));
    }
    else if (cap->rank >= 0)
        json_object_set_new(o, "best_rank", json_integer(cap->rank));
    /* the W-Jacobian's rank: n (its column count) when certified */
    if (cap->width > 0 || cap->rank >= 0)
        json_object_set_new(o, "rank", json_integer(cap->width > 0 ? cap->n : cap->rank));
    json_object_set_new(o, "status", json_string(cap->width > 0 ? "exact" : cap->rank >= 0
                                                 ? "lower bound" : "not certified"));
    json_object_set_new(o, "exact_by", cap->width > 0
                        ? json_string("the shape: the W-Jacobian has n columns") : json_null());
    if (cap->tried_to >= cap->tried_from)
        json_object_set_new(o, "widths_tried", json_pack("{s:I, s:I}",
                            "from", (json_int_t) cap->tried_from,
                            "to", (json_int_t) cap->tried_to));
    json_object_set_new(o, "route_lower_bound", json_integer(cap->route_min));
    json_object_set_new(nw, "theorem_5_4", json_integer(cap->nec_sard));
    json_object_set_new(nw, "with_data_rank", json_integer(cap->nec_rank));
    json_object_set_new(o, "necessary_width", json_integer(nec));
    json_object_set_new(o, "necessary_widths", nw);
    if (cap->poly_degree >= 0)
    {
        json_object_set_new(o, "polynomial_no_width", json_boolean(cap->poly_no_width));
        json_object_set_new(nw, "polynomial", json_integer(cap->nec_poly));
    }
    if (cap->width > 0)
        json_object_set_new(o, "ratio", json_real((double) (2 * cap->width) / (double) nec));
    json_object_set_new(o, "seconds", json_real(cap->seconds));
    print_json(o);
}

/* What no width can do, and the route's proved lower bound. */
static void
print_bounds(const genrank_capacity_t cap)
{
    if (cap->poly_degree >= 0 && cap->poly_no_width)
        printf("no width suffices: with psi of degree %d every output is a polynomial of "
               "degree <= %d on the %ld-dimensional span of the points, a space of "
               "dimension C(%d + %ld, %ld) < n = %ld\n", cap->poly_degree, cap->poly_degree,
               (long) cap->data_rank, cap->poly_degree, (long) cap->data_rank,
               (long) cap->data_rank, (long) cap->n);
    else if (cap->poly_degree >= 0 && cap->poly_no_route)
        printf("this route cannot certify: each row of the W-Jacobian is a polynomial of "
               "degree 1..%d vanishing at 0, so its rank is below n = %ld at every width\n",
               cap->poly_degree, (long) cap->n);
    if (cap->support_width > FLINT_MAX(cap->obs_width, 1))
        printf("route lower bound: width >= %ld, since the rows of feature l live on the s_l "
               "points where it is nonzero and sum_l min(m, s_l) < n below it\n",
               (long) cap->support_width);
    else if (cap->obs_width > 1)
        printf("route lower bound: width >= %ld, since %ld of the points (those whose nonzero "
               "features are among the most frequent) span only %ld dimension%s and the "
               "W-Jacobian's rank is at most n - |T| + m rank X_T%s\n", (long) cap->obs_width,
               (long) cap->obs_count, (long) cap->obs_rank, cap->obs_rank == 1 ? "" : "s",
               cap->width == cap->obs_width ? "; so m0 is the smallest width this route can reach"
                                            : "");
}

/* The certified width, or why none was. */
static void
print_outcome(const capacity_args_t *a, const genrank_capacity_t cap)
{
    if (cap->width > 0)
    {
        printf("certified: the W-Jacobian (%ld x %ld) has rank %ld at width m0 = %ld "
               "(%s, %s)\n", (long) (cap->width * cap->d), (long) cap->n, (long) cap->n,
               (long) cap->width, a->act->name,
               cap->route == GENRANK_ROUTE_BALL ? "ball arithmetic" : "exact, modulo a prime");
        printf("sufficient width: %ld (Theorem 5.2: a %s network of width 2 m0 fits every "
               "label vector on these %ld points)\n", (long) (2 * cap->width), a->act->name,
               (long) cap->n);
    }
    else if (cap->poly_degree >= 0 && cap->poly_no_route)
        ;   /* said above */
    else if (a->opts.width > 0 && (double) a->opts.width * (double) cap->data_rank < (double) cap->n)
        printf("not certified: at width %ld the W-Jacobian has rank <= %ld x rank X = %ld < n "
               "= %ld at every point; use a width >= %ld\n", (long) a->opts.width,
               (long) a->opts.width, (long) (a->opts.width * cap->data_rank), (long) cap->n,
               (long) cap->route_min);
    else if ((a->opts.width > 0 && a->opts.width < cap->route_min)
             || (a->opts.width == 0 && cap->tried_to < cap->tried_from))
        printf("not certified: below width %ld the W-Jacobian has rank < n = %ld at every "
               "point (proved above); %s\n", (long) cap->route_min, (long) cap->n,
               a->opts.width > 0 ? "use a larger --width" : "raise --max-width");
    else if (!(cap->poly_degree >= 0 && cap->poly_no_route))
        printf("not certified: no width from %ld to %ld reached rank n = %ld (best rank %ld "
               "at width %ld); this proves no impossibility: try --max-width, --trials or "
               "another --seed\n", (long) cap->tried_from, (long) cap->tried_to,
               (long) cap->n, (long) cap->rank, (long) cap->best_width);
}

/* The necessary widths, the ratio and the certificate. */
static void
print_necessary(const capacity_args_t *a, const genrank_capacity_t cap, slong nec)
{
    printf("necessary width: %ld (Theorem 5.4: m (d + 2) >= n with d = %ld)",
           (long) cap->nec_sard, (long) cap->d);
    if (cap->nec_rank > cap->nec_sard)
        printf("; %ld with d replaced by rank X = %ld", (long) cap->nec_rank,
               (long) cap->data_rank);
    if (cap->poly_degree >= 0 && !cap->poly_no_width && cap->nec_poly > 0)
        printf("; %ld for degree %d (rank <= 2m + C(%d + %ld, %ld) - 1, Theorem 5.4's "
               "polynomial clause with the bias counted)", (long) cap->nec_poly,
               cap->poly_degree, cap->poly_degree, (long) cap->data_rank,
               (long) cap->data_rank);
    printf("\n");
    if (cap->width > 0)
    {
        printf("ratio sufficient / necessary: %ld / %ld = %.2f\n", (long) (2 * cap->width),
               (long) nec, (double) (2 * cap->width) / (double) nec);
        printf("certificate: %s\n", a->out);
    }
}

int
cmd_capacity(int argc, char **argv)
{
    capacity_args_t a;
    genrank_data_t raw, data;
    genrank_data_facts_t facts;
    genrank_capacity_t cap;
    int status, report = 0;

    if ((status = capacity_parse(&a, argc, argv)) >= 0)
        return status;
    capacity_validate(&a, argc, argv);
    genrank_point_init(a.weights);
    if (a.point_path != NULL)
    {
        genrank_err_t e;
        if (genrank_weights_read(a.weights, a.point_path, &e) != 0)
        {
            fprintf(stderr, "genrank: capacity: %s\n", e.msg);
            genrank_point_clear(a.weights);
            genrank_activation_clear(a.act);
            free(a.refpath);
            return EX_USAGE;
        }
        a.opts.weights = a.weights;
    }
    set_threads(a.threads);
    genrank_data_init(raw);
    genrank_data_init(data);
    genrank_data_facts_init(facts);
    genrank_capacity_init(cap);
    if ((status = capacity_data(&a, raw, data, facts)) < 0)
    {
        status = capacity_run(&a, data, cap, &report);
        if (report)
        {
            slong nec = FLINT_MAX(FLINT_MAX(cap->nec_sard, cap->nec_rank), cap->nec_poly);
            if (a.json)
                capacity_print_json(&a, raw, data, cap, nec);
            else if (!a.quiet)
            {
                print_bounds(cap);
                print_outcome(&a, cap);
                print_necessary(&a, cap, nec);
            }
        }
    }
    genrank_capacity_clear(cap);
    genrank_data_facts_clear(facts);
    genrank_data_clear(raw);
    genrank_data_clear(data);
    genrank_activation_clear(a.act);
    genrank_point_clear(a.weights);
    free(a.refpath);
    return status;
}
