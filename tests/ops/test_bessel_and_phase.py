"""i0 and unwrap beyond the op table: I1 (i0's derivative) against PyTorch over
the whole range, higher orders, complex input refused, constants refused."""

import numpy as np
import pytest

import ndgrad
from ndgrad.autograd.gradients import grad

torch = pytest.importorskip("torch")


def test_the_derivative_of_i0_is_torchs_i1_everywhere():
    x = np.concatenate([np.linspace(-40, 40, 801), [0.0, 19.999, 20.0, 20.001, 300.0, 700.0]])
    w = ndgrad.Variable(x, dtype="float64")
    np.i0(w).sum().backward()
    expected = torch.special.i1(torch.tensor(x)).numpy()
    np.testing.assert_allclose(w.grad.numpy(), expected, rtol=1e-13, atol=1e-300)


def test_i0_higher_orders_match_torch():
    x = np.array([-3.0, 0.0, 0.7, 25.0])
    ours = ndgrad.tensor(x, dtype="float64", requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    g_ours = grad(np.i0(ours).sum(), ours, create_graph=True)[0]
    g_theirs = torch.autograd.grad(torch.special.i0(theirs).sum(), theirs, create_graph=True)[0]
    h_ours = grad(g_ours.sum(), ours, create_graph=True)[0]
    h_theirs = torch.autograd.grad(g_theirs.sum(), theirs, create_graph=True)[0]
    np.testing.assert_allclose(h_ours.numpy(), h_theirs.detach().numpy(), rtol=1e-12)
    third = grad(h_ours.sum(), ours)[0]
    third_theirs = torch.autograd.grad(h_theirs.sum(), theirs)[0]
    np.testing.assert_allclose(third.numpy(), third_theirs.numpy(), rtol=1e-10, atol=1e-12)


def test_i0_keeps_float32_and_refuses_complex():
    assert np.i0(ndgrad.ones(2)).dtype == np.float32
    with pytest.raises(TypeError):
        np.i0(np.array([1j]))
    with pytest.raises(ndgrad.DTypeError, match="i0: complex"):
        np.i0(ndgrad.tensor([1j]))


def test_unwrap_refuses_a_trainable_period_and_complex_input():
    x = ndgrad.Variable([0.0, 3.5, 7.0])
    with pytest.raises(TypeError, match="period is a constant"):
        np.unwrap(x, period=ndgrad.Variable(4.0))
    with pytest.raises(ndgrad.DTypeError, match="unwrap: complex"):
        np.unwrap(ndgrad.tensor([1j, 2j]))
    got = np.unwrap(x, period=ndgrad.tensor(4.0), discont=1.0)
    np.testing.assert_allclose(got.numpy(), np.unwrap(x.numpy(), period=4.0, discont=1.0))
