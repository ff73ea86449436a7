"""F.ctc_loss / nn.CTCLoss against PyTorch: padded and concatenated targets,
repeated labels, empty targets, shorter inputs, unbatched inputs, every
reduction, zero_infinity; gradients against PyTorch through log_softmax and
against float64 finite differences."""

import numpy as np
import pytest

import ndgrad
import ndgrad.nn.functional as F
from ndgrad import nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional

TARGETS = np.array([[1, 2, 2, 3], [4, 4, 1, 1], [1, 1, 1, 1], [2, 3, 1, 1]])
TARGET_LENGTHS = [4, 2, 1, 0]
INPUT_LENGTHS = [12, 10, 5, 7]


def _logits(shape=(12, 4, 5), seed=0, dtype=np.float32):
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


def _both(logits, targets, input_lengths, target_lengths, **options):
    ours_x = ndgrad.tensor(logits, requires_grad=True)
    theirs_x = torch.tensor(logits, requires_grad=True)
    ours = F.ctc_loss(ours_x.log_softmax(-1), ndgrad.tensor(targets), input_lengths,
                      target_lengths, **options)
    theirs = TF.ctc_loss(theirs_x.log_softmax(-1), torch.tensor(targets),
                         torch.tensor(input_lengths), torch.tensor(target_lengths), **options)
    tolerance = 1e-5 if logits.dtype == np.float32 else 1e-10
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=tolerance,
                               atol=tolerance)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-4,
                               atol=tolerance)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_padded_targets_match_pytorch(reduction, dtype):
    _both(_logits(dtype=dtype), TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, reduction=reduction)


def test_concatenated_targets_and_another_blank_match_pytorch():
    lengths = [3, 2, 2, 1]
    concatenated = np.array([1, 1, 2, 3, 4, 2, 2, 3])
    _both(_logits(seed=1), concatenated, INPUT_LENGTHS, lengths, blank=0, reduction="none")
    _both(_logits(seed=2), np.array([[0, 1, 1], [3, 0, 0], [2, 1, 0], [3, 3, 3]]),
          [12, 12, 9, 11], [3, 2, 3, 3], blank=4, reduction="sum")


def test_unbatched_input_matches_pytorch():
    _both(_logits((9, 5), seed=3), np.array([1, 3, 3]), 9, 3, reduction="none")
    _both(_logits((9, 5), seed=3), np.array([1, 3, 3]), 9, 3)


def test_impossible_alignments_and_zero_infinity_match_pytorch():
    logits = _logits((3, 2, 4), seed=4)
    targets, input_lengths, target_lengths = np.array([[1, 1, 2], [1, 2, 3]]), [3, 3], [3, 2]
    ours = F.ctc_loss(ndgrad.tensor(logits).log_softmax(-1), ndgrad.tensor(targets),
                      input_lengths, target_lengths, reduction="none")
    assert np.isinf(ours.numpy()[0]) and np.isfinite(ours.numpy()[1])   # "1 1" needs a blank
    _both(logits, targets, input_lengths, target_lengths, zero_infinity=True,
          reduction="none")
    _both(logits, targets, input_lengths, target_lengths, zero_infinity=True)


def test_gradient_is_the_exact_derivative_of_log_probs():
    log_probs = np.log(np.random.default_rng(0).dirichlet(np.ones(4), size=(6, 2)))
    targets = ndgrad.tensor([[1, 2, 2], [3, 1, 1]])
    assert ndgrad.gradcheck(lambda lp: F.ctc_loss(lp, targets, [6, 5], [3, 2],
                                                  reduction="sum"), [log_probs])
    assert ndgrad.gradcheck(lambda lp: F.ctc_loss(lp, targets, [6, 5], [3, 2]), [log_probs])


def test_second_order_is_refused_not_silent():
    log_probs = ndgrad.tensor(np.log(np.full((3, 1, 3), 1 / 3)), requires_grad=True)
    loss = F.ctc_loss(log_probs, ndgrad.tensor([[1]]), [3], [1])
    with pytest.raises(NotImplementedError, match="second-order"):
        loss.backward(create_graph=True)


def test_module_and_errors():
    logits = _logits()
    loss_fn = nn.CTCLoss(reduction="sum")
    ours = loss_fn(ndgrad.tensor(logits).log_softmax(2), ndgrad.tensor(TARGETS),
                   ndgrad.tensor(INPUT_LENGTHS), ndgrad.tensor(TARGET_LENGTHS))
    theirs = torch.nn.CTCLoss(reduction="sum")(
        torch.tensor(logits).log_softmax(2), torch.tensor(TARGETS),
        torch.tensor(INPUT_LENGTHS), torch.tensor(TARGET_LENGTHS))
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-5)
    with pytest.raises(ValueError, match="input_lengths must be in"):
        F.ctc_loss(ndgrad.tensor(logits), ndgrad.tensor(TARGETS), [13, 1, 1, 1], TARGET_LENGTHS)
    with pytest.raises(ValueError, match="differ from blank=0"):
        F.ctc_loss(ndgrad.tensor(logits), ndgrad.tensor(TARGETS * 0), INPUT_LENGTHS,
                   TARGET_LENGTHS)
    with pytest.raises(ValueError, match="sum\\(target_lengths\\)"):
        F.ctc_loss(ndgrad.tensor(logits), ndgrad.tensor([1, 2]), INPUT_LENGTHS, TARGET_LENGTHS)
