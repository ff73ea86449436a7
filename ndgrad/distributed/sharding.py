"""Each rank's shard of ``fit``'s data: the split of ``DistributedSampler``.

A data-parallel fit (see ``data_parallel.py``) keeps the DataLoader that
``fit`` makes for arrays and Datasets (or the one it is given) and reads it
through a loader whose sampler is this rank's share of the loader's own
order for the epoch: the order (shuffled with rank 0's seed, so the same on
every rank) is padded by repeating its first indices to a multiple of the
world size (training; validation is not padded), and rank r takes every
N-th index from r. Batches keep the loader's ``batch_size``, so step k of the
ranks together is batch k of one process with batch ``N*batch_size``.

Example:
    >>> import numpy as np
    >>> from ndgrad.data import DataLoader, TensorDataset
    >>> from ndgrad.distributed.sharding import ShardSampler
    >>> loader = DataLoader(TensorDataset(np.arange(5)), batch_size=2)
    >>> list(ShardSampler(loader, rank=1, world=2, pad=True))
    [1, 3, 0]
"""

import math

import numpy as np

from ..data import DataLoader
from ..data.dataset import IterableDataset
from ..training.adapters import LoaderAdapter
from .collectives import broadcast
from .sampler import DistributedSampler

__all__ = ["ShardSampler", "shard_adapter"]


class ShardSampler:
    """Rank ``rank``'s indices of ``loader``'s order in each epoch.

    Args:
        loader: the DataLoader whose order is split (its ``epoch_order``).
        rank, world: this rank and the number of ranks.
        pad: repeat the first indices so that every rank has as many.

    Example:
        >>> import numpy as np
        >>> from ndgrad.data import DataLoader, TensorDataset
        >>> from ndgrad.distributed.sharding import ShardSampler
        >>> loader = DataLoader(TensorDataset(np.arange(5)), batch_size=2)
        >>> len(ShardSampler(loader, 1, 2, pad=False)), len(ShardSampler(loader, 1, 2, pad=True))
        (2, 3)
    """

    def __init__(self, loader, rank, world, pad):
        self.loader, self.rank, self.world, self.pad = loader, rank, world, pad
        self.epoch = 0
        size = len(loader.dataset)
        self.total = math.ceil(size / world) * world if pad else size

    def set_epoch(self, epoch):
        """Use ``epoch``'s order (the loader that reads the shard calls this)."""
        self.epoch = epoch

    def __len__(self):
        return len(range(self.rank, self.total, self.world))

    def __iter__(self):
        order = np.asarray(self.loader.epoch_order(self.epoch))
        if self.total > len(order):
            order = np.concatenate([order, np.resize(order, self.total - len(order))])
        return iter(order[self.rank:self.total:self.world].tolist())


def _refuse(adapter, label):
    raise ValueError(
        f"fit under DataParallel: {label} is {adapter.kind}, which yields whole batches, so "
        f"it cannot be split over the ranks here; give each rank its own shard (for example "
        f"dataset.shard(num_shards=ndgrad.distributed.world_size(), index="
        f"ndgrad.distributed.rank())) and use DataParallel(auto_shard_dataset=False), or "
        f"pass arrays, a Dataset or a DataLoader")


def shard_adapter(adapter, rank, world, pad, label="x"):
    """An adapter over this rank's shard of ``adapter``'s DataLoader (the
    adapter itself when its sampler is a DistributedSampler already).

    Raises:
        ValueError: the data cannot be split (it yields whole batches), or a
            rank would get no sample.
    """
    loader = getattr(adapter, "loader", None)
    if not isinstance(adapter, LoaderAdapter) or not isinstance(loader, DataLoader) \
            or isinstance(loader.dataset, IterableDataset) or loader._batch_sampler is not None:
        _refuse(adapter, label)
    if isinstance(loader._sampler, DistributedSampler):
        return adapter
    if len(loader.dataset) < world:
        raise ValueError(f"fit under DataParallel: {label} has {len(loader.dataset)} "
                         f"sample(s), fewer than the {world} ranks; every rank needs at least "
                         f"one")
    if loader.shuffle and loader._sampler is None:     # every rank shuffles as rank 0 does
        loader.seed = int(broadcast(np.array([loader.seed], np.int64))[0])
    sharded = DataLoader(loader.dataset, batch_size=loader.batch_size,
                         drop_last=loader.drop_last, collate_fn=loader.collate_fn,
                         sampler=ShardSampler(loader, rank, world, pad))
    sharded.set_epoch(loader.epoch)
    sharded.seed = loader.seed                       # what a checkpoint records as data_seed
    result = LoaderAdapter(sharded, kind=adapter.kind)
    result.class_weight = getattr(adapter, "class_weight", None)
    return result
