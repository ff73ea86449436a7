"""The loop behind ``fit`` (Keras 3 semantics and arguments).

For each epoch from ``initial_epoch`` to ``epochs - 1``: reset the metrics,
put the loader on that epoch's order (``set_epoch``), call
``model.train_step`` on each batch (at most ``steps_per_epoch``) with the
callbacks around it, then, every ``validation_freq`` epochs, evaluate the
validation data (at most ``validation_steps`` batches; ``val_`` logs) and call
``on_epoch_end``. ``class_weight`` turns into per-sample weights. ``fit``
stops early when ``model.stop_training`` is set (after the current batch) or
on Ctrl-C (see :mod:`ndgrad.training.interrupt`).

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

import numbers
import sys

from .callbacks import CallbackList
from .inputs import (check_fraction, class_weight_to_sample_weight, make_loader,
                     split_for_validation, validation_loader)
from .interrupt import InterruptGuard
from .loop import (_evaluate_loader, _float_logs, _loader_length, _non_negative_int,
                   _require_compiled, _set_epoch, _verbosity, optional_steps)

__all__ = ["fit"]


def _validation_freq(value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"fit: validation_freq must be a positive int; got {value!r}")
    return int(value)


def fit(model, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
        validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
        sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
        validation_batch_size=None, validation_freq=1):
    """Train ``model`` for ``epochs`` epochs; returns the History.

    ``model.fit(...)`` calls this; the arguments are those of
    :meth:`ndgrad.Model.fit`, with the model first.

    Example:
        >>> import numpy as np, ndgrad
        >>> from ndgrad.training import fit
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> fit(model, np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0).epoch
        [0, 1]
    """
    _require_compiled(model, "fit")
    verbose = _verbosity(verbose, "fit")
    epochs = _non_negative_int(epochs, "epochs", "fit")
    initial_epoch = _non_negative_int(initial_epoch, "initial_epoch", "fit")
    steps_per_epoch = optional_steps(steps_per_epoch, "steps_per_epoch", "fit")
    validation_steps = optional_steps(validation_steps, "validation_steps", "fit")
    validation_freq = _validation_freq(validation_freq)
    batch_size = 32 if batch_size is None else batch_size
    check_fraction(validation_split)
    if class_weight is not None:
        sample_weight = class_weight_to_sample_weight(y, class_weight, sample_weight)
    if validation_split and validation_data is None:
        (x, y, sample_weight), validation_data = split_for_validation(
            x, y, sample_weight, validation_split)
    train_loader = make_loader("fit", x, y, batch_size, shuffle=bool(shuffle),
                               sample_weight=sample_weight)
    val_loader = (validation_loader(validation_data, validation_batch_size or batch_size)
                  if validation_data is not None else None)
    steps = steps_per_epoch or _loader_length(train_loader)
    callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                 model=model, verbose=verbose, epochs=epochs, steps=steps)
    model.stop_training = False
    model._fit_data_loader = train_loader
    epoch_logs, interrupted = {}, False
    try:
        with InterruptGuard() as guard:
            callback_list.on_train_begin()
            for epoch in range(initial_epoch, epochs):
                model.reset_metrics()
                _set_epoch(train_loader, epoch)
                callback_list.on_epoch_begin(epoch)
                logs = {}
                for step, batch in enumerate(train_loader):
                    callback_list.on_train_batch_begin(step)
                    logs = _float_logs(model.train_step(batch), "fit")
                    callback_list.on_train_batch_end(step, logs)
                    if model.stop_training or guard.requested or (
                            steps_per_epoch is not None and step + 1 >= steps_per_epoch):
                        break
                if guard.requested:
                    interrupted = True
                    break
                logs = dict(logs)
                if val_loader is not None and (epoch + 1) % validation_freq == 0:
                    val_logs = _evaluate_loader(model, val_loader, callback_list, guard,
                                                steps=validation_steps)
                    if guard.requested:
                        interrupted = True
                        break
                    logs.update({"val_" + name: value for name, value in val_logs.items()})
                callback_list.on_epoch_end(epoch, logs)
                epoch_logs = logs
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
