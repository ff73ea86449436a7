"""More loss modules, as ``torch.nn``: the margin and embedding losses, the Poisson
and Gaussian negative log-likelihoods and CTC, each the functional form with its
options fixed at construction.

As in PyTorch, a class weight is a buffer (``weight`` in the state dict), the
deprecated ``size_average``/``reduce`` pair sets ``reduction``, and the reprs
show no options (``TripletMarginLoss()``).

Example:
    >>> import ndgrad
    >>> loss_fn = ndgrad.nn.MarginRankingLoss(margin=0.5)
    >>> loss_fn(ndgrad.tensor([1.0]), ndgrad.tensor([2.0]), ndgrad.tensor([1.0])).item()
    1.5
"""

from ..tensor import Tensor
from . import ctc_loss as _ctc
from . import likelihood_losses as _likelihood
from . import margin_losses as _margin
from ._loss_reduction import _floating_tensor, _reduction_mode
from .distances import PairwiseDistance
from .module import Module

__all__ = ["MarginRankingLoss", "HingeEmbeddingLoss", "SoftMarginLoss",
           "MultiLabelSoftMarginLoss", "MultiLabelMarginLoss", "MultiMarginLoss",
           "CosineEmbeddingLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss",
           "PoissonNLLLoss", "GaussianNLLLoss", "CTCLoss"]


class _Loss(Module):
    """A loss module: its reduction (PyTorch's deprecated pair mapped onto it)."""

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        self.reduction = _reduction_mode(type(self).__name__, reduction, size_average, reduce)


class _WeightedLoss(_Loss):
    """A loss with an optional per-class ``weight``, kept as a buffer."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", None if weight is None else _floating_tensor(
            weight if isinstance(weight, Tensor) else Tensor(weight)))


class MarginRankingLoss(_Loss):
    """``max(0, -y * (x1 - x2) + margin)`` (``F.margin_ranking_loss``); called as
    ``loss(input1, input2, target)``.

    Args:
        margin (float, default 0.0): how far ``input1`` must be ranked beyond ``input2``
            (in the target's direction, 1 or -1) before the loss is zero.
        size_average, reduce: PyTorch's deprecated pair; when given they set ``reduction``.
        reduction (str, default "mean"): "mean", "sum" or "none".

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.MarginRankingLoss()
        MarginRankingLoss()
    """

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return _margin.margin_ranking_loss(input1, input2, target, self.margin,
                                           reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """The hinge embedding loss (``F.hinge_embedding_loss``) for targets 1 / -1.

    Args:
        margin (float, default 1.0): the loss of a dissimilar pair (target -1) is
            ``max(0, margin - x)``; a similar pair (target 1) costs ``x``.
        size_average, reduce: PyTorch's deprecated pair; when given they set ``reduction``.
        reduction (str, default "mean"): "mean", "sum" or "none".

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.HingeEmbeddingLoss()(ndgrad.tensor([0.5]), ndgrad.tensor([-1.0])).item()
        0.5
    """

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input, target):
        return _margin.hinge_embedding_loss(input, target, self.margin, reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """The logistic loss ``log(1 + exp(-y x))`` (``F.soft_margin_loss``).

    Args:
        size_average, reduce: PyTorch's deprecated pair; when given they set ``reduction``.
        reduction (str, default "mean"): "mean", "sum" or "none".

    Example:
        >>> import ndgrad
        >>> round(ndgrad.nn.SoftMarginLoss()(ndgrad.zeros(2), ndgrad.ones(2)).item(), 4)
        0.6931
    """

    def forward(self, input, target):
        return _margin.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """Per-class logistic losses averaged over the classes (``F.multilabel_soft_margin_loss``).

    Args:
        weight (tensor or None, default None): a weight per class (C,), kept as a buffer.
        size_average, reduce: PyTorch's deprecated pair; when given they set ``reduction``.
        reduction (str, default "mean"): "mean", "sum" or "none" (one loss per sample).

    Example:
        >>> import ndgrad
        >>> loss_fn = ndgrad.nn.MultiLabelSoftMarginLoss(weight=ndgrad.ones(3))
        >>> list(loss_fn.state_dict())
        ['weight']
    """

    def forward(self, input, target):
        return _margin.multilabel_soft_margin_loss(input, target, self.weight,
                                                   reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """The multi-label hinge loss (``F.multilabel_margin_loss``): targets list each
    sample's classes, ended by -1.

    Args:
        size_average, reduce: PyTorch's deprecated pair; when given they set ``reduction``.
        reduction (str, default "mean"): "mean", "sum" or "none" (one loss per sample).

    Example:
        >>> import ndgrad
        >>> x, y = ndgrad.tensor([[0.1, 0.2, 0.4, 0.8]]), ndgrad.tensor([[3, 0, -1, 1]])
        >>> round(ndgrad.nn.MultiLabelMarginLoss()(x, y).item(), 4)
        0.85
    """

    def forward(self, input, target):
        return _margin.multilabel_margin_loss(input, target, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """The multi-class hinge loss (``F.multi_margin_loss``), p 1 or 2.

    Args:
        p (int, default 1): 1 or 2, the power of each hinge term.
        margin (float, default 1.0): how far the true class's score must exceed each
            other class's.
        weight (tensor or None, default None): a weight per class (C,), kept as a buffer.
        size_average, reduce: PyTorch's deprecated pair; when given they set ``reduction``.
        reduction (str, default "mean"): "mean", "sum" or "none" (one loss per sample).

    Example:
        >>> import ndgrad
        >>> loss_fn = ndgrad.nn.MultiMarginLoss(p=2, margin=0.5)
        >>> loss_fn(ndgrad.tensor([[0.0, 1.0]]), ndgrad.tensor([1])).item()
        0.0
    """

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                 reduction="mean"):
        if p not in (1, 2):
            raise ValueError(f"MultiMarginLoss: only p = 1 and p = 2 are supported, got {p}")
        super().__init__(weight, size_average, reduce, reduction)
        self.p, self.margin = p, margin

    def forward(self, input, target):
        return _margin.multi_margin_loss(input, target, self.p, self.margin, self.weight,
                                         reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """``1 - cos`` for similar pairs (y = 1), ``max(0, cos - margin)`` for
    dissimilar ones (y = -1) (``F.cosine_embedding_loss``).

    Args:
        margin (float, default 0.0): dissimilar pairs cost ``max(0, cos - margin)``
            (between -1 and 1; 0 to 0.5 is usual).
        size_average, reduce: PyTorch's deprecated pair; when given they set ``reduction``.
        reduction (str, default "mean"): "mean", "sum" or "none" (one loss per pair).

    Example:
        >>> import ndgrad
        >>> loss_fn = ndgrad.nn.CosineEmbeddingLoss()
        >>> loss_fn(ndgrad.ones((1, 2)), ndgrad.ones((1, 2)), ndgrad.tensor([1.0])).item()
        0.0
    """

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return _margin.cosine_embedding_loss(input1, input2, target, self.margin,
                                             reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """``max(0, d(a, p) - d(a, n) + margin)`` with the p-norm distance
    (``F.triplet_margin_loss``); called as ``loss(anchor, positive, negative)``.

    Args:
        margin (float, default 1.0): the gap wanted between ``d(a, n)`` and ``d(a, p)``;
            must be positive.
        p (float, default 2.0): the norm of the distance.
        eps (float, default 1e-6): added to the differences before the norm.
        swap (bool, default False): use ``d(p, n)`` instead of ``d(a, n)`` where it is
            smaller (the distance swap).
        size_average, reduce: PyTorch's deprecated pair; when given they set ``reduction``.
        reduction (str, default "mean"): "mean", "sum" or "none" (one loss per triplet).

    Example:
        >>> import ndgrad
        >>> loss_fn = ndgrad.nn.TripletMarginLoss(margin=1.0)
        >>> loss_fn(ndgrad.zeros((1, 2)), ndgrad.zeros((1, 2)), ndgrad.zeros((1, 2))).item()
        1.0
    """

    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None, reduce=None,
                 reduction="mean"):
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: margin must be greater than 0, got {margin}")
        super().__init__(size_average, reduce, reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, bool(swap)

    def forward(self, anchor, positive, negative):
        return _margin.triplet_margin_loss(anchor, positive, negative, self.margin, self.p,
                                           self.eps, self.swap, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    """The triplet loss with any distance function (default ``nn.PairwiseDistance()``),
    as ``torch.nn.TripletMarginWithDistanceLoss``.

    Args:
        distance_function (callable or None, default None): ``d(x, y)`` giving one
            distance per row; None means ``nn.PairwiseDistance()``. Keyword only.
        margin (float, default 1.0): the gap wanted between ``d(a, n)`` and ``d(a, p)``;
            must be positive.
        swap (bool, default False): use ``d(p, n)`` instead of ``d(a, n)`` where it is
            smaller.
        reduction (str, default "mean"): "mean", "sum" or "none" (one loss per triplet).

    Example:
        >>> import ndgrad
        >>> loss_fn = ndgrad.nn.TripletMarginWithDistanceLoss()
        >>> [name for name, _ in loss_fn.named_children()]
        ['distance_function']
    """

    def __init__(self, *, distance_function=None, margin=1.0, swap=False, reduction="mean"):
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: margin must be greater than 0, "
                             f"got {margin}")
        super().__init__(reduction=reduction)
        self.distance_function = (distance_function if distance_function is not None
                                  else PairwiseDistance())
        self.margin, self.swap = margin, bool(swap)

    def forward(self, anchor, positive, negative):
        return _margin.triplet_margin_with_distance_loss(
            anchor, positive, negative, distance_function=self.distance_function,
            margin=self.margin, swap=self.swap, reduction=self.reduction)


class PoissonNLLLoss(_Loss):
    """The Poisson negative log-likelihood (``F.poisson_nll_loss``).

    Args:
        log_input (bool, default True): the input is the log of the rate (loss
            ``exp(x) - y * x``); False: the rate itself (loss ``x - y * log(x + eps)``).
        full (bool, default False): add Stirling's approximation of ``log(y!)``.
        size_average, reduce: PyTorch's deprecated pair; when given they set ``reduction``.
        eps (float, default 1e-8): keeps ``log`` finite when ``log_input`` is False.
        reduction (str, default "mean"): "mean", "sum" or "none".

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.PoissonNLLLoss()(ndgrad.zeros(2), ndgrad.ones(2)).item()
        1.0
    """

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = bool(log_input), bool(full), eps

    def forward(self, log_input, target):
        return _likelihood.poisson_nll_loss(log_input, target, self.log_input, self.full,
                                            eps=self.eps, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """The Gaussian negative log-likelihood (``F.gaussian_nll_loss``); called as
    ``loss(input, target, var)``.

    Args:
        full: include the constant term.
        eps: the variance is clamped to at least this (in value; the gradient
            is the unclamped one, as PyTorch).
        reduction: "mean", "sum" or "none".

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.GaussianNLLLoss()(ndgrad.zeros(2), ndgrad.zeros(2), ndgrad.ones(2)).item()
        0.0
    """

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        super().__init__(reduction=reduction)
        self.full, self.eps = bool(full), eps

    def forward(self, input, target, var):
        return _likelihood.gaussian_nll_loss(input, target, var, self.full, self.eps,
                                             self.reduction)


class CTCLoss(_Loss):
    """The connectionist temporal classification loss (``F.ctc_loss``); called as
    ``loss(log_probs, targets, input_lengths, target_lengths)``.

    Args:
        blank: the blank class.
        reduction: "mean" (each loss divided by its target length, then the batch
            mean), "sum" or "none".
        zero_infinity: a sample with no possible alignment (infinite loss) gets
            0 loss and 0 gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.CTCLoss(blank=0, zero_infinity=True)
        CTCLoss()
    """

    def __init__(self, blank=0, reduction="mean", zero_infinity=False):
        super().__init__(reduction=reduction)
        self.blank, self.zero_infinity = int(blank), bool(zero_infinity)

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return _ctc.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank,
                             self.reduction, self.zero_infinity)
