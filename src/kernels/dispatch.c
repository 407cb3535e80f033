/* The dispatcher: a rank witness of an instance's matrix modulo p, the
   matrix built by its family (families/) straight into the layout of the
   kernel chosen for its size and prime (FLINT's LU, the BLAS PLUQ, or the
   BLAS PLUQ by panels on 16-bit residues). */
#include <stdio.h>
#include <string.h>
#include <nettle/sha2.h>
#include "config.h"
#include "genrank.h"
#include "internal.h"
#ifdef HAVE_CBLAS
#include <cblas.h>
#endif

int
genrank_rank_method(const genrank_instance_t inst, ulong p, int method)
{
    slong small = FLINT_MIN(genrank_instance_nrows(inst), genrank_instance_ncols(inst));
    if (method == GENRANK_METHOD_FLINT)
        return GENRANK_METHOD_FLINT;
    if (method == GENRANK_METHOD_COMPACT)
        return genrank_have_blas() && p < GENRANK_COMPACT_PRIME_MAX ? method : -1;
    if (!genrank_have_blas() || p >= GENRANK_BLAS_PRIME_MAX)
        return method == GENRANK_METHOD_BLAS ? -1 : GENRANK_METHOD_FLINT;
    if (method == GENRANK_METHOD_BLAS || small >= GENRANK_BLAS_CUTOFF)
        return GENRANK_METHOD_BLAS;
    return GENRANK_METHOD_FLINT;
}

static slong
witness_flint(slong *rows, slong *cols, ulong *det, const genrank_instance_t inst, ulong p,
              genrank_solve_t *sv)
{
    nmod_mat_t M;
    slong r;
    nmod_mat_init(M, genrank_instance_nrows(inst), genrank_instance_ncols(inst), p);
    if (genrank_instance_matrix_nmod(M, inst))
        r = -2;
    else
        r = genrank_nmod_mat_rank_witness_solve(rows, cols, det, M, sv);
    nmod_mat_clear(M);
    return r;
}

slong
genrank_instance_rank_witness_flint(slong *rows, slong *cols, ulong *det,
                                    const genrank_instance_t inst, ulong p)
{
    return witness_flint(rows, cols, det, inst, p, NULL);
}

static slong
witness_blas(slong *rows, slong *cols, ulong *det, const genrank_instance_t inst, ulong p,
             genrank_solve_t *sv)
{
    slong nr = genrank_instance_nrows(inst), nc = genrank_instance_ncols(inst), r;
    double *A;
    if (!genrank_have_blas() || p >= GENRANK_BLAS_PRIME_MAX)
        return -1;
    A = _genrank_big_alloc((size_t) FLINT_MAX(nr * nc, 1) * sizeof(double));
    if (genrank_instance_matrix_d(A, nc, inst, p))
        r = -2;
    else
        r = genrank_dmat_rank_witness_blas_solve(rows, cols, det, A, nr, nc, nc, p, sv);
    _genrank_big_free(A, (size_t) FLINT_MAX(nr * nc, 1) * sizeof(double));
    return r;
}

/* the compact kernel's checkpoint (genrank_set_checkpoint) and the
   status of its last run */
static struct {
    const char *path;
    double every;
    slong resumed_at, saves;
    int error;
} ckpt = {NULL, 1800.0, -1, 0, 0};

void
genrank_set_checkpoint(const char *path, double seconds)
{
    ckpt.path = path;
    ckpt.every = seconds;
}

void
genrank_checkpoint_status(slong *resumed_at, slong *saves, int *error)
{
    *resumed_at = ckpt.resumed_at;
    *saves = ckpt.saves;
    *error = ckpt.error;
}

static void
sha_fmpz(struct sha256_ctx *h, const fmpz_t x)
{
    char *s = fmpz_get_str(NULL, 10, x);
    sha256_update(h, strlen(s) + 1, (const uint8_t *) s);   /* with its NUL */
    flint_free(s);
}

/* The identity of the matrix the instance gives modulo p: a SHA-256 of
   everything it is built from. */
static void
matrix_id(uint8_t id[32], const genrank_instance_t inst, ulong p)
{
    struct sha256_ctx h;
    char head[256];
    slong i;
    snprintf(head, sizeof head, "genrank matrix %d %ld %ld %ld %d %lu %lu %lu %ld",
             (int) inst->family, (long) inst->m, (long) inst->d, (long) inst->n, (int) inst->phi,
             (unsigned long) p, (unsigned long) inst->t0, (unsigned long) inst->i0, (long) inst->len);
    sha256_init(&h);
    sha256_update(&h, strlen(head) + 1, (const uint8_t *) head);
    sha_fmpz(&h, inst->q);
    for (i = 0; i < inst->len; i++)
    {
        sha_fmpz(&h, fmpq_numref(inst->coeffs + i));
        sha_fmpz(&h, fmpq_denref(inst->coeffs + i));
    }
    for (i = 0; i < inst->m * inst->d; i++)
        sha_fmpz(&h, inst->A + i);
    for (i = 0; i < inst->n * inst->d; i++)
        sha_fmpz(&h, inst->B + i);
    sha256_digest(&h, 32, id);
}

static slong
witness_compact(slong *rows, slong *cols, ulong *det, const genrank_instance_t inst, ulong p,
                genrank_solve_t *sv)
{
    slong nr = genrank_instance_nrows(inst), nc = genrank_instance_ncols(inst), r;
    size_t bytes = (size_t) FLINT_MAX(nr * nc, 1) * sizeof(uint16_t);
    uint16_t *A;
    if (!genrank_have_blas() || p >= GENRANK_COMPACT_PRIME_MAX)
        return -1;
    A = _genrank_big_alloc(bytes);
    if (genrank_instance_matrix_u16(A, nc, inst, p))
        r = -2;
    else
    {
        /* the kernel's own blocking, with the checkpoint when one is set */
        const slong bl[3] = {GENRANK_COMPACT_PANEL, GENRANK_COMPACT_CHUNK, GENRANK_COMPACT_ROWS};
        _genrank_ckpt_t ck;
        memset(&ck, 0, sizeof ck);
        ck.path = ckpt.path;
        ck.every = ckpt.every;
        if (ckpt.path != NULL)
            matrix_id(ck.id, inst, p);
        r = _genrank_hmat_rank_witness(rows, cols, det, A, nr, nc, nc, p, sv, bl,
                                       ckpt.path != NULL ? &ck : NULL);
        ckpt.resumed_at = ckpt.path != NULL ? ck.resumed_at : -1;
        ckpt.saves = ck.saves;
        ckpt.error = ck.error;
    }
    _genrank_big_free(A, bytes);
    return r;
}

slong
genrank_instance_rank_witness_blas(slong *rows, slong *cols, ulong *det,
                                   const genrank_instance_t inst, ulong p)
{
    return witness_blas(rows, cols, det, inst, p, NULL);
}

slong
genrank_instance_rank_witness_solve(slong *rows, slong *cols, ulong *det,
                                    const genrank_instance_t inst, ulong p, int method,
                                    genrank_solve_t *sv)
{
    method = genrank_rank_method(inst, p, method);
    if (method == GENRANK_METHOD_BLAS)
        return witness_blas(rows, cols, det, inst, p, sv);
    if (method == GENRANK_METHOD_FLINT)
        return witness_flint(rows, cols, det, inst, p, sv);
    if (method == GENRANK_METHOD_COMPACT)
        return witness_compact(rows, cols, det, inst, p, sv);
    return -1;
}

slong
genrank_instance_rank_witness(slong *rows, slong *cols, ulong *det,
                              const genrank_instance_t inst, ulong p, int method)
{
    return genrank_instance_rank_witness_solve(rows, cols, det, inst, p, method, NULL);
}

void
genrank_set_threads(int n)
{
    flint_set_num_threads(n);
#ifdef HAVE_OPENBLAS_SET_NUM_THREADS
    openblas_set_num_threads(n);
#endif
}
