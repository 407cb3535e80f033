/* The prover's matrix in a kernel's layout: the family's rows modulo p
   (each family's file in families/) written into an nmod_mat, as centred
   residues into doubles for the BLAS kernel, or into 16 bits for the
   compact kernel; and the memory that takes. */
#include <string.h>
#include "family.h"

static size_t
sat_mul(size_t a, size_t b)
{
    return (b != 0 && a > SIZE_MAX / b) ? SIZE_MAX : a * b;
}

static size_t
sat_add(size_t a, size_t b)
{
    return (a > SIZE_MAX - b) ? SIZE_MAX : a + b;
}

/* entry: bytes of one entry of the kernel's matrix */
static size_t
prove_memory(genrank_family_t family, slong m_, slong d_, slong n_, size_t entry)
{
    slong nr = genrank_family_nrows(family, m_, d_);
    size_t w = sizeof(mp_limb_t);
    size_t rows = (size_t) nr, n = (size_t) n_, m = (size_t) m_, d = (size_t) d_;
    size_t block = FLINT_MAX(1, FLINT_MIN(m, GENRANK_BUILD_BLOCK / n)) * n;
    size_t bytes = sat_mul(sat_mul(rows, n), entry);       /* the matrix */
    bytes = sat_add(bytes, sat_mul(rows, sizeof(mp_limb_t *)));
    bytes = sat_add(bytes, sat_mul(sat_add(block, n), w)); /* inner products, a row */
    bytes = sat_add(bytes, sat_mul(sat_mul(sat_add(m, n), d), w)); /* A, B mod p */
    bytes = sat_add(bytes, sat_mul(sat_mul(sat_add(m, n), d), sizeof(fmpz)));
    bytes = sat_add(bytes, sat_mul(sat_add(rows, sat_mul(4, n)), sizeof(slong))); /* pivots */
    return nr < 0 ? SIZE_MAX : bytes;
}

size_t
_genrank_prove_memory(genrank_family_t family, slong m, slong d, slong n)
{
    return prove_memory(family, m, d, n, sizeof(mp_limb_t));
}

size_t
_genrank_prove_memory_compact(genrank_family_t family, slong m, slong d, slong n)
{
    slong nr = genrank_family_nrows(family, m, d);
    size_t b = prove_memory(family, m, d, n, sizeof(uint16_t));
    if (nr < 0)
        return SIZE_MAX;
    b = sat_add(b, _genrank_compact_kernel_bytes(nr, n));
    return b;
}

size_t
genrank_prove_memory(const genrank_instance_t inst)
{
    return _genrank_prove_memory(inst->family, inst->m, inst->d, inst->n);
}

static void
sink_nmod(void *ctx, slong row, const mp_limb_t *h, const mp_limb_t *b, slong n)
{
    nmod_mat_struct *M = ctx;
    mp_limb_t *out = M->rows[row];
    slong j;
    if (b == NULL)
        memcpy(out, h, n * sizeof(mp_limb_t));
    else
        for (j = 0; j < n; j++)
            out[j] = nmod_mul(b[j], h[j], M->mod);
}

typedef struct { double *A; slong lda; ulong p; } dsink_t;

/* x in [0, p), p < 2^26 odd, as the centred residue in a double,
   without a comparison or a branch so that the compiler turns the
   sink's loop into vector instructions (a conversion of 64-bit integers
   to double and a branch-free select have none before AVX-512 and
   SSE4): x's bits under the exponent of 2^52 give 2^52 + x exactly, and
   q = round(y / p) is 0 or 1, by adding and taking away 1.5 2^52 (round
   to nearest); y / p is at least 1 / (2p) > 2^-27 away from 1/2, far
   beyond the 2^-52 error of y * pinv. */
static inline double
centred(mp_limb_t x, double p, double pinv)
{
    union { uint64_t u; double d; } v;
    double y, q;
    v.u = (uint64_t) x | UWORD(0x4330000000000000);
    y = v.d - 4503599627370496.0;              /* 2^52 */
    q = (y * pinv + 6755399441055744.0) - 6755399441055744.0;
    return y - q * p;
}

/* Centred residues; for khatri-rao the product of two centred residues,
   exact in a double while p < 2^26 and reduced by the kernel. */
static void
sink_double(void *ctx, slong row, const mp_limb_t *h, const mp_limb_t *b, slong n)
{
    dsink_t *s = ctx;
    double *out = s->A + row * s->lda;
    const double p = (double) s->p, pinv = 1.0 / p;
    slong j;
    if (b == NULL)
        for (j = 0; j < n; j++)
            out[j] = centred(h[j], p, pinv);
    else
        for (j = 0; j < n; j++)
            out[j] = centred(h[j], p, pinv) * centred(b[j], p, pinv);
}

typedef struct { uint16_t *A; slong lda; nmod_t mod; } hsink_t;

static void
sink_u16(void *ctx, slong row, const mp_limb_t *h, const mp_limb_t *b, slong n)
{
    hsink_t *s = ctx;
    uint16_t *out = s->A + row * s->lda;
    slong j;
    if (b == NULL)
        for (j = 0; j < n; j++)
            out[j] = (uint16_t) h[j];
    else
        for (j = 0; j < n; j++)
            out[j] = (uint16_t) nmod_mul(b[j], h[j], s->mod);
}

int
genrank_instance_matrix_nmod(nmod_mat_t M, const genrank_instance_t inst)
{
    return _genrank_family(inst->family)->rows_mod(inst, M->mod, sink_nmod, M);
}

int
genrank_instance_matrix_d(double *A, slong lda, const genrank_instance_t inst, ulong p)
{
    dsink_t s;
    nmod_t mod;
    nmod_init(&mod, p);
    s.A = A;
    s.lda = lda;
    s.p = p;
    return _genrank_family(inst->family)->rows_mod(inst, mod, sink_double, &s);
}

int
genrank_instance_matrix_u16(uint16_t *A, slong lda, const genrank_instance_t inst, ulong p)
{
    hsink_t s;
    s.A = A;
    s.lda = lda;
    nmod_init(&s.mod, p);
    return _genrank_family(inst->family)->rows_mod(inst, s.mod, sink_u16, &s);
}
