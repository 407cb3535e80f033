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
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "dmod.h"
#include "internal.h"

#define CPANEL GENRANK_COMPACT_PANEL
#define CCHUNK GENRANK_COMPACT_CHUNK
#define CROWS GENRANK_COMPACT_ROWS

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

/* ---- progress and checkpoints ------------------------------------- */

/* parts per million of the running elimination, -1 when none runs */
static atomic_long progress_ppm = -1;

double
genrank_progress(void)
{
    long v = atomic_load(&progress_ppm);
    return v < 0 ? -1.0 : (double) v / 1e6;
}

/* operations left in eliminating an a x b block, up to a constant */
static double
lu_work(double a, double b)
{
    double s = a < b ? a : b;
    return a * b * s - s * s * s / 3.0;
}

static double
seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

#define CK_MAGIC "genrank-ckpt-1\n"   /* 16 bytes with its NUL */

typedef struct {
    char magic[16];
    uint8_t id[32];
    int64_t m, n, p, k, c;
} ck_head_t;

static size_t
ck_bytes(slong m, slong n, slong k)
{
    return sizeof(ck_head_t) + (size_t) (2 * k + n) * sizeof(slong)
           + (size_t) m * (size_t) n * sizeof(uint16_t) + 16;
}

/* Writes the state after the panels before column c (k pivots) to
   path.tmp, then renames it to path.  0, or an errno. */
static int
ck_save(const _genrank_ckpt_t *ck, const uint16_t *A, slong lda, slong m, slong n, ulong p,
        slong k, slong c, const slong *piv, const slong *pc, const slong *colmap)
{
    size_t len = strlen(ck->path);
    char *tmp = flint_malloc(len + 5);
    ck_head_t h;
    FILE *f;
    slong i;
    int ok, e = 0;
    memcpy(tmp, ck->path, len);
    memcpy(tmp + len, ".tmp", 5);
    if ((f = fopen(tmp, "wb")) == NULL)
    {
        e = errno;
        flint_free(tmp);
        return e != 0 ? e : EIO;
    }
    memset(&h, 0, sizeof h);
    memcpy(h.magic, CK_MAGIC, 16);
    memcpy(h.id, ck->id, 32);
    h.m = m;
    h.n = n;
    h.p = (int64_t) p;
    h.k = k;
    h.c = c;
    ok = fwrite(&h, sizeof h, 1, f) == 1
         && (k == 0 || (fwrite(piv, sizeof(slong), k, f) == (size_t) k
                        && fwrite(pc, sizeof(slong), k, f) == (size_t) k))
         && fwrite(colmap, sizeof(slong), n, f) == (size_t) n;
    for (i = 0; i < m && ok; i++)
        ok = fwrite(A + i * lda, sizeof(uint16_t), n, f) == (size_t) n;
    ok = ok && fwrite(CK_MAGIC, 1, 16, f) == 16 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (!ok)
        e = errno != 0 ? errno : EIO;
    if (fclose(f) != 0 && ok)
    {
        ok = 0;
        e = errno != 0 ? errno : EIO;
    }
    if (ok && rename(tmp, ck->path) != 0)
    {
        ok = 0;
        e = errno != 0 ? errno : EIO;
    }
    if (!ok)
        remove(tmp);
    flint_free(tmp);
    return ok ? 0 : e;
}

/* Reads a checkpoint of this matrix (same identity, sizes and prime):
   1 with A and the state replaced, 0 when there is none of this matrix
   (A untouched), -1 when reading failed after A was begun. */
static int
ck_load(const _genrank_ckpt_t *ck, uint16_t *A, slong lda, slong m, slong n, ulong p, slong *k,
        slong *c, slong *piv, slong *pc, slong *colmap)
{
    FILE *f = fopen(ck->path, "rb");
    struct stat sb;
    ck_head_t h;
    char tail[16];
    slong i, t;
    int ok;
    if (f == NULL)
        return 0;
    ok = fstat(fileno(f), &sb) == 0 && fread(&h, sizeof h, 1, f) == 1
         && !memcmp(h.magic, CK_MAGIC, 16) && !memcmp(h.id, ck->id, 32)
         && h.m == m && h.n == n && h.p == (int64_t) p
         && h.k >= 0 && h.k <= FLINT_MIN(m, n) && h.c >= h.k && h.c <= n
         && (size_t) sb.st_size == ck_bytes(m, n, h.k)
         && fseek(f, -16, SEEK_END) == 0 && fread(tail, 1, 16, f) == 16
         && !memcmp(tail, CK_MAGIC, 16) && fseek(f, (long) sizeof h, SEEK_SET) == 0;
    if (ok)
        ok = (h.k == 0 || (fread(piv, sizeof(slong), h.k, f) == (size_t) h.k
                           && fread(pc, sizeof(slong), h.k, f) == (size_t) h.k))
             && fread(colmap, sizeof(slong), n, f) == (size_t) n;
    for (t = 0; t < h.k && ok; t++)
        ok = piv[t] >= t && piv[t] < m && pc[t] >= 0 && pc[t] < h.c && (t == 0 || pc[t] > pc[t - 1]);
    for (t = 0; t < n && ok; t++)
        ok = colmap[t] >= 0 && colmap[t] < n;
    if (!ok)
    {
        fclose(f);
        return 0;
    }
    for (i = 0; i < m && ok; i++)
        ok = fread(A + i * lda, sizeof(uint16_t), n, f) == (size_t) n;
    for (i = 0; i < m && ok; i++)
        for (t = 0; t < n && ok; t++)
            ok = A[i * lda + t] < p;
    fclose(f);
    if (!ok)
        return -1;
    *k = h.k;
    *c = h.c;
    return 1;
}

/* bl: the panel's columns, the trailing columns and rows converted at a
   time (CPANEL, CCHUNK, CROWS; tests vary them to reach every edge) */
slong
_genrank_hmat_rank_witness(slong *rows, slong *cols, ulong *det, uint16_t *A, slong m, slong n,
                           slong lda, ulong p, genrank_solve_t *sv, const slong *bl,
                           _genrank_ckpt_t *ck)
{
#ifdef HAVE_CBLAS
    dmod_t F;
    slong k = 0, c0 = 0, w, t, wmax, small = FLINT_MIN(m, n);
    double last = seconds_now(), total = lu_work((double) m, (double) n);
    slong *piv, *pc, *colmap, *pp, *qp, *perm, *qn;
    double *D, *W, *tmp, *T, *G, v;
    uint16_t *ut;
    size_t dbytes;
    ulong u;

    dmod_init(&F, p);
    if (m == 0 || n == 0)
        return _genrank_dmod_empty(det, p, sv);
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
    if (ck != NULL)
    {
        int got = ck_load(ck, A, lda, m, n, p, &k, &c0, piv, pc, colmap);
        ck->resumed_at = got == 1 ? c0 : -1;
        ck->saves = 0;
        ck->error = 0;
        if (got < 0)
        {
            k = -4;
            goto cleanup;
        }
    }
    atomic_store(&progress_ppm, 0);

    for ( ; c0 < n && k < m; c0 += w)
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
        atomic_store(&progress_ppm, (long) (1e6 * (1.0 - lu_work((double) (m - k),
                                            (double) (n - c0 - w)) / total)));
        if (ck != NULL && c0 + w < n && k < m && seconds_now() - last >= ck->every)
        {
            int e = ck_save(ck, A, lda, m, n, p, k, c0 + w, piv, pc, colmap);
            last = seconds_now();
            if (e != 0)
                ck->error = e;
            else if (++ck->saves == ck->stop_after)
            {
                k = -3;
                goto cleanup;
            }
        }
    }
    atomic_store(&progress_ppm, -1);
    if (ck != NULL)
        remove(ck->path);

    perm = _genrank_dmod_swaps_perm(piv, k, m);
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
    u = *det = _genrank_dmod_witness_det(rows, cols, k, v, &F);
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
cleanup:
    atomic_store(&progress_ppm, -1);
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
    (void) sv; (void) bl; (void) ck;
    return -1;
#endif
}

slong
genrank_hmat_rank_witness_solve(slong *rows, slong *cols, ulong *det, uint16_t *A, slong m,
                                slong n, slong lda, ulong p, genrank_solve_t *sv)
{
    const slong bl[3] = {CPANEL, CCHUNK, CROWS};
    return _genrank_hmat_rank_witness(rows, cols, det, A, m, n, lda, p, sv, bl, NULL);
}
