/* Internal declarations of core/, shared by the prover (internal.h) and
   the checker (check/check.h): both build on core/ and on nothing else
   of each other's. */
#ifndef GENRANK_CORE_H
#define GENRANK_CORE_H
#include <arb.h>
#include <acb_mat.h>
#include <jansson.h>
#include "genrank.h"

/* u = a_i . b_j exactly (rows i of A and j of B; core/instance.c). */
void _genrank_inner(fmpz_t u, const genrank_instance_t inst, slong i, slong j);

/* bytes of memory for a large matrix (core/bigmem.c): from 64 MiB up,
   mapped in huge pages where allowed and touched by every core (the
   contents are zero); below, flint_malloc.  Free with _genrank_big_free
   and the same size. */
void *_genrank_big_alloc(size_t bytes);
void _genrank_big_free(void *p, size_t bytes);

/* Monotonic wall-clock seconds (core/util.c). */
double _genrank_seconds(void);
/* bytes as "1.50 GiB", "320.0 MiB" or "12 KiB" in buf; returns buf. */
char *_genrank_bytes_str(char buf[32], double bytes);

/* A named phi's value in ball arithmetic at precision prec (core/phi.c;
   shared by the ball route's prover and the checker: it is phi's
   definition). */
void _genrank_phi_arb(arb_t y, genrank_phi_t phi, const arb_t x, slong prec);

/* r x c zero entries for a matrix read from len bytes, after checking the
   size against memory and against what the text justifies
   (core/matrix.c); and the .npy reader (core/npy.c). */
int _genrank_matrix_alloc(genrank_matrix_t M, slong r, slong c, size_t len, genrank_err_t *err);
int _genrank_matrix_parse_npy(genrank_matrix_t M, const unsigned char *text, size_t len, int floats,
                              genrank_err_t *err);

/* One line of rationals (len entries stride apart from x) as integers:
   den = the lcm of their denominators, out[k] = x[k stride] den. */
void _genrank_qline_integers(fmpz *out, fmpz_t den, const fmpq *x, slong len, slong stride);
/* An upper bound on the bytes of that line's integers (the lcm bounded
   by the product of the denominators), to check before forming them. */
double _genrank_qline_bytes(const fmpq *x, slong len, slong stride);

/* The probabilistic upper bound on a matrix's rank (core/hashprime.c):
   the digest of the matrix's canonical text, the primes drawn from it
   (from *counter on), and the error bits of t such primes for rank r. */
void _genrank_qmat_digest(uint8_t dig[32], const fmpq *x, slong r, slong c);
ulong _genrank_hash_prime(const uint8_t dig[32], uint64_t *counter, const fmpq *x, slong r, slong c);
slong _genrank_hash_error_bits(double *minor_bits, slong *divisors, slong *excluded,
                               const fmpq *x, slong r, slong c, slong rank, slong t);
/* The fast check's challenge (core/challenge.c): the members of a rank
   certificate its digest covers (NULL-terminated); the SHA-256 digest of
   those members of root present, as compact JSON with sorted keys (0, or
   -1 when root is not an object); the number k of vectors for prime p
   (the least k with p^k >= 2^GENRANK_FAST_BITS) and the bits of p^k (the
   largest B with 2^B <= p^k); the k x r challenge residues. */
const char *const *_genrank_rank_statement_keys(void);
int _genrank_statement_digest(uint8_t dig[32], const json_t *root, const char *const *keys);
slong _genrank_challenge_count(ulong p);
slong _genrank_challenge_bits(ulong p, slong k);
void _genrank_challenge(ulong *C, slong k, slong r, ulong p, const uint8_t dig[32]);

/* Numbers of Q(i) (core/gauss.c): an integer, a decimal or p/q string, a
   JSON number with a fraction or exponent (the shortest decimal giving
   the same double), or [re, im] of those.  0 or GENRANK_EINVAL (no
   message). */
int _genrank_json_gauss(fmpq_t re, fmpq_t im, const json_t *v);
/* A d x d matrix of such entries into re, im (row-major): 0 or
   GENRANK_EINVAL naming the entry. */
int _genrank_json_gauss_matrix(fmpq *re, fmpq *im, const json_t *a, slong d, const char *name,
                               genrank_err_t *err);
/* A from re + i im (row-major, A's shape), each part rounded to prec. */
void _genrank_acb_mat_set_gauss(acb_mat_t A, const fmpq *re, const fmpq *im, slong prec);

/* When the rows' largest midpoints span more than 2^min_spread (0:
   always), scales the rows, then the columns, of M by powers of two so
   that each one's largest midpoint lies in [1/2, 1) (core/network.c) and
   returns 1: exact, so every minor is multiplied by a power of two; e
   (unless NULL) += the sum of the exponents divided out (det M =
   det(scaled M) 2^e for square M).  Ball elimination and arb_mat_det
   behave better on a matrix whose entries span hundreds of orders of
   magnitude once it is equilibrated. */
int _genrank_arb_mat_equilibrate(fmpz_t e, arb_mat_t M, slong min_spread);
/* det M (M destroyed) by arb_mat_det at prec after equilibrating M. */
void _genrank_arb_mat_det_scaled(arb_t det, arb_mat_t M, slong prec);

/* A network's point in balls at prec (core/network.c; the ball route's
   prover and checker read it so, and derive nothing from it here): W[l]
   = W_l for l = 1..L, the biases, inputs (n x d) and targets (n x K). */
typedef struct {
    arb_mat_struct W[GENRANK_NET_LMAX + 1];
    arb_ptr b, X, Y;
} _genrank_net_ball_point_t;
void _genrank_net_ball_point_init(_genrank_net_ball_point_t *B, const genrank_net_t net, slong prec);
void _genrank_net_ball_point_clear(_genrank_net_ball_point_t *B, const genrank_net_t net);

/* The SHA-256 of a point recorded by its seed (core/challenge.c;
   doc/certificate-format.md section 2.1): A's na entries, then B's nb,
   each in decimal followed by a newline, as 64 lower-case hex digits and
   a NUL in hex. */
void _genrank_point_digest(char hex[65], const fmpz *A, slong na, const fmpz *B, slong nb);

/* A network's point from a JSON object (core/network.c; the fields of
   genrank_net_read_point_file); where names the source in messages. */
int _genrank_net_read_point(genrank_net_t net, const json_t *root, const char *where,
                            genrank_err_t *err);

#endif
