"""Sparse arithmetic against PyTorch: products, sums, scaling, dtype promotion."""

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as face
from ndgrad.sparse import rules
from tests.sparse.sparse_oracle import compare, random_sparse_inputs

INDICES = np.array([[1, 0, 1, 2], [2, 1, 2, 0]])
VALUES = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
OTHER = np.array([[0, 0, 2], [0, 1, 0]])
OTHER_VALUES = np.array([5.0, 6.0, -1.0], dtype=np.float32)


def sparse(lib, indices=INDICES, values=VALUES, size=(3, 3), dtype=None):
    return lib.sparse_coo_tensor(indices, values, size, dtype=dtype)


@pytest.mark.parametrize("product", [
    lambda lib, S, D: S @ D,
    lambda lib, S, D: lib.mm(S, D),
    lambda lib, S, D: lib.matmul(S, D),
    lambda lib, S, D: S.mm(D),
    lambda lib, S, D: S.matmul(D),
    lambda lib, S, D: lib.sparse.mm(S, D),
    lambda lib, S, D: S.coalesce() @ D,
    lambda lib, S, D: S.t() @ D,
], ids=["@", "torch.mm", "torch.matmul", "S.mm", "S.matmul", "sparse.mm", "coalesced", "t"])
def test_sparse_times_dense_as_pytorch(product, rng):
    dense = rng.standard_normal((3, 4)).astype(np.float32)
    compare(lambda lib, v, D: product(lib, sparse(lib, values=v), D), VALUES, dense)


@pytest.mark.parametrize("product", [
    lambda lib, S, D: D @ S,
    lambda lib, S, D: lib.mm(D, S),
    lambda lib, S, D: lib.matmul(D, S),
    lambda lib, S, D: D.mm(S),
], ids=["@", "torch.mm", "torch.matmul", "D.mm"])
def test_dense_times_sparse_as_pytorch(product, rng):
    dense = rng.standard_normal((2, 3)).astype(np.float32)
    compare(lambda lib, v, D: product(lib, sparse(lib, values=v), D), VALUES, dense)


def test_products_with_vectors_and_exact_integer_products():
    vector = np.array([1.0, -2.0, 0.5], dtype=np.float32)
    compare(lambda lib, v, x: sparse(lib, values=v) @ x, VALUES, vector)
    compare(lambda lib, v, x: x @ sparse(lib, values=v), VALUES, vector)
    integers = np.arange(6).reshape(3, 2)
    compare(lambda lib, D: lib.sparse.mm(sparse(lib, dtype=lib.int64), D), integers)


def test_products_of_random_uncoalesced_matrices_in_float64(rng):
    for nnz in (0, 1, 5, 40):
        indices, values = random_sparse_inputs(rng, shape=(6, 5), nnz=nnz, dtype=np.float64)
        dense = rng.standard_normal((5, 3))
        compare(lambda lib, v, D: sparse(lib, indices, v, (6, 5)) @ D, values, dense,
                rtol=1e-12, atol=1e-12)
        compare(lambda lib, v, D: D.T @ sparse(lib, indices, v, (6, 5)), values,
                rng.standard_normal((6, 3)), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("expression", [
    lambda lib, S, T, D: S + T,
    lambda lib, S, T, D: S.coalesce() + T.coalesce(),
    lambda lib, S, T, D: S - T,
    lambda lib, S, T, D: S.add(T, alpha=2),
    lambda lib, S, T, D: S.sub(T),
    lambda lib, S, T, D: lib.add(S.coalesce(), T.coalesce()),
    lambda lib, S, T, D: D + S,
    lambda lib, S, T, D: lib.add(D, S),
    lambda lib, S, T, D: lib.add(D, S, alpha=3),
    lambda lib, S, T, D: D.add(S),
    lambda lib, S, T, D: D - S,
    lambda lib, S, T, D: lib.sub(D, S),
], ids=["S+T", "coalesced", "S-T", "S.add-alpha", "S.sub", "torch.add", "D+S", "torch.add-D",
        "torch.add-alpha", "D.add", "D-S", "torch.sub"])
def test_sums_as_pytorch(expression, rng):
    dense = rng.standard_normal((3, 3)).astype(np.float32)
    compare(lambda lib, v, w, D: expression(lib, sparse(lib, values=v),
                                            sparse(lib, OTHER, w), D),
            VALUES, OTHER_VALUES, dense)


def test_sparse_plus_dense_gives_the_dense_sum_where_pytorch_refuses():
    S = sparse(face)
    D = face.ones((3, 3))
    expected = (D + S).numpy()
    np.testing.assert_array_equal((S + D).numpy(), expected)
    np.testing.assert_array_equal((S - D).numpy(), -(D - S).numpy())
    with pytest.raises(RuntimeError, match="add\\(sparse, dense\\) is not supported"):
        sparse(real) + real.ones(3, 3)


DTYPES = ["bool", "uint8", "int32", "int64", "float16", "float32", "float64"]


@pytest.mark.parametrize("dense_dtype", DTYPES)
@pytest.mark.parametrize("sparse_dtype", DTYPES)
def test_dense_plus_sparse_promotes_as_pytorch(dense_dtype, sparse_dtype):
    dense = np.eye(3).astype(dense_dtype)
    values = np.array([1, 0, 1, 1]).astype(sparse_dtype)
    compare(lambda lib, D, v: D + sparse(lib, values=v), dense, values, grad=False)


@pytest.mark.parametrize("other_dtype", DTYPES)
@pytest.mark.parametrize("sparse_dtype", DTYPES)
def test_sparse_plus_sparse_promotes_as_pytorch(other_dtype, sparse_dtype):
    if rules.promote_tensors(sparse_dtype, other_dtype) in (np.bool_, np.float16):
        pytest.skip("PyTorch has no sparse addition of bool or float16 values")
    values = np.array([1, 0, 1, 1]).astype(sparse_dtype)
    other = np.array([1, 1, 0]).astype(other_dtype)
    compare(lambda lib, v, w: sparse(lib, values=v).coalesce() + sparse(lib, OTHER, w).coalesce(),
            values, other, grad=False)


def test_gats_adjacency_matrix_eye_plus_int64_sparse_is_float32():
    edges = np.array([[0, 1], [1, 2], [2, 0], [0, 1]], dtype=np.int32)     # one repeated edge
    compare(lambda lib: lib.eye(3) + lib.sparse_coo_tensor(edges.T, lib.ones(4), (3, 3),
                                                            dtype=lib.int64))


SCALARS = [2, 2.5, True, -1, np.float64(0.5)]


@pytest.mark.parametrize("dtype", ["bool", "int32", "int64", "float32", "float64"])
@pytest.mark.parametrize("scalar", SCALARS, ids=repr)
def test_scaling_by_numbers_as_pytorch(dtype, scalar):
    values = np.array([1, 0, 3, 1]).astype(dtype)
    compare(lambda lib, v: sparse(lib, values=v) * scalar, values)
    compare(lambda lib, v: scalar * sparse(lib, values=v).coalesce(), values)
    compare(lambda lib, v: sparse(lib, values=v).mul(scalar), values)
    if not (isinstance(scalar, bool) or scalar == 0):
        compare(lambda lib, v: sparse(lib, values=v) / scalar, values)
        compare(lambda lib, v: sparse(lib, values=v).div(scalar), values)


@pytest.mark.parametrize("scalar_dtype", ["int64", "float64", "float32"])
@pytest.mark.parametrize("dtype", ["int32", "float32"])
def test_scaling_by_0d_tensors_as_pytorch(dtype, scalar_dtype):
    values = np.array([1, 2, 3, 1]).astype(dtype)
    factor = np.array(3).astype(scalar_dtype)
    compare(lambda lib, v, s: sparse(lib, values=v) * s, values, factor)
    compare(lambda lib, v, s: lib.mul(sparse(lib, values=v), s), values, factor)
    compare(lambda lib, v, s: sparse(lib, values=v) / s, values, factor)


@pytest.mark.parametrize("dtype", ["bool", "int32", "int64", "float16", "float32", "float64"])
def test_sum_and_negation_as_pytorch(dtype):
    values = np.array([1, 0, 3, 1]).astype(dtype)
    compare(lambda lib, v: sparse(lib, values=v).sum(), values)
    compare(lambda lib, v: lib.sparse.sum(sparse(lib, values=v)), values)
    if dtype != "bool":
        compare(lambda lib, v: -sparse(lib, values=v), values)
        compare(lambda lib, v: sparse(lib, values=v).neg(), values)
        compare(lambda lib, v: lib.neg(sparse(lib, values=v)), values)


def test_hybrid_tensors_add_and_sum():
    values = np.arange(8.0).reshape(4, 2)
    compare(lambda lib, v: lib.sparse_coo_tensor(INDICES, v, (3, 3, 2)).coalesce()
            + lib.sparse_coo_tensor(INDICES, v, (3, 3, 2)).coalesce(), values)
    compare(lambda lib, v: lib.sparse_coo_tensor(INDICES, v, (3, 3, 2)).sum(), values)


def test_the_core_functions_reach_the_sparse_forms():
    S, D = sparse(face), face.ones((3, 3))
    np.testing.assert_array_equal(ndgrad.add(D, S).numpy(), (D + S).numpy())
    np.testing.assert_array_equal(ndgrad.matmul(S, D).numpy(), (S @ D).numpy())
    np.testing.assert_array_equal(ndgrad.subtract(D, S).numpy(), (D - S).numpy())
    assert ndgrad.multiply(S, 2).is_sparse and ndgrad.divide(S, 2).is_sparse
    assert ndgrad.negative(S).is_sparse and ndgrad.sparse.mm(D, D).tolist() == (D @ D).tolist()
    in_place = face.ones((3, 3))
    in_place += S
    np.testing.assert_array_equal(in_place.numpy(), (D + S).numpy())
