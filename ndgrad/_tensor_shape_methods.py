"""Shape methods of :class:`ndgrad.Tensor`, in NumPy's and PyTorch's vocabulary.

Each body is one call (or a few) into ``ndgrad.ops``, which binds itself into
``_ops`` when it loads, so every result is differentiable. Where the two
vocabularies give one name two meanings the rule of the ``Tensor`` docstring
applies: ``transpose(d0, d1)``, ``view(*shape)``, ``flatten(start_dim,
end_dim)`` and ``squeeze(dim)`` are PyTorch's; ``transpose()`` /
``transpose(axes)``, ``view(dtype)`` and ``squeeze(axis=k)`` NumPy's.

Example:
    >>> import ndgrad
    >>> x = ndgrad.arange(6.0).reshape(2, 3)
    >>> x.transpose(0, 1).shape, x.view(-1).shape, x.size(), x.flatten(0).shape
    ((3, 2), (6,), ndgrad.Size([2, 3]), (6,))
"""

import operator

import numpy as np

from . import _tensor_storage as _storage
from .autograd.mode import state as _mode
from .size import dimension

_ops = None     # ndgrad.ops, bound by ndgrad/ops/__init__.py
Tensor = None   # ndgrad.tensor.Tensor, bound by ndgrad/tensor.py


def _ints(args, what):
    """``f(1, 2)``, ``f((1, 2))``, ``f([1, 2])`` and ``f(t.size())`` as a tuple of ints."""
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        args = args[0]
        if args is None:
            return None
    try:
        return tuple(operator.index(a) for a in args)
    except TypeError:
        raise TypeError(f"{what}: expected ints or one sequence of ints, got {args!r}") from None


def _is_dtype(value):
    return isinstance(value, (str, np.dtype, type))


class TensorShapeMethods:
    """The shape surface: reshaping, permuting, slicing into pieces."""

    __slots__ = ()

    @property
    def T(self):
        """The transpose (all axes reversed), differentiable.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).T.shape
            (3, 2)
        """
        return _ops.transpose(self)

    @property
    def mT(self):
        """The transpose of the last two axes (matrix transpose of a batch).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((4, 2, 3)).mT.shape
            (4, 3, 2)
        """
        return _ops.swapaxes(self, -1, -2)

    def numel(self):
        """The number of elements (PyTorch's name for ``size`` the int).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).numel()
            6
        """
        return self._data.size

    nelement = numel

    def dim(self):
        """The number of dimensions (``ndim``).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).dim()
            2
        """
        return self._data.ndim

    ndimension = dim

    def reshape(self, *shape):
        """The same elements in a new shape (``ndgrad.reshape``).

        Example:
            >>> import ndgrad
            >>> ndgrad.arange(6.0).reshape(2, 3).shape, ndgrad.arange(6.0).reshape((3, -1)).shape
            ((2, 3), (3, 2))
        """
        return _ops.reshape(self, shape[0] if len(shape) == 1 else shape)

    def view(self, *shape):
        """PyTorch's view: the same elements in a new shape (``view(2, -1)``).

        ``view(dtype)`` is NumPy's: the same bytes read as another dtype; it has no
        gradient, so it is refused on a tensor that requires grad while recording.

        Example:
            >>> import ndgrad
            >>> ndgrad.arange(6.0).view(3, 2).shape
            (3, 2)
            >>> ndgrad.tensor([1.0]).view(ndgrad.int32).tolist()
            [1065353216]
        """
        if len(shape) == 1 and _is_dtype(shape[0]):
            if self._rg and _mode.enabled:
                raise RuntimeError(
                    f"view: reinterpreting the bytes as {shape[0]} has no gradient, and this "
                    f"tensor requires grad; use .detach().view(dtype), or .to(dtype) to convert")
            return _storage.alias(self, Tensor._wrap(self._data.view(shape[0])))
        return _ops.reshape(self, shape[0] if len(shape) == 1 else shape)

    def view_as(self, other):
        """Reshaped to ``other``'s shape.

        Example:
            >>> import ndgrad
            >>> ndgrad.arange(6.0).view_as(ndgrad.ones((2, 3))).shape
            (2, 3)
        """
        return _ops.reshape(self, other.shape)

    reshape_as = view_as

    def transpose(self, *axes, dim0=None, dim1=None):
        """``transpose(d0, d1)`` swaps two dimensions (PyTorch's, also on 2-D);
        ``transpose()`` reverses them and ``transpose(axes)`` permutes them (NumPy's).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3, 4)).transpose(0, 2).shape, ndgrad.ones((2, 3)).transpose().shape
            ((4, 3, 2), (3, 2))
            >>> ndgrad.tensor([[1.0, 2.0]]).transpose(0, 1).tolist()
            [[1.0], [2.0]]
        """
        if dim0 is not None or dim1 is not None:
            axes = (dim0, dim1) + axes
        if len(axes) == 2 and all(isinstance(a, (int, np.integer)) and not isinstance(a, bool)
                                  for a in axes):
            return _ops.swapaxes(self, axes[0], axes[1])
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return _ops.transpose(self, axes or None)

    def permute(self, *dims):
        """Reorder the dimensions: ``permute(2, 0, 1)`` or ``permute((2, 0, 1))``.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3, 4)).permute(2, 0, 1).shape
            (4, 2, 3)
        """
        return _ops.transpose(self, _ints(dims, "permute"))

    def swapaxes(self, axis1, axis2):
        """Exchange two axes.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).swapaxes(0, 1).shape
            (3, 2)
        """
        return _ops.swapaxes(self, axis1, axis2)

    swapdims = swapaxes

    def movedim(self, source, destination):
        """Move dimensions to new positions (``moveaxis``).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3, 4)).movedim(0, -1).shape
            (3, 4, 2)
        """
        return _ops.moveaxis(self, source, destination)

    moveaxis = movedim

    def t(self):
        """The transpose of a matrix; 0-d and 1-D tensors come back as they are.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).t().shape, ndgrad.ones(3).t().shape
            ((3, 2), (3,))
        """
        if self._data.ndim > 2:
            raise ValueError(f"t: expects a tensor with at most 2 dimensions, got shape "
                             f"{self.shape}; use transpose(d0, d1) or .mT")
        return _ops.transpose(self) if self._data.ndim == 2 else self

    def flatten(self, start_dim=0, end_dim=-1):
        """Merge dimensions ``start_dim..end_dim`` into one (all by default).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.ones((2, 3, 4))
            >>> x.flatten().shape, x.flatten(1).shape, x.flatten(0, 1).shape
            ((24,), (2, 12), (6, 4))
        """
        shape = self.shape
        if not shape:
            return _ops.reshape(self, (1,))
        start = dimension(shape, start_dim, "flatten")
        end = dimension(shape, end_dim, "flatten")
        if start > end:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} "
                             f"for shape {shape}")
        return _ops.reshape(self, shape[:start] + (-1,) + shape[end + 1:])

    def unflatten(self, dim, sizes):
        """Split dimension ``dim`` into ``sizes`` (one may be -1).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 6)).unflatten(1, (3, 2)).shape
            (2, 3, 2)
        """
        shape = self.shape
        axis = dimension(shape, dim, "unflatten")
        return _ops.reshape(self, shape[:axis] + tuple(sizes) + shape[axis + 1:])

    def ravel(self):
        """The elements as a 1-D tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).ravel().shape
            (6,)
        """
        return _ops.reshape(self, (-1,))

    def squeeze(self, dim=None, *, axis=None):
        """Remove dimensions of length one: all, or those among ``dim`` (PyTorch's:
        a named dimension of another length stays); ``axis=`` is NumPy's (an error
        when that axis is not of length one).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.ones((1, 3, 1))
            >>> x.squeeze().shape, x.squeeze(0).shape, x.squeeze(1).shape, x.squeeze(axis=2).shape
            ((3,), (3, 1), (1, 3, 1), (1, 3))
        """
        if axis is not None or dim is None:
            return _ops.squeeze(self, axis)
        shape = self.shape
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        chosen = tuple(a for a in (dimension(shape, d, "squeeze") for d in dims)
                       if shape and shape[a] == 1)
        return _ops.squeeze(self, chosen) if chosen else self

    def expand_dims(self, axis):
        """Insert an axis of length one.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(3).expand_dims(0).shape
            (1, 3)
        """
        return _ops.expand_dims(self, axis)

    def unsqueeze(self, dim):
        """Insert a dimension of length one at ``dim`` (PyTorch's name).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(3).unsqueeze(-1).shape, ndgrad.ones(3).unsqueeze(0).shape
            ((3, 1), (1, 3))
        """
        return _ops.expand_dims(self, dim)

    def stride(self, dim=None):
        """The steps in elements between neighbours along each dimension (or ``dim``).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.ones((2, 3)); x.stride(), x.T.stride(), x.stride(0)
            ((3, 1), (1, 3), 3)
        """
        steps = tuple(s // self._data.itemsize for s in self._data.strides)
        return steps if dim is None else steps[dimension(self.shape, dim, "stride")]

    def data_ptr(self):
        """The address of the first element (of the NumPy array's memory).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.ones(3); x.data_ptr() == x.data.data_ptr()
            True
        """
        return self._data.ctypes.data

    def is_contiguous(self, memory_format=None):
        """Whether the elements lie in memory in row-major order without gaps.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.ones((2, 3)); x.is_contiguous(), x.T.is_contiguous()
            (True, False)
        """
        return bool(self._data.flags.c_contiguous)

    def contiguous(self, memory_format=None):
        """This tensor if contiguous, else a row-major copy (differentiable).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).T.contiguous().is_contiguous()
            True
        """
        if self._data.flags.c_contiguous:
            return self
        return _ops.reshape(_ops.reshape(self, (-1,)), self.shape)
