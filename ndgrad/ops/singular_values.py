"""The singular value decomposition (``numpy.linalg.svd``, ``svdvals``), real
and complex, with gradients of every order.

``A = U diag(S) Vh`` is one primitive whose output packs ``U, S, Vh``; the rule
(Townsend's, with conjugate transposes for complex ``A``, PyTorch's
convention) is, with ``J = U^H gU``, ``K = V^H gV`` and
``F[i, j] = 1 / (s_j^2 - s_i^2)`` (zero where two values tie)::

    gA = U (F o (J - J^H) S + diag(gS) + S (F o (K - K^H)) + i diag(Im J) / S) Vh

plus the terms for the rows and columns outside the square part when ``A`` is
not square. Complex singular vectors are unique only up to a phase per pair
(``u_i e^(i phi)``, ``v_i e^(i phi)``): a loss that depends on it has no
gradient, and the rule refuses it (``Im diag(J + K)`` must vanish, PyTorch's
check) rather than return one; ``abs(U) ** 2``, ``U @ Vh``, reconstructions
and the singular values are fine.

Example:
    >>> import ndgrad
    >>> a = ndgrad.tensor([[1 + 1j, 0], [0, 2]], requires_grad=True)
    >>> ndgrad.linalg.svdvals(a).sum().backward()          # the nuclear norm
    >>> [[round(abs(v), 4) for v in row] for row in a.grad.tolist()]
    [[1.0, 0.0], [0.0, 1.0]]
"""

from typing import NamedTuple

import numpy as np

from ..autograd.primitive import as_input, data_of
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import Tensor
from ._decomposition_support import (_diag_embed, _is_complex, _mH, _needs_grad, _pack,
                                     _reciprocal_gaps, _refuse_phase_dependence, _unpack,
                                     _unused_beyond)
from .complex_numbers import differentiates_complex, imag
from .diagonals import diagonal
from .linalg import matmul
from .linear_systems import linalg_primitive, numpy_linalg, run_linalg
from .selection import where
from .shape import expand_dims

__all__ = []


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
    u, s, vh = _unpack(out, shapes, real_parts=(1,))
    gu, gs, gvh = _unpack(g, shapes, real_parts=(1,))
    if full_matrices and m != n:
        _unused_beyond(gu, (Ellipsis, slice(k, None)), "svd")
        _unused_beyond(gvh, (Ellipsis, slice(k, None), slice(None)), "svd")
        u, gu = u[..., :k], gu[..., :k]
        vh, gvh = vh[..., :k, :], gvh[..., :k, :]
    gaps = _reciprocal_gaps(s * s)
    uh_gu = matmul(_mH(u), gu)            # J = U^H gU
    vh_gv = matmul(vh, _mH(gvh))          # K = V^H gV
    left = gaps * (uh_gu - _mH(uh_gu)) * expand_dims(s, -2)
    middle = left + _diag_embed(gs) + expand_dims(s, -1) * (gaps * (vh_gv - _mH(vh_gv)))
    inverse_s = where(data_of(s) == 0, 0, 1 / where(data_of(s) == 0, 1, s))
    if _is_complex(out):
        j_diagonal = imag(diagonal(uh_gu, axis1=-2, axis2=-1))
        k_diagonal = imag(diagonal(vh_gv, axis1=-2, axis2=-1))
        scale = np.abs(data_of(uh_gu)).max(initial=0) + np.abs(data_of(vh_gv)).max(initial=0)
        _refuse_phase_dependence("svd", "singular vectors", data_of(j_diagonal + k_diagonal),
                                 scale)
        middle = middle + _diag_embed(1j * j_diagonal * inverse_s)
    grad = matmul(matmul(u, middle), vh)
    if m > k:   # the part of gU outside the column space of U
        grad = grad + matmul((gu - matmul(u, uh_gu)) * expand_dims(inverse_s, -2), vh)
    if n > k:   # the part of gV outside the row space of Vh
        grad = grad + matmul(u * expand_dims(inverse_s, -2), gvh - matmul(_mH(vh_gv), vh))
    return grad


differentiates_complex(_svd)


@implements(np.linalg.svd)
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """The singular value decomposition ``a = U @ diag(S) @ Vh`` (batched, real or
    complex): the triple ``(U, S, Vh)``, or the singular values alone with
    ``compute_uv=False``. With ``full_matrices=True`` (NumPy's default) and a
    non-square matrix, the extra columns of ``U`` or rows of ``Vh`` have no
    gradient. For complex ``a`` the loss must not depend on the phases of the
    singular vectors (see the module's notes): a loss that does is refused.

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
    return SVDResult(*_unpack(packed, _svd_shapes(m, n, full_matrices), real_parts=(1,)))


@implements(*numpy_linalg("svdvals"))
def svdvals(x):
    """The singular values, descending (``svd(x, compute_uv=False)``); real also
    for complex ``x``.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.svdvals(ndgrad.tensor([[0.0, 2.0], [1.0, 0.0]])).tolist()
        [2.0, 1.0]
    """
    return svd(x, compute_uv=False)
