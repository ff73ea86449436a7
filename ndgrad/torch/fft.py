"""``torch.fft``: ndgrad's Fourier transforms (``ndgrad.fft``) with PyTorch's
argument names: ``dim`` for NumPy's ``axis``/``axes``, ``input`` first.

The results and gradients are ``torch.fft``'s (checked against it in
tests/torch/test_fft.py and tests/ops/test_fft.py).

Example:
    >>> import ndgrad.torch as torch
    >>> x = torch.tensor([[1.0, 0.0, 0.0, 0.0]], requires_grad=True)
    >>> torch.fft.rfft(x, dim=1).abs().sum().backward()
    >>> x.grad.tolist()
    [[3.0, 0.0, 1.0, 0.0]]
"""

import numpy as np

from .. import fft as _core
from ..tensor import tensor as _tensor
from ._unsupported import unsupported

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2",
           "fftn", "ifftn", "rfftn", "irfftn", "fftshift", "ifftshift", "fftfreq", "rfftfreq"]


def _one_dimensional(core):
    def transform(input, n=None, dim=-1, norm=None, *, out=None):
        return core(input, n=n, axis=dim, norm=norm, out=out)
    transform.__name__ = transform.__qualname__ = core.__name__
    transform.__doc__ = (f"``torch.fft.{core.__name__}(input, n=None, dim=-1, norm=None)``: "
                         f"``ndgrad.fft.{core.__name__}`` along ``dim``.\n\n"
                         "    Example:\n"
                         "        >>> import ndgrad.torch as torch\n"
                         f"        >>> torch.fft.{core.__name__}(torch.ones(4, 4), dim=0).shape\n"
                         f"        {tuple(core(np.ones((4, 4)), axis=0).shape)}\n")
    return transform


def _many_dimensional(core, default_dim):
    def transform(input, s=None, dim=default_dim, norm=None, *, out=None):
        axes = dim if dim is None or isinstance(dim, (list, tuple)) else (dim,)
        return core(input, s=s, axes=axes, norm=norm, out=out)
    transform.__name__ = transform.__qualname__ = core.__name__
    transform.__doc__ = (f"``torch.fft.{core.__name__}(input, s=None, dim={default_dim}, "
                         f"norm=None)``: ``ndgrad.fft.{core.__name__}`` over ``dim``.\n\n"
                         "    Example:\n"
                         "        >>> import ndgrad.torch as torch\n"
                         f"        >>> torch.fft.{core.__name__}(torch.ones(2, 4, 4)).shape\n"
                         f"        {tuple(core(np.ones((2, 4, 4)), axes=default_dim).shape)}\n")
    return transform


fft, ifft, rfft, irfft, hfft, ihfft = (
    _one_dimensional(getattr(_core, name)) for name in ("fft", "ifft", "rfft", "irfft",
                                                         "hfft", "ihfft"))
fft2, ifft2, rfft2, irfft2 = (
    _many_dimensional(getattr(_core, name), (-2, -1)) for name in ("fft2", "ifft2", "rfft2",
                                                                   "irfft2"))
fftn, ifftn, rfftn, irfftn = (
    _many_dimensional(getattr(_core, name), None) for name in ("fftn", "ifftn", "rfftn",
                                                               "irfftn"))


def fftshift(input, dim=None):
    """The zero-frequency bin moved to the middle of ``dim`` (default all).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.fft.fftshift(torch.tensor([0.0, 1.0, -2.0, -1.0])).tolist()
        [-2.0, -1.0, 0.0, 1.0]
    """
    return _core.fftshift(input, axes=dim)


def ifftshift(input, dim=None):
    """The inverse of ``fftshift``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.fft.ifftshift(torch.tensor([-2.0, -1.0, 0.0, 1.0])).tolist()
        [0.0, 1.0, -2.0, -1.0]
    """
    return _core.ifftshift(input, axes=dim)


def _frequencies(values, dtype, requires_grad):
    return _tensor(values.astype(dtype or np.float32), requires_grad=requires_grad)


def fftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The sample frequencies of an ``n``-point transform, float32 by default.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.fft.fftfreq(4).tolist()
        [0.0, 0.25, -0.5, -0.25]
    """
    return _frequencies(np.fft.fftfreq(n, d), dtype, requires_grad)


def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The non-negative sample frequencies of an ``n``-point ``rfft``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.fft.rfftfreq(4).tolist()
        [0.0, 0.25, 0.5]
    """
    return _frequencies(np.fft.rfftfreq(n, d), dtype, requires_grad)


__getattr__ = unsupported(__name__)
