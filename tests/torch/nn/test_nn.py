"""torch.nn is ndgrad.nn: every core name, the submodules, PyTorch-style models."""

import types

import numpy as np
import torch as real

import ndgrad
import ndgrad.torch as torch
import ndgrad.torch.nn as nn


def test_every_core_name_is_re_exported_as_the_same_object():
    core = {name: value for name, value in vars(ndgrad.nn).items()
            if not name.startswith("_") and not isinstance(value, types.ModuleType)}
    assert core and all(getattr(nn, name) is value for name, value in core.items())
    assert nn.Module is ndgrad.nn.Module and nn.Parameter is ndgrad.nn.Parameter


def test_submodules_are_the_faces():
    import ndgrad.torch.nn.functional as F
    import ndgrad.torch.nn.init as init
    from ndgrad.torch.nn.parameter import Parameter
    from ndgrad.torch.nn.utils import clip_grad_norm_
    assert nn.functional is F and nn.init is init and Parameter is nn.Parameter
    assert clip_grad_norm_ is ndgrad.optim.clip_grad_norm_


class Net(nn.Module):
    """The pytorch/examples MNIST network, written as PyTorch users write it."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1)
        self.fc1 = nn.Linear(4 * 13 * 13, 10)

    def forward(self, x):
        x = nn.functional.relu(self.conv1(x))
        x = nn.functional.max_pool2d(x, 2)
        x = torch.flatten(x, 1)
        return nn.functional.log_softmax(self.fc1(x), dim=1)


def test_a_model_matches_pytorch_with_the_same_weights():
    ours = Net()
    theirs = real.nn.Sequential(real.nn.Conv2d(1, 4, 3, 1), real.nn.ReLU(), real.nn.MaxPool2d(2),
                                real.nn.Flatten(), real.nn.Linear(4 * 13 * 13, 10),
                                real.nn.LogSoftmax(dim=1))
    with real.no_grad():
        theirs[0].weight.copy_(real.tensor(ours.conv1.weight.numpy()))
        theirs[0].bias.copy_(real.tensor(ours.conv1.bias.numpy()))
        theirs[4].weight.copy_(real.tensor(ours.fc1.weight.numpy()))
        theirs[4].bias.copy_(real.tensor(ours.fc1.bias.numpy()))
    x = np.random.default_rng(0).standard_normal((2, 1, 28, 28)).astype(np.float32)
    np.testing.assert_allclose(ours(torch.tensor(x)).detach().numpy(),
                               theirs(real.tensor(x)).detach().numpy(), rtol=1e-4, atol=1e-5)
    assert sorted(ours.state_dict()) == ["conv1.bias", "conv1.weight", "fc1.bias", "fc1.weight"]
