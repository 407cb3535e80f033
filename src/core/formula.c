/* The published generic-rank formulas, in exact integers. */
#include "genrank.h"

void
genrank_formula_init(genrank_formula_t f)
{
    fmpz_init(f->predicted);
    fmpz_init(f->terms);
    fmpz_init(f->corrected);
    fmpz_init(f->bound);
    f->has_bound = 0;
    f->bound_source = NULL;
    f->has_corrected = 0;
    f->theorem = NULL;
    f->corrected_source = NULL;
    f->ah_exceptional = 0;
    f->analytic = 0;
}

void
genrank_formula_clear(genrank_formula_t f)
{
    fmpz_clear(f->predicted);
    fmpz_clear(f->terms);
    fmpz_clear(f->corrected);
    fmpz_clear(f->bound);
}

static void
fmpz_min3(fmpz_t r, const fmpz_t a, const fmpz_t b, const fmpz_t c)
{
    fmpz_set(r, a);
    if (fmpz_cmp(b, r) < 0)
        fmpz_set(r, b);
    if (fmpz_cmp(c, r) < 0)
        fmpz_set(r, c);
}

/* The cases (degree k+1, variables d, summands m) where the
   Alexander-Hirschowitz theorem says the secant variety is defective
   by one, besides the quadrics. */
static int
ah_sporadic(slong deg, slong d, slong m)
{
    static const slong cases[4][3] = {{3, 5, 7}, {4, 3, 5}, {4, 4, 9}, {4, 5, 14}};
    int i;
    for (i = 0; i < 4; i++)
        if (cases[i][0] == deg && cases[i][1] == d && cases[i][2] == m)
            return 1;
    return 0;
}

void
genrank_formula(genrank_formula_t f, genrank_family_t family,
                slong m, slong d, slong n, const fmpq *coeffs, slong len)
{
    fmpz_t rows, cols, b;
    slong k, nonzero = 0, kk = -1;

    fmpz_init(rows);
    fmpz_init(cols);
    fmpz_init(b);
    fmpz_set_si(rows, m);
    if (family == GENRANK_KHATRI_RAO)
        fmpz_mul_si(rows, rows, d);
    fmpz_set_si(cols, n);

    fmpz_zero(f->terms);
    for (k = 0; k < len; k++)
    {
        if (fmpq_is_zero(coeffs + k))
            continue;
        nonzero++;
        kk = k;
        if (family == GENRANK_HADAMARD)       /* C(k+d-1, k) */
            fmpz_bin_uiui(b, (ulong) (k + d - 1), (ulong) k);
        else                                  /* C(k+d, k+1) */
            fmpz_bin_uiui(b, (ulong) (k + d), (ulong) (k + 1));
        fmpz_add(f->terms, f->terms, b);
    }
    fmpz_min3(f->predicted, rows, cols, f->terms);
    f->theorem = (family == GENRANK_HADAMARD)
        ? (nonzero == 1 ? "Theorem 3.1" : "Theorem 3.2")
        : (nonzero == 1 ? "Theorem 4.2" : "Theorem 4.3");

    f->has_corrected = 0;
    f->corrected_source = NULL;
    f->ah_exceptional = 0;
    f->has_bound = 0;
    f->bound_source = NULL;
    if (family == GENRANK_KHATRI_RAO && nonzero == 2 && kk == 1 && m >= 2 && m <= d + 1)
    {
        /* phi = c_0 + c_1 x (both nonzero): the rows x_l phi(a_i . x) lie
           in the span of the d rows of i = 0 and the quadrics
           x_l (a_i - a_0) . x, so rank <= md - C(m - 1, 2) (doc/theory.md
           section 4) */
        fmpz_set_si(f->bound, m);
        fmpz_mul_si(f->bound, f->bound, d);
        fmpz_bin_uiui(b, (ulong) (m - 1), 2);
        fmpz_sub(f->bound, f->bound, b);
        if (fmpz_cmp(cols, f->bound) < 0)
            fmpz_set(f->bound, cols);
        if (fmpz_cmp(f->bound, f->predicted) < 0)
        {
            f->has_bound = 1;
            f->bound_source = "md - C(m-1, 2) for phi = c0 + c1 x (doc/theory.md section 4)";
        }
    }
    if (family == GENRANK_KHATRI_RAO && nonzero == 1)
    {
        /* phi = c x^k: rank = min(n, dim of the m-th secant variety of
           the degree-(k+1) Veronese variety in d variables). */
        fmpz_t sec;
        fmpz_init(sec);
        if (kk == 1 && m >= 2 && m <= d - 1)
        {
            /* symmetric d x d matrices of rank <= m: md - C(m, 2) */
            fmpz_set_si(sec, m);
            fmpz_mul_si(sec, sec, d);
            fmpz_bin_uiui(b, (ulong) m, 2);
            fmpz_sub(sec, sec, b);
        }
        else
        {
            fmpz_bin_uiui(b, (ulong) (kk + d), (ulong) (kk + 1));
            fmpz_set(sec, rows);
            if (fmpz_cmp(b, sec) < 0)
                fmpz_set(sec, b);
            if (ah_sporadic(kk + 1, d, m))
                fmpz_sub_ui(sec, sec, 1);
        }
        if (fmpz_cmp(cols, sec) < 0)
            fmpz_set(sec, cols);
        fmpz_set(f->corrected, sec);
        f->has_corrected = 1;
        f->corrected_source =
            "Alexander-Hirschowitz theorem (J. Algebraic Geom. 4 (1995) 201-222) "
            "with Terracini's lemma";
        f->ah_exceptional = (fmpz_cmp(sec, f->predicted) < 0);
        fmpz_clear(sec);
    }
    fmpz_clear(rows);
    fmpz_clear(cols);
    fmpz_clear(b);
}

void
genrank_formula_phi(genrank_formula_t f, genrank_family_t family,
                    slong m, slong d, slong n)
{
    fmpz_set_si(f->predicted, m);
    if (family == GENRANK_KHATRI_RAO)
        fmpz_mul_si(f->predicted, f->predicted, d);
    if (fmpz_cmp_si(f->predicted, n) > 0)
        fmpz_set_si(f->predicted, n);
    fmpz_set(f->terms, f->predicted);
    f->theorem = (family == GENRANK_HADAMARD) ? "Theorem 4.4" : "Theorem 4.5";
    f->has_bound = 0;
    f->bound_source = NULL;
    f->has_corrected = 0;
    f->corrected_source = NULL;
    f->ah_exceptional = 0;
    f->analytic = 1;
}
