"""The matrix products of the convolution primitives (``convolution.py``).

The forward, the kernel gradient and the input gradient are each one product
per group over im2col's columns; which operand goes left, and whether the
product runs per image, is chosen here from the gradient's memory layout and
the shapes, as measured on OpenBLAS (the numbers are in the functions).

Example:
    >>> import numpy as np
    >>> from ndgrad.ops._convolution_products import _grouped_product
    >>> _grouped_product(np.ones((1, 2, 3), np.float32), np.ones((1, 3, 4), np.float32)).shape
    (2, 4)
"""

import numpy as np

from . import _reusable_buffers as buffers

def _grouped_product(left, right):
    """(groups, a, b) @ (groups, b, c) -> (groups * a, c), one BLAS call per group,
    written into a reused buffer."""
    groups, rows, _ = left.shape
    product = buffers.empty((groups * rows, right.shape[2]), np.result_type(left, right))
    np.matmul(left, right, out=product.reshape(groups, rows, right.shape[2]))
    return product


def _output_major(g4, groups, dtype):
    """The gradient of the output as (groups, out/groups, N * oh * ow): a free
    view when it is laid out as the forward wrote it, a copy otherwise."""
    n, f, oh, ow = g4.shape
    matrix = g4.transpose(1, 0, 2, 3).reshape(groups, f // groups, n * oh * ow)
    return matrix.astype(dtype, copy=False)


def _batch_major(g4):
    """Whether a gradient lies in memory image by image (NCHW or NHWC, as one
    given to ``backward`` usually does) rather than channel by channel (the
    (C, N, H, W) the forward writes). Image by image, the products run one
    BLAS call per image on views instead of copying the gradient first."""
    return g4.shape[0] > 1 and abs(g4.strides[0]) > abs(g4.strides[1])


def _per_image(g4, groups, dtype):
    n, f, oh, ow = g4.shape
    return g4.reshape(n, groups, f // groups, oh * ow).astype(dtype, copy=False)


def _kernel_grad_product(g4, columns, groups, dtype):
    """``g @ columns.T`` per group: (out, C/groups * kh * kw)."""
    per_group = columns.shape[0] // groups
    n, f, oh, ow = g4.shape
    # Per image, the partial products (N, out, per_group) must be summed; that is
    # cheaper than copying g only while they are no larger than g itself.
    if _batch_major(g4) and per_group <= oh * ow:
        windows = columns.reshape(groups, per_group, n, oh * ow).transpose(2, 0, 3, 1)
        return np.matmul(_per_image(g4, groups, dtype), windows).sum(axis=0)
    g_matrix = _output_major(g4, groups, dtype)
    # One product with an inner dimension of N * oh * ow and a tiny (out, k)
    # result is OpenBLAS's weak spot. Measured on 2 cores (ms, one product /
    # per image / columns @ g.T): out 16 k 9 N 64 26x26: 0.50 / 0.15 / 0.51;
    # out 32 k 144 N 64 11x11: 0.75 / 0.91 / 0.51; out 64 k 288 N 64 16x16:
    # 4.6 / 5.5 / 4.2; out 256 k 2304 N 8 7x7: 2.5 / 4.7 / 3.7. So: per image
    # when the summed partials are small, columns @ g.T for up to 64 outputs.
    if groups == 1 and n > 1 and f * per_group <= 1024:
        g_images = g_matrix.reshape(1, f, n, oh * ow).transpose(2, 0, 1, 3)
        windows = columns.reshape(1, per_group, n, oh * ow).transpose(2, 0, 3, 1)
        return np.matmul(g_images, windows).sum(axis=0)
    if f // groups <= 64:
        windows = columns.reshape(groups, per_group, columns.shape[1])
        product = np.matmul(windows, g_matrix.transpose(0, 2, 1))
        return np.ascontiguousarray(product.transpose(0, 2, 1))
    windows = columns.reshape(groups, per_group, columns.shape[1]).transpose(0, 2, 1)
    return _grouped_product(g_matrix, windows)


def _input_grad_pieces(w4, g4, groups, dtype):
    """``weight.T @ g`` per group, as a (C, kh, kw, N, oh, ow) view: what each
    kernel offset sends back to the input."""
    out_channels, in_per_group, kh, kw = w4.shape
    n, _, oh, ow = g4.shape
    weight_t = w4.reshape(groups, out_channels // groups, in_per_group * kh * kw)
    weight_t = weight_t.transpose(0, 2, 1)
    channels = in_per_group * groups
    if _batch_major(g4):
        pieces = np.matmul(weight_t, _per_image(g4, groups, dtype))
        return pieces.reshape(n, channels, kh, kw, oh, ow).transpose(1, 2, 3, 0, 4, 5)
    pieces = _grouped_product(weight_t, _output_major(g4, groups, dtype))
    return pieces.reshape(channels, kh, kw, n, oh, ow)
