"""``torch.distributed``'s collectives: results written into the tensors given,
in place, as PyTorch's are (over ``ndgrad.distributed``'s, which return new ones).

Example:
    >>> import ndgrad.torch as torch, ndgrad.torch.distributed as dist
    >>> dist.init_process_group("mpi"); t = torch.tensor([1.0, 2.0])
    >>> dist.all_reduce(t, op=dist.ReduceOp.MAX); t.tolist()
    [1.0, 2.0]
"""

from ... import distributed as _core
from ...autograd.mode import no_grad as _no_grad
from ...tensor import Tensor as _Tensor
from .process_group import _CORE_OPS, ReduceOp, _check_group

class Work:
    """What a collective with ``async_op=True`` returns: ``wait()`` completes it
    (and writes the result in place), ``is_completed()`` tells without waiting.

    Example:
        >>> import ndgrad.torch as torch, ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi")
        >>> work = dist.all_reduce(torch.ones(2), async_op=True)
        >>> work.wait(), work.is_completed()
        (True, True)
    """

    def __init__(self, core_work, write):
        self._work = core_work
        self._write = write
        self._written = False

    def wait(self, timeout=None):
        """Wait for the collective and write its result; True."""
        result = self._work.wait()
        if not self._written:
            self._write(result)
            self._written = True
        return True

    def is_completed(self):
        """Whether the collective has completed."""
        return self._work.is_completed()


def _copy_into(target, value):
    if not isinstance(target, _Tensor):
        raise TypeError(f"torch.distributed: expected a tensor to write the result into; got "
                        f"{type(target).__name__}")
    with _no_grad():
        target.copy_(value)


def _run(core_work, write, async_op):
    work = Work(core_work, write)
    if async_op:
        return work
    work.wait()
    return None


def _core_op(op, function):
    if op not in _CORE_OPS:
        raise ValueError(f"torch.distributed.{function}: op {op!r} is not supported by ndgrad "
                         f"(yet); use ReduceOp.SUM, AVG, MAX or MIN")
    return _CORE_OPS[op]


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduce ``tensor`` over all ranks, in place (``op``: a ``ReduceOp``).

    Example:
        >>> import ndgrad.torch as torch, ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi"); t = torch.tensor([2.0])
        >>> dist.all_reduce(t, op=dist.ReduceOp.AVG); t.tolist()
        [2.0]
    """
    _check_group(group, "all_reduce")
    work = _core.all_reduce(tensor, op=_core_op(op, "all_reduce"), async_op=True)
    return _run(work, lambda result: _copy_into(tensor, result), async_op)


def broadcast(tensor, src=None, group=None, async_op=False, group_src=None):
    """Rank ``src``'s ``tensor`` into every rank's, in place.

    Example:
        >>> import ndgrad.torch as torch, ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi"); t = torch.arange(3)
        >>> dist.broadcast(t, src=0); t.tolist()
        [0, 1, 2]
    """
    _check_group(group, "broadcast")
    src = group_src if src is None else src
    work = _core.broadcast(tensor, src=0 if src is None else src, async_op=True)
    return _run(work, lambda result: _copy_into(tensor, result), async_op)


def all_gather(tensor_list, tensor, group=None, async_op=False):
    """Every rank's ``tensor`` into ``tensor_list`` (one tensor per rank), in place.

    Example:
        >>> import ndgrad.torch as torch, ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi"); out = [torch.zeros(2)]
        >>> dist.all_gather(out, torch.ones(2)); out[0].tolist()
        [1.0, 1.0]
    """
    _check_group(group, "all_gather")
    if len(tensor_list) != _core.world_size():
        raise ValueError(f"torch.distributed.all_gather: tensor_list has {len(tensor_list)} "
                         f"tensors; it needs one per rank ({_core.world_size()})")
    work = _core.all_gather(tensor, async_op=True)

    def write(result):
        for target, row in zip(tensor_list, result):
            _copy_into(target, row)
    return _run(work, write, async_op)


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    """Every rank's ``input_tensor`` concatenated along the first axis into
    ``output_tensor`` (or stacked, when ``output_tensor`` has one more axis).

    Example:
        >>> import ndgrad.torch as torch, ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi"); out = torch.zeros(2)
        >>> dist.all_gather_into_tensor(out, torch.tensor([4.0, 5.0])); out.tolist()
        [4.0, 5.0]
    """
    _check_group(group, "all_gather_into_tensor")
    work = _core.all_gather(input_tensor, async_op=True)
    return _run(work, lambda result: _copy_into(output_tensor, result.reshape(
        output_tensor.shape)), async_op)


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduce ``input`` over the ranks; rank r's slice r of it into ``output``.

    Example:
        >>> import ndgrad.torch as torch, ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi"); out = torch.zeros(2)
        >>> dist.reduce_scatter_tensor(out, torch.tensor([1.0, 2.0])); out.tolist()
        [1.0, 2.0]
    """
    _check_group(group, "reduce_scatter_tensor")
    work = _core.reduce_scatter(input, op=_core_op(op, "reduce_scatter_tensor"), async_op=True)
    return _run(work, lambda result: _copy_into(output, result.reshape(output.shape)), async_op)


def reduce_scatter(output, input_list, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduce ``input_list`` (one tensor per rank) over the ranks; entry r into rank r's
    ``output``.

    Example:
        >>> import ndgrad.torch as torch, ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi"); out = torch.zeros(2)
        >>> dist.reduce_scatter(out, [torch.ones(2)]); out.tolist()
        [1.0, 1.0]
    """
    _check_group(group, "reduce_scatter")
    from ... import stack
    if len(input_list) != _core.world_size():
        raise ValueError(f"torch.distributed.reduce_scatter: input_list has {len(input_list)} "
                         f"tensors; it needs one per rank ({_core.world_size()})")
    work = _core.reduce_scatter(stack([t.detach() for t in input_list]),
                                op=_core_op(op, "reduce_scatter"), async_op=True)
    return _run(work, lambda result: _copy_into(output, result[0]), async_op)


def barrier(group=None, async_op=False, device_ids=None, timeout=None):
    """Wait until every rank has reached it.

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi"); dist.barrier()
    """
    _check_group(group, "barrier")
    work = _core.barrier(async_op=True)
    return _run(work, lambda result: None, async_op)
