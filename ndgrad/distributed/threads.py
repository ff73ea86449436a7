"""Sharing a machine's cores between the ranks on it.

OpenBLAS (NumPy's BLAS) starts one thread per core in every process, so N
ranks on one machine run N times as many BLAS threads as there are cores;
they take turns on the cores, and a rank that waits for a core makes every
other rank wait at the next allreduce (data-parallel steps go at the pace of
the slowest rank). PyTorch's launcher sets ``OMP_NUM_THREADS=1`` for the
same reason.
So, when ``init`` joins a world with several ranks on this machine and none
of ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS`` is set,
each rank's thread pools are limited to ``cores // local ranks`` threads
(at least 1) with threadpoolctl, when it is installed; without it, local rank
0 warns once, naming the variable to set. A variable that is set wins: the
user chose.

Example:
    >>> from ndgrad.distributed.threads import threads_per_rank
    >>> threads_per_rank(cores=16, local_ranks=4), threads_per_rank(cores=2, local_ranks=3)
    (4, 1)
"""

import os
import warnings

__all__ = ["THREAD_VARIABLES", "threads_per_rank", "share_cores"]

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_LIMITS = []                 # threadpoolctl's limiter, kept for the life of the process


def threads_per_rank(cores, local_ranks):
    """Threads for each of ``local_ranks`` ranks on ``cores`` cores (at least 1).

    Example:
        >>> from ndgrad.distributed.threads import threads_per_rank
        >>> threads_per_rank(cores=2, local_ranks=2)
        1
    """
    return max(1, int(cores) // max(1, int(local_ranks)))


def _cores():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def share_cores(comm, MPI):
    """Limit this rank's thread pools when several ranks share the machine and
    no thread variable is set (see the module); returns the limit or None.
    A collective over ``comm`` (every rank's ``init`` calls it).

    Example:
        >>> from ndgrad.distributed.threads import share_cores
        >>> share_cores(None, None) is None       # a world of one: nothing to share
        True
    """
    if comm is None or comm.Get_size() == 1:
        return None
    local = comm.Split_type(MPI.COMM_TYPE_SHARED)
    local_ranks, local_rank = local.Get_size(), local.Get_rank()
    local.Free()
    if local_ranks == 1 or any(os.environ.get(name, "").strip() for name in THREAD_VARIABLES):
        return None
    threads = threads_per_rank(_cores(), local_ranks)
    try:
        import threadpoolctl
    except ImportError:
        if local_rank == 0:
            warnings.warn(
                f"ndgrad.distributed: {local_ranks} ranks share this machine's {_cores()} cores, "
                f"and each rank's BLAS may start a thread per core; launch with "
                f"OMP_NUM_THREADS={threads} (or install threadpoolctl, which ndgrad then uses "
                f"to limit them)", RuntimeWarning, stacklevel=3)
        return None
    _LIMITS.append(threadpoolctl.threadpool_limits(limits=threads))
    return threads
