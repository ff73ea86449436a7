"""More normalization layers: ``InstanceNorm1d/2d/3d``, ``LocalResponseNorm`` and
``RMSNorm`` (PyTorch), ``RMSNormalization`` (Keras), over the functional forms of
``ndgrad.ops.normalization_variants``.

The instance norms keep PyTorch's defaults (``affine=False``,
``track_running_stats=False``) and parameter and buffer names, so state dicts
load both ways. With running statistics they use them in evaluation mode and
update them in training mode; without, every call uses each instance's own
statistics. A channel count that differs from ``num_features`` is an error
with ``affine=True`` and a warning otherwise, as in PyTorch.

Example:
    >>> import ndgrad
    >>> norm = ndgrad.nn.InstanceNorm2d(3, affine=True, track_running_stats=True)
    >>> [name for name, _ in norm.named_parameters()], len(norm.buffers())
    (['weight', 'bias'], 3)
"""

import numpy as np

from ..devices import check_device
from ..errors import shape_error
from ..ops.normalization_variants import instance_norm, local_response_norm, rms_norm
from ..tensor import Tensor
from ._sizes import size
from .losses import _warn_user
from .module import Module, keras_exports
from .parameter import Parameter

__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LocalResponseNorm",
           "RMSNorm"]
FUNCTIONAL = ["instance_norm", "local_response_norm", "rms_norm"]


class _InstanceNorm(Module):
    """Instance normalization over axis 1; subclasses set the spatial rank."""

    _spatial = 1

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False,
                 track_running_stats=False, device=None, dtype=None, *, bias=True, name=None):
        owner = type(self).__name__
        check_device(device, owner)
        num_features = size(owner, "num_features", num_features, minimum=1)
        if momentum is not None and not 0.0 <= momentum <= 1.0:
            raise ValueError(f"{owner}: momentum must be in [0, 1] or None, got {momentum}")
        super().__init__(name=name, dtype=dtype)
        self.num_features = int(num_features)
        self.eps, self.momentum = float(eps), momentum
        self.affine, self.track_running_stats = bool(affine), bool(track_running_stats)
        channels = (self.num_features,)
        self.weight = Parameter(np.ones(channels, self.dtype)) if affine else None
        self.bias = Parameter(np.zeros(channels, self.dtype)) if affine and bias else None
        if self.track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(channels, self.dtype)))
            self.register_buffer("running_var", Tensor(np.ones(channels, self.dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, np.int64)))
        else:
            for buffer in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(buffer, None)

    def reset_running_stats(self):
        """Running mean 0, running variance 1."""
        if self.track_running_stats:
            self.running_mean._data[...] = 0
            self.running_var._data[...] = 1
            self.num_batches_tracked._data[...] = 0

    def forward(self, input):
        owner = type(self).__name__
        x = input if isinstance(input, Tensor) else Tensor(input)
        unbatched = self._spatial + 1
        if x.ndim not in (unbatched, unbatched + 1):
            raise shape_error(owner, [x], f"expected a {unbatched}-D (unbatched) or "
                              f"{unbatched + 1}-D input, got {x.ndim}-D")
        channel_axis = x.ndim - unbatched
        if x.shape[channel_axis] != self.num_features:
            message = (f"{owner}: the input has {x.shape[channel_axis]} channels on axis "
                       f"{channel_axis}, but num_features is {self.num_features}")
            if self.affine:
                raise ValueError(message)
            _warn_user(message + "; num_features is not used because affine=False")
        if x.ndim == unbatched:
            return self._normalize(x[None])[0]
        return self._normalize(x)

    def _normalize(self, x):
        use_input_stats = self.training_mode() or not self.track_running_stats
        return instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                             use_input_stats, self.momentum if self.momentum is not None else 0.0,
                             self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class InstanceNorm1d(_InstanceNorm):
    """Instance normalization of (N, C, L) or unbatched (C, L) inputs, as
    ``torch.nn.InstanceNorm1d``: each (sample, channel) over its L positions.

    Args:
        num_features: C.
        eps: added to the variance (1e-5).
        momentum: the new batch's weight in the running statistics (0.1).
        affine: learn per-channel ``weight`` (ones) and ``bias`` (zeros); False by default.
        track_running_stats: keep running statistics and use them in evaluation
            mode (False by default: every call uses the instance's statistics).
        bias: with ``affine``, also learn ``bias`` (True).

    Example:
        >>> import ndgrad
        >>> norm = ndgrad.nn.InstanceNorm1d(2)
        >>> norm(ndgrad.tensor([[[1.0, 3.0], [0.0, 4.0]]])).numpy().round(3).tolist()
        [[[-1.0, 1.0], [-1.0, 1.0]]]
    """


class InstanceNorm2d(_InstanceNorm):
    """Instance normalization of (N, C, H, W) or (C, H, W) images, as
    ``torch.nn.InstanceNorm2d`` (arguments as :class:`InstanceNorm1d`).

    Args:
        num_features (int): C, the channels.
        eps (float, default 1e-5): added to the variance.
        momentum (float, default 0.1): the new batch's weight in the running statistics.
        affine (bool, default False): learn per-channel ``weight`` (ones) and ``bias``
            (zeros).
        track_running_stats (bool, default False): keep running statistics and use them
            in evaluation mode; without them every call uses each instance's statistics.
        dtype: the parameters' dtype (default float32).
        bias (bool, default True, keyword only): with ``affine``, also learn ``bias``.

    Example:
        >>> import ndgrad
        >>> norm = ndgrad.nn.InstanceNorm2d(3, affine=True)
        >>> norm(ndgrad.random.normal((2, 3, 4, 4))).shape, norm.count_params()
        ((2, 3, 4, 4), 6)
    """

    _spatial = 2


class InstanceNorm3d(_InstanceNorm):
    """Instance normalization of (N, C, D, H, W) or (C, D, H, W) volumes, as
    ``torch.nn.InstanceNorm3d`` (arguments as :class:`InstanceNorm1d`).

    Args:
        num_features (int): C, the channels.
        eps (float, default 1e-5): added to the variance.
        momentum (float, default 0.1): the new batch's weight in the running statistics.
        affine (bool, default False): learn per-channel ``weight`` (ones) and ``bias``
            (zeros).
        track_running_stats (bool, default False): keep running statistics and use them
            in evaluation mode; without them every call uses each instance's statistics.
        dtype: the parameters' dtype (default float32).
        bias (bool, default True, keyword only): with ``affine``, also learn ``bias``.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.InstanceNorm3d(2)(ndgrad.random.normal((1, 2, 2, 2, 2))).shape
        (1, 2, 2, 2, 2)
    """

    _spatial = 3


class LocalResponseNorm(Module):
    """Local response normalization across channels, as ``torch.nn.LocalResponseNorm``
    (see :func:`ndgrad.ops.normalization_variants.local_response_norm`).

    Args:
        size: how many channels the window spans (``size // 2`` before,
            ``(size - 1) // 2`` after, zero-padded).
        alpha, beta, k: the formula's constants.

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.LocalResponseNorm(2)
        >>> layer, layer(ndgrad.ones((1, 4, 3, 3))).shape
        (LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0), (1, 4, 3, 3))
    """

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0, name=None):
        super().__init__(name=name)
        self.size, self.alpha, self.beta, self.k = int(size), alpha, beta, k

    def forward(self, input):
        return local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class RMSNorm(Module):
    """Root-mean-square normalization over the trailing ``normalized_shape``
    dimensions, as ``torch.nn.RMSNorm``: ``x / sqrt(mean(x ** 2) + eps) * weight``.

    Args:
        normalized_shape: an int or a tuple of the trailing dimensions.
        eps: added to the mean square (None: the input dtype's machine epsilon).
        elementwise_affine: learn ``weight`` (ones) of ``normalized_shape``.

    Example:
        >>> import ndgrad
        >>> norm = ndgrad.nn.RMSNorm(2)
        >>> norm
        RMSNorm((2,), eps=None, elementwise_affine=True)
        >>> print(norm(ndgrad.tensor([[3.0, 4.0]])).numpy().round(4))
        [[0.8485 1.1314]]
    """

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None, name=None):
        check_device(device, "RMSNorm")
        super().__init__(name=name, dtype=dtype)
        if isinstance(normalized_shape, (int, np.integer)):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(int(n) for n in normalized_shape)
        self.eps = eps
        self.elementwise_affine = bool(elementwise_affine)
        self.weight = (Parameter(np.ones(self.normalized_shape, self.dtype))
                       if elementwise_affine else None)

    def forward(self, input):
        return rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


# ---------------------------------------------------------------- Keras face
class RMSNormalizationKeras(Module):
    """Keras's ``RMSNormalization(axis=-1, epsilon=1e-6)``: each sample divided by
    its root mean square over ``axis``, times a learned ``scale`` (ones).

    Args:
        axis (int, default -1): the axis the root mean square is taken over; ``scale``
            has that axis's size.
        epsilon (float, default 1e-6): added to the mean square before the square root.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.RMSNormalization(epsilon=0.0)    # ndgrad.layers.RMSNormalization
        >>> print(layer(ndgrad.tensor([[3.0, 4.0]])).numpy().round(4), layer.scale.shape)
        [[0.8485 1.1314]] (2,)
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.training = False
        if not isinstance(axis, (int, np.integer)):
            raise TypeError(f"RMSNormalization: axis must be an integer, got {axis!r}")
        self.axis, self.epsilon = int(axis), float(epsilon)
        self.scale = None
        self.build_from_input_shape()

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"RMSNormalization: axis {self.axis} is out of range for inputs of "
                             f"shape {tuple(input_shape)}")
        self._axis = self.axis % rank
        self.scale = self.add_weight("scale", (input_shape[self._axis],), initializer="ones")
        self.built = True

    def call(self, inputs, training=None):
        if inputs.ndim <= self._axis or inputs.shape[self._axis] != self.scale.shape[0]:
            raise shape_error("RMSNormalization", [inputs],
                              f"expected {self.scale.shape[0]} features on axis {self.axis}")
        moved = inputs if self._axis == inputs.ndim - 1 else inputs.swapaxes(self._axis, -1)
        out = rms_norm(moved, (self.scale.shape[0],), self.scale, self.epsilon)
        return out if self._axis == inputs.ndim - 1 else out.swapaxes(self._axis, -1)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}


KERAS_EXPORTS = keras_exports({"RMSNormalization": RMSNormalizationKeras})
