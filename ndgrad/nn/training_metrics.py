"""The metrics side of a compiled model: ``metrics``, ``compute_metrics``,
``get_metrics_result``, ``reset_metrics`` (mixed into ``Model`` and
``Sequential`` through :class:`~ndgrad.nn.training.CompileMixin`).

``model.metrics`` lists the loss tracker and the compiled metrics from
``compile`` on (an ``"accuracy"`` is resolved at the first batch it sees), then
the metric objects kept as attributes of the model, as Keras 3 does; a
custom ``train_step`` that loops over ``self.metrics`` updates them all, and
``fit``/``evaluate`` reset whatever the property lists at each epoch.

Example:
    >>> import ndgrad
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(2, input_shape=(2,))])
    >>> model.compile(optimizer="sgd", loss="mse", metrics=["accuracy"])
    >>> [m.name for m in model.metrics], model.metrics_names
    (['loss', 'accuracy'], ['loss', 'accuracy'])
"""


class MetricsMixin:
    """``metrics``, ``compute_metrics``, ``get_metrics_result``, ``reset_metrics``.

    Example:
        >>> import ndgrad
        >>> ndgrad.Sequential().metrics       # nothing before compile
        []
    """

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Add one batch to the compiled metrics; returns :meth:`get_metrics_result`.

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(2, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse", metrics=["accuracy"])
            >>> model.compute_metrics(None, np.array([1]), np.array([[0.2, 0.8]]))
            {'loss': 0.0, 'accuracy': 1.0}
        """
        self._require_metric_set("compute_metrics").update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        """``{name: result}`` for every metric in :attr:`metrics` (a metric whose
        result is a dict contributes its entries).

        Example:
            >>> import ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
            >>> model.get_metrics_result()
            {'loss': 0.0, 'mae': 0.0}
        """
        results = {}
        for metric in self.metrics:
            value = metric.result()
            if isinstance(value, dict):
                results.update(value)
            else:
                results[metric.name] = value
        return results

    # ------------------------------------------------------------------ metrics
    def _require_metric_set(self, function):
        metric_set = self.__dict__.get("_metric_set")
        if metric_set is None:
            raise RuntimeError(f"{function}: the model is not compiled; call "
                               "model.compile(optimizer=..., loss=...) first")
        return metric_set

    @property
    def metrics(self):
        """The loss tracker, the compiled metrics, then the metric objects kept
        as attributes of the model (Keras tracks those too). A subclass may
        override this property to list its own metrics instead; ``fit`` and
        ``evaluate`` reset whatever it lists at each epoch.

        Example:
            >>> import ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(2, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae", "accuracy"])
            >>> [m.name for m in model.metrics]
            ['loss', 'mae', 'accuracy']
        """
        from ..training.metrics import Metric
        metric_set = self.__dict__.get("_metric_set")
        found = [] if metric_set is None else metric_set.all_metrics()
        known = {id(metric) for metric in found}
        for value in self.__dict__.values():
            if isinstance(value, Metric) and id(value) not in known:
                found.append(value)
                known.add(id(value))
        return found

    @property
    def metrics_names(self):
        """The names of :attr:`metrics`, in the order ``evaluate`` returns them."""
        return [metric.name for metric in self.metrics]

    def reset_metrics(self):
        """Reset the loss tracker and every compiled metric.

        Example:
            >>> import numpy as np, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
            >>> model.compile(optimizer="sgd", loss="mse")
            >>> _ = model.train_on_batch(np.ones((2, 2)), np.ones((2, 1)))
            >>> model.reset_metrics(); model.metrics[0].result()
            0.0
        """
        # Through ``self.metrics``, so a subclass that lists its own metrics
        # there (Keras's custom train_step pattern) has them reset each epoch.
        for metric in self.metrics:
            metric.reset_state()
