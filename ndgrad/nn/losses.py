"""Loss functions: PyTorch's (``input, target``) and Keras's names (``y_true, y_pred``).

The PyTorch-named functions take ``(input, target)`` — prediction first — with
PyTorch's arguments and ``reduction="mean" | "sum" | "none"``. The regression
losses warn when the two shapes differ but broadcast (an ``(N, 1)`` prediction
against an ``(N,)`` target silently compares every prediction with every
target) and raise when they cannot broadcast. ``huber_loss`` and
``smooth_l1_loss`` are one primitive with a hand-written rule; the others are
composed from ndgrad's ops. The classification losses live in
``classification_losses`` and are re-exported here.

``get(name)`` returns Keras's losses by name (they live in
:mod:`ndgrad.nn.keras_losses`). They take the arguments in KERAS order,
``loss(y_true, y_pred)`` — target first, the reverse of the PyTorch functions —
and return the mean over the batch, as ``model.compile`` would.

Example:
    >>> import ndgrad
    >>> from ndgrad.nn import losses
    >>> prediction, target = ndgrad.tensor([1.0, 3.0]), ndgrad.tensor([0.0, 1.0])
    >>> losses.mse_loss(prediction, target).item()
    2.5
    >>> losses.get("mse")(target, prediction).item()      # y_true first
    2.5
"""

import warnings

import numpy as np

from ..autograd.breaks import user_frame
from ..autograd.primitive import primitive
from ..ops.elementwise import abs as _abs, exp, log, square
from ..ops.reduce import sum as _sum
from ..ops.selection import clip, where
from ._loss_reduction import _floating_tensor, _reduce, _reduction_mode
from .binary_losses import binary_cross_entropy, binary_cross_entropy_with_logits
from .classification_losses import cross_entropy, nll_loss

__all__ = ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "kl_div", "cross_entropy",
           "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits"]


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
        >>> from ndgrad.nn.functional import mse_loss
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
        >>> from ndgrad.nn.functional import l1_loss
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
        >>> from ndgrad.nn.functional import huber_loss
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
        >>> from ndgrad.nn.functional import smooth_l1_loss
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
        >>> from ndgrad.nn.functional import kl_div
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


def get(identifier, **options):
    """A Keras loss by name (``"mse"``, ``"sparse_categorical_crossentropy"``, ...),
    called ``loss(y_true, y_pred, sample_weight=None)``: see
    :func:`ndgrad.nn.keras_losses.get`.

    Example:
        >>> from ndgrad.nn.losses import get
        >>> import ndgrad
        >>> get("mae")(ndgrad.zeros(2), ndgrad.tensor([1.0, 3.0])).item()
        2.0
    """
    from .keras_losses import get as keras_get
    return keras_get(identifier, **options)
