"""Reductions, sorting and comparisons of ndgrad.torch against PyTorch: dim/keepdim,
(values, indices), gradients."""

import numpy as np
import pytest
import torch as real

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
    compare("norm", floats(3, 4), p="nuc", rtol=1e-4)


Y = floats(4, 6)


@pytest.mark.parametrize("kwargs", [{}, {"dim": 0}, {"descending": True},
                                    {"dim": 0, "descending": True}])
def test_sort_argsort(kwargs):
    compare("sort", Y, **kwargs)
    compare("argsort", Y, **kwargs, grad=False)


@pytest.mark.parametrize("kwargs", [{}, {"dim": 0}, {"largest": False}, {"sorted": True}])
def test_topk(kwargs):
    compare("topk", Y, 3, **kwargs)


def test_median_is_the_lower_median_and_kthvalue():
    compare("median", Y)                               # even count: lower median
    compare("median", Y, 1)
    compare("median", Y, dim=0, keepdim=True)
    compare("median", floats(5))
    compare("kthvalue", Y, 2)
    compare("kthvalue", Y, 3, 0, True)
    with pytest.raises(ValueError, match="out of range"):
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


def test_more_pytorch_reductions():
    data = floats(3, 4)
    with_nan = data.copy()
    with_nan[0, 1] = np.nan
    compare("nansum", with_nan, grad=False)
    compare("nansum", with_nan, dim=1, grad=False)
    compare("nanmean", with_nan, dim=0, keepdim=True, grad=False)
    compare("quantile", data, 0.3)
    compare("quantile", data, 0.75, dim=1, keepdim=True)
    compare("dist", data, floats(3, 4, seed=1))
    compare("dist", data, floats(3, 4, seed=1), 1)
    ours = torch.aminmax(torch.tensor(data), dim=0)
    theirs = real.aminmax(real.tensor(data), dim=0)
    assert ours.min.tolist() == theirs.min.tolist() and ours.max.tolist() == theirs.max.tolist()


def test_top_level_linear_algebra():
    m = floats(3, 3) + 3 * np.eye(3, dtype=np.float32)
    spd = m @ m.T
    for name in ("det", "inverse", "logdet", "pinverse"):
        compare(name, spd, rtol=1e-4, atol=1e-4)
    # through a symmetric input: cholesky reads one triangle (see test_linalg.py)
    compare("cholesky", spd, rtol=1e-4, atol=1e-4,
            call=lambda t: lambda a: (t.cholesky if t is torch else t.linalg.cholesky)(
                (a + a.T) / 2))
    compare("matrix_power", m, 3, rtol=1e-4, atol=1e-4)
    compare("slogdet", spd, rtol=1e-4, atol=1e-4)
    q, r = torch.qr(torch.tensor(m))
    np.testing.assert_allclose((q @ r).numpy(), m, rtol=1e-4, atol=1e-5)
