"""Activation layers: ``nn.ReLU``, ``nn.GELU``, ``nn.Softmax``, ... (PyTorch) and
``layers.Activation``, ``layers.ReLU``, ``layers.Softmax``, ``layers.LeakyReLU``,
``layers.ELU`` (Keras).

Each layer is a thin wrapper over one op of ``ndgrad.ops.activations``; the
PyTorch and Keras classes differ only in their arguments and defaults (Keras's
LeakyReLU slope is 0.3, PyTorch's 0.01; Keras's Softmax takes ``axis``,
PyTorch's ``dim``). The functional forms with PyTorch's signatures
(``softmax(input, dim)``) are listed in ``FUNCTIONAL`` for ``nn.functional``.

Example:
    >>> import ndgrad
    >>> ndgrad.nn.ReLU()(ndgrad.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
"""

import warnings

from ..ops.activations import (celu, elu, gelu, hard_sigmoid, hard_tanh, leaky_relu,
                               log_sigmoid, mish, relu, relu6, selu, sigmoid, silu, softplus,
                               softsign)
from ..ops.activations import log_softmax as _log_softmax
from ..ops.activations import softmax as _softmax
from ..ops.trigonometric import tanh
from .module import Module, keras_exports  # noqa: F401 (keras_exports: imported from here)

__all__ = ["ReLU", "ReLU6", "LeakyReLU", "ELU", "SELU", "GELU", "Sigmoid", "Tanh", "Softplus",
           "SiLU", "Mish", "Softmax", "LogSoftmax"]
FUNCTIONAL = ["relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "sigmoid", "tanh",
              "softplus", "softsign", "silu", "mish", "hardtanh", "hardsigmoid", "logsigmoid",
              "softmax", "log_softmax"]

hardtanh = hard_tanh
hardsigmoid = hard_sigmoid
logsigmoid = log_sigmoid


def _implicit_dim(name, ndim):
    """PyTorch's legacy choice of axis when ``dim`` is not given (with its warning)."""
    warnings.warn(f"{name}: implicit dimension choice is deprecated (as in PyTorch); pass "
                  "dim=... explicitly", UserWarning, stacklevel=4)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, dtype=None):
    """``torch.nn.functional.softmax``: the softmax along ``dim``.

    Example:
        >>> from ndgrad.nn.functional import softmax
        >>> import ndgrad
        >>> softmax(ndgrad.tensor([[0.0, 0.0]]), dim=1).tolist()
        [[0.5, 0.5]]
    """
    if dtype is not None:
        input = input.astype(dtype)
    return _softmax(input, axis=_implicit_dim("softmax", input.ndim) if dim is None else dim)


def log_softmax(input, dim=None, dtype=None):
    """``torch.nn.functional.log_softmax``: the log of the softmax along ``dim``.

    Example:
        >>> from ndgrad.nn.functional import log_softmax
        >>> import ndgrad
        >>> log_softmax(ndgrad.tensor([[0.0, -1000.0]]), dim=1).tolist()
        [[0.0, -1000.0]]
    """
    if dtype is not None:
        input = input.astype(dtype)
    return _log_softmax(input, axis=_implicit_dim("log_softmax", input.ndim) if dim is None
                        else dim)


class _Elementwise(Module):
    """An activation without parameters; ``inplace`` is accepted and ignored (the
    result is always a new tensor)."""

    def __init__(self, inplace=False, name=None):
        super().__init__(name=name)
        self.inplace = bool(inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class ReLU(_Elementwise):
    """``max(x, 0)``, as ``torch.nn.ReLU``.

    Args:
        inplace: accepted for PyTorch's signature and ignored: the result is
            always a new tensor.

    Example:
        >>> from ndgrad.nn import ReLU
        >>> import ndgrad
        >>> ReLU()(ndgrad.tensor([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def forward(self, x):
        return relu(x)


class ReLU6(_Elementwise):
    """``min(max(x, 0), 6)``, as ``torch.nn.ReLU6``.

    Args:
        inplace: accepted for PyTorch's signature and ignored: the result is
            always a new tensor.

    Example:
        >>> from ndgrad.nn import ReLU6
        >>> import ndgrad
        >>> ReLU6()(ndgrad.tensor([-1.0, 8.0])).tolist()
        [0.0, 6.0]
    """

    def forward(self, x):
        return relu6(x)


class LeakyReLU(_Elementwise):
    """``x`` if positive else ``negative_slope * x``, as ``torch.nn.LeakyReLU`` (0.01).

    Args:
        negative_slope (float, default 0.01): the slope for negative inputs.
        inplace (bool, default False): accepted for PyTorch code; the result is always a
            new tensor.

    Example:
        >>> from ndgrad.nn import LeakyReLU
        >>> import ndgrad
        >>> LeakyReLU(0.5)(ndgrad.tensor([-2.0, 3.0])).tolist()
        [-1.0, 3.0]
    """

    def __init__(self, negative_slope=0.01, inplace=False, name=None):
        super().__init__(inplace, name)
        self.negative_slope = float(negative_slope)

    def forward(self, x):
        return leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class ELU(_Elementwise):
    """``x`` if positive else ``alpha * (exp(x) - 1)``, as ``torch.nn.ELU``.

    Args:
        alpha (float, default 1.0): the value the output tends to for very negative inputs
            is ``-alpha``.
        inplace (bool, default False): accepted for PyTorch code; the result is always a
            new tensor.

    Example:
        >>> from ndgrad.nn import ELU
        >>> import ndgrad
        >>> ELU()(ndgrad.tensor([0.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def __init__(self, alpha=1.0, inplace=False, name=None):
        super().__init__(inplace, name)
        self.alpha = float(alpha)

    def forward(self, x):
        return elu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class SELU(_Elementwise):
    """Scaled ELU with the self-normalizing constants, as ``torch.nn.SELU``.

    Args:
        inplace: accepted for PyTorch's signature and ignored: the result is
            always a new tensor.

    Example:
        >>> from ndgrad.nn import SELU
        >>> import ndgrad
        >>> round(SELU()(ndgrad.tensor([1.0])).item(), 4)
        1.0507
    """

    def forward(self, x):
        return selu(x)


class GELU(Module):
    """``x * Phi(x)``, as ``torch.nn.GELU``; ``approximate="tanh"`` for the tanh form.

    Args:
        approximate (str, default "none"): "none" for the exact ``x * Phi(x)`` with the
            normal CDF, "tanh" for the tanh approximation.

    Example:
        >>> from ndgrad.nn import GELU
        >>> import ndgrad
        >>> round(GELU(approximate="tanh")(ndgrad.tensor([1.0])).item(), 4)
        0.8412
    """

    def __init__(self, approximate="none", name=None):
        super().__init__(name=name)
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', not {approximate!r}")
        self.approximate = approximate

    def forward(self, x):
        return gelu(x, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class Sigmoid(Module):
    """``1 / (1 + exp(-x))``, as ``torch.nn.Sigmoid``.

    Example:
        >>> from ndgrad.nn import Sigmoid
        >>> import ndgrad
        >>> Sigmoid()(ndgrad.tensor([0.0])).tolist()
        [0.5]
    """

    def forward(self, x):
        return sigmoid(x)


class Tanh(Module):
    """The hyperbolic tangent, as ``torch.nn.Tanh``.

    Example:
        >>> from ndgrad.nn import Tanh
        >>> import ndgrad
        >>> Tanh()(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """

    def forward(self, x):
        return tanh(x)


class Softplus(Module):
    """``log(1 + exp(beta * x)) / beta``, linear above ``threshold``, as
    ``torch.nn.Softplus``.

    Args:
        beta (float, default 1.0): the sharpness; larger is closer to ReLU.
        threshold (float, default 20.0): above ``beta * x > threshold`` the output is
            ``x`` itself (no overflow).

    Example:
        >>> from ndgrad.nn import Softplus
        >>> import ndgrad
        >>> Softplus()(ndgrad.tensor([100.0])).tolist()
        [100.0]
    """

    def __init__(self, beta=1.0, threshold=20.0, name=None):
        super().__init__(name=name)
        self.beta, self.threshold = float(beta), float(threshold)

    def forward(self, x):
        return softplus(x, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class SiLU(_Elementwise):
    """``x * sigmoid(x)``, as ``torch.nn.SiLU``.

    Args:
        inplace: accepted for PyTorch's signature and ignored: the result is
            always a new tensor.

    Example:
        >>> from ndgrad.nn import SiLU
        >>> import ndgrad
        >>> SiLU()(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """

    def forward(self, x):
        return silu(x)


class Mish(_Elementwise):
    """``x * tanh(softplus(x))``, as ``torch.nn.Mish``.

    Args:
        inplace: accepted for PyTorch's signature and ignored: the result is
            always a new tensor.

    Example:
        >>> from ndgrad.nn import Mish
        >>> import ndgrad
        >>> Mish()(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """

    def forward(self, x):
        return mish(x)


class Softmax(Module):
    """The softmax along ``dim``, as ``torch.nn.Softmax`` (without ``dim``,
    PyTorch's legacy choice: 0 for 0-, 1- and 3-D inputs, else 1, with a warning).

    Args:
        dim: the dimension along which the result sums to one; None takes
            PyTorch's legacy choice above, with a warning.

    Example:
        >>> from ndgrad.nn import Softmax
        >>> import ndgrad
        >>> Softmax(dim=1)(ndgrad.tensor([[0.0, 0.0]])).tolist()
        [[0.5, 0.5]]
    """

    def __init__(self, dim=None, name=None):
        super().__init__(name=name)
        self.dim = dim

    def forward(self, x):
        return softmax(x, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """The log of the softmax along ``dim``, as ``torch.nn.LogSoftmax``.

    Args:
        dim: the dimension of the softmax; None takes PyTorch's legacy choice
            (as :class:`Softmax`), with a warning.

    Example:
        >>> from ndgrad.nn import LogSoftmax
        >>> import ndgrad
        >>> LogSoftmax(dim=-1)(ndgrad.tensor([0.0, -1000.0])).tolist()
        [0.0, -1000.0]
    """

    def forward(self, x):
        return log_softmax(x, self.dim)


# The Keras face's classes live in activation_layers_keras (re-exported here).
from .activation_layers_keras import (KERAS_EXPORTS, Activation, ELUKeras,  # noqa: E402,F401
                                      LeakyReLUKeras, ReLUKeras, SoftmaxKeras)
