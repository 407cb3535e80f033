/* A given point for genrank prove --point: {"A": m arrays of d numbers,
   "B": n arrays of d numbers}, each number a JSON integer or a string
   holding an integer, a decimal or p/q, read exactly by the matrix
   reader's JSON parser (core/matrix.c), then written as integer matrices
   over the lcm of their denominators. */
#include <string.h>
#include <jansson.h>
#include <flint/fmpq_vec.h>
#include "genrank.h"
#include "internal.h"

void
genrank_point_init(genrank_point_t P)
{
    memset(P, 0, sizeof(genrank_point_struct));
    fmpz_init_set_ui(P->qa, 1);
    fmpz_init_set_ui(P->qb, 1);
}

void
genrank_point_clear(genrank_point_t P)
{
    if (P->A != NULL)
        _fmpz_vec_clear(P->A, P->m * P->d);
    if (P->B != NULL)
        _fmpz_vec_clear(P->B, P->n * P->d);
    fmpz_clear(P->qa);
    fmpz_clear(P->qb);
    memset(P, 0, sizeof(genrank_point_struct));
}

/* One of "A" and "B" into an integer matrix over the lcm q of its
   denominators: *out (rows x cols, new). */
static int
read_part(fmpz **out, slong *rows, slong *cols, fmpz_t q, const json_t *root, const char *name,
          genrank_err_t *err)
{
    const json_t *v = json_object_get(root, name);
    genrank_matrix_t M;
    genrank_err_t e2;
    char *text;
    int rc;
    if (!json_is_array(v))
        return genrank_err_set(err, GENRANK_EINVAL, "\"%s\" must be an array of rows", name);
    text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text == NULL)
        return genrank_err_set(err, GENRANK_ENOMEM, "\"%s\" is too large", name);
    genrank_matrix_init(M);
    rc = genrank_matrix_parse(M, text, strlen(text), GENRANK_MATRIX_JSON, &e2);
    free(text);
    if (rc != 0)
        return genrank_err_set(err, rc, "\"%s\": %s", name, e2.msg);
    if (_genrank_qline_bytes(M->x, M->r * M->c, 1) > 0.5 * (double) genrank_memory_available())
    {
        genrank_matrix_clear(M);
        return genrank_err_set(err, GENRANK_ENOMEM, "\"%s\" over the lcm of its denominators would "
                               "take more than half the memory available", name);
    }
    *rows = M->r;
    *cols = M->c;
    *out = _fmpz_vec_init(M->r * M->c);
    _genrank_qline_integers(*out, q, M->x, M->r * M->c, 1);
    genrank_matrix_clear(M);
    return 0;
}

/* P emptied and the JSON object of path in *root (the caller releases
   it); shape names the object expected, for the message.  0 or an error
   (*root NULL). */
static int
load_object(json_t **root, genrank_point_t P, const char *path, const char *shape,
            genrank_err_t *err)
{
    json_error_t je;
    genrank_point_clear(P);
    genrank_point_init(P);
    *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (*root == NULL)
        return genrank_err_set(err, je.line < 1 ? GENRANK_EIO : GENRANK_EINVAL,
                               "%.200s: line %d: %.120s", path, je.line, je.text);
    if (json_is_object(*root))
        return 0;
    json_decref(*root);
    *root = NULL;
    return genrank_err_set(err, GENRANK_EINVAL, "%.200s: %s", path, shape);
}

int
genrank_point_read(genrank_point_t P, const char *path, genrank_err_t *err)
{
    json_t *root;
    slong da = 0, db = 0;
    int rc;
    if ((rc = load_object(&root, P, path, "the point must be a JSON object "
                          "{\"A\": [...], \"B\": [...]}", err)) != 0)
        return rc;
    if ((rc = read_part(&P->A, &P->m, &da, P->qa, root, "A", err)) == 0
        && (rc = read_part(&P->B, &P->n, &db, P->qb, root, "B", err)) == 0 && da != db)
        rc = genrank_err_set(err, GENRANK_EINVAL, "%.200s: the rows of \"A\" have %ld entries "
                             "and those of \"B\" %ld: both must have d", path, (long) da, (long) db);
    P->d = da;
    json_decref(root);
    if (rc != 0)
    {
        slong d = P->d;
        if (P->B != NULL && db != d)   /* B was allocated with db columns */
            _fmpz_vec_clear(P->B, P->n * db), P->B = NULL;
        genrank_point_clear(P);
        genrank_point_init(P);
    }
    return rc;
}

int
genrank_weights_read(genrank_point_t P, const char *path, genrank_err_t *err)
{
    json_t *root, *b, *col = NULL;
    fmpz *bv = NULL;
    slong rows = 0, one = 0, k;
    int rc;
    if ((rc = load_object(&root, P, path, "the weights must be a JSON object "
                          "{\"W\": [...], \"b\": [...]}", err)) != 0)
        return rc;
    b = json_object_get(root, "b");
    if ((rc = read_part(&P->A, &P->m, &P->d, P->qa, root, "W", err)) != 0)
        ;
    else if (!json_is_array(b))
        rc = genrank_err_set(err, GENRANK_EINVAL, "%.200s: \"b\" must be an array of numbers", path);
    else
    {
        /* b as a column: one row per bias */
        json_t *wrap = json_object();
        col = json_array();
        for (k = 0; k < (slong) json_array_size(b); k++)
            json_array_append_new(col, json_pack("[O]", json_array_get(b, k)));
        json_object_set(wrap, "b", col);
        rc = read_part(&bv, &rows, &one, P->qb, wrap, "b", err);
        json_decref(wrap);
        if (rc == 0 && rows != P->m)
            rc = genrank_err_set(err, GENRANK_EINVAL, "%.200s: \"W\" has %ld rows (neurons) and "
                                 "\"b\" %ld entries: both must have one per neuron", path,
                                 (long) P->m, (long) rows);
    }
    json_decref(col);
    json_decref(root);
    if (rc == 0)
    {
        P->n = P->m;
        P->B = _fmpz_vec_init(P->m * P->d);
        for (k = 0; k < P->m; k++)
            fmpz_set(P->B + k * P->d, bv + k);
    }
    if (bv != NULL)
        _fmpz_vec_clear(bv, rows);
    if (rc != 0)
    {
        if (P->A != NULL)
            _fmpz_vec_clear(P->A, P->m * P->d);
        P->A = NULL;
        genrank_point_clear(P);
        genrank_point_init(P);
    }
    return rc;
}
