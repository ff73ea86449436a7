"""Sorting methods of :class:`ndgrad.Tensor`, PyTorch's: ``sort``, ``argsort``,
``topk``, ``kthvalue``, ``median``.

``sort``, ``topk``, ``kthvalue`` and ``median(dim)`` return ``(values,
indices)`` named tuples (``ndgrad.return_types``). The values are gathered
from the tensor, so the gradient goes to exactly the chosen elements. Sorting
is stable; a descending sort keeps equal elements in their original order and
puts NaN first (NaN counts as the largest value, as in PyTorch). NumPy's
spelling ``t.sort(axis=...)`` returns the sorted values alone (``ndgrad.sort``).

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([3.0, 1.0, 2.0])
    >>> x.sort().values.tolist(), x.sort(descending=True).indices.tolist()
    ([1.0, 2.0, 3.0], [0, 2, 1])
    >>> x.topk(2).values.tolist(), x.sort(axis=0).tolist()
    ([3.0, 2.0], [1.0, 2.0, 3.0])
"""

import numpy as np

from . import return_types
from ._tensor_reductions import with_indices
from .size import dimension

_ops = None     # ndgrad.ops, bound by ndgrad/ops/__init__.py
Tensor = None   # ndgrad.tensor.Tensor, bound by ndgrad/tensor.py


def sort_order(array, axis, descending=False):
    """The indices that sort ``array`` along ``axis``, stably; a descending order
    keeps ties in their original order and puts NaN first."""
    if not descending:
        return np.argsort(array, axis=axis, kind="stable")
    size = array.shape[axis]
    reversed_order = np.argsort(np.flip(array, axis), axis=axis, kind="stable")
    return size - 1 - np.flip(reversed_order, axis)


def _gather(tensor, order, axis):
    """``tensor``'s values in ``order`` along ``axis`` and the order as int64 indices."""
    values = _ops.take_along_axis(tensor, order, axis)
    return values, Tensor._wrap(order.astype(np.int64, copy=False))


def _as_vector(tensor):
    return tensor if tensor.ndim else _ops.reshape(tensor, (1,))


class TensorSorting:
    """The sorting surface: sorted values with where they came from."""

    __slots__ = ()

    def sort(self, dim=-1, descending=False, stable=False, *, axis=None, kind=None):
        """Sorted along ``dim``: ``(values, indices)`` (PyTorch's); ``sort(axis=...)``
        returns the values alone (NumPy's spelling, as ``ndgrad.sort``).

        Example:
            >>> import ndgrad
            >>> values, indices = ndgrad.tensor([[3.0, 1.0, 2.0]]).sort(dim=1, descending=True)
            >>> values.tolist(), indices.tolist()
            ([[3.0, 2.0, 1.0]], [[0, 2, 1]])
        """
        if axis is not None or kind is not None:
            return _ops.sort(self, axis=-1 if axis is None else axis, kind=kind)
        x = _as_vector(self)
        axis = dimension(x.shape, dim, "sort")
        values, indices = _gather(x, sort_order(x._data, axis, descending), axis)
        if self.ndim == 0:
            values, indices = _ops.reshape(values, ()), _ops.reshape(indices, ())
        return return_types.sort(values, indices)

    def argsort(self, dim=-1, descending=False, stable=False, *, axis=None, kind=None):
        """The indices that sort along ``dim`` (stably; no gradient).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([3.0, 1.0, 2.0])
            >>> x.argsort().tolist(), x.argsort(descending=True).tolist()
            ([1, 2, 0], [0, 2, 1])
        """
        if axis is not None or kind is not None:
            return _ops.argsort(self, axis=-1 if axis is None else axis, kind=kind)
        x = _as_vector(self)
        order = sort_order(x._data, dimension(x.shape, dim, "argsort"), descending)
        return Tensor._wrap(order.astype(np.int64, copy=False).reshape(self.shape))

    def topk(self, k, dim=-1, largest=True, sorted=True):
        """The ``k`` largest (or smallest) elements along ``dim``, largest first:
        ``(values, indices)``.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
            >>> x.topk(2).values.tolist(), x.topk(1, dim=0, largest=False).indices.tolist()
            ([[5.0, 3.0], [6.0, 4.0]], [[0, 1, 0]])
        """
        x = _as_vector(self)
        axis = dimension(x.shape, dim, "topk")
        size = x.shape[axis]
        if not 0 <= k <= size:
            raise ValueError(f"topk: k={k} is out of range for dimension {dim} of size {size} "
                             f"(shape {self.shape})")
        order = sort_order(x._data, axis, descending=largest)
        order = np.take(order, np.arange(k), axis=axis)
        values, indices = _gather(x, order, axis)
        if self.ndim == 0:
            values, indices = _ops.reshape(values, ()), _ops.reshape(indices, ())
        return return_types.topk(values, indices)

    def kthvalue(self, k, dim=-1, keepdim=False):
        """The ``k``-th smallest element (from 1) along ``dim``: ``(values, indices)``.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
            >>> x.kthvalue(2, 1).values.tolist(), x.kthvalue(2, 1).indices.tolist()
            ([3.0, 4.0], [2, 0])
        """
        def choose(array, axis):
            size = array.shape[axis]
            if not 1 <= k <= size:
                raise ValueError(f"kthvalue: k={k} is out of range 1..{size} for dimension "
                                 f"{dim} (shape {self.shape})")
            return np.take(sort_order(array, axis), [k - 1], axis=axis)
        return with_indices(self, dim, keepdim, choose, return_types.kthvalue, "kthvalue")

    def median(self, dim=None, keepdim=None, *, axis=None, keepdims=None):
        """PyTorch's median: the lower of the two middle values (an element, which gets
        the gradient); ``median(dim)`` gives ``(values, indices)``. NumPy's median (the
        mean of the two middle values) is ``ndgrad.median`` or ``median(axis=...)``.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[1.0, 5.0, 3.0, 4.0]])
            >>> x.median().item(), x.median(1).indices.tolist(), x.median(axis=1).tolist()
            (3.0, [2], [3.5])
        """
        if axis is not None or keepdims is not None:
            return _ops.median(self, axis=axis, keepdims=bool(keepdims))

        def choose(array, axis):
            if array.shape[axis] == 0:
                raise ValueError(f"median: dimension {dim} of shape {self.shape} is empty")
            return np.take(sort_order(array, axis), [(array.shape[axis] - 1) // 2], axis=axis)
        if dim is None:
            flat = _ops.reshape(self, (-1,))
            return with_indices(flat, 0, False, choose, return_types.median, "median").values
        return with_indices(self, dim, keepdim, choose, return_types.median, "median")
