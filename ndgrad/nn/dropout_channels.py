"""Channel and self-normalizing dropout: ``nn.Dropout1d/2d/3d``, ``nn.AlphaDropout``,
``nn.FeatureAlphaDropout`` (PyTorch), ``layers.SpatialDropout1D/2D/3D`` and
``layers.AlphaDropout`` (Keras), and their functional forms.

Channel ("feature") dropout draws one keep/drop decision per (sample, channel)
and applies it to the whole feature map: the mask has shape (N, C, 1, ..., 1).
The functional forms follow PyTorch 2.13 shape by shape, including its
historical readings: ``dropout2d`` on a 3-D input treats it as (N, C, L), and on
any rank but 3 or 4 it warns and still runs, so on a 2-D (batch, features)
input (as pytorch/examples' mnist_rnn does) every element is its own channel,
which is plain element dropout; ``dropout3d`` adds a batch axis to a rank other
than 5 before drawing; ``dropout1d`` takes only 2-D (C, L) and 3-D inputs.

Alpha dropout keeps the mean and variance of SELU activations: a dropped
value becomes SELU's negative saturation ``-alpha' = -1.7581``, then
``a * x + b`` restores zero mean and unit variance, with
``a = ((1 - p) * (1 + p * alpha'^2)) ** -0.5`` and ``b = a * alpha' * p``.

Example:
    >>> import ndgrad
    >>> ndgrad.random.seed(0)
    >>> out = ndgrad.nn.Dropout2d(0.5)(ndgrad.ones((1, 4, 2, 2)))
    >>> [sorted(set(channel.ravel().tolist())) for channel in out.numpy()[0]]
    [[2.0], [2.0], [2.0], [0.0]]
"""

import numpy as np

from .. import random
from ..errors import shape_error
from ..tensor import Tensor
from .losses import _warn_user
from .module import Module, keras_exports
from .regularization import DropoutKeras, _apply_mask, _check_rate

__all__ = ["Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"]
FUNCTIONAL = ["dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"]

# SELU's negative saturation, -scale * alpha.
SELU_SATURATION = 1.7580993408473766


def _dropped(name, x, p, training, mask_shape, alpha, generator):
    """``x`` with a mask of ``mask_shape`` applied (alpha dropout when ``alpha``)."""
    if not training or p == 0.0 or x.size == 0:
        return x
    if p == 1.0:            # PyTorch: zeros, also for alpha dropout
        return _apply_mask(x, mask=np.zeros(mask_shape, bool), scale=0.0)
    keep = (generator or random.generator()).random(mask_shape, dtype=np.float32) >= p
    if not alpha:
        return _apply_mask(x, mask=keep, scale=1.0 / (1.0 - p))
    a = 1.0 / np.sqrt((SELU_SATURATION ** 2 * p + 1.0) * (1.0 - p))
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    shift = (SELU_SATURATION * a * (keep - 1.0 + p)).astype(dtype)
    return _apply_mask(x, mask=keep, scale=float(a)) + shift


def _feature_shape(name, x):
    if x.ndim < 2:
        raise shape_error(name, [x], "feature dropout needs at least 2 dimensions (N, C, ...); "
                          "use dropout for a 1-D input")
    return tuple(x.shape[:2]) + (1,) * (x.ndim - 2)


def _feature_dropout(name, x, p, training, alpha=False, generator=None):
    p = _check_rate(name, p)
    x = x if isinstance(x, Tensor) else Tensor(x)
    if not training or p == 0.0:
        return x
    return _dropped(name, x, p, training, _feature_shape(name, x), alpha, generator)


def _warn_rank(name, x, ranks, spatial):
    if x.ndim not in ranks:
        _warn_user(f"{name}: received a {x.ndim}-D input; PyTorch deprecates this (channel "
                   f"dropout is for inputs with {spatial} spatial dimension(s), a channel "
                   f"dimension and an optional batch dimension, i.e. "
                   f"{' or '.join(f'{r}-D' for r in ranks)}). Dropping as PyTorch does; use "
                   "dropout for element-wise dropout.")


def dropout1d(input, p=0.5, training=True, inplace=False, *, generator=None):
    """Zero whole channels of (N, C, L) (or unbatched (C, L)) inputs with probability
    ``p`` and scale the rest by ``1 / (1 - p)``, as ``torch.nn.functional.dropout1d``;
    ``inplace`` is accepted, the result is a new tensor.

    Example:
        >>> from ndgrad.nn.functional import dropout1d
        >>> import ndgrad
        >>> dropout1d(ndgrad.ones((2, 3)), 0.5, training=False).shape
        (2, 3)
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    if x.ndim not in (2, 3):
        raise shape_error("dropout1d", [x], "expected a 2-D (C, L) or 3-D (N, C, L) input")
    if not training or _check_rate("dropout1d", p) == 0.0:
        return x
    if x.ndim == 2:
        return _feature_dropout("dropout1d", x[None], p, training, generator=generator)[0]
    return _feature_dropout("dropout1d", x, p, training, generator=generator)


def dropout2d(input, p=0.5, training=True, inplace=False, *, generator=None):
    """Zero whole channels of (N, C, H, W) inputs with probability ``p``, as
    ``torch.nn.functional.dropout2d`` (a 3-D input is read as (N, C, L); any other
    rank warns, as PyTorch 2.13 does, and drops per (dim 0, dim 1) entry, so a
    2-D input gets element-wise dropout).

    Example:
        >>> from ndgrad.nn.functional import dropout2d
        >>> import ndgrad
        >>> out = dropout2d(ndgrad.ones((1, 8, 2, 2)), 0.5)
        >>> sorted({float(v) for v in out.numpy().reshape(8, 4).std(axis=1)})
        [0.0]
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    _check_rate("dropout2d", p)
    _warn_rank("dropout2d", x, (3, 4), 2)
    if x.ndim == 3:
        _warn_user("dropout2d: received a 3-D input; reading it as (N, C, L) and dropping whole "
                   "channels, as PyTorch 2.13 does (a later PyTorch reads it as an unbatched "
                   "(C, H, W)); use dropout1d for this behaviour without the warning.")
    return _feature_dropout("dropout2d", x, p, training, generator=generator)


def dropout3d(input, p=0.5, training=True, inplace=False, *, generator=None):
    """Zero whole channels of (N, C, D, H, W) (or unbatched (C, D, H, W)) inputs with
    probability ``p``, as ``torch.nn.functional.dropout3d``; other ranks warn and are
    read as unbatched, as PyTorch 2.13 does.

    Example:
        >>> from ndgrad.nn.functional import dropout3d
        >>> import ndgrad
        >>> dropout3d(ndgrad.ones((2, 3, 1, 2, 2)), training=False).shape
        (2, 3, 1, 2, 2)
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    _check_rate("dropout3d", p)
    _warn_rank("dropout3d", x, (4, 5), 3)
    if not training or p == 0.0 or x.ndim == 5:
        return _feature_dropout("dropout3d", x, p, training, generator=generator)
    return _feature_dropout("dropout3d", x[None], p, training, generator=generator)[0]


def alpha_dropout(input, p=0.5, training=False, inplace=False, *, generator=None):
    """Alpha dropout for SELU networks, as ``torch.nn.functional.alpha_dropout``
    (note PyTorch's default ``training=False``): dropped elements take SELU's
    saturation value and an affine map keeps zero mean and unit variance.

    Example:
        >>> from ndgrad.nn.functional import alpha_dropout
        >>> import ndgrad
        >>> ndgrad.random.seed(0)
        >>> [round(v, 4) for v in alpha_dropout(ndgrad.ones(3), 0.5, training=True).tolist()]
        [1.6656, 1.6656, 1.6656]
    """
    p = _check_rate("alpha_dropout", p)
    x = input if isinstance(input, Tensor) else Tensor(input)
    return _dropped("alpha_dropout", x, p, training, tuple(x.shape), True, generator)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False, *, generator=None):
    """Alpha dropout of whole channels of (N, C, ...) inputs, as
    ``torch.nn.functional.feature_alpha_dropout`` (default ``training=False``).

    Example:
        >>> from ndgrad.nn.functional import feature_alpha_dropout
        >>> import ndgrad
        >>> feature_alpha_dropout(ndgrad.ones((2, 3, 4)), 0.5).shape
        (2, 3, 4)
    """
    return _feature_dropout("feature_alpha_dropout", input, p, training, alpha=True,
                            generator=generator)


class _DropoutNd(Module):
    """A dropout module: ``p`` and PyTorch's ``inplace`` (accepted; results are new tensors)."""

    _function = None

    def __init__(self, p=0.5, inplace=False, name=None):
        super().__init__(name=name)
        self.p = _check_rate(type(self).__name__, p)
        self.inplace = bool(inplace)

    def forward(self, input):
        return type(self)._function(input, self.p, self.training_mode())

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """Channel dropout of (N, C, L) or (C, L) inputs, as ``torch.nn.Dropout1d``.

    Args:
        p (float, default 0.5): the probability of zeroing a channel, in [0, 1]; the
            kept ones are scaled by ``1 / (1 - p)``. Training mode only.
        inplace (bool, default False): accepted for PyTorch code; the result is always a
            new tensor.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.Dropout1d(0.3).eval()(ndgrad.ones((2, 3))).tolist()
        [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """

    _function = staticmethod(dropout1d)


class Dropout2d(_DropoutNd):
    """Channel dropout, as ``torch.nn.Dropout2d``: whole feature maps of
    (N, C, H, W) inputs are zeroed with probability ``p``. Other ranks behave as
    :func:`dropout2d` says (a 2-D input: a warning and element-wise dropout).

    Args:
        p (float, default 0.5): the probability of zeroing a feature map, in [0, 1]; the
            kept ones are scaled by ``1 / (1 - p)``. Training mode only.
        inplace (bool, default False): accepted for PyTorch code; the result is always a
            new tensor.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.Dropout2d(0.3).eval()(ndgrad.ones((1, 2, 1, 1))).tolist()
        [[[[1.0]], [[1.0]]]]
    """

    _function = staticmethod(dropout2d)


class Dropout3d(_DropoutNd):
    """Channel dropout of (N, C, D, H, W) or (C, D, H, W) inputs, as ``torch.nn.Dropout3d``.

    Args:
        p (float, default 0.5): the probability of zeroing a channel, in [0, 1]; the
            kept ones are scaled by ``1 / (1 - p)``. Training mode only.
        inplace (bool, default False): accepted for PyTorch code; the result is always a
            new tensor.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.Dropout3d()(ndgrad.ones((1, 2, 1, 1, 1))).shape
        (1, 2, 1, 1, 1)
    """

    _function = staticmethod(dropout3d)


class AlphaDropout(_DropoutNd):
    """Alpha dropout for SELU networks, as ``torch.nn.AlphaDropout``: active in
    training mode only.

    Args:
        p (float, default 0.5): the probability of dropping an element, in [0, 1];
            dropped elements take SELU's negative saturation value and the result is
            rescaled to keep the mean and variance.
        inplace (bool, default False): accepted for PyTorch code; the result is always a
            new tensor.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.AlphaDropout(0.2)
        AlphaDropout(p=0.2, inplace=False)
    """

    _function = staticmethod(alpha_dropout)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels, as ``torch.nn.FeatureAlphaDropout``.

    Args:
        p (float, default 0.5): the probability of dropping a whole channel, in [0, 1],
            with alpha dropout's values and rescaling.
        inplace (bool, default False): accepted for PyTorch code; the result is always a
            new tensor.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.FeatureAlphaDropout(0.2).eval()(ndgrad.ones((1, 2, 3))).shape
        (1, 2, 3)
    """

    _function = staticmethod(feature_alpha_dropout)


# ---------------------------------------------------------------- Keras face
class _SpatialDropoutKeras(DropoutKeras):
    """Keras's spatial dropout: one decision per (sample, channel), channels last."""

    _rank = 4

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = data_format or "channels_last"
        if self.data_format not in ("channels_last", "channels_first"):
            raise ValueError(f"{type(self).__name__}: data_format must be 'channels_last' or "
                             f"'channels_first', got {data_format!r}")

    def _mask_shape(self, inputs):
        if inputs.ndim != self._rank:
            raise shape_error(type(self).__name__, [inputs],
                              f"expected a {self._rank}-D input, got {inputs.ndim}-D")
        shape = list(inputs.shape)
        channel = 1 if self.data_format == "channels_first" else self._rank - 1
        return tuple(n if axis in (0, channel) else 1 for axis, n in enumerate(shape))

    def get_config(self):
        config = {**super().get_config(), "data_format": self.data_format}
        config.pop("noise_shape", None)
        return config


class SpatialDropout1DKeras(_SpatialDropoutKeras):
    """Keras's ``SpatialDropout1D(rate, seed=None)``: drops whole channels of (N, L, C).

    Args:
        rate (float): the fraction of channels dropped, in [0, 1]; the kept ones are
            scaled by ``1 / (1 - rate)``. Only when called with ``training=True``.
        seed (int or None, default None): gives the layer its own reproducible generator.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> out = layers.SpatialDropout1D(0.5, seed=0)(ndgrad.ones((1, 3, 4)), training=True)
        >>> float(out.numpy().std(axis=1).max())     # each channel all kept or all dropped
        0.0
    """

    _rank = 3

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)


class SpatialDropout2DKeras(_SpatialDropoutKeras):
    """Keras's ``SpatialDropout2D(rate, data_format=None, seed=None)`` over (N, H, W, C).

    Args:
        rate (float): the fraction of channels dropped, in [0, 1]; the kept ones are
            scaled by ``1 / (1 - rate)``. Only when called with ``training=True``.
        data_format (str, default "channels_last"): "channels_last" for (N, H, W, C),
            "channels_first" for (N, C, H, W).
        seed (int or None, default None): gives the layer its own reproducible generator.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.SpatialDropout2D(0.5)(ndgrad.ones((1, 2, 2, 3))).shape
        (1, 2, 2, 3)
    """


class SpatialDropout3DKeras(_SpatialDropoutKeras):
    """Keras's ``SpatialDropout3D(rate, data_format=None, seed=None)`` over (N, D, H, W, C).

    Args:
        rate (float): the fraction of channels dropped, in [0, 1]; the kept ones are
            scaled by ``1 / (1 - rate)``. Only when called with ``training=True``.
        data_format (str, default "channels_last"): "channels_last" for
            (N, D, H, W, C), "channels_first" for (N, C, D, H, W).
        seed (int or None, default None): gives the layer its own reproducible generator.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.SpatialDropout3D(0.5)(ndgrad.ones((1, 2, 2, 2, 3))).shape
        (1, 2, 2, 2, 3)
    """

    _rank = 5


class AlphaDropoutKeras(DropoutKeras):
    """Keras's ``AlphaDropout(rate, noise_shape=None, seed=None)``: alpha dropout
    (the same map as ``nn.AlphaDropout``), active only when ``training``.

    Args:
        rate (float): the fraction of elements dropped, in [0, 1].
        noise_shape (tuple or None, default None): the shape of the drop mask, broadcast
            to the input's (1 on an axis shares one decision along it); None: the input's.
        seed (int or None, default None): gives the layer its own reproducible generator.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.AlphaDropout(0.5)(ndgrad.ones(3)).tolist()
        [1.0, 1.0, 1.0]
    """

    def call(self, inputs, training=None):
        inputs = inputs if isinstance(inputs, Tensor) else Tensor(inputs)
        if not training or self.rate == 0.0:
            return inputs
        shape = self._mask_shape(inputs) or tuple(inputs.shape)
        return _dropped("AlphaDropout", inputs, self.rate, True, shape, True, self._generator)


KERAS_EXPORTS = keras_exports({"SpatialDropout1D": SpatialDropout1DKeras,
                               "SpatialDropout2D": SpatialDropout2DKeras,
                               "SpatialDropout3D": SpatialDropout3DKeras,
                               "AlphaDropout": AlphaDropoutKeras})
