"""dtypes and the rules that turn user data into arrays.

ndgrad follows NumPy's promotion rules with one default changed, as PyTorch and
Keras do: Python floats (and lists of them) become ``float32``, not ``float64``; Python
complex numbers likewise become ``complex64``, not ``complex128`` (PyTorch's
``torch.tensor(1j)`` is complex64 too). NumPy arrays keep their dtype unless
``dtype=`` says otherwise. Floating and complex tensors can carry gradients
(:func:`is_differentiable`; the complex convention is in ``ndgrad.ops.complex``).

Example:
    >>> import ndgrad
    >>> ndgrad.tensor([1.0, 2.0]).dtype
    dtype('float32')
    >>> ndgrad.tensor(3).dtype
    dtype('int64')
"""

from ._backend import xp

float16 = xp.dtype("float16")
float32 = xp.dtype("float32")
float64 = xp.dtype("float64")
int32 = xp.dtype("int32")
int64 = xp.dtype("int64")
bool_ = xp.dtype("bool")
complex64 = xp.dtype("complex64")
complex128 = xp.dtype("complex128")

default_float = float32

_NAMES = {
    "float16": float16, "half": float16,
    "float32": float32, "float": float32,
    "float64": float64, "double": float64,
    "int32": int32, "int": int64, "int64": int64, "long": int64,
    "bool": bool_,
    "complex64": complex64, "cfloat": complex64,
    "complex128": complex128, "cdouble": complex128,
}

__all__ = ["float16", "float32", "float64", "int32", "int64", "bool_",
           "complex64", "complex128", "as_dtype", "is_floating", "is_differentiable", "as_array", "default_float"]


def as_dtype(dtype):
    """Return the NumPy dtype for ``dtype`` (a dtype, a type or a name).

    Example:
        >>> from ndgrad import float32
        >>> from ndgrad.devices import as_dtype
        >>> as_dtype("float32") == float32
        True
    """
    if dtype is None:
        return None
    if isinstance(dtype, str) and dtype in _NAMES:
        return _NAMES[dtype]
    if dtype is bool:
        return bool_
    if dtype is float:
        return default_float
    try:
        return xp.dtype(dtype)
    except TypeError:
        raise TypeError(f"unknown dtype {dtype!r}; use one of "
                        "float16, float32, float64, complex64, complex128, int32, int64, "
                        "bool") from None


def is_floating(dtype):
    """True for the floating dtypes, the only ones that can carry gradients.

    Example:
        >>> from ndgrad import int64
        >>> from ndgrad import float32
        >>> from ndgrad.dtypes import is_floating
        >>> is_floating(float32), is_floating(int64)
        (True, False)
    """
    return xp.dtype(dtype).kind == "f"


def is_differentiable(dtype):
    """True for the dtypes that can carry gradients: floating and complex.

    Example:
        >>> from ndgrad import int64
        >>> from ndgrad.torch import complex64
        >>> from ndgrad import float32
        >>> from ndgrad.dtypes import is_differentiable
        >>> is_differentiable(float32), is_differentiable(complex64), is_differentiable(int64)
        (True, True, False)
    """
    return xp.dtype(dtype).kind in "fc"


def _python_default(data):
    """The array for Python data: floats become float32, complex numbers complex64,
    ints int64, bools bool."""
    array = xp.asarray(data)
    if array.dtype == float64:
        return array.astype(default_float)
    if array.dtype == complex128:
        return array.astype(complex64)
    if array.dtype.kind in "OUS":
        raise TypeError(f"cannot make a tensor from {type(data).__name__} data "
                        f"(NumPy infers dtype {array.dtype}); pass numbers")
    return array


def as_array(data, dtype=None, copy=False):
    """Convert ``data`` to an ndarray with ndgrad's dtype rules.

    NumPy arrays and NumPy scalars keep their dtype; Python numbers and nested
    lists follow NumPy's inference with float64 replaced by float32.

    Example:
        >>> from ndgrad.dtypes import as_array
        >>> as_array([1.5, 2.5]).dtype
        dtype('float32')
    """
    dtype = as_dtype(dtype)
    if isinstance(data, (xp.ndarray, xp.generic)):
        array = xp.array(data, dtype=dtype, copy=True) if copy else xp.asarray(data, dtype=dtype)
    elif dtype is not None:
        array = xp.array(data, dtype=dtype) if copy else xp.asarray(data, dtype=dtype)
    else:
        array = _python_default(data)
        if copy and array is data:
            array = array.copy()
    if array.dtype.kind not in "fciub":
        raise TypeError(f"ndgrad supports float, complex, int and bool dtypes; got {array.dtype}")
    return array
