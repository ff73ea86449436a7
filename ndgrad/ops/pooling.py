"""Max and average pooling: primitives whose gradients are primitives too.

Pooling loops over the kh * kw offsets of the window, never over pixels: for
each offset, one strided slice of the input (the pixel every window reads at
that offset) is folded into the output with one vectorized ``np.maximum`` or
``+=``. Padding is never materialized: each offset only touches the output
positions whose pixel at that offset is real input, which is the same as
padding with -inf (max) or zeros (average). Outputs keep the input's memory
layout.

Max pooling with 2x2 windows and stride 2 runs as compiled loops when the
optional numba is installed (``_accelerated``: the same numbers, several
times faster); outputs and gradients come from ``_reusable_buffers``. Without
numba, side-by-side windows over contiguous image planes (NCHW, or the
(C, N, H, W) a convolution writes) run in flat whole-array passes
(``_pooling_planes``: the forward up to a few megabytes, the 2x2 gradient).

The gradient of max pooling goes to one element per window, the first
maximum in row-major order, as PyTorch does; it is a primitive
(``max_pool_scatter``) whose own gradient gathers at the same positions, so
second order works. Average pooling and its gradient are each other's adjoint.

Example:
    >>> from ndgrad.nn.functional import max_pool2d
    >>> import ndgrad
    >>> x = ndgrad.Variable([[[[1.0, 2.0], [4.0, 3.0]]]])
    >>> y = max_pool2d(x, 2)
    >>> y.sum().backward(); y.tolist(), x.grad.tolist()
    ([[[[4.0]]]], [[[[0.0, 0.0], [1.0, 0.0]]]])
"""

import numpy as np

from ..autograd.primitive import as_input, primitive, shape_of
from ..errors import shape_error
from . import _accelerated, _pooling_planes
from . import _reusable_buffers as buffers
from .convolution_geometry import (as_tuple, channels_last_flag, check_positive_output,
                                   empty_like_layout, from_channels_first, memory_order,
                                   offset_ranges, output_size, resolve_padding,
                                   to_channels_first)
from .shape import expand_dims, squeeze

__all__ = ["max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d"]


def _logical(arrays, channels_last):
    return [to_channels_first(np.asarray(a), channels_last) for a in arrays]


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


# ------------------------------------------------------------------ max pooling
@primitive(name="max_pool", saves_output=True, reads=(0,))
def _max_pool(x, kernel, stride, dilation, padding, out_size, channels_last):
    (x4,) = _logical([x], channels_last)
    out = empty_like_layout(x4, x4.shape[:2] + out_size, x4.dtype)
    if _accelerated.max_pool_forward(x4, out, kernel, stride, dilation, padding):
        return from_channels_first(out, channels_last, x.ndim)
    if _windows_partition(kernel, stride, dilation, padding, x4.shape[2:], out_size):
        if not _pooling_planes.max_pool(x4, out, kernel):
            _max_pool_partition(x4, out, kernel)
    else:
        out.fill(_lowest(x4.dtype))
        for (out_rows, out_cols), (in_rows, in_cols) in offset_ranges(
                kernel, stride, dilation, padding, x4.shape[2:], out_size):
            window = out[:, :, out_rows, out_cols]
            np.maximum(window, x4[:, :, in_rows, in_cols], out=window)
    return from_channels_first(out, channels_last, x.ndim)


def _windows_partition(kernel, stride, dilation, padding, in_size, out_size):
    """Whether the windows sit side by side without gaps or overlap (kernel ==
    stride, no padding or dilation); cells past the last window may be left over."""
    return (dilation == (1, 1) and kernel == stride and padding == ((0, 0), (0, 0))
            and all(o * k <= size for o, k, size in zip(out_size, kernel, in_size)))


def _max_pool_partition(x4, out, kernel):
    """Max pooling of side-by-side windows, rows first: the window rows are
    folded together on whole input rows (inner loops run along contiguous
    rows), then the columns of that (N, C, oh, W) array. For 2x2 windows that
    is two passes instead of a fill and four strided ones: ``_max_pool`` on
    the CNN's (64, 16, 26, 26) input went from 323 to 288 us, (64, 16, 28, 28)
    from 366 to 306 us (NCHW) and 315 to 277 us (channels last)."""
    kh, kw = kernel
    oh, ow = out.shape[2:]
    rows = [x4[:, :, i:oh * kh:kh, :ow * kw] for i in range(kh)]
    if kh == 1:
        folded = rows[0]                            # nothing to fold: read the input
    else:
        folded = out if kw == 1 else empty_like_layout(x4, out.shape[:3] + (ow * kw,),
                                                       x4.dtype)
        np.maximum(rows[0], rows[1], out=folded)
        for row in rows[2:]:
            np.maximum(folded, row, out=folded)
    if kw == 1:
        if kh == 1:
            np.copyto(out, folded)
        return
    np.maximum(folded[..., 0::kw], folded[..., 1::kw], out=out)
    for j in range(2, kw):
        np.maximum(out, folded[..., j::kw], out=out)


@_max_pool.defvjp
def _max_pool_vjp(g, out, x, **geometry):
    return _max_pool_scatter(g, x, out, **geometry)


def _first_maxima(x4, out4, geometry):
    """For each offset: (output slices, input slices, mask of the windows whose
    first maximum in row-major order sits at this offset). The mask is one
    buffer, overwritten at the next offset."""
    ranges = offset_ranges(geometry["kernel"], geometry["stride"], geometry["dilation"],
                           geometry["padding"], x4.shape[2:], out4.shape[2:])
    taken = empty_like_layout(out4, out4.shape, bool)
    taken.fill(False)
    hits = empty_like_layout(out4, out4.shape, bool)
    for index, ((out_rows, out_cols), (in_rows, in_cols)) in enumerate(ranges):
        hit = hits[:, :, out_rows, out_cols]
        np.equal(x4[:, :, in_rows, in_cols], out4[:, :, out_rows, out_cols], out=hit)
        already = taken[:, :, out_rows, out_cols]
        if index:                                    # nothing is taken before the first
            np.greater(hit, already, out=hit)        # hit and not already taken
        if index < len(ranges) - 1:
            already |= hit
        yield (out_rows, out_cols), (in_rows, in_cols), hit


def _copy_in_order(array, order):
    """A copy of ``array`` laid out in memory in the axes order ``order``."""
    copy = buffers.empty_in_order(array.shape, order, array.dtype)
    np.copyto(copy, array)
    return copy


def _windows_overlap(kernel, stride, dilation):
    return any(s < (k - 1) * d + 1 for k, s, d in zip(kernel, stride, dilation))


def _windows_tile(kernel, stride, dilation, padding, in_size, out_size):
    """Whether the windows cover every input cell exactly once."""
    return (dilation == (1, 1) and kernel == stride and padding == ((0, 0), (0, 0))
            and all(o * s == size for o, s, size in zip(out_size, stride, in_size)))


@primitive(name="max_pool_scatter", reads=(1, 2))
def _max_pool_scatter(g, x, out, kernel, stride, dilation, padding, out_size, channels_last):
    """Route each window's gradient to its first maximum (the gradient of max pooling)."""
    g4, x4, out4 = _logical([g, x, out], channels_last)
    geometry = dict(kernel=kernel, stride=stride, dilation=dilation, padding=padding)
    grad = empty_like_layout(x4, x4.shape, g4.dtype)
    if _accelerated.max_pool_scatter(g4, x4, out4, grad, **geometry):
        return from_channels_first(grad, channels_last, len(shape_of(x)))
    order = memory_order(x4)
    if memory_order(g4) != order:
        # One copy into the input's layout: otherwise every pass below walks
        # g across the grain (several times slower than the copy).
        g4 = _copy_in_order(g4, order)
    if (kernel == (2, 2) and _windows_partition(kernel, stride, dilation, padding,
                                                x4.shape[2:], out4.shape[2:])
            and _pooling_planes.max_pool_scatter(g4, x4, out4, grad)):
        return from_channels_first(grad, channels_last, len(shape_of(x)))
    overlap = _windows_overlap(kernel, stride, dilation)
    if not _windows_tile(kernel, stride, dilation, padding, x4.shape[2:], out4.shape[2:]):
        grad.fill(0)                                 # cells no window writes
    for (out_rows, out_cols), (in_rows, in_cols), hit in _first_maxima(x4, out4, geometry):
        target = grad[:, :, in_rows, in_cols]
        # Products with the mask: NumPy's masked add (where=) is several times slower.
        # Windows that do not overlap own their pixels, so the product is written
        # straight into place.
        if overlap:
            target += g4[:, :, out_rows, out_cols] * hit
        else:
            np.multiply(g4[:, :, out_rows, out_cols], hit, out=target)
    return from_channels_first(grad, channels_last, len(shape_of(x)))


@_max_pool_scatter.defvjp
def _max_pool_scatter_vjp(h, result, g, x, out, needs, **geometry):
    return (_max_pool_gather(h, x, out, **geometry) if needs[0] else None), None, None


@primitive(name="max_pool_gather", reads=(1, 2))
def _max_pool_gather(h, x, out, kernel, stride, dilation, padding, out_size, channels_last):
    """Read each window's first maximum position from ``h`` (the adjoint of the scatter)."""
    h4, x4, out4 = _logical([h, x, out], channels_last)
    geometry = dict(kernel=kernel, stride=stride, dilation=dilation, padding=padding)
    result = empty_like_layout(out4, out4.shape, h4.dtype)
    result.fill(0)
    for (out_rows, out_cols), (in_rows, in_cols), hit in _first_maxima(x4, out4, geometry):
        target = result[:, :, out_rows, out_cols]
        target += h4[:, :, in_rows, in_cols] * hit       # one hit per window in all
    return from_channels_first(result, channels_last, len(shape_of(out)))


@_max_pool_gather.defvjp
def _max_pool_gather_vjp(g, result, h, x, out, needs, **geometry):
    return (_max_pool_scatter(g, x, out, **geometry) if needs[0] else None), None, None


# ------------------------------------------------------------------ average pooling
@primitive(name="avg_pool", reads=())
def _avg_pool(x, kernel, stride, dilation, padding, out_size, channels_last, divisor):
    (x4,) = _logical([x], channels_last)
    dtype = x4.dtype if x4.dtype.kind == "f" else np.dtype(np.float32)
    out = empty_like_layout(x4, x4.shape[:2] + out_size, dtype)
    out.fill(0)
    for (out_rows, out_cols), (in_rows, in_cols) in offset_ranges(
            kernel, stride, dilation, padding, x4.shape[2:], out_size):
        window = out[:, :, out_rows, out_cols]
        window += x4[:, :, in_rows, in_cols]
    out /= np.asarray(divisor, dtype=dtype)
    return from_channels_first(out, channels_last, x.ndim)


@_avg_pool.defvjp
def _avg_pool_vjp(g, out, x, **geometry):
    return _avg_pool_adjoint(g, input_shape=shape_of(x), **geometry)


@primitive(name="avg_pool_adjoint", reads=())
def _avg_pool_adjoint(g, input_shape, kernel, stride, dilation, padding, out_size,
                      channels_last, divisor):
    """Spread each window's gradient evenly over the window (the gradient of average pooling)."""
    (g4,) = _logical([g], channels_last)
    shares = g4 / np.asarray(divisor, dtype=g4.dtype)
    in_size = ((1, input_shape[1] if channels_last else input_shape[2]) if len(input_shape) == 3
               else tuple(input_shape[1:3] if channels_last else input_shape[2:]))
    grad = empty_like_layout(g4, g4.shape[:2] + in_size, g4.dtype)
    grad.fill(0)
    for (out_rows, out_cols), (in_rows, in_cols) in offset_ranges(
            kernel, stride, dilation, padding, in_size, out_size):
        target = grad[:, :, in_rows, in_cols]
        target += shares[:, :, out_rows, out_cols]
    return from_channels_first(grad, channels_last, len(input_shape))


@_avg_pool_adjoint.defvjp
def _avg_pool_adjoint_vjp(h, out, g, input_shape, **geometry):
    return _avg_pool(h, **geometry)


def _window_counts(size, count, kernel, stride, dilation, before, low, high):
    """For each of ``count`` windows along one dimension, how many of its cells
    fall inside [low, high) (positions counted from the unpadded input's start)."""
    starts = np.arange(count) * stride - before
    cells = starts[:, None] + np.arange(kernel) * dilation
    return ((cells >= low) & (cells < high)).sum(axis=1)


def _divisor(spatial, out_size, kernel, stride, dilation, padding, count_include_pad,
             divisor_override):
    """What each window's sum is divided by: the override, or the number of its
    cells inside the padded input (``count_include_pad``) or the real input.
    A float when every window has the same count, else an (oh, ow) array."""
    if divisor_override is not None:
        return float(divisor_override)
    counts = [_window_counts(size, count, k, s, d, before,
                             -before if count_include_pad else 0,
                             size + after if count_include_pad else size)
              for size, count, k, s, d, (before, after)
              in zip(spatial, out_size, kernel, stride, dilation, padding)]
    divisor = np.outer(counts[0], counts[1]).astype(np.float64)
    return float(divisor.flat[0]) if divisor.size and (divisor == divisor.flat[0]).all() \
        else divisor


# ------------------------------------------------------------------ functional forms
def pooling_geometry(owner, dims, input, kernel_size, stride, padding, dilation, ceil_mode,
                     data_format):
    """The checked window geometry of a batched pooling call, as the primitives take it
    (kernel, stride, dilation, padding pairs, out_size, channels_last; 1-D as 2-D)."""
    channels_last = channels_last_flag(data_format, owner)
    kernel = as_tuple(kernel_size, dims, "kernel_size", owner)
    stride = kernel if stride is None else as_tuple(stride, dims, "stride", owner)
    dilation = as_tuple(dilation, dims, "dilation", owner)
    spatial = shape_of(input)[1:-1] if channels_last else shape_of(input)[2:]
    pairs = resolve_padding(padding, spatial, kernel, stride, dilation, owner)
    if not isinstance(padding, str):
        for (before, after), k in zip(pairs, kernel):
            if max(before, after) > k // 2:
                raise ValueError(f"{owner}: padding {padding!r} must be at most half the "
                                 f"kernel size {kernel}, as in PyTorch")
    out_size = tuple(output_size(s, k, st, d, b, a, ceil_mode) for s, k, st, d, (b, a)
                     in zip(spatial, kernel, stride, dilation, pairs))
    check_positive_output(owner, [input], spatial, kernel, dilation, pairs, out_size)
    if dims == 1:
        kernel, stride, dilation = (1,) + kernel, (1,) + stride, (1,) + dilation
        pairs, out_size = ((0, 0),) + pairs, (1,) + out_size
    return dict(kernel=kernel, stride=stride, dilation=dilation, padding=pairs,
                out_size=out_size, channels_last=channels_last)


def _pooling(owner, dims, input, kernel_size, stride, padding, dilation, ceil_mode,
             data_format, average=False, count_include_pad=True, divisor_override=None):
    input = as_input(input)
    channels_last = channels_last_flag(data_format, owner)
    rank = len(shape_of(input))
    if rank == dims + 1:        # unbatched, as PyTorch allows
        return squeeze(_pooling(owner, dims, expand_dims(input, 0), kernel_size, stride,
                                padding, dilation, ceil_mode, data_format, average,
                                count_include_pad, divisor_override), 0)
    if rank != dims + 2:
        layout = (("(N, L, C)" if channels_last else "(N, C, L)") if dims == 1 else
                  ("(N, H, W, C)" if channels_last else "(N, C, H, W)"))
        raise shape_error(owner, [input], f"expected a {dims + 2}-D input {layout} (or "
                          f"{dims + 1}-D unbatched), got {rank}-D")
    geometry = pooling_geometry(owner, dims, input, kernel_size, stride, padding, dilation,
                                ceil_mode, data_format)
    if not average:
        return _max_pool(input, **geometry)
    spatial = shape_of(input)[1:-1] if channels_last else shape_of(input)[2:]
    spatial = (1,) + tuple(spatial) if dims == 1 else tuple(spatial)
    divisor = _divisor(spatial, geometry["out_size"], geometry["kernel"], geometry["stride"],
                       geometry["dilation"], geometry["padding"], count_include_pad,
                       divisor_override)
    return _avg_pool(input, divisor=divisor, **geometry)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False, data_format="channels_first"):
    """The maximum of each (kh, kw) window, as ``torch.nn.functional.max_pool2d``.

    Args:
        input: (N, C, H, W), or (N, H, W, C) with ``data_format="channels_last"``.
        kernel_size: the window, an int or a pair.
        stride: the step between windows (default: the window size).
        padding: an int or pair (implicit -inf, at most half the window), or
            "valid" / "same" (Keras: TensorFlow's rule, the extra cell after).
        dilation: the spacing between window cells.
        ceil_mode: count a last partial window instead of dropping it.
        return_indices: also return each maximum's flat index in its input plane
            (int64, as PyTorch; for ``max_unpool2d``).

    The gradient goes to the first maximum of each window (row-major), as PyTorch's.

    Example:
        >>> from ndgrad.nn.functional import max_pool2d
        >>> import ndgrad
        >>> x = ndgrad.arange(16.0).reshape(1, 1, 4, 4)
        >>> max_pool2d(x, 2).tolist()
        [[[[5.0, 7.0], [13.0, 15.0]]]]
    """
    if return_indices:
        from .pooling_indices import max_pool_with_indices
        return max_pool_with_indices("max_pool2d", 2, input, kernel_size, stride, padding,
                                     dilation, ceil_mode, data_format)
    return _pooling("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode,
                    data_format)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False, data_format="channels_first"):
    """The maximum of each window of a (N, C, L) (or (N, L, C) channels_last)
    sequence; arguments as :func:`max_pool2d`.

    Example:
        >>> from ndgrad.nn.functional import max_pool1d
        >>> import ndgrad
        >>> max_pool1d(ndgrad.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2).tolist()
        [[[3.0, 2.0]]]
    """
    if return_indices:
        from .pooling_indices import max_pool_with_indices
        return max_pool_with_indices("max_pool1d", 1, input, kernel_size, stride, padding,
                                     dilation, ceil_mode, data_format)
    return _pooling("max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode,
                    data_format)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None, data_format="channels_first"):
    """The mean of each (kh, kw) window, as ``torch.nn.functional.avg_pool2d``.

    Args:
        input, kernel_size, stride, padding, ceil_mode: as :func:`max_pool2d`
            (implicit padding is zeros).
        count_include_pad: divide by the window's cells inside the padded input
            (True, PyTorch's default) or inside the real input only (False:
            Keras's "same").
        divisor_override: divide every window's sum by this instead.

    Example:
        >>> from ndgrad.nn.functional import avg_pool2d
        >>> import ndgrad
        >>> x = ndgrad.ones((1, 1, 3, 3))
        >>> avg_pool2d(x, 2, stride=2, padding=1, count_include_pad=False).tolist()
        [[[[1.0, 1.0], [1.0, 1.0]]]]
    """
    return _pooling("avg_pool2d", 2, input, kernel_size, stride, padding, 1, ceil_mode,
                    data_format, True, count_include_pad, divisor_override)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, data_format="channels_first"):
    """The mean of each window of a (N, C, L) sequence; arguments as :func:`avg_pool2d`.

    Example:
        >>> from ndgrad.nn.functional import avg_pool1d
        >>> import ndgrad
        >>> avg_pool1d(ndgrad.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2).tolist()
        [[[2.0, 1.0]]]
    """
    return _pooling("avg_pool1d", 1, input, kernel_size, stride, padding, 1, ceil_mode,
                    data_format, True, count_include_pad)
