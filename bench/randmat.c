/* A random integer matrix of known rank for the rank benchmarks: the
   product of random ROWS x RANK and RANK x COLS factors whose entries
   have DIGITS/2 decimal digits (so the product's have about DIGITS), in
   Matrix Market array format on standard output.
   Usage: randmat ROWS COLS RANK DIGITS SEED */
#include <stdio.h>
#include <stdlib.h>
#include <flint/fmpz_mat.h>

int
main(int argc, char **argv)
{
    slong r, c, k, digits, i, j;
    flint_rand_t st;
    fmpz_mat_t U, V, M;
    fmpz_t bound;
    if (argc != 6)
    {
        fprintf(stderr, "usage: randmat ROWS COLS RANK DIGITS SEED\n");
        return 2;
    }
    r = atol(argv[1]), c = atol(argv[2]), k = atol(argv[3]), digits = atol(argv[4]);
    if (r < 1 || c < 1 || k < 0 || k > r || k > c || digits < 2 || r > 100000 || c > 100000)
    {
        fprintf(stderr, "randmat: bad sizes\n");
        return 2;
    }
    flint_randinit(st);
    flint_randseed(st, strtoul(argv[5], NULL, 10), 1);
    fmpz_init(bound);
    fmpz_set_ui(bound, 10);
    fmpz_pow_ui(bound, bound, digits / 2);
    fmpz_mat_init(U, r, k);
    fmpz_mat_init(V, k, c);
    fmpz_mat_init(M, r, c);
    for (i = 0; i < r * k; i++)
    {
        fmpz_randm(U->entries + i, st, bound);
        if (n_randint(st, 2))
            fmpz_neg(U->entries + i, U->entries + i);
    }
    for (i = 0; i < k * c; i++)
    {
        fmpz_randm(V->entries + i, st, bound);
        if (n_randint(st, 2))
            fmpz_neg(V->entries + i, V->entries + i);
    }
    if (k > 0)
        fmpz_mat_mul(M, U, V);
    printf("%%%%MatrixMarket matrix array integer general\n%ld %ld\n", (long) r, (long) c);
    for (j = 0; j < c; j++)           /* array format: column-major */
        for (i = 0; i < r; i++)
        {
            fmpz_print(fmpz_mat_entry(M, i, j));
            putchar('\n');
        }
    fmpz_mat_clear(U);
    fmpz_mat_clear(V);
    fmpz_mat_clear(M);
    fmpz_clear(bound);
    flint_randclear(st);
    return 0;
}
