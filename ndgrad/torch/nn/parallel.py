"""``torch.nn.parallel``: ``DataParallel`` on the CPU, ``DistributedDataParallel`` on MPI.

PyTorch's ``DataParallel`` splits each batch across the visible GPUs; with
none visible it runs the wrapped module itself, and that is what it does
here (ndgrad computes on the CPU). It keeps PyTorch's shape: the wrapped
module is ``.module``, so the state dict's keys start with ``module.``, and
a checkpoint saved from a wrapped model loads into a wrapped one (or, with the
prefix removed, into the bare module), as in PyTorch. Device ids that name
GPUs are refused, as every CUDA device is. ``DistributedDataParallel`` is the
core's :class:`ndgrad.distributed.DistributedDataParallel` (one process per
rank, launched by ``mpirun``; gradients averaged during backward).

Example:
    >>> import ndgrad.torch as torch
    >>> model = torch.nn.DataParallel(torch.nn.Linear(2, 1))
    >>> sorted(model.state_dict()), model(torch.ones(3, 2)).shape
    (['module.bias', 'module.weight'], (3, 1))
"""

from ...devices import DeviceError, first_gpu_id
from ...distributed.parallel import DistributedDataParallel
from ...nn.module import Module
from .._unsupported import unsupported

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel"]


def _check_devices(owner, device_ids, output_device):
    """Refuse GPU device ids (ints name CUDA devices in PyTorch) before anything changes."""
    entry = first_gpu_id(device_ids, output_device)
    if entry is not None:
        raise DeviceError(
            f"{owner}: device {entry!r} names a GPU, but ndgrad computes on the CPU "
            "(torch.cuda.is_available() is False); leave device_ids and output_device "
            "out: on the CPU, DataParallel runs the module itself")


class DataParallel(Module):
    """PyTorch's ``DataParallel`` with no GPU: calls ``module`` itself.

    Args:
        module: the module to run (an ``nn.Module``).
        device_ids: None or empty (GPU ids are refused: there are none).
        output_device: None or ``"cpu"``.
        dim: the batch dimension PyTorch would split along (kept, for the record).

    Example:
        >>> import ndgrad.torch as torch
        >>> net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
        >>> wrapped = torch.nn.DataParallel(net)
        >>> wrapped.module is net, wrapped.device_ids, torch.equal(wrapped(torch.ones(1, 2)),
        ...                                                     net(torch.ones(1, 2)))
        (True, [], True)
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        if not isinstance(module, Module):
            raise TypeError(f"DataParallel: module must be an nn.Module, got "
                            f"{type(module).__name__}")
        _check_devices("DataParallel", device_ids, output_device)
        super().__init__()
        self.module = module
        self.device_ids = []          # PyTorch's value when no GPU is visible
        self.output_device = None
        self.dim = int(dim)

    def forward(self, *inputs, **kwargs):
        """``self.module(*inputs, **kwargs)``."""
        return self.module(*inputs, **kwargs)


def data_parallel(module, inputs, device_ids=None, output_device=None, dim=0,
                  module_kwargs=None):
    """PyTorch's functional ``data_parallel``: on the CPU, ``module(*inputs, **module_kwargs)``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.nn.parallel.data_parallel(torch.nn.Identity(), torch.ones(2)).tolist()
        [1.0, 1.0]
    """
    _check_devices("data_parallel", device_ids, output_device)
    inputs = inputs if isinstance(inputs, tuple) else (inputs,)
    return module(*inputs, **(module_kwargs or {}))


__getattr__ = unsupported(__name__, {
    "DistributedDataParallelCPU": "use DistributedDataParallel (it runs on the CPU)",
    "replicate": "ndgrad computes on the CPU: call the module itself",
    "scatter": "ndgrad computes on the CPU: call the module itself",
    "gather": "ndgrad computes on the CPU: call the module itself",
    "parallel_apply": "call each module on its input in a loop",
})
