"""compile(): metrics exist from the start, weighted vs unweighted metrics, loss
functions reduced as Keras does, nested results flattened in the logs."""

import numpy as np
import pytest

import ndgrad
from ndgrad.training.metrics import AutoAccuracy, CompiledMetrics


def dense_model(units=1, inputs=2):
    return ndgrad.Sequential([ndgrad.layers.Dense(units, input_shape=(inputs,),
                                                  kernel_initializer="ones")])


def test_accuracy_stands_in_until_the_first_batch_then_is_replaced():
    compiled = CompiledMetrics(["accuracy", "mae"])
    placeholder = compiled.metrics[0]
    assert isinstance(placeholder, AutoAccuracy) and not compiled.built
    placeholder.update_state(np.array([[1.0], [0.0]]), np.array([[0.9], [0.8]]))
    assert type(compiled.metrics[0]).__name__ == "BinaryAccuracy" and compiled.built
    assert placeholder.result() == compiled.metrics[0].result() == 0.5
    compiled.reset_state()
    assert placeholder.result() == 0.0


def test_metrics_ignore_sample_weights_and_weighted_metrics_use_them():
    x = np.ones((4, 2), np.float32)
    y = np.array([[2.0], [2.0], [6.0], [6.0]], np.float32)     # prediction is 2
    weights = np.array([1.0, 1.0, 0.0, 0.0], np.float32)
    model = dense_model()
    model.compile(optimizer="sgd", loss="mae", metrics=["mae"],
                  weighted_metrics=[ndgrad.training.metrics.MeanAbsoluteError(name="wmae")])
    logs = model.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True)
    assert logs["mae"] == 2.0 and logs["wmae"] == 0.0 and logs["loss"] == 0.0


def test_a_loss_function_returning_per_sample_values_is_averaged_with_weights():
    def squared(y_true, y_pred):
        return ndgrad.sum((y_pred - y_true) ** 2, axis=-1)

    x = np.ones((2, 2), np.float32)
    y = np.array([[0.0], [1.0]], np.float32)        # per-sample losses 4 and 1
    model = dense_model()
    model.compile(optimizer="sgd", loss=squared)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(2.5)
    assert model.evaluate(x, y, sample_weight=np.array([1.0, 0.0]), verbose=0) == \
        pytest.approx(2.0)


def test_metric_results_that_are_dicts_are_flattened_in_the_logs():
    class Pair(ndgrad.training.metrics.Metric):
        def reset_state(self):
            self.seen = 0

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.seen += 1

        def result(self):
            return {"first": 1.0, "second": float(self.seen)}

    class Model(ndgrad.Model):
        def __init__(self):
            super().__init__()
            self.dense = ndgrad.layers.Dense(1)
            self.pair = Pair(name="pair")

        def call(self, inputs):
            return self.dense(inputs)

    model = Model()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(np.ones((4, 2)), np.ones((4, 1)), batch_size=2, verbose=0)
    assert sorted(history.history) == ["first", "loss", "second"]
    assert model.get_metrics_result()["second"] == 0.0       # untouched by the default step
