/* Times rank with pivots of a random n x n matrix modulo p:
     kernel genrank N P REPS   genrank's BLAS kernel (pivots and witness)
     kernel compact N P REPS   genrank's compact kernel (16-bit residues, p < 2^16)
     kernel flint   N P REPS   FLINT's nmod_mat_rank
     kernel dgemm   N 0 REPS   one n x n x n cblas_dgemm (the ceiling)
     kernel vdet    N P REPS   the checker's determinant in doubles (p < 2^24)
     kernel vdet16  N P REPS   the checker's determinant in 16 bits (p < 2^16)
   Prints the median wall time in seconds (and the rank, or for the
   checker's determinants n when nonzero and 0 when not).  The matrix is
   the same for every method: entries from SplitMix64 seeded with n. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cblas.h>
#include <flint/nmod_mat.h>
#include "genrank.h"
#include "check/vblas.h"

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int
cmp(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* the n x n test matrix as doubles, and as 16-bit residues (p < 2^16) */
static double *
as_doubles(const ulong *vals, slong n)
{
    double *A = malloc((size_t) n * n * sizeof(double));
    slong i;
    for (i = 0; i < n * n; i++)
        A[i] = (double) vals[i];
    return A;
}

static uint16_t *
as_u16(const ulong *vals, slong n)
{
    uint16_t *H = malloc((size_t) n * n * sizeof(uint16_t));
    slong i;
    for (i = 0; i < n * n; i++)
        H[i] = (uint16_t) vals[i];
    return H;
}

int
main(int argc, char **argv)
{
    const char *method;
    slong n, reps, k, i, rank = -1;
    ulong p;
    double *times, *A = NULL, *B = NULL, *C = NULL;
    genrank_rng_t rng;
    ulong *vals;

    if (argc != 5)
    {
        fprintf(stderr, "usage: kernel genrank|compact|flint|dgemm|vdet|vdet16 N P REPS\n");
        return 2;
    }
    method = argv[1];
    n = atol(argv[2]);
    p = strtoul(argv[3], NULL, 10);
    reps = atol(argv[4]);
    if (n < 1 || reps < 1)
    {
        fprintf(stderr, "kernel: N and REPS must be positive\n");
        return 2;
    }
    if ((!strcmp(method, "compact") || !strcmp(method, "vdet16")) && (p < 3 || p >= 65536))
    {
        fprintf(stderr, "kernel: %s needs a prime P in [3, 2^16)\n", method);
        return 2;
    }
    if ((!strcmp(method, "genrank") || !strcmp(method, "vdet")) && (p < 3 || p >= (1UL << 24)))
    {
        fprintf(stderr, "kernel: %s needs a prime P in [3, 2^24)\n", method);
        return 2;
    }
    times = malloc(reps * sizeof(double));
    vals = malloc((size_t) n * n * sizeof(ulong));
    genrank_rng_seed(&rng, (uint64_t) n);
    for (i = 0; i < n * n; i++)
        vals[i] = p ? genrank_rng_below(&rng, p) : genrank_rng_below(&rng, 1000);

    for (k = 0; k < reps; k++)
    {
        double t;
        if (!strcmp(method, "genrank"))
        {
            slong *rows = malloc(n * sizeof(slong)), *cols = malloc(n * sizeof(slong));
            ulong det;
            A = as_doubles(vals, n);
            t = now();
            rank = genrank_dmat_rank_witness_blas(rows, cols, &det, A, n, n, n, p);
            times[k] = now() - t;
            free(A);
            free(rows);
            free(cols);
        }
        else if (!strcmp(method, "compact"))
        {
            slong *rows = malloc(n * sizeof(slong)), *cols = malloc(n * sizeof(slong));
            ulong det;
            uint16_t *H = as_u16(vals, n);
            /* the conversions on every core, as genrank prove sets it */
            genrank_set_threads((int) sysconf(_SC_NPROCESSORS_ONLN));
            t = now();
            rank = genrank_hmat_rank_witness_solve(rows, cols, &det, H, n, n, n, p, NULL);
            times[k] = now() - t;
            free(H);
            free(rows);
            free(cols);
        }
        else if (!strcmp(method, "vdet") || !strcmp(method, "vdet16"))
        {
            /* the checker's determinant, its reductions and conversions on
               every core, as genrank verify sets it */
            ulong det;
            genrank_set_threads((int) sysconf(_SC_NPROCESSORS_ONLN));
            if (method[4] == '1')
            {
                uint16_t *H = as_u16(vals, n);
                t = now();
                det = genrank_vdet_blas_u16(H, n, p);
                times[k] = now() - t;
                free(H);
            }
            else
            {
                A = as_doubles(vals, n);
                t = now();
                det = genrank_vdet_blas(A, n, p);
                times[k] = now() - t;
                free(A);
            }
            rank = det != 0 ? n : 0;
        }
        else if (!strcmp(method, "flint"))
        {
            nmod_mat_t M;
            nmod_mat_init(M, n, n, p);
            for (i = 0; i < n; i++)
                memcpy(M->rows[i], vals + i * n, n * sizeof(ulong));
            t = now();
            rank = nmod_mat_rank(M);
            times[k] = now() - t;
            nmod_mat_clear(M);
        }
        else if (!strcmp(method, "dgemm"))
        {
            A = malloc((size_t) n * n * sizeof(double));
            B = malloc((size_t) n * n * sizeof(double));
            C = calloc((size_t) n * n, sizeof(double));
            for (i = 0; i < n * n; i++)
                A[i] = B[i] = (double) vals[i];
            t = now();
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, (int) n, (int) n,
                        1.0, A, (int) n, B, (int) n, 0.0, C, (int) n);
            times[k] = now() - t;
            free(A);
            free(B);
            free(C);
        }
        else
        {
            fprintf(stderr, "unknown method %s\n", method);
            return 2;
        }
    }
    qsort(times, reps, sizeof(double), cmp);
    printf("%.4f %ld\n", times[reps / 2], (long) rank);
    return 0;
}
