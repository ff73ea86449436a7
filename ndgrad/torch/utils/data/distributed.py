"""``torch.utils.data.distributed``: ``DistributedSampler``, each rank's share of
a dataset (the core's :class:`ndgrad.distributed.DistributedSampler`, with
PyTorch's split).

Example:
    >>> from ndgrad.torch.utils.data.distributed import DistributedSampler
    >>> list(DistributedSampler(range(6), num_replicas=3, rank=2, shuffle=False))
    [2, 5]
"""

from ....distributed.sampler import DistributedSampler
from ..._unsupported import unsupported

__all__ = ["DistributedSampler"]

__getattr__ = unsupported(__name__)
