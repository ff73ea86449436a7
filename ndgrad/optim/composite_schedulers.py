"""Schedulers made of schedulers: ``torch.optim.lr_scheduler.SequentialLR``
(one after another, switching at milestones: a warm-up then a decay) and
``ChainedScheduler`` (all at once, each scaling what the previous set).

Example:
    >>> from ndgrad.optim import SequentialLR
    >>> import ndgrad
    >>> from ndgrad.optim import lr_scheduler
    >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
    >>> warmup = lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=2)
    >>> decay = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    >>> both = SequentialLR(opt, [warmup, decay], milestones=[2])
    >>> rates = [both.get_last_lr()[0]]
    >>> for _ in range(4):
    ...     opt.iterations += 1; both.step(); rates.append(both.get_last_lr()[0])
    >>> rates
    [0.5, 0.75, 1.0, 0.5, 0.25]
"""

import bisect

from .plateau import ReduceLROnPlateau
from .scheduler import LRScheduler, check_optimizer


def _check_schedulers(owner, optimizer, schedulers):
    schedulers = list(schedulers)
    if not schedulers:
        raise ValueError(f"{owner}: expects at least one scheduler, got none")
    for index, scheduler in enumerate(schedulers):
        if not isinstance(scheduler, LRScheduler):
            raise TypeError(f"{owner}: schedulers[{index}] is a {type(scheduler).__name__}, "
                            "not a learning-rate scheduler")
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(f"{owner}: schedulers[{index}] is a ReduceLROnPlateau, whose step "
                             "needs the metric; step it yourself beside this one")
        if scheduler.optimizer is not optimizer:
            raise ValueError(f"{owner}: schedulers[{index}] ({type(scheduler).__name__}) "
                             "belongs to another optimizer; every scheduler must drive the "
                             "same one")
    return schedulers


class _Composite(LRScheduler):
    """Saving for schedulers that hold schedulers: theirs, nested."""

    def _check_loadable(self, state_dict):
        if not isinstance(state_dict, dict):
            raise TypeError(f"{type(self).__name__}.load_state_dict: expected a dict from "
                            f"state_dict(), got {type(state_dict).__name__}")
        inner = state_dict.get("_schedulers")
        if not isinstance(inner, (list, tuple)) or len(inner) != len(self._schedulers):
            raise ValueError(f"{type(self).__name__}.load_state_dict: expected the states of "
                             f"{len(self._schedulers)} schedulers under '_schedulers'")
        super()._check_loadable({key: value for key, value in state_dict.items()
                                 if key != "_schedulers"})
        for scheduler, saved in zip(self._schedulers, inner):
            scheduler._check_loadable(saved)

    def state_dict(self):
        """Every attribute but the optimizer, with each inner scheduler's own state.

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> inner = ndgrad.optim.lr_scheduler.StepLR(opt, step_size=2)
            >>> ChainedScheduler([inner]).state_dict()["_schedulers"][0]["step_size"]
            2
        """
        saved = {key: value for key, value in self.__dict__.items()
                 if key not in ("optimizer", "_schedulers")}
        saved["_schedulers"] = [scheduler.state_dict() for scheduler in self._schedulers]
        return saved

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict()`` returned, inner schedulers included.

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> chain = ChainedScheduler([ndgrad.optim.lr_scheduler.StepLR(opt, step_size=2)])
            >>> saved = chain.state_dict(); saved["_schedulers"][0]["last_epoch"] = 5
            >>> chain.load_state_dict(saved); chain._schedulers[0].last_epoch
            5
        """
        self._check_loadable(state_dict)                 # every part, before any write
        state_dict = dict(state_dict)
        inner = state_dict.pop("_schedulers")
        super().load_state_dict(state_dict)
        for scheduler, saved in zip(self._schedulers, inner):
            scheduler.load_state_dict(saved)


class SequentialLR(_Composite):
    """Run ``schedulers[0]`` until ``milestones[0]``, then ``schedulers[1]`` (from its
    epoch 0) until ``milestones[1]``, and so on.

    Args:
        optimizer: the optimizer every scheduler drives.
        schedulers: the schedulers, in order (already created on ``optimizer``).
        milestones: the epochs at which the next one takes over (one fewer
            than the schedulers).
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import SequentialLR
        >>> import ndgrad
        >>> from ndgrad.optim import lr_scheduler
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> steps = [lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=3),
        ...          lr_scheduler.ExponentialLR(opt, gamma=0.9)]
        >>> SequentialLR(opt, steps, milestones=[3]).get_last_lr()
        [0.1]
    """

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1):
        owner = "SequentialLR"
        check_optimizer(owner, optimizer)
        schedulers = _check_schedulers(owner, optimizer, schedulers)
        milestones = list(milestones)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(f"{owner}: expects one milestone fewer than schedulers, got "
                             f"{len(schedulers)} schedulers and {len(milestones)} milestones")
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:       # back to the start: undo their first steps
            group["lr"] = group["initial_lr"]
        _undo_first_step(self)
        first = self._schedulers[bisect.bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def step(self):
        """Advance one epoch in the scheduler whose turn it is (restarting it at its
        milestone).

        Example:
            >>> from ndgrad.optim import SequentialLR
            >>> import ndgrad
            >>> from ndgrad.optim import lr_scheduler
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> s = SequentialLR(opt, [lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=1),
            ...                        lr_scheduler.StepLR(opt, step_size=5)], milestones=[1])
            >>> opt.iterations += 1; s.step(); s.get_last_lr()
            [1.0]
        """
        self.last_epoch += 1
        index = bisect.bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


def _undo_first_step(scheduler):
    for inner in getattr(scheduler, "_schedulers", ()):
        if hasattr(inner, "_schedulers"):
            _undo_first_step(inner)
        else:
            inner.last_epoch -= 1


class ChainedScheduler(_Composite):
    """Step every scheduler at each ``step()``, in order: their effects multiply
    (e.g. a constant warm-up times an exponential decay).

    Args:
        schedulers: the schedulers, all on one optimizer.
        optimizer: that optimizer (default: the first scheduler's).

    Example:
        >>> from ndgrad.optim import ChainedScheduler
        >>> import ndgrad
        >>> from ndgrad.optim import lr_scheduler
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> chain = ChainedScheduler([lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=2),
        ...                           lr_scheduler.ExponentialLR(opt, gamma=0.5)])
        >>> rates = [chain.get_last_lr()[0]]
        >>> for _ in range(3):
        ...     opt.iterations += 1; chain.step(); rates.append(chain.get_last_lr()[0])
        >>> rates                      # 1/2 for two epochs, times 1/2 per epoch
        [0.5, 0.25, 0.25, 0.125]
    """

    def __init__(self, schedulers, optimizer=None):
        owner = "ChainedScheduler"
        schedulers = list(schedulers)
        if optimizer is None and schedulers:
            optimizer = schedulers[0].optimizer
        self._schedulers = _check_schedulers(owner, optimizer, schedulers)
        self.optimizer = optimizer
        self._last_lr = self._current_lrs()

    def step(self):
        """Step every scheduler once, in order.

        Example:
            >>> from ndgrad.optim import ChainedScheduler
            >>> import ndgrad
            >>> from ndgrad.optim import lr_scheduler
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> chain = ChainedScheduler([lr_scheduler.ExponentialLR(opt, gamma=0.5)])
            >>> opt.iterations += 1; chain.step(); chain.get_last_lr()
            [0.5]
        """
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = self._current_lrs()
