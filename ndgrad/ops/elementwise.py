"""Unary elementwise math: each forward with its VJP right below.

Rounding ops (``sign``, ``floor``, ``ceil``, ``trunc``, ``rint``, ``round``) are
step functions: their gradient is zero wherever it exists, so they pass a zero
gradient (as PyTorch does) rather than none.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([0.0, 1.0], dtype="float64")
    >>> ndgrad.exp(x).sum().backward()
    >>> x.grad.numpy().round(4).tolist()
    [1.0, 2.7183]
"""

import math

import numpy as np

from ..autograd.primitive import primitive
from ..numpy_api import implements
from .complex_numbers import conj_of, differentiates_complex
from .creation import zeros_like

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)

__all__ = ["negative", "positive", "square", "sqrt", "cbrt", "reciprocal", "exp",
           "exp2", "expm1", "log", "log1p", "log2", "log10", "abs", "sign", "floor",
           "ceil", "trunc", "rint", "fix", "round", "around"]



@implements(np.negative)
@primitive(reads=())
def negative(x):
    """``-x``.

    Example:
        >>> import ndgrad
        >>> ndgrad.negative(ndgrad.tensor([1.0, -2.0])).tolist()
        [-1.0, 2.0]
    """
    return np.negative(x)


@negative.defvjp(arrays=True)
def _negative_vjp(g, out, x):
    return -g


@implements(np.positive)
@primitive(reads=())
def positive(x):
    """``+x`` (a copy).

    Example:
        >>> import ndgrad
        >>> ndgrad.positive(ndgrad.tensor([1.0])).tolist()
        [1.0]
    """
    return np.positive(x)


@positive.defvjp
def _positive_vjp(g, out, x):
    return g


@implements(np.square)
@primitive
def square(x):
    """``x ** 2``.

    Example:
        >>> import ndgrad
        >>> ndgrad.square(ndgrad.tensor([3.0])).tolist()
        [9.0]
    """
    return np.square(x)


@square.defvjp(arrays=True)
def _square_vjp(g, out, x):
    return g * 2 * conj_of(x)


@implements(np.sqrt)
@primitive(saves_output=True, reads=())
def sqrt(x):
    """The square root.

    Example:
        >>> import ndgrad
        >>> ndgrad.sqrt(ndgrad.tensor([4.0])).tolist()
        [2.0]
    """
    return np.sqrt(x)


@sqrt.defvjp(arrays=True)
def _sqrt_vjp(g, out, x):
    return g * 0.5 / conj_of(out)


@implements(np.cbrt)
@primitive(saves_output=True, reads=())
def cbrt(x):
    """The cube root.

    Example:
        >>> import ndgrad
        >>> ndgrad.cbrt(ndgrad.tensor([8.0])).tolist()
        [2.0]
    """
    return np.cbrt(x)


@cbrt.defvjp(arrays=True)
def _cbrt_vjp(g, out, x):
    return g / (3 * out * out)


@implements(np.reciprocal)
@primitive(saves_output=True, reads=())
def reciprocal(x):
    """``1 / x``.

    Example:
        >>> import ndgrad
        >>> ndgrad.reciprocal(ndgrad.tensor([4.0])).tolist()
        [0.25]
    """
    return np.reciprocal(x)


@reciprocal.defvjp(arrays=True)
def _reciprocal_vjp(g, out, x):
    out = conj_of(out)
    return -g * out * out


@implements(np.exp)
@primitive(saves_output=True, reads=())
def exp(x):
    """``e ** x``.

    Example:
        >>> import ndgrad
        >>> ndgrad.exp(ndgrad.tensor([0.0])).tolist()
        [1.0]
    """
    return np.exp(x)


@exp.defvjp(arrays=True)
def _exp_vjp(g, out, x):
    return g * conj_of(out)


@implements(np.exp2)
@primitive(saves_output=True, reads=())
def exp2(x):
    """``2 ** x``.

    Example:
        >>> import ndgrad
        >>> ndgrad.exp2(ndgrad.tensor([3.0])).tolist()
        [8.0]
    """
    return np.exp2(x)


@exp2.defvjp(arrays=True)
def _exp2_vjp(g, out, x):
    return g * conj_of(out) * _LN2


@implements(np.expm1)
@primitive(saves_output=True, reads=())
def expm1(x):
    """``exp(x) - 1``, accurate near zero.

    Example:
        >>> import ndgrad
        >>> ndgrad.expm1(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    return np.expm1(x)


@expm1.defvjp(arrays=True)
def _expm1_vjp(g, out, x):
    return g * conj_of(out + 1)


@implements(np.log)
@primitive
def log(x):
    """The natural logarithm.

    Example:
        >>> import ndgrad
        >>> ndgrad.log(ndgrad.tensor([1.0])).tolist()
        [0.0]
    """
    return np.log(x)


@log.defvjp(arrays=True)
def _log_vjp(g, out, x):
    return g / conj_of(x)


@implements(np.log1p)
@primitive
def log1p(x):
    """``log(1 + x)``, accurate near zero.

    Example:
        >>> import ndgrad
        >>> ndgrad.log1p(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    return np.log1p(x)


@log1p.defvjp(arrays=True)
def _log1p_vjp(g, out, x):
    return g / conj_of(x + 1)


@implements(np.log2)
@primitive
def log2(x):
    """The base-2 logarithm.

    Example:
        >>> import ndgrad
        >>> ndgrad.log2(ndgrad.tensor([8.0])).tolist()
        [3.0]
    """
    return np.log2(x)


@log2.defvjp(arrays=True)
def _log2_vjp(g, out, x):
    return g / conj_of(x * _LN2)


@implements(np.log10)
@primitive
def log10(x):
    """The base-10 logarithm.

    Example:
        >>> import ndgrad
        >>> ndgrad.log10(ndgrad.tensor([100.0], dtype="float64")).tolist()
        [2.0]
    """
    return np.log10(x)


@log10.defvjp(arrays=True)
def _log10_vjp(g, out, x):
    return g / conj_of(x * _LN10)


@implements(np.absolute)
@primitive
def abs(x):
    """The absolute value; the gradient at 0 is 0.

    Example:
        >>> import ndgrad
        >>> ndgrad.abs(ndgrad.tensor([-2.0])).tolist()
        [2.0]
    """
    return np.absolute(x)


@abs.defvjp(arrays=True)
def _abs_vjp(g, out, x):
    if x.dtype.kind == "c":
        # g * z / |z| (PyTorch's sgn), 0 at z = 0; the masked branch stays finite.
        magnitude = np.absolute(x)
        zero = magnitude == 0
        return np.where(zero, 0, g * x / np.where(zero, 1, magnitude))
    return g * np.sign(x)


differentiates_complex(negative, positive, square, sqrt, reciprocal, exp, log, abs, exp2,
                       expm1, log1p, log2, log10)


@implements(np.sign)
@primitive(reads=())
def sign(x):
    """The sign (-1, 0 or 1); its gradient is zero.

    Example:
        >>> import ndgrad
        >>> ndgrad.sign(ndgrad.tensor([-3.0, 0.0, 2.0])).tolist()
        [-1.0, 0.0, 1.0]
    """
    return np.sign(x)


@sign.defvjp
def _sign_vjp(g, out, x):
    return zeros_like(g)


@implements(np.floor)
@primitive(reads=())
def floor(x):
    """Round down; its gradient is zero.

    Example:
        >>> import ndgrad
        >>> ndgrad.floor(ndgrad.tensor([1.7])).tolist()
        [1.0]
    """
    return np.floor(x)


@floor.defvjp
def _floor_vjp(g, out, x):
    return zeros_like(g)


@implements(np.ceil)
@primitive(reads=())
def ceil(x):
    """Round up; its gradient is zero.

    Example:
        >>> import ndgrad
        >>> ndgrad.ceil(ndgrad.tensor([1.2])).tolist()
        [2.0]
    """
    return np.ceil(x)


@ceil.defvjp
def _ceil_vjp(g, out, x):
    return zeros_like(g)


@implements(np.trunc)
@primitive(reads=())
def trunc(x):
    """Round toward zero; its gradient is zero.

    Example:
        >>> import ndgrad
        >>> ndgrad.trunc(ndgrad.tensor([-1.7])).tolist()
        [-1.0]
    """
    return np.trunc(x)


@trunc.defvjp
def _trunc_vjp(g, out, x):
    return zeros_like(g)


@implements(np.rint)
@primitive(reads=())
def rint(x):
    """Round to the nearest integer; its gradient is zero.

    Example:
        >>> import ndgrad
        >>> ndgrad.rint(ndgrad.tensor([1.6])).tolist()
        [2.0]
    """
    return np.rint(x)


@rint.defvjp
def _rint_vjp(g, out, x):
    return zeros_like(g)


fix = trunc
implements(np.fix)(trunc)


@implements(np.round, np.around)
@primitive(reads=())
def round(x, decimals=0):
    """Round to ``decimals`` places (half to even, as NumPy); zero gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.round(ndgrad.tensor([1.26], dtype="float64"), 1).tolist()
        [1.3]
    """
    return np.round(x, decimals)


@round.defvjp
def _round_vjp(g, out, x, decimals=0):
    return zeros_like(g), None


around = round