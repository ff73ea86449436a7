"""What has no sparse form is refused: a TypeError naming the op and saying to call
``.to_dense()`` first, never a silent densification and never a wrong result."""

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as torch
import ndgrad.torch.nn.functional as F
from ndgrad.errors import SparseOperandError

S = ndgrad.sparse_coo_tensor([[1, 0, 1], [2, 1, 2]], [1.0, 2.0, 3.0], (3, 3))
D = ndgrad.ones((3, 3))

REFUSED = {
    "S[0]": (lambda: S[0], "__getitem__"),
    "S[0] = 1": (lambda: S.__setitem__(0, 1.0), "__setitem__"),
    "S.exp()": (lambda: S.exp(), "Tensor.exp"),
    "S.relu()": (lambda: S.relu(), "Tensor.relu"),
    "S.reshape": (lambda: S.reshape(9), "Tensor.reshape"),
    "S.view": (lambda: S.view(9), "Tensor.view"),
    "S.numpy()": (lambda: S.numpy(), "Tensor.numpy"),
    "S.tolist()": (lambda: S.tolist(), "Tensor.tolist"),
    "S.item()": (lambda: S.item(), "Tensor.item"),
    "S.T": (lambda: S.T, "Tensor.T"),
    "S.data": (lambda: S.data, "Tensor.data"),
    "S.backward()": (lambda: S.backward(), "Tensor.backward"),
    "S.sum(0)": (lambda: S.sum(0), "Tensor.sum with dim"),
    "S.mean()": (lambda: S.mean(), "Tensor.mean"),
    "S.max()": (lambda: S.max(), "Tensor.max"),
    "S.add_": (lambda: S.add_(S), "Tensor.add_"),
    "S += S": (lambda: S.__iadd__(S), "__iadd__"),
    "S == S": (lambda: S == S, "__eq__"),
    "S > 0": (lambda: S > 0, "__gt__"),
    "S ** 2": (lambda: S ** 2, "__pow__"),
    "1 / S": (lambda: 1 / S, "__rtruediv__"),
    "abs(S)": (lambda: abs(S), "__abs__"),
    "float(S)": (lambda: float(S), "__float__"),
    "bool(S)": (lambda: bool(S), "__bool__"),
    "iter(S)": (lambda: iter(S), "__iter__"),
    "S + 1": (lambda: S + 1, "adding a number"),
    "S * D": (lambda: S * D, "multiplying by a Tensor"),
    "D * S": (lambda: D * S, "multiplying by a Tensor"),
    "S / D": (lambda: S / D, "dividing a sparse tensor by a Tensor"),
    "S @ S": (lambda: S @ S, "of two sparse tensors"),
    "ndgrad.exp": (lambda: ndgrad.exp(S), "exp"),
    "ndgrad.maximum": (lambda: ndgrad.maximum(D, S), "maximum"),
    "torch.relu": (lambda: torch.relu(S), "relu"),
    "F.softmax": (lambda: F.softmax(S, dim=-1), "numpy.ndim"),   # the first use of the data
    "torch.cat": (lambda: torch.cat([S, S]), "conversion to a NumPy array"),
    "torch.where": (lambda: torch.where(S > 0, S, D), "__gt__"),
    "ndgrad.Tensor(S)": (lambda: ndgrad.Tensor(S), "conversion to a NumPy array"),
    "torch.tensor(S)": (lambda: torch.tensor(S), "Tensor.numpy"),
    "nn.Parameter(S)": (lambda: torch.nn.Parameter(S), "conversion to a NumPy array"),
    "np.asarray": (lambda: np.asarray(S), "conversion to a NumPy array"),
    "np.exp": (lambda: np.exp(S), "numpy.exp"),
    "np.sum": (lambda: np.sum(S), "numpy.sum"),
    "np.concatenate": (lambda: np.concatenate([S, S]), "numpy.concatenate"),
    "np.add out=": (lambda: np.add(S, S, out=S), "numpy.add"),
    "format spec": (lambda: f"{S:.2f}", "format spec"),
    "3-D product": (lambda: ndgrad.sparse_coo_tensor([[0]], ndgrad.ones((1, 2)), (2, 2)) @ D,
                    "sparse matrix"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_refused_with_the_op_named_and_to_dense_advised(name):
    call, what = REFUSED[name]
    with pytest.raises(TypeError) as caught:
        call()
    message = str(caught.value)
    assert what in message and "sparse COO tensor" in message and ".to_dense() first" in message


def test_the_indices_are_copied_from_the_input():
    indices = np.array([[0, 1]])
    T = ndgrad.sparse_coo_tensor(indices, [1.0, 2.0], (2,))
    indices[0, 0] = 1
    assert T._indices().tolist() == [[0, 1]]


def test_numpys_facts_about_the_shape_work():
    assert np.shape(S) == (3, 3) and np.ndim(S) == 2 and np.size(S) == 9


def test_the_refusal_is_a_sparse_operand_error_and_describes_the_tensor():
    with pytest.raises(SparseOperandError, match=r"shape \(3, 3\), nnz 3, float32"):
        S.exp()
    assert not hasattr(S, "pin_memory")   # unsupported names stay so
    assert S.is_cpu and S.device == "cpu" and not S.is_cuda


@pytest.mark.parametrize("call, error, match", [
    (lambda: S @ ndgrad.ones((2, 2)), ndgrad.ShapeError, "columns must match"),
    (lambda: S @ ndgrad.ones((3, 2), dtype="float64"), TypeError, "holds float32"),
    (lambda: ndgrad.sparse_coo_tensor([[0], [0]], [1], (3, 3)) @ D, TypeError, "holds int64"),
    (lambda: D[:2] + S, ndgrad.ShapeError, "same shape"),
    (lambda: S + ndgrad.sparse_coo_tensor([[0]], [1.0], (4,)), ndgrad.ShapeError, "same shape"),
    (lambda: -ndgrad.sparse_coo_tensor([[0]], [True], (2,)), TypeError, "bool"),
    (lambda: S.transpose(0, 2), IndexError, "out of range"),
    (lambda: ndgrad.sparse.sum(D), TypeError, "expects a sparse tensor"),
    (lambda: ndgrad.sparse.sum(S, dim=0), TypeError, "with dim"),
    (lambda: ndgrad.sparse.mm(S, ndgrad.ones(3)), ndgrad.ShapeError, "must be a matrix"),
    (lambda: S + ndgrad.sparse_coo_tensor([[0]], ndgrad.ones((1, 3)), (3, 3)), TypeError,
     "of 1 sparse dimensions to one of 2"),
    (lambda: S._indices().__setitem__((0, 0), 2), ValueError, "read-only"),
])
def test_bad_operands_of_the_sparse_ops(call, error, match):
    with pytest.raises(error, match=match):
        call()
