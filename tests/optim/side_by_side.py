"""Run an ndgrad optimizer and its torch.optim twin on the same parameters and gradients,
and with them an ndgrad scheduler and its torch.optim.lr_scheduler twin (``compare``).

Each step's gradient is a fixed random array plus half the parameter (a small
quadratic), computed on each side from that side's own parameter, so that a
difference in one step shows up in the next.
"""

import numpy as np

import ndgrad

SHAPES = [(3, 2), (4,), ()]


def initial_values(shapes=SHAPES, dtype=np.float32, seed=0):
    rng = np.random.default_rng(seed)
    return [np.asarray(rng.normal(size=shape), dtype=dtype) for shape in shapes]


def gradient_sequence(shapes=SHAPES, steps=20, dtype=np.float32, seed=1):
    rng = np.random.default_rng(seed)
    return [[np.asarray(rng.normal(size=shape), dtype=dtype) for shape in shapes]
            for _ in range(steps)]


def twin_parameters(torch, values):
    ours = [ndgrad.nn.Parameter(v) for v in values]
    for index, p in enumerate(ours):
        p.name = f"p{index}"
    theirs = [torch.nn.Parameter(torch.tensor(v)) for v in values]
    return ours, theirs


def set_gradients(torch, ours, theirs, grads):
    for p, tp, g in zip(ours, theirs, grads):
        p.grad = ndgrad.tensor(g + 0.5 * p.numpy())
        tp.grad = torch.tensor(g + 0.5 * tp.detach().numpy())


def assert_same_parameters(ours, theirs, rtol=1e-5, atol=1e-6):
    for p, tp in zip(ours, theirs):
        np.testing.assert_allclose(p.numpy(), tp.detach().numpy(), rtol=rtol, atol=atol)


def run(torch, make_ours, make_theirs, steps=20, after_step=None):
    """Both optimizers for ``steps`` steps from the same start; returns both sides."""
    ours, theirs = twin_parameters(torch, initial_values())
    ours_optimizer, theirs_optimizer = make_ours(ours), make_theirs(theirs)
    for step, grads in enumerate(gradient_sequence(steps=steps)):
        set_gradients(torch, ours, theirs, grads)
        ours_optimizer.step()
        theirs_optimizer.step()
        if after_step is not None:
            after_step(step, ours_optimizer, theirs_optimizer)
    assert_same_parameters(ours, theirs)
    return ours, ours_optimizer, theirs, theirs_optimizer


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

    run(torch, make(ndgrad, ndgrad.optim.lr_scheduler), make(torch, torch.optim.lr_scheduler),
        after_step=after_step)
    return schedulers
