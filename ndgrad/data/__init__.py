"""Data loading: datasets, batches and deterministic shuffling.

``Dataset`` is the base class of indexable datasets, ``TensorDataset`` wraps
whole arrays, ``Subset`` and ``random_split`` take parts of a dataset, and
``DataLoader`` yields batches of ndgrad tensors in an order fixed by a seed
and the epoch, or by a sampler (:mod:`ndgrad.data.samplers`).
``IterableDataset`` streams samples, ``ConcatDataset`` and ``ChainDataset``
join datasets. Real datasets to load are in :mod:`ndgrad.datasets`.

Example:
    >>> import numpy as np
    >>> from ndgrad.data import DataLoader, TensorDataset, random_split
    >>> x, y = np.random.default_rng(0).random((100, 4)), np.arange(100) % 3
    >>> train, val = random_split(TensorDataset(x, y), [0.8, 0.2], seed=0)
    >>> loader = DataLoader(train, batch_size=32, shuffle=True, seed=0)
    >>> [tuple(xb.shape) for xb, yb in loader]
    [(32, 4), (32, 4), (16, 4)]
"""

from .collate import batch_array, default_collate
from .combining import ChainDataset, ConcatDataset
from .dataset import Dataset, IterableDataset, Subset, TensorDataset
from .loader import DataLoader
from .samplers import (BatchSampler, RandomSampler, Sampler, SequentialSampler,
                       SubsetRandomSampler, WeightedRandomSampler)
from .split import random_split, split_lengths

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "Subset", "ConcatDataset",
           "ChainDataset", "DataLoader", "random_split", "split_lengths", "default_collate",
           "batch_array", "Sampler", "SequentialSampler", "RandomSampler",
           "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler"]
