"""Complex decompositions beyond the gradient table (tests/ops/complex_cases_linalg.py):
forward against NumPy, dtypes, the loud refusals of losses that have no gradient
(phase-dependent ones, repeated eigenvalues of eig), eigh's triangle convention on
a bare complex leaf, np.linalg dispatch, and the tensor solvers' argument errors."""

import numpy as np
import pytest

import ndgrad
import ndgrad.linalg as la
from ndgrad.errors import ShapeError


def _complex(rng, shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


@pytest.mark.parametrize("shape", [(3, 2), (2, 4), (2, 3, 3)])
def test_svd_forward_matches_numpy(shape, rng):
    a = _complex(rng, shape)
    u, s, vh = la.svd(ndgrad.tensor(a), full_matrices=False)
    nu, ns, nvh = np.linalg.svd(a, full_matrices=False)
    assert s.dtype == np.float64 and u.dtype == np.complex128
    np.testing.assert_allclose(s.numpy(), ns, rtol=1e-12)
    np.testing.assert_allclose(np.abs(u.numpy()), np.abs(nu), atol=1e-12)
    np.testing.assert_allclose((u * s[..., None, :]) @ vh, a, atol=1e-12)
    np.testing.assert_allclose(la.svdvals(ndgrad.tensor(a)).numpy(), ns, rtol=1e-12)


@pytest.mark.parametrize("ord", ["nuc", 2, -2, "fro"])
def test_complex_matrix_norms_match_numpy(ord, rng):
    a = _complex(rng, (3, 4))
    x = ndgrad.tensor(a, requires_grad=True)
    value = np.linalg.norm(x, ord)
    assert value.dtype == np.float64
    np.testing.assert_allclose(value.item(), np.linalg.norm(a, ord), rtol=1e-12)
    value.backward()
    assert x.grad.dtype == np.complex128


def test_eigh_forward_matches_numpy_and_values_are_real(rng):
    b = _complex(rng, (3, 3))
    h = b + b.conj().T
    w, v = la.eigh(ndgrad.tensor(h.astype(np.complex64)))
    assert w.dtype == np.float32 and v.dtype == np.complex64
    np.testing.assert_allclose(w.numpy(), np.linalg.eigvalsh(h), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(la.eigvalsh(ndgrad.tensor(h)).numpy(), np.linalg.eigvalsh(h),
                               rtol=1e-12)


def test_eigh_of_a_bare_complex_leaf_reads_one_triangle(rng):
    """Only the lower triangle is read (the diagonal's real part): the upper triangle
    gets nothing and the diagonal a real gradient, as for real input."""
    a = ndgrad.tensor(_complex(rng, (3, 3)), requires_grad=True)
    la.eigvalsh(a).sum().backward()          # the trace of the Hermitian matrix read
    np.testing.assert_allclose(a.grad.numpy(), np.eye(3), atol=1e-12)
    b = ndgrad.tensor(_complex(rng, (3, 3)), requires_grad=True)
    w, v = la.eigh(b, UPLO="U")
    (np.abs(v) ** 2 * w).sum().backward()
    grad = b.grad.numpy()
    assert np.all(np.tril(grad, -1) == 0) and np.all(np.diag(grad).imag == 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
def test_eig_forward_is_complex_and_matches_numpy(dtype, rng):
    a = rng.standard_normal((2, 4, 4)).astype(dtype)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal((2, 4, 4)).astype(dtype)
    w, v = la.eig(ndgrad.tensor(a))
    expected = np.result_type(dtype, np.complex64)
    assert w.dtype == expected and v.dtype == expected
    tolerance = 1e-4 if expected == np.complex64 else 1e-10
    np.testing.assert_allclose(w.numpy(), np.linalg.eigvals(a), rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(a @ v.numpy(), v.numpy() * w.numpy()[..., None, :],
                               atol=tolerance * 10)
    np.testing.assert_allclose(np.linalg.norm(v.numpy(), axis=-2), 1, rtol=tolerance)
    values = la.eigvals(ndgrad.tensor(a))     # no gradient: NumPy's eigvals, cast
    assert values.dtype == expected
    np.testing.assert_allclose(values.numpy(), w.numpy(), rtol=tolerance, atol=tolerance)


def test_np_linalg_eig_dispatches_and_differentiates(rng):
    x = ndgrad.tensor(rng.standard_normal((3, 3)), requires_grad=True)
    w, v = np.linalg.eig(x)
    assert isinstance(w, ndgrad.Tensor) and w.requires_grad and v.requires_grad
    np.real(np.linalg.eigvals(x) ** 2).sum().backward()     # tr(A^2): gradient 2 A^T
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.numpy().T, atol=1e-10)
    assert x.grad.dtype == np.float64


def _refused(call, leaf, op, what):
    with pytest.raises(ValueError) as caught:
        call().backward()
    message = str(caught.value)
    assert message.startswith(f"{op}: the loss depends on the phases of the complex {what}")
    assert "gradient is undefined" in message and "abs(v) ** 2" in message
    assert "test_complex_decompositions.py" in message       # the user's line
    assert leaf.grad is None


def test_phase_dependent_losses_are_refused(rng):
    a = ndgrad.tensor(_complex(rng, (3, 3)), requires_grad=True)
    _refused(lambda: np.real(la.svd(a)[0]).sum(), a, "svd", "singular vectors")
    _refused(lambda: np.imag(la.svd(a, full_matrices=False)[2][0]).sum(), a, "svd",
             "singular vectors")
    _refused(lambda: np.real(la.eigh(a + np.conj(a.T))[1]).sum(), a, "eigh", "eigenvectors")
    _refused(lambda: np.real(la.eig(a)[1]).sum(), a, "eig", "eigenvectors")


def test_phase_invariant_losses_of_the_same_factors_pass(rng):
    a = ndgrad.tensor(_complex(rng, (3, 3)), requires_grad=True)
    u, s, vh = la.svd(a)
    (np.abs(u @ vh) ** 2).sum().backward()
    assert np.all(np.isfinite(a.grad.numpy()))


@pytest.mark.parametrize("matrix", [np.eye(3), np.diag([2.0, 2.0, 5.0]),
                                    np.array([[1.0, 1.0], [0.0, 1.0]])])   # last: defective
def test_eig_refuses_repeated_eigenvalues(matrix):
    a = ndgrad.tensor(matrix, requires_grad=True)
    with pytest.raises(ValueError, match=r"eig: eigenvalues .* coincide .* not defined.*"
                                         r"test_complex_decompositions.py"):
        np.abs(la.eigvals(a)).sum().backward()
    assert a.grad is None
    np.testing.assert_allclose(np.sort(la.eigvals(ndgrad.tensor(matrix)).numpy().real),
                               np.sort(np.linalg.eigvals(matrix).real), atol=1e-6)


def test_eig_refuses_non_square_input():
    with pytest.raises(ShapeError, match=r"eig: needs square matrices.*\(2, 3\)"):
        la.eig(ndgrad.ones((2, 3)))
    with pytest.raises(ShapeError, match="eigvals: needs square matrices"):
        la.eigvals(ndgrad.ones((3,)))


def test_complex64_gradients_stay_complex64(rng):
    a = ndgrad.tensor(_complex(rng, (3, 3)).astype(np.complex64), requires_grad=True)
    (la.svdvals(a).sum() + np.abs(la.eigvals(a)).sum() + np.abs(la.pinv(a)).sum()).backward()
    assert a.grad.dtype == np.complex64


def test_tensorinv_and_tensorsolve_refuse_bad_arguments():
    with pytest.raises(ShapeError, match=r"tensorinv: with ind=1, the first axes \(4,\)"):
        la.tensorinv(ndgrad.ones((4, 2, 3)), ind=1)
    with pytest.raises(ValueError, match="tensorinv: ind must be a positive integer, got 0"):
        la.tensorinv(ndgrad.ones((2, 2)), ind=0)
    with pytest.raises(ShapeError, match=r"tensorsolve: a's leading axes \(2, 3\) must be "
                                         r"b's shape \(3, 2\)"):
        la.tensorsolve(ndgrad.ones((2, 3, 6)), ndgrad.ones((3, 2)))
    with pytest.raises(ShapeError, match="tensorsolve: axes"):
        la.tensorsolve(ndgrad.ones((2, 3, 6)), ndgrad.ones((2, 3)), axes=(5,))


def test_tensorsolve_matches_numpy_with_complex_operands(rng):
    a = _complex(rng, (2, 3, 6)) + np.eye(6).reshape(2, 3, 6) * 3
    b = _complex(rng, (2, 3))
    np.testing.assert_allclose(la.tensorsolve(ndgrad.tensor(a), ndgrad.tensor(b)).numpy(),
                               np.linalg.tensorsolve(a, b), rtol=1e-12)
    np.testing.assert_allclose(np.linalg.tensorinv(ndgrad.tensor(a.reshape(6, 2, 3)), ind=1),
                               np.linalg.tensorinv(a.reshape(6, 2, 3), ind=1), rtol=1e-12)


@pytest.mark.parametrize("shape", [(0, 3, 3), (1, 1), (2, 1, 1)])
def test_empty_batches_and_one_by_one_matrices_differentiate(shape):
    for values in (np.ones(shape), np.ones(shape) * (1 + 1j)):
        a = ndgrad.tensor(values, requires_grad=True)
        (np.abs(la.eigvals(a)).sum() + la.svdvals(a).sum() + la.eigvalsh(a).sum()).backward()
        assert a.grad.shape == shape and np.all(np.isfinite(a.grad.numpy()))
