"""Dtype casts, copies, ``stop_gradient`` and the in-place operator forms.

A cast between floating and complex dtypes is differentiable (the gradient is
cast back; a real tensor cast to complex gets the real part of the gradient).
A complex tensor cast to a real dtype keeps the real part and warns, as NumPy
and PyTorch do (``ndgrad.real`` says it on purpose, without the warning); its
gradient reaches the real part only. A cast to an integer or boolean dtype cuts
the graph: it is recorded as a gradient break so ``ndgrad.explain`` can point
at the line.

In-place operators (``x += y``) follow PyTorch: on tensors outside the graph
they write into the existing array; on a result in the graph they record the
op (on a view, on its base's graph); on a trainable leaf while recording they
are refused, since the update would be differentiated (``ndgrad.ops.writes``).

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([1.5, 2.5])
    >>> y = x.astype("float64") * 2
    >>> y.sum().backward()
    >>> x.grad.dtype, x.grad.tolist()
    (dtype('float32'), [2.0, 2.0])
"""

import numpy as np

from .._backend import xp
from ..autograd import breaks
from ..autograd.mode import state
from ..autograd.primitive import as_input, primitive
from ..autograd.transform import warn_at_user_line
from ..dtypes import as_dtype
from .complex_numbers import differentiates_complex
from ..tensor import Tensor
from . import writes as _writes

__all__ = ["astype", "copy", "stop_gradient", "inplace"]


@primitive(name="astype", reads=())
def _float_cast(x, dtype):
    if x.dtype.kind == "c" and dtype.kind != "c":
        warn_at_user_line(f"astype: casting complex values to {dtype} discards the imaginary "
                          "part (use ndgrad.real(x) to take the real part on purpose)",
                          ComplexWarning)
        return np.real(x).astype(dtype)
    return x.astype(dtype)


@_float_cast.defvjp
def _float_cast_vjp(g, out, x, dtype):
    return g    # the engine casts it back to x's dtype (the real part for a real x)


ComplexWarning = getattr(np, "exceptions", np).ComplexWarning


def astype(x, dtype, copy=True):
    """``x`` converted to ``dtype``; differentiable between floating and complex dtypes.

    Example:
        >>> import ndgrad
        >>> ndgrad.astype(ndgrad.tensor([1.7]), "int64").tolist()
        [1]
    """
    x = x if isinstance(x, Tensor) else Tensor._wrap(xp.asarray(as_input(x)))
    dtype = as_dtype(dtype)
    if dtype == x.dtype and not copy:
        return x
    if dtype.kind in "fc":
        return _float_cast(x, dtype=dtype)
    if x._rg and state.enabled:
        breaks.record_break(f"cast to {dtype}", x)
    return Tensor._wrap(x._data.astype(dtype))


@primitive(reads=())
def copy(x):
    """A copy of ``x`` with its own memory; the gradient passes through.

    Example:
        >>> import ndgrad
        >>> a = ndgrad.ones(2); b = ndgrad.copy(a); b[0] = 5.0; a.tolist()
        [1.0, 1.0]
    """
    return xp.array(x, copy=True)


@copy.defvjp
def _copy_vjp(g, out, x):
    return g


differentiates_complex(_float_cast, copy)


def stop_gradient(x):
    """``x`` as a constant: the same values, cut from the graph (``detach``).

    Example:
        >>> import ndgrad
        >>> w = ndgrad.Variable(2.0)
        >>> ndgrad.stop_gradient(w * 3).requires_grad
        False
    """
    if isinstance(x, Tensor):
        return x.detach()
    return Tensor._wrap(xp.asarray(as_input(x)))


def inplace(x, function, other, name=None):
    """``x = function(x, other)`` written into ``x`` itself (the ``+=`` family; the
    rules are in ``ndgrad.ops.writes``: through views into the base, recorded
    when the graph is involved); ``name`` names the write in errors (``"+="``;
    by default the function's name).

    Example:
        >>> import ndgrad
        >>> a = ndgrad.zeros(2); b = a; a += 1.0; b.tolist()
        [1.0, 1.0]
    """
    name = name or function.__name__
    other_rg = isinstance(other, Tensor) and other._rg
    if not _writes.recorded(x, other_rg):
        result = function(x, other)
        if result.shape != x.shape:
            raise ValueError(f"in-place {name}: the result has shape {result.shape}, which "
                             f"does not fit into the tensor's shape {x.shape}")
        _writes.copy_into(name, x, result._data)
        _writes.bump(x, name)
        return x
    return _writes.write(x, name, lambda before: function(before, other))
