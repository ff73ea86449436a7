"""Numerical calculus on tensors: ``gradient`` (finite differences),
``trapezoid`` (integration) and ``cumulative_sum``/``cumulative_prod``.

All are compositions of differentiable ops, so gradients reach the sampled
values *and* the spacings or coordinates when those are tensors. With
coordinate arrays ``gradient`` always uses NumPy's non-uniform formula (NumPy
switches to the uniform one when the spacings happen to be equal; the values
agree, but only the non-uniform form has the right derivative with respect to
each coordinate).

Example:
    >>> import ndgrad
    >>> y = ndgrad.Variable([0.0, 1.0, 4.0, 9.0])
    >>> ndgrad.trapezoid(y).backward()
    >>> y.grad.tolist()
    [0.5, 1.0, 1.0, 0.5]
"""

import numpy as np

from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .index import getitem
from .join import concatenate
from .reduce import cumprod, cumsum, sum as _sum
from .shape import reshape

__all__ = ["gradient", "trapezoid", "cumulative_sum", "cumulative_prod"]


def _along(x, axis, piece):
    """``x[..., piece, ...]`` with ``piece`` (a slice or int) on ``axis``."""
    return getitem(x, (slice(None),) * axis + (piece,))


def _on_axis(values, axis, ndim):
    """A 1-D sequence shaped to broadcast along ``axis`` of an ``ndim`` array."""
    shape = [1] * ndim
    shape[axis] = -1
    return reshape(values, tuple(shape))


def _spacing(name, value, axis, f):
    """A scalar spacing stays a scalar; coordinates become per-axis differences."""
    value = value if isinstance(value, Tensor) else np.asarray(value)
    if value.ndim == 0:       # a number keeps f's dtype, as NumPy divides in place
        return (value if isinstance(value, Tensor) else value.item()), False
    if value.ndim != 1:
        raise ValueError(f"{name}: distances must be scalars or 1-D coordinates, got shape "
                         f"{tuple(value.shape)}")
    if value.shape[0] != f.shape[axis]:
        raise ValueError(f"{name}: the coordinates for axis {axis} have length "
                         f"{value.shape[0]}, which does not match the axis length "
                         f"{f.shape[axis]}")
    if not isinstance(value, Tensor) and value.dtype.kind in "iub":
        value = value.astype(np.float64)
    coordinates = as_tensor(value)
    differences = getitem(coordinates, slice(1, None)) - getitem(coordinates, slice(-1))
    return _on_axis(differences, axis, f.ndim), True


def _uniform(f, axis, h, edge_order):
    at = lambda piece: _along(f, axis, piece)   # noqa: E731
    interior = (at(slice(2, None)) - at(slice(None, -2))) / (2.0 * h)
    if edge_order == 1:
        first = (at(slice(1, 2)) - at(slice(0, 1))) / h
        last = (at(slice(-1, None)) - at(slice(-2, -1))) / h
    else:
        first = (-1.5 * at(slice(0, 1)) + 2.0 * at(slice(1, 2)) - 0.5 * at(slice(2, 3))) / h
        last = (0.5 * at(slice(-3, -2)) - 2.0 * at(slice(-2, -1))
                + 1.5 * at(slice(-1, None))) / h
    return concatenate([first, interior, last], axis=axis)


def _nonuniform(f, axis, dx, edge_order):
    at = lambda piece: _along(f, axis, piece)          # noqa: E731
    step = lambda piece: _along(dx, axis, piece)       # noqa: E731
    dx1, dx2 = step(slice(None, -1)), step(slice(1, None))
    a = -dx2 / (dx1 * (dx1 + dx2))
    b = (dx2 - dx1) / (dx1 * dx2)
    c = dx1 / (dx2 * (dx1 + dx2))
    interior = a * at(slice(None, -2)) + b * at(slice(1, -1)) + c * at(slice(2, None))
    if edge_order == 1:
        first = (at(slice(1, 2)) - at(slice(0, 1))) / step(slice(0, 1))
        last = (at(slice(-1, None)) - at(slice(-2, -1))) / step(slice(-1, None))
    else:
        d1, d2 = step(slice(0, 1)), step(slice(1, 2))
        first = (-(2.0 * d1 + d2) / (d1 * (d1 + d2)) * at(slice(0, 1))
                 + (d1 + d2) / (d1 * d2) * at(slice(1, 2))
                 - d1 / (d2 * (d1 + d2)) * at(slice(2, 3)))
        d1, d2 = step(slice(-2, -1)), step(slice(-1, None))
        last = (d2 / (d1 * (d1 + d2)) * at(slice(-3, -2))
                - (d2 + d1) / (d1 * d2) * at(slice(-2, -1))
                + (2.0 * d2 + d1) / (d2 * (d1 + d2)) * at(slice(-1, None)))
    return concatenate([first, interior, last], axis=axis)


@implements(np.gradient)
def gradient(f, *varargs, axis=None, edge_order=1):
    """The gradient of sampled values by second-order central differences
    inside and first- or second-order (``edge_order``) one-sided differences
    at the ends, as ``numpy.gradient``. ``varargs`` are the spacings: none
    (1), one scalar for every axis, or one scalar or 1-D coordinate array per
    axis. Returns one tensor per axis (a tuple when there are several).

    Example:
        >>> import ndgrad
        >>> ndgrad.gradient(ndgrad.tensor([1.0, 2.0, 4.0, 7.0]), 2.0).tolist()
        [0.5, 0.75, 1.25, 1.5]
    """
    f = as_tensor(f)
    if f.dtype.kind != "f":
        f = f.astype(np.float64)       # NumPy differentiates integers in float64
    n = f.ndim
    if axis is None:
        axes = tuple(range(n))
    else:
        axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
        if any(not -n <= a < n for a in axes):
            raise np.exceptions.AxisError(f"gradient: axis {axis} is out of bounds for a "
                                          f"tensor of dimension {n}")
        axes = tuple(int(a) % n for a in axes)
        if len(set(axes)) != len(axes):
            raise ValueError(f"gradient: repeated axis in {axis}")
    if len(varargs) == 0:
        spacings = [1.0] * len(axes)
    elif len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        spacings = list(varargs) * len(axes)
    elif len(varargs) == len(axes):
        spacings = list(varargs)
    else:
        raise TypeError(f"gradient: give no spacing, one scalar, or one per axis ({len(axes)}); "
                        f"got {len(varargs)}")
    if edge_order not in (1, 2):
        raise ValueError(f"gradient: edge_order must be 1 or 2, got {edge_order!r}")
    results = []
    for ax, spacing in zip(axes, spacings):
        if f.shape[ax] < edge_order + 1:
            raise shape_error("gradient", [f], f"axis {ax} has {f.shape[ax]} samples; "
                              f"edge_order={edge_order} needs at least {edge_order + 1}")
        step, is_array = _spacing("gradient", spacing, ax, f)
        results.append(_nonuniform(f, ax, step, edge_order) if is_array
                       else _uniform(f, ax, step, edge_order))
    return results[0] if len(results) == 1 else tuple(results)


@implements(np.trapezoid)
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of ``y`` along ``axis`` by the trapezoidal rule, with
    sample points ``x`` (1-D or shaped as ``y``) or the constant spacing ``dx``.

    Example:
        >>> import ndgrad
        >>> ndgrad.trapezoid(ndgrad.tensor([1.0, 2.0, 3.0]), x=[0.0, 1.0, 3.0]).item()
        6.5
    """
    y = as_tensor(y)
    if y.ndim == 0:
        raise shape_error("trapezoid", [y], "needs a tensor of 1 or more dimensions")
    if not -y.ndim <= axis < y.ndim:
        raise np.exceptions.AxisError(f"trapezoid: axis {axis} is out of bounds for a tensor "
                                      f"of dimension {y.ndim}")
    axis = axis % y.ndim
    if x is None:
        d = dx
    else:
        x = x if isinstance(x, Tensor) else as_tensor(np.asarray(x, dtype=np.result_type(
            np.asarray(x).dtype, y.dtype)))
        if x.ndim == 1:
            d = _on_axis(getitem(x, slice(1, None)) - getitem(x, slice(-1)), axis, y.ndim)
        else:
            x_axis = axis - y.ndim + x.ndim
            d = _along(x, x_axis, slice(1, None)) - _along(x, x_axis, slice(-1))
    pairs = _along(y, axis, slice(1, None)) + _along(y, axis, slice(-1))
    return _sum(d * pairs / 2.0, axis=axis)


def _cumulative(name, step, identity, x, axis, dtype, include_initial):
    x = as_tensor(x)
    if axis is None:
        if x.ndim > 1:
            raise ValueError(f"{name}: axis must be given for a tensor of more than one "
                             f"dimension (shape {x.shape})")
        axis = 0
    if x.ndim == 0:
        raise shape_error(name, [x], "needs a tensor of 1 or more dimensions")
    if not -x.ndim <= axis < x.ndim:
        raise np.exceptions.AxisError(f"{name}: axis {axis} is out of bounds for a tensor of "
                                      f"dimension {x.ndim}")
    if dtype is not None:
        x = x.astype(dtype)
    axis = axis % x.ndim
    out = step(x, axis=axis)
    if include_initial:
        shape = x.shape[:axis] + (1,) + x.shape[axis + 1:]
        start = as_tensor(np.full(shape, identity, dtype=out.dtype))
        out = concatenate([start, out], axis=axis)
    return out


@implements(np.cumulative_sum)
def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False):
    """The running sum along ``axis`` (the array API's ``cumsum``), starting
    with 0 when ``include_initial``.

    Example:
        >>> import ndgrad
        >>> ndgrad.cumulative_sum(ndgrad.tensor([1.0, 2.0]), include_initial=True).tolist()
        [0.0, 1.0, 3.0]
    """
    return _cumulative("cumulative_sum", cumsum, 0, x, axis, dtype, include_initial)


@implements(np.cumulative_prod)
def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False):
    """The running product along ``axis`` (the array API's ``cumprod``),
    starting with 1 when ``include_initial``.

    Example:
        >>> import ndgrad
        >>> ndgrad.cumulative_prod(ndgrad.tensor([2.0, 3.0]), include_initial=True).tolist()
        [1.0, 2.0, 6.0]
    """
    return _cumulative("cumulative_prod", cumprod, 1, x, axis, dtype, include_initial)

