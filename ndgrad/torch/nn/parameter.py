"""``torch.nn.parameter``: ``Parameter``, ndgrad's own (``ndgrad.nn.Parameter``).

Example:
    >>> import ndgrad.torch as torch
    >>> from ndgrad.torch.nn.parameter import Parameter
    >>> Parameter(torch.zeros(2)).requires_grad
    True
"""

from ...nn.parameter import Parameter
from .._unsupported import unsupported

__all__ = ["Parameter"]

__getattr__ = unsupported(__name__, {
    "UninitializedParameter": "create the Parameter with its shape",
    "Buffer": "register a tensor with module.register_buffer(name, tensor)",
})
