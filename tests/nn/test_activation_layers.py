"""Activation layers, both faces: PyTorch's modules against torch.nn, Keras's by formula."""

import warnings

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.nn import activation_layers

torch = pytest.importorskip("torch")


def keras(name):
    return getattr(ndgrad.layers, name, None) or activation_layers.KERAS_EXPORTS[name]


PAIRS = [
    ("ReLU", {}), ("ReLU6", {}), ("LeakyReLU", {}), ("LeakyReLU", {"negative_slope": 0.2}),
    ("ELU", {}), ("ELU", {"alpha": 0.5}), ("SELU", {}), ("GELU", {}),
    ("GELU", {"approximate": "tanh"}), ("Sigmoid", {}), ("Tanh", {}), ("Softplus", {}),
    ("Softplus", {"beta": 2.0, "threshold": 3.0}), ("SiLU", {}), ("Mish", {}),
    ("Softmax", {"dim": 1}), ("Softmax", {"dim": 0}), ("LogSoftmax", {"dim": -1}),
]


@pytest.mark.parametrize("name, options", PAIRS)
def test_pytorch_activation_layers_match_torch_forward_and_gradient(name, options):
    x = (np.random.default_rng(0).normal(size=(4, 5)) * 3).astype(np.float32)
    layer, reference = getattr(nn, name)(**options), getattr(torch.nn, name)(**options)
    ours_x, theirs_x = ndgrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours, theirs = layer(ours_x), reference(theirs_x)
    assert ours.dtype == np.float32 and ours.shape == (4, 5)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-5, atol=1e-6)
    cotangent = np.random.default_rng(1).normal(size=(4, 5)).astype(np.float32)
    (ours * ndgrad.tensor(cotangent)).sum().backward()
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-4, atol=1e-6)
    assert layer.parameters() == [] and list(layer.state_dict()) == []


def test_pytorch_reprs_and_arguments():
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)"
    assert repr(nn.Softmax(dim=1)) == "Softmax(dim=1)"
    with pytest.raises(ValueError, match="GELU: approximate"):
        nn.GELU(approximate="fast")


def test_softmax_without_dim_uses_pytorchs_legacy_choice_and_warns():
    x = np.random.default_rng(0).normal(size=(2, 3, 4)).astype(np.float32)
    with pytest.warns(UserWarning, match="implicit dimension"):
        ours = nn.Softmax()(ndgrad.tensor(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.nn.Softmax()(torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5)


def test_functional_forms_have_pytorch_signatures():
    x = ndgrad.tensor([[1.0, 2.0], [3.0, 5.0]])
    expected = torch.nn.functional.softmax(torch.tensor(x.numpy()), dim=0).numpy()
    np.testing.assert_allclose(activation_layers.softmax(x, dim=0).numpy(), expected, rtol=1e-6)
    out = activation_layers.log_softmax(x, dim=1, dtype="float64")
    assert out.dtype == np.float64
    for name in activation_layers.FUNCTIONAL:
        assert callable(getattr(activation_layers, name)), name


def test_activations_train_inside_a_model():
    model = nn.Sequential(nn.Linear(3, 8), nn.GELU(), nn.Linear(8, 1), nn.Sigmoid())
    x, y = ndgrad.random.normal((16, 3)), ndgrad.ones((16, 1))
    optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.5)
    first = ((model(x) - y) ** 2).mean()
    first.backward()
    optimizer.step()
    assert ((model(x) - y) ** 2).mean().item() < first.item()


# ---------------------------------------------------------------- Keras face
def _keras_relu_reference(x, max_value=None, negative_slope=0.0, threshold=0.0):
    out = np.where(x >= threshold, x, negative_slope * (x - threshold))
    return out if max_value is None else np.minimum(out, max_value)


@pytest.mark.parametrize("options", [{}, {"max_value": 6.0}, {"max_value": 1.5},
                                     {"negative_slope": 0.1},
                                     {"negative_slope": 0.1, "threshold": 0.5, "max_value": 2.0},
                                     {"threshold": 1.0}])
def test_keras_relu_follows_its_formula(options):
    x = np.linspace(-3, 8, 23).astype(np.float32)
    layer = keras("ReLU")(**options)
    assert layer.training is False
    out = layer(ndgrad.tensor(x))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), _keras_relu_reference(x, **options), rtol=1e-6)
    assert layer.get_config()["negative_slope"] == options.get("negative_slope", 0.0)


def test_keras_relu_gradient_and_argument_checks():
    x = ndgrad.Variable([-2.0, 0.7, 3.0])
    keras("ReLU")(max_value=2.0, negative_slope=0.1, threshold=0.5)(x).sum().backward()
    assert np.allclose(x.grad.numpy(), [0.1, 1.0, 0.0])
    with pytest.raises(ValueError, match="ReLU: negative_slope"):
        keras("ReLU")(negative_slope=-1.0)


def test_keras_softmax_axis_and_mask():
    x = np.random.default_rng(0).normal(size=(2, 3, 4)).astype(np.float32)
    out = keras("Softmax")(axis=1)(ndgrad.tensor(x)).numpy()
    expected = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(out, expected, rtol=1e-5)
    mask = np.array([[True, True, False, False]] * 3)
    masked = keras("Softmax")()(ndgrad.tensor(x[0]), mask=mask).numpy()
    np.testing.assert_allclose(masked[:, 2:], 0.0, atol=1e-6)
    np.testing.assert_allclose(masked.sum(axis=-1), 1.0, rtol=1e-6)


def test_keras_leaky_relu_elu_and_activation():
    x = np.array([-2.0, 0.0, 3.0], dtype=np.float32)
    np.testing.assert_allclose(keras("LeakyReLU")()(ndgrad.tensor(x)).numpy(), [-0.6, 0.0, 3.0],
                               rtol=1e-6)
    assert keras("LeakyReLU")(alpha=0.1).negative_slope == pytest.approx(0.1)
    np.testing.assert_allclose(keras("ELU")(alpha=2.0)(ndgrad.tensor(x)).numpy(),
                               [2 * np.expm1(-2.0), 0.0, 3.0], rtol=1e-6)
    assert keras("Activation")("relu")(ndgrad.tensor(x)).tolist() == [0.0, 0.0, 3.0]
    softmax = keras("Activation")("softmax")(ndgrad.tensor([[0.0, 0.0]]))
    assert softmax.tolist() == [[0.5, 0.5]]
    doubled = keras("Activation")(lambda t: t * 2)
    assert doubled(ndgrad.tensor(x)).tolist() == [-4.0, 0.0, 6.0]
    assert keras("Activation")("tanh").get_config()["activation"] == "tanh"
    with pytest.raises(ValueError, match="unknown activation"):
        keras("Activation")("relux")


def test_keras_activation_layers_have_keras_names():
    nn.reset_names()
    assert keras("ReLU")().name == "re_lu" and keras("LeakyReLU")().name == "leaky_re_lu"
    assert keras("Softmax")().name == "softmax" and keras("Activation")("relu").name == "activation"
    assert type(keras("ReLU")()).__name__ == "ReLU"
