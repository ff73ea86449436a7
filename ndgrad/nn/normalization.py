"""Normalization layers: ``BatchNorm1d/2d/3d``, ``LayerNorm``, ``GroupNorm``
(PyTorch) and ``BatchNormalization`` (Keras; ``LayerNormalization`` and the other Keras
normalizations are in ``normalization_keras.py``).

Both faces run the primitives of ``ndgrad.ops.normalization``. They differ
where the frameworks do: PyTorch keeps ``weight``/``bias`` parameters and
``running_mean``/``running_var``/``num_batches_tracked`` buffers, puts channels
on axis 1, uses ``eps=1e-5`` and ``running = (1 - momentum) * running +
momentum * batch`` with the unbiased batch variance; Keras keeps ``gamma``,
``beta`` and non-trainable ``moving_mean``/``moving_variance`` weights,
channels last, ``epsilon=1e-3`` and ``moving = momentum * moving + (1 -
momentum) * batch`` with the biased batch variance.

A frozen batch-normalization layer (``layer.trainable = False``, or a frozen
model above it) normalizes with its running statistics and never changes them,
even in training mode or when called with ``training=True`` (Keras's rule,
applied to both faces), so a frozen backbone really stays frozen.

Example:
    >>> import ndgrad
    >>> bn = ndgrad.nn.BatchNorm2d(3)
    >>> [name for name, _ in bn.named_buffers()]
    ['running_mean', 'running_var', 'num_batches_tracked']
"""

import numpy as np

from ..devices import check_device
from ..errors import shape_error
from ..ops.normalization import (batch_norm, batch_statistics, blend_statistic, group_norm,
                                 layer_norm, normalize_with_statistics)
from ..tensor import Tensor
from ._sizes import refuse_missing, require_array, size
from .module import Module, keras_exports
from .parameter import Parameter

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm", "GroupNorm"]
FUNCTIONAL = ["batch_norm", "layer_norm", "group_norm"]


def _check_rank(layer, x, ranks, description):
    if x.ndim not in ranks:
        raise shape_error(type(layer).__name__, [x],
                          f"expected {description} input, got {x.ndim} dimension(s)")


class _BatchNorm(Module):
    """Batch normalization over axis 1 (PyTorch); subclasses fix the input rank."""

    _ranks = ()
    _layout = ""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None, name=None):
        check_device(device, type(self).__name__)
        super().__init__(name=name, dtype=dtype)
        num_features = size(type(self).__name__, "num_features", num_features, minimum=1)
        if momentum is not None and not 0.0 <= momentum <= 1.0:
            raise ValueError(f"{type(self).__name__}: momentum must be in [0, 1] or None, "
                             f"got {momentum}")
        self.num_features = int(num_features)
        self.eps = float(eps)
        self.momentum = momentum
        self.affine = bool(affine)
        self.track_running_stats = bool(track_running_stats)
        channels = (self.num_features,)
        self.weight = Parameter(np.ones(channels, self.dtype)) if affine else None
        self.bias = Parameter(np.zeros(channels, self.dtype)) if affine else None
        if self.track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(channels, self.dtype)))
            self.register_buffer("running_var", Tensor(np.ones(channels, self.dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, np.int64)))
        else:
            for buffer in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(buffer, None)

    def reset_running_stats(self):
        """Running mean 0, running variance 1, no batches tracked."""
        if self.track_running_stats:
            self.running_mean._data[...] = 0
            self.running_var._data[...] = 1
            self.num_batches_tracked._data[...] = 0

    def forward(self, x):
        if not isinstance(x, Tensor):
            x = Tensor(refuse_missing(self, x))
        _check_rank(self, x, self._ranks, self._layout)
        if x.shape[1] != self.num_features:
            raise shape_error(type(self).__name__, [x],
                              f"expected {self.num_features} channels on axis 1 "
                              f"(num_features), got {x.shape[1]}")
        batch_statistics_wanted = self.training_mode() and self.trainable
        if not self.track_running_stats:
            return batch_norm(x, None, None, self.weight, self.bias, True, 0.0, self.eps)
        if not batch_statistics_wanted:
            return batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                              False, 0.0, self.eps)
        tracked = int(self.num_batches_tracked._data) + 1
        momentum = 1.0 / tracked if self.momentum is None else self.momentum
        out = batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, True,
                         momentum, self.eps)
        self.num_batches_tracked._data[...] = tracked
        return out

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalization of (N, C) or (N, C, L) inputs over N (and L), as
    ``torch.nn.BatchNorm1d``.

    Args:
        num_features: C.
        eps: added to the variance (1e-5).
        momentum: the new batch's weight in the running statistics (0.1);
            None averages all batches seen so far equally.
        affine: learn ``weight`` (ones) and ``bias`` (zeros).
        track_running_stats: keep running statistics for evaluation mode;
            without them the batch statistics are always used.

    Example:
        >>> import ndgrad
        >>> bn = ndgrad.nn.BatchNorm1d(2)
        >>> bn(ndgrad.tensor([[1.0, 2.0], [3.0, 2.0]])).numpy().round(4).tolist()
        [[-1.0, 0.0], [1.0, 0.0]]
        >>> bn.running_mean.tolist()
        [0.20000000298023224, 0.20000000298023224]
    """

    _ranks = (2, 3)
    _layout = "a 2-D (N, C) or 3-D (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalization of (N, C, H, W) images per channel, as ``torch.nn.BatchNorm2d``.

    Args:
        num_features (int): C, the channels.
        eps (float, default 1e-5): added to the variance.
        momentum (float or None, default 0.1): the new batch's weight in the running
            statistics; None averages all batches seen so far equally.
        affine (bool, default True): learn per-channel ``weight`` (ones) and ``bias``
            (zeros).
        track_running_stats (bool, default True): keep running statistics for
            evaluation mode; without them the batch statistics are always used.
        dtype: the parameters' dtype (default float32).

    Example:
        >>> import ndgrad
        >>> bn = ndgrad.nn.BatchNorm2d(3)
        >>> bn(ndgrad.ones((2, 3, 4, 4))).shape, len(bn.parameters()), len(bn.buffers())
        ((2, 3, 4, 4), 2, 3)
    """

    _ranks = (4,)
    _layout = "a 4-D (N, C, H, W)"


class BatchNorm3d(_BatchNorm):
    """Batch normalization of (N, C, D, H, W) volumes, as ``torch.nn.BatchNorm3d``.

    Args:
        num_features (int): C, the channels.
        eps (float, default 1e-5): added to the variance.
        momentum (float or None, default 0.1): the new batch's weight in the running
            statistics; None averages all batches seen so far equally.
        affine (bool, default True): learn per-channel ``weight`` (ones) and ``bias``
            (zeros).
        track_running_stats (bool, default True): keep running statistics for
            evaluation mode; without them the batch statistics are always used.
        dtype: the parameters' dtype (default float32).

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.BatchNorm3d(2)(ndgrad.ones((2, 2, 1, 2, 2))).shape
        (2, 2, 1, 2, 2)
    """

    _ranks = (5,)
    _layout = "a 5-D (N, C, D, H, W)"


class LayerNorm(Module):
    """Normalizes each sample over its last dimensions, as ``torch.nn.LayerNorm``.

    Args:
        normalized_shape: the trailing dimensions (an int or a tuple).
        eps: added to the variance (1e-5).
        elementwise_affine: learn ``weight`` (ones) of ``normalized_shape``.
        bias: also learn ``bias`` (zeros) when ``elementwise_affine``.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.LayerNorm(2, eps=0.0)(ndgrad.tensor([[1.0, 3.0]])).tolist()
        [[-1.0, 1.0]]
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None, name=None):
        check_device(device, "LayerNorm")
        super().__init__(name=name, dtype=dtype)
        if isinstance(normalized_shape, (int, np.integer)):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(size("LayerNorm", f"normalized_shape[{i}]", n)
                                      for i, n in enumerate(normalized_shape))
        self.eps = float(eps)
        self.elementwise_affine = bool(elementwise_affine)
        affine = self.elementwise_affine
        self.weight = Parameter(np.ones(self.normalized_shape, self.dtype)) if affine else None
        self.bias = (Parameter(np.zeros(self.normalized_shape, self.dtype))
                     if affine and bias else None)

    def forward(self, x):
        require_array(self, x)
        count = len(self.normalized_shape)
        if tuple(x.shape[len(x.shape) - count:]) != self.normalized_shape or x.ndim < count:
            raise shape_error("LayerNorm", [x], f"expected the input's last dimensions to be "
                              f"normalized_shape {self.normalized_shape}")
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


class GroupNorm(Module):
    """Normalizes groups of channels of (N, C, *) per sample, as ``torch.nn.GroupNorm``.

    Args:
        num_groups: how many groups the C channels are split into.
        num_channels: C (divisible by ``num_groups``).
        eps: added to the variance (1e-5).
        affine: learn per-channel ``weight`` (ones) and ``bias`` (zeros).

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.GroupNorm(2, 4)(ndgrad.ones((1, 4, 3))).shape
        (1, 4, 3)
    """

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None,
                 name=None):
        check_device(device, "GroupNorm")
        super().__init__(name=name, dtype=dtype)
        num_groups = size("GroupNorm", "num_groups", num_groups, minimum=1)
        num_channels = size("GroupNorm", "num_channels", num_channels)
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels ({num_channels}) must be divisible by "
                             f"num_groups ({num_groups})")
        self.num_groups, self.num_channels = int(num_groups), int(num_channels)
        self.eps = float(eps)
        self.affine = bool(affine)
        self.weight = Parameter(np.ones(num_channels, self.dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_channels, self.dtype)) if affine else None

    def forward(self, x):
        if x.ndim < 2 or x.shape[1] != self.num_channels:
            raise shape_error("GroupNorm", [x], f"expected (N, {self.num_channels}, ...) input")
        return group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


# ---------------------------------------------------------------- Keras face
class BatchNormalization(Module):
    """Batch normalization, Keras's layer: channels on ``axis`` (last by default),
    weights ``gamma``, ``beta`` and non-trainable ``moving_mean``,
    ``moving_variance``, created from the first input.

    In training (``training=True``) the batch mean and biased variance are used
    and ``moving = moving * momentum + batch * (1 - momentum)``; otherwise, or
    when the layer is frozen, the moving statistics are used and kept.

    Args:
        axis: the channel axis (-1).
        momentum: the moving statistics' decay (0.99).
        epsilon: added to the variance (1e-3).
        center, scale: learn ``beta`` / ``gamma``.
        beta_initializer, gamma_initializer: initializer names or objects.
        moving_mean_initializer, moving_variance_initializer: the same, for the
            moving statistics.

    Example:
        >>> from ndgrad.layers import BatchNormalization
        >>> import ndgrad
        >>> bn = BatchNormalization()     # ndgrad.layers.BatchNormalization
        >>> bn(ndgrad.ones((2, 3))).shape, bn.count_params(), len(bn.trainable_variables)
        ((2, 3), 12, 2)
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones", **kwargs):
        super().__init__(**kwargs)
        self.training = False
        if not isinstance(axis, (int, np.integer)):
            raise TypeError(f"BatchNormalization: axis must be an integer, got {axis!r}")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = beta_initializer
        self.gamma_initializer = gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None
        self.build_from_input_shape()

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"BatchNormalization: axis {self.axis} is out of range for inputs "
                             f"of shape {tuple(input_shape)}")
        self._channel_axis = self.axis % rank
        shape = (input_shape[self._channel_axis],)
        if self.scale:
            self.gamma = self.add_weight("gamma", shape, initializer=self.gamma_initializer)
        if self.center:
            self.beta = self.add_weight("beta", shape, initializer=self.beta_initializer)
        self.moving_mean = self.add_weight("moving_mean", shape,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.built = True         # also when build() is called directly, as in Keras

    def call(self, inputs, training=None):
        if not isinstance(inputs, Tensor):
            inputs = Tensor(inputs)
        channels = self.moving_mean.shape[0]
        if (inputs.ndim <= self._channel_axis or inputs.shape[self._channel_axis] != channels):
            raise shape_error("BatchNormalization", [inputs],
                              f"expected {channels} channels on axis {self.axis}")
        if training and self.trainable:
            mean, variance = batch_statistics(inputs, self._channel_axis)
            out = normalize_with_statistics(inputs, mean, variance, self.gamma, self.beta,
                                            self.epsilon, self._channel_axis, batch_stats=True)
            blend_statistic(self.moving_mean, mean, self.momentum)
            blend_statistic(self.moving_variance, variance, self.momentum)
            return out
        return normalize_with_statistics(inputs, self.moving_mean, self.moving_variance,
                                         self.gamma, self.beta, self.epsilon, self._channel_axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale}

    def extra_repr(self):
        return f"axis={self.axis}, momentum={self.momentum}, epsilon={self.epsilon}"


KERAS_EXPORTS = keras_exports({"BatchNormalization": BatchNormalization})
# layers.LayerNormalization, GroupNormalization and UnitNormalization: normalization_keras.py
