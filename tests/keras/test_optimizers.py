"""keras.optimizers: Keras names and arguments on ndgrad's optimizers, apply(),
learning_rate and schedules, one step against PyTorch."""

import numpy as np
import pytest
import torch

import ndgrad
from ndgrad import keras
from ndgrad.keras import optimizers


def test_classes_are_the_core_optimizers():
    assert optimizers.Adam is ndgrad.optim.Adam and optimizers.Nadam is ndgrad.optim.NAdam
    assert optimizers.schedules.ExponentialDecay is ndgrad.optim.schedules.ExponentialDecay


def test_apply_matches_pytorch_adam_for_two_steps(rng):
    start = rng.normal(size=(3,)).astype(np.float32)
    grads = [rng.normal(size=(3,)).astype(np.float32) for _ in range(2)]
    ours = ndgrad.Variable(start)
    optimizer = optimizers.Adam(learning_rate=0.1, epsilon=1e-8)
    theirs = torch.tensor(start, requires_grad=True)
    reference = torch.optim.Adam([theirs], lr=0.1, eps=1e-8)
    for grad in grads:
        optimizer.apply([ndgrad.tensor(grad)], [ours])
        theirs.grad = torch.tensor(grad)
        reference.step()
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-5)
    assert optimizer.iterations == 2


def test_apply_without_variables_uses_the_built_ones_and_skips_none():
    a, b = ndgrad.Variable([1.0]), ndgrad.Variable([1.0])
    optimizer = optimizers.SGD(learning_rate=1.0, missing_gradients="ignore")
    optimizer.build([a, b])
    optimizer.apply([ndgrad.tensor([0.5]), None])
    assert a.tolist() == [0.5] and b.tolist() == [1.0]
    with pytest.raises(ValueError, match="got 1 gradients for 2 variables"):
        optimizer.apply([ndgrad.tensor([0.5])], [a, b])


def test_learning_rate_is_readable_and_settable_also_as_a_schedule():
    w = ndgrad.Variable([0.0])
    optimizer = optimizers.SGD(learning_rate=0.5)
    optimizer.learning_rate = 0.25
    optimizer.apply([ndgrad.tensor([1.0])], [w])
    assert w.tolist() == [-0.25]
    optimizer.learning_rate = optimizers.schedules.PiecewiseConstantDecay([0], [1.0, 0.1])
    assert optimizer.learning_rate == pytest.approx(0.1)       # iterations is 1 now
    optimizer.apply([ndgrad.tensor([1.0])], [w])
    assert w.numpy() == pytest.approx(-0.35)


def test_keras_training_loop_from_the_guides():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0], [0.5]], np.float32)
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
    optimizer = optimizers.SGD(learning_rate=0.1)
    loss_fn = keras.losses.MeanSquaredError()
    for step in range(50):
        with ndgrad.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply(grads, model.trainable_weights)
    assert loss.item() < 1e-3


def test_get_serialize_and_unsupported():
    assert type(optimizers.get("adam")).__name__ == "Adam"
    restored = optimizers.deserialize(optimizers.serialize(optimizers.RMSprop(0.01, rho=0.8)))
    assert restored.learning_rate == 0.01 and restored.rho == 0.8
    with pytest.raises(AttributeError, match="keras.optimizers.Lion is not supported"):
        optimizers.Lion
    with pytest.raises(AttributeError, match="InverseTimeDecay is not supported"):
        optimizers.schedules.InverseTimeDecay
    with pytest.raises(ValueError, match="unknown optimizer 'Nope'"):
        optimizers.deserialize({"class_name": "Nope", "config": {}})
