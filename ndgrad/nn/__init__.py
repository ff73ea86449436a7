"""The PyTorch face: ``Parameter`` (layers and Module come with the models work).

Example:
    >>> import ndgrad
    >>> ndgrad.nn.Parameter([0.5]).requires_grad
    True
"""

from .parameter import Parameter

__all__ = ["Parameter"]
