/* The sweep, merge and report commands (src/sweep.c, src/report.c). */
#ifndef GENRANK_SWEEP_H
#define GENRANK_SWEEP_H

int genrank_cmd_sweep(int argc, char **argv);
int genrank_cmd_merge(int argc, char **argv);
int genrank_cmd_report(int argc, char **argv);

#endif
