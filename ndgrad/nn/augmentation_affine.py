"""Random geometric augmentation in training mode: Keras's ``RandomRotation``,
``RandomZoom`` and ``RandomTranslation``.

Each draws one transformation per image and resamples the batch with
:func:`~ndgrad.nn.affine_sampling.affine_transform` (``interpolation``
"bilinear" or "nearest"; ``fill_mode`` "reflect" by default, "wrap",
"nearest" or "constant" with ``fill_value``). Seeds, the training switch and
layouts are those of :class:`~ndgrad.nn.augmentation.RandomImageLayer`.

Example:
    >>> import numpy as np, ndgrad
    >>> layer = ndgrad.layers.RandomRotation(0.1, seed=3)
    >>> images = np.random.default_rng(0).random((2, 8, 8, 3))
    >>> layer(images).shape, bool(np.allclose(layer(images).numpy(), images))
    ((2, 8, 8, 3), False)
    >>> bool(np.allclose(layer(images, training=False).numpy(), images))
    True
"""

import math

from .affine_sampling import (FILL_MODES, INTERPOLATIONS, affine_transform,
                              rotation_transforms, translation_transforms, zoom_transforms)
from .augmentation import RandomImageLayer, factor_range
from .module import keras_exports

__all__ = []


class _AffineLayer(RandomImageLayer):
    """The shared options of the geometric layers."""

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        owner = type(self).__name__
        if fill_mode not in FILL_MODES:
            raise NotImplementedError(f"{owner}: fill_mode={fill_mode!r} is not supported; use "
                                      f"one of {FILL_MODES}")
        if interpolation not in INTERPOLATIONS:
            raise NotImplementedError(f"{owner}: interpolation={interpolation!r} is not "
                                      f"supported; use one of {INTERPOLATIONS}")
        super().__init__(seed, data_format, **kwargs)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = float(fill_value)

    def transforms(self, count, height, width, rng):
        """(count, 8) transforms for one batch (override)."""
        raise NotImplementedError

    def augment(self, images, rng):
        count, height, width, _ = images.shape
        return affine_transform(images, self.transforms(count, height, width, rng),
                                self.interpolation, self.fill_mode, self.fill_value)


class RandomRotationKeras(_AffineLayer):
    """Keras's ``RandomRotation``: each image rotated about its centre by an angle
    drawn from ``[lower, upper] * 360`` degrees (positive: counter-clockwise).

    Args:
        factor: ``f`` (``[-f, f]`` of a full turn) or ``(lower, upper)``, in [-1, 1].
        fill_mode, interpolation, seed, fill_value, data_format: see the module.

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layer = layers.RandomRotation((0.25, 0.25), interpolation="nearest")
        >>> image = np.arange(4.0).reshape(2, 2, 1)
        >>> layer(image, training=True)[:, :, 0].tolist()     # a quarter turn
        [[1.0, 3.0], [0.0, 2.0]]
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = factor
        self._bounds = factor_range(factor, "RandomRotation")

    def transforms(self, count, height, width, rng):
        turns = rng.uniform(*self._bounds, count)
        return rotation_transforms(turns * 2 * math.pi, height, width)


class RandomZoomKeras(_AffineLayer):
    """Keras's ``RandomZoom``: each image scaled about its centre by ``1 + z``, ``z``
    drawn from ``height_factor`` (and ``width_factor``; None keeps the aspect
    ratio). Positive values zoom out (the image looks smaller), negative ones in.

    Args:
        height_factor: ``f`` (``[-f, f]``) or ``(lower, upper)``, each in (-1, 1].
        width_factor: the same for the width, or None to use the height's draw.
        fill_mode: how points outside the image are filled: "reflect" (default),
            "wrap", "nearest" or "constant".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int giving the layer its own reproducible generator.
        fill_value: the value of "constant" filling (default 0.0).
        data_format: "channels_last" (default) or "channels_first".

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layer = layers.RandomZoom((1.0, 1.0), fill_mode="constant", interpolation="nearest")
        >>> layer(np.arange(1.0, 10.0).reshape(3, 3, 1), training=True)[:, :, 0].tolist()
        [[0.0, 0.0, 0.0], [0.0, 5.0, 0.0], [0.0, 0.0, 0.0]]
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self._height_bounds = self._zoom_range(height_factor, "height_factor")
        self._width_bounds = (None if width_factor is None
                              else self._zoom_range(width_factor, "width_factor"))

    @staticmethod
    def _zoom_range(factor, label):
        bounds = factor_range(factor, "RandomZoom", label)
        if bounds[0] <= -1.0:
            raise ValueError(f"RandomZoom: {label}={factor!r} would zoom by 1 + {bounds[0]} <= 0; "
                             "each bound must be in (-1, 1]")
        return bounds

    def transforms(self, count, height, width, rng):
        height_zoom = 1.0 + rng.uniform(*self._height_bounds, count)
        width_zoom = (height_zoom if self._width_bounds is None
                      else 1.0 + rng.uniform(*self._width_bounds, count))
        return zoom_transforms(width_zoom, height_zoom, height, width)


class RandomTranslationKeras(_AffineLayer):
    """Keras's ``RandomTranslation``: each image shifted by a fraction of its size
    drawn from ``height_factor`` (down when positive) and ``width_factor``
    (right when positive).

    Args:
        height_factor, width_factor: ``f`` (``[-f, f]``) or ``(lower, upper)``, in [-1, 1].
        fill_mode: how points outside the image are filled: "reflect" (default),
            "wrap", "nearest" or "constant".
        interpolation: "bilinear" (default) or "nearest".
        seed: an int giving the layer its own reproducible generator.
        fill_value: the value of "constant" filling (default 0.0).
        data_format: "channels_last" (default) or "channels_first".

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layer = layers.RandomTranslation(0.0, (0.5, 0.5), fill_mode="constant")
        >>> layer(np.array([[[1.0], [2.0]]]), training=True)[:, :, 0].tolist()
        [[0.0, 1.0]]
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self._height_bounds = factor_range(height_factor, "RandomTranslation", "height_factor")
        self._width_bounds = factor_range(width_factor, "RandomTranslation", "width_factor")

    def transforms(self, count, height, width, rng):
        dy = rng.uniform(*self._height_bounds, count) * height
        dx = rng.uniform(*self._width_bounds, count) * width
        return translation_transforms(dx, dy)


KERAS_EXPORTS = keras_exports({"RandomRotation": RandomRotationKeras,
                               "RandomZoom": RandomZoomKeras,
                               "RandomTranslation": RandomTranslationKeras})
