"""The loop behind ``fit`` (Keras 3 semantics and arguments).

The data goes through one adapter (:mod:`ndgrad.training.adapters`: arrays,
Datasets, DataLoaders, PyDatasets, ``tf.data.Dataset`` s, generators) and is
cut into epochs by :mod:`ndgrad.training.epoch_iterator`. For each epoch from
``initial_epoch`` to ``epochs - 1``: reset the metrics, start the epoch's
batches, call ``model.train_step`` on each (at most ``steps_per_epoch``) with the
callbacks around it, then, every ``validation_freq`` epochs, evaluate the
validation data (at most ``validation_steps`` batches; ``val_`` logs) and call
``on_epoch_end``. ``class_weight`` turns into per-sample weights. ``fit``
stops early when ``model.stop_training`` is set (after the current batch) or
on Ctrl-C (see :mod:`ndgrad.training.interrupt`). Under a
:class:`~ndgrad.distributed.DataParallel` the same loop trains data-parallel
across MPI ranks: the hooks of :mod:`ndgrad.distributed.fit_sync` shard the
data, average the gradients, reduce the logs and agree on stopping.

Example:
    >>> import numpy as np, ndgrad
    >>> ndgrad.random.seed(0)
    >>> x = np.linspace(-1, 1, 64, dtype=np.float32)[:, None]
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(1,))])
    >>> model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.5), loss="mse")
    >>> history = model.fit(x, 3 * x + 1, epochs=20, batch_size=16, verbose=0)
    >>> round(model.evaluate(x, 3 * x + 1, verbose=0), 6)
    0.0
"""

import contextlib
import numbers
import sys
import warnings

from ..nn.module_building import snapshot
from .adapters import make_adapter, validation_adapter
from .callbacks import CallbackList
from .epoch_iterator import EpochIterator
from .inputs import check_fraction, class_weight_to_sample_weight, split_for_validation
from .interrupt import InterruptGuard
from .loop import (_evaluate_epochs, _float_logs, _non_negative_int, _require_compiled,
                   _verbosity, optional_steps)

__all__ = ["fit"]


def _validation_freq(value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"fit: validation_freq must be a positive int; got {value!r}")
    return int(value)


def _warn_exhausted(adapter, epoch, epochs, initial_epoch, label="x"):
    done = epoch - initial_epoch
    what = ("training stops here" if label == "x" else
            "the following epochs have no val_ logs")
    warnings.warn(
        f"fit: Your input ran out of data: {label} ({adapter.kind}) has no batches left at the "
        f"start of epoch {epoch + 1}/{epochs}, after {done} epoch{'' if done == 1 else 's'}; "
        f"{what}. A generator cannot start again: make it loop forever and pass "
        f"{'steps_per_epoch' if label == 'x' else 'validation_steps'} (its batches per epoch), "
        "or pass data that can be read again every epoch (a keras.utils.PyDataset, a "
        "tf.data.Dataset, a DataLoader or arrays).", UserWarning, stacklevel=3)


def fit(model, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
        validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
        sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
        validation_batch_size=None, validation_freq=1):
    """Train ``model`` for ``epochs`` epochs; returns the History.

    ``model.fit(...)`` calls this; the arguments are those of
    :meth:`ndgrad.Model.fit`, with the model first. A fit that fails before its
    first training step completes leaves ndgrad's random state as it found it
    (the shuffle and the first batch's dropout drew nothing that counts), as it
    leaves the weights, the optimizer and the layers' ``built`` flags: all are put
    back as they were before the call.

    Example:
        >>> import numpy as np, ndgrad
        >>> from ndgrad.training import fit
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> fit(model, np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0).epoch
        [0, 1]
    """
    undo = _snapshot(model)
    progress = {"stepped": False}
    try:
        return _fit(model, progress, x, y, batch_size, epochs, verbose, callbacks,
                    validation_split, validation_data, shuffle, class_weight, sample_weight,
                    initial_epoch, steps_per_epoch, validation_steps, validation_batch_size,
                    validation_freq)
    except BaseException:
        if not progress["stepped"]:
            undo()
        raise


def _snapshot(model):
    """A function that puts back what a fit changes before its first step completes:
    the layers built by the first batch (weights, ``built``, buffers), the optimizer's
    groups, slots and step count, and ndgrad's random state."""
    undo_model = snapshot(model)
    optimizer = getattr(model, "optimizer", None)
    saved = None
    if optimizer is not None and hasattr(optimizer, "param_groups"):
        saved = (list(optimizer.param_groups), [dict(g) for g in optimizer.param_groups],
                 dict(optimizer.state), optimizer.iterations)

    def undo():
        undo_model()
        if saved is not None:
            groups, contents, state, iterations = saved
            optimizer.param_groups[:] = groups
            for group, content in zip(groups, contents):
                group.clear()
                group.update(content)
            optimizer.state.clear()
            optimizer.state.update(state)
            optimizer.iterations = iterations
    return undo


def _data_parallel(model):
    """The data-parallel side of this fit (ndgrad.distributed), or None."""
    from ..distributed.data_parallel import active_for
    strategy = active_for(model)
    if strategy is None:
        return None
    from ..distributed.fit_sync import FitSync
    return FitSync(strategy)


def _fit(model, progress, x, y, batch_size, epochs, verbose, callbacks, validation_split,
         validation_data, shuffle, class_weight, sample_weight, initial_epoch, steps_per_epoch,
         validation_steps, validation_batch_size, validation_freq):
    # fit's body; ``progress["stepped"]`` turns True once a training step completed
    _require_compiled(model, "fit")
    verbose = _verbosity(verbose, "fit")
    epochs = _non_negative_int(epochs, "epochs", "fit")
    initial_epoch = _non_negative_int(initial_epoch, "initial_epoch", "fit")
    steps_per_epoch = optional_steps(steps_per_epoch, "steps_per_epoch", "fit")
    validation_steps = optional_steps(validation_steps, "validation_steps", "fit")
    validation_freq = _validation_freq(validation_freq)
    check_fraction(validation_split)
    sync = _data_parallel(model)
    if sync is not None:
        verbose = sync.verbose(verbose)
    if validation_split and validation_data is None:
        if class_weight is not None:
            sample_weight = class_weight_to_sample_weight(y, class_weight, sample_weight)
            class_weight = None
        (x, y, sample_weight), validation_data = split_for_validation(
            x, y, sample_weight, validation_split)
    adapter = make_adapter("fit", x, y, sample_weight, batch_size, bool(shuffle),
                           steps_per_epoch, class_weight)
    train = EpochIterator(adapter if sync is None else sync.shard(adapter), steps_per_epoch)
    validation = None
    if validation_data is not None:
        adapter = validation_adapter(validation_data, batch_size, validation_batch_size)
        validation = EpochIterator(
            adapter if sync is None else sync.shard(adapter, "validation_data"),
            validation_steps, "fit", "validation_steps", "validation_data")
    callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                 model=model, verbose=verbose, epochs=epochs,
                                 steps=train.num_batches)
    model.stop_training = False
    model._fit_data_loader = train.adapter.loader
    epoch_logs, interrupted = {}, False
    try:
        with InterruptGuard() as guard, \
                (sync.running(model) if sync is not None else contextlib.nullcontext()):
            callback_list.on_train_begin()
            for epoch in range(initial_epoch, epochs):
                if not train.start(epoch):
                    _warn_exhausted(train.adapter, epoch, epochs, initial_epoch)
                    break
                model.reset_metrics()
                callback_list.on_epoch_begin(epoch)
                logs = {}
                if sync is not None:
                    sync.start_epoch()
                for step, batch in train:
                    callback_list.on_train_batch_begin(step)
                    if sync is not None:
                        sync.before_step(model, batch)
                    logs = _float_logs(model.train_step(batch), "fit")
                    progress["stepped"] = True
                    if sync is not None:
                        logs = sync.after_step(model, logs)
                    callback_list.on_train_batch_end(step, logs)
                    if sync is not None:
                        model.stop_training = sync.agree(model.stop_training)
                    if model.stop_training or guard.requested:
                        break
                if guard.requested:
                    interrupted = True
                    break
                callback_list.params["steps"] = train.num_batches
                logs = dict(logs)
                if validation is not None and (epoch + 1) % validation_freq == 0:
                    val_logs = _evaluate_epochs(model, validation, callback_list, guard)
                    if sync is not None and val_logs is not None:
                        val_logs = sync.reduce(model, val_logs, validation=True)
                    if guard.requested:
                        interrupted = True
                        break
                    if val_logs is None:
                        _warn_exhausted(validation.adapter, epoch, epochs, initial_epoch,
                                        "validation_data")
                        validation = None
                    else:
                        logs.update({"val_" + name: value for name, value in val_logs.items()})
                callback_list.on_epoch_end(epoch, logs)
                epoch_logs = logs
                if sync is not None:
                    model.stop_training = sync.agree(model.stop_training)
                if model.stop_training or guard.requested:
                    interrupted = guard.requested
                    break
            callback_list.history.interrupted = interrupted
            callback_list.on_train_end(epoch_logs)
            if interrupted and verbose:
                done = len(callback_list.history.epoch)
                print(f"Training interrupted (Ctrl-C) after {done} complete epoch"
                      f"{'' if done == 1 else 's'}; the model keeps the weights of the last "
                      "completed step.", file=sys.stdout, flush=True)
    finally:
        model._fit_data_loader = None
        if callback_list.progress is not None:
            callback_list.progress.close()
    return callback_list.history
