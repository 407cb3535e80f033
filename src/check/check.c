/* The checker's entry points: read a certificate, find its kind in the
   table by "format" and "version", and run that kind's checker.  A new
   certificate kind is a file in check/ and a row here. */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include "check.h"

typedef struct {
    const char *format;
    int version;
    int (*check)(const json_t *root, genrank_verify_info_t *info, genrank_err_t *err);
} check_kind_t;

static const check_kind_t check_kinds[] = {
    {"genrank-certificate", 1, _genrank_check_rank},   /* polynomial phi */
    {"genrank-certificate", 2, _genrank_check_rank},   /* named phi */
    {"genrank-capacity", 1, _genrank_check_capacity},
};

#define NKINDS ((slong) (sizeof check_kinds / sizeof check_kinds[0]))

static int
check_json(const json_t *root, genrank_verify_info_t *info, genrank_err_t *err)
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
                               "\"format\" is not \"genrank-certificate\" or \"genrank-capacity\"");
    v = json_object_get(root, "version");
    if (!json_is_integer(v))
        return genrank_err_set(err, GENRANK_EFORMAT, "\"version\" is missing or not an integer");
    for (k = 0; k < NKINDS; k++)
        if (strcmp(format, check_kinds[k].format) == 0 && json_integer_value(v) == check_kinds[k].version)
            return check_kinds[k].check(root, info, err);
    return genrank_err_set(err, GENRANK_EFORMAT,
                           "%s version %lld is not supported (this verifier reads version%s %s)",
                           format, (long long) json_integer_value(v), known > 1 ? "s" : "", versions);
}

static int
verify_loaded(json_t *root, const json_error_t *jerr, genrank_verify_info_t *info,
              genrank_err_t *err)
{
    int rc;
    if (root == NULL)
        return genrank_err_set(err, GENRANK_EFORMAT, "not valid JSON (line %d, column %d: %s)",
                               jerr->line, jerr->column, jerr->text);
    rc = check_json(root, info, err);
    json_decref(root);
    return rc;
}

int
genrank_verify_string(const char *json, genrank_verify_info_t *info, genrank_err_t *err)
{
    json_error_t jerr;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
    return verify_loaded(root, &jerr, info, err);
}

int
genrank_verify_file(const char *path, genrank_verify_info_t *info, genrank_err_t *err)
{
    json_error_t jerr;
    json_t *root;
    struct stat sb;
    FILE *f;
    int known = (stat(path, &sb) == 0);
    if (known && S_ISDIR(sb.st_mode))
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': it is a directory", path);
    if (known && !S_ISREG(sb.st_mode))
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': not a regular file "
                               "(a certificate is read once, from a file)", path);
    f = fopen(path, "rb");
    if (f == NULL)
        return genrank_err_set(err, GENRANK_EIO, "cannot read '%.200s': %s", path, strerror(errno));
    root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
    fclose(f);
    return verify_loaded(root, &jerr, info, err);
}
