/* Errors, parsers, the random generator, primes and memory queries. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <flint/ulong_extras.h>
#include "config.h"
#include "core.h"

int
genrank_err_set(genrank_err_t *err, int code, const char *fmt, ...)
{
    if (err != NULL)
    {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return code;
}

/* Length of a run of decimal digits at s. */
static size_t
digits_at(const char *s)
{
    size_t k = 0;
    while (s[k] >= '0' && s[k] <= '9')
        k++;
    return k;
}

int
genrank_integer_parse(fmpz_t res, const char *s, genrank_err_t *err)
{
    const char *t = s + (s[0] == '-');
    size_t k = digits_at(t);

    if (k == 0 || t[k] != '\0')
        return genrank_err_set(err, GENRANK_EINVAL,
                               "'%.40s' is not a decimal integer", s);
    if (fmpz_set_str(res, s, 10) != 0)
        return genrank_err_set(err, GENRANK_EINVAL,
                               "'%.40s' is not a decimal integer", s);
    return 0;
}

int
genrank_rational_parse(fmpq_t res, const char *s, genrank_err_t *err)
{
    const char *t = s + (s[0] == '-' || s[0] == '+');
    size_t k = digits_at(t), k2 = 0;
    fmpz_t num, den;
    int bad = (k == 0);

    if (!bad && t[k] == '/')
    {
        k2 = digits_at(t + k + 1);
        bad = (k2 == 0 || t[k + 1 + k2] != '\0');
    }
    else if (!bad)
        bad = (t[k] != '\0');
    if (bad)
        return genrank_err_set(err, GENRANK_EINVAL,
            "malformed rational '%.40s' (expected an integer or p/q, e.g. -2, 1/3)", s);

    fmpz_init(num);
    fmpz_init(den);
    {
        char *buf = flint_malloc(k + 2);
        buf[0] = (s[0] == '-') ? '-' : '0';
        memcpy(buf + 1, t, k);
        buf[k + 1] = '\0';
        fmpz_set_str(num, buf, 10);
        flint_free(buf);
    }
    if (k2 > 0)
        fmpz_set_str(den, t + k + 1, 10);
    else
        fmpz_one(den);
    if (fmpz_is_zero(den))
    {
        fmpz_clear(num);
        fmpz_clear(den);
        return genrank_err_set(err, GENRANK_EINVAL,
                               "rational '%.40s' has a zero denominator", s);
    }
    fmpq_set_fmpz_frac(res, num, den);  /* canonicalises */
    fmpz_clear(num);
    fmpz_clear(den);
    return 0;
}

int
genrank_coeffs_parse(fmpq **coeffs, slong *len, const char *s, genrank_err_t *err)
{
    slong n = 1, i;
    const char *p;
    fmpq *c;
    char *copy, *tok, *save = NULL;

    if (s[0] == '\0')
        return genrank_err_set(err, GENRANK_EINVAL,
            "empty coefficient list (give c0,c1,...,cK, e.g. 0,1,1/2)");
    for (p = s; *p; p++)
        n += (*p == ',');
    if (n > 4096)
        return genrank_err_set(err, GENRANK_EINVAL,
            "%ld coefficients given; at most 4096 (degree 4095) are supported", (long) n);
    if (s[strlen(s) - 1] == ',' || s[0] == ',' || strstr(s, ",,") != NULL)
        return genrank_err_set(err, GENRANK_EINVAL,
            "empty entry in coefficient list '%.60s'", s);

    c = _fmpq_vec_init(n);
    copy = flint_malloc(strlen(s) + 1);
    strcpy(copy, s);
    for (i = 0, tok = strtok_r(copy, ",", &save); tok != NULL;
         i++, tok = strtok_r(NULL, ",", &save))
    {
        genrank_err_t e2;
        if (genrank_decimal_parse(c + i, tok, &e2) != 0)
        {
            genrank_err_set(err, GENRANK_EINVAL, "coefficient c%ld: %s",
                            (long) i, e2.msg);
            flint_free(copy);
            _fmpq_vec_clear(c, n);
            return GENRANK_EINVAL;
        }
    }
    flint_free(copy);
    *coeffs = c;
    *len = n;
    return 0;
}

void
genrank_coeffs_free(fmpq *coeffs, slong len)
{
    if (coeffs != NULL)
        _fmpq_vec_clear(coeffs, len);
}

int
genrank_size_parse(slong *v, const char *s, slong max, const char *what,
                   genrank_err_t *err)
{
    size_t k = digits_at(s);
    unsigned long long x = 0;
    size_t i;

    if (k == 0 || s[k] != '\0')
        return genrank_err_set(err, GENRANK_EINVAL,
            "%s must be a positive integer, got '%.40s'", what, s);
    for (i = 0; i < k; i++)
    {
        x = 10 * x + (unsigned) (s[i] - '0');
        if (x > (unsigned long long) max)
            return genrank_err_set(err, GENRANK_EINVAL,
                "%s = %.40s is too large (at most %ld)", what, s, (long) max);
    }
    if (x == 0)
        return genrank_err_set(err, GENRANK_EINVAL, "%s must be at least 1, got 0", what);
    *v = (slong) x;
    return 0;
}

/* ------------------------------------------------------------------ */

void
genrank_rng_seed(genrank_rng_t *rng, uint64_t seed)
{
    rng->state = seed;
}

uint64_t
genrank_rng_next(genrank_rng_t *rng)
{
    uint64_t z = (rng->state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t
genrank_rng_below(genrank_rng_t *rng, uint64_t bound)
{
    /* accept u < limit, the largest multiple of bound that fits */
    uint64_t limit = UINT64_MAX - (UINT64_MAX % bound + 1) % bound;
    uint64_t u;
    do
        u = genrank_rng_next(rng);
    while (u > limit);
    return u % bound;
}

ulong
genrank_random_prime(genrank_rng_t *rng, int bits)
{
    uint64_t half = UINT64_C(1) << (bits - 1);
    for (;;)
    {
        uint64_t c = half + genrank_rng_below(rng, half);
        if (n_is_prime(c))
            return c;
    }
}

/* ------------------------------------------------------------------ */

size_t
genrank_memory_available(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    long pages, psize;

    if (f != NULL)
    {
        unsigned long long kb;
        while (fgets(line, sizeof line, f) != NULL)
            if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
            {
                fclose(f);
                return (size_t) kb * 1024;
            }
        fclose(f);
    }
    pages = sysconf(_SC_PHYS_PAGES);
    psize = sysconf(_SC_PAGESIZE);
    if (pages > 0 && psize > 0)
        return (size_t) pages * (size_t) psize;
    return SIZE_MAX;
}

double
_genrank_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

int
genrank_prime_check(ulong p, const fmpq *coeffs, slong len, genrank_err_t *err)
{
    slong k;
    if (p < 2 || !n_is_prime(p))
        return genrank_err_set(err, GENRANK_EINVAL, "%lu is not a prime", (unsigned long) p);
    for (k = 0; k < len; k++)
        if (fmpz_fdiv_ui(fmpq_denref(coeffs + k), p) == 0)
            return genrank_err_set(err, GENRANK_EINVAL,
                "prime %lu divides the denominator of coefficient c%ld; choose another prime",
                (unsigned long) p, (long) k);
    return 0;
}

char *
_genrank_bytes_str(char buf[32], double bytes)
{
    if (bytes >= 1073741824.0)
        snprintf(buf, 32, "%.2f GiB", bytes / 1073741824.0);
    else if (bytes >= 1048576.0)
        snprintf(buf, 32, "%.1f MiB", bytes / 1048576.0);
    else
        snprintf(buf, 32, "%.0f KiB", bytes / 1024.0);
    return buf;
}
