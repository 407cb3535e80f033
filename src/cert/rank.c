/* Writing a rank certificate (doc/certificate-format.md, versions 1
   and 2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "genrank.h"
#include "internal.h"

static void
put_int_matrix(FILE *f, const fmpz *v, slong rows, slong cols)
{
    slong i, j;
    fputs("[\n", f);
    for (i = 0; i < rows; i++)
    {
        fputs("    [", f);
        for (j = 0; j < cols; j++)
        {
            if (j)
                fputc(',', f);
            _genrank_put_fmpz(f, v + i * cols + j);
        }
        fputs(i + 1 < rows ? "],\n" : "]\n", f);
    }
    fputs("  ]", f);
}

/* The instance: family, sizes, phi (coefficients, or a name and q) and
   the point (or its seed). */
static void
put_instance(FILE *f, const genrank_instance_struct *in, const _genrank_point_record_t *rec)
{
    slong k;
    int named = (in->phi != GENRANK_PHI_POLY);
    /* version 2 only for named phi, so that version-1 checkers keep
       reading polynomial certificates */
    fprintf(f, "{\n  \"format\": \"genrank-certificate\",\n  \"version\": %d,\n", named ? 2 : 1);
    fprintf(f, "  \"family\": \"%s\",\n", genrank_family_name(in->family));
    fprintf(f, "  \"m\": %ld,\n  \"d\": %ld,\n  \"n\": %ld,\n",
            (long) in->m, (long) in->d, (long) in->n);
    if (named)
    {
        fprintf(f, "  \"phi\": \"%s\",\n  \"q\": ", genrank_phi_name(in->phi));
        _genrank_put_fmpz(f, in->q);
    }
    else
    {
        fputs("  \"coeffs\": [", f);
        for (k = 0; k < in->len; k++)
        {
            fputs(k ? ", \"" : "\"", f);
            fmpq_fprint(f, in->coeffs + k);
            fputc('"', f);
        }
        fputc(']', f);
    }
    if (rec != NULL && rec->by_seed)
    {
        /* the point by its generator (doc/certificate-format.md, "point_seed") */
        char hex[65];
        fputs(",\n  \"point_seed\": {\"generator\": \"splitmix64\", \"seed\": ", f);
        _genrank_put_u64(f, rec->seed);
        fputs(", \"range\": ", f);
        _genrank_put_u64(f, rec->range);
        _genrank_point_digest(hex, in->A, in->m * in->d, in->B, in->n * in->d);
        fprintf(f, ", \"sha256\": \"%s\"}", hex);
        return;
    }
    fputs(",\n  \"A\": ", f);
    put_int_matrix(f, in->A, in->m, in->d);
    fputs(",\n  \"B\": ", f);
    put_int_matrix(f, in->B, in->n, in->d);
}

/* The witness: route, prime and residues (or precision), the minor's
   rows and columns, its determinant. */
static void
put_witness(FILE *f, const genrank_cert_t c)
{
    const genrank_instance_struct *in = c->inst;
    int named = (in->phi != GENRANK_PHI_POLY);
    fputs("  \"witness\": {\n", f);
    if (c->route == GENRANK_ROUTE_BALL)
        fprintf(f, "    \"route\": \"ball\",\n    \"precision\": %ld", (long) c->precision);
    else
    {
        if (named)
            fputs("    \"route\": \"exact\",\n", f);
        fputs("    \"prime\": ", f);
        _genrank_put_u64(f, c->prime);
        if (named)
        {
            fputs(",\n    \"t0\": ", f);
            _genrank_put_u64(f, in->t0);
            if (genrank_phi_class(in->phi) == GENRANK_CLASS_TRIG)
            {
                fputs(",\n    \"i0\": ", f);
                _genrank_put_u64(f, in->i0);
            }
        }
    }
    fputs(",\n    \"rows\": ", f);
    _genrank_put_slong_array(f, c->rows, c->rank);
    fputs(",\n    \"cols\": ", f);
    _genrank_put_slong_array(f, c->cols, c->rank);
    if (c->route != GENRANK_ROUTE_BALL)
    {
        fputs(",\n    \"det_mod_p\": ", f);
        _genrank_put_u64(f, c->det);
    }
    else
        fprintf(f, ",\n    \"det\": \"%s\"", c->ball_det ? c->ball_det : "");
    fputs("\n  }", f);
}

int
_genrank_cert_rank_challenge(ulong *C, slong k, const genrank_instance_struct *inst,
                             const _genrank_point_record_t *rec, const slong *rows,
                             const slong *cols, slong r, ulong det, ulong p)
{
    /* the statement as the certificate will hold it: the same writers,
       read back by Jansson as the checker reads the file */
    genrank_cert_struct view;
    char *buf = NULL;
    size_t len = 0;
    uint8_t dig[32];
    json_t *root;
    FILE *f = open_memstream(&buf, &len);
    int rc;
    if (f == NULL)
        return -1;
    memset(&view, 0, sizeof view);
    view.inst[0] = *inst;
    view.rows = (slong *) rows;
    view.cols = (slong *) cols;
    view.rank = r;
    view.det = det;
    view.prime = p;
    view.route = inst->phi == GENRANK_PHI_POLY ? 0 : GENRANK_ROUTE_EXACT;
    put_instance(f, inst, rec);
    fprintf(f, ",\n  \"rank\": %ld,\n", (long) r);
    put_witness(f, &view);
    fputs("\n}\n", f);
    fclose(f);
    root = json_loadb(buf, len, 0, NULL);
    rc = (root == NULL || _genrank_statement_digest(dig, root, _genrank_rank_statement_keys()) != 0)
         ? -1 : 0;   /* our own text: fails only short of memory */
    if (rc == 0)
        _genrank_challenge(C, k, r, p, dig);
    json_decref(root);
    free(buf);
    return rc;
}

/* The fast section: k arrays of rank residues. */
static void
put_fast(FILE *f, const genrank_cert_t c)
{
    slong j;
    fprintf(f, "  \"fast\": {\n    \"k\": %ld,\n    \"X\": [", (long) c->fast_k);
    for (j = 0; j < c->fast_k; j++)
    {
        slong t;
        fputs(j ? ",\n      [" : "\n      [", f);
        for (t = 0; t < c->rank; t++)
        {
            if (t)
                fputc(',', f);
            _genrank_put_u64(f, c->fast_X[j * c->rank + t]);
        }
        fputc(']', f);
    }
    fputs("\n    ]\n  },\n", f);
}

static void
put_kruskal(FILE *f, const genrank_cert_t c)
{
    slong t;
    fprintf(f, "  \"kruskal\": {\n    \"rank\": %ld,\n    \"minors\": [", (long) c->kruskal_rank);
    for (t = 0; t < c->kruskal_count; t++)
    {
        fputs(t ? ",\n      {\"rows\": " : "\n      {\"rows\": ", f);
        _genrank_put_slong_array(f, c->kruskal_rows + t * c->kruskal_rank, c->kruskal_rank);
        fputs(", \"det_mod_p\": ", f);
        _genrank_put_u64(f, c->kruskal_dets[t]);
        fputc('}', f);
    }
    fputs("\n    ]\n  },\n", f);
}

/* The evidence for a rank below the prediction (no probability bound
   for a named phi). */
static void
put_evidence(FILE *f, const genrank_cert_t c)
{
    if (c->inst->phi != GENRANK_PHI_POLY)
    {
        fprintf(f, "  \"evidence\": {\"trials\": %ld, \"max_rank_seen\": %ld},\n",
                (long) c->trials, (long) c->max_rank_seen);
        return;
    }
    fprintf(f, "  \"evidence\": {\n    \"trials\": %ld,\n    \"max_rank_seen\": %ld,\n",
            (long) c->trials, (long) c->max_rank_seen);
    fprintf(f, "    \"degree_bound\": %.0f,\n    \"random_primes\": %s,\n",
            c->degree_bound, c->prime_fixed ? "false" : "true");
    if (!c->prime_fixed)
        fprintf(f, "    \"prime_bits\": %d,\n", c->prime_bits);
    fprintf(f, "    \"per_trial_bound\": %.6g,\n    \"probability_bound\": %.6g\n  },\n",
            c->per_trial_bound, c->probability_bound);
}

static void
write_json(FILE *f, const genrank_cert_t c)
{
    {
        _genrank_point_record_t rec = {c->point_by_seed, c->point_seed, c->range};
        put_instance(f, c->inst, &rec);
    }
    fprintf(f, ",\n  \"rank\": %ld,\n  \"predicted\": ", (long) c->rank);
    _genrank_put_fmpz(f, c->formula->predicted);
    fprintf(f, ",\n  \"theorem\": \"%s\",\n", c->formula->theorem);
    if (c->formula->has_corrected)
    {
        fputs("  \"corrected\": {\"value\": ", f);
        _genrank_put_fmpz(f, c->formula->corrected);
        fprintf(f, ", \"source\": \"%s\"},\n", c->formula->corrected_source);
    }
    if (c->formula->has_bound)
    {
        fputs("  \"upper_bound\": {\"value\": ", f);
        _genrank_put_fmpz(f, c->formula->bound);
        fprintf(f, ", \"source\": \"%s\"},\n", c->formula->bound_source);
    }
    put_witness(f, c);
    fputs(",\n", f);
    if (c->fast_k > 0 && c->fast_X != NULL)
        put_fast(f, c);
    if (c->kruskal_rank >= 0)
        put_kruskal(f, c);
    if (c->point_given)
    {
        /* the point was given: A = A' / qa, B = B' / qb */
        fputs("  \"generator\": {\"name\": \"given\", \"qa\": ", f);
        _genrank_put_fmpz(f, c->point_qa);
        fputs(", \"qb\": ", f);
        _genrank_put_fmpz(f, c->point_qb);
        fputs("},\n", f);
    }
    else
    {
        fputs("  \"generator\": {\"name\": \"splitmix64\", \"seed\": ", f);
        _genrank_put_u64(f, c->seed);
        fputs(", \"range\": ", f);
        _genrank_put_u64(f, c->range);
        fputs("},\n", f);
    }
    if (fmpz_cmp_si(c->formula->predicted, c->rank) > 0 && !c->point_given)
        put_evidence(f, c);
    fprintf(f, "  \"seconds\": %.3f,\n  \"producer\": \"genrank %s\"\n}\n",
            c->seconds, GENRANK_VERSION);
}

static void
write_cert(FILE *f, const void *ctx)
{
    write_json(f, (const genrank_cert_struct *) ctx);
}

int
genrank_cert_write(const genrank_cert_t cert, const char *path, genrank_err_t *err)
{
    return genrank_write_atomic(path, write_cert, cert, err);
}

