"""Classification losses in PyTorch's vocabulary: ``cross_entropy``, ``nll_loss``,
``binary_cross_entropy`` and ``binary_cross_entropy_with_logits``.

``cross_entropy`` with integer class targets (every classifier's training step)
is one primitive: its forward shifts the logits by their maximum, exponentiates
once and keeps the exponentials, so the backward is a single pass,
``softmax - onehot`` scaled by the class weights and the reduction. Under
``create_graph=True`` the rule is rebuilt from differentiable ops instead, so
higher-order gradients stay exact. Label smoothing and probability targets are
composed from ``log_softmax``; ``binary_cross_entropy_with_logits`` from
``log_sigmoid``: finite for any finite logits.

The class dimension is 1, as in PyTorch: input ``(N, C)`` or ``(N, C, d1, ...)``,
or ``(C,)`` with a scalar target. Class weights (``weight``) are constants.

Example:
    >>> import ndgrad
    >>> from ndgrad.nn.classification_losses import cross_entropy
    >>> logits = ndgrad.Variable([[2.0, 0.0], [0.0, 2.0]])
    >>> loss = cross_entropy(logits, ndgrad.tensor([0, 1]))
    >>> round(loss.item(), 4)
    0.1269
    >>> loss.backward(); [round(v, 4) for v in logits.grad[0].tolist()]
    [-0.0596, 0.0596]
"""

import math

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import data_of, primitive
from ..errors import DTypeError
from ..ops.activations import _reusable_like, log_softmax, softmax
from ..ops.reduce import sum as _sum
from ..ops.shape import expand_dims
from ..tensor import Tensor, as_tensor
from ._loss_reduction import _floating_tensor, _reduction_mode
from .binary_losses import binary_cross_entropy, binary_cross_entropy_with_logits

__all__ = ["cross_entropy", "nll_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits"]

def _class_weight(name, weight, classes, dtype):
    """The class weights as a constant ``(C,)`` array of ``dtype``, or None."""
    if weight is None:
        return None
    if isinstance(weight, Tensor) and weight.requires_grad and state.enabled:
        raise ValueError(f"{name}: weight requires grad, but class weights are constants here "
                         "(as in PyTorch); pass weight.detach()")
    array = np.asarray(weight._data if isinstance(weight, Tensor) else weight, dtype=dtype)
    if array.shape != (classes,):
        raise ValueError(f"{name}: weight must have shape ({classes},), one weight per class "
                         f"of the input; got shape {array.shape}")
    return array


# ----------------------------------------------------------------- class-index targets
def _index_target(name, input_shape, target, ignore_index, probabilities_allowed):
    """``target`` as a checked integer array of the input's shape without the class
    axis, and whether some target lies outside the classes (is ``ignore_index``)."""
    target = np.asarray(target._data if isinstance(target, Tensor) else target)
    if len(input_shape) == 0:
        raise ValueError(f"{name}: input must have a class dimension: shape (C,), (N, C) or "
                         "(N, C, d1, ...); got a 0-d input")
    expected = input_shape[:1] + input_shape[2:] if len(input_shape) > 1 else ()
    if target.shape != expected:
        also = f" or class probabilities of shape {input_shape}" if probabilities_allowed else ""
        raise ValueError(f"{name}: for input of shape {input_shape} (class dimension "
                         f"{min(len(input_shape) - 1, 1)}) the target must be class indices of "
                         f"shape {expected}{also}; got target of shape {target.shape}")
    if target.dtype.kind not in "iu":
        raise DTypeError(f"{name}: class-index targets of shape {target.shape} must be integers; "
                         f"got dtype {target.dtype}. Convert them with target.astype('int64')")
    classes = input_shape[0 if len(input_shape) == 1 else 1]
    # Seen as unsigned, a negative index is huge: one comparison finds both ends.
    unsigned = target.view(target.dtype.str.replace("i", "u")) if target.dtype.kind == "i" else target
    outside = unsigned >= classes
    some_outside = bool(outside.any())
    if some_outside:
        bad = outside & (target != ignore_index)
        if bad.any():
            raise IndexError(f"{name}: target {target[bad].flat[0]} is out of bounds: class "
                             f"indices must be in [0, {classes}) or equal "
                             f"ignore_index={ignore_index}")
    return target, some_outside


def _class_coefficients(target, weight, ignore_index, classes, dtype, some_outside):
    """Per-target multipliers (the class weight, 0 where ignored) and targets safe
    to index with (ignored ones replaced by class 0). The multipliers are None
    when every target counts once (no class weights, none ignored). Only an
    ``ignore_index`` among the classes, or targets outside them (which
    ``_index_target`` let through as ignored), need a look at every target."""
    if some_outside or 0 <= ignore_index < classes:
        valid = target != ignore_index
        all_valid = bool(valid.all())
    else:
        valid, all_valid = None, True
    safe = target if all_valid else np.where(valid, target, 0)
    if weight is None:
        return safe, None if all_valid else valid.astype(dtype)
    coefficients = weight[safe]
    return safe, coefficients if all_valid else coefficients * valid


def _reduced(losses, coefficients, reduction):
    """Reduce per-target losses; ``mean`` divides by the summed weights of the
    targets that count (NaN when none do, as in PyTorch)."""
    if reduction == "none":
        return losses
    total = losses.sum()
    if reduction == "sum":
        return total
    if coefficients is None and losses.size:
        return total / losses.size
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / (losses.dtype.type(0) if coefficients is None else coefficients.sum())


def _gradient_scale(g, coefficients, reduction, count):
    """How much each of the ``count`` targets' gradient is multiplied by (``g`` a
    tensor): an array of the targets' shape, or a 0-d one when all count once."""
    if coefficients is None:
        if reduction == "mean":
            if not count:
                return g * np.nan if state.enabled else g._data * np.nan
            return g / count if state.enabled else g._data / count
        return g if state.enabled else g._data
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            coefficients = coefficients / coefficients.sum()
    return g._data * coefficients if not state.enabled else g * coefficients


def _one_hot(target, shape, axis, dtype):
    hot = np.zeros(shape, dtype=dtype)
    np.put_along_axis(hot, np.expand_dims(target, axis), 1, axis)
    return hot


def _pick(values, target, axis):
    """``values`` at the target class of each row, in the target's shape."""
    if values.ndim == 2 and axis == 1:
        return values[np.arange(len(target)), target]
    return np.squeeze(np.take_along_axis(values, np.expand_dims(target, axis), axis), axis)


def _subtract_at_targets(values, target, axis, amounts):
    """``values[target] -= amounts`` along ``axis``, in place (``amounts``: one per
    target, or one for all)."""
    if values.ndim == 2 and axis == 1:
        values[np.arange(len(target)), target] -= amounts
        return
    index = np.expand_dims(target, axis)
    amounts = np.expand_dims(np.broadcast_to(amounts, target.shape), axis)
    np.put_along_axis(values, index, np.take_along_axis(values, index, axis) - amounts, axis)


def _shift(logits, axis, guard):
    """``logits`` minus their maximum along ``axis``, written into a reused buffer
    laid out like ``logits`` (no new pages to fault in at every step), so exp
    cannot overflow. With ``guard``, infinite maxima (a row of -inf, an +inf
    logit) are replaced by 0 first; the forward tries without and checks the result."""
    top = np.maximum.reduce(logits, axis=axis, keepdims=True)
    if guard:
        top = np.where(np.isfinite(top), top, 0)
    if isinstance(logits, np.ndarray) and logits.dtype == top.dtype:
        return np.subtract(logits, top, out=_reusable_like(logits, logits.dtype))
    return logits - top


def _softmax_parts(logits, target, axis, guard):
    """``(exps, sums, picked)``: ``exp(logits - max)`` (computed in place in one
    buffer), its sums along ``axis`` and the shifted logits at the targets."""
    exps = _shift(logits, axis, guard)
    picked = _pick(exps, target, axis)
    np.exp(exps, out=exps)
    return exps, np.add.reduce(exps, axis=axis, keepdims=True), picked


@primitive(name="cross_entropy", reads=(0,))
def _cross_entropy_indices(logits, target, coefficients, axis, reduction, cache):
    # Four passes over the logits: the maximum, the shift into a reused buffer,
    # exp in place there, and the sum; the exponentials wait in ``cache`` for the
    # backward, which turns them into the gradient in place (one more pass).
    for guard in (False, True):
        exps, sums, picked = _softmax_parts(logits, target, axis, guard)
        losses = np.log(np.squeeze(sums, axis)) - picked
        if coefficients is not None:
            losses *= coefficients
        result = _reduced(losses, coefficients, reduction)
        # A non-finite maximum spoils the shift (inf - inf); only then is it
        # worth the check per row (a NaN logit gives NaN either way).
        finite = math.isfinite(result) if result.ndim == 0 else np.isfinite(result).all()
        if guard or finite or np.isfinite(logits.max(axis=axis)).all():
            break
    cache["exps"], cache["sums"], cache["guard"] = exps, sums, guard
    return result


@_cross_entropy_indices.defvjp
def _cross_entropy_indices_vjp(g, out, logits, target, coefficients, axis, reduction, cache):
    scale = _gradient_scale(g, coefficients, reduction, target.size)
    if state.enabled:      # create_graph: differentiable in the logits and in g
        hot = _one_hot(target, logits.shape, axis, logits.dtype)
        if scale.ndim:
            scale = expand_dims(scale, axis)
        return (softmax(logits, axis=axis) - hot) * scale
    # The first backward takes the exponentials over and writes the gradient into
    # them (softmax - onehot, scaled); a later one (retain_graph=True) recomputes
    # them from the logits, which the engine checked were not written since.
    exps = cache.pop("exps", None)
    sums = cache["sums"]
    if exps is None:
        exps, sums, _ = _softmax_parts(data_of(logits), target, axis, cache["guard"])
    factor = (np.expand_dims(scale, axis) if np.ndim(scale) else scale) / sums
    grad = np.multiply(exps, factor, out=exps) if factor.dtype == exps.dtype else exps * factor
    _subtract_at_targets(grad, target, axis, scale)
    return Tensor._wrap(grad)


@primitive(name="nll_loss", reads=())
def _nll_indices(log_probs, target, coefficients, axis, reduction):
    picked = _pick(log_probs, target, axis)
    return _reduced(-picked if coefficients is None else picked * -coefficients, coefficients,
                    reduction)


@_nll_indices.defvjp
def _nll_indices_vjp(g, out, log_probs, target, coefficients, axis, reduction):
    scale = _gradient_scale(g, coefficients, reduction, target.size)
    if state.enabled:
        hot = _one_hot(target, log_probs.shape, axis, log_probs.dtype)
        return hot * -(expand_dims(scale, axis) if scale.ndim else scale)
    grad = np.zeros(log_probs.shape, dtype=log_probs.dtype)
    _subtract_at_targets(grad, target, axis, scale)
    return Tensor._wrap(grad)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log-likelihood of class indices under log-probabilities, as PyTorch's.

    Args:
        input: log-probabilities, shape ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``.
        target: integer class indices, shape ``(N,)``, ``(N, d1, ...)`` or ``()``.
        weight: optional constant weight per class, shape ``(C,)``.
        ignore_index: targets equal to it add nothing and are left out of the mean.
        reduction: ``"mean"`` (over the summed weights of the counted targets),
            ``"sum"`` or ``"none"``. ``size_average`` / ``reduce``: PyTorch's
            deprecated spelling of it.

    Example:
        >>> from ndgrad.nn.functional import nll_loss
        >>> import ndgrad
        >>> log_probs = ndgrad.log(ndgrad.tensor([[0.5, 0.5], [0.25, 0.75]]))
        >>> round(nll_loss(log_probs, ndgrad.tensor([0, 1])).item(), 4)
        0.4904
    """
    reduction = _reduction_mode("nll_loss", reduction, size_average, reduce)
    input = _floating_tensor(input)
    target, some_outside = _index_target("nll_loss", input.shape, target, ignore_index, False)
    axis = 0 if input.ndim == 1 else 1
    weight = _class_weight("nll_loss", weight, input.shape[axis], input.dtype)
    safe, coefficients = _class_coefficients(target, weight, ignore_index, input.shape[axis],
                                             input.dtype, some_outside)
    return _nll_indices(input, target=safe, coefficients=coefficients, axis=axis,
                        reduction=reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Cross-entropy between logits and class indices or class probabilities, as PyTorch's.

    A target with the input's shape holds class probabilities (floating point);
    otherwise it holds integer class indices, the input's shape without the
    class dimension (dimension 1, or 0 for a ``(C,)`` input).

    Args:
        input: unnormalized logits, shape ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``.
        target: class indices (``(N,)``, ``(N, d1, ...)``, ``()``) or probabilities
            (the input's shape).
        weight: optional constant weight per class, shape ``(C,)``.
        ignore_index: index targets equal to it add nothing and leave the mean's
            denominator (not allowed with probability targets).
        reduction: ``"mean"``, ``"sum"`` or ``"none"``; with index targets the mean
            divides by the summed weights of the counted targets.
        label_smoothing: in [0, 1]; mixes the target with the uniform distribution.

    Example:
        >>> from ndgrad.nn.functional import cross_entropy
        >>> import ndgrad
        >>> logits = ndgrad.tensor([[1000.0, -1000.0]])
        >>> cross_entropy(logits, ndgrad.tensor([1])).item()
        2000.0
        >>> round(cross_entropy(logits, ndgrad.tensor([[0.5, 0.5]])).item(), 1)
        1000.0
    """
    name = "cross_entropy"
    reduction = _reduction_mode(name, reduction, size_average, reduce)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{name}: label_smoothing must be in [0, 1]; got {label_smoothing}")
    input = _floating_tensor(input)
    axis = 0 if input.ndim == 1 else 1
    target_shape = np.shape(target._data if isinstance(target, Tensor) else target)
    if input.ndim and target_shape == input.shape:
        return _cross_entropy_probabilities(input, target, weight, ignore_index, reduction,
                                            label_smoothing, axis)
    target, some_outside = _index_target(name, input.shape, target, ignore_index, True)
    weight = _class_weight(name, weight, input.shape[axis], input.dtype)
    safe, coefficients = _class_coefficients(target, weight, ignore_index, input.shape[axis],
                                             input.dtype, some_outside)
    if label_smoothing == 0.0:
        return _cross_entropy_indices(input, target=safe, coefficients=coefficients, axis=axis,
                                      reduction=reduction, cache={})
    log_probs = log_softmax(input, axis=axis)
    nll = _nll_indices(log_probs, target=safe, coefficients=coefficients, axis=axis,
                       reduction=reduction)
    per_class = log_probs if weight is None else log_probs * _along(weight, axis, input.ndim)
    smooth = _sum(per_class, axis=axis) * -(target != ignore_index).astype(input.dtype)
    if reduction != "none":
        smooth = _sum(smooth)
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):   # all ignored: NaN, as PyTorch
            smooth = smooth / (target.size if coefficients is None else coefficients.sum())
    classes = input.shape[axis]
    return nll * (1.0 - label_smoothing) + smooth * (label_smoothing / classes)


def _along(weight, axis, ndim):
    """Class weights shaped to broadcast along the class axis of an ``ndim`` input."""
    return weight.reshape(weight.shape + (1,) * (ndim - axis - 1))


def _cross_entropy_probabilities(input, target, weight, ignore_index, reduction,
                                 label_smoothing, axis):
    name = "cross_entropy"
    target = target if isinstance(target, Tensor) else as_tensor(target)
    if target.dtype.kind != "f":
        raise DTypeError(
            f"{name}: the target has the input's shape {input.shape}, so it holds class "
            f"probabilities and must be floating point; got {target.dtype}. For one-hot labels "
            f"use target.astype('float32'); for class indices pass shape "
            f"{input.shape[:1] + input.shape[2:] if input.ndim > 1 else ()}")
    if ignore_index >= 0:
        raise ValueError(f"{name}: ignore_index={ignore_index} applies to class-index targets "
                         "only, not to class probabilities")
    classes = input.shape[axis]
    weight = _class_weight(name, weight, classes, input.dtype)
    target = _floating_tensor(target, input.dtype)
    if label_smoothing > 0.0:
        target = target * (1.0 - label_smoothing) + label_smoothing / classes
    products = log_softmax(input, axis=axis) * target
    if weight is not None:
        products = products * _along(weight, axis, input.ndim)
    if reduction == "none":
        return -_sum(products, axis=axis)
    total = -_sum(products)
    if reduction == "sum":
        return total
    count = input.size // classes if classes else 0
    return total / count if count else total * float("nan")


# ----------------------------------------------------------------- binary targets
