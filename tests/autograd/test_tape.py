"""GradientTape: structures, watch, persistence, unconnected sources, jacobian."""

import numpy as np
import pytest

import ndgrad


def test_gradient_keeps_the_structure_of_sources():
    a, b = ndgrad.Variable(1.0), ndgrad.Variable(2.0)
    with ndgrad.GradientTape(persistent=True) as tape:
        y = a * b
    assert tape.gradient(y, a).item() == 2.0
    as_list = tape.gradient(y, [a, b])
    as_tuple = tape.gradient(y, (a, b))
    as_dict = tape.gradient(y, {"a": a, "nested": [b]})
    assert isinstance(as_list, list) and isinstance(as_tuple, tuple)
    assert [g.item() for g in as_list] == [2.0, 1.0]
    assert as_dict["nested"][0].item() == 1.0


def test_gradient_never_touches_dot_grad():
    w = ndgrad.Variable([1.0])
    with ndgrad.GradientTape() as tape:
        y = (w * 5).sum()
    tape.gradient(y, w)
    assert w.grad is None


def test_non_persistent_tape_used_twice_names_persistent():
    w = ndgrad.Variable(1.0)
    with ndgrad.GradientTape() as tape:
        y = w * w
    tape.gradient(y, w)
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.gradient(y, w)


def test_watch_makes_a_constant_differentiable():
    x = ndgrad.tensor([3.0])
    with ndgrad.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x).tolist() == [6.0]
    assert not x.trainable and x.grad is None
    assert not (x * 2).requires_grad     # not watched any more after the tape


def test_watched_variables_lists_watched_and_accessed():
    w = ndgrad.Variable(1.0, name="w")
    frozen = ndgrad.Variable(1.0, name="frozen", trainable=False)
    c = ndgrad.tensor(1.0)
    with ndgrad.GradientTape() as tape:
        tape.watch(c)
        y = w * frozen * c
    assert [v.name for v in tape.watched_variables()] == [None, "w"]
    del y


def test_watch_accessed_variables_false_differentiates_only_watched():
    a, b = ndgrad.Variable(2.0), ndgrad.Variable(3.0)
    with ndgrad.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        y = a * b
    ga, gb = tape.gradient(y, [a, b])
    assert ga.item() == 3.0 and gb is None


def test_unconnected_sources_get_none_or_zero():
    a, b = ndgrad.Variable(2.0), ndgrad.Variable([1.0, 1.0])
    with ndgrad.GradientTape(persistent=True) as tape:
        y = a * a
    assert tape.gradient(y, [a, b])[1] is None
    zero = tape.gradient(y, [a, b], unconnected_gradients="zero")[1]
    assert zero.tolist() == [0.0, 0.0]


def test_no_gradient_at_all_warns_with_reasons():
    x = ndgrad.tensor([3.0, 4.0])
    frozen = ndgrad.Variable([1.0, 2.0], trainable=False, name="non_trainable")
    with ndgrad.GradientTape() as tape:
        loss = (x + frozen).sum()
    with pytest.warns(RuntimeWarning, match="trainable=False") as record:
        grads = tape.gradient(loss, [x, frozen])
    assert grads == [None, None]
    assert "constant" in str(record[0].message)


def test_target_computed_before_the_tape_gets_its_correct_gradient():
    # seed 001, example 3: ndgrad records every op on trainable variables, so a
    # loss computed before the tape is still differentiable (TensorFlow: None).
    w = ndgrad.Variable([1.0])
    loss = w - 1.0
    with ndgrad.GradientTape() as tape:
        same = loss
    assert tape.gradient(same, [w])[0].tolist() == [1.0]


def test_output_gradients_and_list_targets():
    w = ndgrad.Variable([1.0, 2.0])
    with ndgrad.GradientTape(persistent=True) as tape:
        y = w * 3
        z = w * w
    assert tape.gradient(y, w, output_gradients=ndgrad.tensor([1.0, 0.0])).tolist() == [3.0, 0.0]
    assert tape.gradient([y, z], w).tolist() == [5.0, 7.0]


def test_gradient_with_respect_to_an_intermediate():
    w = ndgrad.Variable(2.0)
    with ndgrad.GradientTape() as tape:
        h = w * 3
        y = h * h
    assert tape.gradient(y, h).item() == 12.0


def test_nested_tapes_give_second_derivatives():
    x = ndgrad.Variable(2.0, dtype="float64")
    with ndgrad.GradientTape() as outer:
        with ndgrad.GradientTape() as inner:
            y = x ** 3
        dy = inner.gradient(y, x)
    assert dy.item() == 12.0
    assert outer.gradient(dy, x).item() == 12.0


def test_jacobian():
    x = ndgrad.Variable([1.0, 2.0, 3.0])
    with ndgrad.GradientTape() as tape:
        y = ndgrad.stack([x[0] * x[1], x[2] ** 2])
    assert tape.jacobian(y, x).tolist() == [[2.0, 1.0, 0.0], [0.0, 0.0, 6.0]]


def test_sources_must_be_tensors():
    w = ndgrad.Variable(1.0)
    with ndgrad.GradientTape() as tape:
        y = w * 2
    with pytest.raises(TypeError, match="sources must be tensors"):
        tape.gradient(y, [np.ones(1)])


def test_stop_recording():
    w = ndgrad.Variable(1.0)
    with ndgrad.GradientTape() as tape:
        with tape.stop_recording():
            y = w * 2
    assert not y.requires_grad
