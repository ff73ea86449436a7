"""``torch.optim.lr_scheduler``: ndgrad's schedulers (``ndgrad.optim.lr_scheduler``).

Every scheduler of the core module is here (``StepLR``, ``MultiStepLR``,
``LambdaLR``, ``CosineAnnealingLR``, ``OneCycleLR``, ``ReduceLROnPlateau``, ...
and any added later), taken when this module loads; ``_LRScheduler`` is
PyTorch's old name of the base class.

Example:
    >>> import ndgrad.torch as torch
    >>> from ndgrad.torch.optim.lr_scheduler import StepLR
    >>> model = torch.nn.Linear(1, 1)
    >>> opt = torch.optim.SGD(model.parameters(), lr=1.0)
    >>> scheduler = StepLR(opt, step_size=1, gamma=0.5)
    >>> model(torch.ones(1, 1)).sum().backward()
    >>> opt.step(); scheduler.step(); scheduler.get_last_lr()
    [0.5]
"""

from ...optim import lr_scheduler as _core
from .._unsupported import unsupported as _unsupported

CORE_NAMES = list(_core.__all__)
globals().update({name: getattr(_core, name) for name in CORE_NAMES})
_LRScheduler = _core.LRScheduler

__all__ = list(CORE_NAMES)

__getattr__ = _unsupported(__name__, {})
