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

_CONV3D = "3-D layers are not supported (yet); fold the depth into the batch or channels"
_WRITE_IT = "write it as an nn.Module with ndgrad ops (they differentiate)"

__getattr__ = _unsupported(__name__, {
    "Conv3d": _CONV3D, "MaxPool3d": _CONV3D, "AvgPool3d": _CONV3D,
    "AdaptiveAvgPool3d": _CONV3D, "ConvTranspose3d": _CONV3D,
    "SyncBatchNorm": "use nn.BatchNorm1d/2d",
    "InstanceNorm1d": "nn.GroupNorm(C, C) normalises each channel of each sample the same "
                      "way (with affine parameters)",
    "InstanceNorm2d": "nn.GroupNorm(C, C) normalises each channel of each sample the same "
                      "way (with affine parameters)",
    "LocalResponseNorm": _WRITE_IT,
    "Bilinear": "use nn.Linear on the outer product, or " + _WRITE_IT,
    "EmbeddingBag": "use nn.Embedding and reduce over the bag with .sum(1) or .mean(1)",
    "AdaptiveMaxPool1d": "use nn.MaxPool1d with a kernel that covers the input",
    "AdaptiveMaxPool2d": "use nn.MaxPool2d with a kernel that covers the input",
    "CTCLoss": _WRITE_IT, "TripletMarginLoss": _WRITE_IT, "MarginRankingLoss": _WRITE_IT,
    "CosineEmbeddingLoss": _WRITE_IT, "PoissonNLLLoss": _WRITE_IT,
    "GaussianNLLLoss": _WRITE_IT, "MultiLabelSoftMarginLoss": _WRITE_IT,
    "SoftMarginLoss": _WRITE_IT, "MultiMarginLoss": _WRITE_IT,
    "HingeEmbeddingLoss": _WRITE_IT, "MultiLabelMarginLoss": _WRITE_IT,
    "Fold": "not supported (yet)", "Unfold": "not supported (yet)",
    "RNNCellBase": "subclass nn.Module",
    "LazyLinear": "pass in_features to nn.Linear", "LazyConv2d": "pass in_channels to "
                                                                "nn.Conv2d",
})
