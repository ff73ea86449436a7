"""Datasets: indexable collections of samples.

A dataset is anything with ``len(dataset)`` and ``dataset[i]`` (PyTorch's
map-style datasets). :class:`Dataset` is the base class to subclass;
:class:`TensorDataset` holds whole arrays that share their first axis, and
:class:`Subset` is a view of some indices of another dataset (what
:func:`~ndgrad.data.random_split` returns).

Example:
    >>> import numpy as np
    >>> from ndgrad.data import TensorDataset
    >>> data = TensorDataset(np.arange(6.0).reshape(3, 2), np.array([0, 1, 0]))
    >>> len(data), data[1]
    (3, (array([2., 3.]), np.int64(1)))
"""

import operator

from .._backend import xp
from ..dtypes import as_array
from ..tensor import Tensor

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "Subset"]


class Dataset:
    """Base class of datasets: subclasses define ``__len__`` and ``__getitem__``.

    ``dataset[i]`` returns one sample: a tuple of arrays (or tensors, or
    numbers), such as ``(image, label)``, or a single array. The
    :class:`~ndgrad.data.DataLoader` batches samples field by field.

    Example:
        >>> import numpy as np
        >>> from ndgrad.data import Dataset
        >>> class Squares(Dataset):
        ...     def __len__(self):
        ...         return 4
        ...     def __getitem__(self, index):
        ...         return np.float32(index), np.float32(index * index)
        >>> Squares()[3]
        (np.float32(3.0), np.float32(9.0))
    """

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __add__(self, other):
        from .combining import ConcatDataset
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """Base class of datasets read as a stream: subclasses define ``__iter__``.

    A :class:`~ndgrad.data.DataLoader` over one batches the samples in the
    order ``__iter__`` yields them (no shuffling, no sampler).

    Example:
        >>> from ndgrad.data import DataLoader, IterableDataset
        >>> class Count(IterableDataset):
        ...     def __iter__(self):
        ...         return iter(range(5))
        >>> [b.tolist() for b in DataLoader(Count(), batch_size=2)]
        [[0, 1], [2, 3], [4]]
    """

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")

    def __len__(self):
        # A TypeError (not NotImplementedError), so that list(dataset) treats
        # the length as unknown rather than failing.
        raise TypeError(f"{type(self).__name__} is an IterableDataset without __len__")

    def __add__(self, other):
        from .combining import ChainDataset
        return ChainDataset([self, other])


def _as_dataset_array(value, position):
    if isinstance(value, Tensor):
        # The dataset holds data, not a graph: a trainable tensor's values are
        # taken as they are, and batches never require grad.
        array = value._data
    else:
        array = as_array(value)
    if array.ndim == 0:
        raise ValueError(f"TensorDataset: argument {position} is a scalar; every argument "
                         "needs a first axis that indexes the samples")
    return array


class TensorDataset(Dataset):
    """A dataset of whole arrays that share their first axis: sample ``i`` is
    ``(arrays[0][i], arrays[1][i], ...)``.

    The arrays are kept as they are (NumPy arrays are not copied; ndgrad
    tensors give their data). A :class:`~ndgrad.data.DataLoader` over a
    TensorDataset takes each batch with one index array per batch, without a
    Python loop over the samples.

    Args:
        *arrays: NumPy arrays, ndgrad tensors or nested lists, all with the
            same length along the first axis.

    Raises:
        ValueError: when no array is given, one is a scalar, or the lengths differ.

    Example:
        >>> import numpy as np
        >>> from ndgrad.data import TensorDataset
        >>> x, y = np.zeros((5, 3), np.float32), np.arange(5)
        >>> data = TensorDataset(x, y)
        >>> len(data), [a.shape for a in data[4]]
        (5, [(3,), ()])
    """

    # Subclasses set True to get samples as ndgrad tensors (PyTorch's face);
    # batches take the same fast path either way.
    samples_as_tensors = False

    def __init__(self, *arrays):
        if not arrays:
            raise ValueError("TensorDataset: pass at least one array, e.g. TensorDataset(x, y)")
        arrays = tuple(_as_dataset_array(value, i) for i, value in enumerate(arrays))
        lengths = [len(array) for array in arrays]
        if len(set(lengths)) > 1:
            shapes = ", ".join(str(array.shape) for array in arrays)
            raise ValueError(f"TensorDataset: the arrays must have the same length along "
                             f"the first axis; got shapes {shapes}")
        self.arrays = arrays

    @property
    def tensors(self):
        """The arrays as ndgrad tensors (sharing memory, not requiring grad)."""
        return tuple(Tensor._wrap(array) for array in self.arrays)

    def __len__(self):
        return len(self.arrays[0])

    def __getitem__(self, index):
        if self.samples_as_tensors:
            return tuple(Tensor._wrap(xp.asarray(array[index])) for array in self.arrays)
        return tuple(array[index] for array in self.arrays)

    def __repr__(self):
        shapes = ", ".join(f"{array.shape} {array.dtype}" for array in self.arrays)
        return f"TensorDataset({shapes})"


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    Args:
        dataset: the dataset to view.
        indices: a sequence of integer indices into ``dataset`` (each in
            ``[0, len(dataset))``; repeats are allowed).

    Raises:
        ValueError: when an index is out of range or the indices are not
            one-dimensional integers.

    Example:
        >>> import numpy as np
        >>> from ndgrad.data import Subset, TensorDataset
        >>> part = Subset(TensorDataset(np.arange(10)), [7, 2])
        >>> len(part), part[0]
        (2, (np.int64(7),))
    """

    def __init__(self, dataset, indices):
        size = len(dataset)
        indices = xp.asarray(indices)
        if indices.size == 0:
            indices = indices.astype(xp.int64)
        if indices.ndim != 1 or indices.dtype.kind not in "iu":
            raise ValueError(f"Subset: indices must be a 1-D sequence of integers; "
                             f"got shape {indices.shape} and dtype {indices.dtype}")
        if indices.size and (indices.min() < 0 or indices.max() >= size):
            bad = indices[(indices < 0) | (indices >= size)][:5].tolist()
            raise ValueError(f"Subset: indices {bad} are out of range for a dataset "
                             f"of length {size}; use indices in [0, {size})")
        self.dataset = dataset
        self.indices = indices.astype(xp.int64, copy=True)

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, index):
        return self.dataset[int(self.indices[operator.index(index)])]

    def __repr__(self):
        return f"Subset({len(self)} of {type(self.dataset).__name__} of {len(self.dataset)})"


def tensor_source(dataset):
    """``(arrays, index_map)`` when ``dataset`` is a TensorDataset or a chain of
    Subsets over one, with ``index_map`` mapping the dataset's indices to rows
    of the arrays (``None``: identity); ``None`` for any other dataset.

    Subclasses that override ``__getitem__`` (to augment, say) are not
    resolved: their own ``__getitem__`` must run.
    """
    cls = type(dataset)
    if isinstance(dataset, TensorDataset) and cls.__getitem__ is TensorDataset.__getitem__:
        return dataset.arrays, None
    if isinstance(dataset, Subset) and cls.__getitem__ is Subset.__getitem__:
        inner = tensor_source(dataset.dataset)
        if inner is None:
            return None
        arrays, index_map = inner
        indices = dataset.indices if index_map is None else index_map[dataset.indices]
        return arrays, indices
    return None
