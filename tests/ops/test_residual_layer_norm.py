"""add_layer_norm: layer_norm(x + residual) as one primitive. Equal to its composite
form, exact gradients of first and second order (float64 finite differences) for
every affine variant, PyTorch's numbers in float32, float32 kept, and the
Transformer layers' post-norm blocks recording it."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops.layer_normalization import layer_norm
from ndgrad.ops.residual_layer_norm import add_layer_norm

AFFINE = {"both": (True, True), "weight": (True, False), "bias": (False, True)}


@pytest.mark.parametrize("affine", sorted(AFFINE))
def test_matches_composite_and_has_exact_gradients_of_two_orders(rng, affine):
    has_weight, has_bias = AFFINE[affine]
    x = ndgrad.tensor(rng.normal(size=(3, 4, 5)) * 2 + 1)
    residual = ndgrad.tensor(rng.normal(size=(3, 4, 5)))
    weight = ndgrad.tensor(rng.normal(size=(4, 5))) if has_weight else None
    bias = ndgrad.tensor(rng.normal(size=(4, 5))) if has_bias else None
    given = [t for t in (x, residual, weight, bias) if t is not None]

    def fused(*args):
        values = iter(args)
        return add_layer_norm(next(values), next(values), (4, 5),
                              next(values) if has_weight else None,
                              next(values) if has_bias else None)

    out = fused(*given)
    expected = layer_norm(x + residual, (4, 5), weight, bias)
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-12, atol=1e-12)
    assert ndgrad.gradcheck(fused, given, second_order=True)


def test_float32_matches_pytorch_and_stays_float32(rng):
    torch = pytest.importorskip("torch")
    arrays = [rng.normal(size=(6, 7, 64)).astype(np.float32) * 3 for _ in range(2)]
    weight = rng.uniform(0.5, 1.5, 64).astype(np.float32)
    bias = rng.uniform(-1, 1, 64).astype(np.float32)
    g = rng.normal(size=(6, 7, 64)).astype(np.float32)
    ours = [ndgrad.Variable(a) for a in arrays + [weight, bias]]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays + [weight, bias]]
    out = add_layer_norm(*ours[:2], 64, *ours[2:])
    assert out._node.op.name == "add_layer_norm" and out.dtype == np.float32
    out.backward(ndgrad.tensor(g))
    expected = torch.nn.functional.layer_norm(theirs[0] + theirs[1], (64,), *theirs[2:])
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), atol=1e-5)
    for a, b in zip(ours, theirs):
        assert a.grad.dtype == np.float32
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-4)


def test_an_addend_used_twice_gets_both_gradients(rng):
    x = ndgrad.tensor(rng.normal(size=(4, 6)), requires_grad=True)
    weight = ndgrad.tensor(rng.normal(size=6), requires_grad=True)
    assert ndgrad.gradcheck(lambda a, w: add_layer_norm(a, a * 2, 6, w) * a, [x, weight])


def test_inputs_it_does_not_fuse_run_the_composite_form(rng):
    x = ndgrad.tensor(rng.normal(size=(4, 6)), requires_grad=True)
    row = ndgrad.tensor(rng.normal(size=(6,)))
    out = add_layer_norm(x, row, 6, ndgrad.ones(6, dtype=np.float64))
    assert out._node.op.name == "layer_norm"
    np.testing.assert_allclose(out.numpy(), layer_norm(x + row, 6, None).numpy(), atol=1e-12)
    with pytest.raises(ndgrad.ShapeError, match="add_layer_norm: normalized_shape"):
        add_layer_norm(x, x, (2, 4, 6))


@pytest.mark.parametrize("kind", ["TransformerEncoderLayer", "TransformerDecoderLayer"])
def test_post_norm_transformer_layers_record_it_and_pre_norm_ones_do_not(kind):
    names = []
    for norm_first in (False, True):
        layer = getattr(ndgrad.nn, kind)(8, 2, dim_feedforward=16, dropout=0.0,
                                         norm_first=norm_first)
        x = ndgrad.ones((3, 2, 8), requires_grad=True)
        args = (x, ndgrad.ones((4, 2, 8))) if kind == "TransformerDecoderLayer" else (x,)
        names.append(layer(*args)._node.op.name)
    assert names == ["add_layer_norm", "add"]
