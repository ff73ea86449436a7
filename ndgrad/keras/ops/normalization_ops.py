"""``keras.ops`` normalization: ``moments``, ``normalize``, ``batch_normalization``,
``layer_normalization``, ``rms_normalization``, and ``psnr``, written with the
core ops (so they are differentiable).

Example:
    >>> from ndgrad.keras import ops
    >>> mean, variance = ops.moments([[1.0, 3.0], [5.0, 7.0]], axes=[0])
    >>> mean.tolist(), variance.tolist()
    ([3.0, 5.0], [4.0, 4.0])
"""

import math

from ... import linalg
from ... import ops as core
from ...nn import keras_cross_entropies
from ...tensor import Tensor, as_tensor
from ._routing import keras_op

__all__ = ["moments", "normalize", "batch_normalization", "rms_normalization",
           "layer_normalization", "psnr"]


def _tensor(x):
    return x if isinstance(x, Tensor) else as_tensor(x)


@keras_op
def moments(x, axes, keepdims=False, synchronized=False):
    """``(mean, variance)`` over ``axes`` (the population variance).

    Example:
        >>> from ndgrad.keras.ops import moments
        >>> mean, variance = moments([1.0, 3.0], axes=[0])
        >>> mean.item(), variance.item()
        (2.0, 1.0)
    """
    x = _tensor(x)
    axes = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    mean = core.mean(x, axis=axes, keepdims=True)
    variance = core.mean(core.square(x - mean), axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = core.squeeze(mean, axis=axes), core.squeeze(variance, axis=axes)
    return mean, variance


@keras_op
def normalize(x, axis=-1, order=2, epsilon=None):
    """``x`` divided by its ``order``-norm along ``axis`` (at least ``epsilon``, 1e-7).

    Example:
        >>> from ndgrad.keras.ops import normalize
        >>> normalize([[3.0, 4.0]]).tolist()
        [[0.6000000238418579, 0.800000011920929]]
    """
    x = _tensor(x)
    epsilon = keras_cross_entropies.EPSILON if epsilon is None else epsilon
    if order == 2:
        return x / core.sqrt(core.maximum(core.sum(core.square(x), axis=axis, keepdims=True),
                                          epsilon))
    norm = linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / core.maximum(norm, epsilon)


def _along(value, axis, ndim):
    """A per-channel vector shaped to broadcast along ``axis`` of an ``ndim`` tensor."""
    value = _tensor(value)
    if value.ndim != 1:
        return value
    shape = [1] * ndim
    shape[axis] = value.shape[0]
    return core.reshape(value, tuple(shape))


@keras_op
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, the statistics
    given per channel of ``axis``.

    Example:
        >>> from ndgrad.keras.ops import batch_normalization
        >>> batch_normalization([[1.0, 2.0]], [1.0, 0.0], [1.0, 4.0], axis=1, epsilon=0.0).tolist()
        [[0.0, 1.0]]
    """
    x = _tensor(x)
    out = (x - _along(mean, axis, x.ndim)) / core.sqrt(_along(variance, axis, x.ndim) + epsilon)
    if scale is not None:
        out = out * _along(scale, axis, x.ndim)
    if offset is not None:
        out = out + _along(offset, axis, x.ndim)
    return out


@keras_op
def rms_normalization(x, scale=1, axis=-1, epsilon=None):
    """``x / sqrt(mean(x ** 2, axis) + epsilon) * scale``.

    Example:
        >>> from ndgrad.keras.ops import rms_normalization
        >>> [round(v, 4) for v in rms_normalization([[3.0, 4.0]], epsilon=0.0)[0].tolist()]
        [0.8485, 1.1314]
    """
    x = _tensor(x)
    epsilon = keras_cross_entropies.EPSILON if epsilon is None else epsilon
    return x / core.sqrt(core.mean(core.square(x), axis=axis, keepdims=True) + epsilon) * scale


@keras_op
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio ``20 log10(max_val) - 10 log10(mse)``.

    Example:
        >>> from ndgrad.keras.ops import psnr
        >>> round(psnr([[0.0, 0.0]], [[0.1, 0.1]], 1.0).item(), 2)
        20.0
    """
    mse = core.mean(core.square(_tensor(x1) - _tensor(x2)))
    return 20.0 * math.log10(max_val) - 10.0 * core.log10(mse)


@keras_op
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta`` over ``axis``.

    Example:
        >>> from ndgrad.keras.ops import layer_normalization
        >>> layer_normalization([[1.0, 3.0]], epsilon=0.0).tolist()
        [[-1.0, 1.0]]
    """
    if kwargs.get("rms_scaling"):
        return rms_normalization.__wrapped__(x, 1 if gamma is None else gamma, axis, epsilon)
    x = _tensor(x)
    epsilon = 1e-3 if epsilon is None else epsilon
    mean, variance = moments.__wrapped__(x, [axis], keepdims=True)
    out = (x - mean) / core.sqrt(variance + epsilon)
    if gamma is not None:
        out = out * _tensor(gamma)
    if beta is not None:
        out = out + _tensor(beta)
    return out
