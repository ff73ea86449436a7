"""``keras.preprocessing.image``: image files and arrays (the functions of
``keras.utils``) and ``smart_resize``.

Example:
    >>> import numpy as np
    >>> from ndgrad.keras.preprocessing import image
    >>> image.smart_resize(np.ones((10, 20, 3)), (5, 5)).shape
    (5, 5, 3)
"""

import numpy as np

from ...nn.image_resizing import resize_images
from ...tensor import Tensor
from ..utils.images import array_to_img, img_to_array, load_img, save_img

__all__ = ["load_img", "img_to_array", "array_to_img", "save_img", "smart_resize"]


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last",
                 backend_module=None):
    """Resize an image (or a batch) to ``size = (height, width)`` without distorting
    it: the largest centred window of the target's aspect ratio is cut first.
    A NumPy input gives a NumPy array, a tensor a tensor.

    Example:
        >>> from ndgrad.keras.preprocessing.image import smart_resize
        >>> import numpy as np
        >>> smart_resize(np.arange(8.0).reshape(2, 4, 1), (1, 1)).ravel().tolist()
        [3.5]
    """
    out = resize_images(x, size, interpolation, crop_to_aspect_ratio=True,
                        data_format=data_format, owner="smart_resize")
    return out if isinstance(x, Tensor) else np.asarray(out.numpy())
