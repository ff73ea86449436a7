"""PyTorch's argument conventions, turned into what the core takes.

PyTorch's factories take a size as separate ints or as one sequence
(``zeros(2, 3)`` and ``zeros((2, 3))``), and every factory takes ``dtype=``,
``device=`` and ``requires_grad=``. These helpers check those arguments once,
with errors that name the PyTorch function, so each face function stays a
line or two over the core.

Example:
    >>> from ndgrad.torch._arguments import size_of
    >>> size_of("torch.zeros", (2, 3)), size_of("torch.zeros", ((2, 3),))
    ((2, 3), (2, 3))
"""

import numbers
import operator

import numpy as np

from .. import random as _random
from ..devices import check_device as _check_device
from ..dtypes import as_dtype

__all__ = ["size_of", "check_device", "finish", "rng_of", "refuse_out", "dtype_of",
           "fill_for"]


def size_of(function, size, keyword=None):
    """The shape tuple from PyTorch's ``*size`` (or its ``size=`` keyword).

    Example:
        >>> size_of("torch.ones", (), keyword=[4])
        (4,)
    """
    if keyword is not None:
        if size:
            raise TypeError(f"{function}: give the size either as arguments or as size=, "
                            f"not both; got {size} and size={keyword!r}")
        size = (keyword,)
    if len(size) == 1 and not isinstance(size[0], numbers.Integral):
        size = size[0]
        if not isinstance(size, (tuple, list)):
            try:                        # a 1-D integer tensor or array of sizes
                size = [operator.index(n) for n in size]
            except TypeError:
                raise TypeError(f"{function}: size must be ints or a sequence of ints; got "
                                f"{type(size).__name__}") from None
    try:
        shape = tuple(operator.index(n) for n in size)
    except TypeError:
        raise TypeError(f"{function}: size must be ints or a sequence of ints; got "
                        f"{tuple(size)!r}") from None
    if any(n < 0 for n in shape):
        raise ValueError(f"{function}: negative dimension in size {shape}")
    return shape


def check_device(function, device):
    """Refuse a device other than the CPU (``ndgrad.DeviceError``, naming ``function``).

    Example:
        >>> check_device("torch.zeros", "cpu")
    """
    _check_device(device, function)


def dtype_of(function, dtype):
    """The NumPy dtype for a PyTorch dtype argument (None stays None).

    Example:
        >>> import ndgrad.torch as torch
        >>> dtype_of("torch.zeros", torch.long)
        dtype('int64')
    """
    try:
        return as_dtype(dtype)
    except TypeError as error:
        raise TypeError(f"{function}: {error}") from None


def finish(function, tensor, requires_grad=False, device=None):
    """Check ``device`` and switch on ``requires_grad`` on a new tensor.

    Example:
        >>> import ndgrad
        >>> finish("torch.ones", ndgrad.ones(2), requires_grad=True).requires_grad
        True
    """
    check_device(function, device)
    if requires_grad:
        if tensor.dtype.kind not in "fc":
            raise RuntimeError(f"{function}: only floating and complex tensors can require "
                               "gradients; "
                               f"this one is {tensor.dtype} (pass dtype=torch.float32)")
        tensor.requires_grad_(True)
    return tensor


def rng_of(function, generator):
    """The NumPy generator to draw from: ``ndgrad.random``'s for None, else the
    given ``torch.Generator`` (a NumPy ``Generator``).

    Example:
        >>> import ndgrad
        >>> rng_of("torch.randn", None) is ndgrad.random.generator()
        True
    """
    if generator is None:
        return _random.generator()
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(f"{function}: generator must be a torch.Generator; got "
                    f"{type(generator).__name__}")


def refuse_out(function, out):
    """``out=`` is not supported: results are always new tensors.

    Example:
        >>> refuse_out("torch.add", None)
    """
    if out is not None:
        raise TypeError(f"{function}: out= is not supported by ndgrad; assign the result "
                        "instead (x = torch.add(a, b))")



def fill_for(function, value, dtype):
    """``value`` as the fill of a tensor of ``dtype``: a complex value is refused
    for an integer or floating ``dtype`` when it has an imaginary part (PyTorch
    refuses it, where NumPy would drop the imaginary part with only a warning),
    and gives its real part when it has none.

    Example:
        >>> import numpy as np
        >>> fill_for("torch.full", 1 + 0j, np.float32)
        array(1.)
        >>> fill_for("torch.full", 2j, np.complex64)
        2j
    """
    if np.dtype(dtype).kind not in "iuf":
        return value
    array = value.detach().numpy() if hasattr(value, "detach") else np.asarray(value)
    if array.dtype.kind != "c":
        return value
    if np.any(array.imag != 0):
        raise TypeError(f"{function}: the fill value {value!r} is complex and dtype {dtype} "
                        "is not: its imaginary part would be lost. Pass "
                        "dtype=torch.complex64 (or complex128), or a real value")
    return array.real
