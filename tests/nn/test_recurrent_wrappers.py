"""layers.Bidirectional and layers.TimeDistributed: against PyTorch's bidirectional
layers with mapped weights, against the wrapped layers run by hand, gradients against
float64 finite differences, configs, symbolic calls and errors."""

import os
import tempfile

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, layers

from .layer_gradients import assert_layer_gradients

torch = pytest.importorskip("torch")


def _copy_lstm_into_torch(forward, backward, twin):
    values = []
    for layer in (forward, backward):
        kernel, recurrent, bias = (w.numpy() for w in (layer.kernel, layer.recurrent_kernel,
                                                       layer.bias))
        values += [kernel.T, recurrent.T, bias, np.zeros_like(bias)]
    with torch.no_grad():
        for parameter, value in zip(twin.parameters(), values):
            parameter.copy_(torch.tensor(np.ascontiguousarray(value)))


def test_bidirectional_lstm_matches_pytorch_forward_and_backward(rng):
    layer = layers.Bidirectional(layers.LSTM(4, return_sequences=True, return_state=True,
                                             bias_initializer="random_normal"))
    x = rng.normal(size=(3, 5, 2)).astype(np.float32)
    x_ours = ndgrad.Variable(x)
    output, h_f, c_f, h_b, c_b = layer(x_ours)
    twin = torch.nn.LSTM(2, 4, batch_first=True, bidirectional=True)
    _copy_lstm_into_torch(layer.forward_layer, layer.backward_layer, twin)
    x_theirs = torch.tensor(x, requires_grad=True)
    out_t, (h_n, c_n) = twin(x_theirs)
    for ours, theirs in [(output, out_t), (h_f, h_n[0]), (c_f, c_n[0]), (h_b, h_n[1]),
                         (c_b, c_n[1])]:
        np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-4, atol=1e-5)
    cotangent = rng.normal(size=output.shape).astype(np.float32)
    (output * ndgrad.tensor(cotangent)).sum().backward()
    (out_t * torch.tensor(cotangent)).sum().backward()
    np.testing.assert_allclose(x_ours.grad.numpy(), x_theirs.grad.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layer.backward_layer.kernel.grad.numpy(),
                               twin.weight_ih_l0_reverse.grad.numpy().T, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_merge_modes_combine_the_two_directions_as_keras(rng, merge_mode, return_sequences):
    layer = layers.Bidirectional(layers.GRU(3, return_sequences=return_sequences),
                                 merge_mode=merge_mode)
    x = ndgrad.tensor(rng.normal(size=(2, 4, 5)).astype(np.float32))
    output = layer(x)
    forward = layer.forward_layer(x).numpy()
    backward = layer.backward_layer(x).numpy()
    if return_sequences:
        backward = backward[:, ::-1]         # its outputs come in reading order
    expected = {"concat": lambda: np.concatenate([forward, backward], -1),
                "sum": lambda: forward + backward, "mul": lambda: forward * backward,
                "ave": lambda: (forward + backward) / 2,
                None: lambda: (forward, backward)}[merge_mode]()
    if merge_mode is None:
        assert isinstance(output, tuple) and len(output) == 2
        for ours, theirs in zip(output, expected):
            np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-6)
    else:
        np.testing.assert_allclose(output.numpy(), expected, rtol=1e-6)


def test_backward_layer_initial_state_and_weights_arguments(rng):
    forward = layers.SimpleRNN(2, return_state=True, name="f")
    backward = layers.SimpleRNN(2, return_state=True, go_backwards=True, name="b")
    x = ndgrad.tensor(rng.normal(size=(3, 4, 5)).astype(np.float32))
    probe = layers.Bidirectional(forward, backward_layer=backward, merge_mode=None)
    first, second, h_f, h_b = probe(x)
    assert probe.backward_layer is backward and probe.forward_layer.name == "forward_f"
    states = [ndgrad.tensor(rng.normal(size=(3, 2)).astype(np.float32)) for _ in range(2)]
    _, _, h_f2, h_b2 = probe(x, initial_state=states)
    np.testing.assert_allclose(h_b2.numpy(), backward(x, initial_state=[states[1]])[1].numpy(),
                               rtol=1e-6)
    weights = probe.get_weights()
    again = layers.Bidirectional(layers.SimpleRNN(2), weights=weights)
    again(x)
    for ours, theirs in zip(again.get_weights(), weights):
        np.testing.assert_array_equal(ours, theirs)


def test_time_distributed_applies_the_layer_at_every_step(rng):
    dense = layers.Dense(4, activation="tanh")
    layer = layers.TimeDistributed(dense)
    x = rng.normal(size=(2, 5, 3)).astype(np.float32)
    output = layer(ndgrad.tensor(x)).numpy()
    for t in range(5):
        np.testing.assert_allclose(output[:, t], dense(ndgrad.tensor(x[:, t])).numpy(),
                                   rtol=1e-6)
    conv = layers.TimeDistributed(layers.Conv2D(2, 3, padding="same"))
    images = rng.normal(size=(2, 3, 6, 6, 1)).astype(np.float32)
    out = conv(ndgrad.tensor(images))
    assert out.shape == (2, 3, 6, 6, 2)
    np.testing.assert_allclose(out.numpy()[:, 1], conv.layer(ndgrad.tensor(images[:, 1])).numpy(),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make", [
    lambda: layers.Bidirectional(layers.LSTM(2, return_sequences=True, dtype="float64"),
                                 dtype="float64"),
    lambda: layers.Bidirectional(layers.GRU(2, return_state=True, dtype="float64"),
                                 merge_mode="mul", dtype="float64"),
    lambda: layers.TimeDistributed(layers.Dense(3, activation="tanh", dtype="float64"),
                                   dtype="float64"),
], ids=["bidirectional-lstm", "bidirectional-gru-states", "time-distributed"])
def test_gradients_match_float64_finite_differences(rng, make):
    layer = make()
    x = rng.normal(size=(2, 4, 3))
    layer(ndgrad.tensor(x))
    assert_layer_gradients(layer, x)


def test_functional_model_with_wrappers_saves_and_loads(rng):
    inputs = keras.Input(shape=(None, 6))
    hidden = layers.Bidirectional(layers.LSTM(5, return_sequences=True))(inputs)
    hidden = layers.TimeDistributed(layers.Dense(3))(hidden)
    outputs = layers.Bidirectional(layers.GRU(2), merge_mode="ave")(hidden)
    model = keras.Model(inputs, outputs)
    assert hidden.shape == (None, None, 3) and outputs.shape == (None, 2)
    # Keras's counts: 2 * 4 * (6*5 + 5*5 + 5), 10*3 + 3, 2 * 3 * (3*2 + 2*2 + 2*2)
    assert [layer.count_params() for layer in model.layers[1:]] == [480, 33, 84]
    x = ndgrad.tensor(rng.normal(size=(2, 7, 6)).astype(np.float32))
    path = os.path.join(tempfile.mkdtemp(), "wrapped.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), rtol=1e-6)
    config = model.layers[1].get_config()
    assert config["merge_mode"] == "concat" and config["layer"]["class_name"] == "LSTM"


def test_bad_arguments_are_refused_with_the_layer_named():
    with pytest.raises(ValueError, match="Bidirectional: merge_mode must be one of"):
        layers.Bidirectional(layers.LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="Bidirectional: Dense has no 'go_backwards'"):
        layers.Bidirectional(layers.Dense(2))
    with pytest.raises(ValueError, match="must differ in go_backwards"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(2))
    with pytest.raises(ValueError, match="same return_sequences"):
        layers.Bidirectional(layers.LSTM(2), backward_layer=layers.LSTM(
            2, go_backwards=True, return_sequences=True))
    with pytest.raises(ValueError, match="TimeDistributed: expected a layer"):
        layers.TimeDistributed(lambda x: x)
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(ndgrad.ones((2, 3)))
