"""Pooling with indices: ``max_pool1d/2d(return_indices=True)``, adaptive max
pooling and max unpooling, as PyTorch defines them.

An index is a position in the flattened spatial plane of the input (``h * W +
w``), int64, one per output value: the first maximum of its window in
row-major order, which is also where max pooling sends the gradient.

Three primitives on the flattened planes carry the values: ``take_flat``
reads positions (its gradient adds back with ``scatter_flat_add``, one
``bincount``), and ``place_flat`` writes values into zeros at positions (max
unpooling; its gradient reads them back, as PyTorch's does). Adaptive max
pooling gathers every window at once, padded to the longest window with
repeats of its last cell (which can never be an earlier first maximum), takes
the argmax, and reads the values through ``take_flat``.

Example:
    >>> from ndgrad.nn.functional import max_unpool1d
    >>> from ndgrad.nn.functional import adaptive_max_pool1d
    >>> import ndgrad
    >>> x = ndgrad.tensor([[[1.0, 5.0, 2.0, 7.0]]])
    >>> out, indices = adaptive_max_pool1d(x, 2, return_indices=True)
    >>> out.tolist(), indices.tolist()
    ([[[5.0, 7.0]]], [[[1, 3]]])
    >>> max_unpool1d(out, indices, 2).tolist()
    [[[0.0, 5.0, 0.0, 7.0]]]
"""

import numpy as np

from ..autograd.primitive import as_input, data_of, primitive, shape_of
from ..errors import shape_error
from ..tensor import Tensor
from .convolution_geometry import as_tuple, from_channels_first, to_channels_first
from .pooling import _first_maxima, _pooling, pooling_geometry
from .pooling_adaptive import _target_sizes
from .shape import expand_dims, reshape, squeeze

__all__ = ["adaptive_max_pool1d", "adaptive_max_pool2d", "max_unpool1d", "max_unpool2d"]


# ------------------------------------------------------------------ the primitives
@primitive(name="take_flat", reads=())
def _take_flat(x, indices):
    return np.take_along_axis(x, indices, axis=-1)


@_take_flat.defvjp
def _take_flat_vjp(g, out, x, indices):
    return _scatter_flat_add(g, indices=indices, length=shape_of(x)[-1])


@primitive(name="scatter_flat_add", reads=())
def _scatter_flat_add(g, indices, length):
    """Zeros of (..., length) with each value of ``g`` added at its index (repeats add)."""
    rows = int(np.prod(g.shape[:-1], dtype=np.int64))
    positions = (np.arange(rows)[:, None] * length + indices.reshape(rows, -1)).ravel()
    total = np.bincount(positions, weights=g.reshape(-1), minlength=rows * length)
    dtype = g.dtype if g.dtype.kind == "f" else np.float32
    return total.astype(dtype, copy=False).reshape(g.shape[:-1] + (length,))


@_scatter_flat_add.defvjp
def _scatter_flat_add_vjp(h, out, g, indices, length):
    return _take_flat(h, indices=indices)


@primitive(name="max_unpool", reads=())
def _place_flat(x, indices, length):
    """Zeros of (..., length) with each value of ``x`` written at its index."""
    out = np.zeros(x.shape[:-1] + (length,), dtype=x.dtype if x.dtype.kind == "f"
                   else np.float32)
    np.put_along_axis(out, indices, x, axis=-1)
    return out


@_place_flat.defvjp
def _place_flat_vjp(g, out, x, indices, length):
    return _take_flat(g, indices=indices)


# ------------------------------------------------------------------ max pooling with indices
def _window_maxima_indices(x4, out4, geometry, width):
    """For each output cell, the flat input index of its window's first maximum."""
    indices = np.zeros(out4.shape, dtype=np.int64)
    for (out_rows, out_cols), (in_rows, in_cols), hit in _first_maxima(x4, out4, geometry):
        rows = np.arange(in_rows.start, in_rows.stop, in_rows.step)
        cols = np.arange(in_cols.start, in_cols.stop, in_cols.step)
        np.copyto(indices[:, :, out_rows, out_cols], rows[:, None] * width + cols, where=hit)
    return indices


def max_pool_with_indices(owner, dims, input, kernel_size, stride, padding, dilation,
                          ceil_mode, data_format):
    """``(max_pool(input), indices)``: the pooled tensor (differentiable) and each
    maximum's flat index in its input plane."""
    input = as_input(input)
    rank = len(shape_of(input))
    if rank == dims + 1:
        out, indices = max_pool_with_indices(owner, dims, expand_dims(input, 0), kernel_size,
                                             stride, padding, dilation, ceil_mode, data_format)
        return squeeze(out, 0), indices[0]
    out = _pooling(owner, dims, input, kernel_size, stride, padding, dilation, ceil_mode,
                   data_format)
    geometry = pooling_geometry(owner, dims, input, kernel_size, stride, padding, dilation,
                                ceil_mode, data_format)
    channels_last = geometry["channels_last"]
    x, y = np.asarray(data_of(input)), np.asarray(data_of(out))
    if dims == 1:
        x, y = np.expand_dims(x, 1 + (not channels_last)), np.expand_dims(y, 1 +
                                                                           (not channels_last))
    x4, y4 = to_channels_first(x, channels_last), to_channels_first(y, channels_last)
    indices = _window_maxima_indices(x4, y4, geometry, x4.shape[-1])
    indices = from_channels_first(indices, channels_last, rank)
    return out, Tensor(indices)


# ------------------------------------------------------------------ adaptive max pooling
def _adaptive_windows(size, count):
    """(count, longest) input positions of PyTorch's adaptive windows along one
    dimension, short windows padded with repeats of their last position."""
    starts = (np.arange(count) * size) // count
    stops = -((-(np.arange(count) + 1) * size) // count)
    longest = int((stops - starts).max())
    return np.minimum(starts[:, None] + np.arange(longest), stops[:, None] - 1)


def _adaptive_max(owner, dims, input, output_size, return_indices):
    input = as_input(input)
    shape = shape_of(input)
    if len(shape) == dims + 1:
        result = _adaptive_max(owner, dims, expand_dims(input, 0), output_size, return_indices)
        if return_indices:
            return squeeze(result[0], 0), result[1][0]
        return squeeze(result, 0)
    if len(shape) != dims + 2:
        layout = "(N, C, L)" if dims == 1 else "(N, C, H, W)"
        raise shape_error(owner, [input], f"expected a {dims + 2}-D input {layout} (or "
                          f"{dims + 1}-D unbatched), got {len(shape)}-D")
    spatial = tuple(shape[2:])
    if 0 in spatial:
        raise shape_error(owner, [input], "the spatial dimensions must not be empty")
    sizes = _target_sizes(output_size, spatial, owner)
    if dims == 1:
        spatial, sizes = (1,) + spatial, (1,) + sizes
    rows = _adaptive_windows(spatial[0], sizes[0])
    cols = _adaptive_windows(spatial[1], sizes[1])
    windows = (rows[:, None, :, None] * spatial[1] + cols[None, :, None, :])
    windows = windows.reshape(sizes[0] * sizes[1], -1)               # (cells, window)
    planes = np.asarray(data_of(input)).reshape(shape[:2] + (-1,))
    first = planes[:, :, windows].argmax(axis=-1)                    # (N, C, cells)
    indices = windows[np.arange(windows.shape[0]), first]
    out_shape = tuple(shape[:2]) + (sizes[1:] if dims == 1 else sizes)
    out = reshape(_take_flat(reshape(input, shape[:2] + (-1,)), indices=indices), out_shape)
    return (out, Tensor(indices.reshape(out_shape))) if return_indices else out


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Max pooling to a fixed output size, as ``torch.nn.functional.adaptive_max_pool2d``:
    output cell (i, j) takes the maximum of rows ``floor(i * H / oh)`` to
    ``ceil((i + 1) * H / oh)`` and the same for columns.

    Args:
        input: (N, C, H, W) or unbatched (C, H, W).
        output_size: an int or a pair (None keeps that dimension).
        return_indices: also return each maximum's flat index in its input plane.

    Example:
        >>> from ndgrad.nn.functional import adaptive_max_pool2d
        >>> import ndgrad
        >>> adaptive_max_pool2d(ndgrad.arange(12.0).reshape(1, 1, 3, 4), (2, 1)).tolist()
        [[[[7.0], [11.0]]]]
    """
    return _adaptive_max("adaptive_max_pool2d", 2, input, output_size, return_indices)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Max pooling of a (N, C, L) (or (C, L)) sequence to a fixed length, as
    ``torch.nn.functional.adaptive_max_pool1d``.

    Example:
        >>> from ndgrad.nn.functional import adaptive_max_pool1d
        >>> import ndgrad
        >>> adaptive_max_pool1d(ndgrad.tensor([[[3.0, 1.0, 4.0, 1.0, 5.0]]]), 3).tolist()
        [[[3.0, 4.0, 5.0]]]
    """
    return _adaptive_max("adaptive_max_pool1d", 1, input, output_size, return_indices)


# ------------------------------------------------------------------ max unpooling
def _unpool_size(owner, spatial, kernel, stride, padding, output_size):
    default = tuple((s - 1) * st + k - 2 * p for s, k, st, p in
                    zip(spatial, kernel, stride, padding))
    if output_size is None:
        sizes = default
    else:
        sizes = tuple(int(n) for n in output_size)
        if len(sizes) == len(kernel) + 2:
            sizes = sizes[2:]
        if len(sizes) != len(kernel):
            raise ValueError(f"{owner}: output_size must have {len(kernel)} or "
                             f"{len(kernel) + 2} entries, got {tuple(output_size)}")
        for d, (n, base, st) in enumerate(zip(sizes, default, stride)):
            if not base - st < n < base + st:
                raise ValueError(f"{owner}: invalid output_size {tuple(output_size)} (dim {d} "
                                 f"must be between {base - st} and {base + st}, exclusive)")
    if any(n <= 0 for n in sizes):
        raise ValueError(f"{owner}: the output size {sizes} must be positive")
    return sizes


def _unpool(owner, dims, input, indices, kernel_size, stride, padding, output_size):
    input = as_input(input)
    shape = shape_of(input)
    index_array = np.asarray(data_of(as_input(indices)))
    if len(shape) not in (dims + 1, dims + 2):
        raise shape_error(owner, [input], f"expected a {dims + 2}-D input (or {dims + 1}-D "
                          f"unbatched), got {len(shape)}-D")
    if index_array.shape != tuple(shape):
        raise shape_error(owner, [input, index_array], "indices must have the input's shape "
                          "(as max pooling with return_indices=True gives them)")
    if index_array.dtype.kind not in "iu":
        raise TypeError(f"{owner}: indices must be integers, got {index_array.dtype}")
    kernel = as_tuple(kernel_size, dims, "kernel_size", owner)
    stride = kernel if stride is None else as_tuple(stride, dims, "stride", owner)
    padding = as_tuple(padding, dims, "padding", owner, minimum=0)
    sizes = _unpool_size(owner, shape[-dims:], kernel, stride, padding, output_size)
    length = int(np.prod(sizes))
    if index_array.size and (index_array.min() < 0 or index_array.max() >= length):
        bad = index_array[(index_array < 0) | (index_array >= length)].flat[0]
        raise IndexError(f"{owner}: found an invalid max index {bad} (the output planes "
                         f"{sizes} have {length} positions)")
    lead = tuple(shape[:-dims])
    flat = reshape(input, lead + (-1,))
    out = _place_flat(flat, indices=index_array.reshape(lead + (-1,)).astype(np.int64),
                      length=length)
    return reshape(out, lead + sizes)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of ``max_pool2d``, as ``torch.nn.functional.max_unpool2d``:
    zeros everywhere except each maximum, written back at its index.

    Args:
        input, indices: the outputs of ``max_pool2d(..., return_indices=True)``,
            (N, C, h, w) or unbatched (C, h, w).
        kernel_size, stride, padding: those of the pooling.
        output_size: the (H, W) (or (N, C, H, W)) to produce, when the pooling
            dropped cells; default ``(h - 1) * stride + kernel - 2 * padding``.

    Example:
        >>> from ndgrad.nn.functional import max_unpool2d
        >>> import ndgrad
        >>> from ndgrad.ops.pooling import max_pool2d
        >>> out, indices = max_pool2d(ndgrad.arange(16.0).reshape(1, 1, 4, 4), 2,
        ...                           return_indices=True)
        >>> max_unpool2d(out, indices, 2).numpy()[0, 0, :2].tolist()
        [[0.0, 0.0, 0.0, 0.0], [0.0, 5.0, 0.0, 7.0]]
    """
    return _unpool("max_unpool2d", 2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of ``max_pool1d``, as ``torch.nn.functional.max_unpool1d``
    (arguments as :func:`max_unpool2d`, single ints).

    Example:
        >>> from ndgrad.nn.functional import max_unpool1d
        >>> import ndgrad
        >>> max_unpool1d(ndgrad.tensor([[[4.0]]]), ndgrad.tensor([[[1]]]), 2).tolist()
        [[[0.0, 4.0]]]
    """
    return _unpool("max_unpool1d", 1, input, indices, kernel_size, stride, padding, output_size)
