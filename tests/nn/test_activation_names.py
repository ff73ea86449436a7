"""layers.Activation with every Keras 3 activation name (Keras's defaults), the Keras-only
activations (squareplus, sparse_plus, sparse_sigmoid, sparsemax) by hand and against
float64 finite differences, and layers.PReLU against PyTorch."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers
from ndgrad.nn import activation_names
from ndgrad.ops.activations_keras import sparsemax

from .layer_gradients import assert_layer_gradients

torch = pytest.importorskip("torch")
F = torch.nn.functional

# Keras 3.16's keras.activations names (ALL_OBJECTS_DICT), threshold aside (it needs
# arguments), each with the same function written in PyTorch.
KERAS_NAMES = {
    "linear": lambda x: x, "relu": torch.relu, "relu6": F.relu6,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2), "elu": F.elu, "selu": F.selu,
    "celu": F.celu, "gelu": F.gelu, "glu": lambda x: F.glu(x, -1), "sigmoid": torch.sigmoid,
    "hard_sigmoid": F.hardsigmoid, "log_sigmoid": F.logsigmoid,
    "sparse_sigmoid": lambda x: torch.clamp((x + 1) / 2, 0, 1), "tanh": torch.tanh,
    "hard_tanh": F.hardtanh, "tanh_shrink": F.tanhshrink, "soft_shrink": F.softshrink,
    "hard_shrink": F.hardshrink, "softplus": F.softplus, "softsign": F.softsign,
    "squareplus": lambda x: (x + torch.sqrt(x * x + 4)) / 2,
    "sparse_plus": lambda x: torch.where(x <= -1, 0.0, torch.where(x < 1, (x + 1) ** 2 / 4,
                                                                      x)),
    "silu": F.silu, "swish": F.silu, "hard_silu": F.hardswish, "hard_swish": F.hardswish,
    "mish": F.mish, "exponential": torch.exp, "log_softmax": lambda x: F.log_softmax(x, -1),
    "softmax": lambda x: F.softmax(x, -1), "sparsemax": None,
}


def test_every_keras_name_is_known():
    assert set(KERAS_NAMES) <= set(activation_names._ACTIVATIONS)


@pytest.mark.parametrize("name", sorted(n for n, f in KERAS_NAMES.items() if f is not None))
def test_activation_layer_matches_pytorch_forward_and_backward(rng, name):
    x = rng.normal(scale=1.5, size=(3, 6)).astype(np.float32)
    layer = layers.Activation(name)
    ours_x, theirs_x = ndgrad.Variable(x), torch.tensor(x, requires_grad=True)
    ours, theirs = layer(ours_x), KERAS_NAMES[name](theirs_x)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-5, atol=1e-6)
    cotangent = rng.normal(size=ours.shape).astype(np.float32)
    (ours * ndgrad.tensor(cotangent)).sum().backward()
    (theirs * torch.tensor(cotangent)).sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-4, atol=1e-5)
    assert layers.Activation.from_config(layer.get_config()).get_config()["activation"] == name


def test_sparsemax_projects_onto_the_simplex_by_hand():
    values = sparsemax(ndgrad.tensor([[0.5, 0.4, 0.1], [2.0, 0.1, -1.0]])).numpy()
    # k = 3 for the first row: tau = (1.0 - 1) / 3 = 0; k = 1 for the second: tau = 1.
    np.testing.assert_allclose(values, [[0.5, 0.4, 0.1], [1.0, 0.0, 0.0]], atol=1e-7)
    random = np.random.default_rng(0).normal(size=(4, 5, 6))
    for axis in (0, 1, -1):
        out = sparsemax(ndgrad.tensor(random), axis=axis).numpy()
        assert (out >= 0).all()
        np.testing.assert_allclose(out.sum(axis=axis), 1.0, rtol=1e-12)


@pytest.mark.parametrize("name", ["sparsemax", "squareplus", "sparse_plus", "sparse_sigmoid",
                                  "glu", "leaky_relu", "soft_shrink", "hard_silu"])
def test_gradients_match_float64_finite_differences(rng, name):
    layer = layers.Activation(name, dtype="float64")
    x = rng.normal(scale=1.5, size=(3, 6))
    assert_layer_gradients(layer, x)


def test_threshold_by_name_and_unknown_names_are_refused_clearly():
    with pytest.raises(ValueError, match="'threshold' cannot be given by name.*ReLU"):
        layers.Activation("threshold")
    with pytest.raises(ValueError, match="unknown activation 'swishy'; known: "):
        layers.Activation("swishy")


def test_prelu_with_shared_axes_matches_pytorch_channel_prelu(rng):
    layer = layers.PReLU(alpha_initializer="random_uniform", shared_axes=[1, 2])
    x = rng.normal(size=(2, 4, 5, 3)).astype(np.float32)
    ours_x = ndgrad.Variable(x)
    ours = layer(ours_x)
    assert layer.alpha.shape == (1, 1, 3) and layer.count_params() == 3
    weight = torch.tensor(layer.alpha.numpy().reshape(3), requires_grad=True)
    theirs_x = torch.tensor(np.moveaxis(x, -1, 1).copy(), requires_grad=True)
    theirs = F.prelu(theirs_x, weight).permute(0, 2, 3, 1)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-7)
    cotangent = rng.normal(size=ours.shape).astype(np.float32)
    (ours * ndgrad.tensor(cotangent)).sum().backward()
    (theirs * torch.tensor(cotangent)).sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), np.moveaxis(theirs_x.grad.numpy(), 1, -1),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.alpha.grad.numpy().reshape(3), weight.grad.numpy(),
                               rtol=1e-4, atol=1e-5)


def test_prelu_keras_defaults_counts_gradients_and_config(rng):
    layer = layers.PReLU()
    out = layer(ndgrad.tensor([[-1.0, 2.0, -3.0]]))
    assert out.tolist() == [[0.0, 2.0, 0.0]]                 # alpha starts at zero
    assert layer.alpha.shape == (3,) and layer.count_params() == 3
    assert layers.PReLU(shared_axes=1).get_config()["shared_axes"] == 1
    wide = layers.PReLU(alpha_initializer="random_normal", dtype="float64")
    x = rng.normal(size=(2, 3, 4))
    wide(ndgrad.tensor(x))
    assert wide.alpha.shape == (3, 4)
    assert_layer_gradients(wide, x)
    assert layers.PReLU(shared_axes=[1])(ndgrad.Input(shape=(None, 5))).shape == (None, None, 5)
    regularized = layers.PReLU(alpha_regularizer="l2")
    regularized(ndgrad.ones((1, 2)))
    assert len(regularized.losses) == 1
    with pytest.raises(ValueError, match="PReLU: shared_axes are axes after the batch"):
        layers.PReLU(shared_axes=[0])
    with pytest.raises(ValueError, match="PReLU: every axis that is not shared"):
        layers.PReLU()(ndgrad.Input(shape=(None, 5)))
