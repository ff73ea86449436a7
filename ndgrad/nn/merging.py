"""Merge layers (Keras): combine a list of tensors into one.

``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum`` and ``Minimum``
work elementwise (NumPy broadcasting), ``Concatenate`` joins along an axis,
``Dot`` takes per-sample dot products along the given axes (``normalize``
makes it the cosine similarity). Each has a lowercase functional form,
``keras.layers.add([a, b])`` = ``Add()([a, b])``. They are written with
ndgrad's differentiable ops, so gradients come from those ops' rules.

Example:
    >>> from ndgrad.layers import Dot
    >>> from ndgrad.layers import Concatenate
    >>> from ndgrad.layers import Add
    >>> import ndgrad
    >>> a, b = ndgrad.tensor([[1.0, 2.0]]), ndgrad.tensor([[3.0, 5.0]])
    >>> Add()([a, b]).tolist(), Concatenate()([a, b]).tolist(), Dot(axes=1)([a, b]).tolist()
    ([[4.0, 7.0]], [[1.0, 2.0, 3.0, 5.0]], [[13.0]])
"""

import numpy as np

from .. import ops
from ..errors import shape_error
from ..tensor import as_tensor
from .module import Module, keras_exports

__all__ = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
           "add", "subtract", "multiply", "average", "maximum", "minimum", "concatenate", "dot"]


class _Merge(Module):
    """Base: ``call(inputs)`` with a list of tensors; subclasses define ``_merge``."""

    exact_count = None          # Subtract and Dot take exactly two inputs

    def _check_inputs(self, inputs):
        label = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise TypeError(f"{label}: call it on a list of tensors, e.g. {label}()([a, b]); "
                            f"got a {type(inputs).__name__}")
        if len(inputs) < 1 or (self.exact_count and len(inputs) != self.exact_count):
            need = self.exact_count or "at least 1"
            raise ValueError(f"{label}: expects {need} inputs; got {len(inputs)}")
        return [as_tensor(x) for x in inputs]

    def call(self, inputs):
        return self._merge(self._check_inputs(inputs))

    def _merge(self, tensors):
        raise NotImplementedError


class _Elementwise(_Merge):
    """An elementwise merge: shapes must broadcast together."""

    def _merge(self, tensors):
        try:
            np.broadcast_shapes(*[t.shape for t in tensors])
        except ValueError:
            raise shape_error(type(self).__name__, tensors,
                              "the inputs' shapes must be equal or broadcast together") from None
        result = tensors[0]
        for tensor in tensors[1:]:
            result = self._combine(result, tensor)
        return self._finish(result, len(tensors))

    def _finish(self, result, count):
        return result


class Add(_Elementwise):
    """The elementwise sum of its inputs.

    Example:
        >>> from ndgrad.layers import Add
        >>> import ndgrad
        >>> Add()([ndgrad.ones(2), ndgrad.ones(2), ndgrad.ones(2)]).tolist()
        [3.0, 3.0]
    """

    def _combine(self, a, b):
        return ops.add(a, b)


class Subtract(_Elementwise):
    """``inputs[0] - inputs[1]`` (exactly two inputs).

    Example:
        >>> from ndgrad.layers import Subtract
        >>> import ndgrad
        >>> Subtract()([ndgrad.tensor([5.0]), ndgrad.tensor([2.0])]).tolist()
        [3.0]
    """

    exact_count = 2

    def _combine(self, a, b):
        return ops.subtract(a, b)


class Multiply(_Elementwise):
    """The elementwise product of its inputs.

    Example:
        >>> from ndgrad.layers import Multiply
        >>> import ndgrad
        >>> Multiply()([ndgrad.tensor([2.0]), ndgrad.tensor([3.0])]).tolist()
        [6.0]
    """

    def _combine(self, a, b):
        return ops.multiply(a, b)


class Average(_Elementwise):
    """The elementwise mean of its inputs.

    Example:
        >>> from ndgrad.layers import Average
        >>> import ndgrad
        >>> Average()([ndgrad.tensor([1.0]), ndgrad.tensor([4.0])]).tolist()
        [2.5]
    """

    def _combine(self, a, b):
        return ops.add(a, b)

    def _finish(self, result, count):
        return result / count


class Maximum(_Elementwise):
    """The elementwise maximum of its inputs.

    Example:
        >>> from ndgrad.layers import Maximum
        >>> import ndgrad
        >>> Maximum()([ndgrad.tensor([1.0, 5.0]), ndgrad.tensor([3.0, 2.0])]).tolist()
        [3.0, 5.0]
    """

    def _combine(self, a, b):
        return ops.maximum(a, b)


class Minimum(_Elementwise):
    """The elementwise minimum of its inputs.

    Example:
        >>> from ndgrad.layers import Minimum
        >>> import ndgrad
        >>> Minimum()([ndgrad.tensor([1.0, 5.0]), ndgrad.tensor([3.0, 2.0])]).tolist()
        [1.0, 2.0]
    """

    def _combine(self, a, b):
        return ops.minimum(a, b)


class Concatenate(_Merge):
    """Join the inputs along ``axis`` (default the last); the other axes must match.

    Args:
        axis (int, default -1): the axis the inputs are joined along.

    Example:
        >>> from ndgrad.layers import Concatenate
        >>> import ndgrad
        >>> Concatenate(axis=0)([ndgrad.ones((1, 2)), ndgrad.zeros((2, 2))]).shape
        (3, 2)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def _merge(self, tensors):
        ranks = {t.ndim for t in tensors}
        axis = self.axis
        if len(ranks) != 1 or not -tensors[0].ndim <= axis < tensors[0].ndim:
            raise shape_error("Concatenate", tensors, f"the inputs need one rank with axis "
                              f"{axis} in range")
        axis %= tensors[0].ndim
        others = {t.shape[:axis] + t.shape[axis + 1:] for t in tensors}
        if len(others) != 1:
            raise shape_error("Concatenate", tensors, f"the inputs' shapes must match except "
                              f"along axis {self.axis}")
        return ops.concatenate(tensors, axis=axis)


def _normalized(x, axis):
    squares = ops.sum(x * x, axis=axis, keepdims=True)
    return x / ops.sqrt(ops.maximum(squares, 1e-12))


class Dot(_Merge):
    """Per-sample dot products of two inputs along ``axes`` (Keras's ``batch_dot``).

    For inputs of shape ``(batch, n)`` the result is ``(batch, 1)``; in general
    the contracted axes are removed and the other (non-batch) axes of the first
    input come before those of the second: ``(b, n, d) . (b, m, d)`` along
    ``axes=2`` gives ``(b, n, m)``.

    Args:
        axes: one axis for both inputs, or a pair ``(axis_of_first, axis_of_second)``;
            never the batch axis 0.
        normalize: L2-normalize both inputs along the axes first (cosine similarity).

    Example:
        >>> from ndgrad.layers import Dot
        >>> import ndgrad
        >>> a, b = ndgrad.tensor([[3.0, 4.0]]), ndgrad.tensor([[4.0, 3.0]])
        >>> round(Dot(axes=1, normalize=True)([a, b]).item(), 4)
        0.96
        >>> Dot(axes=(2, 2))([ndgrad.ones((2, 3, 4)), ndgrad.ones((2, 5, 4))]).shape
        (2, 3, 5)
    """

    exact_count = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2:
                raise ValueError(f"Dot: axes must be an int or a pair of ints; got {axes!r}")
            axes = tuple(int(a) for a in axes)
        else:
            axes = int(axes)
        self.axes, self.normalize = axes, bool(normalize)

    def _merge(self, tensors):
        first, second = tensors
        pair = self.axes if isinstance(self.axes, tuple) else (self.axes, self.axes)
        if first.ndim < 2 or second.ndim < 2:
            raise shape_error("Dot", tensors, "both inputs need a batch axis and at least one "
                              "more")
        a1, a2 = pair[0] % first.ndim, pair[1] % second.ndim
        if 0 in (a1, a2) or first.shape[0] != second.shape[0] \
                or first.shape[a1] != second.shape[a2]:
            raise shape_error("Dot", tensors, f"axes {self.axes} must be non-batch axes of "
                              "equal size, and the batch sizes must match")
        if self.normalize:
            first, second = _normalized(first, a1), _normalized(second, a2)
        batch, size = first.shape[0], first.shape[a1]
        rest1 = [axis for axis in range(1, first.ndim) if axis != a1]
        rest2 = [axis for axis in range(1, second.ndim) if axis != a2]
        left = ops.transpose(first, [0] + rest1 + [a1]).reshape(batch, -1, size)
        right = ops.transpose(second, [0, a2] + rest2).reshape(batch, size, -1)
        out_shape = tuple(first.shape[a] for a in rest1) + tuple(second.shape[a] for a in rest2)
        product = ops.matmul(left, right)
        return product.reshape((batch,) + (out_shape or (1,)))


def _functional(layer_class, doc):
    def merge(inputs, **kwargs):
        return layer_class(**kwargs)(inputs)
    merge.__name__ = layer_class.__name__.lower()
    merge.__doc__ = doc
    return merge


add = _functional(Add, """``Add(**kwargs)(inputs)``.

    Example:
        >>> from ndgrad.layers import add
        >>> import ndgrad
        >>> add([ndgrad.ones(1), ndgrad.ones(1)]).tolist()
        [2.0]
    """)
subtract = _functional(Subtract, "``Subtract(**kwargs)(inputs)``.")
multiply = _functional(Multiply, "``Multiply(**kwargs)(inputs)``.")
average = _functional(Average, "``Average(**kwargs)(inputs)``.")
maximum = _functional(Maximum, "``Maximum(**kwargs)(inputs)``.")
minimum = _functional(Minimum, "``Minimum(**kwargs)(inputs)``.")


def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis, **kwargs)(inputs)``.

    Example:
        >>> from ndgrad.layers import concatenate
        >>> import ndgrad
        >>> concatenate([ndgrad.Input((2,)), ndgrad.Input((3,))]).shape
        (None, 5)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, normalize=False, **kwargs):
    """``Dot(axes, normalize, **kwargs)(inputs)``.

    Example:
        >>> from ndgrad.layers import dot
        >>> import ndgrad
        >>> dot([ndgrad.ones((1, 3)), ndgrad.ones((1, 3))], axes=1).tolist()
        [[3.0]]
    """
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)


KERAS_EXPORTS = keras_exports({"Add": Add, "Subtract": Subtract, "Multiply": Multiply,
                               "Average": Average, "Maximum": Maximum, "Minimum": Minimum,
                               "Concatenate": Concatenate, "Dot": Dot})
KERAS_FUNCTIONS = {"add": add, "subtract": subtract, "multiply": multiply, "average": average,
                   "maximum": maximum, "minimum": minimum, "concatenate": concatenate,
                   "dot": dot}
