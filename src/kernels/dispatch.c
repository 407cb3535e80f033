/* The dispatcher: a rank witness of an instance's matrix modulo p, the
   matrix built by its family (families/) straight into the layout of the
   kernel chosen for its size and prime (FLINT's LU, the BLAS PLUQ, or the
   BLAS PLUQ by panels on 16-bit residues). */
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
        r = genrank_hmat_rank_witness_solve(rows, cols, det, A, nr, nc, nc, p, sv);
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
