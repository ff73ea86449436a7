"""nn.Bilinear / F.bilinear and nn.ChannelShuffle / F.channel_shuffle against
PyTorch, with float64 gradient checks."""

import numpy as np
import pytest

import ndgrad
import ndgrad.nn.functional as F
from ndgrad import nn

torch = pytest.importorskip("torch")


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


@pytest.mark.parametrize("bias, batch", [(True, (5,)), (False, (2, 3)), (True, ())])
def test_bilinear_matches_pytorch(bias, batch):
    theirs = torch.nn.Bilinear(3, 4, 2, bias=bias)
    ours = nn.Bilinear(3, 4, 2, bias=bias)
    ours.load_state_dict(theirs.state_dict())
    assert repr(ours) == repr(theirs) and list(ours.state_dict()) == list(theirs.state_dict())
    a, b = _data(batch + (3,)), _data(batch + (4,), 1)
    ours_a, ours_b = ndgrad.tensor(a, requires_grad=True), ndgrad.tensor(b, requires_grad=True)
    theirs_a, theirs_b = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    out, expected = ours(ours_a, ours_b), theirs(theirs_a, theirs_b)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-5)
    cotangent = _data(out.shape, 2)
    out.backward(ndgrad.tensor(cotangent))
    expected.backward(torch.tensor(cotangent))
    for mine, reference in [(ours_a.grad, theirs_a.grad), (ours_b.grad, theirs_b.grad),
                            (ours.weight.grad, theirs.weight.grad)]:
        np.testing.assert_allclose(mine.numpy(), reference.numpy(), rtol=1e-5, atol=1e-5)


def test_bilinear_gradcheck_and_errors():
    rng = np.random.default_rng(0)
    assert ndgrad.gradcheck(F.bilinear, [rng.normal(size=(2, 3)), rng.normal(size=(2, 4)),
                                         rng.normal(size=(5, 3, 4)), rng.normal(size=5)],
                            second_order=True)
    with pytest.raises(ndgrad.ShapeError, match="bilinear: expected input1"):
        F.bilinear(ndgrad.ones((2, 3)), ndgrad.ones((3, 4)), ndgrad.ones((5, 3, 4)))
    bound = 1 / np.sqrt(3)
    assert np.abs(nn.Bilinear(3, 4, 100).weight.numpy()).max() <= bound


@pytest.mark.parametrize("shape, groups", [((2, 6, 3, 3), 2), ((2, 6, 3, 3), 3), ((1, 8, 5), 4),
                                           ((1, 4, 2, 2, 2), 1)])
def test_channel_shuffle_matches_pytorch(shape, groups):
    x = _data(shape)
    np.testing.assert_array_equal(
        nn.ChannelShuffle(groups)(ndgrad.tensor(x)).numpy(),
        torch.nn.ChannelShuffle(groups)(torch.tensor(x)).numpy())
    np.testing.assert_array_equal(F.channel_shuffle(ndgrad.tensor(x), groups).numpy(),
                                  torch.nn.functional.channel_shuffle(torch.tensor(x),
                                                                      groups).numpy())
    assert repr(nn.ChannelShuffle(groups)) == repr(torch.nn.ChannelShuffle(groups))
    assert ndgrad.gradcheck(lambda t: F.channel_shuffle(t, groups) ** 2,
                            [x.astype(np.float64)], second_order=True)


def test_channel_shuffle_errors():
    with pytest.raises(ndgrad.ShapeError, match="more than 2 dimensions"):
        F.channel_shuffle(ndgrad.ones((2, 4)), 2)
    with pytest.raises(ndgrad.ShapeError, match=r"channels \(6\) must be divisible by groups"):
        F.channel_shuffle(ndgrad.ones((1, 6, 2)), 4)
    with pytest.raises(ValueError, match="groups must be a positive int"):
        F.channel_shuffle(ndgrad.ones((1, 6, 2)), 0)
