"""Keras's GroupNormalization, UnitNormalization and LayerNormalization(rms_scaling=True):
against PyTorch (GroupNorm on transposed images, F.normalize, the rms formula) forward
and backward, float64 finite differences, counts, configs and errors."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, layers

from .layer_gradients import assert_layer_gradients

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _compare(ours_layer, theirs_function, x, rng, weights=()):
    ours_x = ndgrad.Variable(x)
    theirs_x = torch.tensor(x, requires_grad=True)
    ours, theirs = ours_layer(ours_x), theirs_function(theirs_x)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-4, atol=1e-5)
    cotangent = rng.normal(size=ours.shape).astype(np.float32)
    (ours * ndgrad.tensor(cotangent)).sum().backward()
    (theirs * torch.tensor(cotangent)).sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-4, atol=1e-5)
    for mine, reference in weights:
        np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=1e-4,
                                   atol=1e-5)


@pytest.mark.parametrize("groups, shape, axis", [(2, (2, 4, 5, 6), -1), (3, (2, 7, 6), -1),
                                                 (-1, (2, 3, 4, 4), -1), (2, (2, 4, 3, 3), 1)])
def test_group_normalization_matches_pytorch_group_norm(rng, groups, shape, axis):
    layer = layers.GroupNormalization(groups=groups, axis=axis, epsilon=1e-5,
                                      gamma_initializer="random_normal",
                                      beta_initializer="random_normal")
    x = rng.normal(size=shape).astype(np.float32)
    layer(ndgrad.tensor(x))
    channels = shape[axis]
    reference = torch.nn.GroupNorm(channels if groups == -1 else groups, channels, eps=1e-5)
    with torch.no_grad():
        reference.weight.copy_(torch.tensor(layer.gamma.numpy()))
        reference.bias.copy_(torch.tensor(layer.beta.numpy()))

    def theirs(t):
        first = t if axis == 1 else t.movedim(-1, 1)
        out = reference(first)
        return out if axis == 1 else out.movedim(1, -1)

    _compare(layer, theirs, x, rng, [(layer.gamma, reference.weight),
                                     (layer.beta, reference.bias)])
    assert layer.count_params() == 2 * channels


def test_unit_normalization_matches_pytorch_normalize(rng):
    x = rng.normal(size=(3, 4, 5)).astype(np.float32)
    _compare(layers.UnitNormalization(), lambda t: F.normalize(t, dim=-1, eps=1e-12), x, rng)
    _compare(layers.UnitNormalization(axis=[1, 2]),
             lambda t: t / t.pow(2).sum((1, 2), keepdim=True).clamp_min(1e-24).sqrt(), x, rng)
    zeros = layers.UnitNormalization()(ndgrad.zeros((2, 3)))
    assert np.isfinite(zeros.numpy()).all() and not zeros.numpy().any()


def test_layer_normalization_rms_scaling_is_keras_formula(rng):
    with pytest.warns(UserWarning, match="rms_scaling=True is deprecated"):
        layer = layers.LayerNormalization(rms_scaling=True, gamma_initializer="random_normal")
    x = rng.normal(loc=2.0, size=(3, 4, 6)).astype(np.float32)
    layer(ndgrad.tensor(x))
    assert layer.beta is None and layer.gamma.shape == (6,) and layer.count_params() == 6
    gamma = torch.tensor(layer.gamma.numpy(), requires_grad=True)
    _compare(layer, lambda t: t / torch.sqrt(t.var(-1, unbiased=False, keepdim=True) + 1e-3)
             * gamma, x, rng, [(layer.gamma, gamma)])
    assert layer.get_config()["rms_scaling"] is True


@pytest.mark.parametrize("make, shape", [
    (lambda: layers.GroupNormalization(groups=2, dtype="float64",
                                       gamma_initializer="random_normal"), (2, 3, 4)),
    (lambda: layers.UnitNormalization(axis=1, dtype="float64"), (2, 3, 4)),
    (lambda: layers.LayerNormalization(axis=[1, 2], rms_scaling=True, dtype="float64"),
     (2, 3, 4)),
], ids=["group", "unit", "layer-rms"])
@pytest.mark.filterwarnings("ignore:LayerNormalization")
def test_gradients_match_float64_finite_differences(rng, make, shape):
    layer = make()
    x = rng.normal(size=shape)
    layer(ndgrad.tensor(x))
    assert_layer_gradients(layer, x)


def test_configs_symbolic_calls_and_saving(tmp_path, rng):
    inputs = keras.Input(shape=(None, None, 8))
    hidden = layers.GroupNormalization(groups=4)(inputs)
    outputs = layers.UnitNormalization(axis=[1, 2])(hidden)
    assert outputs.shape == (None, None, None, 8)
    model = keras.Model(inputs, outputs)
    path = str(tmp_path / "norms.keras")
    model.save(path)
    x = ndgrad.tensor(rng.normal(size=(2, 3, 3, 8)).astype(np.float32))
    np.testing.assert_allclose(keras.models.load_model(path)(x).numpy(), model(x).numpy(),
                               rtol=1e-6)
    config = model.layers[1].get_config()
    assert (config["groups"], config["axis"], config["epsilon"]) == (4, -1, 1e-3)


def test_bad_arguments_are_refused_with_the_layer_named():
    with pytest.raises(ValueError, match="GroupNormalization: groups must be a positive"):
        layers.GroupNormalization(groups=0)
    with pytest.raises(ValueError, match="GroupNormalization: the 6 channels cannot be split "
                                         "into 4 equal groups"):
        layers.GroupNormalization(groups=4)(ndgrad.ones((2, 6)))
    with pytest.raises(ValueError, match="GroupNormalization: axis 0 must be a non-batch axis"):
        layers.GroupNormalization(groups=1, axis=0)(ndgrad.ones((2, 6)))
    with pytest.raises(TypeError, match="UnitNormalization: axis must be an int"):
        layers.UnitNormalization(axis="last")
    layer = layers.GroupNormalization(groups=2)
    layer(ndgrad.ones((2, 4)))
    with pytest.raises(ValueError, match="GroupNormalization.*4 channels on axis -1"):
        layer(ndgrad.ones((2, 6)))
