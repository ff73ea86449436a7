"""The fused recurrent scans: equal to their composite forms, exact gradients of
first and second order (finite differences in float64), float32 kept. The
LSTM's tests run on both paths: the compiled (numba) cells where installed, and
NumPy."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import _accelerated, recurrent

T, N, H = 3, 2, 4
LAYOUTS = [(transposed, reverse) for transposed in (True, False) for reverse in (False, True)]


@pytest.fixture(params=["compiled", "numpy"])
def lstm_path(request):
    """The LSTM's step loops on the compiled kernels (where numba is installed) or NumPy."""
    previous = _accelerated.set_enabled(request.param == "compiled")
    yield request.param
    _accelerated.set_enabled(previous)


def _inputs(rng, blocks, transposed, extra_bias=False):
    gates = rng.normal(size=(T, N, blocks * H))
    h0 = rng.normal(size=(N, H))
    weight = rng.normal(size=(blocks * H, H) if transposed else (H, blocks * H)) * 0.5
    arrays = [gates, h0, weight]
    if extra_bias:
        arrays.append(rng.normal(size=blocks * H))
    return [ndgrad.tensor(a) for a in arrays]


@pytest.mark.parametrize("transposed,reverse", LAYOUTS)
def test_lstm_scan_matches_composite_and_has_exact_gradients(rng, transposed, reverse, lstm_path):
    gates, h0, weight = _inputs(rng, 4, transposed)
    c0 = ndgrad.tensor(rng.normal(size=(N, H)))

    def fused(*args):
        return recurrent._lstm_scan(*args, transposed=transposed, reverse=reverse, workspace={})

    composite = recurrent._lstm_packed(gates, h0, c0, weight, transposed, reverse)
    np.testing.assert_allclose(fused(gates, h0, c0, weight).numpy(), composite.numpy(),
                               rtol=1e-12, atol=1e-12)
    assert ndgrad.gradcheck(fused, [gates, h0, c0, weight], second_order=True)


@pytest.mark.parametrize("gate_order", ["rzn", "zrn"])
@pytest.mark.parametrize("transposed,reverse", LAYOUTS)
def test_gru_scan_matches_composite_and_has_exact_gradients(rng, transposed, reverse,
                                                            gate_order):
    gates, h0, weight, bias = _inputs(rng, 3, transposed, extra_bias=True)

    def fused(*args):
        return recurrent._gru_scan(*args, transposed=transposed, reverse=reverse,
                                   gate_order=gate_order, workspace={})

    composite = recurrent._gru_sequence(gates, h0, weight, bias, transposed, reverse, gate_order)
    np.testing.assert_allclose(fused(gates, h0, weight, bias).numpy(), composite.numpy(),
                               rtol=1e-12, atol=1e-12)
    assert ndgrad.gradcheck(fused, [gates, h0, weight, bias], second_order=True)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("transposed,reverse", LAYOUTS)
def test_rnn_scan_matches_composite_and_has_exact_gradients(rng, transposed, reverse,
                                                            nonlinearity):
    gates, h0, weight = _inputs(rng, 1, transposed)

    def fused(*args):
        return recurrent._rnn_scan(*args, transposed=transposed, reverse=reverse,
                                   nonlinearity=nonlinearity, workspace={})

    activation = ndgrad.tanh if nonlinearity == "tanh" else ndgrad.relu
    composite = recurrent._rnn_sequence(gates, h0, weight, transposed, reverse, activation)
    np.testing.assert_allclose(fused(gates, h0, weight).numpy(), composite.numpy(), atol=1e-12)
    assert ndgrad.gradcheck(fused, [gates, h0, weight], second_order=True)


def test_public_scans_return_outputs_and_final_states_in_time_order(rng, lstm_path):
    gates, h0, weight = _inputs(rng, 4, True)
    c0 = ndgrad.zeros((N, H), dtype="float64")
    out, h_n, c_n = recurrent.lstm_scan(gates, h0, c0, weight)
    assert out.shape == (T, N, H) and np.array_equal(h_n.numpy(), out[-1].numpy())
    back, h_back, _ = recurrent.lstm_scan(gates, h0, c0, weight, reverse=True)
    assert np.array_equal(h_back.numpy(), back[0].numpy())
    # The reverse direction is the forward scan of the flipped sequence, flipped back.
    flipped, _, _ = recurrent.lstm_scan(ndgrad.flip(gates, axis=0), h0, c0, weight)
    np.testing.assert_allclose(back.numpy(), flipped.numpy()[::-1], rtol=1e-12)


def test_scans_keep_float32_and_skip_gradients_nobody_needs(rng, lstm_path):
    gates = ndgrad.Variable(rng.normal(size=(T, N, 4 * H)).astype(np.float32))
    weight = ndgrad.Variable((rng.normal(size=(4 * H, H)) * 0.3).astype(np.float32))
    zeros = ndgrad.zeros((N, H))
    out, h_n, c_n = recurrent.lstm_scan(gates, zeros, zeros, weight)
    assert out.dtype == h_n.dtype == c_n.dtype == np.float32
    (out.sum() + c_n.sum()).backward()
    assert gates.grad.dtype == weight.grad.dtype == np.float32
    assert zeros.grad is None


def test_custom_activations_take_the_composite_path_with_exact_gradients(rng):
    gates, h0, weight = _inputs(rng, 4, False)
    c0 = ndgrad.tensor(rng.normal(size=(N, H)))

    def scan(*args):
        return recurrent.lstm_scan(*args, transposed=False, activation=ndgrad.relu,
                                   recurrent_activation=ndgrad.hard_sigmoid)[0]

    assert ndgrad.gradcheck(scan, [gates, h0, c0, weight])


def test_gru_without_reset_after_is_the_original_formula(rng):
    gates, h0, weight = _inputs(rng, 3, False)
    out, _ = recurrent.gru_scan(gates, h0, weight, None, transposed=False, gate_order="zrn",
                                reset_after=False)
    x, h, w = gates.numpy()[0], h0.numpy(), weight.numpy()
    sigmoid = lambda v: 1 / (1 + np.exp(-v))
    z = sigmoid(x[:, :H] + h @ w[:, :H])
    r = sigmoid(x[:, H:2 * H] + h @ w[:, H:2 * H])
    candidate = np.tanh(x[:, 2 * H:] + (r * h) @ w[:, 2 * H:])
    np.testing.assert_allclose(out.numpy()[0], z * h + (1 - z) * candidate, rtol=1e-12)


def test_scans_refuse_bad_shapes_by_name():
    with pytest.raises(ValueError, match="lstm_scan: gates_x must be .* at least one"):
        recurrent.lstm_scan(ndgrad.zeros((0, 2, 8)), ndgrad.zeros((2, 2)),
                            ndgrad.zeros((2, 2)), ndgrad.zeros((8, 2)))
    with pytest.raises(ValueError, match=r"gru_scan: the initial state must be .*\(2, 2\)"):
        recurrent.gru_scan(ndgrad.zeros((1, 2, 6)), ndgrad.zeros((3, 2)),
                           ndgrad.zeros((6, 2)), ndgrad.zeros(6))
    with pytest.raises(ValueError, match="gate_order"):
        recurrent.gru_scan(ndgrad.zeros((1, 2, 6)), ndgrad.zeros((2, 2)),
                           ndgrad.zeros((6, 2)), ndgrad.zeros(6), gate_order="nzr")
    with pytest.raises(ValueError, match="rnn_scan: activation"):
        recurrent.rnn_scan(ndgrad.zeros((1, 2, 2)), ndgrad.zeros((2, 2)),
                           ndgrad.zeros((2, 2)), activation="sigmoid")
