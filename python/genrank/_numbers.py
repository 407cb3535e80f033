"""Exact numbers for the genrank command line.

Every value handed to genrank is turned into a fractions.Fraction first and
then written as "p" or "p/q", so the program reads exactly the number the
caller meant.  Accepted: int (and numpy integers), fractions.Fraction,
decimal.Decimal, strings "p/q" or decimals such as "0.1" or "-2.5e-3",
SymPy Integers and Rationals (by duck typing: SymPy is never imported), and
floats only when floats= says how (their binary value, "exact", or the
shortest decimal that prints as the float, "decimal").
"""
import decimal
import fractions
import numbers
import re

from ._errors import Error

_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE]([+-]?[0-9]+))?")
_RATIONAL_RE = re.compile(r"[+-]?[0-9]+/[0-9]+")
# the command line refuses decimal exponents beyond this (doc/capacity.md)
_MAX_EXPONENT = 4096
FLOAT_MODES = (None, "exact", "decimal")


def _from_string(s):
    t = s.strip()
    if _RATIONAL_RE.fullmatch(t):
        num, den = t.split("/")
        if int(den) == 0:
            raise Error("'%s': zero denominator" % s)
        return fractions.Fraction(int(num), int(den))
    m = _DECIMAL_RE.fullmatch(t)
    if m is None:
        raise Error("'%.40s' is not a number (an integer, p/q or a decimal such as 0.1)" % s)
    if m.group(1) is not None and abs(int(m.group(1))) > _MAX_EXPONENT:
        raise Error("'%.40s': exponents beyond +-%d are refused" % (s, _MAX_EXPONENT))
    return fractions.Fraction(decimal.Decimal(t))


def _from_float(x, floats):
    if x != x or x in (float("inf"), float("-inf")):
        raise Error("%r is not a finite number" % x)
    if floats == "exact":
        return fractions.Fraction(x)
    if floats == "decimal":
        return _from_string(repr(x))
    raise Error("the float %r is not exact: pass integers, Fractions, Decimals or strings "
                "such as '0.1', or floats='decimal' (the shortest decimal printing as the "
                "float) or floats='exact' (its binary value)" % x)


def to_fraction(x, floats=None):
    """x as a Fraction, or Error saying why it is not an exact number."""
    if floats not in FLOAT_MODES:
        raise Error("floats must be None, 'exact' or 'decimal', not %r" % (floats,))
    if isinstance(x, bool):
        raise Error("%r is a bool, not a number" % x)
    if isinstance(x, fractions.Fraction):
        return x
    if isinstance(x, numbers.Integral):      # int, numpy integers
        return fractions.Fraction(int(x))
    if isinstance(x, decimal.Decimal):
        if not x.is_finite():
            raise Error("%s is not a finite number" % x)
        if abs(x.adjusted()) > _MAX_EXPONENT:
            raise Error("%s: exponents beyond +-%d are refused" % (x, _MAX_EXPONENT))
        return fractions.Fraction(x)
    if isinstance(x, str):
        return _from_string(x)
    if isinstance(x, bytes):
        return _from_string(x.decode("ascii", "replace"))
    # SymPy: Integer and Rational have is_Rational and p, q; Float is_Float
    if getattr(x, "is_Rational", None) is True and hasattr(x, "p") and hasattr(x, "q"):
        return fractions.Fraction(int(x.p), int(x.q))
    if getattr(x, "is_Float", None) is True:
        return _from_float(float(x), floats) if floats != "decimal" else _from_string(str(x))
    if getattr(x, "is_number", None) is True:
        raise Error("%s is not a rational number" % (x,))
    if isinstance(x, numbers.Rational):
        return fractions.Fraction(int(x.numerator), int(x.denominator))
    if isinstance(x, float) or isinstance(x, numbers.Real):   # float, numpy floats
        return _from_float(float(x), floats)
    raise Error("%r (%s) is not an exact number" % (x, type(x).__name__))


def to_text(x, floats=None):
    """x as the command line writes an exact number: "p" or "p/q"."""
    f = to_fraction(x, floats)
    return str(f.numerator) if f.denominator == 1 else "%d/%d" % (f.numerator, f.denominator)


def to_int(x, name, minimum=None):
    """An integer argument (sizes, seeds): ints and integer-valued exact numbers."""
    if isinstance(x, bool):
        raise Error("%s must be an integer, not a bool" % name)
    if isinstance(x, numbers.Integral):
        v = int(x)
    elif getattr(x, "is_Integer", None) is True:
        v = int(x)
    elif isinstance(x, str) and re.fullmatch(r"\s*[+-]?[0-9]+\s*", x):
        v = int(x)
    else:
        raise Error("%s must be an integer, not %r" % (name, x))
    if minimum is not None and v < minimum:
        raise Error("%s must be at least %d, not %d" % (name, minimum, v))
    return v


def to_rows(matrix, floats=None):
    """A matrix (list of rows, numpy array, SymPy Matrix, anything with tolist())
    as a list of rows of Fractions; Error when ragged, empty or not exact."""
    if hasattr(matrix, "tolist") and not isinstance(matrix, (list, tuple)):
        shape = getattr(matrix, "shape", None)
        rows = matrix.tolist()
        if shape is not None and len(shape) != 2:
            raise Error("a matrix must have 2 dimensions, not %d" % len(shape))
    else:
        rows = matrix
    try:
        rows = [list(r) for r in rows]
    except TypeError:
        raise Error("a matrix is a sequence of rows, each a sequence of numbers")
    if not rows or not rows[0]:
        raise Error("the matrix is empty")
    width = len(rows[0])
    for i, r in enumerate(rows):
        if len(r) != width:
            raise Error("row %d has %d entries, row 0 has %d" % (i, len(r), width))
    return [[to_fraction(v, floats) for v in r] for r in rows]
