"""Gradient buckets: averaging gradients across ranks while backward runs.

The trainable parameters are grouped, in reverse order of
``module.parameters()`` (roughly the order in which backward finishes them),
into buckets of about ``bucket_cap_mb`` megabytes, one dtype per bucket; the
first bucket is capped at 1 MB so that communication starts early (as
PyTorch's DDP does). Each parameter has a post-accumulate hook
(``Tensor.register_post_accumulate_grad_hook``): when backward has finished
its gradient, the hook marks it ready, and when a bucket's gradients are all
ready its gradients are copied into one flat buffer and a non-blocking
allreduce (sum) starts, while backward goes on with earlier layers. Buckets
start strictly in index order on every rank, which keeps the ranks'
collectives in the same order. At the end of backward a final callback waits
for every bucket and writes the average (the sum over the world size) back
into each ``.grad``: the optimizer's step sees averaged gradients.

The environment variable ``NDGRAD_DISTRIBUTED_OVERLAP=0`` (read when a
reducer is made) starts every bucket only at the end of backward instead:
the same averages, without overlap (for measuring what overlap gains).

Parameters with no gradient (``find_unused_parameters``, as PyTorch):

- False: every trainable parameter must get a gradient in every synchronised
  backward; one that gets none is an error at the end of that backward,
  naming it (PyTorch raises at the next forward, naming indices).
- True: after the forward the graph is searched from the outputs; a parameter
  it does not reach (and one reached that still got no gradient by the end)
  counts as ready with zeros. A parameter that no rank used keeps its
  ``.grad`` untouched (None stays None); one that some rank used gets the
  average like any other.

Example:
    >>> import ndgrad.torch as torch
    >>> from ndgrad.distributed.buckets import assign_buckets
    >>> net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Linear(3, 2))
    >>> assign_buckets(list(net.parameters()), cap_bytes=48, first_cap_bytes=16)
    [[3, 2], [1, 0]]
"""

import numbers
import os
import weakref

import numpy as np

from ..autograd import post_accumulate
from ..autograd.graph import _topological_order
from ..tensor import Tensor
from . import waiting
from .collectives import all_reduce
from .world import WORLD

__all__ = ["assign_buckets", "check_bucket_cap", "overlap_enabled", "Reducer"]


def check_bucket_cap(owner, bucket_cap_mb):
    """Refuse a ``bucket_cap_mb`` that is not a positive number of megabytes, in
    ``owner``'s name (DistributedDataParallel's and DataParallel's argument).

    Example:
        >>> from ndgrad.distributed.buckets import check_bucket_cap
        >>> check_bucket_cap("DataParallel", 25)
    """
    if isinstance(bucket_cap_mb, bool) or not isinstance(bucket_cap_mb, numbers.Real) \
            or not bucket_cap_mb > 0:
        raise ValueError(f"{owner}: bucket_cap_mb must be a positive number of megabytes; got "
                         f"{bucket_cap_mb!r}")


def overlap_enabled():
    """Whether buckets start while backward runs (``NDGRAD_DISTRIBUTED_OVERLAP``,
    default on; ``0`` turns it off).

    Example:
        >>> from ndgrad.distributed.buckets import overlap_enabled
        >>> overlap_enabled()
        True
    """
    value = os.environ.get("NDGRAD_DISTRIBUTED_OVERLAP", "1").strip().lower()
    if value not in ("0", "1", "off", "on", "false", "true", ""):
        raise ValueError(f"ndgrad.distributed: NDGRAD_DISTRIBUTED_OVERLAP must be 1 (overlap "
                         f"the gradients' allreduce with backward) or 0 (after backward); got "
                         f"{value!r}")
    return value not in ("0", "off", "false")


def assign_buckets(parameters, cap_bytes, first_cap_bytes):
    """Indices of ``parameters`` grouped into buckets: reverse order, one dtype
    per bucket, a bucket closed once it holds ``cap_bytes`` (the first one
    ``first_cap_bytes``).

    Example:
        >>> from ndgrad.distributed.buckets import assign_buckets
        >>> import ndgrad
        >>> ps = [ndgrad.zeros(10), ndgrad.zeros(10), ndgrad.zeros(10, dtype="float64")]
        >>> assign_buckets(ps, cap_bytes=1000, first_cap_bytes=1000)
        [[2], [1, 0]]
    """
    buckets, open_buckets = [], {}
    for index in reversed(range(len(parameters))):
        parameter = parameters[index]
        key = parameter.dtype
        bucket = open_buckets.setdefault(key, [[], 0])
        bucket[0].append(index)
        bucket[1] += parameter._data.nbytes
        if bucket[1] >= (first_cap_bytes if not buckets else cap_bytes):
            buckets.append(bucket[0])
            del open_buckets[key]
    buckets.extend(bucket[0] for bucket in open_buckets.values())
    return sorted(buckets, key=lambda b: len(parameters) - 1 - b[0])


class _Bucket:
    __slots__ = ("indices", "offsets", "buffer", "remaining", "work")

    def __init__(self, indices, parameters):
        self.indices = indices
        sizes = [parameters[i]._data.size for i in indices]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int).tolist()
        dtype = parameters[indices[0]].dtype
        self.buffer = np.empty(self.offsets[-1], dtype=dtype) if WORLD.size > 1 else None
        self.remaining = len(indices)
        self.work = None


class Reducer:
    """The buckets of one DistributedDataParallel and the per-iteration state."""

    def __init__(self, names, parameters, cap_bytes, find_unused, owner="DistributedDataParallel",
                 hooks=True):
        self.owner = owner
        self.overlap = overlap_enabled()
        self.names = names                       # of the trainable parameters
        self.parameters = parameters
        self.find_unused = find_unused
        groups = assign_buckets(parameters, cap_bytes, min(cap_bytes, 1024 * 1024))
        self.buckets = [_Bucket(group, parameters) for group in groups]
        self.bucket_of = {}
        for b, bucket in enumerate(self.buckets):
            for slot, index in enumerate(bucket.indices):
                self.bucket_of[index] = (b, slot)
        self.expect = False                      # a synchronised forward was run
        self.used = np.zeros(len(parameters), np.int32)
        self._reset()
        reference = weakref.ref(self)
        self.handles = [p.register_post_accumulate_grad_hook(_hook(reference, i))
                        for i, p in enumerate(parameters)] if hooks else []

    def remove_hooks(self):
        """Take the hooks off the parameters (the wrapper is gone)."""
        for handle in self.handles:
            handle.remove()

    def _reset(self):
        self.ready = np.zeros(len(self.parameters), bool)
        for bucket in self.buckets:
            bucket.remaining, bucket.work = len(bucket.indices), None
        self.next_bucket = 0
        self.queued = False
        self.unused = ()

    # ------------------------------------------------------------ forward
    def prepare(self, output):
        """After a synchronised forward: expect the hooks of this backward."""
        self._reset()
        self.expect = True
        if self.find_unused:
            roots = [t._node for t in _tensors(output) if t._node is not None]
            leaves = []
            _topological_order(roots, leaves)
            reached = {id(leaf) for leaf in leaves}
            self.unused = [i for i, p in enumerate(self.parameters) if id(p) not in reached]

    # ------------------------------------------------------------ backward
    def gradient_ready(self, index):
        """A parameter's gradient is final in this backward (its hook)."""
        self.used[index] = 1
        if not self.expect:                      # no_sync, or a forward under no_grad
            return
        if not self.queued:
            self.queued = True
            post_accumulate.queue_callback(self.finish)
            for unused in self.unused:
                self._mark(unused)
        self._mark(index)
        for bucket in self.buckets[:self.next_bucket]:   # let MPI move the started ones on
            if bucket.work is not None:
                waiting.test(bucket.work)

    def _mark(self, index):
        if self.ready[index]:
            raise RuntimeError(
                f"{self.owner}: parameter '{self.names[index]}' got a gradient twice in one "
                f"iteration (two backward passes through the graph of one forward); run a "
                f"forward before each backward, or accumulate inside no_sync()")
        self.ready[index] = True
        b, _ = self.bucket_of[index]
        self.buckets[b].remaining -= 1
        if self.overlap:
            self._start_ready()

    def _start_ready(self):
        """Start the buckets whose gradients are all final, in index order."""
        while self.next_bucket < len(self.buckets) and \
                self.buckets[self.next_bucket].remaining == 0:
            self._start(self.buckets[self.next_bucket])
            self.next_bucket += 1

    def _gradient(self, index):
        """The final gradient (an array) of parameter ``index``, or None."""
        grad = self.parameters[index].grad
        return None if grad is None else grad._data

    def _start(self, bucket):
        if bucket.buffer is None:                # a world of one: nothing to send
            return
        buffer, offsets = bucket.buffer, bucket.offsets
        for slot, index in enumerate(bucket.indices):
            grad = self._gradient(index)
            part = buffer[offsets[slot]:offsets[slot + 1]]
            if grad is None:
                part.fill(0)
            else:
                part[...] = grad.reshape(-1)
        comm = WORLD.comm
        request = comm.Iallreduce(WORLD.mpi.IN_PLACE, buffer, op=WORLD.mpi.SUM)
        bucket.work = waiting.start(f"{self.owner} gradient bucket {self.buckets.index(bucket)}",
                                    [request])

    def finish(self):
        """At the end of backward: start what is left, wait, write averages back."""
        missing = np.flatnonzero(~self.ready)
        if len(missing) and not self.find_unused:
            names = ", ".join(f"'{self.names[i]}'" for i in missing[:10])
            self.expect = False
            raise RuntimeError(
                f"{self.owner}: {len(missing)} trainable parameter(s) got no gradient in this "
                f"backward: {names}{' ...' if len(missing) > 10 else ''}. Every rank must "
                f"average every gradient; if the forward does not use some parameters, pass "
                f"find_unused_parameters=True, or freeze them (requires_grad_(False)) before "
                f"wrapping the module")
        for index in missing:
            self._mark(index)
        self._start_ready()
        used = all_reduce(self.used, op="max", async_op=True) if self.find_unused else None
        for bucket in self.buckets:
            if bucket.work is not None:
                waiting.wait(bucket.work)
        globally_used = used.wait() if used is not None else None
        if WORLD.size > 1:
            for bucket in self.buckets:
                self._write_back(bucket, globally_used)
        self.used[:] = 0
        self.expect = False
        self._reset()

    def _write_back(self, bucket, globally_used):
        buffer, offsets, size = bucket.buffer, bucket.offsets, WORLD.size
        for slot, index in enumerate(bucket.indices):
            if globally_used is not None and not globally_used[index]:
                continue                         # no rank used it: .grad stays as it was
            parameter = self.parameters[index]
            total = buffer[offsets[slot]:offsets[slot + 1]].reshape(parameter.shape)
            if parameter.grad is None:
                parameter.grad = Tensor._wrap(total / size)
            else:                                # one pass: divide into .grad
                np.divide(total, size, out=parameter.grad._data)


def _hook(reference, index):
    def hook(parameter):
        reducer = reference()
        if reducer is not None:
            reducer.gradient_ready(index)
    return hook


def _tensors(value):
    """The tensors in a (nested) forward output."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _tensors(item)]
    return []
