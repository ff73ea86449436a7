"""Samplers: orders, lengths, determinism by (seed, epoch), bad input."""

import numpy as np
import pytest

import ndgrad
from ndgrad.data import (BatchSampler, DataLoader, RandomSampler, Sampler, SequentialSampler,
                         SubsetRandomSampler, TensorDataset, WeightedRandomSampler)


def test_sequential_and_batch():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    assert list(BatchSampler(range(5), 2, drop_last=False)) == [[0, 1], [2, 3], [4]]
    assert len(BatchSampler(range(5), 2, drop_last=False)) == 3
    assert len(BatchSampler(range(5), 2, drop_last=True)) == 2
    with pytest.raises(NotImplementedError):
        iter(Sampler())


def test_random_sampler_orders_are_a_function_of_seed_and_epoch():
    a, b = RandomSampler(range(20), seed=4), RandomSampler(range(20), seed=4)
    first, second = list(a), list(a)
    assert sorted(first) == list(range(20)) and first != second
    assert list(b) == first
    b.set_epoch(1)
    assert list(b) == second
    ndgrad.random.seed(9)
    c = RandomSampler(range(20))
    ndgrad.random.seed(9)
    assert list(RandomSampler(range(20))) == list(c)


def test_random_sampler_with_replacement_and_num_samples():
    sampler = RandomSampler(range(3), replacement=True, num_samples=50, seed=0)
    drawn = list(sampler)
    assert len(drawn) == len(sampler) == 50 and set(drawn) <= {0, 1, 2}
    assert len(list(RandomSampler(range(10), num_samples=4, seed=0))) == 4
    with pytest.raises(ValueError, match="replacement=True"):
        RandomSampler(range(3), num_samples=5)


def test_generator_gives_the_seed():
    a = RandomSampler(range(10), generator=np.random.default_rng(1))
    b = RandomSampler(range(10), generator=np.random.default_rng(1))
    assert list(a) == list(b)
    with pytest.raises(ValueError, match="not both"):
        RandomSampler(range(3), seed=1, generator=np.random.default_rng(1))
    with pytest.raises(TypeError, match="NumPy Generator"):
        RandomSampler(range(3), generator=5)


def test_subset_and_weighted():
    assert sorted(SubsetRandomSampler([5, 2, 9], seed=0)) == [2, 5, 9]
    drawn = list(WeightedRandomSampler([1.0, 0.0, 3.0], 400, seed=0))
    assert set(drawn) == {0, 2} and 0.65 < drawn.count(2) / 400 < 0.85
    assert sorted(WeightedRandomSampler([1, 1, 1], 3, replacement=False, seed=0)) == [0, 1, 2]
    with pytest.raises(ValueError, match="non-negative"):
        WeightedRandomSampler([-1.0, 1.0], 2)
    with pytest.raises(ValueError, match="without replacement"):
        WeightedRandomSampler([1.0, 0.0], 2, replacement=False)
    with pytest.raises(ValueError, match="positive int"):
        WeightedRandomSampler([1.0], 0)


def test_loader_passes_its_epoch_to_the_sampler_so_a_resume_is_exact():
    dataset = TensorDataset(np.arange(12))
    loader = DataLoader(dataset, batch_size=12, sampler=RandomSampler(dataset, seed=3))
    epochs = [[batch[0].tolist() for batch in loader][0] for _ in range(3)]
    assert epochs[0] != epochs[1]
    resumed = DataLoader(dataset, batch_size=12, sampler=RandomSampler(dataset, seed=3))
    resumed.load_state_dict({"epoch": 2, "seed": None})
    assert next(iter(resumed))[0].tolist() == epochs[2]
