/* genrank rank FILE: the exact rank of a user's matrix, with a certificate. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "cli.h"

static const char *usage_rank =
"Usage: genrank rank FILE [--exact] [--upper-bound auto|kernel|probabilistic]\n"
"                    [--format auto|mm|sms|json|npy] [--float-exact]\n"
"                    [--out CERT] [--seed S]\n"
"                    [--max-kernel-size SIZE] [--json] [--quiet]\n"
"\n"
"Reads a matrix of integers or rationals exactly (Matrix Market, LinBox's SMS,\n"
"JSON: an array of rows of integers or strings such as \"0.1\" or \"-2/3\", or\n"
"numpy's .npy of integers or booleans)\n"
"and certifies its rank over Q: a nonzero r x r minor modulo a prime proves\n"
"rank >= r; with --exact an integer basis of the smaller kernel proves\n"
"rank <= r, so the rank is exactly r.  When that basis would be too large,\n"
"the upper bound is probabilistic instead: the rank modulo primes drawn from\n"
"the matrix's SHA-256 digest, with the error bound that Hadamard's bound\n"
"gives (\"exact with probability >= 1 - 2^-B\").  The certificate holds the\n"
"matrix and is checked by 'genrank verify'.\n"
"\n"
"  --exact             also prove the upper bound\n"
"  --upper-bound HOW   auto (default: the kernel basis when its estimated\n"
"                      size fits, else probabilistic), kernel, or\n"
"                      probabilistic; implies --exact\n"
"  --format F          the file's format (default: from its first characters)\n"
"  --float-exact       read a .npy array of floats, each value as the exact\n"
"                      binary fraction it is (0.1 is 3602879701896397/2^55)\n"
"  --out CERT          certificate path (default genrank-rank-NAME.json)\n"
"  --seed S            seed of the random primes (default 1); with --exact the\n"
"                      primes come from the matrix's digest instead, unless\n"
"                      --upper-bound kernel\n"
"  --max-kernel-size SIZE  the kernel basis's largest estimated size (bytes, or\n"
"                      with K, M, G; default 1G or a quarter of the memory)\n"
"  --json              print a JSON object (doc/json.md)\n"
"  --quiet             print nothing but errors\n"
"\n"
"Exit status: 0 certified; 1 failure; 2 bad usage or unreadable file.\n";

typedef struct {
    const char *path, *out;
    char outbuf[512];
    genrank_matrix_format_t fmt;
    genrank_matrix_opts_t opts;
    int json, quiet, floats;
} rank_args_t;

static int
rank_parse(rank_args_t *a, int argc, char **argv)
{
    enum { R_EXACT = 600, R_FORMAT, R_MAXK, R_UPPER, R_FLOAT };
    static struct option lo[] = {
        {"exact", no_argument, 0, R_EXACT}, {"upper-bound", required_argument, 0, R_UPPER},
        {"float-exact", no_argument, 0, R_FLOAT},
        {"format", required_argument, 0, R_FORMAT},
        {"out", required_argument, 0, O_OUT}, {"seed", required_argument, 0, O_SEED},
        {"max-kernel-size", required_argument, 0, R_MAXK}, {"json", no_argument, 0, O_JSON},
        {"quiet", no_argument, 0, O_QUIET}, {"help", no_argument, 0, O_HELP}, {0, 0, 0, 0}};
    int c;
    uint64_t u;
    memset(a, 0, sizeof *a);
    genrank_matrix_opts_init(&a->opts);
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1)
        switch (c)
        {
        case R_EXACT: a->opts.exact = 1; break;
        case R_FLOAT: a->floats = 1; break;
        case R_UPPER:
            a->opts.exact = 1;
            if (!strcmp(optarg, "auto")) a->opts.upper = GENRANK_UPPER_AUTO;
            else if (!strcmp(optarg, "kernel")) a->opts.upper = GENRANK_UPPER_KERNEL;
            else if (!strcmp(optarg, "probabilistic")) a->opts.upper = GENRANK_UPPER_PROBABILISTIC;
            else die_usage("rank", "--upper-bound must be auto, kernel or probabilistic");
            break;
        case R_FORMAT:
            if (!strcmp(optarg, "auto")) a->fmt = GENRANK_MATRIX_AUTO;
            else if (!strcmp(optarg, "mm")) a->fmt = GENRANK_MATRIX_MM;
            else if (!strcmp(optarg, "sms")) a->fmt = GENRANK_MATRIX_SMS;
            else if (!strcmp(optarg, "json")) a->fmt = GENRANK_MATRIX_JSON;
            else if (!strcmp(optarg, "npy")) a->fmt = GENRANK_MATRIX_NPY;
            else die_usage("rank", "--format must be auto, mm, sms, json or npy");
            break;
        case O_OUT: a->out = optarg; break;
        case O_SEED:
            if (parse_u64(&u, optarg))
                die_usage("rank", "--seed must be an integer in [0, 2^64)");
            a->opts.seed = u;
            break;
        case R_MAXK:
            if (parse_bytes(&a->opts.max_kernel_bytes, optarg))
                die_usage("rank", "--max-kernel-size must be a positive size, e.g. 200M");
            break;
        case O_JSON: a->json = 1; break;
        case O_QUIET: a->quiet = 1; break;
        case 'h': case O_HELP:
            fputs(usage_rank, stdout);
            return EX_OK;
        default:
            die_usage("rank", bad_option(argv));
        }
    if (optind + 1 != argc)
        die_usage("rank", "expected exactly one matrix file");
    a->path = argv[optind];
    if (a->out == NULL)
    {
        const char *b = strrchr(a->path, '/'), *dot;
        int len;
        b = b ? b + 1 : a->path;
        dot = strrchr(b, '.');
        len = dot && dot > b ? (int) (dot - b) : (int) strlen(b);
        snprintf(a->outbuf, sizeof a->outbuf, "genrank-rank-%.*s.json", FLINT_MIN(len, 200), b);
        a->out = a->outbuf;
    }
    return -1;
}

/* What proves the upper bound, in words (buf). */
static const char *
upper_text(char *buf, size_t len, const genrank_matrix_rank_t res)
{
    if (!res->exact)
        snprintf(buf, len, "none");
    else if (res->probabilistic && res->error_bits < 0)
        snprintf(buf, len, "its rank modulo %s drawn from its SHA-256 digest, above Hadamard's "
                 "bound on the (r+1)-minors (2^%.1f)", res->nh == 1 ? "a prime" : "primes", res->minor_bits);
    else if (res->probabilistic)
        snprintf(buf, len, "its rank modulo %ld primes drawn from its SHA-256 digest; the error is at "
                 "most 2^-%ld if SHA-256 behaves as a random oracle", (long) res->nh, (long) res->error_bits);
    else if (res->k == 0)
        snprintf(buf, len, "the shape: min(rows, cols) = %ld", (long) res->rank);
    else
        snprintf(buf, len, "a basis of the %s kernel: %ld integer vector%s, independent by a nonzero "
                 "minor modulo %lu", res->left ? "left" : "right", (long) res->k, res->k == 1 ? "" : "s",
                 (unsigned long) res->np);
    return buf;
}

static void
rank_print(const rank_args_t *a, const genrank_matrix_t M, const genrank_matrix_rank_t res)
{
    char st[64], up[256];
    upper_text(up, sizeof up, res);
    if (a->json)
    {
        json_t *o = cli_json_object("rank");
        json_object_set_new(o, "matrix", json_string(a->path));
        json_object_set_new(o, "format", json_string(genrank_matrix_format_name(M->format)));
        json_object_set_new(o, "rows", json_integer(M->r));
        json_object_set_new(o, "cols", json_integer(M->c));
        json_object_set_new(o, "rank", json_integer(res->rank));
        json_object_set_new(o, "status", json_string(genrank_matrix_status(st, res)));
        json_object_set_new(o, "exact_by", !res->exact ? json_null() : json_string(up));
        json_object_set_new(o, "upper_bound_kind", !res->exact ? json_null()
                            : json_string(res->probabilistic ? "probabilistic" : res->k == 0 ? "full rank"
                                          : res->left ? "left kernel" : "right kernel"));
        if (res->exact && res->probabilistic)
            json_object_set_new(o, "error_bits", res->error_bits < 0 ? json_null()
                                : json_integer(res->error_bits));
        if (!res->exact && res->why[0])
            json_object_set_new(o, "upper_bound_missing", json_string(res->why));
        json_object_set_new(o, "certificate", json_string(a->out));
        json_object_set_new(o, "seconds", json_real(res->seconds));
        print_json(o);
        return;
    }
    if (a->quiet)
        return;
    printf("matrix: %s: %ld x %ld (%s)\n", a->path, (long) M->r, (long) M->c,
           genrank_matrix_format_name(M->format));
    printf("certified: rank >= %ld (a nonzero %ld x %ld minor modulo %lu)\n", (long) res->rank,
           (long) res->rank, (long) res->rank, (unsigned long) res->p);
    if (res->exact)
        printf("%s: rank = %ld (rank <= %ld by %s; %.3f s)\n", genrank_matrix_status(st, res),
               (long) res->rank, (long) res->rank, up, res->seconds);
    else if (res->why[0])
        printf("lower bound only: %s; --upper-bound probabilistic (or auto) bounds it otherwise\n", res->why);
    else
        printf("lower bound only (--exact proves the upper bound too)\n");
    printf("certificate: %s\n", a->out);
}

int
cmd_rank(int argc, char **argv)
{
    rank_args_t a;
    genrank_matrix_t M;
    genrank_matrix_rank_t res;
    genrank_err_t e;
    int rc;

    if ((rc = rank_parse(&a, argc, argv)) >= 0)
        return rc;
    genrank_matrix_init(M);
    genrank_matrix_rank_init(res);
    if ((rc = genrank_matrix_read(M, a.path, (int) a.fmt | (a.floats ? GENRANK_MATRIX_FLOAT_EXACT : 0), &e)) != 0)
    {
        fprintf(stderr, "genrank: rank: %s\n", e.msg);
        return rc == GENRANK_ENOMEM ? EX_FAIL : EX_USAGE;
    }
    if (a.floats && M->format != GENRANK_MATRIX_NPY)
        fprintf(stderr, "genrank: rank: warning: --float-exact applies to .npy files only; ignored\n");
    if (genrank_output_check(a.out, &e) != 0)
    {
        fprintf(stderr, "genrank: rank: %s\n", e.msg);
        genrank_matrix_clear(M);
        return EX_FAIL;
    }
    if (!a.quiet && !a.json)
        ticker_start(a.opts.exact ? "rank: the rank and the kernel" : "rank: eliminating");
    rc = genrank_matrix_rank(res, M, &a.opts, &e);
    ticker_stop();
    if (rc == 0)
        rc = genrank_matrix_cert_write(res, M, a.out, &e);
    if (rc != 0)
        fprintf(stderr, "genrank: rank: %s\n", e.msg);
    else
        rank_print(&a, M, res);
    genrank_matrix_rank_clear(res);
    genrank_matrix_clear(M);
    return rc == 0 ? EX_OK : EX_FAIL;
}
