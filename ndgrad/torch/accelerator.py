"""``torch.accelerator``: no accelerator in ndgrad, so programs choose the CPU.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.accelerator.is_available(), torch.accelerator.current_accelerator()
    (False, None)
"""

from ._unsupported import unsupported

__all__ = ["is_available", "current_accelerator", "device_count"]


def is_available():
    """False: ndgrad computes on the CPU only.

    Example:
        >>> from ndgrad.torch.accelerator import is_available
        >>> is_available()
        False
    """
    return False


def current_accelerator(check_available=False):
    """None: there is no accelerator (``torch.device("cpu")`` is the device).

    Example:
        >>> from ndgrad.torch.accelerator import current_accelerator
        >>> current_accelerator() is None
        True
    """
    return None


def device_count():
    """0: no accelerator devices.

    Example:
        >>> from ndgrad.torch.accelerator import device_count
        >>> device_count()
        0
    """
    return 0


__getattr__ = unsupported(__name__, {})
