"""The loss given to ``compile``, for a model with one output or several.

- One output: the loss itself, ``loss(y_true, y_pred, sample_weight)``.
- Several outputs (``y_pred`` a list, tuple or dict): ``loss`` is one loss for
  every output, a list (one per output, None to skip one) or a dict by output
  name; ``loss_weights`` (a number per output, list or dict) scales each. The
  total is the weighted sum, and each output's loss is tracked as
  ``<output>_loss`` in the logs, as Keras 3 does. Output names come from
  ``model.output_names`` (the functional API) when it matches, from the dict
  keys for dict outputs, else ``output_0``, ``output_1``, ...

Example:
    >>> import ndgrad
    >>> from ndgrad.training.compiled_loss import CompiledLoss
    >>> loss = CompiledLoss({"a": "mse", "b": "mae"}, loss_weights={"a": 1.0, "b": 0.5})
    >>> loss.trackers               # the outputs are known at the first batch
    []
    >>> y_pred = {"a": ndgrad.ones((2, 1)), "b": ndgrad.ones((2, 1))}
    >>> loss({"a": ndgrad.zeros((2, 1)), "b": ndgrad.zeros((2, 1))}, y_pred).item()
    1.5
    >>> [(tracker.name, tracker.result()) for tracker in loss.trackers]
    [('a_loss', 0.0), ('b_loss', 0.0)]
"""

import numbers

from .metrics.base import Mean

__all__ = ["CompiledLoss", "output_items"]


def _is_outputs(value):
    return isinstance(value, (list, tuple, dict))


def output_items(y_pred, output_names=None):
    """``[(name, key), ...]`` for the outputs of ``y_pred`` (key: index or dict key).

    Example:
        >>> from ndgrad.training.compiled_loss import output_items
        >>> output_items({"b": 1, "a": 2}), output_items([1, 2], ["x", "y"])
        ([('b', 'b'), ('a', 'a')], [('x', 0), ('y', 1)])
    """
    if isinstance(y_pred, dict):
        keys = (list(output_names) if output_names and set(output_names) == set(y_pred)
                else list(y_pred))
        return [(str(key), key) for key in keys]
    names = (list(output_names) if output_names and len(output_names) == len(y_pred)
             else [f"output_{index}" for index in range(len(y_pred))])
    return list(zip(names, range(len(y_pred))))


def _per_output(owner, spec, items, label):
    """``spec`` (one value, a list or a dict) spread over the outputs' names."""
    names = [name for name, _ in items]
    if isinstance(spec, dict):
        unknown = sorted(set(map(str, spec)) - set(names))
        if unknown:
            raise ValueError(f"{owner}: {label} names {unknown}, which are not outputs of the "
                             f"model; its outputs: {names}")
        return [spec.get(name, spec.get(key)) for name, key in items]
    if isinstance(spec, (list, tuple)):
        if len(spec) != len(items):
            raise ValueError(f"{owner}: {label} has {len(spec)} entries for {len(items)} "
                             f"outputs {names}; give one per output (None to skip one)")
        return list(spec)
    return [spec] * len(items)


def _pick(structure, name, key):
    """One output's entry: a dict is looked up by output name first (targets given
    as a dict for a model whose outputs are a list), anything else by position."""
    if isinstance(structure, dict) and name in structure:
        return structure[name]
    return structure[key]


class CompiledLoss:
    """The compiled loss: see the module. Called ``(y_true, y_pred, sample_weight)``.

    Args:
        loss: one loss (a name, a callable, a Keras loss object, a PyTorch loss
            module), or a list or dict of them for several outputs.
        loss_weights: a number per output (a list or dict), or None.
        output_names: the model's output names, if it has them.
        resolve: turns one loss into ``f(y_true, y_pred, sample_weight=None)``.

    Example:
        >>> from ndgrad.training.compiled_loss import CompiledLoss
        >>> import ndgrad
        >>> loss = CompiledLoss(["mse", None], output_names=["value", "ignored"])
        >>> loss([ndgrad.zeros((1, 1)), None], [ndgrad.ones((1, 1)), None]).item()
        1.0
        >>> [tracker.name for tracker in loss.trackers]      # one loss: no per-output logs
        []
    """

    def __init__(self, loss, loss_weights=None, output_names=None, resolve=None):
        from ..nn.training import _loss_callable
        self.loss = loss
        self.loss_weights = loss_weights
        self.output_names = list(output_names) if output_names else None
        self._resolve = resolve or _loss_callable
        self.single = None if _is_outputs(loss) else self._resolve(loss)
        self.entries = None          # [(name, key, function, weight)], built at the first batch
        self.trackers = []
        self._last = None
        for value in (loss.values() if isinstance(loss, dict) else
                      loss if isinstance(loss, (list, tuple)) else [loss]):
            if value is not None and not _is_outputs(value):
                self._resolve(value)          # a typo in a name fails at compile()
        self._single_weight = _single_weight(loss_weights)
        if _is_outputs(loss) and self.output_names:      # the functional API knows its outputs
            self.build(None, [None] * len(self.output_names))

    def build(self, y_true, y_pred):
        """Spread the losses and weights over the outputs of ``y_pred``."""
        owner = "compile"
        items = output_items(y_pred, self.output_names)
        losses = _per_output(owner, self.loss, items, "loss")
        weights = _per_output(owner, 1.0 if self.loss_weights is None else self.loss_weights,
                              items, "loss_weights")
        entries = []
        for (name, key), loss, weight in zip(items, losses, weights):
            if loss is None:
                continue
            if not isinstance(weight, numbers.Real):
                raise TypeError(f"{owner}: loss_weights for output {name!r} must be a number; "
                                f"got {weight!r}")
            entries.append((name, key, self._resolve(loss), float(weight)))
        self.entries = entries
        self.trackers = [Mean(name=f"{name}_loss") for name, *_ in entries] \
            if len(entries) > 1 else []
        for tracker in self.trackers:
            tracker.direction = "down"

    def __call__(self, y_true, y_pred, sample_weight=None):
        if not _is_outputs(y_pred):
            if self.single is None:
                raise ValueError("compile: the loss was given per output (a list or dict) but "
                                 "the model has one output; give one loss")
            value = self.single(y_true, y_pred, **_weight(sample_weight))
            return value if self._single_weight == 1.0 else value * self._single_weight
        if self.entries is None:
            self.build(y_true, y_pred)
        total, values = None, []
        for name, key, function, weight in self.entries:
            try:
                target, prediction = _pick(y_true, name, key), _pick(y_pred, name, key)
            except (KeyError, IndexError, TypeError):
                raise ValueError(f"compile: output {name!r} (key {key!r}) has no target in y; "
                                 f"give y the structure of the model's outputs") from None
            value = function(target, prediction, **_weight(sample_weight))
            values.append(value)
            total = value * weight if total is None else total + value * weight
        self._last = values
        return total

    def pop_output_losses(self):
        """The per-output losses of the last call (None if already taken or single)."""
        values, self._last = self._last, None
        return values


def _single_weight(loss_weights):
    """The weight of a one-output model's loss: a number, or a one-item list or dict."""
    if loss_weights is None:
        return 1.0
    if isinstance(loss_weights, dict):
        loss_weights = list(loss_weights.values())
    if isinstance(loss_weights, (list, tuple)):
        return float(loss_weights[0]) if len(loss_weights) == 1 else 1.0
    return float(loss_weights)


def _weight(sample_weight):
    return {} if sample_weight is None else {"sample_weight": sample_weight}
