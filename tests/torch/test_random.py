"""Seeding and random factories: reproducible under torch.manual_seed, Generator API."""

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.nn.functional as F
from ndgrad.torch.utils.data import DataLoader, TensorDataset, random_split


def _run_program(seed):
    """What a seeded program draws: weights, a dropout mask, a shuffle, a split, randn."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 3), nn.Dropout(0.5))
    model.train()
    out = model(torch.ones(8, 4))
    loader = DataLoader(TensorDataset(torch.arange(10)), batch_size=10, shuffle=True)
    (order,) = next(iter(loader))
    part, _ = random_split(TensorDataset(torch.arange(10)), [5, 5])
    return (model[0].weight.numpy().copy(), out.numpy().copy(), order.tolist(),
            part.indices.tolist(), torch.randn(3).tolist(),
            F.dropout(torch.ones(6), 0.5).tolist())


def test_manual_seed_makes_init_dropout_shuffling_and_draws_reproducible():
    first, again, other = _run_program(3), _run_program(3), _run_program(4)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other))


def test_manual_seed_is_ndgrad_random_seed():
    torch.manual_seed(11)
    a = torch.randn(5)
    ndgrad.random.seed(11)
    assert a.tolist() == ndgrad.randn(5).tolist()
    assert torch.initial_seed() == 11
    assert torch.manual_seed(1) is torch.default_generator


def test_default_generator_follows_ndgrad_random_seed():
    ndgrad.random.seed(5)
    assert torch.default_generator.bit_generator is ndgrad.random.generator().bit_generator


def test_generator_api():
    g = torch.Generator()
    assert isinstance(g, np.random.Generator) and g.device == torch.device("cpu")
    assert g.initial_seed() == torch.Generator().initial_seed()      # PyTorch's fixed default
    a = torch.rand(4, generator=g.manual_seed(2))
    assert torch.equal(a, torch.rand(4, generator=torch.Generator().manual_seed(2)))
    state = g.get_state()
    b = torch.randn(3, generator=g)
    assert torch.equal(torch.randn(3, generator=g.set_state(state)), b)
    seed = g.seed()
    assert g.initial_seed() == seed
    state = torch.get_rng_state()
    c = torch.rand(2)
    torch.set_rng_state(state)
    assert torch.equal(torch.rand(2), c)


def test_generator_reaches_init_and_dropout():
    w1, w2 = torch.empty(3, 3), torch.empty(3, 3)
    nn.init.normal_(w1, generator=torch.Generator().manual_seed(0))
    nn.init.normal_(w2, generator=torch.Generator().manual_seed(0))
    assert torch.equal(w1, w2)


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


def test_bad_seeds():
    with pytest.raises(TypeError, match="seed must be an int"):
        torch.manual_seed(1.5)
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        torch.randn(2, generator=3)
