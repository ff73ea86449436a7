"""The optional compiled (numba) convolution kernels (im2col, col2im, the
stride-1 input gradient's wide copy and shifted sums) give exactly the NumPy
path's numbers: forward, both gradients and second order, for every memory
layout, stride, padding, dilation, group count and float dtype, NaN and inf
included. Skipped where numba is not installed."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import _accelerated, _numba_convolution, convolution_geometry as geometry
from ndgrad.ops.convolution import conv1d, conv2d

from .harness import laid_out

pytest.importorskip("numba")
pytestmark = pytest.mark.usefixtures("compiled_kernels_on")


def _conv_and_grads(x, w, g, **options):
    """The output and the gradients of input and weight, as plain arrays."""
    x, w = ndgrad.tensor(x, requires_grad=True), ndgrad.tensor(w, requires_grad=True)
    y = conv2d(x, w, **options)
    y.backward(ndgrad.tensor(g))
    return y.numpy().copy(), x.grad.numpy().copy(), w.grad.numpy().copy()


def _assert_same(compiled, reference):
    for ours, theirs in zip(compiled, reference):
        np.testing.assert_array_equal(ours, theirs)
        assert ours.dtype == theirs.dtype


GEOMETRIES = [  # stride, padding, dilation
    (1, 0, 1),
    (1, 1, 1),
    (1, ((2, 0), (1, 3)), 2),
    (2, 1, 1),
    ((1, 2), ((0, 1), (2, 0)), (2, 1)),
    ((2, 1), "same", 1),
]


@pytest.mark.parametrize("layout", ["nchw", "channel_major", "nhwc"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("geometry", GEOMETRIES)
@pytest.mark.parametrize("channels, groups", [(3, 1), (8, 1), (8, 2)])
def test_compiled_convolution_matches_numpy_path(layout, dtype, geometry, channels, groups,
                                                 rng, numpy_path):
    """Few channels take col2im for the input gradient, 8 or more (at stride 1)
    the wide copy and shifted sums."""
    assert _accelerated.enabled(), "numba is installed, so the kernels should be on"
    stride, padding, dilation = geometry
    x = laid_out(rng.standard_normal((3, channels, 9, 10)).astype(dtype), layout)
    w = rng.standard_normal((4, channels // groups, 3, 2)).astype(dtype)
    options = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    out_shape = conv2d(ndgrad.tensor(x), ndgrad.tensor(w), **options).shape
    g = laid_out(rng.standard_normal(out_shape).astype(dtype), layout)
    compiled = _conv_and_grads(x, w, g, **options)
    reference = numpy_path(lambda: _conv_and_grads(x, w, g, **options))
    _assert_same(compiled, reference)


@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
def test_keras_layout_and_1d(data_format, rng, numpy_path):
    x = rng.standard_normal((2, 7, 9, 8)).astype(np.float32)
    w = rng.standard_normal((3, 2, 8, 5)).astype(np.float32)
    if data_format == "channels_first":
        x, w = x.transpose(0, 3, 1, 2), w.transpose(3, 2, 0, 1)
    g = np.ones((2, 7, 9, 5) if data_format == "channels_last" else (2, 5, 7, 9), np.float32)
    run = lambda: _conv_and_grads(x, w, g, padding="same", data_format=data_format)  # noqa: E731
    _assert_same(run(), numpy_path(run))

    sequence = rng.standard_normal((2, 8, 11)).astype(np.float64)
    kernel = rng.standard_normal((3, 8, 3)).astype(np.float64)

    def one_d():
        s = ndgrad.tensor(sequence, requires_grad=True)
        k = ndgrad.tensor(kernel, requires_grad=True)
        y = conv1d(s, k, padding="causal", dilation=2)
        (y * y).sum().backward()
        return y.numpy().copy(), s.grad.numpy().copy(), k.grad.numpy().copy()
    _assert_same(one_d(), numpy_path(one_d))


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_nan_and_inf_take_the_same_terms(rng, numpy_path):
    """An infinite weight times the wide grid's zero columns makes NaNs that the
    NumPy path's runs carry into the next row: the shifted sums add exactly them."""
    x = rng.standard_normal((2, 8, 6, 7)).astype(np.float32)
    w = rng.standard_normal((4, 8, 3, 3)).astype(np.float32)
    w[1, 2, 0, 2] = np.inf
    x[0, 3, 2, 2] = np.nan
    g = rng.standard_normal((2, 4, 6, 7)).astype(np.float32)
    run = lambda: _conv_and_grads(x, w, g, padding=1)  # noqa: E731
    compiled, reference = run(), numpy_path(run)
    assert np.isnan(compiled[1]).any()
    _assert_same(compiled, reference)


def test_second_order_through_the_compiled_path(rng, numpy_path):
    x_values = rng.standard_normal((2, 8, 6, 6)).astype(np.float32)
    w_values = rng.standard_normal((3, 8, 3, 3)).astype(np.float32)

    def second_order():
        x = ndgrad.tensor(x_values, requires_grad=True)
        w = ndgrad.tensor(w_values, requires_grad=True)
        grad_x = ndgrad.grad(lambda t: (conv2d(t, w, padding=1) ** 2).sum())(x)
        (grad_x ** 2).sum().backward()
        return x.grad.numpy().copy(), w.grad.numpy().copy()
    _assert_same(second_order(), numpy_path(second_order))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kernel, stride, dilation, padding", [
    ((3, 3), (1, 1), (1, 1), ((0, 0), (0, 0))),
    ((3, 2), (2, 3), (1, 2), ((1, 2), (3, 0))),
    ((1, 4), (3, 1), (2, 1), ((4, 4), (0, 2))),
])
def test_window_copies_match_numpy(dtype, kernel, stride, dilation, padding, rng, numpy_path):
    """im2col and col2im themselves, channel-major and batch-major pieces."""
    x = laid_out(rng.standard_normal((3, 2, 8, 9)).astype(dtype), "channel_major")
    out = tuple(geometry.output_size(size, k, s, d, *pad) for size, k, s, d, pad
                in zip((8, 9), kernel, stride, dilation, padding))
    copy = lambda: geometry.im2col(x, kernel, stride, dilation, padding, out, dtype).copy()  # noqa
    np.testing.assert_array_equal(copy(), numpy_path(copy))
    pieces = rng.standard_normal((2,) + kernel + (3,) + out).astype(dtype)
    batch_major = np.ascontiguousarray(pieces.transpose(3, 0, 1, 2, 4, 5)).transpose(
        1, 2, 3, 0, 4, 5)
    for p in (pieces, batch_major):
        add = lambda: geometry.col2im(p, (8, 9), kernel, stride, dilation, padding,  # noqa
                                      dtype).copy()
        np.testing.assert_array_equal(add(), numpy_path(add))


def test_arrays_the_kernels_do_not_take_go_to_numpy():
    columns = np.full((1, 1, 1, 1, 1, 2), 7.0)
    no_padding = ((0, 0), (0, 0))
    gaps = np.arange(12.0).reshape(1, 1, 2, 6)[:, :, :, ::2]           # not dense
    assert not _numba_convolution.im2col(gaps, columns, (1, 1), (1, 1), no_padding)
    assert not _numba_convolution.im2col(np.ones((1, 1, 1, 2), np.float32), columns,
                                         (1, 1), (1, 1), no_padding)    # dtypes differ
    assert not _numba_convolution.im2col(np.ones((1, 1, 1, 3)), columns, (1, 2), (1, 1),
                                         no_padding)                    # stride across columns
    assert (columns == 7.0).all()
    assert _numba_convolution.im2col(np.ones((1, 1, 1, 2)), columns, (1, 1), (1, 1), no_padding)
    x = np.arange(12, dtype=np.int32).reshape(1, 1, 3, 4)               # integer images
    with_numpy = geometry.im2col(x, (2, 2), (1, 1), (1, 1), no_padding, (2, 3), np.float32)
    assert with_numpy.dtype == np.float32 and with_numpy[0, 1, 1, 0].tolist() == [[5, 6, 7],
                                                                                  [9, 10, 11]]


def test_a_kernel_numba_cannot_compile_falls_back_to_numpy(monkeypatch, rng, numpy_path):
    from numba.core.errors import TypingError

    def fails(*arrays):
        raise TypingError("no implementation here")
    fails.__name__ = "im2col_flat"
    monkeypatch.setattr(_numba_convolution, "im2col_flat", fails)
    monkeypatch.setattr(_numba_convolution._family, "failed", False)
    x = rng.standard_normal((2, 3, 5, 5)).astype(np.float32)
    w = rng.standard_normal((2, 3, 3, 3)).astype(np.float32)
    with pytest.warns(RuntimeWarning, match="numba could not compile im2col_flat"):
        out = conv2d(ndgrad.tensor(x), ndgrad.tensor(w)).numpy()
    assert not _numba_convolution.usable() and geometry.compiled_kernels() is None
    np.testing.assert_array_equal(out, numpy_path(lambda: conv2d(ndgrad.tensor(x),
                                                                 ndgrad.tensor(w)).numpy()))
