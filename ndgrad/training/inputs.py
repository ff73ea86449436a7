"""Arrays, Datasets and DataLoaders as ``fit``, ``evaluate`` and ``predict`` batch them
(the array side of :mod:`ndgrad.training.adapters`, which handles every kind of input).

- NumPy arrays, ndgrad tensors or nested lists (``x``, and ``y`` /
  ``sample_weight`` of the same length): wrapped in a
  :class:`~ndgrad.data.TensorDataset` and batched by slicing (no per-sample
  Python loop). ``fit`` shuffles them with a seed drawn once from
  ``ndgrad.random.generator()``, so ``ndgrad.random.seed(...)`` makes the
  order reproducible.
- a :class:`~ndgrad.data.Dataset` (or anything with ``len`` and ``[i]``
  that is not an array): batched by a new DataLoader.
- a :class:`~ndgrad.data.DataLoader`: used as it is (its own batch size and
  shuffling).

A batch is a tuple ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``, or a
single tensor ``x``; :func:`unpack_batch` splits it as Keras's
``unpack_x_y_sample_weight`` does.

Example:
    >>> import numpy as np
    >>> from ndgrad.training.inputs import make_loader, unpack_batch
    >>> loader = make_loader("fit", np.zeros((10, 3)), np.arange(10), batch_size=4)
    >>> len(loader), [len(unpack_batch(b)[1]) for b in loader]
    (3, [4, 4, 2])
"""

import math
import numbers

import numpy as np

from ..data import DataLoader, Dataset, TensorDataset
from ..tensor import Tensor
from .structured import StructuredLoader, flatten, is_structure, pack

__all__ = ["make_loader", "check_fraction", "split_for_validation",
           "unpack_batch", "is_array_like", "class_weight_to_sample_weight"]


def is_array_like(value):
    """Whether ``value`` is data given whole (an array, a tensor or a list of numbers).

    Example:
        >>> import numpy as np
        >>> from ndgrad.training.inputs import is_array_like
        >>> is_array_like(np.zeros(3)), is_array_like([[1, 2]]), is_array_like(None)
        (True, True, False)
    """
    return isinstance(value, (np.ndarray, Tensor, list, numbers.Number))


def _array(value, label, function):
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (list, tuple)):
        array = np.asarray(value)
        if array.dtype == object:
            raise ValueError(f"{function}: {label} is a list of arrays of different shapes; "
                             "pass one array whose first axis indexes the samples")
        return array
    raise TypeError(f"{function}: {label} must be a NumPy array, an ndgrad tensor or a list; "
                    f"got {type(value).__name__}")


def _arrays(function, x, y, sample_weight):
    """x, y, sample_weight as arrays of one length (y and sample_weight may be None)."""
    arrays = [("x", _array(x, "x", function))]
    if y is not None:
        arrays.append(("y", _array(y, "y", function)))
    if sample_weight is not None:
        if y is None:
            raise ValueError(f"{function}: sample_weight was given without y")
        arrays.append(("sample_weight", _array(sample_weight, "sample_weight", function)))
    for label, array in arrays:
        if array.ndim == 0:
            raise ValueError(f"{function}: {label} is a scalar; its first axis must index "
                             "the samples")
    lengths = {label: len(array) for label, array in arrays}
    if len(set(lengths.values())) > 1:
        shapes = ", ".join(f"{label} {array.shape}" for label, array in arrays)
        raise ValueError(f"{function}: x, y (and sample_weight) need the same number of "
                         f"samples along the first axis; got {shapes}")
    if lengths["x"] == 0:
        raise ValueError(f"{function}: x has no samples (shape {arrays[0][1].shape})")
    return [array for _, array in arrays]


def _is_dataset(value):
    return isinstance(value, Dataset) or (
        hasattr(value, "__len__") and hasattr(value, "__getitem__")
        and not is_array_like(value) and not isinstance(value, (str, bytes, tuple, dict)))


def _check_batch_size(batch_size, function):
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) \
            or batch_size < 1:
        raise ValueError(f"{function}: batch_size must be a positive int; got {batch_size!r}")
    return int(batch_size)


def make_loader(function, x, y=None, batch_size=32, shuffle=False, sample_weight=None):
    """A DataLoader over ``x`` (arrays, a Dataset or a DataLoader), see the module docs.

    Args:
        function: the caller's name, for error messages (``"fit"``).
        x, y, sample_weight: the data; ``y`` and ``sample_weight`` only with arrays.
        batch_size: samples per batch (ignored for a DataLoader).
        shuffle: shuffle each epoch (ignored for a DataLoader).

    Example:
        >>> import numpy as np
        >>> from ndgrad.data import DataLoader, TensorDataset
        >>> from ndgrad.training.inputs import make_loader
        >>> loader = DataLoader(TensorDataset(np.zeros((4, 2))), batch_size=2)
        >>> make_loader("fit", loader) is loader
        True
    """
    if x is None:
        raise ValueError(f"{function}: x is None; pass arrays, a Dataset or a DataLoader")
    if isinstance(x, DataLoader) or _is_dataset(x):
        kind = "DataLoader" if isinstance(x, DataLoader) else "Dataset"
        if y is not None or sample_weight is not None:
            raise ValueError(f"{function}: x is a {kind}, which yields (x, y) batches itself; "
                             "leave y and sample_weight as None")
        if isinstance(x, DataLoader):
            return x
        return DataLoader(x, batch_size=_check_batch_size(batch_size, function),
                          shuffle=shuffle)
    if is_structure(x) or is_structure(y):
        return _structured_loader(function, x, y, sample_weight, batch_size, shuffle)
    if not is_array_like(x):
        raise TypeError(f"{function}: x must be a NumPy array, an ndgrad tensor, a list or "
                        f"dict of them (several inputs), a Dataset or a DataLoader; got "
                        f"{type(x).__name__}")
    batch_size = _check_batch_size(batch_size, function)
    return DataLoader(TensorDataset(*_arrays(function, x, y, sample_weight)),
                      batch_size=batch_size, shuffle=shuffle)


def _flat_arrays(function, x, y, sample_weight):
    """The leaves of x, y and sample_weight as arrays of one length, with their specs."""
    groups, specs = [], []
    for label, value in (("x", x), ("y", y), ("sample_weight", sample_weight)):
        if value is None:
            continue
        leaves, spec = flatten(value)
        groups.extend((f"{label} leaf {i}" if spec else label, _array(leaf, label, function))
                      for i, leaf in enumerate(leaves))
        specs.append((spec, len(leaves)))
    lengths = {len(array) if array.ndim else None for _, array in groups}
    if None in lengths or len(lengths) > 1:
        shapes = ", ".join(f"{label} {array.shape}" for label, array in groups)
        raise ValueError(f"{function}: every input, target and weight array needs the same "
                         f"number of samples along the first axis; got {shapes}")
    if 0 in lengths:
        raise ValueError(f"{function}: x has no samples")
    return [array for _, array in groups], specs


def _structured_loader(function, x, y, sample_weight, batch_size, shuffle):
    arrays, specs = _flat_arrays(function, x, y, sample_weight)
    loader = DataLoader(TensorDataset(*arrays), batch_size=_check_batch_size(batch_size, function),
                        shuffle=shuffle)
    return StructuredLoader(loader, specs)


def class_weight_to_sample_weight(y, class_weight, sample_weight=None):
    """Per-sample weights from ``class_weight`` (``{class: weight}``, 1.0 for a
    class not listed) and the labels ``y`` (integers, ``(N, 1)`` integers or 0/1
    values, or one-hot rows), times ``sample_weight`` when given (Keras's
    ``class_weight``).

    Example:
        >>> import numpy as np
        >>> from ndgrad.training.inputs import class_weight_to_sample_weight
        >>> class_weight_to_sample_weight(np.array([0, 1, 1]), {1: 5.0}).tolist()
        [1.0, 5.0, 5.0]
        >>> class_weight_to_sample_weight(np.eye(2)[[1, 0]], {0: 2.0}, [3.0, 3.0]).tolist()
        [3.0, 6.0]
    """
    if not isinstance(class_weight, dict):
        raise TypeError(f"fit: class_weight must be a dict {{class: weight}}; got "
                        f"{type(class_weight).__name__}")
    if y is None or not is_array_like(y) or is_structure(y):
        raise ValueError("fit: class_weight needs the labels y as one array; for a Dataset, a "
                         "DataLoader or several outputs, give sample_weight instead")
    labels = _array(y, "y", "fit")
    if labels.ndim >= 2 and labels.shape[-1] > 1:
        labels = labels.argmax(axis=-1)
    elif labels.ndim >= 2:
        labels = labels[..., 0]
    if labels.ndim != 1:
        raise ValueError(f"fit: class_weight needs one label per sample; y has shape "
                         f"{_array(y, 'y', 'fit').shape}")
    table = {int(key): float(value) for key, value in class_weight.items()}
    weights = np.array([table.get(int(round(label)), 1.0) for label in labels.tolist()],
                       dtype=np.float32)
    if sample_weight is not None:
        weights = weights * _array(sample_weight, "sample_weight", "fit").reshape(len(weights))
    return weights


def check_fraction(fraction):
    """Refuse a ``validation_split`` outside [0, 1).

    Example:
        >>> from ndgrad.training.inputs import check_fraction
        >>> check_fraction(0.2)
        0.2
    """
    if isinstance(fraction, bool) or not isinstance(fraction, numbers.Real) \
            or not 0 <= fraction < 1:
        raise ValueError(f"fit: validation_split must be a number in [0, 1); got {fraction!r}")
    return fraction


def split_for_validation(x, y, sample_weight, fraction):
    """Keep the first ``1 - fraction`` of the samples for training and the rest
    for validation, before any shuffling (as Keras's ``validation_split``).

    Returns:
        ``(x, y, sample_weight), (x_val, y_val, sample_weight_val)`` as arrays.

    Example:
        >>> import numpy as np
        >>> from ndgrad.training.inputs import split_for_validation
        >>> (x, y, _), (xv, yv, _) = split_for_validation(np.arange(10), np.arange(10), None, 0.2)
        >>> x.tolist()[-1], xv.tolist()
        (7, [8, 9])
    """
    check_fraction(fraction)
    if is_structure(x) or is_structure(y):
        arrays, specs = _flat_arrays("fit", x, y, sample_weight)
        size = len(arrays[0])
        split_at = _split_point(fraction, size)
        parts = []
        for half in (slice(None, split_at), slice(split_at, None)):
            leaves, packed, start = [a[half] for a in arrays], [], 0
            for spec, count in specs:
                packed.append(pack(spec, leaves[start:start + count]))
                start += count
            parts.append(tuple(packed) + (None,) * (3 - len(packed)))
        return parts[0], parts[1]
    if not is_array_like(x):
        raise ValueError(f"fit: validation_split needs arrays or tensors; x is a "
                         f"{type(x).__name__}. Pass validation_data instead (or use "
                         "ndgrad.data.random_split)")
    arrays = _arrays("fit", x, y, sample_weight)
    split_at = _split_point(fraction, len(arrays[0]))
    train = [a[:split_at] for a in arrays] + [None] * (3 - len(arrays))
    validation = [a[split_at:] for a in arrays] + [None] * (3 - len(arrays))
    return tuple(train), tuple(validation)


def _split_point(fraction, size):
    split_at = int(math.floor(size * (1.0 - fraction)))
    if split_at == 0 or split_at == size:
        raise ValueError(f"fit: validation_split={fraction} of {size} samples leaves "
                         f"{split_at} for training and {size - split_at} for validation; "
                         "both need at least one sample")
    return split_at


def unpack_batch(batch):
    """``(x, y, sample_weight)`` from one batch (missing parts are None).

    Example:
        >>> from ndgrad.training.inputs import unpack_batch
        >>> unpack_batch(("x", "y")), unpack_batch("x")
        (('x', 'y', None), ('x', None, None))
    """
    if isinstance(batch, (tuple, list)):
        if len(batch) == 1:
            return batch[0], None, None
        if len(batch) == 2:
            return batch[0], batch[1], None
        if len(batch) == 3:
            return tuple(batch)
        raise ValueError(f"a batch must be x, (x,), (x, y) or (x, y, sample_weight); got a "
                         f"{type(batch).__name__} of {len(batch)} items")
    return batch, None, None
