"""Metrics against scikit-learn and hand-computed values."""

import numpy as np
import pytest

import ndgrad
from ndgrad.training import metrics

sklearn_metrics = pytest.importorskip("sklearn.metrics")


@pytest.fixture
def scores(rng):
    logits = rng.normal(size=(300, 7))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = rng.integers(0, 7, size=300)
    return labels, probabilities.astype(np.float32)


def batched(metric, y_true, y_pred, size=64, sample_weight=None):
    """Feed the data in batches, as fit does."""
    for start in range(0, len(y_true), size):
        part = slice(start, start + size)
        metric.update_state(y_true[part], y_pred[part],
                            sample_weight=None if sample_weight is None
                            else sample_weight[part])
    return metric.result()


def test_sparse_and_categorical_accuracy_match_sklearn(scores):
    labels, probabilities = scores
    expected = sklearn_metrics.accuracy_score(labels, probabilities.argmax(axis=1))
    assert batched(metrics.SparseCategoricalAccuracy(), labels, probabilities) == \
        pytest.approx(expected)
    assert batched(metrics.SparseCategoricalAccuracy(), labels[:, None], probabilities) == \
        pytest.approx(expected)
    one_hot = np.eye(7)[labels]
    assert batched(metrics.CategoricalAccuracy(), one_hot, probabilities) == \
        pytest.approx(expected)


def test_accuracy_with_sample_weights_matches_sklearn(scores, rng):
    labels, probabilities = scores
    weights = rng.random(300)
    expected = sklearn_metrics.accuracy_score(labels, probabilities.argmax(axis=1),
                                              sample_weight=weights)
    assert batched(metrics.SparseCategoricalAccuracy(), labels, probabilities,
                   sample_weight=weights) == pytest.approx(expected)


def test_top_k_matches_sklearn(scores):
    labels, probabilities = scores
    for k in (1, 3, 5):
        expected = sklearn_metrics.top_k_accuracy_score(labels, probabilities, k=k,
                                                        labels=np.arange(7))
        assert batched(metrics.SparseTopKCategoricalAccuracy(k=k), labels, probabilities) == \
            pytest.approx(expected)
        assert batched(metrics.TopKCategoricalAccuracy(k=k), np.eye(7)[labels],
                       probabilities) == pytest.approx(expected)


def test_top_k_counts_ties_at_the_boundary_as_in():
    assert metrics.sparse_top_k_categorical_accuracy(
        [2], [[0.5, 0.25, 0.25]], k=2).tolist() == [1.0]


def test_binary_accuracy_thresholds_at_one_half(rng):
    labels = rng.integers(0, 2, size=(200, 1))
    probabilities = rng.random((200, 1))
    expected = sklearn_metrics.accuracy_score(labels[:, 0], probabilities[:, 0] > 0.5)
    assert batched(metrics.BinaryAccuracy(), labels, probabilities) == pytest.approx(expected)
    assert metrics.binary_accuracy([1, 0], [0.5, 0.5]).tolist() == [0.0, 1.0]
    assert metrics.BinaryAccuracy(threshold=0.3)([[1]], [[0.4]]) == 1.0


def test_mse_and_mae_match_sklearn(rng):
    y_true, y_pred = rng.normal(size=(100, 3)), rng.normal(size=(100, 3))
    assert batched(metrics.MeanSquaredError(), y_true, y_pred, size=30) == \
        pytest.approx(sklearn_metrics.mean_squared_error(y_true, y_pred))
    assert batched(metrics.MeanAbsoluteError(), y_true, y_pred, size=30) == \
        pytest.approx(sklearn_metrics.mean_absolute_error(y_true, y_pred))
    # (N, 1) against (N,) is matched, not broadcast to N x N.
    assert metrics.mean_squared_error(y_true[:, 0], y_pred[:, :1]).shape == (100,)
    with pytest.raises(ValueError, match="mean_squared_error: y_true of shape"):
        metrics.mean_squared_error(np.zeros(3), np.zeros(4))


def test_precision_and_recall_match_sklearn(rng):
    labels = rng.integers(0, 2, size=500)
    probabilities = np.clip(labels * 0.3 + rng.random(500) * 0.7, 0, 1)
    predicted = probabilities > 0.5
    assert batched(metrics.Precision(), labels, probabilities) == \
        pytest.approx(sklearn_metrics.precision_score(labels, predicted))
    assert batched(metrics.Recall(), labels, probabilities) == \
        pytest.approx(sklearn_metrics.recall_score(labels, predicted))
    weights = rng.random(500)
    assert batched(metrics.Precision(), labels, probabilities, sample_weight=weights) == \
        pytest.approx(sklearn_metrics.precision_score(labels, predicted, sample_weight=weights))


def test_precision_recall_with_several_thresholds_and_class_id():
    assert metrics.Precision(thresholds=[0.3, 0.7])([1, 0, 1], [0.8, 0.5, 0.4]) == [2 / 3, 1.0]
    one_hot = np.array([[1, 0], [0, 1], [0, 1]])
    scores = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]])
    assert metrics.Recall(class_id=1)(one_hot, scores) == 0.5
    assert metrics.Precision()([0, 0], [0.1, 0.2]) == 0.0          # nothing predicted


def test_auc_matches_sklearn_within_one_hundredth(rng):
    for separation in (0.0, 0.3, 1.0):
        labels = rng.integers(0, 2, size=1000)
        probabilities = 1 / (1 + np.exp(-(rng.normal(size=1000) + separation * 3 * labels)))
        auc = batched(metrics.AUC(), labels, probabilities, size=128)
        assert auc == pytest.approx(sklearn_metrics.roc_auc_score(labels, probabilities),
                                    abs=1e-2)


def test_auc_from_logits_and_weights(rng):
    labels = rng.integers(0, 2, size=400)
    logits = rng.normal(size=400) + labels
    weights = rng.random(400)
    expected = sklearn_metrics.roc_auc_score(labels, logits, sample_weight=weights)
    metric = metrics.AUC(from_logits=True)
    assert batched(metric, labels, logits, sample_weight=weights) == \
        pytest.approx(expected, abs=1e-2)
    metric.reset_state()
    assert metric.result() == 0.0
    with pytest.raises(ValueError, match="curve 'PR' is not implemented"):
        metrics.AUC(curve="PR")


def test_mean_and_custom_function_metrics():
    mean = metrics.Mean()
    mean.update_state(ndgrad.tensor([1.0, 2.0, 3.0]))
    mean.update_state(np.array([10.0]), sample_weight=[2.0])
    assert mean.result() == pytest.approx((1 + 2 + 3 + 20) / 5)

    def absolute_gap(y_true, y_pred):
        return np.abs(y_true - y_pred)

    wrapped = metrics.get(absolute_gap)
    assert wrapped.name == "absolute_gap"
    assert wrapped([1.0, 2.0], [2.0, 2.0]) == 0.5


def test_metrics_read_tensors_without_recording_a_gradient_break():
    w = ndgrad.Variable([[0.2, 0.8]])
    prediction = w * 1.0                        # requires grad
    metrics.SparseCategoricalAccuracy()([1], prediction)
    assert ndgrad.gradient_breaks() == []


@pytest.mark.parametrize("y_true_shape, y_pred_shape, loss, kind", [
    ((8,), (8, 10), None, "sparse"),
    ((8, 1), (8, 10), None, "sparse"),
    ((8, 10), (8, 10), None, "categorical"),
    ((8, 1), (8, 1), None, "binary"),
    ((8,), (8,), "binary_crossentropy", "binary"),
    ((8,), (8,), "mse", "binary"),
    ((8, 3), (8, 3), "binary_crossentropy", "binary"),
    ((8, 3), (8, 3), "categorical_crossentropy", "categorical"),
])
def test_accuracy_name_resolves_from_shapes_and_loss(y_true_shape, y_pred_shape, loss, kind):
    assert metrics.accuracy_kind(y_true_shape, y_pred_shape, loss) == kind


def test_compiled_accuracy_names_follow_the_user_spelling(digits):
    (x_train, y_train), _ = digits
    model = ndgrad.Sequential([ndgrad.layers.Dense(10, activation="softmax",
                                                   input_shape=(64,))])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["acc", "sparse_top_k_categorical_accuracy"])
    logs = model.evaluate(x_train[:50], y_train[:50], verbose=0, return_dict=True)
    assert list(logs) == ["loss", "acc", "sparse_top_k_categorical_accuracy"]
    assert type(model.metrics[1]).__name__ == "SparseCategoricalAccuracy"
    assert model.metrics[2].direction == "up"


def test_binary_model_reports_auc_precision_recall_as_sklearn(rng):
    x = rng.normal(size=(200, 4)).astype(np.float32)
    y = (x[:, 0] + 0.5 * rng.normal(size=200) > 0).astype(np.float32)[:, None]
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, activation="sigmoid", input_shape=(4,))])
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=["accuracy", "auc", "precision", metrics.Recall(name="rec")])
    logs = model.evaluate(x, y, batch_size=50, verbose=0, return_dict=True)
    probabilities = model.predict(x, verbose=0)[:, 0]
    assert type(model.metrics[1]).__name__ == "BinaryAccuracy"
    assert logs["accuracy"] == pytest.approx(np.mean((probabilities > 0.5) == y[:, 0]))
    assert logs["auc"] == pytest.approx(sklearn_metrics.roc_auc_score(y[:, 0], probabilities),
                                        abs=1e-2)
    assert logs["precision"] == pytest.approx(
        sklearn_metrics.precision_score(y[:, 0], probabilities > 0.5))
    assert logs["rec"] == pytest.approx(sklearn_metrics.recall_score(y[:, 0],
                                                                     probabilities > 0.5))


def test_duplicate_metric_names_are_refused():
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
    with pytest.raises(ValueError, match="two metrics are named 'mae'"):
        model.compile(optimizer="sgd", loss="mse", metrics=["mae", "mae"])
