"""Table entries for convolution and pooling (ndgrad.ops.convolution, pooling,
pooling_adaptive).

The NumPy references are written here in float64, differently from the ops
(one small einsum per kernel offset over an explicitly padded array, or a
Python loop over windows for the adaptive pool); PyTorch's functional forms
are the second oracle, with layouts transposed for the channels-last cases and
explicit F.pad for TensorFlow's asymmetric "same" padding. The second-order
checks exercise the gradient primitives' own rules (the input gradient's rule
is a convolution, the kernel gradient's too).
"""

import math
import warnings

import numpy as np

from ndgrad.ops.convolution import conv1d, conv2d
from ndgrad.ops.pooling import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from ndgrad.ops.pooling_adaptive import (adaptive_avg_pool1d, adaptive_avg_pool2d,
                                         global_avg_pool2d, global_max_pool2d)

from .harness import OpCase, distinct

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = F = None


def _torch(function):
    return function if torch is not None else None


# ------------------------------------------------------------------ references
def _pairs(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def _same(size, kernel, stride, dilation):
    total = max((math.ceil(size / stride) - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def reference_conv2d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """float64 NCHW convolution; ``padding`` an int, a pair, or ((t, b), (l, r))."""
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    stride, dilation = _pairs(stride), _pairs(dilation)
    if padding == "same":
        padding = tuple(_same(s, k, st, d) for s, k, st, d
                        in zip(x.shape[2:], w.shape[2:], stride, dilation))
    pads = [(p, p) if isinstance(p, int) else tuple(p) for p in _pairs(padding)]
    x = np.pad(x, [(0, 0), (0, 0)] + pads)
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    oh = (h - (kh - 1) * dilation[0] - 1) // stride[0] + 1
    ow = (wd - (kw - 1) * dilation[1] - 1) // stride[1] + 1
    out = np.zeros((n, f, oh, ow))
    fg = f // groups
    for group in range(groups):
        xs = x[:, group * cg:(group + 1) * cg]
        ws = w[group * fg:(group + 1) * fg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dilation[0]::stride[0], j * dilation[1]::stride[1]]
                out[:, group * fg:(group + 1) * fg] += np.einsum(
                    "nchw,fc->nfhw", patch[:, :, :oh, :ow], ws[:, :, i, j])
    return out if b is None else out + np.asarray(b, np.float64)[:, None, None]


def reference_pool2d(x, kernel, stride, padding=0, mode="max", dilation=1, ceil_mode=False,
                     count_include_pad=True):
    """float64 NCHW pooling, one output position at a time (PyTorch's rules)."""
    x = np.asarray(x, np.float64)
    kernel, stride, dilation = _pairs(kernel), _pairs(stride), _pairs(dilation)
    if padding == "same":
        padding = tuple(_same(s, k, st, d) for s, k, st, d
                        in zip(x.shape[2:], kernel, stride, dilation))
    pads = [(p, p) if isinstance(p, int) else tuple(p) for p in _pairs(padding)]
    sizes = []
    for size, k, st, d, (before, after) in zip(x.shape[2:], kernel, stride, dilation, pads):
        span = size + before + after - (k - 1) * d - 1
        count = (-(-span // st) if ceil_mode else span // st) + 1
        if ceil_mode and (count - 1) * st >= size + before:
            count -= 1
        sizes.append(count)
    out = np.zeros(x.shape[:2] + tuple(sizes))
    for oh in range(sizes[0]):
        for ow in range(sizes[1]):
            rows = [oh * stride[0] - pads[0][0] + i * dilation[0] for i in range(kernel[0])]
            cols = [ow * stride[1] - pads[1][0] + j * dilation[1] for j in range(kernel[1])]
            real_rows = [r for r in rows if 0 <= r < x.shape[2]]
            real_cols = [c for c in cols if 0 <= c < x.shape[3]]
            window = x[:, :, real_rows][:, :, :, real_cols]
            if mode == "max":
                out[:, :, oh, ow] = window.max(axis=(2, 3))
                continue
            if count_include_pad:
                inside = [sum(-p[0] <= v < n + p[1] for v in values) for values, n, p
                          in ((rows, x.shape[2], pads[0]), (cols, x.shape[3], pads[1]))]
                divisor = inside[0] * inside[1]
            else:
                divisor = len(real_rows) * len(real_cols)
            out[:, :, oh, ow] = window.sum(axis=(2, 3)) / divisor
    return out


def reference_adaptive2d(x, size):
    x = np.asarray(x, np.float64)
    (h, w), (oh, ow) = x.shape[2:], size
    out = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            rows = slice(i * h // oh, -(-(i + 1) * h // oh))
            cols = slice(j * w // ow, -(-(j + 1) * w // ow))
            out[:, :, i, j] = x[:, :, rows, cols].mean(axis=(2, 3))
    return out


def _nhwc(function):
    """A reference on NCHW arrays turned into one on NHWC input and HWIO kernel."""
    def reference(x, w, *rest, **kwargs):
        out = function(np.moveaxis(x, -1, 1), np.transpose(w, (3, 2, 0, 1)), *rest, **kwargs)
        return np.moveaxis(out, 1, -1)
    return reference


def _1d(function):
    """A 2-D reference applied to (N, C, L) data through a unit height."""
    def reference(x, w, *rest, **kwargs):
        return function(x[:, :, None, :], w[:, :, None, :], *rest, **kwargs)[:, :, 0, :]
    return reference


# ------------------------------------------------------------------ torch oracles
def _torch_nhwc_same_strided(x, w, b):
    """Keras Conv2D(strides=2, padding="same") on NHWC, through F.pad + F.conv2d."""
    x, w = x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1)
    (top, bottom), (left, right) = [_same(s, k, 2, 1) for s, k in zip(x.shape[2:], w.shape[2:])]
    out = F.conv2d(F.pad(x, (left, right, top, bottom)), w, b, stride=2)
    return out.permute(0, 2, 3, 1)


def _torch_same_even_kernel(x, w):
    with warnings.catch_warnings():   # PyTorch notes that it pads a copy here
        warnings.simplefilter("ignore", UserWarning)
        return F.conv2d(x, w, padding="same", dilation=(1, 2))


CONV_SHAPES = [((2, 3, 6, 5), (4, 3, 3, 3), (4,)), ((1, 2, 4, 4), (3, 2, 1, 2), (3,)),
               ((0, 3, 6, 5), (4, 3, 3, 3), (4,))]

CASES = [
    OpCase("conv2d", lambda x, w, b: conv2d(x, w, b, padding=1),
           lambda x, w, b: reference_conv2d(x, w, b, padding=1), CONV_SHAPES,
           torch=_torch(lambda x, w, b: F.conv2d(x, w, b, padding=1))),
    OpCase("conv2d_stride_dilation",
           lambda x, w: conv2d(x, w, stride=2, padding=(1, 2), dilation=2),
           lambda x, w: reference_conv2d(x, w, stride=2, padding=(1, 2), dilation=2),
           [((2, 2, 7, 8), (3, 2, 2, 3))],
           torch=_torch(lambda x, w: F.conv2d(x, w, stride=2, padding=(1, 2), dilation=2))),
    OpCase("conv2d_groups", lambda x, w, b: conv2d(x, w, b, padding=1, groups=2),
           lambda x, w, b: reference_conv2d(x, w, b, padding=1, groups=2),
           [((1, 4, 5, 5), (6, 2, 3, 3), (6,))],
           torch=_torch(lambda x, w, b: F.conv2d(x, w, b, padding=1, groups=2))),
    # 8 or more input channels at stride 1: the input gradient's wide-grid path.
    OpCase("conv2d_many_channels",
           lambda x, w, b: conv2d(x, w, b, padding=((1, 0), (2, 1)), dilation=(2, 1), groups=2),
           lambda x, w, b: reference_conv2d(x, w, b, padding=((1, 0), (2, 1)), dilation=(2, 1),
                                            groups=2),
           [((2, 8, 5, 4), (4, 4, 3, 2), (4,))],
           torch=_torch(lambda x, w, b: F.conv2d(F.pad(x, (2, 1, 1, 0)), w, b, dilation=(2, 1),
                                                 groups=2))),
    OpCase("conv2d_depthwise", lambda x, w: conv2d(x, w, stride=(1, 2), groups=3),
           lambda x, w: reference_conv2d(x, w, stride=(1, 2), groups=3),
           [((2, 3, 5, 6), (6, 1, 3, 3))],
           torch=_torch(lambda x, w: F.conv2d(x, w, stride=(1, 2), groups=3))),
    OpCase("conv2d_same_even_kernel", lambda x, w: conv2d(x, w, padding="same", dilation=(1, 2)),
           lambda x, w: reference_conv2d(x, w, padding="same", dilation=(1, 2)),
           [((1, 2, 6, 7), (3, 2, 4, 2))],
           torch=_torch(_torch_same_even_kernel)),
    OpCase("conv2d_unbatched", lambda x, w: conv2d(x, w, padding=1),
           lambda x, w: reference_conv2d(x[None], w, padding=1)[0],
           [((2, 4, 4), (3, 2, 3, 3))],
           torch=_torch(lambda x, w: F.conv2d(x, w, padding=1))),
    OpCase("conv2d_channels_last",
           lambda x, w, b: conv2d(x, w, b, padding=(1, 0), groups=2, data_format="channels_last"),
           _nhwc(lambda x, w, b: reference_conv2d(x, w, b, padding=(1, 0), groups=2)),
           [((2, 5, 4, 4), (3, 2, 2, 6), (6,))],
           torch=_torch(lambda x, w, b: F.conv2d(x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1), b,
                                                 padding=(1, 0), groups=2).permute(0, 2, 3, 1))),
    OpCase("conv2d_keras_same_strided",
           lambda x, w, b: conv2d(x, w, b, stride=2, padding="same", data_format="channels_last"),
           _nhwc(lambda x, w, b: reference_conv2d(x, w, b, stride=2, padding="same")),
           [((2, 6, 5, 2), (3, 3, 2, 4), (4,)), ((1, 4, 4, 1), (2, 2, 1, 2), (2,))],
           torch=_torch(_torch_nhwc_same_strided)),
    OpCase("conv2d_channels_first_keras_kernel",
           lambda x, w: conv2d(x, w, padding=1, kernel_layout="keras"),
           lambda x, w: reference_conv2d(x, np.transpose(w, (3, 2, 0, 1)), padding=1),
           [((1, 2, 4, 5), (3, 3, 2, 3))]),
    OpCase("conv1d", lambda x, w, b: conv1d(x, w, b, stride=2, padding=1, dilation=2),
           lambda x, w, b: _1d(reference_conv2d)(x, w, b, stride=(1, 2), padding=(0, 1),
                                                  dilation=(1, 2)),
           [((2, 3, 9), (4, 3, 3), (4,))],
           torch=_torch(lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1, dilation=2))),
    OpCase("conv1d_causal_channels_last",
           lambda x, w: conv1d(x, w, padding="causal", dilation=2, data_format="channels_last"),
           lambda x, w: np.moveaxis(_1d(reference_conv2d)(
               np.moveaxis(x, -1, 1), np.transpose(w, (2, 1, 0)), padding=((0, 0), (4, 0)),
               dilation=(1, 2)), 1, -1),
           [((2, 7, 3), (3, 3, 2))],
           torch=_torch(lambda x, w: F.conv1d(F.pad(x.permute(0, 2, 1), (4, 0)),
                                              w.permute(2, 1, 0), dilation=2).permute(0, 2, 1))),
    # ---------------------------------------------------------------- pooling
    OpCase("max_pool2d", lambda x: max_pool2d(x, 2),
           lambda x: reference_pool2d(x, 2, 2),
           [((2, 3, 6, 5),), ((1, 1, 2, 2),)], domain=distinct,
           torch=_torch(lambda x: F.max_pool2d(x, 2))),
    OpCase("max_pool2d_overlapping_padded", lambda x: max_pool2d(x, 3, stride=2, padding=1),
           lambda x: reference_pool2d(x, 3, 2, 1),
           [((2, 2, 7, 6),)], domain=distinct,
           torch=_torch(lambda x: F.max_pool2d(x, 3, stride=2, padding=1))),
    OpCase("max_pool2d_ceil_mode_dilated",
           lambda x: max_pool2d(x, (2, 3), stride=2, dilation=(2, 1), ceil_mode=True),
           lambda x: reference_pool2d(x, (2, 3), 2, dilation=(2, 1), ceil_mode=True),
           [((1, 2, 8, 7),)], domain=distinct,
           torch=_torch(lambda x: F.max_pool2d(x, (2, 3), stride=2, dilation=(2, 1),
                                               ceil_mode=True))),
    OpCase("max_pool2d_channels_last_same",
           lambda x: max_pool2d(x, 3, stride=2, padding="same", data_format="channels_last"),
           lambda x: np.moveaxis(reference_pool2d(np.moveaxis(x, -1, 1), 3, 2, "same"), 1, -1),
           [((2, 5, 6, 3),)], domain=distinct),
    OpCase("max_pool1d", lambda x: max_pool1d(x, 3, stride=2, padding=1),
           lambda x: reference_pool2d(x[:, :, None], (1, 3), (1, 2), (0, 1))[:, :, 0],
           [((2, 3, 9),)], domain=distinct,
           torch=_torch(lambda x: F.max_pool1d(x, 3, stride=2, padding=1))),
    OpCase("avg_pool2d", lambda x: avg_pool2d(x, 3, stride=2, padding=1),
           lambda x: reference_pool2d(x, 3, 2, 1, "mean"),
           [((2, 3, 7, 6),)], torch=_torch(lambda x: F.avg_pool2d(x, 3, stride=2, padding=1))),
    OpCase("avg_pool2d_exclude_pad_ceil",
           lambda x: avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True,
                                count_include_pad=False),
           lambda x: reference_pool2d(x, 3, 2, 1, "mean", ceil_mode=True,
                                      count_include_pad=False),
           [((1, 2, 6, 8),)],
           torch=_torch(lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True,
                                               count_include_pad=False))),
    OpCase("avg_pool2d_channels_last",
           lambda x: avg_pool2d(x, (2, 3), data_format="channels_last"),
           lambda x: np.moveaxis(reference_pool2d(np.moveaxis(x, -1, 1), (2, 3), (2, 3), 0,
                                                  "mean"), 1, -1),
           [((2, 4, 6, 3),)]),
    OpCase("avg_pool1d", lambda x: avg_pool1d(x, 2),
           lambda x: reference_pool2d(x[:, :, None], (1, 2), (1, 2), 0, "mean")[:, :, 0],
           [((2, 3, 7),)], torch=_torch(lambda x: F.avg_pool1d(x, 2))),
    OpCase("adaptive_avg_pool2d", lambda x: adaptive_avg_pool2d(x, (3, 4)),
           lambda x: reference_adaptive2d(x, (3, 4)), [((2, 3, 7, 9),), ((1, 2, 6, 8),)],
           torch=_torch(lambda x: F.adaptive_avg_pool2d(x, (3, 4)))),
    OpCase("adaptive_avg_pool1d", lambda x: adaptive_avg_pool1d(x, 4),
           lambda x: reference_adaptive2d(x[:, :, None], (1, 4))[:, :, 0], [((2, 3, 10),)],
           torch=_torch(lambda x: F.adaptive_avg_pool1d(x, 4))),
    OpCase("global_avg_pool2d", lambda x: global_avg_pool2d(x, data_format="channels_last"),
           lambda x: np.asarray(x, np.float64).mean(axis=(1, 2)), [((2, 3, 4, 5),)]),
    OpCase("global_max_pool2d", lambda x: global_max_pool2d(x, keepdims=True),
           lambda x: np.asarray(x, np.float64).max(axis=(2, 3), keepdims=True),
           [((2, 3, 4, 5),)], domain=distinct,
           torch=_torch(lambda x: F.adaptive_max_pool2d(x, 1))),
]
