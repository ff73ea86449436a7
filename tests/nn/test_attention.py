"""nn.MultiheadAttention and the attention functions against PyTorch."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.nn.attention import multi_head_attention_forward, scaled_dot_product_attention

torch = pytest.importorskip("torch")


L, S, N, E, HEADS = 4, 5, 3, 8, 2


def _blocked(rng, shape, rate=0.3):
    """A boolean mask with no fully blocked row (PyTorch and ndgrad then agree on NaN-free)."""
    mask = rng.random(shape) < rate
    mask[..., 0] = False
    return mask


MASKS = {
    "none": {},
    "bool attn_mask": lambda rng: {"attn_mask": _blocked(rng, (L, S))},
    "3-D attn_mask": lambda rng: {"attn_mask": _blocked(rng, (N * HEADS, L, S))},
    "float attn_mask": lambda rng: {"attn_mask": rng.normal(size=(L, S)).astype(np.float32)},
    "bool key_padding_mask": lambda rng: {"key_padding_mask": _blocked(rng, (N, S))},
    "float key_padding_mask": lambda rng: {
        "key_padding_mask": np.where(_blocked(rng, (N, S)), -np.inf, 0).astype(np.float32)},
    "both": lambda rng: {"attn_mask": _blocked(rng, (L, S), 0.2),
                         "key_padding_mask": _blocked(rng, (N, S), 0.2)},
    "need_weights=False": lambda rng: {"attn_mask": _blocked(rng, (L, S)),
                                       "need_weights": False},
    "per-head weights": lambda rng: {"key_padding_mask": _blocked(rng, (N, S)),
                                     "average_attn_weights": False},
}


def _pair(**kwargs):
    reference = torch.nn.MultiheadAttention(E, HEADS, **kwargs)
    ours = nn.MultiheadAttention(E, HEADS, **kwargs)
    ours.load_state_dict(reference.state_dict())
    return reference, ours


def _compare(rng, reference, ours, query, key, value, options, self_attention=False):
    """Outputs, weights and every gradient of both modules on the same inputs."""
    leaves_t = [torch.tensor(a, requires_grad=True) for a in (query, key, value)]
    leaves_n = [ndgrad.Variable(a) for a in (query, key, value)]
    if self_attention:
        leaves_t, leaves_n = leaves_t[:1] * 3, leaves_n[:1] * 3
    options_t = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                 for k, v in options.items()}
    out_t, weights_t = reference(*leaves_t, **options_t)
    out_n, weights_n = ours(*leaves_n, **options)
    assert out_n.dtype == np.float32 and out_n.shape == tuple(out_t.shape)
    np.testing.assert_allclose(out_n.numpy(), out_t.detach().numpy(), rtol=1e-4, atol=1e-5)
    loss_t, loss_n = (out_t ** 2).sum(), (out_n ** 2).sum()
    if weights_t is None:
        assert weights_n is None
    else:
        assert weights_n.shape == tuple(weights_t.shape)
        np.testing.assert_allclose(weights_n.numpy(), weights_t.detach().numpy(), rtol=1e-4,
                                   atol=1e-6)
        loss_t, loss_n = loss_t + (weights_t ** 3).sum(), loss_n + (weights_n ** 3).sum()
    loss_t.backward()
    loss_n.backward()
    for a, b in zip(leaves_n, leaves_t):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-5)
    for (name_t, p_t), (name_n, p_n) in zip(reference.named_parameters(),
                                           ours.named_parameters()):
        assert name_t == name_n
        np.testing.assert_allclose(p_n.grad.numpy(), p_t.grad.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("masks", list(MASKS))
def test_matches_pytorch_with_masks(rng, masks):
    reference, ours = _pair()
    options = MASKS[masks](rng) if callable(MASKS[masks]) else {}
    query, key, value = (rng.normal(size=(n, N, E)).astype(np.float32) for n in (L, S, S))
    _compare(rng, reference, ours, query, key, value, options)


@pytest.mark.parametrize("kwargs", [{"batch_first": True}, {"bias": False},
                                    {"kdim": 6, "vdim": 7}, {"add_bias_kv": True},
                                    {"add_zero_attn": True, "batch_first": True}])
def test_matches_pytorch_for_each_option(rng, kwargs):
    reference, ours = _pair(**kwargs)
    batch_first = kwargs.get("batch_first", False)
    shape = lambda n, e: (N, n, e) if batch_first else (n, N, e)
    query = rng.normal(size=shape(L, E)).astype(np.float32)
    key = rng.normal(size=shape(S, kwargs.get("kdim", E))).astype(np.float32)
    value = rng.normal(size=shape(S, kwargs.get("vdim", E))).astype(np.float32)
    _compare(rng, reference, ours, query, key, value,
             {"key_padding_mask": _blocked(rng, (N, S))})


@pytest.mark.parametrize("batch_first", [False, True])
def test_self_attention_with_a_causal_mask_matches_pytorch(rng, batch_first):
    reference, ours = _pair(batch_first=batch_first)
    x = rng.normal(size=(N, L, E) if batch_first else (L, N, E)).astype(np.float32)
    causal = np.triu(np.ones((L, L), bool), k=1)
    _compare(rng, reference, ours, x, x, x, {"attn_mask": causal, "is_causal": True},
             self_attention=True)


def test_unbatched_inputs_match_pytorch(rng):
    reference, ours = _pair()
    query, key, value = (rng.normal(size=(n, E)).astype(np.float32) for n in (L, S, S))
    _compare(rng, reference, ours, query, key, value,
             {"attn_mask": _blocked(rng, (HEADS, L, S)), "average_attn_weights": False})


def test_parameters_init_and_counts_are_pytorch():
    for kwargs in ({}, {"kdim": 3, "vdim": 5}, {"add_bias_kv": True}, {"bias": False}):
        reference = torch.nn.MultiheadAttention(E, HEADS, **kwargs)
        ours = nn.MultiheadAttention(E, HEADS, **kwargs)
        assert list(ours.state_dict()) == list(reference.state_dict())
        for (name, theirs), (_, mine) in zip(reference.state_dict().items(),
                                             ours.state_dict().items()):
            assert mine.shape == tuple(theirs.shape) and mine.dtype == np.float32, name
        assert ours.count_params() == sum(p.numel() for p in reference.parameters())
    attention = nn.MultiheadAttention(E, HEADS)
    assert attention.in_proj_bias.tolist() == [0.0] * 3 * E
    assert attention.out_proj.bias.tolist() == [0.0] * E
    assert float(abs(attention.in_proj_weight).max()) <= np.sqrt(6 / (4 * E))


def test_dropout_acts_in_training_only_and_one_sgd_step_lowers_the_loss(rng):
    attention = nn.MultiheadAttention(E, HEADS, dropout=0.5)
    x = ndgrad.tensor(rng.normal(size=(L, N, E)).astype(np.float32))
    first, second = attention(x, x, x)[0].numpy(), attention(x, x, x)[0].numpy()
    assert not np.allclose(first, second)
    attention.eval()
    assert np.array_equal(attention(x, x, x)[0].numpy(), attention(x, x, x)[0].numpy())
    target = ndgrad.tensor(rng.normal(size=(L, N, E)).astype(np.float32))
    optimizer = ndgrad.optim.SGD(attention.parameters(), lr=0.1)
    before = ((attention(x, x, x)[0] - target) ** 2).mean()
    before.backward()
    optimizer.step()
    assert ((attention(x, x, x)[0] - target) ** 2).mean().item() < before.item()


def test_state_round_trip_gives_identical_outputs(rng):
    first, second = nn.MultiheadAttention(E, HEADS, kdim=3), nn.MultiheadAttention(E, HEADS,
                                                                                    kdim=3)
    second.load_state_dict(first.state_dict())
    q = ndgrad.tensor(rng.normal(size=(L, N, E)).astype(np.float32))
    k = ndgrad.tensor(rng.normal(size=(S, N, 3)).astype(np.float32))
    assert np.array_equal(first(q, k, q[:1].repeat(S, axis=0))[0].numpy(),
                          second(q, k, q[:1].repeat(S, axis=0))[0].numpy())


@pytest.mark.parametrize("is_causal", [False, True])
def test_scaled_dot_product_attention_matches_pytorch(rng, is_causal):
    q, k, v = (rng.normal(size=(2, 3, n, 4)).astype(np.float32) for n in (5, 5, 5))
    allowed = ~_blocked(rng, (5, 5))
    mask = None if is_causal else allowed
    ours = scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=is_causal)
    theirs = torch.nn.functional.scaled_dot_product_attention(
        torch.tensor(q), torch.tensor(k), torch.tensor(v),
        attn_mask=None if mask is None else torch.tensor(mask), is_causal=is_causal)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-5)


def test_gradients_are_exact_in_float64(rng):
    weight = ndgrad.tensor(rng.normal(size=(3 * 4, 4)) * 0.5)
    out_weight = ndgrad.tensor(rng.normal(size=(4, 4)) * 0.5)
    x = ndgrad.tensor(rng.normal(size=(3, 2, 4)))

    def attend(x, weight, out_weight):
        return multi_head_attention_forward(x, x, x, 4, 2, weight, None, None, None, False,
                                            0.0, out_weight, None)[0]

    assert ndgrad.gradcheck(attend, [x, weight, out_weight], second_order=True)


def test_bad_shapes_and_masks_are_refused_by_name():
    attention = nn.MultiheadAttention(E, HEADS)
    x = ndgrad.ones((L, N, E))
    with pytest.raises(ndgrad.ShapeError, match="MultiheadAttention: the query's last "
                                                "dimension must be embed_dim=8"):
        attention(ndgrad.ones((L, N, 6)), x, x)
    with pytest.raises(ndgrad.ShapeError, match=r"attn_mask must have shape \(4, 4\)"):
        attention(x, x, x, attn_mask=np.zeros((3, 3), bool))
    with pytest.raises(ndgrad.ShapeError, match=r"key_padding_mask must have shape \(3, 4\)"):
        attention(x, x, x, key_padding_mask=np.zeros((N, 7), bool))
    with pytest.raises(ndgrad.ShapeError, match="MultiheadAttention: key and value must"):
        attention(x, ndgrad.ones((5, N, E)), x)
    with pytest.raises(ndgrad.ShapeError, match="must all be 3-D"):
        attention(x, x, ndgrad.ones((L, E)))
    with pytest.raises(TypeError, match="masks must be boolean or floating"):
        attention(x, x, x, attn_mask=np.zeros((L, L), np.int64))
    with pytest.raises(ValueError, match=r"embed_dim \(6\) must be a positive multiple of "
                                         r"num_heads \(4\)"):
        nn.MultiheadAttention(6, 4)


@pytest.mark.parametrize("self_attention,kwargs", [
    (self_attention, kwargs) for self_attention in (False, True)
    for kwargs in ({}, {"batch_first": True}, {"kdim": 6, "vdim": 7}, {"add_bias_kv": True},
                   {"add_zero_attn": True}) if not (self_attention and "kdim" in kwargs)])
@pytest.mark.parametrize("masks", ["both", "3-D attn_mask", "float attn_mask"])
def test_the_fused_path_without_weights_matches_pytorch(rng, self_attention, kwargs, masks):
    """need_weights=False runs one fused attention op (packed in-projection for
    self-attention): outputs and every gradient as PyTorch's."""
    reference, ours = _pair(**kwargs)
    batch_first = kwargs.get("batch_first", False)
    shape = lambda n, e: (N, n, e) if batch_first else (n, N, e)
    length = L if self_attention else S
    query = rng.normal(size=shape(L, E)).astype(np.float32)
    key = rng.normal(size=shape(length, kwargs.get("kdim", E))).astype(np.float32)
    value = rng.normal(size=shape(length, kwargs.get("vdim", E))).astype(np.float32)
    options = {"attn_mask": _blocked(rng, (L, length), 0.2),
               "key_padding_mask": _blocked(rng, (N, length), 0.2)} if masks == "both" else {
        "attn_mask": _blocked(rng, (N * HEADS, L, length))} if masks == "3-D attn_mask" else {
        "attn_mask": rng.normal(size=(L, length)).astype(np.float32)}
    _compare(rng, reference, ours, query, key, value, {**options, "need_weights": False},
             self_attention=self_attention)


def test_dropout_on_the_fused_path_is_the_op_by_op_path_s(rng):
    """Same seed, same dropped weights: the fused op (need_weights=False) and the
    composite path (need_weights=True) give the same outputs and gradients."""
    attention = nn.MultiheadAttention(E, HEADS, dropout=0.4)
    x = rng.normal(size=(L, N, E)).astype(np.float32)
    results = []
    for need_weights in (False, True):
        leaf = ndgrad.Variable(x)
        ndgrad.random.seed(3)
        out = attention(leaf, leaf, leaf, need_weights=need_weights)[0]
        attention.zero_grad()
        (out ** 2).sum().backward()
        results.append((out.numpy(), leaf.grad.numpy(), attention.in_proj_weight.grad.numpy()))
    for fused, composite in zip(*results):
        np.testing.assert_allclose(fused, composite, rtol=1e-5, atol=1e-6)
    q = ndgrad.tensor(rng.normal(size=(2, 3, 5, 4)).astype(np.float32))
    ndgrad.random.seed(4)
    dropped = scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    ndgrad.random.seed(4)
    keep = nn.cells.dropout_mask((2, 3, 5, 5), 0.5, np.float32)
    weights = ndgrad.softmax(q @ q.swapaxes(-1, -2) / 2.0, axis=-1) * keep
    np.testing.assert_allclose(dropped.numpy(), (weights @ q).numpy(), rtol=1e-5, atol=1e-6)
