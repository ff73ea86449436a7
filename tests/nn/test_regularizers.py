"""Regularizers: penalties worked out by hand, gradients, configs, bad input."""

import numpy as np
import pytest
import torch

import ndgrad
from ndgrad.nn import regularizers


def test_penalties_by_hand():
    x = ndgrad.tensor([[1.0, -2.0], [3.0, 0.0]])
    assert regularizers.L1(0.1)(x).item() == pytest.approx(0.6)
    assert regularizers.L2(0.1)(x).item() == pytest.approx(1.4)
    assert regularizers.L1L2(l1=0.1, l2=0.1)(x).item() == pytest.approx(2.0)
    assert regularizers.L1L2()(x).item() == 0.0
    assert regularizers.L1(0.0)(x).item() == 0.0


def test_orthogonal_regularizer_matches_its_definition(rng):
    w = rng.normal(size=(4, 3))
    for mode, vectors in (("rows", w), ("columns", w.T)):
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        product = unit @ unit.T
        n = len(vectors)
        off_diagonal = np.abs(product - np.diag(np.diag(product))).sum()
        expected = 0.05 * 0.5 * off_diagonal / (n * (n - 1) / 2)
        got = regularizers.OrthogonalRegularizer(0.05, mode=mode)(ndgrad.tensor(w)).item()
        assert got == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("regularizer", [regularizers.L1(0.3), regularizers.L2(0.2),
                                         regularizers.L1L2(0.1, 0.4),
                                         regularizers.OrthogonalRegularizer(0.5)])
def test_gradients_match_finite_differences(regularizer, rng):
    w = ndgrad.tensor(rng.normal(size=(3, 4)), dtype="float64")
    assert ndgrad.gradcheck(regularizer, [w])


def test_l2_gradient_matches_pytorch(rng):
    w = rng.normal(size=(3, 2)).astype(np.float32)
    ours = ndgrad.Variable(w)
    regularizers.L2(0.25)(ours).backward()
    theirs = torch.tensor(w, requires_grad=True)
    (0.25 * theirs.square().sum()).backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-6)


def test_get_names_configs_and_lowercase_aliases():
    assert regularizers.get("l1") .get_config() == {"l1": 0.01}
    assert regularizers.get("l1_l2").get_config() == {"l1": 0.01, "l2": 0.01}
    assert regularizers.l2 is regularizers.L2 and regularizers.l1_l2 is regularizers.L1L2
    assert regularizers.get(None) is None
    assert isinstance(regularizers.get(regularizers.L2), regularizers.L2)
    function = lambda x: ndgrad.sum(x)    # noqa: E731
    assert regularizers.get(function) is function
    restored = regularizers.deserialize(regularizers.serialize(regularizers.L1L2(0.1, 0.2)))
    assert restored.get_config() == {"l1": 0.1, "l2": 0.2}


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="L2: l2 must be a non-negative finite number"):
        regularizers.L2(-1.0)
    with pytest.raises(ValueError, match="mode must be 'rows' or 'columns'"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="needs a 2-D weight"):
        regularizers.OrthogonalRegularizer()(ndgrad.ones(3))
    with pytest.raises(ValueError, match="unknown regularizer 'l3'"):
        regularizers.get("l3")
    with pytest.raises(TypeError, match="expected a name"):
        regularizers.get(3)
