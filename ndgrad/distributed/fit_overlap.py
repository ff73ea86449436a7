"""Data-parallel ``fit``: the gradients' allreduce overlapping the backward.

The Keras step takes its gradients with ``tape.gradient`` and hands them to
``optimizer.apply_gradients``; the optimizer averages them over the ranks
(``FitSync``'s averager). Waiting for the whole backward before sending the
first byte wastes the time in which the earlier layers' gradients are still
being computed, so a :class:`FitReducer` listens on every parameter of the
optimizer (``ndgrad.autograd.captured``): during the first capturing walk of
a step each gradient is noted as soon as it is final, and the buckets
(laid out as DistributedDataParallel's, ``buckets.py``) start their
non-blocking allreduce in index order as they fill. At the end of that walk
the buckets still open start (a parameter with no gradient counts as zeros)
with a count of which ranks gave which gradient.

When the optimizer then applies exactly the gradients that were sent (the
same arrays, not written since: the default ``train_step`` and most custom
ones), their averages are read from the buckets. Otherwise (a custom step
that scales, clips or replaces the gradients before applying them, or takes
them in two walks) the buckets sent are waited for and dropped, and the
gradients given are averaged after the fact, as without overlap: the result
is right either way, and every rank takes the same path because every rank
runs the same step. ``NDGRAD_DISTRIBUTED_OVERLAP=0`` turns the listening off.

Example:
    >>> import ndgrad
    >>> from ndgrad.distributed.fit_overlap import FitReducer
    >>> w = ndgrad.Variable([1.0, 2.0])
    >>> reducer = FitReducer([w], cap_bytes=1 << 20)
    >>> reducer.arm()
    >>> with ndgrad.GradientTape() as tape:
    ...     loss = (w * w).sum()
    >>> g = tape.gradient(loss, [w])[0]
    >>> reducer.heard
    True
    >>> reducer.close()
"""

import numpy as np

from ..autograd import post_accumulate
from ..autograd.captured import listen
from ..autograd.graph import current_version
from . import waiting
from .buckets import Reducer
from .collectives import all_reduce
from .world import WORLD

__all__ = ["FitReducer"]


class FitReducer(Reducer):
    """The buckets of a data-parallel fit, filled from ``tape.gradient``'s walk.

    Args:
        parameters: the optimizer's parameters (their order sets the buckets).
        cap_bytes: about how many bytes one bucket sends.
    """

    def __init__(self, parameters, cap_bytes):
        names = [getattr(p, "name", None) or f"parameter {i}" for i, p in enumerate(parameters)]
        super().__init__(names, list(parameters), cap_bytes, find_unused=True,
                         owner="fit under DataParallel", hooks=False)
        self.key = tuple(id(p) for p in parameters)
        self.captured = [None] * len(parameters)  # (array, tensor, its version) per parameter
        self.index_of = {id(p): i for i, p in enumerate(parameters)}
        self.heard = False           # a walk gave gradients this step
        self.spoiled = False         # ... twice for one parameter: do not trust the buckets
        self.used_work = None
        self.listeners = [listen(p, self._listener) for p in parameters]

    def close(self, wait=True):
        """Stop listening (the fit ended); drop what is in flight (waiting for it
        unless ``wait`` is False: the fit is failing)."""
        for handle in self.listeners:
            handle.remove()
        if wait:
            self.discard()

    # ------------------------------------------------------------ a step
    def arm(self):
        """Before a step: listen to the next walk (dropping a step left unapplied)."""
        self.discard()
        self._reset()
        self.captured = [None] * len(self.parameters)
        self.heard = self.spoiled = False
        self.expect = True

    def discard(self):
        """Wait for the buckets in flight (every rank started them) and drop them."""
        for bucket in self.buckets:
            if bucket.work is not None:
                waiting.wait(bucket.work)
                bucket.work = None
        if self.used_work is not None:
            self.used_work.wait()
            self.used_work = None
        self.expect = False

    def _listener(self, parameter, gradient):
        if not self.expect:
            return
        index = self.index_of[id(parameter)]
        if self.ready[index]:                # a second walk in one step: use what is applied
            self.spoiled = True
            return
        if not self.heard:
            self.heard = True
            post_accumulate.queue_callback(self._walk_done)
        self.captured[index] = (gradient._data, gradient, current_version(gradient))
        self.used[index] = 1
        self._mark(index)
        for bucket in self.buckets[:self.next_bucket]:   # let MPI move the started ones on
            if bucket.work is not None:
                waiting.test(bucket.work)

    def _gradient(self, index):
        entry = self.captured[index]
        return None if entry is None else entry[0]

    def _walk_done(self):
        """The end of the step's walk: the rest (no gradient: zeros) and the counts."""
        self.expect = False
        for index in np.flatnonzero(~self.ready):
            self._mark(index)
        self._start_ready()
        self.used_work = all_reduce(self.used, op="sum", async_op=True)
        self.used = np.zeros(len(self.parameters), np.int32)

    # ------------------------------------------------------------ apply
    def averaged(self, prepared):
        """The averages of ``prepared`` (the optimizer's ``(param, gradient,
        group)`` entries) from the buckets, or None when they are not the
        gradients that were sent (then the buckets are dropped)."""
        if not self.heard or self.expect or WORLD.size == 1:
            return None
        sent = self.spoiled is False and all(
            self._sent(param, gradient) for param, gradient, _ in prepared) and \
            len(prepared) == sum(entry is not None for entry in self.captured)
        if not sent:
            self.discard()
            return None
        for bucket in self.buckets:
            waiting.wait(bucket.work)
        used = self.used_work.wait()
        self.used_work = None
        averages = [None] * len(self.parameters)
        size = WORLD.size
        for bucket in self.buckets:         # new arrays: the buffers are reused next step
            offsets = bucket.offsets
            for slot, index in enumerate(bucket.indices):
                total = bucket.buffer[offsets[slot]:offsets[slot + 1]]
                averages[index] = np.divide(total, size).reshape(self.parameters[index].shape)
            bucket.work = None
        self.heard = False
        return averages, used

    def _sent(self, param, gradient):
        index = self.index_of.get(id(param))
        entry = None if index is None else self.captured[index]
        # the very array sent, not written in place since
        return entry is not None and gradient is entry[0] and \
            current_version(entry[1]) == entry[2]
