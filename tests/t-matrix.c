/* genrank rank's library: the readers, the exact rank with its kernel
   certificate, and the checker, against matrices of known rank.

   A matrix of rank r is built as U V with U (rows x r) and V (r x cols)
   random, then its rank taken from FLINT's fmpq_mat_rref (an
   independent exact computation over Q), and disguised with zero rows
   and columns, repeated rows and rational row scalings.  Every file
   format reads back the same entries; certificates verify, and verify no
   longer once the minor, a kernel vector or the status is changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <flint/fmpq_mat.h>
#include <flint/ulong_extras.h>
#include <math.h>
#include <nettle/sha2.h>
#include <jansson.h>
#include "genrank.h"
#include "tap.h"

/* core/hashprime.c's bound (an internal symbol of the library) */
slong _genrank_hash_error_bits(double *minor_bits, slong *divisors, slong *excluded,
                               const fmpq *x, slong r, slong c, slong rank, slong t);

static genrank_rng_t rng;

static slong
rnd(slong bound)
{
    return (slong) genrank_rng_below(&rng, (uint64_t) bound);
}

/* M = U V (+ disguises), rows x cols; its rank over Q from FLINT. */
static slong
random_matrix(genrank_matrix_t M, slong rows, slong cols, slong r, int rational, slong bits)
{
    fmpq_mat_t U, V, P;
    slong i, j, rank;
    genrank_matrix_clear(M);
    fmpq_mat_init(U, rows, r);
    fmpq_mat_init(V, r, cols);
    fmpq_mat_init(P, rows, cols);
    for (i = 0; i < rows; i++)
        for (j = 0; j < r; j++)
        {
            fmpz_set_si(fmpq_mat_entry_num(U, i, j), rnd(2001) - 1000);
            if (bits > 10)
                fmpz_mul_2exp(fmpq_mat_entry_num(U, i, j), fmpq_mat_entry_num(U, i, j), (ulong) rnd(bits));
        }
    for (i = 0; i < r; i++)
        for (j = 0; j < cols; j++)
        {
            fmpz_set_si(fmpq_mat_entry_num(V, i, j), rnd(2001) - 1000);
            if (rational)
                fmpz_set_si(fmpq_mat_entry_den(V, i, j), 1 + rnd(30));
            fmpq_canonicalise(fmpq_mat_entry(V, i, j));
        }
    fmpq_mat_mul(P, U, V);
    /* disguises: a zero row, a repeated row, a scaled row */
    if (rows > 2 && rnd(2))
        for (j = 0; j < cols; j++)
            fmpq_zero(fmpq_mat_entry(P, rnd(rows), j));
    if (rows > 2 && rnd(2))
    {
        slong a = rnd(rows), b = rnd(rows);
        for (j = 0; j < cols; j++)
            fmpq_set(fmpq_mat_entry(P, a, j), fmpq_mat_entry(P, b, j));
    }
    if (rational && rows > 1)
    {
        fmpq_t s;
        fmpq_init(s);
        fmpq_set_si(s, 1 + rnd(9), 1 + rnd(11));
        i = rnd(rows);
        for (j = 0; j < cols; j++)
            fmpq_mul(fmpq_mat_entry(P, i, j), fmpq_mat_entry(P, i, j), s);
        fmpq_clear(s);
    }
    {
        fmpq_mat_t E;     /* FLINT's reduced row echelon form over Q */
        fmpq_mat_init(E, rows, cols);
        rank = fmpq_mat_rref(E, P);
        fmpq_mat_clear(E);
    }
    M->r = rows;
    M->c = cols;
    M->x = _fmpq_vec_init(rows * cols);
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            fmpq_set(M->x + i * cols + j, fmpq_mat_entry(P, i, j));
    fmpq_mat_clear(U);
    fmpq_mat_clear(V);
    fmpq_mat_clear(P);
    return rank;
}

/* The matrix written in format fmt (MM coordinate, SMS or JSON) into buf. */
static char *
write_format(const genrank_matrix_t M, genrank_matrix_format_t fmt)
{
    char *buf;
    size_t size;
    FILE *f = open_memstream(&buf, &size);
    slong i, j, nnz = 0;
    for (i = 0; i < M->r * M->c; i++)
        nnz += !fmpq_is_zero(M->x + i);
    if (fmt == GENRANK_MATRIX_MM)
        fprintf(f, "%%%%MatrixMarket matrix coordinate real general\n%% a comment\n%ld %ld %ld\n",
                (long) M->r, (long) M->c, (long) nnz);
    else if (fmt == GENRANK_MATRIX_SMS)
        fprintf(f, "%ld %ld M\n", (long) M->r, (long) M->c);
    else
        fputc('[', f);
    for (i = 0; i < M->r; i++)
    {
        if (fmt == GENRANK_MATRIX_JSON)
            fputs(i ? ",[" : "[", f);
        for (j = 0; j < M->c; j++)
        {
            const fmpq *x = M->x + i * M->c + j;
            if (fmt == GENRANK_MATRIX_JSON)
            {
                fputs(j ? ",\"" : "\"", f);
                fmpq_fprint(f, x);
                fputc('"', f);
            }
            else if (!fmpq_is_zero(x))
            {
                fprintf(f, "%ld %ld ", (long) i + 1, (long) j + 1);
                fmpq_fprint(f, x);
                fputc('\n', f);
            }
        }
        if (fmt == GENRANK_MATRIX_JSON)
            fputc(']', f);
    }
    if (fmt == GENRANK_MATRIX_SMS)
        fputs("0 0 0\n", f);
    else if (fmt == GENRANK_MATRIX_JSON)
        fputs("]\n", f);
    fclose(f);
    return buf;
}

static int
same(const genrank_matrix_t A, const genrank_matrix_t B)
{
    slong i;
    if (A->r != B->r || A->c != B->c)
        return 0;
    for (i = 0; i < A->r * A->c; i++)
        if (!fmpq_equal(A->x + i, B->x + i))
            return 0;
    return 1;
}

static void
test_ranks(void)
{
    char path[] = "/tmp/t-matrix-XXXXXX";
    int fd = mkstemp(path);
    slong iter, bad_rank = 0, bad_exact = 0, bad_verify = 0, bad_fmt = 0, left = 0, right = 0;
    slong tampered = 0, refused = 0;
    genrank_matrix_t M, R;
    close(fd);
    genrank_matrix_init(M);
    genrank_matrix_init(R);
    for (iter = 0; iter < 60; iter++)
    {
        slong rows = 1 + rnd(14), cols = 1 + rnd(14), r = rnd(FLINT_MIN(rows, cols) + 1);
        slong want = random_matrix(M, rows, cols, r, iter % 3 == 0, iter % 5 == 0 ? 200 : 0);
        genrank_matrix_rank_t res;
        genrank_matrix_opts_t o;
        genrank_err_t e;
        genrank_verify_info_t info;
        genrank_matrix_format_t fmts[3] = {GENRANK_MATRIX_MM, GENRANK_MATRIX_SMS, GENRANK_MATRIX_JSON};
        char *text;
        int k;
        for (k = 0; k < 3; k++)
        {
            char *s = write_format(M, fmts[k]);
            if (genrank_matrix_parse(R, s, strlen(s), GENRANK_MATRIX_AUTO, &e) != 0 || !same(M, R)
                || R->format != fmts[k])
            {
                bad_fmt++;
                TAP_DIAG("format %d: %s", k, e.msg);
            }
            free(s);
        }
        genrank_matrix_opts_init(&o);
        o.seed = (uint64_t) iter;
        o.exact = 1;
        genrank_matrix_rank_init(res);
        if (genrank_matrix_rank(res, M, &o, &e) != 0 || res->rank != want)
        {
            bad_rank++;
            TAP_DIAG("%ld x %ld: rank %ld, FLINT over Q says %ld", (long) rows, (long) cols,
                     (long) res->rank, (long) want);
        }
        if (!res->exact)
            bad_exact++;
        left += res->exact && res->left && res->k > 0;
        right += res->exact && !res->left && res->k > 0;
        genrank_matrix_cert_write(res, M, path, &e);
        if (genrank_verify_file(path, &info, &e) != 0 || !info.matrix || info.rank != want
            || (res->exact && info.corrected[0] == '\0'))
        {
            bad_verify++;
            TAP_DIAG("verify: %s", e.msg);
        }
        text = slurp(path);
        /* a changed minor residue, a changed kernel entry, a false status,
           a rank one higher: each edited in the parsed JSON */
        for (k = 0; k < 4; k++)
        {
            json_error_t je;
            json_t *root = json_loads(text, 0, &je), *v = NULL;
            char *out;
            if (k == 0 && res->rank > 0)
            {
                /* another residue (a string when 2^53 or more) */
                json_object_set_new(json_object_get(root, "witness"), "det_mod_p",
                                    json_integer(res->det == 1 ? 2 : 1));
                v = root;
            }
            else if (k == 1 && res->k > 0)
            {
                /* a coordinate whose line of M is not zero (changing any
                   other keeps the vector in the kernel: still valid) */
                slong j = rnd(res->len), t2, nz = 0;
                for (t2 = 0; t2 < res->len && !nz; t2++, j = (j + 1) % res->len)
                {
                    slong u;
                    for (u = 0; u < (res->left ? M->c : M->r); u++)
                        nz |= !fmpq_is_zero(M->x + (res->left ? j * M->c + u : u * M->c + j));
                    if (nz)
                        break;
                }
                v = json_array_get(json_array_get(json_object_get(json_object_get(root, "upper_bound"),
                                                                  "vectors"), 0), j);
                if (nz && json_is_integer(v))
                    json_integer_set(v, json_integer_value(v) + 1);
                else
                    v = NULL;
            }
            else if (k == 2 && res->k > 0)
                json_object_set_new(root, "status", json_string("lower bound")), v = root;
            else if (k == 3 && res->rank < FLINT_MIN(rows, cols))
                json_object_set_new(root, "rank", json_integer(res->rank + 1)), v = root;
            if (v != NULL)
            {
                out = json_dumps(root, 0);
                tampered++;
                refused += (genrank_verify_string(out, NULL, &e) != 0);
                if (genrank_verify_string(out, NULL, &e) == 0)
                    TAP_DIAG("tampering %d accepted", k);
                free(out);
            }
            json_decref(root);
        }
        free(text);
        genrank_matrix_rank_clear(res);
    }
    TAP_OK(bad_fmt == 0, "Matrix Market, SMS and JSON read back the entries written (60 matrices)");
    TAP_OK(bad_rank == 0, "the certified rank equals FLINT's rank over Q (60 matrices, rational, "
           "200-bit entries, zero and repeated rows)");
    TAP_OK(bad_exact == 0 && left > 0 && right > 0, "--exact gives a kernel certificate each time "
           "(%ld by the left kernel, %ld by the right)", (long) left, (long) right);
    TAP_OK(bad_verify == 0, "every certificate verifies, exact where the kernel is given");
    TAP_OK(tampered > 60 && refused == tampered, "tampered certificates are refused (%ld of %ld: "
           "minor residue, kernel entry, status, rank)", (long) refused, (long) tampered);
    genrank_matrix_clear(M);
    genrank_matrix_clear(R);
    unlink(path);
}

/* The digest of the matrix's canonical text, written here from the
   definition in doc/certificate-format.md, section 11.5. */
static void
digest_hex(char hex[65], const genrank_matrix_t M)
{
    struct sha256_ctx ctx;
    uint8_t d[32];
    slong i;
    char head[64];
    sha256_init(&ctx);
    snprintf(head, sizeof head, "genrank-matrix-digest 1\n%ld %ld\n", (long) M->r, (long) M->c);
    sha256_update(&ctx, strlen(head), (const uint8_t *) head);
    for (i = 0; i < M->r * M->c; i++)
    {
        char *t = fmpq_get_str(NULL, 10, M->x + i);
        sha256_update(&ctx, strlen(t), (const uint8_t *) t);
        sha256_update(&ctx, 1, (const uint8_t *) "\n");
        flint_free(t);
    }
    sha256_digest(&ctx, 32, d);
    for (i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* The primes drawn from the digest, from the same definition. */
static ulong
drawn_prime(const char *hex, uint64_t *k, const genrank_matrix_t M)
{
    uint8_t in[40], out[32];
    slong i;
    for (i = 0; i < 32; i++)
    {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        in[i] = (uint8_t) v;
    }
    for (;;)
    {
        struct sha256_ctx ctx;
        uint64_t w = 0;
        ulong p;
        int ok = 1;
        for (i = 0; i < 8; i++)
            in[32 + i] = (uint8_t) (*k >> (56 - 8 * i));
        (*k)++;
        sha256_init(&ctx);
        sha256_update(&ctx, 40, in);
        sha256_digest(&ctx, 32, out);
        for (i = 0; i < 8; i++)
            w = (w << 8) | out[i];
        p = (UWORD(1) << 61) | (w & ((UWORD(1) << 61) - 1));
        for (i = 0; i < M->r * M->c && ok; i++)
            ok = fmpz_fdiv_ui(fmpq_denref(M->x + i), p) != 0;
        if (ok && n_is_prime(p))
            return p;
    }
}

/* log2 |D| of one (s x s) minor of M scaled to integers along lines
   (rows, or columns), each line times the lcm of its denominators (-1
   when D = 0). */
static double
minor_log2(const genrank_matrix_t M, slong s, const slong *rows, const slong *cols, int by_rows)
{
    fmpq_mat_t A;
    fmpq_t det;
    slong i, j, b;
    double v = -1;
    fmpz_t den, num;
    fmpq_mat_init(A, s, s);
    fmpz_init(den);
    fmpz_init(num);
    fmpq_init(det);
    for (i = 0; i < s; i++)
        for (j = 0; j < s; j++)
        {
            fmpz_one(den);
            for (b = 0; b < (by_rows ? M->c : M->r); b++)
                fmpz_lcm(den, den, fmpq_denref(M->x + (by_rows ? rows[i] * M->c + b : b * M->c + cols[j])));
            fmpq_set(fmpq_mat_entry(A, i, j), M->x + rows[i] * M->c + cols[j]);
            fmpq_mul_fmpz(fmpq_mat_entry(A, i, j), fmpq_mat_entry(A, i, j), den);
        }
    fmpq_mat_det(det, A);
    if (!fmpq_is_zero(det))
    {
        fmpz_abs(num, fmpq_numref(det));
        v = fmpz_dlog(num) / 0.6931471805599453;
    }
    fmpq_clear(det);
    fmpz_clear(num);
    fmpz_clear(den);
    fmpq_mat_clear(A);
    return v;
}

/* The smaller of the two logarithms for a random (s x s) minor: each
   bounds the number of large primes dividing it. */
static double
random_minor_log2(const genrank_matrix_t M, slong s)
{
    slong *rows = flint_malloc(M->r * sizeof(slong)), *cols = flint_malloc(M->c * sizeof(slong));
    slong i, j;
    double v;
    for (i = 0; i < M->r; i++)
        rows[i] = i;
    for (j = 0; j < M->c; j++)
        cols[j] = j;
    for (i = 0; i < s; i++)   /* partial Fisher-Yates */
    {
        slong a = i + rnd(M->r - i), b = i + rnd(M->c - i), t;
        t = rows[i], rows[i] = rows[a], rows[a] = t;
        t = cols[i], cols[i] = cols[b], cols[b] = t;
    }
    v = FLINT_MIN(minor_log2(M, s, rows, cols, 1), minor_log2(M, s, rows, cols, 0));
    flint_free(rows);
    flint_free(cols);
    return v;
}

/* One edit of a probabilistic certificate (k = 0..7); NULL when it does
   not apply.  Each must be refused. */
static char *
tamper_hash(const char *text, int k, const genrank_matrix_rank_t res)
{
    json_error_t je;
    json_t *root = json_loads(text, 0, &je), *ub = json_object_get(root, "upper_bound");
    char buf[80], *out = NULL;
    int ok = 1;
    switch (k)
    {
    case 0:   /* another prime of the same size */
        snprintf(buf, sizeof buf, "%lu", (unsigned long) n_nextprime(res->hp[0], 1));
        json_array_set_new(json_object_get(ub, "primes"), 0, json_string(buf));
        break;
    case 1:   /* a rank modulo a prime */
        json_array_set_new(json_object_get(ub, "ranks"), 0, json_integer(res->hr[0] > 0 ? res->hr[0] - 1 : 1));
        break;
    case 2:   /* a stronger error bound, with a status to match */
        ok = res->error_bits >= 0;
        json_object_set_new(ub, "error_bits", json_integer(res->error_bits + 1));
        snprintf(buf, sizeof buf, "exact with probability >= 1 - 2^-%ld", (long) res->error_bits + 1);
        json_object_set_new(root, "status", json_string(buf));
        break;
    case 3:   /* a weaker error bound, the status unchanged */
        ok = res->error_bits > 1;
        json_object_set_new(ub, "error_bits", json_integer(res->error_bits - 1));
        break;
    case 4:   /* the digest of another matrix */
        json_object_set_new(ub, "digest", json_string("0000000000000000000000000000000000000000000000000000000000000000"));
        break;
    case 5:   /* Hadamard's bound */
        json_object_set_new(ub, "minor_bits", json_real(res->minor_bits - 1));
        break;
    case 6:   /* a plain "exact" */
        ok = res->error_bits >= 0;
        json_object_set_new(root, "status", json_string("exact"));
        break;
    default:  /* one prime fewer, so the bound claimed does not follow */
        ok = res->nh > 1 && res->error_bits >= 0;
        json_array_remove(json_object_get(ub, "primes"), res->nh - 1);
        json_array_remove(json_object_get(ub, "ranks"), res->nh - 1);
        break;
    }
    if (ok)
        out = json_dumps(root, 0);
    json_decref(root);
    return out;
}

static void
test_probabilistic(void)
{
    char path[] = "/tmp/t-matrix-XXXXXX";
    int fd = mkstemp(path);
    slong iter, bad_rank = 0, bad_verify = 0, bad_digest = 0, bad_primes = 0, bad_bound = 0;
    slong proofs = 0, prob = 0, tampered = 0, refused = 0, minors = 0;
    genrank_matrix_t M;
    close(fd);
    genrank_matrix_init(M);
    for (iter = 0; iter < 60; iter++)
    {
        slong rows = 2 + rnd(16), cols = 2 + rnd(16), r = rnd(FLINT_MIN(rows, cols));
        slong want = random_matrix(M, rows, cols, r, iter % 3 == 0, iter % 4 == 0 ? 300 : 0);
        genrank_matrix_rank_t res;
        genrank_matrix_opts_t o;
        genrank_err_t e;
        genrank_verify_info_t info;
        char hex[65], st[64], *text;
        uint64_t k = 0;
        slong i;
        int t;
        genrank_matrix_opts_init(&o);
        o.seed = (uint64_t) iter;
        o.exact = 1;
        o.upper = GENRANK_UPPER_PROBABILISTIC;
        genrank_matrix_rank_init(res);
        if (genrank_matrix_rank(res, M, &o, &e) != 0 || res->rank != want || !res->exact)
        {
            bad_rank++;
            TAP_DIAG("%ld x %ld: rank %ld, FLINT over Q says %ld (%s)", (long) rows, (long) cols,
                     (long) res->rank, (long) want, e.msg);
            genrank_matrix_rank_clear(res);
            continue;
        }
        if (!res->probabilistic)   /* full rank after disguises: no bound needed */
        {
            genrank_matrix_rank_clear(res);
            continue;
        }
        digest_hex(hex, M);
        bad_digest += strcmp(hex, res->digest) != 0;
        for (i = 0; i < res->nh; i++)
            bad_primes += drawn_prime(hex, &k, M) != res->hp[i];
        proofs += res->error_bits < 0;
        prob += res->error_bits >= GENRANK_HASH_TARGET_BITS;
        if (res->error_bits >= 0 && res->error_bits < GENRANK_HASH_TARGET_BITS)
        {
            bad_bound++;
            TAP_DIAG("error bits %ld with %ld primes", (long) res->error_bits, (long) res->nh);
        }
        genrank_matrix_cert_write(res, M, path, &e);
        if (genrank_verify_file(path, &info, &e) != 0 || info.rank != want
            || strcmp(info.status, genrank_matrix_status(st, res)) != 0 || strncmp(st, "exact", 5) != 0)
        {
            bad_verify++;
            TAP_DIAG("verify: %s", e.msg);
        }
        text = slurp(path);
        for (t = 0; t < 8; t++)
        {
            char *out = tamper_hash(text, t, res);
            if (out != NULL)
            {
                tampered++;
                if (genrank_verify_string(out, NULL, &e) != 0)
                    refused++;
                else
                    TAP_DIAG("tampering %d accepted", t);
                free(out);
            }
        }
        free(text);
        genrank_matrix_rank_clear(res);
    }
    /* the bound's soundness: on random full matrices, no (s x s) minor
       exceeds the bound recorded for rank s - 1 */
    for (iter = 0; iter < 40; iter++)
    {
        slong rows = 2 + rnd(8), cols = 2 + rnd(8), s = 1 + rnd(FLINT_MIN(rows, cols)), K, ex, j;
        double mb, v;
        random_matrix(M, rows, cols, FLINT_MIN(rows, cols), iter % 2, iter % 3 == 0 ? 100 : 0);
        _genrank_hash_error_bits(&mb, &K, &ex, M->x, M->r, M->c, s - 1, 1);
        for (j = 0; j < 20; j++)
            if ((v = random_minor_log2(M, s)) >= 0)
            {
                minors++;
                if (v > mb)
                {
                    bad_bound++;
                    TAP_DIAG("a %ld x %ld minor of 2^%.2f above Hadamard's bound 2^%.1f", (long) s,
                             (long) s, v, mb);
                }
            }
    }
    TAP_OK(bad_rank == 0, "the probabilistic route's rank equals FLINT's rank over Q (60 matrices)");
    TAP_OK(bad_digest == 0 && bad_primes == 0, "the digest and the primes drawn from it follow the "
           "definition, recomputed here with nettle");
    TAP_OK(bad_bound == 0 && minors > 100 && prob > 5 && proofs > 5, "the error bound reaches 2^-%d "
           "(%ld), or is a proof when Hadamard's bound is below 2^61 (%ld); %ld random minors within "
           "Hadamard's bound", GENRANK_HASH_TARGET_BITS, (long) prob, (long) proofs, (long) minors);
    TAP_OK(bad_verify == 0, "every probabilistic certificate verifies, with the status recomputed");
    TAP_OK(tampered > 100 && refused == tampered, "tampered probabilistic certificates are refused "
           "(%ld of %ld: prime, rank, error bound, digest, Hadamard's bound, status, a prime fewer)",
           (long) refused, (long) tampered);
    genrank_matrix_clear(M);
    unlink(path);
}

/* A .npy file written here from NEP 1: M's entries (integers that fit)
   as kind/size ('i', 'u', 'b' or 'f' with size bytes), byte order big or
   little, Fortran or C order, format version major.  *len is set. */
static unsigned char *
npy_write(size_t *len, const genrank_matrix_t M, char kind, int size, int big, int fortran,
          int major, const double *dvals)
{
    char head[256];
    size_t hl, pre = major == 1 ? 10 : 12, total, k;
    unsigned char *out;
    slong i, j;
    snprintf(head, sizeof head, "{'descr': '%c%c%d', 'fortran_order': %s, 'shape': (%ld, %ld), }",
             size == 1 ? '|' : big ? '>' : '<', kind, size, fortran ? "True" : "False",
             (long) M->r, (long) M->c);
    hl = strlen(head);
    while ((pre + hl + 1) % 64 != 0)
        head[hl++] = ' ';
    head[hl++] = '\n';
    total = pre + hl + (size_t) (M->r * M->c) * size;
    out = malloc(total);
    memcpy(out, "\x93NUMPY", 6);
    out[6] = (unsigned char) major;
    out[7] = 0;
    for (k = 0; k < pre - 8; k++)
        out[8 + k] = (unsigned char) (hl >> (8 * k));
    memcpy(out + pre, head, hl);
    for (i = 0; i < M->r; i++)
        for (j = 0; j < M->c; j++)
        {
            size_t at = pre + hl + (size_t) (fortran ? j * M->r + i : i * M->c + j) * size;
            uint64_t u;
            int b;
            if (kind == 'f' && size == 8)
                memcpy(&u, dvals + i * M->c + j, 8);
            else if (kind == 'f')
            {
                float f = (float) dvals[i * M->c + j];
                uint32_t w;
                memcpy(&w, &f, 4);
                u = w;
            }
            else
                u = kind == 'u' ? fmpz_get_ui(fmpq_numref(M->x + i * M->c + j))
                    : (uint64_t) fmpz_get_si(fmpq_numref(M->x + i * M->c + j));
            for (b = 0; b < size; b++)
                out[at + (big ? size - 1 - b : b)] = (unsigned char) (u >> (8 * b));
        }
    *len = total;
    return out;
}

static void
test_npy(void)
{
    static const char kinds[] = {'i', 'u', 'b'};
    slong iter, bad = 0, bad_float = 0, refused = 0;
    genrank_matrix_t M, R;
    genrank_err_t e;
    genrank_matrix_init(M);
    genrank_matrix_init(R);
    for (iter = 0; iter < 200; iter++)
    {
        char kind = kinds[rnd(3)];
        int size = kind == 'b' ? 1 : 1 << rnd(4), big = rnd(2), fortran = rnd(2), major = 1 + rnd(3);
        slong r = 1 + rnd(9), c = 1 + rnd(9), i;
        unsigned char *buf;
        size_t len;
        genrank_matrix_clear(M);
        M->r = r, M->c = c;
        M->x = _fmpq_vec_init(r * c);
        for (i = 0; i < r * c; i++)
        {
            /* a value of the type's range, extremes included */
            uint64_t u = genrank_rng_next(&rng);
            int shift = 64 - 8 * size;
            if (kind == 'b')
                fmpz_set_ui(fmpq_numref(M->x + i), u & 1);
            else if (kind == 'u')
                fmpz_set_ui(fmpq_numref(M->x + i), shift ? u >> shift : u);
            else
                fmpz_set_si(fmpq_numref(M->x + i), shift ? (slong) ((int64_t) u >> shift) : (slong) u);
        }
        buf = npy_write(&len, M, kind, size, big, fortran, major, NULL);
        if (genrank_matrix_parse(R, (const char *) buf, len, GENRANK_MATRIX_AUTO, &e) != 0
            || !same(M, R) || R->format != GENRANK_MATRIX_NPY)
        {
            bad++;
            TAP_DIAG("npy %c%d big %d fortran %d v%d: %s", kind, size, big, fortran, major, e.msg);
        }
        free(buf);
    }
    /* floats: refused without the flag; with it, exactly GMP's mpq_set_d */
    for (iter = 0; iter < 100; iter++)
    {
        slong r = 1 + rnd(6), c = 1 + rnd(6), i;
        int size = rnd(2) ? 8 : 4;
        double *d = malloc(r * c * sizeof(double));
        unsigned char *buf;
        size_t len;
        mpq_t q;
        genrank_matrix_clear(M);
        M->r = r, M->c = c;
        M->x = _fmpq_vec_init(r * c);
        mpq_init(q);
        for (i = 0; i < r * c; i++)
        {
            d[i] = ldexp((double) (int64_t) genrank_rng_next(&rng), (int) rnd(200) - 150);
            if (size == 4)
                d[i] = (float) d[i];
            mpq_set_d(q, d[i]);
            fmpq_set_mpq(M->x + i, q);
        }
        buf = npy_write(&len, M, 'f', size, rnd(2), rnd(2), 1, d);
        refused += genrank_matrix_parse(R, (const char *) buf, len, GENRANK_MATRIX_AUTO, &e) != 0
                   && strstr(e.msg, "--float-exact") != NULL;
        if (genrank_matrix_parse(R, (const char *) buf, len, GENRANK_MATRIX_AUTO | GENRANK_MATRIX_FLOAT_EXACT, &e) != 0
            || !same(M, R))
        {
            bad_float++;
            TAP_DIAG("npy floats: %s", e.msg);
        }
        mpq_clear(q);
        free(d);
        free(buf);
    }
    TAP_OK(bad == 0, ".npy integers and booleans of every size, byte order, memory order and "
           "version read back exactly (200 arrays, extremes of each type included)");
    TAP_OK(bad_float == 0 && refused == 100, ".npy floats are refused without --float-exact and "
           "with it read as GMP's exact mpq_set_d (100 arrays of 4- and 8-byte floats)");
    /* malformed files */
    {
        static const char *bad_heads[] = {
            "{'descr': '|O', 'fortran_order': False, 'shape': (2, 2), }",
            "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2, 2), }",
            "{'descr': '<c16', 'fortran_order': False, 'shape': (2, 2), }",
            "{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '<i8', 'fortran_order': False, 'shape': (0, 3), }",
            "{'descr': '<i8', 'fortran_order': Maybe, 'shape': (2, 2), }",
            "{'descr': '<i8', 'fortran_order': False, 'shape': (1000000, 1000000), }",
            "{'descr': '<i3', 'fortran_order': False, 'shape': (2, 2), }",
            "{'descr': '",
            "{'shape': (2, 2), 'fortran_order': False, 'x': \"'descr': '<i8'\", 'descr': '<f8'}"};
        static const char *want[] = {"Python objects", "more than two", "not a number", "structured",
                                     "empty", "fortran_order", "truncated", "1, 2, 4 and 8",
                                     "not a dict", "floats"};
        int k, ok = 1;
        for (k = 0; k < 10; k++)
        {
            unsigned char buf[512];
            size_t hl = strlen(bad_heads[k]);
            memset(buf, 0, sizeof buf);
            memcpy(buf, "\x93NUMPY\x01\x00", 8);
            buf[8] = (unsigned char) hl;
            buf[9] = 0;
            memcpy(buf + 10, bad_heads[k], hl);
            /* 32 bytes of data: 4 entries of 8 bytes */
            if (genrank_matrix_parse(R, (const char *) buf, 10 + hl + 32, GENRANK_MATRIX_AUTO, &e) == 0
                || strstr(e.msg, want[k]) == NULL)
            {
                ok = 0;
                TAP_DIAG("malformed .npy %d: %s", k, e.msg);
            }
        }
        /* a truncated header and an unknown version */
        if (genrank_matrix_parse(R, "\x93NUMPY\x01\x00\x40\x00{'descr'", 17, GENRANK_MATRIX_NPY, &e) == 0
            || genrank_matrix_parse(R, "\x93NUMPY\x09\x00\x04\x00{}  ", 14, GENRANK_MATRIX_NPY, &e) == 0
            || strstr(e.msg, "version 9") == NULL)
            ok = 0;
        TAP_OK(ok, "malformed .npy files are refused with a message naming the problem (object, "
               "3-D, complex, structured, empty, bad fortran_order, truncated data or header, "
               "odd size, a header cut inside descr, a key inside a string value, unknown version)");
    }
    genrank_matrix_clear(M);
    genrank_matrix_clear(R);
}

static void
test_formats(void)
{
    static const struct { const char *text; const char *want; } bad[] = {
        {"%%MatrixMarket matrix coordinate complex general\n2 2 1\n1 1 1 0\n", "complex"},
        {"%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 1 5\n3 1 2\n", "line 4"},
        {"%%MatrixMarket matrix coordinate integer general\n2 2 3\n1 1 5\n", "ends after 1 of the 3"},
        {"%%MatrixMarket matrix array real general\n2 1\n0.5\nx\n", "line 4, field 1"},
        {"2 2 M\n1 1 3\n2 2 1e400000\n0 0 0\n", "line 3"},
        {"2 2 M\n1 1 3\n", "0 0 0"},
        {"[[1, 2], [3]]", "row 1"},
        {"[[1, 0.5]]", "as a string"},
        {"[[1, \"1/0\"]]", "row 0, entry 1"},
        {"", "starts with"},
        {"%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 1 5\n1 1 7\n", "lines 3 and 4"},
        {"2 2 M\n2 1 3\n2 1 4\n0 0 0\n", "lines 2 and 3"},
        {"%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 0.5\n", "not an integer"},
        {"%%MatrixMarket matrix coordinate pattern skew-symmetric\n2 2 1\n2 1\n", "skew"},
        {"%%MatrixMarket matrix coordinate integer general\n100000 100000 1\n1 1 1\n", "stored densely"},
    };
    genrank_matrix_t M;
    genrank_err_t e;
    size_t k;
    int ok = 1;
    const char *sym = "%%MatrixMarket matrix coordinate integer symmetric\n3 3 3\n1 1 2\n3 1 -4\n2 2 1\n";
    const char *skew = "%%MatrixMarket matrix array integer skew-symmetric\n3 3\n1\n2\n3\n";
    genrank_matrix_init(M);
    for (k = 0; k < sizeof bad / sizeof bad[0]; k++)
        if (genrank_matrix_parse(M, bad[k].text, strlen(bad[k].text), GENRANK_MATRIX_AUTO, &e) == 0
            || strstr(e.msg, bad[k].want) == NULL)
        {
            ok = 0;
            TAP_DIAG("case %zu: '%s' does not name '%s'", k, e.msg, bad[k].want);
        }
    TAP_OK(ok, "malformed files in every format are refused, naming the line, row or field");
    ok = genrank_matrix_parse(M, sym, strlen(sym), GENRANK_MATRIX_AUTO, &e) == 0
         && fmpz_equal_si(fmpq_numref(M->x + 2), -4) && fmpz_equal_si(fmpq_numref(M->x + 6), -4)
         && fmpz_equal_si(fmpq_numref(M->x + 4), 1);
    ok &= genrank_matrix_parse(M, skew, strlen(skew), GENRANK_MATRIX_AUTO, &e) == 0
          && fmpz_equal_si(fmpq_numref(M->x + 3), 1) && fmpz_equal_si(fmpq_numref(M->x + 1), -1)
          && fmpz_equal_si(fmpq_numref(M->x + 7), 3) && fmpz_equal_si(fmpq_numref(M->x + 5), -3);
    TAP_OK(ok, "Matrix Market symmetric and skew-symmetric matrices are expanded");
    genrank_matrix_clear(M);
}

int
main(void)
{
    genrank_rng_seed(&rng, 20261130);
    test_formats();
    test_ranks();
    test_probabilistic();
    test_npy();
    return tap_done();
}
