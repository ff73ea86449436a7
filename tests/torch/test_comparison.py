"""Sorting, selection and whole-tensor comparisons against PyTorch."""

import numpy as np
import pytest

import ndgrad.torch as torch

from .oracle import compare, floats

X = floats(4, 6)


@pytest.mark.parametrize("kwargs", [{}, {"dim": 0}, {"descending": True},
                                    {"dim": 0, "descending": True}])
def test_sort_argsort(kwargs):
    compare("sort", X, **kwargs)
    compare("argsort", X, **kwargs, grad=False)


@pytest.mark.parametrize("kwargs", [{}, {"dim": 0}, {"largest": False}, {"sorted": True}])
def test_topk(kwargs):
    compare("topk", X, 3, **kwargs)


def test_median_is_the_lower_median_and_kthvalue():
    compare("median", X)                               # even count: lower median
    compare("median", X, 1)
    compare("median", X, dim=0, keepdim=True)
    compare("median", floats(5))
    compare("kthvalue", X, 2)
    compare("kthvalue", X, 3, 0, True)
    with pytest.raises(IndexError, match="out of range"):
        torch.kthvalue(torch.ones(3), 4)


def test_unique_nonzero_argwhere_searchsorted():
    values = np.array([3, 1, 3, 2, 1])
    compare("unique", values, grad=False)
    compare("unique", values, return_inverse=True, return_counts=True, grad=False)
    grid = np.array([[0, 1, 0], [2, 0, 3]])
    compare("nonzero", grid, grad=False)
    compare("nonzero", grid, as_tuple=True, grad=False)
    compare("argwhere", grid, grad=False)
    compare("searchsorted", np.array([1.0, 3.0, 5.0], np.float32),
            np.array([0.0, 3.0, 6.0], np.float32), grad=False)
    compare("searchsorted", np.array([1.0, 3.0, 5.0], np.float32),
            np.array([3.0], np.float32), right=True, grad=False)


def test_equal_and_allclose_are_python_bools():
    a = torch.tensor([1.0, 2.0])
    assert torch.equal(a, a.clone()) is True
    assert torch.equal(a, torch.tensor([1.0, 2.5])) is False
    assert torch.equal(a, torch.tensor([[1.0, 2.0]])) is False
    assert torch.allclose(a, a + 1e-9) is True
    assert torch.allclose(a, a + 1.0) is False
    assert torch.allclose(torch.tensor([float("nan")]), torch.tensor([float("nan")]),
                          equal_nan=True)
