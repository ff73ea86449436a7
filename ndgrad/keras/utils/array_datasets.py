"""``keras.utils.timeseries_dataset_from_array`` and ``keras.utils.split_dataset``:
arrays (or datasets) made into ``tf.data.Dataset`` s (:class:`ndgrad.tensorflow.data.Dataset`).

Example:
    >>> import numpy as np
    >>> from ndgrad.keras import utils
    >>> windows = utils.timeseries_dataset_from_array(np.arange(6), None, sequence_length=3,
    ...                                               batch_size=2)
    >>> [batch.tolist() for batch in windows]
    [[[0, 1, 2], [1, 2, 3]], [[2, 3, 4], [3, 4, 5]]]
"""

import numbers

import numpy as np

from ...autograd.primitive import data_of
from ...tensor import Tensor
from ...tensorflow.data import Dataset, _stack

__all__ = ["timeseries_dataset_from_array", "split_dataset"]


def _positive(value, label, limit=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"timeseries_dataset_from_array: {label} must be a positive int; got "
                         f"{value!r}")
    if limit is not None and value >= limit:
        raise ValueError(f"timeseries_dataset_from_array: {label}={value} must be lower than "
                         f"the length of the data ({limit})")
    return int(value)


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """Sliding windows over ``data`` as a dataset of batches (Keras's rules).

    Window ``i`` starts at ``start_index + i * sequence_stride`` and holds
    ``sequence_length`` steps taken every ``sampling_rate`` steps; its target
    is ``targets[start]`` (the target row where the window starts). Only rows
    in ``[start_index, end_index)`` are used.

    Args:
        data: an array (or tensor) whose first axis is time.
        targets: an array aligned with ``data`` (None: batches of inputs only).
        sequence_length, sequence_stride, sampling_rate: the window geometry.
        batch_size: windows per batch (None: one window per element).
        shuffle: shuffle the window order once (``seed``), and the batches in
            a buffer at every epoch.
        start_index, end_index: the rows to use.

    Example:
        >>> from ndgrad.keras.preprocessing import timeseries_dataset_from_array
        >>> import numpy as np
        >>> data = timeseries_dataset_from_array(np.arange(10), np.arange(10) * 10, 3,
        ...                                      sampling_rate=2, batch_size=None)
        >>> [(x.tolist(), int(y)) for x, y in data]
        [([0, 2, 4], 0), ([1, 3, 5], 10), ([2, 4, 6], 20), ([3, 5, 7], 30), ([4, 6, 8], 40), \
([5, 7, 9], 50)]
    """
    data = np.asarray(data_of(data))
    length = len(data)
    sequence_length = _positive(sequence_length, "sequence_length")
    sampling_rate = _positive(sampling_rate, "sampling_rate", length)
    sequence_stride = _positive(sequence_stride, "sequence_stride", length)
    start = 0 if start_index is None else int(start_index)
    end = length if end_index is None else int(end_index)
    if not 0 <= start < length:
        raise ValueError(f"timeseries_dataset_from_array: start_index={start_index} must be in "
                         f"[0, {length})")
    if end_index is not None and not start < end < length:
        raise ValueError(f"timeseries_dataset_from_array: end_index={end_index} must be above "
                         f"start_index ({start}) and below the length of the data ({length})")
    count = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(data_of(targets))
        count = min(count, len(targets))
    starts = np.arange(0, max(count, 0), sequence_stride)
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(starts)
    windows = start + starts[:, None] + np.arange(sequence_length) * sampling_rate

    def elements():
        for row, first in zip(windows, starts):
            window = Tensor(data[row])
            yield window if targets is None else (window, Tensor(np.asarray(targets[start
                                                                                    + first])))
    dataset = Dataset(elements, len(starts))
    if shuffle:
        dataset = dataset.shuffle(8 * batch_size if batch_size else 1024, seed=seed)
    return dataset if batch_size is None else dataset.batch(batch_size)


def _samples(dataset):
    """The samples of ``dataset`` as a list: rows of an array or of a tuple/list of
    arrays, elements of a tf.data.Dataset, items of a Dataset of samples."""
    if isinstance(dataset, (np.ndarray, Tensor)):
        array = np.asarray(data_of(dataset))
        return [array[i] for i in range(len(array))]
    if isinstance(dataset, (tuple, list)) and dataset and all(
            isinstance(part, (np.ndarray, Tensor, list)) for part in dataset):
        arrays = [np.asarray(data_of(part)) for part in dataset]
        if len({len(array) for array in arrays}) != 1:
            raise ValueError(f"split_dataset: the arrays need one length; got "
                             f"{[len(array) for array in arrays]}")
        return [tuple(array[i] for array in arrays) for i in range(len(arrays[0]))]
    if hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__"):
        return [dataset[i] for i in range(len(dataset))]
    if hasattr(dataset, "__iter__"):
        return list(dataset)
    raise TypeError(f"split_dataset: dataset must be an array, a tuple of arrays, a "
                    f"tf.data.Dataset or a Dataset; got {type(dataset).__name__}")


def _sizes(total, left_size, right_size):
    def count(size, label):
        if size is None:
            return None
        if isinstance(size, float):
            if not 0 < size < 1:
                raise ValueError(f"split_dataset: a float {label} must be in (0, 1); got {size}")
            return int(round(size * total))
        if isinstance(size, (int, np.integer)) and 0 < size <= total:
            return int(size)
        raise ValueError(f"split_dataset: {label} must be a fraction in (0, 1) or a count in "
                         f"[1, {total}]; got {size!r}")
    left, right = count(left_size, "left_size"), count(right_size, "right_size")
    if left is None and right is None:
        left = int(round(0.5 * total))
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total or left < 0 or right < 0:
        raise ValueError(f"split_dataset: left_size + right_size ({left} + {right}) exceeds "
                         f"the {total} samples")
    return left, right


def _dataset_of(samples):
    if not samples:
        return Dataset(lambda: iter(()), 0)
    return Dataset.from_tensor_slices(_stack(samples))


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Split samples into two ``tf.data.Dataset`` s (unbatched: call ``.batch(n)``).

    Args:
        dataset: an array, a tuple/list of arrays of one length, a
            ``tf.data.Dataset`` of samples or a Dataset of samples.
        left_size, right_size: fractions in (0, 1) or sample counts (the other
            gets the rest; both None: half and half).
        shuffle: split a random permutation (``seed`` makes it reproducible).

    Example:
        >>> from ndgrad.keras.utils import split_dataset
        >>> import numpy as np
        >>> left, right = split_dataset((np.arange(10), np.arange(10)), left_size=0.8)
        >>> len(left), len(right), [int(t) for t in next(iter(right))]
        (8, 2, [8, 8])
    """
    samples = _samples(dataset)
    left, right = _sizes(len(samples), left_size, right_size)
    order = (np.random.default_rng(seed).permutation(len(samples)) if shuffle
             else np.arange(len(samples)))
    return (_dataset_of([samples[i] for i in order[:left]]),
            _dataset_of([samples[i] for i in order[left:left + right]]))
