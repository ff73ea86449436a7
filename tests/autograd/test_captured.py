"""Listeners on the gradients of capturing walks (ndgrad.autograd.captured)."""

import numpy as np
import pytest

import ndgrad
from ndgrad.autograd import captured, post_accumulate
from ndgrad.autograd.captured import listen


def _mlp():
    ndgrad.random.seed(0)
    w1, w2, w3 = (ndgrad.Variable(np.random.default_rng(i).standard_normal((4, 4)))
                  for i in range(3))
    return w1, w2, w3


def test_each_gradient_is_told_once_final_and_before_the_earlier_layers_are_done():
    w1, w2, w3 = _mlp()
    x = ndgrad.ones((2, 4))
    heard = []
    handles = [listen(w, lambda leaf, g, i=i: heard.append((i, g.numpy().copy())))
               for i, w in enumerate((w1, w2, w3))]
    with ndgrad.GradientTape() as tape:
        loss = ndgrad.tanh(ndgrad.tanh(x @ w1) @ w2) @ w3
        loss = loss.sum()
    grads = tape.gradient(loss, [w1, w2, w3])
    for handle in handles:
        handle.remove()
    assert [i for i, _ in heard] == [2, 1, 0]          # the last layer first
    for i, g in heard:
        np.testing.assert_array_equal(g, grads[i].numpy())


def test_a_listener_runs_while_the_walk_still_has_work_to_do():
    w1, w2, w3 = _mlp()
    x = ndgrad.ones((2, 4))
    order = []
    handle = listen(w3, lambda leaf, g: order.append("w3 final"))
    hook = w1.register_hook(lambda g: order.append("w1 reached") or g)
    with ndgrad.GradientTape() as tape:
        loss = (ndgrad.tanh(ndgrad.tanh(x @ w1) @ w2) @ w3).sum()
    tape.gradient(loss, [w1, w2, w3])
    handle.remove()
    hook.remove()
    assert order == ["w3 final", "w1 reached"]


def test_leaves_with_hooks_and_a_root_source_are_told_at_the_end_with_the_final_value():
    w = ndgrad.Variable([1.0, 2.0])
    heard = []
    handle = listen(w, lambda leaf, g: heard.append(g.tolist()))
    hook = w.register_hook(lambda g: g * 10)
    grad = ndgrad.autograd.grad((w * w).sum(), [w])[0]
    hook.remove()
    ndgrad.autograd.grad(w, [w], grad_outputs=[ndgrad.ones(2)])   # the root is the source
    handle.remove()
    assert heard == [[20.0, 40.0], [1.0, 1.0]] and grad.tolist() == [20.0, 40.0]


def test_callbacks_queued_by_a_listener_run_after_the_walk():
    w = ndgrad.Variable([3.0])
    seen = []

    def listener(leaf, g):
        post_accumulate.queue_callback(lambda: seen.append("after"))
        seen.append("final")
    handle = listen(w, listener)
    ndgrad.autograd.grad((w * w).sum(), [w])
    handle.remove()
    assert seen == ["final", "after"]


def test_backward_into_grad_and_removed_listeners_tell_nobody():
    w = ndgrad.Variable([3.0])
    heard = []
    handle = listen(w, lambda leaf, g: heard.append(1))
    (w * w).sum().backward()                 # not a capturing walk
    handle.remove()
    ndgrad.autograd.grad((w * w).sum(), [w])
    assert heard == [] and not captured.LISTENED.get(id(w), (None, {}))[1]


def test_bad_listeners_are_refused():
    w = ndgrad.Variable([1.0])
    with pytest.raises(TypeError, match="listen: the listener must be callable"):
        listen(w, 3)
    with pytest.raises(ValueError, match="only a leaf tensor"):
        listen(w * 2, lambda leaf, g: None)
