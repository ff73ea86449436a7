"""NumPy's functions that apply a Python callable: ``apply_along_axis``,
``apply_over_axes`` and ``piecewise``.

The callable runs on tensor slices of the input, so whatever ndgrad ops it
uses are recorded and gradients flow through it, as they would through the
same code written out by hand. A callable that leaves ndgrad (converts its
slice to a NumPy array) cuts the gradient there, with the usual warning.

Example:
    >>> import numpy as np, ndgrad
    >>> x = ndgrad.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> y = np.apply_along_axis(lambda row: (row ** 2).sum(), 1, x)
    >>> y.tolist()
    [5.0, 25.0]
    >>> y.sum().backward(); x.grad.tolist()
    [[2.0, 4.0], [6.0, 8.0]]
"""

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..autograd.primitive import as_input, data_of
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .insertion import _gather, _labels
from .join import stack
from .shape import broadcast_to, expand_dims, moveaxis

__all__ = ["apply_along_axis", "apply_over_axes", "piecewise"]


@implements(np.apply_along_axis)
def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """``func1d`` applied to every 1-D slice of ``arr`` along ``axis``; its
    result's axes take the place of ``axis``, as in NumPy.

    Example:
        >>> import ndgrad
        >>> x = ndgrad.tensor([[1.0, 5.0], [3.0, 2.0]])
        >>> ndgrad.apply_along_axis(lambda v: v[::-1], 0, x).tolist()
        [[3.0, 2.0], [1.0, 5.0]]
    """
    x = as_tensor(as_input(arr))
    try:
        axis = normalize_axis_index(axis, x.ndim)
    except (ValueError, TypeError) as exc:
        raise shape_error("apply_along_axis", [x], str(exc)) from None
    moved = moveaxis(x, axis, -1)
    outer = moved.shape[:-1]
    if int(np.prod(outer, dtype=np.int64)) == 0:
        raise ValueError("apply_along_axis: cannot apply the function to 0-sized slices")
    results = [as_tensor(as_input(func1d(moved[index], *args, **kwargs)))
               for index in np.ndindex(*outer)]
    shapes = {r.shape for r in results}
    if len(shapes) != 1:
        raise ValueError(f"apply_along_axis: func1d returned results of different shapes "
                         f"{sorted(shapes)}; every slice must give the same shape")
    result_ndim = results[0].ndim
    joined = stack(results).reshape(outer + results[0].shape)
    positions = list(range(axis, axis + result_ndim))
    return moveaxis(joined, list(range(len(outer), len(outer) + result_ndim)), positions) \
        if result_ndim else joined


@implements(np.apply_over_axes)
def apply_over_axes(func, a, axes):
    """``func(a, axis)`` applied axis after axis; a result with one dimension
    fewer gets it back (size 1), so the rank is kept.

    Example:
        >>> import ndgrad
        >>> x = ndgrad.ones((2, 3, 4))
        >>> ndgrad.apply_over_axes(ndgrad.sum, x, [0, 2]).tolist()
        [[[8.0], [8.0], [8.0]]]
    """
    value = as_tensor(as_input(a))
    for axis in np.atleast_1d(np.asarray(axes)):
        axis = int(axis) + value.ndim if axis < 0 else int(axis)
        result = as_tensor(as_input(func(value, axis)))
        if result.ndim != value.ndim:
            result = expand_dims(result, axis)
            if result.ndim != value.ndim:
                raise ValueError("apply_over_axes: function is not returning an array of "
                                 "the correct shape")
        value = result
    return value


def _conditions(x, condlist):
    data = data_of(condlist) if isinstance(condlist, Tensor) else condlist
    if np.ndim(data) == 0 or (not isinstance(data[0], (list, np.ndarray, Tensor))
                             and x.ndim != 0):
        data = [data]
    return [np.asarray(data_of(c), dtype=bool) for c in data]


@implements(np.piecewise)
def piecewise(x, condlist, funclist, *args, **kw):
    """Where ``condlist[i]`` holds, ``funclist[i]`` of those elements of
    ``x`` (a callable, run on a tensor so its gradient flows) or a constant;
    one extra entry in ``funclist`` covers where no condition holds, and the
    rest is 0. Later conditions win, as in NumPy.

    Example:
        >>> import ndgrad
        >>> x = ndgrad.tensor([-2.0, 3.0])
        >>> ndgrad.piecewise(x, [x.numpy() < 0, x.numpy() >= 0], [lambda v: -v, lambda v: v * 2]).tolist()
        [2.0, 6.0]
    """
    x = as_tensor(as_input(x))
    conditions = _conditions(x, condlist)
    if len(funclist) == len(conditions) + 1:
        conditions.append(~np.any(conditions, axis=0))
    elif len(funclist) != len(conditions):
        raise ValueError(f"piecewise: with {len(conditions)} condition(s), funclist must "
                         f"have {len(conditions)} or {len(conditions) + 1} entries")
    flat = x.reshape(-1)
    chosen = np.zeros(x.shape, dtype=np.intp)          # label 0: the zero default
    pieces = [Tensor._wrap(np.zeros(1, dtype=x.dtype))]
    start = 1
    for condition, function in zip(conditions, funclist):
        condition = np.broadcast_to(condition, x.shape)
        count = int(condition.sum())
        if callable(function):
            if count == 0:
                continue
            piece = function(flat[np.flatnonzero(condition)], *args, **kw)
        else:
            piece = function
        piece = as_tensor(as_input(piece))
        piece = broadcast_to(piece, (count,)) if piece.ndim == 0 or piece.shape != (count,) \
            else piece
        pieces.append(piece)
        chosen[condition] = _labels((count,), start)
        start += count
    return _gather(pieces, chosen, dtype=x.dtype)
