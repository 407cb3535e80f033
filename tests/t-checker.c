/* The checker on its own: this program includes only genrank-check.h and
   links only libgenrank-check (Makefile.am), and checks every shipped
   certificate, then the same certificates with their rank raised by one,
   which must be refused. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "genrank-check.h"
#include "tap.h"

static int valid = 0, total = 0, refused = 0, tampered = 0;

/* "rank": N in text becomes N + 1 (in place, with room for one more
   digit); 1 when there was one. */
static int
raise_rank(char **text)
{
    char *p = strstr(*text, "\"rank\": "), *end, *out;
    long r;
    size_t pre, len = strlen(*text);
    if (p == NULL)
        return 0;
    p += 8;
    r = strtol(p, &end, 10);
    if (end == p)
        return 0;
    pre = (size_t) (p - *text);
    out = malloc(len + 32);
    memcpy(out, *text, pre);
    sprintf(out + pre, "%ld", r + 1);
    strcat(out, end);
    free(*text);
    *text = out;
    return 1;
}

static void
check_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    genrank_verify_opts_t opts;
    /* data files named by capacity certificates are relative to the
       tree's root, the directory the test runs in */
    genrank_verify_opts_init(&opts);
    opts.data_dir = ".";
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL)
    {
        size_t n = strlen(e->d_name);
        genrank_verify_info_t info;
        genrank_err_t err;
        char *text;
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        total++;
        if (genrank_verify_file_opts(path, &opts, &info, &err) == 0 && info.rank >= 0)
            valid++;
        else
            TAP_DIAG("%s: %s", path, err.msg);
        text = slurp(path);
        if (text != NULL && raise_rank(&text))
        {
            tampered++;
            if (genrank_verify_string(text, NULL, &err) != 0)
                refused++;
            else
                TAP_DIAG("%s with its rank raised was accepted", path);
        }
        free(text);
    }
    closedir(d);
}

int
main(void)
{
    const char *top = getenv("top_srcdir");
    const char *dirs[] = {"certificates", "certificates/analytic", "certificates/capacity",
                          "certificates/atlas", "certificates/matrix", "certificates/matexp",
                          "certificates/network"};
    size_t k;
    if (top != NULL && chdir(top) != 0)
        return 1;
    for (k = 0; k < sizeof dirs / sizeof dirs[0]; k++)
        check_dir(dirs[k]);
    TAP_DIAG("%d certificates, %d with a rank to raise", total, tampered);
    TAP_OK(total >= 200, "the shipped certificates are found (%d)", total);
    TAP_OK(valid == total, "libgenrank-check alone accepts every shipped certificate (%d of %d)",
           valid, total);
    TAP_OK(tampered == total && refused == tampered,
           "libgenrank-check alone refuses each of them with its rank raised by one (%d of %d)",
           refused, tampered);
    return tap_done();
}
