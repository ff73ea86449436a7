"""``tf.math``: TensorFlow's names for ndgrad's math, reductions included.

Elementwise functions whose TensorFlow name and arguments are NumPy's (``add``,
``exp``, ``maximum``, ...) are ndgrad's own functions. The reductions take
TensorFlow's ``input_tensor, axis=None, keepdims=False`` and return ndgrad
tensors that carry gradients; ``reduce_std`` and ``reduce_variance`` are the
population statistics, as in TensorFlow.

Example:
    >>> import ndgrad.tensorflow as tf
    >>> x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    >>> tf.reduce_sum(x, axis=1).numpy().tolist(), tf.math.reduce_mean(x).numpy().item()
    ([3.0, 7.0], 2.5)
"""

import collections

import numpy as np

from .. import ops
from ..dtypes import as_dtype
from .tensors import convert_to_tensor, values_of

# Elementwise ops whose TensorFlow name and meaning are NumPy's: the core functions.
abs = ops.abs                          # noqa: A001
add = ops.add
subtract = ops.subtract
multiply = ops.multiply
divide = ops.divide
truediv = ops.true_divide
floordiv = ops.floor_divide
floormod = mod = ops.mod
pow = ops.power                        # noqa: A001
square = ops.square
sqrt = ops.sqrt
exp = ops.exp
expm1 = ops.expm1
log = ops.log
log1p = ops.log1p
negative = ops.negative
sign = ops.sign
reciprocal = ops.reciprocal
floor = ops.floor
ceil = ops.ceil
round = ops.rint                       # noqa: A001  (TensorFlow rounds half to even)
sin, cos, tan = ops.sin, ops.cos, ops.tan
asin, acos, atan, atan2 = ops.arcsin, ops.arccos, ops.arctan, ops.arctan2
sinh, cosh, tanh = ops.sinh, ops.cosh, ops.tanh
sigmoid = ops.sigmoid
softplus = ops.softplus
erf = ops.erf
maximum = ops.maximum
minimum = ops.minimum
equal = ops.equal
not_equal = ops.not_equal
greater = ops.greater
greater_equal = ops.greater_equal
less = ops.less
less_equal = ops.less_equal
logical_and = ops.logical_and
logical_or = ops.logical_or
logical_not = ops.logical_not
logical_xor = ops.logical_xor
is_nan = ops.isnan
is_inf = ops.isinf
is_finite = ops.isfinite

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def _axis(axis):
    if axis is None or isinstance(axis, int):
        return axis
    if hasattr(axis, "tolist"):
        axis = axis.tolist()
    return axis if isinstance(axis, int) else tuple(axis)


def _reduction(core, doc):
    def reduce(input_tensor, axis=None, keepdims=False, name=None):
        return core(convert_to_tensor(input_tensor), axis=_axis(axis), keepdims=keepdims)
    reduce.__doc__ = doc
    return reduce


reduce_sum = _reduction(ops.sum, """The sum over ``axis`` (all axes by default).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.reduce_sum(tf.constant([[1, 2], [3, 4]]), axis=0).numpy().tolist()
        [4, 6]
    """)
reduce_mean = _reduction(ops.mean, """The mean over ``axis`` (all axes by default).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.reduce_mean(tf.constant([1.0, 2.0])).numpy().item()
        1.5
    """)
reduce_max = _reduction(ops.max, """The maximum over ``axis``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.reduce_max(tf.constant([1.0, 5.0, 2.0])).numpy().item()
        5.0
    """)
reduce_min = _reduction(ops.min, """The minimum over ``axis``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.reduce_min(tf.constant([1.0, 5.0, 2.0])).numpy().item()
        1.0
    """)
reduce_prod = _reduction(ops.prod, """The product over ``axis``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.reduce_prod(tf.constant([2.0, 3.0])).numpy().item()
        6.0
    """)
reduce_any = _reduction(ops.any, """Logical or over ``axis``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> bool(tf.reduce_any(tf.constant([False, True])))
        True
    """)
reduce_all = _reduction(ops.all, """Logical and over ``axis``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> bool(tf.reduce_all(tf.constant([False, True])))
        False
    """)
reduce_logsumexp = _reduction(ops.logsumexp, """``log(sum(exp(x)))`` over ``axis``, computed stably.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> f"{tf.reduce_logsumexp(tf.constant([0.0, 0.0])).numpy().item():.4f}"
        '0.6931'
    """)
reduce_std = _reduction(ops.std, """The standard deviation over ``axis`` (population: divides by N).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.math.reduce_std(tf.constant([1.0, 3.0])).numpy().item()
        1.0
    """)
reduce_variance = _reduction(ops.var, """The variance over ``axis`` (population: divides by N).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.math.reduce_variance(tf.constant([1.0, 3.0])).numpy().item()
        1.0
    """)


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """The Euclidean norm over ``axis`` (all elements by default).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.math.reduce_euclidean_norm(tf.constant([3.0, 4.0])).numpy().item()
        5.0
    """
    x = convert_to_tensor(input_tensor)
    return ops.sqrt(ops.sum(x * x, axis=_axis(axis), keepdims=keepdims))


def argmax(input, axis=None, output_type="int64", name=None):
    """Indices of the largest values along ``axis`` (axis 0 by default, as TensorFlow).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.argmax(tf.constant([[1.0, 9.0], [8.0, 2.0]]), axis=1).numpy().tolist()
        [1, 0]
    """
    x = convert_to_tensor(input)
    return ops.astype(ops.argmax(x, axis=0 if axis is None else axis), as_dtype(output_type))


def argmin(input, axis=None, output_type="int64", name=None):
    """Indices of the smallest values along ``axis`` (axis 0 by default).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.argmin(tf.constant([3.0, 1.0, 2.0])).numpy().item()
        1
    """
    x = convert_to_tensor(input)
    return ops.astype(ops.argmin(x, axis=0 if axis is None else axis), as_dtype(output_type))


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum along ``axis`` (``exclusive`` and ``reverse`` as TensorFlow).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.cumsum(tf.constant([1.0, 2.0, 3.0]), exclusive=True).numpy().tolist()
        [0.0, 1.0, 3.0]
    """
    x = convert_to_tensor(x)
    if reverse:
        x = ops.flip(x, axis=axis)
    result = ops.cumsum(x, axis=axis)
    if exclusive:
        result = result - x
    return ops.flip(result, axis=axis) if reverse else result


def squared_difference(x, y, name=None):
    """``(x - y) ** 2``, elementwise.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.math.squared_difference(tf.constant([3.0]), 1.0).numpy().tolist()
        [4.0]
    """
    difference = ops.subtract(x, y)
    return difference * difference


def rsqrt(x, name=None):
    """``1 / sqrt(x)``, elementwise.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.math.rsqrt(tf.constant([4.0])).numpy().tolist()
        [0.5]
    """
    return ops.reciprocal(ops.sqrt(x))


def divide_no_nan(x, y, name=None):
    """``x / y`` with 0 where ``y`` is 0 (and no gradient through those places).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.math.divide_no_nan(tf.constant([1.0, 1.0]), tf.constant([2.0, 0.0])).numpy().tolist()
        [0.5, 0.0]
    """
    y = convert_to_tensor(y)
    zero = ops.equal(y, 0)
    safe = ops.where(zero, ops.ones_like(y), y)
    return ops.where(zero, ops.zeros_like(safe), ops.divide(x, safe))


def count_nonzero(input, axis=None, keepdims=False, dtype="int64", name=None):
    """How many elements are not zero, over ``axis``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> int(tf.math.count_nonzero(tf.constant([0.0, 2.0, 3.0])))
        2
    """
    array = values_of(input)
    counted = np.count_nonzero(array, axis=_axis(axis), keepdims=keepdims)
    return convert_to_tensor(np.asarray(counted, dtype=as_dtype(dtype)))


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002  (TensorFlow's argument name)
    """The ``k`` largest values along the last axis and their indices; the
    values carry gradients.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> values, indices = tf.math.top_k(tf.constant([1.0, 3.0, 2.0]), k=2)
        >>> values.numpy().tolist(), indices.numpy().tolist()
        ([3.0, 2.0], [1, 2])
    """
    x = convert_to_tensor(input)
    if not 0 <= k <= x.shape[-1]:
        raise ValueError(f"tf.math.top_k: k={k} but the last axis has {x.shape[-1]} elements")
    order = np.argsort(-values_of(x), axis=-1, kind="stable")[..., :k].astype(np.int32)
    return TopKV2(ops.take_along_axis(x, order, axis=-1), convert_to_tensor(order))


def l2_normalize(x, axis=None, epsilon=1e-12, name=None):
    """``x / sqrt(max(sum(x**2, axis), epsilon))``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.math.l2_normalize(tf.constant([3.0, 4.0])).numpy().tolist()
        [0.6000000238418579, 0.800000011920929]
    """
    x = convert_to_tensor(x)
    squares = ops.sum(x * x, axis=_axis(axis), keepdims=True)
    return x * ops.reciprocal(ops.sqrt(ops.maximum(squares, epsilon)))
