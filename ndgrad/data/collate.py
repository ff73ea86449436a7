"""Turning a list of samples into one batch of tensors.

A :class:`~ndgrad.data.DataLoader` gathers ``batch_size`` samples from its
dataset and hands the list to a *collate function*, which returns the batch.
The default one stacks each field along a new first axis. Both the default
collate function and the loader's fast path for a ``TensorDataset`` apply one
dtype rule, :func:`batch_array`, so a batch looks the same whichever path made it:

- float64 becomes float32 (ndgrad's default float; float16 and float32 stay),
- every integer dtype becomes int64 (the dtype of class labels and indices),
- bool stays bool.

Batches are plain ndgrad tensors: leaves that do not require grad.

Example:
    >>> import numpy as np
    >>> from ndgrad.data import default_collate
    >>> x, y = default_collate([(np.zeros(3), 1), (np.ones(3), 0)])
    >>> x.shape, x.dtype, y.tolist(), y.dtype
    ((2, 3), dtype('float32'), [1, 0], dtype('int64'))
"""

from .._backend import xp
from ..dtypes import as_array, default_float, float64, int64
from ..tensor import Tensor

__all__ = ["default_collate", "batch_array"]


def batch_array(array):
    """Apply the batch dtype rule to a NumPy array (float64 -> float32, ints -> int64).

    Args:
        array: a NumPy array; it is returned as it is when no cast is needed.

    Example:
        >>> import numpy as np
        >>> from ndgrad.data import batch_array
        >>> batch_array(np.zeros(2)).dtype, batch_array(np.zeros(2, np.uint8)).dtype
        (dtype('float32'), dtype('int64'))
    """
    kind = array.dtype.kind
    if kind == "f":
        return array.astype(default_float) if array.dtype == float64 else array
    if kind in "iu":
        return array if array.dtype == int64 else array.astype(int64)
    if kind == "b":
        return array
    raise TypeError(f"DataLoader: cannot batch an array of dtype {array.dtype}; "
                    "samples must hold float, int or bool values")


def _as_sample_array(value):
    """One field of one sample as an array (tensors give up their data, not their graph)."""
    if isinstance(value, Tensor):
        return value._data
    return as_array(value)


def _stack(values, field):
    arrays = [_as_sample_array(value) for value in values]
    shapes = {array.shape for array in arrays}
    if len(shapes) > 1:
        where = "samples" if field is None else f"field {field!r} of the samples"
        raise ValueError(f"default_collate: {where} have different shapes "
                         f"{sorted(shapes)}; pad them to one shape or pass a collate_fn")
    return Tensor._wrap(batch_array(xp.stack(arrays)))


def default_collate(samples):
    """Stack a list of samples into a batch of ndgrad tensors.

    Each sample may be one value (an array, a tensor or a number), a tuple or
    list of values (the batch is then a tuple with one tensor per field), or a
    dict of values (the batch is then a dict with one tensor per key).

    Args:
        samples: a non-empty list of samples of one structure.

    Returns:
        One tensor, a tuple of tensors or a dict of tensors, each with the
        batch along its first axis and the dtype rule of :func:`batch_array`.

    Raises:
        ValueError: when the list is empty or the samples differ in structure
            or shape.

    Example:
        >>> from ndgrad.data import default_collate
        >>> default_collate([{"x": [1.0, 2.0], "y": 3}, {"x": [4.0, 5.0], "y": 6}])["x"]
        Tensor([[1. 2.]
                [4. 5.]], dtype=float32)
    """
    if len(samples) == 0:
        raise ValueError("default_collate: got an empty list of samples")
    first = samples[0]
    if isinstance(first, dict):
        keys = list(first)
        for sample in samples:
            if not isinstance(sample, dict) or list(sample) != keys:
                raise ValueError(f"default_collate: every sample must be a dict with keys {keys}")
        return {key: _stack([sample[key] for sample in samples], key) for key in keys}
    if isinstance(first, (tuple, list)):
        width = len(first)
        for sample in samples:
            if not isinstance(sample, (tuple, list)) or len(sample) != width:
                got = len(sample) if isinstance(sample, (tuple, list)) else type(sample).__name__
                raise ValueError(f"default_collate: every sample must be a tuple of {width} "
                                 f"fields like the first one; got {got}")
        return tuple(_stack([sample[i] for sample in samples], i) for i in range(width))
    return _stack(samples, None)
