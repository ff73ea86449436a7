"""``torch.utils.data``: datasets, samplers and ``DataLoader``, over ``ndgrad.data``.

Everything here is the core's class (``Dataset``, ``IterableDataset``,
``Subset``, ``ConcatDataset``, the samplers, ``default_collate``) except two
adapters to PyTorch's conventions:

- :class:`TensorDataset` gives samples as ndgrad tensors (``ds[0]`` is a
  tuple of tensors, as in PyTorch); batching takes the core's fast path.
- :class:`DataLoader` has PyTorch's signature (``batch_size=1`` by default,
  ``sampler``, ``batch_sampler``, ``num_workers``, ``pin_memory``,
  ``generator``, ...).

``num_workers``: ndgrad loads every batch in the main process, whatever
``num_workers`` says; the batches are the same ones, in the same order, as
PyTorch gives with any number of workers for a dataset whose ``__getitem__``
is deterministic. Loading in processes would copy the dataset to each (by
pickling it) and pays off only for slow Python ``__getitem__`` s; ndgrad
reads a ``TensorDataset`` a batch at a time with one indexing per array.
``get_worker_info()`` is therefore None, and ``worker_init_fn`` is never
called (as with ``num_workers=0`` in PyTorch). ``pin_memory`` changes
nothing on the CPU.

Batches follow the core's dtype rule: float64 data arrives as float32 (where
PyTorch's collate keeps float64), integer data as int64.

Example:
    >>> import ndgrad.torch as torch
    >>> from ndgrad.torch.utils.data import DataLoader, TensorDataset
    >>> data = TensorDataset(torch.arange(10.0).reshape(5, 2), torch.arange(5))
    >>> loader = DataLoader(data, batch_size=2, shuffle=True, num_workers=2)
    >>> len(loader), sorted(int(i) for _, y in loader for i in y)
    (3, [0, 1, 2, 3, 4])
"""

import numbers

import numpy as np

from .... import data as _core
from ....data.split import random_split as _core_random_split
from ....data.seeds import seed_from
from ....distributed.sampler import DistributedSampler
from ..._arguments import check_device
from ..._unsupported import unsupported

# The core's classes and functions under their own names, taken when this module
# loads (a sampler or dataset added to ndgrad.data appears here at once), except
# the three adapted below and two ndgrad-only helpers.
ADAPTED = ("TensorDataset", "DataLoader", "random_split")
CORE_NAMES = [name for name in _core.__all__
              if name not in ADAPTED and name not in ("split_lengths", "batch_array")]
globals().update({name: getattr(_core, name) for name in CORE_NAMES})

__all__ = [*CORE_NAMES, *ADAPTED, "get_worker_info", "DistributedSampler"]


class TensorDataset(_core.TensorDataset):
    """Tensors that share their first dimension; sample ``i`` is the tuple of
    their ``i``-th rows, as tensors.

    Example:
        >>> import ndgrad.torch as torch
        >>> from ndgrad.torch.utils.data import TensorDataset
        >>> x, y = TensorDataset(torch.zeros(4, 3), torch.arange(4))[2]
        >>> x.shape, y.item()
        ((3,), 2)
    """

    samples_as_tensors = True


def random_split(dataset, lengths, generator=None):
    """Disjoint random :class:`Subset` s of ``dataset`` with the given lengths
    (ints, or fractions adding up to 1); ``generator`` makes the split
    reproducible (by default ``torch.manual_seed`` does).

    Example:
        >>> import ndgrad.torch as torch
        >>> from ndgrad.torch.utils.data import TensorDataset, random_split
        >>> train, val = random_split(TensorDataset(torch.arange(10)), [0.8, 0.2],
        ...                           generator=torch.Generator().manual_seed(42))
        >>> len(train), len(val)
        (8, 2)
    """
    return _core_random_split(dataset, lengths, generator=generator)


def get_worker_info():
    """None: ndgrad loads batches in the main process (see the module's docs).

    Example:
        >>> from ndgrad.torch.utils.data import get_worker_info
        >>> get_worker_info() is None
        True
    """
    return None


def _non_negative(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
        raise ValueError(f"DataLoader: {what} must be a non-negative number; got {value!r}")
    return value


class DataLoader(_core.DataLoader):
    """Batches from a dataset with PyTorch's ``DataLoader`` signature, over
    ``ndgrad.data.DataLoader``.

    Args:
        dataset: a map-style dataset (``len`` and ``[i]``) or an IterableDataset.
        batch_size: samples per batch (default 1, as PyTorch).
        shuffle: a new random order each epoch (reproducible under
            ``torch.manual_seed``, or with ``generator``).
        sampler, batch_sampler: the order of the indices, as PyTorch.
        num_workers: accepted (a non-negative int); loading is in the main
            process, with the same batches (see the module's docs).
        collate_fn: the function from a list of samples to a batch.
        pin_memory: accepted; nothing to pin on the CPU.
        drop_last: drop a last, smaller batch.
        generator: a ``torch.Generator`` the shuffling seed is drawn from.
        timeout, worker_init_fn, multiprocessing_context, prefetch_factor, persistent_workers:
            checked as PyTorch checks them; there are no workers for them to act on.

    Example:
        >>> import ndgrad.torch as torch
        >>> from ndgrad.torch.utils.data import DataLoader, TensorDataset
        >>> loader = DataLoader(TensorDataset(torch.zeros(5, 2)), batch_size=2, drop_last=True)
        >>> [x.shape for x, in loader]
        [(2, 2), (2, 2)]
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if isinstance(num_workers, bool) or not isinstance(num_workers, numbers.Integral) \
                or num_workers < 0:
            raise ValueError(f"DataLoader: num_workers must be a non-negative int; got "
                             f"{num_workers!r}")
        _non_negative(timeout, "timeout")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("DataLoader: prefetch_factor can only be given with "
                             "num_workers > 0 (as in PyTorch)")
        if num_workers == 0 and persistent_workers:
            raise ValueError("DataLoader: persistent_workers=True needs num_workers > 0 (as in "
                             "PyTorch)")
        if pin_memory_device:
            check_device("DataLoader", pin_memory_device)
        if batch_sampler is not None and batch_size != 1:
            raise ValueError("DataLoader: batch_sampler replaces batch_size; leave batch_size "
                             "at 1 (as in PyTorch)")
        if generator is not None and not isinstance(generator, np.random.Generator):
            raise TypeError(f"DataLoader: generator must be a torch.Generator; got "
                            f"{type(generator).__name__}")
        shuffle = bool(shuffle)
        seed = seed_from("DataLoader", None, generator) if shuffle else None
        super().__init__(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last,
                         seed=seed, collate_fn=collate_fn, sampler=sampler,
                         batch_sampler=batch_sampler)
        self.num_workers = int(num_workers)
        self.pin_memory = bool(pin_memory)
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.generator = generator
        self.prefetch_factor = prefetch_factor
        self.persistent_workers = bool(persistent_workers)


__getattr__ = unsupported(__name__, {
    "StackDataset": "zip the samples in a Dataset subclass",
    "default_convert": "use default_collate",
})
