/* Numbers of Q(i) in JSON, shared by the readers of matexp's data file
   (prove/matexp.c) and of its certificates' points (check/matexp.c): an
   entry is an integer, a string holding a decimal or p/q, a JSON number
   with a fraction or exponent (read as the shortest decimal that gives
   the same double), or a two-element array [re, im] of those. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "core.h"

/* A real part: 1 when v is a number of the kinds above. */
static int
real_at(fmpq_t x, const json_t *v)
{
    genrank_err_t e;
    if (json_is_integer(v))
    {
        fmpq_set_si(x, (slong) json_integer_value(v), 1);
        return 1;
    }
    if (json_is_string(v))
        return genrank_decimal_parse(x, json_string_value(v), &e) == 0;
    if (json_is_real(v))
    {
        /* the shortest decimal that reads back as the same double: what
           was written, for up to 15 significant digits */
        char buf[40];
        double r = json_real_value(v);
        int p;
        for (p = 1; p <= 17; p++)
        {
            snprintf(buf, sizeof buf, "%.*g", p, r);
            if (strtod(buf, NULL) == r)
                break;
        }
        return genrank_decimal_parse(x, buf, &e) == 0;
    }
    return 0;
}

int
_genrank_json_gauss(fmpq_t re, fmpq_t im, const json_t *v)
{
    if (json_is_array(v))
        return json_array_size(v) == 2 && real_at(re, json_array_get(v, 0))
               && real_at(im, json_array_get(v, 1)) ? 0 : GENRANK_EINVAL;
    fmpq_zero(im);
    return real_at(re, v) ? 0 : GENRANK_EINVAL;
}

int
_genrank_json_gauss_matrix(fmpq *re, fmpq *im, const json_t *a, slong d, const char *name,
                           genrank_err_t *err)
{
    slong i, j;
    if (!json_is_array(a) || (slong) json_array_size(a) != d)
        return genrank_err_set(err, GENRANK_EINVAL, "\"%s\" must be an array of %ld rows",
                               name, (long) d);
    for (i = 0; i < d; i++)
    {
        const json_t *r = json_array_get(a, i);
        if (!json_is_array(r) || (slong) json_array_size(r) != d)
            return genrank_err_set(err, GENRANK_EINVAL, "\"%s\"[%ld] must be an array of %ld "
                                   "entries (the matrix is square)", name, (long) i, (long) d);
        for (j = 0; j < d; j++)
            if (_genrank_json_gauss(re + i * d + j, im + i * d + j, json_array_get(r, j)) != 0)
                return genrank_err_set(err, GENRANK_EINVAL, "\"%s\"[%ld][%ld] is not a number "
                                       "(an integer, a decimal or p/q string such as \"-5/2\", "
                                       "or [re, im] of those)", name, (long) i, (long) j);
    }
    return 0;
}

void
_genrank_acb_mat_set_gauss(acb_mat_t A, const fmpq *re, const fmpq *im, slong prec)
{
    slong i, j, d = acb_mat_ncols(A);
    for (i = 0; i < acb_mat_nrows(A); i++)
        for (j = 0; j < d; j++)
        {
            arb_set_fmpq(acb_realref(acb_mat_entry(A, i, j)), re + i * d + j, prec);
            arb_set_fmpq(acb_imagref(acb_mat_entry(A, i, j)), im + i * d + j, prec);
        }
}
