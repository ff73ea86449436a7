"""Metrics by name, as ``compile(metrics=[...])`` takes them, and the compiled set.

``get(identifier)`` turns a name, a metric or a function into a
:class:`~ndgrad.training.metrics.Metric`. The name ``"accuracy"`` (or
``"acc"``) has no meaning until the shapes are known, so it is resolved at the
first batch, as Keras does: binary when the prediction has one column (or is
1-D, or the loss is a binary cross-entropy), sparse categorical when the labels
have one axis fewer than the prediction (or a trailing axis of 1), categorical
otherwise. A metric given by name keeps that name in the logs (``"acc"`` is
logged as ``acc``, ``"mse"`` as ``mse``).

Example:
    >>> import numpy as np
    >>> from ndgrad.training.metrics import get
    >>> type(get("accuracy", y_true=np.zeros(4), y_pred=np.zeros((4, 10)))).__name__
    'SparseCategoricalAccuracy'
    >>> get("mse").name, get("auc").name
    ('mse', 'auc')
"""


from .accuracy import (BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                       SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy)
from .base import Mean, MeanMetricWrapper, Metric, as_array
from .confusion import (AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives,
                        TruePositives)
from .loss_metrics import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge,
                           CosineSimilarity, Hinge, KLDivergence, LogCoshError,
                           MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Poisson,
                           RootMeanSquaredError, SparseCategoricalCrossentropy, SquaredHinge)
from .outputs import spread_over_outputs
from .regression import MeanAbsoluteError, MeanSquaredError

__all__ = ["get", "accuracy_kind", "AutoAccuracy", "CompiledMetrics"]

_CLASSES = {
    "sparsecategoricalaccuracy": SparseCategoricalAccuracy,
    "categoricalaccuracy": CategoricalAccuracy,
    "binaryaccuracy": BinaryAccuracy,
    "topkcategoricalaccuracy": TopKCategoricalAccuracy,
    "sparsetopkcategoricalaccuracy": SparseTopKCategoricalAccuracy,
    "meansquarederror": MeanSquaredError, "mse": MeanSquaredError,
    "meanabsoluteerror": MeanAbsoluteError, "mae": MeanAbsoluteError,
    "precision": Precision, "recall": Recall, "auc": AUC,
    "truepositives": TruePositives, "falsepositives": FalsePositives,
    "truenegatives": TrueNegatives, "falsenegatives": FalseNegatives,
    "binarycrossentropy": BinaryCrossentropy, "categoricalcrossentropy": CategoricalCrossentropy,
    "sparsecategoricalcrossentropy": SparseCategoricalCrossentropy,
    "kldivergence": KLDivergence, "kld": KLDivergence, "poisson": Poisson, "hinge": Hinge,
    "squaredhinge": SquaredHinge, "categoricalhinge": CategoricalHinge,
    "logcosherror": LogCoshError, "logcosh": LogCoshError,
    "meanabsolutepercentageerror": MeanAbsolutePercentageError,
    "mape": MeanAbsolutePercentageError,
    "meansquaredlogarithmicerror": MeanSquaredLogarithmicError,
    "msle": MeanSquaredLogarithmicError, "cosinesimilarity": CosineSimilarity,
    "rootmeansquarederror": RootMeanSquaredError,
}
_ACCURACY = {"binary": BinaryAccuracy, "sparse": SparseCategoricalAccuracy,
             "categorical": CategoricalAccuracy}
_KNOWN = ("accuracy, acc, sparse_categorical_accuracy, categorical_accuracy, binary_accuracy, "
          "top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, mse, mae, mape, msle, "
          "mean_squared_error, mean_absolute_error, root_mean_squared_error, precision, recall, "
          "auc, true_positives, false_positives, true_negatives, false_negatives, "
          "binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, "
          "kl_divergence, poisson, hinge, squared_hinge, categorical_hinge, logcosh, "
          "cosine_similarity")


def _normalized(name):
    return name.replace("_", "").lower()


def _loss_kind(loss):
    """``"binary"``, ``"sparse"``, ``"categorical"`` or None from a compiled loss."""
    if loss is None:
        return None
    name = loss if isinstance(loss, str) else getattr(loss, "__name__", type(loss).__name__)
    name = _normalized(name)
    if name in ("binarycrossentropy", "bceloss", "bcewithlogitsloss"):
        return "binary"
    if name == "sparsecategoricalcrossentropy":
        return "sparse"
    if name == "categoricalcrossentropy":
        return "categorical"
    return None


def accuracy_kind(y_true_shape, y_pred_shape, loss=None):
    """Which accuracy ``"accuracy"`` means for these shapes and this loss.

    Args:
        y_true_shape: the shape of the labels of one batch.
        y_pred_shape: the shape of the predictions of one batch.
        loss: the loss given to ``compile`` (a name, a function or a loss
            module), or None.

    Returns:
        ``"binary"``, ``"sparse"`` or ``"categorical"``.

    Example:
        >>> from ndgrad.training.metrics import accuracy_kind
        >>> accuracy_kind((8, 1), (8, 1)), accuracy_kind((8,), (8, 3))
        ('binary', 'sparse')
        >>> accuracy_kind((8, 3), (8, 3)), accuracy_kind((8, 3), (8, 3), "binary_crossentropy")
        ('categorical', 'binary')
    """
    from_loss = _loss_kind(loss)
    if from_loss is not None:
        return from_loss
    y_true_shape, y_pred_shape = tuple(y_true_shape), tuple(y_pred_shape)
    if len(y_pred_shape) <= 1 or y_pred_shape[-1] == 1:
        return "binary"
    if len(y_true_shape) < len(y_pred_shape) or (y_true_shape and y_true_shape[-1] == 1):
        return "sparse"
    return "categorical"


def get(identifier, y_true=None, y_pred=None, loss=None):
    """A metric object from a name, a Metric (returned as is) or a function.

    Args:
        identifier: a name (``"accuracy"``/``"acc"``,
            ``"sparse_categorical_accuracy"``, ``"categorical_accuracy"``,
            ``"binary_accuracy"``, ``"top_k_categorical_accuracy"``,
            ``"sparse_top_k_categorical_accuracy"``, ``"mse"``, ``"mae"``,
            ``"precision"``, ``"recall"``, ``"auc"``; Keras's class
            spellings such as ``"AUC"`` too, which log under the class's default
            name, ``auc``), a :class:`Metric`, or a function
            ``f(y_true, y_pred)`` returning per-sample values (averaged).
        y_true, y_pred: one batch, needed only to resolve ``"accuracy"``.
        loss: the compiled loss, which also decides ``"accuracy"``.

    Example:
        >>> from ndgrad.training.metrics import get
        >>> get("acc", y_true=[[1], [0]], y_pred=[[0.8], [0.3]]).name
        'acc'
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        key = _normalized(identifier)
        if key in ("accuracy", "acc"):
            if y_true is None or y_pred is None:
                raise ValueError("metrics.get: 'accuracy' depends on the shapes of the labels "
                                 "and predictions; pass y_true and y_pred of one batch")
            kind = accuracy_kind(as_array(y_true).shape, as_array(y_pred).shape, loss)
            return _ACCURACY[kind](name=identifier)
        cls = _CLASSES.get(key)
        if cls is None:
            raise ValueError(f"metrics.get: unknown metric {identifier!r}; known names: "
                             f"{_KNOWN}; or pass a Metric or a function f(y_true, y_pred)")
        if identifier != identifier.lower():      # a class spelling: Keras's default name
            return cls()
        return cls(name=identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if callable(identifier):
        return MeanMetricWrapper(identifier)
    raise TypeError(f"metrics.get: expected a metric name, a Metric or a function "
                    f"f(y_true, y_pred); got {type(identifier).__name__}")


class AutoAccuracy(Metric):
    """``"accuracy"`` given to ``compile``: binary, sparse categorical or
    categorical, decided at the first ``update_state`` from the shapes and the
    loss (see :func:`accuracy_kind`). Until then it stands in the model's
    ``metrics`` under the user's spelling; afterwards the resolved metric
    takes its place there and it forwards to it.

    Example:
        >>> from ndgrad.training.metrics import AutoAccuracy
        >>> metric = AutoAccuracy("acc")
        >>> metric.update_state([0, 1], [[0.9, 0.1], [0.8, 0.2]]); metric.result()
        0.5
        >>> type(metric.resolved).__name__
        'SparseCategoricalAccuracy'
    """

    def __init__(self, name="accuracy", loss=None, on_resolve=None):
        self.loss = loss
        self.resolved = None
        self._on_resolve = on_resolve
        super().__init__(name=name)

    def reset_state(self):
        """Reset the resolved metric (nothing to reset before)."""
        if getattr(self, "resolved", None) is not None:
            self.resolved.reset_state()

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Resolve the kind at the first batch, then add the batch to it."""
        if self.resolved is None:
            self.resolved = get(self.name, y_true, y_pred, self.loss)
            if self._on_resolve is not None:
                self._on_resolve(self, self.resolved)
        self.resolved.update_state(y_true, y_pred, sample_weight=sample_weight)

    def result(self):
        """The resolved metric's result; 0.0 before any batch."""
        return 0.0 if self.resolved is None else self.resolved.result()


def _is_accuracy_name(identifier):
    return isinstance(identifier, str) and _normalized(identifier) in ("accuracy", "acc")


def _per_output(identifiers):
    """Whether ``compile(metrics=...)`` is given per output (a dict, or lists in a list)."""
    return isinstance(identifiers, dict) or any(isinstance(identifier, (list, tuple, dict))
                                                for identifier in identifiers)


class CompiledMetrics:
    """The loss tracker and the metrics given to ``compile``, created at once.

    ``metrics`` are updated without sample weights and ``weighted_metrics``
    with them, as in Keras. An ``"accuracy"`` entry is an :class:`AutoAccuracy`
    until the first batch shows which accuracy it is; then the resolved metric
    replaces it in :attr:`metrics`, so ``model.metrics`` lists every metric
    from the start (a custom ``train_step`` that loops over ``self.metrics``
    updates them all).

    Args:
        identifiers: what ``compile(metrics=...)`` received (a list).
        loss: the compiled loss (to resolve ``"accuracy"``).
        weighted: what ``compile(weighted_metrics=...)`` received (a list).

    Example:
        >>> import numpy as np
        >>> from ndgrad.training.metrics import CompiledMetrics
        >>> compiled = CompiledMetrics(["accuracy"], loss="sparse_categorical_crossentropy")
        >>> compiled.update_loss(0.5, batch_size=2)
        >>> compiled.update_state(np.array([0, 1]), np.array([[0.9, 0.1], [0.8, 0.2]]))
        >>> compiled.results()
        {'loss': 0.5, 'accuracy': 0.5}
    """

    def __init__(self, identifiers, loss=None, weighted=(), compiled_loss=None,
                 output_names=None):
        self.identifiers = identifiers if isinstance(identifiers, dict) else list(identifiers)
        self.weighted_identifiers = weighted if isinstance(weighted, dict) else list(weighted)
        self.loss = loss
        self.compiled_loss = compiled_loss
        self.loss_tracker = Mean(name="loss")
        self.loss_tracker.direction = "down"
        self._spread = False
        if _per_output(identifiers) or _per_output(weighted) or (
                output_names and len(output_names) > 1):
            self.metrics, self.weighted_metrics = [], []
            if output_names and len(output_names) > 1:
                self._spread_over([(name, index) for index, name in enumerate(output_names)])
        else:
            self.metrics = [self._make(identifier) for identifier in self.identifiers]
            self.weighted_metrics = [self._make(identifier)
                                     for identifier in self.weighted_identifiers]
        self._weighted_ids = {id(metric) for metric in self.weighted_metrics}
        self._check_names()

    def _check_names(self):
        names = [m.name for m in self.metrics + self.weighted_metrics]
        for name in set(names):
            if names.count(name) > 1 or name == "loss":
                raise ValueError(f"compile: two metrics are named {name!r} (or one is named "
                                 "'loss'); give them different names")

    def _spread_over(self, items):
        """Give each output its metrics (several outputs: see ``outputs``)."""
        self.metrics = spread_over_outputs(self.identifiers, items, self._make)
        self.weighted_metrics = spread_over_outputs(self.weighted_identifiers, items, self._make)
        self._weighted_ids = {id(metric) for metric in self.weighted_metrics}
        self._spread = True

    def _make(self, identifier):
        if _is_accuracy_name(identifier):
            return AutoAccuracy(identifier, self.loss, on_resolve=self._replace)
        return get(identifier)

    def _replace(self, placeholder, resolved):
        for group in (self.metrics, self.weighted_metrics):
            for index, metric in enumerate(group):
                if metric is placeholder:
                    group[index] = resolved
                    if id(placeholder) in self._weighted_ids:
                        self._weighted_ids.add(id(resolved))

    @property
    def built(self):
        """Whether every ``"accuracy"`` has been resolved (after the first batch)."""
        return not any(isinstance(m, AutoAccuracy) for m in self.metrics + self.weighted_metrics)

    def update_loss(self, loss, batch_size):
        """Add one batch's mean loss, weighted by the batch's size (as Keras), and
        each output's loss when the model has several."""
        # Two float additions: this runs at every step, so Mean's general path
        # (arrays, broadcasting) is skipped for one number.
        self.loss_tracker.total += float(loss) * batch_size
        self.loss_tracker.count += float(batch_size)
        values = (self.compiled_loss.pop_output_losses()
                  if self.compiled_loss is not None else None)
        for tracker, value in zip(self.output_loss_trackers(), values or ()):
            tracker.total += float(value.item()) * batch_size
            tracker.count += float(batch_size)

    def output_loss_trackers(self):
        """The ``<output>_loss`` trackers (several outputs only)."""
        return list(getattr(self.compiled_loss, "trackers", None) or ())

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch to every metric; only weighted metrics see ``sample_weight``."""
        if y_true is None:
            return
        if not self._spread and isinstance(y_pred, (list, tuple, dict)):
            from ..compiled_loss import output_items
            self._spread_over(output_items(y_pred, getattr(self.compiled_loss, "output_names",
                                                           None)))
            self._check_names()
        for metric in list(self.metrics):
            metric.update_state(y_true, y_pred)
        for metric in list(self.weighted_metrics):
            metric.update_state(y_true, y_pred, sample_weight=sample_weight)

    def reset_state(self):
        """Reset the loss tracker and every metric."""
        for metric in self.all_metrics():
            metric.reset_state()

    def all_metrics(self):
        """The loss tracker, the per-output loss trackers, then the compiled metrics."""
        return ([self.loss_tracker] + self.output_loss_trackers() + self.metrics
                + self.weighted_metrics)

    def results(self):
        """``{name: value}`` for the loss and every metric."""
        return {metric.name: metric.result() for metric in self.all_metrics()}
