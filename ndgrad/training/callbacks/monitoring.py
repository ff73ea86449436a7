"""Which way is better for a monitored quantity (``mode``), shared by
EarlyStopping, ModelCheckpoint and ReduceLROnPlateau.

``mode="auto"`` decides as Keras 3 does: a name with ``loss`` in it goes
down; otherwise the model's metric of that name says (its ``direction``);
the usual names (accuracy, auc, precision, recall) go up and the error
metrics (mse, mae) go down. For any other name ``"auto"`` cannot decide and
asks for ``mode="min"`` or ``"max"``.

Example:
    >>> from ndgrad.training.callbacks.monitoring import resolve_mode
    >>> resolve_mode("auto", "val_loss", None, "EarlyStopping")
    'min'
    >>> resolve_mode("auto", "val_accuracy", None, "EarlyStopping")
    'max'
"""

import math
import warnings

__all__ = ["resolve_mode", "check_mode", "monitored_value"]

_UP = ("acc", "auc", "precision", "recall")
_DOWN = ("mse", "mae", "mean_squared_error", "mean_absolute_error", "error")


def check_mode(mode, owner):
    """Refuse a mode other than "auto", "min" or "max"."""
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"{owner}: mode must be 'auto', 'min' or 'max'; got {mode!r}")
    return mode


def resolve_mode(mode, monitor, model, owner):
    """``"min"`` or ``"max"`` for ``monitor`` (see the module's docstring)."""
    if mode != "auto":
        return mode
    name = monitor[4:] if monitor.startswith("val_") else monitor
    if "loss" in name:
        return "min"
    for metric in getattr(model, "metrics", None) or ():
        if getattr(metric, "name", None) == name and getattr(metric, "direction", None):
            return "max" if metric.direction == "up" else "min"
    lowered = name.lower()
    if any(word in lowered for word in _DOWN):
        return "min"
    if any(word in lowered for word in _UP):
        return "max"
    raise ValueError(f"{owner}: mode='auto' cannot tell whether {monitor!r} should go up or "
                     "down; pass mode='min' or mode='max'")


def monitored_value(logs, monitor, owner):
    """The monitored value from ``logs`` as a float, or None (with a warning
    naming the logs that do exist) when it is missing."""
    logs = logs or {}
    value = logs.get(monitor)
    if value is None:
        warnings.warn(f"{owner}: the monitored quantity {monitor!r} is not in the logs; "
                      f"available: {', '.join(sorted(logs)) or 'none'} (pass validation_data "
                      "or validation_split for val_ metrics)", RuntimeWarning, stacklevel=3)
        return None
    value = float(value)
    return None if math.isnan(value) else value
