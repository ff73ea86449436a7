"""DistributedSampler against PyTorch's: the same split without shuffling; with
shuffling (ndgrad's generator, not torch's) the same structure."""

import numpy as np
import pytest
import torch.utils.data.distributed as real

import ndgrad.torch as torch
from ndgrad.distributed import DistributedSampler
from ndgrad.torch.utils.data import DataLoader, TensorDataset

CASES = [(size, replicas, drop_last) for size in (0, 1, 2, 5, 7, 10, 13)
         for replicas in (1, 2, 3, 4) for drop_last in (False, True)]


@pytest.mark.parametrize("size, replicas, drop_last", CASES)
def test_the_unshuffled_split_is_pytorchs(size, replicas, drop_last):
    for rank in range(replicas):
        ours = DistributedSampler(range(size), replicas, rank, shuffle=False, drop_last=drop_last)
        theirs = real.DistributedSampler(range(size), replicas, rank, shuffle=False,
                                         drop_last=drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)
        assert (ours.num_samples, ours.total_size) == (theirs.num_samples, theirs.total_size)


@pytest.mark.parametrize("size, replicas, drop_last", [(10, 2, False), (11, 3, False),
                                                       (11, 3, True), (4, 4, False)])
def test_the_shuffled_split_has_pytorchs_structure(size, replicas, drop_last):
    def shares(epoch):
        result = []
        for rank in range(replicas):
            sampler = DistributedSampler(range(size), replicas, rank, seed=3,
                                         drop_last=drop_last)
            sampler.set_epoch(epoch)
            result.append(list(sampler))
        return result
    first, again, later = shares(1), shares(1), shares(2)
    theirs = [list(real.DistributedSampler(range(size), replicas, r, seed=3,
                                           drop_last=drop_last)) for r in range(replicas)]
    assert first == again and first != later
    assert [len(s) for s in first] == [len(s) for s in theirs]
    everything = sorted(sum(first, []))
    if drop_last:
        assert len(set(everything)) == len(everything)         # disjoint, tail dropped
    else:
        assert set(everything) == set(range(size))              # all covered, padded
    # rank r takes every replicas-th index of one shared permutation
    merged = [first[i % replicas][i // replicas] for i in range(replicas * len(first[0]))]
    assert len(set(merged[:size])) == min(size, len(merged))


def test_refusals_name_the_argument():
    with pytest.raises(ValueError, match=r"rank 2 is not below num_replicas=2"):
        DistributedSampler(range(4), num_replicas=2, rank=2)
    with pytest.raises(ValueError, match=r"num_replicas must be an int at least 1; got 0"):
        DistributedSampler(range(4), num_replicas=0, rank=0)
    with pytest.raises(ValueError, match=r"epoch must be an int at least 0; got -1"):
        DistributedSampler(range(4)).set_epoch(-1)
    with pytest.raises(ValueError, match=r"seed must be a non-negative int"):
        DistributedSampler(range(4), seed=-3)


def test_defaults_come_from_the_world_and_the_loader_keeps_the_users_epoch():
    sampler = DistributedSampler(TensorDataset(torch.arange(6)))
    assert (sampler.num_replicas, sampler.rank, sampler.shuffle, sampler.seed) == (1, 0, True, 0)
    loader = DataLoader(TensorDataset(torch.arange(6)), batch_size=6, sampler=sampler)
    orders = []
    for _ in range(2):
        sampler.set_epoch(4)            # PyTorch's programs call it; a new loader each time
        loader = DataLoader(TensorDataset(torch.arange(6)), batch_size=6, sampler=sampler)
        orders.append(next(iter(loader))[0].tolist())
    assert orders[0] == orders[1] and sorted(orders[0]) == list(range(6))
    sampler.set_epoch(5)
    assert next(iter(loader))[0].tolist() != orders[0]
    assert np.array_equal(loader.epoch_order(), list(sampler))
