"""Complex rows for tests/ops/test_complex_numbers.py: the decompositions (svd,
svdvals, eigh, eigvalsh, eig, eigvals), pinv, the singular-value norms and the
tensor solvers, on complex (and, for eig, real) input.

Singular vectors and eigenvectors are unique only up to a phase (and eig's
eigenvalues come in LAPACK's order): each row is a function that does not
depend on them (|U|^2, reconstructions, f(A) = V f(w) V^-1, symmetric functions
of the eigenvalues), the only kind of loss that has a gradient (the others are
refused: tests/ops/test_complex_decompositions.py).
"""

import numpy as np

import ndgrad.linalg as la

from .complex_harness import ComplexCase, complex_normal, real_normal

try:
    import torch
except ImportError:   # torch is an optional oracle
    torch = None

C, R = complex_normal, real_normal


def _conditioned(rng, shape):
    return complex_normal(rng, shape) + 3 * np.eye(shape[-2], shape[-1])


def _mH(x):
    return x.mH if torch is not None and isinstance(x, torch.Tensor) else np.conj(
        np.swapaxes(x, -1, -2))


def _hermitian(x):
    return x + _mH(x)


def _lib(x):
    """(the linalg namespace, abs) for torch tensors or ndgrad tensors."""
    if torch is not None and isinstance(x, torch.Tensor):
        return torch.linalg, torch.abs
    return la, np.abs


def _svd_invariants(full_matrices=False):
    """|U|^2 and |Vh|^2 (with the singular values as weights), and U diag(S^2) Vh."""
    def function(x):
        linalg, absolute = _lib(x)
        u, s, vh = linalg.svd(x, full_matrices=full_matrices)
        k = s.shape[-1]
        u, vh = u[..., :k], vh[..., :k, :]
        weights = s[..., None, :]
        return ((absolute(u) ** 2 * weights).sum(-1), (absolute(vh) ** 2).sum(-2),
                (u * s[..., None, :] ** 2) @ vh)
    return _flat(function)


def _eigh_invariants(uplo="L"):
    """V diag(w^3) V^H, |V|^2 weighted by w, and the eigenvalues."""
    def function(x):
        linalg, absolute = _lib(x)
        w, v = linalg.eigh(_hermitian(x), UPLO=uplo)
        return (v * w[..., None, :] ** 3) @ _mH(v), (absolute(v) ** 2 * w[..., None, :]), w
    return _flat(function)


def _eig_invariants(x):
    """f(A) = V diag(exp(w)) V^-1 (the matrix exponential), sum_i |w_i| |V_ri|^2,
    and the power sums of the eigenvalues |w|, w^3."""
    linalg, absolute = _lib(x)
    w, v = linalg.eig(x)
    exp_a = (v * _exp(w)[..., None, :]) @ linalg.inv(v)
    weighted = (absolute(v) ** 2 * absolute(w)[..., None, :]).sum(-1)
    return exp_a, weighted, absolute(w).sum(-1), (w ** 3).sum(-1)


def _exp(w):
    return torch.exp(w) if torch is not None and isinstance(w, torch.Tensor) else np.exp(w)


def _flat(function):
    """One tensor of the parts (flattened, joined), complex where one part is."""
    def joined(x):
        parts = function(x)
        if torch is not None and isinstance(x, torch.Tensor):
            dtype = torch.complex128 if any(p.is_complex() for p in parts) else x.dtype
            return torch.cat([p.reshape(-1).to(dtype) for p in parts])
        dtype = np.complex128 if any(p.dtype.kind == "c" for p in parts) else x.dtype
        return np.concatenate([p.reshape(-1).astype(dtype) for p in parts])
    return joined


def _svdvals(x):
    return torch.linalg.svdvals(x) if isinstance(x, torch.Tensor) else la.svdvals(x)


def _matrix_norm(ord):
    def function(x):
        if torch is not None and isinstance(x, torch.Tensor):
            return torch.linalg.matrix_norm(x, ord)
        return np.linalg.norm(x, ord, axis=(-2, -1))
    return function


COMPLEX_LINALG_CASES = [] if torch is None else [
    ComplexCase("svd values", lambda a: np.linalg.svd(a, compute_uv=False), torch.linalg.svdvals,
                [((3, 2), C)]),
    ComplexCase("svdvals batched wide", _svdvals, _svdvals, [((2, 2, 3), C)]),
    ComplexCase("svd invariants tall", _svd_invariants(), _svd_invariants(), [((4, 3), C)]),
    ComplexCase("svd invariants wide batched", _svd_invariants(), _svd_invariants(),
                [((2, 2, 4), C)]),
    ComplexCase("svd invariants square", _svd_invariants(), _svd_invariants(), [((3, 3), C)]),
    ComplexCase("svd full_matrices", _svd_invariants(True), _svd_invariants(True),
                [((4, 2), C)]),
    ComplexCase("eigh invariants", _eigh_invariants(), _eigh_invariants(), [((3, 3), C)]),
    ComplexCase("eigh invariants upper batched", _eigh_invariants("U"), _eigh_invariants("U"),
                [((2, 3, 3), C)]),
    ComplexCase("eigvalsh", lambda a: np.linalg.eigvalsh(_hermitian(a)),
                lambda a: torch.linalg.eigvalsh(_hermitian(a)), [((3, 3), C)]),
    ComplexCase("eig invariants", _flat(_eig_invariants), _flat(_eig_invariants),
                [((3, 3), C)]),
    ComplexCase("eig invariants batched", _flat(_eig_invariants), _flat(_eig_invariants),
                [((2, 3, 3), C)]),
    ComplexCase("eig invariants real input", _flat(_eig_invariants), _flat(_eig_invariants),
                [((4, 4), R)]),
    ComplexCase("eigvals power sums", lambda a: (np.linalg.eigvals(a) ** 2).sum(-1),
                lambda a: (torch.linalg.eigvals(a) ** 2).sum(-1), [((3, 3), C)]),
    ComplexCase("pinv tall", np.linalg.pinv, torch.linalg.pinv, [((3, 2), C)]),
    ComplexCase("pinv wide batched", np.linalg.pinv, torch.linalg.pinv, [((2, 2, 3), C)]),
    ComplexCase("norm nuc", _matrix_norm("nuc"), _matrix_norm("nuc"), [((3, 2), C)]),
    ComplexCase("norm 2", _matrix_norm(2), _matrix_norm(2), [((2, 3), C)]),
    ComplexCase("norm -2 batched", _matrix_norm(-2), _matrix_norm(-2), [((2, 3, 3), C)]),
    ComplexCase("cond", np.linalg.cond, torch.linalg.cond, [((3, 3), C)]),
    ComplexCase("tensorinv", lambda a: np.linalg.tensorinv(a, ind=1),
                lambda a: torch.linalg.tensorinv(a, ind=1), [((4, 2, 2), _conditioned)]),
    ComplexCase("tensorsolve", np.linalg.tensorsolve, torch.linalg.tensorsolve,
                [((2, 3, 6), _conditioned), ((2, 3), C)]),
]
