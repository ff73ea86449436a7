"""Metrics for ``compile(metrics=[...])``: stateful, computed with NumPy on
detached values, named as in Keras.

Example:
    >>> import numpy as np
    >>> from ndgrad.training import metrics
    >>> accuracy = metrics.SparseCategoricalAccuracy()
    >>> accuracy.update_state([0, 1, 1], np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]))
    >>> round(accuracy.result(), 4)
    0.6667
"""

from .accuracy import (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                       SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, binary_accuracy,
                       categorical_accuracy, sparse_categorical_accuracy,
                       sparse_top_k_categorical_accuracy, top_k_categorical_accuracy, accuracy)
from .base import Mean, MeanMetricWrapper, Metric, Sum, as_array
from .confusion import (AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives,
                        TruePositives)
from .loss_metrics import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge,
                           CosineSimilarity, Hinge, KLDivergence, LogCoshError,
                           MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Poisson,
                           RootMeanSquaredError, SparseCategoricalCrossentropy, SquaredHinge,
                           cosine_similarity)
from .registry import AutoAccuracy, CompiledMetrics, accuracy_kind, get
from .regression import (MeanAbsoluteError, MeanSquaredError, mean_absolute_error,
                         mean_squared_error)

mse = mean_squared_error
mae = mean_absolute_error

__all__ = ["Metric", "Mean", "Sum", "Accuracy", "accuracy", "MeanMetricWrapper",
           "SparseCategoricalAccuracy", "CategoricalAccuracy", "BinaryAccuracy",
           "TopKCategoricalAccuracy",
           "SparseTopKCategoricalAccuracy", "MeanSquaredError", "MeanAbsoluteError",
           "Precision", "Recall", "AUC", "sparse_categorical_accuracy", "categorical_accuracy",
           "binary_accuracy", "top_k_categorical_accuracy",
           "sparse_top_k_categorical_accuracy", "mean_squared_error", "mean_absolute_error",
           "mse", "mae", "TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives",
           "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
           "KLDivergence", "Poisson", "Hinge", "SquaredHinge", "CategoricalHinge", "LogCoshError",
           "MeanAbsolutePercentageError", "MeanSquaredLogarithmicError", "CosineSimilarity",
           "RootMeanSquaredError", "cosine_similarity", "get", "accuracy_kind", "AutoAccuracy",
           "CompiledMetrics", "as_array"]
