"""``torch.nn``: every module, container, loss and ``Parameter`` of ``ndgrad.nn``.

The names are taken from the core package when this module loads (no copies,
no hand-kept list), so a layer added to ``ndgrad.nn`` appears here at once.
``nn.Module`` is ndgrad's one Module class; ``nn.functional``, ``nn.init``
and ``nn.utils`` are PyTorch's submodules over the core's functions. A name
PyTorch has and ndgrad lacks raises an AttributeError saying what to use.

Example:
    >>> import ndgrad.torch as torch
    >>> import ndgrad.torch.nn as nn
    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> model(torch.zeros(3, 4)).shape, nn.Module is torch.nn.Module
    ((3, 2), True)
"""

import types as _types

from ... import nn as _core
from .._unsupported import unsupported as _unsupported

CORE_NAMES = sorted(name for name, value in vars(_core).items()
                    if not name.startswith("_") and not isinstance(value, _types.ModuleType))
globals().update({name: getattr(_core, name) for name in CORE_NAMES})

from . import functional, init, modules, parallel, parameter, utils  # noqa: E402,I001
from .parallel import DataParallel  # noqa: E402  (PyTorch's torch.nn.DataParallel)

__all__ = [*CORE_NAMES, "DataParallel", "functional", "init", "modules", "parallel",
           "parameter", "utils"]

_WRITE_IT = "write it as an nn.Module with ndgrad ops (they differentiate)"
_LAZY = "give the input size to the non-lazy layer ({})"

__getattr__ = _unsupported(__name__, {
    "AdaptiveMaxPool3d": "use nn.AdaptiveAvgPool3d, or nn.AdaptiveMaxPool2d on the "
                         "(N, C * D, H, W) reshape and again over the depth",
    "MaxUnpool3d": "nn.MaxPool3d gives no indices; pool each depth slice with "
                   "nn.MaxPool2d(return_indices=True) and nn.MaxUnpool2d",
    "CrossMapLRN2d": "use nn.LocalResponseNorm (the same normalization across channels)",
    "SyncBatchNorm": "use nn.BatchNorm1d/2d (under DistributedDataParallel each rank "
                     "normalises with its own batch's statistics)",
    "RNNCellBase": "subclass nn.Module",
    "LazyLinear": _LAZY.format("nn.Linear"), "LazyConv1d": _LAZY.format("nn.Conv1d"),
    "LazyConv2d": _LAZY.format("nn.Conv2d"), "LazyConv3d": _LAZY.format("nn.Conv3d"),
    "LazyInstanceNorm1d": _LAZY.format("nn.InstanceNorm1d"),
    "LazyInstanceNorm2d": _LAZY.format("nn.InstanceNorm2d"),
    "LazyInstanceNorm3d": _LAZY.format("nn.InstanceNorm3d"),
    "FractionalMaxPool2d": "use nn.MaxPool2d or nn.AdaptiveMaxPool2d",
    "AdaptiveLogSoftmaxWithLoss": "use nn.Linear with nn.CrossEntropyLoss, or " + _WRITE_IT,
    "RReLU": "use nn.LeakyReLU",
})
