"""Polynomials on tensors beyond the op table (tests/ops/cases_polynomials.py):
complex coefficients and roots, what NumPy refuses, and the honest refusals
(a multiple root has no derivative)."""

import numpy as np
import pytest

import ndgrad

from .complex_harness import check_against_finite_differences, cotangent, ndgrad_gradients


def _complex_check(op, arrays, seed=0):
    rng = np.random.default_rng(seed)
    with ndgrad.no_grad():
        out = op(*[ndgrad.tensor(a) for a in arrays]).numpy()
    c = cotangent(rng, out)
    grads = ndgrad_gradients(op, arrays, c)
    check_against_finite_differences(op, arrays, c, grads, rng, rtol=1e-5, atol=1e-7)


def test_roots_of_complex_coefficients_differentiate():
    p = np.array([1.0 + 0.5j, -2.0 + 0.1j, 0.3 - 1.0j, 0.7 + 0.2j])
    np.testing.assert_allclose(ndgrad.roots(ndgrad.tensor(p)).numpy(), np.roots(p))
    _complex_check(np.roots, [p])


def test_complex_roots_of_real_coefficients_differentiate():
    p = np.real(np.poly([0.5, 1 + 1j, 1 - 1j, -2.0]))
    assert np.roots(ndgrad.tensor(p)).dtype.kind == "c"
    _complex_check(np.roots, [p], seed=1)


def test_roots_with_leading_and_trailing_zeros():
    p = np.array([0.0, 0.0, 1.0, -3.0, 2.0, 0.0])        # roots 2, 1, 0: all simple
    w = ndgrad.Variable(p, dtype="float64")
    r = np.roots(w)
    np.testing.assert_allclose(r.numpy(), np.roots(p))
    weights = ndgrad.tensor([1.0, 2.0, 3.0], dtype="float64")
    assert ndgrad.gradcheck(     # the leading zeros stay zero: a new root would appear
        lambda q: (np.roots(np.concatenate([np.zeros(2), q])) * weights).sum(),
        [ndgrad.tensor(p[2:])])
    r.sum().backward()
    assert w.grad.shape == p.shape and w.grad.numpy()[:2].tolist() == [0.0, 0.0]


def test_a_multiple_root_has_no_derivative():
    w = ndgrad.Variable([1.0, 0.0, 0.0], dtype="float64")      # x**2: a double root at 0
    with pytest.raises(ValueError, match="multiple root"):
        np.roots(w).sum().backward()


def test_poly_of_complex_roots():
    z = np.array([1 + 2j, 0.5 - 1j, -0.3 + 0.1j])
    np.testing.assert_allclose(ndgrad.poly(ndgrad.tensor(z)).numpy(), np.poly(z))
    _complex_check(np.poly, [z], seed=2)


def test_poly_of_conjugate_pairs_is_real():
    z = np.array([1 + 2j, 1 - 2j, 3.0 + 0j])
    got = ndgrad.poly(ndgrad.tensor(z))
    assert got.dtype == np.poly(z).dtype == np.float64
    np.testing.assert_allclose(got.numpy(), np.poly(z))


def test_poly_edge_cases_follow_numpy():
    assert ndgrad.poly(ndgrad.zeros(0)) == np.poly(np.zeros(0)) == 1.0
    with pytest.raises(ValueError, match="1d or non-empty square"):
        ndgrad.poly(ndgrad.zeros((2, 3)))
    matrix = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])
    np.testing.assert_allclose(ndgrad.poly(ndgrad.tensor(matrix)).numpy(), np.poly(matrix))


def test_polyadd_and_polyder_of_complex_coefficients():
    a, b = np.array([1 + 1j, 2.0, -1j]), np.array([0.5 - 2j, 1.0])
    _complex_check(np.polyadd, [a, b], seed=3)
    _complex_check(lambda p: np.polyder(p, 1), [a], seed=4)


def test_polymul_of_complex_coefficients():
    a, b = np.array([1 + 1j, 2.0, -0.5j]), np.array([0.3 - 1j, 2.0 + 0.5j])
    np.testing.assert_allclose(np.polymul(ndgrad.tensor(a), ndgrad.tensor(b)).numpy(),
                               np.polymul(a, b), rtol=1e-6)
    _complex_check(np.polymul, [a, b], seed=5)
    _complex_check(np.polymul, [a, np.array([1.5, -2.0])], seed=6)


def test_polyfit_of_complex_values_needing_a_gradient_is_refused_not_dropped():
    y = ndgrad.tensor([1 + 1j, 2.0, 0.5j], requires_grad=True)
    with pytest.raises(ndgrad.DTypeError):
        np.polyfit(np.arange(3.0), y, 1)


def test_polydiv_drops_leading_remainder_zeros_like_numpy():
    u, v = np.array([1.0, -3.0, 3.0, -1.0]), np.array([1.0, -1.0])
    q, r = np.polydiv(ndgrad.tensor(u, dtype="float64"), ndgrad.tensor(v, dtype="float64"))
    expected_q, expected_r = np.polydiv(u, v)
    np.testing.assert_allclose(q.numpy(), expected_q)
    assert r.shape == expected_r.shape


def test_polyint_constants_get_gradients():
    k = ndgrad.Variable([2.0, 3.0], dtype="float64")
    p = ndgrad.tensor([3.0, 1.0], dtype="float64")
    result = np.polyint(p, 2, k)
    np.testing.assert_allclose(result.numpy(), np.polyint(p.numpy(), 2, [2.0, 3.0]))
    (result * ndgrad.tensor(np.arange(1.0, 5.0))).sum().backward()
    assert k.grad.tolist() == [3.0, 4.0]      # result [0.5, 0.5, k0, k1]


def test_bad_arguments_are_refused_by_name():
    x = ndgrad.tensor([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="poly1d"):
        np.polyadd(x, np.poly1d([1.0, 2.0]))
    with pytest.raises(ValueError, match="polyder"):
        np.polyder(x, -1)
    with pytest.raises(ValueError, match="polyint: k has 1"):
        np.polyint(x, 2, [1.0])
    with pytest.raises(ndgrad.ShapeError, match="one-dimensional"):
        np.vander(ndgrad.ones((2, 2)))
    with pytest.raises(TypeError, match="polyfit"):
        np.polyfit(x, ndgrad.ones(4), 1)
    with pytest.raises(ValueError, match="deg >= 0"):
        np.polyfit(x, x, -1)


def test_polyfit_warns_when_poorly_conditioned_as_numpy():
    x = ndgrad.tensor([1.0, 1.0, 1.0], dtype="float64")
    with pytest.warns(np.exceptions.RankWarning):
        np.polyfit(x, x, 2)


def test_polyfit_matches_numpy_with_two_columns_of_y_and_cov():
    rng = np.random.default_rng(0)
    x, y = np.linspace(-1, 1, 7), rng.standard_normal((7, 2))
    c, cov = np.polyfit(ndgrad.tensor(x, dtype="float64"), ndgrad.tensor(y, dtype="float64"), 2,
                        cov=True)
    expected_c, expected_cov = np.polyfit(x, y, 2, cov=True)
    np.testing.assert_allclose(c.numpy(), expected_c, rtol=1e-10)
    np.testing.assert_allclose(cov.numpy(), expected_cov, rtol=1e-8)
    _, unscaled = np.polyfit(ndgrad.tensor(x, dtype="float64"), ndgrad.tensor(y[:, 0],
                             dtype="float64"), 1, cov="unscaled")
    np.testing.assert_allclose(unscaled.numpy(), np.polyfit(x, y[:, 0], 1, cov="unscaled")[1])
