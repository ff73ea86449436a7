"""Binary arithmetic with broadcasting: each forward with its VJP right below.

Rules return gradients in the broadcast shape; the engine sums them down to
each input's shape. Rules with a ``needs`` keyword skip the gradients no input
needs. ``floor_divide`` has a zero gradient (a step function); ``mod`` has the
derivative of ``x - y * floor(x / y)``: 1 for ``x`` and ``-floor(x / y)`` for
``y``, as in PyTorch (a zero there would lose a real gradient).

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([1.0, 2.0]); y = ndgrad.Variable(3.0)
    >>> (x * y).sum().backward()
    >>> x.grad.tolist(), y.grad.item()
    ([3.0, 3.0], 3.0)
"""

import math

import numpy as np

from ..autograd.primitive import data_of, primitive
from ..numpy_api import implements
from ..tensor import Tensor
from .cast import astype
from .complex_numbers import conj_of, differentiates_complex
from .creation import zeros_like
from .elementwise import sign
from .extrema import fmax, fmin, maximum, minimum  # noqa: F401 - re-exported, in __all__
from .selection import where

__all__ = ["add", "subtract", "multiply", "divide", "true_divide", "power", "float_power",
           "maximum", "minimum", "fmax", "fmin", "arctan2", "hypot", "logaddexp",
           "logaddexp2", "mod", "remainder", "fmod", "floor_divide", "copysign"]


@implements(np.add)
@primitive(reads=())
def add(x, y):
    """``x + y`` with broadcasting.

    Example:
        >>> import ndgrad
        >>> ndgrad.add(ndgrad.ones(2), 1.5).tolist()
        [2.5, 2.5]
    """
    return np.add(x, y)


@add.defvjp
def _add_vjp(g, out, x, y):
    return g, g


@implements(np.subtract)
@primitive(reads=())
def subtract(x, y):
    """``x - y`` with broadcasting.

    Example:
        >>> import ndgrad
        >>> ndgrad.subtract(ndgrad.ones(2), 3.0).tolist()
        [-2.0, -2.0]
    """
    return np.subtract(x, y)


@subtract.defvjp
def _subtract_vjp(g, out, x, y, needs):
    return g, (-g if needs[1] else None)


@implements(np.multiply)
@primitive
def multiply(x, y):
    """``x * y`` with broadcasting.

    Example:
        >>> import ndgrad
        >>> ndgrad.multiply(ndgrad.tensor([1.0, 2.0]), 3.0).tolist()
        [3.0, 6.0]
    """
    return np.multiply(x, y)


@multiply.defvjp(arrays=True)
def _multiply_vjp(g, out, x, y, needs):
    if g.dtype.kind == "c":               # a complex product: g times the conjugates
        x, y = conj_of(x), conj_of(y)
    return (g * y if needs[0] else None), (g * x if needs[1] else None)


@implements(np.divide, np.true_divide)
@primitive
def divide(x, y):
    """``x / y`` with broadcasting (true division).

    Example:
        >>> import ndgrad
        >>> ndgrad.divide(ndgrad.tensor([1.0, 3.0]), 2.0).tolist()
        [0.5, 1.5]
    """
    return np.divide(x, y)


@divide.defvjp(arrays=True)
def _divide_vjp(g, out, x, y, needs):
    if g.dtype.kind == "c":               # g times the conjugate derivatives
        x, y = conj_of(x), conj_of(y)
    gx = g / y if needs[0] else None
    gy = -g * x / (y * y) if needs[1] else None
    return gx, gy


true_divide = divide


@implements(np.power)
@primitive
def power(x, y):
    """``x ** y`` with broadcasting. The gradients are PyTorch's: for ``x``,
    ``y x^(y-1)``, zero where ``y == 0`` (so ``x ** 0`` has gradient 0 at
    ``x = 0``, not NaN); for ``y``, ``x^y log(x)``, zero where ``x == 0`` and
    ``y >= 0``, NaN where ``x < 0`` (no real logarithm). No RuntimeWarning.

    Example:
        >>> import ndgrad
        >>> ndgrad.power(ndgrad.tensor([2.0, 3.0]), 2).tolist()
        [4.0, 9.0]
        >>> x = ndgrad.tensor([0.0, 2.0], requires_grad=True)
        >>> (x ** 0).sum().backward(); x.grad.tolist()
        [0.0, 0.0]
    """
    return np.power(x, y)


@power.defvjp(arrays=True)
def _power_vjp(g, out, x, y, needs):
    if g.dtype.kind == "c":
        return _complex_power_vjp(g, x, y, needs)
    gx = gy = None
    if needs[0] and type(y) in (int, float) and y >= 1 and float(y).is_integer():
        return g * y * x ** (y - 1), None          # x ** 2: finite everywhere, no warning
    with np.errstate(divide="ignore", invalid="ignore"):
        if needs[0]:
            gx = _power_base_vjp(g, x, y)
        if needs[1]:
            gy = _power_exponent_vjp(g, x, y)
    return gx, gy


def _complex_power_vjp(g, x, y, needs):
    """``g`` times the conjugate derivatives: ``conj(conj(g) * d)`` with ``d`` the
    real rules' derivative (conjugating ``x`` itself would cross the branch cut)."""
    conj_g = conj_of(g)
    gx = gy = None
    with np.errstate(divide="ignore", invalid="ignore"):
        if needs[0]:
            gx = conj_of(_power_base_vjp(conj_g, x, y))
        if needs[1]:
            gy = conj_of(_power_exponent_vjp(conj_g, x, y))
    return gx, gy


def _power_base_vjp(g, x, y):
    """``g y x^(y-1)``, zero where ``y == 0`` (``0 * 0^-1`` would be NaN)."""
    if type(y) in (int, float):
        return np.zeros(np.shape(g), g.dtype) if y == 0 else g * y * x ** (y - 1)
    zero = y == 0
    safe = np.where(zero, 1, y)        # the masked branch stays finite to any order
    return np.where(zero, 0, g * safe * x ** (safe - 1))


def _power_exponent_vjp(g, x, y):
    """``g x^y log(x)``; at ``x == 0`` zero for ``y >= 0`` and ``-inf`` below, as
    PyTorch's; NaN for ``x < 0``."""
    zero = x == 0
    if type(x) in (int, float):                  # 2.0 ** w: keep w's dtype
        log_x = math.log(x) if x > 0 else 0.0 if zero else math.nan
    else:
        log_x = np.log(np.where(zero, 1, x))      # finite where masked, to any order
    grad = x ** y * log_x
    grad = np.where(zero & (y < 0), -np.inf, grad)
    return g * grad


differentiates_complex(add, subtract, multiply, divide, power)


@implements(np.float_power)
def float_power(x, y):
    """``x ** y`` computed in float64, as ``numpy.float_power``.

    Example:
        >>> import ndgrad
        >>> ndgrad.float_power(ndgrad.tensor([2.0]), 3).dtype
        dtype('float64')
    """
    x = astype(x, "float64") if isinstance(x, Tensor) else np.asarray(x, dtype=np.float64)
    return power(x, y)


@implements(np.arctan2)
@primitive
def arctan2(y, x):
    """The angle of the point ``(x, y)``, elementwise (NumPy's argument order).

    Example:
        >>> import ndgrad
        >>> round(ndgrad.arctan2(ndgrad.tensor(1.0), 1.0).item(), 4)
        0.7854
    """
    return np.arctan2(y, x)


@arctan2.defvjp(arrays=True)
def _arctan2_vjp(g, out, y, x, needs):
    scale = g / (x * x + y * y)
    return (scale * x if needs[0] else None), (-scale * y if needs[1] else None)


@implements(np.hypot)
@primitive(saves_output=True)
def hypot(x, y):
    """``sqrt(x**2 + y**2)`` elementwise, without overflow.

    Example:
        >>> import ndgrad
        >>> ndgrad.hypot(ndgrad.tensor(3.0), 4.0).item()
        5.0
    """
    return np.hypot(x, y)


@hypot.defvjp(arrays=True)
def _hypot_vjp(g, out, x, y, needs):
    scale = g / out
    return (scale * x if needs[0] else None), (scale * y if needs[1] else None)


@implements(np.logaddexp)
@primitive(saves_output=True)
def logaddexp(x, y):
    """``log(exp(x) + exp(y))`` computed stably.

    Example:
        >>> import ndgrad
        >>> round(ndgrad.logaddexp(ndgrad.tensor(0.0), 0.0).item(), 4)
        0.6931
    """
    return np.logaddexp(x, y)


@logaddexp.defvjp(arrays=True)
def _logaddexp_vjp(g, out, x, y, needs):
    return ((g * np.exp(x - out) if needs[0] else None),
            (g * np.exp(y - out) if needs[1] else None))


@implements(np.logaddexp2)
@primitive(saves_output=True)
def logaddexp2(x, y):
    """``log2(2**x + 2**y)`` computed stably.

    Example:
        >>> import ndgrad
        >>> ndgrad.logaddexp2(ndgrad.tensor(1.0), 1.0).item()
        2.0
    """
    return np.logaddexp2(x, y)


@logaddexp2.defvjp(arrays=True)
def _logaddexp2_vjp(g, out, x, y, needs):
    return ((g * np.exp2(x - out) if needs[0] else None),
            (g * np.exp2(y - out) if needs[1] else None))


@implements(np.mod, np.remainder)
@primitive
def mod(x, y):
    """Remainder with the sign of ``y`` (Python's ``%``).

    Gradient: 1 for ``x`` and ``-floor(x / y)`` for ``y`` (almost everywhere).

    Example:
        >>> import ndgrad
        >>> ndgrad.mod(ndgrad.tensor([5.0, -1.0]), 3.0).tolist()
        [2.0, 2.0]
    """
    return np.mod(x, y)


@mod.defvjp(arrays=True)
def _mod_vjp(g, out, x, y, needs):
    return (g if needs[0] else None), (-g * np.floor(x / y) if needs[1] else None)


remainder = mod


@implements(np.fmod)
@primitive
def fmod(x, y):
    """Remainder with the sign of ``x`` (C's ``fmod``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fmod(ndgrad.tensor([5.0, -1.0]), 3.0).tolist()
        [2.0, -1.0]
    """
    return np.fmod(x, y)


@fmod.defvjp(arrays=True)
def _fmod_vjp(g, out, x, y, needs):
    return (g if needs[0] else None), (-g * np.trunc(x / y) if needs[1] else None)


@implements(np.floor_divide)
@primitive
def floor_divide(x, y):
    """``x // y``; a step function, so its gradient is zero.

    Example:
        >>> import ndgrad
        >>> ndgrad.floor_divide(ndgrad.tensor([7.0]), 2.0).tolist()
        [3.0]
    """
    return np.floor_divide(x, y)


@floor_divide.defvjp
def _floor_divide_vjp(g, out, x, y, needs):
    return (zeros_like(g) if needs[0] else None), (zeros_like(g) if needs[1] else None)


@implements(np.copysign)
@primitive
def copysign(x, y):
    """The magnitude of ``x`` with the sign of ``y``; ``y`` gets no gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.copysign(ndgrad.tensor([2.0]), -1.0).tolist()
        [-2.0]
    """
    return np.copysign(x, y)


@copysign.defvjp
def _copysign_vjp(g, out, x, y, needs):
    return (g * sign(x) * where(np.signbit(data_of(y)), -1.0, 1.0) if needs[0] else None), None
