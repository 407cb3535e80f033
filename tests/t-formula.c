/* Parsers and the published formulas. */
#include <string.h>
#include "genrank.h"
#include "tap.h"

/* C(n, k) by the multiplicative formula, independently of FLINT's. */
static void
binom(fmpz_t r, ulong n, ulong k)
{
    ulong i;
    fmpz_one(r);
    if (k > n)
    {
        fmpz_zero(r);
        return;
    }
    for (i = 1; i <= k; i++)
    {
        fmpz_mul_ui(r, r, n - k + i);
        fmpz_divexact_ui(r, r, i);
    }
}

static slong
corrected_of(genrank_family_t fam, slong m, slong d, slong n, const char *cs)
{
    fmpq *c;
    slong len, v;
    genrank_formula_t f;
    genrank_coeffs_parse(&c, &len, cs, NULL);
    genrank_formula_init(f);
    genrank_formula(f, fam, m, d, n, c, len);
    v = f->has_corrected ? fmpz_get_si(f->corrected) : -1;
    genrank_formula_clear(f);
    genrank_coeffs_free(c, len);
    return v;
}

int
main(void)
{
    flint_rand_t st;
    long iter, bad = 0, badsum = 0, badcorr = 0;
    flint_randinit(st);

    /* rationals: random p/q printed and parsed back */
    for (iter = 0; iter < tap_iters(2000); iter++)
    {
        fmpq_t a, b;
        char *s;
        fmpq_init(a);
        fmpq_init(b);
        fmpq_randtest(a, st, 1 + n_randint(st, 200));
        s = fmpq_get_str(NULL, 10, a);
        if (genrank_rational_parse(b, s, NULL) != 0 || !fmpq_equal(a, b))
            bad++;
        flint_free(s);
        fmpq_clear(a);
        fmpq_clear(b);
    }
    TAP_OK(bad == 0, "random rationals survive print and parse");

    {
        const char *badq[] = {"", "1/0", "1.5", "a", "1/-2", "--1", "1/", "/2", " 1", "1 ",
                              "+", "-", "1e3", "0x10", "1//2", "3/4/5", "-0/0"};
        const char *goodq[][2] = {{"-2", "-2"}, {"1/3", "1/3"}, {"0", "0"}, {"+7", "7"},
                                  {"6/4", "3/2"}, {"-0", "0"}, {"0/5", "0"}, {"-10/-0", ""}};
        int i, okb = 1, okg = 1;
        fmpq_t q;
        fmpq_init(q);
        for (i = 0; i < (int) (sizeof badq / sizeof *badq); i++)
            if (genrank_rational_parse(q, badq[i], NULL) == 0)
            {
                okb = 0;
                TAP_DIAG("accepted malformed rational '%s'", badq[i]);
            }
        for (i = 0; i < 7; i++)
        {
            char *s;
            if (genrank_rational_parse(q, goodq[i][0], NULL) != 0)
            {
                okg = 0;
                continue;
            }
            s = fmpq_get_str(NULL, 10, q);
            okg &= strcmp(s, goodq[i][1]) == 0;
            flint_free(s);
        }
        okb &= genrank_rational_parse(q, goodq[7][0], NULL) != 0;
        TAP_OK(okb, "malformed rationals rejected");
        TAP_OK(okg, "rationals canonicalised (6/4 -> 3/2, +7 -> 7, -0 -> 0)");
        fmpq_clear(q);
    }
    {
        const char *badl[] = {"", ",", "1,", ",1", "1,,2", "1;2", "1, 2", "x"};
        fmpq *c;
        slong len;
        int i, ok = 1;
        genrank_err_t e;
        for (i = 0; i < (int) (sizeof badl / sizeof *badl); i++)
            if (genrank_coeffs_parse(&c, &len, badl[i], &e) == 0)
            {
                ok = 0;
                genrank_coeffs_free(c, len);
            }
        ok &= genrank_coeffs_parse(&c, &len, "0,1,-1/2,0", &e) == 0 && len == 4
              && fmpq_is_zero(c + 3) && fmpz_equal_si(fmpq_denref(c + 2), 2);
        if (ok)
            genrank_coeffs_free(c, len);
        TAP_OK(ok, "coefficient lists: malformed rejected, trailing zeros kept");
    }
    {
        slong v;
        int ok = genrank_size_parse(&v, "12", 100, "m", NULL) == 0 && v == 12;
        ok &= genrank_size_parse(&v, "0", 100, "m", NULL) != 0;
        ok &= genrank_size_parse(&v, "-1", 100, "m", NULL) != 0;
        ok &= genrank_size_parse(&v, "101", 100, "m", NULL) != 0;
        ok &= genrank_size_parse(&v, "99999999999999999999999", 100, "m", NULL) != 0;
        ok &= genrank_size_parse(&v, "1e3", 100, "m", NULL) != 0;
        ok &= genrank_size_parse(&v, "", 100, "m", NULL) != 0;
        TAP_OK(ok, "sizes: zero, negative, too large, malformed rejected");
    }

    /* the formulas against an independent evaluation of the statements */
    for (iter = 0; iter < tap_iters(3000); iter++)
    {
        genrank_family_t fam = n_randint(st, 2) ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO;
        slong m = 1 + n_randint(st, 300), d = 1 + n_randint(st, iter % 10 ? 40 : 5000);
        slong n = 1 + n_randint(st, 3000), len = 1 + n_randint(st, 12), k;
        fmpq *c = _fmpq_vec_init(len);
        fmpz_t sum, b, want;
        genrank_formula_t f;

        fmpz_init(sum); fmpz_init(b); fmpz_init(want);
        for (k = 0; k < len; k++)
            if (n_randint(st, 2))
            {
                fmpq_set_si(c + k, (slong) n_randint(st, 7) - 3, 1 + n_randint(st, 4));
                if (!fmpq_is_zero(c + k))
                {
                    if (fam == GENRANK_HADAMARD)
                        binom(b, k + d - 1, k);
                    else
                        binom(b, k + d, k + 1);
                    fmpz_add(sum, sum, b);
                }
            }
        fmpz_set_si(want, fam == GENRANK_HADAMARD ? m : m * d);
        if (fmpz_cmp_si(want, n) > 0)
            fmpz_set_si(want, n);
        if (fmpz_cmp(sum, want) < 0)
            fmpz_set(want, sum);
        genrank_formula_init(f);
        genrank_formula(f, fam, m, d, n, c, len);
        if (!fmpz_equal(f->predicted, want) || !fmpz_equal(f->terms, sum))
            badsum++;
        if (f->has_corrected && fmpz_cmp(f->corrected, f->predicted) > 0)
            badcorr++;
        genrank_formula_clear(f);
        _fmpq_vec_clear(c, len);
        fmpz_clear(sum); fmpz_clear(b); fmpz_clear(want);
    }
    TAP_OK(badsum == 0, "Theorem 3.2 / 4.3 values equal an independent evaluation");
    TAP_OK(badcorr == 0, "the Alexander-Hirschowitz value never exceeds the prediction");

    /* The Alexander-Hirschowitz theorem's own statement: quadrics
       (k = 1) lose C(m, 2) for 2 <= m <= d-1; the four sporadic cases
       lose one; everything else is min(md, C(d+k, k+1), n). */
    TAP_OK(corrected_of(GENRANK_KHATRI_RAO, 3, 4, 100, "0,1") == 12 - 3,
           "quadrics: m=3, d=4 gives md - C(m,2) = 9");
    TAP_OK(corrected_of(GENRANK_KHATRI_RAO, 7, 5, 100, "0,0,1") == 34
           && corrected_of(GENRANK_KHATRI_RAO, 5, 3, 100, "0,0,0,1") == 14
           && corrected_of(GENRANK_KHATRI_RAO, 9, 4, 100, "0,0,0,1") == 34
           && corrected_of(GENRANK_KHATRI_RAO, 14, 5, 100, "0,0,0,1") == 69,
           "the four sporadic cases are one below min(md, C(d+k, k+1))");
    TAP_OK(corrected_of(GENRANK_KHATRI_RAO, 7, 5, 20, "0,0,1") == 20
           && corrected_of(GENRANK_KHATRI_RAO, 6, 5, 100, "0,0,2/3") == 30
           && corrected_of(GENRANK_KHATRI_RAO, 5, 4, 100, "0,-1") == 10
           && corrected_of(GENRANK_KHATRI_RAO, 1, 9, 100, "0,1") == 9
           && corrected_of(GENRANK_HADAMARD, 3, 4, 100, "0,1") == -1
           && corrected_of(GENRANK_KHATRI_RAO, 3, 4, 100, "1,1") == -1,
           "no correction off the exceptions, for hadamard, or for non-monomials");
    flint_randclear(st);
    return tap_done();
}
