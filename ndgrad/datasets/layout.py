"""Arranging a stack of grayscale images ``(N, H, W)`` for a model.

``"channels_last"`` gives ``(N, H, W, 1)`` (Keras, ``layers.Conv2D``),
``"channels_first"`` gives ``(N, 1, H, W)`` (PyTorch, ``nn.Conv2d``), and
``flatten=True`` gives ``(N, H * W)`` for dense networks, whatever the layout.

Example:
    >>> import numpy as np
    >>> from ndgrad.datasets.layout import arrange_images
    >>> arrange_images(np.zeros((5, 8, 8)), "channels_first", False, "load_digits").shape
    (5, 1, 8, 8)
"""

LAYOUTS = ("channels_last", "channels_first")

__all__ = ["LAYOUTS", "check_layout", "arrange_images"]


def check_layout(layout, function):
    """Refuse a layout other than ``"channels_last"`` / ``"channels_first"``.

    Example:
        >>> from ndgrad.datasets.layout import check_layout
        >>> check_layout("channels_last", "load_digits")
    """
    if layout not in LAYOUTS:
        raise ValueError(f"{function}: layout must be 'channels_last' (N, H, W, 1) or "
                         f"'channels_first' (N, 1, H, W); got {layout!r}")


def arrange_images(images, layout, flatten, function):
    """``images`` of shape ``(N, H, W)`` reshaped for ``layout`` (a view, no copy).

    Example:
        >>> import numpy as np
        >>> from ndgrad.datasets.layout import arrange_images
        >>> arrange_images(np.zeros((5, 8, 8)), "channels_last", True, "load_digits").shape
        (5, 64)
    """
    check_layout(layout, function)
    count, height, width = images.shape
    if flatten:
        return images.reshape(count, height * width)
    if layout == "channels_last":
        return images.reshape(count, height, width, 1)
    return images.reshape(count, 1, height, width)
