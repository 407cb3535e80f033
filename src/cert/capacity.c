/* Writing a capacity certificate (doc/certificate-format.md, section 10). */
#include <stdio.h>
#include <string.h>
#include "genrank.h"
#include "internal.h"
typedef struct {
    const genrank_capacity_struct *cap;
    const genrank_data_struct *data;
    const genrank_activation_struct *act;
    const char *data_path;
    const genrank_data_opts_t *dopts;
} cap_write_t;

static void
put_q(FILE *f, const fmpq_t x)
{
    fputc('"', f);
    fmpq_fprint(f, x);
    fputc('"', f);
}

/* A rows x cols matrix of rationals, one row per line, indented. */
static void
put_q_matrix(FILE *f, const fmpq *v, slong rows, slong cols, const char *indent)
{
    slong i, l;
    for (i = 0; i < rows; i++)
    {
        fprintf(f, "%s[", indent);
        for (l = 0; l < cols; l++)
        {
            fputs(l ? ", " : "", f);
            put_q(f, v + i * cols + l);
        }
        fputs(i + 1 < rows ? "],\n" : "]\n", f);
    }
}

/* s as a JSON string. */
static void
put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
    {
        unsigned char ch = (unsigned char) *s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* The data: inline points, or the file by path, SHA-256 and reading
   options; the selection of its points when not all are used. */
static void
put_data(FILE *f, const cap_write_t *c)
{
    const genrank_data_struct *data = c->data;
    slong n = c->cap->n, d = c->cap->d;
    int all = (data->nsource == n);
    fprintf(f, "  \"data\": {\n    \"n\": %ld,\n    \"d\": %ld,\n", (long) n, (long) d);
    if (c->data_path != NULL)
    {
        fputs("    \"file\": ", f);
        put_string(f, c->data_path);
        fprintf(f, ",\n    \"sha256\": \"%s\",\n", data->sha256);
        fprintf(f, "    \"header\": \"%s\",\n", c->dopts->header == GENRANK_HEADER_YES ? "yes"
                : c->dopts->header == GENRANK_HEADER_NO ? "no" : "auto");
        if (c->dopts->label_column == GENRANK_LABEL_LAST)
            fputs("    \"label_column\": \"last\",\n", f);
        else if (c->dopts->label_column == GENRANK_LABEL_NONE)
            fputs("    \"label_column\": \"none\",\n", f);
        else
            fprintf(f, "    \"label_column\": %ld,\n", (long) c->dopts->label_column + 1);
    }
    if (!all)
    {
        fprintf(f, "    \"points_in_file\": %ld,\n    \"select\": ", (long) data->nsource);
        _genrank_put_slong_array(f, data->source, n);
        fputs(",\n", f);
    }
    if (c->data_path == NULL)
    {
        fputs("    \"points\": [\n", f);
        put_q_matrix(f, data->x, n, d, "      ");
        fputs("    ]\n  },\n", f);
    }
    else
        fputs("    \"inline\": false\n  },\n", f);
}

/* The witness object's fields after "rank". */
static void
put_witness(FILE *f, const cap_write_t *c)
{
    const genrank_capacity_struct *cap = c->cap;
    if (cap->route == GENRANK_ROUTE_BALL)
        fprintf(f, "    \"route\": \"ball\",\n    \"precision\": %ld,\n", (long) cap->precision);
    else
    {
        fputs("    \"route\": \"exact\",\n    \"prime\": ", f);
        _genrank_put_u64(f, cap->prime);
        fputs(",\n", f);
        if (c->act->kind == GENRANK_ACT_NAMED)
        {
            fputs("    \"q\": \"", f);
            fmpz_fprint(f, cap->inst->q);
            fputs("\",\n    \"t0\": ", f);
            _genrank_put_u64(f, cap->inst->t0);
            fputs(",\n", f);
            if (genrank_phi_class(c->act->dpsi) == GENRANK_CLASS_TRIG)
            {
                fputs("    \"i0\": ", f);
                _genrank_put_u64(f, cap->inst->i0);
                fputs(",\n", f);
            }
        }
    }
    fputs("    \"rows\": ", f);
    _genrank_put_slong_array(f, cap->rows, cap->rank);
    fputs(",\n    \"cols\": ", f);
    _genrank_put_slong_array(f, cap->cols, cap->rank);
    if (cap->route == GENRANK_ROUTE_BALL)
        fprintf(f, ",\n    \"det\": \"%s\"\n  },\n", cap->ball_det ? cap->ball_det : "");
    else
    {
        fputs(",\n    \"det_mod_p\": ", f);
        _genrank_put_u64(f, cap->det);
        fputs("\n  },\n", f);
    }
}

static void
write_capacity(FILE *f, const void *ctx)
{
    const cap_write_t *c = ctx;
    const genrank_capacity_struct *cap = c->cap;
    slong d = cap->d, m = cap->width, k;

    fputs("{\n  \"format\": \"genrank-capacity\",\n  \"version\": 1,\n", f);
    fprintf(f, "  \"activation\": \"%s\",\n", c->act->name);
    if (c->act->kind == GENRANK_ACT_POLY)
    {
        fputs("  \"coeffs\": [", f);
        for (k = 0; k < c->act->len; k++)
        {
            fputs(k ? ", " : "", f);
            put_q(f, c->act->coeffs + k);
        }
        fputs("],\n", f);
    }
    put_data(f, c);
    fprintf(f, "  \"width\": %ld,\n  \"W0\": [\n", (long) m);
    put_q_matrix(f, cap->W0, m, d, "    ");
    fputs("  ],\n  \"b0\": [", f);
    for (k = 0; k < m; k++)
    {
        fputs(k ? ", " : "", f);
        put_q(f, cap->b0 + k);
    }
    fputs("],\n  \"v0\": [", f);
    for (k = 0; k < m; k++)
        fputs(k ? ", \"1\"" : "\"1\"", f);
    fprintf(f, "],\n  \"rank\": %ld,\n  \"witness\": {\n", (long) cap->rank);
    put_witness(f, c);
    fprintf(f, "  \"sufficient_width\": %ld,\n", (long) (2 * m));
    fprintf(f, "  \"necessary_width\": {\"theorem_5_4\": %ld, \"data_rank\": %ld, "
               "\"with_data_rank\": %ld},\n",
            (long) cap->nec_sard, (long) cap->data_rank, (long) cap->nec_rank);
    if (c->act->kind == GENRANK_ACT_POLY)
        fprintf(f, "  \"necessary_width_polynomial\": %ld,\n", (long) cap->nec_poly);
    if (cap->obs_width > 0)
    {
        /* the set T behind the smallest width this route can reach */
        fprintf(f, "  \"route_lower_bound\": {\"width\": %ld, \"rank\": %ld, \"points\": ",
                (long) cap->obs_width, (long) cap->obs_rank);
        _genrank_put_slong_array(f, cap->obs_points, cap->obs_count);
        fputs("},\n", f);
    }
    fprintf(f, "  \"seconds\": %.3f,\n  \"producer\": \"genrank %s\"\n}\n",
            cap->seconds, GENRANK_VERSION);
}

int
genrank_capacity_write(const genrank_capacity_t cap, const genrank_data_t data,
                       const genrank_activation_t act, const char *data_path,
                       const genrank_data_opts_t *dopts, const char *path, genrank_err_t *err)
{
    cap_write_t c;
    if (cap->width == 0 || cap->rank != cap->n)
        return genrank_err_set(err, GENRANK_EINVAL, "no width was certified: nothing to write");
    c.cap = cap;
    c.data = data;
    c.act = act;
    c.data_path = data_path;
    c.dopts = dopts;
    return genrank_write_atomic(path, write_capacity, &c, err);
}
