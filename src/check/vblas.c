/* The verifier's dense arithmetic for primes below 2^24: inner products
   through dgemm and a determinant by blocked right-looking LU with
   partial pivoting.  Written separately from the prover's kernel
   (blas.c, dmod.h), with which it shares no code: it keeps residues in
   [0, p) rather than centred, reduces by truncating division rather than
   by rounding, and blocks iteratively rather than recursively.

   Bounds: residues are in [0, p), products below (p-1)^2, so a value
   c - sum of k products stays above -k (p-1)^2 and an exact double while
   k (p-1)^2 + p <= 2^53; vk is the largest such k, capped at 2^20 (it is
   >= 32 for p < 2^24, and 2^20 for p < 2^16).

   genrank_vdet_blas_u16 takes the determinant of a matrix stored in 16
   bits for p < 2^16 (2 bytes an entry against 8), holding only one
   outer panel at a time in doubles.  dgemm runs on OpenBLAS's threads;
   the passes over memory around it (reductions, conversions) on the
   threads FLINT is given. */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <flint/ulong_extras.h>
#include "config.h"
#include "genrank-check.h"
#include "vblas.h"
#ifdef HAVE_CBLAS
#include <cblas.h>
#include <flint/thread_support.h>
#endif

/* parts per million of the running determinant, -1 when none runs */
static atomic_long check_ppm = -1;

double
genrank_check_progress(void)
{
    long v = atomic_load(&check_ppm);
    return v < 0 ? -1.0 : (double) v / 1e6;
}

#ifdef HAVE_CBLAS
/* the determinant of order r has eliminated its first k columns (k < 0:
   it has ended); the work left is that of the (r - k)-square rest */
static void
vprogress(slong k, slong r)
{
    double left = r > 0 && k >= 0 ? (double) (r - k) / (double) r : 0.0;
    atomic_store(&check_ppm, k < 0 ? -1L : (long) (1e6 * (1.0 - left * left * left)));
}

typedef struct {
    double p, pinv;
    slong vk;
} vmod_t;

static void
vmod_init(vmod_t *V, ulong p)
{
    double q = (double) (p - 1);
    V->p = (double) p;
    V->pinv = 1.0 / (double) p;
    V->vk = (slong) ((9007199254740992.0 - (double) p) / (q > 1 ? q * q : 1));  /* 2^53 */
    V->vk = FLINT_MIN(V->vk, WORD(1) << 20);
}

/* x modulo p in [0, p), for 3 <= p < 2^24 and an integer x with
   |x| <= 2^20 p^2 + p: the quotient rounded to nearest (adding and
   subtracting 1.5 * 2^52) leaves y in [-p/2 - 1, p/2 + 1], and adding p
   to a negative y lands in [0, p).  Branch-free, so it vectorizes. */
static inline double
vred(double x, double p, double pinv)
{
    const double shift = 6755399441055744.0;
    double y = x - ((x * pinv + shift) - shift) * p;
    return y + (y < 0 ? p : 0.0);
}

/* vred over a block; p and 1/p held in locals so that the loop
   vectorizes (through V they could alias C). */
static void
vred_rows(double *C, slong ldc, slong m, slong n, const vmod_t *V)
{
    const double p = V->p, pinv = V->pinv;
    slong i, j;
    for (i = 0; i < m; i++)
    {
        double *row = C + i * ldc;
        for (j = 0; j < n; j++)
            row[j] = vred(row[j], p, pinv);
    }
}

/* The memory-bound passes (conversions to and from 16 bits, reductions
   after dgemm) split by rows between the threads FLINT is given
   (flint_parallel_do): on one core they left the others idle between
   dgemm calls.  A block is D (doubles, leading dimension ldd)
   and, for the conversions, S (16 bits, leading dimension lds). */
typedef struct {
    double *D;
    uint16_t *S;
    slong ldd, lds, n;
    const vmod_t *V;
} vblock_t;

typedef void (*vrows_fn)(const vblock_t *B, slong i0, slong i1);

typedef struct {
    vrows_fn f;
    const vblock_t *B;
    slong m, parts;
} vsplit_t;

static void
vsplit_part(slong t, void *arg)
{
    const vsplit_t *sp = arg;
    sp->f(sp->B, sp->m * t / sp->parts, sp->m * (t + 1) / sp->parts);
}

static void
vrows_split(vrows_fn f, const vblock_t *B, slong m)
{
    vsplit_t sp;
    sp.f = f;
    sp.B = B;
    sp.m = m;
    sp.parts = FLINT_MIN(flint_get_num_threads(), m);
    if (sp.parts < 2 || (double) m * (double) B->n < 65536.0)
        f(B, 0, m);
    else
        flint_parallel_do(vsplit_part, &sp, sp.parts, (int) sp.parts, FLINT_PARALLEL_UNIFORM);
}

/* rows i0..i1 of D from S */
static void
u16_get_rows(const vblock_t *B, slong i0, slong i1)
{
    slong i, j;
    for (i = i0; i < i1; i++)
    {
        double *d = B->D + i * B->ldd;
        const uint16_t *s = B->S + i * B->lds;
        for (j = 0; j < B->n; j++)
            d[j] = (double) s[j];
    }
}

/* s[0..n) = d[0..n) reduced modulo p (p < 2^16; exact integers within
   vred's range) */
static void
u16_set_row(uint16_t *s, const double *d, slong n, double p, double pinv)
{
    slong j;
    for (j = 0; j < n; j++)
        s[j] = (uint16_t) (int32_t) vred(d[j], p, pinv);
}

void
genrank_vred_u16(uint16_t *s, const double *d, slong n, ulong p)
{
    u16_set_row(s, d, n, (double) p, 1.0 / (double) p);
}

/* rows i0..i1 of S from D reduced modulo p */
static void
u16_set_rows(const vblock_t *B, slong i0, slong i1)
{
    slong i;
    for (i = i0; i < i1; i++)
        u16_set_row(B->S + i * B->lds, B->D + i * B->ldd, B->n, B->V->p, B->V->pinv);
}

/* rows i0..i1 of D reduced modulo p in place */
static void
vred_block_rows(const vblock_t *B, slong i0, slong i1)
{
    vred_rows(B->D + i0 * B->ldd, B->ldd, i1 - i0, B->n, B->V);
}

/* f over the m rows of the block (D, S) */
static void
vblock_run(vrows_fn f, double *D, slong ldd, uint16_t *S, slong lds, slong m, slong n,
           const vmod_t *V)
{
    vblock_t B = {D, S, ldd, lds, n, V};
    vrows_split(f, &B, m);
}

/* the m x n block D from, or (back) to, the block S */
static void
u16_move(int back, double *D, slong ldd, uint16_t *S, slong lds, slong m, slong n,
         const vmod_t *V)
{
    vblock_run(back ? u16_set_rows : u16_get_rows, D, ldd, S, lds, m, n, V);
}

/* vred_rows on the threads */
static void
vred_rows_mt(double *C, slong ldc, slong m, slong n, const vmod_t *V)
{
    vblock_run(vred_block_rows, C, ldc, NULL, 0, m, n, V);
}

/* C = C - A B (A m x k, B k x n, entries in [0, p)), in slices of at
   most vk, reduced modulo p after each; with reduce 0 C is left
   unreduced: the caller has bounded k and C's earlier products (vk in all
   before C is next reduced). */
static void
vsubmul_red(double *C, slong ldc, const double *A, slong lda, const double *B,
            slong ldb, slong m, slong n, slong k, const vmod_t *V, int reduce)
{
    slong s;
    for (s = 0; s < k; s += V->vk)
    {
        slong w = FLINT_MIN(V->vk, k - s);
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) m, (int) n, (int) w,
                    -1.0, A + s, (int) lda, B + s * ldb, (int) ldb, 1.0, C, (int) ldc);
        if (reduce)
            vred_rows_mt(C, ldc, m, n, V);
    }
}

/* C = C - A B modulo p */
static void
vsubmul(double *C, slong ldc, const double *A, slong lda, const double *B,
        slong ldb, slong m, slong n, slong k, const vmod_t *V)
{
    vsubmul_red(C, ldc, A, lda, B, ldb, m, n, k, V, 1);
}

/* the m x n block B (leading dimension ldb) reduced into T (leading dimension n) */
static void
copy_reduced(double *T, const double *B, slong ldb, slong m, slong n, const vmod_t *V)
{
    slong i;
    for (i = 0; i < m; i++)
        memcpy(T + i * n, B + i * ldb, n * sizeof(double));
    vred_rows(T, n, m, n, V);
}

void
genrank_vmul_blas(double *G, const double *X, const double *Yt, slong a, slong b,
                  slong d, ulong p)
{
    vmod_t V;
    double *Xn = flint_malloc(FLINT_MAX(a * d, 1) * sizeof(double));
    slong i;
    vmod_init(&V, p);
    for (i = 0; i < a * d; i++)
        Xn[i] = -X[i];
    memset(G, 0, a * b * sizeof(double));
    if (a > 0 && b > 0 && d > 0)
        vsubmul(G, b, Xn, d, Yt, b, a, b, d, &V);     /* G = 0 - (-X) Yt */
    flint_free(Xn);
}

/* Horner on blocks of VPOLY values side by side, so that the inner loop
   runs over independent values (and vectorizes) rather than along one
   value's chain of dependent steps. */
#define VPOLY 256

void
genrank_vpoly_blas(double *y, slong n, const ulong *c, slong len, ulong p)
{
    const double pd = (double) p, pinv = 1.0 / pd;
    double x[VPOLY];
    slong i0, i, k, b;
    for (i0 = 0; i0 < n; i0 += VPOLY)
    {
        double *acc = y + i0, top = len > 0 ? (double) c[len - 1] : 0.0;
        b = FLINT_MIN(VPOLY, n - i0);
        memcpy(x, acc, b * sizeof(double));
        for (i = 0; i < b; i++)
            acc[i] = top;
        for (k = len - 2; k >= 0; k--)
        {
            const double ck = (double) c[k];
            for (i = 0; i < b; i++)
                acc[i] = vred(acc[i] * x[i] + ck, pd, pinv);
        }
    }
}

/* Li = L^-1 for the unit lower triangular k x k block L (leading
   dimension ldl), column by column: column c of Li solves L x = e_c. */
static void
unit_lower_inverse(double *Li, const double *L, slong ldl, slong k, const vmod_t *V)
{
    const double p = V->p, pinv = V->pinv;
    slong c, i, j;
    for (c = 0; c < k; c++)
        for (i = 0; i < k; i++)
        {
            double x = (i == c);
            if (i > c)
            {
                for (j = c; j < i; j++)
                    x -= L[i * ldl + j] * Li[j * k + c];
                x = vred(x, p, pinv);
            }
            Li[i * k + c] = x;
        }
}

static void
swap_cols_range(double *x, double *y, slong from, slong to)
{
    slong c;
    for (c = from; c < to; c++)
    {
        double s = x[c];
        x[c] = y[c];
        y[c] = s;
    }
}

/* Factors the mr x kb column panel at P (leading dimension ld) with
   partial pivoting, classically, in the column-major buffer W (kb <= vk,
   so the unreduced updates stay exact).  Row swaps are applied to the
   whole row: columns -left .. -1 of P (the L columns of the outer panel)
   and kb .. width - 1 (the rest of the active matrix).  When piv is not
   NULL, piv[j] is the row (from the panel's first) swapped with row j
   at column j, so that columns beyond width can follow.  Multiplies
   *det by the pivots and the swaps' signs.  Returns 0 when a column has
   no pivot (the matrix is singular). */
GENRANK_CLONES static int
panel_factor(double *P, slong ld, slong mr, slong kb, slong left, slong width,
             double *W, double *det, slong *piv, const vmod_t *V)
{
    const double p = V->p, pinv = V->pinv;
    slong i, j, c;
    for (i = 0; i < mr; i++)
        for (c = 0; c < kb; c++)
            W[c * mr + i] = P[i * ld + c];
    for (j = 0; j < kb; j++)
    {
        double *wj = W + j * mr, inv;
        for (i = j; i < mr; i++)
            wj[i] = vred(wj[i], p, pinv);
        for (i = j; i < mr && wj[i] == 0; i++)
            ;
        if (i == mr)
            return 0;
        if (piv != NULL)
            piv[j] = i;
        if (i != j)
        {
            for (c = 0; c < kb; c++)
            {
                double s = W[c * mr + j];
                W[c * mr + j] = W[c * mr + i];
                W[c * mr + i] = s;
            }
            swap_cols_range(P + j * ld - left, P + i * ld - left, 0, left);
            swap_cols_range(P + j * ld, P + i * ld, kb, width);
            *det = p - *det;
        }
        *det = vred(*det * wj[j], p, pinv);
        inv = (double) n_invmod((ulong) wj[j], (ulong) p);
        for (i = j + 1; i < mr; i++)
            wj[i] = vred(wj[i] * inv, p, pinv);
        for (c = j + 1; c < kb; c++)
        {
            double *wc = W + c * mr, u = vred(wc[j], p, pinv);
            wc[j] = u;
            if (u != 0)
                for (i = j + 1; i < mr; i++)
                    wc[i] -= wj[i] * u;
        }
    }
    for (i = 0; i < mr; i++)
        for (c = 0; c < kb; c++)
            P[i * ld + c] = vred(W[c * mr + i], p, pinv);
    return 1;
}

/* After panel_factor: the kb rows of the panel become U rows over the w
   columns to its right (B = L11^-1 B, B reduced as it is read) and the
   rows below are updated (C -= L21 B, reduced unless lazy). */
static void
panel_update(double *P, slong ld, slong mr, slong kb, slong w, double *Li,
             double *T, const vmod_t *V, int lazy)
{
    if (w == 0)
        return;
    unit_lower_inverse(Li, P, ld, kb, V);
    copy_reduced(T, P + kb, ld, kb, w, V);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) kb, (int) w,
                (int) kb, 1.0, Li, (int) kb, T, (int) w, 0.0, P + kb, (int) ld);
    vred_rows_mt(P + kb, ld, kb, w, V);
    vsubmul_red(P + kb * ld + kb, ld, P + kb * ld, ld, P + kb, ld, mr - kb, w, kb, V, !lazy);
}

/* Two levels of blocking: outer panels of OUTER columns, each factored
   by inner panels of at most min(INNER, vk) columns, whose updates stay
   inside the outer panel; the trailing matrix is updated once per outer
   panel, so its dgemm has inner dimension OUTER.

   Reductions are delayed when 2 OUTER <= vk: the active matrix's entries
   are then reduced only as they are read (panel_factor, copy_reduced)
   and, in all, whenever the products they have taken since (acc) could
   pass vk - OUTER; an outer step adds at most OUTER products to an entry,
   so none exceeds p + vk (p - 1)^2 < 2^53, vred's range. */
#define OUTER 512
#define INNER 64

ulong
genrank_vdet_blas(double *S, slong r, ulong p)
{
    vmod_t V;
    slong K0, KB, k0, kb, inner;
    double det = 1, *W, *Li, *T;
    int ok = 1, lazy, reduce;
    slong acc = 0;

    vmod_init(&V, p);
    lazy = 2 * OUTER <= V.vk;
    inner = FLINT_MIN(INNER, V.vk);
    W = flint_malloc(FLINT_MAX(r * INNER, 1) * sizeof(double));
    Li = flint_malloc(INNER * INNER * sizeof(double));
    T = flint_malloc(FLINT_MAX(INNER * r, 1) * sizeof(double));
    vred_rows_mt(S, r, r, r, &V);

    for (K0 = 0; K0 < r && ok; K0 += KB)
    {
        double *P0 = S + K0 * r + K0;
        slong mr = r - K0;
        vprogress(K0, r);
        KB = FLINT_MIN(OUTER, mr);
        for (k0 = 0; k0 < KB && ok; k0 += kb)
        {
            double *Pk = P0 + k0 * r + k0;
            kb = FLINT_MIN(inner, KB - k0);
            ok = panel_factor(Pk, r, mr - k0, kb, k0, mr - k0, W, &det, NULL, &V);
            if (ok)
                panel_update(Pk, r, mr - k0, kb, KB - k0 - kb, Li, T, &V, lazy);
        }
        if (!ok || KB == mr)
            break;
        /* U12 = L11^-1 A12 over the trailing columns, inner block by inner
           block, then A22 -= L21 U12 with inner dimension KB */
        for (k0 = 0; k0 < KB; k0 += kb)
        {
            double *R = P0 + k0 * r + KB;     /* rows k0.. of the trailing columns */
            kb = FLINT_MIN(inner, KB - k0);
            unit_lower_inverse(Li, P0 + k0 * r + k0, r, kb, &V);
            copy_reduced(T, R, r, kb, mr - KB, &V);
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) kb, (int) (mr - KB),
                        (int) kb, 1.0, Li, (int) kb, T, (int) (mr - KB), 0.0, R, (int) r);
            vred_rows_mt(R, r, kb, mr - KB, &V);
            vsubmul_red(R + kb * r, r, P0 + (k0 + kb) * r + k0, r, R, r,
                        KB - k0 - kb, mr - KB, kb, &V, !lazy);
        }
        reduce = !lazy || acc + 2 * OUTER > V.vk;
        vsubmul_red(P0 + KB * r + KB, r, P0 + KB * r, r, P0 + KB, r, mr - KB, mr - KB, KB, &V,
                    reduce);
        acc = reduce ? 0 : acc + KB;
    }
    vprogress(-1, r);
    flint_free(T);
    flint_free(Li);
    flint_free(W);
    return ok ? (ulong) det : 0;
}

/* The same determinant on residues stored in 16 bits (p < 2^16), for
   minors whose doubles would not fit in memory: S stays uint16_t and
   only the current outer panel is held in doubles.  Each outer panel of
   OUTER16 columns is converted to doubles and factored as above, its row
   swaps are then applied to S's trailing columns, and the trailing
   matrix is updated in chunks of CHUNK16 columns: U12 = L11^-1 A12 for
   the chunk in doubles, then A22 -= L21 U12 by blocks of ROWS16 rows
   converted to doubles, updated by one dgemm of inner dimension OUTER16,
   reduced and stored back.  U12 is not kept: only the pivots matter.
   Products are below p^2 < 2^32, so OUTER16 (p-1)^2 + p < 2^53 and no
   dgemm needs slicing (vk >= 2^20 for these primes). */
#ifndef OUTER16
#define OUTER16 512
#endif
#ifndef CHUNK16
#define CHUNK16 1024
#endif
#ifndef ROWS16
#define ROWS16 512
#endif

double
genrank_vdet_blas_u16_bytes(slong r)
{
    /* the panel and panel_factor's buffer; the diagonal blocks'
       inverses, the copy for the triangular solve, U12's chunk and a
       block of rows; the pivots */
    return 8.0 * (double) (OUTER16 + INNER) * (double) r
           + 8.0 * (OUTER16 * INNER + INNER * FLINT_MAX(OUTER16, CHUNK16)
                    + (OUTER16 + ROWS16) * CHUNK16 + OUTER16);
}

static void
u16_swap(uint16_t *x, uint16_t *y, slong n)
{
    slong c;
    for (c = 0; c < n; c++)
    {
        uint16_t s = x[c];
        x[c] = y[c];
        y[c] = s;
    }
}

ulong
_genrank_vdet_blas_u16_blocked(uint16_t *S, slong r, ulong p, slong outer, slong chunk,
                               slong rows)
{
    vmod_t V;
    slong K0, KB, k0, kb, j, nt, c0, cw, i0, rb, *piv;
    double det = 1, *P, *W, *Li, *T, *U, *C;
    int ok = 1;

    outer = FLINT_MAX(FLINT_MIN(outer, r), 1);
    chunk = FLINT_MAX(FLINT_MIN(chunk, r), 1);
    rows = FLINT_MAX(FLINT_MIN(rows, r), 1);
    vmod_init(&V, p);
    outer = FLINT_MIN(outer, V.vk);     /* vk >= 2^20 for p < 2^16 */
    P = flint_malloc(FLINT_MAX(r * outer, 1) * sizeof(double));     /* outer <= r */
    W = flint_malloc(FLINT_MAX(r * INNER, 1) * sizeof(double));
    Li = flint_malloc(outer * INNER * sizeof(double));
    T = flint_malloc(INNER * FLINT_MAX(outer, chunk) * sizeof(double));
    U = flint_malloc(outer * chunk * sizeof(double));
    C = flint_malloc(rows * chunk * sizeof(double));
    piv = flint_malloc(outer * sizeof(slong));

    for (K0 = 0; K0 < r && ok; K0 += KB)
    {
        uint16_t *S0 = S + K0 * r + K0;
        slong mr = r - K0;
        vprogress(K0, r);
        KB = FLINT_MIN(outer, mr);
        nt = mr - KB;
        /* the mr x KB column panel in P (leading dimension KB) */
        u16_move(0, P, KB, S0, r, mr, KB, &V);
        for (k0 = 0; k0 < KB && ok; k0 += kb)
        {
            double *Pk = P + k0 * KB + k0;
            kb = FLINT_MIN(INNER, KB - k0);
            ok = panel_factor(Pk, KB, mr - k0, kb, k0, KB - k0, W, &det, piv + k0, &V);
            if (ok)
                /* lazy: the panel's entries start in [0, p) and take at
                   most KB <= vk products before panel_factor reads them */
                panel_update(Pk, KB, mr - k0, kb, KB - k0 - kb, Li, T, &V, 1);
            for (j = k0; j < k0 + kb && ok; j++)
                piv[j] += k0;
        }
        if (!ok || nt == 0)
            break;
        for (j = 0; j < KB; j++)
            if (piv[j] != j)
                u16_swap(S0 + j * r + KB, S0 + piv[j] * r + KB, nt);
        /* the inverses of L11's diagonal blocks, block k0 at Li + k0 INNER */
        for (k0 = 0; k0 < KB; k0 += kb)
        {
            kb = FLINT_MIN(INNER, KB - k0);
            unit_lower_inverse(Li + k0 * INNER, P + k0 * KB + k0, KB, kb, &V);
        }
        for (c0 = 0; c0 < nt; c0 += cw)
        {
            cw = FLINT_MIN(chunk, nt - c0);
            /* U = L11^-1 A12 over the chunk, inner block by inner block */
            u16_move(0, U, cw, S0 + KB + c0, r, KB, cw, &V);
            for (k0 = 0; k0 < KB; k0 += kb)
            {
                double *R = U + k0 * cw;
                kb = FLINT_MIN(INNER, KB - k0);
                memcpy(T, R, kb * cw * sizeof(double));
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) kb, (int) cw,
                            (int) kb, 1.0, Li + k0 * INNER, (int) kb, T, (int) cw, 0.0, R, (int) cw);
                vred_rows_mt(R, cw, kb, cw, &V);
                vsubmul(R + kb * cw, cw, P + (k0 + kb) * KB + k0, KB, R, cw,
                        KB - k0 - kb, cw, kb, &V);
            }
            /* A22 -= L21 U, rows rows at a time */
            for (i0 = KB; i0 < mr; i0 += rb)
            {
                uint16_t *A = S0 + i0 * r + KB + c0;
                rb = FLINT_MIN(rows, mr - i0);
                u16_move(0, C, cw, A, r, rb, cw, &V);
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) rb, (int) cw,
                            (int) KB, -1.0, P + i0 * KB, (int) KB, U, (int) cw, 1.0, C, (int) cw);
                u16_move(1, C, cw, A, r, rb, cw, &V);
            }
        }
    }
    vprogress(-1, r);
    flint_free(piv);
    flint_free(C);
    flint_free(U);
    flint_free(T);
    flint_free(Li);
    flint_free(W);
    flint_free(P);
    return ok ? (ulong) det : 0;
}

ulong
genrank_vdet_blas_u16(uint16_t *S, slong r, ulong p)
{
    return _genrank_vdet_blas_u16_blocked(S, r, p, OUTER16, CHUNK16, ROWS16);
}

#else /* no CBLAS: the same contracts through FLINT, for completeness */

#include <flint/nmod_mat.h>
#include <flint/nmod_poly.h>

void
genrank_vred_u16(uint16_t *s, const double *d, slong n, ulong p)
{
    slong j;
    for (j = 0; j < n; j++)
    {
        double y = fmod(d[j], (double) p);
        s[j] = (uint16_t) (y < 0 ? y + (double) p : y);
    }
}

void
genrank_vpoly_blas(double *y, slong n, const ulong *c, slong len, ulong p)
{
    nmod_t mod;
    slong i;
    nmod_init(&mod, p);
    for (i = 0; i < n; i++)
        y[i] = (double) _nmod_poly_evaluate_nmod(c, len, (ulong) y[i], mod);
}

void
genrank_vmul_blas(double *G, const double *X, const double *Yt, slong a, slong b,
                  slong d, ulong p)
{
    slong i, j, l;
    for (i = 0; i < a; i++)
        for (j = 0; j < b; j++)
        {
            double s = 0;
            for (l = 0; l < d; l++)
                s = fmod(s + X[i * d + l] * Yt[l * b + j], (double) p);
            G[i * b + j] = s < 0 ? s + (double) p : s;
        }
}

ulong
genrank_vdet_blas(double *S, slong r, ulong p)
{
    nmod_mat_t M;
    slong i, j;
    ulong det;
    nmod_mat_init(M, r, r, p);
    for (i = 0; i < r; i++)
        for (j = 0; j < r; j++)
        {
            double x = fmod(S[i * r + j], (double) p);
            nmod_mat_entry(M, i, j) = (ulong) (x < 0 ? x + (double) p : x);
        }
    det = nmod_mat_det(M);
    nmod_mat_clear(M);
    return det;
}

double
genrank_vdet_blas_u16_bytes(slong r)
{
    return 16.0 * (double) r * (double) r;     /* nmod_mat_det's matrix and its copy */
}

ulong
genrank_vdet_blas_u16(uint16_t *S, slong r, ulong p)
{
    nmod_mat_t M;
    slong i, j;
    ulong det;
    nmod_mat_init(M, r, r, p);
    for (i = 0; i < r; i++)
        for (j = 0; j < r; j++)
            nmod_mat_entry(M, i, j) = (ulong) S[i * r + j] % p;
    det = nmod_mat_det(M);
    nmod_mat_clear(M);
    return det;
}

ulong
_genrank_vdet_blas_u16_blocked(uint16_t *S, slong r, ulong p, slong outer, slong chunk,
                               slong rows)
{
    (void) outer;       /* FLINT's determinant has its own blocking */
    (void) chunk;
    (void) rows;
    return genrank_vdet_blas_u16(S, r, p);
}

#endif
