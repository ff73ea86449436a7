"""layers.LSTM, layers.GRU, layers.SimpleRNN: Keras's weights and arguments, checked
against PyTorch by mapping the weights (transpose, reorder gates) and by hand."""

import math

import numpy as np
import pytest

import ndgrad
from ndgrad.nn.recurrent import KERAS_EXPORTS

torch = pytest.importorskip("torch")
LSTM, GRU, SimpleRNN = KERAS_EXPORTS["LSTM"], KERAS_EXPORTS["GRU"], KERAS_EXPORTS["SimpleRNN"]



def _swap_zr(m, units):
    """Keras's z, r, h blocks <-> PyTorch's r, z, n (the map is its own inverse)."""
    return np.concatenate([m[..., units:2 * units], m[..., :units], m[..., 2 * units:]], -1)


def _torch_twin(layer, units):
    """The PyTorch layer (batch_first) computing what the Keras layer computes, and a
    function mapping its parameter gradients back to the Keras variables' layout."""
    kernel, recurrent = layer.kernel.numpy(), layer.recurrent_kernel.numpy()
    bias = layer.bias.numpy()
    if isinstance(layer, GRU):
        twin = torch.nn.GRU(kernel.shape[0], units, batch_first=True)
        weights = [_swap_zr(kernel, units).T, _swap_zr(recurrent, units).T,
                   _swap_zr(bias[0], units), _swap_zr(bias[1], units)]
        back = lambda g: [_swap_zr(g[0].T, units), _swap_zr(g[1].T, units),
                          np.stack([_swap_zr(g[2], units), _swap_zr(g[3], units)])]
    else:
        twin = (torch.nn.LSTM if isinstance(layer, LSTM) else torch.nn.RNN)(
            kernel.shape[0], units, batch_first=True)
        weights = [kernel.T, recurrent.T, bias, np.zeros_like(bias)]
        back = lambda g: [g[0].T, g[1].T, g[2]]
    with torch.no_grad():
        for parameter, value in zip(twin.parameters(), weights):
            parameter.copy_(torch.tensor(np.ascontiguousarray(value)))
    return twin, back


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("kind", [LSTM, GRU, SimpleRNN])
def test_keras_layers_match_pytorch_with_mapped_weights(rng, kind, with_state, go_backwards):
    units = 4
    layer = kind(units, return_sequences=True, return_state=True, go_backwards=go_backwards,
                 bias_initializer="random_normal")
    x = rng.normal(size=(3, 5, 2)).astype(np.float32)
    layer.build(x.shape)
    twin, back = _torch_twin(layer, units)
    n_states = 2 if kind is LSTM else 1
    states = [rng.normal(size=(3, units)).astype(np.float32) for _ in range(n_states)]
    x_n = ndgrad.Variable(x)
    s_n = [ndgrad.Variable(s) for s in states]
    ours = layer(x_n, initial_state=s_n if with_state else None)
    x_t = torch.tensor(x[:, ::-1].copy() if go_backwards else x, requires_grad=True)
    s_t = [torch.tensor(s[None], requires_grad=True) for s in states]
    hx = (tuple(s_t) if kind is LSTM else s_t[0]) if with_state else None
    out_t, final_t = twin(x_t, hx)
    theirs = [out_t] + ([final_t[0][0], final_t[1][0]] if kind is LSTM else [final_t[0]])
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype == np.float32 and a.shape == tuple(b.shape)
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-4, atol=1e-5)
    sum(((o * (k + 1)) ** 2).sum() for k, o in enumerate(ours)).backward()
    sum(((o * (k + 1)) ** 2).sum() for k, o in enumerate(theirs)).backward()
    x_grad = x_t.grad.numpy()[:, ::-1] if go_backwards else x_t.grad.numpy()
    np.testing.assert_allclose(x_n.grad.numpy(), x_grad, rtol=1e-4, atol=1e-5)
    for variable, expected in zip([layer.kernel, layer.recurrent_kernel, layer.bias],
                                  back([p.grad.numpy() for p in twin.parameters()])):
        np.testing.assert_allclose(variable.grad.numpy(), expected, rtol=1e-4, atol=1e-5)
    if with_state:
        for a, b in zip(s_n, s_t):
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy()[0], rtol=1e-4, atol=1e-5)


def test_lstm_one_unit_by_hand():
    layer = LSTM(1, return_state=True)
    layer.build((1, 2, 1))
    layer.set_weights([np.array([[0.5, -0.5, 1.0, 2.0]]), np.array([[0.1, 0.2, 0.3, 0.4]]),
                       np.array([0.0, 1.0, 0.0, -1.0])])
    sigmoid = lambda v: 1 / (1 + math.exp(-v))
    h = c = 0.0
    for x in (1.0, -2.0):
        i, f = sigmoid(0.5 * x + 0.1 * h), sigmoid(-0.5 * x + 0.2 * h + 1.0)
        g, o = math.tanh(1.0 * x + 0.3 * h), sigmoid(2.0 * x + 0.4 * h - 1.0)
        c = f * c + i * g
        h = o * math.tanh(c)
    output, h_n, c_n = layer(ndgrad.tensor([[[1.0], [-2.0]]]))
    assert round(output.item(), 6) == round(h_n.item(), 6) == round(h, 6)
    assert round(c_n.item(), 6) == round(c, 6)


def test_gru_reset_before_by_hand():
    layer = GRU(1, reset_after=False, use_bias=True)
    layer.build((1, 1, 1))
    assert layer.bias.shape == (3,)
    layer.set_weights([np.array([[1.0, 2.0, 3.0]]), np.array([[0.5, 0.5, 0.5]]),
                       np.array([0.1, 0.2, 0.3])])
    sigmoid = lambda v: 1 / (1 + math.exp(-v))
    h0, x = 0.5, 1.0
    z, r = sigmoid(1.0 * x + 0.5 * h0 + 0.1), sigmoid(2.0 * x + 0.5 * h0 + 0.2)
    candidate = math.tanh(3.0 * x + 0.5 * (r * h0) + 0.3)
    out = layer(ndgrad.tensor([[[x]]]), initial_state=[ndgrad.tensor([[h0]])])
    assert round(out.item(), 6) == round(z * h0 + (1 - z) * candidate, 6)


def test_weights_build_lazily_with_keras_names_shapes_and_counts():
    ndgrad.nn.reset_names()
    lstm = LSTM(3)
    assert not lstm.built and lstm.kernel is None and lstm.name == "lstm"
    assert lstm(ndgrad.ones((2, 4, 5))).shape == (2, 3)
    assert [v.name for v in lstm.variables] == ["lstm/kernel", "lstm/recurrent_kernel",
                                                "lstm/bias"]
    assert (lstm.kernel.shape, lstm.recurrent_kernel.shape, lstm.bias.shape) == (
        (5, 12), (3, 12), (12,))
    assert lstm.count_params() == 4 * (5 * 3 + 3 * 3 + 3)
    assert lstm.bias.tolist() == [0.0] * 3 + [1.0] * 3 + [0.0] * 6     # unit_forget_bias
    recurrent = lstm.recurrent_kernel.numpy()                            # orthogonal rows
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(3), atol=1e-5)
    assert GRU(3, input_shape=(4, 5)).count_params() == 3 * (5 * 3 + 3 * 3 + 2 * 3)
    assert GRU(3, reset_after=False, input_shape=(4, 5)).count_params() == 3 * (5 * 3 + 9 + 3)
    assert SimpleRNN(3, input_shape=(4, 5)).count_params() == 5 * 3 + 9 + 3
    assert LSTM(3, use_bias=False, unit_forget_bias=False, input_shape=(4, 5)).bias is None
    assert LSTM(2, unit_forget_bias=False, input_shape=(1, 1)).bias.tolist() == [0.0] * 8
    ndgrad.nn.reset_names()
    assert [LSTM(2).name, LSTM(2).name, GRU(2).name, SimpleRNN(2).name] == [
        "lstm", "lstm_1", "gru", "simple_rnn"]


@pytest.mark.parametrize("kind,n_states", [(LSTM, 2), (GRU, 1), (SimpleRNN, 1)])
def test_return_sequences_and_return_state_shapes(kind, n_states):
    x = ndgrad.ones((2, 6, 3))
    assert kind(4)(x).shape == (2, 4)
    assert kind(4, return_sequences=True)(x).shape == (2, 6, 4)
    results = kind(4, return_state=True)(x)
    assert len(results) == 1 + n_states and all(r.shape == (2, 4) for r in results)
    assert np.array_equal(results[0].numpy(), results[1].numpy())     # last output is h
    output, *states = kind(4, return_sequences=True, return_state=True)(x)
    assert output.shape == (2, 6, 4)
    assert np.array_equal(output[:, -1].numpy(), states[0].numpy())


def test_other_activations_and_input_dropout(rng):
    x = ndgrad.tensor(rng.normal(size=(2, 3, 2)))
    layer = LSTM(2, activation="relu", recurrent_activation="hard_sigmoid", dtype="float64")
    layer.build(x.shape)
    assert ndgrad.gradcheck(lambda inputs, kernel: layer(inputs), [x, layer.kernel])
    dropped = GRU(3, dropout=0.5, input_shape=(3, 2))
    x32 = x.astype("float32")
    assert np.array_equal(dropped(x32).numpy(), dropped(x32).numpy())       # inference
    assert not np.allclose(dropped(x32, training=True).numpy(), dropped(x32).numpy())


def test_state_round_trip_and_one_sgd_step(rng):
    x = ndgrad.tensor(rng.normal(size=(4, 5, 3)).astype(np.float32))
    target = ndgrad.tensor(rng.normal(size=(4, 2)).astype(np.float32))
    for kind in (LSTM, GRU, SimpleRNN):
        layer, copy = kind(2), kind(2)
        layer(x)
        copy(x)
        copy.load_state_dict(layer.state_dict())
        assert np.array_equal(copy(x).numpy(), layer(x).numpy())
        optimizer = ndgrad.optim.SGD(layer.trainable_variables, lr=0.2)
        before = ((layer(x) - target) ** 2).mean()
        before.backward()
        optimizer.step()
        assert ((layer(x) - target) ** 2).mean().item() < before.item()


def test_config_and_errors_name_the_layer():
    config = GRU(3, return_sequences=True, reset_after=False).get_config()
    assert config["units"] == 3 and config["return_sequences"] and not config["reset_after"]
    assert config["activation"] == "tanh" and config["recurrent_activation"] == "sigmoid"
    layer = LSTM(3)
    with pytest.raises(ValueError, match=r"LSTM: expected inputs of shape \(batch, time"):
        layer(ndgrad.ones((2, 3)))
    layer(ndgrad.ones((2, 4, 5)))
    with pytest.raises(ndgrad.ShapeError, match=r"LSTM: expected inputs of shape .*5\)"):
        layer(ndgrad.ones((2, 4, 6)))
    with pytest.raises(ValueError, match="LSTM: initial_state needs 2"):
        layer(ndgrad.ones((2, 4, 5)), initial_state=[ndgrad.zeros((2, 3))])
    with pytest.raises(ndgrad.ShapeError, match=r"GRU: each initial state must have shape"):
        GRU(3)(ndgrad.ones((2, 4, 5)), initial_state=ndgrad.zeros((3, 3)))
    with pytest.raises(NotImplementedError, match="SimpleRNN: masks"):
        SimpleRNN(3)(ndgrad.ones((2, 4, 5)), mask=np.ones((2, 4), bool))
    with pytest.raises(NotImplementedError, match="recurrent_dropout"):
        LSTM(3, recurrent_dropout=0.2)
    with pytest.raises(ValueError, match="GRU: units"):
        GRU(0)
