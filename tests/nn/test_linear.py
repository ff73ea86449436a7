"""nn.Linear and layers.Dense: one implementation, each framework's layout."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn

torch = pytest.importorskip("torch")


def test_linear_matches_pytorch_forward_and_gradients():
    reference = torch.nn.Linear(4, 3)
    layer = nn.Linear(4, 3)
    layer.load_state_dict(reference.state_dict())
    x = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    ours = layer(ndgrad.tensor(x, requires_grad=True))
    theirs = reference(torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-5, atol=1e-6)
    (ours ** 2).sum().backward()
    (theirs ** 2).sum().backward()
    np.testing.assert_allclose(layer.weight.grad.numpy(), reference.weight.grad.numpy(), rtol=1e-4)
    np.testing.assert_allclose(layer.bias.grad.numpy(), reference.bias.grad.numpy(), rtol=1e-4)


def test_linear_shapes_counts_init_and_errors():
    layer = nn.Linear(100, 3)
    assert layer.weight.shape == (3, 100) and layer.count_params() == 303
    assert np.abs(layer.weight.numpy()).max() <= 0.1 and layer.weight.dtype == np.float32
    assert nn.Linear(2, 2, bias=False).bias is None
    with pytest.raises(ndgrad.ShapeError, match=r"linear: .*\(7\).*input features \(100\).*\(5, 7\)"):
        layer(ndgrad.ones((5, 7)))


def test_dense_builds_from_the_first_input_with_keras_layout_and_names():
    nn.reset_names()
    dense = ndgrad.layers.Dense(3, activation="relu")
    assert not dense.built and dense.variables == []
    out = dense(ndgrad.random.normal((2, 5)))
    assert out.shape == (2, 3) and float(out.min()) >= 0
    assert [(v.name, v.shape) for v in dense.variables] == [("dense/kernel", (5, 3)),
                                                            ("dense/bias", (3,))]
    assert dense.get_config()["activation"] == "relu"


def test_dense_equals_linear_with_the_transposed_weight():
    dense = ndgrad.layers.Dense(3, input_shape=(4,))
    linear = nn.Linear(4, 3)
    linear.weight.assign(dense.kernel.numpy().T)
    linear.bias.assign(dense.bias)
    x = ndgrad.random.normal((2, 4))
    np.testing.assert_allclose(dense(x).numpy(), linear(x).numpy(), rtol=1e-6)


def test_dense_argument_errors():
    with pytest.raises(ValueError, match="units"):
        ndgrad.layers.Dense(0)
    with pytest.raises(ValueError, match="unknown activation"):
        ndgrad.layers.Dense(2, activation="relux")


def test_one_step_lowers_the_loss():
    layer = nn.Linear(3, 1)
    x, y = ndgrad.random.normal((16, 3)), ndgrad.random.normal((16, 1))
    optimizer = ndgrad.optim.SGD(layer.parameters(), lr=0.1)
    first = ((layer(x) - y) ** 2).mean()
    first.backward()
    optimizer.step()
    assert ((layer(x) - y) ** 2).mean().item() < first.item()
