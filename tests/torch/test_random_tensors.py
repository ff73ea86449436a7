"""Random factories: shapes, dtypes, ranges and PyTorch's call forms."""

import numpy as np
import pytest

import ndgrad.torch as torch


@pytest.mark.parametrize("name", ["randn", "rand"])
def test_float_draws(name):
    out = getattr(torch, name)(2, 3)
    assert out.shape == (2, 3) and out.dtype == torch.float32
    assert getattr(torch, name)((4,), dtype=torch.float64).dtype == torch.float64
    assert getattr(torch, name)(2, requires_grad=True).requires_grad
    with pytest.raises(TypeError, match="floating dtype"):
        getattr(torch, name)(2, dtype=torch.int64)


def test_randn_statistics():
    x = torch.randn(20000).numpy()
    assert abs(x.mean()) < 0.05 and abs(x.std() - 1) < 0.05
    u = torch.rand(20000).numpy()
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.02


def test_randint_forms():
    assert torch.randint(5, (100,)).numpy().max() < 5
    x = torch.randint(3, 6, (2, 50))
    assert x.shape == (2, 50) and x.dtype == torch.int64
    assert 3 <= int(x.numpy().min()) and int(x.numpy().max()) < 6
    assert torch.randint(low=1, high=2, size=(3,)).tolist() == [1, 1, 1]
    assert torch.randint(0, 10, (3,), dtype=torch.int32).dtype == torch.int32
    with pytest.raises(TypeError, match="randint"):
        torch.randint(5)


def test_randperm_normal_bernoulli_multinomial_like():
    assert sorted(torch.randperm(6).tolist()) == list(range(6))
    assert torch.normal(torch.zeros(2, 3), torch.ones(2, 3)).shape == (2, 3)
    assert torch.normal(0.0, torch.ones(4)).shape == (4,)
    assert torch.normal(1.0, 0.0, size=(2,)).tolist() == [1.0, 1.0]
    assert torch.bernoulli(torch.tensor([0.0, 1.0, 1.0])).tolist() == [0.0, 1.0, 1.0]
    assert torch.bernoulli(torch.zeros(3), p=1.0).tolist() == [1.0, 1.0, 1.0]
    picks = torch.multinomial(torch.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]]), 2)
    assert picks.shape == (2, 2) and sorted(picks[0].tolist()) == [1, 2]
    assert sorted(picks[1].tolist()) == [0, 2]
    with pytest.raises(ValueError, match="without replacement"):
        torch.multinomial(torch.tensor([1.0, 0.0]), 2)
    x = torch.zeros(2, 2, dtype=torch.float64)
    assert torch.rand_like(x).dtype == torch.float64 and torch.randn_like(x).shape == (2, 2)
    assert torch.randint_like(x, 3).numpy().max() < 3
