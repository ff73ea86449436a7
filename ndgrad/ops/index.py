"""Indexing: slices, integer arrays and boolean masks (``x[i]``, ``x[i] = v``),
``take`` and ``take_along_axis``.

The gradient of a read scatters back with ``np.add.at``, so repeated indices
add up correctly. Writing ``x[i] = v`` into a tensor in the graph records the
write (the old values at ``i`` get no gradient; ``v`` gets the gradient there),
on the base's graph when ``x`` is a view (``ndgrad.ops.writes``), as PyTorch
does; writing into a trainable leaf while recording is refused. Basic indexing
(slices, ints, ``None``, ``...``) gives a view that shares ``x``'s memory and
version counter; integer arrays and masks give copies, as in NumPy.

Example:
    >>> import numpy as np, ndgrad
    >>> x = ndgrad.Variable([1.0, 2.0, 3.0])
    >>> x[np.array([0, 0, 2])].sum().backward()
    >>> x.grad.tolist()
    [2.0, 0.0, 1.0]
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import as_input, primitive
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import Tensor
from . import writes
from .complex_numbers import differentiates_complex

__all__ = ["getitem", "setitem", "take", "take_along_axis"]


def _index_data(index):
    """The index with tensors replaced by their arrays and lists by arrays."""
    if isinstance(index, tuple):
        return tuple(_index_data(i) for i in index)
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _is_basic(index):
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (slice, int, type(None), type(Ellipsis))) for p in parts)


@primitive(name="scatter_add", reads=())
def _scatter_add(g, shape, index):
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeats accumulate)."""
    out = np.zeros(shape, dtype=g.dtype)
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


@_scatter_add.defvjp
def _scatter_add_vjp(gg, out, g, shape, index):
    return _getitem(gg, index=index)


@primitive(name="getitem", reads=(), view=True)
def _getitem(x, index):
    return x[index]


@_getitem.defvjp
def _getitem_vjp(g, out, x, index):
    return _scatter_add(g, shape=x.shape, index=index)


def getitem(x, index):
    """``x[index]`` for slices, ints, ``None``, ``...``, integer arrays and masks.

    Example:
        >>> import ndgrad
        >>> ndgrad.getitem(ndgrad.arange(5.0), slice(1, 3)).tolist()
        [1.0, 2.0]
    """
    return _getitem(x, index=_index_data(index))


@primitive(name="setitem", reads=())
def _setitem(x, value, index):
    out = x.copy()
    out[index] = value
    return out


@_setitem.defvjp
def _setitem_vjp(g, out, x, value, index, needs):
    gx = gv = None
    if needs[0]:
        gx = _setitem(g, 0.0, index=index)
    if needs[1]:
        gv = _getitem(g, index=index)
        shape = np.shape(value._data if isinstance(value, Tensor) else value)
        if gv.shape != shape and gv.ndim < len(shape):
            gv = gv.reshape(shape)
    return gx, gv


differentiates_complex(_scatter_add, _getitem, _setitem)


def setitem(x, index, value):
    """``x[index] = value`` in place; recorded when the graph is involved.

    Example:
        >>> import ndgrad
        >>> t = ndgrad.zeros(3); ndgrad.setitem(t, 1, 5.0); t.tolist()
        [0.0, 5.0, 0.0]
    """
    index = _index_data(index)
    value = as_input(value)
    value_rg = isinstance(value, Tensor) and value._rg
    if not writes.recorded(x, value_rg):
        try:
            x._data[index] = value._data if isinstance(value, Tensor) else value
        except (ValueError, IndexError) as exc:      # NumPy checks before it writes
            if not x._data.flags.writeable:
                raise writes.read_only_error("setitem", x) from None
            raise shape_error("setitem", [x, value], str(exc)) from None
        writes.bump(x, "setitem", _written_part(x, index))
        return
    # The rule reads neither x's old values nor value's: no copy of x is kept.
    writes.write(x, "setitem", lambda before: _setitem(before, value, index=index),
                 reads_before=False, region=_written_part(x, index))


def _written_part(x, index):
    """The view of ``x``'s array that ``x[index] = ...`` writes (all of it for an
    index that NumPy answers with a copy), so a write to row t does not count
    against a saved row t - 1; None (all of it) when nobody shares the memory."""
    vc = x._vc
    if vc is None or not vc[2]:
        return None
    parts = index if isinstance(index, tuple) else (index,)
    if not _is_basic(index) or any(isinstance(p, bool) for p in parts):
        return x._data
    # An int would give a NumPy scalar, not a view: the one-long slice is the same memory.
    return x._data[tuple(slice(p, p + 1 or None) if isinstance(p, int) else p for p in parts)]


@implements(np.take)
def take(x, indices, axis=None):
    """Elements at ``indices`` along ``axis`` (of the flattened input when None).

    Example:
        >>> import ndgrad
        >>> ndgrad.take(ndgrad.tensor([5.0, 6.0, 7.0]), [2, 0]).tolist()
        [7.0, 5.0]
    """
    indices = _index_data(indices)
    if axis is None:
        return getitem(x.reshape(-1) if isinstance(x, Tensor) else np.ravel(x), indices)
    ndim = np.ndim(x._data if isinstance(x, Tensor) else x)
    index = (slice(None),) * (axis % ndim) + (indices,)
    return getitem(x, index)


@implements(np.take_along_axis)
def take_along_axis(x, indices, axis):
    """Pick values along ``axis`` with an index array of matching rank
    (``argsort``/``argmax(keepdims=True)`` results).

    Example:
        >>> import numpy as np, ndgrad
        >>> x = ndgrad.tensor([[3.0, 1.0], [2.0, 4.0]])
        >>> ndgrad.take_along_axis(x, np.array([[1], [0]]), axis=1).tolist()
        [[1.0], [2.0]]
    """
    indices = _index_data(indices)
    data = x._data if isinstance(x, Tensor) else np.asarray(x)
    if indices.ndim != data.ndim:
        raise shape_error("take_along_axis", [data, indices],
                          "indices must have the same number of dimensions as x")
    axis = axis % data.ndim
    grids = np.ogrid[tuple(slice(n) for n in indices.shape)]
    index = tuple(indices if i == axis else grids[i] for i in range(data.ndim))
    return getitem(x, index)
