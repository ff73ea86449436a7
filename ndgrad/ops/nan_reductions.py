"""The NaN-ignoring reductions NumPy has beyond ``nansum``/``nanmean``/
``nanmax``/``nanmin``: ``nanprod``, ``nancumsum``, ``nancumprod``, ``nanvar``,
``nanstd``, plus the array-API products ``matvec``/``vecmat`` and NumPy's
``row_stack``, ``diagflat`` and ``unstack``.

A NaN counts as the reduction's identity (0 for sums, 1 for products) and
gets a zero gradient, as NumPy's value implies.

Example:
    >>> import numpy as np, ndgrad
    >>> x = ndgrad.Variable([2.0, float("nan"), 3.0])
    >>> np.nanprod(x).backward()
    >>> x.grad.tolist()
    [3.0, 0.0, 2.0]
"""

import numpy as np

from ..numpy_api import implements
from ..tensor import as_tensor
from .diagonals import diag
from .join import vstack
from .linalg import matmul
from .reduce import cumprod, cumsum, prod, sum as _sum
from .selection import where
from .shape import expand_dims, moveaxis, ravel, squeeze

__all__ = ["nanprod", "nancumsum", "nancumprod", "nanvar", "nanstd", "diagflat", "unstack",
           "matvec", "vecmat"]


def _filled(a, value):
    a = as_tensor(a)
    return where(np.isnan(a._data), value, a) if a.dtype.kind == "f" else a


@implements(np.nanprod)
def nanprod(a, axis=None, dtype=None, out=None, keepdims=False):
    """The product over ``axis`` with NaNs taken as 1.

    Example:
        >>> import ndgrad
        >>> ndgrad.nanprod(ndgrad.tensor([2.0, float("nan")])).item()
        2.0
    """
    return prod(_filled(a, 1), axis=axis, keepdims=keepdims)


@implements(np.nancumsum)
def nancumsum(a, axis=None, dtype=None, out=None):
    """The running sum along ``axis`` with NaNs taken as 0.

    Example:
        >>> import ndgrad
        >>> ndgrad.nancumsum(ndgrad.tensor([1.0, float("nan"), 2.0])).tolist()
        [1.0, 1.0, 3.0]
    """
    return cumsum(_filled(a, 0), axis=axis)


@implements(np.nancumprod)
def nancumprod(a, axis=None, dtype=None, out=None):
    """The running product along ``axis`` with NaNs taken as 1.

    Example:
        >>> import ndgrad
        >>> ndgrad.nancumprod(ndgrad.tensor([2.0, float("nan"), 3.0])).tolist()
        [2.0, 2.0, 6.0]
    """
    return cumprod(_filled(a, 1), axis=axis)


@implements(np.nanvar)
def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """The variance over ``axis`` of the values that are not NaN.

    Example:
        >>> import ndgrad
        >>> ndgrad.nanvar(ndgrad.tensor([1.0, float("nan"), 3.0])).item()
        1.0
    """
    a = as_tensor(a)
    present = ~np.isnan(a._data)
    count = present.sum(axis=axis, keepdims=True).astype(a.dtype)
    filled = _filled(a, 0)
    centered = where(present, filled - _sum(filled, axis=axis, keepdims=True) / count, 0)
    total = _sum(centered * centered, axis=axis, keepdims=keepdims)
    divisor = np.maximum(present.sum(axis=axis, keepdims=keepdims) - ddof, 0)
    return total / divisor.astype(a.dtype)


@implements(np.nanstd)
def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """The standard deviation over ``axis`` of the values that are not NaN.

    Example:
        >>> import ndgrad
        >>> ndgrad.nanstd(ndgrad.tensor([1.0, float("nan"), 3.0])).item()
        1.0
    """
    return nanvar(a, axis=axis, ddof=ddof, keepdims=keepdims) ** 0.5


@implements(np.diagflat)
def diagflat(v, k=0):
    """A 2-D tensor with the flattened input on the ``k``-th diagonal.

    Example:
        >>> import ndgrad
        >>> ndgrad.diagflat(ndgrad.tensor([[1.0, 2.0]])).tolist()
        [[1.0, 0.0], [0.0, 2.0]]
    """
    return diag(ravel(v), k)


@implements(np.unstack)
def unstack(x, /, *, axis=0):
    """The slices along ``axis`` as a tuple of tensors (the inverse of ``stack``).

    Example:
        >>> import ndgrad
        >>> [t.tolist() for t in ndgrad.unstack(ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]]))]
        [[1.0, 2.0], [3.0, 4.0]]
    """
    x = moveaxis(as_tensor(x), axis, 0)
    return tuple(x[i] for i in range(x.shape[0]))


@implements(np.matvec)
def matvec(x1, x2, /, **kwargs):
    """Matrix times vector over the last axes, broadcast over the rest.

    Example:
        >>> import ndgrad
        >>> ndgrad.matvec(ndgrad.eye(2), ndgrad.tensor([1.0, 2.0])).tolist()
        [1.0, 2.0]
    """
    return squeeze(matmul(x1, expand_dims(x2, -1)), -1)


@implements(np.vecmat)
def vecmat(x1, x2, /, **kwargs):
    """Vector times matrix over the last axes, broadcast over the rest.

    Example:
        >>> import ndgrad
        >>> ndgrad.vecmat(ndgrad.tensor([1.0, 2.0]), ndgrad.eye(2)).tolist()
        [1.0, 2.0]
    """
    return squeeze(matmul(expand_dims(x1, -2), x2), -2)


implements(np.row_stack)(vstack)
