"""Recording switches with PyTorch's forms: ``torch.no_grad`` (a context, a
decorator with or without parentheses), ``enable_grad``, ``set_grad_enabled``,
``inference_mode`` and ``is_grad_enabled``, over ``ndgrad.autograd.mode``.

Example:
    >>> import ndgrad.torch as torch
    >>> @torch.no_grad
    ... def evaluate():
    ...     return torch.is_grad_enabled()
    >>> evaluate(), torch.is_grad_enabled()
    (False, True)
"""

from ...autograd import mode as _mode
from ...autograd.mode import is_grad_enabled, set_grad_enabled

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled"]


def _bare_decorator(cls, function, arguments=()):
    """``@torch.no_grad`` (no call): decorate ``function`` at once."""
    return cls(*arguments)(function)


class no_grad(_mode.no_grad):
    """Turn off recording, as ``ndgrad.no_grad``; also ``@torch.no_grad`` bare.

    Example:
        >>> import ndgrad.torch as torch
        >>> x = torch.ones(1, requires_grad=True)
        >>> with torch.no_grad():
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    def __new__(cls, function=None):
        if callable(function):
            return _bare_decorator(cls, function)
        return super().__new__(cls)

    def __init__(self, function=None):
        super().__init__()


class enable_grad(_mode.enable_grad):
    """Turn recording back on, as ``ndgrad.enable_grad``; also bare as a decorator.

    Example:
        >>> import ndgrad.torch as torch
        >>> with torch.no_grad(), torch.enable_grad():
        ...     torch.is_grad_enabled()
        True
    """

    def __new__(cls, function=None):
        if callable(function):
            return _bare_decorator(cls, function)
        return super().__new__(cls)

    def __init__(self, function=None):
        super().__init__()


_inference_depth = [0]


class inference_mode(_mode.no_grad):
    """PyTorch's ``inference_mode``: with ``mode=True`` (the default) recording is
    off, as ``no_grad``; ``inference_mode(False)`` changes nothing.

    ndgrad has no separate "inference tensors": results made here are ordinary
    tensors that simply carry no graph.

    Example:
        >>> import ndgrad.torch as torch
        >>> with torch.inference_mode():
        ...     torch.is_grad_enabled()
        False
    """

    def __new__(cls, mode=True):
        if callable(mode):
            return _bare_decorator(cls, mode)
        return super().__new__(cls)

    def __init__(self, mode=True):
        super().__init__()
        self._mode = bool(mode)

    def __enter__(self):
        if not self._mode:
            return self
        _inference_depth[0] += 1
        return super().__enter__()

    def __exit__(self, *exc):
        if not self._mode:
            return False
        _inference_depth[0] -= 1
        return super().__exit__(*exc)

    def _args(self):
        return (self._mode,)


def is_inference_mode_enabled():
    """True inside ``inference_mode()`` (not merely inside ``no_grad()``).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.is_inference_mode_enabled()
        False
    """
    return _inference_depth[0] > 0

