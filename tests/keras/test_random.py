"""keras.random: seeds (None, int, SeedGenerator), distributions, dropout."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras
from ndgrad.keras import random


def test_int_seeds_repeat_and_seed_generators_advance():
    assert random.uniform((3,), seed=5).tolist() == random.uniform((3,), seed=5).tolist()
    generator = random.SeedGenerator(42)
    first, second = random.normal((3,), seed=generator), random.normal((3,), seed=generator)
    assert first.tolist() != second.tolist()
    again = random.SeedGenerator(42)
    assert random.normal((3,), seed=again).tolist() == first.tolist()


def test_global_seed_from_set_random_seed():
    keras.utils.set_random_seed(3)
    a = random.normal((4,))
    keras.utils.set_random_seed(3)
    assert random.normal((4,)).tolist() == a.tolist()


def test_set_random_seed_also_sets_tensorflows_global_seed():
    """A seeded tf.data shuffle depends on TensorFlow's global seed: after
    set_random_seed it is the same whatever tf.random.set_seed said before."""
    import ndgrad.tensorflow as tf

    def order_after(previous_global_seed):
        tf.random.set_seed(previous_global_seed)
        keras.utils.set_random_seed(0)
        return [int(x) for x in tf.data.Dataset.range(8).shuffle(8, seed=1)]

    assert order_after(1) == order_after(5)


def test_distribution_statistics():
    values = random.normal((20000,), mean=2.0, stddev=0.5, seed=0).numpy()
    assert abs(values.mean() - 2.0) < 0.02 and abs(values.std() - 0.5) < 0.02
    values = random.truncated_normal((20000,), stddev=2.0, seed=0).numpy()
    assert np.abs(values).max() <= 4.0
    counts = np.bincount(random.randint((30000,), 0, 3, seed=0).numpy(), minlength=3)
    assert (np.abs(counts / 30000 - 1 / 3) < 0.02).all()
    samples = random.categorical(np.log([[0.2, 0.8]]), 20000, seed=0).numpy()
    assert samples.shape == (1, 20000) and abs(samples.mean() - 0.8) < 0.02
    assert random.gamma((5,), 2.0, seed=0).dtype == np.float32
    assert random.binomial((3,), 5, 0.0, seed=0).tolist() == [0.0, 0.0, 0.0]
    assert 0 < random.beta((100,), 2.0, 2.0, seed=0).numpy().mean() < 1


def test_dropout_scales_survivors_and_is_differentiable():
    x = ndgrad.Variable(np.ones(1000, np.float32))
    out = random.dropout(x, 0.25, seed=0)
    kept = out.numpy() != 0
    assert np.allclose(out.numpy()[kept], 1 / 0.75) and 0.7 < kept.mean() < 0.8
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), kept / 0.75)
    rows = random.dropout(ndgrad.ones((4, 6)), 0.5, noise_shape=(4, 1), seed=1).numpy()
    assert all(len(set(row.tolist())) == 1 for row in rows)


def test_shuffle_permutes_along_an_axis():
    x = ndgrad.arange(12).reshape(3, 4)
    shuffled = random.shuffle(x, axis=1, seed=0).numpy()
    assert sorted(shuffled[0].tolist()) == [0, 1, 2, 3]
    assert (shuffled - shuffled[:, :1] == x.numpy() - x.numpy()[:, :1])[:, 0].all()


def test_bad_seeds_and_dtypes():
    with pytest.raises(TypeError, match="seed must be None, an int or a SeedGenerator"):
        random.normal((2,), seed=1.5)
    with pytest.raises(TypeError, match="a floating dtype is needed"):
        random.normal((2,), dtype="int32")
    with pytest.raises(ValueError, match="rate must be in \\[0, 1\\)"):
        random.dropout(ndgrad.ones(2), 1.0)
