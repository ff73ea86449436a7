"""DataParallel: ``model.fit`` data-parallel across the ranks, with one opt-in line.

Launch the unchanged Keras-style script under ``mpirun -n N`` and put the
fit (or the compile) in a scope::

    strategy = ndgrad.distributed.DataParallel()
    with strategy.scope():
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=64, epochs=5, callbacks=[...])

or, as Keras 3 spells it, ``keras.distribution.set_distribution(
keras.distribution.DataParallel())`` once at the top. A model compiled inside
the scope stays data-parallel for its later fits; a fit called inside the
scope (or while a distribution is set) is data-parallel too. What such a fit
does (see ``fit_sync.py``):

- When training starts (after the first batch has built a lazily built
  model) every rank's model is compared with rank 0's and rank 0's weights
  and buffers are broadcast, so ranks that initialised differently agree.
- Each rank trains on its shard of the data: arrays, Datasets and
  DataLoaders are split as ``DistributedSampler`` splits them (each epoch's
  order, the same on every rank, padded by repeating its first samples to a
  multiple of N, then every N-th sample from the rank's index), batched by
  the same ``batch_size`` on every rank: the global batch is N x
  ``batch_size`` (as Keras's and Horovod's data parallelism), and N ranks
  with ``batch_size=B`` train as one process with ``batch_size=N*B``.
  Validation data is split without padding (every sample counts once).
  Data that yields whole batches (a generator, a ``tf.data.Dataset``, a
  PyDataset) cannot be split here: shard it yourself and pass
  ``DataParallel(auto_shard_dataset=False)``.
- Every step the gradients given to the optimizer are averaged over the
  ranks (``apply_gradients`` or ``step``, so a custom ``train_step`` is
  covered; an update that bypasses the optimizer, such as a hand-written
  ``assign_sub``, is not averaged), in buckets of ``bucket_cap_mb`` as DistributedDataParallel
  sends them, each bucket's allreduce started during the step's backward
  (``tape.gradient``) as soon as its gradients are final, so communication
  overlaps the rest of the backward (``fit_overlap.py``). BatchNorm
  normalises with each rank's own batch; its running statistics are rank
  0's (broadcast after each step, so that the ranks hold the same model
  between steps and after ``fit``).
- Losses and metrics are reduced over the ranks (their sums and counts
  added, so every sample weighs the same), so every rank's logs, History
  and callbacks see the same numbers; early stopping stops every rank at
  the same epoch (a stop on any rank stops all).
- Rank 0 alone prints (the progress bar, callbacks' lines: the other
  ranks' standard output is muted during fit) and writes files
  (ModelCheckpoint, CSVLogger); when ``fit`` returns, rank 0's files are
  complete on every rank.

Outside ``mpirun`` the world is one process and a data-parallel fit is a
plain fit. ``evaluate`` and ``predict`` are not split: each rank runs them on
the whole data it is given.

Example:
    >>> import numpy as np, ndgrad
    >>> from ndgrad.distributed import DataParallel
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
    >>> with DataParallel().scope():
    ...     model.compile(optimizer="sgd", loss="mse")
    >>> model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, verbose=0).epoch
    [0, 1]
"""

import contextlib

__all__ = ["DataParallel", "set_distribution", "distribution", "active_for"]

_STATE = {"scopes": [], "global": None}


class DataParallel:
    """Data parallelism over the MPI world for ``model.fit`` (see the module).

    Args:
        device_mesh, devices: accepted for Keras 3 programs; must be None
            (each rank is one CPU process, the mesh is the MPI world).
        auto_shard_dataset: split the training and validation data over the
            ranks (arrays, Datasets, DataLoaders); False when each rank is
            given its own shard already.
        bucket_cap_mb: about how many megabytes of gradients one allreduce
            sends (default 25, as DistributedDataParallel).

    Example:
        >>> from ndgrad.distributed import DataParallel
        >>> strategy = DataParallel()
        >>> strategy.num_replicas_in_sync, strategy.auto_shard_dataset
        (1, True)
    """

    def __init__(self, device_mesh=None, devices=None, auto_shard_dataset=True,
                 bucket_cap_mb=25):
        for label, value in (("device_mesh", device_mesh), ("devices", devices)):
            if value is not None:
                raise ValueError(f"DataParallel: {label}={value!r} is not supported; each MPI "
                                 f"rank is one CPU process and the ranks are the mesh: leave "
                                 f"{label} out and launch with mpirun -n N")
        if not isinstance(auto_shard_dataset, bool):
            raise TypeError(f"DataParallel: auto_shard_dataset must be True or False; got "
                            f"{auto_shard_dataset!r}")
        from .buckets import check_bucket_cap
        check_bucket_cap("DataParallel", bucket_cap_mb)
        self.auto_shard_dataset = auto_shard_dataset
        self.bucket_cap_mb = bucket_cap_mb

    @property
    def num_replicas_in_sync(self):
        """The number of ranks (TensorFlow's name); joins the world if needed."""
        from .world import WORLD, init
        if not WORLD.initialized:
            init()
        return WORLD.size

    @property
    def num_processes(self):
        """The number of processes (Keras 3's name; the same as the ranks)."""
        return self.num_replicas_in_sync

    @property
    def data_shard_id(self):
        """This process's shard of the data: its rank (Keras 3's name)."""
        from .world import WORLD, init
        if not WORLD.initialized:
            init()
        return WORLD.rank

    @contextlib.contextmanager
    def scope(self):
        """Models compiled and fits run inside are data-parallel.

        Example:
            >>> from ndgrad.distributed import DataParallel
            >>> from ndgrad.distributed.data_parallel import active_for
            >>> strategy = DataParallel()
            >>> with strategy.scope():
            ...     active_for(None) is strategy
            True
        """
        _STATE["scopes"].append(self)
        try:
            yield self
        finally:
            _STATE["scopes"].remove(self)

    def __repr__(self):
        return (f"DataParallel(auto_shard_dataset={self.auto_shard_dataset}, "
                f"bucket_cap_mb={self.bucket_cap_mb})")


def set_distribution(value):
    """Make every later fit data-parallel (``value`` a DataParallel), or none (None);
    Keras 3's ``keras.distribution.set_distribution``.

    Example:
        >>> from ndgrad.distributed import DataParallel, set_distribution, distribution
        >>> set_distribution(DataParallel()); type(distribution()).__name__
        'DataParallel'
        >>> set_distribution(None); distribution() is None
        True
    """
    if value is not None and not isinstance(value, DataParallel):
        raise TypeError(f"set_distribution: expected a DataParallel or None; got "
                        f"{type(value).__name__}")
    _STATE["global"] = value


def distribution():
    """The distribution :func:`set_distribution` set (None when none).

    Example:
        >>> from ndgrad.distributed import distribution
        >>> distribution() is None
        True
    """
    return _STATE["global"]


def active_for(model):
    """The DataParallel that applies to a fit of ``model`` now: the innermost
    scope, else the one ``model`` was compiled in, else the global one; None
    for a plain fit.

    Example:
        >>> from ndgrad.distributed.data_parallel import active_for
        >>> active_for(None) is None
        True
    """
    if _STATE["scopes"]:
        return _STATE["scopes"][-1]
    compiled_in = getattr(model, "__dict__", {}).get("_data_parallel")
    return compiled_in if compiled_in is not None else _STATE["global"]


def remember_compile(model):
    """Called by ``compile``: a model compiled inside a scope keeps its strategy."""
    if _STATE["scopes"]:
        object.__setattr__(model, "_data_parallel", _STATE["scopes"][-1])
    else:
        model.__dict__.pop("_data_parallel", None)
