"""Data adapters: every kind of input ``fit``, ``evaluate`` and ``predict`` take, as batches.

:func:`make_adapter` picks one adapter per kind of ``x``; the loops see only
the adapter's batches (through :class:`~ndgrad.training.epoch_iterator.EpochIterator`),
never the kind:

========================================  ==========================================
``x``                                     batches
========================================  ==========================================
NumPy arrays, tensors, lists, or tuples/  sliced by ndgrad (``batch_size``, default
dicts/lists of them (several inputs)      32; ``shuffle``), with ``y`` and
                                          ``sample_weight``
a Dataset of samples (``len`` and ``[i]``)  batched by a new DataLoader
a DataLoader (``ndgrad.data``, the        its own batches
PyTorch face's ``torch.utils.data``)
a ``keras.utils.PyDataset``               ``x[0]``, ``x[1]``, ... with its epoch hooks
a ``tf.data.Dataset`` (``ndgrad.tensorflow``)  its elements, each one batch
a Python generator, or any iterable of    its items, each one batch
batches
========================================  ==========================================

A batch is ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``, where
``x`` and ``y`` may be tuples, lists or dicts (several inputs or outputs);
NumPy values become tensors. Whatever yields whole batches refuses ``y``,
``sample_weight`` and ``batch_size`` (Keras raises too): the batches carry
their targets and their size. ``shuffle`` does not reorder them (shuffle the
dataset itself). ``class_weight`` turns into per-sample weights, for arrays at
once and for the other kinds batch by batch.

Example:
    >>> import numpy as np
    >>> from ndgrad.training.adapters import make_adapter
    >>> adapter = make_adapter("fit", (b for b in [(np.zeros((2, 1)), np.ones(2))]))
    >>> adapter.kind, adapter.num_batches, adapter.one_shot
    ('a Python generator', None, True)
    >>> [tuple(t.shape for t in batch) for batch in adapter.iterate()]
    [((2, 1), (2,))]
"""

import inspect
import math

import numpy as np

from ..data import DataLoader
from ..tensor import Tensor, as_tensor
from .inputs import (_arrays, _flat_arrays, _is_dataset, class_weight_to_sample_weight,
                     is_array_like, make_loader, unpack_batch)
from .py_dataset import PyDataset, _as_tensors
from .structured import is_structure

__all__ = ["DataAdapter", "LoaderAdapter", "PyDatasetAdapter", "BatchStreamAdapter",
           "make_adapter", "validation_adapter", "describe"]


class DataAdapter:
    """One kind of input, turned into batches (subclasses say how).

    Attributes:
        kind: what the input is, for messages ("a tf.data.Dataset").
        num_batches: batches in one pass: an int, None when unknown, or
            ``math.inf`` for a source that never ends (``repeat()``).
        restarts_each_epoch: each epoch is a new pass in that epoch's order
            (a DataLoader: ``set_epoch``); otherwise the source is one stream
            that ``steps_per_epoch`` cuts into epochs.
        one_shot: a second pass gives nothing (a generator).
        loader: the DataLoader behind the batches, if any (its seed is saved
            by ModelCheckpoint).

    Example:
        >>> from ndgrad.training.adapters import DataAdapter
        >>> DataAdapter().num_batches is None
        True
    """

    kind = "data"
    num_batches = None
    restarts_each_epoch = False
    one_shot = False
    loader = None
    class_weight = None

    def batches(self, epoch=None):
        """An iterator over one pass of batches (``epoch``: the order to use, if any)."""
        raise NotImplementedError

    def iterate(self, epoch=None):
        """One pass of batches, with ``class_weight`` applied."""
        batches = self.batches(epoch)
        if self.class_weight is None:
            return batches
        return (_with_class_weight(batch, self.class_weight) for batch in batches)

    def on_epoch_begin(self):
        """Called before each epoch's first batch (PyDataset's hook)."""

    def on_epoch_end(self):
        """Called after each epoch's last batch (PyDataset's hook)."""


def _with_class_weight(batch, class_weight):
    x, y, sample_weight = unpack_batch(batch)
    weights = class_weight_to_sample_weight(y, class_weight, sample_weight)
    return x, y, as_tensor(weights)


class LoaderAdapter(DataAdapter):
    """Batches of a DataLoader: arrays and Datasets go through one, and a
    DataLoader given as ``x`` is used as it is.

    Example:
        >>> import numpy as np
        >>> from ndgrad.data import DataLoader, TensorDataset
        >>> from ndgrad.training.adapters import LoaderAdapter
        >>> adapter = LoaderAdapter(DataLoader(TensorDataset(np.arange(5)), batch_size=2))
        >>> adapter.num_batches, [len(b) for b, in adapter.iterate(epoch=0)]
        (3, [2, 2, 1])
    """

    restarts_each_epoch = True

    def __init__(self, loader, kind="a DataLoader"):
        self.loader = loader
        self.kind = kind
        try:
            self.num_batches = len(loader)
        except TypeError:           # over an IterableDataset without a length
            self.num_batches = None

    def batches(self, epoch=None):
        set_epoch = getattr(self.loader, "set_epoch", None)
        if epoch is not None and set_epoch is not None:
            set_epoch(epoch)
        return iter(self.loader)


class PyDatasetAdapter(DataAdapter):
    """Batches ``dataset[0]``, ``dataset[1]``, ... of a ``keras.utils.PyDataset``,
    with its ``on_epoch_begin`` / ``on_epoch_end`` hooks around every epoch; a
    PyDataset whose ``num_batches`` is None (and without ``__len__``) is endless.

    Example:
        >>> from ndgrad.training.adapters import PyDatasetAdapter
        >>> from ndgrad.training.py_dataset import PyDataset
        >>> class Two(PyDataset):
        ...     def __len__(self):
        ...         return 2
        ...     def __getitem__(self, index):
        ...         return [float(index)], [0.0]
        >>> [x.tolist() for x, y in PyDatasetAdapter(Two()).iterate()]
        [[0.0], [1.0]]
    """

    kind = "a keras.utils.PyDataset"

    def __init__(self, dataset):
        self.dataset = dataset
        if type(dataset).__len__ is PyDataset.__len__ and dataset.num_batches is None:
            self.num_batches = math.inf
        else:
            self.num_batches = len(dataset)

    def batches(self, epoch=None):
        index = 0
        while index < self.num_batches:
            yield _as_tensors(self.dataset[index])
            index += 1

    def on_epoch_begin(self):
        self.dataset.on_epoch_begin()

    def on_epoch_end(self):
        self.dataset.on_epoch_end()


def _cardinality(source):
    """Batches per pass from ``cardinality()`` (tf.data) or ``len()``; None if unknown."""
    cardinality = getattr(source, "cardinality", None)
    if callable(cardinality):
        try:
            count = int(cardinality())
        except (TypeError, ValueError):
            count = -2
        if count == -1:
            return math.inf
        if count >= 0:
            return count
        return None
    try:
        return len(source)
    except TypeError:
        return None


class BatchStreamAdapter(DataAdapter):
    """The items of an iterable, each one batch: a ``tf.data.Dataset`` (iterated
    again at each pass), a generator (one pass only), or any iterable.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> from ndgrad.training.adapters import BatchStreamAdapter
        >>> adapter = BatchStreamAdapter(tf.data.Dataset.range(5).batch(2))
        >>> adapter.num_batches, [b.tolist() for b in adapter.iterate()]
        (3, [[0, 1], [2, 3], [4]])
    """

    def __init__(self, source, kind=None):
        self.source = source
        self.kind = kind or describe(source)
        self.one_shot = iter(source) is source
        self.num_batches = _cardinality(source)

    def batches(self, epoch=None):
        for batch in self.source:
            yield _as_tensors(batch)


def _is_tf_dataset(value):
    return (type(value).__name__ == "Dataset" and hasattr(value, "cardinality")
            and hasattr(value, "batch") and "tensorflow" in type(value).__module__)


def describe(value):
    """How messages name an input: "a tf.data.Dataset", "a Python generator", ...

    Example:
        >>> from ndgrad.training.adapters import describe
        >>> describe(iter([])), describe(x for x in [])
        ('an iterable of batches (list_iterator)', 'a Python generator')
    """
    if _is_tf_dataset(value):
        return "a tf.data.Dataset"
    if isinstance(value, PyDataset):
        return "a keras.utils.PyDataset"
    if isinstance(value, DataLoader):
        return "a DataLoader"
    if inspect.isgenerator(value):
        return "a Python generator"
    return f"an iterable of batches ({type(value).__name__})"


def _is_batch_stream(value):
    return hasattr(value, "__iter__") and not isinstance(value, (str, bytes, dict))


def _refuse_extras(function, kind, y, sample_weight, batch_size, label):
    for name, value in (("y", y), ("sample_weight", sample_weight)):
        if value is not None:
            raise ValueError(f"{function}: {label} is {kind}, which yields (x, y) or (x, y, "
                             f"sample_weight) batches itself; leave {name} as None and put it "
                             "in the batches")
    if batch_size is not None:
        hint = ("batch the dataset itself (dataset.batch(n))" if kind == "a tf.data.Dataset"
                else "the DataLoader's own batch_size applies" if kind == "a DataLoader"
                else "its batches are used as they come")
        raise ValueError(f"{function}: batch_size={batch_size!r} was given, but {label} is "
                         f"{kind}, which yields whole batches; leave batch_size out ({hint})")


def _check_batch_size(batch_size, function):
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"{function}: batch_size must be a positive int; got {batch_size!r}")
    return batch_size


def _array_batch_size(function, x, y, sample_weight, batch_size, steps):
    """Keras's default: 32, or with ``steps`` and no ``batch_size`` enough per
    batch to cover the samples in ``steps`` batches."""
    if batch_size is not None:
        return _check_batch_size(batch_size, function)
    if steps is None:
        return 32
    if is_structure(x) or is_structure(y):
        arrays = _flat_arrays(function, x, y, sample_weight)[0]
    else:
        arrays = _arrays(function, x, y, sample_weight)
    return max(1, math.ceil(len(arrays[0]) / steps))


def make_adapter(function, x, y=None, sample_weight=None, batch_size=None, shuffle=False,
                 steps=None, class_weight=None, label="x"):
    """The adapter for ``x`` (see the module docs).

    Args:
        function: the caller's name, for messages (``"fit"``).
        x, y, sample_weight: the data; ``y`` and ``sample_weight`` only with arrays.
        batch_size: samples per batch for arrays and Datasets of samples; refused
            with anything that yields whole batches.
        shuffle: reshuffle arrays and Datasets of samples each epoch.
        steps: ``steps_per_epoch`` (or ``steps``): with arrays and no
            ``batch_size``, the batch size covers the samples in that many batches.
        class_weight: ``{class: weight}``, turned into sample weights.
        label: how messages name the argument (``"validation_data"``).

    Example:
        >>> import numpy as np
        >>> from ndgrad.training.adapters import make_adapter
        >>> make_adapter("fit", np.zeros((10, 2)), np.zeros(10), steps=3).num_batches
        3
    """
    if x is None:
        raise ValueError(f"{function}: {label} is None; pass arrays, a Dataset, a DataLoader, a "
                         "tf.data.Dataset, a PyDataset or a generator of batches")
    if isinstance(x, DataAdapter):
        return x
    if isinstance(x, PyDataset):
        adapter = PyDatasetAdapter(x)
    elif isinstance(x, DataLoader):
        adapter = LoaderAdapter(x)
    elif _is_dataset(x):
        if y is not None or sample_weight is not None:
            raise ValueError(f"{function}: {label} is a Dataset, which yields (x, y) samples "
                             "itself; leave y and sample_weight as None")
        size = 32 if batch_size is None else _check_batch_size(batch_size, function)
        adapter = LoaderAdapter(DataLoader(x, batch_size=size, shuffle=bool(shuffle)),
                                kind="a Dataset")
        adapter.class_weight = class_weight
        return adapter
    elif is_structure(x) or is_structure(y) or is_array_like(x):
        if class_weight is not None:
            sample_weight = class_weight_to_sample_weight(y, class_weight, sample_weight)
        size = _array_batch_size(function, x, y, sample_weight, batch_size, steps)
        loader = make_loader(function, x, y, size, shuffle=bool(shuffle),
                             sample_weight=sample_weight)
        return LoaderAdapter(loader, kind="arrays")
    elif _is_batch_stream(x):
        adapter = BatchStreamAdapter(x)
    else:
        raise TypeError(f"{function}: {label} must be NumPy arrays or tensors (or a list/tuple/"
                        "dict of them), a Dataset, a DataLoader, a tf.data.Dataset, a "
                        f"keras.utils.PyDataset or an iterable of batches; got "
                        f"{type(x).__name__}")
    _refuse_extras(function, adapter.kind, y, sample_weight, batch_size, label)
    adapter.class_weight = class_weight
    return adapter


def validation_adapter(validation_data, batch_size=None, validation_batch_size=None):
    """The adapter for ``fit``'s ``validation_data``: ``(x_val, y_val)`` or
    ``(x_val, y_val, sample_weight)`` arrays, or anything :func:`make_adapter`
    takes as ``x`` (a Dataset, a DataLoader, a tf.data.Dataset, a generator, ...).

    Arrays and Datasets of samples are batched by ``validation_batch_size``,
    else ``fit``'s ``batch_size``; a ``validation_batch_size`` given with data
    that yields whole batches is refused.

    Example:
        >>> import numpy as np
        >>> from ndgrad.training.adapters import validation_adapter
        >>> validation_adapter((np.zeros((5, 2)), np.zeros(5)), batch_size=2).num_batches
        3
    """
    function = "fit (validation_data)"
    size = validation_batch_size if validation_batch_size is not None else batch_size
    data = validation_data
    if isinstance(data, tuple) or (isinstance(data, list) and len(data) in (2, 3) and (
            isinstance(data[0], (np.ndarray, Tensor)) or is_structure(data[0]))):
        if len(data) not in (2, 3):
            raise ValueError(f"fit: validation_data must be (x_val, y_val) or (x_val, y_val, "
                             f"sample_weight); got a {type(data).__name__} of {len(data)} items")
        return make_adapter(function, *data, batch_size=size, label="validation_data")
    if not (_is_dataset(data) or is_array_like(data) or data is None):
        if validation_batch_size is not None:
            raise ValueError(f"fit: validation_batch_size={validation_batch_size!r} was given, "
                             f"but validation_data is {describe(data)}, which yields whole "
                             "batches; leave validation_batch_size out")
        size = None             # fit's batch_size is x's; these batches come whole
    return make_adapter(function, data, batch_size=size, label="validation_data")
