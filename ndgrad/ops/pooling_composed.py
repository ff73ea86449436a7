"""Pooling built from the 2-D pooling primitives: 3-D max, average and adaptive
average pooling, and power-average (LP) pooling, as PyTorch's functional forms.

A 3-D window is a box, and the maximum, the sum and the cell count over a box
are the maximum, sum and product over its (H, W) face and then over its depth.
So 3-D pooling is two 2-D passes: the depth folded into the channels for the
(H, W) pass, then the depth pooled with (kd, 1) windows over the flattened
(oh * ow) positions. Ties keep PyTorch's rule (the first maximum in (d, h, w)
order: the first plane holding the maximum, and the first position in it), and
the divisors of average pooling (padding counted or not, ``ceil_mode``'s
clipped windows) are the products PyTorch uses. Gradients come from the 2-D
primitives.

LP pooling is ``(sum over the window of x ** p) ** (1 / p)``, an average pool of
``x ** p`` scaled by the window's size, as PyTorch computes it; a window whose
sum is zero gets a zero gradient (not NaN), as in PyTorch.

Example:
    >>> from ndgrad.nn.functional import lp_pool1d
    >>> from ndgrad.nn.functional import avg_pool3d
    >>> from ndgrad.nn.functional import max_pool3d
    >>> import ndgrad
    >>> x = ndgrad.arange(8.0).reshape(1, 1, 2, 2, 2)
    >>> max_pool3d(x, 2).tolist(), avg_pool3d(x, 2).tolist()
    ([[[[[7.0]]]]], [[[[[3.5]]]]])
    >>> lp_pool1d(ndgrad.tensor([[[3.0, 4.0]]]), 2, 2).tolist()
    [[[5.0]]]
"""

import math

import numpy as np

from ..autograd.primitive import as_input, data_of, shape_of
from ..errors import shape_error
from .convolution_geometry import (as_tuple, channels_last_flag, check_positive_output,
                                   output_size, resolve_padding)
from .elementwise import abs as _abs
from .pooling import _pooling, avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from .pooling_adaptive import adaptive_avg_pool2d
from .selection import where
from .shape import expand_dims, reshape, squeeze, transpose

__all__ = ["max_pool3d", "avg_pool3d", "adaptive_avg_pool3d", "lp_pool1d", "lp_pool2d",
           "lp_pool3d"]


def _as_volume(owner, input, data_format, run):
    """Run ``run(x)`` on ``input`` as a batched channels-first (N, C, D, H, W)
    tensor and give the result back in the input's layout and rank."""
    input = as_input(input)
    channels_last = channels_last_flag(data_format, owner)
    rank = len(shape_of(input))
    if rank == 4:               # unbatched, as PyTorch allows
        return squeeze(_as_volume(owner, expand_dims(input, 0), data_format, run), 0)
    if rank != 5:
        layout = "(N, D, H, W, C)" if channels_last else "(N, C, D, H, W)"
        raise shape_error(owner, [input], f"expected a 5-D input {layout} (or 4-D unbatched), "
                          f"got {rank}-D")
    if not channels_last:
        return run(input)
    return transpose(run(transpose(input, (0, 4, 1, 2, 3))), (0, 2, 3, 4, 1))


def _pool3d(owner, input, kernel_size, stride, padding, dilation, ceil_mode, data_format,
            average=False, count_include_pad=True, divisor_override=None):
    kernel = as_tuple(kernel_size, 3, "kernel_size", owner)
    stride = kernel if stride is None else as_tuple(stride, 3, "stride", owner)
    dilation = as_tuple(dilation, 3, "dilation", owner)

    def run(x):
        n, c, d, h, w = shape_of(x)
        pairs = resolve_padding(padding, (d, h, w), kernel, stride, dilation, owner)
        sizes = tuple(output_size(s, k, st, dl, b, a, ceil_mode) for s, k, st, dl, (b, a)
                      in zip((d, h, w), kernel, stride, dilation, pairs))
        check_positive_output(owner, [x], (d, h, w), kernel, dilation, pairs, sizes)
        faces = _pooling(owner, 2, reshape(x, (n, c * d, h, w)), kernel[1:], stride[1:],
                         pairs[1:], dilation[1:], ceil_mode, "channels_first", average,
                         count_include_pad, None if divisor_override is None else 1)
        depth = _pooling(owner, 2, reshape(faces, (n, c, d, sizes[1] * sizes[2])),
                         (kernel[0], 1), (stride[0], 1), (pairs[0], (0, 0)), (dilation[0], 1),
                         ceil_mode, "channels_first", average, count_include_pad,
                         divisor_override)
        return reshape(depth, (n, c) + sizes)

    return _as_volume(owner, input, data_format, run)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False, data_format="channels_first"):
    """The maximum of each (kd, kh, kw) window, as ``torch.nn.functional.max_pool3d``.

    Args:
        input: (N, C, D, H, W) or unbatched (C, D, H, W); (N, D, H, W, C) with
            ``data_format="channels_last"``.
        kernel_size, stride, padding, dilation: an int or a triple (``padding``
            also "valid" / "same", or (before, after) pairs); the stride
            defaults to the kernel.
        ceil_mode: keep a last partial window.
        return_indices: not supported (there is no ``max_unpool3d``).

    Example:
        >>> from ndgrad.nn.functional import max_pool3d
        >>> import ndgrad
        >>> max_pool3d(ndgrad.ones((2, 3, 4, 6, 6)), (2, 3, 3)).shape
        (2, 3, 2, 2, 2)
    """
    if return_indices:
        raise NotImplementedError("max_pool3d: return_indices=True is not supported; use "
                                  "max_pool2d on (N, C * D, H, W) when the indices are needed")
    return _pool3d("max_pool3d", input, kernel_size, stride, padding, dilation, ceil_mode,
                   data_format)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None, data_format="channels_first"):
    """The mean of each (kd, kh, kw) window, as ``torch.nn.functional.avg_pool3d``.

    Args:
        input, kernel_size, stride, padding, ceil_mode: as :func:`max_pool3d`
            (implicit padding is zeros).
        count_include_pad: divide by the window's cells inside the padded input
            (PyTorch's default) or inside the input only.
        divisor_override: divide each window's sum by this instead.

    Example:
        >>> from ndgrad.nn.functional import avg_pool3d
        >>> import ndgrad
        >>> avg_pool3d(ndgrad.ones((1, 1, 2, 2, 2)), 2, padding=1).numpy().ravel().tolist()[:2]
        [0.125, 0.125]
    """
    return _pool3d("avg_pool3d", input, kernel_size, stride, padding, 1, ceil_mode, data_format,
                   True, count_include_pad, divisor_override)


def adaptive_avg_pool3d(input, output_size, data_format="channels_first"):
    """Average pooling to a fixed (od, oh, ow) output, as
    ``torch.nn.functional.adaptive_avg_pool3d`` (None keeps that dimension).

    Example:
        >>> from ndgrad.nn.functional import adaptive_avg_pool3d
        >>> import ndgrad
        >>> adaptive_avg_pool3d(ndgrad.ones((2, 3, 5, 4, 7)), (1, 2, None)).shape
        (2, 3, 1, 2, 7)
    """
    sizes = (output_size,) * 3 if output_size is None or isinstance(
        output_size, (int, np.integer)) else tuple(output_size)
    if len(sizes) != 3:
        raise ValueError(f"adaptive_avg_pool3d: output_size must be an int or 3 values (None "
                         f"keeps a dimension), got {output_size!r}")

    def run(x):
        n, c, d, h, w = shape_of(x)
        faces = adaptive_avg_pool2d(reshape(x, (n, c * d, h, w)), sizes[1:])
        oh, ow = shape_of(faces)[2:]
        depth = adaptive_avg_pool2d(reshape(faces, (n, c, d, oh * ow)), (sizes[0], None))
        return reshape(depth, (n, c, shape_of(depth)[2], oh, ow))

    return _as_volume("adaptive_avg_pool3d", input, data_format, run)


# ------------------------------------------------------------------ LP pooling
_POOLS = {1: (max_pool1d, avg_pool1d), 2: (max_pool2d, avg_pool2d), 3: (max_pool3d, avg_pool3d)}


def _lp_pool(owner, dims, input, norm_type, kernel_size, stride, ceil_mode):
    max_pool, avg_pool = _POOLS[dims]
    x = as_input(input)
    norm_type = float(norm_type)
    if norm_type == math.inf:
        return max_pool(_abs(x), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -math.inf:
        return -max_pool(-_abs(x), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == 0:
        raise ValueError(f"{owner}: norm_type must be non-zero (it is the power p)")
    mean = avg_pool(x ** norm_type, kernel_size, stride, 0, ceil_mode)
    count = math.prod(as_tuple(kernel_size, dims, "kernel_size", owner))
    empty = np.asarray(data_of(mean)) == 0
    safe = where(empty, 1.0, mean)
    return where(empty, 0.0, (safe * count) ** (1.0 / norm_type))


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling of (N, C, L) sequences, as ``torch.nn.functional.lp_pool1d``:
    ``(sum of x ** p over each window) ** (1 / p)`` (p = inf: the maximum of abs(x)).

    Example:
        >>> from ndgrad.nn.functional import lp_pool1d
        >>> import ndgrad
        >>> lp_pool1d(ndgrad.tensor([[[1.0, 2.0, 2.0, 4.0]]]), 1, 2).tolist()
        [[[3.0, 6.0]]]
    """
    return _lp_pool("lp_pool1d", 1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling of (N, C, H, W) images, as ``torch.nn.functional.lp_pool2d``.

    Example:
        >>> from ndgrad.nn.functional import lp_pool2d
        >>> import ndgrad
        >>> lp_pool2d(ndgrad.ones((1, 1, 2, 2)), 2, 2).tolist()
        [[[[2.0]]]]
    """
    return _lp_pool("lp_pool2d", 2, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling of (N, C, D, H, W) volumes, as ``torch.nn.functional.lp_pool3d``.

    Example:
        >>> from ndgrad.nn.functional import lp_pool3d
        >>> import ndgrad
        >>> lp_pool3d(ndgrad.ones((1, 1, 2, 2, 2)), 3, 2).numpy().round(4).ravel().tolist()
        [2.0]
    """
    return _lp_pool("lp_pool3d", 3, input, norm_type, kernel_size, stride, ceil_mode)
