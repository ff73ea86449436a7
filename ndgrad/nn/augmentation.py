"""Random image augmentation layers (Keras's ``RandomFlip``, ``RandomCrop``,
``RandomContrast``, ``RandomBrightness``; the geometric ones are in
:mod:`ndgrad.nn.augmentation_affine`).

Each layer draws one transformation per image of the batch (``RandomCrop``
one crop position per batch, as Keras) when it runs in training mode, and
passes images through in inference (``RandomCrop`` then cuts the centred
window of the target's aspect ratio and resizes it, so both modes give the
same shape). As in Keras 3, whose ``call(..., training=True)`` defaults to
training: inside a model they augment in ``fit`` and not in ``evaluate`` /
``predict`` (``model(x, training=False)``), and called on their own (in a
``dataset.map``, say) they augment unless given ``training=False``. The draws
come from the layer's own generator when ``seed`` is given (an int, or a
``keras.random.SeedGenerator``): reproducible, different at every call; else
from ndgrad's generator (``keras.utils.set_random_seed`` makes that
reproducible). Inputs are cast to float32; outputs are differentiable in the
pixels. Images are (height, width, channels) or batches of them; pass
``data_format="channels_first"`` for (N, channels, height, width).

Example:
    >>> import numpy as np, ndgrad
    >>> flip = ndgrad.layers.RandomFlip("horizontal", seed=0)
    >>> image = np.array([[[1.0], [2.0]]])              # one row, two pixels
    >>> flip(image, training=False).numpy().ravel().tolist()
    [1.0, 2.0]
    >>> sorted({tuple(flip(image).numpy().ravel().tolist()) for _ in range(20)})
    [(1.0, 2.0), (2.0, 1.0)]
"""

import numbers

import numpy as np

from .. import ops
from .. import random as _random
from ..ops.convolution_geometry import channels_last_flag
from ..tensor import Tensor
from .image_resizing import _check_size, image_axes, resize_images
from .module import Module, keras_exports

__all__ = ["RandomImageLayer", "factor_range"]


def factor_range(factor, owner, label="factor", low=-1.0, high=1.0):
    """``(lower, upper)`` from Keras's ``factor``: a number ``f`` means ``(-f, f)``,
    a pair is sorted; every value must lie in ``[low, high]``.

    Example:
        >>> from ndgrad.nn.augmentation import factor_range
        >>> factor_range(0.2, "RandomRotation"), factor_range((0.3, -0.1), "RandomZoom")
        ((-0.2, 0.2), (-0.1, 0.3))
    """
    if isinstance(factor, numbers.Real) and not isinstance(factor, bool):
        values = (-abs(float(factor)), abs(float(factor)))
    elif isinstance(factor, (tuple, list)) and len(factor) == 2 and all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in factor):
        values = tuple(sorted(float(v) for v in factor))
    else:
        raise ValueError(f"{owner}: {label} must be a number or a pair (lower, upper); got "
                         f"{factor!r}")
    if not all(low <= v <= high for v in values):
        raise ValueError(f"{owner}: {label}={factor!r} is out of range; each bound must be in "
                         f"[{low}, {high}]")
    return values


def _generator(seed, owner):
    """The layer's own generator: None (ndgrad's, at each call), from an int, or a
    SeedGenerator's."""
    if seed is None:
        return None
    generator = getattr(seed, "generator", None)
    if isinstance(generator, np.random.Generator):
        return generator
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{owner}: seed must be None, an int or a keras.random.SeedGenerator; "
                        f"got {type(seed).__name__}")
    return np.random.default_rng(int(seed))


class RandomImageLayer(Module):
    """Base of the augmentation layers: casting, batching, layout, the training
    switch and the seeded generator. Subclasses define ``augment(images, rng)``
    on (N, H, W, C) float images, and ``infer(images)`` if inference is not the
    identity.

    Example:
        >>> from ndgrad.nn.augmentation import RandomImageLayer
        >>> import numpy as np
        >>> class Negate(RandomImageLayer):
        ...     def augment(self, images, rng):
        ...         return -images
        >>> Negate()(np.ones((1, 1, 1)), training=True).numpy().ravel().tolist()
        [-1.0]
    """

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self._generator = _generator(seed, type(self).__name__)
        self.seed = getattr(seed, "seed", seed)
        self.data_format = data_format or "channels_last"
        self._channels_last = channels_last_flag(self.data_format, type(self).__name__)

    def rng(self):
        """The generator the next draws come from."""
        return self._generator if self._generator is not None else _random.generator()

    def call(self, inputs, training=None):
        images = inputs if isinstance(inputs, Tensor) else Tensor(np.asarray(inputs))
        if images.dtype != self.dtype:
            images = images.astype(self.dtype)
        image_axes(images, self._channels_last, type(self).__name__)
        single = images.ndim == 3
        batch = images[None] if single else images
        if not self._channels_last:
            batch = batch.transpose(0, 2, 3, 1)
        out = self.augment(batch, self.rng()) if training else self.infer(batch)
        if not self._channels_last:
            out = out.transpose(0, 3, 1, 2)
        return out[0] if single else out

    def augment(self, images, rng):
        """The random transformation of (N, H, W, C) images (override)."""
        raise NotImplementedError

    def infer(self, images):
        """What inference does to (N, H, W, C) images (default: nothing)."""
        return images

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "data_format": self.data_format}


_FLIP_MODES = ("horizontal", "vertical", "horizontal_and_vertical")


class RandomFlipKeras(RandomImageLayer):
    """Keras's ``RandomFlip``: each image flipped with probability 1/2, left-right
    ("horizontal"), upside down ("vertical") or both at once
    ("horizontal_and_vertical", the default).

    Args:
        mode (str, default "horizontal_and_vertical"): "horizontal" (left-right),
            "vertical" (upside down) or "horizontal_and_vertical" (both at once).
        seed (int or None, default None): gives the layer its own reproducible generator.
        data_format (str, default "channels_last"): "channels_last" for (N, H, W, C),
            "channels_first" for (N, C, H, W).

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layers.RandomFlip("vertical")(np.zeros((4, 2, 2, 3)), training=True).shape
        (4, 2, 2, 3)
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        if mode not in _FLIP_MODES:
            raise ValueError(f"RandomFlip: mode must be one of {_FLIP_MODES}; got {mode!r}")
        super().__init__(seed, data_format, **kwargs)
        self.mode = mode

    def augment(self, images, rng):
        flips = (rng.random(images.shape[0]) <= 0.5)[:, None, None, None]
        out = images
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            out = ops.where(flips, ops.flip(out, axis=2), out)
        if self.mode in ("vertical", "horizontal_and_vertical"):
            out = ops.where(flips, ops.flip(out, axis=1), out)
        return out


class RandomCropKeras(RandomImageLayer):
    """Keras's ``RandomCrop``: in training, a ``height x width`` window at one random
    position for the whole batch; in inference (or when the images are not
    larger than the target), the centred window of the target's aspect ratio,
    resized to ``height x width``.

    Args:
        height, width (int): the output's size; positive.
        seed (int or None, default None): gives the layer its own reproducible generator.
        data_format (str, default "channels_last"): "channels_last" for (N, H, W, C),
            "channels_first" for (N, C, H, W).

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layer = layers.RandomCrop(2, 2, seed=1)
        >>> layer(np.zeros((3, 5, 5, 1))).shape, layer(np.zeros((5, 5, 1)), training=False).shape
        ((3, 2, 2, 1), (2, 2, 1))
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed, data_format, **kwargs)
        self.height, self.width = _check_size("RandomCrop", height, width)

    def augment(self, images, rng):
        height, width = images.shape[1], images.shape[2]
        if height <= self.height or width <= self.width:
            return self.infer(images)
        top = int(rng.integers(0, height - self.height + 1))
        left = int(rng.integers(0, width - self.width + 1))
        return images[:, top:top + self.height, left:left + self.width, :]

    def infer(self, images):
        return resize_images(images, (self.height, self.width), "bilinear", True,
                             dtype=self.dtype, owner="RandomCrop")


def _value_range(value_range, owner):
    if not (isinstance(value_range, (tuple, list)) and len(value_range) == 2
            and value_range[0] < value_range[1]):
        raise ValueError(f"{owner}: value_range must be (low, high) with low < high; got "
                         f"{value_range!r}")
    return float(value_range[0]), float(value_range[1])


class RandomContrastKeras(RandomImageLayer):
    """Keras's ``RandomContrast``: each image's channels stretched about their mean,
    ``(x - mean) * c + mean`` with ``c`` drawn from ``[1 - lower, 1 + upper]``,
    then clipped to ``value_range``.

    Args:
        factor: ``f`` (``[1 - f, 1 + f]``) or ``(lower, upper)``, in [0, 1].
        value_range: the pixel range, (0, 255) by default.

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layer = layers.RandomContrast(0.5, value_range=(0, 1), seed=0)
        >>> out = layer(np.array([[[0.25], [0.75]]]), training=True).numpy().ravel()
        >>> bool(np.isclose(out.mean(), 0.5)), bool(out[0] <= 0.5 <= out[1])
        (True, True)
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed, **kwargs)
        if isinstance(factor, numbers.Real) and not isinstance(factor, bool):
            bounds = (float(factor), float(factor))
        elif isinstance(factor, (tuple, list)) and len(factor) == 2:
            bounds = (float(factor[0]), float(factor[1]))
        else:
            raise ValueError(f"RandomContrast: factor must be a number or (lower, upper); got "
                             f"{factor!r}")
        if not all(0.0 <= bound <= 1.0 for bound in bounds):
            raise ValueError(f"RandomContrast: factor={factor!r} must lie in [0, 1] (the "
                             "contrast is drawn from [1 - lower, 1 + upper])")
        self.factor = factor
        self._bounds = bounds
        self.value_range = _value_range(value_range, "RandomContrast")

    def augment(self, images, rng):
        low, high = 1.0 - self._bounds[0], 1.0 + self._bounds[1]
        contrast = rng.uniform(low, high, images.shape[0]).astype(self.dtype)[:, None, None, None]
        mean = ops.mean(images, axis=(1, 2), keepdims=True)
        return ops.clip((images - mean) * contrast + mean, *self.value_range)


class RandomBrightnessKeras(RandomImageLayer):
    """Keras's ``RandomBrightness``: a random amount, ``u * (high - low)`` with ``u``
    drawn from ``[lower, upper]``, added to each image, then clipped to
    ``value_range = (low, high)``.

    Args:
        factor: ``f`` (``[-f, f]``) or ``(lower, upper)``, in [-1, 1].
        value_range: the pixel range, (0, 255) by default.
        seed: an int giving the layer its own reproducible generator (default None:
            ndgrad's global one).

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layer = layers.RandomBrightness((0.5, 0.5), value_range=(0, 1))
        >>> layer(np.array([[[0.2], [0.7]]]), training=True).numpy().ravel().tolist()
        [0.699999988079071, 1.0]
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed, **kwargs)
        self.factor = factor
        self._bounds = factor_range(factor, "RandomBrightness")
        self.value_range = _value_range(value_range, "RandomBrightness")

    def augment(self, images, rng):
        low, high = self.value_range
        delta = rng.uniform(*self._bounds, images.shape[0]) * (high - low)
        return ops.clip(images + delta.astype(self.dtype)[:, None, None, None], low, high)


KERAS_EXPORTS = keras_exports({"RandomFlip": RandomFlipKeras, "RandomCrop": RandomCropKeras,
                               "RandomContrast": RandomContrastKeras,
                               "RandomBrightness": RandomBrightnessKeras})
