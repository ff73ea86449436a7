"""keras.ops math and linear algebra against PyTorch, NumPy and finite differences."""

import numpy as np
import pytest
import torch

import ndgrad
from ndgrad.keras import ops


def test_top_k_and_in_top_k_match_pytorch(rng):
    x = rng.normal(size=(4, 6)).astype(np.float32)
    values, indices = ops.top_k(x, 3)
    theirs = torch.topk(torch.tensor(x), 3)
    np.testing.assert_allclose(values.numpy(), theirs.values.numpy())
    np.testing.assert_array_equal(indices.numpy(), theirs.indices.numpy())
    targets = np.array([0, 1, 2, 3])
    expected = [int(t) in set(row) for t, row in zip(targets, theirs.indices.numpy())]
    assert ops.in_top_k(targets, x, 3).tolist() == expected


def test_segment_reductions_by_hand():
    data = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)
    assert ops.segment_sum(data, [0, 0, 2]).tolist() == [[4.0, 6.0], [0.0, 0.0], [5.0, 6.0]]
    assert ops.segment_sum(data, [1, 1, 1], num_segments=2).tolist() == [[0.0, 0.0], [9.0, 12.0]]
    assert ops.segment_max(data, [0, 1, 0]).tolist() == [[5.0, 6.0], [3.0, 4.0]]
    expected = torch.zeros(3, 2).index_add_(0, torch.tensor([2, 0, 2]), torch.tensor(data))
    np.testing.assert_allclose(ops.segment_sum(data, [2, 0, 2]).numpy(), expected.numpy())


def test_extract_sequences_matches_pytorch_unfold(rng):
    x = rng.normal(size=(2, 10)).astype(np.float32)
    np.testing.assert_allclose(ops.extract_sequences(x, 4, 3).numpy(),
                               torch.tensor(x).unfold(-1, 4, 3).numpy())


def test_math_and_linalg_values(rng):
    a = rng.normal(size=(3, 3))
    spd = a @ a.T + 3 * np.eye(3)
    b = rng.normal(size=(3, 2))
    assert ops.rsqrt([4.0, 16.0]).tolist() == [0.5, 0.25]
    np.testing.assert_allclose(ops.logsumexp(a, axis=1).numpy(),
                               torch.logsumexp(torch.tensor(a), 1).numpy(), rtol=1e-6)
    np.testing.assert_allclose(ops.erf(a).numpy(), torch.erf(torch.tensor(a)).numpy(), rtol=1e-6)
    np.testing.assert_allclose(ops.logdet(spd).item(), np.log(np.linalg.det(spd)), rtol=1e-6)
    np.testing.assert_allclose(ops.inv(spd).numpy(), np.linalg.inv(spd), rtol=1e-6)
    np.testing.assert_allclose(ops.solve(spd, b).numpy(), np.linalg.solve(spd, b), rtol=1e-6)
    lower = np.tril(spd)
    np.testing.assert_allclose(ops.solve_triangular(spd, b, lower=True).numpy(),
                               np.linalg.solve(lower, b), rtol=1e-6)
    np.testing.assert_allclose(ops.linalg.norm(a).item(), np.linalg.norm(a), rtol=1e-6)
    np.testing.assert_allclose(ops.cholesky(spd).numpy(), np.linalg.cholesky(spd), rtol=1e-6)


def test_gradients_match_finite_differences(rng):
    data = ndgrad.tensor(rng.normal(size=(5, 2)), dtype="float64")
    assert ndgrad.gradcheck(lambda d: ops.segment_sum(d, [0, 1, 0, 2, 1]), [data])
    assert ndgrad.gradcheck(lambda d: ops.segment_max(d, [0, 1, 0, 2, 1]), [data])
    assert ndgrad.gradcheck(lambda d: ops.top_k(d, 1)[0], [data])
    assert ndgrad.gradcheck(lambda d: ops.extract_sequences(d.T, 2, 1), [data])
    a = ndgrad.tensor(rng.normal(size=(3, 3)) + 3 * np.eye(3), dtype="float64")
    b = ndgrad.tensor(rng.normal(size=(3, 1)), dtype="float64")
    assert ndgrad.gradcheck(lambda m, v: ops.solve_triangular(m, v), [a, b])


def test_refusals():
    with pytest.raises(ValueError, match="segment_ids must be 1-D"):
        ops.segment_sum(np.ones((2, 2)), [[0], [1]])
    with pytest.raises(AttributeError, match="keras.ops.stft is not supported by ndgrad"):
        ops.stft
