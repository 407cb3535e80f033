/* Large matrices in memory that is mapped in huge pages where the kernel
   allows it and touched by every core at once.  Touching fresh memory
   page by page costs about a second per 300 MB on some virtual machines
   (the host backs each page on first use); two threads halve that and
   2 MiB pages halve it again (doc/performance.md).  Shared by the
   prover's kernel and the checker's determinant. */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "core.h"

#define BIG_MIN (4 * 1024 * 1024)    /* below this, plain malloc */
#define BIG_THREADS 8

typedef struct { char *p; size_t len; } span_t;

static void *
touch(void *arg)
{
    span_t *s = arg;
    memset(s->p, 0, s->len);
    return NULL;
}

void *
_genrank_big_alloc(size_t bytes)
{
    void *p;
    span_t s[BIG_THREADS];
    pthread_t th[BIG_THREADS];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int t, nt = (int) (cores < 1 ? 1 : cores > BIG_THREADS ? BIG_THREADS : cores), started = 0;
    size_t chunk;
    if (bytes < BIG_MIN)
        return flint_malloc(bytes > 0 ? bytes : 1);
    p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return flint_malloc(bytes);      /* aborts with FLINT's message if that fails too */
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    chunk = (bytes / nt + 4095) & ~(size_t) 4095;
    for (t = 0; t < nt; t++)
    {
        size_t off = chunk * t;
        s[t].p = (char *) p + off;
        s[t].len = off >= bytes ? 0 : (bytes - off < chunk ? bytes - off : chunk);
    }
    for (t = 1; t < nt; t++)
        if (pthread_create(th + t, NULL, touch, s + t) == 0)
            started |= 1 << t;
        else
            touch(s + t);
    touch(s);
    for (t = 1; t < nt; t++)
        if (started & (1 << t))
            pthread_join(th[t], NULL);
    return p;
}

void
_genrank_big_free(void *p, size_t bytes)
{
    if (p == NULL)
        return;
    if (bytes < BIG_MIN)
        flint_free(p);
    else
        munmap(p, bytes);
}
