"""DataLoader: batches from a dataset, in an order that is a pure function of
``(seed, epoch)``.

Determinism is the point. With ``shuffle=True`` the order of epoch ``k`` comes
from a generator seeded with the pair ``(seed, k)`` (see
:mod:`ndgrad.data.seeds`), never from a stream that earlier epochs advanced.
Each complete pass over the loader moves it to the next epoch;
``set_epoch(k)`` jumps to any epoch, and ``state_dict()`` /
``load_state_dict()`` carry ``{"epoch", "seed"}`` through a checkpoint, which
is all an exact resume needs.

Over a :class:`~ndgrad.data.TensorDataset` (or Subsets of one, as
``random_split`` makes) the loader takes each batch by indexing every array
once with the batch's indices, with no Python loop over samples. Any other
dataset is read sample by sample and the list goes to ``collate_fn``.

A ``sampler`` (or a ``batch_sampler`` of index lists, see
:mod:`ndgrad.data.samplers`) replaces the loader's own order; the loader
hands it its epoch (``set_epoch``) before each pass, so a seeded random
sampler is as resumable as ``shuffle=True`` (except a sampler whose epoch is
the user's, such as ``DistributedSampler``: PyTorch's programs call its
``set_epoch`` themselves). An
:class:`~ndgrad.data.IterableDataset` is read in its own order, in batches.

Example:
    >>> import numpy as np
    >>> from ndgrad.data import DataLoader, TensorDataset
    >>> data = TensorDataset(np.arange(10.0).reshape(5, 2), np.arange(5))
    >>> loader = DataLoader(data, batch_size=2)
    >>> len(loader), [y.tolist() for x, y in loader]
    (3, [[0, 1], [2, 3], [4]])
"""

import numbers

from .._backend import xp
from ..tensor import Tensor
from .collate import batch_array, default_collate
from .dataset import IterableDataset, tensor_source
from .samplers import BatchSampler, RandomSampler, SequentialSampler
from .seeds import check_seed, draw_seed, epoch_generator

__all__ = ["DataLoader"]


def _check_epoch(epoch, function):
    if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 0:
        raise ValueError(f"{function}: epoch must be a non-negative int; got {epoch!r}")
    return int(epoch)


class DataLoader:
    """Iterate over a dataset in batches of ndgrad tensors.

    Iterating yields one batch per step: a tuple of tensors when the samples
    are tuples (``(x, y)``), one tensor when they are single arrays, or
    whatever ``collate_fn`` returns. Batch tensors do not require grad;
    float64 data arrives as float32 and integer data as int64 (the rule of
    :func:`~ndgrad.data.batch_array`).

    Args:
        dataset: a :class:`~ndgrad.data.Dataset` or anything with ``len()``
            and ``[i]``.
        batch_size: samples per batch (a positive int).
        shuffle: visit the samples in a new random order each epoch.
        drop_last: drop the last batch when it is smaller than ``batch_size``.
        seed: the int that fixes every epoch's order. With ``shuffle=True``
            and ``seed=None`` one is drawn once, here, from
            ``ndgrad.random.generator()``, so ``ndgrad.random.seed(...)``
            before building the loader makes it reproducible. Without
            shuffling it stays ``None`` and nothing is drawn.
        collate_fn: a function from the list of samples of one batch to the
            batch; ``None`` uses :func:`~ndgrad.data.default_collate`.
        sampler: an iterable of indices (with ``len``) giving the order of each
            pass, instead of ``shuffle``.
        batch_sampler: an iterable of lists of indices, one per batch, instead
            of ``batch_size``, ``shuffle``, ``sampler`` and ``drop_last``.

    Attributes:
        epoch: the epoch the next full pass will use (starts at 0).

    Example:
        >>> import numpy as np
        >>> from ndgrad.data import DataLoader, TensorDataset
        >>> loader = DataLoader(TensorDataset(np.arange(6)), batch_size=3,
        ...                     shuffle=True, seed=0)
        >>> first = [b.tolist() for b, in loader]
        >>> loader.epoch, sorted(sum(first, []))
        (1, [0, 1, 2, 3, 4, 5])
        >>> loader.set_epoch(0); [b.tolist() for b, in loader] == first
        True
    """

    def __init__(self, dataset, batch_size=32, shuffle=False, drop_last=False, seed=None,
                 collate_fn=None, *, sampler=None, batch_sampler=None):
        iterable = isinstance(dataset, IterableDataset)
        if not iterable and not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
            raise TypeError(f"DataLoader: dataset must support len() and indexing; got "
                            f"{type(dataset).__name__} (wrap arrays in TensorDataset(x, y))")
        if (isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral)
                or batch_size < 1):
            raise ValueError(f"DataLoader: batch_size must be a positive int; got {batch_size!r}")
        if collate_fn is not None and not callable(collate_fn):
            raise TypeError(f"DataLoader: collate_fn must be callable or None; "
                            f"got {type(collate_fn).__name__}")
        _check_order_options(iterable, shuffle, drop_last, sampler, batch_sampler)
        if seed is not None:
            seed = check_seed(seed, "DataLoader")
        elif shuffle:
            seed = draw_seed()
        self.dataset = dataset
        self.batch_size = None if batch_sampler is not None else int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.seed = seed
        self.collate_fn = collate_fn
        self._sampler = sampler
        self._batch_sampler = batch_sampler
        self._epoch = 0

    @property
    def sampler(self):
        """The sampler given, or one that visits the samples in this loader's order
        (a ``SequentialSampler``, or a ``RandomSampler`` with the loader's seed and
        epoch); None over an IterableDataset.

        Example:
            >>> import numpy as np
            >>> from ndgrad.data import DataLoader, TensorDataset
            >>> type(DataLoader(TensorDataset(np.arange(4))).sampler).__name__
            'SequentialSampler'
        """
        if self._sampler is not None or isinstance(self.dataset, IterableDataset):
            return self._sampler
        if not self.shuffle:
            return SequentialSampler(self.dataset)
        sampler = RandomSampler(self.dataset, seed=self.seed if self.seed is not None
                                else draw_seed())
        sampler.set_epoch(self._epoch)
        return sampler

    @property
    def batch_sampler(self):
        """The batch sampler given, or the ``BatchSampler`` of :attr:`sampler`
        with this loader's ``batch_size`` and ``drop_last``.

        Example:
            >>> import numpy as np
            >>> from ndgrad.data import DataLoader, TensorDataset
            >>> list(DataLoader(TensorDataset(np.arange(3)), batch_size=2).batch_sampler)
            [[0, 1], [2]]
        """
        if self._batch_sampler is not None or isinstance(self.dataset, IterableDataset):
            return self._batch_sampler
        return BatchSampler(self.sampler, self.batch_size, self.drop_last)

    # ------------------------------------------------------------ epochs
    @property
    def epoch(self):
        """The epoch whose order the next pass uses."""
        return self._epoch

    def set_epoch(self, epoch):
        """Make the next pass use the order of ``epoch`` (to resume training).

        Example:
            >>> import numpy as np
            >>> from ndgrad.data import DataLoader, TensorDataset
            >>> loader = DataLoader(TensorDataset(np.arange(4)), shuffle=True, seed=5)
            >>> loader.set_epoch(3); loader.epoch
            3
        """
        self._epoch = _check_epoch(epoch, "DataLoader.set_epoch")

    def epoch_order(self, epoch=None):
        """The sample indices in the order ``epoch`` visits them (default: the
        next pass's epoch), as a NumPy int64 array.

        Example:
            >>> import numpy as np
            >>> from ndgrad.data import DataLoader, TensorDataset
            >>> DataLoader(TensorDataset(np.arange(4))).epoch_order().tolist()
            [0, 1, 2, 3]
        """
        epoch = self._epoch if epoch is None else _check_epoch(epoch, "DataLoader.epoch_order")
        if self._batch_sampler is not None or isinstance(self.dataset, IterableDataset):
            raise TypeError("DataLoader.epoch_order: the order comes from the batch_sampler "
                            "or the IterableDataset itself; iterate the loader instead")
        if self._sampler is not None:
            if _follows(self._sampler):
                self._sampler.set_epoch(epoch)
            keys = list(self._sampler)
            array = _index_array(keys)
            return keys if array is None else array
        size = len(self.dataset)
        if not self.shuffle:
            return xp.arange(size, dtype=xp.int64)
        if self.seed is None:   # shuffle was switched on after construction
            self.seed = draw_seed()
        return epoch_generator(self.seed, epoch).permutation(size).astype(xp.int64, copy=False)

    def state_dict(self):
        """``{"epoch": int, "seed": int or None}``: what restores the data order.

        Example:
            >>> import numpy as np
            >>> from ndgrad.data import DataLoader, TensorDataset
            >>> DataLoader(TensorDataset(np.arange(4)), shuffle=True, seed=9).state_dict()
            {'epoch': 0, 'seed': 9}
        """
        return {"epoch": self._epoch, "seed": self.seed}

    def load_state_dict(self, state):
        """Restore the epoch and the seed saved by :meth:`state_dict`.

        Example:
            >>> import numpy as np
            >>> from ndgrad.data import DataLoader, TensorDataset
            >>> loader = DataLoader(TensorDataset(np.arange(4)), shuffle=True, seed=1)
            >>> loader.load_state_dict({"epoch": 2, "seed": 7}); loader.state_dict()
            {'epoch': 2, 'seed': 7}
        """
        if not isinstance(state, dict) or set(state) != {"epoch", "seed"}:
            keys = sorted(state) if isinstance(state, dict) else type(state).__name__
            raise ValueError(f"DataLoader.load_state_dict: expected a dict with keys "
                             f"['epoch', 'seed'] (from state_dict()); got {keys}")
        epoch = _check_epoch(state["epoch"], "DataLoader.load_state_dict")
        seed = state["seed"]
        if seed is None:
            if self.shuffle:
                raise ValueError("DataLoader.load_state_dict: a shuffling loader needs an int "
                                 "seed; the state has seed=None (saved from a loader that "
                                 "did not shuffle)")
        else:
            seed = check_seed(seed, "DataLoader.load_state_dict")
        self._epoch, self.seed = epoch, seed

    # ------------------------------------------------------------ batches
    def __len__(self):
        if self._batch_sampler is not None:
            return len(self._batch_sampler)
        if isinstance(self.dataset, IterableDataset) \
                and type(self.dataset).__len__ is IterableDataset.__len__:
            raise TypeError(f"DataLoader: the {type(self.dataset).__name__} has no length, so "
                            "neither has the loader")
        size = len(self._sampler) if self._sampler is not None else len(self.dataset)
        if self.drop_last:
            return size // self.batch_size
        return -(-size // self.batch_size)

    def __iter__(self):
        # The order is fixed here, when iteration starts, not at the first
        # next(): set_epoch() after iter() does not change a pass under way.
        epoch = self._epoch
        if isinstance(self.dataset, IterableDataset):
            return self._finish_epoch(self._stream_batches(), epoch)
        if self._batch_sampler is not None:
            if _follows(self._batch_sampler):
                self._batch_sampler.set_epoch(epoch)
            index_batches = iter(self._batch_sampler)
        else:
            index_batches = self._slices(self.epoch_order(epoch))
        return self._finish_epoch(self._batches(index_batches), epoch)

    def _slices(self, order):
        stop = len(order) - len(order) % self.batch_size if self.drop_last else len(order)
        for start in range(0, stop, self.batch_size):
            yield order[start:start + self.batch_size]

    def _batches(self, index_batches):
        source = tensor_source(self.dataset) if self.collate_fn is None else None
        if source is not None:
            arrays, index_map = source
            for indices in index_batches:
                rows = _index_array(indices)
                if rows is None:
                    raise TypeError(f"DataLoader: a TensorDataset is indexed by ints; the "
                                    f"sampler gave {list(indices)[:5]}")
                rows = rows if index_map is None else index_map[rows]
                yield tuple(Tensor._wrap(batch_array(array[rows])) for array in arrays)
            return
        collate = default_collate if self.collate_fn is None else self.collate_fn
        dataset = self.dataset
        for indices in index_batches:
            indices = indices.tolist() if hasattr(indices, "tolist") else indices
            yield collate([dataset[i] for i in indices])

    def _stream_batches(self):
        collate = default_collate if self.collate_fn is None else self.collate_fn
        batch = []
        for sample in self.dataset:
            batch.append(sample)
            if len(batch) == self.batch_size:
                yield collate(batch)
                batch = []
        if batch and not self.drop_last:
            yield collate(batch)

    def _finish_epoch(self, batches, epoch):
        yield from batches
        # Only a complete pass moves on, and not when set_epoch() was called
        # during it (the caller chose the next epoch).
        if self._epoch == epoch:
            self._epoch = epoch + 1

    def __repr__(self):
        return (f"DataLoader({type(self.dataset).__name__} of {len(self.dataset)}, "
                f"batch_size={self.batch_size}, shuffle={self.shuffle}, "
                f"drop_last={self.drop_last}, seed={self.seed})")


def _follows(sampler):
    """Whether the loader hands ``sampler`` its epoch: not a sampler whose epoch
    is the user's (``follows_loader_epoch = False``, a DistributedSampler)."""
    return hasattr(sampler, "set_epoch") and getattr(sampler, "follows_loader_epoch", True)


def _index_array(indices):
    """Integer indices as an int64 array, or None when they are not all ints."""
    array = xp.asarray(indices)
    if array.size == 0:
        return array.astype(xp.int64)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        return None
    return array.astype(xp.int64, copy=False)


def _check_order_options(iterable, shuffle, drop_last, sampler, batch_sampler):
    if iterable and (shuffle or sampler is not None or batch_sampler is not None):
        raise ValueError("DataLoader: an IterableDataset gives its own order; shuffle, sampler "
                         "and batch_sampler cannot be used with it")
    if sampler is not None and shuffle:
        raise ValueError("DataLoader: sampler and shuffle=True exclude each other; shuffle "
                         "with a RandomSampler, or drop the sampler")
    if batch_sampler is not None and (shuffle or sampler is not None or drop_last):
        raise ValueError("DataLoader: batch_sampler replaces batch_size, shuffle, sampler and "
                         "drop_last; pass those to the batch sampler instead")
