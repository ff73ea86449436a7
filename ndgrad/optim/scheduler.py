"""The scheduler base: an object bound to an optimizer that writes each group's
``lr`` when stepped, as ``torch.optim.lr_scheduler.LRScheduler``.

Example:
    >>> import ndgrad
    >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.1)
    >>> ndgrad.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5).base_lrs
    [0.1]
"""

import warnings

from ._scheduler_arguments import check_state_types, guard_init, whole
from .optimizer import Optimizer
from .schedules import LearningRateSchedule


class LRScheduler:
    """Base class: subclasses define ``get_lr()``, the new rate of each group.

    Creating a scheduler records each group's ``initial_lr`` and performs a
    first step (epoch 0). ``state_dict()`` holds every attribute but the
    optimizer.

    Args:
        optimizer: the :class:`~ndgrad.optim.Optimizer` whose ``lr`` it sets.
        last_epoch: the index of the last epoch when resuming (-1: start).

    Example:
        >>> from ndgrad.optim import LRScheduler
        >>> import ndgrad
        >>> class Halving(LRScheduler):
        ...     def get_lr(self):
        ...         return [g["lr"] * (0.5 if self.last_epoch else 1.0)
        ...                 for g in self.optimizer.param_groups]
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> Halving(opt).get_last_lr()
        [1.0]
    """

    def __init_subclass__(cls, **kwargs):
        # Every scheduler's constructor changes nothing when it raises (see
        # _scheduler_arguments.guard_init): its own checks may come after a write.
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is not None and not getattr(init, "_guarded", False):
            cls.__init__ = guard_init(init)

    def __init__(self, optimizer, last_epoch=-1):
        owner = type(self).__name__
        check_optimizer(owner, optimizer)
        last_epoch = whole(owner, "last_epoch", last_epoch, minimum=-1)
        for index, group in enumerate(optimizer.param_groups):
            if isinstance(group["lr"], LearningRateSchedule):
                raise TypeError(f"{owner}: group {index}'s learning rate is a Keras schedule "
                                f"({type(group['lr']).__name__}); use one or the other, not both")
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(f"{owner}: param_groups[{index}] has no 'initial_lr' to resume "
                               f"from at last_epoch={last_epoch}; load the optimizer's "
                               "state_dict first, or start with last_epoch=-1")
        self.optimizer = optimizer
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._optimizer_steps_at_start = _steps_taken(optimizer)
        self._initial_step()

    def _initial_step(self):
        """The step a new scheduler takes to set epoch 0's rates (``SequentialLR``
        repeats it when a scheduler's turn comes)."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self):
        """The learning rate of every group for epoch ``last_epoch`` (called by ``step``).

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> ndgrad.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5).get_lr()
            [0.5]
        """
        raise NotImplementedError(f"{type(self).__name__} must define get_lr()")

    def step(self, epoch=None):
        """Advance one epoch (or batch) and write the new ``lr`` into every group.

        ``step(epoch)`` (deprecated in PyTorch, which warns) jumps to ``epoch``,
        using the schedule's closed form where it has one.

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> scheduler = ndgrad.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
            >>> opt.iterations += 1              # as if optimizer.step() had run
            >>> scheduler.step(); opt.lr
            0.5
        """
        if (self._step_count == 1
                and _steps_taken(self.optimizer) == self._optimizer_steps_at_start):
            warnings.warn(f"{type(self).__name__}.step() was called before optimizer.step(): "
                          "the first value of the schedule is skipped; call "
                          "optimizer.step() first", UserWarning, stacklevel=2)
        self._step_count += 1
        if epoch is not None:
            warnings.warn(f"{type(self).__name__}.step(epoch) is deprecated (as in PyTorch); "
                          "call step() once per epoch instead", UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch=None):
        """Set the rates of ``epoch`` (closed form) or of the next epoch (``get_lr``)."""
        if epoch is None:
            self.last_epoch += 1
            rates = self.get_lr()
        else:
            self.last_epoch = epoch
            closed_form = getattr(self, "_get_closed_form_lr", None)
            rates = closed_form() if closed_form is not None else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, rates):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self):
        """The learning rates the last ``step()`` set, one per group.

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.3)
            >>> ndgrad.optim.lr_scheduler.StepLR(opt, step_size=1).get_last_lr()
            [0.3]
        """
        return list(self._last_lr)

    def state_dict(self):
        """Every attribute but the optimizer (plain Python values).

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.3)
            >>> ndgrad.optim.lr_scheduler.StepLR(opt, step_size=1).state_dict()["last_epoch"]
            0
        """
        return {key: (list(value) if isinstance(value, list) else value)
                for key, value in self.__dict__.items()
                if key not in ("optimizer", "_init_guarded")}

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict()`` returned.

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.3)
            >>> s = ndgrad.optim.lr_scheduler.StepLR(opt, step_size=1)
            >>> s.load_state_dict({"last_epoch": 7}); s.last_epoch
            7
        """
        LRScheduler._check_loadable(self, state_dict)
        self.__dict__.update({key: value for key, value in state_dict.items()
                              if key != "optimizer"})

    def _check_loadable(self, state_dict):
        """Every check of ``load_state_dict``, before anything is loaded: a dict, no
        unknown entries, each value of the type this scheduler holds there."""
        owner = type(self).__name__
        if not isinstance(state_dict, dict):
            raise TypeError(f"{owner}.load_state_dict: expected a dict from state_dict(), got "
                            f"{type(state_dict).__name__}")
        unknown = sorted(set(state_dict) - set(self.__dict__) - {"optimizer"}, key=str)
        if unknown:
            raise ValueError(f"{owner}.load_state_dict: unknown entries {unknown}; "
                             "was it saved from another scheduler?")
        check_state_types(owner, self.__dict__, state_dict)

    def _current_lrs(self):
        return [group["lr"] for group in self.optimizer.param_groups]


def _steps_taken(optimizer):
    """A count that moves whenever the optimizer steps (Keras ``iterations``, or
    the calls of a subclass's own ``step``)."""
    return optimizer.iterations, getattr(optimizer, "_step_calls", 0)


def check_optimizer(owner, optimizer):
    """Raise unless ``optimizer`` is an ndgrad optimizer with parameter groups.

    Example:
        >>> from ndgrad.optim.composite_schedulers import check_optimizer
        >>> check_optimizer("StepLR", object())
        Traceback (most recent call last):
        ...
        TypeError: StepLR: expected an ndgrad optimizer, got object
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{owner}: expected an ndgrad optimizer, got "
                        f"{type(optimizer).__name__}")
    if not optimizer.param_groups:
        raise ValueError(f"{owner}: the optimizer has no parameter groups yet (Keras "
                         "style, it learns them at the first apply_gradients); call "
                         "optimizer.build(variables) first, or pass a Keras schedule as "
                         "its learning_rate instead")
