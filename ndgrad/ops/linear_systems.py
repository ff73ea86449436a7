"""Inverses, determinants and linear systems (``numpy.linalg``), batched over
leading axes.

The rules, with ``X^-T`` the inverse transposed over the last two axes:

- ``inv``: ``gA = -B^T g B^T`` with ``B = inv(A)`` (the saved output);
- ``det``: ``gA = g det(A) A^-T``, the transposed adjugate; for a singular
  matrix the adjugate comes from the SVD (``U diag(prod_{j!=i} s_j) V^T``,
  times the signs of ``det U`` and ``det V``), so the gradient stays finite;
- ``slogdet``: ``g A^-T`` for ``logabsdet``; the sign carries no gradient;
- ``solve``: ``gb = solve(A^T, g)`` and ``gA = -gb x^T``;
- ``pinv``: the Golub-Pereyra derivative, valid where the rank is constant;
- ``lstsq``: the solution is ``pinv(A) b``, differentiated as such.

A singular matrix raises NumPy's own ``LinAlgError``, with the op and the
user's line added; a matrix of the wrong shape raises :class:`ndgrad.ShapeError`.
``matrix_power`` and ``multi_dot`` are in ``matrix_chains.py``.

Example:
    >>> import ndgrad
    >>> a = ndgrad.Variable([[2.0, 0.0], [0.0, 4.0]])
    >>> ndgrad.linalg.det(a).backward()
    >>> a.grad.tolist()
    [[4.0, 0.0], [0.0, 2.0]]
"""

import functools
from typing import NamedTuple

import numpy as np

from ..autograd.breaks import describe_site
from ..autograd.primitive import Op, as_input, data_of, nondifferentiable, record
from ..errors import describe_operand, shape_error
from ..numpy_api import implements
from ..tensor import Tensor
from .complex_numbers import conj_of, differentiates_complex, imag
from .linalg import matmul
from .reduce import prod
from .selection import where
from .shape import expand_dims, reshape, swapaxes

__all__ = ["inv", "det", "slogdet", "solve", "pinv", "lstsq", "matrix_rank", "SlogdetResult"]


class SlogdetResult(NamedTuple):
    """``(sign, logabsdet)`` of ``slogdet``: ``det = sign * exp(logabsdet)``.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.slogdet(ndgrad.eye(2)).logabsdet.item()
        0.0
    """
    sign: Tensor
    logabsdet: Tensor


def _mT(x):
    return swapaxes(x, -1, -2)


def _mH(x):
    """The conjugate transpose of the matrices (the transpose of real ones)."""
    return conj_of(swapaxes(x, -1, -2))


def _check_square(name, a, minimum=2):
    shape = np.shape(data_of(a))
    if len(shape) < minimum or shape[-1] != shape[-2]:
        raise shape_error(name, [data_of(a)], "needs square matrices in the last two axes "
                          f"(shape (..., n, n)), got shape {shape}")


def numpy_linalg(*names):
    """The ``numpy.linalg`` functions of these names that this NumPy has (some
    are new in NumPy 2), for :func:`ndgrad.numpy_api.implements`.

    Example:
        >>> from ndgrad.linalg import numpy_linalg
        >>> import numpy as np
        >>> numpy_linalg("inv", "no_such_function") == (np.linalg.inv,)
        True
    """
    return tuple(getattr(np.linalg, n) for n in names if hasattr(np.linalg, n))


def run_linalg(name, function, operands, **params):
    """``function`` on the arrays of ``operands``: a ``LinAlgError`` (singular, not
    positive definite) keeps its type and gains the op's name, the operands
    and the user's line; other bad input becomes a ShapeError.

    Example:
        >>> from ndgrad.ops.decompositions import run_linalg
        >>> import numpy as np, ndgrad
        >>> try:
        ...     run_linalg("inv", np.linalg.inv, [ndgrad.zeros((2, 2))])
        ... except np.linalg.LinAlgError as error:
        ...     print(str(error).split(";")[0])
        inv: Singular matrix
    """
    arrays = [data_of(v) for v in operands]
    try:
        return function(*arrays, **params)
    except np.linalg.LinAlgError as exc:
        described = ", ".join(describe_operand(v) for v in arrays)
        raise np.linalg.LinAlgError(
            f"{name}: {exc}; operands: {described} (at {describe_site()})") from None
    except (ValueError, TypeError) as exc:
        raise shape_error(name, arrays, str(exc)) from None


def linalg_primitive(forward=None, *, name=None, saves_output=False, reads=None):
    """``primitive`` for forwards that can raise ``LinAlgError`` (see :func:`run_linalg`).

    Example:
        >>> from ndgrad.ops.decompositions import linalg_primitive
        >>> import numpy as np, ndgrad
        >>> @linalg_primitive(name="inverse_twice", reads=())
        ... def inverse_twice(a):
        ...     return np.linalg.inv(a) * 2
        >>> inverse_twice(ndgrad.eye(2)).tolist()
        [[2.0, 0.0], [0.0, 2.0]]
    """
    if forward is None:
        return functools.partial(linalg_primitive, name=name, saves_output=saves_output,
                                 reads=reads)
    op = Op(name or forward.__name__, reads=reads, saves_output=saves_output)

    @functools.wraps(forward)
    def op_function(*args, **params):
        args = tuple(map(as_input, args))
        return record(op, run_linalg(op.name, forward, args, **params), args, params or None)

    op_function.op = op
    op_function.defvjp = op.defvjp
    return op_function


@linalg_primitive(name="inv", saves_output=True, reads=())
def _inv(a):
    return np.linalg.inv(a)


@_inv.defvjp
def _inv_vjp(g, out, a):
    inverse_h = _mH(out)     # -A^-H g A^-H (PyTorch's convention for complex A)
    return -matmul(matmul(inverse_h, g), inverse_h)


@implements(np.linalg.inv)
def inv(a):
    """The inverse of each square matrix in the last two axes.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.inv(ndgrad.tensor([[2.0, 0.0], [0.0, 4.0]])).tolist()
        [[0.5, 0.0], [0.0, 0.25]]
    """
    _check_square("inv", a)
    return _inv(a)


@linalg_primitive(name="det", saves_output=True)
def _det(a):
    return np.linalg.det(a)


@_det.defvjp
def _det_vjp(g, out, a):
    scale = expand_dims(g, (-2, -1))
    if np.all(data_of(out) != 0):
        return scale * expand_dims(conj_of(out), (-2, -1)) * _mH(inv(a))
    return scale * _cofactors(a)     # conj(det(A) A^-T), also where A is singular


def _cofactors(a):
    """The conjugate of the transposed adjugate from the SVD (``A = U S V^H``:
    ``conj(det(U) det(V^H)) U diag(prod_{j != i} s_j) V^H``), finite for singular
    matrices too."""
    from .decompositions import svd
    u, s, vh = svd(a)
    n = s.shape[-1]
    off_diagonal = np.eye(n, dtype=bool)
    others = prod(where(off_diagonal, 1, expand_dims(s, -2)), axis=-1)   # prod_{j != i} s_j
    phase = np.conj(np.linalg.det(data_of(u)) * np.linalg.det(data_of(vh)))
    phase = phase / np.abs(phase)    # a constant of modulus 1: +1 or -1 for real A
    signs = np.asarray(phase, dtype=data_of(u).dtype)[..., None, None]
    return matmul(u * expand_dims(others, -2), vh) * signs


@implements(np.linalg.det)
def det(a):
    """The determinant of each square matrix in the last two axes.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.det(ndgrad.tensor([[2.0, 1.0], [0.0, 3.0]])).item()
        6.0
    """
    _check_square("det", a)
    return _det(a)


_slogdet_op = Op("slogdet")


def _slogdet_vjp(g, out, a):
    return expand_dims(g, (-2, -1)) * _mH(inv(a))     # d log|det A| = Re tr(A^-1 dA)


_slogdet_op.defvjp(_slogdet_vjp)
_slogdet_sign_op = Op("slogdet_sign", saves_output=True)


def _slogdet_sign_vjp(g, out, a):
    # The sign of a complex determinant is its phase s: ds = i s Im tr(A^-1 dA), so the
    # gradient is -i Im(conj(g) s) A^-H (PyTorch's).
    return expand_dims(-1j * imag(conj_of(g) * out), (-2, -1)) * _mH(inv(a))


_slogdet_sign_op.defvjp(_slogdet_sign_vjp)
differentiates_complex(_slogdet_op, _slogdet_sign_op)


@implements(np.linalg.slogdet)
def slogdet(a):
    """The sign and the log of the absolute value of the determinant, as the
    pair ``(sign, logabsdet)``; only ``logabsdet`` carries a gradient.

    Example:
        >>> import ndgrad
        >>> sign, logabsdet = ndgrad.linalg.slogdet(ndgrad.tensor([[-1.0, 0.0], [0.0, 1.0]]))
        >>> sign.item(), logabsdet.item()
        (-1.0, 0.0)
    """
    a = as_input(a)
    _check_square("slogdet", a)
    sign, logabsdet = run_linalg("slogdet", np.linalg.slogdet, [a])
    sign = np.asarray(sign)
    # A real sign is piecewise constant (no gradient); a complex one is the phase of det.
    sign = (record(_slogdet_sign_op, sign, (a,)) if sign.dtype.kind == "c"
            else Tensor._wrap(sign))
    return SlogdetResult(sign, record(_slogdet_op, logabsdet, (a,)))


@linalg_primitive(name="solve", saves_output=True, reads=(0,))
def _solve(a, b):
    if b.ndim == 1:
        return np.linalg.solve(a, b[:, None])[..., 0]
    if b.ndim < a.ndim:   # NumPy 2's reading everywhere: b is a stack of matrices
        b = b.reshape((1,) * (a.ndim - b.ndim) + b.shape)
    return np.linalg.solve(a, b)


@_solve.defvjp
def _solve_vjp(g, out, a, b, needs):
    vector = b.ndim == 1
    x = expand_dims(out, -1) if vector else out
    if vector:
        g = expand_dims(g, -1)
    gb = solve(_mH(a), g)                    # A^-H g, and -gb x^H (complex: PyTorch's)
    ga = -matmul(gb, _mH(x)) if needs[0] else None
    if needs[1] and vector:
        gb = reshape(gb, gb.shape[:-1])
    return ga, (gb if needs[1] else None)


differentiates_complex(_inv, _det, _solve)


@implements(np.linalg.solve)
def solve(a, b):
    """The solution ``x`` of ``a @ x = b`` for square ``a`` (batched); ``b`` is a
    vector when 1-D, otherwise a stack of matrices, as in NumPy 2.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.solve(ndgrad.tensor([[2.0, 0.0], [0.0, 4.0]]), [1.0, 1.0]).tolist()
        [0.5, 0.25]
    """
    a, b = as_input(a), as_input(b)
    _check_square("solve", a)
    sa, sb = np.shape(data_of(a)), np.shape(data_of(b))
    rows = sb[0] if len(sb) == 1 else (sb[-2] if len(sb) >= 2 else None)
    if rows != sa[-1]:
        raise shape_error("solve", [data_of(a), data_of(b)],
                          f"a of shape {sa} needs b of shape ({sa[-1]},) or (..., {sa[-1]}, k), "
                          f"got shape {sb}")
    return _solve(a, b)


def _pinv_params(rcond, rtol):
    params = {} if rcond is None else {"rcond": rcond}
    if rtol is not None:
        params["rtol"] = rtol
    return params


@linalg_primitive(name="pinv", saves_output=True)
def _pinv(a, **params):
    return np.linalg.pinv(a, **params)


@_pinv.defvjp
def _pinv_vjp(g, out, a, **params):
    return _pinv_gradient(g, out, a)


def _pinv_gradient(g, p, a):
    """The gradient for ``a`` of ``P = pinv(a)`` given ``g`` for ``P``:
    ``-P^H g P^H + (I - A P) g^H P P^H + P^H P g^H (I - P A)`` (``^T`` for real ``a``)."""
    ph, gh = _mH(p), _mH(g)
    left = matmul(matmul(gh, p), ph)
    right = matmul(ph, matmul(p, gh))
    grad = -matmul(matmul(ph, g), ph)
    grad = grad + left - matmul(a, matmul(p, left))
    return grad + right - matmul(matmul(right, p), a)


differentiates_complex(_pinv)


@implements(np.linalg.pinv)
def pinv(a, rcond=None, hermitian=False, *, rtol=None):
    """The Moore-Penrose pseudo-inverse (batched), from the SVD with small
    singular values cut off; differentiable where the rank does not change.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.pinv(ndgrad.tensor([[2.0, 0.0], [0.0, 0.0]])).tolist()
        [[0.5, 0.0], [0.0, 0.0]]
    """
    if np.ndim(data_of(as_input(a))) < 2:
        raise shape_error("pinv", [data_of(as_input(a))], "needs a matrix (shape (..., m, n))")
    return _pinv(a, hermitian=hermitian, **_pinv_params(rcond, rtol))


@linalg_primitive(name="lstsq")
def _lstsq_solution(a, b, rcond=None):
    return np.linalg.lstsq(a, b, rcond=rcond)[0]


@_lstsq_solution.defvjp
def _lstsq_vjp(g, out, a, b, *, rcond=None, needs):
    p = pinv(a, rcond=_cutoff(a, rcond))
    vector = b.ndim == 1
    g_matrix = expand_dims(g, -1) if vector else g
    b_matrix = expand_dims(b, -1) if vector else b
    ga = _pinv_gradient(matmul(g_matrix, _mT(b_matrix)), p, a) if needs[0] else None
    gb = matmul(_mT(p), g) if needs[1] else None
    return ga, gb


def _cutoff(a, rcond):
    """``lstsq``'s relative cutoff for small singular values (NumPy's default for None)."""
    if rcond is None or rcond < 0:
        return np.finfo(data_of(a).dtype).eps * max(np.shape(data_of(a)))
    return rcond


@implements(np.linalg.lstsq)
def lstsq(a, b, rcond=None):
    """The least-squares solution of ``a @ x = b``: ``(x, residuals, rank, s)``
    as in NumPy; ``x``, ``residuals`` and ``s`` carry gradients.

    Example:
        >>> import ndgrad
        >>> a = ndgrad.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
        >>> x, residuals, rank, s = ndgrad.linalg.lstsq(a, [1.0, 2.0, 3.0])
        >>> x.tolist(), residuals.tolist(), rank
        ([1.0, 2.0], [9.0], 2)
    """
    from .decompositions import svdvals
    a, b = as_input(a), as_input(b)
    sa, sb = np.shape(data_of(a)), np.shape(data_of(b))
    if len(sa) != 2 or len(sb) not in (1, 2) or sb[0] != sa[0]:
        raise shape_error("lstsq", [data_of(a), data_of(b)],
                          f"a of shape (m, n) needs b of shape (m,) or (m, k); got {sa} and {sb}")
    x = _lstsq_solution(a, b, rcond=rcond)
    values = np.linalg.svd(data_of(a), compute_uv=False)
    rank = int(np.sum(values > _cutoff(a, rcond) * values.max(initial=0)))
    if rank == sa[1] and sa[0] > sa[1]:
        residual = b - matmul(a, x)
        residuals = (residual * residual).sum(axis=0)
        residuals = reshape(residuals, (1,)) if len(sb) == 1 else residuals
    else:
        residuals = Tensor._wrap(np.zeros(0, dtype=x.dtype))
    return x, residuals, rank, svdvals(a)


matrix_rank = implements(np.linalg.matrix_rank)(
    nondifferentiable(np.linalg.matrix_rank, "matrix_rank"))
