"""The activations Keras 3 names that PyTorch has no function for: ``squareplus``,
``sparse_plus``, ``sparse_sigmoid`` and ``sparsemax``.

They are composites of ndgrad ops (``where``, ``sqrt``, ``relu``), so their
gradients come from those ops' rules and work to any order. ``sparsemax``
finds its threshold with NumPy (a sort and a cumulative sum, no gradient
needed: the support is piecewise constant) and then writes the threshold as
the mean of the supported inputs, so that the gradient flows through it.
(``layers.Activation`` and ``activation=`` take them by name; see
``ndgrad.nn.activation_names``.)

Example:
    >>> from ndgrad.ops.activations_keras import sparsemax
    >>> import ndgrad
    >>> [round(v, 4) for v in sparsemax(ndgrad.tensor([0.5, 0.4, -1.0])).tolist()]
    [0.55, 0.45, 0.0]
"""

import numpy as np

from ..autograd.primitive import data_of
from ..tensor import Tensor, as_tensor
from .activations import relu
from .elementwise import sqrt, square
from .selection import where

__all__ = ["squareplus", "sparse_plus", "sparse_sigmoid", "sparsemax"]


def _floating(x):
    x = as_tensor(x)
    return x if x.dtype.kind == "f" else x.astype(np.float32)


def squareplus(x, b=4):
    """``(x + sqrt(x**2 + b)) / 2``, a smooth ReLU (``b`` > 0 sets the curvature at 0).

    Example:
        >>> from ndgrad.ops.activations_keras import squareplus
        >>> import ndgrad
        >>> squareplus(ndgrad.tensor([-1.5, 0.0, 1.5])).tolist()
        [0.5, 1.0, 2.0]
    """
    x = _floating(x)
    return (x + sqrt(square(x) + b)) / 2


def sparse_plus(x):
    """0 below -1, ``(x + 1)**2 / 4`` between -1 and 1, ``x`` above 1: a softplus
    with exact zeros.

    Example:
        >>> from ndgrad.ops.activations_keras import sparse_plus
        >>> import ndgrad
        >>> sparse_plus(ndgrad.tensor([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.25, 2.0]
    """
    x = _floating(x)
    return where(x <= -1, 0.0, where(x < 1, square(x + 1) / 4, x))


def sparse_sigmoid(x):
    """0 below -1, ``(x + 1) / 2`` between -1 and 1, 1 above 1.

    Example:
        >>> from ndgrad.ops.activations_keras import sparse_sigmoid
        >>> import ndgrad
        >>> sparse_sigmoid(ndgrad.tensor([-2.0, 0.0, 0.5, 2.0])).tolist()
        [0.0, 0.5, 0.75, 1.0]
    """
    x = _floating(x)
    return where(x <= -1, 0.0, where(x >= 1, 1.0, (x + 1) / 2))


def _support(values, axis):
    """The inputs that sparsemax keeps (Martins and Astudillo, 2016): with ``z`` sorted
    in decreasing order, the first ``k`` entries where ``1 + k z_k > z_1 + ... + z_k``."""
    moved = np.moveaxis(np.asarray(values, np.float64), axis, -1)
    ordered = -np.sort(-moved, axis=-1)
    ranks = np.arange(1, moved.shape[-1] + 1)
    cumulative = np.cumsum(ordered, axis=-1)
    count = np.sum(1 + ranks * ordered > cumulative, axis=-1, keepdims=True)
    threshold = (np.take_along_axis(cumulative, count - 1, axis=-1) - 1) / count
    return np.moveaxis(moved > threshold, -1, axis)


def sparsemax(x, axis=-1):
    """The Euclidean projection of ``x`` onto the probability simplex along ``axis``:
    ``max(x - tau, 0)`` with ``tau`` chosen so that each slice sums to 1; unlike
    softmax, small entries get exactly 0.

    (Keras 3.16's own ``sparsemax`` computes ``tau`` from the sum of the
    cumulative sums over the support, which equals this definition only when
    one entry is kept; this is the definition.)

    Example:
        >>> from ndgrad.ops.activations_keras import sparsemax
        >>> import ndgrad
        >>> sparsemax(ndgrad.tensor([[3.0, 1.0], [0.5, 0.5]])).tolist()
        [[1.0, 0.0], [0.5, 0.5]]
    """
    x = _floating(x)
    if x.ndim == 0:
        raise ValueError("sparsemax: needs at least one axis to project along; got a scalar")
    support = _support(data_of(x), axis)
    mask = Tensor._wrap(support.astype(x.dtype))
    count = Tensor._wrap(np.sum(support, axis=axis, keepdims=True).astype(x.dtype))
    threshold = ((x * mask).sum(axis=axis, keepdims=True) - 1) / count
    return relu(x - threshold)
