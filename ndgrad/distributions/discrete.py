"""Categorical and Bernoulli: distributions over classes and over {0, 1}.

Each takes ``probs`` or ``logits`` (exactly one) and keeps both views, as
PyTorch does: ``Categorical`` normalizes ``probs`` to sum to 1 over the last
dimension and ``logits`` to log-probabilities (``logits - logsumexp``);
``Bernoulli``'s ``logits`` are log-odds. ``log_prob`` and ``entropy`` are
written with ndgrad ops on the logits, so gradients reach whichever was
given (a policy network's softmax output in the REINFORCE and actor-critic
examples).

Example:
    >>> import ndgrad
    >>> from ndgrad.distributions import Categorical
    >>> _ = ndgrad.random.seed(0)
    >>> probs = ndgrad.tensor([[0.2, 0.8]], requires_grad=True)
    >>> policy = Categorical(probs)
    >>> action = policy.sample()
    >>> loss = -policy.log_prob(action).sum()
    >>> loss.backward()
    >>> action.shape, action.dtype, probs.grad.shape
    ((1,), dtype('int64'), (1, 2))
"""

import numpy as np

from .. import ops
from .. import random as _random
from ..tensor import Tensor
from .distribution import Distribution, as_parameter

__all__ = ["Categorical", "Bernoulli", "clamp_probs"]


def clamp_probs(probs):
    """``probs`` kept in ``[eps, 1 - eps]`` for its dtype, so that their logs are finite.

    Example:
        >>> from ndgrad.distributions.discrete import clamp_probs
        >>> import ndgrad
        >>> clamp_probs(ndgrad.tensor([0.0, 1.0])).tolist()[0] > 0
        True
    """
    eps = float(np.finfo(probs.dtype).eps)
    return ops.clip(probs, eps, 1.0 - eps)


def _one_of(owner, probs, logits):
    if (probs is None) == (logits is None):
        raise ValueError(f"{owner}: give either probs or logits, not both and not neither")
    return ("probs", as_parameter(probs)) if probs is not None else ("logits",
                                                                      as_parameter(logits))


class Categorical(Distribution):
    """A distribution over ``K`` classes, one per row of ``probs`` (or ``logits``).

    Args:
        probs: non-negative weights, shape ``batch_shape + (K,)``; normalized.
        logits: unnormalized log-probabilities, the same shape.
        validate_args: check the arguments (default: yes).

    Example:
        >>> from ndgrad.distributions import Categorical
        >>> import ndgrad
        >>> d = Categorical(logits=ndgrad.tensor([0.0, 0.0, 0.0, 0.0]))
        >>> round(d.entropy().item(), 4), d.log_prob(ndgrad.tensor(2)).item() == d.logits[2].item()
        (1.3863, True)
    """

    _parameter_names = ("probs",)
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        kind, parameter = _one_of("Categorical", probs, logits)
        if parameter.ndim < 1:
            raise ValueError(f"Categorical: {kind} needs at least one dimension (the classes); "
                             f"got shape {parameter.shape}")
        super().__init__(parameter.shape[:-1], (), validate_args)
        if kind == "probs":
            self._check_parameter("probs", parameter, lambda p: np.isfinite(p) & (p >= 0),
                                  "non-negative and finite")
            self._probs = parameter / parameter.sum(-1, keepdim=True)
            self._logits = None
        else:
            self._check_parameter("logits", parameter, lambda v: ~np.isnan(v), "not NaN")
            self._logits = parameter - ops.logsumexp(parameter, axis=-1, keepdims=True)
            self._probs = None
        self._num_events = parameter.shape[-1]

    @property
    def probs(self):
        """The class probabilities (summing to 1 over the last dimension)."""
        if self._probs is None:
            self._probs = ops.softmax(self._logits, axis=-1)
        return self._probs

    @property
    def logits(self):
        """The log-probabilities (normalized: ``logsumexp`` over the classes is 0)."""
        if self._logits is None:
            self._logits = ops.log(clamp_probs(self._probs))
        return self._logits

    @property
    def param_shape(self):
        """The shape of ``probs`` / ``logits``."""
        return self.probs.shape

    def _value_dtype(self):
        return np.int64

    def sample(self, sample_shape=()):
        """Class indices (int64) of shape ``sample_shape + batch_shape``."""
        shape = self._extended_shape(sample_shape)
        cumulative = np.cumsum(self.probs.detach().numpy().astype(np.float64), axis=-1)
        cumulative = cumulative / cumulative[..., -1:]      # the last is exactly 1
        uniform = 1.0 - _random.generator().random(shape + (1,))    # in (0, 1]
        cumulative = np.broadcast_to(cumulative, shape + (self._num_events,))
        # the first class whose cumulative probability reaches the draw
        return Tensor._wrap((cumulative < uniform).sum(-1).astype(np.int64))

    def log_prob(self, value):
        """The log-probability of the class indices ``value`` (broadcast against the batch)."""
        count = self._num_events
        value = self._check_value(value, lambda v: (v == np.round(v)) & (v >= 0) & (v < count),
                                  f"class indices in [0, {count})")
        index = value.detach().numpy().astype(np.int64)[..., None]
        logits = self.logits
        shape = np.broadcast_shapes(index.shape[:-1], logits.shape[:-1])
        logits = ops.broadcast_to(logits, shape + (count,))
        index = np.broadcast_to(index, shape + (1,))
        return ops.take_along_axis(logits, Tensor._wrap(index), axis=-1)[..., 0]

    def entropy(self):
        """``-sum(p * log p)`` over the classes (0 for classes of probability 0)."""
        lowest = float(np.finfo(self.logits.dtype).min)
        return -(ops.clip(self.logits, lowest, None) * self.probs).sum(-1)

    def enumerate_support(self, expand=True):
        """Every class index, shape ``(K,) + batch_shape`` (``(K, 1, ...)`` unexpanded).

        Example:
            >>> from ndgrad.distributions import Categorical
            >>> import ndgrad
            >>> Categorical(ndgrad.ones(2, 3)).enumerate_support().shape
            (3, 2)
        """
        values = np.arange(self._num_events).reshape((-1,) + (1,) * len(self.batch_shape))
        if expand:
            values = np.broadcast_to(values, (self._num_events,) + tuple(self.batch_shape))
        return Tensor._wrap(np.array(values, dtype=np.int64))

    @property
    def mean(self):
        """NaN, as in PyTorch: classes have no order."""
        return Tensor._wrap(np.full(tuple(self.batch_shape), np.nan, self.probs.dtype))

    @property
    def variance(self):
        """NaN, as in PyTorch."""
        return self.mean

    @property
    def mode(self):
        """The most probable class."""
        return self.probs.argmax(-1)


class Bernoulli(Distribution):
    """A coin: 1 with probability ``probs`` (or ``sigmoid(logits)``), else 0.

    Args:
        probs: the probabilities of 1, in ``[0, 1]``.
        logits: the log-odds of 1.
        validate_args: check the arguments (default: yes).

    Example:
        >>> from ndgrad.distributions import Bernoulli
        >>> import ndgrad
        >>> d = Bernoulli(logits=ndgrad.tensor([0.0, 2.0]))
        >>> [round(v, 4) for v in d.log_prob(ndgrad.tensor([1.0, 0.0])).tolist()]
        [-0.6931, -2.1269]
    """

    _parameter_names = ("probs",)
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        kind, parameter = _one_of("Bernoulli", probs, logits)
        super().__init__(parameter.shape, (), validate_args)
        if kind == "probs":
            self._check_parameter("probs", parameter, lambda p: (p >= 0) & (p <= 1),
                                  "in [0, 1]")
            self._probs, self._logits = parameter, None
        else:
            self._check_parameter("logits", parameter, lambda v: ~np.isnan(v), "not NaN")
            self._probs, self._logits = None, parameter

    @property
    def probs(self):
        """The probabilities of 1."""
        if self._probs is None:
            self._probs = ops.sigmoid(self._logits)
        return self._probs

    @property
    def logits(self):
        """The log-odds of 1 (from clamped probabilities when ``probs`` was given)."""
        if self._logits is None:
            clamped = clamp_probs(self._probs)
            self._logits = ops.log(clamped) - ops.log1p(-clamped)
        return self._logits

    def _value_dtype(self):
        return self.probs.dtype

    def sample(self, sample_shape=()):
        """Zeros and ones in the dtype of ``probs``, shape ``sample_shape + batch_shape``."""
        shape = self._extended_shape(sample_shape)
        probs = self.probs.detach().numpy()
        draw = _random.generator().random(shape) < np.broadcast_to(probs, shape)
        return Tensor._wrap(draw.astype(probs.dtype))

    def log_prob(self, value):
        """``value * logits - softplus(logits)``: the log-probability of 0 or 1."""
        value = self._check_value(value, lambda v: (v == 0) | (v == 1), "0 or 1")
        logits = self.logits
        return value * logits - ops.softplus(logits)

    def entropy(self):
        """``softplus(logits) - probs * logits``."""
        logits = self.logits
        return ops.softplus(logits) - self.probs * logits

    def enumerate_support(self, expand=True):
        """``[0, 1]``, shape ``(2,) + batch_shape`` (``(2, 1, ...)`` unexpanded).

        Example:
            >>> from ndgrad.distributions import Bernoulli
            >>> import ndgrad
            >>> Bernoulli(ndgrad.tensor([0.5])).enumerate_support().tolist()
            [[0.0], [1.0]]
        """
        values = np.arange(2, dtype=self.probs.dtype).reshape((-1,) + (1,) * len(
            self.batch_shape))
        if expand:
            values = np.broadcast_to(values, (2,) + tuple(self.batch_shape))
        return Tensor._wrap(np.array(values))

    @property
    def mean(self):
        """``probs``."""
        return self.probs

    @property
    def variance(self):
        """``probs * (1 - probs)``."""
        return self.probs * (1 - self.probs)

    @property
    def mode(self):
        """1 where ``probs > 0.5``, 0 where below, NaN at exactly 0.5 (PyTorch's)."""
        probs = self.probs.detach().numpy()
        mode = (probs > 0.5).astype(probs.dtype)
        mode[probs == 0.5] = np.nan
        return Tensor._wrap(mode)
