"""Run an ndgrad scheduler and its torch twin over the side-by-side optimizers
(two parameter groups, 20 steps), checking the rates after every step."""

import numpy as np

import ndgrad
from ndgrad.optim import lr_scheduler

from .side_by_side import run


def groups(params):
    """Two parameter groups, the first with its own rate."""
    return [{"params": params[:1], "lr": 0.2}, {"params": params[1:]}]


def compare(optimizer_name, optimizer_kwargs, scheduler_name, scheduler_kwargs,
            metrics=None, momentum_key=None, build=None, stepping=None):
    """Both sides step optimizer then scheduler; rates (and momenta) must agree each step.

    ``build(namespace, optimizer)`` makes the scheduler when given (else
    ``namespace.<scheduler_name>(optimizer, **scheduler_kwargs)``);
    ``stepping(scheduler, step)`` steps it when given.
    """
    import torch
    schedulers = {}

    def make(module, namespace):
        def make_optimizer(params):
            optimizer = getattr(module.optim, optimizer_name)(groups(params), **optimizer_kwargs)
            if build is not None:
                schedulers[module.__name__] = build(namespace, optimizer)
            else:
                schedulers[module.__name__] = getattr(namespace, scheduler_name)(
                    optimizer, **scheduler_kwargs)
            if module is torch:           # built second: the starting rates must agree
                np.testing.assert_allclose(schedulers["ndgrad"].get_last_lr(),
                                           schedulers["torch"].get_last_lr(), rtol=1e-12)
            return optimizer
        return make_optimizer

    def after_step(step, ours, theirs):
        our_scheduler, their_scheduler = schedulers["ndgrad"], schedulers["torch"]
        if stepping is not None:
            stepping(our_scheduler, step)
            stepping(their_scheduler, step)
        elif metrics is None:
            our_scheduler.step()
            their_scheduler.step()
        else:
            our_scheduler.step(metrics[step])
            their_scheduler.step(metrics[step])
        np.testing.assert_allclose(our_scheduler.get_last_lr(), their_scheduler.get_last_lr(),
                                   rtol=1e-12)
        if momentum_key is not None:
            for our_group, their_group in zip(ours.param_groups, theirs.param_groups):
                np.testing.assert_allclose(np.ravel(our_group[momentum_key]),
                                           np.ravel(their_group[momentum_key]), rtol=1e-12)

    run(torch, make(ndgrad, lr_scheduler), make(torch, torch.optim.lr_scheduler),
        after_step=after_step)
    return schedulers
