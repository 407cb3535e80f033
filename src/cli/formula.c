/* genrank formula: the published prediction (Theorems 3.2-4.5). */
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

static const char *usage_formula =
"Usage: genrank formula [--family F] --m M --d D --n N (--coeffs C | --phi NAME)\n"
"                       [--json]\n"
"\n"
"Prints the paper's predicted generic rank, computed in exact integers:\n"
"  hadamard   (m x n):  min(m, n, sum over c_k != 0 of C(k+d-1, k))   Thm 3.1/3.2\n"
"  khatri-rao (md x n): min(md, n, sum over c_k != 0 of C(k+d, k+1))  Thm 4.2/4.3\n"
"For khatri-rao with a monomial phi = c x^k it also prints the exact value\n"
"given by the Alexander-Hirschowitz theorem.\n"
"\n"
"  --family F    hadamard or khatri-rao (default khatri-rao)\n"
"  --m M, --d D, --n N   sizes (A is m x d, B is n x d), each >= 1\n"
"  --coeffs C    c0,c1,...,cK as integers, fractions or exact decimals,\n"
"                e.g. 0,1,1/2 or 0,1,0.5\n"
"  --phi NAME    a named analytic activation instead (tanh, sigmoid', gelu, ...):\n"
"                Theorem 4.4 / 4.5's min(m, n) / min(md, n)\n"
"  --json        print a JSON object instead of text (doc/json.md)\n";

int
cmd_formula(int argc, char **argv)
{
    spec_t sp = {GENRANK_KHATRI_RAO, 0, 0, 0, NULL, 0, GENRANK_PHI_POLY};
    genrank_formula_t f;
    int c, json = 0;

    while ((c = getopt_long(argc, argv, "h", spec_longopts, NULL)) != -1)
    {
        if (spec_option(&sp, c, optarg, "formula"))
            continue;
        if (c == O_JSON)
            json = 1;
        else if (c == O_HELP || c == 'h')
        {
            fputs(usage_formula, stdout);
            return EX_OK;
        }
        else if (c == '?')
            die_usage("formula", bad_option(argv));
        else
            die_usage("formula", "option not accepted by formula");
    }
    if (optind < argc)
        die_usage("formula", "unexpected argument");
    spec_check_phi(&sp, "formula");
    if (sp.m == 0 || sp.d == 0 || sp.n == 0 || (sp.coeffs == NULL && sp.phi == GENRANK_PHI_POLY))
        die_usage("formula", "--m, --d, --n and --coeffs (or --phi) are required");

    genrank_formula_init(f);
    if (sp.phi != GENRANK_PHI_POLY)
        genrank_formula_phi(f, sp.family, sp.m, sp.d, sp.n);
    else
        genrank_formula(f, sp.family, sp.m, sp.d, sp.n, sp.coeffs, sp.len);
    if (json)
    {
        json_t *o = cli_json_object("formula"), *cs = json_array();
        slong k;
        json_object_set_new(o, "family", json_string(genrank_family_name(sp.family)));
        json_object_set_new(o, "m", json_integer(sp.m));
        json_object_set_new(o, "d", json_integer(sp.d));
        json_object_set_new(o, "n", json_integer(sp.n));
        for (k = 0; k < sp.len; k++)
        {
            char *s = fmpq_get_str(NULL, 10, sp.coeffs + k);
            json_array_append_new(cs, json_string(s));
            flint_free(s);
        }
        if (sp.phi != GENRANK_PHI_POLY)
        {
            json_decref(cs);
            json_object_set_new(o, "phi", json_string(genrank_phi_name(sp.phi)));
        }
        else
            json_object_set_new(o, "coeffs", cs);
        json_object_set_new(o, "theorem", json_string(f->theorem));
        if (!f->analytic)
            json_object_set_new(o, "binomial_sum", genrank_json_fmpz(f->terms));
        json_object_set_new(o, "predicted", genrank_json_fmpz(f->predicted));
        if (f->has_corrected)
        {
            json_object_set_new(o, "corrected", genrank_json_fmpz(f->corrected));
            json_object_set_new(o, "corrected_source", json_string(f->corrected_source));
        }
        if (f->has_bound)
        {
            json_object_set_new(o, "upper_bound", genrank_json_fmpz(f->bound));
            json_object_set_new(o, "upper_bound_source", json_string(f->bound_source));
        }
        print_json(o);
    }
    else
    {
        char phi[256];
        spec_phi_string(phi, sizeof phi, &sp);
        printf("family     %s, m=%ld d=%ld n=%ld, phi(x) = %s\n", genrank_family_name(sp.family),
               (long) sp.m, (long) sp.d, (long) sp.n, phi);
        printf("predicted  ");
        fmpz_print(f->predicted);
        if (f->analytic)
            printf("  (%s: min(%s, n) for phi real analytic and not a polynomial)\n",
                   f->theorem, sp.family == GENRANK_HADAMARD ? "m" : "md");
        else
        {
            printf("  (%s: min(%s, n, ", f->theorem, sp.family == GENRANK_HADAMARD ? "m" : "md");
            fmpz_print(f->terms);
            printf("))\n");
        }
        if (f->has_corrected)
        {
            printf("corrected  ");
            fmpz_print(f->corrected);
            printf("  (%s)%s\n", f->corrected_source,
                   f->ah_exceptional ? ": the published value is too high here" : "");
        }
        if (f->has_bound)
        {
            printf("bound      ");
            fmpz_print(f->bound);
            printf("  (a proved upper bound: %s): the published value is too high here\n",
                   f->bound_source);
        }
    }
    genrank_formula_clear(f);
    genrank_coeffs_free(sp.coeffs, sp.len);
    return EX_OK;
}

