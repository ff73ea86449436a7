"""Callback: hooks that ``fit``, ``evaluate`` and ``predict`` call, as in Keras.

A callback overrides the hooks it needs; every hook receives ``logs``, a dict
of Python floats (``{"loss": 0.31, "accuracy": 0.9}``; at the end of an epoch
also ``val_...``). ``self.model`` is the model being trained and
``self.params`` is ``{"verbose", "epochs", "steps"}``. Setting
``self.model.stop_training = True`` ends ``fit`` after the current batch.

``CallbackList`` calls a list of callbacks in order. Batch hooks are called
only on callbacks that override them, so a callback that watches epochs costs
nothing per step.

Example:
    >>> from ndgrad.training.callbacks import Callback
    >>> class CountBatches(Callback):
    ...     def on_train_begin(self, logs=None):
    ...         self.batches = 0
    ...     def on_train_batch_end(self, batch, logs=None):
    ...         self.batches += 1
    >>> counter = CountBatches(); counter.on_train_begin()
    >>> for batch in range(3):
    ...     counter.on_train_batch_end(batch, {"loss": 1.0})
    >>> counter.batches
    3
"""

__all__ = ["Callback", "CallbackList", "writes_files"]

_BATCH_HOOKS = {
    "train_batch_begin": ("on_train_batch_begin", "on_batch_begin"),
    "train_batch_end": ("on_train_batch_end", "on_batch_end"),
    "test_batch_begin": ("on_test_batch_begin",),
    "test_batch_end": ("on_test_batch_end",),
    "predict_batch_begin": ("on_predict_batch_begin",),
    "predict_batch_end": ("on_predict_batch_end",),
}


def writes_files(model):
    """Whether callbacks write their files for ``model`` now: False only on the
    ranks other than 0 of a data-parallel fit (``ndgrad.distributed.DataParallel``),
    where rank 0 alone writes checkpoints and logs.

    Example:
        >>> import ndgrad
        >>> from ndgrad.training.callbacks import writes_files
        >>> writes_files(ndgrad.Sequential())
        True
    """
    return getattr(model, "__dict__", {}).get("_writes_files", True)


class Callback:
    """Base class of callbacks: every hook does nothing until overridden.

    Attributes:
        model: the model, set by ``set_model`` before training starts.
        params: ``{"verbose": ..., "epochs": ..., "steps": ...}``, set by ``set_params``.

    Example:
        >>> import ndgrad
        >>> from ndgrad.training.callbacks import Callback
        >>> class PrintEpoch(Callback):
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         print(f"epoch {epoch} done")
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> _ = model.fit(ndgrad.ones((4, 2)), ndgrad.ones((4, 1)), epochs=1, verbose=0,
        ...               callbacks=[PrintEpoch()])
        epoch 0 done
    """

    def __init__(self):
        self.model = None
        self.params = {}

    def set_params(self, params):
        """Receive ``{"verbose", "epochs", "steps"}`` from ``fit``."""
        self.params = params

    def set_model(self, model):
        """Receive the model being trained, evaluated or used to predict."""
        self.model = model

    # Training: whole run, epochs, batches.
    def on_train_begin(self, logs=None):
        """Called once at the start of ``fit``."""

    def on_train_end(self, logs=None):
        """Called once at the end of ``fit`` (also after an early stop or Ctrl-C)."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of each epoch (``epoch`` counts from 0)."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of each complete epoch with its training and ``val_`` logs."""

    def on_batch_begin(self, batch, logs=None):
        """Alias of ``on_train_batch_begin`` (Keras)."""

    def on_batch_end(self, batch, logs=None):
        """Alias of ``on_train_batch_end`` (Keras)."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before each training batch (``batch`` counts from 0 in each epoch)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after each training batch with the running logs of the epoch."""
        self.on_batch_end(batch, logs=logs)

    # Evaluation (also the validation inside fit) and prediction.
    def on_test_begin(self, logs=None):
        """Called at the start of ``evaluate`` and of each validation pass."""

    def on_test_end(self, logs=None):
        """Called at the end of ``evaluate`` and of each validation pass."""

    def on_test_batch_begin(self, batch, logs=None):
        """Called before each evaluation batch."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after each evaluation batch."""

    def on_predict_begin(self, logs=None):
        """Called at the start of ``predict``."""

    def on_predict_end(self, logs=None):
        """Called at the end of ``predict``."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before each prediction batch."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after each prediction batch; ``logs["outputs"]`` holds its output."""


def _overrides(callback, names):
    cls = type(callback)
    return any(getattr(cls, name) is not getattr(Callback, name) or name in vars(callback)
               for name in names)


class CallbackList:
    """Calls each hook on every callback, in order; adds History and the
    progress printer at the end when asked (so they see the logs as the
    other callbacks left them).

    Args:
        callbacks: a list of :class:`Callback` (or None).
        add_history: append a :class:`~ndgrad.training.callbacks.History` if
            none is in the list.
        add_progbar: append a progress printer if none is in the list.
        model: the model to hand to every callback.
        **params: ``verbose``, ``epochs``, ``steps`` for ``set_params``.

    Example:
        >>> from ndgrad.training.callbacks import CallbackList
        >>> callbacks = CallbackList(add_history=True, verbose=0, epochs=2, steps=3)
        >>> [type(c).__name__ for c in callbacks], callbacks.history.params
        (['History'], {'verbose': 0, 'epochs': 2, 'steps': 3})
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        from .history import History
        from .progress import ProgressLogger
        callbacks = list(callbacks or [])
        for callback in callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(f"callbacks: expected Callback objects; got "
                                f"{type(callback).__name__} (subclass "
                                "ndgrad.training.callbacks.Callback)")
        self.history = next((c for c in callbacks if isinstance(c, History)), None)
        self.progress = next((c for c in callbacks if isinstance(c, ProgressLogger)), None)
        if self.history is None and add_history:
            self.history = History()
            callbacks.append(self.history)
        if self.progress is None and add_progbar:
            self.progress = ProgressLogger()
            callbacks.append(self.progress)
        self.callbacks = callbacks
        self._batch_callbacks = {
            hook: [c for c in callbacks if _overrides(c, names)]
            for hook, names in _BATCH_HOOKS.items()}
        self.params = params
        for callback in callbacks:
            callback.set_params(params)
        if model is not None:
            self.set_model(model)

    def __iter__(self):
        return iter(self.callbacks)

    def set_model(self, model):
        """Hand ``model`` to every callback."""
        self.model = model
        for callback in self.callbacks:
            callback.set_model(model)

    def _call(self, hook, *args):
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    def _call_batch(self, hook, batch, logs):
        for callback in self._batch_callbacks[hook]:
            getattr(callback, "on_" + hook)(batch, logs)

    def on_train_begin(self, logs=None):
        """Call ``on_train_begin`` on every callback."""
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        """Call ``on_train_end`` on every callback."""
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        """Call ``on_epoch_begin`` on every callback."""
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        """Call ``on_epoch_end`` on every callback."""
        self._call("on_epoch_end", epoch, logs)

    def on_test_begin(self, logs=None):
        """Call ``on_test_begin`` on every callback."""
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        """Call ``on_test_end`` on every callback."""
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        """Call ``on_predict_begin`` on every callback."""
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        """Call ``on_predict_end`` on every callback."""
        self._call("on_predict_end", logs)

    def on_train_batch_begin(self, batch, logs=None):
        """Call ``on_train_batch_begin`` on the callbacks that define it."""
        self._call_batch("train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        """Call ``on_train_batch_end`` on the callbacks that define it."""
        self._call_batch("train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Call ``on_test_batch_begin`` on the callbacks that define it."""
        self._call_batch("test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        """Call ``on_test_batch_end`` on the callbacks that define it."""
        self._call_batch("test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        """Call ``on_predict_batch_begin`` on the callbacks that define it."""
        self._call_batch("predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        """Call ``on_predict_batch_end`` on the callbacks that define it."""
        self._call_batch("predict_batch_end", batch, logs)
