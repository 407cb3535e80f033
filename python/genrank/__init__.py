"""genrank from Python: certified ranks as objects.

Each function runs the genrank program (its --json output and the
certificate it writes) in a child process, so that no failure inside FLINT
or the program can take the interpreter down: errors become genrank.Error
with the program's one-line message.  doc/python.md describes the API.

    >>> import genrank
    >>> r = genrank.prove(family="khatri-rao", m=3, d=4, n=20, coeffs=[0, 1], seed=2)
    >>> r.rank, r.predicted, r.status
    (9, 10, 'exact')
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile

from ._errors import Error
from ._numbers import to_fraction, to_text, to_int, to_rows

__all__ = ["Error", "program", "formula", "prove", "verify", "capacity", "rank", "network",
           "Formula", "ProveResult", "RankResult", "CapacityResult", "Verdict",
           "NetworkResult", "NetworkObject",
           "to_fraction"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _executable(path):
    return bool(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def program():
    """The genrank program the package runs: $GENRANK_PROGRAM if set; else,
    for the package in a build tree, that tree's src/genrank; for an
    installed package, the installed program; else genrank on PATH."""
    env = os.environ.get("GENRANK_PROGRAM")
    if env:
        if not _executable(env):
            raise Error("GENRANK_PROGRAM=%s is not an executable file" % env)
        return env
    here = os.path.realpath(_PACKAGE_DIR)
    try:
        from . import _config
    except ImportError:
        _config = None
    if _config is not None:
        built = [os.path.realpath(p) for p in _config.BUILD_PACKAGE_DIRS]
        if here in built and _executable(_config.BUILD_PROGRAM):
            return _config.BUILD_PROGRAM
        if here not in built and _executable(_config.INSTALLED_PROGRAM):
            return _config.INSTALLED_PROGRAM
    # a source tree built in place without the generated _config.py
    beside = os.path.join(os.path.dirname(os.path.dirname(here)), "src", "genrank")
    if _executable(beside):
        return beside
    found = shutil.which("genrank")
    if found:
        return found
    raise Error("the genrank program was not found (build it, install it, or set "
                "GENRANK_PROGRAM to its path)")


def _message(stderr, status, command):
    lines = [ln for ln in stderr.splitlines() if ln.startswith("genrank: ")]
    if not lines:
        lines = [ln for ln in stderr.splitlines() if ln.strip()]
    if not lines:
        return "genrank %s failed with exit status %d" % (command, status)
    line = lines[-1] if status != 2 else lines[0]
    return line[len("genrank: "):] if line.startswith("genrank: ") else line


def _run(command, args, ok=(0,), timeout=None):
    """Runs `genrank COMMAND ARGS...`; returns (status, stdout, stderr).
    Any status outside ok, a signal or a time-out raises Error."""
    argv = [program(), command] + [str(a) for a in args]
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Error("%s: no answer within %s s (timeout=)" % (command, timeout))
    except OSError as e:
        raise Error("cannot run %s: %s" % (argv[0], e))
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode < 0:
        try:
            name = signal.Signals(-proc.returncode).name
        except ValueError:
            name = "signal %d" % -proc.returncode
        raise Error("%s: the genrank program was killed by %s" % (command, name),
                    proc.returncode)
    if proc.returncode not in ok:
        raise Error(_message(err, proc.returncode, command), proc.returncode)
    return proc.returncode, out, err


def _json(out, command):
    try:
        return json.loads(out)
    except ValueError:
        raise Error("%s: the program's --json output is not JSON" % command)


def _int(v):
    """A JSON integer, or a huge one written as a string."""
    if v is None or isinstance(v, int):
        return v
    return int(v)


def _load(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def _write_json(obj, path):
    """Writes obj to path atomically (a temporary file renamed)."""
    path = os.fspath(path)
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".genrank-", suffix=".tmp", dir=d)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(obj, f, indent=1)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _opt(args, flag, value, conv=str):
    if value is not None:
        args += [flag, conv(value)]


def _coeff_list(coeffs):
    if isinstance(coeffs, (str, bytes)) or not hasattr(coeffs, "__iter__"):
        raise Error("coeffs must be a sequence such as [0, 1, '1/2'], not %r" % (coeffs,))
    items = list(coeffs.tolist() if hasattr(coeffs, "tolist") else coeffs)
    if not items:
        raise Error("coeffs must not be empty")
    return ",".join(to_text(c) for c in items)


def _spec_args(family, m, d, n, coeffs, phi):
    if coeffs is not None and phi is not None:
        raise Error("give coeffs or phi, not both")
    args = []
    _opt(args, "--family", family)
    for name, v in (("m", m), ("d", d), ("n", n)):
        if v is not None:
            args += ["--" + name, str(to_int(v, name, 1))]
    if coeffs is not None:
        args += ["--coeffs", _coeff_list(coeffs)]
    if phi is not None:
        args += ["--phi", str(phi)]
    return args


class Formula(object):
    """The published prediction: .predicted, .theorem, .corrected (the exact
    value where a theorem gives one, else None) and .corrected_source."""

    def __init__(self, summary):
        self.summary = summary
        self.family = summary.get("family")
        self.predicted = _int(summary.get("predicted"))
        self.theorem = summary.get("theorem")
        self.binomial_sum = _int(summary.get("binomial_sum"))
        self.corrected = _int(summary.get("corrected"))
        self.corrected_source = summary.get("corrected_source")

    def __repr__(self):
        s = "Formula(%s: predicted %s by %s" % (self.family, self.predicted, self.theorem)
        if self.corrected is not None:
            s += ", corrected %s" % self.corrected
        return s + ")"


def formula(family="khatri-rao", m=None, d=None, n=None, coeffs=None, phi=None, timeout=None):
    """The paper's predicted generic rank (genrank formula)."""
    if coeffs is None and phi is None:
        raise Error("formula needs coeffs or phi")
    args = _spec_args(family, m, d, n, coeffs, phi) + ["--json"]
    _, out, _ = _run("formula", args, timeout=timeout)
    return Formula(_json(out, "formula"))


class _Certified(object):
    """What every result with a certificate has."""

    certificate = None

    def save(self, path):
        """Writes the certificate (JSON) to path; genrank verify checks it."""
        if self.certificate is None:
            raise Error("there is no certificate to save: %s" % getattr(self, "reason", ""))
        _write_json(self.certificate, path)
        return os.fspath(path)

    def verify(self, **kw):
        """Checks the certificate with genrank verify; a Verdict."""
        if self.certificate is None:
            raise Error("there is no certificate to verify: %s" % getattr(self, "reason", ""))
        return verify(self.certificate, **kw)


class ProveResult(_Certified):
    """A certified rank (genrank prove).

    .rank       the certified lower bound on the generic rank
    .predicted  the published value; .theorem its source
    .corrected  the exact value where a theorem gives one (else None)
    .status     "exact" when a proved upper bound meets .rank (.exact_by names
                it), else "lower bound" (.probability_bound, if any, is
                evidence, not proof)
    .certificate the certificate (dict); .summary the program's JSON summary
    """

    def __init__(self, summary, certificate):
        self.summary = summary
        self.certificate = certificate
        self.family = summary.get("family")
        self.m, self.d, self.n = summary.get("m"), summary.get("d"), summary.get("n")
        self.rank = _int(summary["rank"])
        self.predicted = _int(summary.get("predicted"))
        self.theorem = summary.get("theorem")
        self.corrected = _int(summary.get("corrected"))
        corr = certificate.get("corrected") if isinstance(certificate, dict) else None
        self.corrected_source = corr.get("source") if isinstance(corr, dict) else None
        self.phi = summary.get("phi")
        self.coeffs = certificate.get("coeffs")
        self.route = summary.get("route")
        self.trials = summary.get("trials")
        self.probability_bound = summary.get("probability_bound")
        self.kruskal = summary.get("kruskal")
        self.float_rank = summary.get("float_rank")
        self.float_smax = summary.get("float_smax")
        self.float_smin = summary.get("float_smin")
        self.seconds = summary.get("seconds")
        self.upper_bound = _int(summary.get("upper_bound"))
        ub = certificate.get("upper_bound") if isinstance(certificate, dict) else None
        self.point = summary.get("point", "random")
        if self.corrected is not None and self.corrected == self.rank:
            self.status, self.exact_by = "exact", self.corrected_source
        elif self.upper_bound is not None and self.upper_bound == self.rank:
            self.status = "exact"
            self.exact_by = ub.get("source") if isinstance(ub, dict) else "a proved upper bound"
        elif self.predicted is not None and self.predicted == self.rank:
            self.status = "exact"
            if self.phi:
                self.exact_by = ("the prediction min(rows, n) is an upper bound on any "
                                 "rank of the matrix (doc/theory.md, section 8)")
            else:
                self.exact_by = ("the prediction is an upper bound on the generic rank "
                                 "(doc/theory.md, section 3)")
        else:
            self.status, self.exact_by = "lower bound", None

    def __repr__(self):
        return ("ProveResult(%s m=%s d=%s n=%s: rank %s %s, predicted %s, %s)"
                % (self.family, self.m, self.d, self.n,
                   "=" if self.status == "exact" else ">=", self.rank, self.predicted,
                   self.status))


def prove(family="khatri-rao", m=None, d=None, n=None, coeffs=None, phi=None, seed=None,
          prime=None, prime_bits=None, range=None, trials=None, method=None, threads=None,
          route=None, denominator=None, max_precision=None, compare_float=False,
          kruskal=False, point=None, timeout=None):
    """Certifies a generic rank (genrank prove); a ProveResult.  Unset options
    take genrank prove's defaults (with no seed, a fresh one, recorded in the
    certificate).  point=(A, B), two matrices of exact numbers (m x d and
    n x d), certifies the matrix at that point instead of random ones
    (genrank prove --point); m, d and n then come from it."""
    args = _spec_args(family, m, d, n, coeffs, phi)
    _opt(args, "--seed", seed, lambda v: str(to_int(v, "seed", 0)))
    _opt(args, "--prime", prime, lambda v: str(to_int(v, "prime", 2)))
    _opt(args, "--prime-bits", prime_bits, lambda v: str(to_int(v, "prime_bits", 1)))
    _opt(args, "--range", range, lambda v: str(to_int(v, "range", 1)))
    _opt(args, "--trials", trials, lambda v: str(to_int(v, "trials", 1)))
    _opt(args, "--method", method)
    _opt(args, "--threads", threads, lambda v: str(to_int(v, "threads", 1)))
    _opt(args, "--route", route)
    _opt(args, "--denominator", denominator, lambda v: str(to_int(v, "denominator", 1)))
    _opt(args, "--max-precision", max_precision, lambda v: str(to_int(v, "max_precision", 1)))
    if compare_float:
        args.append("--compare-float")
    if kruskal:
        args.append("--kruskal")
    with tempfile.TemporaryDirectory(prefix="genrank-") as tmp:
        out_path = os.path.join(tmp, "certificate.json")
        if point is not None:
            try:
                A, B = point
            except (TypeError, ValueError):
                raise Error("point must be a pair (A, B) of matrices")
            text = lambda v: v.numerator if v.denominator == 1 else "%d/%d" % (v.numerator, v.denominator)
            point_path = os.path.join(tmp, "point.json")
            with open(point_path, "w") as f:
                json.dump({"A": [[text(v) for v in r] for r in to_rows(A)],
                           "B": [[text(v) for v in r] for r in to_rows(B)]}, f)
            args += ["--point", point_path]
        _, out, _ = _run("prove", args + ["--out", out_path, "--json"], ok=(0, 3),
                         timeout=timeout)
        summary = _json(out, "prove")
        cert = _load(out_path)
    summary.pop("certificate", None)
    return ProveResult(summary, cert)


class Verdict(object):
    """What genrank verify says of a certificate: .valid (bool), .reason (the
    failed check, or what was proved), .kind ("rank", "matrix", "capacity", "network"),
    .status ("exact" or "lower bound" for ranks), .info (the JSON verdict);
    for ranks .check ("full": a proof, or "fast": verify --fast) and
    .error_bits (the fast check's B)."""

    def __init__(self, info):
        self.info = info
        self.valid = bool(info.get("valid"))
        self.kind = info.get("kind", "rank")
        self.rank = _int(info.get("rank"))
        self.status = None
        if not self.valid:
            self.reason = info.get("error", "invalid")
        elif self.kind == "capacity":
            self.status = "certified"
            self.reason = ("a %s network of width %d fits every label vector on the %d points "
                           "(Theorem 5.2); no width below %d does (%s)"
                           % (info.get("activation"), info.get("sufficient_width"),
                              info.get("n"), info.get("necessary_width"),
                              info.get("necessary_width_source")))
        elif self.kind == "network":
            self.status = info.get("status")
            self.reason = ("the %s of the network at the recorded point has rank %s %d over Q"
                           % (info.get("object"), "=" if self.status == "exact" else ">=",
                              self.rank))
        elif self.kind == "matrix":
            self.status = info.get("status")
            self.reason = ("the %d x %d matrix has rank %s %d"
                           % (info.get("rows"), info.get("cols"),
                              "=" if self.status == "exact" else ">=", self.rank))
        else:
            pred, corr = _int(info.get("predicted")), _int(info.get("corrected"))
            exact = self.rank is not None and (self.rank == pred or self.rank == corr)
            self.status = info.get("status", "exact" if exact else "lower bound")
            exact = self.status == "exact"
            self.reason = ("the %s matrix has generic rank %s %d (predicted %s)"
                           % (info.get("family"), "=" if exact else ">=", self.rank, pred))
            self.check = info.get("check")
            self.error_bits = info.get("error_bits")
            if self.check == "fast":
                self.reason += ("; by the fast check: probabilistic, error <= 2^-%s per SHA-256 "
                                "evaluation" % self.error_bits)

    def __bool__(self):
        return self.valid

    __nonzero__ = __bool__

    def __repr__(self):
        return "Verdict(%s: %s)" % ("valid" if self.valid else "invalid", self.reason)


def verify(certificate, data_dir=None, max_seconds=None, max_memory=None, max_precision=None,
           timeout=None, fast=False):
    """Checks a certificate (a path, or a dict as loaded from one) with
    genrank verify; a Verdict.  An invalid certificate gives .valid False
    with the reason; an unreadable file or an exceeded limit raises Error.
    A dict's capacity data file (--data-ref) is looked up in data_dir
    (default: the current directory).  fast=True: verify --fast, the rank
    certificate's fast section instead of the determinant (probabilistic:
    .check is "fast" and .error_bits B, the error bound being 2^-B per
    SHA-256 evaluation; doc/theory.md section 2.1)."""
    args = ["--fast"] if fast else []
    _opt(args, "--max-seconds", max_seconds, lambda v: str(to_int(v, "max_seconds", 1)))
    _opt(args, "--max-memory", max_memory)
    _opt(args, "--max-precision", max_precision, lambda v: str(to_int(v, "max_precision", 1)))
    if isinstance(certificate, dict):
        with tempfile.TemporaryDirectory(prefix="genrank-") as tmp:
            path = os.path.join(tmp, "certificate.json")
            _write_json(certificate, path)
            args += ["--data-dir", os.path.abspath(data_dir or os.getcwd())]
            _, out, _ = _run("verify", [path] + args + ["--json"], ok=(0, 1), timeout=timeout)
    else:
        try:
            path = os.fspath(certificate)
        except TypeError:
            raise Error("verify takes a path or a certificate dict, not %r"
                        % type(certificate).__name__)
        if data_dir is not None:
            args += ["--data-dir", os.fspath(data_dir)]
        _, out, _ = _run("verify", [path] + args + ["--json"], ok=(0, 1), timeout=timeout)
    return Verdict(_json(out, "verify"))


class RankResult(_Certified):
    """The rank of a given matrix (genrank rank): .rank, .status ("exact" with
    exact=True: a kernel basis, or full rank, proves the upper bound, named
    by .upper_bound; "exact with probability >= 1 - 2^-B" for the
    probabilistic bound, .error_bits B; else "lower bound"),
    .rows, .cols, .certificate.  .predicted is None (nothing predicts it)."""

    predicted = None

    def __init__(self, summary, certificate):
        self.summary = summary
        self.certificate = certificate
        self.rows, self.cols = summary.get("rows"), summary.get("cols")
        self.rank = _int(summary["rank"])
        self.status = summary.get("status")
        self.upper_bound = summary.get("upper_bound_kind", summary.get("upper_bound"))
        self.error_bits = summary.get("error_bits")
        self.seconds = summary.get("seconds")

    def __repr__(self):
        return "RankResult(%d x %d: rank %s %d, %s)" % (
            self.rows, self.cols, "=" if self.status.startswith("exact") else ">=", self.rank,
            self.status)


def _is_path(x):
    return isinstance(x, (str, bytes)) or hasattr(x, "__fspath__")


def rank(matrix, exact=True, seed=None, format=None, max_kernel_size=None, floats=None,
         upper_bound=None, timeout=None):
    """The certified rank over Q of a matrix (genrank rank): a path to a
    Matrix Market, SMS or JSON file, or a list of rows, numpy array or SymPy
    Matrix of exact numbers (see genrank.to_fraction; floats only with
    floats="exact" or "decimal").  exact=True also proves the upper bound:
    upper_bound="auto" (default: a kernel basis when its estimated size fits,
    else the probabilistic bound), "kernel" or "probabilistic"; the status
    is then "exact" or "exact with probability >= 1 - 2^-B"."""
    with tempfile.TemporaryDirectory(prefix="genrank-") as tmp:
        if _is_path(matrix):
            path = os.path.abspath(os.fsdecode(matrix))
        else:
            rows = to_rows(matrix, floats)
            path = os.path.join(tmp, "matrix.json")
            with open(path, "w") as f:
                json.dump([[v.numerator if v.denominator == 1
                            else "%d/%d" % (v.numerator, v.denominator) for v in r]
                           for r in rows], f)
        args = [path, "--out", os.path.join(tmp, "certificate.json"), "--json"]
        if exact:
            args.append("--exact")
        _opt(args, "--seed", seed, lambda v: str(to_int(v, "seed", 0)))
        _opt(args, "--format", format)
        _opt(args, "--max-kernel-size", max_kernel_size)
        _opt(args, "--upper-bound", upper_bound)
        _, out, _ = _run("rank", args, timeout=timeout)
        summary = _json(out, "rank")
        cert = _load(os.path.join(tmp, "certificate.json"))
    summary.pop("certificate", None)
    return RankResult(summary, cert)


class CapacityResult(_Certified):
    """Memorization capacity of a data set (genrank capacity).

    .certified          True when a width was certified
    .width              the certified m0: the W-Jacobian has rank n there
    .sufficient_width   2 m0 (Theorem 5.2: fits every label vector)
    .necessary_width    the larger of Theorem 5.4's bounds (with d, and with
                        d replaced by rank X); .necessary_widths has both
    .rank               n when certified; .status "certified" or "not certified"
    .reason             why not, when not certified (duplicate or zero points, ...)
    """

    predicted = None

    def __init__(self, summary, certificate):
        self.summary = summary
        self.certificate = certificate
        self.certified = bool(summary.get("certified"))
        self.status = "certified" if self.certified else "not certified"
        self.n, self.d = summary.get("n"), summary.get("d")
        self.activation = summary.get("activation")
        self.width = summary.get("width")
        self.sufficient_width = summary.get("sufficient_width")
        nec = summary.get("necessary_width")
        self.necessary_widths = summary.get("necessary_widths")
        if isinstance(nec, dict):   # before JSON schema 1 it was this object
            self.necessary_widths = nec
            vals = [v for v in nec.values() if isinstance(v, int)]
            nec = max(vals) if vals else None
        self.necessary_width = nec
        self.rank = self.n if self.certified else None
        self.ratio = summary.get("ratio")
        self.route_lower_bound = summary.get("route_lower_bound")
        self.reason = summary.get("reason")

    def __repr__(self):
        if not self.certified:
            return "CapacityResult(not certified: %s)" % self.reason
        return ("CapacityResult(%s, n=%s d=%s: width %s sufficient, %s necessary)"
                % (self.activation, self.n, self.d, self.sufficient_width,
                   self.necessary_width))


def capacity(data, activation="tanh", coeffs=None, width=None, search=None, max_width=None,
             dedup=False, label_column=None, header=None, seed=None, trials=None,
             method=None, route=None, max_precision=None, threads=None, floats=None,
             point=None, timeout=None):
    """How wide a two-layer network must be to fit every label vector on the
    data (genrank capacity); a CapacityResult.  data is a path to a data file
    or an array of points (rows) of exact numbers.  point=(W, b), an m0 x d
    matrix and m0 numbers (exact), certifies at those first-layer weights
    (genrank capacity --point; the width is then m0)."""
    with tempfile.TemporaryDirectory(prefix="genrank-") as tmp:
        if _is_path(data):
            path = os.path.abspath(os.fsdecode(data))
        else:
            rows = to_rows(data, floats)
            path = os.path.join(tmp, "data.csv")
            with open(path, "w") as f:
                for r in rows:
                    f.write(",".join(to_text(v) for v in r) + "\n")
            if header is None:
                header = "no"
        args = ["--data", path, "--activation", str(activation)]
        if coeffs is not None:
            args += ["--coeffs", _coeff_list(coeffs)]
        _opt(args, "--width", width, lambda v: str(to_int(v, "width", 1)))
        if search:
            args.append("--search")
        _opt(args, "--max-width", max_width, lambda v: str(to_int(v, "max_width", 1)))
        if dedup:
            args.append("--dedup")
        _opt(args, "--label-column", label_column)
        _opt(args, "--header", header)
        _opt(args, "--seed", seed, lambda v: str(to_int(v, "seed", 0)))
        _opt(args, "--trials", trials, lambda v: str(to_int(v, "trials", 1)))
        _opt(args, "--method", method)
        _opt(args, "--route", route)
        _opt(args, "--max-precision", max_precision, lambda v: str(to_int(v, "max_precision", 1)))
        _opt(args, "--threads", threads, lambda v: str(to_int(v, "threads", 1)))
        if point is not None:
            try:
                W, b = point
                b = [to_text(v, floats) for v in b]
            except (TypeError, ValueError):
                raise Error("point must be a pair (W, b): an m0 x d matrix and m0 numbers")
            point_path = os.path.join(tmp, "weights.json")
            with open(point_path, "w") as f:
                json.dump({"W": [[to_text(v, floats) for v in r] for r in to_rows(W, floats)],
                           "b": b}, f)
            args += ["--point", point_path]
        cert_path = os.path.join(tmp, "certificate.json")
        args += ["--out", cert_path, "--json", "--quiet"]
        status, out, err = _run("capacity", args, ok=(0, 1), timeout=timeout)
        if status == 1:
            try:
                summary = json.loads(out)
            except ValueError:
                summary = None
            if not isinstance(summary, dict) or "certified" not in summary:
                raise Error(_message(err, status, "capacity"), status)
            res = CapacityResult(summary, None)
            if err.strip():
                res.reason = _message(err, status, "capacity")
            return res
        summary = _json(out, "capacity")
        cert = _load(cert_path)
    summary.pop("certificate", None)
    return CapacityResult(summary, cert)


class NetworkObject(_Certified):
    """One certified object of genrank network: .object (its name), .rank
    (rank over Q at the point >= .rank), .predicted (seed 001's value, or
    None where it has no formula), .theorem (its source),
    .prediction_status ("proved", "upper bound", "empirical" or "none"),
    .status ("exact" when .rank meets a bound proved for every point, named
    by .exact_by; else "lower bound"), .bound and .bound_source, .params,
    .shape, .route ("exact": a minor modulo .prime, over Q; "ball": a named
    activation, over R in ball arithmetic at .precision bits, .prime None),
    .prime, .precision, .seconds, .certificate."""

    def __init__(self, name, record, certificate):
        self.object = name
        self.summary = record
        self.certificate = certificate
        self.rank = _int(record["rank"])
        self.predicted = _int(record.get("predicted"))
        self.theorem = record.get("theorem")
        self.prediction_status = record.get("prediction_status")
        self.status = record.get("status")
        self.exact_by = record.get("exact_by")
        self.bound = _int(record.get("bound"))
        self.bound_source = record.get("bound_source")
        self.params = _int(record.get("params"))
        self.shape = tuple(record.get("shape") or ())
        self.prime = _int(record.get("prime"))
        self.route = record.get("route")
        self.precision = _int(record.get("precision"))
        self.seconds = record.get("seconds")

    def __repr__(self):
        return ("NetworkObject(%s: rank %s %d, predicted %s (%s, %s))"
                % (self.object, "=" if self.status == "exact" else ">=", self.rank,
                   self.predicted, self.theorem, self.prediction_status))


class NetworkResult(object):
    """What genrank network certified: .objects, a dict from object name
    ("jacobian", "hessian-outer", "hessian-functional", "hessian-loss") to a
    NetworkObject, in the command's order; res[name] is res.objects[name].
    .params is P; .below is True when a rank fell below a proved or
    empirical prediction (the command's exit status 3)."""

    def __init__(self, objects, params, below):
        self.objects = objects
        self.params = params
        self.below = below

    def __getitem__(self, name):
        return self.objects[name]

    def __iter__(self):
        return iter(self.objects.values())

    def __repr__(self):
        return "NetworkResult(P = %s: %s)" % (self.params, ", ".join(
            "%s %d" % (o.object, o.rank) for o in self))


_NETWORK_OBJECTS = ("jacobian", "hessian-outer", "hessian-functional", "hessian-loss")


def _point_json(point):
    """A network point dict with exact numbers as the command reads them."""
    if not isinstance(point, dict):
        raise Error("point must be a dict with \"weights\", \"inputs\", \"targets\" "
                    "and optionally \"biases\"")
    out = {}
    for key in ("weights", "biases"):
        if key in point:
            out[key] = [[[to_text(v) for v in row] for row in to_rows(W)] for W in point[key]] \
                if key == "weights" else [[to_text(v) for v in b] for b in point[key]]
    for key in ("inputs", "targets"):
        if key in point:
            out[key] = [[to_text(v) for v in row] for row in to_rows(point[key])]
    unknown = set(point) - {"weights", "biases", "inputs", "targets"}
    if unknown:
        raise Error("point has unknown keys: %s" % ", ".join(sorted(unknown)))
    return out


def network(widths=None, objects="all", bias=False, activation=None, coeffs=None, n=None,
            seed=None, input_rank=None, point=None, data=None, label_column=None, header=None,
            max_precision=None, timeout=None):
    """Certified ranks of a fully connected network's Jacobian and loss
    Hessians (genrank network; doc/networks.md); a NetworkResult.
    widths: [d, M_1, ..., K] (may be left out with point); objects: "all",
    a name or a list of names; point: a dict {"weights": L matrices,
    "biases": L vectors (optional), "inputs": n rows, "targets": n rows} of
    exact numbers; data: a data file's path (one-hot targets from
    label_column); max_precision: the ball route's limit in bits (a named
    activation such as "tanh")."""
    args = []
    if widths is not None:
        args += ["--widths", ",".join(str(to_int(w, "widths", 1)) for w in widths)]
    names = list(_NETWORK_OBJECTS) if objects == "all" else \
        [objects] if isinstance(objects, str) else list(objects)
    for name in names:
        if name not in _NETWORK_OBJECTS:
            raise Error("unknown object %r (one of %s)" % (name, ", ".join(_NETWORK_OBJECTS)))
    args += ["--object", ",".join(names)]
    if bias:
        args.append("--bias")
    _opt(args, "--activation", activation)
    if coeffs is not None:
        args += ["--coeffs", _coeff_list(coeffs)]
    _opt(args, "--n", n, lambda v: str(to_int(v, "n", 1)))
    _opt(args, "--seed", seed, lambda v: str(to_int(v, "seed", 0)))
    _opt(args, "--input-rank", input_rank, lambda v: str(to_int(v, "input_rank", 0)))
    _opt(args, "--max-precision", max_precision, lambda v: str(to_int(v, "max_precision", 64)))
    with tempfile.TemporaryDirectory(prefix="genrank-") as tmp:
        if point is not None:
            point_path = os.path.join(tmp, "point.json")
            with open(point_path, "w") as f:
                json.dump(_point_json(point), f)
            args += ["--point", point_path]
        if data is not None:
            args += ["--data", os.path.abspath(os.fsdecode(data))]
        _opt(args, "--label-column", label_column)
        _opt(args, "--header", header)
        out_path = os.path.join(tmp, "network.json")
        status, out, _ = _run("network", args + ["--out", out_path, "--json", "--quiet"],
                              ok=(0, 3), timeout=timeout)
        summary = _json(out, "network")
        if "objects" in summary:
            records = summary["objects"]
            paths = {k: os.path.join(tmp, "network-%s.json" % k) for k in records}
        else:
            records = {summary["object"]: summary}
            paths = {summary["object"]: out_path}
        objs = {}
        for name in names:
            if name in records:
                objs[name] = NetworkObject(name, records[name], _load(paths[name]))
    params = _int(summary.get("params"))
    return NetworkResult(objs, params, status == 3)
