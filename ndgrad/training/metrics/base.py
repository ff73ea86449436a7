"""Metric: a stateful accumulator that reads detached values with NumPy.

A metric adds each batch to its state with ``update_state(y_true, y_pred,
sample_weight=None)``, reports the value over everything seen so far with
``result()`` (a Python float) and starts over with ``reset_state()``, as in
Keras. Metrics never record a graph and never touch gradients: tensors are read
through their data, so computing accuracy during ``fit`` costs a few vectorized
NumPy calls on the batch and nothing else.

``Mean`` averages values; ``MeanMetricWrapper`` averages what a function of
``(y_true, y_pred)`` returns per sample, which is how the accuracy and error
metrics are built.

Example:
    >>> from ndgrad.training.metrics import Mean
    >>> metric = Mean()
    >>> metric.update_state([1.0, 2.0]); metric.update_state([6.0])
    >>> metric.result()
    3.0
"""

import re

import numpy as np

from ...tensor import Tensor

__all__ = ["Metric", "Mean", "Sum", "MeanMetricWrapper", "as_array"]


def as_array(value):
    """A NumPy view of a tensor, array, list or number, without recording a graph
    break (metrics read values on purpose; they never differentiate).

    Example:
        >>> import ndgrad
        >>> from ndgrad.training.metrics import as_array
        >>> as_array(ndgrad.tensor([1.0, 2.0])).tolist(), as_array(3).shape
        ([1.0, 2.0], ())
    """
    if isinstance(value, Tensor):
        return value._data
    return np.asarray(value)


def _snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def broadcast_weights(sample_weight, values, owner):
    """``sample_weight`` as float64 in the shape of ``values`` (trailing axes of
    size one squeezed first, as Keras does), or None."""
    if sample_weight is None:
        return None
    weights = as_array(sample_weight).astype(np.float64, copy=False)
    while weights.ndim > values.ndim and weights.shape[-1] == 1:
        weights = weights[..., 0]
    try:
        return np.broadcast_to(weights.reshape(weights.shape + (1,) * (values.ndim
                                                                       - weights.ndim)),
                               values.shape)
    except ValueError:
        raise ValueError(f"{owner}: sample_weight of shape {weights.shape} does not fit values "
                         f"of shape {values.shape}; give one weight per sample") from None


class Metric:
    """Base class of metrics: ``update_state``, ``result``, ``reset_state``.

    Subclasses set their state in ``reset_state`` (called by ``__init__``),
    add a batch in ``update_state`` and compute the value in ``result``.
    ``direction`` says which way is better (``"up"`` or ``"down"``); callbacks
    with ``mode="auto"`` read it.

    Args:
        name: the name shown in logs and in ``History`` (default: the class
            name in snake case).
        dtype: accepted for Keras programs (results are Python floats).

    Example:
        >>> from ndgrad.training.metrics import Metric
        >>> class Count(Metric):
        ...     def reset_state(self):
        ...         self.seen = 0
        ...     def update_state(self, y_true, y_pred, sample_weight=None):
        ...         self.seen += len(y_true)
        ...     def result(self):
        ...         return float(self.seen)
        >>> counter = Count()
        >>> counter([1, 2, 3], [1, 2, 3]), counter.name
        (3.0, 'count')
    """

    direction = "up"

    def __init__(self, name=None, dtype=None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{type(self).__name__}: name must be a str; got {name!r}")
        self.name = name or _snake_case(type(self).__name__)
        self.dtype = dtype        # Keras's result dtype; results here are Python floats
        self.reset_state()

    def reset_state(self):
        """Forget every batch seen so far (override)."""
        raise NotImplementedError(f"{type(self).__name__} must define reset_state()")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch (override)."""
        raise NotImplementedError(f"{type(self).__name__} must define update_state()")

    def result(self):
        """The value over every batch since the last reset, a Python float (override)."""
        raise NotImplementedError(f"{type(self).__name__} must define result()")

    def __call__(self, *args, **kwargs):
        """Update with one batch, then return ``result()`` (Keras)."""
        self.update_state(*args, **kwargs)
        return self.result()

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


class Mean(Metric):
    """The (weighted) mean of every value given to ``update_state``.

    Args:
        name: the metric's name (default ``"mean"``).

    Example:
        >>> from ndgrad.training.metrics import Mean
        >>> metric = Mean()
        >>> metric.update_state([1.0, 3.0], sample_weight=[1.0, 3.0])
        >>> metric.result()
        2.5
    """

    def reset_state(self):
        """Set the total and the count to zero."""
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values, sample_weight=None):
        """Add ``values`` (any shape), each weighted by ``sample_weight`` if given.

        Example:
            >>> from ndgrad.training.metrics import Mean
            >>> metric = Mean(); metric.update_state(4.0, sample_weight=3); metric.count
            3.0
        """
        values = as_array(values).astype(np.float64, copy=False)
        weights = broadcast_weights(sample_weight, values, f"{type(self).__name__}.update_state")
        if weights is None:
            self.total += float(values.sum())
            self.count += float(values.size)
        else:
            self.total += float((values * weights).sum())
            self.count += float(weights.sum())

    def result(self):
        """The mean so far; 0.0 before any value (as Keras)."""
        return self.total / self.count if self.count else 0.0


class Sum(Mean):
    """The (weighted) sum of every value given to ``update_state``.

    Example:
        >>> from ndgrad.training.metrics import Sum
        >>> metric = Sum(); metric.update_state([1.0, 3.0, 5.0, 7.0]); metric.result()
        16.0
    """

    def result(self):
        """The sum so far."""
        return self.total


class MeanMetricWrapper(Mean):
    """The mean over samples of ``function(y_true, y_pred, **options)``.

    ``function`` receives NumPy arrays and returns one value per sample (or per
    element); a user's metric function in ``compile(metrics=[...])`` is wrapped
    in this.

    Args:
        function: ``function(y_true, y_pred)`` returning an array of values.
        name: the metric's name (default: the function's name).
        direction: ``"up"`` when larger is better, ``"down"`` otherwise.
        **options: keyword arguments passed on to ``function`` (``k=``, ``threshold=``).

    Example:
        >>> import numpy as np
        >>> from ndgrad.training.metrics import MeanMetricWrapper
        >>> def hits(y_true, y_pred):
        ...     return np.asarray(y_true) == np.asarray(y_pred)
        >>> metric = MeanMetricWrapper(hits)
        >>> metric([1, 2, 3, 4], [1, 2, 0, 0]), metric.name
        (0.5, 'hits')
    """

    def __init__(self, function, name=None, direction="up", dtype=None, **options):
        if not callable(function):
            raise TypeError(f"MeanMetricWrapper: function must be callable; got "
                            f"{type(function).__name__}")
        if direction not in ("up", "down"):
            raise ValueError(f"MeanMetricWrapper: direction must be 'up' or 'down'; "
                             f"got {direction!r}")
        self.function = function
        self.options = options
        self.direction = direction
        super().__init__(name=name or getattr(function, "__name__", None), dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add the batch's per-sample values of the function."""
        values = as_array(self.function(as_array(y_true), as_array(y_pred), **self.options))
        super().update_state(values, sample_weight)
