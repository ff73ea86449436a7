"""Nested differentiation is exact: closures, mixed partials and higher orders
of grad, value_and_grad, vjp, jacobian and hessian, each against PyTorch
(torch.func, torch.autograd.grad with create_graph) and float64 finite
differences (issue 12, item 4)."""

import math

import numpy as np
import pytest
import torch

import ndgrad
from ndgrad.autograd.mode import state

# torch.func scripts a helper with torch.jit, which PyTorch 2.13 calls deprecated
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")

X0, Y0 = 0.7, -0.4
H = 1e-5


def nd(value):
    return ndgrad.tensor(value, dtype="float64")


def th(value, requires_grad=False):
    return torch.tensor(value, dtype=torch.float64, requires_grad=requires_grad)


def central(function, x, h=H):
    """d/dx function(x) by central differences (function maps a float to a float)."""
    return (function(x + h) - function(x - h)) / (2 * h)


def f_nd(a, b):
    return ndgrad.sin(ndgrad.sin(a) + ndgrad.sin(b))


def f_th(a, b):
    return torch.sin(torch.sin(a) + torch.sin(b))


def f_float(a, b):
    return math.sin(math.sin(a) + math.sin(b))


# -------------------------------------------------------------- closures over an outer x
def closure_grad_nd(x):
    w = nd(x).requires_grad_()
    y = w * ndgrad.grad(lambda v: w * v * v)(nd(2.0))        # x * (4x) = 4 x^2
    y.backward()
    return w.grad.item()


def closure_grad_th(x):
    w = th(x, True)
    y = w * torch.func.grad(lambda v: w * v * v)(th(2.0))
    y.backward()
    return w.grad.item()


def closure_value_and_grad_nd(x):
    w = nd(x).requires_grad_()
    value, g = ndgrad.value_and_grad(lambda v: ndgrad.sin(w * v))(nd(1.5))
    (value + g).backward()
    return w.grad.item()


def closure_value_and_grad_th(x):
    w = th(x, True)
    g, value = torch.func.grad_and_value(lambda v: torch.sin(w * v))(th(1.5))
    (value + g).backward()
    return w.grad.item()


def closure_vjp_nd(x):
    w = nd(x).requires_grad_()
    out, pullback = ndgrad.vjp(lambda v: ndgrad.exp(w * v), nd([0.5, 1.0]))
    (cotangent,) = pullback(nd([1.0, 2.0]))
    (out.sum() + cotangent.sum()).backward()
    return w.grad.item()


def closure_vjp_th(x):
    w = th(x, True)
    out, pullback = torch.func.vjp(lambda v: torch.exp(w * v), th([0.5, 1.0]))
    (cotangent,) = pullback(th([1.0, 2.0]))
    (out.sum() + cotangent.sum()).backward()
    return w.grad.item()


def closure_jacobian_nd(x):
    w = nd(x).requires_grad_()
    jac = ndgrad.jacobian(lambda v: ndgrad.tanh(w * v) * v)(nd([0.3, -1.2]))
    (jac * nd([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    return w.grad.item()


def closure_jacobian_th(x):
    w = th(x, True)
    jac = torch.func.jacrev(lambda v: torch.tanh(w * v) * v)(th([0.3, -1.2]))
    (jac * th([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    return w.grad.item()


def closure_hessian_nd(x):
    w = nd(x).requires_grad_()
    hess = ndgrad.hessian(lambda v: (ndgrad.sin(w * v) * v).sum())(nd([0.3, -1.2]))
    hess.sum().backward()
    return w.grad.item()


def closure_hessian_th(x):
    w = th(x, True)
    hess = torch.func.hessian(lambda v: (torch.sin(w * v) * v).sum())(th([0.3, -1.2]))
    hess.sum().backward()
    return w.grad.item()


def _closure_value(kind):
    """The scalar whose x-derivative each closure case takes, in plain floats."""
    def value(x):
        if kind == "grad":
            return x * (x * 4.0)
        if kind == "value_and_grad":
            return math.sin(x * 1.5) + x * math.cos(x * 1.5)
        if kind == "vjp":
            v, c = np.array([0.5, 1.0]), np.array([1.0, 2.0])
            return float(np.exp(x * v).sum() + (c * x * np.exp(x * v)).sum())
        v, weights = np.array([0.3, -1.2]), np.array([[1.0, 2.0], [3.0, 4.0]])
        if kind == "jacobian":
            d = (1 - np.tanh(x * v) ** 2) * x * v + np.tanh(x * v)
            return float((np.diag(d) * weights).sum())
        # hessian of sum(sin(x v) v): diagonal 2x cos(x v) - x^2 v sin(x v)
        return float((2 * x * np.cos(x * v) - x * x * v * np.sin(x * v)).sum())
    return value


CLOSURES = {
    "grad": (closure_grad_nd, closure_grad_th),
    "value_and_grad": (closure_value_and_grad_nd, closure_value_and_grad_th),
    "vjp": (closure_vjp_nd, closure_vjp_th),
    "jacobian": (closure_jacobian_nd, closure_jacobian_th),
    "hessian": (closure_hessian_nd, closure_hessian_th),
}


@pytest.mark.parametrize("kind", CLOSURES)
def test_a_transformation_closing_over_x_is_differentiable_by_x(kind):
    ours, theirs = CLOSURES[kind]
    got = ours(X0)
    np.testing.assert_allclose(got, theirs(X0), rtol=1e-10)
    np.testing.assert_allclose(got, central(_closure_value(kind), X0), rtol=1e-6)
    assert state.transforms == 0


def test_the_issue_example_gives_two_x():
    x = ndgrad.tensor(3.0, requires_grad=True)
    y = x * ndgrad.grad(lambda y: x * y)(ndgrad.tensor(2.0))
    y.backward()
    assert x.grad.item() == 6.0


# -------------------------------------------------------------- mixed partials and orders
def _partial(function, index):
    """d/d(arg index) of a float function of two floats, by central differences."""
    if index == 0:
        return lambda a, b: central(lambda t: function(t, b), a)
    return lambda a, b: central(lambda t: function(a, t), b)


ORDERS = {
    # name: (ndgrad transformation of f, torch.func transformation of f, argument order)
    "d/dx d/dy": (lambda f: ndgrad.grad(ndgrad.grad(f, 1)),
                  lambda f: torch.func.grad(torch.func.grad(f, 1)), (1, 0)),
    "d/dy d/dx": (lambda f: ndgrad.grad(ndgrad.grad(f, 0), 1),
                  lambda f: torch.func.grad(torch.func.grad(f, 0), 1), (0, 1)),
    "d/dx d/dx": (lambda f: ndgrad.grad(ndgrad.grad(f)),
                  lambda f: torch.func.grad(torch.func.grad(f)), (0, 0)),
    "d/dy d/dx d/dy": (lambda f: ndgrad.grad(ndgrad.grad(ndgrad.grad(f, 1)), 1),
                       lambda f: torch.func.grad(torch.func.grad(torch.func.grad(f, 1)), 1),
                       (1, 0, 1)),
    "d/dx d/dx d/dx": (lambda f: ndgrad.grad(ndgrad.grad(ndgrad.grad(f))),
                       lambda f: torch.func.grad(torch.func.grad(torch.func.grad(f))),
                       (0, 0, 0)),
}


@pytest.mark.parametrize("name", ORDERS)
def test_mixed_partials_and_higher_orders_match_torch_func_and_finite_differences(name):
    ours, theirs, indices = ORDERS[name]
    got = ours(f_nd)(nd(X0), nd(Y0))
    assert not got.requires_grad           # nothing outside can differentiate it
    expected = theirs(f_th)(th(X0), th(Y0)).item()
    np.testing.assert_allclose(got.item(), expected, rtol=1e-10)
    # Finite differences one order below, of the exact (torch) derivative of the rest.
    inner = f_th
    for index in indices[:-1]:
        inner = torch.func.grad(inner, index)
    last = _partial(lambda a, b: inner(th(a), th(b)).item(), indices[-1])
    np.testing.assert_allclose(got.item(), last(X0, Y0), rtol=1e-6)


def test_the_mixed_partial_of_the_issue_is_not_zero():
    f = lambda x, y: ndgrad.sin(ndgrad.sin(x) + ndgrad.sin(y))  # noqa: E731
    got = ndgrad.grad(ndgrad.grad(f, 1))(nd(X0), nd(Y0)).item()
    # d2f/dxdy = -sin(sin x + sin y) cos x cos y
    exact = -math.sin(math.sin(X0) + math.sin(Y0)) * math.cos(X0) * math.cos(Y0)
    assert abs(got - exact) < 1e-12 and abs(exact) > 0.1


def test_second_order_of_f_itself_by_finite_differences():
    second = ndgrad.grad(ndgrad.grad(f_nd, 1), 0)(nd(X0), nd(Y0)).item()
    h = 1e-4
    stencil = (f_float(X0 + h, Y0 + h) - f_float(X0 + h, Y0 - h)
               - f_float(X0 - h, Y0 + h) + f_float(X0 - h, Y0 - h)) / (4 * h * h)
    np.testing.assert_allclose(second, stencil, rtol=1e-6)


def test_third_order_by_finite_differences_of_the_function():
    third = ndgrad.grad(ndgrad.grad(ndgrad.grad(lambda x: ndgrad.sin(x) * ndgrad.exp(x))))(
        nd(X0)).item()
    h = 1e-3
    g = lambda x: math.sin(x) * math.exp(x)  # noqa: E731
    stencil = (g(X0 + 2 * h) - 2 * g(X0 + h) + 2 * g(X0 - h) - g(X0 - 2 * h)) / (2 * h ** 3)
    np.testing.assert_allclose(third, stencil, rtol=1e-5)


# -------------------------------------------------------------- outer tapes and autograd.grad
def test_inside_a_gradient_tape_the_closure_is_differentiated():
    c = nd(1.3)
    with ndgrad.GradientTape() as tape:
        tape.watch(c)
        g = ndgrad.grad(lambda y: c * y * y)(nd(3.0))            # 2 c y
    assert tape.gradient(g, c).item() == 6.0


def test_inside_torch_autograd_grad_with_create_graph():
    def ours():
        w = nd([0.5, -0.3]).requires_grad_()
        inner = ndgrad.grad(lambda v: (ndgrad.sin(w * v) ** 2).sum())(nd([1.0, 2.0]))
        (first,) = ndgrad.autograd.grad(inner.sum(), w, create_graph=True)
        (second,) = ndgrad.autograd.grad(first.sum(), w)
        return first.numpy(), second.numpy()

    def theirs():
        w = th([0.5, -0.3], True)
        inner = torch.func.grad(lambda v: (torch.sin(w * v) ** 2).sum())(th([1.0, 2.0]))
        (first,) = torch.autograd.grad(inner.sum(), w, create_graph=True)
        (second,) = torch.autograd.grad(first.sum(), w)
        return first.detach().numpy(), second.numpy()

    for got, expected in zip(ours(), theirs()):
        np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_hessian_of_a_closure_matches_torch_and_is_symmetric():
    w = nd([[1.0, 0.5], [0.2, -0.7]])
    ours = ndgrad.hessian(lambda v: ndgrad.tanh(w @ v).sum() * (v * v).sum())(nd([0.4, 0.9]))
    wt = th([[1.0, 0.5], [0.2, -0.7]])
    theirs = torch.func.hessian(lambda v: torch.tanh(wt @ v).sum() * (v * v).sum())(th([0.4, 0.9]))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.numpy(), ours.numpy().T, rtol=1e-12)


def test_jacobian_of_grad_with_two_arguments_matches_torch():
    ours = ndgrad.jacobian(ndgrad.grad(f_nd, 1), argnums=(0, 1))(nd(X0), nd(Y0))
    theirs = torch.func.jacrev(torch.func.grad(f_th, 1), argnums=(0, 1))(th(X0), th(Y0))
    np.testing.assert_allclose([o.item() for o in ours], [t.item() for t in theirs], rtol=1e-10)


# -------------------------------------------------------------- nothing recorded needlessly
def test_a_call_on_constants_keeps_no_graph_and_leaves_no_trainable_leaf():
    value, g = ndgrad.value_and_grad(lambda x: ((x * x).sum(), x), has_aux=True)(nd([1.0, 2.0]))
    (total, aux) = value
    assert not total.requires_grad and not g.requires_grad and g.grad_fn is None
    assert not aux.requires_grad and not aux._rg          # the call's own leaf, released
    assert state.transforms == 0


def test_under_no_grad_a_closure_is_a_constant():
    x = nd(2.0).requires_grad_()
    with ndgrad.no_grad():
        g = ndgrad.grad(lambda y: x * y * y)(nd(3.0))
    assert not g.requires_grad and g.item() == 12.0


def test_a_trainable_argument_stays_connected_and_unchanged():
    w = nd([1.0, 2.0]).requires_grad_()
    g = ndgrad.grad(lambda t: (t ** 3).sum())(w)
    assert g.requires_grad and w.grad is None and w.is_leaf and w.tolist() == [1.0, 2.0]
    g.sum().backward()
    assert w.grad.tolist() == [6.0, 12.0]
