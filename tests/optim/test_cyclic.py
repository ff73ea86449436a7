"""CyclicLR and CosineAnnealingWarmRestarts against torch.optim.lr_scheduler."""

import pytest

import ndgrad
from ndgrad.optim import lr_scheduler

from .side_by_side import compare

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("kwargs", [
    {},
    {"mode": "triangular2", "step_size_down": 2},
    {"base_lr": [0.01, 0.02], "max_lr": [0.1, 0.3], "base_momentum": [0.7, 0.8]},
    {"mode": "exp_range", "gamma": 0.97},
    {"scale_fn": lambda x: 1.0 / (1 + 0.1 * x), "scale_mode": "iterations"},
], ids=["triangular", "triangular2", "per-group", "exp_range", "scale_fn"])
def test_cyclic_lr_and_momentum_match_torch(kwargs):
    kwargs = {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, **kwargs}
    compare("SGD", {"lr": 0.05, "momentum": 0.9}, "CyclicLR", kwargs, momentum_key="momentum")


def test_cyclic_lr_cycles_adam_beta_1_like_torch():
    compare("Adam", {"lr": 0.05}, "CyclicLR",
            {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 4}, momentum_key="betas")


def test_cyclic_lr_without_momentum_cycling_on_adagrad():
    compare("Adagrad", {"lr": 0.1}, "CyclicLR",
            {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "cycle_momentum": False})
    with pytest.raises(ValueError, match="neither momentum nor betas"):
        lr_scheduler.CyclicLR(ndgrad.optim.Adagrad([ndgrad.Variable([0.0])]), 0.1, 1.0)
    with pytest.raises(ValueError, match="mode must be one of"):
        lr_scheduler.CyclicLR(ndgrad.optim.SGD([ndgrad.Variable([0.0])]), 0.1, 1.0,
                              mode="sine")


@pytest.mark.parametrize("kwargs", [{"T_0": 4}, {"T_0": 2, "T_mult": 2, "eta_min": 0.001},
                                    {"T_0": 3, "T_mult": 3}])
def test_warm_restarts_match_torch(kwargs):
    compare("SGD", {"lr": 0.05, "momentum": 0.9}, "CosineAnnealingWarmRestarts", kwargs)


@pytest.mark.parametrize("T_mult", [1, 2])  # noqa: N803 (torch's name)
def test_warm_restarts_stepped_per_batch_with_fractional_epochs_match_torch(T_mult):  # noqa: N803
    batches = 4
    compare("SGD", {"lr": 0.05}, "CosineAnnealingWarmRestarts",
            {"T_0": 2, "T_mult": T_mult, "eta_min": 0.01},
            stepping=lambda scheduler, step: scheduler.step(step / batches + 0.1))


def test_warm_restarts_check_their_arguments():
    optimizer = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
    with pytest.raises(ValueError, match="T_0 must be a positive int"):
        lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=0)
    with pytest.raises(ValueError, match="T_mult must be an int >= 1"):
        lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=2, T_mult=1.5)
    scheduler = lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=2)
    with pytest.raises(ValueError, match="epoch must be >= 0"):
        scheduler.step(-1)
