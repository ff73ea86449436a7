"""PyTorch's complex-number functions on ndgrad tensors: ``torch.real``,
``torch.imag``, ``torch.conj``, ``torch.angle``, ``torch.complex``, ``torch.polar``,
``torch.view_as_real``, ``torch.view_as_complex``, ``torch.is_complex``.

Gradients follow PyTorch's convention (``ndgrad.ops.complex_numbers``). ndgrad
has no views between real and complex storage: ``view_as_real``,
``view_as_complex``, ``real`` and ``imag`` return new tensors (same values and
gradients as PyTorch's views; writing into the result does not change the input),
and ``conj`` is not lazy (``resolve_conj`` and ``is_conj`` are trivial).

Example:
    >>> import ndgrad.torch as torch
    >>> z = torch.complex(torch.tensor([1.0]), torch.tensor([2.0]))
    >>> z.dtype, torch.view_as_real(z).tolist()
    (dtype('complex64'), [[1.0, 2.0]])
"""

import numpy as _np

from .. import ops as _ops
from ..autograd.primitive import as_input, data_of

__all__ = ["real", "imag", "conj", "conj_physical", "resolve_conj", "is_conj", "angle",
           "is_complex", "complex", "polar", "view_as_real", "view_as_complex"]


def real(input):
    """The real part (a new tensor).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.real(torch.tensor([1 + 2j])).tolist()
        [1.0]
    """
    return _ops.real(input)


def imag(input):
    """The imaginary part (a new tensor); PyTorch refuses real tensors, as here.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.imag(torch.tensor([1 + 2j])).tolist()
        [2.0]
    """
    if not is_complex(input):
        raise TypeError("torch.imag: imag is not implemented for real tensors (as in PyTorch); "
                        "use ndgrad.imag for zeros")
    return _ops.imag(input)


def conj(input):
    """The complex conjugate (a new tensor; a real tensor is returned as is, as PyTorch's).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.conj(torch.tensor([1 + 2j])).tolist()
        [(1-2j)]
    """
    return _ops.conjugate(input) if is_complex(input) else input


def conj_physical(input):
    """The complex conjugate, always a new tensor.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.conj_physical(torch.tensor([2j])).tolist()
        [-2j]
    """
    return _ops.conjugate(input)


def resolve_conj(input):
    """``input`` itself: ndgrad's conjugates are never lazy.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.resolve_conj(torch.tensor([1j])).tolist()
        [1j]
    """
    return input


def is_conj(input):
    """False: ndgrad's conjugates are never lazy.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.is_conj(torch.conj(torch.tensor([1j])))
        False
    """
    return False


def angle(input):
    """The argument of each element, in radians.

    Example:
        >>> import ndgrad.torch as torch
        >>> round(torch.angle(torch.tensor([-1 + 0j])).item(), 4)
        3.1416
    """
    return _ops.angle(input)


def is_complex(input):
    """Whether ``input`` has a complex dtype.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.is_complex(torch.tensor([1j])), torch.is_complex(torch.tensor([1.0]))
        (True, False)
    """
    return _np.asarray(data_of(as_input(input))).dtype.kind == "c"


def _check_float_pair(name, first, second):
    for argument, value in (("real" if name == "complex" else "abs", first),
                            ("imag" if name == "complex" else "angle", second)):
        dtype = _np.asarray(data_of(value)).dtype
        if dtype not in (_np.float32, _np.float64):
            raise TypeError(f"torch.{name}: {argument} must be a float32 or float64 tensor, "
                            f"got {dtype}")
    if _np.asarray(data_of(first)).dtype != _np.asarray(data_of(second)).dtype:
        raise TypeError(f"torch.{name}: both tensors must have the same dtype, got "
                        f"{_np.asarray(data_of(first)).dtype} and "
                        f"{_np.asarray(data_of(second)).dtype}")


def complex(real, imag):
    """``real + 1j * imag`` from two float tensors of one dtype (float32 gives complex64).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.complex(torch.tensor([1.0]), torch.tensor([-1.0])).tolist()
        [(1-1j)]
    """
    real, imag = as_input(real), as_input(imag)
    _check_float_pair("complex", real, imag)
    return _ops.add(real, _ops.multiply(imag, 1j))


def polar(abs, angle):
    """``abs * (cos(angle) + 1j * sin(angle))`` from two float tensors of one dtype.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.polar(torch.tensor([2.0]), torch.tensor([0.0])).tolist()
        [(2+0j)]
    """
    abs, angle = as_input(abs), as_input(angle)
    _check_float_pair("polar", abs, angle)
    return complex(abs * _ops.cos(angle), abs * _ops.sin(angle))


def view_as_real(input):
    """A complex tensor as a real one with a last axis of 2 (real, imaginary): a new
    tensor here, where PyTorch's is a view.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.view_as_real(torch.tensor([1 + 2j, 3j])).tolist()
        [[1.0, 2.0], [0.0, 3.0]]
    """
    if not is_complex(input):
        raise TypeError("torch.view_as_real: the input must be a complex tensor, got "
                        f"{_np.asarray(data_of(as_input(input))).dtype}")
    return _ops.stack([_ops.real(input), _ops.imag(input)], axis=-1)


def view_as_complex(input):
    """A float tensor whose last axis has size 2 (real, imaginary) as a complex one:
    a new tensor here, where PyTorch's is a view.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.view_as_complex(torch.tensor([[1.0, 2.0]])).tolist()
        [(1+2j)]
    """
    input = as_input(input)
    data = _np.asarray(data_of(input))
    if data.dtype not in (_np.float32, _np.float64):
        raise TypeError(f"torch.view_as_complex: the input must be float32 or float64, "
                        f"got {data.dtype}")
    if data.ndim == 0 or data.shape[-1] != 2:
        raise ValueError(f"torch.view_as_complex: the last axis must have size 2 (real, "
                         f"imaginary), got shape {data.shape}")
    return complex(input[..., 0], input[..., 1])
