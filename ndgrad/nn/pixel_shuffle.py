"""Sub-pixel and channel rearrangement: ``nn.PixelShuffle`` / ``F.pixel_shuffle``,
their inverses ``nn.PixelUnshuffle`` / ``F.pixel_unshuffle``, and
``nn.ChannelShuffle`` / ``F.channel_shuffle`` (ShuffleNet's), as PyTorch.

``pixel_shuffle`` moves channels into space: (*, C * r * r, H, W) becomes
(*, C, H * r, W * r), output pixel (h * r + i, w * r + j) of channel c coming
from input channel c * r * r + i * r + j at (h, w). It is one reshape, one
transpose and one reshape, all ndgrad ops, so the gradient is the inverse
rearrangement (and gradients of any order are exact). ``channel_shuffle`` with g
groups reads the channels as a (g, C / g) grid and writes it transposed.

Example:
    >>> from ndgrad.nn.functional import pixel_unshuffle
    >>> from ndgrad.nn.functional import pixel_shuffle
    >>> import ndgrad
    >>> x = ndgrad.arange(4.0).reshape(1, 4, 1, 1)
    >>> pixel_shuffle(x, 2).numpy()[0, 0].tolist()
    [[0.0, 1.0], [2.0, 3.0]]
    >>> pixel_unshuffle(pixel_shuffle(x, 2), 2).numpy().ravel().tolist()
    [0.0, 1.0, 2.0, 3.0]
"""

import numbers

from ..autograd.primitive import as_input, shape_of
from ..errors import shape_error
from ..ops.shape import reshape, transpose
from .module import Module

__all__ = ["PixelShuffle", "PixelUnshuffle", "ChannelShuffle"]
FUNCTIONAL = ["pixel_shuffle", "pixel_unshuffle", "channel_shuffle"]


def _factor(owner, value, label):
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{owner}: {label} must be a positive int, got {value!r}")
    return int(value)


def _leading(owner, input):
    shape = shape_of(input)
    if len(shape) < 3:
        raise shape_error(owner, [input], f"expected an input (*, C, H, W) with at least 3 "
                          f"dimensions, got shape {shape}")
    return shape


def pixel_shuffle(input, upscale_factor):
    """(*, C * r^2, H, W) -> (*, C, H * r, W * r), as ``torch.nn.functional.pixel_shuffle``.

    Example:
        >>> from ndgrad.nn.functional import pixel_shuffle
        >>> import ndgrad
        >>> pixel_shuffle(ndgrad.ones((2, 18, 4, 4)), 3).shape
        (2, 2, 12, 12)
    """
    owner = "pixel_shuffle"
    r = _factor(owner, upscale_factor, "upscale_factor")
    input = as_input(input)
    shape = _leading(owner, input)
    *batch, channels, height, width = shape
    if channels % (r * r):
        raise shape_error(owner, [input], f"the channels ({channels}, dimension -3 of shape "
                          f"{shape}) must be divisible by upscale_factor ** 2 = {r * r}")
    k = len(batch)
    split = reshape(input, (*batch, channels // (r * r), r, r, height, width))
    moved = transpose(split, (*range(k), k, k + 3, k + 1, k + 4, k + 2))
    return reshape(moved, (*batch, channels // (r * r), height * r, width * r))


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H * r, W * r) -> (*, C * r^2, H, W), the inverse of :func:`pixel_shuffle`, as
    ``torch.nn.functional.pixel_unshuffle``.

    Example:
        >>> from ndgrad.nn.functional import pixel_unshuffle
        >>> import ndgrad
        >>> pixel_unshuffle(ndgrad.ones((2, 3, 8, 6)), 2).shape
        (2, 12, 4, 3)
    """
    owner = "pixel_unshuffle"
    r = _factor(owner, downscale_factor, "downscale_factor")
    input = as_input(input)
    shape = _leading(owner, input)
    *batch, channels, height, width = shape
    if height % r or width % r:
        raise shape_error(owner, [input], f"the height and width ({height}, {width}) must be "
                          f"divisible by downscale_factor = {r}")
    k = len(batch)
    split = reshape(input, (*batch, channels, height // r, r, width // r, r))
    moved = transpose(split, (*range(k), k, k + 2, k + 4, k + 1, k + 3))
    return reshape(moved, (*batch, channels * r * r, height // r, width // r))


class PixelShuffle(Module):
    """Rearrange channels into space, as ``torch.nn.PixelShuffle(upscale_factor)``
    (the usual tail of a sub-pixel convolution upsampler).

    Args:
        upscale_factor (int): r, positive; (N, C * r * r, H, W) becomes (N, C, H * r, W * r).

    Example:
        >>> from ndgrad.nn import PixelShuffle
        >>> import ndgrad
        >>> PixelShuffle(2)(ndgrad.ones((1, 12, 5, 5))).shape
        (1, 3, 10, 10)
    """

    def __init__(self, upscale_factor, name=None):
        self.upscale_factor = _factor("PixelShuffle", upscale_factor, "upscale_factor")
        super().__init__(name=name)

    def forward(self, input):
        return pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self):
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """Rearrange space into channels, as ``torch.nn.PixelUnshuffle(downscale_factor)``.

    Args:
        downscale_factor (int): r, positive; (N, C, H * r, W * r) becomes (N, C * r * r, H, W).

    Example:
        >>> from ndgrad.nn import PixelUnshuffle
        >>> import ndgrad
        >>> PixelUnshuffle(2)(ndgrad.ones((1, 3, 10, 10))).shape
        (1, 12, 5, 5)
    """

    def __init__(self, downscale_factor, name=None):
        self.downscale_factor = _factor("PixelUnshuffle", downscale_factor, "downscale_factor")
        super().__init__(name=name)

    def forward(self, input):
        return pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self):
        return f"downscale_factor={self.downscale_factor}"


def channel_shuffle(input, groups):
    """Interleave the channels of g groups, as ``torch.nn.functional.channel_shuffle``:
    (N, C, *) with output channel ``i * g + j`` taken from input channel
    ``j * (C / g) + i``.

    Example:
        >>> from ndgrad.nn.functional import channel_shuffle
        >>> import ndgrad
        >>> channel_shuffle(ndgrad.arange(6.0).reshape(1, 6, 1), 2).numpy().ravel().tolist()
        [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]
    """
    owner = "channel_shuffle"
    if not isinstance(groups, numbers.Integral) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"{owner}: groups must be a positive int, got {groups!r}")
    input = as_input(input)
    shape = shape_of(input)
    if len(shape) < 3:
        raise shape_error(owner, [input], f"expected an input (N, C, *) with more than 2 "
                          f"dimensions, got shape {shape}")
    batch, channels, *rest = shape
    if channels % groups:
        raise shape_error(owner, [input], f"the channels ({channels}) must be divisible by "
                          f"groups ({groups})")
    grid = reshape(input, (batch, groups, channels // groups, *rest))
    order = (0, 2, 1) + tuple(range(3, len(rest) + 3))
    return reshape(transpose(grid, order), shape)


class ChannelShuffle(Module):
    """Interleave the channels of ``groups`` groups, as ``torch.nn.ChannelShuffle``.

    Args:
        groups (int): the number of groups the channels are split into (it must divide
            the channel count); the output takes one channel from each group in turn.

    Example:
        >>> from ndgrad.nn import ChannelShuffle
        >>> import ndgrad
        >>> layer = ChannelShuffle(2)
        >>> layer, layer(ndgrad.arange(4.0).reshape(1, 4, 1, 1)).numpy().ravel().tolist()
        (ChannelShuffle(groups=2), [0.0, 2.0, 1.0, 3.0])
    """

    def __init__(self, groups, name=None):
        self.groups = _factor("ChannelShuffle", groups, "groups")
        super().__init__(name=name)

    def forward(self, input):
        return channel_shuffle(input, self.groups)

    def extra_repr(self):
        return f"groups={self.groups}"
