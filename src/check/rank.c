/* Checking a rank certificate (doc/certificate-format.md, versions 1 and
   2).  It trusts nothing the prover computed: it reads the recorded
   instance, rebuilds only the witness minor from it (inner products of
   the reduced rows, or exact ones for a named phi), and takes the
   determinant modulo p or in ball arithmetic (minor.c). */
#include <flint/nmod_poly.h>
#include <math.h>
#include <string.h>
#include <flint/ulong_extras.h>
#include <flint/nmod_vec.h>
#include <flint/fmpz_vec.h>
#include <flint/fmpq_vec.h>
#include "config.h"
#include "check.h"
#include "vblas.h"

/* The checker's family table: how a row index of the family's matrix
   maps to an entry.  Row rho stands for the point's row i = rho mod m
   and, when `product` is set, the factor B[col][rho / m] (khatri-rao:
   row l m + i is B^T's row l times phi's row i). */
typedef struct {
    const char *name;
    genrank_family_t family;
    int product;
} check_family_t;

static const check_family_t check_families[] = {
    {"hadamard", GENRANK_HADAMARD, 0},
    {"khatri-rao", GENRANK_KHATRI_RAO, 1},
};

/* The degree of an entry in the point's coordinates for phi of degree K
   (doc/theory.md, section 6): phi(a . b), times B[j][l] in a product. */
static slong
family_degree(const check_family_t *fam, slong K)
{
    return K < 0 ? 0 : 2 * K + (fam->product ? 1 : 0);
}

static slong
family_rows(const check_family_t *fam, slong m, slong d)
{
    return fam->product ? m * d : m;
}

typedef struct {
    const check_family_t *fam;
    int version;
    slong m, d, n, nrows, rank, len;
    fmpq *coeffs;
    fmpz *A, *B;
    ulong p, det;
    slong *rows, *cols;
    /* version 2: a named phi at the point (A / q, B) */
    genrank_phi_t phi;
    fmpz_t q;
    int ball;           /* 1: ball route, else exact route */
    ulong t0, i0;       /* exact route */
    slong prec;         /* ball route */
    /* the fast section: k vectors X (k x r) and the challenge C; fast_used
       when the determinant is not taken (opts->fast) */
    slong fast_k;
    ulong *fast_X, *fast_C;
    int fast_used;
    const genrank_verify_opts_t *opts;
} vcert_t;

/* ------------------------------------------------------------------ */
/* Reading                                                             */

static int
read_sizes(vcert_t *c, const json_t *root, genrank_err_t *err)
{
    const json_t *v = json_object_get(root, "version");
    size_t k;
    if (!json_is_integer(v))
        return genrank_err_set(err, GENRANK_EFORMAT, "\"version\" is missing or not an integer");
    if (json_integer_value(v) != 1 && json_integer_value(v) != 2)
        return genrank_err_set(err, GENRANK_EFORMAT,
            "certificate version %lld is not supported (this verifier reads versions 1 and 2)",
            (long long) json_integer_value(v));
    c->version = (int) json_integer_value(v);
    v = json_object_get(root, "family");
    for (k = 0; k < sizeof check_families / sizeof check_families[0] && json_is_string(v); k++)
        if (strcmp(json_string_value(v), check_families[k].name) == 0)
            c->fam = check_families + k;
    if (c->fam == NULL)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"family\" must be \"hadamard\" or \"khatri-rao\"");
    if (_genrank_json_slong(&c->m, json_object_get(root, "m"), 1, CHECK_SIZE_MAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"m\" must be an integer in [1, 2^40]");
    if (_genrank_json_slong(&c->d, json_object_get(root, "d"), 1, CHECK_SIZE_MAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"d\" must be an integer in [1, 2^40]");
    if (_genrank_json_slong(&c->n, json_object_get(root, "n"), 1, CHECK_SIZE_MAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"n\" must be an integer in [1, 2^40]");
    return 0;
}

/* phi: coefficients (version 1), or a named phi and q (version 2). */
static int
read_phi(vcert_t *c, const json_t *root, genrank_err_t *err)
{
    const json_t *v = json_object_get(root, "coeffs");
    slong k;
    if (c->version == 2)
    {
        const json_t *ph = json_object_get(root, "phi");
        if (v != NULL)
            return genrank_err_set(err, GENRANK_EFORMAT,
                "a version-2 certificate names \"phi\" and has no \"coeffs\"");
        if (!json_is_string(ph) || genrank_phi_parse(&c->phi, json_string_value(ph), NULL) != 0)
            return genrank_err_set(err, GENRANK_EFORMAT, "\"phi\" must name an activation (%s)",
                                   genrank_phi_names());
        if (_genrank_json_int(c->q, json_object_get(root, "q")) != 0 || fmpz_sgn(c->q) <= 0)
            return genrank_err_set(err, GENRANK_EFORMAT, "\"q\" must be a positive integer");
        return 0;
    }
    if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > 4096)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"coeffs\" must be an array of 1 to 4096 strings");
    c->len = json_array_size(v);
    c->coeffs = _fmpq_vec_init(c->len);
    for (k = 0; k < c->len; k++)
    {
        const json_t *e = json_array_get(v, k);
        if (!json_is_string(e) || genrank_rational_parse(c->coeffs + k, json_string_value(e), NULL) != 0)
            return genrank_err_set(err, GENRANK_EFORMAT,
                "\"coeffs\"[%ld] is not a rational string such as \"-1/3\"", (long) k);
    }
    return 0;
}

/* A and B: every shape is checked against the arrays before anything is
   allocated, so sizes written in the file cannot force a huge
   allocation: what is allocated is what the file holds. */
/* SplitMix64 (doc/certificate-format.md, "point_seed"), written here
   from its definition: the checker regenerates a recorded point itself. */
static uint64_t
sm64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* len integers uniform in [-range, range]: u uniform in [0, 2 range + 1)
   by rejecting draws above the largest multiple of 2 range + 1 below
   2^64, then u - range. */
static void
sm64_fill(fmpz *v, slong len, uint64_t *state, uint64_t range)
{
    uint64_t bound = 2 * range + 1, reject = (UINT64_MAX % bound + 1) % bound, u;
    slong k;
    for (k = 0; k < len; k++)
    {
        do
            u = sm64(state);
        while (u > UINT64_MAX - reject);
        u %= bound;
        if (u >= range)
            fmpz_set_ui(v + k, u - range);
        else
        {
            fmpz_set_ui(v + k, range - u);
            fmpz_neg(v + k, v + k);
        }
    }
}

/* "point_seed": A then B regenerated from the seed, their digest against
   the recorded one. */
static int
read_point_seed(vcert_t *c, const json_t *ps, genrank_err_t *err)
{
    const char *gen = json_string_value(json_object_get(ps, "generator"));
    const char *want = json_string_value(json_object_get(ps, "sha256"));
    ulong seed, range;
    uint64_t state;
    double need = 24.0 * ((double) c->m * c->d + (double) c->n * c->d);
    char hex[65], b1[32], b2[32];
    if (gen == NULL || strcmp(gen, "splitmix64") != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"point_seed\".\"generator\" must be \"splitmix64\"");
    if (_genrank_json_ulong(&seed, json_object_get(ps, "seed")) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"point_seed\".\"seed\" must be an integer in [0, 2^64)");
    if (_genrank_json_ulong(&range, json_object_get(ps, "range")) != 0 || range < 1
        || range > (UWORD(1) << 62))
        return genrank_err_set(err, GENRANK_EFORMAT, "\"point_seed\".\"range\" must be an integer in [1, 2^62]");
    if (want == NULL || strlen(want) != 64)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"point_seed\".\"sha256\" must be 64 hex digits");
    if (need > _genrank_check_memory(c->opts))
        return genrank_err_set(err, GENRANK_ENOMEM, "regenerating the point (%ld x %ld and %ld x %ld) "
                               "needs about %s but only %s is available or allowed", (long) c->m,
                               (long) c->d, (long) c->n, (long) c->d, _genrank_bytes_str(b1, need),
                               _genrank_bytes_str(b2, _genrank_check_memory(c->opts)));
    c->nrows = family_rows(c->fam, c->m, c->d);
    c->A = _fmpz_vec_init(c->m * c->d);
    c->B = _fmpz_vec_init(c->n * c->d);
    state = seed;
    sm64_fill(c->A, c->m * c->d, &state, range);
    sm64_fill(c->B, c->n * c->d, &state, range);
    _genrank_point_digest(hex, c->A, c->m * c->d, c->B, c->n * c->d);
    if (strcmp(hex, want) != 0)
        return genrank_err_set(err, GENRANK_EINVALID, "the point regenerated from \"point_seed\" does "
                               "not have the recorded SHA-256");
    return 0;
}

static int
read_point(vcert_t *c, const json_t *root, genrank_err_t *err)
{
    const json_t *a = json_object_get(root, "A"), *b = json_object_get(root, "B");
    const json_t *ps = json_object_get(root, "point_seed");
    int rc;
    if (ps != NULL)
    {
        if (a != NULL || b != NULL || !json_is_object(ps))
            return genrank_err_set(err, GENRANK_EFORMAT, "a point is recorded either by \"A\" and "
                                   "\"B\" or by a \"point_seed\" object, not both");
        return read_point_seed(c, ps, err);
    }
    if ((rc = _genrank_json_shape(a, c->m, c->d, "A", err)) != 0
        || (rc = _genrank_json_shape(b, c->n, c->d, "B", err)) != 0)
        return rc;
    c->nrows = family_rows(c->fam, c->m, c->d);
    c->A = _fmpz_vec_init(c->m * c->d);
    c->B = _fmpz_vec_init(c->n * c->d);
    if ((rc = _genrank_json_int_matrix(c->A, a, c->m, c->d, "A", err)) != 0)
        return rc;
    return _genrank_json_int_matrix(c->B, b, c->n, c->d, "B", err);
}

/* "rank" and "predicted", the latter recomputed into f. */
static int
read_claims(vcert_t *c, const json_t *root, genrank_formula_t f, genrank_err_t *err)
{
    fmpz_t pred;
    int bad;
    if (_genrank_json_slong(&c->rank, json_object_get(root, "rank"), 0, WORD_MAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"rank\" must be a nonnegative integer");
    if (c->rank > FLINT_MIN(c->nrows, c->n))
        return genrank_err_set(err, GENRANK_EINVALID, "rank %ld exceeds min(rows, columns) = %ld",
                               (long) c->rank, (long) FLINT_MIN(c->nrows, c->n));
    fmpz_init(pred);
    bad = _genrank_json_int(pred, json_object_get(root, "predicted")) != 0;
    if (c->phi != GENRANK_PHI_POLY)
        genrank_formula_phi(f, c->fam->family, c->m, c->d, c->n);
    else
        genrank_formula(f, c->fam->family, c->m, c->d, c->n, c->coeffs, c->len);
    bad = bad ? 1 : (fmpz_equal(pred, f->predicted) ? 0 : 2);
    fmpz_clear(pred);
    if (bad == 1)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"predicted\" must be an integer");
    if (bad == 2)
        return genrank_err_set(err, GENRANK_EINVALID, "\"predicted\" does not match %s", f->theorem);
    return 0;
}

/* The witness's route and its numbers (not yet its rows and columns). */
static int
read_witness(vcert_t *c, const json_t *root, const json_t *w, genrank_err_t *err)
{
    slong k;
    if (!json_is_object(w))
        return genrank_err_set(err, GENRANK_EFORMAT, "\"witness\" must be an object");
    if (c->phi != GENRANK_PHI_POLY)
    {
        if ((c->ball = _genrank_json_route(w)) < 0)
            return genrank_err_set(err, GENRANK_EFORMAT, "witness \"route\" must be \"exact\" or \"ball\"");
        if (!c->ball && genrank_phi_class(c->phi) == GENRANK_CLASS_BALL)
            return genrank_err_set(err, GENRANK_EINVALID,
                "%s has no exact route (it is not rational in x and e^x or e^(ix))", genrank_phi_name(c->phi));
    }
    if (c->ball)
    {
        if (_genrank_json_slong(&c->prec, json_object_get(w, "precision"), 2, WORD(1) << 24) != 0)
            return genrank_err_set(err, GENRANK_EFORMAT, "witness \"precision\" must be an integer in [2, 2^24]");
        if (_genrank_check_precision(c->prec, c->opts, err) != 0)
            return GENRANK_ENOMEM;
        if (json_object_get(root, "kruskal") != NULL)
            return genrank_err_set(err, GENRANK_EFORMAT, "a ball-route certificate has no \"kruskal\" section");
        if (json_object_get(w, "prime") != NULL || json_object_get(w, "det_mod_p") != NULL
            || json_object_get(w, "t0") != NULL || json_object_get(w, "i0") != NULL)
            return genrank_err_set(err, GENRANK_EFORMAT,
                "a ball-route witness has no \"prime\", \"det_mod_p\", \"t0\" or \"i0\"");
        return 0;
    }
    if (json_object_get(w, "precision") != NULL || json_object_get(w, "det") != NULL)
        return genrank_err_set(err, GENRANK_EFORMAT,
            "an exact witness has no \"precision\" or \"det\" (those are the ball route's)");
    if (_genrank_json_ulong(&c->p, json_object_get(w, "prime")) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"prime\" must be an integer in [2, 2^64)");
    if (c->p < 2 || !n_is_prime(c->p))
        return genrank_err_set(err, GENRANK_EINVALID, "witness prime %lu is not prime", (unsigned long) c->p);
    for (k = 0; k < c->len; k++)
        if (fmpz_fdiv_ui(fmpq_denref(c->coeffs + k), c->p) == 0)
            return genrank_err_set(err, GENRANK_EINVALID, "witness prime divides the denominator of c%ld", (long) k);
    if (_genrank_json_ulong(&c->det, json_object_get(w, "det_mod_p")) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "witness \"det_mod_p\" must be a nonnegative integer");
    if (c->det == 0 || c->det >= c->p)
        return genrank_err_set(err, GENRANK_EINVALID, "witness det_mod_p must be in [1, p)");
    if (c->phi == GENRANK_PHI_POLY)
        return 0;
    if (c->p == 2 || fmpz_fdiv_ui(c->q, c->p) == 0)
        return genrank_err_set(err, GENRANK_EINVALID, "witness prime must be odd and not divide q");
    return _genrank_check_exact_residues(&c->t0, &c->i0, w, c->p, genrank_phi_class(c->phi), err);
}

/* The memory for the minor, the inner products (at most m rows of them)
   and the reduced rows of A and B, then the witness's rows and cols. */
static int
read_minor_indices(vcert_t *c, const json_t *w, genrank_err_t *err)
{
    double r = (double) c->rank, have = _genrank_check_memory(c->opts);
    int fast = c->opts->fast && !c->ball;
    /* the fast check holds X, C and the products (k x d x r) and the
       distinct rows' values as doubles (at most m x r), not the minor */
    double kk = (double) _genrank_challenge_count(c->p);
    double minor = fast ? 8.0 * (kk * (2.0 + (double) c->d) * r + (double) FLINT_MIN(c->m, c->rank) * r
                                 + kk * (double) c->d * (double) FLINT_MIN(c->m, c->rank) + r)
                        : _genrank_minor_bytes_mod(c->rank, c->p);
    double bytes = c->ball ? _genrank_minor_bytes_arb(c->rank, c->prec)
                   : minor + 8.0 * ((double) FLINT_MIN(c->m, c->rank) * r + ((double) c->m + r) * (double) c->d + 4 * r);
    int rc;
    if (bytes > have)
    {
        char b1[32], b2[32];
        return genrank_err_set(err, GENRANK_ENOMEM, "checking the %ld x %ld witness minor needs about %s "
                               "but only %s of memory is available or allowed", (long) c->rank, (long) c->rank,
                               _genrank_bytes_str(b1, bytes), _genrank_bytes_str(b2, have));
    }
    c->rows = flint_malloc(FLINT_MAX(c->rank, 1) * sizeof(slong));
    c->cols = flint_malloc(FLINT_MAX(c->rank, 1) * sizeof(slong));
    if ((rc = _genrank_json_indices(c->rows, json_object_get(w, "rows"), c->rank, c->nrows,
                                    "witness rows", err)) != 0)
        return rc;
    return _genrank_json_indices(c->cols, json_object_get(w, "cols"), c->rank, c->n, "witness cols", err);
}

/* The fast section (doc/certificate-format.md section 3.2): exactly
   k = _genrank_challenge_count(p) arrays of r residues in [0, p), and the
   challenge derived from the statement's digest.  Required by opts->fast,
   refused on the ball route. */
static int
read_fast(vcert_t *c, const json_t *root, genrank_err_t *err)
{
    const json_t *fs = json_object_get(root, "fast"), *X;
    uint8_t dig[32];
    slong k, j, t, r = c->rank;
    if (fs == NULL)
    {
        if (c->opts->fast)
            return genrank_err_set(err, GENRANK_EINVALID, "the certificate has no \"fast\" section "
                                   "(prove writes one for exact witnesses unless --no-fast); "
                                   "verify it without --fast");
        return 0;
    }
    if (c->ball)
        return genrank_err_set(err, GENRANK_EFORMAT, "a ball-route certificate has no \"fast\" section");
    k = _genrank_challenge_count(c->p);
    if (!json_is_object(fs) || _genrank_json_slong(&j, json_object_get(fs, "k"), 1, 1024) != 0 || j != k)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"fast\" must be an object with \"k\" = %ld "
            "(the least k with p^k >= 2^%d) and \"X\"", (long) k, GENRANK_FAST_BITS);
    X = json_object_get(fs, "X");
    if (_genrank_json_shape(X, k, r, "fast X", err) != 0)
        return GENRANK_EFORMAT;
    c->fast_k = k;
    c->fast_X = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(ulong));
    for (j = 0; j < k; j++)
        for (t = 0; t < r; t++)
        {
            ulong x;
            if (_genrank_json_ulong(&x, json_array_get(json_array_get(X, j), t)) != 0 || x >= c->p)
                return genrank_err_set(err, GENRANK_EFORMAT,
                    "fast X[%ld][%ld] must be an integer in [0, p)", (long) j, (long) t);
            c->fast_X[j * r + t] = x;
        }
    if (_genrank_statement_digest(dig, root, _genrank_rank_statement_keys()) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "the certificate's statement cannot be serialized");
    c->fast_C = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(ulong));
    _genrank_challenge(c->fast_C, k, r, c->p, dig);
    c->fast_used = c->opts->fast;
    return 0;
}

/* ------------------------------------------------------------------ */
/* The minor modulo p                                                  */

/* phi(a_i . b_col) for the rows i of A the minor uses (slot s) and its
   columns t, val[s r + t]; br: the minor's rows of B reduced modulo p. */
typedef struct {
    const vcert_t *c;
    nmod_t mod;
    slong *slot, *arow, nslots;
    ulong *br, *val;
    double *vald, *brt;     /* val, and B's columns by rows (brt[l r + t]), as doubles */
} minor_plan_t;

/* A named phi at the exact inner product u: x = u q^-1 and
   E = t0^(u mod (p-1)) modulo p.  1, or 0 when a denominator vanishes. */
static int
named_value(ulong *y, const vcert_t *c, const fmpz_t u, nmod_t mod)
{
    ulong x = nmod_mul(fmpz_fdiv_ui(u, mod.n), n_invmod(fmpz_fdiv_ui(c->q, mod.n), mod.n), mod), E = 0;
    if (genrank_phi_class(c->phi) != GENRANK_CLASS_RATIONAL)
        E = n_powmod2_ui_preinv(c->t0, fmpz_fdiv_ui(u, mod.n - 1), mod.n, mod.ninv);
    return _genrank_verify_named_mod(y, c->phi, x, E, c->i0, mod);
}

/* Bytes of the plan's values, val or vald: nslots x r words.  Taken by
   _genrank_big_alloc, in huge pages from its threshold on: fresh memory
   in small pages costs milliseconds a megabyte on some machines. */
static size_t
plan_bytes(const minor_plan_t *pl)
{
    return (size_t) FLINT_MAX(pl->nslots * pl->c->rank, 1) * sizeof(double);
}

/* The inner products of the reduced rows by dgemm (p < 2^24) or
   _nmod_vec_dot, then phi by Horner. */
static void
poly_values(minor_plan_t *pl, const ulong *ar, const ulong *cp)
{
    const vcert_t *c = pl->c;
    slong r = c->rank, d = c->d, s, t, l;
    nmod_t mod = pl->mod;
#ifdef HAVE_CBLAS
    if (_genrank_minor_use_blas(r, mod.n))
    {
        double *X = flint_malloc(FLINT_MAX(pl->nslots * d, 1) * sizeof(double));
        double *Yt = flint_malloc(FLINT_MAX(d * r, 1) * sizeof(double));
        double *G = _genrank_big_alloc(plan_bytes(pl));
        for (s = 0; s < pl->nslots * d; s++)
            X[s] = (double) ar[s];
        for (t = 0; t < r; t++)
            for (l = 0; l < d; l++)
                Yt[l * r + t] = (double) pl->br[t * d + l];
        genrank_vmul_blas(G, X, Yt, pl->nslots, r, d, mod.n);
        genrank_vpoly_blas(G, pl->nslots * r, cp, c->len, mod.n);
        for (s = 0; s < pl->nslots * r; s++)
            pl->val[s] = (ulong) G[s];                                 /* in [0, p) */
        flint_free(X);
        pl->vald = G;           /* kept for row_d and the fast check */
        pl->brt = Yt;
        return;
    }
#endif
    {
        int nlimbs = _nmod_vec_dot_bound_limbs(d, mod);
        for (s = 0; s < pl->nslots; s++)
            for (t = 0; t < r; t++)
                pl->val[s * r + t] = _nmod_poly_evaluate_nmod(cp, c->len,
                    _nmod_vec_dot(ar + s * d, pl->br + t * d, d, mod, nlimbs), mod);
    }
}

/* Fills the plan; 0, or 1 when a denominator of a named phi vanishes. */
static int
plan_init(minor_plan_t *pl, const vcert_t *c, nmod_t mod)
{
    slong r = c->rank, d = c->d, k, s, t;
    int ok = 1;
    pl->c = c;
    pl->mod = mod;
    pl->slot = flint_malloc(c->m * sizeof(slong));
    pl->arow = flint_malloc(FLINT_MAX(r, 1) * sizeof(slong));
    pl->nslots = 0;
    pl->vald = pl->brt = NULL;
    for (s = 0; s < c->m; s++)
        pl->slot[s] = -1;
    for (s = 0; s < r; s++)
        if (pl->slot[c->rows[s] % c->m] < 0)
        {
            pl->arow[pl->nslots] = c->rows[s] % c->m;
            pl->slot[c->rows[s] % c->m] = pl->nslots++;
        }
    pl->br = flint_malloc(FLINT_MAX(r * d, 1) * sizeof(ulong));
    for (s = 0; s < r; s++)
        for (k = 0; k < d; k++)
            pl->br[s * d + k] = fmpz_fdiv_ui(c->B + c->cols[s] * d + k, mod.n);
    pl->val = _genrank_big_alloc(plan_bytes(pl));
    if (c->phi == GENRANK_PHI_POLY)
    {
        ulong *cp = flint_malloc(FLINT_MAX(c->len, 1) * sizeof(ulong));
        ulong *ar = flint_malloc(FLINT_MAX(pl->nslots * d, 1) * sizeof(ulong));
        for (k = 0; k < c->len; k++)
            cp[k] = nmod_mul(fmpz_fdiv_ui(fmpq_numref(c->coeffs + k), mod.n),
                             n_invmod(fmpz_fdiv_ui(fmpq_denref(c->coeffs + k), mod.n), mod.n), mod);
        for (s = 0; s < pl->nslots; s++)
            for (k = 0; k < d; k++)
                ar[s * d + k] = fmpz_fdiv_ui(c->A + pl->arow[s] * d + k, mod.n);
        poly_values(pl, ar, cp);
        flint_free(cp);
        flint_free(ar);
    }
    else
    {
        fmpz_t u;
        fmpz_init(u);
        for (s = 0; s < pl->nslots && ok; s++)
            for (t = 0; t < r && ok; t++)
            {
                fmpz_zero(u);
                for (k = 0; k < d; k++)
                    fmpz_addmul(u, c->A + pl->arow[s] * d + k, c->B + c->cols[t] * d + k);
                ok = named_value(pl->val + s * r + t, c, u, mod);
            }
        fmpz_clear(u);
    }
    return !ok;
}

static void
plan_clear(minor_plan_t *pl)
{
    _genrank_big_free(pl->vald, plan_bytes(pl));
    flint_free(pl->brt);
    flint_free(pl->slot);
    flint_free(pl->arow);
    flint_free(pl->br);
    _genrank_big_free(pl->val, plan_bytes(pl));
}

static int
row_mod(ulong *out, slong s, void *ctx, genrank_err_t *err)
{
    const minor_plan_t *pl = ctx;
    const vcert_t *c = pl->c;
    slong r = c->rank, i = c->rows[s] % c->m, ell = c->rows[s] / c->m, t;
    const ulong *v = pl->val + pl->slot[i] * r;
    for (t = 0; t < r; t++)
        out[t] = c->fam->product ? nmod_mul(v[t], pl->br[t * c->d + ell], pl->mod) : v[t];
    return 1;
}

/* The plan's values and B's columns in doubles for row_d (the minor's
   double path), where poly_values did not leave them. */
static void
plan_doubles(minor_plan_t *pl)
{
    const vcert_t *c = pl->c;
    slong r = c->rank, d = c->d, s, t, l;
    if (pl->vald == NULL)
    {
        pl->vald = _genrank_big_alloc(plan_bytes(pl));
        for (s = 0; s < pl->nslots * r; s++)
            pl->vald[s] = (double) pl->val[s];
    }
    if (pl->brt == NULL)
    {
        pl->brt = flint_malloc(FLINT_MAX(d * r, 1) * sizeof(double));
        for (t = 0; t < r; t++)
            for (l = 0; l < d; l++)
                pl->brt[l * r + t] = (double) pl->br[t * d + l];
    }
}

/* row_mod's row as doubles: products of two residues, below p^2 < 2^48
   (the determinant reduces them) */
static void
row_d(double *out, slong s, void *ctx)
{
    const minor_plan_t *pl = ctx;
    const vcert_t *c = pl->c;
    slong r = c->rank, i = c->rows[s] % c->m, ell = c->rows[s] / c->m, t;
    const double *v = pl->vald + pl->slot[i] * r, *b = pl->brt + ell * r;
    if (c->fam->product)
        for (t = 0; t < r; t++)
            out[t] = v[t] * b[t];
    else
        memcpy(out, v, r * sizeof(double));
}

/* The fast section's identities from the family's structure: row s of
   the minor is val[slot(i_s)] times (khatri-rao) the column's B entry
   b_t[l_s], so X_j^T S = sum over l of b_.[l] * (W_(j,l) Val), where
   W_(j,l)[slot(i_s)] = X_j[s] for the rows s with l_s = l (one s per
   (i, l)): one product of a (k D) x slots by slots x r matrix (dgemm,
   p < 2^24), D = d for khatri-rao and 1 for hadamard, then k D r
   products, instead of the r^2 entries. */
static int
fast_structured(const minor_plan_t *pl, const vcert_t *c, genrank_err_t *err)
{
    slong r = c->rank, k = c->fast_k, ns = pl->nslots, s, t, j, l;
    slong D = c->fam->product ? c->d : 1;
    double *W = flint_calloc(FLINT_MAX(k * D * ns, 1), sizeof(double));
    double *V = pl->vald != NULL ? pl->vald : _genrank_big_alloc(plan_bytes(pl));
    double *Z = flint_malloc(FLINT_MAX(k * D * r, 1) * sizeof(double));
    ulong *Y = flint_malloc(FLINT_MAX(k * r, 1) * sizeof(ulong));
    nmod_t mod = pl->mod;
    int rc;
    for (s = 0; s < r; s++)
    {
        slong slot = pl->slot[c->rows[s] % c->m], ell = c->fam->product ? c->rows[s] / c->m : 0;
        for (j = 0; j < k; j++)
            W[(j * D + ell) * ns + slot] = (double) c->fast_X[j * r + s];
    }
    if (V != pl->vald)
        for (s = 0; s < ns * r; s++)
            V[s] = (double) pl->val[s];
    genrank_vmul_blas(Z, W, V, k * D, r, ns, mod.n);
    for (j = 0; j < k; j++)
        for (t = 0; t < r; t++)
        {
            ulong y = 0;
            for (l = 0; l < D; l++)
            {
                ulong z = (ulong) Z[(j * D + l) * r + t];
                y = nmod_add(y, c->fam->product ? nmod_mul(z, pl->br[t * c->d + l], mod) : z, mod);
            }
            Y[j * r + t] = y;
        }
    rc = _genrank_fast_compare(Y, c->fast_C, k, r, err);
    flint_free(Y);
    flint_free(W);
    if (V != pl->vald)
        _genrank_big_free(V, plan_bytes(pl));
    flint_free(Z);
    return rc;
}

/* The plan of the minor c->rows x c->cols modulo p: 0, or
   GENRANK_EINVALID (plan cleared) when a denominator of phi vanishes. */
static int
plan_open(minor_plan_t *pl, const vcert_t *c, nmod_t *mod, genrank_err_t *err)
{
    nmod_init(mod, c->p);
    if (!plan_init(pl, c, *mod))
        return 0;
    plan_clear(pl);
    return genrank_err_set(err, GENRANK_EINVALID,
        "a denominator of %s vanishes modulo p at t0 in the witness minor", genrank_phi_name(c->phi));
}

/* The determinant modulo p of the minor c->rows x c->cols. */
static int
minor_det_mod(ulong *det, const vcert_t *c, genrank_err_t *err)
{
    minor_plan_t pl;
    nmod_t mod;
    int rc = plan_open(&pl, c, &mod, err);
    if (rc == 0)
    {
        rc = _genrank_minor_det_mod(det, c->rank, mod, row_mod, &pl, err);
        plan_clear(&pl);
    }
    return rc;
}

/* The witness minor modulo p, from one plan: its determinant against
   det_mod_p (unless the fast section stands in for it), then the fast
   section's identities when present. */
static int
minor_check_mod(const vcert_t *c, genrank_err_t *err)
{
    minor_plan_t pl;
    nmod_t mod;
    ulong det = 0;
    int rc = plan_open(&pl, c, &mod, err);
    if (rc != 0)
        return rc;
    if (!c->fast_used && _genrank_minor_use_blas(c->rank, mod.n))
        plan_doubles(&pl);
    if (!c->fast_used && (rc = _genrank_minor_det_mod_d(&det, c->rank, mod, row_mod,
                                                        pl.vald != NULL ? row_d : NULL, &pl, err)) == 0)
        rc = _genrank_minor_check_mod(det, c->det, err);
    if (rc == 0 && c->fast_k > 0)
        rc = _genrank_minor_use_blas(c->rank, mod.n) ? fast_structured(&pl, c, err)
             : _genrank_minor_fast_mod(c->rank, mod, row_mod, &pl, c->fast_X, c->fast_C,
                                       c->fast_k, err);
    plan_clear(&pl);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The minor in ball arithmetic, at the real point (A / q, B)          */

static void
row_arb(arb_ptr out, slong s, slong prec, void *ctx)
{
    const vcert_t *c = ctx;
    slong r = c->rank, d = c->d, i = c->rows[s] % c->m, ell = c->rows[s] / c->m, t, l;
    arb_t x;
    fmpz_t u;
    arb_init(x);
    fmpz_init(u);
    for (t = 0; t < r; t++)
    {
        fmpz_zero(u);
        for (l = 0; l < d; l++)
            fmpz_addmul(u, c->A + i * d + l, c->B + c->cols[t] * d + l);
        arb_fmpz_div_fmpz(x, u, c->q, prec);
        _genrank_phi_arb(out + t, c->phi, x, prec);
        if (c->fam->product)
            arb_mul_fmpz(out + t, out + t, c->B + c->cols[t] * d + ell, prec);
    }
    arb_clear(x);
    fmpz_clear(u);
}

static int
check_witness_minor(const vcert_t *c, const json_t *w, genrank_err_t *err)
{
    int rc;
    if (c->ball)
    {
        arb_t det;
        arb_init(det);
        _genrank_minor_det_arb(det, c->rank, c->prec, row_arb, (void *) c);
        rc = _genrank_ball_witness_check(det, w, c->prec, err);
        arb_clear(det);
    }
    else
        rc = minor_check_mod(c, err);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The optional Kruskal section: every k-subset of columns, in          */
/* lexicographic order, with rows of a nonzero k x k minor             */

static int
kruskal_count(slong *count, const vcert_t *c, slong k, genrank_err_t *err)
{
    fmpz_t cnt;
    int big;
    fmpz_init(cnt);
    fmpz_bin_uiui(cnt, (ulong) c->n, (ulong) k);
    big = fmpz_cmp_si(cnt, GENRANK_KRUSKAL_MAX) > 0;
    *count = big ? 0 : fmpz_get_si(cnt);
    fmpz_clear(cnt);
    if (big)
        return genrank_err_set(err, GENRANK_EINVALID,
            "kruskal: C(n, %ld) column subsets exceed the %ld this verifier checks",
            (long) k, (long) GENRANK_KRUSKAL_MAX);
    return 0;
}

static void
next_subset(slong *subset, slong k, slong n)
{
    slong j;
    for (j = k - 1; j >= 0 && subset[j] == n - k + j; j--)
        ;
    if (j >= 0)
    {
        subset[j]++;
        for (j = j + 1; j < k; j++)
            subset[j] = subset[j - 1] + 1;
    }
}

/* Minor t of the section: its rows, its recorded determinant, and the
   determinant rebuilt for sub (whose cols are the subset). */
static int
kruskal_minor(vcert_t *sub, const json_t *mi, slong t, genrank_err_t *err)
{
    ulong want, det = 1;
    int rc;
    if (!json_is_object(mi))
        return genrank_err_set(err, GENRANK_EFORMAT, "kruskal: minors[%ld] is not an object", (long) t);
    if ((rc = _genrank_json_indices(sub->rows, json_object_get(mi, "rows"), sub->rank, sub->nrows,
                                    "kruskal minor rows", err)) != 0)
    {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err ? err->msg : "");
        return genrank_err_set(err, rc, "kruskal: minors[%ld]: %s", (long) t, why);
    }
    if (_genrank_json_ulong(&want, json_object_get(mi, "det_mod_p")) != 0 || want == 0 || want >= sub->p)
        return genrank_err_set(err, GENRANK_EINVALID, "kruskal: minors[%ld]: det_mod_p must be in [1, p)", (long) t);
    if (sub->rank > 0 && minor_det_mod(&det, sub, err) != 0)
        return genrank_err_set(err, GENRANK_EINVALID,
            "kruskal: minors[%ld]: a denominator of phi vanishes modulo p", (long) t);
    if (det != want)
        return genrank_err_set(err, GENRANK_EINVALID,
            "kruskal: the minor for column subset %ld is %s modulo p", (long) t,
            det == 0 ? "singular" : "not det_mod_p");
    return 0;
}

static int
check_kruskal(const vcert_t *c, const json_t *w, slong *rank, genrank_err_t *err)
{
    slong k, count, t, j, *subset;
    const json_t *minors;
    vcert_t sub = *c;
    sub.fast_k = 0;
    sub.fast_X = sub.fast_C = NULL;
    int rc = 0;

    if (!json_is_object(w)
        || _genrank_json_slong(&k, json_object_get(w, "rank"), 0, FLINT_MIN(c->nrows, c->n)) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT,
            "\"kruskal\" must be an object with a \"rank\" in [0, min(rows, n)]");
    if ((rc = kruskal_count(&count, c, k, err)) != 0)
        return rc;
    minors = json_object_get(w, "minors");
    if (!json_is_array(minors) || (slong) json_array_size(minors) != count)
        return genrank_err_set(err, GENRANK_EINVALID,
            "kruskal: \"minors\" must list one minor for each of the C(%ld, %ld) = %ld column subsets",
            (long) c->n, (long) k, (long) count);
    subset = flint_malloc((k + 1) * sizeof(slong));
    sub.rows = flint_malloc((k + 1) * sizeof(slong));
    sub.cols = subset;
    sub.rank = k;
    for (j = 0; j < k; j++)
        subset[j] = j;
    for (t = 0; t < count && rc == 0; t++)
    {
        rc = kruskal_minor(&sub, json_array_get(minors, t), t, err);
        next_subset(subset, k, c->n);
    }
    flint_free(sub.rows);
    flint_free(subset);
    if (rc == 0)
        *rank = k;
    return rc;
}

/* ------------------------------------------------------------------ */
/* The informational fields, recomputed or refused                      */

/* 1 when the recorded bound agrees with the recomputed one to the six
   significant digits it is written with. */
static int
bound_matches(const json_t *v, double want)
{
    double got;
    if (!json_is_number(v))
        return 0;
    got = json_number_value(v);
    return fabs(got - want) <= 1e-5 * fabs(want) || (want < 1e-300 && fabs(got) < 1e-300);
}

/* "theorem" and "corrected" as the formula gives them; no stray
   named-phi fields in a polynomial certificate. */
static int
check_formula_fields(const vcert_t *c, const json_t *root, const genrank_formula_t f,
                     genrank_err_t *err)
{
    const json_t *t = json_object_get(root, "theorem"), *co = json_object_get(root, "corrected");
    const json_t *ub = json_object_get(root, "upper_bound");
    fmpz_t v;
    int bad;
    if (t != NULL && (!json_is_string(t) || strcmp(json_string_value(t), f->theorem) != 0))
        return genrank_err_set(err, GENRANK_EINVALID, "\"theorem\" is not %s", f->theorem);
    if (c->version == 1 && (json_object_get(root, "phi") != NULL || json_object_get(root, "q") != NULL))
        return genrank_err_set(err, GENRANK_EFORMAT, "a version-1 certificate has no \"phi\" or \"q\"");
    if (ub != NULL)
    {
        /* optional (certificates before it lack it), recomputed here */
        fmpz_init(v);
        bad = !f->has_bound || !json_is_object(ub) || _genrank_json_int(v, json_object_get(ub, "value")) != 0
              || !fmpz_equal(v, f->bound) || !json_is_string(json_object_get(ub, "source"))
              || strcmp(json_string_value(json_object_get(ub, "source")), f->bound_source) != 0;
        fmpz_clear(v);
        if (bad)
            return genrank_err_set(err, GENRANK_EINVALID, "\"upper_bound\" is not the value and "
                                   "source of doc/theory.md section 4 for this instance");
    }
    if (!f->has_corrected)
        return co == NULL ? 0 : genrank_err_set(err, GENRANK_EINVALID,
            "\"corrected\": no theorem gives the exact rank of this instance");
    fmpz_init(v);
    bad = !json_is_object(co) || _genrank_json_int(v, json_object_get(co, "value")) != 0
          || !fmpz_equal(v, f->corrected) || !json_is_string(json_object_get(co, "source"))
          || strcmp(json_string_value(json_object_get(co, "source")), f->corrected_source) != 0;
    fmpz_clear(v);
    if (bad)
        return genrank_err_set(err, GENRANK_EINVALID, "\"corrected\" is not the value and source "
                               "of %s", f->corrected_source);
    return 0;
}

/* The generator's range R, and with the evidence (which rests on it)
   every entry of A and B in [-R, R]. */
static int
check_range(uint64_t *range, const vcert_t *c, const json_t *root, int with_evidence,
            genrank_err_t *err)
{
    const json_t *g = json_object_get(root, "generator");
    ulong R;
    slong k;
    fmpz_t b;
    if (!json_is_object(g) || _genrank_json_ulong(&R, json_object_get(g, "range")) != 0
        || R < 1 || R > (UWORD(1) << 62))
        return with_evidence ? genrank_err_set(err, GENRANK_EFORMAT,
            "\"generator\".\"range\" must be an integer in [1, 2^62] (the evidence rests on it)") : 0;
    *range = R;
    if (!with_evidence)
        return 0;
    fmpz_init_set_ui(b, R);
    for (k = 0; k < c->m * c->d + c->n * c->d; k++)
        if (fmpz_cmpabs(k < c->m * c->d ? c->A + k : c->B + k - c->m * c->d, b) > 0)
        {
            fmpz_clear(b);
            return genrank_err_set(err, GENRANK_EINVALID,
                "an entry of %s lies outside the generator's range [-R, R] that the evidence assumes",
                k < c->m * c->d ? "A" : "B");
        }
    fmpz_clear(b);
    return 0;
}

/* The evidence, present exactly when rank < predicted: its trials and
   max_rank_seen, and for a polynomial phi its bounds recomputed from the
   recorded family, coefficients, range and primes. */
static int
check_evidence(genrank_verify_info_t *out, const vcert_t *c, const json_t *root,
               const genrank_formula_t f, genrank_err_t *err)
{
    const json_t *ev = json_object_get(root, "evidence"), *rp;
    genrank_evidence_t want;
    uint64_t range = 0;
    slong trials, seen, bits = 0;
    int below = fmpz_cmp_si(f->predicted, c->rank) > 0, rc, random;
    const json_t *gname = json_object_get(json_object_get(root, "generator"), "name");
    out->evidence_trials = 0;
    out->probability_bound = 1.0;
    out->point_given = json_is_string(gname) && !strcmp(json_string_value(gname), "given");
    if (out->point_given)   /* one given point: no evidence about random ones */
    {
        const json_t *g = json_object_get(root, "generator");
        fmpz_t qa, qb;
        fmpz_init(qa);
        fmpz_init(qb);
        rc = _genrank_json_int(qa, json_object_get(g, "qa")) != 0 || fmpz_sgn(qa) <= 0
             || _genrank_json_int(qb, json_object_get(g, "qb")) != 0 || fmpz_sgn(qb) <= 0;
        fmpz_clear(qa);
        fmpz_clear(qb);
        if (rc)
            return genrank_err_set(err, GENRANK_EFORMAT, "a given point's \"generator\" needs "
                                   "positive integers \"qa\" and \"qb\"");
        return ev == NULL ? 0 : genrank_err_set(err, GENRANK_EINVALID,
            "a certificate at a given point has no \"evidence\" (it speaks of random points)");
    }
    if ((rc = check_range(&range, c, root, below && c->phi == GENRANK_PHI_POLY, err)) != 0)
        return rc;
    if (!below)
        return ev == NULL ? 0 : genrank_err_set(err, GENRANK_EINVALID,
            "\"evidence\" is for a rank below the prediction");
    if (!json_is_object(ev) || _genrank_json_slong(&trials, json_object_get(ev, "trials"), 1, WORD_MAX) != 0
        || _genrank_json_slong(&seen, json_object_get(ev, "max_rank_seen"), 0, WORD_MAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT,
            "a rank below the prediction needs \"evidence\" with \"trials\" and \"max_rank_seen\"");
    if (seen != c->rank)
        return genrank_err_set(err, GENRANK_EINVALID, "\"evidence\".\"max_rank_seen\" is not the rank");
    out->evidence_trials = trials;
    if (c->phi != GENRANK_PHI_POLY)
        return json_object_size(ev) == 2 ? 0 : genrank_err_set(err, GENRANK_EINVALID,
            "the evidence for a named phi has only \"trials\" and \"max_rank_seen\" (no bound is claimed)");
    rp = json_object_get(ev, "random_primes");
    if (!json_is_boolean(rp))
        return genrank_err_set(err, GENRANK_EFORMAT, "\"evidence\".\"random_primes\" must be true or false");
    random = json_is_true(rp);
    if (random && (_genrank_json_slong(&bits, json_object_get(ev, "prime_bits"), 3, 63) != 0
                   || c->p < (UWORD(1) << (bits - 1)) || c->p >> bits != 0))
        return genrank_err_set(err, GENRANK_EINVALID,
            "\"evidence\".\"prime_bits\" must be in [3, 63] and the witness prime of that many bits");
    genrank_evidence_bounds(&want, family_degree(c->fam, genrank_coeffs_degree(c->coeffs, c->len)),
                            c->fam->product, c->coeffs, c->len, c->d, c->rank, range, random,
                            (int) bits, trials);
    if (!bound_matches(json_object_get(ev, "degree_bound"), want.degree_bound)
        || !bound_matches(json_object_get(ev, "per_trial_bound"), want.per_trial_bound)
        || !bound_matches(json_object_get(ev, "probability_bound"), want.probability_bound))
        return genrank_err_set(err, GENRANK_EINVALID, "the evidence's bounds are not those of "
            "doc/theory.md section 6 for the recorded instance (recomputed: degree %.0f, per trial "
            "%.6g, all trials %.6g)", want.degree_bound, want.per_trial_bound, want.probability_bound);
    out->probability_bound = want.probability_bound;
    return 0;
}

/* ------------------------------------------------------------------ */

static void
fill_info(genrank_verify_info_t *info, const vcert_t *c, const genrank_formula_t f)
{
    char *s = fmpz_get_str(NULL, 10, f->predicted);
    info->capacity = 0;
    snprintf(info->family, sizeof info->family, "%s", c->fam->name);
    info->m = c->m;
    info->d = c->d;
    info->n = c->n;
    info->rank = c->rank;
    snprintf(info->predicted, sizeof info->predicted, "%s", s);
    flint_free(s);
    snprintf(info->prime, sizeof info->prime, "%lu", (unsigned long) c->p);
    snprintf(info->phi, sizeof info->phi, "%s", c->phi == GENRANK_PHI_POLY ? "" : genrank_phi_name(c->phi));
    snprintf(info->route, sizeof info->route, "%s",
             c->phi == GENRANK_PHI_POLY ? "" : c->ball ? "ball" : "exact");
    info->precision = c->prec;
    snprintf(info->theorem, sizeof info->theorem, "%s", f->theorem);
    info->corrected[0] = info->corrected_source[0] = '\0';
    if (f->has_corrected)
    {
        s = fmpz_get_str(NULL, 10, f->corrected);
        snprintf(info->corrected, sizeof info->corrected, "%s", s);
        snprintf(info->corrected_source, sizeof info->corrected_source, "%s", f->corrected_source);
        flint_free(s);
    }
    else if (f->has_bound && fmpz_cmp_si(f->bound, c->rank) == 0)
    {
        /* the certified rank meets a proved upper bound: exact */
        snprintf(info->corrected, sizeof info->corrected, "%ld", (long) c->rank);
        snprintf(info->corrected_source, sizeof info->corrected_source, "the upper bound %s",
                 f->bound_source);
    }
}

int
_genrank_check_rank(const json_t *root, const genrank_verify_opts_t *opts,
                    genrank_verify_info_t *info, genrank_err_t *err)
{
    vcert_t c;
    const json_t *w = json_object_get(root, "witness"), *kr = json_object_get(root, "kruskal");
    genrank_formula_t f;
    genrank_verify_info_t evinfo;
    slong kruskal = -1;
    int rc;

    memset(&c, 0, sizeof c);
    c.opts = opts;
    fmpz_init_set_ui(c.q, 1);
    genrank_formula_init(f);
    if ((rc = read_sizes(&c, root, err)) == 0
        && (rc = read_phi(&c, root, err)) == 0
        && (rc = read_point(&c, root, err)) == 0
        && (rc = read_claims(&c, root, f, err)) == 0
        && (rc = check_formula_fields(&c, root, f, err)) == 0
        && (rc = read_witness(&c, root, w, err)) == 0
        && (rc = check_evidence(&evinfo, &c, root, f, err)) == 0
        && (rc = read_minor_indices(&c, w, err)) == 0
        && (rc = read_fast(&c, root, err)) == 0
        && (rc = check_witness_minor(&c, w, err)) == 0
        && kr != NULL)
        rc = check_kruskal(&c, kr, &kruskal, err);
    if (rc == 0 && info != NULL)
    {
        fill_info(info, &c, f);
        info->kruskal_rank = kruskal;
        info->evidence_trials = evinfo.evidence_trials;
        info->probability_bound = evinfo.probability_bound;
        info->point_given = evinfo.point_given;
        info->fast_k = c.fast_k;
        info->fast_used = c.fast_used;
        info->fast_bits = c.fast_k > 0 ? _genrank_challenge_bits(c.p, c.fast_k) : 0;
    }
    if (c.coeffs)
        _fmpq_vec_clear(c.coeffs, c.len);
    if (c.A)
        _fmpz_vec_clear(c.A, c.m * c.d);
    if (c.B)
        _fmpz_vec_clear(c.B, c.n * c.d);
    flint_free(c.rows);
    flint_free(c.cols);
    flint_free(c.fast_X);
    flint_free(c.fast_C);
    fmpz_clear(c.q);
    genrank_formula_clear(f);
    return rc;
}
