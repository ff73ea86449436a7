"""The autograd methods PyTorch programs call on tensors: retain_grad, grad_fn,
detach_, backward(gradient=...), requires_grad_."""

import numpy as np
import pytest

import ndgrad

from .tensor_oracle import torch


def _both(x):
    ours = ndgrad.tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True) if torch is not None else None
    return ours, theirs


@pytest.mark.skipif(torch is None, reason="PyTorch is the oracle")
def test_retain_grad_keeps_a_results_gradient_and_accumulates_as_pytorch():
    x, tx = _both(np.array([1.0, 2.0]))
    y, ty = x * 3, tx * 3
    y.retain_grad()
    ty.retain_grad()
    z, tz = (y * y).sum(), (ty * ty).sum()
    z.backward(retain_graph=True)
    tz.backward(retain_graph=True)
    np.testing.assert_allclose(y.grad.numpy(), ty.grad.numpy())
    z.backward()
    tz.backward()
    np.testing.assert_allclose(y.grad.numpy(), ty.grad.numpy())
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
    assert y.retains_grad and not (x * 2).retains_grad


def test_retain_grad_sees_uses_recorded_before_the_call():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    early = y * 5                       # recorded before retain_grad
    y.retain_grad()
    (early + y).sum().backward()
    assert y.grad.tolist() == [6.0, 6.0]


def test_retain_grad_through_an_array_rule_and_a_broadcast():
    x = ndgrad.tensor([[1.0, 2.0]], requires_grad=True)
    y = x.sum(axis=0)                   # sum's rule runs on arrays
    y.retain_grad()
    (y * ndgrad.ones((3, 2))).sum().backward()
    assert y.grad.tolist() == [3.0, 3.0] and x.grad.tolist() == [[3.0, 3.0]]


def test_retain_grad_refuses_a_tensor_without_a_graph_and_ignores_leaves():
    with pytest.raises(RuntimeError, match="does not require grad"):
        ndgrad.ones(2).retain_grad()
    w = ndgrad.tensor([1.0], requires_grad=True)
    w.retain_grad()
    (w * 4).sum().backward()
    assert w.grad.tolist() == [4.0]


def test_grad_fn_detach_and_detach_in_place():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    assert y.grad_fn is not None and y.grad_fn.name == "multiply" and x.grad_fn is None
    assert y.detach_() is y and not y.requires_grad and y.is_leaf and y.grad_fn is None
    assert any(b.kind == "detach_" for b in ndgrad.gradient_breaks())


def test_backward_takes_pytorchs_gradient_keyword():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).backward(gradient=ndgrad.tensor([1.0, 10.0]))
    assert x.grad.tolist() == [3.0, 30.0]
    (x * 3).backward(ndgrad.tensor([1.0, 1.0]))
    assert x.grad.tolist() == [6.0, 33.0]
    w = ndgrad.tensor(2.0, requires_grad=True)
    (x * w).sum().backward(inputs=[w])            # only w's .grad receives the gradient
    assert w.grad.item() == 3.0 and x.grad.tolist() == [6.0, 33.0]


def test_requires_grad_in_place_on_a_new_tensor():
    t = ndgrad.zeros(2).new_ones(3, requires_grad=True)
    assert t.requires_grad and t.trainable and t.shape == (3,)
    with pytest.raises(ndgrad.DTypeError):
        ndgrad.tensor([1, 2]).requires_grad_()
