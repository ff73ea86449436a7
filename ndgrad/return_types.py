"""The named tuples that PyTorch-style methods return: ``(values, indices)`` pairs.

``t.max(dim)``, ``t.min(dim)``, ``t.sort()``, ``t.topk(k)`` and friends return
one of these: a tuple that unpacks (``values, indices = t.max(1)``), indexes
(``t.max(1)[1]``) and names its fields (``t.max(1).indices``), as
``torch.return_types`` does.

Example:
    >>> import ndgrad
    >>> result = ndgrad.tensor([[1.0, 5.0], [3.0, 2.0]]).max(dim=1)
    >>> result.values.tolist(), result.indices.tolist()
    ([5.0, 3.0], [1, 0])
    >>> values, indices = result
    >>> type(result).__name__, indices.tolist() == result[1].tolist()
    ('max', True)
"""

from collections import namedtuple

__all__ = ["max", "min", "sort", "topk", "kthvalue", "median"]

max = namedtuple("max", ["values", "indices"])              # noqa: A001
max.__doc__ = "``(values, indices)`` of ``t.max(dim)``."
min = namedtuple("min", ["values", "indices"])              # noqa: A001
min.__doc__ = "``(values, indices)`` of ``t.min(dim)``."
sort = namedtuple("sort", ["values", "indices"])
sort.__doc__ = "``(values, indices)`` of ``t.sort(dim)``."
topk = namedtuple("topk", ["values", "indices"])
topk.__doc__ = "``(values, indices)`` of ``t.topk(k, dim)``."
kthvalue = namedtuple("kthvalue", ["values", "indices"])
kthvalue.__doc__ = "``(values, indices)`` of ``t.kthvalue(k, dim)``."
median = namedtuple("median", ["values", "indices"])
median.__doc__ = "``(values, indices)`` of ``t.median(dim)``."
