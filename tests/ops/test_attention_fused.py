"""The fused attention primitive: one table of cases (every layout, masks of every
kind, dropout) checked forward against its composite form and PyTorch, backward
against float64 finite differences (first and second order) and PyTorch, float32
kept; and the layers that use it (MultiheadAttention, scaled_dot_product_attention,
Keras MultiHeadAttention) against PyTorch with masks and dropout."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import attention_fused
from ndgrad.ops.attention_fused import fused_attention

N, H, L, S, D, DV = 2, 3, 4, 5, 4, 3

# name -> (layout, heads, shapes of q, k, v (None: packed), mask kinds)
CASES = {
    "heads": ("heads", None, [(N, H, L, D), (N, H, S, D), (N, H, S, DV)], ()),
    "heads_3d": ("heads", None, [(N, L, D), (N, S, D), (N, S, DV)], ()),
    "tokens": ("tokens", None, [(N, L, H, D), (N, S, H, D), (N, S, H, DV)], ()),
    "merged": ("merged", H, [(N, L, H * D), (N, S, H * D), (N, S, H * DV)], ()),
    "packed": ("packed", H, [(N, L, 3 * H * D)], ()),
    "heads_masks": ("heads", None, [(N, H, L, D), (N, H, S, D), (N, H, S, DV)],
                    ("additive", "padding")),
    "merged_causal": ("merged", H, [(N, L, H * D), (N, L, H * D), (N, L, H * DV)],
                      ("causal",)),
    "packed_masks": ("packed", H, [(N, L, 3 * H * D)], ("additive", "padding")),
    "packed_dropout": ("packed", H, [(N, L, 3 * H * D)], ("dropout",)),
    "tokens_dropout_padding": ("tokens", None, [(N, L, H, D), (N, S, H, D), (N, S, H, DV)],
                               ("padding", "dropout")),
}


def _case(name, rng, dtype=np.float64):
    layout, heads, shapes, kinds = CASES[name]
    tensors = [ndgrad.tensor(rng.normal(size=s).astype(dtype)) for s in shapes]
    q, k, v = tensors if len(tensors) == 3 else (tensors[0], None, None)
    keys = L if layout == "packed" else shapes[1][1 if layout != "heads" else -2]
    scores = (N, H, L, keys) if len(shapes[0]) == 4 or layout != "heads" else (N, L, keys)
    attn_mask = padding = keep = None
    if "additive" in kinds:
        attn_mask = ndgrad.tensor(rng.normal(size=(L, keys)).astype(dtype))
    if "causal" in kinds:
        attn_mask = ndgrad.tensor(np.where(np.triu(np.ones((L, keys)), 1), -np.inf, 0)
                                  .astype(dtype))
    if "padding" in kinds:
        blocked = np.zeros((N, keys), bool)
        blocked[0, -2:] = True
        padding = ndgrad.tensor(np.where(blocked, -np.inf, 0).reshape(
            (N,) + (1,) * (len(scores) - 2) + (keys,)).astype(dtype))
    if "dropout" in kinds:
        keep = ((rng.random(scores) >= 0.3) / 0.7).astype(dtype)
    params = dict(scale=0.4, layout=layout, heads=heads, keep=keep)
    return [q, k, v, attn_mask, padding], params


def _differentiable(inputs):
    return [i for i, t in enumerate(inputs) if t is not None and i < 3 or (
        i == 3 and t is not None and np.isfinite(t.numpy()).all())]


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_composite_and_has_exact_gradients_of_two_orders(rng, name):
    inputs, params = _case(name, rng)
    composite = attention_fused._composite(*inputs, **params)
    fused = fused_attention(*inputs, **params)
    assert fused.shape == composite.shape
    np.testing.assert_allclose(fused.numpy(), composite.numpy(), rtol=1e-12, atol=1e-12)
    wanted = _differentiable(inputs)

    def attend(*given):
        full = list(inputs)
        for i, value in zip(wanted, given):
            full[i] = value
        return fused_attention(*full, **params)

    assert ndgrad.gradcheck(attend, [inputs[i] for i in wanted], second_order=True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_float32_matches_pytorch_forward_and_backward(rng, name):
    torch = pytest.importorskip("torch")
    inputs, params = _case(name, rng, np.float32)
    layout, heads = params["layout"], params["heads"]
    leaves = [None if t is None else ndgrad.Variable(t.numpy()) for t in inputs]
    out = fused_attention(*leaves, **params)
    g = rng.normal(size=out.shape).astype(np.float32)
    out.backward(ndgrad.tensor(g))
    assert out.dtype == np.float32 and out._node.op.name == "attention"
    theirs = [None if t is None else torch.tensor(t.numpy(), requires_grad=True) for t in inputs]
    q, k, v = theirs[:3]
    if layout == "packed":
        parts = q.reshape(N, L, 3, heads, -1)
        q, k, v = (parts[:, :, i].transpose(1, 2) for i in range(3))
    elif layout == "tokens":
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
    elif layout == "merged":
        q, k, v = (t.reshape(N, t.shape[1], heads, -1).transpose(1, 2) for t in (q, k, v))
    scores = q @ k.transpose(-1, -2) * params["scale"]
    for mask in theirs[3:]:
        if mask is not None:
            scores = scores + mask
    weights = torch.softmax(scores, dim=-1)
    if params["keep"] is not None:
        weights = weights * torch.tensor(params["keep"])
    expected = weights @ v
    if layout != "heads":
        expected = expected.transpose(1, 2)
        if layout != "tokens":
            expected = expected.reshape(N, L, -1)
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-5)
    for ours, reference in zip(leaves, theirs):
        if ours is not None:
            np.testing.assert_allclose(ours.grad.numpy(), reference.grad.numpy(), rtol=1e-4,
                                       atol=1e-5)
            assert ours.grad.dtype == np.float32


def test_a_fully_masked_query_gives_nan_as_the_composite_form():
    q = ndgrad.ones((1, 2, 3))
    mask = ndgrad.tensor(np.array([[0.0, 0.0], [-np.inf, -np.inf]], np.float32))
    out = fused_attention(q, q, q, mask, scale=1.0)
    assert np.isfinite(out.numpy()[0, 0]).all() and np.isnan(out.numpy()[0, 1]).all()


def test_inputs_it_does_not_fuse_run_the_composite_form(rng):
    """Broadcast batch axes and mixed dtypes take the op-by-op path, same numbers."""
    q = ndgrad.tensor(rng.normal(size=(1, L, D)), requires_grad=True)
    k = ndgrad.tensor(rng.normal(size=(N, S, D)))
    v = ndgrad.tensor(rng.normal(size=(N, S, DV)).astype(np.float32))
    out = fused_attention(q, k, v, scale=0.5)
    assert out.shape == (N, L, DV) and out._node.op.name != "attention"
    assert ndgrad.gradcheck(lambda a: fused_attention(a, k, v.astype(np.float64), scale=0.5),
                            [q])


def test_bad_layouts_and_shapes_are_refused_by_name():
    x = ndgrad.ones((2, 3, 12))
    with pytest.raises(ValueError, match="fused_attention: layout must be one of"):
        fused_attention(x, x, x, scale=1.0, layout="rows")
    with pytest.raises(ValueError, match="fused_attention: the 'packed' layout needs heads"):
        fused_attention(x, None, None, scale=1.0, layout="packed")
    with pytest.raises(ValueError, match=r"packed query must be \(N, T, 3 \* heads \* d\)"):
        fused_attention(x, None, None, scale=1.0, layout="packed", heads=5)
    with pytest.raises(ValueError, match="do not fit the 'heads' layout"):
        fused_attention(x, ndgrad.ones((2, 3, 5)), x, scale=1.0)


def test_the_kernels_reuse_buffers_without_mixing_two_live_computations(rng):
    def run(x):
        w = ndgrad.Variable(x)
        out = fused_attention(w, None, None, scale=0.5, layout="packed", heads=2)
        return w, out

    xs = [rng.normal(size=(4, 64, 3 * 64)).astype(np.float32) for _ in range(2)]
    alone = []
    for x in xs:
        w, out = run(x)
        (out * out).sum().backward()
        alone.append((out.numpy().copy(), w.grad.numpy().copy()))
    first, second = run(xs[0]), run(xs[1])
    (second[1] * second[1]).sum().backward()
    (first[1] * first[1]).sum().backward()
    for (w, out), (expected_out, expected_grad) in zip((first, second), alone):
        np.testing.assert_array_equal(out.numpy(), expected_out)
        np.testing.assert_array_equal(w.grad.numpy(), expected_grad)
