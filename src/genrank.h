/*
 * genrank.h -- certified generic ranks of polynomial Hadamard and
 * Khatri-Rao matrices (public interface of libgenrank).
 *
 * Conventions (FLINT style):
 *  - every object has _init / _clear; the caller owns what it inits;
 *  - functions that can fail return 0 on success and a nonzero
 *    GENRANK_E* code otherwise, and then write a one-line message
 *    (no trailing newline) into the genrank_err_t they were given;
 *  - indices are 0-based everywhere;
 *  - all matrices are row-major.
 */
#ifndef GENRANK_H
#define GENRANK_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpq.h>
#include <flint/nmod_mat.h>
#include <acb_mat.h>
#include "genrank-check.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Families                                                            */

/* Each family is one file in families/ and a row of the family table
   (doc/architecture.md). */
typedef enum {
    GENRANK_HADAMARD = 0,   /* H = phi(A B^T), m x n */
    GENRANK_KHATRI_RAO = 1, /* K = B^T (Khatri-Rao) H, md x n, row l*m+i */
    GENRANK_W_JACOBIAN = 2, /* capacity's W-Jacobian: B's last column is the
                               bias's 1, which enters the argument a_i . b_j
                               but not the product: m(d-1) x n, row l*m+i
                               = B^T's row l (.) H's row i for l < d - 1 */
    GENRANK_FAMILY_COUNT
} genrank_family_t;

/* "hadamard" / "khatri-rao" / "w-jacobian". */
const char *genrank_family_name(genrank_family_t family);

/* Parses the name of a family that `prove`, `formula` and `sweep` take
   (hadamard, khatri-rao; the W-Jacobian is capacity's); returns 0 and
   sets *family, or GENRANK_EINVAL. */
int genrank_family_parse(genrank_family_t *family, const char *s,
                         genrank_err_t *err);

/* Rows of the family's matrix for sizes m, d (m, m d or m (d - 1)), or
   -1 when that overflows a slong. */
slong genrank_family_nrows(genrank_family_t family, slong m, slong d);

/* ------------------------------------------------------------------ */
/* Named analytic activations (doc/theory.md, "Analytic activations")  */

typedef enum {
    GENRANK_PHI_POLY = 0,   /* the polynomial given by coefficients */
    /* exact route, x = u/q and T = e^x = t^u with t = e^(1/q) */
    GENRANK_PHI_EXP, GENRANK_PHI_SINH, GENRANK_PHI_COSH, GENRANK_PHI_TANH,
    GENRANK_PHI_DTANH, GENRANK_PHI_SIGMOID, GENRANK_PHI_DSIGMOID,
    GENRANK_PHI_SILU, GENRANK_PHI_DSILU,
    /* exact route, T = e^(ix) = s^u with s = e^(i/q), i a root of -1 mod p */
    GENRANK_PHI_SIN, GENRANK_PHI_COS, GENRANK_PHI_DCOS,
    /* exact route, a rational function of x alone */
    GENRANK_PHI_DARCTAN,
    /* ball route only (Arb) */
    GENRANK_PHI_ERF, GENRANK_PHI_DERF, GENRANK_PHI_GELU, GENRANK_PHI_DGELU,
    GENRANK_PHI_ARCTAN, GENRANK_PHI_SOFTPLUS,
    /* ReLU's derivative, the step 1[x > 0], at arguments that are not 0:
       not analytic, so genrank_phi_parse does not accept it; only
       capacity certificates use it (exactly, from the sign of x) */
    GENRANK_PHI_STEP,
    GENRANK_PHI_COUNT
} genrank_phi_t;

/* How a named phi is certified. */
enum {
    GENRANK_CLASS_EXP = 1,      /* rational in x and e^x */
    GENRANK_CLASS_TRIG = 2,     /* rational in x and e^(ix), over Q(i) */
    GENRANK_CLASS_RATIONAL = 3, /* rational in x */
    GENRANK_CLASS_BALL = 4,     /* only by ball arithmetic */
    GENRANK_CLASS_SIGN = 5      /* a function of the sign of x (GENRANK_PHI_STEP) */
};

/* Certification routes for named phi. */
enum {
    GENRANK_ROUTE_AUTO = 0,     /* exact when the class allows, else ball */
    GENRANK_ROUTE_EXACT = 1,    /* modulo p at a residue t0 of t (or s) */
    GENRANK_ROUTE_BALL = 2      /* Arb ball arithmetic at increasing precision */
};

/* Parses a name ("tanh", "sigmoid'", "gelu", ...; derivatives with a
   trailing ', aliases such as "exp'" = exp, "sinh'" = cosh, "sin'" = cos,
   "softplus'" = sigmoid).  0 or GENRANK_EINVAL (listing the names). */
int genrank_phi_parse(genrank_phi_t *phi, const char *s, genrank_err_t *err);
/* Canonical name ("tanh'"), its class, and its definition as text. */
const char *genrank_phi_name(genrank_phi_t phi);
int genrank_phi_class(genrank_phi_t phi);
const char *genrank_phi_definition(genrank_phi_t phi);
/* The name for file names: a derivative's ' becomes a leading d
   ("tanh'" -> "dtanh"). */
const char *genrank_phi_tag(genrank_phi_t phi);
/* Every canonical name, comma-separated (static). */
const char *genrank_phi_names(void);

/* ------------------------------------------------------------------ */
/* Exact parsing                                                       */

/* Parses an integer or rational "[-+]digits[/digits]" (no spaces, no
   decimal point, nonzero denominator) into canonical form.  Returns 0
   or GENRANK_EINVAL; res is unchanged on error. */
int genrank_rational_parse(fmpq_t res, const char *s, genrank_err_t *err);

/* Parses a decimal integer "[-]digits" of any size. 0 or GENRANK_EINVAL. */
int genrank_integer_parse(fmpz_t res, const char *s, genrank_err_t *err);

/* Parses a comma-separated coefficient list "c0,c1,...,cK" (each a
   rational as above, or an exact decimal as genrank_decimal_parse reads
   it, e.g. 0.5 or -1e-3).  On success *coeffs is a new array of *len
   entries (caller frees with genrank_coeffs_free).  Trailing zero
   coefficients are kept as given.  Requires at least one entry. */
int genrank_coeffs_parse(fmpq **coeffs, slong *len, const char *s,
                         genrank_err_t *err);
void genrank_coeffs_free(fmpq *coeffs, slong len);

/* Parses a positive decimal size (1 <= v <= max).  0 or GENRANK_EINVAL. */
int genrank_size_parse(slong *v, const char *s, slong max, const char *what,
                       genrank_err_t *err);

/* ------------------------------------------------------------------ */
/* Instances                                                           */

typedef struct {
    genrank_family_t family;
    slong m, d, n;
    slong len;      /* number of coefficients, K + 1 >= 1 (0 for named phi) */
    fmpq *coeffs;   /* c_0 .. c_K, owned */
    fmpz *A;        /* m*d entries, row-major, owned */
    fmpz *B;        /* n*d entries, row-major, owned */
    genrank_phi_t phi;  /* GENRANK_PHI_POLY, or a named phi */
    fmpz_t q;       /* named phi: the arguments are x_ij = a_i.b_j / q (q >= 1) */
    ulong t0, i0;   /* exact route: the residues of t (or s) and of i modulo
                       the prime the matrix is built for */
} genrank_instance_struct;
typedef genrank_instance_struct genrank_instance_t[1];

/* Initialises an instance with a copy of the coefficients and A = B = 0.
   Sizes must be >= 1 and len >= 1 (checked by the parsers, asserted here). */
void genrank_instance_init(genrank_instance_t inst, genrank_family_t family,
                           slong m, slong d, slong n,
                           const fmpq *coeffs, slong len);
void genrank_instance_clear(genrank_instance_t inst);

/* Initialises an instance for a named phi (no coefficients), arguments
   a_i.b_j / q with q >= 1, t0 = i0 = 0. */
void genrank_instance_init_phi(genrank_instance_t inst, genrank_family_t family,
                               slong m, slong d, slong n, genrank_phi_t phi,
                               const fmpz_t q);

/* Number of rows (genrank_family_nrows) and columns (n) of the family's
   matrix. */
slong genrank_instance_nrows(const genrank_instance_t inst);
slong genrank_instance_ncols(const genrank_instance_t inst);

/* Largest k with c_k != 0, or -1 when every coefficient is zero. */
slong genrank_coeffs_degree(const fmpq *coeffs, slong len);

/* ------------------------------------------------------------------ */
/* Random points and primes                                            */

/* SplitMix64 (Steele, Lea, Flood 2014): the documented generator.
   state += 0x9e3779b97f4a7c15; z = state;
   z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
   z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
   return z ^ (z >> 31). */
typedef struct { uint64_t state; } genrank_rng_t;

void genrank_rng_seed(genrank_rng_t *rng, uint64_t seed);
uint64_t genrank_rng_next(genrank_rng_t *rng);
/* Uniform integer in [0, bound) by rejection (no modulo bias); bound >= 1. */
uint64_t genrank_rng_below(genrank_rng_t *rng, uint64_t bound);

/* Fills A then B (row-major, in that order) with integers drawn
   uniformly from [-range, range], each as genrank_rng_below(2*range+1)
   minus range.  range >= 1 and 2*range+1 < 2^64. */
void genrank_instance_random_point(genrank_instance_t inst, genrank_rng_t *rng,
                                   uint64_t range);

/* A prime drawn uniformly among the primes in [2^(bits-1), 2^bits):
   candidates genrank_rng_below(2^(bits-1)) + 2^(bits-1) are drawn until
   one is prime (n_is_prime, deterministic below 2^64).  3 <= bits <= 63. */
ulong genrank_random_prime(genrank_rng_t *rng, int bits);

/* ------------------------------------------------------------------ */
/* Predicted ranks                                                     */

typedef struct {
    fmpz_t predicted;       /* the paper's value (Thm 3.2 / 4.3) */
    fmpz_t terms;           /* the sum of binomials inside the min */
    int has_corrected;      /* 1 when a published theorem gives the exact value */
    fmpz_t corrected;       /* that value (valid when has_corrected) */
    const char *theorem;    /* "Theorem 3.2" or "Theorem 4.3" (static) */
    const char *corrected_source; /* citation for corrected (static) or NULL */
    int ah_exceptional;     /* 1 when corrected < min(md, C(d+k,k+1), n) */
    int analytic;           /* 1 for a named (non-polynomial) phi: terms is
                               then meaningless (the sum diverges) */
    int has_bound;          /* 1 when a proved upper bound lies below
                               predicted and corrected (doc/theory.md
                               section 4: khatri-rao, phi = c_0 + c_1 x,
                               2 <= m <= d + 1: md - C(m - 1, 2)) */
    fmpz_t bound;           /* that bound, min(n, md - C(m - 1, 2)) */
    const char *bound_source; /* its argument (static) or NULL */
} genrank_formula_struct;
typedef genrank_formula_struct genrank_formula_t[1];

void genrank_formula_init(genrank_formula_t f);
void genrank_formula_clear(genrank_formula_t f);

/* Computes the predicted generic rank for (family, m, d, n, coeffs) in
   exact integers:
     hadamard:   min(m, n, sum_{c_k != 0} C(k+d-1, k))       (Thm 3.1/3.2)
     khatri-rao: min(md, n, sum_{c_k != 0} C(k+d, k+1))      (Thm 4.2/4.3)
   For khatri-rao with exactly one nonzero coefficient c_k it also sets
   the exact value from the Alexander-Hirschowitz theorem (see
   doc/theory.md).  Sizes may be as large as slong allows. */
void genrank_formula(genrank_formula_t f, genrank_family_t family,
                     slong m, slong d, slong n, const fmpq *coeffs, slong len);

/* The value of Theorems 4.4 / 4.5 for a real analytic phi that is not a
   polynomial (every named phi): hadamard min(m, n), khatri-rao
   min(md, n).  Sets analytic = 1, has_corrected = 0. */
void genrank_formula_phi(genrank_formula_t f, genrank_family_t family,
                         slong m, slong d, slong n);

/* ------------------------------------------------------------------ */
/* Deficiency evidence (doc/theory.md, section 6)                      */

typedef struct {
    double degree_bound;       /* D = (rank + 1) e: the degree of an (r+1)-minor */
    double per_trial_bound;    /* delta: P(a trial sees <= rank | generic > rank) */
    double probability_bound;  /* delta^trials */
} genrank_evidence_t;

/* The bounds for a polynomial phi (coeffs[0..len)) whose matrix entries
   have degree entry_degree in the point's coordinates (2K hadamard,
   2K + 1 khatri-rao) and, when b_factor, carry a factor of B; d columns,
   the certified rank, points uniform in [-range, range], primes drawn
   uniformly among those of prime_bits bits (random_primes) or fixed (then
   no bound: per_trial_bound 1), over trials trials.  The prover writes
   them and the checker recomputes them with this one function. */
void genrank_evidence_bounds(genrank_evidence_t *ev, slong entry_degree, int b_factor,
                             const fmpq *coeffs, slong len, slong d, slong rank, uint64_t range,
                             int random_primes, int prime_bits, slong trials);

/* ------------------------------------------------------------------ */
/* Building and eliminating modulo p (the prover's path)               */

/* Bytes of memory the prover needs for an instance (dense matrix mod p
   plus the inner-product table); saturates at SIZE_MAX. */
size_t genrank_prove_memory(const genrank_instance_t inst);

/* Bytes of memory currently available (MemAvailable, else physical). */
size_t genrank_memory_available(void);

/* Checks that p is prime and divides no coefficient's denominator.
   0 or GENRANK_EINVAL. */
int genrank_prime_check(ulong p, const fmpq *coeffs, slong len,
                        genrank_err_t *err);

/* Builds the family's matrix at the instance's point, reduced modulo p,
   into M (which must be initialised with nrows x ncols and modulus p).
   p must have passed genrank_prime_check.  For a named phi (exact route)
   p must be odd and prime to q, inst->t0 in [1, p), and for the trig
   class inst->i0^2 = -1 modulo p; returns 1 when some entry's denominator
   vanishes modulo p at t0 (M is then unusable), else 0. */
int genrank_instance_matrix_nmod(nmod_mat_t M, const genrank_instance_t inst);

/* Builds the matrix modulo p (p < 2^26) into the row-major double array
   A (leading dimension lda >= ncols): entries are integers congruent to
   the matrix modulo p with |x| <= (p/2)^2 (centred residues, or for
   khatri-rao products of two centred residues), ready for
   genrank_dmat_rank_witness_blas.  Returns as genrank_instance_matrix_nmod. */
int genrank_instance_matrix_d(double *A, slong lda, const genrank_instance_t inst,
                               ulong p);

/* The same into 16-bit residues in [0, p) (p < 2^16), ready for
   genrank_hmat_rank_witness. */
int genrank_instance_matrix_u16(uint16_t *A, slong lda, const genrank_instance_t inst,
                                ulong p);

/* Rank of M with a nonsingular witness minor (FLINT's nmod_mat_lu).  M is destroyed (it holds
   an LU factorisation afterwards).  rows and cols must each have room
   for min(nrows, ncols) entries; on return rows[0..r) and cols[0..r)
   are strictly increasing and *det is the determinant of the r x r
   minor M[rows, cols] (1 when r = 0).  Returns r. */
slong genrank_nmod_mat_rank_witness(slong *rows, slong *cols, ulong *det,
                                    nmod_mat_t M);

/* The fast section's transposed solves (doc/theory.md section 2.1): once
   an elimination has found rows, cols and det, challenge() fills C
   (k x r, row j indexed like the sorted cols) and the kernel computes X
   (k x r, row j indexed like the sorted rows; flint_malloc'ed into sv->X,
   the caller frees it) with X_j^T S = C_j^T for the witness minor
   S = M[rows, cols] modulo p, from the factorisation it already holds:
   O(k r^2) operations.  When challenge() returns nonzero, sv->X is left
   NULL (no fast section). */
typedef struct {
    slong k;
    int (*challenge)(ulong *C, slong k, const slong *rows, const slong *cols, slong r,
                      ulong det, ulong p, void *ctx);
    void *ctx;
    ulong *X;
} genrank_solve_t;

/* genrank_nmod_mat_rank_witness, then the solves of sv (NULL: none). */
slong genrank_nmod_mat_rank_witness_solve(slong *rows, slong *cols, ulong *det,
                                          nmod_mat_t M, genrank_solve_t *sv);

/* 1 when the library was built with a CBLAS, else 0. */
int genrank_have_blas(void);

/* The double-precision kernel takes primes below this bound (with
   |residue| <= p/2, 64 products of residues add up exactly in a double). */
#define GENRANK_BLAS_PRIME_MAX (UWORD(1) << 24)

/* The same contract as genrank_nmod_mat_rank_witness for a row-major
   m x n array of doubles (leading dimension lda) holding integers with
   |x| < 2^52, read modulo p.  A is overwritten by a PLUQ factorisation.
   Column-recursive elimination, products and triangular solves through
   cblas_dgemm, reductions delayed while k (p/2)^2 < 2^52.  Requires
   genrank_have_blas() and 2 <= p < GENRANK_BLAS_PRIME_MAX; returns -1
   when built without a CBLAS. */
slong genrank_dmat_rank_witness_blas(slong *rows, slong *cols, ulong *det,
                                     double *A, slong m, slong n, slong lda,
                                     ulong p);
slong genrank_dmat_rank_witness_blas_solve(slong *rows, slong *cols, ulong *det,
                                           double *A, slong m, slong n, slong lda,
                                           ulong p, genrank_solve_t *sv);

/* The compact kernel takes primes below this bound (residues in 16 bits). */
#define GENRANK_COMPACT_PRIME_MAX (UWORD(1) << 16)

/* The same contract for a row-major m x n array of 16-bit residues in
   [0, p), p < GENRANK_COMPACT_PRIME_MAX: a quarter of the double
   kernel's memory.  Right-looking by panels of 2048 columns, each
   converted to doubles and factored by the double kernel, the trailing
   matrix updated by dgemm on blocks converted from and back to 16 bits;
   beyond A, about 16 KiB per row (the panel in doubles).  A is overwritten.  Returns -1 when
   built without a CBLAS. */
slong genrank_hmat_rank_witness_solve(slong *rows, slong *cols, ulong *det,
                                      uint16_t *A, slong m, slong n, slong lda,
                                      ulong p, genrank_solve_t *sv);

enum {
    GENRANK_METHOD_AUTO = 0,  /* BLAS when available, p small enough and the
                                 smaller dimension >= GENRANK_BLAS_CUTOFF;
                                 compact when only its layout fits in memory */
    GENRANK_METHOD_FLINT = 1, /* nmod_mat_lu, any word-size prime */
    GENRANK_METHOD_BLAS = 2,  /* the double kernel */
    GENRANK_METHOD_COMPACT = 3 /* the 16-bit kernel */
};
#define GENRANK_BLAS_CUTOFF 200
/* Bits of the primes drawn for the BLAS kernel (primes in [2^19, 2^20)):
   then (p/2)^2 < 2^38 and 16384 products add up exactly. */
#define GENRANK_BLAS_PRIME_BITS 20
/* Bits of the primes drawn for the compact kernel (primes in [2^15, 2^16)). */
#define GENRANK_COMPACT_PRIME_BITS 16

/* The method the dispatcher uses for this instance and prime, or -1 when
   GENRANK_METHOD_BLAS or _COMPACT was asked for but cannot be used (no
   CBLAS, or p >= GENRANK_BLAS_PRIME_MAX or GENRANK_COMPACT_PRIME_MAX).
   Auto never picks the compact kernel here; the prover does when only its
   layout fits in memory (genrank_prove). */
int genrank_rank_method(const genrank_instance_t inst, ulong p, int method);

/* Rank with a witness of the instance's matrix modulo p (rows, cols, det
   as above; room for min(nrows, ncols) each), the matrix built straight
   into the method's layout (one dense copy; see genrank_prove_memory):
   _flint: nmod_mat and FLINT's LU, any word-size prime;
   _blas: doubles and the BLAS kernel; -1 without a CBLAS or for
   p >= GENRANK_BLAS_PRIME_MAX;
   (the dispatcher's GENRANK_METHOD_COMPACT: 16-bit residues and the
   compact kernel; -1 without a CBLAS or for p >= 2^16);
   the dispatcher picks one by genrank_rank_method (-1 when the method
   asked for cannot be used).  All three return -2 when a denominator of a
   named phi vanishes modulo p at inst->t0 (draw another t0). */
slong genrank_instance_rank_witness_flint(slong *rows, slong *cols, ulong *det,
                                          const genrank_instance_t inst, ulong p);
slong genrank_instance_rank_witness_blas(slong *rows, slong *cols, ulong *det,
                                         const genrank_instance_t inst, ulong p);
slong genrank_instance_rank_witness(slong *rows, slong *cols, ulong *det,
                                    const genrank_instance_t inst, ulong p,
                                    int method);
/* The same, then the fast section's solves of sv (NULL: none). */
slong genrank_instance_rank_witness_solve(slong *rows, slong *cols, ulong *det,
                                          const genrank_instance_t inst, ulong p,
                                          int method, genrank_solve_t *sv);

/* Ball route (Arb): the rank of the family's matrix at the real point
   (A / q, B) (named phi), proved by Gaussian elimination with complete
   pivoting in ball arithmetic at precisions 64, 128, ... up to max_prec
   bits, each pivot a ball excluding zero.  The witness minor is then
   confirmed with Arb's arb_mat_det (as the verifier does) at the
   precision *prec, raised until its ball excludes zero with 16 bits of
   relative accuracy; *det receives that determinant's midpoint to 20
   digits (a new string, flint_free it).  rows, cols as above.  Returns
   the rank, or -1 when the confirmation failed up to max_prec. */
slong genrank_instance_rank_witness_ball(slong *rows, slong *cols, slong *prec,
                                         char **det, const genrank_instance_t inst,
                                         slong max_prec);

/* phi(x) in double precision (libm), for a named phi. */
double genrank_phi_double(genrank_phi_t phi, double x);

/* The numerical rank of the family's matrix at the instance's point, the
   usual floating-point way: the matrix in doubles (x = a_i.b_j / q
   rounded), its singular values by LAPACK's dgesdd, and the rank as the
   number of singular values above smax * max(rows, cols) * 2^-52 (numpy's
   matrix_rank default).  Returns 0 and sets *rank, *smax, *smin; -1 when
   built without LAPACK; -2 when an entry is not finite; -3 when the matrix
   would not fit in memory. */
int genrank_float_rank(slong *rank, double *smax, double *smin,
                       const genrank_instance_t inst);
/* The same for a dense nr x nc matrix a, column-major, which it takes
   over (frees); nr and nc at most 46000. */
int genrank_float_rank_dense(slong *rank, double *smax, double *smin, double *a, slong nr,
                             slong nc);
int genrank_have_lapack(void);

/* Sets the threads FLINT and OpenBLAS may use (n >= 1). */
void genrank_set_threads(int n);

/* Checkpoints of the compact kernel (GENRANK_METHOD_COMPACT): after a
   panel, once `seconds` have passed since the last save, the elimination's
   state (the 16-bit matrix and the permutations) is written to path.tmp
   and renamed to path; a later run on the same matrix (the same
   instance, point and prime) resumes from it; it is removed when the
   elimination ends.  path NULL: none (the default).  The string must
   outlive the runs. */
void genrank_set_checkpoint(const char *path, double seconds);

/* After a compact run with a checkpoint: the column it resumed from (-1:
   it started afresh), the saves written, and the errno of the last save
   that failed (0: none). */
void genrank_checkpoint_status(slong *resumed_at, slong *saves, int *error);

/* The fraction of the running compact elimination done (by operations,
   0 to 1), or -1 when none runs; safe to call from another thread. */
double genrank_progress(void);

/* ------------------------------------------------------------------ */
/* Proving                                                             */

/* A given point (genrank prove --point): A (m x d) = A' / qa and
   B (n x d) = B' / qb with A', B' integer matrices and qa, qb the lcm of
   their denominators. */
typedef struct {
    slong m, d, n;
    fmpz *A, *B;              /* A', B' row-major, owned */
    fmpz_t qa, qb;
} genrank_point_struct;
typedef genrank_point_struct genrank_point_t[1];

void genrank_point_init(genrank_point_t P);
void genrank_point_clear(genrank_point_t P);
/* Reads {"A": m arrays of d numbers, "B": n arrays of d numbers}, numbers
   as JSON integers or strings holding an integer, a decimal or p/q.
   0, or GENRANK_EIO, GENRANK_EINVAL (the field named), GENRANK_ENOMEM. */
int genrank_point_read(genrank_point_t P, const char *path, genrank_err_t *err);
/* Reads a two-layer network's weights for genrank capacity --point:
   {"W": m arrays of d numbers (neuron k's incoming weights), "b": m
   numbers (its bias)}, numbers as in genrank_point_read.  P->A (m x d)
   receives W' with W = W' / qa; P->B (m x d) holds b' in its first
   column (zeros elsewhere) with b = b' / qb; P->n = P->m.  0, or
   GENRANK_EIO, GENRANK_EINVAL (the field named), GENRANK_ENOMEM. */
int genrank_weights_read(genrank_point_t P, const char *path, genrank_err_t *err);

typedef struct {
    uint64_t seed;      /* generator seed (trial t uses the stream after
                           trial t-1's draws) */
    ulong prime;        /* 0: random prime per trial; else this prime */
    int prime_bits;     /* bits of random primes; 0 (default): automatic,
                           GENRANK_BLAS_PRIME_BITS when the BLAS kernel
                           runs, else 62 */
    int method;         /* GENRANK_METHOD_AUTO (default), _FLINT or _BLAS */
    uint64_t range;     /* entries of A, B drawn from [-range, range] */
    slong trials;       /* at most this many points when below target */
    int progress;       /* nonzero: one line per trial on stderr */
    /* named phi (genrank_prove_phi) */
    int route;          /* GENRANK_ROUTE_AUTO (default), _EXACT or _BALL */
    uint64_t denominator; /* q; 0 (default): range^2 */
    slong max_prec;     /* ball route: highest precision in bits (default 8192) */
    /* a given point instead of random ones (NULL: random); its sizes must
       be the spec's.  The family's matrix at (A' / qa, B' / qb) is built
       as the matrix at the integer point (A', B') with the inner products
       divided by Q = qa qb: a polynomial phi(x) becomes
       psi(u) = sum c_k u^k / Q^k (the same support), a named phi gets
       q = Q; entries that carry a factor of B are then qb times the
       given matrix's, a nonzero constant, so the rank is the same.  No
       deficiency evidence is given (it speaks of random points). */
    const genrank_point_struct *point;
    int fast;           /* 1 (default): exact witnesses get the fast
                           section (k transposed solves with the minor,
                           O(k r^2) more work; doc/theory.md section 2.1) */
    int point_by_seed;  /* 1: each trial's point drawn from a fresh
                           generator seeded by a draw of the main one, and
                           the certificate records that seed and a SHA-256
                           of A and B instead of A and B */
} genrank_prove_opts_t;

/* Default options: seed 0 (caller should set one), automatic prime
   size and method, range 2^20, 5 trials, no progress. */
void genrank_prove_opts_init(genrank_prove_opts_t *opts);

typedef struct {
    genrank_instance_t inst;  /* the point of the best witness */
    genrank_formula_t formula;
    uint64_t seed;
    uint64_t range;
    ulong prime;
    int prime_bits;           /* bits of the random primes (0 if fixed) */
    slong rank;
    slong *rows, *cols;       /* rank entries each, owned */
    ulong det;
    /* evidence (meaningful when rank < predicted) */
    slong trials;             /* trials run */
    slong max_rank_seen;      /* == rank */
    int prime_fixed;
    double degree_bound;      /* D: degree of a (rank+1)-minor, see theory.md */
    double per_trial_bound;   /* bound on P(trial sees <= rank | generic > rank) */
    double probability_bound; /* per_trial_bound^trials */
    double seconds;           /* wall time of the proof */
    /* Kruskal certificate (genrank_prove_kruskal), when kruskal_rank >= 0 */
    slong kruskal_rank;
    slong kruskal_count;      /* C(n, kruskal_rank) subsets */
    slong *kruskal_rows;      /* kruskal_count * kruskal_rank row indices */
    /* named phi */
    int route;                /* GENRANK_ROUTE_EXACT or _BALL (0 for polynomials) */
    slong precision;          /* ball route: bits at which arb_mat_det excludes 0 */
    char *ball_det;           /* ball route: that determinant, 20 digits (owned) */
    ulong *kruskal_dets;      /* kruskal_count determinants modulo prime */
    int point_given;          /* 1: the point was given (no evidence) */
    fmpz_t point_qa, point_qb; /* its denominators' lcms (when given) */
    slong fast_k;             /* the fast section: fast_k vectors (0: none) */
    int point_by_seed;        /* 1: the point is recorded by point_seed */
    uint64_t point_seed;      /* its generator's seed */
    ulong *fast_X;            /* fast_k x rank residues, row j vector j (owned) */
} genrank_cert_struct;
typedef genrank_cert_struct genrank_cert_t[1];

void genrank_cert_init(genrank_cert_t cert);
void genrank_cert_clear(genrank_cert_t cert);

/* What to prove: a family, its sizes, and phi, either a polynomial
   (phi = GENRANK_PHI_POLY with coeffs[0..len)) or a named activation
   (coeffs NULL, len 0).  The caller keeps coeffs alive during the call. */
typedef struct {
    genrank_family_t family;
    slong m, d, n;
    genrank_phi_t phi;
    const fmpq *coeffs;
    slong len;
} genrank_spec_t;

/* The prover's one entry point.  Draws a point, computes the rank of the
   family's matrix there with a witness minor, and while the rank found
   is below the best known upper bound (the corrected value where a
   theorem gives one, else the prediction) repeats with fresh points (and
   fresh primes unless opts->prime is set) up to opts->trials times,
   keeping the highest-rank witness.  The route is the strategy:
   a polynomial phi is certified modulo p (the prime drawn before the
   point, sparing every denominator) with the deficiency evidence of
   doc/theory.md; a named phi at the point (A / q, B), q = opts->denominator
   (range^2 when 0), by the exact route (classes EXP, TRIG, RATIONAL: a
   prime odd, prime to q, 1 mod 4 for the trig class, and a residue t0
   redrawn while a denominator vanishes) or the ball route
   (genrank_instance_rank_witness_ball), as opts->route says (AUTO: exact
   when the class allows); no probability bound for a named phi.
   Refuses (GENRANK_ENOMEM) when the memory the route needs exceeds what
   is available.  cert must be initialised; on success it owns the result. */
int genrank_prove_spec(genrank_cert_t cert, const genrank_spec_t *spec,
                       const genrank_prove_opts_t *opts, genrank_err_t *err);

/* genrank_prove_spec for a polynomial phi. */
int genrank_prove(genrank_cert_t cert, genrank_family_t family,
                  slong m, slong d, slong n, const fmpq *coeffs, slong len,
                  const genrank_prove_opts_t *opts, genrank_err_t *err);

/* genrank_prove_spec for a named phi (Theorems 4.4 / 4.5);
   GENRANK_ROUTE_EXACT for a phi of class BALL is refused (GENRANK_EINVAL). */
int genrank_prove_phi(genrank_cert_t cert, genrank_family_t family,
                      slong m, slong d, slong n, genrank_phi_t phi,
                      const genrank_prove_opts_t *opts, genrank_err_t *err);

/* Largest number of column subsets genrank_prove_kruskal enumerates. */
#define GENRANK_KRUSKAL_MAX 1000000

/* After genrank_prove: certifies a lower bound on the generic Kruskal rank
   (the largest k such that every k columns are independent) at the
   certificate's point and prime.  Starting from k = rank, it looks for a
   nonzero k x k minor in every k-subset of columns (in lexicographic
   order), lowering k when a subset is dependent.  Refuses (GENRANK_EINVAL,
   saying how many subsets) when C(n, k) exceeds GENRANK_KRUSKAL_MAX.
   Sets kruskal_rank, kruskal_count, kruskal_rows and kruskal_dets. */
int genrank_prove_kruskal(genrank_cert_t cert, genrank_err_t *err);

/* Writes the certificate as JSON (doc/certificate-format.md) to path
   atomically: a temporary file in the same directory, fsync, rename.
   On failure nothing is left at path or in the temporary file. */
int genrank_cert_write(const genrank_cert_t cert, const char *path,
                       genrank_err_t *err);

/* Checks that path's directory is writable by creating and removing a
   temporary file there, so a long proof is not wasted.  0 or EIO. */
int genrank_output_check(const char *path, genrank_err_t *err);

/* Writes path atomically: write(f, ctx) into a temporary file in path's
   directory (unnamed where the file system allows, so that even a kill
   leaves nothing), fsync, rename; SIGINT, SIGTERM, SIGHUP and SIGQUIT are
   held meanwhile.  Temporary files "<path>.tmp.<host>.<pid>.*" of this
   host's processes that no longer exist are removed first.  0, or GENRANK_EIO with nothing left
   at path or beside it. */
int genrank_write_atomic(const char *path, void (*write)(FILE *, const void *),
                         const void *ctx, genrank_err_t *err);

/* ------------------------------------------------------------------ */
/* A user's matrix and its exact rank (genrank rank, doc/matrix.md)    */

typedef enum {
    GENRANK_MATRIX_AUTO = 0,  /* from the text: %%MatrixMarket, '[' (JSON), else SMS */
    GENRANK_MATRIX_MM,        /* Matrix Market: coordinate or array; integer, real
                                 (exact decimals) or pattern; general, symmetric
                                 or skew-symmetric */
    GENRANK_MATRIX_SMS,       /* LinBox's SMS: "ROWS COLS M", 1-based "i j v"
                                 lines, ending with "0 0 0" */
    GENRANK_MATRIX_JSON,      /* an array of rows; integers, or strings holding
                                 a decimal or p/q */
    GENRANK_MATRIX_NPY        /* numpy's .npy: integers or booleans, one or two
                                 dimensions (recognised by its magic) */
} genrank_matrix_format_t;
/* OR-ed into the format given to genrank_matrix_parse / _read: read .npy
   floats, each as the exact binary fraction it is (refused otherwise). */
#define GENRANK_MATRIX_FLOAT_EXACT 0x100

typedef struct {
    slong r, c;               /* rows and columns */
    fmpq *x;                  /* r*c exact entries, row-major */
    genrank_matrix_format_t format;  /* the format read */
    char sha256[65];          /* of the file read ("" when parsed from text) */
} genrank_matrix_struct;
typedef genrank_matrix_struct genrank_matrix_t[1];

void genrank_matrix_init(genrank_matrix_t M);
void genrank_matrix_clear(genrank_matrix_t M);
const char *genrank_matrix_format_name(genrank_matrix_format_t f);
/* Reads a matrix exactly; sizes checked against memory before anything is
   allocated.  0, or GENRANK_EINVAL (the line and field named),
   GENRANK_EIO, GENRANK_ENOMEM. */
int genrank_matrix_parse(genrank_matrix_t M, const char *text, size_t len,
                         int fmt, genrank_err_t *err);
int genrank_matrix_read(genrank_matrix_t M, const char *path, int fmt, genrank_err_t *err);

/* The rank of M over Q: a lower bound r proved by a nonzero r x r minor
   modulo a prime and, when asked, the matching upper bound proved by an
   integer basis N of the right kernel (M N = 0) or of the left kernel
   (N^T M = 0), whichever has fewer entries, with a nonzero minor of N
   modulo a prime showing that N has full column rank. */
typedef struct {
    slong rank;               /* r */
    ulong p, det;             /* the minor: prime and determinant residue */
    slong *rows, *cols;       /* its rows and columns (r each) */
    int exact;                /* 1: an upper bound meets the rank */
    int probabilistic;        /* 1: that bound is the probabilistic one */
    int left;                 /* 1: N^T M = 0 (left kernel), 0: M N = 0 */
    slong k, len;             /* N: k vectors of len integers */
    fmpz *N;                  /* vector t at N + t*len */
    ulong np, ndet;           /* N's full-rank minor: prime, residue */
    slong *nsel;              /* its k coordinates */
    char why[256];            /* without the kernel certificate: why */
    double kernel_bytes;      /* the kernel certificate's estimated size */
    /* the probabilistic bound: rank M mod hp[i] = hr[i] <= rank for nh
       primes drawn from the SHA-256 digest of M; error <= 2^-error_bits
       (-1: none, the bound is a proof) */
    slong nh, hr[64];
    ulong hp[64];
    slong error_bits;
    double minor_bits;        /* log2 of Hadamard's bound on the (r+1)-minors */
    char digest[65];
    double seconds;
} genrank_matrix_rank_struct;
typedef genrank_matrix_rank_struct genrank_matrix_rank_t[1];

typedef struct {
    uint64_t seed;            /* the primes' generator */
    int exact;                /* look for the upper bound too */
    int upper;                /* which: GENRANK_UPPER_AUTO (the kernel when its
                                 estimated size fits, else the probabilistic
                                 bound), _KERNEL or _PROBABILISTIC */
    double max_kernel_bytes;  /* the kernel certificate's largest estimated size
                                 (0: 1 GiB or a quarter of the memory) */
} genrank_matrix_opts_t;

enum { GENRANK_UPPER_AUTO = 0, GENRANK_UPPER_KERNEL = 1, GENRANK_UPPER_PROBABILISTIC = 2 };

void genrank_matrix_opts_init(genrank_matrix_opts_t *opts);
void genrank_matrix_rank_init(genrank_matrix_rank_t res);
void genrank_matrix_rank_clear(genrank_matrix_rank_t res);
int genrank_matrix_rank(genrank_matrix_rank_t res, const genrank_matrix_t M,
                        const genrank_matrix_opts_t *opts, genrank_err_t *err);
/* "exact", "exact with probability >= 1 - 2^-B" or "lower bound" (in buf
   or static). */
const char *genrank_matrix_status(char buf[64], const genrank_matrix_rank_t res);
/* The certificate (doc/certificate-format.md, section 11), atomically. */
int genrank_matrix_cert_write(const genrank_matrix_rank_t res, const genrank_matrix_t M,
                              const char *path, genrank_err_t *err);

/* ------------------------------------------------------------------ */
/* Data sets (doc/capacity.md)                                         */

enum { GENRANK_HEADER_AUTO = 0, GENRANK_HEADER_YES = 1, GENRANK_HEADER_NO = 2 };
#define GENRANK_LABEL_NONE (-1)   /* every column is a feature */
#define GENRANK_LABEL_LAST (-2)   /* the last column is a label, dropped */

typedef struct {
    int header;          /* AUTO: the first line is a header when one of
                            its fields (the label column's aside) does not
                            begin like a number: a digit, sign or point, NaN
                            or inf */
    slong label_column;  /* 0-based column to drop, or _NONE / _LAST */
} genrank_data_opts_t;

void genrank_data_opts_init(genrank_data_opts_t *opts);

typedef struct {
    slong n, d;          /* n points with d features */
    fmpq *x;             /* n*d exact values, point i at x + i*d */
    slong *line;         /* the file line of each point (1-based) */
    slong *source;       /* each point's index among the file's points */
    slong nsource;       /* number of points in the file */
    char sha256[65];     /* of the file's bytes, lower-case hex ("" if none) */
    slong header_line;   /* the line read as a header, 0 when none */
} genrank_data_struct;
typedef genrank_data_struct genrank_data_t[1];

void genrank_data_init(genrank_data_t data);
void genrank_data_clear(genrank_data_t data);

/* A decimal "[-+]digits[.digits][e[-+]digits]" (".5", "5." too) or a
   rational "p/q", exactly, in canonical form.  NaN, infinities, hex and
   exponents beyond +-4096 are refused.  0 or GENRANK_EINVAL. */
int genrank_decimal_parse(fmpq_t res, const char *s, genrank_err_t *err);

/* Reads a data set from text: lines of fields separated by commas (when
   the first line has one) or by blanks; blank lines and lines starting
   with # are skipped; fields may be quoted.  Every row must have the
   same number of fields.  0 or GENRANK_EINVAL naming line and field. */
int genrank_data_parse(genrank_data_t data, const char *text, size_t len,
                       const genrank_data_opts_t *opts, genrank_err_t *err);
/* The same from a file, also setting sha256.  GENRANK_EIO when unreadable. */
int genrank_data_read(genrank_data_t data, const char *path,
                      const genrank_data_opts_t *opts, genrank_err_t *err);
int genrank_sha256_file(char hex[65], const char *path, genrank_err_t *err);

/* The facts that bound what a network can fit on the points. */
typedef struct {
    slong ndup_groups;   /* groups of equal points (each of size >= 2) */
    slong ndup;          /* points in those groups */
    slong *dup;          /* their indices, group g at dup[dup_start[g] ..
                            dup_start[g+1]), increasing within a group */
    slong *dup_start;
    slong nzero;         /* points that are all zeros */
    slong *zero;
    slong rank;          /* rank over Q of the n x d matrix of points */
} genrank_data_facts_struct;
typedef genrank_data_facts_struct genrank_data_facts_t[1];

void genrank_data_facts_init(genrank_data_facts_t facts);
void genrank_data_facts_clear(genrank_data_facts_t facts);
void genrank_data_facts(genrank_data_facts_t facts, const genrank_data_t data);
/* Exact rank over Q of the points (fmpz_mat_rank after clearing denominators). */
slong genrank_data_rank(const genrank_data_t data);
/* out = the points keep[0..count) of in (source and line carried over). */
void genrank_data_select(genrank_data_t out, const genrank_data_t in,
                         const slong *keep, slong count);
/* out = in without the zero points and with the first point of each
   group of equal points only.  Returns out->n. */
slong genrank_data_dedup(genrank_data_t out, const genrank_data_t in,
                         const genrank_data_facts_t facts);

/* ------------------------------------------------------------------ */
/* Memorization capacity (Theorems 5.2-5.4, doc/capacity.md)           */

enum { GENRANK_ACT_POLY = 0, GENRANK_ACT_RELU = 1, GENRANK_ACT_NAMED = 2 };

typedef struct {
    int kind;
    char name[16];         /* "tanh", "relu", "polynomial", ... */
    genrank_phi_t dpsi;    /* psi' (NAMED: a named phi; RELU: GENRANK_PHI_STEP) */
    fmpq *coeffs;          /* POLY: psi's coefficients c_0..c_K (owned) */
    slong len;
} genrank_activation_struct;
typedef genrank_activation_struct genrank_activation_t[1];

/* name: relu, tanh, sigmoid, softplus, silu, gelu, exp, sinh, cosh, sin,
   cos, arctan, erf (and logistic, swish), or "polynomial" with coeffs
   "c0,...,cK".  0 or GENRANK_EINVAL listing the names. */
int genrank_activation_parse(genrank_activation_t act, const char *name,
                             const char *coeffs, genrank_err_t *err);
void genrank_activation_clear(genrank_activation_t act);
const char *genrank_activation_names(void);

typedef struct {
    slong width;         /* certify this m0; 0: search for the smallest */
    slong max_width;     /* search: the largest width tried (0: start + max(8,
                            start / 4), or 2 start + 8 for ReLU) */
    slong trials;        /* points tried at a fixed width (default 3) */
    uint64_t seed;
    int method;          /* GENRANK_METHOD_* for the elimination mod p */
    int route;           /* GENRANK_ROUTE_* for a named psi' */
    slong max_prec;      /* ball route */
    int progress;        /* one line per width on stderr */
    const genrank_point_struct *weights; /* given weights (genrank_weights_read):
                            the point W0 = A / qa, b0 = b / qb, v0 = 1, of
                            width m0 = its m, instead of random ones; NULL:
                            random */
} genrank_capacity_opts_t;

void genrank_capacity_opts_init(genrank_capacity_opts_t *opts);

typedef struct {
    slong n, d, data_rank;
    slong route_min;     /* below this width the W-Jacobian has rank < n at
                            every point: the largest of ceil(n / rank X),
                            obs_width, and the least m with
                            sum_l min(m, s_l) >= n, s_l the number of points
                            whose feature l is nonzero */
    int support_impossible; /* sum_l s_l < n: no width (cannot happen without
                            zero points) */
    slong support_width; /* the least m with sum_l min(m, s_l) >= n (0: none) */
    slong obs_width;     /* ceil(|T| / rank X_T) for the set T below: the
                            W-Jacobian's rank is at most n - |T| + m rank X_T */
    slong obs_rank, obs_count;
    slong *obs_points;   /* T (indices into the data), owned */
    slong nec_sard;      /* Theorem 5.4: m (d + 2) >= n, i.e. ceil(n/(d+2)) */
    slong nec_rank;      /* the same with d replaced by rank X */
    int poly_degree;     /* POLY: K, else -1 */
    slong nec_poly;      /* POLY: ceil((n + 1 - C(K + r, r)) / 2), or 0: every
                            output is a polynomial of degree <= K, so the full
                            Jacobian has rank <= 2m + C(K + r, r) - 1 (this
                            corrects Theorem 5.4's polynomial clause, which
                            ignores the bias; doc/capacity.md) */
    int poly_no_width;   /* POLY: C(K + r, r) < n, no width fits every label */
    int poly_no_route;   /* POLY: C(K + r, r) - 1 < n, this route cannot certify */
    slong width;         /* the certified m0 (0 when none) */
    slong rank;          /* rank certified at the best point tried */
    slong best_width;    /* the width of that point */
    slong tried_from, tried_to;
    /* the witness at the best point: the instance (A = [2w | bias],
       B = [N | 1] with N = D x, kr = d), W0, b0 (v0 = 1) */
    genrank_instance_t inst;
    int have_inst;
    fmpz_t D;            /* common denominator of the data */
    fmpq *W0, *b0;       /* width*d and width exact entries */
    int route;           /* GENRANK_ROUTE_EXACT (also POLY, RELU) or _BALL */
    ulong prime, det;    /* det: of the minor of v0 psi'(W0^T X + b0) (.) X */
    slong precision;
    char *ball_det;
    slong *rows, *cols;
    double seconds;
} genrank_capacity_struct;
typedef genrank_capacity_struct genrank_capacity_t[1];

/* For psi of degree K on points spanning r dimensions: the necessary
   width ceil((n + 1 - C(K + r, r)) / 2) (0 when not positive); *no_width
   when C(K + r, r) < n (no width fits every label); *no_route when
   C(K + r, r) - 1 < n (no W-Jacobian reaches rank n). */
slong genrank_capacity_poly_width(int *no_width, int *no_route, slong n, slong K, slong r);

void genrank_capacity_init(genrank_capacity_t cap);
void genrank_capacity_clear(genrank_capacity_t cap);

/* Certifies that the W-Jacobian transpose diag(v0) psi'(W0^T X + b0 1^T)
   (.) X (md x n) has rank n at a chosen rational point, at opts->width,
   or at the smallest width it can reach from ceil(n / rank X) up.
   Returns 0 (also when no width reached rank n: cap->width is then 0),
   or an error. */
int genrank_capacity(genrank_capacity_t cap, const genrank_data_t data,
                     const genrank_activation_t act,
                     const genrank_capacity_opts_t *opts, genrank_err_t *err);

/* Writes a capacity certificate (doc/certificate-format.md, section 10):
   the data inline, or by file path and SHA-256 when data_path is not NULL
   (with the reading options, so the verifier can re-read it). */
int genrank_capacity_write(const genrank_capacity_t cap, const genrank_data_t data,
                           const genrank_activation_t act, const char *data_path,
                           const genrank_data_opts_t *dopts, const char *path,
                           genrank_err_t *err);

/* ------------------------------------------------------------------ */
/* Matrix-exponential networks (genrank matexp, doc/matexp.md)          */

/* f(X) = W_L exp(W_{L-1} exp(... exp(W_1 X))) on d x d complex matrices:
   L weight matrices, L - 1 exponentials (L = 1: f(X) = W_1 X). */

#define GENRANK_MATEXP_SOLVE_DMAX 64   /* matexp solve: d <= this */
#define GENRANK_MATEXP_DMAX 8          /* matexp capacity: d, L, n <= these */
#define GENRANK_MATEXP_LMAX 16
#define GENRANK_MATEXP_NMAX 16
#define GENRANK_MATEXP_ORDER_MAX 512   /* and min(L, n) d^2 <= this */

/* Theorem 1's data: X_1, X_2, Y_1, Y_2 over Q(i), each d x d, row-major;
   re[k], im[k] for k = 0..3 in that order. */
typedef struct {
    slong d;
    fmpq *re[4], *im[4];
} genrank_matexp_data_struct;
typedef genrank_matexp_data_struct genrank_matexp_data_t[1];

void genrank_matexp_data_init(genrank_matexp_data_t data);
void genrank_matexp_data_clear(genrank_matexp_data_t data);
/* Reads {"X1": .., "X2": .., "Y1": .., "Y2": ..} (each d arrays of d
   entries: an integer, a decimal or p/q string, a JSON number (the
   shortest decimal giving the same double), or [re, im] of those);
   d <= GENRANK_MATEXP_SOLVE_DMAX.  0, GENRANK_EINVAL naming what is wrong,
   or GENRANK_EIO. */
int genrank_matexp_data_parse(genrank_matexp_data_t data, const char *text, size_t len,
                              genrank_err_t *err);
int genrank_matexp_data_read(genrank_matexp_data_t data, const char *path, genrank_err_t *err);

/* Theorem 1's weights for data and alpha, in balls (acb_mat_t d x d). */
typedef struct {
    slong d, prec;          /* the precision the answer was reached at */
    fmpq_t alpha;
    acb_mat_struct W[3];    /* W_1, W_2, W_3 */
    int certified;          /* f(X_1), f(X_2) (evaluated in balls from the
                               weights' balls) contain Y_1, Y_2 exactly */
    double radius;          /* the largest radius of an entry (real or
                               imaginary part) of f(X_1), f(X_2): an upper
                               bound */
    double weight_radius;   /* the same over W_1, W_2, W_3 */
    int scalar;             /* alpha Y_1^-1 Y_2 is a scalar matrix (then Z
                               = log(c) I), else Z by eigen-decomposition */
    slong negative;         /* eigenvalues with negative real part (the
                               branch log(-l) + i pi was taken) */
    double seconds;
} genrank_matexp_solution_struct;
typedef genrank_matexp_solution_struct genrank_matexp_solution_t[1];

void genrank_matexp_solution_init(genrank_matexp_solution_t sol);
void genrank_matexp_solution_clear(genrank_matexp_solution_t sol);
/* Checks the hypotheses exactly (alpha > 0, alpha != 1; det(X_1 - X_2),
   det Y_1, det Y_2 nonzero over Q(i)) and computes W_1, W_2, W_3 (eq. 12)
   at rising precision from 128 bits up to max_prec (0: 4096) until f(X_1),
   f(X_2) contain Y_1, Y_2 with every radius below 2^-64 max(1, |Y|).
   GENRANK_EINVAL names a failed hypothesis, or says that the eigenvalues
   of alpha Y_1^-1 Y_2 could not be certified simple. */
int genrank_matexp_solve(genrank_matexp_solution_t sol, const genrank_matexp_data_t data,
                         const fmpq_t alpha, slong max_prec, genrank_err_t *err);
/* The weights as JSON (doc/matexp.md): midpoints and radii. */
int genrank_matexp_solution_write(const genrank_matexp_solution_t sol, const char *path,
                                  genrank_err_t *err);

/* The Frechet derivative of exp at M in the direction E, by the block
   identity exp([[M (x) I, I], [0, I (x) M^T]]) on row-major vec (the one
   d^2 x d^2 matrix K(M) with vec L(M, E) = K(M) vec E): L = L(M, E). */
void genrank_matexp_frechet(acb_mat_t L, const acb_mat_t M, const acb_mat_t E, slong prec);

/* The capacity question: the rank of the Jacobian of
   (W_1, ..., W_L) -> (f(X_1), ..., f(X_n)), n d^2 x L d^2, at a random
   point over Q(i). */
typedef struct {
    slong d, layers, n;
    uint64_t seed;
    int complex_point;      /* imaginary parts drawn too (else 0) */
    slong prec;             /* working precision (0: 128) */
} genrank_matexp_spec_t;

void genrank_matexp_spec_init(genrank_matexp_spec_t *spec);

typedef struct {
    genrank_matexp_spec_t spec;
    fmpq *re, *im;          /* the point: W_1..W_L then X_1..X_n, d^2 each */
    slong rank;             /* certified: a nonzero rank x rank minor */
    slong numerical_rank;   /* the largest rank an elimination found
                               (evidence, not a proof) */
    int ball_elimination;   /* the minor was chosen by the elimination in
                               balls (doubles fell short of the bound) */
    slong bound;            /* min(L, n) d^2 */
    slong *rows, *cols;     /* the minor (rank each, increasing) */
    slong prec;             /* the precision of its determinant */
    char det_re[48], det_im[48];  /* its midpoint, 25 digits */
    char det_rad[32];       /* an upper bound on the distance of each part
                               of the determinant to that midpoint */
    double seconds;
} genrank_matexp_cap_struct;
typedef genrank_matexp_cap_struct genrank_matexp_cap_t[1];

void genrank_matexp_cap_init(genrank_matexp_cap_t cap);
void genrank_matexp_cap_clear(genrank_matexp_cap_t cap);
/* Sizes: 1 <= d <= GENRANK_MATEXP_DMAX, 1 <= L <= GENRANK_MATEXP_LMAX,
   1 <= n <= GENRANK_MATEXP_NMAX, min(L, n) d^2 <= GENRANK_MATEXP_ORDER_MAX,
   memory checked first.  A minor is chosen by Gaussian elimination on the
   midpoints in complex doubles and proved by its determinant in balls at
   the working precision (the largest proved leading minor of the pivots,
   by bisection); when that falls short of min(L, n) d^2 and the Jacobian
   is small enough (rows x columns x bound <= 3e8), by an elimination on
   the midpoints in complex balls at 1, 2, 4 and 8 times the precision.  Row k d^2 + a d + b
   is entry (a, b) of f(X_{k+1}); column (j-1) d^2 + a d + b is entry
   (a, b) of W_j.  0, GENRANK_EINVAL or GENRANK_ENOMEM. */
int genrank_matexp_capacity(genrank_matexp_cap_t cap, const genrank_matexp_spec_t *spec,
                            genrank_err_t *err);
/* The "genrank-matexp" certificate (doc/certificate-format.md). */
int genrank_matexp_cert_write(const genrank_matexp_cap_t cap, const char *path,
                              genrank_err_t *err);


/* ------------------------------------------------------------------ */
/* Fully connected networks (genrank network, doc/networks.md)          */

/* F(x) = W_L s(... s(W_1 x + b_1) ...) + b_L, W_l of M_l x M_{l-1},
   M_0 = d, M_L = K, s the hidden layers' activation; squared loss
   1/2 sum_i |F(x_i) - y_i|^2.  Parameters in order: W_1 row-major, ...,
   W_L, then b_1, ..., b_L (with bias). */
enum { GENRANK_NET_LINEAR = 0, GENRANK_NET_RELU = 1, GENRANK_NET_POLY = 2,
       GENRANK_NET_NAMED = 3 };   /* NAMED: an analytic s (phi), by the ball route */
/* The objects: J (nK x P, row i K + k the output k at input i), H_o =
   J^T J, H_f = sum_i sum_k (F_k(x_i) - y_ik) grad^2 F_k(x_i), H_L = H_o + H_f. */
enum { GENRANK_NET_JACOBIAN = 0, GENRANK_NET_HOUTER = 1, GENRANK_NET_HFUNC = 2,
       GENRANK_NET_HLOSS = 3, GENRANK_NET_NOBJECTS = 4 };
#define GENRANK_NET_LMAX 32                  /* layers */
#define GENRANK_NET_WIDTH_MAX 100000         /* each width */
#define GENRANK_NET_PARAMS_MAX 200000        /* parameters */
#define GENRANK_NET_N_MAX 10000000           /* inputs */

typedef struct {
    slong L;                         /* weight matrices, 1..GENRANK_NET_LMAX */
    slong M[GENRANK_NET_LMAX + 1];   /* M[0] = d, ..., M[L] = K */
    int bias;                        /* b_1..b_L present */
    int act;                         /* GENRANK_NET_* */
    genrank_phi_t phi;               /* NAMED: s itself (tanh, sigmoid, ...) */
    fmpq *coeffs;                    /* POLY: s(z) = sum_k coeffs[k] z^k (owned) */
    slong len;
    slong n;                         /* inputs */
    slong P;                         /* parameters */
    slong nw;                        /* weights: sum_l M_l M_{l-1} */
    fmpq *W;                         /* nw entries: W_1 row-major, ..., W_L */
    fmpq *b;                         /* sum_l M_l entries (bias only) */
    fmpq *X, *Y;                     /* n x d inputs, n x K targets */
} genrank_net_struct;
typedef genrank_net_struct genrank_net_t[1];

void genrank_net_init(genrank_net_t net);
void genrank_net_clear(genrank_net_t net);
/* Sets the architecture (M[0..L]) and allocates a zero point for n
   inputs, sizes checked first.  0, GENRANK_EINVAL or GENRANK_ENOMEM. */
int genrank_net_setup(genrank_net_t net, slong L, const slong *M, int bias, slong n,
                      genrank_err_t *err);
/* Index of W_l's first entry in W (and in the parameters), l = 1..L; of
   b_l's first entry in b (parameter nw + that). */
slong genrank_net_woff(const genrank_net_t net, slong l);
slong genrank_net_boff(const genrank_net_t net, slong l);
/* Object names: "jacobian", "hessian-outer", "hessian-functional",
   "hessian-loss"; the index or -1. */
const char *genrank_net_object_name(int obj);
int genrank_net_object_parse(const char *s);
const char *genrank_net_act_name(int act);
/* The network's activation as certificates name it: "linear", "relu",
   "poly" or the named s ("tanh"). */
const char *genrank_net_activation(const genrank_net_t net);
/* The named activations genrank network certifies by the ball route:
   0 and *phi for "tanh", "sigmoid", "softplus", "silu", "gelu", "erf",
   "arctan", "sin", "cos", "exp", "sinh", "cosh"; else GENRANK_EINVAL. */
int genrank_net_named_parse(genrank_phi_t *phi, const char *s);
/* Those names, comma-separated (static). */
const char *genrank_net_named_list(void);

/* The point from a JSON file {"weights": L matrices, "biases": L arrays
   (optional), "inputs": n arrays of d numbers, "targets": n arrays of K
   numbers}; a number is a JSON integer, a string holding a decimal or
   p/q, or a JSON real (its shortest decimal).  Sets the architecture
   from the shapes (activation and coefficients are left as they are).
   0, GENRANK_EIO, GENRANK_EINVAL naming the field, GENRANK_ENOMEM. */
int genrank_net_read_point_file(genrank_net_t net, const char *path, genrank_err_t *err);

/* The exact forward pass at input i: z receives the hidden layers'
   pre-activations (M_1 + ... + M_{L-1} entries, layer by layer), out the
   K outputs.  z may be NULL. */
void genrank_net_forward(fmpq *z, fmpq *out, const genrank_net_t net, slong i);
/* ReLU: 0 when no hidden pre-activation is 0 at any input, else
   GENRANK_EINVAL naming the layer, neuron and input (1-based). */
int genrank_net_relu_check(const genrank_net_t net, genrank_err_t *err);

/* What the formulas need, computed exactly. */
typedef struct {
    slong r;        /* rank of the inputs (n x d) */
    slong rc;       /* rank of the centred inputs */
    slong s;        /* rank of sum_i (F(x_i) - y_i) x_i^T (K x d) */
    slong active;   /* ReLU: hidden neurons of layer 1 positive at some input */
} genrank_net_facts_t;
void genrank_net_facts(genrank_net_facts_t *f, const genrank_net_t net);

/* Seed 001's prediction for an object, and the best upper bound proved
   for every point (doc/networks.md). */
typedef struct {
    slong predicted;      /* -1: none for this regime */
    char status[16];      /* "proved", "upper bound", "empirical", "none" */
    char source[160];
    slong bound;          /* an upper bound valid at every point */
    char bound_source[160];
} genrank_net_prediction_t;
void genrank_net_predict(genrank_net_prediction_t *pr, const genrank_net_t net,
                         const genrank_net_facts_t *f, int obj);

/* One certified object: rank >= rank over Q by a nonzero minor modulo p
   (prime > 0), or over R by a nonzero minor in ball arithmetic at
   precision prec (prime = 0; det_str its determinant's midpoint). */
typedef struct {
    int obj;
    slong nrows, ncols;
    slong rank;
    slong *rows, *cols;   /* owned, rank entries each */
    ulong prime, det;
    slong prec;           /* ball route */
    char *det_str;        /* ball route, owned */
    double seconds;
} genrank_net_result_t;
void genrank_net_result_clear(genrank_net_result_t *res);

/* Draws a point: weights, biases, targets uniform integers in
   [-range, range]; inputs too, or (input_rank in [1, d)) a product of
   random n x r and r x d integer matrices.  ReLU: drawn again (at most
   64 times) while a pre-activation is 0.  0 or an error. */
int genrank_net_random_point(genrank_net_t net, uint64_t seed, slong range, slong input_rank,
                             genrank_err_t *err);
/* A prime for the point (20 bits, dividing no denominator). */
ulong genrank_net_prime(const genrank_net_t net, genrank_rng_t *rng);
/* The object's matrix modulo p into A (row-major, nrows x ncols with
   lda = ncols, centred residues as doubles): J by backpropagated blocks,
   H_o = J^T J, H_f from the closed-form second derivatives.  p below
   2^24 and dividing no denominator; ReLU checked.  0 or GENRANK_ENOMEM. */
int genrank_net_matrix_d(double *A, const genrank_net_t net, int obj, ulong p,
                         genrank_err_t *err);
/* Certifies a lower bound on the object's rank over Q: the matrix modulo
   p, its rank with a witness minor.  0 or an error. */
int genrank_net_certify(genrank_net_result_t *res, const genrank_net_t net, int obj, ulong p,
                        genrank_err_t *err);
/* The ball route for a named activation (prove/network_ball.c): the
   object in Arb ball arithmetic at the real point, eliminated with
   complete pivoting at precision 64, 128, ... up to max_prec (stopping
   once the rank reaches bound, an upper bound proved for every point, or
   the search stalls); the minor on the pivots confirmed by arb_mat_det.  0, GENRANK_ENOMEM (too large
   for dense ball arithmetic here) or GENRANK_EINVAL (no precision up to
   max_prec gives a determinant excluding 0). */
int genrank_net_certify_ball(genrank_net_result_t *res, const genrank_net_t net, int obj,
                             slong bound, slong max_prec, genrank_err_t *err);
/* The object's floating-point rank, the usual way: the point rounded to
   doubles, the matrix in double arithmetic (tangents for J, forward over
   reverse for the Hessians), LAPACK's dgesdd and numpy's tolerance
   smax * max(rows, cols) * 2^-52.  0, -1 (built without LAPACK) , -2 (an
   entry not finite) or -3 (too large for a dense SVD here). */
int genrank_net_float_rank(slong *rank, double *smax, double *smin, const genrank_net_t net,
                           int obj);
/* The "genrank-network" certificate (doc/certificate-format.md). */
int genrank_net_cert_write(const genrank_net_result_t *res, const genrank_net_t net,
                           const genrank_net_prediction_t *pr, const char *path,
                           genrank_err_t *err);

#ifdef __cplusplus
}
#endif

#endif /* GENRANK_H */
