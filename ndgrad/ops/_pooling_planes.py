"""Max pooling over side-by-side windows in whole-array passes (NumPy alone).

NumPy runs an elementwise op over a window slice such as ``x[:, :, 0::2, 0::2]``
as one inner loop per output row: 13 elements for the small CNN of
``bench/``, and the loop's start costs more than its work (a strided
``np.maximum`` of (64, 16, 13, 13) floats took 230 us, a contiguous one of
four times as many 50). So here every pass runs over the image planes as one
flat array: when each (H, W) plane lies contiguous in memory, a cell's right
neighbour is the next element and the cell below it ``W`` elements further,
and comparing the flat array with itself shifted by 1 or ``W`` compares
every cell with its neighbour in one long contiguous loop. The results are
right at the cells that matter (a window's first column or row) and
meaningless elsewhere, where nothing reads them.

- :func:`max_pool` (kernel == stride, no padding or dilation, any window):
  the maxima of kw cells along rows, then of kh of those along columns, both
  in flat passes, then one strided pick of the window starts.
- :func:`max_pool_scatter` (2x2 windows): which cell of each window is its
  first maximum in row-major order (PyTorch's rule) comes from pairwise
  comparisons, ``x[p + 1] > x[p]`` along rows and the same between the row
  maxima ``W`` apart (strict, so ties go to the first); three picks at the
  window starts give each window's row and column, hence the flat index of
  its maximum, and one fancy-indexed assignment writes the gradient there
  into a zeroed array. Cells that are not a window's maximum get 0 (also
  where the incoming gradient is infinite or NaN, as the numba kernels and
  PyTorch). Windows whose maximum is NaN are left to the general path, which
  gives them no gradient.

Measured against the offset-by-offset path (float32, minimum CPU time, a
loaded 2-core machine): forward of the small CNN's (64, 16, 26, 26) 250
against 330 us, (64, 64, 16, 16) 380 against 580 (larger inputs keep the
row passes, see ``FORWARD_MAX_BYTES``); gradient of CIFAR-size planes
(64, 32, 32, 32) 3.8-3.9 against 5.1-5.6 ms and (64, 64, 16, 16) 1.6-2.0
against 1.6-2.3, of the small CNN's planes about the same (0.3-1.5 ms).

Same numbers as the offset-by-offset path of ``pooling`` (tested against it).
"""

import numpy as np

from . import _reusable_buffers as buffers
from .convolution_geometry import memory_order

__all__ = []

# The flat forward reads and writes the whole input twice; past a few megabytes
# (out of cache) that costs more than the row-then-column passes of
# ``pooling._max_pool_partition`` (measured: (64, 32, 32, 32) float32, 1.6-1.9
# ms against 1.1-1.8; (64, 64, 16, 16), 4 MiB, 0.38 against 0.58 ms).
FORWARD_MAX_BYTES = 4 * 2 ** 20
_starts = {}                    # (planes, H, W, oh, ow) -> flat index of each window's start


def flat_planes(array):
    """The flat view of a logical (N, C, H, W) array whose planes are each
    contiguous (NCHW or (C, N, H, W) in memory) and packed; else None."""
    order = memory_order(array)
    if order[2:] != (2, 3):
        return None
    in_memory = array.transpose(order)
    return in_memory.reshape(-1) if in_memory.flags.c_contiguous else None


def _window_starts(flat, plane_shape, out_size, kernel):
    """The cells of ``flat`` (planes of ``plane_shape``) where windows start, as a
    (planes, oh, ow) view."""
    height, width = plane_shape
    planes = flat.reshape(-1, height, width)
    return planes[:, 0:out_size[0] * kernel[0]:kernel[0], 0:out_size[1] * kernel[1]:kernel[1]]


def max_pool(x4, out4, kernel):
    """Side-by-side windows' maxima into ``out4`` (laid out as ``x4``); False
    (nothing written) when the planes are not contiguous or the input is larger
    than ``FORWARD_MAX_BYTES``."""
    if x4.nbytes > FORWARD_MAX_BYTES:
        return False
    flat, target = flat_planes(x4), flat_planes(out4)
    if flat is None or target is None or memory_order(x4) != memory_order(out4):
        return False
    kh, kw = kernel
    width, size = x4.shape[3], flat.size
    rows = flat
    if kw > 1:            # rows[p] = max(x[p], ..., x[p + kw - 1])
        rows = buffers.empty((size,), x4.dtype)
        np.maximum(flat[:size - 1], flat[1:], out=rows[:size - 1])
        for j in range(2, kw):
            np.maximum(rows[:size - j], flat[j:], out=rows[:size - j])
    windows = rows
    if kh > 1:            # windows[p] = max(rows[p], rows[p + W], ..., rows[p + (kh-1) W])
        windows = buffers.empty((size,), x4.dtype)
        span = size - (kw - 1)
        np.maximum(rows[:span - width], rows[width:span], out=windows[:span - width])
        for i in range(2, kh):
            np.maximum(windows[:span - i * width], rows[i * width:span],
                       out=windows[:span - i * width])
    np.copyto(target.reshape(-1, *out4.shape[2:]),
              _window_starts(windows, x4.shape[2:], out4.shape[2:], kernel))
    return True


def _window_start_indices(planes, plane_shape, out_size):
    """The flat index of every window's first cell, (planes * oh * ow,) intp; cached."""
    key = (planes,) + tuple(plane_shape) + tuple(out_size)
    if key not in _starts:
        height, width = plane_shape
        cells = np.arange(planes * height * width, dtype=np.intp)
        if len(_starts) >= 4:
            _starts.clear()
        _starts[key] = np.ascontiguousarray(
            _window_starts(cells, plane_shape, out_size, (2, 2))).reshape(-1)
    return _starts[key]


def max_pool_scatter(g4, x4, out4, grad4):
    """The gradient of 2x2 / stride-2 max pooling into ``grad4`` (every cell
    written): ``g4`` at each window's first maximum, zeros elsewhere. False,
    nothing written, when the planes are not contiguous in one layout or a
    window's maximum is NaN (the general path handles those)."""
    order = memory_order(x4)
    if x4.dtype.kind != "f" or order[2:] != (2, 3):
        return False
    if flat_planes(g4) is None or memory_order(g4) != order:
        # e.g. a convolution's input gradient, a view into a wider grid: packed
        # here in one copy of the (small) pooled gradient
        packed = buffers.empty_in_order(g4.shape, order, g4.dtype)
        np.copyto(packed, g4)
        g4 = packed
    flats = [flat_planes(a) for a in (g4, x4, out4, grad4)]
    if any(f is None for f in flats) or len({memory_order(a) for a in (x4, out4, grad4)}) != 1:
        return False
    g, x, out, grad = flats
    if out.size == 0 or np.isnan(out.max()):       # the max is NaN when any value is
        return False
    height, width = x4.shape[2:]
    out_size, size = out4.shape[2:], x.size
    windows = (size // (height * width),) + out_size
    # Is a window row's second cell larger than its first (ties go to the first)?
    right = buffers.empty((size,), bool)
    np.greater(x[1:], x[:-1], out=right[:-1])
    # The window rows' maxima, and is the second row's larger?
    row_max = buffers.empty((size,), x.dtype)
    np.maximum(x[:-1], x[1:], out=row_max[:-1])
    lower = buffers.empty((size,), bool)
    np.greater(row_max[width:-1], row_max[:-width - 1], out=lower[:-width - 1])
    # Per window: the row, and the column chosen in that row.
    chosen_row = np.empty(windows, bool)
    np.copyto(chosen_row, _window_starts(lower, (height, width), out_size, (2, 2)))
    column = np.empty(windows, bool)
    np.copyto(column, _window_starts(right, (height, width), out_size, (2, 2)))
    second_row_column = np.empty(windows, bool)
    np.copyto(second_row_column,
              right.reshape(windows[0], height, width)[:, 1:2 * out_size[0]:2, 0:2 * out_size[1]:2])
    # column = chosen_row ? second_row_column : column, as column ^ ((s ^ column) & row)
    np.logical_xor(second_row_column, column, out=second_row_column)
    np.logical_and(second_row_column, chosen_row, out=second_row_column)
    np.logical_xor(column, second_row_column, out=column)
    # The maximum's offset from its window's start, W * row + column, in the smallest
    # integers that hold it (casting bools to intp is the slow part), then the index.
    small = np.uint16 if width < 2 ** 16 - 1 else np.intp
    offset = np.multiply(chosen_row.reshape(-1).view(np.uint8), small(width), dtype=small)
    np.add(offset, column.reshape(-1).view(np.uint8), out=offset)
    index = np.add(_window_start_indices(windows[0], (height, width), out_size), offset)
    grad.fill(0)
    grad[index] = g
    return True
