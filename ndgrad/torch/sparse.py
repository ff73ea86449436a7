"""``torch.sparse``: PyTorch's sparse COO functions over ``ndgrad.sparse``.

``torch.sparse.mm(S, D)`` multiplies a sparse matrix by a dense one and, as in
PyTorch, gives a sparse leaf its gradient on the stored entries;
``torch.sparse.sum(S)`` sums every element (a dense 0-d tensor), with the
gradient on the stored entries too. The legacy constructors
``torch.sparse.FloatTensor(indices, values, size)`` (and ``DoubleTensor``,
``LongTensor``) are ``torch.sparse_coo_tensor`` with that dtype. The tensors
themselves are ``ndgrad.SparseTensor`` s (``torch.sparse_coo_tensor``,
``x.to_sparse()``); the other sparse layouts (CSR, CSC, BSR) and functions
(``addmm``, ``softmax``, ...) raise an AttributeError saying what to use.

Example:
    >>> import ndgrad.torch as torch
    >>> S = torch.sparse_coo_tensor([[0, 1], [1, 0]], [2.0, 3.0], (2, 2), requires_grad=True)
    >>> out = torch.sparse.mm(S, torch.ones(2, 3)); out.sum().backward()
    >>> out.tolist(), S.grad.to_dense().tolist()
    ([[2.0, 2.0, 2.0], [3.0, 3.0, 3.0]], [[0.0, 3.0], [3.0, 0.0]])
    >>> torch.sparse.sum(S).item(), torch.sparse.FloatTensor([[0]], [1], (2,)).dtype
    (5.0, dtype('float32'))
"""

import numpy as np

from ..sparse import mm, sparse_coo_tensor, sum  # noqa: A004  (PyTorch's names)
from ._unsupported import unsupported

__all__ = ["mm", "sum", "FloatTensor", "DoubleTensor", "LongTensor"]


def _legacy(name, dtype):
    def constructor(indices, values, size=None):
        return sparse_coo_tensor(indices, values, size, dtype=dtype)
    constructor.__name__ = constructor.__qualname__ = name
    constructor.__doc__ = (f"``torch.sparse.{name}(indices, values, size)``: PyTorch's legacy "
                           f"constructor, ``torch.sparse_coo_tensor(indices, values, size, "
                           f"dtype=torch.{np.dtype(dtype).name})``.\n\n"
                           f"    Example:\n"
                           f"        >>> import ndgrad.torch as torch\n"
                           f"        >>> torch.sparse.{name}([[1]], [3], (2,)).to_dense()"
                           f".tolist()[1] == 3\n"
                           f"        True\n")
    return constructor


FloatTensor = _legacy("FloatTensor", np.float32)
DoubleTensor = _legacy("DoubleTensor", np.float64)
LongTensor = _legacy("LongTensor", np.int64)

_COO_ONLY = ("ndgrad has sparse COO tensors only; use torch.sparse_coo_tensor or x.to_sparse() "
             "and convert with .to_dense() where a dense tensor is needed")
__getattr__ = unsupported(__name__, {
    "addmm": "write beta * input + alpha * torch.sparse.mm(mat1, mat2)",
    "softmax": "compute it on S.to_dense() (every element, with the zeros) or on S.values()",
    "log_softmax": "compute it on S.to_dense() or on S.values()",
    "sampled_addmm": _COO_ONLY, "spdiags": "build the indices and use torch.sparse_coo_tensor",
    "check_sparse_tensor_invariants": "ndgrad always checks the indices of a sparse tensor",
    "as_sparse_gradcheck": "use torch.autograd.gradcheck on a function of the values",
    "to_sparse_semi_structured": _COO_ONLY, "SparseSemiStructuredTensor": _COO_ONLY,
})
