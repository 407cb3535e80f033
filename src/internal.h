/* Internal helpers shared by the prover's witness routines. */
#ifndef GENRANK_INTERNAL_H
#define GENRANK_INTERNAL_H
#include "genrank.h"

/* Sorts v[0..r) increasingly and returns the sign (+1 or -1) of the
   permutation that sorted it. */
int _genrank_sort_with_sign(slong *v, slong r);

#endif
