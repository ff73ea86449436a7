"""NumPy's set operations on tensors: ``union1d``, ``intersect1d``,
``setdiff1d``, ``setxor1d`` and the array-API ``unique_values``,
``unique_counts``, ``unique_inverse``, ``unique_all``.

Their values are selections of the inputs' values, so gradients flow to the
elements chosen. A value that stands for several equal elements (repeats in
one input, or a value of ``intersect1d``, which is in both) shares its
gradient equally between them, as ``ndgrad.unique`` does: moving all of them
together moves the value at the rate the gradient says. Indices, inverses and
counts are integer tensors without gradient.

Example:
    >>> import numpy as np, ndgrad
    >>> a = ndgrad.Variable([3.0, 1.0, 2.0]); b = ndgrad.Variable([2.0, 5.0])
    >>> np.setdiff1d(a, b).tolist()
    [1.0, 3.0]
    >>> np.intersect1d(a, b).sum().backward()
    >>> a.grad.tolist(), b.grad.tolist()
    ([0.0, 0.0, 0.5], [0.5, 0.0])
"""

from collections import namedtuple

import numpy as np

from ..autograd.primitive import as_input
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .index import take
from .join import concatenate
from .shape import ravel
from .sorting import _unique_values, unique

__all__ = ["union1d", "intersect1d", "setdiff1d", "setxor1d", "unique_values",
           "unique_counts", "unique_inverse", "unique_all", "UniqueAllResult",
           "UniqueCountsResult", "UniqueInverseResult"]

UniqueAllResult = namedtuple("UniqueAllResult", ["values", "indices", "inverse_indices",
                                                 "counts"])
UniqueCountsResult = namedtuple("UniqueCountsResult", ["values", "counts"])
UniqueInverseResult = namedtuple("UniqueInverseResult", ["values", "inverse_indices"])


def _flat(*arrays):
    """The inputs flattened and joined (tensors keep their gradients)."""
    tensors = [ravel(as_tensor(as_input(a))) for a in arrays]
    return tensors[0] if len(tensors) == 1 else concatenate(tensors)


def _values_among(joined, wanted):
    """The distinct values of ``joined`` that NumPy's result ``wanted`` holds,
    each carrying its gradient to every element of ``joined`` equal to it."""
    distinct, first, inverse, counts = np.unique(
        joined._data, return_index=True, return_inverse=True, return_counts=True)
    shared = _unique_values(joined, first=first, inverse=inverse.reshape(-1), counts=counts,
                            axis=None)
    positions = np.searchsorted(distinct, wanted)
    return take(shared, positions)


@implements(np.union1d)
def union1d(ar1, ar2):
    """The sorted distinct values of both inputs.

    Example:
        >>> import ndgrad
        >>> ndgrad.union1d(ndgrad.tensor([2.0, 1.0]), ndgrad.tensor([3.0, 2.0])).tolist()
        [1.0, 2.0, 3.0]
    """
    return unique(_flat(ar1, ar2))


@implements(np.intersect1d)
def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """The sorted values found in both inputs (with ``return_indices``, also
    the indices of their first occurrences); each value's gradient is shared
    by the equal elements of both inputs.

    Example:
        >>> import ndgrad
        >>> ndgrad.intersect1d(ndgrad.tensor([1.0, 2.0, 4.0]), ndgrad.tensor([4.0, 1.0])).tolist()
        [1.0, 4.0]
    """
    joined = _flat(ar1, ar2)
    size1 = int(np.size(getattr(as_input(ar1), "_data", as_input(ar1))))
    found = np.intersect1d(joined._data[:size1], joined._data[size1:], assume_unique,
                           return_indices)
    wanted = found[0] if return_indices else found
    values = _values_among(joined, wanted)
    if return_indices:
        return values, Tensor._wrap(found[1]), Tensor._wrap(found[2])
    return values


@implements(np.setdiff1d)
def setdiff1d(ar1, ar2, assume_unique=False):
    """The values of ``ar1`` that are not in ``ar2`` (sorted and distinct
    unless ``assume_unique``); ``ar2`` only decides which values stay (a step
    function of it), so it gets no gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.setdiff1d(ndgrad.tensor([3.0, 1.0, 2.0]), [2.0]).tolist()
        [1.0, 3.0]
    """
    first = _flat(ar1)
    other = as_tensor(as_input(ar2))
    if assume_unique:
        return take(first, np.flatnonzero(~np.isin(first._data, other._data)))
    return _values_among(first, np.setdiff1d(first._data, other._data))


@implements(np.setxor1d)
def setxor1d(ar1, ar2, assume_unique=False):
    """The sorted values in exactly one of the inputs.

    Example:
        >>> import ndgrad
        >>> ndgrad.setxor1d(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([2.0, 3.0])).tolist()
        [1.0, 3.0]
    """
    joined = _flat(ar1, ar2)
    size1 = int(np.size(getattr(as_input(ar1), "_data", as_input(ar1))))
    wanted = np.setxor1d(joined._data[:size1], joined._data[size1:], assume_unique)
    return _values_among(joined, wanted)


@implements(np.unique_values)
def unique_values(x):
    """The distinct values of ``x`` (the array API's ``unique_values``; NaNs
    count as distinct).

    Example:
        >>> import ndgrad
        >>> sorted(ndgrad.unique_values(ndgrad.tensor([2.0, 1.0, 2.0])).tolist())
        [1.0, 2.0]
    """
    return unique(x, equal_nan=False, sorted=False)


@implements(np.unique_counts)
def unique_counts(x):
    """``(values, counts)`` of the distinct values of ``x``.

    Example:
        >>> import ndgrad
        >>> ndgrad.unique_counts(ndgrad.tensor([2.0, 1.0, 2.0])).counts.tolist()
        [1, 2]
    """
    return UniqueCountsResult(*unique(x, return_counts=True, equal_nan=False))


@implements(np.unique_inverse)
def unique_inverse(x):
    """``(values, inverse_indices)``: ``values[inverse_indices]`` rebuilds ``x``.

    Example:
        >>> import ndgrad
        >>> ndgrad.unique_inverse(ndgrad.tensor([2.0, 1.0, 2.0])).inverse_indices.tolist()
        [1, 0, 1]
    """
    return UniqueInverseResult(*unique(x, return_inverse=True, equal_nan=False))


@implements(np.unique_all)
def unique_all(x):
    """``(values, indices, inverse_indices, counts)`` of the distinct values of ``x``.

    Example:
        >>> import ndgrad
        >>> ndgrad.unique_all(ndgrad.tensor([2.0, 1.0, 2.0])).indices.tolist()
        [1, 0]
    """
    return UniqueAllResult(*unique(x, return_index=True, return_inverse=True,
                                   return_counts=True, equal_nan=False))
