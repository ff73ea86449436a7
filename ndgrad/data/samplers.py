"""Samplers: the order in which a DataLoader visits a dataset's indices.

A sampler is an iterable of indices with a length (PyTorch's ``Sampler``
protocol); ``DataLoader(dataset, sampler=...)`` takes its batches in that
order, and ``BatchSampler`` groups any sampler's indices into lists, for
``DataLoader(batch_sampler=...)``.

The random samplers are deterministic in the way ``DataLoader`` is: the
draws of epoch ``k`` come from a generator seeded with ``(seed, k)`` (see
:mod:`ndgrad.data.seeds`). Each iteration moves the sampler to the next
epoch, and ``set_epoch(k)`` jumps to any; a DataLoader calls ``set_epoch``
with its own epoch before each pass, so both stay in step through a
checkpoint. Without ``seed`` one is drawn once from ``ndgrad.random``, so
``ndgrad.random.seed(...)`` (or ``torch.manual_seed``) makes them
reproducible. A NumPy ``Generator`` (a ``torch.Generator``) may be passed as
``generator`` instead: the seed is then drawn from it.

Example:
    >>> from ndgrad.data import BatchSampler, SequentialSampler
    >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
    [[0, 1], [2, 3], [4]]
"""

import numbers

import numpy as np

from .seeds import epoch_generator, seed_from

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "WeightedRandomSampler", "BatchSampler"]


def _positive_int(value, what, function):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{function}: {what} must be a positive int; got {value!r}")
    return int(value)


class Sampler:
    """Base class of samplers: subclasses define ``__iter__`` (and ``__len__``).

    Example:
        >>> from ndgrad.data import Sampler
        >>> class Backwards(Sampler):
        ...     def __init__(self, n):
        ...         self.n = n
        ...     def __iter__(self):
        ...         return iter(range(self.n - 1, -1, -1))
        ...     def __len__(self):
        ...         return self.n
        >>> list(Backwards(3))
        [2, 1, 0]
    """

    def __init__(self, data_source=None):
        pass

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class _EpochSampler(Sampler):
    """A sampler whose draws are a pure function of ``(seed, epoch)``."""

    def __init__(self, function, seed, generator):
        self.seed = seed_from(function, seed, generator)
        self.epoch = 0

    def set_epoch(self, epoch):
        """Make the next iteration draw the order of ``epoch``.

        Example:
            >>> from ndgrad.data import RandomSampler
            >>> sampler = RandomSampler(range(6), seed=1); first = list(sampler)
            >>> sampler.set_epoch(0); list(sampler) == first
            True
        """
        if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral) or epoch < 0:
            raise ValueError(f"{type(self).__name__}.set_epoch: epoch must be a non-negative "
                             f"int; got {epoch!r}")
        self.epoch = int(epoch)

    def __iter__(self):
        epoch, self.epoch = self.epoch, self.epoch + 1
        return iter(self._draw(epoch_generator(self.seed, epoch)).tolist())


class SequentialSampler(Sampler):
    """The indices ``0 .. len(data_source) - 1`` in order.

    Example:
        >>> from ndgrad.data import SequentialSampler
        >>> list(SequentialSampler("abc"))
        [0, 1, 2]
    """

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(_EpochSampler):
    """The indices in a random order (a new one each epoch), or ``num_samples``
    indices drawn with replacement.

    Args:
        data_source: the dataset (only its length is used).
        replacement: draw with replacement (then ``num_samples`` may exceed the length).
        num_samples: how many indices per epoch (default: the dataset's length).
        seed: the int that fixes every epoch's order (drawn once when None).
        generator: a NumPy/torch Generator to draw the seed from, instead of ``seed``.

    Example:
        >>> from ndgrad.data import RandomSampler
        >>> sampler = RandomSampler(range(5), seed=0)
        >>> sorted(sampler), len(sampler)
        ([0, 1, 2, 3, 4], 5)
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None, *,
                 seed=None):
        super().__init__("RandomSampler", seed, generator)
        self.data_source = data_source
        self.replacement = bool(replacement)
        self._num_samples = (None if num_samples is None else
                             _positive_int(num_samples, "num_samples", "RandomSampler"))
        if not self.replacement and self._num_samples is not None \
                and self._num_samples > len(data_source):
            raise ValueError(f"RandomSampler: num_samples={self._num_samples} exceeds the "
                             f"{len(data_source)} samples; pass replacement=True to repeat")

    @property
    def num_samples(self):
        """Indices per epoch.

        Example:
            >>> from ndgrad.data import RandomSampler
            >>> RandomSampler(range(5), seed=0).num_samples
            5
        """
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _draw(self, rng):
        size = len(self.data_source)
        if self.replacement:
            return rng.integers(0, size, self.num_samples)
        return rng.permutation(size)[:self.num_samples]

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(_EpochSampler):
    """The given ``indices`` in a random order, a new one each epoch.

    Example:
        >>> from ndgrad.data import SubsetRandomSampler
        >>> sorted(SubsetRandomSampler([7, 3, 9], seed=1))
        [3, 7, 9]
    """

    def __init__(self, indices, generator=None, *, seed=None):
        super().__init__("SubsetRandomSampler", seed, generator)
        self.indices = list(indices)

    def _draw(self, rng):
        return np.asarray(self.indices, dtype=np.int64)[rng.permutation(len(self.indices))]

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(_EpochSampler):
    """``num_samples`` indices drawn with probability proportional to ``weights``.

    Args:
        weights: one non-negative weight per sample (need not sum to 1).
        num_samples: how many indices per epoch.
        replacement: draw with replacement (the default); without it, each
            index at most once.

    Example:
        >>> from ndgrad.data import WeightedRandomSampler
        >>> list(WeightedRandomSampler([0.0, 1.0, 0.0], 3, seed=0))
        [1, 1, 1]
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None, *, seed=None):
        super().__init__("WeightedRandomSampler", seed, generator)
        weights = np.asarray(weights, dtype=np.float64)
        if weights.ndim != 1 or (weights < 0).any() or not np.isfinite(weights).all() \
                or weights.sum() <= 0:
            raise ValueError("WeightedRandomSampler: weights must be a 1-D sequence of finite, "
                             "non-negative numbers with a positive sum")
        self.num_samples = _positive_int(num_samples, "num_samples", "WeightedRandomSampler")
        self.replacement = bool(replacement)
        if not self.replacement and self.num_samples > np.count_nonzero(weights):
            raise ValueError(f"WeightedRandomSampler: cannot draw {self.num_samples} samples "
                             f"without replacement from {np.count_nonzero(weights)} with "
                             "non-zero weight")
        self.weights = weights

    def _draw(self, rng):
        return rng.choice(len(self.weights), self.num_samples, replace=self.replacement,
                          p=self.weights / self.weights.sum())

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Lists of ``batch_size`` indices from ``sampler`` (the last one shorter
    unless ``drop_last``).

    Example:
        >>> from ndgrad.data import BatchSampler
        >>> list(BatchSampler(range(5), batch_size=2, drop_last=True))
        [[0, 1], [2, 3]]
    """

    def __init__(self, sampler, batch_size, drop_last):
        self.sampler = sampler
        self.batch_size = _positive_int(batch_size, "batch_size", "BatchSampler")
        self.drop_last = bool(drop_last)

    def set_epoch(self, epoch):
        """Pass the epoch on to the inner sampler (when it has epochs).

        Example:
            >>> from ndgrad.data import BatchSampler, RandomSampler
            >>> batches = BatchSampler(RandomSampler(range(4), seed=0), 4, drop_last=False)
            >>> batches.set_epoch(2); batches.sampler.epoch
            2
        """
        if hasattr(self.sampler, "set_epoch"):
            self.sampler.set_epoch(epoch)

    def __iter__(self):
        batch = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return -(-len(self.sampler) // self.batch_size)
