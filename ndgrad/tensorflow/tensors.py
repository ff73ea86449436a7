"""Making and reading tensors with TensorFlow's names: ``constant``,
``convert_to_tensor``, ``Variable``, ``cast``, ``zeros``, ``shape``, ...

TensorFlow infers ``int32`` for Python integers and ``float32`` for Python
floats; NumPy arrays keep their dtype. Those are the rules here too, so a
program's dtypes come out as they do in TensorFlow. Every function returns an
ndgrad :class:`~ndgrad.Tensor` (``tf.Tensor`` is that class).

Example:
    >>> import ndgrad.tensorflow as tf
    >>> tf.constant([1, 2]).dtype, tf.constant([1.0]).dtype
    (dtype('int32'), dtype('float32'))
"""

import numbers

import numpy as np

from .. import ops
from ..dtypes import as_dtype
from .. import variable as _variable
from .._face_types import instances_of
from ..tensor import Tensor, is_tensor

__all__ = ["Tensor", "Variable", "constant", "convert_to_tensor", "cast", "identity",
           "zeros", "ones", "zeros_like", "ones_like", "fill", "eye", "range", "linspace",
           "shape", "rank", "size", "is_tensor", "stop_gradient", "one_hot"]


def _is_python_data(value):
    if isinstance(value, (bool, np.generic, np.ndarray, Tensor)):
        return False
    if isinstance(value, numbers.Number):
        return True
    return isinstance(value, (list, tuple)) and all(
        _is_python_data(item) or isinstance(item, bool) for item in value)


def _array(value, dtype):
    """``value`` as an array with TensorFlow's default dtypes."""
    if isinstance(value, Tensor):
        array = value.numpy()
    else:
        array = np.asarray(value)
        if dtype is None and _is_python_data(value):
            if array.dtype == np.float64:
                array = array.astype(np.float32)
            elif array.dtype == np.int64:
                array = array.astype(np.int32)
    if array.dtype.kind in "OUSc":
        raise TypeError(f"tf.constant: cannot make a tensor from {type(value).__name__} data "
                        f"(dtype {array.dtype}); ndgrad tensors hold real numbers and bools")
    return array if dtype is None else array.astype(as_dtype(dtype))


class Variable(metaclass=instances_of(_variable.Variable)):
    """``tf.Variable(initial_value, trainable=True, name=None, dtype=None, shape=None)``:
    a new :class:`ndgrad.Variable`. ``initial_value`` may be a value or a function
    that returns one; Python ints become int32 and floats float32, as TensorFlow
    infers them. An integer variable (a step counter, ``tf.Variable(0)``) is not
    trainable unless asked, since it cannot hold a gradient. Every ndgrad Variable (a layer's weights included) is an
    instance of ``tf.Variable``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> v = tf.Variable(initial_value=tf.constant([1.0, 2.0]), trainable=False, name="v")
        >>> v.trainable, v.name, isinstance(v, tf.Variable)
        (False, 'v', True)
        >>> tf.Variable(lambda: tf.zeros([2])).numpy().tolist()
        [0.0, 0.0]
    """

    def __new__(cls, initial_value=None, trainable=None, validate_shape=True,
                caching_device=None, name=None, variable_def=None, dtype=None,
                import_scope=None, constraint=None, synchronization=None, aggregation=None,
                shape=None, experimental_enable_variable_lifting=True):
        if initial_value is None:
            raise ValueError("tf.Variable: initial_value is required (a value, or a function "
                             "returning one)")
        if constraint is not None:
            raise ValueError("tf.Variable: constraint= is not supported by ndgrad; apply the "
                             "constraint yourself after each optimizer step (v.assign(...))")
        if callable(initial_value) and not isinstance(initial_value, (Tensor, np.ndarray)):
            initial_value = initial_value()
        value = _array(initial_value, None) if not isinstance(initial_value, Tensor) \
            else initial_value
        if trainable is None:          # a counter such as tf.Variable(0) holds no gradient
            kind = (as_dtype(dtype) if dtype is not None else np.asarray(value).dtype).kind
            trainable = kind == "f"
        variable = _variable.Variable(value, trainable=trainable, name=name, dtype=dtype)
        fits = shape is None or not validate_shape or (
            len(shape) == variable.ndim
            and all(want is None or want == have for want, have in zip(shape, variable.shape)))
        if not fits:
            raise ValueError(f"tf.Variable: the initial value has shape {variable.shape}, "
                             f"not the given shape {tuple(shape)}")
        return variable


def values_of(value):
    """The NumPy values of ``value``, read on purpose without its gradient (for
    indices, masks and orderings, which carry none)."""
    if isinstance(value, Tensor):
        return value.detach().numpy()
    return np.asarray(value)


def constant(value, dtype=None, shape=None, name=None):
    """A constant tensor (never trainable) from a number, list, array or tensor.

    Args:
        value: the data; Python ints become int32 and floats float32.
        dtype: the dtype to store (``tf.float32``, ...).
        shape: broadcast a scalar (or reshape a value of the same size) to it.
        name: accepted for TensorFlow's signature; shown in reprs.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.constant(0.5, shape=[2, 2]).numpy().tolist()
        [[0.5, 0.5], [0.5, 0.5]]
    """
    array = _array(value, dtype)
    if shape is not None:
        shape = tuple(shape)
        if array.size == int(np.prod(shape)):
            array = array.reshape(shape)
        elif array.size == 1:
            array = np.broadcast_to(array.reshape(()), shape)
        else:
            raise ValueError(f"tf.constant: a value of shape {array.shape} cannot be given "
                             f"shape {shape}; pass a scalar or a value with {np.prod(shape)} "
                             "elements")
    result = Tensor(array)
    result.name = name
    return result


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """``value`` as a tensor; tensors (and Variables) pass through unchanged.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> v = tf.Variable([1.0]); tf.convert_to_tensor(v) is v
        True
    """
    if isinstance(value, Tensor):
        if dtype is not None and as_dtype(dtype) != value.dtype:
            raise TypeError(f"tf.convert_to_tensor: the tensor has dtype {value.dtype}, "
                            f"not the requested {as_dtype(dtype)}; use tf.cast to convert")
        return value
    if dtype is None and dtype_hint is not None and _is_python_data(value):
        dtype = dtype_hint
    return constant(value, dtype=dtype, name=name)


def cast(x, dtype, name=None):
    """``x`` converted to ``dtype``; float-to-float casts keep the gradient.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.cast(tf.constant([1.7, -1.7]), tf.int32).numpy().tolist()
        [1, -1]
    """
    return ops.astype(convert_to_tensor(x), as_dtype(dtype))


def identity(x, name=None):
    """``x`` itself (a differentiable identity, as ``tf.identity``).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.identity(tf.constant([1.0])).numpy().tolist()
        [1.0]
    """
    return convert_to_tensor(x) * 1 if not isinstance(x, Tensor) else x + 0


def _shape(shape):
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    return (int(shape),) if isinstance(shape, numbers.Integral) else tuple(int(s) for s in shape)


def zeros(shape, dtype="float32", name=None):
    """A tensor of zeros (float32 by default).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.zeros([1]).numpy().tolist()
        [0.0]
    """
    return ops.zeros(_shape(shape), dtype=as_dtype(dtype))


def ones(shape, dtype="float32", name=None):
    """A tensor of ones (float32 by default).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.ones((2,)).numpy().tolist()
        [1.0, 1.0]
    """
    return ops.ones(_shape(shape), dtype=as_dtype(dtype))


def zeros_like(input, dtype=None, name=None):
    """Zeros with the shape (and dtype, unless given) of ``input``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.zeros_like(tf.constant([1, 2])).numpy().tolist()
        [0, 0]
    """
    return ops.zeros_like(convert_to_tensor(input), dtype=as_dtype(dtype))


def ones_like(input, dtype=None, name=None):
    """Ones with the shape (and dtype, unless given) of ``input``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.ones_like(tf.constant([1.0, 2.0])).numpy().tolist()
        [1.0, 1.0]
    """
    return ops.ones_like(convert_to_tensor(input), dtype=as_dtype(dtype))


def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with ``value``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.fill([2], 7).numpy().tolist()
        [7, 7]
    """
    return constant(value, shape=_shape(dims))


def eye(num_rows, num_columns=None, dtype="float32", name=None):
    """The identity matrix.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.eye(2).numpy().tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    return ops.eye(num_rows, num_columns, dtype=as_dtype(dtype))


def range(start, limit=None, delta=1, dtype=None, name=None):  # noqa: A001  (tf.range)
    """Numbers from ``start`` to ``limit`` (exclusive) by ``delta``, as ``tf.range``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.range(3).numpy().tolist(), tf.range(1, 2, 0.5).numpy().tolist()
        ([0, 1, 2], [1.0, 1.5])
    """
    if limit is None:
        start, limit = 0, start
    values = [start, limit, delta]
    if dtype is None:
        dtype = "float32" if any(isinstance(v, float) for v in values) else "int32"
    return Tensor(np.arange(start, limit, delta).astype(as_dtype(dtype)))


def linspace(start, stop, num, name=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` (inclusive).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.linspace(0.0, 1.0, 3).numpy().tolist()
        [0.0, 0.5, 1.0]
    """
    return Tensor(np.linspace(start, stop, num, axis=axis).astype(np.float32))


def shape(input, out_type="int32", name=None):
    """The shape of ``input`` as an int32 tensor (``tf.shape``).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.shape(tf.zeros([2, 3])).numpy().tolist()
        [2, 3]
    """
    return Tensor(np.asarray(np.shape(convert_to_tensor(input)), dtype=as_dtype(out_type)))


def rank(input, name=None):
    """The number of dimensions, as an int32 scalar tensor.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> int(tf.rank(tf.zeros([2, 3])))
        2
    """
    return Tensor(np.int32(convert_to_tensor(input).ndim))


def size(input, out_type="int32", name=None):
    """The number of elements, as a scalar tensor.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> int(tf.size(tf.zeros([2, 3])))
        6
    """
    return Tensor(np.asarray(np.size(values_of(input)),
                             dtype=as_dtype(out_type)))


def stop_gradient(input, name=None):
    """``input`` cut from the graph: its value, with no gradient flowing back.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> w = tf.Variable([2.0])
        >>> with tf.GradientTape() as tape:
        ...     y = tf.stop_gradient(w) * w
        >>> tape.gradient(y, w).numpy().tolist()
        [2.0]
    """
    return ops.stop_gradient(convert_to_tensor(input))


def one_hot(indices, depth, on_value=None, off_value=None, axis=-1, dtype=None, name=None):
    """One-hot vectors of length ``depth`` for integer ``indices`` (out-of-range
    indices give all-``off_value`` rows, as TensorFlow).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.one_hot([0, 2], 3).numpy().tolist()
        [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    index = values_of(indices)
    if index.dtype.kind not in "iu":
        raise TypeError(f"tf.one_hot: indices must be integers, got dtype {index.dtype}")
    dtype = as_dtype(dtype) or np.dtype(np.float32)
    on = 1 if on_value is None else on_value
    off = 0 if off_value is None else off_value
    hot = index[..., None] == np.arange(int(depth))
    result = np.where(hot, on, off).astype(dtype)
    if axis != -1:
        result = np.moveaxis(result, -1, axis)
    return Tensor(result)
