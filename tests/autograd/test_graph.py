"""The backward walk: accumulation, release, retain_graph, higher order, in-place safety."""

import gc
import weakref

import numpy as np
import pytest

import ndgrad


def test_backward_accumulates_into_grad_in_place_in_the_leaf_dtype():
    w = ndgrad.Variable([1.0, 2.0])
    (w * 3).sum().backward()
    first = w.grad
    (w * 3).sum().backward()
    assert w.grad is first and w.grad.tolist() == [6.0, 6.0]
    assert w.grad.dtype == np.float32


def test_gradient_flows_to_every_use_of_a_leaf():
    x = ndgrad.Variable(3.0)
    (x * x + x).backward()
    assert x.grad.item() == 7.0


def test_broadcast_gradients_are_summed_to_the_input_shape():
    b = ndgrad.Variable([[1.0, 2.0, 3.0]])
    (ndgrad.ones((4, 3)) * b).sum().backward()
    assert b.grad.shape == (1, 3) and b.grad.tolist() == [[4.0, 4.0, 4.0]]


def test_backward_from_a_non_scalar_needs_a_grad():
    w = ndgrad.Variable([1.0, 2.0])
    with pytest.raises(RuntimeError, match="shape \\(2,\\).*grad="):
        (w * 2).backward()
    (w * 2).backward(ndgrad.tensor([1.0, 10.0]))
    assert w.grad.tolist() == [2.0, 20.0]


def test_backward_without_graph_says_why():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (ndgrad.ones(1) * 2).sum().backward()


def test_second_backward_through_a_released_graph_names_retain_graph():
    w = ndgrad.Variable([1.0])
    loss = (ndgrad.exp(w) * 2).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        loss.backward()


def test_retain_graph_allows_a_second_backward():
    w = ndgrad.Variable([1.0])
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    assert w.grad.tolist() == [4.0]


def test_graph_is_freed_after_backward():
    w = ndgrad.Variable(np.ones(3))
    hidden = ndgrad.exp(w * 2)
    probe = weakref.ref(hidden)
    loss = hidden.sum()
    del hidden
    gc.collect()
    assert probe() is not None          # the graph keeps it alive before backward
    loss.backward()
    assert probe() is None              # and lets it go after


def test_deep_chains_need_no_recursion():
    x = ndgrad.Variable(1.0, dtype="float64")
    y = x
    for _ in range(20_000):
        y = y * 1.0001
    y.backward()
    assert x.grad.item() == pytest.approx(1.0001 ** 20_000, rel=1e-9)


def test_walk_order_is_deterministic():
    def run():
        x = ndgrad.Variable(np.linspace(0.1, 1, 5), dtype="float32")
        terms = [ndgrad.sin(x * k) for k in range(1, 30)]
        total = terms[0]
        for t in terms[1:]:
            total = total + t
        total.sum().backward()
        return x.grad.numpy().tobytes()
    assert run() == run()


def test_create_graph_gives_gradients_of_gradients():
    x = ndgrad.Variable(2.0, dtype="float64")
    y = x ** 3
    y.backward(create_graph=True)
    first = x.grad
    assert first.item() == 12.0 and first.requires_grad
    x.grad = None
    first.backward()
    assert x.grad.item() == 12.0            # d/dx 3x^2 = 6x


def test_frozen_leaves_get_no_gradient():
    w = ndgrad.Variable([1.0])
    frozen = ndgrad.Variable([2.0], trainable=False)
    (w * frozen).sum().backward()
    assert w.grad.tolist() == [2.0] and frozen.grad is None


def test_writing_a_saved_input_in_place_is_caught_at_backward_with_the_line():
    w = ndgrad.Variable([1.0, 2.0])
    hidden = w * 1.0
    y = hidden * hidden          # multiply saves hidden
    hidden += 1.0                # an in-place write after use
    with pytest.raises(RuntimeError, match=r"'multiply'.*modified in place.*test_graph.py:\d+"):
        y.sum().backward()


def test_in_place_write_to_an_input_a_rule_does_not_read_is_fine():
    w = ndgrad.Variable([1.0, 2.0])
    hidden = w * 1.0
    y = hidden + 1.0             # add does not read its inputs
    hidden += 5.0
    y.sum().backward()
    assert w.grad.tolist() == [1.0, 1.0]


def test_in_place_on_a_result_is_recorded_and_correct():
    w = ndgrad.Variable([1.0, 2.0])
    h = w * 2
    h *= 3                       # h = 6 w
    h += w                       # h = 7 w
    h.sum().backward()
    assert w.grad.tolist() == [7.0, 7.0]


def test_in_place_on_a_trainable_leaf_while_recording_is_refused_and_changes_nothing():
    w = ndgrad.Variable([1.0])
    with pytest.raises(RuntimeError, match="no_grad"):
        w += 1.0
    assert w.tolist() == [1.0]
    with ndgrad.no_grad():
        w -= 0.5
    assert w.tolist() == [0.5]


def test_setitem_on_a_graph_tensor_routes_gradients():
    w = ndgrad.Variable([1.0, 2.0, 3.0])
    v = ndgrad.Variable(10.0)
    h = w * 1.0
    h[1] = v * 2
    h.sum().backward()
    assert w.grad.tolist() == [1.0, 0.0, 1.0] and v.grad.item() == 2.0


def test_setitem_into_a_trainable_leaf_while_recording_is_refused():
    w = ndgrad.Variable([1.0, 2.0])
    with pytest.raises(RuntimeError, match="trainable leaf"):
        w[0] = 5.0
    assert w.tolist() == [1.0, 2.0]


def test_detach_shares_the_version_counter():
    w = ndgrad.Variable([1.0, 2.0])
    h = w * 1.0
    y = h * h
    h.detach()[0] = 100.0        # writes through the shared data
    with pytest.raises(RuntimeError, match="modified in place"):
        y.sum().backward()


def test_leaf_grad_is_its_own_memory():
    a = ndgrad.Variable([1.0])
    b = ndgrad.Variable([1.0])
    (a + b).sum().backward()     # add hands the same gradient to both
    a.grad._data += 1
    assert b.grad.tolist() == [1.0]
