"""``torch.distributed``'s process group over ``ndgrad.distributed``: joining and
leaving the world, its rank and size, and PyTorch's names for reductions,
backends and groups (see the package's docs for the backends).

Example:
    >>> import ndgrad.torch.distributed as dist
    >>> dist.init_process_group("gloo"); dist.get_world_size()
    1
"""

import enum

from ... import distributed as _core
from ...distributed import world as _world

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
