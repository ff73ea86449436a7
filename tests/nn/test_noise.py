"""Keras's GaussianNoise and GaussianDropout: identity in inference, the noise and
gradients of training computed by hand from the same seeded generator, configs and
errors."""

import math

import numpy as np
import pytest

import ndgrad
from ndgrad import layers

ALL = [lambda: layers.GaussianNoise(0.3), lambda: layers.GaussianDropout(0.3)]
SHAPES = [(4, 5), (2, 3, 4)]


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


def test_bad_arguments_are_refused_with_the_layer_named():
    with pytest.raises(ValueError, match=r"GaussianDropout: rate must be a number in \[0, 1\]"):
        layers.GaussianDropout(1.5)
    with pytest.raises(ValueError, match="GaussianNoise: stddev"):
        layers.GaussianNoise(-0.1)
    with pytest.raises(ValueError, match="GaussianDropout: rate=1"):
        layers.GaussianDropout(1.0)


def test_symbolic_calls_keep_the_shape():
    for index, make in enumerate(ALL):
        shape = (None,) + SHAPES[index][1:]
        assert make()(ndgrad.Input(shape=shape[1:])).shape == shape
