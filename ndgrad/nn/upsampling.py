"""Upsampling layers: ``nn.Upsample``, ``nn.UpsamplingNearest2d``,
``nn.UpsamplingBilinear2d`` (PyTorch) and ``layers.UpSampling1D`` /
``layers.UpSampling2D`` / ``layers.UpSampling3D`` (Keras), over one resize op.

All of them call ``ndgrad.ops.interpolation``: a separable resize whose
source positions follow PyTorch's rules (``F.interpolate``). Keras's nearest
upsampling repeats each position ``size`` times (an integer factor, so the
op's ``np.repeat`` path); its bilinear one samples at half-pixel centres, as
PyTorch's ``align_corners=False``.

Example:
    >>> import ndgrad
    >>> ndgrad.nn.Upsample(scale_factor=2)(ndgrad.ones((1, 3, 4, 4))).shape
    (1, 3, 8, 8)
    >>> ndgrad.layers.UpSampling2D(2)(ndgrad.ones((1, 4, 4, 3))).shape
    (1, 8, 8, 3)
"""

import numbers

import numpy as np

from ..autograd.primitive import shape_of
from ..errors import shape_error
from ..ops.convolution_geometry import as_tuple, channels_last_flag
from ..ops.interpolation import interpolate, interpolate_as, resample, resize
from .module import Module, keras_exports

__all__ = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"]
FUNCTIONAL = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear"]

_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "trilinear")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """PyTorch's deprecated alias of :func:`interpolate`.

    Example:
        >>> from ndgrad.nn.functional import upsample
        >>> import ndgrad
        >>> upsample(ndgrad.ones((1, 1, 2)), scale_factor=3).shape
        (1, 1, 6)
    """
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """PyTorch's deprecated ``F.upsample_nearest``: ``interpolate(mode="nearest")``.

    Example:
        >>> from ndgrad.nn.functional import upsample_nearest
        >>> import ndgrad
        >>> upsample_nearest(ndgrad.ones((1, 1, 2, 2)), size=3).shape
        (1, 1, 3, 3)
    """
    return interpolate(input, size, scale_factor, "nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """PyTorch's deprecated ``F.upsample_bilinear``: bilinear with ``align_corners=True``.

    Example:
        >>> from ndgrad.nn.functional import upsample_bilinear
        >>> import ndgrad
        >>> upsample_bilinear(ndgrad.tensor([[[[0.0, 3.0]]]]), size=(1, 4)).tolist()
        [[[[0.0, 1.0, 2.0, 3.0]]]]
    """
    return interpolate(input, size, scale_factor, "bilinear", True)


class Upsample(Module):
    """Resize (N, C, *spatial) inputs, as ``torch.nn.Upsample``: ``F.interpolate`` as a layer.

    Args:
        size: the output's spatial size (an int or one per axis); or
        scale_factor: a multiplier per spatial axis (a float or a tuple).
        mode: "nearest", "nearest-exact", "linear" (3-D input), "bilinear" (4-D)
            or "trilinear" (5-D).
        align_corners: linear modes only (see :func:`interpolate`).
        recompute_scale_factor: True: source positions from the sizes, not the factor.

    Example:
        >>> from ndgrad.nn import Upsample
        >>> import ndgrad
        >>> up = Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        >>> up(ndgrad.ones((2, 3, 5, 5))).shape, up
        ((2, 3, 10, 10), Upsample(scale_factor=2.0, mode='bilinear'))
    """

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None, name=None):
        owner = type(self).__name__
        if mode not in _MODES:
            raise NotImplementedError(f"{owner}: mode={mode!r} is not supported; use one of "
                                      f"{', '.join(map(repr, _MODES))}")
        if (size is None) == (scale_factor is None):
            raise ValueError(f"{owner}: give exactly one of size and scale_factor, got "
                             f"size={size!r}, scale_factor={scale_factor!r}")
        if align_corners is not None and mode.startswith("nearest"):
            raise ValueError(f"{owner}: align_corners is for the linear modes only, not "
                             f"mode={mode!r}; leave it None")
        super().__init__(name=name)
        self.size = size
        if isinstance(scale_factor, numbers.Number):
            scale_factor = float(scale_factor)
        elif scale_factor is not None:
            scale_factor = tuple(float(f) for f in scale_factor)
        self.scale_factor = scale_factor
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return interpolate_as(type(self).__name__, input, self.size, self.scale_factor,
                              self.mode, self.align_corners, self.recompute_scale_factor)

    def extra_repr(self):
        text = (f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None
                else f"size={self.size!r}")
        return text + f", mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """Nearest-neighbour upsampling of (N, C, H, W) images, as ``torch.nn.UpsamplingNearest2d``.

    Args:
        size (int, pair or None, default None): the output's (H, W); an int is a square.
        scale_factor (float, pair or None, default None): the multiplier of H and W.
            Give exactly one of ``size`` and ``scale_factor``.

    Example:
        >>> from ndgrad.nn import UpsamplingNearest2d
        >>> import ndgrad
        >>> UpsamplingNearest2d(scale_factor=2)(ndgrad.tensor([[[[1.0, 2.0]]]])).tolist()
        [[[[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0]]]]
    """

    def __init__(self, size=None, scale_factor=None, name=None):
        super().__init__(size, scale_factor, mode="nearest", name=name)


class UpsamplingBilinear2d(Upsample):
    """Bilinear upsampling of (N, C, H, W) images with ``align_corners=True``, as
    ``torch.nn.UpsamplingBilinear2d``.

    Args:
        size (int, pair or None, default None): the output's (H, W); an int is a square.
        scale_factor (float, pair or None, default None): the multiplier of H and W.
            Give exactly one of ``size`` and ``scale_factor``.

    Example:
        >>> from ndgrad.nn import UpsamplingBilinear2d
        >>> import ndgrad
        >>> UpsamplingBilinear2d(size=(1, 3))(ndgrad.tensor([[[[0.0, 2.0]]]])).tolist()
        [[[[0.0, 1.0, 2.0]]]]
    """

    def __init__(self, size=None, scale_factor=None, name=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True, name=name)


# ------------------------------------------------------------------ Keras face
class _UpSamplingKeras(Module):
    """Keras's UpSampling layers: repeat (or interpolate) along the spatial axes."""

    _dims = 2

    def __init__(self, size=2, data_format=None, interpolation="nearest", **kwargs):
        owner = type(self).__name__
        if interpolation not in ("nearest", "bilinear"):
            raise NotImplementedError(f"{owner}: interpolation={interpolation!r} is not "
                                      "supported; use 'nearest' or 'bilinear'")
        super().__init__(**kwargs)
        self.size = as_tuple(size, self._dims, "size", owner)
        self.data_format = data_format or "channels_last"
        self._channels_last = channels_last_flag(self.data_format, owner)
        self.interpolation = interpolation
        self.build_from_input_shape()

    def call(self, inputs, training=None):
        shape = shape_of(inputs)
        if len(shape) != self._dims + 2:
            spatial = {1: "L", 2: "H, W", 3: "D, H, W"}[self._dims]
            layout = (f"(N, {spatial}, C)" if self._channels_last or self._dims == 1
                      else f"(N, C, {spatial})")
            raise shape_error(type(self).__name__, [inputs], f"expected a {self._dims + 2}-D "
                              f"input {layout}, got shape {shape}")
        axes = tuple(range(1, 1 + self._dims) if self._channels_last
                     else range(2, 2 + self._dims))
        if self.interpolation == "bilinear":
            sizes = tuple(shape[a] * s for a, s in zip(axes, self.size))
            return resize(inputs, sizes, axes, "linear", scales=tuple(map(float, self.size)))
        out = inputs
        for axis, factor in zip(axes, self.size):
            if factor != 1:
                out = resample(out, axis, np.arange(shape[axis] * factor) // factor)
        return out

    def get_config(self):
        config = {**super().get_config(), "size": self.size}
        if self._dims >= 2:
            config["data_format"] = self.data_format
        if self._dims == 2:
            config["interpolation"] = self.interpolation
        return config

    def extra_repr(self):
        return f"size={self.size}"


class UpSampling2DKeras(_UpSamplingKeras):
    """Keras's ``UpSampling2D``: each row and column repeated ``size`` times
    ("nearest"), or bilinear interpolation at half-pixel centres ("bilinear").

    Args:
        size: an int or (rows, columns) factors.
        data_format: "channels_last" (default, (N, H, W, C)) or "channels_first".
        interpolation: "nearest" or "bilinear".

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.UpSampling2D((1, 2))            # ndgrad.layers.UpSampling2D
        >>> layer(ndgrad.tensor([[[[1.0], [2.0]]]])).numpy()[0, :, :, 0].tolist()
        [[1.0, 1.0, 2.0, 2.0]]
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format, interpolation, **kwargs)


class UpSampling1DKeras(_UpSamplingKeras):
    """Keras's ``UpSampling1D``: each step of (N, steps, features) repeated ``size`` times.

    Args:
        size (int, default 2): how many times each step is repeated.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.UpSampling1D(3)(ndgrad.ones((2, 4, 5))).shape    # ndgrad.layers.UpSampling1D
        (2, 12, 5)
    """

    _dims = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(size, None, "nearest", **kwargs)


class UpSampling3DKeras(_UpSamplingKeras):
    """Keras's ``UpSampling3D(size=(2, 2, 2), data_format=None)``: each position of
    (N, D, H, W, C) volumes (channels_first: (N, C, D, H, W)) repeated ``size``
    times along each of the three axes.

    Args:
        size (int or triple, default (2, 2, 2)): the repeats along depth, height and
            width; an int repeats all three by it.
        data_format (str, default "channels_last"): "channels_last" for
            (N, D, H, W, C), "channels_first" for (N, C, D, H, W).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.UpSampling3D((1, 2, 3))(ndgrad.ones((2, 3, 4, 5, 6))).shape   # UpSampling3D
        (2, 3, 8, 15, 6)
    """

    _dims = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format, "nearest", **kwargs)


KERAS_EXPORTS = keras_exports({"UpSampling2D": UpSampling2DKeras,
                               "UpSampling1D": UpSampling1DKeras,
                               "UpSampling3D": UpSampling3DKeras})
