"""Joining, reshaping, indexing and products of ndgrad.torch against PyTorch."""

import numpy as np
import pytest
import torch as real

import ndgrad.torch as torch

from .oracle import compare, floats

A, B = floats(2, 3, 4), floats(2, 3, 4, seed=1)


def test_cat_stack_and_friends():
    compare("cat", call=lambda t: lambda a, b: t.cat([a, b], dim=1), *[A, B])
    compare("cat", call=lambda t: lambda a, b: t.cat((a, b)), *[A, B])
    compare("concat", call=lambda t: lambda a, b: t.concat([a, b], dim=-1), *[A, B])
    compare("stack", call=lambda t: lambda a, b: t.stack([a, b], dim=2), *[A, B])
    compare("hstack", call=lambda t: lambda a, b: t.hstack([a, b]), *[A, B])
    compare("vstack", call=lambda t: lambda a, b: t.vstack([a, b]), *[A, B])


@pytest.mark.parametrize("args", [(), (1,), (0, 1), (1, -1), (-2,)])
def test_flatten(args):
    compare("flatten", A, *args)


def test_reshape_family():
    compare("reshape", A, (6, 4))
    compare("reshape", A, (-1,))
    compare("transpose", A, 0, 2)
    compare("transpose", floats(3, 4), 0, 1)          # 2-D: a swap, as PyTorch
    compare("swapaxes", A, 0, 1)
    compare("swapdims", A, 1, 2)
    compare("permute", A, (2, 0, 1))
    compare("movedim", A, 0, -1)
    compare("moveaxis", A, (0, 1), (2, 0))
    compare("t", floats(3, 4))
    compare("squeeze", floats(2, 1, 3))
    compare("squeeze", floats(2, 1, 3), 1)
    compare("unsqueeze", A, 1)
    compare("unsqueeze", A, -1)


def test_splitting():
    compare("split", A, 2, dim=2)
    compare("split", A, [1, 2], 1)
    compare("chunk", A, 2, 2)
    compare("chunk", floats(5), 2)
    compare("unbind", A, 1)
    compare("tensor_split", floats(7), 3)
    compare("tensor_split", A, [1, 3], dim=2)
    compare("narrow", A, 2, 1, 2)


def test_indexing():
    index = np.array([[[0, 3], [1, 1], [2, 0]], [[3, 3], [0, 1], [2, 2]]])
    compare("gather", A, 2, index)
    compare("index_select", A, 1, np.array([2, 0]))
    compare("take_along_dim", A, index, dim=2)
    compare("take_along_dim", A, np.array([0, 5, 23]))
    compare("masked_select", A, A > 0)
    compare("masked_select", A, np.array([True, False, True, False]))
    compare("masked_fill", A, A > 0, 0.5)


def test_arrangements():
    compare("flip", A, [0, 2])
    compare("flip", A, (1,))
    compare("fliplr", floats(3, 4))
    compare("flipud", floats(3, 4))
    compare("roll", A, 2)
    compare("roll", A, (1, -1), (0, 2))
    compare("rot90", floats(3, 4))
    compare("rot90", A, 2, [1, 2])
    compare("tril", floats(4, 4))
    compare("triu", floats(4, 4), 1)
    compare("tril", floats(3, 4), diagonal=-1)
    compare("diag", floats(3))
    compare("diag", floats(3, 3), 1)
    compare("diagonal", A, 0, 1, 2)
    compare("trace", floats(3, 3))
    compare("repeat_interleave", floats(3), 2)
    compare("repeat_interleave", A, 3, dim=1)
    compare("repeat_interleave", floats(2, 3), np.array([1, 2]), dim=0)
    compare("tile", floats(2, 3), (2, 1))
    compare("broadcast_to", floats(3, 1), (2, 3, 4))
    ours = torch.broadcast_tensors(torch.zeros(3, 1), torch.zeros(4))
    assert [t.shape for t in ours] == [(3, 4), (3, 4)]
    assert torch.broadcast_shapes((3, 1), (1, 4), 4) == (3, 4)


def test_meshgrid_defaults_to_ij():
    compare("meshgrid", floats(2), floats(3, seed=1), indexing="ij")
    compare("meshgrid", floats(2), floats(3, seed=1), indexing="xy")
    assert [g.shape for g in torch.meshgrid(torch.zeros(2), torch.zeros(3))] == [(2, 3), (2, 3)]
    assert [g.shape for g in torch.meshgrid([torch.zeros(2), torch.zeros(3)])] == [(2, 3)] * 2


def test_products():
    m, n = floats(3, 4), floats(4, 5, seed=1)
    compare("matmul", A, floats(4, 2, seed=2))
    compare("mm", m, n)
    compare("bmm", A, floats(2, 4, 3, seed=2))
    compare("mv", m, floats(4, seed=3))
    compare("dot", floats(4), floats(4, seed=1))
    compare("inner", floats(4), floats(4, seed=1))
    compare("outer", floats(3), floats(4, seed=1))
    compare("ger", floats(3), floats(4, seed=1))
    compare("kron", floats(2, 2), floats(2, 3, seed=1))
    compare("tensordot", A, floats(3, 4, 2, seed=1), dims=2,
            call=lambda t: lambda a, b, dims: t.tensordot(a, b, dims) if t.__name__ == "torch"
            else t.tensordot(a, b, dims))
    compare("einsum", call=lambda t: lambda a, b: t.einsum("ij,jk->ik", a, b), *[m, n])
    compare("einsum", call=lambda t: lambda a, b: t.einsum("bij,bjk->bik", [a, b]),
            *[A, floats(2, 4, 3, seed=1)])
    compare("addmm", floats(3, 5, seed=4), m, n, beta=0.5, alpha=2.0)
    with pytest.raises(RuntimeError, match="1-D"):
        torch.dot(torch.ones(2, 2), torch.ones(2, 2))


def test_clone_and_detach():
    compare("clone", A)
    out = torch.detach(torch.ones(2, requires_grad=True) * 2)
    assert not out.requires_grad


@pytest.mark.filterwarnings("ignore:Using torch.cross without specifying the dim")
def test_more_pytorch_functions():
    compare("take", A, np.array([0, 7, 23]))
    compare("unflatten", A, 2, (2, 2))
    compare("diff", floats(5))
    compare("diff", A, 2, 1)
    compare("cross", floats(2, 3), floats(2, 3, seed=1), dim=1)
    compare("cross", floats(3, 2), floats(3, 2, seed=1))
    compare("index_add", A, 1, np.array([0, 0, 2]), floats(2, 3, 4, seed=3))
    compare("scatter_add", floats(3, 4), 0, np.array([[0, 1, 2, 0]]), floats(1, 4, seed=1))
    compare("scatter", floats(3, 4), 1, np.array([[0], [2], [3]]), floats(3, 1, seed=1))
    for name in ("ravel", "row_stack"):
        compare(name, floats(2, 3), call=lambda t: lambda x: getattr(t, name)(x)
                if name == "ravel" else getattr(t, name)([x, x]))
    compare("hsplit", floats(4, 4), 2)
    compare("vsplit", floats(4, 4), [1, 3])
    for name in ("triu_indices", "tril_indices"):
        assert getattr(torch, name)(3, 4, 1).tolist() == getattr(real, name)(3, 4, 1).tolist()
