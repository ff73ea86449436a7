"""Set operations and the array-API unique_* functions on tensors, beyond the
op table (tests/ops/cases_numpy_rest.py): values match NumPy, indices and
counts are NumPy's, and a value standing for several equal elements shares its
gradient between them (so moving them together moves it at the right rate)."""

import numpy as np
import pytest

import ndgrad


def _values(rng, size):
    return rng.integers(0, 6, size).astype(np.float64)


@pytest.mark.parametrize("name", ["union1d", "intersect1d", "setdiff1d", "setxor1d"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_values_match_numpy_with_repeats(name, seed):
    rng = np.random.default_rng(seed)
    a, b = _values(rng, 7), _values(rng, 5)
    function = getattr(np, name)
    got = function(ndgrad.tensor(a, dtype="float64"), ndgrad.tensor(b, dtype="float64"))
    np.testing.assert_array_equal(got.numpy(), function(a, b))


@pytest.mark.parametrize("name", ["union1d", "intersect1d", "setdiff1d", "setxor1d"])
def test_each_value_gives_its_gradient_to_the_elements_equal_to_it(name):
    rng = np.random.default_rng(3)
    a, b = _values(rng, 8), _values(rng, 6)
    ta, tb = ndgrad.Variable(a, dtype="float64"), ndgrad.Variable(b, dtype="float64")
    result = getattr(np, name)(ta, tb)
    weights = rng.uniform(1, 2, result.shape)
    (result * weights).sum().backward()
    # Moving every element equal to value v by t moves v by t: the gradients of
    # those elements add up to v's weight; every other element gets nothing.
    for value, weight in zip(result.numpy(), weights):
        if name == "setdiff1d":       # ar2 only decides which values stay
            assert tb.grad is None
            total = ta.grad.numpy()[a == value].sum()
        else:
            total = ta.grad.numpy()[a == value].sum() + tb.grad.numpy()[b == value].sum()
        assert np.isclose(total, weight)
    chosen = np.isin(a, result.numpy())
    assert np.all(ta.grad.numpy()[~chosen] == 0)


def test_intersect1d_shares_equally_between_the_inputs():
    a = ndgrad.Variable([3.0, 1.0, 2.0]); b = ndgrad.Variable([2.0, 5.0, 2.0])
    np.intersect1d(a, b).sum().backward()
    assert a.grad.tolist() == pytest.approx([0.0, 0.0, 1 / 3])
    assert b.grad.tolist() == pytest.approx([1 / 3, 0.0, 1 / 3])


def test_intersect1d_return_indices_and_assume_unique():
    a, b = np.array([5.0, 1.0, 3.0, 7.0]), np.array([7.0, 3.0, 0.0])
    values, i1, i2 = np.intersect1d(ndgrad.tensor(a), ndgrad.tensor(b), return_indices=True)
    expected = np.intersect1d(a, b, return_indices=True)
    for got, want in zip((values, i1, i2), expected):
        np.testing.assert_array_equal(got.numpy(), want)
    np.testing.assert_array_equal(
        np.intersect1d(ndgrad.tensor(a), ndgrad.tensor(b), assume_unique=True).numpy(),
        np.intersect1d(a, b, assume_unique=True))


def test_setdiff1d_assume_unique_keeps_order():
    a, b = np.array([5.0, 1.0, 3.0, 7.0]), np.array([1.0])
    x = ndgrad.Variable(a, dtype="float64")
    got = np.setdiff1d(x, b, assume_unique=True)
    np.testing.assert_array_equal(got.numpy(), np.setdiff1d(a, b, assume_unique=True))
    (got * ndgrad.tensor([1.0, 2.0, 3.0], dtype="float64")).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 2.0, 3.0]


def test_unique_results_are_numpy_named_tuples_with_tensors():
    data = np.array([[2.0, 1.0], [2.0, np.nan], [np.nan, 3.0]])
    x = ndgrad.tensor(data, dtype="float64")
    for name in ("unique_all", "unique_counts", "unique_inverse"):
        got, expected = getattr(np, name)(x), getattr(np, name)(data)
        assert got._fields == expected._fields, name
        for field in got._fields:
            np.testing.assert_array_equal(getattr(got, field).numpy(), getattr(expected, field))
    np.testing.assert_array_equal(np.sort(np.unique_values(x).numpy()),
                                  np.sort(np.unique_values(data)))


def test_unique_inverse_rebuilds_the_input_and_routes_gradients():
    x = ndgrad.Variable([[2.0, 1.0], [1.0, 4.0]])
    values, inverse = np.unique_inverse(x)
    assert values[inverse].tolist() == x.tolist()
    (values * ndgrad.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [[10.0, 0.5], [0.5, 100.0]]


def test_lists_holding_tensors_keep_their_gradients():
    a, b = ndgrad.Variable(1.0), ndgrad.Variable(4.0)
    ndgrad.union1d([a, b], [2.0]).sum().backward()
    assert a.grad.item() == 1.0 and b.grad.item() == 1.0


def test_complex_values_differentiate():
    from .complex_harness import check_against_finite_differences, cotangent, ndgrad_gradients
    rng = np.random.default_rng(4)
    z = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    for op in (lambda x: np.unique_values(np.concatenate([x, x[:2]])),
               lambda x: np.union1d(x, x[1:3]), lambda x: np.intersect1d(x, x[:2] * 1.0)):
        with ndgrad.no_grad():
            out = op(ndgrad.tensor(z)).numpy()
        c = cotangent(rng, out)
        grads = ndgrad_gradients(op, [z], c)
        check_against_finite_differences(op, [z], c, grads, rng, 1e-6, 1e-8)
