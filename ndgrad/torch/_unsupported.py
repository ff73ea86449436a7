"""The AttributeError every face module gives for a PyTorch name it lacks.

Each module of ``ndgrad.torch`` ends with ``__getattr__ = unsupported(__name__,
ADVICE)``: Python calls it only for names the module does not define, so a
program that reaches for ``torch.jit`` or ``nn.Bilinear`` learns at once, by
name, that ndgrad does not have it (yet) and what to use instead, instead of
running on with a half-working stand-in.

Example:
    >>> import ndgrad.torch as torch
    >>> try:
    ...     torch.jit
    ... except AttributeError as error:
    ...     print(str(error).split(";")[0])
    torch.jit is not supported by ndgrad (yet)
"""

__all__ = ["unsupported", "UNSUPPORTED_HINT"]

UNSUPPORTED_HINT = ("see the names this module has with dir(); a missing layer or op can be "
                    "written as an nn.Module or a function of ndgrad ops, which differentiate")


def _torch_name(module_name, attribute):
    """``ndgrad.torch.nn.functional`` + ``x`` -> ``torch.nn.functional.x``."""
    return module_name.replace("ndgrad.", "", 1) + "." + attribute


def _without_repeat(hint):
    """An advice text without its own "not supported (yet)", which the
    message already says."""
    return hint.removeprefix("not supported (yet)").lstrip("; ")


def unsupported(module_name, advice=None):
    """A module ``__getattr__`` that refuses every missing public name.

    Args:
        module_name: the face module's ``__name__`` (``"ndgrad.torch.nn"``).
        advice: ``{name: what to use instead}`` for the names people reach for
            most; other names get a general hint.

    Returns:
        A function ``__getattr__(name)`` that always raises AttributeError:
        for a dunder name the plain message (so ``hasattr`` probes by tools
        stay quiet), for any other the name in PyTorch's spelling, "is not
        supported by ndgrad (yet)" and the advice.

    Example:
        >>> getattr_ = unsupported("ndgrad.torch.nn", {"Bilinear": "use two nn.Linear"})
        >>> try:
        ...     getattr_("Bilinear")
        ... except AttributeError as error:
        ...     print(error)
        torch.nn.Bilinear is not supported by ndgrad (yet); use two nn.Linear
    """
    advice = dict(advice or {})

    def __getattr__(name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        hint = _without_repeat(advice.get(name, "")) or UNSUPPORTED_HINT
        raise AttributeError(f"{_torch_name(module_name, name)} is not supported by ndgrad "
                             f"(yet); {hint}")

    return __getattr__
