"""layers.RNN with layers.SimpleRNNCell / LSTMCell / GRUCell / StackedRNNCells and a
user's cell: the same numbers as the Keras recurrent layers, as PyTorch with mapped
weights, as a by-hand loop, and gradients against float64 finite differences."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers

from .layer_gradients import assert_layer_gradients

torch = pytest.importorskip("torch")

CELLS = {"SimpleRNN": layers.SimpleRNNCell, "LSTM": layers.LSTMCell, "GRU": layers.GRUCell}


def _swap_zr(m, units):
    return np.concatenate([m[..., units:2 * units], m[..., :units], m[..., 2 * units:]], -1)


def _torch_twin(cell, kind, units):
    """The batch-first PyTorch layer computing what the Keras cell computes."""
    kernel, recurrent, bias = (cell.kernel.numpy(), cell.recurrent_kernel.numpy(),
                               cell.bias.numpy())
    if kind == "GRU":
        twin = torch.nn.GRU(kernel.shape[0], units, batch_first=True)
        values = [_swap_zr(kernel, units).T, _swap_zr(recurrent, units).T,
                  _swap_zr(bias[0], units), _swap_zr(bias[1], units)]
    else:
        twin = (torch.nn.LSTM if kind == "LSTM" else torch.nn.RNN)(kernel.shape[0], units,
                                                                   batch_first=True)
        values = [kernel.T, recurrent.T, bias, np.zeros_like(bias)]
    with torch.no_grad():
        for parameter, value in zip(twin.parameters(), values):
            parameter.copy_(torch.tensor(np.ascontiguousarray(value)))
    return twin


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("kind", sorted(CELLS))
def test_rnn_of_a_cell_matches_pytorch_with_mapped_weights(rng, kind, go_backwards):
    layer = layers.RNN(CELLS[kind](4, bias_initializer="random_normal"), return_sequences=True,
                       return_state=True, go_backwards=go_backwards)
    x = rng.normal(size=(3, 5, 2)).astype(np.float32)
    ours = layer(ndgrad.tensor(x))
    twin = _torch_twin(layer.cell, kind, 4)
    with torch.no_grad():
        out, final = twin(torch.tensor(x[:, ::-1].copy() if go_backwards else x))
    theirs = [out] + ([final[0][0], final[1][0]] if kind == "LSTM" else [final[0]])
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kind", sorted(CELLS))
def test_rnn_of_a_cell_equals_the_keras_layer_and_the_cell_stepped_by_hand(rng, kind):
    layer_class = getattr(layers, kind)
    rnn = layers.RNN(CELLS[kind](3), return_sequences=True, return_state=True)
    whole = layer_class(3, return_sequences=True, return_state=True)
    x = ndgrad.tensor(rng.normal(size=(2, 4, 5)).astype(np.float32))
    rnn(x)
    whole(x)
    whole.set_weights(rnn.get_weights())
    for a, b in zip(rnn(x), whole(x)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-6)
    cell, states, outputs = rnn.cell, rnn.get_initial_state(2), []
    for t in range(4):
        output, states = cell(x[:, t], states)
        outputs.append(output.numpy())
    np.testing.assert_allclose(np.stack(outputs, 1), rnn(x)[0].numpy(), rtol=1e-5, atol=1e-6)


def test_cells_keep_a_single_state_unlisted_and_the_lstm_returns_h_and_c():
    gru = layers.GRUCell(2)
    output, state = gru(ndgrad.ones((1, 3)), ndgrad.zeros((1, 2)))
    assert isinstance(state, ndgrad.Tensor) and state.shape == (1, 2)
    output, states = gru(ndgrad.ones((1, 3)), [ndgrad.zeros((1, 2))])
    assert isinstance(states, list) and len(states) == 1
    lstm = layers.LSTMCell(2)
    h, (h_again, c) = lstm(ndgrad.ones((1, 3)), lstm.get_initial_state(1))
    assert h is h_again and c.shape == (1, 2)
    assert (lstm.state_size, gru.state_size, lstm.output_size) == ([2, 2], 2, 2)


class MinimalRNNCell(layers.Layer):
    """The user cell of Keras's RNN documentation."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        output = inputs @ self.kernel + states[0] @ self.recurrent_kernel
        return output, [output]


def test_a_user_cell_is_stepped_and_gives_the_by_hand_recurrence(rng):
    layer = layers.RNN(MinimalRNNCell(3), return_sequences=True, return_state=True)
    x = rng.normal(size=(2, 4, 5)).astype(np.float32)
    outputs, h = layer(ndgrad.tensor(x))
    kernel, recurrent = layer.cell.kernel.numpy(), layer.cell.recurrent_kernel.numpy()
    state, expected = np.zeros((2, 3), np.float32), []
    for t in range(4):
        state = x[:, t] @ kernel + state @ recurrent
        expected.append(state)
    np.testing.assert_allclose(outputs.numpy(), np.stack(expected, 1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h.numpy(), expected[-1], rtol=1e-5, atol=1e-6)


def test_stacked_cells_run_fused_with_the_numbers_of_stepping_the_stack(rng):
    cells = [layers.LSTMCell(4), layers.SimpleRNNCell(3), layers.GRUCell(2)]
    layer = layers.RNN(cells, return_sequences=True, return_state=True)
    x = ndgrad.tensor(rng.normal(size=(2, 5, 3)).astype(np.float32))
    output, lstm_states, simple_states, gru_states = layer(x)
    assert output.shape == (2, 5, 2) and [s.shape for s in lstm_states] == [(2, 4)] * 2
    assert layer.state_size == [[4, 4], 3, 2]
    stack, states, steps = layer.cell, layer.get_initial_state(2), []
    for t in range(5):
        out, states = stack(x[:, t], states)
        steps.append(out.numpy())
    np.testing.assert_allclose(output.numpy(), np.stack(steps, 1), rtol=1e-5, atol=1e-6)
    for ours, stepped in zip([lstm_states, simple_states, gru_states], states):
        for a, b in zip(ours, stepped):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_initial_states_are_used_and_checked(rng):
    layer = layers.RNN(layers.LSTMCell(2), return_state=True)
    x = ndgrad.tensor(rng.normal(size=(3, 4, 2)).astype(np.float32))
    h0, c0 = (ndgrad.tensor(rng.normal(size=(3, 2)).astype(np.float32)) for _ in range(2))
    _, h, _ = layer(x, initial_state=[h0, c0])
    whole = layers.LSTM(2, return_state=True)
    whole(x)
    whole.set_weights(layer.get_weights())
    np.testing.assert_allclose(h.numpy(), whole(x, initial_state=[h0, c0])[1].numpy(),
                               rtol=1e-6)
    with pytest.raises(ValueError, match="LSTMCell: expected 2 state"):
        layer(x, initial_state=[h0])
    with pytest.raises(ValueError, match=r"LSTMCell.*\(3, 2\)"):
        layer(x, initial_state=[h0[:2], c0[:2]])


def test_dropout_applies_one_input_mask_per_sequence_in_training_only():
    layer = layers.RNN(layers.SimpleRNNCell(2, dropout=0.5, seed=3), return_sequences=True)
    x = ndgrad.ones((4, 3, 5))
    first = layer(x).numpy()
    np.testing.assert_array_equal(first, layer(x).numpy())          # inference: no dropout
    assert not np.allclose(layer(x, training=True).numpy(), first)


@pytest.mark.parametrize("make", [
    lambda: layers.RNN(layers.LSTMCell(3, dtype="float64"), return_sequences=True,
                       return_state=True, dtype="float64"),
    lambda: layers.RNN([layers.GRUCell(3, dtype="float64"),
                        layers.SimpleRNNCell(2, dtype="float64")], go_backwards=True,
                       dtype="float64"),
    lambda: layers.RNN(MinimalRNNCell(2, dtype="float64"), return_sequences=True,
                       dtype="float64"),
], ids=["lstm-cell", "stacked-backwards", "user-cell"])
def test_gradients_match_float64_finite_differences(rng, make):
    layer = make()
    x = rng.normal(size=(2, 4, 3))
    layer(ndgrad.tensor(x))
    assert_layer_gradients(layer, x)


def test_config_round_trip_and_symbolic_call():
    layer = layers.RNN([layers.LSTMCell(4), layers.GRUCell(2, reset_after=False)],
                       return_sequences=True, go_backwards=True, name="stack")
    clone = layers.RNN.from_config(layer.get_config())
    assert clone.name == "stack" and clone.go_backwards and clone.return_sequences
    assert [type(c).__name__ for c in clone.cell.cells] == ["LSTMCell", "GRUCell"]
    assert clone.cell.cells[1].reset_after is False
    symbolic = clone(ndgrad.Input(shape=(None, 3)))
    assert symbolic.shape == (None, None, 2)
    assert clone.count_params() == 4 * (3 * 4 + 4 * 4 + 4) + 3 * (4 * 2 + 2 * 2 + 2)


def test_bad_input_is_refused_with_the_layer_named():
    with pytest.raises(ValueError, match="RNN: the cell needs a call"):
        layers.RNN(object())
    with pytest.raises(NotImplementedError, match="stateful=True"):
        layers.RNN(layers.LSTMCell(2), stateful=True)
    with pytest.raises(NotImplementedError, match="recurrent_dropout"):
        layers.GRUCell(2, recurrent_dropout=0.2)
    with pytest.raises(ValueError, match="units must be a positive int"):
        layers.LSTMCell(0)
    layer = layers.RNN(layers.GRUCell(2))
    with pytest.raises(ValueError, match=r"\(batch, time, features\)"):
        layer(ndgrad.ones((2, 3)))
    with pytest.raises(NotImplementedError, match="masks are not supported"):
        layer(ndgrad.ones((2, 3, 1)), mask=ndgrad.ones((2, 3)))
