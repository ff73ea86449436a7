"""Table entries for transposed convolution (ndgrad.ops.convolution_transpose).

The NumPy reference is written here in float64 from the definition, not from
the convolution's gradient: every input pixel adds ``x * weight`` onto the
window of the full output it spreads to (one einsum and one strided add per
kernel offset), and the requested crops are then cut off (or zeros appended).
PyTorch's ``conv_transpose1d/2d`` are the second oracle; Keras's "same" and
"valid" go through PyTorch's uncropped output sliced as Keras's backends do.
"""

import numpy as np

from ndgrad.ops.convolution_transpose import (conv_transpose1d, conv_transpose2d,
                                              keras_crops)

from .harness import OpCase

try:
    import torch.nn.functional as F
except ImportError:
    F = None


def _torch(function):
    return function if F is not None else None


def _pairs(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def reference_conv_transpose2d(x, w, b=None, stride=1, crops=((0, 0), (0, 0)), dilation=1,
                               groups=1):
    """float64 NCHW transposed convolution, weight (in, out/groups, kh, kw); ``crops``
    (before, after) per axis, a negative ``after`` appending zeros."""
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    stride, dilation = _pairs(stride), _pairs(dilation)
    n, c, h, wd = x.shape
    _, out_per_group, kh, kw = w.shape
    full_h = (h - 1) * stride[0] + (kh - 1) * dilation[0] + 1
    full_w = (wd - 1) * stride[1] + (kw - 1) * dilation[1] + 1
    (top, bottom), (left, right) = crops
    pad_h, pad_w = max(-bottom, 0), max(-right, 0)
    full = np.zeros((n, out_per_group * groups, full_h + pad_h, full_w + pad_w))
    in_per_group = c // groups
    for g in range(groups):
        xs = x[:, g * in_per_group:(g + 1) * in_per_group]
        ws = w[g * in_per_group:(g + 1) * in_per_group]
        for i in range(kh):
            for j in range(kw):
                rows = slice(i * dilation[0], i * dilation[0] + (h - 1) * stride[0] + 1,
                             stride[0])
                cols = slice(j * dilation[1], j * dilation[1] + (wd - 1) * stride[1] + 1,
                             stride[1])
                full[:, g * out_per_group:(g + 1) * out_per_group, rows, cols] += np.einsum(
                    "nchw,co->nohw", xs, ws[:, :, i, j])
    out = full[:, :, top:full_h + pad_h - max(bottom, 0), left:full_w + pad_w - max(right, 0)]
    return out if b is None else out + np.asarray(b, np.float64)[:, None, None]


def _keras_torch(padding, stride, output_padding=None):
    """Keras's transposed convolution on NHWC/HWOI through PyTorch: the uncropped
    output, then Keras's crops (zeros appended where a crop is negative)."""
    def run(x, w):
        kernel = w.shape[:2]
        crops = keras_crops("test", padding, output_padding, kernel, (stride, stride), (1, 1))
        out = F.conv_transpose2d(x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1), stride=stride)
        (top, bottom), (left, right) = crops
        out = F.pad(out, (-left, -right, -top, -bottom))
        return out.permute(0, 2, 3, 1)
    return run


def _keras_reference(padding, stride, output_padding=None):
    def run(x, w):
        crops = keras_crops("test", padding, output_padding, w.shape[:2], (stride, stride),
                            (1, 1))
        out = reference_conv_transpose2d(np.moveaxis(x, -1, 1), np.transpose(w, (3, 2, 0, 1)),
                                         stride=stride, crops=crops)
        return np.moveaxis(out, 1, -1)
    return run


def _1d(x, w, b, **kwargs):
    return reference_conv_transpose2d(x[:, :, None, :], w[:, :, None, :], b, **kwargs)[:, :, 0]


CASES = [
    OpCase("conv_transpose2d",
           lambda x, w, b: conv_transpose2d(x, w, b, stride=2, padding=1),
           lambda x, w, b: reference_conv_transpose2d(x, w, b, stride=2, crops=((1, 1), (1, 1))),
           [((2, 3, 4, 5), (3, 2, 4, 4), (2,)), ((0, 3, 4, 5), (3, 2, 4, 4), (2,))],
           torch=_torch(lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1))),
    OpCase("conv_transpose2d_output_padding_groups_dilation",
           lambda x, w, b: conv_transpose2d(x, w, b, stride=(2, 3), padding=(1, 0),
                                            output_padding=(1, 2), groups=2, dilation=(1, 2)),
           lambda x, w, b: reference_conv_transpose2d(x, w, b, stride=(2, 3), dilation=(1, 2),
                                                      crops=((1, 0), (0, -2)), groups=2),
           [((2, 4, 3, 3), (4, 3, 3, 2), (6,))],
           torch=_torch(lambda x, w, b: F.conv_transpose2d(
               x, w, b, stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2,
               dilation=(1, 2)))),
    # output_padding >= stride (allowed below the dilation), past the reach of any input
    OpCase("conv_transpose2d_output_padding_past_stride",
           lambda x, w: conv_transpose2d(x, w, stride=1, output_padding=1, dilation=2),
           lambda x, w: reference_conv_transpose2d(x, w, dilation=2, crops=((0, -1), (0, -1))),
           [((1, 2, 3, 4), (2, 3, 2, 2))],
           torch=_torch(lambda x, w: F.conv_transpose2d(x, w, output_padding=1, dilation=2))),
    # stride 1 with 8+ output channels: the convolution input gradient's wide-grid path
    OpCase("conv_transpose2d_unit_stride_many_channels",
           lambda x, w, b: conv_transpose2d(x, w, b, padding=(1, 2)),
           lambda x, w, b: reference_conv_transpose2d(x, w, b, crops=((1, 1), (2, 2))),
           [((2, 3, 5, 6), (3, 8, 3, 4), (8,))],
           torch=_torch(lambda x, w, b: F.conv_transpose2d(x, w, b, padding=(1, 2)))),
    OpCase("conv_transpose2d_unbatched",
           lambda x, w: conv_transpose2d(x, w, stride=2),
           lambda x, w: reference_conv_transpose2d(x[None], w, stride=2)[0],
           [((2, 3, 3), (2, 3, 3, 3))],
           torch=_torch(lambda x, w: F.conv_transpose2d(x, w, stride=2))),
    OpCase("conv_transpose2d_keras_same",
           lambda x, w: conv_transpose2d(x, w, stride=2, padding="same",
                                         data_format="channels_last"),
           _keras_reference("same", 2),
           [((2, 3, 4, 3), (3, 3, 2, 3)), ((1, 4, 4, 2), (4, 4, 3, 2))],
           torch=_torch(_keras_torch("same", 2))),
    OpCase("conv_transpose2d_keras_valid_small_kernel",
           lambda x, w: conv_transpose2d(x, w, stride=3, padding="valid",
                                         data_format="channels_last"),
           _keras_reference("valid", 3),
           [((2, 3, 2, 2), (2, 2, 3, 2))],
           torch=_torch(_keras_torch("valid", 3))),
    OpCase("conv_transpose2d_keras_same_output_padding",
           lambda x, w: conv_transpose2d(x, w, stride=2, padding="same", output_padding=1,
                                         data_format="channels_last"),
           _keras_reference("same", 2, (1, 1)),
           [((1, 3, 3, 2), (3, 3, 2, 2))],
           torch=_torch(_keras_torch("same", 2, (1, 1)))),
    OpCase("conv_transpose1d",
           lambda x, w, b: conv_transpose1d(x, w, b, stride=3, padding=2, output_padding=1,
                                            dilation=2),
           lambda x, w, b: _1d(x, w, b, stride=(1, 3), dilation=(1, 2),
                               crops=((0, 0), (2, 1))),
           [((2, 3, 5), (3, 4, 3), (4,))],
           torch=_torch(lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3, padding=2,
                                                           output_padding=1, dilation=2))),
    OpCase("conv_transpose1d_channels_last_keras_kernel",
           lambda x, w: conv_transpose1d(x, w, stride=2, padding="valid",
                                         data_format="channels_last"),
           lambda x, w: np.moveaxis(_1d(np.moveaxis(x, -1, 1), np.transpose(w, (2, 1, 0)), None,
                                        stride=(1, 2)), 1, -1),
           [((2, 4, 3), (3, 5, 3))],
           torch=_torch(lambda x, w: F.conv_transpose1d(x.permute(0, 2, 1), w.permute(2, 1, 0),
                                                        stride=2).permute(0, 2, 1))),
]
