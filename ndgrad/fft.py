"""``ndgrad.fft``: NumPy's ``numpy.fft`` transforms, differentiable.

``fft``, ``ifft``, ``rfft``, ``irfft``, ``hfft``, ``ihfft``, their 2-D and N-D
forms, and ``fftshift``/``ifftshift``, with NumPy's arguments (``n``/``s``,
``axis``/``axes``, ``norm`` in ``"backward"``, ``"ortho"``, ``"forward"``) and
results (float32 in, complex64 out). ``np.fft.fft(t)`` on a tensor runs the same
function. Gradients are PyTorch's (``torch.fft``'s autograd, complex gradients
in its convention, ``ndgrad.ops.complex_numbers``), the cropping and
zero-padding that ``n``/``s`` imply included: each transform's rule is its
adjoint (``ndgrad.ops.fourier``).

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([1.0, 2.0, 0.0, -1.0], dtype="float64", requires_grad=True)
    >>> power = ndgrad.abs(ndgrad.fft.rfft(x)) ** 2     # the one-sided power spectrum
    >>> power.sum().backward()
    >>> x.grad.tolist()                                  # torch.fft.rfft's gradient
    [6.0, 10.0, 2.0, -2.0]
"""

import operator

import numpy as np

from .numpy_api import implements
from .ops._fourier_numpy import get_workers, set_workers
from .ops.complex_numbers import conjugate
from .ops.fourier import (DUAL_NORM, fourier_c2c, fourier_c2r, fourier_r2c, fourier_roll,
                          resize)
from .tensor import Tensor, tensor

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2",
           "irfft2", "fftn", "ifftn", "rfftn", "irfftn", "fftshift", "ifftshift",
           "fftfreq", "rfftfreq", "get_workers", "set_workers"]

fftfreq = np.fft.fftfreq     # constants: the sample frequencies, no gradient to carry
rfftfreq = np.fft.rfftfreq


def _as_tensor(name, a):
    if isinstance(a, Tensor):
        return a
    from .autograd.primitive import as_input
    a = as_input(a)
    return a if isinstance(a, Tensor) else tensor(np.asarray(a))


def _check_norm(name, norm):
    if norm is None:
        return "backward"
    if norm not in DUAL_NORM:
        raise ValueError(f"fft.{name}: norm={norm!r} is not a normalization; use None, "
                         "'backward', 'ortho' or 'forward'")
    return norm


def _check_out(name, out):
    if out is not None:
        raise TypeError(f"fft.{name}: out= is not supported on ndgrad tensors (a written "
                        "array would not carry the gradient); use the returned tensor")


def _axis_index(name, axis, ndim):
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"fft.{name}: axis {axis!r} is not an integer") from None
    if not -ndim <= axis < ndim:
        raise ValueError(f"fft.{name}: axis {axis} is out of range for an input of "
                         f"{ndim} dimensions")
    return axis % ndim


def _lengths_and_axes(name, x, s, axes, inverse_real=False):
    """NumPy's ``s``/``axes`` defaults (``numpy.fft._cook_nd_args``), checked."""
    if axes is not None:
        axes = [_axis_index(name, axis, x.ndim) for axis in np.atleast_1d(axes).tolist()]
        if len(set(axes)) != len(axes):
            raise ValueError(f"fft.{name}: axes {tuple(axes)} repeat an axis; transform "
                             "each axis once (call the transform again to repeat it)")
    if s is None:
        if axes is None:
            axes = list(range(x.ndim))
        s = [x.shape[axis] for axis in axes]
        if inverse_real and axes:
            s[-1] = 2 * (s[-1] - 1)
    else:
        s = [None if n is None else n for n in np.atleast_1d(np.asarray(s, dtype=object))]
        if axes is None:
            if len(s) > x.ndim:
                raise ValueError(f"fft.{name}: s={tuple(s)} has more entries than the "
                                 f"input has dimensions ({x.ndim})")
            axes = list(range(x.ndim - len(s), x.ndim))
        if len(s) != len(axes):
            raise ValueError(f"fft.{name}: s={tuple(s)} and axes={tuple(axes)} have "
                             "different lengths")
        s = [x.shape[axis] if n is None or n == -1 else n for n, axis in zip(s, axes)]
    for n in s:
        if not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"fft.{name}: {n!r} is not a number of points (n or s); "
                             "use a positive integer")
    if not axes:
        raise ValueError(f"fft.{name}: no axis to transform (a 0-d input or empty axes)")
    return tuple(int(n) for n in s), tuple(axes)


def _resized(x, axes, sizes):
    original = tuple(x.shape[axis] for axis in axes)
    if original == tuple(sizes):
        return x
    return resize(x, axes=axes, sizes=tuple(sizes), original=original)


def _complex_transform(name, a, s, axes, norm, out, inverse):
    _check_out(name, out)
    norm = _check_norm(name, norm)
    x = _as_tensor(name, a)
    s, axes = _lengths_and_axes(name, x, s, axes)
    return fourier_c2c(_resized(x, axes, s), axes=axes, norm=norm, inverse=inverse)


def _real_transform(name, a, s, axes, norm, out):
    _check_out(name, out)
    norm = _check_norm(name, norm)
    x = _as_tensor(name, a)
    if x.dtype.kind == "c":
        raise TypeError(f"fft.{name}: the input is {x.dtype}, and {name} transforms real "
                        f"signals; use fft.{name[1:]} for a complex one, or ndgrad.real(x)")
    s, axes = _lengths_and_axes(name, x, s, axes)
    return fourier_r2c(_resized(x, axes, s), axes=axes, norm=norm, lengths=s)


def _inverse_real_transform(name, a, s, axes, norm, out):
    _check_out(name, out)
    norm = _check_norm(name, norm)
    x = _as_tensor(name, a)
    s, axes = _lengths_and_axes(name, x, s, axes, inverse_real=True)
    bins = s[:-1] + (s[-1] // 2 + 1,)
    return fourier_c2r(_resized(x, axes, bins), axes=axes, norm=norm, lengths=s)


def _one(n):
    return None if n is None else [n]


@implements(np.fft.fft)
def fft(a, n=None, axis=-1, norm=None, out=None):
    """The 1-D discrete Fourier transform along ``axis`` (``numpy.fft.fft``); ``n``
    crops or zero-pads the input first.

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.fft(ndgrad.tensor([1.0, 0.0, 0.0]), n=2).tolist()
        [(1+0j), (1+0j)]
    """
    return _complex_transform("fft", a, _one(n), [axis], norm, out, inverse=False)


@implements(np.fft.ifft)
def ifft(a, n=None, axis=-1, norm=None, out=None):
    """The 1-D inverse discrete Fourier transform (``numpy.fft.ifft``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.ifft(ndgrad.tensor([2.0, 0.0])).tolist()
        [(1+0j), (1+0j)]
    """
    return _complex_transform("ifft", a, _one(n), [axis], norm, out, inverse=True)


@implements(np.fft.rfft)
def rfft(a, n=None, axis=-1, norm=None, out=None):
    """The 1-D transform of a real signal, its ``n//2 + 1`` non-negative frequency
    bins (``numpy.fft.rfft``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.rfft(ndgrad.tensor([1.0, 1.0, 1.0, 1.0])).tolist()
        [(4+0j), 0j, 0j]
    """
    return _real_transform("rfft", a, _one(n), [axis], norm, out)


@implements(np.fft.irfft)
def irfft(a, n=None, axis=-1, norm=None, out=None):
    """The real signal of length ``n`` (default ``2 * (bins - 1)``) whose ``rfft``
    is ``a`` (``numpy.fft.irfft``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.irfft(ndgrad.tensor([4.0, 0.0, 0.0])).tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    return _inverse_real_transform("irfft", a, _one(n), [axis], norm, out)


@implements(np.fft.hfft)
def hfft(a, n=None, axis=-1, norm=None, out=None):
    """The real spectrum of a signal with Hermitian symmetry given by its first half
    (``numpy.fft.hfft``: ``irfft(conj(a))`` with the opposite normalization).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.hfft(ndgrad.tensor([1.0, 0.0, 0.0])).tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    _check_out("hfft", out)
    norm = DUAL_NORM[_check_norm("hfft", norm)]
    return irfft(conjugate(_as_tensor("hfft", a)), n, axis, norm)


@implements(np.fft.ihfft)
def ihfft(a, n=None, axis=-1, norm=None, out=None):
    """The inverse of ``hfft`` for a real signal (``numpy.fft.ihfft``).

    Example:
        >>> import ndgrad
        >>> ndgrad.real(ndgrad.fft.ihfft(ndgrad.tensor([4.0, 0.0, 0.0, 0.0]))).tolist()
        [1.0, 1.0, 1.0]
    """
    _check_out("ihfft", out)
    norm = DUAL_NORM[_check_norm("ihfft", norm)]
    return conjugate(rfft(a, n, axis, norm))


@implements(np.fft.fftn)
def fftn(a, s=None, axes=None, norm=None, out=None):
    """The N-D discrete Fourier transform over ``axes`` (default: the last
    ``len(s)`` axes, or all), each cropped or zero-padded to ``s`` first.

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.fftn(ndgrad.ones((2, 2))).tolist()
        [[(4+0j), 0j], [0j, 0j]]
    """
    return _complex_transform("fftn", a, s, axes, norm, out, inverse=False)


@implements(np.fft.ifftn)
def ifftn(a, s=None, axes=None, norm=None, out=None):
    """The N-D inverse discrete Fourier transform (``numpy.fft.ifftn``).

    Example:
        >>> import ndgrad
        >>> ndgrad.real(ndgrad.fft.ifftn(ndgrad.tensor([[4.0, 0.0], [0.0, 0.0]]))).tolist()
        [[1.0, 1.0], [1.0, 1.0]]
    """
    return _complex_transform("ifftn", a, s, axes, norm, out, inverse=True)


@implements(np.fft.rfftn)
def rfftn(a, s=None, axes=None, norm=None, out=None):
    """The N-D transform of a real signal, one-sided on the last of ``axes``
    (``numpy.fft.rfftn``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.rfftn(ndgrad.ones((2, 2))).tolist()
        [[(4+0j), 0j], [0j, 0j]]
    """
    return _real_transform("rfftn", a, s, axes, norm, out)


@implements(np.fft.irfftn)
def irfftn(a, s=None, axes=None, norm=None, out=None):
    """The real N-D signal of sizes ``s`` whose ``rfftn`` is ``a`` (``numpy.fft.irfftn``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.irfftn(ndgrad.tensor([[4.0, 0.0], [0.0, 0.0]])).tolist()
        [[1.0, 1.0], [1.0, 1.0]]
    """
    return _inverse_real_transform("irfftn", a, s, axes, norm, out)


@implements(np.fft.fft2)
def fft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """``fftn`` over the last two axes by default (``numpy.fft.fft2``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.fft2(ndgrad.ones((2, 2)))[0, 0].item()
        (4+0j)
    """
    return _complex_transform("fft2", a, s, axes, norm, out, inverse=False)


@implements(np.fft.ifft2)
def ifft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """``ifftn`` over the last two axes by default (``numpy.fft.ifft2``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.ifft2(ndgrad.ones((2, 2)))[0, 0].item()
        (1+0j)
    """
    return _complex_transform("ifft2", a, s, axes, norm, out, inverse=True)


@implements(np.fft.rfft2)
def rfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """``rfftn`` over the last two axes by default (``numpy.fft.rfft2``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.rfft2(ndgrad.ones((2, 4))).shape
        (2, 3)
    """
    return _real_transform("rfft2", a, s, axes, norm, out)


@implements(np.fft.irfft2)
def irfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """``irfftn`` over the last two axes by default (``numpy.fft.irfft2``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.irfft2(ndgrad.ones((2, 3))).shape
        (2, 4)
    """
    return _inverse_real_transform("irfft2", a, s, axes, norm, out)


def _shift(name, x, axes, sign):
    x = _as_tensor(name, x)
    if axes is None:
        axes = tuple(range(x.ndim))
    else:
        axes = tuple(_axis_index(name, axis, x.ndim) for axis in np.atleast_1d(axes).tolist())
    if not axes:
        return fourier_roll(x, shifts=(), axes=())
    return fourier_roll(x, shifts=tuple(sign * (x.shape[axis] // 2) for axis in axes),
                        axes=axes)


@implements(np.fft.fftshift)
def fftshift(x, axes=None):
    """The zero-frequency bin moved to the middle of ``axes`` (default all): a roll
    by ``size // 2`` (``numpy.fft.fftshift``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.fftshift(ndgrad.tensor([0.0, 1.0, 2.0, -2.0, -1.0])).tolist()
        [-2.0, -1.0, 0.0, 1.0, 2.0]
    """
    return _shift("fftshift", x, axes, 1)


@implements(np.fft.ifftshift)
def ifftshift(x, axes=None):
    """The inverse of ``fftshift`` (``numpy.fft.ifftshift``).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.ifftshift(ndgrad.tensor([-2.0, -1.0, 0.0, 1.0, 2.0])).tolist()
        [0.0, 1.0, 2.0, -2.0, -1.0]
    """
    return _shift("ifftshift", x, axes, -1)
