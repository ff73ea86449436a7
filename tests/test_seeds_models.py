"""The user's documents (../shared/seeds/) that build trainable variables through
layers and train them with optimizers, written in ndgrad (the models issue).

Each test follows one example and asserts what its text claims, or, where the
text is wrong, that ndgrad says why.
"""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn


def test_seed000_example2_parameter_in_a_linear_layer_trains_and_warns_about_shapes():
    # The example puts a (10, 1) weight into Linear(1, 1): the output becomes
    # (3, 10) and MSELoss against a (3, 1) target broadcasts. The text says it
    # trains; ndgrad trains it too, and says that the shapes differ.
    weight = nn.Parameter(ndgrad.randn(10, 1))
    linear_layer = nn.Linear(1, 1, bias=False)
    linear_layer.weight = nn.Parameter(weight)
    assert [p.shape for p in linear_layer.parameters()] == [(10, 1)]
    input_data = ndgrad.tensor([[1.0], [2.0], [3.0]])
    target = ndgrad.tensor([[1.0], [4.0], [9.0]])
    loss_fn = nn.MSELoss()
    optimizer = ndgrad.optim.Adam(linear_layer.parameters(), lr=0.01)
    losses = []
    with pytest.warns(UserWarning, match=r"mse_loss: target shape \(3, 1\).*input shape \(3, 10\)"):
        for epoch in range(100):
            output = linear_layer(input_data)
            loss = loss_fn(output, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    assert linear_layer.weight.trainable and losses[-1] < losses[0]


def test_seed000_example2_with_fitting_shapes_is_silent_and_trains():
    linear_layer = nn.Linear(1, 1, bias=False)
    linear_layer.weight = nn.Parameter(ndgrad.randn(1, 1))
    input_data = ndgrad.tensor([[1.0], [2.0], [3.0]])
    target = ndgrad.tensor([[1.0], [4.0], [9.0]])
    optimizer = ndgrad.optim.Adam(linear_layer.parameters(), lr=0.01)
    first = None
    for _ in range(100):
        loss = nn.MSELoss()(linear_layer(input_data), target)
        first = first if first is not None else loss.item()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.item() < first


def test_seed001_example2_dense_in_sequential_has_kernel_and_bias_and_trains():
    nn.reset_names()
    model = ndgrad.Sequential([
        ndgrad.layers.Dense(units=1, input_shape=(2,), kernel_initializer="ones")])
    trainable_weights = model.trainable_variables
    assert [(v.name, v.shape) for v in trainable_weights] == [("dense/kernel", (2, 1)),
                                                              ("dense/bias", (1,))]
    optimizer = ndgrad.optim.SGD(learning_rate=0.01)
    x_train = ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])
    y_train = ndgrad.tensor([[5.0], [7.0]])
    losses = []
    for epoch in range(10):
        with ndgrad.GradientTape() as tape:
            predictions = model(x_train)
            loss = ndgrad.mean(ndgrad.square(predictions - y_train))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    assert not np.allclose(model.layers[0].kernel.numpy(), 1.0)


def test_seed003_example1_implicit_variables_and_compile():
    nn.reset_names()
    model = ndgrad.Sequential([
        ndgrad.layers.Dense(64, activation="relu", input_shape=(10,)),
        ndgrad.layers.Dense(1)])
    described = [(v.name, v.shape, v.trainable) for v in model.trainable_variables]
    assert described == [("dense/kernel", (10, 64), True), ("dense/bias", (64,), True),
                         ("dense_1/kernel", (64, 1), True), ("dense_1/bias", (1,), True)]
    model.compile(optimizer="adam", loss="mse")
    assert type(model.optimizer).__name__ == "Adam" and model.compiled


def test_seed003_example3_custom_layer_with_variables_made_in_init():
    class MyCustomLayer(ndgrad.layers.Layer):
        def __init__(self, units=32):
            super(MyCustomLayer, self).__init__()
            self.w = ndgrad.Variable(ndgrad.random.normal([units, 1]), trainable=True)
            self.b = ndgrad.Variable(ndgrad.zeros([1]), trainable=True)

        def call(self, inputs):
            return ndgrad.matmul(inputs, self.w) + self.b

    nn.reset_names()
    model = ndgrad.Sequential([MyCustomLayer(units=16), ndgrad.layers.Dense(1)])
    # Dense is not built yet (no input shape known), so only the custom layer's
    # two variables exist, as in Keras.
    names = [(v.name, v.shape, v.trainable) for v in model.trainable_variables]
    assert names == [("my_custom_layer/w", (16, 1), True), ("my_custom_layer/b", (1,), True)]
    model.compile(optimizer="adam", loss="mse")
    out = model(ndgrad.random.normal((4, 16)))
    assert out.shape == (4, 1) and len(model.trainable_variables) == 4


def test_frozen_layer_mid_training_keeps_its_weights_with_momentum_and_decay():
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 1))
    optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=0.01)
    x, y = ndgrad.random.normal((8, 3)), ndgrad.random.normal((8, 1))

    def step():
        optimizer.zero_grad()
        nn.MSELoss()(model(x), y).backward()
        optimizer.step()

    for _ in range(3):
        step()
    model[0].trainable = False
    frozen = model[0].weight.numpy().copy()
    head = model[1].weight.numpy().copy()
    for _ in range(3):
        step()
    np.testing.assert_array_equal(model[0].weight.numpy(), frozen)
    assert not np.array_equal(model[1].weight.numpy(), head)
