"""Max pooling in flat passes over contiguous image planes (``_pooling_planes``):
the same maxima and the same first-maximum gradients as the offset-by-offset
path, in both plane layouts, with ties, cells left over, float32 and float64;
other layouts, NaN maxima and integers are declined (the general path runs)."""

import numpy as np
import pytest

import ndgrad
from ndgrad.nn.functional import max_pool2d
from ndgrad.ops import _accelerated, _pooling_planes, pooling

from .test_pooling_tiled import _general_path, _layout

GEOMETRY = dict(kernel=(2, 2), stride=(2, 2), dilation=(1, 1), padding=((0, 0), (0, 0)))


def _general_scatter(g4, x4, out4):
    grad = np.zeros(x4.shape, g4.dtype)
    for (out_rows, out_cols), (in_rows, in_cols), hit in pooling._first_maxima(x4, out4,
                                                                                GEOMETRY):
        grad[:, :, in_rows, in_cols] += g4[:, :, out_rows, out_cols] * hit
    return grad


def _values(rng, shape, kind, dtype):
    x = rng.standard_normal(shape)
    if kind == "ties":                       # after a ReLU: whole windows of zeros
        x = np.maximum(x, 0)
        x[..., :2, :2] = 0.5
        if shape[-1] >= 4 and shape[-2] >= 4:
            x[..., 2:4, 2] = 0.25            # a tie between the rows of one window
            x[..., 2, 3] = 0.25              # ... and within a row
    elif kind == "rounded":                  # many ties of every kind
        x = np.round(x * 2)
    return x.astype(dtype)


@pytest.mark.parametrize("layout", ["nchw", "channel_major"])
@pytest.mark.parametrize("kernel", [(2, 2), (3, 3), (1, 2), (2, 1), (1, 1), (2, 3)])
@pytest.mark.parametrize("size", [(6, 12), (7, 11), (2, 3)])
def test_flat_max_pool_matches_the_general_path(layout, kernel, size, rng):
    x4 = _layout(_values(rng, (2, 3) + size, "rounded", np.float32), layout)
    out_size = tuple(s // k for s, k in zip(size, kernel))
    if 0 in out_size:
        return
    out = pooling.empty_like_layout(x4, x4.shape[:2] + out_size, x4.dtype)
    assert _pooling_planes.max_pool(x4, out, kernel)
    np.testing.assert_array_equal(out, _general_path(x4, kernel, out_size))


def test_flat_max_pool_declines_channels_last_planes(rng):
    x4 = _layout(rng.standard_normal((2, 3, 4, 4)), "nhwc")
    out = pooling.empty_like_layout(x4, (2, 3, 2, 2), x4.dtype)
    assert not _pooling_planes.max_pool(x4, out, (2, 2))


@pytest.mark.parametrize("layout", ["nchw", "channel_major"])
@pytest.mark.parametrize("size", [(6, 8), (7, 5), (2, 2), (26, 26), (11, 11)])
@pytest.mark.parametrize("kind", ["random", "ties", "rounded"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_flat_scatter_matches_the_general_path(layout, size, kind, dtype, rng):
    x4 = _layout(_values(rng, (3, 4) + size, kind, dtype), layout)
    out_size = (size[0] // 2, size[1] // 2)
    out = pooling.empty_like_layout(x4, x4.shape[:2] + out_size, dtype)
    assert _pooling_planes.max_pool(x4, out, (2, 2))
    g = _layout(rng.standard_normal(out.shape).astype(dtype), layout)
    grad = pooling.empty_like_layout(x4, x4.shape, dtype)
    grad.fill(np.nan)                        # every cell must be written
    assert _pooling_planes.max_pool_scatter(g, x4, out, grad)
    np.testing.assert_array_equal(grad, _general_scatter(g, x4, out))
    # one gradient per window, at a cell holding the window's maximum
    assert np.count_nonzero(grad) == np.count_nonzero(g)


@pytest.mark.parametrize("g_layout", ["nchw", "nhwc", "wider_grid"])
def test_flat_scatter_takes_a_gradient_in_any_layout(g_layout, rng):
    x4 = _layout(_values(rng, (2, 3, 6, 6), "ties", np.float32), "channel_major")
    out = pooling.empty_like_layout(x4, (2, 3, 3, 3), np.float32)
    _pooling_planes.max_pool(x4, out, (2, 2))
    values = rng.standard_normal((2, 3, 3, 3)).astype(np.float32)
    if g_layout == "wider_grid":             # a view into a wider array, as conv's input grad
        g = np.zeros((2, 3, 3, 5), np.float32)[..., :3]
        g[...] = values
    else:
        g = _layout(values, g_layout)
    grad = pooling.empty_like_layout(x4, x4.shape, np.float32)
    assert _pooling_planes.max_pool_scatter(g, x4, out, grad)
    np.testing.assert_array_equal(grad, _general_scatter(values, x4, out))


def test_flat_scatter_declines_nan_maxima_integers_and_channels_last(rng):
    x4 = rng.standard_normal((2, 3, 4, 4))
    x4[0, 0, 1, 1] = np.nan
    out = pooling.empty_like_layout(x4, (2, 3, 2, 2), x4.dtype)
    _pooling_planes.max_pool(x4, out, (2, 2))
    grad = np.empty_like(x4)
    assert not _pooling_planes.max_pool_scatter(np.ones_like(out), x4, out, grad)
    ints = (x4[1:] * 0).astype(np.int64)
    assert not _pooling_planes.max_pool_scatter(np.ones((1, 3, 2, 2)), ints,
                                                np.zeros((1, 3, 2, 2), np.int64),
                                                np.empty((1, 3, 4, 4)))
    nhwc = _layout(np.ones((2, 3, 4, 4)), "nhwc")
    out = pooling.empty_like_layout(nhwc, (2, 3, 2, 2), nhwc.dtype)
    assert not _pooling_planes.max_pool_scatter(np.ones_like(out), nhwc, out,
                                                pooling.empty_like_layout(nhwc, nhwc.shape,
                                                                          nhwc.dtype))


@pytest.mark.parametrize("kind", ["random", "ties"])
def test_max_pool2d_gradient_through_the_flat_path_matches_torch(kind, rng):
    torch = pytest.importorskip("torch")
    x = _values(rng, (4, 3, 10, 9), kind, np.float32)
    g = rng.standard_normal((4, 3, 5, 4)).astype(np.float32)
    previous = _accelerated.set_enabled(False)
    try:
        ours = ndgrad.tensor(x, requires_grad=True)
        max_pool2d(ours, 2).backward(ndgrad.tensor(g))
    finally:
        _accelerated.set_enabled(previous)
    theirs = torch.tensor(x, requires_grad=True)
    torch.nn.functional.max_pool2d(theirs, 2).backward(torch.tensor(g))
    np.testing.assert_array_equal(ours.grad.numpy(), theirs.grad.numpy())


def test_flat_max_pool_leaves_inputs_past_the_cache_sized_limit_to_the_row_passes(monkeypatch):
    x4 = np.ones((1, 2, 4, 4), np.float32)
    out = np.empty((1, 2, 2, 2), np.float32)
    monkeypatch.setattr(_pooling_planes, "FORWARD_MAX_BYTES", x4.nbytes - 1)
    assert not _pooling_planes.max_pool(x4, out, (2, 2))
    monkeypatch.setattr(_pooling_planes, "FORWARD_MAX_BYTES", x4.nbytes)
    assert _pooling_planes.max_pool(x4, out, (2, 2))
