"""Pooling layers, PyTorch face (``MaxPool2d``, ``AvgPool2d``, ``AdaptiveAvgPool2d``,
and their 1-D forms) and Keras face (``MaxPooling2D``, ``AveragePooling2D``,
``GlobalAveragePooling2D``, ``GlobalMaxPooling2D``, and their 1-D forms).

All are thin wrappers over the functional forms in ``ndgrad.ops.pooling`` and
``ndgrad.ops.pooling_adaptive``; none has weights. PyTorch's take (N, C, H, W)
inputs and PyTorch's arguments; Keras's take (N, H, W, C) by default, with
``padding="valid"`` or ``"same"`` (TensorFlow's rule; average pooling then
divides by the real cells of each window, as TensorFlow does).

Example:
    >>> from ndgrad import layers
    >>> import ndgrad
    >>> ndgrad.nn.MaxPool2d(2)(ndgrad.ones((1, 3, 8, 8))).shape
    (1, 3, 4, 4)
    >>> layers.MaxPooling2D()(ndgrad.ones((1, 8, 8, 3))).shape
    (1, 4, 4, 3)
"""

from ..ops.convolution_geometry import as_tuple, channels_last_flag
from ..ops.pooling import avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from ..ops.pooling_adaptive import (adaptive_avg_pool1d, adaptive_avg_pool2d, global_avg_pool1d,
                                    global_avg_pool2d, global_max_pool1d, global_max_pool2d)
from .conv import _check_rank
from .module import Module, keras_exports

__all__ = ["MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d",
           "AdaptiveAvgPool2d"]
FUNCTIONAL = ["max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d",
              "adaptive_avg_pool2d", "global_avg_pool1d", "global_avg_pool2d",
              "global_max_pool1d", "global_max_pool2d"]


# ------------------------------------------------------------------ PyTorch face
def _torch_ranks(layer):
    """A PyTorch pooling layer takes batched or unbatched input: 1-D layers
    (N, C, L) or (C, L), 2-D layers (N, C, H, W) or (C, H, W), 3-D layers
    (N, C, D, H, W) or (C, D, H, W)."""
    for cls in type(layer).__mro__:          # the PyTorch class, under any user subclass
        name = cls.__name__
        if name.endswith("d") and name[-2:-1].isdigit():
            dims = int(name[-2])
            return (dims + 1, dims + 2)
    return (3, 4)


class MaxPool2d(Module):
    """The maximum of each window, as ``torch.nn.MaxPool2d``.

    Args:
        kernel_size: the window (int or pair).
        stride: the step (default: ``kernel_size``).
        padding: implicit -inf on each side (at most half the window).
        dilation: spacing of the window's cells.
        return_indices: also return the flat index of each maximum in its input
            plane (for ``nn.MaxUnpool2d``).
        ceil_mode: keep a last partial window.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.MaxPool2d(3, stride=2, padding=1)(ndgrad.ones((2, 4, 9, 9))).shape
        (2, 4, 5, 5)
    """

    _function = staticmethod(max_pool2d)

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False, name=None):
        super().__init__(name=name)
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = bool(return_indices), bool(ceil_mode)

    def forward(self, input):
        _check_rank(self, input, _torch_ranks(self))
        return self._function(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode, self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(MaxPool2d):
    """The maximum of each window of a (N, C, L) sequence, as ``torch.nn.MaxPool1d``.

    Args:
        kernel_size (int): the window length.
        stride (int or None, default None): the step; None means ``kernel_size``.
        padding (int, default 0): implicit -inf at both ends (at most half the window).
        dilation (int, default 1): the spacing of the window's cells.
        return_indices (bool, default False): also return the index of each maximum in
            its input row (for ``nn.MaxUnpool1d``).
        ceil_mode (bool, default False): keep a last partial window.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.MaxPool1d(2)(ndgrad.tensor([[[1.0, 5.0, 2.0, 0.0]]])).tolist()
        [[[5.0, 2.0]]]
    """

    _function = staticmethod(max_pool1d)


class AvgPool2d(Module):
    """The mean of each window, as ``torch.nn.AvgPool2d``.

    Args:
        kernel_size, stride, padding, ceil_mode: as :class:`MaxPool2d` (zeros pad).
        count_include_pad: count padded cells in the divisor (PyTorch's default).
        divisor_override: divide every window's sum by this instead.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.AvgPool2d(2)(ndgrad.ones((1, 1, 4, 4))).tolist()
        [[[[1.0, 1.0], [1.0, 1.0]]]]
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None, name=None):
        super().__init__(name=name)
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, bool(ceil_mode)
        self.count_include_pad = bool(count_include_pad)
        self.divisor_override = divisor_override

    def forward(self, input):
        _check_rank(self, input, _torch_ranks(self))
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad, self.divisor_override)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(AvgPool2d):
    """The mean of each window of a (N, C, L) sequence, as ``torch.nn.AvgPool1d``.

    Args:
        kernel_size (int): the window length.
        stride (int or None, default None): the step; None means ``kernel_size``.
        padding (int, default 0): zeros at both ends (at most half the window).
        ceil_mode (bool, default False): keep a last partial window.
        count_include_pad (bool, default True): count the padded zeros in each
            window's divisor.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.AvgPool1d(2)(ndgrad.tensor([[[1.0, 5.0, 2.0, 0.0]]])).tolist()
        [[[3.0, 1.0]]]
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, name=None):
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad, name=name)

    def forward(self, input):
        _check_rank(self, input, _torch_ranks(self))
        return avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad)


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed output size, as ``torch.nn.AdaptiveAvgPool2d``
    (``output_size`` an int or a pair; None keeps that dimension).

    Args:
        output_size (int, pair, or a pair with None): the (H, W) of the output; an int
            is a square, None keeps the input's size on that axis. Each output cell
            averages the input cells from ``floor(i * in / out)`` to ``ceil((i + 1) *
            in / out)``.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.AdaptiveAvgPool2d((1, 1))(ndgrad.ones((2, 8, 7, 5))).shape
        (2, 8, 1, 1)
    """

    _function = staticmethod(adaptive_avg_pool2d)

    def __init__(self, output_size, name=None):
        super().__init__(name=name)
        self.output_size = output_size

    def forward(self, input):
        _check_rank(self, input, _torch_ranks(self))
        return self._function(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(AdaptiveAvgPool2d):
    """Average pooling of a (N, C, L) sequence to a fixed length.

    Args:
        output_size (int): the length of the output; window ``i`` spans the input from
            ``floor(i * L / out)`` to ``ceil((i + 1) * L / out)``.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.AdaptiveAvgPool1d(1)(ndgrad.ones((2, 3, 10))).shape
        (2, 3, 1)
    """

    _function = staticmethod(adaptive_avg_pool1d)


# ------------------------------------------------------------------ Keras face
class _PoolingKeras(Module):
    """Keras's windowed pooling: pool_size, strides (default pool_size), padding, data_format."""

    _dims = 2
    _average = False

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, **kwargs):
        owner = type(self).__name__
        padding = str(padding).lower()
        if padding not in ("valid", "same"):
            raise ValueError(f"{owner}: padding must be 'valid' or 'same', got {padding!r}")
        super().__init__(**kwargs)
        self.training = False
        self.pool_size = as_tuple(pool_size, self._dims, "pool_size", owner)
        self.strides = (self.pool_size if strides is None
                        else as_tuple(strides, self._dims, "strides", owner))
        self.padding = padding
        self.data_format = data_format or "channels_last"
        channels_last_flag(self.data_format, owner)

    def call(self, inputs, training=None):
        _check_rank(self, inputs, (self._dims + 2,), self.data_format)
        if self._dims == 2:
            pool = avg_pool2d if self._average else max_pool2d
        else:
            pool = avg_pool1d if self._average else max_pool1d
        if self._dims == 1:
            size, step = self.pool_size[0], self.strides[0]
        else:
            size, step = self.pool_size, self.strides
        if self._average:   # TensorFlow divides by the real cells of a "same" window
            return pool(inputs, size, step, self.padding, count_include_pad=False,
                        data_format=self.data_format)
        return pool(inputs, size, step, self.padding, data_format=self.data_format)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format}


class MaxPooling2DKeras(_PoolingKeras):
    """Keras's ``MaxPooling2D``: the maximum of each ``pool_size`` window of
    (N, H, W, C) inputs (``data_format="channels_first"``: (N, C, H, W)).

    Args:
        pool_size: the window (default 2).
        strides: the step (default: ``pool_size``).
        padding: "valid" or "same".
        data_format: "channels_last" (default) or "channels_first".

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.MaxPooling2D(padding="same")(ndgrad.ones((1, 5, 5, 2))).shape
        (1, 3, 3, 2)
    """


class AveragePooling2DKeras(_PoolingKeras):
    """Keras's ``AveragePooling2D``: the mean of each window ("same" windows are
    averaged over their real cells, as TensorFlow). Arguments as ``MaxPooling2D``.

    Args:
        pool_size (int or pair, default 2): the window.
        strides (int, pair or None, default None): the step; None means ``pool_size``.
        padding (str, default "valid"): "valid" (whole windows only) or "same" (output
            ``ceil(size / strides)``; a window's mean counts only its real cells).
        data_format (str, default "channels_last"): "channels_last" for (N, H, W, C),
            "channels_first" for (N, C, H, W).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.AveragePooling2D()(ndgrad.ones((1, 4, 4, 2))).shape
        (1, 2, 2, 2)
    """

    _average = True


class MaxPooling1DKeras(_PoolingKeras):
    """Keras's ``MaxPooling1D`` over (N, L, C) sequences.

    Args:
        pool_size (int, default 2): the window length.
        strides (int or None, default None): the step; None means ``pool_size``.
        padding (str, default "valid"): "valid" (whole windows only) or "same" (output
            ``ceil(L / strides)``).
        data_format (str, default "channels_last"): "channels_last" for (N, L, C),
            "channels_first" for (N, C, L).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.MaxPooling1D()(ndgrad.ones((1, 6, 2))).shape    # ndgrad.layers.MaxPooling1D
        (1, 3, 2)
    """

    _dims = 1


class AveragePooling1DKeras(_PoolingKeras):
    """Keras's ``AveragePooling1D`` over (N, L, C) sequences.

    Args:
        pool_size (int, default 2): the window length.
        strides (int or None, default None): the step; None means ``pool_size``.
        padding (str, default "valid"): "valid" (whole windows only) or "same" (output
            ``ceil(L / strides)``; a window's mean counts only its real cells).
        data_format (str, default "channels_last"): "channels_last" for (N, L, C),
            "channels_first" for (N, C, L).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.AveragePooling1D(3, padding="same")(ndgrad.ones((1, 7, 2))).shape
        (1, 3, 2)
    """

    _dims = 1
    _average = True


class _GlobalPoolingKeras(Module):
    """Keras's global pooling: a reduction over every spatial axis."""

    _dims = 2
    _function = staticmethod(global_avg_pool2d)

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.training = False
        self.data_format = data_format or "channels_last"
        channels_last_flag(self.data_format, type(self).__name__)
        self.keepdims = bool(keepdims)

    def call(self, inputs, training=None):
        _check_rank(self, inputs, (self._dims + 2,), self.data_format)
        return self._function(inputs, data_format=self.data_format, keepdims=self.keepdims)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling2DKeras(_GlobalPoolingKeras):
    """Keras's ``GlobalAveragePooling2D``: the mean over H and W, (N, C)
    (``keepdims=True``: (N, 1, 1, C)).

    Args:
        data_format (str, default "channels_last"): "channels_last" for
            (N, H, W, C), "channels_first" for (N, C, H, W).
        keepdims (bool, default False): keep the reduced axes with size 1
            ((N, 1, 1, C) for channels_last) instead of returning (N, C).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.GlobalAveragePooling2D()(ndgrad.ones((2, 5, 5, 3))).shape
        (2, 3)
    """


class GlobalMaxPooling2DKeras(_GlobalPoolingKeras):
    """Keras's ``GlobalMaxPooling2D``: the maximum over H and W.

    Args:
        data_format (str, default "channels_last"): "channels_last" for
            (N, H, W, C), "channels_first" for (N, C, H, W).
        keepdims (bool, default False): keep the reduced axes with size 1
            ((N, 1, 1, C) for channels_last) instead of returning (N, C).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.GlobalMaxPooling2D(keepdims=True)(ndgrad.ones((2, 5, 5, 3))).shape
        (2, 1, 1, 3)
    """

    _function = staticmethod(global_max_pool2d)


class GlobalAveragePooling1DKeras(_GlobalPoolingKeras):
    """Keras's ``GlobalAveragePooling1D``: the mean over the steps of (N, L, C).

    Args:
        data_format (str, default "channels_last"): "channels_last" for
            (N, L, C), "channels_first" for (N, C, L).
        keepdims (bool, default False): keep the reduced axes with size 1
            ((N, 1, C) for channels_last) instead of returning (N, C).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.GlobalAveragePooling1D()(ndgrad.ones((2, 7, 3))).shape
        (2, 3)
    """

    _dims = 1
    _function = staticmethod(global_avg_pool1d)


class GlobalMaxPooling1DKeras(_GlobalPoolingKeras):
    """Keras's ``GlobalMaxPooling1D``: the maximum over the steps of (N, L, C).

    Args:
        data_format (str, default "channels_last"): "channels_last" for
            (N, L, C), "channels_first" for (N, C, L).
        keepdims (bool, default False): keep the reduced axes with size 1
            ((N, 1, C) for channels_last) instead of returning (N, C).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.GlobalMaxPooling1D()(ndgrad.ones((2, 7, 3))).shape
        (2, 3)
    """

    _dims = 1
    _function = staticmethod(global_max_pool1d)


KERAS_EXPORTS = keras_exports({"MaxPooling2D": MaxPooling2DKeras,
                               "AveragePooling2D": AveragePooling2DKeras,
                               "MaxPooling1D": MaxPooling1DKeras,
                               "AveragePooling1D": AveragePooling1DKeras,
                               "GlobalAveragePooling2D": GlobalAveragePooling2DKeras,
                               "GlobalMaxPooling2D": GlobalMaxPooling2DKeras,
                               "GlobalAveragePooling1D": GlobalAveragePooling1DKeras,
                               "GlobalMaxPooling1D": GlobalMaxPooling1DKeras})
# Keras's short aliases name the same classes.
KERAS_EXPORTS.update({"MaxPool2D": MaxPooling2DKeras, "AvgPool2D": AveragePooling2DKeras,
                      "MaxPool1D": MaxPooling1DKeras, "AvgPool1D": AveragePooling1DKeras,
                      "GlobalAvgPool2D": GlobalAveragePooling2DKeras,
                      "GlobalMaxPool2D": GlobalMaxPooling2DKeras,
                      "GlobalAvgPool1D": GlobalAveragePooling1DKeras,
                      "GlobalMaxPool1D": GlobalMaxPooling1DKeras})
