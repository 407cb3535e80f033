/* What every certificate writer uses: JSON numbers and arrays streamed
   with stdio, and the atomic write (a temporary file, fsync, rename).
   Certificates are streamed rather than built as a JSON tree: they hold
   only numbers and fixed ASCII strings, and a tree for A and B of a large
   instance would cost tens of times the matrix's own memory.  Reading
   uses Jansson (check/). */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "genrank.h"
#include "internal.h"

#define TWO53 (UINT64_C(1) << 53)

/* Integers below 2^53 in absolute value as JSON numbers, others as
   decimal strings (doc/certificate-format.md). */
void
_genrank_put_fmpz(FILE *f, const fmpz_t x)
{
    int big = fmpz_bits(x) > 53;
    if (big)
        fputc('"', f);
    fmpz_fprint(f, x);
    if (big)
        fputc('"', f);
}

void
_genrank_put_u64(FILE *f, uint64_t x)
{
    fprintf(f, x < TWO53 ? "%llu" : "\"%llu\"", (unsigned long long) x);
}

void
_genrank_put_slong_array(FILE *f, const slong *v, slong len)
{
    slong i;
    fputc('[', f);
    for (i = 0; i < len; i++)
        fprintf(f, i ? ",%ld" : "%ld", (long) v[i]);
    fputc(']', f);
}

/* Creates "<path>.tmp.XXXXXX"; returns the fd (or -1) and the name. */
static int
make_temp(const char *path, char **name)
{
    size_t len = strlen(path);
    int fd;
    *name = malloc(len + 12);
    if (*name == NULL)
        return -1;
    memcpy(*name, path, len);
    memcpy(*name + len, ".tmp.XXXXXX", 12);
    fd = mkstemp(*name);
    if (fd < 0)
    {
        free(*name);
        *name = NULL;
    }
    return fd;
}

static int write_blocked(const char *path, void (*write)(FILE *, const void *),
                         const void *ctx, genrank_err_t *err);

int
genrank_output_check(const char *path, genrank_err_t *err)
{
    char *tmp;
    struct stat sb;
    size_t len = strlen(path);
    int fd;
    if (len == 0 || path[len - 1] == '/' || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)))
        return genrank_err_set(err, GENRANK_EIO,
            "cannot write '%.200s': it is a directory (give a file name)", path);
    fd = make_temp(path, &tmp);
    if (fd < 0)
        return genrank_err_set(err, GENRANK_EIO, "cannot write '%.200s': %s",
                               path, strerror(errno));
    close(fd);
    unlink(tmp);
    free(tmp);
    return 0;
}

/* The write runs with SIGINT, SIGTERM, SIGHUP and SIGQUIT blocked, so an
   interrupt arrives only once the temporary file is renamed or removed:
   neither a half certificate nor a stray temporary file is left. */
int
_genrank_write_atomic(const char *path, void (*write)(FILE *, const void *),
                      const void *ctx, genrank_err_t *err)
{
    sigset_t block, old;
    int rc;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGQUIT);
    sigprocmask(SIG_BLOCK, &block, &old);
    rc = write_blocked(path, write, ctx, err);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

static int
write_blocked(const char *path, void (*write)(FILE *, const void *), const void *ctx,
              genrank_err_t *err)
{
    char *tmp;
    FILE *f;
    int fd = make_temp(path, &tmp), bad;

    if (fd < 0)
        return genrank_err_set(err, GENRANK_EIO, "cannot write '%.200s': %s",
                               path, strerror(errno));
    {
        /* mkstemp creates 0600; give the file the usual permissions */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    f = fdopen(fd, "w");
    if (f == NULL)
    {
        close(fd);
        unlink(tmp);
        free(tmp);
        return genrank_err_set(err, GENRANK_EIO, "cannot write '%.200s': %s",
                               path, strerror(errno));
    }
    write(f, ctx);
    bad = (fflush(f) != 0) || ferror(f) || (fsync(fileno(f)) != 0);
    bad |= (fclose(f) != 0);
    if (bad || rename(tmp, path) != 0)
    {
        int e = errno;
        unlink(tmp);
        free(tmp);
        return genrank_err_set(err, GENRANK_EIO, "writing '%.200s' failed: %s",
                               path, strerror(e));
    }
    free(tmp);
    return 0;
}
