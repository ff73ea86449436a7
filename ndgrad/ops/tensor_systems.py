"""``numpy.linalg.tensorinv`` and ``tensorsolve``: the inverse and the linear
solve of a tensor read as a matrix (its leading axes as rows, the trailing ones
as columns), by reshaping around ``inv`` and ``solve``; their gradients (real
or complex) are those of ``inv`` and ``solve``, reshaped back.

Example:
    >>> import ndgrad
    >>> a = ndgrad.eye(6).reshape(6, 2, 3) * 2
    >>> ndgrad.linalg.tensorinv(a, ind=1).shape
    (2, 3, 6)
"""

import numpy as np

from ..autograd.primitive import as_input, data_of
from ..errors import shape_error
from ..numpy_api import implements
from .linear_systems import inv, solve
from .shape import moveaxis, reshape

__all__ = []


def _size(shape):
    return int(np.prod(shape, dtype=np.int64))


@implements(np.linalg.tensorinv)
def tensorinv(a, ind=2):
    """The inverse of ``a`` read as a matrix with the first ``ind`` axes as rows:
    the result ``x`` has shape ``a.shape[ind:] + a.shape[:ind]`` and
    ``tensordot(x, a, ind)`` is the identity, as in NumPy.

    Example:
        >>> import ndgrad
        >>> a = ndgrad.eye(4).reshape(4, 2, 2) * 4
        >>> ndgrad.linalg.tensorinv(a, ind=1)[0, 0].tolist()
        [0.25, 0.0, 0.0, 0.0]
    """
    a = as_input(a)
    shape = np.shape(data_of(a))
    if not isinstance(ind, (int, np.integer)) or isinstance(ind, bool) or ind <= 0:
        raise ValueError(f"tensorinv: ind must be a positive integer, got {ind!r}")
    rows, columns = shape[:ind], shape[ind:]
    if _size(rows) != _size(columns) or not columns:
        raise shape_error("tensorinv", [data_of(a)], f"with ind={ind}, the first axes {rows} "
                          f"and the others {columns} must hold as many elements (a square "
                          "matrix)")
    matrix = reshape(a, (_size(rows), _size(columns)))
    return reshape(inv(matrix), tuple(columns) + tuple(rows))


@implements(np.linalg.tensorsolve)
def tensorsolve(a, b, axes=None):
    """The ``x`` with ``tensordot(a, x, axes=x.ndim) == b``: ``x`` has shape
    ``a.shape[b.ndim:]`` (after moving ``axes`` of ``a`` to the end, as NumPy does).

    Example:
        >>> import ndgrad
        >>> a = ndgrad.eye(6).reshape(2, 3, 6) * 2
        >>> ndgrad.linalg.tensorsolve(a, ndgrad.ones((2, 3))).shape
        (6,)
    """
    a, b = as_input(a), as_input(b)
    if axes is not None:
        ndim = np.ndim(data_of(a))
        axes = [axes] if isinstance(axes, (int, np.integer)) else list(axes)
        if any(not -ndim <= ax < ndim for ax in axes):
            raise shape_error("tensorsolve", [data_of(a)], f"axes {axes} out of range")
        a = moveaxis(a, axes, list(range(ndim - len(axes), ndim)))
    shape, b_shape = np.shape(data_of(a)), np.shape(data_of(b))
    rows, columns = shape[:len(b_shape)], shape[len(b_shape):]
    if tuple(rows) != tuple(b_shape) or _size(rows) != _size(columns):
        raise shape_error("tensorsolve", [data_of(a), data_of(b)],
                          f"a's leading axes {tuple(rows)} must be b's shape {tuple(b_shape)}, "
                          f"and hold as many elements as its other axes {tuple(columns)}")
    x = solve(reshape(a, (_size(rows), _size(columns))), reshape(b, (_size(rows),)))
    return reshape(x, tuple(columns))
