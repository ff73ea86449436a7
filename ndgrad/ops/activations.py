"""Activation functions: each one primitive with a hand-written rule.

They run on every training step: each forward is a few NumPy passes in the
input's dtype (no float64 temporaries); rules read the saved output where it
gives the derivative cheaply (``sigmoid``: ``out * (1 - out)``) and multiply by
0/1 masks rather than select (NumPy selects several times slower). Nothing
overflows: only non-positive numbers are exponentiated, and softmax subtracts
the maximum first. The exact ``gelu`` uses ``erfc`` from ``ndgrad.ops.special``.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([-1.0, 0.0, 2.0])
    >>> ndgrad.relu(x).sum().backward()
    >>> x.grad.tolist()
    [0.0, 0.0, 1.0]
"""

import numpy as np

from ..autograd.primitive import data_of, primitive
from . import _accelerated, _reusable_buffers as buffers
from .complex_numbers import conj_of, differentiates_complex
from .convolution_geometry import memory_order
from .elementwise import exp, square
from .special import _erfc_array, erfc
from .selection import where
from .softmax import _floating, log_softmax, softmax  # noqa: F401  (names of this module)
from .trigonometric import tanh

__all__ = ["relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "sigmoid",
           "log_sigmoid", "softplus", "softsign", "silu", "swish", "mish", "hard_sigmoid",
           "hardsigmoid", "hard_tanh", "hardtanh", "softmax", "log_softmax"]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_SQRT_HALF = 0.7071067811865476
_INV_SQRT_2PI = 0.3989422804014327
_GELU_TANH_SCALE = 0.7978845608028654     # sqrt(2 / pi)
_GELU_TANH_CUBIC = 0.044715


def _sigmoid_array(x):
    # exp(min(x, 0)) / (1 + exp(-|x|)): both exponents are <= 0, so nothing
    # overflows, and tiny results for very negative x keep their digits. Two
    # exponentials cost less than one np.where on a mask of mixed signs.
    return np.exp(np.minimum(x, 0)) / (1 + np.exp(-np.abs(x)))


def _softplus_array(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


# Below this size the allocator reuses freed blocks without page faults, and
# asking for a kept buffer would cost more than it saves.
_REUSE_BYTES = 256 * 1024


def _is_large_float_array(x):
    return isinstance(x, np.ndarray) and x.dtype.kind == "f" and x.nbytes >= _REUSE_BYTES


def _reusable_like(x, dtype):
    """An uninitialized array shaped and laid out in memory like ``x``, reused
    from ``_reusable_buffers``: a training step makes the same large ones every
    time, and faulting fresh pages in for them was a fifth of a small CNN's step."""
    if x.flags.c_contiguous:
        return buffers.empty(x.shape, dtype)
    return buffers.empty_in_order(x.shape, memory_order(x), dtype)


@primitive(saves_output=True, reads=())
def relu(x):
    """``max(x, 0)``; the gradient at 0 is 0, as in PyTorch.

    Example:
        >>> import ndgrad
        >>> ndgrad.relu(ndgrad.tensor([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """
    if not _is_large_float_array(x):
        return np.maximum(x, 0)
    res = _reusable_like(x, x.dtype)
    kernels = _accelerated.elementwise_kernels()
    if kernels is not None and kernels.relu_values(x, res):
        return res          # one compiled pass, the same numbers
    zeros = buffers.zeros_like_layout(x)
    return np.maximum(x, 0 if zeros is None else zeros, out=res)


@relu.defvjp(arrays=True)
def _relu_vjp(g, out, x):
    if not (_is_large_float_array(g) and g.shape == out.shape):
        return g * (out > 0)
    res = _reusable_like(out, g.dtype)
    kernels = _accelerated.elementwise_kernels()
    if kernels is not None and kernels.relu_gradient(g, out, res):
        return res          # one compiled pass, the same numbers
    mask = np.greater(out, 0, out=_reusable_like(out, bool))
    return np.multiply(g, mask, out=res)


@primitive(saves_output=True, reads=())
def relu6(x):
    """``min(max(x, 0), 6)``.

    Example:
        >>> import ndgrad
        >>> ndgrad.relu6(ndgrad.tensor([-1.0, 2.0, 9.0])).tolist()
        [0.0, 2.0, 6.0]
    """
    return np.clip(x, 0, 6)


@relu6.defvjp(arrays=True)
def _relu6_vjp(g, out, x):
    return g * ((out > 0) & (out < 6))


@primitive(name="leaky_relu", reads=(0,))
def _leaky_relu(x, negative_slope):
    if 0 <= negative_slope <= 1:
        return np.maximum(x, x * negative_slope)
    return np.maximum(x, 0) + np.minimum(x, 0) * negative_slope


@_leaky_relu.defvjp(arrays=True)
def _leaky_relu_vjp(g, out, x, negative_slope):
    # The slope is piecewise constant: a plain array, exactly 1 or negative_slope.
    slope = (data_of(x) > 0).astype(g.dtype)
    slope *= 1 - negative_slope
    slope += negative_slope
    return g * slope


def leaky_relu(x, negative_slope=0.01):
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    Example:
        >>> import ndgrad
        >>> ndgrad.leaky_relu(ndgrad.tensor([-2.0, 3.0]), negative_slope=0.25).tolist()
        [-0.5, 3.0]
    """
    return _leaky_relu(x, negative_slope=float(negative_slope))


@primitive(name="elu", reads=(0,))
def _exponential_linear(x, alpha=1.0, scale=1.0, inner=1.0):
    """The ELU family: ``scale * x`` above 0, ``scale * alpha * expm1(x / inner)`` below."""
    x = _floating(x)
    negative = np.minimum(x, 0)        # expm1 of the positive side would overflow
    if inner != 1.0:
        negative = negative / inner
    positive = np.maximum(x, 0)
    if scale != 1.0:
        positive = positive * scale
    return positive + np.expm1(negative) * (alpha * scale)


@_exponential_linear.defvjp(arrays=True)
def _exponential_linear_vjp(g, out, x, alpha=1.0, scale=1.0, inner=1.0):
    # The negative side's slope from exp itself, not from out + alpha * scale,
    # which would cancel to zero long before the slope underflows.
    negative = np.exp(np.minimum(x, 0) / inner) * (alpha * scale / inner)
    positive = (data_of(x) > 0).astype(g.dtype)
    return g * (positive * scale + (1 - positive) * negative)


def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Example:
        >>> import ndgrad
        >>> ndgrad.elu(ndgrad.tensor([0.0, 2.0])).tolist()
        [0.0, 2.0]
    """
    return _exponential_linear(x, alpha=float(alpha))


def selu(x):
    """Scaled ELU with the self-normalizing constants of Klambauer et al. (2017).

    Example:
        >>> import ndgrad
        >>> round(ndgrad.selu(ndgrad.tensor(1.0)).item(), 4)
        1.0507
    """
    return _exponential_linear(x, alpha=_SELU_ALPHA, scale=_SELU_SCALE)


def celu(x, alpha=1.0):
    """Continuously differentiable ELU: ``max(x, 0) + min(0, alpha * expm1(x / alpha))``.

    Example:
        >>> import ndgrad
        >>> ndgrad.celu(ndgrad.tensor([0.0, 3.0]), alpha=2.0).tolist()
        [0.0, 3.0]
    """
    if alpha == 0:
        raise ValueError("celu: alpha must not be 0")
    return _exponential_linear(x, alpha=float(alpha), inner=float(alpha))


@primitive(name="gelu", reads=(0,))
def _gelu_exact(x):
    x = _floating(x)
    return x * (0.5 * _erfc_array(x * -_SQRT_HALF))


@_gelu_exact.defvjp
def _gelu_exact_vjp(g, out, x):
    cdf = 0.5 * erfc(x * -_SQRT_HALF)
    density = exp(-0.5 * square(x)) * _INV_SQRT_2PI
    return g * (cdf + x * density)


@primitive(name="gelu_tanh", reads=(0,))
def _gelu_tanh(x):
    x = _floating(x)
    with np.errstate(over="ignore"):      # x ** 3 may overflow; tanh(+-inf) is fine
        inner = (x + _GELU_TANH_CUBIC * x * x * x) * _GELU_TANH_SCALE
        return (0.5 * x) * (1 + np.tanh(inner))


@_gelu_tanh.defvjp
def _gelu_tanh_vjp(g, out, x):
    x2 = square(x)
    th = tanh((x + _GELU_TANH_CUBIC * x2 * x) * _GELU_TANH_SCALE)
    slope = (1 + 3 * _GELU_TANH_CUBIC * x2) * _GELU_TANH_SCALE
    return g * (0.5 * (1 + th) + (0.5 * x) * (1 - th * th) * slope)


def gelu(x, approximate="none"):
    """Gaussian error linear unit ``x * Phi(x)``; ``approximate="tanh"`` uses the
    tanh form of Hendrycks and Gimpel (2016).

    Example:
        >>> import ndgrad
        >>> ndgrad.gelu(ndgrad.tensor([0.0])).tolist()
        [0.0]
        >>> round(ndgrad.gelu(ndgrad.tensor(1.0), approximate="tanh").item(), 4)
        0.8412
    """
    if approximate == "none":
        return _gelu_exact(x)
    if approximate == "tanh":
        return _gelu_tanh(x)
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', not {approximate!r}")


@primitive(saves_output=True, reads=())
def sigmoid(x):
    """The logistic function ``1 / (1 + exp(-x))``, finite and warning-free for any ``x``.

    Example:
        >>> import ndgrad
        >>> ndgrad.sigmoid(ndgrad.tensor([0.0, -1000.0])).tolist()
        [0.5, 0.0]
    """
    x = np.asarray(x)
    if x.dtype.kind == "c":           # holomorphic 1 / (1 + exp(-z)), as torch.sigmoid
        return 1 / (1 + np.exp(-x))
    return _sigmoid_array(_floating(x))


@sigmoid.defvjp(arrays=True)
def _sigmoid_vjp(g, out, x):
    return g * conj_of(out * (1 - out))


differentiates_complex(sigmoid)


@primitive(saves_output=True, reads=())
def log_sigmoid(x):
    """``log(sigmoid(x))`` without overflow or ``log(0)``.

    Example:
        >>> import ndgrad
        >>> ndgrad.log_sigmoid(ndgrad.tensor([-1000.0])).tolist()
        [-1000.0]
    """
    x = _floating(x)
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


@log_sigmoid.defvjp(arrays=True)
def _log_sigmoid_vjp(g, out, x):
    # d/dx = 1 - sigmoid(x) = -expm1(out): accurate where sigmoid(x) is near 1.
    return -g * np.expm1(out)


@primitive(name="softplus", reads=(0,))
def _softplus(x, beta, threshold):
    x = _floating(x)
    scaled = x * beta if beta != 1 else x
    smooth = _softplus_array(scaled)
    if beta != 1:
        smooth = smooth / beta
    linear = scaled > threshold
    return np.where(linear, x, smooth) if linear.any() else smooth


@_softplus.defvjp
def _softplus_vjp(g, out, x, beta, threshold):
    scaled = x * beta if beta != 1 else x
    slope = g * sigmoid(scaled)
    linear = scaled > threshold
    return where(linear, g, slope) if linear._data.any() else slope


def softplus(x, beta=1.0, threshold=20.0):
    """``log(1 + exp(beta * x)) / beta``, and ``x`` itself where ``beta * x > threshold``
    (as in PyTorch).

    Example:
        >>> import ndgrad
        >>> ndgrad.softplus(ndgrad.tensor([-1000.0, 1000.0])).tolist()
        [0.0, 1000.0]
    """
    return _softplus(x, beta=float(beta), threshold=float(threshold))


@primitive(saves_output=True, reads=())
def softsign(x):
    """``x / (1 + abs(x))``.

    Example:
        >>> import ndgrad
        >>> ndgrad.softsign(ndgrad.tensor([1.0, -3.0])).tolist()
        [0.5, -0.75]
    """
    x = _floating(x)
    return x / (1 + np.abs(x))


@softsign.defvjp(arrays=True)
def _softsign_vjp(g, out, x):
    return g * np.square(1 - np.abs(out))


@primitive(reads=(0,))
def silu(x):
    """``x * sigmoid(x)`` (also called swish).

    Example:
        >>> import ndgrad
        >>> ndgrad.silu(ndgrad.tensor([0.0, -1000.0])).tolist()
        [0.0, -0.0]
    """
    x = _floating(x)
    return x * _sigmoid_array(x)


@silu.defvjp
def _silu_vjp(g, out, x):
    s = sigmoid(x)
    return g * (s * (1 + x * (1 - s)))


swish = silu


@primitive(reads=(0,))
def mish(x):
    """``x * tanh(softplus(x))`` (Misra, 2019).

    Example:
        >>> import ndgrad
        >>> ndgrad.mish(ndgrad.tensor([0.0, 1000.0])).tolist()
        [0.0, 1000.0]
    """
    x = _floating(x)
    return x * np.tanh(_softplus_array(x))


@mish.defvjp
def _mish_vjp(g, out, x):
    th = tanh(softplus(x))
    return g * (th + x * sigmoid(x) * (1 - th * th))


@primitive(saves_output=True, reads=())
def hard_sigmoid(x):
    """``relu6(x + 3) / 6``: a piecewise-linear sigmoid, as PyTorch's ``hardsigmoid``.

    Example:
        >>> import ndgrad
        >>> ndgrad.hard_sigmoid(ndgrad.tensor([-4.0, 0.0, 4.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    return np.clip(_floating(x) + 3, 0, 6) / 6


@hard_sigmoid.defvjp(arrays=True)
def _hard_sigmoid_vjp(g, out, x):
    return (g * ((out > 0) & (out < 1))) / 6


hardsigmoid = hard_sigmoid


@primitive(name="hard_tanh", saves_output=True, reads=())
def _hard_tanh(x, min_val, max_val):
    return np.clip(x, min_val, max_val)


@_hard_tanh.defvjp(arrays=True)
def _hard_tanh_vjp(g, out, x, min_val, max_val):
    return g * ((out > min_val) & (out < max_val))


def hard_tanh(x, min_val=-1.0, max_val=1.0):
    """``clip(x, min_val, max_val)``, with PyTorch's argument names.

    Example:
        >>> import ndgrad
        >>> ndgrad.hard_tanh(ndgrad.tensor([-3.0, 0.5, 3.0])).tolist()
        [-1.0, 0.5, 1.0]
    """
    return _hard_tanh(x, min_val=float(min_val), max_val=float(max_val))


hardtanh = hard_tanh
