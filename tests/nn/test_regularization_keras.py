"""Keras's SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout and AlphaDropout:
identity in inference, the noise and gradients of training computed by hand from the
same seeded generator, Keras's statistics, configs and errors."""

import math

import numpy as np
import pytest

import ndgrad
from ndgrad import layers

SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946

ALL = [lambda: layers.SpatialDropout1D(0.5), lambda: layers.SpatialDropout2D(0.5),
       lambda: layers.SpatialDropout3D(0.5), lambda: layers.GaussianNoise(0.3),
       lambda: layers.GaussianDropout(0.3), lambda: layers.AlphaDropout(0.3)]
SHAPES = [(2, 5, 3), (2, 4, 4, 3), (2, 3, 3, 3, 2), (4, 5), (4, 5), (4, 5)]


@pytest.mark.parametrize("index", range(len(ALL)))
def test_identity_in_inference_and_noise_in_training(rng, index):
    layer = ALL[index]()
    x = ndgrad.tensor(rng.normal(size=SHAPES[index]).astype(np.float32))
    assert layer(x) is x or np.array_equal(layer(x).numpy(), x.numpy())
    noisy = layer(x, training=True)
    assert noisy.dtype == np.float32 and noisy.shape == x.shape
    assert not np.allclose(noisy.numpy(), x.numpy())
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config


@pytest.mark.parametrize("kind, shape, shared", [
    ("SpatialDropout1D", (3, 6, 8), (1,)), ("SpatialDropout2D", (3, 4, 5, 8), (1, 2)),
    ("SpatialDropout3D", (3, 2, 3, 4, 8), (1, 2, 3))])
def test_spatial_dropout_drops_whole_feature_maps_with_inverted_scaling(kind, shape, shared):
    layer = getattr(layers, kind)(0.25, seed=7)
    x = ndgrad.Variable(np.ones(shape, np.float32))
    out = layer(x, training=True)
    values = out.numpy()
    assert set(np.unique(values)) <= {0.0, np.float32(1 / 0.75)}
    np.testing.assert_array_equal(values, np.broadcast_to(values.max(axis=shared, keepdims=True),
                                                          shape))
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), values)        # the gradient is the mask
    channels_first = getattr(layers, kind)(0.25, seed=7, **(
        {"data_format": "channels_first"} if kind != "SpatialDropout1D" else {}))
    if kind != "SpatialDropout1D":
        moved = np.moveaxis(np.ones(shape, np.float32), -1, 1)
        first = channels_first(ndgrad.tensor(moved), training=True).numpy()
        maps = first.max(axis=tuple(a + 1 for a in shared), keepdims=True)
        np.testing.assert_array_equal(first, np.broadcast_to(maps, first.shape))


def test_gaussian_noise_and_dropout_use_the_seeded_draws(rng):
    x = ndgrad.Variable(rng.normal(size=(3, 4)).astype(np.float32))
    noisy = layers.GaussianNoise(0.2, seed=5)(x, training=True)
    expected = x.numpy() + np.random.default_rng(5).normal(0.0, 0.2, (3, 4)).astype(np.float32)
    np.testing.assert_allclose(noisy.numpy(), expected, rtol=1e-6)
    dropped = layers.GaussianDropout(0.2, seed=5)(x, training=True)
    factor = np.random.default_rng(5).normal(1.0, math.sqrt(0.2 / 0.8), (3, 4))
    np.testing.assert_allclose(dropped.numpy(), x.numpy() * factor.astype(np.float32),
                               rtol=1e-6)
    dropped.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), factor, rtol=1e-6)


def test_alpha_dropout_by_hand_and_keeps_standard_statistics():
    x = ndgrad.Variable(np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4))
    out = layers.AlphaDropout(0.4, seed=3)(x, training=True)
    keep = np.random.default_rng(3).random((3, 4)) >= 0.4
    alpha_p = -SELU_ALPHA * SELU_SCALE
    a = ((1 - 0.4) * (1 + 0.4 * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * 0.4
    expected = a * np.where(keep, x.numpy(), alpha_p) + b
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), a * keep, rtol=1e-6)
    ndgrad.random.seed(1)
    big = layers.AlphaDropout(0.3)(ndgrad.random.normal((200000,)), training=True).numpy()
    assert abs(big.mean()) < 0.01 and abs(big.std() - 1) < 0.01
    shared = layers.AlphaDropout(0.5, noise_shape=(None, 1), seed=0)
    rows = shared(ndgrad.ones((6, 5)), training=True).numpy()
    np.testing.assert_array_equal(rows, rows[:, :1].repeat(5, axis=1))


def test_bad_arguments_are_refused_with_the_layer_named():
    with pytest.raises(ValueError, match=r"SpatialDropout2D: rate must be a number in \[0, 1\]"):
        layers.SpatialDropout2D(1.5)
    with pytest.raises(ValueError, match="GaussianNoise: stddev"):
        layers.GaussianNoise(-0.1)
    with pytest.raises(ValueError, match="AlphaDropout: rate=1"):
        layers.AlphaDropout(1.0)
    with pytest.raises(ValueError, match="SpatialDropout2D: data_format"):
        layers.SpatialDropout2D(0.1, data_format="channels_middle")
    with pytest.raises(ValueError, match="SpatialDropout1D.*3-D input"):
        layers.SpatialDropout1D(0.1)(ndgrad.ones((2, 3)), training=True)
    with pytest.raises(ValueError, match="AlphaDropout.*noise_shape"):
        layers.AlphaDropout(0.1, noise_shape=(None,))(ndgrad.ones((2, 3)), training=True)


def test_symbolic_calls_keep_the_shape():
    for index, make in enumerate(ALL):
        shape = (None,) + SHAPES[index][1:]
        assert make()(ndgrad.Input(shape=shape[1:])).shape == shape
