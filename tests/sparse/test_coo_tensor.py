"""The SparseTensor surface against PyTorch: facts, coalesce, indices and values,
transposes, conversions, copies."""

import copy

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as face
from tests.sparse.sparse_oracle import compare, random_sparse_inputs

INDICES = np.array([[1, 0, 1, 2], [2, 1, 2, 0]])
VALUES = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)


def both(expression, indices=INDICES, values=VALUES, size=(3, 3)):
    """``expression`` of a sparse tensor made the same way in each library."""
    return compare(lambda lib, i, v: expression(lib.sparse_coo_tensor(i, v, size)),
                   indices, values)


def test_facts_read_as_in_pytorch():
    for lib in (face, real):
        S = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        assert S.is_sparse and S.layout == lib.sparse_coo and S.dim() == 2 and S.ndim == 2
        assert tuple(S.shape) == (3, 3) and tuple(S.size()) == (3, 3) and S.size(1) == 3
        assert S._nnz() == 4 and S.sparse_dim() == 2 and S.dense_dim() == 0 and S.numel() == 9
        assert str(S.dtype).endswith("float32") and str(S.device) == "cpu" and len(S) == 3
        assert S.element_size() == 4 and not S.is_coalesced() and not S.is_cuda
        assert lib.is_tensor(S) and isinstance(S, lib.Tensor)
    S = face.sparse_coo_tensor(INDICES, VALUES, (3, 3))
    assert S.size() == face.Size([3, 3]) and S.nnz == 4 and not face.ones(2).is_sparse


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int32, np.bool_])
def test_coalesce_sums_duplicates_and_sorts_as_pytorch(dtype):
    both(lambda S: S.coalesce(), values=VALUES.astype(dtype))


def test_coalesce_of_random_tensors_and_of_hybrid_ones(rng):
    for _ in range(5):
        indices, values = random_sparse_inputs(rng, shape=(6, 4), nnz=int(rng.integers(0, 40)))
        both(lambda S: S.coalesce(), indices, values, size=(6, 4))
    both(lambda S: S.coalesce(), values=np.arange(12.0).reshape(4, 3), size=(3, 3, 3))
    both(lambda S: S.coalesce(), indices=np.array([[2, 0, 2, 1]]),
         values=np.arange(8.0).reshape(4, 2), size=(3, 2))


def test_coalesce_of_a_coalesced_tensor_is_itself_and_sorted_input_keeps_its_values():
    S = face.eye(3).to_sparse()
    assert S.coalesce() is S
    sorted_input = face.sparse_coo_tensor([[0, 2]], [1.0, 2.0], (3,))
    assert not sorted_input.is_coalesced()
    assert sorted_input.coalesce().is_coalesced()
    assert sorted_input.coalesce()._values().tolist() == [1.0, 2.0]


def test_indices_and_values_need_a_coalesced_tensor_as_in_pytorch():
    for lib in (face, real):
        S = lib.sparse_coo_tensor(INDICES, VALUES, (3, 3))
        for method in (S.indices, S.values):
            with pytest.raises(RuntimeError, match="uncoalesced tensor, please call .coalesce"):
                method()
        assert S._indices().tolist() == INDICES.tolist() and S._values().tolist() == [1, 2, 3, 4]
        assert S.coalesce().indices().tolist() == [[0, 1, 2], [1, 2, 0]]
        assert S.coalesce().values().tolist() == [2.0, 4.0, 4.0]


def test_values_share_memory_and_values_is_differentiable():
    S = face.sparse_coo_tensor(INDICES, VALUES, (3, 3))
    S._values()[0] = 10.0
    assert S.to_dense()[1, 2].item() == 13.0                 # 10 + 3 at (1, 2)
    leaf = face.eye(2).to_sparse().requires_grad_()
    values = leaf.values()
    assert values.requires_grad and not values.is_leaf and not leaf._values().requires_grad


@pytest.mark.parametrize("expression", [
    lambda S: S.t(),
    lambda S: S.transpose(0, 1),
    lambda S: S.transpose(-1, 0),
    lambda S: S.coalesce().t(),
    lambda S: S.t().t(),
    lambda S: S.coalesce().t().coalesce(),
    lambda S: S.to_dense(),
    lambda S: S.coalesce().to_dense(),
], ids=["t", "transpose", "transpose-negative", "coalesced-t", "t-t", "t-coalesce",
        "to_dense", "coalesced-to_dense"])
def test_transposes_and_to_dense_as_pytorch(expression):
    both(expression)


def test_to_dense_refuses_a_dtype_as_pytorch_does():
    for lib, error in ((face, TypeError), (real, RuntimeError)):
        with pytest.raises(error, match="dtype argument is not supported"):
            lib.eye(2).to_sparse().to_dense(lib.float64)


def test_transpose_of_sparse_dimensions_of_a_3d_tensor_and_refusal_of_dense_ones():
    indices = np.array([[0, 1, 1], [2, 0, 1], [1, 1, 0]])
    both(lambda S: S.transpose(0, 2), indices=indices, values=VALUES[:3], size=(2, 3, 2))
    hybrid = face.sparse_coo_tensor([[0, 1]], face.ones((2, 3)), (2, 3))
    with pytest.raises(TypeError, match="only sparse dimensions"):
        hybrid.transpose(0, 1)
    with pytest.raises(ValueError, match="at most 2 dimensions"):
        face.sparse_coo_tensor(indices, face.ones(3), (2, 3, 2)).t()
    one_d = face.sparse_coo_tensor([[1]], [1.0], (3,))
    assert one_d.t() is one_d


@pytest.mark.parametrize("expression", [
    lambda S, lib: S.to(lib.float64),
    lambda S, lib: S.to(dtype=lib.int64),
    lambda S, lib: S.double(),
    lambda S, lib: S.float(),
    lambda S, lib: S.long(),
    lambda S, lib: S.int(),
    lambda S, lib: S.half(),
    lambda S, lib: S.bool(),
    lambda S, lib: S.coalesce().double(),
    lambda S, lib: S.clone(),
    lambda S, lib: S.coalesce().clone(),
    lambda S, lib: S.detach(),
], ids=["to-float64", "to-int64", "double", "float", "long", "int", "half", "bool",
        "coalesced-double", "clone", "coalesced-clone", "detach"])
def test_conversions_as_pytorch(expression):
    compare(lambda lib, i, v: expression(lib.sparse_coo_tensor(i, v, (3, 3)), lib),
            INDICES, VALUES)


def test_to_a_device_or_the_same_dtype_is_the_tensor_itself():
    S = face.eye(2).to_sparse()
    assert S.to("cpu") is S and S.to(face.device("cpu")) is S and S.cpu() is S
    assert S.to(face.float32) is S and S.to(S) is S
    assert S.to(face.float32, copy=True) is not S
    with pytest.raises(ndgrad.DeviceError):
        S.to("cuda")


def test_detach_shares_the_values_and_cuts_the_graph():
    values = face.tensor(VALUES, requires_grad=True)
    S = face.sparse_coo_tensor(INDICES, values, (3, 3))
    detached = S.detach()
    assert not detached.requires_grad and detached.is_leaf
    assert np.shares_memory(detached._values().numpy(), S._values().numpy())


def test_copies_of_sparse_tensors():
    S = face.sparse_coo_tensor(INDICES, VALUES, (3, 3), requires_grad=True)
    shallow, deep = copy.copy(S), copy.deepcopy(S)
    assert shallow._values() is not None and shallow.requires_grad
    assert deep.requires_grad and deep.is_leaf
    assert not np.shares_memory(deep._values().numpy(), S._values().numpy())
    assert deep.to_dense().tolist() == S.to_dense().tolist()
    with pytest.raises(RuntimeError, match="only leaf tensors"):
        copy.deepcopy(S * 2)


def test_requires_grad_flag_and_its_refusal_on_non_leaves():
    S = face.eye(2).to_sparse()
    assert not S.requires_grad and S.is_leaf and not S.trainable
    S.requires_grad = True
    assert S.requires_grad and S.trainable and S.grad is None
    S.requires_grad_(False)
    assert not S.requires_grad
    derived = face.sparse_coo_tensor([[0]], face.ones(1, requires_grad=True), (2,))
    with pytest.raises(RuntimeError, match="only leaf tensors"):
        derived.requires_grad_()
    with pytest.raises(TypeError, match="only be set to None"):
        S.grad = face.ones(2)
    with pytest.raises(TypeError, match="sparse_coo_tensor"):
        ndgrad.SparseTensor([[0]], [1.0])
