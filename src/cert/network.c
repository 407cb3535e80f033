/* Writing a network certificate, "genrank-network"
   (doc/certificate-format.md): the architecture, the point exactly (in
   the fields of genrank network --point), the object, seed 001's
   prediction and the witness minor modulo p. */
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* rows x cols rationals as an array of arrays of strings (integers bare). */
static void
put_rows(FILE *f, const fmpq *x, slong rows, slong cols, const char *indent)
{
    slong i, j;
    fputc('[', f);
    for (i = 0; i < rows; i++)
    {
        fprintf(f, "%s\n%s[", i ? "," : "", indent);
        for (j = 0; j < cols; j++)
        {
            const fmpq *v = x + i * cols + j;
            if (j)
                fputc(',', f);
            if (fmpz_is_one(fmpq_denref(v)) && fmpz_bits(fmpq_numref(v)) < 50)
                fmpz_fprint(f, fmpq_numref(v));
            else
                _genrank_put_fmpq(f, v);
        }
        fputc(']', f);
    }
    fputc(']', f);
}

/* A vector of len rationals. */
static void
put_vec(FILE *f, const fmpq *x, slong len)
{
    slong j;
    fputc('[', f);
    for (j = 0; j < len; j++)
    {
        if (j)
            fputc(',', f);
        if (fmpz_is_one(fmpq_denref(x + j)) && fmpz_bits(fmpq_numref(x + j)) < 50)
            fmpz_fprint(f, fmpq_numref(x + j));
        else
            _genrank_put_fmpq(f, x + j);
    }
    fputc(']', f);
}

typedef struct {
    const genrank_net_result_t *res;
    const genrank_net_struct *net;
    const genrank_net_prediction_t *pr;
} net_cert_ctx_t;

static const char *
statement(int obj)
{
    switch (obj)
    {
    case GENRANK_NET_JACOBIAN:
        return "of J (n K x P) >= rank; so is the rank of the NTK Gram matrix J J^T";
    case GENRANK_NET_HOUTER:
        return "of H_o = J^T J (P x P) >= rank; so are the ranks of J and of the NTK "
               "Gram matrix";
    case GENRANK_NET_HFUNC:
        return "of H_f = sum_i sum_k (F_k(x_i) - y_ik) grad^2 F_k(x_i) (P x P) >= rank";
    default:
        return "of H_L = H_o + H_f, the Hessian of 1/2 sum_i |F(x_i) - y_i|^2 "
               "(P x P) >= rank";
    }
}

static void
write_cert(FILE *f, const void *vctx)
{
    const net_cert_ctx_t *c = vctx;
    const genrank_net_struct *net = c->net;
    const genrank_net_result_t *res = c->res;
    const genrank_net_prediction_t *pr = c->pr;
    slong l, k;
    fputs("{\n  \"format\": \"genrank-network\",\n  \"version\": 1,\n", f);
    fprintf(f, "  \"object\": \"%s\",\n  \"statement\": \"rank over %s %s\",\n",
            genrank_net_object_name(res->obj), res->prime == 0 ? "R" : "Q", statement(res->obj));
    fprintf(f, "  \"activation\": \"%s\",\n", genrank_net_activation(net));
    if (net->act == GENRANK_NET_POLY)
    {
        fputs("  \"coeffs\": [", f);
        for (k = 0; k < net->len; k++)
        {
            fputs(k ? ", " : "", f);
            _genrank_put_fmpq(f, net->coeffs + k);
        }
        fputs("],\n", f);
    }
    fputs("  \"widths\": [", f);
    for (l = 0; l <= net->L; l++)
        fprintf(f, l ? ", %ld" : "%ld", (long) net->M[l]);
    fprintf(f, "],\n  \"bias\": %s,\n  \"n\": %ld,\n  \"params\": %ld,\n",
            net->bias ? "true" : "false", (long) net->n, (long) net->P);
    fprintf(f, "  \"shape\": [%ld, %ld],\n  \"rank\": %ld,\n", (long) res->nrows,
            (long) res->ncols, (long) res->rank);
    fputs("  \"prediction\": {\"predicted\": ", f);
    if (pr->predicted >= 0)
        fprintf(f, "%ld", (long) pr->predicted);
    else
        fputs("null", f);
    fprintf(f, ", \"status\": \"%s\", \"source\": \"%s\", \"bound\": %ld, \"bound_source\": \"%s\"},\n",
            pr->status, pr->source, (long) pr->bound, pr->bound_source);
    fprintf(f, "  \"exact\": %s,\n", res->rank == pr->bound ? "true" : "false");
    fputs("  \"point\": {\n    \"weights\": [", f);
    for (l = 1; l <= net->L; l++)
    {
        fputs(l > 1 ? ",\n      " : "\n      ", f);
        put_rows(f, net->W + genrank_net_woff(net, l), net->M[l], net->M[l - 1], "        ");
    }
    fputs("],\n", f);
    if (net->bias)
    {
        fputs("    \"biases\": [", f);
        for (l = 1; l <= net->L; l++)
        {
            fputs(l > 1 ? ",\n      " : "\n      ", f);
            put_vec(f, net->b + genrank_net_boff(net, l), net->M[l]);
        }
        fputs("],\n", f);
    }
    fputs("    \"inputs\": ", f);
    put_rows(f, net->X, net->n, net->M[0], "      ");
    fputs(",\n    \"targets\": ", f);
    put_rows(f, net->Y, net->n, net->M[net->L], "      ");
    if (res->prime == 0)
        fprintf(f, "\n  },\n  \"witness\": {\n    \"route\": \"ball\",\n"
                "    \"precision\": %ld,\n    \"rows\": ", (long) res->prec);
    else
        fprintf(f, "\n  },\n  \"witness\": {\n    \"route\": \"exact\",\n"
                "    \"prime\": %lu,\n    \"rows\": ", (unsigned long) res->prime);
    _genrank_put_slong_array(f, res->rows, res->rank);
    fputs(",\n    \"cols\": ", f);
    _genrank_put_slong_array(f, res->cols, res->rank);
    if (res->prime == 0)
        fprintf(f, ",\n    \"det\": \"%s\"\n  }\n}\n", res->det_str);
    else
        fprintf(f, ",\n    \"det_mod_p\": %lu\n  }\n}\n", (unsigned long) res->det);
}

int
genrank_net_cert_write(const genrank_net_result_t *res, const genrank_net_t net,
                       const genrank_net_prediction_t *pr, const char *path, genrank_err_t *err)
{
    net_cert_ctx_t c;
    c.res = res;
    c.net = net;
    c.pr = pr;
    return genrank_write_atomic(path, write_cert, &c, err);
}
