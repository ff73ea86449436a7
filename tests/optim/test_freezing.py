"""Live freezing (no update, no decay, no state change) and missing-gradient reports."""

import copy
import warnings

import numpy as np
import pytest

import ndgrad
from ndgrad.optim import MissingGradientWarning


def _snapshot(optimizer, param):
    return param.numpy().copy(), copy.deepcopy(optimizer.state[param])


def _same_state(left, right):
    assert left.keys() == right.keys()
    for key in left:
        np.testing.assert_array_equal(left[key], right[key])


@pytest.mark.parametrize("make", [
    lambda ps: ndgrad.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1),
    lambda ps: ndgrad.optim.Adam(ps, lr=0.1, weight_decay=0.1, amsgrad=True),
    lambda ps: ndgrad.optim.AdamW(ps, lr=0.1, weight_decay=0.5),
    lambda ps: ndgrad.optim.RMSprop(ps, lr=0.1, momentum=0.9, centered=True, weight_decay=0.1),
    lambda ps: ndgrad.optim.NAdam(ps, lr=0.1, weight_decay=0.1, decoupled_weight_decay=True),
], ids=["SGD", "Adam", "AdamW", "RMSprop", "NAdam"])
def test_freezing_mid_training_stops_everything_and_unfreezing_resumes(make):
    frozen, other = ndgrad.nn.Parameter([1.0, -2.0]), ndgrad.nn.Parameter([0.5])
    optimizer = make([frozen, other])

    def train(steps):
        for _ in range(steps):
            optimizer.zero_grad()
            ((frozen * frozen).sum() + (other * other).sum()).backward()
            frozen.grad = ndgrad.tensor([1.0, 1.0])      # a stale gradient must not matter
            optimizer.step()

    train(3)
    frozen.trainable = False
    before = _snapshot(optimizer, frozen)
    other_before = other.numpy().copy()
    train(4)
    after = _snapshot(optimizer, frozen)
    np.testing.assert_array_equal(after[0], before[0])            # bit-identical parameter
    _same_state(after[1], before[1])                             # and state, step included
    assert after[1]["step"] == 3
    assert not np.array_equal(other.numpy(), other_before)       # the rest trains on
    frozen.trainable = True                                      # no new optimizer
    train(1)
    assert optimizer.state[frozen]["step"] == 4
    assert not np.array_equal(frozen.numpy(), before[0])


def test_frozen_variables_in_apply_gradients_are_skipped_quietly():
    trainable, frozen = ndgrad.Variable([1.0], name="t"), ndgrad.Variable([1.0], name="f")
    optimizer = ndgrad.optim.SGD(learning_rate=0.5)
    frozen.trainable = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizer.apply_gradients([(ndgrad.tensor([1.0]), trainable),
                                   (ndgrad.tensor([1.0]), frozen)])
    assert trainable.tolist() == [0.5] and frozen.tolist() == [1.0]
    assert optimizer.params == [trainable]


def test_step_warns_once_per_set_naming_every_parameter_without_gradient():
    named = ndgrad.nn.Parameter([1.0], name="encoder/kernel")
    unnamed = ndgrad.nn.Parameter([[1.0, 2.0]])
    used = ndgrad.nn.Parameter([1.0])
    optimizer = ndgrad.optim.SGD([used, named, unnamed], lr=0.1)
    used.grad = ndgrad.tensor([1.0])
    with pytest.warns(MissingGradientWarning) as record:
        optimizer.step()
    message = str(record[0].message)
    assert len(record) == 1 and "2 trainable parameters got no update" in message
    assert "'encoder/kernel' got no gradient" in message
    assert "parameter 2 of shape (1, 2) got no gradient" in message
    assert record[0].filename == __file__                        # points at the user's line
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizer.step()                                         # the same set: once only
    unnamed.grad = ndgrad.tensor([[1.0, 1.0]])
    with pytest.warns(MissingGradientWarning, match="1 trainable parameter got"):
        optimizer.step()                                         # a new set warns again


def test_missing_gradients_error_changes_nothing_and_ignore_is_silent():
    a, b = ndgrad.Variable([1.0], name="a"), ndgrad.Variable([1.0], name="b")
    optimizer = ndgrad.optim.Adam([a, b], lr=0.1, missing_gradients="error")
    a.grad = ndgrad.tensor([1.0])
    with pytest.raises(ValueError, match="'b' got no gradient"):
        optimizer.step()
    assert a.tolist() == [1.0] and optimizer.iterations == 0 and not optimizer.state[a]
    optimizer.missing_gradients = "ignore"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizer.step()
    assert a.tolist() != [1.0]
    with pytest.raises(ValueError, match="missing_gradients must be one of"):
        ndgrad.optim.SGD(lr=0.1, missing_gradients="loud")


def test_apply_gradients_with_no_gradient_at_all_says_why_for_each():
    constant = ndgrad.tensor([1.0])
    frozen = ndgrad.Variable([1.0], trainable=False, name="frozen")
    unused = ndgrad.Variable([1.0], name="unused")
    optimizer = ndgrad.optim.Adam(learning_rate=0.1)
    with pytest.raises(ValueError, match="No gradients provided for any variable") as error:
        optimizer.apply_gradients([(None, constant), (None, frozen), (None, unused)])
    message = str(error.value)
    assert "parameter 0 of shape (1,) is a constant tensor, not a Variable" in message
    assert "'frozen' has trainable=False (frozen)" in message
    assert "'unused' got no gradient" in message
    assert optimizer.params == [] and optimizer.iterations == 0


def test_apply_gradients_with_some_missing_warns_and_updates_the_rest():
    a, b = ndgrad.Variable([1.0], name="a"), ndgrad.Variable([1.0], name="b")
    optimizer = ndgrad.optim.SGD(learning_rate=0.1)
    with pytest.warns(MissingGradientWarning, match="'b' got no gradient"):
        optimizer.apply_gradients([(ndgrad.tensor([1.0]), a), (None, b)])
    assert a.tolist() == [pytest.approx(0.9)] and b.tolist() == [1.0]
