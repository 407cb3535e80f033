/* Internal declarations of libgenrank, by room (doc/architecture.md).
   The checker (check/) does not include this file: its own internal
   header is check/check.h. */
#ifndef GENRANK_INTERNAL_H
#define GENRANK_INTERNAL_H
#include <stdio.h>
#include "genrank.h"
#include "core/core.h"

/* ---- core/ (core/core.h) ------------------------------------------ */

/* ---- families/ ---------------------------------------------------- */

/* A named phi's value modulo p at x (the argument u/q reduced) and T
   (t0^u, or s0^u for the trig class), i0 a square root of -1 modulo p
   (trig class).  Returns 1 and sets *y, or 0 when a denominator of the
   definition vanishes modulo p or phi has no exact route
   (families/phi_mod.c). */
int _genrank_phi_nmod(ulong *y, genrank_phi_t phi, ulong x, ulong T, ulong i0,
                      nmod_t mod);

/* genrank_prove_memory from the sizes alone, before anything is
   allocated (families/build.c); SIZE_MAX when the sizes overflow. */
size_t _genrank_prove_memory(genrank_family_t family, slong m, slong d, slong n);
/* the same with the compact kernel's 16-bit matrix and its buffers */
size_t _genrank_prove_memory_compact(genrank_family_t family, slong m, slong d, slong n);
/* the compact kernel's memory beyond its m x n matrix (kernels/compact.c) */
size_t _genrank_compact_kernel_bytes(slong m, slong n);
/* The compact kernel's blocking: columns factored in doubles at a time,
   trailing columns and rows converted at a time.  At n = 8000 on 2
   cores, panels of 2048 / 4096 columns took 1.10 / 1.17 times the double
   kernel's time (doc/performance-large.md). */
#define GENRANK_COMPACT_PANEL 2048
#define GENRANK_COMPACT_CHUNK 4096
#define GENRANK_COMPACT_ROWS 2048

/* The compact kernel's checkpoint: where (path; written to path.tmp and
   renamed), how often (every: seconds of elimination), and which matrix
   (id: a SHA-256 of what it is built from; a checkpoint resumes only the
   same matrix).  stop_after > 0 stops the elimination after that many
   saves (the kernel returns -3; for tests).  Out: the column resumed from
   (-1: none), saves written, the last failed save's errno (0: none). */
typedef struct {
    const char *path;
    double every;
    uint8_t id[32];
    slong stop_after;
    slong resumed_at, saves;
    int error;
} _genrank_ckpt_t;

/* genrank_hmat_rank_witness_solve with its blocking given: bl[0] columns
   per panel, bl[1] trailing columns and bl[2] rows converted at a time;
   ck (NULL: none) its checkpoint.  Also -3 (stopped by ck->stop_after)
   and -4 (a checkpoint of this matrix could not be read after A was
   begun). */
slong _genrank_hmat_rank_witness(slong *rows, slong *cols, ulong *det, uint16_t *A, slong m,
                                 slong n, slong lda, ulong p, genrank_solve_t *sv,
                                 const slong *bl, _genrank_ckpt_t *ck);

/* ---- kernels/ ----------------------------------------------------- */

/* Sorts v[0..r) increasingly and returns the sign (+1 or -1) of the
   permutation that sorted it (kernels/flint.c). */
int _genrank_sort_with_sign(slong *v, slong r);
/* pos[t] = the index of v[t] in sorted (r entries, strictly increasing,
   holding every v[t]). */
void _genrank_sorted_positions(slong *pos, const slong *v, const slong *sorted, slong r);

/* ---- prove/ ------------------------------------------------------- */

/* The size of random primes: 20 bits (GENRANK_BLAS_PRIME_BITS) when the
   BLAS kernel will run on an nr x nc matrix with this method (doc/theory.md,
   "The size of the prime"), else 62. */
int _genrank_prime_bits(int method, slong nr, slong nc);

/* Bytes for the ball route on the family's matrix at up to prec bits
   (the ball matrix and the witness minor, a ball taking about prec / 4 +
   48 bytes, and the point), and for the exact route (two dense copies);
   from the sizes alone, saturating. */
size_t _genrank_ball_memory(genrank_family_t family, slong m, slong d, slong n, slong prec);
size_t _genrank_exact_memory(genrank_family_t family, slong m, slong d, slong n);

/* Sets cert's evidence (degree_bound, per_trial_bound, probability_bound,
   prime_fixed) for a polynomial phi after its trials (evidence.c). */
void _genrank_evidence(genrank_cert_t cert, const genrank_prove_opts_t *opts);

/* Exact route: a prime usable for phi's class with denominator q (odd,
   prime to q, 1 mod 4 for the trig class): 1 or 0. */
int _genrank_exact_prime_ok(ulong p, const fmpz_t q, int cls);

/* Draws of t0 per prime before giving the prime up. */
#define T0_ATTEMPTS 32

/* One exact-route witness at inst's point modulo p: t0 drawn (and i0 set)
   until no denominator vanishes.  The rank, -1 when the method cannot be
   used, -2 when every t0 drawn made a denominator vanish. */
slong _genrank_exact_trial(slong *rows, slong *cols, ulong *det, genrank_instance_t inst,
                           ulong p, genrank_rng_t *rng, int method, genrank_solve_t *sv);

/* ---- cert/ -------------------------------------------------------- */

/* JSON output: an integer as a number below 2^53 in absolute value, else
   a decimal string; an array of indices. */
void _genrank_put_fmpz(FILE *f, const fmpz_t x);
void _genrank_put_u64(FILE *f, uint64_t x);
void _genrank_put_slong_array(FILE *f, const slong *v, slong len);
/* A rational as a JSON string "p/q" (or "p"). */
void _genrank_put_fmpq(FILE *f, const fmpq_t x);

/* The fast section's challenge (k x r) for the rank certificate of inst
   with this exact witness (cert/rank.c): the statement written as the
   certificate writes it, read back, its digest, then core's vectors.
   0, or -1 when out of memory. */
typedef struct {
    int by_seed;        /* 1: the point is recorded by seed, not A and B */
    uint64_t seed, range;
} _genrank_point_record_t;
int _genrank_cert_rank_challenge(ulong *C, slong k, const genrank_instance_struct *inst,
                                  const _genrank_point_record_t *rec, const slong *rows,
                                  const slong *cols, slong r, ulong det, ulong p);

/* ---- prove/matexp.c ----------------------------------------------- */

/* K(M), d^2 x d^2 (initialised by the caller), with vec L(M, E) = K(M)
   vec E on row-major vec, from one exp of a 2d^2 x 2d^2 block matrix. */
void _genrank_matexp_kron_frechet(acb_mat_t K, const acb_mat_t M, slong prec);

/* A network object's matrix in double arithmetic at the point rounded to
   doubles (prove/network_float.c), column-major, nrows x P. */
int _genrank_net_matrix_float(double *A, const genrank_net_t net, int obj);

/* A network's object (named s) at the real point in ball arithmetic at
   precision prec into A (R x P; prove/network_ball.c). */
void _genrank_net_matrix_arb(arb_mat_t A, const genrank_net_t net, int obj, slong prec);
/* Gaussian elimination with complete pivoting in ball arithmetic on M
   (destroyed), each pivot the entry of largest midpoint among those whose
   ball excludes 0 (kernels/ball.c); rows, cols receive the pivots'
   (unsorted).  Returns the number of pivots. */
slong _genrank_arb_eliminate(slong *rows, slong *cols, arb_mat_t M, slong prec);

#endif
