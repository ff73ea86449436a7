"""Keras's RepeatVector, Permute, Identity and the refused Masking: against PyTorch's
expand/permute forward and backward, float64 finite differences, configs, symbolic
calls and errors."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, layers

from .layer_gradients import assert_layer_gradients

torch = pytest.importorskip("torch")


def _forward_backward(layer, x, torch_function):
    ours_x = ndgrad.Variable(x)
    theirs_x = torch.tensor(x, requires_grad=True)
    ours, theirs = layer(ours_x), torch_function(theirs_x)
    np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())
    cotangent = np.random.default_rng(1).normal(size=ours.shape).astype(np.float32)
    (ours * ndgrad.tensor(cotangent)).sum().backward()
    (theirs * torch.tensor(cotangent)).sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-6)


def test_repeat_vector_and_permute_match_pytorch(rng):
    x = rng.normal(size=(2, 5)).astype(np.float32)
    _forward_backward(layers.RepeatVector(3), x, lambda t: t[:, None, :].expand(2, 3, 5))
    y = rng.normal(size=(2, 3, 4, 5)).astype(np.float32)
    _forward_backward(layers.Permute((3, 1, 2)), y, lambda t: t.permute(0, 3, 1, 2))
    _forward_backward(layers.Permute((2, 1, 3)), y, lambda t: t.permute(0, 2, 1, 3))


def test_gradients_match_float64_finite_differences(rng):
    assert_layer_gradients(layers.RepeatVector(4, dtype="float64"), rng.normal(size=(3, 2)))
    assert_layer_gradients(layers.Permute((2, 1), dtype="float64"), rng.normal(size=(3, 2, 4)))


def test_identity_returns_any_structure_unchanged():
    x, y = ndgrad.ones((2, 3)), ndgrad.zeros((2,))
    layer = layers.Identity(name="skip")
    assert layer(x) is x and layer.name == "skip"
    assert layer([x, y])[1] is y
    assert layers.Identity.from_config(layer.get_config()).name == "skip"


def test_in_a_model_with_symbolic_shapes_and_configs():
    inputs = keras.Input(shape=(6,))
    repeated = layers.RepeatVector(4)(inputs)
    swapped = layers.Permute((2, 1))(repeated)
    assert repeated.shape == (None, 4, 6) and swapped.shape == (None, 6, 4)
    model = keras.Model(inputs, layers.Identity()(swapped))
    assert model(ndgrad.ones((3, 6))).shape == (3, 6, 4)
    config = layers.Permute((2, 1)).get_config()
    assert config["dims"] == (2, 1) and layers.RepeatVector(4).get_config()["n"] == 4


def test_masking_is_refused_with_what_to_do_instead():
    with pytest.raises(NotImplementedError, match="Masking: Keras masks are not supported.*"
                                                  "sample_weight"):
        keras.layers.Masking(mask_value=0.0)


def test_bad_arguments_are_refused_with_the_layer_named():
    with pytest.raises(ValueError, match="RepeatVector: n must be a positive integer"):
        layers.RepeatVector(0)
    with pytest.raises(TypeError, match="RepeatVector: n must be an integer"):
        layers.RepeatVector(2.0)
    with pytest.raises(ValueError, match="RepeatVector.*2-D input"):
        layers.RepeatVector(2)(ndgrad.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"Permute: dims must be a permutation of 1..2"):
        layers.Permute((0, 1))
    with pytest.raises(ValueError, match=r"Permute: dims=\(2, 1\) needs a 3-D input"):
        layers.Permute((2, 1))(ndgrad.ones((2, 3, 4, 5)))
