"""The optional compiled (numba) batch-normalization kernels give the NumPy
path's numbers within float32 rounding: the statistics (summed in float64 by
the kernels), the output, the running statistics and the gradients of the
input, weight and bias, in every memory layout and both float dtypes; and no
less accurate than the NumPy path against a float64 reference. Skipped where
numba is not installed."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import _accelerated, _numba_normalization
from ndgrad.ops.normalization import batch_norm, batch_statistics

from .harness import laid_out

pytest.importorskip("numba")
pytestmark = pytest.mark.usefixtures("compiled_kernels_on")

TOLERANCE = {np.float32: dict(rtol=2e-5, atol=2e-6), np.float64: dict(rtol=1e-10, atol=1e-11)}


def _train_step(x, g, weight, bias, axis):
    """Output, running statistics and the three gradients of one training call."""
    channels = x.shape[axis]
    running_mean, running_var = np.zeros(channels, x.dtype), np.ones(channels, x.dtype)
    xt = ndgrad.tensor(x, requires_grad=True)
    wt = ndgrad.tensor(weight, requires_grad=True)
    bt = ndgrad.tensor(bias, requires_grad=True)
    y = batch_norm(xt, running_mean, running_var, wt, bt, training=True, axis=axis)
    y.backward(ndgrad.tensor(g))
    return [y.numpy().copy(), running_mean, running_var, xt.grad.numpy().copy(),
            wt.grad.numpy().copy(), bt.grad.numpy().copy()]


def _case(rng, shape, layout, dtype, offset):
    logical = rng.standard_normal(shape) * 3.0 + offset
    if len(shape) == 4:
        x = laid_out(logical.astype(dtype), layout)
        g = laid_out(rng.standard_normal(shape).astype(dtype), layout)
    else:
        x, g = logical.astype(dtype), rng.standard_normal(shape).astype(dtype)
    if layout == "nhwc":                     # Keras: channels last, axis -1
        x, g = x.transpose(0, 2, 3, 1), g.transpose(0, 2, 3, 1)
    return x, g


@pytest.mark.parametrize("layout,shape", [("nchw", (4, 3, 5, 6)), ("channel_major", (4, 3, 5, 6)),
                                          ("nhwc", (4, 3, 5, 6)), ("nchw", (8, 5, 37)),
                                          ("nchw", (16, 6)), ("channel_major", (2, 3, 40, 40))])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("offset", [0.0, 1000.0])
def test_compiled_batch_norm_matches_numpy_path(layout, shape, dtype, offset, rng, numpy_path):
    assert _accelerated.normalization_kernels() is not None
    x, g = _case(rng, shape, layout, dtype, offset)
    axis = -1 if layout == "nhwc" else 1
    channels = x.shape[axis]
    weight = rng.uniform(0.5, 2.0, channels).astype(dtype)
    bias = rng.standard_normal(channels).astype(dtype)
    compiled = _train_step(x, g, weight, bias, axis)
    reference = numpy_path(lambda: _train_step(x, g, weight, bias, axis))
    exact = numpy_path(lambda: _train_step(*(a.astype(np.float64) for a in (x, g, weight, bias)),
                                           axis))
    names = ["output", "running_mean", "running_var", "grad x", "grad weight", "grad bias"]
    for name, ours, theirs, truth in zip(names, compiled, reference, exact):
        assert ours.dtype == theirs.dtype == dtype, name
        assert ours.strides == theirs.strides, f"{name}: laid out as the NumPy path's"
        scale = np.abs(theirs).max() + 1.0
        if offset and dtype == np.float32:
            # x - mean cancels: both paths are as far from the float64 result
            # as float32 rounding of x allows; the kernels no farther.
            ours_error, their_error = np.abs(ours - truth).max(), np.abs(theirs - truth).max()
            assert ours_error <= 1.5 * their_error + TOLERANCE[dtype]["atol"] * scale, name
        else:
            np.testing.assert_allclose(ours / scale, theirs / scale, err_msg=name,
                                       **TOLERANCE[dtype])


@pytest.mark.parametrize("layout", ["nchw", "channel_major", "nhwc"])
def test_compiled_statistics_are_at_least_as_accurate(layout, rng, numpy_path):
    """A large mean over a small spread: the float64 sums of the kernels stay
    as close to the float64 truth as NumPy's float32 sums (closer, in fact)."""
    x, _ = _case(rng, (16, 4, 30, 30), layout, np.float32, 1000.0)
    axis = -1 if layout == "nhwc" else 1
    truth = batch_statistics(x.astype(np.float64), axis=axis)
    compiled = batch_statistics(x, axis=axis)
    reference = numpy_path(lambda: batch_statistics(x, axis=axis))
    for ours, theirs, exact in zip(compiled, reference, truth):
        assert ours.dtype == np.float32
        assert np.abs(ours - exact).max() <= np.abs(theirs - exact).max() + 1e-6


def test_gradients_match_float64_finite_differences_through_the_kernels(rng):
    x = ndgrad.tensor(rng.standard_normal((3, 2, 4, 5)), requires_grad=True)
    w = ndgrad.tensor(rng.uniform(0.5, 1.5, 2), requires_grad=True)
    b = ndgrad.tensor(rng.standard_normal(2), requires_grad=True)
    assert ndgrad.gradcheck(lambda x, w, b: batch_norm(x, None, None, w, b, training=True),
                            [x, w, b])


def test_a_gradient_in_another_layout_goes_to_numpy(rng, numpy_path):
    x = rng.standard_normal((4, 3, 6, 6)).astype(np.float32)
    g = laid_out(rng.standard_normal((4, 3, 6, 6)).astype(np.float32), "nhwc")
    w, b = np.ones(3, np.float32), np.zeros(3, np.float32)
    assert _numba_normalization.gradient_sums(g, x, 1, np.zeros(3)) is None
    compiled = _train_step(x, g, w, b, 1)
    reference = numpy_path(lambda: _train_step(x, g, w, b, 1))
    for ours, theirs in zip(compiled, reference):
        np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=2e-6)


def test_other_dtypes_and_layouts_are_refused_by_the_kernels():
    x = np.ones((4, 3, 2, 2), np.float16)
    assert _numba_normalization.statistics(x, 1) is None
    gappy = np.ones((4, 6, 2, 2), np.float32)[:, ::2]
    assert _numba_normalization.statistics(gappy, 1) is None
    assert not _numba_normalization.normalize(gappy, 1, np.ones(3), np.zeros(3),
                                              np.empty((4, 3, 2, 2), np.float32))


def test_a_kernel_numba_cannot_compile_falls_back_to_numpy(monkeypatch, rng, numpy_path):
    from numba.core.errors import TypingError

    def fails(*arguments):
        raise TypingError("no implementation here")
    fails.__name__ = "channel_moments"
    monkeypatch.setattr(_numba_normalization, "channel_moments", fails)
    monkeypatch.setattr(_numba_normalization._family, "failed", False)
    x = rng.standard_normal((4, 3, 5, 5)).astype(np.float32)
    with pytest.warns(RuntimeWarning, match="numba could not compile channel_moments"):
        statistics = batch_statistics(x)
    assert _accelerated.normalization_kernels() is None
    for ours, theirs in zip(statistics, numpy_path(lambda: batch_statistics(x))):
        np.testing.assert_array_equal(ours, theirs)
