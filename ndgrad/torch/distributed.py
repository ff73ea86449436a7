"""``torch.distributed`` over ``ndgrad.distributed`` (MPI through mpi4py).

A PyTorch data-parallel program runs with its import lines changed, launched
with ``mpirun -n N python train.py`` instead of ``torchrun``:

- ``init_process_group(backend)``: ``"mpi"``; ``"gloo"`` (PyTorch's CPU
  backend) and None run on MPI too, so programs written for gloo need no
  change; ``"nccl"`` is refused (no GPUs). The world (rank, size) is MPI's;
  ``rank=``/``world_size=`` must agree with it, and ``init_method`` (``env://``,
  ``tcp://``) is not needed: ``mpirun`` is the rendezvous.
- ``get_rank``, ``get_world_size``, ``is_initialized``, ``barrier``,
  ``destroy_process_group``, and the collectives ``all_reduce`` (with
  ``ReduceOp.SUM``, ``AVG``, ``MAX``, ``MIN``), ``broadcast``, ``all_gather``,
  ``all_gather_into_tensor``, ``reduce_scatter``, ``reduce_scatter_tensor``,
  which write their result into the tensors given, in place, as PyTorch's do;
  ``async_op=True`` returns a work whose ``wait()`` finishes the write.
- ``timeout=`` (a ``timedelta``) bounds every collective: past it every rank
  is aborted, with the names of the ranks that never arrived.

Example:
    >>> import ndgrad.torch as torch
    >>> import ndgrad.torch.distributed as dist
    >>> dist.init_process_group("gloo")              # a world of one outside mpirun
    >>> t = torch.tensor([1.0, 2.0])
    >>> dist.all_reduce(t, op=dist.ReduceOp.SUM); t.tolist()
    [1.0, 2.0]
    >>> dist.get_rank(), dist.get_world_size()
    (0, 1)
"""

import enum

from .. import distributed as _core
from ..autograd.mode import no_grad as _no_grad
from ..distributed import world as _world
from ..tensor import Tensor as _Tensor
from ._unsupported import unsupported

__all__ = ["init_process_group", "destroy_process_group", "is_initialized", "is_available",
           "get_rank", "get_world_size", "get_backend", "barrier", "all_reduce", "broadcast",
           "all_gather", "all_gather_into_tensor", "reduce_scatter", "reduce_scatter_tensor",
           "ReduceOp", "Backend", "ProcessGroup", "group", "GroupMember", "Work",
           "is_mpi_available", "is_gloo_available", "is_nccl_available",
           "is_torchelastic_launched"]


class RedOpType(enum.Enum):
    """PyTorch's reduction kinds (those ndgrad reduces with: SUM, AVG, MAX, MIN).

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.ReduceOp.SUM.name
        'SUM'
    """
    SUM = 0
    AVG = 1
    PRODUCT = 2
    MIN = 3
    MAX = 4
    BAND = 5
    BOR = 6
    BXOR = 7
    PREMUL_SUM = 8


class ReduceOp:
    """``dist.ReduceOp.SUM`` and its kin, as PyTorch spells them.

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.ReduceOp.MAX
        <RedOpType.MAX: 4>
    """
    RedOpType = RedOpType


for _member in RedOpType:
    setattr(ReduceOp, _member.name, _member)

_CORE_OPS = {RedOpType.SUM: "sum", RedOpType.AVG: "mean", RedOpType.MAX: "max",
             RedOpType.MIN: "min"}


class Backend(str):
    """Backend names; every one that ndgrad accepts runs on MPI.

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.Backend("gloo"), dist.Backend.MPI
        ('gloo', 'mpi')
    """
    MPI = "mpi"
    GLOO = "gloo"
    NCCL = "nccl"
    UNDEFINED = "undefined"


class ProcessGroup:
    """The one group ndgrad has: the world (``dist.group.WORLD``).

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.group.WORLD.size()
        1
    """
    is_world_group = True

    def rank(self):
        """This process's rank."""
        return _core.rank()

    def size(self):
        """The number of ranks."""
        return _core.world_size()

    def __repr__(self):
        return "<ProcessGroup WORLD (MPI)>"


class group:                      # noqa: N801  (PyTorch's name)
    """``dist.group.WORLD``, the world's process group.

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.group.WORLD is dist.GroupMember.WORLD
        True
    """
    WORLD = ProcessGroup()


GroupMember = group


def _check_group(group_, function):
    if group_ is not None and not getattr(group_, "is_world_group", False):
        raise ValueError(f"torch.distributed.{function}: group must be None or "
                         f"dist.group.WORLD (ndgrad has no subgroups); got {group_!r}")


def _require_initialized(function):
    if not _core.is_initialized():
        raise ValueError(f"torch.distributed.{function}: the default process group has not "
                         f"been initialized; call init_process_group() first")


def is_available():
    """True: ``torch.distributed`` is available (on MPI, a world of one without it).

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.is_available()
        True
    """
    return True


def is_mpi_available():
    """Whether mpi4py is installed (the extra ``ndgrad[distributed]``).

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> isinstance(dist.is_mpi_available(), bool)
        True
    """
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        return False
    return True


def is_gloo_available():
    """True: a program that asks for ``"gloo"`` runs (on MPI).

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.is_gloo_available()
        True
    """
    return True


def is_nccl_available():
    """False: NCCL is for GPUs; ndgrad computes on the CPU.

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.is_nccl_available()
        False
    """
    return False


def is_torchelastic_launched():
    """False: ndgrad's programs are launched by ``mpirun``, not ``torchrun``.

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.is_torchelastic_launched()
        False
    """
    return False


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1,
                       store=None, group_name="", pg_options=None, device_id=None):
    """Join the world of ``mpirun`` (see the module's docs for the backends).

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.init_process_group(backend="mpi"); dist.is_initialized()
        True
    """
    name = "mpi" if backend is None else str(backend).lower()
    if name not in ("mpi", "gloo", "cpu:gloo", "cpu:mpi"):
        raise ValueError(f"torch.distributed.init_process_group: backend {backend!r} is not "
                         f"supported; ndgrad runs on MPI: pass 'mpi' (or 'gloo', which runs on "
                         f"MPI too) and launch with mpirun -n N python script.py")
    if device_id is not None and str(device_id) != "cpu":
        raise ValueError(f"torch.distributed.init_process_group: device_id {device_id!r} names "
                         f"a GPU; ndgrad computes on the CPU, leave it out")
    _core.init(timeout=timeout)
    for given, actual, what in ((world_size, _core.world_size(), "world_size"),
                                (rank, _core.rank(), "rank")):
        if given not in (-1, None) and given != actual:
            raise ValueError(
                f"torch.distributed.init_process_group: {what}={given} but MPI's world says "
                f"{actual}; launch the program with mpirun -n N (the world comes from it), or "
                f"leave {what} out")
    _world.WORLD.backend = name.split(":")[-1]


def destroy_process_group(group=None):
    """Leave the world (``is_initialized()`` is False until the next init).

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi"); dist.destroy_process_group()
        >>> dist.is_initialized()
        False
    """
    _check_group(group, "destroy_process_group")
    _core.shutdown()


def is_initialized():
    """Whether ``init_process_group`` has run.

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.init_process_group("gloo"); dist.is_initialized()
        True
    """
    return _core.is_initialized()


def get_rank(group=None):
    """This process's rank (after ``init_process_group``).

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi"); dist.get_rank()
        0
    """
    _check_group(group, "get_rank")
    _require_initialized("get_rank")
    return _core.rank()


def get_world_size(group=None):
    """The number of ranks (after ``init_process_group``).

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.init_process_group("mpi"); dist.get_world_size()
        1
    """
    _check_group(group, "get_world_size")
    _require_initialized("get_world_size")
    return _core.world_size()


def get_backend(group=None):
    """The backend name the program asked for ("mpi" or "gloo"; both run on MPI).

    Example:
        >>> import ndgrad.torch.distributed as dist
        >>> dist.init_process_group("gloo"); dist.get_backend()
        'gloo'
    """
    _check_group(group, "get_backend")
    _require_initialized("get_backend")
    return Backend(getattr(_world.WORLD, "backend", "mpi"))


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
    from .. import stack
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


__getattr__ = unsupported(__name__, {
    "new_group": "ndgrad has one process group, the world (dist.group.WORLD)",
    "send": "use the collectives (broadcast, all_gather)",
    "recv": "use the collectives (broadcast, all_gather)",
    "isend": "use the collectives with async_op=True",
    "irecv": "use the collectives with async_op=True",
    "gather": "use all_gather (every rank gets every rank's tensor)",
    "scatter": "use broadcast and take this rank's part",
    "reduce": "use all_reduce (every rank gets the result)",
    "all_to_all": "use all_gather and take the parts",
    "all_gather_object": "objects would be pickled; gather tensors (all_gather)",
    "broadcast_object_list": "objects would be pickled; broadcast tensors",
    "fsdp": "use torch.nn.parallel.DistributedDataParallel (data parallel on MPI)",
    "rpc": "use the collectives over MPI",
})
