"""Metrics of a model with several outputs: each metric reads one output.

``compile(metrics={"digits": ["accuracy"], "value": ["mae"]})`` (by output
name), a list with one entry per output, or a flat list (every metric on
every output) give :class:`OutputMetric` objects named ``<output>_<metric>``
(``digits_accuracy``), as Keras logs them.

Example:
    >>> import numpy as np
    >>> from ndgrad.training.metrics import MeanAbsoluteError
    >>> from ndgrad.training.metrics.outputs import OutputMetric
    >>> metric = OutputMetric(MeanAbsoluteError(name="mae"), key=1, output_name="value")
    >>> metric.update_state([None, np.zeros((2, 1))], [None, np.ones((2, 1))])
    >>> metric.name, metric.result()
    ('value_mae', 1.0)
"""

from .base import Metric

__all__ = ["OutputMetric", "spread_over_outputs"]


class OutputMetric(Metric):
    """``metric`` applied to the output at ``key`` (an index or a dict key) of
    structured targets and predictions.

    Args:
        metric: the metric for that output.
        key: the output's index (list outputs) or key (dict outputs).
        output_name: the prefix of the name in the logs.

    Example:
        >>> from ndgrad.training.metrics.outputs import OutputMetric
        >>> from ndgrad.training.metrics import BinaryAccuracy
        >>> metric = OutputMetric(BinaryAccuracy(), key="flag", output_name="flag")
        >>> metric({"flag": [[1.0]]}, {"flag": [[0.9]]}), metric.name
        (1.0, 'flag_binary_accuracy')
    """

    def __init__(self, metric, key, output_name):
        self.metric = metric
        self.key = key
        self.output_name = output_name
        super().__init__(name=f"{output_name}_{metric.name}")

    @property
    def direction(self):
        """The wrapped metric's direction (``"up"`` or ``"down"``)."""
        return getattr(self.metric, "direction", "up")

    def reset_state(self):
        """Reset the wrapped metric."""
        if hasattr(self, "metric"):
            self.metric.reset_state()

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add this output's part of the batch."""
        self.metric.update_state(y_true[self.key], y_pred[self.key],
                                 sample_weight=sample_weight)

    def result(self):
        """The wrapped metric's result."""
        return self.metric.result()


def spread_over_outputs(identifiers, items, make):
    """One list of :class:`OutputMetric` from the ``compile(metrics=...)`` entry.

    Args:
        identifiers: a dict by output name, a list with one entry (a metric or
            a list of them) per output, or a flat list applied to every output.
        items: ``[(output_name, key), ...]``.
        make: builds a metric from one identifier.

    Example:
        >>> from ndgrad.training.metrics.outputs import spread_over_outputs
        >>> from ndgrad.training.metrics import get
        >>> metrics = spread_over_outputs({"b": ["mae"]}, [("a", 0), ("b", 1)], get)
        >>> [m.name for m in metrics]
        ['b_mae']
    """
    names = [name for name, _ in items]
    if isinstance(identifiers, dict):
        unknown = sorted(set(map(str, identifiers)) - set(names))
        if unknown:
            raise ValueError(f"compile: metrics name {unknown}, which are not outputs of the "
                             f"model; its outputs: {names}")
        per_output = [identifiers.get(name) for name in names]
    elif len(identifiers) == len(items):
        per_output = list(identifiers)
    else:
        per_output = [list(identifiers)] * len(items)
    spread = []
    for (name, key), entry in zip(items, per_output):
        if entry is None:
            continue
        for identifier in (entry if isinstance(entry, (list, tuple)) else [entry]):
            spread.append(OutputMetric(make(identifier), key, name))
    return spread
