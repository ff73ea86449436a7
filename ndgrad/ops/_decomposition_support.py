"""Shared pieces of the decomposition rules (``decompositions.py``,
``singular_values.py``, ``eigen.py``): packing several results into one
primitive's output, the reciprocal gaps of eigenvalues, and the loud refusals
of gradients that do not exist (phase-dependent losses, unused complete factors,
repeated eigenvalues of ``eig``)."""

import numpy as np

from ..autograd.breaks import describe_site
from ..autograd.mode import state
from ..autograd.primitive import data_of
from ..tensor import Tensor
from .complex_numbers import conj_of, real
from .selection import where
from .shape import expand_dims, reshape, swapaxes


def _mT(x):
    return swapaxes(x, -1, -2)


def _mH(x):
    """The conjugate transpose of the matrices (the transpose of real ones)."""
    return conj_of(swapaxes(x, -1, -2))


def _lower(n, dtype, diagonal=1.0):
    """The lower-triangle mask with ``diagonal`` on the diagonal (a constant)."""
    return (np.tril(np.ones((n, n)), -1) + diagonal * np.eye(n)).astype(dtype)


def _diag_embed(v):
    """A batch of diagonal matrices from a batch of vectors."""
    return expand_dims(v, -2) * np.eye(v.shape[-1], dtype=data_of(v).dtype)


def _reciprocal_gaps(values):
    """``F[i, j] = 1 / (values[j] - values[i])``, zero where they are equal."""
    gaps = expand_dims(values, -2) - expand_dims(values, -1)
    tied = data_of(gaps) == 0
    return where(tied, 0, 1 / where(tied, 1, gaps))


def _needs_grad(a):
    return state.enabled and isinstance(a, Tensor) and a._rg


def _is_complex(x):
    return data_of(x).dtype.kind == "c"


def _pack(parts, batch):
    """NumPy arrays with the leading axes ``batch``, flattened after them and joined
    (complex when one part is)."""
    return np.concatenate([p.reshape(batch + (int(np.prod(p.shape[len(batch):])),))
                           for p in parts], axis=-1)


def _unpack(packed, shapes, real_parts=()):
    """The tensors packed by :func:`_pack`, ``shapes`` being their trailing shapes;
    the parts numbered in ``real_parts`` (eigenvalues of a Hermitian matrix,
    singular values) are real: from a complex pack, their real part."""
    batch, start, parts = packed.shape[:-1], 0, []
    complex_pack = _is_complex(packed)
    for number, shape in enumerate(shapes):
        size = int(np.prod(shape, dtype=np.int64))
        part = reshape(packed[..., start:start + size], batch + tuple(shape))
        parts.append(real(part) if complex_pack and number in real_parts else part)
        start += size
    return parts


def _unused_beyond(g, index, name):
    """Refuse a gradient on the columns of a complete factor that are not unique."""
    if np.any(data_of(g[index]) != 0):
        raise NotImplementedError(
            f"{name}: the extra columns of the complete factor are not unique, so they have "
            "no gradient; use the reduced factorization (full_matrices=False / "
            "mode='reduced') when they enter the loss")


def _phase_tolerance(dtype):
    return 100 * float(np.sqrt(np.finfo(dtype).eps))


def _refuse_phase_dependence(name, vectors, imaginary, scale):
    """Refuse a loss that depends on the arbitrary phases of complex singular
    vectors or eigenvectors: ``imaginary`` (the imaginary parts that an invariant
    loss keeps at zero) must be small next to ``scale`` (the size of the
    cotangents), as PyTorch checks."""
    imaginary, scale = np.abs(data_of(imaginary)), np.abs(data_of(scale))
    if imaginary.size == 0:
        return
    limit = _phase_tolerance(imaginary.dtype) * max(float(scale.max(initial=0.0)), 1e-30)
    if float(imaginary.max()) > limit:
        raise ValueError(
            f"{name}: the loss depends on the phases of the complex {vectors}, which are "
            "arbitrary (each one can be multiplied by any e^(i phi) and the decomposition "
            "still holds), so its gradient is undefined (PyTorch refuses it too). Differentiate "
            "a loss that does not depend on them: the values, abs(v) ** 2, products such as "
            f"U @ diag(S) @ Vh or V @ diag(w) @ V^H (at {describe_site()})")
