"""Embedding, both faces: lookups and gradients against PyTorch, padding_idx, index
types and errors, Keras's layout and initializer."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.nn import embedding as embedding_module
from ndgrad.nn.embedding import embedding

torch = pytest.importorskip("torch")


def keras(name):
    return getattr(ndgrad.layers, name, None) or embedding_module.KERAS_EXPORTS[name]


INDICES = np.array([[1, 4, 4, 0], [9, 1, 2, 4]], dtype=np.int64)


@pytest.mark.parametrize("padding_idx", [None, 4, -1])
def test_embedding_matches_pytorch_forward_and_weight_gradient(padding_idx):
    reference = torch.nn.Embedding(10, 3, padding_idx=padding_idx)
    layer = nn.Embedding(10, 3, padding_idx=padding_idx)
    layer.load_state_dict(reference.state_dict())
    ours, theirs = layer(ndgrad.tensor(INDICES)), reference(torch.tensor(INDICES))
    assert ours.shape == (2, 4, 3) and ours.dtype == np.float32
    np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())
    cotangent = np.random.default_rng(0).normal(size=(2, 4, 3)).astype(np.float32)
    (ours * ndgrad.tensor(cotangent)).sum().backward()
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(layer.weight.grad.numpy(), reference.weight.grad.numpy(),
                               rtol=1e-5, atol=1e-6)
    if padding_idx is not None:
        assert not layer.weight.grad.numpy()[padding_idx].any()


def test_embedding_gradient_accumulates_many_repeats_like_pytorch():
    indices = np.array([3] * 20 + [1, 2, 1] + [0] * 9, dtype=np.int64).reshape(4, 8)
    reference = torch.nn.Embedding(5, 4)
    layer = nn.Embedding(5, 4)
    layer.load_state_dict(reference.state_dict())
    cotangent = np.random.default_rng(1).normal(size=(4, 8, 4)).astype(np.float32)
    (layer(indices) * ndgrad.tensor(cotangent)).sum().backward()
    reference(torch.tensor(indices)).backward(torch.tensor(cotangent))
    np.testing.assert_allclose(layer.weight.grad.numpy(), reference.weight.grad.numpy(),
                               rtol=1e-5, atol=1e-5)


def test_embedding_initialization_padding_row_and_counts():
    layer = nn.Embedding(200, 50, padding_idx=3)
    weight = layer.weight.numpy()
    assert weight.shape == (200, 50) and weight.dtype == np.float32
    assert not weight[3].any()
    assert abs(weight.std() - 1.0) < 0.05 and abs(weight.mean()) < 0.05      # N(0, 1)
    assert sum(p.size for p in layer.parameters()) == 10000
    assert repr(layer) == "Embedding(200, 50, padding_idx=3)"


def test_embedding_accepts_integer_indices_of_any_shape_and_kind():
    layer = nn.Embedding(6, 2)
    table = layer.weight.numpy()
    for indices in ([3, 1], np.array([[[5]], [[0]]], dtype=np.int32), ndgrad.tensor([2]),
                    np.uint8(4), np.zeros((0, 3), np.int64)):
        expected = table[np.asarray(getattr(indices, "_data", indices))]
        np.testing.assert_array_equal(layer(indices).numpy(), expected)


def test_embedding_index_errors_name_the_index_and_the_size():
    layer = nn.Embedding(10, 2)
    with pytest.raises(IndexError, match=r"Embedding: index 12 .*num_embeddings=10"):
        layer(np.array([[1, 12]]))
    with pytest.raises(IndexError, match=r"index -1 .*num_embeddings=10"):
        layer([-1])
    with pytest.raises(TypeError, match=r"Embedding: indices must be integers, got float32"):
        layer(ndgrad.tensor([1.0, 2.0]))
    with pytest.raises(ValueError, match="padding_idx"):
        nn.Embedding(10, 2, padding_idx=10)


def test_embedding_state_round_trip_pretrained_and_one_step():
    layer = nn.Embedding(5, 3)
    copy = nn.Embedding(5, 3)
    copy.load_state_dict(layer.state_dict())
    np.testing.assert_array_equal(copy([0, 4]).numpy(), layer([0, 4]).numpy())
    frozen = nn.Embedding.from_pretrained(np.eye(3, dtype=np.float32))
    assert frozen([2]).tolist() == [[0.0, 0.0, 1.0]] and frozen.trainable_variables == []
    optimizer = ndgrad.optim.SGD(layer.parameters(), lr=0.5)
    target = ndgrad.ones((2, 3))
    first = ((layer([1, 2]) - target) ** 2).mean()
    first.backward()
    optimizer.step()
    assert ((layer([1, 2]) - target) ** 2).mean().item() < first.item()


def test_embedding_primitive_gradients_in_float64():
    weight = np.random.default_rng(0).normal(size=(5, 3))
    indices = np.array([[0, 2, 2], [4, 1, 0]])
    assert ndgrad.gradcheck(lambda w: embedding(indices, w), [weight], second_order=True)
    # padding_idx departs from the finite differences on purpose: its row gets no gradient
    gradient = ndgrad.grad(lambda w: (embedding(indices, w, padding_idx=2) ** 2).sum())
    w = ndgrad.Variable(weight)
    assert not gradient(w).numpy()[2].any()


def test_keras_embedding_layout_initializer_and_call():
    ndgrad.nn.reset_names()
    layer = keras("Embedding")(100, 8)
    assert layer.built and layer.training is False
    assert [(v.name, v.shape) for v in layer.variables] == [("embedding/embeddings", (100, 8))]
    values = layer.embeddings.numpy()
    assert values.dtype == np.float32 and np.abs(values).max() <= 0.05 and values.std() > 0.02
    out = layer(ndgrad.tensor([[3, 5], [7, 99]], dtype="int32"))
    np.testing.assert_array_equal(out.numpy(), values[[[3, 5], [7, 99]]])
    np.testing.assert_array_equal(layer(np.array([3.0, 5.0])).numpy(), values[[3, 5]])
    assert layer.count_params() == 800 and layer.get_config()["output_dim"] == 8
    with pytest.raises(IndexError, match=r"index 100 .*num_embeddings=100"):
        layer([100])
    ones = keras("Embedding")(4, 2, embeddings_initializer="ones")
    assert ones([1]).tolist() == [[1.0, 1.0]]


def test_keras_embedding_trains_in_a_model():
    model = ndgrad.Sequential([keras("Embedding")(10, 4), ndgrad.layers.Dense(1)])
    indices = np.array([[1, 2], [3, 4]])
    target = ndgrad.ones((2, 2, 1))
    model(indices)
    optimizer = ndgrad.optim.SGD(learning_rate=0.5)
    losses = []
    for _ in range(3):
        with ndgrad.GradientTape() as tape:
            loss = ((model(indices) - target) ** 2).mean()
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(loss.item())
    assert losses[-1] < losses[0]


def test_keras_mask_zero_is_refused_because_no_layer_reads_masks():
    from ndgrad import keras
    with pytest.raises(NotImplementedError, match=r"mask_zero=True.*padded steps would "
                                                  r"silently count.*sample_weight"):
        keras.layers.Embedding(10, 4, mask_zero=True)
    assert keras.layers.Embedding(10, 4, mask_zero=False).mask_zero is False


def test_pytorch_embedding_arguments():
    import ndgrad.torch as torch
    import torch as real
    ours = torch.nn.Embedding(5, 3, sparse=True, norm_type=2.0, device="cpu")
    theirs = real.nn.Embedding(5, 3, sparse=True)
    with real.no_grad():
        theirs.weight.copy_(real.tensor(ours.weight.numpy()))
    index = [[1, 4, 1]]
    (ours(torch.tensor(index)) ** 2).sum().backward()
    (theirs(real.tensor(index)) ** 2).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.to_dense().numpy(),
                               rtol=1e-6)
    assert not torch.nn.Embedding(5, 3, _freeze=True).weight.requires_grad
    with pytest.raises(NotImplementedError, match="scale_grad_by_freq=True is not supported"):
        torch.nn.Embedding(5, 3, scale_grad_by_freq=True)
