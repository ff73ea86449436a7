"""``tf.data.Dataset``: the input pipelines of TensorFlow tutorials, eager and
in-process (``from_tensor_slices(...).shuffle(n).batch(b)``).

A Dataset is a re-iterable description: each ``for`` loop over it runs the
pipeline from the start, reshuffling where ``shuffle`` says so. Elements are
ndgrad tensors, or tuples and dicts of them, as TensorFlow's are; strings
(TensorFlow's ``tf.string``) are NumPy arrays of ``str``. ``shuffle``
uses TensorFlow's buffer algorithm (a buffer as large as the data shuffles
fully); ``prefetch`` and ``num_parallel_calls`` are accepted and change nothing
but speed in TensorFlow, so they change nothing here.

Example:
    >>> import numpy as np
    >>> import ndgrad.tensorflow as tf
    >>> data = tf.data.Dataset.from_tensor_slices((np.arange(5.0), np.arange(5)))
    >>> [x.shape for x, y in data.batch(2)]
    [(2,), (2,), (1,)]
"""

import numpy as np

from ..tensor import Tensor
from . import random as _random
from .tensors import convert_to_tensor

AUTOTUNE = -1

__all__ = ["Dataset", "AUTOTUNE"]


def _map_structure(function, structure):
    """Apply ``function`` to the leaves; tuples and dicts are structure, and a
    list is one tensor (as tf.data treats it)."""
    if isinstance(structure, dict):
        return {key: _map_structure(function, value) for key, value in structure.items()}
    if isinstance(structure, tuple):
        return type(structure)(_map_structure(function, value) for value in structure)
    return function(structure)


def _is_text(value):
    """Strings (TensorFlow's tf.string) have no ndgrad tensor: they stay NumPy arrays."""
    return isinstance(value, (str, bytes)) or (
        isinstance(value, np.ndarray) and value.dtype.kind in "USO")


def _leaf(value):
    """A component as a tensor, or as a NumPy array of strings."""
    if _is_text(value) or (isinstance(value, (list, tuple)) and value
                           and all(isinstance(item, (str, bytes)) for item in value)):
        return np.asarray(value)
    return convert_to_tensor(value)


def _stack(elements):
    first = elements[0]
    if isinstance(first, dict):
        return {key: _stack([e[key] for e in elements]) for key in first}
    if isinstance(first, tuple):
        return type(first)(_stack([e[i] for e in elements]) for i in range(len(first)))
    if _is_text(first):
        return np.stack([np.asarray(e) for e in elements])
    return convert_to_tensor(np.stack([np.asarray(e) for e in elements]))


class Dataset:
    """A re-iterable pipeline of elements.

    Build one with :meth:`from_tensor_slices`, :meth:`from_tensors`,
    :meth:`range` or :meth:`zip`, then chain ``map``, ``filter``, ``shuffle``,
    ``batch``, ``repeat``, ``take``, ``skip``, ``cache``, ``prefetch``.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> [int(x) for x in tf.data.Dataset.range(6).filter(lambda x: x % 2 == 0)]
        [0, 2, 4]
    """

    def __init__(self, make_iterator, length=None):
        self._make_iterator = make_iterator
        self._length = length

    def __iter__(self):
        return iter(self._make_iterator())

    def __len__(self):
        if self._length is None or self._length < 0:
            raise TypeError("The length of this dataset is unknown (after filter) or "
                            "infinite (after repeat()); iterate it instead")
        return self._length

    def cardinality(self):
        """The number of elements, -1 for infinite, -2 when unknown.

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> int(tf.data.Dataset.range(3).cardinality())
            3
        """
        return convert_to_tensor(np.int64(-2 if self._length is None else self._length))

    # ---------------------------------------------------------------- sources
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """One element per row of ``tensors`` (a tensor, array, or tuple/dict of them).

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> [x.numpy().tolist() for x in tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]])]
            [[1, 2], [3, 4]]
        """
        data = _map_structure(_leaf, tensors)
        lengths = set()
        _map_structure(lambda t: lengths.add(t.shape[0] if t.ndim else None), data)
        if len(lengths) != 1 or None in lengths:
            raise ValueError(f"Dataset.from_tensor_slices: every component needs the same "
                             f"first dimension; got lengths {sorted(lengths, key=str)}")
        length = lengths.pop()

        def slices():
            for i in range(length):
                yield _map_structure(lambda t: t[i], data)
        return Dataset(slices, length)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element: ``tensors`` itself.

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> len(tf.data.Dataset.from_tensors([1, 2, 3]))
            1
        """
        data = _map_structure(_leaf, tensors)
        return Dataset(lambda: iter([data]), 1)

    @staticmethod
    def range(*args, dtype="int64", name=None):  # noqa: A003  (TensorFlow's name)
        """Integers as ``range(...)`` gives them, as scalar tensors.

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> [int(x) for x in tf.data.Dataset.range(1, 4)]
            [1, 2, 3]
        """
        values = range(*args)
        return Dataset(lambda: (convert_to_tensor(np.asarray(v, dtype=dtype)) for v in values),
                       len(values))

    @staticmethod
    def zip(datasets, name=None):
        """Elements of several datasets side by side, as a tuple (stops at the shortest).

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> a, b = tf.data.Dataset.range(2), tf.data.Dataset.range(5)
            >>> len(tf.data.Dataset.zip((a, b)))
            2
        """
        datasets = tuple(datasets)
        lengths = [d._length for d in datasets]
        known = [n for n in lengths if n is not None and n >= 0]
        length = min(known) if len(known) == len(lengths) else None
        return Dataset(lambda: zip(*datasets), length)

    # ---------------------------------------------------------------- transformations
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Apply ``map_func`` to each element (a tuple element is unpacked into arguments).

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> [int(x) for x in tf.data.Dataset.range(3).map(lambda x: x * 10)]
            [0, 10, 20]
        """
        def mapped():
            for element in self:
                yield map_func(*element) if isinstance(element, tuple) else map_func(element)
        return Dataset(mapped, self._length)

    def filter(self, predicate, name=None):
        """Keep the elements for which ``predicate`` is true.

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> [int(x) for x in tf.data.Dataset.range(4).filter(lambda x: x > 1)]
            [2, 3]
        """
        def kept():
            for element in self:
                verdict = predicate(*element) if isinstance(element, tuple) else predicate(element)
                if bool(verdict):
                    yield element
        return Dataset(kept, None)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Shuffle with a buffer of ``buffer_size`` elements (TensorFlow's algorithm).

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> sorted(int(x) for x in tf.data.Dataset.range(5).shuffle(5))
            [0, 1, 2, 3, 4]
        """
        if int(buffer_size) < 1:
            raise ValueError(f"Dataset.shuffle: buffer_size must be at least 1, got {buffer_size}")
        fixed = [None]

        def shuffled():
            if reshuffle_each_iteration or fixed[0] is None:
                fixed[0] = int(_random.uniform([], 0, 2**31 - 1, dtype="int64", seed=seed))
            generator = np.random.default_rng(fixed[0])
            buffer = []
            for element in self:
                buffer.append(element)
                if len(buffer) >= buffer_size:
                    yield buffer.pop(int(generator.integers(len(buffer))))
            while buffer:
                yield buffer.pop(int(generator.integers(len(buffer))))
        return Dataset(shuffled, self._length)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Stack consecutive elements into batches of ``batch_size``.

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> len(tf.data.Dataset.range(5).batch(2, drop_remainder=True))
            2
        """
        batch_size = int(batch_size)
        if batch_size < 1:
            raise ValueError(f"Dataset.batch: batch_size must be at least 1, got {batch_size}")

        def batches():
            pending = []
            for element in self:
                pending.append(element)
                if len(pending) == batch_size:
                    yield _stack(pending)
                    pending = []
            if pending and not drop_remainder:
                yield _stack(pending)
        length = self._length
        if length is not None and length >= 0:
            length = length // batch_size if drop_remainder else -(-length // batch_size)
        return Dataset(batches, length)

    def repeat(self, count=None, name=None):
        """The elements ``count`` times over (forever when ``count`` is None or -1).

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> len(tf.data.Dataset.range(2).repeat(3))
            6
        """
        forever = count is None or count == -1

        def repeated():
            done = 0
            while forever or done < count:
                yield from self
                done += 1
        length = -1 if forever else (None if self._length is None else self._length * count)
        return Dataset(repeated, length)

    def take(self, count, name=None):
        """The first ``count`` elements.

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> [int(x) for x in tf.data.Dataset.range(10).take(2)]
            [0, 1]
        """
        def taken():
            for index, element in enumerate(self):
                if index >= count:
                    return
                yield element
        known = self._length is not None and self._length >= 0
        return Dataset(taken, min(count, self._length) if known else
                       (count if self._length == -1 else None))

    def skip(self, count, name=None):
        """All but the first ``count`` elements.

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> [int(x) for x in tf.data.Dataset.range(4).skip(2)]
            [2, 3]
        """
        def skipped():
            for index, element in enumerate(self):
                if index >= count:
                    yield element
        known = self._length is not None and self._length >= 0
        return Dataset(skipped, max(self._length - count, 0) if known else self._length)

    def cache(self, filename=""):
        """Keep the elements after the first pass (in memory; a file name is refused).

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> len(tf.data.Dataset.range(3).cache())
            3
        """
        if filename:
            raise ValueError("Dataset.cache: caching to a file is not supported by ndgrad; "
                             "call cache() with no file name to keep elements in memory")
        stored = []

        def cached():
            if stored:
                yield from stored[0]
                return
            elements = list(self)
            stored.append(elements)
            yield from elements
        return Dataset(cached, self._length)

    def prefetch(self, buffer_size=None, name=None):
        """The same elements (prefetching only changes speed in TensorFlow).

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> len(tf.data.Dataset.range(3).prefetch(tf.data.AUTOTUNE))
            3
        """
        return self

    def as_numpy_iterator(self):
        """Iterate the elements as NumPy arrays (and tuples/dicts of them).

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> list(tf.data.Dataset.range(2).as_numpy_iterator())
            [array(0), array(1)]
        """
        for element in self:
            yield _map_structure(lambda t: t.numpy() if isinstance(t, Tensor) else t, element)

    def __repr__(self):
        return f"<Dataset {'length ' + str(self._length) if self._length is not None else ''}>"

    @property
    def element_spec(self):
        """The shapes and dtypes of one element (read by running the pipeline once).

        Example:
            >>> import ndgrad.tensorflow as tf
            >>> tf.data.Dataset.range(2).element_spec
            ((), dtype('int64'))
        """
        element = next(iter(self))
        return _map_structure(lambda t: (tuple(t.shape), t.dtype), element)
