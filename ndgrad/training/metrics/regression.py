"""Error metrics: mean squared and mean absolute error, per sample.

As in Keras, the error of a sample is the mean over its last axis; a
trailing axis of 1 on one side only (``(N, 1)`` predictions, ``(N,)``
targets) is matched rather than broadcast, so the error is never computed
between every prediction and every target by accident.

Example:
    >>> from ndgrad.training.metrics import MeanSquaredError
    >>> MeanSquaredError()([[0.0], [1.0]], [[1.0], [1.0]])
    0.5
"""

import numpy as np

from .base import MeanMetricWrapper, as_array

__all__ = ["mean_squared_error", "mean_absolute_error", "MeanSquaredError",
           "MeanAbsoluteError"]


def _matched(y_true, y_pred, name):
    y_true = as_array(y_true).astype(np.float64, copy=False)
    y_pred = as_array(y_pred).astype(np.float64, copy=False)
    if y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_pred = y_pred[..., 0]
    elif y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{name}: y_true of shape {y_true.shape} and y_pred of shape "
                         f"{y_pred.shape} differ; give one target per prediction")
    return y_true, y_pred


def _per_sample(values):
    return values.mean(axis=-1) if values.ndim >= 2 else values


def mean_squared_error(y_true, y_pred):
    """The squared error of each sample (mean over the last axis).

    Example:
        >>> from ndgrad.training.metrics import mean_squared_error
        >>> mean_squared_error([[1.0, 2.0]], [[0.0, 0.0]]).tolist()
        [2.5]
    """
    y_true, y_pred = _matched(y_true, y_pred, "mean_squared_error")
    return _per_sample(np.square(y_pred - y_true))


def mean_absolute_error(y_true, y_pred):
    """The absolute error of each sample (mean over the last axis).

    Example:
        >>> from ndgrad.training.metrics import mean_absolute_error
        >>> mean_absolute_error([1.0, 2.0], [0.0, 0.0]).tolist()
        [1.0, 2.0]
    """
    y_true, y_pred = _matched(y_true, y_pred, "mean_absolute_error")
    return _per_sample(np.abs(y_pred - y_true))


class MeanSquaredError(MeanMetricWrapper):
    """Mean of :func:`mean_squared_error` over the batches seen (lower is better).

    Args:
        name: default ``"mean_squared_error"`` (``compile(metrics=["mse"])``
            names it ``"mse"``).

    Example:
        >>> from ndgrad.training.metrics import MeanSquaredError
        >>> MeanSquaredError(name="mse")([2.0], [0.0])
        4.0
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype, direction="down")


class MeanAbsoluteError(MeanMetricWrapper):
    """Mean of :func:`mean_absolute_error` over the batches seen (lower is better).

    Args:
        name: default ``"mean_absolute_error"``.

    Example:
        >>> from ndgrad.training.metrics import MeanAbsoluteError
        >>> MeanAbsoluteError()([2.0, 0.0], [0.0, 0.0])
        1.0
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype, direction="down")
