"""Linear algebra beyond the op table: errors, diagonals in einsum, gradients at
singular and degenerate points, result types, NumPy routing and the namespace."""

import subprocess
import sys

import numpy as np
import pytest

import ndgrad
import ndgrad.linalg as la

from .cases_linalg import CASES

try:
    import torch
except ImportError:   # torch is an optional oracle
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")



@pytest.fixture(autouse=True)
def _torch_float64():
    """PyTorch oracles here work in float64 (tests/conftest.py restores float32)."""
    if torch is not None:
        torch.set_default_dtype(torch.float64)
    yield


def _gradient(function, value, dtype="float64"):
    x = ndgrad.Variable(np.asarray(value, dtype=dtype))
    function(x).sum().backward()
    return x.grad.numpy()


# shapes that do not fit ---------------------------------------------------------------


@pytest.mark.parametrize("call, shapes", [
    (ndgrad.dot, ((2, 3), (4, 5))),
    (ndgrad.dot, ((3,), (4,))),
    (ndgrad.inner, ((2, 3), (2, 4))),
    (lambda a, b: ndgrad.tensordot(a, b, axes=1), ((2, 3), (4, 5))),
    (lambda a, b: ndgrad.tensordot(a, b, axes=([0], [1])), ((2, 3), (4, 5))),
    (lambda a, b: ndgrad.einsum("ij,jk->ik", a, b), ((2, 3), (4, 5))),
    (la.solve, ((3, 3), (4,))),
    (la.solve, ((2, 3, 3), (2, 4, 1))),
    (ndgrad.matmul, ((2, 3), (4, 5))),
])
def test_mismatched_inner_dimensions_raise_a_shape_error_naming_both_shapes(call, shapes):
    a, b = (ndgrad.ones(s) for s in shapes)
    with pytest.raises(ndgrad.ShapeError) as error:
        call(a, b)
    message = str(error.value)
    assert str(shapes[0]) in message and str(shapes[1]) in message
    assert "test_linalg.py" in message     # the user's line


@pytest.mark.parametrize("subscripts, shapes, detail", [
    ("ij,jk->ik", ((2, 3),), "2 operand subscripts for 1 operands"),
    ("ijk", ((2, 3),), "subscripts 'ijk'"),
    ("ij->k", ((2, 3),), "einsum"),
    ("i1", ((2, 3),), "only letters"),
    ("...i,...i->i", ((2, 3), (2, 3)), "write '...' in the output"),
])
def test_einsum_refuses_bad_subscripts(subscripts, shapes, detail):
    with pytest.raises(ndgrad.ShapeError, match="einsum") as error:
        ndgrad.einsum(subscripts, *(ndgrad.ones(s) for s in shapes))
    assert detail in str(error.value)


def test_non_square_matrices_are_refused_as_shape_errors():
    for function in (la.inv, la.det, la.slogdet, la.cholesky, la.eigh, la.eigvalsh):
        with pytest.raises(ndgrad.ShapeError, match=r"\(2, 3\)"):
            function(ndgrad.ones((2, 3)))


def test_singular_and_indefinite_matrices_raise_linalg_errors_naming_the_op():
    with pytest.raises(np.linalg.LinAlgError, match="inv: Singular matrix"):
        la.inv(ndgrad.zeros((2, 2)))
    with pytest.raises(np.linalg.LinAlgError, match="cholesky"):
        la.cholesky(ndgrad.tensor([[1.0, 2.0], [2.0, 1.0]]))


# einsum: diagonals, interleaved form --------------------------------------------------


def test_einsum_diagonal_gradient_lands_on_the_diagonal_only():
    grad = _gradient(lambda x: ndgrad.einsum("ii->i", x) * ndgrad.tensor([1.0, 2.0, 3.0],
                                                                          dtype="float64"),
                     np.arange(9.0).reshape(3, 3))
    np.testing.assert_array_equal(grad, np.diag([1.0, 2.0, 3.0]))


def test_einsum_trace_gradient_is_the_identity():
    np.testing.assert_array_equal(_gradient(lambda x: ndgrad.einsum("ii", x), np.ones((3, 3))),
                                  np.eye(3))


@needs_torch
@pytest.mark.parametrize("subscripts, shape", [("iij->ij", (3, 3, 2)), ("iji->j", (2, 3, 2)),
                                               ("ii->", (4, 4))])
def test_einsum_repeated_indices_match_pytorch(subscripts, shape):
    value = np.random.default_rng(0).standard_normal(shape)
    expected = torch.tensor(value, requires_grad=True)
    torch.einsum(subscripts, expected).sum().backward()
    np.testing.assert_allclose(_gradient(lambda x: ndgrad.einsum(subscripts, x), value),
                               expected.grad.numpy())


def test_einsum_gradient_of_a_broadcast_size_one_axis_has_the_input_shape():
    a, b = ndgrad.Variable(np.ones((2, 1))), ndgrad.Variable([1.0, 2.0, 3.0])
    ndgrad.einsum("ij,j->i", a, b).sum().backward()
    assert a.grad.tolist() == [[6.0], [6.0]]
    assert b.grad.tolist() == [2.0, 2.0, 2.0]


def test_einsum_interleaved_form_matches_the_string_form():
    a, b = ndgrad.tensor(np.arange(6.0).reshape(2, 3)), ndgrad.tensor(np.arange(3.0))
    np.testing.assert_array_equal(ndgrad.einsum(a, [0, 1], b, [1], [0]).numpy(),
                                  ndgrad.einsum("ij,j->i", a, b).numpy())


# gradients at singular and degenerate points -------------------------------------------


@pytest.mark.parametrize("function", [
    lambda x: ndgrad.norm(x),
    lambda x: ndgrad.norm(x, axis=1),
    lambda x: ndgrad.norm(x, "fro"),
    lambda x: la.vector_norm(x, ord=3),
])
def test_norm_of_zeros_has_a_zero_gradient_not_nan(function):
    np.testing.assert_array_equal(_gradient(function, np.zeros((2, 3))), np.zeros((2, 3)))


def test_second_order_gradient_of_the_norm_at_zero_is_finite():
    hessian = ndgrad.hessian(ndgrad.norm)(ndgrad.tensor(np.zeros(3)))
    assert np.isfinite(hessian.numpy()).all()


def test_det_gradient_of_a_singular_matrix_is_the_cofactor_matrix():
    singular = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
    cofactors = np.array([[(-1) ** (i + j) * np.linalg.det(np.delete(np.delete(singular, i, 0),
                                                                      j, 1))
                           for j in range(3)] for i in range(3)])
    grad = _gradient(la.det, singular)
    np.testing.assert_allclose(grad, cofactors, atol=1e-12)
    assert np.abs(grad).max() > 1   # the cofactors of a rank-2 matrix are not all zero
    assert ndgrad.gradcheck(la.det, [ndgrad.tensor(singular)])


def test_eigenvalue_and_singular_value_gradients_stay_finite_with_ties():
    identity = np.eye(3)
    np.testing.assert_allclose(_gradient(la.eigvalsh, identity), identity)
    np.testing.assert_allclose(_gradient(lambda x: la.eigh(x)[0], identity), identity)
    np.testing.assert_allclose(_gradient(lambda x: la.svd(x, compute_uv=False), identity),
                               identity)
    np.testing.assert_allclose(_gradient(lambda x: ndgrad.norm(x, "nuc"), 2 * identity),
                               identity)


def test_complete_factors_refuse_a_gradient_on_their_non_unique_columns():
    x = ndgrad.Variable(np.random.default_rng(0).standard_normal((4, 2)))
    u, s, vh = la.svd(x)
    assert u.shape == (4, 4)
    s.sum().backward()                 # the singular values alone are fine
    assert x.grad.shape == (4, 2)
    with pytest.raises(NotImplementedError, match="svd"):
        la.svd(x)[0].sum().backward()
    with pytest.raises(NotImplementedError, match="qr"):
        la.qr(x, mode="complete")[0].sum().backward()


# results: types, dtypes, shapes ------------------------------------------------------------


def test_decompositions_return_numpy_style_named_results():
    a = ndgrad.tensor([[2.0, 1.0], [1.0, 3.0]])
    sign, logabsdet = la.slogdet(a)
    assert la.slogdet(a).logabsdet is not None and sign.item() == 1.0
    assert np.isclose(logabsdet.item(), np.log(5.0))
    assert la.eigh(a).eigenvalues.shape == (2,) and la.eigh(a).eigenvectors.shape == (2, 2)
    assert la.svd(a).Vh.shape == (2, 2) and la.qr(a).R.shape == (2, 2)
    assert la.qr(a, mode="r").shape == (2, 2)


def test_slogdet_sign_carries_no_gradient():
    a = ndgrad.Variable([[2.0, 1.0], [1.0, 3.0]])
    sign, logabsdet = la.slogdet(a)
    assert not sign.requires_grad and logabsdet.requires_grad


CASE_PARAMS = [pytest.param(case, shapes, id=case_id) for case in CASES if case.grad
               for shapes, case_id in zip(case.shapes, case.ids())]


@pytest.mark.parametrize("case, shapes", CASE_PARAMS)
def test_float32_gradients_have_the_shape_and_dtype_of_their_inputs(case, shapes, rng):
    inputs = [ndgrad.Variable(np.asarray(a, dtype=np.float32)) for a in case.inputs(rng, shapes)]
    result = case.op(*inputs)
    outputs = list(result) if isinstance(result, (tuple, list)) else [result]
    total = sum(o.sum() for o in outputs if o.requires_grad)
    total.backward()
    for x in inputs:
        assert x.grad is not None and x.grad.shape == x.shape and x.grad.dtype == np.float32
        assert np.isfinite(x.grad.numpy()).all()


# NumPy routing and the namespace ----------------------------------------------------------


@pytest.mark.parametrize("call", [
    lambda a: np.linalg.inv(a), lambda a: np.linalg.det(a), lambda a: np.linalg.norm(a),
    lambda a: np.linalg.solve(a, np.ones(2, dtype=np.float32)),
    lambda a: np.linalg.eigh(a)[0], lambda a: np.linalg.eigvalsh(a), lambda a: np.linalg.svd(a)[1],
    lambda a: np.linalg.qr(a)[1], lambda a: np.linalg.cholesky(a), lambda a: np.linalg.pinv(a),
    lambda a: np.linalg.slogdet(a)[1], lambda a: np.linalg.matrix_power(a, 2),
    lambda a: np.linalg.multi_dot([a, a, a]), lambda a: np.dot(a, a),
    lambda a: np.einsum("ij->", a),
    lambda a: np.trace(a), lambda a: np.diag(a), lambda a: np.kron(a, a),
    lambda a: np.tensordot(a, a), lambda a: np.inner(a, a), lambda a: np.outer(a, a),
    lambda a: np.vdot(a, a), lambda a: np.diagonal(a),
] + [lambda a, name=name: getattr(np.linalg, name)(a)   # NumPy 2's array-API names
     for name in ("trace", "matrix_norm", "svdvals", "diagonal", "matrix_transpose")
     if hasattr(np.linalg, name)])
def test_numpy_functions_on_tensors_return_tensors_that_carry_gradients(call):
    a = ndgrad.Variable([[2.0, 1.0], [1.0, 3.0]])
    result = call(a)
    assert isinstance(result, ndgrad.Tensor) and result.requires_grad
    assert result.dtype == np.float32


def test_linalg_trace_and_diagonal_work_on_the_last_axes():
    x = ndgrad.tensor(np.arange(12.0).reshape(3, 2, 2))
    assert la.trace(x).tolist() == np.trace(x.numpy(), axis1=-2, axis2=-1).tolist()
    assert ndgrad.trace(x).tolist() == np.trace(x.numpy()).tolist()
    assert la.diagonal(x).shape == (3, 2)


def test_tensor_methods_norm_and_dot():
    x = ndgrad.tensor([3.0, 4.0])
    assert x.norm().item() == 5.0
    assert x.dot(x).item() == 25.0


def test_linalg_only_names_stay_out_of_the_top_level_namespace():
    for name in ("inv", "det", "slogdet", "solve", "cholesky", "pinv", "eigh", "svd", "qr",
                 "lstsq", "matrix_power", "multi_dot", "eigvalsh"):
        assert not hasattr(ndgrad, name), name
        assert hasattr(la, name), name
    assert ndgrad.norm is la.norm


def test_ndgrad_linalg_is_the_linalg_namespace_after_a_plain_import():
    code = "import ndgrad; print(ndgrad.linalg.__name__, ndgrad.linalg.inv.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["ndgrad.linalg", "inv"], out.stderr[-300:]
