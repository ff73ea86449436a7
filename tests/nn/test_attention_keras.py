"""layers.MultiHeadAttention: Keras's weights and masks, checked against PyTorch's
MultiheadAttention with the weights mapped (kernels reshaped and transposed)."""

import numpy as np
import pytest

import ndgrad
from ndgrad.nn.attention import KERAS_EXPORTS

torch = pytest.importorskip("torch")
MultiHeadAttention = KERAS_EXPORTS["MultiHeadAttention"]
B, T, S, DIM, HEADS = 3, 4, 5, 6, 2



def _twin(layer):
    """torch's MultiheadAttention (batch_first) holding the Keras layer's weights."""
    twin = torch.nn.MultiheadAttention(DIM, HEADS, batch_first=True)
    q, k, v, o = layer.query_dense, layer.key_dense, layer.value_dense, layer.output_dense
    in_weight = np.concatenate([p.kernel.numpy().reshape(DIM, -1).T for p in (q, k, v)])
    in_bias = np.concatenate([p.bias.numpy().reshape(-1) for p in (q, k, v)])
    with torch.no_grad():
        twin.in_proj_weight.copy_(torch.tensor(in_weight))
        twin.in_proj_bias.copy_(torch.tensor(in_bias))
        twin.out_proj.weight.copy_(torch.tensor(o.kernel.numpy().reshape(-1, DIM).T.copy()))
        twin.out_proj.bias.copy_(torch.tensor(o.bias.numpy()))
    return twin


@pytest.mark.parametrize("masked", [False, True])
def test_matches_pytorch_with_mapped_weights(rng, masked):
    layer = MultiHeadAttention(num_heads=HEADS, key_dim=DIM // HEADS,
                               bias_initializer="random_normal")
    query = rng.normal(size=(B, T, DIM)).astype(np.float32)
    value = rng.normal(size=(B, S, DIM)).astype(np.float32)
    allowed = rng.random((B, T, S)) > 0.3
    allowed[..., 0] = True
    q_n, v_n = ndgrad.Variable(query), ndgrad.Variable(value)
    out_n, scores_n = layer(q_n, v_n, attention_mask=allowed if masked else None,
                            return_attention_scores=True)
    twin = _twin(layer)
    q_t = torch.tensor(query, requires_grad=True)
    v_t = torch.tensor(value, requires_grad=True)
    blocked = torch.tensor(~allowed).repeat_interleave(HEADS, dim=0) if masked else None
    out_t, scores_t = twin(q_t, v_t, v_t, attn_mask=blocked, average_attn_weights=False)
    assert out_n.dtype == np.float32 and scores_n.shape == (B, HEADS, T, S)
    np.testing.assert_allclose(out_n.numpy(), out_t.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(scores_n.numpy(), scores_t.detach().numpy(), rtol=1e-4,
                               atol=1e-6)
    ((out_n ** 2).sum() + (scores_n ** 2).sum()).backward()
    ((out_t ** 2).sum() + (scores_t ** 2).sum()).backward()
    np.testing.assert_allclose(q_n.grad.numpy(), q_t.grad.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(v_n.grad.numpy(), v_t.grad.numpy(), rtol=1e-4, atol=1e-5)
    expected = twin.out_proj.weight.grad.numpy().T.reshape(HEADS, DIM // HEADS, DIM)
    np.testing.assert_allclose(layer.output_dense.kernel.grad.numpy(), expected, rtol=1e-4,
                               atol=1e-5)
    expected = twin.in_proj_weight.grad.numpy()[:DIM].T.reshape(DIM, HEADS, DIM // HEADS)
    np.testing.assert_allclose(layer.query_dense.kernel.grad.numpy(), expected, rtol=1e-4,
                               atol=1e-5)


def test_weights_names_counts_and_output_shape():
    ndgrad.nn.reset_names()
    layer = MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4, output_shape=5)
    assert not layer.built
    out = layer(ndgrad.ones((2, 3, 6)), ndgrad.ones((2, 7, 8)), ndgrad.ones((2, 7, 9)))
    assert out.shape == (2, 3, 5)
    shapes = {v.name: v.shape for v in layer.variables}
    assert shapes == {
        "multi_head_attention/query/kernel": (6, 2, 3), "multi_head_attention/query/bias": (2, 3),
        "multi_head_attention/key/kernel": (9, 2, 3), "multi_head_attention/key/bias": (2, 3),
        "multi_head_attention/value/kernel": (8, 2, 4), "multi_head_attention/value/bias": (2, 4),
        "multi_head_attention/attention_output/kernel": (2, 4, 5),
        "multi_head_attention/attention_output/bias": (5,)}
    assert layer.count_params() == sum(int(np.prod(s)) for s in shapes.values())
    assert MultiHeadAttention(2, 3, use_bias=False)(ndgrad.ones((1, 2, 4)),
                                                    ndgrad.ones((1, 2, 4))).shape == (1, 2, 4)


def test_causal_and_padding_masks_block_what_they_should(rng):
    layer = MultiHeadAttention(num_heads=2, key_dim=2)
    x = ndgrad.tensor(rng.normal(size=(2, 4, 4)).astype(np.float32))
    _, scores = layer(x, x, use_causal_mask=True, return_attention_scores=True)
    assert np.all(np.triu(scores.numpy()[0, 0], k=1) == 0)
    value_mask = np.array([[True, True, False, False], [True, True, True, False]])
    _, scores = layer(x, x, value_mask=value_mask, return_attention_scores=True)
    assert np.all(scores.numpy()[0, :, :, 2:] == 0) and np.all(scores.numpy()[1, :, :, 3] == 0)
    np.testing.assert_allclose(scores.numpy().sum(-1), 1.0, rtol=1e-5)


def test_dropout_in_training_only_round_trip_and_one_sgd_step(rng):
    layer = MultiHeadAttention(num_heads=2, key_dim=2, dropout=0.5)
    x = ndgrad.tensor(rng.normal(size=(2, 4, 4)).astype(np.float32))
    assert np.array_equal(layer(x, x).numpy(), layer(x, x).numpy())
    assert not np.allclose(layer(x, x, training=True).numpy(), layer(x, x).numpy())
    copy = MultiHeadAttention(num_heads=2, key_dim=2)
    copy(x, x)
    copy.load_state_dict(layer.state_dict())
    assert np.array_equal(copy(x, x).numpy(), layer(x, x).numpy())
    target = ndgrad.tensor(rng.normal(size=(2, 4, 4)).astype(np.float32))
    optimizer = ndgrad.optim.SGD(layer.trainable_variables, lr=0.1)
    before = ((layer(x, x) - target) ** 2).mean()
    before.backward()
    optimizer.step()
    assert ((layer(x, x) - target) ** 2).mean().item() < before.item()


def test_errors_name_the_layer():
    with pytest.raises(ndgrad.ShapeError, match="MultiHeadAttention: expected"):
        MultiHeadAttention(2, 2)(ndgrad.ones((2, 4)), ndgrad.ones((2, 4)))
    with pytest.raises(ndgrad.ShapeError, match=r"masks must broadcast to .*\(2, 4, 3\)"):
        MultiHeadAttention(2, 2)(ndgrad.ones((2, 4, 4)), ndgrad.ones((2, 3, 4)),
                                 attention_mask=np.ones((2, 4, 5), bool))
    with pytest.raises(NotImplementedError, match="attention_axes"):
        MultiHeadAttention(2, 2, attention_axes=(1, 2))
    with pytest.raises(ValueError, match="num_heads must be a positive int"):
        MultiHeadAttention(0, 2)
