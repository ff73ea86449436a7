"""``ndgrad.linalg``: NumPy's ``numpy.linalg`` functions, differentiable.

The decompositions, inverses, solvers and norms of ``numpy.linalg`` (each
batched over leading axes where NumPy batches, real or complex; complex
gradients in PyTorch's convention, see ``ndgrad.ops.complex_numbers``), and
its array-API functions (``trace``, ``diagonal``, ``outer``, ``cross``,
``vecdot``, ...) with their ``numpy.linalg`` meaning: they work on the last axes. ``np.linalg.inv(t)``
on an ndgrad tensor runs the same op.

Example:
    >>> import ndgrad
    >>> a = ndgrad.Variable([[2.0, 1.0], [1.0, 3.0]])
    >>> x = ndgrad.linalg.solve(a, [1.0, 2.0])
    >>> x.sum().backward()
    >>> a.grad.shape
    (2, 2)
"""

import numpy as np

from .autograd.primitive import as_input, data_of
from .errors import shape_error
from .numpy_api import implements
from .ops import linalg as _products
from .ops.arithmetic import multiply
from .ops.decompositions import (EighResult, QRResult, SVDResult, cholesky, eigh, eigvalsh, qr,
                                 svd, svdvals)
from .ops.eigen import EigResult, eig, eigvals
from .ops.linalg import matmul
from .ops.linear_systems import (SlogdetResult, det, inv, lstsq, matrix_rank, numpy_linalg, pinv,
                                 slogdet, solve)
from .ops.matrix_chains import matrix_power, multi_dot
from .ops.norms import cond, matrix_norm, norm, vector_norm
from .ops.reduce import sum as _sum
from .ops.shape import swapaxes
from .ops.tensor_systems import tensorinv, tensorsolve

__all__ = ["inv", "det", "slogdet", "solve", "lstsq", "pinv", "matrix_power", "multi_dot",
           "matrix_rank", "cholesky", "eig", "eigvals", "eigh", "eigvalsh", "svd", "svdvals",
           "qr", "tensorinv", "tensorsolve", "norm",
           "vector_norm", "matrix_norm", "cond", "matmul", "tensordot", "outer", "cross",
           "vecdot", "trace", "diagonal", "matrix_transpose", "SlogdetResult", "EigResult",
           "EighResult", "SVDResult", "QRResult"]


@implements(*numpy_linalg("trace"))
def trace(x, /, *, offset=0, dtype=None):
    """The trace of the matrices in the last two axes (``numpy.linalg.trace``).

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.trace(ndgrad.ones((3, 2, 2))).tolist()
        [2.0, 2.0, 2.0]
    """
    return _products.trace(x, offset=offset, axis1=-2, axis2=-1, dtype=dtype)


@implements(*numpy_linalg("diagonal"))
def diagonal(x, /, *, offset=0):
    """The diagonals of the matrices in the last two axes (``numpy.linalg.diagonal``).

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.diagonal(ndgrad.ones((3, 2, 2))).shape
        (3, 2)
    """
    return _products.diagonal(x, offset=offset, axis1=-2, axis2=-1)


@implements(*numpy_linalg("outer"))
def outer(x1, x2, /):
    """The outer product of two vectors (``numpy.linalg.outer``: 1-D only).

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.outer(ndgrad.ones(2), ndgrad.ones(3)).shape
        (2, 3)
    """
    x1, x2 = as_input(x1), as_input(x2)
    if np.ndim(data_of(x1)) != 1 or np.ndim(data_of(x2)) != 1:
        raise shape_error("linalg.outer", [data_of(x1), data_of(x2)],
                          "needs two 1-D arrays; ndgrad.outer flattens its inputs first")
    return _products.outer(x1, x2)


@implements(*numpy_linalg("cross"))
def cross(x1, x2, /, *, axis=-1):
    """The cross product of 3-component vectors along ``axis`` (``numpy.linalg.cross``).

    Example:
        >>> import ndgrad
        >>> y, z = ndgrad.tensor([0.0, 1.0, 0.0]), ndgrad.tensor([0.0, 0.0, 1.0])
        >>> ndgrad.linalg.cross(y, z).tolist()
        [1.0, 0.0, 0.0]
    """
    return _products.cross(x1, x2, axis=axis)


@implements(*numpy_linalg("tensordot"))
def tensordot(x1, x2, /, *, axes=2):
    """``ndgrad.tensordot`` under its ``numpy.linalg`` name.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.tensordot(ndgrad.ones((2, 3)), ndgrad.ones((3, 4)), axes=1).shape
        (2, 4)
    """
    return _products.tensordot(x1, x2, axes=axes)


@implements(*numpy_linalg("vecdot"), np.vecdot)   # np.vecdot: the ufunc twin
def vecdot(x1, x2, /, *, axis=-1):
    """The dot products of the vectors along ``axis``, broadcasting the rest.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.vecdot(ndgrad.ones((2, 3)), ndgrad.tensor([1.0, 2.0, 3.0])).tolist()
        [6.0, 6.0]
    """
    x1, x2 = as_input(x1), as_input(x2)
    s1, s2 = np.shape(data_of(x1)), np.shape(data_of(x2))
    if not s1 or not s2 or s1[axis] != s2[axis]:
        raise shape_error("vecdot", [data_of(x1), data_of(x2)],
                          f"the vectors along axis {axis} must have the same length")
    return _sum(multiply(x1, x2), axis=axis)


@implements(*numpy_linalg("matrix_transpose"), np.matrix_transpose)
def matrix_transpose(x, /):
    """The matrices in the last two axes transposed.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.matrix_transpose(ndgrad.ones((4, 2, 3))).shape
        (4, 3, 2)
    """
    return swapaxes(x, -1, -2)


implements(*numpy_linalg("matmul"))(matmul)
