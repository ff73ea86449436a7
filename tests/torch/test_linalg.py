"""torch.linalg against PyTorch."""

import numpy as np
import pytest

import ndgrad.torch as torch

from .oracle import compare, floats

M = floats(3, 3) + 3 * np.eye(3, dtype=np.float32)
SPD = M @ M.T


# cholesky and eigvalsh read one triangle: ndgrad's gradient for the matrix itself is the
# derivative of what is read, PyTorch's the symmetric one (tests/adversarial/
# test_derivative_edges.py); through a symmetric input built from the leaf they agree.
ONE_TRIANGLE = ("cholesky", "eigvalsh")


def _symmetrized(t, name):
    return lambda a: getattr(t.linalg, name)((a + a.T) / 2)


@pytest.mark.parametrize("name", ["inv", "det", "cholesky", "eigvalsh", "svdvals", "slogdet"])
def test_same_as_core(name):
    call = ((lambda t: _symmetrized(t, name)) if name in ONE_TRIANGLE
            else (lambda t: getattr(t.linalg, name)))
    compare(name, SPD, rtol=1e-4, atol=1e-4, call=call)


@pytest.mark.parametrize("kwargs", [{}, {"ord": 1}, {"dim": 1}, {"ord": 2, "dim": 0,
                                                                  "keepdim": True}])
def test_norms(kwargs):
    compare("norm", M, **kwargs, rtol=1e-4, call=lambda t: t.linalg.norm)
    vector = {("ord" if k == "ord" else k): v for k, v in kwargs.items()}
    compare("vector_norm", M, **vector, rtol=1e-4, call=lambda t: t.linalg.vector_norm)


def test_matrix_norm_cross_vecdot_solve_pinv():
    compare("matrix_norm", M, call=lambda t: t.linalg.matrix_norm, rtol=1e-4)
    compare("matrix_norm", M, ord=1, call=lambda t: t.linalg.matrix_norm, rtol=1e-4)
    compare("cross", floats(2, 3), floats(2, 3, seed=1), dim=-1, call=lambda t: t.linalg.cross)
    compare("vecdot", floats(2, 3), floats(2, 3, seed=1), call=lambda t: t.linalg.vecdot)
    compare("solve", SPD, floats(3, 2), call=lambda t: t.linalg.solve, rtol=1e-4, atol=1e-4)
    compare("pinv", M, call=lambda t: t.linalg.pinv, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="last two dims"):
        torch.linalg.matrix_norm(torch.ones(2, 2, 2), dim=(0, 1))


def test_eig_eigvals_tensorinv_tensorsolve():
    # eig's eigenvectors are unique up to a phase: compare a function that is not
    compare("eigvals", M, call=lambda t: (lambda a: t.abs(t.linalg.eigvals(a))), rtol=1e-4,
            atol=1e-4)
    compare("eig", M, call=lambda t: (lambda a: t.abs(t.linalg.eig(a)[1])), rtol=1e-4,
            atol=1e-4)
    square = floats(6, 2, 3) + np.eye(6, dtype=np.float32).reshape(6, 2, 3) * 3
    compare("tensorinv", square, ind=1, call=lambda t: t.linalg.tensorinv, rtol=1e-4,
            atol=1e-4)
    compare("tensorsolve", square.reshape(2, 3, 6), floats(2, 3),
            call=lambda t: t.linalg.tensorsolve, rtol=1e-4, atol=1e-4)
    compare("tensorsolve", square.reshape(6, 6), floats(6), dims=(0,),
            call=lambda t: t.linalg.tensorsolve, rtol=1e-4, atol=1e-4)
