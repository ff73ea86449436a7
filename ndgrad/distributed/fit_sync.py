"""What ``fit`` does differently under a :class:`~ndgrad.distributed.DataParallel`
(the hooks ``ndgrad.training.fitting`` calls; the behaviour is described in
``data_parallel.py``).

- :meth:`FitSync.shard`: each rank's shard of the training and validation data.
- :meth:`FitSync.running`: for the length of the fit, the optimizer averages
  the gradients it is given over the ranks (one allreduce per bucket of
  about ``bucket_cap_mb``, laid out as DistributedDataParallel's buckets,
  started during the step's backward as the gradients become final: see
  ``fit_overlap.py``; after it when the step applies other gradients), the
  other ranks' standard output is muted, and at the end every rank waits
  for the others (so rank 0's files are written when ``fit`` returns).
- :meth:`FitSync.before_step`: at the first step, build a lazily built model
  on the batch, check that every rank has the same model and broadcast rank
  0's weights and buffers; at every step, listen to the step's backward.
- :meth:`FitSync.after_step`: rank 0's buffers after every step (so between
  steps, and after fit, every rank holds the same model), and the step's logs.
- :meth:`FitSync.reduce`: the logs over every rank (``metric_reduction.py``).
- :meth:`FitSync.agree`: a stop asked on any rank stops every rank.

Example:
    >>> import numpy as np, ndgrad
    >>> from ndgrad.distributed import DataParallel
    >>> from ndgrad.distributed.fit_sync import FitSync
    >>> sync = FitSync(DataParallel())
    >>> sync.rank, sync.world, sync.agree(False)
    (0, 1, False)
"""

import contextlib
import os

import numpy as np

from ..autograd.mode import no_grad
from ..training.inputs import unpack_batch
from ..training.steps import batch_size_of
from .buckets import assign_buckets, overlap_enabled
from .collectives import all_reduce, barrier
from .consistency import check_same_model
from .fit_overlap import FitReducer
from .metric_reduction import reduce_logs
from .parallel import _broadcast_state, _broadcast_tensors
from .sharding import shard_adapter
from .world import WORLD, init

__all__ = ["FitSync"]


class FitSync:
    """The data-parallel side of one ``fit`` (see the module).

    Args:
        strategy: the :class:`~ndgrad.distributed.DataParallel` in force.
    """

    def __init__(self, strategy):
        if not WORLD.initialized:
            init()
        self.strategy = strategy
        self.rank, self.world = WORLD.rank, WORLD.size
        self.cap_bytes = int(strategy.bucket_cap_mb * 1024 * 1024)
        self.synced = False
        self.samples = 0
        self.validation_samples = 1
        self._layout = None
        self.overlap = self.world > 1 and overlap_enabled()
        self.reducer = None          # a FitReducer: the allreduce overlapping the backward

    # ------------------------------------------------------------ data
    def shard(self, adapter, label="x"):
        """This rank's shard of ``adapter`` (training: padded; validation: not)."""
        if not self.strategy.auto_shard_dataset:
            return adapter
        training = label == "x"
        sharded = shard_adapter(adapter, self.rank, self.world, pad=training, label=label)
        if not training and sharded.loader is not None:
            self.validation_samples = len(sharded.loader.sampler)
        return sharded

    def verbose(self, verbose):
        """Rank 0 keeps ``verbose``; the other ranks show nothing."""
        return verbose if self.rank == 0 else 0

    # ------------------------------------------------------------ the run
    @contextlib.contextmanager
    def running(self, model):
        """Average the optimizer's gradients and mute the other ranks' output."""
        optimizer = model.optimizer
        if "_gradient_averager" in getattr(optimizer, "__dict__", {}):
            raise RuntimeError("fit under DataParallel: the optimizer is already averaging "
                               "the gradients of another fit; one data-parallel fit at a time")
        object.__setattr__(optimizer, "_gradient_averager", self._average)
        previous_writer = model.__dict__.get("_writes_files", True)
        object.__setattr__(model, "_writes_files", self.rank == 0)
        muted = open(os.devnull, "w", encoding="utf-8") if self.rank != 0 else None
        finished = False
        try:
            with contextlib.redirect_stdout(muted) if muted else contextlib.nullcontext():
                yield self
            finished = True
        finally:
            if self.reducer is not None:
                self.reducer.close(wait=finished)
                self.reducer = None
            del optimizer.__dict__["_gradient_averager"]
            object.__setattr__(model, "_writes_files", previous_writer)
            if muted is not None:
                muted.close()
            if finished:
                barrier()           # rank 0's checkpoints are complete on every rank

    def start_epoch(self):
        """Count the samples of a new pass."""
        self.samples = 0

    def before_step(self, model, batch):
        """Agree on the model at the first step; rank 0's buffers at every step."""
        x = unpack_batch(batch)[0]
        self.samples += batch_size_of(x)
        if not self.synced:
            if any(not getattr(module, "built", True) for module in model.modules()):
                with no_grad():     # build on the batch as the step would, before comparing
                    model(x, training=False)
            check_same_model(model, "fit under DataParallel")
            _broadcast_state(model)
            self.synced = True
        if self.overlap:
            self._arm(model.optimizer)

    def _arm(self, optimizer):
        """Listen to this step's backward (the same parameters on every rank: the
        buckets in the same order)."""
        params = list(getattr(optimizer, "params", ()))
        if not params:
            return                  # built by its first step: that one averages after it
        if self.reducer is None or self.reducer.key != tuple(id(p) for p in params):
            if self.reducer is not None:
                self.reducer.close()
            self.reducer = FitReducer(params, self.cap_bytes)
        self.reducer.arm()

    def after_step(self, model, logs):
        """Rank 0's buffers on every rank (BatchNorm's running statistics: each
        rank's step moved its own), and the step's logs over every rank."""
        if self.world > 1:
            buffers = [buffer for _, buffer in model.named_buffers()]
            if buffers:
                _broadcast_tensors(buffers)
        return self.reduce(model, logs)

    def reduce(self, model, logs, validation=False):
        """``logs`` over every rank (a collective)."""
        samples = self.validation_samples if validation else self.samples
        return reduce_logs(model.metrics, logs, samples)

    def agree(self, stop):
        """True on every rank when ``stop`` is True on any (a collective).

        Example:
            >>> from ndgrad.distributed import DataParallel
            >>> from ndgrad.distributed.fit_sync import FitSync
            >>> FitSync(DataParallel()).agree(True)
            True
        """
        return bool(all_reduce(np.array([1 if stop else 0], np.int32), op="max")[0])

    # ------------------------------------------------------------ gradients
    def _buckets(self, params):
        key = tuple(id(p) for p in params)
        if self._layout is None or self._layout[0] != key:
            buckets = assign_buckets(params, self.cap_bytes, min(self.cap_bytes, 1024 * 1024))
            self._layout = (key, buckets)
        return self._layout[1]

    def _average(self, optimizer, prepared):
        """The optimizer's ``(param, gradient, group)`` entries, each gradient
        replaced by its average over the ranks; a parameter that got a gradient
        on some rank only is averaged with zeros from the others (as DDP)."""
        if self.world == 1:         # the average over one rank: no copies, no collectives
            return prepared
        params = list(optimizer.params)
        index_of = {id(p): i for i, p in enumerate(params)}
        sent = self.reducer.averaged(prepared) if self.reducer is not None else None
        if sent is not None:        # the buckets sent during the backward hold them
            return _entries(optimizer, params, index_of, prepared, *sent)
        gradients = [None] * len(params)
        for param, gradient, _ in prepared:
            gradients[index_of[id(param)]] = gradient
        works = []
        for bucket in self._buckets(params):
            flat = np.concatenate([
                (np.zeros(params[i]._data.size, params[i]._data.dtype) if gradients[i] is None
                 else np.asarray(gradients[i], params[i]._data.dtype).reshape(-1))
                for i in bucket])
            works.append(all_reduce(flat, op="sum", async_op=True))
        used = all_reduce(np.array([g is not None for g in gradients], np.int32), op="sum",
                          async_op=True)
        averaged = [None] * len(params)
        for bucket, work in zip(self._buckets(params), works):
            flat, offset = work.wait(), 0
            for i in bucket:
                size = params[i]._data.size
                averaged[i] = (flat[offset:offset + size] / self.world).reshape(params[i].shape)
                offset += size
        return _entries(optimizer, params, index_of, prepared, averaged, used.wait())


def _entries(optimizer, params, index_of, prepared, averaged, used):
    """The optimizer's entries with the averages: those it was given, then the
    parameters that got a gradient on some other rank only."""
    group_of = {id(p): group for group in optimizer.param_groups for p in group["params"]}
    result = [(param, averaged[index_of[id(param)]], group) for param, _, group in prepared]
    local = {id(param) for param, _, _ in prepared}
    result += [(params[i], averaged[i], group_of[id(params[i])])
               for i in range(len(params)) if used[i] and id(params[i]) not in local]
    return result
