"""The Keras face: ``Layer`` (the same class as ``ndgrad.nn.Module``) and layers
with Keras's names, arguments, defaults (channels_last) and weight layouts
(``Dense.kernel`` is (input_dim, units)).

Example:
    >>> import ndgrad
    >>> ndgrad.layers.Layer is ndgrad.nn.Module
    True
"""

from .nn.linear import Dense
from .nn.module import Module as Layer

__all__ = ["Layer", "Dense"]
