"""Max pooling over side-by-side windows (kernel == stride, no padding) folds
rows first (``_max_pool_partition``); it must give exactly what the general
offset-by-offset path gives, in every layout, with ties, NaN, integers and
cells left over past the last window."""

import numpy as np
import pytest

from ndgrad.ops import pooling


def _general_path(x4, kernel, out_size):
    out = np.full(x4.shape[:2] + out_size, pooling._lowest(x4.dtype), x4.dtype)
    for (out_rows, out_cols), (in_rows, in_cols) in pooling.offset_ranges(
            kernel, kernel, (1, 1), ((0, 0), (0, 0)), x4.shape[2:], out_size):
        window = out[:, :, out_rows, out_cols]
        np.maximum(window, x4[:, :, in_rows, in_cols], out=window)
    return out


def _layout(array, layout):
    if layout == "nchw":
        return np.ascontiguousarray(array)
    if layout == "channel_major":
        return np.ascontiguousarray(array.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)
    return np.ascontiguousarray(array.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)


@pytest.mark.parametrize("layout", ["nchw", "channel_major", "nhwc"])
@pytest.mark.parametrize("kernel", [(2, 2), (3, 3), (1, 2), (2, 1), (1, 1), (2, 3)])
@pytest.mark.parametrize("size", [(6, 12), (7, 11)])
@pytest.mark.parametrize("kind", ["relu", "nan", "int"])
def test_partition_matches_the_general_path(layout, kernel, size, kind, rng):
    x = rng.standard_normal((2, 3) + size)
    if kind == "relu":                       # ties: whole windows of zeros
        x = np.maximum(x, 0).astype(np.float32)
    elif kind == "nan":
        x.flat[rng.choice(x.size, 4, replace=False)] = np.nan
    else:
        x = (x * 5).astype(np.int32)
    x4 = _layout(x, layout)
    out_size = tuple(s // k for s, k in zip(size, kernel))
    assert pooling._windows_partition(kernel, kernel, (1, 1), ((0, 0), (0, 0)), size, out_size)
    out = pooling.empty_like_layout(x4, x4.shape[:2] + out_size, x4.dtype)
    pooling._max_pool_partition(x4, out, kernel)
    np.testing.assert_array_equal(out, _general_path(x4, kernel, out_size))
    assert pooling.memory_order(out) == pooling.memory_order(x4)


def test_overlapping_padded_or_dilated_windows_take_the_general_path():
    none = ((0, 0), (0, 0))
    assert not pooling._windows_partition((3, 3), (2, 2), (1, 1), none, (8, 8), (3, 3))
    assert not pooling._windows_partition((2, 2), (2, 2), (1, 1), ((1, 1), (1, 1)), (8, 8), (5, 5))
    assert not pooling._windows_partition((2, 2), (2, 2), (2, 2), none, (8, 8), (3, 3))
    # ceil_mode's last partial window reaches past the input
    assert not pooling._windows_partition((2, 2), (2, 2), (1, 1), none, (7, 7), (4, 4))
