"""Several inputs or outputs given whole: ``fit([x1, x2], {"a": y1, "b": y2})``.

Keras takes a tuple, a dict, or a list of arrays as several inputs (or
targets). Their leaves are batched together by one DataLoader over a
TensorDataset (so shuffling keeps the samples aligned) and each batch is
packed back into the user's structure: ``([x1_batch, x2_batch], {"a": ...})``.

Example:
    >>> import numpy as np
    >>> from ndgrad.training.inputs import make_loader
    >>> loader = make_loader("fit", [np.zeros((4, 2)), np.ones((4, 3))],
    ...                      {"out": np.arange(4)}, batch_size=2)
    >>> x, y = next(iter(loader))
    >>> [t.shape for t in x], y["out"].tolist()
    ([(2, 2), (2, 3)], [0, 1])
"""

import numpy as np

from ..tensor import Tensor

__all__ = ["is_structure", "flatten", "pack", "StructuredLoader"]


def is_structure(value):
    """Whether ``value`` holds several arrays: a tuple or dict, or a non-empty list
    whose items are arrays, tensors or structures (a list of numbers is one array).

    Example:
        >>> from ndgrad.training.adapters import is_structure
        >>> import numpy as np
        >>> is_structure([np.zeros(2), np.zeros(3)]), is_structure([[1, 2], [3, 4]])
        (True, False)
    """
    if isinstance(value, (tuple, dict)):
        return True
    return isinstance(value, list) and bool(value) and all(
        isinstance(item, (np.ndarray, Tensor, tuple, dict)) or is_structure(item)
        for item in value)


def flatten(value):
    """``(leaves, spec)``: the arrays of a structure in order, and how to rebuild it.

    Example:
        >>> from ndgrad.training.inputs import pack
        >>> from ndgrad.training.inputs import flatten
        >>> leaves, spec = flatten({"b": 2, "a": (1, 3)})     # a list of numbers is one leaf
        >>> leaves, pack(spec, [10, 20, 30])
        ([2, 1, 3], {'b': 10, 'a': (20, 30)})
    """
    if isinstance(value, dict):
        leaves, specs = [], []
        for key, item in value.items():
            item_leaves, item_spec = flatten(item)
            leaves.extend(item_leaves)
            specs.append((key, item_spec, len(item_leaves)))
        return leaves, ("dict", specs)
    if isinstance(value, (list, tuple)) and is_structure(value):
        leaves, specs = [], []
        for item in value:
            item_leaves, item_spec = flatten(item)
            leaves.extend(item_leaves)
            specs.append((None, item_spec, len(item_leaves)))
        return leaves, (type(value).__name__, specs)
    return [value], None


def pack(spec, leaves):
    """Rebuild the structure :func:`flatten` described, from new leaves.

    Example:
        >>> from ndgrad.training.inputs import flatten
        >>> from ndgrad.training.inputs import pack
        >>> pack(flatten((1, (2, 3)))[1], ["a", "b", "c"])
        ('a', ('b', 'c'))
    """
    if spec is None:
        return leaves[0]
    kind, parts = spec
    items, start = [], 0
    for key, item_spec, count in parts:
        items.append((key, pack(item_spec, leaves[start:start + count])))
        start += count
    if kind == "dict":
        return dict(items)
    values = [item for _, item in items]
    return tuple(values) if kind == "tuple" else values


class StructuredLoader:
    """Batches of a DataLoader over flattened leaves, packed back into
    ``(x, y, sample_weight)`` structures.

    Args:
        loader: a DataLoader whose batches hold the leaves of x, y and
            sample_weight in that order.
        specs: ``[(spec, count), ...]`` for x, y (and sample_weight) as
            :func:`flatten` gave them.

    Example:
        >>> from ndgrad.training.inputs import StructuredLoader
        >>> from ndgrad.training.inputs import flatten
        >>> import numpy as np
        >>> from ndgrad.data import DataLoader, TensorDataset
        >>> leaves, spec = flatten([np.zeros((2, 1)), np.ones((2, 1))])
        >>> loader = StructuredLoader(DataLoader(TensorDataset(*leaves), batch_size=2),
        ...                           [(spec, 2)])
        >>> [t.tolist() for t in next(iter(loader))[0]]
        [[[0.0], [0.0]], [[1.0], [1.0]]]
    """

    def __init__(self, loader, specs):
        self.loader = loader
        self.specs = specs

    def __len__(self):
        return len(self.loader)

    @property
    def seed(self):
        """The inner loader's shuffling seed (ModelCheckpoint saves it)."""
        return getattr(self.loader, "seed", None)

    def set_epoch(self, epoch):
        """Put the inner loader on ``epoch``'s order."""
        set_epoch = getattr(self.loader, "set_epoch", None)
        if set_epoch is not None:
            set_epoch(epoch)

    def __iter__(self):
        for batch in self.loader:
            batch = batch if isinstance(batch, (tuple, list)) else (batch,)
            parts, start = [], 0
            for spec, count in self.specs:
                parts.append(pack(spec, list(batch[start:start + count])))
                start += count
            yield tuple(parts)
