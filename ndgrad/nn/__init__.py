"""The PyTorch face: ``Module``, ``Parameter``, layers, containers, losses, init.

Names and signatures follow ``torch.nn`` (``Linear(in_features, out_features)``,
NCHW layouts, ``weight`` of shape (out, in)); the Keras face (``ndgrad.layers``)
is built on the same classes and functions.

Example:
    >>> import ndgrad
    >>> model = ndgrad.nn.Sequential(ndgrad.nn.Linear(2, 3), ndgrad.nn.ReLU(), ndgrad.nn.Linear(3, 1))
    >>> model(ndgrad.ones((4, 2))).shape
    (4, 1)
"""

from . import activation_names, init, initializers, losses
from .containers import ModuleDict, ModuleList, Sequential
from .linear import Linear
from .module import Module, reset_names
from .parameter import Parameter
