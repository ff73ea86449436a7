"""``keras.utils`` image files and arrays: ``load_img``, ``img_to_array``,
``array_to_img``, ``save_img`` (also ``keras.preprocessing.image``), on Pillow.

Pillow is an optional dependency (the ``images`` extra: ``pip install
"ndgrad[images]"``); these functions say so when it is missing. Images are
``PIL.Image`` objects; arrays are NumPy, (height, width, channels) by default
(``data_format="channels_first"``: (channels, height, width)), float32 unless
``dtype`` says otherwise.

Example:
    >>> import os, tempfile
    >>> import numpy as np
    >>> from ndgrad.keras import utils
    >>> path = os.path.join(tempfile.mkdtemp(), "square.png")
    >>> utils.save_img(path, np.full((2, 3, 3), 255.0), scale=False)
    >>> image = utils.load_img(path, color_mode="grayscale", target_size=(4, 6))
    >>> image.size, utils.img_to_array(image).shape
    ((6, 4), (4, 6, 1))
"""

import io
import os
import pathlib
import warnings

import numpy as np

from ...autograd.primitive import data_of

__all__ = ["array_to_img", "img_to_array", "save_img", "load_img", "require_pillow",
           "INTERPOLATIONS"]

# Keras's names for Pillow's resampling filters.
INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def require_pillow(function):
    """``PIL.Image``, or an ImportError that names ``function`` and the extra to install.

    Example:
        >>> from ndgrad.keras.utils.images import require_pillow
        >>> require_pillow("load_img").__name__
        'PIL.Image'
    """
    try:
        from PIL import Image
    except ImportError:
        raise ImportError(f"{function} needs Pillow, which is not installed; install ndgrad's "
                          "images extra: pip install \"ndgrad[images]\" (or pip install "
                          "pillow)") from None
    return Image


def _channels_last(data_format, function):
    data_format = data_format or "channels_last"
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"{function}: data_format must be 'channels_last' or "
                         f"'channels_first'; got {data_format!r}")
    return data_format == "channels_last"


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A ``PIL.Image`` from a 3-D array: 1 channel gives a grayscale image ("L", or
    "I" for values above 255), 3 an "RGB" one, 4 an "RGBA" one.

    Args:
        x: an array or tensor (height, width, channels).
        data_format: "channels_last" (default) or "channels_first".
        scale: stretch the values to [0, 255] first (min to 0, max to 255).
        dtype: the dtype to read ``x`` as (default float32).

    Example:
        >>> from ndgrad.keras.utils import array_to_img
        >>> import numpy as np
        >>> image = array_to_img(np.array([[[0.0], [0.5]]]))
        >>> image.mode, image.size, np.asarray(image).tolist()
        ('L', (2, 1), [[0, 255]])
    """
    image_module = require_pillow("array_to_img")
    x = np.array(data_of(x), dtype=dtype or np.float32)
    if x.ndim != 3:
        raise ValueError(f"array_to_img: expected an image array of rank 3 (height, width, "
                         f"channels), got shape {x.shape}")
    if not _channels_last(data_format, "array_to_img"):
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        largest = np.max(x)
        if largest != 0:
            x = x / largest
        x = x * 255
    channels = x.shape[2]
    if channels == 4:
        return image_module.fromarray(x.astype(np.uint8), "RGBA")
    if channels == 3:
        return image_module.fromarray(x.astype(np.uint8), "RGB")
    if channels == 1:
        if np.max(x) > 255:
            return image_module.fromarray(x[:, :, 0].astype(np.int32), "I")
        return image_module.fromarray(x[:, :, 0].astype(np.uint8), "L")
    raise ValueError(f"array_to_img: an image has 1, 3 or 4 channels; got {channels} (shape "
                     f"{x.shape})")


def img_to_array(img, data_format=None, dtype=None):
    """A 3-D NumPy array from a ``PIL.Image`` (or any array-like image); a 2-D
    grayscale image gets a channel axis of 1.

    Example:
        >>> from ndgrad.keras.utils import img_to_array
        >>> import numpy as np
        >>> img_to_array(np.zeros((2, 3)), data_format="channels_first").shape
        (1, 2, 3)
    """
    channels_last = _channels_last(data_format, "img_to_array")
    x = np.asarray(img, dtype=dtype or np.float32)
    if x.ndim == 3:
        return x if channels_last else x.transpose(2, 0, 1)
    if x.ndim == 2:
        return x[:, :, None] if channels_last else x[None]
    raise ValueError(f"img_to_array: expected a 2-D or 3-D image, got an array of shape "
                     f"{x.shape}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Write the array ``x`` as an image file (the format from ``file_format`` or the
    extension; an RGBA image saved as JPEG loses its alpha, with a warning).

    Example:
        >>> from ndgrad.keras.utils import save_img
        >>> import os, tempfile, numpy as np
        >>> path = os.path.join(tempfile.mkdtemp(), "pixel.png")
        >>> save_img(path, np.zeros((1, 1, 3))); os.path.exists(path)
        True
    """
    image = array_to_img(x, data_format=data_format, scale=scale)
    if file_format is not None and file_format.lower() == "jpg":
        file_format = "jpeg"
    jpeg = (file_format or "").lower() == "jpeg" or str(path).lower().endswith((".jpg", ".jpeg"))
    if image.mode == "RGBA" and jpeg:
        warnings.warn("save_img: the JPEG format has no alpha channel; saving the RGBA image "
                      "as RGB", UserWarning, stacklevel=2)
        image = image.convert("RGB")
    image.save(path, format=file_format, **kwargs)


def _resize(image, image_module, target_size, interpolation, keep_aspect_ratio):
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"load_img: interpolation must be one of {', '.join(INTERPOLATIONS)}; "
                         f"got {interpolation!r}")
    resample = getattr(image_module.Resampling, interpolation.upper())
    target_width, target_height = target_size[1], target_size[0]
    if not keep_aspect_ratio:
        return image.resize((target_width, target_height), resample)
    width, height = image.size
    crop_height = min(height, (width * target_height) // target_width)
    crop_width = min(width, (height * target_width) // target_height)
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return image.resize((target_width, target_height), resample,
                        box=(left, top, left + crop_width, top + crop_height))


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """Read an image file into a ``PIL.Image``.

    Args:
        path: a path (str, bytes, pathlib.Path) or an ``io.BytesIO``.
        color_mode: "rgb" (default), "rgba" or "grayscale" (8-bit; 16- and
            32-bit grayscale files stay as they are).
        target_size: ``(height, width)`` to resize to, or None.
        interpolation: Pillow's filter for the resize: "nearest" (default),
            "bilinear", "bicubic", "hamming", "box" or "lanczos".
        keep_aspect_ratio: resize the largest centred window of the target's
            aspect ratio (no distortion).

    Example:
        >>> from ndgrad.keras.utils import load_img
        >>> import io, numpy as np
        >>> from ndgrad.keras import utils
        >>> buffer = io.BytesIO(); utils.array_to_img(np.ones((4, 8, 3))).save(buffer, "PNG")
        >>> load_img(buffer, target_size=(2, 2), keep_aspect_ratio=True).size
        (2, 2)
    """
    image_module = require_pillow("load_img")
    if isinstance(path, io.BytesIO):
        image = image_module.open(path)
    elif isinstance(path, (str, bytes, pathlib.Path, os.PathLike)):
        with open(path, "rb") as handle:
            image = image_module.open(io.BytesIO(handle.read()))
    else:
        raise TypeError(f"load_img: path must be a file path or an io.BytesIO; got "
                        f"{type(path).__name__}")
    if color_mode == "grayscale":
        if image.mode not in ("L", "I;16", "I"):
            image = image.convert("L")
    elif color_mode in ("rgb", "rgba"):
        if image.mode != color_mode.upper():
            image = image.convert(color_mode.upper())
    else:
        raise ValueError(f"load_img: color_mode must be 'grayscale', 'rgb' or 'rgba'; got "
                         f"{color_mode!r}")
    if target_size is not None and image.size != (target_size[1], target_size[0]):
        image = _resize(image, image_module, target_size, interpolation, keep_aspect_ratio)
    return image
