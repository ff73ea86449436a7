"""``torch.utils``: ``torch.utils.data`` (datasets, samplers, DataLoader).

Example:
    >>> import ndgrad.torch as torch
    >>> torch.utils.data.DataLoader.__name__
    'DataLoader'
"""

from .._unsupported import unsupported
from . import data

__all__ = ["data"]

__getattr__ = unsupported(__name__, {
    "tensorboard": "log scalars with ndgrad's training callbacks (History) or print them",
    "checkpoint": "activation checkpointing is not supported; use a smaller batch",
    "hooks": "use module hooks (register_forward_hook)",
})
