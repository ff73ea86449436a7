"""random_split: deterministic for a seed, disjoint and covering, fractions or counts."""

import numpy as np
import pytest

import ndgrad
from ndgrad.data import TensorDataset, random_split, split_lengths


def _indices(parts):
    return [part.indices.tolist() for part in parts]


@pytest.mark.parametrize("size, lengths, expected_sizes", [
    (10, [7, 3], [7, 3]),
    (10, [0.8, 0.2], [8, 2]),
    (10, [1 / 3, 1 / 3, 1 / 3], [4, 3, 3]),
    (7, [0.5, 0.5], [4, 3]),
    (5, [1.0, 0.0], [5, 0]),
    (0, [0.5, 0.5], [0, 0]),
])
def test_parts_are_disjoint_cover_the_dataset_and_have_the_asked_sizes(size, lengths,
                                                                       expected_sizes):
    parts = random_split(TensorDataset(np.arange(size)), lengths, seed=0)
    assert [len(part) for part in parts] == expected_sizes
    everything = sum(_indices(parts), [])
    assert sorted(everything) == list(range(size))


def test_same_seed_same_split_other_seed_other_split():
    data = TensorDataset(np.arange(100))
    first = _indices(random_split(data, [0.7, 0.3], seed=4))
    assert _indices(random_split(data, [0.7, 0.3], seed=4)) == first
    assert _indices(random_split(data, [0.7, 0.3], seed=5)) != first


def test_subsets_return_the_samples_of_their_indices():
    train, _ = random_split(TensorDataset(np.arange(10) * 2), [6, 4], seed=0)
    assert train[0][0] == 2 * train.indices[0]


def test_seed_none_follows_ndgrad_random_seed():
    data = TensorDataset(np.arange(50))
    ndgrad.random.seed(7)
    first = _indices(random_split(data, [25, 25]))
    ndgrad.random.seed(7)
    assert _indices(random_split(data, [25, 25])) == first


@pytest.mark.parametrize("lengths, message", [
    ([6, 3], "add up to 9, but the dataset has 10"),
    ([0.5, 0.4], "add up to 1"),
    ([1.5, -0.5], "non-negative"),
    ([], "lengths is empty"),
    (["a"], "non-negative numbers"),
])
def test_bad_lengths_are_refused(lengths, message):
    with pytest.raises(ValueError, match=message):
        random_split(TensorDataset(np.arange(10)), lengths, seed=0)


def test_bad_seed_is_refused():
    with pytest.raises(ValueError, match="random_split: seed"):
        random_split(TensorDataset(np.arange(10)), [5, 5], seed="zero")


def test_split_lengths_gives_leftovers_to_the_first_parts():
    assert split_lengths(11, [0.25, 0.25, 0.25, 0.25]) == [3, 3, 3, 2]
