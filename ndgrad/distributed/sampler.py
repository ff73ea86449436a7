"""DistributedSampler: each rank's share of a dataset's indices, PyTorch's split.

The indices (shuffled with ``(seed, epoch)`` when ``shuffle``, the same order
on every rank) are padded by repeating the first ones until they divide
evenly by the number of replicas (or, with ``drop_last``, cut to a
multiple), and rank r takes every ``num_replicas``-th index starting at r:
the split PyTorch's ``DistributedSampler`` makes. The shuffled order comes
from ndgrad's generator (``ndgrad.data.seeds``), not torch's, so its
permutation differs from PyTorch's; its structure is the same.

Call ``set_epoch(epoch)`` before each epoch, as with PyTorch, for a new
order each epoch. The sampler keeps the epoch you set: a ``DataLoader``
does not move it (it moves its own samplers' epochs).

Example:
    >>> from ndgrad.distributed import DistributedSampler
    >>> list(DistributedSampler(range(5), num_replicas=2, rank=1, shuffle=False))
    [1, 3, 0]
"""

import math
import numbers

from ..data.samplers import Sampler
from ..data.seeds import check_seed, epoch_generator
from .world import rank as _rank, world_size as _world_size

__all__ = ["DistributedSampler"]


def _int(value, what, low, high=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low \
            or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ValueError(f"DistributedSampler: {what} must be an int {bounds}; got {value!r}")
    return int(value)


class DistributedSampler(Sampler):
    """The indices of ``dataset`` that rank ``rank`` of ``num_replicas`` visits.

    Args:
        dataset: the dataset (only its length is used).
        num_replicas: how many ranks share it (default: the world size).
        rank: this rank (default: ``ndgrad.distributed.rank()``).
        shuffle: a new random order each epoch (the same on every rank).
        seed: fixes the shuffled orders; must be the same on every rank.
        drop_last: drop the tail instead of padding by repeating indices.

    Example:
        >>> from ndgrad.distributed import DistributedSampler
        >>> sampler = DistributedSampler(range(10), num_replicas=3, rank=0, seed=1)
        >>> sampler.set_epoch(2); len(sampler), len(list(sampler))
        (4, 4)
    """

    follows_loader_epoch = False     # the epoch is the one set_epoch() was given

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0,
                 drop_last=False):
        num_replicas = _world_size() if num_replicas is None else \
            _int(num_replicas, "num_replicas", 1)
        rank = _rank() if rank is None else _int(rank, "rank", 0)
        if rank >= num_replicas:
            raise ValueError(f"DistributedSampler: rank {rank} is not below num_replicas="
                             f"{num_replicas}; ranks go from 0 to {num_replicas - 1}")
        self.seed = check_seed(seed, "DistributedSampler")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        size = len(dataset)
        if self.drop_last and size % num_replicas:
            self.num_samples = math.ceil((size - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(size / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def __iter__(self):
        size = len(self.dataset)
        if self.shuffle:
            indices = epoch_generator(self.seed, self.epoch).permutation(size).tolist()
        else:
            indices = list(range(size))
        if not self.drop_last:
            padding = self.total_size - len(indices)
            if padding and indices:
                indices += (indices * math.ceil(padding / len(indices)))[:padding]
        else:
            indices = indices[:self.total_size]
        return iter(indices[self.rank:self.total_size:self.num_replicas])

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Use the shuffled order of ``epoch`` from the next iteration on.

        Example:
            >>> from ndgrad.distributed import DistributedSampler
            >>> sampler = DistributedSampler(range(8), num_replicas=2, rank=0)
            >>> sampler.set_epoch(1); first = list(sampler)
            >>> sampler.set_epoch(1); list(sampler) == first
            True
        """
        self.epoch = _int(epoch, "epoch", 0)
