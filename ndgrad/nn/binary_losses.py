"""Binary classification losses in PyTorch's vocabulary: ``binary_cross_entropy``
on probabilities and ``binary_cross_entropy_with_logits`` on logits, computed
through ``log_sigmoid`` so it is finite for any finite logits.

Example:
    >>> import ndgrad
    >>> from ndgrad.nn.binary_losses import binary_cross_entropy
    >>> round(binary_cross_entropy(ndgrad.tensor([0.5]), ndgrad.tensor([1.0])).item(), 4)
    0.6931
"""

import numpy as np

from ..autograd.primitive import primitive
from ..ops.activations import log_sigmoid
from ..ops.arithmetic import maximum
from ..ops.elementwise import log, log1p
from ._loss_reduction import _floating_tensor, _reduce, _reduction_mode

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits"]


def _same_shape(name, input, target):
    if input.shape != target.shape:
        raise ValueError(f"{name}: target shape {target.shape} must equal input shape "
                         f"{input.shape} (no broadcasting); reshape one of them")


@primitive(name="binary_cross_entropy", reads=(0, 1))
def _binary_cross_entropy(probabilities, target):
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(probabilities), -100)      # PyTorch clamps the logs
        log_q = np.maximum(np.log1p(-probabilities), -100)
    return -(target * log_p + (1 - target) * log_q)


@_binary_cross_entropy.defvjp
def _binary_cross_entropy_vjp(g, out, probabilities, target, needs):
    gp = gt = None
    if needs[0]:      # PyTorch's rule, with its 1e-12 floor on p (1 - p)
        gp = g * (probabilities - target) / maximum(probabilities * (1 - probabilities), 1e-12)
    if needs[1]:      # the exact derivative of the clamped forward: finite at 0 and 1
        with np.errstate(divide="ignore"):
            gt = g * (maximum(log1p(-probabilities), -100) - maximum(log(probabilities), -100))
    return gp, gt


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """Binary cross-entropy between probabilities and targets in [0, 1], as PyTorch's
    (each log clamped to >= -100, so the loss is finite at 0 and 1).

    Args:
        input: probabilities in [0, 1] (apply ``sigmoid`` first, or use
            :func:`binary_cross_entropy_with_logits`, which is more stable).
        target: the same shape as ``input``, values in [0, 1].

    Raises:
        ValueError: an input or target value outside [0, 1], or NaN (PyTorch's
            RuntimeError "all elements of input should be between 0 and 1").
        weight: optional weight broadcast to the target's shape.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Example:
        >>> from ndgrad.nn.functional import binary_cross_entropy
        >>> import ndgrad
        >>> p = ndgrad.tensor([0.5, 1.0])
        >>> binary_cross_entropy(p, ndgrad.tensor([1.0, 0.0]), reduction="none").tolist()
        [0.6931471824645996, 100.0]
    """
    name = "binary_cross_entropy"
    reduction = _reduction_mode(name, reduction, size_average, reduce)
    input = _floating_tensor(input)
    target = _floating_tensor(target, input.dtype)
    _same_shape(name, input, target)
    _check_probabilities(name, "input", input, "Apply sigmoid first, or use "
                         "binary_cross_entropy_with_logits on the logits")
    _check_probabilities(name, "target", target, "Targets are probabilities of the "
                         "positive class: 0 or 1 for hard labels (map -1/1 labels with "
                         "(t + 1) / 2)")
    loss = _binary_cross_entropy(input, target)
    if weight is not None:
        loss = loss * _broadcast_weight(name, weight, target.shape, input.dtype)
    return _reduce(loss, reduction)


def _check_probabilities(name, argument, tensor, advice):
    """Refuse values outside [0, 1], NaN included, as PyTorch does ("all elements
    of input should be between 0 and 1")."""
    data = tensor._data
    if not data.size:
        return
    low, high = data.min(), data.max()       # NaN propagates: NaN fails the test below
    if low >= 0 and high <= 1:
        return
    bad = data[~((data >= 0) & (data <= 1))]
    found = "NaN" if np.isnan(bad).any() else f"values in [{low}, {high}]"
    raise ValueError(f"{name}: all elements of {argument} should be between 0 and 1 "
                     f"(probabilities in [0, 1]); found "
                     f"{found} ({bad.size} of {data.size} elements). {advice}")


def _broadcast_weight(name, weight, shape, dtype):
    weight = _floating_tensor(weight, dtype)
    try:
        combined = np.broadcast_shapes(weight.shape, shape)
    except ValueError:
        combined = None
    if combined != shape:
        raise ValueError(f"{name}: weight of shape {weight.shape} must broadcast to the "
                         f"target's shape {shape}")
    return weight


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """Binary cross-entropy on logits, ``-[p t log s(x) + (1 - t) log(1 - s(x))]``,
    computed stably through ``log_sigmoid``, as PyTorch's.

    Args:
        input: logits (any real numbers).
        target: the same shape as ``input``, values in [0, 1].
        weight: optional weight broadcast to the target's shape.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.
        pos_weight: optional weight ``p`` of the positive term, broadcast along
            the last (class) dimension.

    Example:
        >>> from ndgrad.nn.functional import binary_cross_entropy_with_logits
        >>> import ndgrad
        >>> x = ndgrad.tensor([1000.0, -1000.0, 0.0])
        >>> binary_cross_entropy_with_logits(x, ndgrad.tensor([0.0, 0.0, 1.0]),
        ...                                  reduction="none").tolist()
        [1000.0, 0.0, 0.6931471824645996]
    """
    name = "binary_cross_entropy_with_logits"
    reduction = _reduction_mode(name, reduction, size_average, reduce)
    input = _floating_tensor(input)
    target = _floating_tensor(target, input.dtype)
    _same_shape(name, input, target)
    log_sigmoid_input = log_sigmoid(input)
    if pos_weight is None:
        loss = (1 - target) * input - log_sigmoid_input
    else:
        pos_weight = _floating_tensor(pos_weight, input.dtype)
        loss = (1 - target) * input - log_sigmoid_input * ((pos_weight - 1) * target + 1)
    if weight is not None:
        loss = loss * _broadcast_weight(name, weight, target.shape, input.dtype)
    return _reduce(loss, reduction)
