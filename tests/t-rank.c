/* genrank_nmod_mat_rank_witness against schoolbook elimination, on
   random matrices of random shapes, ranks and primes. */
#include <flint/nmod_mat.h>
#include "genrank.h"
#include "naive.h"
#include "tap.h"

int
main(void)
{
    flint_rand_t st;
    long iter, iters = tap_iters(3000), bad_rank = 0, bad_det = 0, bad_order = 0;
    long shapes[6] = {0};
    flint_randinit(st);

    for (iter = 0; iter < iters; iter++)
    {
        slong rows, cols, r, maxr, t, s;
        ulong p, det, ndet, *a, *minor;
        slong *rw, *cl;
        nmod_mat_t M, C;
        int size_class = n_randint(st, 10);

        rows = 1 + n_randint(st, size_class < 8 ? 12 : 90);
        cols = 1 + n_randint(st, size_class < 8 ? 12 : 90);
        if (iter % 7 == 0) rows = 1;
        if (iter % 11 == 0) cols = 1;
        p = n_randint(st, 2) ? n_randprime(st, 2 + n_randint(st, 62), 1)
                             : n_randprime(st, 62 + n_randint(st, 3), 1);
        nmod_mat_init(M, rows, cols, p);
        test_random_matrix(M, st);
        nmod_mat_init_set(C, M);
        shapes[(rows > cols) + 2 * (rows == cols)]++;

        a = flint_malloc(rows * cols * sizeof(ulong));
        for (t = 0; t < rows; t++)
            for (s = 0; s < cols; s++)
                a[t * cols + s] = nmod_mat_entry(M, t, s);
        maxr = FLINT_MIN(rows, cols);
        rw = flint_malloc(maxr * sizeof(slong));
        cl = flint_malloc(maxr * sizeof(slong));

        r = genrank_nmod_mat_rank_witness(rw, cl, &det, M);
        if (r != naive_rank(a, rows, cols, p, NULL))
        {
            bad_rank++;
            TAP_DIAG("rank mismatch: %ld x %ld modulo %lu, got %ld", (long) rows, (long) cols, p, (long) r);
        }
        for (t = 1; t < r; t++)
            if (rw[t] <= rw[t - 1] || cl[t] <= cl[t - 1])
                bad_order++;
        for (t = 0; t < r; t++)
            if (rw[t] < 0 || rw[t] >= rows || cl[t] < 0 || cl[t] >= cols)
                bad_order++;
        /* the minor's determinant, recomputed from the untouched copy */
        minor = flint_malloc((r * r + 1) * sizeof(ulong));
        for (t = 0; t < r; t++)
            for (s = 0; s < r; s++)
                minor[t * r + s] = nmod_mat_entry(C, rw[t], cl[s]);
        if (r == 0)
            ndet = 1 % p;
        else
            naive_rank(minor, r, r, p, &ndet);
        if (ndet == 0 || ndet != det)
        {
            bad_det++;
            TAP_DIAG("witness det mismatch: %ld x %ld modulo %lu rank %ld: %lu vs %lu",
                     (long) rows, (long) cols, p, (long) r, det, ndet);
        }
        flint_free(minor);
        flint_free(a);
        flint_free(rw);
        flint_free(cl);
        nmod_mat_clear(M);
        nmod_mat_clear(C);
    }
    TAP_DIAG("%ld matrices: %ld wide, %ld tall, %ld square", iters, shapes[0], shapes[1], shapes[2]);
    TAP_OK(bad_rank == 0, "rank equals schoolbook elimination (%ld random matrices)", iters);
    TAP_OK(bad_order == 0, "witness indices in range and strictly increasing");
    TAP_OK(bad_det == 0, "witness minor nonsingular with the reported determinant");
    flint_randclear(st);
    return tap_done();
}
