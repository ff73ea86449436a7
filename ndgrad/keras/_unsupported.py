"""The AttributeError that a Keras name ndgrad does not support (yet) raises.

Each face module lists the Keras names it lacks, with what to use instead,
and gets its module-level ``__getattr__`` from :func:`module_getattr`, so
``keras.layers.ConvLSTM2D`` fails at the user's line with a message that says
so, instead of ``AttributeError: module has no attribute``.

Example:
    >>> from ndgrad.keras import _unsupported
    >>> lookup = _unsupported.module_getattr("keras.demo", {"Thing": "use ndgrad.Other"})
    >>> try:
    ...     lookup("Thing")
    ... except AttributeError as error:
    ...     print(error)
    keras.demo.Thing is not supported by ndgrad (yet); use ndgrad.Other
"""

__all__ = ["module_getattr", "unsupported_error"]

_DEFAULT_HINT = "there is no replacement yet; see the module's documentation for what exists"


def unsupported_error(qualified_name, hint=None):
    """The AttributeError for one unsupported Keras name.

    Example:
        >>> str(unsupported_error("keras.ops.fft", "use numpy.fft on .numpy()"))
        'keras.ops.fft is not supported by ndgrad (yet); use numpy.fft on .numpy()'
    """
    return AttributeError(f"{qualified_name} is not supported by ndgrad (yet); "
                          f"{hint or _DEFAULT_HINT}")


def module_getattr(module_name, unsupported, fallback=None):
    """A module ``__getattr__``: ``fallback(name)`` first (when given; it raises
    AttributeError or returns the value), then the unsupported names, then
    Python's usual error.

    Args:
        module_name: the Keras spelling, for messages (``"keras.layers"``).
        unsupported: ``{name: hint}`` (a hint of None gives a generic one), or
            an iterable of names.
        fallback: a function looking names up elsewhere (``keras.layers``
            reads ``ndgrad.layers`` at access time).

    Example:
        >>> lookup = module_getattr("keras.demo", ["Gone"], fallback=lambda name: name.upper())
        >>> lookup("abc")
        'ABC'
    """
    hints = dict(unsupported) if isinstance(unsupported, dict) else dict.fromkeys(unsupported)

    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        if fallback is not None:
            try:
                return fallback(name)
            except AttributeError:
                pass
        if name in hints:
            raise unsupported_error(f"{module_name}.{name}", hints[name])
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
    return __getattr__
