"""nn.PixelShuffle / PixelUnshuffle and their functional forms, against PyTorch."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.nn.functional import pixel_shuffle, pixel_unshuffle

torch = pytest.importorskip("torch")
F = torch.nn.functional


@pytest.mark.parametrize("shape, factor", [((2, 8, 3, 4), 2), ((18, 2, 3), 3), ((2, 3, 4, 1, 1), 2)])
def test_pixel_shuffle_matches_pytorch(shape, factor, rng):
    if shape[-3] % (factor * factor):
        shape = shape[:-3] + (shape[-3] * factor * factor,) + shape[-2:]
    x = rng.standard_normal(shape).astype(np.float32)
    ours_x, theirs_x = ndgrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours, theirs = pixel_shuffle(ours_x, factor), F.pixel_shuffle(theirs_x, factor)
    np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())
    cotangent = rng.standard_normal(ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_array_equal(ours_x.grad.numpy(), theirs_x.grad.numpy())
    back = pixel_unshuffle(ours, factor)
    np.testing.assert_array_equal(back.numpy(), F.pixel_unshuffle(theirs, factor).detach().numpy())
    np.testing.assert_array_equal(back.numpy(), x)


def test_modules_and_errors():
    assert repr(nn.PixelShuffle(3)) == repr(torch.nn.PixelShuffle(3))
    assert repr(nn.PixelUnshuffle(2)) == repr(torch.nn.PixelUnshuffle(2))
    with pytest.raises(ndgrad.ShapeError, match=r"pixel_shuffle: the channels \(6, "
                                                r"dimension -3 .* divisible by .* = 4"):
        nn.PixelShuffle(2)(ndgrad.ones((1, 6, 2, 2)))
    with pytest.raises(ndgrad.ShapeError, match=r"pixel_unshuffle: the height and width "
                                                r"\(4, 5\) must be divisible by"):
        nn.PixelUnshuffle(2)(ndgrad.ones((1, 1, 4, 5)))
    with pytest.raises(ndgrad.ShapeError, match="pixel_shuffle: expected an input"):
        pixel_shuffle(ndgrad.ones((4, 4)), 2)
    with pytest.raises(ValueError, match="PixelShuffle: upscale_factor must be a positive int"):
        nn.PixelShuffle(0)
