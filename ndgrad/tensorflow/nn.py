"""``tf.nn``: activations, dropout and the losses TensorFlow code calls directly,
over ndgrad's functional layer ops (``ndgrad.nn.functional``).

TensorFlow's losses here return one value per example (no reduction): wrap
them in ``tf.reduce_mean`` as TensorFlow programs do.

Example:
    >>> import ndgrad.tensorflow as tf
    >>> logits = tf.constant([[2.0, 0.0], [0.0, 2.0]])
    >>> tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=logits).shape
    (2,)
"""

import numpy as np

from .. import ops
from ..nn import functional as F
from .tensors import convert_to_tensor, values_of

__all__ = ["relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "swish", "sigmoid",
           "tanh", "softplus", "softsign", "softmax", "log_softmax", "dropout",
           "sparse_softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
           "sigmoid_cross_entropy_with_logits", "l2_loss", "l2_normalize", "moments",
           "bias_add", "embedding_lookup"]

relu = ops.relu
relu6 = ops.relu6
elu = ops.elu
selu = ops.selu
silu = swish = ops.silu
sigmoid = ops.sigmoid
tanh = ops.tanh
softplus = ops.softplus
softsign = ops.softsign


def leaky_relu(features, alpha=0.2, name=None):
    """``max(features, alpha * features)`` (TensorFlow's default slope is 0.2).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.nn.leaky_relu(tf.constant([-1.0, 1.0])).numpy().tolist()
        [-0.20000000298023224, 1.0]
    """
    return ops.leaky_relu(convert_to_tensor(features), alpha)


def gelu(features, approximate=False, name=None):
    """The Gaussian error linear unit (``approximate=True``: the tanh form).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.nn.gelu(tf.constant([0.0])).numpy().tolist()
        [0.0]
    """
    return F.gelu(convert_to_tensor(features), approximate="tanh" if approximate else "none")


def softmax(logits, axis=None, name=None):
    """The softmax along ``axis`` (the last axis by default).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.nn.softmax(tf.constant([0.0, 0.0])).numpy().tolist()
        [0.5, 0.5]
    """
    return ops.softmax(convert_to_tensor(logits), axis=-1 if axis is None else axis)


def log_softmax(logits, axis=None, name=None):
    """The log of the softmax along ``axis`` (the last axis by default), computed stably.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> round(tf.nn.log_softmax(tf.constant([0.0, 0.0])).numpy()[0].item(), 4)
        -0.6931
    """
    return ops.log_softmax(convert_to_tensor(logits), axis=-1 if axis is None else axis)


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zero each element with probability ``rate`` and scale the rest by
    ``1 / (1 - rate)`` (always on: ``tf.nn.dropout`` has no inference mode).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.nn.dropout(tf.ones([4]), rate=0.0).numpy().tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    return F.dropout(convert_to_tensor(x), p=rate, training=True, noise_shape=noise_shape)


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Cross-entropy between integer class ``labels`` and unnormalised ``logits``
    (class axis last), one value per example.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
        ...     labels=[0], logits=tf.constant([[0.0, 0.0]]))
        >>> round(loss.numpy()[0].item(), 4)
        0.6931
    """
    logits = convert_to_tensor(logits)
    labels = values_of(labels)
    if labels.shape != logits.shape[:-1]:
        raise ValueError(f"tf.nn.sparse_softmax_cross_entropy_with_logits: labels of shape "
                         f"{labels.shape} need logits of shape {labels.shape} + (classes,), "
                         f"got {logits.shape}")
    log_probabilities = ops.log_softmax(logits, axis=-1)
    picked = ops.take_along_axis(log_probabilities, labels[..., None].astype(np.int64), axis=-1)
    return -ops.squeeze(picked, axis=-1)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Cross-entropy between probability ``labels`` and unnormalised ``logits``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> loss = tf.nn.softmax_cross_entropy_with_logits([[1.0, 0.0]], tf.constant([[0.0, 0.0]]))
        >>> round(loss.numpy()[0].item(), 4)
        0.6931
    """
    logits = convert_to_tensor(logits)
    return -ops.sum(convert_to_tensor(labels) * ops.log_softmax(logits, axis=axis), axis=axis)


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise binary cross-entropy from logits, computed stably.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0], logits=tf.constant([0.0]))
        >>> round(loss.numpy()[0].item(), 4)
        0.6931
    """
    return F.binary_cross_entropy_with_logits(convert_to_tensor(logits),
                                              convert_to_tensor(labels, dtype_hint="float32"),
                                              reduction="none")


def l2_loss(t, name=None):
    """``sum(t ** 2) / 2``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.nn.l2_loss(tf.constant([1.0, 2.0])).numpy().item()
        2.5
    """
    t = convert_to_tensor(t)
    return ops.sum(t * t) / 2


def l2_normalize(x, axis=None, epsilon=1e-12, name=None):
    """``x`` divided by its L2 norm over ``axis`` (see ``tf.math.l2_normalize``).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.nn.l2_normalize(tf.constant([0.0, 2.0])).numpy().tolist()
        [0.0, 1.0]
    """
    from .math import l2_normalize as normalize
    return normalize(x, axis=axis, epsilon=epsilon)


def moments(x, axes, shift=None, keepdims=False, name=None):
    """``(mean, variance)`` over ``axes``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> mean, variance = tf.nn.moments(tf.constant([1.0, 3.0]), axes=[0])
        >>> mean.numpy().item(), variance.numpy().item()
        (2.0, 1.0)
    """
    x = convert_to_tensor(x)
    axes = tuple(np.atleast_1d(axes).tolist())
    return ops.mean(x, axis=axes, keepdims=keepdims), ops.var(x, axis=axes, keepdims=keepdims)


def bias_add(value, bias, data_format=None, name=None):
    """``value + bias`` with ``bias`` on the channel axis (last, or 1 for "NC...").

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.nn.bias_add(tf.zeros([1, 2]), tf.constant([1.0, 2.0])).numpy().tolist()
        [[1.0, 2.0]]
    """
    value, bias = convert_to_tensor(value), convert_to_tensor(bias)
    if data_format is not None and str(data_format).startswith("NC"):
        bias = ops.reshape(bias, (-1,) + (1,) * (value.ndim - 2))
    return value + bias


def embedding_lookup(params, ids, max_norm=None, name=None):
    """Rows of ``params`` at ``ids`` (differentiable in ``params``).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.nn.embedding_lookup(tf.constant([[1.0], [2.0]]), [1, 1]).numpy().tolist()
        [[2.0], [2.0]]
    """
    if max_norm is not None:
        raise ValueError("tf.nn.embedding_lookup: max_norm is not supported by ndgrad; "
                         "clip the embedding rows with tf.clip_by_norm instead")
    return ops.take(convert_to_tensor(params), values_of(ids), axis=0)
