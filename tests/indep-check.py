#!/usr/bin/env python3
"""Independent checker for genrank certificates, format versions 1 and 2
(version 2: the exact route only; ball-route certificates need ball
arithmetic and are reported as not checked).

Written from doc/certificate-format.md alone, not from the C sources.  Minor
entries are computed exactly (a_i.b_j as a big integer, phi as a Fraction),
then reduced mod p; the determinant is Gaussian elimination mod p.
Usage: indep-check.py CERT.json...; prints "PATH: valid (rank R)" or
"PATH: invalid: REASON"; exits 0 (all valid), 1 (some invalid) or 2 (usage
error or unreadable file).
"""
import itertools
import json
import math
import re
import sys
from fractions import Fraction

if hasattr(sys, "set_int_max_str_digits"):  # Python 3.11+: allow huge integers
    sys.set_int_max_str_digits(0)

INT_RE = re.compile(r"-?[0-9]+")
COEFF_RE = re.compile(r"([-+]?)([0-9]+)(?:/([0-9]+))?")
MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


class Invalid(Exception):
    """The certificate fails a check; the message says which."""


def short(n):
    """An integer for a message, abbreviated if it is very long."""
    s = str(n)
    return s if len(s) <= 40 else "%s...(%d digits)" % (s[:12], len(s))


def reject_constant(name):
    raise Invalid("non-JSON number %s" % name)


def no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise Invalid("duplicate key %r" % key)
        obj[key] = value
    return obj


def parse_json(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Invalid("not UTF-8: %s" % e)
    try:
        return json.loads(text, object_pairs_hook=no_duplicates,
                          parse_constant=reject_constant)
    except RecursionError:
        raise Invalid("JSON nested too deeply")
    except ValueError as e:  # json.JSONDecodeError is a ValueError
        raise Invalid("malformed JSON: %s" % e)


def get(obj, key, where=""):
    if key not in obj:
        raise Invalid("missing field %s%s" % (where, key))
    return obj[key]


def as_int(value, name):
    """An integer field: a JSON integer (not bool/float) or decimal string."""
    if type(value) is int:
        return value
    if isinstance(value, str) and INT_RE.fullmatch(value):
        return int(value)
    raise Invalid("%s is not an integer" % name)


def int_list(value, name):
    if not isinstance(value, list):
        raise Invalid("%s is not an array" % name)
    return [as_int(v, "%s[%d]" % (name, k)) for k, v in enumerate(value)]


def int_matrix(value, nrows, ncols, name):
    if not isinstance(value, list) or len(value) != nrows:
        raise Invalid("%s must be an array of %s rows" % (name, short(nrows)))
    rows = [int_list(row, "%s[%d]" % (name, k)) for k, row in enumerate(value)]
    for k, row in enumerate(rows):
        if len(row) != ncols:
            raise Invalid("%s[%d] must have %s entries"
                          % (name, k, short(ncols)))
    return rows


def parse_coeffs(value):
    if not isinstance(value, list) or not 1 <= len(value) <= 4096:
        raise Invalid("coeffs must be an array of 1 to 4096 strings")
    out = []
    for k, c in enumerate(value):
        match = COEFF_RE.fullmatch(c) if isinstance(c, str) else None
        if match is None:
            raise Invalid("coeffs[%d] is not a rational string" % k)
        sign, num, den = match.groups()
        den = int(den) if den is not None else 1
        if den == 0:
            raise Invalid("coeffs[%d] has a zero denominator" % k)
        out.append(Fraction(-int(num) if sign == "-" else int(num), den))
    return out  # Fraction reduces to lowest terms


def is_prime(n):
    """Deterministic Miller-Rabin; the bases suffice for every n < 2^64."""
    if n < 2:
        return False
    for q in MR_BASES:
        if n % q == 0:
            return n == q
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def predicted_value(family, m, d, n, coeffs):
    ks = [k for k, c in enumerate(coeffs) if c != 0]
    if family == "hadamard":
        return min(m, n, sum(math.comb(k + d - 1, k) for k in ks))
    return min(m * d, n, sum(math.comb(k + d, k + 1) for k in ks))


TRIG = ("sin", "cos", "cos'")
NAMED = ("exp", "sinh", "cosh", "tanh", "tanh'", "sigmoid", "sigmoid'", "silu",
         "silu'", "arctan'") + TRIG


def named_mod(name, x, T, i0, p):
    """Section 9: phi as a rational function of x and T, modulo p."""
    def div(a, b):
        if b % p == 0:
            raise Invalid("a denominator of %s vanishes modulo p" % name)
        return a * pow(b, -1, p) % p
    T2 = T * T
    table = {
        "exp": (T, 1), "sinh": (T2 - 1, 2 * T), "cosh": (T2 + 1, 2 * T),
        "tanh": (T2 - 1, T2 + 1), "tanh'": (4 * T2, (T2 + 1) ** 2),
        "sigmoid": (T, T + 1), "sigmoid'": (T, (T + 1) ** 2),
        "silu": (x * T, T + 1), "silu'": (T * (T + 1 + x), (T + 1) ** 2),
        "sin": (T2 - 1, 2 * (i0 or 0) * T), "cos": (T2 + 1, 2 * T),
        "cos'": (-(T2 - 1), 2 * (i0 or 0) * T), "arctan'": (1, 1 + x * x),
    }
    num, den = table[name]
    return div(num, den)


def det_mod(S, p):
    """Determinant of the square matrix S modulo the prime p; alters S."""
    r, det = len(S), 1
    for c in range(r):
        piv = next((i for i in range(c, r) if S[i][c]), None)
        if piv is None:
            return 0
        if piv != c:
            S[c], S[piv] = S[piv], S[c]
            det = -det
        det = det * S[c][c] % p
        inv = pow(S[c][c], p - 2, p)
        for i in range(c + 1, r):
            f = S[i][c] * inv % p
            if f:
                S[i] = [(x - f * y) % p for x, y in zip(S[i], S[c])]
    return det % p


def check(cert):
    """Return the certified rank, or raise Invalid."""
    # Check 1: fields, types, shapes.
    if not isinstance(cert, dict):
        raise Invalid("top level is not a JSON object")
    if get(cert, "format") != "genrank-certificate":
        raise Invalid("format is not \"genrank-certificate\"")
    version = get(cert, "version")
    if type(version) is not int or version not in (1, 2):
        raise Invalid("unsupported version %s" % json.dumps(version)[:40])
    family = get(cert, "family")
    if family not in ("hadamard", "khatri-rao"):
        raise Invalid("unknown family %s" % json.dumps(family)[:40])
    m, d, n = (as_int(get(cert, k), k) for k in ("m", "d", "n"))
    if m < 1 or d < 1 or n < 1:
        raise Invalid("m, d and n must each be >= 1")
    if version == 2:
        # section 9: a named activation at the point (A / q, B)
        if "coeffs" in cert:
            raise Invalid("version 2 has no coeffs")
        phi_name = get(cert, "phi")
        if phi_name not in NAMED:
            raise Invalid("unknown or ball-only phi %s" % json.dumps(phi_name)[:40])
        q = as_int(get(cert, "q"), "q")
        if q < 1:
            raise Invalid("q must be >= 1")
        coeffs = []
    else:
        coeffs = parse_coeffs(get(cert, "coeffs"))
    A = int_matrix(get(cert, "A"), m, d, "A")
    B = int_matrix(get(cert, "B"), n, d, "B")
    r = as_int(get(cert, "rank"), "rank")
    predicted = as_int(get(cert, "predicted"), "predicted")
    wit = get(cert, "witness")
    if not isinstance(wit, dict):
        raise Invalid("witness is not an object")
    if version == 2 and get(wit, "route", "witness.") != "exact":
        raise Invalid("only the exact route is checked here")
    p = as_int(get(wit, "prime", "witness."), "witness.prime")
    rows = int_list(get(wit, "rows", "witness."), "witness.rows")
    cols = int_list(get(wit, "cols", "witness."), "witness.cols")
    v = as_int(get(wit, "det_mod_p", "witness."), "witness.det_mod_p")

    # Check 2: rank bounds and witness indices.
    nrows = m if family == "hadamard" else m * d
    if not 0 <= r <= min(nrows, n):
        raise Invalid("rank %s not in [0, %s]"
                      % (short(r), short(min(nrows, n))))
    for name, idx, bound in (("rows", rows, nrows), ("cols", cols, n)):
        if len(idx) != r:
            raise Invalid("witness.%s has %d entries, expected %s"
                          % (name, len(idx), short(r)))
        if any(x < 0 or x >= bound for x in idx):
            raise Invalid("witness.%s index out of [0, %s)"
                          % (name, short(bound)))
        if any(x >= y for x, y in zip(idx, idx[1:])):
            raise Invalid("witness.%s not strictly increasing" % name)

    # Check 3: p prime (2 <= p < 2^64), dividing no reduced denominator.
    if not 2 <= p < 2 ** 64:
        raise Invalid("witness.prime out of [2, 2^64)")
    if not is_prime(p):
        raise Invalid("witness.prime %s is not prime" % p)
    for k, c in enumerate(coeffs):
        if c.denominator % p == 0:
            raise Invalid("prime %s divides the denominator of coeffs[%d]"
                          % (p, k))
    if not 1 <= v < p:
        raise Invalid("witness.det_mod_p not in [1, p)")

    if version == 2:
        t0 = as_int(get(wit, "t0", "witness."), "witness.t0")
        if p == 2 or q % p == 0 or not 1 <= t0 < p:
            raise Invalid("exact route: p must be odd and prime to q, t0 in [1, p)")
        i0 = None
        if phi_name in TRIG:
            i0 = as_int(get(wit, "i0", "witness."), "witness.i0")
            if not 0 <= i0 < p or i0 * i0 % p != p - 1:
                raise Invalid("witness.i0 is not a square root of -1 modulo p")

    # Check 4: the predicted value of section 4 (version 2: Theorems 4.4/4.5).
    if version == 2:
        expect = min(nrows, n)
    else:
        expect = predicted_value(family, m, d, n, coeffs)
    if predicted != expect:
        raise Invalid("predicted is %s, section 4 gives %s"
                      % (short(predicted), short(expect)))

    # Check 5: the witness minor, computed exactly then reduced mod p.
    lcm = 1  # of the reduced denominators
    for c in coeffs:
        lcm = lcm * c.denominator // math.gcd(lcm, c.denominator)
    numer = [int(c * lcm) for c in coeffs]  # phi(x) = sum(numer_k x^k) / lcm
    cache = {}

    def phi(x):
        if x not in cache:
            acc = 0
            for c in reversed(numer):
                acc = acc * x + c
            cache[x] = Fraction(acc, lcm)
        return cache[x]

    def entry(row, j):
        ell, i = (0, row) if family == "hadamard" else divmod(row, m)
        if version == 2:
            u = sum(a * b for a, b in zip(A[i], B[j]))
            value = named_mod(phi_name, u * pow(q, -1, p) % p, pow(t0, u % (p - 1), p), i0, p)
            if family == "khatri-rao":
                value = value * B[j][ell] % p
            return value
        value = phi(sum(a * b for a, b in zip(A[i], B[j])))
        if family == "khatri-rao":
            value *= B[j][ell]
        return value.numerator * pow(value.denominator % p, p - 2, p) % p

    S = [[entry(row, j) for j in cols] for row in rows]
    det = det_mod(S, p)
    if det == 0:
        raise Invalid("witness minor is singular modulo %d" % p)
    if det != v:
        raise Invalid("det_mod_p is %d, computed %d" % (v, det))

    # Section 7 (optional): the Kruskal rank, one nonzero minor per
    # k-subset of the columns, subsets in lexicographic order.
    if "kruskal" in cert:
        kr = cert["kruskal"]
        if not isinstance(kr, dict):
            raise Invalid("kruskal is not an object")
        k = as_int(get(kr, "rank", "kruskal."), "kruskal.rank")
        if not 0 <= k <= min(nrows, n):
            raise Invalid("kruskal.rank out of [0, min(R, n)]")
        minors = get(kr, "minors", "kruskal.")
        if not isinstance(minors, list) or len(minors) != math.comb(n, k):
            raise Invalid("kruskal.minors must have C(n, k) = %s entries"
                          % short(math.comb(n, k)))
        for t, subset in enumerate(itertools.combinations(range(n), k)):
            entry_t = minors[t]
            if not isinstance(entry_t, dict):
                raise Invalid("kruskal.minors[%d] is not an object" % t)
            krows = int_list(get(entry_t, "rows", "kruskal.minors[]."), "rows")
            kv = as_int(get(entry_t, "det_mod_p", "kruskal.minors[]."), "det_mod_p")
            if len(krows) != k or any(x < 0 or x >= nrows for x in krows) \
                    or any(x >= y for x, y in zip(krows, krows[1:])):
                raise Invalid("kruskal.minors[%d].rows invalid" % t)
            if not 1 <= kv < p:
                raise Invalid("kruskal.minors[%d].det_mod_p not in [1, p)" % t)
            kdet = det_mod([[entry(row, j) for j in subset] for row in krows], p) if k else 1
            if kdet != kv:
                raise Invalid("kruskal minor for columns %s: det %d, recorded %d"
                              % (list(subset), kdet, kv))
    return r


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: %s CERT.json...\n" % argv[0])
        return 2
    status = 0
    for path in argv[1:]:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            sys.stderr.write("%s: cannot read: %s\n" % (path, e.strerror or e))
            status = 2
            continue
        try:
            print("%s: valid (rank %d)" % (path, check(parse_json(data))))
        except Exception as e:  # Invalid, or e.g. MemoryError: no traceback
            why = e if isinstance(e, Invalid) else "%s: %s" % (
                type(e).__name__, e)
            print("%s: invalid: %s" % (path, why))
            status = max(status, 1)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
