"""Arithmetic with sparse COO tensors, with PyTorch's results and dtypes.

- sparse @ dense and dense @ sparse give dense tensors (``torch.mm``,
  ``torch.matmul``, ``@``, ``torch.sparse.mm``), through the vectorised
  kernel of ``kernels.py``; the dense operand must have the values' dtype, as
  PyTorch requires.
- sparse + sparse gives a sparse tensor: coalesced when both are (their
  entries merged), otherwise the two sets of entries side by side, as PyTorch
  does. dense + sparse and sparse + dense give a dense tensor of the same shape
  (PyTorch refuses ``sparse + dense``; ndgrad computes it, the sum being the
  same either way). ``-`` is ``+`` of the negation.
- ``*`` and ``/`` by a number (or a 0-d tensor) scale the values.
- ``sum()`` gives a dense 0-d tensor.

Dtypes promote as PyTorch's (``rules.py``): ``eye(n) + int64_sparse`` is
float32. Whatever else meets a sparse tensor is refused with a ``TypeError``.

The core ops (``ndgrad.add``, ``ndgrad.matmul``, ``torch.add``, ...) reach
these functions through ``SPARSE_FALLBACKS`` (see ``ndgrad.autograd.primitive``).

Where PyTorch gives a sparse *leaf* a dense gradient (``torch.mm``, ``@``,
``sum()``, dense + sparse), ndgrad, which keeps a sparse tensor's gradient on
its nonzeros, refuses while recording (:func:`refuse_dense_gradient`);
``torch.sparse.mm`` and ``torch.sparse.sum`` give the gradient on the
nonzeros, as in PyTorch, and are always allowed.

Example:
    >>> import ndgrad
    >>> S = ndgrad.sparse_coo_tensor([[0, 1], [1, 0]], [1, 2], (2, 2))   # int64
    >>> (ndgrad.eye(2) + S).tolist(), (ndgrad.eye(2) + S).dtype
    ([[1.0, 1.0], [2.0, 1.0]], dtype('float32'))
    >>> (S * 2.5).to_dense().dtype, (S + S).to_dense().tolist()
    (dtype('float32'), [[0, 2], [4, 0]])
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import SPARSE_FALLBACKS
from ..errors import SparseOperandError, shape_error
from .. import ops
from ..tensor import Tensor, as_tensor
from .kernels import sparse_dense_matmul
from .refusals import describe
from .rules import category, is_scalar, promote_scalar, promote_tensors

__all__ = ["add", "multiply", "divide", "negative", "matmul", "sparse_mm", "total",
           "sparse_total", "refuse_dense_gradient"]


def _is_sparse(value):
    return getattr(value, "is_sparse", False) is True


def _refuse(what, value):
    raise SparseOperandError(what, describe(value.shape, value._nnz(), value.dtype))


def refuse_dense_gradient(sparse, what, instead):
    """Refuse ``what`` on a sparse tensor whose PyTorch gradient would be dense at
    a leaf (see the module), while recording.

    Example:
        >>> import ndgrad
        >>> S = ndgrad.eye(2).to_sparse().requires_grad_()
        >>> S.sum()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        NotImplementedError: Tensor.sum: in PyTorch this gives the sparse leaf ...
    """
    if sparse._keeps_dense_grad and state.enabled and sparse.requires_grad:
        raise NotImplementedError(
            f"{what}: in PyTorch this gives the sparse leaf (or the dense tensor converted "
            "with to_sparse()) that these values come from a dense gradient, over every "
            "position and not only the stored ones; ndgrad keeps a sparse tensor's gradient "
            f"on its stored entries only, so it cannot match. Use {instead}, whose gradient is "
            "on the stored entries in PyTorch too, or compute under no_grad()")


def _sparse_operands(what, first, second):
    if first.shape != second.shape:
        raise shape_error(what, [first, second], "a sparse tensor adds only to a tensor of "
                          "the same shape (no broadcasting, as in PyTorch)")
    return promote_tensors(first.dtype, second.dtype)


def add(first, second):
    """``first + second`` with at least one sparse operand (see the module).

    Example:
        >>> import ndgrad
        >>> S = ndgrad.eye(2).to_sparse()
        >>> (S + S).to_dense().tolist(), (ndgrad.ones((2, 2)) + S).tolist()
        ([[2.0, 0.0], [0.0, 2.0]], [[2.0, 1.0], [1.0, 2.0]])
    """
    if _is_sparse(first) and _is_sparse(second):
        dtype = _sparse_operands("add", first, second)
        if first.sparse_dim() != second.sparse_dim():
            _refuse(f"adding a sparse tensor of {second.sparse_dim()} sparse dimensions to one "
                    f"of {first.sparse_dim()}", first)
        values = ops.concatenate([ops.astype(first._value_tensor, dtype, copy=False),
                                  ops.astype(second._value_tensor, dtype, copy=False)])
        indices = np.concatenate([first._index_array, second._index_array], axis=1)
        both = first._coalesced and second._coalesced
        result = first._derived(indices, values, False, (second,))
        return result.coalesce() if both else result
    sparse_first = _is_sparse(first)
    sparse, dense = (first, second) if sparse_first else (second, first)
    if dense is None or is_scalar(dense):
        _refuse(f"adding a number ({dense!r}) to every element", sparse)
    dense = as_tensor(dense)
    dtype = _sparse_operands("add", sparse, dense)
    refuse_dense_gradient(sparse, "dense + sparse", "dense + S.to_dense()")
    sparse_part = sparse.to(dtype).to_dense()
    dense = ops.astype(dense, dtype, copy=False)
    return ops.add(sparse_part, dense) if sparse_first else ops.add(dense, sparse_part)


def _scaled(sparse, factor, dtype):
    values = ops.astype(sparse._value_tensor, dtype, copy=False)
    if isinstance(factor, Tensor):
        factor = ops.astype(factor, dtype, copy=False)
    return sparse._derived(sparse._index_array, ops.multiply(values, factor), sparse._coalesced)


def multiply(first, second):
    """A sparse tensor times a number or a 0-d tensor (either order).

    Example:
        >>> import ndgrad
        >>> (3 * ndgrad.eye(2).to_sparse()).values().tolist()
        [3.0, 3.0]
    """
    sparse, factor = (first, second) if _is_sparse(first) else (second, first)
    if not is_scalar(factor):
        _refuse(f"multiplying by a {type(factor).__name__} of shape "
                f"{getattr(factor, 'shape', None)} (only numbers and 0-d tensors scale a "
                "sparse tensor)", sparse)
    return _scaled(sparse, factor, promote_scalar(sparse.dtype, factor))


def divide(first, second):
    """A sparse tensor divided by a number or a 0-d tensor (true division).

    Example:
        >>> import ndgrad
        >>> S = ndgrad.sparse_coo_tensor([[0]], [3], (2,))
        >>> (S / 2).values().tolist(), (S / 2).dtype
        ([1.5], dtype('float32'))
    """
    if not _is_sparse(first) or not is_scalar(second):
        sparse = first if _is_sparse(first) else second
        _refuse(f"dividing {'by' if sparse is second else 'a sparse tensor by'} a "
                f"{type(second).__name__}", sparse)
    dtype = promote_scalar(first.dtype, second)
    if category(dtype) < 2:
        dtype = np.dtype("float32")
    values = ops.astype(first._value_tensor, dtype, copy=False)
    if isinstance(second, Tensor):
        second = ops.astype(second, dtype, copy=False)
    return first._derived(first._index_array, ops.divide(values, second), first._coalesced)


def negative(value):
    """``-value`` for a sparse tensor (or anything else, passed to ``ndgrad.negative``)."""
    if not _is_sparse(value):
        return ops.negative(value)
    if value.dtype == np.bool_:
        _refuse("negation of a bool tensor (use ~ on the dense tensor)", value)
    return value._derived(value._index_array, ops.negative(value._value_tensor),
                          value._coalesced)


def _product(sparse, dense, what):
    """``sparse @ dense`` for a 2-D sparse and a 1-D or 2-D dense tensor."""
    if sparse.ndim != 2 or sparse.sparse_dim() != 2:
        _refuse(f"{what} with a sparse tensor of {sparse.sparse_dim()} sparse and "
                f"{sparse.dense_dim()} dense dimensions (the product needs a sparse matrix)",
                sparse)
    if _is_sparse(dense):
        _refuse(f"{what} of two sparse tensors", sparse)
    dense = as_tensor(dense)
    if dense.ndim not in (1, 2) or dense.shape[0] != sparse.shape[1]:
        raise shape_error(what, [sparse, dense], "the sparse matrix's columns must match the "
                          "dense operand's rows (a matrix or a vector)")
    if dense.dtype != sparse.dtype:
        raise TypeError(f"{what}: the sparse operand holds {sparse.dtype} and the dense one "
                        f"{dense.dtype}; convert one of them (.to(dtype)), as PyTorch requires")
    matrix = dense if dense.ndim == 2 else ops.reshape(dense, (-1, 1))
    out = sparse_dense_matmul(sparse._value_tensor, matrix, plans=sparse._plan("products"),
                              n_rows=sparse.shape[0])
    return out if dense.ndim == 2 else ops.reshape(out, (-1,))


def matmul(first, second, what="matmul"):
    """``first @ second`` with one sparse matrix (``torch.mm``, ``torch.matmul``).

    Example:
        >>> import ndgrad
        >>> S = ndgrad.sparse_coo_tensor([[0, 1], [1, 1]], [2.0, 3.0], (2, 2))
        >>> (S @ ndgrad.ones(2)).tolist(), (ndgrad.ones((1, 2)) @ S).tolist()
        ([2.0, 3.0], [[0.0, 5.0]])
    """
    if _is_sparse(first):
        refuse_dense_gradient(first, what, "torch.sparse.mm(S, D)")
        return _product(first, second, what)
    refuse_dense_gradient(second, what, "torch.sparse.mm(S.t(), D.t()).t()")
    dense = as_tensor(first)
    if dense.ndim not in (1, 2):
        _refuse(f"{what} with a {dense.ndim}-D dense operand", second)
    transposed = second.t() if second.ndim == 2 else second
    flipped = _product(transposed, dense if dense.ndim == 1 else ops.swapaxes(dense, 0, 1), what)
    return flipped if dense.ndim == 1 else ops.swapaxes(flipped, 0, 1)


def sparse_mm(sparse, dense):
    """PyTorch's ``torch.sparse.mm``: the product, and a sparse leaf's gradient on
    its stored entries. A dense first operand gives the dense product.

    Example:
        >>> from ndgrad.sparse.arithmetic import sparse_mm
        >>> import ndgrad
        >>> S = ndgrad.eye(2).to_sparse().requires_grad_()
        >>> sparse_mm(S, ndgrad.ones((2, 3))).sum().backward(); S.grad.values().tolist()
        [3.0, 3.0]
    """
    if not _is_sparse(sparse):
        return ops.matmul(sparse, dense)
    if as_tensor(dense).ndim != 2:
        raise shape_error("sparse.mm", [sparse, dense], "the dense operand must be a matrix")
    return _product(sparse, dense, "sparse.mm")


def total(sparse, what):
    """The sum of all stored values (``S.sum()``), a dense 0-d tensor.

    Example:
        >>> from ndgrad.sparse.arithmetic import total
        >>> import ndgrad
        >>> total(ndgrad.sparse_coo_tensor([[0, 0]], [True, True], (2,)), "sum").item()
        2
    """
    refuse_dense_gradient(sparse, what, "torch.sparse.sum(S)")
    return _sum_values(sparse._value_tensor)


def sparse_total(sparse):
    """``torch.sparse.sum(S)``: the sum of the coalesced tensor (so duplicate bool
    entries count once, as in PyTorch), with the gradient on the stored entries.

    Example:
        >>> from ndgrad.sparse import sparse_total
        >>> import ndgrad
        >>> sparse_total(ndgrad.sparse_coo_tensor([[0, 0]], [True, True], (2,))).item()
        1
    """
    return _sum_values(sparse.coalesce()._value_tensor)


def _sum_values(values):
    if values.dtype.kind in "biu":
        values = ops.astype(values, np.int64, copy=False)
    return ops.sum(values)


# NumPy's ufuncs that are Python's operators (``np.float64(2) * S`` goes through
# NumPy before it reaches ``S.__rmul__``).
OPERATOR_UFUNCS = {np.add: add, np.multiply: multiply, np.true_divide: divide,
                   np.matmul: matmul, np.negative: negative,
                   np.subtract: lambda first, second: add(first, negative(second))}


SPARSE_FALLBACKS.update({
    ops.add.op: add,
    ops.subtract.op: lambda first, second: add(first, negative(second)),
    ops.multiply.op: multiply,
    ops.divide.op: divide,
    ops.negative.op: negative,
    ops.matmul.op: matmul,
})
