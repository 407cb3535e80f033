/* libFuzzer harness: genrank rank's matrix reader (core/matrix.c),
   genrank_matrix_parse, and for small matrices the exact rank with its
   kernel certificate and with the probabilistic bound, written and
   checked by libgenrank-check.

   The first byte picks the format (auto, Matrix Market, SMS, JSON); the
   rest is the file's text, handed over with its length and no NUL, so a
   read past the end is an AddressSanitizer report.

   Properties: a parse that succeeds has r, c >= 1 and its entries; a
   failure has a message.  For matrices of at most 8 x 8 entries the rank
   is at most min(r, c), the kernel certificate is complete, and the
   certificate written for it verifies with the same rank. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "genrank.h"

#define FUZZ_MAX_INPUT 65536

#define require(cond)                                                         \
    do {                                                                      \
        if (!(cond))                                                          \
        {                                                                     \
            fprintf(stderr, "fuzz/matrix: property failed: %s\n", #cond);     \
            abort();                                                          \
        }                                                                     \
    } while (0)

static void
check_rank(const genrank_matrix_t M)
{
    static char path[64] = "";
    genrank_matrix_rank_t res;
    genrank_matrix_opts_t o;
    genrank_verify_info_t info;
    genrank_err_t err;
    if (path[0] == '\0')
    {
        int fd;
        snprintf(path, sizeof path, "/tmp/fuzz-matrix-XXXXXX");
        fd = mkstemp(path);
        require(fd >= 0);
        close(fd);
    }
    slong rank;
    genrank_matrix_opts_init(&o);
    o.exact = 1;
    o.upper = GENRANK_UPPER_KERNEL;
    genrank_matrix_rank_init(res);
    require(genrank_matrix_rank(res, M, &o, &err) == 0);
    require(res->rank >= 0 && res->rank <= FLINT_MIN(M->r, M->c));
    require(res->exact && res->k == (res->left ? M->r : M->c) - res->rank);
    require(genrank_matrix_cert_write(res, M, path, &err) == 0);
    require(genrank_verify_file(path, &info, &err) == 0 && info.matrix && info.rank == res->rank);
    rank = res->rank;
    genrank_matrix_rank_clear(res);
    /* the probabilistic bound: the same rank, a certificate that verifies */
    o.upper = GENRANK_UPPER_PROBABILISTIC;
    require(genrank_matrix_rank(res, M, &o, &err) == 0);
    require(res->exact && res->rank == rank);
    require(genrank_matrix_cert_write(res, M, path, &err) == 0);
    require(genrank_verify_file(path, &info, &err) == 0 && info.matrix && info.rank == rank);
    genrank_matrix_rank_clear(res);
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    static const genrank_matrix_format_t fmts[4] = {GENRANK_MATRIX_AUTO, GENRANK_MATRIX_MM,
                                                    GENRANK_MATRIX_SMS, GENRANK_MATRIX_JSON};
    genrank_matrix_t M;
    genrank_err_t err;
    int rc;
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return -1;
    genrank_matrix_init(M);
    err.msg[0] = '\0';
    rc = genrank_matrix_parse(M, (const char *) bytes + 1, size - 1, fmts[bytes[0] & 3], &err);
    require(rc == 0 || (rc != 0 && err.msg[0] != '\0'));
    if (rc == 0)
    {
        require(M->r >= 1 && M->c >= 1 && M->x != NULL);
        if (M->r * M->c <= 64)
            check_rank(M);
    }
    genrank_matrix_clear(M);
    return 0;
}
