"""The NaN-ignoring order statistics: ``nanmedian``, ``nanquantile``,
``nanpercentile``.

Each is the linear-interpolation quantile of the values that are not NaN, so
it is piecewise linear in them: the gradient goes to the one or two order
statistics it interpolates (shared equally between tied elements), and NaN
elements get none. A slice that is all NaN gives NaN (NumPy warns) and a zero
gradient.

Example:
    >>> import numpy as np, ndgrad
    >>> x = ndgrad.Variable([4.0, float("nan"), 1.0, 2.0])
    >>> np.nanmedian(x).backward()
    >>> x.grad.tolist()
    [0.0, 0.0, 0.0, 1.0]
"""

import numpy as np

from ..autograd.primitive import as_input, data_of, primitive
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .nested import holds_tensor
from .sorting import _reduction_axes as _axes    # quantile's checks, the same rules
from .sorting import _refuse_extras

__all__ = ["nanmedian", "nanquantile", "nanpercentile"]


def _nan_order_weights(data, fraction, axes):
    """Weights ``w`` of shape ``fraction.shape + data.shape`` with
    ``nanquantile(data, fraction, axes) == sum(w * data)`` over the non-NaN
    elements (ties share, NaNs and all-NaN slices get none)."""
    fraction = np.asarray(fraction, dtype=np.float64).reshape(-1)
    last = tuple(range(data.ndim - len(axes), data.ndim))
    moved = np.moveaxis(data, axes, last)
    count = int(np.prod([data.shape[a] for a in axes], dtype=np.int64))
    rows = moved.reshape(moved.shape[:data.ndim - len(axes)] + (count,))
    weights = np.zeros((fraction.size,) + rows.shape, dtype=data.dtype)
    valid = (~np.isnan(rows)).sum(axis=-1)                    # per row
    if count:
        ordered = np.sort(rows, axis=-1)                       # NaNs last
        position = fraction.reshape((-1,) + (1,) * valid.ndim) * np.maximum(valid - 1, 0)
        low = np.floor(position).astype(np.intp)
        high = np.minimum(low + 1, np.maximum(valid - 1, 0))
        for index, share in ((low, 1 - (position - low)), (high, position - low)):
            value = np.take_along_axis(ordered[None], index[..., None], axis=-1)
            hit = (rows[None] == value) & (valid > 0)[None, ..., None]
            tied = np.maximum(hit.sum(axis=-1, keepdims=True), 1)
            weights += share[..., None] * hit / tied
    weights = weights.reshape((fraction.size,) + moved.shape)
    return np.moveaxis(weights, [1 + a for a in last], [1 + a for a in axes])


def _vjp(g, x, fraction, axis):
    data = data_of(x)
    axes = tuple(range(data.ndim)) if axis is None else axis
    kept = tuple(1 if i in axes else n for i, n in enumerate(data.shape))
    weights = _nan_order_weights(data, fraction, axes)
    weighted = g.reshape((weights.shape[0],) + kept) * weights
    return weighted.sum(axis=0)


@primitive(name="nanquantile", reads=(0,))
def _nanquantile(x, q, axis, keepdims, median=False):
    if median:
        return np.nanmedian(x, axis=axis, keepdims=keepdims)
    return np.nanquantile(x, q, axis=axis, keepdims=keepdims)


@_nanquantile.defvjp
def _nanquantile_vjp(g, out, x, q, axis, keepdims, median=False):
    return _vjp(g, x, q, axis)


def _checked(name, a, q, out, method, weights, scale=1.0):
    _refuse_extras(name, out, method, weights)
    q = q if isinstance(q, (list, tuple)) and not holds_tensor(q) else as_input(q)
    if isinstance(q, Tensor) and q.requires_grad:
        raise TypeError(f"{name}: q is a constant here and would get no gradient; pass "
                        "q.detach() to use its value")
    x = as_tensor(a)
    levels = np.asarray(data_of(q), dtype=x.dtype if x.dtype.kind == "f" else np.float64)
    if np.any(levels < 0) or np.any(levels > scale) or np.any(np.isnan(levels)):
        raise ValueError(f"{name}: q must be in [0, {scale:g}], got {levels.tolist()}")
    return x, levels / scale


@implements(np.nanquantile)
def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None):
    """The ``q``-th quantiles (``q`` in [0, 1]) of the non-NaN values over
    ``axis``, by linear interpolation; differentiable in ``a``.

    Example:
        >>> import ndgrad
        >>> ndgrad.nanquantile(ndgrad.tensor([1.0, float("nan"), 3.0]), 0.5).item()
        2.0
    """
    x, levels = _checked("nanquantile", a, q, out, method, weights)
    return _nanquantile(x, q=levels, axis=_axes("nanquantile", x, axis), keepdims=keepdims)


@implements(np.nanpercentile)
def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False, *, weights=None):
    """The ``q``-th percentiles (``q`` in [0, 100]) of the non-NaN values over
    ``axis``, by linear interpolation; differentiable in ``a``.

    Example:
        >>> import ndgrad
        >>> ndgrad.nanpercentile(ndgrad.tensor([1.0, float("nan"), 3.0]), 25).item()
        1.5
    """
    x, levels = _checked("nanpercentile", a, q, out, method, weights, scale=100.0)
    return _nanquantile(x, q=levels, axis=_axes("nanpercentile", x, axis), keepdims=keepdims)


@implements(np.nanmedian)
def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median of the non-NaN values over ``axis``; tied middle values share
    the gradient, NaNs get none.

    Example:
        >>> import ndgrad
        >>> ndgrad.nanmedian(ndgrad.tensor([4.0, float("nan"), 1.0])).item()
        2.5
    """
    x, levels = _checked("nanmedian", a, 0.5, out, "linear", None)
    return _nanquantile(x, q=levels, axis=_axes("nanmedian", x, axis), keepdims=keepdims,
                        median=True)
