"""The table from ndgrad op names to the functions that write their ONNX nodes.

A mapping is registered with ``@maps("op_name", ...)``; it receives an
:class:`~ndgrad.onnx.builder.OpCall` and returns the ONNX name of the op's
output. The tables themselves live in ``ndgrad.onnx.mappings_*`` (one file per
theme); importing :mod:`ndgrad.onnx.mappings` fills this one.

Example:
    >>> from ndgrad.onnx.registry import MAPPINGS, supported_ops
    >>> import ndgrad.onnx.mappings
    >>> "relu" in supported_ops() and "conv" in MAPPINGS
    True
"""

MAPPINGS = {}


def maps(*names):
    """Register the decorated function as the ONNX mapping of the ops ``names``.

    Example:
        >>> from ndgrad.onnx.registry import maps, MAPPINGS
        >>> @maps("my_private_op")
        ... def _map(call):
        ...     return call.emit("Identity", [call.input(0)])
        >>> MAPPINGS.pop("my_private_op") is _map
        True
    """
    def register(function):
        for name in names:
            MAPPINGS[name] = function
        return function
    return register


def supported_ops():
    """The sorted names of the ndgrad ops that export to ONNX.

    Example:
        >>> import ndgrad.onnx
        >>> "linear" in ndgrad.onnx.supported_ops()
        True
    """
    from . import mappings  # noqa: F401  (fills the table)
    return sorted(MAPPINGS)
