"""SparseTensor: a tensor stored as coordinates and values (PyTorch's sparse COO).

A :class:`SparseTensor` of shape ``(*sparse_shape, *dense_shape)`` stores
``nnz`` entries: an ``(S, nnz)`` int64 array of indices (``S`` sparse
dimensions) and a dense ndgrad tensor of values, shape ``(nnz,
*dense_shape)``. An *uncoalesced* tensor may hold several entries at one index
(they add up) in any order; :meth:`SparseTensor.coalesce` sums them and sorts
the indices, as PyTorch does.

Gradients live in the values tensor, so a sparse tensor joins ndgrad's one
graph: ``sparse_coo_tensor(indices, v)`` with ``v`` requiring grad passes
gradients to ``v``, and a sparse *leaf* (``requires_grad=True``) gets a
``.grad`` on its nonzeros, as PyTorch's ``torch.sparse.mm``, ``to_dense`` and
``values()`` give it. PyTorch gives such a leaf a *dense* gradient after
``torch.mm``, ``@``, ``sum()`` or a dense addition; ndgrad cannot store that,
so those ops refuse a tensor that leads to such a leaf (a
``NotImplementedError`` saying what to use).

Everything a dense tensor does that has no sparse form here (indexing,
elementwise math, NumPy functions) raises a ``TypeError`` saying to call
``.to_dense()`` first (see ``ndgrad.sparse.refusals``).

Example:
    >>> import ndgrad
    >>> S = ndgrad.sparse_coo_tensor([[1, 0, 1], [2, 1, 2]], [1.0, 2.0, 3.0], (3, 3))
    >>> S.is_coalesced(), S.coalesce().indices().tolist(), S.coalesce().values().tolist()
    (False, [[0, 1], [1, 2]], [2.0, 4.0])
    >>> (S @ ndgrad.ones((3, 1))).tolist()
    [[2.0], [4.0], [0.0]]
"""

import numpy as np

from ..devices import parse_to
from ..ops import astype, copy as copy_values, getitem
from ..size import ElementCount
from ..tensor import Tensor
from .coo_autograd import SparseAutograd
from .coo_operators import SparseOperators
from .kernels import Plans, coalesce_plan, linear_positions, scatter_dense, segment_sum
from .refusals import SparseData, describe, refuse_inherited
from .rules import sparse_coo

__all__ = ["SparseTensor"]


class SparseTensor(SparseAutograd, SparseOperators, Tensor):
    """A sparse COO tensor (PyTorch's ``torch.sparse_coo`` layout): indices and values.

    Make one with :func:`ndgrad.sparse_coo_tensor` or ``dense.to_sparse()``.
    It is an ``ndgrad.Tensor`` (``is_sparse`` is True, ``layout`` is
    ``ndgrad.sparse_coo``) with PyTorch's sparse surface: ``coalesce``,
    ``is_coalesced``, ``indices``/``values`` (coalesced only) and
    ``_indices``/``_values``, ``_nnz``, ``sparse_dim``, ``dense_dim``,
    ``to_dense``, ``t``/``transpose``, ``to``/``float``/``double``, ``detach``,
    ``requires_grad_``, ``grad``, ``sum()``, ``+``/``-`` with a sparse or a
    same-shape dense tensor, ``*``/``/`` by a number, and ``S @ D``, ``D @ S``.

    Example:
        >>> import ndgrad
        >>> S = ndgrad.tensor([[0.0, 2.0], [3.0, 0.0]]).to_sparse()
        >>> S.shape, S._nnz(), S.layout, S.is_sparse, (2 * S).to_dense().tolist()
        ((2, 2), 2, ndgrad.sparse_coo, True, [[0.0, 4.0], [6.0, 0.0]])
    """

    __slots__ = ("_index_array", "_value_tensor", "_full_shape", "_coalesced", "_owns_values",
                 "_keeps_dense_grad", "_plans")

    def __init__(self, *args, **kwargs):
        raise TypeError("SparseTensor: make one with ndgrad.sparse_coo_tensor(indices, values, "
                        "size) or dense.to_sparse()")

    @classmethod
    def _make(cls, indices, values, shape, coalesced, owns_values=False, keeps_dense_grad=False):
        """A sparse tensor around ``indices`` (an int64 array) and ``values`` (a Tensor).

        ``keeps_dense_grad``: its values lead to a tensor whose PyTorch gradient
        would be dense (a sparse leaf, or a dense tensor through ``to_sparse``).
        """
        t = object.__new__(cls)
        indices.flags.writeable = False      # the cached index plans stay true
        t._index_array = indices
        t._value_tensor = values
        t._full_shape = tuple(int(n) for n in shape)
        t._coalesced = bool(coalesced) or indices.shape[1] <= 1
        t._owns_values = owns_values
        t._keeps_dense_grad = keeps_dense_grad
        t._plans = {}
        t._data = SparseData(describe(t._full_shape, indices.shape[1], values.dtype))
        t.name, t._node, t._rg, t._trainable, t._vc, t._watch = None, None, False, False, None, 0
        return t

    def _derived(self, indices, values, coalesced, others=()):
        """A sparse result of this tensor (and ``others``) with the same shape."""
        keeps = self._keeps_dense_grad or any(o._keeps_dense_grad for o in others)
        return SparseTensor._make(indices, values, self._full_shape, coalesced,
                                  keeps_dense_grad=keeps)

    # ------------------------------------------------------------- facts
    @property
    def shape(self):
        """The shape, a tuple (``size()`` gives an ``ndgrad.Size``)."""
        return self._full_shape

    @property
    def ndim(self):
        """The number of dimensions, sparse and dense."""
        return len(self._full_shape)

    @property
    def size(self):
        """The element count (``int``), callable as PyTorch's ``size()`` / ``size(dim)``.

        Example:
            >>> import ndgrad
            >>> S = ndgrad.eye(3).to_sparse(); S.size(), S.size(1), S.numel()
            (ndgrad.Size([3, 3]), 3, 9)
        """
        return ElementCount(int(np.prod(self._full_shape, dtype=np.int64)), self._full_shape)

    def numel(self):
        """The number of elements of the dense equivalent."""
        return int(np.prod(self._full_shape, dtype=np.int64))

    def dim(self):
        """The number of dimensions."""
        return len(self._full_shape)

    @property
    def dtype(self):
        """The dtype of the values."""
        return self._value_tensor.dtype

    @property
    def itemsize(self):
        """Bytes per value."""
        return self._value_tensor.dtype.itemsize

    def element_size(self):
        """Bytes per value (PyTorch's name)."""
        return self._value_tensor.dtype.itemsize

    @property
    def is_sparse(self):
        """True: this tensor is stored sparse (dense tensors answer False)."""
        return True

    @property
    def layout(self):
        """``ndgrad.sparse_coo`` (PyTorch's ``torch.sparse_coo``)."""
        return sparse_coo

    def sparse_dim(self):
        """How many leading dimensions are indexed by ``indices``."""
        return self._index_array.shape[0]

    def dense_dim(self):
        """How many trailing dimensions each stored value has."""
        return len(self._full_shape) - self._index_array.shape[0]

    def _nnz(self):
        """The number of stored entries (duplicates counted while uncoalesced).

        Example:
            >>> import ndgrad
            >>> ndgrad.sparse_coo_tensor([[0, 0]], [1, 2], (2,))._nnz()
            2
        """
        return self._index_array.shape[1]

    @property
    def nnz(self):
        """The number of stored entries, as ``_nnz()`` (SciPy's spelling)."""
        return self._index_array.shape[1]

    def is_coalesced(self):
        """Whether the indices are sorted and unique (``coalesce()`` makes them so)."""
        return self._coalesced

    # ------------------------------------------------------------- indices and values
    def _check_coalesced(self, what):
        if not self._coalesced:
            raise RuntimeError(f"Cannot get {what} on an uncoalesced tensor, please call "
                               ".coalesce() first")

    def indices(self):
        """The ``(sparse_dim, nnz)`` int64 indices of a coalesced tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0, 5.0, 0.0, 7.0]).to_sparse().indices().tolist()
            [[1, 3]]
        """
        self._check_coalesced("indices")
        return Tensor._wrap(self._index_array)

    def values(self):
        """The values of a coalesced tensor; gradients flow through them to this tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0, 5.0, 0.0, 7.0]).to_sparse().values().tolist()
            [5.0, 7.0]
        """
        self._check_coalesced("values")
        if self._value_tensor.requires_grad:
            return getitem(self._value_tensor, Ellipsis)   # a non-leaf alias, as in PyTorch
        return Tensor._wrap(self._value_tensor._data)

    def _indices(self):
        """The stored indices, coalesced or not (read-only; no gradient)."""
        return Tensor._wrap(self._index_array)

    def _values(self):
        """The stored values, coalesced or not (shares memory; no gradient)."""
        return Tensor._wrap(self._value_tensor._data)

    def _plan(self, key):
        """Cached index plans: ``"products"`` (the rows and columns of a matrix,
        ``kernels.Plans``) and ``"coalesce"`` (``kernels.CoalescePlan``)."""
        plan = self._plans.get(key)
        if plan is None:
            indices = self._index_array
            if key == "coalesce":
                plan = coalesce_plan(indices, self._full_shape[:indices.shape[0]])
            else:
                plan = Plans(indices[0], indices[1])
            self._plans[key] = plan
        return plan

    # ------------------------------------------------------------- conversions
    def coalesce(self):
        """Duplicates summed, indices sorted (row-major); this tensor if already coalesced.

        Example:
            >>> import ndgrad
            >>> S = ndgrad.sparse_coo_tensor([[2, 0, 2]], [1, 2, 3], (3,)).coalesce()
            >>> S.indices().tolist(), S.values().tolist(), S.is_coalesced()
            ([[0, 2]], [2, 4], True)
        """
        if self._coalesced:
            return self
        plan = self._plan("coalesce")
        if plan.starts.size == plan.order.size and np.all(plan.order[1:] > plan.order[:-1]):
            return self._derived(self._index_array, self._value_tensor, True)
        values = segment_sum(self._value_tensor, order=plan.order, starts=plan.starts,
                             inverse=plan.inverse)
        return self._derived(plan.indices, values, True)

    def to_dense(self, dtype=None, *, masked_grad=None):
        """The dense tensor (duplicates summed); gradients reach the stored values.
        A ``dtype`` is refused, as PyTorch does for sparse tensors.

        Example:
            >>> import ndgrad
            >>> ndgrad.sparse_coo_tensor([[1, 1]], [2.0, 3.0], (3,)).to_dense().tolist()
            [0.0, 5.0, 0.0]
        """
        if dtype is not None:
            raise TypeError("to_dense: the dtype argument is not supported for sparse tensors "
                            "(nor in PyTorch); write S.to(dtype).to_dense()")
        sparse_dims = self._index_array.shape[0]
        positions = linear_positions(self._index_array, self._full_shape[:sparse_dims])
        return scatter_dense(self._value_tensor, positions=positions, shape=self._full_shape,
                             sparse_dims=sparse_dims, unique=self._coalesced)

    def to_sparse(self, sparse_dim=None, *, layout=None, dense_dim=None, blocksize=None):
        """This tensor (already sparse); another ``sparse_dim`` is refused, as in PyTorch."""
        wanted = (sparse_dim if sparse_dim is not None else
                  self.ndim - dense_dim if dense_dim is not None else self.sparse_dim())
        if wanted != self.sparse_dim() or layout not in (None, sparse_coo) or blocksize:
            raise RuntimeError("to_sparse: conversion from Sparse to Sparse with another "
                               "sparse_dim or layout is not supported; go through to_dense()")
        return self

    def transpose(self, dim0, dim1):
        """Two sparse dimensions exchanged (the result is uncoalesced, as in PyTorch).

        Example:
            >>> import ndgrad
            >>> S = ndgrad.sparse_coo_tensor([[0], [2]], [1.0], (2, 3))
            >>> S.transpose(0, 1).shape, S.t()._indices().tolist()
            ((3, 2), [[2], [0]])
        """
        sparse_dims = self._index_array.shape[0]
        dims = []
        for dim in (dim0, dim1):
            if not -self.ndim <= dim < self.ndim:
                raise IndexError(f"transpose: dimension {dim} is out of range for a sparse "
                                 f"tensor of {self.ndim} dimensions")
            dims.append(dim % self.ndim)
        if dims[0] == dims[1]:
            return self
        if max(dims) >= sparse_dims:
            raise TypeError(f"transpose({dim0}, {dim1}): only sparse dimensions (the first "
                            f"{sparse_dims}) can be exchanged on a sparse tensor; call "
                            ".to_dense() first")
        order = list(range(sparse_dims))
        order[dims[0]], order[dims[1]] = order[dims[1]], order[dims[0]]
        shape = list(self._full_shape)
        shape[dims[0]], shape[dims[1]] = shape[dims[1]], shape[dims[0]]
        return SparseTensor._make(self._index_array[order], self._value_tensor, shape, False,
                                  keeps_dense_grad=self._keeps_dense_grad)

    def t(self):
        """The transpose of a matrix (a 1-D tensor comes back as it is)."""
        if self.ndim > 2:
            raise ValueError(f"t() expects a tensor of at most 2 dimensions, got {self.ndim}; "
                             "use transpose(dim0, dim1)")
        return self if self.ndim < 2 else self.transpose(0, 1)

    def to(self, *args, **kwargs):
        """PyTorch's ``to``: a dtype (values converted), a device (the CPU), a tensor.

        Example:
            >>> import ndgrad
            >>> S = ndgrad.eye(2).to_sparse()
            >>> S.to(ndgrad.float64).dtype, S.to("cpu") is S, S.long().dtype
            (dtype('float64'), True, dtype('int64'))
        """
        dtype, copy = parse_to("to", args, kwargs)
        if dtype is None or dtype == self.dtype:
            return self.clone() if copy else self
        return self._derived(self._index_array, astype(self._value_tensor, dtype),
                             self._coalesced)

    def float(self):
        """Values converted to float32."""
        return self.to(np.float32)

    def double(self):
        """Values converted to float64."""
        return self.to(np.float64)

    def half(self):
        """Values converted to float16."""
        return self.to(np.float16)

    def long(self):
        """Values converted to int64."""
        return self.to(np.int64)

    def int(self):
        """Values converted to int32."""
        return self.to(np.int32)

    def bool(self):
        """Values converted to bool."""
        return self.to(np.bool_)

    def cpu(self):
        """This tensor: it lives on the CPU."""
        return self

    def clone(self, memory_format=None):
        """A copy with its own indices and values (gradients pass through)."""
        return self._derived(self._index_array.copy(), copy_values(self._value_tensor),
                             self._coalesced)


refuse_inherited(SparseTensor, Tensor, keep=(
    "device", "is_cpu", "is_cuda", "is_xpu", "is_mps", "is_meta", "is_quantized", "is_nested",
    "is_mkldnn", "name", "cuda"))
