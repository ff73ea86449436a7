"""apply_along_axis, apply_over_axes and piecewise run the user's callable on
tensors (beyond the op table in tests/ops/cases_numpy_rest.py)."""

import numpy as np
import pytest

import ndgrad


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_apply_along_axis_places_result_axes_like_numpy(axis):
    data = np.random.default_rng(0).standard_normal((2, 3, 4))
    function = lambda v: np.stack([v * 2, v[::-1]])          # noqa: E731  (2, n) per slice
    got = np.apply_along_axis(function, axis, ndgrad.tensor(data, dtype="float64"))
    np.testing.assert_allclose(got.numpy(), np.apply_along_axis(function, axis, data))


def test_apply_along_axis_passes_extra_arguments():
    data = np.arange(6.0).reshape(2, 3)
    got = np.apply_along_axis(np.dot, 1, ndgrad.tensor(data), np.ones(3))
    np.testing.assert_allclose(got.numpy(), np.apply_along_axis(np.dot, 1, data, np.ones(3)))


def test_apply_along_axis_refuses_ragged_results_and_empty_slices():
    x = ndgrad.ones((2, 3))
    with pytest.raises(ValueError, match="different shapes"):
        counter = iter(range(10))
        np.apply_along_axis(lambda v: v[:next(counter) + 1], 1, x)
    with pytest.raises(ValueError, match="0-sized"):
        np.apply_along_axis(np.sum, 1, ndgrad.ones((0, 3)))
    with pytest.raises(ndgrad.ShapeError):
        np.apply_along_axis(np.sum, 2, x)


def test_apply_over_axes_keeps_the_rank_and_refuses_a_wrong_shape():
    data = np.arange(24.0).reshape(2, 3, 4)
    got = np.apply_over_axes(np.mean, ndgrad.tensor(data), (-1, 0))
    np.testing.assert_allclose(got.numpy(), np.apply_over_axes(np.mean, data, (-1, 0)))
    with pytest.raises(ValueError, match="correct shape"):
        np.apply_over_axes(lambda a, axis: a.sum(), ndgrad.tensor(data), 0)


def test_piecewise_later_conditions_win_and_the_rest_is_zero():
    data = np.array([-2.0, -0.5, 0.5, 2.0])
    conditions = [data < 1, data > -1]
    functions = [lambda v: v * 10, lambda v: v * 100]
    x = ndgrad.Variable(data)
    got = np.piecewise(x, conditions, functions)
    np.testing.assert_allclose(got.numpy(), np.piecewise(data, conditions, functions))
    got.sum().backward()
    assert x.grad.tolist() == [10.0, 100.0, 100.0, 100.0]
    none = np.piecewise(x, [data > 5], [np.sin])
    assert none.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_piecewise_scalar_condition_and_0d_input():
    x = ndgrad.Variable(3.0)
    got = np.piecewise(x, x > 0, [lambda v: v ** 2, 0.0])
    assert got.item() == np.piecewise(np.float32(3.0), True, [lambda v: v ** 2, 0.0])
    got.backward()
    assert x.grad.item() == 6.0


def test_piecewise_extra_arguments_and_bad_funclist():
    data = np.array([1.0, -1.0])
    got = np.piecewise(ndgrad.tensor(data), [data > 0], [lambda v, k: v * k], 3.0)
    np.testing.assert_allclose(got.numpy(), np.piecewise(data, [data > 0], [lambda v, k: v * k], 3.0))
    with pytest.raises(ValueError, match="funclist"):
        np.piecewise(ndgrad.tensor(data), [data > 0], [1.0, 2.0, 3.0])


def test_a_callable_that_leaves_ndgrad_cuts_the_gradient_with_a_warning():
    x = ndgrad.Variable([[1.0, 2.0]])
    with pytest.warns(ndgrad.GradientBreakWarning):
        y = np.apply_along_axis(lambda v: np.asarray(v).sum(), 1, x)
    assert not y.requires_grad
