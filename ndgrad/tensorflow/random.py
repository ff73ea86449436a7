"""``tf.random``: samples drawn from ndgrad's generator, with TensorFlow's
signatures (``tf.random.normal(shape, mean, stddev, dtype, seed)``).

``tf.random.set_seed(n)`` seeds ndgrad's global generator (``ndgrad.random.seed``),
so a program that sets it gets the same numbers on every run. An op-level
``seed=`` draws from a generator of its own for that seed (created from the
global seed and the op seed), which later calls with the same seed continue,
as TensorFlow's op seeds do in eager mode.

Example:
    >>> import ndgrad.tensorflow as tf
    >>> tf.random.set_seed(1); a = tf.random.normal([2])
    >>> tf.random.set_seed(1); b = tf.random.normal([2])
    >>> a.numpy().tolist() == b.numpy().tolist()
    True
"""

import numpy as np

from .. import random as _core
from ..dtypes import as_dtype
from ..tensor import Tensor
from .tensors import convert_to_tensor, values_of

__all__ = ["set_seed", "normal", "uniform", "truncated_normal", "shuffle", "categorical"]

_global_seed = [None]
_op_generators = {}


def set_seed(seed):
    """Seed the global generator (and forget the generators of op-level seeds).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.random.set_seed(0)
    """
    _global_seed[0] = int(seed)
    _op_generators.clear()
    _core.seed(int(seed))


def _generator(seed):
    if seed is None:
        return _core.generator()
    key = (_global_seed[0], int(seed))
    if key not in _op_generators:
        _op_generators[key] = np.random.default_rng([k for k in key if k is not None])
    return _op_generators[key]


def _shape(shape):
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)


def _floating(dtype, what):
    dtype = as_dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"tf.random.{what}: dtype must be floating, got {dtype}")
    return dtype


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None, name=None):
    """Samples from a normal distribution.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.random.normal([10, 1]).shape
        (10, 1)
    """
    dtype = _floating(dtype, "normal")
    return Tensor(_generator(seed).normal(mean, stddev, _shape(shape)).astype(dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None, name=None):
    """Normal samples redrawn until they lie within two standard deviations.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> float(abs(tf.random.truncated_normal([1000])).numpy().max()) <= 2.0
        True
    """
    dtype = _floating(dtype, "truncated_normal")
    generator = _generator(seed)
    values = generator.standard_normal(_shape(shape))
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = generator.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2
    return Tensor((mean + stddev * values).astype(dtype))


def uniform(shape, minval=0, maxval=None, dtype="float32", seed=None, name=None):
    """Samples from the uniform distribution on ``[minval, maxval)`` (``maxval``
    defaults to 1 for floats and is required for integers).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.random.uniform([3], 0, 10, dtype=tf.int32).dtype
        dtype('int32')
    """
    dtype = as_dtype(dtype)
    generator = _generator(seed)
    if dtype.kind in "iu":
        if maxval is None:
            raise ValueError("tf.random.uniform: an integer dtype needs maxval")
        return Tensor(generator.integers(minval, maxval, _shape(shape)).astype(dtype))
    maxval = 1.0 if maxval is None else maxval
    return Tensor(generator.uniform(minval, maxval, _shape(shape)).astype(dtype))


def shuffle(value, seed=None, name=None):
    """A copy of ``value`` with its first axis shuffled.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> sorted(tf.random.shuffle(tf.range(4)).numpy().tolist())
        [0, 1, 2, 3]
    """
    value = convert_to_tensor(value)
    order = _generator(seed).permutation(value.shape[0])
    return value[order]


def categorical(logits, num_samples, dtype="int64", seed=None, name=None):
    """Class indices drawn from the categorical distributions given by ``logits``
    (one row per distribution): shape ``(batch, num_samples)``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.random.categorical(tf.constant([[0.0, -1e9]]), 3).numpy().tolist()
        [[0, 0, 0]]
    """
    logits = values_of(logits).astype(np.float64)
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    probabilities = shifted / shifted.sum(axis=-1, keepdims=True)
    generator = _generator(seed)
    draws = [generator.choice(len(row), size=num_samples, p=row) for row in probabilities]
    return Tensor(np.asarray(draws).astype(as_dtype(dtype)))
