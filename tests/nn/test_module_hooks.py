"""Module hooks: forward pre-hooks and hooks (replacing inputs/outputs), full backward
hooks and pre-hooks (seeing and replacing gradients), handles, order; against PyTorch."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
X = RNG.normal(size=(4, 3)).astype(np.float32)


def _linears():
    theirs = torch.nn.Linear(3, 2)
    ours = nn.Linear(3, 2)
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def test_pre_hook_and_hook_see_and_replace_inputs_and_outputs_as_pytorch():
    results = []
    for layer, make in zip(_linears(), (ndgrad.tensor, torch.tensor)):
        seen = []
        layer.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
        layer.register_forward_hook(lambda m, args, out: seen.append(args[0].shape) or out + 1)
        results.append(np.asarray(layer(make(X)).detach().numpy()))
        assert seen == [(4, 3)]
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5, atol=1e-6)


def test_a_pre_hook_returning_one_value_wraps_it_in_a_tuple():
    layer = nn.Identity()
    layer.register_forward_pre_hook(lambda m, args: args[0] + 1)
    assert layer(ndgrad.tensor([1.0])).tolist() == [2.0]


def test_hooks_with_kwargs_order_prepend_and_removal():
    calls = []

    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    layer = Scale()
    first = layer.register_forward_hook(lambda m, a, out: calls.append("first"))
    layer.register_forward_hook(lambda m, a, out: calls.append("front"), prepend=True)
    layer.register_forward_pre_hook(
        lambda m, args, kwargs: (args, {**kwargs, "factor": 3.0}), with_kwargs=True)
    layer.register_forward_hook(
        lambda m, args, kwargs, out: calls.append(kwargs["factor"]), with_kwargs=True)
    assert layer(ndgrad.tensor([1.0]), factor=2.0).tolist() == [3.0]
    assert calls == ["front", "first", 3.0]
    first.remove()
    first.remove()                                   # twice is harmless
    calls.clear()
    layer(ndgrad.tensor([1.0]))
    assert calls == ["front", 3.0]


def test_hooks_are_inherited_by_nested_calls_and_see_the_submodule():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    shapes = {}
    handles = [module.register_forward_hook(
        lambda m, args, out, name=name: shapes.__setitem__(name, out.shape))
        for name, module in model.named_children()]
    model(ndgrad.tensor(X))
    assert shapes == {"0": (4, 4), "1": (4, 4), "2": (4, 2)}
    for handle in handles:
        handle.remove()
    shapes.clear()
    model(ndgrad.tensor(X))
    assert shapes == {}


def test_bad_hooks_are_refused_clearly():
    layer = nn.Identity()
    with pytest.raises(TypeError, match="must be callable"):
        layer.register_forward_hook(3)
    with pytest.raises(ValueError, match="always_call"):
        layer.register_forward_hook(print, always_call=True)
    layer.register_forward_pre_hook(lambda m, a, k: "oops", with_kwargs=True)
    with pytest.raises(RuntimeError, match=r"tuple \(args, kwargs\)"):
        layer(ndgrad.tensor([1.0]))


def _backward_record(layer, make, modify):
    record = {}

    def hook(module, grad_input, grad_output):
        record["in"] = [None if g is None else np.asarray(g.detach().numpy())
                        for g in grad_input]
        record["out"] = [np.asarray(g.detach().numpy()) for g in grad_output]
        if modify:
            return tuple(None if g is None else g * 2 for g in grad_input)
        return None

    def pre_hook(module, grad_output):
        record["pre"] = np.asarray(grad_output[0].detach().numpy())
        return (grad_output[0] * 3,) if modify else None

    layer.register_full_backward_pre_hook(pre_hook)
    layer.register_full_backward_hook(hook)
    x = make(X, trainable=True)
    out = layer(x)
    cotangent = RNG.normal(size=(4, 2)).astype(np.float32)
    out.backward(make(cotangent, trainable=False))
    record["x"] = np.asarray(x.grad.numpy())
    record["w"] = np.asarray(layer.weight.grad.numpy())
    return record


@pytest.mark.parametrize("modify", [False, True])
def test_full_backward_hooks_match_pytorch(modify):
    ours_layer, theirs_layer = _linears()
    RNG.bit_generator.state = np.random.default_rng(5).bit_generator.state
    theirs = _backward_record(
        theirs_layer, lambda a, trainable: torch.tensor(a, requires_grad=trainable), modify)
    RNG.bit_generator.state = np.random.default_rng(5).bit_generator.state
    ours = _backward_record(
        ours_layer, lambda a, trainable: ndgrad.tensor(a, requires_grad=trainable), modify)
    for key in ("pre", "x", "w"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5, atol=1e-6, err_msg=key)
    for key in ("in", "out"):
        for a, b in zip(ours[key], theirs[key]):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, err_msg=key)


def test_backward_hook_on_a_module_with_several_inputs_and_a_constant_input():
    class Mix(nn.Module):
        def forward(self, a, scale, b):
            return a * scale + b * b

    seen = []
    module = Mix()
    module.register_full_backward_hook(lambda m, gi, go: seen.append(gi))
    a, b = ndgrad.Variable([1.0, 2.0]), ndgrad.Variable([3.0, 4.0])
    module(a, 5.0, b).sum().backward()
    grad_a, grad_scale, grad_b = seen[0]
    assert grad_scale is None
    assert grad_a.tolist() == [5.0, 5.0] and grad_b.tolist() == [6.0, 8.0]
    assert a.grad.tolist() == [5.0, 5.0]


def test_backward_hook_fires_when_no_input_needs_a_gradient():
    layer = nn.Linear(3, 2)
    seen = []
    layer.register_full_backward_hook(lambda m, gi, go: seen.append((gi, go[0].shape)))
    layer(ndgrad.tensor(X)).sum().backward()
    assert seen == [((None,), (4, 2))] and layer.weight.grad is not None


def test_backward_hook_returning_the_wrong_count_is_an_error():
    layer = nn.Identity()
    layer.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="returned 2 value"):
        layer(ndgrad.Variable([1.0])).sum().backward()
