"""Compiled kernels for batch normalization (numba): the per-channel
statistics, the normalization, and the two passes of the gradient.
``normalization`` calls them (through :func:`kernels`) when numba is installed
and ``_accelerated`` has the compiled kernels on; without numba they are plain
(slow) Python functions, testable on tiny arrays.

NumPy needs a pass per operation: the statistics are a sum, a centered copy
and a sum of squares; the normalization two passes (scale, then shift); the
gradient a centered copy, two sums and four elementwise passes over full-size
arrays. These kernels read each array once per pass they need: the statistics
two reads (the sum, then the centered squares: the same two-pass formula as
the NumPy path, which does not cancel when the mean is large), the
normalization one pass, the gradient one read of ``g`` and ``x`` for the
per-channel sums and one pass for the input gradient, with ``x - mean``
formed on the fly instead of stored.

Sums accumulate in float64, 16 at a time in independent lanes (so that the
loop vectorizes without ``fastmath``): they round differently from NumPy's
float32 sums (more accurately), which is the only difference between the two
paths; the elementwise formulas are the NumPy path's, operation for
operation, in the input's dtype.

Every kernel takes an array as the flat memory of a dense (outer, C, inner)
block: the channel axis with everything before it in memory and everything
after it (NCHW: (N, C, H * W); the (C, N, H, W) memory a convolution writes:
(1, C, N * H * W); channels last: (N * H * W, C, 1)).

Example:
    >>> import numpy as np
    >>> x = np.array([[1.0], [3.0], [5.0], [7.0]])   # (N 4, C 1): outer 4, inner 1
    >>> statistics(x, 1)
    (array([4.]), array([5.]))
"""

import math

import numpy as np

from ._numba_support import COMPILED, OPTIONS as _options, KernelFamily, njit
from .convolution_geometry import memory_order

__all__ = []

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_family = KernelFamily("batch normalization")   # off once numba fails on one
_run = _family.run               # False when numba cannot compile the kernel
_LANES = 32               # running sums per channel (measured: 16 -> 0.56 ms, 32 -> 0.35 for 2 M floats)
# Unsigned flat indices skip numba's negative wrap-around test, which keeps
# loops from vectorizing (see ``_numba_convolution``). Plain Python keeps ints.
_index = np.uint64 if COMPILED else int


@njit(inline="always", **_options)
def _add_block(x, y, with_y, at, count, center, sums, products):
    """``sums[q] += a``, ``products[q] += a * d`` for q < count, with
    ``d = x[at + q] - center`` and ``a`` = ``y[at + q]`` or ``d``: lane by lane,
    a loop that vectorizes (each lane its own running sum, nothing reassociated)."""
    if with_y:
        for q in range(count):
            d = np.float64(x[at + q]) - center
            a = np.float64(y[at + q])
            sums[q] += a
            products[q] += a * d
    else:
        for q in range(count):
            d = np.float64(x[at + q]) - center
            sums[q] += d
            products[q] += d * d


@njit(inline="always", **_options)
def _add_channels(x, y, with_y, at, count, centers, sums, products):
    """:func:`_add_block` with one center per lane (channels last)."""
    if with_y:
        for q in range(count):
            d = np.float64(x[at + q]) - centers[q]
            a = np.float64(y[at + q])
            sums[q] += a
            products[q] += a * d
    else:
        for q in range(count):
            d = np.float64(x[at + q]) - centers[q]
            sums[q] += d
            products[q] += d * d


@njit(**_options)
def channel_sums(x, shape, shift, y, sums, products, lanes):
    """Per channel c, in float64, with ``d = x - shift[c]`` and ``a = y`` (or
    ``a = d`` when ``y`` is empty): ``sums[c]`` = sum of ``a``, ``products[c]``
    = sum of ``a * d``. ``x`` and ``y`` are flat (outer, C, inner) blocks;
    ``lanes`` running sums per channel (a run-time number: a constant one is
    unrolled into scalar code instead of vectorized).

    Example:
        >>> import numpy as np
        >>> sums, products = np.empty(1), np.empty(1)
        >>> channel_sums(np.array([1.0, 3.0]), (1, 1, 2), np.array([2.0]), np.empty(0),
        ...              sums, products, 4)
        >>> sums.tolist(), products.tolist()
        ([0.0], [2.0])
    """
    outer, channels, inner = _index(shape[0]), _index(shape[1]), _index(shape[2])
    with_y = y.size > 0
    if inner == 1:                     # channels last: the channels are the lanes
        sums[:] = 0.0
        products[:] = 0.0
        for o in range(outer):
            _add_channels(x, y, with_y, o * channels, channels, shift, sums, products)
        return
    width = _index(lanes)
    running = np.zeros(lanes)
    running_products = np.zeros(lanes)
    blocks = inner // width
    for c in range(channels):
        running[:] = 0.0
        running_products[:] = 0.0
        center = shift[c]
        for o in range(outer):
            start = (o * channels + c) * inner
            for b in range(blocks):
                _add_block(x, y, with_y, start + b * width, width, center, running,
                           running_products)
            for at in range(start + blocks * width, start + inner):
                d = np.float64(x[at]) - center
                a = np.float64(y[at]) if with_y else d
                running[0] += a
                running_products[0] += a * d
        sums[c] = running.sum()
        products[c] = running_products.sum()


@njit(**_options)
def channel_moments(x, shape, means, sums, squares, lanes):
    """Per channel (``shape[2] > 1``): ``means[c]`` the float64 mean of ``x``,
    then ``sums[c]`` and ``squares[c]`` the sums of ``x - means[c]`` and of its
    squares: both passes over one channel before the next, while it is in cache.

    Example:
        >>> import numpy as np
        >>> means, sums, squares = np.empty(1), np.empty(1), np.empty(1)
        >>> channel_moments(np.array([1.0, 3.0]), (1, 1, 2), means, sums, squares, 4)
        >>> means.tolist(), squares.tolist()
        ([2.0], [2.0])
    """
    outer, channels, inner = _index(shape[0]), _index(shape[1]), _index(shape[2])
    width = _index(lanes)
    running = np.zeros(lanes)
    running_squares = np.zeros(lanes)
    blocks = inner // width
    for c in range(channels):
        center = 0.0
        for moment in range(2):
            running[:] = 0.0
            running_squares[:] = 0.0
            for o in range(outer):
                start = (o * channels + c) * inner
                for b in range(blocks):
                    _add_block(x, x, False, start + b * width, width, center, running,
                               running_squares)
                for at in range(start + blocks * width, start + inner):
                    d = np.float64(x[at]) - center
                    running[0] += d
                    running_squares[0] += d * d
            if moment == 0:
                center = running.sum() / np.float64(outer * inner)
                means[c] = center
        sums[c] = running.sum()
        squares[c] = running_squares.sum()


@njit(**_options)
def _scale_shift(x, shape, scale, shift, out):
    """``out = x * scale[c] + shift[c]`` (two roundings, as NumPy's two passes)."""
    outer, channels, inner = _index(shape[0]), _index(shape[1]), _index(shape[2])
    if inner == 1:
        for o in range(outer):
            base = o * channels
            for c in range(channels):
                out[base + c] = x[base + c] * scale[c] + shift[c]
        return
    for o in range(outer):
        for c in range(channels):
            s, t = scale[c], shift[c]
            start = (o * channels + c) * inner
            for q in range(inner):
                out[start + q] = x[start + q] * s + t


@njit(**_options)
def _input_grad(g, x, shape, scale, mean, centered_factor, offset, out):
    """``out = g * scale[c] + (x - mean[c]) * centered_factor[c] - offset[c]``,
    each operation rounded in the arrays' dtype as the NumPy path does."""
    outer, channels, inner = _index(shape[0]), _index(shape[1]), _index(shape[2])
    if inner == 1:
        for o in range(outer):
            base = o * channels
            for c in range(channels):
                out[base + c] = (g[base + c] * scale[c] + (x[base + c] - mean[c])
                                 * centered_factor[c]) - offset[c]
        return
    for o in range(outer):
        for c in range(channels):
            s, m, k, t = scale[c], mean[c], centered_factor[c], offset[c]
            start = (o * channels + c) * inner
            for q in range(inner):
                out[start + q] = (g[start + q] * s + (x[start + q] - m) * k) - t


# ------------------------------------------------------------------ when they run
def usable():
    """Whether the kernels can run: numba is installed and none of them failed
    to compile here. (Whether they are *on* is ``_accelerated.enabled()``.)

    Example:
        >>> from ndgrad.ops import _numba_normalization
        >>> _numba_normalization.usable() in (True, False)
        True
    """
    return _family.usable()


def _blocks(channel_axis, *arrays):
    """The flat memory of each array as (outer, C, inner) blocks, and that
    shape; None unless they share one float dtype, one shape and one dense
    memory layout (NumPy's work then)."""
    first = arrays[0]
    if first.dtype not in _FLOATS or first.size == 0:
        return None
    order = memory_order(first)
    flat = []
    for array in arrays:
        if array.dtype != first.dtype or array.shape != first.shape:
            return None
        in_memory = array.transpose(order)
        if not in_memory.flags.c_contiguous or memory_order(array) != order:
            return None
        flat.append(in_memory.reshape(-1))
    position = order.index(channel_axis)
    outer = math.prod(first.shape[a] for a in order[:position])
    inner = math.prod(first.shape[a] for a in order[position + 1:])
    return flat, (outer, first.shape[channel_axis], inner)


def _per_channel(values, dtype):
    return np.ascontiguousarray(np.asarray(values, dtype=dtype).reshape(-1))


def statistics(x, channel_axis):
    """Per-channel mean and biased variance of ``x`` (float64, shape (C,)), by
    the two-pass formula with its rounding correction; None when the kernel
    does not take ``x``.

    Example:
        >>> import numpy as np
        >>> statistics(np.array([[1.0, 2.0], [3.0, 6.0]]), 1)
        (array([2., 4.]), array([1., 4.]))
    """
    blocks = _blocks(channel_axis, x)
    if blocks is None:
        return None
    (flat,), shape = blocks
    count = shape[0] * shape[2]
    mean, sums, squares = np.empty(shape[1]), np.empty(shape[1]), np.empty(shape[1])
    if shape[2] > 1:
        if not _run(channel_moments, flat, shape, mean, sums, squares, _LANES):
            return None
    else:
        empty = np.empty(0, x.dtype)
        if not _run(channel_sums, flat, shape, np.zeros(shape[1]), empty, sums, squares, _LANES):
            return None
        mean = sums / count
        if not _run(channel_sums, flat, shape, mean, empty, sums, squares, _LANES):
            return None
    # sums is now the sum of x - mean: zero but for rounding, which it corrects.
    return mean + sums / count, np.maximum(squares / count - (sums / count) ** 2, 0.0)


def normalize(x, channel_axis, scale, shift, out):
    """``out = x * scale + shift`` per channel (``out`` laid out as ``x``); False
    (nothing written) when the kernel does not take these arrays.

    Example:
        >>> import numpy as np
        >>> out = np.empty((2, 1))
        >>> normalize(np.array([[1.0], [2.0]]), 1, [2.0], [1.0], out), out.ravel().tolist()
        (True, [3.0, 5.0])
    """
    blocks = _blocks(channel_axis, x, out)
    if blocks is None:
        return False
    (flat, target), shape = blocks
    return _run(_scale_shift, flat, shape, _per_channel(scale, x.dtype), _per_channel(shift, x.dtype),
                target)


def gradient_sums(g, x, channel_axis, mean):
    """Per channel, in float64: the sum of ``g`` and of ``g * (x - mean)``; None
    when the kernel does not take these arrays.

    Example:
        >>> import numpy as np
        >>> gradient_sums(np.array([[1.0], [2.0]]), np.array([[1.0], [3.0]]), 1, [2.0])
        (array([3.]), array([1.]))
    """
    blocks = _blocks(channel_axis, x, g)
    if blocks is None:
        return None
    (flat_x, flat_g), shape = blocks
    sums, products = np.empty(shape[1]), np.empty(shape[1])
    if not _run(channel_sums, flat_x, shape, _per_channel(mean, np.float64), flat_g, sums,
                products, _LANES):
        return None
    return sums, products


def input_grad(g, x, channel_axis, scale, mean, centered_factor, offset, out):
    """``out = g * scale + (x - mean) * centered_factor - offset`` per channel
    (``out`` laid out as ``x``); False (nothing written) when the kernel does not
    take these arrays.

    Example:
        >>> import numpy as np
        >>> out = np.empty((2, 1))
        >>> input_grad(np.ones((2, 1)), np.array([[1.0], [3.0]]), 1, [2.0], [2.0], [1.0],
        ...            [0.5], out), out.ravel().tolist()
        (True, [0.5, 2.5])
    """
    blocks = _blocks(channel_axis, x, g, out)
    if blocks is None:
        return False
    (flat_x, flat_g, target), shape = blocks
    dtype = x.dtype
    return _run(_input_grad, flat_g, flat_x, shape, _per_channel(scale, dtype),
                _per_channel(mean, dtype), _per_channel(centered_factor, dtype),
                _per_channel(offset, dtype), target)
