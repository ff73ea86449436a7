"""Layout helpers of the convolution ops: ``channel_sums`` (a bias's gradient)
agrees with ``np.sum`` for every memory layout, and falls back for the rest."""

import numpy as np
import pytest

import ndgrad
from ndgrad.nn import functional as F
from ndgrad.ops.convolution_geometry import channel_sums


def _laid_out(values, order):
    """``values`` with the same logical shape, its axes in memory in ``order``."""
    return np.ascontiguousarray(values.transpose(order)).transpose(np.argsort(order))


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (1, 0, 2, 3), (0, 2, 3, 1), (2, 3, 0, 1)])
@pytest.mark.parametrize("axis", [1, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_channel_sums_match_numpy_in_every_layout(order, axis, dtype, rng):
    g = _laid_out(rng.standard_normal((5, 4, 6, 7)).astype(dtype), order)
    expected = g.astype(np.float64).sum(axis=tuple(a for a in range(4) if a != axis))
    result = channel_sums(g, axis)
    assert result.dtype == dtype and result.shape == (g.shape[axis],)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(result, expected, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("g", [np.arange(40.0).reshape(4, 10)[:, ::2],       # gaps
                               np.arange(12).reshape(3, 4),                   # integers
                               np.zeros((0, 3))])                             # empty
def test_channel_sums_fall_back_to_numpy(g):
    np.testing.assert_array_equal(channel_sums(g, 1), g.sum(axis=0))


@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
def test_conv_bias_gradient_is_the_channel_sum(data_format, rng):
    shape = (3, 4, 9, 9) if data_format == "channels_first" else (3, 9, 9, 4)
    kernel = (5, 4, 3, 3) if data_format == "channels_first" else (3, 3, 4, 5)
    x = ndgrad.tensor(rng.standard_normal(shape).astype(np.float32))
    w = ndgrad.Variable(rng.standard_normal(kernel).astype(np.float32))
    b = ndgrad.Variable(np.zeros(5, np.float32))
    y = F.conv2d(x, w, b, data_format=data_format)
    g = rng.standard_normal(y.shape).astype(np.float32)
    y.backward(ndgrad.tensor(g))
    axes = (0, 2, 3) if data_format == "channels_first" else (0, 1, 2)
    np.testing.assert_allclose(b.grad.numpy(), g.sum(axis=axes), rtol=1e-5, atol=1e-5)
