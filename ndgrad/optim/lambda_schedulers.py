"""Schedulers driven by the user's own functions of the epoch:
``torch.optim.lr_scheduler.LambdaLR`` and ``MultiplicativeLR``.

The functions themselves are code, not state: ``state_dict()`` holds ``None``
in their place, or the ``__dict__`` of a callable object (as PyTorch), and
``load_state_dict`` expects the scheduler to be built with the same functions.

Example:
    >>> from ndgrad.optim import LambdaLR
    >>> import ndgrad
    >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
    >>> warmup = LambdaLR(opt, lambda epoch: min(1.0, (epoch + 1) / 4))
    >>> rates = [warmup.get_last_lr()[0]]
    >>> for _ in range(4):
    ...     opt.iterations += 1; warmup.step(); rates.append(warmup.get_last_lr()[0])
    >>> rates
    [0.25, 0.5, 0.75, 1.0, 1.0]
"""

import types

from .scheduler import LRScheduler, check_optimizer


class _FunctionScheduler(LRScheduler):
    """The shared part: one function per group, and their saving."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1):
        owner = type(self).__name__
        check_optimizer(owner, optimizer)
        groups = len(optimizer.param_groups)
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != groups:
                raise ValueError(f"{owner}: got {len(lr_lambda)} lr_lambdas for {groups} "
                                 "parameter groups; give one function, or one per group")
            functions = list(lr_lambda)
        else:
            functions = [lr_lambda] * groups
        for function in functions:
            if not callable(function):
                raise TypeError(f"{owner}: lr_lambda must be a function of the epoch, got "
                                f"{type(function).__name__}")
        self.lr_lambdas = functions
        super().__init__(optimizer, last_epoch)

    def state_dict(self):
        """Every attribute but the optimizer; each function as ``None`` (or a
        callable object's ``__dict__``).

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> LambdaLR(opt, lambda epoch: 0.9 ** epoch).state_dict()["lr_lambdas"]
            [None]
        """
        saved = super().state_dict()
        saved["lr_lambdas"] = [None if isinstance(function, types.FunctionType)
                               else dict(function.__dict__) for function in self.lr_lambdas]
        return saved

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict()`` returned, keeping this scheduler's functions.

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
            >>> s = LambdaLR(opt, lambda epoch: 1.0)
            >>> s.load_state_dict({"last_epoch": 4, "lr_lambdas": [None]}); s.last_epoch
            4
        """
        state_dict = dict(state_dict)
        saved_functions = state_dict.pop("lr_lambdas", [None] * len(self.lr_lambdas))
        if len(saved_functions) != len(self.lr_lambdas):
            raise ValueError(f"{type(self).__name__}.load_state_dict: the saved state has "
                             f"{len(saved_functions)} lr_lambdas, this scheduler has "
                             f"{len(self.lr_lambdas)}")
        super().load_state_dict(state_dict)
        for function, saved in zip(self.lr_lambdas, saved_functions):
            if saved is not None:
                function.__dict__.update(saved)


class LambdaLR(_FunctionScheduler):
    """Set each rate to its initial value times ``lr_lambda(epoch)``.

    Args:
        optimizer: the optimizer.
        lr_lambda: a function of the epoch (an int) giving the factor, or a
            list of them, one per parameter group.
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import LambdaLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.5)
        >>> LambdaLR(opt, lambda epoch: 0.1).get_last_lr()
        [0.05]
    """

    def get_lr(self):
        return [base * function(self.last_epoch)
                for function, base in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(_FunctionScheduler):
    """Multiply each rate by ``lr_lambda(epoch)`` at every step after the first.

    Args:
        optimizer: the optimizer.
        lr_lambda: a function of the epoch (an int) giving the factor, or a
            list of them, one per parameter group.
        last_epoch: the index of the last epoch when resuming.

    Example:
        >>> from ndgrad.optim import MultiplicativeLR
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> decay = MultiplicativeLR(opt, lambda epoch: 0.5)
        >>> opt.iterations += 1; decay.step(); decay.step(); decay.get_last_lr()
        [0.25]
    """

    def get_lr(self):
        if self._is_initial:
            return self._current_lrs()
        return [group["lr"] * function(self.last_epoch)
                for function, group in zip(self.lr_lambdas, self.optimizer.param_groups)]
