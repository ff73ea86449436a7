"""``torch.autograd.function``: custom ops with ``forward(ctx, ...)`` and
``backward(ctx, ...)``, which are ndgrad's own :class:`~ndgrad.Function`.

Example:
    >>> import ndgrad.torch as torch
    >>> class Cube(torch.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     @torch.autograd.function.once_differentiable
    ...     def backward(ctx, grad):
    ...         x, = ctx.saved_tensors
    ...         return 3 * x ** 2 * grad
    >>> x = torch.tensor([2.0], requires_grad=True)
    >>> Cube.apply(x).sum().backward(); x.grad.tolist()
    [12.0]
"""

import functools

from ...autograd.function import Function, FunctionCtx
from ...autograd.mode import no_grad

from .._unsupported import unsupported

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


def once_differentiable(backward):
    """Mark a ``backward`` as not differentiable itself: it runs without recording,
    so its result carries no graph (``create_graph=True`` gets no second order).

    Example:
        >>> from ndgrad.torch.autograd import once_differentiable
        >>> import ndgrad.torch as torch
        >>> @once_differentiable
        ... def backward(ctx, grad):
        ...     return grad * 2
        >>> backward(None, torch.ones(1, requires_grad=True)).requires_grad
        False
    """
    @functools.wraps(backward)
    def wrapper(ctx, *grads):
        with no_grad():
            return backward(ctx, *grads)
    return wrapper


__getattr__ = unsupported(__name__, {})
