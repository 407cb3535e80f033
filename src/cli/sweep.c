/* genrank sweep: certify every case of a grid and append one JSON line
   per case (resumable, shardable; doc/sweep.md).  merge.c joins shards,
   report.c summarises them, results.c reads them. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "genrank.h"
#include "cli.h"

/* ------------------------------------------------------------------ */
/* Cases                                                               */

typedef struct {
    genrank_family_t family;
    slong m, d, n;
    char coeffs[512];    /* canonical "c0,c1,...", trailing zeros dropped;
                            "phi=NAME" for a named phi */
    char support[512];   /* "0,2,3": the k with c_k != 0; NAME for a named phi */
    genrank_phi_t phi;   /* GENRANK_PHI_POLY unless --phi */
} scase_t;

/* The cases: family cases in v, or network cases in nv
   (sweep_network.c), never both. */
typedef struct {
    scase_t *v;
    snet_case_t *nv;
    slong len, alloc;
} scases_t;

static void
cases_grow(void **v, slong *alloc, slong len, size_t size)
{
    if (len == *alloc)
    {
        *alloc = *alloc ? 2 * *alloc : 256;
        *v = realloc(*v, *alloc * size);
        if (*v == NULL)
        {
            fprintf(stderr, "genrank: sweep: out of memory\n");
            exit(1);
        }
    }
}

static void
cases_push(scases_t *cs, const scase_t *c)
{
    void *v = cs->v;
    cases_grow(&v, &cs->alloc, cs->len, sizeof(scase_t));
    cs->v = v;
    cs->v[cs->len++] = *c;
}

/* Case i of src appended to dst (of the same kind). */
static void
cases_push_from(scases_t *dst, const scases_t *src, slong i)
{
    void *v;
    if (src->v != NULL)
    {
        cases_push(dst, src->v + i);
        return;
    }
    v = dst->nv;
    cases_grow(&v, &dst->alloc, dst->len, sizeof(snet_case_t));
    dst->nv = v;
    dst->nv[dst->len++] = src->nv[i];
}

static void
cases_free(scases_t *cs)
{
    free(cs->v);
    free(cs->nv);
}

/* 1 when a case with this coefficient text (or phi=NAME) is listed. */
static int
case_listed(const scases_t *cs, const char *coeffs)
{
    slong q;
    for (q = 0; q < cs->len; q++)
        if (!strcmp(cs->v[q].coeffs, coeffs))
            return 1;
    return 0;
}

/* Pushes sc for every (d, m) of the grid and every n of nlist (nn of
   them), or when nn = 0 the automatic n: min(rows, binomial sum) + 1 for
   a polynomial (coefficients cf), rows + 1 for a named phi. */
static void
push_grid(scases_t *cs, scase_t *sc, slong m0, slong m1, slong d0, slong d1,
          const slong *nlist, slong nn, const fmpq *cf, slong len)
{
    slong m, d, ni;
    for (d = d0; d <= d1; d++)
        for (m = m0; m <= m1; m++)
            for (ni = 0; ni < (nn ? nn : 1); ni++)
            {
                slong rows = genrank_family_nrows(sc->family, m, d);
                sc->m = m;
                sc->d = d;
                if (nn)
                    sc->n = nlist[ni];
                else if (sc->phi != GENRANK_PHI_POLY)
                    sc->n = rows + 1;
                else
                {
                    genrank_formula_t f;
                    genrank_formula_init(f);
                    genrank_formula(f, sc->family, m, d, 1, cf, len);
                    sc->n = fmpz_cmp_si(f->terms, rows) < 0 ? fmpz_get_si(f->terms) + 1 : rows + 1;
                    genrank_formula_clear(f);
                }
                cases_push(cs, sc);
            }
}

/* The key that identifies a case in an output file. */
static void
case_key(char *buf, size_t size, genrank_family_t fam, slong m, slong d, slong n,
         const char *coeffs)
{
    snprintf(buf, size, "%s|%ld|%ld|%ld|%s", genrank_family_name(fam), (long) m,
             (long) d, (long) n, coeffs);
}

/* Canonical text of a coefficient list and of its support. */
static void
coeff_texts(char *ctext, size_t csize, char *stext, size_t ssize, const fmpq *c, slong len)
{
    size_t cu = 0, su = 0;
    slong k;
    ctext[0] = stext[0] = '\0';
    for (k = 0; k < len; k++)
    {
        char *s = fmpq_get_str(NULL, 10, c + k);
        cu += snprintf(ctext + cu, csize > cu ? csize - cu : 0, "%s%s", k ? "," : "", s);
        if (!fmpq_is_zero(c + k))
            su += snprintf(stext + su, ssize > su ? ssize - su : 0, "%s%ld", su ? "," : "", (long) k);
        flint_free(s);
    }
}

/* ------------------------------------------------------------------ */
/* Output lines                                                        */

/* One result line (JSON, no newline); the caller frees it. */
static char *
result_line(const scase_t *sc, const genrank_cert_t cert, uint64_t seed, const char *certpath,
            const char *kruskal_note, const char *opts_tag)
{
    json_t *o = json_object(), *cs = json_array();
    const genrank_formula_struct *f = cert->formula;
    const char *by;
    char key[700], *s, *tok, *save = NULL, buf[512];
    int below = fmpz_cmp_si(f->predicted, cert->rank) > 0;
    int explained = below && ((f->has_corrected && fmpz_cmp_si(f->corrected, cert->rank) == 0)
                              || (f->has_bound && fmpz_cmp_si(f->bound, cert->rank) == 0));

    case_key(key, sizeof key, sc->family, sc->m, sc->d, sc->n, sc->coeffs);
    strcpy(buf, sc->coeffs);
    if (sc->phi == GENRANK_PHI_POLY)
        for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            json_array_append_new(cs, json_string(tok));
    else
        json_object_set_new(o, "phi", json_string(genrank_phi_name(sc->phi)));
    json_object_set_new(o, "key", json_string(key));
    json_object_set_new(o, "schema", json_integer(GENRANK_JSON_SCHEMA));
    json_object_set_new(o, "options", json_string(opts_tag));
    json_object_set_new(o, "family", json_string(genrank_family_name(sc->family)));
    json_object_set_new(o, "m", json_integer(sc->m));
    json_object_set_new(o, "d", json_integer(sc->d));
    json_object_set_new(o, "n", json_integer(sc->n));
    json_object_set_new(o, "coeffs", cs);
    json_object_set_new(o, "support", json_string(sc->support));
    json_object_set_new(o, "rows", json_integer(genrank_family_nrows(sc->family, sc->m, sc->d)));
    json_object_set_new(o, "theorem", json_string(f->theorem));
    json_object_set_new(o, "predicted", genrank_json_fmpz(f->predicted));
    json_object_set_new(o, "ah", f->has_corrected ? genrank_json_fmpz(f->corrected) : json_null());
    json_object_set_new(o, "bound", f->has_bound ? genrank_json_fmpz(f->bound) : json_null());
    json_object_set_new(o, "certified", json_integer(cert->rank));
    json_object_set_new(o, "rank", json_integer(cert->rank));
    json_object_set_new(o, "gap", json_integer(cert->rank - fmpz_get_si(f->predicted)));
    json_object_set_new(o, "prediction", json_string(!below ? "holds"
                        : explained ? "below-explained" : "below"));
    json_object_set_new(o, "status", json_string(cli_rank_status(f, cert->rank, &by)));
    json_object_set_new(o, "exact_by", by ? json_string(by) : json_null());
    json_object_set_new(o, "trials", json_integer(cert->trials));
    json_object_set_new(o, "max_rank_seen", json_integer(cert->max_rank_seen));
    json_object_set_new(o, "per_trial_bound", below ? json_real(cert->per_trial_bound) : json_null());
    json_object_set_new(o, "probability_bound", below ? json_real(cert->probability_bound) : json_null());
    snprintf(buf, sizeof buf, "%llu", (unsigned long long) seed);
    json_object_set_new(o, "seed", json_string(buf));
    snprintf(buf, sizeof buf, "%lu", (unsigned long) cert->prime);
    json_object_set_new(o, "prime", json_string(buf));
    json_object_set_new(o, "certificate", certpath ? json_string(certpath) : json_null());
    json_object_set_new(o, "seconds", json_real(floor(cert->seconds * 1e4) / 1e4));
    if (kruskal_note != NULL)
    {
        json_object_set_new(o, "kruskal", cert->kruskal_rank >= 0
                            ? json_integer(cert->kruskal_rank) : json_null());
        if (cert->kruskal_rank < 0)
            json_object_set_new(o, "kruskal_note", json_string(kruskal_note));
    }
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

/* Appends line + '\n' with one write on an O_APPEND descriptor, then
   fsync: concurrent workers never interleave, and a finished line
   survives a crash. */
static int
append_line(int fd, const char *line)
{
    size_t len = strlen(line);
    char *buf = malloc(len + 2);
    ssize_t w;
    struct stat sb;
    struct flock lk;
    off_t before;
    int have_before, locked;
    memcpy(buf, line, len);
    buf[len] = '\n';
    /* the workers append under a record lock (fcntl locks are per
       process, unlike the sweep's flock), so that cutting off a partial
       row below never cuts another worker's */
    memset(&lk, 0, sizeof lk);
    lk.l_type = F_WRLCK;
    lk.l_whence = SEEK_SET;
    locked = (fcntl(fd, F_SETLKW, &lk) == 0);
    have_before = (fstat(fd, &sb) == 0);
    before = sb.st_size;
    w = write(fd, buf, len + 1);
    if (w > 0 && w != (ssize_t) (len + 1))
    {
        /* a full disk wrote part of the row: cut it off again when the
           file grew by exactly that part (no other worker wrote meanwhile) */
        int e = errno;
        if (locked && have_before && fstat(fd, &sb) == 0 && sb.st_size == before + w)
        {
            int rc = ftruncate(fd, before);
            (void) rc;
        }
        errno = e;
    }
    if (locked)
    {
        int e = errno;
        lk.l_type = F_UNLCK;
        fcntl(fd, F_SETLK, &lk);
        errno = e;
    }
    free(buf);
    if (w != (ssize_t) (len + 1))
    {
        if (w >= 0)
            errno = ENOSPC;
        return -1;
    }
    return fsync(fd);
}

static int
key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* ------------------------------------------------------------------ */
/* genrank sweep                                                       */

static const char *usage_sweep =
"Usage: genrank sweep --m A[..B] --d A[..B] (--supports K | --coeffs LISTS | --phi NAMES)\n"
"                     --out FILE [--family F] [--n auto|N[,N...]] [--trials T]\n"
"                     [--seed S] [--jobs J] [--shard I/N] [--certs DIR] [--kruskal]\n"
"                     [--json]\n"
"       genrank sweep --family network --depth A[..B] [--width A[..B]] --d A[..B]\n"
"                     --K A[..B] --out FILE [--bias no|yes|both]\n"
"                     [--activation linear[,relu]] [--object LIST] [--n auto|N[,N...]]\n"
"                     [--trials T] [--seed S] [--jobs J] [--shard I/N] [--certs DIR] [--json]\n"
"\n"
"Proves the rank of every case of a grid and appends one JSON line per case\n"
"to FILE (JSON Lines; columns in doc/sweep.md).  Rerunning the same command\n"
"skips the cases FILE already holds; a killed run loses at most the cases in\n"
"flight.  Cases are independent of --jobs and --shard: each case's seed is\n"
"derived from --seed and the case.\n"
"\n"
"  --family F      hadamard, khatri-rao (default) or network\n"
"  --m A..B        range of m (or a single value); likewise --d\n"
"  --supports K    every nonempty support S of {0,...,K}, phi = sum over S of x^k\n"
"  --coeffs LISTS  explicit coefficient lists separated by ';', e.g. '0,1;1,1,1/2'\n"
"  --phi NAMES     named analytic activations separated by ',', e.g. 'tanh,sigmoid'\n"
"                  (Theorems 4.4 / 4.5; exact route where it exists, else Arb)\n"
"  --n auto        n = min(rows, binomial sum) + 1, so n never binds (default);\n"
"  --n N,N,...     or these values of n for every case\n"
"  --trials T      trials per case while below the prediction (default 3)\n"
"  --seed S        base seed (default 1)\n"
"  --jobs J        worker processes (default: every core)\n"
"  --shard I/N     only the I-th of N disjoint parts (1 <= I <= N); join the\n"
"                  parts with genrank merge\n"
"  --certs DIR     also write each case's certificate into DIR\n"
"  --kruskal       also certify each case's Kruskal rank (column \"kruskal\";\n"
"                  null with a \"kruskal_note\" when there are too many subsets)\n"
"  --out FILE      the JSON Lines file (appended to)\n"
"  --json          print the summary of FILE as a JSON object (doc/json.md)\n"
"\n"
"Network grids (genrank network's objects at random integer points; one row\n"
"per architecture and object; doc/hessian-atlas.md):\n"
"  --depth A..B    layers L (weight matrices), 1 to 8\n"
"  --width A..B    every tuple of the L - 1 hidden widths from this range\n"
"  --K A..B        outputs; --d is the inputs' dimension\n"
"  --bias B        no (default), yes or both\n"
"  --activation A  linear (default), relu, or linear,relu\n"
"  --object LIST   jacobian, hessian-outer, hessian-functional, hessian-loss\n"
"                  or all (default all)\n"
"  --n auto        n = 2d + 1 random inputs (default), or --n N,N,...\n"
"  --trials T      points tried while below the prediction or without one\n"
"\n"
"At the end it prints a summary of every case FILE holds: how many are exact\n"
"(the certified rank meets a proved upper bound) and how many lower bounds.\n";

/* parses "A" or "A..B" */
static int
parse_range(slong *lo, slong *hi, const char *s)
{
    const char *dots = strstr(s, "..");
    genrank_err_t e;
    char buf[64];
    if (dots == NULL)
    {
        if (genrank_size_parse(lo, s, 1000000, "value", &e))
            return -1;
        *hi = *lo;
        return 0;
    }
    if ((size_t) (dots - s) >= sizeof buf)
        return -1;
    memcpy(buf, s, dots - s);
    buf[dots - s] = '\0';
    if (genrank_size_parse(lo, buf, 1000000, "value", &e)
        || genrank_size_parse(hi, dots + 2, 1000000, "value", &e) || *hi < *lo)
        return -1;
    return 0;
}

/* The key of case i. */
static void
cases_key(char *buf, size_t size, const scases_t *cs, slong i)
{
    if (cs->nv != NULL)
        snet_key(buf, size, cs->nv + i);
    else
        case_key(buf, size, cs->v[i].family, cs->v[i].m, cs->v[i].d, cs->v[i].n, cs->v[i].coeffs);
}

static uint64_t
case_seed(uint64_t base, const char *key)
{
    uint64_t h = 1469598103934665603ULL ^ base;
    genrank_rng_t r;
    for (; *key; key++)
        h = (h ^ (unsigned char) *key) * 1099511628211ULL;
    genrank_rng_seed(&r, h);
    return genrank_rng_next(&r);
}

static void
sweep_die(const char *msg)
{
    fprintf(stderr, "genrank: sweep: %s\n", msg);
    fprintf(stderr, "Try 'genrank sweep --help' for more information.\n");
    exit(2);
}

/* append_line, saying which case's row could not be written; 0 or 1
   (errno kept: the worker stops on a full disk). */
static int
append_row(int fd, const char *key, const char *line)
{
    if (append_line(fd, line) == 0)
        return 0;
    {
        int en = errno;
        fprintf(stderr, "genrank: sweep: case %s: its result row could not be written: %s\n",
                key, strerror(en));
        errno = en;
    }
    return 1;
}

/* Runs network case c and appends its row. */
static int
run_net_case(const snet_case_t *c, uint64_t base_seed, slong trials, const char *certdir,
             const char *opts_tag, int fd)
{
    genrank_err_t e;
    char key[700], *line;
    int rc;
    snet_key(key, sizeof key, c);
    if (snet_run(&line, c, case_seed(base_seed, key), trials, certdir, opts_tag, &e) != 0)
    {
        fprintf(stderr, "genrank: sweep: case %s: %s\n", key, e.msg);
        return 1;
    }
    rc = append_row(fd, key, line);
    free(line);
    return rc;
}

/* Runs case c: proves, optionally writes the certificate, appends the line. */
static int
run_case(const scase_t *sc, uint64_t base_seed, slong trials, const char *certdir,
         int kruskal, const char *opts_tag, int fd)
{
    fmpq *c;
    slong len;
    genrank_prove_opts_t o;
    genrank_cert_t cert;
    genrank_err_t e;
    char key[700], *path = NULL, *line, *cp = NULL, knote[512] = "";
    int rc;

    c = NULL;
    len = 0;
    if (sc->phi == GENRANK_PHI_POLY)
        genrank_coeffs_parse(&c, &len, sc->coeffs, NULL);
    case_key(key, sizeof key, sc->family, sc->m, sc->d, sc->n, sc->coeffs);
    genrank_prove_opts_init(&o);
    o.seed = case_seed(base_seed, key);
    o.trials = trials;
    genrank_cert_init(cert);
    {
        genrank_spec_t spec = {sc->family, sc->m, sc->d, sc->n, sc->phi, c, len};
        rc = genrank_prove_spec(cert, &spec, &o, &e);
    }
    if (rc == 0 && kruskal)
    {
        genrank_err_t ke;
        if (genrank_prove_kruskal(cert, &ke) != 0)
            snprintf(knote, sizeof knote, "%s", ke.msg);
    }
    if (rc == 0 && certdir != NULL)
    {
        /* the name carries the case's seed, so sweeps with other seeds
           into the same directory do not overwrite each other */
        size_t size = strlen(certdir) + strlen(sc->support) + 160;
        path = malloc(size);
        snprintf(path, size, "%s/%s-m%ld-d%ld-n%ld-S%s-%016llx.json", certdir,
                 genrank_family_name(sc->family), (long) sc->m, (long) sc->d, (long) sc->n,
                 sc->phi != GENRANK_PHI_POLY ? genrank_phi_tag(sc->phi)
                 : sc->support[0] ? sc->support : "none", (unsigned long long) o.seed);
        for (cp = path + strlen(certdir) + 1; *cp; cp++)
            if (*cp == ',')
                *cp = '_';
        cp = path;
        rc = genrank_cert_write(cert, path, &e);
    }
    if (rc != 0)
    {
        fprintf(stderr, "genrank: sweep: case %s: %s\n", key, e.msg);
        genrank_cert_clear(cert);
        genrank_coeffs_free(c, len);
        free(path);
        return 1;
    }
    line = result_line(sc, cert, o.seed, cp, kruskal ? knote : NULL, opts_tag);
    rc = append_row(fd, key, line);
    free(line);
    free(path);
    genrank_cert_clear(cert);
    genrank_coeffs_free(c, len);
    return rc ? 1 : 0;
}

double
cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void
progress(slong done, slong total, double t0)
{
    double el = cli_now() - t0;
    int w = 30, k, fill = total ? (int) (w * done / total) : w;
    fprintf(stderr, "\r[");
    for (k = 0; k < w; k++)
        fputc(k < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %ld/%ld cases, %.0f s", (long) done, (long) total, el);
    fflush(stderr);
}

static slong
count_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    slong n = 0;
    int ch;
    if (f == NULL)
        return 0;
    while ((ch = getc(f)) != EOF)
        n += (ch == '\n');
    fclose(f);
    return n;
}

enum { S_FAMILY = 300, S_M, S_D, S_N, S_SUPPORTS, S_COEFFS, S_TRIALS, S_SEED,
       S_JOBS, S_SHARD, S_CERTS, S_OUT, S_HELP, S_KRUSKAL, S_PHI, S_JSON, S_DEPTH,
       S_WIDTH, S_K, S_BIAS, S_ACT, S_OBJECT };

static struct option sweep_longopts[] = {
    {"family", required_argument, 0, S_FAMILY}, {"m", required_argument, 0, S_M},
    {"d", required_argument, 0, S_D}, {"n", required_argument, 0, S_N},
    {"supports", required_argument, 0, S_SUPPORTS}, {"coeffs", required_argument, 0, S_COEFFS},
    {"trials", required_argument, 0, S_TRIALS}, {"seed", required_argument, 0, S_SEED},
    {"jobs", required_argument, 0, S_JOBS}, {"shard", required_argument, 0, S_SHARD},
    {"certs", required_argument, 0, S_CERTS}, {"out", required_argument, 0, S_OUT},
    {"help", no_argument, 0, S_HELP}, {"kruskal", no_argument, 0, S_KRUSKAL},
    {"phi", required_argument, 0, S_PHI}, {"json", no_argument, 0, S_JSON},
    {"depth", required_argument, 0, S_DEPTH}, {"width", required_argument, 0, S_WIDTH},
    {"K", required_argument, 0, S_K}, {"bias", required_argument, 0, S_BIAS},
    {"activation", required_argument, 0, S_ACT}, {"object", required_argument, 0, S_OBJECT},
    {0, 0, 0, 0}};

typedef struct {
    genrank_family_t fam;
    slong m0, m1, d0, d1, K, trials, jobs, shard_i, shard_n;
    slong nlist[64], nn;
    const char *coeff_lists, *phi_list, *certdir, *out;
    uint64_t seed;
    int kruskal, json;
    char opts_tag[128];   /* the options a result file's rows must share */
    int net;              /* --family network: the grid is g */
    snet_grid_t g;
    int seen_net;         /* a network option was given */
} sweep_args_t;

/* --activation linear,relu and --object LIST|all for a network grid. */
static void
parse_net_list(int *flags, int nflags, const char *s, int objects)
{
    char *buf = strdup(s), *tok, *save = NULL;
    memset(flags, 0, nflags * sizeof(int));
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
    {
        int k = -1;
        if (objects && !strcmp(tok, "all"))
        {
            for (k = 0; k < nflags; k++)
                flags[k] = 1;
            continue;
        }
        if (objects)
            k = genrank_net_object_parse(tok);
        else if (!strcmp(tok, "linear") || !strcmp(tok, "relu"))
            k = !strcmp(tok, "relu");
        if (k < 0)
            sweep_die(objects ? "--object must list jacobian, hessian-outer, hessian-functional, "
                      "hessian-loss or all" : "--activation must list linear and/or relu");
        flags[k] = 1;
    }
    free(buf);
    for (int k = 0; k < nflags; k++)
        if (flags[k])
            return;
    sweep_die(objects ? "--object is empty" : "--activation is empty");
}

/* A network grid's options, completed with their defaults. */
static void
sweep_net_check(sweep_args_t *a)
{
    int k, any = 0;
    if (a->m0 != 0 || a->K >= 0 || a->coeff_lists != NULL || a->phi_list != NULL || a->kruskal)
        sweep_die("--m, --supports, --coeffs, --phi and --kruskal do not go with --family network");
    if (a->g.L0 == 0 || a->d0 == 0 || a->g.K0 == 0 || a->out == NULL)
        sweep_die("--family network needs --depth, --d, --K and --out");
    if (a->g.L1 >= 2 && a->g.w0 == 0)
        sweep_die("--width is required when --depth reaches 2 (hidden layers)");
    if (a->g.w0 == 0)
        a->g.w0 = a->g.w1 = 1;
    a->g.d0 = a->d0;
    a->g.d1 = a->d1;
    a->g.nlist = a->nlist;
    a->g.nn = a->nn;
    for (k = 0; k < 2; k++)
        any |= a->g.acts[k];
    if (!any)
        a->g.acts[0] = 1;
    for (any = 0, k = 0; k < GENRANK_NET_NOBJECTS; k++)
        any |= a->g.objs[k];
    if (!any)
        for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
            a->g.objs[k] = 1;
}

/* The options into a; -1 to go on, else the exit status (--help). */
static int
sweep_parse(sweep_args_t *a, int argc, char **argv)
{
    genrank_err_t e;
    int c;
    memset(a, 0, sizeof *a);
    a->fam = GENRANK_KHATRI_RAO;
    a->K = -1;
    a->trials = 3;
    a->shard_i = a->shard_n = 1;
    a->seed = 1;
    while ((c = getopt_long(argc, argv, "h", sweep_longopts, NULL)) != -1)
    {
        char *end;
        switch (c)
        {
        case S_FAMILY:
            if (!strcmp(optarg, "network"))
                a->net = 1;
            else if (genrank_family_parse(&a->fam, optarg, &e))
                sweep_die("--family must be hadamard, khatri-rao or network");
            else
                a->net = 0;
            break;
        case S_DEPTH:
            a->seen_net = 1;
            if (parse_range(&a->g.L0, &a->g.L1, optarg) || a->g.L1 > SWEEP_NET_LMAX)
                sweep_die("--depth must be A or A..B with 1 <= A <= B <= 8");
            break;
        case S_WIDTH:
            a->seen_net = 1;
            if (parse_range(&a->g.w0, &a->g.w1, optarg) || a->g.w1 > 1000)
                sweep_die("--width must be A or A..B with 1 <= A <= B <= 1000");
            break;
        case S_K:
            a->seen_net = 1;
            if (parse_range(&a->g.K0, &a->g.K1, optarg) || a->g.K1 > 1000)
                sweep_die("--K must be A or A..B with 1 <= A <= B <= 1000");
            break;
        case S_BIAS:
            a->seen_net = 1;
            a->g.bias = !strcmp(optarg, "no") ? 0 : !strcmp(optarg, "yes") ? 1
                        : !strcmp(optarg, "both") ? 2 : -1;
            if (a->g.bias < 0)
                sweep_die("--bias must be no, yes or both");
            break;
        case S_ACT:
            a->seen_net = 1;
            parse_net_list(a->g.acts, 2, optarg, 0);
            break;
        case S_OBJECT:
            a->seen_net = 1;
            parse_net_list(a->g.objs, GENRANK_NET_NOBJECTS, optarg, 1);
            break;
        case S_M:
            if (parse_range(&a->m0, &a->m1, optarg))
                sweep_die("--m must be A or A..B with 1 <= A <= B");
            break;
        case S_D:
            if (parse_range(&a->d0, &a->d1, optarg))
                sweep_die("--d must be A or A..B with 1 <= A <= B");
            break;
        case S_N:
            if (strcmp(optarg, "auto") == 0)
                a->nn = 0;
            else
            {
                char *buf = strdup(optarg), *tok, *save = NULL;
                for (a->nn = 0, tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
                    if (a->nn == 64 || genrank_size_parse(&a->nlist[a->nn++], tok, WORD(1) << 20, "--n", &e))
                        sweep_die("--n must be auto or a list of up to 64 integers in [1, 2^20]");
                free(buf);
            }
            break;
        case S_SUPPORTS:
            a->K = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || a->K < 0 || a->K > 12)
                sweep_die("--supports K needs 0 <= K <= 12");
            break;
        case S_COEFFS: a->coeff_lists = optarg; break;
        case S_PHI: a->phi_list = optarg; break;
        case S_TRIALS:
            a->trials = strtol(optarg, &end, 10);
            if (*end != '\0' || a->trials < 1 || a->trials > 1000)
                sweep_die("--trials must be in [1, 1000]");
            break;
        case S_SEED:
            errno = 0;
            a->seed = strtoull(optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end != '\0' || errno != 0)
                sweep_die("--seed must be an integer in [0, 2^64)");
            break;
        case S_JOBS:
            a->jobs = strtol(optarg, &end, 10);
            if (*end != '\0' || a->jobs < 1 || a->jobs > 256)
                sweep_die("--jobs must be in [1, 256]");
            break;
        case S_SHARD:
        {
            int used = 0;
            if (sscanf(optarg, "%ld/%ld%n", &a->shard_i, &a->shard_n, &used) != 2 || optarg[used] != '\0'
                || a->shard_n < 1 || a->shard_i < 1 || a->shard_i > a->shard_n)
                sweep_die("--shard must be I/N with 1 <= I <= N");
        }
            break;
        case S_CERTS: a->certdir = optarg; break;
        case S_KRUSKAL: a->kruskal = 1; break;
        case S_JSON: a->json = 1; break;
        case S_OUT: a->out = optarg; break;
        case S_HELP: case 'h':
            fputs(usage_sweep, stdout);
            return EX_OK;
        default:
            sweep_die(bad_option(argv));
        }
    }
    if (optind < argc)
        sweep_die("unexpected argument");
    if (a->net)
        sweep_net_check(a);
    else if (a->seen_net)
        sweep_die("--depth, --width, --K, --bias, --activation and --object go with "
                  "--family network");
    else if (a->m0 == 0 || a->d0 == 0 || a->out == NULL)
        sweep_die("--m, --d and --out are required");
    else if ((a->K >= 0) + (a->coeff_lists != NULL) + (a->phi_list != NULL) != 1)
        sweep_die("give exactly one of --supports, --coeffs and --phi");
    if (a->jobs == 0)
        a->jobs = FLINT_MAX(1, sysconf(_SC_NPROCESSORS_ONLN));
    snprintf(a->opts_tag, sizeof a->opts_tag, "seed=%llu trials=%ld kruskal=%d",
             (unsigned long long) a->seed, (long) a->trials, a->kruskal);
    return -1;
}

/* The grid for the named activations: n = rows + 1 by default
   (Theorems 4.4/4.5). */
static void
grid_phi(scases_t *all, const sweep_args_t *a)
{
    genrank_err_t e;
    char *buf = strdup(a->phi_list), *tok, *save = NULL;
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
    {
        scase_t sc;
        memset(&sc, 0, sizeof sc);
        if (genrank_phi_parse(&sc.phi, tok, &e))
            sweep_die(e.msg);
        if (a->kruskal && genrank_phi_class(sc.phi) == GENRANK_CLASS_BALL)
            sweep_die("--kruskal needs the exact route; it is not available for this --phi");
        sc.family = a->fam;
        snprintf(sc.coeffs, sizeof sc.coeffs, "phi=%s", genrank_phi_name(sc.phi));
        snprintf(sc.support, sizeof sc.support, "%s", genrank_phi_name(sc.phi));
        if (!case_listed(all, sc.coeffs))
            push_grid(all, &sc, a->m0, a->m1, a->d0, a->d1, a->nlist, a->nn, NULL, 0);
    }
    free(buf);
}

/* The grid for the coefficient lists (--supports K: every nonempty
   support of {0, ..., K}). */
static void
grid_coeffs(scases_t *all, const sweep_args_t *a)
{
    genrank_err_t e;
    char **lists = NULL;
    slong nl = 0, s;
    if (a->K >= 0)
    {
        lists = malloc(((WORD(1) << (a->K + 1)) - 1) * sizeof(char *));
        for (s = 1; s < (WORD(1) << (a->K + 1)); s++)
        {
            char *b = malloc(4 * (a->K + 1) + 1);
            size_t u = 0;
            slong k, top = 0;
            for (k = 0; k <= a->K; k++)
                if (s >> k & 1)
                    top = k;
            for (k = 0; k <= top; k++)
                u += sprintf(b + u, "%s%d", k ? "," : "", (int) (s >> k & 1));
            lists[nl++] = b;
        }
    }
    else
    {
        char *buf = strdup(a->coeff_lists), *tok, *save = NULL;
        lists = malloc((strlen(a->coeff_lists) + 1) * sizeof(char *));
        for (tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save))
            lists[nl++] = strdup(tok);
        free(buf);
    }
    for (s = 0; s < nl; s++)
    {
        fmpq *cf;
        slong len;
        scase_t sc;
        if (genrank_coeffs_parse(&cf, &len, lists[s], &e))
            sweep_die(e.msg);
        /* 0,1,0 and 0,1 are one polynomial, hence one case */
        while (len > 1 && fmpq_is_zero(cf + len - 1))
            len--;
        memset(&sc, 0, sizeof sc);
        sc.family = a->fam;
        coeff_texts(sc.coeffs, sizeof sc.coeffs, sc.support, sizeof sc.support, cf, len);
        if (strlen(sc.coeffs) >= sizeof sc.coeffs - 1 || strlen(sc.support) >= sizeof sc.support - 1)
            sweep_die("a coefficient list is too long for a sweep (at most 500 characters)");
        /* a list given twice (perhaps as 0,1 and 0,1,0) runs once */
        if (!case_listed(all, sc.coeffs))
            push_grid(all, &sc, a->m0, a->m1, a->d0, a->d1, a->nlist, a->nn, cf, len);
        genrank_coeffs_free(cf, len);
        free(lists[s]);
    }
    free(lists);
}

/* The cases of this shard that OUT does not hold yet, into mine;
   -1 to go on, else the exit status. */
static int
sweep_pending(scases_t *mine, slong *skipped, const scases_t *all, const sweep_args_t *a)
{
    rows_t done = {0};
    char **keys;
    slong i, bad_line, partial;

    /* finished cases (cutting off a line a killed run left half written) */
    if (read_results(a->out, &done, 1, &bad_line, &partial) != 0)
    {
        if (bad_line)
            fprintf(stderr, "genrank: sweep: %s line %ld is not a sweep result; "
                    "give another --out\n", a->out, (long) bad_line);
        else
            fprintf(stderr, "genrank: sweep: cannot read '%s': %s\n", a->out, strerror(errno));
        return EX_FAIL;
    }
    keys = malloc((done.len + 1) * sizeof(char *));
    for (i = 0; i < done.len; i++)
    {
        const char *t = json_string_value(json_object_get(done.v[i], "options"));
        if (t == NULL || strcmp(t, a->opts_tag) != 0)
        {
            fprintf(stderr, "genrank: sweep: %s holds results made with other options (%s, "
                    "not %s); resume with the same --seed, --trials and --kruskal, or give "
                    "another --out\n", a->out, t ? t : "unknown", a->opts_tag);
            free(keys);
            rows_clear(&done);
            return EX_USAGE;
        }
        if ((strcmp(row_str(done.v[i], "family"), "network") == 0) != a->net)
        {
            fprintf(stderr, "genrank: sweep: %s holds %s rows; a network sweep and a family "
                    "sweep need separate --out files\n", a->out, a->net ? "family" : "network");
            free(keys);
            rows_clear(&done);
            return EX_USAGE;
        }
        keys[i] = (char *) json_string_value(json_object_get(done.v[i], "key"));
    }
    qsort(keys, done.len, sizeof(char *), key_cmp);
    for (i = 0; i < all->len; i++)
    {
        char key[700], *kp = key;
        if (i % a->shard_n != a->shard_i - 1)
            continue;
        cases_key(key, sizeof key, all, i);
        if (done.len && bsearch(&kp, keys, done.len, sizeof(char *), key_cmp))
        {
            (*skipped)++;
            continue;
        }
        cases_push_from(mine, all, i);
    }
    free(keys);
    rows_clear(&done);

    return -1;
}

/* Worker j of a->jobs: runs cases j, j + jobs, ... and exits (1 when
   some case failed). */
static void
sweep_worker(slong j, const scases_t *mine, int fd, const sweep_args_t *a)
{
    slong i;
    int bad = 0;
#ifdef __linux__
    /* a worker dies with the sweep, so that a killed sweep leaves no
       orphan appending to the file */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1)
        _exit(1);
#endif
    genrank_set_threads(1);
    for (i = j; i < mine->len; i += a->jobs)
        if (mine->nv != NULL ? run_net_case(mine->nv + i, a->seed, a->trials, a->certdir, a->opts_tag, fd)
            : run_case(&mine->v[i], a->seed, a->trials, a->certdir, a->kruskal, a->opts_tag, fd))
        {
            bad = 1;
            if (errno == ENOSPC || errno == EIO)
                break;      /* a short write: append nothing more */
        }
    _exit(bad);
}

/* Runs the cases in a->jobs worker processes appending to fd, with
   progress on a terminal; 1 when some case failed. */
static int
sweep_run(const scases_t *mine, int fd, const sweep_args_t *a)
{
    int tty = isatty(STDERR_FILENO), failed = 0;
    slong base = count_lines(a->out), running = 0, j;
    double t0 = cli_now();

    fflush(NULL);
    for (j = 0; j < a->jobs && j < FLINT_MAX(mine->len, 1); j++)
    {
        pid_t p = fork();
        if (p == 0)
            sweep_worker(j, mine, fd, a);
        if (p < 0)
        {
            fprintf(stderr, "genrank: sweep: fork failed: %s\n", strerror(errno));
            failed = 1;
            break;
        }
        running++;
    }
    while (running > 0)
    {
        int st;
        pid_t p = waitpid(-1, &st, tty ? WNOHANG : 0);
        if (p > 0)
        {
            running--;
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
                failed = 1;
        }
        else if (p == 0)
        {
            struct timespec nap = {0, 200000000};
            progress(count_lines(a->out) - base, mine->len, t0);
            nanosleep(&nap, NULL);
        }
        else
            break;
    }
    if (tty)
    {
        progress(count_lines(a->out) - base, mine->len, t0);
        fputc('\n', stderr);
    }
    return failed;
}

/* The grid is built in memory before any case runs: refuse one larger
   than SWEEP_MAX_CASES (a sweep of that size is a cluster job of shards,
   doc/sweep.md).  -1 to go on, else the exit status. */
#define SWEEP_MAX_CASES 10000000

static int
grid_size_check(const sweep_args_t *a)
{
    double lists = 1, cases;
    const char *t;
    if (a->net)
    {
        cases = snet_grid_count(&a->g);
        if (cases <= SWEEP_MAX_CASES)
            return -1;
        fprintf(stderr, "genrank: sweep: the grid has about %.3g cases, more than the %d one "
                "sweep holds; narrow --depth or --width\n", cases, SWEEP_MAX_CASES);
        return EX_USAGE;
    }
    if (a->K >= 0)
        lists = ldexp(1.0, (int) a->K + 1) - 1;
    else
        for (t = a->phi_list ? a->phi_list : a->coeff_lists; *t; t++)
            lists += (*t == (a->phi_list ? ',' : ';'));
    cases = (double) (a->m1 - a->m0 + 1) * (double) (a->d1 - a->d0 + 1) * (double) (a->nn ? a->nn : 1)
            * lists;
    if (cases <= SWEEP_MAX_CASES)
        return -1;
    fprintf(stderr, "genrank: sweep: the grid has about %.3g cases, more than the %d one sweep "
            "holds; split the --m or --d range into several sweeps\n", cases, SWEEP_MAX_CASES);
    return EX_USAGE;
}

/* Every case OUT holds, counted (doc/json.md): a line on stderr, or with
   --json an object on stdout. */
static void
sweep_summary(const sweep_args_t *a, slong run, slong skipped, int failed)
{
    rows_t rows = {0};
    slong bad, partial, n;
    char text[512];
    if (read_results(a->out, &rows, 0, &bad, &partial) != 0)
    {
        rows_clear(&rows);
        return;
    }
    n = rows_unique(&rows);
    if (a->json)
    {
        json_t *o = cli_json_object("sweep");
        json_object_set_new(o, "results", json_string(a->out));
        json_object_set_new(o, "run", json_integer(run));
        json_object_set_new(o, "skipped", json_integer(skipped));
        json_object_set_new(o, "failed", json_boolean(failed));
        rows_summary_json(o, rows.v, n);
        print_json(o);
    }
    else
    {
        rows_summary_text(text, sizeof text, rows.v, n);
        fprintf(stderr, "genrank: sweep: %s: %s\n", a->out, text);
    }
    rows_clear(&rows);
}

int
genrank_cmd_sweep(int argc, char **argv)
{
    sweep_args_t a;
    scases_t all = {0}, mine = {0};
    slong skipped = 0;
    int fd, failed, rc;

    if ((rc = sweep_parse(&a, argc, argv)) >= 0 || (rc = grid_size_check(&a)) >= 0)
        return rc;
    if (a.certdir != NULL && mkdir(a.certdir, 0777) != 0 && errno != EEXIST)
    {
        fprintf(stderr, "genrank: sweep: cannot create '%s': %s\n", a.certdir, strerror(errno));
        return EX_FAIL;
    }
    if (a.certdir != NULL)
    {
        /* a --certs DIR no certificate can be written into is refused once,
           not once per case */
        char probe[4200];
        genrank_err_t e;
        snprintf(probe, sizeof probe, "%s/probe.json", a.certdir);
        if (genrank_output_check(probe, &e) != 0)
        {
            fprintf(stderr, "genrank: sweep: --certs: %s\n", e.msg);
            return EX_FAIL;
        }
    }
    if (a.net)
    {
        all.len = all.alloc = snet_grid(&all.nv, &a.g);
        if (all.len < 0)
        {
            fprintf(stderr, "genrank: sweep: out of memory for the grid\n");
            return EX_FAIL;
        }
    }
    else if (a.phi_list != NULL)
        grid_phi(&all, &a);
    else
        grid_coeffs(&all, &a);
    /* one sweep at a time on OUT: the lock is taken before the file is
       read or its partial last line cut off, and held by the workers */
    fd = open(a.out, O_WRONLY | O_APPEND | O_CREAT, 0666);
    if (fd < 0)
    {
        fprintf(stderr, "genrank: sweep: cannot write '%s': %s\n", a.out, strerror(errno));
        cases_free(&all);
        return EX_FAIL;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0)
    {
        fprintf(stderr, "genrank: sweep: another sweep is writing '%s' (it holds the file's lock); "
                "wait for it to finish or give another --out\n", a.out);
        close(fd);
        cases_free(&all);
        return EX_USAGE;
    }
    if ((rc = sweep_pending(&mine, &skipped, &all, &a)) >= 0)
    {
        close(fd);
        cases_free(&all);
        cases_free(&mine);
        return rc;
    }
    failed = sweep_run(&mine, fd, &a);
    close(fd);
    fprintf(stderr, "genrank: sweep: %ld cases run, %ld already in %s%s\n", (long) mine.len,
            (long) skipped, a.out, failed ? "; some cases failed (see above)" : "");
    sweep_summary(&a, (slong) mine.len, skipped, failed);
    cases_free(&all);
    cases_free(&mine);
    return failed ? EX_FAIL : EX_OK;
}
