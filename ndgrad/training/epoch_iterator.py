"""Epochs of batches from any :mod:`data adapter <ndgrad.training.adapters>`, with
``steps_per_epoch`` (or ``steps``) as Keras 3 counts them.

- Without ``steps``, an epoch is one whole pass. A source of unknown length
  (a generator, a filtered dataset) shows its length once the first pass has
  counted it (the progress bar then has a total); a source that never ends
  (``repeat()``) is refused: its epoch would never end.
- With ``steps``, an epoch is ``steps`` batches. A DataLoader (arrays, Datasets)
  starts each epoch on that epoch's order and stops after ``steps`` batches;
  any other source (a ``tf.data.Dataset``, a PyDataset, a generator) is one
  stream that the epochs take turns reading, as Keras does: epoch 2 goes on
  where epoch 1 stopped, and a new pass starts when the stream ends. An epoch
  that the data runs out in the middle of ends early with Keras's warning
  ("Your input ran out of data").
- A source that cannot start again (a generator) and has nothing left at the
  start of an epoch makes :meth:`EpochIterator.start` return False; ``fit``
  then stops with a warning that says why and what to do.

Example:
    >>> import ndgrad.tensorflow as tf
    >>> from ndgrad.training.adapters import make_adapter
    >>> from ndgrad.training.epoch_iterator import EpochIterator
    >>> data = tf.data.Dataset.range(10).batch(2).repeat()
    >>> epochs = EpochIterator(make_adapter("fit", data), steps=3)
    >>> [[batch.tolist()[0] for _, batch in epochs.epoch(e)] for e in range(2)]
    [[0, 2, 4], [6, 8, 0]]
"""

import math
import warnings

__all__ = ["EpochIterator", "RAN_OUT"]

RAN_OUT = ("Your input ran out of data; interrupting the epoch. Make sure that your dataset or "
           "generator can generate at least `steps_per_epoch * epochs` batches (use "
           "`.repeat()` on a tf.data.Dataset, or a generator that loops forever).")

_END = object()


class EpochIterator:
    """Cuts an adapter's batches into epochs (see the module docs).

    Args:
        adapter: a :class:`~ndgrad.training.adapters.DataAdapter`.
        steps: batches per epoch, or None for whole passes.
        function: the caller's name, for messages.
        steps_label: the argument that sets ``steps`` (for messages).
        label: how messages name the data (``"x"``, ``"validation_data"``).

    Example:
        >>> import numpy as np
        >>> from ndgrad.training.adapters import make_adapter
        >>> from ndgrad.training.epoch_iterator import EpochIterator
        >>> epochs = EpochIterator(make_adapter("fit", np.arange(5.0), batch_size=2))
        >>> epochs.num_batches, [x.tolist() for _, (x,) in epochs.epoch(0)]
        (3, [[0.0, 1.0], [2.0, 3.0], [4.0]])
    """

    def __init__(self, adapter, steps=None, function="fit", steps_label="steps_per_epoch",
                 label="x"):
        if steps is None and adapter.num_batches == math.inf:
            raise ValueError(f"{function}: {label} is {adapter.kind} that never ends (made with "
                             f"repeat(), or endless); pass {steps_label}=... so that "
                             f"{'an epoch' if function == 'fit' else 'the pass'} ends")
        self.adapter = adapter
        self.steps = steps
        self.function = function
        self.label = label
        self._iterator = None
        self._passes = 0
        self._counted = None
        self._first = _END

    @property
    def num_batches(self):
        """Batches per epoch: ``steps``, the source's length, or the length the
        first whole pass counted; None while unknown."""
        if self.steps is not None:
            return self.steps
        known = self.adapter.num_batches
        if known is not None and known != math.inf:
            return known
        return self._counted

    def _new_pass(self, epoch):
        self._iterator = iter(self.adapter.iterate(epoch))
        self._passes += 1

    def _next(self):
        try:
            return next(self._iterator)
        except StopIteration:
            self._iterator = None
            return _END

    def start(self, epoch=None):
        """Get ready for one epoch (``epoch``: the order of a DataLoader; None keeps
        its own); False when a one-pass source has nothing left.

        Raises:
            ValueError: the data gives no batch at all.
        """
        continuing = (self.steps is not None and self._iterator is not None
                      and not self.adapter.restarts_each_epoch)
        if not continuing:
            self._new_pass(epoch)
        self.adapter.on_epoch_begin()
        self._first = self._next()
        if self._first is _END and continuing:
            self._new_pass(epoch)
            self._first = self._next()
        if self._first is _END:
            self.adapter.on_epoch_end()
            if self._passes == 1:
                raise ValueError(f"{self.function}: {self.label} ({self.adapter.kind}) gave no "
                                 "batches" + (" (a generator that was already used up?)"
                                              if self.adapter.one_shot else ""))
            return False
        return True

    def __iter__(self):
        """``(step, batch)`` for the epoch :meth:`start` prepared."""
        batch, step, limit = self._first, 0, self.steps
        self._first = _END
        try:
            while batch is not _END:
                yield step, batch
                step += 1
                if limit is not None and step >= limit:
                    return
                batch = self._next()
            if limit is not None:
                warnings.warn(f"{self.function}: {self.label} gave {step} of the {limit} "
                              f"batches asked for. {RAN_OUT}", UserWarning, stacklevel=3)
            elif self._counted is None:
                self._counted = step
        finally:
            self.adapter.on_epoch_end()

    def epoch(self, epoch=None):
        """:meth:`start` then the epoch's ``(step, batch)`` pairs (nothing if exhausted).

        Example:
            >>> from ndgrad.training.adapters import make_adapter
            >>> from ndgrad.training.epoch_iterator import EpochIterator
            >>> epochs = EpochIterator(make_adapter("predict", iter([[1.0], [2.0]])))
            >>> [b.tolist() for _, b in epochs.epoch()], list(epochs.epoch())
            ([[1.0], [2.0]], [])
        """
        return iter(self) if self.start(epoch) else iter(())
