"""Keras's activation layers: ``layers.Activation``, ``layers.ReLU``,
``layers.Softmax``, ``layers.LeakyReLU``, ``layers.ELU``; the same ops as the
PyTorch classes of ``ndgrad.nn.activation_layers`` (which re-exports these), with
Keras's arguments and defaults (LeakyReLU's slope 0.3, Softmax's ``axis``).

Example:
    >>> import ndgrad
    >>> ndgrad.layers.LeakyReLU()(ndgrad.tensor([-1.0, 2.0])).tolist()
    [-0.30000001192092896, 2.0]
"""

from ..ops.activations import elu, leaky_relu, relu, relu6
from ..ops.activations import softmax as _softmax
from ..ops.arithmetic import minimum
from ..ops.selection import where
from ..tensor import Tensor
from . import activation_names
from .module import Module, keras_exports


class _KerasActivation(Module):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.training = False


class Activation(_KerasActivation):
    """Keras's ``Activation(activation)``: a named activation ("relu",
    "softmax", ...) or any callable, applied elementwise.

    Args:
        activation (str or callable): a name ("relu", "sigmoid", "softmax", "tanh", ...,
            as ``keras.activations``) or any function of a tensor.

    Example:
        >>> from ndgrad.layers import Activation
        >>> import ndgrad
        >>> Activation("relu")(ndgrad.tensor([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activation_names.get(activation)
        self._activation_name = activation_names.name_of(activation)

    def call(self, inputs, training=None):
        return self.activation(inputs)

    def get_config(self):
        return {**super().get_config(), "activation": self._activation_name}

    def extra_repr(self):
        return f"activation={self._activation_name}"


class ReLUKeras(_KerasActivation):
    """Keras's ``ReLU(max_value=None, negative_slope=0.0, threshold=0.0)``:
    ``max_value`` above it, ``x`` from ``threshold`` up, and
    ``negative_slope * (x - threshold)`` below ``threshold``.

    Args:
        max_value (float or None, default None): the output's upper bound; None is
            unbounded. Non-negative.
        negative_slope (float, default 0.0): the slope below ``threshold``. Non-negative.
        threshold (float, default 0.0): where the output switches from the slope to
            ``x``. Non-negative.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.ReLU(max_value=1.0)(ndgrad.tensor([-1.0, 0.5, 3.0])).tolist()  # layers.ReLU
        [0.0, 0.5, 1.0]
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        for label, value in (("max_value", max_value), ("negative_slope", negative_slope),
                             ("threshold", threshold)):
            if value is not None and value < 0:
                raise ValueError(f"ReLU: {label} must be non-negative, got {value}")
        self.max_value = None if max_value is None else float(max_value)
        self.negative_slope, self.threshold = float(negative_slope), float(threshold)

    def call(self, inputs, training=None):
        if self.negative_slope == 0.0 and self.threshold == 0.0:
            if self.max_value == 6.0:
                return relu6(inputs)
            out = relu(inputs)
        elif self.threshold == 0.0:
            out = leaky_relu(inputs, self.negative_slope)
        else:
            if not isinstance(inputs, Tensor):
                inputs = Tensor(inputs)
            out = where(inputs >= self.threshold, inputs,
                        (inputs - self.threshold) * self.negative_slope)
        return out if self.max_value is None else minimum(out, self.max_value)

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}


class SoftmaxKeras(_KerasActivation):
    """Keras's ``Softmax(axis=-1)``; an optional ``mask`` (True = keep) gives the
    masked-out positions (almost) zero probability.

    Args:
        axis (int or tuple of ints, default -1): the axis (axes) normalized to sum to 1.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.Softmax()(ndgrad.tensor([[0.0, 0.0]])).tolist()     # layers.Softmax
        [[0.5, 0.5]]
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = tuple(axis) if isinstance(axis, (list, tuple)) else int(axis)

    def call(self, inputs, mask=None, training=None):
        if mask is not None:
            keep = mask._data if isinstance(mask, Tensor) else mask
            inputs = where(keep, inputs, inputs - 1e9)
        return _softmax(inputs, axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class LeakyReLUKeras(_KerasActivation):
    """Keras's ``LeakyReLU(negative_slope=0.3)`` (Keras 2's ``alpha`` also accepted).

    Args:
        negative_slope (float, default 0.3): the slope for negative inputs; non-negative.
        alpha (float or None, default None): Keras 2's name for ``negative_slope``; when
            given it wins.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.LeakyReLU()(ndgrad.tensor([-10.0, 2.0])).tolist()   # layers.LeakyReLU
        [-3.0, 2.0]
    """

    def __init__(self, negative_slope=0.3, alpha=None, **kwargs):
        super().__init__(**kwargs)
        self.negative_slope = float(alpha if alpha is not None else negative_slope)
        if self.negative_slope < 0:
            raise ValueError(f"LeakyReLU: negative_slope must be non-negative, got "
                             f"{self.negative_slope}")

    def call(self, inputs, training=None):
        return leaky_relu(inputs, self.negative_slope)

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}


class ELUKeras(_KerasActivation):
    """Keras's ``ELU(alpha=1.0)``.

    Args:
        alpha (float, default 1.0): negative inputs give ``alpha * (exp(x) - 1)``.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.ELU()(ndgrad.tensor([0.0, 2.0])).tolist()     # layers.ELU
        [0.0, 2.0]
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs, training=None):
        return elu(inputs, self.alpha)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


KERAS_EXPORTS = keras_exports({"Activation": Activation, "ReLU": ReLUKeras, "Softmax": SoftmaxKeras,
                               "LeakyReLU": LeakyReLUKeras, "ELU": ELUKeras})
