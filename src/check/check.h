/* The checker's internal interface (check/).  Everything here is
   written from doc/certificate-format.md and shares no code with the
   prover: the checker is built into libgenrank-check from check/ and
   core/ alone, and tests/t-link-guard.sh fails when one of its objects
   refers to a symbol of families/, kernels/, prove/, cert/ or cli/. */
#ifndef GENRANK_CHECK_INTERNAL_H
#define GENRANK_CHECK_INTERNAL_H
#include <jansson.h>
#include <arb.h>
#include "genrank.h"
#include "../core/core.h"

/* Sizes a certificate may state (each also bounded by what it holds). */
#define CHECK_SIZE_MAX (WORD(1) << 40)

/* ------------------------------------------------------------------ */
/* JSON fields (json.c)                                                */

/* A JSON integer: a number, or a decimal string of any size.  0 or
   GENRANK_EFORMAT (no message: the caller names the field). */
int _genrank_json_int(fmpz_t x, const json_t *v);
/* A JSON integer in [lo, hi]; a nonnegative word-size one.  0 or
   GENRANK_EFORMAT (no message). */
int _genrank_json_slong(slong *out, const json_t *v, slong lo, slong hi);
int _genrank_json_ulong(ulong *out, const json_t *v);
/* a must be an array of `rows` arrays of `cols` entries each. */
int _genrank_json_shape(const json_t *a, slong rows, slong cols, const char *name,
                        genrank_err_t *err);
/* The integers (rationals, as strings) of an array whose shape was
   checked, into v (row-major).  0 or GENRANK_EFORMAT. */
int _genrank_json_int_matrix(fmpz *v, const json_t *a, slong rows, slong cols,
                             const char *name, genrank_err_t *err);
int _genrank_json_rational_matrix(fmpq *v, const json_t *a, slong rows, slong cols,
                                  const char *name, genrank_err_t *err);
/* A flat array of exactly `len` rational strings. */
int _genrank_json_rational_list(fmpq *v, const json_t *a, slong len, const char *name,
                                genrank_err_t *err);
/* `count` strictly increasing indices in [0, bound). */
int _genrank_json_indices(slong *v, const json_t *a, slong count, slong bound,
                          const char *name, genrank_err_t *err);
/* The witness route: 1 for "ball", 0 for "exact"; -1 otherwise. */
int _genrank_json_route(const json_t *w);

/* ------------------------------------------------------------------ */
/* The witness minor (minor.c): one routine rebuilds it for every       */
/* certificate kind, from a callback that gives its rows.              */

/* Row s of an r x r minor modulo p: out[0..r) residues.  Returns 1, or 0
   when an entry is undefined (a denominator vanishes), err set. */
typedef int (*_genrank_minor_row_mod_t)(ulong *out, slong s, void *ctx,
                                        genrank_err_t *err);
/* Row s of the minor in ball arithmetic at precision prec. */
typedef void (*_genrank_minor_row_arb_t)(arb_ptr out, slong s, slong prec, void *ctx);

/* Bytes the checker needs for an r x r minor: modulo the word-size
   prime p (2 bytes an entry when p < 2^16 on the double-precision path,
   else 8), or in balls of prec bits. */
double _genrank_minor_bytes_mod(slong r, ulong p);
double _genrank_minor_bytes_arb(slong r, slong prec);

/* 1 when an r x r minor modulo p takes the double-precision path
   (order >= 64, 3 <= p < 2^24, built with a CBLAS). */
int _genrank_minor_use_blas(slong r, ulong p);

/* *det = the minor's determinant modulo p (r >= 0; 1 when r = 0): from
   order 64 on with p in [3, 2^24) by the checker's own blocked LU over
   dgemm (vblas.c; the minor stored in 16 bits when p < 2^16), else
   FLINT's LU.  0, or the error the row
   callback reported. */
int _genrank_minor_det_mod(ulong *det, slong r, nmod_t mod, _genrank_minor_row_mod_t row,
                           void *ctx, genrank_err_t *err);
/* Row s of the minor as doubles: integers of absolute value below 2^48
   congruent to the row modulo p.  Called from several threads at once,
   so it may write only out. */
typedef void (*_genrank_minor_row_d_t)(double *out, slong s, void *ctx);

/* As _genrank_minor_det_mod, with row_d (when not NULL) writing the rows
   on the double-precision path (order >= 64, 3 <= p < 2^24; the minor
   held in doubles, or for p < 2^16 reduced into 16 bits), split between
   FLINT's threads; row serves the other paths. */
int _genrank_minor_det_mod_d(ulong *det, slong r, nmod_t mod, _genrank_minor_row_mod_t row,
                             _genrank_minor_row_d_t row_d, void *ctx, genrank_err_t *err);
/* The same in ball arithmetic (arb_mat_det at prec). */
void _genrank_minor_det_arb(arb_t det, slong r, slong prec, _genrank_minor_row_arb_t row,
                            void *ctx);

/* The fast check: with S the r x r minor (rows from the callback) and
   X, C k x r (row j is vector j), 0 when X_j^T S = C_j^T modulo p for
   every j; GENRANK_EINVALID naming the first column that differs, or the
   row callback's error.  Row by row: O(k r^2) operations beyond the
   rows, O(k r) memory.  (A kind whose minor has structure may do better:
   rank.c's families take one product of the distinct rows.) */
int _genrank_minor_fast_mod(slong r, nmod_t mod, _genrank_minor_row_mod_t row, void *ctx,
                            const ulong *X, const ulong *C, slong k, genrank_err_t *err);

/* 0 when Y = C (k x r), else GENRANK_EINVALID naming the first vector
   and column where they differ. */
int _genrank_fast_compare(const ulong *Y, const ulong *C, slong k, slong r, genrank_err_t *err);

/* The witness's recorded determinant against the checker's: modulo p,
   det must be nonzero and equal "det_mod_p" (already read into want);
   in balls, det must exclude 0 and overlap the recorded "det". */
int _genrank_minor_check_mod(ulong det, ulong want, genrank_err_t *err);
int _genrank_ball_witness_check(const arb_t det, const json_t *w, slong prec,
                                genrank_err_t *err);
/* The same with the recorded value widened by a relative 2^-tol_bits (40
   above): where the checker rebuilds the minor by another method than
   the prover, its ball and the prover's midpoint agree only to the
   prover's accuracy. */
int _genrank_ball_witness_check_tol(const arb_t det, const json_t *w, slong prec,
                                    slong tol_bits, genrank_err_t *err);
/* 1 when the recorded decimal value, widened by a relative 2^-tol_bits,
   overlaps the ball det; 0 when not; -1 when it is not a number; -2 when
   it is not tight (under 60 bits of relative accuracy: a wide ball). */
int _genrank_ball_det_matches(const arb_t det, const char *rec, slong prec, slong tol_bits);

/* ------------------------------------------------------------------ */
/* Named phi modulo p (named.c)                                        */

/* The checker's values of a named phi modulo p from x = u/q and
   E = t0^u (exact route), written from the definitions: 1, or 0 when a
   denominator vanishes.  E^-1 exists since t0 != 0. */
int _genrank_verify_named_mod(ulong *y, genrank_phi_t phi, ulong x, ulong E, ulong i0,
                              nmod_t mod);

/* The exact route's residues of a witness object: t0 in [1, p) and, for
   the trig class, i0 with i0^2 = -1 modulo p.  0 or GENRANK_EINVALID. */
int _genrank_check_exact_residues(ulong *t0, ulong *i0, const json_t *w, ulong p, int cls,
                                  genrank_err_t *err);

/* ------------------------------------------------------------------ */
/* Certificate kinds: one checker per "format" (check.c's table)       */

int _genrank_check_rank(const json_t *root, const genrank_verify_opts_t *opts,
                        genrank_verify_info_t *info, genrank_err_t *err);
int _genrank_check_capacity(const json_t *root, const genrank_verify_opts_t *opts,
                            genrank_verify_info_t *info, genrank_err_t *err);
int _genrank_check_matexp(const json_t *root, const genrank_verify_opts_t *opts,
                          genrank_verify_info_t *info, genrank_err_t *err);
/* A network parameter: layer l (1..L), bias or weight, entry (a, c);
   and the ball route's witness minor of a network with a named
   activation (check/network_ball.c): its determinant at prec, the minor
   rebuilt by forward over reverse mode (rows only for the Jacobian; pc,
   pr the columns' and the Hessians' rows' parameters). */
typedef struct {
    slong l, a, c;
    int bias;
} _genrank_net_par_t;
/* The checker's own reading of a named activation (its table, not the
   prover's): 1 and *phi, or 0. */
int _genrank_net_named_read(genrank_phi_t *phi, const char *name);
void _genrank_net_minor_det_arb(arb_t det, const genrank_net_struct *net, int obj,
                                const slong *rows, const _genrank_net_par_t *pc,
                                const _genrank_net_par_t *pr, slong r, slong prec);
int _genrank_check_network(const json_t *root, const genrank_verify_opts_t *opts,
                           genrank_verify_info_t *info, genrank_err_t *err);
int _genrank_check_matrix(const json_t *root, const genrank_verify_opts_t *opts,
                          genrank_verify_info_t *info, genrank_err_t *err);

/* The memory the checker may use under opts: the limit given, at most
   what is available. */
double _genrank_check_memory(const genrank_verify_opts_t *opts);
/* The ball route's precision against opts->max_prec: 0, or GENRANK_ENOMEM
   naming the limit. */
int _genrank_check_precision(slong prec, const genrank_verify_opts_t *opts, genrank_err_t *err);

#endif
