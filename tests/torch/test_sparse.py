"""``ndgrad.torch``'s sparse names: ``torch.sparse_coo_tensor``, ``torch.sparse``
(``mm``, ``sum``, the legacy constructors), layouts, and the refusals."""

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as torch
from tests.sparse.sparse_oracle import assert_same, compare

INDICES = [[1, 0, 1, 2], [2, 1, 2, 0]]


def test_the_names_are_the_cores():
    assert torch.sparse_coo_tensor is ndgrad.sparse_coo_tensor
    assert torch.sparse.mm is ndgrad.sparse.mm and torch.sparse.sum is ndgrad.sparse.sum
    assert torch.sparse_coo is ndgrad.sparse_coo and torch.strided is ndgrad.strided
    assert isinstance(torch.sparse_coo, torch.layout)


def test_layouts_compare_as_in_pytorch():
    for lib in (torch, real):
        S = lib.sparse_coo_tensor(INDICES, lib.ones(4), (3, 3))
        assert S.layout == lib.sparse_coo and S.layout != lib.strided
        assert lib.ones(2).layout == lib.strided and not lib.ones(2).is_sparse
        assert lib.is_tensor(S) and isinstance(S, lib.Tensor)


@pytest.mark.filterwarnings("ignore:torch.sparse.SparseTensor:UserWarning")   # PyTorch's
@pytest.mark.parametrize("name, dtype", [("FloatTensor", "float32"), ("DoubleTensor", "float64"),
                                         ("LongTensor", "int64")])
def test_legacy_sparse_constructors(name, dtype):
    values = np.array([1.0, 2.0, 3.0, 4.0], dtype=dtype)
    compare(lambda lib, v: getattr(lib.sparse, name)(lib.tensor(INDICES), v, lib.Size([3, 3])),
            values, grad=False)
    assert str(getattr(torch.sparse, name)(INDICES, [1, 2, 3, 4], (3, 3)).dtype) == dtype


def test_sparse_mm_and_sum_as_pytorch(rng):
    dense = rng.standard_normal((3, 2)).astype(np.float32)
    values = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    compare(lambda lib, v, D: lib.sparse.mm(lib.sparse_coo_tensor(INDICES, v, (3, 3)), D),
            values, dense)
    compare(lambda lib, v: lib.sparse.sum(lib.sparse_coo_tensor(INDICES, v, (3, 3))), values)
    compare(lambda lib, D: lib.sparse.mm(D.T, D), dense)     # a dense first operand


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")   # 1 / 0 on purpose
def test_gats_loader_as_pytorch():
    """The lines of pytorch/examples gat that need sparse tensors, run by both."""
    rng = np.random.default_rng(3)
    words = (rng.random((6, 5)) < 0.4).astype(np.int32)
    words[2] = 0                                             # a paper without words
    edges = np.array([[0, 1], [1, 2], [3, 4], [5, 0], [0, 1]], dtype=np.int32)

    def loader(lib):
        features = lib.FloatTensor(words)
        row_scale = 1 / lib.sum(features, dim=1)
        row_scale[row_scale == float("inf")] = 0
        features = lib.diag(row_scale).to_sparse() @ features
        adjacency = lib.sparse_coo_tensor(edges.T, lib.ones(len(edges)), (6, 6),
                                          dtype=lib.int64)
        return features, lib.eye(6) + adjacency

    ours, theirs = loader(torch), loader(real)
    assert_same(ours, theirs)
    assert ours[1].dtype == np.float32 and ours[1][0, 1].item() == 2.0


@pytest.mark.parametrize("name", ["addmm", "softmax", "log_softmax", "spdiags",
                                  "check_sparse_tensor_invariants"])
def test_missing_sparse_functions_say_what_to_use(name):
    with pytest.raises(AttributeError, match=f"torch.sparse.{name} is not supported by ndgrad"):
        getattr(torch.sparse, name)


@pytest.mark.parametrize("name", ["sparse_csr", "sparse_csr_tensor", "sparse_csc_tensor"])
def test_other_layouts_are_refused_by_name(name):
    with pytest.raises(AttributeError, match="COO"):
        getattr(torch, name)
    with pytest.raises(AttributeError, match="sparse COO layouts only"):
        torch.ones(2).to_sparse_csr()
    with pytest.raises(AttributeError, match="coalesce is for sparse COO tensors"):
        torch.ones(2).coalesce()
