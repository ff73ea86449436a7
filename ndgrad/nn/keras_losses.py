"""Keras's loss functions: per-sample losses ``f(y_true, y_pred)`` (target first)
and their batch means by name, as ``model.compile(loss=...)`` takes them.

Each function here returns one loss per sample (the mean or sum over the last
axis), as ``keras.losses.mean_squared_error`` does; :func:`reduce_weighted`
applies sample weights and Keras's reductions (``"sum_over_batch_size"``, the
default, divides the weighted sum by the number of values). ``get(name)``
returns the batch-mean form used by ``compile``. The cross-entropies (from
:mod:`ndgrad.nn.keras_cross_entropies`) take probabilities unless
``from_logits=True`` and clip them to ``[1e-7, 1 - 1e-7]``, as Keras; the
keras face's loss classes (``keras.losses.MeanSquaredError``) are built on these
functions.

Example:
    >>> import ndgrad
    >>> from ndgrad.nn import keras_losses
    >>> y_true = ndgrad.tensor([[0.0, 1.0], [0.0, 0.0]])
    >>> y_pred = ndgrad.tensor([[1.0, 1.0], [1.0, 0.0]])
    >>> keras_losses.mean_squared_error(y_true, y_pred).tolist()       # one value per sample
    [0.5, 0.5]
    >>> keras_losses.get("mse")(y_true, y_pred).item()                 # the batch mean
    0.5
"""

import functools
import inspect
import math

import numpy as np

from ..autograd.primitive import data_of
from ..ops.activations import softplus
from ..ops.arithmetic import maximum
from ..ops.elementwise import abs as _abs, log, sqrt, square
from ..ops.reduce import max as _max, mean as _mean, sum as _sum
from ..ops.selection import clip
from ..ops.shape import squeeze
from . import keras_cross_entropies as _cross_entropies
from ._loss_reduction import _floating_tensor
from .keras_cross_entropies import (_categorical_pair, _mean_last, _pair, binary_crossentropy,
                                    binary_focal_crossentropy, categorical_crossentropy,
                                    categorical_focal_crossentropy,
                                    sparse_categorical_crossentropy)
from .losses import _huber

__all__ = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
           "mean_squared_logarithmic_error", "huber", "log_cosh", "binary_crossentropy",
           "binary_focal_crossentropy", "categorical_crossentropy",
           "categorical_focal_crossentropy", "sparse_categorical_crossentropy", "kl_divergence",
           "poisson", "cosine_similarity", "hinge", "squared_hinge", "categorical_hinge",
           "reduce_weighted", "REDUCTIONS", "per_sample", "get"]

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def mean_squared_error(y_true, y_pred):
    """``mean((y_true - y_pred) ** 2, axis=-1)``.

    Example:
        >>> from ndgrad.keras.losses import mean_squared_error
        >>> mean_squared_error([[0.0, 2.0]], [[1.0, 0.0]]).tolist()
        [2.5]
    """
    y_true, y_pred = _pair(y_true, y_pred, "mean_squared_error")
    return _mean_last(square(y_pred - y_true))


def mean_absolute_error(y_true, y_pred):
    """``mean(|y_true - y_pred|, axis=-1)``.

    Example:
        >>> from ndgrad.keras.losses import mean_absolute_error
        >>> mean_absolute_error([[0.0, 2.0]], [[1.0, 0.0]]).tolist()
        [1.5]
    """
    y_true, y_pred = _pair(y_true, y_pred, "mean_absolute_error")
    return _mean_last(_abs(y_pred - y_true))


def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(|(y_true - y_pred) / max(|y_true|, 1e-7)|, axis=-1)``.

    Example:
        >>> from ndgrad.keras.losses import mean_absolute_percentage_error
        >>> mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 5.0]]).tolist()
        [37.5]
    """
    y_true, y_pred = _pair(y_true, y_pred, "mean_absolute_percentage_error")
    scale = maximum(_abs(y_true), _cross_entropies.EPSILON)
    return 100.0 * _mean_last(_abs((y_true - y_pred) / scale))


def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)) ** 2, axis=-1)``.

    Example:
        >>> import math
        >>> from ndgrad.keras.losses import mean_squared_logarithmic_error
        >>> round(mean_squared_logarithmic_error([[0.0]], [[math.e - 1]]).item(), 5)
        1.0
    """
    y_true, y_pred = _pair(y_true, y_pred, "mean_squared_logarithmic_error")
    first = log(maximum(y_pred, _cross_entropies.EPSILON) + 1.0)
    second = log(maximum(y_true, _cross_entropies.EPSILON) + 1.0)
    return _mean_last(square(first - second))


def huber(y_true, y_pred, delta=1.0):
    """``mean(huber, axis=-1)``: ``d ** 2 / 2`` where ``|d| <= delta``, else
    ``delta * (|d| - delta / 2)``, for ``d = y_pred - y_true``.

    Example:
        >>> from ndgrad.keras.losses import huber
        >>> huber([[0.0, 0.0]], [[0.5, 3.0]]).tolist()          # (0.125 + 2.5) / 2
        [1.3125]
    """
    y_true, y_pred = _pair(y_true, y_pred, "huber")
    return _mean_last(_huber(y_pred, y_true, delta=float(delta)))


def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed stably as
    ``x + softplus(-2 x) - log 2``.

    Example:
        >>> from ndgrad.keras.losses import log_cosh
        >>> round(log_cosh([[0.0]], [[1.0]]).item(), 5)          # log(cosh(1))
        0.43378
    """
    y_true, y_pred = _pair(y_true, y_pred, "log_cosh")
    error = y_pred - y_true
    return _mean_last(error + softplus(-2.0 * error) - math.log(2.0))


def kl_divergence(y_true, y_pred):
    """``sum(y_true * log(y_true / y_pred), axis=-1)``, both clipped to ``[1e-7, 1]``.

    Example:
        >>> from ndgrad.keras.losses import kl_divergence
        >>> round(kl_divergence([[1.0, 0.0]], [[0.5, 0.5]]).item(), 4)
        0.6931
    """
    y_true, y_pred = _pair(y_true, y_pred, "kl_divergence")
    y_true = clip(y_true, _cross_entropies.EPSILON, 1.0)
    y_pred = clip(y_pred, _cross_entropies.EPSILON, 1.0)
    pointwise = y_true * log(y_true / y_pred)
    return _sum(pointwise, axis=-1) if pointwise.ndim else pointwise


def poisson(y_true, y_pred):
    """``mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)``.

    Example:
        >>> from ndgrad.keras.losses import poisson
        >>> round(poisson([[1.0]], [[1.0]]).item(), 4)
        1.0
    """
    y_true, y_pred = _pair(y_true, y_pred, "poisson")
    return _mean_last(y_pred - y_true * log(y_pred + _cross_entropies.EPSILON))


def cosine_similarity(y_true, y_pred, axis=-1):
    """``-sum(normalize(y_true) * normalize(y_pred), axis)``: -1 for vectors that
    point the same way (a loss to minimize).

    Example:
        >>> from ndgrad.keras.losses import cosine_similarity
        >>> cosine_similarity([[1.0, 0.0], [1.0, 0.0]], [[2.0, 0.0], [0.0, 1.0]]).tolist()
        [-1.0, -0.0]
    """
    y_true, y_pred = _pair(y_true, y_pred, "cosine_similarity")

    def unit(x):
        return x / sqrt(maximum(_sum(square(x), axis=axis, keepdims=True), 1e-12))
    return -_sum(unit(y_true) * unit(y_pred), axis=axis)


def _hinge_labels(y_true):
    """0/1 labels become -1/1; labels already in {-1, 1} (or others) stay."""
    values = data_of(y_true)
    if np.all((values == 0) | (values == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0), axis=-1)``, 0/1 labels taken as -1/1.

    Example:
        >>> from ndgrad.keras.losses import hinge
        >>> hinge([[0.0, 1.0]], [[0.5, 0.5]]).tolist()          # (1.5 + 0.5) / 2
        [1.0]
    """
    y_true, y_pred = _pair(y_true, y_pred, "hinge")
    return _mean_last(maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0))


def squared_hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0) ** 2, axis=-1)``, 0/1 labels taken as -1/1.

    Example:
        >>> from ndgrad.keras.losses import squared_hinge
        >>> squared_hinge([[0.0, 1.0]], [[0.5, 0.5]]).tolist()  # (2.25 + 0.25) / 2
        [1.25]
    """
    y_true, y_pred = _pair(y_true, y_pred, "squared_hinge")
    return _mean_last(square(maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0)))


def categorical_hinge(y_true, y_pred):
    """``max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`` per sample.

    Example:
        >>> from ndgrad.keras.losses import categorical_hinge
        >>> categorical_hinge([[0.0, 1.0]], [[0.25, 0.5]]).tolist()   # 0.25 - 0.5 + 1
        [0.75]
    """
    y_true, y_pred = _categorical_pair(y_true, y_pred, "categorical_hinge", -1)
    positive = _sum(y_true * y_pred, axis=-1)
    negative = _max((1.0 - y_true) * y_pred, axis=-1)
    return maximum(negative - positive + 1.0, 0.0)


def reduce_weighted(values, sample_weight=None, reduction="sum_over_batch_size", owner="loss"):
    """Keras's reduction of per-sample losses: weights broadcast over the values
    (trailing axes of 1 squeezed), then ``"sum_over_batch_size"``/``"mean"`` (the
    weighted sum over the number of values), ``"mean_with_sample_weight"`` (over
    the sum of the weights), ``"sum"``, or ``"none"``/None (the weighted values).

    Example:
        >>> from ndgrad.nn.keras_losses import reduce_weighted
        >>> import ndgrad
        >>> values = ndgrad.tensor([1.0, 3.0])
        >>> reduce_weighted(values, [1.0, 0.0]).item()
        0.5
        >>> reduce_weighted(values, reduction="sum").item()
        4.0
    """
    if reduction not in REDUCTIONS:
        raise ValueError(f"{owner}: reduction must be one of {', '.join(map(repr, REDUCTIONS))}; "
                         f"got {reduction!r}")
    weight = None
    if sample_weight is not None:
        weight = _floating_tensor(sample_weight, values.dtype)
        while weight.ndim > values.ndim and weight.shape[-1] == 1:
            weight = squeeze(weight, axis=-1)
        while weight.ndim < values.ndim:
            weight = weight.reshape(weight.shape + (1,))
        values = values * weight
    if reduction in (None, "none") or values.ndim == 0:
        return values
    if reduction == "sum":
        return _sum(values)
    if reduction == "mean_with_sample_weight" and weight is not None:
        count = _sum(weight * np.ones(values.shape, values.dtype))
        return _sum(values) / count if count.item() else _sum(values) * 0.0
    # The weighted sum over the number of values: one mean op (one backward node).
    return _mean(values) if values.size else _sum(values)


_PER_SAMPLE = {function.__name__: function for function in (
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, huber, log_cosh, binary_crossentropy,
    binary_focal_crossentropy, categorical_crossentropy, categorical_focal_crossentropy,
    sparse_categorical_crossentropy, kl_divergence, poisson, cosine_similarity, hinge,
    squared_hinge, categorical_hinge)}
_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error",
            "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
            "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
            "huber_loss": "huber", "logcosh": "log_cosh"}


def _normalized(name):
    """``"MeanSquaredError"``, ``"mean_squared_error"`` and ``"MSE"`` all match."""
    return name.replace("_", "").lower()


_LOOKUP = {_normalized(name): name for name in _PER_SAMPLE}
_LOOKUP.update({_normalized(alias): name for alias, name in _ALIASES.items()})


def per_sample(name):
    """The per-sample function for a Keras loss name or alias, or None.

    Example:
        >>> from ndgrad.keras.losses import mean_squared_error
        >>> from ndgrad.nn.keras_losses import per_sample
        >>> per_sample("MSE") is mean_squared_error, per_sample("nope")
        (True, None)
    """
    found = _LOOKUP.get(_normalized(name))
    return None if found is None else _PER_SAMPLE[found]


def _batch_mean(function, name):
    """``loss(y_true, y_pred, sample_weight=None)``: the per-sample losses reduced
    as Keras's default ``"sum_over_batch_size"``."""
    def loss(y_true, y_pred, sample_weight=None):
        return reduce_weighted(function(y_true, y_pred), sample_weight, owner=name)
    loss.__name__ = loss.__qualname__ = name
    loss.__doc__ = (f"Keras's ``{name}(y_true, y_pred)`` averaged over the batch; note the "
                    "argument order, target first.")
    return loss


_BATCH_MEANS = {name: _batch_mean(function, name) for name, function in _PER_SAMPLE.items()}


def get(identifier, **options):
    """A Keras loss by name, as ``model.compile(loss=...)`` takes it.

    The result is called as ``loss(y_true, y_pred, sample_weight=None)``: KERAS
    argument order, target first, and returns the mean over the batch.

    Args:
        identifier: a name (``"mse"``, ``"mae"``, ``"mape"``, ``"msle"``,
            ``"huber"``, ``"log_cosh"``, ``"binary_crossentropy"``,
            ``"binary_focal_crossentropy"``, ``"categorical_crossentropy"``,
            ``"categorical_focal_crossentropy"``,
            ``"sparse_categorical_crossentropy"``, ``"kl_divergence"``,
            ``"poisson"``, ``"cosine_similarity"``, ``"hinge"``,
            ``"squared_hinge"``, ``"categorical_hinge"``; Keras's class spellings
            such as ``"MeanSquaredError"`` too), a callable (returned as is) or None.
        options: keyword arguments of the function, for a name: ``from_logits``,
            ``label_smoothing``, ``delta``, ...

    Example:
        >>> from ndgrad.nn.keras_losses import get
        >>> import ndgrad
        >>> loss = get("sparse_categorical_crossentropy", from_logits=True)
        >>> round(loss(ndgrad.tensor([1]), ndgrad.tensor([[0.0, 0.0]])).item(), 4)
        0.6931
    """
    if options and not isinstance(identifier, str):
        raise TypeError(f"losses.get: options {sorted(options)} apply to a loss name only")
    if identifier is None or callable(identifier):
        return identifier
    if not isinstance(identifier, str):
        raise TypeError(f"losses.get: expected a loss name or a callable; got "
                        f"{type(identifier).__name__}")
    function = per_sample(identifier)
    if function is None:
        known = ", ".join(sorted(set(_PER_SAMPLE) | set(_ALIASES)))
        raise ValueError(f"losses.get: unknown loss {identifier!r}; known names: {known}")
    if not options:
        return _BATCH_MEANS[function.__name__]
    accepted = list(inspect.signature(function).parameters)[2:]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise TypeError(f"losses.get: {function.__name__} takes no option {', '.join(unknown)}; "
                        f"its options: {', '.join(accepted) or 'none'}")
    return _batch_mean(functools.partial(function, **options), function.__name__)
