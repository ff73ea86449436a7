"""PyTorch-style learning-rate schedulers: objects bound to an optimizer that
write ``group["lr"]`` each time they are stepped (``torch.optim.lr_scheduler``'s
semantics and numbers).

Call ``scheduler.step()`` after ``optimizer.step()``, once per epoch or per
batch as the schedule is meant. Here: :class:`StepLR`, :class:`MultiStepLR`,
:class:`ConstantLR`, :class:`LinearLR`, :class:`ExponentialLR`,
:class:`PolynomialLR`, :class:`CosineAnnealingLR`; exported here from their own
modules: :class:`LambdaLR`, :class:`MultiplicativeLR` (user functions),
:class:`SequentialLR`, :class:`ChainedScheduler` (combinations),
:class:`CyclicLR`, :class:`CosineAnnealingWarmRestarts`, :class:`OneCycleLR`,
:class:`ReduceLROnPlateau`.
(For Keras-style schedules passed as ``learning_rate=``, see
:mod:`ndgrad.optim.schedules`.)

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0]); opt = ndgrad.optim.SGD([w], lr=1.0)
    >>> scheduler = ndgrad.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> rates = []
    >>> for _ in range(4):
    ...     w.grad = ndgrad.tensor([0.0]); opt.step(); scheduler.step()
    ...     rates.append(scheduler.get_last_lr()[0])
    >>> rates
    [1.0, 0.5, 0.5, 0.25]
"""

import bisect
import math
from collections import Counter

from ._scheduler_arguments import number, whole
from .composite_schedulers import ChainedScheduler, SequentialLR
from .cyclic import CosineAnnealingWarmRestarts, CyclicLR
from .lambda_schedulers import LambdaLR, MultiplicativeLR
from .one_cycle import OneCycleLR
from .plateau import ReduceLROnPlateau
from .scheduler import LRScheduler


class StepLR(LRScheduler):
    """Multiply every group's rate by ``gamma`` every ``step_size`` epochs.

    Args:
        optimizer: the optimizer.
        step_size: the period of the decay, in epochs.
        gamma: the factor (default 0.1).
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import StepLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> StepLR(opt, step_size=3, gamma=0.5).base_lrs
        [1.0]
    """

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1):
        self.step_size = whole("StepLR", "step_size", step_size, minimum=1)
        self.gamma = number("StepLR", "gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0 or self.last_epoch % self.step_size:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _get_closed_form_lr(self):
        return [base * self.gamma ** (self.last_epoch // self.step_size)
                for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply every group's rate by ``gamma`` at each milestone epoch.

    Args:
        optimizer: the optimizer.
        milestones: the epochs at which to decay (a repeated one decays twice).
        gamma: the factor (default 0.1).
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import MultiStepLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> sorted(MultiStepLR(opt, milestones=[5, 2]).milestones)
        [2, 5]
    """

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1):
        if not isinstance(milestones, (list, tuple, range)):
            raise TypeError(f"MultiStepLR: milestones must be a list of epochs, got "
                            f"{type(milestones).__name__} {milestones!r}")
        self.milestones = Counter(whole("MultiStepLR", f"milestones[{i}]", m)
                                  for i, m in enumerate(milestones))
        self.gamma = number("MultiStepLR", "gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        times = self.milestones.get(self.last_epoch, 0)
        if not times:
            return self._current_lrs()
        return [lr * self.gamma ** times for lr in self._current_lrs()]

    def _get_closed_form_lr(self):
        passed = bisect.bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base * self.gamma ** passed for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply every group's rate by ``gamma`` every epoch.

    Args:
        optimizer: the optimizer.
        gamma: the factor per epoch.
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import ExponentialLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> ExponentialLR(opt, gamma=0.9).gamma
        0.9
    """

    def __init__(self, optimizer, gamma, last_epoch=-1):
        self.gamma = number("ExponentialLR", "gamma", gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _get_closed_form_lr(self):
        return [base * self.gamma ** self.last_epoch for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Anneal each rate along a cosine from its initial value to ``eta_min`` over
    ``T_max`` epochs (and back up after, as torch's recursive form does):
    ``eta_min + (base - eta_min) * (1 + cos(pi * epoch / T_max)) / 2``.

    Args:
        optimizer: the optimizer.
        T_max: the half period, in epochs.
        eta_min: the lowest rate (default 0).
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import CosineAnnealingLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> s = CosineAnnealingLR(opt, T_max=2); opt.iterations += 1; s.step()
        >>> round(s.get_last_lr()[0], 6)
        0.5
    """

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1):  # noqa: N803 (torch's name)
        number("CosineAnnealingLR", "T_max", T_max, above=0)
        self.T_max = T_max
        self.eta_min = number("CosineAnnealingLR", "eta_min", eta_min)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        epoch, period, low = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current_lrs()
        if self._step_count == 1 and epoch > 0:        # resuming: the closed form
            return [low + (base - low) * (1 + math.cos(epoch * math.pi / period)) / 2
                    for base in self.base_lrs]
        if (epoch - 1 - period) % (2 * period) == 0:   # the bottom of the cosine
            return [lr + (base - low) * (1 - math.cos(math.pi / period)) / 2
                    for base, lr in zip(self.base_lrs, self._current_lrs())]
        ratio = ((1 + math.cos(math.pi * epoch / period))
                 / (1 + math.cos(math.pi * (epoch - 1) / period)))
        return [ratio * (lr - low) + low for lr in self._current_lrs()]

    def _get_closed_form_lr(self):
        return [self.eta_min + (base - self.eta_min)
                * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
                for base in self.base_lrs]


class LinearLR(LRScheduler):
    """Scale each rate linearly from ``start_factor`` to ``end_factor`` of its
    initial value over ``total_iters`` steps: the usual linear warm-up.

    Args:
        optimizer: the optimizer.
        start_factor: the factor at epoch 0, in (0, 1] (default 1/3).
        end_factor: the factor from ``total_iters`` on, in [0, 1] (default 1).
        total_iters: the length of the ramp (default 5).
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import LinearLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> warmup = LinearLR(opt, start_factor=0.25, total_iters=3)
        >>> rates = [warmup.get_last_lr()[0]]
        >>> for _ in range(4):
        ...     opt.iterations += 1; warmup.step(); rates.append(round(warmup.get_last_lr()[0], 6))
        >>> rates
        [0.25, 0.5, 0.75, 1.0, 1.0]
    """

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5,
                 last_epoch=-1):
        start_factor = number("LinearLR", "start_factor", start_factor)
        end_factor = number("LinearLR", "end_factor", end_factor)
        total_iters = whole("LinearLR", "total_iters", total_iters, minimum=0)
        if not 0 < start_factor <= 1:
            raise ValueError(f"LinearLR: start_factor must be in (0, 1], got {start_factor}")
        if not 0 <= end_factor <= 1:
            raise ValueError(f"LinearLR: end_factor must be in [0, 1], got {end_factor}")
        self.start_factor = float(start_factor)
        self.end_factor = float(end_factor)
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        epoch, rise = self.last_epoch, self.end_factor - self.start_factor
        if epoch == 0:
            return [lr * self.start_factor for lr in self._current_lrs()]
        if self._is_initial or epoch > self.total_iters:
            return self._current_lrs()
        factor = 1.0 + rise / (self.total_iters * self.start_factor + (epoch - 1) * rise)
        return [lr * factor for lr in self._current_lrs()]

    def _get_closed_form_lr(self):
        progress = min(self.total_iters, self.last_epoch) / self.total_iters
        return [base * (self.start_factor + (self.end_factor - self.start_factor) * progress)
                for base in self.base_lrs]


class ConstantLR(LRScheduler):
    """Scale every rate by ``factor`` for the first ``total_iters`` epochs, then
    restore it: a constant warm-up.

    Args:
        optimizer: the optimizer.
        factor: the scale during the warm-up, in [0, 1] (default 1/3).
        total_iters: the number of epochs it lasts (default 5).
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import ConstantLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.9)
        >>> warmup = ConstantLR(opt, factor=0.5, total_iters=2)
        >>> rates = [warmup.get_last_lr()[0]]
        >>> for _ in range(3):
        ...     opt.iterations += 1; warmup.step(); rates.append(warmup.get_last_lr()[0])
        >>> rates
        [0.45, 0.45, 0.9, 0.9]
    """

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1):
        factor = number("ConstantLR", "factor", factor)
        total_iters = whole("ConstantLR", "total_iters", total_iters, minimum=0)
        if not 0 <= factor <= 1:
            raise ValueError(f"ConstantLR: factor must be in [0, 1], got {factor}")
        self.factor = float(factor)
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self.last_epoch == 0:
            return [lr * self.factor for lr in self._current_lrs()]
        if self.last_epoch != self.total_iters:
            return self._current_lrs()
        if self.factor == 0:            # 0 * anything: the rates to restore are the base ones
            return list(self.base_lrs)
        return [lr * (1.0 / self.factor) for lr in self._current_lrs()]

    def _get_closed_form_lr(self):
        factor = self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor)
        return [base * factor for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """Decay every rate to zero over ``total_iters`` epochs as
    ``(1 - epoch / total_iters) ** power``, then hold it there.

    Args:
        optimizer: the optimizer.
        total_iters: the length of the decay (default 5).
        power: the power of the polynomial (default 1: linear).
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import PolynomialLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> decay = PolynomialLR(opt, total_iters=4, power=2.0)
        >>> rates = [decay.get_last_lr()[0]]
        >>> for _ in range(5):
        ...     opt.iterations += 1; decay.step(); rates.append(round(decay.get_last_lr()[0], 6))
        >>> rates
        [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]
    """

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1):
        self.total_iters = whole("PolynomialLR", "total_iters", total_iters, minimum=1)
        self.power = number("PolynomialLR", "power", power)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        epoch, total = self.last_epoch, self.total_iters
        if self._is_initial or epoch > total:
            return self._current_lrs()
        factor = ((1.0 - epoch / total) / (1.0 - (epoch - 1) / total)) ** self.power
        return [lr * factor for lr in self._current_lrs()]

    def _get_closed_form_lr(self):
        remaining = 1.0 - min(self.total_iters, self.last_epoch) / self.total_iters
        return [base * remaining ** self.power for base in self.base_lrs]


# PyTorch's old name of the base class, which older programs subclass.
_LRScheduler = LRScheduler

__all__ = ["LRScheduler", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR",
           "PolynomialLR", "CosineAnnealingLR", "LambdaLR", "MultiplicativeLR", "SequentialLR",
           "ChainedScheduler", "ReduceLROnPlateau", "CyclicLR", "OneCycleLR",
           "CosineAnnealingWarmRestarts"]
