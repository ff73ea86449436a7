"""PyTorch-style schedulers: 20 steps against torch.optim.lr_scheduler."""

import warnings

import pytest

import ndgrad
from ndgrad.optim import lr_scheduler

from .side_by_side import compare as _compare

torch = pytest.importorskip("torch")


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
    (SGD_MOMENTUM, "ConstantLR", {}),
    (("Adam", {"lr": 0.05}), "ConstantLR", {"factor": 0.5, "total_iters": 8}),
    (SGD_MOMENTUM, "PolynomialLR", {}),
    (("Adam", {"lr": 0.05}), "PolynomialLR", {"total_iters": 12, "power": 2.0}),
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


CLOSED_FORMS = [("StepLR", {"step_size": 3, "gamma": 0.5}),
                ("MultiStepLR", {"milestones": [2, 5, 5, 9], "gamma": 0.5}),
                ("ConstantLR", {"factor": 0.5, "total_iters": 4}),
                ("LinearLR", {"start_factor": 0.25, "total_iters": 6}),
                ("ExponentialLR", {"gamma": 0.9}),
                ("PolynomialLR", {"total_iters": 7, "power": 1.5}),
                ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.01})]


@pytest.mark.parametrize("name, kwargs", CLOSED_FORMS, ids=[c[0] for c in CLOSED_FORMS])
def test_step_with_an_epoch_jumps_to_the_closed_form_like_torch(name, kwargs):
    epochs = [3, 7, 4, 12, 0]

    def stepping(scheduler, step):
        if step < len(epochs):
            with pytest.warns(UserWarning, match="deprecated|epoch"):
                scheduler.step(epochs[step])
        else:
            scheduler.step()

    _compare(*SGD_MOMENTUM, name, kwargs, stepping=stepping)


def test_a_pytorch_style_optimizer_counts_as_stepped():
    class PlainSGD(ndgrad.optim.Optimizer):
        def __init__(self, params, lr):
            super().__init__(params, {"lr": lr})

        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    p.detach().numpy()[...] -= group["lr"] * p.grad.numpy()

    w = ndgrad.Variable([1.0])
    optimizer = PlainSGD([w], lr=1.0)
    scheduler = lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    w.grad = ndgrad.tensor([1.0])
    optimizer.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler.step()
    assert optimizer.param_groups[0]["lr"] == 0.5 and w.tolist() == [0.0]


def test_constant_lr_with_factor_zero_restores_the_base_rate():
    """PyTorch divides by the factor at total_iters (ZeroDivisionError for 0); a
    zero warm-up then restores the base rate."""
    optimizer = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.3)
    warmup = lr_scheduler.ConstantLR(optimizer, factor=0, total_iters=2)
    rates = [warmup.get_last_lr()[0]]
    for _ in range(3):
        optimizer.iterations += 1
        warmup.step()
        rates.append(warmup.get_last_lr()[0])
    assert rates == [0.0, 0.0, 0.3, 0.3]
