"""More pooling layers, PyTorch face: ``AdaptiveMaxPool1d/2d`` (with
``return_indices``), ``MaxPool3d``, ``AvgPool3d``, ``AdaptiveAvgPool3d``,
``LPPool1d/2d/3d`` and ``MaxUnpool1d/2d``; Keras face: ``MaxPooling3D``,
``AveragePooling3D``, ``GlobalMaxPooling3D``, ``GlobalAveragePooling3D``.

All are thin wrappers over ``ndgrad.ops.pooling_indices`` and
``ndgrad.ops.pooling_composed``, with PyTorch's arguments and reprs; none has
weights.

Example:
    >>> import ndgrad
    >>> pool = ndgrad.nn.MaxPool2d(2, return_indices=True)
    >>> out, indices = pool(ndgrad.arange(16.0).reshape(1, 1, 4, 4))
    >>> ndgrad.nn.MaxUnpool2d(2)(out, indices).shape
    (1, 1, 4, 4)
"""

from ..ops.pooling_adaptive import _global
from ..ops.pooling_composed import (adaptive_avg_pool3d, avg_pool3d, lp_pool1d, lp_pool2d,
                                    lp_pool3d, max_pool3d)
from ..ops.pooling_indices import (adaptive_max_pool1d, adaptive_max_pool2d, max_unpool1d,
                                   max_unpool2d)
from ..ops.convolution_geometry import as_tuple
from ..ops.reduce import max as _max, mean as _mean
from .conv import _check_rank
from .module import Module, keras_exports
from .pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d, _PoolingKeras, _torch_ranks
from .pooling import _GlobalPoolingKeras

__all__ = ["AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "MaxPool3d", "AvgPool3d",
           "AdaptiveAvgPool3d", "LPPool1d", "LPPool2d", "LPPool3d", "MaxUnpool1d",
           "MaxUnpool2d"]
FUNCTIONAL = ["adaptive_max_pool1d", "adaptive_max_pool2d", "max_pool3d", "avg_pool3d",
              "adaptive_avg_pool3d", "lp_pool1d", "lp_pool2d", "lp_pool3d", "max_unpool1d",
              "max_unpool2d"]


class AdaptiveMaxPool2d(Module):
    """Max pooling to a fixed output size, as ``torch.nn.AdaptiveMaxPool2d``
    (``output_size`` an int or a pair, None keeping that dimension;
    ``return_indices`` also gives each maximum's flat index).

    Args:
        output_size: an int or a pair (None keeps that dimension).
        return_indices: also return each maximum's flat index in its input plane.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.AdaptiveMaxPool2d((1, 1))(ndgrad.ones((2, 8, 7, 5))).shape
        (2, 8, 1, 1)
    """

    _function = staticmethod(adaptive_max_pool2d)

    def __init__(self, output_size, return_indices=False, name=None):
        super().__init__(name=name)
        self.output_size, self.return_indices = output_size, bool(return_indices)

    def forward(self, input):
        _check_rank(self, input, _torch_ranks(self))
        return self._function(input, self.output_size, self.return_indices)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(AdaptiveMaxPool2d):
    """Max pooling of (N, C, L) sequences to a fixed length, as ``torch.nn.AdaptiveMaxPool1d``.

    Args:
        output_size (int): the length of the output.
        return_indices (bool, default False): also return the index of each maximum in
            its input row.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.AdaptiveMaxPool1d(1)(ndgrad.tensor([[[1.0, 4.0, 2.0]]])).tolist()
        [[[4.0]]]
    """

    _function = staticmethod(adaptive_max_pool1d)


class MaxPool3d(MaxPool2d):
    """The maximum of each window of (N, C, D, H, W) volumes, as ``torch.nn.MaxPool3d``
    (arguments as :class:`MaxPool2d`, triples; ``return_indices`` is not supported).

    Args:
        kernel_size, stride, padding, dilation: an int or a triple (``padding``
            also "valid" / "same", or (before, after) pairs); the stride
            defaults to the kernel.
        return_indices: not supported (there is no ``max_unpool3d``).
        ceil_mode: keep a last partial window.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.MaxPool3d(2)(ndgrad.ones((1, 2, 4, 4, 4))).shape
        (1, 2, 2, 2, 2)
    """

    _function = staticmethod(max_pool3d)

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False, name=None):
        if return_indices:
            raise NotImplementedError("MaxPool3d: return_indices=True is not supported (there "
                                      "is no MaxUnpool3d); use MaxPool2d on (N, C * D, H, W) "
                                      "when the indices are needed")
        super().__init__(kernel_size, stride, padding, dilation, False, ceil_mode, name=name)


class AvgPool3d(AvgPool2d):
    """The mean of each window of (N, C, D, H, W) volumes, as ``torch.nn.AvgPool3d``
    (arguments as :class:`AvgPool2d`, triples).

    Args:
        input, kernel_size, stride, padding, ceil_mode: as :func:`max_pool3d`
            (implicit padding is zeros).
        count_include_pad: divide by the window's cells inside the padded input
            (PyTorch's default) or inside the input only.
        divisor_override: divide each window's sum by this instead.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.AvgPool3d(2, stride=1)(ndgrad.ones((1, 2, 3, 3, 3))).shape
        (1, 2, 2, 2, 2)
    """

    def forward(self, input):
        _check_rank(self, input, _torch_ranks(self))
        return avg_pool3d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad, self.divisor_override)


class AdaptiveAvgPool3d(AdaptiveAvgPool2d):
    """Average pooling of volumes to a fixed output size, as ``torch.nn.AdaptiveAvgPool3d``.

    Args:
        output_size (int or triple, None allowed in it): the (D, H, W) of the output;
            None keeps the input's size on that axis.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.AdaptiveAvgPool3d(1)(ndgrad.ones((2, 4, 3, 5, 5))).shape
        (2, 4, 1, 1, 1)
    """

    _function = staticmethod(adaptive_avg_pool3d)


class LPPool2d(Module):
    """Power-average pooling, as ``torch.nn.LPPool2d``: ``(sum of x ** p over each
    window) ** (1 / p)``; p = inf is max pooling of ``abs(x)``.

    Args:
        norm_type: the power p.
        kernel_size: the window.
        stride: the step (default: the window).
        ceil_mode: keep a last partial window.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.LPPool2d(2, 2)(ndgrad.ones((1, 1, 4, 4))).tolist()
        [[[[2.0, 2.0], [2.0, 2.0]]]]
    """

    _function = staticmethod(lp_pool2d)

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False, name=None):
        super().__init__(name=name)
        self.norm_type, self.kernel_size = norm_type, kernel_size
        self.stride, self.ceil_mode = stride, bool(ceil_mode)

    def forward(self, input):
        return self._function(input, self.norm_type, self.kernel_size, self.stride,
                              self.ceil_mode)

    def extra_repr(self):
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, ceil_mode={self.ceil_mode}")


class LPPool1d(LPPool2d):
    """Power-average pooling of (N, C, L) sequences, as ``torch.nn.LPPool1d``.

    Args:
        norm_type (float): the power p (``inf``: the maximum of ``abs(x)``).
        kernel_size (int): the window length.
        stride (int or None, default None): the step; None means ``kernel_size``.
        ceil_mode (bool, default False): keep a last partial window.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.LPPool1d(1, 2)(ndgrad.ones((1, 1, 4))).tolist()
        [[[2.0, 2.0]]]
    """

    _function = staticmethod(lp_pool1d)


class LPPool3d(LPPool2d):
    """Power-average pooling of (N, C, D, H, W) volumes, as ``torch.nn.LPPool3d``.

    Args:
        norm_type (float): the power p (``inf``: the maximum of ``abs(x)``).
        kernel_size (int or triple): the window.
        stride (int, triple or None, default None): the step; None means ``kernel_size``.
        ceil_mode (bool, default False): keep a last partial window.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.LPPool3d(1, 2)(ndgrad.ones((1, 1, 2, 2, 2))).tolist()
        [[[[[8.0]]]]]
    """

    _function = staticmethod(lp_pool3d)


class MaxUnpool2d(Module):
    """The partial inverse of ``MaxPool2d``, as ``torch.nn.MaxUnpool2d``: called with
    the pooled values, their indices and optionally the ``output_size`` to restore.

    Args:
        kernel_size, stride, padding: those of the pooling.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.MaxUnpool2d(2)
        MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))
    """

    _dims = 2
    _function = staticmethod(max_unpool2d)

    def __init__(self, kernel_size, stride=None, padding=0, name=None):
        super().__init__(name=name)
        owner = type(self).__name__
        self.kernel_size = as_tuple(kernel_size, self._dims, "kernel_size", owner)
        self.stride = (self.kernel_size if stride is None
                       else as_tuple(stride, self._dims, "stride", owner))
        self.padding = as_tuple(padding, self._dims, "padding", owner, minimum=0)

    def forward(self, input, indices, output_size=None):
        return self._function(input, indices, self.kernel_size, self.stride, self.padding,
                              output_size)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(MaxUnpool2d):
    """The partial inverse of ``MaxPool1d``, as ``torch.nn.MaxUnpool1d``.

    Args:
        kernel_size (int): the window of the ``MaxPool1d`` being undone.
        stride (int or None, default None): its step; None means ``kernel_size``.
        padding (int, default 0): its padding.

    Example:
        >>> import ndgrad
        >>> pool, unpool = ndgrad.nn.MaxPool1d(2, return_indices=True), ndgrad.nn.MaxUnpool1d(2)
        >>> unpool(*pool(ndgrad.tensor([[[1.0, 3.0, 4.0, 2.0]]]))).tolist()
        [[[0.0, 3.0, 4.0, 0.0]]]
    """

    _dims = 1
    _function = staticmethod(max_unpool1d)


# ------------------------------------------------------------------ Keras face
class MaxPooling3DKeras(_PoolingKeras):
    """Keras's ``MaxPooling3D``: the maximum of each ``pool_size`` window of
    (N, D, H, W, C) inputs (arguments as ``MaxPooling2D``, triples).

    Args:
        pool_size (int or triple, default 2): the window.
        strides (int, triple or None, default None): the step; None means ``pool_size``.
        padding (str, default "valid"): "valid" (whole windows only) or "same" (output
            ``ceil(size / strides)``).
        data_format (str, default "channels_last"): "channels_last" for
            (N, D, H, W, C), "channels_first" for (N, C, D, H, W).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.MaxPooling3D()(ndgrad.ones((1, 4, 4, 4, 2))).shape     # layers.MaxPooling3D
        (1, 2, 2, 2, 2)
    """

    _dims = 3

    def call(self, inputs, training=None):
        _check_rank(self, inputs, (5,), self.data_format)
        if self._average:
            return avg_pool3d(inputs, self.pool_size, self.strides, self.padding,
                              count_include_pad=False, data_format=self.data_format)
        return max_pool3d(inputs, self.pool_size, self.strides, self.padding,
                          data_format=self.data_format)


class AveragePooling3DKeras(MaxPooling3DKeras):
    """Keras's ``AveragePooling3D`` ("same" windows average their real cells).

    Args:
        pool_size (int or triple, default 2): the window.
        strides (int, triple or None, default None): the step; None means ``pool_size``.
        padding (str, default "valid"): "valid" (whole windows only) or "same" (output
            ``ceil(size / strides)``; a window's mean counts only its real cells).
        data_format (str, default "channels_last"): "channels_last" for
            (N, D, H, W, C), "channels_first" for (N, C, D, H, W).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.AveragePooling3D(3, padding="same")(ndgrad.ones((1, 4, 4, 4, 2))).shape
        (1, 2, 2, 2, 2)
    """

    _average = True


class GlobalAveragePooling3DKeras(_GlobalPoolingKeras):
    """Keras's ``GlobalAveragePooling3D``: the mean over D, H and W.

    Args:
        data_format (str, default "channels_last"): "channels_last" for
            (N, D, H, W, C), "channels_first" for (N, C, D, H, W).
        keepdims (bool, default False): keep the reduced axes with size 1
            ((N, 1, 1, 1, C) for channels_last) instead of returning (N, C).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.GlobalAveragePooling3D()(ndgrad.ones((2, 3, 3, 3, 4))).shape
        (2, 4)
    """

    _dims = 3

    @staticmethod
    def _function(inputs, data_format, keepdims):
        return _global("GlobalAveragePooling3D", 3, _mean, inputs, data_format, keepdims)


class GlobalMaxPooling3DKeras(_GlobalPoolingKeras):
    """Keras's ``GlobalMaxPooling3D``: the maximum over D, H and W.

    Args:
        data_format (str, default "channels_last"): "channels_last" for
            (N, D, H, W, C), "channels_first" for (N, C, D, H, W).
        keepdims (bool, default False): keep the reduced axes with size 1
            ((N, 1, 1, 1, C) for channels_last) instead of returning (N, C).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.GlobalMaxPooling3D(keepdims=True)(ndgrad.ones((2, 3, 3, 3, 4))).shape
        (2, 1, 1, 1, 4)
    """

    _dims = 3

    @staticmethod
    def _function(inputs, data_format, keepdims):
        return _global("GlobalMaxPooling3D", 3, _max, inputs, data_format, keepdims)


KERAS_EXPORTS = keras_exports({"MaxPooling3D": MaxPooling3DKeras,
                               "AveragePooling3D": AveragePooling3DKeras,
                               "GlobalAveragePooling3D": GlobalAveragePooling3DKeras,
                               "GlobalMaxPooling3D": GlobalMaxPooling3DKeras})
KERAS_EXPORTS.update({"MaxPool3D": MaxPooling3DKeras, "AvgPool3D": AveragePooling3DKeras,
                      "GlobalAvgPool3D": GlobalAveragePooling3DKeras,
                      "GlobalMaxPool3D": GlobalMaxPooling3DKeras})
