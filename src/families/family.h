/* The family table (doc/architecture.md, "Adding a family").  A family
   says how its matrix is built from an instance: its shape, its rows
   modulo p for the kernels, single entries in ball arithmetic and in
   double, and the degree of an entry for the deficiency evidence.  Its
   formula is core's (core/formula.c), since the checker recomputes it;
   its certificate writer is in cert/, its checker in check/. */
#ifndef GENRANK_FAMILY_H
#define GENRANK_FAMILY_H
#include <arb.h>
#include "internal.h"

/* Largest number of entries of A B^T formed at once while building. */
#define GENRANK_BUILD_BLOCK (WORD(1) << 22)

/* Receives one row of the matrix modulo p: h (.) b entrywise, or h alone
   when b is NULL; residues in [0, p). */
typedef void (*genrank_row_sink_t)(void *ctx, slong row, const mp_limb_t *h,
                                   const mp_limb_t *b, slong n);

typedef struct {
    const char *name;
    genrank_family_t family;
    int cli;    /* prove, formula and sweep take it (--family NAME) */
    /* rows for sizes m, d; -1 when that overflows */
    slong (*nrows)(slong m, slong d);
    /* every row once, to sink; returns 1 when an entry is undefined
       modulo p (a denominator of phi vanishes at t0, or a step's argument
       is 0), else 0 */
    int (*rows_mod)(const genrank_instance_t inst, nmod_t mod, genrank_row_sink_t sink,
                    void *ctx);
    /* entry (row, col) at the real point (A / q, B): a ball at prec bits,
       and a double */
    void (*entry_arb)(arb_t y, const genrank_instance_t inst, slong row, slong col,
                      slong prec);
    double (*entry_d)(const genrank_instance_t inst, slong row, slong col);
    /* the deficiency evidence (doc/theory.md): the degree of an entry as
       a polynomial in the point's coordinates when phi has degree K, and
       1 when an entry carries a factor of B besides phi (log2 R more in
       the bound on a minor's value) */
    slong (*degree)(slong K);
    int b_factor;
    /* the published prediction and its status for spec (core/formula.c,
       which the checker recomputes); GENRANK_EINVAL with a message when
       the family has none */
    int (*formula)(genrank_formula_t f, const genrank_spec_t *spec, genrank_err_t *err);
} genrank_family_ops_t;

/* The formula of the families with published theorems: Theorems 3.1-4.3
   for a polynomial phi, 4.4 / 4.5 for a named one (table.c). */
int _genrank_family_formula(genrank_formula_t f, const genrank_spec_t *spec, genrank_err_t *err);

/* The row of the family table (family < GENRANK_FAMILY_COUNT). */
const genrank_family_ops_t *_genrank_family(genrank_family_t family);

extern const genrank_family_ops_t _genrank_family_hadamard;
extern const genrank_family_ops_t _genrank_family_khatri_rao;
extern const genrank_family_ops_t _genrank_family_w_jacobian;

/* The families on phi(A B^T) (outer.c): row l m + i is B^T's row l (.)
   phi(A B^T)'s row i for l < factors; with factors = 0, row i is
   phi(A B^T)'s row i. */
int _genrank_outer_rows_mod(const genrank_instance_t inst, slong factors, nmod_t mod,
                            genrank_row_sink_t sink, void *ctx);
void _genrank_outer_entry_arb(arb_t y, const genrank_instance_t inst, slong factors,
                              slong row, slong col, slong prec);
double _genrank_outer_entry_d(const genrank_instance_t inst, slong factors, slong row,
                              slong col);

#endif
