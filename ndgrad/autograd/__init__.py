"""The engine: graph and backward walk, recording mode, tapes, custom functions,
function transformations. Imports nothing from ``nn``, ``optim`` or models.

Example:
    >>> import ndgrad
    >>> from ndgrad.autograd import no_grad
    >>> with no_grad():
    ...     ndgrad.is_grad_enabled()
    False
"""

from . import breaks, mode
from .mode import enable_grad, no_grad, set_grad_enabled
