/* genrank: the command-line tool. */
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
#include "genrank.h"
#include "cli.h"

/* exit statuses (doc/genrank.1) */
enum { EX_OK = 0, EX_FAIL = 1, EX_USAGE = 2, EX_BELOW = 3 };

#define MAX_SIZE (WORD(1) << 40)

static const char *usage_main =
"Usage: genrank COMMAND [OPTIONS]\n"
"\n"
"Certified lower bounds on the generic rank of phi(A B^T) (hadamard) and\n"
"B^T (Khatri-Rao) phi(A B^T) (khatri-rao) for polynomial phi and for named\n"
"analytic activations (tanh, sigmoid, gelu, ...), with certificates anyone\n"
"can check.\n"
"\n"
"Commands:\n"
"  formula   print the published prediction (Theorems 3.2 / 4.3 / 4.4 / 4.5)\n"
"  prove     certify a rank at a random integer point and write a certificate\n"
"  verify    check a certificate from scratch\n"
"  capacity  certify how wide a two-layer network must be to fit any labels\n"
"            on a data set (Theorems 5.2-5.4)\n"
"  sweep     certify every case of a grid of sizes and coefficient supports\n"
"  merge     join the outputs of sweep shards\n"
"  report    summarise a sweep as Markdown, CSV and SVG\n"
"  help CMD  show the options of a command\n"
"\n"
"  -h, --help     show this help      -V, --version  show the version\n"
"\n"
"Exit status: 0 success; 1 failure or invalid certificate; 2 bad usage or\n"
"unreadable file; 3 (prove) certificate valid but below the prediction.\n"
"See genrank(1).\n";

static const char *usage_formula =
"Usage: genrank formula [--family F] --m M --d D --n N (--coeffs C | --phi NAME)\n"
"                       [--json]\n"
"\n"
"Prints the paper's predicted generic rank, computed in exact integers:\n"
"  hadamard   (m x n):  min(m, n, sum over c_k != 0 of C(k+d-1, k))   Thm 3.1/3.2\n"
"  khatri-rao (md x n): min(md, n, sum over c_k != 0 of C(k+d, k+1))  Thm 4.2/4.3\n"
"For khatri-rao with a monomial phi = c x^k it also prints the exact value\n"
"given by the Alexander-Hirschowitz theorem.\n"
"\n"
"  --family F    hadamard or khatri-rao (default khatri-rao)\n"
"  --m M, --d D, --n N   sizes (A is m x d, B is n x d), each >= 1\n"
"  --coeffs C    c0,c1,...,cK as integers or fractions, e.g. 0,1,1/2\n"
"  --phi NAME    a named analytic activation instead (tanh, sigmoid', gelu, ...):\n"
"                Theorem 4.4 / 4.5's min(m, n) / min(md, n)\n"
"  --json        print a JSON object instead of text\n";

static const char *usage_prove =
"Usage: genrank prove [--family F] [--m M] [--d D] [--n N] [--coeffs C]\n"
"                     [--seed S] [--prime P | --prime-bits B] [--range R]\n"
"                     [--trials T] [--method M] [--threads N] [--out FILE]\n"
"                     [--json] [--quiet]\n"
"       genrank prove --phi NAME [--route R] [--denominator Q] [--max-precision B]\n"
"                     [--compare-float] [the options above]\n"
"\n"
"Draws A (m x d) and B (n x d) with integer entries uniform in [-R, R]\n"
"(SplitMix64 from the seed), builds the matrix modulo a prime, computes its\n"
"rank (FLINT, or genrank's BLAS kernel for large matrices) and writes a\n"
"certificate: a nonzero minor of that order.\n"
"While the rank is below the prediction it retries at fresh points and\n"
"primes, keeps the best witness and records the evidence.\n"
"With no options: khatri-rao, m=6, d=4, n=24, coeffs 1,1,1/2 (phi = 1 + x + x^2/2).\n"
"\n"
"  --family F      hadamard or khatri-rao (default khatri-rao)\n"
"  --m, --d, --n   sizes (defaults 6, 4, 24)\n"
"  --coeffs C      c0,c1,...,cK (default 1,1,1/2)\n"
"  --seed S        generator seed, 0..2^64-1 (default: from /dev/urandom;\n"
"                  always recorded in the certificate)\n"
"  --prime P       use this prime for every trial (any prime < 2^64)\n"
"  --prime-bits B  draw primes uniformly from [2^(B-1), 2^B) (default: 20 when\n"
"                  the BLAS kernel runs, else 62)\n"
"  --range R       entries of A and B in [-R, R] (default 1048576)\n"
"  --trials T      at most T points while below the prediction (default 5)\n"
"  --method M      auto, flint or blas: elimination by FLINT's nmod_mat or by\n"
"                  the BLAS kernel (primes below 2^24); auto picks the kernel\n"
"                  from 200 x 200 up (default auto)\n"
"  --threads N     threads for FLINT and OpenBLAS (default: OPENBLAS_NUM_THREADS\n"
"                  if set, else every core)\n"
"  --out FILE      certificate path (default genrank-FAMILY-mM-dD-nN-phiC.json,\n"
"                  C the coefficients, e.g. phi1_1_1d2 for 1,1,1/2)\n"
"  --kruskal       also certify the Kruskal rank: a nonzero minor in every\n"
"                  k-subset of columns (refused when there are more than\n"
"                  1000000 subsets)\n"
"  --json          print a JSON summary on stdout\n"
"  --quiet         print nothing but errors\n"
"\n"
"Named analytic activations (Theorems 4.4 / 4.5; doc/theory.md):\n"
"  --phi NAME      exp, sinh, cosh, tanh, tanh', sigmoid, sigmoid', silu, silu',\n"
"                  sin, cos, cos', arctan' (exact route), erf, erf', gelu, gelu',\n"
"                  arctan, softplus (ball route); exp', sinh', cosh', sin' and\n"
"                  softplus' are accepted too.  The point is (A / q, B).\n"
"  --route R       auto, exact or ball (default auto: exact where it exists).\n"
"                  exact: every entry is rational in x and t = e^(1/q) (or\n"
"                  e^(i/q)); the minor is certified modulo p at a random residue\n"
"                  t0 of t.  ball: Arb ball arithmetic, precision doubled until\n"
"                  the minor's determinant excludes 0\n"
"  --denominator Q the q of the point (default range^2, so entries of A / q B^T\n"
"                  are of order 1)\n"
"  --max-precision B  ball route: at most B bits (default 8192)\n"
"  --compare-float also print the floating-point rank (LAPACK SVD, numpy's default\n"
"                  tolerance) next to the certified one\n"
"\n"
"Exit status: 0 certified rank equals the prediction; 3 certificate valid but\n"
"below it; 1 failure; 2 bad usage.\n";

static const char *usage_verify =
"Usage: genrank verify FILE [--json] [--quiet]\n"
"\n"
"Re-derives the certificate's witness minor from the recorded instance alone\n"
"and checks it. Exit 0 valid, 1 invalid (the failed check is named),\n"
"2 unreadable file or bad usage.\n"
"\n"
"  --json    print a JSON object with the verdict\n"
"  --quiet   print nothing but errors\n";

static void
die_usage(const char *cmd, const char *msg)
{
    fprintf(stderr, "genrank: %s%s%s\n", cmd ? cmd : "", cmd ? ": " : "", msg);
    fprintf(stderr, "Try 'genrank %s%s--help' for more information.\n",
            cmd ? cmd : "", cmd ? " " : "");
    exit(EX_USAGE);
}

/* The message for the option getopt_long just rejected. */
static const char *
bad_option(char **argv)
{
    static char buf[128];
    const char *opt = argv[optind - 1];
    if (optopt != 0 && strncmp(opt, "--", 2) != 0)
        snprintf(buf, sizeof buf, "unknown option '-%c'", optopt);
    else if (optopt == 0)
        snprintf(buf, sizeof buf, "unknown option '%.60s'", opt);
    else if (strchr(opt, '=') != NULL)
        snprintf(buf, sizeof buf, "option '%.60s' takes no value", opt);
    else
        snprintf(buf, sizeof buf, "option '%.60s' needs a value", opt);
    return buf;
}

/* A JSON integer value from an fmpz: a number below 2^53, else a string. */
json_t *
genrank_json_fmpz(const fmpz_t x)
{
    if (fmpz_bits(x) <= 53)
        return json_integer((json_int_t) fmpz_get_si(x));
    else
    {
        char *s = fmpz_get_str(NULL, 10, x);
        json_t *j = json_string(s);
        flint_free(s);
        return j;
    }
}

static void
print_json(json_t *obj)
{
    char *s = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    puts(s);
    free(s);
    json_decref(obj);
}

static int
parse_u64(uint64_t *out, const char *s)
{
    char *end;
    unsigned long long v;
    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

/* Options shared by formula and prove. */
typedef struct {
    genrank_family_t family;
    slong m, d, n;
    fmpq *coeffs;
    slong len;
    genrank_phi_t phi;   /* GENRANK_PHI_POLY unless --phi */
} spec_t;

enum { O_FAMILY = 256, O_M, O_D, O_N, O_COEFFS, O_JSON, O_SEED, O_PRIME,
       O_PRIME_BITS, O_RANGE, O_TRIALS, O_OUT, O_QUIET, O_THREADS, O_HELP, O_METHOD,
       O_KRUSKAL, O_PHI, O_ROUTE, O_DENOM, O_MAXPREC, O_COMPARE };

static int
spec_option(spec_t *sp, int c, const char *arg, const char *cmd)
{
    genrank_err_t e;
    int rc = 0;
    switch (c)
    {
    case O_FAMILY: rc = genrank_family_parse(&sp->family, arg, &e); break;
    case O_M: rc = genrank_size_parse(&sp->m, arg, MAX_SIZE, "--m", &e); break;
    case O_D: rc = genrank_size_parse(&sp->d, arg, MAX_SIZE, "--d", &e); break;
    case O_N: rc = genrank_size_parse(&sp->n, arg, MAX_SIZE, "--n", &e); break;
    case O_COEFFS:
        genrank_coeffs_free(sp->coeffs, sp->len);
        sp->coeffs = NULL;
        rc = genrank_coeffs_parse(&sp->coeffs, &sp->len, arg, &e);
        break;
    case O_PHI: rc = genrank_phi_parse(&sp->phi, arg, &e); break;
    default:
        return 0;
    }
    if (rc)
        die_usage(cmd, e.msg);
    return 1;
}

/* phi as text, e.g. "1 + x + 1/2*x^2" (truncated with "..." if long). */
static void
phi_string(char *buf, size_t size, const fmpq *c, slong len)
{
    size_t used = 0;
    slong k;
    buf[0] = '\0';
    for (k = 0; k < len; k++)
    {
        char *s, pw[32] = "";
        int neg = fmpq_sgn(c + k) < 0, one;
        if (fmpq_is_zero(c + k))
            continue;
        if (used + 80 >= size)
        {
            snprintf(buf + used, size - used, " + ...");
            return;
        }
        s = fmpq_get_str(NULL, 10, c + k);
        one = fmpz_is_one(fmpq_denref(c + k)) && fmpz_is_pm1(fmpq_numref(c + k));
        if (k == 1)
            snprintf(pw, sizeof pw, "x");
        else if (k > 1)
            snprintf(pw, sizeof pw, "x^%ld", (long) k);
        used += snprintf(buf + used, size - used, "%s%s%s%s",
                         used ? (neg ? " - " : " + ") : (neg ? "-" : ""),
                         (one && k > 0) ? "" : s + neg, (!one && k > 0) ? "*" : "", pw);
        flint_free(s);
    }
    if (used == 0)
        snprintf(buf, size, "0");
}

/* phi as text for either kind of spec. */
static void
spec_phi_string(char *buf, size_t size, const spec_t *sp)
{
    if (sp->phi != GENRANK_PHI_POLY)
        snprintf(buf, size, "%s(x) = %s", genrank_phi_name(sp->phi),
                 genrank_phi_definition(sp->phi));
    else
        phi_string(buf, size, sp->coeffs, sp->len);
}

static struct option spec_longopts[] = {
    {"family", required_argument, 0, O_FAMILY},
    {"m", required_argument, 0, O_M},
    {"d", required_argument, 0, O_D},
    {"n", required_argument, 0, O_N},
    {"coeffs", required_argument, 0, O_COEFFS},
    {"json", no_argument, 0, O_JSON},
    {"seed", required_argument, 0, O_SEED},
    {"prime", required_argument, 0, O_PRIME},
    {"prime-bits", required_argument, 0, O_PRIME_BITS},
    {"range", required_argument, 0, O_RANGE},
    {"trials", required_argument, 0, O_TRIALS},
    {"out", required_argument, 0, O_OUT},
    {"quiet", no_argument, 0, O_QUIET},
    {"threads", required_argument, 0, O_THREADS},
    {"method", required_argument, 0, O_METHOD},
    {"kruskal", no_argument, 0, O_KRUSKAL},
    {"phi", required_argument, 0, O_PHI},
    {"route", required_argument, 0, O_ROUTE},
    {"denominator", required_argument, 0, O_DENOM},
    {"max-precision", required_argument, 0, O_MAXPREC},
    {"compare-float", no_argument, 0, O_COMPARE},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0}
};

/* --coeffs and --phi exclude each other. */
static void
spec_check_phi(const spec_t *sp, const char *cmd)
{
    if (sp->phi != GENRANK_PHI_POLY && sp->coeffs != NULL)
        die_usage(cmd, "give --coeffs (a polynomial) or --phi (a named activation), not both");
}

/* ------------------------------------------------------------------ */

static int
cmd_formula(int argc, char **argv)
{
    spec_t sp = {GENRANK_KHATRI_RAO, 0, 0, 0, NULL, 0, GENRANK_PHI_POLY};
    genrank_formula_t f;
    int c, json = 0;

    while ((c = getopt_long(argc, argv, "h", spec_longopts, NULL)) != -1)
    {
        if (spec_option(&sp, c, optarg, "formula"))
            continue;
        if (c == O_JSON)
            json = 1;
        else if (c == O_HELP || c == 'h')
        {
            fputs(usage_formula, stdout);
            return EX_OK;
        }
        else if (c == '?')
            die_usage("formula", bad_option(argv));
        else
            die_usage("formula", "option not accepted by formula");
    }
    if (optind < argc)
        die_usage("formula", "unexpected argument");
    spec_check_phi(&sp, "formula");
    if (sp.m == 0 || sp.d == 0 || sp.n == 0 || (sp.coeffs == NULL && sp.phi == GENRANK_PHI_POLY))
        die_usage("formula", "--m, --d, --n and --coeffs (or --phi) are required");

    genrank_formula_init(f);
    if (sp.phi != GENRANK_PHI_POLY)
        genrank_formula_phi(f, sp.family, sp.m, sp.d, sp.n);
    else
        genrank_formula(f, sp.family, sp.m, sp.d, sp.n, sp.coeffs, sp.len);
    if (json)
    {
        json_t *o = json_object(), *cs = json_array();
        slong k;
        json_object_set_new(o, "family", json_string(genrank_family_name(sp.family)));
        json_object_set_new(o, "m", json_integer(sp.m));
        json_object_set_new(o, "d", json_integer(sp.d));
        json_object_set_new(o, "n", json_integer(sp.n));
        for (k = 0; k < sp.len; k++)
        {
            char *s = fmpq_get_str(NULL, 10, sp.coeffs + k);
            json_array_append_new(cs, json_string(s));
            flint_free(s);
        }
        if (sp.phi != GENRANK_PHI_POLY)
        {
            json_decref(cs);
            json_object_set_new(o, "phi", json_string(genrank_phi_name(sp.phi)));
        }
        else
            json_object_set_new(o, "coeffs", cs);
        json_object_set_new(o, "theorem", json_string(f->theorem));
        if (!f->analytic)
            json_object_set_new(o, "binomial_sum", genrank_json_fmpz(f->terms));
        json_object_set_new(o, "predicted", genrank_json_fmpz(f->predicted));
        if (f->has_corrected)
        {
            json_object_set_new(o, "corrected", genrank_json_fmpz(f->corrected));
            json_object_set_new(o, "corrected_source", json_string(f->corrected_source));
        }
        print_json(o);
    }
    else
    {
        char phi[256];
        spec_phi_string(phi, sizeof phi, &sp);
        printf("family     %s, m=%ld d=%ld n=%ld, phi(x) = %s\n", genrank_family_name(sp.family),
               (long) sp.m, (long) sp.d, (long) sp.n, phi);
        printf("predicted  ");
        fmpz_print(f->predicted);
        if (f->analytic)
            printf("  (%s: min(%s, n) for phi real analytic and not a polynomial)\n",
                   f->theorem, sp.family == GENRANK_HADAMARD ? "m" : "md");
        else
        {
            printf("  (%s: min(%s, n, ", f->theorem, sp.family == GENRANK_HADAMARD ? "m" : "md");
            fmpz_print(f->terms);
            printf("))\n");
        }
        if (f->has_corrected)
        {
            printf("corrected  ");
            fmpz_print(f->corrected);
            printf("  (%s)%s\n", f->corrected_source,
                   f->ah_exceptional ? ": the published value is too high here" : "");
        }
    }
    genrank_formula_clear(f);
    genrank_coeffs_free(sp.coeffs, sp.len);
    return EX_OK;
}

/* genrank-FAMILY-mM-dD-nN-phiC.json, C the coefficients with ',' -> '_'
   and '/' -> 'd' (e.g. phi1_1_1d2 for 1,1,1/2); a long list is replaced
   by a 32-bit FNV-1a hash of it (phihXXXXXXXX). */
static void
default_name(char *buf, size_t size, const spec_t *sp)
{
    char tag[64];
    size_t used = 0;
    uint32_t h = 2166136261u;
    slong k;
    int fits = 1;
    if (sp->phi != GENRANK_PHI_POLY)
    {
        snprintf(buf, size, "genrank-%s-m%ld-d%ld-n%ld-%s.json",
                 genrank_family_name(sp->family), (long) sp->m, (long) sp->d, (long) sp->n,
                 genrank_phi_tag(sp->phi));
        return;
    }
    for (k = 0; k < sp->len; k++)
    {
        char *s = fmpq_get_str(NULL, 10, sp->coeffs + k), *q;
        for (q = s; ; q++)
        {
            char ch = (*q == '\0') ? ',' : *q;
            h = (h ^ (unsigned char) ch) * 16777619u;
            if (*q == '\0')
                break;
        }
        if (used + strlen(s) + 2 >= 40)
            fits = 0;
        else
        {
            if (k > 0)
                tag[used++] = '_';
            for (q = s; *q; q++)
                tag[used++] = (*q == '/') ? 'd' : *q;
            tag[used] = '\0';
        }
        flint_free(s);
    }
    if (!fits)
        snprintf(tag, sizeof tag, "h%08x", (unsigned) h);
    snprintf(buf, size, "genrank-%s-m%ld-d%ld-n%ld-phi%s.json",
             genrank_family_name(sp->family), (long) sp->m, (long) sp->d, (long) sp->n, tag);
}

/* --threads N, else OPENBLAS_NUM_THREADS for FLINT too, else every core. */
static void
set_threads(slong threads)
{
    const char *env = getenv("OPENBLAS_NUM_THREADS");
    if (threads == 0 && env != NULL && atoi(env) > 0)
    {
        flint_set_num_threads(atoi(env));
        return;
    }
    if (threads == 0)
        threads = FLINT_MAX(1, sysconf(_SC_NPROCESSORS_ONLN));
    genrank_set_threads((int) threads);
}

static uint64_t
fresh_seed(void)
{
    uint64_t s = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f == NULL || fread(&s, sizeof s, 1, f) != 1)
        s = (uint64_t) time(NULL) * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t) getpid();
    if (f != NULL)
        fclose(f);
    return s;
}

/* The command whose options prove_u64 and prove_choice are reading. */
static const char *opt_cmd = "prove";

/* A prove (or capacity) option's integer in [lo, hi], else the usage error msg. */
static uint64_t
prove_u64(const char *arg, uint64_t lo, uint64_t hi, const char *msg)
{
    uint64_t u;
    if (parse_u64(&u, arg) || u < lo || u > hi)
        die_usage(opt_cmd, msg);
    return u;
}

/* The index (0, 1 or 2) of arg among three names, else the usage error msg. */
static int
prove_choice(const char *arg, const char *n0, const char *n1, const char *n2,
             const char *msg)
{
    if (!strcmp(arg, n0))
        return 0;
    if (!strcmp(arg, n1))
        return 1;
    if (!strcmp(arg, n2))
        return 2;
    die_usage(opt_cmd, msg);
    return -1;
}

static int
cmd_prove(int argc, char **argv)
{
    spec_t sp = {GENRANK_KHATRI_RAO, 6, 4, 24, NULL, 0, GENRANK_PHI_POLY};
    genrank_prove_opts_t opts;
    genrank_cert_t cert;
    genrank_err_t e;
    char outbuf[256], phi[256];
    const char *out = NULL;
    int c, json = 0, quiet = 0, have_seed = 0, status, kruskal = 0, kruskal_failed = 0;
    int compare = 0, frc = 0, rc;
    slong threads = 0, frank = 0;
    double smax = 0, smin = 0;
    uint64_t u;

    genrank_prove_opts_init(&opts);
    while ((c = getopt_long(argc, argv, "h", spec_longopts, NULL)) != -1)
    {
        if (spec_option(&sp, c, optarg, "prove"))
            continue;
        switch (c)
        {
        case O_JSON: json = 1; break;
        case O_QUIET: quiet = 1; break;
        case O_KRUSKAL: kruskal = 1; break;
        case O_OUT: out = optarg; break;
        case O_SEED:
            if (parse_u64(&opts.seed, optarg))
                die_usage("prove", "--seed must be an integer in [0, 2^64)");
            have_seed = 1;
            break;
        case O_PRIME:
            if (parse_u64(&u, optarg))
                die_usage("prove", "--prime must be an integer in [2, 2^64)");
            if (u < 2 || !n_is_prime(u))
            {
                snprintf(outbuf, sizeof outbuf, "--prime %s is not a prime", optarg);
                die_usage("prove", outbuf);
            }
            opts.prime = u;
            break;
        case O_PRIME_BITS:
            opts.prime_bits = (int) prove_u64(optarg, 3, 63, "--prime-bits must be in [3, 63]");
            break;
        case O_RANGE:
            opts.range = prove_u64(optarg, 1, UINT64_C(1) << 62,
                                   "--range must be an integer in [1, 2^62]");
            break;
        case O_TRIALS:
            opts.trials = (slong) prove_u64(optarg, 1, 1000000,
                                            "--trials must be an integer in [1, 1000000]");
            break;
        case O_METHOD:
            /* the names in the order of GENRANK_METHOD_AUTO, _FLINT, _BLAS */
            opts.method = prove_choice(optarg, "auto", "flint", "blas",
                                       "--method must be auto, flint or blas");
            break;
        case O_THREADS:
            threads = (slong) prove_u64(optarg, 1, 4096, "--threads must be an integer in [1, 4096]");
            break;
        case O_ROUTE:
            /* the names in the order of GENRANK_ROUTE_AUTO, _EXACT, _BALL */
            opts.route = prove_choice(optarg, "auto", "exact", "ball",
                                      "--route must be auto, exact or ball");
            break;
        case O_DENOM:
            opts.denominator = prove_u64(optarg, 1, UINT64_MAX,
                                         "--denominator must be an integer in [1, 2^64)");
            break;
        case O_MAXPREC:
            opts.max_prec = (slong) prove_u64(optarg, 64, UINT64_C(1) << 24,
                "--max-precision must be an integer in [64, 16777216] (bits)");
            break;
        case O_COMPARE: compare = 1; break;
        case 'h': case O_HELP:
            fputs(usage_prove, stdout);
            return EX_OK;
        case '?':
            die_usage("prove", bad_option(argv));
            break;
        default:
            die_usage("prove", "option not accepted by prove");
        }
    }
    if (optind < argc)
        die_usage("prove", "unexpected argument");
    spec_check_phi(&sp, "prove");
    if (sp.phi == GENRANK_PHI_POLY)
    {
        if (opts.route != GENRANK_ROUTE_AUTO || opts.denominator != 0)
            die_usage("prove", "--route and --denominator apply to --phi only");
        if (sp.coeffs == NULL && genrank_coeffs_parse(&sp.coeffs, &sp.len, "1,1,1/2", &e))
            die_usage("prove", e.msg);
        if (opts.prime && genrank_prime_check(opts.prime, sp.coeffs, sp.len, &e))
            die_usage("prove", e.msg);
    }
    else
    {
        if (opts.route == GENRANK_ROUTE_EXACT && genrank_phi_class(sp.phi) == GENRANK_CLASS_BALL)
        {
            snprintf(outbuf, sizeof outbuf, "--route exact: %s is not rational in x and e^x or "
                     "e^(ix); use --route ball (or auto)", genrank_phi_name(sp.phi));
            die_usage("prove", outbuf);
        }
        if (kruskal && (opts.route == GENRANK_ROUTE_BALL
                        || genrank_phi_class(sp.phi) == GENRANK_CLASS_BALL))
            die_usage("prove", "--kruskal needs the exact route (a prime)");
    }
    if (compare && !genrank_have_lapack())
        die_usage("prove", "--compare-float: this genrank was built without LAPACK (apt-get install liblapack-dev, then reconfigure)");
    if (opts.method == GENRANK_METHOD_BLAS && !genrank_have_blas())
        die_usage("prove", "--method blas: this genrank was built without a CBLAS");
    if (opts.method == GENRANK_METHOD_BLAS && opts.prime >= GENRANK_BLAS_PRIME_MAX)
        die_usage("prove", "--method blas needs a prime below 2^24 (16777216)");
    if (opts.method == GENRANK_METHOD_BLAS && opts.prime_bits > 24)
        die_usage("prove", "--method blas needs --prime-bits 24 or less");
    if (!have_seed)
        opts.seed = fresh_seed();
    if (out == NULL)
    {
        default_name(outbuf, sizeof outbuf, &sp);
        out = outbuf;
    }
    if (genrank_output_check(out, &e))
    {
        fprintf(stderr, "genrank: prove: %s\n", e.msg);
        return EX_FAIL;
    }
    opts.progress = !quiet && !json && isatty(STDERR_FILENO);
    set_threads(threads);

    if (kruskal)
    {
        /* refuse before the proof when even the predicted order has too
           many column subsets */
        genrank_formula_t f;
        fmpz_t cnt;
        genrank_formula_init(f);
        fmpz_init(cnt);
        if (sp.phi != GENRANK_PHI_POLY)
            genrank_formula_phi(f, sp.family, sp.m, sp.d, sp.n);
        else
            genrank_formula(f, sp.family, sp.m, sp.d, sp.n, sp.coeffs, sp.len);
        fmpz_bin_uiui(cnt, (ulong) sp.n, fmpz_get_ui(f->predicted));
        if (fmpz_cmp_si(cnt, GENRANK_KRUSKAL_MAX) > 0)
        {
            char *s = fmpz_get_str(NULL, 10, cnt);
            snprintf(outbuf, sizeof outbuf, "--kruskal: C(n, predicted rank) = C(%ld, %ld) = %.60s "
                     "column subsets, more than the %ld allowed", (long) sp.n,
                     (long) fmpz_get_si(f->predicted), s, (long) GENRANK_KRUSKAL_MAX);
            flint_free(s);
            die_usage("prove", outbuf);
        }
        fmpz_clear(cnt);
        genrank_formula_clear(f);
    }
    genrank_cert_init(cert);
    {
        genrank_spec_t spec = {sp.family, sp.m, sp.d, sp.n, sp.phi, sp.coeffs, sp.len};
        rc = genrank_prove_spec(cert, &spec, &opts, &e);
    }
    if (rc != 0)
    {
        fprintf(stderr, "genrank: prove: %s\n", e.msg);
        genrank_cert_clear(cert);
        genrank_coeffs_free(sp.coeffs, sp.len);
        return e.code == GENRANK_EINVAL ? EX_USAGE : EX_FAIL;
    }
    if (kruskal && genrank_prove_kruskal(cert, &e))
    {
        /* keep the rank certificate; say why the Kruskal part is missing */
        fprintf(stderr, "genrank: prove: %s; the certificate is written without it\n", e.msg);
        kruskal_failed = 1;
    }
    if (genrank_cert_write(cert, out, &e))
    {
        fprintf(stderr, "genrank: prove: %s\n", e.msg);
        genrank_cert_clear(cert);
        genrank_coeffs_free(sp.coeffs, sp.len);
        return e.code == GENRANK_EINVAL ? EX_USAGE : EX_FAIL;
    }

    if (compare)
        frc = genrank_float_rank(&frank, &smax, &smin, cert->inst);
    status = fmpz_cmp_si(cert->formula->predicted, cert->rank) == 0 ? EX_OK : EX_BELOW;
    if (kruskal_failed)
        status = EX_FAIL;
    if (json)
    {
        json_t *o = json_object();
        json_object_set_new(o, "certificate", json_string(out));
        json_object_set_new(o, "family", json_string(genrank_family_name(sp.family)));
        json_object_set_new(o, "m", json_integer(sp.m));
        json_object_set_new(o, "d", json_integer(sp.d));
        json_object_set_new(o, "n", json_integer(sp.n));
        json_object_set_new(o, "rank", json_integer(cert->rank));
        json_object_set_new(o, "predicted", genrank_json_fmpz(cert->formula->predicted));
        json_object_set_new(o, "theorem", json_string(cert->formula->theorem));
        if (cert->formula->has_corrected)
            json_object_set_new(o, "corrected", genrank_json_fmpz(cert->formula->corrected));
        if (sp.phi != GENRANK_PHI_POLY)
        {
            json_object_set_new(o, "phi", json_string(genrank_phi_name(sp.phi)));
            json_object_set_new(o, "route", json_string(cert->route == GENRANK_ROUTE_BALL ? "ball" : "exact"));
            if (cert->route == GENRANK_ROUTE_BALL)
                json_object_set_new(o, "precision", json_integer(cert->precision));
        }
        if (compare && frc == 0)
        {
            json_object_set_new(o, "float_rank", json_integer(frank));
            json_object_set_new(o, "float_smax", json_real(smax));
            json_object_set_new(o, "float_smin", json_real(smin));
        }
        else if (compare)
            json_object_set_new(o, "float_rank", json_null());
        json_object_set_new(o, "trials", json_integer(cert->trials));
        if (cert->kruskal_rank >= 0)
            json_object_set_new(o, "kruskal", json_integer(cert->kruskal_rank));
        if (status == EX_BELOW && sp.phi == GENRANK_PHI_POLY)
        {
            json_object_set_new(o, "per_trial_bound", json_real(cert->per_trial_bound));
            json_object_set_new(o, "probability_bound", json_real(cert->probability_bound));
        }
        json_object_set_new(o, "seconds", json_real(cert->seconds));
        print_json(o);
    }
    else if (!quiet)
    {
        spec_phi_string(phi, sizeof phi, &sp);
        printf("%s, m=%ld d=%ld n=%ld, phi(x) = %s: %ld x %ld matrix\n",
               genrank_family_name(sp.family), (long) sp.m, (long) sp.d, (long) sp.n, phi,
               (long) genrank_family_nrows(sp.family, sp.m, sp.d), (long) sp.n);
        if (sp.phi != GENRANK_PHI_POLY)
        {
            char *q = fmpz_get_str(NULL, 10, cert->inst->q);
            printf("point:     (A / q, B), A and B integers in [-%llu, %llu], q = %s\n",
                   (unsigned long long) opts.range, (unsigned long long) opts.range, q);
            flint_free(q);
        }
        if (cert->route == GENRANK_ROUTE_BALL)
            printf("certified: generic rank >= %ld (minor's determinant a ball excluding 0 at "
                   "%ld bits, Arb; %.3f s)\n", (long) cert->rank, (long) cert->precision, cert->seconds);
        else if (sp.phi != GENRANK_PHI_POLY)
            printf("certified: generic rank >= %ld (nonzero minor modulo %lu at t0 = %lu, "
                   "exact; %.3f s)\n", (long) cert->rank, (unsigned long) cert->prime,
                   (unsigned long) cert->inst->t0, cert->seconds);
        else
            printf("certified: generic rank >= %ld (nonzero minor modulo %lu, %.3f s)\n",
                   (long) cert->rank, (unsigned long) cert->prime, cert->seconds);
        if (compare && frc == 0)
            printf("floating point: numerical rank %ld (LAPACK dgesdd singular values %.3g .. %.3g, "
                   "numpy's tolerance smax * %ld * 2^-52)%s\n", (long) frank, smax, smin,
                   (long) FLINT_MAX(genrank_family_nrows(sp.family, sp.m, sp.d), sp.n),
                   frank < cert->rank ? ": below the certified rank" : "");
        else if (compare)
            printf("floating point: %s\n", frc == -2 ? "the matrix has entries that overflow a double"
                   : "the matrix is too large for a dense SVD here");
        if (cert->kruskal_rank >= 0)
            printf("certified: generic Kruskal rank >= %ld (%ld column subsets)\n",
                   (long) cert->kruskal_rank, (long) cert->kruskal_count);
        printf("predicted: ");
        fmpz_print(cert->formula->predicted);
        printf(" (%s)\n", cert->formula->theorem);
        if (cert->formula->has_corrected)
        {
            printf("corrected: ");
            fmpz_print(cert->formula->corrected);
            printf(" (%s)\n", cert->formula->corrected_source);
        }
        if (status == EX_BELOW)
        {
            if (cert->formula->has_corrected
                && fmpz_cmp_si(cert->formula->corrected, cert->rank) == 0)
                printf("below the prediction; the rank equals the value proved by the "
                       "Alexander-Hirschowitz theorem, so the generic rank is exactly %ld\n",
                       (long) cert->rank);
            else if (sp.phi != GENRANK_PHI_POLY)
                printf("below the prediction: no higher rank seen in %ld trial%s (no probability "
                       "bound is claimed for analytic phi)\n",
                       (long) cert->trials, cert->trials == 1 ? "" : "s");
            else if (cert->prime_fixed)
                printf("below the prediction: no higher rank seen in %ld trial%s modulo the fixed "
                       "prime, which gives no probability bound (it may divide every larger minor); "
                       "rerun without --prime for evidence\n",
                       (long) cert->trials, cert->trials == 1 ? "" : "s");
            else
                printf("below the prediction: no higher rank seen in %ld independent trial%s "
                       "(probability <= %.3g if the generic rank were higher)\n",
                       (long) cert->trials, cert->trials == 1 ? "" : "s",
                       cert->probability_bound);
        }
        else
            printf("the certified rank equals the prediction\n");
        printf("certificate: %s\n", out);
    }
    genrank_cert_clear(cert);
    genrank_coeffs_free(sp.coeffs, sp.len);
    return status;
}

static int
cmd_verify(int argc, char **argv)
{
    static struct option longopts[] = {
        {"json", no_argument, 0, O_JSON},
        {"quiet", no_argument, 0, O_QUIET},
        {"help", no_argument, 0, O_HELP},
        {0, 0, 0, 0}
    };
    genrank_verify_info_t info;
    genrank_err_t e;
    int c, json = 0, quiet = 0, rc;
    const char *path;

    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1)
    {
        if (c == O_JSON)
            json = 1;
        else if (c == O_QUIET)
            quiet = 1;
        else if (c == O_HELP || c == 'h')
        {
            fputs(usage_verify, stdout);
            return EX_OK;
        }
        else
            die_usage("verify", bad_option(argv));
    }
    if (optind + 1 != argc)
        die_usage("verify", "expected exactly one certificate file");
    path = argv[optind];

    rc = genrank_verify_file(path, &info, &e);
    if (json)
    {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(path));
        json_object_set_new(o, "valid", json_boolean(rc == 0));
        if (rc == 0 && info.capacity)
        {
            json_object_set_new(o, "kind", json_string("capacity"));
            json_object_set_new(o, "activation", json_string(info.activation));
            json_object_set_new(o, "n", json_integer(info.n));
            json_object_set_new(o, "d", json_integer(info.d));
            json_object_set_new(o, "width", json_integer(info.width));
            json_object_set_new(o, "sufficient_width", json_integer(2 * info.width));
            json_object_set_new(o, "necessary_width", json_integer(info.necessary));
            if (info.route_min > 0)
                json_object_set_new(o, "route_lower_bound", json_integer(info.route_min));
            json_object_set_new(o, "route", json_string(info.route));
        }
        else if (rc == 0)
        {
            json_object_set_new(o, "family", json_string(info.family));
            json_object_set_new(o, "rank", json_integer(info.rank));
            if (info.phi[0])
            {
                json_object_set_new(o, "phi", json_string(info.phi));
                json_object_set_new(o, "route", json_string(info.route));
            }
            if (info.kruskal_rank >= 0)
                json_object_set_new(o, "kruskal", json_integer(info.kruskal_rank));
            json_object_set_new(o, "predicted", strlen(info.predicted) <= 15
                                ? json_integer(strtoll(info.predicted, NULL, 10))
                                : json_string(info.predicted));
        }
        else
            json_object_set_new(o, "error", json_string(e.msg));
        print_json(o);
    }
    if (rc != 0)
    {
        fprintf(stderr, "genrank: verify: %s: %s\n", path, e.msg);
        return (rc == GENRANK_EIO || rc == GENRANK_ENOMEM) ? EX_USAGE : EX_FAIL;
    }
    if (!json && !quiet && info.capacity)
    {
        char how[96];
        if (!strcmp(info.route, "ball"))
            snprintf(how, sizeof how, "determinant a ball excluding 0 at %ld bits", (long) info.precision);
        else
            snprintf(how, sizeof how, "witness modulo %s", info.prime);
        char nec[96] = "";
        if (info.necessary > 1)
            snprintf(nec, sizeof nec, "by Theorem 5.4 no width below %ld does; ", (long) info.necessary);
        printf("%s: valid: the W-Jacobian of a %s network of width %ld has rank n = %ld on the "
               "certificate's %ld point%s (d = %ld), so width %ld fits every label vector "
               "(Theorem 5.2; %s%s)\n",
               path, info.activation, (long) info.width, (long) info.n, (long) info.n,
               info.n == 1 ? "" : "s", (long) info.d, (long) (2 * info.width), nec, how);
        if (info.route_min > 0)
            printf("%s: valid: no width below %ld gives the W-Jacobian rank n%s\n", path,
                   (long) info.route_min, info.route_min == info.width ? " (the certified width is the least)" : "");
    }
    else if (!json && !quiet)
    {
        char how[96];
        if (!strcmp(info.route, "ball"))
            snprintf(how, sizeof how, "determinant a ball excluding 0 at %ld bits", (long) info.precision);
        else
            snprintf(how, sizeof how, "witness modulo %s", info.prime);
        printf("%s: valid: the %s matrix for m=%ld d=%ld n=%ld%s%s has generic rank >= %ld "
               "(predicted %s by %s; %s)\n",
               path, info.family, (long) info.m, (long) info.d, (long) info.n,
               info.phi[0] ? ", phi = " : "", info.phi, (long) info.rank, info.predicted,
               info.theorem, how);
        if (info.kruskal_rank >= 0)
            printf("%s: valid: generic Kruskal rank >= %ld\n", path, (long) info.kruskal_rank);
    }
    return EX_OK;
}

/* ------------------------------------------------------------------ */
/* capacity                                                            */

static const char *usage_capacity =
"Usage: genrank capacity --data FILE --activation NAME [--coeffs C]\n"
"                        [--width M | --search] [--max-width M] [--dedup]\n"
"                        [--label-column K|first|last|none] [--header auto|yes|no]\n"
"                        [--data-ref] [--out FILE] [--seed S] [--trials T]\n"
"                        [--method M] [--route R] [--max-precision B]\n"
"                        [--threads N] [--json] [--quiet]\n"
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
"                    certificate instead of the points themselves\n"
"  --out FILE        certificate path (default genrank-capacity-NAME-ACT.json)\n"
"  --seed S          seed of the point's generator (default 1)\n"
"  --trials T        points tried at a fixed --width (default 3)\n"
"  --method M        auto, flint or blas (as in prove)\n"
"  --route R         auto, exact or ball, for analytic activations (as in prove)\n"
"  --max-precision B ball route: at most B bits (default 8192)\n"
"  --threads N       threads for FLINT and OpenBLAS\n"
"  --json            print a JSON summary on stdout\n"
"  --quiet           print nothing but errors (no progress lines)\n"
"\n"
"Exit status: 0 a width was certified; 1 none was (the reason is printed:\n"
"duplicate or zero points, a polynomial of too low a degree, or no width\n"
"tried reached rank n); 2 bad usage or unreadable data.\n";

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

static int
cmd_capacity(int argc, char **argv)
{
    static struct option longopts[] = {
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
        {"json", no_argument, 0, O_JSON},
        {"quiet", no_argument, 0, O_QUIET},
        {"help", no_argument, 0, O_HELP},
        {0, 0, 0, 0}
    };
    const char *path = NULL, *act_name = NULL, *coeffs = NULL, *out = NULL;
    char outbuf[512], base[128];
    genrank_capacity_opts_t opts;
    genrank_data_opts_t dopts;
    genrank_data_t raw, data;
    genrank_data_facts_t facts;
    genrank_activation_t act;
    genrank_capacity_t cap;
    genrank_err_t e;
    slong threads = 0, bad;
    int c, json = 0, quiet = 0, dedup = 0, dataref = 0, search = 0, status = EX_OK;

    opt_cmd = "capacity";
    genrank_capacity_opts_init(&opts);
    genrank_data_opts_init(&dopts);
    opts.seed = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1)
    {
        switch (c)
        {
        case O_DATA: path = optarg; break;
        case O_ACT: act_name = optarg; break;
        case O_COEFFS: coeffs = optarg; break;
        case O_WIDTH:
            opts.width = (slong) prove_u64(optarg, 1, MAX_SIZE, "--width must be an integer in [1, 2^40]");
            break;
        case O_SEARCH: search = 1; break;
        case O_MAXWIDTH:
            opts.max_width = (slong) prove_u64(optarg, 1, MAX_SIZE,
                                               "--max-width must be an integer in [1, 2^40]");
            break;
        case O_LABEL:
            if (!strcmp(optarg, "none"))
                dopts.label_column = GENRANK_LABEL_NONE;
            else if (!strcmp(optarg, "last"))
                dopts.label_column = GENRANK_LABEL_LAST;
            else if (!strcmp(optarg, "first"))
                dopts.label_column = 0;
            else
                dopts.label_column = (slong) prove_u64(optarg, 1, MAX_SIZE,
                    "--label-column must be a column number (from 1), first, last or none") - 1;
            break;
        case O_HEADER:
            /* the names in the order of GENRANK_HEADER_AUTO, _YES, _NO */
            dopts.header = prove_choice(optarg, "auto", "yes", "no", "--header must be auto, yes or no");
            break;
        case O_DEDUP: dedup = 1; break;
        case O_DATAREF: dataref = 1; break;
        case O_OUT: out = optarg; break;
        case O_SEED:
            opts.seed = prove_u64(optarg, 0, UINT64_MAX, "--seed must be an integer in [0, 2^64)");
            break;
        case O_TRIALS:
            opts.trials = (slong) prove_u64(optarg, 1, 1000000, "--trials must be an integer in [1, 1000000]");
            break;
        case O_METHOD:
            opts.method = prove_choice(optarg, "auto", "flint", "blas", "--method must be auto, flint or blas");
            break;
        case O_ROUTE:
            opts.route = prove_choice(optarg, "auto", "exact", "ball", "--route must be auto, exact or ball");
            break;
        case O_MAXPREC:
            opts.max_prec = (slong) prove_u64(optarg, 64, UINT64_C(1) << 24,
                "--max-precision must be an integer in [64, 16777216] (bits)");
            break;
        case O_THREADS:
            threads = (slong) prove_u64(optarg, 1, 4096, "--threads must be an integer in [1, 4096]");
            break;
        case O_JSON: json = 1; break;
        case O_QUIET: quiet = 1; break;
        case 'h': case O_HELP:
            fputs(usage_capacity, stdout);
            return EX_OK;
        default:
            die_usage("capacity", bad_option(argv));
        }
    }
    if (optind < argc)
    {
        snprintf(outbuf, sizeof outbuf, "unexpected argument '%.200s'", argv[optind]);
        die_usage("capacity", outbuf);
    }
    if (path == NULL)
        die_usage("capacity", "--data FILE is required");
    if (act_name == NULL)
        die_usage("capacity", "--activation NAME is required");
    if (search && opts.width > 0)
        die_usage("capacity", "give --width or --search, not both");
    if (opts.max_width > 0 && opts.width > 0)
        die_usage("capacity", "--max-width goes with --search");
    if (genrank_activation_parse(act, act_name, coeffs, &e) != 0)
        die_usage("capacity", e.msg);
    if (opts.route == GENRANK_ROUTE_BALL && act->kind != GENRANK_ACT_NAMED)
    {
        genrank_activation_clear(act);
        die_usage("capacity", "--route ball is for analytic activations; this one is certified exactly");
    }
    if (opts.route == GENRANK_ROUTE_EXACT && act->kind == GENRANK_ACT_NAMED
        && genrank_phi_class(act->dpsi) == GENRANK_CLASS_BALL)
    {
        genrank_activation_clear(act);
        die_usage("capacity", "this activation's derivative has only the ball route (--route exact refused)");
    }
    if (out != NULL)
    {
        struct stat so, sd;
        if (stat(out, &so) == 0 && stat(path, &sd) == 0 && so.st_dev == sd.st_dev
            && so.st_ino == sd.st_ino)
        {
            genrank_activation_clear(act);
            die_usage("capacity", "--out names the data file itself");
        }
    }
    set_threads(threads);

    genrank_data_init(raw);
    genrank_data_init(data);
    genrank_data_facts_init(facts);
    genrank_capacity_init(cap);
    if (genrank_data_read(raw, path, &dopts, &e) != 0)
    {
        fprintf(stderr, "genrank: capacity: %s\n", e.msg);
        status = EX_USAGE;
        goto done;
    }
    genrank_data_facts(facts, raw);
    if (!quiet && !json)
    {
        printf("data: %s: %ld point%s, %ld feature%s, rank %ld over Q", path, (long) raw->n,
               raw->n == 1 ? "" : "s", (long) raw->d, raw->d == 1 ? "" : "s", (long) facts->rank);
        if (raw->header_line > 0)
            printf(" (line %ld read as a header)", (long) raw->header_line);
        printf("\n");
    }
    /* the distinct nonzero points (all of them when nothing repeats) */
    bad = raw->n - genrank_data_dedup(data, raw, facts);
    report_facts(raw, facts, bad, quiet || json, dedup);
    if (bad && !dedup)
    {
        status = EX_FAIL;
        if (quiet)
            fprintf(stderr, "genrank: capacity: not certified: %ld duplicate or zero point%s "
                    "(rerun with --dedup)\n", (long) bad, bad == 1 ? "" : "s");
        if (json)
        {
            json_t *o = json_object();
            json_object_set_new(o, "data", json_string(path));
            json_object_set_new(o, "n", json_integer(raw->n));
            json_object_set_new(o, "certified", json_false());
            json_object_set_new(o, "duplicate_groups", json_integer(facts->ndup_groups));
            json_object_set_new(o, "zero_points", json_integer(facts->nzero));
            json_object_set_new(o, "reason", json_string("duplicate or zero points"));
            print_json(o);
        }
        goto done;
    }
    if (bad && !quiet && !json)
        printf("certifying on the %ld distinct nonzero points\n", (long) data->n);
    opts.progress = !quiet;
    if (out == NULL)
    {
        base_name(base, sizeof base, path);
        snprintf(outbuf, sizeof outbuf, "genrank-capacity-%s-%s.json", base, act->name);
        out = outbuf;
    }
    if (genrank_output_check(out, &e) != 0)
    {
        fprintf(stderr, "genrank: capacity: %s\n", e.msg);
        status = EX_USAGE;
        goto done;
    }
    if (genrank_capacity(cap, data, act, &opts, &e) != 0)
    {
        fprintf(stderr, "genrank: capacity: %s\n", e.msg);
        status = (e.code == GENRANK_ENOMEM) ? EX_USAGE : EX_FAIL;
        goto done;
    }
    if (cap->width > 0
        && genrank_capacity_write(cap, data, act, dataref ? path : NULL, &dopts, out, &e) != 0)
    {
        fprintf(stderr, "genrank: capacity: %s\n", e.msg);
        status = EX_FAIL;
        goto done;
    }
    if (cap->width == 0)
    {
        status = EX_FAIL;
        if (quiet)
            fprintf(stderr, "genrank: capacity: not certified (best rank %ld of n = %ld; rerun "
                    "without --quiet for the reason)\n", (long) FLINT_MAX(cap->rank, 0), (long) cap->n);
    }
    {
        slong nec = FLINT_MAX(FLINT_MAX(cap->nec_sard, cap->nec_rank), cap->nec_poly);
        if (json)
        {
            json_t *o = json_object(), *nw = json_object();
            json_object_set_new(o, "data", json_string(path));
            json_object_set_new(o, "activation", json_string(act->name));
            json_object_set_new(o, "n", json_integer(cap->n));
            json_object_set_new(o, "d", json_integer(cap->d));
            json_object_set_new(o, "data_rank", json_integer(cap->data_rank));
            json_object_set_new(o, "points_removed", json_integer(raw->n - data->n));
            json_object_set_new(o, "certified", json_boolean(cap->width > 0));
            if (cap->width > 0)
            {
                json_object_set_new(o, "width", json_integer(cap->width));
                json_object_set_new(o, "sufficient_width", json_integer(2 * cap->width));
                json_object_set_new(o, "certificate", json_string(out));
            }
            else if (cap->rank >= 0)
                json_object_set_new(o, "best_rank", json_integer(cap->rank));
            if (cap->tried_to >= cap->tried_from)
                json_object_set_new(o, "widths_tried", json_pack("{s:I, s:I}",
                                    "from", (json_int_t) cap->tried_from,
                                    "to", (json_int_t) cap->tried_to));
            json_object_set_new(o, "route_lower_bound", json_integer(cap->route_min));
            json_object_set_new(nw, "theorem_5_4", json_integer(cap->nec_sard));
            json_object_set_new(nw, "with_data_rank", json_integer(cap->nec_rank));
            json_object_set_new(o, "necessary_width", nw);
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
        else if (!quiet)
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
            if (cap->width > 0)
            {
                printf("certified: the W-Jacobian (%ld x %ld) has rank %ld at width m0 = %ld "
                       "(%s, %s)\n", (long) (cap->width * cap->d), (long) cap->n, (long) cap->n,
                       (long) cap->width, act->name,
                       cap->route == GENRANK_ROUTE_BALL ? "ball arithmetic" : "exact, modulo a prime");
                printf("sufficient width: %ld (Theorem 5.2: a %s network of width 2 m0 fits every "
                       "label vector on these %ld points)\n", (long) (2 * cap->width), act->name,
                       (long) cap->n);
            }
            else if (cap->poly_degree >= 0 && cap->poly_no_route)
                ;   /* said above */
            else if (opts.width > 0 && (double) opts.width * (double) cap->data_rank < (double) cap->n)
                printf("not certified: at width %ld the W-Jacobian has rank <= %ld x rank X = %ld < n "
                       "= %ld at every point; use a width >= %ld\n", (long) opts.width,
                       (long) opts.width, (long) (opts.width * cap->data_rank), (long) cap->n,
                       (long) cap->route_min);
            else if ((opts.width > 0 && opts.width < cap->route_min)
                     || (opts.width == 0 && cap->tried_to < cap->tried_from))
                printf("not certified: below width %ld the W-Jacobian has rank < n = %ld at every "
                       "point (proved above); %s\n", (long) cap->route_min, (long) cap->n,
                       opts.width > 0 ? "use a larger --width" : "raise --max-width");
            else if (!(cap->poly_degree >= 0 && cap->poly_no_route))
                printf("not certified: no width from %ld to %ld reached rank n = %ld (best rank %ld "
                       "at width %ld); this proves no impossibility: try --max-width, --trials or "
                       "another --seed\n", (long) cap->tried_from, (long) cap->tried_to,
                       (long) cap->n, (long) cap->rank, (long) cap->best_width);
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
                printf("certificate: %s\n", out);
            }
        }
    }
done:
    genrank_capacity_clear(cap);
    genrank_data_facts_clear(facts);
    genrank_data_clear(raw);
    genrank_data_clear(data);
    genrank_activation_clear(act);
    return status;
}

int
main(int argc, char **argv)
{
    const char *cmd;
    opterr = 0;   /* option errors are reported by die_usage, one line */
    if (argc < 2)
        die_usage(NULL, "missing command (formula, prove, verify, capacity, sweep, merge or report)");
    cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
    {
        fputs(usage_main, stdout);
        return EX_OK;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version"))
    {
        printf("genrank %s (FLINT %s, Jansson %s)\n", GENRANK_VERSION, FLINT_VERSION, JANSSON_VERSION);
        return EX_OK;
    }
    if (!strcmp(cmd, "help"))
    {
        const char *t = argc > 2 ? argv[2] : "";
        if (!strcmp(t, "sweep") || !strcmp(t, "merge") || !strcmp(t, "report"))
        {
            char *h[] = {argv[2], "--help", NULL};
            optind = 1;
            return !strcmp(t, "sweep") ? genrank_cmd_sweep(2, h)
                   : !strcmp(t, "merge") ? genrank_cmd_merge(2, h) : genrank_cmd_report(2, h);
        }
        fputs(!strcmp(t, "formula") ? usage_formula : !strcmp(t, "prove") ? usage_prove
              : !strcmp(t, "capacity") ? usage_capacity
              : !strcmp(t, "verify") ? usage_verify : usage_main, stdout);
        return EX_OK;
    }
    if (!strcmp(cmd, "formula"))
        return cmd_formula(argc - 1, argv + 1);
    if (!strcmp(cmd, "prove"))
        return cmd_prove(argc - 1, argv + 1);
    if (!strcmp(cmd, "verify"))
        return cmd_verify(argc - 1, argv + 1);
    if (!strcmp(cmd, "capacity"))
        return cmd_capacity(argc - 1, argv + 1);
    if (!strcmp(cmd, "sweep"))
        return genrank_cmd_sweep(argc - 1, argv + 1);
    if (!strcmp(cmd, "merge"))
        return genrank_cmd_merge(argc - 1, argv + 1);
    if (!strcmp(cmd, "report"))
        return genrank_cmd_report(argc - 1, argv + 1);
    fprintf(stderr, "genrank: unknown command '%.40s'\n", cmd);
    fprintf(stderr, "Try 'genrank --help' for more information.\n");
    return EX_USAGE;
}
