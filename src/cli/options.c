/* What the commands share: usage errors, JSON output, option parsing
   helpers, the instance options of formula and prove, threads and seeds. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <jansson.h>
#include <flint/ulong_extras.h>
#include "cli.h"

void
die_usage(const char *cmd, const char *msg)
{
    fprintf(stderr, "genrank: %s%s%s\n", cmd ? cmd : "", cmd ? ": " : "", msg);
    fprintf(stderr, "Try 'genrank %s%s--help' for more information.\n",
            cmd ? cmd : "", cmd ? " " : "");
    exit(EX_USAGE);
}

/* The message for the option getopt_long just rejected. */
const char *
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

json_t *
cli_json_object(const char *command)
{
    json_t *o = json_object();
    json_object_set_new(o, "schema", json_integer(GENRANK_JSON_SCHEMA));
    json_object_set_new(o, "command", json_string(command));
    return o;
}

const char *
cli_rank_status(const genrank_formula_struct *f, slong rank, const char **by)
{
    *by = NULL;
    if (f->has_corrected && fmpz_cmp_si(f->corrected, rank) == 0)
        *by = f->corrected_source;
    else if (f->has_bound && fmpz_cmp_si(f->bound, rank) == 0)
        *by = f->bound_source;
    else if (fmpz_cmp_si(f->predicted, rank) == 0)
        *by = f->theorem;
    return *by != NULL ? "exact" : "lower bound";
}

void
print_json(json_t *obj)
{
    char *s = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    puts(s);
    free(s);
    json_decref(obj);
}

int
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

int
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
void
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
void
spec_phi_string(char *buf, size_t size, const spec_t *sp)
{
    if (sp->phi != GENRANK_PHI_POLY)
        snprintf(buf, size, "%s(x) = %s", genrank_phi_name(sp->phi),
                 genrank_phi_definition(sp->phi));
    else
        phi_string(buf, size, sp->coeffs, sp->len);
}

struct option spec_longopts[] = {
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
    {"point", required_argument, 0, O_POINT},
    {"method", required_argument, 0, O_METHOD},
    {"kruskal", no_argument, 0, O_KRUSKAL},
    {"phi", required_argument, 0, O_PHI},
    {"route", required_argument, 0, O_ROUTE},
    {"denominator", required_argument, 0, O_DENOM},
    {"max-precision", required_argument, 0, O_MAXPREC},
    {"compare-float", no_argument, 0, O_COMPARE},
    {"no-fast", no_argument, 0, O_NO_FAST},
    {"record-seed", no_argument, 0, O_RECORD_SEED},
    {"checkpoint", required_argument, 0, O_CHECKPOINT},
    {"checkpoint-every", required_argument, 0, O_CHECKPOINT_EVERY},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0}
};

/* --coeffs and --phi exclude each other. */
void
spec_check_phi(const spec_t *sp, const char *cmd)
{
    if (sp->phi != GENRANK_PHI_POLY && sp->coeffs != NULL)
        die_usage(cmd, "give --coeffs (a polynomial) or --phi (a named activation), not both");
}

/* --threads N, else OPENBLAS_NUM_THREADS for FLINT too, else every core. */
void
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

uint64_t
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
const char *opt_cmd = "prove";

/* A prove (or capacity) option's integer in [lo, hi], else the usage error msg. */
uint64_t
prove_u64(const char *arg, uint64_t lo, uint64_t hi, const char *msg)
{
    uint64_t u;
    if (parse_u64(&u, arg) || u < lo || u > hi)
        die_usage(opt_cmd, msg);
    return u;
}

/* The index (0, 1 or 2) of arg among three names, else the usage error msg. */
int
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


/* ---- the ticker: "still working" on a terminal -------------------- */

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int running, stop, shown;
    char what[256];
} tick = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

#define TICK_LOG_EVERY 600   /* seconds between lines when stderr is not a terminal */

static void *
ticker_main(void *arg)
{
    struct timespec start, until;
    int tty = isatty(STDERR_FILENO);
    (void) arg;
    clock_gettime(CLOCK_REALTIME, &start);
    pthread_mutex_lock(&tick.lock);
    for (long s = 2; !tick.stop; s++)
    {
        double done;
        until = start;
        until.tv_sec += s;
        while (!tick.stop && pthread_cond_timedwait(&tick.cond, &tick.lock, &until) == 0)
            ;
        if (tick.stop)
            break;
        done = genrank_progress();              /* the prover's compact elimination */
        if (done < 0)
            done = genrank_check_progress();    /* the checker's BLAS determinant */
        if (!tty)
        {
            if (s % TICK_LOG_EVERY == 0)
            {
                if (done >= 0)
                    fprintf(stderr, "genrank: %s: %.1f%% of the elimination after %ld s\n",
                            tick.what, 100.0 * done, s);
                else
                    fprintf(stderr, "genrank: %s: still working after %ld s\n", tick.what, s);
                fflush(stderr);
            }
            continue;
        }
        /* the cursor goes back to the line's start, so that a line the
           work itself prints overwrites this one */
        if (done >= 0)
            fprintf(stderr, "\r\033[Kgenrank: %s (%.1f%%, %ld s)\r", tick.what, 100.0 * done, s);
        else
            fprintf(stderr, "\r\033[Kgenrank: %s (%ld s)\r", tick.what, s);
        fflush(stderr);
        tick.shown = 1;
    }
    pthread_mutex_unlock(&tick.lock);
    return NULL;
}

void
ticker_start(const char *what)
{
    if (tick.running)
        return;
    snprintf(tick.what, sizeof tick.what, "%s", what);
    tick.stop = tick.shown = 0;
    tick.running = (pthread_create(&tick.thread, NULL, ticker_main, NULL) == 0);
}

void
ticker_stop(void)
{
    if (!tick.running)
        return;
    pthread_mutex_lock(&tick.lock);
    tick.stop = 1;
    pthread_cond_signal(&tick.cond);
    pthread_mutex_unlock(&tick.lock);
    pthread_join(tick.thread, NULL);
    tick.running = 0;
    if (tick.shown)
    {
        fputs("\r\033[K", stderr);   /* the line is erased: the result follows */
        fflush(stderr);
    }
}

int
parse_bytes(double *out, const char *s)
{
    char *end;
    double v;
    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || v <= 0)
        return -1;
    switch (*end)
    {
        case '\0': break;
        case 'K': case 'k': v *= 1024.0; end++; break;
        case 'M': case 'm': v *= 1048576.0; end++; break;
        case 'G': case 'g': v *= 1073741824.0; end++; break;
        case 'T': case 't': v *= 1099511627776.0; end++; break;
        default: return -1;
    }
    if (*end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}
