"""lstm_layer: the LSTM layer primitive with the input projection inside. Equal to
its composite form, exact gradients of first and second order (finite differences
in float64), float32 kept, and work buffers reused across calls never shared by
two live computations. Every test runs on both paths: the compiled (numba)
cells where installed, and NumPy."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import _accelerated, recurrent_lstm
from ndgrad.ops.recurrent import lstm_layer, lstm_scan

T, N, I, H = 3, 2, 5, 4
LAYOUTS = [(transposed, reverse, batch_first) for transposed in (True, False)
           for reverse in (False, True) for batch_first in (False, True)]


@pytest.fixture(autouse=True, params=["compiled", "numpy"])
def path(request):
    """The LSTM's step loops on the compiled kernels (where numba is installed) or NumPy."""
    previous = _accelerated.set_enabled(request.param == "compiled")
    yield request.param
    _accelerated.set_enabled(previous)


def _inputs(rng, transposed, batch_first, dtype=np.float64):
    x = rng.normal(size=(N, T, I) if batch_first else (T, N, I))
    weight_ih = rng.normal(size=(4 * H, I) if transposed else (I, 4 * H)) * 0.5
    weight_hh = rng.normal(size=(4 * H, H) if transposed else (H, 4 * H)) * 0.5
    arrays = [x, rng.normal(size=(N, H)), rng.normal(size=(N, H)), weight_ih, weight_hh,
              rng.normal(size=4 * H)]
    return [ndgrad.tensor(a.astype(dtype)) for a in arrays]


@pytest.mark.parametrize("transposed,reverse,batch_first", LAYOUTS)
def test_lstm_layer_matches_composite_and_has_exact_gradients(rng, transposed, reverse,
                                                              batch_first):
    inputs = _inputs(rng, transposed, batch_first)
    params = dict(transposed=transposed, reverse=reverse, batch_first=batch_first)

    def fused(*args):
        return recurrent_lstm._lstm_layer(*args, **params, workspace={})

    composite = recurrent_lstm._lstm_layer_packed(*inputs, **params)
    np.testing.assert_allclose(fused(*inputs).numpy(), composite.numpy(), rtol=1e-12,
                               atol=1e-12)
    assert ndgrad.gradcheck(fused, inputs, second_order=True)


@pytest.mark.parametrize("reverse", [False, True])
def test_lstm_layer_without_bias_and_its_public_form(rng, reverse):
    x, h0, c0, weight_ih, weight_hh, bias = _inputs(rng, True, False)

    def without_bias(*args):
        return lstm_layer(*args, reverse=reverse)[0]

    assert ndgrad.gradcheck(without_bias, [x, h0, c0, weight_ih, weight_hh])
    out, h_n, c_n = lstm_layer(x, h0, c0, weight_ih, weight_hh, bias, reverse=reverse)
    gates = x @ weight_ih.T + bias
    expected = lstm_scan(gates, h0, c0, weight_hh, reverse=reverse)
    for ours, theirs in zip((out, h_n, c_n), expected):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_float32_stays_float32_and_unneeded_gradients_are_skipped(rng):
    x, h0, c0, weight_ih, weight_hh, bias = _inputs(rng, True, True, np.float32)
    weights = [ndgrad.Variable(w.numpy()) for w in (weight_ih, weight_hh, bias)]
    out, h_n, c_n = lstm_layer(x, h0, c0, *weights, batch_first=True)
    assert out.dtype == h_n.dtype == c_n.dtype == np.float32
    (out.sum() + c_n.sum()).backward()
    assert all(w.grad.dtype == np.float32 for w in weights)
    assert x.grad is None and h0.grad is None


def test_reused_buffers_never_mix_two_live_computations(rng):
    """Two forwards before their backwards, outputs kept across later calls: every
    number is the one a lone computation gives."""
    def run(x):
        weights = [ndgrad.Variable(w) for w in arrays]
        out, _, c_n = lstm_layer(x, zeros, zeros, *weights)
        return out, c_n, weights

    arrays = [rng.normal(size=s).astype(np.float32)
              for s in ((4 * H, I), (4 * H, H), (4 * H,))]
    zeros = ndgrad.zeros((N, H))
    xs = [ndgrad.tensor(rng.normal(size=(T, N, I)).astype(np.float32)) for _ in range(2)]
    alone = []
    for x in xs:
        out, c_n, weights = run(x)
        (out.sum() + c_n.sum()).backward()
        alone.append((out.numpy().copy(), [w.grad.numpy().copy() for w in weights]))
    first, second = run(xs[0]), run(xs[1])
    (second[0].sum() + second[1].sum()).backward()
    (first[0].sum() + first[1].sum()).backward()
    for (out, _, weights), (expected_out, expected_grads) in zip((first, second), alone):
        np.testing.assert_array_equal(out.numpy(), expected_out)
        for w, expected in zip(weights, expected_grads):
            np.testing.assert_array_equal(w.grad.numpy(), expected)


def test_lstm_layer_refuses_bad_shapes_by_name():
    weights = (ndgrad.zeros((8, 3)), ndgrad.zeros((8, 2)))
    with pytest.raises(ValueError, match="lstm_layer: x must be .* at least one"):
        lstm_layer(ndgrad.zeros((0, 2, 3)), ndgrad.zeros((2, 2)), ndgrad.zeros((2, 2)), *weights)
    with pytest.raises(ValueError, match=r"lstm_layer: the initial states must be .*\(4, 2\)"):
        lstm_layer(ndgrad.zeros((1, 4, 3)), ndgrad.zeros((2, 2)), ndgrad.zeros((2, 2)), *weights)
