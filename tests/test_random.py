"""ndgrad.random and the creation functions."""

import numpy as np
import pytest

import ndgrad


def test_seed_makes_draws_reproducible():
    ndgrad.random.seed(3)
    first = [ndgrad.random.normal((3,)).tolist(), ndgrad.random.uniform((2,)).tolist()]
    ndgrad.random.seed(3)
    second = [ndgrad.random.normal((3,)).tolist(), ndgrad.random.uniform((2,)).tolist()]
    assert first == second


def test_distributions_have_the_asked_moments_and_dtypes():
    samples = ndgrad.random.normal((20000,), mean=2.0, stddev=0.5)
    assert samples.dtype == ndgrad.float32
    assert abs(samples.mean().item() - 2.0) < 0.02 and abs(samples.std().item() - 0.5) < 0.02
    uniform = ndgrad.random.uniform((1000,), -1.0, 1.0, dtype="float64")
    assert uniform.dtype == ndgrad.float64 and -1 <= uniform.min().item() and uniform.max().item() < 1
    ints = ndgrad.random.randint((1000,), 0, 3)
    assert set(ints.tolist()) == {0, 1, 2}


def test_permutation_shuffle_and_torch_style_helpers():
    assert sorted(ndgrad.random.permutation(5).tolist()) == [0, 1, 2, 3, 4]
    t = ndgrad.arange(6.0)
    ndgrad.random.shuffle(t)
    assert sorted(t.tolist()) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert ndgrad.randn(2, 3).shape == (2, 3) and ndgrad.rand((4,)).shape == (4,)
    assert ndgrad.randn(2, requires_grad=True).trainable


def test_state_round_trip():
    state = ndgrad.random.get_state()
    a = ndgrad.random.normal((4,)).tolist()
    ndgrad.random.set_state(state)
    assert ndgrad.random.normal((4,)).tolist() == a


def test_random_does_not_touch_numpy_global_state():
    np.random.seed(1)
    expected = np.random.rand()
    np.random.seed(1)
    ndgrad.random.normal((10,))
    assert np.random.rand() == expected


@pytest.mark.parametrize("make, shape", [
    (lambda: ndgrad.zeros(2, 3), (2, 3)), (lambda: ndgrad.ones((2,)), (2,)),
    (lambda: ndgrad.full((2, 2), 3.0), (2, 2)), (lambda: ndgrad.empty(4), (4,)),
    (lambda: ndgrad.eye(3), (3, 3)), (lambda: ndgrad.linspace(0, 1, 5), (5,)),
    (lambda: ndgrad.zeros_like(np.ones((2, 1))), (2, 1)),
])
def test_creation_shapes(make, shape):
    assert make().shape == shape


def test_creation_dtypes_and_requires_grad():
    assert ndgrad.zeros(2).dtype == ndgrad.float32
    assert ndgrad.arange(3).dtype == ndgrad.int64
    assert ndgrad.arange(0.0, 1.0, 0.25).dtype == ndgrad.float32
    assert ndgrad.ones(2, dtype="float64").dtype == ndgrad.float64
    assert ndgrad.zeros(2, requires_grad=True).trainable
    assert ndgrad.ones_like(ndgrad.zeros(2, dtype="float16")).dtype == ndgrad.float16
    assert ndgrad.full_like(ndgrad.zeros(2), 7).tolist() == [7.0, 7.0]
