"""Keras's initializers: names, configs, Keras's fans, statistics, seeds."""

import math

import numpy as np
import pytest

import ndgrad
from ndgrad.nn import init, initializers

torch = pytest.importorskip("torch")

KERAS_NAMES = ["zeros", "ones", "constant", "random_normal", "random_uniform",
               "truncated_normal", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
               "lecun_uniform", "lecun_normal", "orthogonal", "identity", "variance_scaling"]


@pytest.mark.parametrize("name", KERAS_NAMES)
def test_every_name_gives_a_float32_tensor_of_the_shape(name):
    initializer = init.get(name)
    value = initializer((6, 6))
    assert isinstance(value, ndgrad.Tensor) and value.shape == (6, 6)
    assert value.dtype == np.float32 and not value.trainable
    assert initializer((6, 6), dtype="float64").dtype == np.float64
    rebuilt = type(initializer).from_config(initializer.get_config())
    assert rebuilt.get_config() == initializer.get_config()


def test_class_spellings_configs_and_callables_resolve():
    assert isinstance(init.get("GlorotUniform"), init.GlorotUniform)
    assert isinstance(init.get("he_normal"), initializers.HeNormal)
    custom = init.get({"class_name": "RandomNormal", "config": {"mean": 1.0, "stddev": 0.0}})
    assert custom((2,)).tolist() == [1.0, 1.0]
    assert init.get(custom) is custom and init.get(None) is None

    def my_initializer(shape, dtype=None):
        return ndgrad.zeros(shape)
    assert init.get(my_initializer) is my_initializer


def test_unknown_names_list_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown initializer 'glorot'; known names: .*"
                                         r"glorot_normal, glorot_uniform"):
        init.get("glorot")
    with pytest.raises(TypeError, match="expected a name, a config dict or a callable"):
        init.get(3)


@pytest.mark.parametrize("kernel_shape,torch_weight_shape", [
    ((20, 30), (30, 20)),                   # Dense(30) on 20 inputs vs Linear(20, 30)
    ((5, 8, 16), (16, 8, 5)),               # Conv1D vs Conv1d
    ((3, 3, 16, 32), (32, 16, 3, 3)),       # Conv2D vs Conv2d
])
def test_keras_fans_of_a_kernel_equal_torch_fans_of_the_same_layer(kernel_shape,
                                                                   torch_weight_shape):
    expected = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(torch_weight_shape))
    assert initializers.compute_fans(kernel_shape) == expected
    assert init._calculate_fan_in_and_fan_out(torch_weight_shape) == expected


def test_keras_fans_of_vectors_and_scalars():
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans(()) == (1, 1)


@pytest.mark.parametrize("name,variance", [
    ("glorot_uniform", lambda i, o: 2 / (i + o)), ("glorot_normal", lambda i, o: 2 / (i + o)),
    ("he_uniform", lambda i, o: 2 / i), ("he_normal", lambda i, o: 2 / i),
    ("lecun_uniform", lambda i, o: 1 / i), ("lecun_normal", lambda i, o: 1 / i)])
@pytest.mark.parametrize("shape", [(300, 200), (3, 3, 32, 64)])
def test_variance_scaling_family_statistics(name, variance, shape):
    fan_in, fan_out = initializers.compute_fans(shape)
    std = math.sqrt(variance(fan_in, fan_out))
    values = init.get(name)(shape).numpy()
    assert values.std() == pytest.approx(std, rel=0.02)
    assert abs(values.mean()) < 0.02 * std
    if name.endswith("uniform"):
        assert np.abs(values).max() <= math.sqrt(3) * std * (1 + 1e-6)
    else:                            # truncated at two (rescaled) standard deviations
        assert np.abs(values).max() <= 2 * std / 0.87962566103423978 * (1 + 1e-6)


def test_variance_scaling_options_and_validation():
    values = initializers.VarianceScaling(3.0, "fan_out", "untruncated_normal")((400, 500))
    assert values.numpy().std() == pytest.approx(math.sqrt(3.0 / 500), rel=0.02)
    with pytest.raises(ValueError, match="mode must be one of"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="distribution must be one of"):
        initializers.VarianceScaling(distribution="cauchy")


def test_random_normal_uniform_and_truncated_statistics():
    values = init.RandomNormal(mean=1.0, stddev=0.5)((200_000,)).numpy()
    assert values.mean() == pytest.approx(1.0, abs=0.005)
    assert values.std() == pytest.approx(0.5, rel=0.01)
    values = init.RandomUniform(-1.0, 3.0)((200_000,)).numpy()
    assert values.min() >= -1.0 and values.max() <= 3.0
    assert values.mean() == pytest.approx(1.0, abs=0.02)
    values = init.TruncatedNormal(stddev=0.05)((200_000,)).numpy()
    assert np.abs(values).max() <= 0.1
    assert values.std() == pytest.approx(0.05 * 0.87962566103423978, rel=0.01)


def test_keras_defaults():
    assert init.RandomNormal().get_config() == {"mean": 0.0, "stddev": 0.05, "seed": None}
    assert init.RandomUniform().get_config() == {"minval": -0.05, "maxval": 0.05, "seed": None}
    assert init.GlorotUniform(seed=3).get_config() == {"seed": 3}
    assert init.Constant(2.0).get_config() == {"value": 2.0}
    assert repr(init.HeNormal()) == "HeNormal(seed=None)"


@pytest.mark.parametrize("shape", [(4, 6), (6, 4), (3, 3, 2, 8)])
def test_orthogonal_uses_keras_layout(shape):
    values = init.Orthogonal(gain=0.5)(shape, dtype="float64").numpy().reshape(-1, shape[-1])
    rows, cols = values.shape
    gram = values @ values.T if rows <= cols else values.T @ values
    np.testing.assert_allclose(gram, 0.25 * np.eye(min(rows, cols)), atol=1e-10)


def test_identity_and_its_shape_check():
    assert init.Identity(gain=2.0)((2, 2)).tolist() == [[2.0, 0.0], [0.0, 2.0]]
    with pytest.raises(ValueError, match=r"the shape must be 2-D; got \(2, 2, 2\)"):
        init.Identity()((2, 2, 2))


def test_integer_seed_repeats_and_global_seed_reproduces():
    seeded = init.GlorotUniform(seed=5)
    assert np.array_equal(seeded((3, 4)).numpy(), seeded((3, 4)).numpy())
    ndgrad.random.seed(11)
    first = init.get("he_normal")((3, 4)).numpy()
    ndgrad.random.seed(11)
    assert np.array_equal(init.get("he_normal")((3, 4)).numpy(), first)
    assert not np.array_equal(init.get("he_normal")((3, 4)).numpy(), first)


def test_random_initializers_need_a_floating_dtype():
    with pytest.raises(TypeError, match="need a floating dtype; got int64"):
        init.get("glorot_uniform")((2, 2), dtype="int64")
    assert init.get("zeros")((2,), dtype="int64").tolist() == [0, 0]
