"""The kernel gradient's product takes one of four routes, chosen from the
gradient's layout and the shapes (ndgrad/ops/_convolution_products.py); each
route must give ``g @ columns.T`` per group."""

import numpy as np
import pytest

from ndgrad.ops._convolution_products import _kernel_grad_product

# (out channels, kernel taps per group, groups, N, oh, ow): per image (small
# out * k), columns @ g.T (out per group <= 64), one grouped product (more
# outputs), and grouped convolutions on the last two routes.
SHAPES = [
    (16, 9, 1, 8, 6, 5),
    (32, 144, 1, 4, 3, 3),
    (96, 27, 1, 3, 4, 4),
    (8, 18, 2, 3, 4, 4),
    (160, 9, 2, 2, 3, 3),
]


def reference(g4, columns, groups):
    n, f, oh, ow = g4.shape
    per_group = columns.shape[0] // groups
    g = g4.astype(np.float64).transpose(1, 0, 2, 3).reshape(groups, f // groups, -1)
    c = columns.astype(np.float64).reshape(groups, per_group, -1)
    return np.einsum("gop,gkp->gok", g, c).reshape(f, per_group)


@pytest.mark.parametrize("layout", ["batch_major", "output_major"])
@pytest.mark.parametrize("shape", SHAPES)
def test_every_route_gives_g_times_columns_transposed(shape, layout):
    f, k, groups, n, oh, ow = shape
    rng = np.random.default_rng(0)
    columns = rng.standard_normal((k * groups, n * oh * ow)).astype(np.float32)
    if layout == "batch_major":
        g4 = rng.standard_normal((n, f, oh, ow)).astype(np.float32)
    else:   # as the forward writes it: (out, N, oh, ow) in memory
        g4 = rng.standard_normal((f, n, oh, ow)).astype(np.float32).transpose(1, 0, 2, 3)
    got = _kernel_grad_product(g4, columns, groups, np.float32)
    assert got.dtype == np.float32
    np.testing.assert_allclose(np.asarray(got).reshape(f, k), reference(g4, columns, groups),
                               rtol=1e-4, atol=1e-4)
