"""Image resizing and cropping: Keras's ``layers.Resizing`` and ``layers.CenterCrop``,
and :func:`resize_images`, which ``keras.utils.image_dataset_from_directory`` uses too.

Resizing reuses the separable resize of :mod:`ndgrad.ops.interpolation`:
"bilinear" reads at half-pixel centres (TensorFlow's ``tf.image.resize``
without antialiasing, PyTorch's ``align_corners=False``), "nearest" reads
input ``floor((j + 0.5) * in / out)`` (TensorFlow's half-pixel nearest,
PyTorch's "nearest-exact"). ``crop_to_aspect_ratio`` first cuts the largest
centred window of the target's aspect ratio; ``pad_to_aspect_ratio`` first
pads (with ``fill_value``) to it. Everything is differentiable in the pixels.

Images are (height, width, channels) or a batch (N, height, width, channels);
``data_format="channels_first"`` reads (N, channels, height, width).

Example:
    >>> import numpy as np, ndgrad
    >>> image = np.arange(4.0).reshape(1, 2, 2, 1)
    >>> ndgrad.layers.Resizing(4, 4)(image)[0, :, :, 0].numpy().tolist()[0]
    [0.0, 0.25, 0.75, 1.0]
    >>> ndgrad.layers.CenterCrop(1, 1)(np.arange(9.0).reshape(3, 3, 1)).numpy().ravel().tolist()
    [4.0]
"""

import numpy as np

from .. import ops
from ..errors import shape_error
from ..ops.convolution_geometry import channels_last_flag
from ..ops.interpolation import resize
from ..tensor import Tensor
from .module import Module, keras_exports

__all__ = ["resize_images", "aspect_crop_box", "image_axes"]

INTERPOLATIONS = {"bilinear": "linear", "nearest": "nearest-exact"}


def image_axes(images, channels_last, owner):
    """``(height axis, width axis)`` of a 3-D image or a 4-D batch of images."""
    rank = len(images.shape)
    if rank not in (3, 4):
        layout = "(height, width, channels)" if channels_last else "(channels, height, width)"
        raise shape_error(owner, [images], f"expected an image {layout} or a batch of them "
                          f"(4-D), got a {rank}-D input")
    first = rank - 3 if channels_last else rank - 2
    return first, first + 1


def aspect_crop_box(height, width, target_height, target_width):
    """``(top, left, crop_height, crop_width)``: the largest centred window of
    ``height x width`` with the aspect ratio of the target (Keras's ``smart_resize``).

    Example:
        >>> from ndgrad.nn.image_resizing import aspect_crop_box
        >>> aspect_crop_box(100, 200, 50, 50)
        (0, 50, 100, 100)
    """
    crop_height = max(min(height, int(width * target_height / target_width)), 1)
    crop_width = max(min(width, int(height * target_width / target_height)), 1)
    return (int((height - crop_height) / 2), int((width - crop_width) / 2), crop_height,
            crop_width)


def _crop(images, axes, top, left, height, width):
    index = [slice(None)] * len(images.shape)
    index[axes[0]] = slice(top, top + height)
    index[axes[1]] = slice(left, left + width)
    return images[tuple(index)]


def _pad_to_aspect(images, axes, target_height, target_width, fill_value):
    height, width = images.shape[axes[0]], images.shape[axes[1]]
    padded_height = max(height, int(width * target_height / target_width))
    padded_width = max(width, int(height * target_width / target_height))
    top, left = int((padded_height - height) / 2), int((padded_width - width) / 2)
    widths = [(0, 0)] * len(images.shape)
    widths[axes[0]] = (top, padded_height - height - top)
    widths[axes[1]] = (left, padded_width - width - left)
    return ops.pad(images, widths, constant_values=fill_value)


def resize_images(images, size, interpolation="bilinear", crop_to_aspect_ratio=False,
                  pad_to_aspect_ratio=False, fill_value=0.0, data_format="channels_last",
                  dtype=np.float32, owner="resize_images"):
    """``images`` resized to ``size = (height, width)`` (see the module docs), as ``dtype``.

    Example:
        >>> from ndgrad.nn.augmentation import resize_images
        >>> import numpy as np
        >>> resize_images(np.ones((5, 8, 3)), (2, 2), crop_to_aspect_ratio=True).shape
        (2, 2, 3)
    """
    if interpolation not in INTERPOLATIONS:
        raise NotImplementedError(f"{owner}: interpolation={interpolation!r} is not supported; "
                                  f"use 'bilinear' or 'nearest'")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(f"{owner}: crop_to_aspect_ratio and pad_to_aspect_ratio exclude each "
                         "other; choose one")
    images = images if isinstance(images, Tensor) else Tensor(np.asarray(images))
    if images.dtype != np.dtype(dtype):
        images = images.astype(dtype)
    axes = image_axes(images, channels_last_flag(data_format, owner), owner)
    target_height, target_width = (int(n) for n in size)
    if crop_to_aspect_ratio:
        images = _crop(images, axes, *aspect_crop_box(images.shape[axes[0]],
                                                      images.shape[axes[1]], target_height,
                                                      target_width))
    elif pad_to_aspect_ratio:
        images = _pad_to_aspect(images, axes, target_height, target_width, fill_value)
    return resize(images, (target_height, target_width), axes, INTERPOLATIONS[interpolation])


def _check_size(owner, height, width):
    for label, value in (("height", height), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{owner}: {label} must be a positive int; got {value!r}")
    return int(height), int(width)


class ResizingKeras(Module):
    """Keras's ``Resizing``: images resized to ``(height, width)``.

    Args:
        height, width: the output size.
        interpolation: "bilinear" (default) or "nearest".
        crop_to_aspect_ratio: cut the largest centred window of the target's
            aspect ratio first (no distortion).
        pad_to_aspect_ratio: pad to the target's aspect ratio first.
        fill_value: the padding value.
        data_format: "channels_last" (default) or "channels_first".
        fill_mode: "constant" only (the padding of ``pad_to_aspect_ratio``).
        antialias: False only (True is refused).

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layers.Resizing(2, 3)(np.zeros((4, 8, 6, 3))).shape        # ndgrad.layers.Resizing
        (4, 2, 3, 3)
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = _check_size("Resizing", height, width)
        if antialias:
            raise NotImplementedError("Resizing: antialias=True is not supported; resize "
                                      "without it (the default)")
        self.antialias = False
        if interpolation not in INTERPOLATIONS:
            raise NotImplementedError(f"Resizing: interpolation={interpolation!r} is not "
                                      "supported; use 'bilinear' or 'nearest'")
        if fill_mode != "constant":
            raise NotImplementedError(f"Resizing: fill_mode={fill_mode!r} is not supported; "
                                      "padding uses fill_mode='constant'")
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = fill_mode
        self.fill_value = float(fill_value)
        self.data_format = data_format or "channels_last"
        channels_last_flag(self.data_format, "Resizing")

    def call(self, inputs):
        return resize_images(inputs, (self.height, self.width), self.interpolation,
                             self.crop_to_aspect_ratio, self.pad_to_aspect_ratio,
                             self.fill_value, self.data_format, self.dtype, "Resizing")


class CenterCropKeras(Module):
    """Keras's ``CenterCrop``: the centred ``height x width`` window of each image;
    an image smaller than that is cropped to the target's aspect ratio and
    resized (bilinear) instead.

    Args:
        height, width (int): the output's size; positive.
        data_format (str, default "channels_last"): "channels_last" for (N, H, W, C),
            "channels_first" for (N, C, H, W).

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layers.CenterCrop(2, 2)(np.arange(16.0).reshape(4, 4, 1))[:, :, 0].tolist()
        [[5.0, 6.0], [9.0, 10.0]]
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width = _check_size("CenterCrop", height, width)
        self.data_format = data_format or "channels_last"
        channels_last_flag(self.data_format, "CenterCrop")

    def call(self, inputs):
        images = inputs if isinstance(inputs, Tensor) else Tensor(np.asarray(inputs))
        if images.dtype != self.dtype:
            images = images.astype(self.dtype)
        axes = image_axes(images, channels_last_flag(self.data_format, "CenterCrop"),
                          "CenterCrop")
        height, width = images.shape[axes[0]], images.shape[axes[1]]
        if height >= self.height and width >= self.width:
            return _crop(images, axes, (height - self.height) // 2, (width - self.width) // 2,
                         self.height, self.width)
        return resize_images(images, (self.height, self.width), "bilinear", True,
                             data_format=self.data_format, dtype=self.dtype,
                             owner="CenterCrop")


KERAS_EXPORTS = keras_exports({"Resizing": ResizingKeras, "CenterCrop": CenterCropKeras})
