/* The fast check's challenge (doc/certificate-format.md section 3.2,
   doc/theory.md section 2.1): k vectors C_1..C_k of residues modulo p
   derived by SHA-256 from a certificate's statement (Fiat-Shamir), so
   that neither side chooses them.  The prover solves X_j^T S = C_j^T for
   its witness minor S; the checker streams S's rows and checks the
   identities.  Both sides derive the same digest and vectors from these
   definitions; what each does with them is its own code. */
#include <string.h>
#include <nettle/sha2.h>
#include <flint/ulong_extras.h>
#include "core.h"

/* The members of a rank certificate that define its witness minor and
   its claim; the digest covers exactly these. */
static const char *const rank_statement_keys[] = {
    "format", "version", "family", "m", "d", "n", "coeffs", "phi", "q",
    "A", "B", "point_seed", "rank", "witness", NULL
};

const char *const *
_genrank_rank_statement_keys(void)
{
    return rank_statement_keys;
}

static int
sha_feed(const char *buf, size_t len, void *data)
{
    sha256_update((struct sha256_ctx *) data, len, (const uint8_t *) buf);
    return 0;
}

int
_genrank_statement_digest(uint8_t dig[32], const json_t *root, const char *const *keys)
{
    struct sha256_ctx ctx;
    json_t *st = json_object();
    const char *tag = "genrank-fast-statement 1\n";
    int rc = 0;
    slong i;
    if (st == NULL || !json_is_object(root))
    {
        json_decref(st);
        return -1;
    }
    for (i = 0; keys[i] != NULL && rc == 0; i++)
    {
        json_t *v = json_object_get(root, keys[i]);
        if (v != NULL)
            rc = json_object_set(st, keys[i], v);
    }
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(tag), (const uint8_t *) tag);
    if (rc == 0)
        rc = json_dump_callback(st, sha_feed, &ctx,
                                JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(st);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, dig);
    return rc == 0 ? 0 : -1;
}

slong
_genrank_challenge_count(ulong p)
{
    fmpz_t x, t;
    slong k = 0;
    if (p < 2)
        return 0;
    fmpz_init_set_ui(x, 1);
    fmpz_init(t);
    fmpz_one(t);
    fmpz_mul_2exp(t, t, GENRANK_FAST_BITS);
    while (fmpz_cmp(x, t) < 0)
    {
        fmpz_mul_ui(x, x, p);
        k++;
    }
    fmpz_clear(x);
    fmpz_clear(t);
    return k;
}

slong
_genrank_challenge_bits(ulong p, slong k)
{
    /* the largest B with 2^B <= p^k */
    fmpz_t x;
    slong b;
    if (p < 2 || k < 1)
        return 0;
    fmpz_init(x);
    fmpz_ui_pow_ui(x, p, (ulong) k);
    b = (slong) fmpz_bits(x) - 1;
    fmpz_clear(x);
    return b;
}

/* Residue t of vector j: 8-byte words w (big-endian) of
   SHA-256(dig || j || counter), j and the counter as 8 bytes big-endian,
   counter = 0, 1, ... within vector j, four words per digest; w is
   taken when w < L = p floor((2^64 - 1) / p) and gives w mod p.  L is a
   multiple of p, so each residue is uniform when SHA-256 is a random
   oracle. */
void
_genrank_challenge(ulong *C, slong k, slong r, ulong p, const uint8_t dig[32])
{
    ulong lim = (UWORD_MAX / p) * p;
    slong j, t;
    for (j = 0; j < k; j++)
    {
        uint64_t counter = 0;
        uint8_t out[32];
        int used = 4;   /* words of out consumed */
        for (t = 0; t < r; )
        {
            uint64_t w = 0;
            int b;
            if (used == 4)
            {
                struct sha256_ctx ctx;
                uint8_t in[48];
                memcpy(in, dig, 32);
                for (b = 0; b < 8; b++)
                {
                    in[32 + b] = (uint8_t) ((uint64_t) j >> (56 - 8 * b));
                    in[40 + b] = (uint8_t) (counter >> (56 - 8 * b));
                }
                counter++;
                sha256_init(&ctx);
                sha256_update(&ctx, sizeof in, in);
                sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
                used = 0;
            }
            for (b = 0; b < 8; b++)
                w = (w << 8) | out[8 * used + b];
            used++;
            if (w < lim)
                C[j * r + t++] = w % p;
        }
    }
}

void
_genrank_point_digest(char hex[65], const fmpz *A, slong na, const fmpz *B, slong nb)
{
    struct sha256_ctx h;
    uint8_t dig[SHA256_DIGEST_SIZE];
    slong k;
    int i;
    sha256_init(&h);
    for (k = 0; k < na + nb; k++)
    {
        char *s = fmpz_get_str(NULL, 10, k < na ? A + k : B + (k - na));
        sha256_update(&h, strlen(s), (const uint8_t *) s);
        sha256_update(&h, 1, (const uint8_t *) "\n");
        flint_free(s);
    }
    sha256_digest(&h, SHA256_DIGEST_SIZE, dig);
    for (i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", dig[i]);
}
