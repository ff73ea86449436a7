"""Selections by label beyond the op table (tests/ops/cases_numpy_rest.py):
NumPy's argument forms and errors, repeated selections, dtypes, and complex
values."""

import numpy as np
import pytest

import ndgrad

from .complex_harness import check_against_finite_differences, cotangent, ndgrad_gradients


@pytest.mark.parametrize("call", [
    lambda np_, a, v: np_.insert(a, 2, v),
    lambda np_, a, v: np_.insert(a, [0, 0, 3], v[:3]),
    lambda np_, a, v: np_.insert(a, slice(1, 3), v[:2]),
    lambda np_, a, v: np_.insert(a.reshape(2, 3), [1], v[:2].reshape(2, 1), axis=1),
    lambda np_, a, v: np_.insert(a.reshape(2, 3), 0, v[:3], axis=0),
    lambda np_, a, v: np_.delete(a, slice(0, 4, 2)),
    lambda np_, a, v: np_.delete(a.reshape(2, 3), [True, False, True], axis=1),
    lambda np_, a, v: np_.resize(a, 10),
    lambda np_, a, v: np_.block([[a.reshape(2, 3), v[:2].reshape(2, 1)], [v.reshape(1, 4)]]),
    lambda np_, a, v: np_.block([a, v]),
    lambda np_, a, v: np_.compress([False, True], a.reshape(2, 3), axis=0),
    lambda np_, a, v: np_.compress([True, False, True]),
], ids=range(12))
def test_forms_match_numpy_and_route_gradients(call):
    rng = np.random.default_rng(0)
    a, v = rng.standard_normal(6), rng.standard_normal(4)
    try:
        expected = call(np, a, v)
    except TypeError:           # a form NumPy itself refuses
        with pytest.raises(TypeError):
            call(np, ndgrad.tensor(a), ndgrad.tensor(v))
        return
    got = call(np, ndgrad.tensor(a, dtype="float64"), ndgrad.tensor(v, dtype="float64"))
    np.testing.assert_array_equal(got.numpy(), expected)
    assert ndgrad.gradcheck(lambda x, y: call(np, x, y), [ndgrad.tensor(a), ndgrad.tensor(v)])


def test_a_broadcast_value_sums_the_gradients_of_its_copies():
    x, v = ndgrad.Variable([1.0, 2.0]), ndgrad.Variable(5.0)
    np.insert(x, [0, 1, 2], v).sum().backward()
    assert v.grad.item() == 3.0 and x.grad.tolist() == [1.0, 1.0]


def test_inserting_floats_into_integers_casts_and_cuts_like_numpy():
    x = ndgrad.tensor([1, 2, 3])
    v = ndgrad.Variable(2.7)
    got = np.insert(x, 1, v)
    assert got.dtype == np.int64 and got.tolist() == [1, 2, 2, 3]
    assert not got.requires_grad


def test_numpy_errors_stay_numpy_errors():
    x = ndgrad.ones(3)
    with pytest.raises(IndexError):
        np.delete(x, 7)
    with pytest.raises(ValueError):
        np.choose([0, 2], [x, x])
    with pytest.raises(TypeError, match="tuple"):
        np.block((x, x))
    with pytest.raises(TypeError, match="tuple"):
        np.block([(x, x)])
    with pytest.raises(TypeError, match="out="):
        ndgrad.choose([0, 1, 0], [x, x], out=np.zeros(3))
    with pytest.raises(ValueError, match="out="):      # np.choose: numpy_api refuses it
        np.choose([0, 1, 0], [ndgrad.Variable([1.0, 2.0, 3.0]), x], out=np.zeros(3))


def test_choose_modes_match_numpy():
    rng = np.random.default_rng(1)
    choices = rng.standard_normal((3, 4))
    index = np.array([0, 5, -1, 2])
    for mode in ("wrap", "clip"):
        got = np.choose(index, ndgrad.tensor(choices, dtype="float64"), mode=mode)
        np.testing.assert_array_equal(got.numpy(), np.choose(index, choices, mode=mode))


def test_resize_of_an_empty_tensor_gives_zeros():
    got = np.resize(ndgrad.zeros(0), (2, 2))
    assert got.tolist() == [[0.0, 0.0], [0.0, 0.0]] and got.dtype == np.float32


@pytest.mark.parametrize("trim", ["f", "b", "fb", "FB"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
def test_trim_zeros_matches_numpy_on_every_axis(trim, axis):
    data = np.zeros((4, 5))
    data[1, 2], data[2, 1], data[1, 3] = 1.0, 2.0, 3.0
    got = np.trim_zeros(ndgrad.tensor(data), trim, axis)
    np.testing.assert_array_equal(got.numpy(), np.trim_zeros(data, trim, axis))


def test_trim_zeros_of_all_zeros():
    np.testing.assert_array_equal(np.trim_zeros(ndgrad.zeros(3)).numpy(),
                                  np.trim_zeros(np.zeros(3)))


def test_extract_takes_a_tensor_condition():
    x = ndgrad.Variable([1.0, -2.0, 3.0])
    np.extract(x > 0, x).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 1.0]


def test_sort_complex_of_complex_values_differentiates():
    rng = np.random.default_rng(2)
    z = rng.standard_normal(5) + 1j * rng.standard_normal(5)
    np.testing.assert_array_equal(np.sort_complex(ndgrad.tensor(z)).numpy(), np.sort_complex(z))
    c = cotangent(rng, np.sort_complex(z))
    grads = ndgrad_gradients(np.sort_complex, [z], c)
    check_against_finite_differences(np.sort_complex, [z], c, grads, rng, 1e-6, 1e-8)


def test_sort_complex_of_reals_is_complex_and_gives_real_gradients():
    x = ndgrad.Variable([3.0, 1.0, 2.0])
    got = np.sort_complex(x)
    assert got.dtype == np.sort_complex(np.array([3.0], np.float32)).dtype
    (np.real(got) * ndgrad.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [3.0, 1.0, 2.0]


def test_numpy_astype_keeps_gradients_and_refuses_other_devices():
    x = ndgrad.Variable([1.5])
    y = np.astype(x, np.float64)
    assert y.dtype == np.float64 and y.requires_grad
    assert not np.astype(x, np.int32).requires_grad
    with pytest.raises(ValueError, match="device"):
        np.astype(x, np.float64, device="cuda")
