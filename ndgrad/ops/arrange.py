"""Rearranging elements: tiling, repeating, rolling, padding, triangles,
rotations, differences and grids.

Each gradient undoes its rearrangement: ``tile`` and ``repeat`` sum the copies
back, ``roll`` rolls back, ``pad`` keeps the interior (and, for the
``reflect``/``symmetric``/``wrap``/``edge`` modes, adds each mirrored copy back
onto the element it came from).

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([1.0, 2.0])
    >>> ndgrad.repeat(x, 3).sum().backward()
    >>> x.grad.tolist()
    [3.0, 3.0]
"""

import numpy as np

from ..autograd.primitive import as_input, data_of, primitive
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .cast import copy as copy_tensor
from .complex_numbers import differentiates_complex
from .index import getitem, take
from .join import concatenate
from .shape import broadcast_to, flip, ravel, reshape, transpose

__all__ = ["tile", "repeat", "roll", "pad", "triu", "tril", "rot90", "fliplr", "flipud",
           "diff", "ediff1d", "meshgrid", "broadcast_arrays"]


@primitive(name="tile", reads=())
def _tile(x, reps):
    return np.tile(x, reps)


@_tile.defvjp
def _tile_vjp(g, out, x, reps):
    # Output axis i has reps[i] blocks of shape[i]: split each axis into
    # (block, element) and sum over the blocks.
    ndim = max(len(reps), x.ndim)
    shape = (1,) * (ndim - x.ndim) + x.shape
    reps = (1,) * (ndim - len(reps)) + reps
    split = tuple(n for pair in zip(reps, shape) for n in pair)
    return g.reshape(split).sum(axis=tuple(range(0, 2 * ndim, 2))).reshape(x.shape)


@implements(np.tile)
def tile(A, reps):
    """``A`` repeated ``reps`` times along each axis, as ``numpy.tile``.

    Example:
        >>> import ndgrad
        >>> ndgrad.tile(ndgrad.tensor([1.0, 2.0]), 2).tolist()
        [1.0, 2.0, 1.0, 2.0]
    """
    reps = tuple(int(r) for r in np.atleast_1d(data_of(as_input(reps))))
    return _tile(A, reps=reps)


@primitive(name="repeat", reads=())
def _repeat(x, repeats, axis):
    return np.repeat(x, repeats, axis=axis)


@_repeat.defvjp
def _repeat_vjp(g, out, x, repeats, axis):
    if axis is None:
        return g.reshape((x.size, repeats)).sum(axis=1).reshape(x.shape)
    axis = axis % x.ndim
    split = x.shape[:axis] + (x.shape[axis], repeats) + x.shape[axis + 1:]
    return g.reshape(split).sum(axis=axis + 1)


@implements(np.repeat)
def repeat(x, repeats, axis=None):
    """Each element repeated ``repeats`` times (an int, or one count per element)
    along ``axis`` (of the flattened input when None).

    Example:
        >>> import ndgrad
        >>> ndgrad.repeat(ndgrad.tensor([1.0, 2.0]), [1, 2]).tolist()
        [1.0, 2.0, 2.0]
    """
    counts = np.asarray(data_of(as_input(repeats)))
    if counts.size == 1:
        return _repeat(x, repeats=int(counts.reshape(())), axis=axis)
    x = as_tensor(x)
    if axis is not None and not -x.ndim <= axis < x.ndim:
        raise shape_error("repeat", [x], f"axis {axis} is out of bounds")
    length = x.size if axis is None else x.shape[axis]
    try:
        positions = np.repeat(np.arange(length), counts)
    except ValueError as exc:
        raise shape_error("repeat", [x, counts], str(exc)) from None
    return take(x, positions, axis=axis)


def _negated(shift):
    return -shift if isinstance(shift, int) else tuple(-s for s in shift)


@primitive(name="roll", reads=())
def _roll(x, shift, axis):
    return np.roll(x, shift, axis=axis)


@_roll.defvjp
def _roll_vjp(g, out, x, shift, axis):
    return _roll(g, shift=_negated(shift), axis=axis)


@implements(np.roll)
def roll(a, shift, axis=None):
    """Elements shifted cyclically by ``shift`` along ``axis`` (ints or tuples;
    over the flattened tensor when None).

    Example:
        >>> import ndgrad
        >>> ndgrad.roll(ndgrad.tensor([1.0, 2.0, 3.0]), 1).tolist()
        [3.0, 1.0, 2.0]
    """
    shift = data_of(as_input(shift))
    shift = int(shift) if np.ndim(shift) == 0 else tuple(int(s) for s in np.ravel(shift))
    if axis is not None and not isinstance(axis, int):
        axis = tuple(int(a) for a in axis)
    return _roll(a, shift=shift, axis=axis)


_PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")
_PAD_KEYWORDS = {"constant": {"constant_values"}, "reflect": {"reflect_type"},
                 "symmetric": {"reflect_type"}}


def _pad_widths(data, pad_width):
    """``pad_width`` as one ``(before, after)`` pair of ints per axis."""
    widths = np.asarray(data_of(as_input(pad_width)))
    if widths.dtype.kind not in "iu":
        raise TypeError(f"pad: pad_width must be integers, got {pad_width!r}")
    try:
        widths = np.broadcast_to(widths, (data.ndim, 2))
    except ValueError:
        raise shape_error("pad", [data], f"pad_width {pad_width!r} does not give a "
                                         "(before, after) pair for each axis") from None
    if (widths < 0).any():
        raise ValueError(f"pad: pad_width cannot be negative, got {pad_width!r}")
    return tuple((int(before), int(after)) for before, after in widths)


@primitive(name="pad", reads=())
def _pad_constant(x, pad_width, constant_values):
    return np.pad(x, pad_width, mode="constant", constant_values=constant_values)


@_pad_constant.defvjp
def _pad_constant_vjp(g, out, x, pad_width, constant_values):
    return getitem(g, tuple(slice(before, before + n)
                            for (before, _), n in zip(pad_width, x.shape)))


@implements(np.pad)
def pad(array, pad_width, mode="constant", **kwargs):
    """Pad with a constant (``constant_values``) or with copies of the edges
    (``mode`` ``'edge'``, ``'reflect'``, ``'symmetric'``, ``'wrap'``).

    ``constant_values`` are fixed numbers (no gradient); the other NumPy modes
    are refused.

    Example:
        >>> import ndgrad
        >>> ndgrad.pad(ndgrad.tensor([1.0, 2.0]), 1, mode="reflect").tolist()
        [2.0, 1.0, 2.0, 1.0]
    """
    if mode not in _PAD_MODES:
        raise ValueError(f"pad: mode {mode!r} is not differentiable in ndgrad; "
                         f"supported modes: {', '.join(_PAD_MODES)}")
    unexpected = sorted(set(kwargs) - _PAD_KEYWORDS.get(mode, set()))
    if unexpected:
        raise TypeError(f"pad: mode {mode!r} takes no keyword {', '.join(unexpected)}")
    if kwargs.get("reflect_type", "even") != "even":
        raise ValueError("pad: only reflect_type='even' is supported")
    x = as_tensor(array)
    widths = _pad_widths(x._data, pad_width)
    if mode == "constant":
        values = as_input(kwargs.get("constant_values", 0))
        if isinstance(values, Tensor) and values.requires_grad:
            raise TypeError("pad: constant_values are fixed numbers and would get no gradient; "
                            "pad with 0 and add the border values instead")
        return _pad_constant(x, pad_width=widths, constant_values=data_of(values))
    # These modes copy elements: along each axis, output position i reads input
    # position sources[i] (the map np.pad applies to an index ramp). Only the
    # borders are gathered, so the gradient scatters only the borders back.
    padded = x
    for axis, (length, (before, after)) in enumerate(zip(x.shape, widths)):
        if not before and not after:
            continue
        try:
            sources = np.pad(np.arange(length), (before, after), mode=mode)
        except ValueError as exc:
            raise shape_error("pad", [x], str(exc)) from None
        pieces = [take(padded, sources[:before], axis=axis), padded,
                  take(padded, sources[before + length:], axis=axis)]
        padded = concatenate(pieces, axis=axis)
    return padded if padded is not x else copy_tensor(x)


@primitive(name="triu", reads=())
def _triu(x, k):
    return np.triu(x, k)


@_triu.defvjp
def _triu_vjp(g, out, x, k):
    return _triu(g, k=k)


@primitive(name="tril", reads=())
def _tril(x, k):
    return np.tril(x, k)


@_tril.defvjp
def _tril_vjp(g, out, x, k):
    return _tril(g, k=k)


# Linear maps with real coefficients (copies, sums, zeros): right for complex numbers.
differentiates_complex(_tile, _repeat, _roll, _pad_constant, _triu, _tril)


@implements(np.triu)
def triu(m, k=0):
    """The upper triangle (on and above diagonal ``k``) of the last two axes.

    Example:
        >>> import ndgrad
        >>> ndgrad.triu(ndgrad.ones((2, 2))).tolist()
        [[1.0, 1.0], [0.0, 1.0]]
    """
    return _triu(m, k=int(k))


@implements(np.tril)
def tril(m, k=0):
    """The lower triangle (on and below diagonal ``k``) of the last two axes.

    Example:
        >>> import ndgrad
        >>> ndgrad.tril(ndgrad.ones((2, 2))).tolist()
        [[1.0, 0.0], [1.0, 1.0]]
    """
    return _tril(m, k=int(k))


@implements(np.rot90)
def rot90(m, k=1, axes=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``axes``
    (from the first axis towards the second).

    Example:
        >>> import ndgrad
        >>> ndgrad.rot90(ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])).tolist()
        [[2.0, 4.0], [1.0, 3.0]]
    """
    m = as_tensor(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError(f"rot90: axes must name two axes, got {axes}")
    if not all(-m.ndim <= a < m.ndim for a in axes):
        raise shape_error("rot90", [m], f"axes {axes} out of range")
    first, second = (a % m.ndim for a in axes)
    if first == second:
        raise ValueError(f"rot90: the two axes must differ, got {axes}")
    order = list(range(m.ndim))
    order[first], order[second] = second, first
    k = k % 4
    if k == 0:
        return m
    if k == 2:
        return flip(flip(m, first), second)
    if k == 1:
        return transpose(flip(m, second), order)
    return flip(transpose(m, order), second)


@implements(np.fliplr)
def fliplr(m):
    """Reverse the order along the second axis (left/right).

    Example:
        >>> import ndgrad
        >>> ndgrad.fliplr(ndgrad.tensor([[1.0, 2.0]])).tolist()
        [[2.0, 1.0]]
    """
    m = as_tensor(m)
    if m.ndim < 2:
        raise shape_error("fliplr", [m], "needs a tensor of 2 or more dimensions")
    return flip(m, 1)


@implements(np.flipud)
def flipud(m):
    """Reverse the order along the first axis (up/down).

    Example:
        >>> import ndgrad
        >>> ndgrad.flipud(ndgrad.tensor([1.0, 2.0])).tolist()
        [2.0, 1.0]
    """
    m = as_tensor(m)
    if m.ndim < 1:
        raise shape_error("flipud", [m], "needs a tensor of 1 or more dimensions")
    return flip(m, 0)


def _edge_values(values, like, shape):
    """``prepend``/``append`` values: numbers take ``like``'s dtype and are
    broadcast to ``shape``; tensors keep their own (and their gradient)."""
    values = as_input(values)
    if not isinstance(values, Tensor):
        values = np.asarray(values, dtype=like.dtype if np.ndim(values) == 0 else None)
    if np.ndim(data_of(values)) == 0:
        values = broadcast_to(values, shape)
    return values


@implements(np.diff)
def diff(a, n=1, axis=-1, prepend=None, append=None):
    """The ``n``-th differences ``x[i + 1] - x[i]`` along ``axis``, after
    joining ``prepend`` and ``append`` (None: nothing) at the ends.

    Example:
        >>> import ndgrad
        >>> ndgrad.diff(ndgrad.tensor([1.0, 4.0, 9.0]), prepend=0.0).tolist()
        [1.0, 3.0, 5.0]
    """
    x = as_tensor(a)
    if n < 0:
        raise ValueError(f"diff: the order n must be non-negative, got {n}")
    if n == 0:
        return x
    if x.ndim == 0:
        raise shape_error("diff", [x], "needs a tensor of 1 or more dimensions")
    if not -x.ndim <= axis < x.ndim:
        raise shape_error("diff", [x], f"axis {axis} is out of bounds")
    axis = axis % x.ndim
    edge_shape = x.shape[:axis] + (1,) + x.shape[axis + 1:]
    pieces = [x]
    if prepend is not None:
        pieces.insert(0, _edge_values(prepend, x, edge_shape))
    if append is not None:
        pieces.append(_edge_values(append, x, edge_shape))
    if len(pieces) > 1:
        x = concatenate(pieces, axis=axis)
    before = (slice(None),) * axis
    for _ in range(n):
        later, earlier = getitem(x, before + (slice(1, None),)), getitem(x, before + (slice(-1),))
        x = later != earlier if x.dtype == np.bool_ else later - earlier
    return x


@implements(np.ediff1d)
def ediff1d(ary, to_end=None, to_begin=None):
    """The differences of the flattened input, with ``to_begin`` and ``to_end``
    (flattened) joined at the ends.

    Example:
        >>> import ndgrad
        >>> ndgrad.ediff1d(ndgrad.tensor([[1.0, 2.0], [4.0, 8.0]]), to_end=0.0).tolist()
        [1.0, 2.0, 4.0, 0.0]
    """
    x = ravel(ary)
    pieces = [getitem(x, slice(1, None)) - getitem(x, slice(-1))]
    if to_begin is not None:
        pieces.insert(0, ravel(_edge_values(to_begin, x, (1,))))
    if to_end is not None:
        pieces.append(ravel(_edge_values(to_end, x, (1,))))
    return concatenate(pieces) if len(pieces) > 1 else pieces[0]


@implements(np.broadcast_arrays)
def broadcast_arrays(*args, subok=False):
    """The inputs broadcast against each other: a tuple of differentiable
    read-only views.

    Example:
        >>> import ndgrad
        >>> [t.shape for t in ndgrad.broadcast_arrays(ndgrad.ones(3), ndgrad.ones((2, 1)))]
        [(2, 3), (2, 3)]
    """
    args = [as_input(a) for a in args]
    try:
        shape = np.broadcast_shapes(*(np.shape(data_of(a)) for a in args))
    except ValueError as exc:
        raise shape_error("broadcast_arrays", args, str(exc)) from None
    return tuple(broadcast_to(as_tensor(a), shape) for a in args)


@implements(np.meshgrid)
def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Coordinate grids from 1-D coordinate vectors, as ``numpy.meshgrid``.

    With ``copy=False`` the grids are views of the vectors (read-only where
    broadcast); the default makes writable copies, as NumPy does. Gradients
    flow back to the vectors.

    Example:
        >>> import ndgrad
        >>> xs, ys = ndgrad.meshgrid(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([5.0]))
        >>> xs.tolist(), ys.tolist()
        ([[1.0, 2.0]], [[5.0, 5.0]])
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    ndim = len(xi)
    shapes = [[1] * ndim for _ in xi]
    for i, shape in enumerate(shapes):
        shape[i] = -1
    if indexing == "xy" and ndim > 1:
        shapes[0][:2], shapes[1][:2] = [1, -1], [-1, 1]
    grids = [reshape(x, tuple(shape)) for x, shape in zip(xi, shapes)]
    if not sparse:
        grids = broadcast_arrays(*grids)
    return tuple(copy_tensor(g) for g in grids) if copy else tuple(grids)
