"""keras.ops core: conversions, control flow, slices and scatters (values by hand,
gradients against finite differences)."""

import numpy as np
import pytest

import ndgrad
from ndgrad.keras import ops


def test_shape_conversions_and_dtypes():
    x = ops.convert_to_tensor([[1.0, 2.0]])
    assert ops.shape(x) == (1, 2) and isinstance(ops.shape(x)[0], int)
    assert ops.convert_to_tensor(x) is x
    assert ops.convert_to_tensor(x, dtype="float64").dtype == np.float64
    assert ops.dtype(ops.cast(x, "int32")) == "int32"
    assert type(ops.convert_to_numpy(x)) is np.ndarray
    assert ops.is_tensor(x) and not ops.is_tensor([1.0])
    assert ops.saturate_cast([-3.0, 300.0], "uint8").tolist() == [0, 255]
    with pytest.raises(ValueError, match="sparse and ragged tensors are not supported"):
        ops.convert_to_tensor([1.0], sparse=True)


def test_cast_between_floats_keeps_the_gradient():
    w = ndgrad.Variable([1.0, 2.0])
    ops.sum(ops.cast(w, "float64") * 3).backward()
    assert w.grad.tolist() == [3.0, 3.0]


def test_stop_gradient_cuts_the_graph():
    w = ndgrad.Variable([2.0])
    (ops.stop_gradient(w) * w).sum().backward()
    assert w.grad.tolist() == [2.0]


def test_control_flow_runs_eagerly():
    assert ops.cond(ndgrad.tensor(True), lambda: "yes", lambda: "no") == "yes"
    assert ops.fori_loop(0, 5, lambda i, acc: acc + i, 0) == 10
    assert ops.while_loop(lambda i: i < 10, lambda i: i * 2, 1) == 16
    assert ops.while_loop(lambda i, s: True, lambda i, s: (i + 1, s + 1), (0, 0),
                          maximum_iterations=3) == (3, 3)
    assert ops.switch(-4, [lambda: "first", lambda: "second"]) == "first"
    carry, ys = ops.scan(lambda c, x: (c * x, c), 1.0, ndgrad.tensor([2.0, 3.0, 4.0]),
                         reverse=True)
    assert carry.item() == 24.0 and ys.tolist() == [12.0, 4.0, 1.0]
    assert ops.map(lambda row: ops.sum(row), ndgrad.ones((3, 2))).tolist() == [2.0, 2.0, 2.0]


def test_gradients_flow_through_control_flow():
    w = ndgrad.Variable([3.0])
    out = ops.fori_loop(0, 3, lambda i, acc: acc * w, ndgrad.tensor([1.0]))
    out.sum().backward()
    assert w.grad.tolist() == [27.0]          # d(w^3)/dw


def test_slices_and_updates_by_hand():
    x = ndgrad.arange(12.0).reshape(3, 4)
    assert ops.slice(x, (1, 2), (2, 2)).tolist() == [[6.0, 7.0], [10.0, 11.0]]
    updated = ops.slice_update(x, (0, 1), ndgrad.zeros((1, 2)))
    assert updated.tolist()[0] == [0.0, 0.0, 0.0, 3.0] and x.tolist()[0] == [0.0, 1.0, 2.0, 3.0]
    assert ops.scatter([[0, 0], [1, 1], [0, 0]], [1.0, 2.0, 3.0], (2, 2)).tolist() == \
        [[4.0, 0.0], [0.0, 2.0]]
    assert ops.scatter_update(ndgrad.ones((2, 2)), [[1, 0]], [9.0]).tolist() == \
        [[1.0, 1.0], [9.0, 1.0]]
    rows = ops.scatter([[1]], [[1.0, 2.0]], (3, 2))
    assert rows.tolist() == [[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]]
    assert [t.tolist() for t in ops.unstack(ndgrad.tensor([[1, 2], [3, 4]]))] == [[1, 2], [3, 4]]
    with pytest.raises(ValueError, match="unstack: num=3"):
        ops.unstack(ndgrad.ones((2, 2)), num=3)


def test_update_gradients_match_finite_differences(rng):
    x = ndgrad.tensor(rng.normal(size=(3, 4)), dtype="float64")
    updates = ndgrad.tensor(rng.normal(size=(2, 2)), dtype="float64")
    values = ndgrad.tensor(rng.normal(size=3), dtype="float64")
    assert ndgrad.gradcheck(lambda a, u: ops.slice_update(a, (1, 1), u), [x, updates])
    assert ndgrad.gradcheck(lambda v: ops.scatter([[0, 1], [2, 3], [0, 1]], v, (3, 4)), [values])
    assert ndgrad.gradcheck(lambda a, v: ops.scatter_update(a, [[0, 1], [2, 3], [1, 0]], v),
                            [x, values])
