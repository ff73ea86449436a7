"""Diagonals: ``diagonal``, ``trace`` and ``diag``.

Reading a diagonal and writing one are each other's gradient: the gradient of
``diagonal`` places ``g`` on the diagonal of a zero array of the input's shape,
and the gradient of that placement reads the diagonal back. Both are linear,
so higher orders come free.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> ndgrad.trace(x).backward()
    >>> x.grad.tolist()
    [[1.0, 0.0], [0.0, 1.0]]
"""

import numpy as np

from ..autograd.primitive import as_input, data_of, primitive
from ..errors import shape_error
from ..numpy_api import implements
from .complex_numbers import differentiates_complex
from .reduce import sum as _sum

__all__ = ["diagonal", "trace", "diag"]


def _diagonal_view(array, offset, axis1, axis2):
    """A writable view of the diagonal, the diagonal as the last axis."""
    moved = np.moveaxis(array, (axis1, axis2), (-2, -1))
    rows, columns = moved.shape[-2:]
    if offset >= 0:
        length = max(0, min(rows, columns - offset))
        square = moved[..., :length, offset:offset + length]
    else:
        length = max(0, min(rows + offset, columns))
        square = moved[..., -offset:-offset + length, :length]
    return np.einsum("...ii->...i", square)


@primitive(name="diagonal", reads=(), view=True)
def _diagonal(x, offset, axis1, axis2):
    # A writable view, PyTorch's (NumPy's own diagonal is a read-only view).
    return _diagonal_view(x, offset, axis1, axis2)


@_diagonal.defvjp
def _diagonal_vjp(g, out, x, offset, axis1, axis2):
    return _place_diagonal(g, shape=x.shape, offset=offset, axis1=axis1, axis2=axis2)


@primitive(name="diag", reads=())
def _diagonal_copy(x, offset, axis1, axis2):
    return _diagonal_view(x, offset, axis1, axis2).copy()


_diagonal_copy.defvjp(_diagonal_vjp)


@primitive(name="place_diagonal", reads=())
def _place_diagonal(values, shape, offset, axis1, axis2):
    """Zeros of ``shape`` with ``values`` on the diagonal (the last axis of ``values``)."""
    out = np.zeros(shape, dtype=values.dtype)
    _diagonal_view(out, offset, axis1, axis2)[...] = values
    return out


@_place_diagonal.defvjp
def _place_diagonal_vjp(g, out, values, shape, offset, axis1, axis2):
    return _diagonal(g, offset=offset, axis1=axis1, axis2=axis2)


differentiates_complex(_diagonal, _diagonal_copy, _place_diagonal)   # linear, real coefficients


def _axes(name, x, axis1, axis2):
    ndim = np.ndim(data_of(x))
    if ndim < 2:
        raise shape_error(name, [data_of(x)], "needs an array with at least 2 dimensions")
    first, second = axis1 % ndim, axis2 % ndim
    if not (-ndim <= axis1 < ndim and -ndim <= axis2 < ndim) or first == second:
        raise shape_error(name, [data_of(x)], f"axis1={axis1} and axis2={axis2} must be two "
                          f"different axes of a {ndim}-dimensional array")
    return first, second


@implements(np.diagonal)
def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal at ``offset`` of the matrices over ``axis1`` and ``axis2``,
    as the last axis of the result (NumPy's layout); a view that in-place ops
    can write through, as PyTorch's.

    Example:
        >>> import ndgrad
        >>> ndgrad.diagonal(ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])).tolist()
        [1.0, 4.0]
        >>> ndgrad.diagonal(ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]]), offset=1).tolist()
        [2.0]
    """
    a = as_input(a)
    axis1, axis2 = _axes("diagonal", a, axis1, axis2)
    return _diagonal(a, offset=int(offset), axis1=axis1, axis2=axis2)


@implements(np.trace)
def trace(a, offset=0, axis1=0, axis2=1, dtype=None):
    """The sum of the diagonal at ``offset`` over ``axis1`` and ``axis2``.

    Example:
        >>> import ndgrad
        >>> ndgrad.trace(ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])).item()
        5.0
    """
    return _sum(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)


@implements(np.diag)
def diag(v, k=0):
    """A 1-D ``v`` placed on diagonal ``k`` of a square matrix, or the diagonal
    ``k`` of a 2-D ``v`` (a copy, as PyTorch's).

    Example:
        >>> import ndgrad
        >>> ndgrad.diag(ndgrad.tensor([1.0, 2.0])).tolist()
        [[1.0, 0.0], [0.0, 2.0]]
        >>> ndgrad.diag(ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]]), k=-1).tolist()
        [3.0]
    """
    v = as_input(v)
    shape = np.shape(data_of(v))
    if len(shape) == 2:
        return _diagonal_copy(v, offset=int(k), axis1=0, axis2=1)
    if len(shape) != 1:
        raise shape_error("diag", [data_of(v)], "needs a 1-D array (to place on a diagonal) "
                          "or a 2-D array (to read a diagonal from)")
    size = shape[0] + abs(int(k))
    return _place_diagonal(v, shape=(size, size), offset=int(k), axis1=0, axis2=1)
