"""``torch.nn.modules``: PyTorch's module files, naming the classes of ``torch.nn``.

Programs reach classes through PyTorch's file layout when they list them for
``torch.serialization.safe_globals`` (``torch.nn.modules.linear.Linear``,
``torch.nn.modules.rnn.LSTM``, ...). Each submodule here is a namespace made
when this module loads, holding the very classes of ``torch.nn`` (no copies)
under PyTorch's file names; ``import ndgrad.torch.nn.modules.linear`` works
too. ``NonDynamicallyQuantizableLinear`` (the output projection of PyTorch's
``MultiheadAttention``) is ``Linear`` here. A class of PyTorch's file that
ndgrad lacks raises the usual AttributeError.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.nn.modules.linear.Linear is torch.nn.Linear
    True
    >>> torch.nn.modules.activation.MultiheadAttention is torch.nn.MultiheadAttention
    True
"""

import sys
import types

from ... import nn as _core
from .._unsupported import unsupported

# PyTorch's file for each class that ndgrad has (torch/nn/modules/<file>.py).
LAYOUT = {
    "activation": ["Threshold", "ReLU", "Hardtanh", "ReLU6", "Sigmoid", "Hardsigmoid", "Tanh",
                   "SiLU", "Mish", "Hardswish", "ELU", "CELU", "SELU", "GLU", "GELU",
                   "Hardshrink", "LeakyReLU", "LogSigmoid", "Softplus", "Softshrink",
                   "MultiheadAttention", "PReLU", "Softsign", "Tanhshrink", "Softmin",
                   "Softmax", "Softmax2d", "LogSoftmax"],
    "batchnorm": ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d"],
    "container": ["Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"],
    "conv": ["Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d"],
    "distance": ["PairwiseDistance", "CosineSimilarity"],
    "dropout": ["Dropout", "Dropout2d"],
    "flatten": ["Flatten", "Unflatten"],
    "linear": ["Identity", "Linear"],
    "loss": ["L1Loss", "NLLLoss", "KLDivLoss", "MSELoss", "BCELoss", "BCEWithLogitsLoss",
             "SmoothL1Loss", "HuberLoss", "CrossEntropyLoss"],
    "module": ["Module"],
    "normalization": ["LayerNorm", "GroupNorm"],
    "padding": ["CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d",
                "ConstantPad2d", "ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d",
                "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d",
                "ZeroPad1d", "ZeroPad2d", "ZeroPad3d"],
    "pixelshuffle": ["PixelShuffle", "PixelUnshuffle"],
    "pooling": ["MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d",
                "AdaptiveAvgPool2d"],
    "rnn": ["RNNBase", "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"],
    "sparse": ["Embedding"],
    "transformer": ["Transformer", "TransformerEncoder", "TransformerDecoder",
                    "TransformerEncoderLayer", "TransformerDecoderLayer"],
    "upsampling": ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"],
}

# Names under which PyTorch's files hold a class that ndgrad has under another name.
ALIASES = {"linear": {"NonDynamicallyQuantizableLinear": "Linear"}}


def _submodule(file_name):
    name = f"{__name__}.{file_name}"
    module = types.ModuleType(name, f"``torch.nn.modules.{file_name}``: PyTorch's file of "
                                    "these classes, holding ndgrad's (see the parent module).")
    for class_name in LAYOUT[file_name]:
        setattr(module, class_name, getattr(_core, class_name))
    for alias, class_name in ALIASES.get(file_name, {}).items():
        setattr(module, alias, getattr(_core, class_name))
    module.__getattr__ = unsupported(name, {})
    sys.modules[name] = module
    return module


globals().update({file_name: _submodule(file_name) for file_name in LAYOUT})
globals().update({class_name: getattr(_core, class_name) for names in LAYOUT.values()
                  for class_name in names})

__all__ = sorted(LAYOUT)

__getattr__ = unsupported(__name__, {})
