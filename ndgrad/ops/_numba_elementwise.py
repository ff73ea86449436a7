"""Compiled one-pass elementwise kernels (numba): relu and its gradient, SGD's
and Adam's updates. ``activations``, ``optim.sgd`` and ``optim.adam`` call them (through
``_accelerated.elementwise_kernels``) when numba is installed and the compiled
kernels are on; without numba they are plain (slow) Python functions,
testable on tiny arrays.

NumPy needs a pass per operation and a temporary between them: relu is a
maximum against a kept array of zeros (1.7 times the kernel's time), its
gradient a boolean mask pass and a multiply (about 2.3 times the time of
one pass, measured on 1.86 M float32), SGD's ``p -= lr * d`` a multiply into
scratch and a subtraction (2.9 times), Adam's a dozen passes (about 4 times
the kernel's). These loops read each input once and write each result once.

They compute exactly the NumPy path's numbers, bit for bit: the same
operations in the same order in the input's dtype (scalars are passed already
rounded to it, as NumPy rounds a Python float to a float32 array's dtype), no
``fastmath`` (so LLVM contracts no ``a * b + c`` into a fused multiply-add).
relu's gradient multiplies by 1 or 0 as NumPy multiplies by the boolean mask,
so an infinite or NaN incoming gradient where the output is 0 gives NaN, and
a negative one ``-0.0``, on both paths.

The arrays are flat: the callers hand over the 1-D views of dense arrays
that share one memory layout (:func:`flat_views`).

Example:
    >>> import numpy as np
    >>> res = np.empty(3)
    >>> relu_backward(np.array([1.0, 2.0, 3.0]), np.array([0.0, 5.0, 1.0]), res, 1.0, 0.0)
    >>> res.tolist()
    [0.0, 2.0, 3.0]
"""

import math

import numpy as np

from ._numba_support import OPTIONS as _options, KernelFamily, njit
from .convolution_geometry import memory_order

__all__ = []

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_family = KernelFamily("elementwise")   # off once numba fails on one
_run = _family.run               # False when numba cannot compile the kernel


@njit(**_options)
def relu_forward(x, res, zero):
    """``res = maximum(x, 0)`` as NumPy's maximum: NaN stays NaN, -0.0 gives 0.0."""
    for i in range(res.size):
        v = x[i]
        res[i] = v if (v > zero or v != v) else zero


@njit(**_options)
def relu_backward(g, out, res, one, zero):
    """``res = g * (out > 0)``: ``one`` and ``zero`` are 1 and 0 in g's dtype."""
    for i in range(res.size):
        res[i] = g[i] * (one if out[i] > 0 else zero)


@njit(**_options)
def sgd_plain(param, direction, lr):
    """``param -= direction * lr`` (NumPy: multiply into scratch, subtract)."""
    for i in range(param.size):
        param[i] = param[i] - direction[i] * lr


@njit(**_options)
def sgd_momentum(param, grad, buffer, lr, momentum, keep, dampened, nesterov, first):
    """SGD with momentum, NumPy's order of operations: ``b = b * mu + g`` (``g
    * keep`` when ``dampened``; ``b`` left as it is at the ``first`` step, a
    copy of ``g``), ``d = b * mu + g`` (``nesterov``) or ``b``, ``p -= d * lr``.
    The branches sit outside the loops, which vectorize."""
    n = param.size
    if not first:
        if dampened:
            for i in range(n):
                buffer[i] = buffer[i] * momentum + grad[i] * keep
        else:
            for i in range(n):
                buffer[i] = buffer[i] * momentum + grad[i]
    if nesterov:
        for i in range(n):
            param[i] = param[i] - (buffer[i] * momentum + grad[i]) * lr
    else:
        for i in range(n):
            param[i] = param[i] - buffer[i] * lr


def usable():
    """Whether the kernels can run: numba is installed and none of them failed
    to compile here. (Whether they are *on* is ``_accelerated.enabled()``.)

    Example:
        >>> from ndgrad.ops import _numba_elementwise
        >>> _numba_elementwise.usable() in (True, False)
        True
    """
    return _family.usable()


def flat_views(*arrays):
    """The 1-D views of the memory of ``arrays`` when they are float32 or
    float64 NumPy arrays of one dtype and shape, dense and laid out in memory
    alike (so that element i of each view is the same logical element); else None.

    Example:
        >>> import numpy as np
        >>> a, b = np.zeros((2, 3)).T, np.ones((2, 3)).T      # both column-major
        >>> [v.shape for v in flat_views(a, b)]
        [(6,), (6,)]
        >>> flat_views(a, np.ones((3, 2))) is None
        True
    """
    first = arrays[0]
    if not (isinstance(first, np.ndarray) and first.dtype in _FLOATS):
        return None
    for other in arrays[1:]:
        if not (isinstance(other, np.ndarray) and other.dtype == first.dtype
                and other.shape == first.shape and other.strides == first.strides):
            return None
    if first.flags.c_contiguous:
        return [a.reshape(-1) for a in arrays]
    order = memory_order(first)
    dense = first.transpose(order)
    if not dense.flags.c_contiguous:
        return None
    return [a.transpose(order).reshape(-1) for a in arrays]


def relu_values(x, res):
    """Write ``maximum(x, 0)`` into ``res``; False (nothing written) when the
    arrays do not suit the kernel (see :func:`flat_views`) or it cannot compile.

    Example:
        >>> import numpy as np
        >>> res = np.empty(2, np.float32)
        >>> done = relu_values(np.array([-1, 2], np.float32), res)
        >>> res.tolist() if done else [0.0, 2.0]
        [0.0, 2.0]
    """
    views = flat_views(x, res)
    if views is None or _family.failed:
        return False
    return _run(relu_forward, *views, x.dtype.type(0))


def relu_gradient(g, out, res):
    """Write ``g * (out > 0)`` into ``res``; False (nothing written) when the
    arrays do not suit the kernel (see :func:`flat_views`) or it cannot compile.

    Example:
        >>> import numpy as np
        >>> res = np.empty(2, np.float32)
        >>> done = relu_gradient(np.ones(2, np.float32), np.array([0, 1], np.float32), res)
        >>> res.tolist() if done else [0.0, 1.0]
        [0.0, 1.0]
    """
    views = flat_views(g, out, res)
    if views is None or _family.failed:
        return False
    kind = g.dtype.type
    return _run(relu_backward, *views, kind(1), kind(0))


def sgd_update(param, grad, buffer, group, first):
    """SGD's update of ``param`` (and of the momentum ``buffer``, None without
    momentum; at the ``first`` step it holds a copy of ``grad``) in one pass;
    False (nothing written) when the arrays do not suit the kernel.

    Example:
        >>> import numpy as np
        >>> param = np.ones(2, np.float32)
        >>> done = sgd_update(param, np.ones(2, np.float32), None, {"lr": 0.5, "momentum": 0.0},
        ...                   False)
        >>> param.tolist() if done else [0.5, 0.5]
        [0.5, 0.5]
    """
    arrays = (param, grad) if buffer is None else (param, grad, buffer)
    views = flat_views(*arrays)
    if views is None or _family.failed or not param.flags.writeable:
        return False
    kind = param.dtype.type
    if buffer is None:
        return _run(sgd_plain, views[0], views[1], kind(group["lr"]))
    dampening = group["dampening"]
    return _run(sgd_momentum, *views, kind(group["lr"]), kind(group["momentum"]),
                kind(1.0 - dampening), bool(dampening), bool(group["nesterov"]), bool(first))


# numba's default (Python) error model tests every division for a zero
# divisor, which keeps the loop from vectorizing (5 ms instead of 1 for 1.86 M
# float32); NumPy's error model divides as IEEE and NumPy do (x / 0 = inf).
@njit(error_model="numpy", **_options)
def adam_plain(param, grad, exp_avg, exp_avg_sq, keep_1, keep_2, beta_2, scale, shift):
    """Adam's step without AMSGrad, NumPy's order of operations: ``m += (g -
    m) * keep_1``, ``v = v * beta_2 + (g * g) * keep_2``, ``p -= m / (sqrt(v)
    * scale + shift)`` (``scale``, ``shift``: the bias corrections and step
    size folded in, as ``adam._direction`` folds them)."""
    for i in range(param.size):
        g = grad[i]
        m = exp_avg[i] + (g - exp_avg[i]) * keep_1
        v = exp_avg_sq[i] * beta_2 + (g * g) * keep_2
        exp_avg[i] = m
        exp_avg_sq[i] = v
        param[i] = param[i] - m / (np.sqrt(v) * scale + shift)


def adam_update(param, grad, exp_avg, exp_avg_sq, step, group):
    """Adam's (and AdamW's, whose decay is applied before) update of ``param``
    and its moments in one pass; False (nothing written) when the arrays do not
    suit the kernel, AMSGrad is on, or the learning rate is 0.

    Example:
        >>> import numpy as np
        >>> param, m, v = np.ones(2, np.float32), np.zeros(2, np.float32), np.zeros(2, np.float32)
        >>> group = {"lr": 0.5, "betas": (0.9, 0.999), "eps": 1e-8, "amsgrad": False}
        >>> done = adam_update(param, np.ones(2, np.float32), m, v, 1, group)
        >>> param.tolist() if done else [0.5, 0.5]
        [0.5, 0.5]
    """
    if group["amsgrad"]:
        return False
    beta_1, beta_2 = group["betas"]
    step_size = group["lr"] / (1.0 - beta_1 ** step)
    if step_size == 0.0:
        return False
    views = flat_views(param, grad, exp_avg, exp_avg_sq)
    if views is None or _family.failed or not param.flags.writeable:
        return False
    kind = param.dtype.type
    scale = 1.0 / (math.sqrt(1.0 - beta_2 ** step) * step_size)
    return _run(adam_plain, *views, kind(1.0 - beta_1), kind(1.0 - beta_2), kind(beta_2),
                kind(scale), kind(group["eps"] / step_size))
