/* The sweep, merge and report commands (src/sweep.c, src/report.c). */
#ifndef GENRANK_SWEEP_H
#define GENRANK_SWEEP_H

#include <jansson.h>
#include "genrank.h"

/* A JSON integer from an fmpz: a number below 2^53, else a decimal string
   (src/main.c). */
json_t *genrank_json_fmpz(const fmpz_t x);

int genrank_cmd_sweep(int argc, char **argv);
int genrank_cmd_merge(int argc, char **argv);
int genrank_cmd_report(int argc, char **argv);

#endif
