/* genrank report on the rows of sweep --family network: where each of
   seed 001's formulas holds (Markdown), the rows (CSV), and a picture
   (DIR/network.svg: a panel per activation, bias and object, a cell per
   depth and (K, d), over every tuple of hidden widths).  report.c reads
   the file and hands the rows over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cli.h"

/* "d-M_1-...-K" */
static void
arch_text(char *buf, size_t size, json_t *o)
{
    json_t *w = json_object_get(o, "widths");
    size_t j, u = 0;
    buf[0] = '\0';
    for (j = 0; j < json_array_size(w) && u < size; j++)
        u += (size_t) snprintf(buf + u, size - u, "%s%lld", j ? "-" : "",
                               (long long) json_integer_value(json_array_get(w, j)));
}

/* The verdicts, counted. */
typedef struct {
    slong cases, holds, below, above, none;
} tally_t;

static void
tally_add(tally_t *t, json_t *o)
{
    const char *v = row_str(o, "prediction");
    t->cases++;
    t->holds += !strcmp(v, "holds");
    t->below += !strcmp(v, "below") || !strcmp(v, "below-explained");
    t->above += !strcmp(v, "above");
    t->none += !strcmp(v, "none");
}

/* One formula's cases: object, bias, activation, formula, status. */
typedef struct {
    const char *object, *activation, *theorem, *status;
    int bias;
    slong dmin, dmax, Kmin, Kmax, Lmin, Lmax;
    tally_t t;
} group_t;

static int
group_cmp(const void *a, const void *b)
{
    const group_t *x = a, *y = b;
    int c;
    if ((c = strcmp(x->activation, y->activation)))
        return c;
    if (x->bias != y->bias)
        return x->bias - y->bias;
    if ((c = genrank_net_object_parse(x->object) - genrank_net_object_parse(y->object)))
        return c;
    return strcmp(x->theorem, y->theorem);
}

/* The rows grouped by formula; the count of groups. */
static slong
groups(group_t **out, json_t *const *v, slong n)
{
    group_t *g = malloc(FLINT_MAX(n, 1) * sizeof(group_t));
    slong i, k, ng = 0;
    if (g == NULL)
    {
        *out = NULL;
        return 0;
    }
    for (i = 0; i < n; i++)
    {
        json_t *o = v[i];
        const char *ob = row_str(o, "object"), *ac = row_str(o, "activation"), *th = row_str(o, "theorem");
        int bias = json_is_true(json_object_get(o, "bias"));
        slong d = row_int(o, "d"), K = row_int(o, "K"), L = row_int(o, "depth");
        for (k = 0; k < ng; k++)
            if (g[k].bias == bias && !strcmp(g[k].object, ob) && !strcmp(g[k].activation, ac)
                && !strcmp(g[k].theorem, th))
                break;
        if (k == ng)
        {
            memset(g + ng, 0, sizeof(group_t));
            g[ng].object = ob;
            g[ng].activation = ac;
            g[ng].theorem = th;
            g[ng].status = row_str(o, "prediction_status");
            g[ng].bias = bias;
            g[ng].dmin = g[ng].dmax = d;
            g[ng].Kmin = g[ng].Kmax = K;
            g[ng].Lmin = g[ng].Lmax = L;
            ng++;
        }
        tally_add(&g[k].t, o);
        g[k].dmin = FLINT_MIN(g[k].dmin, d);
        g[k].dmax = FLINT_MAX(g[k].dmax, d);
        g[k].Kmin = FLINT_MIN(g[k].Kmin, K);
        g[k].Kmax = FLINT_MAX(g[k].Kmax, K);
        g[k].Lmin = FLINT_MIN(g[k].Lmin, L);
        g[k].Lmax = FLINT_MAX(g[k].Lmax, L);
    }
    qsort(g, ng, sizeof(group_t), group_cmp);
    *out = g;
    return ng;
}

static void
range_text(char *buf, size_t size, slong a, slong b)
{
    if (a == b)
        snprintf(buf, size, "%ld", (long) a);
    else
        snprintf(buf, size, "%ld–%ld", (long) a, (long) b);
}

/* The rows whose certified rank differs from the formula (below or
   above), at most cap of them. */
static void
md_failures(FILE *f, json_t *const *v, slong n, slong cap)
{
    slong i, shown = 0, total = 0;
    for (i = 0; i < n; i++)
    {
        const char *p = row_str(v[i], "prediction");
        total += !strcmp(p, "below") || !strcmp(p, "below-explained") || !strcmp(p, "above");
    }
    fprintf(f, "\n## Where the certified rank differs from the formula\n\n");
    if (total == 0)
    {
        fprintf(f, "None: every case with a formula reaches it exactly.\n");
        return;
    }
    fprintf(f, "%ld case%s certif%s a rank other than seed 001's formula. Above it, the formula "
            "is refuted (the rank at one point is a lower bound on the generic rank). Below an "
            "upper bound (Theorem 9 for ReLU, Corollary 6) the formula is not contradicted; below "
            "an empirical or proved formula with the rank exact, the formula is refuted; below, "
            "the certified rank is exact where it meets a bound proved for every point (\"rank is\"), "
            "else a lower bound, no higher rank seen in the trials listed.%s\n\n", (long) total, total == 1 ? "" : "s", total == 1 ? "ies" : "y",
            total > cap ? " The first cases:" : "");
    fprintf(f, "| widths | bias | activation | object | certified | rank is | formula | formula's "
            "status | trials |\n|---|---|---|---|---:|---|---:|---|---:|\n");
    for (i = 0; i < n && shown < cap; i++)
    {
        const char *p = row_str(v[i], "prediction");
        char arch[400];
        if (strcmp(p, "below") && strcmp(p, "below-explained") && strcmp(p, "above"))
            continue;
        arch_text(arch, sizeof arch, v[i]);
        fprintf(f, "| %s | %s | %s | %s | %ld | %s | %ld | %s (%s) | %ld |\n", arch,
                json_is_true(json_object_get(v[i], "bias")) ? "yes" : "no",
                row_str(v[i], "activation"), row_str(v[i], "object"), (long) row_int(v[i], "certified"),
                row_str(v[i], "status"), (long) row_int(v[i], "predicted"),
                row_str(v[i], "prediction_status"), p, (long) row_int(v[i], "trials"));
        shown++;
    }
}

typedef struct {
    json_t *const *v;
    slong n;
    const char *title, *link;
} nreport_t;

static void
md_body(FILE *f, const void *ctx)
{
    const nreport_t *R = ctx;
    group_t *g;
    slong ng = groups(&g, R->v, R->n), k;
    char sum[600], dr[32], kr[32], lr[32];
    rows_summary_text(sum, sizeof sum, R->v, R->n);
    fprintf(f, "# %s\n\n%s.\n\n", R->title, sum);
    fprintf(f, "Each case is one object of one architecture at random integer points (up to "
            "the sweep's trials), its rank certified by a nonzero minor modulo a prime. "
            "*holds*: the certified rank equals the formula; *below*: it is lower (a lower "
            "bound: no higher rank was seen); *above*: it is higher, which refutes the formula; "
            "*none*: seed 001 gives no formula for the case.\n");
    if (R->link != NULL)
        fprintf(f, "\n![where each formula holds](%s/network.svg)\n", R->link);
    fprintf(f, "\n## Where each formula holds\n\n"
            "| activation | bias | object | formula | seed 001 | depth | d | K | cases | holds "
            "| below | above | none |\n|---|---|---|---|---|---|---|---|---:|---:|---:|---:|---:|\n");
    for (k = 0; k < ng; k++)
    {
        range_text(lr, sizeof lr, g[k].Lmin, g[k].Lmax);
        range_text(dr, sizeof dr, g[k].dmin, g[k].dmax);
        range_text(kr, sizeof kr, g[k].Kmin, g[k].Kmax);
        fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %ld | %ld | %ld | %ld | %ld |\n",
                g[k].activation, g[k].bias ? "yes" : "no", g[k].object, g[k].theorem,
                g[k].status, lr, dr, kr, (long) g[k].t.cases, (long) g[k].t.holds,
                (long) g[k].t.below, (long) g[k].t.above, (long) g[k].t.none);
    }
    md_failures(f, R->v, R->n, 60);
    free(g);
}

/* ---- CSV --------------------------------------------------------------- */

static const char *ncsv[] = {"key", "widths", "depth", "d", "K", "bias", "activation", "n",
                             "object", "params", "input_rank", "centred_rank", "theorem",
                             "predicted", "prediction_status", "certified", "gap", "prediction",
                             "status", "exact_by", "trials", "seed", "prime", "certificate",
                             "seconds"};

static void
csv_body(FILE *f, const void *ctx)
{
    const nreport_t *R = ctx;
    size_t nc = sizeof ncsv / sizeof ncsv[0], k;
    slong i;
    for (k = 0; k < nc; k++)
        csv_field(f, ncsv[k], k == nc - 1);
    for (i = 0; i < R->n; i++)
        for (k = 0; k < nc; k++)
        {
            json_t *x = json_object_get(R->v[i], ncsv[k]);
            char buf[400];
            if (!strcmp(ncsv[k], "widths"))
                arch_text(buf, sizeof buf, R->v[i]);
            else if (json_is_string(x))
                snprintf(buf, sizeof buf, "%s", json_string_value(x));
            else if (json_is_integer(x))
                snprintf(buf, sizeof buf, "%lld", (long long) json_integer_value(x));
            else if (json_is_real(x))
                snprintf(buf, sizeof buf, "%.6g", json_real_value(x));
            else if (json_is_boolean(x))
                snprintf(buf, sizeof buf, "%s", json_is_true(x) ? "yes" : "no");
            else
                buf[0] = '\0';
            csv_field(f, buf, k == nc - 1);
        }
}

/* ---- SVG --------------------------------------------------------------- */

#define NSVG_CELL 12
#define NSVG_MAX_COLS 400     /* (K, d) pairs in a panel */
#define NSVG_MAX_PANELS 64

typedef struct {
    const nreport_t *R;
    slong d0, d1, K0, K1, L0, L1;
    const char *acts[2];
    int nacts, pw, ph, W, H;
    tally_t *cells;     /* [act][bias][object][L][K][d], filled in one pass */
} nsvg_t;

static tally_t *
cell_at(const nsvg_t *S, int a, int bias, int obj, slong L, slong K, slong d)
{
    slong i = ((a * 2 + bias) * GENRANK_NET_NOBJECTS + obj);
    i = (i * (S->L1 - S->L0 + 1) + L - S->L0) * (S->K1 - S->K0 + 1) + K - S->K0;
    return S->cells + i * (S->d1 - S->d0 + 1) + d - S->d0;
}

/* The cell's colour from its tally: red some case above its formula,
   amber some below, green every case with a formula reaches it (paler
   when some have none), grey no formula. */
static const char *
tally_fill(const tally_t *t)
{
    if (t->above)
        return "#c83232";
    if (t->below)
        return "#f0a500";
    if (t->holds)
        return t->none ? "#9fd4a6" : "#3a9b47";
    return "#b8b8b8";
}

static void
svg_panel(FILE *f, const nsvg_t *S, int ox, int oy, int a, int bias, int obj)
{
    slong L, K, d;
    int x0 = ox + 30, y0 = oy + 30;
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s, %s, %s</text>\n", ox, oy + 11,
            genrank_net_object_name(obj), S->acts[a], bias ? "bias" : "no bias");
    for (K = S->K0; K <= S->K1; K++)
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"8\">K=%ld</text>\n",
                x0 + (int) ((K - S->K0) * (S->d1 - S->d0 + 1)) * NSVG_CELL, y0 - 4, (long) K);
    for (L = S->L0; L <= S->L1; L++)
    {
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"8\" text-anchor=\"end\">L=%ld</text>\n",
                x0 - 3, y0 + (int) (L - S->L0) * NSVG_CELL + 9, (long) L);
        for (K = S->K0; K <= S->K1; K++)
            for (d = S->d0; d <= S->d1; d++)
            {
                const tally_t t = *cell_at(S, a, bias, obj, L, K, d);
                int x = x0 + (int) ((K - S->K0) * (S->d1 - S->d0 + 1) + d - S->d0) * NSVG_CELL;
                if (t.cases == 0)
                    continue;
                fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
                        "stroke=\"white\" stroke-width=\"0.5\"><title>L=%ld d=%ld K=%ld: %ld "
                        "cases, %ld hold, %ld below, %ld above, %ld without a formula</title>"
                        "</rect>\n", x, y0 + (int) (L - S->L0) * NSVG_CELL, NSVG_CELL, NSVG_CELL,
                        tally_fill(&t), (long) L, (long) d, (long) K, (long) t.cases,
                        (long) t.holds, (long) t.below, (long) t.above, (long) t.none);
            }
    }
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"8\">d = %ld..%ld within each K</text>\n",
            x0, y0 + (int) (S->L1 - S->L0 + 1) * NSVG_CELL + 10, (long) S->d0, (long) S->d1);
}

static void
svg_body(FILE *f, const void *ctx)
{
    const nsvg_t *S = ctx;
    int a, bias, obj, p = 0;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "font-family=\"sans-serif\" font-size=\"10\">\n<rect width=\"100%%\" height=\"100%%\" "
            "fill=\"white\"/>\n", S->W, S->H);
    fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"14\">networks: certified ranks against seed "
            "001's formulas</text>\n<text x=\"10\" y=\"36\">a cell per depth L and (K, d), over "
            "every tuple of hidden widths</text>\n");
    fprintf(f, "<rect x=\"10\" y=\"46\" width=\"10\" height=\"10\" fill=\"#3a9b47\"/><text x=\"24\" "
            "y=\"55\">every case reaches its formula</text><rect x=\"200\" y=\"46\" width=\"10\" "
            "height=\"10\" fill=\"#9fd4a6\"/><text x=\"214\" y=\"55\">those with one reach it; "
            "some have none</text>\n<rect x=\"10\" y=\"62\" width=\"10\" height=\"10\" "
            "fill=\"#f0a500\"/><text x=\"24\" y=\"71\">some below the formula</text><rect "
            "x=\"200\" y=\"62\" width=\"10\" height=\"10\" fill=\"#c83232\"/><text x=\"214\" "
            "y=\"71\">some above: the formula is refuted</text><rect x=\"400\" y=\"62\" width=\"10\" "
            "height=\"10\" fill=\"#b8b8b8\"/><text x=\"414\" y=\"71\">no formula</text>\n");
    for (a = 0; a < S->nacts; a++)
        for (bias = 0; bias <= 1; bias++)
            for (obj = 0; obj < GENRANK_NET_NOBJECTS; obj++)
            {
                slong L, K, d, any = 0;
                for (L = S->L0; L <= S->L1; L++)
                    for (K = S->K0; K <= S->K1; K++)
                        for (d = S->d0; d <= S->d1; d++)
                            any += cell_at(S, a, bias, obj, L, K, d)->cases;
                if (!any)
                    continue;
                svg_panel(f, S, 10 + (p % 2) * S->pw, 84 + (p / 2) * S->ph, a, bias, obj);
                p++;
            }
    fprintf(f, "</svg>\n");
}

static int
write_nsvg(const char *dir, const nreport_t *R)
{
    nsvg_t S;
    slong i, cols;
    size_t size = strlen(dir) + 16;
    char *path;
    genrank_err_t e;
    int panels = 0, a, rc = 0;
    memset(&S, 0, sizeof S);
    S.R = R;
    S.d0 = S.K0 = S.L0 = WORD_MAX;
    for (i = 0; i < R->n; i++)
    {
        json_t *o = R->v[i];
        const char *act = row_str(o, "activation");
        S.d0 = FLINT_MIN(S.d0, row_int(o, "d"));
        S.d1 = FLINT_MAX(S.d1, row_int(o, "d"));
        S.K0 = FLINT_MIN(S.K0, row_int(o, "K"));
        S.K1 = FLINT_MAX(S.K1, row_int(o, "K"));
        S.L0 = FLINT_MIN(S.L0, row_int(o, "depth"));
        S.L1 = FLINT_MAX(S.L1, row_int(o, "depth"));
        for (a = 0; a < S.nacts && strcmp(S.acts[a], act); a++)
            ;
        if (a == S.nacts && S.nacts < 2)
            S.acts[S.nacts++] = act;
    }
    panels = S.nacts * 2 * GENRANK_NET_NOBJECTS;
    /* rows of any file: the lower ends first, then the spans as doubles,
       before any product */
    if (S.L0 < 1 || S.d0 < 1 || S.K0 < 1 || S.L1 - S.L0 >= SWEEP_NET_LMAX
        || (double) (S.K1 - S.K0 + 1) * (double) (S.d1 - S.d0 + 1) > NSVG_MAX_COLS
        || panels > NSVG_MAX_PANELS)
    {
        fprintf(stderr, "genrank: report: too much to draw: a picture holds at most %d (K, d) "
                "pairs per depth (use --md or --csv)\n", NSVG_MAX_COLS);
        return EX_USAGE;
    }
    cols = (S.K1 - S.K0 + 1) * (S.d1 - S.d0 + 1);
    S.cells = calloc((size_t) panels * (S.L1 - S.L0 + 1) * cols, sizeof(tally_t));
    if (S.cells == NULL)
    {
        fprintf(stderr, "genrank: report: out of memory for the picture\n");
        return EX_FAIL;
    }
    for (i = 0; i < R->n; i++)
    {
        json_t *o = R->v[i];
        int obj = genrank_net_object_parse(row_str(o, "object"));
        for (a = 0; a < S.nacts && strcmp(S.acts[a], row_str(o, "activation")); a++)
            ;
        if (obj >= 0 && a < S.nacts)
            tally_add(cell_at(&S, a, json_is_true(json_object_get(o, "bias")), obj,
                              row_int(o, "depth"), row_int(o, "K"), row_int(o, "d")), o);
    }
    S.pw = 40 + (int) cols * NSVG_CELL + 20;
    S.ph = 30 + (int) (S.L1 - S.L0 + 1) * NSVG_CELL + 30;
    S.W = FLINT_MAX(20 + 2 * S.pw, 640);
    S.H = 84 + ((panels + 1) / 2) * S.ph + 10;
    path = malloc(size);
    snprintf(path, size, "%s/network.svg", dir);
    if (genrank_write_atomic(path, svg_body, &S, &e) != 0)
    {
        fprintf(stderr, "genrank: report: %s\n", e.msg);
        rc = EX_FAIL;
    }
    free(path);
    free(S.cells);
    return rc;
}

int
report_network(json_t *const *v, slong n, const char *md, const char *csv, const char *svg,
               const char *title, const char *link)
{
    nreport_t R = {v, n, title, link};
    genrank_err_t e;
    int rc = 0;
    if (svg != NULL)
        rc = write_nsvg(svg, &R);
    if (rc == 0 && csv != NULL && genrank_write_atomic(csv, csv_body, &R, &e) != 0)
    {
        fprintf(stderr, "genrank: report: %s\n", e.msg);
        rc = EX_FAIL;
    }
    if (rc == 0 && md != NULL)
    {
        if (!strcmp(md, "-"))
        {
            md_body(stdout, &R);
            rc = fflush(stdout) == 0 ? 0 : EX_FAIL;
        }
        else if (genrank_write_atomic(md, md_body, &R, &e) != 0)
        {
            fprintf(stderr, "genrank: report: %s\n", e.msg);
            rc = EX_FAIL;
        }
    }
    return rc;
}
