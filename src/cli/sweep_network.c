/* genrank sweep --family network: the architecture grid (every tuple of
   hidden widths for each depth, d, K, bias, activation, object) and one
   case's run and result row (doc/sweep.md, doc/hessian-atlas.md).
   sweep.c owns the file, the workers and the resumption. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "genrank.h"
#include "cli.h"

void
snet_key(char *buf, size_t size, const snet_case_t *c)
{
    size_t u;
    slong l;
    u = (size_t) snprintf(buf, size, "network|");
    for (l = 0; l <= c->L && u < size; l++)
        u += (size_t) snprintf(buf + u, size - u, "%s%ld", l ? "," : "", (long) c->M[l]);
    if (u < size)
        snprintf(buf + u, size - u, "|bias=%d|%s|%ld|%s", c->bias, genrank_net_act_name(c->act),
                 (long) c->n, genrank_net_object_name(c->obj));
}

/* The number of cases of the grid (a double: it may be huge). */
double
snet_grid_count(const snet_grid_t *g)
{
    double tuples = 0, per;
    slong L, k;
    int objs = 0, acts = 0;
    for (L = g->L0; L <= g->L1; L++)
        tuples += pow((double) (g->w1 - g->w0 + 1), (double) (L - 1));
    for (k = 0; k < GENRANK_NET_NOBJECTS; k++)
        objs += g->objs[k];
    for (k = 0; k < 2; k++)
        acts += g->acts[k];
    per = (double) (g->d1 - g->d0 + 1) * (double) (g->K1 - g->K0 + 1) * (g->bias == 2 ? 2 : 1)
          * acts * objs * (g->nn ? g->nn : 1);
    return tuples * per;
}

/* Every case of the grid, in a fixed order; the count. */
slong
snet_grid(snet_case_t **out, const snet_grid_t *g)
{
    slong total = (slong) snet_grid_count(g), len = 0, L, d, K, ni, l;
    snet_case_t *v = malloc(FLINT_MAX(total, 1) * sizeof(snet_case_t));
    int bias, act, obj;
    if (v == NULL)
    {
        *out = NULL;
        return -1;
    }
    for (L = g->L0; L <= g->L1; L++)
    {
        slong hidden[SWEEP_NET_LMAX + 1];
        int more = 1;
        for (l = 1; l < L; l++)
            hidden[l] = g->w0;
        while (more)
        {
            for (d = g->d0; d <= g->d1; d++)
                for (K = g->K0; K <= g->K1; K++)
                    for (bias = 0; bias <= 1; bias++)
                    {
                        if ((g->bias == 0 && bias) || (g->bias == 1 && !bias))
                            continue;
                        for (act = 0; act < 2; act++)
                        {
                            if (!g->acts[act])
                                continue;
                            for (ni = 0; ni < (g->nn ? g->nn : 1); ni++)
                                for (obj = 0; obj < GENRANK_NET_NOBJECTS; obj++)
                                {
                                    snet_case_t *c = v + len;
                                    if (!g->objs[obj])
                                        continue;
                                    len++;
                                    memset(c, 0, sizeof *c);
                                    c->L = L;
                                    c->M[0] = d;
                                    c->M[L] = K;
                                    for (l = 1; l < L; l++)
                                        c->M[l] = hidden[l];
                                    c->bias = bias;
                                    c->act = act ? GENRANK_NET_RELU : GENRANK_NET_LINEAR;
                                    c->obj = obj;
                                    /* n = 2d + 1 by default: the inputs and
                                       the centred inputs have rank d */
                                    c->n = g->nn ? g->nlist[ni] : 2 * d + 1;
                                }
                        }
                    }
            /* the next tuple of hidden widths (odometer) */
            for (l = L - 1; l >= 1 && hidden[l] == g->w1; l--)
                hidden[l] = g->w0;
            if (l >= 1)
                hidden[l]++;
            else
                more = 0;
        }
    }
    *out = v;
    return len;
}

/* "holds", "below-explained" (below, but exact: the rank meets a bound
   proved for every point), "below", "above" or "none": the certified rank
   against the prediction. */
static const char *
verdict(const genrank_net_prediction_t *pr, slong rank)
{
    if (pr->predicted < 0)
        return "none";
    if (rank < pr->predicted)
        return rank == pr->bound ? "below-explained" : "below";
    return rank == pr->predicted ? "holds" : "above";
}

/* The point of trial t of a case (the case's seed, then steps of the
   golden ratio), its facts and prediction.  0 or an error. */
static int
trial_point(genrank_net_t net, genrank_net_facts_t *f, genrank_net_prediction_t *pr,
            const snet_case_t *c, uint64_t seed, genrank_err_t *e)
{
    int rc;
    if ((rc = genrank_net_random_point(net, seed, 1000, 0, e)) != 0)
        return rc;
    genrank_net_facts(f, net);
    genrank_net_predict(pr, net, f, c->obj);
    return 0;
}

static json_t *
row_json(const snet_case_t *c, const genrank_net_t net, const genrank_net_facts_t *f,
         const genrank_net_prediction_t *pr, const genrank_net_result_t *res, slong trials,
         uint64_t seed, const char *certpath, const char *opts_tag, double seconds)
{
    json_t *o = json_object(), *w = json_array();
    char key[700], buf[32];
    const char *v = verdict(pr, res->rank);
    int exact = res->rank == pr->bound;
    slong l;
    snet_key(key, sizeof key, c);
    for (l = 0; l <= c->L; l++)
        json_array_append_new(w, json_integer(c->M[l]));
    json_object_set_new(o, "key", json_string(key));
    json_object_set_new(o, "schema", json_integer(GENRANK_JSON_SCHEMA));
    json_object_set_new(o, "options", json_string(opts_tag));
    json_object_set_new(o, "family", json_string("network"));
    json_object_set_new(o, "widths", w);
    json_object_set_new(o, "depth", json_integer(c->L));
    json_object_set_new(o, "d", json_integer(c->M[0]));
    json_object_set_new(o, "K", json_integer(c->M[c->L]));
    json_object_set_new(o, "bias", json_boolean(c->bias));
    json_object_set_new(o, "activation", json_string(genrank_net_act_name(c->act)));
    json_object_set_new(o, "n", json_integer(c->n));
    json_object_set_new(o, "object", json_string(genrank_net_object_name(c->obj)));
    json_object_set_new(o, "params", json_integer(net->P));
    json_object_set_new(o, "input_rank", json_integer(f->r));
    json_object_set_new(o, "centred_rank", json_integer(f->rc));
    json_object_set_new(o, "theorem", json_string(pr->source));
    json_object_set_new(o, "predicted", pr->predicted >= 0 ? json_integer(pr->predicted) : json_null());
    json_object_set_new(o, "prediction_status", json_string(pr->status));
    json_object_set_new(o, "bound", json_integer(pr->bound));
    json_object_set_new(o, "bound_source", json_string(pr->bound_source));
    json_object_set_new(o, "certified", json_integer(res->rank));
    json_object_set_new(o, "rank", json_integer(res->rank));
    json_object_set_new(o, "gap", pr->predicted >= 0 ? json_integer(res->rank - pr->predicted)
                        : json_null());
    json_object_set_new(o, "prediction", json_string(v));
    json_object_set_new(o, "status", json_string(exact ? "exact" : "lower bound"));
    json_object_set_new(o, "exact_by", exact ? json_string(pr->bound_source) : json_null());
    json_object_set_new(o, "trials", json_integer(trials));
    snprintf(buf, sizeof buf, "%llu", (unsigned long long) seed);
    json_object_set_new(o, "seed", json_string(buf));
    snprintf(buf, sizeof buf, "%lu", (unsigned long) res->prime);
    json_object_set_new(o, "prime", json_string(buf));
    json_object_set_new(o, "certificate", certpath ? json_string(certpath) : json_null());
    json_object_set_new(o, "seconds", json_real(floor(seconds * 1e4) / 1e4));
    return o;
}

/* Runs a case: up to `trials` random points (and primes), keeping the
   highest rank, while the rank is below the prediction (or there is
   none) and below the proved bound; writes the best point's certificate
   into certdir when given.  *line receives the result row (the caller
   frees it).  0 or an error. */
int
snet_run(char **line, const snet_case_t *c, uint64_t seed, slong trials, const char *certdir,
         const char *opts_tag, genrank_err_t *e)
{
    genrank_net_t net;
    genrank_net_facts_t f, bf;
    genrank_net_prediction_t pr, bpr;
    genrank_net_result_t best;
    genrank_rng_t rng;
    uint64_t bseed = seed;
    double t0 = cli_now();
    char *path = NULL;
    slong t, ran = 0;
    int rc;

    *line = NULL;
    memset(&best, 0, sizeof best);
    memset(&bf, 0, sizeof bf);
    memset(&bpr, 0, sizeof bpr);
    genrank_net_init(net);
    net->act = c->act;
    if ((rc = genrank_net_setup(net, c->L, c->M, c->bias, c->n, e)) != 0)
    {
        genrank_net_clear(net);
        return rc;
    }
    genrank_rng_seed(&rng, seed ^ UINT64_C(0x6e6574776f726b));
    best.rank = -1;
    for (t = 0; t < trials; t++)
    {
        genrank_net_result_t r;
        uint64_t s = seed + (uint64_t) t * UINT64_C(0x9e3779b97f4a7c15);
        if ((rc = trial_point(net, &f, &pr, c, s, e)) != 0
            || (rc = genrank_net_certify(&r, net, c->obj, genrank_net_prime(net, &rng), e)) != 0)
        {
            /* a later point without a ReLU-free draw: keep what earlier
               trials certified */
            if (ran > 0 && rc == GENRANK_EINVAL)
                rc = 0;
            break;
        }
        ran++;
        if (r.rank > best.rank)
        {
            genrank_net_result_clear(&best);
            best = r;
            bf = f;
            bpr = pr;
            bseed = s;
        }
        else
            genrank_net_result_clear(&r);
        if (best.rank == bpr.bound || (bpr.predicted >= 0 && best.rank >= bpr.predicted))
            break;
    }
    if (rc == 0 && certdir != NULL)
    {
        /* the best point again (points are functions of their seeds) */
        size_t size = strlen(certdir) + 64 + 24 * (c->L + 1);
        char key[700], *p;
        path = malloc(size);
        snet_key(key, sizeof key, c);
        snprintf(path, size, "%s/%s-%016llx.json", certdir, key, (unsigned long long) bseed);
        for (p = path + strlen(certdir) + 1; *p; p++)
            if (*p == '|')
                *p = '-';
            else if (*p == ',' || *p == '=')
                *p = '_';
        if ((rc = trial_point(net, &f, &pr, c, bseed, e)) == 0)
            rc = genrank_net_cert_write(&best, net, &bpr, path, e);
    }
    if (rc == 0)
    {
        json_t *o = row_json(c, net, &bf, &bpr, &best, ran, bseed, path, opts_tag,
                             cli_now() - t0);
        *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
    }
    free(path);
    genrank_net_result_clear(&best);
    genrank_net_clear(net);
    return rc;
}
