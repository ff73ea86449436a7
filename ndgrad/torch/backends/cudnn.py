"""``torch.backends.cudnn``: no cuDNN; its flags are accepted and change nothing.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.backends.cudnn.deterministic = True
    >>> torch.backends.cudnn.is_available()
    False
"""

from .._unsupported import unsupported

__all__ = ["is_available", "version", "enabled", "benchmark", "deterministic", "allow_tf32"]

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available():
    """False: ndgrad does not use cuDNN.

    Example:
        >>> from ndgrad.torch.backends.cudnn import is_available
        >>> is_available()
        False
    """
    return False


def version():
    """None: no cuDNN library is loaded.

    Example:
        >>> from ndgrad.torch.backends.cudnn import version
        >>> version() is None
        True
    """
    return None


__getattr__ = unsupported(__name__, {})
