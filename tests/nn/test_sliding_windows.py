"""F.unfold / F.fold and nn.Unfold / nn.Fold against PyTorch (values, gradients,
reprs, errors) and float64 gradient checks; unfold then a matrix product is a
convolution."""

import numpy as np
import pytest

import ndgrad
import ndgrad.nn.functional as F
from ndgrad import nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional

CASES = [((2, 3, 7, 8), dict(kernel_size=(2, 3), dilation=(1, 2), padding=(1, 0), stride=(2, 1))),
         ((3, 5, 5), dict(kernel_size=3, padding=1)),
         ((1, 2, 4, 4), dict(kernel_size=2, stride=2)),
         ((2, 1, 6, 5), dict(kernel_size=3, stride=2, padding=2, dilation=2))]


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def _both(ours_fn, theirs_fn, x):
    ours_x, theirs_x = ndgrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours, theirs = ours_fn(ours_x), theirs_fn(theirs_x)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-6)
    cotangent = _data(ours.shape, 1)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("shape, args", CASES)
def test_unfold_and_fold_match_pytorch(shape, args):
    _both(lambda x: F.unfold(x, **args), lambda x: TF.unfold(x, **args), _data(shape))
    blocks = TF.unfold(torch.tensor(_data(shape)), **args).numpy()
    _both(lambda x: F.fold(x, shape[-2:], **args), lambda x: TF.fold(x, shape[-2:], **args),
          blocks)
    assert repr(nn.Unfold(**args)) == repr(torch.nn.Unfold(**args))
    assert repr(nn.Fold(shape[-2:], **args)) == repr(torch.nn.Fold(shape[-2:], **args))


@pytest.mark.parametrize("shape, args", CASES[:2])
def test_gradients_are_exact_to_second_order(shape, args):
    x = np.random.default_rng(0).normal(size=shape)
    assert ndgrad.gradcheck(lambda t: F.unfold(t, **args) ** 2, [x], second_order=True)
    blocks = F.unfold(ndgrad.tensor(x), **args).numpy()
    assert ndgrad.gradcheck(lambda t: F.fold(t, shape[-2:], **args) ** 2, [blocks],
                            second_order=True)


def test_unfold_then_a_product_is_a_convolution():
    x, w = _data((2, 3, 6, 6)), _data((4, 3, 3, 3), 1)
    blocks = F.unfold(ndgrad.tensor(x), 3, padding=1)
    out = (ndgrad.tensor(w.reshape(4, -1)) @ blocks).reshape(2, 4, 6, 6)
    expected = F.conv2d(ndgrad.tensor(x), ndgrad.tensor(w), padding=1)
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)


def test_errors_say_what_is_wrong():
    with pytest.raises(ndgrad.ShapeError, match="unfold: expected a 4-D"):
        F.unfold(ndgrad.ones((2, 3)), 2)
    with pytest.raises(ndgrad.ShapeError, match=r"fold: dimension 1 \(5\) must be divisible"):
        F.fold(ndgrad.ones((1, 5, 4)), (3, 3), 2)
    with pytest.raises(ndgrad.ShapeError, match=r"dimension 2 \(5\) must be the number"):
        F.fold(ndgrad.ones((1, 4, 5)), (3, 3), 2)
    with pytest.raises(ndgrad.ShapeError, match="no sliding block"):
        F.unfold(ndgrad.ones((1, 1, 2, 2)), 3)
