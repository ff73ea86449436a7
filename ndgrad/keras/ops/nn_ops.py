"""``keras.ops``'s neural-network ops: activations with Keras's defaults
(``leaky_relu`` slope 0.2, ``gelu`` approximate), ``softmax``, ``one_hot``,
``multi_hot`` and the element-wise or per-sample cross-entropies.
(Normalization is in ``normalization_ops``, convolution, pooling and
attention in ``conv_ops``.)

Each op calls the core implementation that the layers use (``ndgrad.ops``,
``ndgrad.nn.keras_losses``).

Example:
    >>> import ndgrad
    >>> from ndgrad.keras import ops
    >>> ops.one_hot([0, 2], 3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    >>> ops.leaky_relu(ndgrad.tensor([-5.0, 3.0])).tolist()       # slope 0.2, Keras's default
    [-1.0, 3.0]
"""

import numpy as np

from ... import ops as core
from ...ops import activations_keras
from ...autograd.primitive import data_of
from ...nn import keras_cross_entropies, keras_losses
from ...tensor import Tensor, as_tensor
from ._routing import keras_op, reexport

_SAME = ("relu", "relu6", "sigmoid", "silu", "swish", "selu", "softsign", "log_sigmoid",
         "mish", "hard_sigmoid", "tanh")
globals().update({name: reexport(getattr(core, name)) for name in _SAME})


def _tensor(x):
    return x if isinstance(x, Tensor) else as_tensor(x)


@keras_op
def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x), axis)``, computed stably.

    Example:
        >>> from ndgrad.keras.ops import softmax
        >>> softmax([0.0, 0.0]).tolist()
        [0.5, 0.5]
    """
    return core.softmax(_tensor(x), axis=axis)


@keras_op
def log_softmax(x, axis=-1):
    """``x - logsumexp(x, axis)``.

    Example:
        >>> from ndgrad.keras.ops import log_softmax
        >>> [round(v, 4) for v in log_softmax([0.0, 0.0]).tolist()]
        [-0.6931, -0.6931]
    """
    return core.log_softmax(_tensor(x), axis=axis)


@keras_op
def leaky_relu(x, negative_slope=0.2):
    """``x`` where positive, ``negative_slope * x`` elsewhere (Keras's default 0.2).

    Example:
        >>> from ndgrad.keras.ops import leaky_relu
        >>> leaky_relu([-2.0, 3.0]).tolist()
        [-0.4000000059604645, 3.0]
    """
    return core.leaky_relu(_tensor(x), negative_slope)


@keras_op
def elu(x, alpha=1.0):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Example:
        >>> from ndgrad.keras.ops import elu
        >>> elu([0.0, 1.0]).tolist()
        [0.0, 1.0]
    """
    return core.elu(_tensor(x), alpha)


@keras_op
def celu(x, alpha=1.0):
    """``max(x, 0) + min(alpha * (exp(x / alpha) - 1), 0)``.

    Example:
        >>> from ndgrad.keras.ops import celu
        >>> celu([2.0]).tolist()
        [2.0]
    """
    return core.celu(_tensor(x), alpha)


@keras_op
def gelu(x, approximate=True):
    """The Gaussian error linear unit; Keras's default is the tanh approximation.

    Example:
        >>> from ndgrad.keras.ops import gelu
        >>> round(gelu([1.0]).item(), 4), round(gelu([1.0], approximate=False).item(), 4)
        (0.8412, 0.8413)
    """
    return core.gelu(_tensor(x), approximate="tanh" if approximate else "none")


@keras_op
def softplus(x):
    """``log(1 + exp(x))``, computed stably.

    Example:
        >>> from ndgrad.keras.ops import softplus
        >>> round(softplus([0.0]).item(), 4)
        0.6931
    """
    return core.softplus(_tensor(x))


@keras_op
def hard_silu(x):
    """``x * hard_sigmoid(x)`` (also ``hard_swish``).

    Example:
        >>> from ndgrad.keras.ops import hard_silu
        >>> hard_silu([-3.0, 0.0, 3.0]).tolist()
        [-0.0, 0.0, 3.0]
    """
    x = _tensor(x)
    return x * core.hard_sigmoid(x)


hard_swish = hard_silu


@keras_op
def hard_tanh(x):
    """``x`` clipped to [-1, 1].

    Example:
        >>> from ndgrad.keras.ops import hard_tanh
        >>> hard_tanh([-2.0, 0.5]).tolist()
        [-1.0, 0.5]
    """
    return core.hard_tanh(_tensor(x))


@keras_op
def glu(x, axis=-1):
    """Gated linear unit: ``a * sigmoid(b)`` for the halves ``a, b`` of ``x`` along ``axis``.

    Example:
        >>> from ndgrad.keras.ops import glu
        >>> glu([[2.0, 0.0]]).tolist()
        [[1.0]]
    """
    first, second = core.split(_tensor(x), 2, axis=axis)
    return first * core.sigmoid(second)


squareplus = reexport(activations_keras.squareplus)


@keras_op
def soft_shrink(x, threshold=0.5):
    """``x - threshold`` above it, ``x + threshold`` below ``-threshold``, 0 between.

    Example:
        >>> from ndgrad.keras.ops import soft_shrink
        >>> soft_shrink([-1.0, 0.2, 1.0]).tolist()
        [-0.5, 0.0, 0.5]
    """
    x = _tensor(x)
    return core.where(x > threshold, x - threshold,
                      core.where(x < -threshold, x + threshold, 0.0))


@keras_op
def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, else 0.

    Example:
        >>> from ndgrad.keras.ops import hard_shrink
        >>> hard_shrink([-1.0, 0.2]).tolist()
        [-1.0, 0.0]
    """
    x = _tensor(x)
    return core.where(core.abs(x) > threshold, x, 0.0)


@keras_op
def tanh_shrink(x):
    """``x - tanh(x)``.

    Example:
        >>> from ndgrad.keras.ops import tanh_shrink
        >>> tanh_shrink([0.0]).tolist()
        [0.0]
    """
    x = _tensor(x)
    return x - core.tanh(x)


@keras_op
def threshold(x, threshold, default_value):
    """``x`` where ``x > threshold``, else ``default_value``.

    Example:
        >>> from ndgrad.keras.ops import threshold
        >>> threshold([1.0, 3.0], 2.0, 0.0).tolist()
        [0.0, 3.0]
    """
    x = _tensor(x)
    return core.where(x > threshold, x, default_value)


@keras_op
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot vectors for integer labels (an out-of-range label gives zeros).

    Example:
        >>> from ndgrad.keras.ops import one_hot
        >>> one_hot([1, -1], 2, dtype="int32").tolist()
        [[0, 1], [0, 0]]
    """
    if sparse:
        raise ValueError("one_hot: sparse=True is not supported by ndgrad; use the dense result")
    labels = np.asarray(data_of(x)).astype(np.int64)
    dense = (labels[..., None] == np.arange(int(num_classes))).astype(dtype or "float32")
    if axis not in (-1, dense.ndim - 1):
        dense = np.moveaxis(dense, -1, axis)
    return as_tensor(dense)


@keras_op
def multi_hot(inputs, num_classes, axis=-1, dtype=None, sparse=False):
    """For each sample (a row of integer labels), 1 at every label present.

    Example:
        >>> from ndgrad.keras.ops import multi_hot
        >>> multi_hot([[0, 2], [1, 1]], 3).tolist()
        [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    dense = np.asarray(data_of(one_hot(inputs, num_classes, dtype=dtype, sparse=sparse)))
    dense = dense.max(axis=-2)
    return as_tensor(np.moveaxis(dense, -1, axis) if axis not in (-1, dense.ndim - 1) else dense)


@keras_op
def binary_crossentropy(target, output, from_logits=False):
    """Element-wise ``-(t log p + (1 - t) log(1 - p))`` (no mean), ``p`` clipped to
    ``[1e-7, 1 - 1e-7]``; as in Keras, targets and predictions are not range-checked.

    Example:
        >>> from ndgrad.keras.ops import binary_crossentropy
        >>> [round(v, 4) for v in binary_crossentropy([1.0, 0.0], [0.5, 0.5]).tolist()]
        [0.6931, 0.6931]
    """
    output = _tensor(output)
    target = core.astype(_tensor(target), output.dtype)
    if from_logits:
        return (1 - target) * output - core.log_sigmoid(output)
    p = core.clip(output, keras_cross_entropies.EPSILON, 1.0 - keras_cross_entropies.EPSILON)
    return -(target * core.log(p) + (1 - target) * core.log(1 - p))


@keras_op
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Per-sample ``-sum(target * log p, axis)`` for one-hot targets.

    Example:
        >>> from ndgrad.keras.ops import categorical_crossentropy
        >>> round(categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]]).item(), 4)
        0.6931
    """
    return keras_losses.categorical_crossentropy(target, output, from_logits=from_logits,
                                                 axis=axis)


@keras_op
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Per-sample ``-log p[target]`` for integer targets.

    Example:
        >>> from ndgrad.keras.ops import sparse_categorical_crossentropy
        >>> round(sparse_categorical_crossentropy([1], [[0.5, 0.5]]).item(), 4)
        0.6931
    """
    return keras_losses.sparse_categorical_crossentropy(target, output, from_logits=from_logits,
                                                        axis=axis)


sparse_plus = reexport(activations_keras.sparse_plus)
sparse_sigmoid = reexport(activations_keras.sparse_sigmoid)


@keras_op
def sparsemax(x, axis=-1):
    """The projection of ``x`` onto the probability simplex along ``axis`` (see
    ``ndgrad.ops.activations_keras.sparsemax``).

    Example:
        >>> from ndgrad.keras.ops import sparsemax
        >>> sparsemax([[3.0, 1.0]]).tolist()
        [[1.0, 0.0]]
    """
    return activations_keras.sparsemax(_tensor(x), axis=axis)


UNSUPPORTED = dict.fromkeys(
    ("ctc_loss", "ctc_decode", "polar", "fold",
     "unfold", "space_to_depth", "depth_to_space", "adaptive_max_pool"),
    "not implemented yet; write it with the ops that exist")
