"""Sorting, selection and whole-tensor comparisons with PyTorch's meanings.

``sort``, ``argsort`` and ``topk`` are the tensor methods (``(values,
indices)`` pairs; rule D1 in ``ndgrad.torch``). ``torch.median`` is the lower
median (PyTorch's, not NumPy's mean of the two middle values) and
``torch.nonzero`` returns one row of indices per non-zero element.
``torch.equal`` and ``torch.allclose`` return Python bools.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.sort(torch.tensor([3, 1, 2])).indices.tolist(), torch.equal(torch.ones(2), torch.ones(2))
    ([1, 2, 0], True)
"""

import collections

import numpy as np

from .. import ops
from ..tensor import Tensor, as_tensor
from ._delegate import method_functions

DELEGATED = method_functions(__name__, [
    ("sort", "``(values, indices)`` sorted along ``dim``, ascending unless ``descending``",
     "torch.sort(torch.tensor([3, 1, 2]), descending=True).values.tolist()", "[3, 2, 1]"),
    ("argsort", "the indices that sort along ``dim``",
     "torch.argsort(torch.tensor([3, 1, 2])).tolist()", "[1, 2, 0]"),
    ("topk", "``(values, indices)`` of the ``k`` largest along ``dim``",
     "torch.topk(torch.tensor([1.0, 9.0, 4.0]), 2).indices.tolist()", "[1, 2]"),
])
globals().update(DELEGATED)
__test__ = dict(DELEGATED)

__all__ = [*DELEGATED, "median", "kthvalue", "unique", "equal", "allclose", "nonzero",
           "argwhere", "searchsorted"]

ValuesIndices = collections.namedtuple("ValuesIndices", ["values", "indices"])


def _order_statistic(input, dim, keepdim, position, function):
    x = as_tensor(input)
    if dim is None:
        x, dim = ops.reshape(x, (-1,)), 0
    count = x.shape[dim]
    if count == 0:
        raise IndexError(f"{function}: dimension {dim} of shape {x.shape} is empty")
    values, indices = x.sort(dim=dim)
    k = position(count)
    picked = [ops.take(t, [k], axis=dim) for t in (values, indices)]
    if not keepdim:
        picked = [ops.squeeze(t, axis=dim) for t in picked]
    return ValuesIndices(*picked)


def median(input, dim=None, keepdim=False):
    """The lower median (the ``(n - 1) // 2``-th smallest), as PyTorch: a 0-d
    tensor without ``dim``, else ``(values, indices)`` along ``dim``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.median(torch.tensor([4.0, 1.0, 3.0, 2.0])).item()
        2.0
        >>> torch.median(torch.tensor([[4.0, 1.0, 3.0]]), dim=1).indices.tolist()
        [2]
    """
    result = _order_statistic(input, dim, keepdim, lambda n: (n - 1) // 2, "torch.median")
    return result.values if dim is None else result


def kthvalue(input, k, dim=-1, keepdim=False):
    """``(values, indices)`` of the ``k``-th smallest (1-based) along ``dim``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.kthvalue(torch.tensor([5.0, 1.0, 3.0]), 2).values.item()
        3.0
    """
    def position(count):
        if not 1 <= k <= count:
            raise IndexError(f"torch.kthvalue: k={k} is out of range for {count} values")
        return k - 1
    return _order_statistic(input, dim, keepdim, position, "torch.kthvalue")


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (sorted), and optionally the inverse indices and counts.

    Example:
        >>> import ndgrad.torch as torch
        >>> values, counts = torch.unique(torch.tensor([3, 1, 3]), return_counts=True)
        >>> values.tolist(), counts.tolist()
        ([1, 3], [1, 2])
    """
    return ops.unique(input, return_inverse=return_inverse, return_counts=return_counts,
                      axis=dim)


def equal(input, other):
    """True when both have the same shape and the same elements (a Python bool).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2])), torch.equal(torch.ones(1), torch.ones(2))
        (True, False)
    """
    a, b = as_tensor(input).detach().numpy(), as_tensor(other).detach().numpy()
    return a.shape == b.shape and bool(np.array_equal(a, b))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True when every element is close: ``|input - other| <= atol + rtol * |other|``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.allclose(torch.tensor([1.0]), torch.tensor([1.0 + 1e-7]))
        True
    """
    return bool(ops.allclose(input, other, rtol=rtol, atol=atol, equal_nan=equal_nan))


def nonzero(input, *, as_tuple=False, out=None):
    """The indices of the non-zero elements: an ``(n, ndim)`` int64 tensor, or with
    ``as_tuple=True`` one index tensor per dimension (NumPy's ``nonzero``).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.nonzero(torch.tensor([[0, 1], [1, 0]])).tolist()
        [[0, 1], [1, 0]]
    """
    return ops.nonzero(input) if as_tuple else argwhere(input)


def argwhere(input):
    """The indices of the non-zero elements, one row each (``(n, ndim)``, int64).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.argwhere(torch.tensor([0.0, 2.0, 3.0])).tolist()
        [[1], [2]]
    """
    array = as_tensor(input).detach().numpy()
    return Tensor._wrap(np.argwhere(array).astype(np.int64))


def searchsorted(sorted_sequence, input, *, right=False, side=None, sorter=None, out=None):
    """Where ``input``'s values would go in the 1-D ``sorted_sequence`` to keep it sorted.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.searchsorted(torch.tensor([1.0, 3.0, 5.0]), torch.tensor([3.0, 4.0])).tolist()
        [1, 2]
    """
    side = side or ("right" if right else "left")
    return ops.searchsorted(sorted_sequence, input, side=side, sorter=sorter)
