"""``keras.random``: random tensors with Keras 3's signatures and seeds.

``seed`` may be None (ndgrad's global generator, reseeded by
``keras.utils.set_random_seed``), an int (the same values at every call, as
Keras), or a :class:`SeedGenerator` (reproducible from its seed, different
values at each call). Floating results are float32 unless ``dtype`` says
otherwise. The functions go through the ``keras.ops`` routing helper.

Example:
    >>> from ndgrad import keras
    >>> a = keras.random.normal((2,), seed=7); b = keras.random.normal((2,), seed=7)
    >>> a.tolist() == b.tolist(), a.dtype
    (True, dtype('float32'))
    >>> generator = keras.random.SeedGenerator(1337)
    >>> keras.random.uniform((2,), seed=generator).tolist() != \\
    ...     keras.random.uniform((2,), seed=generator).tolist()
    True
"""

import numpy as np

from ..autograd.primitive import data_of
from ..dtypes import as_dtype, default_float
from ..nn import _sampling
from ..ops import take as _take, where as _where
from ..tensor import Tensor, as_tensor
from ._unsupported import module_getattr
from .ops._routing import keras_op

__all__ = ["SeedGenerator", "normal", "uniform", "randint", "truncated_normal", "dropout",
           "shuffle", "categorical", "gamma", "binomial", "beta"]


class SeedGenerator:
    """A seeded source of randomness whose state advances at each use.

    Args:
        seed: an int (default: drawn from ndgrad's global generator).
        name: accepted for Keras programs.

    Example:
        >>> from ndgrad import keras
        >>> first = keras.random.normal((3,), seed=keras.random.SeedGenerator(0))
        >>> again = keras.random.normal((3,), seed=keras.random.SeedGenerator(0))
        >>> first.tolist() == again.tolist()
        True
    """

    def __init__(self, seed=None, name=None, **kwargs):
        if seed is None:
            seed = int(_sampling.generator_for(None).integers(2 ** 31))
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"SeedGenerator: seed must be an int or None; got {seed!r}")
        self.seed = int(seed)
        self.name = name
        self.generator = np.random.default_rng(self.seed)

    def next(self, ordered=True):
        """A new int seed drawn from this generator (advancing it)."""
        return int(self.generator.integers(2 ** 31))

    def __repr__(self):
        return f"SeedGenerator(seed={self.seed})"


def _rng(seed):
    if isinstance(seed, SeedGenerator):
        return seed.generator
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise TypeError(f"keras.random: seed must be None, an int or a SeedGenerator; got "
                        f"{type(seed).__name__}")
    return _sampling.generator_for(seed)


def _shape(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)


def _float(dtype):
    dtype = default_float if dtype is None else as_dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"keras.random: a floating dtype is needed here; got {dtype}")
    return dtype


@keras_op
def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Draws from a normal distribution.

    Example:
        >>> from ndgrad.keras.random import normal
        >>> normal((2, 3), seed=0).shape
        (2, 3)
    """
    return Tensor._wrap(_sampling.normal(_rng(seed), _shape(shape), mean, stddev, _float(dtype)))


@keras_op
def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Draws from a uniform distribution on ``[minval, maxval)``.

    Example:
        >>> from ndgrad.keras.random import uniform
        >>> values = uniform((100,), minval=2.0, maxval=3.0, seed=0).numpy()
        >>> bool(values.min() >= 2.0 and values.max() < 3.0)
        True
    """
    return Tensor._wrap(_sampling.uniform(_rng(seed), _shape(shape), minval, maxval,
                                          _float(dtype)))


@keras_op
def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers drawn uniformly from ``[minval, maxval)``.

    Example:
        >>> from ndgrad.keras.random import randint
        >>> values = randint((50,), 0, 3, seed=0).numpy()
        >>> sorted(set(values.tolist())), values.dtype
        ([0, 1, 2], dtype('int32'))
    """
    return Tensor._wrap(_rng(seed).integers(minval, maxval, size=_shape(shape))
                        .astype(as_dtype(dtype)))


@keras_op
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """A normal distribution truncated to two standard deviations around ``mean``.

    Example:
        >>> from ndgrad.keras.random import truncated_normal
        >>> bool(abs(truncated_normal((1000,), seed=0).numpy()).max() <= 2.0)
        True
    """
    return Tensor._wrap(_sampling.truncated_normal(_rng(seed), _shape(shape), mean, stddev,
                                                   mean - 2 * stddev, mean + 2 * stddev,
                                                   _float(dtype)))


@keras_op
def dropout(inputs, rate, noise_shape=None, seed=None):
    """``inputs`` with each element zeroed with probability ``rate`` and the rest
    scaled by ``1 / (1 - rate)`` (differentiable with respect to ``inputs``).

    Example:
        >>> from ndgrad.keras.random import dropout
        >>> import ndgrad
        >>> out = dropout(ndgrad.ones(1000), 0.5, seed=0).numpy()
        >>> sorted(set(out.tolist()))
        [0.0, 2.0]
    """
    inputs = inputs if isinstance(inputs, Tensor) else as_tensor(inputs)
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"keras.random.dropout: rate must be in [0, 1); got {rate}")
    shape = inputs.shape if noise_shape is None else tuple(
        n if n is not None else size for n, size in zip(noise_shape, inputs.shape))
    keep = _rng(seed).random(shape) >= rate
    return _where(keep, inputs / (1.0 - rate), 0.0)


@keras_op
def shuffle(x, axis=0, seed=None):
    """``x`` with its slices along ``axis`` in a random order.

    Example:
        >>> from ndgrad.keras.random import shuffle
        >>> import ndgrad
        >>> sorted(shuffle(ndgrad.arange(5), seed=0).tolist())
        [0, 1, 2, 3, 4]
    """
    x = x if isinstance(x, Tensor) else as_tensor(x)
    order = _rng(seed).permutation(x.shape[axis])
    return _take(x, order, axis=axis)


@keras_op
def categorical(logits, num_samples, dtype="int32", seed=None):
    """Class indices drawn from ``softmax(logits)`` of each row: shape
    ``(batch, num_samples)``.

    Example:
        >>> from ndgrad.keras.random import categorical
        >>> categorical([[0.0, 100.0]], 3, seed=0).tolist()
        [[1, 1, 1]]
    """
    logits = np.asarray(data_of(logits), dtype=np.float64)
    probabilities = np.exp(logits - logits.max(axis=-1, keepdims=True))
    rng = _rng(seed)
    cumulative = np.cumsum(probabilities, axis=-1)
    draws = rng.random((probabilities.shape[0], int(num_samples))) * cumulative[:, -1:]
    samples = np.stack([np.searchsorted(row, drawn, side="right")
                        for row, drawn in zip(cumulative, draws)])
    return as_tensor(np.minimum(samples, probabilities.shape[-1] - 1).astype(as_dtype(dtype)))


@keras_op
def gamma(shape, alpha, dtype=None, seed=None):
    """Draws from a gamma distribution with shape ``alpha`` (scale 1).

    Example:
        >>> from ndgrad.keras.random import gamma
        >>> gamma((3,), alpha=2.0, seed=0).shape
        (3,)
    """
    return as_tensor(_rng(seed).gamma(alpha, size=_shape(shape)).astype(_float(dtype)))


@keras_op
def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Draws from binomial distributions (``counts`` trials, success ``probabilities``).

    Example:
        >>> from ndgrad.keras.random import binomial
        >>> binomial((4,), 10, 1.0, seed=0).tolist()
        [10.0, 10.0, 10.0, 10.0]
    """
    values = _rng(seed).binomial(np.asarray(data_of(counts)), np.asarray(data_of(probabilities)),
                                 size=_shape(shape))
    return as_tensor(values.astype(_float(dtype)))


@keras_op
def beta(shape, alpha, beta, dtype=None, seed=None):
    """Draws from a beta distribution.

    Example:
        >>> from ndgrad.keras.random import beta
        >>> values = beta((100,), 2.0, 5.0, seed=0).numpy()
        >>> bool(values.min() > 0 and values.max() < 1)
        True
    """
    return as_tensor(_rng(seed).beta(alpha, beta, size=_shape(shape)).astype(_float(dtype)))


__getattr__ = module_getattr("keras.random", {})
