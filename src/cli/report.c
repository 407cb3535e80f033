/* genrank report: a sweep's JSON Lines as a Markdown summary, a CSV
   table and SVG pictures (one per family: a panel per support, a cell per
   (m, d) colored by the gap between certified rank and prediction). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>
#include "genrank.h"
#include "cli.h"

typedef struct {
    const char *family, *support, *theorem;
    const char *status;   /* the row's "prediction": holds, below-explained, below */
    const char *result;   /* the row's "status": exact or lower bound */
    char coeffs_text[600];
    slong m, d, n, rows, certified, trials;
    json_t *predicted, *ah, *pbound, *coeffs;
    json_t *obj;
} rrow_t;


/* an integer field that may be a number or a decimal string, as text */
static void
jnum(char *buf, size_t size, json_t *v)
{
    if (json_is_integer(v))
        snprintf(buf, size, "%lld", (long long) json_integer_value(v));
    else if (json_is_string(v))
        snprintf(buf, size, "%s", json_string_value(v));
    else if (json_is_real(v))
        snprintf(buf, size, "%.3g", json_real_value(v));
    else
        snprintf(buf, size, "-");
}

static int
row_cmp(const void *a, const void *b)
{
    const rrow_t *x = a, *y = b;
    int c = strcmp(x->family, y->family);
    if (c) return c;
    if (strlen(x->support) != strlen(y->support))
        return strlen(x->support) < strlen(y->support) ? -1 : 1;
    if ((c = strcmp(x->support, y->support))) return c;
    if ((c = strcmp(x->coeffs_text, y->coeffs_text))) return c;
    if (x->d != y->d) return x->d < y->d ? -1 : 1;
    if (x->m != y->m) return x->m < y->m ? -1 : 1;
    return (x->n > y->n) - (x->n < y->n);
}

/* Rows of one panel or table: same family and coefficient list. */
static int
same_panel(const rrow_t *a, const rrow_t *b)
{
    return !strcmp(a->family, b->family) && !strcmp(a->coeffs_text, b->coeffs_text);
}

/* how bad a status is: holds < below-explained < below */
static int
severity(const rrow_t *r)
{
    return !strcmp(r->status, "holds") ? 0 : !strcmp(r->status, "below-explained") ? 1 : 2;
}

static void
panel_title(char *buf, size_t size, const rrow_t *r)
{
    /* the support, and the coefficients when they are not all 1 */
    const char *c = r->coeffs_text;
    int ones = 1;
    if (strncmp(c, "phi=", 4) == 0)
    {
        snprintf(buf, size, "phi = %s", c + 4);
        return;
    }
    for (; *c; c++)
        if (*c != '0' && *c != '1' && *c != ',')
            ones = 0;
    if (ones)
        snprintf(buf, size, "S = {%s}", r->support);
    else
        snprintf(buf, size, "S = {%s}, c = %s", r->support, r->coeffs_text);
}


static const char *csv_columns[] = {"key", "family", "m", "d", "n", "support", "coeffs",
    "rows", "theorem", "predicted", "ah", "certified", "gap", "prediction", "status", "exact_by", "trials",
    "max_rank_seen", "per_trial_bound", "probability_bound", "seed", "prime",
    "certificate", "seconds", "kruskal"};

static void
write_csv(FILE *f, rrow_t *r, slong n)
{
    slong i, k, nc = sizeof csv_columns / sizeof *csv_columns;
    for (k = 0; k < nc; k++)
        csv_field(f, csv_columns[k], k == nc - 1);
    for (i = 0; i < n; i++)
        for (k = 0; k < nc; k++)
        {
            json_t *v = json_object_get(r[i].obj, csv_columns[k]);
            char num[64] = "";
            if (json_is_array(v))
            {
                /* the coefficients, joined by ';' */
                size_t j, size = 1, u = 0;
                char *buf;
                for (j = 0; j < json_array_size(v); j++)
                    size += strlen(json_string_value(json_array_get(v, j)) ? json_string_value(json_array_get(v, j)) : "") + 1;
                buf = malloc(size);
                buf[0] = '\0';
                for (j = 0; j < json_array_size(v); j++)
                {
                    const char *t = json_string_value(json_array_get(v, j));
                    u += sprintf(buf + u, "%s%s", j ? ";" : "", t ? t : "");
                }
                csv_field(f, buf, k == nc - 1);
                free(buf);
                continue;
            }
            if (json_is_string(v))
            {
                csv_field(f, json_string_value(v), k == nc - 1);
                continue;
            }
            if (json_is_integer(v))
                snprintf(num, sizeof num, "%lld", (long long) json_integer_value(v));
            else if (json_is_real(v))
                snprintf(num, sizeof num, "%.6g", json_real_value(v));
            csv_field(f, num, k == nc - 1);
        }
}

/* color of a cell: green holds, amber below but exact (a proved bound met),
   red below without explanation (darker for a larger relative gap) */
static void
cell_color(char *buf, size_t size, const rrow_t *r)
{
    if (!strcmp(r->status, "holds"))
        snprintf(buf, size, "#3a9b47");
    else if (!strcmp(r->status, "below-explained"))
        snprintf(buf, size, "#f0a500");
    else
    {
        double pred = (double) json_integer_value(r->predicted);
        double t = pred > 0 ? 4 * (pred - (double) r->certified) / pred : 1;
        int g = (int) (150 * (1 - (t > 1 ? 1 : t < 0 ? 0 : t)));
        snprintf(buf, size, "#%02x%02x%02x", 200, g, g);
    }
}

/* The top of the picture (title, subtitle, legend) and its least width,
   wide enough for the subtitle and the legend's longest line. */
#define SVG_TOP 92
#define SVG_MIN_WIDTH 640

/* The picture's frame, title and legend. */
static void
svg_header(FILE *f, int W, int H, const char *family)
{
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "font-family=\"sans-serif\" font-size=\"10\">\n", W, H);
    fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"14\">%s: certified rank against the "
            "published prediction</text>\n", family);
    fprintf(f, "<text x=\"10\" y=\"36\">a panel per support S (phi = sum of x^k over k in S), "
            "a cell per (m, d)</text>\n");
    fprintf(f, "<rect x=\"10\" y=\"46\" width=\"10\" height=\"10\" fill=\"#3a9b47\"/>"
            "<text x=\"24\" y=\"55\">reaches the prediction</text>"
            "<rect x=\"160\" y=\"46\" width=\"10\" height=\"10\" fill=\"#f0a500\"/>"
            "<text x=\"174\" y=\"55\">below, exact: a proved upper bound met</text>"
            "<rect x=\"10\" y=\"62\" width=\"10\" height=\"10\" fill=\"#c83232\"/>"
            "<text x=\"24\" y=\"71\">below, unexplained (darker: larger relative gap)</text>"
            "<text x=\"10\" y=\"87\">the number in a cell is certified minus predicted</text>\n");
}

/* What one picture may hold: panels (supports) and cells along m and d,
   so that a crafted row cannot make a huge file. */
#define SVG_MAX_PANELS 4096
#define SVG_MAX_SIDE 256
#define SVG_MAX_AXES 200000   /* panels times (m + d): the axis labels */

/* One picture: the family's panels and the layout. */
typedef struct {
    const rrow_t *r;
    slong n, np, mmax, dmax;
    const rrow_t **panels;
    const char *family;
    int cell, cols, pw, ph, W, H;
} svg_t;

/* Text colour for a cell: black on light fills, white on dark ones. */
static const char *
ink(const char *fill)
{
    unsigned rr, gg, bb;
    if (sscanf(fill, "#%02x%02x%02x", &rr, &gg, &bb) != 3)
        return "black";
    return 0.299 * rr + 0.587 * gg + 0.114 * bb > 140 ? "black" : "white";
}

static void
svg_body(FILE *f, const void *ctx)
{
    const svg_t *S = ctx;
    const rrow_t *r = S->r;
    slong i, p, t, n = S->n;
    int cell = S->cell;
    svg_header(f, S->W, S->H, S->family);
    for (p = 0; p < S->np; p++)
    {
        int ox = 10 + (int) (p % S->cols) * S->pw, oy = SVG_TOP + (int) (p / S->cols) * S->ph;
        char title[700];
        panel_title(title, sizeof title, S->panels[p]);
        fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text>\n", ox + 24, oy + 12, title);
        for (t = 1; t <= S->dmax; t++)      /* d down the side */
            fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"8\" text-anchor=\"end\">%ld</text>\n",
                    ox + 21, oy + 18 + (int) t * cell - 3, (long) t);
        for (t = 1; t <= S->mmax; t++)      /* m along the bottom */
            if (t == 1 || t % 5 == 0)
                fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"8\" text-anchor=\"middle\">%ld</text>\n",
                        ox + 24 + (int) (t - 1) * cell + cell / 2, oy + 18 + (int) S->dmax * cell + 9, (long) t);
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"8\">d</text>"
                "<text x=\"%d\" y=\"%d\" font-size=\"8\">m</text>\n",
                ox + 6, oy + 12, ox + 24 + (int) S->mmax * cell + 3, oy + 18 + (int) S->dmax * cell + 9);
        for (i = 0; i < n; i++)
        {
            const rrow_t *w = &r[i];
            char col[16];
            int x, y;
            if (!same_panel(&r[i], S->panels[p]))
                continue;
            /* one cell per (m, d): the worst of its cases (several n; the
               last of equal severity), the rows left as they are */
            while (i + 1 < n && same_panel(&r[i + 1], &r[i]) && r[i + 1].m == r[i].m
                   && r[i + 1].d == r[i].d)
            {
                i++;
                if (severity(&r[i]) >= severity(w))
                    w = &r[i];
            }
            x = ox + 24 + (int) (w->m - 1) * cell;
            y = oy + 18 + (int) (w->d - 1) * cell;
            cell_color(col, sizeof col, w);
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
                    "stroke=\"white\" stroke-width=\"0.5\"><title>m=%ld d=%ld n=%ld: "
                    "certified %ld, predicted %lld</title></rect>\n", x, y, cell, cell, col,
                    (long) w->m, (long) w->d, (long) w->n, (long) w->certified,
                    (long long) json_integer_value(w->predicted));
            if (strcmp(w->status, "holds"))
                fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"9\" font-weight=\"bold\" "
                        "text-anchor=\"middle\" fill=\"%s\">%lld</text>\n", x + cell / 2, y + cell - 3,
                        ink(col), (long long) w->certified - (long long) json_integer_value(w->predicted));
        }
    }
    fprintf(f, "</svg>\n");
}

/* The family's picture at path: 0 written (or nothing to draw), 1 refused
   (said why), -1 not written (e set). */
static int
write_svg(const char *path, rrow_t *r, slong n, const char *family, genrank_err_t *e)
{
    slong i;
    svg_t S;
    static const rrow_t *panels[SVG_MAX_PANELS];
    int tw = 0;

    memset(&S, 0, sizeof S);
    S.r = r;
    S.n = n;
    S.panels = panels;
    S.family = family;
    S.cell = 12;
    S.cols = 4;
    for (i = 0; i < n; i++)
    {
        if (strcmp(r[i].family, family))
            continue;
        if (r[i].m < 1 || r[i].d < 1 || r[i].m > SVG_MAX_SIDE || r[i].d > SVG_MAX_SIDE)
        {
            fprintf(stderr, "genrank: report: --svg draws a cell per (m, d) with m and d in [1, %d]; "
                    "a %s row has m = %ld, d = %ld (use --md or --csv)\n", SVG_MAX_SIDE, family,
                    (long) r[i].m, (long) r[i].d);
            return 1;
        }
        if (S.np == 0 || !same_panel(panels[S.np - 1], &r[i]))
        {
            char title[700];
            if (S.np == SVG_MAX_PANELS)
            {
                fprintf(stderr, "genrank: report: --svg draws at most %d panels (supports) per "
                        "family; %s has more (use --md or --csv)\n", SVG_MAX_PANELS, family);
                return 1;
            }
            panels[S.np++] = &r[i];
            panel_title(title, sizeof title, &r[i]);
            tw = FLINT_MAX(tw, (int) strlen(title));
        }
        S.mmax = FLINT_MAX(S.mmax, r[i].m);
        S.dmax = FLINT_MAX(S.dmax, r[i].d);
    }
    if (S.np == 0)
        return 0;
    if (S.np * (S.mmax + S.dmax) > SVG_MAX_AXES)
    {
        fprintf(stderr, "genrank: report: --svg: %ld panels of up to %ld x %ld cells are too many "
                "to draw (use --md or --csv)\n", (long) S.np, (long) S.mmax, (long) S.dmax);
        return 1;
    }
    /* a panel as wide as its grid or its title (about 6 px a character) */
    S.pw = FLINT_MAX((int) S.mmax * S.cell + 40, 6 * FLINT_MIN(tw, 120) + 34);
    S.ph = (int) S.dmax * S.cell + 40;
    S.W = FLINT_MAX(S.cols * S.pw + 20, SVG_MIN_WIDTH);
    S.H = (int) ((S.np + S.cols - 1) / S.cols) * S.ph + SVG_TOP + 16;
    return genrank_write_atomic(path, svg_body, &S, e) == 0 ? 0 : -1;
}

/* Every case of family fam below the prediction, as a table. */
static void
md_shortfalls(FILE *f, const rrow_t *r, slong n, const char *fam)
{
    slong i;
    fprintf(f, "### %s: every case below the prediction\n\n", fam);
    fprintf(f, "A shortfall is evidence, not a proof, unless the certified rank meets a proved "
               "upper bound, which makes it exact: the Alexander–Hirschowitz value (column AH) "
               "or, for φ = c0 + c1 x with 2 ≤ m ≤ d + 1, md − C(m − 1, 2) (doc/theory.md "
               "section 4). Otherwise: \"certified ≥ r; no higher rank seen in T independent "
               "trials (probability ≤ ε if the generic rank were higher)\".\n\n");
    fprintf(f, "| support | m | d | n | predicted | certified ≥ | AH value | status | trials | probability bound |\n"
               "|---|---|---|---|---|---|---|---|---|---|\n");
    for (i = 0; i < n; i++)
    {
        char pred[64], ah[64], pb[64];
        if (strcmp(r[i].family, fam) || !strcmp(r[i].status, "holds"))
            continue;
        jnum(pred, sizeof pred, r[i].predicted);
        jnum(ah, sizeof ah, r[i].ah);
        jnum(pb, sizeof pb, r[i].pbound);
        fprintf(f, "| {%s} | %ld | %ld | %ld | %s | %ld | %s | %s | %ld | %s |\n",
                r[i].support, (long) r[i].m, (long) r[i].d, (long) r[i].n, pred,
                (long) r[i].certified, ah,
                r[i].result, (long) r[i].trials,
                !strcmp(r[i].status, "below-explained") ? "— (proved)" : pb);
    }
    fprintf(f, "\n");
}

/* The look-up table of the panel (support) that starts at row i. */
static void
md_panel(FILE *f, const rrow_t *r, slong n, slong i)
{
    slong j, mmax = 0, dcur = -1, mlast = 0;
    char title[700];
    for (j = i; j < n && same_panel(&r[j], &r[i]); j++)
        mmax = FLINT_MAX(mmax, r[j].m);
    panel_title(title, sizeof title, &r[i]);
    fprintf(f, "%s\n\n| d \\ m |", title);
    for (j = 1; j <= mmax; j++)
        fprintf(f, " %ld |", (long) j);
    fprintf(f, "\n|---|");
    for (j = 1; j <= mmax; j++)
        fprintf(f, "---|");
    /* a cell is opened with " value" and closed with " |";
       several n at the same (m, d) share a cell, "; "-separated */
    for (j = i; j < n && same_panel(&r[j], &r[i]); j++)
    {
        int same = (r[j].d == dcur && r[j].m == mlast);
        if (r[j].d != dcur)
        {
            if (dcur >= 0)
                for (fprintf(f, " |"); mlast < mmax; mlast++)
                    fprintf(f, " |");
            dcur = r[j].d;
            mlast = 0;
            fprintf(f, "\n| %ld |", (long) dcur);
        }
        else if (!same)
            fprintf(f, " |");
        if (same)
            fprintf(f, ";");
        else
            for (; mlast + 1 < r[j].m; mlast++)
                fprintf(f, " |");
        if (!strcmp(r[j].status, "holds"))
            fprintf(f, " %ld", (long) r[j].certified);
        else
            fprintf(f, " **%ld**/%lld", (long) r[j].certified,
                    (long long) json_integer_value(r[j].predicted));
        mlast = r[j].m;
    }
    if (dcur >= 0)
        fprintf(f, " |");
    for (; mlast < mmax; mlast++)
        fprintf(f, " |");
    fprintf(f, "\n\n");
}

/* Look-up tables: per support, rows d, columns m; a cell is the
   certified rank, with /predicted when it falls short. */
static void
md_grids(FILE *f, const rrow_t *r, slong n, const char *fam)
{
    slong i, s0 = -1;
    fprintf(f, "### %s: look-up tables\n\n", fam);
    fprintf(f, "Each cell is the certified rank for (m, d) at the sweep's n; "
               "\"r/P\" marks a certified rank r below the prediction P.\n\n");
    for (i = 0; i < n; i++)
    {
        if (strcmp(r[i].family, fam) || (s0 >= 0 && same_panel(&r[i], &r[s0])))
            continue;
        s0 = i;
        md_panel(f, r, n, i);
    }
}

static void
write_md(FILE *f, rrow_t *r, slong n, const char *title, const char *svgdir, int grids)
{
    slong i, fam;
    const char *fams[2] = {"khatri-rao", "hadamard"};
    fprintf(f, "# %s\n\n", title);
    for (fam = 0; fam < 2; fam++)
    {
        slong cases = 0, holds = 0, expl = 0, other = 0, exact = 0, evid = 0;
        for (i = 0; i < n; i++)
        {
            if (strcmp(r[i].family, fams[fam]))
                continue;
            cases++;
            holds += !strcmp(r[i].status, "holds");
            expl += !strcmp(r[i].status, "below-explained");
            other += !strcmp(r[i].status, "below");
            exact += !strncmp(r[i].result, "exact", 5);
            evid += strncmp(r[i].result, "exact", 5) && json_is_real(r[i].pbound);
        }
        if (cases == 0)
            continue;
        fprintf(f, "## %s\n\n", fams[fam]);
        fprintf(f, "| cases | reach the prediction | below, exact (a proved bound met) | below, unexplained |\n"
                   "|---|---|---|---|\n| %ld | %ld | %ld | %ld |\n\n", (long) cases, (long) holds,
                (long) expl, (long) other);
        fprintf(f, "Status: %ld exact (the certified rank meets a proved upper bound), %ld lower "
                "bound%s (%ld with evidence that the generic rank is not higher).\n\n", (long) exact,
                (long) (cases - exact), cases - exact == 1 ? "" : "s", (long) evid);
        if (svgdir)
            fprintf(f, "![%s](%s/%s.svg)\n\n", fams[fam], svgdir, fams[fam]);
        if (expl + other > 0)
            md_shortfalls(f, r, n, fams[fam]);
        if (grids)
            md_grids(f, r, n, fams[fam]);
    }
}

/* A sweep row's fields, read once (o stays owned by the rows it came from). */
static void
row_from_json(rrow_t *r, json_t *o)
{
    size_t j, u = 0;
    r->obj = o;
    r->family = row_str(o, "family");
    r->support = row_str(o, "support");
    r->status = row_str(o, "prediction");
    r->result = row_str(o, "status");
    r->theorem = row_str(o, "theorem");
    r->m = row_int(o, "m");
    r->d = row_int(o, "d");
    r->n = row_int(o, "n");
    r->rows = row_int(o, "rows");
    r->certified = row_int(o, "certified");
    r->trials = row_int(o, "trials");
    r->predicted = json_object_get(o, "predicted");
    r->ah = json_object_get(o, "ah");
    r->pbound = json_object_get(o, "probability_bound");
    r->coeffs = json_object_get(o, "coeffs");
    r->coeffs_text[0] = '\0';
    for (j = 0; j < json_array_size(r->coeffs) && u < sizeof r->coeffs_text; j++)
        u += snprintf(r->coeffs_text + u, sizeof r->coeffs_text - u, "%s%s", j ? "," : "",
                      json_string_value(json_array_get(r->coeffs, j)));
    if (row_str(o, "phi")[0])   /* a named activation (sweep --phi) */
        snprintf(r->coeffs_text, sizeof r->coeffs_text, "phi=%s", row_str(o, "phi"));
}

/* DIR/FAMILY.svg for each family; 0, EX_FAIL (cannot write) or
   EX_USAGE (too much to draw). */
static int
report_svg(const char *svg, rrow_t *r, slong n)
{
    size_t size = strlen(svg) + 32;
    char *p = malloc(size);
    const char *fams[2] = {"khatri-rao", "hadamard"};
    int k, rc = 0;
    for (k = 0; k < 2; k++)
    {
        genrank_err_t e;
        int w;
        snprintf(p, size, "%s/%s.svg", svg, fams[k]);
        w = write_svg(p, r, n, fams[k], &e);
        if (w < 0)
        {
            fprintf(stderr, "genrank: report: %s\n", e.msg);
            rc = EX_FAIL;
        }
        else if (w > 0)
        {
            rc = EX_USAGE;   /* said why */
            break;
        }
    }
    free(p);
    return rc;
}

typedef struct {
    rrow_t *r;
    slong n;
    const char *title, *link;
    int grids;
} report_out_t;

static void
csv_body(FILE *f, const void *ctx)
{
    const report_out_t *o = ctx;
    write_csv(f, o->r, o->n);
}

static void
md_body(FILE *f, const void *ctx)
{
    const report_out_t *o = ctx;
    write_md(f, o->r, o->n, o->title, o->link, o->grids);
}

static int
report_csv(const char *csv, rrow_t *r, slong n)
{
    report_out_t o = {r, n, NULL, NULL, 0};
    genrank_err_t e;
    if (genrank_write_atomic(csv, csv_body, &o, &e) != 0)
    {
        fprintf(stderr, "genrank: report: %s\n", e.msg);
        return EX_FAIL;
    }
    return 0;
}

/* The pictures' directory svg as seen from the Markdown file md. */
static const char *
md_link(const char *md, const char *svg)
{
    const char *slash;
    size_t dl;
    if (svg == NULL || md == NULL)
        return svg;
    slash = strrchr(md, '/');
    dl = slash ? (size_t) (slash - md + 1) : 0;
    return dl > 0 && strncmp(svg, md, dl) == 0 ? svg + dl : svg;
}

/* The Markdown to md (stdout when NULL), linking the pictures in svg. */
static int
report_md(const char *md, const char *svg, rrow_t *r, slong n, const char *title, int grids)
{
    report_out_t o = {r, n, title, md_link(md, svg), grids};
    genrank_err_t e;
    if (md == NULL)
    {
        md_body(stdout, &o);
        return fflush(stdout) == 0 ? 0 : EX_FAIL;
    }
    if (genrank_write_atomic(md, md_body, &o, &e) != 0)
    {
        fprintf(stderr, "genrank: report: %s\n", e.msg);
        return EX_FAIL;
    }
    return 0;
}

/* The counts, in all and per family, as a JSON object on stdout. */
static void
report_json(const char *path, json_t *const *v, slong n)
{
    json_t *o = cli_json_object("report"), *fams = json_object();
    const char *names[3] = {"khatri-rao", "hadamard", "network"};
    json_t **sub = malloc(n * sizeof(json_t *));
    slong i, k, len;
    json_object_set_new(o, "results", json_string(path));
    rows_summary_json(o, v, n);
    for (k = 0; k < 3; k++)
    {
        json_t *fo = json_object();
        for (i = len = 0; i < n; i++)
            if (!strcmp(row_str(v[i], "family"), names[k]))
                sub[len++] = v[i];
        if (len == 0)
        {
            json_decref(fo);
            continue;
        }
        rows_summary_json(fo, sub, len);
        json_object_set_new(fams, names[k], fo);
    }
    json_object_set_new(o, "families", fams);
    free(sub);
    print_json(o);
}

int
genrank_cmd_report(int argc, char **argv)
{
    enum { R_MD = 400, R_CSV, R_SVG, R_TITLE, R_GRIDS, R_HELP, R_JSON };
    static struct option lo[] = {
        {"md", required_argument, 0, R_MD}, {"csv", required_argument, 0, R_CSV},
        {"svg", required_argument, 0, R_SVG}, {"title", required_argument, 0, R_TITLE},
        {"grids", no_argument, 0, R_GRIDS}, {"help", no_argument, 0, R_HELP},
        {"json", no_argument, 0, R_JSON}, {0, 0, 0, 0}};
    const char *md = NULL, *csv = NULL, *svg = NULL, *title = "genrank sweep";
    int c, grids = 0, rc, json = 0;
    rows_t rows = {0};
    rrow_t *r;
    slong n, i;

    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1)
        switch (c)
        {
        case R_MD: md = optarg; break;
        case R_CSV: csv = optarg; break;
        case R_SVG: svg = optarg; break;
        case R_TITLE: title = optarg; break;
        case R_GRIDS: grids = 1; break;
        case R_JSON: json = 1; break;
        case R_HELP: case 'h':
            fputs("Usage: genrank report IN.jsonl [--md FILE] [--csv FILE] [--svg DIR]\n"
                  "                      [--title T] [--grids] [--json]\n\n"
                  "Summarises a sweep: Markdown (counts, every case below the prediction,\n"
                  "with --grids a look-up table per support), CSV (one row per case, the\n"
                  "columns of doc/sweep.md) and SVG (DIR/FAMILY.svg: a panel per support,\n"
                  "a cell per (m, d)).  Network rows (sweep --family network): a table\n"
                  "per formula, the cases where one fails, DIR/network.svg (a panel per\n"
                  "activation, bias and object, a cell per depth and (K, d)); a file may\n"
                  "not mix them with family rows.  With no output option it prints the Markdown;\n"
                  "with --json, instead, the counts (exact, lower bound, per family) as a\n"
                  "JSON object (doc/json.md).\n", stdout);
            return 0;
        default:
            fprintf(stderr, "genrank: report: %s\n"
                    "Try 'genrank report --help' for more information.\n", bad_option(argv));
            return 2;
        }
    if (optind + 1 != argc)
    {
        fprintf(stderr, "genrank: report: expected one JSON Lines file\n"
                "Try 'genrank report --help' for more information.\n");
        return 2;
    }
    if ((rc = read_results_input("report", argv[optind], &rows)) != 0)
    {
        rows_clear(&rows);
        return rc;
    }
    /* a case written twice (two sweeps on one file) counts once */
    n = rows_unique(&rows);
    if (n == 0)
    {
        fprintf(stderr, "genrank: report: %s holds no sweep results\n", argv[optind]);
        rows_clear(&rows);
        return EX_USAGE;
    }
    for (i = c = 0; i < n; i++)
        c += !strcmp(row_str(rows.v[i], "family"), "network");
    if (c > 0 && c < n)
    {
        fprintf(stderr, "genrank: report: %s mixes network rows with family rows; report "
                "them from separate files\n", argv[optind]);
        rows_clear(&rows);
        return EX_USAGE;
    }
    if (svg != NULL && mkdir(svg, 0777) != 0 && errno != EEXIST)
    {
        fprintf(stderr, "genrank: report: cannot create '%s': %s\n", svg, strerror(errno));
        rows_clear(&rows);
        return EX_FAIL;
    }
    if (c > 0)
    {
        rc = report_network(rows.v, n, md != NULL ? md : (csv == NULL && svg == NULL && !json)
                            ? "-" : NULL, csv, svg, title, md_link(md, svg));
        if (rc == 0 && json)
            report_json(argv[optind], rows.v, n);
        rows_clear(&rows);
        return rc;
    }
    r = malloc(n * sizeof(rrow_t));
    for (i = 0; i < n; i++)
        row_from_json(r + i, rows.v[i]);
    {
        qsort(r, n, sizeof(rrow_t), row_cmp);
        if (svg != NULL)
            rc = report_svg(svg, r, n);
        if (csv != NULL && rc == 0)
            rc = report_csv(csv, r, n);
        if (rc == 0 && (md != NULL || (csv == NULL && svg == NULL && !json)))
            rc = report_md(md, svg, r, n, title, grids);
        if (rc == 0 && json)
            report_json(argv[optind], rows.v, n);
    }
    free(r);
    rows_clear(&rows);
    return rc;
}
