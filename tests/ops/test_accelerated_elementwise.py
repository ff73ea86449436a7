"""The optional compiled (numba) elementwise kernels give the NumPy path's
numbers bit for bit: relu's gradient in every memory layout and both float
dtypes (NaN, infinite and negative gradients where the output is 0 included,
so ``-0.0`` and NaN match too), and SGD's update in each of its momentum
variants over several steps (which also shows that no multiply-add was fused).
Arrays the kernels do not take (mixed layouts, other dtypes) run NumPy.
Skipped where numba is not installed."""

import os
import subprocess
import sys

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import _accelerated, _numba_elementwise

from .harness import laid_out

pytest.importorskip("numba")
pytestmark = pytest.mark.usefixtures("compiled_kernels_on")


def _relu_and_gradient(x, g):
    xt = ndgrad.tensor(x, requires_grad=True)
    y = ndgrad.relu(xt)
    y.backward(ndgrad.tensor(g))
    return y.numpy().copy(), xt.grad.numpy().copy()


def _bits(array):
    return np.ascontiguousarray(array).tobytes()


@pytest.mark.parametrize("layout", ["nchw", "channel_major", "nhwc"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_compiled_relu_and_gradient_match_numpy_path_bitwise(layout, dtype, rng, numpy_path,
                                                             monkeypatch):
    calls = []
    for name in ("relu_values", "relu_gradient"):
        monkeypatch.setattr(_numba_elementwise, name, _counting(
            getattr(_numba_elementwise, name), calls))
    shape = (8, 16, 24, 24)                       # large enough for the reused-buffer path
    x = laid_out(rng.standard_normal(shape).astype(dtype), layout)
    g = laid_out(rng.standard_normal(shape).astype(dtype), layout)
    x[0, 0, 0, :8] = [-1.0, 0.0, np.nan, -2.0, -0.0, np.inf, -np.inf, 1.0]
    g[0, 0, 0, :4] = [np.inf, np.nan, 3.0, -5.0]  # odd gradients where the output is 0
    compiled = _relu_and_gradient(x, g)
    assert calls == [True, True]
    with np.errstate(invalid="ignore"):           # NumPy's inf * 0
        reference = numpy_path(lambda: _relu_and_gradient(x, g))
    assert len(calls) == 2                        # the NumPy path did not call the kernels
    for ours, theirs in zip(compiled, reference):
        assert _bits(ours) == _bits(theirs)
    y, grad = compiled
    assert np.isnan(y[0, 0, 0, 2]) and not np.signbit(y[0, 0, 0, 4]) and y[0, 0, 0, 5] == np.inf
    assert np.isnan(grad[0, 0, 0, 0]) and np.signbit(grad[0, 0, 0, 3])


def _counting(function, calls):
    def counted(*arguments):
        done = function(*arguments)
        calls.append(done)
        return done
    return counted


def test_relu_gradient_of_mixed_layouts_runs_numpy(rng):
    out = rng.standard_normal((64, 512)).astype(np.float32)
    assert not _numba_elementwise.relu_gradient(np.ones((512, 64), np.float32).T, out,
                                                np.empty_like(out))
    assert not _numba_elementwise.relu_gradient(np.ones_like(out, np.float16), out,
                                                np.empty_like(out))


SGD_VARIANTS = [dict(momentum=0.0), dict(momentum=0.9), dict(momentum=0.9, dampening=0.25),
                dict(momentum=0.8, nesterov=True), dict(momentum=0.9, weight_decay=0.01),
                dict(momentum=0.9, maximize=True)]


def _sgd_run(dtype, options, order):
    data = np.random.default_rng(1).standard_normal((300, 70)).astype(dtype)
    w = ndgrad.Variable(np.asarray(data, order=order))
    opt = ndgrad.optim.SGD([w], lr=0.037, **options)
    for step in range(4):
        opt.zero_grad()
        target = np.random.default_rng(10 + step).standard_normal((300, 70)).astype(dtype)
        ((w - ndgrad.tensor(target)) ** 2).sum().backward()
        opt.step()
    buffer = opt.state[w].get("momentum_buffer")
    return w.numpy().copy(), None if buffer is None else buffer.copy()


@pytest.mark.parametrize("options", SGD_VARIANTS, ids=str)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order", ["C", "F"])
def test_compiled_sgd_matches_numpy_path_bitwise(options, dtype, order, numpy_path, monkeypatch):
    monkeypatch.setattr(_numba_elementwise, "sgd_update", _counting(
        _numba_elementwise.sgd_update, calls := []))
    compiled = _sgd_run(dtype, options, order)
    assert calls and all(calls)
    reference = numpy_path(lambda: _sgd_run(dtype, options, order))
    assert len(calls) == 4
    for ours, theirs in zip(compiled, reference):
        assert (ours is None) == (theirs is None)
        if ours is not None:
            assert _bits(ours) == _bits(theirs)


def test_sgd_kernel_declines_mismatched_layouts():
    param = np.ones((4, 5), np.float32)
    assert not _numba_elementwise.sgd_update(param, np.ones((5, 4), np.float32).T, None,
                                             {"lr": 0.1, "momentum": 0.0}, False)
    assert param.tolist() == np.ones((4, 5)).tolist()


def test_kernels_are_off_when_disabled():
    previous = _accelerated.set_enabled(False)
    try:
        assert _accelerated.elementwise_kernels() is None
    finally:
        _accelerated.set_enabled(previous)
    assert _accelerated.elementwise_kernels() is _numba_elementwise


ADAM_VARIANTS = [(ndgrad.optim.Adam, {}), (ndgrad.optim.Adam, dict(weight_decay=0.01)),
                 (ndgrad.optim.Adam, dict(maximize=True, betas=(0.8, 0.99))),
                 (ndgrad.optim.AdamW, {}), (ndgrad.optim.Adam, dict(amsgrad=True))]


def _adam_run(dtype, algorithm, options, order, shapes):
    rng = np.random.default_rng(2)
    weights = [ndgrad.Variable(np.asarray(rng.standard_normal(shape).astype(dtype), order=order))
               for shape in shapes]
    opt = algorithm(weights, lr=0.01, **options)
    for step in range(4):
        opt.zero_grad()
        loss = 0
        for w in weights:
            target = rng.standard_normal(w.shape).astype(dtype)
            loss = loss + ((w - ndgrad.tensor(target)) ** 3).sum()
        loss.backward()
        opt.step()
    return [array.copy() for w in weights
            for array in (w.numpy(), opt.state[w]["exp_avg"], opt.state[w]["exp_avg_sq"])]


@pytest.mark.parametrize("algorithm,options", ADAM_VARIANTS, ids=str)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order,shapes", [("C", [(300, 70)]), ("F", [(300, 70), (70,)]),
                                          ("C", [(20, 30), (30,), (30, 5)])])  # a flat group
def test_compiled_adam_matches_numpy_path_bitwise(algorithm, options, dtype, order, shapes,
                                                  numpy_path, monkeypatch):
    monkeypatch.setattr(_numba_elementwise, "adam_update", _counting(
        _numba_elementwise.adam_update, calls := []))
    compiled = _adam_run(dtype, algorithm, options, order, shapes)
    if options.get("amsgrad"):
        assert not any(calls)                     # AMSGrad runs NumPy
    elif order == "C":
        assert calls and all(calls)
    else:            # a gradient laid out unlike its parameter runs NumPy; the vector does not
        assert calls[1::2] == [True] * 4 and True in calls
    reference = numpy_path(lambda: _adam_run(dtype, algorithm, options, order, shapes))
    assert len(calls) == 4 * len(shapes)
    for ours, theirs in zip(compiled, reference):
        assert _bits(ours) == _bits(theirs)


_RIDE_ALONG_STEPS = (
    "import sys, ndgrad\n"
    "from ndgrad import nn, optim\n"
    "from ndgrad.ops import _accelerated\n"
    "{first}"
    "model = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))\n"
    "for opt in (optim.SGD(model.parameters(), lr=0.1, momentum=0.9),\n"
    "            optim.Adam(model.parameters())):\n"
    "    for _ in range(2):\n"
    "        opt.zero_grad()\n"
    "        model(ndgrad.ones((256, 512))).sum().backward()\n"
    "        opt.step()\n"
    "print('numba' in sys.modules, _accelerated.elementwise_kernels() is not None)\n")


@pytest.mark.parametrize("first, expected", [("", "False False"),
                                             ("import numba\n", "True True")])
def test_ride_along_kernels_never_import_numba_themselves(first, expected):
    """relu, SGD and Adam's kernels save a few percent of an MLP's
    step, less than numba's import costs (~110 MB, half a second): an MLP
    trained with them leaves numba unimported; once numba is imported (by a
    convolution's kernels, an LSTM's, or the user), they run."""
    env = {k: v for k, v in os.environ.items() if k != "NDGRAD_NUMBA"}
    result = subprocess.run([sys.executable, "-c", _RIDE_ALONG_STEPS.format(first=first)],
                            capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == expected
