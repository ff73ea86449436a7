"""``PyDataset`` (Keras's ``keras.utils.PyDataset``, formerly ``Sequence``): a
dataset that returns whole batches, ``dataset[i]`` for ``i`` in
``range(len(dataset))``; ``fit``, ``evaluate`` and ``predict`` take it as ``x``.

``fit`` calls ``on_epoch_begin()`` before and ``on_epoch_end()`` after every
epoch, as Keras does (shuffle there if you want to: ``fit(shuffle=...)`` does
not reorder a PyDataset's batches). ``workers`` and ``use_multiprocessing``
are accepted and batches are loaded in the main thread, which gives the same
batches.

Example:
    >>> import numpy as np, ndgrad
    >>> from ndgrad.training.py_dataset import PyDataset
    >>> class Halves(PyDataset):
    ...     def __init__(self, x, y, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.x, self.y = x, y
    ...     def __len__(self):
    ...         return 2
    ...     def __getitem__(self, index):
    ...         part = slice(index * 4, (index + 1) * 4)
    ...         return self.x[part], self.y[part]
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(Halves(np.ones((8, 3)), np.ones((8, 1))), epochs=2, verbose=0)
    >>> history.params["steps"]
    2
"""

import numpy as np

from ..tensor import Tensor, as_tensor

__all__ = ["PyDataset"]


class PyDataset:
    """Base class of datasets that return whole batches (override ``__getitem__``
    and ``__len__``, or ``num_batches``).

    Args:
        workers, use_multiprocessing, max_queue_size: accepted for Keras
            programs; batches are read in order in the calling thread.

    Example:
        >>> from ndgrad.training.py_dataset import PyDataset
        >>> class Two(PyDataset):
        ...     def __len__(self):
        ...         return 2
        ...     def __getitem__(self, index):
        ...         return [index], [index]
        >>> len(Two()), Two()[1]
        (2, ([1], [1]))
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.max_queue_size = max_queue_size

    def __getitem__(self, index):
        """The batch at ``index`` (override): ``x``, ``(x, y)`` or ``(x, y, sample_weight)``."""
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(index)")

    def __len__(self):
        """The number of batches (override, or define ``num_batches``)."""
        count = self.num_batches
        if count is None:
            raise TypeError(f"{type(self).__name__} defines neither __len__ nor num_batches; "
                            "ndgrad needs the number of batches")
        return int(count)

    @property
    def num_batches(self):
        """The number of batches (None: endless, `fit` then needs ``steps_per_epoch``)."""
        return None

    def on_epoch_begin(self):
        """Called before every epoch of ``fit`` (override)."""

    def on_epoch_end(self):
        """Called after every epoch of ``fit`` (override, e.g. to reshuffle)."""


def _as_tensors(value):
    """Arrays and lists of numbers become tensors (strings stay NumPy arrays);
    tuples, lists of arrays and dicts keep their structure (several inputs or
    outputs). float64 becomes float32, the batch rule of DataLoader (Keras
    casts its inputs to float32 likewise)."""
    if isinstance(value, list) and not any(isinstance(item, (np.ndarray, Tensor, list, tuple,
                                                              dict)) for item in value):
        return _as_tensors(np.asarray(value))
    if isinstance(value, (tuple, list)):
        return type(value)(_as_tensors(item) for item in value)
    if isinstance(value, dict):
        return {key: _as_tensors(item) for key, item in value.items()}
    if value is None:
        return value
    if isinstance(value, Tensor):
        if value.dtype == np.float64 and not value.requires_grad:
            return Tensor._wrap(value.numpy().astype(np.float32))
        return value
    array = np.asarray(value)
    if array.dtype.kind in "USO":
        return array
    return as_tensor(array.astype(np.float32) if array.dtype == np.float64 else array)
