"""Lower the learning rate when a metric stops improving:
``torch.optim.lr_scheduler.ReduceLROnPlateau``.

Example:
    >>> import ndgrad
    >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
    >>> scheduler = ndgrad.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5)
    >>> for loss in [1.0, 1.0, 1.0, 1.0]:
    ...     scheduler.step(loss)
    >>> opt.lr
    0.5
"""

import math
import warnings

from ._scheduler_arguments import number, whole
from .optimizer import Optimizer
from .scheduler import LRScheduler


class ReduceLROnPlateau(LRScheduler):
    """Multiply every rate by ``factor`` once the metric passed to ``step(metric)``
    has not improved for more than ``patience`` steps.

    "Improved" means below ``best * (1 - threshold)`` (``mode="min"``,
    ``threshold_mode="rel"``), below ``best - threshold`` (``"abs"``), or the
    mirror images for ``mode="max"``. After a reduction, ``cooldown`` steps
    pass before bad steps count again; no rate goes below ``min_lr``, and a
    change smaller than ``eps`` is not made.

    Args:
        optimizer: the optimizer.
        mode: ``"min"`` (a loss) or ``"max"`` (an accuracy).
        factor: the reduction factor, < 1 (default 0.1).
        patience: bad steps tolerated before reducing (default 10).
        threshold: the smallest change that counts as improvement (1e-4).
        threshold_mode: ``"rel"`` or ``"abs"``.
        cooldown: steps to wait after a reduction (default 0).
        min_lr: the lowest rate, one for all groups or one per group.
        eps: the smallest change of rate that is applied (1e-8).

    Example:
        >>> from ndgrad.optim import ReduceLROnPlateau
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> ReduceLROnPlateau(opt, mode="max").mode
        'max'
    """

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0.0, eps=1e-8):
        owner = "ReduceLROnPlateau"
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{owner}: expected an ndgrad optimizer, got "
                            f"{type(optimizer).__name__}")
        factor = number(owner, "factor", factor)
        threshold = number(owner, "threshold", threshold)
        patience = whole(owner, "patience", patience, minimum=0)
        cooldown = whole(owner, "cooldown", cooldown, minimum=0)
        eps = number(owner, "eps", eps, minimum=0)
        if factor >= 1.0:
            raise ValueError(f"{owner}: factor must be < 1, got {factor}")
        if mode not in ("min", "max"):
            raise ValueError(f"{owner}: mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"{owner}: threshold_mode must be 'rel' or 'abs', got "
                             f"{threshold_mode!r}")
        groups = len(optimizer.param_groups)
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != groups:
                raise ValueError(f"{owner}: min_lr has {len(min_lr)} values for {groups} "
                                 "parameter groups")
            self.default_min_lr = None
            self.min_lrs = [number(owner, f"min_lr[{i}]", v) for i, v in enumerate(min_lr)]
        else:
            self.default_min_lr = number(owner, "min_lr", min_lr)
            self.min_lrs = [self.default_min_lr] * groups
        self.optimizer = optimizer
        self.factor, self.patience = float(factor), patience
        self.cooldown, self.eps = cooldown, eps
        self.mode, self.threshold, self.threshold_mode = mode, float(threshold), threshold_mode
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.last_epoch = 0
        self._last_lr = self._current_lrs()
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    @property
    def in_cooldown(self):
        """True while the cooldown after a reduction lasts.

        Example:
            >>> from ndgrad.optim import ReduceLROnPlateau
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> ReduceLROnPlateau(opt).in_cooldown
            False
        """
        return self.cooldown_counter > 0

    def is_better(self, value, best):
        """Whether ``value`` improves on ``best`` by the threshold.

        Example:
            >>> from ndgrad.optim import ReduceLROnPlateau
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> ReduceLROnPlateau(opt, threshold=0.1).is_better(0.95, 1.0)
            False
        """
        if self.mode == "min":
            limit = best * (1.0 - self.threshold) if self.threshold_mode == "rel" else (
                best - self.threshold)
            return value < limit
        limit = best * (1.0 + self.threshold) if self.threshold_mode == "rel" else (
            best + self.threshold)
        return value > limit

    def step(self, metrics, epoch=None):
        """Record this epoch's metric and reduce the rates if it has plateaued.

        Args:
            metrics: the monitored value (a number or a 0-d tensor).
            epoch: deprecated (as in PyTorch, which warns): the epoch to record.

        Example:
            >>> from ndgrad.optim import ReduceLROnPlateau
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> scheduler = ReduceLROnPlateau(opt, patience=0)
            >>> scheduler.step(1.0); scheduler.step(2.0); scheduler.get_last_lr()
            [0.1]
        """
        current = float(metrics)
        if epoch is None:
            self.last_epoch += 1
        else:
            warnings.warn("ReduceLROnPlateau.step(metrics, epoch) is deprecated (as in "
                          "PyTorch); call step(metrics) once per epoch", UserWarning,
                          stacklevel=2)
            self.last_epoch = epoch
        if self.is_better(current, self.best):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0           # bad epochs in the cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._reduce()
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = self._current_lrs()

    def _reduce(self):
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(f"ReduceLROnPlateau: the optimizer now has {len(groups)} "
                                   f"parameter groups, but min_lr gave {len(self.min_lrs)}; "
                                   "set scheduler.min_lrs to one value per group")
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, low in zip(groups, self.min_lrs):
            old = float(group["lr"])
            new = max(old * self.factor, low)
            if old - new > self.eps:
                group["lr"] = new
