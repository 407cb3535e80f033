/* Checking a matrix-rank certificate (doc/certificate-format.md, section
   11), from the certificate alone: the witness minor of the recorded
   matrix modulo its prime (rank >= r); and, when the certificate claims
   the rank is exact, the kernel basis N: M N = 0 (or N^T M = 0) exactly
   over the integers, with each row (column) of M scaled by the lcm of its
   denominators, and N of full column rank by a nonzero minor modulo a
   prime.  Then dim ker >= k = (cols or rows) - r, so rank <= r. */
#include <string.h>
#include <flint/fmpq_vec.h>
#include <flint/fmpz_vec.h>
#include <flint/nmod_mat.h>
#include "check.h"

typedef struct {
    slong r, c, rank, k, len;
    fmpq *x;            /* the matrix, row-major */
    fmpz *N;            /* k vectors of len integers */
    ulong p;
    nmod_t mod;
    slong *rows, *cols, *sel;
    int left;
    const fmpz *nvec;   /* for the kernel minor's rows */
    slong nh, error_bits;  /* the probabilistic bound: primes, error bits */
} mcheck_t;

/* An entry: a JSON integer, an integer string or "p/q". */
static int
q_at(fmpq_t x, const json_t *e)
{
    fmpz_t z;
    int rc;
    if (json_is_string(e))
        return genrank_rational_parse(x, json_string_value(e), NULL) == 0 ? 0 : GENRANK_EFORMAT;
    fmpz_init(z);
    rc = _genrank_json_int(z, e);
    if (rc == 0)
    {
        fmpz_set(fmpq_numref(x), z);
        fmpz_one(fmpq_denref(x));
    }
    fmpz_clear(z);
    return rc;
}

static int
read_matrix(mcheck_t *c, const json_t *root, const genrank_verify_opts_t *opts, genrank_err_t *err)
{
    const json_t *a = json_object_get(root, "matrix");
    slong i, j;
    int rc;
    if (_genrank_json_slong(&c->r, json_object_get(root, "rows"), 1, CHECK_SIZE_MAX) != 0
        || _genrank_json_slong(&c->c, json_object_get(root, "cols"), 1, CHECK_SIZE_MAX) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"rows\" and \"cols\" must be positive integers");
    /* the shape first: the sizes are then bounded by what the file holds */
    if ((rc = _genrank_json_shape(a, c->r, c->c, "matrix", err)) != 0)
        return rc;
    if ((double) c->r * (double) c->c * 24.0 > _genrank_check_memory(opts))
        return genrank_err_set(err, GENRANK_ENOMEM, "the %ld x %ld matrix does not fit in the "
                               "memory available or allowed", (long) c->r, (long) c->c);
    c->x = _fmpq_vec_init(c->r * c->c);
    for (i = 0; i < c->r; i++)
        for (j = 0; j < c->c; j++)
            if (q_at(c->x + i * c->c + j, json_array_get(json_array_get(a, i), j)) != 0)
                return genrank_err_set(err, GENRANK_EFORMAT, "\"matrix\"[%ld][%ld] is not an integer "
                                       "or a rational string such as \"-5/2\"", (long) i, (long) j);
    return 0;
}

/* Row s of the witness minor modulo p. */
static int
minor_row(ulong *out, slong s, void *ctx, genrank_err_t *err)
{
    const mcheck_t *c = ctx;
    slong t;
    for (t = 0; t < c->rank; t++)
    {
        const fmpq *x = c->x + c->rows[s] * c->c + c->cols[t];
        ulong den = fmpz_fdiv_ui(fmpq_denref(x), c->mod.n);
        if (den == 0)
            return !genrank_err_set(err, GENRANK_EINVALID, "the witness prime divides the "
                                    "denominator of entry (%ld, %ld)", (long) c->rows[s], (long) c->cols[t]);
        out[t] = nmod_mul(fmpz_fdiv_ui(fmpq_numref(x), c->mod.n), n_invmod(den, c->mod.n), c->mod);
    }
    return 1;
}

/* A witness object's prime and determinant residue. */
static int
read_prime_det(ulong *p, ulong *det, const json_t *w, const char *name, genrank_err_t *err)
{
    if (!json_is_object(w) || _genrank_json_ulong(p, json_object_get(w, "prime")) != 0
        || _genrank_json_ulong(det, json_object_get(w, "det_mod_p")) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "%s must be an object with \"prime\" and "
                               "\"det_mod_p\"", name);
    if (*p < 2 || !n_is_prime(*p))
        return genrank_err_set(err, GENRANK_EINVALID, "%s prime %lu is not prime", name, (unsigned long) *p);
    if (*det == 0 || *det >= *p)
        return genrank_err_set(err, GENRANK_EINVALID, "%s det_mod_p must be in [1, p)", name);
    return 0;
}

static int
check_minor(mcheck_t *c, const json_t *root, genrank_err_t *err)
{
    const json_t *w = json_object_get(root, "witness");
    ulong det, want;
    int rc;
    if (_genrank_json_slong(&c->rank, json_object_get(root, "rank"), 0, FLINT_MIN(c->r, c->c)) != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"rank\" must be an integer in [0, min(rows, cols)]");
    if ((rc = read_prime_det(&c->p, &want, w, "witness", err)) != 0)
        return rc;
    c->rows = flint_malloc(FLINT_MAX(c->rank, 1) * sizeof(slong));
    c->cols = flint_malloc(FLINT_MAX(c->rank, 1) * sizeof(slong));
    if ((rc = _genrank_json_indices(c->rows, json_object_get(w, "rows"), c->rank, c->r, "witness rows", err)) != 0
        || (rc = _genrank_json_indices(c->cols, json_object_get(w, "cols"), c->rank, c->c, "witness cols", err)) != 0)
        return rc;
    nmod_init(&c->mod, c->p);
    if ((rc = _genrank_minor_det_mod(&det, c->rank, c->mod, minor_row, c, err)) != 0)
        return rc;
    return _genrank_minor_check_mod(det, want, err);
}

/* Row s of N's witness minor: coordinate sel[s] of each vector. */
static int
kernel_row(ulong *out, slong s, void *ctx, genrank_err_t *err)
{
    const mcheck_t *c = ctx;
    slong t;
    for (t = 0; t < c->k; t++)
        out[t] = fmpz_fdiv_ui(c->N + t * c->len + c->sel[s], c->mod.n);
    return 1;
}

/* M N = 0 (right) or N^T M = 0 (left), exactly: line a of M (a row, or a
   column for the left kernel) scaled by the lcm of its denominators. */
static int
check_products(const mcheck_t *c, const genrank_verify_opts_t *opts, genrank_err_t *err)
{
    slong na = c->left ? c->c : c->r, a, t;
    fmpz *z = _fmpz_vec_init(c->len);
    fmpz_t den, s;
    int rc = 0;
    fmpz_init(den);
    fmpz_init(s);
    for (a = 0; a < na && rc == 0; a++)
    {
        if (_genrank_qline_bytes(c->x + (c->left ? a : a * c->c), c->len, c->left ? c->c : 1)
            > _genrank_check_memory(opts))
        {
            rc = genrank_err_set(err, GENRANK_ENOMEM, "%s %ld of the matrix scaled to integers "
                                 "would not fit in the memory available or allowed",
                                 c->left ? "column" : "row", (long) a);
            break;
        }
        _genrank_qline_integers(z, den, c->x + (c->left ? a : a * c->c), c->len, c->left ? c->c : 1);
        for (t = 0; t < c->k && rc == 0; t++)
        {
            _fmpz_vec_dot(s, z, c->N + t * c->len, c->len);
            if (!fmpz_is_zero(s))
                rc = genrank_err_set(err, GENRANK_EINVALID, "kernel vector %ld is not in the %s "
                                     "kernel: its product with %s %ld is not 0", (long) t,
                                     c->left ? "left" : "right", c->left ? "column" : "row", (long) a);
        }
    }
    fmpz_clear(s);
    fmpz_clear(den);
    _fmpz_vec_clear(z, c->len);
    return rc;
}

/* The probabilistic upper bound (core/hashprime.c): the digest and the
   primes drawn from it are recomputed, the rank modulo each prime is
   recomputed by FLINT's nmod_mat_rank and must be at most the rank, and
   the error bits are recomputed; the status, into want. */
static int
check_hash(mcheck_t *c, const json_t *ub, const genrank_verify_opts_t *opts, char want[64],
           genrank_err_t *err)
{
    const json_t *primes = json_object_get(ub, "primes"), *ranks = json_object_get(ub, "ranks");
    const json_t *eb = json_object_get(ub, "error_bits"), *mb = json_object_get(ub, "minor_bits");
    const char *hex = json_string_value(json_object_get(ub, "digest"));
    uint8_t dig[32];
    char mine[65];
    uint64_t counter = 0;
    slong t, i, j, k, K, ex, bits, claimed = 0;
    double minor_bits;
    nmod_mat_t A;
    if (!json_is_array(primes) || json_array_size(primes) < 1
        || json_array_size(primes) > GENRANK_HASH_MAX_PRIMES || !json_is_array(ranks)
        || json_array_size(ranks) != json_array_size(primes) || hex == NULL || !json_is_number(mb)
        || !(json_is_null(eb) || json_is_integer(eb)))
        return genrank_err_set(err, GENRANK_EFORMAT, "a probabilistic \"upper_bound\" needs \"digest\", "
                               "\"primes\" (1 to %d), as many \"ranks\", \"minor_bits\" and \"error_bits\"",
                               GENRANK_HASH_MAX_PRIMES);
    t = json_array_size(primes);
    _genrank_qmat_digest(dig, c->x, c->r, c->c);
    for (i = 0; i < 32; i++)
        snprintf(mine + 2 * i, 3, "%02x", dig[i]);
    if (strcmp(hex, mine) != 0)
        return genrank_err_set(err, GENRANK_EINVALID, "upper_bound \"digest\" is not the SHA-256 "
                               "digest of the matrix (%s)", mine);
    if ((double) c->r * (double) c->c * 8.0 > _genrank_check_memory(opts))
        return genrank_err_set(err, GENRANK_ENOMEM, "the %ld x %ld matrix modulo a prime does not fit "
                               "in the memory available or allowed", (long) c->r, (long) c->c);
    for (k = 0; k < t; k++)
    {
        ulong p = _genrank_hash_prime(dig, &counter, c->x, c->r, c->c), rec;
        slong rk, rrec;
        if (_genrank_json_ulong(&rec, json_array_get(primes, k)) != 0 || rec != p)
            return genrank_err_set(err, GENRANK_EINVALID, "upper_bound prime %ld is not the one drawn "
                                   "from the digest (%lu)", (long) k, (unsigned long) p);
        nmod_mat_init(A, c->r, c->c, p);
        for (i = 0; i < c->r; i++)
            for (j = 0; j < c->c; j++)
            {
                const fmpq *x = c->x + i * c->c + j;
                nmod_mat_entry(A, i, j) = nmod_mul(fmpz_fdiv_ui(fmpq_numref(x), p),
                                                   n_invmod(fmpz_fdiv_ui(fmpq_denref(x), p), p), A->mod);
            }
        rk = nmod_mat_rank(A);
        nmod_mat_clear(A);
        if (_genrank_json_slong(&rrec, json_array_get(ranks, k), 0, FLINT_MIN(c->r, c->c)) != 0 || rrec != rk)
            return genrank_err_set(err, GENRANK_EINVALID, "the rank modulo upper_bound prime %ld is "
                                   "%ld, not the one recorded", (long) k, (long) rk);
        if (rk > c->rank)
            return genrank_err_set(err, GENRANK_EINVALID, "the rank modulo upper_bound prime %ld is "
                                   "%ld, above \"rank\"", (long) k, (long) rk);
    }
    if (c->rank == FLINT_MIN(c->r, c->c))
        return genrank_err_set(err, GENRANK_EINVALID, "a full-rank matrix needs no probabilistic bound");
    bits = _genrank_hash_error_bits(&minor_bits, &K, &ex, c->x, c->r, c->c, c->rank, t);
    if (bits == -2)
        return genrank_err_set(err, GENRANK_EINVALID, "the denominators have too many large prime "
                               "factors for the probabilistic bound");
    if (json_number_value(mb) != minor_bits)
        return genrank_err_set(err, GENRANK_EINVALID, "upper_bound \"minor_bits\" is not Hadamard's "
                               "bound (%.1f)", minor_bits);
    if (bits == -1)
    {
        if (!json_is_null(eb))
            return genrank_err_set(err, GENRANK_EINVALID, "upper_bound \"error_bits\" must be null: "
                                   "the bound is a proof here");
        snprintf(want, 64, "exact");
        return 0;
    }
    if (json_is_integer(eb))
        claimed = json_integer_value(eb);
    if (json_is_null(eb) || claimed < 1 || claimed > bits)
        return genrank_err_set(err, GENRANK_EINVALID, "upper_bound \"error_bits\" must be an "
                               "integer in [1, %ld] for %ld primes", (long) bits, (long) t);
    snprintf(want, 64, "exact with probability >= 1 - 2^-%ld", (long) claimed);
    c->error_bits = claimed;
    c->nh = t;
    return 0;
}

static int
check_kernel(mcheck_t *c, const json_t *ub, const genrank_verify_opts_t *opts, genrank_err_t *err)
{
    const json_t *side = json_object_get(ub, "side"), *vec = json_object_get(ub, "vectors");
    const json_t *w = json_object_get(ub, "witness");
    ulong np, want, det;
    int rc;
    if (!json_is_object(ub) || !json_is_string(json_object_get(ub, "kind"))
        || strcmp(json_string_value(json_object_get(ub, "kind")), "kernel") != 0)
        return genrank_err_set(err, GENRANK_EFORMAT, "\"upper_bound\" must be {\"kind\": \"kernel\", ...}");
    if (!json_is_string(side) || (strcmp(json_string_value(side), "left") && strcmp(json_string_value(side), "right")))
        return genrank_err_set(err, GENRANK_EFORMAT, "upper_bound \"side\" must be \"left\" or \"right\"");
    c->left = !strcmp(json_string_value(side), "left");
    c->len = c->left ? c->r : c->c;
    c->k = c->len - c->rank;      /* the dimension the rank claim needs */
    if ((rc = _genrank_json_shape(vec, c->k, c->len, "upper_bound vectors", err)) != 0)
        return rc;
    if ((double) c->k * (double) c->len * 16.0 > _genrank_check_memory(opts))
        return genrank_err_set(err, GENRANK_ENOMEM, "the kernel basis does not fit in the memory "
                               "available or allowed");
    c->N = _fmpz_vec_init(FLINT_MAX(c->k * c->len, 1));
    if ((rc = _genrank_json_int_matrix(c->N, vec, c->k, c->len, "upper_bound vectors", err)) != 0)
        return rc;
    if ((rc = read_prime_det(&np, &want, w, "upper_bound witness", err)) != 0)
        return rc;
    c->sel = flint_malloc(FLINT_MAX(c->k, 1) * sizeof(slong));
    if ((rc = _genrank_json_indices(c->sel, json_object_get(w, "coords"), c->k, c->len,
                                    "upper_bound witness coords", err)) != 0)
        return rc;
    if ((rc = check_products(c, opts, err)) != 0)
        return rc;
    nmod_init(&c->mod, np);
    if ((rc = _genrank_minor_det_mod(&det, c->k, c->mod, kernel_row, c, err)) != 0)
        return rc;
    if (det == 0 || det != want)
        return genrank_err_set(err, GENRANK_EINVALID, "the kernel basis's minor is %s modulo its "
                               "prime: the vectors are not shown independent", det == 0 ? "0" : "not det_mod_p");
    return 0;
}

int
_genrank_check_matrix(const json_t *root, const genrank_verify_opts_t *opts,
                      genrank_verify_info_t *info, genrank_err_t *err)
{
    mcheck_t c;
    const json_t *ub = json_object_get(root, "upper_bound"), *st = json_object_get(root, "status");
    int rc;
    memset(&c, 0, sizeof c);
    char want[64] = "lower bound";
    const char *kind = json_string_value(json_object_get(ub, "kind"));
    if ((rc = read_matrix(&c, root, opts, err)) == 0 && (rc = check_minor(&c, root, err)) == 0 && ub != NULL)
    {
        if (kind != NULL && !strcmp(kind, "probabilistic"))
            rc = check_hash(&c, ub, opts, want, err);
        else if ((rc = check_kernel(&c, ub, opts, err)) == 0)
            snprintf(want, sizeof want, "exact");
    }
    /* the status is recomputed from the bound checked */
    if (rc == 0 && (!json_is_string(st) || strcmp(json_string_value(st), want) != 0))
        rc = genrank_err_set(err, GENRANK_EINVALID, "\"status\" must be \"%s\"", want);
    if (rc == 0 && info != NULL)
    {
        memset(info, 0, sizeof *info);
        snprintf(info->family, sizeof info->family, "matrix");
        info->matrix = 1;
        info->m = c.r;
        info->n = c.c;
        info->rank = c.rank;
        info->kruskal_rank = -1;
        snprintf(info->status, sizeof info->status, "%s", want);
        snprintf(info->prime, sizeof info->prime, "%lu", (unsigned long) c.p);
        if (ub != NULL)
        {
            snprintf(info->corrected, sizeof info->corrected, "%ld", (long) c.rank);
            if (c.nh > 0)
                snprintf(info->corrected_source, sizeof info->corrected_source,
                         "its rank modulo %ld prime%s drawn from its SHA-256 digest (error <= 2^-%ld "
                         "if SHA-256 behaves as a random oracle)", (long) c.nh, c.nh == 1 ? "" : "s",
                         (long) c.error_bits);
            else if (kind != NULL && !strcmp(kind, "probabilistic"))
                snprintf(info->corrected_source, sizeof info->corrected_source,
                         "its rank modulo primes drawn from its SHA-256 digest, above Hadamard's "
                         "bound on its (r+1)-minors");
            else if (c.k == 0)
                snprintf(info->corrected_source, sizeof info->corrected_source,
                         "the shape: min(rows, cols) = %ld", (long) c.rank);
            else
                snprintf(info->corrected_source, sizeof info->corrected_source,
                         "a basis of the %s kernel, %ld vector%s, checked exactly",
                         c.left ? "left" : "right", (long) c.k, c.k == 1 ? "" : "s");
        }
    }
    if (c.x)
        _fmpq_vec_clear(c.x, c.r * c.c);
    if (c.N)
        _fmpz_vec_clear(c.N, FLINT_MAX(c.k * c.len, 1));
    flint_free(c.rows);
    flint_free(c.cols);
    flint_free(c.sel);
    return rc;
}
