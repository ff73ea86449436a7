"""Convolution layers: ``nn.Conv1d`` / ``nn.Conv2d`` (PyTorch) and
``layers.Conv1D`` / ``layers.Conv2D`` (Keras), one implementation.

Both faces call the same functional forms (``ndgrad.ops.convolution``), which
run one convolution primitive for either layout. ``Conv2d`` stores ``weight``
as PyTorch does, (out, in/groups, kh, kw), on (N, C, H, W) inputs, initialized
as PyTorch does (kaiming-uniform with a = sqrt(5), bias uniform in
+-1/sqrt(fan_in)), so a PyTorch state_dict loads as it is. ``Conv2D`` stores
``kernel`` as Keras does, (kh, kw, in/groups, filters), on (N, H, W, C)
inputs by default, built from the first input.

Example:
    >>> from ndgrad import layers
    >>> import ndgrad
    >>> ndgrad.nn.Conv2d(3, 8, 3).weight.shape
    (8, 3, 3, 3)
    >>> layers.Conv2D(8, 3, input_shape=(5, 5, 3)).kernel.shape      # ndgrad.layers.Conv2D
    (3, 3, 3, 8)
"""

import math

import numpy as np

from ..devices import check_device
from ..autograd.primitive import shape_of
from ..errors import shape_error
from ..ops.convolution import conv1d, conv2d
from ..ops.convolution_geometry import as_tuple, channels_last_flag
from . import activation_names, init
from ._sizes import size
from .module import Module, keras_exports
from .parameter import Parameter

__all__ = ["Conv1d", "Conv2d"]
FUNCTIONAL = ["conv1d", "conv2d"]


def _check_groups(owner, in_channels, out_channels, groups):
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"{owner}: in_channels ({in_channels}) and out_channels "
                         f"({out_channels}) must both be divisible by groups ({groups})")


def _check_channels(owner, inputs, ranks, channel_axis, expected, layout):
    """A clear error when the input's rank or channel count is not the layer's."""
    shape = shape_of(inputs)
    if len(shape) not in ranks:
        raise shape_error(owner, [inputs], f"expected a {' or '.join(map(str, ranks))}-D "
                          f"input {layout}, got shape {shape}")
    axis = channel_axis if channel_axis < 0 or len(shape) == max(ranks) else channel_axis - 1
    if shape[axis] != expected:
        raise shape_error(owner, [inputs], f"expected {expected} input channels {layout}, got "
                          f"{shape[axis]} (input shape {shape})")


def _check_rank(layer, inputs, ranks, data_format="channels_first"):
    """A clear error, naming the layer, when the input has the wrong rank."""
    shape = shape_of(inputs)
    if len(shape) not in ranks:
        spatial = {2: "L", 3: "L", 4: "H, W"}[max(ranks)]
        layout = (f"(N, {spatial}, C)" if channels_last_flag(data_format, type(layer).__name__)
                  else f"(N, C, {spatial})")
        raise shape_error(type(layer).__name__, [inputs],
                          f"expected a {' or '.join(map(str, ranks))}-D input {layout}, got "
                          f"{len(shape)}-D")


class _ConvNd(Module):
    """PyTorch's convolution modules; subclasses set the spatial rank."""

    _dims = 2
    _function = staticmethod(conv2d)
    _layout = "(N, C, H, W)"

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None, name=None):
        owner = type(self).__name__
        if padding_mode != "zeros":
            raise NotImplementedError(f"{owner}: padding_mode={padding_mode!r} is not supported; "
                                      "only 'zeros' (pad explicitly with ndgrad.pad first)")
        check_device(device, owner)
        dims = self._dims
        self.in_channels = size(owner, "in_channels", in_channels)
        self.out_channels = size(owner, "out_channels", out_channels)
        self.kernel_size = as_tuple(kernel_size, dims, "kernel_size", owner)
        self.stride = as_tuple(stride, dims, "stride", owner)
        self.dilation = as_tuple(dilation, dims, "dilation", owner)
        self.groups = as_tuple(groups, 1, "groups", owner)[0]
        _check_groups(owner, self.in_channels, self.out_channels, self.groups)
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"{owner}: padding must be 'same', 'valid', an int or a tuple, "
                                 f"got {padding!r}")
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError(f"{owner}: padding='same' is not supported for strided "
                                 "convolutions (as in PyTorch); give explicit padding, or use "
                                 "layers.Conv2D, whose 'same' allows strides")
            self.padding = padding
        else:
            self.padding = as_tuple(padding, dims, "padding", owner, minimum=0)
        self.padding_mode = padding_mode
        super().__init__(name=name, dtype=dtype)
        shape = (self.out_channels, self.in_channels // self.groups) + self.kernel_size
        self.weight = Parameter(np.empty(shape, dtype=self.dtype))
        self.bias = Parameter(np.empty((self.out_channels,), dtype=self.dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's initialization: kaiming-uniform(a=sqrt(5)) for the weight, which is
        uniform in +-1/sqrt(fan_in), and the same bound for the bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        _check_channels(type(self).__name__, input, (self._dims + 1, self._dims + 2), 1,
                        self.in_channels, self._layout)
        return self._function(input, self.weight, self.bias, self.stride, self.padding,
                              self.dilation, self.groups)

    def extra_repr(self):
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0,) * self._dims:
            text += f", padding={self.padding}"         # PyTorch prints padding=same
        if self.dilation != (1,) * self._dims:
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + (", bias=False" if self.bias is None else "")


class Conv2d(_ConvNd):
    """2-D convolution over (N, C, H, W) images, as ``torch.nn.Conv2d``.

    Args:
        in_channels, out_channels: channels of the input and the output.
        kernel_size, stride, dilation: an int or a pair.
        padding: an int, a pair, "valid", or "same" (stride 1 only, as PyTorch).
        groups: independent channel groups (``groups == in_channels``: depthwise).
        bias: learn an additive bias.
        padding_mode: "zeros" only.
        dtype: the weights' dtype (float32).

    ``weight`` is (out_channels, in_channels / groups, kh, kw), ``bias``
    (out_channels,). A 3-D (C, H, W) input is one unbatched image.

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.Conv2d(3, 8, kernel_size=3, padding=1)
        >>> layer(ndgrad.ones((2, 3, 16, 16))).shape, layer.count_params()
        ((2, 8, 16, 16), 224)
    """


class Conv1d(_ConvNd):
    """1-D convolution over (N, C, L) sequences, as ``torch.nn.Conv1d``; arguments as
    :class:`Conv2d` with single ints. ``weight`` is (out_channels, in_channels / groups, k).

    Args:
        in_channels (int): channels of the input (its axis 1).
        out_channels (int): channels of the output; the number of filters.
        kernel_size (int or 1-tuple): the filter length.
        stride (int, default 1): the step between two windows.
        padding (int, "valid" or "same", default 0): zeros added at both ends; "same"
            keeps the length (stride 1 only, as PyTorch), "valid" adds none.
        dilation (int, default 1): the spacing between the taps of a filter.
        groups (int, default 1): independent channel groups; both channel counts must
            divide by it (``groups == in_channels``: depthwise).
        bias (bool, default True): learn an additive bias of shape (out_channels,).
        padding_mode (str, default "zeros"): only "zeros"; pad with ``ndgrad.pad``
            first for another mode.
        dtype: the weights' dtype (default float32).

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.Conv1d(4, 6, kernel_size=3, stride=2)
        >>> layer(ndgrad.ones((2, 4, 11))).shape, layer.count_params()
        ((2, 6, 5), 78)
    """

    _dims = 1
    _function = staticmethod(conv1d)
    _layout = "(N, C, L)"


# ------------------------------------------------------------------ Keras face
class _ConvKeras(Module):
    """Keras's convolution layers; subclasses set the spatial rank."""

    _dims = 2
    _function = staticmethod(conv2d)

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        owner = type(self).__name__
        super().__init__(kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)
        self.training = False
        dims = self._dims
        self.filters = size(owner, "filters", filters, minimum=1)
        self.kernel_size = as_tuple(kernel_size, dims, "kernel_size", owner)
        self.strides = as_tuple(strides, dims, "strides", owner)
        self.dilation_rate = as_tuple(dilation_rate, dims, "dilation_rate", owner)
        self.groups = as_tuple(groups, 1, "groups", owner)[0]
        allowed = ("valid", "same", "causal") if dims == 1 else ("valid", "same")
        self.padding = str(padding).lower()
        if self.padding not in allowed:
            raise ValueError(f"{owner}: padding must be one of {allowed}, got {padding!r}")
        self.data_format = data_format or "channels_last"
        self._channels_last = channels_last_flag(self.data_format, owner)
        if self.filters % self.groups:
            raise ValueError(f"{owner}: filters ({self.filters}) must be divisible by groups "
                             f"({self.groups})")
        self.activation = activation_names.get(activation)
        self._activation_name = activation_names.name_of(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel = None
        self.bias = None
        self.build_from_input_shape()

    def _layout(self):
        if self._dims == 1:
            return "(N, L, C)" if self._channels_last else "(N, C, L)"
        return "(N, H, W, C)" if self._channels_last else "(N, C, H, W)"

    def build(self, input_shape):
        owner = type(self).__name__
        if len(input_shape) != self._dims + 2:
            raise ValueError(f"{owner}: expected a {self._dims + 2}-D input {self._layout()}, "
                             f"got shape {tuple(input_shape)}")
        channels = input_shape[-1 if self._channels_last else 1]
        if channels is None or channels % self.groups:
            raise ValueError(f"{owner}: the input's channels ({channels}) must be known and "
                             f"divisible by groups ({self.groups}); input shape "
                             f"{tuple(input_shape)}")
        self._in_channels = int(channels)
        self.kernel = self.add_weight(
            "kernel", self.kernel_size + (self._in_channels // self.groups, self.filters),
            initializer=self.kernel_initializer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.filters,), initializer=self.bias_initializer)

    def call(self, inputs, training=None):
        _check_channels(type(self).__name__, inputs, (self._dims + 2,),
                        -1 if self._channels_last else 1, self._in_channels, self._layout())
        out = self._function(inputs, self.kernel, self.bias, self.strides, self.padding,
                             self.dilation_rate, self.groups, data_format=self.data_format,
                             kernel_layout="keras")
        return self.activation(out)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding,
                "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                "groups": self.groups, "activation": self._activation_name,
                "use_bias": self.use_bias}

    def extra_repr(self):
        return (f"filters={self.filters}, kernel_size={self.kernel_size}, "
                f"strides={self.strides}, padding={self.padding!r}, "
                f"activation={self._activation_name}")


class Conv2DKeras(_ConvKeras):
    """Keras's ``Conv2D``: ``kernel`` is (kh, kw, in/groups, filters), created from the
    first input; inputs are (N, H, W, C) unless ``data_format="channels_first"``.

    Args:
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or a pair.
        padding: "valid" (none) or "same" (output ``ceil(size / stride)``, the
            extra row and column at the bottom and right, as TensorFlow).
        data_format: "channels_last" (default) or "channels_first".
        groups: independent channel groups.
        activation: a name ("relu", ...), a callable, or None.
        use_bias, kernel_initializer, bias_initializer: as Keras.
        input_shape: the shape of one sample; builds the layer at once.
        kernel_regularizer, bias_regularizer: a penalty added to the model's losses, as
            Keras (default None).
        kernel_constraint, bias_constraint: a function applied to the weight after each
            optimizer step, as Keras (default None).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")
        >>> layer(ndgrad.ones((2, 7, 7, 3))).shape, layer.count_params()
        ((2, 4, 4, 4), 112)
    """


class Conv1DKeras(_ConvKeras):
    """Keras's ``Conv1D``: ``kernel`` is (k, in/groups, filters); inputs (N, L, C);
    ``padding`` also takes "causal" (no output sees later steps). Arguments as
    :class:`Conv2DKeras` with single ints.

    Args:
        filters (int): the number of output channels.
        kernel_size (int or 1-tuple): the filter length.
        strides (int, default 1): the step between two windows.
        padding (str, default "valid"): "valid" (no padding), "same" (output
            ``ceil(L / strides)``) or "causal" (zeros at the start only: step ``t`` of the
            output sees no input after ``t``).
        data_format (str, default "channels_last"): "channels_last" for (N, L, C),
            "channels_first" for (N, C, L).
        dilation_rate (int, default 1): the spacing between the taps of a filter.
        groups (int, default 1): independent channel groups; ``filters`` and the input's
            channels must divide by it.
        activation (str, callable or None, default None): applied to the output.
        use_bias (bool, default True): learn ``bias`` of shape (filters,).
        kernel_initializer, bias_initializer: initializer names or objects, as Keras
            (default "glorot_uniform" and "zeros").
        kernel_regularizer, bias_regularizer: a penalty added to the
            model's losses, as Keras.
        kernel_constraint, bias_constraint: a function applied to the
            weight after each optimizer step, as Keras.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.Conv1D(5, 3, padding="causal")    # ndgrad.layers.Conv1D
        >>> layer(ndgrad.ones((2, 10, 4))).shape, layer.kernel.shape
        ((2, 10, 5), (3, 4, 5))
    """

    _dims = 1
    _function = staticmethod(conv1d)


KERAS_EXPORTS = keras_exports({"Conv2D": Conv2DKeras, "Conv1D": Conv1DKeras})
