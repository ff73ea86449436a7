"""Compiled kernels for convolution's window copies (numba): im2col, the
col2im accumulation of the input gradient, and the stride-1 input gradient's
wide copy of ``g`` and its shifted sums. ``convolution_geometry`` and
``convolution`` call them (through ``convolution_geometry.compiled_kernels``)
when numba is installed and ``_accelerated`` has the compiled kernels on;
without numba they are plain (slow) Python functions, testable on tiny arrays.

NumPy copies the windows with one strided slice assignment per kernel offset
whose inner loop is one output row: 11 floats on the second convolution of
``bench/``'s CNN (16->32, 3x3 on 13x13, batch 64, float32), so per-row
overhead makes its im2col take 0.44 ms; these loops take 0.165 (the first
convolution's: 0.105 -> 0.048). Its stride-1 input gradient adds 9 shifted
pieces over the whole gradient (0.40 ms); summed one image at a time in cache
they take 0.16, and the wide copy of ``g`` 0.06 instead of 0.13; col2im (the
other strides, few channels) runs 2-3x faster. Results are bit-identical to
the NumPy path's: copies are copies, each gradient element gets the same
terms added in the same order (kernel offsets in row-major order, from 0.0),
``fastmath`` is off, and the matrix products stay NumPy's on the same operands.

The kernels take flat 1-D views of dense arrays with element strides, and
index with unsigned integers: numba's multi-dimensional indexing tests every
index for negative wrap-around, which kept the short rows from vectorizing
(1.0 ms for that im2col), and row views cost a reference count each (3.3 ms).

Example:
    >>> import numpy as np
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> columns = np.empty((1, 2, 2, 1, 2, 2))
    >>> im2col(x, columns, (1, 1), (1, 1), ((0, 0), (0, 0)))
    True
    >>> columns[0, 1, 1, 0].tolist()
    [[4.0, 5.0], [7.0, 8.0]]
"""

import numpy as np

from ._numba_support import COMPILED, OPTIONS as _options, KernelFamily, njit
from .convolution_geometry import memory_order

__all__ = []

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_family = KernelFamily("convolution")   # off once numba fails on one
_run = _family.run               # False when numba cannot compile the kernel
# Unsigned flat indices skip numba's wrap-around test (an empty run's start may
# be negative: it wraps, never read). Plain Python keeps Python ints.
_index = np.uint64 if COMPILED else int


@njit(inline="always", **_options)
def _valid_columns(count, size, offset, stride):
    """The output columns ``q`` in [0, count) whose input column
    ``q * stride + offset`` lies in [0, size): (first, stop), first <= stop."""
    first = 0 if offset >= 0 else (-offset + stride - 1) // stride
    stop = (size - 1 - offset) // stride + 1 if size - 1 - offset >= 0 else 0
    stop = min(stop, count)
    return min(first, stop), stop


# The row loops live in these inlined helpers; which shapes compile well is
# fragile (measured on the CNN's im2col, 0.15 ms at best): short loops in the
# kernels became memcpy / memset calls per row (2.5 ms), and some arrangements
# of the calls (inside an ``if``, zeroing strips row by row) kept numba's
# reference counting inside the loops (2.4-3.7 ms). Rows of 11 floats are
# shorter than LLVM's vectorized loops need, so copies move 8 at a time.
@njit(inline="always", **_options)
def _zero(array, start, count):
    zero_at = _index(start)
    for zero_q in range(_index(count)):
        array[zero_at + zero_q] = 0


@njit(inline="always", **_options)
def _copy8(target, at, source, read):
    v0, v1 = source[read], source[read + _index(1)]
    v2, v3 = source[read + _index(2)], source[read + _index(3)]
    v4, v5 = source[read + _index(4)], source[read + _index(5)]
    v6, v7 = source[read + _index(6)], source[read + _index(7)]
    target[at], target[at + _index(1)] = v0, v1
    target[at + _index(2)], target[at + _index(3)] = v2, v3
    target[at + _index(4)], target[at + _index(5)] = v4, v5
    target[at + _index(6)], target[at + _index(7)] = v6, v7


@njit(inline="always", **_options)
def _copy_run(target, start, source, read, count, step):
    """``target[start + q] = source[read + q * step]`` for q < count."""
    copy_to, copy_from, copy_count = _index(start), _index(read), _index(count)
    if step == 1 and copy_count >= 8:
        # Blocks of 8, the last one overlapping the one before (written twice).
        copy_done = _index(0)
        while copy_done + _index(8) < copy_count:
            _copy8(target, copy_to + copy_done, source, copy_from + copy_done)
            copy_done += _index(8)
        copy_last = copy_count - _index(8)
        _copy8(target, copy_to + copy_last, source, copy_from + copy_last)
    else:
        copy_step = _index(step)
        for copy_q in range(copy_count):
            target[copy_to + copy_q] = source[copy_from + copy_q * copy_step]


@njit(inline="always", **_options)
def _copy_recent(target, start, source, read, count):
    """``target[start + q] = source[read + q]`` for q < count, one at a time:
    for a source just written (the input gradient's flat image), where
    :func:`_copy_run` measured 2.5 times slower (0.42 against 0.17 ms)."""
    recent_to, recent_from = _index(start), _index(read)
    for recent_q in range(_index(count)):
        target[recent_to + recent_q] = source[recent_from + recent_q]


@njit(inline="always", **_options)
def _add_run(target, start, target_step, source, read, read_step, count):
    """``target[start + q * target_step] += source[read + q * read_step]`` for q < count."""
    add_to, add_from = _index(start), _index(read)
    if target_step == 1 and read_step == 1:
        for add_q in range(_index(count)):
            target[add_to + add_q] += source[add_from + add_q]
    else:
        add_step, add_read_step = _index(target_step), _index(read_step)
        for add_q in range(_index(count)):
            target[add_to + add_q * add_step] += source[add_from + add_q * add_read_step]


@njit(**_options)
def im2col_flat(source, source_strides, height, width, columns, shape, stride, dilation,
                top, left):
    """Fill the flat C-ordered ``columns`` of ``shape`` (C, kh, kw, N, oh, ow):
    ``columns[c, i, j, n, r, q]`` is the input pixel that output position
    (r, q) of image n reads at kernel offset (i, j), 0 where it reads padding.
    ``source`` is the flat memory of the (N, C, H, W) input, whose element
    strides are ``source_strides``.

    Example:
        >>> import numpy as np
        >>> columns = np.empty(4)
        >>> im2col_flat(np.array([1.0, 2.0]), (2, 2, 2, 1), 1, 2, columns, (1, 1, 2, 1, 1, 2),
        ...             (1, 1), (1, 1), 0, 1)
        >>> columns.tolist()
        [0.0, 1.0, 1.0, 2.0]
    """
    step_n, step_c, step_y, step_x = source_strides
    channels, kh, kw, batch, out_h, out_w = shape
    for c in range(channels):
        for i in range(kh):
            for j in range(kw):
                offset = j * dilation[1] - left
                first, stop = _valid_columns(out_w, width, offset, stride[1])
                row_offset = i * dilation[0] - top
                top_rows, bottom_rows = _valid_columns(out_h, height, row_offset, stride[0])
                # Rows of padding are zeroed, whole blocks when every row has some.
                zero_rows = top_rows if stop - first == out_w else out_h
                for n in range(batch):
                    block = (((c * kh + i) * kw + j) * batch + n) * out_h * out_w
                    _zero(columns, block, zero_rows * out_w)
                    for r in range(top_rows, bottom_rows):
                        _copy_run(columns, block + r * out_w + first, source,
                                  n * step_n + c * step_c + (r * stride[0] + row_offset) * step_y
                                  + (first * stride[1] + offset) * step_x,
                                  stop - first, stride[1] * step_x)
                    _zero(columns, block + bottom_rows * out_w, (out_h - bottom_rows) * out_w)


@njit(**_options)
def col2im_flat(pieces, piece_strides, piece_shape, grad, grad_strides, grad_size,
                channel_major, stride, dilation, top, left):
    """Add the pieces back where they were read: ``grad[c, n, y, x]`` (element
    strides ``grad_strides``, contiguous rows, ``grad_size`` (H, W)) is 0.0
    plus, for each kernel offset (i, j) in row-major order, the piece of every
    output position that read input pixel (y, x). ``pieces`` is the flat memory
    of a (C, kh, kw, N, oh, ow) array of ``piece_shape`` and element strides
    ``piece_strides``; ``channel_major`` walks the channels outermost.

    Example:
        >>> import numpy as np
        >>> grad = np.empty(3)
        >>> col2im_flat(np.ones(4), (4, 4, 2, 2, 2, 1), (1, 1, 2, 1, 1, 2), grad, (3, 3, 3, 1),
        ...             (1, 3), True, (1, 1), (1, 1), 0, 0)
        >>> grad.tolist()
        [1.0, 2.0, 1.0]
    """
    step_c, step_i, step_j, step_n, step_r, step_q = piece_strides
    channels, kh, kw, batch, out_h, out_w = piece_shape
    grad_c, grad_n, grad_y, _ = grad_strides
    height, width = grad_size
    outer, inner = (channels, batch) if channel_major else (batch, channels)
    for a in range(outer):
        for b in range(inner):
            c, n = (a, b) if channel_major else (b, a)
            plane = c * grad_c + n * grad_n
            for y in range(height):
                _zero(grad, plane + y * grad_y, width)
            # Offset by offset, as the NumPy path adds its slices, on one plane in cache.
            for i in range(kh):
                row_offset = i * dilation[0] - top
                top_rows, bottom_rows = _valid_columns(out_h, height, row_offset, stride[0])
                for j in range(kw):
                    offset = j * dilation[1] - left
                    first, stop = _valid_columns(out_w, width, offset, stride[1])
                    for r in range(top_rows, bottom_rows):
                        _add_run(grad, plane + (r * stride[0] + row_offset) * grad_y
                                 + first * stride[1] + offset, stride[1], pieces,
                                 c * step_c + i * step_i + j * step_j + n * step_n
                                 + r * step_r + first * step_q, step_q, stop - first)


@njit(**_options)
def widen_flat(g, g_strides, out_w, wide, shape):
    """``wide`` (flat C-ordered, ``shape`` (F, N, oh, wider)): each row
    ``g[n, f, r]`` followed by zeros. ``g`` is the flat memory of an
    (N, F, oh, ow) array with element strides ``g_strides``.

    Example:
        >>> import numpy as np
        >>> wide = np.empty(3)
        >>> widen_flat(np.array([1.0, 2.0]), (2, 2, 2, 1), 2, wide, (1, 1, 1, 3)); wide.tolist()
        [1.0, 2.0, 0.0]
    """
    step_n, step_f, step_r, step_q = g_strides
    features, batch, out_h, wide_w = shape
    for f in range(features):
        for n in range(batch):
            for r in range(out_h):
                row = ((f * batch + n) * out_h + r) * wide_w
                _copy_run(wide, row, g, n * step_n + f * step_f + r * step_r, out_w, step_q)
                _zero(wide, row + out_w, wide_w - out_w)


@njit(**_options)
def sum_shifted_runs(pieces, piece_shape, image, image_size, kw, dilation, wide_w, top, left):
    """The stride-1 input gradient from the flat C-ordered pieces
    ``weight.T @ wide g`` of ``piece_shape`` (C, kh * kw, N, oh * wide_w):
    ``image`` (flat C-ordered (C, N, H, W), ``image_size`` (H, W)) at
    (c, n, y, x) is 0.0 plus, offset by offset, ``pieces[c, k, n, t]`` at
    ``t = (y + top) * wide_w + x + left - start(k)`` wherever t is in range:
    the very terms (zero columns and wrap-around included) that the NumPy path
    adds into its flat padded image, in the same order.

    Example:
        >>> import numpy as np
        >>> image = np.empty(3)
        >>> sum_shifted_runs(np.ones(6), (1, 2, 1, 3), image, (1, 3), 2, (1, 1), 3, 0, 0)
        >>> image.tolist()
        [1.0, 2.0, 2.0]
    """
    channels, offsets, batch, run = piece_shape
    height, width = image_size
    kh = offsets // kw
    # One image's flat padded gradient at a time, in cache: the NumPy path's
    # flat image, whose long runs vectorize.
    padded_h = run // wide_w + (kh - 1) * dilation[0]
    flat = np.empty(padded_h * wide_w + (kw - 1) * dilation[1], image.dtype)
    for c in range(channels):
        for n in range(batch):
            _zero(flat, 0, flat.size)
            for k in range(offsets):
                i = k // kw
                _add_run(flat, i * dilation[0] * wide_w + (k - i * kw) * dilation[1], 1, pieces,
                         ((c * offsets + k) * batch + n) * run, 1, run)
            for y in range(height):
                _copy_recent(image, ((c * batch + n) * height + y) * width, flat,
                             (y + top) * wide_w + left, width)


# ------------------------------------------------------------------ when they run
def usable():
    """Whether the kernels can run: numba is installed and none of them failed
    to compile here. (Whether they are *on* is ``_accelerated.enabled()``.)

    Example:
        >>> from ndgrad.ops import _numba_convolution
        >>> _numba_convolution.usable() in (True, False)
        True
    """
    return _family.usable()


def _flat_memory(array):
    """The 1-D view of a dense ``array``'s memory and the element strides of its
    axes; None when it is not dense (gaps, negative strides): NumPy's work then."""
    in_memory = array.transpose(memory_order(array))
    if not in_memory.flags.c_contiguous:
        return None
    return in_memory.reshape(-1), tuple(s // array.itemsize for s in array.strides)


def _floating(*arrays):
    """Whether the arrays share one float32 or float64 dtype (what the kernels take)."""
    return arrays[0].dtype in _FLOATS and all(a.dtype == arrays[0].dtype for a in arrays)


# ------------------------------------------------------------------ the calls
def im2col(x, columns, stride, dilation, padding):
    """Fill ``columns`` (C, kh, kw, N, oh, ow, C-ordered) with the windows of
    the logical (N, C, H, W) ``x``, as ``convolution_geometry.im2col`` does;
    False (and nothing written) when the kernel does not take these arrays.

    Example:
        >>> import numpy as np
        >>> columns = np.empty((1, 1, 2, 1, 1, 2))
        >>> im2col(np.array([[[[1.0, 2.0]]]]), columns, (1, 1), (1, 1), ((0, 0), (0, 1)))
        True
        >>> columns.ravel().tolist()
        [1.0, 2.0, 2.0, 0.0]
        >>> im2col(np.array([[[[1.0, 2.0, 3.0]]]]), columns, (1, 2), (1, 1), ((0, 0), (0, 0)))
        False
    """
    source = _flat_memory(x)
    # Rows read with gaps (channels last, a stride across columns) copy one
    # float at a time here, no faster than NumPy (0.74 against 0.61 ms): NumPy's.
    if (source is None or source[1][3] * stride[1] != 1 or not _floating(x, columns)
            or not columns.flags.c_contiguous):
        return False
    return _run(im2col_flat, source[0], source[1], x.shape[2], x.shape[3], columns.reshape(-1),
               columns.shape, stride, dilation, padding[0][0], padding[1][0])


def col2im(pieces, grad, stride, dilation, padding):
    """Write into ``grad`` (logical (C, N, H, W), dense with contiguous rows) the
    sums of the (C, kh, kw, N, oh, ow) ``pieces`` that
    ``convolution_geometry.col2im`` adds up; False (and nothing written) when
    the kernel does not take these arrays.

    Example:
        >>> import numpy as np
        >>> grad = np.empty((1, 1, 1, 3))
        >>> col2im(np.ones((1, 1, 2, 1, 1, 2)), grad, (1, 1), (1, 1), ((0, 0), (0, 0)))
        True
        >>> grad.ravel().tolist()
        [1.0, 2.0, 1.0]
    """
    source, target = _flat_memory(pieces), _flat_memory(grad)
    if source is None or target is None or target[1][3] != 1 or not _floating(pieces, grad):
        return False
    channel_major = abs(grad.strides[0]) >= abs(grad.strides[1])
    return _run(col2im_flat, source[0], source[1], pieces.shape, target[0], target[1],
               grad.shape[2:], channel_major, stride, dilation, padding[0][0], padding[1][0])


def widen(g4, wide):
    """Copy the logical (N, F, oh, ow) ``g4`` into the first ``ow`` columns of
    ``wide`` (F, N, oh, wider, C-ordered) and zero the rest; False (and nothing
    written) when the kernel does not take these arrays.

    Example:
        >>> import numpy as np
        >>> wide = np.empty((1, 1, 1, 3))
        >>> widen(np.ones((1, 1, 1, 2)), wide), wide.ravel().tolist()
        (True, [1.0, 1.0, 0.0])
    """
    source = _flat_memory(g4)
    if source is None or not _floating(g4, wide) or not wide.flags.c_contiguous:
        return False
    return _run(widen_flat, source[0], source[1], g4.shape[3], wide.reshape(-1), wide.shape)


def sum_shifted(pieces, image, kw, dilation, wide_w, top, left):
    """:func:`sum_shifted_runs` from ``pieces`` (C, kh * kw, N, oh * wide_w)
    into ``image`` (C, N, H, W), both C-ordered; False (and nothing written)
    when the kernel does not take these arrays.

    Example:
        >>> import numpy as np
        >>> image = np.empty((1, 1, 1, 2))
        >>> sum_shifted(np.ones((1, 2, 1, 2)), image, 2, (1, 1), 2, 0, 0), image.ravel().tolist()
        (True, [1.0, 2.0])
    """
    if not (_floating(pieces, image) and pieces.flags.c_contiguous and image.flags.c_contiguous):
        return False
    return _run(sum_shifted_runs, pieces.reshape(-1), pieces.shape, image.reshape(-1),
               image.shape[2:], kw, dilation, wide_w, top, left)
