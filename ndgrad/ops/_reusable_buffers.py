"""Large arrays that convolution and pooling take again at the next step.

A training step allocates the same large arrays every time (im2col columns,
outputs, gradients), and a fresh allocation of a few megabytes is not free:
the C allocator hands large blocks back to the operating system when they are
freed, and every page of a new block is faulted in again on first write. On
the small CNN of ``bench/`` that page-faulting was half of the step.

:func:`empty` keeps each large array it makes (up to a few per shape and
dtype, and ``LIMIT_BYTES`` in all) and hands it out again once nothing else
holds it: CPython's reference count says so exactly, since every tensor,
view, memoryview or graph node that uses the array holds a reference to it
(a view holds its base). An array still in use is never handed out twice; a
new one is made instead. Small arrays are left to the allocator, which
reuses them without faults anyway.

Interpreters without a reliable reference count (PyPy, free-threaded
CPython) get a plain ``np.empty`` every time, as does everyone after
``set_enabled(False)``.

Example:
    >>> import numpy as np
    >>> from ndgrad.ops import _reusable_buffers as buffers
    >>> a = buffers.empty((256, 256), np.float32)
    >>> address = a.ctypes.data
    >>> b = buffers.empty((256, 256), np.float32)     # ``a`` is in use: another array
    >>> b.ctypes.data != address
    True
    >>> del a, b
    >>> buffers.empty((256, 256), np.float32).ctypes.data == address
    True
"""

import math
import sys
import threading

import numpy as np

__all__ = []

# Arrays below this size come from the allocator's free lists without faults.
MIN_BYTES = 64 * 1024
# At most this many arrays kept per (shape, dtype), and this many bytes in all.
PER_SHAPE = 4
LIMIT_BYTES = 256 * 2 ** 20

_lock = threading.Lock()
_kept = {}            # (shape, dtype) -> list of arrays
_kept_bytes = 0


def _reference_counts_are_exact():
    if not hasattr(sys, "getrefcount"):                       # PyPy
        return False
    gil_enabled = getattr(sys, "_is_gil_enabled", None)       # free-threaded CPython
    return gil_enabled is None or gil_enabled()


def _free_reference_count():
    """What ``sys.getrefcount(bucket[index])`` says of an array that only its
    bucket holds, measured with the very expression :func:`_reuse` uses."""
    bucket = [np.empty(0)]
    index = 0
    return sys.getrefcount(bucket[index])


_FREE = _free_reference_count()
_enabled = _reference_counts_are_exact()


def set_enabled(enabled):
    """Turn reuse on or off (off also lets go of every kept array); returns the
    previous setting.

    Example:
        >>> from ndgrad.ops import _reusable_buffers as buffers
        >>> previous = buffers.set_enabled(False)
        >>> buffers.set_enabled(previous)
        False
    """
    global _enabled
    previous = _enabled
    _enabled = bool(enabled) and _reference_counts_are_exact()
    if not _enabled:
        clear()
    return previous


def clear():
    """Let go of every kept array (those still in use stay with their users).

    Example:
        >>> from ndgrad.ops import _reusable_buffers as buffers
        >>> buffers.clear(); buffers.kept_bytes()
        0
    """
    global _kept_bytes
    with _lock:
        _kept.clear()
        _kept_bytes = 0


def kept_bytes():
    """The bytes of all arrays kept for reuse, in use or not.

    Example:
        >>> from ndgrad.ops import _reusable_buffers as buffers
        >>> buffers.kept_bytes() >= 0
        True
    """
    return _kept_bytes


def _reuse(bucket):
    for index in range(len(bucket)):
        if sys.getrefcount(bucket[index]) <= _FREE:
            return bucket[index]
    return None


def empty(shape, dtype):
    """An uninitialized C-contiguous array of ``shape`` and ``dtype`` that no
    one else holds: a kept one when one is free, else a new one (kept for
    later while the limits allow).

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops import _reusable_buffers as buffers
        >>> buffers.empty((2, 3), np.float32).shape
        (2, 3)
    """
    global _kept_bytes
    shape = tuple(int(size) for size in shape)
    dtype = np.dtype(dtype)
    nbytes = dtype.itemsize * math.prod(shape)        # math.prod: 0.1 us, np.prod 4
    if not _enabled or nbytes < MIN_BYTES:
        return np.empty(shape, dtype)
    key = (shape, dtype)
    with _lock:
        bucket = _kept.setdefault(key, [])
        array = _reuse(bucket)
        if array is not None:
            return array
        array = np.empty(shape, dtype)
        if len(bucket) < PER_SHAPE and _kept_bytes + nbytes <= LIMIT_BYTES:
            bucket.append(array)
            _kept_bytes += nbytes
        return array


def zeros(shape, dtype):
    """:func:`empty`, filled with zeros.

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops import _reusable_buffers as buffers
        >>> buffers.zeros((2, 2), np.float32).tolist()
        [[0.0, 0.0], [0.0, 0.0]]
    """
    array = empty(shape, dtype)
    array.fill(0)
    return array


def _inverse(order):
    """The permutation that undoes ``order`` (``np.argsort`` of it, without its
    3 microseconds of call overhead: these helpers run a few dozen times per step)."""
    return tuple(sorted(range(len(order)), key=order.__getitem__))


def empty_in_order(shape, order, dtype):
    """An uninitialized array of logical ``shape`` whose axes lie in memory in
    the order ``order`` (outermost first), e.g. ``(1, 0, 2, 3)`` for a logical
    (N, C, H, W) array laid out channel by channel.

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops import _reusable_buffers as buffers
        >>> buffers.empty_in_order((2, 3, 4, 4), (1, 0, 2, 3), np.float32).strides
        (64, 128, 16, 4)
    """
    memory = empty([shape[axis] for axis in order], dtype)
    return memory.transpose(_inverse(order))


# Read-only constant vectors, one per (value, dtype), grown to the largest size asked
# for; other values than 0 only up to this many elements.
_constant_vectors = {}
CONSTANT_CACHE_SIZE = 2 ** 20


def constant_vector(value, size, dtype):
    """A read-only vector of ``size`` copies of ``value`` (0 or 1), shared by every
    caller: the ``ones`` of a GEMV that sums rows, the ``zeros`` of a maximum.

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops import _reusable_buffers as buffers
        >>> buffers.constant_vector(1, 3, np.float32).tolist()
        [1.0, 1.0, 1.0]
    """
    if value != 0 and size > CONSTANT_CACHE_SIZE:    # not kept: it would hold its memory
        vector = np.full(size, value, dtype)
        vector.flags.writeable = False
        return vector
    key = (value, np.dtype(dtype))
    with _lock:
        vector = _constant_vectors.get(key)
        if vector is None or vector.size < size:
            # np.zeros comes from calloc: pages that are only ever read map the
            # kernel's shared zero page, so zeros of any size cost no resident memory.
            vector = np.zeros(size, dtype) if value == 0 else np.full(size, value, dtype)
            vector.flags.writeable = False
            _constant_vectors[key] = vector
    return vector[:size]


def zeros_like_layout(like):
    """A read-only array of zeros with the shape and the strides of ``like``
    (which must be dense: contiguous in some order of its axes), or None when
    ``like`` is not dense.

    It serves ``np.maximum(x, zeros)``: NumPy runs maximum and minimum against
    a scalar on a slow path, 3 times slower than against an array laid out as
    ``x`` (float32, 692,224 elements: 237 against 76 microseconds, while
    ``multiply`` takes 56 either way).

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops import _reusable_buffers as buffers
        >>> x = np.arange(-3.0, 3.0).reshape(2, 3).T            # F-ordered
        >>> zeros = buffers.zeros_like_layout(x)
        >>> zeros.strides == x.strides, np.maximum(x, zeros).T.tolist()
        (True, [[0.0, 0.0, 0.0], [0.0, 1.0, 2.0]])
    """
    order = sorted(range(like.ndim), key=lambda axis: -abs(like.strides[axis]))
    in_memory = like.transpose(order)
    if not in_memory.flags.c_contiguous or any(s < 0 for s in like.strides):
        return None
    vector = constant_vector(0, like.size, like.dtype)
    return vector.reshape(in_memory.shape).transpose(_inverse(order))
