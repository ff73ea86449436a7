"""Keras's loss functions: per-sample losses ``f(y_true, y_pred)`` (target first)
and their batch means by name, as ``model.compile(loss=...)`` takes them.

Each function here returns one loss per sample (the mean or sum over the last
axis), as ``keras.losses.mean_squared_error`` does; :func:`reduce_weighted`
applies sample weights and Keras's reductions (``"sum_over_batch_size"``, the
default, divides the weighted sum by the number of values). ``get(name)``
returns the batch-mean form used by ``compile``. The cross-entropies take
probabilities unless ``from_logits=True`` and clip them to ``[1e-7, 1 - 1e-7]``,
as Keras; the keras face's loss classes (``keras.losses.MeanSquaredError``)
are built on these functions.

Example:
    >>> import ndgrad
    >>> from ndgrad.nn import keras_losses
    >>> y_true, y_pred = ndgrad.tensor([[0.0, 1.0], [0.0, 0.0]]), ndgrad.tensor([[1.0, 1.0], [1.0, 0.0]])
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
from ..ops.activations import log_sigmoid, log_softmax, sigmoid, softmax, softplus
from ..ops.arithmetic import maximum, power
from ..ops.elementwise import abs as _abs, log, sqrt, square
from ..ops.reduce import max as _max, mean as _mean, sum as _sum
from ..ops.selection import clip
from ..ops.shape import moveaxis, squeeze
from ._loss_reduction import _floating_tensor
from .classification_losses import _nll_indices
from .losses import _check_shapes, _huber

__all__ = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
           "mean_squared_logarithmic_error", "huber", "log_cosh", "binary_crossentropy",
           "binary_focal_crossentropy", "categorical_crossentropy",
           "categorical_focal_crossentropy", "sparse_categorical_crossentropy", "kl_divergence",
           "poisson", "cosine_similarity", "hinge", "squared_hinge", "categorical_hinge",
           "reduce_weighted", "REDUCTIONS", "get"]

EPSILON = 1e-7
REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def _pair(y_true, y_pred, name):
    """y_true in y_pred's dtype; a trailing axis of 1 squeezed when the ranks differ
    by one (Keras's squeeze_or_expand_to_same_rank); then the shape check."""
    y_pred = _floating_tensor(y_pred)
    y_true = _floating_tensor(y_true, y_pred.dtype)
    if y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_pred = squeeze(y_pred, axis=-1)
    elif y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = squeeze(y_true, axis=-1)
    _check_shapes(name, y_pred.shape, y_true.shape)
    return y_true, y_pred


def _mean_last(values, axis=-1):
    return _mean(values, axis=axis) if values.ndim else values


def mean_squared_error(y_true, y_pred):
    """``mean((y_true - y_pred) ** 2, axis=-1)``.

    Example:
        >>> mean_squared_error([[0.0, 2.0]], [[1.0, 0.0]]).tolist()
        [2.5]
    """
    y_true, y_pred = _pair(y_true, y_pred, "mean_squared_error")
    return _mean_last(square(y_pred - y_true))


def mean_absolute_error(y_true, y_pred):
    """``mean(|y_true - y_pred|, axis=-1)``.

    Example:
        >>> mean_absolute_error([[0.0, 2.0]], [[1.0, 0.0]]).tolist()
        [1.5]
    """
    y_true, y_pred = _pair(y_true, y_pred, "mean_absolute_error")
    return _mean_last(_abs(y_pred - y_true))


def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(|(y_true - y_pred) / max(|y_true|, 1e-7)|, axis=-1)``.

    Example:
        >>> mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 5.0]]).tolist()
        [37.5]
    """
    y_true, y_pred = _pair(y_true, y_pred, "mean_absolute_percentage_error")
    return 100.0 * _mean_last(_abs((y_true - y_pred) / maximum(_abs(y_true), EPSILON)))


def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)) ** 2, axis=-1)``.

    Example:
        >>> round(mean_squared_logarithmic_error([[0.0]], [[math.e - 1]]).item(), 5)
        1.0
    """
    y_true, y_pred = _pair(y_true, y_pred, "mean_squared_logarithmic_error")
    first = log(maximum(y_pred, EPSILON) + 1.0)
    second = log(maximum(y_true, EPSILON) + 1.0)
    return _mean_last(square(first - second))


def huber(y_true, y_pred, delta=1.0):
    """``mean(huber, axis=-1)``: ``d ** 2 / 2`` where ``|d| <= delta``, else
    ``delta * (|d| - delta / 2)``, for ``d = y_pred - y_true``.

    Example:
        >>> huber([[0.0, 0.0]], [[0.5, 3.0]]).tolist()          # (0.125 + 2.5) / 2
        [1.3125]
    """
    y_true, y_pred = _pair(y_true, y_pred, "huber")
    return _mean_last(_huber(y_pred, y_true, delta=float(delta)))


def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed stably as
    ``x + softplus(-2 x) - log 2``.

    Example:
        >>> round(log_cosh([[0.0]], [[1.0]]).item(), 5)          # log(cosh(1))
        0.43378
    """
    y_true, y_pred = _pair(y_true, y_pred, "log_cosh")
    error = y_pred - y_true
    return _mean_last(error + softplus(-2.0 * error) - math.log(2.0))


def _smoothed_binary(y_true, label_smoothing):
    return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else y_true


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """``mean(-(y log p + (1 - y) log(1 - p)), axis)`` with ``p`` clipped to
    ``[1e-7, 1 - 1e-7]`` (or from logits, stably).

    Example:
        >>> round(binary_crossentropy([[1.0, 0.0]], [[0.5, 0.5]]).item(), 4)
        0.6931
        >>> round(binary_crossentropy([[1.0]], [[0.0]], from_logits=True).item(), 4)
        0.6931
    """
    y_true, y_pred = _pair(y_true, y_pred, "binary_crossentropy")
    y_true = _smoothed_binary(y_true, label_smoothing)
    if from_logits:
        return _mean_last((1 - y_true) * y_pred - log_sigmoid(y_pred), axis)
    p = clip(y_pred, EPSILON, 1.0 - EPSILON)
    return _mean_last(-(y_true * log(p) + (1 - y_true) * log(1 - p)), axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy scaled by ``(1 - p_t) ** gamma`` (and by ``alpha`` /
    ``1 - alpha`` with ``apply_class_balancing``), ``p_t`` the probability of the
    true label.

    Example:
        >>> round(binary_focal_crossentropy([[1.0]], [[0.5]]).item(), 4)   # 0.25 * log 2
        0.1733
    """
    y_true, y_pred = _pair(y_true, y_pred, "binary_focal_crossentropy")
    y_true = _smoothed_binary(y_true, label_smoothing)
    if from_logits:
        y_pred = sigmoid(y_pred)
    p = clip(y_pred, EPSILON, 1.0 - EPSILON)
    cross_entropy = -(y_true * log(p) + (1 - y_true) * log(1 - p))
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = power(1.0 - p_t, float(gamma)) * cross_entropy
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return _mean_last(focal, axis)


def _categorical_pair(y_true, y_pred, name, axis):
    y_pred = _floating_tensor(y_pred)
    y_true = _floating_tensor(y_true, y_pred.dtype)
    if y_true.shape != y_pred.shape or y_pred.ndim == 0:
        raise ValueError(f"{name}: y_true shape {y_true.shape} must equal y_pred shape "
                         f"{y_pred.shape} (one-hot or probability targets); for integer labels "
                         "use sparse_categorical_crossentropy")
    if axis not in (-1, y_pred.ndim - 1):
        y_true, y_pred = moveaxis(y_true, axis, -1), moveaxis(y_pred, axis, -1)
    return y_true, y_pred


def _log_probabilities(y_pred, from_logits):
    """Log-probabilities along the last axis; probabilities are renormalized and
    clipped to [1e-7, 1 - 1e-7] first, as Keras does."""
    if from_logits:
        return log_softmax(y_pred, axis=-1)
    total = _sum(y_pred, axis=-1, keepdims=True)
    return log(clip(y_pred / total, EPSILON, 1.0 - EPSILON))


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """``-sum(y_true * log p, axis)`` for one-hot (or probability) targets.

    Example:
        >>> round(categorical_crossentropy([[0.0, 1.0]], [[0.2, 0.8]]).item(), 4)
        0.2231
    """
    y_true, y_pred = _categorical_pair(y_true, y_pred, "categorical_crossentropy", axis)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[-1]
    return -_sum(y_true * _log_probabilities(y_pred, from_logits), axis=-1)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """``sum(-alpha (1 - p) ** gamma * y_true * log p, axis)``.

    Example:
        >>> round(categorical_focal_crossentropy([[0.0, 1.0]], [[0.5, 0.5]]).item(), 4)
        0.0433
    """
    y_true, y_pred = _categorical_pair(y_true, y_pred, "categorical_focal_crossentropy", axis)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[-1]
    if from_logits:
        y_pred = softmax(y_pred, axis=-1)
    probabilities = clip(y_pred / _sum(y_pred, axis=-1, keepdims=True), EPSILON, 1.0 - EPSILON)
    focal = alpha * power(1.0 - probabilities, float(gamma)) * (-y_true * log(probabilities))
    return _sum(focal, axis=-1)


def _integer_labels(y_true, y_pred, name):
    labels = np.asarray(data_of(y_true))
    if labels.ndim == y_pred.ndim and labels.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if labels.dtype.kind == "f":          # Keras accepts float labels holding integers
        if not np.array_equal(labels, np.round(labels)):
            raise ValueError(f"{name}: y_true must hold integer class labels; got "
                             f"non-integer values of dtype {labels.dtype}")
        labels = labels.astype(np.int64)
    if y_pred.ndim == 0 or labels.shape != y_pred.shape[:-1]:
        raise ValueError(f"{name}: y_true of shape {labels.shape} must be integer labels of "
                         f"shape {y_pred.shape[:-1]} for y_pred of shape {y_pred.shape}")
    classes = y_pred.shape[-1]
    if labels.dtype.kind not in "iu" or ((labels < 0) | (labels >= classes)).any():
        raise IndexError(f"{name}: y_true must hold class labels in [0, {classes}) for "
                         f"y_pred with {classes} classes; got dtype {labels.dtype}, values in "
                         f"[{labels.min() if labels.size else None}, "
                         f"{labels.max() if labels.size else None}]")
    return labels


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """``-log p[label]`` for integer labels (float labels holding integers accepted).

    Example:
        >>> round(sparse_categorical_crossentropy([1], [[0.2, 0.8]]).item(), 4)
        0.2231
    """
    name = "sparse_categorical_crossentropy"
    if ignore_class is not None:
        raise NotImplementedError(f"{name}: ignore_class is not supported yet; give the ignored "
                                  "entries a sample_weight of 0 instead")
    y_pred = _floating_tensor(y_pred)
    if axis not in (-1, y_pred.ndim - 1):
        y_pred = moveaxis(y_pred, axis, -1)
    labels = _integer_labels(y_true, y_pred, name)
    ones = np.ones(labels.shape, dtype=y_pred.dtype)
    return _nll_indices(_log_probabilities(y_pred, from_logits), target=labels,
                        coefficients=ones, axis=y_pred.ndim - 1, reduction="none")


def kl_divergence(y_true, y_pred):
    """``sum(y_true * log(y_true / y_pred), axis=-1)``, both clipped to ``[1e-7, 1]``.

    Example:
        >>> round(kl_divergence([[1.0, 0.0]], [[0.5, 0.5]]).item(), 4)
        0.6931
    """
    y_true, y_pred = _pair(y_true, y_pred, "kl_divergence")
    y_true = clip(y_true, EPSILON, 1.0)
    y_pred = clip(y_pred, EPSILON, 1.0)
    pointwise = y_true * log(y_true / y_pred)
    return _sum(pointwise, axis=-1) if pointwise.ndim else pointwise


def poisson(y_true, y_pred):
    """``mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)``.

    Example:
        >>> round(poisson([[1.0]], [[1.0]]).item(), 4)
        1.0
    """
    y_true, y_pred = _pair(y_true, y_pred, "poisson")
    return _mean_last(y_pred - y_true * log(y_pred + EPSILON))


def cosine_similarity(y_true, y_pred, axis=-1):
    """``-sum(normalize(y_true) * normalize(y_pred), axis)``: -1 for vectors that
    point the same way (a loss to minimize).

    Example:
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
        >>> hinge([[0.0, 1.0]], [[0.5, 0.5]]).tolist()          # (1.5 + 0.5) / 2
        [1.0]
    """
    y_true, y_pred = _pair(y_true, y_pred, "hinge")
    return _mean_last(maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0))


def squared_hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0) ** 2, axis=-1)``, 0/1 labels taken as -1/1.

    Example:
        >>> squared_hinge([[0.0, 1.0]], [[0.5, 0.5]]).tolist()  # (2.25 + 0.25) / 2
        [1.25]
    """
    y_true, y_pred = _pair(y_true, y_pred, "squared_hinge")
    return _mean_last(square(maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0)))


def categorical_hinge(y_true, y_pred):
    """``max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)`` per sample.

    Example:
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
        >>> import ndgrad
        >>> values = ndgrad.tensor([1.0, 3.0])
        >>> reduce_weighted(values, [1.0, 0.0]).item(), reduce_weighted(values, reduction="sum").item()
        (0.5, 4.0)
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
    total = _sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and weight is not None:
        count = _sum(weight * np.ones(values.shape, values.dtype))
        return total / count if count.item() else total * 0.0
    return total / values.size if values.size else total


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
