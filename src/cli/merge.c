/* genrank merge OUT IN...: joins the JSON Lines files of sweep shards. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

typedef struct {
    const rows_t *rows;
    slong kept;
} merged_t;

/* The first kept rows, one JSON object per line. */
static void
write_rows(FILE *f, const void *ctx)
{
    const merged_t *m = ctx;
    slong i;
    for (i = 0; i < m->kept; i++)
    {
        char *s = json_dumps(m->rows->v[i], JSON_COMPACT | JSON_PRESERVE_ORDER);
        fprintf(f, "%s\n", s);
        free(s);
    }
}

int
genrank_cmd_merge(int argc, char **argv)
{
    rows_t rows = {0};
    slong i, lines, kept;
    const char *out;
    merged_t merged;
    genrank_err_t e;
    int rc;

    int json = 0, k;
    char text[512];

    /* --json, anywhere: taken out of the file names */
    for (i = k = 1; i < argc; i++)
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else
            argv[k++] = argv[i];
    argc = (int) k;
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
    {
        fputs("Usage: genrank merge OUT IN [IN...] [--json]\n\n"
              "Joins the JSON Lines files of sweep shards into OUT: every case once\n"
              "(the first occurrence), sorted by key; incomplete last lines are reported\n"
              "and left out.  Every IN must be a sweep's results, all made with the same\n"
              "--seed, --trials and --kruskal; otherwise OUT is left untouched.\n"
              "OUT is written atomically and may be one of the inputs.  Rows written\n"
              "before JSON schema 1 are brought to it.  It ends with a summary of OUT\n"
              "(exact cases, lower bounds) on stderr, or with --json as a JSON object\n"
              "on stdout (doc/json.md).\n", stdout);
        return 0;
    }
    if (argc < 3)
    {
        fprintf(stderr, "genrank: merge: expected OUT and at least one IN\n"
                "Try 'genrank merge --help' for more information.\n");
        return EX_USAGE;
    }
    out = argv[1];
    for (i = 2; i < argc; i++)
        if ((rc = read_results_input("merge", argv[i], &rows)) != 0)
        {
            rows_clear(&rows);
            return rc;
        }
    if (rows.len == 0)
    {
        fprintf(stderr, "genrank: merge: the inputs hold no sweep results; %s is left as it is\n", out);
        return EX_USAGE;
    }
    if (rows_options(&rows) == NULL)
    {
        fprintf(stderr, "genrank: merge: the inputs were made with different options (--seed, "
                "--trials or --kruskal); merge shards of one sweep only\n");
        rows_clear(&rows);
        return EX_USAGE;
    }
    lines = rows.len;
    kept = rows_unique(&rows);
    merged.rows = &rows;
    merged.kept = kept;
    if (genrank_write_atomic(out, write_rows, &merged, &e) != 0)
    {
        fprintf(stderr, "genrank: merge: %s\n", e.msg);
        rows_clear(&rows);
        return EX_FAIL;
    }
    fprintf(stderr, "genrank: merge: %ld cases from %ld lines into %s\n", (long) kept,
            (long) lines, out);
    if (json)
    {
        json_t *o = cli_json_object("merge"), *ins = json_array();
        json_object_set_new(o, "results", json_string(out));
        for (i = 2; i < argc; i++)
            json_array_append_new(ins, json_string(argv[i]));
        json_object_set_new(o, "inputs", ins);
        json_object_set_new(o, "lines", json_integer(lines));
        rows_summary_json(o, rows.v, kept);
        print_json(o);
    }
    else
    {
        rows_summary_text(text, sizeof text, rows.v, kept);
        fprintf(stderr, "genrank: merge: %s: %s\n", out, text);
    }
    rows_clear(&rows);
    return EX_OK;
}
