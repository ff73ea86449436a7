"""Loss modules (``MSELoss``, ``CrossEntropyLoss``, ...): the functional losses
with their options fixed at construction, as in ``torch.nn``.

Example:
    >>> import ndgrad
    >>> loss_fn = ndgrad.nn.MSELoss()
    >>> loss_fn(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([1.0, 4.0])).item()
    2.0
"""

from . import classification_losses as _classification
from . import losses as _losses
from .module import Module

__all__ = ["MSELoss", "L1Loss", "HuberLoss", "SmoothL1Loss", "CrossEntropyLoss", "NLLLoss",
           "BCELoss", "BCEWithLogitsLoss", "KLDivLoss"]


class _Loss(Module):
    """A loss function as a module: ``loss_fn(input, target)``."""

    function = None
    options = ()

    def __init__(self, reduction="mean", **options):
        super().__init__()
        if reduction not in ("mean", "sum", "none") and not (
                reduction == "batchmean" and type(self) is KLDivLoss):
            raise ValueError(f"{type(self).__name__}: reduction must be 'mean', 'sum' or "
                             f"'none', got {reduction!r}")
        self.reduction = reduction
        self._options = options

    def forward(self, input, target):
        return type(self).function(input, target, reduction=self.reduction, **self._options)

    def extra_repr(self):
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Mean squared error (``nn.functional.mse_loss``).

    Args:
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.
        options: further keywords of ``nn.functional.mse_loss`` (``weight``:
            weights of the input's shape).

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.MSELoss(reduction="sum")(ndgrad.ones(3), ndgrad.zeros(3)).item()
        3.0
    """

    function = staticmethod(_losses.mse_loss)


class L1Loss(_Loss):
    """Mean absolute error (``nn.functional.l1_loss``).

    Args:
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.
        options: further keywords of ``nn.functional.l1_loss`` (``weight``:
            weights of the input's shape).

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.L1Loss()(ndgrad.tensor([1.0, -1.0]), ndgrad.zeros(2)).item()
        1.0
    """

    function = staticmethod(_losses.l1_loss)


class HuberLoss(_Loss):
    """Huber loss with threshold ``delta`` (``nn.functional.huber_loss``).

    Args:
        input, target, reduction: as in :func:`mse_loss`.
        delta: where the loss turns from quadratic to linear (> 0).

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.HuberLoss(delta=1.0)(ndgrad.tensor([3.0]), ndgrad.zeros(1)).item()
        2.5
    """

    function = staticmethod(_losses.huber_loss)

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction, delta=delta)


class SmoothL1Loss(_Loss):
    """Smooth L1 loss with threshold ``beta`` (``nn.functional.smooth_l1_loss``).

    Args:
        input, target, reduction: as in :func:`mse_loss`.
        beta: where the loss turns from quadratic to linear (>= 0).

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.SmoothL1Loss()(ndgrad.tensor([0.5]), ndgrad.zeros(1)).item()
        0.125
    """

    function = staticmethod(_losses.smooth_l1_loss)

    def __init__(self, reduction="mean", beta=1.0):
        super().__init__(reduction, beta=beta)


class CrossEntropyLoss(_Loss):
    """Cross entropy of logits against class indices or probabilities
    (``nn.functional.cross_entropy``), fused with the log-softmax so that large
    logits stay finite.

    Args:
        weight: optional constant weight per class, shape ``(C,)``.
        ignore_index: targets equal to it add nothing and leave the mean's
            denominator (class-index targets only).
        reduction: ``"mean"`` (divided by the summed weights of the counted
            targets), ``"sum"`` or ``"none"``.
        label_smoothing: in [0, 1]; mixes the target with the uniform distribution.

    Called as ``loss(input, target)``: ``input`` holds logits, shape ``(N, C)``,
    ``(N, C, d1, ...)`` or ``(C,)``; ``target`` class indices or probabilities.

    Example:
        >>> import ndgrad
        >>> logits = ndgrad.tensor([[0.0, 0.0]])
        >>> round(ndgrad.nn.CrossEntropyLoss()(logits, ndgrad.tensor([1])).item(), 4)
        0.6931
    """

    function = staticmethod(_classification.cross_entropy)

    def __init__(self, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        super().__init__(reduction, weight=weight, ignore_index=ignore_index,
                         label_smoothing=label_smoothing)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (``nn.functional.nll_loss``).

    Args:
        weight: optional constant weight per class, shape ``(C,)``.
        ignore_index: targets equal to it add nothing and are left out of the mean.
        reduction: ``"mean"`` (over the summed weights of the counted targets),
            ``"sum"`` or ``"none"``. ``size_average`` / ``reduce``: PyTorch's
            deprecated spelling of it.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.NLLLoss()(ndgrad.tensor([[-1.0, -2.0]]), ndgrad.tensor([1])).item()
        2.0
    """

    function = staticmethod(_classification.nll_loss)

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__(reduction, weight=weight, ignore_index=ignore_index)


class BCELoss(_Loss):
    """Binary cross entropy of probabilities (``nn.functional.binary_cross_entropy``).

    Args:
        weight (tensor or None, default None): a weight broadcast to the target's shape,
            multiplying each element's loss.
        reduction (str, default "mean"): "mean", "sum" or "none" (one loss per element).

    Example:
        >>> import ndgrad
        >>> round(ndgrad.nn.BCELoss()(ndgrad.tensor([0.5]), ndgrad.tensor([1.0])).item(), 4)
        0.6931
    """

    function = staticmethod(_classification.binary_cross_entropy)

    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction, weight=weight)


class BCEWithLogitsLoss(_Loss):
    """Binary cross entropy of logits, stable (``binary_cross_entropy_with_logits``).

    Args:
        weight: optional weight broadcast to the target's shape.
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.
        pos_weight: optional weight ``p`` of the positive term, broadcast along
            the last (class) dimension.

    Example:
        >>> import ndgrad
        >>> round(ndgrad.nn.BCEWithLogitsLoss()(ndgrad.zeros(1), ndgrad.ones(1)).item(), 4)
        0.6931
    """

    function = staticmethod(_classification.binary_cross_entropy_with_logits)

    def __init__(self, weight=None, reduction="mean", pos_weight=None):
        super().__init__(reduction, weight=weight, pos_weight=pos_weight)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence of log-probabilities (``nn.functional.kl_div``).

    Args:
        reduction: ``"batchmean"`` (sum / batch size: the true KL divergence),
            ``"sum"``, ``"none"``, or ``"mean"`` (over every element; warns, as PyTorch).
        log_target: whether ``target`` is in log space.

    Example:
        >>> import ndgrad
        >>> kl = ndgrad.nn.KLDivLoss(reduction="batchmean")
        >>> kl(ndgrad.zeros((1, 2)), ndgrad.tensor([[1.0, 0.0]])).item()
        0.0
    """

    function = staticmethod(_losses.kl_div)

    def __init__(self, reduction="mean", log_target=False):
        super().__init__(reduction, log_target=log_target)
