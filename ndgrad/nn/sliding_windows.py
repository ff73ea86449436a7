"""``nn.Unfold`` and ``nn.Fold``: a convolution's sliding blocks as columns and
back (im2col / col2im), over ``ndgrad.ops.sliding_windows``.

``Unfold`` turns (N, C, H, W) images into (N, C * kh * kw, L) columns, one per
block; a matrix product with a reshaped kernel is then a convolution, and
``Fold`` adds (possibly overlapping) blocks back into images. Neither has
weights.

Example:
    >>> import ndgrad
    >>> x = ndgrad.random.normal((2, 3, 6, 6))
    >>> blocks = ndgrad.nn.Unfold(kernel_size=2, stride=2)(x)
    >>> blocks.shape, ndgrad.nn.Fold((6, 6), 2, stride=2)(blocks).shape
    ((2, 12, 9), (2, 3, 6, 6))
"""

from ..ops.sliding_windows import fold, unfold
from .module import Module

__all__ = ["Unfold", "Fold"]
FUNCTIONAL = ["unfold", "fold"]


class Unfold(Module):
    """Extract sliding blocks as columns, as ``torch.nn.Unfold``.

    Args:
        kernel_size: the block (an int or a pair).
        dilation, padding, stride: as for a convolution (zero padding).

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.Unfold(3, padding=1)(ndgrad.ones((1, 2, 4, 4))).shape
        (1, 18, 16)
    """

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1, name=None):
        super().__init__(name=name)
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def forward(self, input):
        return unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")


class Fold(Module):
    """Sum sliding blocks back into images, as ``torch.nn.Fold`` (overlaps add up).

    Args:
        output_size: the (H, W) of the images.
        kernel_size, dilation, padding, stride: those of the blocks.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.Fold((3, 3), 2)(ndgrad.ones((1, 4, 4))).numpy()[0, 0].tolist()
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1, name=None):
        super().__init__(name=name)
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input):
        return fold(input, self.output_size, self.kernel_size, self.dilation, self.padding,
                    self.stride)

    def extra_repr(self):
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
                f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}")
