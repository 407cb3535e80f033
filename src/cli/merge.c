/* genrank merge OUT IN...: joins the JSON Lines files of sweep shards. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

typedef struct { const char *k; slong idx; } ki_t;

static int
ki_cmp(const void *a, const void *b)
{
    const ki_t *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

int
genrank_cmd_merge(int argc, char **argv)
{
    rows_t rows = {0};
    slong i, bad_line, kept = 0;
    const char *out;
    char tmp[4096];
    FILE *f;
    json_t **v;

    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
    {
        fputs("Usage: genrank merge OUT IN [IN...]\n\n"
              "Joins the JSON Lines files of sweep shards into OUT: every case once\n"
              "(the first occurrence), sorted by key; partial last lines are ignored.\n"
              "OUT is written atomically and may be one of the inputs.\n", stdout);
        return 0;
    }
    if (argc < 3)
    {
        fprintf(stderr, "genrank: merge: expected OUT and at least one IN\n"
                "Try 'genrank merge --help' for more information.\n");
        return 2;
    }
    out = argv[1];
    for (i = 2; i < argc; i++)
        if (read_results(argv[i], &rows, 0, &bad_line) != 0)
        {
            if (bad_line)
                fprintf(stderr, "genrank: merge: %s line %ld is not a sweep result\n", argv[i], (long) bad_line);
            else
                fprintf(stderr, "genrank: merge: cannot read '%s': %s\n", argv[i], strerror(errno));
            rows_clear(&rows);
            return 2;
        }
    /* sort by (key, position), then keep the first of each key */
    v = rows.v;
    {
        ki_t *ki = malloc((rows.len + 1) * sizeof(ki_t));
        for (i = 0; i < rows.len; i++)
        {
            ki[i].k = json_string_value(json_object_get(v[i], "key"));
            ki[i].idx = i;
        }
        qsort(ki, rows.len, sizeof(ki_t), ki_cmp);
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long) getpid());
        f = fopen(tmp, "w");
        if (f == NULL)
        {
            fprintf(stderr, "genrank: merge: cannot write '%s': %s\n", out, strerror(errno));
            free(ki);
            rows_clear(&rows);
            return 1;
        }
        for (i = 0; i < rows.len; i++)
        {
            char *s;
            if (i > 0 && strcmp(ki[i].k, ki[i - 1].k) == 0)
                continue;
            s = json_dumps(v[ki[i].idx], JSON_COMPACT | JSON_PRESERVE_ORDER);
            fprintf(f, "%s\n", s);
            free(s);
            kept++;
        }
        free(ki);
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0 || rename(tmp, out) != 0)
    {
        fprintf(stderr, "genrank: merge: writing '%s' failed: %s\n", out, strerror(errno));
        unlink(tmp);
        rows_clear(&rows);
        return 1;
    }
    fprintf(stderr, "genrank: merge: %ld cases from %ld lines into %s\n", (long) kept,
            (long) rows.len, out);
    rows_clear(&rows);
    return 0;
}

