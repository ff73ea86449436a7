"""Making sparse COO tensors: from indices and values, and from a dense tensor.

:func:`sparse_coo_tensor` follows PyTorch's ``torch.sparse_coo_tensor``: the
indices are a ``(sparse_dim, nnz)`` integer array (a tensor, an array or
nested lists; kept as int64), the values a tensor of ``nnz`` rows, the size
inferred when not given, ``dtype`` converting the values. The result is
uncoalesced unless it has at most one entry or ``is_coalesced=True`` says so.
Unlike PyTorch, which checks only on request, the indices are always checked
against the size (negative or too large indices would give wrong results),
and a claim ``is_coalesced=True`` is verified.

:func:`dense_to_sparse` is ``Tensor.to_sparse``: the nonzero entries of a
dense tensor (or, with ``sparse_dim`` below ``ndim``, the nonzero slices), in
row-major order, coalesced.

Example:
    >>> from ndgrad import sparse_coo_tensor
    >>> import ndgrad, numpy as np
    >>> S = sparse_coo_tensor(np.array([[0, 2], [1, 0]], dtype=np.int32), ndgrad.ones(2),
    ...                       (3, 3), dtype=ndgrad.int64)
    >>> S.dtype, S._indices().dtype, S.to_dense().tolist()
    (dtype('int64'), dtype('int64'), [[0, 1, 0], [0, 0, 0], [1, 0, 0]])
    >>> ndgrad.tensor([[0.0, 1.5], [2.5, 0.0]]).to_sparse().indices().tolist()
    [[0, 1], [1, 0]]
"""

import numpy as np

from ..autograd.mode import state
from ..devices import check_device
from ..dtypes import as_dtype
from ..ops import astype, getitem
from ..tensor import Tensor, as_tensor
from .coo_tensor import SparseTensor
from .kernels import linear_positions
from .rules import sparse_coo

__all__ = ["sparse_coo_tensor", "dense_to_sparse"]


def _index_array(indices):
    array = np.asarray(indices._data if isinstance(indices, Tensor) else indices)
    if array.dtype.kind not in "iu" and not (array.size == 0 and array.dtype.kind == "f"):
        raise TypeError(f"sparse_coo_tensor: indices must be integers, got dtype {array.dtype}")
    if array.ndim != 2:
        raise ValueError(f"sparse_coo_tensor: indices must be a 2-D (sparse_dim, nnz) array, "
                         f"got shape {array.shape}")
    return np.array(array, dtype=np.int64, order="C")    # a copy: later writes to the input
                                                          # must not change the tensor


def _checked_size(indices, values, size):
    sparse_dims, nnz = indices.shape
    if values.ndim < 1 or values.shape[0] != nnz:
        raise ValueError(f"sparse_coo_tensor: indices and values must have the same nnz, but "
                         f"the indices have {nnz} columns and the values shape "
                         f"{tuple(values.shape)}")
    dense_shape = tuple(values.shape[1:])
    if size is None:
        sparse_shape = tuple(int(n) + 1 for n in indices.max(axis=1)) if nnz else \
            (0,) * sparse_dims
        return sparse_shape + dense_shape
    size = tuple(int(n) for n in size)
    if len(size) != sparse_dims + len(dense_shape) or size[sparse_dims:] != dense_shape:
        raise ValueError(f"sparse_coo_tensor: size {size} does not fit {sparse_dims} sparse "
                         f"dimensions and values of shape {tuple(values.shape)} (its last "
                         f"{len(dense_shape)} dimensions must be {dense_shape})")
    if nnz:
        low, high = indices.min(axis=1), indices.max(axis=1)
        for dim in range(sparse_dims):
            if low[dim] < 0 or high[dim] >= size[dim]:
                raise ValueError(f"sparse_coo_tensor: indices of dimension {dim} run from "
                                 f"{low[dim]} to {high[dim]}, outside the size {size[dim]}")
    return size


def sparse_coo_tensor(indices, values, size=None, *, dtype=None, device=None, pin_memory=False,
                      requires_grad=False, check_invariants=None, is_coalesced=None):
    """A sparse COO tensor with ``values`` at ``indices`` (PyTorch's ``sparse_coo_tensor``).

    Args:
        indices: a ``(sparse_dim, nnz)`` integer tensor, array or nested list.
        values: a tensor (or array-like) of shape ``(nnz, *dense_shape)``;
            when it requires grad, gradients flow back to it.
        size: the shape; by default each sparse dimension is its largest index + 1.
        dtype: convert the values to this dtype.
        device: the CPU only (``"cpu"`` or ``ndgrad.device("cpu")``).
        pin_memory: accepted and ignored (nothing to pin on the CPU).
        requires_grad: make the result a sparse leaf that requires grad (float only).
        check_invariants: accepted; the indices are always checked.
        is_coalesced: declare the indices sorted and unique (verified).

    Example:
        >>> import ndgrad
        >>> S = ndgrad.sparse_coo_tensor([[1, 0, 1], [2, 1, 2]], [1.0, 2.0, 3.0], (2, 3))
        >>> S.to_dense().tolist(), S.is_coalesced()
        ([[0.0, 2.0, 0.0], [0.0, 0.0, 4.0]], False)
    """
    if device is not None:
        check_device(device, "sparse_coo_tensor")
    index_array = _index_array(indices)
    values = values if isinstance(values, Tensor) else as_tensor(values)
    if dtype is not None and as_dtype(dtype) != values.dtype:
        values = astype(values, as_dtype(dtype))
    elif values.requires_grad and state.enabled:
        values = getitem(values, Ellipsis)     # the result is not a leaf, as in PyTorch
    shape = _checked_size(index_array, values, size)
    if is_coalesced:
        positions = linear_positions(index_array, shape[:index_array.shape[0]])
        if np.any(positions[1:] <= positions[:-1]):
            raise ValueError("sparse_coo_tensor: is_coalesced=True but the indices are not "
                             "sorted and unique; leave it out and call .coalesce()")
    result = SparseTensor._make(index_array, values, shape, bool(is_coalesced))
    if requires_grad and not values.requires_grad:
        result.requires_grad_()
    return result


def dense_to_sparse(tensor, sparse_dim=None, *, layout=None, blocksize=None, dense_dim=None):
    """The sparse COO form of a dense tensor (``Tensor.to_sparse``), coalesced.

    With ``sparse_dim`` (or ``dense_dim``) a hybrid tensor: the first
    ``sparse_dim`` dimensions are indexed and the slices behind a stored index
    (those with any nonzero) are kept whole. Gradients flow back to ``tensor``.

    Example:
        >>> from ndgrad.sparse import dense_to_sparse
        >>> import ndgrad
        >>> x = ndgrad.tensor([[0.0, 0.0], [1.0, 0.0]])
        >>> S = dense_to_sparse(x, 1)
        >>> S.indices().tolist(), S.values().tolist(), S.dense_dim()
        ([[1]], [[1.0, 0.0]], 1)
    """
    if layout not in (None, sparse_coo) or blocksize is not None:
        raise TypeError(f"to_sparse: only the sparse COO layout is supported (got layout="
                        f"{layout!r}, blocksize={blocksize!r})")
    if sparse_dim is None:
        sparse_dim = tensor.ndim if dense_dim is None else tensor.ndim - dense_dim
    if not 1 <= sparse_dim <= tensor.ndim:
        raise ValueError(f"to_sparse: sparse_dim must be between 1 and {tensor.ndim} for a "
                         f"tensor of shape {tensor.shape}, got {sparse_dim}")
    data = tensor._data
    nonzero = data != 0
    if sparse_dim < tensor.ndim:
        nonzero = nonzero.any(axis=tuple(range(sparse_dim, tensor.ndim)))
    where = np.nonzero(nonzero)
    indices = (np.stack(where).astype(np.int64) if where[0].size
               else np.zeros((sparse_dim, 0), dtype=np.int64))
    values = getitem(tensor, tuple(where))
    keeps_dense_grad = tensor.requires_grad and state.enabled
    return SparseTensor._make(indices, values, tensor.shape, True,
                              keeps_dense_grad=keeps_dense_grad)
