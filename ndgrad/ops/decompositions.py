"""Matrix decompositions (``numpy.linalg``): ``cholesky``, ``eigh``, ``svd``, ``qr``.

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
  whatever built a symmetric input, ``B + B.T`` or ``B @ B.T``);
- ``svd``: Townsend's rule, with the terms for the rows and columns outside
  the square part when the matrix is not square;
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

from ..autograd.mode import state
from ..autograd.primitive import as_input, data_of
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import Tensor
from .linalg import matmul
from .linear_systems import _check_square, inv, linalg_primitive, numpy_linalg, run_linalg, solve
from .norms import norm
from .selection import where
from .join import concatenate
from .shape import expand_dims, reshape, swapaxes

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


class SVDResult(NamedTuple):
    """``(U, S, Vh)`` of ``svd``: ``a = U @ diag(S) @ Vh``.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.svd(ndgrad.ones((3, 2))).U.shape
        (3, 3)
    """
    U: Tensor
    S: Tensor
    Vh: Tensor


class QRResult(NamedTuple):
    """``(Q, R)`` of ``qr``: ``a = Q @ R``.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.qr(ndgrad.ones((3, 2))).R.shape
        (2, 2)
    """
    Q: Tensor
    R: Tensor


def _mT(x):
    return swapaxes(x, -1, -2)


def _lower(n, dtype, diagonal=1.0):
    """The lower-triangle mask with ``diagonal`` on the diagonal (a constant)."""
    return (np.tril(np.ones((n, n)), -1) + diagonal * np.eye(n)).astype(dtype)


def _diag_embed(v):
    """A batch of diagonal matrices from a batch of vectors."""
    return expand_dims(v, -2) * np.eye(v.shape[-1], dtype=v.dtype)


def _reciprocal_gaps(values):
    """``F[i, j] = 1 / (values[j] - values[i])``, zero where they are equal."""
    gaps = expand_dims(values, -2) - expand_dims(values, -1)
    tied = data_of(gaps) == 0
    return where(tied, 0, 1 / where(tied, 1, gaps))


def _needs_grad(a):
    return state.enabled and isinstance(a, Tensor) and a._rg


def _pack(parts, batch):
    """NumPy arrays with the leading axes ``batch``, flattened after them and joined."""
    return np.concatenate([p.reshape(batch + (-1,)) for p in parts], axis=-1)


def _unpack(packed, shapes):
    """The tensors packed by :func:`_pack`, ``shapes`` being their trailing shapes."""
    batch, start, parts = packed.shape[:-1], 0, []
    for shape in shapes:
        size = int(np.prod(shape, dtype=np.int64))
        parts.append(reshape(packed[..., start:start + size], batch + tuple(shape)))
        start += size
    return parts


def _unused_beyond(g, index, name):
    """Refuse a gradient on the columns of a complete factor that are not unique."""
    if np.any(data_of(g[index]) != 0):
        raise NotImplementedError(
            f"{name}: the extra columns of the complete factor are not unique, so they have "
            "no gradient; use the reduced factorization (full_matrices=False / "
            "mode='reduced') when they enter the loss")


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
    values, vectors = _unpack(out, [(n,), (n, n)])
    g_values, g_vectors = _unpack(g, [(n,), (n, n)])
    middle = matmul(_mT(vectors), g_vectors) * _reciprocal_gaps(values) + _diag_embed(g_values)
    grad = matmul(matmul(vectors, middle), _mT(vectors))
    # Only the UPLO triangle is read: an entry off the diagonal stands for itself and
    # its mirror, so it gets both halves of the symmetric gradient; the other gets none.
    read = _lower(n, g.dtype, 0.5)
    return (grad + _mT(grad)) * (read if str(UPLO).upper() == "L" else read.T)


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
    values, vectors = _unpack(_eigh(a, UPLO=UPLO), [(n,), (n, n)])
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


def _svd_shapes(m, n, full_matrices):
    k = min(m, n)
    columns, rows = (m, n) if full_matrices else (k, k)
    return [(m, columns), (k,), (rows, n)]


@linalg_primitive(name="svd", saves_output=True, reads=())
def _svd(a, full_matrices=False, hermitian=False):
    parts = np.linalg.svd(a, full_matrices=full_matrices, hermitian=hermitian)
    return _pack(list(parts), a.shape[:-2])


@_svd.defvjp
def _svd_vjp(g, out, a, full_matrices=False, hermitian=False):
    m, n = a.shape[-2:]
    k = min(m, n)
    shapes = _svd_shapes(m, n, full_matrices)
    u, s, vh = _unpack(out, shapes)
    gu, gs, gvh = _unpack(g, shapes)
    if full_matrices and m != n:
        _unused_beyond(gu, (Ellipsis, slice(k, None)), "svd")
        _unused_beyond(gvh, (Ellipsis, slice(k, None), slice(None)), "svd")
        u, gu = u[..., :k], gu[..., :k]
        vh, gvh = vh[..., :k, :], gvh[..., :k, :]
    gaps = _reciprocal_gaps(s * s)
    ut_gu = matmul(_mT(u), gu)
    v_gv = matmul(vh, _mT(gvh))       # V^T gV
    left = gaps * (ut_gu - _mT(ut_gu)) * expand_dims(s, -2)
    right = expand_dims(s, -1) * (gaps * (v_gv - _mT(v_gv)))
    grad = matmul(matmul(u, left + _diag_embed(gs) + right), vh)
    inverse_s = where(data_of(s) == 0, 0, 1 / where(data_of(s) == 0, 1, s))
    if m > k:   # the part of gU outside the column space of U
        grad = grad + matmul((gu - matmul(u, ut_gu)) * expand_dims(inverse_s, -2), vh)
    if n > k:   # the part of gV outside the row space of Vh
        grad = grad + matmul(u * expand_dims(inverse_s, -2), gvh - matmul(_mT(v_gv), vh))
    return grad


@implements(np.linalg.svd)
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """The singular value decomposition ``a = U @ diag(S) @ Vh`` (batched): the
    triple ``(U, S, Vh)``, or the singular values alone with ``compute_uv=False``.
    With ``full_matrices=True`` (NumPy's default) and a non-square matrix, the
    extra columns of ``U`` or rows of ``Vh`` have no gradient.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.svd(ndgrad.tensor([[3.0, 0.0], [0.0, -4.0]]), compute_uv=False).tolist()
        [4.0, 3.0]
    """
    a = as_input(a)
    if np.ndim(data_of(a)) < 2:
        raise shape_error("svd", [data_of(a)], "needs a matrix (shape (..., m, n))")
    if not compute_uv:
        if _needs_grad(a):
            return svd(a, full_matrices=False, hermitian=hermitian).S
        return Tensor._wrap(run_linalg("svd", np.linalg.svd, [a], compute_uv=False,
                                       hermitian=hermitian))
    m, n = np.shape(data_of(a))[-2:]
    packed = _svd(a, full_matrices=bool(full_matrices), hermitian=hermitian)
    return SVDResult(*_unpack(packed, _svd_shapes(m, n, full_matrices)))


@implements(*numpy_linalg("svdvals"))
def svdvals(x):
    """The singular values, descending (``svd(x, compute_uv=False)``).

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.svdvals(ndgrad.tensor([[0.0, 2.0], [1.0, 0.0]])).tolist()
        [2.0, 1.0]
    """
    return svd(x, compute_uv=False)


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
