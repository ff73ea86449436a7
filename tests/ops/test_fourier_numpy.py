"""How ``ndgrad.ops.fourier`` runs NumPy's transforms (``ndgrad.ops._fourier_numpy``):
single precision stays single and equals NumPy's own result within float32
rounding, a batch split over threads gives bit for bit the result of one call
(forward and gradient), and the thread count is a checked setting."""

import os

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import _fourier_numpy
from ndgrad.ops._fourier_numpy import transform

KINDS = ["fftn", "ifftn", "rfftn", "irfftn"]
NORMS = ["backward", "ortho", "forward"]


def _input(rng, kind, shape, dtype):
    x = rng.standard_normal(shape)
    if kind != "rfftn":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def _sizes(kind, x, axes):
    sizes = [x.shape[axis] for axis in axes]
    if kind == "irfftn":
        sizes[-1] = 2 * (sizes[-1] - 1) + 1       # odd: the Nyquist bin is not special
    return tuple(sizes)


def _numpy_result(kind, x, axes, norm, sizes):
    return getattr(np.fft, kind)(x, s=sizes, axes=axes, norm=norm)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("shape, axes", [((3, 12), (1,)), ((4, 6, 5), (0, 2)),
                                         ((2, 7, 9), (1, 2)), ((16,), (0,))])
@pytest.mark.parametrize("precision", ["single", "double"])
def test_the_transform_is_numpys_at_the_inputs_precision(kind, norm, shape, axes, precision,
                                                          rng):
    real, complex_ = ((np.float32, np.complex64) if precision == "single"
                      else (np.float64, np.complex128))
    x = _input(rng, kind, shape, real if kind == "rfftn" else complex_)
    sizes = _sizes(kind, x, axes)
    got = transform(kind, x, axes=axes, norm=norm, sizes=sizes)
    expected = _numpy_result(kind, x, axes, norm, sizes)
    assert got.dtype == expected.dtype == (real if kind == "irfftn" else complex_)
    # against float64 arithmetic: float32 rounding of an FFT grows with log(n)
    exact = _numpy_result(kind, x.astype(np.result_type(x.dtype, np.float64)), axes, norm,
                          sizes)
    tolerance = 2e-6 if precision == "single" else 1e-14
    assert np.max(np.abs(got - exact)) <= tolerance * np.max(np.abs(exact))
    if precision == "double":
        np.testing.assert_array_equal(got, expected)


def test_single_precision_power_of_two_unscaled_transforms_are_numpys_exactly(rng):
    # scaling by 1/n then by n is exact for a power of two: the only rounding left is
    # the float32 transform's own, which NumPy's float32 loop shares
    x = rng.standard_normal((4, 64)).astype(np.float32)
    scaled = np.fft.rfft(x, norm="forward") * np.float32(64)
    np.testing.assert_array_equal(transform("rfftn", x, axes=(1,), norm="backward",
                                            sizes=(64,)), scaled)


@pytest.fixture
def threads(monkeypatch):
    """Split anything with more than 64 elements over up to ``workers`` threads."""
    monkeypatch.setattr(_fourier_numpy, "MIN_PIECE", 64)

    def run(workers, function):
        with ndgrad.fft.set_workers(workers):
            return function()
    return run


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("shape, axes", [((40, 32), (1,)), ((5, 30, 8), (0, 2)),
                                         ((30, 4, 6), (1, 2)), ((3, 40, 10), (2,))])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_batch_split_over_threads_gives_the_one_call_result_bit_for_bit(
        kind, norm, shape, axes, dtype, threads, rng):
    x = _input(rng, kind, shape, dtype if kind == "rfftn" else np.result_type(dtype, 1j))
    sizes = _sizes(kind, x, axes)
    axis, pieces = threads(3, lambda: _fourier_numpy._split_axis(x, axes))
    assert axis not in axes and pieces == 3
    alone = threads(1, lambda: transform(kind, x, axes=axes, norm=norm, sizes=sizes))
    split = threads(3, lambda: transform(kind, x, axes=axes, norm=norm, sizes=sizes))
    np.testing.assert_array_equal(split, alone)


@pytest.mark.parametrize("function", ["rfft", "irfft", "fft", "ifft"])
def test_gradients_through_a_split_batch_are_the_one_call_gradients(function, threads, rng):
    x = rng.standard_normal((24, 32)).astype(np.float32)
    if function != "rfft":
        x = (x + 1j * rng.standard_normal((24, 32))).astype(np.complex64)

    def gradient():
        t = ndgrad.tensor(x, requires_grad=True)
        y = getattr(np.fft, function)(t)
        (ndgrad.abs(y) ** 2).sum().backward()
        return y.numpy().copy(), t.grad.numpy().copy()

    for ours, reference in zip(threads(4, gradient), threads(1, gradient)):
        np.testing.assert_array_equal(ours, reference)


def test_the_benchmark_shape_is_split_at_the_default_piece_size(rng):
    x = np.zeros((64, 4096), np.float32)
    with ndgrad.fft.set_workers(2):
        assert _fourier_numpy._split_axis(x, (1,)) == (0, 2)
    with ndgrad.fft.set_workers(1):
        assert _fourier_numpy._split_axis(x, (1,)) == (None, 1)
    assert _fourier_numpy._split_axis(np.zeros((4, 256), np.float32), (1,))[1] == 1


def test_a_forked_child_gets_its_own_pool(threads, rng):
    x = rng.standard_normal((40, 32))
    expected = np.fft.rfft(x)
    threads(2, lambda: transform("rfftn", x, axes=(1,), norm="backward", sizes=(32,)))
    old_pool = _fourier_numpy._state["pool"]
    _fourier_numpy._state["pid"] = -1          # as a forked child sees its parent's pool
    try:
        got = threads(2, lambda: transform("rfftn", x, axes=(1,), norm="backward",
                                           sizes=(32,)))
        assert _fourier_numpy._state["pool"] is not old_pool
        assert _fourier_numpy._state["pid"] == os.getpid()
    finally:
        _fourier_numpy._state["pid"] = os.getpid()
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_workers_is_a_checked_setting_that_a_with_block_restores():
    before = ndgrad.fft.get_workers()
    with ndgrad.fft.set_workers(5):
        assert ndgrad.fft.get_workers() == 5
    assert ndgrad.fft.get_workers() == before
    for bad, error in [(0, ValueError), (-2, ValueError), (1.5, TypeError),
                       (True, TypeError), ("2", TypeError)]:
        with pytest.raises(error, match="fft.set_workers: workers="):
            ndgrad.fft.set_workers(bad)
    assert ndgrad.fft.get_workers() == before
