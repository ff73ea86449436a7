"""The optional compiled (numba) layer-norm rule over rows gives the NumPy
path's numbers within float32 rounding: the gradients of the input(s), weight
and bias (and the output, which both compute on NumPy), for layer_norm and the residual form add_layer_norm, float32
and float64, with and without weight and bias, rows of odd widths (a partial
block of running sums); no less accurate than the NumPy path against a float64
reference when the mean is large; gradients through the kernels match float64
finite differences. Skipped where numba is not installed."""

import numpy as np
import pytest

import ndgrad
from ndgrad.nn.functional import layer_norm
from ndgrad.ops import _accelerated, _numba_layer_norm_rows
from ndgrad.ops.residual_layer_norm import add_layer_norm

pytest.importorskip("numba")
pytestmark = pytest.mark.usefixtures("compiled_kernels_on")

TOLERANCE = {np.float32: dict(rtol=2e-5, atol=2e-6), np.float64: dict(rtol=1e-10, atol=1e-11)}


def _step(x, residual, g, weight, bias, shape):
    """Output and every gradient of one call (layer_norm, or add_layer_norm when
    ``residual`` is given)."""
    xt = ndgrad.tensor(x, requires_grad=True)
    rt = None if residual is None else ndgrad.tensor(residual, requires_grad=True)
    wt = None if weight is None else ndgrad.tensor(weight, requires_grad=True)
    bt = None if bias is None else ndgrad.tensor(bias, requires_grad=True)
    if rt is None:
        y = layer_norm(xt, shape, wt, bt)
    else:
        y = add_layer_norm(xt, rt, shape, wt, bt)
    y.backward(ndgrad.tensor(g))
    return [y.numpy().copy()] + [t.grad.numpy().copy() for t in (xt, rt, wt, bt)
                                 if t is not None]


def _case(rng, shape, dtype, offset, affine, residual):
    x = (rng.standard_normal(shape) * 3.0 + offset).astype(dtype)
    r = rng.standard_normal(shape).astype(dtype) if residual else None
    g = rng.standard_normal(shape).astype(dtype)
    width = shape[-1]
    weight = rng.uniform(0.5, 2.0, width).astype(dtype) if affine in ("both", "weight") else None
    bias = rng.standard_normal(width).astype(dtype) if affine in ("both", "bias") else None
    return x, r, g, weight, bias


@pytest.mark.parametrize("shape", [(4, 6, 64), (5, 37), (3, 2, 16), (7, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("affine", ["both", "weight", "bias", "none"])
@pytest.mark.parametrize("residual", [False, True])
def test_compiled_layer_norm_matches_numpy_path(shape, dtype, affine, residual, rng, numpy_path):
    assert _numba_layer_norm_rows.kernels() is not None
    x, r, g, weight, bias = _case(rng, shape, dtype, 0.0, affine, residual)
    compiled = _step(x, r, g, weight, bias, shape[-1:])
    reference = numpy_path(lambda: _step(x, r, g, weight, bias, shape[-1:]))
    assert len(compiled) == len(reference)
    for index, (ours, theirs) in enumerate(zip(compiled, reference)):
        assert ours.dtype == theirs.dtype == dtype, index
        scale = np.abs(theirs).max() + 1.0
        np.testing.assert_allclose(ours / scale, theirs / scale, err_msg=f"result {index}",
                                   **TOLERANCE[dtype])


@pytest.mark.parametrize("residual", [False, True])
def test_compiled_layer_norm_is_at_least_as_accurate_with_a_large_mean(residual, rng,
                                                                       numpy_path):
    x, r, g, weight, bias = _case(rng, (32, 64), np.float32, 1000.0, "both", residual)
    compiled = _step(x, r, g, weight, bias, (64,))
    reference = numpy_path(lambda: _step(x, r, g, weight, bias, (64,)))
    # the float64 truth of the float32 inputs (x + residual rounded as both paths do)
    exact = numpy_path(lambda: _step(
        (x + r).astype(np.float64) if residual else x.astype(np.float64),
        np.zeros_like(x, np.float64) if residual else None,
        *(a.astype(np.float64) for a in (g, weight, bias)), (64,)))
    if residual:                          # both addends get the same gradient
        exact.insert(2, exact[1])
    for index, (ours, theirs, truth) in enumerate(zip(compiled, reference, exact)):
        scale = np.abs(truth).max() + 1.0
        ours_error, their_error = np.abs(ours - truth).max(), np.abs(theirs - truth).max()
        assert ours_error <= 1.5 * their_error + 2e-6 * scale, index


@pytest.mark.parametrize("residual", [False, True])
def test_gradients_match_float64_finite_differences_through_the_kernels(residual, rng):
    x = ndgrad.tensor(rng.standard_normal((3, 2, 5)), requires_grad=True)
    r = ndgrad.tensor(rng.standard_normal((3, 2, 5)), requires_grad=True)
    w = ndgrad.tensor(rng.uniform(0.5, 1.5, 5), requires_grad=True)
    b = ndgrad.tensor(rng.standard_normal(5), requires_grad=True)
    if residual:
        assert ndgrad.gradcheck(lambda x, r, w, b: add_layer_norm(x, r, 5, w, b), [x, r, w, b])
    else:
        assert ndgrad.gradcheck(lambda x, w, b: layer_norm(x, (5,), w, b), [x, w, b])
        assert ndgrad.gradcheck(lambda x: layer_norm(x, (5,)), [x])


def test_other_dtypes_and_layouts_are_refused_by_the_kernels():
    rows = np.ones((4, 3), np.float16)
    assert _numba_layer_norm_rows.gradients(rows, rows, None, np.zeros(4, np.float16),
                                            np.ones(4, np.float16), None, rows.copy(),
                                            (True, True, True)) is False
    gappy = np.ones((4, 6), np.float32)[:, ::2]
    buffer = np.empty((4, 3), np.float32)
    assert _numba_layer_norm_rows.gradients(gappy, buffer, None, np.zeros(4, np.float32),
                                            np.ones(4, np.float32), None, buffer.copy(),
                                            (True, True, True)) is False


def test_a_transposed_gradient_goes_to_numpy(rng, numpy_path):
    x = rng.standard_normal((8, 8)).astype(np.float32)
    g = np.ascontiguousarray(rng.standard_normal((8, 8)).astype(np.float32).T).T
    assert not g.flags.c_contiguous
    w, b = np.ones(8, np.float32), np.zeros(8, np.float32)
    compiled = _step(x, None, g, w, b, (8,))
    reference = numpy_path(lambda: _step(x, None, g, w, b, (8,)))
    for ours, theirs in zip(compiled, reference):
        np.testing.assert_allclose(ours, theirs, rtol=2e-5, atol=2e-6)


def test_the_kernels_follow_the_switch(numpy_path):
    assert numpy_path(_numba_layer_norm_rows.kernels) is None
    assert _accelerated.enabled() and _numba_layer_norm_rows.kernels() is not None


def test_a_kernel_numba_cannot_compile_falls_back_to_numpy(monkeypatch, rng, numpy_path):
    from numba.core.errors import TypingError

    def fails(*arguments):
        raise TypingError("no implementation here")
    fails.__name__ = "rows_gradients"
    monkeypatch.setattr(_numba_layer_norm_rows, "rows_gradients", fails)
    monkeypatch.setattr(_numba_layer_norm_rows._family, "failed", False)
    x, _, g, weight, bias = _case(rng, (4, 6), np.float32, 0.0, "both", False)
    with pytest.warns(RuntimeWarning, match="numba could not compile rows_gradients"):
        fallen_back = _step(x, None, g, weight, bias, (6,))
    assert _numba_layer_norm_rows.kernels() is None
    for ours, theirs in zip(fallen_back, numpy_path(lambda: _step(x, None, g, weight, bias,
                                                                  (6,)))):
        np.testing.assert_array_equal(ours, theirs)
