/*
 * genrank-check.h -- the certificate checker (libgenrank-check).
 *
 * The checker is a library of its own, built from src/check/ and the
 * parts of src/core/ it needs (parsers, formulas, activation definitions,
 * the data reader).  It never links the prover: no matrix builder,
 * elimination kernel, trial loop or certificate writer of libgenrank is
 * in it, and tests/t-link-guard.sh fails the build's tests if one of its
 * objects refers to one.  Link with -lgenrank-check (pkg-config
 * genrank-check); libgenrank, the prover, depends on it.
 *
 * Conventions as in genrank.h: functions return 0 or a GENRANK_E* code
 * with a one-line message in the genrank_err_t they were given.
 */
#ifndef GENRANK_CHECK_H
#define GENRANK_CHECK_H

#include <flint/flint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GENRANK_VERSION "0.1.0"

/* ------------------------------------------------------------------ */
/* Errors                                                              */

enum {
    GENRANK_OK = 0,
    GENRANK_EINVAL = 1,   /* bad argument (size, syntax, prime, ...) */
    GENRANK_ENOMEM = 2,   /* would not fit in memory (refused before allocating) */
    GENRANK_EIO = 3,      /* file could not be read or written */
    GENRANK_EFORMAT = 4,  /* input file is not a well-formed certificate */
    GENRANK_EINVALID = 5  /* certificate well-formed but a check failed */
};

typedef struct {
    int code;
    char msg[512];
} genrank_err_t;

/* Sets err (if not NULL) to code and a printf-style message; returns code. */
int genrank_err_set(genrank_err_t *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ------------------------------------------------------------------ */
/* Verifying                                                           */

typedef struct {
    char family[16];
    slong m, d, n, rank;
    char predicted[64];  /* decimal */
    char prime[24];      /* decimal */
    slong kruskal_rank;  /* certified Kruskal rank, or -1 when absent */
    slong evidence_trials;   /* a rank below the prediction: the trials the
                                evidence reports (0 when there is none) */
    double probability_bound; /* its bound, recomputed (1: none claimed) */
    char phi[16];        /* named phi, or "" for a polynomial */
    char route[8];       /* "exact" or "ball" for a named phi, else "" */
    slong precision;     /* ball route: bits */
    char theorem[16];    /* the theorem "predicted" comes from */
    char corrected[64];  /* the exact generic rank a theorem gives (decimal), or "" */
    char corrected_source[128]; /* that theorem */
    /* capacity certificates (capacity = 1) */
    int capacity;
    char activation[16];
    slong width;         /* m0: the W-Jacobian has rank n at width m0 */
    slong necessary;     /* the largest necessary width the certificate states
                            (Theorem 5.4, with rank X, polynomial degree) */
    char necessary_source[160]; /* the argument that gives it */
    char data_file[256]; /* the data file read (data by reference), else "" */
    slong route_min;     /* the certificate's proved lower bound on widths at
                            which the W-Jacobian can have rank n (0: none) */
    /* matrix-rank certificates (matrix = 1): m x n is the matrix's shape,
       rank its certified rank, and corrected / corrected_source are set
       when the rank is exact (the kernel basis that proves it) */
    int matrix;
    char status[64];     /* matrix: "lower bound", "exact", or "exact with
                            probability >= 1 - 2^-B" (recomputed) */
    int point_given;     /* rank certificates: the point was given by the
                            user ("generator": {"name": "given"}): no
                            evidence, the rank is that of the matrix there */
    /* matrix-exponential certificates (matexp = 1): m is the number of
       layers, d and n the sizes, rank the certified rank of the n d^2 x
       m d^2 Jacobian, predicted its bound min(m, n) d^2, corrected set
       when the rank meets it */
    int matexp;
    /* the fast section (rank certificates): fast_k vectors, 0 when the
       certificate has none; fast_used 1 when the witness minor's
       nonsingularity was taken from it (opts->fast) rather than from its
       determinant; then fast_bits is B, the error bound being 2^-B per
       SHA-256 evaluation a forger makes (doc/theory.md section 2.1) */
    slong fast_k, fast_bits;
    int fast_used;
    /* network certificates (network = 1): m layers, d inputs' dimension,
       n inputs, rank of the object, predicted / theorem (its status) seed
       001's prediction, corrected / corrected_source the proved bound
       when the rank meets it, activation, object */
    int network;
    char object[24];
} genrank_verify_info_t;

/* Where a verification may read and how much it may spend
   (genrank_verify_opts_init sets the defaults). */
typedef struct {
    const char *data_dir;  /* a capacity certificate's data file (a relative
                              path without "..") is looked up in this
                              directory and must lie inside it, symbolic links
                              resolved; NULL: the certificate's own directory
                              (the current directory for a string) */
    slong max_prec;        /* ball route: the highest precision accepted, in
                              bits (default GENRANK_VERIFY_MAX_PREC, at most
                              2^24) */
    double max_memory;     /* bytes the checker may use; 0: the memory
                              available */
    int fast;              /* 1: the witness minor's nonsingularity from the
                              certificate's "fast" section (O(k r^2), an
                              error probability) instead of its determinant
                              (O(r^3), a proof); default 0 */
} genrank_verify_opts_t;

#define GENRANK_VERIFY_MAX_PREC 65536

/* A matrix's probabilistic upper bound (doc/certificate-format.md,
   section 11.5): the prover draws the fewest primes whose error bound is
   at most 2^-GENRANK_HASH_TARGET_BITS; a certificate holds at most
   GENRANK_HASH_MAX_PRIMES. */
#define GENRANK_HASH_TARGET_BITS 100
#define GENRANK_HASH_MAX_PRIMES 64

/* The fast check (doc/certificate-format.md section 3.2): a rank
   certificate's "fast" section holds k vectors with p^k >= 2^GENRANK_FAST_BITS. */
#define GENRANK_FAST_BITS 128

void genrank_verify_opts_init(genrank_verify_opts_t *opts);

/* Reads a certificate and re-derives its witness minor from the recorded
   instance alone: inner products of the reduced rows, the polynomial
   evaluated modulo p, and the determinant (for p < 2^24 and order >= 64
   by dgemm and the verifier's own blocked LU, else _nmod_vec_dot and
   FLINT's nmod_mat_det).  Shares no matrix-building or elimination code
   with the prover.
   Returns 0 when valid; GENRANK_EIO when unreadable (or a directory);
   GENRANK_EFORMAT when it is not a well-formed version-1 certificate;
   GENRANK_EINVALID when a check fails; GENRANK_ENOMEM when the minor
   would not fit in memory.  err names the failed check.  info (may be NULL)
   receives a summary when the return value is 0. */
int genrank_verify_file(const char *path, genrank_verify_info_t *info,
                        genrank_err_t *err);

/* The same on a NUL-terminated JSON text. */
int genrank_verify_string(const char *json, genrank_verify_info_t *info,
                          genrank_err_t *err);

/* The same within the places and limits of opts (NULL: the defaults);
   a limit exceeded (memory, including the JSON tree's, estimated from the
   text's length, or precision) gives GENRANK_ENOMEM with a message naming
   it; a data file outside the data directory gives GENRANK_EIO. */
int genrank_verify_file_opts(const char *path, const genrank_verify_opts_t *opts,
                             genrank_verify_info_t *info, genrank_err_t *err);
int genrank_verify_string_opts(const char *json, const genrank_verify_opts_t *opts,
                               genrank_verify_info_t *info, genrank_err_t *err);

/* The fraction of the running BLAS determinant of a witness minor done
   (by operations, 0 to 1), or -1 when none runs; safe to call from
   another thread (genrank verify's progress lines read it). */
double genrank_check_progress(void);

#ifdef __cplusplus
}
#endif

#endif /* GENRANK_CHECK_H */
