/* libFuzzer harness: the certificate checker (libgenrank-check) on any
   text, through genrank_verify_string: every certificate kind the
   checker's table knows (rank certificates version 1 and 2 with their
   Kruskal and evidence parts, exact and ball witnesses, capacity
   certificates with inline data or a data file).

   A capacity certificate may name a data file, which the checker reads
   only inside its data directory (relative, no "..", no symbolic link
   out).  The harness gives the checker a private directory as that data
   directory, holding one small data file, points.csv, and hands every
   input over byte for byte: the path policy itself is under test, and a
   certificate naming any file outside the directory must be refused.

   Properties beyond "no crash, no leak, no undefined behaviour": the
   result is one of the documented codes, a refusal carries a message,
   and checking is deterministic (the same text gives the same verdict
   twice). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <jansson.h>
#include "genrank-check.h"

#define FUZZ_MAX_INPUT 65536

/* fuzz/corpus/check/capacity-points-*.json refer to it by name */
static const char points_csv[] =
    "# six points, four features and a label\n"
    "a,b,c,d,label\n"
    "1,2,3,4,0\n"
    "-1/2,0.25,7,1e-3,1\n"
    "0,0,1,0,0\n"
    "3,-2,2.5,-4,1\n"
    "1,2,3,4,0\n"
    "2,1,0,-1/3,1\n";

static char dir[256];

static void
remove_dir(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    unlink(path);
    rmdir(dir);
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
    char path[300];
    FILE *f;
    const char *tmp = temp_dir();
    if (strlen(tmp) > 200)
    {
        fprintf(stderr, "fuzz/check: TMPDIR is too long\n");
        exit(1);
    }
    snprintf(dir, sizeof dir, "%s/genrank-fuzz.XXXXXX", tmp);
    if (mkdtemp(dir) == NULL)
    {
        perror("fuzz/check: mkdtemp");
        exit(1);
    }
    atexit(remove_dir);
    snprintf(path, sizeof path, "%s/points.csv", dir);
    if ((f = fopen(path, "wb")) == NULL || fputs(points_csv, f) == EOF || fclose(f) != 0)
    {
        perror("fuzz/check: writing points.csv");
        exit(1);
    }
    return 0;
}

static int
documented(int rc)
{
    return rc == GENRANK_OK || rc == GENRANK_EINVAL || rc == GENRANK_ENOMEM || rc == GENRANK_EIO
           || rc == GENRANK_EFORMAT || rc == GENRANK_EINVALID;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;
    genrank_verify_opts_t opts;
    genrank_verify_info_t info;
    genrank_err_t err;
    int rc, again;
    if (size > FUZZ_MAX_INPUT)
        return -1;
    text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    genrank_verify_opts_init(&opts);
    opts.data_dir = dir;
    err.code = -1;
    err.msg[0] = '\0';
    rc = genrank_verify_string_opts(text, &opts, &info, &err);
    if (!documented(rc) || (rc != 0 && (err.code != rc || err.msg[0] == '\0'
                                        || memchr(err.msg, '\0', sizeof err.msg) == NULL)))
    {
        fprintf(stderr, "fuzz/check: return value %d, error code %d, message '%.512s'\n", rc,
                err.code, err.msg);
        abort();
    }
    if ((again = genrank_verify_string_opts(text, &opts, NULL, NULL)) != rc)
    {
        fprintf(stderr, "fuzz/check: the same text gave %d, then %d\n", rc, again);
        abort();
    }
    free(text);
    return 0;
}
