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
    with pytest.raises(TypeError, match="floating or complex dtype"):
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


def _parts(tensor):
    values = np.asarray(tensor.detach().numpy() if hasattr(tensor, "detach") else tensor)
    return values.real.astype(np.float64), values.imag.astype(np.float64)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_randn_has_independent_parts_of_variance_one_half_as_pytorch(dtype):
    real = pytest.importorskip("torch")
    n = 40000
    ours = torch.randn(n, dtype=getattr(torch, dtype))
    theirs = real.randn(n, dtype=getattr(real, dtype)).numpy()
    assert str(ours.dtype) == dtype and ours.shape == (n,)
    for sample in (ours, theirs):           # the statistics PyTorch's own draws have
        x, y = _parts(sample)
        assert abs(x.mean()) < 0.02 and abs(y.mean()) < 0.02
        assert abs(x.var() - 0.5) < 0.02 and abs(y.var() - 0.5) < 0.02
        assert abs(np.corrcoef(x, y)[0, 1]) < 0.03
        assert abs(np.mean(x ** 2 + y ** 2) - 1) < 0.03
    assert str(torch.randn_like(ours).dtype) == dtype


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_rand_has_parts_uniform_on_0_1_as_pytorch(dtype):
    real = pytest.importorskip("torch")
    n = 40000
    ours = torch.rand(2, n // 2, dtype=getattr(torch, dtype), requires_grad=True)
    assert str(ours.dtype) == dtype and ours.shape == (2, n // 2) and ours.requires_grad
    theirs = real.rand(n, dtype=getattr(real, dtype)).numpy()
    for sample in (ours, theirs):
        x, y = _parts(sample)
        assert x.min() >= 0 and x.max() < 1 and y.min() >= 0 and y.max() < 1
        assert abs(x.mean() - 0.5) < 0.01 and abs(y.mean() - 0.5) < 0.01
        assert abs(x.var() - 1 / 12) < 0.005 and abs(np.corrcoef(x, y)[0, 1]) < 0.03
    assert str(torch.rand_like(ours).dtype) == dtype


def test_complex_normal_draws_each_part_around_the_mean_with_half_the_variance():
    real = pytest.importorskip("torch")
    n = 40000
    mean = np.full(n, 1 + 2j, np.complex64)
    ours = torch.normal(torch.tensor(mean), 2.0)
    theirs = real.normal(real.tensor(mean), 2.0).numpy()
    assert ours.dtype == torch.complex64
    for sample in (ours, theirs):
        x, y = _parts(sample)
        assert abs(x.mean() - 1) < 0.05 and abs(y.mean() - 2) < 0.05
        assert abs(x.var() - 2) < 0.1 and abs(y.var() - 2) < 0.1
    sized = torch.normal(0.0, 1.0, (3, 2), dtype=torch.complex128)
    assert sized.dtype == torch.complex128 and sized.shape == (3, 2)
    with pytest.raises(TypeError, match="std is complex"):
        torch.normal(torch.zeros(2), torch.ones(2) * 1j)
    with pytest.raises(TypeError, match="mean is complex"):
        torch.normal(torch.tensor(mean[:2]), 1.0, dtype=torch.float32)


def test_complex_draws_follow_the_seed():
    torch.manual_seed(3)
    first = torch.randn(4, dtype=torch.complex64).tolist()
    torch.manual_seed(3)
    assert torch.randn(4, dtype=torch.complex64).tolist() == first
