"""Optimizers, usable in the PyTorch way (``step``) and the Keras way
(``apply_gradients``).

Example:
    >>> import ndgrad
    >>> sorted(n for n in ("SGD", "Adam") if hasattr(ndgrad.optim, n))
    ['Adam', 'SGD']
"""

from .adam import Adam
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam"]
