"""Callbacks that set the optimizer's learning rate between epochs.

``LearningRateScheduler(schedule)`` sets it at the start of each epoch to
``schedule(epoch, lr)`` (or ``schedule(epoch)``); ``ReduceLROnPlateau``
multiplies it by ``factor`` when a monitored quantity stops improving. Both
add the rate in use as ``learning_rate`` to the epoch's logs, as Keras does,
so it appears in ``History`` and in CSVLogger's file.

Example:
    >>> from ndgrad.training.callbacks import LearningRateScheduler
    >>> scheduler = LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    >>> scheduler.schedule(2, 0.1)
    0.05
"""

import inspect
import numbers

from .base import Callback
from .monitoring import check_mode, monitored_value

__all__ = ["LearningRateScheduler", "ReduceLROnPlateau"]


def _optimizer(model, owner):
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(f"{owner}: the model has no optimizer with a learning_rate; call "
                         "model.compile(optimizer=...) first")
    return optimizer


def _takes_two(function):
    """Whether ``schedule`` takes ``(epoch, lr)`` rather than ``(epoch)``."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return True
    positional = [p for p in parameters
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


class LearningRateScheduler(Callback):
    """Set the learning rate at the start of each epoch from ``schedule``.

    Args:
        schedule: ``schedule(epoch, lr) -> new_lr`` (``epoch`` counts from 0,
            ``lr`` is the current rate) or ``schedule(epoch) -> new_lr``.
        verbose: 1 prints the rate at each epoch.

    Example:
        >>> import numpy as np, ndgrad
        >>> from ndgrad.training.callbacks import LearningRateScheduler
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.1), loss="mse")
        >>> x = np.ones((4, 1), np.float32)
        >>> history = model.fit(x, x, epochs=3, verbose=0,
        ...                     callbacks=[LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))])
        >>> [round(lr, 4) for lr in history.history["learning_rate"]]
        [0.1, 0.05, 0.0333]
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"LearningRateScheduler: schedule must be callable; got "
                            f"{type(schedule).__name__}")
        self.schedule = schedule
        self.verbose = verbose
        self._two_arguments = _takes_two(schedule)

    def on_epoch_begin(self, epoch, logs=None):
        """Set the optimizer's learning rate to the schedule's value for ``epoch``."""
        optimizer = _optimizer(self.model, "LearningRateScheduler")
        current = float(optimizer.learning_rate)
        value = (self.schedule(epoch, current) if self._two_arguments
                 else self.schedule(epoch))
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
            raise ValueError(f"LearningRateScheduler: the schedule must return a number >= 0; "
                             f"for epoch {epoch} it returned {value!r}")
        optimizer.learning_rate = float(value)
        if self.verbose > 0:
            print(f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                  f"{float(value)}.")

    def on_epoch_end(self, epoch, logs=None):
        """Add ``learning_rate`` to the epoch's logs."""
        if logs is not None:
            logs["learning_rate"] = float(_optimizer(self.model, "LearningRateScheduler")
                                          .learning_rate)


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when ``monitor`` stops improving.

    Args:
        monitor: the log to watch (default ``"val_loss"``).
        factor: the multiplier, in (0, 1).
        patience: epochs without improvement before reducing.
        verbose: 1 prints each reduction.
        mode: ``"auto"`` (max when the name has "acc", else min), ``"min"``, ``"max"``.
        min_delta: the smallest change that counts as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the rate never goes below this.

    Example:
        >>> from ndgrad.training.callbacks import ReduceLROnPlateau
        >>> import ndgrad
        >>> class Model:
        ...     optimizer = ndgrad.optim.SGD(learning_rate=0.1)
        >>> reducer = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1)
        >>> reducer.set_model(Model()); reducer.on_train_begin()
        >>> for epoch, loss in enumerate([1.0, 1.0, 1.0]):
        ...     reducer.on_epoch_end(epoch, {"loss": loss})
        >>> Model.optimizer.learning_rate
        0.025
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0):
        super().__init__()
        if not isinstance(factor, numbers.Real) or not 0 < factor < 1:
            raise ValueError(f"ReduceLROnPlateau: factor must be in (0, 1) (the rate is "
                             f"multiplied by it); got {factor!r}")
        for label, value in (("patience", patience), ("cooldown", cooldown)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
                raise ValueError(f"ReduceLROnPlateau: {label} must be a non-negative int; "
                                 f"got {value!r}")
        self.monitor = monitor
        self.factor = float(factor)
        self.patience = int(patience)
        self.verbose = verbose
        self.mode = check_mode(mode, "ReduceLROnPlateau")
        self.min_delta = float(min_delta)
        self.cooldown = int(cooldown)
        self.min_lr = float(min_lr)
        self._reset()

    def _reset(self):
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self._better = lambda a, b: a < b - self.min_delta
            self.best = float("inf")
        else:
            self._better = lambda a, b: a > b + self.min_delta
            self.best = float("-inf")
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        """Reset the best value, the wait and the cooldown."""
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        """Count epochs without improvement; reduce the rate after ``patience``."""
        optimizer = _optimizer(self.model, "ReduceLROnPlateau")
        if logs is not None:
            logs["learning_rate"] = float(optimizer.learning_rate)
        current = monitored_value(logs, self.monitor, "ReduceLROnPlateau")
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._better(current, self.best):
            self.best = current
            self.wait = 0
        elif self.cooldown_counter == 0:
            self.wait += 1
            if self.wait >= self.patience:
                old = float(optimizer.learning_rate)
                if old > self.min_lr:
                    new = max(old * self.factor, self.min_lr)
                    optimizer.learning_rate = new
                    if self.verbose > 0:
                        print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate "
                              f"to {new}.")
                    self.cooldown_counter = self.cooldown
                    self.wait = 0
