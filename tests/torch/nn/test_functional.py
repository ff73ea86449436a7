"""torch.nn.functional: the core's functions, with PyTorch's inplace= accepted."""

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as torch
import ndgrad.torch.nn.functional as F

from ..oracle import compare, floats


def test_every_core_function_is_here():
    for name in ndgrad.nn.functional.__all__:
        assert hasattr(F, name), name
    assert F.linear is ndgrad.nn.functional.linear
    assert F.cross_entropy is ndgrad.nn.functional.cross_entropy


@pytest.mark.parametrize("name, extra", [("relu", ()), ("relu6", ()), ("leaky_relu", (0.2,)),
                                         ("elu", (0.5,)), ("selu", ()), ("celu", (1.5,)),
                                         ("silu", ()), ("mish", ()), ("hardtanh", (-0.5, 0.5)),
                                         ("hardsigmoid", ())])
def test_activations_take_inplace_by_keyword_and_position(name, extra):
    x = floats(3, 4)
    compare(name, x, *extra, call=lambda t: getattr(t.nn.functional, name))

    def ours_inplace_theirs_not(t):     # PyTorch refuses inplace on a leaf that needs grad
        function = getattr(t.nn.functional, name)
        if t is torch:
            return lambda v: function(v, *extra, True)
        return lambda v: function(v, *extra)
    compare(name, x, call=ours_inplace_theirs_not)
    ours = getattr(F, name)(torch.tensor(x), *extra, inplace=True)
    theirs = getattr(real.nn.functional, name)(real.tensor(x), *extra, inplace=True)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


def test_inplace_leaves_the_input_as_it_was():
    x = torch.tensor([-1.0, 1.0])
    assert F.relu(x, inplace=True).tolist() == [0.0, 1.0] and x.tolist() == [-1.0, 1.0]


def test_dropout_signature():
    x = torch.ones(1000)
    assert F.dropout(x, 0.5, False).tolist() == x.tolist()
    assert F.dropout(x, p=0.2, training=False, inplace=True).tolist() == x.tolist()
    kept = F.dropout(x, 0.5, True).numpy()
    assert set(np.unique(kept)) <= {0.0, 2.0} and 0.4 < (kept > 0).mean() < 0.6
    assert F.dropout2d(torch.ones(2, 3, 4, 4), 0.5, training=False).shape == (2, 3, 4, 4)


def test_losses_and_softmax_against_pytorch():
    logits, target = floats(4, 5), np.array([0, 3, 1, 4])
    for kwargs in ({}, {"reduction": "sum"}, {"label_smoothing": 0.1}):
        compare("cross_entropy", logits, target, **kwargs,
                call=lambda t: t.nn.functional.cross_entropy)
    compare("nll_loss", logits, target, reduction="sum", call=lambda t: t.nn.functional.nll_loss)
    compare("log_softmax", logits, dim=1, call=lambda t: t.nn.functional.log_softmax)
    compare("mse_loss", logits, floats(4, 5, seed=1), call=lambda t: t.nn.functional.mse_loss)


def test_legacy_size_average_of_the_old_mnist_example():
    logits = floats(4, 5)
    target = np.array([0, 3, 1, 4])
    ours = F.nll_loss(F.log_softmax(torch.tensor(logits), dim=1), torch.tensor(target),
                      size_average=False)
    with pytest.warns(UserWarning):
        theirs = real.nn.functional.nll_loss(
            real.nn.functional.log_softmax(real.tensor(logits), dim=1), real.tensor(target),
            size_average=False)
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-5)
