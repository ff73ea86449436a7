"""Compiled kernels for layer normalization over rows (numba): the forward
(mean, variance, normalization, weight and bias) and the rule (the weight's
and bias's column sums and the input gradient), one row at a time while the
row is in cache. ``layer_normalization`` and ``residual_layer_norm`` call them
(through :func:`kernels`) for C-contiguous float32/float64 rows when numba is
installed and ``_accelerated`` has the compiled kernels on; without numba they
are plain (slow) Python functions, testable on tiny arrays.

The NumPy path makes about eight whole-block passes forward and ten backward,
each a NumPy call with its own overhead; for the Transformer's short rows
(d_model 64) that overhead and the re-reads dominate. These kernels read a row
twice for its statistics (the sum, then the centered squares: the NumPy path's
two-pass formula, which does not cancel when the mean is large) and write it
once; the rule reads each row of ``g`` and ``x_hat`` once for the sums and
once for the input gradient.

Sums accumulate in float64, in several independent running sums (so that no
addition is reassociated and no ``fastmath`` is needed): they round
differently from NumPy's sums in the input's dtype (more accurately), which
is the only difference between the two paths; the elementwise formulas are
the NumPy path's, operation for operation, in the input's dtype (the mean and
inverse standard deviation are rounded to it first, as NumPy holds them).

Example:
    >>> import numpy as np
    >>> rows = np.array([[1.0, 3.0], [2.0, 6.0]])
    >>> out, x_hat = np.empty((2, 2)), np.empty((2, 2))
    >>> mean, invstd = np.empty(2), np.empty(2)
    >>> normalize_rows(rows, np.empty((0, 2)), np.ones(2), np.zeros(2), 0.0, x_hat, out,
    ...                mean, invstd, 4)
    >>> out.tolist(), mean.tolist()
    ([[-1.0, 1.0], [-1.0, 1.0]], [2.0, 4.0])
"""

import math
import sys

import numpy as np

from ._numba_support import COMPILED, OPTIONS as _options, njit, run_kernel

__all__ = []

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_failed = False           # set when numba cannot compile a kernel here
# Unsigned indices skip numba's negative wrap-around test (see ``_numba_convolution``).
_index = np.uint64 if COMPILED else int


_LANES = 16              # running sums per row (a run-time number: a constant is unrolled, not vectorized)


@njit(inline="always", **_options)
def _lane_sums(a, b, i, center, kind, lanes, second, width):
    """Float64 sums over row ``i`` in ``lanes`` running sums (``lanes[l]`` adds
    the elements at l, l + L, ...: a loop that vectorizes with nothing
    reassociated), then added up: ``kind`` 0: the sum of ``a``; 1: of
    ``(a - center) ** 2``; 2: of ``a`` in ``lanes`` and of ``a * b`` (in
    ``second``), returned second."""
    count = _index(lanes.size)
    blocks = width // count
    lanes[:] = 0.0
    products = 0.0
    if kind == 2:
        second[:] = 0.0
        for block in range(blocks):
            at = block * count
            for l in range(count):
                value = np.float64(a[i, at + l])
                lanes[l] += value
                second[l] += value * np.float64(b[i, at + l])
        for l in range(count):
            products += second[l]
    elif kind == 1:
        for block in range(blocks):
            at = block * count
            for l in range(count):
                d = np.float64(a[i, at + l]) - center
                lanes[l] += d * d
    else:
        for block in range(blocks):
            at = block * count
            for l in range(count):
                lanes[l] += np.float64(a[i, at + l])
    total = 0.0
    for l in range(count):
        total += lanes[l]
    for q in range(blocks * count, width):             # the last, partial block
        value = np.float64(a[i, q])
        if kind == 1:
            total += (value - center) * (value - center)
        else:
            total += value
            if kind == 2:
                products += value * np.float64(b[i, q])
    return total, products


@njit(**_options)
def normalize_rows(rows, addend, weight, bias, eps, x_hat, out, mean, invstd, lanes):
    """Per row i of (R, D) ``rows`` (plus ``addend`` when it is not of size 0:
    the sum is first written into ``x_hat``): ``mean[i]``, ``invstd[i]`` (in the rows'
    dtype), ``x_hat = (rows - mean) * invstd`` and ``out = x_hat * weight + bias``
    (a weight or bias of size 0 is left out). ``x_hat`` may be ``rows`` itself
    and ``out`` may be ``x_hat`` (no weight and no bias). ``lanes``: running
    sums per row.

    Example:
        >>> import numpy as np
        >>> rows, mean, invstd = np.array([[0.0, 4.0]]), np.empty(1), np.empty(1)
        >>> normalize_rows(rows, np.empty((0, 2)), np.empty(0), np.array([1.0, 1.0]), 0.0,
        ...                rows, rows, mean, invstd, 4)
        >>> rows.tolist(), invstd.tolist()
        ([[0.0, 2.0]], [0.5])
    """
    count, width = _index(rows.shape[0]), _index(rows.shape[1])
    with_weight, with_bias, with_addend = weight.size > 0, bias.size > 0, addend.size > 0
    source = x_hat if with_addend else rows
    running = np.empty(lanes)
    for i in range(count):                 # the statistics: two reads of each row
        if with_addend:
            for q in range(width):
                x_hat[i, q] = rows[i, q] + addend[i, q]
        total, _ = _lane_sums(source, source, i, 0.0, 0, running, running, width)
        mean[i] = total / np.float64(width)
        squares, _ = _lane_sums(source, source, i, np.float64(mean[i]), 1, running, running,
                                 width)
        invstd[i] = 1.0 / math.sqrt(squares / np.float64(width) + eps)
    for i in range(count):                 # x_hat and out, in the rows' dtype
        m, s = mean[i], invstd[i]
        if with_weight and with_bias:
            for q in range(width):
                h = (source[i, q] - m) * s
                x_hat[i, q] = h
                out[i, q] = h * weight[q] + bias[q]
        elif with_weight:
            for q in range(width):
                h = (source[i, q] - m) * s
                x_hat[i, q] = h
                out[i, q] = h * weight[q]
        elif with_bias:
            for q in range(width):
                h = (source[i, q] - m) * s
                x_hat[i, q] = h
                out[i, q] = h + bias[q]
        else:
            for q in range(width):
                x_hat[i, q] = (source[i, q] - m) * s


@njit(**_options)
def rows_gradients(g, x_hat, rows, mean, invstd, weight, gx, gw, gb, flags, lanes):
    """The layer-norm rule over (R, D) rows. ``x_hat`` is the kept normalized
    input, or (``flags[3]`` 1) a buffer to recompute it into as ``(rows - mean)
    * invstd``. With ``flags[:3]`` (input, weight, bias) as 0/1: ``gw += sum_i g
    * x_hat`` and ``gb += sum_i g`` (float64 columns), and ``gx = invstd * (gy -
    mean(gy) - x_hat * mean(gy * x_hat))`` with ``gy = g * weight`` (``weight``
    of size 0: ``gy = g``). ``lanes``: running sums per row.

    Example:
        >>> import numpy as np
        >>> gx, gw, gb = np.empty((1, 2)), np.zeros(2), np.zeros(2)
        >>> rows_gradients(np.array([[1.0, 0.0]]), np.array([[-1.0, 1.0]]), np.empty((0, 2)),
        ...                np.empty(1), np.array([0.5]), np.empty(0), gx, gw, gb,
        ...                np.array([1, 1, 1, 0]), 4)
        >>> gx.tolist(), gw.tolist(), gb.tolist()
        ([[0.0, 0.0]], [-1.0, 0.0], [1.0, 0.0])
    """
    count, width = _index(g.shape[0]), _index(g.shape[1])
    with_input, with_weight_grad, with_bias_grad = flags[0] != 0, flags[1] != 0, flags[2] != 0
    recompute, with_weight = flags[3] != 0, weight.size > 0
    running, second = np.empty(lanes), np.empty(lanes)
    rounded = np.empty(2, g.dtype)
    for i in range(count):
        s = invstd[i]
        if recompute:
            m = mean[i]
            for q in range(width):
                x_hat[i, q] = (rows[i, q] - m) * s
        if with_weight_grad:
            for q in range(width):
                gw[q] += np.float64(g[i, q]) * np.float64(x_hat[i, q])
        if with_bias_grad:
            for q in range(width):
                gb[q] += np.float64(g[i, q])
        if not with_input:
            continue
        if with_weight:
            for q in range(width):
                gx[i, q] = g[i, q] * weight[q]
        else:
            for q in range(width):
                gx[i, q] = g[i, q]
        total, products = _lane_sums(gx, x_hat, i, 0.0, 2, running, second, width)
        rounded[0] = total / np.float64(width)          # mean(gy), in g's dtype
        rounded[1] = products / np.float64(width)       # mean(gy * x_hat)
        c, a = rounded[0], rounded[1]
        for q in range(width):
            gx[i, q] = ((gx[i, q] - c) - x_hat[i, q] * a) * s


def _rows_fit(*arrays):
    dtype = arrays[0].dtype
    return (dtype in _FLOATS and all(a.dtype == dtype and a.ndim == 2 and a.flags.c_contiguous
                                     for a in arrays))


def _vector(value, dtype):
    return (np.empty(0, dtype) if value is None
            else np.ascontiguousarray(value.reshape(-1), dtype=dtype))


def _run(kernel, *arguments):
    global _failed

    def turn_off():
        global _failed
        _failed = True

    return run_kernel(kernel, arguments, "layer norm", turn_off)


def kernels():
    """This module when its compiled kernels are to run now (numba is
    installed, the kernels are on, and none failed to compile), else None.

    Example:
        >>> from ndgrad.ops import _numba_layer_norm_rows
        >>> found = _numba_layer_norm_rows.kernels()
        >>> found is None or found is _numba_layer_norm_rows
        True
    """
    from . import _accelerated
    if _failed or not _accelerated.enabled():
        return None
    return sys.modules[__name__]


def forward(rows, weight, bias, eps, x_hat, out, addend=None):
    """Normalize (R, D) ``rows`` (plus ``addend``, summed into ``x_hat``) into ``x_hat`` and ``out`` with the compiled
    kernel; ``(mean, invstd)`` in the rows' dtype, or None (nothing written)
    when the kernel does not take these arrays.

    Example:
        >>> import numpy as np
        >>> rows = np.array([[1.0, 3.0]])
        >>> out = np.empty((1, 2))
        >>> found = forward(rows, None, None, 0.0, out, out)
        >>> out.tolist() if found else [[-1.0, 1.0]]
        [[-1.0, 1.0]]
    """
    given = (rows, x_hat, out) if addend is None else (rows, x_hat, out, addend)
    if not _rows_fit(*given) or rows.shape[1] == 0:
        return None
    dtype = rows.dtype
    addend = np.empty((0, rows.shape[1]), dtype) if addend is None else addend
    mean, invstd = np.empty(rows.shape[0], dtype), np.empty(rows.shape[0], dtype)
    if not _run(normalize_rows, rows, addend, _vector(weight, dtype), _vector(bias, dtype), float(eps),
                x_hat, out, mean, invstd, _LANES):
        return None
    return mean, invstd


def gradients(g, x_hat, rows, mean, invstd, weight, gx, needs):
    """The rule with the compiled kernel: ``(gw, gb)`` as float64 columns (None
    where not needed) with ``gx`` written when ``needs[0]``; False (``gx`` not
    written) when the kernel does not take these arrays. ``x_hat`` None: it is
    recomputed from ``rows``.

    Example:
        >>> import numpy as np
        >>> gx = np.empty((1, 2))
        >>> found = gradients(np.ones((1, 2)), np.array([[-1.0, 1.0]]), None, np.zeros(1),
        ...                   np.ones(1), None, gx, (True, False, True))
        >>> found[1].tolist() if found else [1.0, 1.0]
        [1.0, 1.0]
    """
    dtype = g.dtype
    present = [g] + [a for a in (x_hat if x_hat is not None else rows,
                                 gx if needs[0] else None) if a is not None]
    if not _rows_fit(*present) or mean.dtype != dtype or invstd.dtype != dtype:
        return False
    width = g.shape[1]
    gw, gb = np.zeros(width), np.zeros(width)
    flags = np.array([bool(n) for n in needs] + [x_hat is None], np.int64)
    empty = np.empty((0, width), dtype)
    if not _run(rows_gradients, g, np.empty_like(g) if x_hat is None else x_hat,
                empty if rows is None else rows, mean, invstd, _vector(weight, dtype),
                gx if needs[0] else empty, gw, gb, flags, _LANES):
        return False
    return gw if needs[1] else None, gb if needs[2] else None

