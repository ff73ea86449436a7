"""ndgrad.autograd.grad and ndgrad.autograd.backward: PyTorch's contract,
checked against torch.autograd."""

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as torch


def pair(values, requires_grad=True):
    ours = ndgrad.tensor(values, dtype="float64", requires_grad=requires_grad)
    theirs = real.tensor(values, dtype=real.float64, requires_grad=requires_grad)
    return ours, theirs


def test_the_face_and_the_core_are_one_implementation():
    assert torch.autograd.grad is ndgrad.autograd.grad
    assert torch.autograd.backward is ndgrad.autograd.backward


def test_grad_of_several_outputs_and_inputs_with_grad_outputs_matches_torch():
    (a, ta), (b, tb) = pair([1.0, 2.0]), pair([0.5, -1.5])
    ours = ndgrad.autograd.grad([a * b, (a * a).sum()], [a, b],
                                grad_outputs=[ndgrad.tensor([1.0, 3.0], dtype="float64"), None])
    theirs = real.autograd.grad([ta * tb, (ta * ta).sum()], [ta, tb],
                                grad_outputs=[real.tensor([1.0, 3.0], dtype=real.float64), None])
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.numpy(), t.numpy())
    assert a.grad is None and b.grad is None          # returned, not accumulated


def test_create_graph_gives_second_and_third_derivatives_like_torch():
    x, tx = pair(0.8)
    (g1,) = ndgrad.autograd.grad(ndgrad.sin(x) * x ** 3, x, create_graph=True)
    (g2,) = ndgrad.autograd.grad(g1, x, create_graph=True)
    (g3,) = ndgrad.autograd.grad(g2, x)
    (t1,) = real.autograd.grad(real.sin(tx) * tx ** 3, tx, create_graph=True)
    (t2,) = real.autograd.grad(t1, tx, create_graph=True)
    (t3,) = real.autograd.grad(t2, tx)
    np.testing.assert_allclose([g1.item(), g2.item(), g3.item()],
                               [t1.item(), t2.item(), t3.item()], rtol=1e-12)
    assert g1.requires_grad and not g3.requires_grad


def test_an_unused_input_is_an_error_unless_allowed():
    (a, _), (u, _) = pair([1.0, 2.0]), pair(3.0)
    with pytest.raises(RuntimeError, match=r"input\(s\) \[1\] were not used.*allow_unused=True"):
        ndgrad.autograd.grad((a * 2).sum(), [a, u], retain_graph=True)
    ga, gu = ndgrad.autograd.grad((a * 2).sum(), [a, u], allow_unused=True)
    assert ga.tolist() == [2.0, 2.0] and gu is None
    ga, gu = ndgrad.autograd.grad((a * 2).sum(), [a, u], materialize_grads=True)
    assert gu.item() == 0.0 and gu.dtype == u.dtype


def test_retain_graph_defaults_to_create_graph():
    x, _ = pair([1.0, 2.0])
    y = (x * x).sum()
    ndgrad.autograd.grad(y, x)
    with pytest.raises(RuntimeError, match="already freed"):
        ndgrad.autograd.grad(y, x)
    y = (x * x).sum()
    ndgrad.autograd.grad(y, x, create_graph=True)
    assert ndgrad.autograd.grad(y, x)[0].tolist() == [2.0, 4.0]     # kept by create_graph


BAD_GRAD_CALLS = {
    "non-scalar output without grad_outputs": (
        lambda x: ndgrad.autograd.grad(x * 3, x), RuntimeError,
        r"output 0 has shape \(2,\); a gradient is implied only for a single-element output"),
    "grad_outputs of the wrong shape": (
        lambda x: ndgrad.autograd.grad(x * 3, x, grad_outputs=ndgrad.ones(3)), RuntimeError,
        r"grad_outputs\[0\] has shape \(3,\) but output 0 has shape \(2,\)"),
    "one grad_output for two outputs": (
        lambda x: ndgrad.autograd.grad([x.sum(), x.sum()], x, grad_outputs=[None]),
        RuntimeError, r"got 2 output tensor\(s\) and 1 grad_outputs"),
    "an output without graph": (
        lambda x: ndgrad.autograd.grad(ndgrad.ones(()), x), RuntimeError,
        r"output 0 does not require grad"),
    "an input without requires_grad": (
        lambda x: ndgrad.autograd.grad(x.sum(), ndgrad.ones(2)), RuntimeError,
        r"input 0 does not require grad"),
    "no inputs": (lambda x: ndgrad.autograd.grad(x.sum(), []), RuntimeError,
                  r"inputs is empty"),
    "a number as inputs": (lambda x: ndgrad.autograd.grad(x.sum(), 5), TypeError,
                           r"inputs must be a tensor or a sequence of tensors, got int"),
    "a list holding a non-tensor": (lambda x: ndgrad.autograd.grad(x.sum(), [x, "w"]),
                                    TypeError, r"inputs must be tensors; got str"),
    "batched grads": (lambda x: ndgrad.autograd.grad(x.sum(), x, is_grads_batched=True),
                      ValueError, r"is_grads_batched=True is not supported"),
}


@pytest.mark.parametrize("case", BAD_GRAD_CALLS)
def test_bad_grad_calls_are_refused_and_the_graph_survives(case):
    call, error, message = BAD_GRAD_CALLS[case]
    x, _ = pair([1.0, 2.0])
    with pytest.raises(error, match=message):
        call(x)
    assert x.grad is None
    y = (x * x).sum()
    assert ndgrad.autograd.grad(y, x)[0].tolist() == [2.0, 4.0]


def test_backward_accumulates_like_torch():
    (x, tx), (w, tw) = pair([1.0, -2.0]), pair(0.5)
    for _ in range(2):
        ndgrad.autograd.backward([(x * w).sum(), x * x], [None, ndgrad.tensor([1.0, 2.0],
                                                                              dtype="float64")])
        real.autograd.backward([(tx * tw).sum(), tx * tx], [None, real.tensor([1.0, 2.0],
                                                                              dtype=real.float64)])
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy())
    np.testing.assert_allclose(w.grad.numpy(), tw.grad.numpy())


def test_backward_into_chosen_inputs_leaves_and_results_like_torch():
    (x, tx), (w, tw) = pair([1.0, 2.0]), pair(3.0)
    m, tm = x * w, tx * tw
    ndgrad.autograd.backward((m * m).sum(), inputs=[m, w])
    real.autograd.backward((tm * tm).sum(), inputs=[tm, tw])
    assert x.grad is None and tx.grad is None
    np.testing.assert_allclose(m.grad.numpy(), tm.grad.numpy())
    np.testing.assert_allclose(w.grad.numpy(), tw.grad.numpy())


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True:UserWarning")
def test_backward_with_create_graph_keeps_grad_differentiable():
    x, tx = pair(1.5)
    ndgrad.autograd.backward(x ** 3, create_graph=True)
    real.autograd.backward(tx ** 3, create_graph=True)
    assert x.grad.requires_grad
    (second,) = ndgrad.autograd.grad(x.grad, x)
    (tsecond,) = real.autograd.grad(tx.grad, tx)
    assert second.item() == pytest.approx(tsecond.item())


def test_backward_refusals():
    x, _ = pair([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"output 0 does not require grad"):
        ndgrad.autograd.backward(ndgrad.ones(()))
    with pytest.raises(RuntimeError, match=r"inputs is empty"):
        ndgrad.autograd.backward(x.sum(), inputs=[])
    with pytest.raises(RuntimeError, match=r"a gradient is implied only for a single-element"):
        ndgrad.autograd.backward(x * 2)
    with pytest.raises(TypeError, match=r"grad_tensors= or grad_variables="):
        ndgrad.autograd.backward(x.sum(), ndgrad.ones(()), grad_variables=ndgrad.ones(()))
    assert x.grad is None
