"""Losses and metrics for models with several outputs (``compile`` as Keras).

``compile(loss=[a, b], loss_weights=[1.0, 0.2])`` or with dicts keyed by
output name (``{"priority": ..., "department": ...}``; an output's name is
the name of the layer that makes it, or its key when the model's outputs are
a dict). One loss given for several outputs applies to each. The training
loss is ``sum(weight_i * loss_i(y_true_i, y_pred_i))``; targets are matched
to outputs by position (lists) or by name (dicts). ``fit`` logs the total as
``loss`` and each output's as ``<name>_loss``; metrics given as a dict (or a
list with one entry per output) are computed per output and logged as
``<name>_<metric>``.

Example:
    >>> import numpy as np, ndgrad
    >>> x = ndgrad.Input((3,))
    >>> a, b = ndgrad.layers.Dense(1, name="a")(x), ndgrad.layers.Dense(2, name="b")(x)
    >>> model = ndgrad.Model(x, [a, b])
    >>> model.compile(optimizer="sgd", loss=["mse", "mae"], loss_weights=[1.0, 0.5])
    >>> logs = model.train_on_batch(np.ones((4, 3)), [np.ones((4, 1)), np.ones((4, 2))],
    ...                             return_dict=True)
    >>> sorted(logs)
    ['a_loss', 'b_loss', 'loss']
    >>> bool(np.isclose(logs["loss"], logs["a_loss"] + 0.5 * logs["b_loss"]))
    True
"""

from ..nn import nest

__all__ = ["output_names", "wants_multi_output", "MultiOutputLoss", "MultiOutputMetrics"]


def output_names(model):
    """The names of a model's outputs (``model.output_names``; None when it has none).

    Example:
        >>> import ndgrad
        >>> x = ndgrad.Input((2,))
        >>> output_names(ndgrad.Model(x, {"score": ndgrad.layers.Dense(1)(x)}))
        ['score']
    """
    return getattr(model, "output_names", None)


def wants_multi_output(model, loss, loss_weights, metrics):
    """Whether ``compile`` needs the per-output machinery of this module."""
    names = output_names(model)
    return (isinstance(loss, (list, tuple, dict)) or loss_weights is not None
            or isinstance(metrics, dict) or (names is not None and len(names) > 1))


def _per_output(setting, names, label, default=None):
    """``setting`` spread over the outputs: one value for all, a list by position,
    or a dict by name."""
    if isinstance(setting, dict):
        unknown = sorted(set(setting) - set(names))
        if unknown:
            raise ValueError(f"compile: {label} names outputs {unknown}, but the model's "
                             f"outputs are {names}")
        return [setting.get(name, default) for name in names]
    if isinstance(setting, (list, tuple)):
        if len(setting) != len(names):
            raise ValueError(f"compile: {label} has {len(setting)} entries, but the model has "
                             f"{len(names)} outputs {names}")
        return list(setting)
    return [setting] * len(names)


def _matched(values, names, label):
    """Targets or predictions as a list in output order."""
    if isinstance(values, dict):
        missing = [name for name in names if name not in values]
        if missing:
            raise ValueError(f"{label} is a dict without the outputs {missing}; the model's "
                             f"outputs are {names}")
        return [values[name] for name in names]
    flat = nest.flatten(values) if isinstance(values, (list, tuple)) else [values]
    if len(flat) != len(names):
        raise ValueError(f"{label} has {len(flat)} entries, but the model has {len(names)} "
                         f"outputs {names}")
    return flat


class MultiOutputLoss:
    """``loss(y_true, y_pred, sample_weight=None)`` summed over the outputs with weights.

    ``last_values`` holds each output's loss of the last call (for the logs).
    """

    def __init__(self, model, loss, loss_weights):
        from ..nn.training import _loss_callable
        names = output_names(model) or ["output"]
        self.names = names
        losses = _per_output(loss, names, "loss")
        self.given_losses = losses          # as given: "accuracy" reads them
        self.losses = [None if item is None else _loss_callable(item) for item in losses]
        weights = _per_output(1.0 if loss_weights is None else loss_weights, names,
                              "loss_weights", default=1.0)
        self.weights = [float(w) for w in weights]
        self.last_values = {}

    def __call__(self, y_true, y_pred, sample_weight=None):
        predictions = _matched(y_pred, self.names, "the model's output")
        targets = _matched(y_true, self.names, "y")
        total, values = None, {}
        for name, loss, weight, target, prediction in zip(
                self.names, self.losses, self.weights, targets, predictions):
            if loss is None or target is None:
                continue
            value = loss(target, prediction) if sample_weight is None else loss(
                target, prediction, sample_weight=sample_weight)
            values[f"{name}_loss"] = value
            term = value * weight if weight != 1.0 else value
            total = term if total is None else total + term
        if total is None:
            raise ValueError("compile: no output has both a loss and a target")
        self.last_values = values
        return total


class MultiOutputMetrics:
    """The metric set of a multi-output model: the total loss, each output's loss and
    each output's metrics (same interface as ``CompiledMetrics``)."""

    def __init__(self, model, identifiers, loss):
        from ..training.metrics import CompiledMetrics, Mean
        self.loss = loss
        self.names = loss.names
        per_output = _per_output(identifiers, self.names, "metrics", default=None)
        self.compiled = [CompiledMetrics(self._as_list(item), raw)
                         for item, raw in zip(per_output, loss.given_losses)]
        for name, compiled in zip(self.names, self.compiled):
            self._prefix(name, compiled)
        self.loss_tracker = Mean(name="loss")
        self.loss_tracker.direction = "down"
        self.output_losses = [Mean(name=f"{name}_loss") for name in self.names]
        for tracker in self.output_losses:
            tracker.direction = "down"

    @staticmethod
    def _as_list(item):
        if item is None:
            return []
        return list(item) if isinstance(item, (list, tuple)) else [item]

    @property
    def built(self):
        return all(compiled.built for compiled in self.compiled)

    def update_loss(self, loss, batch_size):
        """Add one batch's total loss and each output's loss."""
        self.loss_tracker.total += float(loss) * batch_size
        self.loss_tracker.count += float(batch_size)
        for tracker in self.output_losses:
            value = self.loss.last_values.get(tracker.name)
            if value is not None:
                tracker.total += float(value.item() if hasattr(value, "item") else value) * \
                    batch_size
                tracker.count += float(batch_size)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch to each output's metrics (named ``<output>_<metric>``)."""
        if y_true is None:
            return
        targets = _matched(y_true, self.names, "y")
        predictions = _matched(y_pred, self.names, "the model's output")
        for name, compiled, target, prediction in zip(self.names, self.compiled, targets,
                                                      predictions):
            if not compiled.identifiers or target is None:
                continue
            compiled.update_state(target, prediction, sample_weight)
            self._prefix(name, compiled)

    @staticmethod
    def _prefix(name, compiled):
        # Metrics may be made (or resolved, for "accuracy") at the first batch: name them then.
        for metric in compiled.all_metrics()[1:]:
            if getattr(metric, "_output_name", None) is None:
                metric.name = f"{name}_{metric.name}"
                metric._output_name = name

    def reset_state(self):
        """Reset every tracker and metric."""
        for metric in self.all_metrics():
            metric.reset_state()

    def all_metrics(self):
        """The total loss, each output's loss, then each output's metrics."""
        metrics = [self.loss_tracker] + [tracker for tracker, loss in zip(
            self.output_losses, self.loss.losses) if loss is not None]
        for compiled in self.compiled:
            metrics += compiled.all_metrics()[1:]
        return metrics

    def results(self):
        """``{name: value}`` for everything in :meth:`all_metrics`."""
        return {metric.name: metric.result() for metric in self.all_metrics()}
