"""Lists and tuples holding tensors where ndgrad takes an array-like (issue 13
item 4): every entry keeps its gradient (checked against float64 finite
differences); NumPy's own functions on such lists warn with the user's line."""

import warnings

import numpy as np
import pytest

import ndgrad

CALLS = {
    "mean": lambda a, b, c: ndgrad.mean([a, a + 2, b]),
    "sum_axis": lambda a, b, c: ndgrad.sum([a, b], axis=0),
    "append": lambda a, b, c: ndgrad.append([a, b], c),
    "array": lambda a, b, c: ndgrad.array([a, b]) * ndgrad.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
    "asarray_nested": lambda a, b, c: ndgrad.asarray([[a, b], (b, a)]) ** 2,
    "array_of_scalars": lambda a, b, c: ndgrad.array([a[0], c[0], 2.0]),
    "exp": lambda a, b, c: ndgrad.exp([a, b]),
    "multiply": lambda a, b, c: ndgrad.multiply([a, b], c[0]),
    "where": lambda a, b, c: ndgrad.where(a > 0, [a, b], 0.0),
    "matmul": lambda a, b, c: ndgrad.matmul([a, b], ndgrad.reshape(c, (3, 1))),
    "std": lambda a, b, c: ndgrad.std((a, b), axis=1),
    "trapezoid": lambda a, b, c: ndgrad.trapezoid([a, b]),
    "clip": lambda a, b, c: ndgrad.clip([a, b], -0.5, 0.5),
    "concatenate_entries": lambda a, b, c: ndgrad.concatenate([[a, b], [b, a]]),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_tensors_inside_lists_keep_their_gradients(name, rng):
    arrays = [rng.uniform(-1, 1, 3) + 0.05, rng.uniform(-1, 1, 3) + 0.05, rng.uniform(0.5, 1, 3)]
    variables = [ndgrad.Variable(a.astype(np.float32)) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ndgrad.GradientBreakWarning)
        result = CALLS[name](*variables)
    assert result.requires_grad, f"{name} dropped the gradient of the list entries"
    assert ndgrad.gradcheck(CALLS[name], [ndgrad.tensor(a) for a in arrays])


def test_array_of_tensors_keeps_each_gradient_exactly():
    a, b = ndgrad.Variable(1.0), ndgrad.Variable(2.0)
    (ndgrad.array([a, b]) * ndgrad.array([3.0, 4.0])).sum().backward()
    assert (a.grad.item(), b.grad.item()) == (3.0, 4.0)


def test_array_keeps_numpy_conversions_of_plain_lists():
    assert ndgrad.array([[1, 2]]).dtype == np.int64 and ndgrad.array([1.5]).dtype == np.float32
    t = ndgrad.ones(2)
    assert ndgrad.asarray(t) is t and ndgrad.array(t) is not t
    assert ndgrad.array([t, [2.0, 3.0]], dtype="float64").dtype == np.float64


def test_ragged_lists_of_tensors_are_refused_naming_the_shapes():
    with pytest.raises(ValueError, match=r"one shape.*\(1,\).*\(2,\)"):
        ndgrad.mean([ndgrad.Variable([1.0]), ndgrad.Variable([1.0, 2.0])])


def test_numpy_function_on_a_list_of_tensors_warns_with_the_line_and_names_ndgrad():
    a = ndgrad.Variable([1.0, 2.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = np.mean([a, a * 2])          # NumPy cannot see the tensors inside the list
    warned = [c for c in caught if c.category is ndgrad.GradientBreakWarning]
    assert warned and warned[0].filename.endswith("test_nested.py")
    assert "ndgrad.mean([a, b])" in str(warned[0].message)
    assert not isinstance(result, ndgrad.Tensor)


def test_nan_reductions_skip_nans_with_zero_gradient_there():
    x = np.array([[1.0, np.nan, 3.0], [2.0, 5.0, np.nan]])
    for name, expected in [("nanvar", [[-1.0, 0.0, 1.0], [-1.5, 1.5, 0.0]]),
                           ("nancumprod", [[5.0, 0.0, 1.0], [11.0, 4.0, 0.0]]),
                           ("nanprod", [[3.0, 0.0, 1.0], [5.0, 2.0, 0.0]])]:
        t = ndgrad.Variable(x)
        result = getattr(np, name)(t, axis=1)
        np.testing.assert_allclose(result.numpy(), getattr(np, name)(x, axis=1))
        result.sum().backward()
        np.testing.assert_allclose(t.grad.numpy(), expected)
