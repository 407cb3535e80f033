// FFLAS-FFPACK's FFPACK::Rank on the same random matrix as bench/kernel.c
// (SplitMix64 seeded with n, reimplemented here).  Compiled by
// bench/run.sh only when the fflas-ffpack package is installed.
// usage: fflas N P REPS; prints the median time in seconds and the rank.
#include <fflas-ffpack/fflas-ffpack.h>
#include <givaro/modular.h>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

static uint64_t state;
static uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static uint64_t below(uint64_t b) {
    uint64_t limit = UINT64_MAX - (UINT64_MAX % b + 1) % b, u;
    do u = next(); while (u > limit);
    return u % b;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: fflas N P REPS\n"); return 2; }
    size_t n = atol(argv[1]), reps = atol(argv[3]);
    uint64_t p = strtoull(argv[2], NULL, 10);
    typedef Givaro::Modular<double> Field;
    Field F((double) p);
    std::vector<double> vals(n * n), times;
    state = n;
    for (auto &v : vals) v = (double) below(p);
    size_t r = 0;
    for (size_t k = 0; k < reps; k++) {
        double *A = FFLAS::fflas_new<double>(n * n);
        std::copy(vals.begin(), vals.end(), A);
        auto t0 = std::chrono::steady_clock::now();
        r = FFPACK::Rank(F, n, n, A, n);
        auto t1 = std::chrono::steady_clock::now();
        times.push_back(std::chrono::duration<double>(t1 - t0).count());
        FFLAS::fflas_delete(A);
    }
    std::sort(times.begin(), times.end());
    printf("%.4f %zu\n", times[reps / 2], r);
}
