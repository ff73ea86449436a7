"""Compiled kernel for the layer-norm rule over rows (numba): the weight's
and bias's column sums and the input gradient, one row at a time while the
row is in cache. ``layer_normalization`` (and so ``residual_layer_norm``)
calls it (through :func:`kernels`) for C-contiguous float32/float64 rows when
numba is installed and ``_accelerated`` has the compiled kernels on; without
numba it is a plain (slow) Python function, testable on tiny arrays.

The NumPy rule makes about ten whole-block passes, each a NumPy call; for the
Transformer's short rows (d_model 64) the kernel reads each row of ``g`` and
``x_hat`` once for the sums and once for the input gradient (measured on the
(2048, 64) rows of ``bench/`` transformer_block: 0.32 -> 0.22 ms per call).
The forward stays NumPy's: a compiled forward (float64 row statistics in two
reads, then one write) was measured no faster than its passes there.

Sums accumulate in float64, in several independent running sums (so that no
addition is reassociated and no ``fastmath`` is needed): they round
differently from NumPy's sums in the input's dtype (more accurately), which
is the only difference between the two paths; the elementwise formulas are
the NumPy path's, operation for operation, in the input's dtype (the row
means are rounded to it first, as NumPy holds them).

Example:
    >>> import numpy as np
    >>> gx, gw, gb = np.empty((1, 2)), np.zeros(2), np.zeros(2)
    >>> rows_gradients(np.array([[3.0, 1.0]]), np.array([[-1.0, 1.0]]), np.empty((0, 2)),
    ...                np.empty(1), np.array([0.5]), np.empty(0), gx, gw, gb,
    ...                np.array([1, 1, 1, 0]), 4)
    >>> gx.tolist(), gb.tolist()
    ([[0.0, 0.0]], [3.0, 1.0])
"""

import sys

import numpy as np

from ._numba_support import COMPILED, OPTIONS as _options, KernelFamily, njit

__all__ = []

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_family = KernelFamily("layer norm")   # off once numba fails on one
_run = _family.run               # False when numba cannot compile the kernel
# Unsigned indices skip numba's negative wrap-around test (see ``_numba_convolution``).
_index = np.uint64 if COMPILED else int


# Running sums per row: a run-time number (a constant is unrolled, not vectorized).
_LANES = 16


@njit(inline="always", **_options)
def _row_sums(a, b, i, lanes, second, width):
    """The float64 sums of ``a`` and of ``a * b`` over row ``i``, each in
    running sums (``lanes[l]`` adds the elements at l, l + L, ...: a loop that
    vectorizes with nothing reassociated), then added up."""
    count = _index(lanes.size)
    blocks = width // count
    lanes[:] = 0.0
    second[:] = 0.0
    for block in range(blocks):
        at = block * count
        for l in range(count):
            value = np.float64(a[i, at + l])
            lanes[l] += value
            second[l] += value * np.float64(b[i, at + l])
    total = products = 0.0
    for l in range(count):
        total += lanes[l]
        products += second[l]
    for q in range(blocks * count, width):             # the last, partial block
        value = np.float64(a[i, q])
        total += value
        products += value * np.float64(b[i, q])
    return total, products


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
        total, products = _row_sums(gx, x_hat, i, running, second, width)
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
    if _family.failed or not _accelerated.enabled():
        return None
    return sys.modules[__name__]


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
