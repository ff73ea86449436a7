"""Adaptive and global pooling: a target output size instead of a window.

``adaptive_avg_pool2d`` splits each spatial dimension as PyTorch does (output
cell ``i`` of ``out`` averages input cells ``floor(i * size / out)`` to
``ceil((i + 1) * size / out)``). When the sizes divide evenly that is plain
average pooling; otherwise it is a product with one small averaging matrix
per spatial dimension (windows of different lengths, possibly overlapping),
written with ndgrad's ``matmul`` so every order of gradient comes with it.
Global pooling is a mean or a max over the spatial axes.

Example:
    >>> from ndgrad.nn.functional import adaptive_avg_pool2d
    >>> import ndgrad
    >>> x = ndgrad.arange(12.0).reshape(1, 1, 3, 4)
    >>> adaptive_avg_pool2d(x, (1, 2)).tolist()
    [[[[4.5, 6.5]]]]
"""

import numpy as np

from ..autograd.primitive import as_input
from ..errors import shape_error
from .convolution_geometry import channels_last_flag
from .linalg import matmul
from .pooling import avg_pool1d, avg_pool2d
from .reduce import max as _max, mean as _mean
from .shape import expand_dims, squeeze, transpose

__all__ = ["adaptive_avg_pool1d", "adaptive_avg_pool2d", "global_avg_pool1d",
           "global_avg_pool2d", "global_max_pool1d", "global_max_pool2d"]


def _averaging_matrix(size, count, dtype):
    """(count, size): row i averages PyTorch's adaptive window i."""
    matrix = np.zeros((count, size), dtype=dtype)
    for i in range(count):
        start, stop = (i * size) // count, -((-(i + 1) * size) // count)
        matrix[i, start:stop] = 1.0 / (stop - start)
    return matrix


def _target_sizes(output_size, spatial, owner):
    dims = len(spatial)
    if output_size is None or isinstance(output_size, (int, np.integer)):
        output_size = (output_size,) * dims
    output_size = tuple(output_size)
    if len(output_size) == 1:
        output_size = output_size * dims
    if len(output_size) != dims:
        raise ValueError(f"{owner}: output_size must be an int or {dims} ints (None keeps a "
                         f"dimension), got {output_size!r}")
    sizes = tuple(s if o is None else int(o) for o, s in zip(output_size, spatial))
    if any(o <= 0 for o in sizes):
        raise ValueError(f"{owner}: output_size must be positive, got {output_size!r}")
    return sizes


def _adaptive(owner, dims, input, output_size, data_format):
    input = as_input(input)
    channels_last = channels_last_flag(data_format, owner)
    rank = np.ndim(input)
    if rank == dims + 1:
        return squeeze(_adaptive(owner, dims, expand_dims(input, 0), output_size,
                                 data_format), 0)
    if rank != dims + 2:
        raise shape_error(owner, [input], f"expected a {dims + 2}-D input (or {dims + 1}-D "
                          f"unbatched), got {rank}-D")
    spatial = tuple(np.shape(input)[1:-1] if channels_last else np.shape(input)[2:])
    if any(s == 0 for s in spatial):
        raise shape_error(owner, [input], "the spatial dimensions must not be empty")
    sizes = _target_sizes(output_size, spatial, owner)
    if all(s % o == 0 for s, o in zip(spatial, sizes)):
        kernel = tuple(s // o for s, o in zip(spatial, sizes))
        pool = avg_pool2d if dims == 2 else avg_pool1d
        return pool(input, kernel if dims == 2 else kernel[0], data_format=data_format)
    dtype = input.dtype if input.dtype.kind == "f" else np.dtype(np.float32)
    # Channels to the front so the spatial axes are the last ones, for matmul.
    ndim = dims + 2
    to_front = (0, ndim - 1) + tuple(range(1, ndim - 1)) if channels_last else None
    x = transpose(input, to_front) if channels_last else input
    x = matmul(x, _averaging_matrix(spatial[-1], sizes[-1], dtype).T)
    if dims == 2:
        x = matmul(_averaging_matrix(spatial[0], sizes[0], dtype), x)
    if channels_last:
        x = transpose(x, (0,) + tuple(range(2, ndim)) + (1,))
    return x


def adaptive_avg_pool2d(input, output_size, data_format="channels_first"):
    """Average pooling to a fixed (oh, ow) output, as
    ``torch.nn.functional.adaptive_avg_pool2d`` (None in ``output_size`` keeps that
    dimension).

    Example:
        >>> from ndgrad.nn.functional import adaptive_avg_pool2d
        >>> import ndgrad
        >>> adaptive_avg_pool2d(ndgrad.ones((2, 3, 5, 7)), (2, 3)).shape
        (2, 3, 2, 3)
    """
    return _adaptive("adaptive_avg_pool2d", 2, input, output_size, data_format)


def adaptive_avg_pool1d(input, output_size, data_format="channels_first"):
    """Average pooling of a (N, C, L) sequence to a fixed length.

    Example:
        >>> from ndgrad.nn.functional import adaptive_avg_pool1d
        >>> import ndgrad
        >>> adaptive_avg_pool1d(ndgrad.tensor([[[1.0, 2.0, 3.0]]]), 2).tolist()
        [[[1.5, 2.5]]]
    """
    return _adaptive("adaptive_avg_pool1d", 1, input, output_size, data_format)


def _global(owner, dims, reduce, input, data_format, keepdims):
    input = as_input(input)
    channels_last = channels_last_flag(data_format, owner)
    if np.ndim(input) != dims + 2:
        raise shape_error(owner, [input], f"expected a {dims + 2}-D input, got "
                          f"{np.ndim(input)}-D")
    axes = tuple(range(1, dims + 1)) if channels_last else tuple(range(2, dims + 2))
    return reduce(input, axis=axes, keepdims=keepdims)


def global_avg_pool2d(input, data_format="channels_first", keepdims=False):
    """The mean over H and W: (N, C) (or (N, C, 1, 1) with ``keepdims``).

    Example:
        >>> from ndgrad.nn.functional import global_avg_pool2d
        >>> import ndgrad
        >>> global_avg_pool2d(ndgrad.ones((2, 4, 4, 3)), data_format="channels_last").shape
        (2, 3)
    """
    return _global("global_avg_pool2d", 2, _mean, input, data_format, keepdims)


def global_max_pool2d(input, data_format="channels_first", keepdims=False):
    """The maximum over H and W (tied maxima share the gradient).

    Example:
        >>> from ndgrad.nn.functional import global_max_pool2d
        >>> import ndgrad
        >>> global_max_pool2d(ndgrad.arange(8.0).reshape(1, 2, 2, 2)).tolist()
        [[3.0, 7.0]]
    """
    return _global("global_max_pool2d", 2, _max, input, data_format, keepdims)


def global_avg_pool1d(input, data_format="channels_first", keepdims=False):
    """The mean over the length of a (N, C, L) (or (N, L, C)) sequence.

    Example:
        >>> from ndgrad.nn.functional import global_avg_pool1d
        >>> import ndgrad
        >>> global_avg_pool1d(ndgrad.ones((2, 3, 5))).shape
        (2, 3)
    """
    return _global("global_avg_pool1d", 1, _mean, input, data_format, keepdims)


def global_max_pool1d(input, data_format="channels_first", keepdims=False):
    """The maximum over the length of a (N, C, L) (or (N, L, C)) sequence.

    Example:
        >>> from ndgrad.nn.functional import global_max_pool1d
        >>> import ndgrad
        >>> global_max_pool1d(ndgrad.tensor([[[1.0, 4.0, 2.0]]])).tolist()
        [[4.0]]
    """
    return _global("global_max_pool1d", 1, _max, input, data_format, keepdims)
