"""Dropout: ``nn.Dropout`` (PyTorch) and ``layers.Dropout`` (Keras); the channel
and alpha variants (``nn.Dropout2d``, ...) are in ``dropout_channels``.

Inverted dropout: in training each element is zeroed with probability ``p``
and the survivors are scaled by ``1 / (1 - p)``, so the expected value is
unchanged and inference is the identity. The mask is a boolean array drawn
from ``ndgrad.random.generator()`` (or the layer's own seeded generator), so
``ndgrad.random.seed`` makes it reproducible; the op that applies it is its
own gradient (``g * mask * scale``), so higher orders work.

Example:
    >>> import ndgrad
    >>> layer = ndgrad.nn.Dropout(0.5)
    >>> layer.eval()(ndgrad.ones(3)).tolist()
    [1.0, 1.0, 1.0]
"""

import numpy as np

from .. import random
from ..autograd.primitive import primitive
from ..errors import shape_error
from ..tensor import Tensor
from .module import Module, keras_exports

__all__ = ["Dropout"]
FUNCTIONAL = ["dropout"]


@primitive(name="dropout", reads=())
def _apply_mask(x, mask, scale):
    x = np.asarray(x)
    out = np.multiply(x, mask, dtype=x.dtype if x.dtype.kind == "f" else np.float32)
    if scale != 1.0:
        out *= scale
    return out


@_apply_mask.defvjp
def _apply_mask_vjp(g, out, x, mask, scale):
    return _apply_mask(g, mask=mask, scale=scale)


def _check_rate(name, p):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name}: the dropout probability must be in [0, 1], got {p}")
    return float(p)


def dropout(x, p=0.5, training=True, noise_shape=None, generator=None):
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``;
    the identity when not ``training`` or ``p == 0``.

    Args:
        x: the input tensor.
        p: the probability of zeroing an element, in [0, 1].
        training: apply dropout (False returns ``x`` as it is).
        noise_shape: the mask's shape, broadcast against ``x`` (Keras's
            ``noise_shape``: (N, 1, C) drops the same features at every step).
        generator: a NumPy ``Generator`` (default: ``ndgrad.random.generator()``).

    Example:
        >>> from ndgrad.nn.functional import dropout
        >>> import ndgrad
        >>> ndgrad.random.seed(0)
        >>> dropout(ndgrad.ones(4), 0.5).tolist()
        [2.0, 2.0, 2.0, 0.0]
    """
    p = _check_rate("dropout", p)
    if not isinstance(x, Tensor):
        x = Tensor(x)
    if not training or p == 0.0:
        return x
    shape = x.shape if noise_shape is None else tuple(noise_shape)
    try:
        np.broadcast_shapes(shape, x.shape)
        if len(shape) > x.ndim:
            raise ValueError
    except ValueError:
        raise shape_error("dropout", [x], f"noise_shape {shape} does not broadcast against the "
                          "input; use 1 where the mask is shared") from None
    if p == 1.0:
        return _apply_mask(x, mask=np.zeros(shape, bool), scale=0.0)
    keep = (generator or random.generator()).random(shape, dtype=np.float32) >= p
    return _apply_mask(x, mask=keep, scale=1.0 / (1.0 - p))


class Dropout(Module):
    """Inverted dropout, as ``torch.nn.Dropout``: active in training mode only.

    Args:
        p: the probability of zeroing an element (0.5).
        inplace: accepted for compatibility; the result is always a new tensor.

    Example:
        >>> import ndgrad
        >>> ndgrad.random.seed(0)
        >>> ndgrad.nn.Dropout(0.5)(ndgrad.ones(4)).tolist()
        [2.0, 2.0, 2.0, 0.0]
    """

    def __init__(self, p=0.5, inplace=False, name=None):
        super().__init__(name=name)
        self.p = _check_rate("Dropout", p)
        self.inplace = bool(inplace)

    def forward(self, x):
        return dropout(x, self.p, self.training_mode())

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class DropoutKeras(Module):
    """Keras's ``Dropout(rate, noise_shape=None, seed=None)``: active only when
    called with ``training=True`` (or inside a training call such as ``fit``).

    Args:
        rate: the fraction of inputs to drop, in [0, 1].
        noise_shape: the mask's shape including the batch axis; ``None``
            entries take the input's size ((None, 1, None) shares the mask
            over axis 1).
        seed: an integer giving this layer its own reproducible generator.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.Dropout(0.5, seed=1)      # ndgrad.layers.Dropout
        >>> layer(ndgrad.ones(3)).tolist(), layer(ndgrad.ones(4), training=True).tolist()
        ([1.0, 1.0, 1.0], [0.0, 2.0, 2.0, 2.0])
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.training = False
        self.rate = _check_rate("Dropout", rate)
        self.noise_shape = tuple(noise_shape) if noise_shape is not None else None
        self.seed = seed
        self._generator = np.random.default_rng(seed) if seed is not None else None

    def _mask_shape(self, inputs):
        if self.noise_shape is None:
            return None
        if len(self.noise_shape) != inputs.ndim:
            raise shape_error("Dropout", [inputs], f"noise_shape {self.noise_shape} needs one "
                              f"entry per input dimension ({inputs.ndim})")
        return tuple(inputs.shape[i] if n is None else n for i, n in enumerate(self.noise_shape))

    def call(self, inputs, training=None):
        inputs = inputs if isinstance(inputs, Tensor) else Tensor(inputs)
        if not training or self.rate == 0.0:
            return inputs
        return dropout(inputs, self.rate, True, self._mask_shape(inputs), self._generator)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}


KERAS_EXPORTS = keras_exports({"Dropout": DropoutKeras})
