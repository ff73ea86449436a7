"""How the backward walk fits each gradient to its input and accumulates it.

A rule returns gradients in the broadcast shape; :func:`sum_to_shape` undoes
the broadcasting and ``_fit`` the dtype. A leaf's first gradient becomes its
``.grad`` (taken over when nothing else refers to it, else copied in the
leaf's layout); later ones are added in place. Array rules return plain
arrays, wrapped once here.

Example:
    >>> from ndgrad.autograd.accumulate import sum_to_shape
    >>> import ndgrad
    >>> sum_to_shape(ndgrad.ones((2, 3)), (3,)).tolist()
    [2.0, 2.0, 2.0]
"""

from .._backend import xp
from ..tensor import Tensor
from .hooks import _LEAF as _HOOKED_LEAVES, hold as _hold
from .post_accumulate import POSTED as _POSTED, delivered as _delivered


def sum_to_shape(g, shape):
    """Sum a broadcast gradient ``g`` down to ``shape`` (the undoing of broadcasting).

    Leading axes that broadcasting added are summed away; axes of size 1 in
    ``shape`` are summed with ``keepdims``. Without the latter the result is
    a new array of its own (no view), which ``backward`` can hand to a leaf
    without copying.

    Example:
        >>> from ndgrad.autograd.accumulate import sum_to_shape
        >>> import ndgrad
        >>> sum_to_shape(ndgrad.ones((4, 3)), (1, 3)).tolist()
        [[4.0, 4.0, 4.0]]
        >>> sum_to_shape(ndgrad.ones((2, 4, 3)), (3,)).tolist()
        [8.0, 8.0, 8.0]
    """
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    kept = tuple(extra + i for i, n in enumerate(shape) if n == 1 and g.shape[extra + i] != 1)
    if not kept:
        return g.sum(axis=tuple(range(extra))) if extra else g
    out = g.sum(axis=tuple(range(extra)) + kept, keepdims=True)
    return out.reshape(shape) if extra else out


def _fit(g, like):
    """``g`` as a Tensor in ``like``'s shape and dtype."""
    if not isinstance(g, Tensor):
        g = Tensor._wrap(xp.asarray(g))
    if isinstance(like, (Tensor, xp.ndarray)):
        data, target = g._data, like._data if isinstance(like, Tensor) else like
        if data.shape == target.shape and data.dtype == target.dtype:
            return g
    shape = getattr(like, "shape", None)
    if shape is not None and g.shape != shape:
        g = sum_to_shape(g, shape)
    dtype = getattr(like, "dtype", None)
    if dtype is not None and g.dtype != dtype:
        if g.dtype.kind == "c" and dtype.kind != "c":
            # A real input of a complex result: its gradient is dL/dx, the real
            # part (PyTorch's convention, ndgrad.ops.complex_numbers).
            from ..ops.complex_numbers import real
            g = real(g)
        g = g.astype(dtype)
    return g


def _deliver_to_leaf(leaf, g, create_graph, owned=False, hooked=False):
    """Accumulate ``g`` into ``leaf.grad`` in place, in the leaf's dtype and layout.

    The first gradient becomes ``leaf.grad``: taken over as it is when the walk
    found that nothing else refers to it (``owned``) and it is laid out like the
    leaf, else copied into an array laid out like the leaf (a transposed
    gradient would make every optimizer pass over it strided). A leaf with
    hooks has its gradients held while backward runs (``hooks.hold``) and
    delivered once, ``hooked``, at the end. A leaf with post-accumulate hooks is
    noted for them (``post_accumulate.py``).
    """
    if _HOOKED_LEAVES and not hooked and _hold(leaf, g):
        return
    if _POSTED:
        _delivered(leaf)
    grad = leaf.grad
    if grad is None:
        if create_graph:
            leaf.grad = g
            return
        data, target = g._data, leaf._data
        if not (owned and data.dtype == target.dtype and data.shape == target.shape
                and data.strides == target.strides):
            copy = xp.empty_like(target)
            xp.copyto(copy, data)
            data = copy
        leaf.grad = Tensor._wrap(data)
    elif create_graph or grad._rg or g._rg:
        leaf.grad = grad + g
    else:
        grad._data += g._data


_NO_PARAMS = {}


def _data_of(value):
    return value._data if isinstance(value, Tensor) else value


def _wrapped(grads, count):
    """An array rule's result as a tuple of tensors (None kept): a single
    result for a one-input op, NumPy scalars made 0-d arrays."""
    if type(grads) is not tuple:
        grads = (grads,) if count == 1 else tuple(grads)
    wrapped = []
    for g in grads:
        if g is not None and not isinstance(g, Tensor):
            g = Tensor._wrap(g if type(g) is xp.ndarray else xp.asarray(g))
        wrapped.append(g)
    return tuple(wrapped)
