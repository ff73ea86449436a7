"""Sparse COO tensors: indices and values, PyTorch's ``torch.sparse_coo`` layout.

Graph programs (GCN, GAT) keep an adjacency matrix or a row normalisation as
a sparse tensor and multiply it with dense features. ndgrad has what they use,
written with NumPy alone:

- making them: :func:`sparse_coo_tensor` (``torch.sparse_coo_tensor``) and
  ``dense.to_sparse(sparse_dim=None)``;
- the tensor (:class:`SparseTensor`, an ``ndgrad.Tensor`` with
  ``is_sparse`` True and ``layout`` ``ndgrad.sparse_coo``): ``coalesce``,
  ``is_coalesced``, ``indices``/``values`` and ``_indices``/``_values``,
  ``_nnz``, ``sparse_dim``/``dense_dim``, ``to_dense``, ``t``/``transpose``,
  ``to``/``float``/``double``, ``detach``, ``requires_grad_``, ``grad``;
- arithmetic (``arithmetic.py``): sparse @ dense and dense @ sparse (dense
  results, vectorised, differentiable in both operands), :func:`mm`
  (``torch.sparse.mm``), sparse + sparse (sparse), dense + sparse (dense),
  ``*``/``/`` by a number, ``sum()`` and :func:`sum` (``torch.sparse.sum``),
  with PyTorch's dtype promotion (``eye(n) + int64_sparse`` is float32).

Anything else on a sparse tensor (indexing, elementwise math, NumPy
functions) raises a ``TypeError`` naming the op and saying to call
``.to_dense()`` first; nothing densifies silently.

Example:
    >>> import ndgrad
    >>> adjacency = ndgrad.sparse_coo_tensor([[0, 1, 1], [1, 0, 2]], ndgrad.ones(3), (3, 3),
    ...                                      dtype=ndgrad.int64)
    >>> with_loops = ndgrad.eye(3) + adjacency
    >>> with_loops.dtype, with_loops.tolist()
    (dtype('float32'), [[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 1.0]])
    >>> scale = ndgrad.diag(1 / with_loops.sum(axis=1)).to_sparse()
    >>> (scale @ with_loops).sum(axis=1).tolist()
    [1.0, 1.0, 1.0]
"""

from .arithmetic import sparse_mm as mm, sparse_total
from .construction import dense_to_sparse, sparse_coo_tensor
from .coo_tensor import SparseTensor
from .rules import Layout, sparse_coo, strided

__all__ = ["SparseTensor", "sparse_coo_tensor", "dense_to_sparse", "mm", "sum", "Layout",
           "sparse_coo", "strided"]


def sum(input, dim=None, dtype=None):  # noqa: A001  (PyTorch's name)
    """``torch.sparse.sum``: the sum of all elements of a sparse tensor, a dense
    0-d tensor; a sparse leaf's gradient stays on its stored entries.

    Example:
        >>> import ndgrad
        >>> S = ndgrad.eye(2).to_sparse().requires_grad_()
        >>> total = ndgrad.sparse.sum(S); total.backward()
        >>> total.item(), S.grad.values().tolist()
        (2.0, [1.0, 1.0])
    """
    if not getattr(input, "is_sparse", False):
        raise TypeError(f"sparse.sum: expects a sparse tensor, got {type(input).__name__}")
    if dim is not None or dtype is not None:
        input._data.refuse("sparse.sum with dim or dtype")
    return sparse_total(input)
