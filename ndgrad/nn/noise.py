"""Keras's Gaussian noise layers: ``GaussianNoise`` (additive) and ``GaussianDropout``
(multiplicative). (Spatial and alpha dropout are in ``dropout_channels.py``.)

Each is active only in training (``training=True``, or inside ``fit``) and the
identity otherwise, as in Keras. The noise is drawn from
``ndgrad.random.generator()`` (so ``ndgrad.random.seed`` makes it
reproducible), or from the layer's own generator when ``seed=`` is given, and
enters the graph as a constant: the gradient is the noise's own scaling.

Example:
    >>> from ndgrad.layers import GaussianNoise
    >>> import ndgrad
    >>> layer = GaussianNoise(0.5, seed=0)              # ndgrad.layers.GaussianNoise
    >>> layer(ndgrad.ones(2)).tolist(), layer(ndgrad.ones(2), training=True).shape
    ([1.0, 1.0], (2,))
"""

import math

import numpy as np

from .. import random
from ..tensor import Tensor, as_tensor
from .module import Module, keras_exports

__all__ = []

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


class GaussianNoise(_Noise):
    """Keras's ``GaussianNoise(stddev, seed=None)``: in training, adds zero-mean normal
    noise of standard deviation ``stddev`` (in [0, 1]).

    Args:
        stddev (float): the noise's standard deviation, in [0, 1]. Only when called
            with ``training=True``.
        seed (int or None, default None): gives the layer its own reproducible generator.

    Example:
        >>> from ndgrad.layers import GaussianNoise
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

    Args:
        rate (float): in [0, 1); the noise's standard deviation is
            ``sqrt(rate / (1 - rate))``. Only when called with ``training=True``.
        seed (int or None, default None): gives the layer its own reproducible generator.

    Example:
        >>> from ndgrad.layers import GaussianDropout
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


KERAS_EXPORTS = keras_exports({"GaussianNoise": GaussianNoise,
                               "GaussianDropout": GaussianDropout})
