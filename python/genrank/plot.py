"""Pictures (optional: numpy for the singular values, matplotlib to draw).

float_singular_values(cert)   the singular values a float64 SVD sees for the
                              certificate's matrix at its recorded point
plot_singular_values(result)  those values on a log scale next to the
                              certified rank and numpy's rank tolerance
read_sweep(path)              the rows of a genrank sweep file (JSON Lines)
plot_atlas(rows_or_path)      heat maps of a sweep: a panel per coefficient
                              list, a cell per (m, d), coloured by the comparison with the prediction

Nothing here is a proof: the float64 values are what floating point sees;
the certified rank comes from the certificate.
"""
import json
import math

from ._errors import Error

# phi in double precision, by the formulas of doc/certificate-format.md
# (the names a certificate records)


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x)) if x >= -700 else 0.0


def _softplus(x):
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


_PHI = {
    "exp": math.exp, "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh,
    "tanh'": lambda x: 1.0 / math.cosh(x) ** 2 if abs(x) < 700 else 0.0,
    "sigmoid": _sigmoid,
    "sigmoid'": lambda x: _sigmoid(x) * (1.0 - _sigmoid(x)),
    "silu": lambda x: x * _sigmoid(x),
    "silu'": lambda x: _sigmoid(x) + x * _sigmoid(x) * (1.0 - _sigmoid(x)),
    "sin": math.sin, "cos": math.cos, "cos'": lambda x: -math.sin(x),
    "arctan'": lambda x: 1.0 / (1.0 + x * x),
    "erf": math.erf,
    "erf'": lambda x: 2.0 / math.sqrt(math.pi) * math.exp(-x * x),
    "gelu": lambda x: 0.5 * x * math.erfc(-x / math.sqrt(2.0)),
    "gelu'": lambda x: (0.5 * math.erfc(-x / math.sqrt(2.0))
                        + x * math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)),
    "arctan": math.atan, "softplus": _softplus,
}


def _numpy():
    try:
        import numpy
    except ImportError:
        raise Error("this needs numpy, which this Python does not have")
    return numpy


def _pyplot():
    try:
        import matplotlib
        import matplotlib.pyplot as plt
    except ImportError:
        raise Error("this needs matplotlib, which this Python does not have")
    return matplotlib, plt


def _certificate(x):
    if isinstance(x, dict):
        return x
    cert = getattr(x, "certificate", None)
    if isinstance(cert, dict):
        return cert
    raise Error("expected a certificate dict or a prove() result")


def float_matrix(cert):
    """The certificate's matrix at its recorded point, in float64 (a list of
    rows), built as genrank --compare-float builds it: x = a_i.b_j / q
    (the integer dot product rounded once), phi(x) in doubles, and for
    khatri-rao the row l*m + i multiplied by B[j][l]."""
    cert = _certificate(cert)
    if cert.get("format") != "genrank-certificate":
        raise Error("float_matrix needs a rank certificate of genrank prove")
    family, m, d, n = cert["family"], cert["m"], cert["d"], cert["n"]
    A, B = cert["A"], cert["B"]
    q = float(int(cert.get("q", 1)))
    if "phi" in cert:
        if cert["phi"] not in _PHI:
            raise Error("no double-precision formula for phi = %s" % cert["phi"])
        f = _PHI[cert["phi"]]
    else:
        from fractions import Fraction
        cs = [float(Fraction(c)) for c in cert["coeffs"]]

        def f(x):
            y = 0.0
            for c in reversed(cs):
                y = y * x + c
            return y
    val = [[f(float(sum(int(a) * int(b) for a, b in zip(A[i], B[j]))) / q)
            for j in range(n)] for i in range(m)]
    if family == "hadamard":
        rows = val
    elif family == "khatri-rao":
        rows = [[float(int(B[j][l])) * val[i][j] for j in range(n)]
                for l in range(d) for i in range(m)]
    else:
        raise Error("unknown family %r" % family)
    for r in rows:
        for v in r:
            if not math.isfinite(v):
                raise Error("the matrix has entries that overflow a double")
    return rows


def float_singular_values(cert):
    """The singular values (numpy.linalg.svd, float64, descending) of the
    certificate's matrix at its point, and numpy's default rank tolerance
    smax * max(rows, cols) * eps: (values, tolerance)."""
    np = _numpy()
    a = np.array(float_matrix(cert), dtype=np.float64)
    s = np.linalg.svd(a, compute_uv=False)
    tol = (s[0] if len(s) else 0.0) * max(a.shape) * np.finfo(np.float64).eps
    return s, tol


def plot_singular_values(result, ax=None, title=None):
    """Draws the float64 singular values (log scale) with numpy's tolerance
    and the certified rank; returns the matplotlib Axes."""
    _, plt = _pyplot()
    cert = _certificate(result)
    s, tol = float_singular_values(cert)
    r = int(cert["rank"])
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    idx = list(range(1, len(s) + 1))
    pos = [max(v, 1e-300) for v in s]
    ax.semilogy(idx, pos, "o", ms=3, label="float64 singular values")
    ax.axhline(tol, color="tab:orange", ls="--",
               label="numpy's tolerance: rank %d" % int((s > tol).sum()))
    ax.axvline(r + 0.5, color="tab:green", ls="-", label="certified rank >= %d" % r)
    ax.set_xlabel("index")
    ax.set_ylabel("singular value")
    what = cert.get("phi") or "coeffs " + ",".join(cert.get("coeffs", []))
    ax.set_title(title or "%s m=%d d=%d n=%d, %s" % (cert["family"], cert["m"], cert["d"],
                                                    cert["n"], what))
    ax.legend(loc="lower left", fontsize="small")
    return ax


def read_sweep(path):
    """The result rows of a genrank sweep file (JSON Lines, doc/sweep.md);
    a line cut short at the end (a killed sweep) is skipped."""
    rows = []
    with open(path) as f:
        lines = f.read().split("\n")
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            if k == len(lines) - 1:
                continue
            raise Error("%s: line %d is not JSON" % (path, k + 1))
        if not isinstance(row, dict) or "key" not in row or "status" not in row:
            raise Error("%s: line %d is not a sweep result" % (path, k + 1))
        rows.append(row)
    return rows


_STATUS = {"holds": 0, "below-explained": 1, "below": 2}


def _prediction(row):
    """A row's comparison with the prediction: "prediction" (JSON schema 1,
    doc/json.md), or "status" in rows written before it."""
    return row["prediction"] if "prediction" in row else row["status"]


def atlas_grids(rows, family=None):
    """The sweep's rows as grids: {coeffs: (ms, ds, grid)} with grid[di][mi]
    the worst comparison code over the cell's cases (0 holds, 1 below and
    explained by Alexander-Hirschowitz, 2 below unexplained, None no case)."""
    grids = {}
    for r in rows:
        if family is not None and r.get("family") != family:
            continue
        grids.setdefault(",".join(r.get("coeffs") or [str(r.get("phi", "?"))]), []).append(r)
    out = {}
    for key, rs in grids.items():
        ms = sorted({r["m"] for r in rs})
        ds = sorted({r["d"] for r in rs})
        grid = [[None] * len(ms) for _ in ds]
        for r in rs:
            i, j = ds.index(r["d"]), ms.index(r["m"])
            code = _STATUS.get(_prediction(r), 2)
            grid[i][j] = code if grid[i][j] is None else max(grid[i][j], code)
        out[key] = (ms, ds, grid)
    return out


def plot_atlas(rows, family=None, max_panels=None, cols=4):
    """Heat maps of a sweep (rows from read_sweep, or a path): a panel per
    coefficient list, a cell per (m, d), coloured by the comparison with the
    prediction (the worst of the cell's cases): green "holds", amber "below-explained"
    (the Alexander-Hirschowitz value), red "below".  Returns the Figure."""
    matplotlib, plt = _pyplot()
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch
    if not isinstance(rows, list):
        rows = read_sweep(rows)
    grids = atlas_grids(rows, family)
    if not grids:
        raise Error("no sweep rows%s" % (" of family %s" % family if family else ""))
    keys = sorted(grids, key=lambda k: (len(k), k))
    if max_panels is not None:
        keys = keys[:max_panels]
    ncols = min(cols, len(keys))
    nrows = (len(keys) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.4 * nrows), squeeze=False)
    cmap = ListedColormap(["#4caf50", "#ffb300", "#e53935"])
    for ax, key in zip([a for row in axes for a in row], keys):
        ms, ds, grid = grids[key]
        data = [[float("nan") if v is None else v for v in row] for row in grid]
        ax.imshow(data, cmap=cmap, vmin=0, vmax=2, origin="lower", aspect="auto",
                  interpolation="nearest",
                  extent=(ms[0] - 0.5, ms[-1] + 0.5, ds[0] - 0.5, ds[-1] + 0.5))
        ax.set_title("coeffs " + key, fontsize="small")
        ax.set_xlabel("m")
        ax.set_ylabel("d")
    for ax in [a for row in axes for a in row][len(keys):]:
        ax.axis("off")
    fig.legend(handles=[Patch(color="#4caf50", label="holds"),
                        Patch(color="#ffb300", label="below-explained (Alexander-Hirschowitz)"),
                        Patch(color="#e53935", label="below")],
               loc="lower center", ncol=3, fontsize="small")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig
