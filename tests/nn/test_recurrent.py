"""nn.RNN, nn.LSTM, nn.GRU: PyTorch's parameters, state_dict, outputs and gradients."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn

torch = pytest.importorskip("torch")


MODES = {"LSTM": {}, "GRU": {}, "RNN": {}, "RNN_relu": {"nonlinearity": "relu"}}


def _pair(mode, *args, **kwargs):
    """A torch layer and ours with the torch layer's state_dict loaded as it is."""
    name = mode.split("_")[0]
    kwargs = dict(MODES[mode], **kwargs)
    reference = getattr(torch.nn, name)(*args, **kwargs)
    ours = getattr(nn, name)(*args, **kwargs)
    ours.load_state_dict(reference.state_dict())
    return reference, ours


def _close(ours, theirs, rtol=1e-4, atol=1e-5):
    np.testing.assert_allclose(np.asarray(ours.numpy()), theirs.detach().numpy(), rtol=rtol,
                               atol=atol)


def _states(mode, shape, rng):
    h = rng.normal(size=shape).astype(np.float32)
    c = rng.normal(size=shape).astype(np.float32)
    return (h, c) if mode == "LSTM" else (h,)


def _run_both(mode, reference, ours, x, states):
    """Forward and backward through both; returns (ours, theirs) leaves and outputs."""
    x_t = torch.tensor(x, requires_grad=True)
    x_n = ndgrad.Variable(x)
    s_t = [torch.tensor(s, requires_grad=True) for s in states]
    s_n = [ndgrad.Variable(s) for s in states]
    if mode == "LSTM":
        hx_t, hx_n = (tuple(s_t), tuple(s_n)) if states else (None, None)
    else:
        hx_t, hx_n = (s_t[0], s_n[0]) if states else (None, None)
    out_t, final_t = reference(x_t, hx_t)
    out_n, final_n = ours(x_n, hx_n)
    finals_t = final_t if mode == "LSTM" else (final_t,)
    finals_n = final_n if mode == "LSTM" else (final_n,)
    loss_t = (out_t ** 2).sum() + sum((f * (k + 2)).sum() for k, f in enumerate(finals_t))
    loss_n = (out_n ** 2).sum() + sum((f * (k + 2)).sum() for k, f in enumerate(finals_n))
    loss_t.backward()
    loss_n.backward()
    return (x_t, s_t, out_t, finals_t), (x_n, s_n, out_n, finals_n)


@pytest.mark.parametrize("with_states", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("mode", list(MODES))
def test_two_layers_match_pytorch_outputs_states_and_every_gradient(rng, mode, batch_first,
                                                                    with_states):
    reference, ours = _pair(mode, 5, 4, num_layers=2, batch_first=batch_first)
    x = rng.normal(size=(3, 6, 5)).astype(np.float32)
    batch = 3 if batch_first else 6
    states = _states(mode, (2, batch, 4), rng) if with_states else ()
    (x_t, s_t, out_t, fin_t), (x_n, s_n, out_n, fin_n) = _run_both(mode, reference, ours, x,
                                                                   states)
    assert out_n.dtype == np.float32 and out_n.shape == tuple(out_t.shape)
    _close(out_n, out_t)
    for f_n, f_t in zip(fin_n, fin_t):
        _close(f_n, f_t)
    _close(x_n.grad, x_t.grad)
    for a, b in zip(s_n, s_t):
        _close(a.grad, b.grad)
    for (name_t, p_t), (name_n, p_n) in zip(reference.named_parameters(),
                                           ours.named_parameters()):
        assert name_t == name_n
        _close(p_n.grad, p_t.grad)


@pytest.mark.parametrize("mode", ["LSTM", "GRU", "RNN"])
def test_bidirectional_matches_pytorch(rng, mode):
    reference, ours = _pair(mode, 3, 4, num_layers=2, bidirectional=True, batch_first=True)
    states = _states(mode, (4, 2, 4), rng)
    x = rng.normal(size=(2, 5, 3)).astype(np.float32)
    (x_t, _, out_t, fin_t), (x_n, _, out_n, fin_n) = _run_both(mode, reference, ours, x, states)
    assert out_n.shape == (2, 5, 8)
    _close(out_n, out_t)
    for f_n, f_t in zip(fin_n, fin_t):
        _close(f_n, f_t)
    _close(x_n.grad, x_t.grad)
    for (_, p_t), (_, p_n) in zip(reference.named_parameters(), ours.named_parameters()):
        _close(p_n.grad, p_t.grad)


@pytest.mark.parametrize("mode", ["LSTM", "GRU"])
def test_unbatched_input_matches_pytorch(rng, mode):
    reference, ours = _pair(mode, 3, 2)
    x = rng.normal(size=(4, 3)).astype(np.float32)
    states = _states(mode, (1, 2), rng)
    (_, _, out_t, fin_t), (_, _, out_n, fin_n) = _run_both(mode, reference, ours, x, states)
    assert out_n.shape == (4, 2) and fin_n[0].shape == (1, 2)
    _close(out_n, out_t)
    _close(fin_n[-1], fin_t[-1])


@pytest.mark.parametrize("mode", list(MODES))
def test_parameter_names_shapes_counts_and_init_are_pytorch(mode):
    reference, _ = _pair(mode, 6, 5, num_layers=2, bidirectional=True)
    ours = getattr(nn, mode.split("_")[0])(6, 5, num_layers=2, bidirectional=True,
                                           **MODES[mode])
    assert list(ours.state_dict()) == list(reference.state_dict())
    for (name, theirs), (_, mine) in zip(reference.state_dict().items(),
                                         ours.state_dict().items()):
        assert mine.shape == tuple(theirs.shape) and mine.dtype == np.float32, name
        assert float(abs(mine).max()) <= 1 / np.sqrt(5)
    assert ours.count_params() == sum(p.numel() for p in reference.parameters())
    no_bias = getattr(nn, mode.split("_")[0])(6, 5, bias=False, **MODES[mode])
    assert [n for n, _ in no_bias.named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]


def test_lstm_gate_order_is_i_f_g_o():
    lstm = nn.LSTM(1, 1, bias=False)
    lstm.load_state_dict({"weight_ih_l0": np.array([[0.0], [-100.0], [1.0], [100.0]]),
                          "weight_hh_l0": np.zeros((4, 1))})
    # i = 0.5, forget closed, g = tanh(1), output open: c = 0.5 tanh(1), h = tanh(c).
    output, (h, c) = lstm(ndgrad.ones((1, 1, 1)))
    assert round(c.item(), 5) == round(0.5 * np.tanh(1.0), 5)
    assert round(h.item(), 5) == round(np.tanh(0.5 * np.tanh(1.0)), 5)


def test_state_round_trip_gives_identical_outputs(rng):
    x = ndgrad.tensor(rng.normal(size=(4, 2, 3)).astype(np.float32))
    for make in (lambda: nn.LSTM(3, 4, 2), lambda: nn.GRU(3, 4, bidirectional=True),
                 lambda: nn.RNN(3, 4, nonlinearity="relu")):
        first, second = make(), make()
        second.load_state_dict(first.state_dict())
        assert np.array_equal(first(x)[0].numpy(), second(x)[0].numpy())


@pytest.mark.parametrize("mode", ["LSTM", "GRU", "RNN"])
def test_one_sgd_step_lowers_the_loss(rng, mode):
    layer = getattr(nn, mode)(3, 4, num_layers=2, batch_first=True)
    x = ndgrad.tensor(rng.normal(size=(5, 6, 3)).astype(np.float32))
    target = ndgrad.tensor(rng.normal(size=(5, 6, 4)).astype(np.float32) * 0.5)
    optimizer = ndgrad.optim.SGD(layer.parameters(), lr=0.1)

    def loss():
        return ((layer(x)[0] - target) ** 2).mean()

    before = loss()
    before.backward()
    optimizer.step()
    assert loss().item() < before.item()


def test_dropout_between_layers_acts_in_training_only(rng):
    reference, ours = _pair("LSTM", 3, 4, num_layers=3, dropout=0.5)
    x = rng.normal(size=(5, 2, 3)).astype(np.float32)
    ours.eval()
    reference.eval()
    _close(ours(ndgrad.tensor(x))[0], reference(torch.tensor(x))[0])
    ours.train()
    first, second = ours(ndgrad.tensor(x))[0].numpy(), ours(ndgrad.tensor(x))[0].numpy()
    assert not np.allclose(first, second)
    single = nn.LSTM(3, 4, dropout=0.5)          # one layer: nothing to drop between
    assert np.array_equal(single(ndgrad.tensor(x))[0].numpy(), single(ndgrad.tensor(x))[0].numpy())


def test_frozen_layer_trains_nothing_and_input_still_gets_a_gradient(rng):
    layer = nn.GRU(3, 2)
    layer.trainable = False
    x = ndgrad.Variable(rng.normal(size=(4, 2, 3)).astype(np.float32))
    layer(x)[0].sum().backward()
    assert x.grad is not None and all(p.grad is None for p in layer.parameters())


def test_second_derivatives_match_pytorch(rng):
    reference, ours = _pair("LSTM", 2, 3)
    x = rng.normal(size=(3, 2, 2)).astype(np.float32)
    x_t = torch.tensor(x, requires_grad=True)
    (g_t,) = torch.autograd.grad((reference(x_t)[0] ** 2).sum(), x_t, create_graph=True)
    (g_t ** 2).sum().backward()
    x_n = ndgrad.Variable(x)
    (g_n,) = ndgrad.autograd.graph.backward([(ours(x_n)[0] ** 2).sum()], [None],
                                            create_graph=True, sources=[x_n])
    (g_n ** 2).sum().backward()
    _close(g_n, g_t)
    _close(ours.weight_hh_l0.grad, reference.weight_hh_l0.grad, rtol=1e-3)


def test_bad_inputs_and_states_are_refused_by_name():
    lstm = nn.LSTM(3, 4, num_layers=2)
    with pytest.raises(ndgrad.ShapeError, match=r"LSTM: the input's last dimension is 5.*"
                                                r"input_size=3"):
        lstm(ndgrad.ones((2, 2, 5)))
    with pytest.raises(ndgrad.ShapeError, match="LSTM: expected a 3-D input"):
        lstm(ndgrad.ones((1, 2, 2, 3)))
    with pytest.raises(ndgrad.ShapeError, match=r"initial hidden state must have shape "
                                                r"\(2, 2, 4\)"):
        lstm(ndgrad.ones((5, 2, 3)), (ndgrad.zeros((1, 2, 4)), ndgrad.zeros((2, 2, 4))))
    with pytest.raises(TypeError, match="LSTM: hx must be a tuple"):
        lstm(ndgrad.ones((5, 2, 3)), ndgrad.zeros((2, 2, 4)))
    with pytest.raises(ndgrad.ShapeError, match="GRU: the sequence is empty"):
        nn.GRU(3, 4)(ndgrad.ones((0, 2, 3)))
    with pytest.raises(NotImplementedError, match="proj_size"):
        nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(ValueError, match="RNN: nonlinearity"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="GRU: dropout"):
        nn.GRU(3, 4, dropout=1.5)
