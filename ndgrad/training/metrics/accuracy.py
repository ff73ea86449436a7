"""Accuracy metrics (Keras's names), as NumPy functions and as metric classes.

Each function takes NumPy arrays (or tensors, read without a graph) and
returns one value per sample; the class of the same name averages them over
the batches of an epoch. Which accuracy the name ``"accuracy"`` means is
decided from the shapes (and the loss) in :mod:`ndgrad.training.metrics.registry`.

- sparse categorical: integer labels ``(N,)`` against scores ``(N, C)``;
- categorical: one-hot ``(N, C)`` against scores ``(N, C)``;
- binary: 0/1 labels against probabilities, thresholded at 0.5;
- top-k: the label is among the ``k`` highest scores (ties at the boundary
  count as in, as TensorFlow's ``in_top_k``).

Example:
    >>> import numpy as np
    >>> from ndgrad.training.metrics import sparse_categorical_accuracy
    >>> scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    >>> sparse_categorical_accuracy([1, 1, 1], scores).tolist()
    [1.0, 0.0, 1.0]
"""

import numpy as np

from .base import MeanMetricWrapper, as_array

__all__ = ["accuracy", "Accuracy", "sparse_categorical_accuracy", "categorical_accuracy",
           "binary_accuracy", "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy",
           "SparseCategoricalAccuracy", "CategoricalAccuracy", "BinaryAccuracy",
           "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy"]


def _sparse_labels(y_true, y_pred, name):
    """Integer labels of shape ``y_pred.shape[:-1]`` (a trailing axis of 1 dropped)."""
    y_true, y_pred = as_array(y_true), as_array(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    if y_pred.ndim == 0 or y_true.shape != y_pred.shape[:-1]:
        raise ValueError(f"{name}: y_true of shape {y_true.shape} must hold one class label "
                         f"per row of y_pred of shape {y_pred.shape} (labels of shape "
                         f"{y_pred.shape[:-1]}); for one-hot labels use categorical_accuracy")
    return y_true, y_pred


def _same_shape(y_true, y_pred, name):
    y_true, y_pred = as_array(y_true), as_array(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{name}: y_true of shape {y_true.shape} must have the shape of "
                         f"y_pred {y_pred.shape} (one-hot labels); for integer labels use "
                         "sparse_categorical_accuracy")
    return y_true, y_pred


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the highest score of a row is at its integer label, else 0.0.

    Args:
        y_true: class labels, shape ``(N,)`` or ``(N, 1)``.
        y_pred: scores (probabilities or logits), shape ``(N, C)``.

    Example:
        >>> from ndgrad.training.metrics import sparse_categorical_accuracy
        >>> sparse_categorical_accuracy([[0], [1]], [[0.6, 0.4], [0.7, 0.3]]).tolist()
        [1.0, 0.0]
    """
    y_true, y_pred = _sparse_labels(y_true, y_pred, "sparse_categorical_accuracy")
    return (np.argmax(y_pred, axis=-1) == y_true).astype(np.float32)


def categorical_accuracy(y_true, y_pred):
    """1.0 where the highest score and the one-hot label point at the same class.

    Args:
        y_true: one-hot (or probability) labels, shape ``(N, C)``.
        y_pred: scores, shape ``(N, C)``.

    Example:
        >>> from ndgrad.training.metrics import categorical_accuracy
        >>> categorical_accuracy([[0, 1], [1, 0]], [[0.2, 0.8], [0.1, 0.9]]).tolist()
        [1.0, 0.0]
    """
    y_true, y_pred = _same_shape(y_true, y_pred, "categorical_accuracy")
    return (np.argmax(y_pred, axis=-1) == np.argmax(y_true, axis=-1)).astype(np.float32)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """How often ``y_pred > threshold`` equals the 0/1 label, per sample.

    For 2-D and larger inputs the matches are averaged over the last axis (one
    value per sample, as Keras); 1-D inputs give one value per element.

    Args:
        y_true: 0/1 labels, the shape of ``y_pred`` (a trailing axis of 1 may differ).
        y_pred: probabilities.
        threshold: the decision threshold (default 0.5).

    Example:
        >>> from ndgrad.training.metrics import binary_accuracy
        >>> binary_accuracy([1, 0, 1], [0.9, 0.4, 0.2]).tolist()
        [1.0, 1.0, 0.0]
    """
    y_true, y_pred = as_array(y_true), as_array(y_pred)
    if y_true.shape != y_pred.shape:
        if y_true.size != y_pred.size:
            raise ValueError(f"binary_accuracy: y_true of shape {y_true.shape} does not match "
                             f"y_pred of shape {y_pred.shape}; give one 0/1 label per "
                             "prediction")
        y_true = y_true.reshape(y_pred.shape)
    matches = (y_true == (y_pred > threshold)).astype(np.float32)
    return matches.mean(axis=-1) if matches.ndim >= 2 else matches


def _in_top_k(scores, labels, k):
    """Whether each row's label is among its ``k`` highest scores (ties count in)."""
    flat_scores = scores.reshape(-1, scores.shape[-1])
    flat_labels = labels.reshape(-1).astype(np.int64)
    classes = flat_scores.shape[-1]
    if flat_labels.size and (flat_labels.min() < 0 or flat_labels.max() >= classes):
        raise IndexError(f"top-k accuracy: labels must be in [0, {classes}) for scores with "
                         f"{classes} classes; got values in [{flat_labels.min()}, "
                         f"{flat_labels.max()}]")
    target = flat_scores[np.arange(flat_labels.size), flat_labels][:, None]
    return ((flat_scores > target).sum(axis=-1) < k).astype(np.float32).reshape(labels.shape)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the integer label is among the ``k`` highest scores of its row.

    Args:
        y_true: class labels, shape ``(N,)`` or ``(N, 1)``.
        y_pred: scores, shape ``(N, C)``.
        k: how many of the highest scores count (default 5).

    Example:
        >>> from ndgrad.training.metrics import sparse_top_k_categorical_accuracy
        >>> sparse_top_k_categorical_accuracy([2, 0], [[0.1, 0.5, 0.4], [0.1, 0.5, 0.4]],
        ...                                   k=2).tolist()
        [1.0, 0.0]
    """
    y_true, y_pred = _sparse_labels(y_true, y_pred, "sparse_top_k_categorical_accuracy")
    return _in_top_k(y_pred, y_true, k)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot label's class is among the ``k`` highest scores.

    Args:
        y_true: one-hot labels, shape ``(N, C)``.
        y_pred: scores, shape ``(N, C)``.
        k: how many of the highest scores count (default 5).

    Example:
        >>> from ndgrad.training.metrics import top_k_categorical_accuracy
        >>> top_k_categorical_accuracy([[0, 0, 1]], [[0.5, 0.3, 0.2]], k=2).tolist()
        [0.0]
    """
    y_true, y_pred = _same_shape(y_true, y_pred, "top_k_categorical_accuracy")
    return _in_top_k(y_pred, np.argmax(y_true, axis=-1), k)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """Mean of :func:`sparse_categorical_accuracy` over the batches seen.

    Args:
        name: default ``"sparse_categorical_accuracy"``.

    Example:
        >>> from ndgrad.training.metrics import SparseCategoricalAccuracy
        >>> SparseCategoricalAccuracy()([1, 0], [[0.2, 0.8], [0.3, 0.7]])
        0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class CategoricalAccuracy(MeanMetricWrapper):
    """Mean of :func:`categorical_accuracy` over the batches seen.

    Args:
        name: default ``"categorical_accuracy"``.

    Example:
        >>> from ndgrad.training.metrics import CategoricalAccuracy
        >>> CategoricalAccuracy()([[0, 1]], [[0.2, 0.8]])
        1.0
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """Mean of :func:`binary_accuracy` over the batches seen.

    Args:
        name: default ``"binary_accuracy"``.
        threshold: the decision threshold (default 0.5).

    Example:
        >>> from ndgrad.training.metrics import BinaryAccuracy
        >>> BinaryAccuracy()([[1], [0], [1], [1]], [[0.9], [0.8], [0.6], [0.1]])
        0.5
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=float(threshold))


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """Mean of :func:`top_k_categorical_accuracy` over the batches seen.

    Args:
        k: how many of the highest scores count (default 5).
        name: default ``"top_k_categorical_accuracy"``.

    Example:
        >>> from ndgrad.training.metrics import TopKCategoricalAccuracy
        >>> TopKCategoricalAccuracy(k=1)([[0, 1]], [[0.3, 0.7]])
        1.0
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype,
                         k=_positive_k(k, name))


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """Mean of :func:`sparse_top_k_categorical_accuracy` over the batches seen.

    Args:
        k: how many of the highest scores count (default 5).
        name: default ``"sparse_top_k_categorical_accuracy"``.

    Example:
        >>> from ndgrad.training.metrics import SparseTopKCategoricalAccuracy
        >>> SparseTopKCategoricalAccuracy(k=2)([0, 2], [[0.5, 0.3, 0.2], [0.5, 0.3, 0.2]])
        0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype,
                         k=_positive_k(k, name))


def accuracy(y_true, y_pred):
    """1.0 where the prediction equals the label exactly, else 0.0 (per element).

    Example:
        >>> from ndgrad.training.metrics import accuracy
        >>> accuracy([[1], [2], [3], [4]], [[0], [2], [3], [4]]).tolist()
        [[0.0], [1.0], [1.0], [1.0]]
    """
    y_true, y_pred = as_array(y_true), as_array(y_pred)
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_pred = y_pred[..., 0]
    return (y_true == y_pred).astype(np.float64)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly (Keras's ``Accuracy``; for
    class scores use the categorical accuracies).

    Args:
        name: default ``"accuracy"``.

    Example:
        >>> from ndgrad.training.metrics import Accuracy
        >>> Accuracy()([[1], [2], [3], [4]], [[0], [2], [3], [4]])          # Keras's doc
        0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


def _positive_k(k, name):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"{name}: k must be a positive int; got {k!r}")
    return int(k)
