"""The world of processes: MPI's when the program was launched by ``mpirun``,
else a world of one.

:func:`init` reads the world once. Under a launcher (``mpirun``/``mpiexec``
of MPICH or Intel MPI, Open MPI, or a PMIx/PMI launcher such as ``srun``) it
imports mpi4py, which joins MPI's world; anywhere else, or when mpi4py is not
installed, the world is this one process and every collective returns its
input, so a script runs unchanged on a laptop. ``NDGRAD_DISTRIBUTED=mpi``
joins MPI even without a launcher's variables (an MPI singleton),
``NDGRAD_DISTRIBUTED=off`` stays a world of one under any launcher.

With more than one rank (or under MPI at all), ``init`` also installs an
exception hook: an exception that nothing caught prints its traceback, with
the rank, and then calls MPI Abort, which ends every rank at once (no rank is
left waiting in a collective for a peer that died). A collective that waits
longer than the timeout (``init(timeout=...)``, or the environment variable
``NDGRAD_DISTRIBUTED_TIMEOUT`` in seconds; 1800 by default, as PyTorch's
process groups) aborts too, naming the collective and the missing ranks
(see ``waiting.py``). Several ranks on one machine with no thread variable
set share its cores: each rank's BLAS gets ``cores // local ranks`` threads
(see ``threads.py``).

Example:
    >>> import ndgrad.distributed as dist
    >>> dist.init()
    >>> dist.is_initialized(), dist.rank(), dist.world_size()
    (True, 0, 1)
"""

import os
import sys
import time
import traceback as _traceback

__all__ = ["init", "is_initialized", "rank", "world_size", "using_mpi", "shutdown",
           "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 1800.0     # seconds, PyTorch's default process-group timeout
ABORT_GRACE_SECONDS = 0.5    # for a failing rank's report to reach mpirun before the abort
_LAUNCHER_VARIABLES = ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS")


class World:
    """The state of this process's world: rank, size, MPI communicators (None
    in a world of one), the timeout and the count of collectives started."""

    def __init__(self):
        self.initialized = False
        self.rank = 0
        self.size = 1
        self.mpi = None          # the mpi4py.MPI module, when MPI is in use
        self.comm = None         # the data communicator (a duplicate of COMM_WORLD)
        self.control = None      # a second duplicate: timeout census messages only
        self.timeout = DEFAULT_TIMEOUT
        self.sequence = 0        # collectives started so far (the same on every rank)
        self.waiting = -1        # the sequence number this rank waits for, -1 when none
        self.previous_hook = None
        self.backend = "mpi"     # the name a PyTorch program asked for (torch.distributed)
        self.threads = None      # the thread limit init set (threads.py), None when none


WORLD = World()


def _timeout_value(timeout, where):
    if timeout is None:
        text = os.environ.get("NDGRAD_DISTRIBUTED_TIMEOUT")
        if text is None:
            return WORLD.timeout
        try:
            timeout = float(text)
        except ValueError:
            raise ValueError(f"ndgrad.distributed: NDGRAD_DISTRIBUTED_TIMEOUT must be a number "
                             f"of seconds; got {text!r}") from None
        where = "NDGRAD_DISTRIBUTED_TIMEOUT"
    if hasattr(timeout, "total_seconds"):             # a datetime.timedelta, as PyTorch's
        timeout = timeout.total_seconds()
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"{where}: timeout must be a positive number of seconds (or a "
                         f"timedelta); got {timeout!r}")
    return float(timeout)


def _wanted_mode():
    mode = os.environ.get("NDGRAD_DISTRIBUTED", "auto").strip().lower()
    if mode not in ("auto", "mpi", "off"):
        raise ValueError(f"ndgrad.distributed: NDGRAD_DISTRIBUTED must be 'auto', 'mpi' or "
                         f"'off'; got {mode!r}")
    if mode == "auto":
        return "mpi" if any(name in os.environ for name in _LAUNCHER_VARIABLES) else "off"
    return mode


def _import_mpi():
    try:
        from mpi4py import MPI
    except ImportError:
        raise ImportError(
            "ndgrad.distributed: this process was started by an MPI launcher (or "
            "NDGRAD_DISTRIBUTED=mpi) but mpi4py is not installed, so it cannot join the other "
            "ranks; install the extra (pip install 'ndgrad[distributed]', i.e. mpi4py and "
            "mpich) or set NDGRAD_DISTRIBUTED=off to train in one process") from None
    return MPI


def init(timeout=None):
    """Join the world of processes (idempotent); a world of one outside ``mpirun``.

    Args:
        timeout: seconds (or a ``datetime.timedelta``) a collective may wait
            for the other ranks before every rank is aborted; default
            ``NDGRAD_DISTRIBUTED_TIMEOUT`` or 1800. A later call may change it.

    Example:
        >>> import ndgrad.distributed as dist
        >>> dist.init(timeout=60); dist.init(); dist.world_size()
        1
    """
    value = _timeout_value(timeout, "ndgrad.distributed.init")
    if WORLD.initialized:
        WORLD.timeout = value
        return
    MPI = None
    if WORLD.comm is None and _wanted_mode() == "mpi":     # after shutdown(): the same world
        MPI = _import_mpi()
    if MPI is not None:
        WORLD.mpi = MPI
        WORLD.comm = MPI.COMM_WORLD.Dup()
        WORLD.control = MPI.COMM_WORLD.Dup()
        WORLD.rank, WORLD.size = WORLD.comm.Get_rank(), WORLD.comm.Get_size()
        _install_exception_hook()
        from .threads import share_cores
        WORLD.threads = share_cores(WORLD.comm, MPI)
    WORLD.timeout = value
    WORLD.initialized = True


def _install_exception_hook():
    if WORLD.previous_hook is None:
        WORLD.previous_hook = sys.excepthook
        sys.excepthook = abort_on_exception


def abort_on_exception(kind, value, traceback):
    """The exception hook under MPI: print the traceback with this rank, then
    MPI Abort so that every rank ends now (none hangs waiting for this one).

    The report is written in one piece and given a moment to reach the
    launcher before the abort, which also ends ranks that are failing at the
    same time (each of them prints whole, or not at all).

    Example:
        >>> from ndgrad.distributed.world import abort_on_exception
        >>> callable(abort_on_exception)
        True
    """
    previous = WORLD.previous_hook
    try:
        header = (f"ndgrad.distributed: rank {WORLD.rank} of {WORLD.size} raised "
                  f"{kind.__name__}; its traceback follows, then every rank is ended "
                  f"(MPI Abort)\n")
        if previous in (None, sys.__excepthook__):
            text = "".join(_traceback.format_exception(kind, value, traceback))
            sys.stderr.write(header + text)
        else:
            sys.stderr.write(header)
            previous(kind, value, traceback)
        sys.stderr.flush()
        time.sleep(ABORT_GRACE_SECONDS)
    finally:
        if WORLD.comm is not None:
            WORLD.mpi.COMM_WORLD.Abort(1)


def _ensure():
    if not WORLD.initialized:
        init()
    return WORLD


def is_initialized():
    """Whether :func:`init` has run (the first collective runs it too).

    Example:
        >>> import ndgrad.distributed as dist
        >>> dist.init(); dist.is_initialized()
        True
    """
    return WORLD.initialized


def rank():
    """This process's rank, 0 to ``world_size() - 1`` (0 in a world of one).

    Example:
        >>> import ndgrad.distributed as dist
        >>> dist.rank()
        0
    """
    return _ensure().rank


def world_size():
    """How many processes train together (1 outside ``mpirun``).

    Example:
        >>> import ndgrad.distributed as dist
        >>> dist.world_size()
        1
    """
    return _ensure().size


def using_mpi():
    """Whether this world runs on MPI (False in a world of one without it).

    Example:
        >>> import ndgrad.distributed as dist
        >>> dist.using_mpi()
        False
    """
    return _ensure().comm is not None


def shutdown():
    """Leave the world: :func:`is_initialized` is False until the next
    :func:`init` (MPI itself stays up until the process exits, as MPI cannot
    be started twice; the exception hook stays installed).

    Example:
        >>> import ndgrad.distributed as dist
        >>> dist.init(); dist.shutdown(); dist.is_initialized()
        False
        >>> dist.init()
    """
    WORLD.initialized = False
