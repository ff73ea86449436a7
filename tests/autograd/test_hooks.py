"""Tensor.register_hook and Tensor.retain_grad, checked against PyTorch."""

import gc
import weakref

import numpy as np
import pytest
import torch as real

import ndgrad
from ndgrad.autograd import hooks


def pair(values):
    return (ndgrad.tensor(values, dtype="float64", requires_grad=True),
            real.tensor(values, dtype=real.float64, requires_grad=True))


def run_both(program):
    """Run ``program(lib, x)`` with ndgrad and with torch; return both traces."""
    traces = []
    for lib, x in zip((ndgrad, real), pair([1.0, -2.0, 3.0])):
        trace = []
        program(lib, x, trace)
        traces.append([np.asarray(t.detach().numpy() if hasattr(t, "detach") else t,
                                  dtype=float) for t in trace])
    return traces


def leaf_hook_sees_the_whole_gradient_once(lib, x, trace):
    x.register_hook(lambda g: trace.append(g.clone()) or g * 10)
    (x * x * x).sum().backward()
    trace.append(x.grad)


def leaf_hook_in_autograd_grad(lib, x, trace):
    x.register_hook(lambda g: g + 1)
    trace.extend(lib.autograd.grad((x * x).sum(), x))


def hook_on_a_result_changes_what_flows_on(lib, x, trace):
    m = x * 3
    m.register_hook(lambda g: trace.append(g.clone()) or g * 2)
    (m * m).sum().backward()
    trace.append(x.grad)


def retained_gradient_is_the_hooked_one(lib, x, trace):
    m = x * 3
    m.retain_grad()
    m.register_hook(lambda g: g * 2)
    (m * m).sum().backward()
    trace.extend([m.grad, x.grad])


def hooks_run_in_registration_order(lib, x, trace):
    m = lib.sin(x)
    m.register_hook(lambda g: g * 2)
    m.register_hook(lambda g: g + 1)
    m.register_hook(lambda g: trace.append(g.clone()))       # returns None: keeps it
    m.sum().backward()
    trace.append(x.grad)


def hook_on_the_root(lib, x, trace):
    s = (x * x).sum()
    s.register_hook(lambda g: g * 5)
    s.backward()
    trace.append(x.grad)


def hook_on_a_captured_result(lib, x, trace):
    m = x * 3
    m.register_hook(lambda g: g * 2)
    trace.extend(lib.autograd.grad((m * m).sum(), m))


def removed_hook_is_not_called(lib, x, trace):
    handle = x.register_hook(lambda g: g * 100)
    handle.remove()
    handle.remove()
    (x * 2).sum().backward()
    trace.append(x.grad)


def hooks_under_create_graph(lib, x, trace):
    x.register_hook(lambda g: g * g)
    (x ** 3).sum().backward(create_graph=True)
    trace.append(x.grad)
    (second,) = lib.autograd.grad(x.grad.sum(), x)
    trace.append(second)


def retained_gradients_add_up_over_backwards(lib, x, trace):
    m = x * x
    m.retain_grad()
    (m * 2).sum().backward(retain_graph=True)
    (m * 3).sum().backward()
    trace.extend([m.grad, x.grad])


PROGRAMS = [leaf_hook_sees_the_whole_gradient_once, leaf_hook_in_autograd_grad,
            hook_on_a_result_changes_what_flows_on, retained_gradient_is_the_hooked_one,
            hooks_run_in_registration_order, hook_on_the_root, hook_on_a_captured_result,
            removed_hook_is_not_called, hooks_under_create_graph,
            retained_gradients_add_up_over_backwards]


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_hooks_and_retained_gradients_match_torch(program):
    ours, theirs = run_both(program)
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o, t, rtol=1e-12)


def test_handle_is_a_context_manager():
    x = ndgrad.tensor(2.0, requires_grad=True)
    with x.register_hook(lambda g: g * 0):
        (x * 3).backward()
    (x * 3).backward()
    assert x.grad.item() == 3.0


def test_register_hook_refusals():
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that does not "
                                           "require grad"):
        ndgrad.ones(2).register_hook(lambda g: g)
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="the hook must be callable"):
        x.register_hook(3)
    x.register_hook(lambda g: ndgrad.ones(3))
    with pytest.raises(RuntimeError, match=r"returned a gradient of shape \(3,\) for a tensor "
                                           r"of shape \(2,\)"):
        (x * 2).sum().backward()
    assert x.grad is None


def test_retain_grad_refuses_a_tensor_that_does_not_require_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        ndgrad.ones(2).retain_grad()
    y = ndgrad.tensor([1.0], requires_grad=True) * 2
    y.retain_grad()
    y.retain_grad()                                   # twice: one kept gradient
    assert y.retains_grad
    y.sum().backward()
    assert y.grad.tolist() == [1.0]


def test_a_hooked_leaf_does_not_keep_the_hook_table_alive():
    x = ndgrad.tensor([1.0], requires_grad=True)
    x.register_hook(lambda g: g)
    ref = weakref.ref(x)
    del x
    gc.collect()
    assert ref() is None and all(entry[0]() is not None for entry in hooks._LEAF.values())


def test_a_hook_does_not_leak_into_an_unrelated_backward_inside_it():
    x = ndgrad.tensor(2.0, requires_grad=True)
    w = ndgrad.tensor(5.0, requires_grad=True)
    w.register_hook(lambda g: g * 10)

    def hook(g):
        with ndgrad.enable_grad():    # hooks run unrecorded, as in PyTorch
            (w * 1).backward()        # a backward of its own, inside the outer one
        return g

    x.register_hook(hook)
    (x * w).backward()
    assert x.grad.item() == 5.0 and w.grad.item() == 10.0 + 20.0


def test_hooks_in_one_thread_do_not_touch_another_threads_backward():
    import threading
    results = {}

    def work(name, factor):
        x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(lambda g: g * factor)
        for _ in range(200):
            x.grad = None
            (x * x).sum().backward()
        results[name] = x.grad.tolist()

    threads = [threading.Thread(target=work, args=(n, f)) for n, f in (("a", 1.0), ("b", 3.0))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"a": [2.0, 4.0], "b": [6.0, 12.0]}
