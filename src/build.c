/* The prover's matrix: the family's matrix at an integer point,
   reduced modulo a word-size prime. */
#include <flint/ulong_extras.h>
#include <flint/nmod_vec.h>
#include "genrank.h"

int
genrank_prime_check(ulong p, const fmpq *coeffs, slong len, genrank_err_t *err)
{
    slong k;
    if (p < 2 || !n_is_prime(p))
        return genrank_err_set(err, GENRANK_EINVAL, "%lu is not a prime", (unsigned long) p);
    for (k = 0; k < len; k++)
        if (fmpz_fdiv_ui(fmpq_denref(coeffs + k), p) == 0)
            return genrank_err_set(err, GENRANK_EINVAL,
                "prime %lu divides the denominator of coefficient c%ld; choose another prime",
                (unsigned long) p, (long) k);
    return 0;
}

static size_t
sat_mul(size_t a, size_t b)
{
    return (b != 0 && a > SIZE_MAX / b) ? SIZE_MAX : a * b;
}

static size_t
sat_add(size_t a, size_t b)
{
    return (a > SIZE_MAX - b) ? SIZE_MAX : a + b;
}

size_t
genrank_prove_memory(const genrank_instance_t inst)
{
    size_t w = sizeof(mp_limb_t);
    size_t rows = (size_t) genrank_instance_nrows(inst), n = (size_t) inst->n;
    size_t m = (size_t) inst->m, d = (size_t) inst->d;
    size_t bytes = sat_mul(sat_mul(rows, n), w);           /* the matrix */
    bytes = sat_add(bytes, sat_mul(rows, sizeof(mp_limb_t *)));
    if (inst->family == GENRANK_KHATRI_RAO)
        bytes = sat_add(bytes, sat_mul(sat_mul(m, n), w)); /* inner products */
    bytes = sat_add(bytes, sat_mul(sat_mul(sat_add(m, n), d), w)); /* A, B mod p */
    bytes = sat_add(bytes, sat_mul(sat_mul(sat_add(m, n), d), sizeof(fmpz)));
    bytes = sat_add(bytes, sat_mul(sat_add(rows, 2 * n), sizeof(slong))); /* P, pivots */
    return bytes;
}

/* phi(x) mod p by Horner, c holding c_0..c_K mod p. */
static ulong
poly_eval(const ulong *c, slong len, ulong x, nmod_t mod)
{
    ulong r = 0;
    slong k;
    for (k = len - 1; k >= 0; k--)
        r = nmod_add(nmod_mul(r, x, mod), c[k], mod);
    return r;
}

void
genrank_instance_matrix_nmod(nmod_mat_t M, const genrank_instance_t inst)
{
    nmod_t mod = M->mod;
    slong m = inst->m, d = inst->d, n = inst->n, i, j, l, k;
    ulong *c = flint_malloc(inst->len * sizeof(ulong));
    nmod_mat_t Ap, Bt, G;

    for (k = 0; k < inst->len; k++)
    {
        ulong num = fmpz_fdiv_ui(fmpq_numref(inst->coeffs + k), mod.n);
        ulong den = fmpz_fdiv_ui(fmpq_denref(inst->coeffs + k), mod.n);
        c[k] = nmod_mul(num, n_invmod(den, mod.n), mod);
    }

    nmod_mat_init(Ap, m, d, mod.n);
    nmod_mat_init(Bt, d, n, mod.n);
    for (i = 0; i < m; i++)
        for (l = 0; l < d; l++)
            nmod_mat_entry(Ap, i, l) = fmpz_fdiv_ui(inst->A + i * d + l, mod.n);
    for (j = 0; j < n; j++)
        for (l = 0; l < d; l++)
            nmod_mat_entry(Bt, l, j) = fmpz_fdiv_ui(inst->B + j * d + l, mod.n);

    if (inst->family == GENRANK_HADAMARD)
    {
        nmod_mat_mul(M, Ap, Bt);           /* M = A B^T */
        for (i = 0; i < m; i++)
            for (j = 0; j < n; j++)
                nmod_mat_entry(M, i, j) = poly_eval(c, inst->len, nmod_mat_entry(M, i, j), mod);
    }
    else
    {
        nmod_mat_init(G, m, n, mod.n);
        nmod_mat_mul(G, Ap, Bt);
        for (i = 0; i < m; i++)
            for (j = 0; j < n; j++)
                nmod_mat_entry(G, i, j) = poly_eval(c, inst->len, nmod_mat_entry(G, i, j), mod);
        for (l = 0; l < d; l++)
            for (i = 0; i < m; i++)
            {
                mp_limb_t *row = M->rows[l * m + i];
                const mp_limb_t *h = G->rows[i];
                const mp_limb_t *b = Bt->rows[l];
                for (j = 0; j < n; j++)
                    row[j] = nmod_mul(b[j], h[j], mod);
            }
        nmod_mat_clear(G);
    }
    nmod_mat_clear(Ap);
    nmod_mat_clear(Bt);
    flint_free(c);
}
