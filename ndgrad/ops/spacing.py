"""``linspace``, ``geomspace`` and ``logspace`` with tensor endpoints: the
samples are differentiable functions of ``start`` and ``stop`` (and ``base``).

``linspace(a, b, num)[i] = a + (b - a) * i / (num - 1)``, so the gradient of
sample ``i`` is ``1 - i / (num - 1)`` to ``a`` and ``i / (num - 1)`` to ``b``;
the last sample is ``stop`` itself, exactly as NumPy writes it. With numbers
for both ends these are NumPy's own functions (``ndgrad.linspace`` makes a
float32 leaf, as before).

Example:
    >>> import numpy as np, ndgrad
    >>> a, b = ndgrad.Variable(0.0), ndgrad.Variable(1.0)
    >>> np.linspace(a, b, 5).sum().backward()
    >>> a.grad.item(), b.grad.item()
    (2.5, 2.5)
"""

import numpy as np

from ..autograd.primitive import data_of
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .arithmetic import power
from .elementwise import abs as _abs, exp, log, sign
from .join import concatenate
from .index import getitem
from .shape import broadcast_to, expand_dims, moveaxis, reshape

__all__ = ["geomspace", "logspace"]


def _has_tensor(*values):
    return any(isinstance(v, Tensor) for v in values)


def _ends(start, stop):
    start, stop = as_tensor(start), as_tensor(stop)
    if start.dtype.kind != "f" and stop.dtype.kind != "f":
        start = start.astype(np.float64)
    return start, stop


def _shape(start, stop):
    return np.broadcast_shapes(start.shape, stop.shape)


def _ndmin(x, ndim):
    return reshape(x, (1,) * (ndim - x.ndim) + x.shape)


def _finish(y, axis, dtype):
    if axis != 0:
        y = moveaxis(y, 0, axis)
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype.kind in "iu":
            from .elementwise import floor
            y = floor(y)
        y = y.astype(dtype)
    return y


def differentiable_linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None,
                            axis=0):
    """``numpy.linspace`` with tensor ends; see the module docstring.

    Example:
        >>> from ndgrad.ops.spacing import differentiable_linspace
        >>> import ndgrad
        >>> differentiable_linspace(ndgrad.tensor(0.0), 2.0, 3).tolist()
        [0.0, 1.0, 2.0]
    """
    num = int(num)
    if num < 0:
        raise ValueError(f"linspace: the number of samples must be non-negative, got {num}")
    start, stop = _ends(start, stop)
    divisions = num - 1 if endpoint else num
    ndim = max(start.ndim, stop.ndim)
    fraction = np.arange(num, dtype=np.float64).reshape((-1,) + (1,) * ndim)
    fraction = fraction / divisions if divisions > 0 else fraction * np.nan
    delta = stop - start
    step = delta / divisions if divisions > 0 else delta * np.nan
    dtype_of = np.result_type(data_of(start), data_of(stop), 1.0)
    fraction = fraction.astype(dtype_of)
    if num == 1:
        y = expand_dims(broadcast_to(start, _shape(start, stop)), 0)
    else:
        y = start + delta * fraction
        if endpoint and num > 1:
            shape = (1,) + y.shape[1:]
            y = concatenate([getitem(y, slice(None, -1)),
                             reshape(broadcast_to(stop, shape[1:]), shape)], axis=0)
    y = _finish(y, axis % (y.ndim) if y.ndim else 0, dtype)
    return (y, step) if retstep else y


@implements(np.geomspace)
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """``num`` samples evenly spaced on a log scale from ``start`` to ``stop``
    (same sign, not zero), differentiable in both ends.

    Example:
        >>> import ndgrad
        >>> [round(v, 4) for v in ndgrad.geomspace(ndgrad.tensor(1.0), 100.0, 3).tolist()]
        [1.0, 10.0, 100.0]
    """
    start, stop = _ends(start, stop)
    if np.any(data_of(start) == 0) or np.any(data_of(stop) == 0):
        raise ValueError("geomspace: start and stop must not be zero")
    if np.any(np.sign(data_of(start)) != np.sign(data_of(stop))):
        raise ValueError("geomspace: start and stop must have the same sign (no complex "
                         "results on tensors)")
    direction = sign(start)
    y = exp(differentiable_linspace(log(_abs(start)), log(_abs(stop)), num,
                                    endpoint=endpoint)) * direction
    if num > 0:        # the ends exactly, as NumPy writes them
        ends = _shape(start, stop)
        pieces = [expand_dims(broadcast_to(start, ends), 0)]
        inner_end = -1 if (endpoint and num > 1) else None
        if num > 1:
            pieces.append(getitem(y, slice(1, inner_end)))
            if endpoint:
                pieces.append(expand_dims(broadcast_to(stop, ends), 0))
        y = concatenate(pieces, axis=0)
    return _finish(y, axis % y.ndim, dtype)


@implements(np.logspace)
def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """``base ** linspace(start, stop, num)``, differentiable in ``start``,
    ``stop`` and ``base``.

    Example:
        >>> import ndgrad
        >>> ndgrad.logspace(ndgrad.tensor(0.0), 2.0, 3).tolist()
        [1.0, 10.0, 100.0]
    """
    if np.ndim(data_of(base)) > 0:      # as NumPy: every argument to the same ndim
        ndmax = max(np.ndim(data_of(v)) for v in (start, stop, base))
        start, stop, base = (_ndmin(as_tensor(v), ndmax) for v in (start, stop, base))
        base = expand_dims(base, axis)
    exponents = differentiable_linspace(start, stop, num, endpoint=endpoint, axis=axis)
    return _finish(power(base, exponents), 0, dtype)


@implements(np.linspace)
def _numpy_linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0,
                    *, device=None):
    return differentiable_linspace(start, stop, num, endpoint, retstep, dtype, axis)
