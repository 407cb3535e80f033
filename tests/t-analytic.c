/* Named analytic activations: the definitions against libm and against
   identities, the exact and ball routes against each other, Theorems 4.4
   and 4.5 on random instances, tampering, vanishing denominators, huge
   exponents, and the floating-point rank. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <arb.h>
#include <flint/ulong_extras.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpz_vec.h>
#include "genrank.h"
#include "internal.h"
#include "tap.h"

static genrank_rng_t rng;

static ulong
rnd(ulong bound)
{
    return genrank_rng_below(&rng, bound);
}

static char tmpl[] = "/tmp/t-analytic-XXXXXX";
static char path[64];

/* Proves and writes the certificate to path; returns the rank or -1. */
static slong
prove_to_file(genrank_family_t fam, slong m, slong d, slong n, genrank_phi_t phi,
              const genrank_prove_opts_t *o, genrank_cert_t cert)
{
    genrank_err_t e;
    genrank_cert_init(cert);
    if (genrank_prove_phi(cert, fam, m, d, n, phi, o, &e) != 0)
    {
        TAP_DIAG("prove failed: %s", e.msg);
        return -1;
    }
    if (genrank_cert_write(cert, path, &e) != 0)
        return -1;
    return cert->rank;
}

static int
verifies(const char *json_text)
{
    genrank_err_t e;
    return genrank_verify_string(json_text, NULL, &e) == 0;
}


/* The certificate with one field of the witness (or the top level when
   in_witness is 0) replaced by v (stolen). */
static char *
tamper(const char *text, int in_witness, const char *key, json_t *v)
{
    json_error_t je;
    json_t *root = json_loads(text, 0, &je), *obj;
    char *out;
    obj = in_witness ? json_object_get(root, "witness") : root;
    json_object_set_new(obj, key, v);
    out = json_dumps(root, 0);
    json_decref(root);
    return out;
}

static void
test_arb_against_libm(void)
{
    int k, i, ok = 1;
    arb_t x, y;
    arb_init(x);
    arb_init(y);
    for (k = 1; k < GENRANK_PHI_STEP; k++)
        for (i = 0; i < tap_iters(200); i++)
        {
            /* x = a / 2^20 in [-6, 6] */
            slong a = (slong) rnd(12 * (1 << 20) + 1) - 6 * (1 << 20);
            double xd = ldexp((double) a, -20), ref, got;
            arb_set_si(x, a);
            arb_mul_2exp_si(x, x, -20);
            _genrank_phi_arb(y, (genrank_phi_t) k, x, 128);
            got = arf_get_d(arb_midref(y), ARF_RND_NEAR);
            ref = genrank_phi_double((genrank_phi_t) k, xd);
            if (!(fabs(got - ref) <= 1e-12 * fmax(1.0, fabs(ref)))
                || arb_rel_accuracy_bits(y) < 64)
            {
                if (ok)
                    TAP_DIAG("%s(%g): Arb %.17g, libm %.17g", genrank_phi_name(k), xd, got, ref);
                ok = 0;
            }
        }
    arb_clear(x);
    arb_clear(y);
    TAP_OK(ok, "every named phi in Arb at 128 bits agrees with libm to 1e-12 on [-6, 6], balls at least 64 bits accurate");
}

/* phi modulo p, with T = t0^u for an integer u (q = 1, x = u). */
static int
val(ulong *y, genrank_phi_t phi, slong u, ulong t0, ulong i0, nmod_t mod)
{
    ulong x = (u >= 0) ? (ulong) u % mod.n : nmod_neg((ulong) (-u) % mod.n, mod);
    ulong e = (u >= 0) ? (ulong) u % (mod.n - 1) : (mod.n - 1) - (ulong) (-u) % (mod.n - 1);
    ulong T = n_powmod2_ui_preinv(t0, e, mod.n, mod.ninv);
    return _genrank_phi_nmod(y, phi, x, T, i0, mod);
}

static void
test_identities_mod_p(void)
{
    int i, ok = 1, checked = 0;
    for (i = 0; i < tap_iters(2000); i++)
    {
        ulong p, t0, i0, a, b, c, d2, one;
        slong u = (slong) rnd(2001) - 1000;
        nmod_t mod;
        do
            p = genrank_random_prime(&rng, (int) rnd(40) + 20);
        while (p % 4 != 1);
        nmod_init(&mod, p);
        one = 1;
        t0 = 1 + rnd(p - 1);
        i0 = n_sqrtmod(p - 1, p);
        /* each identity is checked only where every value is defined */
        if (val(&a, GENRANK_PHI_TANH, u, t0, i0, mod) && val(&b, GENRANK_PHI_DTANH, u, t0, i0, mod))
            ok &= (b == nmod_sub(one, nmod_mul(a, a, mod), mod)), checked++;
        if (val(&a, GENRANK_PHI_SIGMOID, u, t0, i0, mod) && val(&b, GENRANK_PHI_DSIGMOID, u, t0, i0, mod)
            && val(&c, GENRANK_PHI_SIGMOID, -u, t0, i0, mod))
        {
            ok &= (b == nmod_mul(a, nmod_sub(one, a, mod), mod));  /* s' = s (1 - s) */
            ok &= (nmod_add(a, c, mod) == one);                   /* s(x) + s(-x) = 1 */
            checked++;
        }
        if (val(&a, GENRANK_PHI_SIGMOID, u, t0, i0, mod) && val(&b, GENRANK_PHI_SILU, u, t0, i0, mod)
            && val(&c, GENRANK_PHI_DSILU, u, t0, i0, mod) && val(&d2, GENRANK_PHI_DSIGMOID, u, t0, i0, mod))
        {
            ulong x = (u >= 0) ? (ulong) u % p : nmod_neg((ulong) (-u) % p, mod);
            ok &= (b == nmod_mul(x, a, mod));                     /* silu = x s */
            ok &= (c == nmod_add(a, nmod_mul(x, d2, mod), mod)); /* silu' = s + x s' */
            checked++;
        }
        if (val(&a, GENRANK_PHI_COSH, u, t0, i0, mod) && val(&b, GENRANK_PHI_SINH, u, t0, i0, mod))
            ok &= (nmod_sub(nmod_mul(a, a, mod), nmod_mul(b, b, mod), mod) == one), checked++;
        if (val(&a, GENRANK_PHI_COS, u, t0, i0, mod) && val(&b, GENRANK_PHI_SIN, u, t0, i0, mod)
            && val(&c, GENRANK_PHI_DCOS, u, t0, i0, mod))
        {
            ok &= (nmod_add(nmod_mul(a, a, mod), nmod_mul(b, b, mod), mod) == one);
            ok &= (c == nmod_neg(b, mod));
            checked++;
        }
        if (val(&a, GENRANK_PHI_EXP, u, t0, i0, mod) && val(&b, GENRANK_PHI_EXP, -u, t0, i0, mod)
            && val(&c, GENRANK_PHI_TANH, u, t0, i0, mod) && val(&d2, GENRANK_PHI_SIGMOID, 2 * u, t0, i0, mod))
        {
            ok &= (nmod_mul(a, b, mod) == one);
            ok &= (c == nmod_sub(nmod_add(d2, d2, mod), one, mod));   /* tanh = 2 s(2x) - 1 */
            checked++;
        }
    }
    TAP_OK(ok && checked > 0, "exact-route values modulo p satisfy tanh' = 1 - tanh^2, "
           "s' = s(1-s), s(x) + s(-x) = 1, silu = x s, silu' = s + x s', cosh^2 - sinh^2 = 1, "
           "sin^2 + cos^2 = 1, cos' = -sin, e^x e^-x = 1, tanh = 2 s(2x) - 1 (%d checks)", checked);
}

static void
test_routes_agree(void)
{
    static const genrank_phi_t phis[] = {GENRANK_PHI_EXP, GENRANK_PHI_SIGMOID, GENRANK_PHI_TANH,
                                         GENRANK_PHI_DTANH, GENRANK_PHI_SIN, GENRANK_PHI_SILU};
    int i, ok = 1, same_point = 1, valid = 1;
    for (i = 0; i < tap_iters(36); i++)
    {
        genrank_phi_t phi = phis[i % 6];
        genrank_family_t fam = (i / 6) % 2 ? GENRANK_KHATRI_RAO : GENRANK_HADAMARD;
        slong m = 1 + rnd(8), d = 1 + rnd(4), n = 1 + rnd(30), re, rb;
        genrank_prove_opts_t o;
        genrank_cert_t ce, cb;
        char *t;
        genrank_prove_opts_init(&o);
        o.seed = rnd(UWORD(1) << 40);
        o.route = GENRANK_ROUTE_EXACT;
        re = prove_to_file(fam, m, d, n, phi, &o, ce);
        t = slurp(path);
        valid &= (t != NULL && verifies(t));
        free(t);
        o.route = GENRANK_ROUTE_BALL;
        rb = prove_to_file(fam, m, d, n, phi, &o, cb);
        t = slurp(path);
        valid &= (t != NULL && verifies(t));
        free(t);
        if (re < 0 || re != rb)
        {
            TAP_DIAG("%s %s m=%ld d=%ld n=%ld: exact %ld, ball %ld", genrank_phi_name(phi),
                     genrank_family_name(fam), (long) m, (long) d, (long) n, (long) re, (long) rb);
            ok = 0;
        }
        if (re >= 0 && rb >= 0)
            same_point &= _fmpz_vec_equal(ce->inst->A, cb->inst->A, m * d)
                          && _fmpz_vec_equal(ce->inst->B, cb->inst->B, n * d)
                          && fmpz_equal(ce->inst->q, cb->inst->q);
        genrank_cert_clear(ce);
        genrank_cert_clear(cb);
    }
    TAP_OK(same_point, "the same seed gives the same point (A / q, B) on both routes");
    TAP_OK(ok, "exact and ball routes certify the same rank (exp, sigmoid, tanh, tanh', sin, silu)");
    TAP_OK(valid, "every certificate of both routes verifies");
}

/* Theorems 4.4 and 4.5 (Madden and Thrampoulidis, arXiv:2308.02001): for phi
   real analytic and not a polynomial the generic rank is min(m, n)
   (hadamard) and min(md, n) (khatri-rao).  A certificate proves a lower
   bound, and min(rows, n) is also the trivial upper bound. */
static void
test_theorems_4_4_4_5(void)
{
    int i, ok = 1, cases = 0;
    for (i = 0; i < tap_iters(120); i++)
    {
        genrank_phi_t phi = (genrank_phi_t) (1 + i % (GENRANK_PHI_STEP - 1));
        genrank_family_t fam = (i / (GENRANK_PHI_STEP - 1)) % 2 ? GENRANK_KHATRI_RAO : GENRANK_HADAMARD;
        int ball = genrank_phi_class(phi) == GENRANK_CLASS_BALL;
        slong m = 1 + rnd(ball ? 6 : 12), d = 1 + rnd(ball ? 3 : 6), n = 1 + rnd(ball ? 24 : 60);
        slong target = FLINT_MIN(fam == GENRANK_HADAMARD ? m : m * d, n);
        genrank_prove_opts_t o;
        genrank_cert_t c;
        genrank_err_t e;
        genrank_prove_opts_init(&o);
        o.seed = rnd(UWORD(1) << 40);
        o.trials = 3;
        genrank_cert_init(c);
        if (genrank_prove_phi(c, fam, m, d, n, phi, &o, &e) != 0 || c->rank != target
            || fmpz_cmp_si(c->formula->predicted, target) != 0)
        {
            TAP_DIAG("%s %s m=%ld d=%ld n=%ld: rank %ld, target %ld", genrank_phi_name(phi),
                     genrank_family_name(fam), (long) m, (long) d, (long) n, (long) c->rank,
                     (long) target);
            ok = 0;
        }
        cases++;
        genrank_cert_clear(c);
    }
    TAP_OK(ok, "Theorem 4.4 / 4.5 values reached for every named phi (%d random instances)", cases);
}

static void
test_tampering(void)
{
    genrank_prove_opts_t o;
    genrank_cert_t c;
    char *t, *bad;
    int ok;
    genrank_prove_opts_init(&o);
    o.seed = 11;
    /* the determinant's checks: some changes below keep the minor valid,
       but any change to the statement changes the fast section's
       challenge (tested in t-fast), so these certificates go without it */
    o.fast = 0;
    /* exact route, trig class (has i0) */
    prove_to_file(GENRANK_KHATRI_RAO, 3, 2, 6, GENRANK_PHI_SIN, &o, c);
    t = slurp(path);
    TAP_OK(verifies(t), "an exact-route sin certificate verifies");
    bad = tamper(t, 1, "t0", json_integer((json_int_t) (c->inst->t0 % (c->prime - 1) + 1)));
    TAP_OK(!verifies(bad), "changing t0 is rejected");
    free(bad);
    bad = tamper(t, 1, "prime", json_integer((json_int_t) n_nextprime(c->prime, 1)));
    TAP_OK(!verifies(bad), "changing the prime is rejected");
    free(bad);
    {
        /* i -> -i is an automorphism: every sin entry changes sign, so
           the certificate holds with det multiplied by (-1)^r */
        char *b2;
        ulong dneg = (c->rank % 2) ? c->prime - c->det : c->det;
        bad = tamper(t, 1, "i0", json_integer((json_int_t) (c->prime - c->inst->i0)));
        b2 = tamper(bad, 1, "det_mod_p", json_integer((json_int_t) dneg));
        TAP_OK(verifies(b2), "the other square root of -1 as i0, with det times (-1)^r, verifies");
        free(b2);
        b2 = tamper(bad, 1, "det_mod_p", json_integer((json_int_t) (c->prime - dneg)));
        TAP_OK(!verifies(b2), "... and with the determinant of the wrong sign is rejected");
        free(b2);
        free(bad);
    }
    bad = tamper(t, 1, "i0", json_integer(2));
    TAP_OK(!verifies(bad), "an i0 that is not a square root of -1 is rejected");
    free(bad);
    bad = tamper(t, 0, "phi", json_string("cos"));
    TAP_OK(!verifies(bad), "changing phi is rejected (exact route)");
    free(bad);
    /* sin's entries are rational in T = s^u alone, so the minor is
       nonzero in Q(i)(s) whatever q: the certificate holds for any q */
    bad = tamper(t, 0, "q", json_integer(3));
    TAP_OK(verifies(bad), "sin: the certificate holds for every q (its minor does not involve x)");
    free(bad);
    {
        json_error_t je;
        json_t *root = json_loads(t, 0, &je), *a = json_array_get(json_object_get(root, "A"), 0);
        json_int_t v = json_integer_value(json_array_get(a, 0));
        json_array_set_new(a, 0, json_integer(v + 1));
        bad = json_dumps(root, 0);
        json_decref(root);
        TAP_OK(!verifies(bad), "changing an entry of A is rejected");
        free(bad);
    }
    bad = tamper(t, 0, "coeffs", json_pack("[s]", "1"));
    TAP_OK(!verifies(bad), "a version-2 certificate with coefficients is rejected");
    free(bad);
    bad = tamper(t, 0, "version", json_integer(1));
    TAP_OK(!verifies(bad), "a named-phi certificate labelled version 1 is rejected");
    free(bad);
    free(t);
    genrank_cert_clear(c);

    /* silu involves x = u / q */
    prove_to_file(GENRANK_KHATRI_RAO, 3, 2, 6, GENRANK_PHI_SILU, &o, c);
    t = slurp(path);
    bad = tamper(t, 0, "q", json_integer(3));
    TAP_OK(verifies(t) && !verifies(bad), "silu: changing q is rejected");
    free(bad);
    free(t);
    genrank_cert_clear(c);

    /* ball route */
    o.route = GENRANK_ROUTE_BALL;
    prove_to_file(GENRANK_HADAMARD, 8, 2, 8, GENRANK_PHI_GELU, &o, c);
    t = slurp(path);
    TAP_OK(verifies(t), "a ball-route gelu certificate verifies");
    bad = tamper(t, 0, "phi", json_string("erf"));
    TAP_OK(!verifies(bad), "changing phi is rejected (ball route: the determinant differs)");
    free(bad);
    bad = tamper(t, 1, "precision", json_integer(2));
    ok = !verifies(bad);
    TAP_OK(ok, "a precision too low to separate the determinant from 0 is rejected");
    free(bad);
    bad = tamper(t, 1, "det", json_string("not a number"));
    TAP_OK(!verifies(bad), "a malformed recorded determinant is rejected");
    free(bad);
    bad = tamper(t, 1, "route", json_string("exact"));
    TAP_OK(!verifies(bad), "gelu on the exact route is rejected");
    free(bad);
    free(t);
    genrank_cert_clear(c);
}

static void
test_vanishing_denominators(void)
{
    genrank_instance_t inst;
    fmpz_t q;
    slong rows[1], cols[1], r1, r2;
    ulong det;
    int i, ok = 1, ranks_ok = 1;
    char buf[1024];

    /* sigmoid at x = 1 with t0 = -1 modulo 13: T + 1 = 0 */
    fmpz_init_set_ui(q, 1);
    genrank_instance_init_phi(inst, GENRANK_HADAMARD, 1, 1, 1, GENRANK_PHI_SIGMOID, q);
    fmpz_one(inst->A);
    fmpz_one(inst->B);
    inst->t0 = 12;
    r1 = genrank_instance_rank_witness(rows, cols, &det, inst, 13, GENRANK_METHOD_FLINT);
    inst->phi = GENRANK_PHI_TANH;
    inst->t0 = 5;   /* 5^2 = -1 mod 13: T^2 + 1 = 0 */
    r2 = genrank_instance_rank_witness(rows, cols, &det, inst, 13, GENRANK_METHOD_FLINT);
    TAP_OK(r1 == -2 && r2 == -2, "a denominator vanishing modulo p at t0 is reported, not eliminated");
    genrank_instance_clear(inst);
    fmpz_clear(q);

    snprintf(buf, sizeof buf,
        "{\"format\": \"genrank-certificate\", \"version\": 2, \"family\": \"hadamard\","
        " \"m\": 1, \"d\": 1, \"n\": 1, \"phi\": \"sigmoid\", \"q\": 1, \"A\": [[1]], \"B\": [[1]],"
        " \"rank\": 1, \"predicted\": 1, \"witness\": {\"route\": \"exact\", \"prime\": 13,"
        " \"t0\": 12, \"rows\": [0], \"cols\": [0], \"det_mod_p\": 1}}");
    TAP_OK(!verifies(buf), "a certificate whose minor has a vanishing denominator is rejected");

    /* a tiny prime: most t0 make some denominator vanish; the prover
       redraws t0 and what it writes always verifies */
    for (i = 0; i < tap_iters(30); i++)
    {
        genrank_prove_opts_t o;
        genrank_cert_t c;
        genrank_err_t e;
        char *t;
        int rc;
        genrank_prove_opts_init(&o);
        o.seed = rnd(UWORD(1) << 40);
        o.prime = 13;
        o.denominator = 1;
        o.range = 3;
        genrank_cert_init(c);
        rc = genrank_prove_phi(c, GENRANK_HADAMARD, 3, 1, 3, GENRANK_PHI_SIGMOID, &o, &e);
        if (rc == 0)
        {
            genrank_cert_write(c, path, &e);
            t = slurp(path);
            ok &= verifies(t);
            ranks_ok &= (c->rank <= 3);
            free(t);
        }
        else
            ok &= (e.code == GENRANK_EINVAL && strstr(e.msg, "denominator") != NULL);
        genrank_cert_clear(c);
    }
    TAP_OK(ok && ranks_ok, "modulo 13 the prover redraws t0 (or says why it cannot) and its "
           "certificates verify");
}

static void
test_huge_exponents(void)
{
    int i, ok = 1;
    for (i = 0; i < tap_iters(10); i++)
    {
        genrank_prove_opts_t o;
        genrank_cert_t c;
        slong m = 1 + rnd(5), d = 1 + rnd(4), n = 1 + rnd(20), r;
        genrank_family_t fam = i % 2 ? GENRANK_KHATRI_RAO : GENRANK_HADAMARD;
        char *t;
        genrank_prove_opts_init(&o);
        o.seed = rnd(UWORD(1) << 40);
        o.range = UINT64_C(1) << 62;    /* |u| up to d 2^124 */
        o.denominator = 1 + rnd(1000);
        r = prove_to_file(fam, m, d, n, i % 3 ? GENRANK_PHI_TANH : GENRANK_PHI_COS, &o, c);
        t = slurp(path);
        ok &= (r == FLINT_MIN(fam == GENRANK_HADAMARD ? m : m * d, n)) && verifies(t);
        free(t);
        genrank_cert_clear(c);
    }
    TAP_OK(ok, "entries up to 2^62 with small q (exponents near 2^124) are certified and verified");
}

static void
test_float_rank(void)
{
    int i, ok = 1;
    if (!genrank_have_lapack())
    {
        TAP_OK(1, "# SKIP built without LAPACK");
        return;
    }
    for (i = 0; i < tap_iters(20); i++)
    {
        /* phi = x: H = A B^T has rank min(m, n, d) exactly, and with
           entries in [-9, 9] it is far from singular in double precision */
        fmpq c[2];
        genrank_instance_t inst;
        genrank_rng_t r2;
        slong m = 1 + rnd(12), d = 1 + rnd(5), n = 1 + rnd(12), fr;
        double smax, smin;
        fmpq_init(c);
        fmpq_init(c + 1);
        fmpq_one(c + 1);
        genrank_instance_init(inst, GENRANK_HADAMARD, m, d, n, c, 2);
        genrank_rng_seed(&r2, rnd(1000000));
        genrank_instance_random_point(inst, &r2, 9);
        {
            /* the exact rank of A B^T over Q */
            fmpz_mat_t P, Q, R;
            slong j, l, exact;
            fmpz_mat_init(P, m, d);
            fmpz_mat_init(Q, d, n);
            fmpz_mat_init(R, m, n);
            for (j = 0; j < m * d; j++)
                fmpz_set(fmpz_mat_entry(P, j / d, j % d), inst->A + j);
            for (j = 0; j < n; j++)
                for (l = 0; l < d; l++)
                    fmpz_set(fmpz_mat_entry(Q, l, j), inst->B + j * d + l);
            fmpz_mat_mul(R, P, Q);
            exact = fmpz_mat_rank(R);
            ok &= genrank_float_rank(&fr, &smax, &smin, inst) == 0 && fr == exact;
            fmpz_mat_clear(P);
            fmpz_mat_clear(Q);
            fmpz_mat_clear(R);
        }
        genrank_instance_clear(inst);
        fmpq_clear(c);
        fmpq_clear(c + 1);
    }
    TAP_OK(ok, "the floating-point rank of a well-conditioned A B^T is its exact rank");
}

int
main(void)
{
    int fd = mkstemp(tmpl);
    close(fd);
    snprintf(path, sizeof path, "%s.json", tmpl);
    genrank_rng_seed(&rng, 20261122);
    test_arb_against_libm();
    test_identities_mod_p();
    test_routes_agree();
    test_theorems_4_4_4_5();
    test_tampering();
    test_vanishing_denominators();
    test_huge_exponents();
    test_float_rank();
    unlink(path);
    unlink(tmpl);
    flint_cleanup();
    return tap_done();
}
