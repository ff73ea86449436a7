"""Creating tensors: ``zeros``, ``ones``, ``full``, ``empty``, ``arange``,
``linspace``, ``eye`` and the ``*_like`` forms.

Shapes are given as a tuple or as separate ints (``zeros(2, 3)`` or
``zeros((2, 3))``). The default dtype is float32; ``requires_grad=True`` makes
the new tensor a trainable leaf.

Example:
    >>> import ndgrad
    >>> ndgrad.zeros(2, 3).shape, ndgrad.ones(2).dtype
    ((2, 3), dtype('float32'))
"""

from .._backend import xp
from ..dtypes import as_dtype, default_float
from ..tensor import Tensor

__all__ = ["zeros", "ones", "full", "empty", "arange", "linspace", "eye", "identity",
           "zeros_like", "ones_like", "full_like", "empty_like"]


def _shape(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(int(n) for n in shape)


def _leaf(array, requires_grad):
    out = Tensor._wrap(array)
    if requires_grad:
        out.requires_grad_(True)
    return out


def _dtype(dtype, default=default_float):
    return as_dtype(dtype) if dtype is not None else default


def zeros(*shape, dtype=None, requires_grad=False):
    """A tensor of zeros.

    Example:
        >>> import ndgrad
        >>> ndgrad.zeros(2).tolist()
        [0.0, 0.0]
    """
    return _leaf(xp.zeros(_shape(shape), dtype=_dtype(dtype)), requires_grad)


def ones(*shape, dtype=None, requires_grad=False):
    """A tensor of ones.

    Example:
        >>> import ndgrad
        >>> ndgrad.ones((1, 2)).tolist()
        [[1.0, 1.0]]
    """
    return _leaf(xp.ones(_shape(shape), dtype=_dtype(dtype)), requires_grad)


def full(shape, fill_value, dtype=None, requires_grad=False):
    """A tensor filled with ``fill_value``.

    Example:
        >>> import ndgrad
        >>> ndgrad.full((2,), 7.0).tolist()
        [7.0, 7.0]
    """
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return _leaf(xp.full(shape, fill_value, dtype=_dtype(dtype)), requires_grad)


def empty(*shape, dtype=None, requires_grad=False):
    """A tensor whose values are not initialized (fast; fill it before reading).

    Example:
        >>> import ndgrad
        >>> ndgrad.empty(3).shape
        (3,)
    """
    return _leaf(xp.empty(_shape(shape), dtype=_dtype(dtype)), requires_grad)


def arange(start, stop=None, step=1, dtype=None, requires_grad=False):
    """Evenly spaced values in ``[start, stop)``; integers stay int64 unless a
    bound or step is a float (then float32).

    Example:
        >>> import ndgrad
        >>> ndgrad.arange(3).tolist(), ndgrad.arange(0, 1, 0.5).dtype
        ([0, 1, 2], dtype('float32'))
    """
    array = xp.arange(start, stop, step) if stop is not None else xp.arange(start)
    if dtype is not None:
        array = array.astype(as_dtype(dtype))
    elif array.dtype == xp.float64:
        array = array.astype(default_float)
    return _leaf(array, requires_grad)


def linspace(start, stop, num=50, endpoint=True, dtype=None, requires_grad=False):
    """``num`` evenly spaced values from ``start`` to ``stop``.

    Example:
        >>> import ndgrad
        >>> ndgrad.linspace(0, 1, 3).tolist()
        [0.0, 0.5, 1.0]

    With a tensor for ``start`` or ``stop`` the samples are differentiable in
    both ends (``ndgrad.ops.spacing``).
    """
    if isinstance(start, Tensor) or isinstance(stop, Tensor):
        from .spacing import differentiable_linspace
        y = differentiable_linspace(start, stop, num, endpoint=endpoint, dtype=dtype)
        return y.requires_grad_(True) if requires_grad and y.grad_fn is None else y
    array = xp.linspace(start, stop, num, endpoint=endpoint, dtype=_dtype(dtype))
    return _leaf(array, requires_grad)


def eye(n, m=None, k=0, dtype=None, requires_grad=False):
    """A 2-D tensor with ones on the ``k``-th diagonal.

    Example:
        >>> import ndgrad
        >>> ndgrad.eye(2).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    return _leaf(xp.eye(n, m, k, dtype=_dtype(dtype)), requires_grad)


def identity(n, dtype=None, requires_grad=False):
    """The ``n x n`` identity matrix.

    Example:
        >>> import ndgrad
        >>> ndgrad.identity(1).tolist()
        [[1.0]]
    """
    return eye(n, dtype=dtype, requires_grad=requires_grad)


def _like_dtype(value, dtype):
    if dtype is not None:
        return as_dtype(dtype)
    found = getattr(value, "dtype", None)
    return found if found is not None else default_float


def _like_shape(value):
    shape = getattr(value, "shape", None)
    return shape if shape is not None else xp.shape(value)


def zeros_like(value, dtype=None, requires_grad=False):
    """Zeros with the shape (and dtype) of ``value``.

    Example:
        >>> import ndgrad
        >>> ndgrad.zeros_like(ndgrad.ones((2, 1))).tolist()
        [[0.0], [0.0]]
    """
    array = xp.zeros(_like_shape(value), dtype=_like_dtype(value, dtype))
    return _leaf(array, requires_grad)


def ones_like(value, dtype=None, requires_grad=False):
    """Ones with the shape (and dtype) of ``value``.

    Example:
        >>> import ndgrad
        >>> ndgrad.ones_like(ndgrad.zeros(2)).tolist()
        [1.0, 1.0]
    """
    array = xp.ones(_like_shape(value), dtype=_like_dtype(value, dtype))
    return _leaf(array, requires_grad)


def full_like(value, fill_value, dtype=None, requires_grad=False):
    """``fill_value`` everywhere, with the shape (and dtype) of ``value``.

    Example:
        >>> import ndgrad
        >>> ndgrad.full_like(ndgrad.zeros(2), 3.0).tolist()
        [3.0, 3.0]
    """
    array = xp.full(_like_shape(value), fill_value, dtype=_like_dtype(value, dtype))
    return _leaf(array, requires_grad)


def empty_like(value, dtype=None, requires_grad=False):
    """An uninitialized tensor with the shape (and dtype) of ``value``.

    Example:
        >>> import ndgrad
        >>> ndgrad.empty_like(ndgrad.zeros((2, 2))).shape
        (2, 2)
    """
    array = xp.empty(_like_shape(value), dtype=_like_dtype(value, dtype))
    return _leaf(array, requires_grad)
