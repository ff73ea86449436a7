"""Run one expression on ndgrad's torch face and on PyTorch; compare what comes out.

An expression is written once, as a function of the library module and the
inputs (``lambda torch, i, v: torch.sparse_coo_tensor(i, v, (3, 3)).coalesce()``),
so both libraries run the same text. Sparse results are compared on what a
user can read: layout, shape, dtype, ``is_coalesced()``, the stored indices
and values (``_indices()``, ``_values()``) and the dense equivalent; dense
results on shape, dtype and values. Gradients: every float output is weighted
by one random cotangent and summed, and the gradients of the inputs that
require grad (dense, or a sparse leaf's ``.grad``) must agree.
"""

import numpy as np
import torch as real

import ndgrad
import ndgrad.torch as face

# PyTorch checks the indices of the tensors it builds (ndgrad always does).
real.sparse.check_sparse_tensor_invariants.enable()


def random_sparse_inputs(rng, shape=(4, 5), nnz=9, duplicates=True, dtype=np.float32):
    """``(indices, values)`` NumPy arrays of a random uncoalesced sparse matrix: some
    positions repeat (when ``duplicates``) and the order is shuffled."""
    rows = rng.integers(0, shape[0], nnz)
    cols = rng.integers(0, shape[1], nnz)
    if duplicates and nnz > 2:
        rows[-1], cols[-1] = rows[0], cols[0]
        rows[-2], cols[-2] = rows[1], cols[1]
    values = rng.standard_normal(nnz) * 3
    return np.stack([rows, cols]).astype(np.int64), values.astype(dtype)


def as_library(library, value, requires_grad):
    """A NumPy input as a tensor of ``library`` (float inputs may require grad)."""
    if not isinstance(value, np.ndarray):
        return value
    grad = requires_grad and value.dtype.kind == "f"
    return library.tensor(value, requires_grad=grad)


def assert_same(ours, theirs, rtol=1e-5, atol=1e-6):
    """``ours`` (ndgrad) reads as ``theirs`` (PyTorch): sparse or dense, dtype, values."""
    if isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert_same(o, t, rtol, atol)
        return
    if not isinstance(theirs, real.Tensor):
        assert ours == theirs, (ours, theirs)
        return
    assert isinstance(ours, ndgrad.Tensor), type(ours)
    assert ours.is_sparse == theirs.is_sparse, (ours.is_sparse, theirs.is_sparse)
    assert ours.shape == tuple(theirs.shape), (ours.shape, tuple(theirs.shape))
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", ""), (ours.dtype, theirs.dtype)
    if theirs.is_sparse:
        assert ours.is_coalesced() == theirs.is_coalesced()
        assert ours.sparse_dim() == theirs.sparse_dim()
        if theirs.is_coalesced():
            np.testing.assert_array_equal(ours._indices().numpy(), theirs._indices().numpy())
            np.testing.assert_allclose(ours._values().numpy(),
                                       theirs._values().detach().numpy(), rtol=rtol, atol=atol)
        ours, theirs = ours.to_dense(), theirs.to_dense()
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol,
                               atol=atol)


def _gradient_of(tensor):
    grad = tensor.grad
    if grad is None:
        return None
    return grad.to_dense() if grad.is_sparse else grad


def compare(expression, *inputs, grad=True, rtol=1e-5, atol=1e-6, sparse_leaf=None):
    """Run ``expression(library, *inputs)`` in both libraries and compare results
    and gradients. ``sparse_leaf(library, *tensors)`` may build a sparse leaf that
    requires grad and becomes the first argument after the library. Returns
    ndgrad's result."""
    rng = np.random.default_rng(7)
    ours_in = [as_library(face, value, grad) for value in inputs]
    theirs_in = [as_library(real, value, grad) for value in inputs]
    if sparse_leaf is not None:
        ours_in.insert(0, sparse_leaf(face, *inputs))
        theirs_in.insert(0, sparse_leaf(real, *inputs))
    ours = expression(face, *ours_in)
    theirs = expression(real, *theirs_in)
    assert_same(ours, theirs, rtol, atol)
    outputs = [(o, t) for o, t in zip(ours if isinstance(ours, tuple) else [ours],
                                      theirs if isinstance(theirs, tuple) else [theirs])
               if isinstance(t, real.Tensor) and t.requires_grad]
    if not outputs:
        return ours
    ours_loss, theirs_loss = 0, 0
    for o, t in outputs:
        o_dense = o.to_dense() if o.is_sparse else o
        t_dense = t.to_dense() if t.is_sparse else t
        weight = rng.standard_normal(tuple(t.shape)).astype(str(t_dense.dtype)[6:])
        ours_loss = ours_loss + (o_dense * face.tensor(weight)).sum()
        theirs_loss = theirs_loss + (t_dense * real.tensor(weight)).sum()
    ours_loss.backward()
    theirs_loss.backward()
    for o, t in zip(ours_in, theirs_in):
        if isinstance(t, real.Tensor) and t.requires_grad and t.is_leaf:
            expected = _gradient_of(t)
            got = _gradient_of(o)
            if expected is None:
                assert got is None or not np.any(got.numpy()), "a gradient PyTorch lacks"
                continue
            assert got is not None, "PyTorch has a gradient here, ndgrad none"
            assert got.shape == tuple(expected.shape)
            np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=rtol * 10,
                                       atol=atol * 10)
    return ours
