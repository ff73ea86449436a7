"""grad, value_and_grad, vjp, jacobian, hessian, and their composition."""

import numpy as np
import pytest

import ndgrad


def test_grad_of_a_scalar_function():
    assert ndgrad.grad(lambda x: (x ** 2).sum())(ndgrad.tensor([1.0, 2.0])).tolist() == [2.0, 4.0]


def test_grad_composes_to_higher_orders():
    f = lambda x: x ** 4  # noqa: E731
    x = ndgrad.tensor(2.0, dtype="float64")
    assert ndgrad.grad(f)(x).item() == 32.0
    assert ndgrad.grad(ndgrad.grad(f))(x).item() == 48.0
    assert ndgrad.grad(ndgrad.grad(ndgrad.grad(f)))(x).item() == 48.0


def test_grad_result_is_differentiable_when_the_input_requires_grad():
    x = ndgrad.Variable(3.0, dtype="float64")
    g = ndgrad.grad(lambda t: t ** 3)(x)
    assert g.requires_grad
    g.backward()
    assert x.grad.item() == 18.0


def test_grad_leaves_dot_grad_alone_and_input_untouched():
    w = ndgrad.Variable([1.0])
    ndgrad.grad(lambda t: (t * 2).sum())(w)
    assert w.grad is None and w.is_leaf


def test_argnums_and_has_aux():
    f = lambda x, y: ((x * y).sum(), "aux")  # noqa: E731
    gx, gy = ndgrad.grad(f, argnums=(0, 1), has_aux=True)(2.0, 5.0)[0]
    assert (gx.item(), gy.item()) == (5.0, 2.0)
    (value, aux), g = ndgrad.value_and_grad(f, has_aux=True)(2.0, 5.0)
    assert value.item() == 10.0 and aux == "aux" and g.item() == 5.0


def test_non_scalar_output_is_a_clear_error():
    with pytest.raises(ValueError, match="single-element"):
        ndgrad.grad(lambda x: x * 2)(ndgrad.ones(3))


def test_integer_argument_is_refused():
    with pytest.raises(TypeError, match="int64"):
        ndgrad.grad(lambda x: x.sum())(ndgrad.tensor([1, 2]))


def test_unused_argument_gets_zeros_and_a_warning():
    with pytest.warns(RuntimeWarning, match="argument\\(s\\) 1 got no gradient, zeros returned"):
        g = ndgrad.grad(lambda x, y: x.sum(), argnums=1)(ndgrad.ones(2), ndgrad.ones(3))
    assert g.tolist() == [0.0, 0.0, 0.0]


def test_vjp():
    out, pullback = ndgrad.vjp(lambda x, y: x * y, ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([3.0, 4.0]))
    assert out.tolist() == [3.0, 8.0]
    gx, gy = pullback(ndgrad.tensor([1.0, 1.0]))
    assert gx.tolist() == [3.0, 4.0] and gy.tolist() == [1.0, 2.0]


def test_jacobian_and_hessian():
    jac = ndgrad.jacobian(lambda x: ndgrad.stack([x[0] * x[1], ndgrad.sin(x[0])]))(
        ndgrad.tensor([0.0, 2.0], dtype="float64"))
    np.testing.assert_allclose(jac.numpy(), [[2.0, 0.0], [1.0, 0.0]])
    hess = ndgrad.hessian(lambda x: (x[0] ** 2) * x[1])(ndgrad.tensor([1.0, 3.0], dtype="float64"))
    np.testing.assert_allclose(hess.numpy(), [[6.0, 2.0], [2.0, 0.0]])
