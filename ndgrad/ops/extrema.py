"""Elementwise extrema of two operands: ``maximum``, ``minimum`` and the
NaN-ignoring ``fmax``, ``fmin``. The gradient goes to the operand that wins;
ties split it equally (as PyTorch), and a NaN operand of ``fmax``/``fmin``
gets none.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([1.0, 2.0, 3.0])
    >>> ndgrad.maximum(x, 2.0).sum().backward()
    >>> x.grad.tolist()
    [0.0, 0.5, 1.0]
"""

import numpy as np

from ..autograd.primitive import primitive
from ..numpy_api import implements

__all__ = ["maximum", "minimum", "fmax", "fmin"]


def _select_rule(g, x, y, needs, first_wins):
    """Gradient of maximum/minimum: to the winner; ties share it equally."""
    half = g * 0.5
    gx = np.where(first_wins, g, np.where(x == y, half, 0)) if needs[0] else None
    gy = np.where(first_wins, 0, np.where(x == y, half, g)) if needs[1] else None
    return gx, gy


@implements(np.maximum)
@primitive
def maximum(x, y):
    """Elementwise maximum; ties split the gradient equally.

    Example:
        >>> import ndgrad
        >>> ndgrad.maximum(ndgrad.tensor([1.0, 5.0]), 2.0).tolist()
        [2.0, 5.0]
    """
    return np.maximum(x, y)


@maximum.defvjp(arrays=True)
def _maximum_vjp(g, out, x, y, needs):
    return _select_rule(g, x, y, needs, x > y)


@implements(np.minimum)
@primitive
def minimum(x, y):
    """Elementwise minimum; ties split the gradient equally.

    Example:
        >>> import ndgrad
        >>> ndgrad.minimum(ndgrad.tensor([1.0, 5.0]), 2.0).tolist()
        [1.0, 2.0]
    """
    return np.minimum(x, y)


@minimum.defvjp(arrays=True)
def _minimum_vjp(g, out, x, y, needs):
    return _select_rule(g, x, y, needs, x < y)


@implements(np.fmax)
@primitive
def fmax(x, y):
    """Elementwise maximum ignoring NaN (the NaN side gets no gradient).

    Example:
        >>> import ndgrad
        >>> ndgrad.fmax(ndgrad.tensor([float("nan"), 1.0]), 0.5).tolist()
        [0.5, 1.0]
    """
    return np.fmax(x, y)


@fmax.defvjp(arrays=True)
def _fmax_vjp(g, out, x, y, needs):
    return _select_rule(g, x, y, needs, (x > y) | (y != y))


@implements(np.fmin)
@primitive
def fmin(x, y):
    """Elementwise minimum ignoring NaN (the NaN side gets no gradient).

    Example:
        >>> import ndgrad
        >>> ndgrad.fmin(ndgrad.tensor([float("nan"), 1.0]), 0.5).tolist()
        [0.5, 0.5]
    """
    return np.fmin(x, y)


@fmin.defvjp(arrays=True)
def _fmin_vjp(g, out, x, y, needs):
    return _select_rule(g, x, y, needs, (x < y) | (y != y))
