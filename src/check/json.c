/* The checker's readers of JSON fields: integers of any size, indices,
   shapes checked before anything is allocated, rationals as strings. */
#include <string.h>
#include "check.h"

int
_genrank_json_int(fmpz_t x, const json_t *v)
{
    if (json_is_integer(v))
    {
        fmpz_set_si(x, (slong) json_integer_value(v));
        return 0;
    }
    if (json_is_string(v))
        return genrank_integer_parse(x, json_string_value(v), NULL) ? GENRANK_EFORMAT : 0;
    return GENRANK_EFORMAT;
}

int
_genrank_json_slong(slong *out, const json_t *v, slong lo, slong hi)
{
    fmpz_t x;
    int ok;
    fmpz_init(x);
    ok = _genrank_json_int(x, v) == 0 && fmpz_cmp_si(x, lo) >= 0 && fmpz_cmp_si(x, hi) <= 0;
    if (ok)
        *out = fmpz_get_si(x);
    fmpz_clear(x);
    return ok ? 0 : GENRANK_EFORMAT;
}

int
_genrank_json_ulong(ulong *out, const json_t *v)
{
    fmpz_t x;
    int ok;
    fmpz_init(x);
    ok = _genrank_json_int(x, v) == 0 && fmpz_sgn(x) >= 0 && fmpz_abs_fits_ui(x);
    if (ok)
        *out = fmpz_get_ui(x);
    fmpz_clear(x);
    return ok ? 0 : GENRANK_EFORMAT;
}

int
_genrank_json_shape(const json_t *a, slong rows, slong cols, const char *name,
                    genrank_err_t *err)
{
    slong i;
    if (!json_is_array(a) || (slong) json_array_size(a) != rows)
        return genrank_err_set(err, GENRANK_EFORMAT,
            "\"%s\" must be an array of %ld rows", name, (long) rows);
    for (i = 0; i < rows; i++)
    {
        const json_t *r = json_array_get(a, i);
        if (!json_is_array(r) || (slong) json_array_size(r) != cols)
            return genrank_err_set(err, GENRANK_EFORMAT,
                "\"%s\"[%ld] must be an array of %ld entries", name, (long) i, (long) cols);
    }
    return 0;
}

int
_genrank_json_int_matrix(fmpz *v, const json_t *a, slong rows, slong cols,
                         const char *name, genrank_err_t *err)
{
    slong i, j;
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            if (_genrank_json_int(v + i * cols + j, json_array_get(json_array_get(a, i), j)) != 0)
                return genrank_err_set(err, GENRANK_EFORMAT,
                    "\"%s\"[%ld][%ld] is not an integer", name, (long) i, (long) j);
    return 0;
}

/* A rational string into x: 1 when it is one. */
static int
rational_at(fmpq_t x, const json_t *e)
{
    return json_is_string(e) && genrank_rational_parse(x, json_string_value(e), NULL) == 0;
}

int
_genrank_json_rational_matrix(fmpq *v, const json_t *a, slong rows, slong cols,
                              const char *name, genrank_err_t *err)
{
    slong i, j;
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++)
            if (!rational_at(v + i * cols + j, json_array_get(json_array_get(a, i), j)))
                return genrank_err_set(err, GENRANK_EFORMAT,
                    "\"%s\"[%ld][%ld] is not a rational string such as \"-5/2\"",
                    name, (long) i, (long) j);
    return 0;
}

int
_genrank_json_rational_list(fmpq *v, const json_t *a, slong len, const char *name,
                            genrank_err_t *err)
{
    slong i;
    if (!json_is_array(a) || (slong) json_array_size(a) != len)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"%s\" must be an array of %ld strings",
                               name, (long) len);
    for (i = 0; i < len; i++)
        if (!rational_at(v + i, json_array_get(a, i)))
            return genrank_err_set(err, GENRANK_EFORMAT,
                "\"%s\"[%ld] is not a rational string such as \"-5/2\"", name, (long) i);
    return 0;
}

int
_genrank_json_indices(slong *v, const json_t *a, slong count, slong bound,
                      const char *name, genrank_err_t *err)
{
    slong i;
    if (!json_is_array(a))
        return genrank_err_set(err, GENRANK_EFORMAT, "%s must be an array", name);
    if ((slong) json_array_size(a) != count)
        return genrank_err_set(err, GENRANK_EINVALID,
            "%s has %ld entries, not %ld", name, (long) json_array_size(a), (long) count);
    for (i = 0; i < count; i++)
    {
        if (_genrank_json_slong(v + i, json_array_get(a, i), 0, bound - 1) != 0)
            return genrank_err_set(err, GENRANK_EINVALID,
                "%s[%ld] is not an index in [0, %ld)", name, (long) i, (long) bound);
        if (i > 0 && v[i] <= v[i - 1])
            return genrank_err_set(err, GENRANK_EINVALID,
                "%s are not strictly increasing at position %ld", name, (long) i);
    }
    return 0;
}

int
_genrank_json_route(const json_t *w)
{
    const json_t *v = json_object_get(w, "route");
    if (!json_is_string(v))
        return -1;
    if (strcmp(json_string_value(v), "ball") == 0)
        return 1;
    return strcmp(json_string_value(v), "exact") == 0 ? 0 : -1;
}
