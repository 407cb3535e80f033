#!/usr/bin/env python3
"""Independent checker for genrank certificates, format versions 1 and 2
(version 2: the exact route only; ball-route certificates need ball
arithmetic and are reported as not checked), and capacity certificates
(section 10; exact route, data inline or by file), and network
certificates (section 13: the minor by second-order jets, one forward pass
per column and input; the prediction's numbers and statuses recomputed by
doc/networks.md's table, its source texts not).

Written from doc/certificate-format.md alone, not from the C sources.  Minor
entries are computed exactly (a_i.b_j as a big integer, phi as a Fraction),
then reduced mod p; the determinant is Gaussian elimination mod p.
The claims are recomputed too: "predicted", "theorem", "corrected" (the
Alexander-Hirschowitz value of doc/theory.md section 4) and the evidence.
A capacity certificate's data file is read only inside the data directory:
the certificate's own, or DIR given by --data-dir.
Usage: indep-check.py [--data-dir DIR] CERT.json...; prints "PATH: valid (rank R)" or
"PATH: invalid: REASON"; exits 0 (all valid), 1 (some invalid) or 2 (usage
error or unreadable file).
"""
import hashlib
import itertools
import json
import os
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


# Alexander-Hirschowitz's exceptions (degree, variables, forms) beyond
# the quadrics (doc/theory.md, section 4)
AH_SPORADIC = ((3, 5, 7), (4, 3, 5), (4, 4, 9), (4, 5, 14))


def claims(family, version, m, d, n, coeffs):
    """The theorem "predicted" comes from and the exact rank a theorem
    gives (None when none does), from doc/theory.md section 4."""
    if version == 2:
        return ("Theorem 4.4" if family == "hadamard" else "Theorem 4.5"), None
    ks = [k for k, c in enumerate(coeffs) if c != 0]
    one = len(ks) == 1
    if family == "hadamard":
        return ("Theorem 3.1" if one else "Theorem 3.2"), None
    if not one:
        return "Theorem 4.3", None
    k = ks[0]
    if k == 1 and 2 <= m <= d - 1:
        sec = m * d - math.comb(m, 2)    # symmetric matrices of rank <= m
    else:
        sec = min(m * d, math.comb(k + d, k + 1)) - ((k + 1, d, m) in AH_SPORADIC)
    return "Theorem 4.2", min(n, sec)


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


def check_evidence(cert, family, version, coeffs, A, B, d, r, p):
    """doc/theory.md section 6, or raise Invalid."""
    ev = get(cert, "evidence")
    if not isinstance(ev, dict):
        raise Invalid("evidence is not an object")
    trials = as_int(get(ev, "trials", "evidence."), "evidence.trials")
    if trials < 1 or as_int(get(ev, "max_rank_seen", "evidence."), "max_rank_seen") != r:
        raise Invalid("evidence: trials must be >= 1 and max_rank_seen the rank")
    if version == 2:
        if set(ev) != {"trials", "max_rank_seen"}:
            raise Invalid("evidence for a named phi claims no bound")
        return
    R = as_int(get(get(cert, "generator"), "range", "generator."), "generator.range")
    if R < 1 or any(abs(x) > R for row in A + B for x in row):
        raise Invalid("the point is not inside the generator's range [-R, R]")
    K = max([k for k, c in enumerate(coeffs) if c != 0], default=-1)
    e = 0 if K < 0 else (2 * K if family == "hadamard" else 2 * K + 1)
    D = (r + 1) * e
    if ev.get("degree_bound") != D:
        raise Invalid("evidence.degree_bound is not (r + 1) e = %d" % D)
    delta = D / (2 * R + 1)
    random_primes = ev.get("random_primes")
    if random_primes is True:
        b = as_int(get(ev, "prime_bits", "evidence."), "evidence.prime_bits")
        if p.bit_length() != b:
            raise Invalid("evidence.prime_bits is not the witness prime's bit length")
        L = 1
        for c in coeffs:
            L = L * c.denominator // math.gcd(L, c.denominator)
        E = sum(abs(c * L) * (d * R * R) ** k for k, c in enumerate(coeffs))
        E = int(E) * (R if family == "khatri-rao" else 1)
        x = 2.0 ** (b - 1)
        Nb = max(2 * x / math.log(2 * x) - 1.25506 * x / math.log(x), 0.0) if b >= 6 else 0.0
        Nb -= math.log2(L) / (b - 1)
        lg = (r + 1) * (0.5 * math.log2(r + 1) + max(math.log2(E), 0.0)) if E > 0 else 0.0
        delta += (lg / (b - 1)) / Nb if Nb > 0 else 1.0
    elif random_primes is False:
        delta = 1.0
    else:
        raise Invalid("evidence.random_primes must be true or false")
    delta = min(delta, 1.0)
    for key, bound in (("per_trial_bound", delta), ("probability_bound", delta ** trials)):
        got = ev.get(key)
        if not isinstance(got, (int, float)) or isinstance(got, bool) or got > 1 \
                or got < bound * (1 - 1e-5):
            raise Invalid("evidence.%s %s is stronger than section 6 allows (%.6g)"
                          % (key, json.dumps(got)[:30], bound))


STATEMENT_KEYS = ("format", "version", "family", "m", "d", "n", "coeffs", "phi", "q",
                  "A", "B", "point_seed", "rank", "witness")


def splitmix64_point(seed, rng, count):
    """count integers uniform in [-rng, rng] from SplitMix64 seeded with
    seed (doc/certificate-format.md, "point_seed")."""
    mask = (1 << 64) - 1
    bound = 2 * rng + 1
    limit = mask - ((mask % bound) + 1) % bound
    state, out = seed, []
    while len(out) < count:
        state = (state + 0x9e3779b97f4a7c15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & mask
        z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & mask
        z ^= z >> 31
        if z <= limit:
            out.append(z % bound - rng)
    return out


def seeded_point(ps, m, d, n):
    """A and B from a "point_seed" object, its SHA-256 checked."""
    if not isinstance(ps, dict) or ps.get("generator") != "splitmix64":
        raise Invalid("point_seed.generator must be splitmix64")
    seed, rng = as_int(ps.get("seed"), "point_seed.seed"), as_int(ps.get("range"), "point_seed.range")
    if not (0 <= seed < 1 << 64 and 1 <= rng <= 1 << 62):
        raise Invalid("point_seed.seed or range out of range")
    if m * d + n * d > 10 ** 8:
        raise Invalid("point too large to regenerate here")
    v = splitmix64_point(seed, rng, m * d + n * d)
    if hashlib.sha256("".join("%d\n" % x for x in v).encode()).hexdigest() != ps.get("sha256"):
        raise Invalid("the point regenerated from point_seed does not have the recorded SHA-256")
    A = [v[i * d:(i + 1) * d] for i in range(m)]
    B = [v[m * d + j * d:m * d + (j + 1) * d] for j in range(n)]
    return A, B


def canonical(v):
    """Compact JSON, keys sorted by their UTF-8 bytes, ASCII only with
    upper-case \\u escapes (doc/certificate-format.md section 3.2)."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        raise Invalid("the fast section's statement holds a JSON real")
    if isinstance(v, str):
        out = ['"']
        named = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n",
                 "\r": "\\r", "\t": "\\t"}
        for ch in v:
            c = ord(ch)
            if ch in named:
                out.append(named[ch])
            elif c < 0x20 or (0x7F < c < 0x10000):
                out.append("\\u%04X" % c)
            elif c >= 0x10000:
                c -= 0x10000
                out.append("\\u%04X\\u%04X" % (0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF)))
            else:
                out.append(ch)
        out.append('"')
        return "".join(out)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    keys = sorted(v, key=lambda k: k.encode("utf-8"))
    return "{" + ",".join(canonical(k) + ":" + canonical(v[k]) for k in keys) + "}"


def challenge(cert, k, r, p):
    statement = {key: cert[key] for key in STATEMENT_KEYS if key in cert}
    digest = hashlib.sha256(b"genrank-fast-statement 1\n"
                            + canonical(statement).encode("ascii")).digest()
    limit = p * ((2 ** 64 - 1) // p)
    C = []
    for j in range(k):
        vec, counter = [], 0
        while len(vec) < r:
            block = hashlib.sha256(digest + j.to_bytes(8, "big")
                                   + counter.to_bytes(8, "big")).digest()
            counter += 1
            for w in range(4):
                word = int.from_bytes(block[8 * w:8 * w + 8], "big")
                if word < limit and len(vec) < r:
                    vec.append(word % p)
        C.append(vec)
    return C


def check_fast(cert, S, p, r):
    fast = cert["fast"]
    if not isinstance(fast, dict):
        raise Invalid("fast is not an object")
    k = 1
    while p ** k < 2 ** 128:
        k += 1
    if as_int(get(fast, "k", "fast."), "fast.k") != k:
        raise Invalid("fast.k is not %d, the least k with p^k >= 2^128" % k)
    X = int_matrix(get(fast, "X", "fast."), k, r, "fast.X")
    if any(not 0 <= x < p for row in X for x in row):
        raise Invalid("fast.X has an entry outside [0, p)")
    for j, c in enumerate(challenge(cert, k, r, p)):
        for t in range(r):
            if sum(X[j][s] * S[s][t] for s in range(r)) % p != c[t]:
                raise Invalid("fast.X[%d] times the witness minor is not the challenge" % j)


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
    if "point_seed" in cert:
        if "A" in cert or "B" in cert:
            raise Invalid("a point by A and B or by point_seed, not both")
        A, B = seeded_point(cert["point_seed"], m, d, n)
    else:
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
    theorem, exact = claims(family, version, m, d, n, coeffs)
    if get(cert, "theorem") != theorem:
        raise Invalid("theorem is not %s" % theorem)
    corr = cert.get("corrected")
    if (corr is None) != (exact is None):
        raise Invalid("corrected must be present exactly when a theorem gives the exact rank")
    if corr is not None:
        if not isinstance(corr, dict) or as_int(corr.get("value"), "corrected.value") != exact \
                or "Alexander-Hirschowitz" not in str(corr.get("source")):
            raise Invalid("corrected is not %d (Alexander-Hirschowitz)" % exact)
        if r > exact:
            raise Invalid("the rank exceeds the exact generic rank %d" % exact)
    # The optional upper bound of doc/theory.md section 4: khatri-rao with
    # phi = c0 + c1 x (both nonzero) and 2 <= m <= d + 1 has rank at most
    # md - C(m - 1, 2); recorded only when it lies below the prediction.
    ub = cert.get("upper_bound")
    if ub is not None:
        support = [k for k, c in enumerate(coeffs) if c != 0] if version == 1 else None
        if family != "khatri-rao" or support != [0, 1] or not 2 <= m <= d + 1:
            raise Invalid("upper_bound: doc/theory.md section 4 gives none for this instance")
        bound = min(n, m * d - (m - 1) * (m - 2) // 2)
        if not isinstance(ub, dict) or as_int(ub.get("value"), "upper_bound.value") != bound \
                or bound >= predicted:
            raise Invalid("upper_bound is not min(n, md - C(m-1, 2)) = %d below the prediction" % bound)
        if r > bound:
            raise Invalid("the rank exceeds the proved upper bound %d" % bound)

    # Check 6 (section 3, step 6): the further fields.  The evidence's
    # bounds are recomputed from doc/theory.md section 6, with the entry
    # bound E computed exactly; the recorded bounds must be no smaller
    # (a claim no stronger than the section's bound supports).
    # A point the user gave ("generator": {"name": "given"}) carries no
    # evidence: the evidence speaks of random points.
    below = r < predicted
    gen = cert.get("generator")
    given = isinstance(gen, dict) and gen.get("name") == "given"
    if given:
        if "evidence" in cert:
            raise Invalid("a certificate at a given point has no evidence")
    elif below != ("evidence" in cert):
        raise Invalid("evidence must be present exactly when rank < predicted")
    elif below:
        check_evidence(cert, family, version, coeffs, A, B, d, r, p)

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
    det = det_mod([list(row) for row in S], p)
    if det == 0:
        raise Invalid("witness minor is singular modulo %d" % p)
    if det != v:
        raise Invalid("det_mod_p is %d, computed %d" % (v, det))

    # Section 3.2 (optional): the fast section, X_j^T S = C_j^T with the
    # challenge drawn from the statement's digest.
    if "fast" in cert:
        check_fast(cert, S, p, r)

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


# ---------------------------------------------------------------- section 10

RAT_RE = re.compile(r"(-?)([0-9]+)(?:/([0-9]+))?")
DEC_RE = re.compile(r"([-+]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?")
DPSI = {"tanh": "tanh'", "sigmoid": "sigmoid'", "logistic": "sigmoid'",
        "softplus": "sigmoid", "silu": "silu'", "swish": "silu'", "exp": "exp",
        "sinh": "cosh", "cosh": "sinh", "sin": "cos", "cos": "cos'",
        "arctan": "arctan'"}


def rational(value, name):
    m = RAT_RE.fullmatch(value) if isinstance(value, str) else None
    if m is None or (m.group(3) is not None and int(m.group(3)) == 0):
        raise Invalid("%s is not a rational string" % name)
    num = int(m.group(2)) * (-1 if m.group(1) else 1)
    return Fraction(num, int(m.group(3)) if m.group(3) else 1)


def decimal(field, where):
    """A data field as an exact rational (doc/capacity.md)."""
    if "/" in field:
        sign = -1 if field.startswith("-") else 1
        return sign * rational(field.lstrip("+-"), where)
    m = DEC_RE.fullmatch(field)
    if m is None or not (m.group(2) or m.group(3)):
        raise Invalid("%s: %r is not a number" % (where, field))
    digits = (m.group(2) or "") + (m.group(3) or "")
    e = int(m.group(4) or 0) - len(m.group(3) or "")
    if abs(int(m.group(4) or 0)) > 4096:
        raise Invalid("%s: exponent too large" % where)
    v = Fraction(int(digits)) * (Fraction(10) ** e)
    return -v if m.group(1) == "-" else v


def data_path(rec, data_dir):
    """The recorded data file inside data_dir (doc/certificate-format.md,
    section 10): relative, no "..", inside once symbolic links resolve."""
    if not isinstance(rec, str) or not rec or rec.startswith("/"):
        raise Invalid("data.file must be a relative path")
    if ".." in rec.split("/"):
        raise Invalid("data.file leaves the data directory with '..'")
    base = os.path.realpath(data_dir)
    full = os.path.realpath(os.path.join(data_dir, rec))
    if os.path.commonpath([base, full]) != base:
        raise Invalid("data.file lies outside the data directory")
    return full


def read_data_file(path, header, label):
    """Points of a data file, read by the rules of doc/capacity.md."""
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln for ln in text.split("\n") if ln.strip(" \t") and not ln.lstrip(" \t").startswith("#")]
    if not lines:
        raise Invalid("the data file has no points")
    comma = "," in lines[0]

    def split(ln):
        if not comma:
            return ln.split()
        out = []
        for f in ln.split(","):
            f = f.strip(" \t")
            if len(f) >= 2 and f[0] == '"' and f[-1] == '"':
                f = f[1:-1]
            out.append(f)
        return out

    def numeric_looking(f):
        f = f[1:] if f[:1] in "+-" else f
        return (f == "" or f[0].isdigit() or f[0] == "."
                or f[:3].lower() in ("nan", "inf"))

    first = split(lines[0])
    skip = len(first) - 1 if label == "last" else (None if label == "none" else label - 1)
    is_header = header == "yes" or (header == "auto" and any(
        k != skip and not numeric_looking(f) for k, f in enumerate(first)))
    rows = [split(ln) for ln in (lines[1:] if is_header else lines)]
    if not rows:
        raise Invalid("the data file has no points")
    width = len(rows[0])
    lab = width - 1 if label == "last" else (None if label == "none" else label - 1)
    pts = []
    for k, r in enumerate(rows):
        if len(r) != width:
            raise Invalid("data row %d is ragged" % k)
        pts.append([decimal(f, "data row %d" % k) for j, f in enumerate(r) if j != lab])
    return raw, pts


def rank_q(points):
    """Rank over Q by Fraction elimination."""
    M = [list(r) for r in points]
    rank = 0
    for c in range(len(M[0]) if M else 0):
        piv = next((i for i in range(rank, len(M)) if M[i][c] != 0), None)
        if piv is None:
            continue
        M[rank], M[piv] = M[piv], M[rank]
        for i in range(rank + 1, len(M)):
            if M[i][c] != 0:
                f = M[i][c] / M[rank][c]
                M[i] = [x - f * y for x, y in zip(M[i], M[rank])]
        rank += 1
    return rank


def exact_witness(cert, not_exact):
    """The witness object and its prime, an odd prime, of the exact route."""
    wit = get(cert, "witness")
    if get(wit, "route", "witness.") != "exact":
        raise Invalid(not_exact)
    p = as_int(get(wit, "prime", "witness."), "witness.prime")
    if p < 3 or not is_prime(p):
        raise Invalid("witness.prime is not an odd prime")
    return wit, p


def check_capacity(cert, data_dir="."):
    """Section 10; returns n, or raises Invalid."""
    if get(cert, "version") != 1:
        raise Invalid("capacity certificate version must be 1")
    act = get(cert, "activation")
    coeffs = None
    if act == "polynomial":
        coeffs = parse_coeffs(get(cert, "coeffs"))
        if len(coeffs) < 2:
            raise Invalid("a polynomial needs at least 2 coefficients")
    elif act != "relu" and act not in DPSI:
        raise Invalid("activation %s not checked here" % json.dumps(act)[:40])
    data = get(cert, "data")
    n, d = as_int(get(data, "n", "data."), "data.n"), as_int(get(data, "d", "data."), "data.d")
    if n < 1 or d < 1:
        raise Invalid("data.n and data.d must be >= 1")
    if "points" in data:
        both = [k for k in ("file", "sha256", "header", "label_column", "inline") if k in data]
        if both:
            raise Invalid("data has inline points and %s: inline or by reference, not both" % both[0])
        pts = data["points"]
        if not isinstance(pts, list) or len(pts) != n or any(
                not isinstance(r, list) or len(r) != d for r in pts):
            raise Invalid("data.points must be n arrays of d strings")
        X = [[rational(v, "data.points") for v in r] for r in pts]
    else:
        raw, allpts = read_data_file(data_path(get(data, "file", "data."), data_dir),
                                     get(data, "header", "data."),
                                     get(data, "label_column", "data."))
        if hashlib.sha256(raw).hexdigest() != get(data, "sha256", "data."):
            raise Invalid("the data file's SHA-256 differs")
        sel = int_list(data["select"], "data.select") if "select" in data else list(range(len(allpts)))
        if len(sel) != n or any(not 0 <= i < len(allpts) for i in sel):
            raise Invalid("data.select does not pick n points of the file")
        X = [allpts[i] for i in sel]
        if any(len(x) != d for x in X):
            raise Invalid("the data file has not d features")
    if "select" in data:
        sel = int_list(data["select"], "data.select")
        if any(a >= b for a, b in zip(sel, sel[1:])):
            raise Invalid("data.select not strictly increasing")
    m = as_int(get(cert, "width"), "width")
    W = get(cert, "W0")
    if m < 1 or not isinstance(W, list) or len(W) != m or any(
            not isinstance(r, list) or len(r) != d for r in W):
        raise Invalid("W0 must be width arrays of d strings")
    W = [[rational(v, "W0") for v in r] for r in W]
    b0, v0 = get(cert, "b0"), get(cert, "v0")
    if not isinstance(b0, list) or not isinstance(v0, list) or len(b0) != m or len(v0) != m:
        raise Invalid("b0 and v0 must have width entries")
    b0 = [rational(v, "b0") for v in b0]
    v0 = [rational(v, "v0") for v in v0]
    if any(v == 0 for v in v0):
        raise Invalid("v0 has a zero")
    if as_int(get(cert, "rank"), "rank") != n or n > m * d:
        raise Invalid("rank must be n <= width * d")
    wit, p = exact_witness(cert, "only the exact route is checked here")
    rows = int_list(get(wit, "rows", "witness."), "witness.rows")
    cols = int_list(get(wit, "cols", "witness."), "witness.cols")
    for name, idx, bound in (("rows", rows, m * d), ("cols", cols, n)):
        if len(idx) != n or any(not 0 <= i < bound for i in idx) \
                or any(a >= b for a, b in zip(idx, idx[1:])):
            raise Invalid("witness.%s invalid" % name)
    want = as_int(get(wit, "det_mod_p", "witness."), "witness.det_mod_p")
    if not 1 <= want < p:
        raise Invalid("witness.det_mod_p not in [1, p)")
    numbers = [v for r in X for v in r] + [v for r in W for v in r] + b0 + v0 + (coeffs or [])
    if any(v.denominator % p == 0 for v in numbers):
        raise Invalid("the prime divides a denominator")
    if act not in ("polynomial", "relu"):
        q = as_int(get(wit, "q", "witness."), "witness.q")
        t0 = as_int(get(wit, "t0", "witness."), "witness.t0")
        if q < 1 or q % p == 0 or not 1 <= t0 < p:
            raise Invalid("witness.q or witness.t0 invalid")
        i0 = as_int(get(wit, "i0", "witness."), "witness.i0") if DPSI[act] in TRIG else None
        if i0 is not None and i0 * i0 % p != p - 1:
            raise Invalid("witness.i0 is not a square root of -1")

    def modp(v):
        return v.numerator * pow(v.denominator, -1, p) % p

    def dpsi(z):
        if act == "relu":
            if z == 0:
                raise Invalid("a ReLU pre-activation is 0")
            return 1 if z > 0 else 0
        if act == "polynomial":
            return sum(j * modp(c) * pow(modp(z), j - 1, p) for j, c in enumerate(coeffs) if j) % p
        u = q * z
        if u.denominator != 1:
            raise Invalid("q times a pre-activation is not an integer")
        u = u.numerator
        return named_mod(DPSI[act], modp(z), pow(t0, u % (p - 1), p), i0, p)

    if act == "relu":
        for k in range(m):
            for x in X:
                if sum(W[k][j] * x[j] for j in range(d)) + b0[k] == 0:
                    raise Invalid("a ReLU pre-activation is 0")
    S = []
    for row in rows:
        l, k = divmod(row, m)
        S.append([modp(v0[k]) * dpsi(sum(W[k][j] * X[i][j] for j in range(d)) + b0[k])
                  * modp(X[i][l]) % p for i in cols])
    if det_mod(S, p) != want:
        raise Invalid("the witness minor's determinant is not det_mod_p")
    r = rank_q(X)
    if as_int(get(cert, "sufficient_width"), "sufficient_width") != 2 * m:
        raise Invalid("sufficient_width is not 2 * width")
    nw = get(cert, "necessary_width")
    if (as_int(get(nw, "theorem_5_4"), "theorem_5_4") != -(-n // (d + 2))
            or as_int(get(nw, "data_rank"), "data_rank") != r
            or as_int(get(nw, "with_data_rank"), "with_data_rank") != -(-n // (r + 2))):
        raise Invalid("necessary_width is wrong")
    if coeffs is not None:
        K = max(k for k, c in enumerate(coeffs) if c != 0)
        want_poly = max(0, -(-(n + 1 - math.comb(K + r, r)) // 2))
        if as_int(get(cert, "necessary_width_polynomial"), "necessary_width_polynomial") != want_poly:
            raise Invalid("necessary_width_polynomial is wrong")
    if "route_lower_bound" in cert:
        lb = cert["route_lower_bound"]
        T = int_list(get(lb, "points"), "route_lower_bound.points")
        if not T or any(not 0 <= i < n for i in T) or any(a >= b for a, b in zip(T, T[1:])):
            raise Invalid("route_lower_bound.points invalid")
        rt = rank_q([X[i] for i in T])
        if as_int(get(lb, "rank"), "rank") != rt or as_int(get(lb, "width"), "width") != -(-len(T) // rt) \
                or -(-len(T) // rt) > m:
            raise Invalid("route_lower_bound is wrong")
    return n


# ---- network certificates (section 13) ---------------------------------

NET_OBJECTS = ("jacobian", "hessian-outer", "hessian-functional", "hessian-loss")


def net_number(v, where):
    """A point number: a JSON integer, a real (its shortest decimal) or a
    string holding an integer, a decimal or p/q."""
    if type(v) is int:
        return Fraction(v)
    if type(v) is float:
        return decimal(repr(v), where)
    if isinstance(v, str):
        return decimal(v, where)
    raise Invalid("%s is not a number" % where)


def net_matrix(v, rows, cols, where):
    if not isinstance(v, list) or len(v) != rows:
        raise Invalid("%s must have %d rows" % (where, rows))
    out = []
    for a, row in enumerate(v):
        if not isinstance(row, list) or len(row) != cols:
            raise Invalid("%s row %d must have %d numbers" % (where, a + 1, cols))
        out.append([net_number(x, "%s[%d][%d]" % (where, a + 1, c + 1)) for c, x in enumerate(row)])
    return out


def net_forward(Ws, bs, act, coeffs, x):
    """Exact forward pass: the hidden pre-activations per layer, F(x)."""
    h, zs = x, []
    L = len(Ws)
    for l in range(L):
        z = [sum(w * v for w, v in zip(row, h)) + (bs[l][a] if bs else 0)
             for a, row in enumerate(Ws[l])]
        if l == L - 1:
            return zs, z
        zs.append(z)
        if act == "linear":
            h = z
        elif act == "relu":
            h = [v if v > 0 else Fraction(0) for v in z]
        else:
            h = [sum(c * v ** k for k, c in enumerate(coeffs)) for v in z]


def net_minor(obj, Ws, bs, act, coeffs, signs, X, Y, rows, cols, p):
    """The minor modulo p by second-order jets: for each column parameter t
    and each input, one forward pass carrying the value, its derivatives
    along the row parameters S (a vector), along t, and the mixed second
    derivatives along (S, t).  Written from section 13 alone."""
    L, K = len(Ws), len(Ws[-1])
    widths = [len(Ws[0][0])] + [len(W) for W in Ws]
    # parameter index -> (kind, l, a, c)
    index, k = {}, 0
    for l in range(L):
        for a in range(widths[l + 1]):
            for c in range(widths[l]):
                index[k] = ("W", l, a, c)
                k += 1
    if bs:
        for l in range(L):
            for a in range(widths[l + 1]):
                index[k] = ("b", l, a, 0)
                k += 1

    def md(q):
        return q.numerator % p * pow(q.denominator % p, p - 2, p) % p

    Wm = [[[md(v) for v in row] for row in W] for W in Ws]
    bm = [[md(v) for v in b] for b in bs] if bs else None
    cm = [md(c) for c in coeffs]
    dcm = [k * cm[k] % p for k in range(1, len(cm))]
    ddcm = [k * dcm[k] % p for k in range(1, len(dcm))]

    def poly(cs, v):
        r = 0
        for c in reversed(cs):
            r = (r * v + c) % p
        return r

    if obj == "jacobian":
        S = []          # J: rows are (input, output) pairs
    else:
        S = list(rows)
    r = len(S)
    zero = [0] * r

    def run(i, t):
        """Jets of F(x_i): lists of (v, dS, dt, dSt) per output."""
        h = [(md(v), zero, 0, zero) for v in X[i]]
        for l in range(L):
            out = []
            for a in range(widths[l + 1]):
                v, dS, dt, dSt = 0, list(zero), 0, list(zero)
                for c in range(widths[l]):
                    w = Wm[l][a][c]
                    hv, hS, ht, hSt = h[c]
                    v = (v + w * hv) % p
                    dt = (dt + w * ht) % p
                    for j in range(r):
                        dS[j] = (dS[j] + w * hS[j]) % p
                        dSt[j] = (dSt[j] + w * hSt[j]) % p
                    # the weight's own derivative: e_(W_l[a,c])
                    pid = ("W", l, a, c)
                    if index.get(t) == pid:
                        dt = (dt + hv) % p
                        for j in range(r):
                            dSt[j] = (dSt[j] + hS[j]) % p
                    for j in range(r):
                        if index[S[j]] == pid:
                            dS[j] = (dS[j] + hv) % p
                            dSt[j] = (dSt[j] + ht) % p
                if bm is not None:
                    v = (v + bm[l][a]) % p
                    if index.get(t) == ("b", l, a, 0):
                        dt = (dt + 1) % p
                    for j in range(r):
                        if index[S[j]] == ("b", l, a, 0):
                            dS[j] = (dS[j] + 1) % p
                out.append((v, dS, dt, dSt))
            if l == L - 1:
                return out
            h = []
            for a, (v, dS, dt, dSt) in enumerate(out):
                if act == "linear":
                    h.append((v, dS, dt, dSt))
                elif act == "relu":
                    on = signs[i][l][a]
                    h.append((v, dS, dt, dSt) if on else (0, zero, 0, zero))
                else:
                    s1, s2 = poly(dcm, v), poly(ddcm, v)
                    h.append((poly(cm, v), [s1 * x % p for x in dS], s1 * dt % p,
                              [(s2 * x * dt + s1 * y) % p for x, y in zip(dS, dSt)]))

    n = len(X)
    Mx = [[0] * len(cols) for _ in rows]
    if obj == "jacobian":
        for b, t in enumerate(cols):
            for a, row in enumerate(rows):
                i, k = divmod(row, K)
                Mx[a][b] = run(i, t)[k][2]
        return Mx
    for b, t in enumerate(cols):
        for i in range(n):
            F = run(i, t)
            for k in range(K):
                v, dS, dt, dSt = F[k]
                e = (v - md(Y[i][k])) % p
                for a in range(r):
                    x = 0
                    if obj in ("hessian-outer", "hessian-loss"):
                        x += dS[a] * dt
                    if obj in ("hessian-functional", "hessian-loss"):
                        x += e * dSt[a]
                    Mx[a][b] = (Mx[a][b] + x) % p
    return Mx


def net_prediction(obj, widths, bias, act, X, Y, Ws, bs, coeffs, signs):
    """(predicted or None, status, bound) by doc/networks.md's table."""
    L, d, K = len(widths) - 1, widths[0], widths[-1]
    n = len(X)
    P = sum(widths[l] * widths[l + 1] for l in range(L)) + (sum(widths[1:]) if bias else 0)
    r = rank_q(X)
    mu = [sum(x[c] for x in X) / n for c in range(d)]
    rc = rank_q([[x[c] - mu[c] for c in range(d)] for x in X])
    bound = P
    if obj in ("jacobian", "hessian-outer"):
        bound = min(bound, n * K)
    if L == 1:
        rx = rc + 1 if bias else r
        if obj == "hessian-functional":
            return 0, "proved", 0
        return K * rx, "proved", min(bound, K * rx)
    hid = widths[1:-1]
    M = sum(hid)
    if act == "linear" and not bias:
        q = min([r, K] + hid)
        ho = q * (r + K - q)
        if obj in ("jacobian", "hessian-outer"):
            return ho, "proved", min(bound, ho)
        if obj == "hessian-functional":
            F = [net_forward(Ws, bs, act, coeffs, x)[1] for x in X]   # once per input
            om = [[sum((F[i][k] - Y[i][k]) * X[i][c] for i in range(n)) for c in range(d)]
                  for k in range(K)]
            s = rank_q(om)
            qh = min(q, s)
            return 2 * qh * M + 2 * qh * s - L * qh * qh, "upper bound", bound
        if q == K:
            return 2 * q * M + q * (r + K) - L * q * q, "empirical", bound
        return None, "none", bound
    if act == "linear":
        r = rc
        s1 = min(r + 1, K)
        q = min([r, K] + hid)
        if obj in ("jacobian", "hessian-outer"):
            v = q * (r + K - q) + K
            return v, "upper bound", min(bound, v)
        if L == 2 and obj == "hessian-functional":
            return 2 * s1 * hid[0], "empirical", bound
        if L == 2:
            return 2 * s1 * (hid[0] - q) + q * (K + r + 1) + K, "empirical", bound
        if min(hid) < s1:
            return None, "none", bound
        if obj == "hessian-functional":
            return 2 * s1 * M + 2 * s1 * s1 - L * s1 * s1 + (L - 2) * s1, "empirical", bound
        return 2 * s1 * M + s1 * (r + K) - L * s1 * s1 + L * s1, "empirical", bound
    if act == "relu" and L == 2 and not bias and obj in ("jacobian", "hessian-outer"):
        active = sum(1 for a in range(hid[0]) if any(signs[i][0][a] for i in range(n)))
        v = r * active + active * K - active
        return v, "upper bound", min(bound, v)
    return None, "none", bound


class NotChecked(Exception):
    """A certificate this checker does not cover (not a verdict)."""


def check_network(cert):
    """Section 13; returns the rank, or raises Invalid."""
    if get(cert, "version") != 1:
        raise Invalid("unsupported network version")
    obj = get(cert, "object")
    if obj not in NET_OBJECTS:
        raise Invalid("unknown object %r" % (obj,))
    act = get(cert, "activation")
    if isinstance(get(cert, "witness"), dict) and cert["witness"].get("route") == "ball":
        raise NotChecked("a ball-route network certificate (named activation %s) needs ball "
                         "arithmetic" % json.dumps(act)[:40])
    if act not in ("linear", "relu", "poly"):
        raise Invalid("unknown activation %r" % (act,))
    coeffs = ([rational(c, "coeffs") for c in get(cert, "coeffs")] if act == "poly"
              else [Fraction(0), Fraction(1)])
    widths = get(cert, "widths")
    if (not isinstance(widths, list) or len(widths) < 2
            or any(type(w) is not int or w < 1 for w in widths)):
        raise Invalid("widths must be at least two positive integers")
    L, K = len(widths) - 1, widths[-1]
    bias = get(cert, "bias")
    pt = get(cert, "point")
    Ws = [net_matrix(W, widths[l + 1], widths[l], "weights[%d]" % (l + 1))
          for l, W in enumerate(get(pt, "weights", "point."))]
    if len(Ws) != L:
        raise Invalid("point has %d weight matrices, widths say %d" % (len(Ws), L))
    bs = None
    if bias is True:
        b = get(pt, "biases", "point.")
        if not isinstance(b, list) or len(b) != L:
            raise Invalid("point.biases must hold %d arrays" % L)
        bs = [net_matrix([v], 1, widths[l + 1], "biases[%d]" % (l + 1))[0] for l, v in enumerate(b)]
    elif bias is not False or "biases" in pt:
        raise Invalid("bias does not match the point")
    n = as_int(get(cert, "n"), "n")
    X = net_matrix(get(pt, "inputs", "point."), n, widths[0], "inputs")
    Y = net_matrix(get(pt, "targets", "point."), n, K, "targets")
    P = sum(widths[l] * widths[l + 1] for l in range(L)) + (sum(widths[1:]) if bias else 0)
    if as_int(get(cert, "params"), "params") != P:
        raise Invalid("params is not P = %d" % P)
    shape = [n * K, P] if obj == "jacobian" else [P, P]
    if get(cert, "shape") != shape:
        raise Invalid("shape is not %s" % shape)
    rank = as_int(get(cert, "rank"), "rank")
    wit, p = exact_witness(cert, "witness.route must be exact")
    allq = [v for W in Ws for row in W for v in row] + [v for b in (bs or []) for v in b] \
        + [v for x in X for v in x] + [v for y in Y for v in y] + list(coeffs)
    if any(q.denominator % p == 0 for q in allq):
        raise Invalid("the prime divides a denominator of the point")
    rows, cols = int_list(get(wit, "rows", "witness."), "rows"), int_list(get(wit, "cols", "witness."), "cols")
    if not 0 <= rank <= min(shape) or len(rows) != rank or len(cols) != rank:
        raise Invalid("rows and cols must hold rank indices")
    for name, idx, hi in (("rows", rows, shape[0]), ("cols", cols, P)):
        if any(not 0 <= v < hi for v in idx) or any(a >= b for a, b in zip(idx, idx[1:])):
            raise Invalid("%s must increase strictly within [0, %d)" % (name, hi))
    signs = None
    if act == "relu":
        signs = []
        for i in range(n):
            zs, _ = net_forward(Ws, bs, act, coeffs, X[i])
            for l, z in enumerate(zs):
                for a, v in enumerate(z):
                    if v == 0:
                        raise Invalid("relu: pre-activation 0 at layer %d, neuron %d, input %d"
                                      % (l + 1, a + 1, i + 1))
            signs.append([[v > 0 for v in z] for z in zs])
    if rank * rank * n * P > 2 * 10 ** 8:
        raise Invalid("too large for this checker (rank^2 n P above 2e8)")
    Mx = net_minor(obj, Ws, bs, act, coeffs, signs, X, Y, rows, cols, p)
    det = det_mod(Mx, p) if rank else 1
    if det == 0:
        raise Invalid("the minor is singular modulo p")
    if as_int(get(wit, "det_mod_p", "witness."), "det_mod_p") % p != det:
        raise Invalid("det_mod_p is not the minor's determinant")
    pr = get(cert, "prediction")
    want = net_prediction(obj, widths, bias, act, X, Y, Ws, bs, coeffs, signs)
    if (pr.get("predicted"), pr.get("status"), pr.get("bound")) != want:
        raise Invalid("prediction (predicted, status, bound) is not %s" % (want,))
    if rank > want[2]:
        raise Invalid("rank above the bound proved for every point")
    if get(cert, "exact") is not (rank == want[2]):
        raise Invalid("exact does not say whether rank meets the bound")
    return rank


def main(argv):
    args, data_dir = argv[1:], None
    if len(args) >= 2 and args[0] == "--data-dir":
        data_dir, args = args[1], args[2:]
    if not args:
        sys.stderr.write("usage: %s [--data-dir DIR] CERT.json...\n" % argv[0])
        return 2
    status = 0
    for path in args:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            sys.stderr.write("%s: cannot read: %s\n" % (path, e.strerror or e))
            status = 2
            continue
        try:
            cert = parse_json(data)
            if isinstance(cert, dict) and cert.get("format") == "genrank-network":
                print("%s: valid (network, rank %d)" % (path, check_network(cert)))
            elif isinstance(cert, dict) and cert.get("format") == "genrank-capacity":
                where = data_dir if data_dir is not None else (os.path.dirname(path) or ".")
                print("%s: valid (capacity, rank n = %d)" % (path, check_capacity(cert, where)))
            else:
                print("%s: valid (rank %d)" % (path, check(cert)))
        except NotChecked as e:
            print("%s: not checked: %s" % (path, e))
        except Exception as e:  # Invalid, or e.g. MemoryError: no traceback
            why = e if isinstance(e, Invalid) else "%s: %s" % (
                type(e).__name__, e)
            print("%s: invalid: %s" % (path, why))
            status = max(status, 1)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
