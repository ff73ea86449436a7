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


def _loss_callable(loss):
    """``loss(y_true, y_pred)`` for a Keras name, a Keras-order callable, or a
    PyTorch loss module (which takes the prediction first)."""
    from . import losses
    if isinstance(loss, Module):
        def module_loss(y_true, y_pred, sample_weight=None):
            if sample_weight is not None:
                raise ValueError(f"{type(loss).__name__} (a PyTorch-style loss module) takes "
                                 "no sample_weight; compile with a Keras loss name such as "
                                 "'sparse_categorical_crossentropy' to weight samples")
            return loss(y_pred, y_true)
        return module_loss
    return losses.get(loss)


class CompileMixin:
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

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None):
        """Configure the model for training.

        Args:
            optimizer: a name ("adam", "sgd", "rmsprop", ...) or an optimizer.
            loss: a Keras loss name ("mse", "sparse_categorical_crossentropy",
                ...), a callable ``loss(y_true, y_pred)``, or a PyTorch-style
                loss module such as ``nn.CrossEntropyLoss()``.
            metrics: names ("accuracy", "mae", "auc", ...), metric objects or
                functions ``f(y_true, y_pred)`` to report while training (see
                :mod:`ndgrad.training.metrics`).
            loss_weights: for a model with several outputs, a list or a dict
                (by output name) of factors of each output's loss; ``loss``
                and ``metrics`` may then be lists or dicts too (see
                :mod:`ndgrad.models.multi_output`).

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
        from ..models.multi_output import MultiOutputLoss, MultiOutputMetrics, wants_multi_output
        resolved_optimizer = optim.get(optimizer)
        if loss is not None and wants_multi_output(self, loss, loss_weights, metrics):
            resolved_loss = MultiOutputLoss(self, loss, loss_weights)
            metric_set = MultiOutputMetrics(self, metrics, resolved_loss)
        else:
            resolved_loss = _loss_callable(loss) if loss is not None else None
            metrics = list(metrics) if isinstance(metrics, (list, tuple)) else (
                [] if metrics is None else [metrics])
            metric_set = CompiledMetrics(metrics, loss)
        self.optimizer = resolved_optimizer
        self.loss = loss
        self.compiled_loss = resolved_loss
        self.compiled_metrics = metrics
        self.compiled_loss_weights = loss_weights
        self._metric_set = metric_set
        self.stop_training = False
        self.compiled = True

    @property
    def compiled(self):
        """Whether ``compile`` has been called."""
        return self.__dict__.get("_compiled", False)

    @compiled.setter
    def compiled(self, value):
        object.__setattr__(self, "_compiled", bool(value))

    # ------------------------------------------------------------------ loops
    def fit(self, x=None, y=None, batch_size=32, epochs=1, validation_data=None,
            validation_split=0.0, shuffle=True, callbacks=None, verbose=1, initial_epoch=0,
            sample_weight=None):
        """Train the model for ``epochs`` epochs; returns a History.

        Args:
            x: inputs: a NumPy array or tensor (with ``y``), a
                :class:`~ndgrad.data.Dataset` or a :class:`~ndgrad.data.DataLoader`
                yielding ``(x, y)`` batches.
            y: targets for array ``x`` (None for a Dataset or DataLoader).
            batch_size: samples per step for arrays and Datasets.
            epochs: the epoch to stop at (counting from 0, so ``initial_epoch=2,
                epochs=5`` runs epochs 2, 3 and 4).
            validation_data: ``(x_val, y_val)``, a Dataset or a DataLoader,
                evaluated after each epoch (``val_`` logs).
            validation_split: the fraction of the array samples, taken from the
                end before shuffling, kept for validation.
            shuffle: reshuffle arrays and Datasets each epoch (a DataLoader
                keeps its own setting).
            callbacks: a list of :class:`~ndgrad.training.Callback`.
            verbose: 0 silent, 1 a progress bar per epoch (one line per epoch
                when the output is not a terminal), 2 one line per epoch.
            initial_epoch: the epoch to start from (to resume; the DataLoader
                is put on that epoch's order).
            sample_weight: per-sample weights of the loss, for array ``x``.

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
        from ..training.loop import fit
        return fit(self, x, y, batch_size=batch_size, epochs=epochs,
                   validation_data=validation_data, validation_split=validation_split,
                   shuffle=shuffle, callbacks=callbacks, verbose=verbose,
                   initial_epoch=initial_epoch, sample_weight=sample_weight)

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, sample_weight=None,
                 callbacks=None, return_dict=False):
        """The loss and metrics on ``x, y`` in inference mode (no gradients).

        Args:
            x, y: as in :meth:`fit`.
            batch_size: samples per step (default 32).
            verbose: 0 silent, 1 a bar on a terminal (else one line), 2 one line.
            sample_weight: per-sample weights, for array ``x``.
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
                        sample_weight=sample_weight, callbacks=callbacks,
                        return_dict=return_dict)

    def predict(self, x, batch_size=None, verbose=1, callbacks=None):
        """The model's outputs for ``x``, in inference mode, as a NumPy array.

        Args:
            x: a NumPy array, a tensor, a Dataset or a DataLoader (only the
                ``x`` of ``(x, y)`` batches is used).
            batch_size: samples per step (default 32).
            verbose: 0 silent, 1 a bar on a terminal (else one line), 2 one line.
            callbacks: callbacks receiving the ``on_predict_*`` hooks.

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.nn.Linear(3, 2), ndgrad.nn.Dropout(0.5)])
            >>> out = model.predict(np.ones((5, 3), np.float32), batch_size=2, verbose=0)
            >>> type(out).__name__, out.shape, out.dtype
            ('ndarray', (5, 2), dtype('float32'))
        """
        from ..training.loop import predict
        return predict(self, x, batch_size=batch_size, verbose=verbose, callbacks=callbacks)

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

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
        """The compiled loss for one batch, ``compiled_loss(y, y_pred)`` (a tensor).

        Example:
            >>> import ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mae")
            >>> model.compute_loss(y=ndgrad.zeros((2, 1)), y_pred=ndgrad.ones((2, 1))).item()
            1.0
        """
        from ..training.steps import compute_loss
        return compute_loss(self, x, y, y_pred, sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Add one batch to the compiled metrics; returns every running result.

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(2, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse", metrics=["accuracy"])
            >>> model.compute_metrics(None, np.array([1]), np.array([[0.2, 0.8]]))
            {'loss': 0.0, 'accuracy': 1.0}
        """
        self._require_metric_set("compute_metrics").update_state(y, y_pred, sample_weight)
        return self._metric_set.results()

    # ------------------------------------------------------------------ metrics
    def _require_metric_set(self, function):
        metric_set = self.__dict__.get("_metric_set")
        if metric_set is None:
            raise RuntimeError(f"{function}: the model is not compiled; call "
                               "model.compile(optimizer=..., loss=...) first")
        return metric_set

    @property
    def metrics(self):
        """The loss tracker and the compiled metrics (built at the first batch).

        Example:
            >>> import ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
            >>> [m.name for m in model.metrics]      # mae appears after the first batch
            ['loss']
        """
        metric_set = self.__dict__.get("_metric_set")
        return [] if metric_set is None else metric_set.all_metrics()

    @property
    def metrics_names(self):
        """The names of :attr:`metrics`, in the order ``evaluate`` returns them."""
        return [metric.name for metric in self.metrics]

    def reset_metrics(self):
        """Reset the loss tracker and every compiled metric.

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse")
            >>> _ = model.train_on_batch(np.ones((2, 2)), np.ones((2, 1)))
            >>> model.reset_metrics(); model.metrics[0].result()
            0.0
        """
        # Through ``self.metrics``, so a subclass that lists its own metrics
        # there (Keras's custom train_step pattern) has them reset each epoch.
        for metric in self.metrics:
            metric.reset_state()
