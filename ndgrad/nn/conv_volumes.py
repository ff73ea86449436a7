"""3-D convolution layers: ``nn.Conv3d`` / ``nn.ConvTranspose3d`` (PyTorch) and
``layers.Conv3D`` / ``layers.Conv3DTranspose`` (Keras), over
``ndgrad.ops.convolution_volumes`` (which runs the 2-D primitives).

Each class is its 2-D sibling with three spatial dimensions: the same
arguments, initialization, state-dict names and layouts (PyTorch's weights
(out, in/groups, kd, kh, kw) and (in, out/groups, kd, kh, kw); Keras's kernels
(kd, kh, kw, in, filters) and (kd, kh, kw, filters, in) on (N, D, H, W, C)
inputs by default).

Example:
    >>> import ndgrad
    >>> layer = ndgrad.nn.Conv3d(2, 4, 3, padding=1)
    >>> layer.weight.shape, layer(ndgrad.ones((1, 2, 4, 5, 5))).shape
    ((4, 2, 3, 3, 3), (1, 4, 4, 5, 5))
"""

from ..ops.convolution_transpose import keras_crops, torch_crops
from ..ops.convolution_volumes import conv3d, conv_transpose3d, transposed_convolution3d
from .conv import _check_channels, _ConvKeras, _ConvNd
from .conv_transpose import _ConvTransposeKeras, _ConvTransposeNd
from .module import keras_exports

__all__ = ["Conv3d", "ConvTranspose3d"]
FUNCTIONAL = ["conv3d", "conv_transpose3d"]


class Conv3d(_ConvNd):
    """3-D convolution over (N, C, D, H, W) volumes, as ``torch.nn.Conv3d``; arguments
    as :class:`Conv2d` with triples. ``weight`` is (out_channels, in_channels /
    groups, kd, kh, kw); a 4-D (C, D, H, W) input is one unbatched volume.

    Args:
        in_channels (int): channels of the input (its axis 1).
        out_channels (int): channels of the output; the number of filters.
        kernel_size (int or triple): the filter's (depth, height, width).
        stride (int or triple, default 1): the step between two windows.
        padding (int, triple, "valid" or "same", default 0): zeros added on each side;
            "same" keeps the size (stride 1 only, as PyTorch).
        dilation (int or triple, default 1): the spacing between the taps of a filter.
        groups (int, default 1): independent channel groups; both channel counts must
            divide by it.
        bias (bool, default True): learn an additive bias of shape (out_channels,).
        padding_mode (str, default "zeros"): only "zeros".
        dtype: the weights' dtype (default float32).

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.Conv3d(3, 8, (1, 3, 3), stride=(1, 2, 2))
        >>> layer(ndgrad.ones((2, 3, 4, 9, 9))).shape, layer.count_params()
        ((2, 8, 4, 4, 4), 224)
    """

    _dims = 3
    _function = staticmethod(conv3d)
    _layout = "(N, C, D, H, W)"


class ConvTranspose3d(_ConvTransposeNd):
    """3-D transposed convolution over (N, C, D, H, W) volumes, as
    ``torch.nn.ConvTranspose3d``; arguments as :class:`ConvTranspose2d` with
    triples. ``weight`` is (in_channels, out_channels / groups, kd, kh, kw).

    Args:
        in_channels (int): channels of the input (its axis 1).
        out_channels (int): channels of the output.
        kernel_size (int or triple): the filter's (depth, height, width).
        stride (int or triple, default 1): the upsampling step.
        padding (int or triple, default 0): the output loses ``padding`` planes on each
            side of each spatial axis (the size rule of :class:`ConvTranspose2d`).
        output_padding (int or triple, default 0): extra planes at the end (smaller than
            stride or dilation); or give ``output_size`` to ``forward``.
        groups (int, default 1): independent channel groups.
        bias (bool, default True): learn an additive bias of shape (out_channels,).
        dilation (int or triple, default 1): the spacing between the taps of a filter.
        padding_mode (str, default "zeros"): only "zeros".
        dtype: the weights' dtype (default float32).

    Example:
        >>> import ndgrad
        >>> up = ndgrad.nn.ConvTranspose3d(4, 2, 4, stride=2, padding=1)
        >>> up(ndgrad.ones((1, 4, 3, 3, 3))).shape, up.weight.shape
        ((1, 2, 6, 6, 6), (4, 2, 4, 4, 4))
    """

    _dims = 3
    _layout = "(N, C, D, H, W)"

    def forward(self, input, output_size=None):
        owner = type(self).__name__
        _check_channels(owner, input, (4, 5), 1, self.in_channels, self._layout)
        crops = torch_crops(owner, self.padding, self._output_padding(input, output_size),
                            self.stride, self.dilation, 3)
        return transposed_convolution3d(owner, input, self.weight, self.bias, self.stride,
                                        crops, self.dilation, self.groups, False, "torch")


# ------------------------------------------------------------------ Keras face
class Conv3DKeras(_ConvKeras):
    """Keras's ``Conv3D``: ``kernel`` is (kd, kh, kw, in/groups, filters), created from
    the first input; inputs are (N, D, H, W, C) unless ``data_format="channels_first"``.
    Arguments as ``Conv2D`` with triples.

    Args:
        filters (int): the number of output channels.
        kernel_size (int or triple): the filter's (depth, height, width).
        strides (int or triple, default 1): the step between two windows.
        padding (str, default "valid"): "valid" (no padding) or "same" (output
            ``ceil(size / strides)`` on each axis, TensorFlow's rule).
        data_format (str, default "channels_last"): "channels_last" for (N, D, H, W, C),
            "channels_first" for (N, C, D, H, W).
        dilation_rate (int or triple, default 1): the spacing between the taps of a filter.
        groups (int, default 1): independent channel groups.
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
        >>> layer = layers.Conv3D(4, 3, padding="same")      # ndgrad.layers.Conv3D
        >>> layer(ndgrad.ones((2, 5, 5, 5, 3))).shape, layer.kernel.shape
        ((2, 5, 5, 5, 4), (3, 3, 3, 3, 4))
    """

    _dims = 3
    _function = staticmethod(conv3d)

    def _layout(self):
        return "(N, D, H, W, C)" if self._channels_last else "(N, C, D, H, W)"


class Conv3DTransposeKeras(_ConvTransposeKeras):
    """Keras's ``Conv3DTranspose``: ``kernel`` is (kd, kh, kw, filters, in); arguments
    as ``Conv2DTranspose`` with triples.

    Args:
        filters (int): the number of output channels.
        kernel_size (int or triple): the filter's (depth, height, width).
        strides (int or triple, default 1): the upsampling step.
        padding (str, default "valid"): "valid" or "same" (output ``size * strides``),
            with the size rules of ``Conv2DTranspose``.
        output_padding (int, triple or None, default None): smaller than ``strides``;
            fixes the output size as in ``Conv2DTranspose``.
        data_format (str, default "channels_last"): "channels_last" for (N, D, H, W, C),
            "channels_first" for (N, C, D, H, W).
        dilation_rate (int or triple, default 1): the spacing between the taps of a filter.
        activation (str, callable or None, default None): applied to the output.
        use_bias (bool, default True): learn ``bias`` of shape (filters,).
        kernel_initializer, bias_initializer: initializer names or objects, as Keras
            (default "glorot_uniform" and "zeros").

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.Conv3DTranspose(2, 3, strides=2, padding="same")
        >>> layer(ndgrad.ones((1, 3, 3, 3, 4))).shape, layer.kernel.shape
        ((1, 6, 6, 6, 2), (3, 3, 3, 2, 4))
    """

    _dims = 3

    def _layout(self):
        return "(N, D, H, W, C)" if self._channels_last else "(N, C, D, H, W)"

    def call(self, inputs, training=None):
        owner = type(self).__name__
        _check_channels(owner, inputs, (5,), -1 if self._channels_last else 1,
                        self._in_channels, self._layout())
        crops = keras_crops(owner, self.padding, self.output_padding, self.kernel_size,
                            self.strides, self.dilation_rate)
        out = transposed_convolution3d(owner, inputs, self.kernel, self.bias, self.strides,
                                       crops, self.dilation_rate, 1, self._channels_last,
                                       "keras")
        return self.activation(out)


KERAS_EXPORTS = keras_exports({"Conv3D": Conv3DKeras, "Conv3DTranspose": Conv3DTransposeKeras})
