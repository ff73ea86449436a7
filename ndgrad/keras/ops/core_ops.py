"""``keras.ops`` core: conversions, shapes, control flow and scatter/slice updates.

Control flow runs eagerly in Python (``cond`` calls one branch, ``fori_loop``
loops), which is what Keras does on the torch backend; gradients flow through
whatever the branches compute. Scatter and slice updates are out of place
(a new tensor) and differentiable with respect to both the input and the
updates.

Example:
    >>> import ndgrad
    >>> from ndgrad.keras import ops
    >>> ops.shape(ndgrad.ones((2, 3))), ops.cond(True, lambda: 1, lambda: 2)
    ((2, 3), 1)
"""

import builtins

import numpy as np

from ... import ops as core
from ...autograd.primitive import data_of
from ...dtypes import as_dtype
from ...ops.index import _scatter_add
from ...tensor import Tensor, as_tensor
from ._routing import keras_op

__all__ = ["shape", "convert_to_tensor", "convert_to_numpy", "cast", "saturate_cast", "dtype",
           "is_tensor", "stop_gradient", "cond", "fori_loop", "while_loop", "scan", "map",
           "switch", "slice", "slice_update", "scatter", "scatter_update", "unstack",
           "vectorized_map"]


def _tensor(x):
    return x if isinstance(x, Tensor) else as_tensor(x)


@keras_op
def shape(x):
    """The shape of ``x`` (a tensor, array or nested list) as a tuple of ints.

    Example:
        >>> from ndgrad.keras.ops import shape
        >>> shape([[1, 2, 3]])
        (1, 3)
    """
    return tuple(int(n) for n in np.shape(data_of(x)))


@keras_op
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """``x`` as a tensor (a tensor of the right dtype is returned as is).

    Args:
        x: a tensor, array, number or nested list.
        dtype: the dtype to cast to (default: kept; Python floats become float32).
        sparse, ragged: not supported (refused when True).

    Example:
        >>> from ndgrad.keras.ops import convert_to_tensor
        >>> convert_to_tensor([1.0, 2.0]).dtype, convert_to_tensor([1, 2], dtype="float32").tolist()
        (dtype('float32'), [1.0, 2.0])
    """
    if sparse or ragged:
        raise ValueError("convert_to_tensor: sparse and ragged tensors are not supported by "
                         "ndgrad; pass a dense array")
    if isinstance(x, Tensor):
        return x if dtype is None or x.dtype == as_dtype(dtype) else core.astype(x, dtype)
    return as_tensor(x, dtype=dtype)


@keras_op
def convert_to_numpy(x):
    """The values of ``x`` as a NumPy array (no gradient).

    Example:
        >>> from ndgrad.keras.ops import convert_to_numpy
        >>> import ndgrad
        >>> type(convert_to_numpy(ndgrad.ones(2))).__name__
        'ndarray'
    """
    return np.asarray(data_of(x))


@keras_op
def cast(x, dtype):
    """``x`` converted to ``dtype`` (differentiable between floating dtypes).

    Example:
        >>> from ndgrad.keras.ops import cast
        >>> cast([1.7, -1.2], "int32").tolist()
        [1, -1]
    """
    return core.astype(_tensor(x), dtype)


@keras_op
def saturate_cast(x, dtype):
    """``x`` clipped to the range of ``dtype``, then cast (no wrap-around).

    Example:
        >>> from ndgrad.keras.ops import saturate_cast
        >>> saturate_cast([300.0, -5.0], "uint8").tolist()
        [255, 0]
    """
    target = as_dtype(dtype)
    x = _tensor(x)
    if target.kind in "iu":
        info = np.iinfo(target)
        x = core.clip(x, float(info.min), float(info.max))
    return core.astype(x, target)


@keras_op
def dtype(x):
    """The dtype of ``x`` as Keras names it (``"float32"``, ``"int64"``, ...).

    Example:
        >>> from ndgrad.keras.ops import dtype
        >>> import ndgrad
        >>> dtype(ndgrad.ones(2))
        'float32'
    """
    return str(np.asarray(data_of(x)).dtype)


def is_tensor(x):
    """Whether ``x`` is an ndgrad tensor.

    Example:
        >>> from ndgrad.keras.ops import is_tensor
        >>> import ndgrad
        >>> is_tensor(ndgrad.ones(1)), is_tensor([1.0])
        (True, False)
    """
    return isinstance(x, Tensor)


@keras_op
def stop_gradient(variable):
    """``variable``'s value with no gradient flowing back through it.

    Example:
        >>> from ndgrad.keras.ops import stop_gradient
        >>> import ndgrad
        >>> stop_gradient(ndgrad.Variable([1.0])).requires_grad
        False
    """
    return core.stop_gradient(variable)


@keras_op
def cond(pred, true_fn, false_fn):
    """``true_fn()`` if ``pred`` is true, else ``false_fn()``.

    Example:
        >>> from ndgrad.keras.ops import cond
        >>> import ndgrad
        >>> cond(ndgrad.tensor(0.0) > 1, lambda: "big", lambda: "small")
        'small'
    """
    return true_fn() if bool(data_of(pred)) else false_fn()


@keras_op
def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)``, from ``init_val``.

    Example:
        >>> from ndgrad.keras.ops import fori_loop
        >>> fori_loop(0, 4, lambda i, total: total + i, 0)
        6
    """
    value = init_val
    for index in range(int(data_of(lower)), int(data_of(upper))):
        value = body_fun(index, value)
    return value


@keras_op
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Apply ``body`` to ``loop_vars`` while ``cond(*loop_vars)`` holds (at most
    ``maximum_iterations`` times); a tuple or list of variables is unpacked.

    Example:
        >>> from ndgrad.keras.ops import while_loop
        >>> while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * 2), (0, 1))
        (3, 8)
    """
    several = isinstance(loop_vars, (tuple, list))
    values = tuple(loop_vars) if several else (loop_vars,)
    count = 0
    while bool(data_of(cond(*values))):
        if maximum_iterations is not None and count >= maximum_iterations:
            break
        result = body(*values)
        values = tuple(result) if several else (result,)
        count += 1
    return type(loop_vars)(values) if several else values[0]


@keras_op
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """``carry, y = f(carry, x)`` over the first axis of ``xs``; returns the last
    carry and the ``y`` stacked (JAX's ``lax.scan``).

    Example:
        >>> from ndgrad.keras.ops import scan
        >>> import ndgrad
        >>> carry, ys = scan(lambda c, x: (c + x, c + x), 0.0, ndgrad.tensor([1.0, 2.0, 3.0]))
        >>> carry.item(), ys.tolist()
        (6.0, [1.0, 3.0, 6.0])
    """
    steps = int(length) if xs is None else len(xs)
    order = range(steps - 1, -1, -1) if reverse else range(steps)
    carry, outputs = init, [None] * steps
    for index in order:
        carry, outputs[index] = f(carry, None if xs is None else xs[index])
    if not steps or outputs[0] is None:
        return carry, None
    return carry, core.stack([_tensor(y) for y in outputs])


@keras_op
def map(f, xs):
    """``f`` applied to each slice of ``xs`` along the first axis, stacked.

    Example:
        >>> from ndgrad.keras import ops
        >>> import ndgrad
        >>> ops.map(lambda row: row.sum(), ndgrad.ones((3, 2))).tolist()
        [2.0, 2.0, 2.0]
    """
    return core.stack([_tensor(f(x)) for x in xs])


@keras_op
def switch(index, branches, *operands):
    """``branches[index](*operands)``, the index clamped to the valid range.

    Example:
        >>> from ndgrad.keras.ops import switch
        >>> switch(5, [lambda x: x + 1, lambda x: x * 10], 2)
        20
    """
    position = min(max(int(data_of(index)), 0), len(branches) - 1)
    return branches[position](*operands)


@keras_op
def slice(inputs, start_indices, shape):
    """The block of ``inputs`` starting at ``start_indices`` with size ``shape``.

    Example:
        >>> from ndgrad.keras import ops
        >>> import ndgrad
        >>> ops.slice(ndgrad.arange(6).reshape(2, 3), (0, 1), (2, 2)).tolist()
        [[1, 2], [4, 5]]
    """
    index = tuple(builtins.slice(int(start), int(start) + int(size))
                  for start, size in zip(data_of(start_indices), shape))
    return _tensor(inputs)[index]


@keras_op
def slice_update(inputs, start_indices, updates):
    """A copy of ``inputs`` with the block at ``start_indices`` replaced by ``updates``.

    Example:
        >>> from ndgrad.keras.ops import slice_update
        >>> import ndgrad
        >>> slice_update(ndgrad.zeros((2, 3)), (1, 1), ndgrad.ones((1, 2))).tolist()
        [[0.0, 0.0, 0.0], [0.0, 1.0, 1.0]]
    """
    updates = _tensor(updates)
    index = tuple(builtins.slice(int(start), int(start) + int(size))
                  for start, size in zip(data_of(start_indices), updates.shape))
    out = core.copy(_tensor(inputs))
    core.setitem(out, index, updates)
    return out


def _index_tuple(indices):
    indices = np.asarray(data_of(indices))
    if indices.ndim < 1:
        raise ValueError(f"scatter: indices must have shape (N, k); got {indices.shape}")
    indices = indices.reshape(-1, indices.shape[-1]).astype(np.int64)
    return tuple(indices[:, axis] for axis in range(indices.shape[1]))


@keras_op
def scatter(indices, values, shape):
    """A zero tensor of ``shape`` with ``values`` added at ``indices`` (rows of
    ``k`` coordinates; repeated indices add up).

    Example:
        >>> from ndgrad.keras.ops import scatter
        >>> scatter([[0], [2], [0]], [1.0, 2.0, 3.0], (4,)).tolist()
        [4.0, 0.0, 2.0, 0.0]
    """
    values = _tensor(values)
    if values.dtype.kind != "f":
        values = core.astype(values, "float32")
    return _scatter_add(values, shape=tuple(int(n) for n in shape), index=_index_tuple(indices))


@keras_op
def scatter_update(inputs, indices, updates):
    """A copy of ``inputs`` with the entries at ``indices`` replaced by ``updates``.

    Example:
        >>> from ndgrad.keras.ops import scatter_update
        >>> import ndgrad
        >>> scatter_update(ndgrad.zeros((2, 2)), [[0, 1], [1, 0]], [5.0, 6.0]).tolist()
        [[0.0, 5.0], [6.0, 0.0]]
    """
    out = core.copy(_tensor(inputs))
    core.setitem(out, _index_tuple(indices), _tensor(updates))
    return out


@keras_op
def unstack(x, num=None, axis=0):
    """The slices of ``x`` along ``axis``, as a list.

    Example:
        >>> from ndgrad.keras.ops import unstack
        >>> import ndgrad
        >>> [t.tolist() for t in unstack(ndgrad.tensor([[1, 2], [3, 4]]), axis=1)]
        [[1, 3], [2, 4]]
    """
    x = _tensor(x)
    count = x.shape[axis]
    if num is not None and num != count:
        raise ValueError(f"unstack: num={num} does not match the size {count} of axis {axis}")
    return [core.take(x, index, axis=axis) for index in range(count)]


@keras_op
def vectorized_map(function, elements):
    """``function`` applied to each slice of ``elements`` along the first axis, stacked.

    Example:
        >>> from ndgrad.keras.ops import vectorized_map
        >>> import ndgrad
        >>> vectorized_map(lambda row: row * 2, ndgrad.ones((2, 2))).tolist()
        [[2.0, 2.0], [2.0, 2.0]]
    """
    return core.stack([_tensor(function(element)) for element in elements])
