"""The fused affine op behind nn.Linear and layers.Dense: values and gradients
against PyTorch in both weight layouts, batched and 1-D inputs, without bias,
gradients only where needed, and exact second-order gradients."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops.linalg_affine import affine

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)


def _array(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def _torch_affine(x, weight, bias, transposed):
    out = x @ (weight.T if transposed else weight)
    return out if bias is None else out + bias


@pytest.mark.parametrize("transposed", [True, False])
@pytest.mark.parametrize("x_shape", [(5, 4), (4,), (2, 3, 4)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_values_and_gradients_match_pytorch(transposed, x_shape, with_bias):
    w_value = _array(3, 4) if transposed else _array(4, 3)
    values = [_array(*x_shape), w_value] + ([_array(3)] if with_bias else [])
    ours = [ndgrad.Variable(v) for v in values]
    theirs = [torch.tensor(v, requires_grad=True) for v in values]
    out = affine(ours[0], ours[1], ours[2] if with_bias else None, transposed=transposed)
    expected = _torch_affine(theirs[0], theirs[1], theirs[2] if with_bias else None, transposed)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-6)
    seed = _array(*out.shape)
    out.backward(ndgrad.tensor(seed))
    expected.backward(torch.tensor(seed))
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=1e-5,
                                   atol=1e-5)
        assert mine.grad._data.flags.c_contiguous


def test_a_constant_input_gets_no_gradient_computed():
    x = ndgrad.tensor(_array(5, 4))
    weight, bias = ndgrad.Variable(_array(3, 4)), ndgrad.Variable(_array(3))
    affine(x, weight, bias).sum().backward()
    assert x.grad is None and weight.grad is not None and bias.grad.tolist() == [5.0] * 3


def test_a_bias_that_broadcasts_differently_still_gets_its_gradient():
    x, weight = ndgrad.Variable(_array(5, 4)), ndgrad.Variable(_array(3, 4))
    bias = ndgrad.Variable(_array(1, 3))
    out = affine(x, weight, bias)
    assert out.shape == (5, 3)
    out.sum().backward()
    assert bias.grad.shape == (1, 3) and bias.grad.tolist() == [[5.0] * 3]


def test_mismatched_features_name_the_layer_and_both_sizes():
    with pytest.raises(ndgrad.ShapeError, match=r"linear: .*\(7\).*input features \(4\)"):
        affine(ndgrad.ones((2, 7)), ndgrad.ones((3, 4)))


@pytest.mark.parametrize("transposed", [True, False])
def test_second_order_gradients_match_pytorch(transposed):
    values = [_array(5, 4), _array(3, 4) if transposed else _array(4, 3), _array(3)]
    ours = [ndgrad.Variable(v) for v in values]
    theirs = [torch.tensor(v, requires_grad=True) for v in values]

    out = ndgrad.tanh(affine(*ours, transposed=transposed))
    out.sum().backward(create_graph=True)
    firsts = [p.grad for p in ours]
    for p in ours:
        p.grad = None
    sum((g * g).sum() for g in firsts).backward()

    reference = torch.tanh(_torch_affine(*theirs, transposed))
    grads = torch.autograd.grad(reference.sum(), theirs, create_graph=True)
    sum((g * g).sum() for g in grads).backward()
    for mine, other in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad.numpy(), other.grad.numpy(), rtol=1e-4, atol=1e-5)


def test_linear_and_dense_record_one_node():
    layer = ndgrad.nn.Linear(4, 3)
    out = layer(ndgrad.ones((2, 4)))
    assert out._node.name == "linear"
    assert out._node.edges[1] is layer.weight and out._node.edges[2] is layer.bias
