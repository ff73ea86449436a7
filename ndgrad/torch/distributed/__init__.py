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

from .._unsupported import unsupported
from .collectives import (Work, all_gather, all_gather_into_tensor, all_reduce, barrier,
                          broadcast, reduce_scatter, reduce_scatter_tensor)
from .process_group import (Backend, GroupMember, ProcessGroup, ReduceOp, destroy_process_group,
                            get_backend, get_rank, get_world_size, group, init_process_group,
                            is_available, is_gloo_available, is_initialized, is_mpi_available,
                            is_nccl_available, is_torchelastic_launched)

__all__ = ["init_process_group", "destroy_process_group", "is_initialized", "is_available",
           "get_rank", "get_world_size", "get_backend", "barrier", "all_reduce", "broadcast",
           "all_gather", "all_gather_into_tensor", "reduce_scatter", "reduce_scatter_tensor",
           "ReduceOp", "Backend", "ProcessGroup", "group", "GroupMember", "Work",
           "is_mpi_available", "is_gloo_available", "is_nccl_available",
           "is_torchelastic_launched"]

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
