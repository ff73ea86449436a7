"""Loss functions: PyTorch's (``input, target``) and Keras's names (``y_true, y_pred``).

The PyTorch-named functions take ``(input, target)`` — prediction first — with
PyTorch's arguments and ``reduction="mean" | "sum" | "none"``. The regression
losses warn when the two shapes differ but broadcast (an ``(N, 1)`` prediction
against an ``(N,)`` target silently compares every prediction with every
target) and raise when they cannot broadcast. ``huber_loss`` and
``smooth_l1_loss`` are one primitive with a hand-written rule; the others are
composed from ndgrad's ops. The classification losses live in
``classification_losses`` and are re-exported here.

``get(name)`` returns Keras's losses by name. They take the arguments in
KERAS order, ``loss(y_true, y_pred)`` — target first, the reverse of the
PyTorch functions — and return the mean over the batch, as ``model.compile``
would; Keras's cross-entropies take probabilities (``from_logits=False``) and
clip them to ``[1e-7, 1 - 1e-7]``.

Example:
    >>> import ndgrad
    >>> from ndgrad.nn import losses
    >>> prediction, target = ndgrad.tensor([1.0, 3.0]), ndgrad.tensor([0.0, 1.0])
    >>> losses.mse_loss(prediction, target).item()
    2.5
    >>> losses.get("mse")(target, prediction).item()      # y_true first
    2.5
"""

import functools
import inspect
import warnings

import numpy as np

from ..autograd.breaks import user_frame
from ..autograd.primitive import primitive
from ..ops.activations import log_sigmoid, log_softmax
from ..ops.elementwise import abs as _abs, exp, log, square
from ..ops.reduce import mean as _mean, sum as _sum
from ..ops.selection import clip, where
from ..ops.shape import squeeze
from ._loss_reduction import _floating_tensor, _reduce, _reduction_mode
from .binary_losses import binary_cross_entropy, binary_cross_entropy_with_logits
from .classification_losses import _nll_indices, cross_entropy, nll_loss

__all__ = ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "kl_div", "cross_entropy",
           "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits"]

_KERAS_EPSILON = 1e-7


def _warn_user(message):
    """Warn at the user's line (the first frame outside ndgrad), once per line."""
    frame = user_frame()
    registry = frame.f_globals.setdefault("__warningregistry__", {})
    warnings.warn_explicit(message, UserWarning, frame.f_code.co_filename, frame.f_lineno,
                           module=frame.f_globals.get("__name__"), registry=registry)


def _check_shapes(name, input_shape, target_shape):
    """Refuse shapes that cannot broadcast; warn about shapes that differ but do."""
    if input_shape == target_shape:
        return
    try:
        combined = np.broadcast_shapes(input_shape, target_shape)
    except ValueError:
        raise ValueError(f"{name}: input shape {input_shape} and target shape {target_shape} "
                         f"cannot be broadcast together; give the target the input's shape "
                         f"{input_shape}") from None
    _warn_user(f"{name}: target shape {target_shape} differs from input shape {input_shape}; "
               f"they broadcast to {combined}, which is likely wrong (an (N, 1) prediction "
               f"against an (N,) target compares every prediction with every target). "
               f"Reshape the target to {input_shape}.")


def _pair(name, input, target):
    input = _floating_tensor(input)
    target = _floating_tensor(target, input.dtype)
    _check_shapes(name, input.shape, target.shape)
    return input, target


def _weighted(name, loss, weight, reduction, input_shape, divide_by_weights):
    """PyTorch's element weights: ``mean`` is ``sum(w l) / sum(w)`` for mse and l1,
    ``mean(w l)`` for huber."""
    if weight is None:
        return _reduce(loss, reduction)
    weight = _floating_tensor(weight, loss.dtype)
    if weight.shape != input_shape:
        raise ValueError(f"{name}: weight shape {weight.shape} must equal input shape "
                         f"{input_shape}")
    loss = loss * weight
    if reduction == "mean" and divide_by_weights:
        return _sum(loss) / _sum(weight)
    return _reduce(loss, reduction)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error ``(input - target) ** 2``, reduced.

    Args:
        input: predictions. target: targets, the input's shape (a different
            shape that broadcasts warns; one that cannot raises ValueError).
        reduction: ``"mean"``, ``"sum"`` or ``"none"`` (``size_average`` /
            ``reduce``: PyTorch's deprecated spelling).
        weight: optional weights of the input's shape; the mean is then
            ``sum(weight * loss) / sum(weight)``.

    Example:
        >>> import ndgrad
        >>> mse_loss(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([1.0, 4.0])).item()
        2.0
    """
    reduction = _reduction_mode("mse_loss", reduction, size_average, reduce)
    input, target = _pair("mse_loss", input, target)
    return _weighted("mse_loss", square(input - target), weight, reduction, input.shape, True)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error ``|input - target|``, reduced (gradient 0 where equal).

    Args:
        input, target, reduction, weight: as in :func:`mse_loss`.

    Example:
        >>> import ndgrad
        >>> l1_loss(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([0.0, 4.0]), reduction="sum").item()
        3.0
    """
    reduction = _reduction_mode("l1_loss", reduction, size_average, reduce)
    input, target = _pair("l1_loss", input, target)
    return _weighted("l1_loss", _abs(input - target), weight, reduction, input.shape, True)


@primitive(name="huber_loss", reads=(0, 1))
def _huber(input, target, delta):
    # min(|d|, delta) * (|d| - min(|d|, delta) / 2): d^2 / 2 inside, delta (|d| - delta / 2)
    # outside, in three passes and without a select.
    error = np.abs(input - target)
    inner = np.minimum(error, delta)
    return inner * (error - 0.5 * inner)


@_huber.defvjp
def _huber_vjp(g, out, input, target, delta, needs):
    slope = g * clip(input - target, -delta, delta)
    return (slope if needs[0] else None), (-slope if needs[1] else None)


def _positive_delta(name, label, value, allow_zero=False):
    if not (value > 0 or (allow_zero and value == 0)):
        raise ValueError(f"{name}: {label} must be {'>= 0' if allow_zero else '> 0'}; "
                         f"got {value}")
    return float(value)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Huber loss: ``d ** 2 / 2`` where ``|d| < delta``, ``delta (|d| - delta / 2)``
    elsewhere, for ``d = input - target``.

    Args:
        input, target, reduction: as in :func:`mse_loss`.
        delta: where the loss turns from quadratic to linear (> 0).
        weight: optional weights of the input's shape (the mean is ``mean(weight * loss)``).

    Example:
        >>> import ndgrad
        >>> huber_loss(ndgrad.tensor([0.5, 3.0]), ndgrad.zeros(2), reduction="none").tolist()
        [0.125, 2.5]
    """
    reduction = _reduction_mode("huber_loss", reduction)
    delta = _positive_delta("huber_loss", "delta", delta)
    input, target = _pair("huber_loss", input, target)
    loss = _huber(input, target, delta=delta)
    return _weighted("huber_loss", loss, weight, reduction, input.shape, False)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Smooth L1 loss: ``d ** 2 / (2 beta)`` where ``|d| < beta``, ``|d| - beta / 2``
    elsewhere (Huber loss divided by ``beta``; plain L1 when ``beta`` is 0).

    Args:
        input, target, reduction: as in :func:`mse_loss`.
        beta: where the loss turns from quadratic to linear (>= 0).

    Example:
        >>> import ndgrad
        >>> smooth_l1_loss(ndgrad.tensor([0.5, 3.0]), ndgrad.zeros(2), reduction="none").tolist()
        [0.125, 2.5]
    """
    reduction = _reduction_mode("smooth_l1_loss", reduction, size_average, reduce)
    beta = _positive_delta("smooth_l1_loss", "beta", beta, allow_zero=True)
    input, target = _pair("smooth_l1_loss", input, target)
    if beta == 0.0:
        return _reduce(_abs(input - target), reduction)
    loss = _huber(input, target, delta=beta)
    return _reduce(loss / beta if beta != 1.0 else loss, reduction)


@primitive(name="xlogx", reads=(0,))
def _x_log_x(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0, x * np.log(x))       # 0 log 0 = 0


@_x_log_x.defvjp
def _x_log_x_vjp(g, out, x):
    positive = x > 0
    return g * where(positive, log(where(positive, x, 1.0)) + 1, 0.0)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Pointwise Kullback-Leibler divergence ``target (log target - input)`` with
    ``input`` in log space, as PyTorch's.

    Args:
        input: log-probabilities. target: probabilities (or log-probabilities
            when ``log_target``), the input's shape.
        reduction: ``"batchmean"`` (sum / batch size: the true KL divergence),
            ``"sum"``, ``"none"``, or ``"mean"`` (over every element; warns, as PyTorch).
        log_target: whether ``target`` is in log space.

    Example:
        >>> import ndgrad
        >>> log_q = ndgrad.log(ndgrad.tensor([[0.5, 0.5]]))
        >>> round(kl_div(log_q, ndgrad.tensor([[1.0, 0.0]]), reduction="batchmean").item(), 4)
        0.6931
    """
    legacy = size_average is not None or reduce is not None
    reduction = _reduction_mode("kl_div", reduction, size_average, reduce,
                                allowed=("mean", "batchmean", "sum", "none"))
    if reduction == "mean" and not legacy:
        _warn_user("kl_div: reduction='mean' divides by the number of elements, not the batch "
                   "size; reduction='batchmean' gives the true KL divergence")
    input, target = _pair("kl_div", input, target)
    if log_target:
        loss = exp(target) * (target - input)
    else:
        loss = _x_log_x(target) - target * input
    if reduction == "batchmean":
        return _sum(loss) / input.shape[0] if input.ndim else _sum(loss)
    return _reduce(loss, reduction)


# ----------------------------------------------------------------- Keras's losses
def _keras_pair(y_true, y_pred, name):
    """Keras's conversions: y_true in y_pred's dtype, a trailing axis of 1 squeezed
    when the ranks differ by one, then the shape check."""
    y_pred = _floating_tensor(y_pred)
    y_true = _floating_tensor(y_true, y_pred.dtype)
    if y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_pred = squeeze(y_pred, axis=-1)
    elif y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = squeeze(y_true, axis=-1)
    _check_shapes(name, y_pred.shape, y_true.shape)
    return y_true, y_pred


def _last_axis_mean(values):
    return _mean(values, axis=-1) if values.ndim else values


def _keras_mean_squared_error(y_true, y_pred):
    y_true, y_pred = _keras_pair(y_true, y_pred, "mean_squared_error")
    return _last_axis_mean(square(y_pred - y_true))


def _keras_mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _keras_pair(y_true, y_pred, "mean_absolute_error")
    return _last_axis_mean(_abs(y_pred - y_true))


def _keras_huber(y_true, y_pred, delta=1.0):
    y_true, y_pred = _keras_pair(y_true, y_pred, "huber")
    return _last_axis_mean(_huber(y_pred, y_true, delta=float(delta)))


def _keras_binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    y_true, y_pred = _keras_pair(y_true, y_pred, "binary_crossentropy")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        return _last_axis_mean((1 - y_true) * y_pred - log_sigmoid(y_pred))
    p = clip(y_pred, _KERAS_EPSILON, 1.0 - _KERAS_EPSILON)
    return _last_axis_mean(-(y_true * log(p) + (1 - y_true) * log(1 - p)))


def _keras_log_probabilities(y_pred, from_logits):
    """Log-probabilities along the last axis; probabilities are renormalized and
    clipped to [1e-7, 1 - 1e-7] first, as Keras does."""
    if from_logits:
        return log_softmax(y_pred, axis=-1)
    total = _sum(y_pred, axis=-1, keepdims=True)
    return log(clip(y_pred / total, _KERAS_EPSILON, 1.0 - _KERAS_EPSILON))


def _keras_categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    y_pred = _floating_tensor(y_pred)
    y_true = _floating_tensor(y_true, y_pred.dtype)
    if y_true.shape != y_pred.shape or y_pred.ndim == 0:
        raise ValueError(f"categorical_crossentropy: y_true shape {y_true.shape} must equal "
                         f"y_pred shape {y_pred.shape} (one-hot or probability targets); for "
                         "integer labels use sparse_categorical_crossentropy")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[-1]
    return -_sum(y_true * _keras_log_probabilities(y_pred, from_logits), axis=-1)


def _keras_sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    name = "sparse_categorical_crossentropy"
    y_pred = _floating_tensor(y_pred)
    labels = np.asarray(getattr(y_true, "_data", y_true))
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
    log_probs = _keras_log_probabilities(y_pred, from_logits)
    ones = np.ones(labels.shape, dtype=y_pred.dtype)
    return _nll_indices(log_probs, target=labels, coefficients=ones, axis=y_pred.ndim - 1,
                        reduction="none")


def _keras_kl_divergence(y_true, y_pred):
    y_true, y_pred = _keras_pair(y_true, y_pred, "kl_divergence")
    y_true = clip(y_true, _KERAS_EPSILON, 1.0)
    y_pred = clip(y_pred, _KERAS_EPSILON, 1.0)
    pointwise = y_true * log(y_true / y_pred)
    return _sum(pointwise, axis=-1) if pointwise.ndim else pointwise


def _sample_weighted(values, sample_weight):
    """Keras's weighting: per-sample weights broadcast over the per-sample losses."""
    weight = _floating_tensor(sample_weight, values.dtype)
    while weight.ndim > values.ndim and weight.shape[-1] == 1:
        weight = squeeze(weight, axis=-1)
    return values * weight


def _batch_mean(per_sample, name):
    """A Keras loss ``loss(y_true, y_pred, sample_weight=None)`` from a per-sample
    one, reduced as Keras's default ``"sum_over_batch_size"``: the sum of the
    weighted per-sample losses divided by their number."""
    def loss(y_true, y_pred, sample_weight=None):
        values = per_sample(y_true, y_pred)
        if sample_weight is not None:
            values = _sample_weighted(values, sample_weight)
        return _mean(values)
    loss.__name__ = loss.__qualname__ = name
    loss.__doc__ = (f"Keras's ``{name}(y_true, y_pred)`` averaged over the batch; note the "
                    "argument order, target first.")
    return loss


_PER_SAMPLE = {
    "mean_squared_error": _keras_mean_squared_error,
    "mean_absolute_error": _keras_mean_absolute_error,
    "huber": _keras_huber,
    "binary_crossentropy": _keras_binary_crossentropy,
    "categorical_crossentropy": _keras_categorical_crossentropy,
    "sparse_categorical_crossentropy": _keras_sparse_categorical_crossentropy,
    "kl_divergence": _keras_kl_divergence,
}
_KERAS_LOSSES = {name: _batch_mean(function, name) for name, function in _PER_SAMPLE.items()}
_ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "kld": "kl_divergence",
            "kullback_leibler_divergence": "kl_divergence", "huber_loss": "huber"}


def _normalized(name):
    """``"MeanSquaredError"``, ``"mean_squared_error"`` and ``"MSE"`` all match."""
    return name.replace("_", "").lower()


_LOOKUP = {_normalized(name): name for name in _KERAS_LOSSES}
_LOOKUP.update({_normalized(alias): name for alias, name in _ALIASES.items()})


def get(identifier, **options):
    """A Keras loss by name, as ``model.compile(loss=...)`` takes it.

    The result is called as ``loss(y_true, y_pred, sample_weight=None)``: KERAS
    argument order, target first (the PyTorch-named functions of this module
    take the prediction first), and returns the mean over the batch. The
    cross-entropies expect probabilities, as Keras's defaults
    (``from_logits=False``), clipped to ``[1e-7, 1 - 1e-7]``;
    ``sparse_categorical_crossentropy`` takes integer labels,
    ``categorical_crossentropy`` one-hot or probability targets.

    Args:
        identifier: a name (``"mse"`` / ``"mean_squared_error"``, ``"mae"`` /
            ``"mean_absolute_error"``, ``"huber"``, ``"binary_crossentropy"``,
            ``"categorical_crossentropy"``, ``"sparse_categorical_crossentropy"``,
            ``"kl_divergence"``; Keras's class spellings such as
            ``"MeanSquaredError"`` too), a callable (returned as is) or None.
        options: arguments of Keras's loss classes, for a name: ``from_logits``
            and ``label_smoothing`` (the cross-entropies), ``delta`` (huber).

    Example:
        >>> import ndgrad
        >>> loss = get("sparse_categorical_crossentropy")
        >>> round(loss(ndgrad.tensor([1]), ndgrad.tensor([[0.5, 0.5]])).item(), 4)
        0.6931
        >>> loss = get("sparse_categorical_crossentropy", from_logits=True)
        >>> round(loss(ndgrad.tensor([1]), ndgrad.tensor([[0.0, 0.0]])).item(), 4)
        0.6931
    """
    if options and not isinstance(identifier, str):
        raise TypeError(f"losses.get: options {sorted(options)} apply to a loss name only")
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str):
        name = _LOOKUP.get(_normalized(identifier))
        if name is None:
            known = ", ".join(sorted(set(_KERAS_LOSSES) | set(_ALIASES)))
            raise ValueError(f"losses.get: unknown loss {identifier!r}; known names: {known}")
        if not options:
            return _KERAS_LOSSES[name]
        per_sample = _PER_SAMPLE[name]
        accepted = inspect.signature(per_sample).parameters
        unknown = sorted(set(options) - set(list(accepted)[2:]))
        if unknown:
            raise TypeError(f"losses.get: {name} takes no option {', '.join(unknown)}; its "
                            f"options: {', '.join(list(accepted)[2:]) or 'none'}")
        return _batch_mean(functools.partial(per_sample, **options), name)
    raise TypeError(f"losses.get: expected a loss name or a callable; got "
                    f"{type(identifier).__name__}")
