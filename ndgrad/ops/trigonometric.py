"""Trigonometric and hyperbolic functions: each forward with its VJP below.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable(0.0)
    >>> ndgrad.sin(x).backward()
    >>> x.grad.item()
    1.0
"""

import math

import numpy as np

from ..autograd.primitive import primitive
from ..numpy_api import implements
from .complex_numbers import conj_of, differentiates_complex
from .elementwise import sqrt
from .selection import where

_DEG = math.pi / 180.0

__all__ = ["sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
           "arcsinh", "arccosh", "arctanh", "deg2rad", "rad2deg", "sinc"]



@implements(np.sin)
@primitive
def sin(x):
    """The sine.

    Example:
        >>> import ndgrad
        >>> ndgrad.sin(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    return np.sin(x)


@sin.defvjp(arrays=True)
def _sin_vjp(g, out, x):
    return g * conj_of(np.cos(x))


@implements(np.cos)
@primitive
def cos(x):
    """The cosine.

    Example:
        >>> import ndgrad
        >>> ndgrad.cos(ndgrad.tensor([0.0])).tolist()
        [1.0]
    """
    return np.cos(x)


@cos.defvjp
def _cos_vjp(g, out, x):
    return -g * conj_of(sin(x))


@implements(np.tan)
@primitive(saves_output=True, reads=())
def tan(x):
    """The tangent.

    Example:
        >>> import ndgrad
        >>> ndgrad.tan(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    return np.tan(x)


@tan.defvjp
def _tan_vjp(g, out, x):
    return g * conj_of(1 + out * out)


@implements(np.arcsin)
@primitive
def arcsin(x):
    """The inverse sine.

    Example:
        >>> import ndgrad
        >>> ndgrad.arcsin(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    return np.arcsin(x)


@arcsin.defvjp
def _arcsin_vjp(g, out, x):
    return g / conj_of(sqrt(1 - x * x))


@implements(np.arccos)
@primitive
def arccos(x):
    """The inverse cosine.

    Example:
        >>> import ndgrad
        >>> ndgrad.arccos(ndgrad.tensor([1.0])).tolist()
        [0.0]
    """
    return np.arccos(x)


@arccos.defvjp
def _arccos_vjp(g, out, x):
    return -g / conj_of(sqrt(1 - x * x))


@implements(np.arctan)
@primitive
def arctan(x):
    """The inverse tangent.

    Example:
        >>> import ndgrad
        >>> ndgrad.arctan(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    return np.arctan(x)


@arctan.defvjp
def _arctan_vjp(g, out, x):
    return g / conj_of(1 + x * x)


@implements(np.sinh)
@primitive
def sinh(x):
    """The hyperbolic sine.

    Example:
        >>> import ndgrad
        >>> ndgrad.sinh(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    return np.sinh(x)


@sinh.defvjp
def _sinh_vjp(g, out, x):
    return g * conj_of(cosh(x))


@implements(np.cosh)
@primitive
def cosh(x):
    """The hyperbolic cosine.

    Example:
        >>> import ndgrad
        >>> ndgrad.cosh(ndgrad.tensor([0.0])).tolist()
        [1.0]
    """
    return np.cosh(x)


@cosh.defvjp
def _cosh_vjp(g, out, x):
    return g * conj_of(sinh(x))


@implements(np.tanh)
@primitive(saves_output=True, reads=())
def tanh(x):
    """The hyperbolic tangent.

    Example:
        >>> import ndgrad
        >>> ndgrad.tanh(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    return np.tanh(x)


@tanh.defvjp(arrays=True)
def _tanh_vjp(g, out, x):
    return g * conj_of(1 - out * out)


@implements(np.arcsinh)
@primitive
def arcsinh(x):
    """The inverse hyperbolic sine.

    Example:
        >>> import ndgrad
        >>> ndgrad.arcsinh(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    return np.arcsinh(x)


@arcsinh.defvjp
def _arcsinh_vjp(g, out, x):
    return g / conj_of(sqrt(x * x + 1))


@implements(np.arccosh)
@primitive
def arccosh(x):
    """The inverse hyperbolic cosine.

    Example:
        >>> import ndgrad
        >>> ndgrad.arccosh(ndgrad.tensor([1.0])).tolist()
        [0.0]
    """
    return np.arccosh(x)


@arccosh.defvjp
def _arccosh_vjp(g, out, x):
    # sqrt(x - 1) sqrt(x + 1), not sqrt(x * x - 1): the same for real x, and for complex x
    # the one whose branch cut is arccosh's own (the other flips sign for Re x < 0).
    return g / conj_of(sqrt(x - 1) * sqrt(x + 1))


@implements(np.arctanh)
@primitive
def arctanh(x):
    """The inverse hyperbolic tangent.

    Example:
        >>> import ndgrad
        >>> ndgrad.arctanh(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    return np.arctanh(x)


@arctanh.defvjp
def _arctanh_vjp(g, out, x):
    return g / conj_of(1 - x * x)


@implements(np.deg2rad)
@primitive(reads=())
def deg2rad(x):
    """Degrees to radians.

    Example:
        >>> import ndgrad
        >>> round(ndgrad.deg2rad(ndgrad.tensor(180.0)).item(), 4)
        3.1416
    """
    return np.deg2rad(x)


@deg2rad.defvjp
def _deg2rad_vjp(g, out, x):
    return g * _DEG


@implements(np.rad2deg)
@primitive(reads=())
def rad2deg(x):
    """Radians to degrees.

    Example:
        >>> import ndgrad
        >>> round(ndgrad.rad2deg(ndgrad.tensor(3.14159265)).item(), 2)
        180.0
    """
    return np.rad2deg(x)


@rad2deg.defvjp
def _rad2deg_vjp(g, out, x):
    return g / _DEG


@implements(np.sinc)
@primitive(saves_output=True)
def sinc(x):
    """The normalized sinc, ``sin(pi x) / (pi x)`` (1 at 0).

    Example:
        >>> import ndgrad
        >>> ndgrad.sinc(ndgrad.tensor([0.0])).tolist()
        [1.0]
    """
    return np.sinc(x)


@sinc.defvjp
def _sinc_vjp(g, out, x):
    zero = x == 0
    safe = where(zero, 1, x)
    return g * where(zero, 0, (cos(safe * math.pi) - out) / safe)


# Holomorphic: each rule is g * conj(f'(z)) (PyTorch's convention, complex_numbers).
differentiates_complex(sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh, arcsinh,
                       arccosh, arctanh)
