"""Keras's variance-scaling initializers: ``VarianceScaling`` and its presets
``GlorotUniform``/``GlorotNormal``, ``HeUniform``/``HeNormal``,
``LecunUniform``/``LecunNormal`` (re-exported by ``ndgrad.nn.initializers``,
whose module docstring says how fans are counted).

Example:
    >>> from ndgrad.keras.initializers import HeNormal
    >>> HeNormal(seed=0)((64, 32)).shape
    (64, 32)
"""

import math

from ._sampling import generator_for, normal, truncated_normal, uniform
from .initializers import _TRUNCATED_STD, _Seeded, compute_fans


class VarianceScaling(_Seeded):
    """Draws with variance ``scale / n``, ``n`` the fan in, the fan out or their mean.

    Args:
        scale: the variance numerator (> 0).
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"`` (Keras's fans, see
            :func:`compute_fans`).
        distribution: ``"truncated_normal"`` (within two standard deviations,
            rescaled to keep the variance), ``"untruncated_normal"`` or ``"uniform"``.
        seed: None (ndgrad's generator), an int (the same values at every call)
            or a NumPy ``Generator``.

    Example:
        >>> from ndgrad.keras.initializers import VarianceScaling
        >>> VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform")((50, 8)).shape
        (50, 8)
    """

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        name = type(self).__name__
        if not scale > 0:
            raise ValueError(f"{name}: scale must be > 0; got {scale}")
        if mode not in self._MODES:
            raise ValueError(f"{name}: mode must be one of {self._MODES}; got {mode!r}")
        if distribution not in self._DISTRIBUTIONS:
            raise ValueError(f"{name}: distribution must be one of {self._DISTRIBUTIONS}; "
                             f"got {distribution!r}")
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def _generate(self, shape, dtype):
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}
        variance = self.scale / max(1.0, fan[self.mode])
        rng = generator_for(self.seed)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return uniform(rng, shape, -limit, limit, dtype)
        if self.distribution == "untruncated_normal":
            return normal(rng, shape, 0.0, math.sqrt(variance), dtype)
        std = math.sqrt(variance) / _TRUNCATED_STD
        return truncated_normal(rng, shape, 0.0, std, -2 * std, 2 * std, dtype)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


class _PresetVarianceScaling(VarianceScaling):
    """A VarianceScaling whose scale, mode and distribution are fixed; only ``seed``
    is an argument (None, an int or a NumPy Generator, as VarianceScaling's)."""

    _preset = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed=None):
        super().__init__(*self._preset, seed=seed)

    def get_config(self):
        return {"seed": self.seed}


class GlorotUniform(_PresetVarianceScaling):
    """Glorot (Xavier) uniform: limit ``sqrt(6 / (fan_in + fan_out))``.

    Example:
        >>> from ndgrad.keras.initializers import GlorotUniform
        >>> GlorotUniform(seed=0)((4, 3)).shape
        (4, 3)
    """

    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_PresetVarianceScaling):
    """Glorot (Xavier) truncated normal: std ``sqrt(2 / (fan_in + fan_out))``.

    Example:
        >>> from ndgrad.keras.initializers import GlorotNormal
        >>> GlorotNormal(seed=0)((4, 3)).shape
        (4, 3)
    """

    _preset = (1.0, "fan_avg", "truncated_normal")


class HeUniform(_PresetVarianceScaling):
    """He (Kaiming) uniform: limit ``sqrt(6 / fan_in)``.

    Example:
        >>> from ndgrad.keras.initializers import HeUniform
        >>> HeUniform(seed=0)((4, 3)).shape
        (4, 3)
    """

    _preset = (2.0, "fan_in", "uniform")


class HeNormal(_PresetVarianceScaling):
    """He (Kaiming) truncated normal: std ``sqrt(2 / fan_in)``.

    Example:
        >>> from ndgrad.keras.initializers import HeNormal
        >>> HeNormal(seed=0)((4, 3)).shape
        (4, 3)
    """

    _preset = (2.0, "fan_in", "truncated_normal")


class LecunUniform(_PresetVarianceScaling):
    """LeCun uniform: limit ``sqrt(3 / fan_in)``.

    Example:
        >>> from ndgrad.keras.initializers import LecunUniform
        >>> LecunUniform(seed=0)((4, 3)).shape
        (4, 3)
    """

    _preset = (1.0, "fan_in", "uniform")


class LecunNormal(_PresetVarianceScaling):
    """LeCun truncated normal: std ``sqrt(1 / fan_in)``.

    Example:
        >>> from ndgrad.keras.initializers import LecunNormal
        >>> LecunNormal(seed=0)((4, 3)).shape
        (4, 3)
    """

    _preset = (1.0, "fan_in", "truncated_normal")
