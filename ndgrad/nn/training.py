"""What turns a module into a trainable model, Keras style: ``compile``,
``fit``, ``evaluate``, ``predict`` and the steps they run.

``Model`` and ``Sequential`` mix this in. ``compile`` resolves the optimizer,
the loss and the metric names once, so that a mistake such as an unknown
loss name fails at ``compile``, not in the middle of training. The loops
themselves live in :mod:`ndgrad.training` (imported when first used); the
methods here are the public face and the points to override:
``train_step`` / ``test_step`` / ``predict_step``, as in Keras 3.

Example:
    >>> import ndgrad
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> type(model.optimizer).__name__, model.loss
    ('Adam', 'mse')
"""

from .module import Module
from .training_metrics import MetricsMixin


def _loss_callable(loss):
    """``loss(y_true, y_pred, sample_weight=None)`` -> a scalar, for a Keras name,
    a Keras loss object (one with a ``reduction``), a function ``f(y_true,
    y_pred)`` (its per-sample values reduced as Keras's default
    ``"sum_over_batch_size"``), or a PyTorch loss module (prediction first)."""
    from . import keras_losses
    if isinstance(loss, Module):
        def module_loss(y_true, y_pred, sample_weight=None):
            if sample_weight is not None:
                raise ValueError(f"{type(loss).__name__} (a PyTorch-style loss module) takes "
                                 "no sample_weight; compile with a Keras loss name such as "
                                 "'sparse_categorical_crossentropy' to weight samples")
            return loss(y_pred, y_true)
        return module_loss
    if isinstance(loss, str) or hasattr(loss, "reduction") or not callable(loss):
        return keras_losses.get(loss)

    def function_loss(y_true, y_pred, sample_weight=None):
        from ._loss_reduction import _floating_tensor
        values = _floating_tensor(loss(y_true, y_pred))
        return keras_losses.reduce_weighted(values, sample_weight, owner=getattr(
            loss, "__name__", type(loss).__name__))
    function_loss.__name__ = getattr(loss, "__name__", type(loss).__name__)
    return function_loss


def _as_list(metrics):
    if isinstance(metrics, dict):           # per output name
        return dict(metrics)
    return list(metrics) if isinstance(metrics, (list, tuple)) else (
        [] if metrics is None else [metrics])


class CompileMixin(MetricsMixin):
    """``compile``, ``fit``, ``evaluate``, ``predict`` and the overridable steps
    (mixed into Model and Sequential).

    Example:
        >>> import numpy as np, ndgrad
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
        >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
        >>> history = model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, verbose=0)
        >>> sorted(history.history), model.predict(np.ones((3, 2)), verbose=0).shape
        (['loss', 'mae'], (3, 1))
    """

    stop_training = False

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                weighted_metrics=None, run_eagerly=None, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Configure the model for training.

        Args:
            optimizer: a name ("adam", "sgd", "rmsprop", ...) or an optimizer.
            loss: a Keras loss name ("mse", "sparse_categorical_crossentropy",
                ...), a callable ``loss(y_true, y_pred)``, or a PyTorch-style
                loss module such as ``nn.CrossEntropyLoss()``; for several
                outputs one loss for all, a list or a dict by output name (see
                :mod:`ndgrad.training.compiled_loss`).
            metrics: names ("accuracy", "mae", "auc", ...), metric objects or
                functions ``f(y_true, y_pred)`` to report while training (see
                :mod:`ndgrad.training.metrics`); updated without sample weights.
            weighted_metrics: metrics updated with the batch's sample weights.
            loss_weights: a weight per output's loss (a list or dict), or a number.
            run_eagerly, jit_compile, auto_scale_loss: accepted for Keras
                programs; ndgrad always runs eagerly, so they change nothing.
            steps_per_execution: only 1 (the callbacks see every batch).

        Example:
            >>> import ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(2, input_shape=(4,))])
            >>> model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.1),
            ...               loss=ndgrad.nn.CrossEntropyLoss())
            >>> model.compiled
            True
        """
        from .. import optim
        from ..training.metrics import CompiledMetrics
        owner = f"{type(self).__name__}.compile"
        if steps_per_execution != 1:
            raise ValueError(f"{owner}: steps_per_execution={steps_per_execution!r} is not "
                             "supported; ndgrad runs one step per batch (leave it at 1)")
        from ..training.compiled_loss import CompiledLoss
        resolved_optimizer = optim.get(optimizer)
        output_names = getattr(self, "output_names", None)
        resolved_loss = (CompiledLoss(loss, loss_weights, output_names) if loss is not None
                         else None)
        metrics = _as_list(metrics)
        metric_set = CompiledMetrics(metrics, loss, weighted=_as_list(weighted_metrics),
                                     compiled_loss=resolved_loss, output_names=output_names)
        # configuration, not layers: a loss module here is not a sub-module
        self._configure(optimizer=resolved_optimizer, loss=loss, compiled_loss=resolved_loss,
                        compiled_metrics=metrics)
        self._metric_set = metric_set
        self.stop_training = False
        self.compiled = True
        from ..distributed.data_parallel import remember_compile
        remember_compile(self)         # compiled inside DataParallel().scope(): fits are too

    @property
    def compiled(self):
        """Whether ``compile`` has been called."""
        return self.__dict__.get("_compiled", False)

    @compiled.setter
    def compiled(self, value):
        object.__setattr__(self, "_compiled", bool(value))

    # ------------------------------------------------------------------ loops
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train the model for ``epochs`` epochs; returns a History (Keras 3's
        arguments, in Keras's order).

        Args:
            x: inputs: NumPy arrays or tensors (with ``y``; a list, tuple or dict
                of them for several inputs), a :class:`~ndgrad.data.Dataset` of
                samples, or something that yields whole ``x`` / ``(x, y)`` /
                ``(x, y, sample_weight)`` batches: a DataLoader, a
                ``keras.utils.PyDataset``, a ``tf.data.Dataset``, a generator or
                any iterable (see :mod:`ndgrad.training.adapters`).
            y: targets for array ``x`` (None for the others).
            batch_size: samples per step for arrays and Datasets of samples
                (default 32, or enough to cover the samples in ``steps_per_epoch``
                steps); refused with data that yields whole batches.
            epochs: the epoch to stop at (counting from 0, so ``initial_epoch=2,
                epochs=5`` runs epochs 2, 3 and 4).
            verbose: 0 silent, 1 or "auto" a progress bar per epoch (one line per
                epoch when the output is not a terminal), 2 one line per epoch.
            callbacks: a list of :class:`~ndgrad.training.Callback`.
            validation_split: the fraction of the array samples, taken from the
                end before shuffling, kept for validation.
            validation_data: ``(x_val, y_val[, sample_weight])`` or anything
                ``x`` may be, evaluated after each epoch (``val_`` logs).
            shuffle: reshuffle arrays and Datasets each epoch (whatever yields
                whole batches keeps its own order).
            class_weight: ``{class: weight}``, multiplying each sample's loss
                by its class's weight (one output; batch by batch for batched data).
            sample_weight: per-sample weights of the loss, for array ``x``.
            initial_epoch: the epoch to start from (to resume; the DataLoader
                is put on that epoch's order).
            steps_per_epoch: batches per epoch: cuts each epoch of arrays and
                DataLoaders; any other data is one stream the epochs take turns
                reading (needed for endless data such as ``dataset.repeat()``).
            validation_steps: validation batches per validation (needed for
                endless validation data).
            validation_batch_size: batch size of array validation data
                (default ``batch_size``).
            validation_freq: validate every this many epochs.

        Returns:
            The :class:`~ndgrad.training.History` (also ``model.history``).

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse")
            >>> history = model.fit(np.ones((10, 2)), np.ones((10, 1)), epochs=2,
            ...                     validation_split=0.2, verbose=0)
            >>> sorted(history.history), history.params["steps"]
            (['loss', 'val_loss'], 1)
        """
        from ..training.fitting import fit
        return fit(self, x, y, batch_size=batch_size, epochs=epochs, verbose=verbose,
                   callbacks=callbacks, validation_split=validation_split,
                   validation_data=validation_data, shuffle=shuffle, class_weight=class_weight,
                   sample_weight=sample_weight, initial_epoch=initial_epoch,
                   steps_per_epoch=steps_per_epoch, validation_steps=validation_steps,
                   validation_batch_size=validation_batch_size,
                   validation_freq=validation_freq)

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
        """The loss and metrics on ``x, y`` in inference mode (no gradients).

        Args:
            x, y: as in :meth:`fit`.
            batch_size: samples per step for arrays (default 32).
            verbose: 0 silent, 1 a bar on a terminal (else one line), 2 one line.
            sample_weight: per-sample weights, for array ``x``.
            steps: at most this many batches.
            callbacks: callbacks receiving the ``on_test_*`` hooks.
            return_dict: return ``{name: value}`` instead of a list (or a
                float when there is only the loss).

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,),
            ...                                                kernel_initializer="zeros")])
            >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
            >>> model.evaluate(np.ones((4, 2)), np.full((4, 1), 2.0), verbose=0)
            [4.0, 2.0]
        """
        from ..training.loop import evaluate
        return evaluate(self, x, y, batch_size=batch_size, verbose=verbose,
                        sample_weight=sample_weight, steps=steps, callbacks=callbacks,
                        return_dict=return_dict)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for ``x``, in inference mode, as a NumPy array.

        Args:
            x: as in :meth:`fit` (only the ``x`` of ``(x, y)`` batches is used).
            batch_size: samples per step for arrays (default 32).
            verbose: 0 silent, 1 a bar on a terminal (else one line), 2 one line.
            steps: at most this many batches.
            callbacks: callbacks receiving the ``on_predict_*`` hooks.

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.nn.Linear(3, 2), ndgrad.nn.Dropout(0.5)])
            >>> out = model.predict(np.ones((5, 3), np.float32), batch_size=2, verbose=0)
            >>> type(out).__name__, out.shape, out.dtype
            ('ndarray', (5, 2), dtype('float32'))
        """
        from ..training.loop import predict
        return predict(self, x, batch_size=batch_size, verbose=verbose, steps=steps,
                       callbacks=callbacks)

    def train_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """One training step on exactly this batch; returns its loss (and metrics).

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse")
            >>> isinstance(model.train_on_batch(np.ones((4, 2)), np.ones((4, 1))), float)
            True
        """
        from ..training.loop import train_on_batch
        return train_on_batch(self, x, y, sample_weight=sample_weight, return_dict=return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss (and metrics) of exactly this batch in inference mode.

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,),
            ...                                                kernel_initializer="zeros")])
            >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
            >>> model.test_on_batch(np.ones((2, 2)), np.ones((2, 1)), return_dict=True)
            {'loss': 1.0, 'mae': 1.0}
        """
        from ..training.loop import test_on_batch
        return test_on_batch(self, x, y, sample_weight=sample_weight, return_dict=return_dict)

    # ------------------------------------------------------------------ steps
    def train_step(self, batch):
        """One optimization step on ``batch``; returns the logs. Override for
        custom training (see :mod:`ndgrad.training.steps` for the default).

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
            >>> sorted(model.train_step((ndgrad.ones((2, 2)), ndgrad.ones((2, 1)))))
            ['loss', 'mae']
        """
        from ..training.steps import default_train_step
        return default_train_step(self, batch)

    def test_step(self, batch):
        """Loss and metrics of one batch in inference mode; returns the logs.

        Example:
            >>> import ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse")
            >>> list(model.test_step((ndgrad.ones((2, 2)), ndgrad.ones((2, 1)))))
            ['loss']
        """
        from ..training.steps import default_test_step
        return default_test_step(self, batch)

    def predict_step(self, batch):
        """The output for one batch's ``x`` in inference mode (a tensor).

        Example:
            >>> import ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.predict_step((ndgrad.ones((3, 2)),)).shape
            (3, 1)
        """
        from ..training.steps import default_predict_step
        return default_predict_step(self, batch)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The loss for one batch (a tensor): the compiled loss,
        ``compiled_loss(y, y_pred)``, plus ``sum(self.losses)`` (``add_loss``
        and regularizers, from the forward pass that made ``y_pred``).

        Example:
            >>> import ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mae")
            >>> model.compute_loss(y=ndgrad.zeros((2, 1)), y_pred=ndgrad.ones((2, 1))).item()
            1.0
        """
        from ..training.steps import compute_loss
        return compute_loss(self, x, y, y_pred, sample_weight)
