/* libFuzzer harness: the reader of sweep's JSON Lines result files
   (src/cli/results.c, compiled into the harness): read_results on the
   input written to a private temporary file, with the incomplete last
   line cut off the file as sweep does on resuming, then rows_unique and
   rows_options as merge and report use them.

   Properties: a file that reads has one row per newline and reports its
   unterminated last line; after the cut the file ends at its last
   newline and reads again to the same rows with no partial line;
   rows_unique leaves the keys strictly increasing; rows_options is the
   rows' common "options" when it is not NULL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/cli.h"

#define FUZZ_MAX_INPUT 65536

#define require(cond)                                                         \
    do {                                                                      \
        if (!(cond))                                                          \
        {                                                                     \
            fprintf(stderr, "fuzz/results: property failed: %s\n", #cond);    \
            abort();                                                          \
        }                                                                     \
    } while (0)

static char path[256];

static void
remove_file(void)
{
    unlink(path);
}

/* TMPDIR, else /dev/shm when there is one (no disk), else /tmp */
static const char *
temp_dir(void)
{
    const char *t = getenv("TMPDIR");
    struct stat sb;
    if (t != NULL && *t)
        return t;
    return stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) && access("/dev/shm", W_OK) == 0
           ? "/dev/shm" : "/tmp";
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = temp_dir();
    int fd;
    if (strlen(tmp) > 200)
    {
        fprintf(stderr, "fuzz/results: TMPDIR is too long\n");
        exit(1);
    }
    snprintf(path, sizeof path, "%s/genrank-fuzz.XXXXXX", tmp);
    if ((fd = mkstemp(path)) < 0)
    {
        perror("fuzz/results: mkstemp");
        exit(1);
    }
    close(fd);
    atexit(remove_file);
    return 0;
}

static void
check_rows(rows_t *rows)
{
    slong i, len = rows->len, kept;
    const char *opts = rows_options(rows);
    if (opts != NULL)
        for (i = 0; i < len; i++)
        {
            const char *t = json_string_value(json_object_get(rows->v[i], "options"));
            require(strcmp(t ? t : "", opts) == 0);
        }
    kept = rows_unique(rows);
    require(kept == rows->len && kept <= len && (len == 0 || kept >= 1));
    for (i = 1; i < kept; i++)
        require(strcmp(json_string_value(json_object_get(rows->v[i - 1], "key")),
                       json_string_value(json_object_get(rows->v[i], "key"))) < 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f;
    rows_t rows = {NULL, 0, 0}, again = {NULL, 0, 0};
    slong bad, partial, bad2, partial2, newlines = 0;
    size_t k, end = 0;
    struct stat sb;
    int rc;
    if (size > FUZZ_MAX_INPUT)
        return -1;
    for (k = 0; k < size; k++)
        if (data[k] == '\n')
        {
            newlines++;
            end = k + 1;
        }
    f = fopen(path, "wb");
    require(f != NULL && fwrite(data, 1, size, f) == size && fclose(f) == 0);
    rc = read_results(path, &rows, 1, &bad, &partial);
    require(rc == 0 || rc == -1);
    if (rc == 0)
    {
        require(bad == 0 && rows.len == newlines);
        require(partial == (end < size ? newlines + 1 : 0));
        require(stat(path, &sb) == 0 && (size_t) sb.st_size == end);
        require(read_results(path, &again, 0, &bad2, &partial2) == 0);
        require(again.len == rows.len && bad2 == 0 && partial2 == 0);
        check_rows(&rows);
    }
    else
        require(bad >= 1 && bad <= newlines);
    rows_clear(&again);
    rows_clear(&rows);
    return 0;
}
