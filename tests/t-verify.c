/* The verifier rejects tampered and hostile certificates, and never
   crashes on malformed input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "genrank.h"
#include "tap.h"
#include "naive.h"



static int
jint(fmpz_t x, const json_t *v)
{
    if (json_is_integer(v))
    {
        fmpz_set_si(x, json_integer_value(v));
        return 1;
    }
    return json_is_string(v) && fmpz_set_str(x, json_string_value(v), 10) == 0;
}

static int
predicted_ok(const json_t *c, genrank_family_t fam, slong m, slong d, slong n,
             const fmpq *co, slong len)
{
    genrank_formula_t f;
    fmpz_t x;
    int ok;
    genrank_formula_init(f);
    fmpz_init(x);
    genrank_formula(f, fam, m, d, n, co, len);
    ok = jint(x, json_object_get(c, "predicted")) && fmpz_equal(x, f->predicted);
    fmpz_clear(x);
    genrank_formula_clear(f);
    return ok;
}

/* The test's own judgement of a certificate whose layout is intact but
   whose values may have been changed: 1 when the recorded minor really
   is nonsingular modulo the recorded prime with the recorded
   determinant (schoolbook arithmetic of naive.h). */
static int
independent_valid(const json_t *c)
{
    const json_t *w = json_object_get(c, "witness");
    const json_t *rows = json_object_get(w, "rows"), *cols = json_object_get(w, "cols");
    const json_t *cs = json_object_get(c, "coeffs");
    genrank_family_t fam = strcmp(json_string_value(json_object_get(c, "family")), "hadamard")
                           ? GENRANK_KHATRI_RAO : GENRANK_HADAMARD;
    slong m = json_integer_value(json_object_get(c, "m"));
    slong d = json_integer_value(json_object_get(c, "d"));
    slong n = json_integer_value(json_object_get(c, "n"));
    slong r = json_array_size(rows), len = json_array_size(cs), i, j, nrows;
    fmpz_t x;
    fmpq *co = _fmpq_vec_init(len);
    genrank_instance_t in;
    ulong p, det, want, *a;
    int ok = 1;

    fmpz_init(x);
    ok &= jint(x, json_object_get(w, "prime")) && fmpz_abs_fits_ui(x) && fmpz_sgn(x) > 0;
    p = fmpz_get_ui(x);
    ok &= n_is_prime(p);
    ok &= jint(x, json_object_get(w, "det_mod_p")) && fmpz_abs_fits_ui(x) && fmpz_sgn(x) > 0;
    want = fmpz_get_ui(x);
    for (i = 0; i < len; i++)
    {
        ok &= genrank_rational_parse(co + i, json_string_value(json_array_get(cs, i)), NULL) == 0;
        ok &= ok && fmpz_fdiv_ui(fmpq_denref(co + i), p) != 0;
    }
    nrows = fam == GENRANK_HADAMARD ? m : m * d;
    ok &= (slong) json_integer_value(json_object_get(c, "rank")) == r && r == (slong) json_array_size(cols);
    for (i = 0; ok && i < r; i++)
    {
        fmpz_t y;
        fmpz_init(y);
        ok &= jint(x, json_array_get(rows, i)) && fmpz_cmp_si(x, 0) >= 0 && fmpz_cmp_si(x, nrows) < 0;
        ok &= jint(y, json_array_get(cols, i)) && fmpz_cmp_si(y, 0) >= 0 && fmpz_cmp_si(y, n) < 0;
        if (i > 0)
        {
            fmpz_t z;
            fmpz_init(z);
            jint(z, json_array_get(rows, i - 1));
            ok &= fmpz_cmp(z, x) < 0;
            jint(z, json_array_get(cols, i - 1));
            ok &= fmpz_cmp(z, y) < 0;
            fmpz_clear(z);
        }
        fmpz_clear(y);
    }
    if (!ok || want >= p)
    {
        fmpz_clear(x);
        _fmpq_vec_clear(co, len);
        return 0;
    }
    genrank_instance_init(in, fam, m, d, n, co, len);
    for (i = 0; i < m; i++)
        for (j = 0; j < d; j++)
            jint(in->A + i * d + j, json_array_get(json_array_get(json_object_get(c, "A"), i), j));
    for (i = 0; i < n; i++)
        for (j = 0; j < d; j++)
            jint(in->B + i * d + j, json_array_get(json_array_get(json_object_get(c, "B"), i), j));
    a = malloc((r * r + 1) * sizeof(ulong));
    for (i = 0; i < r; i++)
        for (j = 0; j < r; j++)
        {
            fmpq_t e;
            fmpz_t y;
            fmpq_init(e);
            fmpz_init(y);
            jint(x, json_array_get(rows, i));
            jint(y, json_array_get(cols, j));
            naive_entry(e, in, fmpz_get_si(x), fmpz_get_si(y));
            fmpz_clear(y);
            a[i * r + j] = naive_reduce(e, p);
            fmpq_clear(e);
        }
    if (r == 0)
        det = 1;
    else
        naive_rank(a, r, r, p, &det);
    free(a);
    genrank_instance_clear(in);
    fmpz_clear(x);
    ok = det != 0 && det == want && predicted_ok(c, fam, m, d, n, co, len);
    _fmpq_vec_clear(co, len);
    return ok;
}

/* Verifies a JSON value; returns the verifier's code. */
static int
verify_value(json_t *v, genrank_err_t *e)
{
    char *s = json_dumps(v, 0);
    int rc = genrank_verify_string(s, NULL, e);
    free(s);
    return rc;
}

/* Adds delta to the integer at v (a number or a decimal string). */
static void
bump(json_t *parent, const char *key, size_t index, int is_array, long delta)
{
    json_t *v = is_array ? json_array_get(parent, index) : json_object_get(parent, key);
    fmpz_t x;
    char *s;
    fmpz_init(x);
    if (json_is_integer(v))
        fmpz_set_si(x, json_integer_value(v));
    else
        fmpz_set_str(x, json_string_value(v), 10);
    if (delta >= 0)
        fmpz_add_ui(x, x, delta);
    else
        fmpz_sub_ui(x, x, -delta);
    s = fmpz_get_str(NULL, 10, x);
    if (is_array)
        json_array_set_new(parent, index, json_string(s));
    else
        json_object_set_new(parent, key, json_string(s));
    flint_free(s);
    fmpz_clear(x);
}

typedef enum { T_DET, T_ROW, T_COL, T_PRIME_OTHER, T_PRIME_COMPOSITE, T_ENTRY_A,
               T_ENTRY_B, T_RANK_UP, T_RANK_DOWN, T_COEFF, T_PREDICTED, T_FAMILY,
               T_VERSION, T_SWAP_ROWS, T_DROP_WITNESS, T_NKINDS } tamper_t;

/* Tamperings that change the claim itself are always forgeries; the
   others change the instance or the witness, and the result may still
   be a true certificate (a constant phi ignores A and B, an entry of A
   outside the witness rows changes nothing), so for those the verdict
   must equal the test's own judgement. */
static const int always_invalid[] = {1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1};

static const char *tamper_name[] = {"det_mod_p", "a row index", "a column index",
    "the prime (another prime)", "the prime (composite)", "an entry of A", "an entry of B",
    "rank + 1", "rank - 1", "a coefficient", "predicted", "family", "version",
    "row order", "the witness"};

/* Applies one tampering; returns 0 when it does not apply to this certificate. */
static int
tamper(json_t *c, tamper_t t, flint_rand_t st)
{
    json_t *w = json_object_get(c, "witness");
    json_t *rows = json_object_get(w, "rows"), *cols = json_object_get(w, "cols");
    size_t r = json_array_size(rows);
    switch (t)
    {
    case T_DET: bump(w, "det_mod_p", 0, 0, 1); return 1;
    case T_ROW:
        if (r == 0) return 0;
        bump(rows, NULL, r - 1, 1, 1);
        return 1;
    case T_COL:
        if (r == 0) return 0;
        bump(cols, NULL, n_randint(st, r), 1, -1);
        return 1;
    case T_PRIME_OTHER:
    {
        json_t *p = json_object_get(w, "prime");
        ulong q = json_is_integer(p) ? (ulong) json_integer_value(p)
                                     : strtoull(json_string_value(p), NULL, 10);
        char buf[32];
        q = n_nextprime(q, 1);
        snprintf(buf, sizeof buf, "%lu", q);
        json_object_set_new(w, "prime", json_string(buf));
        return 1;
    }
    case T_PRIME_COMPOSITE:
    {
        json_t *p = json_object_get(w, "prime");
        ulong q = json_is_integer(p) ? (ulong) json_integer_value(p)
                                     : strtoull(json_string_value(p), NULL, 10);
        char buf[32];
        snprintf(buf, sizeof buf, "%lu", q * (ulong) (3 + n_randint(st, 5)) % (UWORD(1) << 62) | 1);
        if (n_is_prime(q * 3 % (UWORD(1) << 62) | 1)) return 0;
        snprintf(buf, sizeof buf, "%lu", (q % (UWORD(1) << 31)) * 3);
        json_object_set_new(w, "prime", json_string(buf));
        return 1;
    }
    case T_ENTRY_A:
    {
        json_t *A = json_object_get(c, "A");
        json_t *row = json_array_get(A, n_randint(st, json_array_size(A)));
        bump(row, NULL, n_randint(st, json_array_size(row)), 1, 1 + n_randint(st, 5));
        return r > 0;
    }
    case T_ENTRY_B:
    {
        json_t *B = json_object_get(c, "B");
        json_t *row = json_array_get(B, r ? json_integer_value(json_array_get(cols, 0)) : 0);
        bump(row, NULL, n_randint(st, json_array_size(row)), 1, 1 + n_randint(st, 5));
        return r > 0;
    }
    case T_RANK_UP: bump(c, "rank", 0, 0, 1); return 1;
    case T_RANK_DOWN:
        if (r == 0) return 0;
        bump(c, "rank", 0, 0, -1);
        return 1;
    case T_COEFF:
    {
        json_t *cs = json_object_get(c, "coeffs");
        size_t k = json_array_size(cs) - 1;
        const char *old = json_string_value(json_array_get(cs, k));
        char buf[128];
        snprintf(buf, sizeof buf, "%s%s", old[0] == '-' ? "" : "-", old[0] == '-' ? old + 1 : old);
        if (strcmp(old, "0") == 0)
            snprintf(buf, sizeof buf, "1/7");
        json_array_set_new(cs, k, json_string(buf));
        return r > 0;
    }
    case T_PREDICTED: bump(c, "predicted", 0, 0, 1); return 1;
    case T_FAMILY:
    {
        const char *f = json_string_value(json_object_get(c, "family"));
        json_object_set_new(c, "family", json_string(strcmp(f, "hadamard") ? "hadamard" : "khatri-rao"));
        return 1;
    }
    case T_VERSION: json_object_set_new(c, "version", json_integer(2)); return 1;
    case T_SWAP_ROWS:
        if (r < 2) return 0;
        {
            json_t *a = json_incref(json_array_get(rows, 0));
            json_array_set(rows, 0, json_array_get(rows, 1));
            json_array_set_new(rows, 1, a);
        }
        return 1;
    case T_DROP_WITNESS: json_object_del(c, "witness"); return 1;
    default: return 0;
    }
}

int
main(void)
{
    flint_rand_t st;
    char path[] = "/tmp/genrank-t-verify-XXXXXX";
    int fd = mkstemp(path), t;
    long accepted[T_NKINDS] = {0}, tried[T_NKINDS] = {0}, wrong[T_NKINDS] = {0};
    long iter, iters = tap_iters(60), bad_orig = 0;
    flint_randinit(st);
    if (fd >= 0)
        close(fd);

    for (iter = 0; iter < iters; iter++)
    {
        genrank_family_t fam = n_randint(st, 2) ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO;
        slong m = 1 + n_randint(st, 5), d = 1 + n_randint(st, 4), n = 1 + n_randint(st, 25), len;
        const char *cs[] = {"0,1", "1,1,1/2", "0,0,-3", "2,0,1/5,1", "1/3", "0,1,0,0,1"};
        fmpq *c;
        genrank_prove_opts_t o;
        genrank_cert_t cert;
        genrank_err_t e;
        json_t *orig;
        json_error_t je;
        char *text;

        genrank_coeffs_parse(&c, &len, cs[n_randint(st, 6)], NULL);
        genrank_prove_opts_init(&o);
        o.seed = n_randlimb(st);
        /* the independent check judges the minor: a change that keeps it
           valid would still change the fast section's challenge (tested
           in t-fast), so these certificates go without that section */
        o.fast = 0;
        o.trials = 1;
        o.prime_bits = (iter % 3 == 0) ? 20 : 63;   /* numbers and strings */
        genrank_cert_init(cert);
        if (genrank_prove(cert, fam, m, d, n, c, len, &o, &e) || genrank_cert_write(cert, path, &e))
        {
            TAP_DIAG("prove failed: %s", e.msg);
            bad_orig++;
            genrank_cert_clear(cert);
            genrank_coeffs_free(c, len);
            continue;
        }
        text = slurp(path);
        orig = json_loads(text, 0, &je);
        bad_orig += genrank_verify_string(text, NULL, &e) != 0;
        for (t = 0; t < T_NKINDS; t++)
        {
            json_t *copy = json_deep_copy(orig);
            if (tamper(copy, (tamper_t) t, st))
            {
                int rc = verify_value(copy, &e);
                int truth = always_invalid[t] ? 0 : independent_valid(copy);
                tried[t]++;
                accepted[t] += (rc == 0);
                if ((rc == 0) != truth)
                {
                    wrong[t]++;
                    TAP_DIAG("verdict %d but truth %d with %s changed (%s m=%ld d=%ld n=%ld): %s",
                             rc, truth, tamper_name[t], genrank_family_name(fam), (long) m,
                             (long) d, (long) n, rc ? e.msg : "accepted");
                }
            }
            json_decref(copy);
        }
        /* truncations at random places: never valid, never a crash */
        {
            size_t L = strlen(text);
            int k;
            for (k = 0; k < 5; k++)
            {
                char *cut = strdup(text);
                cut[n_randint(st, L - 1)] = '\0';
                if (genrank_verify_string(cut, NULL, &e) == 0)
                    wrong[T_NKINDS - 1]++;
                free(cut);
            }
        }
        json_decref(orig);
        free(text);
        genrank_cert_clear(cert);
        genrank_coeffs_free(c, len);
    }
    TAP_OK(bad_orig == 0, "untampered certificates verify (%ld)", iters);
    for (t = 0; t < T_NKINDS; t++)
        TAP_OK(wrong[t] == 0 && tried[t] > 0, "changed %s: %s (%ld of %ld still true and accepted)",
               tamper_name[t], always_invalid[t] ? "always rejected" : "verdict equals independent check",
               accepted[t], tried[t]);

    /* the informational fields are recomputed: a certificate below its
       prediction (phi = 1 + x, Theorem 4.3's shortfall) with its evidence,
       and one with Alexander-Hirschowitz's corrected value */
    {
        const char *top = getenv("top_srcdir");
        char p1[4096], p2[4096];
        char *below, *exact;
        json_error_t je;
        json_t *b, *x;
        genrank_err_t e;
        int ok = 1, k;
        snprintf(p1, sizeof p1, "%s/certificates/khatri-rao-m3-d3-1+x-shortfall.json", top ? top : "..");
        snprintf(p2, sizeof p2, "%s/certificates/khatri-rao-m3-d4-x-deficient.json", top ? top : "..");
        below = slurp(p1);
        exact = slurp(p2);
        b = below ? json_loads(below, 0, &je) : NULL;
        x = exact ? json_loads(exact, 0, &je) : NULL;
        ok = b != NULL && x != NULL && verify_value(b, &e) == 0 && verify_value(x, &e) == 0;
        for (k = 0; ok && k < 11; k++)
        {
            json_t *c = json_deep_copy(k < 8 ? b : x), *ev = json_object_get(c, "evidence");
            const char *what[] = {"probability_bound", "per_trial_bound", "degree_bound",
                "trials", "max_rank_seen", "prime_bits", "an entry outside the range",
                "the theorem", "corrected's value", "corrected's source", "a stray q"};
            switch (k)
            {
            case 0: json_object_set_new(ev, "probability_bound", json_real(1e-50)); break;
            case 1: json_object_set_new(ev, "per_trial_bound", json_real(1e-6)); break;
            case 2: json_object_set_new(ev, "degree_bound", json_integer(3)); break;
            case 3: json_object_set_new(ev, "trials", json_integer(80)); break;
            case 4: json_object_set_new(ev, "max_rank_seen", json_integer(9)); break;
            case 5: json_object_set_new(ev, "prime_bits", json_integer(40)); break;
            case 6:
                json_array_set_new(json_array_get(json_object_get(c, "B"), 19), 0,
                                   json_integer(WORD(1) << 40));
                break;
            case 7: json_object_set_new(c, "theorem", json_string("Theorem 4.2")); break;
            case 8: json_object_set_new(json_object_get(c, "corrected"), "value", json_integer(8)); break;
            case 9: json_object_set_new(json_object_get(c, "corrected"), "source", json_string("a guess")); break;
            default: json_object_set_new(c, "q", json_integer(7)); break;
            }
            if (verify_value(c, &e) == 0)
            {
                TAP_DIAG("%s changed: accepted", what[k]);
                ok = 0;
            }
            json_decref(c);
        }
        {
            /* the evidence dropped, or added where the rank meets the prediction */
            json_t *c = json_deep_copy(b);
            json_object_del(c, "evidence");
            ok &= verify_value(c, &e) != 0;
            json_decref(c);
        }
        TAP_OK(ok, "evidence (bounds recomputed, trials, range), theorem and corrected are checked");
        json_decref(b);
        json_decref(x);
        free(below);
        free(exact);
    }

    /* hostile and malformed inputs: an error code, never a crash */
    {
        const char *hostile[] = {
            "", "null", "[]", "{}", "\"genrank-certificate\"", "{\"format\": 1}",
            "{\"format\":\"genrank-certificate\",\"version\":1}",
            "{\"format\":\"genrank-certificate\",\"version\":1,\"format\":\"x\"}",
            "{\"format\":\"genrank-certificate\",\"version\":1.0}",
            "{\"format\":\"genrank-certificate\",\"version\":1,\"family\":\"hadamard\",\"m\":1,\"d\":1,\"n\":1,"
            "\"coeffs\":[\"1\"],\"A\":[[1]],\"B\":[[1]],\"rank\":1,\"predicted\":1,"
            "\"witness\":{\"prime\":4,\"rows\":[0],\"cols\":[0],\"det_mod_p\":1}}",
            "{\"format\":\"genrank-certificate\",\"version\":1,\"family\":\"hadamard\",\"m\":1,\"d\":1,\"n\":1,"
            "\"coeffs\":[\"1\"],\"A\":[[1]],\"B\":[[1]],\"rank\":1,\"predicted\":1,"
            "\"witness\":{\"prime\":7,\"rows\":[0],\"cols\":[0],\"det_mod_p\":0}}",
            "{\"format\":\"genrank-certificate\",\"version\":1,\"family\":\"hadamard\",\"m\":1000000000000,\"d\":1000000000000,"
            "\"n\":1,\"coeffs\":[\"1\"],\"A\":[[1]],\"B\":[[1]],\"rank\":1,\"predicted\":1}",
            "{\"format\":\"genrank-certificate\",\"version\":1,\"family\":\"khatri-rao\",\"m\":2,\"d\":3,\"n\":1,"
            "\"coeffs\":[\"1\"],\"A\":[[1,2,3],[]],\"B\":[[1,2,3]],\"rank\":1,\"predicted\":1}",
            "{\"format\":\"genrank-certificate\",\"version\":1,\"family\":\"hadamard\",\"m\":1,\"d\":1,\"n\":1,"
            "\"coeffs\":[\"1/0\"],\"A\":[[1]],\"B\":[[1]],\"rank\":1,\"predicted\":1}",
            "{\"format\":\"genrank-certificate\",\"version\":1,\"family\":\"hadamard\",\"m\":1,\"d\":1,\"n\":1,"
            "\"coeffs\":[\"1\"],\"A\":[[\"1e5\"]],\"B\":[[1]],\"rank\":1,\"predicted\":1}",
            "{\"format\":\"genrank-certificate\",\"version\":1,\"family\":\"hadamard\",\"m\":1,\"d\":1,\"n\":1,"
            "\"coeffs\":[\"1\"],\"A\":[[1]],\"B\":[[1]],\"rank\":-1,\"predicted\":1}",
            "{\"format\":\"genrank-certificate\",\"version\":1,\"family\":\"hadamard\",\"m\":1,\"d\":1,\"n\":1,"
            "\"coeffs\":[\"1\"],\"A\":[[1]],\"B\":[[1]],\"rank\":1,\"predicted\":1,"
            "\"witness\":{\"prime\":\"99999999999999999999999\",\"rows\":[0],\"cols\":[0],\"det_mod_p\":1}}",
            "{\"format\":\"genrank-certificate\",\"version\":1,\"family\":\"hadamard\",\"m\":1,\"d\":1,\"n\":1,"
            "\"coeffs\":[\"1\"],\"A\":[[1]],\"B\":[[1]],\"rank\":1,\"predicted\":1,"
            "\"witness\":{\"prime\":7,\"rows\":[0],\"cols\":[5],\"det_mod_p\":1}}",
            "{\"a\": 123456789012345678901234567890}",
        };
        genrank_err_t e;
        int i, ok = 1;
        char *deep = malloc(200001);
        for (i = 0; i < 100000; i++)
        {
            deep[i] = '[';
            deep[100000 + i] = ']';
        }
        deep[200000] = '\0';
        for (i = 0; i < (int) (sizeof hostile / sizeof *hostile); i++)
        {
            int rc = genrank_verify_string(hostile[i], NULL, &e);
            if (rc != GENRANK_EFORMAT && rc != GENRANK_EINVALID)
            {
                ok = 0;
                TAP_DIAG("hostile input %d: code %d", i, rc);
            }
        }
        ok &= genrank_verify_string(deep, NULL, &e) == GENRANK_EFORMAT;
        TAP_OK(ok, "malformed and hostile JSON rejected with a format or validity error");
        free(deep);
        /* a minimal valid certificate written by hand: phi = 1 + x at
           a = 2, b = 3 gives H = [7]; det 7 mod 11 */
        TAP_OK(genrank_verify_string(
            "{\"format\":\"genrank-certificate\",\"version\":1,\"family\":\"hadamard\",\"m\":1,\"d\":1,\"n\":1,"
            "\"coeffs\":[\"1\",\"1\"],\"A\":[[2]],\"B\":[[\"3\"]],\"rank\":1,\"predicted\":1,"
            "\"witness\":{\"prime\":11,\"rows\":[0],\"cols\":[0],\"det_mod_p\":7}}", NULL, &e) == 0,
            "a hand-written certificate (H = [7] mod 11) verifies");
        TAP_OK(genrank_verify_file("/nonexistent/genrank.json", NULL, &e) == GENRANK_EIO,
               "a missing file is reported as unreadable");
    }
    unlink(path);
    flint_randclear(st);
    return tap_done();
}
