"""Eigenvalues and eigenvectors of general square matrices (``numpy.linalg.eig``,
``eigvals``), real or complex, with gradients of every order.

The results are complex, as in PyTorch (NumPy returns real arrays when every
eigenvalue of a real matrix happens to be real; ndgrad's dtype does not depend
on the values). ``A = V diag(w) V^-1`` with unit columns of ``V``; the rule
(PyTorch's convention) is, with ``J = V^H gV`` and ``E[i, j] = w_j - w_i``::

    gA = V^-H (diag(gw) + (J - V^H V diag(Re diag J)) / conj(E)) V^H

off the diagonal of the division; a real ``A`` gets its real part. Each
eigenvector is unique only up to a phase (``v e^(i phi)``): a loss that
depends on it has no gradient and is refused (``Im diag(J)`` must vanish, as
PyTorch checks). Where two eigenvalues coincide the eigenvectors, and the
eigenvalues' derivatives, are not defined (PyTorch's documentation says so,
and returns inf or NaN there): the rule refuses, naming the values.

Example:
    >>> import ndgrad
    >>> a = ndgrad.tensor([[2.0, 1.0], [0.0, 3.0]], requires_grad=True)
    >>> w = ndgrad.linalg.eigvals(a)
    >>> w.tolist()
    [(2+0j), (3+0j)]
    >>> ndgrad.real(w * w).sum().backward()       # tr(A^2): the gradient is 2 A^T
    >>> [[round(v, 4) for v in row] for row in a.grad.tolist()]
    [[4.0, 0.0], [2.0, 6.0]]
"""

from typing import NamedTuple

import numpy as np

from ..autograd.breaks import describe_site
from ..autograd.primitive import as_input, data_of
from ..numpy_api import implements
from ..tensor import Tensor
from ._decomposition_support import (_diag_embed, _mH, _needs_grad, _pack,
                                     _refuse_phase_dependence, _unpack)
from .complex_numbers import conj_of, differentiates_complex, imag, real
from .diagonals import diagonal
from .linalg import matmul
from .linear_systems import _check_square, linalg_primitive, run_linalg, solve
from .selection import where
from .shape import expand_dims

__all__ = []


class EigResult(NamedTuple):
    """``(eigenvalues, eigenvectors)`` of ``eig``: ``a @ v[:, i] = w[i] * v[:, i]``.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.eig(ndgrad.eye(2)).eigenvectors.dtype
        dtype('complex64')
    """
    eigenvalues: Tensor
    eigenvectors: Tensor


def _complex_dtype(dtype):
    return np.result_type(dtype, np.complex64)


@linalg_primitive(name="eig", saves_output=True, reads=())
def _eig(a):
    values, vectors = np.linalg.eig(a)
    dtype = _complex_dtype(a.dtype)
    return _pack([values.astype(dtype), vectors.astype(dtype)], a.shape[:-2])


def _refuse_repeated(values):
    """Refuse a gradient where two eigenvalues (nearly) coincide."""
    w = data_of(values)
    n = w.shape[-1]
    gaps = np.where(np.eye(n, dtype=bool), np.inf, np.abs(w[..., :, None] - w[..., None, :]))
    scale = max(float(np.abs(w).max(initial=0.0)), np.finfo(w.real.dtype).tiny)
    tolerance = float(np.sqrt(np.finfo(w.real.dtype).eps)) * scale
    if float(gaps.min(initial=np.inf)) <= tolerance:
        position = np.unravel_index(int(np.argmin(gaps)), gaps.shape)
        batch, (i, j) = position[:-2], position[-2:]
        raise ValueError(
            f"eig: eigenvalues {w[batch + (i,)]} and {w[batch + (j,)]} coincide "
            f"(within {tolerance:.3g}), where the eigenvectors and the eigenvalues' derivatives "
            "are not defined (PyTorch documents the same); for a Hermitian matrix use eigh / "
            "eigvalsh, for the sum of eigenvalues use the trace "
            f"(at {describe_site()})")


@_eig.defvjp
def _eig_vjp(g, out, a):
    n = a.shape[-1]
    values, vectors = _unpack(out, [(n,), (n, n)])
    g_values, g_vectors = _unpack(g, [(n,), (n, n)])
    _refuse_repeated(values)
    vh = _mH(vectors)
    vh_gv = matmul(vh, g_vectors)
    j_diagonal = diagonal(vh_gv, axis1=-2, axis2=-1)
    _refuse_phase_dependence("eig", "eigenvectors", imag(j_diagonal),
                             np.abs(data_of(vh_gv)).max(initial=0))
    unit = matmul(vh, vectors * expand_dims(real(j_diagonal), -2))  # from ||v_i|| = 1
    gaps = expand_dims(values, -2) - expand_dims(values, -1)         # E[i, j] = w_j - w_i
    off = ~np.eye(n, dtype=bool)
    middle = where(off, (vh_gv - unit) / where(off, conj_of(gaps), 1), 0)
    return solve(vh, matmul(middle + _diag_embed(g_values), vh))


differentiates_complex(_eig)


@implements(np.linalg.eig)
def eig(a):
    """Eigenvalues and right eigenvectors (unit columns) of square matrices
    (batched, real or complex): the pair ``(eigenvalues, eigenvectors)``, both
    complex (see the module's notes for NumPy's real results and the losses
    that have no gradient).

    Example:
        >>> import ndgrad
        >>> w, v = ndgrad.linalg.eig(ndgrad.tensor([[0.0, -1.0], [1.0, 0.0]]))
        >>> sorted(w.tolist(), key=lambda z: z.imag)
        [-1j, 1j]
    """
    a = as_input(a)
    _check_square("eig", a)
    n = np.shape(data_of(a))[-1]
    values, vectors = _unpack(_eig(a), [(n,), (n, n)])
    return EigResult(values, vectors)


@implements(np.linalg.eigvals)
def eigvals(a):
    """The eigenvalues of square matrices, complex (``eig(a).eigenvalues``).

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.eigvals(ndgrad.tensor([[1.0, 5.0], [0.0, 2.0]])).tolist()
        [(1+0j), (2+0j)]
    """
    a = as_input(a)
    _check_square("eigvals", a)
    if _needs_grad(a):
        return eig(a).eigenvalues
    values = run_linalg("eigvals", np.linalg.eigvals, [a])
    return Tensor._wrap(values.astype(_complex_dtype(data_of(a).dtype)))
