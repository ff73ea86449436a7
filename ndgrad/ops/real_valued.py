"""NumPy functions that were refused on real tensors: angle units, ``fabs``,
``real_if_close``, ``rollaxis``, ``select`` and ``copy``. The complex-number
accessors (``real``, ``imag``, ``conj``, ``angle``) live in
:mod:`ndgrad.ops.complex_numbers`, for real and complex inputs alike.

Example:
    >>> import numpy as np, ndgrad
    >>> x = ndgrad.Variable([-2.0, 3.0])
    >>> np.sum(np.real(x) * np.radians(x)).backward()
    >>> [round(v, 4) for v in x.grad.tolist()]
    [-0.0698, 0.1047]
"""

import math

import numpy as np

from ..autograd.primitive import data_of
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .cast import copy as _copy_op
from .complex_numbers import real as _real
from .elementwise import abs as _abs
from .selection import where
from .shape import transpose
from .trigonometric import deg2rad, rad2deg

__all__ = ["radians", "degrees", "fabs", "real_if_close", "rollaxis", "select"]


@implements(np.radians)
def radians(x):
    """Degrees to radians (NumPy's other name for :func:`deg2rad`).

    Example:
        >>> import ndgrad
        >>> round(ndgrad.radians(ndgrad.tensor(90.0)).item(), 4)
        1.5708
    """
    return deg2rad(x)


@implements(np.degrees)
def degrees(x):
    """Radians to degrees (NumPy's other name for :func:`rad2deg`).

    Example:
        >>> import math
        >>> import ndgrad
        >>> round(ndgrad.degrees(ndgrad.tensor(math.pi)).item(), 3)
        180.0
    """
    return rad2deg(x)


@implements(np.fabs)
def fabs(x):
    """The absolute value as a float, as ``numpy.fabs`` (which refuses complex
    input); the gradient is ``sign(x)``.

    Example:
        >>> import ndgrad
        >>> ndgrad.fabs(ndgrad.tensor([-1.5, 2.0])).tolist()
        [1.5, 2.0]
    """
    x = as_tensor(x)
    if x.dtype.kind not in "fiub":
        raise TypeError(f"fabs: the input dtype {x.dtype} is not real; use ndgrad.abs")
    if x.dtype.kind != "f":     # NumPy's float for the integer type (int8 -> float16, ...)
        x = x.astype(np.fabs(np.zeros(0, x.dtype)).dtype)
    return _abs(x)


@implements(np.real_if_close)
def real_if_close(a, tol=100):
    """``a`` without its imaginary part when that is within ``tol`` machine
    epsilons of zero; a real input is returned as it is.

    Example:
        >>> import ndgrad
        >>> t = ndgrad.tensor([1.0]); ndgrad.real_if_close(t) is t
        True
    """
    a = as_tensor(a)
    if not a.is_complex():
        return a
    limit = tol * np.finfo(a.dtype).eps if tol > 1 else tol     # NumPy's rule for tol
    if np.all(np.abs(np.imag(data_of(a))) < limit):
        return _real(a)
    return a


@implements(np.rollaxis)
def rollaxis(a, axis, start=0):
    """Roll ``axis`` backwards until it lies before position ``start``, as
    ``numpy.rollaxis`` (prefer :func:`moveaxis`); a differentiable view.

    Example:
        >>> import ndgrad
        >>> ndgrad.rollaxis(ndgrad.ones((3, 4, 5)), 2).shape
        (5, 3, 4)
    """
    a = as_tensor(a)
    n = a.ndim
    if not isinstance(axis, (int, np.integer)) or not -n <= axis < n:
        raise np.exceptions.AxisError(f"rollaxis: axis {axis!r} is out of bounds for a tensor "
                                      f"of dimension {n}")
    axis = int(axis) % n
    start = int(start) + n if start < 0 else int(start)
    if not 0 <= start < n + 1:
        raise np.exceptions.AxisError(f"rollaxis: start {start!r} must be in -{n}..{n} for a "
                                      f"tensor of dimension {n}")
    if axis < start:
        start -= 1
    order = [i for i in range(n) if i != axis]
    order.insert(start, axis)
    return transpose(a, tuple(order))


def _condition(value, index):
    value = value if isinstance(value, Tensor) else np.asarray(value)
    if value.dtype != np.bool_:
        raise TypeError(f"select: condlist[{index}] must be boolean, got dtype {value.dtype}")
    return value


@implements(np.select)
def select(condlist, choicelist, default=0):
    """Where ``condlist[i]`` first holds, ``choicelist[i]``; ``default`` where
    none holds. Gradients go to the chosen entries (and ``default``).

    Example:
        >>> import ndgrad
        >>> x = ndgrad.tensor([-2.0, 0.5, 3.0])
        >>> ndgrad.select([x < 0, x > 1], [-x, x * 10], default=x).tolist()
        [2.0, 0.5, 30.0]
    """
    condlist, choicelist = list(condlist), list(choicelist)
    if len(condlist) != len(choicelist):
        raise ValueError(f"select: condlist has {len(condlist)} entries and choicelist "
                         f"{len(choicelist)}; they must have the same length")
    if not choicelist:
        raise ValueError("select: choicelist must hold at least one choice")
    conditions = [_condition(c, i) for i, c in enumerate(condlist)]
    result = default
    for condition, choice in zip(reversed(conditions), reversed(choicelist)):
        result = where(condition, choice, result)
    return as_tensor(result)


@implements(np.copy)
def _numpy_copy(a, order="K", subok=False):
    return _copy_op(as_tensor(a))

