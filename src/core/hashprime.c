/* The probabilistic upper bound on a matrix's rank (genrank rank --exact,
   doc/certificate-format.md section 11.5, doc/theory.md section 10): the
   rank modulo primes that neither the prover nor the checker chooses,
   drawn from the SHA-256 digest of the matrix's canonical text, and the
   error bound that follows from Hadamard's bound on the (r+1)-minors.
   Both sides compute the same digest, primes and bound from these
   definitions; the ranks modulo the primes are computed separately. */
#include <math.h>
#include <string.h>
#include <nettle/sha2.h>
#include <flint/ulong_extras.h>
#include <flint/fmpz_vec.h>
#include "core.h"

/* The digest of "genrank-matrix-digest 1\n", "ROWS COLS\n", then each
   entry in row-major order as its canonical decimal text (an integer, or
   num/den in lowest terms with den > 1) followed by "\n". */
void
_genrank_qmat_digest(uint8_t dig[32], const fmpq *x, slong r, slong c)
{
    struct sha256_ctx ctx;
    char head[64];
    char *buf = NULL;
    size_t cap = 0;
    slong i;
    sha256_init(&ctx);
    snprintf(head, sizeof head, "genrank-matrix-digest 1\n%ld %ld\n", (long) r, (long) c);
    sha256_update(&ctx, strlen(head), (const uint8_t *) head);
    for (i = 0; i < r * c; i++)
    {
        size_t need = fmpz_sizeinbase(fmpq_numref(x + i), 10)
                      + fmpz_sizeinbase(fmpq_denref(x + i), 10) + 4, len;
        if (need > cap)
        {
            cap = FLINT_MAX(need, 2 * cap);
            buf = flint_realloc(buf, cap);
        }
        fmpz_get_str(buf, 10, fmpq_numref(x + i));
        len = strlen(buf);
        if (!fmpz_is_one(fmpq_denref(x + i)))
        {
            buf[len++] = '/';
            fmpz_get_str(buf + len, 10, fmpq_denref(x + i));
            len += strlen(buf + len);
        }
        buf[len++] = '\n';
        sha256_update(&ctx, len, (const uint8_t *) buf);
    }
    flint_free(buf);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, dig);
}

/* 1 when p divides the denominator of some entry. */
static int
divides_a_denominator(ulong p, const fmpq *x, slong len)
{
    slong i;
    for (i = 0; i < len; i++)
        if (!fmpz_is_one(fmpq_denref(x + i)) && fmpz_fdiv_ui(fmpq_denref(x + i), p) == 0)
            return 1;
    return 0;
}

/* Candidate k is 2^61 + (w mod 2^61), w the first 8 bytes (big-endian) of
   SHA-256(dig || k as 8 bytes big-endian); it is taken when it is prime
   (n_is_prime: deterministic below 2^64) and divides no denominator.
   Starting from *counter, returns the next prime taken and leaves
   *counter just past it. */
ulong
_genrank_hash_prime(const uint8_t dig[32], uint64_t *counter, const fmpq *x, slong r, slong c)
{
    for (;;)
    {
        struct sha256_ctx ctx;
        uint8_t in[40], out[32];
        uint64_t k = (*counter)++, w = 0;
        int b;
        ulong p;
        memcpy(in, dig, 32);
        for (b = 0; b < 8; b++)
            in[32 + b] = (uint8_t) (k >> (56 - 8 * b));
        sha256_init(&ctx);
        sha256_update(&ctx, sizeof in, in);
        sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
        for (b = 0; b < 8; b++)
            w = (w << 8) | out[b];
        p = (UWORD(1) << 61) + (w & ((UWORD(1) << 61) - 1));
        if (n_is_prime(p) && !divides_a_denominator(p, x, r * c))
            return p;
    }
}

static int
cmp_slong_desc(const void *a, const void *b)
{
    slong x = *(const slong *) a, y = *(const slong *) b;
    return (x < y) - (x > y);
}

/* A line's lcm of denominators above this many bits is not formed: the
   line's bound then uses the product of its denominators instead, so
   that a line of many distinct large denominators costs no more than
   its text. */
#define LCM_BITS_MAX 4096

/* An upper bound on bits(s), s the sum of the squares of a line of nb
   rationals x[0], x[stride], ... scaled to integers by the lcm L of its
   denominators.  When L has at most LCM_BITS_MAX bits, s is computed
   exactly.  Otherwise, with log2 L < sum of bits(den) over the line and
   |x_b| < 2^(bits(num_b) - bits(den_b) + 1), s < L^2 nb 2^E with E the
   largest 2 (bits(num_b) - bits(den_b) + 1), so bits(s) <=
   2 sum bits(den) + E + bits(nb). */
static slong
line_bits2(fmpz *z, const fmpq *x, slong nb, slong stride)
{
    slong b, dsum = 0, E = WORD_MIN;
    fmpz_t L, s;
    fmpz_init_set_ui(L, 1);
    for (b = 0; b < nb && fmpz_bits(L) <= LCM_BITS_MAX; b++)
        fmpz_lcm(L, L, fmpq_denref(x + b * stride));
    if (fmpz_bits(L) <= LCM_BITS_MAX)
    {
        fmpz_init(s);
        _genrank_qline_integers(z, L, x, nb, stride);
        _fmpz_vec_dot(s, z, z, nb);
        b = fmpz_bits(s);
        fmpz_clear(s);
        fmpz_clear(L);
        return b;
    }
    fmpz_clear(L);
    for (b = 0; b < nb; b++)
    {
        const fmpq *e = x + b * stride;
        if (!fmpz_is_one(fmpq_denref(e)))
            dsum += fmpz_bits(fmpq_denref(e));
        if (!fmpz_is_zero(fmpq_numref(e)))
            E = FLINT_MAX(E, 2 * ((slong) fmpz_bits(fmpq_numref(e)) - (slong) fmpz_bits(fmpq_denref(e)) + 1));
    }
    return E == WORD_MIN ? 0 : FLINT_MAX(0, 2 * dsum + E + (slong) FLINT_BIT_COUNT(nb));
}

/* Twice log2 of Hadamard's bound on the (k x k)-minors of M scaled to
   integers along lines (rows when rows = 1, else columns), each line
   times the lcm of its denominators: the sum of the k largest bounds on
   bits(sum of the squares of a line) (line_bits2), since a minor is at
   most the product of its lines' norms and sqrt(s) < 2^(bits(s)/2). */
static slong
hadamard_bits2(const fmpq *x, slong r, slong c, slong k, int rows)
{
    slong na = rows ? r : c, nb = rows ? c : r, a, sum = 0;
    slong *bits = flint_malloc(na * sizeof(slong));
    fmpz *z = _fmpz_vec_init(nb);
    fmpz_t den, s;
    fmpz_init(den);
    fmpz_init(s);
    for (a = 0; a < na; a++)
        bits[a] = line_bits2(z, x + (rows ? a * c : a), nb, rows ? 1 : c);
    qsort(bits, na, sizeof(slong), cmp_slong_desc);
    for (a = 0; a < k && a < na; a++)
        sum += bits[a];
    flint_free(bits);
    fmpz_clear(s);
    _fmpz_vec_clear(z, nb);
    fmpz_clear(den);
    return sum;
}

/* The bound for rank r (< min(r, c)) and t primes.  *minor_bits = an
   upper bound on log2 |D| for every (r+1)-minor D of M scaled to
   integers; *divisors = K = floor(minor_bits / 61), the most primes in
   [2^61, 2^62) a nonzero such D can have; *excluded = the most such
   primes any denominator can have.  Returns the error bits B: the
   probability that rank M > r although rank M mod p_i <= r for t primes
   drawn uniformly from the primes in [2^61, 2^62) that divide no
   denominator is at most (K / (2^55 - excluded))^t <= 2^-B; or -1 when K
   = 0 (no such prime divides a nonzero (r+1)-minor: the bound is then a
   proof), or -2 when too many primes are excluded to say anything.
   There are more than 2^55 primes in [2^61, 2^62) (doc/theory.md,
   section 10). */
slong
_genrank_hash_error_bits(double *minor_bits, slong *divisors, slong *excluded,
                         const fmpq *x, slong r, slong c, slong rank, slong t)
{
    slong br = hadamard_bits2(x, r, c, rank + 1, 1), bc = hadamard_bits2(x, r, c, rank + 1, 0);
    slong b2 = FLINT_MIN(br, bc), i, ex = 0;
    double per;
    for (i = 0; i < r * c; i++)
        if (!fmpz_is_one(fmpq_denref(x + i)))
            ex += fmpz_bits(fmpq_denref(x + i)) / 61;
    *minor_bits = 0.5 * (double) b2;
    *divisors = b2 / 122;
    *excluded = ex;
    if (*divisors == 0)
        return -1;
    if (ex >= (WORD(1) << 54))
        return -2;
    /* log2 of the primes left, less a margin for rounding */
    per = 55.0 + log2(1.0 - ldexp((double) ex, -55)) - log2((double) *divisors);
    return (slong) floor((double) t * per - 1e-6);
}
