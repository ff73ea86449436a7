"""Normalization primitives: ``batch_norm`` here, ``layer_norm`` and ``group_norm``
(re-exported from ``layer_normalization``).

Each normalization is one primitive with a hand-written rule. The statistics
(mean and ``1 / sqrt(var + eps)``) are computed once, in the input's dtype,
before the primitive runs and are handed to it as parameters, so the rule
never recomputes them. Batch normalization folds statistics, weight and bias
into one scale and one shift per channel: the forward is two passes over the
input. The rules work on the arrays directly; only when the backward itself
is recorded (``create_graph=True``) do they switch to a composite of ndgrad
ops that recomputes the statistics from the input, so second-order gradients
are exact.

``batch_norm`` follows ``torch.nn.functional.batch_norm`` (running statistics
updated in place in training mode, with the unbiased batch variance);
``batch_statistics`` and ``normalize_with_statistics`` let the Keras layer
apply its own update rule on the same primitive.

Example:
    >>> import ndgrad
    >>> from ndgrad.ops.normalization import batch_norm
    >>> x = ndgrad.tensor([[1.0], [3.0]])
    >>> batch_norm(x, training=True).numpy().round(4).tolist()
    [[-1.0], [1.0]]
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import as_input, data_of, primitive
from ..errors import shape_error
from ..tensor import Tensor
from ._accelerated import normalization_kernels
from .convolution_geometry import empty_like_layout
from .elementwise import sqrt, square
from .reduce import mean as _mean, sum as _sum
from .shape import reshape

__all__ = ["batch_norm", "layer_norm", "group_norm", "batch_statistics",
           "normalize_with_statistics", "blend_statistic"]

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _floating(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float32)


def _axes_tuple(axis, ndim, name):
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    normalized = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"{name}: axis {a} is out of range for an input with {ndim} "
                             "dimensions")
        normalized.append(int(a) % ndim)
    return tuple(sorted(set(normalized)))


def _broadcast_shape(shape, axes):
    """``shape`` with every axis not in ``axes`` set to 1."""
    return tuple(n if i in axes else 1 for i, n in enumerate(shape))


def _sum_of_products(a, b, keep):
    """``sum(a * b)`` over every axis not in ``keep``, kept as size-1 axes (no temporary)."""
    letters = _LETTERS[:a.ndim]
    kept = "".join(letters[i] for i in keep)
    result = np.einsum(f"{letters},{letters}->{kept}", a, b)
    return result.reshape(_broadcast_shape(a.shape, keep))


def _sum_over(a, keep):
    """``sum(a)`` over every axis not in ``keep``, kept as size-1 axes."""
    letters = _LETTERS[:a.ndim]
    kept = "".join(letters[i] for i in keep)
    return np.einsum(f"{letters}->{kept}", a).reshape(_broadcast_shape(a.shape, keep))


def _statistics(x, axes):
    """Mean and biased variance over ``axes`` (kept as size-1 axes), in ``x``'s dtype.

    Two passes (mean, then the mean square of the centered values) rather than
    ``E[x^2] - E[x]^2``, which cancels badly when the mean is large; einsum
    reduces several times faster than ``mean(axis=...)`` over strided axes."""
    keep = tuple(i for i in range(x.ndim) if i not in axes)
    count = max(x.size // max(int(np.prod([x.shape[i] for i in keep])), 1), 1)
    mean = (_sum_over(x, keep) / count).astype(x.dtype, copy=False)
    centered = x - mean
    return mean, _sum_of_products(centered, centered, keep) / count


def _inverse_std(variance, eps, dtype):
    return (1.0 / np.sqrt(variance + eps)).astype(dtype, copy=False)


def _recorded_rule(g, x, weight, axes, param_axes, mean, invstd, eps, batch_stats):
    """The rule as a composite of ndgrad ops, used when the backward is recorded.

    With batch statistics the mean and variance are recomputed from ``x`` so
    that their dependence on ``x`` is differentiated too."""
    if batch_stats:
        centered = x - _mean(x, axis=axes, keepdims=True)
        invstd = 1.0 / sqrt(_mean(square(centered), axis=axes, keepdims=True) + eps)
    else:
        centered = x - mean
    x_hat = centered * invstd
    shape = _broadcast_shape(x.shape, param_axes)
    gy = g * reshape(weight, shape) if weight is not None else g
    if batch_stats:
        gx = (gy - _mean(gy, axis=axes, keepdims=True)
              - x_hat * _mean(gy * x_hat, axis=axes, keepdims=True)) * invstd
    else:
        gx = gy * invstd
    other = tuple(i for i in range(x.ndim) if i not in param_axes)
    param_shape = tuple(x.shape[i] for i in param_axes)
    gw = reshape(_sum(g * x_hat, axis=other), param_shape)
    gb = reshape(_sum(g, axis=other), param_shape)
    return gx, gw, gb


# ---------------------------------------------------------------- batch norm
@primitive(name="batch_norm", reads=(0, 1))
def _batch_norm(x, weight, bias, axes, mean, invstd, eps, batch_stats):
    x = _floating(x)
    scale = invstd if weight is None else invstd * weight.reshape(invstd.shape)
    shift = -mean * scale
    if bias is not None:
        shift += bias.reshape(invstd.shape)
    compiled = normalization_kernels()
    channel_axes = tuple(i for i in range(x.ndim) if i not in axes)
    if compiled is not None and len(channel_axes) == 1:
        out = empty_like_layout(x, x.shape, x.dtype)
        if compiled.normalize(x, channel_axes[0], scale, shift, out):
            return out
    out = x * scale.astype(x.dtype, copy=False)
    out += shift.astype(x.dtype, copy=False)
    return out


@_batch_norm.defvjp
def _batch_norm_vjp(g, out, x, weight, bias, axes, mean, invstd, eps, batch_stats, needs):
    channel_axes = tuple(i for i in range(g.ndim) if i not in axes)
    if state.enabled:
        gx, gw, gb = _recorded_rule(g, x, weight, axes, channel_axes, mean, invstd, eps,
                                    batch_stats)
        return gx if needs[0] else None, gw if needs[1] else None, gb if needs[2] else None
    gd = g._data
    with_stats = needs[0] and batch_stats
    param_shape = tuple(gd.shape[i] for i in channel_axes)
    gw = gx = gb = gsum = dot = None
    compiled = normalization_kernels() if len(channel_axes) == 1 else None
    if compiled is not None and with_stats:
        grad = _compiled_batch_norm_grad(compiled, gd, _floating(data_of(x)), weight, mean,
                                         invstd, channel_axes[0], needs)
        if grad is not None:
            return grad
    if needs[1] or with_stats:
        centered = _floating(data_of(x)) - mean
        dot = _sum_of_products(gd, centered, channel_axes)    # sum(g * (x - mean)) per channel
        if needs[1]:
            gw = (dot * invstd).reshape(param_shape)
    if needs[2] or with_stats:
        gsum = _sum_over(gd, channel_axes)
        if needs[2]:
            gb = gsum.reshape(param_shape)
    if needs[0]:
        scale = invstd if weight is None else invstd * data_of(weight).reshape(invstd.shape)
        gx = gd * scale.astype(gd.dtype, copy=False)
        if with_stats:
            # gx = scale * (g - mean(g) - x_hat * mean(g * x_hat)), with the
            # per-channel factors folded so that only two full-size arrays exist.
            count = gd.size // max(gsum.size, 1)
            centered *= (-scale * invstd * invstd * dot / count).astype(gd.dtype, copy=False)
            gx += centered
            gx -= (scale * gsum / count).astype(gd.dtype, copy=False)
    return gx, gw, gb


def _compiled_batch_norm_grad(compiled, gd, xd, weight, mean, invstd, channel_axis, needs):
    """The rule with batch statistics in two compiled passes (per-channel sums,
    then the input gradient), the per-channel factors computed as the NumPy
    path does; None when the kernels do not take these arrays."""
    sums = compiled.gradient_sums(gd, xd, channel_axis, mean)
    if sums is None:
        return None
    shape = invstd.shape
    gsum, dot = (s.astype(gd.dtype).reshape(shape) for s in sums)
    param_shape = (gd.shape[channel_axis],)
    scale = invstd if weight is None else invstd * data_of(weight).reshape(shape)
    count = gd.size // max(gsum.size, 1)
    centered_factor = (-scale * invstd * invstd * dot / count).astype(gd.dtype, copy=False)
    offset = (scale * gsum / count).astype(gd.dtype, copy=False)
    gx = empty_like_layout(xd, xd.shape, gd.dtype)
    if not compiled.input_grad(gd, xd, channel_axis, scale, mean, centered_factor, offset, gx):
        return None
    gw = (dot * invstd).reshape(param_shape) if needs[1] else None
    gb = gsum.reshape(param_shape) if needs[2] else None
    return gx, gw, gb


def batch_statistics(x, axis=1):
    """The batch mean and biased variance per channel (plain arrays, shape (C,)).

    Args:
        x: the input, with its channels on ``axis``.
        axis: the channel axis (1 for PyTorch's NCHW, -1 for Keras), or a tuple.

    Example:
        >>> from ndgrad.nn.normalization import batch_statistics
        >>> import ndgrad
        >>> mean, var = batch_statistics(ndgrad.tensor([[1.0, 2.0], [3.0, 6.0]]))
        >>> mean.tolist(), var.tolist()
        ([2.0, 4.0], [1.0, 4.0])
    """
    data = _floating(data_of(as_input(x)))
    channel_axes = _axes_tuple(axis, data.ndim, "batch_statistics")
    axes = tuple(i for i in range(data.ndim) if i not in channel_axes)
    shape = tuple(data.shape[i] for i in channel_axes)
    compiled = normalization_kernels() if len(channel_axes) == 1 else None
    moments = compiled.statistics(data, channel_axes[0]) if compiled is not None else None
    if moments is not None:
        return tuple(m.astype(data.dtype).reshape(shape) for m in moments)
    mean, variance = _statistics(data, axes)
    return mean.reshape(shape), variance.reshape(shape)


def normalize_with_statistics(x, mean, variance, weight=None, bias=None, eps=1e-5, axis=1,
                              batch_stats=False):
    """``(x - mean) / sqrt(variance + eps) * weight + bias`` per channel, as one primitive.

    Args:
        x: the input, channels on ``axis``.
        mean, variance: arrays of shape (C,), the statistics to normalize with.
        weight, bias: (C,) tensors or None.
        eps: added to the variance.
        axis: the channel axis, or a tuple of them.
        batch_stats: the statistics were computed from ``x`` itself (training
            mode): the gradient then flows through them too.

    Example:
        >>> from ndgrad.nn.normalization import normalize_with_statistics
        >>> import numpy as np, ndgrad
        >>> x = ndgrad.tensor([[1.0, 2.0]])
        >>> normalize_with_statistics(x, np.zeros(2), np.ones(2), eps=0.0).tolist()
        [[1.0, 2.0]]
    """
    x = as_input(x)
    data = _floating(data_of(x))
    channel_axes = _axes_tuple(axis, data.ndim, "batch_norm")
    axes = tuple(i for i in range(data.ndim) if i not in channel_axes)
    shape = _broadcast_shape(data.shape, channel_axes)
    channels = tuple(data.shape[i] for i in channel_axes)
    for label, value in (("mean", mean), ("variance", variance), ("weight", weight),
                         ("bias", bias)):
        if value is not None and tuple(np.shape(data_of(value))) != channels:
            raise shape_error("batch_norm", [x, value],
                              f"{label} must have one value per channel, shape {channels}")
    mean = np.asarray(data_of(mean), dtype=data.dtype).reshape(shape)
    invstd = _inverse_std(np.asarray(data_of(variance), dtype=data.dtype), eps, data.dtype)
    return _batch_norm(x, as_input(weight), as_input(bias), axes=axes, mean=mean.copy(),
                       invstd=invstd.reshape(shape),
                       eps=float(eps), batch_stats=bool(batch_stats))


def batch_norm(x, running_mean=None, running_var=None, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5, axis=1):
    """Batch normalization, as ``torch.nn.functional.batch_norm``.

    In training mode (or without running statistics) the input is normalized
    with its own per-channel mean and biased variance, and the running
    statistics, when given, are updated in place:
    ``running = (1 - momentum) * running + momentum * batch`` with the
    *unbiased* batch variance. Otherwise the running statistics are used.

    Args:
        x: the input, channels on ``axis`` ((N, C), (N, C, L), (N, C, H, W)...).
        running_mean, running_var: (C,) tensors or arrays, or None.
        weight, bias: (C,) tensors (gamma, beta), or None.
        training: use the batch statistics (and update the running ones).
        momentum: the weight of the new batch in the running statistics.
        eps: added to the variance for stability.
        axis: the channel axis (1 for PyTorch's layouts, -1 for channels last).

    Example:
        >>> from ndgrad.nn.functional import batch_norm
        >>> import numpy as np, ndgrad
        >>> running_mean, running_var = np.zeros(1, np.float32), np.ones(1, np.float32)
        >>> x = ndgrad.tensor([[1.0], [3.0]])
        >>> _ = batch_norm(x, running_mean, running_var, training=True)
        >>> running_mean.tolist(), running_var.tolist()
        ([0.20000000298023224], [1.100000023841858])
    """
    x = as_input(x)
    data = _floating(data_of(x))
    if data.ndim < 2:
        raise shape_error("batch_norm", [x], "the input needs a batch and a channel dimension")
    if not training:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: running_mean and running_var are needed when "
                             "training=False; pass them, or training=True to use batch "
                             "statistics")
        return normalize_with_statistics(x, running_mean, running_var, weight, bias, eps, axis)
    channel_axes = _axes_tuple(axis, data.ndim, "batch_norm")
    channels = tuple(data.shape[i] for i in channel_axes)
    for label, running in (("running_mean", running_mean), ("running_var", running_var)):
        if running is not None and tuple(np.shape(data_of(running))) != channels:
            raise shape_error("batch_norm", [x, running],
                              f"{label} must have one value per channel, shape {channels}")
    count = data.size // max(int(np.prod(channels)), 1)
    if count <= 1:
        raise ValueError(f"batch_norm: expected more than 1 value per channel when training, "
                         f"got input of shape {data.shape}")
    mean, variance = batch_statistics(data, channel_axes)
    out = normalize_with_statistics(x, mean, variance, weight, bias, eps, axis, batch_stats=True)
    if running_mean is not None:
        blend_statistic(running_mean, mean, 1.0 - momentum)
    if running_var is not None:
        blend_statistic(running_var, variance * (count / (count - 1)), 1.0 - momentum)
    return out


def blend_statistic(target, batch_value, keep):
    """``target = keep * target + (1 - keep) * batch_value``, in place (running statistics).

    Example:
        >>> from ndgrad.nn.normalization import blend_statistic
        >>> import numpy as np
        >>> running = np.zeros(2, np.float32)
        >>> blend_statistic(running, np.array([1.0, 2.0]), keep=0.75); running.tolist()
        [0.25, 0.5]
    """
    array = target._data if isinstance(target, Tensor) else target
    array *= keep
    array += ((1.0 - keep) * np.asarray(batch_value)).astype(array.dtype, copy=False)
    if isinstance(target, Tensor):
        target._bump_version(site="running statistics update")


# Layer and group normalization live in ``layer_normalization`` (they import the
# helpers above); they are re-exported here so that both families have one home.
from .layer_normalization import group_norm, layer_norm  # noqa: E402
