"""The discrete Fourier transforms' differentiable pieces (``ndgrad.fft`` composes them).

Every transform of ``numpy.fft`` is a linear map, so its gradient rule is its
adjoint (PyTorch's convention for complex gradients, ``ndgrad.ops.complex_numbers``):

- ``resize`` crops or zero-pads along some axes (what ``n`` and ``s`` do before a
  transform); its adjoint resizes back: a crop's is a zero-pad and a pad's a crop;
- ``fourier_c2c`` (``fftn``/``ifftn`` at the input's own sizes): the adjoint of a
  transform with ``norm`` is the inverse transform with the dual ``norm``
  ("backward" and "forward" swap, "ortho" stays): ``fft``'s gradient is
  ``n * ifft(g)`` under the default norm;
- ``fourier_r2c`` (``rfftn``) keeps the first ``n//2 + 1`` bins of the last axis;
  its adjoint (``fourier_r2c_adjoint``) is ``irfftn`` (dual norm) of ``g`` with the
  bins that ``irfftn`` counts twice (all but the DC and, for an even ``n``, the
  Nyquist bin) halved;
- ``fourier_c2r`` (``irfftn``) reads those bins twice and the imaginary parts of
  the DC and Nyquist bins not at all; its adjoint (``fourier_c2r_adjoint``) is
  ``rfftn`` (dual norm) of ``g`` with the same bins doubled (PyTorch's ``irfft``
  backward); the adjoint of either adjoint is the transform itself;
- ``fourier_roll`` (``fftshift``/``ifftshift``): a roll; its adjoint rolls back.

Each rule is written with these ops, so second-order gradients come for free.
NumPy runs the transforms through ``ndgrad.ops._fourier_numpy`` (single precision
kept single, outputs in reused buffers, a large batch split over threads).

Example:
    >>> from ndgrad.ops.fourier import fourier_c2c
    >>> import ndgrad
    >>> x = ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = fourier_c2c(x, axes=(0,), norm="backward", inverse=False)
    >>> ndgrad.real(y).sum().backward()       # d/dx of Re(sum fft(x)) = 3 * [1, 0, 0]
    >>> x.grad.tolist()
    [3.0, 0.0, 0.0]
"""

import math

import numpy as np

from ..autograd.primitive import primitive
from . import _reusable_buffers as buffers
from ._fourier_numpy import transform
from .complex_numbers import differentiates_complex

__all__ = ["resize", "fourier_c2c", "fourier_r2c", "fourier_c2r", "fourier_r2c_adjoint",
           "fourier_c2r_adjoint", "fourier_roll", "DUAL_NORM"]

# The norm whose transform is the adjoint's: scale 1/n on one side is 1 on the other.
DUAL_NORM = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


@primitive(reads=())
def resize(x, *, axes, sizes, original):
    """``x`` cropped or zero-padded at the end of each of ``axes`` to ``sizes``
    (``original``: ``x``'s sizes there, for the gradient).

    Example:
        >>> from ndgrad.ops.fourier import resize
        >>> import ndgrad
        >>> resize(ndgrad.tensor([1.0, 2.0, 3.0]), axes=(0,), sizes=(5,), original=(3,)).tolist()
        [1.0, 2.0, 3.0, 0.0, 0.0]
    """
    shape = list(x.shape)
    for axis, size in zip(axes, sizes):
        shape[axis] = size
    if tuple(shape) == x.shape:
        return x.copy()
    out = np.zeros(shape, dtype=x.dtype)
    common = tuple(slice(0, min(a, b)) for a, b in zip(x.shape, shape))
    out[common] = x[common]
    return out


@resize.defvjp
def _resize_vjp(g, out, x, axes, sizes, original):
    return resize(g, axes=axes, sizes=original, original=sizes)


@primitive(reads=())
def fourier_c2c(x, *, axes, norm, inverse):
    """``numpy.fft.fftn`` (``ifftn`` with ``inverse``) over ``axes`` at ``x``'s sizes.

    Example:
        >>> from ndgrad.ops.fourier import fourier_c2c
        >>> import ndgrad
        >>> fourier_c2c(ndgrad.tensor([1.0, 1.0]), axes=(0,), norm="backward",
        ...             inverse=False).tolist()
        [(2+0j), 0j]
    """
    return transform("ifftn" if inverse else "fftn", x, axes=axes, norm=norm,
                     sizes=tuple(x.shape[axis] for axis in axes))


@fourier_c2c.defvjp
def _fourier_c2c_vjp(g, out, x, axes, norm, inverse):
    return fourier_c2c(g, axes=axes, norm=DUAL_NORM[norm], inverse=not inverse)


def _twice_counted(length, ndim, axis, scale, dtype):
    """Weights along ``axis`` of a one-sided spectrum of a real signal of
    ``length``: ``scale`` on the bins that stand for two (all but the DC bin and,
    for an even length, the Nyquist bin), 1 elsewhere."""
    bins = length // 2 + 1
    weights = np.ones(bins, dtype=dtype)
    weights[1:length - bins + 1] = scale
    shape = [1] * ndim
    shape[axis] = bins
    return weights.reshape(shape)


def _real_dtype(dtype):
    return np.finfo(dtype).dtype if dtype.kind in "fc" else np.dtype(np.float64)


@primitive(reads=())
def fourier_r2c(x, *, axes, norm, lengths):
    """``numpy.fft.rfftn`` of a real ``x`` over ``axes`` (``lengths``: ``x``'s sizes there).

    Example:
        >>> from ndgrad.ops.fourier import fourier_r2c
        >>> import ndgrad
        >>> fourier_r2c(ndgrad.tensor([1.0, 2.0, 3.0, 4.0]), axes=(0,), norm="backward",
        ...             lengths=(4,)).tolist()
        [(10+0j), (-2+2j), (-2+0j)]
    """
    return transform("rfftn", x, axes=axes, norm=norm, sizes=lengths)


@fourier_r2c.defvjp
def _fourier_r2c_vjp(g, out, x, axes, norm, lengths):
    return fourier_r2c_adjoint(g, axes=axes, norm=norm, lengths=lengths)


@primitive(reads=())
def fourier_r2c_adjoint(g, *, axes, norm, lengths):
    """``fourier_r2c``'s gradient: ``irfftn`` (dual norm) of ``g`` with the bins
    that ``irfftn`` counts twice halved, in one op (its weighted copy of ``g`` in
    a reused buffer); its own gradient is ``fourier_r2c`` again.

    Example:
        >>> import ndgrad
        >>> from ndgrad.ops.fourier import fourier_r2c_adjoint
        >>> fourier_r2c_adjoint(ndgrad.tensor([1.0, 1.0, 1.0]), axes=(0,), norm="backward",
        ...                     lengths=(4,)).tolist()       # torch.fft.rfft's gradient too
        [3.0, 0.0, 1.0, 0.0]
    """
    real = _real_dtype(g.dtype)
    weights = _twice_counted(lengths[-1], g.ndim, axes[-1], 0.5, real)
    dual = DUAL_NORM[norm]
    if dual == "forward" and real == np.float32:
        # the unscaled inverse is n times the "backward" one: n goes into the weights,
        # not into a pass of its own over the result (see _fourier_numpy)
        weights, dual = weights * real.type(math.prod(lengths)), "backward"
    halved = buffers.empty(g.shape, np.result_type(g.dtype, weights.dtype))
    np.multiply(g, weights, out=halved)
    return transform("irfftn", halved, axes=axes, norm=dual, sizes=lengths)


@fourier_r2c_adjoint.defvjp
def _fourier_r2c_adjoint_vjp(g, out, x, axes, norm, lengths):
    return fourier_r2c(g, axes=axes, norm=norm, lengths=lengths)


@primitive(reads=())
def fourier_c2r(x, *, axes, norm, lengths):
    """``numpy.fft.irfftn`` of a one-sided spectrum ``x`` (already ``lengths[-1]//2 + 1``
    bins long on the last of ``axes``) to a real signal of sizes ``lengths``.

    Example:
        >>> from ndgrad.ops.fourier import fourier_c2r
        >>> import ndgrad
        >>> fourier_c2r(ndgrad.tensor([10.0, -2 + 2j, -2.0]), axes=(0,), norm="backward",
        ...             lengths=(4,)).tolist()
        [1.0, 2.0, 3.0, 4.0]
    """
    return transform("irfftn", x, axes=axes, norm=norm, sizes=lengths)


@fourier_c2r.defvjp
def _fourier_c2r_vjp(g, out, x, axes, norm, lengths):
    return fourier_c2r_adjoint(g, axes=axes, norm=norm, lengths=lengths)


@primitive(reads=())
def fourier_c2r_adjoint(g, *, axes, norm, lengths):
    """``fourier_c2r``'s gradient: ``rfftn`` (dual norm) of ``g`` with the bins
    that ``irfftn`` counts twice doubled (PyTorch's ``irfft`` backward), in one op;
    its own gradient is ``fourier_c2r`` again.

    Example:
        >>> import ndgrad
        >>> from ndgrad.ops.fourier import fourier_c2r_adjoint
        >>> fourier_c2r_adjoint(ndgrad.tensor([1.0, 0.0, 0.0, 0.0]), axes=(0,),
        ...                     norm="backward", lengths=(4,)).tolist()
        [(0.25+0j), (0.5+0j), (0.25+0j)]
    """
    spectrum = transform("rfftn", g, axes=axes, norm=DUAL_NORM[norm], sizes=lengths)
    spectrum *= _twice_counted(lengths[-1], g.ndim, axes[-1], 2.0, _real_dtype(g.dtype))
    return spectrum


@fourier_c2r_adjoint.defvjp
def _fourier_c2r_adjoint_vjp(g, out, x, axes, norm, lengths):
    return fourier_c2r(g, axes=axes, norm=norm, lengths=lengths)


@primitive(reads=())
def fourier_roll(x, *, shifts, axes):
    """``x`` rolled by ``shifts`` along ``axes`` (``fftshift``'s and ``ifftshift``'s op).

    Example:
        >>> from ndgrad.ops.fourier import fourier_roll
        >>> import ndgrad
        >>> fourier_roll(ndgrad.tensor([0.0, 1.0, 2.0]), shifts=(1,), axes=(0,)).tolist()
        [2.0, 0.0, 1.0]
    """
    return np.roll(x, shifts, axes)


@fourier_roll.defvjp
def _fourier_roll_vjp(g, out, x, shifts, axes):
    return fourier_roll(g, shifts=tuple(-s for s in shifts), axes=axes)


differentiates_complex(resize, fourier_c2c, fourier_r2c, fourier_c2r, fourier_r2c_adjoint,
                       fourier_c2r_adjoint, fourier_roll)
