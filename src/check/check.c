/* The checker's entry points: read a certificate, find its kind in the
   table by "format" and "version", and run that kind's checker.  A new
   certificate kind is a file in check/ and a row here. */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

typedef struct {
    const char *format;
    int version;
    int (*check)(const json_t *root, const genrank_verify_opts_t *opts,
                 genrank_verify_info_t *info, genrank_err_t *err);
} check_kind_t;

static const check_kind_t check_kinds[] = {
    {"genrank-certificate", 1, _genrank_check_rank},   /* polynomial phi */
    {"genrank-certificate", 2, _genrank_check_rank},   /* named phi */
    {"genrank-capacity", 1, _genrank_check_capacity},
    {"genrank-matrix", 1, _genrank_check_matrix},
    {"genrank-matexp", 1, _genrank_check_matexp},
    {"genrank-network", 1, _genrank_check_network},
};

#define NKINDS ((slong) (sizeof check_kinds / sizeof check_kinds[0]))

static int
check_json(const json_t *root, const genrank_verify_opts_t *opts, genrank_verify_info_t *info,
           genrank_err_t *err)
{
    const json_t *f, *v;
    const char *format;
    char versions[64] = "";
    slong k, known = 0;
    if (!json_is_object(root))
        return genrank_err_set(err, GENRANK_EFORMAT, "not a JSON object");
    f = json_object_get(root, "format");
    format = json_is_string(f) ? json_string_value(f) : "";
    for (k = 0; k < NKINDS; k++)
        if (strcmp(format, check_kinds[k].format) == 0)
        {
            size_t len = strlen(versions);
            snprintf(versions + len, sizeof versions - len, "%s%d", known++ ? ", " : "",
                     check_kinds[k].version);
        }
    if (known == 0)
        return genrank_err_set(err, GENRANK_EFORMAT,
                               "\"format\" is not \"genrank-certificate\", \"genrank-capacity\", "
                               "\"genrank-matrix\", \"genrank-matexp\" or \"genrank-network\"");
    v = json_object_get(root, "version");
    if (!json_is_integer(v))
        return genrank_err_set(err, GENRANK_EFORMAT, "\"version\" is missing or not an integer");
    for (k = 0; k < NKINDS; k++)
        if (strcmp(format, check_kinds[k].format) == 0 && json_integer_value(v) == check_kinds[k].version)
            return check_kinds[k].check(root, opts, info, err);
    return genrank_err_set(err, GENRANK_EFORMAT,
                           "%s version %lld is not supported (this verifier reads version%s %s)",
                           format, (long long) json_integer_value(v), known > 1 ? "s" : "", versions);
}

void
genrank_verify_opts_init(genrank_verify_opts_t *opts)
{
    opts->data_dir = NULL;
    opts->max_prec = GENRANK_VERIFY_MAX_PREC;
    opts->max_memory = 0;
    opts->fast = 0;
}

/* Jansson's tree takes up to about this many bytes per byte of text
   (measured on certificates of small integers: one JSON value per 2-3
   bytes, 60-100 bytes each). */
#define JSON_BYTES_PER_CHAR 40.0

/* The JSON tree of len bytes within the memory opts allow: 0 or ENOMEM. */
static int
json_fits(double len, const genrank_verify_opts_t *opts, genrank_err_t *err)
{
    char b1[32], b2[32];
    double need = len * JSON_BYTES_PER_CHAR, have = _genrank_check_memory(opts);
    if (need > have)
        return genrank_err_set(err, GENRANK_ENOMEM, "reading the certificate needs about %s but "
                               "only %s of memory is available or allowed",
                               _genrank_bytes_str(b1, need), _genrank_bytes_str(b2, have));
    return 0;
}

static int
verify_loaded(json_t *root, const json_error_t *jerr, const genrank_verify_opts_t *opts,
              genrank_verify_info_t *info, genrank_err_t *err)
{
    int rc;
    if (root == NULL && jerr->position == 0 && jerr->line <= 1)
        return genrank_err_set(err, GENRANK_EFORMAT, "empty: a certificate is a JSON object");
    if (root == NULL)
        return genrank_err_set(err, GENRANK_EFORMAT, "not valid JSON (line %d, column %d: %s)",
                               jerr->line, jerr->column, jerr->text);
    if (info != NULL)
        memset(info, 0, sizeof *info);   /* fields a kind does not set read 0 */
    rc = check_json(root, opts, info, err);
    json_decref(root);
    return rc;
}

/* opts with its defaults filled in: the data directory given, or dir. */
static genrank_verify_opts_t
effective_opts(const genrank_verify_opts_t *opts, const char *dir)
{
    genrank_verify_opts_t o;
    if (opts != NULL)
        o = *opts;
    else
        genrank_verify_opts_init(&o);
    if (o.data_dir == NULL)
        o.data_dir = dir;
    if (o.max_prec < 2 || o.max_prec > (WORD(1) << 24))
        o.max_prec = o.max_prec < 2 ? GENRANK_VERIFY_MAX_PREC : WORD(1) << 24;
    return o;
}

int
genrank_verify_string_opts(const char *json, const genrank_verify_opts_t *opts,
                           genrank_verify_info_t *info, genrank_err_t *err)
{
    json_error_t jerr;
    json_t *root;
    genrank_verify_opts_t o = effective_opts(opts, ".");
    int rc = json_fits((double) strlen(json), &o, err);
    if (rc != 0)
        return rc;
    root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    return verify_loaded(root, &jerr, &o, info, err);
}

int
genrank_verify_string(const char *json, genrank_verify_info_t *info, genrank_err_t *err)
{
    return genrank_verify_string_opts(json, NULL, info, err);
}

int
genrank_verify_file_opts(const char *path, const genrank_verify_opts_t *opts,
                         genrank_verify_info_t *info, genrank_err_t *err)
{
    json_error_t jerr;
    json_t *root;
    struct stat sb;
    FILE *f;
    char *dir;
    const char *slash;
    genrank_verify_opts_t o;
    int rc, known = (stat(path, &sb) == 0);
    if (known && S_ISDIR(sb.st_mode))
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': it is a directory", path);
    if (known && !S_ISREG(sb.st_mode))
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': not a regular file "
                               "(a certificate is read once, from a file)", path);
    /* the certificate's own directory */
    slash = strrchr(path, '/');
    if (slash == NULL)
        dir = strdup(".");
    else if (slash == path)
        dir = strdup("/");
    else
        dir = strndup(path, (size_t) (slash - path));
    if (dir == NULL)
        return genrank_err_set(err, GENRANK_ENOMEM, "out of memory");
    o = effective_opts(opts, dir);
    if (known && (rc = json_fits((double) sb.st_size, &o, err)) != 0)
    {
        free(dir);
        return rc;
    }
    f = fopen(path, "rb");
    if (f == NULL)
    {
        free(dir);
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': %s", path, strerror(errno));
    }
    root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    rc = verify_loaded(root, &jerr, &o, info, err);
    free(dir);
    return rc;
}

int
genrank_verify_file(const char *path, genrank_verify_info_t *info, genrank_err_t *err)
{
    return genrank_verify_file_opts(path, NULL, info, err);
}

double
_genrank_check_memory(const genrank_verify_opts_t *opts)
{
    double have = (double) genrank_memory_available();
    return opts->max_memory > 0 && opts->max_memory < have ? opts->max_memory : have;
}

int
_genrank_check_precision(slong prec, const genrank_verify_opts_t *opts, genrank_err_t *err)
{
    if (prec > opts->max_prec)
        return genrank_err_set(err, GENRANK_ENOMEM, "the witness asks for %ld bits of precision, "
                               "above the limit of %ld (raise it with --max-precision)",
                               (long) prec, (long) opts->max_prec);
    return 0;
}
