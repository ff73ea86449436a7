"""``unfold`` and ``fold``: the convolution's windows as a tensor, and back, as
``torch.nn.functional.unfold`` / ``fold``.

``unfold`` is the convolution's own im2col (``convolution_geometry.im2col``):
each column of its (N, C * kh * kw, L) result holds one sliding block, the
rows ordered channel by channel, then by kernel row and column. ``fold`` is
col2im, the adjoint: it adds every block back where it came from (overlapping
blocks add up). Each is the other's gradient, so every order of gradient is
exact.

Example:
    >>> from ndgrad.nn.functional import fold
    >>> from ndgrad.nn.functional import unfold
    >>> import ndgrad
    >>> x = ndgrad.arange(9.0).reshape(1, 1, 3, 3)
    >>> blocks = unfold(x, 2)
    >>> blocks.shape, blocks.numpy()[0, :, 0].tolist()
    ((1, 4, 4), [0.0, 1.0, 3.0, 4.0])
    >>> fold(blocks, (3, 3), 2).numpy()[0, 0].tolist()        # the centre was in 4 blocks
    [[0.0, 2.0, 2.0], [6.0, 16.0, 10.0], [6.0, 14.0, 8.0]]
"""

import numpy as np

from ..autograd.primitive import as_input, primitive, shape_of
from ..errors import shape_error
from .convolution_geometry import as_tuple, col2im, im2col, output_size
from .shape import expand_dims, squeeze

__all__ = ["unfold", "fold"]


def _floating(x):
    return x if x.dtype.kind == "f" else x.astype(np.float32)


@primitive(name="unfold", reads=())
def _unfold(x, kernel, dilation, padding, stride, blocks):
    x = _floating(np.asarray(x))
    n, c = x.shape[:2]
    kh, kw = kernel
    columns = im2col(x, kernel, stride, dilation, padding, blocks, x.dtype)   # a reused buffer
    out = np.empty((n, c * kh * kw, blocks[0] * blocks[1]), dtype=x.dtype)
    out.reshape(n, c, kh, kw, blocks[0], blocks[1])[...] = columns.transpose(3, 0, 1, 2, 4, 5)
    return out


@_unfold.defvjp
def _unfold_vjp(g, out, x, kernel, dilation, padding, stride, blocks):
    return _fold(g, kernel=kernel, dilation=dilation, padding=padding, stride=stride,
                 blocks=blocks, size=tuple(shape_of(x)[2:]))


@primitive(name="fold", reads=())
def _fold(columns, kernel, dilation, padding, stride, blocks, size):
    columns = _floating(np.asarray(columns))
    n = columns.shape[0]
    kh, kw = kernel
    c = columns.shape[1] // (kh * kw)
    pieces = columns.reshape(n, c, kh, kw, blocks[0], blocks[1]).transpose(1, 2, 3, 0, 4, 5)
    return np.array(col2im(pieces, size, kernel, stride, dilation, padding, columns.dtype))


@_fold.defvjp
def _fold_vjp(g, out, columns, kernel, dilation, padding, stride, blocks, size):
    return _unfold(g, kernel=kernel, dilation=dilation, padding=padding, stride=stride,
                   blocks=blocks)


def _geometry(owner, kernel_size, dilation, padding, stride):
    kernel = as_tuple(kernel_size, 2, "kernel_size", owner)
    dilation = as_tuple(dilation, 2, "dilation", owner)
    padding = as_tuple(padding, 2, "padding", owner, minimum=0)
    stride = as_tuple(stride, 2, "stride", owner)
    return kernel, dilation, tuple((p, p) for p in padding), stride


def _blocks(owner, operands, size, kernel, dilation, padding, stride):
    blocks = tuple(output_size(s, k, st, d, p, p) for s, k, st, d, (p, _)
                   in zip(size, kernel, stride, dilation, padding))
    if any(b <= 0 for b in blocks):
        raise shape_error(owner, operands, f"the (dilated) kernel {kernel} (dilation "
                          f"{dilation}) does not fit the padded size "
                          f"{tuple(s + 2 * p for s, (p, _) in zip(size, padding))}; no "
                          "sliding block would remain")
    return blocks


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """The sliding blocks of a batch of images as columns, as
    ``torch.nn.functional.unfold`` (im2col).

    Args:
        input: (N, C, H, W), or unbatched (C, H, W).
        kernel_size, dilation, padding, stride: an int or a pair each, as for a
            convolution (zero padding).

    Returns:
        (N, C * kh * kw, L) with L the number of blocks (or (C * kh * kw, L)).

    Example:
        >>> from ndgrad.nn.functional import unfold
        >>> import ndgrad
        >>> unfold(ndgrad.ones((2, 3, 5, 5)), 3, padding=1, stride=2).shape
        (2, 27, 9)
    """
    owner = "unfold"
    x = as_input(input)
    rank = len(shape_of(x))
    if rank == 3:
        return squeeze(unfold(expand_dims(x, 0), kernel_size, dilation, padding, stride), 0)
    if rank != 4:
        raise shape_error(owner, [x], f"expected a 4-D (N, C, H, W) or 3-D (C, H, W) input, "
                          f"got {rank}-D")
    kernel, dilation, padding, stride = _geometry(owner, kernel_size, dilation, padding, stride)
    blocks = _blocks(owner, [x], shape_of(x)[2:], kernel, dilation, padding, stride)
    return _unfold(x, kernel=kernel, dilation=dilation, padding=padding, stride=stride,
                   blocks=blocks)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sum sliding blocks back into a batch of images, as ``torch.nn.functional.fold``
    (col2im, the adjoint of :func:`unfold`; overlapping blocks add up).

    Args:
        input: (N, C * kh * kw, L), or unbatched (C * kh * kw, L).
        output_size: the (H, W) of the images (an int or a pair).
        kernel_size, dilation, padding, stride: those of the blocks.

    Example:
        >>> from ndgrad.nn.functional import fold
        >>> import ndgrad
        >>> fold(ndgrad.ones((1, 4, 4)), 3, 2).numpy()[0, 0].tolist()
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    owner = "fold"
    x = as_input(input)
    rank = len(shape_of(x))
    if rank == 2:
        return squeeze(fold(expand_dims(x, 0), output_size, kernel_size, dilation, padding,
                            stride), 0)
    if rank != 3:
        raise shape_error(owner, [x], f"expected a 3-D (N, C * kh * kw, L) or 2-D input, got "
                          f"{rank}-D")
    size = as_tuple(output_size, 2, "output_size", owner)
    kernel, dilation, padding, stride = _geometry(owner, kernel_size, dilation, padding, stride)
    rows, count = shape_of(x)[1:]
    if rows % (kernel[0] * kernel[1]):
        raise shape_error(owner, [x], f"dimension 1 ({rows}) must be divisible by the kernel's "
                          f"size {kernel[0]} * {kernel[1]} (it is C * kh * kw)")
    blocks = _blocks(owner, [x], size, kernel, dilation, padding, stride)
    if count != blocks[0] * blocks[1]:
        raise shape_error(owner, [x], f"dimension 2 ({count}) must be the number of sliding "
                          f"blocks, {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, for "
                          f"output_size {size}, kernel_size {kernel}, dilation {dilation}, "
                          f"padding {tuple(p for p, _ in padding)}, stride {stride}")
    return _fold(x, kernel=kernel, dilation=dilation, padding=padding, stride=stride,
                 blocks=blocks, size=size)
