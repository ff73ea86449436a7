"""Sorting and order statistics: ``sort``, ``partition``, ``unique``,
``median``, ``quantile``/``percentile``, ``ptp``, the NaN-ignoring reductions,
and the index-valued ``argsort``/``argpartition``/``searchsorted``.

``sort`` and ``partition`` gather the input through the permutation NumPy
chooses, so the gradient scatters back through it. ``median`` and
``quantile`` are piecewise linear in the input: the gradient goes to the one
or two order statistics they interpolate, shared equally between tied
elements. The NaN-ignoring reductions give NaN positions a zero gradient.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([3.0, 1.0, 2.0])
    >>> (ndgrad.sort(x) * ndgrad.tensor([1.0, 10.0, 100.0])).sum().backward()
    >>> x.grad.tolist()
    [100.0, 1.0, 10.0]
"""

import warnings

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from ..autograd.primitive import as_input, data_of, nondifferentiable, primitive
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from . import reduce as reductions
from .complex_numbers import differentiates_complex
from .index import take
from .nested import holds_tensor
from .selection import where
from .shape import ravel

__all__ = ["sort", "argsort", "partition", "argpartition", "searchsorted", "unique", "median",
           "quantile", "percentile", "ptp", "nanmax", "nanmin", "nansum", "nanmean"]


def _along(name, a, axis):
    """``a`` as a tensor and ``axis`` checked (the flattened tensor when None)."""
    x = as_tensor(a)
    if axis is None:
        return ravel(x), 0
    return x, _reduction_axes(name, x, axis)[0]


def _refuse_order(name, order):
    if order is not None:
        raise ValueError(f"{name}: order= (fields of structured arrays) is not supported")


@primitive(name="permute", reads=())
def _permute(x, order, axis):
    return np.take_along_axis(x, order, axis=axis)


@_permute.defvjp
def _permute_vjp(g, out, x, order, axis):
    return _unpermute(g, order=order, axis=axis)


@primitive(name="unpermute", reads=())
def _unpermute(g, order, axis):
    """The inverse of ``_permute``: ``order`` is a permutation along ``axis``,
    so every position is written exactly once (no accumulation needed)."""
    out = np.empty_like(g)
    np.put_along_axis(out, order, g, axis=axis)
    return out


@_unpermute.defvjp
def _unpermute_vjp(gg, out, g, order, axis):
    return _permute(gg, order=order, axis=axis)


@implements(np.sort)
def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """The values sorted along ``axis`` (of the flattened tensor when None);
    the gradient goes back to where each value came from.

    Example:
        >>> import ndgrad
        >>> ndgrad.sort(ndgrad.tensor([[3.0, 1.0], [0.0, 2.0]])).tolist()
        [[1.0, 3.0], [0.0, 2.0]]
    """
    _refuse_order("sort", order)
    x, axis = _along("sort", a, axis)
    permutation = np.argsort(x._data, axis=axis, kind=kind, stable=stable)
    return _permute(x, order=permutation, axis=axis)


_argsort = nondifferentiable(np.argsort, "argsort")


@implements(np.argsort)
def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """The indices that sort ``a`` along ``axis`` (integers, no gradient).

    Example:
        >>> import ndgrad
        >>> ndgrad.argsort(ndgrad.tensor([3.0, 1.0, 2.0])).tolist()
        [1, 2, 0]
    """
    _refuse_order("argsort", order)
    return _argsort(a, axis=axis, kind=kind, stable=stable)


@implements(np.partition)
def partition(a, kth, axis=-1, kind="introselect", order=None):
    """The values rearranged so the ``kth`` element is where sorting would put
    it, smaller ones before and larger ones after; differentiable.

    Example:
        >>> import ndgrad
        >>> ndgrad.partition(ndgrad.tensor([3.0, 1.0, 2.0]), 0)[0].item()
        1.0
    """
    _refuse_order("partition", order)
    x, axis = _along("partition", a, axis)
    kth = data_of(as_input(kth))
    try:
        permutation = np.argpartition(x._data, kth, axis=axis, kind=kind)
    except ValueError as exc:
        raise shape_error("partition", [x], str(exc)) from None
    return _permute(x, order=permutation, axis=axis)


_argpartition = nondifferentiable(np.argpartition, "argpartition")


@implements(np.argpartition)
def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    """The indices that partition ``a`` around ``kth`` (integers, no gradient).

    Example:
        >>> import ndgrad
        >>> ndgrad.argpartition(ndgrad.tensor([3.0, 1.0, 2.0]), 0)[0].item()
        1
    """
    _refuse_order("argpartition", order)
    return _argpartition(a, data_of(as_input(kth)), axis=axis, kind=kind)


_searchsorted = nondifferentiable(np.searchsorted, "searchsorted")


@implements(np.searchsorted)
def searchsorted(a, v, side="left", sorter=None):
    """Where ``v`` would be inserted into the sorted ``a`` (integers, no gradient).

    Example:
        >>> import ndgrad
        >>> ndgrad.searchsorted(ndgrad.tensor([1.0, 2.0, 3.0]), 2.5).item()
        2
    """
    return _searchsorted(a, v, side=side, sorter=data_of(as_input(sorter)))


@primitive(name="unique", reads=())
def _unique_values(x, first, inverse, counts, axis):
    if axis is None:
        return np.take(x.reshape(-1), first)
    return np.take(x, first, axis=axis)


@_unique_values.defvjp
def _unique_values_vjp(g, out, x, first, inverse, counts, axis):
    along = 0 if axis is None else axis
    shape = [1] * g.ndim
    shape[along] = counts.size
    share = g / counts.astype(g.dtype).reshape(shape)
    return take(share, inverse, axis=along).reshape(x.shape)


differentiates_complex(_unique_values)      # a gather with real weights


@implements(np.unique)
def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
           equal_nan=True, sorted=True):
    """The distinct values (or slices along ``axis``), as ``numpy.unique``.

    The values are differentiable: each carries the gradient back to the
    elements equal to it, shared equally between repeats. The indices,
    inverse and counts are integers without gradient.

    Example:
        >>> import ndgrad
        >>> values, counts = ndgrad.unique(ndgrad.tensor([2.0, 1.0, 2.0]), return_counts=True)
        >>> values.tolist(), counts.tolist()
        ([1.0, 2.0], [1, 2])
    """
    x = as_tensor(ar)
    try:
        _, first, inverse, counts = np.unique(
            x._data, return_index=True, return_inverse=True, return_counts=True, axis=axis,
            equal_nan=equal_nan, sorted=sorted)
    except ValueError as exc:
        raise shape_error("unique", [x], str(exc)) from None
    along = None if axis is None else normalize_axis_tuple(axis, x.ndim)[0]
    values = _unique_values(x, first=first, inverse=inverse.reshape(-1), counts=counts,
                            axis=along)
    extras = [array for wanted, array in ((return_index, first), (return_inverse, inverse),
                                          (return_counts, counts)) if wanted]
    return (values, *map(Tensor._wrap, extras)) if extras else values


def _order_weights(data, fraction, axes):
    """Weights ``w`` of shape ``fraction.shape + data.shape`` such that the
    linear-interpolation quantile at ``fraction`` over ``axes`` is
    ``sum(w * data)``; each order statistic's weight is shared equally by all
    the elements equal to it (ties), NaN elements get none."""
    fraction = np.asarray(fraction, dtype=np.float64)
    last = tuple(range(data.ndim - len(axes), data.ndim))
    moved = np.moveaxis(data, axes, last)
    count = int(np.prod([data.shape[a] for a in axes], dtype=np.int64))
    rows = moved.reshape(moved.shape[:data.ndim - len(axes)] + (count,))
    weights = np.zeros((fraction.size,) + rows.shape, dtype=data.dtype)
    if count:
        position = fraction.reshape(-1) * (count - 1)
        low = np.floor(position).astype(np.intp)
        high = np.minimum(low + 1, count - 1)
        ordered = np.sort(rows, axis=-1)
        for index, share in ((low, 1 - (position - low)), (high, position - low)):
            value = np.moveaxis(ordered[..., index], -1, 0)[..., None]
            hit = rows == value
            tied = np.maximum(hit.sum(axis=-1, keepdims=True), 1)
            weights += share.reshape((-1,) + (1,) * rows.ndim) * hit / tied
    weights = weights.reshape((fraction.size,) + moved.shape)
    weights = np.moveaxis(weights, [1 + a for a in last], [1 + a for a in axes])
    return weights.reshape(fraction.shape + data.shape)


def _order_statistic_vjp(g, x, fraction, axis):
    data = data_of(x)
    axes = tuple(range(data.ndim)) if axis is None else axis
    kept = tuple(1 if i in axes else n for i, n in enumerate(data.shape))
    stacked = np.ndim(fraction)
    weighted = g.reshape(np.shape(fraction) + kept) * _order_weights(data, fraction, axes)
    return weighted.sum(axis=tuple(range(stacked))) if stacked else weighted


@primitive(name="median", reads=(0,))
def _median(x, axis, keepdims):
    return np.median(x, axis=axis, keepdims=keepdims)


@_median.defvjp
def _median_vjp(g, out, x, axis, keepdims):
    return _order_statistic_vjp(g, x, 0.5, axis)


@primitive(name="quantile", reads=(0,))
def _quantile(x, q, axis, keepdims):
    return np.quantile(x, q, axis=axis, keepdims=keepdims)


@_quantile.defvjp
def _quantile_vjp(g, out, x, q, axis, keepdims):
    return _order_statistic_vjp(g, x, q, axis)


@primitive(name="percentile", reads=(0,))
def _percentile(x, q, axis, keepdims):
    return np.percentile(x, q, axis=axis, keepdims=keepdims)


@_percentile.defvjp
def _percentile_vjp(g, out, x, q, axis, keepdims):
    return _order_statistic_vjp(g, x, np.asarray(q, dtype=np.float64) / 100, axis)


def _reduction_axes(name, x, axis):
    if axis is None:
        return None
    try:
        return normalize_axis_tuple(axis, x.ndim)
    except ValueError as exc:
        raise shape_error(name, [x], str(exc)) from None


def _refuse_extras(name, out, method="linear", weights=None):
    if out is not None:
        raise TypeError(f"{name}: out= cannot be recorded; assign the result instead")
    if method != "linear":
        raise ValueError(f"{name}: only method='linear' is supported, got {method!r}")
    if weights is not None:
        raise ValueError(f"{name}: weights= is not supported")


@implements(np.median)
def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median over ``axis`` (the mean of the two middle values for an even
    count); tied middle values share the gradient equally.

    Example:
        >>> import ndgrad
        >>> ndgrad.median(ndgrad.tensor([4.0, 1.0, 2.0, 8.0])).item()
        3.0
    """
    _refuse_extras("median", out)
    x = as_tensor(a)
    return _median(x, axis=_reduction_axes("median", x, axis), keepdims=keepdims)


def _levels(name, q, x):
    """``q`` as a constant array in ``x``'s float dtype (no gradient flows to it)."""
    q = q if isinstance(q, (list, tuple)) and not holds_tensor(q) else as_input(q)
    if isinstance(q, Tensor) and q.requires_grad:
        raise TypeError(f"{name}: q is a constant here and would get no gradient; pass "
                        "q.detach() to use its value")
    levels = np.asarray(data_of(q))     # a list of floats stays float64 until cast to x's
    return levels.astype(x.dtype if x.dtype.kind == "f" else np.float64)


@implements(np.quantile)
def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False, *, weights=None):
    """The ``q``-th quantiles (``q`` in [0, 1]) over ``axis`` by linear
    interpolation; differentiable in ``a`` (``q`` is a constant).

    Example:
        >>> import ndgrad
        >>> ndgrad.quantile(ndgrad.tensor([1.0, 2.0, 3.0, 4.0, 5.0]), [0.25, 0.5]).tolist()
        [2.0, 3.0]
    """
    _refuse_extras("quantile", out, method, weights)
    x = as_tensor(a)
    axis = _reduction_axes("quantile", x, axis)
    return _quantile(x, q=_levels("quantile", q, x), axis=axis, keepdims=keepdims)


@implements(np.percentile)
def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None):
    """The ``q``-th percentiles (``q`` in [0, 100]) over ``axis`` by linear
    interpolation; differentiable in ``a`` (``q`` is a constant).

    Example:
        >>> import ndgrad
        >>> ndgrad.percentile(ndgrad.tensor([1.0, 2.0, 3.0, 4.0, 5.0]), 75).item()
        4.0
    """
    _refuse_extras("percentile", out, method, weights)
    x = as_tensor(a)
    axis = _reduction_axes("percentile", x, axis)
    return _percentile(x, q=_levels("percentile", q, x), axis=axis, keepdims=keepdims)


@implements(np.ptp)
def ptp(a, axis=None, out=None, keepdims=False):
    """Peak to peak: ``max - min`` over ``axis``; ties share the gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.ptp(ndgrad.tensor([[1.0, 5.0], [2.0, 3.0]]), axis=1).tolist()
        [4.0, 1.0]
    """
    _refuse_extras("ptp", out)
    return (reductions.max(a, axis=axis, keepdims=keepdims)
            - reductions.min(a, axis=axis, keepdims=keepdims))


def _nan_extremum(name, extremum, fill, a, axis, out, keepdims):
    _refuse_extras(name, out)
    x = as_tensor(a)
    axis = _reduction_axes(name, x, axis)
    if x.dtype.kind != "f":
        return extremum(x, axis=axis, keepdims=keepdims)
    missing = np.isnan(x._data)
    result = extremum(where(missing, fill, x), axis=axis, keepdims=keepdims)
    empty = missing.all(axis=axis, keepdims=keepdims)
    if empty.any():
        warnings.warn(f"{name}: All-NaN slice encountered", RuntimeWarning, stacklevel=3)
        result = where(empty, np.nan, result)
    return result


@implements(np.nanmax)
def nanmax(a, axis=None, out=None, keepdims=False):
    """The maximum over ``axis`` ignoring NaN (NaN where all are NaN); NaN
    positions get no gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.nanmax(ndgrad.tensor([1.0, float("nan"), 3.0])).item()
        3.0
    """
    return _nan_extremum("nanmax", reductions.max, -np.inf, a, axis, out, keepdims)


@implements(np.nanmin)
def nanmin(a, axis=None, out=None, keepdims=False):
    """The minimum over ``axis`` ignoring NaN (NaN where all are NaN); NaN
    positions get no gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.nanmin(ndgrad.tensor([1.0, float("nan"), 3.0])).item()
        1.0
    """
    return _nan_extremum("nanmin", reductions.min, np.inf, a, axis, out, keepdims)


@implements(np.nansum)
def nansum(a, axis=None, dtype=None, out=None, keepdims=False):
    """The sum over ``axis`` treating NaN as zero; NaN positions get no gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.nansum(ndgrad.tensor([1.0, float("nan"), 3.0])).item()
        4.0
    """
    _refuse_extras("nansum", out)
    x = as_tensor(a)
    if x.dtype.kind == "f":
        x = where(np.isnan(x._data), 0, x)
    return reductions.sum(x, axis=_reduction_axes("nansum", x, axis), keepdims=keepdims,
                          dtype=dtype)


@implements(np.nanmean)
def nanmean(a, axis=None, dtype=None, out=None, keepdims=False):
    """The mean over ``axis`` of the non-NaN elements (NaN where there are
    none); NaN positions get no gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.nanmean(ndgrad.tensor([1.0, float("nan"), 3.0])).item()
        2.0
    """
    _refuse_extras("nanmean", out)
    x = as_tensor(a)
    if dtype is not None:
        x = x.astype(dtype)
    axis = _reduction_axes("nanmean", x, axis)
    if x.dtype.kind != "f":
        return reductions.mean(x, axis=axis, keepdims=keepdims)
    present = ~np.isnan(x._data)
    total = reductions.sum(where(present, x, 0), axis=axis, keepdims=keepdims)
    count = present.sum(axis=axis, keepdims=keepdims).astype(x.dtype)
    if (count == 0).any():
        warnings.warn("nanmean: Mean of empty slice", RuntimeWarning, stacklevel=2)
    return where(count > 0, total / np.maximum(count, 1), np.nan)


for _index_function in (argsort, argpartition, searchsorted):
    _index_function.differentiable = False   # indices: no gradient by nature
