/* numpy's .npy format (NEP 1, "A simple file format for NumPy arrays"),
   read exactly for genrank rank: versions 1.0, 2.0 and 3.0; one- or
   two-dimensional arrays (a vector is one row) of signed or unsigned
   integers of 1, 2, 4 or 8 bytes and booleans, in either byte order and
   either memory order.  Float arrays (4 or 8 bytes) are read only when
   asked, each value as the exact binary fraction it is; object arrays,
   strings, complex and structured types are refused. */
#include <math.h>
#include <string.h>
#include "genrank.h"
#include "core.h"

typedef struct {
    char kind;        /* 'i', 'u', 'b' or 'f' */
    int size;         /* bytes per entry */
    int big;          /* 1: big-endian */
    int fortran;      /* 1: column-major data */
    int ndim;
    slong shape[2];
} npy_header_t;

/* The header dict's top-level values, found by walking it token by
   token: '{', then key: value pairs separated by ',', then '}'.  A key is
   a quoted string; a value a quoted string, a parenthesised tuple, a
   bracketed list (structured types) or a bare word.  Each value found for
   descr, fortran_order and shape is pointed to (NUL-terminated in place).
   0, or -1 when the text is not such a dict. */
typedef struct {
    char *descr, *fortran, *shape;
} npy_dict_t;

static char *
skip_space(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

/* The end of the value starting at s (one past it), or NULL. */
static char *
value_end(char *s)
{
    char close;
    int depth = 0;
    if (*s == '\'' || *s == '"')
    {
        char *e = strchr(s + 1, *s);
        return e == NULL ? NULL : e + 1;
    }
    if (*s == '(' || *s == '[')
    {
        close = *s == '(' ? ')' : ']';
        for (; *s; s++)
        {
            if (*s == '\'' || *s == '"')
            {
                char *e = strchr(s + 1, *s);
                if (e == NULL)
                    return NULL;
                s = e;
            }
            else if (*s == '(' || *s == '[')
                depth++;
            else if ((*s == ')' || *s == ']') && --depth == 0)
                return *s == close ? s + 1 : NULL;
        }
        return NULL;
    }
    while (*s && *s != ',' && *s != '}' && *s != ' ')
        s++;
    return s;
}

static int
parse_dict(npy_dict_t *D, char *h)
{
    char *s = skip_space(h);
    memset(D, 0, sizeof *D);
    if (*s++ != '{')
        return -1;
    for (;;)
    {
        char *key, *kend, *val, *vend;
        s = skip_space(s);
        if (*s == '}')
            return 0;
        if (*s != '\'' && *s != '"')
            return -1;
        key = s + 1;
        if ((kend = strchr(key, *s)) == NULL)
            return -1;
        s = skip_space(kend + 1);
        if (*s++ != ':')
            return -1;
        val = skip_space(s);
        if ((vend = value_end(val)) == NULL || vend == val)
            return -1;
        s = skip_space(vend);
        if (*s != ',' && *s != '}')
            return -1;
        if (*s == ',')
            s++;
        *kend = '\0';
        if (!strcmp(key, "descr"))
            D->descr = val;
        else if (!strcmp(key, "fortran_order"))
            D->fortran = val;
        else if (!strcmp(key, "shape"))
            D->shape = val;
    }
}

static int
parse_descr(npy_header_t *H, const char *v, genrank_err_t *err)
{
    char q, order, kind;
    int size = 0, n = 0;
    if (v == NULL || (*v != '\'' && *v != '"'))
        return genrank_err_set(err, GENRANK_EINVAL, ".npy header: 'descr' is not a simple type "
                               "(structured arrays are not matrices)");
    if (strnlen(v, 3) < 3)
        return genrank_err_set(err, GENRANK_EINVAL, ".npy header: 'descr' is not a type such as '<i8'");
    q = *v++;
    order = *v++;
    kind = *v++;
    if (kind == 'O')
        return genrank_err_set(err, GENRANK_EINVAL, "the .npy array holds Python objects, which "
                               "cannot be read without Python: save integers (e.g. "
                               "a.astype(numpy.int64)) or write JSON with exact strings such as \"2/3\"");
    if (sscanf(v, "%d%n", &size, &n) != 1 || v[n] != q)
        return genrank_err_set(err, GENRANK_EINVAL, ".npy header: 'descr' is not a type such as '<i8'");
    if (order != '<' && order != '>' && order != '|' && order != '=')
        return genrank_err_set(err, GENRANK_EINVAL, ".npy header: unknown byte order '%c'", order);
    if (kind == 'f' && size != 4 && size != 8)
        return genrank_err_set(err, GENRANK_EINVAL, "the .npy array holds %d-byte floats: only 4- and "
                               "8-byte floats are read", size);
    if ((kind == 'i' || kind == 'u') && size != 1 && size != 2 && size != 4 && size != 8)
        return genrank_err_set(err, GENRANK_EINVAL, "the .npy array holds %d-byte integers: only 1, "
                               "2, 4 and 8 bytes are read", size);
    if (kind == 'b' && size != 1)
        return genrank_err_set(err, GENRANK_EINVAL, ".npy header: a boolean of %d bytes", size);
    if (kind != 'i' && kind != 'u' && kind != 'b' && kind != 'f')
        return genrank_err_set(err, GENRANK_EINVAL, "the .npy array's type '%c%d' is not a number "
                               "genrank reads (integers, booleans, or floats with --float-exact)", kind, size);
    H->kind = kind;
    H->size = size;
    H->big = (order == '>');
    return 0;
}

static int
parse_shape(npy_header_t *H, const char *v, genrank_err_t *err)
{
    const char *s = v;
    H->ndim = 0;
    if (s == NULL || *s++ != '(')
        return genrank_err_set(err, GENRANK_EINVAL, ".npy header: 'shape' is not a tuple");
    for (;;)
    {
        char *end;
        long long x;
        while (*s == ' ' || *s == ',')
            s++;
        if (*s == ')')
            break;
        if (H->ndim == 2)
            return genrank_err_set(err, GENRANK_EINVAL, "the .npy array has more than two "
                                   "dimensions: a matrix has two");
        if (*s < '0' || *s > '9')
            return genrank_err_set(err, GENRANK_EINVAL, ".npy header: 'shape' holds a non-integer");
        x = strtoll(s, &end, 10);
        if (x > ((long long) 1 << 40) || end == s)
            return genrank_err_set(err, GENRANK_EINVAL, ".npy header: a dimension is too large");
        H->shape[H->ndim++] = (slong) x;
        s = end;
    }
    if (H->ndim == 0)   /* a scalar: one entry */
        H->shape[0] = H->shape[1] = 1;
    else if (H->ndim == 1)   /* a vector: one row */
        H->shape[1] = H->shape[0], H->shape[0] = 1;
    return 0;
}

/* One entry at p as an exact rational. */
static int
read_entry(fmpq_t x, const unsigned char *p, const npy_header_t *H)
{
    uint64_t u = 0;
    int b;
    for (b = 0; b < H->size; b++)
        u |= (uint64_t) p[H->big ? H->size - 1 - b : b] << (8 * b);
    fmpz_one(fmpq_denref(x));
    if (H->kind == 'u' || H->kind == 'b')
        fmpz_set_ui(fmpq_numref(x), u);
    else if (H->kind == 'i')
    {
        if (H->size < 8 && (u >> (8 * H->size - 1)))   /* sign-extend */
            u |= ~UINT64_C(0) << (8 * H->size);
        fmpz_set_si(fmpq_numref(x), (slong) (int64_t) u);
    }
    else
    {
        double d;
        int e;
        if (H->size == 4)
        {
            float f;
            uint32_t w = (uint32_t) u;
            memcpy(&f, &w, 4);
            d = f;
        }
        else
            memcpy(&d, &u, 8);
        if (!isfinite(d))
            return 0;
        /* d = m 2^e with m an integer of at most 53 bits: exact */
        d = frexp(d, &e);
        fmpz_set_d(fmpq_numref(x), ldexp(d, 53));
        e -= 53;
        if (e >= 0)
            fmpz_mul_2exp(fmpq_numref(x), fmpq_numref(x), (ulong) e);
        else
            fmpz_mul_2exp(fmpq_denref(x), fmpq_denref(x), (ulong) -e);
        fmpq_canonicalise(x);
    }
    return 1;
}

int
_genrank_matrix_parse_npy(genrank_matrix_t M, const unsigned char *text, size_t len, int floats,
                          genrank_err_t *err)
{
    npy_header_t H;
    npy_dict_t D;
    size_t hlen, off;
    char *h;
    const char *fo;
    slong i, j, r, c;
    int rc, major;
    if (len < 10 || memcmp(text, "\x93NUMPY", 6) != 0)
        return genrank_err_set(err, GENRANK_EINVAL, "not a .npy file (no \\x93NUMPY magic)");
    major = text[6];
    if (major == 1)
        hlen = (size_t) text[8] | ((size_t) text[9] << 8), off = 10;
    else if (major == 2 || major == 3)
    {
        if (len < 12)
            return genrank_err_set(err, GENRANK_EINVAL, ".npy file truncated in its header");
        hlen = (size_t) text[8] | ((size_t) text[9] << 8) | ((size_t) text[10] << 16)
               | ((size_t) text[11] << 24);
        off = 12;
    }
    else
        return genrank_err_set(err, GENRANK_EINVAL, ".npy format version %d is not read "
                               "(1, 2 and 3 are)", major);
    if (hlen > len - off)
        return genrank_err_set(err, GENRANK_EINVAL, ".npy file truncated in its header");
    h = flint_malloc(hlen + 1);
    memcpy(h, text + off, hlen);
    h[hlen] = '\0';
    off += hlen;
    memset(&H, 0, sizeof H);
    if (strlen(h) != hlen)
        rc = genrank_err_set(err, GENRANK_EINVAL, ".npy header contains a NUL byte");
    else if (parse_dict(&D, h) != 0)
        rc = genrank_err_set(err, GENRANK_EINVAL, ".npy header is not a dict {'descr': ..., "
                             "'fortran_order': ..., 'shape': (...)}");
    else if ((rc = parse_descr(&H, D.descr, err)) == 0
             && (rc = parse_shape(&H, D.shape, err)) == 0)
    {
        fo = D.fortran;
        if (fo != NULL && !strncmp(fo, "True", 4))
            H.fortran = 1;
        else if (fo == NULL || strncmp(fo, "False", 5) != 0)
            rc = genrank_err_set(err, GENRANK_EINVAL, ".npy header: 'fortran_order' is not True or False");
    }
    flint_free(h);
    if (rc != 0)
        return rc;
    if (H.kind == 'f' && !floats)
        return genrank_err_set(err, GENRANK_EINVAL, "the .npy array holds floats, whose values are "
                               "rounded: give integers, or --float-exact to take each float as the "
                               "exact binary fraction it is");
    r = H.shape[0], c = H.shape[1];
    if (r < 1 || c < 1)
        return genrank_err_set(err, GENRANK_EINVAL, "the .npy array is empty (%ld x %ld)", (long) r, (long) c);
    if ((double) r * (double) c * H.size > (double) (len - off))
        return genrank_err_set(err, GENRANK_EINVAL, "the .npy file is truncated: a %ld x %ld array "
                               "of %d-byte entries needs %.0f bytes of data, it has %zu", (long) r,
                               (long) c, H.size, (double) r * (double) c * H.size, len - off);
    if ((rc = _genrank_matrix_alloc(M, r, c, len, err)) != 0)
        return rc;
    for (i = 0; i < r; i++)
        for (j = 0; j < c; j++)
        {
            slong k = H.fortran ? j * r + i : i * c + j;
            if (!read_entry(M->x + i * c + j, text + off + (size_t) k * H.size, &H))
                return genrank_err_set(err, GENRANK_EINVAL, "entry (%ld, %ld) of the .npy array is "
                                       "not a finite number", (long) i, (long) j);
        }
    return 0;
}
