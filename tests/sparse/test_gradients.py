"""Gradients through sparse tensors: against float64 finite differences, and
against PyTorch for values that require grad and for sparse leaves; the refusal
where PyTorch would give a sparse leaf a dense gradient."""

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as face
from tests.sparse.sparse_oracle import compare, random_sparse_inputs

INDICES = np.array([[1, 0, 1, 2], [2, 1, 2, 0]])
VALUES = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
OTHER = np.array([[0, 0, 2], [0, 1, 0]])


def sparse(values, indices=INDICES, size=(3, 3)):
    return ndgrad.sparse_coo_tensor(indices, values, size)


# Functions of dense float64 inputs that pass through sparse tensors.
FUNCTIONS = {
    "to_dense": lambda v: sparse(v).to_dense(),
    "coalesce": lambda v: sparse(v).coalesce().values(),
    "matmul": lambda v, D: sparse(v) @ D,
    "matmul-coalesced": lambda v, D: sparse(v).coalesce() @ D,
    "matmul-vector": lambda v, y: sparse(v) @ y,
    "dense@sparse": lambda v, D: D.T @ sparse(v),
    "sparse.mm-t": lambda v, D: ndgrad.sparse.mm(sparse(v).t(), D),
    "dense+sparse": lambda v, E: E + sparse(v),
    "sparse-sparse": lambda v, w: (sparse(v) - sparse(w, OTHER)).to_dense(),
    "scale": lambda v, s: (sparse(v) * s / 4).to_dense(),
    "sum": lambda v: sparse(v).sum(),
    "sparse.sum": lambda v: ndgrad.sparse.sum(sparse(v)),
    "to_sparse": lambda x, E: x.to_sparse().to_dense() * E,
    "squares": lambda v, D: (sparse(v * v) @ D) ** 2,
}
SHAPES = {"D": (3, 2), "E": (3, 3), "y": (3,), "w": (3,), "s": ()}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_gradients_match_float64_finite_differences(name, rng):
    function = FUNCTIONS[name]
    arguments = function.__code__.co_varnames[:function.__code__.co_argcount]
    inputs = []
    for argument in arguments:
        if argument == "v":
            inputs.append(ndgrad.tensor(rng.standard_normal(4)))
        elif argument == "x":       # no zeros: a step must not change the stored pattern
            inputs.append(ndgrad.tensor(rng.uniform(1.0, 2.0, (3, 3))))
        else:
            inputs.append(ndgrad.tensor(rng.standard_normal(SHAPES[argument])))
    assert ndgrad.gradcheck(function, inputs, checks=3)


def test_second_order_gradients_through_the_product(rng):
    D = ndgrad.tensor(rng.standard_normal((3, 2)))
    assert ndgrad.gradcheck(lambda v, D: (sparse(v) @ D) ** 2,
                            [ndgrad.tensor(rng.standard_normal(4)), D], second_order=True)


@pytest.mark.parametrize("expression", [
    lambda lib, v, D: lib.mm(lib.sparse_coo_tensor(INDICES, v, (3, 3)), D),
    lambda lib, v, D: lib.sparse.mm(lib.sparse_coo_tensor(INDICES, v, (3, 3)), D),
    lambda lib, v, D: lib.sparse_coo_tensor(INDICES, v, (3, 3)).coalesce() @ D,
    lambda lib, v, D: D.T @ lib.sparse_coo_tensor(INDICES, v, (3, 3)),
    lambda lib, v, D: lib.eye(3) + lib.sparse_coo_tensor(INDICES, v, (3, 3)) * 2,
    lambda lib, v, D: lib.sparse_coo_tensor(INDICES, v, (3, 3)).sum(),
    lambda lib, v, D: lib.sparse.sum(lib.sparse_coo_tensor(INDICES, v, (3, 3)).t()),
    lambda lib, v, D: (lib.sparse_coo_tensor(INDICES, v, (3, 3)).double() / 3).to_dense(),
    lambda lib, v, D: lib.sparse_coo_tensor(INDICES, v, (3, 3)).coalesce().values() ** 2,
    lambda lib, v, D: (lib.sparse_coo_tensor(INDICES, v, (3, 3))
                       + lib.sparse_coo_tensor(OTHER, v[:3], (3, 3))).to_dense(),
    lambda lib, v, D: lib.sparse.mm(D.T.to_sparse(), lib.ones(3, 1)),
], ids=["torch.mm", "sparse.mm", "coalesce-@", "dense@sparse", "eye+2S", "sum",
        "sparse.sum-t", "double-div", "values", "S+T", "dense.to_sparse"])
def test_gradients_of_values_and_dense_operands_match_pytorch(expression, rng):
    dense = rng.standard_normal((3, 2)).astype(np.float32)
    compare(expression, VALUES, dense)


def leaf(lib, *inputs):
    """A sparse leaf that requires grad, uncoalesced with a duplicate entry."""
    return lib.sparse_coo_tensor(INDICES, VALUES, (3, 3), requires_grad=True)


@pytest.mark.parametrize("expression", [
    lambda lib, S, D: lib.sparse.mm(S, D),
    lambda lib, S, D: S.to_dense() * D.sum(),
    lambda lib, S, D: S.coalesce().to_dense() @ D,
    lambda lib, S, D: (S * 2).to_dense(),
    lambda lib, S, D: (S + S).to_dense(),
    lambda lib, S, D: S.t().to_dense() @ D,
    lambda lib, S, D: lib.sparse.sum(S),
    lambda lib, S, D: S.coalesce().values() ** 2,
    lambda lib, S, D: S.double().to_dense(),
    lambda lib, S, D: (-S).to_dense(),
], ids=["sparse.mm", "to_dense", "coalesce", "scale", "S+S", "t", "sparse.sum", "values",
        "double", "neg"])
def test_a_sparse_leaf_gets_its_gradient_on_its_nonzeros_as_in_pytorch(expression, rng):
    dense = rng.standard_normal((3, 2)).astype(np.float32)
    ours = compare(expression, dense, sparse_leaf=leaf)
    assert ours.requires_grad


def test_the_leaf_gradient_is_a_coalesced_sparse_tensor_and_accumulates():
    S = face.sparse_coo_tensor(INDICES, VALUES, (3, 3), requires_grad=True)
    D = face.ones((3, 2))
    face.sparse.mm(S, D).sum().backward()
    face.sparse.mm(S, D).sum().backward()
    assert S.grad.is_sparse and S.grad.is_coalesced()
    assert S.grad.indices().tolist() == [[0, 1, 2], [1, 2, 0]]
    assert S.grad.values().tolist() == [4.0, 4.0, 4.0]
    S.grad = None
    assert S.grad is None


@pytest.mark.parametrize("expression", [
    lambda S, D: S @ D,
    lambda S, D: face.mm(S, D),
    lambda S, D: face.matmul(S, D),
    lambda S, D: S.mm(D),
    lambda S, D: D.T @ S,
    lambda S, D: S.sum(),
    lambda S, D: face.eye(3) + S,
    lambda S, D: S - face.eye(3),
    lambda S, D: (S * 2).t() @ D,
], ids=["@", "torch.mm", "torch.matmul", "S.mm", "D@S", "sum", "eye+S", "S-eye", "derived"])
def test_ops_that_give_a_sparse_leaf_a_dense_gradient_in_pytorch_are_refused(expression):
    S = face.sparse_coo_tensor(INDICES, VALUES, (3, 3), requires_grad=True)
    D = face.ones((3, 2))
    with pytest.raises(NotImplementedError, match="dense gradient.*torch.sparse|dense gradient"):
        expression(S, D)
    with face.no_grad():
        assert expression(S, D) is not None           # without recording there is no gradient
    assert expression(S.detach(), D) is not None


def test_to_sparse_of_a_tensor_that_requires_grad_is_refused_where_torch_would_go_dense():
    x = face.tensor([[1.0, 0.0], [0.0, 2.0]], requires_grad=True)
    with pytest.raises(NotImplementedError, match="to_sparse"):
        face.mm(x.to_sparse(), face.ones((2, 2)))
    face.sparse.mm(x.to_sparse(), face.ones((2, 2))).sum().backward()
    assert x.grad.tolist() == [[2.0, 0.0], [0.0, 2.0]]          # PyTorch's masked gradient


def test_random_products_match_pytorch_gradients(rng):
    for nnz in (1, 6, 25):
        indices, values = random_sparse_inputs(rng, shape=(5, 4), nnz=nnz, dtype=np.float64)
        dense = rng.standard_normal((4, 3))
        compare(lambda lib, v, D: lib.sparse_coo_tensor(indices, v, (5, 4)) @ D, values, dense,
                rtol=1e-10, atol=1e-10)
