"""Keras's per-sample normalizations: ``layers.LayerNormalization`` (with Keras's
deprecated ``rms_scaling``), ``layers.GroupNormalization`` and
``layers.UnitNormalization``. (``BatchNormalization`` is in ``normalization.py``,
``RMSNormalization`` in ``normalization_variants.py``.)

They run the core primitives: ``layer_norm`` over the chosen axes, and
``group_norm`` (PyTorch's channels-first group normalization) with the channel
axis moved to position 1 and back, so GroupNormalization(groups=G) on
channels-last images is ``torch.nn.GroupNorm(G, C)`` on the transposed images.
Weights are Keras's: ``gamma`` (ones) and ``beta`` (zeros), one per channel.

Example:
    >>> from ndgrad.layers import GroupNormalization
    >>> import ndgrad
    >>> layer = GroupNormalization(groups=2)           # ndgrad.layers.GroupNormalization
    >>> layer(ndgrad.ones((2, 5, 5, 4))).shape, layer.gamma.shape, layer.count_params()
    ((2, 5, 5, 4), (4,), 8)
"""

import warnings

from ..errors import shape_error
from ..ops.arithmetic import maximum
from ..ops.elementwise import sqrt
from ..ops.normalization import group_norm, layer_norm
from ..ops.reduce import var
from ..ops.shape import moveaxis
from ..tensor import as_tensor
from .module import Module, keras_exports

__all__ = []


class LayerNormalization(Module):
    """Layer normalization, Keras's layer: each sample normalized over ``axis``
    (the last by default), then scaled by ``gamma`` and shifted by ``beta``.

    Args:
        axis: an axis or a list of axes to normalize over (-1).
        epsilon: added to the variance (1e-3).
        center, scale: learn ``beta`` (zeros) / ``gamma`` (ones).
        beta_initializer, gamma_initializer: initializer names or objects.
        rms_scaling: Keras's deprecated variant ``gamma * x / sqrt(var(x) + epsilon)``
            (no centring, no ``beta``; it warns, as Keras does).

    Example:
        >>> from ndgrad.layers import LayerNormalization
        >>> import ndgrad
        >>> layer = LayerNormalization(epsilon=0.0)    # ndgrad.layers.LayerNormalization
        >>> layer(ndgrad.tensor([[1.0, 3.0]])).tolist(), layer.gamma.shape
        ([[-1.0, 1.0]], (2,))
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", rms_scaling=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.training = False
        if rms_scaling:
            warnings.warn("LayerNormalization: rms_scaling=True is deprecated in Keras 3 (it "
                          "divides by the standard deviation, not the root mean square); "
                          "layers.RMSNormalization is the real RMS normalization",
                          stacklevel=2)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else int(axis)
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.rms_scaling = bool(rms_scaling)
        self.beta_initializer = beta_initializer
        self.gamma_initializer = gamma_initializer
        self.gamma = self.beta = None
        self.build_from_input_shape()

    def build(self, input_shape):
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for axis in axes:
            if not -rank <= axis < rank:
                raise ValueError(f"LayerNormalization: axis {axis} is out of range for inputs "
                                 f"of shape {tuple(input_shape)}")
        self._axes = tuple(sorted({axis % rank for axis in axes}))
        shape = tuple(input_shape[axis] for axis in self._axes)
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight("gamma", shape, initializer=self.gamma_initializer)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight("beta", shape, initializer=self.beta_initializer)
        self._param_shape = shape
        self.built = True

    def call(self, inputs, training=None):
        if (inputs.ndim <= self._axes[-1]
                or tuple(inputs.shape[axis] for axis in self._axes) != self._param_shape):
            raise shape_error("LayerNormalization", [inputs],
                              f"expected dimensions {self._param_shape} on axes {self._axes}")
        if self.rms_scaling:      # Keras's formula: x / sqrt(var(x) + epsilon), not centred
            variance = var(inputs, axis=self._axes, keepdims=True)
            out = inputs / sqrt(variance + self.epsilon)
            return out if self.gamma is None else out * self._broadcast(self.gamma, inputs)
        return layer_norm(inputs, weight=self.gamma, bias=self.beta, eps=self.epsilon,
                          axis=self._axes)

    def _broadcast(self, weight, inputs):
        shape = [1] * inputs.ndim
        for axis in self._axes:
            shape[axis] = inputs.shape[axis]
        return weight.reshape(tuple(shape))

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale, "rms_scaling": self.rms_scaling}


class GroupNormalization(Module):
    """Keras's ``GroupNormalization(groups=32, axis=-1, epsilon=1e-3, center=True,
    scale=True, ...)``: the channels on ``axis`` split into ``groups`` groups, each
    normalized per sample over its channels and every other axis; then ``gamma``
    and ``beta`` per channel.

    Args:
        groups: the number of groups (it must divide the channels); -1 makes one
            group per channel (instance normalization).
        axis: the channel axis (-1).
        epsilon: added to the variance (1e-3).
        center, scale: learn ``beta`` (zeros) / ``gamma`` (ones).
        beta_initializer, gamma_initializer: initializer names or objects.

    Example:
        >>> from ndgrad.layers import GroupNormalization
        >>> import ndgrad
        >>> layer = GroupNormalization(groups=1, epsilon=0.0)
        >>> layer(ndgrad.tensor([[1.0, 3.0]])).tolist()
        [[-1.0, 1.0]]
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", **kwargs):
        if isinstance(groups, bool) or not isinstance(groups, int) or (groups <= 0
                                                                       and groups != -1):
            raise ValueError(f"GroupNormalization: groups must be a positive integer (or -1 "
                             f"for instance normalization), got {groups!r}")
        super().__init__(**kwargs)
        self.training = False
        self.groups, self.axis, self.epsilon = groups, int(axis), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.gamma = self.beta = None
        self.build_from_input_shape()

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank or self.axis % rank == 0:
            raise ValueError(f"GroupNormalization: axis {self.axis} must be a non-batch axis "
                             f"of inputs of shape {tuple(input_shape)}")
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(f"GroupNormalization: axis {self.axis} must have a known size; "
                             f"input shape {tuple(input_shape)}")
        groups = channels if self.groups == -1 else self.groups
        if channels < groups or channels % groups:
            raise ValueError(f"GroupNormalization: the {channels} channels cannot be split "
                             f"into {groups} equal groups")
        self._groups, self._channel_axis = groups, self.axis % rank
        if self.scale:
            self.gamma = self.add_weight("gamma", (channels,), initializer=self.gamma_initializer)
        if self.center:
            self.beta = self.add_weight("beta", (channels,), initializer=self.beta_initializer)
        self._channels = channels

    def call(self, inputs, training=None):
        x = as_tensor(inputs)
        axis = self._channel_axis
        if x.ndim <= axis or x.shape[axis] != self._channels:
            raise shape_error("GroupNormalization", [x], f"expected {self._channels} channels "
                                                         f"on axis {self.axis}")
        first = x if axis == 1 else moveaxis(x, axis, 1)
        out = group_norm(first, self._groups, self.gamma, self.beta, self.epsilon)
        return out if axis == 1 else moveaxis(out, 1, axis)

    def extra_repr(self):
        return f"groups={self.groups}, axis={self.axis}, epsilon={self.epsilon}"


class UnitNormalization(Module):
    """Keras's ``UnitNormalization(axis=-1)``: each slice along ``axis`` divided by its
    L2 norm (the squared norm clamped at 1e-24, so zeros stay zeros).

    Args:
        axis (int or list of ints, default -1): the axes each L2 norm is taken over.

    Example:
        >>> from ndgrad.layers import UnitNormalization
        >>> import ndgrad
        >>> UnitNormalization()(ndgrad.tensor([[3.0, 4.0], [0.0, 0.0]])).tolist()
        [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """

    def __init__(self, axis=-1, **kwargs):
        if not isinstance(axis, (int, list, tuple)) or isinstance(axis, bool):
            raise TypeError(f"UnitNormalization: axis must be an int or a list of ints, got "
                            f"{axis!r}")
        super().__init__(**kwargs)
        self.training = False
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis

    def call(self, inputs, training=None):
        x = as_tensor(inputs)
        axes = tuple(self.axis) if isinstance(self.axis, list) else (self.axis,)
        if any(not -x.ndim <= a < x.ndim for a in axes):
            raise shape_error("UnitNormalization", [x], f"axis {self.axis} is out of range")
        squares = (x * x).sum(axis=axes, keepdims=True)
        return x / sqrt(maximum(squares, 1e-24))

    def extra_repr(self):
        return f"axis={self.axis}"


KERAS_EXPORTS = keras_exports({"LayerNormalization": LayerNormalization,
                               "GroupNormalization": GroupNormalization,
                               "UnitNormalization": UnitNormalization})
