"""The facts every sparse operation shares: memory layouts and PyTorch's dtype
promotion.

A tensor's ``layout`` says how its elements are stored: :data:`strided` for
every dense ndgrad tensor (a NumPy array), :data:`sparse_coo` for a
:class:`~ndgrad.sparse.SparseTensor` (PyTorch's ``torch.strided`` and
``torch.sparse_coo``; the torch face re-exports these two objects).

Sparse arithmetic promotes dtypes as PyTorch does, not as NumPy does, so that
``torch.eye(n) + int64_sparse`` is float32 as in PyTorch (NumPy would give
float64). PyTorch orders dtypes in categories, bool < integer < floating:
two tensors of one category promote as NumPy does, and across categories the
higher category's dtype wins. A number (or a 0-d tensor) takes part only when
its category is higher than the tensor's: a Python float then gives float32,
a Python int int64, a 0-d tensor its own dtype.

Example:
    >>> from ndgrad.sparse.arithmetic import promote_scalar
    >>> from ndgrad.sparse.arithmetic import promote_tensors
    >>> import numpy as np, ndgrad
    >>> promote_tensors(np.dtype("float32"), np.dtype("int64"))
    dtype('float32')
    >>> promote_scalar(np.dtype("int64"), 2.5), promote_scalar(np.dtype("float64"), 2.5)
    (dtype('float32'), dtype('float64'))
    >>> ndgrad.ones(2).layout, ndgrad.sparse_coo
    (ndgrad.strided, ndgrad.sparse_coo)
"""

import numpy as np

__all__ = ["Layout", "strided", "sparse_coo", "category", "promote_tensors", "promote_scalar",
           "is_scalar"]


class Layout:
    """How a tensor stores its elements (PyTorch's ``torch.layout``); compare by
    identity or equality.

    Example:
        >>> from ndgrad.sparse import Layout
        >>> import ndgrad
        >>> ndgrad.sparse_coo == ndgrad.sparse_coo, ndgrad.sparse_coo == ndgrad.strided
        (True, False)
        >>> isinstance(ndgrad.strided, Layout)
        True
    """

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"ndgrad.{self.name}"


strided = Layout("strided")
sparse_coo = Layout("sparse_coo")

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}
_SCALAR_DTYPE = {1: np.dtype("int64"), 2: np.dtype("float32")}


def category(dtype):
    """PyTorch's dtype category: 0 for bool, 1 for integers, 2 for floats.

    Example:
        >>> import numpy as np
        >>> from ndgrad.sparse.arithmetic import category
        >>> category(np.dtype("bool")), category(np.dtype("int8")), category(np.dtype("float16"))
        (0, 1, 2)
    """
    kind = np.dtype(dtype).kind
    if kind not in _CATEGORY:
        raise TypeError(f"sparse tensors hold bool, integer or float values, not {dtype}")
    return _CATEGORY[kind]


def promote_tensors(first, second):
    """The dtype PyTorch gives an op on two tensors (of one or more dimensions).

    Example:
        >>> import numpy as np
        >>> from ndgrad.sparse.arithmetic import promote_tensors
        >>> promote_tensors(np.dtype("int32"), np.dtype("int64")), promote_tensors(
        ...     np.dtype("bool"), np.dtype("int32"))
        (dtype('int64'), dtype('int32'))
    """
    first, second = np.dtype(first), np.dtype(second)
    first_category, second_category = category(first), category(second)
    if first_category == second_category:
        return np.promote_types(first, second)
    return first if first_category > second_category else second


def is_scalar(value):
    """True for Python and NumPy numbers and 0-d tensors or arrays.

    Example:
        >>> from ndgrad.sparse.arithmetic import is_scalar
        >>> import ndgrad
        >>> is_scalar(2), is_scalar(ndgrad.tensor(2.0)), is_scalar(ndgrad.ones(2))
        (True, True, False)
    """
    if isinstance(value, (bool, int, float, np.generic)):
        return True
    shape = getattr(value, "shape", None)
    return shape is not None and tuple(shape) == () and not getattr(value, "is_sparse", False)


def promote_scalar(tensor_dtype, scalar):
    """The dtype PyTorch gives a tensor of ``tensor_dtype`` combined with ``scalar``
    (a number or a 0-d tensor).

    Example:
        >>> import numpy as np
        >>> from ndgrad.sparse.arithmetic import promote_scalar
        >>> import ndgrad
        >>> promote_scalar(np.dtype("int32"), ndgrad.tensor(2.5, dtype="float64"))
        dtype('float64')
        >>> promote_scalar(np.dtype("bool"), 3), promote_scalar(np.dtype("int32"), True)
        (dtype('int64'), dtype('int32'))
    """
    tensor_dtype = np.dtype(tensor_dtype)
    if isinstance(scalar, (bool, np.bool_)):
        scalar_dtype, from_number = np.dtype("bool"), True
    elif isinstance(scalar, (int, float, np.number)):
        scalar_dtype, from_number = np.asarray(scalar).dtype, True
    else:
        scalar_dtype, from_number = np.dtype(scalar.dtype), False
    scalar_category = category(scalar_dtype)
    if scalar_category <= category(tensor_dtype):
        return tensor_dtype
    return _SCALAR_DTYPE[scalar_category] if from_number else scalar_dtype
