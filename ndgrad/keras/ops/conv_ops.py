"""``keras.ops`` convolution, pooling and attention, in Keras's layouts.

``conv`` and ``depthwise_conv`` take channels-last inputs ``(N, *spatial, C)``
(``data_format="channels_first"``: ``(N, C, *spatial)``) and Keras kernels
``(*spatial, in, out)``; they call the convolution that ``layers.Conv1D`` /
``Conv2D`` run. ``dot_product_attention`` takes ``(batch, length, heads,
head_dim)`` tensors, as Keras's.

Example:
    >>> import ndgrad
    >>> from ndgrad.keras import ops
    >>> ops.conv(ndgrad.ones((1, 5, 5, 2)), ndgrad.ones((3, 3, 2, 4)), padding="same").shape
    (1, 5, 5, 4)
    >>> ops.max_pool(ndgrad.ones((1, 4, 4, 3)), 2).shape
    (1, 2, 2, 3)
"""

import math

import numpy as np

from ... import ops as core
from ...autograd.primitive import data_of
from ...nn import functional as F
from ...ops.convolution_transpose import keras_crops, transposed_convolution
from ...tensor import Tensor, as_tensor
from ._routing import keras_op

__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv", "max_pool",
           "average_pool", "adaptive_average_pool", "dot_product_attention"]


def _tensor(x):
    return x if isinstance(x, Tensor) else as_tensor(x)


def _spatial_rank(owner, inputs):
    rank = inputs.ndim - 2
    if rank not in (1, 2):
        raise ValueError(f"{owner}: supports 1-D and 2-D inputs ((N, L, C) or (N, H, W, C)); "
                         f"got shape {inputs.shape} (3-D convolution is not supported yet)")
    return rank


def _padding(owner, padding):
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"{owner}: padding must be 'valid' or 'same'; got {padding!r}")
    return padding


@keras_op
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (1-D or 2-D) of ``inputs`` with a Keras ``kernel``
    ``(*spatial, in / groups, out)``; the groups follow from the channel counts.

    Example:
        >>> from ndgrad.keras.ops import conv
        >>> import ndgrad
        >>> conv(ndgrad.ones((1, 4, 1)), ndgrad.ones((2, 1, 1))).tolist()
        [[[2.0], [2.0], [2.0]]]
    """
    inputs, kernel = _tensor(inputs), _tensor(kernel)
    rank = _spatial_rank("conv", inputs)
    data_format = data_format or "channels_last"
    channels = inputs.shape[-1 if data_format == "channels_last" else 1]
    groups = channels // kernel.shape[-2]
    function = F.conv1d if rank == 1 else F.conv2d
    return function(inputs, kernel, None, strides=strides, padding=_padding("conv", padding),
                    dilation_rate=dilation_rate, groups=groups, data_format=data_format,
                    kernel_layout="keras")


@keras_op
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """Each input channel convolved with its own filters: ``kernel`` is
    ``(*spatial, in, multiplier)``, the output has ``in * multiplier`` channels.

    Example:
        >>> from ndgrad.keras.ops import depthwise_conv
        >>> import ndgrad
        >>> depthwise_conv(ndgrad.ones((1, 3, 3, 2)), ndgrad.ones((3, 3, 2, 2))).shape
        (1, 1, 1, 4)
    """
    kernel = _tensor(kernel)
    spatial, channels, multiplier = kernel.shape[:-2], kernel.shape[-2], kernel.shape[-1]
    grouped = core.reshape(kernel, spatial + (1, channels * multiplier))
    return conv.__wrapped__(inputs, grouped, strides, padding, data_format, dilation_rate)


@keras_op
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    """A depthwise convolution followed by a 1x1 (pointwise) convolution.

    Example:
        >>> from ndgrad.keras.ops import separable_conv
        >>> import ndgrad
        >>> separable_conv(ndgrad.ones((1, 3, 3, 2)), ndgrad.ones((3, 3, 2, 1)),
        ...                ndgrad.ones((1, 1, 2, 5))).shape
        (1, 1, 1, 5)
    """
    depthwise = depthwise_conv.__wrapped__(inputs, depthwise_kernel, strides, padding,
                                           data_format, dilation_rate)
    return conv.__wrapped__(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


def _tuple(value, rank):
    return (int(value),) * rank if isinstance(value, (int, np.integer)) else tuple(
        int(v) for v in value)


@keras_op
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    """Transposed convolution (1-D or 2-D) with a Keras kernel ``(*spatial, out, in)``;
    the computation ``layers.Conv1DTranspose`` / ``Conv2DTranspose`` run.

    Example:
        >>> from ndgrad.keras.ops import conv_transpose
        >>> import ndgrad
        >>> conv_transpose(ndgrad.ones((1, 3, 3, 2)), ndgrad.ones((2, 2, 4, 2)), strides=2).shape
        (1, 6, 6, 4)
    """
    inputs, kernel = _tensor(inputs), _tensor(kernel)
    rank = _spatial_rank("conv_transpose", inputs)
    strides, dilation = _tuple(strides, rank), _tuple(dilation_rate, rank)
    crops = keras_crops("conv_transpose", padding, output_padding, kernel.shape[:rank], strides,
                        dilation)
    channels_last = (data_format or "channels_last") == "channels_last"
    return transposed_convolution("conv_transpose", rank, inputs, kernel, None, strides, crops,
                                  dilation, 1, channels_last, "keras")


def _pool(owner, inputs, pool_size, strides, padding, data_format, average):
    inputs = _tensor(inputs)
    rank = _spatial_rank(owner, inputs)
    padding = _padding(owner, padding)
    data_format = data_format or "channels_last"
    size = (pool_size,) * rank if isinstance(pool_size, int) else tuple(pool_size)
    step = size if strides is None else ((strides,) * rank if isinstance(strides, int)
                                         else tuple(strides))
    if rank == 1:
        size, step = size[0], step[0]
        function = F.avg_pool1d if average else F.max_pool1d
    else:
        function = F.avg_pool2d if average else F.max_pool2d
    if average:     # TensorFlow's rule: a "same" window divides by its real cells
        return function(inputs, size, step, padding, count_include_pad=False,
                        data_format=data_format)
    return function(inputs, size, step, padding, data_format=data_format)


@keras_op
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The maximum of each window (1-D or 2-D; strides default to the window).

    Example:
        >>> from ndgrad.keras.ops import max_pool
        >>> import ndgrad
        >>> max_pool(ndgrad.arange(4.0).reshape(1, 4, 1), 2).tolist()
        [[[1.0], [3.0]]]
    """
    return _pool("max_pool", inputs, pool_size, strides, padding, data_format, False)


@keras_op
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """The mean of each window (1-D or 2-D; strides default to the window).

    Example:
        >>> from ndgrad.keras.ops import average_pool
        >>> import ndgrad
        >>> average_pool(ndgrad.arange(4.0).reshape(1, 4, 1), 2).tolist()
        [[[0.5], [2.5]]]
    """
    return _pool("average_pool", inputs, pool_size, strides, padding, data_format, True)


@keras_op
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed ``output_size`` (1-D or 2-D).

    Example:
        >>> from ndgrad.keras.ops import adaptive_average_pool
        >>> import ndgrad
        >>> adaptive_average_pool(ndgrad.ones((1, 6, 6, 2)), (2, 3)).shape
        (1, 2, 3, 2)
    """
    inputs = _tensor(inputs)
    rank = _spatial_rank("adaptive_average_pool", inputs)
    function = F.adaptive_avg_pool1d if rank == 1 else F.adaptive_avg_pool2d
    return function(inputs, output_size, data_format=data_format or "channels_last")


@keras_op
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """``softmax(q k^T * scale + bias, masked) v`` over ``(batch, length, heads,
    head_dim)`` tensors (3-D ``(batch, length, dim)`` too); ``scale`` defaults to
    ``1 / sqrt(head_dim)``, ``mask`` is True where attention is allowed.

    Example:
        >>> from ndgrad.keras.ops import dot_product_attention
        >>> import ndgrad
        >>> q = ndgrad.ones((2, 3, 4, 8)); dot_product_attention(q, q, q).shape
        (2, 3, 4, 8)
    """
    query, key, value = _tensor(query), _tensor(key), _tensor(value)
    if attn_logits_soft_cap is not None:
        raise ValueError("dot_product_attention: attn_logits_soft_cap is not supported")
    three_d = query.ndim == 3
    if three_d:
        query, key, value = (core.expand_dims(t, 2) for t in (query, key, value))
    if query.ndim != 4:
        raise ValueError(f"dot_product_attention: expected (batch, length, heads, head_dim) "
                         f"inputs; got query of shape {query.shape}")
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    logits = core.einsum("btnh,bsnh->bnts", query, key) * scale
    if bias is not None:
        logits = logits + _tensor(bias)
    allowed = None if mask is None else np.asarray(data_of(mask)).astype(bool)
    if is_causal:
        causal = np.tril(np.ones((query.shape[1], key.shape[1]), dtype=bool))
        allowed = causal if allowed is None else allowed & causal
    if allowed is not None:
        logits = core.where(allowed, logits, np.finfo(np.float32).min)
    weights = core.softmax(logits, axis=-1)
    out = core.einsum("bnts,bsnh->btnh", weights, value)
    return core.squeeze(out, axis=2) if three_d else out
