"""Elementwise functions under PyTorch's names, over ``ndgrad.ops``.

Most are the core ops themselves (``torch.exp is ndgrad.exp``): PyTorch and
NumPy agree on what they compute. The rest adapt PyTorch's spellings and
arguments (``add(input, other, alpha=2)``, ``div(..., rounding_mode="floor")``,
``clamp(input, min, max)``, ``asin`` for ``arcsin``) to the same core ops. All
record gradients like any ndgrad op.

Example:
    >>> import ndgrad.torch as torch
    >>> x = torch.tensor([-2.0, 0.5, 3.0])
    >>> torch.clamp(x, min=0.0).tolist(), torch.add(x, 1.0, alpha=2).tolist()
    ([0.0, 0.5, 3.0], [0.0, 2.5, 5.0])
"""

from .. import ops
from ..nn import functional as _functional
from ..tensor import as_tensor
from ._arguments import refuse_out
from ._delegate import method_functions

# Names whose PyTorch meaning is the core op's meaning, argument for argument.
SAME_AS_CORE = (
    "abs", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "square", "sign",
    "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos", "arctan", "arcsinh",
    "arccosh", "arctanh", "arctan2", "ceil", "floor", "trunc", "fix", "round", "reciprocal",
    "negative", "positive", "sigmoid", "relu", "erf", "erfc", "logit", "logaddexp",
    "logaddexp2", "maximum", "minimum", "fmax", "fmin", "hypot", "copysign", "signbit",
    "heaviside", "isnan", "isinf", "isfinite", "isclose", "logical_and", "logical_or",
    "logical_not", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "remainder",
    "fmod", "floor_divide", "true_divide", "float_power", "where", "greater", "greater_equal",
    "less", "less_equal", "not_equal", "multiply", "subtract", "divide", "deg2rad", "rad2deg",
)
globals().update({name: getattr(ops, name) for name in SAME_AS_CORE})

# PyTorch's other spellings of the same core ops.
ALIASES = {
    "absolute": "abs", "asin": "arcsin", "acos": "arccos", "atan": "arctan",
    "asinh": "arcsinh", "acosh": "arccosh", "atanh": "arctanh", "atan2": "arctan2",
    "neg": "negative", "pow": "power", "eq": "equal", "ne": "not_equal",
    "lt": "less", "le": "less_equal", "gt": "greater", "ge": "greater_equal", "sgn": "sign",
    "bitwise_not": "invert", "mul": "multiply",
}
globals().update({name: getattr(ops, core) for name, core in ALIASES.items()})

# PyTorch's functions that are the tensor method called on the first argument.
DELEGATED = method_functions(__name__, [
    ("clamp_min", "``input`` limited from below by ``min``",
     "torch.clamp_min(torch.tensor([-1.0, 2.0]), 0.0).tolist()", "[0.0, 2.0]"),
    ("clamp_max", "``input`` limited from above by ``max``",
     "torch.clamp_max(torch.tensor([-1.0, 2.0]), 0.0).tolist()", "[-1.0, 0.0]"),
    ("addcmul", "``input + value * tensor1 * tensor2``",
     "torch.addcmul(torch.ones(2), torch.ones(2), torch.full((2,), 3.0), value=0.5).tolist()",
     "[2.5, 2.5]"),
    ("addcdiv", "``input + value * tensor1 / tensor2``",
     "torch.addcdiv(torch.zeros(1), torch.ones(1), torch.full((1,), 4.0), value=2).tolist()",
     "[0.5]"),
])
globals().update(DELEGATED)
__test__ = dict(DELEGATED)

__all__ = [*SAME_AS_CORE, *ALIASES, *DELEGATED, "add", "sub", "div", "clamp", "clip", "rsqrt",
           "lerp", "frac", "nan_to_num", "softmax", "log_softmax", "xlogy", "rsub"]


def add(input, other, *, alpha=1, out=None):
    """``input + alpha * other``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.add(torch.tensor([1.0, 2.0]), torch.tensor([10.0, 20.0]), alpha=0.5).tolist()
        [6.0, 12.0]
    """
    refuse_out("torch.add", out)
    return ops.add(input, other if alpha == 1 else ops.multiply(other, alpha))


def sub(input, other, *, alpha=1, out=None):
    """``input - alpha * other`` (also ``torch.subtract`` without ``alpha``).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.sub(torch.tensor([5.0]), torch.tensor([1.0]), alpha=2).tolist()
        [3.0]
    """
    refuse_out("torch.sub", out)
    return ops.subtract(input, other if alpha == 1 else ops.multiply(other, alpha))


def div(input, other, *, rounding_mode=None, out=None):
    """``input / other``; ``rounding_mode="trunc"`` rounds toward zero,
    ``"floor"`` down (``floor_divide``).

    Example:
        >>> import ndgrad.torch as torch
        >>> a, b = torch.tensor([-7.0, 7.0]), torch.tensor([2.0, 2.0])
        >>> torch.div(a, b, rounding_mode="trunc").tolist()
        [-3.0, 3.0]
        >>> torch.div(a, b, rounding_mode="floor").tolist()
        [-4.0, 3.0]
    """
    refuse_out("torch.div", out)
    if rounding_mode is None:
        return ops.true_divide(input, other)
    if rounding_mode == "floor":
        return ops.floor_divide(input, other)
    if rounding_mode == "trunc":
        quotient = ops.true_divide(input, other)
        integers = [t.dtype.kind in "iub" for t in (as_tensor(input), as_tensor(other))]
        truncated = ops.trunc(quotient)
        return truncated.astype(ops.floor_divide(input, other).dtype) if all(integers) \
            else truncated
    raise ValueError(f"torch.div: rounding_mode must be None, 'trunc' or 'floor'; got "
                     f"{rounding_mode!r}")


def clamp(input, min=None, max=None, *, out=None):
    """Limit ``input`` to ``[min, max]`` (either may be None; numbers or tensors).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.clamp(torch.tensor([-1.0, 0.5, 2.0]), -0.5, 1.0).tolist()
        [-0.5, 0.5, 1.0]
    """
    refuse_out("torch.clamp", out)
    if min is None and max is None:
        raise ValueError("torch.clamp: at least one of min and max must be given")
    return ops.clip(input, min=min, max=max)


clip = clamp


def rsqrt(input, *, out=None):
    """``1 / sqrt(input)``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.rsqrt(torch.tensor([4.0, 0.25])).tolist()
        [0.5, 2.0]
    """
    refuse_out("torch.rsqrt", out)
    return ops.reciprocal(ops.sqrt(input))


def lerp(input, end, weight, *, out=None):
    """``input + weight * (end - input)``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.lerp(torch.tensor([0.0, 10.0]), torch.tensor([10.0, 20.0]), 0.25).tolist()
        [2.5, 12.5]
    """
    refuse_out("torch.lerp", out)
    return ops.add(input, ops.multiply(weight, ops.subtract(end, input)))


def frac(input, *, out=None):
    """The fractional part, ``input - trunc(input)`` (keeps the sign).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.frac(torch.tensor([-1.5, 2.25])).tolist()
        [-0.5, 0.25]
    """
    refuse_out("torch.frac", out)
    return ops.subtract(input, ops.trunc(input))


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """Replace NaN by ``nan`` and infinities by ``posinf``/``neginf`` (default: the
    dtype's largest and lowest finite values).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.nan_to_num(torch.tensor([float("nan"), 1.0]), nan=-1.0).tolist()
        [-1.0, 1.0]
    """
    refuse_out("torch.nan_to_num", out)
    return ops.nan_to_num(input, nan=nan, posinf=posinf, neginf=neginf)


def softmax(input, dim, dtype=None):
    """Softmax along ``dim`` (``torch.softmax``, as ``F.softmax``).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.softmax(torch.zeros(1, 2), dim=1).tolist()
        [[0.5, 0.5]]
    """
    return _functional.softmax(input, dim=dim, dtype=dtype)


def log_softmax(input, dim, dtype=None):
    """Log-softmax along ``dim`` (``torch.log_softmax``, as ``F.log_softmax``).

    Example:
        >>> import ndgrad.torch as torch
        >>> f"{torch.log_softmax(torch.zeros(2), dim=0)[0].item():.4f}"
        '-0.6931'
    """
    return _functional.log_softmax(input, dim=dim, dtype=dtype)


def xlogy(input, other, *, out=None):
    """``input * log(other)``, and 0 where ``input`` is 0 (even where ``other`` is 0).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.xlogy(torch.tensor([0.0, 2.0]), torch.tensor([0.0, 1.0])).tolist()
        [0.0, 0.0]
    """
    refuse_out("torch.xlogy", out)
    both_zero = ops.logical_and(ops.equal(input, 0), ops.equal(other, 0))
    return ops.multiply(input, ops.log(ops.where(both_zero, 1.0, other)))


def rsub(input, other, *, alpha=1):
    """``other - alpha * input`` (``input`` subtracted from ``other``).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.rsub(torch.tensor([1.0]), 5.0, alpha=2).tolist()
        [3.0]
    """
    return ops.subtract(other, input if alpha == 1 else ops.multiply(input, alpha))
