"""NumPy functions that were refused on real tensors: angle units, ``fabs``, the
complex-number accessors on real inputs, ``rollaxis``, ``select`` and ``copy``.

For a real input ``real(x)`` and ``conj(x)`` are ``x`` (gradient 1),
``imag(x)`` is the constant 0 and ``angle(x)`` is 0 or pi (gradient 0).
A complex input goes to the form registered in :data:`COMPLEX_FORMS` (the
complex-number support fills it) and is refused while there is none, so a
complex value never takes the real path by mistake.

Example:
    >>> import numpy as np, ndgrad
    >>> x = ndgrad.Variable([-2.0, 3.0])
    >>> np.sum(np.real(x) * np.radians(x)).backward()
    >>> [round(v, 4) for v in x.grad.tolist()]
    [-0.0698, 0.1047]
"""

import math

import numpy as np

from ..autograd.primitive import data_of, primitive
from ..errors import DTypeError
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .cast import copy as _copy_op
from .creation import zeros_like
from .elementwise import abs as _abs
from .selection import where
from .shape import transpose
from .trigonometric import deg2rad, rad2deg

__all__ = ["radians", "degrees", "fabs", "real", "imag", "conj", "conjugate", "angle",
           "real_if_close", "rollaxis", "select"]

# name -> function(x, **params): the complex-input form of real/imag/conj/angle/...
COMPLEX_FORMS = {}


def _complex_form(name, x, **params):
    form = COMPLEX_FORMS.get(name)
    if form is None:
        raise DTypeError(
            f"{name}: the input is complex ({np.asarray(data_of(x)).dtype}); ndgrad does not "
            f"differentiate complex numbers yet (issue 13). Call numpy.{name} on "
            "x.detach().numpy() to cut the gradient on purpose.")
    return form(x, **params)


def _is_complex(x):
    return np.iscomplexobj(data_of(x))


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


@implements(np.real)
def real(val):
    """The real part: a real input itself (the gradient passes unchanged).

    Example:
        >>> import ndgrad
        >>> ndgrad.real(ndgrad.tensor([1.0, -2.0])).tolist()
        [1.0, -2.0]
    """
    if _is_complex(val):
        return _complex_form("real", val)
    return as_tensor(val)


@primitive(name="imag", reads=())
def _imag_of_real(x):
    return np.zeros_like(x)


@_imag_of_real.defvjp
def _imag_of_real_vjp(g, out, x):
    return zeros_like(g)


@implements(np.imag)
def imag(val):
    """The imaginary part: zeros for a real input (gradient zero, not cut).

    Example:
        >>> import ndgrad
        >>> ndgrad.imag(ndgrad.tensor([1.0, -2.0])).tolist()
        [0.0, 0.0]
    """
    if _is_complex(val):
        return _complex_form("imag", val)
    return _imag_of_real(as_tensor(val))


@implements(np.conjugate)
def conjugate(x):
    """The complex conjugate: a copy of a real input (gradient 1).

    Example:
        >>> import ndgrad
        >>> ndgrad.conjugate(ndgrad.tensor([1.0, -2.0])).tolist()
        [1.0, -2.0]
    """
    if _is_complex(x):
        return _complex_form("conjugate", x)
    return _copy_op(as_tensor(x))


@implements(np.conj)
def conj(x):
    """The complex conjugate (NumPy's short name for :func:`conjugate`).

    Example:
        >>> import ndgrad
        >>> ndgrad.conj(ndgrad.tensor(3.0)).item()
        3.0
    """
    if _is_complex(x):
        return _complex_form("conj", x)
    return _copy_op(as_tensor(x))


@primitive(name="angle", reads=())
def _angle_of_real(x, deg=False):
    return np.angle(x, deg=deg)


@_angle_of_real.defvjp
def _angle_of_real_vjp(g, out, x, deg=False):
    return zeros_like(g)


@implements(np.angle)
def angle(z, deg=False):
    """The argument of a complex number; for a real input 0 where it is
    positive (or +0) and pi (180 with ``deg=True``) where negative: piecewise
    constant, so the gradient is zero.

    Example:
        >>> import ndgrad
        >>> [round(v, 4) for v in ndgrad.angle(ndgrad.tensor([-1.0, 2.0])).tolist()]
        [3.1416, 0.0]
    """
    if _is_complex(z):
        return _complex_form("angle", z, deg=deg)
    z = as_tensor(z)
    if z.dtype.kind != "f":
        z = z.astype(np.float64)       # NumPy: angle of an integer array is float64
    return _angle_of_real(z, deg=bool(deg))


@implements(np.real_if_close)
def real_if_close(a, tol=100):
    """``a`` without its imaginary part when that is within ``tol`` machine
    epsilons of zero; a real input is returned as it is.

    Example:
        >>> import ndgrad
        >>> t = ndgrad.tensor([1.0]); ndgrad.real_if_close(t) is t
        True
    """
    if _is_complex(a):
        return _complex_form("real_if_close", a, tol=tol)
    return as_tensor(a)


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

