"""keras.ops NumPy-named ops: Keras's signatures give NumPy's results."""

import numpy as np
import pytest

import ndgrad
from ndgrad.keras import ops

A = np.array([[1.0, -2.0, 3.0], [4.0, 0.5, -6.0]], np.float32)

# (op call, the NumPy value it must equal)
CASES = [
    (lambda: ops.clip(A, -1.0, 1.0), np.clip(A, -1, 1)),
    (lambda: ops.argmax(A, axis=1, keepdims=True), np.argmax(A, axis=1, keepdims=True)),
    (lambda: ops.argmin(A, 0), np.argmin(A, 0)),
    (lambda: ops.max(A, axis=0), A.max(axis=0)),
    (lambda: ops.min(A, 1, True), A.min(axis=1, keepdims=True)),
    (lambda: ops.max(A, initial=10.0), np.max(A, initial=10.0)),
    (lambda: ops.all(A > 0, axis=1), np.all(A > 0, axis=1)),
    (lambda: ops.any(A > 5), np.any(A > 5)),
    (lambda: ops.prod(A, axis=1), A.prod(axis=1)),
    (lambda: ops.std(A, axis=1), A.std(axis=1)),
    (lambda: ops.var(A), A.var()),
    (lambda: ops.median(A, axis=1), np.median(A, axis=1)),
    (lambda: ops.reshape(A, (3, -1)), A.reshape(3, -1)),
    (lambda: ops.transpose(A), A.T),
    (lambda: ops.zeros((2, 3)), np.zeros((2, 3))),
    (lambda: ops.ones(3, dtype="int32"), np.ones(3, np.int32)),
    (lambda: ops.full((2,), 4.0), np.full(2, 4.0)),
    (lambda: ops.arange(1, 7, 2), np.arange(1, 7, 2)),
    (lambda: ops.eye(3, 2, 1), np.eye(3, 2, 1)),
    (lambda: ops.tri(3, k=-1), np.tri(3, k=-1)),
    (lambda: ops.linspace(0.0, 1.0, 5), np.linspace(0, 1, 5)),
    (lambda: ops.logspace(0.0, 2.0, 3), np.logspace(0, 2, 3)),
    (lambda: ops.sort(A, axis=0), np.sort(A, axis=0)),
    (lambda: ops.argsort(A), np.argsort(A)),
    (lambda: ops.cumsum(A, axis=1), np.cumsum(A, axis=1)),
    (lambda: ops.cumprod(A), np.cumprod(A)),
    (lambda: ops.take_along_axis(A, np.array([[2], [0]]), axis=1),
     np.take_along_axis(A, np.array([[2], [0]]), axis=1)),
    (lambda: ops.take_along_axis(A, np.array([5, 0])), A.ravel()[[5, 0]]),
    (lambda: ops.pad(A, ((0, 1), (2, 0)), constant_values=7.0),
     np.pad(A, ((0, 1), (2, 0)), constant_values=7.0)),
    (lambda: ops.pad(A, 1, mode="reflect"), np.pad(A, 1, mode="reflect")),
    (lambda: ops.nan_to_num(np.array([np.nan, np.inf])), np.nan_to_num(np.array([np.nan, np.inf]))),
    (lambda: ops.quantile(A, 0.25, axis=1), np.quantile(A, 0.25, axis=1)),
    (lambda: ops.percentile(A, 75), np.percentile(A, 75)),
    (lambda: ops.divide_no_nan(A, np.array([2.0, 0.0, 1.0])), np.array(
        [[0.5, 0.0, 3.0], [2.0, 0.0, -6.0]])),
    (lambda: ops.select([A > 2, A < 0], [A, -A], default=0.0),
     np.select([A > 2, A < 0], [A, -A], default=0.0)),
    (lambda: ops.digitize(A, [0.0, 2.0]), np.digitize(A, [0.0, 2.0])),
    (lambda: ops.isin(A, [3.0, 0.5]), np.isin(A, [3.0, 0.5])),
    (lambda: ops.trapezoid(A), np.trapezoid(A) if hasattr(np, "trapezoid") else np.trapz(A)),
    (lambda: ops.get_item(A, (1, slice(0, 2))), A[1, :2]),
    (lambda: ops.absolute(A), np.abs(A)),
    (lambda: ops.concatenate([A, A], axis=1), np.concatenate([A, A], axis=1)),
    (lambda: ops.where(A > 0, A, 0.0), np.where(A > 0, A, 0.0)),
    (lambda: ops.matmul(A, A.T), A @ A.T),
    (lambda: ops.einsum("ij,kj->ik", A, A), np.einsum("ij,kj->ik", A, A)),
]


@pytest.mark.parametrize("call, expected", CASES, ids=[str(i) for i in range(len(CASES))])
def test_values_match_numpy(call, expected):
    result = call()
    assert isinstance(result, ndgrad.Tensor)
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_shape_queries_and_unravel_index():
    assert ops.ndim(A) == 2 and ops.size(A) == 6
    rows, cols = ops.unravel_index([4], (2, 3))
    assert rows.tolist() == [1] and cols.tolist() == [1]


def test_adapted_ops_keep_gradients(rng):
    x = ndgrad.tensor(rng.normal(size=(3, 4)), dtype="float64")
    for fn in (lambda t: ops.clip(t, -0.5, 0.5), lambda t: ops.max(t, axis=1),
               lambda t: ops.std(t, axis=0), lambda t: ops.reshape(t, (4, 3)),
               lambda t: ops.divide_no_nan(t, ops.abs(t) + 1.0),
               lambda t: ops.pad(t, 1, constant_values=2.0), lambda t: ops.trapezoid(t),
               lambda t: ops.take_along_axis(t, np.array([[1], [0], [3]]), axis=1),
               lambda t: ops.select([t > 0], [ops.square(t)], default=0.0)):
        assert ndgrad.gradcheck(fn, [x])


def test_divide_no_nan_has_no_nan_gradient():
    x = ndgrad.Variable([1.0, 2.0])
    y = ndgrad.Variable([0.0, 4.0])
    ops.sum(ops.divide_no_nan(x, y)).backward()
    assert np.isfinite(x.grad.numpy()).all() and np.isfinite(y.grad.numpy()).all()
    assert x.grad.tolist() == [0.0, 0.25]


def test_refusals():
    with pytest.raises(ValueError, match="constant_values applies to mode='constant' only"):
        ops.pad(A, 1, mode="edge", constant_values=1.0)
    with pytest.raises(ValueError, match="retstep=True and axis != 0 are not supported"):
        ops.linspace(0, 1, 3, retstep=True)
    with pytest.raises(AttributeError, match="keras.ops.conj is not supported by ndgrad.*"
                                             "complex"):
        ops.conj
