"""Depthwise and separable convolutions, Keras face: ``layers.DepthwiseConv1D/2D`` and
``layers.SeparableConv1D/2D``.

A depthwise convolution convolves each input channel with its own
``depth_multiplier`` filters: it is the core grouped convolution
(``ndgrad.ops.convolution``) with ``groups`` = channels, Keras's kernel
(*kernel_size, channels, depth_multiplier) read as (*kernel_size, 1,
channels * depth_multiplier), so output channel ``c * depth_multiplier + m``
is filter ``m`` of channel ``c``, as in Keras and TensorFlow. A separable
convolution follows it with a pointwise (1x1) convolution, computed as one
matmul over the channel axis. Weights are Keras's: ``kernel`` (depthwise
layers) or ``depthwise_kernel`` and ``pointwise_kernel`` (1..., channels *
depth_multiplier, filters), and ``bias``.

Example:
    >>> from ndgrad import layers
    >>> import ndgrad
    >>> layer = layers.SeparableConv2D(8, 3, padding="same")    # ndgrad.layers.SeparableConv2D
    >>> layer(ndgrad.ones((2, 5, 5, 3))).shape, layer.count_params()   # 27 + 24 + 8
    ((2, 5, 5, 8), 59)
"""

from ..errors import shape_error
from ..ops.convolution import conv1d, conv2d
from ..ops.convolution_geometry import as_tuple, channels_last_flag
from ..ops.shape import moveaxis
from ..tensor import as_tensor
from . import activation_names
from .module import Module, keras_exports

__all__ = []


class _DepthwiseBase(Module):
    """The depthwise step and the settings both families share."""

    _dims = 2
    _function = staticmethod(conv2d)

    def _configure(self, kernel_size, strides, padding, depth_multiplier, data_format,
                   dilation_rate, activation, use_bias):
        owner = type(self).__name__
        dims = self._dims
        self.kernel_size = as_tuple(kernel_size, dims, "kernel_size", owner)
        self.strides = as_tuple(strides, dims, "strides", owner)
        self.dilation_rate = as_tuple(dilation_rate, dims, "dilation_rate", owner)
        if isinstance(depth_multiplier, bool) or int(depth_multiplier) != depth_multiplier \
                or depth_multiplier <= 0:
            raise ValueError(f"{owner}: depth_multiplier must be a positive integer, got "
                             f"{depth_multiplier!r}")
        self.depth_multiplier = int(depth_multiplier)
        allowed = ("valid", "same", "causal") if dims == 1 else ("valid", "same")
        self.padding = str(padding).lower()
        if self.padding not in allowed:
            raise ValueError(f"{owner}: padding must be one of {allowed}, got {padding!r}")
        self.data_format = data_format or "channels_last"
        self._channels_last = channels_last_flag(self.data_format, owner)
        self.activation = activation_names.get(activation)
        self._activation_name = activation_names.name_of(activation)
        self.use_bias = bool(use_bias)
        self.training = False

    def _layout(self):
        spatial = "L" if self._dims == 1 else "H, W"
        return f"(N, {spatial}, C)" if self._channels_last else f"(N, C, {spatial})"

    def _channels_of(self, input_shape):
        owner = type(self).__name__
        if len(input_shape) != self._dims + 2:
            raise ValueError(f"{owner}: expected a {self._dims + 2}-D input {self._layout()}, "
                             f"got shape {tuple(input_shape)}")
        channels = input_shape[-1 if self._channels_last else 1]
        if channels is None:
            raise ValueError(f"{owner}: the input's channels must be known; input shape "
                             f"{tuple(input_shape)}")
        return int(channels)

    def _depthwise(self, inputs, kernel, bias):
        x = as_tensor(inputs)
        channels = kernel.shape[-2]
        shape = tuple(x.shape)
        if len(shape) != self._dims + 2 or shape[-1 if self._channels_last else 1] != channels:
            raise shape_error(type(self).__name__, [x], f"expected a {self._dims + 2}-D input "
                              f"{self._layout()} with {channels} channels")
        grouped = kernel.reshape(self.kernel_size + (1, channels * self.depth_multiplier))
        return self._function(x, grouped, bias, self.strides, self.padding, self.dilation_rate,
                              channels, data_format=self.data_format, kernel_layout="keras")

    def _config(self):
        return {"kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "depth_multiplier": self.depth_multiplier,
                "activation": self._activation_name, "use_bias": self.use_bias}

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, strides={self.strides}, "
                f"padding={self.padding!r}, depth_multiplier={self.depth_multiplier}")


class _DepthwiseKeras(_DepthwiseBase):
    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        # The depthwise kernel is named "kernel" here, as in Keras.
        super().__init__(kernel_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        self._configure(kernel_size, strides, padding, depth_multiplier, data_format,
                        dilation_rate, activation, use_bias)
        self.depthwise_initializer, self.bias_initializer = (depthwise_initializer,
                                                             bias_initializer)
        self.kernel = self.bias = None
        self.build_from_input_shape()

    def build(self, input_shape):
        channels = self._channels_of(input_shape)
        self.kernel = self.add_weight("kernel", self.kernel_size + (channels,
                                                                    self.depth_multiplier),
                                      initializer=self.depthwise_initializer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (channels * self.depth_multiplier,),
                                        initializer=self.bias_initializer)

    def call(self, inputs, training=None):
        return self.activation(self._depthwise(inputs, self.kernel, self.bias))

    def get_config(self):
        return {**super().get_config(), **self._config()}


class DepthwiseConv2DKeras(_DepthwiseKeras):
    """Keras's ``DepthwiseConv2D(kernel_size, strides=1, padding="valid",
    depth_multiplier=1, ...)``: each channel of (N, H, W, C) convolved with its own
    ``depth_multiplier`` filters; ``kernel`` is (kh, kw, C, depth_multiplier),
    ``bias`` (C * depth_multiplier,).

    Args:
        kernel_size, strides, dilation_rate: an int or a pair.
        padding: "valid" or "same" (TensorFlow's rule).
        depth_multiplier: filters per input channel.
        data_format: "channels_last" (default) or "channels_first".
        activation, use_bias, depthwise_initializer, bias_initializer: as Keras.
        depthwise_regularizer, bias_regularizer: a penalty added to the model's losses,
            as Keras (default None).
        depthwise_constraint, bias_constraint: a function applied to the weight after
            each optimizer step, as Keras (default None).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.DepthwiseConv2D(3, depth_multiplier=2)   # layers.DepthwiseConv2D
        >>> layer(ndgrad.ones((1, 6, 6, 4))).shape, layer.kernel.shape, layer.count_params()
        ((1, 4, 4, 8), (3, 3, 4, 2), 80)
    """


class DepthwiseConv1DKeras(_DepthwiseKeras):
    """Keras's ``DepthwiseConv1D``: as :class:`DepthwiseConv2DKeras` over (N, L, C)
    sequences; ``kernel`` is (k, C, depth_multiplier); padding may be "causal".

    Args:
        kernel_size (int or 1-tuple): the filter length.
        strides (int, default 1): the step between two windows.
        padding (str, default "valid"): "valid", "same" or "causal" (zeros at the start
            only).
        depth_multiplier (int, default 1): filters per input channel; the output has
            ``C * depth_multiplier`` channels.
        data_format (str, default "channels_last"): "channels_last" for (N, L, C),
            "channels_first" for (N, C, L).
        dilation_rate (int, default 1): the spacing between the taps of a filter.
        activation (str, callable or None, default None): applied to the output.
        use_bias (bool, default True): learn ``bias`` of shape (C * depth_multiplier,).
        depthwise_initializer, bias_initializer: initializer names or objects, as Keras
            (default "glorot_uniform" and "zeros").
        depthwise_regularizer, bias_regularizer: a penalty added to the
            model's losses, as Keras.
        depthwise_constraint, bias_constraint: a function applied to the
            weight after each optimizer step, as Keras.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.DepthwiseConv1D(3, padding="causal")     # layers.DepthwiseConv1D
        >>> layer(ndgrad.ones((2, 7, 5))).shape, layer.kernel.shape
        ((2, 7, 5), (3, 5, 1))
    """

    _dims = 1
    _function = staticmethod(conv1d)


class _SeparableKeras(_DepthwiseBase):
    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(depthwise_regularizer=depthwise_regularizer,
                         pointwise_regularizer=pointwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint,
                         pointwise_constraint=pointwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        if isinstance(filters, bool) or int(filters) != filters or filters <= 0:
            raise ValueError(f"{type(self).__name__}: filters must be a positive integer, "
                             f"got {filters!r}")
        self.filters = int(filters)
        self._configure(kernel_size, strides, padding, depth_multiplier, data_format,
                        dilation_rate, activation, use_bias)
        self.depthwise_initializer = depthwise_initializer
        self.pointwise_initializer = pointwise_initializer
        self.bias_initializer = bias_initializer
        self.depthwise_kernel = self.pointwise_kernel = self.bias = None
        self.build_from_input_shape()

    def build(self, input_shape):
        channels = self._channels_of(input_shape)
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", (1,) * self._dims + (channels * self.depth_multiplier,
                                                     self.filters),
            initializer=self.pointwise_initializer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.filters,),
                                        initializer=self.bias_initializer)

    def call(self, inputs, training=None):
        depthwise = self._depthwise(inputs, self.depthwise_kernel, None)
        pointwise = self.pointwise_kernel.reshape(self.pointwise_kernel.shape[-2:])
        if self._channels_last:
            out = depthwise @ pointwise
        else:
            out = moveaxis(moveaxis(depthwise, 1, -1) @ pointwise, -1, 1)
        if self.bias is not None:
            out = out + (self.bias if self._channels_last
                         else self.bias.reshape((-1,) + (1,) * self._dims))
        return self.activation(out)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, **self._config()}


class SeparableConv2DKeras(_SeparableKeras):
    """Keras's ``SeparableConv2D(filters, kernel_size, ...)``: a depthwise convolution
    (``depthwise_kernel`` (kh, kw, C, depth_multiplier)) then a pointwise one
    (``pointwise_kernel`` (1, 1, C * depth_multiplier, filters)) and ``bias`` (filters,).

    Args:
        filters: output channels.
        kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
            activation, use_bias: as :class:`DepthwiseConv2DKeras`.
        depthwise_initializer, pointwise_initializer, bias_initializer: as Keras.
        depthwise_regularizer, pointwise_regularizer, bias_regularizer: a penalty added
            to the model's losses, as Keras (default None).
        depthwise_constraint, pointwise_constraint, bias_constraint: a function applied
            to the weight after each optimizer step, as Keras (default None).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.SeparableConv2D(4, 3, strides=2, depth_multiplier=2)
        >>> layer(ndgrad.ones((1, 7, 7, 3))).shape, layer.pointwise_kernel.shape
        ((1, 3, 3, 4), (1, 1, 6, 4))
    """


class SeparableConv1DKeras(_SeparableKeras):
    """Keras's ``SeparableConv1D``: as :class:`SeparableConv2DKeras` over (N, L, C);
    ``pointwise_kernel`` is (1, C * depth_multiplier, filters).

    Args:
        filters (int): the number of output channels (of the pointwise step).
        kernel_size (int or 1-tuple): the depthwise filter length.
        strides (int, default 1): the step between two windows.
        padding (str, default "valid"): "valid", "same" or "causal".
        data_format (str, default "channels_last"): "channels_last" for (N, L, C),
            "channels_first" for (N, C, L).
        dilation_rate (int, default 1): the spacing between the taps of a filter.
        depth_multiplier (int, default 1): depthwise filters per input channel.
        activation (str, callable or None, default None): applied to the output.
        use_bias (bool, default True): learn ``bias`` of shape (filters,).
        depthwise_initializer, pointwise_initializer, bias_initializer: initializer
            names or objects, as Keras (default "glorot_uniform", "glorot_uniform", "zeros").
        depthwise_regularizer, pointwise_regularizer, bias_regularizer: a
            penalty added to the model's losses, as Keras.
        depthwise_constraint, pointwise_constraint, bias_constraint: a
            function applied to the weight after each optimizer step, as Keras.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.SeparableConv1D(6, 5, padding="same")   # layers.SeparableConv1D
        >>> layer(ndgrad.ones((2, 9, 4))).shape, layer.count_params()   # 20 + 24 + 6
        ((2, 9, 6), 50)
    """

    _dims = 1
    _function = staticmethod(conv1d)


KERAS_EXPORTS = keras_exports({"DepthwiseConv2D": DepthwiseConv2DKeras,
                               "DepthwiseConv1D": DepthwiseConv1DKeras,
                               "SeparableConv2D": SeparableConv2DKeras,
                               "SeparableConv1D": SeparableConv1DKeras})
# Keras's long aliases name the same classes.
KERAS_EXPORTS.update({"SeparableConvolution2D": SeparableConv2DKeras,
                      "SeparableConvolution1D": SeparableConv1DKeras})
