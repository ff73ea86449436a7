"""Reductions of ndgrad.torch against PyTorch: dim/keepdim, (values, indices), grads."""

import numpy as np
import pytest

import ndgrad.torch as torch

from .oracle import compare, floats

X = floats(3, 4, 5)


@pytest.mark.parametrize("name", ["sum", "mean", "amax", "amin", "logsumexp", "std", "var"])
@pytest.mark.parametrize("dims", [{"dim": 1}, {"dim": (0, 2)}, {"dim": -1, "keepdim": True},
                                  {"dim": [1, 2], "keepdim": True}])
def test_dim_reductions(name, dims):
    compare(name, X, **dims)


@pytest.mark.parametrize("name", ["sum", "mean", "amax", "amin", "std", "var", "prod", "max",
                                  "min", "norm"])
def test_whole_tensor(name):
    compare(name, floats(2, 3, low=0.5, high=1.5))


@pytest.mark.parametrize("name", ["prod", "cumsum", "cumprod", "argmax", "argmin"])
@pytest.mark.parametrize("dim", [0, 2, -1])
def test_single_dim(name, dim):
    compare(name, floats(2, 3, 4, low=0.5, high=1.5), dim, grad=not name.startswith("arg"))


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_forms(name):
    compare(name, X, 1)                               # (values, indices)
    compare(name, X, dim=0, keepdim=True)
    compare(name, X, floats(3, 4, 5, seed=2))         # elementwise
    result = getattr(torch, name)(torch.tensor(X), 1)
    assert result.values.shape == result.indices.shape == (3, 5)


def test_argmax_keepdim_and_flat():
    compare("argmax", X, grad=False)
    compare("argmax", X, dim=1, keepdim=True, grad=False)
    compare("argmin", X, dim=0, keepdim=True, grad=False)


def test_std_var_corrections():
    compare("std", X, dim=1, unbiased=False)
    compare("var", X, dim=(0, 1), correction=0)
    compare("std", X, 2, True, True)                  # dim, unbiased, keepdim
    compare("std_mean", X, dim=1)
    compare("var_mean", X, dim=2, keepdim=True)
    compare("std_mean", X)


def test_bool_reductions_and_counts():
    mask = X > 0
    for name in ("all", "any"):
        compare(name, mask, grad=False)
        compare(name, mask, dim=1, grad=False)
        compare(name, mask, dim=2, keepdim=True, grad=False)
    compare("count_nonzero", mask, grad=False)
    compare("count_nonzero", mask, dim=1, grad=False)


@pytest.mark.parametrize("kwargs", [{}, {"p": 1}, {"p": 2, "dim": 1}, {"p": 1, "dim": 2},
                                    {"dim": (1, 2)}, {"dim": 1, "keepdim": True},
                                    {"p": float("inf"), "dim": 0}, {"keepdim": True}])
def test_norm(kwargs):
    compare("norm", X, **kwargs, rtol=1e-4)


def test_dtype_and_errors():
    compare("sum", np.arange(6).reshape(2, 3), dim=1, grad=False)
    mean = torch.mean(torch.arange(6).reshape(2, 3), dim=1, dtype=torch.float64)
    assert mean.dtype == torch.float64 and mean.tolist() == [1.0, 4.0]
    assert torch.cumsum(torch.arange(4), 0, dtype=torch.float32).tolist() == [0.0, 1.0, 3.0, 6.0]
    with pytest.raises(ValueError, match="nuclear"):
        torch.norm(torch.ones(2, 2), p="nuc")
