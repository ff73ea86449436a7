"""Keras's Attention (dot and concat scores, use_scale, masks, causal) and
AdditiveAttention: against PyTorch (scaled_dot_product_attention, or the same formula
written in PyTorch) forward and backward, float64 finite differences, parameter counts,
configs, symbolic calls and errors."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, layers

from .layer_gradients import assert_layer_gradients

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _inputs(rng, with_key):
    shapes = [(2, 3, 4), (2, 5, 6)] + ([(2, 5, 4)] if with_key else [])
    return [rng.normal(size=s).astype(np.float32) for s in shapes]


def _torch_reference(layer, tensors, value_mask=None, query_mask=None, causal=False):
    query, value, key = tensors[0], tensors[1], tensors[-1] if len(tensors) == 3 else tensors[1]
    scale = None if getattr(layer, "scale", None) is None else torch.tensor(
        layer.scale.numpy(), requires_grad=True)
    if type(layer).__name__ == "Attention" and layer.score_mode == "dot":
        scores = query @ key.transpose(-1, -2)
        if scale is not None:
            scores = scores * scale
    else:
        pairs = query[:, :, None] + key[:, None]
        if type(layer).__name__ == "Attention":
            weight = torch.tensor(layer.concat_score_weight.numpy())
            scores = weight * torch.tanh(pairs * scale if scale is not None else pairs).sum(-1)
        else:
            scores = (torch.tanh(pairs) * (scale if scale is not None else 1.0)).sum(-1)
    blocked = torch.zeros(scores.shape, dtype=torch.bool)
    if value_mask is not None:
        blocked |= ~torch.tensor(value_mask)[:, None, :]
    if causal:
        blocked |= torch.ones(scores.shape[-2:], dtype=torch.bool).triu(1)
    scores = torch.where(blocked, scores - 1e9, scores)
    weights = torch.softmax(scores, -1)
    out = weights @ value
    if query_mask is not None:
        out = torch.where(torch.tensor(query_mask)[:, :, None], out, 0.0)
    return out, weights, scale


CASES = [
    ("dot", lambda: layers.Attention(), False, {}),
    ("dot-scale-key", lambda: layers.Attention(use_scale=True), True, {}),
    ("dot-causal", lambda: layers.Attention(), False, {"use_causal_mask": True}),
    ("concat-scale", lambda: layers.Attention(use_scale=True, score_mode="concat"), True, {}),
    ("additive", lambda: layers.AdditiveAttention(), True, {}),
    ("additive-no-scale", lambda: layers.AdditiveAttention(use_scale=False), False, {}),
]


@pytest.mark.parametrize("label, make, with_key, options", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("masked", [False, True])
def test_forward_and_gradients_match_pytorch(rng, label, make, with_key, options, masked):
    layer = make()
    arrays = _inputs(rng, with_key)
    if "concat" in label or "additive" in label:
        arrays[1] = arrays[1][..., :4].copy() if not with_key else arrays[1]
        arrays[0] = arrays[0]
    if not with_key:                       # the value is the key: same last dimension
        arrays[1] = rng.normal(size=(2, 5, 4)).astype(np.float32)
    layer(list(map(ndgrad.tensor, arrays)))
    if getattr(layer, "scale", None) is not None:
        layer.scale.detach().numpy()[...] = rng.uniform(0.5, 1.5, size=layer.scale.shape)
    masks = {}
    if masked:
        masks = {"value_mask": np.array([[1, 1, 0, 1, 0], [1, 1, 1, 1, 1]], bool),
                 "query_mask": np.array([[1, 0, 1], [1, 1, 1]], bool)}
    ours_inputs = [ndgrad.Variable(a) for a in arrays]
    ours, ours_weights = layer(ours_inputs, return_attention_scores=True, **options,
                               **({"mask": [masks["query_mask"], masks["value_mask"]]}
                                  if masked else {}))
    theirs_inputs = [torch.tensor(a, requires_grad=True) for a in arrays]
    theirs, weights, scale = _torch_reference(layer, theirs_inputs,
                                              causal=options.get("use_causal_mask", False),
                                              **masks)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ours_weights.numpy(), weights.detach().numpy(), rtol=1e-4,
                               atol=1e-6)
    cotangent = rng.normal(size=ours.shape).astype(np.float32)
    (ours * ndgrad.tensor(cotangent)).sum().backward()
    (theirs * torch.tensor(cotangent)).sum().backward()
    for a, b in zip(ours_inputs, theirs_inputs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-5)
    if scale is not None:
        np.testing.assert_allclose(layer.scale.grad.numpy(), scale.grad.numpy(), rtol=1e-4,
                                   atol=1e-5)


def test_dot_attention_is_pytorch_scaled_dot_product_attention(rng):
    layer = layers.Attention(use_scale=True)
    q, v = (rng.normal(size=s).astype(np.float32) for s in ((2, 3, 4), (2, 6, 4)))
    layer([ndgrad.tensor(q), ndgrad.tensor(v)])
    layer.scale.detach().numpy()[...] = 0.5
    ours = layer([ndgrad.tensor(q), ndgrad.tensor(v)], use_causal_mask=True)
    theirs = F.scaled_dot_product_attention(torch.tensor(q), torch.tensor(v), torch.tensor(v),
                                            is_causal=True, scale=0.5)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make", [
    lambda: layers.Attention(use_scale=True, score_mode="concat", dtype="float64"),
    lambda: layers.AdditiveAttention(dtype="float64"),
], ids=["concat", "additive"])
def test_gradients_match_float64_finite_differences(rng, make):
    layer = make()
    arrays = [rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4))]
    layer([ndgrad.tensor(a) for a in arrays])
    assert_layer_gradients(layer, arrays, call=lambda module, tensors: module(
        list(tensors), use_causal_mask=True))


def test_counts_dropout_configs_and_functional_use():
    query, value = keras.Input(shape=(None, 8)), keras.Input(shape=(None, 8))
    dot = layers.Attention(use_scale=True, score_mode="concat", dropout=0.5)
    additive = layers.AdditiveAttention()
    attended = dot([query, value])
    assert attended.shape == (None, None, 8)
    out, scores = additive([query, value], return_attention_scores=True)
    assert scores.shape == (None, None, None)
    model = keras.Model([query, value], [attended, out])
    assert (dot.count_params(), additive.count_params()) == (2, 8)
    a, b = model([ndgrad.ones((2, 3, 8)), ndgrad.ones((2, 4, 8))])
    assert a.shape == b.shape == (2, 3, 8)
    config = dot.get_config()
    assert (config["use_scale"], config["score_mode"], config["dropout"]) == (True, "concat", 0.5)
    assert "score_mode" not in additive.get_config()
    x = [ndgrad.ones((2, 3, 8)), ndgrad.tensor(np.random.default_rng(0).normal(size=(2, 4, 8)))]
    plain = dot(x).numpy()
    np.testing.assert_array_equal(plain, dot(x).numpy())          # no dropout in inference
    assert not np.allclose(dot(x, training=True).numpy(), plain)


def test_bad_arguments_are_refused_with_the_layer_named():
    with pytest.raises(ValueError, match="Attention: score_mode must be 'dot' or 'concat'"):
        layers.Attention(score_mode="general")
    with pytest.raises(ValueError, match=r"Attention: call it on a list \[query, value\]"):
        layers.Attention()(ndgrad.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="AdditiveAttention: the query and the key must end"):
        layers.AdditiveAttention()([ndgrad.ones((2, 3, 4)), ndgrad.ones((2, 3, 5))])
    layer = layers.Attention()
    with pytest.raises(ValueError, match=r"Attention: a mask must be \(batch, time\)"):
        layer([ndgrad.ones((2, 3, 4)), ndgrad.ones((2, 5, 4))], mask=[None, np.ones(5)])
