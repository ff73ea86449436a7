"""PyTorch's ``nn.init``: fill a tensor in place, and Keras's initializers by name.

Each ``name_`` function writes new values into the tensor's own array (the same array,
so views and optimizer state stay attached), records nothing in the graph,
bumps the tensor's version, and returns the tensor. Fans follow PyTorch's
layout, ``(out, in, *kernel)``: ``fan_in = shape[1] * receptive field``,
``fan_out = shape[0] * receptive field``. Randomness comes from
``ndgrad.random.generator()`` unless a NumPy ``Generator`` is passed as
``generator``; values are drawn in the tensor's dtype.

Keras's face is here too: ``get("glorot_uniform")`` and the classes
(``GlorotUniform``, ``HeNormal``, ...) return new tensors from a shape, with
KERAS's fans, ``(..., in, out)`` (see ``ndgrad.nn.initializers``).

Example:
    >>> import ndgrad
    >>> from ndgrad.nn import init
    >>> w = ndgrad.nn.Parameter(ndgrad.empty((3, 2)))
    >>> init.ones_(w) is w, w.tolist()
    (True, [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    >>> init.get("zeros")((2,)).tolist()
    [0.0, 0.0]
"""

import math
import warnings

import numpy as np

from ..errors import DTypeError
from ..tensor import Tensor
from ._sampling import generator_for, normal, orthogonal, truncated_normal, uniform
from .initializers import (Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform,  # noqa: F401
                           Identity, Initializer, LecunNormal, LecunUniform, Ones, Orthogonal,
                           RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, Zeros,
                           compute_fans, get)

__all__ = ["calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_",
           "zeros_", "eye_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
           "kaiming_normal_", "orthogonal_", "get"]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "sigmoid")
_NONLINEARITIES = _LINEAR + ("tanh", "relu", "leaky_relu", "selu")


def _target(name, tensor, floating=True):
    """Refuse what cannot be filled in place before anything is drawn."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"nn.init.{name}: expected an ndgrad Tensor (a Parameter or a Variable) "
                        f"to fill in place; got {type(tensor).__name__}. For a new tensor from "
                        "a shape use nn.init.get(...)(shape)")
    if floating and tensor.dtype.kind != "f":
        raise DTypeError(f"nn.init.{name}: random values need a floating tensor; got dtype "
                         f"{tensor.dtype}")
    return tensor


def _write(tensor, values):
    tensor._data[...] = values
    tensor._bump_version(site="nn.init")
    return tensor


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity, as PyTorch's (tanh 5/3, relu sqrt 2, ...).

    Args:
        nonlinearity: ``"linear"``, ``"conv1d"``..``"conv_transpose3d"``, ``"sigmoid"``,
            ``"tanh"``, ``"relu"``, ``"leaky_relu"`` or ``"selu"``.
        param: the negative slope of ``"leaky_relu"`` (default 0.01).

    Example:
        >>> from ndgrad.nn.init import calculate_gain
        >>> calculate_gain("tanh"), round(calculate_gain("leaky_relu", 0.2), 4)
        (1.6666666666666667, 1.3868)
    """
    if nonlinearity in _LINEAR:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4     # PyTorch's choice, for self-normalizing networks
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; use one of "
                     f"{', '.join(_NONLINEARITIES)}")


def _calculate_fan_in_and_fan_out(tensor):
    """``(fan_in, fan_out)`` of a weight in PyTorch's layout ``(out, in, *kernel)``.

    Args:
        tensor: a tensor (or anything with ``.shape``, or a shape) of 2 or more dimensions.

    Example:
        >>> _calculate_fan_in_and_fan_out((32, 16, 3, 3))     # Conv2d(16, 32, 3)
        (144, 288)
    """
    shape = tuple(getattr(tensor, "shape", tensor))
    if len(shape) < 2:
        raise ValueError(f"nn.init: fan in and fan out cannot be computed for a tensor of "
                         f"shape {shape}, with fewer than 2 dimensions")
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"nn.init: mode {mode!r} is not supported; use 'fan_in' or 'fan_out'")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with draws from ``uniform(a, b)``.

    Args:
        tensor: a floating tensor. a, b: the bounds.
        generator: a NumPy ``Generator`` (default: ndgrad's).

    Example:
        >>> from ndgrad.nn.init import uniform_
        >>> import ndgrad
        >>> w = uniform_(ndgrad.empty(100), -1.0, 1.0)
        >>> bool((abs(w) <= 1).all())
        True
    """
    _target("uniform_", tensor)
    return _write(tensor, uniform(generator_for(generator), tensor.shape, a, b, tensor.dtype))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with draws from ``normal(mean, std)``.

    Args:
        tensor: a floating tensor. mean, std: the distribution (``std >= 0``).
        generator: a NumPy ``Generator`` (default: ndgrad's).

    Example:
        >>> from ndgrad.nn.init import normal_
        >>> import ndgrad
        >>> normal_(ndgrad.empty(2), mean=3.0, std=0.0).tolist()
        [3.0, 3.0]
    """
    _target("normal_", tensor)
    if std < 0:
        raise ValueError(f"nn.init.normal_: std must be >= 0; got {std}")
    return _write(tensor, normal(generator_for(generator), tensor.shape, mean, std, tensor.dtype))


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Fill with draws from ``normal(mean, std)`` restricted to ``[a, b]`` (absolute
    bounds, as PyTorch's; rejection sampling, exact even far in a tail).

    Args:
        tensor: a floating tensor. mean, std: the untruncated distribution.
        a, b: the bounds, ``a < b``. generator: a NumPy ``Generator``.

    Example:
        >>> from ndgrad.nn.init import trunc_normal_
        >>> import ndgrad
        >>> w = trunc_normal_(ndgrad.empty(1000), std=0.02, a=-0.01, b=0.01)
        >>> bool((abs(w) <= 0.01).all())
        True
    """
    _target("trunc_normal_", tensor)
    if std < 0 or not a < b:
        raise ValueError(f"nn.init.trunc_normal_: need std >= 0 and a < b; got std={std}, "
                         f"a={a}, b={b}")
    values = truncated_normal(generator_for(generator), tensor.shape, mean, std, a, b,
                              tensor.dtype)
    return _write(tensor, values)


def constant_(tensor, val):
    """Fill with ``val``.

    Example:
        >>> from ndgrad.nn.init import constant_
        >>> import ndgrad
        >>> constant_(ndgrad.empty(2), 0.5).tolist()
        [0.5, 0.5]
    """
    return _write(_target("constant_", tensor, floating=False), val)


def ones_(tensor):
    """Fill with ones.

    Example:
        >>> from ndgrad.nn.init import ones_
        >>> import ndgrad
        >>> ones_(ndgrad.empty(2)).tolist()
        [1.0, 1.0]
    """
    return _write(_target("ones_", tensor, floating=False), 1)


def zeros_(tensor):
    """Fill with zeros.

    Example:
        >>> from ndgrad.nn.init import zeros_
        >>> import ndgrad
        >>> zeros_(ndgrad.empty(2)).tolist()
        [0.0, 0.0]
    """
    return _write(_target("zeros_", tensor, floating=False), 0)


def eye_(tensor):
    """Fill a 2-D tensor with the identity (ones on the diagonal, for non-square too).

    Example:
        >>> from ndgrad.nn.init import eye_
        >>> import ndgrad
        >>> eye_(ndgrad.empty((2, 3))).tolist()
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    _target("eye_", tensor, floating=False)
    if tensor.ndim != 2:
        raise ValueError(f"nn.init.eye_: only 2-D tensors are supported; got shape "
                         f"{tensor.shape}")
    return _write(tensor, np.eye(*tensor.shape, dtype=tensor.dtype))


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot/Xavier uniform: ``uniform(-r, r)``, ``r = gain sqrt(6 / (fan_in + fan_out))``.

    Args:
        tensor: a floating tensor of 2 or more dimensions (PyTorch's layout).
        gain: a scale, e.g. ``calculate_gain("relu")``. generator: a NumPy ``Generator``.

    Example:
        >>> from ndgrad.nn.init import xavier_uniform_
        >>> import ndgrad
        >>> w = xavier_uniform_(ndgrad.empty((4, 2)))
        >>> bool((abs(w) <= 1.0).all())            # sqrt(6 / 6)
        True
    """
    _target("xavier_uniform_", tensor)
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    if tensor.size == 0:
        return tensor
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot/Xavier normal: ``normal(0, gain sqrt(2 / (fan_in + fan_out)))``.

    Args:
        tensor: a floating tensor of 2 or more dimensions (PyTorch's layout).
        gain: a scale. generator: a NumPy ``Generator``.

    Example:
        >>> from ndgrad.nn.init import xavier_normal_
        >>> import ndgrad
        >>> xavier_normal_(ndgrad.empty((4, 2))).shape
        (4, 2)
    """
    _target("xavier_normal_", tensor)
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    if tensor.size == 0:
        return tensor
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def _kaiming_std(name, tensor, a, mode, nonlinearity):
    """The std of He init, or None for an empty tensor (which PyTorch skips, warning)."""
    _target(name, tensor)
    fan = _calculate_correct_fan(tensor, mode)
    gain = calculate_gain(nonlinearity, a)
    if tensor.size == 0:
        warnings.warn(f"nn.init.{name}: initializing a zero-element tensor is a no-op",
                      UserWarning, stacklevel=3)
        return None
    return gain / math.sqrt(fan)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He/Kaiming uniform: ``uniform(-r, r)``, ``r = gain sqrt(3 / fan)``.

    Args:
        tensor: a floating tensor of 2 or more dimensions (PyTorch's layout).
        a: the negative slope for ``"leaky_relu"``.
        mode: ``"fan_in"`` (keeps forward variance) or ``"fan_out"`` (backward).
        nonlinearity: the activation that follows, for :func:`calculate_gain`.
        generator: a NumPy ``Generator``.

    Example:
        >>> from ndgrad.nn.init import kaiming_uniform_
        >>> import ndgrad
        >>> w = kaiming_uniform_(ndgrad.empty((8, 6)), nonlinearity="relu")
        >>> bool((abs(w) <= 1.0).all())            # sqrt(2) sqrt(3 / 6)
        True
    """
    std = _kaiming_std("kaiming_uniform_", tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He/Kaiming normal: ``normal(0, gain / sqrt(fan))``.

    Args:
        tensor, a, mode, nonlinearity, generator: as in :func:`kaiming_uniform_`.

    Example:
        >>> from ndgrad.nn.init import kaiming_normal_
        >>> import ndgrad
        >>> kaiming_normal_(ndgrad.empty((8, 6)), mode="fan_out").shape
        (8, 6)
    """
    std = _kaiming_std("kaiming_normal_", tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    return normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor, gain=1, generator=None):
    """Fill with a (semi-)orthogonal matrix times ``gain``: the tensor viewed as
    ``(shape[0], rest)`` has orthonormal rows or columns, whichever are fewer.

    Args:
        tensor: a floating tensor of 2 or more dimensions.
        gain: a scale. generator: a NumPy ``Generator``.

    Example:
        >>> from ndgrad.nn.init import orthogonal_
        >>> import ndgrad, numpy as np
        >>> q = orthogonal_(ndgrad.empty((3, 5))).numpy()
        >>> bool(np.allclose(q @ q.T, np.eye(3), atol=1e-6))
        True
    """
    _target("orthogonal_", tensor)
    if tensor.ndim < 2:
        raise ValueError(f"nn.init.orthogonal_: only tensors with 2 or more dimensions are "
                         f"supported; got shape {tensor.shape}")
    if tensor.size == 0:
        return tensor
    rows = tensor.shape[0]
    values = orthogonal(generator_for(generator), rows, tensor.size // rows, gain, tensor.dtype)
    return _write(tensor, values.reshape(tensor.shape))
