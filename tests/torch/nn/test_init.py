"""torch.nn.init: PyTorch's in-place fills, the core's functions."""

import numpy as np

import ndgrad
import ndgrad.torch as torch
import ndgrad.torch.nn.init as init


def test_names_are_the_core_fills_without_the_keras_ones():
    for name in init.__all__:
        assert getattr(init, name) is getattr(ndgrad.nn.init, name)
    assert "get" not in init.__all__ and "kaiming_uniform_" in init.__all__
    assert init._calculate_fan_in_and_fan_out(torch.empty(8, 4, 3, 3)) == (36, 72)


def test_fills_in_place_with_pytorch_bounds():
    w = torch.nn.Parameter(torch.empty(64, 32))
    assert init.kaiming_uniform_(w, a=5 ** 0.5) is w
    bound = 1 / np.sqrt(32)
    assert np.abs(w.numpy()).max() <= bound and np.abs(w.numpy()).max() > 0.9 * bound
    init.zeros_(w)
    assert not w.numpy().any()
    init.constant_(w, 0.5)
    assert (w.numpy() == 0.5).all()
    init.xavier_normal_(w, gain=init.calculate_gain("tanh"))
    assert abs(w.numpy().std() - 5 / 3 * np.sqrt(2 / 96)) < 0.02
