"""Normal and Uniform: continuous distributions with reparameterized samples.

``rsample`` writes a draw as a differentiable function of the parameters
(``loc + scale * eps`` with ``eps`` standard normal; ``low + (high - low) *
u`` with ``u`` uniform in [0, 1)), so a loss on the sample trains them: the
reparameterization trick of variational autoencoders. ``sample`` is the
same draw without a gradient. Parameters broadcast against each other;
Python numbers become float32 tensors (or the dtype of a tensor beside them).

Example:
    >>> import ndgrad
    >>> from ndgrad.distributions import Normal
    >>> _ = ndgrad.random.seed(0)
    >>> mu = ndgrad.zeros(4, requires_grad=True)
    >>> z = Normal(mu, 1.0).rsample()
    >>> (z ** 2).sum().backward()
    >>> bool(ndgrad.all(mu.grad == 2 * z.detach()))
    True
"""

import math

import numpy as np

from .. import ops
from .. import random as _random
from ..tensor import Tensor
from .distribution import Distribution, as_parameter, broadcast_all

__all__ = ["Normal", "Uniform"]

_HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


class Normal(Distribution):
    """The normal (Gaussian) distribution with mean ``loc`` and standard deviation ``scale``.

    Args:
        loc: the mean (a tensor or a number).
        scale: the standard deviation, positive.
        validate_args: check the arguments (default: yes).

    Example:
        >>> from ndgrad.distributions import Normal
        >>> import ndgrad
        >>> d = Normal(ndgrad.tensor([0.0, 1.0]), ndgrad.tensor([1.0, 2.0]))
        >>> [round(v, 4) for v in d.log_prob(ndgrad.tensor([0.0, 1.0])).tolist()]
        [-0.9189, -1.6121]
        >>> [round(v, 4) for v in d.entropy().tolist()]
        [1.4189, 2.1121]
    """

    has_rsample = True
    _parameter_names = ("loc", "scale")

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.shape, (), validate_args)
        self._check_parameter("loc", self.loc, np.isfinite, "finite")
        self._check_parameter("scale", self.scale, lambda s: s > 0, "positive")

    def _value_dtype(self):
        return self.loc.dtype

    def _noise(self, shape):
        return _random.generator().standard_normal(shape).astype(self.loc.dtype)

    def rsample(self, sample_shape=()):
        """``loc + scale * eps``: a draw through which gradients reach ``loc`` and ``scale``."""
        eps = Tensor._wrap(self._noise(self._extended_shape(sample_shape)))
        return self.loc + eps * self.scale

    def sample(self, sample_shape=()):
        """A draw without a gradient, shape ``sample_shape + batch_shape``."""
        eps = self._noise(self._extended_shape(sample_shape))
        return Tensor._wrap(self.loc.detach().numpy() + eps * self.scale.detach().numpy())

    def log_prob(self, value):
        """``-(value - loc)**2 / (2 scale**2) - log(scale) - log(sqrt(2 pi))``."""
        value = self._check_value(value, lambda v: ~np.isnan(v), "a number (not NaN)")
        return (-((value - self.loc) ** 2) / (2 * self.scale ** 2) - ops.log(self.scale)
                - _HALF_LOG_TWO_PI)

    def entropy(self):
        """``0.5 + log(sqrt(2 pi)) + log(scale)``."""
        return 0.5 + _HALF_LOG_TWO_PI + ops.log(self.scale)

    def cdf(self, value):
        """``(1 + erf((value - loc) / (scale sqrt 2))) / 2``.

        Example:
            >>> from ndgrad.distributions import Normal
            >>> Normal(0.0, 1.0).cdf(0.0).item()
            0.5
        """
        value = as_parameter(value, self.loc.dtype)
        return 0.5 * (1 + ops.erf((value - self.loc) / (self.scale * math.sqrt(2))))

    def icdf(self, value):
        """Not supported (yet): it needs the inverse error function, which ndgrad lacks."""
        raise NotImplementedError("Normal.icdf is not supported (yet): ndgrad has no erfinv; "
                                  "use scipy.special.ndtri on NumPy values (no gradient)")

    @property
    def mean(self):
        """``loc``."""
        return self.loc

    @property
    def mode(self):
        """``loc``."""
        return self.loc

    @property
    def stddev(self):
        """``scale``."""
        return self.scale

    @property
    def variance(self):
        """``scale ** 2``."""
        return self.scale ** 2


class Uniform(Distribution):
    """The uniform distribution on ``[low, high)``.

    Args:
        low: the lower bound (included).
        high: the upper bound (excluded), above ``low``.
        validate_args: check the arguments (default: yes).

    Example:
        >>> from ndgrad.distributions import Uniform
        >>> import ndgrad
        >>> d = Uniform(0.0, 4.0)
        >>> round(d.log_prob(ndgrad.tensor(1.0)).item(), 4), round(d.entropy().item(), 4)
        (-1.3863, 1.3863)
    """

    has_rsample = True
    _parameter_names = ("low", "high")

    def __init__(self, low, high, validate_args=None):
        self.low, self.high = broadcast_all(low, high)
        super().__init__(self.low.shape, (), validate_args)
        gap = (self.high - self.low).detach()
        self._check_parameter("high - low", gap, lambda g: g > 0, "positive (low < high)")

    def _value_dtype(self):
        return self.low.dtype

    def _unit(self, shape):
        return Tensor._wrap(_random.generator().random(shape).astype(self.low.dtype))

    def rsample(self, sample_shape=()):
        """``low + (high - low) * u``, ``u`` uniform in [0, 1): differentiable in the bounds."""
        return self.low + (self.high - self.low) * self._unit(self._extended_shape(sample_shape))

    def log_prob(self, value):
        """``-log(high - low)`` inside ``[low, high)``, ``-inf`` outside (with
        ``validate_args=False``; checked values outside are refused)."""
        low, high = self.low.detach().numpy(), self.high.detach().numpy()
        value = self._check_value(value, lambda v: (v >= low) & (v < high),
                                  "inside [low, high)")
        inside = (value.detach().numpy() >= low) & (value.detach().numpy() < high)
        outside = Tensor._wrap(np.where(inside, 0.0, -np.inf).astype(self.low.dtype))
        return outside - ops.log(self.high - self.low)

    def entropy(self):
        """``log(high - low)``."""
        return ops.log(self.high - self.low)

    def cdf(self, value):
        """``(value - low) / (high - low)``, clipped to [0, 1].

        Example:
            >>> from ndgrad.distributions import Uniform
            >>> Uniform(0.0, 4.0).cdf(1.0).item()
            0.25
        """
        value = as_parameter(value, self.low.dtype)
        return ops.clip((value - self.low) / (self.high - self.low), 0.0, 1.0)

    def icdf(self, value):
        """``low + value * (high - low)``.

        Example:
            >>> from ndgrad.distributions import Uniform
            >>> Uniform(0.0, 4.0).icdf(0.5).item()
            2.0
        """
        value = as_parameter(value, self.low.dtype)
        return self.low + value * (self.high - self.low)

    @property
    def mean(self):
        """``(low + high) / 2``."""
        return (self.low + self.high) / 2

    @property
    def mode(self):
        """NaN, as in PyTorch: every value in the range is as likely."""
        return Tensor._wrap(np.full(self.low.shape, np.nan, self.low.dtype))

    @property
    def stddev(self):
        """``(high - low) / sqrt(12)``."""
        return (self.high - self.low) / math.sqrt(12)

    @property
    def variance(self):
        """``(high - low) ** 2 / 12``."""
        return (self.high - self.low) ** 2 / 12
