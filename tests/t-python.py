"""Tests of the Python package genrank (python/genrank), run by t-python.sh
under each Python interpreter.  Prints TAP lines without numbers ("ok - ..."),
which t-python.sh numbers.

Usage: t-python.py PROGRAM TOP_SRCDIR WORKDIR
PROGRAM is the genrank program the package must find by itself.

Every property is checked against an independent computation here
(Fraction arithmetic, binomials, the independent checker tests/indep-check.py
and the genrank command itself), never against stored results.
"""
import decimal
import json
import math
import os
import random
import stat
import subprocess
import sys
from fractions import Fraction

import genrank

PROGRAM, SRCDIR, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
INDEP = os.path.join(SRCDIR, "tests", "indep-check.py")
SEED = int(os.environ.get("T_PYTHON_SEED") or int.from_bytes(os.urandom(4), "little"))
rng = random.Random(SEED)
print("# random seed %d (T_PYTHON_SEED=%d repeats this run)" % (SEED, SEED))
failures = 0

try:
    import numpy
except ImportError:
    numpy = None
try:
    import sympy
except ImportError:
    sympy = None
try:
    import matplotlib
    matplotlib.use("Agg")
except ImportError:
    matplotlib = None


def ok(cond, desc):
    global failures
    if not cond:
        failures += 1
    print("%s - %s" % ("ok" if cond else "not ok", desc))
    sys.stdout.flush()


def skip(desc, why):
    print("ok - # SKIP %s: %s" % (desc, why))


def note(msg):
    for line in str(msg).splitlines():
        print("# " + line)


def raises(fn, *a, **kw):
    """The genrank.Error fn raises, or None."""
    try:
        fn(*a, **kw)
    except genrank.Error as e:
        return e
    return None


def one_line_error(e):
    return e is not None and str(e).strip() != "" and "\n" not in str(e)


# --- independent computations ---------------------------------------------

def rank_q(rows):
    """The rank over Q of a matrix of Fractions (or ints), by elimination."""
    M = [[Fraction(v) for v in r] for r in rows]
    r = 0
    ncols = len(M[0]) if M else 0
    for c in range(ncols):
        piv = next((i for i in range(r, len(M)) if M[i][c] != 0), None)
        if piv is None:
            continue
        M[r], M[piv] = M[piv], M[r]
        for i in range(r + 1, len(M)):
            if M[i][c] != 0:
                f = M[i][c] / M[r][c]
                M[i] = [a - f * b for a, b in zip(M[i], M[r])]
        r += 1
    return r


def binom(a, b):
    return math.comb(a, b) if hasattr(math, "comb") else math.factorial(a) // (
        math.factorial(b) * math.factorial(a - b))


def predicted(family, m, d, n, coeffs):
    """Theorems 3.1/3.2 and 4.2/4.3 as doc/theory.md states them."""
    s = 0
    for k, c in enumerate(coeffs):
        if Fraction(c) != 0:
            s += binom(k + d - 1, k) if family == "hadamard" else binom(k + d, k + 1)
    rows = m if family == "hadamard" else m * d
    return min(rows, n, s)


def ah_value(m, d, n, k):
    """The Alexander-Hirschowitz generic rank of khatri-rao with phi = c x^k
    (doc/theory.md section 4)."""
    s = binom(d + k, k + 1)
    dim = min(m * d, s)
    if k == 1 and 2 <= m <= d - 1:
        dim = m * d - binom(m, 2)
    elif (k + 1, d, m) in ((3, 5, 7), (4, 3, 5), (4, 4, 9), (4, 5, 14)):
        dim -= 1
    return min(n, dim)


def matrix_at_point(cert):
    """The polynomial certificate's matrix at its recorded point, exactly."""
    cs = [Fraction(c) for c in cert["coeffs"]]
    A, B, m, d, n = cert["A"], cert["B"], cert["m"], cert["d"], cert["n"]

    def phi(x):
        return sum(c * x ** k for k, c in enumerate(cs))
    val = [[phi(sum(a * b for a, b in zip(A[i], B[j]))) for j in range(n)] for i in range(m)]
    if cert["family"] == "hadamard":
        return val
    return [[B[j][l] * val[i][j] for j in range(n)] for l in range(d) for i in range(m)]


def cli(*args):
    p = subprocess.run([PROGRAM] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def indep(*paths):
    p = subprocess.run([sys.executable, INDEP] + list(paths), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    return p.returncode, p.stdout.decode()


def as_type(v, kind):
    """v (a Fraction) spelled as one of the accepted input types."""
    v = Fraction(v)
    if kind == "int" and v.denominator == 1:
        return int(v)
    if kind == "str":
        return "%d/%d" % (v.numerator, v.denominator)
    if kind == "decimal":
        # an exact decimal when the denominator divides a power of ten
        den = v.denominator
        for p in range(0, 12):
            if (10 ** p) % den == 0:
                return decimal.Decimal(v.numerator * (10 ** p // den)).scaleb(-p)
        return v
    if kind == "decstr":
        d = as_type(v, "decimal")
        return str(d) if isinstance(d, decimal.Decimal) else "%d/%d" % (v.numerator, v.denominator)
    if kind == "numpy" and numpy is not None and v.denominator == 1:
        return numpy.int64(int(v))
    if kind == "sympy" and sympy is not None:
        return sympy.Rational(v.numerator, v.denominator)
    return v


KINDS = ["int", "fraction", "str", "decimal", "decstr", "numpy", "sympy"]
NICE = [Fraction(1), Fraction(-1), Fraction(1, 2), Fraction(2), Fraction(-3, 4),
        Fraction(3), Fraction(1, 5), Fraction(-7, 10)]


def random_coeffs(maxdeg=3):
    K = rng.randint(0, maxdeg)
    cs = [rng.choice(NICE) if rng.random() < 0.7 else Fraction(0) for _ in range(K + 1)]
    if all(c == 0 for c in cs):
        cs[-1] = Fraction(1)
    while len(cs) > 1 and cs[-1] == 0:   # the program drops trailing zeros
        cs.pop()
    return cs


# --- the program the package runs -----------------------------------------

ok(os.path.realpath(genrank.program()) == os.path.realpath(PROGRAM),
   "the package finds the program of its build tree (%s)" % genrank.program())

# --- formula ----------------------------------------------------------------

bad = []
for t in range(20):
    fam = rng.choice(["hadamard", "khatri-rao"])
    m, d, n = rng.randint(1, 15), rng.randint(1, 6), rng.randint(1, 60)
    cs = random_coeffs(4)
    kind = KINDS[t % len(KINDS)]
    f = genrank.formula(family=fam, m=m, d=d, n=n, coeffs=[as_type(c, kind) for c in cs])
    want = predicted(fam, m, d, n, cs)
    if f.predicted != want:
        bad.append("%s m=%d d=%d n=%d %s: %s != %s" % (fam, m, d, n, cs, f.predicted, want))
for b in bad:
    note(b)
ok(not bad, "formula's predictions equal Theorems 3.1-4.3 recomputed, over 20 random cases "
   "and every input type")

bad = []
for t in range(15):
    m, d, n, k = rng.randint(1, 15), rng.randint(1, 6), rng.randint(1, 80), rng.randint(1, 3)
    c = rng.choice(NICE)
    f = genrank.formula(family="khatri-rao", m=m, d=d, n=n, coeffs=[0] * k + [c])
    want = ah_value(m, d, n, k)
    if f.corrected is not None and f.corrected != want:
        bad.append("m=%d d=%d n=%d x^%d: corrected %s, Alexander-Hirschowitz %s"
                   % (m, d, n, k, f.corrected, want))
    if f.corrected is None and want != f.predicted:
        bad.append("m=%d d=%d n=%d x^%d: no corrected value, but it is %s" % (m, d, n, k, want))
for b in bad:
    note(b)
ok(not bad, "formula's corrected values for monomials equal the Alexander-Hirschowitz values")

f = genrank.formula(family="khatri-rao", m=3, d=4, n=20, phi="tanh")
ok(f.predicted == min(3 * 4, 20) and f.corrected is None,
   "formula with phi = tanh: Theorem 4.5's min(md, n)")

# --- prove ------------------------------------------------------------------

r = genrank.prove(family="khatri-rao", m=3, d=4, n=20, coeffs=[0, 1], seed=2)
ok(r.rank == ah_value(3, 4, 20, 1) == 9 and r.predicted == predicted("khatri-rao", 3, 4, 20, [0, 1])
   and r.status == "exact" and "Alexander" in (r.exact_by or ""),
   "the Theorem 4.3 counterexample m=3 d=4 phi=x: rank 9, exact by Alexander-Hirschowitz")

bad, n_inst = [], 10
for t in range(n_inst):
    fam = "hadamard" if t % 2 == 0 else "khatri-rao"
    m, d, n = rng.randint(1, 5), rng.randint(1, 4), rng.randint(1, 16)
    cs = random_coeffs(2)
    kind = KINDS[t % len(KINDS)]
    seed = rng.randint(0, 2 ** 64 - 1)
    R = rng.choice([3, 50, 1048576])
    res = genrank.prove(family=fam, m=m, d=d, n=n, coeffs=[as_type(c, kind) for c in cs],
                        seed=seed, range=R)
    cert = res.certificate
    what = "%s m=%d d=%d n=%d coeffs %s" % (fam, m, d, n, [str(c) for c in cs])
    want = predicted(fam, m, d, n, cs)
    at_point = rank_q(matrix_at_point(cert))
    if [Fraction(c) for c in cert["coeffs"]] != cs:
        bad.append("%s: the certificate's coeffs are %s" % (what, cert["coeffs"]))
    if int(cert["generator"]["seed"]) != seed:
        bad.append("%s: the seed %d is not recorded" % (what, seed))
    if res.predicted != want:
        bad.append("%s: predicted %s, recomputed %s" % (what, res.predicted, want))
    if not res.rank <= at_point <= want:
        bad.append("%s: certified %s, rank over Q at the point %s, prediction %s"
                   % (what, res.rank, at_point, want))
    # Theorems 3.1/3.2 are proved, so at a point drawn from [-2^20, 2^20]
    # (not from a tiny range, where rows coincide) five trials reach them
    # unless all five miss (each with a probability of order 1e-5)
    if fam == "hadamard" and R == 1048576 and res.rank != want:
        bad.append("%s: below Theorem 3.1/3.2 (a proved value)" % what)
    # the proved bounds: the prediction, Alexander-Hirschowitz, and for
    # phi = c0 + c1 x (both nonzero) with 2 <= m <= d + 1 the bound
    # min(n, md - C(m - 1, 2)) of doc/theory.md section 4
    affine = None
    if fam == "khatri-rao" and [k for k, c in enumerate(cs) if c != 0] == [0, 1] and 2 <= m <= d + 1:
        affine = min(n, m * d - (m - 1) * (m - 2) // 2)
    exact = res.rank == want or (res.corrected is not None and res.rank == res.corrected) \
        or (affine is not None and res.rank == affine)
    if (res.status == "exact") != exact:
        bad.append("%s: status %s" % (what, res.status))
    if res.status == "exact" and at_point != res.rank:
        bad.append("%s: exact rank %s but %s at the point" % (what, res.rank, at_point))
    path = os.path.join(WORK, "p%d.json" % t)
    res.save(path)
for b in bad:
    note(b)
ok(not bad, "prove over %d random instances: certified <= rank over Q at the recorded point "
   "<= the prediction, status exact exactly when a proved bound is met" % n_inst)

paths = [os.path.join(WORK, "p%d.json" % t) for t in range(n_inst)]
st, out, err = cli("verify", *paths)
ok(st == 0, "genrank verify accepts the %d certificates Python saved" % n_inst)
st, out = indep(*paths)
if st != 0:
    note(out)
ok(st == 0 and out.count(": valid") == n_inst,
   "tests/indep-check.py accepts the certificates Python saved")
ok(all(genrank.verify(p).valid for p in paths), "genrank.verify(path) finds them valid")
with open(paths[1]) as fh:
    loaded = json.load(fh)
v = genrank.verify(loaded)
ok(v.valid and v.rank == loaded["rank"], "genrank.verify(dict) finds a loaded certificate valid")
vf = genrank.verify(paths[1], fast=True)
ok(vf.valid and vf.check == "fast" and vf.error_bits >= 128 and v.check == "full",
   "genrank.verify(path, fast=True) checks the fast section (probabilistic, %s bits)"
   % (vf.error_bits,))

# a certificate the command wrote, checked from Python, and a tampered one
cli_cert = os.path.join(WORK, "cli.json")
st, _, _ = cli("prove", "--family", "hadamard", "--m", "4", "--d", "2", "--n", "7", "--coeffs",
               "1,1,1", "--seed", "5", "--out", cli_cert, "--quiet")
v = genrank.verify(cli_cert)
ok(st in (0, 3) and v.valid and v.kind == "rank", "a certificate genrank prove wrote verifies from Python")
with open(cli_cert) as fh:
    tampered = json.load(fh)
tampered["rank"] = tampered["rank"] + 1
v = genrank.verify(tampered)
ok(not v.valid and v.reason and "\n" not in v.reason,
   "a tampered certificate is invalid, with the reason (%s)" % (v.reason,))
tampered_path = os.path.join(WORK, "tampered.json")
genrank._write_json(tampered, tampered_path)
st, _, _ = cli("verify", tampered_path)
st2, _ = indep(tampered_path)
ok(st == 1 and st2 == 1, "... and genrank verify and indep-check.py reject it as Python wrote it")

# named activations (exact route); numpy's view of the same matrix
res = genrank.prove(family="hadamard", phi="tanh", m=40, d=2, n=40, seed=2, compare_float=True)
tp = os.path.join(WORK, "tanh.json")
res.save(tp)
st, out = indep(tp)
ok(res.rank == min(40, 40) == res.predicted and res.status == "exact" and st == 0,
   "phi = tanh: certified rank 40 = min(m, n), and indep-check.py accepts the saved certificate")
if numpy is not None:
    import genrank.plot as gp
    s, tol = gp.float_singular_values(res)
    ok(abs(s[0] - res.float_smax) <= 1e-9 * res.float_smax
       and abs(s[-1] - res.float_smin) <= 1e-6 * abs(res.float_smin) + 1e-300,
       "numpy's singular values of the certificate's matrix match genrank's LAPACK ones "
       "(smax %.6g, smin %.6g)" % (s[0], s[-1]))
    ok(int((s > tol).sum()) == res.float_rank <= res.rank,
       "numpy's float rank %d equals --compare-float's and is at most the certified %d"
       % (int((s > tol).sum()), res.rank))
    res2 = genrank.prove(family="khatri-rao", m=5, d=3, n=20, coeffs=[0, 1, 1], seed=2,
                         compare_float=True)
    s2, tol2 = gp.float_singular_values(res2)
    exact_sv = rank_q(matrix_at_point(res2.certificate))
    ok(res2.rank <= exact_sv and int((s2 > tol2).sum()) == res2.float_rank,
       "polynomial khatri-rao: numpy's float rank %d matches genrank's; certified %d, "
       "exact rank at the point %d" % (res2.float_rank, res2.rank, exact_sv))
else:
    skip("float singular values", "numpy is not installed for %s" % sys.executable)
    skip("float rank", "numpy is not installed for %s" % sys.executable)
    skip("polynomial float rank", "numpy is not installed for %s" % sys.executable)
    e = raises(lambda: __import__("genrank.plot").plot.float_singular_values(res))
    ok(one_line_error(e) and "numpy" in str(e), "without numpy the pictures raise genrank.Error (%s)" % e)

# --- rank -------------------------------------------------------------------

def planted(rows, cols, r, rational):
    def entry():
        v = Fraction(rng.randint(-9, 9))
        if rational and rng.random() < 0.3:
            v /= rng.choice([2, 3, 4, 5, 10])
        return v
    X = [[entry() for _ in range(r)] for _ in range(rows)]
    Y = [[entry() for _ in range(cols)] for _ in range(r)]
    return [[sum((X[i][k] * Y[k][j] for k in range(r)), Fraction(0)) for j in range(cols)]
            for i in range(rows)]


def spell(M, kind):
    if kind == "numpy" and numpy is not None and all(v.denominator == 1 for r in M for v in r):
        return numpy.array([[int(v) for v in r] for r in M], dtype=numpy.int64)
    if kind == "sympy" and sympy is not None:
        return sympy.Matrix([[sympy.Rational(v.numerator, v.denominator) for v in r] for r in M])
    if kind == "json":
        p = os.path.join(WORK, "m%d.json" % rng.randint(0, 10 ** 9))
        with open(p, "w") as fh:
            json.dump([["%d/%d" % (v.numerator, v.denominator) for v in r] for r in M], fh)
        return p
    if kind == "mtx" and all(v.denominator == 1 for r in M for v in r):
        p = os.path.join(WORK, "m%d.mtx" % rng.randint(0, 10 ** 9))
        with open(p, "w") as fh:
            fh.write("%%%%MatrixMarket matrix array integer general\n%d %d\n" % (len(M), len(M[0])))
            for j in range(len(M[0])):
                for i in range(len(M)):
                    fh.write("%d\n" % int(M[i][j]))
        return p
    return [[as_type(v, kind) for v in r] for r in M]


bad = []
kinds = ["int", "fraction", "str", "decimal", "decstr", "numpy", "sympy", "json", "mtx"]
for t in range(18):
    rows, cols = rng.randint(1, 8), rng.randint(1, 8)
    r = rng.randint(0, min(rows, cols))
    kind = kinds[t % len(kinds)]
    M = planted(rows, cols, r, rational=kind not in ("int", "numpy", "mtx"))
    want = rank_q(M)
    exact = t % 3 != 2
    res = genrank.rank(spell(M, kind), exact=exact)
    if exact and (res.rank != want or res.status != "exact"):
        bad.append("%dx%d %s: rank %s (%s), over Q %d" % (rows, cols, kind, res.rank, res.status, want))
    if not exact and not res.rank <= want:
        bad.append("%dx%d %s: lower bound %s above %d" % (rows, cols, kind, res.rank, want))
    if (res.rows, res.cols) != (rows, cols):
        bad.append("%dx%d %s: read as %sx%s" % (rows, cols, kind, res.rows, res.cols))
    p = os.path.join(WORK, "r%d.json" % t)
    res.save(p)
    if cli("verify", p)[0] != 0:
        bad.append("%dx%d %s: genrank verify rejects the saved certificate" % (rows, cols, kind))
for b in bad:
    note(b)
ok(not bad, "rank of 18 random matrices of planted rank (every input type, files too): "
   "equals Fraction elimination, exact with exact=True, and the saved certificates verify")

# the probabilistic upper bound (primes drawn from the matrix's digest)
bad = []
for t in range(6):
    rows, cols = rng.randint(2, 9), rng.randint(2, 9)
    r = rng.randint(0, min(rows, cols) - 1)
    M = planted(rows, cols, r, rational=t % 2 == 1)
    want = rank_q(M)
    res = genrank.rank(M, upper_bound="probabilistic")
    if res.rank != want or not res.status.startswith("exact"):
        bad.append("%dx%d: rank %s (%s), over Q %d" % (rows, cols, res.rank, res.status, want))
    p = os.path.join(WORK, "rp%d.json" % t)
    res.save(p)
    if cli("verify", p)[0] != 0:
        bad.append("%dx%d: genrank verify rejects the saved certificate" % (rows, cols))
for b in bad:
    note(b)
ok(not bad, "rank(upper_bound='probabilistic') on 6 matrices of planted rank: equals Fraction "
   "elimination, status 'exact...', and the certificates verify")

# prove at a given point: the rank of the matrix there, from Fraction elimination
bad = []
for t in range(6):
    fam = rng.choice(["hadamard", "khatri-rao"])
    m, d, n = rng.randint(1, 4), rng.randint(1, 3), rng.randint(1, 10)
    cs = random_coeffs(2)
    A = [[Fraction(rng.randint(-6, 6), rng.choice([1, 2, 3])) for _ in range(d)] for _ in range(m)]
    B = [[Fraction(rng.randint(-6, 6), rng.choice([1, 4])) for _ in range(d)] for _ in range(n)]
    res = genrank.prove(family=fam, coeffs=cs, point=(A, B), seed=t + 1)
    phi = lambda x: sum(Fraction(c) * x ** k for k, c in enumerate(cs))
    val = [[phi(sum(a * b for a, b in zip(A[i], B[j]))) for j in range(n)] for i in range(m)]
    mat = val if fam == "hadamard" else [[B[j][l] * val[i][j] for j in range(n)]
                                         for l in range(d) for i in range(m)]
    if res.rank != rank_q(mat) or res.point != "given":
        bad.append("%s m=%d d=%d n=%d: rank %d, over Q %d" % (fam, m, d, n, res.rank, rank_q(mat)))
for b in bad:
    note(b)
ok(not bad, "prove(point=(A, B)) at 6 rational points: the rank of the matrix there (Fraction "
   "elimination), marked as a given point")

F = [[0.5, 0.25], [1.0, 0.5]]
e = raises(genrank.rank, F)
ok(one_line_error(e) and "float" in str(e), "a float matrix is refused unless floats= says how (%s)" % e)
ok(genrank.rank(F, floats="exact").rank == rank_q([[Fraction(x) for x in r] for r in F]) == 1,
   "floats='exact' takes the binary values")
ok(genrank.rank([[0.1, 0.2], [0.3, 0.6]], floats="decimal").rank
   == rank_q([[Fraction("0.1"), Fraction("0.2")], [Fraction("0.3"), Fraction("0.6")]]),
   "floats='decimal' takes 0.1 as 1/10")
if sympy is not None:
    ok(one_line_error(raises(genrank.rank, sympy.Matrix([[sympy.sqrt(2), 1]]))),
       "an irrational SymPy entry is refused")
else:
    skip("an irrational SymPy entry is refused", "SymPy is not installed for %s" % sys.executable)

# --- capacity ---------------------------------------------------------------

def distinct_points(n, d):
    pts = set()
    while len(pts) < n:
        p = tuple(rng.randint(-20, 20) for _ in range(d))
        if any(p):
            pts.add(p)
    return [list(p) for p in pts]


bad, caps = [], []
for t in range(6):
    n, d = rng.randint(2, 14), rng.randint(1, 3)
    pts = distinct_points(n, d)
    act = ["tanh", "sigmoid", "sin"][t % 3]
    kind = ["int", "fraction", "numpy", "sympy", "str", "decimal"][t]
    if kind == "numpy" and numpy is not None:
        data = numpy.array(pts, dtype=numpy.int64)
    elif kind == "sympy" and sympy is not None:
        data = sympy.Matrix(pts)
    else:
        data = [[as_type(Fraction(v) / 2, kind) for v in p] for p in pts]
    c = genrank.capacity(data, activation=act, seed=t + 1)
    rx = rank_q(pts)
    nec = max(-(-n // (d + 2)), -(-n // (rx + 2)))
    what = "n=%d d=%d %s %s" % (n, d, act, kind)
    if not c.certified:
        bad.append("%s: not certified (%s)" % (what, c.reason))
        continue
    if c.sufficient_width != 2 * c.width or c.necessary_width != nec or c.n != n or c.rank != n:
        bad.append("%s: width %s, sufficient %s, necessary %s (Theorem 5.4: %d)"
                   % (what, c.width, c.sufficient_width, c.necessary_width, nec))
    if c.necessary_width > c.sufficient_width:
        bad.append("%s: necessary above sufficient" % what)
    p = os.path.join(WORK, "cap%d.json" % t)
    c.save(p)
    caps.append(p)
for b in bad:
    note(b)
ok(not bad, "capacity of 6 random data sets (arrays of every type): sufficient = 2 m0, "
   "necessary width = Theorem 5.4 recomputed")
st, _, _ = cli("verify", *caps)
st2, out = indep(*caps)
if st2 != 0:
    note(out)
ok(caps and st == 0 and st2 == 0 and all(genrank.verify(p).valid for p in caps),
   "capacity certificates Python saved pass genrank verify, indep-check.py and genrank.verify")

iris = os.path.join(SRCDIR, "data", "sklearn", "iris.csv")
c = genrank.capacity(iris, activation="tanh", label_column="last")
ok(not c.certified and "duplicate" in (c.reason or "") and c.certificate is None
   and one_line_error(raises(c.save, os.path.join(WORK, "none.json"))),
   "Iris as shipped: not certified, duplicate points named (%s)" % c.reason)
c = genrank.capacity(iris, activation="tanh", label_column="last", dedup=True)
ok(c.certified and c.n == 149 and c.necessary_width == -(-149 // (4 + 2))
   and c.sufficient_width == 2 * c.width and c.verify().valid,
   "Iris de-duplicated from its path: certified, necessary width ceil(149/6), and it verifies")
dup = [[1, 2], [3, 4], [1, 2]]
c = genrank.capacity(dup, activation="tanh")
ok(not c.certified and c.reason, "an array with a repeated point is not certified (%s)" % c.reason)

# --- errors -----------------------------------------------------------------

cases = [
    ("unknown family", lambda: genrank.prove(family="dense", m=2, d=2, n=2, coeffs=[1])),
    ("m = 0", lambda: genrank.prove(m=0, d=2, n=2, coeffs=[1])),
    ("a bool size", lambda: genrank.formula(m=True, d=2, n=2, coeffs=[1])),
    ("a float coefficient", lambda: genrank.prove(m=2, d=2, n=2, coeffs=[0.5])),
    ("coefficients as one string", lambda: genrank.prove(m=2, d=2, n=2, coeffs="0,1")),
    ("coeffs and phi", lambda: genrank.prove(m=2, d=2, n=2, coeffs=[1], phi="tanh")),
    ("an unknown phi", lambda: genrank.prove(m=2, d=2, n=2, phi="frobnicate")),
    ("a malformed p/q string", lambda: genrank.formula(m=2, d=2, n=2, coeffs=["1/0"])),
    ("a huge decimal exponent", lambda: genrank.formula(m=2, d=2, n=2, coeffs=["1e99999"])),
    ("a composite prime", lambda: genrank.prove(m=2, d=2, n=2, coeffs=[1], prime=15)),
    ("a ragged matrix", lambda: genrank.rank([[1, 2], [3]])),
    ("an empty matrix", lambda: genrank.rank([])),
    ("a missing matrix file", lambda: genrank.rank(os.path.join(WORK, "nonexistent.mtx"))),
    ("verify of a missing file", lambda: genrank.verify(os.path.join(WORK, "nonexistent.json"))),
    ("verify of a number", lambda: genrank.verify(42)),
    ("capacity with an unknown activation", lambda: genrank.capacity([[1], [2]], activation="nope")),
    ("a missing data file", lambda: genrank.capacity(os.path.join(WORK, "none.csv"))),
]
for desc, fn in cases:
    e = raises(fn)
    ok(one_line_error(e), "%s raises genrank.Error with one line (%s)" % (desc, e))

# huge sizes: refused by the program before it allocates; the interpreter lives on
mm = os.path.join(WORK, "huge.mtx")
with open(mm, "w") as fh:
    fh.write("%%MatrixMarket matrix coordinate integer general\n1000000000 1000000000 1\n1 1 1\n")
huge = [
    ("prove n = 10^9", lambda: genrank.prove(m=3, d=4, n=10 ** 9, coeffs=[0, 1], seed=1)),
    ("prove m = 10^9", lambda: genrank.prove(m=10 ** 9, d=4, n=20, coeffs=[0, 1], seed=1)),
    ("prove d = 10^9", lambda: genrank.prove(m=3, d=10 ** 9, n=20, coeffs=[0, 1], seed=1)),
    ("prove n = 10^30", lambda: genrank.prove(m=3, d=4, n=10 ** 30, coeffs=[0, 1], seed=1)),
    ("prove phi = tanh, n = 10^9", lambda: genrank.prove(phi="tanh", m=3, d=4, n=10 ** 9, seed=1)),
    ("capacity width 10^9", lambda: genrank.capacity([[1, 2], [3, 5], [2, 7]], width=10 ** 9)),
    ("rank of a 10^9 x 10^9 file", lambda: genrank.rank(mm, exact=True)),
]
for desc, fn in huge:
    e = raises(fn)
    ok(one_line_error(e), "%s raises genrank.Error (%s)" % (desc, e))

# a program killed by a signal (what a FLINT abort would do) is an Error too
fake = os.path.join(WORK, "abort.sh")
with open(fake, "w") as fh:
    fh.write("#!/bin/sh\nkill -ABRT $$\n")
os.chmod(fake, stat.S_IRWXU)
os.environ["GENRANK_PROGRAM"] = fake
e = raises(genrank.prove, m=2, d=2, n=2, coeffs=[1])
del os.environ["GENRANK_PROGRAM"]
ok(one_line_error(e) and "SIGABRT" in str(e), "a program killed by SIGABRT raises genrank.Error (%s)" % e)

# --- pictures ---------------------------------------------------------------

sweep = os.path.join(WORK, "sweep.jsonl")
st, _, err = cli("sweep", "--family", "khatri-rao", "--m", "1..5", "--d", "1..4", "--supports", "1",
                 "--jobs", "1", "--seed", "3", "--out", sweep)
import genrank.plot as gp
rows = gp.read_sweep(sweep)
with open(sweep) as fh:
    lines = [json.loads(x) for x in fh if x.strip()]
ok(st == 0 and len(rows) == len(lines) == 5 * 4 * 3, "read_sweep reads every case of a sweep")
with open(sweep, "a") as fh:
    fh.write('{"key": "cut sh')
ok(len(gp.read_sweep(sweep)) == len(lines), "read_sweep skips a last line cut short")
grids = gp.atlas_grids(rows)
rank_of = {"holds": 0, "below-explained": 1, "below": 2}
good = len(grids) == 3
for row in lines:
    ms, ds, grid = grids[",".join(row["coeffs"])]
    good = good and grid[ds.index(row["d"])][ms.index(row["m"])] == rank_of[row["prediction"]]
ok(good, "atlas_grids puts each case's comparison with the prediction in its (m, d) cell, one grid per support")
# network(): deep linear networks without bias at random widths.  Cor. 4
# (seed 001, proved): rank J = q (r + K - q) generically, q = min(r, M_1..K),
# r = rank X, and never more at any point; the test computes r exactly.
import random
rng = random.Random(2026)
bad = []
for trial in range(3):
    widths = [rng.randint(2, 4) for _ in range(rng.randint(3, 4))]
    nin = rng.randint(2, 6)
    res = genrank.network(widths, objects=["jacobian", "hessian-outer"], n=nin,
                          seed=rng.randint(1, 10 ** 6))
    X = [[Fraction(v) for v in row] for row in res["jacobian"].certificate["point"]["inputs"]]
    r = rank_q(X)
    q = min([r] + widths[1:])
    bound = q * (r + widths[-1] - q)
    for o in res:
        if o.rank > bound or (o.status == "exact") != (o.rank == bound) or not o.verify().valid:
            bad.append((widths, nin, o))
ok(not bad and res.params == sum(a * b for a, b in zip(widths, widths[1:])),
   "network(): J and H_o of random linear networks within Cor. 4's bound recomputed from "
   "rank X, exact exactly when they meet it, certificates verify (%s)" % (bad,))
pt = {"weights": [[[1, Fraction(2, 3), -1], ["0.5", 2, 1]], [[1, -1]]],
      "inputs": [[1, 2, 3], [0, 1, Fraction(-1, 2)], [2, 0, 1]], "targets": [[1], [0], [2]]}
res = genrank.network(point=pt, objects="hessian-loss")
w = res["hessian-loss"].certificate["point"]["weights"]
ok(list(res.objects) == ["hessian-loss"] and Fraction(w[0][0][1]) == Fraction(2, 3)
   and Fraction(w[0][1][0]) == Fraction(1, 2) and res.params == 8,
   "network(point=...): exact numbers reach the certificate (2/3, 0.5)")
# a named activation: the ball route, over R; with bias H_f's K rows on b_L
# vanish (F is linear in b_L), so its rank is at most P - K
res = genrank.network([2, 3, 2], activation="tanh", bias=True, seed=rng.randint(1, 10 ** 6))
hf = res["hessian-functional"]
ok(all(o.route == "ball" and o.prime is None and o.precision >= 64 and o.verify().valid for o in res)
   and hf.rank <= res.params - 2 and res["hessian-loss"].rank <= res.params,
   "network(activation='tanh'): ball-route records (no prime, a precision) that verify, "
   "H_f within P - K (%s)" % (list(res),))
# capacity(point=(W, b)): at the weights a random run certified, the same width
pts = [[Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(3)] for _ in range(7)]
pts = [p for p in pts if any(p)]
c1 = genrank.capacity(pts, activation="tanh", seed=5)
c2 = genrank.capacity(pts, activation="tanh", point=(c1.certificate["W0"], c1.certificate["b0"]))
ok(c2.certificate["W0"] == c1.certificate["W0"] and c2.width == c1.width and c2.verify().valid,
   "capacity(point=(W, b)) at a random run's weights: the same weights and width, and it verifies")
e = raises(genrank.network, [3, 2], objects="hessian")
ok(one_line_error(e) and "unknown object" in str(e), "network() with an unknown object raises (%s)" % e)
e = raises(genrank.network, [3, 4, 2], point={"weights": [], "inputs": [[1]], "extra": 1})
ok(one_line_error(e), "network() with a bad point raises genrank.Error (%s)" % e)

if matplotlib is not None and numpy is not None:
    fig = gp.plot_atlas(sweep)
    png = os.path.join(WORK, "atlas.png")
    fig.savefig(png)
    ok(len(fig.axes) >= 3 and os.path.getsize(png) > 1000, "plot_atlas draws a panel per support")
    ax = gp.plot_singular_values(res2)
    png = os.path.join(WORK, "sv.png")
    ax.figure.savefig(png)
    ok(os.path.getsize(png) > 1000, "plot_singular_values draws a picture")
else:
    why = "matplotlib or numpy is not installed for %s" % sys.executable
    skip("plot_atlas", why)
    skip("plot_singular_values", why)
    if matplotlib is None:
        e = raises(gp.plot_atlas, sweep)
        ok(one_line_error(e) and "matplotlib" in str(e),
           "without matplotlib plot_atlas raises genrank.Error (%s)" % e)

sys.exit(1 if failures else 0)
