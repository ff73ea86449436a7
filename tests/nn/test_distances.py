"""normalize, cosine_similarity, pairwise_distance (and their modules) against
PyTorch, with gradients checked against finite differences."""

import numpy as np
import pytest
import torch

import ndgrad
from ndgrad import nn
from ndgrad.nn import functional as F

RNG = np.random.default_rng(0)
A = RNG.standard_normal((4, 5)).astype(np.float32)
B = RNG.standard_normal((4, 5)).astype(np.float32)


def _close(ours, theirs):
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-5,
                               atol=1e-6)


@pytest.mark.parametrize("kwargs", [{}, {"p": 1.0}, {"dim": 0}, {"p": 3.0, "dim": -1}])
def test_normalize(kwargs):
    _close(F.normalize(ndgrad.tensor(A), **kwargs),
           torch.nn.functional.normalize(torch.tensor(A), **kwargs))
    zero = np.zeros((2, 3), np.float32)
    _close(F.normalize(ndgrad.tensor(zero)), torch.nn.functional.normalize(torch.tensor(zero)))


@pytest.mark.parametrize("shapes, dim", [(((4, 5), (4, 5)), 1), (((4, 5), (1, 5)), 1),
                                         (((4, 5), (5,)), -1), (((4, 5), (4, 5)), 0)])
def test_cosine_similarity(shapes, dim):
    a = RNG.standard_normal(shapes[0]).astype(np.float32)
    b = RNG.standard_normal(shapes[1]).astype(np.float32)
    _close(F.cosine_similarity(ndgrad.tensor(a), ndgrad.tensor(b), dim=dim),
           torch.nn.functional.cosine_similarity(torch.tensor(a), torch.tensor(b), dim=dim))
    _close(nn.CosineSimilarity(dim=dim)(ndgrad.tensor(a), ndgrad.tensor(b)),
           torch.nn.CosineSimilarity(dim=dim)(torch.tensor(a), torch.tensor(b)))


@pytest.mark.parametrize("kwargs", [{}, {"p": 1.0}, {"keepdim": True}, {"eps": 0.0, "p": 3.0}])
def test_pairwise_distance(kwargs):
    _close(F.pairwise_distance(ndgrad.tensor(A), ndgrad.tensor(B), **kwargs),
           torch.nn.functional.pairwise_distance(torch.tensor(A), torch.tensor(B), **kwargs))
    _close(nn.PairwiseDistance(**kwargs)(ndgrad.tensor(A), ndgrad.tensor(B)),
           torch.nn.PairwiseDistance(**kwargs)(torch.tensor(A), torch.tensor(B)))


def test_gradients_against_finite_differences_and_pytorch():
    a64, b64 = A.astype(np.float64), B.astype(np.float64)
    assert ndgrad.gradcheck(lambda x: F.normalize(x, dim=1), [a64])
    assert ndgrad.gradcheck(lambda x, y: F.cosine_similarity(x, y), [a64, b64])
    assert ndgrad.gradcheck(lambda x, y: F.pairwise_distance(x, y, p=1.5), [a64, b64])
    x, tx = ndgrad.tensor(A, requires_grad=True), torch.tensor(A, requires_grad=True)
    F.cosine_similarity(x, ndgrad.tensor(B)).sum().backward()
    torch.nn.functional.cosine_similarity(tx, torch.tensor(B)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-4, atol=1e-6)


def test_bad_input_names_the_function():
    with pytest.raises(ndgrad.ShapeError, match="normalize"):
        F.normalize(ndgrad.ones((2, 3)), dim=2)
    with pytest.raises(ndgrad.ShapeError, match="pairwise_distance"):
        F.pairwise_distance(ndgrad.tensor(1.0), ndgrad.tensor(2.0))
