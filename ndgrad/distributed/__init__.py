"""Data-parallel training across processes and machines, on MPI (mpi4py + MPICH).

Launch the same script on N processes with ``mpirun -n N python train.py``;
each process is a *rank* with its own copy of the model and its own shard of
the data, and the ranks average their gradients every step. Outside
``mpirun`` (or without the optional extra, ``pip install 'ndgrad[distributed]'``)
the world is this one process and everything here works unchanged.

- The world: :func:`init` (idempotent; the first collective calls it),
  :func:`rank`, :func:`world_size`, :func:`is_initialized`, :func:`barrier`,
  :func:`shutdown`.
- Collectives on tensors and arrays: :func:`all_reduce` ("sum", "mean",
  "max", "min"), :func:`broadcast`, :func:`all_gather`,
  :func:`reduce_scatter`; ``async_op=True`` gives a :class:`Work` to
  ``wait()`` on.
- Training: :class:`DistributedDataParallel` (PyTorch's semantics; also
  ``ndgrad.torch.nn.parallel.DistributedDataParallel``) and
  :class:`DistributedSampler` (each rank's share of a dataset).
- Keras-style training: :class:`DataParallel` (``with DataParallel().scope():``
  around ``compile`` or ``fit``, or :func:`set_distribution`) makes
  ``model.fit`` data-parallel: sharded data, averaged gradients, reduced
  metrics, rank 0 alone printing and writing checkpoints.
- Ranks on one machine share its cores: with no ``OMP_NUM_THREADS`` (or
  ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``) set, each rank's BLAS gets
  ``cores // local ranks`` threads (threadpoolctl, when installed).
- Faults end every rank instead of hanging: an uncaught exception on a rank
  prints its traceback and aborts all (MPI Abort); a collective that waits
  longer than the timeout names the ranks that never reached it and aborts.

Example:
    >>> import numpy as np
    >>> import ndgrad.distributed as dist
    >>> dist.init()
    >>> dist.rank(), dist.world_size()
    (0, 1)
    >>> dist.all_reduce(np.array([3.0]), op="sum")
    array([3.])
"""

from .collectives import REDUCE_OPS, Work, all_gather, all_reduce, barrier, broadcast, \
    reduce_scatter
from .data_parallel import DataParallel, distribution, set_distribution
from .parallel import DistributedDataParallel
from .sampler import DistributedSampler
from .world import DEFAULT_TIMEOUT, init, is_initialized, rank, shutdown, using_mpi, world_size

__all__ = ["init", "is_initialized", "rank", "world_size", "using_mpi", "shutdown",
           "DEFAULT_TIMEOUT", "barrier", "all_reduce", "broadcast", "all_gather",
           "reduce_scatter", "Work", "REDUCE_OPS", "DistributedDataParallel",
           "DistributedSampler", "DataParallel", "set_distribution", "distribution"]
