"""Margin and embedding losses, as PyTorch's functional forms: ``margin_ranking_loss``,
``hinge_embedding_loss``, ``soft_margin_loss``, ``multilabel_soft_margin_loss``,
``multilabel_margin_loss``, ``multi_margin_loss``, ``cosine_embedding_loss``,
``triplet_margin_loss`` and ``triplet_margin_with_distance_loss``.

Each is written with ndgrad's ops (clamps, ``where``, gathers, log-sigmoid),
following PyTorch's formula term by term, including where it is unusual:
``hinge_embedding_loss`` adds both branches for a target that is neither 1 nor
-1, ``cosine_embedding_loss`` adds 1e-12 to each squared norm, and the
multi-class margin losses divide each sample's sum by the number of classes.
All take ``reduction="mean" | "sum" | "none"`` and PyTorch's deprecated
``size_average``/``reduce`` pair.

Example:
    >>> from ndgrad.nn.functional import margin_ranking_loss
    >>> import ndgrad
    >>> x1, x2 = ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([2.0, 0.0])
    >>> margin_ranking_loss(x1, x2, ndgrad.tensor([1.0, 1.0]), margin=0.5).item()
    0.75
"""

import numpy as np

from ..autograd.primitive import data_of
from ..errors import shape_error
from ..ops.activations import log_sigmoid, relu, softplus
from ..ops.arithmetic import minimum
from ..ops.elementwise import sqrt
from ..ops.index import take_along_axis
from ..ops.reduce import sum as _sum
from ..ops.selection import where
from ._loss_reduction import _floating_tensor, _reduce, _reduction_mode
from .distances import pairwise_distance

__all__ = []
FUNCTIONAL = ["margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss",
              "multilabel_soft_margin_loss", "multilabel_margin_loss", "multi_margin_loss",
              "cosine_embedding_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss"]


def _same_shape(name, *tensors):
    shapes = [tuple(t.shape) for t in tensors]
    if len(set(shapes)) != 1:
        raise shape_error(name, list(tensors), "all inputs must have the same shape (no "
                          f"broadcasting, as PyTorch), got {', '.join(map(str, shapes))}")


def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None,
                        reduction="mean"):
    """``max(0, -target * (input1 - input2) + margin)``: ``target`` 1 says input1
    should rank higher, -1 lower (``torch.nn.functional.margin_ranking_loss``).

    Example:
        >>> from ndgrad.nn.functional import margin_ranking_loss
        >>> import ndgrad
        >>> margin_ranking_loss(ndgrad.tensor([0.0]), ndgrad.tensor([1.0]),
        ...                     ndgrad.tensor([-1.0]), reduction="none").tolist()
        [0.0]
    """
    reduction = _reduction_mode("margin_ranking_loss", reduction, size_average, reduce)
    input1 = _floating_tensor(input1)
    input2, target = _floating_tensor(input2, input1.dtype), _floating_tensor(target, input1.dtype)
    _same_shape("margin_ranking_loss", input1, input2, target)
    return _reduce(relu(-target * (input1 - input2) + margin), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """``input`` where ``target`` is 1 and ``max(0, margin - input)`` where it is -1
    (``torch.nn.functional.hinge_embedding_loss``; other targets get both terms).

    Example:
        >>> from ndgrad.nn.functional import hinge_embedding_loss
        >>> import ndgrad
        >>> hinge_embedding_loss(ndgrad.tensor([0.25, 0.25]), ndgrad.tensor([1.0, -1.0]),
        ...                      reduction="none").tolist()
        [0.25, 0.75]
    """
    reduction = _reduction_mode("hinge_embedding_loss", reduction, size_average, reduce)
    input = _floating_tensor(input)
    target = np.asarray(data_of(target))
    loss = where(target != 1, relu(margin - input), 0.0) + where(target != -1, input, 0.0)
    return _reduce(loss, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """``log(1 + exp(-target * input))`` for targets of 1 or -1
    (``torch.nn.functional.soft_margin_loss``).

    Example:
        >>> from ndgrad.nn.functional import soft_margin_loss
        >>> import ndgrad
        >>> round(soft_margin_loss(ndgrad.tensor([0.0]), ndgrad.tensor([1.0])).item(), 4)
        0.6931
    """
    reduction = _reduction_mode("soft_margin_loss", reduction, size_average, reduce)
    input = _floating_tensor(input)
    target = _floating_tensor(target, input.dtype)
    _same_shape("soft_margin_loss", input, target)
    return _reduce(softplus(-target * input), reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """Binary cross entropy of logits against 0/1 labels, averaged over the C
    classes of each sample (``torch.nn.functional.multilabel_soft_margin_loss``).

    Example:
        >>> from ndgrad.nn.functional import multilabel_soft_margin_loss
        >>> import ndgrad
        >>> round(multilabel_soft_margin_loss(ndgrad.zeros((1, 2)), ndgrad.tensor([[1.0, 0.0]])
        ...                                   ).item(), 4)
        0.6931
    """
    reduction = _reduction_mode("multilabel_soft_margin_loss", reduction, size_average, reduce)
    input = _floating_tensor(input)
    target = _floating_tensor(target, input.dtype)
    loss = -(target * log_sigmoid(input) + (1 - target) * log_sigmoid(-input))
    if weight is not None:
        loss = loss * _floating_tensor(weight, input.dtype)
    classes = input.shape[-1] if input.ndim else 1
    return _reduce(_sum(loss, axis=-1) / classes, reduction)


def _class_targets(name, input, target):
    """The integer targets of a (N, C) or (C,) input, checked to lie in [0, C)."""
    target = np.asarray(data_of(target))
    if input.ndim not in (1, 2) or target.shape != tuple(input.shape[:-1]):
        raise shape_error(name, [input, target], "expected a (N, C) input with (N,) targets "
                          "or a (C,) input with a scalar target")
    if target.dtype.kind not in "iu":
        raise TypeError(f"{name}: the targets must be class indices (integers), got "
                        f"{target.dtype}")
    classes = input.shape[-1]
    if target.size and (target.min() < 0 or target.max() >= classes):
        raise IndexError(f"{name}: target {target[(target < 0) | (target >= classes)].flat[0]} "
                         f"is out of range for {classes} classes")
    return target.astype(np.int64)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """The multi-class hinge loss ``sum over i != y of max(0, margin - x[y] + x[i]) ** p
    * weight[y] / C`` (``torch.nn.functional.multi_margin_loss``, p 1 or 2).

    Example:
        >>> from ndgrad.nn.functional import multi_margin_loss
        >>> import ndgrad
        >>> multi_margin_loss(ndgrad.tensor([[0.1, 0.2, 0.4, 0.8]]), ndgrad.tensor([3])).item()
        0.32499998807907104
    """
    reduction = _reduction_mode("multi_margin_loss", reduction, size_average, reduce)
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: only p = 1 and p = 2 are supported, got {p}")
    input = _floating_tensor(input)
    target = _class_targets("multi_margin_loss", input, target)
    picked = take_along_axis(input, target[..., None], axis=-1)
    violation = relu(margin - picked + input)
    if p == 2:
        violation = violation * violation
    if weight is not None:
        violation = violation * _floating_tensor(weight, input.dtype)[target][..., None]
    others = np.arange(input.shape[-1]) != target[..., None]
    loss = _sum(where(others, violation, 0.0), axis=-1) / input.shape[-1]
    return _reduce(loss, reduction)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """The multi-label hinge loss (``torch.nn.functional.multilabel_margin_loss``):
    each sample's target row lists its classes, ended by the first -1; the loss
    sums ``max(0, 1 - (x[j] - x[i]))`` over listed j and unlisted i, over C.

    Example:
        >>> from ndgrad.nn.functional import multilabel_margin_loss
        >>> import ndgrad
        >>> x, y = ndgrad.tensor([[0.1, 0.2, 0.4, 0.8]]), ndgrad.tensor([[3, 0, -1, 1]])
        >>> round(multilabel_margin_loss(x, y).item(), 4)
        0.85
    """
    name = "multilabel_margin_loss"
    reduction = _reduction_mode(name, reduction, size_average, reduce)
    input = _floating_tensor(input)
    target = np.asarray(data_of(target))
    if input.ndim not in (1, 2) or target.shape != tuple(input.shape):
        raise shape_error(name, [input, target], "expected a (N, C) or (C,) input and an "
                          "integer target of the same shape")
    classes = input.shape[-1]
    if target.size and (target.min() < -1 or target.max() >= classes):
        raise IndexError(f"{name}: targets must be class indices in [0, {classes}) or -1 "
                         "(the end of a sample's list)")
    listed = np.cumprod(target != -1, axis=-1).astype(bool)       # before the first -1
    positions = np.where(listed, target, 0).astype(np.int64)
    is_target = np.zeros(target.shape, bool)
    entries = np.nonzero(listed)
    is_target[entries[:-1] + (positions[entries],)] = True
    picked = take_along_axis(input, positions, axis=-1)               # x[y_j]
    margins = relu(1.0 - picked[..., :, None] + input[..., None, :])  # (..., j, i)
    counted = listed[..., :, None] & ~is_target[..., None, :]
    loss = _sum(where(counted, margins, 0.0), axis=(-2, -1)) / classes
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None,
                          reduction="mean"):
    """``1 - cos(x1, x2)`` where ``target`` is 1, ``max(0, cos(x1, x2) - margin)``
    where it is -1 (``torch.nn.functional.cosine_embedding_loss``; (N, D) inputs
    with (N,) targets, or (D,) inputs with a scalar target).

    Example:
        >>> from ndgrad.nn.functional import cosine_embedding_loss
        >>> import ndgrad
        >>> a, b = ndgrad.tensor([[1.0, 0.0]]), ndgrad.tensor([[0.0, 1.0]])
        >>> cosine_embedding_loss(a, b, ndgrad.tensor([1.0])).item()
        1.0
    """
    name = "cosine_embedding_loss"
    reduction = _reduction_mode(name, reduction, size_average, reduce)
    input1 = _floating_tensor(input1)
    input2 = _floating_tensor(input2, input1.dtype)
    target = np.asarray(data_of(target))
    if target.ndim not in (0, 1) or input1.ndim != target.ndim + 1:
        raise shape_error(name, [input1, input2, target], "expected (N, D) inputs with (N,) "
                          "targets, or (D,) inputs with a scalar target")
    axis = target.ndim
    dot = _sum(input1 * input2, axis=axis)
    squares = (_sum(input1 * input1, axis=axis) + 1e-12) * (_sum(input2 * input2, axis=axis)
                                                            + 1e-12)
    cosine = dot / sqrt(squares)
    loss = where(target == 1, 1.0 - cosine, 0.0) + where(target == -1, relu(cosine - margin),
                                                          0.0)
    return _reduce(loss, reduction)


def _triplet(name, anchor, positive, negative, distance, margin, swap, reduction):
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise shape_error(name, [anchor, positive, negative], "the anchor, positive and "
                          "negative inputs must have the same number of dimensions")
    positive_distance = distance(anchor, positive)
    negative_distance = distance(anchor, negative)
    if swap:
        negative_distance = minimum(negative_distance, distance(positive, negative))
    return _reduce(relu(margin + positive_distance - negative_distance), reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """``max(0, d(a, p) - d(a, n) + margin)`` with the ``p``-norm pairwise distance
    (``torch.nn.functional.triplet_margin_loss``; ``swap`` uses ``min(d(a, n),
    d(p, n))``).

    Example:
        >>> from ndgrad.nn.functional import triplet_margin_loss
        >>> import ndgrad
        >>> a, pos, neg = ndgrad.zeros((1, 2)), ndgrad.ones((1, 2)), ndgrad.ones((1, 2)) * 3
        >>> round(triplet_margin_loss(a, pos, neg).item(), 4)
        0.0
    """
    reduction = _reduction_mode("triplet_margin_loss", reduction, size_average, reduce)
    anchor = _floating_tensor(anchor)
    positive, negative = _floating_tensor(positive, anchor.dtype), _floating_tensor(
        negative, anchor.dtype)
    return _triplet("triplet_margin_loss", anchor, positive, negative,
                    lambda x, y: pairwise_distance(x, y, p, eps), margin, swap, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    """The triplet loss with any ``distance_function(x, y)`` (default: the
    Euclidean pairwise distance), as
    ``torch.nn.functional.triplet_margin_with_distance_loss``.

    Example:
        >>> from ndgrad.nn.functional import triplet_margin_with_distance_loss
        >>> import ndgrad
        >>> a, pos, neg = ndgrad.zeros((1, 2)), ndgrad.zeros((1, 2)), ndgrad.zeros((1, 2))
        >>> triplet_margin_with_distance_loss(a, pos, neg, margin=0.5).item()
        0.5
    """
    reduction = _reduction_mode("triplet_margin_with_distance_loss", reduction)
    if margin <= 0:
        raise ValueError(f"triplet_margin_with_distance_loss: margin must be greater than 0, "
                         f"got {margin}")
    anchor = _floating_tensor(anchor)
    positive, negative = _floating_tensor(positive, anchor.dtype), _floating_tensor(
        negative, anchor.dtype)
    return _triplet("triplet_margin_with_distance_loss", anchor, positive, negative,
                    distance_function or pairwise_distance, margin, swap, reduction)
