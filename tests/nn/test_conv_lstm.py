"""Keras's ConvLSTM1D/2D: against the same recurrence written with PyTorch's
convolutions (the Keras kernels mapped across) forward and backward, float64 finite
differences, Keras's parameter counts, states, configs and errors."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, layers

from .layer_gradients import assert_layer_gradients

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _torch_kernel(kernel):
    """Keras (*k, in, out) -> PyTorch (out, in, *k)."""
    dims = kernel.ndim - 2
    return np.ascontiguousarray(np.transpose(kernel, (dims + 1, dims) + tuple(range(dims))))


def _same(kernel, dilation=1):
    total = [(k - 1) * dilation for k in kernel]
    return [(t // 2, t - t // 2) for t in total]


def _reference(layer, x, states=None):
    """The ConvLSTM recurrence in PyTorch, channels first, for 1-D or 2-D layers."""
    dims = layer._dims
    conv = F.conv2d if dims == 2 else F.conv1d
    kernel = torch.tensor(_torch_kernel(layer.kernel.numpy()), requires_grad=True)
    recurrent = torch.tensor(_torch_kernel(layer.recurrent_kernel.numpy()), requires_grad=True)
    bias = torch.tensor(layer.bias.numpy(), requires_grad=True)
    first = x.movedim(-1, 2)                                  # (N, T, C, *spatial)
    batch, steps = first.shape[:2]
    flat = first.reshape((batch * steps,) + tuple(first.shape[2:]))
    if layer.padding == "same":
        pads = [p for pair in reversed(_same(layer.kernel_size)) for p in pair]
        flat = F.pad(flat, pads)
    projected = conv(flat, kernel, bias, stride=layer.strides)
    projected = projected.reshape((batch, steps) + tuple(projected.shape[1:]))
    if layer.go_backwards:
        projected = projected.flip(1)
    pads = [p for pair in reversed(_same(layer.kernel_size)) for p in pair]
    h = c = torch.zeros((batch, layer.filters) + tuple(projected.shape[3:]))
    if states is not None:
        h, c = (s.movedim(-1, 1) for s in states)
    outputs = []
    for t in range(steps):
        z = projected[:, t] + conv(F.pad(h, pads), recurrent)
        i, f, g, o = z.chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        outputs.append(h.movedim(1, -1))
    return torch.stack(outputs, 1), h.movedim(1, -1), c.movedim(1, -1), [kernel, recurrent, bias]


@pytest.mark.parametrize("make, shape", [
    (lambda: layers.ConvLSTM2D(3, 3, padding="same", bias_initializer="random_normal"),
     (2, 4, 5, 5, 2)),
    (lambda: layers.ConvLSTM2D(2, (3, 2), strides=(2, 1), go_backwards=True), (2, 3, 7, 5, 3)),
    (lambda: layers.ConvLSTM1D(4, 3), (2, 5, 8, 3)),
], ids=["2d-same", "2d-strided-backwards", "1d"])
def test_matches_the_recurrence_in_pytorch_forward_and_backward(rng, make, shape):
    layer = make()
    layer.return_sequences = layer.return_state = True
    x = rng.normal(size=shape).astype(np.float32)
    ours_x = ndgrad.Variable(x)
    output, h, c = layer(ours_x)
    theirs_x = torch.tensor(x, requires_grad=True)
    t_output, t_h, t_c, weights = _reference(layer, theirs_x)
    for ours, theirs in [(output, t_output), (h, t_h), (c, t_c)]:
        np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-4, atol=1e-5)
    cotangent = rng.normal(size=output.shape).astype(np.float32)
    ((output * ndgrad.tensor(cotangent)).sum() + (c * c).sum()).backward()
    ((t_output * torch.tensor(cotangent)).sum() + (t_c * t_c).sum()).backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-4, atol=1e-5)
    for ours, theirs in zip([layer.kernel, layer.recurrent_kernel], weights):
        np.testing.assert_allclose(_torch_kernel(ours.grad.numpy()), theirs.grad.numpy(),
                                   rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer.bias.grad.numpy(), weights[2].grad.numpy(), rtol=1e-4,
                               atol=1e-4)


def test_initial_states_channels_first_and_counts(rng):
    layer = layers.ConvLSTM2D(2, 3, padding="same", return_state=True)
    x = rng.normal(size=(2, 3, 4, 4, 3)).astype(np.float32)
    states = [rng.normal(size=(2, 4, 4, 2)).astype(np.float32) for _ in range(2)]
    _, h, _ = layer(ndgrad.tensor(x), initial_state=[ndgrad.tensor(s) for s in states])
    *_, t_h, _, _ = _reference(layer, torch.tensor(x), [torch.tensor(s) for s in states])
    np.testing.assert_allclose(h.numpy(), t_h.detach().numpy(), rtol=1e-4, atol=1e-5)
    first = layers.ConvLSTM2D(2, 3, padding="same", data_format="channels_first")
    moved = np.ascontiguousarray(np.moveaxis(x, -1, 2))
    first(ndgrad.tensor(moved))
    first.set_weights(layer.get_weights())
    np.testing.assert_allclose(first(ndgrad.tensor(moved)).numpy(),
                               np.moveaxis(layer(ndgrad.tensor(x))[0].numpy(), -1, 1),
                               rtol=1e-5, atol=1e-6)
    # Keras's counts: k*k*C*4F + k*k*F*4F + 4F, the forget gate's bias at 1
    assert layer.count_params() == 9 * 3 * 8 + 9 * 2 * 8 + 8
    assert layer.bias.numpy().tolist() == [0, 0, 1, 1, 0, 0, 0, 0]


def test_gradients_match_float64_finite_differences(rng):
    layer = layers.ConvLSTM1D(2, 2, padding="same", return_sequences=True, dtype="float64",
                              bias_initializer="random_normal")
    x = rng.normal(size=(2, 3, 4, 2))
    layer(ndgrad.tensor(x))
    assert_layer_gradients(layer, x)


def test_in_a_model_with_config_dropout_and_errors():
    inputs = keras.Input(shape=(None, 6, 6, 1))
    hidden = layers.ConvLSTM2D(4, 3, padding="same", return_sequences=True, dropout=0.2)(inputs)
    assert hidden.shape == (None, None, 6, 6, 4)
    config = layers.ConvLSTM2D(4, 3, strides=2).get_config()
    assert (config["filters"], config["kernel_size"], config["strides"]) == (4, (3, 3), (2, 2))
    assert layers.ConvLSTM2D.from_config(config).get_config() == config
    layer = layers.ConvLSTM1D(2, 3, dropout=0.5, seed=1, return_sequences=True)
    x = ndgrad.ones((2, 3, 6, 2))
    assert not np.allclose(layer(x).numpy(), layer(x, training=True).numpy())
    with pytest.raises(NotImplementedError, match="ConvLSTM2D: recurrent_dropout"):
        layers.ConvLSTM2D(2, 3, recurrent_dropout=0.1)
    with pytest.raises(ValueError, match="ConvLSTM2D: padding must be 'valid' or 'same'"):
        layers.ConvLSTM2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match=r"ConvLSTM2D: expected a 5-D input \(batch, time, "):
        layers.ConvLSTM2D(2, 3)(ndgrad.ones((2, 3, 4, 4)))
