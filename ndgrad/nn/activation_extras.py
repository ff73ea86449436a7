"""More of PyTorch's activations: ``nn.CELU``, ``nn.Hardtanh``, ``nn.Hardsigmoid``,
``nn.Hardswish``, ``nn.LogSigmoid``, ``nn.Softsign``, ``nn.Softmin``,
``nn.Softmax2d``, ``nn.Threshold``, ``nn.GLU``, ``nn.PReLU``, ``nn.Tanhshrink``,
``nn.Hardshrink``, ``nn.Softshrink``, and the functional forms that were
missing (``hardswish``, ``softmin``, ``glu``, ``threshold``, ``prelu``,
``tanhshrink``, ``hardshrink``, ``softshrink``).

Each is a composition of the core's differentiable ops (``where``, the
existing activations, ``softmax``), so gradients come from their rules; the
modules wrap the functions, with PyTorch's arguments and defaults (``inplace``
is accepted; the result is always a new tensor).

Example:
    >>> import ndgrad
    >>> from ndgrad import nn
    >>> nn.Hardswish()(ndgrad.tensor([-4.0, 0.0, 1.0, 4.0])).tolist()
    [-0.0, 0.0, 0.6666666865348816, 4.0]
"""

from ..devices import check_device
from ..errors import shape_error
from ..ops.activations import celu, hard_sigmoid, hard_tanh, log_sigmoid, relu6, sigmoid, softsign
from ..ops.arithmetic import add, divide, multiply, subtract
from ..ops.elementwise import negative
from ..ops.join import split
from ..ops.selection import where
from ..ops.shape import reshape
from ..ops.softmax import softmax
from ..ops.trigonometric import tanh
from ..tensor import Tensor
from ._sizes import size
from .activation_layers import _Elementwise
from .module import Module
from .parameter import Parameter

__all__ = ["CELU", "Hardtanh", "Hardsigmoid", "Hardswish", "LogSigmoid", "Softsign", "Softmin",
           "Softmax2d", "Threshold", "GLU", "PReLU", "Tanhshrink", "Hardshrink", "Softshrink"]
FUNCTIONAL = ["hardswish", "softmin", "glu", "threshold", "prelu", "tanhshrink", "hardshrink",
              "softshrink"]


def _as_tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


def hardswish(input, inplace=False):
    """``x * relu6(x + 3) / 6``, as ``torch.nn.functional.hardswish``.

    Example:
        >>> from ndgrad.nn.functional import hardswish
        >>> import ndgrad
        >>> hardswish(ndgrad.tensor([-3.0, 3.0])).tolist()
        [-0.0, 3.0]
    """
    x = _as_tensor(input)
    return divide(multiply(x, relu6(add(x, 3.0))), 6.0)


def softmin(input, dim=None, dtype=None):
    """``softmax(-input, dim)``, as ``torch.nn.functional.softmin``.

    Example:
        >>> from ndgrad.nn.functional import softmin
        >>> import ndgrad
        >>> softmin(ndgrad.tensor([0.0, 0.0]), dim=0).tolist()
        [0.5, 0.5]
    """
    x = _as_tensor(input)
    if dtype is not None:
        x = x.astype(dtype)
    if dim is None:
        raise ValueError("softmin: pass dim=... (the dim to normalise over)")
    return softmax(negative(x), axis=dim)


def glu(input, dim=-1):
    """The gated linear unit: ``a * sigmoid(b)`` for the halves ``a, b`` of ``input``
    along ``dim``, as ``torch.nn.functional.glu``.

    Example:
        >>> from ndgrad.nn.functional import glu
        >>> import ndgrad
        >>> glu(ndgrad.tensor([[2.0, 0.0]])).tolist()
        [[1.0]]
    """
    x = _as_tensor(input)
    if x.ndim == 0 or x.shape[dim] % 2:
        raise shape_error("glu", [x], f"dim {dim} must have an even size to be halved")
    first, second = split(x, 2, axis=dim)
    return multiply(first, sigmoid(second))


def threshold(input, threshold, value, inplace=False):
    """``input`` where it is greater than ``threshold``, else ``value``, as
    ``torch.nn.functional.threshold``.

    Example:
        >>> from ndgrad.nn.functional import threshold
        >>> import ndgrad
        >>> threshold(ndgrad.tensor([0.5, 2.0]), 1.0, -1.0).tolist()
        [-1.0, 2.0]
    """
    x = _as_tensor(input)
    return where(x > threshold, x, value)


def prelu(input, weight):
    """``x`` where non-negative, else ``weight * x``, with one weight per channel
    (dim 1) or one for all, as ``torch.nn.functional.prelu``.

    Example:
        >>> from ndgrad.nn.functional import prelu
        >>> import ndgrad
        >>> prelu(ndgrad.tensor([[-2.0, 2.0]]), ndgrad.tensor([0.25])).tolist()
        [[-0.5, 2.0]]
    """
    x, w = _as_tensor(input), _as_tensor(weight)
    if w.size != 1:
        if x.ndim < 2 or x.shape[1] != w.size:
            raise shape_error("prelu", [x, w], f"{w.size} weights need an input with "
                              f"{w.size} channels in dim 1")
        w = reshape(w, (w.size,) + (1,) * (x.ndim - 2))
    return where(x >= 0, x, multiply(w, x))


def tanhshrink(input):
    """``x - tanh(x)``, as ``torch.nn.functional.tanhshrink``.

    Example:
        >>> from ndgrad.nn.functional import tanhshrink
        >>> import ndgrad
        >>> tanhshrink(ndgrad.tensor([0.0])).tolist()
        [0.0]
    """
    x = _as_tensor(input)
    return subtract(x, tanh(x))


def hardshrink(input, lambd=0.5):
    """``x`` where ``|x| > lambd``, else 0, as ``torch.nn.functional.hardshrink``.

    Example:
        >>> from ndgrad.nn.functional import hardshrink
        >>> import ndgrad
        >>> hardshrink(ndgrad.tensor([-1.0, 0.2, 0.7])).tolist()
        [-1.0, 0.0, 0.699999988079071]
    """
    x = _as_tensor(input)
    return where((x > lambd) | (x < -lambd), x, 0.0)


def softshrink(input, lambd=0.5):
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0, as
    ``torch.nn.functional.softshrink``.

    Example:
        >>> from ndgrad.nn.functional import softshrink
        >>> import ndgrad
        >>> softshrink(ndgrad.tensor([-1.0, 0.2, 1.5])).tolist()
        [-0.5, 0.0, 1.0]
    """
    x = _as_tensor(input)
    return where(x > lambd, subtract(x, lambd), where(x < -lambd, add(x, lambd), 0.0))


class CELU(_Elementwise):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``, as ``torch.nn.CELU``.

    Args:
        alpha (float, default 1.0): the scale of the negative part (not 0).
        inplace (bool, default False): accepted for PyTorch code; the result is always a
            new tensor.

    Example:
        >>> from ndgrad.nn import CELU
        >>> import ndgrad
        >>> CELU()(ndgrad.tensor([2.0])).tolist()
        [2.0]
    """

    def __init__(self, alpha=1.0, inplace=False, name=None):
        super().__init__(inplace, name)
        self.alpha = float(alpha)

    def forward(self, x):
        return celu(x, self.alpha)


class Hardtanh(_Elementwise):
    """``x`` clipped to ``[min_val, max_val]``, as ``torch.nn.Hardtanh``.

    Args:
        min_val (float, default -1.0): the lower clip.
        max_val (float, default 1.0): the upper clip.
        inplace (bool, default False): accepted for PyTorch code; the result is always a
            new tensor.

    Example:
        >>> from ndgrad.nn import Hardtanh
        >>> import ndgrad
        >>> Hardtanh(-2.0, 2.0)(ndgrad.tensor([-3.0, 1.0])).tolist()
        [-2.0, 1.0]
    """

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False, name=None):
        super().__init__(inplace, name)
        self.min_val, self.max_val = float(min_val), float(max_val)

    def forward(self, x):
        return hard_tanh(x, self.min_val, self.max_val)


class Hardsigmoid(_Elementwise):
    """``relu6(x + 3) / 6``, as ``torch.nn.Hardsigmoid``.

    Args:
        inplace: accepted for PyTorch's signature and ignored: the result is
            always a new tensor.

    Example:
        >>> from ndgrad.nn import Hardsigmoid
        >>> import ndgrad
        >>> Hardsigmoid()(ndgrad.tensor([0.0])).tolist()
        [0.5]
    """

    def forward(self, x):
        return hard_sigmoid(x)


class Hardswish(_Elementwise):
    """``x * relu6(x + 3) / 6``, as ``torch.nn.Hardswish``.

    Args:
        inplace: accepted for PyTorch's signature and ignored: the result is
            always a new tensor.

    Example:
        >>> from ndgrad.nn import Hardswish
        >>> import ndgrad
        >>> Hardswish()(ndgrad.tensor([4.0])).tolist()
        [4.0]
    """

    def forward(self, x):
        return hardswish(x)


class LogSigmoid(Module):
    """``log(sigmoid(x))``, computed stably, as ``torch.nn.LogSigmoid``.

    Example:
        >>> from ndgrad.nn import LogSigmoid
        >>> import ndgrad
        >>> LogSigmoid()(ndgrad.tensor([-1000.0])).tolist()
        [-1000.0]
    """

    def forward(self, x):
        return log_sigmoid(x)


class Softsign(Module):
    """``x / (1 + |x|)``, as ``torch.nn.Softsign``.

    Example:
        >>> from ndgrad.nn import Softsign
        >>> import ndgrad
        >>> Softsign()(ndgrad.tensor([1.0])).tolist()
        [0.5]
    """

    def forward(self, x):
        return softsign(x)


class Tanhshrink(Module):
    """``x - tanh(x)``, as ``torch.nn.Tanhshrink``.

    Example:
        >>> from ndgrad.nn import Tanhshrink
        >>> import ndgrad
        >>> Tanhshrink()(ndgrad.zeros(2)).tolist()
        [0.0, 0.0]
    """

    def forward(self, x):
        return tanhshrink(x)


class _Shrink(Module):
    def __init__(self, lambd=0.5, name=None):
        super().__init__(name=name)
        self.lambd = float(lambd)

    def extra_repr(self):
        return f"{self.lambd}"


class Hardshrink(_Shrink):
    """:func:`hardshrink` as a module (``torch.nn.Hardshrink``).

    Args:
        lambd (float, default 0.5): inputs in ``[-lambd, lambd]`` become 0, the others
            pass unchanged.

    Example:
        >>> from ndgrad.nn import Hardshrink
        >>> import ndgrad
        >>> Hardshrink(1.0)(ndgrad.tensor([0.5, 2.0])).tolist()
        [0.0, 2.0]
    """

    def forward(self, x):
        return hardshrink(x, self.lambd)


class Softshrink(_Shrink):
    """:func:`softshrink` as a module (``torch.nn.Softshrink``).

    Args:
        lambd (float, default 0.5): inputs in ``[-lambd, lambd]`` become 0, the others
            move ``lambd`` towards 0.

    Example:
        >>> from ndgrad.nn import Softshrink
        >>> import ndgrad
        >>> Softshrink(1.0)(ndgrad.tensor([0.5, 2.0])).tolist()
        [0.0, 1.0]
    """

    def forward(self, x):
        return softshrink(x, self.lambd)


class Softmin(Module):
    """``softmax(-x, dim)``, as ``torch.nn.Softmin``.

    Args:
        dim: the dimension along which the result sums to one (required when
            called: None is refused with an error).

    Example:
        >>> from ndgrad.nn import Softmin
        >>> import ndgrad
        >>> Softmin(dim=1)(ndgrad.zeros((1, 4))).tolist()
        [[0.25, 0.25, 0.25, 0.25]]
    """

    def __init__(self, dim=None, name=None):
        super().__init__(name=name)
        self.dim = dim

    def forward(self, x):
        return softmin(x, self.dim)


class Softmax2d(Module):
    """The softmax over the channels (dim -3) at each location, as ``torch.nn.Softmax2d``.

    Example:
        >>> from ndgrad.nn import Softmax2d
        >>> import ndgrad
        >>> Softmax2d()(ndgrad.zeros((1, 2, 1, 1))).tolist()
        [[[[0.5]], [[0.5]]]]
    """

    def forward(self, x):
        x = _as_tensor(x)
        if x.ndim not in (3, 4):
            raise shape_error("Softmax2d", [x], "expects a (C, H, W) or (N, C, H, W) input")
        return softmax(x, axis=-3)


class Threshold(_Elementwise):
    """:func:`threshold` as a module (``torch.nn.Threshold(threshold, value)``).

    Args:
        threshold (float): inputs at or below it are replaced.
        value (float): what replaces them.
        inplace (bool, default False): accepted for PyTorch code; the result is always a
            new tensor.

    Example:
        >>> from ndgrad.nn import Threshold
        >>> import ndgrad
        >>> Threshold(0.1, 20.0)(ndgrad.tensor([0.0, 1.0])).tolist()
        [20.0, 1.0]
    """

    def __init__(self, threshold, value, inplace=False, name=None):
        super().__init__(inplace, name)
        self.threshold, self.value = float(threshold), float(value)

    def forward(self, x):
        return threshold(x, self.threshold, self.value)


class GLU(Module):
    """:func:`glu` as a module (``torch.nn.GLU(dim=-1)``).

    Args:
        dim (int, default -1): the axis split in two halves ``a, b`` (its size must be
            even); the output is ``a * sigmoid(b)``.

    Example:
        >>> from ndgrad.nn import GLU
        >>> import ndgrad
        >>> GLU()(ndgrad.zeros((2, 6))).shape
        (2, 3)
    """

    def __init__(self, dim=-1, name=None):
        super().__init__(name=name)
        self.dim = int(dim)

    def forward(self, x):
        return glu(x, self.dim)


class PReLU(Module):
    """:func:`prelu` with a learned slope (one, or one per channel), initialised to
    ``init``, as ``torch.nn.PReLU(num_parameters=1, init=0.25)``.

    Args:
        num_parameters (int, default 1): 1 (one slope shared) or the number of channels
            (axis 1 of the input) for one slope each.
        init (float, default 0.25): the slopes' initial value.
        dtype: the slope's dtype (default float32).

    Example:
        >>> from ndgrad.nn import PReLU
        >>> import ndgrad
        >>> layer = PReLU(num_parameters=2)
        >>> layer.weight.tolist(), layer(ndgrad.tensor([[-4.0, -4.0]])).tolist()
        ([0.25, 0.25], [[-1.0, -1.0]])
    """

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None, name=None):
        check_device(device, "PReLU")
        super().__init__(name=name)
        self.num_parameters = size("PReLU", "num_parameters", num_parameters, minimum=1)
        self.weight = Parameter(Tensor([float(init)] * self.num_parameters, dtype=dtype))

    def forward(self, x):
        return prelu(x, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"
