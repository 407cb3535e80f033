/* prove -> write -> verify round trips; certified ranks against exact
   rank over Q at the recorded point; the published values where a
   theorem proves them; the deficiency evidence. */
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpz_vec.h>
#include <flint/fmpq_mat.h>
#include <flint/fmpq_vec.h>
#include <string.h>
#include "genrank.h"
#include "naive.h"
#include "tap.h"

/* Rank over Q of the family's matrix at the certificate's point: every
   entry times the common denominator L of the coefficients is an integer. */
static slong
exact_rank(const genrank_instance_t in)
{
    slong rows = genrank_instance_nrows(in), i, j, r;
    fmpz_mat_t M;
    fmpq_t e;
    fmpz_t L;
    fmpz_init(L);
    fmpz_one(L);
    for (i = 0; i < in->len; i++)
        fmpz_lcm(L, L, fmpq_denref(in->coeffs + i));
    fmpz_mat_init(M, rows, in->n);
    fmpq_init(e);
    for (i = 0; i < rows; i++)
        for (j = 0; j < in->n; j++)
        {
            naive_entry(e, in, i, j);
            fmpq_mul_fmpz(e, e, L);
            fmpz_set(fmpz_mat_entry(M, i, j), fmpq_numref(e));
        }
    r = fmpz_mat_rank(M);
    fmpq_clear(e);
    fmpz_mat_clear(M);
    fmpz_clear(L);
    return r;
}

/* The family's matrix at a rational point (A, B given as fmpq), entry by
   entry from the definition, and its rank over Q (FLINT's fmpq_mat_rref):
   hadamard phi(a_i . b_j) in row i; khatri-rao phi(a_i . b_j) b_jl in
   row l m + i. */
static slong
rational_rank(genrank_family_t fam, slong m, slong d, slong n, const fmpq *c, slong len,
              const fmpq *A, const fmpq *B)
{
    slong rows = fam == GENRANK_HADAMARD ? m : m * d, i, j, l, k, r;
    fmpq_mat_t M;
    fmpq_t x, t, pw;
    fmpq_mat_init(M, rows, n);
    fmpq_init(x);
    fmpq_init(t);
    fmpq_init(pw);
    for (i = 0; i < rows; i++)
        for (j = 0; j < n; j++)
        {
            slong a = i % m;
            fmpq *e = fmpq_mat_entry(M, i, j);
            fmpq_zero(x);
            for (l = 0; l < d; l++)
            {
                fmpq_mul(t, A + a * d + l, B + j * d + l);
                fmpq_add(x, x, t);
            }
            fmpq_zero(e);
            fmpq_one(pw);
            for (k = 0; k < len; k++)
            {
                fmpq_mul(t, c + k, pw);
                fmpq_add(e, e, t);
                fmpq_mul(pw, pw, x);
            }
            if (fam == GENRANK_KHATRI_RAO)
                fmpq_mul(e, e, B + j * d + i / m);
        }
    r = fmpq_mat_rref(M, M);
    fmpq_clear(x);
    fmpq_clear(t);
    fmpq_clear(pw);
    fmpq_mat_clear(M);
    return r;
}

/* A point file: {"A": ..., "B": ...} with entries as JSON integers when
   they are, else strings "p/q" or, when the denominator is 2, 4 or 5, a
   decimal string. */
static void
write_point(const char *path, slong m, slong d, slong n, const fmpq *A, const fmpq *B)
{
    FILE *f = fopen(path, "w");
    slong i, l, part;
    for (part = 0; part < 2; part++)
    {
        const fmpq *X = part ? B : A;
        slong rows = part ? n : m;
        fputs(part ? ",\n \"B\": [" : "{\"A\": [", f);
        for (i = 0; i < rows; i++)
        {
            fputs(i ? ", [" : "[", f);
            for (l = 0; l < d; l++)
            {
                const fmpq *x = X + i * d + l;
                if (l)
                    fputs(", ", f);
                if (fmpz_is_one(fmpq_denref(x)))
                    fmpz_fprint(f, fmpq_numref(x));
                else if (fmpz_equal_si(fmpq_denref(x), 4) || fmpz_equal_si(fmpq_denref(x), 2))
                    fprintf(f, "\"%.2f\"", fmpq_get_d(x));   /* exact in decimal */
                else
                {
                    fputc('"', f);
                    fmpq_fprint(f, x);
                    fputc('"', f);
                }
            }
            fputc(']', f);
        }
        fputc(']', f);
    }
    fputs("}\n", f);
    fclose(f);
}

static fmpq *
coeffs_of(const char *s, slong *len)
{
    fmpq *c;
    genrank_coeffs_parse(&c, len, s, NULL);
    return c;
}

int
main(void)
{
    flint_rand_t st;
    char path[] = "/tmp/genrank-t-prove-XXXXXX";
    int fd = mkstemp(path);
    long iter, iters = tap_iters(150);
    long bad_verify = 0, bad_exact = 0, bad_sound = 0, bad_upper = 0;
    long bad_had = 0, bad_ah = 0, nhad = 0, nah = 0;
    flint_randinit(st);
    if (fd >= 0)
        close(fd);

    for (iter = 0; iter < iters; iter++)
    {
        genrank_family_t fam = n_randint(st, 2) ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO;
        slong m = 1 + n_randint(st, 7), d = 1 + n_randint(st, 5), n = 1 + n_randint(st, 40);
        slong len = 1 + n_randint(st, 5), k, nonzero = 0, ex;
        fmpq *c = _fmpq_vec_init(len);
        genrank_prove_opts_t o;
        genrank_cert_t cert;
        genrank_err_t e;
        int rc;

        for (k = 0; k < len; k++)
            if (n_randint(st, 3))
            {
                fmpq_set_si(c + k, (slong) n_randint(st, 9) - 4, 1 + n_randint(st, 6));
                nonzero += !fmpq_is_zero(c + k);
            }
        genrank_prove_opts_init(&o);
        o.seed = n_randlimb(st);
        o.trials = 3;
        if (n_randint(st, 4) == 0)
        {
            do
                o.prime = n_randprime(st, 40 + n_randint(st, 24), 1);
            while (genrank_prime_check(o.prime, c, len, NULL));
        }
        else
            o.prime_bits = 40 + n_randint(st, 24);
        genrank_cert_init(cert);
        rc = genrank_prove(cert, fam, m, d, n, c, len, &o, &e);
        if (rc == 0)
            rc = genrank_cert_write(cert, path, &e);
        if (rc == 0)
            rc = genrank_verify_file(path, NULL, &e);
        if (rc != 0)
        {
            bad_verify++;
            TAP_DIAG("round trip failed: %s (%s m=%ld d=%ld n=%ld)", e.msg,
                     genrank_family_name(fam), (long) m, (long) d, (long) n);
            genrank_cert_clear(cert);
            _fmpq_vec_clear(c, len);
            continue;
        }
        ex = exact_rank(cert->inst);
        /* soundness: a nonzero minor mod p is a nonzero minor over Q */
        bad_sound += cert->rank > ex;
        /* with primes of 40+ bits the rank mod p equals the rank over Q
           except with probability below 2^-30 per instance */
        bad_exact += cert->rank != ex;
        /* the predictions are upper bounds (doc/theory.md, "Upper bounds") */
        bad_upper += fmpz_cmp_si(cert->formula->predicted, cert->rank) < 0
                     || (cert->formula->has_bound && fmpz_cmp_si(cert->formula->bound, cert->rank) < 0);
        if (fam == GENRANK_HADAMARD)
        {
            /* Theorems 3.1 and 3.2 are proved (Damm and Dietrich 2023;
               Alon 2009, Barvinok 2012; doc/theory.md) */
            nhad++;
            bad_had += fmpz_cmp_si(cert->formula->predicted, cert->rank) != 0;
        }
        else if (nonzero == 1)
        {
            /* monomials: the Alexander-Hirschowitz theorem */
            nah++;
            bad_ah += !cert->formula->has_corrected
                      || fmpz_cmp_si(cert->formula->corrected, cert->rank) != 0;
        }
        if (bad_exact + bad_had + bad_ah > 0 && iter < 3)
            TAP_DIAG("iteration %ld: rank %ld exact %ld", iter, (long) cert->rank, (long) ex);
        genrank_cert_clear(cert);
        _fmpq_vec_clear(c, len);
    }
    TAP_OK(bad_verify == 0, "prove, write, verify round trip (%ld random instances)", iters);
    TAP_OK(bad_sound == 0, "certified rank never exceeds the exact rank over Q");
    TAP_OK(bad_exact == 0, "certified rank equals the exact rank over Q (fmpz_mat_rank)");
    TAP_OK(bad_upper == 0, "certified rank never exceeds the prediction, nor section 4's bound "
           "for phi = c0 + c1 x");
    TAP_OK(bad_had == 0, "hadamard reaches Theorem 3.1/3.2 (%ld instances)", nhad);
    TAP_OK(bad_ah == 0, "khatri-rao monomials reach the Alexander-Hirschowitz value (%ld instances)", nah);

    /* The paper's counterexample: m=3, d=4, phi(x)=x; Theorem 4.2 says 10,
       the Alexander-Hirschowitz theorem says 9. */
    {
        slong len;
        fmpq *c = coeffs_of("0,1", &len);
        genrank_prove_opts_t o;
        genrank_cert_t cert;
        genrank_err_t e;
        int rc;
        genrank_prove_opts_init(&o);
        o.seed = 2024;
        genrank_cert_init(cert);
        rc = genrank_prove(cert, GENRANK_KHATRI_RAO, 3, 4, 20, c, len, &o, &e);
        TAP_OK(rc == 0 && cert->rank == 9 && fmpz_equal_si(cert->formula->predicted, 10)
               && fmpz_equal_si(cert->formula->corrected, 9) && cert->trials == 1,
               "m=3 d=4 phi=x: certified 9 against the predicted 10, stopping at the proved bound");
        rc = rc ? rc : genrank_cert_write(cert, path, &e);
        rc = rc ? rc : genrank_verify_file(path, NULL, &e);
        TAP_OK(rc == 0, "its certificate verifies");
        genrank_cert_clear(cert);
        genrank_coeffs_free(c, len);
    }
    /* A shortfall below Theorem 4.3 (phi = 1 + x, m = d = 3), at the
       bound of doc/theory.md section 4. */
    {
        slong len;
        fmpq *c = coeffs_of("1,1", &len);
        genrank_prove_opts_t o;
        genrank_cert_t cert;
        genrank_err_t e;
        int rc;
        genrank_prove_opts_init(&o);
        o.seed = 99;
        o.trials = 4;
        genrank_cert_init(cert);
        rc = genrank_prove(cert, GENRANK_KHATRI_RAO, 3, 3, 20, c, len, &o, &e);
        /* phi = 1 + x, m = d = 3: Theorem 4.3 says 9; doc/theory.md
           section 4 proves rank <= md - C(m - 1, 2) = 8, so the trials
           stop once 8 is certified, and the evidence covers the one run */
        TAP_OK(rc == 0 && cert->trials == 1 && cert->max_rank_seen == cert->rank
               && fmpz_cmp_si(cert->formula->predicted, cert->rank) > 0
               && !cert->formula->has_corrected && cert->formula->has_bound
               && fmpz_cmp_si(cert->formula->bound, cert->rank) == 0 && cert->rank == 8
               && cert->degree_bound == 3.0 * (cert->rank + 1)
               && cert->per_trial_bound > 0 && cert->per_trial_bound < 1e-4
               && fabs(cert->probability_bound - cert->per_trial_bound) <= 1e-12 * cert->probability_bound,
               "shortfall at a proved bound: rank %ld = md - C(m-1, 2) < predicted, %ld trial (the "
               "bound stops the retries), evidence %.3g = per-trial bound",
               (long) cert->rank, (long) cert->trials, cert->probability_bound);
        genrank_cert_clear(cert);

        /* with a fixed prime there is no bound: it might divide every minor */
        o.prime = 1000003;
        o.trials = 2;
        genrank_cert_init(cert);
        rc = genrank_prove(cert, GENRANK_KHATRI_RAO, 3, 3, 20, c, len, &o, &e);
        TAP_OK(rc == 0 && cert->prime == 1000003 && cert->prime_fixed && cert->per_trial_bound == 1.0,
               "fixed prime: no probability bound claimed");
        genrank_cert_clear(cert);
        genrank_coeffs_free(c, len);
    }
    /* refusals */
    {
        slong len;
        fmpq *c = coeffs_of("1,1/3", &len);
        genrank_prove_opts_t o;
        genrank_cert_t cert;
        genrank_err_t e;
        genrank_prove_opts_init(&o);
        o.prime = 3;
        genrank_cert_init(cert);
        TAP_OK(genrank_prove(cert, GENRANK_HADAMARD, 2, 2, 2, c, len, &o, &e) == GENRANK_EINVAL,
               "a prime dividing a denominator is refused: %s", e.msg);
        genrank_cert_clear(cert);
        o.prime = 0;
        genrank_cert_init(cert);
        TAP_OK(genrank_prove(cert, GENRANK_KHATRI_RAO, 1000000, 1000, 1000000, c, len, &o, &e) == GENRANK_ENOMEM,
               "an instance larger than memory is refused before allocating: %s", e.msg);
        genrank_cert_clear(cert);
        {
            /* the one entry point refuses what no family table row allows */
            genrank_spec_t wj = {GENRANK_W_JACOBIAN, 3, 3, 5, GENRANK_PHI_POLY, NULL, 0};
            genrank_spec_t zero = {GENRANK_HADAMARD, 0, 2, 2, GENRANK_PHI_POLY, NULL, 0};
            genrank_spec_t none = {GENRANK_HADAMARD, 2, 2, 2, GENRANK_PHI_POLY, NULL, 0};
            int r1, r2, r3;
            wj.coeffs = zero.coeffs = c;
            wj.len = zero.len = len;
            genrank_cert_init(cert);
            r1 = genrank_prove_spec(cert, &wj, &o, &e);
            genrank_cert_clear(cert);
            genrank_cert_init(cert);
            r2 = genrank_prove_spec(cert, &zero, &o, NULL);
            genrank_cert_clear(cert);
            genrank_cert_init(cert);
            r3 = genrank_prove_spec(cert, &none, &o, NULL);
            genrank_cert_clear(cert);
            TAP_OK(r1 == GENRANK_EINVAL && r2 == GENRANK_EINVAL && r3 == GENRANK_EINVAL,
                   "prove_spec refuses a family without a formula (%s), a zero size and a "
                   "polynomial without coefficients", e.msg);
        }
        genrank_coeffs_free(c, len);
    }
    /* Kruskal certificates: verified, every k-subset independent by
       schoolbook elimination, tampering rejected */
    {
        long bad_v = 0, bad_naive = 0, bad_tamper = 0, k;
        for (k = 0; k < tap_iters(25); k++)
        {
            genrank_family_t fam = n_randint(st, 2) ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO;
            slong m = 1 + n_randint(st, 4), d = 1 + n_randint(st, 3), n = 1 + n_randint(st, 9), len, t, i, j;
            fmpq *c = coeffs_of(n_randint(st, 2) ? "1,1,1/2" : "0,1", &len);
            genrank_prove_opts_t o;
            genrank_cert_t cert;
            genrank_err_t e;
            slong kr, *sub;
            genrank_prove_opts_init(&o);
            o.seed = n_randlimb(st);
            genrank_cert_init(cert);
            if (genrank_prove(cert, fam, m, d, n, c, len, &o, &e) || genrank_prove_kruskal(cert, &e)
                || genrank_cert_write(cert, path, &e) || genrank_verify_file(path, NULL, &e))
            {
                bad_v++;
                TAP_DIAG("kruskal round trip: %s", e.msg);
                genrank_cert_clear(cert);
                genrank_coeffs_free(c, len);
                continue;
            }
            kr = cert->kruskal_rank;
            bad_v += kr < 0 || kr > cert->rank;
            /* all kr-subsets independent modulo p at the point */
            {
                slong nr = genrank_instance_nrows(cert->inst);
                ulong *full = flint_malloc(nr * n * sizeof(ulong)), *a = flint_malloc((nr * (kr + 1) + 1) * sizeof(ulong));
                fmpq_t q;
                fmpq_init(q);
                for (i = 0; i < nr; i++)
                    for (j = 0; j < n; j++)
                    {
                        naive_entry(q, cert->inst, i, j);
                        full[i * n + j] = naive_reduce(q, cert->prime);
                    }
                for (t = 0; t <= 1 && kr + t <= n; t++)
                {
                    /* t = 0: every kr-subset independent; t = 1: some
                       (kr+1)-subset dependent, unless kr + 1 > rank cap */
                    slong kk = kr + t, ss, all = 1, any_dep = 0;
                    sub = flint_malloc((kk + 1) * sizeof(slong));
                    for (ss = 0; ss < kk; ss++)
                        sub[ss] = ss;
                    for (;;)
                    {
                        slong rr;
                        for (i = 0; i < nr; i++)
                            for (j = 0; j < kk; j++)
                                a[i * kk + j] = full[i * n + sub[j]];
                        rr = naive_rank(a, nr, kk, cert->prime, NULL);
                        all &= (rr == kk);
                        any_dep |= (rr < kk);
                        for (j = kk - 1; j >= 0 && sub[j] == n - kk + j; j--)
                            ;
                        if (j < 0)
                            break;
                        sub[j]++;
                        for (j = j + 1; j < kk; j++)
                            sub[j] = sub[j - 1] + 1;
                    }
                    if (t == 0 && !all)
                        bad_naive++;
                    if (t == 1 && kk <= cert->rank && !any_dep)
                        bad_naive++;
                    flint_free(sub);
                }
                fmpq_clear(q);
                flint_free(full);
                flint_free(a);
            }
            if (kr > 0)
            {
                /* a wrong determinant, and a subset left out */
                slong at = n_randint(st, cert->kruskal_count);
                ulong old = cert->kruskal_dets[at];
                cert->kruskal_dets[at] = old == 1 ? 2 % cert->prime : old - 1;
                genrank_cert_write(cert, path, &e);
                bad_tamper += genrank_verify_file(path, NULL, &e) == 0;
                cert->kruskal_dets[at] = old;
                cert->kruskal_count--;  /* a subset left out */
                genrank_cert_write(cert, path, &e);
                bad_tamper += genrank_verify_file(path, NULL, &e) == 0;
                cert->kruskal_count++;
            }
            genrank_cert_clear(cert);
            genrank_coeffs_free(c, len);
        }
        TAP_OK(bad_v == 0, "Kruskal certificates verify, with 0 <= Kruskal rank <= rank");
        TAP_OK(bad_naive == 0, "every k-subset independent, and k is maximal at the point (schoolbook)");
        TAP_OK(bad_tamper == 0, "tampered Kruskal certificates rejected");
    }
    /* given points: the rank of the matrix at a rational point, against
       its rank over Q computed here from the definition; and the random
       path's own point given back */
    {
        char ppath[] = "/tmp/genrank-t-point-XXXXXX";
        int pfd = mkstemp(ppath);
        long bad_rank = 0, bad_v = 0, bad_same = 0, bad_file = 0, runs = 0;
        if (pfd >= 0)
            close(pfd);
        for (iter = 0; iter < tap_iters(60); iter++)
        {
            genrank_family_t fam = n_randint(st, 2) ? GENRANK_HADAMARD : GENRANK_KHATRI_RAO;
            slong m = 1 + n_randint(st, 5), d = 1 + n_randint(st, 4), n = 1 + n_randint(st, 20);
            slong len = 1 + n_randint(st, 4), k, want;
            fmpq *c = _fmpq_vec_init(len), *A = _fmpq_vec_init(m * d), *B = _fmpq_vec_init(n * d);
            genrank_prove_opts_t o;
            genrank_point_t P;
            genrank_cert_t cert;
            genrank_err_t e;
            genrank_verify_info_t info;
            for (k = 0; k < len; k++)
                fmpq_set_si(c + k, (slong) n_randint(st, 9) - 4, 1 + n_randint(st, 3));
            for (k = 0; k < m * d + n * d; k++)
            {
                fmpq *x = k < m * d ? A + k : B + k - m * d;
                static const ulong dens[] = {1, 1, 2, 4, 3, 7};
                fmpq_set_si(x, (slong) n_randint(st, 21) - 10, dens[n_randint(st, 6)]);
            }
            want = rational_rank(fam, m, d, n, c, len, A, B);
            write_point(ppath, m, d, n, A, B);
            genrank_point_init(P);
            if (genrank_point_read(P, ppath, &e) != 0 || P->m != m || P->d != d || P->n != n)
            {
                bad_file++;
                TAP_DIAG("point file: %s", e.msg);
                genrank_point_clear(P);
                continue;
            }
            genrank_prove_opts_init(&o);
            o.seed = n_randlimb(st);
            o.trials = 3;
            o.point = P;
            genrank_cert_init(cert);
            if (genrank_prove(cert, fam, m, d, n, c, len, &o, &e) != 0 || cert->rank != want
                || !cert->point_given)
            {
                bad_rank++;
                TAP_DIAG("given point: rank %ld, over Q %ld (%s)", (long) cert->rank, (long) want, e.msg);
            }
            else
            {
                runs++;
                if (genrank_cert_write(cert, path, &e) != 0 || genrank_verify_file(path, &info, &e) != 0
                    || !info.point_given || info.evidence_trials != 0 || info.rank != want)
                {
                    bad_v++;
                    TAP_DIAG("given point: verify: %s", e.msg);
                }
            }
            genrank_cert_clear(cert);
            genrank_point_clear(P);
            /* the random path's point, given back: the same rank */
            genrank_prove_opts_init(&o);
            o.seed = n_randlimb(st);
            o.trials = 1;
            genrank_cert_init(cert);
            if (genrank_prove(cert, fam, m, d, n, c, len, &o, &e) == 0)
            {
                slong r1 = cert->rank;
                for (k = 0; k < m * d; k++)
                    fmpq_set_fmpz_frac(A + k, cert->inst->A + k, cert->inst->q);
                for (k = 0; k < n * d; k++)
                    fmpz_set(fmpq_numref(B + k), cert->inst->B + k), fmpz_one(fmpq_denref(B + k));
                write_point(ppath, m, d, n, A, B);
                genrank_cert_clear(cert);
                genrank_point_init(P);
                genrank_prove_opts_init(&o);
                o.point = P;
                o.trials = 3;
                genrank_cert_init(cert);
                if (genrank_point_read(P, ppath, &e) != 0
                    || genrank_prove(cert, fam, m, d, n, c, len, &o, &e) != 0
                    || cert->rank != r1 || cert->rank != rational_rank(fam, m, d, n, c, len, A, B))
                {
                    bad_same++;
                    TAP_DIAG("random point given back: %ld vs %ld (%s)", (long) cert->rank, (long) r1, e.msg);
                }
                genrank_point_clear(P);
            }
            genrank_cert_clear(cert);
            _fmpq_vec_clear(c, len);
            _fmpq_vec_clear(A, m * d);
            _fmpq_vec_clear(B, n * d);
        }
        TAP_OK(bad_file == 0, "point files with integers, decimals and p/q read back exactly");
        TAP_OK(bad_rank == 0, "at a given rational point the certified rank is the rank over Q "
               "computed from the definition (%ld points)", runs);
        TAP_OK(bad_v == 0, "their certificates verify, marked as at a given point, with no evidence");
        TAP_OK(bad_same == 0, "the random path's point, given back, gives the same rank");
        /* bad point files */
        {
            static const char *bad[] = {
                "{\"A\": [[1, 2], [3]], \"B\": [[1, 2]]}",
                "{\"A\": [[1, 2]], \"B\": [[1, 2, 3]]}",
                "{\"A\": [[1, \"x\"]], \"B\": [[1, 2]]}",
                "{\"A\": [[1, 0.5]], \"B\": [[1, 2]]}",
                "{\"A\": [[1, 2]]}",
                "[[1, 2]]",
                "{\"A\": [[1, 2]], \"B\": [[1, \"1/0\"]]}"};
            static const char *want[] = {"\"A\"", "both must have d", "\"A\"", "\"A\"", "\"B\"",
                                         "JSON object", "\"B\""};
            genrank_point_t P;
            genrank_err_t e;
            int k2, ok = 1;
            genrank_point_init(P);
            for (k2 = 0; k2 < 7; k2++)
            {
                FILE *f = fopen(ppath, "w");
                fputs(bad[k2], f);
                fclose(f);
                if (genrank_point_read(P, ppath, &e) == 0 || strstr(e.msg, want[k2]) == NULL)
                {
                    ok = 0;
                    TAP_DIAG("bad point %d: %s", k2, e.msg);
                }
            }
            genrank_point_clear(P);
            TAP_OK(ok, "bad point files (ragged, mismatched d, a non-number, a JSON float, no B, "
                   "not an object, a zero denominator) are refused naming the field");
        }
        unlink(ppath);
    }
    unlink(path);
    flint_randclear(st);
    return tap_done();
}
