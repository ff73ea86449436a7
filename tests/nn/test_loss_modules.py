"""Loss modules: same values and gradients as torch.nn's, options fixed at construction."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=(6, 4)).astype(np.float32)
LABELS = np.array([0, 3, 1, 1, 2, 0])
VALUES = RNG.normal(size=(6, 4)).astype(np.float32)
PROBS = RNG.uniform(0.05, 0.95, size=(6, 4)).astype(np.float32)
BITS = (RNG.random((6, 4)) > 0.5).astype(np.float32)

CASES = [
    ("MSELoss", {}, LOGITS, VALUES),
    ("L1Loss", {"reduction": "sum"}, LOGITS, VALUES),
    ("HuberLoss", {"delta": 0.5}, LOGITS, VALUES),
    ("SmoothL1Loss", {"beta": 0.5, "reduction": "none"}, LOGITS, VALUES),
    ("CrossEntropyLoss", {"label_smoothing": 0.1}, LOGITS, LABELS),
    ("CrossEntropyLoss", {"weight": np.array([1.0, 2.0, 0.5, 1.0], np.float32),
                          "ignore_index": 1}, LOGITS, LABELS),
    ("NLLLoss", {}, np.log(PROBS), LABELS),
    ("BCELoss", {}, PROBS, BITS),
    ("BCEWithLogitsLoss", {"pos_weight": np.full(4, 2.0, np.float32)}, LOGITS, BITS),
    ("KLDivLoss", {"reduction": "batchmean"}, np.log(PROBS), PROBS),
]


@pytest.mark.parametrize("name, options, input, target", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_loss_module_matches_pytorch(name, options, input, target):
    ours = getattr(nn, name)(**{k: ndgrad.tensor(v) if isinstance(v, np.ndarray) else v
                                for k, v in options.items()})
    theirs = getattr(torch.nn, name)(**{k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                                        for k, v in options.items()})
    x = ndgrad.tensor(input, requires_grad=True)
    tx = torch.tensor(input, requires_grad=True)
    value = ours(x, ndgrad.tensor(target))
    expected = theirs(tx, torch.tensor(target))
    np.testing.assert_allclose(value.numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    value.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-4, atol=1e-6)


def test_bad_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction"):
        nn.MSELoss(reduction="average")


def test_mismatched_shapes_that_broadcast_warn_naming_both():
    with pytest.warns(UserWarning, match=r"\(3, 1\).*\(3,\)|\(3,\).*\(3, 1\)"):
        nn.MSELoss()(ndgrad.ones((3, 1)), ndgrad.ones(3))
