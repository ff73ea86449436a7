"""default_collate: structure, dtype rule and shape errors."""

import numpy as np
import pytest

import ndgrad
from ndgrad.data import batch_array, default_collate


def test_tuples_become_tuples_of_stacked_tensors():
    x, y = default_collate([(np.ones((2, 2)), 3), (np.zeros((2, 2)), 4)])
    assert x.shape == (2, 2, 2) and x.dtype == np.float32
    assert y.tolist() == [3, 4] and y.dtype == np.int64


def test_dicts_and_single_values():
    batch = default_collate([{"a": 1.0, "b": True}, {"a": 2.0, "b": False}])
    assert batch["a"].dtype == np.float32 and batch["b"].dtype == np.bool_
    single = default_collate([np.int32(1), np.int32(2)])
    assert isinstance(single, ndgrad.Tensor) and single.dtype == np.int64


def test_tensors_in_samples_give_their_values_without_the_graph():
    w = ndgrad.Variable([1.0, 2.0])
    batch = default_collate([w * 2, w * 3])
    assert not batch.requires_grad
    assert batch.tolist() == [[2.0, 4.0], [3.0, 6.0]]


def test_float32_and_float16_stay():
    assert batch_array(np.zeros(1, np.float16)).dtype == np.float16
    assert default_collate([np.zeros(1, np.float32)]).dtype == np.float32


@pytest.mark.parametrize("samples, message", [
    ([], "empty list"),
    ([(np.zeros(2), 1), (np.zeros(3), 1)], r"field 0 .*different shapes \[\(2,\), \(3,\)\]"),
    ([(1, 2), (1,)], "tuple of 2 fields"),
    ([{"a": 1}, {"b": 1}], "dict with keys"),
])
def test_inconsistent_samples_are_refused(samples, message):
    with pytest.raises(ValueError, match=message):
        default_collate(samples)
