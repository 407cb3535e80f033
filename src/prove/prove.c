/* The prover's one entry point, genrank_prove_spec: random points,
   elimination modulo p or in balls (the route is the strategy), retries.
   The evidence is in evidence.c, Kruskal ranks in kruskal.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <flint/fmpz_vec.h>
#include <flint/fmpq_vec.h>
#include <flint/ulong_extras.h>
#include "genrank.h"
#include "families/family.h"

void
genrank_prove_opts_init(genrank_prove_opts_t *opts)
{
    memset(opts, 0, sizeof *opts);   /* every field not set below is 0 */
    opts->seed = 0;
    opts->prime = 0;
    opts->prime_bits = 0;
    opts->method = GENRANK_METHOD_AUTO;
    opts->range = UINT64_C(1) << 20;
    opts->trials = 5;
    opts->progress = 0;
    opts->route = GENRANK_ROUTE_AUTO;
    opts->denominator = 0;
    opts->max_prec = 8192;
    opts->point = NULL;
    opts->fast = 1;
}

void
genrank_cert_init(genrank_cert_t cert)
{
    memset(cert, 0, sizeof(genrank_cert_struct));
    genrank_formula_init(cert->formula);
    cert->kruskal_rank = -1;
}

void
genrank_cert_clear(genrank_cert_t cert)
{
    if (cert->inst->A != NULL)
        genrank_instance_clear(cert->inst);
    genrank_formula_clear(cert->formula);
    flint_free(cert->rows);
    flint_free(cert->cols);
    flint_free(cert->kruskal_rows);
    flint_free(cert->kruskal_dets);
    flint_free(cert->ball_det);
    flint_free(cert->fast_X);
    fmpz_clear(cert->point_qa);
    fmpz_clear(cert->point_qb);
    memset(cert, 0, sizeof(genrank_cert_struct));
    cert->kruskal_rank = -1;
}

/* Makes (inst, rows, cols, det, p) the certificate's witness. */
static void
keep_witness(genrank_cert_t cert, const genrank_instance_t inst, const slong *rows,
             const slong *cols, slong r, ulong det, ulong p)
{
    slong m = inst->m, d = inst->d, n = inst->n;
    if (cert->rank >= 0)
        genrank_instance_clear(cert->inst);
    if (inst->phi == GENRANK_PHI_POLY)
        genrank_instance_init(cert->inst, inst->family, m, d, n, inst->coeffs, inst->len);
    else
        genrank_instance_init_phi(cert->inst, inst->family, m, d, n, inst->phi, inst->q);
    _fmpz_vec_set(cert->inst->A, inst->A, m * d);
    _fmpz_vec_set(cert->inst->B, inst->B, n * d);
    cert->inst->t0 = inst->t0;
    cert->inst->i0 = inst->i0;
    memcpy(cert->rows, rows, r * sizeof(slong));
    memcpy(cert->cols, cols, r * sizeof(slong));
    cert->rank = r;
    cert->det = det;
    cert->prime = p;
}

/* Room for the witness of an nr x nc matrix, in the certificate and in
   the caller's scratch arrays. */
static void
witness_alloc(genrank_cert_t cert, slong **rows, slong **cols, slong nr, slong nc)
{
    slong maxr = FLINT_MIN(nr, nc);
    *rows = flint_malloc(FLINT_MAX(maxr, 1) * sizeof(slong));
    *cols = flint_malloc(FLINT_MAX(maxr, 1) * sizeof(slong));
    cert->rows = flint_malloc(FLINT_MAX(maxr, 1) * sizeof(slong));
    cert->cols = flint_malloc(FLINT_MAX(maxr, 1) * sizeof(slong));
    cert->rank = -1;
}

int
_genrank_prime_bits(int method, slong nr, slong nc)
{
    if (method == GENRANK_METHOD_COMPACT)
        return GENRANK_COMPACT_PRIME_BITS;
    return (method != GENRANK_METHOD_FLINT && genrank_have_blas()
            && (method == GENRANK_METHOD_BLAS || FLINT_MIN(nr, nc) >= GENRANK_BLAS_CUTOFF))
           ? GENRANK_BLAS_PRIME_BITS : 62;
}

static int
check_common_opts(const genrank_prove_opts_t *opts, const genrank_spec_t *spec,
                  genrank_err_t *err)
{
    if ((int) spec->family < 0 || spec->family >= GENRANK_FAMILY_COUNT)
        return genrank_err_set(err, GENRANK_EINVAL, "not a matrix family");
    if (spec->m < 1 || spec->d < 1 || spec->n < 1)
        return genrank_err_set(err, GENRANK_EINVAL, "m, d and n must be at least 1");
    if (opts->trials < 1)
        return genrank_err_set(err, GENRANK_EINVAL, "trials must be at least 1");
    if (opts->range < 1 || opts->range > (UINT64_C(1) << 62))
        return genrank_err_set(err, GENRANK_EINVAL, "range must be in [1, 2^62]");
    if (opts->prime == 0 && opts->prime_bits != 0
        && (opts->prime_bits < 3 || opts->prime_bits > 63))
        return genrank_err_set(err, GENRANK_EINVAL, "prime bits must be in [3, 63]");
    if (opts->method == GENRANK_METHOD_COMPACT
        && (opts->prime >= GENRANK_COMPACT_PRIME_MAX || opts->prime_bits > GENRANK_COMPACT_PRIME_BITS))
        return genrank_err_set(err, GENRANK_EINVAL, "the compact kernel needs a prime below 2^16");
    if (genrank_family_nrows(spec->family, spec->m, spec->d) < 0)
        return genrank_err_set(err, GENRANK_ENOMEM,
            "m*d = %ld*%ld rows does not fit in memory", (long) spec->m, (long) spec->d);
    return 0;
}

static int
check_memory(size_t need, slong nr, slong nc, genrank_err_t *err)
{
    size_t have = genrank_memory_available();
    if (need > have)
        return genrank_err_set(err, GENRANK_ENOMEM,
            "the %ld x %ld matrix and its point need about %.2f GiB but only %.2f GiB of memory is available",
            (long) nr, (long) nc, need / 1073741824.0, have / 1073741824.0);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Named phi: the exact route (modulo p at t0) and the ball route       */

/* A prime for the exact route: odd, prime to q, = 1 mod 4 for the trig
   class (so that -1 has a square root).  0 when p fails, else 1. */
int
_genrank_exact_prime_ok(ulong p, const fmpz_t q, int cls)
{
    return p > 2 && n_is_prime(p) && fmpz_fdiv_ui(q, p) != 0
           && (cls != GENRANK_CLASS_TRIG || p % 4 == 1);
}

/* Draws of t0 per prime before giving the prime up. */

/* One trial of the exact route at inst's point: draws t0 (and sets i0)
   until no denominator vanishes.  Returns the rank, -1 when the method
   cannot be used, -2 when every t0 drawn made a denominator vanish. */
slong
_genrank_exact_trial(slong *rows, slong *cols, ulong *det, genrank_instance_t inst, ulong p,
            genrank_rng_t *rng, int method, genrank_solve_t *sv)
{
    slong r = -2, a;
    inst->i0 = (genrank_phi_class(inst->phi) == GENRANK_CLASS_TRIG)
               ? n_sqrtmod(p - 1, p) : 0;
    for (a = 0; a < T0_ATTEMPTS && r == -2; a++)
    {
        inst->t0 = 1 + genrank_rng_below(rng, p - 1);
        r = genrank_instance_rank_witness_solve(rows, cols, det, inst, p, method, sv);
    }
    return r;
}

size_t
_genrank_ball_memory(genrank_family_t family, slong m, slong d, slong n, slong prec)
{
    double nr = (double) genrank_family_nrows(family, m, d);
    double b = 2.0 * nr * (double) n * (48.0 + (double) prec / 4.0)
               + ((double) m + (double) n) * (double) d * sizeof(fmpz);   /* the point */
    return (nr < 0 || b >= (double) SIZE_MAX) ? SIZE_MAX : (size_t) b;
}

size_t
_genrank_exact_memory(genrank_family_t family, slong m, slong d, slong n)
{
    size_t b = _genrank_prove_memory(family, m, d, n);
    return b > SIZE_MAX / 2 ? SIZE_MAX : 2 * b;
}

/* ------------------------------------------------------------------ */
/* One entry point: the route is a strategy                             */

/* How phi is certified: modulo p for a polynomial (ROUTE_POLY), modulo p
   at a residue t0 of t = e^(1/q) for a named phi (exact), or in balls. */
enum { ROUTE_POLY = -1 };

/* One trial's witness beyond rows and cols; the fast section's vectors
   (sv.X, sv.k of them; NULL without). */
typedef struct strategy_struct strategy_t;

typedef struct {
    ulong p, det;
    slong prec;
    char *det_str;
    genrank_solve_t sv;
    const genrank_instance_struct *inst;   /* the challenge's statement */
    _genrank_point_record_t rec;
} trial_t;

/* The fast section's challenge for the certificate this trial would
   give (cert/rank.c derives it from the statement's text). */
static int
trial_challenge(ulong *C, slong k, const slong *rows, const slong *cols, slong r, ulong det,
                ulong p, void *ctx)
{
    const trial_t *w = ctx;
    return _genrank_cert_rank_challenge(C, k, w->inst, &w->rec, rows, cols, r, det, p);
}

struct strategy_struct {
    const genrank_prove_opts_t *opts;
    int route, cls, bits;
    int method;               /* opts->method, or compact when auto must */
    genrank_rng_t rng;
    uint64_t point_seed;      /* the last point's seed (opts->point_by_seed) */
    /* one trial: a point (and a prime), the rank *rank of the family's
       matrix there with its witness (-2: none, a denominator vanished at
       every t0 drawn), or an error */
    int (*trial)(strategy_t *st, genrank_instance_t inst, slong *rows, slong *cols,
                 trial_t *w, slong *rank, genrank_err_t *err);
};

/* The solve request of a trial at inst modulo p, or NULL when the
   options ask for no fast section. */
static genrank_solve_t *
trial_solve(trial_t *w, const strategy_t *st, genrank_instance_t inst, ulong p)
{
    if (!st->opts->fast)
        return NULL;
    w->inst = inst;
    w->rec.by_seed = st->opts->point_by_seed && st->opts->point == NULL;
    w->rec.seed = st->point_seed;
    w->rec.range = st->opts->range;
    w->sv.k = _genrank_challenge_count(p);
    w->sv.challenge = trial_challenge;
    w->sv.ctx = w;
    w->sv.X = NULL;
    return &w->sv;
}

/* The trial's point: drawn, or the given one (already in inst). */
static void
draw_point(strategy_t *st, genrank_instance_t inst)
{
    genrank_rng_t own;
    if (st->opts->point != NULL)
        return;
    if (!st->opts->point_by_seed)
    {
        genrank_instance_random_point(inst, &st->rng, st->opts->range);
        return;
    }
    st->point_seed = genrank_rng_next(&st->rng);
    genrank_rng_seed(&own, st->point_seed);
    genrank_instance_random_point(inst, &own, st->opts->range);
}

/* r: the kernel's negative return (-4: its checkpoint could not be read) */
static int
kernel_error(const strategy_t *st, slong r, genrank_err_t *err)
{
    if (r == -4)
        return genrank_err_set(err, GENRANK_EIO, "the checkpoint of this matrix could not be read");
    return genrank_err_set(err, GENRANK_EINVAL, st->method == GENRANK_METHOD_COMPACT
                           ? "the compact kernel needs a CBLAS build and a prime below 2^16"
                           : "the BLAS kernel needs a CBLAS build and a prime below 2^24");
}

/* Polynomial phi: a prime sparing every denominator, then the point. */
static int
trial_poly(strategy_t *st, genrank_instance_t inst, slong *rows, slong *cols, trial_t *w,
           slong *rank, genrank_err_t *err)
{
    slong r;
    ulong p = st->opts->prime;
    while (p == 0)
    {
        p = genrank_random_prime(&st->rng, st->bits);
        if (genrank_prime_check(p, inst->coeffs, inst->len, NULL) != 0)
            p = 0;
    }
    draw_point(st, inst);
    r = genrank_instance_rank_witness_solve(rows, cols, &w->det, inst, p, st->method,
                                            trial_solve(w, st, inst, p));
    w->p = p;
    *rank = r;
    if (r < 0)
        return kernel_error(st, r, err);
    return 0;
}

/* Named phi, exact route: the point first (as the ball route), then a
   prime for phi's class and residues t0 until no denominator vanishes.
   0 (no witness: every t0 drawn made a denominator vanish) when the
   prime is drawn (*rank = -2), so the next trial draws another. */
static int
trial_exact(strategy_t *st, genrank_instance_t inst, slong *rows, slong *cols, trial_t *w,
            slong *rank, genrank_err_t *err)
{
    slong r;
    ulong p = st->opts->prime;
    draw_point(st, inst);
    while (p == 0)
    {
        p = genrank_random_prime(&st->rng, st->bits);
        if (!_genrank_exact_prime_ok(p, inst->q, st->cls))
            p = 0;
    }
    r = _genrank_exact_trial(rows, cols, &w->det, inst, p, &st->rng, st->method,
                             trial_solve(w, st, inst, p));
    w->p = p;
    *rank = r;
    if (r == -1 || r == -4)
        return kernel_error(st, r, err);
    if (r == -2 && st->opts->prime != 0)
        return genrank_err_set(err, GENRANK_EINVAL,
            "a denominator of %s vanishes modulo %lu for each of %d residues t0 tried; "
            "use a larger prime", genrank_phi_name(inst->phi), (unsigned long) p, T0_ATTEMPTS);
    return 0;
}

/* Named phi, ball route: the point, then Arb. */
static int
trial_ball(strategy_t *st, genrank_instance_t inst, slong *rows, slong *cols, trial_t *w,
           slong *rank, genrank_err_t *err)
{
    slong r;
    draw_point(st, inst);
    r = genrank_instance_rank_witness_ball(rows, cols, &w->prec, &w->det_str, inst,
                                           st->opts->max_prec);
    *rank = r;
    if (r < 0)
        return genrank_err_set(err, GENRANK_EINVAL,
            "ball route: the witness minor's determinant still contains 0 at %ld bits; "
            "raise the maximal precision", (long) st->opts->max_prec);
    return 0;
}

/* The route for spec and opts (named phi: as asked, or exact when phi's
   class allows, else ball), with the checks each route needs. */
static int
choose_route(strategy_t *st, const genrank_spec_t *spec, const fmpz_t q, genrank_err_t *err)
{
    const genrank_prove_opts_t *opts = st->opts;
    genrank_phi_t phi = spec->phi;
    if (phi == GENRANK_PHI_POLY)
    {
        st->route = ROUTE_POLY;
        st->trial = trial_poly;
        if (spec->len < 1 || spec->coeffs == NULL)
            return genrank_err_set(err, GENRANK_EINVAL, "a polynomial phi needs at least one coefficient");
        if (opts->prime != 0 && genrank_prime_check(opts->prime, spec->coeffs, spec->len, err))
            return GENRANK_EINVAL;
        return 0;
    }
    if (phi < GENRANK_PHI_POLY || phi >= GENRANK_PHI_COUNT)
        return genrank_err_set(err, GENRANK_EINVAL, "not a named activation");
    st->cls = genrank_phi_class(phi);
    if (st->cls == GENRANK_CLASS_SIGN)
        return genrank_err_set(err, GENRANK_EINVAL,
            "%s is not analytic: Theorems 4.4 / 4.5 do not apply (genrank capacity uses it)",
            genrank_phi_name(phi));
    st->route = opts->route;
    if (st->route == GENRANK_ROUTE_AUTO)
        st->route = (st->cls == GENRANK_CLASS_BALL) ? GENRANK_ROUTE_BALL : GENRANK_ROUTE_EXACT;
    if (st->route == GENRANK_ROUTE_EXACT && st->cls == GENRANK_CLASS_BALL)
        return genrank_err_set(err, GENRANK_EINVAL,
            "%s is not a rational function of x and e^x or e^(ix): it has only the ball route",
            genrank_phi_name(phi));
    if (st->route == GENRANK_ROUTE_BALL && (opts->max_prec < 64 || opts->max_prec > (WORD(1) << 24)))
        return genrank_err_set(err, GENRANK_EINVAL, "the maximal precision must be in [64, 2^24] bits");
    if (st->route == GENRANK_ROUTE_EXACT && opts->prime != 0 && !_genrank_exact_prime_ok(opts->prime, q, st->cls))
        return genrank_err_set(err, GENRANK_EINVAL,
            "the prime %lu must be odd, prime to q%s", (unsigned long) opts->prime,
            st->cls == GENRANK_CLASS_TRIG ? " and = 1 mod 4 (for a square root of -1)" : "");
    st->trial = st->route == GENRANK_ROUTE_BALL ? trial_ball : trial_exact;
    return 0;
}

/* The rank the trials aim at: the best known upper bound (the corrected
   value where a theorem gives one, else the prediction). */
static slong
target_rank(const genrank_formula_t f)
{
    const fmpz *t = f->predicted;
    if (f->has_corrected && fmpz_cmp(f->corrected, t) < 0)
        t = f->corrected;
    if (f->has_bound && fmpz_cmp(f->bound, t) < 0)
        t = f->bound;
    return fmpz_get_si(t);   /* <= min(nr, nc), fits */
}

/* Keeps trial w as the certificate's witness when it beats the best. */
static void
keep_trial(genrank_cert_t cert, const genrank_instance_t inst, const slong *rows,
           const slong *cols, slong r, trial_t *w)
{
    if (r <= cert->rank)
        return;
    keep_witness(cert, inst, rows, cols, r, w->det, w->p);
    cert->precision = w->prec;
    flint_free(cert->ball_det);
    cert->ball_det = w->det_str;
    w->det_str = NULL;
    flint_free(cert->fast_X);
    cert->fast_X = w->sv.X;
    cert->fast_k = w->sv.X != NULL ? w->sv.k : 0;
    w->sv.X = NULL;
}

/* The trials: fresh points (and primes) until the target is reached or
   opts->trials are spent. */
static int
run_trials(genrank_cert_t cert, strategy_t *st, genrank_instance_t inst, slong target,
           genrank_err_t *err)
{
    slong nr = genrank_instance_nrows(inst), nc = genrank_instance_ncols(inst), trial, r;
    slong *rows, *cols;
    int rc = 0;
    witness_alloc(cert, &rows, &cols, nr, nc);
    for (trial = 0; trial < st->opts->trials; trial++)
    {
        trial_t w;
        memset(&w, 0, sizeof w);
        rc = st->trial(st, inst, rows, cols, &w, &r, err);
        if (rc != 0)
        {
            flint_free(w.det_str);
            flint_free(w.sv.X);
            break;
        }
        if (st->opts->progress)
        {
            if (st->route == ROUTE_POLY)
                fprintf(stderr, "genrank: trial %ld: rank %ld modulo %lu (target %ld)\n",
                        (long) trial + 1, (long) r, (unsigned long) w.p, (long) target);
            else
                fprintf(stderr, "genrank: trial %ld: rank %ld %s (target %ld)\n",
                        (long) trial + 1, (long) r,
                        st->route == GENRANK_ROUTE_BALL ? "in ball arithmetic" : "modulo p", (long) target);
        }
        if (r > cert->rank)
            cert->point_seed = st->point_seed;
        keep_trial(cert, inst, rows, cols, r, &w);
        flint_free(w.det_str);
        flint_free(w.sv.X);
        cert->trials = trial + 1;
        if (cert->rank >= target)
            break;
    }
    flint_free(rows);
    flint_free(cols);
    if (rc == 0 && cert->rank < 0)
        rc = genrank_err_set(err, GENRANK_EINVAL,
            "a denominator of %s vanished modulo every prime drawn; use larger primes",
            genrank_phi_name(inst->phi));
    return rc;
}

/* The instance of spec, with q = opts->denominator (range^2 when 0) for
   a named phi. */
static void
spec_instance(genrank_instance_t inst, const genrank_spec_t *spec, const fmpz_t q,
              const genrank_point_struct *P)
{
    slong k;
    if (spec->phi == GENRANK_PHI_POLY)
        genrank_instance_init(inst, spec->family, spec->m, spec->d, spec->n, spec->coeffs, spec->len);
    else
        genrank_instance_init_phi(inst, spec->family, spec->m, spec->d, spec->n, spec->phi, q);
    if (P != NULL)
    {
        for (k = 0; k < spec->m * spec->d; k++)
            fmpz_set(inst->A + k, P->A + k);
        for (k = 0; k < spec->n * spec->d; k++)
            fmpz_set(inst->B + k, P->B + k);
    }
}

/* A given point's phi: psi(u) = sum c_k u^k / Q^k for a polynomial
   (coefficients into *psi, new), q = Q for a named phi; spec2 is spec
   with psi.  0, or GENRANK_EINVAL when the sizes differ. */
static int
point_spec(genrank_spec_t *spec2, fmpq **psi, fmpz_t q, const genrank_spec_t *spec,
           const genrank_point_struct *P, genrank_err_t *err)
{
    fmpz_t Q, Qk;
    slong k;
    *spec2 = *spec;
    *psi = NULL;
    if (P == NULL)
        return 0;
    if (P->m != spec->m || P->d != spec->d || P->n != spec->n)
        return genrank_err_set(err, GENRANK_EINVAL, "the given point has m = %ld, d = %ld, n = %ld, "
                               "not the sizes asked for (%ld, %ld, %ld)", (long) P->m, (long) P->d,
                               (long) P->n, (long) spec->m, (long) spec->d, (long) spec->n);
    fmpz_init(Q);
    fmpz_init_set_ui(Qk, 1);
    fmpz_mul(Q, P->qa, P->qb);
    if (spec->phi == GENRANK_PHI_POLY && spec->coeffs != NULL && spec->len >= 1)
    {
        *psi = _fmpq_vec_init(spec->len);
        for (k = 0; k < spec->len; k++)
        {
            fmpq_div_fmpz(*psi + k, spec->coeffs + k, Qk);
            fmpz_mul(Qk, Qk, Q);
        }
        spec2->coeffs = *psi;
    }
    else
        fmpz_set(q, Q);
    fmpz_clear(Qk);
    fmpz_clear(Q);
    return 0;
}

int
genrank_prove_spec(genrank_cert_t cert, const genrank_spec_t *spec,
                   const genrank_prove_opts_t *opts, genrank_err_t *err)
{
    strategy_t st;
    genrank_instance_t inst;
    genrank_spec_t given;
    fmpq *psi = NULL;
    fmpz_t q;
    slong nr, nc;
    size_t need;
    double t0 = _genrank_seconds();
    int rc;

    memset(&st, 0, sizeof st);
    st.opts = opts;
    if ((rc = check_common_opts(opts, spec, err)) != 0)
        return rc;
    fmpz_init(q);
    if (opts->denominator != 0)
        fmpz_set_ui(q, opts->denominator);
    else
    {
        fmpz_set_ui(q, opts->range);
        fmpz_mul(q, q, q);
    }
    if ((rc = point_spec(&given, &psi, q, spec, opts->point, err)) != 0)
    {
        fmpz_clear(q);
        return rc;
    }
    spec = &given;
    if ((rc = choose_route(&st, spec, q, err)) != 0
        || (rc = _genrank_family(spec->family)->formula(cert->formula, spec, err)) != 0)
    {
        fmpz_clear(q);
        if (psi != NULL)
            _fmpq_vec_clear(psi, spec->len);
        return rc;
    }
    /* the memory from the sizes, before the point is allocated */
    nr = genrank_family_nrows(spec->family, spec->m, spec->d);
    nc = spec->n;
    need = st.route == GENRANK_ROUTE_BALL ? _genrank_ball_memory(spec->family, spec->m, spec->d, nc, opts->max_prec)
           : st.route == GENRANK_ROUTE_EXACT ? _genrank_exact_memory(spec->family, spec->m, spec->d, nc)
           : _genrank_prove_memory(spec->family, spec->m, spec->d, nc);
    st.method = opts->method;
    if (st.route != GENRANK_ROUTE_BALL)
    {
        /* the compact kernel when asked for, or when only its 16-bit
           layout fits and the prime allows it */
        size_t compact = _genrank_prove_memory_compact(spec->family, spec->m, spec->d, nc);
        if (st.route == GENRANK_ROUTE_EXACT)
            compact = compact > SIZE_MAX / 2 ? SIZE_MAX : 2 * compact;
        if (st.method == GENRANK_METHOD_AUTO && need > genrank_memory_available()
            && compact <= genrank_memory_available() && genrank_have_blas()
            && (opts->prime != 0 ? opts->prime < GENRANK_COMPACT_PRIME_MAX
                                 : opts->prime_bits <= GENRANK_COMPACT_PRIME_BITS))
            st.method = GENRANK_METHOD_COMPACT;
        if (st.method == GENRANK_METHOD_COMPACT)
            need = compact;
    }
    if ((rc = check_memory(need, nr, nc, err)) != 0)
    {
        fmpz_clear(q);
        if (psi != NULL)
            _fmpq_vec_clear(psi, spec->len);
        return rc;
    }
    spec_instance(inst, spec, q, opts->point);
    fmpz_clear(q);
    if (psi != NULL)
        _fmpq_vec_clear(psi, spec->len);
    if (opts->point != NULL)
    {
        cert->point_given = 1;
        fmpz_set(cert->point_qa, opts->point->qa);
        fmpz_set(cert->point_qb, opts->point->qb);
    }
    cert->seed = opts->seed;
    cert->range = opts->range;
    cert->point_by_seed = opts->point_by_seed && opts->point == NULL;
    cert->route = st.route == ROUTE_POLY ? 0 : st.route;
    genrank_rng_seed(&st.rng, opts->seed);
    st.bits = opts->prime_bits != 0 ? opts->prime_bits : _genrank_prime_bits(st.method, nr, nc);
    cert->prime_bits = (st.route == GENRANK_ROUTE_BALL || (st.route == GENRANK_ROUTE_EXACT && opts->prime != 0))
                       ? 0 : st.bits;
    rc = run_trials(cert, &st, inst, target_rank(cert->formula), err);
    genrank_instance_clear(inst);
    if (rc != 0)
        return rc;
    cert->max_rank_seen = cert->rank;
    if (st.route == ROUTE_POLY && opts->point == NULL)
        _genrank_evidence(cert, opts);
    else
    {
        /* no probability bound: an analytic minor has no degree to bound */
        cert->prime_fixed = (opts->prime != 0);
        cert->degree_bound = 0;
        cert->per_trial_bound = 1.0;
        cert->probability_bound = 1.0;
    }
    cert->seconds = _genrank_seconds() - t0;
    return 0;
}

int
genrank_prove(genrank_cert_t cert, genrank_family_t family, slong m, slong d, slong n,
              const fmpq *coeffs, slong len, const genrank_prove_opts_t *opts, genrank_err_t *err)
{
    genrank_spec_t spec = {family, m, d, n, GENRANK_PHI_POLY, coeffs, len};
    return genrank_prove_spec(cert, &spec, opts, err);
}

int
genrank_prove_phi(genrank_cert_t cert, genrank_family_t family, slong m, slong d, slong n,
                  genrank_phi_t phi, const genrank_prove_opts_t *opts, genrank_err_t *err)
{
    genrank_spec_t spec = {family, m, d, n, phi, NULL, 0};
    if (phi == GENRANK_PHI_POLY)
        return genrank_err_set(err, GENRANK_EINVAL, "not a named activation");
    return genrank_prove_spec(cert, &spec, opts, err);
}
