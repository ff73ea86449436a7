"""relu on large arrays writes its result and its gradient into reused buffers
(ndgrad.ops._reusable_buffers): results, saved outputs and gradients anyone
still holds must survive later calls, in the input's memory layout."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import _reusable_buffers as buffers
from ndgrad.ops.activations import _REUSE_BYTES

SHAPE = (16, 8, 26, 26)       # 346 KiB of float32: the buffer path

pytestmark = pytest.mark.skipif(not buffers._enabled,
                                reason="this interpreter has no exact reference counts")


def _channel_major(rng):
    """A logical (N, C, H, W) array laid out (C, N, H, W), as convolutions write it."""
    memory = rng.standard_normal((SHAPE[1], SHAPE[0]) + SHAPE[2:]).astype(np.float32)
    return memory.transpose(1, 0, 2, 3)


def test_the_arrays_here_take_the_buffer_path():
    assert np.zeros(SHAPE, np.float32).nbytes >= _REUSE_BYTES


@pytest.mark.parametrize("layout", ["contiguous", "channel_major"])
def test_results_survive_later_calls_and_keep_the_layout(rng, layout):
    make = ((lambda: rng.standard_normal(SHAPE).astype(np.float32)) if layout == "contiguous"
            else (lambda: _channel_major(rng)))
    x1, x2 = make(), make()
    first = ndgrad.relu(ndgrad.tensor(x1))
    for _ in range(3):
        ndgrad.relu(ndgrad.tensor(x2))
    np.testing.assert_array_equal(first.numpy(), np.maximum(x1, 0))
    order = lambda a: tuple(np.argsort([-s for s in a.strides], kind="stable"))
    assert order(first.numpy()) == order(x1)


def test_gradients_of_two_recorded_graphs_and_held_gradients_are_right(rng):
    xs = [_channel_major(rng) for _ in range(2)]
    gs = [rng.standard_normal(SHAPE).astype(np.float32) for _ in range(2)]
    variables = [ndgrad.Variable(x) for x in xs]
    # Both graphs are recorded before either backward: each keeps its own saved output.
    losses = [(ndgrad.relu(v) * ndgrad.tensor(g)).sum() for v, g in zip(variables, gs)]
    held = []
    for loss, v in zip(losses, variables):
        loss.backward()
        held.append(v.grad.numpy())
    for _ in range(2):                      # later steps must not overwrite held gradients
        other = ndgrad.Variable(_channel_major(rng))
        (ndgrad.relu(other) * 2.0).sum().backward()
    for grad, x, g in zip(held, xs, gs):
        np.testing.assert_array_equal(grad, g * (x > 0))


def test_second_order_through_a_large_relu(rng):
    x = ndgrad.Variable(rng.standard_normal(SHAPE).astype(np.float32))
    (ndgrad.relu(x) ** 2).sum().backward(create_graph=True)
    first = x.grad                           # 2 * relu(x), itself differentiable
    x.grad = None
    first.sum().backward()
    np.testing.assert_array_equal(first.numpy(), 2.0 * np.maximum(x.numpy(), 0))
    np.testing.assert_array_equal(x.grad.numpy(), 2.0 * (x.numpy() > 0))
