"""``keras.metrics``: ndgrad's metrics (:mod:`ndgrad.training.metrics`) under
Keras 3's names, with ``get``, ``serialize`` and ``deserialize``.

A metric is stateful: ``update_state(y_true, y_pred, sample_weight=None)``
adds a batch, ``result()`` gives the value over every batch since
``reset_state()``. Results are Python floats (format them with ``f"{m.result():.4f}"``
or ``float(...)``). Metrics read detached values: they never record a graph.

Example:
    >>> from ndgrad.keras import metrics
    >>> m = metrics.SparseCategoricalAccuracy()
    >>> m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])   # Keras's doc
    >>> m.result()
    0.5
    >>> m.reset_state(); m.result()
    0.0
"""

from ..training import metrics as _core
from ..training.metrics import (AUC, Accuracy, BinaryAccuracy, BinaryCrossentropy,
                                CategoricalAccuracy, CategoricalCrossentropy, CategoricalHinge,
                                CosineSimilarity, FalseNegatives, FalsePositives, Hinge,
                                KLDivergence, LogCoshError, Mean, MeanAbsoluteError,
                                MeanAbsolutePercentageError, MeanMetricWrapper,
                                MeanSquaredError, MeanSquaredLogarithmicError, Metric, Poisson,
                                Precision, Recall, RootMeanSquaredError,
                                SparseCategoricalAccuracy, SparseCategoricalCrossentropy,
                                SparseTopKCategoricalAccuracy, SquaredHinge, Sum,
                                TopKCategoricalAccuracy, TrueNegatives, TruePositives,
                                binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
                                sparse_top_k_categorical_accuracy, top_k_categorical_accuracy)
from . import losses as _losses
from ._unsupported import module_getattr

# Keras exports the loss functions under keras.metrics too (per-sample values).
mean_squared_error = _losses.mean_squared_error
mean_absolute_error = _losses.mean_absolute_error
mean_absolute_percentage_error = _losses.mean_absolute_percentage_error
mean_squared_logarithmic_error = _losses.mean_squared_logarithmic_error
binary_crossentropy = _losses.binary_crossentropy
categorical_crossentropy = _losses.categorical_crossentropy
sparse_categorical_crossentropy = _losses.sparse_categorical_crossentropy
kl_divergence = _losses.kl_divergence
poisson = _losses.poisson
hinge = _losses.hinge
squared_hinge = _losses.squared_hinge
categorical_hinge = _losses.categorical_hinge
log_cosh = _losses.log_cosh
huber = _losses.huber

_CLASSES = {cls.__name__: cls for cls in (
    AUC, Accuracy, BinaryAccuracy, BinaryCrossentropy, CategoricalAccuracy,
    CategoricalCrossentropy, CategoricalHinge, CosineSimilarity, FalseNegatives, FalsePositives,
    Hinge, KLDivergence, LogCoshError, Mean, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanMetricWrapper, MeanSquaredError, MeanSquaredLogarithmicError, Metric, Poisson, Precision,
    Recall, RootMeanSquaredError, SparseCategoricalAccuracy, SparseCategoricalCrossentropy,
    SparseTopKCategoricalAccuracy, SquaredHinge, Sum, TopKCategoricalAccuracy, TrueNegatives,
    TruePositives)}

__all__ = sorted(_CLASSES) + [
    "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
    "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "mean_squared_error",
    "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
    "kl_divergence", "poisson", "hinge", "squared_hinge", "categorical_hinge", "log_cosh",
    "huber", "get", "serialize", "deserialize"]


def get(identifier):
    """A metric from a name (``"accuracy"`` needs the data: see
    ``ndgrad.training.metrics.get``), a class name, a metric, or a function.

    Example:
        >>> from ndgrad.keras.metrics import get
        >>> get("mae").name, type(get("AUC")).__name__
        ('mae', 'AUC')
    """
    if isinstance(identifier, dict):
        return deserialize(identifier)
    return _core.get(identifier)


def serialize(metric):
    """``{"class_name", "config"}`` for a metric: its class and name.

    Example:
        >>> from ndgrad.training import Mean
        >>> from ndgrad.keras.metrics import serialize
        >>> serialize(Mean(name="loss"))
        {'class_name': 'Mean', 'config': {'name': 'loss'}}
    """
    return {"class_name": type(metric).__name__, "config": {"name": metric.name}}


def deserialize(config, custom_objects=None):
    """The metric that :func:`serialize` describes (``custom_objects`` for yours).

    Example:
        >>> from ndgrad.keras.metrics import deserialize
        >>> deserialize({"class_name": "Mean", "config": {"name": "loss"}}).name
        'loss'
    """
    classes = dict(_CLASSES, **(custom_objects or {}))
    cls = classes.get(config.get("class_name"))
    if cls is None:
        raise ValueError(f"metrics.deserialize: unknown class {config.get('class_name')!r}; "
                         "pass custom_objects={...} for your own")
    return cls(**dict(config.get("config") or {}))


_LATER = "not implemented yet; compute it from TruePositives/FalsePositives/... or NumPy"
__getattr__ = module_getattr("keras.metrics", dict.fromkeys(
    ("F1Score", "FBetaScore", "IoU", "MeanIoU", "BinaryIoU", "OneHotIoU", "OneHotMeanIoU",
     "PrecisionAtRecall", "RecallAtPrecision", "SensitivityAtSpecificity",
     "SpecificityAtSensitivity", "R2Score", "PearsonCorrelation", "ConcordanceCorrelation",
     "pearson_correlation", "concordance_correlation"), _LATER))
