"""Reductions, sorting and whole-tensor comparisons with PyTorch's signatures:
``torch.sum(x, dim=1, keepdim=True)``, ``torch.sort(x, descending=True)``.

All but ``argwhere`` and ``searchsorted`` are the tensor method called on the
first argument (``torch.max(x, 1)`` is ``x.max(1)``, a ``(values, indices)``
pair; ``torch.std`` is unbiased; ``torch.median`` is the lower median;
``torch.nonzero`` gives one row of indices per non-zero element;
``torch.equal`` and ``torch.allclose`` give Python bools), so each meaning
lives in one place, the Tensor class (rule D1 in ``ndgrad.torch``).

Example:
    >>> import ndgrad.torch as torch
    >>> x = torch.tensor([[1.0, 5.0], [7.0, 2.0]])
    >>> torch.max(x, 1).indices.tolist(), torch.sum(x, dim=0).tolist()
    ([1, 0], [8.0, 7.0])
"""

import collections

import numpy as np

from .. import ops
from ..tensor import Tensor, as_tensor
from ._delegate import method_functions

_X = "torch.tensor([[1.0, 5.0], [7.0, 2.0]])"

DELEGATED = method_functions(__name__, [
    ("sum", "the sum over ``dim`` (an int or a tuple; all elements when None)",
     f"torch.sum({_X}, dim=1, keepdim=True).tolist()", "[[6.0], [9.0]]"),
    ("mean", "the mean over ``dim``", f"torch.mean({_X}, 0).tolist()", "[4.0, 3.5]"),
    ("prod", "the product over ``dim``", f"torch.prod({_X}, 1).tolist()", "[5.0, 14.0]"),
    ("max", "the largest value; with ``dim``, ``(values, indices)``; with a tensor, the "
     "elementwise maximum", f"torch.max({_X}, 1).values.tolist()", "[5.0, 7.0]"),
    ("min", "the smallest value; with ``dim``, ``(values, indices)``; with a tensor, the "
     "elementwise minimum", f"torch.min({_X}, dim=0)[1].tolist()", "[0, 1]"),
    ("amax", "the largest values over ``dim`` (values only)",
     f"torch.amax({_X}, dim=1).tolist()", "[5.0, 7.0]"),
    ("amin", "the smallest values over ``dim`` (values only)",
     f"torch.amin({_X}, dim=1).tolist()", "[1.0, 2.0]"),
    ("argmax", "the index of the largest value along ``dim`` (flattened when None)",
     f"torch.argmax({_X}, dim=1).tolist()", "[1, 0]"),
    ("argmin", "the index of the smallest value along ``dim`` (flattened when None)",
     f"torch.argmin({_X}).item()", "0"),
    ("std", "the standard deviation, unbiased by default (``correction=1``)",
     "torch.std(torch.tensor([1.0, 2.0, 3.0])).item()", "1.0"),
    ("var", "the variance, unbiased by default (``correction=1``)",
     "f'{torch.var(torch.tensor([1.0, 2.0, 3.0]), unbiased=False).item():.4f}'", "'0.6667'"),
    ("all", "True where every element (over ``dim``) is non-zero",
     "torch.all(torch.tensor([True, False])).item()", "False"),
    ("any", "True where some element (over ``dim``) is non-zero",
     "torch.any(torch.tensor([[True, False]]), dim=1).tolist()", "[True]"),
    ("logsumexp", "``log(sum(exp(input)))`` over ``dim``, computed stably",
     "f'{torch.logsumexp(torch.zeros(2), dim=0).item():.4f}'", "'0.6931'"),
    ("cumsum", "the running sum along ``dim``",
     f"torch.cumsum({_X}, dim=1).tolist()", "[[1.0, 6.0], [7.0, 9.0]]"),
    ("cumprod", "the running product along ``dim``",
     f"torch.cumprod({_X}, dim=0).tolist()", "[[1.0, 5.0], [7.0, 10.0]]"),
    ("norm", "the ``p``-norm: of all elements without ``dim``, along ``dim`` otherwise",
     "torch.norm(torch.tensor([[3.0, 0.0], [0.0, 4.0]])).item()", "5.0"),
    ("count_nonzero", "the number of non-zero elements (over ``dim``)",
     "torch.count_nonzero(torch.tensor([[0, 1], [2, 3]]), dim=0).tolist()", "[1, 2]"),
    ("sort", "``(values, indices)`` sorted along ``dim``, ascending unless ``descending``",
     "torch.sort(torch.tensor([3, 1, 2]), descending=True).values.tolist()", "[3, 2, 1]"),
    ("argsort", "the indices that sort along ``dim``",
     "torch.argsort(torch.tensor([3, 1, 2])).tolist()", "[1, 2, 0]"),
    ("topk", "``(values, indices)`` of the ``k`` largest along ``dim``",
     "torch.topk(torch.tensor([1.0, 9.0, 4.0]), 2).indices.tolist()", "[1, 2]"),
    ("median", "the lower median (the ``(n - 1) // 2``-th smallest, not NumPy's mean of the "
     "two middle values); with ``dim``, ``(values, indices)``",
     "torch.median(torch.tensor([4.0, 1.0, 3.0, 2.0])).item()", "2.0"),
    ("kthvalue", "``(values, indices)`` of the ``k``-th smallest (1-based) along ``dim``",
     "torch.kthvalue(torch.tensor([5.0, 1.0, 3.0]), 2).values.item()", "3.0"),
    ("unique", "the distinct values (sorted), and optionally the inverse indices and counts",
     "torch.unique(torch.tensor([3, 1, 3]), return_counts=True)[1].tolist()", "[1, 2]"),
    ("nonzero", "the indices of the non-zero elements, one row each (``as_tuple=True``: "
     "one index tensor per dimension)",
     "torch.nonzero(torch.tensor([[0, 1], [1, 0]])).tolist()", "[[0, 1], [1, 0]]"),
    ("equal", "True (a Python bool) when both have the same shape and elements",
     "torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2]))", "True"),
    ("allclose", "True (a Python bool) when every element is close: "
     "``|input - other| <= atol + rtol * |other|``",
     "torch.allclose(torch.tensor([1.0]), torch.tensor([1.0 + 1e-7]))", "True"),
])
globals().update(DELEGATED)
__test__ = dict(DELEGATED)

__all__ = [*DELEGATED, "std_mean", "var_mean", "aminmax", "nansum", "nanmean", "quantile",
           "dist", "argwhere", "searchsorted"]

_MinMax = collections.namedtuple("aminmax", ["min", "max"])


def _mean_like(input, args, kwargs):
    dim = kwargs.get("dim", args[0] if args and not isinstance(args[0], bool) else None)
    return DELEGATED["mean"](input, dim=dim, keepdim=kwargs.get("keepdim", False))


def std_mean(input, *args, **kwargs):
    """``(torch.std(input, ...), torch.mean(input, dim, keepdim))``.

    Example:
        >>> import ndgrad.torch as torch
        >>> [f"{t.item():.4f}" for t in torch.std_mean(torch.tensor([1.0, 3.0]))]
        ['1.4142', '2.0000']
    """
    return DELEGATED["std"](input, *args, **kwargs), _mean_like(input, args, kwargs)


def var_mean(input, *args, **kwargs):
    """``(torch.var(input, ...), torch.mean(input, dim, keepdim))``.

    Example:
        >>> import ndgrad.torch as torch
        >>> [t.item() for t in torch.var_mean(torch.tensor([1.0, 3.0]))]
        [2.0, 2.0]
    """
    return DELEGATED["var"](input, *args, **kwargs), _mean_like(input, args, kwargs)


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


def aminmax(input, *, dim=None, keepdim=False):
    """``(min, max)`` over ``dim`` (all elements when None), values only.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.aminmax(torch.tensor([[1, 5], [7, 2]]), dim=1).max.tolist()
        [5, 7]
    """
    x = as_tensor(input)
    return _MinMax(x.amin(dim=dim, keepdim=keepdim), x.amax(dim=dim, keepdim=keepdim))


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """The sum over ``dim`` with NaN counted as zero.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.nansum(torch.tensor([1.0, float("nan"), 2.0])).item()
        3.0
    """
    axis = tuple(dim) if isinstance(dim, (list, tuple)) else dim
    return ops.nansum(input, axis=axis, keepdims=keepdim, dtype=dtype)


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """The mean over ``dim`` of the elements that are not NaN.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.nanmean(torch.tensor([1.0, float("nan"), 3.0])).item()
        2.0
    """
    axis = tuple(dim) if isinstance(dim, (list, tuple)) else dim
    return ops.nanmean(input, axis=axis, keepdims=keepdim, dtype=dtype)


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The ``q``-quantile(s) over ``dim`` (of all elements when None).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.quantile(torch.tensor([1.0, 2.0, 3.0, 4.0]), 0.5).item()
        2.5
    """
    if isinstance(q, Tensor):
        q = q.detach().numpy()
    return ops.quantile(input, q, axis=dim, keepdims=keepdim, method=interpolation)


def dist(input, other, p=2):
    """The ``p``-norm of ``input - other``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.dist(torch.tensor([1.0, 1.0]), torch.tensor([4.0, 5.0])).item()
        5.0
    """
    return as_tensor(ops.subtract(input, other)).norm(p)
