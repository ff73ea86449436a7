"""Collectives on ndgrad tensors and NumPy arrays: all_reduce, broadcast,
all_gather, reduce_scatter, barrier.

Each takes an array or a tensor (or anything ``np.asarray`` takes) and returns
a new one of the same kind; the input is not changed (the PyTorch face writes
results in place, as ``torch.distributed`` does). Every rank must call the
same collectives in the same order with arrays of the same shape and dtype.
A result is data: no gradient flows back through a collective (a tensor that
requires grad is recorded as a deliberate cut, as ``detach()`` is).

With ``async_op=True`` a collective returns a :class:`Work` at once, and its
``wait()`` gives the result: communication runs while the caller computes.
Every wait is bounded by the world's timeout (see ``waiting.py``). Float16
travels as float32 (MPI has no half type); booleans reduce with ``max`` (or)
and ``min`` (and) only.

Example:
    >>> import numpy as np
    >>> import ndgrad.distributed as dist
    >>> dist.all_reduce(np.array([1.0, 2.0]), op="mean")      # a world of one
    array([1., 2.])
    >>> dist.all_gather(np.array([5, 6])).tolist()
    [[5, 6]]
"""

import numpy as np

from ..autograd import breaks as _breaks
from ..autograd.mode import state as _mode
from ..tensor import Tensor
from . import waiting
from .world import WORLD, init

__all__ = ["Work", "all_reduce", "broadcast", "all_gather", "reduce_scatter", "barrier",
           "REDUCE_OPS"]

REDUCE_OPS = ("sum", "mean", "max", "min")


class Work:
    """A collective started with ``async_op=True``: ``wait()`` returns its
    result (waiting for it, within the timeout), ``is_completed()`` tells
    without waiting.

    Example:
        >>> import numpy as np
        >>> import ndgrad.distributed as dist
        >>> work = dist.all_reduce(np.ones(3), async_op=True)
        >>> work.is_completed(), work.wait().tolist()
        (True, [1.0, 1.0, 1.0])
    """

    __slots__ = ("_pending",)

    def __init__(self, pending):
        self._pending = pending

    def wait(self):
        """The collective's result, once it has completed."""
        return waiting.wait(self._pending)

    def is_completed(self):
        """Whether it has completed (never waits)."""
        return waiting.test(self._pending)

    def __repr__(self):
        state = "completed" if self.is_completed() else "running"
        return f"<Work {self._pending.name} #{self._pending.sequence}: {state}>"


def _world():
    if not WORLD.initialized:
        init()
    return WORLD


def _buffer(x, function):
    """(a contiguous copy of x's data for MPI, its original dtype, whether x was a tensor)."""
    is_tensor = isinstance(x, Tensor)
    if is_tensor:
        if x._rg and _mode.enabled:
            _breaks.record_break("collective", x)
        array = x._data
    else:
        try:
            array = np.asarray(x)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{function}: expected an ndgrad tensor or a NumPy array; got "
                            f"{type(x).__name__} ({error})") from None
    if array.dtype == object or array.dtype.kind not in "biuf":
        raise TypeError(f"{function}: the data must be numbers (bool, int or float); got "
                        f"dtype {array.dtype}")
    dtype = array.dtype
    transport = np.float32 if dtype == np.float16 else dtype
    return np.array(array, dtype=transport, order="C", copy=True), dtype, is_tensor


def _result(array, dtype, is_tensor):
    if array.dtype != dtype:
        array = array.astype(dtype)
    return Tensor._wrap(array) if is_tensor else array


def _mpi_op(op, dtype, function):
    if op not in REDUCE_OPS:
        raise ValueError(f"{function}: op must be one of {', '.join(REDUCE_OPS)}; got {op!r}")
    if dtype.kind == "b" and op in ("sum", "mean"):
        raise TypeError(f"{function}: op={op!r} is not defined for booleans; use op='max' "
                        f"(logical or) or op='min' (logical and)")
    if dtype.kind in "iu" and op == "mean":
        raise TypeError(f"{function}: op='mean' of integers would not be an integer; cast to "
                        f"a float dtype first, or use op='sum' and divide")
    MPI = WORLD.mpi
    if MPI is None:
        return None
    return {"sum": MPI.SUM, "mean": MPI.SUM, "max": MPI.MAX, "min": MPI.MIN}[op]


def _finish(pending, async_op):
    return Work(pending) if async_op else waiting.wait(pending)


def _flat(array):
    return array.reshape(-1) if array.ndim != 1 else array


def all_reduce(x, op="sum", *, async_op=False):
    """The elementwise ``op`` ("sum", "mean", "max" or "min") of ``x`` over all ranks.

    Args:
        x: a tensor or array, of the same shape and dtype on every rank.
        op: how to combine; "mean" is the sum divided by the world size.
        async_op: return a :class:`Work` at once (``wait()`` gives the result).

    Example:
        >>> import ndgrad, ndgrad.distributed as dist
        >>> dist.all_reduce(ndgrad.tensor([1.0, 4.0]), op="max").tolist()
        [1.0, 4.0]
    """
    buffer, dtype, is_tensor = _buffer(x, "all_reduce")
    mpi_op = _mpi_op(op, dtype, "all_reduce")
    world = _world()
    requests = []
    if world.comm is not None and world.size > 1:
        send = buffer if dtype.kind != "b" else buffer.view(np.uint8)
        requests = [world.comm.Iallreduce(world.mpi.IN_PLACE, _flat(send), op=mpi_op)]

    def finish():
        if op == "mean" and world.size > 1:
            buffer[...] /= world.size
        return _result(buffer, dtype, is_tensor)
    return _finish(waiting.start("all_reduce", requests, finish), async_op)


def broadcast(x, src=0, *, async_op=False):
    """Rank ``src``'s ``x`` on every rank (each rank passes one of the same
    shape and dtype; the others' values are not used).

    Example:
        >>> import numpy as np, ndgrad.distributed as dist
        >>> dist.broadcast(np.arange(3), src=0).tolist()
        [0, 1, 2]
    """
    buffer, dtype, is_tensor = _buffer(x, "broadcast")
    world = _world()
    _check_rank(src, "broadcast", "src")
    requests = []
    if world.comm is not None and world.size > 1:
        requests = [world.comm.Ibcast(_flat(_bytes(buffer)), root=src)]
    return _finish(waiting.start("broadcast", requests,
                                 lambda: _result(buffer, dtype, is_tensor)), async_op)


def _bytes(array):
    return array.view(np.uint8) if array.dtype.kind == "b" else array


def _check_rank(value, function, argument):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
            or not 0 <= value < WORLD.size:
        raise ValueError(f"{function}: {argument} must be a rank from 0 to "
                         f"{WORLD.size - 1}; got {value!r}")


def all_gather(x, *, async_op=False):
    """Every rank's ``x``, stacked: shape ``(world_size, *x.shape)``, row r from rank r.

    Example:
        >>> import numpy as np, ndgrad.distributed as dist
        >>> dist.all_gather(np.float32(2.5)).tolist()
        [2.5]
    """
    buffer, dtype, is_tensor = _buffer(x, "all_gather")
    world = _world()
    gathered = np.empty((world.size, *buffer.shape), dtype=buffer.dtype)
    requests = []
    if world.comm is not None and world.size > 1:
        requests = [world.comm.Iallgather(_flat(_bytes(buffer)), _flat(_bytes(gathered)))]
    else:
        gathered[0] = buffer
    return _finish(waiting.start("all_gather", requests,
                                 lambda: _result(gathered, dtype, is_tensor)), async_op)


def reduce_scatter(x, op="sum", *, async_op=False):
    """Reduce ``x`` over all ranks, then give rank r the r-th of ``world_size``
    equal slices along the first axis (PyTorch's ``reduce_scatter_tensor``).

    Example:
        >>> import numpy as np, ndgrad.distributed as dist
        >>> dist.reduce_scatter(np.arange(4.0), op="sum").tolist()    # a world of one
        [0.0, 1.0, 2.0, 3.0]
    """
    buffer, dtype, is_tensor = _buffer(x, "reduce_scatter")
    mpi_op = _mpi_op(op, dtype, "reduce_scatter")
    world = _world()
    if buffer.ndim == 0 or buffer.shape[0] % world.size:
        raise ValueError(f"reduce_scatter: the first axis ({buffer.shape[:1] or 'none'}) must "
                         f"split into {world.size} equal slices, one per rank; pad it to a "
                         f"multiple of the world size")
    piece = np.empty((buffer.shape[0] // world.size, *buffer.shape[1:]), dtype=buffer.dtype)
    requests = []
    if world.comm is not None and world.size > 1:
        requests = [world.comm.Ireduce_scatter_block(_flat(_bytes(buffer)),
                                                     _flat(_bytes(piece)), op=mpi_op)]
    else:
        piece[...] = buffer

    def finish():
        if op == "mean" and world.size > 1:
            piece[...] /= world.size
        return _result(piece, dtype, is_tensor)
    return _finish(waiting.start("reduce_scatter", requests, finish), async_op)


def barrier(*, async_op=False):
    """Wait until every rank has reached this call (within the timeout).

    Example:
        >>> import ndgrad.distributed as dist
        >>> dist.barrier()
    """
    world = _world()
    requests = [world.comm.Ibarrier()] if world.comm is not None and world.size > 1 else []
    return _finish(waiting.start("barrier", requests), async_op)
