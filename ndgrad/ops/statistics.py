"""Statistics and signal helpers in NumPy's vocabulary: ``average``, ``cov``,
``corrcoef``, ``convolve``, ``correlate``, ``polyval``, ``interp``,
``nan_to_num`` and ``heaviside``.

Most are compositions of differentiable ops, so every tensor argument gets
its gradient (the weights of ``average``, the ``aweights`` of ``cov``, the
sample points of ``interp``). ``convolve`` and ``correlate`` share one
primitive, the full 1-D convolution, and slice it as NumPy's modes do.
Results keep the inputs' float dtype (NumPy's ``cov`` and ``interp`` return
float64; these return float32 for float32 inputs).

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0, 3.0])
    >>> ndgrad.average(ndgrad.tensor([2.0, 4.0]), weights=w).backward()
    >>> w.grad.tolist()
    [-0.375, 0.125]
"""

import warnings

import numpy as np

from ..autograd.primitive import data_of, nondifferentiable, primitive
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import as_tensor
from .creation import zeros_like
from .elementwise import sqrt
from .index import take
from .join import concatenate, stack
from .complex_numbers import conj_of
from .linalg import matmul
from .reduce import mean, sum as _sum
from .selection import clip, where
from .shape import broadcast_to, flip, reshape, transpose

__all__ = ["average", "cov", "corrcoef", "nan_to_num", "heaviside", "convolve", "correlate",
           "polyval", "interp"]


@implements(np.average)
def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """The mean of ``a`` along ``axis``, weighted by ``weights`` when given.

    ``weights`` has the shape of ``a``, or is 1-D with the length of ``a`` along
    an int ``axis``. With ``returned=True`` also returns the sum of the weights.

    Example:
        >>> import ndgrad
        >>> ndgrad.average(ndgrad.tensor([[1.0, 2.0], [3.0, 6.0]]), axis=1,
        ...                weights=[1.0, 3.0]).tolist()
        [1.75, 5.25]
    """
    a = as_tensor(a)
    if weights is None:
        result = mean(a, axis=axis, keepdims=keepdims)
        total = np.full(result.shape, a.size // max(result.size, 1), dtype=result.dtype)
        return (result, as_tensor(total)) if returned else result
    weights = as_tensor(weights)
    if weights.shape != a.shape:
        if axis is None:
            raise TypeError("average: give axis when a and weights differ in shape")
        if weights.ndim != 1 or weights.shape[0] != a.shape[axis]:
            raise shape_error("average", [a, weights],
                              f"weights must be 1-D with the length of a along axis {axis}")
        axis = axis % a.ndim
        weights = reshape(weights, [n if i == axis else 1 for i, n in enumerate(a.shape)])
        weights = broadcast_to(weights, a.shape)
    total = _sum(weights, axis=axis, keepdims=keepdims)
    if (data_of(total) == 0).any():
        raise ZeroDivisionError("average: the weights sum to zero, so they cannot be normalized")
    result = _sum(a * weights, axis=axis, keepdims=keepdims) / total
    return (result, total) if returned else result


def _as_rows(value, rowvar):
    """``value`` as a 2-D tensor with one variable per row."""
    value = as_tensor(value)
    if value.ndim > 2:
        raise shape_error("cov", [value], "expected at most 2 dimensions")
    if value.ndim < 2:
        value = reshape(value, (1, -1))
    if not rowvar and value.shape[0] != 1:
        value = transpose(value)
    return value


@implements(np.cov)
def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *,
        dtype=None):
    """The covariance matrix of the variables in the rows of ``m`` (and ``y``).

    ``rowvar=False`` takes variables from the columns. The normalization is
    ``N - 1`` (``N`` with ``bias=True``, ``N - ddof`` with ``ddof``);
    ``fweights`` are integer repeat counts and ``aweights`` weights of importance.

    Example:
        >>> import ndgrad
        >>> ndgrad.cov(ndgrad.tensor([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])).tolist()
        [[1.0, -1.0], [-1.0, 1.0]]
    """
    rows = _as_rows(m, rowvar)
    if y is not None:
        rows = concatenate([rows, _as_rows(y, rowvar)], axis=0)
    if dtype is not None:
        rows = rows.astype(dtype)
    if ddof is None:
        ddof = 0 if bias else 1
    count = rows.shape[1]
    weights = None
    if fweights is not None:
        fweights = np.asarray(data_of(fweights))
        if fweights.dtype.kind not in "iub" or fweights.shape != (count,) or (fweights < 0).any():
            raise shape_error("cov", [rows, fweights],
                              f"fweights must be {count} non-negative integers")
        weights = fweights.astype(rows.dtype)
    if aweights is not None:
        aweights = as_tensor(aweights)
        if aweights.shape != (count,) or (aweights._data < 0).any():
            raise shape_error("cov", [rows, aweights],
                              f"aweights must be {count} non-negative numbers")
        weights = aweights if weights is None else aweights * weights
    if weights is None:
        centered = rows - mean(rows, axis=1, keepdims=True)
        factor = count - ddof
        weighted = centered
    else:
        total = _sum(weights)
        centered = rows - _sum(rows * weights, axis=1, keepdims=True) / total
        if ddof == 0:
            factor = total
        elif aweights is None:
            factor = total - ddof
        else:
            factor = total - ddof * _sum(weights * aweights) / total
        weighted = centered * weights
    if data_of(factor) <= 0:
        warnings.warn("cov: degrees of freedom <= 0", RuntimeWarning, stacklevel=2)
        factor = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        result = matmul(centered, transpose(conj_of(weighted))) / factor   # X X^H, as NumPy
    return reshape(result, tuple(n for n in result.shape if n != 1))


@implements(np.corrcoef)
def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """The Pearson correlation coefficients of the variables in the rows of ``x``
    (and ``y``), clipped to ``[-1, 1]`` as NumPy does.

    Example:
        >>> import ndgrad
        >>> ndgrad.corrcoef(ndgrad.tensor([[0.0, 1.0, 2.0], [4.0, 2.0, 0.0]])).tolist()
        [[1.0, -1.0], [-1.0, 1.0]]
    """
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    index = np.arange(c.shape[0])
    scale = sqrt(c[index, index])
    return clip(c / reshape(scale, (-1, 1)) / scale, -1, 1)


@primitive(name="nan_to_num", reads=(0,))
def _nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    return np.nan_to_num(x, copy=True, nan=nan, posinf=posinf, neginf=neginf)


@_nan_to_num.defvjp
def _nan_to_num_vjp(g, out, x, nan=0.0, posinf=None, neginf=None):
    return g * np.isfinite(data_of(x))


@implements(np.nan_to_num)
def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN and infinities replaced by finite numbers, in a new tensor (``copy`` is
    accepted for NumPy's signature). The gradient passes where ``x`` is finite.

    Example:
        >>> import ndgrad
        >>> ndgrad.nan_to_num(ndgrad.tensor([float("nan"), 1.0]), nan=-1.0).tolist()
        [-1.0, 1.0]
    """
    return _nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


_heaviside = nondifferentiable(np.heaviside)


@implements(np.heaviside)
def heaviside(x1, x2):
    """The step function: 0 below zero, ``x2`` at zero, 1 above; it carries no
    gradient (zero almost everywhere, undefined at the step).

    Example:
        >>> import ndgrad
        >>> ndgrad.heaviside(ndgrad.tensor([-1.0, 0.0, 2.0]), 0.5).tolist()
        [0.0, 0.5, 1.0]
    """
    return _heaviside(x1, x2)


@primitive(name="convolve")
def _convolve_full(a, v):
    return np.convolve(a, v, mode="full")


@_convolve_full.defvjp
def _convolve_full_vjp(g, out, a, v, needs):
    n, m = a.shape[0], v.shape[0]
    ga = _convolve_full(g, flip(v))[m - 1:m - 1 + n] if needs[0] else None
    gv = _convolve_full(g, flip(a))[n - 1:n - 1 + m] if needs[1] else None
    return ga, gv


_MODES = ("full", "same", "valid")


def _signal(value):
    value = as_tensor(value)
    return reshape(value, (1,)) if value.ndim == 0 else value


def _mode_slice(name, full, n, m, mode, same_start):
    """The part of the full result that NumPy's ``mode`` keeps."""
    if mode not in _MODES:
        raise ValueError(f"{name}: mode must be 'full', 'same' or 'valid', not {mode!r}")
    if mode == "full":
        return full
    if mode == "same":
        return full[same_start:same_start + max(n, m)]
    return full[min(n, m) - 1:max(n, m)]


@implements(np.convolve)
def convolve(a, v, mode="full"):
    """The discrete linear convolution of two 1-D sequences; differentiable in both.

    Example:
        >>> import ndgrad
        >>> ndgrad.convolve(ndgrad.tensor([1.0, 2.0, 3.0]), [0.0, 1.0, 0.5]).tolist()
        [0.0, 1.0, 2.5, 4.0, 1.5]
    """
    a, v = _signal(a), _signal(v)
    n, m = a.shape[0], v.shape[0]
    return _mode_slice("convolve", _convolve_full(a, v), n, m, mode, (min(n, m) - 1) // 2)


@implements(np.correlate)
def correlate(a, v, mode="valid"):
    """The cross-correlation ``c[k] = sum(a[n + k] * v[n])`` of two 1-D sequences.

    Example:
        >>> import ndgrad
        >>> ndgrad.correlate(ndgrad.tensor([1.0, 2.0, 3.0]), [0.0, 1.0, 0.5]).tolist()
        [3.5]
    """
    a, v = _signal(a), _signal(v)
    n, m = a.shape[0], v.shape[0]
    same_start = (m - 1) // 2 if n >= m else n // 2      # NumPy's centring when v is longer
    return _mode_slice("correlate", _convolve_full(a, flip(v)), n, m, mode, same_start)


@primitive(name="polyval")
def _polyval(p, x):
    return np.polyval(p, x)


@_polyval.defvjp
def _polyval_vjp(g, out, p, x, needs):
    degree = p.shape[0] - 1
    gp = gx = None
    if needs[0]:
        columns = [g]                     # g * x**k for k = 0 .. degree
        for _ in range(degree):
            columns.append(columns[-1] * x)
        gp = stack(columns[::-1], axis=-1)
    if needs[1]:
        if degree > 0:
            gx = g * _polyval(p[:-1] * np.arange(degree, 0, -1).astype(p.dtype), x)
        else:
            gx = zeros_like(g)
    return gp, gx


@implements(np.polyval)
def polyval(p, x):
    """The polynomial with coefficients ``p`` (highest power first) at ``x``;
    differentiable in both.

    Example:
        >>> import ndgrad
        >>> ndgrad.polyval(ndgrad.tensor([1.0, 0.0, -2.0]), ndgrad.tensor([2.0, 3.0])).tolist()
        [2.0, 7.0]
    """
    p = as_tensor(p)
    if p.ndim != 1:
        raise shape_error("polyval", [p], "the coefficients p must be 1-D")
    return _polyval(p, x)


def _periodic(x, xp, fp, period):
    """NumPy's ``period`` handling: everything modulo ``period``, the samples
    sorted and extended by one on each side so the ends wrap around."""
    period = abs(period)
    if period == 0:
        raise ValueError("interp: period must be a non-zero value")
    x, xp = x % period, xp % period
    order = np.argsort(xp._data, kind="stable")
    xp, fp = take(xp, order), take(fp, order)
    xp = concatenate([xp[-1:] - period, xp, xp[:1] + period])
    fp = concatenate([fp[-1:], fp, fp[:1]])
    return x, xp, fp


@implements(np.interp)
def interp(x, xp, fp, left=None, right=None, period=None):
    """Piecewise-linear interpolation of the samples ``(xp, fp)`` at ``x``
    (``xp`` increasing); differentiable in ``x``, ``xp``, ``fp``, ``left`` and ``right``.

    Example:
        >>> import ndgrad
        >>> ndgrad.interp(ndgrad.tensor([0.5, 2.0, 9.0]), [0.0, 1.0, 3.0], [0.0, 2.0, 6.0]).tolist()
        [1.0, 4.0, 6.0]
    """
    x, xp, fp = as_tensor(x), as_tensor(xp), as_tensor(fp)
    if xp.ndim != 1 or fp.shape != xp.shape or xp.shape[0] == 0:
        raise shape_error("interp", [xp, fp], "xp and fp must be 1-D, non-empty, of one length")
    if period is not None:
        x, xp, fp = _periodic(x, xp, fp, period)
        left = right = None
    last = xp.shape[0] - 1
    above = np.searchsorted(xp._data, x._data, side="right")
    low, high = np.clip(above - 1, 0, last), np.clip(above, 0, last)
    flat = low == high                  # outside the samples (or at the last one)
    x_low, f_low = take(xp, low), take(fp, low)
    span = where(flat, 1, take(xp, high) - x_low)
    slope = where(flat, 0, (take(fp, high) - f_low) / span)
    result = f_low + slope * (x - x_low)
    if left is not None:
        result = where(x._data < xp._data[0], left, result)
    if right is not None:
        result = where(x._data > xp._data[-1], right, result)
    return result


heaviside.differentiable = False   # a step function whose result carries no gradient
