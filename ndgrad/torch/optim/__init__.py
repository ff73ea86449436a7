"""``torch.optim``: ndgrad's optimizers (``ndgrad.optim``) and ``lr_scheduler``.

Every optimizer class of the core (``SGD``, ``Adam``, ``AdamW``, ``RMSprop``,
``Adagrad``, ``Adadelta``, ``Adamax``, ``NAdam``, ``LBFGS``, and any added later) and the
``Optimizer`` base class are here, taken from the core when this module loads;
the Keras names of the core (``Nadam``, ``schedules``, ``get``) stay out.

Example:
    >>> import ndgrad.torch as torch
    >>> model = torch.nn.Linear(2, 1)
    >>> opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> model(torch.ones(4, 2)).sum().backward(); opt.step(); opt.zero_grad()
    >>> isinstance(opt, torch.optim.Optimizer)
    True
"""

import inspect as _inspect

from ... import optim as _core
from .._unsupported import unsupported as _unsupported
from . import lr_scheduler

_KERAS_NAMES = {"Nadam"}
CORE_NAMES = sorted(name for name in _core.__all__
                    if name not in _KERAS_NAMES and _inspect.isclass(getattr(_core, name))
                    and issubclass(getattr(_core, name), _core.Optimizer))
globals().update({name: getattr(_core, name) for name in CORE_NAMES})

__all__ = [*CORE_NAMES, "lr_scheduler"]

__getattr__ = _unsupported(__name__, {
    "SparseAdam": "sparse gradients are not supported; use Adam",
    "ASGD": "use SGD", "Rprop": "use Adam", "RAdam": "use Adam or AdamW",
    "swa_utils": "not supported (yet); average the weights by hand under torch.no_grad()",
})
