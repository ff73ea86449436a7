"""Autograd on a :class:`~ndgrad.sparse.SparseTensor`: gradients live in its values.

A sparse tensor has no graph node of its own; its values tensor does. So
``sparse_coo_tensor(indices, v)`` with ``v`` requiring grad is not a leaf
(gradients reach ``v``), and a sparse *leaf* (``requires_grad=True`` or
``requires_grad_()``) owns a trainable values tensor whose ``.grad`` is the
gradient of each stored entry. ``S.grad`` shows it as PyTorch does for the
ops that keep a sparse leaf's gradient sparse (``torch.sparse.mm``,
``to_dense``, ``values()``, ``coalesce``): a coalesced sparse tensor holding,
at each stored index, the gradient of the dense tensor there.

Example:
    >>> import ndgrad
    >>> S = ndgrad.sparse_coo_tensor([[0, 0, 2]], [1.0, 2.0, 3.0], (3,), requires_grad=True)
    >>> S.is_leaf, S.requires_grad, S.grad is None
    (True, True, True)
    >>> (S.to_dense() * ndgrad.tensor([10.0, 20.0, 30.0])).sum().backward()
    >>> S.grad.indices().tolist(), S.grad.values().tolist()
    ([[0, 2]], [10.0, 30.0])
"""

from ..tensor import Tensor

__all__ = ["SparseAutograd"]


class SparseAutograd:
    """``requires_grad``, ``is_leaf``, ``grad_fn``, ``trainable``, ``requires_grad_``,
    ``grad`` and ``detach`` of a sparse tensor (see the module)."""

    __slots__ = ()

    @property
    def requires_grad(self):
        """Whether gradients flow to the values (a leaf's, or a tensor's upstream)."""
        return self._value_tensor.requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    @property
    def is_leaf(self):
        """True unless the values were computed from tensors that require grad."""
        return self._owns_values or not self._value_tensor.requires_grad

    @property
    def grad_fn(self):
        """The graph node that made the values (None for a leaf)."""
        return None if self._owns_values else self._value_tensor._node

    @property
    def trainable(self):
        """True for a sparse leaf that requires grad."""
        return self._owns_values and self._value_tensor.trainable

    def requires_grad_(self, requires_grad=True):
        """Make this leaf require grad (its values become a trainable leaf); returns it.

        Example:
            >>> import ndgrad
            >>> S = ndgrad.eye(2).to_sparse().requires_grad_()
            >>> S.requires_grad, S.is_leaf, S.grad is None
            (True, True, True)
        """
        if not self.is_leaf:
            raise RuntimeError("requires_grad_: only leaf tensors can be set; this sparse "
                               "tensor was computed from tensors that require grad. Use "
                               ".detach() first")
        if requires_grad and not self._owns_values:
            self._value_tensor = Tensor._wrap(self._value_tensor._data)
            self._owns_values = True
        if self._owns_values:
            self._value_tensor._set_trainable(requires_grad, "requires_grad_")
        self._keeps_dense_grad = bool(requires_grad)
        return self

    @property
    def grad(self):
        """A sparse leaf's gradient: a coalesced sparse tensor on its nonzeros (None
        before any backward, and for tensors that are not leaves).

        Example:
            >>> import ndgrad
            >>> S = ndgrad.sparse_coo_tensor([[0, 1]], [1.0, 2.0], (3,), requires_grad=True)
            >>> (S.to_dense() * ndgrad.tensor([5.0, 6.0, 7.0])).sum().backward()
            >>> S.grad.to_dense().tolist()
            [5.0, 6.0, 0.0]
        """
        if not self._owns_values or self._value_tensor.grad is None:
            return None
        plan = self._plan("coalesce")
        # Every entry at one index has the same gradient (that of the index),
        # so the first entry of each run speaks for the run.
        first_entries = plan.order[plan.starts]
        values = Tensor._wrap(self._value_tensor.grad._data[first_entries])
        return type(self)._make(plan.indices, values, self._full_shape, True)

    @grad.setter
    def grad(self, value):
        if value is not None:
            raise TypeError("SparseTensor.grad can only be set to None (to clear it)")
        self._value_tensor.grad = None

    def detach(self):
        """The same indices and values, cut from the graph (sharing memory)."""
        return type(self)._make(self._index_array, Tensor._wrap(self._value_tensor._data),
                                  self._full_shape, self._coalesced)
