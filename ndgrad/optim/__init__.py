"""Optimizers, usable in the PyTorch way (``step``) and the Keras way
(``apply_gradients``), with schedules and gradient clipping.

- Algorithms (one class each, both vocabularies, ``torch.optim``'s arithmetic):
  :class:`SGD`, :class:`Adam`, :class:`AdamW`, :class:`RMSprop`,
  :class:`Adagrad`, :class:`Adadelta`, :class:`Adamax`, :class:`NAdam`
  (``Nadam``); :func:`get` by name. :class:`LBFGS` (PyTorch face, ``step(closure)``).
- :mod:`~ndgrad.optim.lr_scheduler`: PyTorch schedulers bound to an optimizer.
- :mod:`~ndgrad.optim.schedules`: Keras schedules passed as ``learning_rate``.
- :func:`clip_grad_norm_`, :func:`clip_grad_value_`.

Example:
    >>> import ndgrad
    >>> sorted(n for n in ("SGD", "Adam", "AdamW", "get") if hasattr(ndgrad.optim, n))
    ['Adam', 'AdamW', 'SGD', 'get']
"""

from . import lr_scheduler, schedules
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .clipping import clip_grad_norm_, clip_grad_value_
from .lbfgs import LBFGS
from .lr_scheduler import (ChainedScheduler, ConstantLR, CosineAnnealingLR,
                           CosineAnnealingWarmRestarts, CyclicLR, ExponentialLR, LambdaLR,
                           LinearLR, LRScheduler, MultiplicativeLR, MultiStepLR, OneCycleLR,
                           PolynomialLR, ReduceLROnPlateau, SequentialLR, StepLR)
from .missing_gradients import MissingGradientWarning
from .nadam import NAdam
from .optimizer import Optimizer
from .parameter_groups import required
from .registry import get
from .rmsprop import RMSprop
from .schedules import (CosineDecay, ExponentialDecay, LearningRateSchedule,
                        PiecewiseConstantDecay, PolynomialDecay)
from .sgd import SGD

Nadam = NAdam   # Keras's spelling

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax",
           "NAdam", "Nadam", "LBFGS", "get", "clip_grad_norm_", "clip_grad_value_",
           "MissingGradientWarning", "lr_scheduler", "schedules", "LRScheduler", "StepLR",
           "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR",
           "CosineAnnealingLR", "LambdaLR", "MultiplicativeLR", "SequentialLR",
           "ChainedScheduler", "ReduceLROnPlateau", "CyclicLR", "OneCycleLR",
           "CosineAnnealingWarmRestarts", "required", "LearningRateSchedule", "ExponentialDecay",
           "PiecewiseConstantDecay", "CosineDecay", "PolynomialDecay"]
