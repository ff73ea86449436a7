"""The loops behind ``evaluate``, ``predict``, ``train_on_batch`` and
``test_on_batch`` (Keras 3 semantics), and what ``fit``
(:mod:`ndgrad.training.fitting`) shares with them: the logs as floats, the
evaluation of a loader, the step counts.

The per-step work outside the model's own step is a handful of dictionary
operations: batches come from slicing, metrics are vectorized NumPy on the
batch, and callbacks that do not define batch hooks are not called per batch.

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

import numpy as np

from ..autograd.mode import no_grad
from ..tensor import Tensor
from .callbacks import CallbackList
from .adapters import make_adapter
from .epoch_iterator import EpochIterator
from .inputs import make_loader

__all__ = ["evaluate", "predict", "train_on_batch", "test_on_batch"]


def _require_compiled(model, function):
    if not getattr(model, "compiled", False):
        raise RuntimeError(f"{function}: the model is not compiled; call "
                           "model.compile(optimizer=..., loss=...) first")


def _verbosity(verbose, function):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ValueError(f"{function}: verbose must be 0, 1, 2 or 'auto'; got {verbose!r}")
    return int(verbose)


def _non_negative_int(value, label, function):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{function}: {label} must be a non-negative int; got {value!r}")
    return int(value)


def _float_logs(logs, function):
    """The step's logs as Python floats (tensors and NumPy scalars converted)."""
    if not isinstance(logs, dict):
        raise TypeError(f"{function}: train_step/test_step must return a dict of logs "
                        f"(name -> value); got {type(logs).__name__}")
    result = {}
    for key, value in logs.items():
        if isinstance(value, dict):         # a metric whose result is a dict (Keras)
            result.update(_float_logs(value, function))
            continue
        if isinstance(value, (float, int)) and not isinstance(value, bool):
            result[key] = float(value)
            continue
        array = value._data if isinstance(value, Tensor) else np.asarray(value)
        if array.size == 1:
            result[key] = float(array.reshape(()))
        else:
            result[key] = array.tolist()
    return result


def optional_steps(steps, label, function):
    """None, or a positive int (``steps_per_epoch``, ``validation_steps``, ``steps``)."""
    if steps is None:
        return None
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"{function}: {label} must be a positive int or None; got {steps!r}")
    return int(steps)


def _evaluate_epochs(model, epochs, callback_list, guard=None):
    """Run ``test_step`` over one epoch of ``epochs`` (an EpochIterator) with the
    test hooks; returns the logs, or None when the data had nothing left."""
    if not epochs.start():
        return None
    model.reset_metrics()
    callback_list.on_test_begin()
    logs = {}
    with no_grad():
        for step, batch in epochs:
            callback_list.on_test_batch_begin(step)
            logs = _float_logs(model.test_step(batch), "evaluate")
            callback_list.on_test_batch_end(step, logs)
            if guard is not None and guard.requested:
                break
    callback_list.on_test_end(logs)
    return logs


def _in_order(logs):
    """Keras's non-dict return: the values in metric order, a float when alone."""
    values = list(logs.values())
    return values[0] if len(values) == 1 else values


def evaluate(model, x=None, y=None, batch_size=None, verbose=1, sample_weight=None,
             steps=None, callbacks=None, return_dict=False):
    """Loss and metrics on ``x, y`` in inference mode, without gradients.

    ``model.evaluate(...)`` calls this; the arguments are those of
    :meth:`ndgrad.Model.evaluate`, with the model first.

    Example:
        >>> import numpy as np, ndgrad
        >>> from ndgrad.training import evaluate
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,),
        ...                                                kernel_initializer="zeros")])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> evaluate(model, np.ones((4, 2)), np.ones((4, 1)), verbose=0, return_dict=True)
        {'loss': 1.0}
    """
    _require_compiled(model, "evaluate")
    verbose = _verbosity(verbose, "evaluate")
    steps = optional_steps(steps, "steps", "evaluate")
    epochs = EpochIterator(make_adapter("evaluate", x, y, sample_weight, batch_size, steps=steps),
                           steps, "evaluate", "steps")
    callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=model,
                                 verbose=verbose, epochs=1, steps=epochs.num_batches)
    try:
        logs = _evaluate_epochs(model, epochs, callback_list)
    finally:
        if callback_list.progress is not None:
            callback_list.progress.close()
    return logs if return_dict else _in_order(logs)


def _to_numpy(output):
    if isinstance(output, dict):
        return {key: _to_numpy(value) for key, value in output.items()}
    if isinstance(output, (list, tuple)):
        return type(output)(_to_numpy(value) for value in output)
    return output._data if isinstance(output, Tensor) else np.asarray(output)


def _concatenate(outputs):
    first = outputs[0]
    if isinstance(first, dict):
        return {key: _concatenate([o[key] for o in outputs]) for key in first}
    if isinstance(first, (list, tuple)):
        return type(first)(_concatenate([o[i] for o in outputs]) for i in range(len(first)))
    return np.concatenate(outputs, axis=0) if first.ndim else np.stack(outputs)


def predict(model, x, batch_size=None, verbose=1, steps=None, callbacks=None):
    """The outputs for ``x`` in inference mode, concatenated as NumPy arrays.

    ``model.predict(...)`` calls this; the arguments are those of
    :meth:`ndgrad.Model.predict`, with the model first.

    Example:
        >>> import numpy as np, ndgrad
        >>> from ndgrad.training import predict
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(3, input_shape=(2,))])
        >>> predict(model, np.ones((5, 2)), batch_size=2, verbose=0).shape
        (5, 3)
    """
    verbose = _verbosity(verbose, "predict")
    steps = optional_steps(steps, "steps", "predict")
    epochs = EpochIterator(make_adapter("predict", x, batch_size=batch_size, steps=steps),
                           steps, "predict", "steps")
    callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=model,
                                 verbose=verbose, epochs=1, steps=epochs.num_batches)
    outputs = []
    try:
        epochs.start()
        callback_list.on_predict_begin()
        with no_grad():
            for step, batch in epochs:
                callback_list.on_predict_batch_begin(step)
                output = _to_numpy(model.predict_step(batch))
                outputs.append(output)
                callback_list.on_predict_batch_end(step, {"outputs": output})
        callback_list.on_predict_end()
    finally:
        if callback_list.progress is not None:
            callback_list.progress.close()
    if not outputs:
        raise ValueError("predict: x has no samples")
    return _concatenate(outputs)


def train_on_batch(model, x, y=None, sample_weight=None, return_dict=False):
    """One ``train_step`` on exactly this batch, with fresh metrics (so the
    result is this batch's, as in current Keras).

    Args:
        model: a compiled model.
        x, y, sample_weight: one batch, as arrays or tensors.
        return_dict: return ``{name: value}`` instead of a float or a list.

    Example:
        >>> import numpy as np, ndgrad
        >>> from ndgrad.training import train_on_batch
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
        >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
        >>> sorted(train_on_batch(model, np.ones((4, 2)), np.ones((4, 1)), return_dict=True))
        ['loss', 'mae']
    """
    _require_compiled(model, "train_on_batch")
    batch = next(iter(make_loader("train_on_batch", x, y, batch_size=_whole(x),
                                  sample_weight=sample_weight)))
    model.reset_metrics()
    logs = _float_logs(model.train_step(batch), "train_on_batch")
    return logs if return_dict else _in_order(logs)


def test_on_batch(model, x, y=None, sample_weight=None, return_dict=False):
    """One ``test_step`` on exactly this batch, with fresh metrics.

    Args:
        model: a compiled model.
        x, y, sample_weight: one batch, as arrays or tensors.
        return_dict: return ``{name: value}`` instead of a float or a list.

    Example:
        >>> import numpy as np, ndgrad
        >>> from ndgrad.training import test_on_batch
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,),
        ...                                                kernel_initializer="zeros")])
        >>> model.compile(optimizer="sgd", loss="mae")
        >>> test_on_batch(model, np.ones((2, 2)), np.full((2, 1), 3.0))
        3.0
    """
    _require_compiled(model, "test_on_batch")
    batch = next(iter(make_loader("test_on_batch", x, y, batch_size=_whole(x),
                                  sample_weight=sample_weight)))
    model.reset_metrics()
    with no_grad():
        logs = _float_logs(model.test_step(batch), "test_on_batch")
    return logs if return_dict else _in_order(logs)


def _whole(x):
    from .structured import flatten
    x = flatten(x)[0][0]
    shape = getattr(x, "shape", None)
    if shape is None:
        shape = np.shape(x)
    return max(int(shape[0]) if len(shape) else 1, 1)
