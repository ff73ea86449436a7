"""EarlyStopping: stop training when a monitored quantity stops improving.

Keras 3's rules: at the end of each epoch (from ``start_from_epoch`` on) the
monitored value is compared with the best so far; it improves when it beats
the best by more than ``min_delta``. After ``patience`` epochs without
improvement (and not at the first epoch) ``model.stop_training`` is set. With
``baseline``, an improvement only resets the patience when it also beats the
baseline. With ``restore_best_weights=True`` the weights of the best epoch are
put back when training ends (the current weights count as the best until an
epoch improves on them).

Example:
    >>> from ndgrad.training.callbacks import EarlyStopping
    >>> stopper = EarlyStopping(monitor="loss", patience=1)
    >>> class Model:
    ...     stop_training = False
    >>> stopper.set_model(Model()); stopper.on_train_begin()
    >>> for epoch, loss in enumerate([1.0, 0.5, 0.6]):
    ...     stopper.on_epoch_end(epoch, {"loss": loss})
    >>> stopper.model.stop_training, stopper.stopped_epoch, stopper.best
    (True, 2, 0.5)
"""

import numbers

from .base import Callback
from .monitoring import check_mode, monitored_value, resolve_mode

__all__ = ["EarlyStopping"]


class EarlyStopping(Callback):
    """Stop ``fit`` when ``monitor`` has not improved for ``patience`` epochs.

    Args:
        monitor: the log to watch (default ``"val_loss"``).
        min_delta: the smallest change that counts as an improvement.
        patience: epochs without improvement before stopping.
        verbose: 1 prints when it stops and when it restores weights.
        mode: ``"auto"``, ``"min"`` or ``"max"`` (see the monitoring rules).
        baseline: a value the monitored quantity must beat for the patience
            to reset.
        restore_best_weights: put the best epoch's weights back at the end.
        start_from_epoch: epochs to wait before watching at all (warm-up).

    Attributes:
        best, best_epoch, stopped_epoch, wait: the state, as in Keras.

    Example:
        >>> import numpy as np, ndgrad
        >>> from ndgrad.training.callbacks import EarlyStopping
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.0), loss="mse")
        >>> x = np.ones((4, 1), np.float32)
        >>> history = model.fit(x, x, epochs=10, verbose=0,
        ...                     callbacks=[EarlyStopping(monitor="loss", patience=2)])
        >>> len(history.epoch)      # no change with learning_rate=0: stops after epoch 3
        3
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        for label, value in (("patience", patience), ("start_from_epoch", start_from_epoch)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
                raise ValueError(f"EarlyStopping: {label} must be a non-negative int; "
                                 f"got {value!r}")
        if not isinstance(min_delta, numbers.Real):
            raise TypeError(f"EarlyStopping: min_delta must be a number; got {min_delta!r}")
        self.monitor = monitor
        self.min_delta = abs(float(min_delta))
        self.patience = int(patience)
        self.verbose = verbose
        self.mode = check_mode(mode, "EarlyStopping")
        self.baseline = None if baseline is None else float(baseline)
        self.restore_best_weights = bool(restore_best_weights)
        self.start_from_epoch = int(start_from_epoch)
        self._direction = None
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_train_begin(self, logs=None):
        """Reset the state (a callback object can serve several ``fit`` calls)."""
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        if self._direction == "min":
            return value + self.min_delta < reference
        return value - self.min_delta > reference

    def on_epoch_end(self, epoch, logs=None):
        """Compare this epoch's value with the best; stop when patience runs out."""
        if self._direction is None:
            self._direction = resolve_mode(self.mode, self.monitor, self.model, "EarlyStopping")
        current = monitored_value(logs, self.monitor, "EarlyStopping")
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Until an epoch improves on them, the current weights are the best.
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def stop_reason(self):
        """Why training stopped, in words (``""`` when it did not stop early).

        Example:
            >>> import ndgrad
            >>> stopper = ndgrad.callbacks.EarlyStopping(monitor="loss", patience=2)
            >>> stopper.stop_reason()
            ''
        """
        if not self.stopped_epoch:
            return ""
        best = f"{self.best:.4g}" if isinstance(self.best, float) else str(self.best)
        return (f"{self.monitor} did not improve for {self.wait} epochs (patience={self.patience}"
                f"{f', min_delta={self.min_delta}' if self.min_delta else ''}); the best "
                f"{self.monitor} was {best} at epoch {self.best_epoch + 1}")

    def on_train_end(self, logs=None):
        """Report the stop and put the best weights back when asked."""
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping: {self.stop_reason()}")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)
