"""Pieces and rearrangements of :class:`ndgrad.Tensor`: PyTorch's ``narrow``,
``chunk``, ``split``, ``unbind``, ``expand``, ``repeat``, ``flip``, ``roll`` and
the triangles and diagonals.

Each body calls ``ndgrad.ops`` (bound into ``_ops`` when it loads): pieces are
differentiable slices (``getitem``), tiling is ``ops.tile``. ``repeat(*sizes)``
tiles as PyTorch's; ``repeat(n, axis=k)`` repeats elements as NumPy's.

Example:
    >>> import ndgrad
    >>> x = ndgrad.arange(6.0).reshape(2, 3)
    >>> [p.shape for p in x.split(2, dim=1)], x.expand(4, 2, 3).shape, x.repeat(2, 1).shape
    ([(2, 2), (2, 1)], (4, 2, 3), (4, 3))
"""

import numpy as np

from ._tensor_shape_methods import _ints
from .size import dimension

_ops = None   # ndgrad.ops, bound by ndgrad/ops/__init__.py


def _along(tensor, dim, what):
    return (slice(None),) * dimension(tensor.shape, dim, what)


class TensorPieces:
    """Slicing into pieces, tiling, flipping and rolling."""

    __slots__ = ()

    def broadcast_to(self, shape):
        """A broadcast view in ``shape``.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).broadcast_to((3, 2)).shape
            (3, 2)
        """
        return _ops.broadcast_to(self, shape)

    def expand(self, *sizes):
        """Broadcast to ``sizes``; -1 keeps a dimension (PyTorch's ``expand``).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((3, 1)).expand(2, -1, 4).shape
            (2, 3, 4)
        """
        sizes = _ints(sizes, "expand")
        extra = len(sizes) - self._data.ndim
        if extra < 0:
            raise ValueError(f"expand: {len(sizes)} sizes {sizes} for a tensor of shape "
                             f"{self.shape}; give at least one size per dimension")
        shape = tuple(self.shape[i - extra] if n == -1 and i >= extra else n
                      for i, n in enumerate(sizes))
        return _ops.broadcast_to(self, shape)

    def expand_as(self, other):
        """Broadcast to ``other``'s shape.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(3).expand_as(ndgrad.zeros((2, 3))).shape
            (2, 3)
        """
        return _ops.broadcast_to(self, other.shape)

    def repeat(self, *sizes, axis=None, repeats=None):
        """PyTorch's ``repeat``: tile the tensor ``sizes`` times along each dimension
        (new leading dimensions when more sizes than dimensions are given).
        ``repeat(n, axis=k)`` (or ``repeats=``) is NumPy's: repeat each element.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).repeat(2).tolist()
            [1.0, 2.0, 1.0, 2.0]
            >>> ndgrad.tensor([1.0, 2.0]).repeat(2, axis=0).tolist()
            [1.0, 1.0, 2.0, 2.0]
        """
        if axis is not None or repeats is not None:
            count = repeats if repeats is not None else sizes[0] if len(sizes) == 1 else sizes
            return _ops.repeat(self, count, axis=axis)
        sizes = _ints(sizes, "repeat")
        if len(sizes) < self._data.ndim:
            raise ValueError(f"repeat: {len(sizes)} repeat counts {sizes} for a tensor of shape "
                             f"{self.shape}; give one per dimension (PyTorch's tiling), or "
                             "repeat(n, axis=k) for NumPy's element repeat")
        return _ops.tile(self, sizes)

    def repeat_interleave(self, repeats, dim=None, *, output_size=None):
        """Repeat each element ``repeats`` times along ``dim`` (of the flattened
        tensor when None); ``repeats`` may be a tensor of counts.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1, 2], [3, 4]]).repeat_interleave(2, dim=0).tolist()
            [[1, 2], [1, 2], [3, 4], [3, 4]]
        """
        return _ops.repeat(self, repeats, axis=dim)

    def take(self, indices, axis=None):
        """Elements at ``indices`` along ``axis`` (of the flattened tensor when None).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([5.0, 6.0]).take([1]).tolist()
            [6.0]
        """
        return _ops.take(self, indices, axis=axis)

    def narrow(self, dim, start, length):
        """``length`` elements from ``start`` along ``dim`` (a slice).

        Example:
            >>> import ndgrad
            >>> ndgrad.arange(10.0).narrow(0, 2, 3).tolist()
            [2.0, 3.0, 4.0]
        """
        before = _along(self, dim, "narrow")
        size = self.shape[len(before)]
        begin = start + size if start < 0 else start
        if not (0 <= begin and length >= 0 and begin + length <= size):
            raise IndexError(f"narrow: start {start} + length {length} does not fit in "
                             f"dimension {dim} of size {size} (shape {self.shape})")
        return _ops.getitem(self, before + (slice(begin, begin + length),))

    def select(self, dim, index):
        """The slice at ``index`` along ``dim``, that dimension removed (PyTorch's
        ``select``; a view, as ``t[:, index]``).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]]).select(1, -1).tolist()
            [2.0, 4.0]
        """
        before = _along(self, dim, "select")
        size = self.shape[len(before)]
        if not -size <= index < size:
            raise IndexError(f"select: index {index} is out of range for dimension {dim} of "
                             f"size {size} (shape {self.shape})")
        return _ops.getitem(self, before + (int(index),))

    def chunk(self, chunks, dim=0):
        """Split into ``chunks`` pieces of ``ceil(n / chunks)`` along ``dim`` (the last
        may be smaller, and there may be fewer pieces), as PyTorch does.

        Example:
            >>> import ndgrad
            >>> [c.tolist() for c in ndgrad.arange(5.0).chunk(2)]
            [[0.0, 1.0, 2.0], [3.0, 4.0]]
        """
        if chunks <= 0:
            raise ValueError(f"chunk: the number of chunks must be positive, got {chunks}")
        size = self.shape[len(_along(self, dim, "chunk"))]
        return self.split(max(-(-size // chunks), 1), dim)

    def split(self, split_size_or_sections, dim=0):
        """Split along ``dim`` into pieces of ``split_size`` (the last may be smaller)
        or of the given sizes (PyTorch's ``split``); a tuple of tensors.

        Example:
            >>> import ndgrad
            >>> [p.shape for p in ndgrad.ones((5, 2)).split(2)]
            [(2, 2), (2, 2), (1, 2)]
            >>> [p.shape for p in ndgrad.ones((5, 2)).split([1, 4])]
            [(1, 2), (4, 2)]
        """
        before = _along(self, dim, "split")
        size = self.shape[len(before)]
        if isinstance(split_size_or_sections, (int, np.integer)):
            step = int(split_size_or_sections)
            if step <= 0:
                raise ValueError(f"split: split_size must be positive, got {step}")
            bounds = list(range(0, size, step)) + [size] if size else [0, 0]
        else:
            sections = [int(n) for n in split_size_or_sections]
            if sum(sections) != size or min(sections, default=0) < 0:
                raise ValueError(f"split: sizes {sections} do not add up to {size}, the length "
                                 f"of dimension {dim} (shape {self.shape})")
            bounds = [0] + np.cumsum(sections).tolist()
        return tuple(_ops.getitem(self, before + (slice(a, b),))
                     for a, b in zip(bounds[:-1], bounds[1:]))

    def unbind(self, dim=0):
        """The slices along ``dim``, as a tuple (the dimension removed).

        Example:
            >>> import ndgrad
            >>> [r.tolist() for r in ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]]).unbind(1)]
            [[1.0, 3.0], [2.0, 4.0]]
        """
        before = _along(self, dim, "unbind")
        return tuple(_ops.getitem(self, before + (i,)) for i in range(self.shape[len(before)]))

    def flip(self, *dims):
        """Reverse the order of elements along ``dims`` (``flip(0)``, ``flip([0, 1])``).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]]).flip(1).tolist()
            [[2.0, 1.0], [4.0, 3.0]]
        """
        return _ops.flip(self, _ints(dims, "flip") if dims else None)

    def roll(self, shifts, dims=None):
        """Shift elements circularly by ``shifts`` along ``dims`` (flattened when None).

        Example:
            >>> import ndgrad
            >>> ndgrad.arange(4.0).roll(1).tolist()
            [3.0, 0.0, 1.0, 2.0]
        """
        return _ops.roll(self, shifts, dims)

    def diag(self, diagonal=0):
        """The diagonal of a matrix, or a matrix with a vector on its diagonal.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]]).diag().tolist()
            [1.0, 4.0]
        """
        return _ops.diag(self, diagonal)

    def diagonal(self, offset=0, dim1=0, dim2=1):
        """The diagonal over dimensions ``dim1`` and ``dim2`` (NumPy's ``axis1/axis2``).

        Example:
            >>> import ndgrad
            >>> ndgrad.eye(2).diagonal().tolist()
            [1.0, 1.0]
        """
        return _ops.diagonal(self, offset, dim1, dim2)

    def tril(self, diagonal=0):
        """The lower triangle (elements above ``diagonal`` zeroed).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 2)).tril().tolist()
            [[1.0, 0.0], [1.0, 1.0]]
        """
        return _ops.tril(self, diagonal)

    def triu(self, diagonal=0):
        """The upper triangle (elements below ``diagonal`` zeroed).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 2)).triu(1).tolist()
            [[0.0, 1.0], [0.0, 0.0]]
        """
        return _ops.triu(self, diagonal)
