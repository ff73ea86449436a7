"""keras.losses against the values in Keras's documentation, PyTorch, and
float64 finite differences."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import ndgrad
from ndgrad import keras
from ndgrad.keras import losses

TWO = ([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]])
SOFT = ([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])
ROUNDED = ([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]])
CLASSES = ([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])

# (loss, (y_true, y_pred), sample_weight, mean, weighted, sum, per-sample) from Keras's docs.
DOCUMENTED = [
    (losses.MeanSquaredError, TWO, [0.7, 0.3], 0.5, 0.25, 1.0, [0.5, 0.5]),
    (losses.MeanAbsoluteError, TWO, [0.7, 0.3], 0.5, 0.25, 1.0, [0.5, 0.5]),
    (losses.MeanAbsolutePercentageError, ([[2.0, 1.0], [2.0, 3.0]], [[1.0, 1.0], [1.0, 0.0]]),
     [0.7, 0.3], 50.0, 20.0, 100.0, [25.0, 75.0]),
    (losses.MeanSquaredLogarithmicError, TWO, [0.7, 0.3], 0.240, 0.120, 0.480, [0.240, 0.240]),
    (losses.CosineSimilarity, ([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]]), [0.8, 0.2],
     -0.5, -0.0999, -0.999, [0.0, -0.999]),
    (losses.Huber, SOFT, [1.0, 0.0], 0.155, 0.09, 0.31, [0.18, 0.13]),
    (losses.LogCosh, ROUNDED, [0.8, 0.2], 0.108, 0.087, 0.217, [0.217, 0.0]),
    (losses.Hinge, SOFT, [1.0, 0.0], 1.3, 0.55, 2.6, [1.1, 1.5]),
    (losses.SquaredHinge, SOFT, [1.0, 0.0], 1.86, 0.73, 3.72, [1.46, 2.26]),
    (losses.CategoricalHinge, SOFT, [1.0, 0.0], 1.4, 0.6, 2.8, [1.2, 1.6]),
    (losses.KLDivergence, SOFT, [0.8, 0.2], 0.458, 0.366, 0.916, [0.916, 0.0]),
    (losses.Poisson, ROUNDED, [0.8, 0.2], 0.5, 0.4, 0.999, [0.999, 0.0]),
    (losses.CategoricalCrossentropy, CLASSES, [0.3, 0.7], 1.177, 0.814, 2.354, [0.0513, 2.303]),
    (losses.CategoricalFocalCrossentropy, CLASSES, [0.3, 0.7], 0.233, 0.163, 0.466,
     [3.2e-05, 0.466]),
]


@pytest.mark.parametrize("loss_class, pair, weights, mean, weighted, total, values", DOCUMENTED,
                         ids=[row[0].__name__ for row in DOCUMENTED])
def test_reductions_and_weights_match_keras_documentation(loss_class, pair, weights, mean,
                                                          weighted, total, values):
    y_true, y_pred = pair
    assert loss_class()(y_true, y_pred).item() == pytest.approx(mean, abs=1e-3)
    assert loss_class()(y_true, y_pred, sample_weight=weights).item() == pytest.approx(
        weighted, abs=1e-3)
    assert loss_class(reduction="sum")(y_true, y_pred).item() == pytest.approx(total, abs=2e-3)
    np.testing.assert_allclose(loss_class(reduction="none")(y_true, y_pred).numpy(), values,
                               atol=2e-3)


def test_sparse_and_binary_cross_entropies_match_keras_documentation():
    sparse = losses.SparseCategoricalCrossentropy()
    assert sparse([1, 2], CLASSES[1]).item() == pytest.approx(1.177, abs=1e-3)
    assert sparse([1, 2], CLASSES[1], sample_weight=[0.3, 0.7]).item() == pytest.approx(
        0.814, abs=1e-3)
    logits_true, logits = [[0.0, 1.0, 0.0, 0.0]], [[-18.6, 0.51, 2.94, -12.8]]
    assert losses.BinaryCrossentropy(from_logits=True)(logits_true, logits).item() == \
        pytest.approx(0.865, abs=1e-3)
    focal = losses.BinaryFocalCrossentropy(gamma=2, from_logits=True)
    assert focal(logits_true, logits).item() == pytest.approx(0.691, abs=1e-3)
    balanced = losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=2,
                                              from_logits=True)
    assert balanced(logits_true, logits).item() == pytest.approx(0.51, abs=1e-2)


def test_cross_entropies_match_pytorch(rng):
    logits = rng.normal(size=(6, 4)).astype(np.float32)
    labels = rng.integers(0, 4, size=6)
    expected = F.cross_entropy(torch.tensor(logits), torch.tensor(labels)).item()
    sparse = losses.SparseCategoricalCrossentropy(from_logits=True)(labels, logits).item()
    one_hot = losses.CategoricalCrossentropy(from_logits=True)(np.eye(4)[labels], logits).item()
    assert sparse == pytest.approx(expected, rel=1e-5)
    assert one_hot == pytest.approx(expected, rel=1e-5)
    probabilities = 1 / (1 + np.exp(-logits))
    targets = (rng.random((6, 4)) > 0.5).astype(np.float32)
    assert losses.BinaryCrossentropy()(targets, probabilities).item() == pytest.approx(
        F.binary_cross_entropy(torch.tensor(probabilities), torch.tensor(targets)).item(),
        rel=1e-4)
    assert losses.BinaryCrossentropy(from_logits=True)(targets, logits).item() == pytest.approx(
        F.binary_cross_entropy_with_logits(torch.tensor(logits), torch.tensor(targets)).item(),
        rel=1e-5)


def test_regression_losses_match_pytorch(rng):
    y_pred, y_true = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    tp, tt = torch.tensor(y_pred), torch.tensor(y_true)
    assert losses.MeanSquaredError()(y_true, y_pred).item() == pytest.approx(
        F.mse_loss(tp, tt).item(), rel=1e-6)
    assert losses.Huber(delta=0.5)(y_true, y_pred).item() == pytest.approx(
        F.huber_loss(tp, tt, delta=0.5).item(), rel=1e-6)
    assert losses.CosineSimilarity()(y_true, y_pred).item() == pytest.approx(
        -F.cosine_similarity(tp, tt).mean().item(), rel=1e-6)
    positive = np.abs(y_pred) + 0.1
    assert losses.Poisson()(np.abs(y_true), positive).item() == pytest.approx(
        F.poisson_nll_loss(torch.tensor(positive), torch.tensor(np.abs(y_true)), log_input=False,
                           eps=1e-7).item(), rel=1e-5)
    assert losses.LogCosh()(y_true, y_pred).item() == pytest.approx(
        np.log(np.cosh(y_pred - y_true)).mean(), rel=1e-6)


@pytest.mark.parametrize("loss", [losses.MeanSquaredError(), losses.Huber(delta=0.3),
                                  losses.LogCosh(), losses.CosineSimilarity(),
                                  losses.MeanSquaredLogarithmicError(),
                                  losses.BinaryCrossentropy(from_logits=True),
                                  losses.CategoricalCrossentropy(from_logits=True),
                                  losses.BinaryFocalCrossentropy(from_logits=True),
                                  losses.CategoricalFocalCrossentropy(from_logits=True),
                                  losses.SquaredHinge(), losses.KLDivergence()],
                         ids=lambda loss: type(loss).__name__)
def test_gradients_match_finite_differences(loss, rng):
    y_true = ndgrad.tensor(rng.random((4, 3)), dtype="float64")
    y_pred = ndgrad.tensor(rng.random((4, 3)) + 0.1, dtype="float64")
    assert ndgrad.gradcheck(lambda p: loss(y_true, p), [y_pred])


def test_functions_return_one_loss_per_sample_and_get_resolves_names():
    assert losses.mean_squared_error(*TWO).tolist() == [0.5, 0.5]
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("categorical_crossentropy") is losses.categorical_crossentropy
    assert isinstance(losses.get("SparseCategoricalCrossentropy"),
                      losses.SparseCategoricalCrossentropy)
    huber = losses.deserialize(losses.serialize(losses.Huber(delta=2.0, name="h")))
    assert huber.get_config()["delta"] == 2.0 and huber.name == "h"
    assert keras.metrics.mean_squared_error is losses.mean_squared_error


def test_compile_takes_functions_objects_and_subclasses():
    x = np.ones((8, 2), np.float32)
    y = np.zeros((8, 1), np.float32)

    class Doubled(losses.Loss):
        def call(self, y_true, y_pred):
            return 2.0 * keras.ops.mean(keras.ops.square(y_pred - y_true), axis=-1)

    for loss, factor in ((losses.mean_squared_error, 1.0), (losses.MeanSquaredError(), 1.0),
                         (Doubled(), 2.0), ("MeanSquaredError", 1.0)):
        model = keras.Sequential([keras.layers.Dense(1, kernel_initializer="ones",
                                                     input_shape=(2,))])
        model.compile(optimizer="sgd", loss=loss)
        assert model.evaluate(x, y, verbose=0) == pytest.approx(4.0 * factor)


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="reduction must be one of"):
        losses.MeanSquaredError(reduction="average")
    with pytest.raises(TypeError, match="Huber: unexpected arguments \\['alpha'\\]"):
        losses.Huber(alpha=1.0)
    with pytest.raises(ValueError, match="categorical_crossentropy: y_true shape"):
        losses.CategoricalCrossentropy()([1, 0], [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(IndexError, match="class labels in \\[0, 2\\)"):
        losses.SparseCategoricalCrossentropy()([2], [[0.5, 0.5]])
    with pytest.raises(NotImplementedError, match="ignore_class is not supported yet"):
        losses.SparseCategoricalCrossentropy(ignore_class=0)([0], [[0.5, 0.5]])
    with pytest.raises(AttributeError, match="keras.losses.Dice is not supported by ndgrad"):
        losses.Dice
    with pytest.raises(ValueError, match="could not interpret loss 'nope'"):
        losses.get("nope")
