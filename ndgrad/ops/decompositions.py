"""Matrix decompositions (``numpy.linalg``): ``cholesky``, ``eigh``, ``qr`` (``svd``
is in ``singular_values.py``, ``eig`` in ``eigen.py``).

A decomposition with several results (``w, V = eigh(a)``) is one primitive
whose output packs them side by side in its last axis; the results are slices
of it, so each one carries its gradient and an unused one contributes zero.
The rules, for real matrices (``F`` is ``1 / (e_j - e_i)`` off the diagonal and
zero where two values tie, so a result that is not used never turns the
gradient into NaN):

- ``cholesky`` (symmetric input): ``G = L^-T Phi(L^T gL) L^-1``, with ``Phi``
  the lower triangle with the diagonal halved; only the lower triangle of the
  input is read (the upper one for ``upper=True``), so it gets ``G + G^T``
  (``G`` on the diagonal) and the other triangle nothing, as for ``eigh`` below;
- ``eigh`` (symmetric input): ``G = V (diag(gw) + F o (V^T gV)) V^T``,
  exact for the eigenvalues, and for the eigenvectors when the eigenvalues are
  distinct; as only the ``UPLO`` triangle is read, that triangle gets
  ``G + G^T`` off the diagonal and ``G`` on it, the other triangle nothing: the
  derivative of what is computed, whatever the other triangle holds (PyTorch
  returns the symmetric ``(G + G^T) / 2``; both give the same gradient to
  whatever built a symmetric input, ``B + B.T`` or ``B @ B.T``); for complex
  Hermitian input ``V^H`` and ``G + G^H`` (the real part on the diagonal), and
  a loss that depends on the arbitrary phases of the eigenvectors is refused
  (``Im diag(V^H gV)`` must vanish, as PyTorch checks);
- ``qr``: ``gA = (gQ + Q copyltu(R gR^T - gQ^T Q)) R^-T`` for ``m >= n`` and
  its extension by blocks for ``m < n`` (needs full rank).

``norm`` is exported from here (it lives in ``norms.py``); the other names
are in ``ndgrad.linalg`` only, as in NumPy.

Example:
    >>> import ndgrad
    >>> a = ndgrad.Variable([[2.0, 0.0], [0.0, 3.0]])
    >>> ndgrad.linalg.eigvalsh(a).sum().backward()
    >>> a.grad.tolist()
    [[1.0, 0.0], [0.0, 1.0]]
"""

from typing import NamedTuple

import numpy as np

from ..autograd.primitive import as_input, data_of
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import Tensor
from ._decomposition_support import (_diag_embed, _is_complex, _lower, _mH, _mT, _needs_grad,
                                     _pack, _reciprocal_gaps, _refuse_phase_dependence, _unpack,
                                     _unused_beyond)
from .complex_numbers import differentiates_complex, imag
from .diagonals import diagonal
from .join import concatenate
from .linalg import matmul
from .linear_systems import _check_square, inv, linalg_primitive, run_linalg, solve
from .norms import norm
from .singular_values import SVDResult, svd, svdvals  # noqa: F401 (ndgrad.linalg's names)

__all__ = ["norm"]


class EighResult(NamedTuple):
    """``(eigenvalues, eigenvectors)`` of ``eigh``, eigenvalues ascending.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.eigh(ndgrad.eye(2)).eigenvalues.tolist()
        [1.0, 1.0]
    """
    eigenvalues: Tensor
    eigenvectors: Tensor


class QRResult(NamedTuple):
    """``(Q, R)`` of ``qr``: ``a = Q @ R``.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.qr(ndgrad.ones((3, 2))).R.shape
        (2, 2)
    """
    Q: Tensor
    R: Tensor


@linalg_primitive(name="cholesky", saves_output=True, reads=())
def _cholesky(a, upper=False):
    if upper:       # from the upper triangle, as NumPy's and PyTorch's upper=True
        return np.swapaxes(np.linalg.cholesky(np.swapaxes(a, -1, -2)), -1, -2).copy()
    return np.linalg.cholesky(a)


@_cholesky.defvjp
def _cholesky_vjp(g, out, a, upper=False):
    low, g = (_mT(out), _mT(g)) if upper else (out, g)
    n = low.shape[-1]
    phi = matmul(_mT(low), g * _lower(n, g.dtype)) * _lower(n, g.dtype, 0.5)
    low_inv = inv(low)
    grad = matmul(matmul(_mT(low_inv), phi), low_inv)
    read = _lower(n, g.dtype, 0.5)          # only one triangle is read
    return (grad + _mT(grad)) * (read.T if upper else read)


@implements(np.linalg.cholesky)
def cholesky(a, upper=False):
    """The Cholesky factor of symmetric positive-definite matrices: lower ``L``
    with ``a = L @ L.T`` (with ``upper=True``, upper ``U`` with ``a = U.T @ U``).
    Only the lower triangle of ``a`` is read (the upper one with ``upper=True``,
    as in NumPy and PyTorch), and only it gets a gradient (the
    derivative of what is computed; PyTorch's is the symmetric one, and
    both give the same gradient to whatever built a symmetric ``a``).

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.cholesky(ndgrad.tensor([[4.0, 2.0], [2.0, 2.0]])).tolist()
        [[2.0, 0.0], [1.0, 1.0]]
    """
    _check_square("cholesky", a)
    return _cholesky(a, upper=upper)


@linalg_primitive(name="eigh", saves_output=True, reads=())
def _eigh(a, UPLO="L"):
    values, vectors = np.linalg.eigh(a, UPLO=UPLO)
    return _pack([values, vectors], a.shape[:-2])


@_eigh.defvjp
def _eigh_vjp(g, out, a, UPLO="L"):
    n = a.shape[-1]
    values, vectors = _unpack(out, [(n,), (n, n)], real_parts=(0,))
    g_values, g_vectors = _unpack(g, [(n,), (n, n)], real_parts=(0,))
    vh_gv = matmul(_mH(vectors), g_vectors)
    if _is_complex(out):    # each eigenvector's phase is arbitrary: Im diag(V^H gV) = 0
        _refuse_phase_dependence("eigh", "eigenvectors",
                                 imag(diagonal(vh_gv, axis1=-2, axis2=-1)),
                                 np.abs(data_of(vh_gv)).max(initial=0))
    middle = vh_gv * _reciprocal_gaps(values) + _diag_embed(g_values)
    grad = matmul(matmul(vectors, middle), _mH(vectors))
    # Only the UPLO triangle is read: an entry off the diagonal stands for itself and
    # its mirror (conjugated), so it gets G + G^H; a diagonal entry (its real part) gets
    # Re G; the other triangle gets nothing.
    read = _lower(n, data_of(grad).dtype, 0.5)
    return (grad + _mH(grad)) * (read if str(UPLO).upper() == "L" else read.T)


differentiates_complex(_eigh)


@implements(np.linalg.eigh)
def eigh(a, UPLO="L"):
    """Eigenvalues (ascending) and eigenvectors (columns) of symmetric matrices,
    from the ``UPLO`` triangle; the pair ``(eigenvalues, eigenvectors)``. The
    other triangle is not read, and gets no gradient.

    Example:
        >>> import ndgrad
        >>> w, v = ndgrad.linalg.eigh(ndgrad.tensor([[2.0, 0.0], [0.0, 1.0]]))
        >>> w.tolist(), ndgrad.abs(v).tolist()
        ([1.0, 2.0], [[0.0, 1.0], [1.0, 0.0]])
    """
    _check_square("eigh", a)
    n = np.shape(data_of(as_input(a)))[-1]
    values, vectors = _unpack(_eigh(a, UPLO=UPLO), [(n,), (n, n)], real_parts=(0,))
    return EighResult(values, vectors)


@implements(np.linalg.eigvalsh)
def eigvalsh(a, UPLO="L"):
    """The eigenvalues (ascending) of symmetric matrices.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.eigvalsh(ndgrad.tensor([[2.0, 1.0], [1.0, 2.0]])).tolist()
        [1.0, 3.0]
    """
    a = as_input(a)
    _check_square("eigvalsh", a)
    if _needs_grad(a):
        return eigh(a, UPLO=UPLO).eigenvalues
    return Tensor._wrap(run_linalg("eigvalsh", np.linalg.eigvalsh, [a], UPLO=UPLO))


def _qr_shapes(m, n, mode):
    k = m if mode == "complete" else min(m, n)
    return [(m, k), (k, n)]


@linalg_primitive(name="qr", saves_output=True)
def _qr(a, mode="reduced"):
    return _pack(list(np.linalg.qr(a, mode=mode)), a.shape[:-2])


@_qr.defvjp
def _qr_vjp(g, out, a, mode="reduced"):
    m, n = a.shape[-2:]
    k = min(m, n)
    shapes = _qr_shapes(m, n, mode)
    q, r = _unpack(out, shapes)
    gq, gr = _unpack(g, shapes)
    if m > n and mode == "complete":
        _unused_beyond(gq, (Ellipsis, slice(n, None)), "qr")
        q, gq, r, gr = q[..., :n], gq[..., :n], r[..., :n, :], gr[..., :n, :]
    if m >= n:
        return _qr_square_vjp(gq, gr, q, r)
    # Wide a = [X | Y] with X = Q U square: Y = Q V enters through gQ as well.
    y = a[..., k:]
    gv = gr[..., k:]
    gx = _qr_square_vjp(gq + matmul(y, _mT(gv)), gr[..., :k], q, r[..., :k])
    return concatenate([gx, matmul(q, gv)], axis=-1)


def _qr_square_vjp(gq, gr, q, r):
    """The QR rule for ``m >= n`` (``r`` square): ``(gQ + Q copyltu(M)) R^-T``."""
    n = r.shape[-1]
    middle = matmul(r, _mT(gr)) - matmul(_mT(gq), q)
    strict = middle * _lower(n, middle.dtype, 0.0)
    symmetric = middle * np.eye(n, dtype=middle.dtype) + strict + _mT(strict)
    return _mT(solve(r, _mT(gq + matmul(q, symmetric))))


@implements(np.linalg.qr)
def qr(a, mode="reduced"):
    """The QR decomposition ``a = Q @ R`` (batched), ``Q`` with orthonormal
    columns and ``R`` upper triangular: ``(Q, R)``, or ``R`` alone with
    ``mode='r'``. Gradients need ``a`` of full rank.

    Example:
        >>> import ndgrad
        >>> q, r = ndgrad.linalg.qr(ndgrad.tensor([[3.0, 0.0], [4.0, 5.0]]))
        >>> q.shape, r.shape
        ((2, 2), (2, 2))
    """
    a = as_input(a)
    if np.ndim(data_of(a)) < 2:
        raise shape_error("qr", [data_of(a)], "needs a matrix (shape (..., m, n))")
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    m, n = np.shape(data_of(a))[-2:]
    packed_mode = "reduced" if mode == "r" else mode
    q, r = _unpack(_qr(a, mode=packed_mode), _qr_shapes(m, n, packed_mode))
    return r if mode == "r" else QRResult(q, r)
