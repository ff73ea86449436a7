"""Shared geometry of convolution and pooling: argument tuples, padding,
output sizes, layouts, and the offset-by-offset window copies (im2col, col2im).

Everything here works on plain arrays and Python numbers; the differentiable
ops in ``convolution.py`` and ``pooling.py`` call it. Internally every op
works on a *logical* (N, C, H, W) view of its input, whatever the user's
layout: a channels-last (N, H, W, C) array is looked at through a transposed
view (no copy), and a 1-D input (N, C, L) through a view with H = 1. The
physical layout only decides how fast the window copy runs.

Example:
    >>> from ndgrad.ops.convolution_geometry import resolve_padding
    >>> resolve_padding("same", (5, 5), (3, 3), (2, 2), (1, 1), "conv2d")
    ((1, 1), (1, 1))
"""

import math
import numbers

from . import _reusable_buffers as buffers

__all__ = []


def as_tuple(value, length, name, owner, minimum=1):
    """``value`` (an int or a sequence of ints) as a tuple of ``length`` ints >= ``minimum``.

    Example:
        >>> from ndgrad.nn.conv import as_tuple
        >>> as_tuple(3, 2, "kernel_size", "Conv2d"), as_tuple((1, 2), 2, "stride", "Conv2d")
        ((3, 3), (1, 2))
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        values = (int(value),) * length
    else:
        try:
            items = tuple(value)
        except TypeError:
            items = None
        if items is None or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool)
                                    for v in items):
            raise TypeError(f"{owner}: {name} must be an int or a tuple of {length} ints, "
                            f"got {value!r}") from None
        values = tuple(int(v) for v in items)
        if len(values) == 1:
            values = values * length
        if len(values) != length or any(isinstance(v, bool) for v in value):
            raise ValueError(f"{owner}: {name} must be an int or a tuple of {length} ints, "
                             f"got {value!r}")
    if any(v < minimum for v in values):
        raise ValueError(f"{owner}: {name} must be >= {minimum}, got {value!r}")
    return values


def same_padding(size, kernel, stride, dilation):
    """TensorFlow's "same" padding for one dimension: (before, after), the extra
    one after, so the output has ``ceil(size / stride)`` positions. At stride 1 it
    equals PyTorch's ``padding="same"``.

    Example:
        >>> from ndgrad.ops.convolution_geometry import same_padding
        >>> same_padding(5, 3, 2, 1), same_padding(4, 3, 1, 2)
        ((1, 1), (2, 2))
    """
    effective = (kernel - 1) * dilation + 1
    total = max((math.ceil(size / stride) - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def resolve_padding(padding, spatial, kernel, stride, dilation, owner):
    """``padding`` as one (before, after) pair per spatial dimension.

    Accepts "valid", "same" (TensorFlow's rule, PyTorch's at stride 1), "causal"
    (1-D: everything before), an int, one int per dimension, or one
    (before, after) pair per dimension.

    Example:
        >>> from ndgrad.ops.convolution import resolve_padding
        >>> resolve_padding(1, (4, 4), (3, 3), (1, 1), (1, 1), "conv2d")
        ((1, 1), (1, 1))
        >>> resolve_padding("causal", (6,), (3,), (1,), (2,), "conv1d")
        ((4, 0),)
    """
    dims = len(spatial)
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            return ((0, 0),) * dims
        if mode == "same":
            return tuple(same_padding(*args) for args in zip(spatial, kernel, stride, dilation))
        if mode == "causal":
            if dims != 1:
                raise ValueError(f"{owner}: padding='causal' is for 1-D convolutions only")
            return (((kernel[0] - 1) * dilation[0], 0),)
        raise ValueError(f"{owner}: padding must be 'valid', 'same', an int or a tuple, "
                         f"got {padding!r}")
    if isinstance(padding, numbers.Integral) or (
            not isinstance(padding, str) and len(padding) in (1, dims)
            and all(isinstance(p, numbers.Integral) for p in padding)):
        return tuple((p, p) for p in as_tuple(padding, dims, "padding", owner, minimum=0))
    try:
        pairs = tuple((int(before), int(after)) for before, after in padding)
    except (TypeError, ValueError):
        pairs = ()
    if len(pairs) != dims or any(p < 0 for pair in pairs for p in pair):
        raise ValueError(f"{owner}: padding must be 'valid', 'same', a non-negative int, "
                         f"{dims} ints or {dims} (before, after) pairs, got {padding!r}")
    return pairs


def output_size(size, kernel, stride, dilation, before, after, ceil_mode=False):
    """The number of window positions along one dimension (PyTorch's formula;
    with ``ceil_mode`` the last window may run past the end but must start inside
    the input or its leading padding).

    Example:
        >>> from ndgrad.ops.convolution import output_size
        >>> output_size(28, 3, 1, 1, 1, 1), output_size(5, 2, 2, 1, 0, 0, ceil_mode=True)
        (28, 3)
    """
    span = size + before + after - (kernel - 1) * dilation - 1
    if span < 0:
        return 0
    count = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (count - 1) * stride >= size + before:
        count -= 1
    return count


def check_positive_output(owner, operands, spatial, kernel, dilation, padding, sizes):
    """Raise a ShapeError naming the sizes when a window does not fit the input."""
    if all(s > 0 for s in sizes):
        return
    from ..errors import shape_error
    effective = tuple((k - 1) * d + 1 for k, d in zip(kernel, dilation))
    raise shape_error(owner, operands,
                      f"the (dilated) window {effective} is larger than the padded input "
                      f"{tuple(s + b + a for s, (b, a) in zip(spatial, padding))}; use a "
                      "smaller kernel or dilation, more padding, or a larger input")


# ------------------------------------------------------------------ layouts
_FORMATS = {"channels_first": False, "ncw": False, "nchw": False,
            "channels_last": True, "nwc": True, "nhwc": True}


def channels_last_flag(data_format, owner):
    """True for "channels_last" (also "NHWC", "NWC"), False for "channels_first"
    ("NCHW", "NCW") and None (PyTorch's default).

    Example:
        >>> from ndgrad.nn.augmentation import channels_last_flag
        >>> channels_last_flag("NHWC", "conv2d"), channels_last_flag(None, "conv2d")
        (True, False)
    """
    if data_format is None:
        return False
    try:
        return _FORMATS[str(data_format).lower()]
    except KeyError:
        raise ValueError(f"{owner}: data_format must be 'channels_first' or 'channels_last', "
                         f"got {data_format!r}") from None


def to_channels_first(array, channels_last):
    """A 4-D (N, C, H, W) view of an (N, C, H, W), (N, H, W, C), (N, C, L) or
    (N, L, C) array (1-D inputs get H = 1). No copy.

    Example:
        >>> from ndgrad.ops.convolution import to_channels_first
        >>> import numpy as np
        >>> to_channels_first(np.zeros((2, 5, 3)), channels_last=True).shape
        (2, 3, 1, 5)
    """
    if array.ndim == 3:
        array = array.transpose(0, 2, 1) if channels_last else array
        return array[:, :, None, :]
    return array.transpose(0, 3, 1, 2) if channels_last else array


def from_channels_first(array, channels_last, ndim):
    """The inverse of :func:`to_channels_first`: a view in the user's layout.

    Example:
        >>> from ndgrad.ops.convolution import from_channels_first
        >>> import numpy as np
        >>> from_channels_first(np.zeros((2, 3, 1, 5)), True, 3).shape
        (2, 5, 3)
    """
    if ndim == 3:
        array = array[:, :, 0, :]
        return array.transpose(0, 2, 1) if channels_last else array
    return array.transpose(0, 2, 3, 1) if channels_last else array


def kernel_to_torch(kernel, kernel_layout):
    """A 4-D (out, in/groups, kh, kw) view of a PyTorch ("torch") or Keras
    ("keras": (kh, kw, in/groups, out) or (k, in/groups, out)) kernel. No copy.

    Example:
        >>> from ndgrad.ops.convolution import kernel_to_torch
        >>> import numpy as np
        >>> kernel_to_torch(np.zeros((3, 3, 2, 8)), "keras").shape
        (8, 2, 3, 3)
    """
    if kernel.ndim == 3:
        kernel = kernel.transpose(2, 1, 0) if kernel_layout == "keras" else kernel
        return kernel[:, :, None, :]
    return kernel.transpose(3, 2, 0, 1) if kernel_layout == "keras" else kernel


def kernel_from_torch(kernel, kernel_layout, ndim):
    """The inverse of :func:`kernel_to_torch`.

    Example:
        >>> from ndgrad.ops.convolution import kernel_from_torch
        >>> import numpy as np
        >>> kernel_from_torch(np.zeros((8, 2, 1, 3)), "keras", 3).shape
        (3, 2, 8)
    """
    if ndim == 3:
        kernel = kernel[:, :, 0, :]
        return kernel.transpose(2, 1, 0) if kernel_layout == "keras" else kernel
    return kernel.transpose(2, 3, 1, 0) if kernel_layout == "keras" else kernel


# ------------------------------------------------------------------ windows
def memory_order(like):
    """The axes of ``like`` from the outermost in memory to the innermost.

    Example:
        >>> from ndgrad.ops.activations import memory_order
        >>> import numpy as np
        >>> memory_order(np.zeros((2, 4, 4, 3)).transpose(0, 3, 1, 2))
        (0, 2, 3, 1)
    """
    strides = like.strides          # sorted() is stable, as np.argsort(kind="stable") (1 us, not 5)
    return tuple(sorted(range(len(strides)), key=lambda axis: -abs(strides[axis])))


def empty_like_layout(like, shape, dtype):
    """An uninitialized array of logical ``shape`` whose axes lie in memory in the
    same order as ``like``'s (so a channels-last input gives a channels-last result);
    a large one is a reused buffer (``_reusable_buffers``).

    Example:
        >>> from ndgrad.ops.convolution_geometry import empty_like_layout
        >>> import numpy as np
        >>> nhwc = np.zeros((2, 4, 4, 3)).transpose(0, 3, 1, 2)    # logical NCHW
        >>> empty_like_layout(nhwc, (2, 3, 2, 2), np.float32).strides
        (48, 4, 24, 12)
    """
    return buffers.empty_in_order(shape, memory_order(like), dtype)


def channel_sums(g, channel_axis):
    """The sum of ``g`` over every axis but ``channel_axis`` (a bias's gradient), as
    matrix-vector products with a vector of ones when ``g`` is dense in memory.

    BLAS's GEMV reads the array once at full speed; ``np.sum`` over several
    axes that are not innermost runs about 5 times slower (float32, (64, 16,
    26, 26): 106 against 20 microseconds). Arrays with another memory layout
    get ``np.sum``.

    Example:
        >>> from ndgrad.ops.convolution import channel_sums
        >>> import numpy as np
        >>> g = np.arange(24.0).reshape(2, 3, 4)
        >>> channel_sums(g, 1).tolist() == g.sum(axis=(0, 2)).tolist()
        True
    """
    order = memory_order(g)
    in_memory = g.transpose(order)
    if not in_memory.flags.c_contiguous or g.size == 0 or g.dtype.kind != "f":
        return g.sum(axis=tuple(a for a in range(g.ndim) if a != channel_axis))
    position = order.index(channel_axis)
    outer, inner = math.prod(in_memory.shape[:position]), math.prod(in_memory.shape[position + 1:])
    matrix = in_memory.reshape(outer, g.shape[channel_axis] * inner)
    if outer > 1:
        matrix = buffers.constant_vector(1, outer, g.dtype) @ matrix
    matrix = matrix.reshape(g.shape[channel_axis], inner)
    return matrix @ buffers.constant_vector(1, inner, g.dtype) if inner > 1 else matrix[:, 0]


def compiled_kernels():
    """``_numba_convolution`` when its compiled kernels are to run now (numba is
    installed and ``_accelerated`` has them on), else None: the NumPy code runs.

    Example:
        >>> from ndgrad.ops.convolution import compiled_kernels
        >>> compiled_kernels() is None or compiled_kernels().usable()
        True
    """
    from . import _accelerated          # here, not at the top: it imports this module
    if not _accelerated.enabled():
        return None
    from . import _numba_convolution
    return _numba_convolution if _numba_convolution.usable() else None


def _valid_range(count, size, offset, stride, before):
    """The output positions ``o`` whose input index ``o * stride + offset - before``
    falls inside ``[0, size)``: (first, stop, input slice)."""
    first = max(0, -((offset - before) // stride))
    stop = min(count, (size - 1 + before - offset) // stride + 1)
    if stop <= first:
        return first, first, slice(0, 0)
    start = first * stride + offset - before
    return first, stop, slice(start, start + (stop - first - 1) * stride + 1, stride)


def offset_ranges(kernel, stride, dilation, padding, in_size, out_size):
    """For each kernel offset (i, j) in row-major order: the output rows and
    columns that read real input (not padding) and the input rows and columns
    they read, as ((out_rows, out_cols), (in_rows, in_cols)) slices.

    Example:
        >>> from ndgrad.ops.convolution_geometry import offset_ranges
        >>> offset_ranges((1, 2), (1, 1), (1, 1), ((0, 0), (1, 1)), (1, 2), (1, 3))[0]
        ((slice(0, 1, None), slice(1, 3, None)), (slice(0, 1, 1), slice(0, 2, 1)))
    """
    ranges = []
    for i in range(kernel[0]):
        rows = _valid_range(out_size[0], in_size[0], i * dilation[0], stride[0], padding[0][0])
        for j in range(kernel[1]):
            cols = _valid_range(out_size[1], in_size[1], j * dilation[1], stride[1],
                                padding[1][0])
            ranges.append(((slice(rows[0], rows[1]), slice(cols[0], cols[1])),
                           (rows[2], cols[2])))
    return ranges


def _zero_outside(block, rows, cols):
    """Zero the cells of ``block`` (..., oh, ow) outside ``block[..., rows, cols]``."""
    block[..., :rows.start, :] = 0
    block[..., rows.stop:, :] = 0
    block[..., rows, :cols.start] = 0
    block[..., rows, cols.stop:] = 0


def im2col(x, kernel, stride, dilation, padding, out_size, dtype):
    """The columns of a logical (N, C, H, W) array: a (C, kh, kw, N, oh, ow)
    array holding, for each kernel offset, the input pixel every output position
    reads (0 where it reads padding). Reshaped to (C * kh * kw, N * oh * ow) it is
    the left operand of the convolution's one matrix product. A large one is a
    reused buffer (``_reusable_buffers``), so hold it only as long as needed.

    Padding is never materialized: each of the kh * kw offsets copies the block
    of input it reads with one strided slice assignment, and zeroes the frame
    of positions that read padding. With numba, compiled loops make the same
    copies (``_numba_convolution``: 2-3x faster on short rows).

    Example:
        >>> from ndgrad.ops.convolution import im2col
        >>> import numpy as np
        >>> x = np.arange(4.0).reshape(1, 1, 2, 2)
        >>> im2col(x, (2, 2), (1, 1), (1, 1), ((0, 1), (0, 1)), (2, 2), x.dtype)[0, 1, 1].tolist()
        [[[3.0, 0.0], [0.0, 0.0]]]
    """
    n, c, h, w = x.shape
    columns = buffers.empty((c, kernel[0], kernel[1], n, out_size[0], out_size[1]), dtype)
    compiled = compiled_kernels()
    if compiled is not None and compiled.im2col(x, columns, stride, dilation, padding):
        return columns
    source = x.transpose(1, 0, 2, 3)
    ranges = offset_ranges(kernel, stride, dilation, padding, (h, w), out_size)
    for index, ((out_rows, out_cols), (in_rows, in_cols)) in enumerate(ranges):
        block = columns[:, index // kernel[1], index % kernel[1]]
        if out_rows.stop - out_rows.start < out_size[0] or \
                out_cols.stop - out_cols.start < out_size[1]:
            _zero_outside(block, out_rows, out_cols)
        block[:, :, out_rows, out_cols] = source[:, :, in_rows, in_cols]
    return columns


def col2im(pieces, in_size, kernel, stride, dilation, padding, dtype):
    """The adjoint of :func:`im2col`: add each offset's (C, N, oh, ow) block of
    ``pieces`` (C, kh, kw, N, oh, ow) back where it was read from (with numba,
    in compiled loops adding the same terms in the same order). Returns a
    logical (N, C, H, W) view of a new (or reused) array laid out as the pieces are.

    Example:
        >>> from ndgrad.ops.convolution import col2im
        >>> import numpy as np
        >>> pieces = np.ones((1, 2, 2, 1, 2, 2))
        >>> grad = col2im(pieces, (3, 3), (2, 2), (1, 1), (1, 1), ((0, 0), (0, 0)), pieces.dtype)
        >>> grad[0, 0].tolist()
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    c, kh, kw, n, oh, ow = pieces.shape
    # The result is laid out as the pieces are: image by image or channel by channel.
    if abs(pieces.strides[3]) > abs(pieces.strides[0]):
        grad = buffers.empty((n, c) + tuple(in_size), dtype).transpose(1, 0, 2, 3)
    else:
        grad = buffers.empty((c, n) + tuple(in_size), dtype)
    compiled = compiled_kernels()
    if compiled is not None and compiled.col2im(pieces, grad, stride, dilation, padding):
        return grad.transpose(1, 0, 2, 3)
    grad[...] = 0
    ranges = offset_ranges((kh, kw), stride, dilation, padding, in_size, (oh, ow))
    for index, ((out_rows, out_cols), (in_rows, in_cols)) in enumerate(ranges):
        target = grad[:, :, in_rows, in_cols]
        target += pieces[:, index // kw, index % kw, :, out_rows, out_cols]
    return grad.transpose(1, 0, 2, 3)
