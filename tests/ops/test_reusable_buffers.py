"""Buffers reused from step to step (ndgrad.ops._reusable_buffers): an array
anyone still holds is never handed out again, so results and saved tensors
of convolution and pooling survive later calls."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops import _reusable_buffers as buffers
from ndgrad.ops.convolution import conv2d
from ndgrad.ops.pooling import avg_pool2d, max_pool2d

SHAPE = (64, 1024)       # 256 KiB of float32: large enough to be kept

pytestmark = pytest.mark.skipif(not buffers._enabled,
                                reason="this interpreter has no exact reference counts")


def _address(array):
    return array.__array_interface__["data"][0]


def test_a_buffer_is_reused_only_once_nothing_holds_it():
    first = buffers.empty(SHAPE, np.float32)
    address = _address(first)
    view = first[3:, ::2]
    del first
    assert _address(buffers.empty(SHAPE, np.float32)) != address     # the view holds it
    del view
    assert _address(buffers.empty(SHAPE, np.float32)) == address


def test_small_arrays_are_left_to_the_allocator():
    before = buffers.kept_bytes()
    held = [buffers.empty((16, 16), np.float32) for _ in range(10)]
    assert buffers.kept_bytes() == before and len({_address(a) for a in held}) == 10


def test_disabled_reuse_keeps_nothing():
    previous = buffers.set_enabled(False)
    try:
        assert buffers.kept_bytes() == 0
        first = buffers.empty(SHAPE, np.float32)
        del first
        buffers.empty(SHAPE, np.float32)
        assert buffers.kept_bytes() == 0
    finally:
        buffers.set_enabled(previous)
    buffers.empty(SHAPE, np.float32)
    assert buffers.kept_bytes() > 0


def test_at_most_a_few_arrays_are_kept_per_shape():
    buffers.clear()
    held = [buffers.empty(SHAPE, np.float32) for _ in range(buffers.PER_SHAPE + 3)]
    assert buffers.kept_bytes() == buffers.PER_SHAPE * held[0].nbytes
    assert len({_address(a) for a in held}) == len(held)       # all distinct while held
    del held
    buffers.clear()
    assert buffers.kept_bytes() == 0


def test_zeros_are_zero_even_when_reused():
    first = buffers.zeros(SHAPE, np.float32)
    first += 7
    del first
    assert not buffers.zeros(SHAPE, np.float32).any()


def test_results_survive_later_calls(rng):
    x1, x2 = (rng.standard_normal((8, 4, 20, 20)).astype(np.float32) for _ in range(2))
    w = rng.standard_normal((6, 4, 3, 3)).astype(np.float32)
    first = conv2d(ndgrad.tensor(x1), ndgrad.tensor(w), padding=1)
    expected = first.numpy().copy()
    pooled = max_pool2d(first, 2)
    expected_pooled, averaged = pooled.numpy().copy(), avg_pool2d(first, 2).numpy().copy()
    for _ in range(3):
        second = conv2d(ndgrad.tensor(x2), ndgrad.tensor(w), padding=1)
        max_pool2d(second, 2), avg_pool2d(second, 2)
    np.testing.assert_array_equal(first.numpy(), expected)
    np.testing.assert_array_equal(pooled.numpy(), expected_pooled)
    np.testing.assert_array_equal(avg_pool2d(first, 2).numpy(), averaged)


def test_saved_tensors_survive_until_backward(rng):
    """Two recorded steps before one backward: each uses its own columns and outputs."""
    w_values = rng.standard_normal((6, 4, 3, 3)).astype(np.float32)
    xs = [rng.standard_normal((8, 4, 20, 20)).astype(np.float32) for _ in range(2)]

    def weight_grad(x, interleave):
        w = ndgrad.Variable(w_values)
        loss = (max_pool2d(conv2d(ndgrad.tensor(x), w, padding=1), 2) ** 2).sum()
        if interleave is not None:       # another step records in between
            other = ndgrad.Variable(w_values)
            (max_pool2d(conv2d(ndgrad.tensor(interleave), other, padding=1), 2) ** 2).sum()
        loss.backward()
        return w.grad.numpy().copy()
    alone = weight_grad(xs[0], None)
    np.testing.assert_array_equal(weight_grad(xs[0], xs[1]), alone)


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (1, 0, 2, 3), (0, 2, 3, 1), (3, 2, 1, 0)])
def test_zeros_like_layout_matches_strides_and_stays_zero(order):
    in_memory = np.ones(tuple((4, 3, 5, 6)[axis] for axis in order), np.float32)
    like = in_memory.transpose(np.argsort(order))
    zeros = buffers.zeros_like_layout(like)
    assert zeros.shape == like.shape and zeros.strides == like.strides
    assert not zeros.flags.writeable and not zeros.any()
    np.testing.assert_array_equal(np.maximum(like - 2, zeros), np.zeros(like.shape))


def test_zeros_like_layout_refuses_arrays_with_gaps():
    assert buffers.zeros_like_layout(np.ones((4, 6))[:, ::2]) is None
    assert buffers.zeros_like_layout(np.ones((4, 6))[::-1]) is None
    assert buffers.zeros_like_layout(np.broadcast_to(np.ones(3), (4, 3))) is None


def test_constant_vectors_grow_and_are_shared():
    small = buffers.constant_vector(1, 10, np.float32)
    large = buffers.constant_vector(1, 1000, np.float32)
    assert small.tolist() == [1.0] * 10 and large.size == 1000 and (large == 1).all()
    assert buffers.constant_vector(1, 10, np.float32).base is large.base
    assert buffers.constant_vector(0, 5, np.float64).dtype == np.float64


def test_relu_of_a_channel_major_input_keeps_its_layout(rng):
    x = rng.standard_normal((16, 8, 20, 20)).astype(np.float32).transpose(1, 0, 2, 3)
    y = ndgrad.relu(ndgrad.tensor(x)).numpy()
    np.testing.assert_array_equal(y, np.maximum(x, 0))
    assert y.strides == x.strides


def test_large_constant_vectors_other_than_zero_are_not_kept():
    size = buffers.CONSTANT_CACHE_SIZE + 1
    first, second = (buffers.constant_vector(1, size, np.float32) for _ in range(2))
    assert first.size == size and first is not second and not first.flags.writeable
    assert first.base is None and second.base is None           # fresh, not cut from a kept one
    assert buffers.constant_vector(0, size, np.float32).base is \
        buffers.constant_vector(0, 10, np.float32).base        # zeros cost no memory: kept
