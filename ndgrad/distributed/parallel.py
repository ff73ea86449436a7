"""DistributedDataParallel: one model per rank, gradients averaged across ranks.

The core class behind ``torch.nn.parallel.DistributedDataParallel`` (the
PyTorch face re-exports it), with PyTorch's semantics:

- At construction every rank's model is compared with rank 0's (names,
  shapes, dtypes, frozen or not; a mismatch is refused on every rank, naming
  the first difference) and rank 0's parameters and buffers are broadcast,
  so ranks that initialised differently start equal.
- During backward the gradients are averaged in buckets that are sent while
  backward goes on (see ``buckets.py``); when ``loss.backward()`` returns,
  every ``.grad`` holds the average over the ranks, ready for
  ``optimizer.step()``. With each rank's loss a mean over its batch of B,
  N ranks train exactly as one process with batch N*B (up to rounding).
- ``no_sync()``: backward inside it only accumulates locally; the first
  backward after it averages the accumulated gradients.
- Buffers (BatchNorm's running statistics) are broadcast from rank 0 before
  each forward that records a graph (``broadcast_buffers=True``), and batch
  statistics are each rank's own: BatchNorm normalises every rank's batch
  with that batch's mean and variance, as PyTorch's DDP does (no
  SyncBatchNorm).
- The state dict's keys start with ``module.``, as PyTorch's DDP's do; the
  wrapped model is ``.module``.

Example:
    >>> import ndgrad.torch as torch
    >>> from ndgrad.distributed import DistributedDataParallel
    >>> model = DistributedDataParallel(torch.nn.Linear(3, 1))      # a world of one
    >>> model(torch.ones(4, 3)).sum().backward()
    >>> model.module.weight.grad.tolist()
    [[4.0, 4.0, 4.0]]
    >>> sorted(model.state_dict())
    ['module.bias', 'module.weight']
"""

import contextlib
import weakref

import numpy as np

from ..autograd.mode import no_grad, state as _mode
from ..devices import first_gpu_id
from ..nn.module import Module
from .buckets import Reducer, check_bucket_cap
from .collectives import broadcast
from .consistency import check_same_model
from .world import WORLD, init

__all__ = ["DistributedDataParallel"]

_NAME = "DistributedDataParallel"


def _check_cpu(device_ids, output_device):
    entry = first_gpu_id(device_ids, output_device)
    if entry is not None:
        raise ValueError(f"{_NAME}: device {entry!r} names a GPU, but ndgrad computes on the "
                         f"CPU; leave device_ids and output_device out (each rank is one "
                         f"CPU process)")


def _check_arguments(module, bucket_cap_mb, process_group):
    if not isinstance(module, Module):
        raise TypeError(f"{_NAME}: module must be an nn.Module (or a Keras layer/model); got "
                        f"{type(module).__name__}")
    check_bucket_cap(_NAME, bucket_cap_mb)
    if process_group is not None and not getattr(process_group, "is_world_group", False):
        raise ValueError(f"{_NAME}: process_group must be None (the world; ndgrad has no "
                         f"subgroups); got {process_group!r}")
    if not any(p.requires_grad for p in module.parameters()):
        raise RuntimeError(f"{_NAME} is not needed when a module has no parameter that "
                           f"requires a gradient (a model built lazily must be built first: "
                           f"call it once on a batch, or build(input_shape))")


class DistributedDataParallel(Module):
    """Train ``module`` data-parallel: one copy per rank, gradients averaged.

    Args:
        module: the model (an ``nn.Module`` or Keras layer, built).
        device_ids, output_device: None or the CPU (each rank is one CPU process).
        dim: the batch dimension (kept, for the record).
        broadcast_buffers: broadcast rank 0's buffers before each forward
            that records a graph.
        init_sync: broadcast rank 0's parameters and buffers now.
        process_group: None (the world).
        bucket_cap_mb: about how many megabytes of gradients one allreduce
            sends (default 25; the first bucket is capped at 1).
        find_unused_parameters: let parameters that a forward does not use
            get no gradient (see ``buckets.py``).
        gradient_as_bucket_view, static_graph, check_reduction: accepted for
            PyTorch's programs; they change nothing here.

    Example:
        >>> import ndgrad.torch as torch
        >>> from ndgrad.distributed import DistributedDataParallel
        >>> model = DistributedDataParallel(torch.nn.Linear(2, 2), bucket_cap_mb=1)
        >>> with model.no_sync():
        ...     model(torch.ones(1, 2)).sum().backward()
        >>> model.module.bias.grad.tolist()
        [1.0, 1.0]
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0,
                 broadcast_buffers=True, init_sync=True, process_group=None,
                 bucket_cap_mb=None, find_unused_parameters=False, check_reduction=False,
                 gradient_as_bucket_view=False, static_graph=False):
        bucket_cap_mb = 25 if bucket_cap_mb is None else bucket_cap_mb
        _check_cpu(device_ids, output_device)
        _check_arguments(module, bucket_cap_mb, process_group)
        if not WORLD.initialized:
            init()
        check_same_model(module, _NAME)               # a collective: before anything changes
        if init_sync:
            _broadcast_state(module)
        super().__init__()
        self.module = module
        self.device_ids = []
        self.output_device = None
        self.dim = int(dim)
        self.broadcast_buffers = bool(broadcast_buffers)
        self.find_unused_parameters = bool(find_unused_parameters)
        self.gradient_as_bucket_view = bool(gradient_as_bucket_view)
        self.static_graph = bool(static_graph)
        self.bucket_cap_mb = bucket_cap_mb
        self.require_backward_grad_sync = True
        trainable = [(name, p) for name, p in module.named_parameters() if p.requires_grad]
        reducer = Reducer([name for name, _ in trainable], [p for _, p in trainable],
                          int(bucket_cap_mb * 1024 * 1024), self.find_unused_parameters)
        object.__setattr__(self, "_reducer", reducer)
        weakref.finalize(self, reducer.remove_hooks)

    def forward(self, *inputs, **kwargs):
        """``module(*inputs, **kwargs)``, preparing the averaging of this backward."""
        sync = self.require_backward_grad_sync and _mode.enabled
        if sync and self.broadcast_buffers and WORLD.size > 1:
            _broadcast_tensors([b for _, b in self.module.named_buffers()])
        output = self.module(*inputs, **kwargs)
        if sync:
            self._reducer.prepare(output)
        else:
            self._reducer.expect = False
        return output

    @contextlib.contextmanager
    def no_sync(self):
        """Inside, backward accumulates gradients on this rank only; the first
        synchronised backward after it averages the sum (gradient accumulation).

        Example:
            >>> import ndgrad.torch as torch
            >>> from ndgrad.distributed import DistributedDataParallel
            >>> model = DistributedDataParallel(torch.nn.Linear(1, 1))
            >>> with model.no_sync():
            ...     model(torch.ones(2, 1)).sum().backward()
            >>> model(torch.ones(2, 1)).sum().backward()
            >>> model.module.bias.grad.item()
            4.0
        """
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous


def _broadcast_tensors(tensors):
    """Rank 0's values of ``tensors`` into every rank's, one broadcast per dtype."""
    by_dtype = {}
    for tensor in tensors:
        by_dtype.setdefault(tensor.dtype, []).append(tensor)
    for group in by_dtype.values():
        flat = np.concatenate([t._data.reshape(-1) for t in group]) if group else None
        flat = broadcast(flat, src=0)
        offset = 0
        with no_grad():
            for tensor in group:
                size = tensor._data.size
                tensor._data[...] = flat[offset:offset + size].reshape(tensor.shape)
                offset += size


def _broadcast_state(module):
    _broadcast_tensors([p for _, p in module.named_parameters()] +
                       [b for _, b in module.named_buffers()])
