"""The NumPy path of a stride-1 convolution's input gradient lays its images back
to back: without padding the gradient is one packed array (the next op, e.g. a
pooling gradient, reads it without a copy), and a run that wraps past an
image's end into the next image's first cells adds nothing there."""

import numpy as np
import pytest

from ndgrad.ops import _accelerated
from ndgrad.ops import convolution


@pytest.mark.parametrize("kernel, dilation, padding", [
    ((3, 3), (1, 1), ((0, 0), (0, 0))),
    ((2, 3), (2, 1), ((0, 0), (0, 0))),
    ((3, 3), (1, 2), ((1, 0), (2, 1))),
    ((1, 1), (1, 1), ((0, 0), (0, 0))),
])
def test_unit_stride_input_gradient_matches_torch_and_is_packed_without_padding(
        kernel, dilation, padding, rng):
    torch = pytest.importorskip("torch")
    n, channels, out_channels, size = 3, 8, 5, (7, 9)
    w4 = rng.standard_normal((out_channels, channels) + kernel)
    out_size = tuple(s + before + after - (k - 1) * d
                     for s, (before, after), k, d in zip(size, padding, kernel, dilation))
    # the gradient as the forward lays it out: channel by channel
    g4 = np.ascontiguousarray(rng.standard_normal((out_channels, n) + out_size)
                              ).transpose(1, 0, 2, 3)
    previous = _accelerated.set_enabled(False)
    try:
        grad = convolution._input_grad_unit_stride(w4, g4, 1, np.float64, size, dilation,
                                                   padding)
    finally:
        _accelerated.set_enabled(previous)
    x = torch.zeros((n, channels) + size, dtype=torch.float64, requires_grad=True)
    padded = torch.nn.functional.pad(x, (padding[1][0], padding[1][1],
                                         padding[0][0], padding[0][1]))
    torch.nn.functional.conv2d(padded, torch.tensor(w4), dilation=dilation).backward(
        torch.tensor(np.ascontiguousarray(g4)))
    np.testing.assert_allclose(grad, x.grad.numpy(), rtol=1e-12, atol=1e-12)
    if padding == ((0, 0), (0, 0)):
        in_memory = grad.transpose(1, 0, 2, 3)
        assert in_memory.flags.c_contiguous
