/* libFuzzer harness: the exact data reader of capacity (core/data.c),
   genrank_data_parse, then what capacity does with the points it read:
   the facts (duplicate groups, zero points, rank over Q) and dedup.

   The first byte chooses the reading options: bits 0-1 the header
   (auto, yes, no, auto), bits 2-4 the label column (none, last, or
   column 0..5); the rest is the file's text, handed over with its
   length and no terminating NUL, so a read past the end is an
   AddressSanitizer report.

   Properties: a parse that succeeds has n >= 1 points of d >= 1
   features on increasing lines, each its own source; dedup leaves no
   equal points and no zero point, keeps every point that is neither,
   and keeps the rank.  The rank (an fmpz_mat_rank) is computed only for
   inputs of at most 4 KB, so that fuzzing time goes to the reader. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "genrank.h"

#define FUZZ_MAX_INPUT 65536
#define MAX_FACTS 4096

#define require(cond)                                                         \
    do {                                                                      \
        if (!(cond))                                                          \
        {                                                                     \
            fprintf(stderr, "fuzz/data: property failed: %s\n", #cond);       \
            abort();                                                          \
        }                                                                     \
    } while (0)

static void
check_read(const genrank_data_t data)
{
    slong k;
    require(data->n >= 1 && data->d >= 1 && data->x != NULL);
    require(data->nsource == data->n);
    for (k = 0; k < data->n; k++)
    {
        require(data->source[k] == k);
        require(data->line[k] >= 1 && (k == 0 || data->line[k] > data->line[k - 1]));
    }
}

static void
check_facts(const genrank_data_t data)
{
    genrank_data_facts_t facts, after;
    genrank_data_t out;
    slong g, k, dropped = 0;
    genrank_data_facts_init(facts);
    genrank_data_facts_init(after);
    genrank_data_init(out);
    genrank_data_facts(facts, data);
    require(facts->rank >= 0 && facts->rank <= data->n && facts->rank <= data->d);
    require(facts->nzero >= 0 && facts->nzero <= data->n);
    for (g = 0; g < facts->ndup_groups; g++)
    {
        require(facts->dup_start[g + 1] - facts->dup_start[g] >= 2);
        for (k = facts->dup_start[g] + 1; k < facts->dup_start[g + 1]; k++)
            require(facts->dup[k] > facts->dup[k - 1]);    /* increasing in a group */
    }
    /* every group but its first point, and every zero point outside a group */
    dropped = facts->ndup - facts->ndup_groups;
    for (k = 0; k < facts->nzero; k++)
    {
        slong s, in_group = 0;
        for (s = 0; s < facts->ndup; s++)
            in_group |= (facts->dup[s] == facts->zero[k]);
        dropped += !in_group;
    }
    /* a group of zero points loses its first point too */
    for (g = 0; g < facts->ndup_groups; g++)
        for (k = 0; k < facts->nzero; k++)
            dropped += (facts->dup[facts->dup_start[g]] == facts->zero[k]);
    require(genrank_data_dedup(out, data, facts) == data->n - dropped);
    require(out->n == data->n - dropped);
    genrank_data_facts(after, out);
    require(after->ndup_groups == 0 && after->nzero == 0);
    require(after->rank == facts->rank);
    genrank_data_facts_clear(after);
    genrank_data_facts_clear(facts);
    genrank_data_clear(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    static const int headers[4] = {GENRANK_HEADER_AUTO, GENRANK_HEADER_YES, GENRANK_HEADER_NO,
                                   GENRANK_HEADER_AUTO};
    genrank_data_opts_t opts;
    genrank_data_t data;
    genrank_err_t err;
    int rc, label;
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return -1;
    genrank_data_opts_init(&opts);
    opts.header = headers[bytes[0] & 3];
    label = (bytes[0] >> 2) & 7;
    opts.label_column = label == 0 ? GENRANK_LABEL_NONE : label == 1 ? GENRANK_LABEL_LAST : label - 2;
    genrank_data_init(data);
    err.msg[0] = '\0';
    rc = genrank_data_parse(data, (const char *) bytes + 1, size - 1, &opts, &err);
    require(rc == 0 || (rc == GENRANK_EINVAL && err.msg[0] != '\0'));
    if (rc == 0)
    {
        check_read(data);
        if (size <= MAX_FACTS)
            check_facts(data);
    }
    genrank_data_clear(data);
    return 0;
}
