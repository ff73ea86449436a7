"""Keras's noise and dropout layers beyond ``Dropout``: ``SpatialDropout1D/2D/3D``,
``GaussianNoise``, ``GaussianDropout`` and ``AlphaDropout``.

Each is active only in training (``training=True``, or inside ``fit``) and the
identity otherwise, as in Keras. The noise is drawn from
``ndgrad.random.generator()`` (so ``ndgrad.random.seed`` makes it
reproducible), or from the layer's own generator when ``seed=`` is given, and
enters the graph as a constant: the gradient is the noise's own scaling.
Spatial dropout is ``dropout`` with a mask shared over the spatial axes (whole
feature maps dropped).

Example:
    >>> import ndgrad
    >>> layer = SpatialDropout1DKeras(0.5, seed=0)      # ndgrad.layers.SpatialDropout1D
    >>> out = layer(ndgrad.ones((1, 4, 3)), training=True).numpy()
    >>> bool((out == out[:, :1]).all())                 # the same mask at every step
    True
"""

import math

import numpy as np

from .. import random
from ..errors import shape_error
from ..ops.convolution_geometry import channels_last_flag
from ..tensor import Tensor, as_tensor
from .module import Module, keras_exports
from .regularization import dropout

__all__ = []

# The SELU constants (Klambauer et al., 2017) that AlphaDropout preserves.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _check_rate(layer, rate, label="rate", below_one=False):
    if isinstance(rate, bool) or not 0.0 <= float(rate) <= 1.0:
        raise ValueError(f"{layer}: {label} must be a number in [0, 1], got {rate!r}")
    if below_one and float(rate) == 1.0:
        raise ValueError(f"{layer}: rate=1 makes its scaling infinite; use a rate below 1")
    return float(rate)


class _Noise(Module):
    """Training-only noise with an optional seed of its own."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.training = False
        self.seed = seed
        self._generator = np.random.default_rng(seed) if seed is not None else None

    def _random(self):
        return self._generator or random.generator()

    def call(self, inputs, training=None):
        x = as_tensor(inputs)
        if not training or not self._active():
            return x
        return self._apply(x)


class _SpatialDropout(_Noise):
    """Dropout of whole feature maps: the mask is 1 over the spatial axes."""

    _dims = 1

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        owner = type(self).__name__
        rate = _check_rate(owner, rate)
        super().__init__(seed=seed, **kwargs)
        self.rate = rate
        self.data_format = data_format or "channels_last"
        self._channels_last = channels_last_flag(self.data_format, owner)

    def _active(self):
        return self.rate > 0

    def _apply(self, x):
        rank = self._dims + 2
        if x.ndim != rank:
            raise shape_error(type(self).__name__, [x], f"expected a {rank}-D input (batch, "
                              f"{self._dims} spatial axes and channels)")
        ones = (1,) * self._dims
        if self._channels_last:
            shape = (x.shape[0],) + ones + (x.shape[-1],)
        else:
            shape = x.shape[:2] + ones
        return dropout(x, self.rate, True, noise_shape=shape, generator=self._generator)


class SpatialDropout1DKeras(_SpatialDropout):
    """Keras's ``SpatialDropout1D(rate, seed=None)``: on (batch, steps, channels),
    each channel is dropped for every step at once (kept ones scaled by
    ``1 / (1 - rate)``).

    Example:
        >>> import ndgrad
        >>> SpatialDropout1DKeras(0.3)(ndgrad.ones((2, 5, 4))).shape     # inference: identity
        (2, 5, 4)
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, None, seed, **kwargs)


class SpatialDropout2DKeras(_SpatialDropout):
    """Keras's ``SpatialDropout2D(rate, data_format=None, seed=None)``: whole feature
    maps of (batch, rows, cols, channels) inputs (channels_first: (batch, channels,
    rows, cols)) dropped.

    Example:
        >>> import ndgrad
        >>> out = SpatialDropout2DKeras(0.5, seed=1)(ndgrad.ones((1, 3, 3, 8)), training=True)
        >>> sorted({float(v) for v in out.numpy().reshape(9, 8).std(axis=0)})
        [0.0]
    """

    _dims = 2


class SpatialDropout3DKeras(_SpatialDropout):
    """Keras's ``SpatialDropout3D(rate, data_format=None, seed=None)``: whole 3-D
    feature maps of (batch, dim1, dim2, dim3, channels) inputs dropped.

    Example:
        >>> import ndgrad
        >>> SpatialDropout3DKeras(0.5)(ndgrad.ones((1, 2, 2, 2, 3)), training=True).shape
        (1, 2, 2, 2, 3)
    """

    _dims = 3


class GaussianNoise(_Noise):
    """Keras's ``GaussianNoise(stddev, seed=None)``: in training, adds zero-mean normal
    noise of standard deviation ``stddev`` (in [0, 1]).

    Example:
        >>> import ndgrad
        >>> layer = GaussianNoise(0.1, seed=0)
        >>> layer(ndgrad.ones(3)).tolist()                   # inference: the identity
        [1.0, 1.0, 1.0]
        >>> round(float(layer(ndgrad.ones(10000), training=True).numpy().std()), 2)
        0.1
    """

    def __init__(self, stddev, seed=None, **kwargs):
        stddev = _check_rate("GaussianNoise", stddev, "stddev")
        super().__init__(seed=seed, **kwargs)
        self.stddev = stddev

    def _active(self):
        return self.stddev > 0

    def _apply(self, x):
        dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
        noise = self._random().normal(0.0, self.stddev, x.shape).astype(dtype)
        return x + Tensor._wrap(noise)


class GaussianDropout(_Noise):
    """Keras's ``GaussianDropout(rate, seed=None)``: in training, multiplies by
    normal noise of mean 1 and standard deviation ``sqrt(rate / (1 - rate))``.

    Example:
        >>> import ndgrad
        >>> out = GaussianDropout(0.2, seed=0)(ndgrad.ones(10000), training=True).numpy()
        >>> round(float(out.mean()), 1), round(float(out.std()), 1)      # sqrt(0.2 / 0.8)
        (1.0, 0.5)
    """

    def __init__(self, rate, seed=None, **kwargs):
        rate = _check_rate("GaussianDropout", rate, below_one=True)
        super().__init__(seed=seed, **kwargs)
        self.rate = rate

    def _active(self):
        return self.rate > 0

    def _apply(self, x):
        dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = self._random().normal(1.0, stddev, x.shape).astype(dtype)
        return x * Tensor._wrap(noise)


class AlphaDropout(_Noise):
    """Keras's ``AlphaDropout(rate, noise_shape=None, seed=None)``: dropout for SELU
    networks. Dropped units are set to SELU's negative saturation
    ``-alpha * scale``, then ``a * x + b`` restores the mean and variance of
    standardized inputs (``a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5``,
    ``b = -a * alpha_p * rate``).

    Args:
        rate: the fraction of units to drop, in [0, 1).
        noise_shape: the mask's shape (``None`` entries take the input's size).
        seed: an integer giving this layer its own generator.

    Example:
        >>> import ndgrad
        >>> ndgrad.random.seed(0)
        >>> out = AlphaDropout(0.2)(ndgrad.random.normal((100000,)), training=True).numpy()
        >>> round(float(out.mean()), 1), round(float(out.std()), 1)
        (0.0, 1.0)
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        rate = _check_rate("AlphaDropout", rate, below_one=True)
        super().__init__(seed=seed, **kwargs)
        self.rate = rate
        self.noise_shape = tuple(noise_shape) if noise_shape is not None else None

    def _active(self):
        return self.rate > 0

    def _mask_shape(self, x):
        if self.noise_shape is None:
            return x.shape
        if len(self.noise_shape) != x.ndim:
            raise shape_error("AlphaDropout", [x], f"noise_shape {self.noise_shape} needs one "
                              f"entry per input dimension ({x.ndim})")
        return tuple(x.shape[i] if n is None else int(n) for i, n in enumerate(self.noise_shape))

    def _apply(self, x):
        dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        keep = (self._random().random(self._mask_shape(x)) >= self.rate).astype(dtype)
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        scale = Tensor._wrap((a * keep).astype(dtype))
        shift = Tensor._wrap((a * alpha_p * (1 - keep) + b).astype(dtype))
        return x * scale + shift


KERAS_EXPORTS = keras_exports({"SpatialDropout1D": SpatialDropout1DKeras,
                               "SpatialDropout2D": SpatialDropout2DKeras,
                               "SpatialDropout3D": SpatialDropout3DKeras,
                               "GaussianNoise": GaussianNoise,
                               "GaussianDropout": GaussianDropout,
                               "AlphaDropout": AlphaDropout})
