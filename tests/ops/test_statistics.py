"""Statistics and signal helpers: NumPy routing, weights, edge values and errors."""

import warnings

import numpy as np
import pytest

import ndgrad


@pytest.fixture
def matrix():
    return ndgrad.Variable(np.random.default_rng(0).standard_normal((3, 6)), dtype="float32")


@pytest.mark.parametrize("call", [
    lambda t: np.average(t, axis=1, weights=[1.0, 2.0, 1.0, 0.5, 1.0, 3.0]),
    lambda t: np.cov(t),
    lambda t: np.corrcoef(t),
    lambda t: np.nan_to_num(t),
    lambda t: np.convolve(t[0], t[1]),
    lambda t: np.correlate(t[0], t[1], mode="same"),
    lambda t: np.polyval(t[0], t[1]),
    lambda t: np.interp(t[0], [-1.0, 0.0, 2.0], t[1, :3]),
], ids=["average", "cov", "corrcoef", "nan_to_num", "convolve", "correlate", "polyval", "interp"])
def test_numpy_functions_return_tensors_that_carry_gradients(matrix, call):
    result = call(matrix)
    assert isinstance(result, ndgrad.Tensor)
    assert result.requires_grad
    assert result.dtype == np.float32
    result.sum().backward()
    assert matrix.grad is not None and np.abs(matrix.grad.numpy()).sum() > 0


def test_heaviside_routes_through_numpy_and_carries_no_gradient(matrix):
    result = np.heaviside(matrix, 0.5)
    assert isinstance(result, ndgrad.Tensor)
    assert not result.requires_grad
    np.testing.assert_array_equal(result.numpy(), np.heaviside(matrix.numpy(), 0.5))


def test_average_returned_gives_the_sum_of_weights_as_numpy_does():
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    weights = np.array([1.0, 2.0, 5.0], dtype=np.float32)
    ours = ndgrad.average(a, axis=1, weights=weights, returned=True)
    theirs = np.average(a, axis=1, weights=weights, returned=True)
    for got, expected in zip(ours, theirs):
        np.testing.assert_allclose(got.numpy(), expected)
    unweighted = ndgrad.average(a, axis=0, returned=True)
    assert unweighted[1].tolist() == [2.0, 2.0, 2.0]


def test_average_refuses_weights_that_sum_to_zero():
    with pytest.raises(ZeroDivisionError, match="sum to zero"):
        ndgrad.average(ndgrad.ones(2), weights=[1.0, -1.0])


def test_average_needs_an_axis_when_weights_differ_in_shape():
    with pytest.raises(TypeError, match="axis"):
        ndgrad.average(ndgrad.ones((2, 3)), weights=[1.0, 1.0, 1.0])
    with pytest.raises(ndgrad.ShapeError, match="average"):
        ndgrad.average(ndgrad.ones((2, 3)), axis=1, weights=[1.0, 1.0])


def test_average_of_rows_with_no_elements_is_empty():
    assert ndgrad.average(ndgrad.zeros((0, 3)), axis=1).shape == (0,)


def test_cov_weights_match_numpy_and_aweights_get_gradients():
    data = np.random.default_rng(1).standard_normal((2, 5))
    aweights = ndgrad.Variable([0.5, 1.0, 2.0, 1.5, 1.0], dtype="float64")
    fweights = np.array([1, 3, 1, 2, 1])
    ours = ndgrad.cov(data, fweights=fweights, aweights=aweights, ddof=1)
    expected = np.cov(data, fweights=fweights, aweights=aweights.numpy(), ddof=1)
    np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-12)
    assert ndgrad.gradcheck(lambda w: ndgrad.cov(data, fweights=fweights, aweights=w), [aweights])


def test_cov_refuses_bad_weights_and_too_many_dimensions():
    with pytest.raises(ndgrad.ShapeError, match="fweights"):
        ndgrad.cov(ndgrad.ones((2, 3)), fweights=np.array([1.5, 1.0, 1.0]))
    with pytest.raises(ndgrad.ShapeError, match="aweights"):
        ndgrad.cov(ndgrad.ones((2, 3)), aweights=[1.0, -1.0, 1.0])
    with pytest.raises(ndgrad.ShapeError, match="cov"):
        ndgrad.cov(ndgrad.ones((2, 3, 4)))


def test_cov_warns_when_degrees_of_freedom_run_out():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ndgrad.cov(ndgrad.tensor([[1.0, 2.0]]), ddof=2)
    assert any("degrees of freedom" in str(w.message) for w in caught)
    assert np.isinf(result.item())


def test_corrcoef_of_perfectly_related_rows_is_plus_and_minus_one():
    x = ndgrad.tensor([[1.0, 2.0, 4.0], [2.0, 4.0, 8.0], [-1.0, -2.0, -4.0]])
    np.testing.assert_allclose(ndgrad.corrcoef(x).numpy(),
                               [[1, 1, -1], [1, 1, -1], [-1, -1, 1]], rtol=1e-6)


def test_nan_to_num_passes_the_gradient_only_where_finite():
    x = ndgrad.Variable([np.nan, np.inf, -np.inf, 2.0])
    y = ndgrad.nan_to_num(x, nan=1.0, posinf=9.0, neginf=-9.0)
    assert y.tolist() == [1.0, 9.0, -9.0, 2.0]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 1.0]


def test_nan_to_num_default_infinity_is_the_float32_limit():
    y = ndgrad.nan_to_num(ndgrad.tensor([np.inf]))
    assert y.dtype == np.float32 and y.item() == np.finfo(np.float32).max


def test_convolve_gradients_are_correlations_of_the_incoming_gradient():
    a = ndgrad.Variable([1.0, 2.0, 3.0, 4.0], dtype="float64")
    v = ndgrad.Variable([1.0, -1.0], dtype="float64")
    g = np.array([1.0, 0.0, 2.0, 0.0, 1.0])
    ndgrad.convolve(a, v).backward(ndgrad.tensor(g, dtype="float64"))
    np.testing.assert_allclose(a.grad.numpy(), np.correlate(g, v.numpy(), "valid"))
    np.testing.assert_allclose(v.grad.numpy(), np.correlate(g, a.numpy(), "valid"))


def test_convolve_refuses_unknown_modes_empty_and_2d_inputs():
    with pytest.raises(ValueError, match="mode"):
        ndgrad.convolve(ndgrad.ones(3), ndgrad.ones(2), mode="circular")
    with pytest.raises(ndgrad.ShapeError, match="convolve"):
        ndgrad.convolve(ndgrad.ones(3), ndgrad.zeros(0))
    with pytest.raises(ndgrad.ShapeError, match="convolve"):
        ndgrad.convolve(ndgrad.ones((2, 2)), ndgrad.ones(2))


def test_polyval_gradients_are_powers_and_the_derivative():
    p = ndgrad.Variable([2.0, -1.0, 3.0], dtype="float64")
    x = ndgrad.Variable([0.5, 2.0], dtype="float64")
    ndgrad.polyval(p, x).sum().backward()
    np.testing.assert_allclose(p.grad.numpy(), [0.25 + 4.0, 0.5 + 2.0, 2.0])
    np.testing.assert_allclose(x.grad.numpy(), [4 * 0.5 - 1, 4 * 2.0 - 1])


def test_polyval_refuses_coefficients_that_are_not_1d():
    with pytest.raises(ndgrad.ShapeError, match="polyval"):
        ndgrad.polyval(ndgrad.ones((2, 2)), 1.0)


def test_interp_gradient_for_x_is_the_slope_and_zero_beyond_the_ends():
    x = ndgrad.Variable([-5.0, 0.5, 1.5, 9.0], dtype="float64")
    y = ndgrad.interp(x, [0.0, 1.0, 3.0], [0.0, 2.0, 3.0])
    assert y.tolist() == [0.0, 1.0, 2.25, 3.0]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 2.0, 0.5, 0.0]


def test_interp_sends_the_gradient_of_fp_to_the_neighbouring_samples():
    fp = ndgrad.Variable([0.0, 2.0, 3.0], dtype="float64")
    ndgrad.interp([0.25, 2.0, -1.0, 7.0], [0.0, 1.0, 3.0], fp).sum().backward()
    assert fp.grad.tolist() == [0.75 + 1.0, 0.25 + 0.5, 0.5 + 1.0]


def test_interp_left_and_right_replace_the_end_values():
    y = ndgrad.interp(ndgrad.tensor([-1.0, 0.5, 4.0]), [0.0, 1.0], [1.0, 3.0], left=-7.0,
                      right=7.0)
    assert y.tolist() == [-7.0, 2.0, 7.0]


def test_interp_with_a_period_matches_numpy():
    x = np.linspace(-400.0, 400.0, 17)
    xp, fp = np.array([190.0, -190.0, 350.0, -350.0]), np.array([5.0, 10.0, 3.0, 4.0])
    ours = ndgrad.interp(ndgrad.tensor(x, dtype="float64"), xp, fp, period=360)
    np.testing.assert_allclose(ours.numpy(), np.interp(x, xp, fp, period=360), rtol=1e-12)


def test_interp_refuses_samples_of_different_lengths():
    with pytest.raises(ndgrad.ShapeError, match="interp"):
        ndgrad.interp(ndgrad.ones(2), [0.0, 1.0], [1.0, 2.0, 3.0])
