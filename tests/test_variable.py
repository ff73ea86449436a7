"""Variable and nn.Parameter: creation, assign family, errors that change nothing."""

import numpy as np
import pytest

import ndgrad


def test_variable_is_a_trainable_named_leaf_by_default():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    assert w.trainable and w.requires_grad and w.is_leaf and w.name == "w"
    assert w.dtype == ndgrad.float32


def test_variable_copies_its_initial_value():
    source = np.zeros(2, dtype=np.float32)
    w = ndgrad.Variable(source)
    source[0] = 9
    assert w.tolist() == [0.0, 0.0]


def test_assign_family_writes_in_place_and_is_never_recorded():
    w = ndgrad.Variable([1.0, 2.0])
    data = w._data
    w.assign([5.0, 6.0])
    w.assign_add(ndgrad.tensor([1.0, 1.0]))
    w.assign_sub(0.5)
    assert w._data is data and w.tolist() == [5.5, 6.5]
    assert w.is_leaf and w.trainable


def test_assign_is_allowed_while_recording_and_inside_a_tape():
    w = ndgrad.Variable([1.0])
    with ndgrad.GradientTape():
        w.assign([3.0])
    assert w.tolist() == [3.0]


def test_assign_with_a_wrong_shape_or_dtype_fails_and_changes_nothing():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    with pytest.raises(ValueError, match=r"shape \(3,\).*shape \(2,\)"):
        w.assign([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="float64 in a int64"):
        ndgrad.Variable([1, 2], trainable=False).assign(np.array([0.5, 1.5]))
    assert w.tolist() == [1.0, 2.0]


def test_assign_after_use_is_caught_by_backward():
    w = ndgrad.Variable([2.0])
    y = w * w
    w.assign([3.0])
    with pytest.raises(RuntimeError, match="modified in place"):
        y.sum().backward()


def test_read_value_is_a_constant_view():
    w = ndgrad.Variable([1.0])
    v = w.read_value()
    assert not v.trainable and v.tolist() == [1.0]
    w.assign([2.0])
    assert v.tolist() == [2.0]


def test_value_is_the_variable_itself_as_keras_3():
    w = ndgrad.Variable([1.0])
    (w * 2).sum().backward()
    assert w.value is w and w.value.grad.tolist() == [2.0]


def test_parameter_is_a_trainable_variable():
    p = ndgrad.nn.Parameter(ndgrad.randn(10, 1))
    assert isinstance(p, ndgrad.Variable) and p.trainable and p.shape == (10, 1)
    assert not ndgrad.nn.Parameter([1.0], requires_grad=False).trainable


def test_trainable_flag_is_live():
    w = ndgrad.Variable([1.0])
    w.trainable = False
    assert not (w * 2).requires_grad
    w.trainable = True
    assert (w * 2).requires_grad
