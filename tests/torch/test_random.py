"""torch.random: seeding makes programs reproducible; the Generator API."""

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


def test_bad_seeds():
    with pytest.raises(TypeError, match="seed must be an int"):
        torch.manual_seed(1.5)
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        torch.randn(2, generator=3)
