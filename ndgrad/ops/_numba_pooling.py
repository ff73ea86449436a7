"""Compiled kernels for 2x2, stride-2 max pooling (numba). ``_accelerated``
calls them only when numba is installed; without it they are plain (slow)
Python functions, importable and testable on tiny arrays.

NumPy pools with one vectorized pass per window offset, and its gradient
needs four more per offset (compare, mask the earlier maxima, keep track,
multiply): about twenty passes over arrays that are pure memory traffic.
These kernels read each window once, in registers. They implement exactly
the NumPy path's rules: the maximum propagates NaN as ``np.maximum`` does,
and the gradient goes to the first element of the window (row-major) equal
to the maximum, so a NaN window sends none.

Two memory layouts each: *planes* (an (A, B, H, W) view whose rows are
contiguous, A and B being batch and channel in memory order) and *channels
last* ((N, H, W, C), channels contiguous). The output has floor(H / 2) rows
and floor(W / 2) columns; a gradient's last odd row or column is left to the
caller to zero.

Example:
    >>> import numpy as np
    >>> x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    >>> out = np.empty((1, 1, 2, 2), np.float32)
    >>> max_pool_2x2_planes(x, out); out[0, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
"""

from ._numba_support import OPTIONS as _options, njit

__all__ = []


@njit(**_options)
def max_pool_2x2_planes(x, out):
    """``out[a, b, i, j]``: the maximum of ``x[a, b, 2i:2i+2, 2j:2j+2]``.

    Example:
        >>> import numpy as np
        >>> out = np.empty((1, 1, 1, 1))
        >>> max_pool_2x2_planes(np.array([[[[1.0, 3.0], [2.0, 0.0]]]]), out); out.item()
        3.0
    """
    outer, inner, rows, cols = out.shape
    for a in range(outer):
        for b in range(inner):
            for i in range(rows):
                top = x[a, b, 2 * i]
                bottom = x[a, b, 2 * i + 1]
                row = out[a, b, i]
                for j in range(cols):
                    m = top[2 * j]
                    v = top[2 * j + 1]
                    if v > m or v != v:
                        m = v
                    v = bottom[2 * j]
                    if v > m or v != v:
                        m = v
                    v = bottom[2 * j + 1]
                    if v > m or v != v:
                        m = v
                    row[j] = m


@njit(**_options)
def max_pool_2x2_scatter_planes(g, x, out, grad):
    """Write ``g[a, b, i, j]`` at the first maximum of its window in ``grad``
    and zero at the window's other three cells.

    Example:
        >>> import numpy as np
        >>> x = np.array([[[[1.0, 3.0], [3.0, 0.0]]]]); grad = np.empty_like(x)
        >>> max_pool_2x2_scatter_planes(np.ones((1, 1, 1, 1)), x, np.full((1, 1, 1, 1), 3.0), grad)
        >>> grad[0, 0].tolist()
        [[0.0, 1.0], [0.0, 0.0]]
    """
    outer, inner, rows, cols = out.shape
    zero = grad.dtype.type(0)      # not 0.0: a float64 literal made every cell a conversion
    for a in range(outer):
        for b in range(inner):
            for i in range(rows):
                top = x[a, b, 2 * i]
                bottom = x[a, b, 2 * i + 1]
                grad_top = grad[a, b, 2 * i]
                grad_bottom = grad[a, b, 2 * i + 1]
                maxima = out[a, b, i]
                incoming = g[a, b, i]
                for j in range(cols):
                    m = maxima[j]
                    v = incoming[j]
                    # Branch-free: each cell equal to the maximum takes what is left
                    # of v, and takes it away from the cells after it.
                    x0, x1 = top[2 * j], top[2 * j + 1]
                    x2, x3 = bottom[2 * j], bottom[2 * j + 1]
                    grad_top[2 * j] = v if x0 == m else zero
                    v = zero if x0 == m else v
                    grad_top[2 * j + 1] = v if x1 == m else zero
                    v = zero if x1 == m else v
                    grad_bottom[2 * j] = v if x2 == m else zero
                    v = zero if x2 == m else v
                    grad_bottom[2 * j + 1] = v if x3 == m else zero


@njit(**_options)
def max_pool_2x2_channels_last(x, out):
    """:func:`max_pool_2x2_planes` for (N, H, W, C) arrays.

    Example:
        >>> import numpy as np
        >>> out = np.empty((1, 1, 1, 2))
        >>> x = np.array([[[[1.0, 0.0], [3.0, 0.0]], [[2.0, 5.0], [0.0, 0.0]]]])
        >>> max_pool_2x2_channels_last(x, out); out.ravel().tolist()
        [3.0, 5.0]
    """
    batch, rows, cols, channels = out.shape
    for n in range(batch):
        for i in range(rows):
            for j in range(cols):
                a = x[n, 2 * i, 2 * j]
                b = x[n, 2 * i, 2 * j + 1]
                c = x[n, 2 * i + 1, 2 * j]
                d = x[n, 2 * i + 1, 2 * j + 1]
                cell = out[n, i, j]
                for k in range(channels):
                    m = a[k]
                    v = b[k]
                    if v > m or v != v:
                        m = v
                    v = c[k]
                    if v > m or v != v:
                        m = v
                    v = d[k]
                    if v > m or v != v:
                        m = v
                    cell[k] = m


@njit(**_options)
def max_pool_2x2_scatter_channels_last(g, x, out, grad):
    """:func:`max_pool_2x2_scatter_planes` for (N, H, W, C) arrays.

    Example:
        >>> import numpy as np
        >>> x = np.array([[[[1.0], [3.0]], [[3.0], [0.0]]]]); grad = np.empty_like(x)
        >>> max_pool_2x2_scatter_channels_last(np.ones((1, 1, 1, 1)), x,
        ...                                    np.full((1, 1, 1, 1), 3.0), grad)
        >>> grad.ravel().tolist()
        [0.0, 1.0, 0.0, 0.0]
    """
    batch, rows, cols, channels = out.shape
    zero = grad.dtype.type(0)
    for n in range(batch):
        for i in range(rows):
            for j in range(cols):
                a = x[n, 2 * i, 2 * j]
                b = x[n, 2 * i, 2 * j + 1]
                c = x[n, 2 * i + 1, 2 * j]
                d = x[n, 2 * i + 1, 2 * j + 1]
                ga = grad[n, 2 * i, 2 * j]
                gb = grad[n, 2 * i, 2 * j + 1]
                gc = grad[n, 2 * i + 1, 2 * j]
                gd = grad[n, 2 * i + 1, 2 * j + 1]
                maxima = out[n, i, j]
                incoming = g[n, i, j]
                for k in range(channels):
                    m = maxima[k]
                    v = incoming[k]
                    # Branch-free, as in the planes kernel.
                    ga[k] = v if a[k] == m else zero
                    v = zero if a[k] == m else v
                    gb[k] = v if b[k] == m else zero
                    v = zero if b[k] == m else v
                    gc[k] = v if c[k] == m else zero
                    v = zero if c[k] == m else v
                    gd[k] = v if d[k] == m else zero
