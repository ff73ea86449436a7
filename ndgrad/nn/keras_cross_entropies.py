"""Keras's cross-entropy losses, one value per sample (target first):
``binary_crossentropy``, ``binary_focal_crossentropy``,
``categorical_crossentropy``, ``categorical_focal_crossentropy``,
``sparse_categorical_crossentropy``; and what every Keras loss shares: the
fuzz factor ``EPSILON`` (``keras.backend.set_epsilon`` changes it) and the
pairing of ``y_true`` with ``y_pred``.

Probabilities are clipped to ``[EPSILON, 1 - EPSILON]`` unless
``from_logits=True``, where the stable log-sigmoid / log-softmax forms are
used. :mod:`ndgrad.nn.keras_losses` gathers them with the other Keras losses.

Example:
    >>> from ndgrad.nn import keras_cross_entropies as ce
    >>> round(ce.binary_crossentropy([[1.0, 0.0]], [[0.5, 0.5]]).item(), 4)
    0.6931
"""

import numpy as np

from ..autograd.primitive import data_of
from ..ops.activations import log_sigmoid, log_softmax, sigmoid, softmax
from ..ops.arithmetic import power
from ..ops.elementwise import log
from ..ops.reduce import mean as _mean, sum as _sum
from ..ops.selection import clip
from ..ops.shape import moveaxis, squeeze
from ._loss_reduction import _floating_tensor
from .classification_losses import _nll_indices
from .losses import _check_shapes

__all__ = ["binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
           "categorical_focal_crossentropy", "sparse_categorical_crossentropy", "EPSILON"]

EPSILON = 1e-7


def _pair(y_true, y_pred, name):
    """y_true in y_pred's dtype; a trailing axis of 1 squeezed when the ranks differ
    by one (Keras's squeeze_or_expand_to_same_rank); then the shape check."""
    y_pred = _floating_tensor(y_pred)
    y_true = _floating_tensor(y_true, y_pred.dtype)
    if y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_pred = squeeze(y_pred, axis=-1)
    elif y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = squeeze(y_true, axis=-1)
    _check_shapes(name, y_pred.shape, y_true.shape)
    return y_true, y_pred


def _mean_last(values, axis=-1):
    return _mean(values, axis=axis) if values.ndim else values


def _mean_last(values, axis=-1):
    return _mean(values, axis=axis) if values.ndim else values


def _smoothed_binary(y_true, label_smoothing):
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else y_true


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """``mean(-(y log p + (1 - y) log(1 - p)), axis)`` with ``p`` clipped to
    ``[1e-7, 1 - 1e-7]`` (or from logits, stably).

    As in Keras, nothing is range-checked: a prediction outside [0, 1] is
    clipped, a target outside [0, 1] (a -1/1 label) is used as given, and a NaN
    prediction gives a NaN loss. PyTorch's ``binary_cross_entropy``
    (``ndgrad.nn.functional``, ``nn.BCELoss``) refuses all three.

    Example:
        >>> from ndgrad.keras.losses import binary_crossentropy
        >>> round(binary_crossentropy([[1.0, 0.0]], [[0.5, 0.5]]).item(), 4)
        0.6931
        >>> round(binary_crossentropy([[1.0]], [[0.0]], from_logits=True).item(), 4)
        0.6931
    """
    y_true, y_pred = _pair(y_true, y_pred, "binary_crossentropy")
    y_true = _smoothed_binary(y_true, label_smoothing)
    if from_logits:
        return _mean_last((1 - y_true) * y_pred - log_sigmoid(y_pred), axis)
    p = clip(y_pred, EPSILON, 1.0 - EPSILON)
    return _mean_last(-(y_true * log(p) + (1 - y_true) * log(1 - p)), axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy scaled by ``(1 - p_t) ** gamma`` (and by ``alpha`` /
    ``1 - alpha`` with ``apply_class_balancing``), ``p_t`` the probability of the
    true label.

    Example:
        >>> from ndgrad.keras.losses import binary_focal_crossentropy
        >>> round(binary_focal_crossentropy([[1.0]], [[0.5]]).item(), 4)   # 0.25 * log 2
        0.1733
    """
    y_true, y_pred = _pair(y_true, y_pred, "binary_focal_crossentropy")
    y_true = _smoothed_binary(y_true, label_smoothing)
    if from_logits:
        y_pred = sigmoid(y_pred)
    p = clip(y_pred, EPSILON, 1.0 - EPSILON)
    cross_entropy = -(y_true * log(p) + (1 - y_true) * log(1 - p))
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = power(1.0 - p_t, float(gamma)) * cross_entropy
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return _mean_last(focal, axis)


def _categorical_pair(y_true, y_pred, name, axis):
    y_pred = _floating_tensor(y_pred)
    y_true = _floating_tensor(y_true, y_pred.dtype)
    if y_true.shape != y_pred.shape or y_pred.ndim == 0:
        raise ValueError(f"{name}: y_true shape {y_true.shape} must equal y_pred shape "
                         f"{y_pred.shape} (one-hot or probability targets); for integer labels "
                         "use sparse_categorical_crossentropy")
    if axis not in (-1, y_pred.ndim - 1):
        y_true, y_pred = moveaxis(y_true, axis, -1), moveaxis(y_pred, axis, -1)
    return y_true, y_pred


def _log_probabilities(y_pred, from_logits):
    """Log-probabilities along the last axis; probabilities are renormalized and
    clipped to [1e-7, 1 - 1e-7] first, as Keras does."""
    if from_logits:
        return log_softmax(y_pred, axis=-1)
    total = _sum(y_pred, axis=-1, keepdims=True)
    return log(clip(y_pred / total, EPSILON, 1.0 - EPSILON))


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """``-sum(y_true * log p, axis)`` for one-hot (or probability) targets.

    Example:
        >>> from ndgrad.keras.losses import categorical_crossentropy
        >>> round(categorical_crossentropy([[0.0, 1.0]], [[0.2, 0.8]]).item(), 4)
        0.2231
    """
    y_true, y_pred = _categorical_pair(y_true, y_pred, "categorical_crossentropy", axis)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[-1]
    return -_sum(y_true * _log_probabilities(y_pred, from_logits), axis=-1)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """``sum(-alpha (1 - p) ** gamma * y_true * log p, axis)``.

    Example:
        >>> from ndgrad.keras.losses import categorical_focal_crossentropy
        >>> round(categorical_focal_crossentropy([[0.0, 1.0]], [[0.5, 0.5]]).item(), 4)
        0.0433
    """
    y_true, y_pred = _categorical_pair(y_true, y_pred, "categorical_focal_crossentropy", axis)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[-1]
    if from_logits:
        y_pred = softmax(y_pred, axis=-1)
    probabilities = clip(y_pred / _sum(y_pred, axis=-1, keepdims=True), EPSILON, 1.0 - EPSILON)
    focal = alpha * power(1.0 - probabilities, float(gamma)) * (-y_true * log(probabilities))
    return _sum(focal, axis=-1)


def _integer_labels(y_true, y_pred, name):
    labels = np.asarray(data_of(y_true))
    if labels.ndim == y_pred.ndim and labels.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if labels.dtype.kind == "f":          # Keras accepts float labels holding integers
        if not np.array_equal(labels, np.round(labels)):
            raise ValueError(f"{name}: y_true must hold integer class labels; got "
                             f"non-integer values of dtype {labels.dtype}")
        labels = labels.astype(np.int64)
    if y_pred.ndim == 0 or labels.shape != y_pred.shape[:-1]:
        raise ValueError(f"{name}: y_true of shape {labels.shape} must be integer labels of "
                         f"shape {y_pred.shape[:-1]} for y_pred of shape {y_pred.shape}")
    classes = y_pred.shape[-1]
    if labels.dtype.kind not in "iu" or ((labels < 0) | (labels >= classes)).any():
        raise IndexError(f"{name}: y_true must hold class labels in [0, {classes}) for "
                         f"y_pred with {classes} classes; got dtype {labels.dtype}, values in "
                         f"[{labels.min() if labels.size else None}, "
                         f"{labels.max() if labels.size else None}]")
    return labels


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """``-log p[label]`` for integer labels (float labels holding integers accepted).

    Example:
        >>> from ndgrad.keras.losses import sparse_categorical_crossentropy
        >>> round(sparse_categorical_crossentropy([1], [[0.2, 0.8]]).item(), 4)
        0.2231
    """
    name = "sparse_categorical_crossentropy"
    if ignore_class is not None:
        raise NotImplementedError(f"{name}: ignore_class is not supported yet; give the ignored "
                                  "entries a sample_weight of 0 instead")
    y_pred = _floating_tensor(y_pred)
    if axis not in (-1, y_pred.ndim - 1):
        y_pred = moveaxis(y_pred, axis, -1)
    labels = _integer_labels(y_true, y_pred, name)
    ones = np.ones(labels.shape, dtype=y_pred.dtype)
    return _nll_indices(_log_probabilities(y_pred, from_logits), target=labels,
                        coefficients=ones, axis=y_pred.ndim - 1, reduction="none")
