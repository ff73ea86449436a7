"""torch.nn.utils: clipping, parameters as a vector, pad_sequence, refusals."""

import numpy as np
import pytest
import torch as real

import ndgrad.torch as torch
from ndgrad.torch.nn.utils import (clip_grad_norm_, clip_grad_value_, parameters_to_vector,
                                   vector_to_parameters)
from ndgrad.torch.nn.utils.rnn import pad_sequence


def test_parameters_to_vector_and_back():
    model = torch.nn.Linear(3, 2)
    vector = parameters_to_vector(model.parameters())
    assert vector.shape == (8,)
    vector_to_parameters(torch.arange(8.0), model.parameters())
    assert model.weight.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert model.bias.tolist() == [6.0, 7.0]
    loss = (parameters_to_vector(model.parameters()) ** 2).sum()
    loss.backward()
    assert model.bias.grad.tolist() == [12.0, 14.0]
    with pytest.raises(ValueError, match="8 elements"):
        vector_to_parameters(torch.zeros(3), model.parameters())


def test_clip_grad_norm_matches_pytorch():
    grads = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    ours, theirs = torch.zeros(2, 3, requires_grad=True), real.zeros(2, 3, requires_grad=True)
    (ours * torch.tensor(grads)).sum().backward()
    (theirs * real.tensor(grads)).sum().backward()
    assert clip_grad_norm_([ours], 0.5).item() == pytest.approx(
        real.nn.utils.clip_grad_norm_([theirs], 0.5).item(), rel=1e-6)
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-5)
    clip_grad_value_([ours], 0.1)
    assert np.abs(ours.grad.numpy()).max() <= 0.1


@pytest.mark.parametrize("kwargs", [{}, {"batch_first": True}, {"padding_value": -1.0},
                                    {"batch_first": True, "padding_side": "left"}])
def test_pad_sequence_matches_pytorch(kwargs):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((n, 2)).astype(np.float32) for n in (3, 1, 4)]
    ours = pad_sequence([torch.tensor(a) for a in arrays], **kwargs)
    theirs = real.nn.utils.rnn.pad_sequence([real.tensor(a) for a in arrays], **kwargs)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_pad_sequence_is_differentiable():
    a = torch.ones(2, requires_grad=True)
    pad_sequence([a, torch.ones(3)]).sum().backward()
    assert a.grad.tolist() == [1.0, 1.0]
