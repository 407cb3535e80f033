/* A user's matrix, read exactly: every entry an integer or a rational
   (exact decimals and p/q), never a double.  Formats: Matrix Market
   (coordinate or array; integer, real read as exact decimals, pattern;
   general, symmetric or skew-symmetric), LinBox's SMS (rows cols M, then
   1-based "i j value" triples ending with "0 0 0") and JSON (an array of
   rows; integers, or strings holding a decimal or p/q).  Sizes are
   checked against the memory available before the matrix is allocated.

   Matrix Market is read here rather than with NIST's mmio.c: that code
   is not packaged in Debian 12 and reads "real" entries as doubles,
   which would lose exactly what genrank exists to keep. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <jansson.h>
#include <nettle/sha2.h>
#include <flint/fmpq_vec.h>
#include "genrank.h"
#include "core.h"

/* a matrix of more entries than this is refused outright */
#define ENTRIES_MAX (WORD(1) << 34)

void
genrank_matrix_init(genrank_matrix_t M)
{
    memset(M, 0, sizeof(genrank_matrix_struct));
}

void
genrank_matrix_clear(genrank_matrix_t M)
{
    if (M->x != NULL)
        _fmpq_vec_clear(M->x, M->r * M->c);
    memset(M, 0, sizeof(genrank_matrix_struct));
}

const char *
genrank_matrix_format_name(genrank_matrix_format_t f)
{
    switch (f)
    {
        case GENRANK_MATRIX_MM: return "Matrix Market";
        case GENRANK_MATRIX_SMS: return "SMS";
        case GENRANK_MATRIX_JSON: return "JSON";
        case GENRANK_MATRIX_NPY: return "npy";
        default: return "auto";
    }
}

/* The dense matrix a file of len bytes may ask for: 256 MiB, or 64 bytes
   of entries per byte of text, so that a short file with a large size
   line cannot make the reader allocate gigabytes before any entry. */
#define DENSE_MIN_BYTES 268435456.0
#define DENSE_PER_BYTE 64.0

/* r x c zero entries, after checking the size against memory and
   against what a text of len bytes justifies. */
int
_genrank_matrix_alloc(genrank_matrix_t M, slong r, slong c, size_t len, genrank_err_t *err)
{
    double bytes;
    if (r < 1 || c < 1)
        return genrank_err_set(err, GENRANK_EINVAL, "a matrix needs at least one row and one "
                               "column (%ld x %ld given)", (long) r, (long) c);
    if (r > ENTRIES_MAX / c)
        return genrank_err_set(err, GENRANK_ENOMEM, "a %ld x %ld matrix is too large", (long) r, (long) c);
    bytes = (double) r * (double) c * (double) sizeof(fmpq);
    if (bytes > DENSE_MIN_BYTES && bytes > DENSE_PER_BYTE * (double) len)
    {
        char b1[32];
        return genrank_err_set(err, GENRANK_EINVAL, "a %ld x %ld matrix is stored densely, in %s: "
                               "more than 64 bytes per byte of this %zu-byte file (genrank rank "
                               "reads dense matrices)", (long) r, (long) c, _genrank_bytes_str(b1, bytes), len);
    }
    if (bytes > 0.5 * (double) genrank_memory_available())
        return genrank_err_set(err, GENRANK_ENOMEM, "a %ld x %ld matrix needs more than half "
                               "the memory available", (long) r, (long) c);
    M->r = r;
    M->c = c;
    M->x = _fmpq_vec_init(r * c);
    return 0;
}

double
_genrank_qline_bytes(const fmpq *x, slong len, slong stride)
{
    slong k;
    double den = 0, num = 0;
    for (k = 0; k < len; k++)
    {
        if (!fmpz_is_one(fmpq_denref(x + k * stride)))
            den += (double) fmpz_bits(fmpq_denref(x + k * stride));
        num = FLINT_MAX(num, (double) fmpz_bits(fmpq_numref(x + k * stride)));
    }
    return (double) len * ((den + num) / 8.0 + 16.0);
}

void
_genrank_qline_integers(fmpz *out, fmpz_t den, const fmpq *x, slong len, slong stride)
{
    slong k;
    fmpz_one(den);
    for (k = 0; k < len; k++)
        fmpz_lcm(den, den, fmpq_denref(x + k * stride));
    for (k = 0; k < len; k++)
    {
        fmpz_divexact(out + k, den, fmpq_denref(x + k * stride));
        fmpz_mul(out + k, out + k, fmpq_numref(x + k * stride));
    }
}

/* ---- text lines ---------------------------------------------------- */

typedef struct {
    char *buf;      /* the text, NUL-terminated, cut into lines in place */
    char *next;
    slong lineno;
    size_t len;     /* the text's length */
} lines_t;

/* The next line (NULL at the end), without its line end. */
static char *
next_line(lines_t *L)
{
    char *line = L->next, *e;
    if (line == NULL || *line == '\0')
        return NULL;
    e = strpbrk(line, "\r\n");
    if (e == NULL)
        L->next = NULL;
    else
    {
        L->next = e + 1 + (e[0] == '\r' && e[1] == '\n');
        *e = '\0';
    }
    L->lineno++;
    return line;
}

/* Up to max blank-separated fields of line (modified in place). */
static int
fields(char **f, int max, char *line)
{
    int n = 0;
    char *s = line;
    while (*s)
    {
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0')
            break;
        if (n == max)
            return max + 1;
        f[n++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
        if (*s)
            *s++ = '\0';
    }
    return n;
}

static int
blank(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

/* A positive size field. */
static int
size_field(slong *v, const char *s)
{
    char *end;
    long long x;
    if (!isdigit((unsigned char) s[0]))
        return -1;
    errno = 0;
    x = strtoll(s, &end, 10);
    if (errno || *end || x < 0 || x > WORD(1) << 40)
        return -1;
    *v = (slong) x;
    return 0;
}

/* entry (i, j) = the value text s; err names line and field. */
static int
set_entry(genrank_matrix_t M, slong i, slong j, const char *s, slong lineno, int field,
          int integer, genrank_err_t *err)
{
    genrank_err_t e2;
    if (genrank_decimal_parse(M->x + i * M->c + j, s, &e2) != 0)
        return genrank_err_set(err, GENRANK_EINVAL, "line %ld, field %d: %s", (long) lineno, field, e2.msg);
    if (integer && !fmpz_is_one(fmpq_denref(M->x + i * M->c + j)))
        return genrank_err_set(err, GENRANK_EINVAL, "line %ld, field %d: '%.40s' is not an integer "
                               "(the header says integer; use real for decimals)", (long) lineno, field, s);
    return 0;
}

/* ---- Matrix Market ------------------------------------------------- */

/* The positions a coordinate file lists, to refuse one listed twice
   (other tools would add the two values; genrank would keep one). */
typedef struct {
    slong key, line;
} entry_key_t;

typedef struct {
    entry_key_t *v;
    slong len, alloc;
} keys_t;

static void
keys_push(keys_t *K, slong key, slong line)
{
    if (K->len == K->alloc)
    {
        K->alloc = K->alloc ? 2 * K->alloc : 1024;
        K->v = flint_realloc(K->v, K->alloc * sizeof(entry_key_t));
    }
    K->v[K->len].key = key;
    K->v[K->len++].line = line;
}

static int
key_cmp(const void *a, const void *b)
{
    const entry_key_t *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key ? 1 : (x->line > y->line) - (x->line < y->line);
}

/* 0, or an error naming the two lines that list one position. */
static int
keys_unique(keys_t *K, slong c, genrank_err_t *err)
{
    slong t;
    if (K->len < 2)
        return 0;     /* (and qsort is not given a null array) */
    qsort(K->v, K->len, sizeof(entry_key_t), key_cmp);
    for (t = 1; t < K->len; t++)
        if (K->v[t].key == K->v[t - 1].key)
            return genrank_err_set(err, GENRANK_EINVAL, "lines %ld and %ld both give entry (%ld, %ld) "
                                   "(indices from 1); other tools would add them: give each entry once",
                                   (long) K->v[t - 1].line, (long) K->v[t].line,
                                   (long) (K->v[t].key / c + 1), (long) (K->v[t].key % c + 1));
    return 0;
}

static int
parse_mm(genrank_matrix_t M, lines_t *L, keys_t *K, genrank_err_t *err)
{
    char *line = next_line(L), *f[8];
    int nf, coord, pattern, integer, sym = 0, rc;
    slong r, c, nnz = 0, i, j, k, arow = 0, acol = 0;
    if (line == NULL || (nf = fields(f, 6, line)) != 5 || strcasecmp(f[0], "%%MatrixMarket") != 0
        || strcasecmp(f[1], "matrix") != 0)
        return genrank_err_set(err, GENRANK_EINVAL, "line 1: not a Matrix Market header "
                               "('%%%%MatrixMarket matrix FORMAT FIELD SYMMETRY')");
    if (strcasecmp(f[2], "coordinate") && strcasecmp(f[2], "array"))
        return genrank_err_set(err, GENRANK_EINVAL, "line 1: the format must be coordinate or array");
    coord = !strcasecmp(f[2], "coordinate");
    if (strcasecmp(f[3], "integer") && strcasecmp(f[3], "real") && strcasecmp(f[3], "pattern"))
        return genrank_err_set(err, GENRANK_EINVAL, "line 1: the field must be integer, real "
                               "(read as exact decimals) or pattern; complex is not supported");
    pattern = !strcasecmp(f[3], "pattern");
    integer = !strcasecmp(f[3], "integer");
    if (pattern && !coord)
        return genrank_err_set(err, GENRANK_EINVAL, "line 1: pattern needs the coordinate format");
    if (!strcasecmp(f[4], "symmetric"))
        sym = 1;
    else if (!strcasecmp(f[4], "skew-symmetric"))
        sym = -1;
    else if (strcasecmp(f[4], "general"))
        return genrank_err_set(err, GENRANK_EINVAL, "line 1: the symmetry must be general, "
                               "symmetric or skew-symmetric");
    if (pattern && sym < 0)
        return genrank_err_set(err, GENRANK_EINVAL, "line 1: a pattern matrix cannot be skew-symmetric");
    while ((line = next_line(L)) != NULL && (line[0] == '%' || blank(line)))
        ;
    if (line == NULL)
        return genrank_err_set(err, GENRANK_EINVAL, "no size line");
    nf = fields(f, 4, line);
    if (nf != (coord ? 3 : 2) || size_field(&r, f[0]) || size_field(&c, f[1])
        || (coord && size_field(&nnz, f[2])))
        return genrank_err_set(err, GENRANK_EINVAL, "line %ld: the size line must be 'ROWS COLS%s'",
                               (long) L->lineno, coord ? " ENTRIES" : "");
    if (sym && r != c)
        return genrank_err_set(err, GENRANK_EINVAL, "line %ld: a symmetric matrix must be square",
                               (long) L->lineno);
    if ((rc = _genrank_matrix_alloc(M, r, c, L->len, err)) != 0)
        return rc;
    arow = sym < 0 ? 1 : 0;
    if (sym < 0 && r == 1)
        acol = c;                /* a 1 x 1 skew matrix lists nothing */
    if (coord && r > 0 && nnz > r * c)
        return genrank_err_set(err, GENRANK_EINVAL, "line %ld: %ld entries in a %ld x %ld matrix",
                               (long) L->lineno, (long) nnz, (long) r, (long) c);
    k = 0;
    while ((line = next_line(L)) != NULL)
    {
        if (line[0] == '%' || blank(line))
            continue;
        nf = fields(f, 4, line);
        if (coord)
        {
            if (k == nnz)
                return genrank_err_set(err, GENRANK_EINVAL, "line %ld: more entries than the %ld "
                                       "the size line announces", (long) L->lineno, (long) nnz);
            if (nf != (pattern ? 2 : 3) || size_field(&i, f[0]) || size_field(&j, f[1])
                || i < 1 || i > r || j < 1 || j > c)
                return genrank_err_set(err, GENRANK_EINVAL, "line %ld: expected 'ROW COL%s' with "
                                       "1 <= ROW <= %ld, 1 <= COL <= %ld", (long) L->lineno,
                                       pattern ? "" : " VALUE", (long) r, (long) c);
            i--, j--;
            if (sym && j > i)
                return genrank_err_set(err, GENRANK_EINVAL, "line %ld: a symmetric matrix lists "
                                       "only entries on or below the diagonal", (long) L->lineno);
            if (pattern)
                fmpq_one(M->x + i * c + j);
            else if ((rc = set_entry(M, i, j, f[2], L->lineno, 3, integer, err)) != 0)
                return rc;
            keys_push(K, i * c + j, L->lineno);
        }
        else
        {
            /* column-major; symmetric arrays list the lower triangle
               (without the diagonal when skew-symmetric): the position
               (arow, acol) runs down each column */
            if (nf != 1)
                return genrank_err_set(err, GENRANK_EINVAL, "line %ld: an array lists one value "
                                       "per line", (long) L->lineno);
            if (acol >= c)
                return genrank_err_set(err, GENRANK_EINVAL, "line %ld: more values than the %s "
                                       "holds", (long) L->lineno, sym ? "triangle" : "matrix");
            i = arow;
            j = acol;
            if (++arow == r)
            {
                acol++;
                arow = sym == 0 ? 0 : acol + (sym < 0);
                while (acol < c && arow >= r)   /* a skew triangle's empty last column */
                {
                    acol++;
                    arow = acol + 1;
                }
            }
            if ((rc = set_entry(M, i, j, f[0], L->lineno, 1, integer, err)) != 0)
                return rc;
        }
        if (sym != 0 && i != j)
        {
            fmpq_set(M->x + j * c + i, M->x + i * c + j);
            if (sym < 0)
                fmpq_neg(M->x + j * c + i, M->x + j * c + i);
        }
        else if (sym < 0 && i == j && !fmpq_is_zero(M->x + i * c + j))
            return genrank_err_set(err, GENRANK_EINVAL, "line %ld: a skew-symmetric matrix has a "
                                   "zero diagonal", (long) L->lineno);
        k++;
    }
    if (coord && (rc = keys_unique(K, c, err)) != 0)
        return rc;
    if (coord ? k != nnz : k != (sym == 0 ? r * c : sym > 0 ? r * (r + 1) / 2 : r * (r - 1) / 2))
        return genrank_err_set(err, GENRANK_EINVAL, "the file ends after %ld of the %ld entries it "
                               "announces", (long) k, (long) (coord ? nnz : sym == 0 ? r * c
                               : sym > 0 ? r * (r + 1) / 2 : r * (r - 1) / 2));
    return 0;
}

/* ---- SMS ----------------------------------------------------------- */

static int
parse_sms(genrank_matrix_t M, lines_t *L, keys_t *K, genrank_err_t *err)
{
    char *line, *f[4];
    int nf, rc, ended = 0;
    slong r, c, i, j;
    while ((line = next_line(L)) != NULL && blank(line))
        ;
    if (line == NULL || (nf = fields(f, 3, line)) != 3 || size_field(&r, f[0]) || size_field(&c, f[1])
        || !isalpha((unsigned char) f[2][0]))
        return genrank_err_set(err, GENRANK_EINVAL, "line %ld: an SMS file starts with "
                               "'ROWS COLS M'", (long) L->lineno);
    if ((rc = _genrank_matrix_alloc(M, r, c, L->len, err)) != 0)
        return rc;
    while ((line = next_line(L)) != NULL)
    {
        if (blank(line))
            continue;
        if (ended)
            return genrank_err_set(err, GENRANK_EINVAL, "line %ld: text after the final '0 0 0'",
                                   (long) L->lineno);
        nf = fields(f, 3, line);
        if (nf != 3 || size_field(&i, f[0]) || size_field(&j, f[1]))
            return genrank_err_set(err, GENRANK_EINVAL, "line %ld: expected 'ROW COL VALUE'",
                                   (long) L->lineno);
        if (i == 0 && j == 0)
        {
            ended = 1;
            continue;
        }
        if (i < 1 || i > r || j < 1 || j > c)
            return genrank_err_set(err, GENRANK_EINVAL, "line %ld: entry (%ld, %ld) outside the "
                                   "%ld x %ld matrix (indices from 1)", (long) L->lineno, (long) i,
                                   (long) j, (long) r, (long) c);
        if ((rc = set_entry(M, i - 1, j - 1, f[2], L->lineno, 3, 0, err)) != 0)
            return rc;
        keys_push(K, (i - 1) * c + (j - 1), L->lineno);
    }
    if (!ended)
        return genrank_err_set(err, GENRANK_EINVAL, "the SMS file does not end with '0 0 0' "
                               "(truncated?)");
    return keys_unique(K, c, err);
}

/* ---- JSON ---------------------------------------------------------- */

static int
parse_json(genrank_matrix_t M, const char *text, size_t len, genrank_err_t *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr), *row, *v;
    slong r, c, i, j;
    int rc = 0;
    if (root == NULL)
        return genrank_err_set(err, GENRANK_EINVAL, "not valid JSON (line %d, column %d: %s)",
                               jerr.line, jerr.column, jerr.text);
    if (!json_is_array(root) || json_array_size(root) == 0 || !json_is_array(json_array_get(root, 0)))
    {
        json_decref(root);
        return genrank_err_set(err, GENRANK_EINVAL, "a JSON matrix is an array of rows, each an "
                               "array of entries");
    }
    r = (slong) json_array_size(root);
    c = (slong) json_array_size(json_array_get(root, 0));
    for (i = 0; i < r; i++)
        if (!json_is_array(json_array_get(root, i)) || (slong) json_array_size(json_array_get(root, i)) != c)
        {
            json_decref(root);
            return genrank_err_set(err, GENRANK_EINVAL, "row %ld is not an array of %ld entries "
                                   "(rows from 0)", (long) i, (long) c);
        }
    if ((rc = _genrank_matrix_alloc(M, r, c, len, err)) != 0)
    {
        json_decref(root);
        return rc;
    }
    for (i = 0; i < r && rc == 0; i++)
    {
        row = json_array_get(root, i);
        for (j = 0; j < c && rc == 0; j++)
        {
            genrank_err_t e2;
            v = json_array_get(row, j);
            if (json_is_integer(v))
                fmpq_set_si(M->x + i * c + j, (slong) json_integer_value(v), 1);
            else if (json_is_string(v))
            {
                if (genrank_decimal_parse(M->x + i * c + j, json_string_value(v), &e2) != 0)
                    rc = genrank_err_set(err, GENRANK_EINVAL, "row %ld, entry %ld: %s", (long) i,
                                         (long) j, e2.msg);
            }
            else if (json_is_real(v))
                rc = genrank_err_set(err, GENRANK_EINVAL, "row %ld, entry %ld: a JSON number with "
                                     "a fraction or exponent is read as a double; write it as a "
                                     "string (\"0.1\" or \"1/10\") to keep it exact", (long) i, (long) j);
            else
                rc = genrank_err_set(err, GENRANK_EINVAL, "row %ld, entry %ld: not a number "
                                     "(an integer, or a string holding a decimal or p/q)", (long) i, (long) j);
        }
    }
    json_decref(root);
    return rc;
}

/* ---- entry points -------------------------------------------------- */

static genrank_matrix_format_t
detect(const char *text)
{
    const char *s = text;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    if (!strncasecmp(s, "%%MatrixMarket", 14))
        return GENRANK_MATRIX_MM;
    if (*s == '[')
        return GENRANK_MATRIX_JSON;
    return GENRANK_MATRIX_SMS;
}

int
genrank_matrix_parse(genrank_matrix_t M, const char *text, size_t len,
                     int flags, genrank_err_t *err)
{
    lines_t L;
    keys_t K = {NULL, 0, 0};
    int rc;
    int floats = (flags & GENRANK_MATRIX_FLOAT_EXACT) != 0;
    genrank_matrix_format_t fmt = (genrank_matrix_format_t) (flags & ~GENRANK_MATRIX_FLOAT_EXACT);
    genrank_matrix_clear(M);
    if (fmt == GENRANK_MATRIX_NPY || (fmt == GENRANK_MATRIX_AUTO && len >= 6
                                      && memcmp(text, "\x93NUMPY", 6) == 0))
    {
        rc = _genrank_matrix_parse_npy(M, (const unsigned char *) text, len, floats, err);
        if (rc != 0)
            genrank_matrix_clear(M);
        else
            M->format = GENRANK_MATRIX_NPY;
        return rc;
    }
    if (memchr(text, '\0', len) != NULL)
        return genrank_err_set(err, GENRANK_EINVAL, "the file contains a NUL byte (not a text file)");
    L.buf = flint_malloc(len + 1);
    memcpy(L.buf, text, len);
    L.buf[len] = '\0';
    L.next = L.buf;
    L.lineno = 0;
    L.len = len;
    if (fmt == GENRANK_MATRIX_AUTO)
        fmt = detect(L.buf);
    M->format = fmt;
    if (fmt == GENRANK_MATRIX_MM)
        rc = parse_mm(M, &L, &K, err);
    else if (fmt == GENRANK_MATRIX_SMS)
        rc = parse_sms(M, &L, &K, err);
    else
        rc = parse_json(M, L.buf, len, err);
    flint_free(K.v);
    flint_free(L.buf);
    if (rc != 0)
        genrank_matrix_clear(M);
    else
        M->format = fmt;
    return rc;
}

int
genrank_matrix_read(genrank_matrix_t M, const char *path, int fmt,
                    genrank_err_t *err)
{
    struct stat sb;
    FILE *f;
    char *text;
    size_t got;
    int rc;
    genrank_err_t e2;
    struct sha256_ctx ctx;
    uint8_t dig[SHA256_DIGEST_SIZE];
    if (stat(path, &sb) != 0)
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': not a regular file", path);
    if ((double) sb.st_size > 0.25 * (double) genrank_memory_available())
        return genrank_err_set(err, GENRANK_ENOMEM, "'%.200s' is larger than a quarter of the "
                               "memory available", path);
    if ((f = fopen(path, "rb")) == NULL)
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': %s", path, strerror(errno));
    text = flint_malloc((size_t) sb.st_size + 1);
    got = fread(text, 1, (size_t) sb.st_size, f);
    fclose(f);
    if (got != (size_t) sb.st_size)
    {
        flint_free(text);
        return genrank_err_set(err, GENRANK_EIO, "reading '%.200s' failed", path);
    }
    rc = genrank_matrix_parse(M, text, got, fmt, &e2);
    if (rc != 0)
        genrank_err_set(err, rc, "%.200s: %s", path, e2.msg);
    else
    {
        int k;
        sha256_init(&ctx);
        sha256_update(&ctx, got, (const uint8_t *) text);
        sha256_digest(&ctx, SHA256_DIGEST_SIZE, dig);
        for (k = 0; k < SHA256_DIGEST_SIZE; k++)
            sprintf(M->sha256 + 2 * k, "%02x", dig[k]);
    }
    flint_free(text);
    return rc;
}
