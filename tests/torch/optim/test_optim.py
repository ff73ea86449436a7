"""torch.optim and torch.optim.lr_scheduler are the core's optimizers and schedulers."""

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as torch
from ndgrad.torch.optim.lr_scheduler import StepLR


def test_optimizers_are_the_core_classes_without_keras_names():
    for name in torch.optim.CORE_NAMES:
        assert getattr(torch.optim, name) is getattr(ndgrad.optim, name)
    assert {"SGD", "Adam", "AdamW", "Adadelta", "LBFGS", "Optimizer"} <= set(torch.optim.__all__)
    assert "Nadam" not in torch.optim.__all__ and "get" not in torch.optim.__all__
    assert StepLR is ndgrad.optim.lr_scheduler.StepLR
    assert torch.optim.lr_scheduler._LRScheduler is ndgrad.optim.lr_scheduler.LRScheduler


@pytest.mark.parametrize("name, kwargs", [("SGD", {"lr": 0.1, "momentum": 0.5}),
                                          ("Adadelta", {"lr": 1.0}), ("Adam", {"lr": 0.01})])
def test_steps_and_step_lr_match_pytorch(name, kwargs):
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal((3, 2)).astype(np.float32)
    x = rng.standard_normal((5, 3)).astype(np.float32)
    ours_w, theirs_w = torch.nn.Parameter(torch.tensor(w0)), real.nn.Parameter(real.tensor(w0))
    ours_opt = getattr(torch.optim, name)([ours_w], **kwargs)
    theirs_opt = getattr(real.optim, name)([theirs_w], **kwargs)
    ours_s = StepLR(ours_opt, step_size=1, gamma=0.7)
    theirs_s = real.optim.lr_scheduler.StepLR(theirs_opt, step_size=1, gamma=0.7)
    for _ in range(3):
        ours_opt.zero_grad()
        theirs_opt.zero_grad()
        (torch.tensor(x) @ ours_w).tanh().sum().backward()
        (real.tensor(x) @ theirs_w).tanh().sum().backward()
        ours_opt.step()
        theirs_opt.step()
        ours_s.step()
        theirs_s.step()
    np.testing.assert_allclose(ours_w.detach().numpy(), theirs_w.detach().numpy(), rtol=1e-5,
                               atol=1e-6)
    assert ours_s.get_last_lr() == pytest.approx(theirs_s.get_last_lr())
