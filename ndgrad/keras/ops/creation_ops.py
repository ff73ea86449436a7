"""``keras.ops`` creation ops with Keras 3's signatures: ``zeros(shape, dtype)``,
``ones``, ``full``, ``empty``, the ``*_like`` forms, ``arange``, ``eye``,
``identity``, ``tri``, ``linspace``, ``logspace``, ``geomspace`` and ``array``.
Floating results are float32 unless ``dtype`` says otherwise.

Example:
    >>> from ndgrad.keras import ops
    >>> ops.zeros((2, 1)).tolist(), ops.arange(3).tolist(), ops.linspace(0, 1, 3).dtype
    ([[0.0], [0.0]], [0, 1, 2], dtype('float32'))
"""

import math

import numpy as np

from ... import ops as core
from ...autograd.primitive import data_of
from ...tensor import Tensor, as_tensor
from ._routing import keras_op

__all__ = ["array", "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like",
           "full_like", "arange", "eye", "identity", "tri", "linspace", "logspace", "geomspace"]


def _tensor(x):
    return x if isinstance(x, Tensor) else as_tensor(x)


def _shape(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)


@keras_op
def array(x, dtype=None):
    """``x`` as a tensor (Keras's ``ops.array``).

    Example:
        >>> from ndgrad.keras.ops import array
        >>> array([1, 2], dtype="float32").tolist()
        [1.0, 2.0]
    """
    return as_tensor(data_of(x) if isinstance(x, Tensor) else x, dtype=dtype)


@keras_op
def zeros(shape, dtype=None):
    """A tensor of zeros (float32 unless ``dtype``).

    Example:
        >>> from ndgrad.keras.ops import zeros
        >>> zeros((2,)).tolist()
        [0.0, 0.0]
    """
    return core.zeros(_shape(shape), dtype=dtype)


@keras_op
def ones(shape, dtype=None):
    """A tensor of ones (float32 unless ``dtype``).

    Example:
        >>> from ndgrad.keras.ops import ones
        >>> ones(2, dtype="int32").tolist()
        [1, 1]
    """
    return core.ones(_shape(shape), dtype=dtype)


@keras_op
def empty(shape, dtype=None):
    """An uninitialized tensor (here: zeros) of ``shape``.

    Example:
        >>> from ndgrad.keras.ops import empty
        >>> empty((1, 2)).shape
        (1, 2)
    """
    return core.zeros(_shape(shape), dtype=dtype)


@keras_op
def full(shape, fill_value, dtype=None):
    """A tensor of ``shape`` filled with ``fill_value``.

    Example:
        >>> from ndgrad.keras.ops import full
        >>> full((2,), 7.0).tolist()
        [7.0, 7.0]
    """
    return core.full(_shape(shape), fill_value, dtype=dtype)


@keras_op
def zeros_like(x, dtype=None):
    """Zeros with the shape (and dtype, unless given) of ``x``.

    Example:
        >>> from ndgrad.keras.ops import zeros_like
        >>> zeros_like([[1, 2]]).tolist()
        [[0, 0]]
    """
    return core.zeros_like(_tensor(x), dtype=dtype)


@keras_op
def ones_like(x, dtype=None):
    """Ones with the shape (and dtype, unless given) of ``x``.

    Example:
        >>> from ndgrad.keras.ops import ones_like
        >>> ones_like([1.0, 2.0]).tolist()
        [1.0, 1.0]
    """
    return core.ones_like(_tensor(x), dtype=dtype)


@keras_op
def empty_like(x, dtype=None):
    """An uninitialized tensor (here: zeros) like ``x``.

    Example:
        >>> from ndgrad.keras.ops import empty_like
        >>> empty_like([1.0, 2.0]).shape
        (2,)
    """
    return core.zeros_like(_tensor(x), dtype=dtype)


@keras_op
def full_like(x, fill_value, dtype=None):
    """``fill_value`` in the shape (and dtype, unless given) of ``x``.

    Example:
        >>> from ndgrad.keras.ops import full_like
        >>> full_like([1.0, 2.0], 3.0).tolist()
        [3.0, 3.0]
    """
    return core.full_like(_tensor(x), fill_value, dtype=dtype)


@keras_op
def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in ``[start, stop)``.

    Example:
        >>> from ndgrad.keras.ops import arange
        >>> arange(3).tolist(), arange(1, 2, 0.5).tolist()
        ([0, 1, 2], [1.0, 1.5])
    """
    return core.arange(start, stop, step, dtype=dtype)


@keras_op
def eye(N, M=None, k=0, dtype=None):
    """The identity matrix (ones on the ``k``-th diagonal).

    Example:
        >>> from ndgrad.keras.ops import eye
        >>> eye(2).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    return core.eye(N, M, k, dtype=dtype)


@keras_op
def identity(n, dtype=None):
    """The ``n x n`` identity matrix.

    Example:
        >>> from ndgrad.keras.ops import identity
        >>> identity(2, dtype="int32").tolist()
        [[1, 0], [0, 1]]
    """
    return core.identity(n, dtype=dtype)


@keras_op
def tri(N, M=None, k=0, dtype=None):
    """Ones at and below the ``k``-th diagonal.

    Example:
        >>> from ndgrad.keras.ops import tri
        >>> tri(2).tolist()
        [[1.0, 0.0], [1.0, 1.0]]
    """
    return as_tensor(np.tri(N, M, k, dtype=np.dtype(dtype or "float32")))


@keras_op
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop``.

    Example:
        >>> from ndgrad.keras.ops import linspace
        >>> linspace(0.0, 1.0, 3).tolist()
        [0.0, 0.5, 1.0]
    """
    if retstep or axis != 0:
        raise ValueError("linspace: retstep=True and axis != 0 are not supported; use "
                         "ndgrad.linspace and move the axis yourself")
    return core.linspace(start, stop, num, endpoint, dtype=dtype or "float32")


@keras_op
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """``base ** linspace(start, stop, num)``.

    Example:
        >>> from ndgrad.keras.ops import logspace
        >>> logspace(0.0, 2.0, 3).tolist()
        [1.0, 10.0, 100.0]
    """
    return core.power(float(base), linspace(start, stop, num, endpoint, dtype=dtype, axis=axis))


@keras_op
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """Values spaced evenly on a log scale from ``start`` to ``stop``.

    Example:
        >>> from ndgrad.keras.ops import geomspace
        >>> geomspace(1.0, 100.0, 3).numpy().round(4).tolist()
        [1.0, 10.0, 100.0]
    """
    exponents = linspace(math.log(start), math.log(stop), num, endpoint, dtype=dtype, axis=axis)
    return core.exp(exponents)
