"""Dropout, both faces: statistics, train/eval, reproducibility, gradients, Keras's
noise_shape and seed."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.nn import regularization
from ndgrad.nn.regularization import dropout


def keras(name):
    return getattr(ndgrad.layers, name, None) or regularization.KERAS_EXPORTS[name]


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_statistics_mean_preserved_and_fraction_dropped(p):
    layer = nn.Dropout(p)
    out = layer(ndgrad.ones((200, 500))).numpy()
    assert out.dtype == np.float32
    dropped = np.mean(out == 0)
    assert abs(dropped - p) < 0.01
    assert abs(out.mean() - 1.0) < 0.02
    np.testing.assert_allclose(np.unique(out[out != 0]), [1.0 / (1.0 - p)], rtol=1e-6)


def test_dropout_is_the_identity_in_evaluation_and_for_p_zero():
    x = ndgrad.random.normal((4, 5))
    assert nn.Dropout(0.5).eval()(x) is x
    assert nn.Dropout(0.0)(x) is x
    model = nn.Sequential(nn.Linear(5, 5), nn.Dropout(0.9))
    model.eval()
    np.testing.assert_array_equal(model(x).numpy(), model(x).numpy())
    assert nn.Dropout(0.5)(x, training=False) is x
    assert nn.Dropout(1.0)(x).numpy().tolist() == np.zeros((4, 5)).tolist()


def test_dropout_is_reproducible_with_the_ndgrad_seed():
    ndgrad.random.seed(123)
    first = nn.Dropout(0.5)(ndgrad.ones(50)).numpy()
    second = nn.Dropout(0.5)(ndgrad.ones(50)).numpy()
    ndgrad.random.seed(123)
    np.testing.assert_array_equal(nn.Dropout(0.5)(ndgrad.ones(50)).numpy(), first)
    assert not np.array_equal(first, second)


def test_dropout_gradient_is_the_scaled_mask():
    x = ndgrad.Variable(ndgrad.random.normal((6, 7)))
    out = nn.Dropout(0.25)(x)
    out.sum().backward()
    mask = (out.numpy() != 0).astype(np.float32)
    np.testing.assert_allclose(x.grad.numpy(), mask / 0.75, rtol=1e-6)
    rng_seed = 3
    assert ndgrad.gradcheck(
        lambda t: dropout(t, 0.3, generator=np.random.default_rng(rng_seed)),
        [np.random.default_rng(0).normal(size=(4, 5))], second_order=True)


def test_dropout2d_zeroes_whole_channels():
    out = nn.Dropout2d(0.5)(ndgrad.ones((4, 16, 3, 3))).numpy().reshape(64, 9)
    assert set(np.unique(out.std(axis=1)).tolist()) == {0.0}
    assert 0 < np.mean(out[:, 0] == 0) < 1
    with pytest.warns(UserWarning, match="3-D input; reading it as"):     # as PyTorch 2.13
        out = nn.Dropout2d(0.5)(ndgrad.ones((2, 6, 5)))
    assert out.numpy().reshape(12, 5).std(axis=1).max() == 0
    with pytest.warns(UserWarning, match="1-D input"), \
            pytest.raises(ndgrad.ShapeError, match="dropout2d"):
        nn.Dropout2d()(ndgrad.ones(3))     # (PyTorch 2.13 warns and runs on 2-D inputs)


def test_dropout_arguments_are_checked():
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError, match=r"Dropout.*\[0, 1\]"):
            nn.Dropout(bad)
    with pytest.raises(ndgrad.ShapeError, match="noise_shape"):
        dropout(ndgrad.ones((2, 3)), 0.5, noise_shape=(2, 2))
    layer = nn.Dropout(0.2)
    assert layer.parameters() == [] and list(layer.state_dict()) == []
    assert repr(layer) == "Dropout(p=0.2, inplace=False)"


def test_keras_dropout_is_inactive_unless_training():
    layer = keras("Dropout")(0.5)
    x = ndgrad.ones((10, 10))
    assert layer.training is False
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    out = layer(x, training=True).numpy()
    assert 0.3 < np.mean(out == 0) < 0.7
    model = ndgrad.Sequential([ndgrad.layers.Dense(10, input_shape=(10,)), layer])
    np.testing.assert_array_equal(model(x).numpy(), model(x).numpy())
    assert layer.get_config()["rate"] == 0.5 and layer.count_params() == 0


def test_keras_dropout_noise_shape_and_seed():
    layer = keras("Dropout")(0.5, noise_shape=(None, 1, 6))
    out = layer(ndgrad.ones((3, 4, 6)), training=True).numpy()
    assert (out == out[:, :1, :]).all()               # one mask shared over axis 1
    first = keras("Dropout")(0.5, seed=7)(ndgrad.ones(40), training=True).numpy()
    again = keras("Dropout")(0.5, seed=7)(ndgrad.ones(40), training=True).numpy()
    np.testing.assert_array_equal(first, again)
    with pytest.raises(ndgrad.ShapeError, match="noise_shape"):
        layer(ndgrad.ones((3, 6)), training=True)
    with pytest.raises(ValueError, match="Dropout"):
        keras("Dropout")(1.5)


def test_dropout_in_a_model_lets_training_lower_the_loss():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 1))
    x, y = ndgrad.random.normal((32, 4)), ndgrad.random.normal((32, 1))
    optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.05)
    model.eval()
    first = ((model(x) - y) ** 2).mean().item()
    model.train()
    for _ in range(5):
        optimizer.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        optimizer.step()
    model.eval()
    assert ((model(x) - y) ** 2).mean().item() < first
