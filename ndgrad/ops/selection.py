"""Choosing between values: ``where``, ``clip``; and the comparisons and logic
ops that produce booleans (never a gradient).

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([-2.0, 0.5, 3.0])
    >>> ndgrad.clip(x, -1, 1).sum().backward()
    >>> x.grad.tolist()
    [0.0, 1.0, 0.0]
"""

import numpy as np

from ..autograd.primitive import nondifferentiable, primitive
from ..numpy_api import implements

__all__ = ["where", "clip", "equal", "not_equal", "less", "less_equal", "greater",
           "greater_equal", "logical_and", "logical_or", "logical_xor", "logical_not",
           "invert", "bitwise_and", "bitwise_or", "bitwise_xor", "isnan", "isinf",
           "isfinite", "signbit", "isclose", "allclose", "array_equal", "nonzero",
           "count_nonzero", "all", "any"]


@primitive(name="where", reads=(0,))
def _where3(condition, x, y):
    return np.where(condition, x, y)


@_where3.defvjp
def _where_vjp(g, out, condition, x, y, needs):
    gx = _where3(condition, g, 0) if needs[1] else None
    gy = _where3(condition, 0, g) if needs[2] else None
    return None, gx, gy


_nonzero = nondifferentiable(np.nonzero, "nonzero")


@implements(np.where)
def where(condition, x=None, y=None):
    """``x`` where ``condition`` holds, else ``y``; gradients go to the chosen side.

    With only ``condition``, the indices where it holds (as ``np.where``).

    Example:
        >>> import ndgrad
        >>> ndgrad.where(ndgrad.tensor([True, False]), 1.0, ndgrad.zeros(2)).tolist()
        [1.0, 0.0]
    """
    if x is None and y is None:
        return _nonzero(condition)
    if x is None or y is None:
        raise ValueError("where: give both x and y, or neither")
    return _where3(condition, x, y)


@primitive(name="clip")
def _clip(x, lower, upper):
    return np.clip(x, lower, upper)


@_clip.defvjp
def _clip_vjp(g, out, x, lower, upper, needs):
    inside = None
    if lower is not None:
        inside = x >= lower
    if upper is not None:
        inside = x <= upper if inside is None else inside & (x <= upper)
    gx = _where3(inside, g, 0) if needs[0] else None
    glow = _where3(x < lower, g, 0) if needs[1] else None
    gup = _where3(x > upper, g, 0) if needs[2] else None
    return gx, glow, gup


@implements(np.clip)
def clip(x, a_min=None, a_max=None, min=None, max=None):
    """Limit values to ``[a_min, a_max]``; the gradient passes where ``x`` is inside.

    Bounds may be numbers, arrays or tensors (which then get gradients too).

    Example:
        >>> import ndgrad
        >>> ndgrad.clip(ndgrad.tensor([-5.0, 0.5, 5.0]), -1, 1).tolist()
        [-1.0, 0.5, 1.0]
    """
    lower = a_min if a_min is not None else min
    upper = a_max if a_max is not None else max
    if lower is None and upper is None:
        raise ValueError("clip: give at least one of a_min and a_max")
    return _clip(x, lower, upper)


def _boolean(numpy_function, summary):
    function = nondifferentiable(numpy_function)
    function.__doc__ = f"""{summary}; a boolean tensor with no gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.{numpy_function.__name__}(ndgrad.tensor([1.0, 2.0]), 2.0).dtype
        dtype('bool')
    """
    return implements(numpy_function)(function)


equal = _boolean(np.equal, "``x == y`` elementwise")
not_equal = _boolean(np.not_equal, "``x != y`` elementwise")
less = _boolean(np.less, "``x < y`` elementwise")
less_equal = _boolean(np.less_equal, "``x <= y`` elementwise")
greater = _boolean(np.greater, "``x > y`` elementwise")
greater_equal = _boolean(np.greater_equal, "``x >= y`` elementwise")
logical_and = _boolean(np.logical_and, "``x and y`` elementwise")
logical_or = _boolean(np.logical_or, "``x or y`` elementwise")
logical_xor = _boolean(np.logical_xor, "``x xor y`` elementwise")
isclose = _boolean(np.isclose, "Whether ``x`` and ``y`` are close elementwise")

def _no_gradient(numpy_function, call, result):
    """``numpy_function`` on tensors, with the example ``call`` giving ``result``."""
    example = (f">>> {call}", result)
    return implements(numpy_function)(nondifferentiable(numpy_function, example=example))


_INTS = "ndgrad.tensor([12, 10])"
_FLOATS = "ndgrad.tensor([1.0, float('nan'), -float('inf')])"
bitwise_and = _no_gradient(np.bitwise_and, f"ndgrad.bitwise_and({_INTS}, 6).tolist()", "[4, 2]")
bitwise_or = _no_gradient(np.bitwise_or, f"ndgrad.bitwise_or({_INTS}, 1).tolist()", "[13, 11]")
bitwise_xor = _no_gradient(np.bitwise_xor, f"ndgrad.bitwise_xor({_INTS}, 6).tolist()", "[10, 12]")
invert = _no_gradient(np.invert, f"ndgrad.invert({_INTS}).tolist()", "[-13, -11]")
logical_not = _no_gradient(np.logical_not, "ndgrad.logical_not(ndgrad.tensor([0.0, 2.0])).tolist()",
                           "[True, False]")
isnan = _no_gradient(np.isnan, f"ndgrad.isnan({_FLOATS}).tolist()", "[False, True, False]")
isinf = _no_gradient(np.isinf, f"ndgrad.isinf({_FLOATS}).tolist()", "[False, False, True]")
isfinite = _no_gradient(np.isfinite, f"ndgrad.isfinite({_FLOATS}).tolist()", "[True, False, False]")
signbit = _no_gradient(np.signbit, "ndgrad.signbit(ndgrad.tensor([-1.0, 0.0, 2.0])).tolist()",
                       "[True, False, False]")
nonzero = implements(np.nonzero)(_nonzero)
count_nonzero = _no_gradient(np.count_nonzero,
                             "ndgrad.count_nonzero(ndgrad.tensor([0.0, 1.0, 2.0])).item()", "2")
all = _no_gradient(np.all, "ndgrad.all(ndgrad.tensor([1.0, 0.0])).item()", "False")
any = _no_gradient(np.any, "ndgrad.any(ndgrad.tensor([1.0, 0.0])).item()", "True")


@implements(np.allclose)
def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether all elements are close, as a Python bool.

    Example:
        >>> import ndgrad
        >>> ndgrad.allclose(ndgrad.ones(2), [1.0, 1.0])
        True
    """
    return bool(np.allclose(getattr(a, "_data", a), getattr(b, "_data", b), rtol, atol, equal_nan))


@implements(np.array_equal)
def array_equal(a, b, equal_nan=False):
    """Whether shapes and elements are equal, as a Python bool.

    Example:
        >>> import ndgrad
        >>> ndgrad.array_equal(ndgrad.ones(2), ndgrad.ones(2))
        True
    """
    return bool(np.array_equal(getattr(a, "_data", a), getattr(b, "_data", b), equal_nan=equal_nan))


allclose.differentiable = False      # Python bools, no gradient by nature
array_equal.differentiable = False
