"""Keras's parametric ReLU, ``layers.PReLU``: ``max(x, 0) - alpha * max(-x, 0)`` with a
learned ``alpha`` per input element (the input's shape without the batch), or
shared along ``shared_axes`` (``shared_axes=[1, 2]`` on (batch, H, W, C) images:
one slope per channel, as ``torch.nn.PReLU(C)`` on channels-first images).

Example:
    >>> from ndgrad import layers
    >>> import ndgrad
    >>> layer = layers.PReLU(shared_axes=[1, 2])              # ndgrad.layers.PReLU
    >>> layer(ndgrad.ones((2, 5, 5, 3))).shape, layer.alpha.shape
    ((2, 5, 5, 3), (1, 1, 3))
"""

from ..ops.activations import relu
from ..tensor import as_tensor
from ..errors import shape_error
from .module import Module, keras_exports

__all__ = []


class PReLUKeras(Module):
    """Keras's ``PReLU(alpha_initializer="Zeros", alpha_regularizer=None,
    alpha_constraint=None, shared_axes=None)``.

    Args:
        alpha_initializer: the slopes' start (Keras's default: zeros, a ReLU).
        alpha_regularizer: a penalty on ``alpha``.
        shared_axes: the axes (counted with the batch as 0) along which one slope
            is shared; ``alpha`` has size 1 there.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.PReLU(alpha_initializer="ones")
        >>> layer(ndgrad.tensor([[-2.0, 3.0]])).tolist(), layer.count_params()
        ([[-2.0, 3.0]], 2)
    """

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(alpha_regularizer=alpha_regularizer, alpha_constraint=alpha_constraint,
                         **kwargs)
        self.training = False
        if shared_axes is None:
            self.shared_axes = None
        else:
            axes = list(shared_axes) if isinstance(shared_axes, (list, tuple)) else [shared_axes]
            if any(isinstance(a, bool) or int(a) != a or int(a) < 1 for a in axes):
                raise ValueError(f"PReLU: shared_axes are axes after the batch (1, 2, ...), "
                                 f"got {shared_axes!r}")
            self.shared_axes = [int(a) for a in axes]
        self.alpha_initializer = alpha_initializer
        self.alpha = None
        self.build_from_input_shape()

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if axis > len(shape):
                raise ValueError(f"PReLU: shared axis {axis} is out of range for inputs of "
                                 f"shape {tuple(input_shape)}")
            shape[axis - 1] = 1
        if any(size is None for size in shape):
            raise ValueError(f"PReLU: every axis that is not shared must have a known size; "
                             f"input shape {tuple(input_shape)} (share the unknown ones with "
                             "shared_axes)")
        self.alpha = self.add_weight("alpha", tuple(shape), initializer=self.alpha_initializer)

    def call(self, inputs, training=None):
        x = as_tensor(inputs)
        expected = self.alpha.shape
        if x.ndim != len(expected) + 1 or any(
                a != 1 and a != s for a, s in zip(expected, x.shape[1:])):
            raise shape_error("PReLU", [x], f"the slopes have shape {expected} (per sample); "
                                            "the input must match it where it is not 1")
        return relu(x) - self.alpha * relu(-x)

    def extra_repr(self):
        return f"shared_axes={self.shared_axes}"


KERAS_EXPORTS = keras_exports({"PReLU": PReLUKeras})
