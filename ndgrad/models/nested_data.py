"""Data for models with several inputs or outputs: ``fit``, ``evaluate`` and ``predict``
given lists or dicts of arrays (Keras).

``model.fit({"title": t, "body": b, "tags": g}, {"priority": p, "department": d})``
or ``model.fit([t, b, g], [p, d])``: every array (a leaf of the structures)
must have the same number of samples. The leaves go into one
:class:`~ndgrad.data.TensorDataset`, batched by slicing as plain arrays are,
and each batch is put back into the structures given, so the model receives
its inputs as a list or dict and the loss its targets the same way.

Example:
    >>> import numpy as np
    >>> from ndgrad.models.nested_data import nested_loader
    >>> loader = nested_loader("fit", {"a": np.zeros((5, 2)), "b": np.ones((5, 3))},
    ...                        [np.arange(5), np.arange(5)], batch_size=2)
    >>> x, y = next(iter(loader))
    >>> sorted(x), x["b"].shape, len(y), len(loader)
    (['a', 'b'], (2, 3), 2, 3)
"""

import math

import numpy as np

from ..data import DataLoader, TensorDataset
from ..nn import nest
from ..tensor import Tensor

__all__ = ["is_structured", "nested_loader", "split_nested"]


def is_structured(value):
    """Whether ``value`` is a dict, a tuple, or a list holding arrays (several inputs
    or targets), rather than one array given as nested lists of numbers.

    Example:
        >>> import numpy as np
        >>> is_structured([np.zeros(2), np.ones(2)]), is_structured([[1, 2], [3, 4]])
        (True, False)
    """
    if isinstance(value, (dict, tuple)):
        return True
    return isinstance(value, list) and any(
        isinstance(item, (np.ndarray, Tensor, dict)) for item in value)


def _leaves(function, label, structure):
    if structure is None:
        return []
    arrays = []
    for leaf in nest.flatten(structure):
        array = leaf.numpy() if isinstance(leaf, Tensor) else np.asarray(leaf)
        if array.dtype == object or array.ndim == 0:
            raise ValueError(f"{function}: every entry of {label} must be an array whose first "
                             f"axis indexes the samples; got {type(leaf).__name__}")
        arrays.append(array)
    return arrays


def _checked_leaves(function, x, y, sample_weight):
    parts = [("x", x, _leaves(function, "x", x)), ("y", y, _leaves(function, "y", y)),
             ("sample_weight", sample_weight, _leaves(function, "sample_weight", sample_weight))]
    lengths = {len(array) for _, _, arrays in parts for array in arrays}
    if len(lengths) > 1:
        shapes = "; ".join(f"{label}: {[a.shape for a in arrays]}" for label, _, arrays in parts
                           if arrays)
        raise ValueError(f"{function}: every array in x, y (and sample_weight) needs the same "
                         f"number of samples along the first axis; got {shapes}")
    if not lengths or 0 in lengths:
        raise ValueError(f"{function}: x has no samples")
    return parts


class NestedLoader:
    """A DataLoader over the leaves that yields batches in the given structures.

    ``len``, ``set_epoch`` and the loader's other attributes (``seed``,
    ``batch_size``) are the inner DataLoader's.
    """

    def __init__(self, loader, templates, counts):
        self.loader = loader
        self.templates = templates
        self.counts = counts

    def __len__(self):
        return len(self.loader)

    def __getattr__(self, name):
        loader = self.__dict__.get("loader")
        if loader is None:
            raise AttributeError(name)
        return getattr(loader, name)

    def __iter__(self):
        for batch in self.loader:
            leaves = list(batch) if isinstance(batch, (tuple, list)) else [batch]
            parts, start = [], 0
            for template, count in zip(self.templates, self.counts):
                if template is None:
                    break
                chunk = leaves[start:start + count]
                start += count
                parts.append(nest.pack_like(template, chunk) if nest.is_nested(template)
                             else chunk[0])
            yield tuple(parts)


def nested_loader(function, x, y=None, batch_size=32, shuffle=False, sample_weight=None):
    """A loader of ``(x, y[, sample_weight])`` batches for structured ``x`` / ``y``.

    Example:
        >>> import numpy as np
        >>> loader = nested_loader("predict", [np.zeros((3, 2)), np.zeros((3, 1))], batch_size=3)
        >>> [len(batch) for batch in loader], [a.shape for a in next(iter(loader))[0]]
        ([1], [(3, 2), (3, 1)])
    """
    if sample_weight is not None and y is None:
        raise ValueError(f"{function}: sample_weight was given without y")
    parts = _checked_leaves(function, x, y, sample_weight)
    arrays = [array for _, _, leaves in parts for array in leaves]
    templates = [structure for _, structure, _ in parts]
    counts = [len(leaves) for _, _, leaves in parts]
    loader = DataLoader(TensorDataset(*arrays), batch_size=batch_size, shuffle=shuffle)
    return NestedLoader(loader, templates, counts)


def split_nested(x, y, sample_weight, fraction):
    """``validation_split`` for structured data: the first ``1 - fraction`` of the
    samples train, the rest validate (before shuffling, as Keras).

    Example:
        >>> import numpy as np
        >>> (x, y, _), (xv, yv, _) = split_nested({"a": np.arange(10)}, [np.arange(10)], None,
        ...                                       0.2)
        >>> x["a"].tolist()[-1], xv["a"].tolist(), yv[0].tolist()
        (7, [8, 9], [8, 9])
    """
    parts = _checked_leaves("fit", x, y, sample_weight)
    size = len(next(array for _, _, leaves in parts for array in leaves))
    split_at = int(math.floor(size * (1.0 - fraction)))
    if split_at == 0 or split_at == size:
        raise ValueError(f"fit: validation_split={fraction} of {size} samples leaves "
                         f"{split_at} for training and {size - split_at} for validation; both "
                         "need at least one sample")

    def take(structure, leaves, part):
        if structure is None:
            return None
        pieces = [array[part] for array in leaves]
        return nest.pack_like(structure, pieces) if nest.is_nested(structure) else pieces[0]

    train = tuple(take(s, leaves, slice(None, split_at)) for _, s, leaves in parts)
    validation = tuple(take(s, leaves, slice(split_at, None)) for _, s, leaves in parts)
    return train, validation
