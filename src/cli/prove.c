/* genrank prove: certify a rank and write the certificate. */
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

static const char *usage_prove =
"Usage: genrank prove [--family F] [--m M] [--d D] [--n N] [--coeffs C]\n"
"                     [--seed S] [--prime P | --prime-bits B] [--range R]\n"
"                     [--trials T] [--method M] [--threads N] [--out FILE]\n"
"                     [--json] [--quiet]\n"
"       genrank prove --phi NAME [--route R] [--denominator Q] [--max-precision B]\n"
"                     [--compare-float] [the options above]\n"
"       genrank prove --point FILE [--family F] [--coeffs C | --phi NAME] [...]\n"
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
"  --coeffs C      c0,c1,...,cK: integers, fractions or exact decimals\n"
"                  (default 1,1,1/2)\n"
"  --seed S        generator seed, 0..2^64-1 (default: from /dev/urandom;\n"
"                  always recorded in the certificate)\n"
"  --prime P       use this prime for every trial (any prime < 2^64)\n"
"  --prime-bits B  draw primes uniformly from [2^(B-1), 2^B) (default: 20 when\n"
"                  the BLAS kernel runs, 16 for the compact one, else 62)\n"
"  --range R       entries of A and B in [-R, R] (default 1048576)\n"
"  --trials T      at most T points while below the prediction (default 5)\n"
"  --method M      auto, flint, blas or compact: elimination by FLINT's\n"
"                  nmod_mat, by the BLAS kernel (primes below 2^24), or by the\n"
"                  BLAS kernel on 16-bit residues (primes below 2^16, a quarter\n"
"                  of the memory); auto picks the BLAS kernel from 200 x 200 up,\n"
"                  and the compact one when only it fits in memory (default auto)\n"
"  --threads N     threads for FLINT and OpenBLAS (default: OPENBLAS_NUM_THREADS\n"
"                  if set, else every core)\n"
"  --out FILE      certificate path (default genrank-FAMILY-mM-dD-nN-phiC.json,\n"
"                  C the coefficients, e.g. phi1_1_1d2 for 1,1,1/2)\n"
"  --point FILE    certify the matrix at this point instead of random ones:\n"
"                  JSON {\"A\": m rows of d numbers, \"B\": n rows of d numbers},\n"
"                  numbers as integers or strings (\"0.25\", \"-2/3\"), read\n"
"                  exactly; m, d, n come from it.  No deficiency evidence is\n"
"                  given (it speaks of random points)\n"
"  --kruskal       also certify the Kruskal rank: a nonzero minor in every\n"
"                  k-subset of columns (refused when there are more than\n"
"                  1000000 subsets)\n"
"  --no-fast       leave out the \"fast\" section (k vectors X with\n"
"                  X^T S = C for the witness minor S and challenges C derived\n"
"                  by SHA-256, k the least with p^k >= 2^128; `verify --fast`\n"
"                  checks them in O(k r^2); computing them costs O(k r^2))\n"
"  --record-seed   record the point by its generator's seed and a SHA-256 of\n"
"                  A and B instead of their m d + n d numbers (for large\n"
"                  instances; the checker regenerates them by SplitMix64,\n"
"                  doc/certificate-format.md)\n"
"  --checkpoint FILE  with --method compact: save the elimination's state to\n"
"                  FILE every --checkpoint-every seconds (default 1800; each\n"
"                  save writes the 16-bit matrix, 2 bytes per entry); the same\n"
"                  command (with the same --seed, which it needs) run again\n"
"                  resumes from FILE; removed at the end\n"
"  --checkpoint-every S  seconds between saves\n"
"  --json          print a JSON summary on stdout (doc/json.md)\n"
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

typedef struct {
    spec_t sp;
    genrank_prove_opts_t opts;
    const char *out;
    char outbuf[256];
    int json, quiet, have_seed, kruskal, compare;
    slong threads;
    const char *point_path;
    const char *checkpoint;
    double checkpoint_every;
    genrank_point_t point;
    uint64_t seen;      /* bit c - O_FAMILY for each option c given */
} prove_args_t;

/* The options into a; returns -1 to go on, else the exit status (--help). */
static int
prove_parse(prove_args_t *a, int argc, char **argv)
{
    int c;
    uint64_t u;
    memset(a, 0, sizeof *a);
    a->sp.family = GENRANK_KHATRI_RAO;
    a->sp.m = 6;
    a->sp.d = 4;
    a->sp.n = 24;
    a->sp.phi = GENRANK_PHI_POLY;
    genrank_prove_opts_init(&a->opts);
    a->checkpoint_every = 1800;
    while ((c = getopt_long(argc, argv, "h", spec_longopts, NULL)) != -1)
    {
        if (c >= O_FAMILY && c < O_FAMILY + 64)
            a->seen |= UINT64_C(1) << (c - O_FAMILY);
        if (spec_option(&a->sp, c, optarg, "prove"))
            continue;
        switch (c)
        {
        case O_JSON: a->json = 1; break;
        case O_QUIET: a->quiet = 1; break;
        case O_KRUSKAL: a->kruskal = 1; break;
        case O_NO_FAST: a->opts.fast = 0; break;
        case O_RECORD_SEED: a->opts.point_by_seed = 1; break;
        case O_CHECKPOINT: a->checkpoint = optarg; break;
        case O_CHECKPOINT_EVERY:
            a->checkpoint_every = (double) prove_u64(optarg, 1, 604800,
                "--checkpoint-every must be a number of seconds in [1, 604800]");
            break;
        case O_OUT: a->out = optarg; break;
        case O_SEED:
            if (parse_u64(&a->opts.seed, optarg))
                die_usage("prove", "--seed must be an integer in [0, 2^64)");
            a->have_seed = 1;
            break;
        case O_PRIME:
            if (parse_u64(&u, optarg))
                die_usage("prove", "--prime must be an integer in [2, 2^64)");
            if (u < 2 || !n_is_prime(u))
            {
                snprintf(a->outbuf, sizeof a->outbuf, "--prime %s is not a prime", optarg);
                die_usage("prove", a->outbuf);
            }
            a->opts.prime = u;
            break;
        case O_PRIME_BITS:
            a->opts.prime_bits = (int) prove_u64(optarg, 3, 63, "--prime-bits must be in [3, 63]");
            break;
        case O_RANGE:
            a->opts.range = prove_u64(optarg, 1, UINT64_C(1) << 62,
                                   "--range must be an integer in [1, 2^62]");
            break;
        case O_TRIALS:
            a->opts.trials = (slong) prove_u64(optarg, 1, 1000000,
                                            "--trials must be an integer in [1, 1000000]");
            break;
        case O_METHOD:
            /* the names in the order of GENRANK_METHOD_AUTO, _FLINT, _BLAS, _COMPACT */
            a->opts.method = !strcmp(optarg, "compact") ? GENRANK_METHOD_COMPACT
                             : prove_choice(optarg, "auto", "flint", "blas",
                                            "--method must be auto, flint, blas or compact");
            break;
        case O_THREADS:
            a->threads = (slong) prove_u64(optarg, 1, 4096, "--threads must be an integer in [1, 4096]");
            break;
        case O_ROUTE:
            /* the names in the order of GENRANK_ROUTE_AUTO, _EXACT, _BALL */
            a->opts.route = prove_choice(optarg, "auto", "exact", "ball",
                                      "--route must be auto, exact or ball");
            break;
        case O_DENOM:
            a->opts.denominator = prove_u64(optarg, 1, UINT64_MAX,
                                         "--denominator must be an integer in [1, 2^64)");
            break;
        case O_MAXPREC:
            a->opts.max_prec = (slong) prove_u64(optarg, 64, UINT64_C(1) << 24,
                "--max-precision must be an integer in [64, 16777216] (bits)");
            break;
        case O_COMPARE: a->compare = 1; break;
        case O_POINT: a->point_path = optarg; break;
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
    return -1;
}

/* --kruskal: refused before the proof when even the predicted order has
   too many column subsets. */
static void
kruskal_precheck(prove_args_t *a)
{
    genrank_formula_t f;
    fmpz_t cnt;
    genrank_formula_init(f);
    fmpz_init(cnt);
    if (a->sp.phi != GENRANK_PHI_POLY)
        genrank_formula_phi(f, a->sp.family, a->sp.m, a->sp.d, a->sp.n);
    else
        genrank_formula(f, a->sp.family, a->sp.m, a->sp.d, a->sp.n, a->sp.coeffs, a->sp.len);
    fmpz_bin_uiui(cnt, (ulong) a->sp.n, fmpz_get_ui(f->predicted));
    if (fmpz_cmp_si(cnt, GENRANK_KRUSKAL_MAX) > 0)
    {
        char *s = fmpz_get_str(NULL, 10, cnt);
        snprintf(a->outbuf, sizeof a->outbuf, "--kruskal: C(n, predicted rank) = C(%ld, %ld) = %.60s "
                 "column subsets, more than the %ld allowed", (long) a->sp.n,
                 (long) fmpz_get_si(f->predicted), s, (long) GENRANK_KRUSKAL_MAX);
        flint_free(s);
        die_usage("prove", a->outbuf);
    }
    fmpz_clear(cnt);
    genrank_formula_clear(f);
}

/* A warning for each option given that the route taken does not use. */
static void
warn_ignored(const prove_args_t *a)
{
    static const struct { int opt; const char *name; int ball; } unused[] = {
        {O_PRIME, "--prime", 1}, {O_PRIME_BITS, "--prime-bits", 1}, {O_METHOD, "--method", 1},
        {O_MAXPREC, "--max-precision", 0}};
    int ball = a->sp.phi != GENRANK_PHI_POLY
               && (a->opts.route == GENRANK_ROUTE_BALL
                   || (a->opts.route == GENRANK_ROUTE_AUTO && genrank_phi_class(a->sp.phi) == GENRANK_CLASS_BALL));
    size_t k;
    if (a->quiet)
        return;
    for (k = 0; k < sizeof unused / sizeof unused[0]; k++)
        if ((a->seen >> (unused[k].opt - O_FAMILY) & 1) && unused[k].ball == ball)
            fprintf(stderr, "genrank: prove: warning: %s is ignored: %s\n", unused[k].name,
                    ball ? "the ball route works in Arb balls, with no prime"
                         : "only the ball route has a precision (this proof is modulo a prime)");
}

/* --point FILE: the point read, and the sizes taken from it. */
static void
prove_point(prove_args_t *a)
{
    genrank_err_t e;
    static const int given[3] = {O_M, O_D, O_N};
    slong *size[3] = {&a->sp.m, &a->sp.d, &a->sp.n}, *have[3];
    int k, rc;
    if (a->seen >> (O_RANGE - O_FAMILY) & 1 || a->seen >> (O_DENOM - O_FAMILY) & 1)
        die_usage("prove", "--range and --denominator describe random points: not with --point");
    rc = genrank_point_read(a->point, a->point_path, &e);
    if (rc != 0)
    {
        fprintf(stderr, "genrank: prove: --point %s: %s\n", a->point_path, e.msg);
        exit(rc == GENRANK_ENOMEM ? EX_FAIL : EX_USAGE);
    }
    have[0] = &a->point->m, have[1] = &a->point->d, have[2] = &a->point->n;
    for (k = 0; k < 3; k++)
    {
        if ((a->seen >> (given[k] - O_FAMILY) & 1) && *size[k] != *have[k])
        {
            snprintf(a->outbuf, sizeof a->outbuf, "--%c %ld differs from the point's %c = %ld",
                     "mdn"[k], (long) *size[k], "mdn"[k], (long) *have[k]);
            die_usage("prove", a->outbuf);
        }
        *size[k] = *have[k];
    }
    a->opts.point = a->point;
}

/* The options' consistency, the default coefficients, seed and output;
   -1 to go on, else the exit status. */
static int
prove_validate(prove_args_t *a)
{
    genrank_err_t e;
    spec_check_phi(&a->sp, "prove");
    if (a->point_path != NULL && a->opts.point_by_seed)
        die_usage("prove", "--record-seed records a random point's seed: not with --point");
    if (a->point_path != NULL)
        prove_point(a);
    if (a->sp.phi == GENRANK_PHI_POLY)
    {
        if (a->opts.route != GENRANK_ROUTE_AUTO || a->opts.denominator != 0)
            die_usage("prove", "--route and --denominator apply to --phi only");
        if (a->sp.coeffs == NULL && genrank_coeffs_parse(&a->sp.coeffs, &a->sp.len, "1,1,1/2", &e))
            die_usage("prove", e.msg);
        if (a->opts.prime && genrank_prime_check(a->opts.prime, a->sp.coeffs, a->sp.len, &e))
            die_usage("prove", e.msg);
    }
    else
    {
        if (a->opts.route == GENRANK_ROUTE_EXACT && genrank_phi_class(a->sp.phi) == GENRANK_CLASS_BALL)
        {
            snprintf(a->outbuf, sizeof a->outbuf, "--route exact: %s is not rational in x and e^x or "
                     "e^(ix); use --route ball (or auto)", genrank_phi_name(a->sp.phi));
            die_usage("prove", a->outbuf);
        }
        if (a->kruskal && (a->opts.route == GENRANK_ROUTE_BALL
                        || genrank_phi_class(a->sp.phi) == GENRANK_CLASS_BALL))
            die_usage("prove", "--kruskal needs the exact route (a prime)");
    }
    warn_ignored(a);
    if (a->compare && !genrank_have_lapack())
        die_usage("prove", "--compare-float: this genrank was built without LAPACK (apt-get install liblapack-dev, then reconfigure)");
    if (a->opts.method == GENRANK_METHOD_BLAS && !genrank_have_blas())
        die_usage("prove", "--method blas: this genrank was built without a CBLAS");
    if (a->opts.method == GENRANK_METHOD_BLAS && a->opts.prime >= GENRANK_BLAS_PRIME_MAX)
        die_usage("prove", "--method blas needs a prime below 2^24 (16777216)");
    if (a->opts.method == GENRANK_METHOD_BLAS && a->opts.prime_bits > 24)
        die_usage("prove", "--method blas needs --prime-bits 24 or less");
    if (a->opts.method == GENRANK_METHOD_COMPACT && !genrank_have_blas())
        die_usage("prove", "--method compact: this genrank was built without a CBLAS");
    if (a->opts.method == GENRANK_METHOD_COMPACT && a->opts.prime >= GENRANK_COMPACT_PRIME_MAX)
        die_usage("prove", "--method compact needs a prime below 2^16 (65536)");
    if (a->opts.method == GENRANK_METHOD_COMPACT && a->opts.prime_bits > 16)
        die_usage("prove", "--method compact needs --prime-bits 16 or less");
    if (a->checkpoint != NULL && a->opts.method != GENRANK_METHOD_COMPACT)
        die_usage("prove", "--checkpoint needs --method compact (the kernel that keeps its state between panels)");
    if (a->checkpoint != NULL && !a->have_seed)
        die_usage("prove", "--checkpoint needs --seed S (a resumed run must draw the same point and prime)");
    if (a->checkpoint == NULL && (a->seen >> (O_CHECKPOINT_EVERY - O_FAMILY) & 1))
        die_usage("prove", "--checkpoint-every needs --checkpoint FILE");
    if (!a->have_seed)
        a->opts.seed = fresh_seed();
    if (a->out == NULL)
    {
        default_name(a->outbuf, sizeof a->outbuf, &a->sp);
        a->out = a->outbuf;
    }
    if (genrank_output_check(a->out, &e))
    {
        fprintf(stderr, "genrank: prove: %s\n", e.msg);
        return EX_FAIL;
    }
    if (a->kruskal)
        kruskal_precheck(a);
    return -1;
}


/* The floating-point comparison (--compare-float). */
typedef struct {
    int rc;
    slong rank;
    double smax, smin;
} float_cmp_t;

static void
prove_print_json(const prove_args_t *a, const genrank_cert_t cert, const float_cmp_t *fl, int status)
{
    json_t *o = cli_json_object("prove");
    const char *by, *st = cli_rank_status(cert->formula, cert->rank, &by);
    json_object_set_new(o, "certificate", json_string(a->out));
    json_object_set_new(o, "family", json_string(genrank_family_name(a->sp.family)));
    json_object_set_new(o, "m", json_integer(a->sp.m));
    json_object_set_new(o, "d", json_integer(a->sp.d));
    json_object_set_new(o, "n", json_integer(a->sp.n));
    json_object_set_new(o, "rank", json_integer(cert->rank));
    json_object_set_new(o, "predicted", genrank_json_fmpz(cert->formula->predicted));
    json_object_set_new(o, "theorem", json_string(cert->formula->theorem));
    if (cert->formula->has_corrected)
        json_object_set_new(o, "corrected", genrank_json_fmpz(cert->formula->corrected));
    if (cert->formula->has_bound)
        json_object_set_new(o, "upper_bound", genrank_json_fmpz(cert->formula->bound));
    /* exact when the rank meets a proved upper bound: the prediction
       (doc/theory.md section 3), Alexander-Hirschowitz, or section 4's */
    json_object_set_new(o, "status", json_string(st));
    json_object_set_new(o, "exact_by", by ? json_string(by) : json_null());
    if (a->sp.phi != GENRANK_PHI_POLY)
    {
        json_object_set_new(o, "phi", json_string(genrank_phi_name(a->sp.phi)));
        json_object_set_new(o, "route", json_string(cert->route == GENRANK_ROUTE_BALL ? "ball" : "exact"));
        if (cert->route == GENRANK_ROUTE_BALL)
            json_object_set_new(o, "precision", json_integer(cert->precision));
    }
    if (a->compare && fl->rc == 0)
    {
        json_object_set_new(o, "float_rank", json_integer(fl->rank));
        json_object_set_new(o, "float_smax", json_real(fl->smax));
        json_object_set_new(o, "float_smin", json_real(fl->smin));
    }
    else if (a->compare)
        json_object_set_new(o, "float_rank", json_null());
    json_object_set_new(o, "trials", json_integer(cert->trials));
    json_object_set_new(o, "point", json_string(cert->point_given ? "given" : "random"));
    if (cert->kruskal_rank >= 0)
        json_object_set_new(o, "kruskal", json_integer(cert->kruskal_rank));
    if (status == EX_BELOW && a->sp.phi == GENRANK_PHI_POLY && !cert->point_given)
    {
        json_object_set_new(o, "per_trial_bound", json_real(cert->per_trial_bound));
        json_object_set_new(o, "probability_bound", json_real(cert->probability_bound));
    }
    json_object_set_new(o, "seconds", json_real(cert->seconds));
    print_json(o);
}

static void
prove_print_text(const prove_args_t *a, const genrank_cert_t cert, const float_cmp_t *fl, int status)
{
    char phi[256];
    spec_phi_string(phi, sizeof phi, &a->sp);
    printf("%s, m=%ld d=%ld n=%ld, phi(x) = %s: %ld x %ld matrix\n",
           genrank_family_name(a->sp.family), (long) a->sp.m, (long) a->sp.d, (long) a->sp.n, phi,
           (long) genrank_family_nrows(a->sp.family, a->sp.m, a->sp.d), (long) a->sp.n);
    if (cert->point_given)
    {
        char *qa = fmpz_get_str(NULL, 10, cert->point_qa), *qb = fmpz_get_str(NULL, 10, cert->point_qb);
        printf("point:     given in %s: A = A'/%s, B = B'/%s with A', B' integers; the certificate "
               "records A', B' and %s, whose matrix is the given one%s\n", a->point_path, qa, qb,
               a->sp.phi == GENRANK_PHI_POLY ? "psi(u) = phi(u / (qa qb))" : "q = qa qb",
               a->sp.family == GENRANK_HADAMARD ? "" : " times qb (the same rank)");
        flint_free(qa);
        flint_free(qb);
    }
    else if (a->sp.phi != GENRANK_PHI_POLY)
    {
        char *q = fmpz_get_str(NULL, 10, cert->inst->q);
        printf("point:     (A / q, B), A and B integers in [-%llu, %llu], q = %s\n",
               (unsigned long long) a->opts.range, (unsigned long long) a->opts.range, q);
        flint_free(q);
    }
    if (cert->route == GENRANK_ROUTE_BALL)
        printf("certified: generic rank >= %ld (minor's determinant a ball excluding 0 at "
               "%ld bits, Arb; %.3f s)\n", (long) cert->rank, (long) cert->precision, cert->seconds);
    else if (a->sp.phi != GENRANK_PHI_POLY)
        printf("certified: generic rank >= %ld (nonzero minor modulo %lu at t0 = %lu, "
               "exact; %.3f s)\n", (long) cert->rank, (unsigned long) cert->prime,
               (unsigned long) cert->inst->t0, cert->seconds);
    else
        printf("certified: generic rank >= %ld (nonzero minor modulo %lu, %.3f s)\n",
               (long) cert->rank, (unsigned long) cert->prime, cert->seconds);
    if (a->compare && fl->rc == 0)
        printf("floating point: numerical rank %ld (LAPACK dgesdd singular values %.3g .. %.3g, "
               "numpy's tolerance smax * %ld * 2^-52)%s\n", (long) fl->rank, fl->smax, fl->smin,
               (long) FLINT_MAX(genrank_family_nrows(a->sp.family, a->sp.m, a->sp.d), a->sp.n),
               fl->rank < cert->rank ? ": below the certified rank" : "");
    else if (a->compare)
        printf("floating point: %s\n", fl->rc == -2 ? "the matrix has entries that overflow a double"
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
    if (cert->formula->has_bound)
    {
        printf("upper bound: ");
        fmpz_print(cert->formula->bound);
        printf(" (%s)\n", cert->formula->bound_source);
    }
    if (status == EX_BELOW && cert->point_given)
        printf("below the prediction at this point: the rank of the matrix there is >= %ld; a "
               "given point is no evidence about the generic rank\n", (long) cert->rank);
    else if (status == EX_BELOW)
    {
        if (cert->formula->has_corrected
            && fmpz_cmp_si(cert->formula->corrected, cert->rank) == 0)
            printf("below the prediction; the rank equals the value proved by the "
                   "Alexander-Hirschowitz theorem, so the generic rank is exactly %ld\n",
                   (long) cert->rank);
        else if (cert->formula->has_bound && fmpz_cmp_si(cert->formula->bound, cert->rank) == 0)
            printf("below the prediction; the rank meets the proved upper bound %s, so the "
                   "generic rank is exactly %ld\n", cert->formula->bound_source, (long) cert->rank);
        else if (a->sp.phi != GENRANK_PHI_POLY)
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
    printf("certificate: %s\n", a->out);
}

/* --checkpoint: whether the run resumed, and a save that failed */
static void
report_checkpoint(const prove_args_t *a)
{
    slong at, saves;
    int err;
    genrank_checkpoint_status(&at, &saves, &err);
    if (at >= 0 && !a->quiet)
        fprintf(stderr, "genrank: prove: resumed from %s at column %ld\n", a->checkpoint, (long) at);
    if (err != 0)
        fprintf(stderr, "genrank: prove: warning: the checkpoint %s could not be written: %s\n",
                a->checkpoint, strerror(err));
}

int
cmd_prove(int argc, char **argv)
{
    prove_args_t a;
    genrank_cert_t cert;
    genrank_err_t e;
    float_cmp_t fl = {0, 0, 0, 0};
    int rc, status, kruskal_failed = 0;

    if ((rc = prove_parse(&a, argc, argv)) >= 0 || (rc = prove_validate(&a)) >= 0)
    {
        genrank_coeffs_free(a.sp.coeffs, a.sp.len);   /* set by --coeffs or the default */
        return rc;
    }
    a.opts.progress = !a.quiet && !a.json && isatty(STDERR_FILENO);
    set_threads(a.threads);
    genrank_set_checkpoint(a.checkpoint, a.checkpoint_every);
    genrank_cert_init(cert);
    {
        genrank_spec_t spec = {a.sp.family, a.sp.m, a.sp.d, a.sp.n, a.sp.phi, a.sp.coeffs, a.sp.len};
        if (!a.quiet && !a.json)
            ticker_start("prove: building the matrix and eliminating");
        rc = genrank_prove_spec(cert, &spec, &a.opts, &e);
        ticker_stop();
    }
    if (a.checkpoint != NULL)
        report_checkpoint(&a);
    if (rc == 0 && a.kruskal && genrank_prove_kruskal(cert, &e))
    {
        /* keep the rank certificate; say why the Kruskal part is missing */
        fprintf(stderr, "genrank: prove: %s; the certificate is written without it\n", e.msg);
        kruskal_failed = 1;
    }
    if (rc != 0 || (rc = genrank_cert_write(cert, a.out, &e)) != 0)
    {
        fprintf(stderr, "genrank: prove: %s\n", e.msg);
        genrank_cert_clear(cert);
        genrank_coeffs_free(a.sp.coeffs, a.sp.len);
        genrank_point_clear(a.point);
        return e.code == GENRANK_EINVAL ? EX_USAGE : EX_FAIL;
    }
    if (a.compare)
        fl.rc = genrank_float_rank(&fl.rank, &fl.smax, &fl.smin, cert->inst);
    genrank_point_clear(a.point);
    status = fmpz_cmp_si(cert->formula->predicted, cert->rank) == 0 ? EX_OK : EX_BELOW;
    if (kruskal_failed)
        status = EX_FAIL;
    if (a.json)
        prove_print_json(&a, cert, &fl, status);
    else if (!a.quiet)
        prove_print_text(&a, cert, &fl, status);
    genrank_cert_clear(cert);
    genrank_coeffs_free(a.sp.coeffs, a.sp.len);
    return status;
}
