"""The layout surface of a dense :class:`ndgrad.Tensor`: ``layout``, ``to_sparse``,
``to_dense``.

A dense ndgrad tensor is a NumPy array, PyTorch's ``strided`` layout
(``t.layout is ndgrad.strided``, ``t.is_sparse`` is False). ``t.to_sparse()``
converts it to a sparse COO tensor (``ndgrad.sparse``) holding its nonzero
entries, coalesced; ``to_dense()`` on a dense tensor is the tensor itself, as
in PyTorch, so code that densifies "whatever it got" works on both.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([[0.0, 3.0], [0.0, 0.0]])
    >>> x.layout, x.to_dense() is x, x.to_sparse().layout, x.to_sparse()._nnz()
    (ndgrad.strided, True, ndgrad.sparse_coo, 1)
"""


class TensorLayout:
    """``layout``, ``to_sparse`` / ``to_sparse_coo`` and ``to_dense`` (see the module)."""

    __slots__ = ()

    @property
    def layout(self):
        """``ndgrad.strided`` (PyTorch's ``torch.strided``): a dense NumPy array.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).layout
            ndgrad.strided
        """
        from .sparse.rules import strided
        return strided

    def to_sparse(self, sparse_dim=None, *, layout=None, blocksize=None, dense_dim=None):
        """The sparse COO tensor of this tensor's nonzero entries (PyTorch's ``to_sparse``).

        ``sparse_dim`` (or ``dense_dim``) makes a hybrid tensor that indexes the
        first ``sparse_dim`` dimensions and keeps the slices behind them whole.
        Gradients flow back to this tensor through the stored entries.

        Example:
            >>> import ndgrad
            >>> S = ndgrad.diag(ndgrad.tensor([2.0, 0.0, 5.0])).to_sparse()
            >>> S.indices().tolist(), S.values().tolist(), S.shape
            ([[0, 2], [0, 2]], [2.0, 5.0], (3, 3))
        """
        from .sparse.construction import dense_to_sparse
        return dense_to_sparse(self, sparse_dim, layout=layout, blocksize=blocksize,
                               dense_dim=dense_dim)

    def to_sparse_coo(self):
        """``to_sparse()`` (PyTorch's explicit name for the COO layout).

        Example:
            >>> import ndgrad
            >>> ndgrad.eye(2).to_sparse_coo()._nnz()
            2
        """
        return self.to_sparse()

    def to_dense(self, dtype=None, *, masked_grad=None):
        """This tensor (already dense), or converted to ``dtype``, as in PyTorch.

        Example:
            >>> import ndgrad
            >>> t = ndgrad.ones(2); t.to_dense() is t, t.to_dense(ndgrad.float64).dtype
            (True, dtype('float64'))
        """
        return self if dtype is None else self.to(dtype)
