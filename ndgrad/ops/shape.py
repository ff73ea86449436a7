"""Shape ops: views and rearrangements whose gradients undo the rearrangement.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([[1.0, 2.0, 3.0]])
    >>> ndgrad.transpose(x).reshape(3).sum().backward()
    >>> x.grad.tolist()
    [[1.0, 1.0, 1.0]]
"""

import numpy as np

from ..autograd.primitive import as_input, primitive
from ..numpy_api import implements
from ..tensor import Tensor
from .complex_numbers import differentiates_complex

__all__ = ["reshape", "transpose", "swapaxes", "moveaxis", "expand_dims", "squeeze",
           "broadcast_to", "ravel", "flatten", "flip"]


@primitive(name="reshape", reads=(), view=True)
def _reshape(x, shape):
    return np.reshape(x, shape)


@_reshape.defvjp
def _reshape_vjp(g, out, x, shape):
    return _reshape(g, shape=x.shape)


@implements(np.reshape)
def reshape(x, shape, *more, order="C"):
    """The same elements in a new shape (one dimension may be -1).

    Example:
        >>> import ndgrad
        >>> ndgrad.reshape(ndgrad.arange(6), (2, 3)).shape
        (2, 3)
    """
    if more:
        shape = (shape,) + more
    if order != "C":
        raise ValueError("reshape: only order='C' is supported")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if isinstance(x, Tensor) and x.shape == shape:
        return x
    return _reshape(x, shape=shape)


@implements(np.ravel)
def ravel(x):
    """The elements as a 1-D tensor.

    Example:
        >>> import ndgrad
        >>> ndgrad.ravel(ndgrad.ones((2, 2))).shape
        (4,)
    """
    return reshape(x, (-1,))


flatten = ravel


@primitive(name="transpose", reads=(), view=True)
def _transpose(x, axes=None):
    return np.transpose(x, axes)


@_transpose.defvjp
def _transpose_vjp(g, out, x, axes=None):
    inverse = None if axes is None else tuple(np.argsort(axes))
    return _transpose(g, axes=inverse)


@implements(np.transpose)
def transpose(x, axes=None):
    """Permute the axes (reverse them by default).

    Example:
        >>> import ndgrad
        >>> ndgrad.transpose(ndgrad.ones((2, 3, 4)), (1, 0, 2)).shape
        (3, 2, 4)
    """
    if axes is not None:
        ndim = np.ndim(x._data if isinstance(x, Tensor) else x)
        axes = tuple(int(a) % max(ndim, 1) for a in axes)
    return _transpose(x, axes=axes)


@implements(np.swapaxes)
def swapaxes(x, axis1, axis2):
    """Exchange two axes.

    Example:
        >>> import ndgrad
        >>> ndgrad.swapaxes(ndgrad.ones((2, 3)), 0, 1).shape
        (3, 2)
    """
    ndim = np.ndim(x._data if isinstance(x, Tensor) else x)
    axes = list(range(ndim))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(x, axes)


@implements(np.moveaxis)
def moveaxis(x, source, destination):
    """Move axes to new positions, keeping the others in order.

    Example:
        >>> import ndgrad
        >>> ndgrad.moveaxis(ndgrad.ones((2, 3, 4)), 0, -1).shape
        (3, 4, 2)
    """
    ndim = np.ndim(x._data if isinstance(x, Tensor) else x)
    source = [s % ndim for s in ((source,) if isinstance(source, int) else source)]
    destination = [d % ndim for d in
                   ((destination,) if isinstance(destination, int) else destination)]
    if len(source) != len(destination):
        raise ValueError("moveaxis: source and destination need the same number of axes")
    order = [n for n in range(ndim) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return transpose(x, tuple(order))


@implements(np.expand_dims)
def expand_dims(x, axis):
    """Insert axes of length one at ``axis``.

    Example:
        >>> import ndgrad
        >>> ndgrad.expand_dims(ndgrad.ones(3), 0).shape
        (1, 3)
    """
    data = x._data if isinstance(x, Tensor) else np.asarray(as_input(x))
    return reshape(x, np.expand_dims(data, axis).shape)


@implements(np.squeeze)
def squeeze(x, axis=None):
    """Remove axes of length one (all of them, or those in ``axis``).

    Example:
        >>> import ndgrad
        >>> ndgrad.squeeze(ndgrad.ones((1, 3, 1))).shape
        (3,)
    """
    data = x._data if isinstance(x, Tensor) else np.asarray(as_input(x))
    return reshape(x, np.squeeze(data, axis).shape)


@primitive(name="broadcast_to", reads=(), view=True)
def _broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


@_broadcast_to.defvjp
def _broadcast_to_vjp(g, out, x, shape):
    return g   # the engine sums it back down to x's shape


@implements(np.broadcast_to)
def broadcast_to(x, shape):
    """A read-only view of ``x`` broadcast to ``shape``.

    Example:
        >>> import ndgrad
        >>> ndgrad.broadcast_to(ndgrad.ones(3), (2, 3)).shape
        (2, 3)
    """
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if isinstance(x, Tensor) and x.shape == shape:
        return x
    return _broadcast_to(x, shape=shape)


@primitive(name="flip", reads=(), view=True)
def _flip(x, axis=None):
    return np.flip(x, axis)


@_flip.defvjp
def _flip_vjp(g, out, x, axis=None):
    return _flip(g, axis=axis)


differentiates_complex(_reshape, _transpose, _broadcast_to, _flip)


@implements(np.flip)
def flip(x, axis=None):
    """Reverse the order of elements along ``axis`` (all axes when None).

    Example:
        >>> import ndgrad
        >>> ndgrad.flip(ndgrad.tensor([1.0, 2.0])).tolist()
        [2.0, 1.0]
    """
    return _flip(x, axis=axis)

