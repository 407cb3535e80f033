/* Internal helpers shared by the prover's witness routines. */
#ifndef GENRANK_INTERNAL_H
#define GENRANK_INTERNAL_H
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

#ifdef ARB_H
/* A named phi's value in ball arithmetic at precision prec (shared by the
   ball route's prover and verifier: it is phi's definition). */
void _genrank_phi_arb(arb_t y, genrank_phi_t phi, const arb_t x, slong prec);
#endif

#endif
