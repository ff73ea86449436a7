"""Gradient utilities under PyTorch's name, ``ndgrad.nn.utils``.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([3.0, 4.0]); (w * 1).sum().backward()
    >>> round(ndgrad.nn.utils.clip_grad_norm_([w], max_norm=1.0).item(), 4)
    1.4142
"""

from ..optim.clipping import clip_grad_norm_, clip_grad_value_

__all__ = ["clip_grad_norm_", "clip_grad_value_"]
