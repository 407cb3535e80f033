/* Data sets for capacity certificates: numeric text files (comma- or
   whitespace-separated, optional header, optional label column) read
   exactly, every field a rational number, never a double.  Also the
   file's SHA-256 (Nettle) and the facts about the points that decide
   whether n labels can be fitted at all: duplicate points, zero points
   and the rank of the data over Q.

   The tokenizer is written here rather than taken from a CSV library:
   the files hold numbers only, fields are never quoted across
   delimiters, and runs of blanks must count as one separator (which
   Debian's libcsv does not do). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <nettle/sha2.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpq_vec.h>
#include "genrank.h"

/* decimal exponents beyond this are refused (10^4096 has 4097 digits) */
#define EXP_MAX 4096

int
genrank_decimal_parse(fmpq_t res, const char *s, genrank_err_t *err)
{
    const char *t = s, *mant, *dot = NULL;
    int neg = 0;
    slong ndig = 0, frac = 0, e = 0, k;
    char *buf;
    fmpz_t num, ten;

    if (*t == '-' || *t == '+')
        neg = (*t++ == '-');
    if (strchr(t, '/') != NULL)
        return genrank_rational_parse(res, s, err);
    mant = t;
    for (; *t; t++)
    {
        if (*t >= '0' && *t <= '9')
        {
            ndig++;
            if (dot)
                frac++;
        }
        else if (*t == '.' && dot == NULL)
            dot = t;
        else
            break;
    }
    if (ndig == 0 || (*t != '\0' && *t != 'e' && *t != 'E'))
    {
        const char *u = mant;
        if (!strncasecmp(u, "nan", 3))
            return genrank_err_set(err, GENRANK_EINVAL, "'%.40s': NaN is not a number", s);
        if (!strncasecmp(u, "inf", 3))
            return genrank_err_set(err, GENRANK_EINVAL, "'%.40s': infinite values are not allowed", s);
        return genrank_err_set(err, GENRANK_EINVAL, "'%.40s' is not a number", s);
    }
    if (*t == 'e' || *t == 'E')
    {
        const char *x = t + 1;
        int eneg = 0;
        if (*x == '-' || *x == '+')
            eneg = (*x++ == '-');
        if (*x < '0' || *x > '9')
            return genrank_err_set(err, GENRANK_EINVAL, "'%.40s' has a malformed exponent", s);
        for (; *x >= '0' && *x <= '9'; x++)
        {
            e = 10 * e + (*x - '0');
            if (e > EXP_MAX)
                return genrank_err_set(err, GENRANK_EINVAL,
                    "'%.40s': exponent beyond +-%d", s, EXP_MAX);
        }
        if (*x != '\0')
            return genrank_err_set(err, GENRANK_EINVAL, "'%.40s' is not a number", s);
        if (eneg)
            e = -e;
    }
    /* the digits without the point, as an integer */
    buf = flint_malloc(ndig + 2);
    buf[0] = neg ? '-' : '0';
    for (k = 1; mant < t; mant++)
        if (*mant != '.')
            buf[k++] = *mant;
    buf[k] = '\0';
    fmpz_init(num);
    fmpz_init_set_ui(ten, 10);
    fmpz_set_str(num, buf, 10);
    flint_free(buf);
    e -= frac;
    fmpz_pow_ui(ten, ten, (ulong) (e < 0 ? -e : e));
    if (e >= 0)
    {
        fmpz_mul(num, num, ten);
        fmpz_one(ten);
    }
    fmpq_set_fmpz_frac(res, num, ten);   /* canonical form */
    fmpz_clear(num);
    fmpz_clear(ten);
    return 0;
}

void
genrank_data_init(genrank_data_t data)
{
    memset(data, 0, sizeof(genrank_data_struct));
}

void
genrank_data_clear(genrank_data_t data)
{
    if (data->x != NULL)
        _fmpq_vec_clear(data->x, data->n * data->d);
    flint_free(data->line);
    flint_free(data->source);
    memset(data, 0, sizeof(genrank_data_struct));
}

void
genrank_data_opts_init(genrank_data_opts_t *opts)
{
    opts->header = GENRANK_HEADER_AUTO;
    opts->label_column = GENRANK_LABEL_NONE;
}

/* Splits line (modified in place) into fields; returns their count and
   sets fields[] (at most cap).  comma: split at ',' and trim blanks and
   one pair of double quotes; else split at runs of blanks. */
static slong
split(char **fields, slong cap, char *line, int comma)
{
    slong n = 0;
    char *s = line;
    if (!comma)
    {
        while (*s)
        {
            while (*s == ' ' || *s == '\t' || *s == '\r')
                s++;
            if (*s == '\0')
                break;
            if (n < cap)
                fields[n] = s;
            n++;
            while (*s && *s != ' ' && *s != '\t' && *s != '\r')
                s++;
            if (*s)
                *s++ = '\0';
        }
        return n;
    }
    for (;;)
    {
        char *end = strchr(s, ','), *b, *e;
        if (end)
            *end = '\0';
        b = s;
        while (*b == ' ' || *b == '\t')
            b++;
        e = b + strlen(b);
        while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            *--e = '\0';
        if (e - b >= 2 && b[0] == '"' && e[-1] == '"')
        {
            e[-1] = '\0';
            b++;
        }
        if (n < cap)
            fields[n] = b;
        n++;
        if (!end)
            break;
        s = end + 1;
    }
    return n;
}

/* 1 when a field could be meant as a number (even a malformed one, which
   is then reported as such): empty, or starting with a digit, a sign or a
   point, or spelling NaN or infinity.  A header has a field that is not. */
static int
looks_numeric(const char *f)
{
    if (*f == '+' || *f == '-')
        f++;
    return *f == '\0' || (*f >= '0' && *f <= '9') || *f == '.'
           || !strncasecmp(f, "nan", 3) || !strncasecmp(f, "inf", 3);
}

/* 1 when the line holds nothing but blanks, or is a # comment. */
static int
blank_line(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    return *s == '\0' || *s == '#';
}

/* The parser's state while it reads the lines of a data file. */
typedef struct {
    const genrank_data_opts_t *opts;
    char **fields;
    slong cap;          /* room in fields */
    slong width;        /* fields per row (-1 before the first data row) */
    slong lab;          /* the label column dropped, or -1 */
    slong d, n, alloc;  /* features, rows read, rows of room */
    fmpq *x;            /* alloc * d values */
    slong *lines;
    int comma, first;
    /* the line being assembled from the bytes read so far */
    char *line;
    size_t len, room;
    slong lineno;
    int after_cr;       /* the last byte was a CR (a CR LF pair is one line end) */
} parser_t;

/* Splits line into P->fields (grown to fit); the number of fields. */
static slong
split_line(parser_t *P, char *line)
{
    slong need = 1;
    const char *c;
    if (P->comma < 0)
        P->comma = (strchr(line, ',') != NULL);
    for (c = line; *c; c++)   /* count fields first, then split for real */
        need += (*c == ',' || *c == ' ' || *c == '\t');
    if (need > P->cap)
    {
        P->cap = need;
        P->fields = flint_realloc(P->fields, P->cap * sizeof(char *));
    }
    return split(P->fields, P->cap, line, P->comma);
}

/* 1 when the first line, of nf fields, is a header. */
static int
is_header(const parser_t *P, slong nf)
{
    slong k, skip;
    if (P->opts->header != GENRANK_HEADER_AUTO)
        return P->opts->header == GENRANK_HEADER_YES;
    /* the label column's field does not count: labels may be words */
    skip = P->opts->label_column == GENRANK_LABEL_LAST ? nf - 1 : P->opts->label_column;
    for (k = 0; k < nf; k++)
        if (k != skip && !looks_numeric(P->fields[k]))
            return 1;
    return 0;
}

/* The first data row fixes the width, the label column and d. */
static int
set_width(parser_t *P, slong nf, slong lineno, genrank_err_t *err)
{
    P->width = nf;
    if (P->opts->label_column == GENRANK_LABEL_LAST)
        P->lab = nf - 1;
    else if (P->opts->label_column >= 0)
    {
        P->lab = P->opts->label_column;
        if (P->lab >= nf)
            return genrank_err_set(err, GENRANK_EINVAL,
                "line %ld: label column %ld does not exist (the line has %ld fields)",
                (long) lineno, (long) P->lab + 1, (long) nf);
    }
    P->d = nf - (P->lab >= 0);
    if (P->d < 1)
        return genrank_err_set(err, GENRANK_EINVAL,
            "line %ld: no feature columns left after removing the label column", (long) lineno);
    return 0;
}

/* Room for one more row: doubled, from a first allocation of about 4096
   values (one row at least), so that a long first line costs one row;
   GENRANK_ENOMEM when the rows would not fit in memory. */
static int
grow(parser_t *P, genrank_err_t *err)
{
    slong na, k;
    fmpq *nx;
    if (P->n < P->alloc)
        return 0;
    na = P->alloc ? 2 * P->alloc : FLINT_MAX(1, FLINT_MIN(64, 4096 / P->d));
    if ((double) na * (double) P->d * (sizeof(fmpq) + 16.0) > 0.5 * (double) genrank_memory_available())
        return genrank_err_set(err, GENRANK_ENOMEM, "%ld points of %ld features would need more "
                               "than half the memory available", (long) na, (long) P->d);
    nx = _fmpq_vec_init(na * P->d);
    for (k = 0; k < P->n * P->d; k++)
        fmpq_swap(nx + k, P->x + k);
    if (P->x != NULL)
        _fmpq_vec_clear(P->x, P->alloc * P->d);
    P->x = nx;
    P->lines = flint_realloc(P->lines, na * sizeof(slong));
    P->alloc = na;
    return 0;
}

/* One line of the file; 0 or an error naming the line and field. */
static int
parse_line(parser_t *P, genrank_data_t data, char *line, slong lineno, genrank_err_t *err)
{
    slong nf, k, col = 0;
    genrank_err_t e2;
    int rc;
    if (blank_line(line))
        return 0;
    nf = split_line(P, line);
    if (P->first)
    {
        P->first = 0;
        if (is_header(P, nf))
        {
            data->header_line = lineno;
            return 0;
        }
    }
    if (P->width < 0)
    {
        if ((rc = set_width(P, nf, lineno, err)) != 0)
            return rc;
    }
    else if (nf != P->width)
        return genrank_err_set(err, GENRANK_EINVAL,
            "line %ld has %ld fields but the first data line has %ld (ragged rows)",
            (long) lineno, (long) nf, (long) P->width);
    if ((rc = grow(P, err)) != 0)
        return rc;
    for (k = 0; k < nf; k++)
    {
        if (k == P->lab)
            continue;
        if (genrank_decimal_parse(P->x + P->n * P->d + col, P->fields[k], &e2) != 0)
            return genrank_err_set(err, GENRANK_EINVAL, "line %ld, field %ld: %s",
                                   (long) lineno, (long) k + 1, e2.msg);
        col++;
    }
    P->lines[P->n++] = lineno;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Lines from bytes: the file is read in chunks and parsed line by      */
/* line, so that memory grows with the rows kept, not with the text.    */

static void
parser_init(parser_t *P, const genrank_data_opts_t *opts)
{
    memset(P, 0, sizeof *P);
    P->opts = opts;
    P->width = P->lab = P->comma = -1;
    P->first = 1;
}

static void
parser_clear(parser_t *P)
{
    if (P->x != NULL)
        _fmpq_vec_clear(P->x, P->alloc * P->d);
    flint_free(P->lines);
    flint_free(P->fields);
    flint_free(P->line);
}

/* The line assembled so far is complete: parse it (the first line
   without a UTF-8 byte-order mark). */
static int
end_line(parser_t *P, genrank_data_t data, genrank_err_t *err)
{
    char *line;
    if (P->line == NULL)
    {
        P->room = 64;
        P->line = flint_malloc(P->room);
    }
    P->line[P->len] = '\0';
    line = P->line;
    if (++P->lineno == 1 && P->len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
        line += 3;
    P->len = 0;
    return parse_line(P, data, line, P->lineno, err);
}

/* Feeds n bytes: LF, CR LF and a lone CR (old Mac files) end a line; a
   NUL byte is refused (not a text file). */
static int
feed(parser_t *P, genrank_data_t data, const char *bytes, size_t n, genrank_err_t *err)
{
    size_t k;
    int rc;
    for (k = 0; k < n; k++)
    {
        char ch = bytes[k];
        int cr = P->after_cr;
        P->after_cr = (ch == '\r');
        if (ch == '\0')
            return genrank_err_set(err, GENRANK_EINVAL, "the data file contains a NUL byte (not a text file)");
        if (ch == '\n' && cr)
            continue;               /* the LF of a CR LF pair */
        if (ch == '\n' || ch == '\r')
        {
            if ((rc = end_line(P, data, err)) != 0)
                return rc;
            continue;
        }
        if (P->len + 1 >= P->room)
        {
            size_t room = P->room ? 2 * P->room : 256;
            if ((double) room > (double) genrank_memory_available() / 16)
                return genrank_err_set(err, GENRANK_ENOMEM, "line %ld is longer than a 16th of the "
                                       "memory available", (long) P->lineno + 1);
            P->line = flint_realloc(P->line, room);
            P->room = room;
        }
        P->line[P->len++] = ch;
    }
    return 0;
}

/* The last line (when the text does not end with a line end), then the
   rows read move into data. */
static int
finish(parser_t *P, genrank_data_t data, genrank_err_t *err)
{
    slong k;
    int rc;
    if (P->len > 0 && (rc = end_line(P, data, err)) != 0)
        return rc;
    if (P->n == 0)
        return genrank_err_set(err, GENRANK_EINVAL, "no data points (the file is empty or holds only a header)");
    data->n = P->n;
    data->d = P->d;
    data->x = _fmpq_vec_init(P->n * P->d);
    for (k = 0; k < P->n * P->d; k++)
        fmpq_swap(data->x + k, P->x + k);
    data->line = P->lines;
    P->lines = NULL;
    data->source = flint_malloc(P->n * sizeof(slong));
    for (k = 0; k < P->n; k++)
        data->source[k] = k;
    data->nsource = P->n;
    return 0;
}

int
genrank_data_parse(genrank_data_t data, const char *text, size_t len,
                   const genrank_data_opts_t *opts, genrank_err_t *err)
{
    parser_t P;
    int rc;
    genrank_data_clear(data);
    parser_init(&P, opts);
    rc = feed(&P, data, text, len, err);
    if (rc == 0)
        rc = finish(&P, data, err);
    parser_clear(&P);
    if (rc != 0)
        genrank_data_clear(data);
    return rc;
}

/* Opens path for reading when it is a regular file. */
static FILE *
open_regular(const char *path, genrank_err_t *err)
{
    struct stat sb;
    FILE *f;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
    {
        genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': it is a directory", path);
        return NULL;
    }
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
    {
        genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': not a regular file", path);
        return NULL;
    }
    if ((f = fopen(path, "rb")) == NULL)
        genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': %s", path, strerror(errno));
    return f;
}

static void
hex_digest(char hex[65], struct sha256_ctx *ctx)
{
    uint8_t dig[SHA256_DIGEST_SIZE];
    int k;
    sha256_digest(ctx, SHA256_DIGEST_SIZE, dig);
    for (k = 0; k < SHA256_DIGEST_SIZE; k++)
        sprintf(hex + 2 * k, "%02x", dig[k]);
    hex[64] = '\0';
}

/* Reads path in chunks, each hashed and (when P is not NULL) parsed:
   the hash is of the very bytes parsed. */
static int
read_chunks(char hex[65], parser_t *P, genrank_data_t data, const char *path, genrank_err_t *err)
{
    enum { CHUNK = 1 << 16 };
    struct sha256_ctx ctx;
    char *buf;
    size_t got;
    int rc = 0;
    genrank_err_t e2;
    FILE *f = open_regular(path, err);
    if (f == NULL)
        return GENRANK_EIO;
    buf = flint_malloc(CHUNK);
    sha256_init(&ctx);
    while (rc == 0 && (got = fread(buf, 1, CHUNK, f)) > 0)
    {
        sha256_update(&ctx, got, (const uint8_t *) buf);
        if (P != NULL)
            rc = feed(P, data, buf, got, &e2);
    }
    if (rc == 0 && ferror(f))
        rc = genrank_err_set(err, GENRANK_EIO, "reading '%.200s' failed: %s", path, strerror(errno));
    else if (rc == 0 && P != NULL)
        rc = finish(P, data, &e2);
    if (rc != 0 && rc != GENRANK_EIO)
        genrank_err_set(err, rc, "%.200s: %s", path, e2.msg);
    fclose(f);
    flint_free(buf);
    if (rc == 0)
        hex_digest(hex, &ctx);
    return rc;
}

int
genrank_data_read(genrank_data_t data, const char *path, const genrank_data_opts_t *opts,
                  genrank_err_t *err)
{
    parser_t P;
    int rc;
    genrank_data_clear(data);
    parser_init(&P, opts);
    rc = read_chunks(data->sha256, &P, data, path, err);
    parser_clear(&P);
    if (rc != 0)
        genrank_data_clear(data);
    return rc;
}

int
genrank_sha256_file(char hex[65], const char *path, genrank_err_t *err)
{
    return read_chunks(hex, NULL, NULL, path, err);
}

/* A point for sorting: its coordinates, its dimension and its index
   (the comparator needs no state outside its arguments). */
typedef struct {
    const fmpq *x;
    slong d, i;
} point_ref_t;

/* Lexicographic comparison of two points, ties by index. */
static int
cmp_points(const void *a, const void *b)
{
    const point_ref_t *p = a, *q = b;
    slong l;
    for (l = 0; l < p->d; l++)
    {
        int c = fmpq_cmp(p->x + l, q->x + l);
        if (c != 0)
            return c;
    }
    return (p->i > q->i) - (p->i < q->i);
}

static int
same_point(const genrank_data_t data, slong i, slong j)
{
    slong l, d = data->d;
    for (l = 0; l < d; l++)
        if (!fmpq_equal(data->x + i * d + l, data->x + j * d + l))
            return 0;
    return 1;
}

void
genrank_data_facts_init(genrank_data_facts_t facts)
{
    memset(facts, 0, sizeof(genrank_data_facts_struct));
}

void
genrank_data_facts_clear(genrank_data_facts_t facts)
{
    flint_free(facts->dup);
    flint_free(facts->dup_start);
    flint_free(facts->zero);
    memset(facts, 0, sizeof(genrank_data_facts_struct));
}

slong
genrank_data_rank(const genrank_data_t data)
{
    fmpz_mat_t M;
    fmpz_t den;
    slong i, l, n = data->n, d = data->d, r;
    /* each point scaled by its own denominator: the same rank, and sizes
       that do not grow with the whole data's common denominator */
    fmpz_init(den);
    fmpz_mat_init(M, n, d);
    for (i = 0; i < n; i++)
    {
        const fmpq *x = data->x + i * d;
        fmpz_one(den);
        for (l = 0; l < d; l++)
            fmpz_lcm(den, den, fmpq_denref(x + l));
        for (l = 0; l < d; l++)
        {
            fmpz *e = fmpz_mat_entry(M, i, l);
            fmpz_divexact(e, den, fmpq_denref(x + l));
            fmpz_mul(e, e, fmpq_numref(x + l));
        }
    }
    r = fmpz_mat_rank(M);
    fmpz_mat_clear(M);
    fmpz_clear(den);
    return r;
}

void
genrank_data_facts(genrank_data_facts_t facts, const genrank_data_t data)
{
    slong n = data->n, d = data->d, i, l, *ord = flint_malloc(n * sizeof(slong));

    point_ref_t *refs = flint_malloc(FLINT_MAX(n, 1) * sizeof(point_ref_t));

    genrank_data_facts_clear(facts);
    for (i = 0; i < n; i++)
    {
        refs[i].x = data->x + i * d;
        refs[i].d = d;
        refs[i].i = i;
    }
    qsort(refs, n, sizeof(point_ref_t), cmp_points);
    for (i = 0; i < n; i++)
        ord[i] = refs[i].i;
    flint_free(refs);
    facts->dup = flint_malloc(n * sizeof(slong));
    facts->dup_start = flint_malloc((n / 2 + 2) * sizeof(slong));
    /* groups of equal points, in order of their first index */
    {
        slong *gfirst = flint_malloc(n * sizeof(slong)), ng = 0, s, t, a;
        slong *gbeg = flint_malloc((n + 1) * sizeof(slong));
        for (s = 0; s < n; s = t)
        {
            for (t = s + 1; t < n && same_point(data, ord[s], ord[t]); t++)
                ;
            if (t - s >= 2)
            {
                gbeg[ng] = s;
                gfirst[ng++] = t;   /* end, temporarily */
            }
        }
        /* sorted order keeps equal points in increasing index order, and
           groups appear by increasing point value; list them as found */
        facts->ndup_groups = ng;
        facts->ndup = 0;
        for (a = 0; a < ng; a++)
        {
            facts->dup_start[a] = facts->ndup;
            for (s = gbeg[a]; s < gfirst[a]; s++)
                facts->dup[facts->ndup++] = ord[s];
        }
        facts->dup_start[ng] = facts->ndup;
        flint_free(gfirst);
        flint_free(gbeg);
    }
    flint_free(ord);
    facts->zero = flint_malloc(FLINT_MAX(n, 1) * sizeof(slong));
    facts->nzero = 0;
    for (i = 0; i < n; i++)
    {
        for (l = 0; l < d && fmpq_is_zero(data->x + i * d + l); l++)
            ;
        if (l == d)
            facts->zero[facts->nzero++] = i;
    }
    facts->rank = genrank_data_rank(data);
}

void
genrank_data_select(genrank_data_t out, const genrank_data_t in, const slong *keep, slong count)
{
    slong i, l, d = in->d;
    genrank_data_clear(out);
    out->n = count;
    out->d = d;
    out->x = _fmpq_vec_init(count * d);
    out->line = flint_malloc(FLINT_MAX(count, 1) * sizeof(slong));
    out->source = flint_malloc(FLINT_MAX(count, 1) * sizeof(slong));
    out->nsource = in->nsource;
    for (i = 0; i < count; i++)
    {
        for (l = 0; l < d; l++)
            fmpq_set(out->x + i * d + l, in->x + keep[i] * d + l);
        out->line[i] = in->line ? in->line[keep[i]] : 0;
        out->source[i] = in->source ? in->source[keep[i]] : keep[i];
    }
    memcpy(out->sha256, in->sha256, sizeof out->sha256);
}

slong
genrank_data_dedup(genrank_data_t out, const genrank_data_t in,
                   const genrank_data_facts_t facts)
{
    slong n = in->n, i, g, s, count = 0;
    char *drop = flint_calloc(FLINT_MAX(n, 1), 1);
    slong *keep = flint_malloc(FLINT_MAX(n, 1) * sizeof(slong));
    /* keep the first point of each group of equal points and drop zero points */
    for (g = 0; g < facts->ndup_groups; g++)
    {
        slong first = facts->dup[facts->dup_start[g]];
        for (s = facts->dup_start[g]; s < facts->dup_start[g + 1]; s++)
            if (facts->dup[s] < first)
                first = facts->dup[s];
        for (s = facts->dup_start[g]; s < facts->dup_start[g + 1]; s++)
            if (facts->dup[s] != first)
                drop[facts->dup[s]] = 1;
    }
    for (i = 0; i < facts->nzero; i++)
        drop[facts->zero[i]] = 1;
    for (i = 0; i < n; i++)
        if (!drop[i])
            keep[count++] = i;
    genrank_data_select(out, in, keep, count);
    flint_free(drop);
    flint_free(keep);
    return count;
}
