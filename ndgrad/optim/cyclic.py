"""Schedules that come back up: ``torch.optim.lr_scheduler.CyclicLR`` (a
triangle between two rates, stepped per batch) and
``CosineAnnealingWarmRestarts`` (SGDR: cosine decays that restart).

Example:
    >>> from ndgrad.optim import CyclicLR
    >>> import ndgrad
    >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.1)
    >>> cyclic = CyclicLR(opt, base_lr=0.1, max_lr=0.5, step_size_up=2, cycle_momentum=False)
    >>> rates = [cyclic.get_last_lr()[0]]
    >>> for _ in range(4):
    ...     opt.iterations += 1; cyclic.step(); rates.append(round(cyclic.get_last_lr()[0], 6))
    >>> rates
    [0.1, 0.3, 0.5, 0.3, 0.1]
"""

import math
import numbers
import types

from ._scheduler_arguments import number, per_group
from .scheduler import LRScheduler, check_optimizer

MODES = ("triangular", "triangular2", "exp_range")


class CyclicLR(LRScheduler):
    """Cycle each rate between ``base_lr`` and ``max_lr``: up for
    ``step_size_up`` steps, down for ``step_size_down``; call ``step()`` after
    every batch. Momentum (or Adam's ``beta_1``) cycles the opposite way,
    between ``max_momentum`` and ``base_momentum``.

    The amplitude of cycle ``c`` (from 1) is scaled by 1 (``"triangular"``),
    ``1 / 2 ** (c - 1)`` (``"triangular2"``), or ``gamma ** step``
    (``"exp_range"``), or by ``scale_fn`` of the cycle or of the step
    (``scale_mode``).

    Args:
        optimizer: the optimizer (its rates are set to ``base_lr``).
        base_lr, max_lr: the bounds (one per group, or one for all).
        step_size_up: steps in the rising half (default 2000).
        step_size_down: steps in the falling half (default: ``step_size_up``).
        mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"``.
        gamma: the factor per step of ``"exp_range"`` (default 1).
        scale_fn: a custom amplitude function (then ``mode`` is ignored).
        scale_mode: ``"cycle"`` or ``"iterations"``: what ``scale_fn`` is given.
        cycle_momentum: cycle ``momentum`` / ``betas[0]`` too (default True).
        base_momentum, max_momentum: the momentum bounds (0.8, 0.9).
        last_epoch: the index of the last batch when resuming.

    Example:
        >>> from ndgrad.optim import CyclicLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.1, momentum=0.9)
        >>> _ = CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=4)
        >>> opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"]
        (0.01, 0.9)
    """

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
                 mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
                 cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1):
        owner = "CyclicLR"
        check_optimizer(owner, optimizer)
        if mode not in MODES and scale_fn is None:
            raise ValueError(f"CyclicLR: mode must be one of {list(MODES)} (or give "
                             f"scale_fn), got {mode!r}")
        if scale_mode not in ("cycle", "iterations"):
            raise ValueError(f"CyclicLR: scale_mode must be 'cycle' or 'iterations', got "
                             f"{scale_mode!r}")
        up = number(owner, "step_size_up", step_size_up)
        down = (number(owner, "step_size_down", step_size_down) if step_size_down is not None
                else up)
        if not (up > 0 and down >= 0):
            raise ValueError(f"CyclicLR: step_size_up must be > 0 and step_size_down >= 0, got "
                             f"{step_size_up!r} and {step_size_down!r}")
        base_lrs = per_group(owner, "base_lr", optimizer, base_lr)
        self.max_lrs = per_group(owner, "max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for group, lr in zip(optimizer.param_groups, base_lrs):
                group["lr"] = lr
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        self.mode, self.gamma = mode, number(owner, "gamma", gamma)
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode if scale_fn is not None else (
            "iterations" if mode == "exp_range" else "cycle")
        self.cycle_momentum = bool(cycle_momentum)
        if self.cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(f"CyclicLR: {type(optimizer).__name__} has neither momentum "
                                 "nor betas to cycle; pass cycle_momentum=False")
            self.use_beta1 = "betas" in optimizer.defaults
            self.base_momentums = per_group(owner, "base_momentum", optimizer, base_momentum)
            self.max_momentums = per_group(owner, "max_momentum", optimizer, max_momentum)
            if last_epoch == -1:
                for group, high, low in zip(optimizer.param_groups, self.max_momentums,
                                            self.base_momentums):
                    self._set_momentum(group, high)
                    group["max_momentum"], group["base_momentum"] = high, low
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x):
        """The amplitude factor at cycle (or step) ``x``.

        Example:
            >>> from ndgrad.optim import CyclicLR
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.1)
            >>> CyclicLR(opt, 0.1, 0.5, mode="triangular2", cycle_momentum=False).scale_fn(3)
            0.25
        """
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma ** x

    def _set_momentum(self, group, value):
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def get_lr(self):
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            rise = x / self.step_ratio
        else:
            rise = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        rates = [low + (high - low) * rise * scale
                 for low, high in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, low, high in zip(self.optimizer.param_groups, self.base_momentums,
                                        self.max_momentums):
                self._set_momentum(group, high - (high - low) * rise * scale)
        return rates

    def state_dict(self):
        """Every attribute but the optimizer; a custom ``scale_fn`` as ``None`` (or a
        callable object's ``__dict__``).

        Example:
            >>> from ndgrad.optim import CyclicLR
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.1)
            >>> s = CyclicLR(opt, 0.1, 0.5, scale_fn=lambda x: 1.0, cycle_momentum=False)
            >>> s.state_dict()["_scale_fn_custom"] is None
            True
        """
        saved = super().state_dict()
        function = saved.pop("_scale_fn_custom")
        saved["_scale_fn_custom"] = (None if function is None
                                     or isinstance(function, types.FunctionType)
                                     else dict(function.__dict__))
        return saved

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict()`` returned, keeping this scheduler's ``scale_fn``.

        Example:
            >>> from ndgrad.optim import CyclicLR
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.1)
            >>> s = CyclicLR(opt, 0.1, 0.5, cycle_momentum=False)
            >>> s.load_state_dict({"last_epoch": 3, "_scale_fn_custom": None}); s.last_epoch
            3
        """
        state_dict = dict(state_dict)
        saved = state_dict.pop("_scale_fn_custom", None)
        super().load_state_dict(state_dict)
        if saved is not None and self._scale_fn_custom is not None:
            self._scale_fn_custom.__dict__.update(saved)


class CosineAnnealingWarmRestarts(LRScheduler):
    """Anneal each rate along a cosine from its initial value to ``eta_min`` over
    ``T_i`` epochs, then restart; ``T_i`` starts at ``T_0`` and is multiplied by
    ``T_mult`` at each restart (SGDR, Loshchilov and Hutter).

    ``step(epoch)`` accepts a fractional epoch, for stepping per batch:
    ``scheduler.step(epoch + batch / batches)``.

    Args:
        optimizer: the optimizer.
        T_0: the length of the first period, in epochs (a positive int).
        T_mult: the growth of the period at each restart (an int >= 1).
        eta_min: the lowest rate (default 0).
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import CosineAnnealingWarmRestarts
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> sgdr = CosineAnnealingWarmRestarts(opt, T_0=2)
        >>> rates = [sgdr.get_last_lr()[0]]
        >>> for _ in range(4):
        ...     sgdr.step(); rates.append(round(sgdr.get_last_lr()[0], 6))
        >>> rates
        [1.0, 0.5, 1.0, 0.5, 1.0]
    """

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1):  # noqa: N803
        if not (isinstance(T_0, int) and T_0 > 0):
            raise ValueError(f"CosineAnnealingWarmRestarts: T_0 must be a positive int, got "
                             f"{T_0!r}")
        if not (isinstance(T_mult, int) and T_mult >= 1):
            raise ValueError(f"CosineAnnealingWarmRestarts: T_mult must be an int >= 1, got "
                             f"{T_mult!r}")
        if not isinstance(eta_min, numbers.Real):
            raise ValueError(f"CosineAnnealingWarmRestarts: eta_min must be a number, got "
                             f"{eta_min!r}")
        self.T_0 = self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [self.eta_min + (base - self.eta_min)
                * (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2
                for base in self.base_lrs]

    def step(self, epoch=None):
        """Advance one epoch, or go to ``epoch`` (fractional allowed), and set the rates.

        Example:
            >>> from ndgrad.optim import CosineAnnealingWarmRestarts
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> sgdr = CosineAnnealingWarmRestarts(opt, T_0=4)
            >>> sgdr.step(2.0); sgdr.get_last_lr()
            [0.5]
        """
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur += 1
            if self.T_cur >= self.T_i:
                self.T_cur %= self.T_i
                self.T_i *= self.T_mult
        else:
            if epoch < 0:
                raise ValueError(f"CosineAnnealingWarmRestarts.step: epoch must be >= 0, got "
                                 f"{epoch}")
            self._go_to(epoch)
        self.last_epoch = math.floor(epoch)
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = self._current_lrs()

    def _go_to(self, epoch):
        if epoch < self.T_0:
            self.T_i, self.T_cur = self.T_0, epoch
        elif self.T_mult == 1:
            self.T_cur = epoch % self.T_0
        else:
            restarts = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
            self.T_cur = epoch - self.T_0 * (self.T_mult ** restarts - 1) / (self.T_mult - 1)
            self.T_i = self.T_0 * self.T_mult ** restarts
