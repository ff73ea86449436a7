"""The engine: graph and backward walk, recording mode, tapes, custom functions,
function transformations, PyTorch's ``grad(outputs, inputs)`` and ``backward``
over tensors, and tensor hooks. Imports nothing from ``nn``, ``optim`` or models.

Example:
    >>> import ndgrad
    >>> from ndgrad.autograd import no_grad
    >>> with no_grad():
    ...     ndgrad.is_grad_enabled()
    False
    >>> x = ndgrad.tensor(2.0, requires_grad=True)
    >>> ndgrad.autograd.grad(x * x, x)[0].item()
    4.0
"""

from . import breaks, mode
from .gradients import backward, grad
from .mode import enable_grad, no_grad, set_grad_enabled
