"""cross_entropy and nll_loss with class-index targets against PyTorch, for every
way a target can be left out: ignore_index among the classes, beyond them, or
negative (the default); with and without class weights; every reduction."""

import numpy as np
import pytest

import ndgrad
from ndgrad.nn import functional as F

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
TARGETS = {
    "all counted": (-100, np.array([0, 1, 4, 3, 2, 1, 0, 4])),
    "ignored beyond the classes": (255, np.array([0, 1, 255, 3, 4, 255, 2, 1])),
    "ignored among the classes": (2, np.array([0, 2, 2, 3, 4, 1, 2, 1])),
    "ignored, negative": (-100, np.array([0, -100, 2, 3, 4, 1, -100, 0])),
}


@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("case", sorted(TARGETS))
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shape", [(8, 5), (8, 5, 3)])
def test_index_targets_match_pytorch(loss, case, reduction, weighted, shape):
    ignore_index, target = TARGETS[case]
    if len(shape) == 3:
        target = np.stack([target, np.roll(target, 1), target], axis=1)
    value = RNG.standard_normal(shape).astype(np.float32)
    weight = RNG.uniform(0.5, 2.0, shape[1]).astype(np.float32) if weighted else None
    ours = ndgrad.Variable(value)
    theirs = torch.tensor(value, requires_grad=True)
    mine = getattr(F, loss)(ours, ndgrad.tensor(target), weight=weight, reduction=reduction,
                            ignore_index=ignore_index)
    reference = getattr(torch.nn.functional, loss)(
        theirs, torch.tensor(target), weight=None if weight is None else torch.tensor(weight),
        reduction=reduction, ignore_index=ignore_index)
    np.testing.assert_allclose(mine.numpy(), reference.detach().numpy(), rtol=1e-5, atol=1e-6)
    seed = RNG.standard_normal(mine.shape).astype(np.float32)
    mine.backward(ndgrad.tensor(seed))
    reference.backward(torch.tensor(seed))
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_a_target_outside_the_classes_that_is_not_ignore_index_is_refused():
    with pytest.raises(IndexError, match="target 7 is out of bounds"):
        F.cross_entropy(ndgrad.ones((2, 5)), ndgrad.tensor([1, 7]))
    with pytest.raises(IndexError, match="target -1 is out of bounds"):
        F.cross_entropy(ndgrad.ones((2, 5)), ndgrad.tensor([-1, 0]), ignore_index=255)


def test_unsigned_targets_work():
    value = RNG.standard_normal((3, 4)).astype(np.float32)
    target = np.array([3, 0, 2], dtype=np.uint8)
    ours = F.cross_entropy(ndgrad.tensor(value), ndgrad.tensor(target)).item()
    theirs = torch.nn.functional.cross_entropy(torch.tensor(value),
                                               torch.tensor(target.astype(np.int64))).item()
    assert ours == pytest.approx(theirs, rel=1e-6)
