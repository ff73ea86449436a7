"""Hypothesis: binary ops broadcast as NumPy does, and gradients sum back to
each operand's shape, over random compatible shapes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad

BINARY = [("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply),
          ("divide", np.divide), ("maximum", np.maximum), ("minimum", np.minimum),
          ("arctan2", np.arctan2), ("hypot", np.hypot), ("logaddexp", np.logaddexp)]


@st.composite
def broadcastable_pair(draw):
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4,
                                                    max_side=4))
    values = [draw(hnp.arrays(np.float64, s, elements=st.floats(0.5, 2.0))) for s in shapes.input_shapes]
    return values, shapes.result_shape


@settings(max_examples=40, deadline=None)
@given(pair=broadcastable_pair(), index=st.integers(0, len(BINARY) - 1))
def test_binary_ops_broadcast_like_numpy_and_gradients_fit_each_operand(pair, index):
    (a, b), result_shape = pair
    name, reference = BINARY[index]
    op = getattr(ndgrad, name)
    x, y = ndgrad.Variable(a, dtype="float64"), ndgrad.Variable(b, dtype="float64")
    out = op(x, y)
    assert out.shape == result_shape
    np.testing.assert_allclose(out.numpy(), reference(a, b), rtol=1e-12)
    out.sum().backward()
    assert x.grad.shape == a.shape and y.grad.shape == b.shape


@settings(max_examples=25, deadline=None)
@given(pair=broadcastable_pair())
def test_multiply_gradients_are_exact_sums_over_broadcast_axes(pair):
    (a, b), result_shape = pair
    x, y = ndgrad.Variable(a, dtype="float64"), ndgrad.Variable(b, dtype="float64")
    (x * y).sum().backward()
    expected_x = np.broadcast_to(b, result_shape)
    extra = len(result_shape) - a.ndim
    expected_x = expected_x.sum(axis=tuple(range(extra))) if extra else expected_x
    axes = tuple(i for i, n in enumerate(a.shape) if n == 1 and expected_x.shape[i] != 1)
    expected_x = expected_x.sum(axis=axes, keepdims=True) if axes else expected_x
    np.testing.assert_allclose(x.grad.numpy(), expected_x.reshape(a.shape), rtol=1e-12)


@pytest.mark.parametrize("name", [name for name, _ in BINARY])
def test_incompatible_shapes_name_the_op_both_shapes_and_the_line(name):
    with pytest.raises(ndgrad.ShapeError, match=rf"{name}: .*\(2, 3\).*\(4,\).*test_broadcasting.py:"):
        getattr(ndgrad, name)(ndgrad.ones((2, 3)), ndgrad.ones(4))
