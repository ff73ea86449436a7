"""Convolution: one primitive for every layout, and its two gradients as primitives.

``conv2d`` and ``conv1d`` take PyTorch's layouts (input (N, C, H, W), weight
(out, in/groups, kh, kw)) or Keras's (input (N, H, W, C), kernel
(kh, kw, in/groups, out)); 1-D inputs are 2-D ones with H = 1. All of them run
the same three primitives, which look at their arrays through transposed views
(no copies) as logical (N, C, H, W) and (out, in/groups, kh, kw).

The algorithm is im2col + GEMM. The input's windows are copied once into a
(C * kh * kw, N * oh * ow) matrix whose rows are runs of output positions
(``im2col``: one strided slice assignment per kernel offset; padding is never
materialized), and one matrix product per group gives the output, laid out
(out_channels, N, oh, ow) in memory and returned as a view in the user's
layout. The gradients are two more products:

- kernel: ``g @ columns.T``, reusing the forward's columns when recording
  (up to ``SAVED_COLUMNS_LIMIT`` bytes; beyond that they are recomputed);
- input (a transposed convolution): ``weight.T @ g`` gives one block per
  kernel offset, added back where it was read with one strided slice per
  offset (``col2im``: kh * kw vectorized adds, never a loop over pixels).

The large arrays (columns, outputs, the input gradient's grids) come from
``_reusable_buffers``: the same shapes come back every step, and faulting
fresh pages in for them was about a third of the small CNN's training step.

Other formulations were measured on that CNN (float32, 2 cores) and lost:
im2col over the padded input's flat rows (one contiguous run per channel and
offset instead of one per output row) copies 3-5x faster but multiplies
(H * W) / (oh * ow) more columns, 1.15-1.65x, which costs more than the copy
saves for both the forward and the kernel gradient; and kh * kw shifted
products with K = C each (no columns at all) run at a fraction of BLAS speed.

Forward, input gradient and kernel gradient are the three partial products of
one trilinear form, so each one's rule is written with the other two, and
gradients of any order are exact.

Example:
    >>> from ndgrad.nn.functional import conv2d
    >>> import ndgrad
    >>> x = ndgrad.ones((1, 1, 3, 3))
    >>> w = ndgrad.Variable(ndgrad.ones((1, 1, 2, 2)).numpy())
    >>> y = conv2d(x, w)
    >>> y.tolist()
    [[[[4.0, 4.0], [4.0, 4.0]]]]
    >>> y.sum().backward(); w.grad.tolist()
    [[[[4.0, 4.0], [4.0, 4.0]]]]
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import as_input, primitive, shape_of
from ..errors import shape_error
from ..tensor import Tensor
from . import _reusable_buffers as buffers
from ._convolution_products import (_grouped_product, _input_grad_pieces,
                                    _kernel_grad_product)
from .convolution_geometry import (as_tuple, channel_sums, channels_last_flag,
                                   check_positive_output, col2im, compiled_kernels,
                                   from_channels_first, im2col, kernel_from_torch,
                                   kernel_to_torch, output_size, resolve_padding,
                                   to_channels_first)
from .reduce import sum as _sum
from .shape import expand_dims, squeeze

__all__ = ["conv1d", "conv2d"]


# Columns kept from the forward for the kernel gradient, up to this size; larger
# ones are recomputed in backward rather than held in memory until then.
SAVED_COLUMNS_LIMIT = 256 * 2 ** 20


class _SavedColumns:
    """A slot the forward fills with its im2col matrix, so that the kernel
    gradient does not copy the input's windows a second time; emptied when used."""

    __slots__ = ("columns",)

    def __init__(self):
        self.columns = None


def _compute_dtype(*arrays):
    """The floating dtype of the floating operands (integer images take the
    kernel's dtype instead of promoting to float64)."""
    floating = [a.dtype for a in arrays if a.dtype.kind == "f"]
    return np.result_type(*floating) if floating else np.dtype(np.float32)


def _output_hw(x4, kernel, stride, padding, dilation):
    return tuple(output_size(size, k, s, d, before, after) for size, k, s, d, (before, after)
                 in zip(x4.shape[2:], kernel, stride, dilation, padding))


def _columns(x4, kernel, stride, padding, dilation, dtype):
    out_hw = _output_hw(x4, kernel, stride, padding, dilation)
    columns = im2col(x4, kernel, stride, dilation, padding, out_hw, dtype)
    rows = columns.shape[0] * columns.shape[1] * columns.shape[2]
    return columns.reshape(rows, columns.shape[3] * out_hw[0] * out_hw[1]), out_hw


# ------------------------------------------------------------------ forward
@primitive(name="conv", reads=(0, 1))
def _convolve(x, weight, bias, stride, padding, dilation, groups, channels_last, kernel_layout,
              saved_columns=None):
    dtype = _compute_dtype(x, weight)
    x4 = to_channels_first(x, channels_last)
    w4 = kernel_to_torch(weight, kernel_layout).astype(dtype, copy=False)
    out_channels, in_per_group, kh, kw = w4.shape
    columns, (oh, ow) = _columns(x4, (kh, kw), stride, padding, dilation, dtype)
    if saved_columns is not None and columns.nbytes <= SAVED_COLUMNS_LIMIT:
        saved_columns.columns = columns
    k = in_per_group * kh * kw
    out = _grouped_product(w4.reshape(groups, out_channels // groups, k),
                           columns.reshape(groups, k, columns.shape[1]))
    if bias is not None:
        out += np.asarray(bias, dtype=dtype)[:, None]
    out4 = out.reshape(out_channels, x4.shape[0], oh, ow).transpose(1, 0, 2, 3)
    return from_channels_first(out4, channels_last, x.ndim)


@_convolve.defvjp
def _convolve_vjp(g, out, x, weight, bias, needs, saved_columns=None, **geometry):
    grad_x = (_convolve_input_grad(g, weight, input_shape=tuple(x.shape), **geometry)
              if needs[0] else None)
    grad_w = (_convolve_kernel_grad(x, g, kernel_shape=tuple(weight.shape),
                                    saved_columns=saved_columns, **geometry)
              if needs[1] else None)
    grad_b = None
    if needs[2]:
        channel_axis = g.ndim - 1 if geometry["channels_last"] else 1
        if state.enabled:                       # recorded: a sum that has a gradient
            grad_b = _sum(g, axis=tuple(a for a in range(g.ndim) if a != channel_axis))
        else:
            grad_b = Tensor._wrap(channel_sums(g._data, channel_axis))
    return grad_x, grad_w, grad_b


# ------------------------------------------------------------------ input gradient
@primitive(name="conv_input_grad", reads=(0, 1))
def _convolve_input_grad(g, weight, input_shape, stride, padding, dilation, groups,
                         channels_last, kernel_layout):
    """The transposed convolution of ``g`` with ``weight``: the gradient of the input."""
    dtype = _compute_dtype(g, weight)
    g4 = to_channels_first(g, channels_last)
    w4 = kernel_to_torch(weight, kernel_layout).astype(dtype, copy=False)
    kh, kw = w4.shape[2:]
    if len(input_shape) == 3:
        in_size = (1, input_shape[1] if channels_last else input_shape[2])
    else:
        in_size = tuple(input_shape[1:3] if channels_last else input_shape[2:])
    # Long runs pay for the copy of g onto the wide grid once there are a few channels.
    if stride == (1, 1) and w4.shape[1] * groups >= 8:
        grad4 = _input_grad_unit_stride(w4, g4, groups, dtype, in_size, dilation, padding)
    else:
        pieces = _input_grad_pieces(w4, g4, groups, dtype)
        grad4 = col2im(pieces, in_size, (kh, kw), stride, dilation, padding, dtype)
    return from_channels_first(grad4, channels_last, len(input_shape))


def _input_grad_unit_stride(w4, g4, groups, dtype, in_size, dilation, padding):
    """The input gradient of a stride-1 convolution, with whole images as runs.

    ``g`` is copied onto a grid as wide as the padded input (zeros in the extra
    columns), so in the flattened padded input every kernel offset's block is
    one contiguous run per image and channel: the kh * kw adds run over long
    rows instead of ow-long ones (several times faster). The zero columns add
    nothing where their runs wrap into the next row. With numba, compiled loops
    make the copy and add the same runs one image at a time, in cache.
    """
    out_channels, in_per_group, kh, kw = w4.shape
    n, _, oh, ow = g4.shape
    (top, bottom), (left, right) = padding
    height, width = in_size
    padded_h, padded_w = height + top + bottom, width + left + right
    wide = buffers.empty((out_channels, n, oh, padded_w), dtype)
    compiled = compiled_kernels()
    if compiled is None or not compiled.widen(g4, wide):
        wide.fill(0)             # one pass: faster than the ow-long strips of zeros
        wide[:, :, :, :ow] = g4.transpose(1, 0, 2, 3)
    weight_t = w4.reshape(groups, out_channels // groups, in_per_group * kh * kw)
    weight_t = np.ascontiguousarray(weight_t.transpose(0, 2, 1))
    pieces = _grouped_product(weight_t, wide.reshape(groups, out_channels // groups,
                                                     n * oh * padded_w))
    channels = in_per_group * groups
    pieces = pieces.reshape(channels, kh * kw, n, oh * padded_w)
    if compiled is not None:
        image = buffers.empty((channels, n, height, width), dtype)
        if compiled.sum_shifted(pieces, image, kw, dilation, padded_w, top, left):
            return image.transpose(1, 0, 2, 3)
    # The images (of every channel) lie back to back, so that without padding the
    # result is one packed (C, N, H, W) array (not a view into a wider one, which
    # the next op would copy). A run wraps (kw - 1) * dilation cells past its
    # image's end: into the next image's first cells (adding the grid's zero
    # columns, as the runs do at every row's end), past the last one into a tail.
    area = padded_h * padded_w
    flat = buffers.zeros((channels * n * area + (kw - 1) * dilation[1],), dtype)
    itemsize = flat.itemsize
    for index in range(kh * kw):
        i, j = divmod(index, kw)
        start = i * dilation[0] * padded_w + j * dilation[1]
        target = np.lib.stride_tricks.as_strided(
            flat[start:], shape=(channels, n, oh * padded_w),
            strides=(n * area * itemsize, area * itemsize, itemsize))
        target += pieces[:, index]
    image = flat[:channels * n * area].reshape(channels, n, padded_h, padded_w)
    return image[:, :, top:top + height, left:left + width].transpose(1, 0, 2, 3)


@_convolve_input_grad.defvjp
def _convolve_input_grad_vjp(h, out, g, weight, input_shape, needs, **geometry):
    grad_g = _convolve(h, weight, None, **geometry) if needs[0] else None
    grad_w = (_convolve_kernel_grad(h, g, kernel_shape=tuple(weight.shape), **geometry)
              if needs[1] else None)
    return grad_g, grad_w


# ------------------------------------------------------------------ kernel gradient
@primitive(name="conv_kernel_grad", reads=(0, 1))
def _convolve_kernel_grad(x, g, kernel_shape, stride, padding, dilation, groups,
                          channels_last, kernel_layout, saved_columns=None):
    """``g`` correlated with the windows of ``x``: the gradient of the kernel."""
    dtype = _compute_dtype(x, g)
    x4 = to_channels_first(x, channels_last)
    g4 = to_channels_first(g, channels_last)
    shape4 = kernel_to_torch(np.broadcast_to(np.zeros((), dtype), kernel_shape),
                             kernel_layout).shape
    out_channels, in_per_group, kh, kw = shape4
    columns = saved_columns.columns if saved_columns is not None else None
    if columns is None or columns.dtype != dtype:
        columns, _ = _columns(x4, (kh, kw), stride, padding, dilation, dtype)
    else:
        saved_columns.columns = None      # used once; a second backward recomputes
    grad = _kernel_grad_product(g4, columns, groups, dtype)
    return kernel_from_torch(grad.reshape(shape4), kernel_layout, len(kernel_shape))


@_convolve_kernel_grad.defvjp
def _convolve_kernel_grad_vjp(h, out, x, g, kernel_shape, needs, saved_columns=None,
                              **geometry):
    grad_x = (_convolve_input_grad(g, h, input_shape=tuple(x.shape), **geometry)
              if needs[0] else None)
    grad_g = _convolve(x, h, None, **geometry) if needs[1] else None
    return grad_x, grad_g


# ------------------------------------------------------------------ functional forms
def _convolution(owner, dims, input, weight, bias, stride, padding, dilation, groups,
                 data_format, kernel_layout):
    input, weight, bias = as_input(input), as_input(weight), as_input(bias)
    channels_last = channels_last_flag(data_format, owner)
    if kernel_layout is None:
        kernel_layout = "keras" if channels_last else "torch"
    if kernel_layout not in ("torch", "keras"):
        raise ValueError(f"{owner}: kernel_layout must be 'torch' (out, in/groups, *kernel) or "
                         f"'keras' (*kernel, in/groups, out), got {kernel_layout!r}")
    rank = len(shape_of(input))
    if rank == dims + 1:        # unbatched, as PyTorch allows
        result = _convolution(owner, dims, expand_dims(input, 0), weight, bias, stride,
                              padding, dilation, groups, data_format, kernel_layout)
        return squeeze(result, 0)
    layout = ("(N, L, C)" if channels_last else "(N, C, L)") if dims == 1 else (
        "(N, H, W, C)" if channels_last else "(N, C, H, W)")
    if rank != dims + 2:
        raise shape_error(owner, [input], f"expected a {dims + 2}-D input {layout}, got "
                          f"{rank}-D")
    if len(shape_of(weight)) != dims + 2:
        raise shape_error(owner, [input, weight], f"expected a {dims + 2}-D weight, got "
                          f"{len(shape_of(weight))}-D")
    groups = as_tuple(groups, 1, "groups", owner)[0]
    w_shape = shape_of(weight)
    out_channels, in_per_group = ((w_shape[-1], w_shape[-2]) if kernel_layout == "keras"
                                  else (w_shape[0], w_shape[1]))
    kernel = w_shape[:dims] if kernel_layout == "keras" else w_shape[2:]
    in_channels = shape_of(input)[-1 if channels_last else 1]
    if in_channels != in_per_group * groups or out_channels % groups:
        raise shape_error(owner, [input, weight],
                          f"the input has {in_channels} channels ({layout}) but the weight "
                          f"takes {in_per_group} per group x groups={groups} = "
                          f"{in_per_group * groups} and gives {out_channels} (which groups "
                          "must divide)")
    if bias is not None and shape_of(bias) != (out_channels,):
        raise shape_error(owner, [weight, bias], f"the bias must have shape ({out_channels},)")
    stride = as_tuple(stride, dims, "stride", owner)
    dilation = as_tuple(dilation, dims, "dilation", owner)
    spatial = shape_of(input)[1:-1] if channels_last else shape_of(input)[2:]
    padding = resolve_padding(padding, spatial, kernel, stride, dilation, owner)
    sizes = [output_size(s, k, st, d, b, a) for s, k, st, d, (b, a)
             in zip(spatial, kernel, stride, dilation, padding)]
    check_positive_output(owner, [input, weight], spatial, kernel, dilation, padding, sizes)
    if dims == 1:
        stride, dilation, padding = (1,) + stride, (1,) + dilation, ((0, 0),) + padding
    saved = (_SavedColumns() if state.enabled and isinstance(weight, Tensor) and weight._rg
             else None)
    return _convolve(input, weight, bias, stride=stride, padding=padding, dilation=dilation,
                     groups=groups, channels_last=channels_last, kernel_layout=kernel_layout,
                     saved_columns=saved)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1,
           data_format="channels_first", kernel_layout=None, *, strides=None,
           dilation_rate=None):
    """2-D convolution (cross-correlation, as in PyTorch and Keras) of a batch of images.

    Args:
        input: (N, C, H, W) with ``data_format="channels_first"`` (PyTorch), or
            (N, H, W, C) with ``"channels_last"`` (Keras); unbatched 3-D works too.
        weight: (out, C/groups, kh, kw) (``kernel_layout="torch"``, the default for
            channels_first) or (kh, kw, C/groups, out) (``"keras"``, the default for
            channels_last).
        bias: (out,) or None.
        stride, dilation: an int or a pair (``strides``, ``dilation_rate``: Keras's names).
        padding: "valid", "same" (any stride: TensorFlow's rule, the extra row and
            column at the bottom and right; at stride 1 PyTorch's), an int, a pair,
            or ((top, bottom), (left, right)).
        groups: split the channels into this many independent convolutions
            (``groups == C`` with out a multiple of C is depthwise).

    Example:
        >>> from ndgrad.nn.functional import conv2d
        >>> import ndgrad
        >>> x = ndgrad.ones((2, 5, 5, 3))                 # Keras layout
        >>> conv2d(x, ndgrad.ones((3, 3, 3, 4)), stride=2, padding="same",
        ...        data_format="channels_last").shape
        (2, 3, 3, 4)
    """
    stride = strides if strides is not None else stride
    dilation = dilation_rate if dilation_rate is not None else dilation
    return _convolution("conv2d", 2, input, weight, bias, stride, padding, dilation, groups,
                        data_format, kernel_layout)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1,
           data_format="channels_first", kernel_layout=None, *, strides=None,
           dilation_rate=None):
    """1-D convolution of a batch of sequences: (N, C, L) input and (out, C/groups, k)
    weight (PyTorch), or (N, L, C) and (k, C/groups, out) with
    ``data_format="channels_last"`` (Keras). Arguments as :func:`conv2d`, plus
    ``padding="causal"`` (everything before, so no output sees the future).

    Example:
        >>> from ndgrad.nn.functional import conv1d
        >>> import ndgrad
        >>> conv1d(ndgrad.ones((1, 1, 4)), ndgrad.ones((1, 1, 2)), padding="causal").tolist()
        [[[1.0, 2.0, 2.0, 2.0]]]
    """
    stride = strides if strides is not None else stride
    dilation = dilation_rate if dilation_rate is not None else dilation
    return _convolution("conv1d", 1, input, weight, bias, stride, padding, dilation, groups,
                        data_format, kernel_layout)

