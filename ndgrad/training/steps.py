"""The default ``train_step``, ``test_step`` and ``predict_step`` (Keras 3).

A model's ``train_step(batch)`` runs one optimization step and returns the
logs; ``fit`` calls it once per batch. The default one:

1. splits the batch into ``x, y, sample_weight``;
2. runs ``model(x, training=True)`` and ``model.compute_loss``: the compiled
   loss, ``model.compiled_loss(y_true, y_pred)`` (Keras's argument order),
   plus ``sum(model.losses)`` (``add_loss`` and regularizers), while a
   ``GradientTape`` records;
3. takes the gradient with respect to ``model.trainable_variables``, read
   at every step, so a layer frozen in the middle of ``fit`` (by a callback,
   say) stops changing at the next batch;
4. applies it with ``model.optimizer.apply_gradients``;
5. adds the batch to the loss tracker and the compiled metrics (NumPy, on
   detached values) and returns their running values over the epoch.

Override ``train_step`` in a subclass for custom training (GANs, several
optimizers, gradient accumulation); return a dict of floats or tensors.

Example:
    >>> import numpy as np, ndgrad
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> logs = model.train_step((ndgrad.ones((4, 2)), ndgrad.ones((4, 1))))
    >>> sorted(logs)
    ['loss']
"""

from ..autograd.mode import no_grad
from ..autograd.tape import GradientTape
from ..nn.module import _accepts
from ..ops.reduce import sum as _sum
from .inputs import unpack_batch

__all__ = ["default_train_step", "default_test_step", "default_predict_step",
           "compute_loss", "batch_size_of"]


def batch_size_of(x):
    """The number of samples in ``x`` (its first axis; 1 for a scalar).

    Example:
        >>> import numpy as np
        >>> from ndgrad.training.steps import batch_size_of
        >>> batch_size_of(np.zeros((5, 3))), batch_size_of([np.zeros((2, 1))])
        (5, 2)
    """
    while isinstance(x, (list, tuple)) and x:
        x = x[0]
    if isinstance(x, dict) and x:
        x = next(iter(x.values()))
    shape = getattr(x, "shape", ())
    return int(shape[0]) if shape else 1


def compute_loss(model, x, y, y_pred, sample_weight=None):
    """The compiled loss of one batch, ``model.compiled_loss(y, y_pred)``.

    Example:
        >>> from ndgrad.training.steps import compute_loss
        >>> import ndgrad
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> compute_loss(model, None, ndgrad.zeros((2, 1)), ndgrad.ones((2, 1))).item()
        1.0
    """
    loss_function = getattr(model, "compiled_loss", None)
    added = model.losses
    if loss_function is None and not added:
        raise ValueError(f"{type(model).__name__}: no loss to train with; pass one to "
                         "compile(loss=...), add one with add_loss, or override train_step")
    total = None
    if loss_function is not None:
        if y is None:
            raise ValueError(f"{type(model).__name__}: the batch has no targets (y is None); "
                             "the compiled loss needs (x, y) batches")
        total = (loss_function(y, y_pred) if sample_weight is None
                 else loss_function(y, y_pred, sample_weight=sample_weight))
    for extra in added:
        extra = _sum(extra) if extra.ndim else extra
        total = extra if total is None else total + extra
    return total


def _call_compute_loss(model, x, y, y_pred, sample_weight, training):
    """``model.compute_loss`` by keyword, with ``training`` where the method takes it
    (Keras 3 programs override it with either signature)."""
    if _accepts(model.compute_loss, "training"):
        return model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                  training=training)
    return model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)


def default_train_step(model, batch):
    """One optimization step on ``batch``; returns the running logs (see the module)."""
    x, y, sample_weight = unpack_batch(batch)
    with GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = _call_compute_loss(model, x, y, y_pred, sample_weight, True)
    variables = model.trainable_variables
    gradients = tape.gradient(loss, variables)
    model.optimizer.apply_gradients(zip(gradients, variables))
    model._metric_set.update_loss(loss.item(), batch_size_of(x))
    return model.compute_metrics(x, y, y_pred, sample_weight)


def default_test_step(model, batch):
    """Loss and metrics of one batch in inference mode; returns the running logs."""
    x, y, sample_weight = unpack_batch(batch)
    with no_grad():
        y_pred = model(x, training=False)
        loss = _call_compute_loss(model, x, y, y_pred, sample_weight, False)
    model._metric_set.update_loss(loss.item(), batch_size_of(x))
    return model.compute_metrics(x, y, y_pred, sample_weight)


def default_predict_step(model, batch):
    """``model(x, training=False)`` for the ``x`` of one batch, without a graph."""
    x, _, _ = unpack_batch(batch)
    with no_grad():
        return model(x, training=False)
