"""Joining and splitting: ``concatenate``, ``stack`` and their NumPy relatives,
the ``split`` family, ``append``, and the ``atleast_*d`` adapters that
``hstack``/``vstack``/``dstack`` apply to their inputs.

Every join is one ``concatenate``, whose gradient slices the incoming gradient
back into one piece per input. Every split returns a list of differentiable
slices, so ``np.split(t, 3)`` gives tensors that carry gradients.

Example:
    >>> import ndgrad
    >>> a = ndgrad.Variable([1.0, 2.0]); b = ndgrad.Variable([3.0])
    >>> (ndgrad.concatenate([a, b]) * ndgrad.tensor([1.0, 2.0, 3.0])).sum().backward()
    >>> a.grad.tolist(), b.grad.tolist()
    ([1.0, 2.0], [3.0])
"""

import numpy as np

from ..autograd.primitive import Op, as_input, data_of, record
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import as_tensor
from .complex_numbers import differentiates_complex
from .index import getitem
from .shape import expand_dims, ravel, reshape

__all__ = ["concatenate", "stack", "hstack", "vstack", "dstack", "column_stack", "row_stack",
           "split", "array_split", "hsplit", "vsplit", "dsplit", "append", "atleast_1d",
           "atleast_2d", "atleast_3d"]


_concatenate_op = Op("concatenate", reads=())


def _concatenate_vjp(g, out, *inputs, axis=0):
    stops = np.cumsum([np.shape(data_of(v))[axis] for v in inputs])
    index = [slice(None)] * g.ndim
    pieces = []
    start = 0
    for stop in stops:
        index[axis] = slice(start, int(stop))
        pieces.append(g[tuple(index)])
        start = int(stop)
    return tuple(pieces)


_concatenate_op.defvjp(_concatenate_vjp)
differentiates_complex(_concatenate_op)


def _join(name, tensors, axis, dtype=None, casting="same_kind", given=None):
    """Concatenate ``tensors`` along ``axis``; an error names ``name`` (the
    user's op) and the shapes of ``given`` (the user's inputs, when they were
    reshaped first)."""
    inputs = tuple(as_input(t) for t in tensors)
    datas = [np.asarray(data_of(t)) for t in inputs]
    try:
        out = np.concatenate(datas, axis=axis, dtype=dtype, casting=casting)
    except ValueError as exc:
        operands = datas if given is None else [np.asarray(data_of(as_input(t))) for t in given]
        raise shape_error(name, operands, str(exc)) from None
    return record(_concatenate_op, out, inputs, {"axis": axis % out.ndim})


@implements(np.concatenate)
def concatenate(tensors, axis=0, *, dtype=None, casting="same_kind"):
    """Join tensors along an existing axis (of the flattened inputs when None).

    Example:
        >>> import ndgrad
        >>> ndgrad.concatenate([ndgrad.ones(2), ndgrad.zeros(1)]).tolist()
        [1.0, 1.0, 0.0]
    """
    if axis is None:
        return _join("concatenate", [ravel(t) for t in tensors], 0, dtype, casting)
    return _join("concatenate", tensors, axis, dtype, casting)


@implements(np.stack)
def stack(tensors, axis=0, *, dtype=None, casting="same_kind"):
    """Join tensors of one shape along a new axis.

    Example:
        >>> import ndgrad
        >>> ndgrad.stack([ndgrad.ones(2), ndgrad.zeros(2)]).shape
        (2, 2)
    """
    tensors = [as_input(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: need at least one tensor")
    shapes = {np.shape(data_of(t)) for t in tensors}
    if len(shapes) != 1:
        raise shape_error("stack", tensors, "all inputs must have the same shape")
    ndim = len(next(iter(shapes))) + 1
    if not -ndim <= axis < ndim:
        raise shape_error("stack", tensors, f"axis {axis} is out of bounds for the "
                                            f"{ndim}-dimensional result")
    axis = axis % ndim
    return _join("stack", [expand_dims(t, axis) for t in tensors], axis, dtype, casting)


def _each(arrays, shape_of):
    results = tuple(reshape(a, shape_of(np.shape(data_of(a)))) for a in map(as_input, arrays))
    return results[0] if len(results) == 1 else results


@implements(np.atleast_1d)
def atleast_1d(*arys):
    """Each input with at least one axis (a tuple when given several).

    Example:
        >>> import ndgrad
        >>> ndgrad.atleast_1d(ndgrad.tensor(2.0)).shape
        (1,)
    """
    return _each(arys, lambda shape: shape or (1,))


@implements(np.atleast_2d)
def atleast_2d(*arys):
    """Each input with at least two axes (a vector becomes one row).

    Example:
        >>> import ndgrad
        >>> ndgrad.atleast_2d(ndgrad.ones(3)).shape
        (1, 3)
    """
    return _each(arys, lambda shape: (1,) * (2 - len(shape)) + shape)


@implements(np.atleast_3d)
def atleast_3d(*arys):
    """Each input with at least three axes: ``(n,)`` becomes ``(1, n, 1)`` and
    ``(m, n)`` becomes ``(m, n, 1)``.

    Example:
        >>> import ndgrad
        >>> ndgrad.atleast_3d(ndgrad.ones((2, 3))).shape
        (2, 3, 1)
    """
    def shape_of(shape):
        return {0: (1, 1, 1), 1: (1,) + shape + (1,), 2: shape + (1,)}.get(len(shape), shape)
    return _each(arys, shape_of)


@implements(np.hstack)
def hstack(tup, *, dtype=None, casting="same_kind"):
    """Join along the second axis (the first for 1-D inputs), as ``numpy.hstack``.

    Example:
        >>> import ndgrad
        >>> ndgrad.hstack([ndgrad.ones((2, 1)), ndgrad.zeros((2, 2))]).shape
        (2, 3)
    """
    tup = list(tup)
    tensors = [atleast_1d(t) for t in tup]
    axis = 0 if tensors and tensors[0].ndim == 1 else 1
    return _join("hstack", tensors, axis, dtype, casting, given=tup)


@implements(np.vstack)
def vstack(tup, *, dtype=None, casting="same_kind"):
    """Join along the first axis, 1-D inputs becoming rows, as ``numpy.vstack``.

    Example:
        >>> import ndgrad
        >>> ndgrad.vstack([ndgrad.ones(3), ndgrad.zeros(3)]).shape
        (2, 3)
    """
    tup = list(tup)
    return _join("vstack", [atleast_2d(t) for t in tup], 0, dtype, casting, given=tup)


row_stack = vstack   # NumPy's deprecated alias; np.row_stack itself calls np.vstack


@implements(np.dstack)
def dstack(tup):
    """Join along the third axis, as ``numpy.dstack``.

    Example:
        >>> import ndgrad
        >>> ndgrad.dstack([ndgrad.ones((2, 3)), ndgrad.zeros((2, 3))]).shape
        (2, 3, 2)
    """
    tup = list(tup)
    return _join("dstack", [atleast_3d(t) for t in tup], 2, given=tup)


@implements(np.column_stack)
def column_stack(tup):
    """Join 1-D inputs as columns (others along the second axis).

    Example:
        >>> import ndgrad
        >>> ndgrad.column_stack([ndgrad.ones(2), ndgrad.zeros(2)]).tolist()
        [[1.0, 0.0], [1.0, 0.0]]
    """
    tup = list(tup)
    columns = [reshape(t, (-1, 1)) if np.ndim(data_of(as_input(t))) < 2 else t for t in tup]
    return _join("column_stack", columns, 1, given=tup)


@implements(np.append)
def append(arr, values, axis=None):
    """``values`` joined after ``arr`` along ``axis`` (both flattened when None).

    Example:
        >>> import ndgrad
        >>> ndgrad.append(ndgrad.ones((1, 2)), ndgrad.zeros(1)).tolist()
        [1.0, 1.0, 0.0]
    """
    if axis is None:
        return _join("append", [ravel(arr), ravel(values)], 0, given=[arr, values])
    return _join("append", [arr, values], axis)


def _split_points(name, x, indices_or_sections, axis, equal):
    """The (start, stop) pairs along ``axis``, as ``numpy.split`` chooses them."""
    length = x.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError(f"{name}: the number of sections must be positive, got {sections}")
        if equal and length % sections:
            raise shape_error(name, [x], f"{length} elements along axis {axis} do not split "
                                         f"into {sections} equal sections")
        size, extra = divmod(length, sections)
        sizes = [size + 1] * extra + [size] * (sections - extra)
        bounds = [0] + np.cumsum(sizes).tolist()
    else:
        bounds = [0] + [int(i) for i in np.asarray(data_of(indices_or_sections)).ravel()]
        bounds.append(length)
    return list(zip(bounds[:-1], bounds[1:]))


def _split(name, x, indices_or_sections, axis, equal):
    x = as_tensor(x)
    if x.ndim == 0:
        raise shape_error(name, [x], "cannot split a 0-dimensional tensor")
    if not -x.ndim <= axis < x.ndim:
        raise shape_error(name, [x], f"axis {axis} is out of bounds")
    axis = axis % x.ndim
    before = (slice(None),) * axis
    return [getitem(x, before + (slice(start, stop),))
            for start, stop in _split_points(name, x, indices_or_sections, axis, equal)]


@implements(np.split)
def split(ary, indices_or_sections, axis=0):
    """Split into equal sections, or at the given indices, along ``axis``.

    Returns a list of differentiable slices.

    Example:
        >>> import ndgrad
        >>> [p.tolist() for p in ndgrad.split(ndgrad.arange(4.0), 2)]
        [[0.0, 1.0], [2.0, 3.0]]
    """
    return _split("split", ary, indices_or_sections, axis, equal=True)


@implements(np.array_split)
def array_split(ary, indices_or_sections, axis=0):
    """Like :func:`split`, but sections may differ in length by one.

    Example:
        >>> import ndgrad
        >>> [p.tolist() for p in ndgrad.array_split(ndgrad.arange(3.0), 2)]
        [[0.0, 1.0], [2.0]]
    """
    return _split("array_split", ary, indices_or_sections, axis, equal=False)


def _split_at_least(name, ary, indices_or_sections, ndim, axis):
    ary = as_input(ary)
    if np.ndim(data_of(ary)) < ndim:
        raise shape_error(name, [ary], f"needs a tensor of {ndim} or more dimensions")
    return _split(name, ary, indices_or_sections, axis, equal=True)


@implements(np.hsplit)
def hsplit(ary, indices_or_sections):
    """Split along the second axis (the first for 1-D tensors).

    Example:
        >>> import ndgrad
        >>> [p.shape for p in ndgrad.hsplit(ndgrad.ones((2, 4)), 2)]
        [(2, 2), (2, 2)]
    """
    axis = 1 if np.ndim(data_of(as_input(ary))) > 1 else 0
    return _split_at_least("hsplit", ary, indices_or_sections, 1, axis)


@implements(np.vsplit)
def vsplit(ary, indices_or_sections):
    """Split along the first axis (tensors of 2 or more dimensions).

    Example:
        >>> import ndgrad
        >>> [p.shape for p in ndgrad.vsplit(ndgrad.ones((4, 2)), [1])]
        [(1, 2), (3, 2)]
    """
    return _split_at_least("vsplit", ary, indices_or_sections, 2, 0)


@implements(np.dsplit)
def dsplit(ary, indices_or_sections):
    """Split along the third axis (tensors of 3 or more dimensions).

    Example:
        >>> import ndgrad
        >>> [p.shape for p in ndgrad.dsplit(ndgrad.ones((1, 2, 4)), 2)]
        [(1, 2, 2), (1, 2, 2)]
    """
    return _split_at_least("dsplit", ary, indices_or_sections, 3, 2)
