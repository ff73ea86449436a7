"""Datasets made of other datasets: one after another.

:class:`ConcatDataset` joins map-style datasets (sample ``i`` of the join is
found by the running lengths); :class:`ChainDataset` joins iterable ones.
``a + b`` on datasets builds them.

Example:
    >>> import numpy as np
    >>> from ndgrad.data import ConcatDataset, TensorDataset
    >>> both = ConcatDataset([TensorDataset(np.arange(3)), TensorDataset(np.arange(10, 12))])
    >>> len(both), both[3], both[-1]
    (5, (np.int64(10),), (np.int64(11),))
"""

import bisect
import operator

from .dataset import Dataset, IterableDataset

__all__ = ["ConcatDataset", "ChainDataset"]


class ConcatDataset(Dataset):
    """The samples of several datasets, one dataset after another.

    Args:
        datasets: a non-empty sequence of map-style datasets (``len`` and ``[i]``).

    Attributes:
        cumulative_sizes: the running total of the lengths (PyTorch's name).

    Example:
        >>> from ndgrad.data import ConcatDataset
        >>> joined = ConcatDataset([[1, 2], [3]])
        >>> [joined[i] for i in range(len(joined))], joined.cumulative_sizes
        ([1, 2, 3], [2, 3])
    """

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets is empty; pass at least one dataset")
        for dataset in self.datasets:
            if isinstance(dataset, IterableDataset):
                raise TypeError("ConcatDataset: cannot index an IterableDataset; join "
                                "iterable datasets with ChainDataset")
        self.cumulative_sizes = []
        total = 0
        for dataset in self.datasets:
            total += len(dataset)
            self.cumulative_sizes.append(total)

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, index):
        index = operator.index(index)
        if index < 0:
            if -index > len(self):
                raise IndexError(f"ConcatDataset: index {index} is out of range for "
                                 f"{len(self)} samples")
            index += len(self)
        if index >= len(self):
            raise IndexError(f"ConcatDataset: index {index} is out of range for "
                             f"{len(self)} samples")
        which = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]

    def __repr__(self):
        return f"ConcatDataset({len(self.datasets)} datasets, {len(self)} samples)"


class ChainDataset(IterableDataset):
    """The samples of several iterable datasets, one stream after another.

    Example:
        >>> from ndgrad.data import ChainDataset
        >>> list(ChainDataset([range(2), range(5, 7)]))
        [0, 1, 5, 6]
    """

    def __init__(self, datasets):
        self.datasets = list(datasets)

    def __iter__(self):
        for dataset in self.datasets:
            yield from dataset

    def __len__(self):
        return sum(len(dataset) for dataset in self.datasets)   # TypeError if one has none
