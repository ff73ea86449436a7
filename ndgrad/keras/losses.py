"""``keras.losses``: Keras 3's loss classes and functions over ndgrad's one
implementation of each loss (:mod:`ndgrad.nn.keras_losses`).

- The functions (``keras.losses.mean_squared_error(y_true, y_pred)``) return
  one loss per sample, as Keras's do.
- The classes (``SparseCategoricalCrossentropy(from_logits=True)``) are called
  ``loss(y_true, y_pred, sample_weight=None)`` and reduce the per-sample
  losses with ``reduction``: ``"sum_over_batch_size"`` (default: the weighted
  sum over the number of values), ``"sum"``, ``"mean"``,
  ``"mean_with_sample_weight"`` or ``"none"``/None.
- Subclass :class:`Loss` and define ``call(y_true, y_pred)`` for your own.

``model.compile(loss=...)`` takes any of them.

Example:
    >>> import ndgrad
    >>> from ndgrad.keras import losses
    >>> y_true, y_pred = [[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]
    >>> losses.MeanSquaredError()(y_true, y_pred).item()                    # Keras's doc
    0.5
    >>> losses.MeanSquaredError(reduction="sum")(y_true, y_pred).item()
    1.0
    >>> losses.mean_squared_error(y_true, y_pred).tolist()
    [0.5, 0.5]
"""

import inspect

from ..nn import keras_losses as _core
from ..nn.keras_losses import (binary_crossentropy, binary_focal_crossentropy,
                               categorical_crossentropy, categorical_focal_crossentropy,
                               categorical_hinge, cosine_similarity, hinge, huber, kl_divergence,
                               log_cosh, mean_absolute_error, mean_absolute_percentage_error,
                               mean_squared_error, mean_squared_logarithmic_error, poisson,
                               sparse_categorical_crossentropy, squared_hinge)
from ._unsupported import module_getattr
from .ops._routing import symbolic_or_eager


class Loss:
    """Base class of Keras losses: ``__call__`` runs ``call(y_true, y_pred)`` (one
    loss per sample) and reduces it with the sample weights and ``reduction``.

    Args:
        name: the loss's name (default: the class name in snake case).
        reduction: ``"sum_over_batch_size"`` (default), ``"sum"``, ``"mean"``,
            ``"mean_with_sample_weight"``, ``"none"`` or None.
        dtype: accepted for Keras programs; losses compute in the prediction's dtype.

    Example:
        >>> from ndgrad.keras import losses, ops
        >>> class MeanCube(losses.Loss):
        ...     def call(self, y_true, y_pred):
        ...         return ops.mean((ops.convert_to_tensor(y_pred) - y_true) ** 3, axis=-1)
        >>> MeanCube()([[0.0, 0.0]], [[1.0, 2.0]]).item()
        4.5
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in _core.REDUCTIONS:
            raise ValueError(f"{type(self).__name__}: reduction must be one of "
                             f"{', '.join(map(repr, _core.REDUCTIONS))}; got {reduction!r}")
        self.name = name or _snake_case(type(self).__name__)
        self.reduction = reduction
        self.dtype = dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        return symbolic_or_eager(self._reduced, y_true, y_pred, sample_weight)

    def _reduced(self, y_true, y_pred, sample_weight):
        values = self.call(y_true, y_pred)
        from ..nn._loss_reduction import _floating_tensor
        return _core.reduce_weighted(_floating_tensor(values), sample_weight, self.reduction,
                                     owner=type(self).__name__)

    def call(self, y_true, y_pred):
        """One loss per sample (override)."""
        raise NotImplementedError(f"{type(self).__name__} must define call(y_true, y_pred)")

    def get_config(self):
        """The constructor arguments (``name``, ``reduction``, ...)."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        """A loss from :meth:`get_config`'s dict.

        Example:
            >>> from ndgrad.keras.losses import Huber
            >>> Huber.from_config({"delta": 2.0}).get_config()["delta"]
            2.0
        """
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


def _snake_case(name):
    import re
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


class LossFunctionWrapper(Loss):
    """A :class:`Loss` around a per-sample function ``fn(y_true, y_pred, **kwargs)``.

    Args:
        fn (callable): ``fn(y_true, y_pred, **kwargs)`` giving one loss per sample.
        reduction (str or None, default "sum_over_batch_size"): how the per-sample
            losses are combined, as in Keras ("sum_over_batch_size", "sum", "mean" or
            None).
        name (str or None, default None): the loss's name; None takes ``fn``'s name.
        dtype: the dtype of the computation (float32 by default).
        **kwargs: more keyword arguments passed to ``fn`` at every call (and kept in
            ``get_config()``).

    Example:
        >>> from ndgrad.keras import losses
        >>> loss = losses.LossFunctionWrapper(losses.mean_absolute_error, name="l1")
        >>> loss([[0.0], [0.0]], [[1.0], [3.0]]).item(), loss.name
        (2.0, 'l1')
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction,
                         dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return dict(super().get_config(), **self._fn_kwargs)


def _with_args(doc, function, options):
    """``doc`` with an Args section: the function's keyword arguments, then Keras's."""
    lines = [f"        {key}: as in ``{function.__name__}`` (default ``{value!r}``)."
             for key, value in options.items()]
    lines += ['        reduction: how the per-sample losses are combined, as in Keras',
              '            (``"sum_over_batch_size"``, the default, ``"sum"``, ``"mean"`` or ``None``).',
              "        name: the loss's name (in logs and metrics).",
              "        dtype: the dtype of the computation (float32 by default)."]
    args = "\n    Args:\n" + "\n".join(lines) + "\n"
    head, example, tail = doc.partition("\n    Example:")
    return head.rstrip() + "\n" + args + (example + tail if example else "")


def _loss_class(class_name, function, default_name, doc):
    """A Keras loss class whose keyword arguments are those of ``function``."""
    options = {key: parameter.default for key, parameter in
               list(inspect.signature(function).parameters.items())[2:]}

    def __init__(self, *args, reduction="sum_over_batch_size", name=default_name, dtype=None,
                 **kwargs):
        if len(args) > len(options):
            raise TypeError(f"{class_name}: takes at most {len(options)} positional arguments "
                            f"({', '.join(options)})")
        given = dict(zip(options, args))
        unknown = sorted(set(kwargs) - set(options))
        if unknown:
            raise TypeError(f"{class_name}: unexpected arguments {unknown}; it takes "
                            f"{', '.join(list(options) + ['reduction', 'name', 'dtype'])}")
        given.update(kwargs)
        LossFunctionWrapper.__init__(self, function, reduction=reduction, name=name, dtype=dtype,
                                     **dict(options, **given))

    cls = type(class_name, (LossFunctionWrapper,), {"__init__": __init__, "__module__": __name__,
                                                    "__doc__": _with_args(doc, function, options)})
    return cls


MeanSquaredError = _loss_class("MeanSquaredError", mean_squared_error, "mean_squared_error", """
    Mean of squared errors, ``mean((y_true - y_pred) ** 2)``.

    Example:
        >>> from ndgrad.keras.losses import MeanSquaredError
        >>> MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]).item()
        0.5
    """)
MeanAbsoluteError = _loss_class("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error", """
    Mean of absolute errors.

    Example:
        >>> from ndgrad.keras.losses import MeanAbsoluteError
        >>> MeanAbsoluteError()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]).item()
        0.5
    """)
MeanAbsolutePercentageError = _loss_class(
    "MeanAbsolutePercentageError", mean_absolute_percentage_error,
    "mean_absolute_percentage_error", """
    ``100 * mean(|y_true - y_pred| / |y_true|)``.

    Example:
        >>> from ndgrad.keras.losses import MeanAbsolutePercentageError
        >>> MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 5.0]]).item()
        37.5
    """)
MeanSquaredLogarithmicError = _loss_class(
    "MeanSquaredLogarithmicError", mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", """
    Mean of squared differences of ``log(1 + y)``.

    Example:
        >>> from ndgrad.keras.losses import MeanSquaredLogarithmicError
        >>> MeanSquaredLogarithmicError()([[0.0]], [[0.0]]).item()
        0.0
    """)
Huber = _loss_class("Huber", huber, "huber_loss", """
    Huber loss with threshold ``delta`` (quadratic inside, linear outside).

    Example:
        >>> from ndgrad.keras.losses import Huber
        >>> y_true, y_pred = [[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]]
        >>> round(Huber()(y_true, y_pred).item(), 6)                            # Keras's doc
        0.155
    """)
LogCosh = _loss_class("LogCosh", log_cosh, "log_cosh", """
    Mean of ``log(cosh(y_pred - y_true))``.

    Example:
        >>> from ndgrad.keras.losses import LogCosh
        >>> round(LogCosh()([[0.0]], [[1.0]]).item(), 5)
        0.43378
    """)
KLDivergence = _loss_class("KLDivergence", kl_divergence, "kl_divergence", """
    Kullback-Leibler divergence ``sum(y_true * log(y_true / y_pred))``.

    Example:
        >>> from ndgrad.keras.losses import KLDivergence
        >>> round(KLDivergence()([[1.0, 0.0]], [[0.5, 0.5]]).item(), 4)
        0.6931
    """)
Poisson = _loss_class("Poisson", poisson, "poisson", """
    Mean of ``y_pred - y_true * log(y_pred)``.

    Example:
        >>> from ndgrad.keras.losses import Poisson
        >>> round(Poisson()([[1.0]], [[1.0]]).item(), 4)
        1.0
    """)
CosineSimilarity = _loss_class("CosineSimilarity", cosine_similarity, "cosine_similarity", """
    Negative cosine similarity along ``axis`` (-1 for aligned vectors).

    Example:
        >>> from ndgrad.keras.losses import CosineSimilarity
        >>> y_true, y_pred = [[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]]
        >>> round(CosineSimilarity()(y_true, y_pred).item(), 6)                 # Keras's doc
        -0.5
    """)
Hinge = _loss_class("Hinge", hinge, "hinge", """
    Mean of ``max(1 - y_true * y_pred, 0)`` (0/1 labels taken as -1/1).

    Example:
        >>> from ndgrad.keras.losses import Hinge
        >>> Hinge()([[0.0, 1.0]], [[0.5, 0.5]]).item()
        1.0
    """)
SquaredHinge = _loss_class("SquaredHinge", squared_hinge, "squared_hinge", """
    Mean of ``max(1 - y_true * y_pred, 0) ** 2``.

    Example:
        >>> from ndgrad.keras.losses import SquaredHinge
        >>> SquaredHinge()([[0.0, 1.0]], [[0.5, 0.5]]).item()
        1.25
    """)
CategoricalHinge = _loss_class("CategoricalHinge", categorical_hinge, "categorical_hinge", """
    ``max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)``.

    Example:
        >>> from ndgrad.keras.losses import CategoricalHinge
        >>> CategoricalHinge()([[0.0, 1.0]], [[0.25, 0.5]]).item()
        0.75
    """)
BinaryCrossentropy = _loss_class("BinaryCrossentropy", binary_crossentropy,
                                 "binary_crossentropy", """
    Binary cross-entropy; ``from_logits=True`` for raw scores. As in Keras,
    probabilities are clipped to ``[1e-7, 1 - 1e-7]`` and nothing is range-checked
    (PyTorch's ``nn.BCELoss`` refuses values outside [0, 1]).

    Example:
        >>> from ndgrad.keras.losses import BinaryCrossentropy
        >>> y_true, y_pred = [[0.0, 1.0, 0.0, 0.0]], [[-18.6, 0.51, 2.94, -12.8]]
        >>> round(BinaryCrossentropy(from_logits=True)(y_true, y_pred).item(), 3)   # doc
        0.865
    """)
BinaryFocalCrossentropy = _loss_class("BinaryFocalCrossentropy", binary_focal_crossentropy,
                                      "binary_focal_crossentropy", """
    Binary cross-entropy down-weighting easy examples by ``(1 - p_t) ** gamma``.

    Example:
        >>> from ndgrad.keras.losses import BinaryFocalCrossentropy
        >>> y_true, y_pred = [[0.0, 1.0, 0.0, 0.0]], [[-18.6, 0.51, 2.94, -12.8]]
        >>> round(BinaryFocalCrossentropy(gamma=2, from_logits=True)(y_true, y_pred).item(), 3)
        0.691
    """)
CategoricalCrossentropy = _loss_class("CategoricalCrossentropy", categorical_crossentropy,
                                      "categorical_crossentropy", """
    Cross-entropy for one-hot (or probability) targets.

    Example:
        >>> from ndgrad.keras.losses import CategoricalCrossentropy
        >>> y_true = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> round(CategoricalCrossentropy()(y_true, y_pred).item(), 4)     # Keras's doc: 1.177
        1.1769
    """)
CategoricalFocalCrossentropy = _loss_class(
    "CategoricalFocalCrossentropy", categorical_focal_crossentropy,
    "categorical_focal_crossentropy", """
    Categorical cross-entropy scaled by ``alpha (1 - p) ** gamma``.

    Example:
        >>> from ndgrad.keras.losses import CategoricalFocalCrossentropy
        >>> y_true = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        >>> y_pred = [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> round(CategoricalFocalCrossentropy()(y_true, y_pred).item(), 2)   # Keras's doc
        0.23
    """)
SparseCategoricalCrossentropy = _loss_class(
    "SparseCategoricalCrossentropy", sparse_categorical_crossentropy,
    "sparse_categorical_crossentropy", """
    Cross-entropy for integer labels; ``from_logits=True`` for raw scores.

    Example:
        >>> from ndgrad.keras.losses import SparseCategoricalCrossentropy
        >>> y_true, y_pred = [1, 2], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
        >>> round(SparseCategoricalCrossentropy()(y_true, y_pred).item(), 4)   # Keras's doc: 1.177
        1.1769
    """)

_CLASSES = {cls.__name__: cls for cls in (
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, Huber, LogCosh, KLDivergence, Poisson, CosineSimilarity, Hinge,
    SquaredHinge, CategoricalHinge, BinaryCrossentropy, BinaryFocalCrossentropy,
    CategoricalCrossentropy, CategoricalFocalCrossentropy, SparseCategoricalCrossentropy,
    Loss, LossFunctionWrapper)}

__all__ = sorted(_CLASSES) + [
    "mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error", "huber", "log_cosh", "kl_divergence", "poisson",
    "cosine_similarity", "hinge", "squared_hinge", "categorical_hinge", "binary_crossentropy",
    "binary_focal_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy",
    "sparse_categorical_crossentropy", "get", "serialize", "deserialize"]


def serialize(loss):
    """A loss object's ``{"class_name", "config"}``, or a function's name.

    Example:
        >>> from ndgrad.keras.losses import hinge
        >>> from ndgrad.keras.losses import Huber
        >>> from ndgrad.keras.losses import serialize
        >>> serialize(Huber(delta=2.0))["config"]["delta"], serialize(hinge)
        (2.0, 'hinge')
    """
    if isinstance(loss, Loss):
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    return getattr(loss, "__name__", repr(loss))


def deserialize(name, custom_objects=None):
    """The loss that :func:`serialize` describes (``custom_objects`` for yours).

    Example:
        >>> from ndgrad.keras.losses import deserialize
        >>> deserialize({"class_name": "Huber", "config": {"delta": 2.0}}).get_config()["delta"]
        2.0
    """
    if isinstance(name, dict):
        classes = dict(_CLASSES, **(custom_objects or {}))
        cls = classes.get(name.get("class_name"))
        if cls is None:
            raise ValueError(f"losses.deserialize: unknown class {name.get('class_name')!r}; "
                             "pass custom_objects={...} for your own")
        return cls.from_config(dict(name.get("config") or {}))
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    return get(name)


def get(identifier):
    """A loss from a function name or alias (``"mse"``,
    ``"sparse_categorical_crossentropy"``: the per-sample function), a class name
    (``"MeanSquaredError"``: a new instance), a config dict, or a callable (as is).

    Example:
        >>> from ndgrad.keras.losses import mean_squared_error
        >>> from ndgrad.keras.losses import get
        >>> get("mse") is mean_squared_error, type(get("Huber")).__name__
        (True, 'Huber')
    """
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier in _CLASSES:
            return _CLASSES[identifier]()
        function = _core.per_sample(identifier)
        if function is not None:
            return function
    raise ValueError(f"losses.get: could not interpret loss {identifier!r}; known: "
                     f"{', '.join(__all__[:-3])}")


__getattr__ = module_getattr("keras.losses", {
    "CTC": "ndgrad has no CTC loss yet", "ctc": None, "Dice": "write it with keras.ops",
    "dice": None, "Tversky": "write it with keras.ops", "tversky": None,
    "Circle": "write it with keras.ops", "circle": None,
    "CategoricalGeneralizedCrossEntropy": "write it with keras.ops",
    "categorical_generalized_cross_entropy": None, "Reduction": "pass reduction= as a string"})
