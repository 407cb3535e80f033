/* Capacity certificates: exact decimal parsing, the data reader's errors,
   duplicate / zero / rank facts against naive computations, synthetic
   data whose answer is known (general position, duplicates, a subspace),
   the certified W-Jacobian against an independent rank over Q, and
   tampered certificates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <flint/fmpq_mat.h>
#include <flint/fmpq_vec.h>
#include "genrank.h"
#include "tap.h"

static genrank_rng_t rng;

static slong
rnd(slong bound)
{
    return (slong) genrank_rng_below(&rng, (uint64_t) bound);
}


/* FLINT 2.9 has no fmpq vector helpers of these kinds. */
static void
qv_set(fmpq *a, const fmpq *b, slong len)
{
    slong i;
    for (i = 0; i < len; i++)
        fmpq_set(a + i, b + i);
}

static void
qv_zero(fmpq *a, slong len)
{
    slong i;
    for (i = 0; i < len; i++)
        fmpq_zero(a + i);
}

static int
qv_equal(const fmpq *a, const fmpq *b, slong len)
{
    slong i;
    for (i = 0; i < len; i++)
        if (!fmpq_equal(a + i, b + i))
            return 0;
    return 1;
}

static int
qv_is_zero(const fmpq *a, slong len)
{
    slong i;
    for (i = 0; i < len; i++)
        if (!fmpq_is_zero(a + i))
            return 0;
    return 1;
}

/* x == num / den */
static int
q_is(const fmpq_t x, slong num, ulong den)
{
    fmpq_t y;
    int eq;
    fmpq_init(y);
    fmpq_set_si(y, num, den);
    eq = fmpq_equal(x, y);
    fmpq_clear(y);
    return eq;
}

/* ------------------------------------------------------------------ */

static int
dec_is(const char *s, const char *want)
{
    fmpq_t x, y;
    int ok;
    fmpq_init(x);
    fmpq_init(y);
    ok = genrank_decimal_parse(x, s, NULL) == 0 && fmpq_set_str(y, want, 10) == 0
         && fmpq_equal(x, y);
    fmpq_clear(x);
    fmpq_clear(y);
    return ok;
}

static void
test_decimals(void)
{
    static const char *bad[] = {"", "-", ".", "nan", "NaN", "inf", "-Infinity", "0x10", "1e",
                                "1.2.3", "abc", "1e99999", "--1", "1/0", "1 2", "1,5", "e5", "+"};
    slong i, k, iters = tap_iters(2000);
    int ok = 1;
    fmpq_t x, y;
    genrank_err_t e;

    TAP_OK(dec_is("0.1", "1/10") && dec_is("1e-3", "1/1000") && dec_is("-2.50", "-5/2")
           && dec_is("+.5", "1/2") && dec_is("5.", "5") && dec_is("1E+2", "100")
           && dec_is("3/6", "1/2") && dec_is("-0", "0") && dec_is("1.25e1", "25/2")
           && dec_is("007", "7") && dec_is("-1.5E-2", "-3/200"),
           "decimals such as 0.1, 1e-3, -2.50 are read exactly");
    for (i = 0; i < (slong) (sizeof bad / sizeof bad[0]); i++)
    {
        fmpq_init(x);
        if (genrank_decimal_parse(x, bad[i], &e) == 0)
        {
            ok = 0;
            TAP_DIAG("'%s' was accepted", bad[i]);
        }
        fmpq_clear(x);
    }
    TAP_OK(ok, "malformed numbers, NaN, infinities, hex and huge exponents are refused");
    fmpq_init(x);
    TAP_OK(genrank_decimal_parse(x, "NaN", &e) != 0 && strstr(e.msg, "NaN") != NULL
           && genrank_decimal_parse(x, "-inf", &e) != 0 && strstr(e.msg, "infinite") != NULL,
           "NaN and infinity are named in the error");
    fmpq_clear(x);

    /* random decimals against digits / 10^k built independently */
    fmpq_init(x);
    fmpq_init(y);
    ok = 1;
    for (i = 0; i < iters && ok; i++)
    {
        char buf[96];
        slong a = rnd(2000000001) - 1000000000, f = rnd(8), ex = rnd(9) - 4;
        fmpz_t num, den;
        /* a / 10^f written as a decimal with f fraction digits, times 10^ex */
        slong aa = a < 0 ? -a : a, p10 = 1;
        for (k = 0; k < f; k++)
            p10 *= 10;
        if (f > 0)
            snprintf(buf, sizeof buf, "%s%ld.%0*lde%ld", a < 0 ? "-" : "", (long) (aa / p10),
                     (int) f, (long) (aa % p10), (long) ex);
        else
            snprintf(buf, sizeof buf, "%ldE%+ld", (long) a, (long) ex);
        fmpz_init_set_si(num, a);
        fmpz_init_set_ui(den, 1);
        for (k = 0; k < f; k++)
            fmpz_mul_ui(den, den, 10);
        for (k = 0; k < (ex < 0 ? -ex : ex); k++)
        {
            if (ex > 0)
                fmpz_mul_ui(num, num, 10);
            else
                fmpz_mul_ui(den, den, 10);
        }
        fmpq_set_fmpz_frac(y, num, den);
        ok = genrank_decimal_parse(x, buf, NULL) == 0 && fmpq_equal(x, y);
        if (!ok)
            TAP_DIAG("'%s' misread", buf);
        fmpz_clear(num);
        fmpz_clear(den);
    }
    TAP_OK(ok, "%ld random decimals equal digits / 10^k exactly", (long) iters);
    fmpq_clear(x);
    fmpq_clear(y);
}

/* ------------------------------------------------------------------ */

static int
parse_err(const char *text, const genrank_data_opts_t *o, const char *needle)
{
    genrank_data_t d;
    genrank_err_t e;
    int rc;
    genrank_data_init(d);
    rc = genrank_data_parse(d, text, strlen(text), o, &e);
    genrank_data_clear(d);
    if (rc == 0)
        return 0;
    if (needle && strstr(e.msg, needle) == NULL)
    {
        TAP_DIAG("message '%s' lacks '%s'", e.msg, needle);
        return 0;
    }
    return 1;
}

static void
test_reader(void)
{
    genrank_data_opts_t o;
    genrank_data_t d;
    genrank_err_t e;
    const char *csv = "sepal,petal,label\n5.1,3.5,0\n\n# a comment\n\"4.9\", 3.0 ,1\r\n";
    const char *ws = "1 2\t3\n  -4   5e-1 6\n";
    int ok;

    genrank_data_opts_init(&o);
    genrank_data_init(d);
    o.label_column = GENRANK_LABEL_LAST;
    ok = genrank_data_parse(d, csv, strlen(csv), &o, &e) == 0 && d->n == 2 && d->d == 2
         && q_is(d->x + 2, 49, 10) && q_is(d->x + 3, 3, 1)
         && d->line[0] == 2 && d->line[1] == 5;
    TAP_OK(ok, "CSV with header, quotes, CR, comments and a label column is read");
    genrank_data_opts_init(&o);
    ok = genrank_data_parse(d, ws, strlen(ws), &o, &e) == 0 && d->n == 2 && d->d == 3
         && q_is(d->x + 4, 1, 2);
    TAP_OK(ok, "whitespace-separated data without header is read");
    o.label_column = 0;
    ok = genrank_data_parse(d, ws, strlen(ws), &o, &e) == 0 && d->d == 2
         && q_is(d->x + 0, 2, 1);
    TAP_OK(ok, "the first column can be the label");
    genrank_data_clear(d);

    {
        /* a word in the label column does not make the first line a header;
           a byte-order mark and old Mac line ends are read */
        const char *lab = "1,2,setosa\n3,5,virginica\n2,7,setosa\n";
        const char *bom = "\xef\xbb\xbf" "1 2\n3 4\n";
        const char *cr = "1 2\r3 4\r5 6\r";
        const char *hdr = "x1,x2,y\n1,2,0\n";
        genrank_data_t d2;
        genrank_data_init(d2);
        genrank_data_opts_init(&o);
        o.label_column = GENRANK_LABEL_LAST;
        ok = genrank_data_parse(d2, lab, strlen(lab), &o, &e) == 0 && d2->n == 3 && d2->header_line == 0;
        ok &= genrank_data_parse(d2, hdr, strlen(hdr), &o, &e) == 0 && d2->n == 1 && d2->header_line == 1;
        genrank_data_opts_init(&o);
        ok &= genrank_data_parse(d2, bom, strlen(bom), &o, &e) == 0 && d2->n == 2 && q_is(d2->x, 1, 1);
        ok &= genrank_data_parse(d2, cr, strlen(cr), &o, &e) == 0 && d2->n == 3;
        genrank_data_clear(d2);
        TAP_OK(ok, "text labels, byte-order marks and CR line ends do not lose a row; a header is reported");
    }
    genrank_data_opts_init(&o);
    TAP_OK(parse_err("1,,2\n3,4,5\n", &o, "line 1, field 2") && parse_err("1,NaN\n2,3\n", &o, "NaN")
           && parse_err("0x10,1\n", &o, "line 1"), "a malformed first line is an error, not a header");
    TAP_OK(parse_err("", &o, "no data points") && parse_err("\n\n# only\n", &o, "no data points")
           && parse_err("a,b,c\n", &o, "no data points"), "empty files are refused");
    TAP_OK(parse_err("1,2,3\n4,5\n", &o, "line 2 has 2 fields"), "ragged rows are refused with the line");
    TAP_OK(parse_err("1,2\n3,x\n", &o, "line 2, field 2"), "non-numeric fields are refused with line and field");
    TAP_OK(parse_err("1,2\n3,NaN\n", &o, "NaN") && parse_err("1,2\n1,inf\n", &o, "infinite"),
           "NaN and infinity are refused");
    o.header = GENRANK_HEADER_NO;
    TAP_OK(parse_err("a,b\n1,2\n", &o, "line 1, field 1"), "--header no makes a header line an error");
    o.header = GENRANK_HEADER_AUTO;
    o.label_column = 5;
    TAP_OK(parse_err("1,2\n", &o, "label column 6"), "a missing label column is refused");
    o.label_column = GENRANK_LABEL_LAST;
    TAP_OK(parse_err("1\n2\n", &o, "no feature columns"), "a file of labels only is refused");
}

/* ------------------------------------------------------------------ */

/* n random points in an r-dimensional subspace of Q^d (r = d: general
   position), small rationals, with `dups` points repeated at random. */
static int sparse = 0;   /* random_data: most points on few features */

static void
random_data(genrank_data_t data, slong n, slong d, slong r, slong dups)
{
    slong i, l, k;
    fmpq *basis = _fmpq_vec_init(r * d);
    fmpq_t c, t;
    fmpq_init(c);
    fmpq_init(t);
    dups = FLINT_MIN(dups, n - 1);
    for (i = 0; i < r * d; i++)
        fmpq_set_si(basis + i, rnd(41) - 20, 1 + rnd(4));
    genrank_data_clear(data);
    data->n = n;
    data->d = d;
    data->nsource = n;
    data->x = _fmpq_vec_init(n * d);
    data->line = flint_malloc(n * sizeof(slong));
    data->source = flint_malloc(n * sizeof(slong));
    for (i = 0; i < n; i++)
    {
        data->line[i] = i + 1;
        data->source[i] = i;
        if (i >= n - dups && i > 0)
        {
            qv_set(data->x + i * d, data->x + rnd(n - dups) * d, d);
            continue;
        }
        if (sparse && rnd(4) != 0)
        {
            /* supported on the first few features only */
            slong keep = 1 + rnd(d);
            for (l = 0; l < d; l++)
                if (l < keep)
                    fmpq_set_si(data->x + i * d + l, rnd(41) - 20, 1 + rnd(3));
            continue;
        }
        for (k = 0; k < r; k++)
        {
            fmpq_set_si(c, rnd(2001) - 1000, 10);
            for (l = 0; l < d; l++)
            {
                fmpq_mul(t, c, basis + k * d + l);
                fmpq_add(data->x + i * d + l, data->x + i * d + l, t);
            }
        }
    }
    _fmpq_vec_clear(basis, r * d);
    fmpq_clear(c);
    fmpq_clear(t);
}

static slong
naive_rank(const genrank_data_t data)
{
    fmpq_mat_t M, R;
    slong i, r;
    fmpq_mat_init(M, data->n, data->d);
    fmpq_mat_init(R, data->n, data->d);
    for (i = 0; i < data->n * data->d; i++)
        fmpq_set(fmpq_mat_entry(M, i / data->d, i % data->d), data->x + i);
    r = fmpq_mat_rref(R, M);
    fmpq_mat_clear(M);
    fmpq_mat_clear(R);
    return r;
}

/* The reader takes a file in 64 KB chunks: files of random rows, line
   ends (LF, CR LF, lone CR, so that pairs fall across chunk boundaries),
   blank and comment lines and a byte-order mark read back the very
   integers written, with their line numbers, and the same as the text
   parsed whole; the SHA-256 is the file's (checked against
   genrank_sha256_file, which reads without parsing). */
static void
test_reader_chunks(void)
{
    static const char *const ends[] = {"\n", "\r\n", "\r"};
    slong iter, bad = 0, files = 0;
    for (iter = 0; iter < 12; iter++)
    {
        slong n = 200 + rnd(3000), d = 1 + rnd(40), i, l, line = 1, *vals, *lines;
        size_t cap = 1 << 16, len = 0;
        char *text = malloc(cap), path[] = "/tmp/t-capacity-chunks-XXXXXX", hex[65];
        genrank_data_opts_t o;
        genrank_data_t a, b;
        genrank_err_t e;
        FILE *f;
        int fd, ok;
        vals = malloc(n * d * sizeof(slong));
        lines = malloc(n * sizeof(slong));
        if (rnd(2))
            len += (size_t) sprintf(text, "\xef\xbb\xbf");
        for (i = 0; i < n; i++)
        {
            const char *end = ends[rnd(3)];
            if (len + 64 * (size_t) d + 64 > cap)
                text = realloc(text, cap = 2 * cap + 64 * (size_t) d);
            if (rnd(8) == 0)   /* a comment or blank line between rows */
            {
                len += (size_t) sprintf(text + len, rnd(2) ? "# note%s" : "   %s", end);
                line++;
            }
            for (l = 0; l < d; l++)
            {
                vals[i * d + l] = rnd(2000001) - 1000000;
                len += (size_t) sprintf(text + len, "%ld%s", (long) vals[i * d + l], l + 1 < d ? "," : "");
            }
            lines[i] = line++;
            len += (size_t) sprintf(text + len, "%s", (i + 1 < n || rnd(2)) ? end : "");
        }
        fd = mkstemp(path);
        f = fdopen(fd, "wb");
        fwrite(text, 1, len, f);
        fclose(f);
        genrank_data_opts_init(&o);
        o.header = GENRANK_HEADER_NO;
        genrank_data_init(a);
        genrank_data_init(b);
        ok = genrank_data_read(a, path, &o, &e) == 0 && genrank_data_parse(b, text, len, &o, &e) == 0
             && a->n == n && a->d == d && b->n == n && b->d == d
             && genrank_sha256_file(hex, path, &e) == 0 && strcmp(hex, a->sha256) == 0;
        for (i = 0; ok && i < n; i++)
        {
            ok &= (a->line[i] == lines[i] && b->line[i] == lines[i]);
            for (l = 0; l < d; l++)
                ok &= q_is(a->x + i * d + l, vals[i * d + l], 1) && q_is(b->x + i * d + l, vals[i * d + l], 1);
        }
        files += (len > (1 << 16));
        bad += !ok;
        if (!ok)
            TAP_DIAG("n = %ld, d = %ld, %zu bytes: %s", (long) n, (long) d, len, e.msg);
        genrank_data_clear(a);
        genrank_data_clear(b);
        unlink(path);
        free(text);
        free(vals);
        free(lines);
    }
    TAP_OK(bad == 0 && files > 0, "files read in chunks (%ld of 12 over one chunk) give the rows, "
           "values and line numbers written, as the whole text does, and their SHA-256", (long) files);
}

static void
test_facts(void)
{
    slong it, iters = tap_iters(60);
    int ok_dup = 1, ok_rank = 1, ok_zero = 1, ok_dedup = 1;
    for (it = 0; it < iters; it++)
    {
        genrank_data_t data, dd;
        genrank_data_facts_t f;
        slong n = 2 + rnd(40), d = 1 + rnd(6), r = 1 + rnd(d), dups = rnd(4), i, j, pairs = 0, fp = 0, g;
        genrank_data_init(data);
        genrank_data_init(dd);
        genrank_data_facts_init(f);
        random_data(data, n, d, r, dups);
        if (rnd(3) == 0)
            qv_zero(data->x + rnd(n) * d, d);
        genrank_data_facts(f, data);
        /* equal pairs, naively, against the groups */
        for (i = 0; i < n; i++)
            for (j = i + 1; j < n; j++)
                pairs += qv_equal(data->x + i * d, data->x + j * d, d);
        for (g = 0; g < f->ndup_groups; g++)
        {
            slong s = f->dup_start[g + 1] - f->dup_start[g];
            fp += s * (s - 1) / 2;
            for (i = f->dup_start[g] + 1; i < f->dup_start[g + 1]; i++)
                ok_dup &= qv_equal(data->x + f->dup[i] * d, data->x + f->dup[i - 1] * d, d)
                          && f->dup[i] > f->dup[i - 1];
        }
        ok_dup &= (pairs == fp);
        ok_rank &= (f->rank == naive_rank(data));
        for (i = 0, j = 0; i < n; i++)
            j += qv_is_zero(data->x + i * d, d);
        ok_zero &= (j == f->nzero);
        genrank_data_dedup(dd, data, f);
        /* distinct nonzero points remain, one per class */
        for (i = 0; i < dd->n; i++)
        {
            ok_dedup &= !qv_is_zero(dd->x + i * d, d);
            for (j = i + 1; j < dd->n; j++)
                ok_dedup &= !qv_equal(dd->x + i * d, dd->x + j * d, d);
        }
        {
            /* the count of distinct nonzero points, naively */
            slong want = 0;
            for (i = 0; i < n; i++)
            {
                int first = !qv_is_zero(data->x + i * d, d);
                for (j = 0; j < i && first; j++)
                    first = !qv_equal(data->x + i * d, data->x + j * d, d);
                want += first;
            }
            ok_dedup &= (dd->n == want);
        }
        genrank_data_facts_clear(f);
        genrank_data_clear(data);
        genrank_data_clear(dd);
    }
    TAP_OK(ok_dup, "duplicate groups equal the naive pairs of equal points");
    TAP_OK(ok_zero, "zero points are found");
    TAP_OK(ok_rank, "the data's rank equals fmpq_mat_rref's");
    TAP_OK(ok_dedup, "de-duplication leaves distinct nonzero points");
}

/* ------------------------------------------------------------------ */

/* The W-Jacobian at the certificate's point for a polynomial psi, over Q,
   from the definitions: entry (l m + k, i) = psi'(w_k . x_i + b_k) x_li. */
static slong
poly_jacobian_rank(const genrank_capacity_t cap, const genrank_data_t data,
                   const genrank_activation_t act)
{
    slong m = cap->width, d = data->d, n = data->n, k, i, l, j, r;
    fmpq_mat_t J, R;
    fmpq_t z, t, y;
    fmpq_mat_init(J, m * d, n);
    fmpq_mat_init(R, m * d, n);
    fmpq_init(z);
    fmpq_init(t);
    fmpq_init(y);
    for (k = 0; k < m; k++)
        for (i = 0; i < n; i++)
        {
            fmpq_set(z, cap->b0 + k);
            for (l = 0; l < d; l++)
                fmpq_addmul(z, cap->W0 + k * d + l, data->x + i * d + l);
            fmpq_zero(y);
            for (j = act->len - 1; j >= 1; j--)
            {
                fmpq_mul(y, y, z);
                fmpq_mul_ui(t, act->coeffs + j, j);
                fmpq_add(y, y, t);
            }
            for (l = 0; l < d; l++)
                fmpq_mul(fmpq_mat_entry(J, l * m + k, i), y, data->x + i * d + l);
        }
    r = fmpq_mat_rref(R, J);
    fmpq_mat_clear(J);
    fmpq_mat_clear(R);
    fmpq_clear(z);
    fmpq_clear(t);
    fmpq_clear(y);
    return r;
}

static char cert_path[64];

static int
verify_text(const char *text, genrank_err_t *e)
{
    return genrank_verify_string(text, NULL, e);
}

static void
test_synthetic(void)
{
    static const char *acts[] = {"tanh", "sigmoid", "relu", "silu", "softplus", "sin", "polynomial"};
    slong it, iters = tap_iters(24);
    int ok_cert = 1, ok_min = 1, ok_below = 1, ok_poly = 1, ok_sub = 1;
    for (it = 0; it < iters; it++)
    {
        genrank_data_t data;
        genrank_activation_t act;
        genrank_capacity_opts_t o;
        genrank_capacity_t cap;
        genrank_err_t e;
        const char *name = acts[it % 7];
        slong d = 1 + rnd(5), r = (it % 3 == 0 && d > 1) ? 1 + rnd(d - 1) : d;
        slong n = 2 + rnd(30);
        char *text;

        genrank_data_init(data);
        {
            /* distinct nonzero points (random ones may repeat) */
            genrank_data_t raw;
            genrank_data_facts_t f;
            genrank_data_init(raw);
            genrank_data_facts_init(f);
            sparse = (it % 4 == 1);
            random_data(raw, n, d, r, 0);
            sparse = 0;
            genrank_data_facts(f, raw);
            genrank_data_dedup(data, raw, f);
            n = data->n;
            genrank_data_facts_clear(f);
            genrank_data_clear(raw);
        }
        genrank_activation_parse(act, name, strcmp(name, "polynomial") ? NULL : "1,1,1/2,1/6,1/24,1/120,1/720,1/5040,1/40320", &e);
        genrank_capacity_opts_init(&o);
        o.seed = it;
        genrank_capacity_init(cap);
        if (genrank_capacity(cap, data, act, &o, &e) != 0)
        {
            TAP_DIAG("capacity failed: %s", e.msg);
            ok_cert = 0;
        }
        else if (cap->width > 0)
        {
            ok_min &= (cap->width >= cap->route_min && cap->width * cap->data_rank >= n);
            ok_cert &= (genrank_capacity_write(cap, data, act, NULL, NULL, cert_path, &e) == 0);
            text = slurp(cert_path);
            if (verify_text(text, &e) != 0)
            {
                TAP_DIAG("%s n=%ld d=%ld: %s", name, (long) n, (long) d, e.msg);
                ok_cert = 0;
            }
            free(text);
            if (act->kind == GENRANK_ACT_POLY)
                ok_poly &= (poly_jacobian_rank(cap, data, act) == n);
        }
        else if (!cap->poly_no_route)
        {
            /* no theorem promises a width here; report, do not fail */
            TAP_DIAG("%s n=%ld d=%ld r=%ld: not certified up to width %ld (rank %ld)", name,
                     (long) n, (long) d, (long) r, (long) cap->tried_to, (long) cap->rank);
        }
        ok_sub &= (cap->data_rank == r || cap->data_rank == naive_rank(data));
        {
            /* below the route's lower bound the rank is below n at any
               point: rank <= n - |T| + m rank X_T */
            slong below = cap->route_min - 1, T = cap->obs_count, rT = cap->obs_rank;
            genrank_capacity_clear(cap);
            if (below >= 1)
            {
                genrank_capacity_init(cap);
                o.width = below;
                o.trials = 1;
                if (genrank_capacity(cap, data, act, &o, &e) == 0)
                    ok_below &= (cap->width == 0 && cap->rank < n
                                 && (T == 0 || cap->rank <= n - T + below * rT));
                genrank_capacity_clear(cap);
            }
        }
        genrank_activation_clear(act);
        genrank_data_clear(data);
    }
    TAP_OK(ok_cert, "certificates on random data (general position and subspaces) verify");
    TAP_OK(ok_min, "a certified width is never below the route lower bound or ceil(n / rank X)");
    TAP_OK(ok_below, "below the route lower bound no width is certified (rank <= n - |T| + m rank X_T)");
    TAP_OK(ok_poly, "polynomial psi: the certified W-Jacobian has rank n over Q (rref of the rational matrix)");
    TAP_OK(ok_sub, "the data rank is the subspace's dimension");
}

/* ------------------------------------------------------------------ */

/* text with root[key] (or root[sub][key]) replaced by v (stolen). */
static char *
tamper(const char *text, const char *sub, const char *key, json_t *v)
{
    json_error_t je;
    json_t *root = json_loads(text, 0, &je), *obj = root;
    char *out;
    if (sub)
        obj = json_object_get(root, sub);
    json_object_set_new(obj, key, v);
    out = json_dumps(root, JSON_PRESERVE_ORDER);
    json_decref(root);
    return out;
}

/* text with the string at root[key][i] (or [i][j]) replaced. */
static char *
tamper_entry(const char *text, const char *sub, const char *key, slong i, slong j, const char *s)
{
    json_error_t je;
    json_t *root = json_loads(text, 0, &je), *a;
    char *out;
    a = json_object_get(sub ? json_object_get(root, sub) : root, key);
    a = json_array_get(a, i);
    if (j >= 0)
        json_array_set_new(a, j, json_string(s));
    else
        json_array_set_new(json_object_get(sub ? json_object_get(root, sub) : root, key), i,
                           json_string(s));
    out = json_dumps(root, JSON_PRESERVE_ORDER);
    json_decref(root);
    return out;
}

static int
rejected(char *bad, const char *what)
{
    genrank_err_t e;
    int rc = verify_text(bad, &e);
    if (rc == 0)
        TAP_DIAG("tampered %s accepted", what);
    free(bad);
    return rc != 0;
}

static void
test_tampering(void)
{
    genrank_data_t data;
    genrank_activation_t act;
    genrank_capacity_opts_t o;
    genrank_capacity_t cap;
    genrank_err_t e;
    char *t, datafile[] = "/tmp/t-capacity-data-XXXXXX";
    int ok = 1, fd;
    slong n = 20, d = 3, i, l;
    FILE *f;

    genrank_data_init(data);
    random_data(data, n, d, d, 0);
    genrank_activation_parse(act, "tanh", NULL, &e);
    genrank_capacity_opts_init(&o);
    o.seed = 7;
    genrank_capacity_init(cap);
    genrank_capacity(cap, data, act, &o, &e);
    genrank_capacity_write(cap, data, act, NULL, NULL, cert_path, &e);
    t = slurp(cert_path);
    TAP_OK(cap->width > 0 && verify_text(t, &e) == 0, "a tanh certificate on 20 points verifies");

    ok &= rejected(tamper_entry(t, "data", "points", 3, 1, "7/3"), "data point");
    ok &= rejected(tamper_entry(t, NULL, "W0", 0, 0, "1/7"), "W0");
    ok &= rejected(tamper_entry(t, NULL, "b0", 1, -1, "1/3"), "b0");
    ok &= rejected(tamper_entry(t, NULL, "v0", 0, -1, "0"), "v0 = 0");
    ok &= rejected(tamper_entry(t, NULL, "v0", 0, -1, "2"), "v0 = 2");
    ok &= rejected(tamper(t, "witness", "det_mod_p", json_integer(1)), "det_mod_p");
    ok &= rejected(tamper(t, "witness", "t0", json_integer(2)), "t0");
    ok &= rejected(tamper(t, "witness", "prime", json_integer(1000003)), "prime");
    ok &= rejected(tamper(t, NULL, "activation", json_string("sigmoid")), "activation");
    ok &= rejected(tamper(t, NULL, "rank", json_integer(n - 1)), "rank");
    ok &= rejected(tamper(t, NULL, "sufficient_width", json_integer(cap->width)), "sufficient width");
    ok &= rejected(tamper(t, "necessary_width", "theorem_5_4", json_integer(1)), "necessary width");
    ok &= rejected(tamper(t, "necessary_width", "data_rank", json_integer(d - 1)), "data rank");
    ok &= rejected(tamper(t, NULL, "version", json_integer(2)), "version");
    ok &= rejected(tamper(t, "route_lower_bound", "width", json_integer(cap->width + 1)), "route bound width");
    ok &= rejected(tamper(t, "route_lower_bound", "rank", json_integer(1)), "route bound rank");
    {
        json_t *sel = json_array();
        slong q;
        for (q = n - 1; q >= 0; q--)
            json_array_append_new(sel, json_integer(q));
        ok &= rejected(tamper(t, "data", "select", sel), "a decreasing select");
    }
    TAP_OK(ok, "tampered data, point, witness, activation, rank and widths are rejected");
    {
        /* inline points that claim to be a file's: the checked points must be
           the ones the certificate names, so data is one or the other */
        static const char *const by_file[] = {"file", "sha256", "header", "label_column", "inline"};
        size_t k;
        ok = 1;
        for (k = 0; k < sizeof by_file / sizeof by_file[0]; k++)
            ok &= rejected(tamper(t, "data", by_file[k], json_string("data.csv")), by_file[k]);
        TAP_OK(ok, "inline points with a file, sha256, header, label_column or inline field are rejected");
    }
    free(t);

    /* data by reference: the file's SHA-256 is checked */
    fd = mkstemp(datafile);
    f = fdopen(fd, "w");
    for (i = 0; i < n; i++)
        for (l = 0; l < d; l++)
        {
            fmpq_fprint(f, data->x + i * d + l);
            fputc(l + 1 < d ? ',' : '\n', f);
        }
    fclose(f);
    {
        genrank_data_opts_t dopts;
        genrank_data_t rd;
        genrank_data_opts_init(&dopts);
        genrank_data_init(rd);
        genrank_verify_opts_t vo;
        char *outside;
        genrank_verify_opts_init(&vo);
        vo.data_dir = "/tmp";      /* the data directory: the path is recorded below it */
        genrank_data_read(rd, datafile, &dopts, &e);
        genrank_capacity_write(cap, rd, act, datafile + strlen("/tmp/"), &dopts, cert_path, &e);
        t = slurp(cert_path);
        TAP_OK(genrank_verify_string_opts(t, &vo, NULL, &e) == 0,
               "a certificate referring to its data file by SHA-256 verifies");
        TAP_OK(genrank_verify_string(t, NULL, &e) == GENRANK_EIO,
               "... and is not found outside its data directory");
        outside = malloc(strlen(t) + 16);
        {
            /* the same file named by "../tmp/NAME" from /tmp: refused */
            const char *at = strstr(t, datafile + strlen("/tmp/"));
            size_t pre = (size_t) (at - t);
            memcpy(outside, t, pre);
            strcpy(outside + pre, "../tmp/");
            strcat(outside, at);
        }
        TAP_OK(genrank_verify_string_opts(outside, &vo, NULL, &e) == GENRANK_EIO
               && strstr(e.msg, "..") != NULL, "a data file path with '..' is not read (not checked here)");
        free(outside);
        f = fopen(datafile, "a");
        fputs("# changed\n", f);
        fclose(f);
        TAP_OK(genrank_verify_string_opts(t, &vo, NULL, &e) != 0 && strstr(e.msg, "SHA-256") != NULL,
               "changing the data file is detected");
        free(t);
        genrank_data_clear(rd);
    }
    unlink(datafile);
    genrank_capacity_clear(cap);
    genrank_activation_clear(act);

    /* ReLU: a bias that puts a pre-activation at 0 is rejected */
    genrank_activation_parse(act, "relu", NULL, &e);
    genrank_capacity_init(cap);
    o.seed = 3;
    genrank_capacity(cap, data, act, &o, &e);
    genrank_capacity_write(cap, data, act, NULL, NULL, cert_path, &e);
    t = slurp(cert_path);
    TAP_OK(cap->width > 0 && verify_text(t, &e) == 0, "a ReLU certificate verifies");
    {
        /* b0_k = -w_k . x_0 makes z_k0 = 0, for the last neuron k (which
           the minor need not use: every pre-activation is checked) */
        fmpq_t z;
        char *s, *bad;
        slong k = cap->width - 1;
        fmpq_init(z);
        for (l = 0; l < d; l++)
            fmpq_submul(z, cap->W0 + k * d + l, data->x + l);
        s = fmpq_get_str(NULL, 10, z);
        bad = tamper_entry(t, NULL, "b0", k, -1, s);
        TAP_OK(verify_text(bad, &e) != 0 && strstr(e.msg, "no derivative") != NULL,
               "a zero ReLU pre-activation is rejected");
        free(bad);
        flint_free(s);
        fmpq_clear(z);
    }
    free(t);
    genrank_capacity_clear(cap);
    genrank_activation_clear(act);
    genrank_data_clear(data);
}

/* duplicated points: the certificate on the de-duplicated set */
static void
test_duplicates(void)
{
    slong it, iters = tap_iters(10);
    int ok = 1;
    for (it = 0; it < iters; it++)
    {
        genrank_data_t data, dd;
        genrank_data_facts_t f;
        genrank_activation_t act;
        genrank_capacity_opts_t o;
        genrank_capacity_t cap;
        genrank_err_t e;
        slong n = 10 + rnd(20), d = 2 + rnd(3), dups = 1 + rnd(3);
        char *t;
        genrank_data_init(data);
        genrank_data_init(dd);
        genrank_data_facts_init(f);
        random_data(data, n, d, d, dups);
        genrank_data_facts(f, data);
        ok &= (f->ndup_groups >= 1);
        genrank_data_dedup(dd, data, f);
        genrank_activation_parse(act, "sigmoid", NULL, &e);
        genrank_capacity_opts_init(&o);
        o.seed = it;
        genrank_capacity_init(cap);
        if (genrank_capacity(cap, dd, act, &o, &e) == 0 && cap->width > 0)
        {
            genrank_capacity_write(cap, dd, act, NULL, NULL, cert_path, &e);
            t = slurp(cert_path);
            ok &= (verify_text(t, &e) == 0) && (strstr(t, "\"select\"") != NULL)
                  && cap->n == n - (f->ndup - f->ndup_groups);
            free(t);
        }
        else
            ok = 0;
        genrank_capacity_clear(cap);
        genrank_activation_clear(act);
        genrank_data_facts_clear(f);
        genrank_data_clear(data);
        genrank_data_clear(dd);
    }
    TAP_OK(ok, "with duplicated points the de-duplicated set is certified and names the kept points");
}

int
main(void)
{
    int fd;
    strcpy(cert_path, "/tmp/t-capacity-XXXXXX");
    fd = mkstemp(cert_path);
    close(fd);
    genrank_rng_seed(&rng, 20261122);
    test_decimals();
    test_reader();
    test_reader_chunks();
    test_facts();
    test_synthetic();
    test_duplicates();
    test_tampering();
    unlink(cert_path);
    return tap_done();
}
