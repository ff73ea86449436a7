"""nn.RNNCell, nn.LSTMCell, nn.GRUCell against PyTorch's cells."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn

torch = pytest.importorskip("torch")


CELLS = [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}), ("LSTMCell", {}),
         ("GRUCell", {}), ("GRUCell", {"bias": False})]


def _pair(name, kwargs):
    reference = getattr(torch.nn, name)(3, 4, **kwargs)
    ours = getattr(nn, name)(3, 4, **kwargs)
    ours.load_state_dict(reference.state_dict())
    return reference, ours


def _close(ours, theirs):
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("name,kwargs", CELLS)
def test_cells_match_pytorch_forward_and_gradients(rng, name, kwargs, with_state):
    reference, ours = _pair(name, kwargs)
    x = rng.normal(size=(5, 3)).astype(np.float32)
    states = [rng.normal(size=(5, 4)).astype(np.float32)
              for _ in range(2 if name == "LSTMCell" else 1)] if with_state else []
    x_t, x_n = torch.tensor(x, requires_grad=True), ndgrad.Variable(x)
    s_t = [torch.tensor(s, requires_grad=True) for s in states]
    s_n = [ndgrad.Variable(s) for s in states]
    pack = (lambda s: tuple(s) if s else None) if name == "LSTMCell" else (
        lambda s: s[0] if s else None)
    out_t, out_n = reference(x_t, pack(s_t)), ours(x_n, pack(s_n))
    outs_t = out_t if name == "LSTMCell" else (out_t,)
    outs_n = out_n if name == "LSTMCell" else (out_n,)
    for a, b in zip(outs_n, outs_t):
        assert a.dtype == np.float32
        _close(a, b)
    sum(((o * (k + 1)) ** 2).sum() for k, o in enumerate(outs_t)).backward()
    sum(((o * (k + 1)) ** 2).sum() for k, o in enumerate(outs_n)).backward()
    _close(x_n.grad, x_t.grad)
    for a, b in zip(s_n, s_t):
        _close(a.grad, b.grad)
    for (_, p_t), (_, p_n) in zip(reference.named_parameters(), ours.named_parameters()):
        _close(p_n.grad, p_t.grad)


def test_cells_take_unbatched_inputs_and_count_parameters_as_pytorch(rng):
    for name, kwargs in CELLS:
        reference, ours = _pair(name, kwargs)
        assert list(ours.state_dict()) == list(reference.state_dict())
        assert ours.count_params() == sum(p.numel() for p in reference.parameters())
        x = rng.normal(size=3).astype(np.float32)
        out_t, out_n = reference(torch.tensor(x)), ours(ndgrad.tensor(x))
        first_t = out_t[0] if name == "LSTMCell" else out_t
        first_n = out_n[0] if name == "LSTMCell" else out_n
        assert first_n.shape == (4,)
        _close(first_n, first_t)


def test_a_loop_of_cells_equals_the_sequence_layer(rng):
    cell, layer = nn.LSTMCell(3, 4), nn.LSTM(3, 4)
    layer.load_state_dict({f"{k}_l0": v for k, v in cell.state_dict().items()})
    x = ndgrad.tensor(rng.normal(size=(6, 2, 3)).astype(np.float32))
    state = None
    for t in range(6):
        state = cell(x[t], state)
    _, (h_n, c_n) = layer(x)
    np.testing.assert_allclose(state[0].numpy(), h_n[0].numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state[1].numpy(), c_n[0].numpy(), rtol=1e-5, atol=1e-6)


def test_one_sgd_step_lowers_the_loss_and_state_round_trips(rng):
    cell = nn.GRUCell(3, 4)
    x = ndgrad.tensor(rng.normal(size=(5, 3)).astype(np.float32))
    copy = nn.GRUCell(3, 4)
    copy.load_state_dict(cell.state_dict())
    assert np.array_equal(copy(x).numpy(), cell(x).numpy())
    optimizer = ndgrad.optim.SGD(cell.parameters(), lr=0.5)
    before = (cell(x) ** 2).mean()
    before.backward()
    optimizer.step()
    assert (cell(x) ** 2).mean().item() < before.item()


def test_cells_refuse_bad_shapes_by_name():
    with pytest.raises(ndgrad.ShapeError, match=r"LSTMCell: the input's last dimension is 2"):
        nn.LSTMCell(3, 4)(ndgrad.ones((5, 2)))
    with pytest.raises(ndgrad.ShapeError, match=r"GRUCell: the state must have shape \(5, 4\)"):
        nn.GRUCell(3, 4)(ndgrad.ones((5, 3)), ndgrad.zeros((4, 4)))
    with pytest.raises(ndgrad.ShapeError, match="RNNCell: expected a 2-D input"):
        nn.RNNCell(3, 4)(ndgrad.ones((1, 5, 3)))
    with pytest.raises(TypeError, match="LSTMCell: hx must be a tuple"):
        nn.LSTMCell(3, 4)(ndgrad.ones((5, 3)), ndgrad.zeros((5, 4)))
    with pytest.raises(ValueError, match="RNNCell: nonlinearity"):
        nn.RNNCell(3, 4, nonlinearity="gelu")
