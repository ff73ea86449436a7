"""Reshaping layers, both faces: Identity, Flatten, Unflatten against PyTorch; Keras's
Flatten (with data_format) and Reshape."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.nn import reshaping

torch = pytest.importorskip("torch")


def keras(name):
    return getattr(ndgrad.layers, name, None) or reshaping.KERAS_EXPORTS[name]


X = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)


@pytest.mark.parametrize("start_dim, end_dim", [(1, -1), (0, -1), (1, 2), (2, 3), (-2, -1),
                                                (3, 3)])
def test_flatten_matches_pytorch_and_reshapes_the_gradient_back(start_dim, end_dim):
    x = ndgrad.tensor(X, requires_grad=True)
    out = nn.Flatten(start_dim, end_dim)(x)
    expected = torch.nn.Flatten(start_dim, end_dim)(torch.tensor(X)).numpy()
    assert out.shape == expected.shape and out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), expected)
    (out * ndgrad.tensor(np.arange(out.size, dtype=np.float32).reshape(out.shape))).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), X)


def test_flatten_errors_and_identity():
    with pytest.raises(ndgrad.ShapeError, match=r"Flatten.*start_dim=1 is out of range.*\(4,\)"):
        nn.Flatten()(ndgrad.ones(4))
    with pytest.raises(ndgrad.ShapeError, match="start_dim"):
        nn.Flatten(2, 1)(ndgrad.ones((2, 3, 4)))
    x = ndgrad.ones((2, 3))
    assert nn.Identity(3, bias=False)(x) is x
    assert nn.Identity().parameters() == [] and repr(nn.Flatten()) == \
        "Flatten(start_dim=1, end_dim=-1)"


def test_unflatten_matches_pytorch():
    x = X.reshape(2, 60)
    for dim, sizes in [(1, (3, 20)), (-1, (4, -1)), (0, (1, 2))]:
        expected = torch.nn.Unflatten(dim, sizes)(torch.tensor(x)).numpy()
        np.testing.assert_array_equal(nn.Unflatten(dim, sizes)(ndgrad.tensor(x)).numpy(),
                                      expected)
    with pytest.raises(ndgrad.ShapeError, match=r"Unflatten.*size 60.*\(7, 8\)"):
        nn.Unflatten(1, (7, 8))(ndgrad.tensor(x))


def test_keras_flatten_keeps_the_batch_and_honours_data_format():
    layer = keras("Flatten")()
    assert layer.training is False and layer.get_config()["data_format"] == "channels_last"
    np.testing.assert_array_equal(layer(ndgrad.tensor(X)).numpy(), X.reshape(2, -1))
    assert layer(ndgrad.ones(3)).shape == (3, 1)
    channels_last = np.moveaxis(X, 1, -1)                      # (N, H, W, C)
    first = keras("Flatten")(data_format="channels_first")(ndgrad.tensor(X))
    np.testing.assert_array_equal(first.numpy(), channels_last.reshape(2, -1))
    with pytest.raises(ValueError, match="data_format"):
        keras("Flatten")(data_format="nchw")


def test_keras_reshape_with_minus_one_and_errors():
    layer = keras("Reshape")((4, -1))
    out = layer(ndgrad.tensor(X.reshape(2, 60)))
    assert out.shape == (2, 4, 15)
    np.testing.assert_array_equal(out.numpy(), X.reshape(2, 4, 15))
    assert layer.get_config()["target_shape"] == (4, -1)
    assert keras("Reshape")((3, 2))(ndgrad.ones((0, 6))).shape == (0, 3, 2)
    with pytest.raises(ndgrad.ShapeError, match=r"Reshape.*\(60\) .*\(7, 8\)|Reshape.*60 values"):
        keras("Reshape")((7, 8))(ndgrad.tensor(X.reshape(2, 60)))
    with pytest.raises(ValueError, match="at most one"):
        keras("Reshape")((-1, -1))


def test_reshaping_layers_in_keras_and_pytorch_models():
    model = ndgrad.Sequential([keras("Reshape")((2, 6), input_shape=(12,)), keras("Flatten")(),
                               ndgrad.layers.Dense(3)])
    assert model(ndgrad.ones((4, 12))).shape == (4, 3)
    net = nn.Sequential(nn.Flatten(), nn.Linear(60, 2), nn.Unflatten(1, (2, 1)))
    x = ndgrad.tensor(X / X.size)
    optimizer = ndgrad.optim.SGD(net.parameters(), lr=0.01)
    first = (net(x) ** 2).mean()
    first.backward()
    optimizer.step()
    assert net(x).shape == (2, 2, 1) and (net(x) ** 2).mean().item() < first.item()
