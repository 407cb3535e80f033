/* Reading the JSON Lines files that sweep writes (sweep.c, merge.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"

int
read_results(const char *path, rows_t *rows, int truncate_partial, slong *bad_line,
             slong *partial_line)
{
    FILE *f = fopen(path, "rb");
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    long good_end = 0;
    slong lineno = 0;

    *bad_line = *partial_line = 0;
    if (f == NULL)
        return errno == ENOENT ? 0 : -1;
    while ((got = getline(&line, &cap, f)) > 0)
    {
        json_t *o;
        json_error_t je;
        lineno++;
        if (line[got - 1] != '\n')
        {
            *partial_line = lineno;    /* partial last line */
            break;
        }
        good_end = ftell(f);
        o = json_loads(line, JSON_REJECT_DUPLICATES, &je);
        if (!json_is_object(o) || !json_is_string(json_object_get(o, "key"))
            || !json_is_integer(json_object_get(o, "certified"))
            || !json_is_string(json_object_get(o, "status")))
        {
            json_decref(o);
            *bad_line = lineno;
            free(line);
            fclose(f);
            return -1;
        }
        row_upgrade(o);
        if (rows->len == rows->alloc)
        {
            rows->alloc = rows->alloc ? 2 * rows->alloc : 256;
            rows->v = realloc(rows->v, rows->alloc * sizeof(json_t *));
        }
        rows->v[rows->len++] = o;
    }
    free(line);
    fclose(f);
    if (truncate_partial && truncate(path, good_end) != 0)
        return -1;
    return 0;
}

void
rows_clear(rows_t *rows)
{
    slong i;
    for (i = 0; i < rows->len; i++)
        json_decref(rows->v[i]);
    free(rows->v);
    rows->v = NULL;
    rows->len = rows->alloc = 0;
}


int
read_results_input(const char *cmd, const char *path, rows_t *rows)
{
    struct stat sb;
    slong bad_line, partial;
    if (stat(path, &sb) != 0)
    {
        fprintf(stderr, "genrank: %s: cannot read '%.200s': %s\n", cmd, path, strerror(errno));
        return EX_USAGE;
    }
    if (!S_ISREG(sb.st_mode))
    {
        fprintf(stderr, "genrank: %s: '%.200s' is not a regular file (give a sweep's JSON Lines "
                "file)\n", cmd, path);
        return EX_USAGE;
    }
    if (read_results(path, rows, 0, &bad_line, &partial) != 0)
    {
        if (bad_line)
            fprintf(stderr, "genrank: %s: %.200s line %ld is not a sweep result\n", cmd, path,
                    (long) bad_line);
        else
            fprintf(stderr, "genrank: %s: cannot read '%.200s': %s\n", cmd, path, strerror(errno));
        return EX_USAGE;
    }
    if (partial)
        fprintf(stderr, "genrank: %s: warning: %.200s line %ld is incomplete (a sweep stopped while "
                "writing it?); it is left out\n", cmd, path, (long) partial);
    return 0;
}

/* Keys in order, then position: the first occurrence of a key sorts first. */
typedef struct { const char *k; slong idx; } ki_t;

static int
ki_cmp(const void *a, const void *b)
{
    const ki_t *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

slong
rows_unique(rows_t *rows)
{
    slong i, kept = 0;
    ki_t *ki;
    json_t **v;
    const char *prev = NULL;   /* the key of the last row kept */
    if (rows->len == 0)
        return 0;
    ki = malloc(rows->len * sizeof(ki_t));
    v = malloc(rows->len * sizeof(json_t *));
    for (i = 0; i < rows->len; i++)
    {
        ki[i].k = json_string_value(json_object_get(rows->v[i], "key"));
        ki[i].idx = i;
    }
    qsort(ki, rows->len, sizeof(ki_t), ki_cmp);
    /* compared with the row kept, not the row before: a dropped row's
       key is freed with it */
    for (i = 0; i < rows->len; i++)
    {
        if (prev != NULL && strcmp(ki[i].k, prev) == 0)
            json_decref(rows->v[ki[i].idx]);
        else
        {
            prev = ki[i].k;
            v[kept++] = rows->v[ki[i].idx];
        }
    }
    free(ki);
    free(rows->v);
    rows->v = v;
    rows->alloc = rows->len;
    rows->len = kept;
    return kept;
}

const char *
rows_options(const rows_t *rows)
{
    slong i;
    const char *first = NULL;
    for (i = 0; i < rows->len; i++)
    {
        const char *t = json_string_value(json_object_get(rows->v[i], "options"));
        if (t == NULL)
            t = "";
        if (first == NULL)
            first = t;
        else if (strcmp(first, t) != 0)
            return NULL;
    }
    return first ? first : "";
}

/* The row's integer field k equals r (a number or a decimal string). */
static int
row_equals(json_t *row, const char *k, json_int_t r)
{
    json_t *v = json_object_get(row, k);
    char buf[32];
    if (json_is_integer(v))
        return json_integer_value(v) == r;
    snprintf(buf, sizeof buf, "%lld", (long long) r);
    return json_is_string(v) && !strcmp(json_string_value(v), buf);
}

void
row_upgrade(json_t *row)
{
    /* the names the sweep writes for these bounds (src/core/formula.c):
       "ah" is set for monomials only, "bound" for phi = c0 + c1 x only */
    json_t *cert = json_object_get(row, "certified");
    json_int_t r = json_integer_value(cert);
    const char *by = NULL;
    if (json_object_get(row, "schema") != NULL)
        return;
    json_object_set(row, "prediction", json_object_get(row, "status"));
    json_object_set(row, "rank", cert);
    if (row_equals(row, "ah", r))
        by = "Alexander-Hirschowitz theorem (J. Algebraic Geom. 4 (1995) 201-222) with Terracini's lemma";
    else if (row_equals(row, "bound", r))
        by = "md - C(m-1, 2) for phi = c0 + c1 x (doc/theory.md section 4)";
    else if (row_equals(row, "predicted", r))
        by = json_string_value(json_object_get(row, "theorem"));
    json_object_set_new(row, "status", json_string(by ? "exact" : "lower bound"));
    json_object_set_new(row, "exact_by", by ? json_string(by) : json_null());
    json_object_set_new(row, "schema", json_integer(GENRANK_JSON_SCHEMA));
}

typedef struct {
    slong cases, exact, lower, holds, expl, below, above, none, evidence;
} counts_t;

static void
rows_count(counts_t *k, json_t *const *v, slong len)
{
    slong i;
    memset(k, 0, sizeof *k);
    for (i = 0; i < len; i++)
    {
        const char *st = json_string_value(json_object_get(v[i], "status"));
        const char *pr = json_string_value(json_object_get(v[i], "prediction"));
        k->cases++;
        if (st != NULL && strncmp(st, "exact", 5) == 0)
            k->exact++;
        else
        {
            k->lower++;
            k->evidence += json_is_real(json_object_get(v[i], "probability_bound"));
        }
        if (pr != NULL && !strcmp(pr, "holds"))
            k->holds++;
        else if (pr != NULL && !strcmp(pr, "below-explained"))
            k->expl++;
        else if (pr != NULL && !strcmp(pr, "above"))
            k->above++;
        else if (pr != NULL && !strcmp(pr, "none"))
            k->none++;
        else
            k->below++;
    }
}

void
rows_summary_json(json_t *o, json_t *const *v, slong len)
{
    counts_t k;
    rows_count(&k, v, len);
    json_object_set_new(o, "cases", json_integer(k.cases));
    json_object_set_new(o, "statuses", json_pack("{s:I, s:I}", "exact", (json_int_t) k.exact,
                                                 "lower bound", (json_int_t) k.lower));
    json_object_set_new(o, "evidence", json_integer(k.evidence));
    json_object_set_new(o, "predictions", json_pack("{s:I, s:I, s:I, s:I, s:I}", "holds",
                                                    (json_int_t) k.holds, "below-explained",
                                                    (json_int_t) k.expl, "below", (json_int_t) k.below,
                                                    "above", (json_int_t) k.above,
                                                    "none", (json_int_t) k.none));
}

void
rows_summary_text(char *buf, size_t size, json_t *const *v, slong len)
{
    counts_t k;
    int u;
    rows_count(&k, v, len);
    u = snprintf(buf, size, "%ld case%s: %ld exact, %ld lower bound%s (%ld with evidence that the "
                 "generic rank is not higher); %ld reach the prediction, %ld below it but exact, "
                 "%ld below it unexplained", (long) k.cases, k.cases == 1 ? "" : "s", (long) k.exact,
                 (long) k.lower, k.lower == 1 ? "" : "s", (long) k.evidence, (long) k.holds,
                 (long) k.expl, (long) k.below);
    /* network rows (sweep --family network) */
    if (k.above + k.none > 0 && u > 0 && (size_t) u < size)
        snprintf(buf + u, size - u, ", %ld above it (the formula fails), %ld without one",
                 (long) k.above, (long) k.none);
}

const char *
row_str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

slong
row_int(json_t *o, const char *k)
{
    return (slong) json_integer_value(json_object_get(o, k));
}

void
csv_field(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"\n") != NULL)
    {
        fputc('"', f);
        for (; *s; s++)
        {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    }
    else
        fputs(s, f);
    fputc(last ? '\n' : ',', f);
}
