"""``keras.distribution``: Keras 3's data parallelism, over MPI ranks.

``set_distribution(DataParallel())`` (or ``with DataParallel().scope():``)
makes ``model.fit`` data-parallel when the script runs under
``mpirun -n N``: each process is one replica, the data is split over them,
the gradients and metrics are averaged (see
:mod:`ndgrad.distributed.data_parallel`). Outside ``mpirun`` it is a world
of one and fits run as usual. Model parallelism (``ModelParallel``,
``DeviceMesh``, ``LayoutMap``) is not supported.

Example:
    >>> from ndgrad import keras
    >>> keras.distribution.set_distribution(keras.distribution.DataParallel())
    >>> keras.distribution.distribution().num_processes
    1
    >>> keras.distribution.set_distribution(None)
"""

from ..distributed.data_parallel import DataParallel, distribution, set_distribution
from ._unsupported import module_getattr

__all__ = ["DataParallel", "set_distribution", "distribution", "initialize", "list_devices"]


def initialize(job_addresses=None, num_processes=None, process_id=None):
    """Join the MPI world (``mpirun`` gives the processes and their ids, so the
    arguments must be None or agree with it).

    Example:
        >>> from ndgrad import keras
        >>> keras.distribution.initialize()
    """
    from .. import distributed
    distributed.init()
    for label, value, actual in (("num_processes", num_processes, distributed.world_size()),
                                 ("process_id", process_id, distributed.rank())):
        if value is not None and value != actual:
            raise ValueError(f"keras.distribution.initialize: {label}={value!r}, but mpirun "
                             f"started this process with {label}={actual}; leave it out")
    if job_addresses is not None:
        raise ValueError("keras.distribution.initialize: job_addresses is not used; mpirun "
                         "(its -host / -hostfile options) places the processes")


def list_devices(device_type=None):
    """The devices of this process: its CPU (each MPI rank is one process).

    Example:
        >>> from ndgrad import keras
        >>> keras.distribution.list_devices()
        ['cpu:0']
    """
    if device_type not in (None, "cpu", "CPU"):
        raise ValueError(f"keras.distribution.list_devices: ndgrad computes on the CPU; got "
                         f"device_type={device_type!r}")
    return ["cpu:0"]


_MODEL_PARALLEL = "ndgrad has data parallelism only: keras.distribution.DataParallel()"
__getattr__ = module_getattr("keras.distribution", {
    "ModelParallel": _MODEL_PARALLEL, "DeviceMesh": _MODEL_PARALLEL,
    "LayoutMap": _MODEL_PARALLEL, "TensorLayout": _MODEL_PARALLEL,
    "distribute_tensor": _MODEL_PARALLEL})
