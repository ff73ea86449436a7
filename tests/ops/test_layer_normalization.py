"""layer_norm's rows path: blocks of rows, x_hat kept for the rule. Exact gradients
of first and second order over several blocks and every affine variant, PyTorch's
numbers in float32, float32 kept end to end."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import layer_normalization
from ndgrad.ops.layer_normalization import layer_norm


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of two rows of (3, 4) features, so that small inputs span several."""
    monkeypatch.setattr(layer_normalization, "_BLOCK_ELEMENTS", 24)


@pytest.mark.parametrize("affine", ["both", "weight", "bias", "none"])
def test_several_blocks_give_exact_gradients(rng, small_blocks, affine):
    x = ndgrad.tensor(rng.normal(size=(5, 3, 4)) * 3 + 2)
    weight = ndgrad.tensor(rng.normal(size=(3, 4))) if affine in ("both", "weight") else None
    bias = ndgrad.tensor(rng.normal(size=(3, 4))) if affine in ("both", "bias") else None
    given = [t for t in (x, weight, bias) if t is not None]

    def normalized(*args):
        values = iter(args)
        return layer_norm(next(values), (3, 4), next(values) if weight is not None else None,
                          next(values) if bias is not None else None)

    assert ndgrad.gradcheck(normalized, given, second_order=True)
    rows = x.numpy().reshape(5, 12)
    expected = (rows - rows.mean(1, keepdims=True)) / np.sqrt(rows.var(1, keepdims=True) + 1e-5)
    expected = expected.reshape(5, 3, 4)
    if weight is not None:
        expected = expected * weight.numpy()
    if bias is not None:
        expected = expected + bias.numpy()
    np.testing.assert_allclose(normalized(*given).numpy(), expected, rtol=1e-12, atol=1e-12)


def test_float32_over_several_blocks_matches_pytorch_and_stays_float32(rng, monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(layer_normalization, "_BLOCK_ELEMENTS", 64 * 3)
    x = (rng.normal(size=(4, 7, 64)) * 5 + 10).astype(np.float32)
    g = rng.normal(size=x.shape).astype(np.float32)
    reference = torch.nn.LayerNorm(64)
    with torch.no_grad():
        reference.weight.uniform_(0.5, 1.5)
        reference.bias.uniform_(-1, 1)
    ours = ndgrad.nn.LayerNorm(64)
    ours.load_state_dict(reference.state_dict())
    x_t, x_n = torch.tensor(x, requires_grad=True), ndgrad.Variable(x)
    y_t, y_n = reference(x_t), ours(x_n)
    y_t.backward(torch.tensor(g))
    y_n.backward(ndgrad.tensor(g))
    assert y_n.dtype == x_n.grad.dtype == ours.weight.grad.dtype == np.float32
    np.testing.assert_allclose(y_n.numpy(), y_t.detach().numpy(), atol=1e-5)
    np.testing.assert_allclose(x_n.grad.numpy(), x_t.grad.numpy(), rtol=1e-4, atol=1e-4)
    for name in ("weight", "bias"):
        np.testing.assert_allclose(getattr(ours, name).grad.numpy(),
                                   getattr(reference, name).grad.numpy(), rtol=1e-4, atol=1e-4)


def test_outputs_and_saved_values_survive_later_calls(rng):
    """Buffers are reused across calls, never while an output or a saved x_hat lives."""
    weight = ndgrad.Variable(rng.uniform(0.5, 1.5, size=512).astype(np.float32))
    xs = [ndgrad.Variable(rng.normal(size=(128, 512)).astype(np.float32)) for _ in range(2)]
    alone = []
    for x in xs:
        y = layer_norm(x, (512,), weight)
        (y * y).sum().backward()
        alone.append((y.numpy().copy(), x.grad.numpy().copy()))
        x.grad = None
    first, second = (layer_norm(x, (512,), weight) for x in xs)
    (second * second).sum().backward()
    (first * first).sum().backward()
    for x, y, (expected_y, expected_grad) in zip(xs, (first, second), alone):
        np.testing.assert_array_equal(y.numpy(), expected_y)
        np.testing.assert_array_equal(x.grad.numpy(), expected_grad)
