"""The optional compiled (numba) LSTM cells give the NumPy path's numbers
within float rounding: outputs, final states and every gradient of
``lstm_layer`` and ``lstm_scan``, in every layout and both float dtypes; their
float32 ``tanh`` and sigmoid gates are within a unit or two in the last place
of the exact values. Skipped where numba is not installed. (The LSTM's own
tests run on both paths.)"""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import _accelerated, _lstm_steps
from ndgrad.ops.recurrent import lstm_layer, lstm_scan

pytest.importorskip("numba")
pytestmark = pytest.mark.usefixtures("compiled_kernels_on")

from ndgrad.ops import _numba_recurrent  # noqa: E402  (after the skip: it compiles with numba)

T, N, I, H = 5, 3, 4, 6


def _run(function, arrays, compiled):
    """``function``'s outputs and every input's gradient, on one path."""
    previous = _accelerated.set_enabled(compiled)
    try:
        tensors = [ndgrad.Variable(a) for a in arrays]
        out, h_n, c_n = function(*tensors)
        weights = [np.cos(np.arange(a.size)).reshape(a.shape) for a in (out, c_n)]
        ((out * weights[0].astype(out.dtype)).sum() + (c_n * weights[1].astype(c_n.dtype)).sum()
         + (h_n * h_n).sum()).backward()
        return [out.numpy(), h_n.numpy(), c_n.numpy()] + [t.grad.numpy() for t in tensors]
    finally:
        _accelerated.set_enabled(True)


def _assert_paths_agree(function, arrays, dtype):
    """float64: the two paths agree to 1e-13. float32: the compiled path is as
    close to the float64 result as the NumPy path is, within one float32 epsilon
    a step (both compute the gates in float32, with roundings in different
    places, and T steps of products carry them: comparing the paths with each
    other would only measure the NumPy path's own float32 error)."""
    compiled, numpy = _run(function, arrays, True), _run(function, arrays, False)
    exact = numpy if dtype == np.float64 else _run(function, [a.astype(np.float64)
                                                               for a in arrays], False)
    for ours, reference, truth in zip(compiled, numpy, exact):
        assert ours.dtype == reference.dtype == dtype
        scale = max(np.abs(truth).max(), 1.0)
        if dtype == np.float64:
            np.testing.assert_allclose(ours, reference, rtol=0, atol=1e-13 * scale)
        else:
            ours_error, numpy_error = np.abs(ours - truth).max(), np.abs(reference - truth).max()
            slack = T * np.finfo(np.float32).eps * scale
            assert ours_error <= 1.5 * numpy_error + slack, (ours_error, numpy_error)
    return compiled


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("transposed", [True, False])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_compiled_lstm_layer_matches_numpy_path(rng, dtype, transposed, reverse, batch_first):
    assert _lstm_steps._compiled_kernels(np.dtype(dtype)) is _numba_recurrent
    shapes = [(N, T, I) if batch_first else (T, N, I), (N, H), (N, H),
              (4 * H, I) if transposed else (I, 4 * H), (4 * H, H) if transposed else (H, 4 * H),
              (4 * H,)]
    arrays = [(rng.normal(size=s) * (1.5 if k < 3 else 0.6)).astype(dtype)
              for k, s in enumerate(shapes)]

    def layer(*args):
        return lstm_layer(*args, transposed=transposed, reverse=reverse, batch_first=batch_first)

    _assert_paths_agree(layer, arrays, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reverse", [False, True])
def test_compiled_lstm_scan_matches_numpy_path(rng, dtype, reverse):
    arrays = [(rng.normal(size=s) * 2).astype(dtype)
              for s in ((T, N, 4 * H), (N, H), (N, H), (4 * H, H))]
    _assert_paths_agree(lambda *args: lstm_scan(*args, reverse=reverse), arrays, dtype)


def test_compiled_cells_saturate_like_the_numpy_path(rng):
    """Pre-activations far past tanh's and sigmoid's saturation (+-40): gates of
    exactly 0 and 1, no NaN, the same gradients."""
    arrays = [(rng.normal(size=s) * 40).astype(np.float32)
              for s in ((T, N, 4 * H), (N, H), (N, H), (4 * H, H))]
    outputs = _assert_paths_agree(lstm_scan, arrays, np.float32)
    assert all(np.isfinite(a).all() for a in outputs)


def test_single_precision_tanh_is_within_a_unit_in_the_last_place():
    x = np.concatenate([np.linspace(-12, 12, 400_001), np.geomspace(1e-30, 12, 100_001),
                        -np.geomspace(1e-30, 12, 100_001)]).astype(np.float32)
    y = np.empty_like(x)
    kernel = _numba_recurrent.lstm_forward_step     # the kernels' tanh, through a kernel:
    acts = np.zeros((1, 4, x.size), np.float32)    # g's row is tanh(z) exactly
    acts[0, 2] = x
    cells, tanh_c = np.zeros((2, 1, x.size), np.float32), np.empty((1, 1, x.size), np.float32)
    zeros = np.zeros((4, x.size), np.float32)
    kernel(acts, 0, zeros, zeros, cells, 0, 1, tanh_c, tanh_c.copy())
    y[:] = acts[0, 2]
    exact = np.tanh(x.astype(np.float64))
    units = np.abs(y - exact) / np.spacing(np.abs(exact).astype(np.float32))
    # float32 arithmetic: 1.05 units at most (NumPy's float32 np.tanh: up to about 1.4)
    assert units.max() <= 1.05, f"{units.max()} units in the last place at {x[units.argmax()]}"
    assert np.all(np.abs(y) <= 1)


def test_single_precision_sigmoid_gates_are_within_a_few_units_in_the_last_place():
    z = np.concatenate([np.linspace(-40, 40, 400_001), np.geomspace(1e-30, 40, 100_001),
                        -np.geomspace(1e-30, 40, 100_001)]).astype(np.float32)
    acts = np.zeros((1, 4, z.size), np.float32)     # the i row holds z / 2: i = sigmoid(z)
    acts[0, 0] = z / 2
    cells, tanh_c = np.zeros((2, 1, z.size), np.float32), np.empty((1, 1, z.size), np.float32)
    zeros = np.zeros((4, z.size), np.float32)
    _numba_recurrent.lstm_forward_step(acts, 0, zeros, zeros, cells, 0, 1, tanh_c, tanh_c.copy())
    exact = 1 / (1 + np.exp(-z.astype(np.float64)))
    error = np.abs(acts[0, 0] - exact)
    units = error / np.spacing(exact.astype(np.float32))
    # relative to the value itself, also where it is tiny (the NumPy path's
    # tanh(z / 2) / 2 + 1/2 loses all relative accuracy below about 1e-4)
    assert units.max() <= 2.6, f"{units.max()} units in the last place at {z[units.argmax()]}"
    assert error.max() <= 1.5 * np.finfo(np.float32).epsneg, error.max()
    assert np.all((acts[0, 0] >= 0) & (acts[0, 0] <= 1))


def test_single_precision_tanh_keeps_signs_infinities_and_nan():
    tanh = _numba_recurrent.tanh_single
    values = [tanh(np.float32(v)) for v in (np.inf, -np.inf, 11.0, -11.0)]
    assert values == [1.0, -1.0, 1.0, -1.0]
    assert np.isnan(tanh(np.float32(np.nan)))
    assert np.signbit(tanh(np.float32(-0.0))) and tanh(np.float32(1e-30)) == np.float32(1e-30)
