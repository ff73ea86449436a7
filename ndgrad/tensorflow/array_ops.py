"""TensorFlow's shape, joining, indexing and linear-algebra functions over
ndgrad's differentiable ops (``tf.reshape``, ``tf.concat``, ``tf.gather``,
``tf.matmul``, ...), with TensorFlow's argument names and meanings where they
differ from NumPy's (``tf.split`` takes sizes, ``tf.where(cond)`` returns
coordinates, ``tf.pad`` takes ``"CONSTANT"``/``"REFLECT"``/``"SYMMETRIC"``).

Example:
    >>> import ndgrad.tensorflow as tf
    >>> a = tf.constant([[1.0, 2.0]])
    >>> tf.concat([a, a], axis=0).shape, tf.matmul(a, a, transpose_b=True).numpy().tolist()
    ((2, 2), [[5.0]])
"""

import numpy as np

from .. import ops
from .tensors import convert_to_tensor, values_of

__all__ = ["reshape", "concat", "stack", "unstack", "split", "transpose", "expand_dims",
           "squeeze", "tile", "broadcast_to", "gather", "where", "boolean_mask", "reverse",
           "sort", "argsort", "pad", "clip_by_value", "clip_by_norm", "clip_by_global_norm",
           "matmul", "tensordot", "einsum", "norm"]

broadcast_to = ops.broadcast_to
einsum = ops.einsum


def _tensors(values):
    return [convert_to_tensor(v) for v in values]


def reshape(tensor, shape, name=None):
    """``tensor`` with a new shape (one dimension may be -1).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.reshape(tf.range(6), [2, -1]).shape
        (2, 3)
    """
    if hasattr(shape, "tolist"):
        shape = shape.tolist()
    return ops.reshape(convert_to_tensor(tensor), tuple(shape))


def concat(values, axis, name=None):
    """Join tensors along an existing ``axis``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.concat([tf.zeros([1, 2]), tf.ones([1, 2])], 1).shape
        (1, 4)
    """
    return ops.concatenate(_tensors(values), axis=axis)


def stack(values, axis=0, name=None):
    """Join tensors along a new ``axis``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.stack([tf.zeros([2]), tf.ones([2])]).shape
        (2, 2)
    """
    return ops.stack(_tensors(values), axis=axis)


def unstack(value, num=None, axis=0, name=None):
    """The slices of ``value`` along ``axis``, as a list.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> [t.numpy().tolist() for t in tf.unstack(tf.constant([[1, 2], [3, 4]]))]
        [[1, 2], [3, 4]]
    """
    value = convert_to_tensor(value)
    count = value.shape[axis]
    if num is not None and num != count:
        raise ValueError(f"tf.unstack: num={num} but axis {axis} has {count} elements")
    moved = ops.moveaxis(value, axis, 0)
    return [moved[i] for i in range(count)]


def split(value, num_or_size_splits, axis=0, num=None, name=None):
    """Split into equal parts (an int) or parts of the given sizes (a list; one
    size may be -1), as ``tf.split``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> [p.shape for p in tf.split(tf.zeros([5, 2]), [2, 3])]
        [(2, 2), (3, 2)]
    """
    value = convert_to_tensor(value)
    length = value.shape[axis]
    if isinstance(num_or_size_splits, int):
        if length % num_or_size_splits:
            raise ValueError(f"tf.split: axis {axis} of length {length} does not divide into "
                             f"{num_or_size_splits} equal parts; pass a list of sizes")
        return ops.split(value, num_or_size_splits, axis=axis)
    sizes = [int(s) for s in np.asarray(num_or_size_splits).tolist()]
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = length - (sum(sizes) + 1)
    if sum(sizes) != length or any(s < 0 for s in sizes):
        raise ValueError(f"tf.split: sizes {list(num_or_size_splits)} do not add up to the "
                         f"length {length} of axis {axis}")
    return ops.split(value, np.cumsum(sizes)[:-1].tolist(), axis=axis)


def transpose(a, perm=None, conjugate=False, name=None):
    """Permute the axes (reversed by default).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.transpose(tf.zeros([2, 3, 4]), perm=[0, 2, 1]).shape
        (2, 4, 3)
    """
    return ops.transpose(convert_to_tensor(a), None if perm is None else tuple(perm))


def expand_dims(input, axis, name=None):
    """Insert an axis of length one at ``axis``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.expand_dims(tf.zeros([3]), -1).shape
        (3, 1)
    """
    return ops.expand_dims(convert_to_tensor(input), axis)


def squeeze(input, axis=None, name=None):
    """Remove axes of length one (those in ``axis``, or all).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.squeeze(tf.zeros([1, 3, 1])).shape
        (3,)
    """
    return ops.squeeze(convert_to_tensor(input), None if axis is None else
                       (axis if isinstance(axis, int) else tuple(axis)))


def tile(input, multiples, name=None):
    """Repeat the whole tensor ``multiples[i]`` times along each axis.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.tile(tf.constant([[1, 2]]), [2, 1]).numpy().tolist()
        [[1, 2], [1, 2]]
    """
    return ops.tile(convert_to_tensor(input), tuple(np.asarray(multiples).tolist()))


def gather(params, indices, axis=None, batch_dims=0, name=None):
    """Pick slices of ``params`` along ``axis`` (0 by default) at ``indices``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.gather(tf.constant([10.0, 20.0, 30.0]), [2, 0]).numpy().tolist()
        [30.0, 10.0]
    """
    if batch_dims:
        raise ValueError("tf.gather: batch_dims is not supported by ndgrad; use "
                         "tf.experimental.numpy-style take_along_axis (ndgrad.take_along_axis)")
    indices = values_of(indices)
    return ops.take(convert_to_tensor(params), indices, axis=0 if axis is None else axis)


def where(condition, x=None, y=None, name=None):
    """Choose from ``x`` where ``condition`` holds, else from ``y``; with only a
    condition, the coordinates of its True elements (an (N, rank) int64 tensor).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.where(tf.constant([True, False, True])).numpy().tolist()
        [[0], [2]]
    """
    if x is None and y is None:
        mask = values_of(condition)
        return convert_to_tensor(np.argwhere(mask).astype(np.int64))
    if x is None or y is None:
        raise ValueError("tf.where: pass both x and y, or neither")
    return ops.where(convert_to_tensor(condition), x, y)


def boolean_mask(tensor, mask, axis=None, name=None):
    """The elements (or slices) of ``tensor`` where ``mask`` is True.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.boolean_mask(tf.constant([1.0, 2.0, 3.0]), [True, False, True]).numpy().tolist()
        [1.0, 3.0]
    """
    mask = values_of(mask).astype(bool)
    tensor = convert_to_tensor(tensor)
    axis = 0 if axis is None else axis
    return tensor[(slice(None),) * axis + (mask,)]


def reverse(tensor, axis, name=None):
    """``tensor`` with the order of elements reversed along each axis in ``axis``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.reverse(tf.constant([1, 2, 3]), [0]).numpy().tolist()
        [3, 2, 1]
    """
    return ops.flip(convert_to_tensor(tensor), axis=tuple(axis))


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """The values sorted along ``axis`` (differentiable).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.sort(tf.constant([2.0, 3.0, 1.0]), direction="DESCENDING").numpy().tolist()
        [3.0, 2.0, 1.0]
    """
    values = convert_to_tensor(values)
    order = argsort(values, axis=axis, direction=direction)
    return ops.take_along_axis(values, np.asarray(order), axis=axis)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The indices that sort ``values`` along ``axis`` (int32).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.argsort(tf.constant([2.0, 3.0, 1.0])).numpy().tolist()
        [2, 0, 1]
    """
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"tf.argsort: direction must be 'ASCENDING' or 'DESCENDING', "
                         f"got {direction!r}")
    array = values_of(values)
    key = -array if direction == "DESCENDING" else array
    return convert_to_tensor(np.argsort(key, axis=axis, kind="stable").astype(np.int32))


_PAD_MODES = {"CONSTANT": "constant", "REFLECT": "reflect", "SYMMETRIC": "symmetric"}


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pad each axis by ``paddings[i] = [before, after]``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.pad(tf.constant([[1, 2]]), [[0, 0], [1, 1]]).numpy().tolist()
        [[0, 1, 2, 0]]
    """
    key = str(mode).upper()
    if key not in _PAD_MODES:
        raise ValueError(f"tf.pad: mode must be one of {sorted(_PAD_MODES)}, got {mode!r}")
    widths = [tuple(int(v) for v in pair) for pair in np.asarray(paddings).tolist()]
    extra = {"constant_values": constant_values} if key == "CONSTANT" else {}
    return ops.pad(convert_to_tensor(tensor), widths, mode=_PAD_MODES[key], **extra)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """``t`` limited to ``[clip_value_min, clip_value_max]``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.clip_by_value(tf.constant([-2.0, 0.5, 3.0]), -1.0, 1.0).numpy().tolist()
        [-1.0, 0.5, 1.0]
    """
    return ops.clip(convert_to_tensor(t), clip_value_min, clip_value_max)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t`` scaled down so that its L2 norm (over ``axes``) is at most ``clip_norm``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0).numpy().tolist()
        [0.6000000238418579, 0.800000011920929]
    """
    t = convert_to_tensor(t)
    axes = None if axes is None else tuple(np.atleast_1d(axes).tolist())
    norm_value = ops.sqrt(ops.sum(t * t, axis=axes, keepdims=True))
    return t * clip_norm / ops.maximum(norm_value, clip_norm)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scale every tensor by ``clip_norm / max(global_norm, clip_norm)``; returns
    ``(clipped_list, global_norm)``. ``None`` entries stay ``None``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> clipped, total = tf.clip_by_global_norm([tf.constant([3.0]), tf.constant([4.0])], 1.0)
        >>> round(total.numpy().item(), 4), [round(c.numpy().item(), 4) for c in clipped]
        (5.0, [0.6, 0.8])
    """
    present = [convert_to_tensor(t) for t in t_list if t is not None]
    if use_norm is None:
        squares = [ops.sum(t * t) for t in present]
        use_norm = ops.sqrt(sum(squares[1:], squares[0])) if squares else convert_to_tensor(0.0)
    use_norm = convert_to_tensor(use_norm)
    scale = clip_norm / ops.maximum(use_norm, clip_norm)
    return [None if t is None else convert_to_tensor(t) * scale for t in t_list], use_norm


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           name=None):
    """The matrix product (batched over leading axes), optionally transposing an operand.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]), transpose_b=True).numpy().tolist()
        [[3.0, 3.0], [3.0, 3.0]]
    """
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    if transpose_a or adjoint_a:
        a = ops.swapaxes(a, -1, -2)
    if transpose_b or adjoint_b:
        b = ops.swapaxes(b, -1, -2)
    return ops.matmul(a, b)


def tensordot(a, b, axes, name=None):
    """Sum of products over the given axes (NumPy's ``tensordot``).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.tensordot(tf.ones([2, 3]), tf.ones([3]), axes=1).numpy().tolist()
        [3.0, 3.0]
    """
    return ops.tensordot(convert_to_tensor(a), convert_to_tensor(b), axes=axes)


def norm(tensor, ord="euclidean", axis=None, keepdims=False, name=None):
    """A vector norm of the flattened tensor, or along ``axis`` (``ord`` of
    "euclidean", 1, 2, inf, or "fro" for matrices).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.norm(tf.constant([[3.0], [4.0]])).numpy().item()
        5.0
    """
    tensor = convert_to_tensor(tensor)
    if ord in ("euclidean", "fro"):
        ord = None if axis is None or isinstance(axis, int) else "fro"
    if axis is None:
        result = ops.norm(ops.reshape(tensor, (-1,)), ord=ord)
        return ops.reshape(result, (1,) * tensor.ndim) if keepdims else result
    axis = axis if isinstance(axis, int) else tuple(axis)
    return ops.norm(tensor, ord=ord, axis=axis, keepdims=keepdims)
