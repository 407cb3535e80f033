/* genrank: the command-line tool.  One file per command (doc/architecture.md). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <jansson.h>
#include <flint/ulong_extras.h>
#include "cli.h"

static const char *usage_main =
"Usage: genrank COMMAND [OPTIONS]\n"
"\n"
"Certified lower bounds on the generic rank of phi(A B^T) (hadamard) and\n"
"B^T (Khatri-Rao) phi(A B^T) (khatri-rao) for polynomial phi and for named\n"
"analytic activations (tanh, sigmoid, gelu, ...), with certificates anyone\n"
"can check.\n"
"\n"
"Commands:\n"
"  formula   print the published prediction (Theorems 3.2 / 4.3 / 4.4 / 4.5)\n"
"  prove     certify a rank at a random integer point and write a certificate\n"
"  verify    check a certificate from scratch\n"
"  capacity  certify how wide a two-layer network must be to fit any labels\n"
"            on a data set (Theorems 5.2-5.4)\n"
"  sweep     certify every case of a grid of sizes and coefficient supports\n"
"  merge     join the outputs of sweep shards\n"
"  report    summarise a sweep as Markdown, CSV and SVG\n"
"  rank      the exact rank of a given matrix (Matrix Market, SMS, JSON),\n"
"            with a certificate\n"
"  matexp    matrix-exponential networks: Theorem 1's weights in balls\n"
"            (solve), the Jacobian's certified rank (capacity)\n"
"  network   certified ranks of a deep network's Jacobian and Hessians,\n"
"            beside Singh-Bachmann-Hofmann's formulas\n"
"  help CMD  show the options of a command\n"
"\n"
"  -h, --help     show this help      -V, --version  show the version\n"
"\n"
"Exit status: 0 success; 1 failure or invalid certificate; 2 bad usage or\n"
"unreadable file; 3 (prove) certificate valid but below the prediction.\n"
"See genrank(1).\n";

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"formula", cmd_formula}, {"prove", cmd_prove}, {"verify", cmd_verify},
    {"capacity", cmd_capacity}, {"sweep", genrank_cmd_sweep}, {"merge", genrank_cmd_merge},
    {"report", genrank_cmd_report}, {"rank", cmd_rank},
    {"matexp", cmd_matexp},
    {"network", cmd_network},
};

#define NCOMMANDS ((int) (sizeof commands / sizeof commands[0]))

int
main(int argc, char **argv)
{
    const char *cmd;
    int k;
    opterr = 0;   /* option errors are reported by die_usage, one line */
    if (argc < 2)
        die_usage(NULL, "missing command (formula, prove, verify, capacity, sweep, merge or report)");
    cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
    {
        fputs(usage_main, stdout);
        return EX_OK;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version"))
    {
        printf("genrank %s (FLINT %s, Jansson %s)\n", GENRANK_VERSION, FLINT_VERSION, JANSSON_VERSION);
        return EX_OK;
    }
    if (!strcmp(cmd, "help"))
    {
        /* genrank help CMD is genrank CMD --help */
        const char *t = argc > 2 ? argv[2] : "";
        for (k = 0; k < NCOMMANDS; k++)
            if (!strcmp(t, commands[k].name))
            {
                char *h[] = {argv[2], "--help", NULL};
                optind = 1;
                return commands[k].run(2, h);
            }
        if (t[0] != '\0')
        {
            fprintf(stderr, "genrank: help: unknown command '%.40s'\n", t);
            fprintf(stderr, "Try 'genrank --help' for more information.\n");
            return EX_USAGE;
        }
        fputs(usage_main, stdout);
        return EX_OK;
    }
    for (k = 0; k < NCOMMANDS; k++)
        if (!strcmp(cmd, commands[k].name))
            return commands[k].run(argc - 1, argv + 1);
    fprintf(stderr, "genrank: unknown command '%.40s'\n", cmd);
    fprintf(stderr, "Try 'genrank --help' for more information.\n");
    return EX_USAGE;
}
