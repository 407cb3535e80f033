/* Writing a matrix-rank certificate (doc/certificate-format.md,
   section 11): the matrix inline, the minor, and the kernel basis when
   the rank is exact. */
#include <stdio.h>
#include "genrank.h"
#include "internal.h"

typedef struct {
    const genrank_matrix_rank_struct *res;
    const genrank_matrix_struct *M;
} mcert_t;

/* A rational: a JSON integer, or "p/q". */
static void
put_q(FILE *f, const fmpq_t x)
{
    if (fmpz_is_one(fmpq_denref(x)))
        _genrank_put_fmpz(f, fmpq_numref(x));
    else
    {
        fputc('"', f);
        fmpq_fprint(f, x);
        fputc('"', f);
    }
}

static void
put_vectors(FILE *f, const fmpz *v, slong k, slong len)
{
    slong t, i;
    fputs("[", f);
    for (t = 0; t < k; t++)
    {
        fputs(t ? ",\n      [" : "\n      [", f);
        for (i = 0; i < len; i++)
        {
            if (i)
                fputc(',', f);
            _genrank_put_fmpz(f, v + t * len + i);
        }
        fputc(']', f);
    }
    fputs(k ? "\n    ]" : "]", f);
}

static void
write_matrix_cert(FILE *f, const void *ctx)
{
    const mcert_t *c = ctx;
    const genrank_matrix_rank_struct *res = c->res;
    const genrank_matrix_struct *M = c->M;
    slong i, j;
    char buf[64];
    fprintf(f, "{\n  \"format\": \"genrank-matrix\",\n  \"version\": 1,\n");
    fprintf(f, "  \"rows\": %ld,\n  \"cols\": %ld,\n  \"matrix\": [", (long) M->r, (long) M->c);
    for (i = 0; i < M->r; i++)
    {
        fputs(i ? ",\n    [" : "\n    [", f);
        for (j = 0; j < M->c; j++)
        {
            if (j)
                fputc(',', f);
            put_q(f, M->x + i * M->c + j);
        }
        fputc(']', f);
    }
    fputs("\n  ],\n", f);
    if (M->sha256[0])
        fprintf(f, "  \"source\": {\"format\": \"%s\", \"sha256\": \"%s\"},\n",
                genrank_matrix_format_name(M->format), M->sha256);
    fprintf(f, "  \"rank\": %ld,\n  \"status\": \"%s\",\n", (long) res->rank,
            genrank_matrix_status(buf, res));
    fputs("  \"witness\": {\"prime\": ", f);
    _genrank_put_u64(f, res->p);
    fputs(", \"rows\": ", f);
    _genrank_put_slong_array(f, res->rows, res->rank);
    fputs(", \"cols\": ", f);
    _genrank_put_slong_array(f, res->cols, res->rank);
    fputs(", \"det_mod_p\": ", f);
    _genrank_put_u64(f, res->det);
    fputs("}", f);
    if (res->exact && res->probabilistic)
    {
        fprintf(f, ",\n  \"upper_bound\": {\n    \"kind\": \"probabilistic\",\n"
                "    \"digest\": \"%s\",\n    \"primes\": [", res->digest);
        for (i = 0; i < res->nh; i++)
        {
            fputs(i ? ", " : "", f);
            _genrank_put_u64(f, res->hp[i]);
        }
        fputs("],\n    \"ranks\": ", f);
        _genrank_put_slong_array(f, res->hr, res->nh);
        fprintf(f, ",\n    \"minor_bits\": %.1f,\n    \"error_bits\": ", res->minor_bits);
        if (res->error_bits >= 0)
            fprintf(f, "%ld\n  }", (long) res->error_bits);
        else
            fputs("null\n  }", f);
    }
    else if (res->exact)
    {
        fprintf(f, ",\n  \"upper_bound\": {\n    \"kind\": \"kernel\",\n    \"side\": \"%s\",\n"
                "    \"vectors\": ", res->left ? "left" : "right");
        put_vectors(f, res->N, res->k, res->len);
        fputs(",\n    \"witness\": {\"prime\": ", f);
        _genrank_put_u64(f, res->np);
        fputs(", \"coords\": ", f);
        _genrank_put_slong_array(f, res->nsel, res->k);
        fputs(", \"det_mod_p\": ", f);
        _genrank_put_u64(f, res->ndet);
        fputs("}\n  }", f);
    }
    fprintf(f, ",\n  \"generator\": {\"name\": \"genrank %s\"}\n}\n", GENRANK_VERSION);
}

const char *
genrank_matrix_status(char buf[64], const genrank_matrix_rank_t res)
{
    if (!res->exact)
        return "lower bound";
    if (!res->probabilistic || res->error_bits < 0)
        return "exact";
    snprintf(buf, 64, "exact with probability >= 1 - 2^-%ld", (long) res->error_bits);
    return buf;
}

int
genrank_matrix_cert_write(const genrank_matrix_rank_t res, const genrank_matrix_t M,
                          const char *path, genrank_err_t *err)
{
    mcert_t c = {res, M};
    return genrank_write_atomic(path, write_matrix_cert, &c, err);
}
