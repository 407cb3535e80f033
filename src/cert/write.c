/* What every certificate writer uses: JSON numbers and arrays streamed
   with stdio, and the atomic write (a temporary file, fsync, rename).
   Certificates are streamed rather than built as a JSON tree: they hold
   only numbers and fixed ASCII strings, and a tree for A and B of a large
   instance would cost tens of times the matrix's own memory.  Reading
   uses Jansson (check/). */
#define _GNU_SOURCE   /* O_TMPFILE, linkat */
#include <dirent.h>
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
_genrank_put_fmpq(FILE *f, const fmpq_t x)
{
    fputc('"', f);
    fmpq_fprint(f, x);
    fputc('"', f);
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

/* The temporary file of an atomic write.  Where the file system allows
   (Linux's O_TMPFILE, with /proc mounted) it has no name while it is
   written: a kill leaves nothing behind, and the kernel frees it.  It is
   named only once complete, "<path>.tmp.<host>.<pid>.XXXXXX", for the
   instant before the rename.
   Elsewhere it is created under that name at once; either way a name
   whose process is gone is removed by the next write to path. */
typedef struct {
    int fd;
    int unnamed;     /* O_TMPFILE: no name until tmp_commit */
    char *name;      /* "<path>.tmp.<pid>.XXXXXX" */
} tmpfile_t;

/* The directory part of path ("." when none). */
static char *
dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t) (slash - path));
}

/* This machine's name, as temporary files carry it: a process id means
   something only on the host (and in the PID namespace) that issued it. */
static const char *
host_tag(void)
{
    static char host[64];
    if (host[0] == '\0')
    {
        char *c;
        if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0')
            strcpy(host, "localhost");
        host[sizeof host - 1] = '\0';
        for (c = host; *c; c++)
            if (*c == '.' || *c == '/')
                *c = '-';
    }
    return host;
}

/* Removes "<path>.tmp.<host>.<pid>.*" files left by writes of this host
   whose process no longer exists (killed between naming and renaming, or
   on a file system without O_TMPFILE).  Each directory is scanned once
   per process (a sweep writes thousands of certificates into one). */
static void
remove_stale(const char *path)
{
    static char *scanned = NULL;
    char *dir = dir_of(path), prefix[4096];
    const char *base = strrchr(path, '/');
    DIR *d;
    struct dirent *e;
    size_t k;
    if (dir == NULL || (scanned != NULL && strcmp(scanned, dir) == 0))
    {
        free(dir);
        return;
    }
    free(scanned);
    scanned = strdup(dir);
    base = base ? base + 1 : path;
    k = (size_t) snprintf(prefix, sizeof prefix, "%s.tmp.%s.", base, host_tag());
    if (k < sizeof prefix && (d = opendir(dir)) != NULL)
    {
        while ((e = readdir(d)) != NULL)
        {
            char *end, full[8192];
            long pid;
            if (strncmp(e->d_name, prefix, k) != 0)
                continue;
            pid = strtol(e->d_name + k, &end, 10);
            if (end == e->d_name + k || *end != '.' || pid <= 0
                || kill((pid_t) pid, 0) == 0 || errno != ESRCH)
                continue;
            if ((size_t) snprintf(full, sizeof full, "%s/%s", dir, e->d_name) < sizeof full)
                unlink(full);
        }
        closedir(d);
    }
    free(dir);
}

/* A name "<path>.tmp.<host>.<pid>.XXXXXX" for mkstemp. */
static char *
temp_name(const char *path)
{
    size_t len = strlen(path) + 128;
    char *name = malloc(len);
    if (name != NULL)
        snprintf(name, len, "%s.tmp.%s.%ld.XXXXXX", path, host_tag(), (long) getpid());
    return name;
}

/* Opens the temporary file in path's directory: fd >= 0, or -1 (errno). */
static int
tmp_open(tmpfile_t *t, const char *path)
{
    char *dir = dir_of(path);
    mode_t mask = umask(0);
    umask(mask);
    t->name = NULL;
    t->unnamed = 0;
    remove_stale(path);
#ifdef O_TMPFILE
    /* an unnamed file is named through /proc/self/fd: without /proc, a
       named one from the start */
    t->fd = dir && access("/proc/self/fd", X_OK) == 0
            ? open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666 & ~mask) : -1;
    if (t->fd >= 0)
        t->unnamed = 1;
    else
#endif
    {
        if ((t->name = temp_name(path)) == NULL || (t->fd = mkstemp(t->name)) < 0)
        {
            int e = errno;
            free(t->name);
            t->name = NULL;
            t->fd = -1;
            errno = e;
        }
        else
            fchmod(t->fd, 0666 & ~mask);   /* mkstemp creates 0600 */
    }
    free(dir);
    return t->fd;
}

/* Gives up the temporary file (closed by the caller). */
static void
tmp_discard(tmpfile_t *t)
{
    if (t->name != NULL)
        unlink(t->name);
    free(t->name);
    t->name = NULL;
}

/* The complete temporary file becomes path: 0, or -1 (errno). */
static int
tmp_commit(tmpfile_t *t, const char *path)
{
    int rc;
#ifdef O_TMPFILE
    if (t->unnamed)
    {
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", t->fd);
        for (int tries = 0; tries < 16; tries++)
        {
            char *name = temp_name(path), *x;
            if (name == NULL)
                return -1;
            /* mkstemp's six letters, without creating the file */
            x = name + strlen(name) - 6;
            for (int k = 0; k < 6; k++)
                x[k] = "abcdefghijklmnopqrstuvwxyz0123456789"[(unsigned) (rand() + tries + k * 7) % 36];
            if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
            {
                t->name = name;
                break;
            }
            free(name);
            if (errno != EEXIST)
                return -1;
        }
        if (t->name == NULL)
            return -1;
    }
#endif
    rc = rename(t->name, path);
    if (rc == 0)
    {
        free(t->name);
        t->name = NULL;
    }
    return rc;
}

static int write_blocked(const char *path, void (*write)(FILE *, const void *),
                         const void *ctx, genrank_err_t *err);

int
genrank_output_check(const char *path, genrank_err_t *err)
{
    tmpfile_t t;
    struct stat sb;
    size_t len = strlen(path);
    if (len == 0 || path[len - 1] == '/' || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)))
        return genrank_err_set(err, GENRANK_EIO,
            "cannot write '%.200s': it is a directory (give a file name)", path);
    if (tmp_open(&t, path) < 0)
        return genrank_err_set(err, GENRANK_EIO, "cannot write '%.200s': %s",
                               path, strerror(errno));
    close(t.fd);
    tmp_discard(&t);
    return 0;
}

/* The write runs with SIGINT, SIGTERM, SIGHUP and SIGQUIT blocked, so an
   interrupt arrives only once the temporary file is renamed or removed:
   neither a half file nor a stray temporary file is left (SIGKILL cannot
   be blocked: see tmpfile_t). */
int
genrank_write_atomic(const char *path, void (*write)(FILE *, const void *),
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
    tmpfile_t t;
    FILE *f;
    int bad;

    if (tmp_open(&t, path) < 0)
        return genrank_err_set(err, GENRANK_EIO, "cannot write '%.200s': %s",
                               path, strerror(errno));
    f = fdopen(t.fd, "w");
    if (f == NULL)
    {
        int e = errno;
        close(t.fd);
        tmp_discard(&t);
        return genrank_err_set(err, GENRANK_EIO, "cannot write '%.200s': %s", path, strerror(e));
    }
    write(f, ctx);
    bad = (fflush(f) != 0) || ferror(f) || (fsync(fileno(f)) != 0);
    if (!bad && tmp_commit(&t, path) != 0)
        bad = 1;
    {
        int e = errno;
        bad |= (fclose(f) != 0);
        if (bad)
        {
            tmp_discard(&t);
            return genrank_err_set(err, GENRANK_EIO, "writing '%.200s' failed: %s",
                                   path, strerror(e ? e : EIO));
        }
    }
    return 0;
}
