"""``save_image``: a batch of image tensors written as one PNG grid.

Example:
    >>> import os, tempfile, numpy as np
    >>> from _offline_vision.utils import save_image
    >>> name = os.path.join(tempfile.mkdtemp(), "grid.png")
    >>> save_image(np.zeros((3, 1, 4, 4), np.float32), name, nrow=2)
    >>> os.path.getsize(name) > 0
    True
"""

import numpy as np

__all__ = ["save_image"]


def _array(tensor):
    if hasattr(tensor, "detach"):
        tensor = tensor.detach()
    return np.asarray(tensor, dtype=np.float32)


def save_image(tensor, fp, nrow=8, padding=2, normalize=False, value_range=None, pad_value=0.0,
               **kwargs):
    """Write images (N, C, H, W) (or one (C, H, W)) as a grid ``nrow`` wide.

    Values are taken in [0, 1]; ``normalize=True`` first stretches
    ``value_range`` (default: the batch's min and max) to [0, 1].
    """
    from PIL import Image
    images = _array(tensor)
    if images.ndim == 3:
        images = images[None]
    if normalize:
        low, high = value_range if value_range is not None else (images.min(), images.max())
        images = (np.clip(images, low, high) - low) / max(high - low, 1e-5)
    count, channels, height, width = images.shape
    columns = min(nrow, count)
    rows = -(-count // columns)
    grid = np.full((channels, rows * (height + padding) + padding,
                    columns * (width + padding) + padding), pad_value, np.float32)
    for index in range(count):
        top = (index // columns) * (height + padding) + padding
        left = (index % columns) * (width + padding) + padding
        grid[:, top:top + height, left:left + width] = images[index]
    pixels = np.clip(grid * 255 + 0.5, 0, 255).astype(np.uint8).transpose(1, 2, 0)
    Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels).save(fp, format="PNG")
