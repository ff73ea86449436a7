"""Metrics that average a loss (or a close relative) over the batches seen:
cross-entropies, KL divergence, Poisson, hinges, log-cosh, percentage and
logarithmic errors, cosine similarity, and the root mean squared error.

Each is the mean of the per-sample Keras loss of :mod:`ndgrad.nn.keras_losses`
(the one implementation of that loss), evaluated on detached NumPy values, so
a metric never records a graph.

Example:
    >>> from ndgrad.training.metrics import BinaryCrossentropy, RootMeanSquaredError
    >>> round(BinaryCrossentropy()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), 4)  # Keras's doc
    0.8149
    >>> RootMeanSquaredError()([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    0.5
"""

import math

import numpy as np

from ...autograd.mode import no_grad
from ...autograd.primitive import data_of
from ...nn import keras_losses
from .base import Mean, MeanMetricWrapper, as_array

__all__ = ["BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
           "KLDivergence", "Poisson", "Hinge", "SquaredHinge", "CategoricalHinge",
           "LogCoshError", "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError",
           "CosineSimilarity", "RootMeanSquaredError", "cosine_similarity"]


def _per_sample(loss, sign=1.0):
    """``loss`` (an ndgrad loss function) as a NumPy per-sample metric function."""
    def values(y_true, y_pred, **options):
        with no_grad():
            out = loss(np.asarray(y_true, dtype=np.float64 if y_true.dtype.kind != "f"
                                  else y_true.dtype), y_pred.astype(np.float64, copy=False),
                       **options)
        return sign * np.asarray(data_of(out), dtype=np.float64)
    values.__name__ = loss.__name__
    return values


def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine of the angle between each sample's label and prediction vectors
    (1 when they point the same way; the negative of the loss of the same name).

    Example:
        >>> from ndgrad.training.metrics import cosine_similarity
        >>> cosine_similarity([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]]).round(6).tolist()
        [0.0, 1.0]
    """
    return _per_sample(keras_losses.cosine_similarity, -1.0)(as_array(y_true), as_array(y_pred),
                                                            axis=axis)


def _wrapper(class_name, loss, default_name, direction, doc, sign=1.0):
    per_sample = _per_sample(loss, sign)

    def __init__(self, name=default_name, dtype=None, **options):
        MeanMetricWrapper.__init__(self, per_sample, name=name, direction=direction,
                                   dtype=dtype, **options)
    return type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__doc__": doc,
                                                   "__module__": __name__})


BinaryCrossentropy = _wrapper("BinaryCrossentropy", keras_losses.binary_crossentropy,
                              "binary_crossentropy", "down", """
    Mean binary cross-entropy; options ``from_logits``, ``label_smoothing``.

    Example:
        >>> from ndgrad.training.metrics import BinaryCrossentropy
        >>> round(BinaryCrossentropy(from_logits=True)([[1.0]], [[0.0]]), 4)
        0.6931
    """)
CategoricalCrossentropy = _wrapper("CategoricalCrossentropy",
                                   keras_losses.categorical_crossentropy,
                                   "categorical_crossentropy", "down", """
    Mean categorical cross-entropy of one-hot labels.

    Example:
        >>> from ndgrad.training.metrics import CategoricalCrossentropy
        >>> y_true, y_pred = [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
        >>> round(CategoricalCrossentropy()(y_true, y_pred), 4)          # Keras's doc: 1.1769
        1.1769
    """)
SparseCategoricalCrossentropy = _wrapper("SparseCategoricalCrossentropy",
                                         keras_losses.sparse_categorical_crossentropy,
                                         "sparse_categorical_crossentropy", "down", """
    Mean cross-entropy of integer labels.

    Example:
        >>> from ndgrad.training.metrics import SparseCategoricalCrossentropy
        >>> round(SparseCategoricalCrossentropy()([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]), 4)
        1.1769
    """)
KLDivergence = _wrapper("KLDivergence", keras_losses.kl_divergence, "kl_divergence", "down", """
    Mean Kullback-Leibler divergence.

    Example:
        >>> from ndgrad.training.metrics import KLDivergence
        >>> round(KLDivergence()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), 4)   # Keras's doc
        0.4581
    """)
Poisson = _wrapper("Poisson", keras_losses.poisson, "poisson", "down", """
    Mean Poisson loss ``y_pred - y_true * log(y_pred)``.

    Example:
        >>> from ndgrad.training.metrics import Poisson
        >>> round(Poisson()([[0, 1], [0, 0]], [[1, 1], [0, 0]]), 4)                # Keras's doc
        0.5
    """)
Hinge = _wrapper("Hinge", keras_losses.hinge, "hinge", "down", """
    Mean hinge loss.

    Example:
        >>> from ndgrad.training.metrics import Hinge
        >>> round(Hinge()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), 4)          # Keras's doc
        1.3
    """)
SquaredHinge = _wrapper("SquaredHinge", keras_losses.squared_hinge, "squared_hinge", "down", """
    Mean squared hinge loss.

    Example:
        >>> from ndgrad.training.metrics import SquaredHinge
        >>> round(SquaredHinge()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), 4)   # Keras's doc
        1.86
    """)
CategoricalHinge = _wrapper("CategoricalHinge", keras_losses.categorical_hinge,
                            "categorical_hinge", "down", """
    Mean categorical hinge loss.

    Example:
        >>> from ndgrad.training.metrics import CategoricalHinge
        >>> round(CategoricalHinge()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), 4)  # doc
        1.4
    """)
LogCoshError = _wrapper("LogCoshError", keras_losses.log_cosh, "logcosh", "down", """
    Mean of ``log(cosh(y_pred - y_true))``.

    Example:
        >>> from ndgrad.training.metrics import LogCoshError
        >>> round(LogCoshError()([[0, 1], [0, 0]], [[1, 1], [0, 0]]), 4)           # Keras's doc
        0.1084
    """)
MeanAbsolutePercentageError = _wrapper(
    "MeanAbsolutePercentageError", keras_losses.mean_absolute_percentage_error,
    "mean_absolute_percentage_error", "down", """
    Mean absolute percentage error.

    Example:
        >>> from ndgrad.training.metrics import MeanAbsolutePercentageError
        >>> round(MeanAbsolutePercentageError()([[0, 1], [0, 0]], [[1, 1], [0, 0]]), 1)  # doc
        250000000.0
    """)
MeanSquaredLogarithmicError = _wrapper(
    "MeanSquaredLogarithmicError", keras_losses.mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", "down", """
    Mean squared logarithmic error.

    Example:
        >>> from ndgrad.training.metrics import MeanSquaredLogarithmicError
        >>> round(MeanSquaredLogarithmicError()([[0, 1], [0, 0]], [[1, 1], [0, 0]]), 4)  # doc
        0.1201
    """)


class CosineSimilarity(MeanMetricWrapper):
    """Mean cosine similarity between label and prediction vectors.

    Args:
        name: default ``"cosine_similarity"``.
        axis: the axis of the vectors (default -1).

    Example:
        >>> from ndgrad.training.metrics import CosineSimilarity
        >>> round(CosineSimilarity()([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]]), 6)  # doc
        0.5
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """The square root of the (weighted) mean of squared errors over every element.

    Args:
        name: default ``"root_mean_squared_error"``.

    Example:
        >>> from ndgrad.training.metrics import RootMeanSquaredError
        >>> RootMeanSquaredError()([[0, 1], [0, 0]], [[1, 1], [0, 0]])                # Keras's doc
        0.5
    """

    direction = "down"

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add the batch's squared errors."""
        y_true = as_array(y_true).astype(np.float64, copy=False)
        y_pred = as_array(y_pred).astype(np.float64, copy=False)
        if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
            y_true = y_true[..., 0]
        elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
            y_pred = y_pred[..., 0]
        super().update_state(np.square(y_pred - y_true), sample_weight)

    def result(self):
        """``sqrt(total / count)``; 0.0 before any value."""
        return math.sqrt(super().result())
