"""``torch.linalg``: ndgrad's linear algebra (``ndgrad.linalg``), with
PyTorch's ``dim``/``keepdim`` where the names differ.

Example:
    >>> import ndgrad.torch as torch
    >>> a = torch.tensor([[2.0, 0.0], [0.0, 4.0]])
    >>> torch.linalg.inv(a).tolist(), torch.linalg.vector_norm(a, dim=1).tolist()
    ([[0.5, 0.0], [0.0, 0.25]], [2.0, 4.0])
"""

from .. import linalg as _core
from ._unsupported import unsupported

SAME_AS_CORE = ("cholesky", "det", "eig", "eigvals", "eigh", "eigvalsh", "inv", "matrix_power",
                "qr", "slogdet", "solve", "svd", "svdvals", "multi_dot", "lstsq", "cond",
                "matrix_rank", "tensorinv")
globals().update({name: getattr(_core, name) for name in SAME_AS_CORE})

__all__ = [*SAME_AS_CORE, "norm", "vector_norm", "matrix_norm", "cross", "vecdot", "pinv",
           "tensorsolve"]


def norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """A vector norm (1-D, or one ``dim``) or a matrix norm (2-D, or two dims);
    the 2-norm of all elements when ``ord`` and ``dim`` are None.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.linalg.norm(torch.tensor([[3.0, 4.0]]), dim=1).tolist()
        [5.0]
    """
    axis = tuple(dim) if isinstance(dim, (list, tuple)) else dim
    x = A if dtype is None else A.astype(dtype)
    return _core.norm(x, ord=ord, axis=axis, keepdims=keepdim)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, out=None, dtype=None):
    """The ``ord``-norm of ``x`` as vectors along ``dim`` (all elements when None).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.linalg.vector_norm(torch.tensor([1.0, -2.0]), ord=1).item()
        3.0
    """
    axis = tuple(dim) if isinstance(dim, (list, tuple)) else dim
    x = x if dtype is None else x.astype(dtype)
    return _core.vector_norm(x, axis=axis, keepdims=keepdim, ord=ord)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, out=None, dtype=None):
    """The ``ord``-norm of the matrices in the last two dims.

    Example:
        >>> import ndgrad.torch as torch
        >>> f"{torch.linalg.matrix_norm(torch.eye(2)).item():.4f}"
        '1.4142'
    """
    if tuple(dim) not in ((-2, -1), (A.ndim - 2, A.ndim - 1)):
        raise ValueError(f"torch.linalg.matrix_norm: only the last two dims are supported; got "
                         f"dim={dim} (move the matrix dims last with torch.movedim)")
    x = A if dtype is None else A.astype(dtype)
    return _core.matrix_norm(x, keepdims=keepdim, ord=ord)


def cross(input, other, *, dim=-1, out=None):
    """The cross product of 3-vectors along ``dim``.

    Example:
        >>> import ndgrad.torch as torch
        >>> x, y = torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.0, 1.0, 0.0])
        >>> torch.linalg.cross(x, y).tolist()
        [0.0, 0.0, 1.0]
    """
    return _core.cross(input, other, axis=dim)


def vecdot(x, y, *, dim=-1, out=None):
    """The dot products of vectors along ``dim``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.linalg.vecdot(torch.ones(2, 3), torch.ones(2, 3)).tolist()
        [3.0, 3.0]
    """
    return _core.vecdot(x, y, axis=dim)


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """The Moore-Penrose pseudo-inverse.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.linalg.pinv(torch.tensor([[2.0, 0.0], [0.0, 0.0]])).tolist()
        [[0.5, 0.0], [0.0, 0.0]]
    """
    if atol is not None:
        raise ValueError("torch.linalg.pinv: atol is not supported; use rtol")
    return _core.pinv(A, hermitian=hermitian, rtol=rtol)


def tensorsolve(A, B, dims=None, *, out=None):
    """The ``X`` with ``tensordot(A, X, X.ndim) == B`` (``dims``: axes of ``A``
    moved to the end first).

    Example:
        >>> import ndgrad.torch as torch
        >>> a = torch.eye(6).reshape(2, 3, 6) * 2
        >>> torch.linalg.tensorsolve(a, torch.ones(2, 3)).tolist()
        [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    """
    return _core.tensorsolve(A, B, axes=dims)


def _logdet(input):
    """``log(det(input))`` (NaN for a negative determinant, as PyTorch).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.logdet(torch.eye(2) * 3).item() == torch.log(torch.tensor(9.0)).item()
        True
    """
    from .. import ops
    return ops.log(_core.det(input))


def _qr(input, some=True):
    """``(Q, R)``: PyTorch's old ``torch.qr`` (``some=False`` is ``mode="complete"``).

    Example:
        >>> import ndgrad.torch as torch
        >>> [t.shape for t in torch.qr(torch.eye(3)[:, :2])]
        [(3, 2), (2, 2)]
    """
    return _core.qr(input, mode="reduced" if some else "complete")


# torch.<name> for the linear algebra that PyTorch also has at the top level.
TOP_LEVEL = {"det": _core.det, "inverse": _core.inv, "slogdet": _core.slogdet,
             "matrix_power": _core.matrix_power, "cholesky": _core.cholesky,
             "pinverse": _core.pinv, "logdet": _logdet, "qr": _qr}

__getattr__ = unsupported(__name__, {
    "lu": "use torch.linalg.solve", "lu_factor": "use torch.linalg.solve",
    "matrix_exp": "not supported (yet)", "householder_product": "use torch.linalg.qr",
})
