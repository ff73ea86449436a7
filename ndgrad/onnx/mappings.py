"""Importing this module fills :data:`ndgrad.onnx.registry.MAPPINGS` with every theme's table.

Example:
    >>> import ndgrad.onnx.mappings
    >>> from ndgrad.onnx.registry import MAPPINGS
    >>> len(MAPPINGS) > 50
    True
"""

from . import (mappings_attention, mappings_elementwise, mappings_layers,  # noqa: F401
               mappings_logic, mappings_norms, mappings_recurrent, mappings_shapes)
