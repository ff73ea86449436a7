"""``torch.backends.cuda``: no CUDA; ``matmul.allow_tf32`` and the like are
accepted and change nothing.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.backends.cuda.matmul.allow_tf32 = True
    >>> torch.backends.cuda.is_built()
    False
"""

import types

from .._unsupported import unsupported

__all__ = ["is_built", "matmul"]

matmul = types.SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True,
                               allow_bf16_reduced_precision_reduction=True)


def is_built():
    """False: ndgrad is not built with CUDA.

    Example:
        >>> from ndgrad.torch.backends.cuda import is_built
        >>> is_built()
        False
    """
    return False


__getattr__ = unsupported(__name__, {})
