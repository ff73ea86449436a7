"""PyTorch-style schedulers: 20 steps against torch.optim.lr_scheduler."""

import numpy as np
import pytest

import ndgrad
from ndgrad.optim import lr_scheduler

from .side_by_side import run

torch = pytest.importorskip("torch")


def _groups(params):
    return [{"params": params[:1], "lr": 0.2}, {"params": params[1:]}]


def _compare(optimizer_name, optimizer_kwargs, scheduler_name, scheduler_kwargs,
             metrics=None, momentum_key=None):
    """Both sides step optimizer then scheduler; rates (and momenta) must agree each step."""
    schedulers = {}

    def make(module, namespace):
        def build(params):
            optimizer = getattr(module.optim, optimizer_name)(_groups(params), **optimizer_kwargs)
            schedulers[module.__name__] = getattr(namespace, scheduler_name)(
                optimizer, **scheduler_kwargs)
            return optimizer
        return build

    def after_step(step, ours, theirs):
        our_scheduler, their_scheduler = schedulers["ndgrad"], schedulers["torch"]
        if metrics is None:
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


SGD_MOMENTUM = ("SGD", {"lr": 0.05, "momentum": 0.9})

CASES = [
    (SGD_MOMENTUM, "StepLR", {"step_size": 3, "gamma": 0.5}),
    (SGD_MOMENTUM, "MultiStepLR", {"milestones": [2, 5, 5, 9], "gamma": 0.5}),
    (("Adam", {"lr": 0.05}), "ExponentialLR", {"gamma": 0.9}),
    (SGD_MOMENTUM, "CosineAnnealingLR", {"T_max": 7, "eta_min": 0.01}),
    (("Adam", {"lr": 0.05}), "CosineAnnealingLR", {"T_max": 20}),
    (SGD_MOMENTUM, "LinearLR", {"start_factor": 0.25, "total_iters": 6}),
    (("RMSprop", {"lr": 0.01}), "LinearLR", {"start_factor": 1.0, "end_factor": 0.1,
                                             "total_iters": 8}),
    (("Adagrad", {"lr": 0.1}), "OneCycleLR", {"max_lr": 0.5, "total_steps": 20,
                                              "cycle_momentum": False}),
]


@pytest.mark.parametrize("optimizer, name, kwargs", CASES,
                         ids=[f"{c[1]}-{c[0][0]}" for c in CASES])
def test_scheduler_matches_torch(optimizer, name, kwargs):
    _compare(optimizer[0], optimizer[1], name, kwargs)


@pytest.mark.parametrize("kwargs", [{}, {"anneal_strategy": "linear"}, {"three_phase": True},
                                    {"max_lr": [0.4, 0.8], "pct_start": 0.25,
                                     "div_factor": 10.0, "final_div_factor": 100.0}])
def test_one_cycle_cycles_sgd_momentum_like_torch(kwargs):
    kwargs = {"max_lr": 0.5, "total_steps": 20, **kwargs}
    _compare("SGD", {"lr": 0.05, "momentum": 0.9}, "OneCycleLR", kwargs,
             momentum_key="momentum")


def test_one_cycle_cycles_adam_beta_1_like_torch():
    _compare("Adam", {"lr": 0.05}, "OneCycleLR", {"max_lr": 0.1, "total_steps": 20},
             momentum_key="betas")


def test_one_cycle_refuses_steps_past_the_end_and_optimizers_without_momentum():
    optimizer = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.1, momentum=0.9)
    scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=1.0, total_steps=2)
    optimizer.iterations += 1
    scheduler.step()
    scheduler.step()
    with pytest.raises(ValueError, match="total_steps=2"):
        scheduler.step()
    with pytest.raises(ValueError, match="neither momentum nor betas"):
        lr_scheduler.OneCycleLR(ndgrad.optim.Adagrad([ndgrad.Variable([0.0])]), max_lr=1.0,
                                total_steps=5)


LOSSES = [1.0, 0.9, 0.9, 0.9, 0.95, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.49999, 0.6, 0.6, 0.6,
          0.6, 0.6, 0.6, 0.6, 0.6]


@pytest.mark.parametrize("kwargs, metrics", [
    ({"patience": 2, "factor": 0.5}, LOSSES),
    ({"patience": 1, "cooldown": 2, "min_lr": [0.05, 0.001]}, LOSSES),
    ({"mode": "max", "patience": 0, "threshold": 0.1, "threshold_mode": "abs"},
     [-x for x in LOSSES]),
    ({"patience": 0, "factor": 0.3, "min_lr": 0.01, "threshold": 0.0}, LOSSES),
])
def test_reduce_on_plateau_matches_torch(kwargs, metrics):
    schedulers = _compare("SGD", {"lr": 0.05, "momentum": 0.9}, "ReduceLROnPlateau", kwargs,
                          metrics=metrics)
    ours, theirs = schedulers["ndgrad"], schedulers["torch"]
    assert (ours.best, ours.num_bad_epochs, ours.cooldown_counter) == (
        theirs.best, theirs.num_bad_epochs, theirs.cooldown_counter)


def test_scheduler_state_dict_resumes():
    def make():
        optimizer = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        return optimizer, lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)

    optimizer, scheduler = make()
    for _ in range(3):
        optimizer.iterations += 1
        scheduler.step()
    saved_optimizer, saved = optimizer.state_dict(), scheduler.state_dict()
    resumed_optimizer, resumed = make()
    resumed_optimizer.load_state_dict(saved_optimizer)
    resumed.load_state_dict(saved)
    for _ in range(3):
        optimizer.iterations += 1
        resumed_optimizer.iterations += 1
        scheduler.step()
        resumed.step()
        assert resumed.get_last_lr() == scheduler.get_last_lr()
    with pytest.raises(ValueError, match="unknown entries"):
        resumed.load_state_dict({"T_max": 3})


def test_scheduler_warnings_and_errors():
    optimizer = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
    scheduler = lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    with pytest.warns(UserWarning, match="before optimizer.step"):
        scheduler.step()
    with pytest.raises(TypeError, match="expected an ndgrad optimizer"):
        lr_scheduler.StepLR(object(), step_size=1)
    with pytest.raises(ValueError, match="no parameter groups yet"):
        lr_scheduler.StepLR(ndgrad.optim.SGD(), step_size=1)
    keras_style = ndgrad.optim.SGD([ndgrad.Variable([0.0])],
                                   lr=ndgrad.optim.schedules.ExponentialDecay(1.0, 1, 0.5))
    with pytest.raises(TypeError, match="Keras schedule"):
        lr_scheduler.StepLR(keras_style, step_size=1)
    with pytest.raises(KeyError, match="initial_lr"):
        lr_scheduler.StepLR(ndgrad.optim.SGD([ndgrad.Variable([0.0])]), step_size=1,
                            last_epoch=3)
