"""Dtype casts, copies, ``stop_gradient`` and the in-place operator forms.

A cast between floating dtypes is differentiable (the gradient is cast back).
A cast to an integer or boolean dtype cuts the graph: it is recorded as a
gradient break so ``ndgrad.explain`` can point at the line.

In-place operators (``x += y``) follow PyTorch: on tensors outside the graph
they write into the existing array; on a result in the graph they record the
op and rebase ``x`` onto it; on a trainable leaf while recording they are
refused, since the update would be differentiated.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([1.5, 2.5])
    >>> y = x.astype("float64") * 2
    >>> y.sum().backward()
    >>> x.grad.dtype, x.grad.tolist()
    (dtype('float32'), [2.0, 2.0])
"""

from .._backend import xp
from ..autograd import breaks
from ..autograd.mode import state
from ..autograd.primitive import as_input, primitive, refuse_complex_result
from ..dtypes import as_dtype
from ..tensor import Tensor

__all__ = ["astype", "copy", "stop_gradient", "inplace"]


@primitive(name="astype", reads=())
def _float_cast(x, dtype):
    return x.astype(dtype)


@_float_cast.defvjp
def _float_cast_vjp(g, out, x, dtype):
    return g    # the engine casts it back to x's dtype


def astype(x, dtype, copy=True):
    """``x`` converted to ``dtype``; differentiable between floating dtypes.

    Example:
        >>> import ndgrad
        >>> ndgrad.astype(ndgrad.tensor([1.7]), "int64").tolist()
        [1]
    """
    x = x if isinstance(x, Tensor) else Tensor._wrap(xp.asarray(as_input(x)))
    dtype = as_dtype(dtype)
    if dtype == x.dtype and not copy:
        return x
    if dtype.kind == "f":
        return _float_cast(x, dtype=dtype)
    if x._rg and state.enabled:
        if dtype.kind == "c":
            refuse_complex_result("astype", dtype, (x,))
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


def _refuse_trainable_leaf(x, name):
    tensor = f"tensor {x.name!r}" if x.name else "tensor"
    raise RuntimeError(
        f"in-place {name} on a trainable leaf while recording would be differentiated "
        f"({tensor} of shape {x.shape}, a leaf that requires grad). Update it under "
        "`with ndgrad.no_grad():` (torch.no_grad()), write through .data (p.data.add_(...)), "
        "use Variable.assign/assign_add/assign_sub, or write x = x + ... to make a new tensor.")


def snapshot(x):
    """A tensor holding ``x``'s current value and node, for an in-place op's rule to
    read after ``x`` itself has been rebased onto the op (see :func:`rebase`)."""
    before = Tensor._wrap(x._data, x._node)
    before._rg = x._rg
    return before


def rebase(x, result):
    """Make ``x`` the recorded ``result`` of an in-place op: its new value and node,
    and a version one ahead, so rules that saved the old ``x`` refuse to run.

    The counter is a new one (the old array, and aliases of it, are untouched);
    when the op saved its output (``exp_``, ``sigmoid_``) it is that output's
    counter, so a later write into ``x`` is caught by the op's rule too."""
    old = 0 if x._vc is None else x._vc[0]
    site = breaks.describe_site()
    x._data = result._data
    x._node = result._node
    x._rg = x._node is not None
    node = result._node
    if node is not None and result._vc is not None and result._vc is node.out_vc:
        node.out_version = result._vc[0] = old + 1
        result._vc[1] = site
        x._vc = result._vc
    else:
        x._vc = [old + 1, site]


def _check_fits(name, result, x):
    if result.shape != x.shape:
        raise ValueError(f"in-place {name}: the result has shape {result.shape}, which does "
                         f"not fit into the tensor's shape {x.shape}")


def inplace(x, function, other):
    """``x = function(x, other)`` written into ``x`` itself (the ``+=`` family).

    Example:
        >>> import ndgrad
        >>> a = ndgrad.zeros(2); b = a; a += 1.0; b.tolist()
        [1.0, 1.0]
    """
    name = function.__name__
    other_rg = isinstance(other, Tensor) and other._rg
    if not state.enabled or not (x._rg or other_rg):
        result = function(x, other)
        _check_fits(name, result, x)
        xp.copyto(x._data, result._data, casting="same_kind")
        x._bump_version()
        return x
    if x._node is None and x._trainable:
        _refuse_trainable_leaf(x, name)
    result = function(snapshot(x), other)
    _check_fits(name, result, x)
    if result.dtype != x.dtype:
        result = astype(result, x.dtype)
    rebase(x, result)
    return x
