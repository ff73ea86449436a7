"""``torch.backends``: the switches programs set for GPU libraries.

ndgrad has no cuDNN, CUDA or MPS backend: ``is_available()`` is False in
each, and the flags programs set (``torch.backends.cudnn.benchmark = True``,
``cudnn.deterministic = True``, ``torch.backends.cuda.matmul.allow_tf32``)
are accepted and change nothing: ndgrad's CPU results are deterministic and
computed in the tensors' own dtype.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.backends.cudnn.benchmark = True
    >>> torch.backends.mps.is_available(), torch.backends.cudnn.is_available()
    (False, False)
"""

from .._unsupported import unsupported
from . import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]

__getattr__ = unsupported(__name__, {})
