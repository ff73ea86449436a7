"""The operators and protocols of :class:`~ndgrad.sparse.SparseTensor`.

Each arithmetic method and operator forwards to ``ndgrad.sparse.arithmetic``,
where PyTorch's results and dtype rules live once: ``S + S``, ``D + S``,
``S * 2``, ``S / 2``, ``-S``, ``S @ D``, ``D @ S``, ``S.sum()``. Python's
reflected operators find the sparse forms first (a sparse tensor's class is a
subclass of the dense one), so ``eye + S`` reaches ``S.__radd__``. NumPy's
protocols refuse, except the ufuncs that are operators (``np.float64(2) * S``
reaches NumPy first): ``np.asarray(S)`` and ``np.exp(S)`` raise a
``TypeError`` that says to call ``.to_dense()`` first.

Example:
    >>> import ndgrad, numpy as np
    >>> S = ndgrad.sparse_coo_tensor([[0, 1], [1, 0]], [2.0, 3.0], (2, 2))
    >>> (ndgrad.eye(2) + S).tolist(), (-S / 2).to_dense().tolist()
    ([[1.0, 2.0], [3.0, 1.0]], [[0.0, -1.0], [-1.5, 0.0]])
    >>> np.asarray(S)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ndgrad.errors.SparseOperandError: conversion to a NumPy array is not supported on a ...
"""

import copy as _copy

import numpy as np

from . import arithmetic

__all__ = ["SparseOperators"]


class SparseOperators:
    """Arithmetic methods, operators, ``len``, ``format``, copies, ``repr`` and the
    NumPy protocols of a sparse tensor (see the module)."""

    __slots__ = ()

    def sum(self, dim=None, keepdim=False, dtype=None, *, axis=None, keepdims=None):
        """The sum of all elements, a dense 0-d tensor; a ``dim`` is refused.

        Example:
            >>> import ndgrad
            >>> ndgrad.sparse_coo_tensor([[0, 0]], [2, 3], (2,)).sum()
            Tensor(5, dtype=int64)
        """
        if dim is not None or axis is not None or keepdim or keepdims or dtype is not None:
            self._data.refuse("Tensor.sum with dim, keepdim or dtype")
        return arithmetic.total(self, "Tensor.sum")

    def mm(self, other):
        """``self @ other`` for a dense matrix ``other`` (PyTorch's ``torch.mm``)."""
        return arithmetic.matmul(self, other, "mm")

    def matmul(self, other):
        """``self @ other`` for a dense matrix or vector ``other``."""
        return arithmetic.matmul(self, other, "matmul")

    def add(self, other, alpha=1):
        """``self + alpha * other``."""
        return arithmetic.add(self, other if alpha == 1 else arithmetic.multiply(other, alpha))

    def sub(self, other, alpha=1):
        """``self - alpha * other``."""
        return arithmetic.add(self, arithmetic.multiply(other, -alpha))

    def mul(self, other):
        """``self * other`` for a number ``other``."""
        return arithmetic.multiply(self, other)

    def div(self, other):
        """``self / other`` for a number ``other`` (true division)."""
        return arithmetic.divide(self, other)

    def neg(self):
        """``-self``."""
        return arithmetic.negative(self)

    def __add__(self, other):
        return arithmetic.add(self, other)

    def __radd__(self, other):
        return arithmetic.add(other, self)

    def __sub__(self, other):
        return arithmetic.add(self, arithmetic.negative(other))

    def __rsub__(self, other):
        return arithmetic.add(other, arithmetic.negative(self))

    def __mul__(self, other):
        return arithmetic.multiply(self, other)

    def __rmul__(self, other):
        return arithmetic.multiply(other, self)

    def __truediv__(self, other):
        return arithmetic.divide(self, other)

    def __neg__(self):
        return arithmetic.negative(self)

    def __matmul__(self, other):
        return arithmetic.matmul(self, other, "matmul")

    def __rmatmul__(self, other):
        return arithmetic.matmul(other, self, "matmul")

    # ------------------------------------------------------------- Python and NumPy
    def __len__(self):
        if not self._full_shape:
            raise TypeError("len() of a 0-d tensor")
        return self._full_shape[0]

    def __format__(self, format_spec):
        if format_spec:
            self._data.refuse(f"the format spec {format_spec!r}")
        return repr(self)

    def __array__(self, dtype=None, copy=None):
        self._data.refuse("conversion to a NumPy array")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        operator = arithmetic.OPERATOR_UFUNCS.get(ufunc)
        if operator is None or method != "__call__" or kwargs:
            self._data.refuse(f"numpy.{ufunc.__name__}")
        return operator(*inputs)

    def __array_function__(self, func, types, args, kwargs):
        if func is np.shape or func is np.ndim:       # facts, not values
            return func(np.broadcast_to(np.empty((), dtype=np.bool_), self.shape))
        if func is np.size and len(args) == 1 and not kwargs:
            return self.numel()
        self._data.refuse(f"numpy.{func.__name__}")

    def __copy__(self):
        return type(self)._make(self._index_array, self._value_tensor, self._full_shape,
                                  self._coalesced, self._owns_values, self._keeps_dense_grad)

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError("deepcopy: only leaf tensors can be deep-copied; this sparse "
                               "tensor was computed from tensors that require grad. Detach it "
                               "first.")
        values = _copy.deepcopy(self._value_tensor, memo)
        out = type(self)._make(self._index_array.copy(), values, self._full_shape,
                                 self._coalesced, self._owns_values, self._keeps_dense_grad)
        memo[id(self)] = out
        return out

    def __repr__(self):
        head = type(self).__name__ + "("
        pad = " " * len(head)
        indices = np.array2string(self._index_array, separator=" ", prefix=head + "indices=")
        values = np.array2string(self._value_tensor._data, separator=" ",
                                 prefix=pad + "values=")
        tail = (f"size={self._full_shape}, nnz={self._nnz()}, dtype={self.dtype}, "
                f"layout=sparse_coo")
        if self.requires_grad:
            tail += ", requires_grad=True"
        return f"{head}indices={indices},\n{pad}values={values},\n{pad}{tail})"

    __str__ = __repr__
