"""keras.ops neural-network ops against PyTorch and finite differences."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import ndgrad
from ndgrad.keras import activations, ops

X = np.linspace(-3, 3, 13).astype(np.float32)

ACTIVATIONS = [
    (ops.relu, F.relu), (ops.relu6, F.relu6), (ops.sigmoid, torch.sigmoid),
    (ops.tanh, torch.tanh), (ops.softplus, F.softplus), (ops.softsign, F.softsign),
    (ops.silu, F.silu), (ops.log_sigmoid, F.logsigmoid), (ops.selu, F.selu),
    (ops.elu, F.elu), (ops.celu, F.celu), (ops.hard_sigmoid, F.hardsigmoid),
    (ops.hard_silu, F.hardswish), (ops.hard_tanh, F.hardtanh), (ops.mish, F.mish),
    (ops.tanh_shrink, F.tanhshrink),
    (ops.leaky_relu, lambda t: F.leaky_relu(t, 0.2)),
    (ops.gelu, lambda t: F.gelu(t, approximate="tanh")),
    (activations.gelu, F.gelu),
    (ops.soft_shrink, lambda t: F.softshrink(t, 0.5)),
    (ops.hard_shrink, lambda t: F.hardshrink(t, 0.5)),
    (lambda t: activations.relu(t, negative_slope=0.1, max_value=2.0, threshold=0.5),
     lambda t: torch.where(t > 0.5, t, 0.1 * (t - 0.5)).clamp(max=2.0)),
]


@pytest.mark.parametrize("ours, theirs", ACTIVATIONS, ids=[str(i) for i in range(len(ACTIVATIONS))])
def test_activations_match_pytorch_with_keras_defaults(ours, theirs):
    np.testing.assert_allclose(ours(ndgrad.tensor(X)).numpy(), theirs(torch.tensor(X)).numpy(),
                               rtol=1e-5, atol=1e-6)


def test_softmax_glu_and_threshold(rng):
    x = rng.normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_allclose(ops.softmax(x, axis=0).numpy(),
                               torch.softmax(torch.tensor(x), 0).numpy(), rtol=1e-5)
    np.testing.assert_allclose(ops.log_softmax(x).numpy(),
                               torch.log_softmax(torch.tensor(x), -1).numpy(), rtol=1e-5)
    np.testing.assert_allclose(ops.glu(x).numpy(), F.glu(torch.tensor(x)).numpy(), rtol=1e-5)
    np.testing.assert_allclose(ops.threshold(x, 0.1, -1.0).numpy(),
                               F.threshold(torch.tensor(x), 0.1, -1.0).numpy())
    assert ops.squareplus([0.0], b=4).tolist() == [1.0]


@pytest.mark.parametrize("fn", [ops.gelu, ops.leaky_relu, ops.softplus, ops.hard_silu,
                                lambda t: ops.glu(t, axis=0), lambda t: ops.log_softmax(t),
                                lambda t: activations.relu(t, negative_slope=0.3, max_value=1.0)])
def test_activation_gradients_match_finite_differences(fn, rng):
    x = ndgrad.tensor(rng.normal(size=(4, 3)) + 0.05, dtype="float64")
    assert ndgrad.gradcheck(fn, [x])


def test_one_hot_and_multi_hot_by_hand():
    assert ops.one_hot([[0, 1], [2, 5]], 3, dtype="int32").tolist() == \
        [[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [0, 0, 0]]]
    assert ops.one_hot([0, 1], 2, axis=0).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert ops.multi_hot([[0, 3], [1, 1]], 4).tolist() == [[1.0, 0.0, 0.0, 1.0],
                                                           [0.0, 1.0, 0.0, 0.0]]
    np.testing.assert_array_equal(ops.one_hot(np.array([3, 0]), 4).numpy(),
                                  F.one_hot(torch.tensor([3, 0]), 4).numpy())


def test_cross_entropies_are_elementwise_or_per_sample(rng):
    logits = rng.normal(size=(5, 3)).astype(np.float32)
    labels = rng.integers(0, 3, size=5)
    np.testing.assert_allclose(
        ops.sparse_categorical_crossentropy(labels, logits, from_logits=True).numpy(),
        F.cross_entropy(torch.tensor(logits), torch.tensor(labels), reduction="none").numpy(),
        rtol=1e-5)
    np.testing.assert_allclose(
        ops.categorical_crossentropy(np.eye(3)[labels], logits, from_logits=True).numpy(),
        F.cross_entropy(torch.tensor(logits), torch.tensor(labels), reduction="none").numpy(),
        rtol=1e-5)
    targets = (rng.random((5, 3)) > 0.5).astype(np.float32)
    np.testing.assert_allclose(
        ops.binary_crossentropy(targets, logits, from_logits=True).numpy(),
        F.binary_cross_entropy_with_logits(torch.tensor(logits), torch.tensor(targets),
                                           reduction="none").numpy(), rtol=1e-5, atol=1e-6)


def test_moments_normalize_and_normalizations(rng):
    x = rng.normal(size=(4, 3, 2)).astype(np.float32)
    mean, variance = ops.moments(x, axes=[0, 2])
    np.testing.assert_allclose(mean.numpy(), x.mean(axis=(0, 2)), rtol=1e-5)
    np.testing.assert_allclose(variance.numpy(), x.var(axis=(0, 2)), rtol=1e-5)
    np.testing.assert_allclose(ops.normalize(x, axis=1).numpy(),
                               F.normalize(torch.tensor(x), dim=1).numpy(), rtol=1e-5)
    np.testing.assert_allclose(ops.normalize(x, axis=-1, order=1).numpy(),
                               F.normalize(torch.tensor(x), p=1, dim=-1).numpy(), rtol=1e-5)
    scale, offset = rng.random(3).astype(np.float32), rng.random(3).astype(np.float32)
    ours = ops.batch_normalization(x, mean, variance, axis=1, offset=offset, scale=scale,
                                   epsilon=1e-3)
    theirs = F.batch_norm(torch.tensor(x), torch.tensor(mean.numpy()),
                          torch.tensor(variance.numpy()), torch.tensor(scale),
                          torch.tensor(offset), eps=1e-3)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ops.layer_normalization(x, epsilon=1e-5).numpy(),
                               F.layer_norm(torch.tensor(x), (2,)).numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ops.rms_normalization(x, epsilon=1e-6).numpy(),
                               F.rms_norm(torch.tensor(x), (2,), eps=1e-6).numpy(), rtol=1e-4)
    assert ops.psnr(np.zeros((2, 2)), np.full((2, 2), 0.1), 1.0).item() == pytest.approx(20.0)


def test_normalization_gradients(rng):
    x = ndgrad.tensor(rng.normal(size=(3, 4)), dtype="float64")
    assert ndgrad.gradcheck(lambda t: ops.normalize(t), [x])
    assert ndgrad.gradcheck(lambda t: ops.moments(t, axes=[1])[1], [x])
    assert ndgrad.gradcheck(lambda t: ops.layer_normalization(t), [x])
