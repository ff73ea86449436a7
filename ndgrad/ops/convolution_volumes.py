"""3-D convolution and transposed convolution, built on the 2-D primitives.

A (kd, kh, kw) kernel is kd planes of (kh, kw) kernels. ``conv3d`` gathers, for
every output depth, the kd input planes its window reads (one strided slice per
depth offset, stacked, zero depth-padding added first), folds the output
depths into the batch and the depth offsets into the channels (per group, so
grouped convolutions keep their channel order), and runs one 2-D convolution:
one im2col and one matrix product per group, exactly as the 2-D layers do. The
transposed convolution is its adjoint along depth: one 2-D transposed
convolution gives, for every input plane, all kd output planes it touches (the
depth offsets folded into the output channels), and each offset's planes are
added at depths ``d * stride + offset * dilation`` of the full output, which is
then cropped by the padding. Gradients (of any order) come from the 2-D
primitives and the slicing ops.

Both take PyTorch's layouts ((N, C, D, H, W) inputs, weights (out, in/groups,
kd, kh, kw) and (in, out/groups, kd, kh, kw)); ``data_format="channels_last"``
and ``kernel_layout="keras"`` give Keras's, by transposing at the edges.

Example:
    >>> from ndgrad.nn.functional import conv_transpose3d
    >>> from ndgrad.nn.functional import conv3d
    >>> import ndgrad
    >>> x = ndgrad.ones((1, 1, 3, 3, 3))
    >>> conv3d(x, ndgrad.ones((2, 1, 2, 2, 2))).shape
    (1, 2, 2, 2, 2)
    >>> conv_transpose3d(x, ndgrad.ones((1, 1, 2, 2, 2)), stride=2).shape
    (1, 1, 6, 6, 6)
"""

from ..autograd.primitive import as_input, shape_of
from ..errors import shape_error
from .arrange import pad as _pad
from .convolution import conv2d
from .convolution_geometry import (as_tuple, channels_last_flag, check_positive_output,
                                   output_size, resolve_padding)
from .convolution_transpose import torch_crops, transposed_convolution
from .index import _scatter_add, getitem
from .join import stack
from .shape import expand_dims, reshape, squeeze, transpose

__all__ = ["conv3d", "conv_transpose3d"]

_TO_FIRST, _TO_LAST = (0, 4, 1, 2, 3), (0, 2, 3, 4, 1)
# Keras kernels: (kd, kh, kw, in/groups, out) for convolutions, (kd, kh, kw, out, in) for
# transposed ones; both become PyTorch's (a, b, kd, kh, kw) with the same permutation.
_KERNEL_TO_TORCH = (4, 3, 0, 1, 2)


def _layouts(owner, input, weight, data_format, kernel_layout, run):
    """Run ``run(x, w)`` on PyTorch-layout tensors; give back the input's layout and rank."""
    input, weight = as_input(input), as_input(weight)
    channels_last = channels_last_flag(data_format, owner)
    kernel_layout = kernel_layout or ("keras" if channels_last else "torch")
    if kernel_layout not in ("torch", "keras"):
        raise ValueError(f"{owner}: kernel_layout must be 'torch' or 'keras', got "
                         f"{kernel_layout!r}")
    rank = len(shape_of(input))
    if rank == 4:               # unbatched, as PyTorch allows
        return squeeze(_layouts(owner, expand_dims(input, 0), weight, data_format,
                                kernel_layout, run), 0)
    if rank != 5:
        layout = "(N, D, H, W, C)" if channels_last else "(N, C, D, H, W)"
        raise shape_error(owner, [input], f"expected a 5-D input {layout} (or 4-D unbatched), "
                          f"got {rank}-D")
    if len(shape_of(weight)) != 5:
        raise shape_error(owner, [input, weight], f"expected a 5-D weight, got "
                          f"{len(shape_of(weight))}-D")
    if kernel_layout == "keras":
        weight = transpose(weight, _KERNEL_TO_TORCH)
    if not channels_last:
        return run(input, weight)
    return transpose(run(transpose(input, _TO_FIRST), weight), _TO_LAST)


def _add_bias(out, bias, owner, channels):
    if bias is None:
        return out
    if shape_of(bias) != (channels,):
        raise shape_error(owner, [out, bias], f"the bias must have shape ({channels},)")
    return out + reshape(bias, (1, channels, 1, 1, 1))


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1,
           data_format="channels_first", kernel_layout=None):
    """3-D convolution of a batch of volumes, as ``torch.nn.functional.conv3d``.

    Args:
        input: (N, C, D, H, W) (or (N, D, H, W, C) with ``data_format="channels_last"``);
            an unbatched 4-D input works too.
        weight: (out, C/groups, kd, kh, kw), or (kd, kh, kw, C/groups, out) with
            ``kernel_layout="keras"`` (the default for channels_last).
        bias: (out,) or None.
        stride, dilation: an int or a triple.
        padding: an int, a triple, (before, after) pairs, "valid" or "same".
        groups: independent channel groups.

    Example:
        >>> from ndgrad.nn.functional import conv3d
        >>> import ndgrad
        >>> conv3d(ndgrad.ones((2, 4, 5, 6, 6)), ndgrad.ones((8, 2, 3, 3, 3)), stride=(1, 2, 2),
        ...        padding=1, groups=2).shape
        (2, 8, 5, 3, 3)
    """
    owner = "conv3d"
    groups = as_tuple(groups, 1, "groups", owner)[0]
    stride = as_tuple(stride, 3, "stride", owner)
    dilation = as_tuple(dilation, 3, "dilation", owner)

    def run(x, w):
        n, channels = shape_of(x)[:2]
        out_channels, per_group = shape_of(w)[:2]
        kernel = shape_of(w)[2:]
        if channels != per_group * groups or out_channels % groups:
            raise shape_error(owner, [x, w], f"the input has {channels} channels but the "
                              f"weight takes {per_group} per group x groups={groups} and gives "
                              f"{out_channels} (which groups must divide)")
        spatial = shape_of(x)[2:]
        pairs = resolve_padding(padding, spatial, kernel, stride, dilation, owner)
        sizes = tuple(output_size(s, k, st, d, b, a) for s, k, st, d, (b, a)
                      in zip(spatial, kernel, stride, dilation, pairs))
        check_positive_output(owner, [x, w], spatial, kernel, dilation, pairs, sizes)
        if pairs[0] != (0, 0):
            x = _pad(x, ((0, 0), (0, 0), pairs[0], (0, 0), (0, 0)))
        depth, kd = sizes[0], kernel[0]
        planes = [getitem(x, (slice(None), slice(None),
                              slice(i * dilation[0], i * dilation[0] + (depth - 1) * stride[0] + 1,
                                    stride[0])))
                  for i in range(kd)]
        h, w_ = shape_of(x)[3:]
        # (kd, N, groups, C/groups, D', H, W) -> (N * D', groups * kd * C/groups, H, W)
        stacked = reshape(stack(planes), (kd, n, groups, per_group, depth, h, w_))
        folded = reshape(transpose(stacked, (1, 4, 2, 0, 3, 5, 6)),
                         (n * depth, groups * kd * per_group, h, w_))
        # (out, C/groups, kd, kh, kw) -> (out, kd * C/groups, kh, kw), the same order
        kernels = reshape(transpose(w, (0, 2, 1, 3, 4)),
                          (out_channels, kd * per_group) + tuple(kernel[1:]))
        planes_out = conv2d(folded, kernels, None, stride[1:], pairs[1:], dilation[1:], groups)
        out = transpose(reshape(planes_out, (n, depth, out_channels) + sizes[1:]),
                        (0, 2, 1, 3, 4))
        return _add_bias(out, as_input(bias), owner, out_channels)

    return _layouts(owner, input, weight, data_format, kernel_layout, run)


def transposed_convolution3d(owner, input, weight, bias, stride, crops, dilation, groups,
                             channels_last, kernel_layout):
    """The 3-D transposed convolution with (before, after) ``crops`` of the full
    output per dimension (``after`` < 0 appends positions), as
    ``transposed_convolution`` is for 2-D."""
    def run(x, w):
        n, channels, depth, h, w_ = shape_of(x)
        in_channels, per_group = shape_of(w)[:2]
        kernel = shape_of(w)[2:]
        if channels != in_channels or in_channels % groups:
            raise shape_error(owner, [x, w], f"the input has {channels} channels but the "
                              f"weight (in, out/groups, kd, kh, kw) takes {in_channels} (which "
                              f"groups={groups} must divide)")
        kd, out_channels = kernel[0], per_group * groups
        full = (depth - 1) * stride[0] + (kd - 1) * dilation[0] + 1
        before, after = crops[0]
        if full - before - after <= 0:
            raise shape_error(owner, [x, w], f"the output depth would be {full - before - after}; "
                              "use less padding or a larger input")
        # (in, out/groups, kd, kh, kw) -> (in, kd * out/groups, kh, kw): per group, the
        # depth offsets become output channels.
        kernels = reshape(transpose(w, (0, 2, 1, 3, 4)), (in_channels, kd * per_group)
                          + tuple(kernel[1:]))
        planes = reshape(transpose(x, (0, 2, 1, 3, 4)), (n * depth, channels, h, w_))
        planes_out = transposed_convolution(owner, 2, planes, kernels, None, stride[1:],
                                            crops[1:], dilation[1:], groups, False, "torch")
        oh, ow = shape_of(planes_out)[2:]
        parts = reshape(planes_out, (n, depth, groups, kd, per_group, oh, ow))
        length = full + max(-after, 0)
        total = None
        for i in range(kd):
            part = reshape(getitem(parts, (slice(None), slice(None), slice(None), i)),
                           (n, depth, out_channels, oh, ow))
            start = i * dilation[0]
            placed = _scatter_add(part, shape=(n, length, out_channels, oh, ow),
                                  index=(slice(None), slice(start, start + (depth - 1) *
                                                            stride[0] + 1, stride[0])))
            total = placed if total is None else total + placed
        cropped = getitem(total, (slice(None), slice(before, length - max(after, 0))))
        return _add_bias(transpose(cropped, (0, 2, 1, 3, 4)), as_input(bias), owner,
                         out_channels)

    return _layouts(owner, input, weight, "channels_last" if channels_last else
                    "channels_first", kernel_layout, run)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """3-D transposed convolution, as ``torch.nn.functional.conv_transpose3d``:
    (N, C_in, D, H, W) input, (C_in, C_out/groups, kd, kh, kw) weight; each output
    dimension has ``(size - 1) * stride - 2 * padding + dilation * (k - 1) +
    output_padding + 1`` positions.

    Example:
        >>> from ndgrad.nn.functional import conv_transpose3d
        >>> import ndgrad
        >>> x, w = ndgrad.ones((2, 4, 3, 3, 3)), ndgrad.ones((4, 2, 3, 3, 3))
        >>> conv_transpose3d(x, w, stride=2, padding=1, output_padding=1).shape
        (2, 2, 6, 6, 6)
    """
    owner = "conv_transpose3d"
    groups = as_tuple(groups, 1, "groups", owner)[0]
    stride = as_tuple(stride, 3, "stride", owner)
    dilation = as_tuple(dilation, 3, "dilation", owner)
    crops = torch_crops(owner, padding, output_padding, stride, dilation, 3)
    return transposed_convolution3d(owner, input, weight, bias, stride, crops, dilation, groups,
                                    False, "torch")
