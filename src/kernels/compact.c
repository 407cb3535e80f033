/* Rank with row and column pivots over Z/p for primes p < 2^16, the
   residues stored in 16 bits: a quarter of the double kernel's memory,
   so that an 80000 x 80000 matrix (12.8 GB) fits in 24 GiB.

   Right-looking by panels of CPANEL columns.  A panel (its rows not yet
   pivots) is converted to centred doubles and factored by the double
   kernel's PLUQ (blas.c); its row swaps are applied to the other columns
   and its column permutation to the rows above it.  Then, CCHUNK
   trailing columns at a time, U12 = L11^-1 A12 and A22 -= L21 U12 by
   dgemm on blocks converted from 16 bits and back.  Each panel's pivot
   columns come first in it, so pivot t lies in row t at column pc[t]
   (increasing in t); a panel's other columns stay where it left them,
   zero below its pivot rows.  Bounds: |centred residue| <= h = 2^15 + 1,
   and a dgemm of inner dimension CPANEL adds at most 2^11 h^2 < 2^42 to
   a residue, well inside 2^52: one reduction per update.  The
   conversions run on the threads FLINT is given (genrank_set_threads). */
#include <pthread.h>
#include <stdint.h>
#include "dmod.h"
#include "internal.h"

/* At n = 8000 on 2 cores, panels of 1024 / 2048 / 4096 columns took
   1.42 / 1.10 / 1.17 times the double kernel's time. */
#define CPANEL 2048   /* columns factored in doubles at a time */
#define CCHUNK 4096   /* trailing columns converted at a time */
#define CROWS 2048    /* trailing rows converted at a time */

size_t
_genrank_compact_kernel_bytes(slong m, slong n)
{
    size_t w = (size_t) FLINT_MIN(CPANEL, FLINT_MAX(n, 1)), mm = (size_t) FLINT_MAX(m, 1);
    size_t small = (size_t) FLINT_MAX(FLINT_MIN(m, n), 1);
    return sizeof(double) * (mm * w + mm * DMOD_LEAF + w + w * CCHUNK + CROWS * CCHUNK
                             + DMOD_SOLVE_BLOCK * small)
           + sizeof(slong) * (3 * small + (size_t) FLINT_MAX(n, 1) + 2 * w + mm);
}

#ifdef HAVE_CBLAS

/* D (m x n doubles, leading dimension ldd) = the centred residues of A;
   the selections in integers, so that the loops vectorize */
static void
load(double *D, slong ldd, const uint16_t *A, slong lda, slong m, slong n, const dmod_t *F)
{
    const int32_t p = (int32_t) F->p, half = p / 2;
    slong i, j;
    for (i = 0; i < m; i++)
    {
        const uint16_t *a = A + i * lda;
        double *d = D + i * ldd;
        for (j = 0; j < n; j++)
        {
            int32_t x = a[j];
            d[j] = (double) (x - (x > half ? p : 0));
        }
    }
}

/* A = D reduced into [0, p) (|D| < 2^52) */
static void
store(uint16_t *A, slong lda, const double *D, slong ldd, slong m, slong n, const dmod_t *F)
{
    const double magic = 6755399441055744.0, p = F->p, pinv = F->pinv;
    const int32_t ip = (int32_t) F->p;
    slong i, j;
    for (i = 0; i < m; i++)
    {
        const double *d = D + i * ldd;
        uint16_t *a = A + i * lda;
        for (j = 0; j < n; j++)
        {
            int32_t y = (int32_t) (d[j] - ((d[j] * pinv + magic) - magic) * p);
            a[j] = (uint16_t) (y + (y < 0 ? ip : 0));
        }
    }
}

/* load or store, the rows split between the threads FLINT is allowed
   (the conversions are memory-bound; one core alone left the other idle
   between dgemm calls) */
#define CONV_THREADS 8

typedef struct {
    int to_u16;
    uint16_t *A;
    double *D;
    slong lda, ldd, m, n;
    const dmod_t *F;
} conv_t;

static void *
conv_run(void *arg)
{
    conv_t *c = arg;
    if (c->to_u16)
        store(c->A, c->lda, c->D, c->ldd, c->m, c->n, c->F);
    else
        load(c->D, c->ldd, c->A, c->lda, c->m, c->n, c->F);
    return NULL;
}

static void
convert(int to_u16, uint16_t *A, slong lda, double *D, slong ldd, slong m, slong n,
        const dmod_t *F)
{
    conv_t c[CONV_THREADS];
    pthread_t th[CONV_THREADS];
    int nt = FLINT_MAX(1, FLINT_MIN(CONV_THREADS, flint_get_num_threads())), t, started = 0;
    slong i0 = 0;
    if ((double) m * (double) n < 65536.0 || m < nt)
        nt = 1;
    for (t = 0; t < nt; t++)
    {
        slong rows = (m - i0) / (nt - t);
        c[t].to_u16 = to_u16;
        c[t].A = A + i0 * lda;
        c[t].D = D + i0 * ldd;
        c[t].lda = lda;
        c[t].ldd = ldd;
        c[t].m = rows;
        c[t].n = n;
        c[t].F = F;
        i0 += rows;
    }
    for (t = 1; t < nt; t++)
        if (pthread_create(th + t, NULL, conv_run, c + t) == 0)
            started |= 1 << t;
        else
            conv_run(c + t);
    conv_run(c);
    for (t = 1; t < nt; t++)
        if (started & (1 << t))
            pthread_join(th[t], NULL);
}

static void
swap_range(uint16_t *x, uint16_t *y, slong n)
{
    slong j;
    for (j = 0; j < n; j++)
    {
        uint16_t s = x[j];
        x[j] = y[j];
        y[j] = s;
    }
}

/* The rows of the factor for the solves: rows s0 .. s1 - 1 at the pivot
   columns, centred, gathered into buf. */
typedef struct {
    const uint16_t *A;
    slong lda, r;
    const slong *pc;
    double *buf;
    const dmod_t *F;
} hrows_t;

static const double *
hrows(void *ctx, slong s0, slong s1, slong *ld)
{
    const hrows_t *h = ctx;
    const double p = h->F->p, half = (double) ((ulong) h->F->p / 2);
    slong s, t;
    for (s = s0; s < s1; s++)
    {
        const uint16_t *a = h->A + s * h->lda;
        double *b = h->buf + (s - s0) * h->r;
        for (t = 0; t < h->r; t++)
        {
            double x = a[h->pc[t]];
            b[t] = x > half ? x - p : x;
        }
    }
    *ld = h->r;
    return h->buf;
}

/* After panel c0 (w columns, rb pivots in rows k ..): U12 and the Schur
   complement of the trailing columns, D holding the panel's L in
   doubles (leading dimension w). */
static void
update_trailing(uint16_t *A, slong lda, slong m, slong n, slong k, slong c0, slong w, slong rb,
                const double *D, double *T, double *G, const slong *bl, const dmod_t *F)
{
    slong j0, i0, nt = n - c0 - w;
    for (j0 = 0; j0 < nt; j0 += bl[1])
    {
        slong cw = FLINT_MIN(bl[1], nt - j0), col = c0 + w + j0;
        convert(0, A + k * lda + col, lda, T, cw, rb, cw, F);
        _genrank_dmod_trsm(D, w, T, cw, rb, cw, F);
        convert(1, A + k * lda + col, lda, T, cw, rb, cw, F);
        for (i0 = k + rb; i0 < m; i0 += bl[2])
        {
            slong nr = FLINT_MIN(bl[2], m - i0);
            convert(0, A + i0 * lda + col, lda, G, cw, nr, cw, F);
            gemm_sub(G, cw, D + (i0 - k) * w, w, T, cw, nr, cw, rb, F);
            convert(1, A + i0 * lda + col, lda, G, cw, nr, cw, F);
        }
    }
}

#endif /* HAVE_CBLAS */

/* bl: the panel's columns, the trailing columns and rows converted at a
   time (CPANEL, CCHUNK, CROWS; tests vary them to reach every edge) */
slong
_genrank_hmat_rank_witness(slong *rows, slong *cols, ulong *det, uint16_t *A, slong m, slong n,
                           slong lda, ulong p, genrank_solve_t *sv, const slong *bl)
{
#ifdef HAVE_CBLAS
    dmod_t F;
    slong k = 0, c0, w, t, wmax, small = FLINT_MIN(m, n);
    slong *piv, *pc, *colmap, *pp, *qp, *perm, *qn;
    double *D, *W, *tmp, *T, *G, v;
    uint16_t *ut;
    size_t dbytes;
    ulong u;

    dmod_init(&F, p);
    if (m == 0 || n == 0)
    {
        *det = 1 % p;
        if (sv != NULL)
            sv->X = flint_malloc(sizeof(ulong));   /* k x 0 */
        return 0;
    }
    wmax = FLINT_MIN(bl[0], n);
    dbytes = (size_t) m * (size_t) wmax * sizeof(double);
    piv = flint_malloc(small * sizeof(slong));
    pc = flint_malloc(small * sizeof(slong));
    colmap = flint_malloc(n * sizeof(slong));
    pp = flint_malloc(wmax * sizeof(slong));
    qp = flint_malloc(wmax * sizeof(slong));
    qn = flint_malloc(wmax * sizeof(slong));
    D = _genrank_big_alloc(dbytes);
    W = flint_malloc(m * DMOD_LEAF * sizeof(double));
    tmp = flint_malloc(wmax * sizeof(double));
    ut = flint_malloc(wmax * sizeof(uint16_t));
    T = flint_malloc(wmax * bl[1] * sizeof(double));
    G = flint_malloc(bl[2] * bl[1] * sizeof(double));
    for (t = 0; t < n; t++)
        colmap[t] = t;

    for (c0 = 0; c0 < n && k < m; c0 += w)
    {
        slong mr = m - k, rb, i;
        w = FLINT_MIN(bl[0], n - c0);
        convert(0, A + k * lda + c0, lda, D, w, mr, w, &F);
        rb = _genrank_dmod_pluq(D, w, mr, w, pp, qp, &F, tmp, W);
        convert(1, A + k * lda + c0, lda, D, w, mr, w, &F);
        /* the panel's column permutation on the rows above it */
        for (i = 0; i < k; i++)
        {
            uint16_t *row = A + i * lda + c0;
            for (t = 0; t < w; t++)
                ut[t] = row[qp[t]];
            memcpy(row, ut, w * sizeof(uint16_t));
        }
        for (t = 0; t < w; t++)
            qn[t] = colmap[c0 + qp[t]];
        memcpy(colmap + c0, qn, w * sizeof(slong));
        /* its row swaps on the other columns */
        for (t = 0; t < rb; t++)
        {
            slong a = k + t, b = k + pp[t];
            piv[a] = b;
            pc[a] = c0 + t;
            if (a != b)
            {
                swap_range(A + a * lda, A + b * lda, c0);
                swap_range(A + a * lda + c0 + w, A + b * lda + c0 + w, n - c0 - w);
            }
        }
        if (rb > 0)
            update_trailing(A, lda, m, n, k, c0, w, rb, D, T, G, bl, &F);
        k += rb;
    }

    /* rows: replay the swaps on the identity */
    perm = flint_malloc(m * sizeof(slong));
    for (t = 0; t < m; t++)
        perm[t] = t;
    for (t = 0; t < k; t++)
    {
        slong s = perm[t];
        perm[t] = perm[piv[t]];
        perm[piv[t]] = s;
    }
    for (t = 0; t < k; t++)
        cols[t] = colmap[pc[t]];
    memcpy(rows, perm, k * sizeof(slong));
    /* pcol in pivot order, for the solves (colmap is no longer needed) */
    for (t = 0; t < k; t++)
        colmap[t] = cols[t];

    /* det of the minor in pivot order is the product of U's diagonal */
    v = 1;
    for (t = 0; t < k; t++)
    {
        double x = A[t * lda + pc[t]];
        v = dred(v * (x > (double) (p / 2) ? x - F.p : x), &F);
    }
    v = dred_exact(_genrank_sort_with_sign(rows, k) * _genrank_sort_with_sign(cols, k) * v, &F);
    u = (ulong) (v < 0 ? (slong) v + (slong) p : (slong) v);
    *det = u;
    if (sv != NULL)
    {
        hrows_t h;
        h.A = A;
        h.lda = lda;
        h.r = k;
        h.pc = pc;
        h.F = &F;
        h.buf = flint_malloc(FLINT_MAX(DMOD_SOLVE_BLOCK * k, 1) * sizeof(double));
        _genrank_dmod_solve(sv, hrows, &h, k, perm, colmap, rows, cols, u, &F);
        flint_free(h.buf);
    }

    flint_free(perm);
    flint_free(G);
    flint_free(T);
    flint_free(ut);
    flint_free(tmp);
    flint_free(W);
    _genrank_big_free(D, dbytes);
    flint_free(qn);
    flint_free(qp);
    flint_free(pp);
    flint_free(colmap);
    flint_free(pc);
    flint_free(piv);
    return k;
#else
    (void) rows; (void) cols; (void) det; (void) A; (void) m; (void) n; (void) lda; (void) p;
    (void) sv; (void) bl;
    return -1;
#endif
}

slong
genrank_hmat_rank_witness_solve(slong *rows, slong *cols, ulong *det, uint16_t *A, slong m,
                                slong n, slong lda, ulong p, genrank_solve_t *sv)
{
    const slong bl[3] = {CPANEL, CCHUNK, CROWS};
    return _genrank_hmat_rank_witness(rows, cols, det, A, m, n, lda, p, sv, bl);
}
