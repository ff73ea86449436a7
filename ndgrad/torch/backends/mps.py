"""``torch.backends.mps``: no Apple GPU backend in ndgrad.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.backends.mps.is_available(), torch.backends.mps.is_built()
    (False, False)
"""

from .._unsupported import unsupported

__all__ = ["is_available", "is_built"]


def is_available():
    """False: ndgrad has no MPS backend.

    Example:
        >>> from ndgrad.torch.backends.mps import is_available
        >>> is_available()
        False
    """
    return False


def is_built():
    """False: ndgrad is not built with MPS.

    Example:
        >>> from ndgrad.torch.backends.mps import is_built
        >>> is_built()
        False
    """
    return False


__getattr__ = unsupported(__name__, {})
