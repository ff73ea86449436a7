"""Value preprocessing layers (Keras's ``layers.Rescaling`` and ``layers.Normalization``).

``Rescaling(scale, offset)`` maps ``x`` to ``x * scale + offset`` (images in
[0, 255] to [0, 1] with ``1 / 255``). ``Normalization`` standardizes features
with a mean and variance given, or learnt from data by ``adapt(data)``:
``(x - mean) / max(sqrt(variance), 1e-7)`` (``invert=True``: the inverse map).
Both cast their input to the layer's dtype (float32), so uint8 images go in
as they are, and both are differentiable in their input.

``adapt`` reads arrays, tensors, a ``tf.data.Dataset`` or any iterable of
batches, one batch at a time, and combines the batch statistics exactly (in
float64), so the result is the mean and population variance of all the data.

Example:
    >>> import numpy as np, ndgrad
    >>> ndgrad.layers.Rescaling(1 / 255)(np.array([[0, 255]], np.uint8)).tolist()
    [[0.0, 1.0]]
    >>> layer = ndgrad.layers.Normalization()
    >>> layer.adapt(np.array([[1.0, 10.0], [3.0, 30.0]]))
    >>> layer(np.array([[2.0, 30.0]])).tolist()
    [[0.0, 1.0]]
"""

import numbers

import numpy as np

from ..autograd.primitive import data_of
from ..tensor import Tensor
from .module import Module, keras_exports

__all__ = []
EPSILON = 1e-7


def _as_layer_dtype(layer, inputs):
    inputs = inputs if isinstance(inputs, Tensor) else Tensor(np.asarray(inputs))
    return inputs if inputs.dtype == layer.dtype else inputs.astype(layer.dtype)


def _plain(value):
    """A scale, offset, mean or variance as JSON (a number or nested lists)."""
    if value is None or isinstance(value, numbers.Number):
        return value
    array = np.asarray(data_of(value))
    return array.item() if array.ndim == 0 else array.tolist()


class RescalingKeras(Module):
    """Keras's ``Rescaling``: ``inputs * scale + offset``, cast to float32.

    Args:
        scale: a number (or one per channel, broadcast against the last axis).
        offset: a number (or one per channel) added after scaling.

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layers.Rescaling(1 / 127.5, offset=-1)(np.array([0, 255], np.uint8)).tolist()
        [-1.0, 1.0]
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset

    def call(self, inputs):
        inputs = _as_layer_dtype(self, inputs)
        scale = np.asarray(data_of(self.scale), dtype=self.dtype)
        offset = np.asarray(data_of(self.offset), dtype=self.dtype)
        return inputs * scale + offset

    def get_config(self):
        return {**super().get_config(), "scale": _plain(self.scale), "offset": _plain(self.offset)}


def _keep_axes(axis, rank, owner):
    """The axes that keep their own statistics, as non-negative ints (batch axis refused)."""
    if axis is None:
        return ()
    axes = (axis,) if isinstance(axis, numbers.Integral) else tuple(axis)
    kept = []
    for item in axes:
        if not -rank <= int(item) < rank:
            raise ValueError(f"{owner}: axis {item} is out of range for inputs of rank {rank}")
        kept.append(int(item) % rank)
    if 0 in kept:
        raise ValueError(f"{owner}: axis 0 is the batch axis, which the statistics are always "
                         "taken over; give the feature axes (default -1)")
    return tuple(sorted(set(kept)))


class NormalizationKeras(Module):
    """Keras's ``Normalization``: ``(x - mean) / max(sqrt(variance), 1e-7)``.

    Args:
        axis: the axis (or axes) that keep a separate mean and variance per
            index (default -1, the features); None for one scalar mean and
            variance. The statistics are taken over every other axis.
        mean, variance: the statistics to use (a number or an array of the
            kept axes' shape); when None, call :meth:`adapt` (until then the
            mean is 0 and the variance 1).
        invert: apply the inverse map, ``mean + x * sqrt(variance)`` (to turn
            normalized predictions back into data units).

    Weights (without ``mean``/``variance``): the non-trainable ``mean``,
    ``variance`` and ``count`` that ``adapt`` sets, saved with the model.

    Example:
        >>> from ndgrad import layers
        >>> import numpy as np
        >>> layer = layers.Normalization(mean=3.0, variance=4.0)   # ndgrad.layers.Normalization
        >>> layer(np.array([[1.0], [5.0]])).tolist()
        [[-1.0], [1.0]]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if (mean is None) != (variance is None):
            raise ValueError(f"Normalization: give both mean and variance, or neither (to "
                             f"adapt); got mean={mean!r}, variance={variance!r}")
        if axis is not None and not isinstance(axis, numbers.Integral):
            axis = tuple(int(a) for a in axis)
        self.axis = axis
        self.invert = bool(invert)
        self._given = None if mean is None else (np.asarray(data_of(mean), np.float64),
                                                 np.asarray(data_of(variance), np.float64))
        self._config_statistics = (_plain(mean), _plain(variance))
        self.adapt_mean = self.adapt_variance = self.count = None

    def build(self, input_shape):
        self._rank = len(input_shape)
        self._kept = _keep_axes(self.axis, self._rank, "Normalization")
        shape = tuple(input_shape[a] for a in self._kept)
        if any(size is None for size in shape):
            raise ValueError(f"Normalization: the kept axes {self._kept} of inputs shaped "
                             f"{tuple(input_shape)} need known sizes")
        self._statistics_shape = shape
        if self._given is None:
            self.adapt_mean = self.add_weight("mean", shape, initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight("variance", shape, initializer="ones",
                                                  trainable=False)
            self.count = self.add_weight("count", (), initializer="zeros", trainable=False,
                                         dtype="int64")

    def _broadcast(self, values):
        """Statistics of the kept axes' shape reshaped to broadcast against the input."""
        shape = [1] * self._rank
        for axis, size in zip(self._kept, self._statistics_shape):
            shape[axis] = size
        values = np.asarray(values, dtype=np.float64)
        if values.ndim == 0:
            return values.reshape([1] * self._rank)
        try:
            return np.broadcast_to(values, self._statistics_shape).reshape(shape)
        except ValueError:
            raise ValueError(f"Normalization: mean/variance of shape {values.shape} do not fit "
                             f"the kept axes {self._kept}, of sizes {self._statistics_shape}") \
                from None

    def _statistics(self):
        if self._given is not None:
            mean, variance = self._given
        else:
            mean, variance = self.adapt_mean.numpy(), self.adapt_variance.numpy()
        return self._broadcast(mean), self._broadcast(variance)

    @property
    def mean(self):
        """The mean in use, shaped to broadcast against the inputs (None before build)."""
        return None if not self.built else Tensor(self._statistics()[0].astype(self.dtype))

    @property
    def variance(self):
        """The variance in use, shaped to broadcast against the inputs (None before build)."""
        return None if not self.built else Tensor(self._statistics()[1].astype(self.dtype))

    def call(self, inputs):
        inputs = _as_layer_dtype(self, inputs)
        if inputs.ndim != self._rank:
            raise ValueError(f"Normalization: built for inputs of rank {self._rank}, got shape "
                             f"{tuple(inputs.shape)}")
        mean, variance = self._statistics()
        spread = np.maximum(np.sqrt(variance), EPSILON).astype(self.dtype)
        mean = mean.astype(self.dtype)
        if self.invert:
            return inputs * spread + mean
        return (inputs - mean) / spread

    def adapt(self, data, batch_size=None, steps=None):
        """Set the mean and variance from ``data``: an array or tensor (its first
        axis indexes samples; ``batch_size`` reads it in parts), a
        ``tf.data.Dataset`` or any iterable of batches of features (at most
        ``steps`` batches).

        Example:
            >>> from ndgrad import layers
            >>> import numpy as np
            >>> layer = layers.Normalization(axis=None)
            >>> layer.adapt(np.array([[0.0, 2.0], [4.0, 6.0]]))
            >>> float(layer.mean.numpy().ravel()[0]), float(layer.variance.numpy().ravel()[0])
            (3.0, 5.0)
        """
        if self._given is not None:
            raise ValueError("Normalization.adapt: this layer was given mean and variance; "
                             "make one without them to adapt")
        from .normalization_adapt import batches_of, running_moments
        total, mean, variance = running_moments(self, batches_of(data, batch_size, steps))
        self.adapt_mean.assign(mean.astype(self.adapt_mean.dtype))
        self.adapt_variance.assign(variance.astype(self.adapt_variance.dtype))
        self.count.assign(np.array(total, np.int64))

    def get_config(self):
        mean, variance = self._config_statistics
        return {**super().get_config(), "axis": self.axis, "mean": mean, "variance": variance,
                "invert": self.invert}


KERAS_EXPORTS = keras_exports({"Rescaling": RescalingKeras, "Normalization": NormalizationKeras})
