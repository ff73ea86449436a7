"""Instance, RMS and local response normalization, as PyTorch's functional forms.

``instance_norm`` normalizes each (sample, channel) of an (N, C, *spatial)
input over its spatial positions. It runs the batch-normalization primitive of
``normalization`` with the statistics taken per (N, C) instead of per C, and
the per-channel weight and bias broadcast over the batch, so its hand-written
rule (and its recorded form, for higher orders) carries over. Running
statistics, when given, are updated in place as PyTorch does: the batch's mean
of the per-instance means, and of the per-instance unbiased variances.

``rms_norm`` divides by the root mean square over the trailing dimensions
(``eps`` defaults to the dtype's machine epsilon, as in PyTorch), and
``local_response_norm`` divides each value by ``(k + alpha * mean of the
squares of its neighbouring channels) ** beta``, the window running over
``size`` channels centred on it (zero-padded, so the mean divides by ``size``).
Both are written with ndgrad ops, so every order of gradient follows.

Example:
    >>> from ndgrad.nn.functional import rms_norm
    >>> from ndgrad.nn.functional import instance_norm
    >>> import ndgrad
    >>> x = ndgrad.tensor([[[1.0, 3.0], [2.0, 6.0]]])
    >>> instance_norm(x, eps=0.0).tolist()
    [[[-1.0, 1.0], [-1.0, 1.0]]]
    >>> print(rms_norm(ndgrad.tensor([[3.0, 4.0]]), (2,), eps=0.0).numpy().round(4))
    [[0.8485 1.1314]]
"""

import math

import numpy as np

from ..autograd.primitive import as_input, data_of, shape_of
from ..errors import shape_error
from .arrange import pad as _pad
from .elementwise import sqrt, square
from .normalization import (_floating, batch_statistics, blend_statistic,
                            normalize_with_statistics)
from .pooling import avg_pool2d
from .reduce import mean as _mean
from .shape import broadcast_to, reshape

__all__ = ["instance_norm", "rms_norm", "local_response_norm"]


def _per_instance(value, batch):
    """A (C,) weight or bias as (N, C), broadcast (its gradient sums over N)."""
    if value is None:
        return None
    channels = shape_of(value)
    return broadcast_to(reshape(value, (1,) + tuple(channels)), (batch,) + tuple(channels))


def _check_channels(x, label, value, channels):
    if value is not None and tuple(np.shape(data_of(value))) != (channels,):
        raise shape_error("instance_norm", [x, value], f"{label} must have one value per channel, "
                          f"shape ({channels},)")


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """Instance normalization, as ``torch.nn.functional.instance_norm``.

    Args:
        input: (N, C, *spatial), at least one spatial dimension.
        running_mean, running_var: (C,) tensors or arrays, or None; updated in
            place when ``use_input_stats``.
        weight, bias: (C,) tensors, or None.
        use_input_stats: normalize each instance with its own statistics (True);
            False uses the running statistics for every instance.
        momentum: the new batch's weight in the running statistics.
        eps: added to the variance.

    Example:
        >>> from ndgrad.nn.functional import instance_norm
        >>> import numpy as np, ndgrad
        >>> running_mean = np.zeros(1, np.float32)
        >>> _ = instance_norm(ndgrad.tensor([[[1.0, 3.0]]]), running_mean, momentum=0.5)
        >>> running_mean.tolist()
        [1.0]
    """
    x = as_input(input)
    data = _floating(data_of(x))
    if data.ndim < 3:
        raise shape_error("instance_norm", [x], "expected an (N, C, *spatial) input with at "
                          f"least one spatial dimension, got {data.ndim} dimension(s)")
    batch, channels = data.shape[:2]
    for label, value in (("running_mean", running_mean), ("running_var", running_var),
                         ("weight", weight), ("bias", bias)):
        _check_channels(x, label, value, channels)
    if not use_input_stats:
        if running_mean is None or running_var is None:
            raise ValueError("instance_norm: running_mean and running_var are needed when "
                             "use_input_stats=False")
        return normalize_with_statistics(x, running_mean, running_var, weight, bias, eps, 1)
    count = data.size // max(batch * channels, 1)
    if count <= 1:
        raise ValueError(f"instance_norm: expected more than 1 spatial element when training, "
                         f"got input size {data.shape}")
    mean, variance = batch_statistics(data, (0, 1))
    out = normalize_with_statistics(x, mean, variance, _per_instance(as_input(weight), batch),
                                    _per_instance(as_input(bias), batch), eps, (0, 1),
                                    batch_stats=True)
    if running_mean is not None:
        blend_statistic(running_mean, mean.mean(axis=0), 1.0 - momentum)
    if running_var is not None:
        unbiased = variance * (count / (count - 1))
        blend_statistic(running_var, unbiased.mean(axis=0), 1.0 - momentum)
    return out


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Root-mean-square normalization over the trailing ``normalized_shape``
    dimensions, as ``torch.nn.functional.rms_norm``:
    ``x / sqrt(mean(x ** 2) + eps) * weight``.

    Args:
        input: a tensor whose last dimensions are ``normalized_shape``.
        normalized_shape: an int or a tuple.
        weight: a tensor of ``normalized_shape``, or None.
        eps: added to the mean square (default: the dtype's machine epsilon).

    Example:
        >>> from ndgrad.nn.functional import rms_norm
        >>> import ndgrad
        >>> rms_norm(ndgrad.tensor([[1.0, -1.0]]), 2).tolist()
        [[1.0, -1.0]]
    """
    x = as_input(input)
    shape = ((int(normalized_shape),) if isinstance(normalized_shape, (int, np.integer))
             else tuple(int(n) for n in normalized_shape))
    data_shape = shape_of(x)
    if len(data_shape) < len(shape) or tuple(data_shape[len(data_shape) - len(shape):]) != shape:
        raise shape_error("rms_norm", [x], f"expected the input's last dimensions to be "
                          f"normalized_shape {shape}")
    if weight is not None and tuple(shape_of(weight)) != shape:
        raise shape_error("rms_norm", [x, weight], f"weight must have normalized_shape {shape}")
    if eps is None:
        dtype = np.asarray(data_of(x)).dtype
        eps = float(np.finfo(dtype if dtype.kind == "f" else np.float32).eps)
    axes = tuple(range(len(data_shape) - len(shape), len(data_shape)))
    scale = 1.0 / sqrt(_mean(square(x), axis=axes, keepdims=True) + eps)
    out = x * scale
    return out if weight is None else out * weight


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """Local response normalization across channels, as
    ``torch.nn.functional.local_response_norm``:
    ``x / (k + alpha * mean(x ** 2 over size neighbouring channels)) ** beta``.

    Args:
        input: (N, C, *spatial), at least 3-D.
        size: how many channels the window spans (``size // 2`` before,
            ``(size - 1) // 2`` after, zero-padded).
        alpha, beta, k: the formula's constants.

    Example:
        >>> from ndgrad.nn.functional import local_response_norm
        >>> import ndgrad
        >>> out = local_response_norm(ndgrad.ones((1, 3, 1)), size=3, alpha=3.0, beta=1.0)
        >>> print(out.numpy().round(4).ravel())
        [0.3333 0.25   0.3333]
    """
    x = as_input(input)
    shape = shape_of(x)
    if len(shape) < 3:
        raise shape_error("local_response_norm", [x], f"expected a 3-D or higher input "
                          f"(N, C, *spatial), got {len(shape)} dimension(s)")
    if int(size) < 1:
        raise ValueError(f"local_response_norm: size must be a positive integer, got {size}")
    if math.prod(shape) == 0:
        return x
    size = int(size)
    squares = reshape(square(x), (shape[0], 1, shape[1], -1))
    padded = _pad(squares, ((0, 0), (0, 0), (size // 2, (size - 1) // 2), (0, 0)))
    window_mean = reshape(avg_pool2d(padded, (size, 1), stride=1), shape)
    return x / (window_mean * alpha + k) ** beta
