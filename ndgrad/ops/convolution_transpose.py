"""Transposed convolution (PyTorch's ``conv_transpose``, Keras's ``Conv*DTranspose``).

A transposed convolution *is* the input gradient of a convolution: every
input pixel spreads ``weight``-weighted copies of itself over a window of the
output, which is what ``ndgrad.ops.convolution`` already computes for the
gradient of a convolution's input (``weight.T @ x`` per group, then col2im).
So this module adds no second im2col: its forward runs that input-gradient
code on ``x``, and its rule runs the convolution (input gradient of the
transposed convolution) and the kernel gradient of the convolution, sharing
one im2col of the incoming gradient between them. Both are primitives with
exact rules of their own, so gradients of every order are exact.

The weight layouts are therefore the convolution's: PyTorch's (in, out/groups,
*kernel) is the convolution's (out, in/groups, *kernel) read backwards, and
Keras's (*kernel, filters, in) is the convolution's (*kernel, in, out).

Geometry: the full output of an input of length ``L`` has
``(L - 1) * stride + (k - 1) * dilation + 1`` positions; ``crops`` removes
``(before, after)`` of them on each side. PyTorch's ``padding=p`` with
``output_padding=q`` is ``(p, p - q)``; Keras's "valid"/"same" give their own
pairs (:func:`keras_crops`). A negative ``after`` appends positions that no
input reaches (they hold the bias only).

Example:
    >>> from ndgrad.nn.functional import conv_transpose2d
    >>> import ndgrad
    >>> x = ndgrad.ones((1, 1, 2, 2))
    >>> conv_transpose2d(x, ndgrad.ones((1, 1, 2, 2)), stride=2).shape
    (1, 1, 4, 4)
    >>> conv_transpose2d(x, ndgrad.ones((1, 1, 3, 3))).numpy()[0, 0, 1].tolist()
    [2.0, 4.0, 4.0, 2.0]
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import as_input, data_of, primitive, shape_of
from ..errors import shape_error
from ..tensor import Tensor
from .convolution import (_SavedColumns, _convolve, _convolve_input_grad,
                          _convolve_kernel_grad)
from .convolution_geometry import (as_tuple, channel_sums, channels_last_flag,
                                   from_channels_first, to_channels_first)
from .index import getitem
from .reduce import sum as _sum
from .shape import expand_dims, squeeze

__all__ = ["conv_transpose1d", "conv_transpose2d", "keras_crops"]

_input_gradient_forward = _convolve_input_grad.__wrapped__


def _spatial_slices(shape, channels_last):
    """The index that keeps the leading ``shape`` positions of each spatial axis."""
    keep = tuple(slice(0, n) for n in shape)
    return (slice(None),) + (keep + (slice(None),) if channels_last else (slice(None),) + keep)


# ------------------------------------------------------------------ the primitive
@primitive(name="conv_transpose", reads=(0, 1))
def _conv_transpose(x, weight, bias, output_shape, reached, stride, padding, dilation, groups,
                    channels_last, kernel_layout):
    """``x`` spread through ``weight`` onto an ``output_shape`` array; inputs reach its
    leading ``reached`` positions per spatial axis (the rest get the bias only)."""
    short = tuple(output_shape)
    spatial = slice(1, -1) if channels_last else slice(2, None)
    short = short[:spatial.start] + tuple(reached) + ((short[-1],) if channels_last else ())
    out = _input_gradient_forward(x, weight, input_shape=short, stride=stride, padding=padding,
                                  dilation=dilation, groups=groups, channels_last=channels_last,
                                  kernel_layout=kernel_layout)
    if short != tuple(output_shape):
        full = np.zeros(output_shape, out.dtype)
        full[_spatial_slices(reached, channels_last)] = out
        out = full
    if bias is not None:
        out4 = to_channels_first(out, channels_last)
        out4 += np.asarray(bias, dtype=out.dtype)[:, None, None]
    return out


@_conv_transpose.defvjp
def _conv_transpose_vjp(h, out, x, weight, bias, needs, output_shape, reached, **geometry):
    reached_h = h
    if tuple(reached) != tuple(shape_of(h)[1:-1] if geometry["channels_last"]
                               else shape_of(h)[2:]):
        reached_h = getitem(h, _spatial_slices(reached, geometry["channels_last"]))
    # The convolution of h (the input's gradient) and the kernel gradient both
    # read h's windows: the first one's im2col is kept for the second.
    saved = _SavedColumns() if needs[0] and needs[1] else None
    grad_x = (_convolve(reached_h, weight, None, saved_columns=saved, **geometry)
              if needs[0] else None)
    grad_w = (_convolve_kernel_grad(reached_h, x, kernel_shape=tuple(shape_of(weight)),
                                    saved_columns=saved, **geometry)
              if needs[1] else None)
    grad_b = None
    if needs[2]:
        channel_axis = len(output_shape) - 1 if geometry["channels_last"] else 1
        if state.enabled:                       # recorded: a sum that has a gradient
            grad_b = _sum(h, axis=tuple(a for a in range(len(output_shape))
                                        if a != channel_axis))
        else:
            grad_b = Tensor._wrap(channel_sums(data_of(h), channel_axis))
    return grad_x, grad_w, grad_b


# ------------------------------------------------------------------ geometry
def torch_crops(owner, padding, output_padding, stride, dilation, dims):
    """PyTorch's ``padding`` and ``output_padding`` as (before, after) crops, checked
    (``output_padding`` must be smaller than the stride or the dilation).

    Example:
        >>> from ndgrad.nn.conv_transpose import torch_crops
        >>> torch_crops("conv_transpose2d", 1, 1, (2, 2), (1, 1), 2)
        ((1, 0), (1, 0))
    """
    if isinstance(padding, str):
        raise ValueError(f"{owner}: padding={padding!r} is not supported by PyTorch's "
                         "transposed convolutions; give ints (or use layers.Conv2DTranspose, "
                         "whose 'same' and 'valid' are Keras's)")
    padding = as_tuple(padding, dims, "padding", owner, minimum=0)
    output_padding = as_tuple(output_padding, dims, "output_padding", owner, minimum=0)
    for q, s, d in zip(output_padding, stride, dilation):
        if q >= max(s, d):
            raise ValueError(f"{owner}: output_padding {output_padding} must be smaller than "
                             f"the stride {stride} or the dilation {dilation} in each "
                             "dimension; use a smaller output_padding (it only picks among "
                             "the stride's possible output sizes)")
    return tuple((p, p - q) for p, q in zip(padding, output_padding))


def keras_crops(owner, padding, output_padding, kernel, stride, dilation):
    """Keras's "valid"/"same" (and ``output_padding``, None for the default) as
    (before, after) crops of the full output: "same" gives ``size * stride``
    positions, "valid" ``(size - 1) * stride + max(k, stride)``.

    Example:
        >>> from ndgrad.nn.conv_transpose import keras_crops
        >>> keras_crops("Conv2DTranspose", "same", None, (3, 4), (2, 2), (1, 1))
        ((0, 1), (1, 1))
    """
    mode = str(padding).lower()
    if mode not in ("valid", "same"):
        raise ValueError(f"{owner}: padding must be 'valid' or 'same', got {padding!r}")
    if output_padding is not None:
        output_padding = as_tuple(output_padding, len(kernel), "output_padding", owner, 0)
        if any(q >= s for q, s in zip(output_padding, stride)):
            raise ValueError(f"{owner}: output_padding {output_padding} must be smaller than "
                             f"strides {stride} in each dimension")
    crops = []
    for i, (k, s, d) in enumerate(zip(kernel, stride, dilation)):
        span = (k - 1) * d + 1
        q = None if output_padding is None else output_padding[i]
        if mode == "valid":
            crops.append((0, -(max(span, s) - span if q is None else q)))
            continue
        total = s + span - 2 if q is None else span + span % 2 - 2 + q
        left = min(total // 2 + total % 2, span - 1)
        crops.append((span - 1 - left, span - 1 - (total - left)))
    return tuple(crops)


# ------------------------------------------------------------------ functional forms
def transposed_convolution(owner, dims, input, weight, bias, stride, crops, dilation, groups,
                           channels_last, kernel_layout):
    """The checked call of the primitive: ``crops`` one (before, after) pair per
    spatial dimension (``after`` < 0 appends positions), ``stride`` and
    ``dilation`` tuples of ``dims`` ints."""
    input, weight, bias = as_input(input), as_input(weight), as_input(bias)
    rank = len(shape_of(input))
    if rank == dims + 1:        # unbatched, as PyTorch allows
        return squeeze(transposed_convolution(owner, dims, expand_dims(input, 0), weight, bias,
                                              stride, crops, dilation, groups, channels_last,
                                              kernel_layout), 0)
    spatial_names = "L" if dims == 1 else "H, W"
    layout = f"(N, {spatial_names}, C)" if channels_last else f"(N, C, {spatial_names})"
    if rank != dims + 2:
        raise shape_error(owner, [input], f"expected a {dims + 2}-D input {layout}, got "
                          f"{rank}-D")
    w_shape = shape_of(weight)
    if len(w_shape) != dims + 2:
        raise shape_error(owner, [input, weight], f"expected a {dims + 2}-D weight, got "
                          f"{len(w_shape)}-D")
    if kernel_layout == "keras":      # (*kernel, out/groups, in)
        in_channels, out_per_group, kernel = w_shape[-1], w_shape[-2], w_shape[:dims]
    else:                             # (in, out/groups, *kernel)
        in_channels, out_per_group, kernel = w_shape[0], w_shape[1], w_shape[2:]
    x_shape = shape_of(input)
    channels = x_shape[-1 if channels_last else 1]
    if channels != in_channels or in_channels % groups:
        raise shape_error(owner, [input, weight],
                          f"the input has {channels} channels ({layout}) but the weight takes "
                          f"{in_channels} (which groups={groups} must divide); weight layout "
                          + ("(*kernel, out/groups, in)" if kernel_layout == "keras"
                             else "(in, out/groups, *kernel)"))
    out_channels = out_per_group * groups
    if bias is not None and shape_of(bias) != (out_channels,):
        raise shape_error(owner, [weight, bias], f"the bias must have shape ({out_channels},)")
    sizes = x_shape[1:-1] if channels_last else x_shape[2:]
    full = [(n - 1) * s + (k - 1) * d + 1 for n, k, s, d in zip(sizes, kernel, stride, dilation)]
    out_sizes = tuple(f - before - after for f, (before, after) in zip(full, crops))
    if any(n <= 0 for n in out_sizes):
        raise shape_error(owner, [input, weight],
                          f"the output would have size {out_sizes} (input {tuple(sizes)}, "
                          f"kernel {tuple(kernel)}, stride {stride}, dilation {dilation}, "
                          f"crops {crops}); use less padding or a larger input")
    reached = tuple(min(n, f - before) for n, f, (before, _) in zip(out_sizes, full, crops))
    padding = tuple((before, max(after, 0)) for before, after in crops)
    output_shape = ((x_shape[0],) + out_sizes + (out_channels,) if channels_last
                    else (x_shape[0], out_channels) + out_sizes)
    if dims == 1:
        stride, dilation, padding = (1,) + stride, (1,) + dilation, ((0, 0),) + padding
    return _conv_transpose(input, weight, bias, output_shape=output_shape, reached=reached,
                           stride=stride, padding=padding, dilation=dilation, groups=groups,
                           channels_last=channels_last, kernel_layout=kernel_layout)


def _functional(owner, dims, input, weight, bias, stride, padding, output_padding, groups,
                dilation, data_format, kernel_layout):
    channels_last = channels_last_flag(data_format, owner)
    kernel_layout = kernel_layout or ("keras" if channels_last else "torch")
    if kernel_layout not in ("torch", "keras"):
        raise ValueError(f"{owner}: kernel_layout must be 'torch' (in, out/groups, *kernel) or "
                         f"'keras' (*kernel, out, in), got {kernel_layout!r}")
    groups = as_tuple(groups, 1, "groups", owner)[0]
    stride = as_tuple(stride, dims, "stride", owner)
    dilation = as_tuple(dilation, dims, "dilation", owner)
    if isinstance(padding, str):
        w_shape = shape_of(weight)
        kernel = w_shape[:dims] if kernel_layout == "keras" else w_shape[2:]
        crops = keras_crops(owner, padding, None if output_padding in (None, 0) else
                            output_padding, kernel, stride, dilation)
    else:
        crops = torch_crops(owner, padding, output_padding or 0, stride, dilation, dims)
    return transposed_convolution(owner, dims, input, weight, bias, stride, crops, dilation,
                                  groups, channels_last, kernel_layout)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1, *, data_format="channels_first", kernel_layout=None):
    """2-D transposed convolution ("deconvolution"), as ``torch.nn.functional.conv_transpose2d``.

    Args:
        input: (N, C_in, H, W) (or (N, H, W, C_in) with ``data_format="channels_last"``);
            an unbatched 3-D input works too.
        weight: (C_in, C_out/groups, kh, kw) (PyTorch), or (kh, kw, C_out, C_in)
            with ``kernel_layout="keras"`` (the default for channels_last).
        bias: (C_out,) or None.
        stride, dilation: an int or a pair.
        padding: an int or a pair: ``dilation * (k - 1) - padding`` zeros around the
            input of the equivalent direct convolution; or Keras's "valid"/"same".
        output_padding: extra positions at the end of each spatial axis (smaller
            than the stride or the dilation): picks among the output sizes that a
            strided convolution maps back to the same input size.
        groups: independent channel groups.

    The output has ``(H - 1) * stride - 2 * padding + dilation * (k - 1) +
    output_padding + 1`` rows (and the same rule for columns).

    Example:
        >>> from ndgrad.nn.functional import conv_transpose2d
        >>> import ndgrad
        >>> x, w = ndgrad.ones((2, 4, 5, 5)), ndgrad.ones((4, 3, 4, 4))
        >>> conv_transpose2d(x, w, stride=2, padding=1).shape
        (2, 3, 10, 10)
        >>> conv_transpose2d(x, w, stride=2, padding=1, output_padding=1).shape
        (2, 3, 11, 11)
    """
    return _functional("conv_transpose2d", 2, input, weight, bias, stride, padding,
                       output_padding, groups, dilation, data_format, kernel_layout)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1, *, data_format="channels_first", kernel_layout=None):
    """1-D transposed convolution, as ``torch.nn.functional.conv_transpose1d``: (N, C_in, L)
    input, (C_in, C_out/groups, k) weight; arguments as :func:`conv_transpose2d`.

    Example:
        >>> from ndgrad.nn.functional import conv_transpose1d
        >>> import ndgrad
        >>> conv_transpose1d(ndgrad.ones((1, 1, 3)), ndgrad.ones((1, 1, 2)), stride=2).tolist()
        [[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0]]]
    """
    return _functional("conv_transpose1d", 1, input, weight, bias, stride, padding,
                       output_padding, groups, dilation, data_format, kernel_layout)
