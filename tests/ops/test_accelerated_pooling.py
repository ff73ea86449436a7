"""The optional compiled (numba) max-pooling kernels give exactly the NumPy
path's numbers: values, first-maximum gradients, ties, NaN, odd sizes, every
memory layout and both float dtypes. Skipped where numba is not installed."""

import subprocess
import sys

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import _accelerated
from ndgrad.ops.pooling import max_pool2d

from .harness import laid_out

pytest.importorskip("numba")
pytestmark = pytest.mark.usefixtures("compiled_kernels_on")


def _pool_and_grad(x, g, channels_last):
    data_format = "channels_last" if channels_last else "channels_first"
    x = ndgrad.tensor(x, requires_grad=True)
    y = max_pool2d(x, 2, data_format=data_format)
    y.backward(ndgrad.tensor(g))
    return y.numpy().copy(), x.grad.numpy().copy()


def _values(rng, shape, kind, dtype):
    x = rng.standard_normal(shape)
    if kind == "ties":                      # after a ReLU: whole windows of zeros
        x = np.maximum(x, 0)
        x[..., :2, :2] = 0.5
    if kind == "nan":
        x.flat[rng.choice(x.size, 5, replace=False)] = np.nan
    return x.astype(dtype)


@pytest.mark.parametrize("layout", ["nchw", "channel_major", "nhwc"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [(6, 8), (7, 5)])
@pytest.mark.parametrize("kind", ["random", "ties", "nan"])
def test_compiled_max_pool_matches_numpy_path(layout, dtype, size, kind, rng, numpy_path):
    assert _accelerated.enabled(), "numba is installed, so the kernels should be on"
    logical = _values(rng, (3, 4) + size, kind, dtype)
    channels_last = layout == "nhwc"
    x = laid_out(logical, layout)
    x = x.transpose(0, 2, 3, 1) if channels_last else x
    out_shape = (3, 4, size[0] // 2, size[1] // 2)
    g = rng.standard_normal(out_shape).astype(dtype)
    g = g.transpose(0, 2, 3, 1) if channels_last else g
    compiled = _pool_and_grad(x, g, channels_last)
    reference = numpy_path(lambda: _pool_and_grad(x, g, channels_last))
    np.testing.assert_array_equal(compiled[0], reference[0])
    np.testing.assert_array_equal(compiled[1], reference[1])
    assert compiled[1].dtype == dtype


def test_gradient_goes_to_the_first_maximum_of_each_window():
    x = np.array([[[[1.0, 1.0, 0.0, 2.0],
                    [1.0, 0.0, 2.0, 2.0]]]], dtype=np.float32)
    _, grad = _pool_and_grad(x, np.array([[[[3.0, 5.0]]]], dtype=np.float32), False)
    assert grad.tolist() == [[[[3.0, 0.0, 0.0, 5.0], [0.0, 0.0, 0.0, 0.0]]]]


@pytest.mark.parametrize("gradient_layout", ["nchw", "channel_major"])
def test_gradient_in_another_layout_than_the_input(gradient_layout, rng, numpy_path):
    x = laid_out(rng.standard_normal((4, 3, 6, 6)).astype(np.float32), "channel_major")
    g = laid_out(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), gradient_layout)
    compiled = _pool_and_grad(x, g, False)
    reference = numpy_path(lambda: _pool_and_grad(x, g, False))
    np.testing.assert_array_equal(compiled[1], reference[1])


def test_other_geometries_and_dtypes_take_the_numpy_path():
    out = np.zeros((1, 1, 2, 2))
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    no_padding = ((0, 0), (0, 0))
    assert not _accelerated.max_pool_forward(x, out, (3, 3), (2, 2), (1, 1), ((1, 1), (1, 1)))
    assert not _accelerated.max_pool_forward(x.astype(np.int32), out.astype(np.int32), (2, 2),
                                             (2, 2), (1, 1), no_padding)
    assert not _accelerated.max_pool_forward(x, out.astype(np.float32), (2, 2), (2, 2), (1, 1),
                                             no_padding)
    assert (out == 0).all()
    assert _accelerated.max_pool_forward(x, out, (2, 2), (2, 2), (1, 1), no_padding)
    assert out[0, 0].tolist() == [[5.0, 7.0], [13.0, 15.0]]


def test_second_order_through_the_compiled_path(rng, numpy_path):
    """d/dx of ||d(sum of pooled squares)/dx||^2: the scatter's own gradient
    gathers at the positions the compiled scatter chose."""
    x_values = rng.standard_normal((2, 2, 5, 4)).astype(np.float32)

    def second_order():
        x = ndgrad.tensor(x_values, requires_grad=True)
        grad_x = ndgrad.grad(lambda t: (max_pool2d(t, 2) ** 2).sum())(x)
        (grad_x ** 2).sum().backward()
        return x.grad.numpy().copy()
    compiled = second_order()
    assert np.abs(compiled).sum() > 0
    np.testing.assert_array_equal(compiled, numpy_path(second_order))


def test_a_kernel_numba_cannot_compile_falls_back_to_numpy(monkeypatch, numpy_path):
    from numba.core.errors import TypingError

    def fails(*arrays):
        raise TypingError("no implementation here")
    fails.__name__ = "max_pool_2x2_planes"
    _accelerated._load()
    monkeypatch.setattr(_accelerated, "_kernels", _accelerated._kernels)
    monkeypatch.setattr(_accelerated._kernels, "max_pool_2x2_planes", fails)
    x = np.arange(32.0, dtype=np.float32).reshape(1, 2, 4, 4)
    with pytest.warns(RuntimeWarning, match="numba could not compile max_pool_2x2_planes"):
        pooled = max_pool2d(ndgrad.tensor(x), 2).numpy()
    assert not _accelerated.enabled()
    np.testing.assert_array_equal(pooled, numpy_path(lambda: max_pool2d(ndgrad.tensor(x), 2)
                                                     .numpy()))


def test_importing_ndgrad_leaves_numba_unimported():
    """numba costs ~55 MB and a fraction of a second to import: only the first
    use of a kernel imports it, never ``import ndgrad`` (or an MLP)."""
    code = ("import sys, ndgrad\n"
            "model = ndgrad.nn.Sequential(ndgrad.nn.Linear(4, 4), ndgrad.nn.ReLU())\n"
            "model(ndgrad.ones((2, 4))).sum().backward()\n"
            "print('numba' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
