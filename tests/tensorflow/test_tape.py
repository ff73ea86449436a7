"""tf.GradientTape keeps TensorFlow's rule: only what the tape saw gets a gradient."""

import warnings

import numpy as np
import pytest

import ndgrad
import ndgrad.tensorflow as tf


def test_variable_used_inside_the_tape_gets_its_gradient():
    w = tf.Variable([[1.0], [2.0]])
    x = tf.constant([[3.0, 4.0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.matmul(x, w) ** 2)
    (grad,) = tape.gradient(loss, [w])
    np.testing.assert_allclose(grad.numpy(), [[66.0], [88.0]])


def test_loss_computed_before_the_tape_gives_none_and_says_why():
    w = tf.Variable([1.0], name="w")
    loss = w * 3.0
    with tf.GradientTape() as tape:
        same = loss
    with pytest.warns(RuntimeWarning, match="'w' was neither watched"):
        assert tape.gradient(same, [w]) == [None]
    # The core tape differentiates through the recorded graph regardless.
    with ndgrad.GradientTape() as core_tape:
        same = loss
    assert core_tape.gradient(same, [w])[0].tolist() == [3.0]


def test_unwatched_constant_gets_none_and_watched_constant_a_gradient():
    x = tf.constant([2.0])
    with tf.GradientTape(persistent=True) as tape:
        y = x * x
    with pytest.warns(RuntimeWarning):
        assert tape.gradient(y, x) is None
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x).numpy().tolist() == [4.0]


def test_watch_accessed_variables_false_needs_watch():
    w = tf.Variable([1.0])
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = w * 5.0
    with pytest.warns(RuntimeWarning):
        assert tape.gradient(y, w) is None
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w)
        y = w * 5.0
    assert tape.gradient(y, w).numpy().tolist() == [5.0]


def test_persistent_tape_answers_twice_and_intermediates_are_sources():
    w = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        h = w * w
        y = h * 2.0
    assert tape.gradient(y, h).numpy().item() == 2.0
    assert tape.gradient(y, w).numpy().item() == 12.0


def test_apply_gradients_with_only_none_gradients_raises_as_tensorflow():
    w = tf.Variable([1.0], name="w")
    optimizer = ndgrad.optim.SGD(learning_rate=0.1)
    with pytest.raises(ValueError, match="No gradients provided"):
        optimizer.apply_gradients(zip([None], [w]))
    assert w.numpy().tolist() == [1.0]


def test_nested_tapes_give_second_derivatives():
    x = tf.Variable(2.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x * x * x
        dy = inner.gradient(y, x)
    assert dy.numpy().item() == 12.0
    assert outer.gradient(dy, x).numpy().item() == 12.0


def test_no_warning_when_some_source_gets_a_gradient():
    w, frozen = tf.Variable([1.0]), tf.Variable([1.0], trainable=False)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(w * frozen)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grads = tape.gradient(y, [w, frozen])
    assert grads[0].numpy().tolist() == [1.0] and grads[1] is None
