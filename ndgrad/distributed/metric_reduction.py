"""Losses and metrics reduced over the ranks, so every rank reports the same logs.

A metric's state is what it sums batch after batch: a Mean's ``total`` and
``count`` (the loss tracker, accuracies, MAE, RMSE, ...), the confusion
counts of Precision, Recall and the True/False counts, AUC's histograms.
The ranks add their states (one allreduce for every metric together) and
each rank computes ``result()`` on the sums, then keeps its own state for the
next batch: the reduced value is the metric over every rank's samples, each
sample weighing the same (a loss's count is its batch's size). A log that no
known state gives (a metric class of the user's, a value a custom
``train_step`` adds) is averaged over the ranks, weighted by the samples each
rank has seen in the pass.

Example:
    >>> from ndgrad.training.metrics import Mean
    >>> from ndgrad.distributed.metric_reduction import reduce_logs
    >>> loss = Mean(name="loss"); loss.update_state(2.0, sample_weight=4)
    >>> reduce_logs([loss], {"loss": 2.0}, samples=4)
    {'loss': 2.0}
"""

import numpy as np

from .collectives import all_reduce

__all__ = ["metric_state", "reduce_logs"]


def metric_state(metric):
    """``[(owner, attribute), ...]``: the summed state of ``metric`` (its nested
    metrics' included); None when its class keeps a state this cannot add.

    Example:
        >>> from ndgrad.training.metrics import Mean
        >>> from ndgrad.distributed.metric_reduction import metric_state
        >>> [name for _, name in metric_state(Mean())]
        ['total', 'count']
    """
    from ..training.metrics.base import Mean
    from ..training.metrics.confusion import AUC, _ThresholdMetric
    from ..training.metrics.outputs import OutputMetric
    from ..training.metrics.registry import AutoAccuracy
    if isinstance(metric, Mean):
        return [(metric, "total"), (metric, "count")]
    if isinstance(metric, _ThresholdMetric):
        return [(metric, name) for name in ("true_positives", "false_positives",
                                            "false_negatives", "true_negatives")]
    if isinstance(metric, AUC):
        return [(metric, "positives"), (metric, "negatives")]
    if isinstance(metric, OutputMetric):
        return metric_state(metric.metric)
    if isinstance(metric, AutoAccuracy):
        return [] if metric.resolved is None else metric_state(metric.resolved)
    return None


def _results(metric):
    value = metric.result()
    return value if isinstance(value, dict) else {metric.name: value}


def reduce_logs(metrics, logs, samples):
    """``logs`` with every float value replaced by its value over all ranks
    (a collective: every rank calls it with the same metrics and log names).

    Args:
        metrics: the model's metrics (``model.metrics``).
        logs: ``{name: float or list}``, this rank's logs.
        samples: how many samples this rank has seen in the pass (weights the
            logs no metric state gives).

    Example:
        >>> from ndgrad.distributed.metric_reduction import reduce_logs
        >>> reduce_logs([], {"loss": 1.5, "custom": [1, 2]}, samples=3)
        {'loss': 1.5, 'custom': [1, 2]}
    """
    stated = []                      # (metric, [(owner, attribute)])
    for metric in metrics:
        state = metric_state(metric)
        if state is not None:
            stated.append((metric, state))
    pieces = [np.asarray(getattr(owner, name), np.float64).reshape(-1)
              for _, state in stated for owner, name in state]
    loose = [key for key, value in logs.items() if isinstance(value, float)]
    weight = float(samples)
    pieces.append(np.array([weight] + [logs[key] * weight for key in loose], np.float64))
    total = all_reduce(np.concatenate(pieces), op="sum")
    reduced, offset = {}, 0
    for metric, state in stated:
        saved = [getattr(owner, name) for owner, name in state]
        try:
            for owner, name in state:
                local = getattr(owner, name)
                size = np.size(local)
                value = total[offset:offset + size]
                offset += size
                setattr(owner, name, value.reshape(np.shape(local)).copy()
                        if isinstance(local, np.ndarray) else float(value[0]))
            reduced.update(_results(metric))
        finally:
            for (owner, name), value in zip(state, saved):
                setattr(owner, name, value)
    all_weight, sums = total[offset], total[offset + 1:]
    result = dict(logs)
    for key, value in zip(loose, sums):
        if key in reduced and isinstance(reduced[key], (int, float)):
            result[key] = float(reduced[key])
        elif all_weight > 0:
            result[key] = float(value / all_weight)
    return result
