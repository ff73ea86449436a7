"""PyTorch's indexing methods of :class:`ndgrad.Tensor`: ``gather``, ``scatter``,
``scatter_add``, ``index_select``, ``index_add``, ``masked_fill``,
``masked_select``, ``nonzero``, ``unique``, ``where``.

They are written with ndgrad's indexing ops (``getitem``, ``setitem`` and the
``scatter_add`` that is the gradient of a read), so gradients reach both the
tensor and the values written into it. ``gather`` and ``scatter`` address
``self[i][index[i][j][k]][k]`` (for ``dim=1``) over the index's shape, which
may be smaller than the tensor's in the other dimensions, as in PyTorch.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> x.gather(1, ndgrad.tensor([[1], [0]])).tolist()
    [[2.0], [3.0]]
    >>> ndgrad.zeros(3).scatter_add(0, ndgrad.tensor([0, 0, 2]), ndgrad.ones(3)).tolist()
    [2.0, 0.0, 1.0]
"""

import numpy as np

from .size import dimension

_ops = None     # ndgrad.ops, bound by ndgrad/ops/__init__.py
Tensor = None   # ndgrad.tensor.Tensor, bound by ndgrad/tensor.py


def _index_array(index, what):
    array = index._data if isinstance(index, Tensor) else np.asarray(index)
    if array.dtype.kind not in "iu":
        raise TypeError(f"{what}: the index must hold integers (int64), got dtype {array.dtype}")
    return array


def positions(tensor, dim, index, what):
    """The NumPy index that addresses ``tensor`` at ``index`` along ``dim`` and at
    the index's own coordinates elsewhere (the rule of gather and scatter)."""
    array = _index_array(index, what)
    if array.ndim != tensor.ndim:
        raise ValueError(f"{what}: the index has {array.ndim} dimension(s) (shape {array.shape}) "
                         f"but the tensor has {tensor.ndim} (shape {tensor.shape}); they must "
                         "match")
    axis = dimension(tensor.shape, dim, what)
    grids = np.ogrid[tuple(slice(n) for n in array.shape)]
    return tuple(array if i == axis else grids[i] for i in range(array.ndim)), array.shape


def _source(src, shape, what):
    """The part of ``src`` that a scatter with an index of ``shape`` reads."""
    if not isinstance(src, Tensor):
        return src
    if src.shape == shape:
        return src
    if src.ndim != len(shape) or any(s < n for s, n in zip(src.shape, shape)):
        raise ValueError(f"{what}: src has shape {src.shape}, smaller than the index's {shape}")
    return _ops.getitem(src, tuple(slice(n) for n in shape))


class TensorIndexing:
    """Gathering, scattering and masking in PyTorch's vocabulary."""

    __slots__ = ()

    def gather(self, dim, index):
        """The elements at ``index`` along ``dim`` (``out[i][j] = self[i][index[i][j]]``
        for ``dim=1``).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]]).gather(0, ndgrad.tensor([[1, 0]])).tolist()
            [[3.0, 2.0]]
        """
        return _ops.getitem(self, positions(self, dim, index, "gather")[0])

    def take_along_dim(self, indices, dim):
        """Values at ``indices`` along ``dim`` (``ndgrad.take_along_axis``).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[3.0, 1.0], [2.0, 4.0]])
            >>> x.take_along_dim(x.argsort(dim=1), dim=1).tolist()
            [[1.0, 3.0], [2.0, 4.0]]
        """
        return _ops.take_along_axis(self, indices, dim)

    def scatter(self, dim, index, src=None, value=None, *, reduce=None):
        """A copy with ``src`` (a tensor, or a number ``value``) written at ``index``
        along ``dim``; the gradient reaches ``self`` where it was not overwritten and
        ``src`` where it was read.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros((2, 3)).scatter(1, ndgrad.tensor([[2], [0]]), 1.0).tolist()
            [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
        """
        from .ops.index import _setitem
        if reduce is not None:
            raise ValueError(f"scatter: reduce={reduce!r} is not supported; use scatter_add "
                             "for sums, or scatter without reduce")
        if (src is None) == (value is None):
            raise TypeError("scatter: give src (a tensor or number) or value, one of them")
        where, shape = positions(self, dim, index, "scatter")
        values = _source(src if src is not None else value, shape, "scatter")
        out = _setitem(self, values, index=where)
        return out if out.dtype == self.dtype else out.astype(self.dtype)

    def scatter_add(self, dim, index, src):
        """A copy with ``src`` added at ``index`` along ``dim`` (repeated indices add up).

        Example:
            >>> import ndgrad
            >>> index, src = ndgrad.tensor([1, 1]), ndgrad.tensor([2.0, 3.0])
            >>> ndgrad.zeros(3).scatter_add(0, index, src).tolist()
            [0.0, 5.0, 0.0]
        """
        from .ops.index import _scatter_add
        where, shape = positions(self, dim, index, "scatter_add")
        added = _scatter_add(_source(src, shape, "scatter_add"), shape=self.shape, index=where)
        return _ops.add(self, added).astype(self.dtype, copy=False)

    def index_select(self, dim, index):
        """The slices at ``index`` (1-D) along ``dim``.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> x.index_select(1, ndgrad.tensor([1, 1])).tolist()
            [[2.0, 2.0], [4.0, 4.0]]
        """
        array = _index_array(index, "index_select")
        if array.ndim > 1:
            raise ValueError(f"index_select: the index must be 1-D, got shape {array.shape}")
        axis = dimension(self.shape, dim, "index_select")
        return _ops.getitem(self, (slice(None),) * axis + (array.reshape(-1),))

    def index_add(self, dim, index, source, *, alpha=1):
        """A copy with the slices of ``source`` added at ``index`` along ``dim``.

        Example:
            >>> import ndgrad
            >>> index, source = ndgrad.tensor([0, 0]), ndgrad.tensor([1.0, 2.0])
            >>> ndgrad.zeros(3).index_add(0, index, source).tolist()
            [3.0, 0.0, 0.0]
        """
        from .ops.index import _scatter_add
        array = _index_array(index, "index_add").reshape(-1)
        axis = dimension(self.shape, dim, "index_add")
        source = source if alpha == 1 else _ops.multiply(source, alpha)
        added = _scatter_add(source, shape=self.shape, index=(slice(None),) * axis + (array,))
        return _ops.add(self, added).astype(self.dtype, copy=False)

    def masked_fill(self, mask, value):
        """A copy with ``value`` where ``mask`` (broadcast to this shape) is true.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([1.0, -2.0])
            >>> x.masked_fill(x < 0, 0.0).tolist()
            [1.0, 0.0]
        """
        out = _ops.where(mask, value, self)
        if out.shape != self.shape:
            raise ValueError(f"masked_fill: the mask of shape {getattr(mask, 'shape', None)} "
                             f"does not broadcast to the tensor's shape {self.shape}")
        return out if out.dtype == self.dtype else out.astype(self.dtype)

    def masked_select(self, mask):
        """The elements where ``mask`` is true, as a 1-D tensor.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> x.masked_select(x > 2).tolist()
            [3.0, 4.0]
        """
        array = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
        if array.shape == self.shape:
            return _ops.getitem(self, array.astype(bool, copy=False))
        shape = np.broadcast_shapes(array.shape, self.shape)
        return _ops.getitem(_ops.broadcast_to(self, shape), np.broadcast_to(array, shape))

    def where(self, condition, other):
        """``self`` where ``condition`` holds, else ``other``.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([1.0, -2.0])
            >>> x.where(x > 0, ndgrad.zeros(2)).tolist()
            [1.0, 0.0]
        """
        return _ops.where(condition, self, other)

    def nonzero(self, as_tuple=False):
        """The indices of the non-zero elements: an ``(n, ndim)`` int64 tensor
        (PyTorch's), or with ``as_tuple=True`` one 1-D tensor per dimension
        (NumPy's ``nonzero``, also ``np.nonzero(t)``).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[0.0, 2.0], [3.0, 0.0]])
            >>> x.nonzero().tolist(), [i.tolist() for i in x.nonzero(as_tuple=True)]
            ([[0, 1], [1, 0]], [[0, 1], [1, 0]])
        """
        if as_tuple:
            return tuple(Tensor._wrap(i.astype(np.int64, copy=False))
                         for i in np.nonzero(np.atleast_1d(self._data)))
        return Tensor._wrap(np.argwhere(self._data).astype(np.int64, copy=False))

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        """The distinct values (sorted), and optionally where each element went
        (``inverse``, in this tensor's shape) and how often each value occurs.

        Example:
            >>> import ndgrad
            >>> values, inverse = ndgrad.tensor([3, 1, 3]).unique(return_inverse=True)
            >>> values.tolist(), inverse.tolist()
            ([1, 3], [1, 0, 1])
        """
        result = _ops.unique(self, return_inverse=return_inverse, return_counts=return_counts,
                             axis=dim)
        if not (return_inverse or return_counts):
            return result
        values, *rest = result
        rest = [Tensor._wrap(r._data.astype(np.int64, copy=False)) for r in rest]
        if return_inverse and dim is None:
            rest[0] = Tensor._wrap(rest[0]._data.reshape(self.shape))
        return (values, *rest)
