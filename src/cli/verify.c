/* genrank verify: check a certificate with libgenrank-check. */
#include <errno.h>
#include <signal.h>
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

static const char *usage_verify =
"Usage: genrank verify FILE... [--fast] [--data-dir DIR] [--max-precision BITS]\n"
"                      [--max-memory SIZE] [--max-seconds S] [--threads N]\n"
"                      [--json] [--quiet]\n"
"\n"
"Re-derives each certificate's witness minor from the recorded instance alone\n"
"and checks it. Exit 0 all valid, 1 some invalid (the failed check is named),\n"
"else 2 some unreadable, a limit exceeded, or bad usage.  Each file is reported\n"
"in turn; with several files --json prints one object whose \"results\" hold\n"
"each file's verdict (doc/json.md); --max-seconds applies to each file.\n"
"\n"
"  --fast               a rank certificate's witness minor is shown nonsingular\n"
"                       from its \"fast\" section (O(k r^2) or less instead of\n"
"                       the O(r^3) determinant): probabilistic, error <= 2^-128\n"
"                       per SHA-256 evaluation if SHA-256 behaves as a random\n"
"                       oracle (doc/theory.md section 2.1); the default full\n"
"                       check is a proof and checks that section too; other\n"
"                       kinds of certificate get the full check\n"
"  --data-dir DIR       a capacity certificate's data file is looked up in DIR\n"
"                       and must lie inside it (default: the certificate's own\n"
"                       directory; the checker reads no file outside it)\n"
"  --max-precision BITS refuse a ball-route witness above BITS bits of\n"
"                       precision (default 65536, at most 16777216)\n"
"  --max-memory SIZE    refuse a check needing more memory than SIZE\n"
"                       (bytes, or with K, M, G, T; default: what is available)\n"
"  --max-seconds S      give up after S seconds (exit 2, nothing verified)\n"
"  --threads N          threads for FLINT and OpenBLAS (default: OPENBLAS_NUM_THREADS\n"
"                       if set, else every core)\n"
"  --json               print the verdict as a JSON object (doc/json.md)\n"
"  --quiet              print nothing but errors\n";

/* How the witness was checked, for the verdict line. */
static void
witness_text(char *how, size_t size, const genrank_verify_info_t *info)
{
    if (!strcmp(info->route, "ball"))
        snprintf(how, size, "determinant a ball excluding 0 at %ld bits", (long) info->precision);
    else if (info->fast_used)
        snprintf(how, size, "witness modulo %s by the fast check: probabilistic", info->prime);
    else
        snprintf(how, size, "witness modulo %s: a proof", info->prime);
}

/* A rank certificate's status: exact when the rank meets the exact value
   or upper bound the checker recomputed, or the prediction (a proved upper
   bound, doc/theory.md section 3); *by names it. */
static const char *
rank_status(const genrank_verify_info_t *info, const char **by)
{
    char r[32];
    snprintf(r, sizeof r, "%ld", (long) info->rank);
    *by = NULL;
    if (info->corrected[0] && !strcmp(info->corrected, r))
    {
        /* named as prove names it: "the upper bound X" is X */
        *by = info->corrected_source;
        if (!strncmp(*by, "the upper bound ", 16))
            *by += 16;
    }
    else if (!strcmp(info->predicted, r))
        *by = info->theorem;
    return *by ? "exact" : "lower bound";
}

/* A decimal integer as a JSON number when it fits 2^53, else a string. */
static json_t *
json_decimal(const char *s)
{
    return strlen(s) <= 15 ? json_integer(strtoll(s, NULL, 10)) : json_string(s);
}

static json_t *
verify_json(const char *path, int rc, const genrank_verify_info_t *info, const genrank_err_t *e,
            double seconds)
{
    json_t *o = cli_json_object("verify");
    const char *by = NULL;
    json_object_set_new(o, "certificate", json_string(path));
    json_object_set_new(o, "valid", json_boolean(rc == 0));
    if (rc == 0 && info->capacity)
    {
        json_object_set_new(o, "kind", json_string("capacity"));
        json_object_set_new(o, "activation", json_string(info->activation));
        json_object_set_new(o, "n", json_integer(info->n));
        json_object_set_new(o, "d", json_integer(info->d));
        json_object_set_new(o, "rank", json_integer(info->n));
        json_object_set_new(o, "status", json_string("exact"));
        json_object_set_new(o, "exact_by", json_string("the shape: the W-Jacobian has n columns"));
        json_object_set_new(o, "width", json_integer(info->width));
        json_object_set_new(o, "sufficient_width", json_integer(2 * info->width));
        json_object_set_new(o, "necessary_width", json_integer(info->necessary));
        json_object_set_new(o, "necessary_width_source", json_string(info->necessary_source));
        if (info->data_file[0])
            json_object_set_new(o, "data", json_string(info->data_file));
        if (info->route_min > 0)
            json_object_set_new(o, "route_lower_bound", json_integer(info->route_min));
        json_object_set_new(o, "route", json_string(info->route));
    }
    else if (rc == 0 && info->matexp)
    {
        json_object_set_new(o, "kind", json_string("matexp"));
        json_object_set_new(o, "d", json_integer(info->d));
        json_object_set_new(o, "layers", json_integer(info->m));
        json_object_set_new(o, "n", json_integer(info->n));
        json_object_set_new(o, "rank", json_integer(info->rank));
        json_object_set_new(o, "bound", json_decimal(info->predicted));
        json_object_set_new(o, "status", json_string(info->corrected[0] ? "exact" : "lower bound"));
        json_object_set_new(o, "exact_by", info->corrected[0]
                            ? json_string("the bound min(layers, n) d^2") : json_null());
        json_object_set_new(o, "route", json_string(info->route));
    }
    else if (rc == 0 && info->network)
    {
        json_object_set_new(o, "kind", json_string("network"));
        json_object_set_new(o, "object", json_string(info->object));
        json_object_set_new(o, "activation", json_string(info->activation));
        json_object_set_new(o, "layers", json_integer(info->m));
        json_object_set_new(o, "n", json_integer(info->n));
        json_object_set_new(o, "rank", json_integer(info->rank));
        json_object_set_new(o, "predicted", info->predicted[0]
                            ? json_integer(strtoll(info->predicted, NULL, 10)) : json_null());
        json_object_set_new(o, "prediction_status", json_string(info->theorem));
        json_object_set_new(o, "status", json_string(info->status));
        json_object_set_new(o, "exact_by", info->corrected[0]
                            ? json_string(info->corrected_source) : json_null());
        json_object_set_new(o, "route", json_string(info->route));
    }
    else if (rc == 0 && info->matrix)
    {
        json_object_set_new(o, "kind", json_string("matrix"));
        json_object_set_new(o, "rows", json_integer(info->m));
        json_object_set_new(o, "cols", json_integer(info->n));
        json_object_set_new(o, "rank", json_integer(info->rank));
        json_object_set_new(o, "status", json_string(info->status));
        json_object_set_new(o, "exact_by", info->corrected[0] ? json_string(info->corrected_source)
                            : json_null());
    }
    else if (rc == 0)
    {
        const char *st = rank_status(info, &by);
        json_object_set_new(o, "kind", json_string("rank"));
        json_object_set_new(o, "family", json_string(info->family));
        json_object_set_new(o, "m", json_integer(info->m));
        json_object_set_new(o, "d", json_integer(info->d));
        json_object_set_new(o, "n", json_integer(info->n));
        json_object_set_new(o, "rank", json_integer(info->rank));
        json_object_set_new(o, "predicted", json_decimal(info->predicted));
        json_object_set_new(o, "theorem", json_string(info->theorem));
        if (info->corrected[0])
            json_object_set_new(o, "corrected", json_decimal(info->corrected));
        json_object_set_new(o, "status", json_string(st));
        json_object_set_new(o, "exact_by", by ? json_string(by) : json_null());
        if (info->phi[0])
        {
            json_object_set_new(o, "phi", json_string(info->phi));
            json_object_set_new(o, "route", json_string(info->route));
        }
        if (info->kruskal_rank >= 0)
            json_object_set_new(o, "kruskal", json_integer(info->kruskal_rank));
        json_object_set_new(o, "point", json_string(info->point_given ? "given" : "random"));
        if (info->evidence_trials > 0)
        {
            json_object_set_new(o, "trials", json_integer(info->evidence_trials));
            json_object_set_new(o, "probability_bound", json_real(info->probability_bound));
        }
        json_object_set_new(o, "check", json_string(info->fast_used ? "fast" : "full"));
        if (info->fast_used)
            json_object_set_new(o, "error_bits", json_integer(info->fast_bits));
    }
    else
        json_object_set_new(o, "error", json_string(e->msg));
    json_object_set_new(o, "seconds", json_real(seconds));
    return o;
}

static void
verify_print_capacity(const char *path, const genrank_verify_info_t *info)
{
    char how[96], nec[256] = "";
    witness_text(how, sizeof how, info);
    if (info->necessary > 1)
        snprintf(nec, sizeof nec, "by %s no width below %ld does; ", info->necessary_source,
                 (long) info->necessary);
    printf("%s: valid: the W-Jacobian of a %s network of width %ld has rank n = %ld on the "
           "certificate's %ld point%s (d = %ld), so width %ld fits every label vector "
           "(Theorem 5.2; %s%s)\n",
           path, info->activation, (long) info->width, (long) info->n, (long) info->n,
           info->n == 1 ? "" : "s", (long) info->d, (long) (2 * info->width), nec, how);
    if (info->data_file[0])
        printf("%s: valid: the points are those of the data file '%s' (its SHA-256 checked)\n",
               path, info->data_file);
    if (info->route_min > 0)
        printf("%s: valid: no width below %ld gives the W-Jacobian rank n%s\n", path,
               (long) info->route_min, info->route_min == info->width ? " (the certified width is the least)" : "");
}

static void
verify_print_matexp(const char *path, const genrank_verify_info_t *info)
{
    printf("%s: valid: the Jacobian of a matrix-exponential network (d = %ld, %ld weight "
           "matri%s, n = %ld) has rank >= %ld (determinant a ball excluding 0 at %ld bits)\n",
           path, (long) info->d, (long) info->m, info->m == 1 ? "x" : "ces", (long) info->n,
           (long) info->rank, (long) info->precision);
    if (info->corrected[0])
        printf("%s: valid: its rank is exactly %ld, the bound min(layers, n) d^2\n", path,
               (long) info->rank);
}

static void
verify_print_network(const char *path, const genrank_verify_info_t *info)
{
    char how[96];
    witness_text(how, sizeof how, info);
    printf("%s: valid: the %s of a %ld-layer %s network at the recorded point (n = %ld) has "
           "rank >= %ld over %s (%s)\n", path, info->object, (long) info->m,
           info->activation, (long) info->n, (long) info->rank,
           strcmp(info->route, "ball") ? "Q" : "R", how);
    if (info->predicted[0])
        printf("%s: valid: seed 001 predicts %s (%s)\n", path, info->predicted, info->theorem);
    if (info->corrected[0])
        printf("%s: valid: the rank there is exactly %ld (%s)\n", path, (long) info->rank,
               info->corrected_source);
}

static void
verify_print_matrix(const char *path, const genrank_verify_info_t *info)
{
    printf("%s: valid: the %ld x %ld matrix has rank >= %ld (witness modulo %s)\n", path,
           (long) info->m, (long) info->n, (long) info->rank, info->prime);
    if (info->corrected[0])
        printf("%s: valid: %s: rank = %ld (rank <= %ld by %s)\n", path, info->status,
               (long) info->rank, (long) info->rank, info->corrected_source);
}

static void
verify_print_rank(const char *path, const genrank_verify_info_t *info)
{
    char how[96];
    witness_text(how, sizeof how, info);
    printf("%s: valid: the %s matrix for m=%ld d=%ld n=%ld%s%s has generic rank >= %ld "
           "(predicted %s by %s; %s)\n",
           path, info->family, (long) info->m, (long) info->d, (long) info->n,
           info->phi[0] ? ", phi = " : "", info->phi, (long) info->rank, info->predicted,
           info->theorem, how);
    if (info->fast_used)
        printf("%s: probabilistic: the witness minor is nonsingular modulo p unless %ld "
               "challenge vectors derived by SHA-256 fell in its row space: error <= 2^-%ld "
               "per SHA-256 evaluation if SHA-256 behaves as a random oracle; det_mod_p is not "
               "checked (without --fast the check is a proof)\n", path, (long) info->fast_k,
               (long) info->fast_bits);
    if (info->point_given)
        printf("%s: valid: its witness is at the point the user gave (\"generator\": \"given\"): "
               "the matrix there has rank >= %ld%s\n", path, (long) info->rank,
               strtoll(info->predicted, NULL, 10) > (long long) info->rank
               ? "; one given point is no evidence about the generic rank" : "");
    if (info->kruskal_rank >= 0)
        printf("%s: valid: generic Kruskal rank >= %ld\n", path, (long) info->kruskal_rank);
    if (info->corrected[0] && strtoll(info->corrected, NULL, 10) == (long long) info->rank)
        printf("%s: valid: the generic rank is exactly %ld (the certified rank meets the exact "
               "value: %s)\n", path, (long) info->rank, info->corrected_source);
    else if (info->evidence_trials > 0 && info->probability_bound < 1.0)
    {
        char pb[32];
        if (info->probability_bound > 0)
            snprintf(pb, sizeof pb, "<= %.3g", info->probability_bound);
        else
            snprintf(pb, sizeof pb, "< 1e-300");   /* below the range of a double */
        printf("%s: evidence, not a proof: no higher rank in the %ld independent trial%s the "
               "certificate records (probability %s if the generic rank were higher; the bound "
               "recomputed)\n", path, (long) info->evidence_trials,
               info->evidence_trials == 1 ? "" : "s", pb);
    }
    else if (info->evidence_trials > 0)
        printf("%s: below the prediction: no higher rank seen in %ld trial%s (no probability "
               "bound is claimed)\n", path, (long) info->evidence_trials,
               info->evidence_trials == 1 ? "" : "s");
}

/* Monotonic wall-clock seconds, for "seconds". */
static double
wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static char alarm_msg[512];

static void
on_alarm(int sig)
{
    ssize_t w = write(STDERR_FILENO, alarm_msg, strlen(alarm_msg));
    (void) sig;
    (void) w;
    _exit(EX_USAGE);
}

/* --max-seconds: SIGALRM ends the process with a message (the checker's
   library calls cannot be interrupted half way, and nothing is written). */
static void
set_time_limit(const char *path, unsigned secs)
{
    struct sigaction sa;
    snprintf(alarm_msg, sizeof alarm_msg, "\ngenrank: verify: %.300s: the time limit of %u s "
             "(--max-seconds) was reached; nothing was verified\n", path, secs);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    alarm(secs);
}

/* One certificate: checked, the verdict printed (or added to all);
   its exit status. */
static int
verify_one(const char *path, const genrank_verify_opts_t *vo, unsigned secs, int json, int quiet,
           json_t *all)
{
    genrank_verify_info_t info;
    genrank_err_t e;
    char what[320];
    double t0;
    int rc;
    if (secs > 0)
        set_time_limit(path, secs);
    snprintf(what, sizeof what, "verify: checking %.280s", path);
    if (!quiet && !json)
        ticker_start(what);
    t0 = wall_seconds();
    rc = genrank_verify_file_opts(path, vo, &info, &e);
    t0 = wall_seconds() - t0;
    ticker_stop();
    alarm(0);
    if (json && all != NULL)
        json_array_append_new(all, verify_json(path, rc, &info, &e, t0));
    else if (json)
        print_json(verify_json(path, rc, &info, &e, t0));
    if (rc != 0)
    {
        /* the reader's messages may name the file already */
        if (strstr(e.msg, path) != NULL)
            fprintf(stderr, "genrank: verify: %s\n", e.msg);
        else
            fprintf(stderr, "genrank: verify: %s: %s\n", path, e.msg);
        return (rc == GENRANK_EIO || rc == GENRANK_ENOMEM) ? EX_USAGE : EX_FAIL;
    }
    if (!json && !quiet && info.capacity)
        verify_print_capacity(path, &info);
    else if (!json && !quiet && info.matrix)
        verify_print_matrix(path, &info);
    else if (!json && !quiet && info.matexp)
        verify_print_matexp(path, &info);
    else if (!json && !quiet && info.network)
        verify_print_network(path, &info);
    else if (!json && !quiet)
        verify_print_rank(path, &info);
    return EX_OK;
}

int
cmd_verify(int argc, char **argv)
{
    enum { O_DATA_DIR = 512, O_MAX_MEMORY, O_MAX_SECONDS, O_FAST, O_VTHREADS };
    static struct option longopts[] = {
        {"json", no_argument, 0, O_JSON},
        {"quiet", no_argument, 0, O_QUIET},
        {"help", no_argument, 0, O_HELP},
        {"data-dir", required_argument, 0, O_DATA_DIR},
        {"max-precision", required_argument, 0, O_MAXPREC},
        {"max-memory", required_argument, 0, O_MAX_MEMORY},
        {"max-seconds", required_argument, 0, O_MAX_SECONDS},
        {"fast", no_argument, 0, O_FAST},
        {"threads", required_argument, 0, O_VTHREADS},
        {0, 0, 0, 0}
    };
    genrank_verify_opts_t vo;
    int c, json = 0, quiet = 0, status = EX_OK;
    uint64_t u, secs = 0, threads = 0;
    json_t *all = NULL;
    struct stat sb;

    genrank_verify_opts_init(&vo);
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1)
    {
        if (c == O_JSON)
            json = 1;
        else if (c == O_QUIET)
            quiet = 1;
        else if (c == O_FAST)
            vo.fast = 1;
        else if (c == O_VTHREADS)
        {
            if (parse_u64(&threads, optarg) || threads < 1 || threads > 4096)
                die_usage("verify", "--threads must be an integer in [1, 4096]");
        }
        else if (c == O_HELP || c == 'h')
        {
            fputs(usage_verify, stdout);
            return EX_OK;
        }
        else if (c == O_DATA_DIR)
        {
            if (stat(optarg, &sb) != 0 || !S_ISDIR(sb.st_mode))
                die_usage("verify", "--data-dir must name a directory");
            vo.data_dir = optarg;
        }
        else if (c == O_MAXPREC)
        {
            if (parse_u64(&u, optarg) || u < 2 || u > (UWORD(1) << 24))
                die_usage("verify", "--max-precision must be an integer in [2, 16777216]");
            vo.max_prec = (slong) u;
        }
        else if (c == O_MAX_MEMORY)
        {
            if (parse_bytes(&vo.max_memory, optarg))
                die_usage("verify", "--max-memory must be a positive size, e.g. 4G or 512M");
        }
        else if (c == O_MAX_SECONDS)
        {
            if (parse_u64(&secs, optarg) || secs < 1 || secs > 31536000)
                die_usage("verify", "--max-seconds must be an integer in [1, 31536000]");
        }
        else
            die_usage("verify", bad_option(argv));
    }
    if (optind >= argc)
        die_usage("verify", "expected at least one certificate file");
    set_threads((slong) threads);
    if (json && argc - optind > 1)
        all = json_array();
    for (; optind < argc; optind++)
    {
        int st = verify_one(argv[optind], &vo, (unsigned) secs, json, quiet, all);
        /* the worst: an invalid certificate (1) over an unreadable one (2) */
        status = (st == EX_FAIL || status == EX_FAIL) ? EX_FAIL : FLINT_MAX(status, st);
    }
    if (all != NULL)
    {
        /* several files: {"schema", "command", "valid", "results": [...]} */
        json_t *o = cli_json_object("verify");
        json_object_set_new(o, "valid", json_boolean(status == EX_OK));
        json_object_set_new(o, "exit_status", json_integer(status));
        json_object_set_new(o, "results", all);
        print_json(o);
    }
    return status;
}
