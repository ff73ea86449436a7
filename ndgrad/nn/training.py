"""What turns a module into a trainable model, Keras style: ``compile``.

``Model`` and ``Sequential`` mix this in. ``compile`` resolves the optimizer
and the loss (names, objects or callables) once, so that a mistake such as an
unknown loss name fails at ``compile``, not in the middle of training. The
training loop itself (``fit``, ``evaluate``, ``predict``) builds on what
``compile`` stores.

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
        return lambda y_true, y_pred: loss(y_pred, y_true)
    return losses.get(loss)


class CompileMixin:
    """``compile(optimizer, loss, metrics)`` for models (mixed into Model and Sequential)."""

    def compile(self, optimizer="rmsprop", loss=None, metrics=None):
        """Configure the model for training.

        Args:
            optimizer: a name ("adam", "sgd", "rmsprop", ...) or an optimizer.
            loss: a Keras loss name ("mse", "sparse_categorical_crossentropy",
                ...), a callable ``loss(y_true, y_pred)``, or a PyTorch-style
                loss module such as ``nn.CrossEntropyLoss()``.
            metrics: names or callables of metrics to report while training.

        Example:
            >>> import ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(2, input_shape=(4,))])
            >>> model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.1),
            ...               loss=ndgrad.nn.CrossEntropyLoss())
            >>> model.compiled
            True
        """
        from .. import optim
        resolved_optimizer = optim.get(optimizer)
        resolved_loss = _loss_callable(loss) if loss is not None else None
        metrics = list(metrics) if isinstance(metrics, (list, tuple)) else (
            [] if metrics is None else [metrics])
        self.optimizer = resolved_optimizer
        self.loss = loss
        self.compiled_loss = resolved_loss
        self.compiled_metrics = metrics
        self.compiled = True

    @property
    def compiled(self):
        """Whether ``compile`` has been called."""
        return self.__dict__.get("_compiled", False)

    @compiled.setter
    def compiled(self, value):
        object.__setattr__(self, "_compiled", bool(value))
