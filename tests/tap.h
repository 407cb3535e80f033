/* Minimal TAP output for the test programs (one line per property). */
#ifndef GENRANK_TAP_H
#define GENRANK_TAP_H
#include <stdio.h>
#include <stdlib.h>

static int tap_count = 0, tap_failed = 0;

/* Records one property: cond true means it held on every input. */
#define TAP_OK(cond, ...) do {                                  \
        tap_count++;                                            \
        if (!(cond)) { tap_failed++; printf("not ok %d - ", tap_count); } \
        else printf("ok %d - ", tap_count);                     \
        printf(__VA_ARGS__); printf("\n"); fflush(stdout);      \
    } while (0)

#define TAP_DIAG(...) do { printf("# "); printf(__VA_ARGS__); printf("\n"); } while (0)

static int
tap_done(void)
{
    printf("1..%d\n", tap_count);
    return 0;   /* failures are reported through "not ok" lines */
}

/* Iterations scaled by GENRANK_TEST_MULTIPLIER (default 1). */
static long
tap_iters(long base)
{
    const char *s = getenv("GENRANK_TEST_MULTIPLIER");
    double f = s ? atof(s) : 1.0;
    long v = (long) (base * (f > 0 ? f : 1.0));
    return v > 0 ? v : 1;
}
/* The contents of a file as a NUL-terminated string (malloc'd), or NULL. */
static inline char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    long len;
    char *s;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    s = malloc(len + 1);
    len = (long) fread(s, 1, len, f);
    s[len] = '\0';
    fclose(f);
    return s;
}
#endif
