/* Writing a matrix-exponential capacity certificate, "genrank-matexp"
   (doc/certificate-format.md): the point exactly, the minor's rows and
   columns, its precision and the determinant's midpoint. */
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* A d x d matrix over Q(i): "p/q" when real, else ["re", "im"]. */
static void
put_gauss(FILE *f, const fmpq *re, const fmpq *im, slong d)
{
    slong i, j;
    fputs("[", f);
    for (i = 0; i < d; i++)
    {
        fputs(i ? ", [" : "[", f);
        for (j = 0; j < d; j++)
        {
            fputs(j ? ", " : "", f);
            if (fmpq_is_zero(im + i * d + j))
                _genrank_put_fmpq(f, re + i * d + j);
            else
            {
                fputc('[', f);
                _genrank_put_fmpq(f, re + i * d + j);
                fputs(", ", f);
                _genrank_put_fmpq(f, im + i * d + j);
                fputc(']', f);
            }
        }
        fputs("]", f);
    }
    fputs("]", f);
}

static void
write_cert(FILE *f, const void *ctx)
{
    const genrank_matexp_cap_struct *c = ctx;
    slong d = c->spec.d, L = c->spec.layers, n = c->spec.n, m;
    fputs("{\n  \"format\": \"genrank-matexp\",\n  \"version\": 1,\n", f);
    fputs("  \"network\": \"f(X) = W_L exp(W_{L-1} exp(... exp(W_1 X)))\",\n", f);
    fprintf(f, "  \"d\": %ld,\n  \"layers\": %ld,\n  \"n\": %ld,\n", (long) d, (long) L, (long) n);
    fprintf(f, "  \"rank\": %ld,\n  \"bound\": %ld,\n  \"status\": \"%s\",\n", (long) c->rank,
            (long) c->bound, c->rank == c->bound ? "exact" : "lower bound");
    fputs("  \"point\": {\n    \"W\": [\n", f);
    for (m = 0; m < L + n; m++)
    {
        if (m == L)
            fputs("\n    ],\n    \"X\": [\n", f);
        fputs(m == 0 || m == L ? "      " : ",\n      ", f);
        put_gauss(f, c->re + m * d * d, c->im + m * d * d, d);
    }
    fputs("\n    ]\n  },\n  \"witness\": {\n    \"route\": \"ball\",\n", f);
    fprintf(f, "    \"precision\": %ld,\n    \"rows\": ", (long) c->prec);
    _genrank_put_slong_array(f, c->rows, c->rank);
    fputs(",\n    \"cols\": ", f);
    _genrank_put_slong_array(f, c->cols, c->rank);
    fprintf(f, ",\n    \"det\": [\"%s\", \"%s\"],\n    \"det_radius\": \"%s\"\n  },\n", c->det_re,
            c->det_im, c->det_rad);
    fputs("  \"generator\": {\"name\": \"splitmix64\", \"seed\": ", f);
    _genrank_put_u64(f, c->spec.seed);
    fprintf(f, ", \"complex_point\": %s, \"seconds\": %.3f, \"program\": \"genrank %s\"}\n}\n",
            c->spec.complex_point ? "true" : "false", c->seconds, GENRANK_VERSION);
}

int
genrank_matexp_cert_write(const genrank_matexp_cap_t cap, const char *path, genrank_err_t *err)
{
    return genrank_write_atomic(path, write_cert, cap, err);
}
