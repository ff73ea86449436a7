"""Post-accumulate-grad hooks run as soon as a leaf's gradient is final (during the
walk), once per backward, with .grad complete; final callbacks run after the walk."""

import numpy as np
import pytest
import torch as real

import ndgrad
from ndgrad.autograd.post_accumulate import POSTED, queue_callback


def _net(events):
    rng = np.random.default_rng(0)
    w0 = ndgrad.tensor(rng.standard_normal((3, 3)).astype(np.float32), requires_grad=True)
    w1 = ndgrad.tensor(rng.standard_normal((3, 3)).astype(np.float32), requires_grad=True)
    for name, w in (("w0", w0), ("w1", w1)):
        w.register_post_accumulate_grad_hook(
            lambda p, name=name: events.append((name, p.grad.numpy().copy())))
    return w0, w1


def test_hooks_run_when_the_gradient_is_final_with_the_whole_gradient():
    events = []
    w0, w1 = _net(events)
    x = ndgrad.ones((2, 3))
    h = (x @ w0).tanh()
    h.register_hook(lambda g: events.append(("h", None)))
    loss = ((h @ w1).tanh() @ w1).sum()               # w1 used twice, late in the forward
    loss.backward()
    assert [name for name, _ in events] == ["w1", "h", "w0"]
    t0, t1 = (real.tensor(w.numpy(), requires_grad=True) for w in (w0, w1))
    ((real.ones(2, 3) @ t0).tanh() @ t1).tanh().matmul(t1).sum().backward()
    np.testing.assert_allclose(events[0][1], t1.grad.numpy(), rtol=1e-5)
    np.testing.assert_allclose(events[2][1], t0.grad.numpy(), rtol=1e-5)


def test_once_per_backward_not_for_autograd_grad_and_removable():
    events = []
    w0, w1 = _net(events)
    (w0 * 2).sum().backward()
    (w0 * 3).sum().backward()
    assert [name for name, _ in events] == ["w0", "w0"]
    assert events[1][1].tolist() == [[5.0] * 3] * 3          # after accumulating into .grad
    ndgrad.autograd.grad((w1 * 2).sum(), w1)
    assert len(events) == 2
    leaf_hooked = ndgrad.tensor([1.0], requires_grad=True)
    seen = []
    leaf_hooked.register_hook(lambda g: g * 10)
    handle = leaf_hooked.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.item()))
    (leaf_hooked * 2).sum().backward()
    assert seen == [20.0]                                     # after the tensor hook's change
    handle.remove()
    (leaf_hooked * 2).sum().backward()
    assert seen == [20.0]


def test_refusals_and_the_cost_free_default():
    with pytest.raises(RuntimeError, match="post-accumulate hooks are for leaves"):
        (ndgrad.tensor([1.0], requires_grad=True) * 2).register_post_accumulate_grad_hook(print)
    with pytest.raises(RuntimeError, match="does not require grad"):
        ndgrad.ones(2).register_post_accumulate_grad_hook(print)
    with pytest.raises(TypeError, match="must be callable"):
        ndgrad.tensor([1.0], requires_grad=True).register_post_accumulate_grad_hook(3)
    with pytest.raises(RuntimeError, match="queue_callback: no backward is running"):
        queue_callback(print)
    w = ndgrad.tensor([1.0], requires_grad=True)
    handle = w.register_post_accumulate_grad_hook(print)
    handle.remove()
    del w, handle
    assert not any(ref() is not None and hooks for ref, hooks in POSTED.values())


def test_final_callbacks_run_after_the_walk_in_order():
    order = []
    w = ndgrad.tensor([2.0], requires_grad=True)

    def hook(p):
        order.append("hook")
        queue_callback(lambda: (order.append("first"), queue_callback(lambda: order.append(
            "queued by a callback"))))
        queue_callback(lambda: order.append("second"))
    w.register_post_accumulate_grad_hook(hook)
    (w * w).sum().backward()
    assert order == ["hook", "first", "second", "queued by a callback"]
