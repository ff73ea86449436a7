"""``i0`` (the modified Bessel function of the first kind, order 0, as in
Kaiser windows) and ``unwrap`` (phase unwrapping).

``i0``'s derivative is ``I1``, the order-1 function, computed here by its power
series for ``|x| <= 20`` and its asymptotic expansion beyond (relative error
near float64's epsilon); ``I1``'s own derivative is ``I0(x) - I1(x) / x``, so
gradients of every order are exact. ``unwrap`` adds multiples of the period
that are constant between jumps: its gradient is the identity.

Example:
    >>> import numpy as np, ndgrad
    >>> x = ndgrad.Variable([0.0, 1.0], dtype="float64")
    >>> np.i0(x).sum().backward()
    >>> np.round(x.grad.numpy(), 6).tolist()        # I1(0), I1(1)
    [0.0, 0.565159]
"""

import math

import numpy as np

from ..autograd.primitive import data_of, primitive
from ..errors import DTypeError
from ..numpy_api import implements
from ..tensor import Tensor
from .selection import where

__all__ = ["i0", "unwrap"]

_SERIES_TERMS = 60
_ASYMPTOTIC_TERMS = 40
_SERIES_LIMIT = 20.0


def _i1_array(x):
    """I1 of a float64 array (odd: I1(-x) = -I1(x))."""
    a = np.abs(x)
    small = np.minimum(a, _SERIES_LIMIT)
    term = small / 2
    total = term.copy()
    quarter_square = small * small / 4
    for k in range(1, _SERIES_TERMS):
        term = term * quarter_square / (k * (k + 1))
        total += term
    large = np.maximum(a, _SERIES_LIMIT)
    coefficient = np.ones_like(large)
    expansion = coefficient.copy()
    for k in range(1, _ASYMPTOTIC_TERMS):
        coefficient = coefficient * -(4.0 - (2 * k - 1) ** 2) / (k * 8.0 * large)
        expansion += coefficient
    with np.errstate(over="ignore"):
        asymptotic = np.exp(large) / np.sqrt(2 * math.pi * large) * expansion
    return np.copysign(np.where(a <= _SERIES_LIMIT, total, asymptotic), x)


def _refuse_complex(name, x):
    if np.iscomplexobj(data_of(x)):
        raise DTypeError(f"{name}: complex input is not supported (NumPy's {name} refuses "
                         "it too); pass a real tensor")


@primitive(name="i1", reads=(0,))
def _i1(x):
    return _i1_array(np.asarray(x, dtype=np.float64)).astype(_float_type(x))


@_i1.defvjp
def _i1_vjp(g, out, x):
    zero = x == 0
    return g * where(zero, 0.5, _i0(x) - _i1(x) / where(zero, 1.0, x))


def _float_type(x):
    dtype = np.asarray(x).dtype
    return dtype if dtype.kind == "f" else np.float64


@primitive(name="i0", reads=(0,))
def _i0(x):
    return np.i0(x).astype(_float_type(x))


@_i0.defvjp
def _i0_vjp(g, out, x):
    return g * _i1(x)


@implements(np.i0)
def i0(x):
    """The modified Bessel function of the first kind, order 0, elementwise;
    differentiable to every order (its derivative is ``I1``). Real input only.

    Example:
        >>> import ndgrad
        >>> round(ndgrad.i0(ndgrad.tensor([1.0])).item(), 5)
        1.26607
    """
    _refuse_complex("i0", x)
    return _i0(x)


@primitive(name="unwrap", reads=())
def _unwrap(x, discont, axis, period):
    return np.unwrap(x, discont=discont, axis=axis, period=period)


@_unwrap.defvjp
def _unwrap_vjp(g, out, x, discont, axis, period):
    return g


@implements(np.unwrap)
def unwrap(p, discont=None, axis=-1, *, period=2 * math.pi):
    """``p`` with jumps larger than ``discont`` (default ``period / 2``)
    along ``axis`` undone by adding multiples of ``period``; the gradient is
    the identity (the added multiples are constant between jumps). ``discont``
    and ``period`` are constants.

    Example:
        >>> import ndgrad
        >>> ndgrad.unwrap(ndgrad.tensor([0.0, 3.5], dtype="float64")).numpy().round(3).tolist()
        [0.0, -2.783]
    """
    _refuse_complex("unwrap", p)
    for name, value in (("discont", discont), ("period", period)):
        if isinstance(value, Tensor) and value.requires_grad:
            raise TypeError(f"unwrap: {name} is a constant here and would get no gradient; "
                            f"pass {name}.detach() (or a number)")
    return _unwrap(p, discont=data_of(discont), axis=axis, period=data_of(period))
