/* Internal helpers shared by the prover's witness routines. */
#ifndef GENRANK_INTERNAL_H
#define GENRANK_INTERNAL_H
#include <stdio.h>
#include "genrank.h"

/* Sorts v[0..r) increasingly and returns the sign (+1 or -1) of the
   permutation that sorted it. */
int _genrank_sort_with_sign(slong *v, slong r);

/* u = a_i . b_j exactly (rows i of A and j of B). */
void _genrank_inner(fmpz_t u, const genrank_instance_t inst, slong i, slong j);

/* A named phi's value modulo p at x (the argument u/q reduced) and T
   (t0^u, or s0^u for the trig class), i0 a square root of -1 modulo p
   (trig class).  Returns 1 and sets *y, or 0 when a denominator of the
   definition vanishes modulo p or phi has no exact route. */
int _genrank_phi_nmod(ulong *y, genrank_phi_t phi, ulong x, ulong T, ulong i0,
                      nmod_t mod);

/* Exact route (prove.c): a prime usable for phi's class with denominator q
   (odd, prime to q, 1 mod 4 for the trig class): 1 or 0. */
int _genrank_exact_prime_ok(ulong p, const fmpz_t q, int cls);

/* Draws of t0 per prime before giving the prime up. */
#define T0_ATTEMPTS 32

/* One exact-route witness at inst's point modulo p: t0 drawn (and i0 set)
   until no denominator vanishes.  The rank, -1 when the method cannot be
   used, -2 when every t0 drawn made a denominator vanish. */
slong _genrank_exact_trial(slong *rows, slong *cols, ulong *det, genrank_instance_t inst,
                           ulong p, genrank_rng_t *rng, int method);

/* Writes a file atomically (certwrite.c): write(f, ctx) into a temporary
   file in path's directory, fsync, rename, signals blocked meanwhile. */
int _genrank_write_atomic(const char *path, void (*write)(FILE *, const void *),
                          const void *ctx, genrank_err_t *err);

/* JSON output helpers (certwrite.c): an unsigned integer as a number below
   2^53, else a decimal string; an array of indices. */
void _genrank_put_u64(FILE *f, uint64_t x);
void _genrank_put_slong_array(FILE *f, const slong *v, slong len);

/* Monotonic wall-clock seconds (prove.c). */
double _genrank_seconds(void);

/* The verifier's own values of a named phi modulo p (verify.c), from
   x = u/q and E = t0^u: 1, or 0 when a denominator vanishes. */
int _genrank_verify_named_mod(ulong *y, genrank_phi_t phi, ulong x, ulong E, ulong i0,
                              nmod_t mod);

#ifdef ARB_H
/* A named phi's value in ball arithmetic at precision prec (shared by the
   ball route's prover and verifier: it is phi's definition). */
void _genrank_phi_arb(arb_t y, genrank_phi_t phi, const arb_t x, slong prec);
#endif

#endif
