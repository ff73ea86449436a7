"""nanmedian, nanquantile, nanpercentile beyond the op table: all-NaN slices,
ties, NaN positions and refused arguments."""

import warnings

import numpy as np
import pytest

import ndgrad


def test_an_all_nan_slice_gives_nan_and_a_zero_gradient():
    data = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]])
    x = ndgrad.Variable(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = np.nanmedian(x, axis=1)
        expected = np.nanmedian(data, axis=1)
    np.testing.assert_array_equal(got.numpy(), expected.astype(np.float32))
    got[0].backward()
    assert x.grad.tolist() == [[0.5, 0.0, 0.5], [0.0, 0.0, 0.0]]


def test_tied_order_statistics_share_and_nans_get_nothing():
    x = ndgrad.Variable([2.0, np.nan, 2.0, 5.0])
    np.nanquantile(x, 0.0).backward()
    assert x.grad.tolist() == [0.5, 0.0, 0.5, 0.0]


@pytest.mark.parametrize("q, axis, keepdims", [(0.25, None, False), ([0.1, 0.5, 1.0], 0, True),
                                               (0.75, (0, 2), False)])
def test_levels_axes_and_keepdims_match_numpy(q, axis, keepdims):
    rng = np.random.default_rng(0)
    data = rng.standard_normal((4, 3, 5))
    data[rng.uniform(size=data.shape) < 0.3] = np.nan
    got = np.nanquantile(ndgrad.tensor(data, dtype="float64"), q, axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(got.numpy(), np.nanquantile(data, q, axis=axis, keepdims=keepdims))
    got = np.nanpercentile(ndgrad.tensor(data, dtype="float64"), np.multiply(q, 100), axis=axis)
    np.testing.assert_allclose(got.numpy(), np.nanpercentile(data, np.multiply(q, 100), axis=axis))


def test_refused_arguments_say_why():
    x = ndgrad.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match="method='linear'"):
        np.nanquantile(x, 0.5, method="nearest")
    with pytest.raises(ValueError, match=r"q must be in \[0, 100\]"):
        np.nanpercentile(x, 150)
    with pytest.raises(TypeError, match="q is a constant"):
        np.nanquantile(x, ndgrad.Variable(0.5))
    with pytest.raises(ndgrad.ShapeError):
        np.nanmedian(x, axis=3)


@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
def test_levels_given_as_a_list_keep_float64_precision(name):
    data = np.array([0.3, 0.1, 0.7, 0.5, 0.9])
    got = getattr(np, name)(ndgrad.tensor(data, dtype="float64"), [0.2, 0.35])
    np.testing.assert_allclose(got.numpy(), getattr(np, name)(data, [0.2, 0.35]), rtol=1e-15)
