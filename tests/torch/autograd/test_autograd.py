"""torch.autograd: grad, backward, Function, Variable, gradcheck, functional."""

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as torch


def test_grad_matches_pytorch_including_second_order():
    values = np.array([0.5, -1.0, 2.0], np.float32)
    x, rx = torch.tensor(values, requires_grad=True), real.tensor(values, requires_grad=True)
    (g,) = torch.autograd.grad((torch.sin(x) * x).sum(), x, create_graph=True)
    (rg,) = real.autograd.grad((real.sin(rx) * rx).sum(), rx, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), rg.detach().numpy(), rtol=1e-6)
    (g2,) = torch.autograd.grad(g.sum(), x)
    (rg2,) = real.autograd.grad(rg.sum(), rx)
    np.testing.assert_allclose(g2.numpy(), rg2.numpy(), rtol=1e-5)
    assert x.grad is None


def test_grad_outputs_several_inputs_and_unused():
    a, b, c = (torch.tensor([1.0, 2.0], requires_grad=True) for _ in range(3))
    y = a * b
    ga, gb = torch.autograd.grad(y, (a, b), grad_outputs=torch.tensor([1.0, 10.0]),
                                 retain_graph=True)
    assert ga.tolist() == [1.0, 20.0] and gb.tolist() == [1.0, 20.0]
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        torch.autograd.grad(y.sum(), [a, c], retain_graph=True)
    _, unused = torch.autograd.grad(y.sum(), [a, c], allow_unused=True, retain_graph=True)
    assert unused is None
    _, zeros = torch.autograd.grad(y.sum(), [a, c], materialize_grads=True)
    assert zeros.tolist() == [0.0, 0.0]


def test_grad_of_a_tensor_without_graph_is_an_error():
    x = torch.ones(1, requires_grad=True)
    with torch.no_grad():
        y = x * 2
    with pytest.raises(RuntimeError, match="does not require grad"):
        torch.autograd.grad(y, x)


def test_backward_of_several_roots():
    x = torch.ones(2, requires_grad=True)
    torch.autograd.backward([(x * 3).sum(), x * x], [None, torch.tensor([1.0, 2.0])])
    assert x.grad.tolist() == [5.0, 7.0]
    w = torch.tensor(2.0, requires_grad=True)
    torch.autograd.backward([(x * w).sum()], inputs=[w])      # only w's .grad changes
    assert w.grad.item() == 2.0 and x.grad.tolist() == [5.0, 7.0]


def test_custom_function_as_pytorch_writes_it():
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            result = torch.exp(x)
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result

    x = torch.tensor([0.0, 1.0], requires_grad=True)
    Exp.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.0, 1.0]), rtol=1e-6)
    assert torch.autograd.Function is ndgrad.Function
    assert torch.autograd.gradcheck(Exp.apply, (torch.randn(3, dtype=torch.float64,
                                                            requires_grad=True),))


def test_gradcheck_reports_a_wrong_backward():
    class Wrong(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 3

    inputs = (torch.randn(2, dtype=torch.float64),)
    assert torch.autograd.gradcheck(Wrong.apply, inputs, raise_exception=False) is False
    with pytest.raises(AssertionError):
        torch.autograd.gradcheck(Wrong.apply, inputs)
    assert torch.autograd.gradgradcheck(lambda v: v ** 3, inputs)


def test_variable_is_a_legacy_alias_of_tensor():
    t = torch.ones(2)
    assert torch.autograd.Variable(t) is t
    v = torch.autograd.Variable(t, requires_grad=True)
    assert v.requires_grad and v.is_leaf and not t.requires_grad
    assert isinstance(t, torch.autograd.Variable) and not isinstance(1.0, torch.autograd.Variable)


def test_functional_jacobian_hessian_vjp_against_pytorch():
    values = np.array([0.3, -0.7], np.float32)

    def f(t):
        return lambda x: (x ** 3).sum() * 0.5 + (x[0] * x[1] if t is torch else x[0] * x[1])

    ours = torch.autograd.functional.hessian(f(torch), torch.tensor(values))
    theirs = real.autograd.functional.hessian(f(real), real.tensor(values))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5)
    ours = torch.autograd.functional.jacobian(torch.sin, torch.tensor(values))
    theirs = real.autograd.functional.jacobian(real.sin, real.tensor(values))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
    out, vjp = torch.autograd.functional.vjp(torch.sin, torch.tensor(values), torch.ones(2))
    np.testing.assert_allclose(vjp.numpy(), np.cos(values), rtol=1e-6)
    with pytest.raises(ValueError, match="strict and vectorize are not supported"):
        torch.autograd.functional.jacobian(torch.sin, torch.ones(1), vectorize=True)
    w = torch.tensor(2.0, requires_grad=True)
    closure = lambda v: torch.sin(w * v)  # noqa: E731
    assert not torch.autograd.functional.jacobian(closure, torch.ones(1)).requires_grad
    jac = torch.autograd.functional.jacobian(closure, torch.ones(1), create_graph=True)
    jac.sum().backward()                  # d/dw [w cos(w)] = cos(w) - w sin(w)
    np.testing.assert_allclose(w.grad.item(), np.cos(2.0) - 2.0 * np.sin(2.0), rtol=1e-6)


def test_anomaly_switch():
    with torch.autograd.set_detect_anomaly(True):
        w = torch.tensor([0.0], requires_grad=True)
        with pytest.raises(ndgrad.AnomalyError), np.errstate(divide="ignore"):
            torch.sqrt(w).sum().backward()
    assert not ndgrad.autograd.mode.state.anomaly
    torch.autograd.set_detect_anomaly(True)
    assert ndgrad.autograd.mode.state.anomaly
    torch.autograd.set_detect_anomaly(False)
    assert not ndgrad.autograd.mode.state.anomaly
