"""Errors a person can act on: they name the op, the shapes or dtypes, the line.

Example:
    >>> import ndgrad
    >>> try:
    ...     ndgrad.ones((3, 1)) @ ndgrad.ones((10, 1))
    ... except ndgrad.ShapeError as error:
    ...     print(str(error).split(":")[0])
    matmul
"""

from .autograd.breaks import describe_site


class ShapeError(ValueError):
    """An op got operands whose shapes do not fit together.

    Example:
        >>> from ndgrad import ShapeError
        >>> issubclass(ShapeError, ValueError)
        True
    """


class DTypeError(TypeError):
    """An op or a trainable tensor got a dtype it cannot use.

    Example:
        >>> from ndgrad import DTypeError
        >>> issubclass(DTypeError, TypeError)
        True
    """


class SparseOperandError(TypeError):
    """An operation that has no sparse form was given a sparse COO tensor.

    ``what`` names the operation, ``description`` the sparse tensor (its shape,
    number of stored entries and dtype); the message says what to do instead.

    Example:
        >>> from ndgrad.errors import SparseOperandError
        >>> error = SparseOperandError("exp", "shape (3, 3), nnz 2, int64")
        >>> isinstance(error, TypeError), str(error).split(";")[0]
        (True, 'exp is not supported on a sparse COO tensor (shape (3, 3), nnz 2, int64)')
    """

    def __init__(self, what, description):
        self.what = what
        self.description = description
        super().__init__(
            f"{what} is not supported on a sparse COO tensor ({description}); call .to_dense() "
            "first. Sparse tensors support coalesce, to_dense, t/transpose, + and - with a "
            "sparse or a same-shape dense tensor, * and / by a number, sum(), and the product "
            "with a dense matrix (S @ D, D @ S, torch.sparse.mm)")


def describe_operand(value):
    """``shape (3, 1) float32`` for arrays and tensors, the type name otherwise.

    Example:
        >>> from ndgrad.errors import describe_operand
        >>> import numpy as np
        >>> describe_operand(np.zeros((2, 3), dtype=np.float32))
        'shape (2, 3) float32'
    """
    shape = getattr(value, "shape", None)
    dtype = getattr(value, "dtype", None)
    if shape is not None and dtype is not None:
        return f"shape {tuple(shape)} {dtype}"
    if isinstance(value, (list, tuple)) and value and hasattr(value[0], "shape"):
        return "[" + ", ".join(describe_operand(v) for v in value) + "]"
    return type(value).__name__


def shape_error(op_name, operands, detail):
    """A :class:`ShapeError` for ``op_name`` naming the operands and the user's line.

    Example:
        >>> from ndgrad.errors import shape_error
        >>> import numpy as np
        >>> str(shape_error("add", [np.zeros(2), np.zeros(3)], "cannot broadcast")).split(" (at")[0]
        'add: cannot broadcast; operands: shape (2,) float64, shape (3,) float64'
    """
    described = ", ".join(describe_operand(v) for v in operands)
    return ShapeError(f"{op_name}: {detail}; operands: {described} (at {describe_site()})")


def dtype_error(op_name, detail):
    """A :class:`DTypeError` for ``op_name`` with the user's line.

    Example:
        >>> from ndgrad.errors import dtype_error
        >>> str(dtype_error("Variable", "int64 cannot be trainable")).startswith("Variable: int64")
        True
    """
    return DTypeError(f"{op_name}: {detail} (at {describe_site()})")
