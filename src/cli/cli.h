/* The genrank program's shared declarations: one file per command
   (formula.c, prove.c, verify.c, capacity.c, sweep.c, merge.c,
   report.c), the helpers they share (options.c), and main.c's table. */
#ifndef GENRANK_CLI_H
#define GENRANK_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "genrank.h"

/* exit statuses (doc/genrank.1) */
enum { EX_OK = 0, EX_FAIL = 1, EX_USAGE = 2, EX_BELOW = 3 };

#define MAX_SIZE (WORD(1) << 40)

/* The commands: argv[0] is the command's name. */
int cmd_formula(int argc, char **argv);
int cmd_prove(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_capacity(int argc, char **argv);
int genrank_cmd_sweep(int argc, char **argv);
int genrank_cmd_merge(int argc, char **argv);
int genrank_cmd_report(int argc, char **argv);
int cmd_rank(int argc, char **argv);
int cmd_matexp(int argc, char **argv);
int cmd_network(int argc, char **argv);

/* ---- options.c ---------------------------------------------------- */

/* "genrank: CMD: msg" and a pointer to --help on stderr, exit 2. */
void die_usage(const char *cmd, const char *msg);
/* The message for the option getopt_long just rejected. */
const char *bad_option(char **argv);

/* A JSON integer from an fmpz: a number below 2^53, else a decimal string. */
json_t *genrank_json_fmpz(const fmpz_t x);
/* The version of the --json output (doc/json.md); every object a command
   prints, and every sweep row, carries it as "schema". */
#define GENRANK_JSON_SCHEMA 1
/* A new --json object {"schema": GENRANK_JSON_SCHEMA, "command": command}. */
json_t *cli_json_object(const char *command);
/* "exact" when rank meets a proved upper bound of f (the prediction, the
   exact value a theorem gives, or doc/theory.md section 4's bound; *by
   receives its name), else "lower bound" (*by NULL). */
const char *cli_rank_status(const genrank_formula_struct *f, slong rank, const char **by);
/* Prints obj indented on stdout and releases it. */
void print_json(json_t *obj);
/* A decimal in [0, 2^64): 0, or -1 when s is not one. */
int parse_u64(uint64_t *out, const char *s);
/* A size in bytes, with an optional K, M, G or T (powers of 1024):
   0, or -1 when s is not one. */
int parse_bytes(double *out, const char *s);

/* On a terminal, "genrank: WHAT (N s)" on stderr once a long step has
   run two seconds, rewritten every second and erased by ticker_stop;
   with the share done while the compact kernel runs (genrank_progress).
   Elsewhere (a log), a line every ten minutes. */
void ticker_start(const char *what);
void ticker_stop(void);

/* The instance options of formula and prove. */
typedef struct {
    genrank_family_t family;
    slong m, d, n;
    fmpq *coeffs;
    slong len;
    genrank_phi_t phi;   /* GENRANK_PHI_POLY unless --phi */
} spec_t;

enum { O_FAMILY = 256, O_M, O_D, O_N, O_COEFFS, O_JSON, O_SEED, O_PRIME,
       O_PRIME_BITS, O_RANGE, O_TRIALS, O_OUT, O_QUIET, O_THREADS, O_HELP, O_METHOD,
       O_KRUSKAL, O_PHI, O_ROUTE, O_DENOM, O_MAXPREC, O_COMPARE, O_POINT, O_NO_FAST,
       O_RECORD_SEED, O_CHECKPOINT, O_CHECKPOINT_EVERY };

extern struct option spec_longopts[];
/* Takes option c when it is one of spec_t's (1), else 0; dies on a bad value. */
int spec_option(spec_t *sp, int c, const char *arg, const char *cmd);
/* --coeffs and --phi exclude each other. */
void spec_check_phi(const spec_t *sp, const char *cmd);
/* phi as text, e.g. "1 + x + 1/2*x^2", for coefficients or a spec. */
void phi_string(char *buf, size_t size, const fmpq *c, slong len);
void spec_phi_string(char *buf, size_t size, const spec_t *sp);

/* --threads N, else OPENBLAS_NUM_THREADS for FLINT too, else every core. */
void set_threads(slong threads);
/* A seed from /dev/urandom (else the clock and the pid). */
uint64_t fresh_seed(void);

/* The command whose options prove_u64 and prove_choice are reading. */
extern const char *opt_cmd;
/* An option's integer in [lo, hi], else the usage error msg. */
uint64_t prove_u64(const char *arg, uint64_t lo, uint64_t hi, const char *msg);
/* The index (0, 1 or 2) of arg among three names, else the usage error msg. */
int prove_choice(const char *arg, const char *n0, const char *n1, const char *n2,
                 const char *msg);

/* ---- sweep_network.c: sweep --family network ----------------------- */

#define SWEEP_NET_LMAX 8    /* the deepest network a sweep takes */

/* One case: an architecture, an object and n random inputs. */
typedef struct {
    slong L, M[SWEEP_NET_LMAX + 1], n;
    int bias, act, obj;
} snet_case_t;

/* The grid: depths L0..L1, every tuple of hidden widths in w0..w1, d in
   d0..d1, K in K0..K1, bias 0 (without), 1 (with) or 2 (both), the
   activations acts[0] (linear) and acts[1] (relu), the objects objs[],
   n from nlist (nn values) or 2d + 1 (nn = 0). */
typedef struct {
    slong L0, L1, w0, w1, d0, d1, K0, K1;
    int bias, acts[2], objs[GENRANK_NET_NOBJECTS];
    const slong *nlist;
    slong nn;
} snet_grid_t;

/* "network|d,M_1,...,K|bias=B|ACTIVATION|n|OBJECT" */
void snet_key(char *buf, size_t size, const snet_case_t *c);
double snet_grid_count(const snet_grid_t *g);
/* The grid's cases into *out (malloc'd); their count, or -1 (no memory). */
slong snet_grid(snet_case_t **out, const snet_grid_t *g);
/* Runs a case (doc/sweep.md) and makes its result row *line (free it);
   0 or an error. */
int snet_run(char **line, const snet_case_t *c, uint64_t seed, slong trials, const char *certdir,
             const char *opts_tag, genrank_err_t *e);

/* report.c's output for network rows (report_network.c): the Markdown
   to md ("-": stdout; NULL: none), the CSV, DIR/network.svg into svg,
   the Markdown linking the pictures as link.  0 or an exit status. */
int report_network(json_t *const *v, slong n, const char *md, const char *csv, const char *svg,
                   const char *title, const char *link);

/* Monotonic wall-clock seconds (sweep.c). */
double cli_now(void);

/* ---- results.c: sweep's result files ------------------------------ */

typedef struct {
    json_t **v;
    slong len, alloc;
} rows_t;

/* Reads the complete lines of a result file.  A last line without its
   newline (a run killed while writing) is dropped (*partial_line receives
   its number, else 0), and with truncate_partial set it is cut off the
   file.  Returns 0, or -1 when the file cannot be read (a missing file is
   empty).  Lines that are not result objects (key, certified, status) are
   an error (*bad_line receives the line number). */
int read_results(const char *path, rows_t *rows, int truncate_partial, slong *bad_line,
                 slong *partial_line);
/* An input of merge or report: it must be a regular file of sweep
   results; errors are printed ("genrank: CMD: ..."), an incomplete last
   line is reported.  0 or EX_USAGE. */
int read_results_input(const char *cmd, const char *path, rows_t *rows);
/* Keeps the first row of each key, in key order; returns the count. */
slong rows_unique(rows_t *rows);
/* The rows' common "options" (the sweep's seed, trials, kruskal), or NULL
   when two rows differ. */
const char *rows_options(const rows_t *rows);
void rows_clear(rows_t *rows);
/* A row written before schema 1 (no "schema"), brought to schema 1 in
   place: its "status" (holds, below, below-explained) becomes
   "prediction", and "status", "exact_by" and "rank" are derived. */
void row_upgrade(json_t *row);
/* The rows' counts for a summary (doc/json.md): "cases", "statuses"
   {"exact", "lower bound"}, "predictions" {"holds", "below-explained",
   "below"} and "evidence" (rows below the prediction with a probability
   bound); added to o. */
void rows_summary_json(json_t *o, json_t *const *v, slong len);
/* A row's string field ("" when absent) and integer field (0). */
const char *row_str(json_t *o, const char *k);
slong row_int(json_t *o, const char *k);
/* s as one CSV field (quoted when it holds a comma, quote or newline),
   then ',' or, when last, '\n'. */
void csv_field(FILE *f, const char *s, int last);
/* The same counts as one line of text, e.g. "40 cases: 38 exact, 2 lower
   bound (2 with evidence); 35 reach the prediction, ...". */
void rows_summary_text(char *buf, size_t size, json_t *const *v, slong len);

#endif
