"""keras.metrics against the values in Keras's documentation."""

import math

import numpy as np
import pytest

from ndgrad import keras
from ndgrad.keras import metrics

SOFT = ([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
ROUNDED = ([[0, 1], [0, 0]], [[1, 1], [0, 0]])
CLASSES = ([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
SCORES = ([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])

# (metric, y_true, y_pred, value, sample_weight, weighted value) from Keras's docs.
DOCUMENTED = [
    (metrics.Accuracy, [[1], [2], [3], [4]], [[0], [2], [3], [4]], 0.75, [1, 1, 0, 0], 0.5),
    (metrics.BinaryAccuracy, [[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], 0.75, [1, 0, 0, 1],
     0.5),
    (metrics.CategoricalAccuracy, *SCORES, 0.5, [0.7, 0.3], 0.3),
    (metrics.SparseCategoricalAccuracy, [[2], [1]], SCORES[1], 0.5, [0.7, 0.3], 0.3),
    (lambda: metrics.TopKCategoricalAccuracy(k=1), *SCORES, 0.5, [0.7, 0.3], 0.3),
    (lambda: metrics.SparseTopKCategoricalAccuracy(k=1), [2, 1], SCORES[1], 0.5, [0.7, 0.3],
     0.3),
    (metrics.Precision, [0, 1, 1, 1], [1, 0, 1, 1], 2 / 3, [0, 0, 1, 0], 1.0),
    (metrics.Recall, [0, 1, 1, 1], [1, 0, 1, 1], 2 / 3, [0, 0, 1, 0], 1.0),
    (metrics.TruePositives, [0, 1, 1, 1], [1, 0, 1, 1], 2.0, [0, 0, 1, 0], 1.0),
    (metrics.FalsePositives, [0, 1, 0, 0], [0, 0, 1, 1], 2.0, [0, 0, 1, 0], 1.0),
    (metrics.TrueNegatives, [0, 1, 0, 0], [1, 1, 0, 0], 2.0, [0, 0, 1, 0], 1.0),
    (metrics.FalseNegatives, [0, 1, 1, 1], [0, 1, 0, 0], 2.0, [0, 0, 1, 0], 1.0),
    (lambda: metrics.AUC(num_thresholds=3), [0, 0, 1, 1], [0, 0.5, 0.3, 0.9], 0.75,
     [1, 0, 0, 1], 1.0),
    (metrics.MeanSquaredError, *ROUNDED, 0.25, [1, 0], 0.5),
    (metrics.MeanAbsoluteError, *ROUNDED, 0.25, [1, 0], 0.5),
    (metrics.RootMeanSquaredError, *ROUNDED, 0.5, [1, 0], 0.70710677),
    (metrics.MeanAbsolutePercentageError, *ROUNDED, 250000000.0, [1, 0], 500000000.0),
    (metrics.MeanSquaredLogarithmicError, *ROUNDED, 0.12011322, [1, 0], 0.24022643),
    (metrics.CosineSimilarity, [[0, 1], [1, 1]], [[1, 0], [1, 1]], 0.49999997, [0.3, 0.7],
     0.6999999),
    (metrics.LogCoshError, *ROUNDED, 0.10844523, [1, 0], 0.21689045),
    (metrics.BinaryCrossentropy, *SOFT, 0.81492424, [1, 0], 0.9162905),
    (metrics.CategoricalCrossentropy, *CLASSES, 1.1769392, [0.3, 0.7], 1.6271976),
    (metrics.SparseCategoricalCrossentropy, [1, 2], CLASSES[1], 1.1769392, [0.3, 0.7],
     1.6271976),
    (metrics.Hinge, *SOFT, 1.3, [1, 0], 1.1),
    (metrics.SquaredHinge, *SOFT, 1.86, [1, 0], 1.46),
    (metrics.CategoricalHinge, *SOFT, 1.4, [1, 0], 1.2),
    (metrics.KLDivergence, *SOFT, 0.45814306, [1, 0], 0.9162892),
    (metrics.Poisson, *ROUNDED, 0.49999997, [1, 0], 0.99999994),
]


@pytest.mark.parametrize("make, y_true, y_pred, value, weights, weighted", DOCUMENTED,
                         ids=[getattr(row[0], "__name__", str(i)) for i, row in
                              enumerate(DOCUMENTED)])
def test_values_match_keras_documentation(make, y_true, y_pred, value, weights, weighted):
    metric = make()
    metric.update_state(y_true, y_pred)
    assert metric.result() == pytest.approx(value, rel=1e-5)
    metric.reset_state()
    metric.update_state(y_true, y_pred, sample_weight=weights)
    assert metric.result() == pytest.approx(weighted, rel=1e-5)


def test_mean_and_sum_accumulate_over_updates():
    mean, total = metrics.Mean(), metrics.Sum()
    mean.update_state([1, 3, 5, 7])
    total.update_state([1, 3, 5, 7])
    assert mean.result() == 4.0 and total.result() == 16.0
    mean.reset_state()
    mean.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert mean.result() == 2.0


def test_metric_names_dtype_and_results_format_as_numbers():
    metric = metrics.SparseCategoricalAccuracy(name="acc", dtype="float32")
    metric.update_state([1], [[0.2, 0.8]])
    assert metric.name == "acc" and f"{metric.result():.2f}" == "1.00"
    assert math.isclose(float(metric.result()), 1.0)


def test_a_custom_metric_subclass_works_in_compile():
    class Count(metrics.Metric):
        def __init__(self, name="count", **kwargs):
            super().__init__(name=name, **kwargs)

        def reset_state(self):
            self.seen = 0

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.seen += len(y_true)

        def result(self):
            return float(self.seen)

    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse", metrics=[Count(), "RootMeanSquaredError"])
    logs = model.evaluate(np.ones((6, 2)), np.ones((6, 1)), batch_size=4, verbose=0,
                          return_dict=True)
    assert logs["count"] == 6.0 and "root_mean_squared_error" in logs


def test_get_serialize_and_unsupported_names():
    assert metrics.get("mse").name == "mse"
    assert type(metrics.get("AUC")).__name__ == "AUC" and metrics.get("AUC").name == "auc"
    restored = metrics.deserialize(metrics.serialize(metrics.Mean(name="loss")))
    assert type(restored).__name__ == "Mean" and restored.name == "loss"
    with pytest.raises(AttributeError, match="keras.metrics.F1Score is not supported"):
        metrics.F1Score
    with pytest.raises(NotImplementedError, match="top_k is not supported yet"):
        metrics.Precision(top_k=2)
    with pytest.raises(NotImplementedError, match="multi_label"):
        metrics.AUC(multi_label=True)
