"""The extra activations against PyTorch (values and gradients) and finite differences."""

import numpy as np
import pytest
import torch

import ndgrad
from ndgrad import nn
from ndgrad.nn import functional as F

# Values away from the kinks (0, +-0.5, +-3), where both sides are smooth.
X = np.random.default_rng(0).permutation(np.linspace(-4.1, 4.3, 24)).astype(np.float32)
X = X.reshape(2, 3, 4)

MODULES = [("CELU", (0.7,)), ("Hardtanh", (-2.0, 1.5)), ("Hardsigmoid", ()), ("Hardswish", ()),
           ("LogSigmoid", ()), ("Softsign", ()), ("Softmin", (1,)), ("Softmax2d", ()),
           ("Threshold", (0.3, -2.0)), ("GLU", (2,)), ("Tanhshrink", ()), ("Hardshrink", (0.6,)),
           ("Softshrink", (0.6,))]
FUNCTIONS = [("hardswish", ()), ("softmin", (2,)), ("glu", (-1,)), ("threshold", (0.1, 5.0)),
             ("tanhshrink", ()), ("hardshrink", ()), ("softshrink", (0.3,))]


def _both(make_ours, make_theirs):
    x, tx = ndgrad.tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    ours, theirs = make_ours(x), make_theirs(tx)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-5,
                               atol=1e-6)
    weight = np.random.default_rng(1).standard_normal(theirs.shape).astype(np.float32)
    (ours * ndgrad.tensor(weight)).sum().backward()
    (theirs * torch.tensor(weight)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, args", MODULES)
def test_modules_match_pytorch(name, args):
    _both(getattr(nn, name)(*args), getattr(torch.nn, name)(*args))


@pytest.mark.parametrize("name, args", FUNCTIONS)
def test_functions_match_pytorch(name, args):
    _both(lambda x: getattr(F, name)(x, *args),
          lambda x: getattr(torch.nn.functional, name)(x, *args))


@pytest.mark.parametrize("count", [1, 3])
def test_prelu_learns_its_slopes_as_pytorch(count):
    ours, theirs = nn.PReLU(count, init=0.1), torch.nn.PReLU(count, init=0.1)
    _both(ours, theirs)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-5)
    assert [name for name, _ in ours.named_parameters()] == ["weight"]


@pytest.mark.parametrize("name, args", FUNCTIONS + [("prelu", (np.array([0.2, 0.3, 0.4]),))])
def test_gradients_against_finite_differences(name, args):
    x = X.astype(np.float64)
    assert ndgrad.gradcheck(lambda v: getattr(F, name)(v, *args), [x])


def test_bad_input():
    with pytest.raises(ndgrad.ShapeError, match="glu"):
        F.glu(ndgrad.ones((2, 3)))
    with pytest.raises(ndgrad.ShapeError, match="prelu"):
        F.prelu(ndgrad.ones((2, 4)), ndgrad.ones(3))
    with pytest.raises(ndgrad.ShapeError, match="Softmax2d"):
        nn.Softmax2d()(ndgrad.ones(3))
    with pytest.raises(ValueError, match="dim"):
        F.softmin(ndgrad.ones(3))
