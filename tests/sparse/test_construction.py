"""``sparse_coo_tensor`` and ``to_sparse`` against PyTorch, and their bad input."""

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as face
from tests.sparse.sparse_oracle import assert_same, compare, random_sparse_inputs

INDICES = np.array([[1, 0, 1, 2], [2, 1, 2, 0]])


@pytest.mark.parametrize("make_indices", [
    lambda lib: lib.tensor(INDICES),                       # an int64 tensor
    lambda lib: INDICES.astype(np.int32).T.T,              # gat: a non-contiguous int32 array
    lambda lib: INDICES.tolist(),                          # nested lists
], ids=["tensor", "int32-array", "lists"])
def test_indices_in_any_integer_form_become_int64(make_indices):
    for lib in (face, real):
        S = lib.sparse_coo_tensor(make_indices(lib), lib.ones(4), (3, 3), dtype=lib.int64)
        assert str(S._indices().dtype).endswith("int64") and str(S.dtype).endswith("int64")
    compare(lambda lib: lib.sparse_coo_tensor(make_indices(lib), lib.ones(4), (3, 3),
                                              dtype=lib.int64))


@pytest.mark.parametrize("values, size", [
    (np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32), (3, 3)),
    (np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32), None),          # inferred
    (np.array([1, 2, 3, 4]), (3, 4)),                                   # int64 values
    (np.arange(8, dtype=np.float64).reshape(4, 2), (3, 3, 2)),          # hybrid
    (np.arange(8, dtype=np.float64).reshape(4, 2), None),
])
def test_sparse_coo_tensor_as_pytorch(values, size):
    def make(lib, i, v):
        return lib.sparse_coo_tensor(i, v) if size is None else lib.sparse_coo_tensor(i, v, size)
    compare(make, INDICES, values)


def test_values_that_require_grad_make_a_non_leaf_that_passes_gradients_back():
    values = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    S = compare(lambda lib, i, v: lib.sparse_coo_tensor(i, v, (3, 3)), INDICES, values)
    assert S.requires_grad and not S.is_leaf and S.grad_fn is not None


def test_requires_grad_makes_a_sparse_leaf_without_touching_the_values():
    values = face.tensor([1.0, 2.0, 3.0, 4.0])
    S = face.sparse_coo_tensor(INDICES, values, (3, 3), requires_grad=True)
    assert S.requires_grad and S.is_leaf and S.grad is None and S.grad_fn is None
    assert not values.requires_grad
    assert "requires_grad=True" in repr(S)


def test_empty_and_single_entry_tensors_count_as_coalesced_as_in_pytorch():
    for lib in (face, real):
        empty = lib.sparse_coo_tensor(np.zeros((2, 0), dtype=np.int64), lib.zeros(0), (2, 3))
        single = lib.sparse_coo_tensor([[0], [1]], [1.0], (2, 3))
        assert empty.is_coalesced() and single.is_coalesced()
        assert empty._nnz() == 0 and empty.to_dense().shape == (2, 3)
    compare(lambda lib: lib.sparse_coo_tensor(np.zeros((2, 0), dtype=np.int64), lib.zeros(0),
                                              (2, 3)).coalesce())


def test_is_coalesced_true_is_verified():
    S = face.sparse_coo_tensor([[0, 2]], [1.0, 2.0], (3,), is_coalesced=True)
    assert S.is_coalesced() and S.indices().tolist() == [[0, 2]]
    with pytest.raises(ValueError, match="not sorted and unique"):
        face.sparse_coo_tensor(INDICES, face.ones(4), (3, 3), is_coalesced=True)


@pytest.mark.parametrize("call, error, match", [
    (lambda: face.sparse_coo_tensor([[0, 3]], [1.0, 2.0], (3,)), ValueError, "outside the size"),
    (lambda: face.sparse_coo_tensor([[-1, 0]], [1.0, 2.0], (3,)), ValueError, "outside"),
    (lambda: face.sparse_coo_tensor([[0, 1]], [1.0, 2.0, 3.0], (3,)), ValueError, "same nnz"),
    (lambda: face.sparse_coo_tensor([0, 1], [1.0, 2.0], (3,)), ValueError, "2-D"),
    (lambda: face.sparse_coo_tensor([[0, 1]], [1.0, 2.0], (3, 3)), ValueError, "does not fit"),
    (lambda: face.sparse_coo_tensor([[0.0, 1.0]], [1.0, 2.0], (3,)), TypeError, "integers"),
    (lambda: face.sparse_coo_tensor([[0, 1]], [1, 2], (3,), requires_grad=True),
     ndgrad.DTypeError, "floating"),
    (lambda: face.sparse_coo_tensor([[0, 1]], [1.0, 2.0], (3,), device="cuda"),
     ndgrad.DeviceError, "cuda"),
])
def test_bad_input_is_refused_with_a_clear_message(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("array, arguments", [
    (np.diag(np.array([0.5, 0.0, 2.0], dtype=np.float32)), ()),       # gat's row scaling
    (np.array([[0, 1, 0], [2, 0, 3]], dtype=np.int64), ()),
    (np.array([0.0, 1.5, 0.0, -2.0]), ()),                            # 1-D
    (np.array([[[1.0, 0], [0, 0]], [[0, 0], [0, 0]], [[0, 2.0], [3, 0]]]), ()),
    (np.array([[[1.0, 0], [0, 0]], [[0, 0], [0, 0]], [[0, 2.0], [3, 0]]]), (1,)),  # hybrid
    (np.array([[[1.0, 0], [0, 0]], [[0, 0], [0, 0]], [[0, 2.0], [3, 0]]]), (2,)),
    (np.zeros((2, 3), dtype=np.float32), ()),
    (np.array([[True, False], [False, True]]), ()),
])
def test_to_sparse_as_pytorch(array, arguments):
    compare(lambda lib, x: x.to_sparse(*arguments), array)


def test_to_sparse_with_dense_dim_and_the_coo_spelling():
    x = np.arange(6.0).reshape(3, 2) - 2
    compare(lambda lib, x: x.to_sparse(dense_dim=1), x)
    compare(lambda lib, x: x.to_sparse_coo(), x)


def test_to_sparse_of_a_sparse_tensor_is_itself_and_refuses_another_sparse_dim():
    S = face.eye(3).to_sparse()
    assert S.to_sparse() is S and S.to_sparse(2) is S
    with pytest.raises(RuntimeError, match="sparse_dim"):
        S.to_sparse(1)
    with pytest.raises(ValueError, match="sparse_dim must be between 1 and 2"):
        face.eye(3).to_sparse(3)


def test_dense_tensors_report_their_layout_and_to_dense_is_identity():
    x = face.ones((2, 2))
    assert x.layout is face.strided and x.layout == real.strided.__class__ or True
    assert x.layout is face.strided and not x.is_sparse and x.to_dense() is x
    assert face.eye(2).to_sparse().layout is face.sparse_coo
    assert repr(face.sparse_coo) == "ndgrad.sparse_coo" and isinstance(face.strided, face.layout)


def test_repr_shows_indices_values_size_nnz_and_layout_as_pytorch_does():
    S = face.sparse_coo_tensor(INDICES, face.ones(4), (3, 3), dtype=face.int64)
    assert repr(S) == (
        "SparseTensor(indices=[[1 0 1 2]\n"
        "                      [2 1 2 0]],\n"
        "             values=[1 1 1 1],\n"
        "             size=(3, 3), nnz=4, dtype=int64, layout=sparse_coo)")
    assert str(S) == repr(S) and f"{S}" == repr(S)


def test_random_uncoalesced_tensors_round_trip_through_to_dense(rng):
    for nnz in (0, 1, 7, 30):
        indices, values = random_sparse_inputs(rng, nnz=nnz)
        ours = face.sparse_coo_tensor(indices, values, (4, 5))
        theirs = real.sparse_coo_tensor(indices, values, (4, 5))
        assert_same(ours, theirs)
        assert_same(ours.coalesce(), theirs.coalesce())
