"""The 1cycle policy (Smith and Topin): ``torch.optim.lr_scheduler.OneCycleLR``.

Example:
    >>> import ndgrad
    >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.1, momentum=0.9)
    >>> scheduler = ndgrad.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
    >>> round(scheduler.get_last_lr()[0], 6), opt.param_groups[0]["momentum"]
    (0.04, 0.95)
"""

import math

from ._scheduler_arguments import number, per_group
from .scheduler import LRScheduler


class OneCycleLR(LRScheduler):
    """Warm the rate up from ``max_lr / div_factor`` to ``max_lr``, then anneal it to
    ``initial_lr / final_div_factor``, stepping once per batch; momentum (or
    Adam's ``beta_1``) cycles the opposite way, from ``max_momentum`` down to
    ``base_momentum`` and back.

    ``three_phase=True`` anneals back to the initial rate before the final
    descent, as torch's option. The schedule has ``total_steps`` steps (or
    ``epochs * steps_per_epoch``); stepping past them is an error.

    Args:
        optimizer: the optimizer.
        max_lr: the peak rate (one per group, or one for all).
        total_steps: the number of steps in the cycle.
        epochs, steps_per_epoch: the alternative to ``total_steps``.
        pct_start: the fraction of the cycle spent rising (default 0.3).
        anneal_strategy: ``"cos"`` (default) or ``"linear"``.
        cycle_momentum: cycle ``momentum`` or ``betas[0]`` (default True; the
            optimizer must have one of them).
        base_momentum, max_momentum: the momentum range (0.85, 0.95).
        div_factor: ``initial_lr = max_lr / div_factor`` (default 25).
        final_div_factor: ``min_lr = initial_lr / final_div_factor`` (default 1e4).
        three_phase: use the three-phase variant.
        last_epoch: the index of the last batch when resuming.

    Example:
        >>> from ndgrad.optim import OneCycleLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.Adam([ndgrad.Variable([0.0])], lr=0.1)
        >>> _ = OneCycleLR(opt, max_lr=0.5, total_steps=4)
        >>> opt.param_groups[0]["betas"]
        (0.95, 0.999)
    """

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1):
        owner = "OneCycleLR"
        if total_steps is not None:
            if isinstance(total_steps, bool) or not (isinstance(total_steps, int)
                                                     and total_steps > 0):
                raise ValueError(f"{owner}: total_steps must be a positive int, got "
                                 f"{total_steps!r}")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            for name, value in (("epochs", epochs), ("steps_per_epoch", steps_per_epoch)):
                if not (isinstance(value, int) and value > 0):
                    raise ValueError(f"{owner}: {name} must be a positive int, got {value!r}")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError(f"{owner}: give total_steps, or both epochs and steps_per_epoch")
        pct_start = number(owner, "pct_start", pct_start)
        div_factor = number(owner, "div_factor", div_factor, above=0)
        final_div_factor = number(owner, "final_div_factor", final_div_factor, above=0)
        if not 0 <= pct_start <= 1:
            raise ValueError(f"{owner}: pct_start must be in [0, 1], got {pct_start!r}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"{owner}: anneal_strategy must be 'cos' or 'linear', got "
                             f"{anneal_strategy!r}")
        self.anneal_strategy = anneal_strategy
        rise_end = float(pct_start * self.total_steps) - 1
        if three_phase:
            self._phases = [(rise_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                            (float(2 * pct_start * self.total_steps) - 2, "max_lr",
                             "initial_lr", "base_momentum", "max_momentum"),
                            (self.total_steps - 1, "initial_lr", "min_lr", "max_momentum",
                             "max_momentum")]
        else:
            self._phases = [(rise_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                            (self.total_steps - 1, "max_lr", "min_lr", "base_momentum",
                             "max_momentum")]
        if not optimizer.param_groups:
            raise ValueError(f"{owner}: the optimizer has no parameter groups yet; call "
                             "optimizer.build(variables) first")
        max_lrs = per_group(owner, "max_lr", optimizer, max_lr)
        self.cycle_momentum = bool(cycle_momentum)
        if self.cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(f"{owner}: {type(optimizer).__name__} has neither momentum nor "
                                 "betas to cycle; pass cycle_momentum=False")
            self.use_beta1 = "betas" in optimizer.defaults
            highs = per_group(owner, "max_momentum", optimizer, max_momentum)
            lows = per_group(owner, "base_momentum", optimizer, base_momentum)
        if last_epoch == -1:
            for index, group in enumerate(optimizer.param_groups):
                group["initial_lr"] = max_lrs[index] / div_factor
                group["max_lr"] = max_lrs[index]
                group["min_lr"] = group["initial_lr"] / final_div_factor
                if self.cycle_momentum:
                    self._set_momentum(group, highs[index])
                    group["max_momentum"], group["base_momentum"] = highs[index], lows[index]
        super().__init__(optimizer, last_epoch)

    def _set_momentum(self, group, value):
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def _anneal(self, start, end, fraction):
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * fraction) + 1)
        return (end - start) * fraction + start

    def get_lr(self):
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"OneCycleLR: stepped {step} times, but the cycle has "
                             f"total_steps={self.total_steps}; create it with more steps")
        rates = []
        for group in self.optimizer.param_groups:
            start = 0.0
            for index, (end, lr_from, lr_to, momentum_from, momentum_to) in enumerate(
                    self._phases):
                if step <= end or index == len(self._phases) - 1:
                    fraction = (step - start) / (end - start)
                    rates.append(self._anneal(group[lr_from], group[lr_to], fraction))
                    if self.cycle_momentum:
                        self._set_momentum(group, self._anneal(group[momentum_from],
                                                               group[momentum_to], fraction))
                    break
                start = end
        return rates
