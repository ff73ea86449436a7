"""Tensor factories with PyTorch's signatures, over ``ndgrad.ops.creation``.

The size is given as separate ints or one sequence (``torch.zeros(2, 3)``,
``torch.zeros((2, 3))``, ``torch.zeros(size=(2, 3))``); every factory takes
``dtype=``, ``device=`` (the CPU) and ``requires_grad=``. Default dtypes are
PyTorch's: floats are float32, ``arange`` over ints and ``full`` with an int
fill are int64, a bool fill is bool. ``layout``, ``pin_memory`` and
``memory_format`` are accepted: on the CPU with one layout they change nothing.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.zeros(2, 3).shape, torch.full((2,), 7).dtype, torch.arange(3).tolist()
    ((2, 3), dtype('int64'), [0, 1, 2])
"""

import numbers

from .. import ops
from ..tensor import (Tensor, as_tensor as _as_tensor, copy_construct_cut, from_numpy, is_tensor,
                      tensor as _tensor)
from ._arguments import check_device, dtype_of, fill_for, finish, refuse_out, size_of

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "empty", "full",
           "zeros_like", "ones_like", "empty_like", "full_like", "arange", "linspace",
           "logspace", "eye", "is_tensor", "numel", "is_floating_point"]


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (lists, numbers, arrays, tensors).

    Python floats become float32 and ints int64, as in PyTorch; NumPy arrays keep
    their dtype. The result is a leaf: given a tensor, it is copied and detached.

    Example:
        >>> import ndgrad.torch as torch
        >>> x = torch.tensor([[1, 2], [3, 4]], dtype=torch.float32, requires_grad=True)
        >>> x.dtype, x.requires_grad, x.is_leaf
        (dtype('float32'), True, True)
    """
    if isinstance(data, Tensor):
        source, data = data, data.detach().numpy()
        if source._rg:          # after detach: the explanation names this line's copy
            copy_construct_cut(source, "torch.tensor(t)")
    out = _tensor(data, dtype=dtype_of("torch.tensor", dtype))
    return finish("torch.tensor", out, requires_grad, device)


def as_tensor(data, dtype=None, device=None):
    """``data`` as a tensor, sharing memory with a NumPy array or tensor when the
    dtype already fits (PyTorch's ``as_tensor``).

    Example:
        >>> import numpy as np, ndgrad.torch as torch
        >>> a = np.zeros(2, np.float32); t = torch.as_tensor(a); a[0] = 5.0
        >>> t.tolist()
        [5.0, 0.0]
    """
    check_device("torch.as_tensor", device)
    return _as_tensor(data, dtype_of("torch.as_tensor", dtype))


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """``obj`` as a tensor (PyTorch's ``asarray``): shared unless ``copy=True``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.asarray([1.5, 2.5]).dtype
        dtype('float32')
    """
    out = tensor(obj, dtype=dtype) if copy else as_tensor(obj, dtype)
    return finish("torch.asarray", out, requires_grad, device)


def _filled(function, make, size, keyword, out, dtype, device, requires_grad):
    refuse_out(function, out)
    shape = size_of(function, size, keyword)
    return finish(function, make(shape, dtype=dtype_of(function, dtype)), requires_grad,
                  device)


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None, **keywords):
    """A tensor of zeros of the given size (float32 unless ``dtype`` says otherwise).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.zeros(2, 3).shape == torch.zeros((2, 3)).shape == torch.zeros(size=[2, 3]).shape
        True
    """
    return _filled("torch.zeros", ops.zeros, size, keywords.pop("size", None), out, dtype,
                   device, requires_grad)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False, memory_format=None, **keywords):
    """A tensor of ones of the given size.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.ones(2, dtype=torch.long).tolist()
        [1, 1]
    """
    return _filled("torch.ones", ops.ones, size, keywords.pop("size", None), out, dtype,
                   device, requires_grad)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None, **keywords):
    """An uninitialised tensor of the given size (fill it before reading it).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.empty(3, 1).shape
        (3, 1)
    """
    return _filled("torch.empty", ops.empty, size, keywords.pop("size", None), out, dtype,
                   device, requires_grad)


def _fill_dtype(fill_value):
    if isinstance(fill_value, bool):
        return "bool"
    if isinstance(fill_value, numbers.Integral):
        return "int64"
    if isinstance(fill_value, Tensor):
        return fill_value.dtype
    if isinstance(fill_value, numbers.Complex) and not isinstance(fill_value, numbers.Real):
        return "complex64"          # PyTorch's complex default (float32's)
    return None


def _fill_number(function, fill_value):
    """A 0-d tensor fill as its value (PyTorch takes it as a number); one that
    requires grad is refused, since the filled tensor would not carry its gradient."""
    if not isinstance(fill_value, Tensor):
        return fill_value
    if fill_value.requires_grad:
        raise TypeError(f"{function}: the fill value is a tensor that requires grad, and "
                        "the filled tensor would not carry its gradient; use "
                        "fill_value.expand(size).clone() to keep it, or fill_value.detach()")
    return fill_value.numpy()


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """A tensor of ``size`` filled with ``fill_value``; its dtype follows the value
    (bool, int64, float32 or complex64) unless ``dtype`` is given. A value with an
    imaginary part is refused for a real ``dtype`` (a TypeError), as PyTorch does.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.full((2,), 1.5).tolist(), torch.full((1,), True).dtype
        ([1.5, 1.5], dtype('bool'))
        >>> torch.full((2,), 1 + 2j).dtype
        dtype('complex64')
    """
    refuse_out("torch.full", out)
    shape = size_of("torch.full", (size,))
    dtype = _fill_dtype(fill_value) if dtype is None else dtype_of("torch.full", dtype)
    fill_value = fill_for("torch.full", _fill_number("torch.full", fill_value),
                          dtype or "float32")
    return finish("torch.full", ops.full(shape, fill_value, dtype=dtype), requires_grad, device)


def _like(function, make, input, dtype, device, requires_grad, *fill):
    out = make(input, *fill, dtype=dtype_of(function, dtype))
    return finish(function, out, requires_grad, device)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Zeros with the shape (and dtype, unless given) of ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.zeros_like(torch.ones(2, dtype=torch.long)).tolist()
        [0, 0]
    """
    return _like("torch.zeros_like", ops.zeros_like, input, dtype, device, requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Ones with the shape (and dtype, unless given) of ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.ones_like(torch.zeros(1, 2)).tolist()
        [[1.0, 1.0]]
    """
    return _like("torch.ones_like", ops.ones_like, input, dtype, device, requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """An uninitialised tensor with the shape and dtype of ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.empty_like(torch.zeros(4)).shape
        (4,)
    """
    return _like("torch.empty_like", ops.empty_like, input, dtype, device, requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` in the shape (and dtype, unless given) of ``input``; a value
    with an imaginary part needs a complex dtype.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.full_like(torch.zeros(2), 3).tolist()
        [3.0, 3.0]
    """
    fill_value = fill_for("torch.full_like", _fill_number("torch.full_like", fill_value),
                          dtype_of("torch.full_like", dtype) or input.dtype)
    return _like("torch.full_like", ops.full_like, input, dtype, device, requires_grad,
                 fill_value)


def _number(value):
    return value.item() if isinstance(value, Tensor) else value


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Values from ``start`` up to (not including) ``end`` by ``step``: int64 when
    all three are ints, float32 otherwise, as PyTorch.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.arange(4).tolist(), torch.arange(0, 1, 0.25).tolist()
        ([0, 1, 2, 3], [0.0, 0.25, 0.5, 0.75])
    """
    refuse_out("torch.arange", out)
    out = ops.arange(_number(start), None if end is None else _number(end), _number(step),
                     dtype=dtype_of("torch.arange", dtype))
    return finish("torch.arange", out, requires_grad, device)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end``, both included.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.linspace(0, 1, steps=5).tolist()
        [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    refuse_out("torch.linspace", out)
    out = ops.linspace(_number(start), _number(end), steps, dtype=dtype_of("torch.linspace",
                                                                           dtype))
    return finish("torch.linspace", out, requires_grad, device)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``base ** linspace(start, end, steps)``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.logspace(0, 2, steps=3).tolist()
        [1.0, 10.0, 100.0]
    """
    refuse_out("torch.logspace", out)
    exponents = ops.linspace(_number(start), _number(end), steps, dtype="float64")
    values = ops.power(float(base), exponents)
    out = values.astype(dtype_of("torch.logspace", dtype) or "float32")
    return finish("torch.logspace", out, requires_grad, device)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The ``n`` by ``m`` (default ``n``) identity matrix.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.eye(2).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    refuse_out("torch.eye", out)
    out = ops.eye(n, m, dtype=dtype_of("torch.eye", dtype))
    return finish("torch.eye", out, requires_grad, device)


def numel(input):
    """The number of elements of ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.numel(torch.zeros(2, 3))
        6
    """
    return _as_tensor(input).numel()


def is_floating_point(input):
    """True when ``input`` has a floating dtype.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.is_floating_point(torch.zeros(1)), torch.is_floating_point(torch.arange(2))
        (True, False)
    """
    return input.dtype.kind == "f"

