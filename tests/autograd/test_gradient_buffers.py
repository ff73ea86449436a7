"""Who owns a gradient array: the walk takes over fresh gradients instead of
copying them, adds in place only to sums nobody else holds, lays a leaf's
gradient out like the leaf, and runs array rules on arrays without changing
any number."""

import numpy as np
import pytest

import ndgrad
from ndgrad.autograd import ownership
from ndgrad.autograd.primitive import primitive

torch = pytest.importorskip("torch")


def _fresh_rule_op():
    """An op whose rule returns a new array, and remembers its address."""
    made = []

    @primitive
    def double(x):
        return x * 2

    @double.defvjp
    def _double_vjp(g, out, x):
        result = g * 2
        made.append(result._data.ctypes.data)
        return result

    return double, made


def test_a_fresh_gradient_becomes_the_leaf_grad_without_a_copy():
    double, made = _fresh_rule_op()
    w = ndgrad.Variable(np.ones((3, 4), dtype=np.float32))
    double(w).sum().backward()
    assert w.grad._data.ctypes.data == made[-1]
    assert w.grad.tolist() == [[2.0] * 4] * 3


def test_a_gradient_someone_else_holds_is_copied():
    @primitive
    def same(x):
        return x.copy()

    @same.defvjp
    def _same_vjp(g, out, x):
        return g                       # the incoming gradient, passed through

    w = ndgrad.Variable([1.0, 2.0])
    seed = ndgrad.tensor([5.0, 6.0])
    same(w).backward(seed)
    assert not np.shares_memory(w.grad._data, seed._data)
    w.grad._data += 1                   # the user's seed is not touched
    assert seed.tolist() == [5.0, 6.0]


def test_one_gradient_returned_for_two_leaves_gives_each_its_own():
    a, b = ndgrad.Variable([1.0, 2.0]), ndgrad.Variable([3.0, 4.0])
    (a * 1.0 + b).backward(ndgrad.tensor([1.0, 1.0]))
    assert not np.shares_memory(a.grad._data, b.grad._data)
    (a + b).backward(ndgrad.tensor([1.0, 1.0]))
    assert a.grad.tolist() == [2.0, 2.0] and b.grad.tolist() == [2.0, 2.0]


def test_a_gradient_kept_by_a_custom_rule_is_not_taken_over():
    kept = []

    @primitive
    def keep(x):
        return x * 3

    @keep.defvjp
    def _keep_vjp(g, out, x):
        result = g * 3
        kept.append(result)            # the rule keeps a reference
        return result

    w = ndgrad.Variable([1.0])
    keep(w).sum().backward()
    w.grad._data += 100
    assert kept[0].tolist() == [3.0] and w.grad.tolist() == [103.0]


def test_sums_of_gradients_are_exact_when_added_in_place():
    x = ndgrad.Variable([0.5, -1.5, 2.0])
    y = x * x * x + x * 3.0 + (x * x) * 2.0   # x used many times: pending sums
    y.sum().backward()
    expected = 3 * np.array([0.5, -1.5, 2.0]) ** 2 + 3 + 4 * np.array([0.5, -1.5, 2.0])
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6)


def test_a_tensor_added_to_itself_and_shared_gradients_stay_correct():
    x = ndgrad.Variable([1.0, 2.0])
    h = x * 2.0
    (h + h + h * h).sum().backward()           # d/dx = 2 + 2 + 8x
    assert x.grad.tolist() == [12.0, 20.0]


def test_retain_graph_backward_twice_gives_the_same_gradient_twice():
    x = ndgrad.Variable([1.0, -2.0])
    h = x * x
    y = (h + h * 3.0).sum()
    y.backward(retain_graph=True)
    first = x.grad.numpy().copy()
    x.grad = None
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), first)


@pytest.mark.parametrize("make", [lambda x, w: x @ w.T, lambda x, w: ndgrad.matmul(x, w.T),
                                  lambda x, w: ndgrad.nn.functional.linear(x, w)])
def test_a_transposed_weight_gets_a_gradient_laid_out_like_itself(make):
    w = ndgrad.Variable(np.ones((5, 3), dtype=np.float32))
    make(ndgrad.ones((2, 3)), w).sum().backward()
    assert w.grad._data.flags.c_contiguous and w.grad.shape == (5, 3)


def test_the_ownership_check_is_calibrated_for_this_python():
    t = ndgrad.tensor([1.0])
    assert ownership.unshared(t, 1)                 # held by the name t only
    other = t
    assert not ownership.unshared(t, 1)             # a second name
    del other
    view = t._data[:]
    assert not ownership.unshared(t, 1)             # a view of its array
    del view
    assert not ownership.unshared(ndgrad.tensor([1.0, 2.0])[::2], 1)  # a view itself


def _second_order(function, value):
    """Gradient and second-order gradient of sum(function(x)) at ``value``."""
    x = ndgrad.Variable(value)
    function(x).sum().backward(create_graph=True)
    first = x.grad
    x.grad = None
    (first * first).sum().backward()
    return first.numpy(), x.grad.numpy()


@pytest.mark.parametrize("name, ndgrad_function, torch_function", [
    ("multiply", lambda x: x * x * 0.5, lambda x: x * x * 0.5),
    ("divide", lambda x: 1.0 / (x * x + 1.0), lambda x: 1.0 / (x * x + 1.0)),
    ("tanh", ndgrad.tanh, torch.tanh),
    ("sin", ndgrad.sin, torch.sin),
    ("exp-log", lambda x: ndgrad.log(ndgrad.exp(x) + 1.0), lambda x: torch.log(torch.exp(x) + 1)),
    ("sigmoid", ndgrad.sigmoid, torch.sigmoid),
    ("softmax", lambda x: ndgrad.softmax(x * x, axis=-1) * x,
     lambda x: torch.softmax(x * x, dim=-1) * x),
    ("maximum", lambda x: ndgrad.maximum(x * x, 0.5) * x,
     lambda x: torch.maximum(x * x, torch.tensor(0.5)) * x),
    ("mean", lambda x: (x * x).mean(axis=0) * x, lambda x: (x * x).mean(dim=0) * x),
])
def test_array_rules_match_pytorch_in_first_and_second_order(name, ndgrad_function,
                                                              torch_function):
    value = np.random.default_rng(0).uniform(-1.5, 1.5, (3, 4)).astype(np.float32)
    first, second = _second_order(ndgrad_function, value)
    x = torch.tensor(value, requires_grad=True)
    (g,) = torch.autograd.grad(torch_function(x).sum(), [x], create_graph=True)
    (g * g).sum().backward()
    np.testing.assert_allclose(first, g.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(second, x.grad.numpy(), rtol=1e-4, atol=1e-5)
