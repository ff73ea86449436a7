"""nn.EmbeddingBag / F.embedding_bag against PyTorch: the three modes, offsets
(with and without the last one), 2-D bags, empty bags, padding_idx,
per_sample_weights, gradients; float64 gradient checks; refused options."""

import numpy as np
import pytest

import ndgrad
import ndgrad.nn.functional as F
from ndgrad import nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional

WEIGHT = np.random.default_rng(0).normal(size=(10, 4)).astype(np.float32)


def _both(indices, offsets=None, per_sample_weights=None, **options):
    """Compare outputs and the gradients of the weight (and the sample weights)."""
    ours_w, theirs_w = ndgrad.tensor(WEIGHT, requires_grad=True), torch.tensor(
        WEIGHT, requires_grad=True)
    ours_ps = theirs_ps = None
    if per_sample_weights is not None:
        ours_ps = ndgrad.tensor(per_sample_weights, requires_grad=True)
        theirs_ps = torch.tensor(per_sample_weights, requires_grad=True)
    ours = F.embedding_bag(ndgrad.tensor(indices), ours_w,
                           None if offsets is None else ndgrad.tensor(offsets),
                           per_sample_weights=ours_ps, **options)
    theirs = TF.embedding_bag(torch.tensor(indices), theirs_w,
                              None if offsets is None else torch.tensor(offsets),
                              per_sample_weights=theirs_ps, **options)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert ours.dtype == np.float32
    cotangent = np.random.default_rng(1).normal(size=ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours_w.grad.numpy(), theirs_w.grad.numpy(), rtol=1e-5, atol=1e-5)
    if ours_ps is not None:
        np.testing.assert_allclose(ours_ps.grad.numpy(), theirs_ps.grad.numpy(), rtol=1e-5,
                                   atol=1e-5)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("indices, offsets, options", [
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 4], {}),
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 0, 3, 3, 8], {}),                          # empty bags
    ([1, 2, 4, 5, 4, 3, 2, 9], [0, 2, 8], dict(include_last_offset=True)),
    ([[1, 2, 3], [4, 4, 0], [0, 0, 0]], None, dict(padding_idx=0)),
    ([1, 0, 0, 4, 7, 7], [0, 1, 3], dict(padding_idx=0)),
    ([[3, 3], [5, 1]], None, {}),
])
def test_modes_match_pytorch(mode, indices, offsets, options):
    _both(np.array(indices), None if offsets is None else np.array(offsets), mode=mode,
          **options)


def test_per_sample_weights_match_pytorch():
    _both(np.array([1, 2, 4, 5, 4, 3]), np.array([0, 2, 5]),
          np.arange(1, 7, dtype=np.float32) / 3, mode="sum")
    _both(np.array([[1, 0], [4, 5]]), None, np.array([[1.0, 2.0], [3.0, 4.0]], np.float32),
          mode="sum", padding_idx=0)


def test_module_matches_pytorch():
    theirs = torch.nn.EmbeddingBag(10, 4, mode="max", padding_idx=2)
    ours = nn.EmbeddingBag(10, 4, mode="max", padding_idx=2)
    assert np.all(ours.weight.numpy()[2] == 0)
    ours.load_state_dict(theirs.state_dict())
    assert repr(ours) == repr(theirs) and list(ours.state_dict()) == list(theirs.state_dict())
    indices, offsets = [3, 2, 7, 1, 1], [0, 3]
    np.testing.assert_allclose(
        ours(ndgrad.tensor(indices), ndgrad.tensor(offsets)).numpy(),
        theirs(torch.tensor(indices), torch.tensor(offsets)).detach().numpy(), rtol=1e-6)
    frozen = nn.EmbeddingBag.from_pretrained(WEIGHT, mode="sum")
    assert not frozen.weight.trainable
    assert repr(nn.EmbeddingBag(5, 2, mode="sum")) == repr(torch.nn.EmbeddingBag(5, 2,
                                                                                 mode="sum"))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_gradients_are_exact(mode):
    weight = np.random.default_rng(2).normal(size=(6, 3))
    indices, offsets = ndgrad.tensor([1, 2, 2, 5, 0, 3]), ndgrad.tensor([0, 2, 2, 5])
    assert ndgrad.gradcheck(lambda w: F.embedding_bag(indices, w, offsets, mode=mode) ** 2,
                            [weight], second_order=True)


def test_refused_arguments_say_so():
    with pytest.raises(ValueError, match="offsets must be None for a 2-D input"):
        F.embedding_bag(ndgrad.tensor([[1, 2]]), ndgrad.tensor(WEIGHT), ndgrad.tensor([0]))
    with pytest.raises(ValueError, match="needs offsets"):
        F.embedding_bag(ndgrad.tensor([1, 2]), ndgrad.tensor(WEIGHT))
    with pytest.raises(ValueError, match=r"offsets\[0\] must be 0"):
        F.embedding_bag(ndgrad.tensor([1, 2]), ndgrad.tensor(WEIGHT), ndgrad.tensor([1]))
    with pytest.raises(ValueError, match="non-decreasing"):
        F.embedding_bag(ndgrad.tensor([1, 2, 3]), ndgrad.tensor(WEIGHT), ndgrad.tensor([0, 2, 1]))
    with pytest.raises(NotImplementedError, match="per_sample_weights is only supported"):
        F.embedding_bag(ndgrad.tensor([[1, 2]]), ndgrad.tensor(WEIGHT),
                        per_sample_weights=ndgrad.ones((1, 2)))
    with pytest.raises(IndexError, match="index 12 is out of range"):
        F.embedding_bag(ndgrad.tensor([[1, 12]]), ndgrad.tensor(WEIGHT))
    for option in (dict(max_norm=1.0), dict(sparse=True), dict(scale_grad_by_freq=True)):
        with pytest.raises(NotImplementedError, match="not supported"):
            nn.EmbeddingBag(10, 4, **option)
    with pytest.raises(ValueError, match="mode must be"):
        nn.EmbeddingBag(10, 4, mode="median")
