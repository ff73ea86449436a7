"""Table entries for the linear-algebra ops: products, einsum, diagonals,
inverses and solvers, decompositions and norms.

Decompositions get well-conditioned inputs: ``spd(x) = x x^T + n I`` for the
symmetric positive-definite ones, ``symmetric(x)`` for eigh, and matrices near
the identity for inverses. Eigenvectors and singular vectors are compared
through sign-invariant functions of them (``v * v``, ``U @ Vh``), since their
signs are a convention of the LAPACK routine.
"""

import numpy as np

import ndgrad
import ndgrad.linalg as la

from .harness import OpCase, distinct, normal

try:
    import torch
except ImportError:
    torch = None


def conditioned(rng, shape):
    """Matrices near the identity: well away from singular."""
    return rng.standard_normal(shape) * 0.3 + np.eye(shape[-2], shape[-1])


def spd(x):
    """``x x^T + n I`` for ndgrad tensors, NumPy arrays and torch tensors alike."""
    n = x.shape[-1]
    eye = torch.eye(n) if torch is not None and isinstance(x, torch.Tensor) else np.eye(
        n, dtype=x.dtype)
    return x @ _mT(x) + n * eye


def symmetric(x):
    return (x + _mT(x)) * 0.5


def _mT(x):
    return x.mT if hasattr(x, "mT") else np.swapaxes(x, -1, -2)   # NumPy < 2 has no .mT


def _t(name):
    """A function of the torch namespace by dotted name, or None without torch."""
    if torch is None:
        return None
    target = torch
    for part in name.split("."):
        target = getattr(target, part)
    return target


def _dot_axes(a, b):
    return [a.ndim - 1], [max(b.ndim - 2, 0)]


def _squares(pair):
    return [p * p for p in pair]


def _eig_exp(x):
    """``V diag(exp(w)) V^-1`` (the matrix exponential, real for real ``x``): a
    function of eig's results that does not depend on their order or phases."""
    if torch is not None and isinstance(x, torch.Tensor):
        w, v = torch.linalg.eig(x)
        return torch.real((v * torch.exp(w)[..., None, :]) @ torch.linalg.inv(v))
    w, v = np.linalg.eig(x)         # ndgrad's on ndgrad tensors
    return np.real((v * np.exp(w)[..., None, :]) @ np.linalg.inv(v))


def _eigvals_moduli(x):
    if torch is not None and isinstance(x, torch.Tensor):
        return torch.abs(torch.linalg.eigvals(x)).sum(-1)
    return np.abs(np.linalg.eigvals(x)).sum(-1)


def _svd_products(decomposition):
    u, s, vh = decomposition
    return u @ vh, u * u, vh * vh, s


PRODUCTS = [
    OpCase("matmul", ndgrad.matmul, np.matmul, torch=_t("matmul"),
           shapes=[((2, 3), (3, 4)), ((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)),
                   ((2, 2, 3), (3, 4)), ((2, 1, 2, 3), (3, 3, 2)), ((0, 3), (3, 2))]),
    OpCase("dot", ndgrad.dot, np.dot,
           shapes=[((3,), (3,)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((3,), (3, 4)),
                   ((2, 2, 3), (4, 3, 2)), ((), (3,)), ((2, 3), ()), ((0,), (0,))],
           torch=lambda a, b: (a * b if a.ndim == 0 or b.ndim == 0
                               else torch.tensordot(a, b, dims=_dot_axes(a, b)))),
    OpCase("dot_vectors", ndgrad.dot, np.dot, shapes=[((3,), (3,))], torch=_t("dot")),
    OpCase("vdot", ndgrad.vdot, np.vdot, shapes=[((4,), (4,)), ((2, 3), (3, 2))],
           torch=lambda a, b: torch.vdot(a.reshape(-1), b.reshape(-1))),
    OpCase("inner", ndgrad.inner, np.inner, torch=_t("inner"),
           shapes=[((3,), (3,)), ((2, 3), (4, 3)), ((2, 2, 3), (3,)), ((), (2,))]),
    OpCase("outer", ndgrad.outer, np.outer, shapes=[((3,), (4,)), ((2, 2), (3,)), ((0,), (2,))],
           torch=lambda a, b: torch.outer(a.reshape(-1), b.reshape(-1))),
    OpCase("tensordot", ndgrad.tensordot, np.tensordot, torch=_t("tensordot"),
           shapes=[((2, 3, 4), (3, 4, 5)), ((3, 4), (3, 4))]),
    OpCase("tensordot_axes", lambda a, b: ndgrad.tensordot(a, b, axes=([1, 0], [0, 2])),
           lambda a, b: np.tensordot(a, b, axes=([1, 0], [0, 2])),
           shapes=[((3, 2, 4), (2, 5, 3)), ((3, 2), (2, 4, 3))],
           torch=lambda a, b: torch.tensordot(a, b, dims=([1, 0], [0, 2]))),
    OpCase("tensordot_zero", lambda a, b: ndgrad.tensordot(a, b, axes=0),
           lambda a, b: np.tensordot(a, b, axes=0), shapes=[((2,), (3,)), ((), (2, 2))]),
    OpCase("kron", ndgrad.kron, np.kron, torch=_t("kron"),
           shapes=[((2,), (3,)), ((2, 2), (3, 1)), ((2,), (2, 3)), ((2, 1, 2), (2, 2))]),
    OpCase("cross", ndgrad.cross, np.cross,
           torch=lambda a, b: torch.linalg.cross(*torch.broadcast_tensors(a, b)),
           shapes=[((3,), (3,)), ((4, 3), (4, 3)), ((2, 3), (3,))]),
    OpCase("cross_axis", lambda a, b: ndgrad.cross(a, b, axis=0),
           lambda a, b: np.cross(a, b, axis=0), shapes=[((3, 2), (3, 2))]),
]


def einsum_case(subscripts, shapes, name=None, use_torch=True):
    return OpCase(f"einsum_{name or subscripts}",
                  lambda *xs: ndgrad.einsum(subscripts, *xs),
                  lambda *xs: np.einsum(subscripts, *xs), shapes=[shapes],
                  torch=(lambda *xs: torch.einsum(subscripts, *xs)) if use_torch else None)


EINSUM = [
    einsum_case("ij,jk->ik", ((2, 3), (3, 4)), "matmul"),
    einsum_case("ij,jk", ((2, 3), (3, 4)), "implicit"),
    einsum_case("ij->ji", ((2, 3),), "transpose"),
    einsum_case("ij->", ((2, 3),), "sum"),
    einsum_case("ij->i", ((2, 3),), "row_sum"),
    einsum_case("i,i", ((3,), (3,)), "inner"),
    einsum_case("i,j->ij", ((2,), (3,)), "outer"),
    einsum_case("ii->i", ((3, 3),), "diagonal"),
    einsum_case("ii", ((3, 3),), "trace"),
    einsum_case("iij->j", ((2, 2, 3),), "partial_trace"),
    einsum_case("iii->", ((2, 2, 2),), "triple_diagonal"),
    einsum_case("ij,ij->ij", ((2, 3), (2, 3)), "hadamard"),
    einsum_case("bij,bjk->bik", ((2, 2, 3), (2, 3, 4)), "batched"),
    einsum_case("ij,jk,kl->il", ((2, 3), (3, 4), (4, 2)), "chain"),
    einsum_case("...ij,...jk->...ik", ((2, 1, 2, 3), (4, 3, 2)), "ellipsis_broadcast"),
    einsum_case("...i,...i", ((2, 3), (3,)), "ellipsis_implicit"),
    einsum_case("i...->...", ((2, 3, 2),), "ellipsis_sum"),
    einsum_case("ij,j->i", ((2, 1), (3,)), "size_one_broadcast", use_torch=False),
    einsum_case("ii,ij->j", ((3, 3), (3, 2)), "diagonal_times"),
    einsum_case("ij,ij->", ((0, 3), (0, 3)), "empty"),
]

DIAGONALS = [
    OpCase("trace", ndgrad.trace, np.trace, shapes=[((3, 3),), ((2, 3),)], torch=_t("trace")),
    OpCase("trace_offset", lambda x: ndgrad.trace(x, offset=1, axis1=1, axis2=2),
           lambda x: np.trace(x, offset=1, axis1=1, axis2=2), shapes=[((2, 3, 4),), ((2, 2, 1),)]),
    OpCase("diagonal", ndgrad.diagonal, np.diagonal, shapes=[((3, 3),), ((3, 4),), ((2, 3, 4),)],
           torch=_t("diagonal")),
    OpCase("diagonal_offset", lambda x: ndgrad.diagonal(x, -1, 0, 2),
           lambda x: np.diagonal(x, -1, 0, 2), shapes=[((3, 2, 4),), ((1, 2, 1),)],
           torch=lambda x: torch.diagonal(x, -1, 0, 2)),
    OpCase("diag_vector", lambda v: ndgrad.diag(v, 1), lambda v: np.diag(v, 1),
           shapes=[((3,),), ((0,),)], torch=lambda v: torch.diag(v, 1)),
    OpCase("diag_matrix", lambda x: ndgrad.diag(x, -1), lambda x: np.diag(x, -1),
           shapes=[((3, 3),), ((3, 2),)], torch=lambda x: torch.diag(x, -1)),
    OpCase("linalg_trace", la.trace, lambda x: np.trace(x, axis1=-2, axis2=-1),
           shapes=[((2, 3, 3),)],
           torch=lambda x: torch.diagonal(x, 0, -2, -1).sum(-1)),
    OpCase("linalg_diagonal", la.diagonal, lambda x: np.diagonal(x, 0, -2, -1),
           shapes=[((2, 3, 4),)]),
    OpCase("vecdot", la.vecdot, lambda a, b: np.sum(a * b, axis=-1), shapes=[((2, 3), (3,))],
           torch=_t("linalg.vecdot")),
]

SQUARE = [((3, 3),), ((2, 3, 3),), ((1, 1),)]

SYSTEMS = [
    OpCase("inv", la.inv, np.linalg.inv, shapes=SQUARE, domain=conditioned,
           torch=_t("linalg.inv")),
    OpCase("det", la.det, np.linalg.det, shapes=SQUARE, domain=conditioned,
           torch=_t("linalg.det")),
    OpCase("slogdet", la.slogdet, np.linalg.slogdet, shapes=SQUARE[:2], domain=conditioned),
    OpCase("slogdet_logabsdet", lambda x: la.slogdet(x)[1], lambda x: np.linalg.slogdet(x)[1],
           shapes=SQUARE, domain=conditioned, torch=lambda x: torch.linalg.slogdet(x)[1]),
    OpCase("solve", la.solve, np.linalg.solve, domain=[conditioned, normal],
           shapes=[((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1)),
                   ((2, 3, 3), (3,)), ((2, 3, 3), (3, 2))],
           torch=_t("linalg.solve")),
    OpCase("pinv", la.pinv, np.linalg.pinv, shapes=[((3, 2),), ((2, 3),), ((2, 4, 3),)],
           torch=_t("linalg.pinv")),
    OpCase("tensorinv", lambda x: la.tensorinv(x, ind=1), lambda x: np.linalg.tensorinv(x, ind=1),
           shapes=[((6, 2, 3),)], domain=conditioned,
           torch=lambda x: torch.linalg.tensorinv(x, ind=1)),
    OpCase("tensorinv_ind_2", la.tensorinv, np.linalg.tensorinv, shapes=[((2, 2, 4),)],
           domain=lambda rng, shape: conditioned(rng, (4, 4)).reshape(shape)),
    OpCase("tensorsolve", la.tensorsolve, np.linalg.tensorsolve, domain=[conditioned, normal],
           shapes=[((6, 2, 3), (6,)), ((2, 3, 6), (2, 3))], torch=_t("linalg.tensorsolve")),
    OpCase("tensorsolve_axes", lambda a, b: la.tensorsolve(a, b, axes=(0,)),
           lambda a, b: np.linalg.tensorsolve(a, b, axes=(0,)), domain=[conditioned, normal],
           shapes=[((3, 3), (3,))], torch=lambda a, b: torch.linalg.tensorsolve(a, b, dims=(0,))),
    OpCase("lstsq", lambda a, b: la.lstsq(a, b)[0], lambda a, b: np.linalg.lstsq(a, b)[0],
           shapes=[((4, 3), (4,)), ((4, 3), (4, 2)), ((2, 3), (2,))],
           torch=lambda a, b: torch.linalg.lstsq(a, b.unsqueeze(-1) if b.ndim == 1 else b,
                                                 driver="gelsd").solution.reshape(
               a.shape[1:] + b.shape[1:])),
    OpCase("lstsq_residuals", lambda a, b: la.lstsq(a, b)[1],
           lambda a, b: np.linalg.lstsq(a, b)[1], shapes=[((4, 2), (4,)), ((5, 3), (5, 2))]),
    OpCase("matrix_power", lambda x: la.matrix_power(x, 3), lambda x: np.linalg.matrix_power(x, 3),
           shapes=SQUARE[:2], domain=conditioned,
           torch=lambda x: torch.linalg.matrix_power(x, 3)),
    OpCase("matrix_power_negative", lambda x: la.matrix_power(x, -2),
           lambda x: np.linalg.matrix_power(x, -2), shapes=SQUARE[:2], domain=conditioned,
           torch=lambda x: torch.linalg.matrix_power(x, -2)),
    OpCase("matrix_power_zero", lambda x: la.matrix_power(x, 0),
           lambda x: np.linalg.matrix_power(x, 0), shapes=SQUARE[:1], domain=conditioned),
    OpCase("multi_dot", lambda a, b, c: la.multi_dot([a, b, c]),
           lambda a, b, c: np.linalg.multi_dot([a, b, c]),
           shapes=[((4, 2), (2, 5), (5, 3)), ((3,), (3, 4), (4,)), ((2, 6), (6, 1), (1, 5))],
           torch=lambda a, b, c: torch.linalg.multi_dot([a, b, c])),
]

DECOMPOSITIONS = [
    OpCase("cholesky", lambda x: la.cholesky(spd(x)), lambda x: np.linalg.cholesky(spd(x)),
           shapes=SQUARE, torch=lambda x: torch.linalg.cholesky(spd(x))),
    OpCase("cholesky_upper", lambda x: la.cholesky(spd(x), upper=True),
           lambda x: _mT(np.linalg.cholesky(spd(x))), shapes=SQUARE[:2],
           torch=lambda x: torch.linalg.cholesky(spd(x), upper=True)),
    OpCase("eigvalsh", lambda x: la.eigvalsh(symmetric(x)),
           lambda x: np.linalg.eigvalsh(symmetric(x)), shapes=SQUARE,
           torch=lambda x: torch.linalg.eigvalsh(symmetric(x))),
    OpCase("eigh_values", lambda x: la.eigh(symmetric(x))[0],
           lambda x: np.linalg.eigh(symmetric(x))[0], shapes=SQUARE[:2],
           torch=lambda x: torch.linalg.eigh(symmetric(x))[0]),
    OpCase("eigh_vectors", lambda x: _squares(la.eigh(symmetric(x))),
           lambda x: _squares(np.linalg.eigh(symmetric(x))), shapes=SQUARE[:2]),
    OpCase("eigh_vectors_torch", lambda x: la.eigh(symmetric(x))[1] ** 2,
           lambda x: np.linalg.eigh(symmetric(x))[1] ** 2, shapes=SQUARE[:2],
           torch=lambda x: torch.linalg.eigh(symmetric(x))[1] ** 2),
    OpCase("eigh_upper", lambda x: _squares(la.eigh(symmetric(x), UPLO="U")),
           lambda x: _squares(np.linalg.eigh(symmetric(x), UPLO="U")), shapes=SQUARE[:1]),
    OpCase("eig_exp", _eig_exp, _eig_exp, shapes=SQUARE[:2], torch=_eig_exp),
    OpCase("eigvals_moduli", _eigvals_moduli, _eigvals_moduli, shapes=SQUARE[:2],
           torch=_eigvals_moduli),
    OpCase("svdvals", lambda x: la.svd(x, compute_uv=False),
           lambda x: np.linalg.svd(x, compute_uv=False),
           shapes=[((3, 2),), ((2, 3),), ((2, 3, 3),)], torch=_t("linalg.svdvals")),
    OpCase("svd", lambda x: _svd_products(la.svd(x, full_matrices=False)),
           lambda x: _svd_products(np.linalg.svd(x, full_matrices=False)),
           shapes=[((4, 3),), ((3, 4),), ((3, 3),), ((2, 4, 3),)]),
    OpCase("svd_polar_torch", lambda x: _svd_products(la.svd(x, full_matrices=False))[0],
           lambda x: _svd_products(np.linalg.svd(x, full_matrices=False))[0],
           shapes=[((4, 3),), ((3, 4),)],
           torch=lambda x: _svd_products(torch.linalg.svd(x, full_matrices=False))[0]),
    OpCase("svd_full_values", lambda x: la.svd(x)[1], lambda x: np.linalg.svd(x)[1],
           shapes=[((4, 3),)]),
    OpCase("qr", la.qr, np.linalg.qr, shapes=[((4, 3),), ((3, 3),), ((3, 5),), ((2, 4, 3),)],
           domain=conditioned),
    OpCase("qr_q_torch", lambda x: la.qr(x)[0], lambda x: np.linalg.qr(x)[0],
           shapes=[((4, 3),), ((3, 5),)], domain=conditioned,
           torch=lambda x: torch.linalg.qr(x)[0]),
    OpCase("qr_r_torch", lambda x: la.qr(x, mode="r"), lambda x: np.linalg.qr(x, mode="r"),
           shapes=[((4, 3),), ((3, 5),)], domain=conditioned,
           torch=lambda x: torch.linalg.qr(x)[1]),
    OpCase("qr_complete_square", lambda x: la.qr(x, mode="complete"),
           lambda x: np.linalg.qr(x, mode="complete"), shapes=[((3, 5),)], domain=conditioned),
]

NORMS = [
    OpCase("norm", ndgrad.norm, np.linalg.norm,
           shapes=[((3,),), ((2, 3),), ((2, 1, 3),), ((0,),)], torch=_t("linalg.norm")),
    OpCase("norm_axis_keepdims", lambda x: ndgrad.norm(x, axis=1, keepdims=True),
           lambda x: np.linalg.norm(x, axis=1, keepdims=True), shapes=[((2, 3),), ((2, 3, 2),)],
           torch=lambda x: torch.linalg.norm(x, dim=1, keepdim=True)),
    OpCase("norm_ord_1", lambda x: ndgrad.norm(x, 1, axis=-1), lambda x: np.linalg.norm(x, 1, -1),
           shapes=[((3,),), ((2, 3),)], second_order=False,
           torch=lambda x: torch.linalg.vector_norm(x, 1, dim=-1)),
    OpCase("norm_ord_3", lambda x: ndgrad.norm(x, 3), lambda x: np.linalg.norm(x, 3),
           shapes=[((3,),)], torch=lambda x: torch.linalg.vector_norm(x, 3)),
    OpCase("norm_ord_half", lambda x: ndgrad.norm(x, 0.5), lambda x: np.linalg.norm(x, 0.5),
           shapes=[((3,),)], domain=distinct),
    OpCase("norm_ord_inf", lambda x: ndgrad.norm(x, np.inf), lambda x: np.linalg.norm(x, np.inf),
           shapes=[((4,),)], domain=distinct, second_order=False,
           torch=lambda x: torch.linalg.vector_norm(x, float("inf"))),
    OpCase("norm_ord_minus_inf", lambda x: ndgrad.norm(x, -np.inf, axis=0),
           lambda x: np.linalg.norm(x, -np.inf, axis=0), shapes=[((4, 2),)], domain=distinct,
           second_order=False),
    OpCase("norm_ord_0", lambda x: ndgrad.norm(x, 0), lambda x: np.linalg.norm(x, 0),
           shapes=[((4,),)], grad=False),
    OpCase("vector_norm", lambda x: la.vector_norm(x, axis=(0, 2)),
           lambda x: np.sqrt(np.sum(x * x, axis=(0, 2))), shapes=[((2, 3, 2),)],
           torch=lambda x: torch.linalg.vector_norm(x, dim=(0, 2))),
]


def matrix_norm_case(ord, domain=normal, second_order=True):
    return OpCase(f"norm_matrix_{ord}", lambda x: ndgrad.norm(x, ord),
                  lambda x: np.linalg.norm(x, ord), shapes=[((3, 2),), ((2, 3),)],
                  domain=domain, second_order=second_order,
                  torch=lambda x: torch.linalg.matrix_norm(x, ord))


NORMS += [matrix_norm_case(o) for o in ("fro", "nuc", 2, -2)]
NORMS += [matrix_norm_case(o, distinct, False) for o in (1, -1, np.inf, -np.inf)]
NORMS += [
    OpCase("norm_matrix_axes_keepdims", lambda x: ndgrad.norm(x, "nuc", axis=(2, 0), keepdims=True),
           lambda x: np.linalg.norm(x, "nuc", axis=(2, 0), keepdims=True), shapes=[((3, 2, 2),)]),
    OpCase("matrix_norm_batched", lambda x: la.matrix_norm(x, ord=1),
           lambda x: np.linalg.norm(x, 1, axis=(-2, -1)), shapes=[((2, 3, 3),)], domain=distinct,
           second_order=False, torch=lambda x: torch.linalg.matrix_norm(x, 1)),
    OpCase("cond", la.cond, np.linalg.cond, shapes=[((3, 3),), ((2, 3, 2),)],
           torch=_t("linalg.cond")),
    OpCase("cond_fro", lambda x: la.cond(x, "fro"), lambda x: np.linalg.cond(x, "fro"),
           shapes=[((3, 3),)], domain=conditioned),
]

CASES = PRODUCTS + EINSUM + DIAGONALS + SYSTEMS + DECOMPOSITIONS + NORMS
