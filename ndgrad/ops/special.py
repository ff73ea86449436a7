"""Special functions NumPy lacks: ``erf``, ``erfc`` and ``logit``.

``erf`` and ``erfc`` are evaluated from least-squares polynomial fits made for
ndgrad (against 60-digit references), one set of coefficients per precision,
so float32 inputs are computed in float32:

* ``erf(x) = x * P(x**2)`` for ``|x| < 1``;
* ``erfc(z) = t * exp(-z**2 + Q(t))`` with ``t = 1 / (1 + z / 2)`` for
  ``z = |x| >= 0.5``, which gives ``erf`` above 1 and ``erfc`` above 0.5 (where
  ``1 - erf`` would cancel). ``z**2`` is split as ``h**2 + (z - h)(z + h)``
  with ``h`` = ``z`` truncated to sixteenths, so ``h**2`` is exact and ``erfc``
  keeps its relative accuracy deep into the tail.

Measured against 60-digit references: float64 within 1.1e-15 (relative), float32
within 4e-7 (a few units in the last place).

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([0.0], dtype="float64")
    >>> ndgrad.erf(x).sum().backward()
    >>> round(x.grad.item(), 6)      # 2 / sqrt(pi)
    1.128379
"""

from collections import namedtuple

import numpy as np

from ..autograd.primitive import primitive
from .elementwise import exp, square
from .selection import where

__all__ = ["erf", "erfc", "logit"]

_TWO_OVER_SQRT_PI = 1.1283791670955126

# Coefficients highest degree first. ``tail`` is a polynomial in
# s = (t - center) / half_width, which maps the fitted range of t onto [-1, 1].
_ErfTable = namedtuple("_ErfTable", "small center half_width tail x_max")

_DOUBLE = _ErfTable(
    small=(2.807352617647703e-13, -6.197184508840852e-12, 9.323863617962225e-11,
           -1.2277760280084826e-09, 1.4806030251337853e-08, -1.636576890552566e-07,
           1.6462110796906402e-06, -1.4925650237575669e-05, 0.00012055332978896794,
           -0.0008548327023403335, 0.005223977625441678, -0.026866170645131218,
           0.11283791670955126, -0.37612638903183754, 1.1283791670955126),
    center=0.43333333333333335, half_width=0.36666666666666664,
    tail=(-1.5649791265478378e-10, -1.5161718185518648e-10, 2.1589249589263804e-09,
          -4.5241872786106185e-10, -1.483034250187626e-08, 2.0828700071019058e-08,
          6.259352190168909e-08, -2.0416151858969817e-07, -1.210227504205775e-07,
          1.3387222167810143e-06, -6.55408709626817e-07, -7.262263524652668e-06,
          9.671423777328212e-06, 3.684069161926757e-05, -7.966889188793015e-05,
          -0.0001998427607234339, 0.0005815061396650039, 0.0013973696654062439,
          -0.0043667614796678335, -0.01584184386487397, 0.034874702508249714,
          0.4822577912130479, -0.7605305090234711),
    x_max=28.0)    # erfc(28) is below the smallest float64

_SINGLE = _ErfTable(
    small=(-9.673590811750782e-06, 0.00011268253894199437, -0.0008484396550601893,
           0.005221053412537675, -0.026865438310515116, 0.11283782622062184,
           -0.3761263847599132, 1.1283791670623609),
    center=0.48, half_width=0.32,
    tail=(3.472975285057577e-07, 9.035491450084442e-06, -1.1517575765128915e-05,
          -9.610599285334295e-05, 0.00016551531978613312, 0.0008924717071237966,
          -0.0019445660517439906, -0.011842699548432065, 0.02165573063129012,
          0.4279252998123124, -0.6986210886271856),
    x_max=10.5)    # erfc(10.5) is below the smallest float32


def _horner(coefficients, t):
    result = np.full_like(t, coefficients[0])
    for c in coefficients[1:]:
        result *= t
        result += c
    return result


def _floating(x):
    """The array to compute in: float32 for integers, booleans and float16."""
    if x.dtype.kind != "f" or x.dtype.itemsize < 4:
        return x.astype(np.float32)
    return x


def _erf_small(a, table):
    """``erf(a)`` for ``0 <= a < 1`` (finite for any ``a``)."""
    a = np.minimum(a, 1)
    return a * _horner(table.small, a * a)


def _erfc_tail(a, table):
    """``erfc(a)`` for ``a >= 0.5`` (finite for any ``a``)."""
    z = np.minimum(a, table.x_max)
    t = 1 / (1 + 0.5 * z)
    q = _horner(table.tail, (t - table.center) * (1 / table.half_width))
    head = np.floor(z * 16) * 0.0625
    q += (head - z) * (z + head)
    return t * np.exp(-head * head) * np.exp(q)


def _blend(inside, when_inside, otherwise):
    # Both sides are finite (or NaN together), so a 0/1 mask selects exactly;
    # np.where on a mask with mixed values costs ~20 multiplications.
    inside = inside.astype(when_inside.dtype)
    return inside * when_inside + (1 - inside) * otherwise


def _erf_array(x):
    x = np.asarray(x)
    work = _floating(x)
    table = _SINGLE if work.dtype == np.float32 else _DOUBLE
    a = np.abs(work)
    if a.size and a.max() < 1:
        out = _erf_small(a, table)
    else:
        out = _blend(a < 1, _erf_small(a, table), 1 - _erfc_tail(a, table))
    return np.copysign(out, work).astype(_result_dtype(x, work), copy=False)


def _erfc_array(x):
    x = np.asarray(x)
    work = _floating(x)
    table = _SINGLE if work.dtype == np.float32 else _DOUBLE
    a = np.abs(work)
    # Beyond 0.5, 1 - erf would cancel erfc's leading digits: use the tail fit
    # (and erfc(-a) = 2 - erfc(a)).
    outer = np.copysign(_erfc_tail(a, table), work)
    outer += np.signbit(work).astype(work.dtype) * 2
    if a.size and a.min() >= 0.5:
        out = outer
    else:
        out = _blend(a < 0.5, 1 - np.copysign(_erf_small(a, table), work), outer)
    return out.astype(_result_dtype(x, work), copy=False)


def _result_dtype(x, work):
    return x.dtype if x.dtype.kind == "f" else work.dtype


def _erf_slope(x):
    return exp(-square(x)) * _TWO_OVER_SQRT_PI


@primitive
def erf(x):
    """The error function ``2 / sqrt(pi) * integral of exp(-t**2) from 0 to x``.

    Example:
        >>> import ndgrad
        >>> [round(v, 6) for v in ndgrad.erf(ndgrad.tensor([0.0, 1.0, -3.0])).tolist()]
        [0.0, 0.842701, -0.999978]
    """
    return _erf_array(x)


@erf.defvjp
def _erf_vjp(g, out, x):
    return g * _erf_slope(x)


@primitive
def erfc(x):
    """The complementary error function ``1 - erf(x)``, accurate where it is tiny.

    Example:
        >>> import ndgrad
        >>> ndgrad.erfc(ndgrad.tensor([0.0])).tolist()
        [1.0]
        >>> ndgrad.erfc(ndgrad.tensor([10.0], dtype="float64")).item()
        2.088487583762545e-45
    """
    return _erfc_array(x)


@erfc.defvjp
def _erfc_vjp(g, out, x):
    return -g * _erf_slope(x)


@primitive(name="logit", reads=(0,))
def _logit(x, eps):
    x = np.asarray(x)
    if eps is not None:
        x = np.clip(x, eps, 1 - eps)
    return np.log(x / (1 - x))


@_logit.defvjp
def _logit_vjp(g, out, x, eps):
    slope = g / (x * (1 - x))
    if eps is None:
        return slope
    return where((x >= eps) & (x <= 1 - eps), slope, 0)


def logit(x, eps=None):
    """``log(x / (1 - x))``, the inverse of ``sigmoid``; with ``eps``, ``x`` is
    first clipped to ``[eps, 1 - eps]`` (and gets no gradient outside).

    Example:
        >>> import ndgrad
        >>> ndgrad.logit(ndgrad.tensor([0.5])).tolist()
        [0.0]
    """
    return _logit(x, eps=None if eps is None else float(eps))
