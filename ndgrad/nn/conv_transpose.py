"""Transposed convolution layers: ``nn.ConvTranspose1d`` / ``nn.ConvTranspose2d``
(PyTorch) and ``layers.Conv1DTranspose`` / ``layers.Conv2DTranspose`` (Keras).

Both faces call ``ndgrad.ops.convolution_transpose``, whose one primitive runs
the convolution's input-gradient code. ``ConvTranspose2d`` stores ``weight`` as
PyTorch does, (in, out/groups, kh, kw), initialized as PyTorch does (the same
kaiming-uniform rule as ``Conv2d`` on that shape, so its fan-in is
``out/groups * kh * kw``), so a PyTorch state_dict loads as it is.
``Conv2DTranspose`` stores ``kernel`` as Keras does, (kh, kw, filters, in), on
(N, H, W, C) inputs by default, built from the first input.

Example:
    >>> import ndgrad
    >>> layer = ndgrad.nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1)
    >>> layer.weight.shape, layer(ndgrad.ones((1, 8, 5, 5))).shape
    ((8, 4, 4, 4), (1, 4, 10, 10))
"""

import math

import numpy as np

from ..devices import check_device
from ..autograd.primitive import shape_of
from ..ops.convolution_geometry import as_tuple
from ..ops.convolution_transpose import (conv_transpose1d, conv_transpose2d,  # noqa: F401
                                         keras_crops, torch_crops, transposed_convolution)
from . import init
from ._sizes import size
from .conv import _check_channels, _check_groups, _ConvKeras
from .module import Module, keras_exports
from .parameter import Parameter

__all__ = ["ConvTranspose1d", "ConvTranspose2d"]
FUNCTIONAL = ["conv_transpose1d", "conv_transpose2d"]


class _ConvTransposeNd(Module):
    """PyTorch's transposed convolution modules; subclasses set the spatial rank."""

    _dims = 2
    _layout = "(N, C, H, W)"

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None, name=None):
        owner = type(self).__name__
        if padding_mode != "zeros":
            raise ValueError(f"{owner}: only padding_mode='zeros' is supported (as in "
                             f"PyTorch), got {padding_mode!r}")
        check_device(device, owner)
        dims = self._dims
        self.in_channels = size(type(self).__name__, "in_channels", in_channels)
        self.out_channels = size(type(self).__name__, "out_channels", out_channels)
        self.kernel_size = as_tuple(kernel_size, dims, "kernel_size", owner)
        self.stride = as_tuple(stride, dims, "stride", owner)
        self.dilation = as_tuple(dilation, dims, "dilation", owner)
        self.groups = as_tuple(groups, 1, "groups", owner)[0]
        _check_groups(owner, self.in_channels, self.out_channels, self.groups)
        if isinstance(padding, str):
            raise ValueError(f"{owner}: padding must be an int or a tuple of ints (PyTorch's "
                             f"transposed convolutions take no {padding!r}); "
                             "layers.Conv2DTranspose takes Keras's 'same' and 'valid'")
        self.padding = as_tuple(padding, dims, "padding", owner, minimum=0)
        self.output_padding = as_tuple(output_padding, dims, "output_padding", owner, 0)
        torch_crops(owner, self.padding, self.output_padding, self.stride, self.dilation, dims)
        self.padding_mode = padding_mode
        super().__init__(name=name, dtype=dtype)
        shape = (self.in_channels, self.out_channels // self.groups) + self.kernel_size
        self.weight = Parameter(np.empty(shape, dtype=self.dtype))
        self.bias = Parameter(np.empty((self.out_channels,), dtype=self.dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's initialization: kaiming-uniform(a=sqrt(5)) on the (in, out/groups,
        *kernel) weight (uniform in +-1/sqrt(out/groups * prod(kernel))), the same
        bound for the bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def _output_padding(self, input, output_size):
        """``output_padding``, or the one that gives ``output_size`` (PyTorch's rule)."""
        if output_size is None:
            return self.output_padding
        owner, dims = type(self).__name__, self._dims
        batched = len(shape_of(input)) == dims + 2
        output_size = tuple(int(n) for n in output_size)
        if len(output_size) == dims + (2 if batched else 1):
            output_size = output_size[-dims:]
        if len(output_size) != dims:
            raise ValueError(f"{owner}: output_size {output_size} must have {dims} (spatial) or "
                             f"{dims + (2 if batched else 1)} (whole shape) elements for an "
                             f"input of shape {shape_of(input)}")
        spatial = shape_of(input)[-dims:]
        smallest = tuple((n - 1) * s - 2 * p + d * (k - 1) + 1 for n, s, p, d, k in zip(
            spatial, self.stride, self.padding, self.dilation, self.kernel_size))
        for want, low, s in zip(output_size, smallest, self.stride):
            if not low <= want <= low + s - 1:
                raise ValueError(
                    f"{owner}: requested output_size {output_size}, but for an input of "
                    f"spatial size {spatial} the valid sizes range from {smallest} to "
                    f"{tuple(m + s - 1 for m, s in zip(smallest, self.stride))}")
        return tuple(want - low for want, low in zip(output_size, smallest))

    def forward(self, input, output_size=None):
        _check_channels(type(self).__name__, input, (self._dims + 1, self._dims + 2), 1,
                        self.in_channels, self._layout)
        owner = type(self).__name__
        crops = torch_crops(owner, self.padding, self._output_padding(input, output_size),
                            self.stride, self.dilation, self._dims)
        return transposed_convolution(owner, self._dims, input, self.weight, self.bias,
                                      self.stride, crops, self.dilation, self.groups, False,
                                      "torch")

    def extra_repr(self):
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0,) * self._dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self._dims:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * self._dims:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text + (", bias=False" if self.bias is None else "")


class ConvTranspose2d(_ConvTransposeNd):
    """2-D transposed convolution over (N, C, H, W) images, as ``torch.nn.ConvTranspose2d``
    (the gradient of a ``Conv2d`` with the same arguments, as a layer: it upsamples).

    Args:
        in_channels, out_channels: channels of the input and the output.
        kernel_size, stride, dilation: an int or a pair.
        padding: an int or a pair: the output loses ``padding`` rows (columns) on
            each side; it has ``(H - 1) * stride - 2 * padding + dilation * (k - 1)
            + output_padding + 1`` rows.
        output_padding: extra rows/columns at the end (smaller than stride or dilation).
        groups: independent channel groups.
        bias: learn an additive bias.
        padding_mode: "zeros" only (as PyTorch).
        dtype: the weights' dtype (float32).

    ``weight`` is (in_channels, out_channels / groups, kh, kw), ``bias``
    (out_channels,). ``forward(input, output_size=None)``: ``output_size`` (the
    spatial size, or the whole shape) picks the output padding.

    Example:
        >>> import ndgrad
        >>> up = ndgrad.nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1)
        >>> x = ndgrad.ones((2, 16, 4, 4))
        >>> up(x).shape, up(x, output_size=(8, 8)).shape, up.count_params()
        ((2, 8, 7, 7), (2, 8, 8, 8), 1160)
    """


class ConvTranspose1d(_ConvTransposeNd):
    """1-D transposed convolution over (N, C, L) sequences, as ``torch.nn.ConvTranspose1d``;
    arguments as :class:`ConvTranspose2d` with single ints. ``weight`` is
    (in_channels, out_channels / groups, k).

    Args:
        in_channels (int): channels of the input (its axis 1).
        out_channels (int): channels of the output.
        kernel_size (int or 1-tuple): the filter length.
        stride (int, default 1): the upsampling step.
        padding (int, default 0): the output loses ``padding`` steps at each end; its
            length is ``(L - 1) * stride - 2 * padding + dilation * (k - 1) +
            output_padding + 1``.
        output_padding (int, default 0): extra steps at the end (smaller than stride or
            dilation); or give ``output_size`` to ``forward``.
        groups (int, default 1): independent channel groups.
        bias (bool, default True): learn an additive bias of shape (out_channels,).
        dilation (int, default 1): the spacing between the taps of a filter.
        padding_mode (str, default "zeros"): only "zeros".
        dtype: the weights' dtype (default float32).

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.ConvTranspose1d(4, 2, kernel_size=4, stride=2, padding=1)
        >>> layer(ndgrad.ones((3, 4, 10))).shape, layer.weight.shape
        ((3, 2, 20), (4, 2, 4))
    """

    _dims = 1
    _layout = "(N, C, L)"


# ------------------------------------------------------------------ Keras face
class _ConvTransposeKeras(_ConvKeras):
    """Keras's transposed convolution layers; subclasses set the spatial rank.
    Everything but the kernel's layout, the padding rule and ``output_padding``
    is ``Conv2D``'s."""

    _dims = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        owner = type(self).__name__
        if str(padding).lower() not in ("valid", "same"):
            raise ValueError(f"{owner}: padding must be 'valid' or 'same', got {padding!r}")
        strides_tuple = as_tuple(strides, self._dims, "strides", owner)
        dilation = as_tuple(dilation_rate, self._dims, "dilation_rate", owner)
        kernel = as_tuple(kernel_size, self._dims, "kernel_size", owner)
        if output_padding is not None:
            output_padding = as_tuple(output_padding, self._dims, "output_padding", owner, 0)
        keras_crops(owner, padding, output_padding, kernel, strides_tuple, dilation)
        self.output_padding = output_padding
        if "groups" in kwargs:
            raise TypeError(f"{owner}: Keras's transposed convolutions take no groups; use "
                            "nn.ConvTranspose2d(..., groups=...) for grouped ones")
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, **kwargs)

    def build(self, input_shape):
        owner = type(self).__name__
        if len(input_shape) != self._dims + 2:
            raise ValueError(f"{owner}: expected a {self._dims + 2}-D input {self._layout()}, "
                             f"got shape {tuple(input_shape)}")
        channels = input_shape[-1 if self._channels_last else 1]
        if channels is None:
            raise ValueError(f"{owner}: the input's channels must be known; input shape "
                             f"{tuple(input_shape)}")
        self._in_channels = int(channels)
        self.kernel = self.add_weight("kernel", self.kernel_size + (self.filters,
                                                                    self._in_channels),
                                      initializer=self.kernel_initializer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.filters,), initializer=self.bias_initializer)

    def call(self, inputs, training=None):
        owner = type(self).__name__
        _check_channels(owner, inputs, (self._dims + 2,), -1 if self._channels_last else 1,
                        self._in_channels, self._layout())
        crops = keras_crops(owner, self.padding, self.output_padding, self.kernel_size,
                            self.strides, self.dilation_rate)
        out = transposed_convolution(owner, self._dims, inputs, self.kernel, self.bias,
                                     self.strides, crops, self.dilation_rate, 1,
                                     self._channels_last, "keras")
        return self.activation(out)

    def get_config(self):
        config = super().get_config()
        config.pop("groups", None)
        config["output_padding"] = self.output_padding
        return config


class Conv2DTransposeKeras(_ConvTransposeKeras):
    """Keras's ``Conv2DTranspose``: ``kernel`` is (kh, kw, filters, in), created from the
    first input; inputs are (N, H, W, C) unless ``data_format="channels_first"``.

    Args:
        filters: the number of output channels.
        kernel_size, strides, dilation_rate: an int or a pair.
        padding: "valid" (output ``(size - 1) * stride + max(k, stride)``) or "same"
            (output ``size * stride``), as Keras.
        output_padding: None (the sizes above) or an int or pair smaller than
            ``strides``: then the output is ``(size - 1) * stride + k - 2 * pad +
            output_padding`` with ``pad`` 0 ("valid") or ``k // 2`` ("same").
        data_format: "channels_last" (default) or "channels_first".
        activation: a name ("relu", ...), a callable, or None.
        use_bias, kernel_initializer, bias_initializer: as Keras.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.Conv2DTranspose(4, 3, strides=2, padding="same")
        >>> layer(ndgrad.ones((2, 5, 5, 3))).shape, layer.kernel.shape
        ((2, 10, 10, 4), (3, 3, 4, 3))
    """


class Conv1DTransposeKeras(_ConvTransposeKeras):
    """Keras's ``Conv1DTranspose``: ``kernel`` is (k, filters, in); inputs (N, L, C).
    Arguments as :class:`Conv2DTransposeKeras` with single ints.

    Args:
        filters (int): the number of output channels.
        kernel_size (int or 1-tuple): the filter length.
        strides (int, default 1): the upsampling step.
        padding (str, default "valid"): "valid" (output ``(L - 1) * strides +
            max(k, strides)``) or "same" (output ``L * strides``).
        output_padding (int or None, default None): an int smaller than ``strides``;
            then the output is ``(L - 1) * strides + k - 2 * pad + output_padding`` with
            ``pad`` 0 ("valid") or ``k // 2`` ("same").
        data_format (str, default "channels_last"): "channels_last" for (N, L, C),
            "channels_first" for (N, C, L).
        dilation_rate (int, default 1): the spacing between the taps of a filter.
        activation (str, callable or None, default None): applied to the output.
        use_bias (bool, default True): learn ``bias`` of shape (filters,).
        kernel_initializer, bias_initializer: initializer names or objects, as Keras
            (default "glorot_uniform" and "zeros").

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.Conv1DTranspose(6, 5, strides=3)   # ndgrad.layers.Conv1DTranspose
        >>> layer(ndgrad.ones((2, 7, 4))).shape, layer.count_params()
        ((2, 23, 6), 126)
    """

    _dims = 1


KERAS_EXPORTS = keras_exports({"Conv2DTranspose": Conv2DTransposeKeras,
                               "Conv1DTranspose": Conv1DTransposeKeras})
