"""Tools that check and explain gradients.

Example:
    >>> from ndgrad.diagnostics import gradcheck
    >>> import ndgrad
    >>> gradcheck(lambda t: (t ** 3).sum(), [ndgrad.tensor([1.0, 2.0])])
    True
"""

from .gradcheck import GradcheckError, gradcheck

__all__ = ["gradcheck", "GradcheckError"]
