/* Reading the JSON Lines files that sweep writes (sweep.c, merge.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

/* Reads the complete lines of a result file.  A last line without its
   newline (a run killed while writing) is dropped, and with truncate set
   it is cut off the file.  Returns 0, or -1 when the file cannot be read
   (a missing file is empty).  Lines that are not result objects are an
   error (*bad_line receives the line number). */
int
read_results(const char *path, rows_t *rows, int truncate_partial, slong *bad_line)
{
    FILE *f = fopen(path, "rb");
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    long good_end = 0;
    slong lineno = 0;

    *bad_line = 0;
    if (f == NULL)
        return errno == ENOENT ? 0 : -1;
    while ((got = getline(&line, &cap, f)) > 0)
    {
        json_t *o;
        json_error_t je;
        lineno++;
        if (line[got - 1] != '\n')
            break;                     /* partial last line */
        good_end = ftell(f);
        o = json_loads(line, JSON_REJECT_DUPLICATES, &je);
        if (!json_is_object(o) || !json_is_string(json_object_get(o, "key"))
            || !json_is_integer(json_object_get(o, "certified")))
        {
            json_decref(o);
            *bad_line = lineno;
            free(line);
            fclose(f);
            return -1;
        }
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

