"""Affine resampling of image batches: what ``RandomRotation``, ``RandomZoom`` and
``RandomTranslation`` apply (Keras's ``ops.image.affine_transform``).

A transform is Keras's 8 numbers ``(a0, a1, a2, b0, b1, b2, c0, c1)``: output
pixel ``(x, y)`` (column, row; pixel centres at integers) reads the input at

    x_in = (a0 x + a1 y + a2) / k,   y_in = (b0 x + b1 y + b2) / k,   k = c0 x + c1 y + 1.

"bilinear" weighs the four pixels around that point, "nearest" takes the
pixel at ``floor(x_in + 0.5)``. A pixel index outside the image is brought in
by ``fill_mode``: "reflect" mirrors about the edge (``d c b a | a b c d``),
"wrap" tiles, "nearest" repeats the edge pixel, "constant" reads
``fill_value``. The positions and weights are NumPy (they come from random
draws, not from the graph); the pixels are gathered with one differentiable
``take``, so the gradient reaches the input image.

Example:
    >>> from ndgrad.nn.affine_sampling import affine_transform
    >>> from ndgrad.nn.affine_sampling import rotation_transforms
    >>> import numpy as np, ndgrad
    >>> image = ndgrad.tensor(np.arange(9.0).reshape(1, 3, 3, 1))
    >>> quarter = rotation_transforms(np.array([np.pi / 2]), 3, 3)
    >>> affine_transform(image, quarter, "nearest")[0, :, :, 0].tolist()  # counter-clockwise
    [[2.0, 5.0, 8.0], [1.0, 4.0, 7.0], [0.0, 3.0, 6.0]]
"""

import numpy as np

from .. import ops
from ..tensor import Tensor

__all__ = ["affine_transform", "rotation_transforms", "zoom_transforms",
           "translation_transforms", "FILL_MODES", "INTERPOLATIONS"]

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("bilinear", "nearest")


def _fill_index(index, size, fill_mode):
    """Integer positions brought into ``[0, size)``, and where they were inside."""
    inside = (index >= 0) & (index < size)
    if fill_mode == "reflect":
        folded = np.mod(index, 2 * size)
        return np.where(folded >= size, 2 * size - 1 - folded, folded), inside
    if fill_mode == "wrap":
        return np.mod(index, size), inside
    return np.clip(index, 0, size - 1), inside          # "nearest", and "constant" (masked)


def _source_points(transforms, height, width):
    """Input ``(x, y)`` read by each output pixel, (N, H, W) each, in float64."""
    transforms = np.asarray(transforms, dtype=np.float64).reshape(-1, 8)
    rows, columns = np.meshgrid(np.arange(height, dtype=np.float64),
                                np.arange(width, dtype=np.float64), indexing="ij")
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, None, None] for t in transforms.T)
    k = c0 * columns + c1 * rows + 1.0
    return (a0 * columns + a1 * rows + a2) / k, (b0 * columns + b1 * rows + b2) / k


def affine_transform(images, transforms, interpolation="bilinear", fill_mode="constant",
                     fill_value=0.0):
    """Resample (N, H, W, C) ``images`` with one transform per image (see the module).

    Args:
        images: a tensor or array (N, height, width, channels).
        transforms: (N, 8) or (8,) numbers (one transform for all).
        interpolation: "bilinear" or "nearest".
        fill_mode: "reflect", "wrap", "nearest" or "constant".
        fill_value: the value read outside the image with "constant".

    Example:
        >>> from ndgrad.nn.affine_sampling import affine_transform
        >>> from ndgrad.nn.affine_sampling import translation_transforms
        >>> import numpy as np, ndgrad
        >>> shift = translation_transforms(np.array([1.0]), np.array([0.0]))
        >>> image = ndgrad.tensor([[[[1.0], [2.0], [3.0]]]])
        >>> affine_transform(image, shift, fill_mode="constant")[0, 0, :, 0].tolist()
        [0.0, 1.0, 2.0]
    """
    if interpolation not in INTERPOLATIONS:
        raise NotImplementedError(f"affine_transform: interpolation={interpolation!r} is not "
                                  f"supported; use one of {INTERPOLATIONS}")
    if fill_mode not in FILL_MODES:
        raise NotImplementedError(f"affine_transform: fill_mode={fill_mode!r} is not "
                                  f"supported; use one of {FILL_MODES}")
    images = images if isinstance(images, Tensor) else Tensor(np.asarray(images))
    count, height, width, channels = images.shape
    transforms = np.asarray(transforms, dtype=np.float64)
    if transforms.ndim == 1:
        transforms = np.broadcast_to(transforms, (count, 8))
    if transforms.shape != (count, 8):
        raise ValueError(f"affine_transform: expected {count} transforms of 8 numbers for "
                         f"{count} images, got an array of shape {transforms.shape}")
    x_in, y_in = _source_points(transforms, height, width)
    if interpolation == "nearest":
        corners = [(np.floor(y_in + 0.5), np.floor(x_in + 0.5), np.ones_like(x_in))]
    else:
        x0, y0 = np.floor(x_in), np.floor(y_in)
        fx, fy = x_in - x0, y_in - y0
        corners = [(y0, x0, (1 - fy) * (1 - fx)), (y0, x0 + 1, (1 - fy) * fx),
                   (y0 + 1, x0, fy * (1 - fx)), (y0 + 1, x0 + 1, fy * fx)]
    batch = np.arange(count)[:, None, None]
    indices, weights, outside = [], [], 0.0
    for rows, columns, weight in corners:
        rows, inside_rows = _fill_index(rows.astype(np.int64), height, fill_mode)
        columns, inside_columns = _fill_index(columns.astype(np.int64), width, fill_mode)
        if fill_mode == "constant":
            inside = inside_rows & inside_columns
            outside = outside + np.where(inside, 0.0, weight)
            weight = np.where(inside, weight, 0.0)
        indices.append(((batch * height + rows) * width + columns).ravel())
        weights.append(weight)
    dtype = images.dtype
    flat = images.reshape(count * height * width, channels)
    gathered = ops.take(flat, np.concatenate(indices), axis=0)
    gathered = gathered.reshape(len(corners), count, height, width, channels)
    weights = np.stack(weights)[..., None].astype(dtype)
    out = (gathered * weights).sum(axis=0)
    if fill_mode == "constant" and fill_value != 0:
        out = out + (np.asarray(outside)[..., None] * fill_value).astype(dtype)
    return out


def _pack(a0, a1, a2, b0, b1, b2):
    zeros = np.zeros_like(a0)
    return np.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=-1)


def rotation_transforms(angles, height, width):
    """Transforms that rotate each image by ``angles`` (radians; positive is
    counter-clockwise on screen) about its centre.

    Example:
        >>> import numpy as np
        >>> from ndgrad.nn.affine_sampling import rotation_transforms
        >>> rotation_transforms(np.array([0.0]), 3, 3).tolist()
        [[1.0, -0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]]
    """
    angles = np.asarray(angles, dtype=np.float64)
    cos, sin = np.cos(angles), np.sin(angles)
    cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
    return _pack(cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos)


def zoom_transforms(width_zoom, height_zoom, height, width):
    """Transforms that scale the sampling grid about the centre: a zoom above 1
    reads a larger area (the image looks smaller: zoomed out).

    Example:
        >>> import numpy as np
        >>> from ndgrad.nn.affine_sampling import zoom_transforms
        >>> zoom_transforms(np.array([2.0]), np.array([1.0]), 3, 3)[0, :3].tolist()
        [2.0, 0.0, -1.0]
    """
    width_zoom = np.asarray(width_zoom, dtype=np.float64)
    height_zoom = np.asarray(height_zoom, dtype=np.float64)
    zeros = np.zeros_like(width_zoom)
    return _pack(width_zoom, zeros, (width - 1) / 2.0 * (1 - width_zoom), zeros, height_zoom,
                 (height - 1) / 2.0 * (1 - height_zoom))


def translation_transforms(dx, dy):
    """Transforms that move each image right by ``dx`` and down by ``dy`` pixels.

    Example:
        >>> import numpy as np
        >>> from ndgrad.nn.affine_sampling import translation_transforms
        >>> translation_transforms(np.array([2.0]), np.array([-1.0]))[0, :6].tolist()
        [1.0, 0.0, -2.0, 0.0, 1.0, 1.0]
    """
    dx, dy = np.asarray(dx, dtype=np.float64), np.asarray(dy, dtype=np.float64)
    ones, zeros = np.ones_like(dx), np.zeros_like(dx)
    return _pack(ones, zeros, -dx, zeros, ones, -dy)
