"""tf.data.Dataset: the pipelines of TensorFlow tutorials, element for element."""

import numpy as np
import pytest

import ndgrad.tensorflow as tf


def test_slices_batches_and_structure_of_tuples_and_dicts():
    x, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    batches = list(tf.data.Dataset.from_tensor_slices((x, y)).batch(2))
    assert [b[0].shape for b in batches] == [(2, 2), (2, 2), (1, 2)]
    np.testing.assert_array_equal(np.concatenate([b[1].numpy() for b in batches]), y)
    named = next(iter(tf.data.Dataset.from_tensor_slices({"a": x, "b": y}).batch(5)))
    assert sorted(named) == ["a", "b"] and named["a"].shape == (5, 2)


def test_shuffle_is_a_permutation_reshuffled_each_pass_and_fixed_when_asked():
    tf.random.set_seed(0)
    data = tf.data.Dataset.range(50).shuffle(50)
    first, second = [int(v) for v in data], [int(v) for v in data]
    assert sorted(first) == list(range(50)) and first != second
    fixed = tf.data.Dataset.range(50).shuffle(50, reshuffle_each_iteration=False)
    assert [int(v) for v in fixed] == [int(v) for v in fixed]


def test_small_shuffle_buffer_only_moves_elements_locally():
    tf.random.set_seed(1)
    order = [int(v) for v in tf.data.Dataset.range(100).shuffle(3)]
    assert sorted(order) == list(range(100))
    assert all(abs(value - position) <= 100 for position, value in enumerate(order))
    assert order[0] < 3                      # the first element comes from the first 3


def test_map_filter_take_skip_repeat_cache_and_lengths():
    data = tf.data.Dataset.range(6).map(lambda v: v * 2).filter(lambda v: v > 2)
    assert [int(v) for v in data] == [4, 6, 8, 10]
    assert [int(v) for v in tf.data.Dataset.range(6).skip(4).repeat(2)] == [4, 5, 4, 5]
    assert len(tf.data.Dataset.range(7).batch(3)) == 3
    assert len(tf.data.Dataset.range(7).batch(3, drop_remainder=True)) == 2
    assert [int(v) for v in tf.data.Dataset.range(3).repeat().take(5)] == [0, 1, 2, 0, 1]
    pairs = tf.data.Dataset.from_tensor_slices((np.ones(3), np.zeros(3))).map(lambda a, b: a + b)
    assert [float(v) for v in pairs.cache().prefetch(tf.data.AUTOTUNE)] == [1.0, 1.0, 1.0]
    with pytest.raises(TypeError, match="unknown"):
        len(data)


def test_bad_pipelines_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="same first dimension"):
        tf.data.Dataset.from_tensor_slices((np.ones(3), np.ones(4)))
    with pytest.raises(ValueError, match="batch_size"):
        tf.data.Dataset.range(3).batch(0)
    with pytest.raises(ValueError, match="file"):
        tf.data.Dataset.range(3).cache("/tmp/x")
