"""``Normalization.adapt``: the mean and variance of data read one batch at a time.

Each batch gives its count, mean and population variance over the reduced
axes (every axis but the kept ones); batches are merged with the exact
pairwise rule (Chan, Golub and LeVeque), in float64:

    n = n_a + n_b
    mean = mean_a + (mean_b - mean_a) * n_b / n
    var = (n_a * var_a + n_b * var_b) / n + (mean_b - mean_a)^2 * n_a * n_b / n^2

so the result equals the statistics of all the data at once, whatever the
batch sizes.

Example:
    >>> import numpy as np
    >>> from ndgrad.nn.normalization_adapt import batches_of
    >>> [b.shape for b in batches_of(np.zeros((5, 2)), batch_size=2)]
    [(2, 2), (2, 2), (1, 2)]
"""

import itertools
import numbers

import numpy as np

from ..autograd.primitive import data_of
from ..tensor import Tensor

__all__ = ["batches_of", "running_moments"]


def _features(batch):
    """A batch of features as a float64 array; (x, y) pairs are refused with what to do."""
    if isinstance(batch, (tuple, dict)):
        raise ValueError("Normalization.adapt: the data yields tuples or dicts (such as (x, y) "
                         "pairs); adapt to the features alone, e.g. "
                         "dataset.map(lambda x, y: x)")
    array = np.asarray(data_of(batch) if isinstance(batch, Tensor) else batch)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"Normalization.adapt: expected numbers, got an array of dtype "
                        f"{array.dtype}")
    return array.astype(np.float64, copy=False)


def batches_of(data, batch_size=None, steps=None):
    """The batches of ``data`` as float64 arrays: an array or tensor (whole, or in
    parts of ``batch_size`` samples), or the items of an iterable of batches (at
    most ``steps`` of them).

    Example:
        >>> import numpy as np
        >>> from ndgrad.nn.normalization_adapt import batches_of
        >>> len(list(batches_of(iter([np.ones(2)] * 5), steps=3)))
        3
    """
    if isinstance(data, (np.ndarray, Tensor, list, numbers.Number)):
        array = _features(data)
        if batch_size is None:
            parts = [array]
        else:
            size = int(batch_size)
            parts = (array[start:start + size] for start in range(0, len(array), size))
        return itertools.islice(parts, steps) if steps is not None else iter(parts)
    if not hasattr(data, "__iter__"):
        raise TypeError(f"Normalization.adapt: data must be an array, a tensor, a "
                        f"tf.data.Dataset or an iterable of batches; got {type(data).__name__}")
    batches = (_features(batch) for batch in data)
    return itertools.islice(batches, steps) if steps is not None else batches


def running_moments(layer, batches):
    """``(count, mean, variance)`` over ``batches`` for a Normalization ``layer``
    (built from the first batch when it is not yet), with the kept axes' shape."""
    count, mean, variance = 0, None, None
    for batch in batches:
        if not layer.built:
            layer._build_once((Tensor(batch.astype(np.float32)),))
        if batch.ndim != layer._rank:
            raise ValueError(f"Normalization.adapt: the layer takes inputs of rank "
                             f"{layer._rank}, got a batch of shape {batch.shape}")
        reduced = tuple(axis for axis in range(batch.ndim) if axis not in layer._kept)
        size = int(np.prod([batch.shape[axis] for axis in reduced])) if reduced else 1
        if size == 0:
            continue
        kept_order = tuple(layer._kept)
        values = np.transpose(batch, kept_order + reduced).reshape(
            tuple(batch.shape[a] for a in kept_order) + (size,))
        batch_mean = values.mean(axis=-1)
        batch_variance = values.var(axis=-1)
        if mean is None:
            count, mean, variance = size, batch_mean, batch_variance
            continue
        total = count + size
        delta = batch_mean - mean
        mean = mean + delta * (size / total)
        variance = ((count * variance + size * batch_variance) / total
                    + delta ** 2 * (count * size / total ** 2))
        count = total
    if mean is None:
        raise ValueError("Normalization.adapt: the data has no samples")
    if mean.shape != tuple(layer._statistics_shape):
        raise ValueError(f"Normalization.adapt: the data's kept axes have sizes {mean.shape}, "
                         f"the layer's {tuple(layer._statistics_shape)}")
    return count, mean, variance
