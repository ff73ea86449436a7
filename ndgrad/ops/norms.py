"""Vector and matrix norms: ``norm``, ``vector_norm``, ``matrix_norm``, ``cond``.

The p-norms (the 2-norm and the Frobenius norm among them) are one primitive
whose gradient is ``g * sign(x) |x|^(p-1) / ||x||^(p-1)`` (``g * x / ||x||``
for p = 2); at ``x = 0`` the division is by 1 instead of 0, so the gradient
of the norm of a zero vector is zero, not NaN. For p < 1 it is PyTorch's
``g * sign(x) |x|^(p-1) ||x||^(1-p)``, zero at the elements that are zero.
The max/min norms, the matrix 1- and inf-norms and the spectral and nuclear
norms (from the singular values) are built from ``abs``, ``sum``, ``max`` and
``svdvals``.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([3.0, 4.0])
    >>> ndgrad.norm(x).backward()
    >>> [round(v, 6) for v in x.grad.tolist()]
    [0.6, 0.8]
"""

import numpy as np

from ..autograd.primitive import as_input, data_of, primitive
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import Tensor
from .complex_numbers import differentiates_complex
from .elementwise import abs as _abs
from .linear_systems import inv, numpy_linalg
from .elementwise import sign
from .reduce import max as _max
from .reduce import min as _min
from .reduce import sum as _sum
from .selection import where
from .shape import broadcast_to, moveaxis, reshape

__all__ = ["norm", "vector_norm", "matrix_norm", "cond"]


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


@primitive(name="norm", saves_output=True)
def _power_norm(x, ord, axes, keepdims):
    magnitude = np.abs(x)
    if ord == 2:
        return np.sqrt(np.sum(magnitude * magnitude, axis=axes, keepdims=keepdims))
    if ord == 1:
        return np.sum(magnitude, axis=axes, keepdims=keepdims)
    return np.sum(magnitude ** ord, axis=axes, keepdims=keepdims) ** (1.0 / ord)


@_power_norm.defvjp
def _power_norm_vjp(g, out, x, ord, axes, keepdims):
    kept = _kept_shape(x.shape, axes)
    g, out = reshape(g, kept), reshape(out, kept)
    if ord == 1:
        return broadcast_to(g, x.shape) * _unit(x)
    if ord < 1:     # PyTorch's rule: zero where x = 0, where |x|^(p-1) is infinite
        zero = data_of(x) == 0
        magnitude = where(zero, 1, _abs(x)) ** (ord - 1)
        return g * _unit(x) * where(zero, 0, magnitude) * out ** (1 - ord)
    safe = where(data_of(out) == 0, 1, out)     # ||x|| = 0 only where x = 0: gradient 0
    if ord == 2:
        return g * x / safe
    return g * _unit(x) * _abs(x) ** (ord - 1) / safe ** (ord - 1)


def _unit(x):
    """d|x|/dx in PyTorch's convention: sign(x) for real x, x / |x| for complex x
    (0 where x = 0)."""
    if data_of(x).dtype.kind != "c":
        return sign(x)
    magnitude = _abs(x)
    zero = data_of(magnitude) == 0
    return where(zero, 0, x / where(zero, 1, magnitude))


differentiates_complex(_power_norm)     # a real norm of complex numbers; see _unit


def _vector(x, ord, axes, keepdims):
    """The ``ord`` norm of the vectors spanning ``axes`` (a tuple of axes)."""
    ord = _plain(ord)
    if ord is None:
        ord = 2
    if isinstance(ord, str):
        raise ValueError(f"norm: ord={ord!r} is a matrix norm; vector norms take a number")
    if ord == np.inf:
        return _max(_abs(x), axis=axes, keepdims=keepdims)
    if ord == -np.inf:
        return _min(_abs(x), axis=axes, keepdims=keepdims)
    if ord == 0:    # the count of non-zeros: piecewise constant, no gradient
        data = data_of(x)
        return Tensor._wrap(np.asarray(
            np.sum(data != 0, axis=axes, keepdims=keepdims), dtype=_float(data.dtype)))
    return _power_norm(x, ord=ord, axes=axes, keepdims=keepdims)


def _plain(ord):
    """A NumPy scalar ``ord`` as a Python number, so it cannot promote float32."""
    return ord.item() if isinstance(ord, np.generic) else ord


def _float(dtype):
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


def _matrix(x, ord, axes, keepdims):
    """The ``ord`` norm of the matrices over ``axes`` (rows, columns)."""
    ord = _plain(ord)
    rows, columns = axes
    if ord in (None, "fro"):
        return _power_norm(x, ord=2, axes=tuple(sorted(axes)), keepdims=keepdims)
    if ord in ("nuc", 2, -2):
        from .decompositions import svdvals
        values = svdvals(moveaxis(x, (rows, columns), (-2, -1)))
        result = (_sum(values, axis=-1) if ord == "nuc"
                  else _max(values, axis=-1) if ord == 2 else _min(values, axis=-1))
    elif ord in (1, -1, np.inf, -np.inf):
        summed, across = (rows, columns) if ord in (1, -1) else (columns, rows)
        totals = _sum(_abs(x), axis=summed, keepdims=True)
        pick = _max if ord > 0 else _min
        result = reshape(pick(totals, axis=across, keepdims=True),
                         tuple(n for i, n in enumerate(totals.shape) if i not in axes))
    else:
        raise ValueError(f"norm: invalid ord={ord!r} for a matrix norm; use None, 'fro', "
                         "'nuc', 1, -1, 2, -2, inf or -inf")
    if keepdims:
        result = reshape(result, _kept_shape(x.shape, axes))
    return result


def _normalize_axes(name, x, axis):
    ndim = np.ndim(data_of(x))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    if any(not -ndim <= a < ndim for a in axes):
        raise shape_error(name, [data_of(x)], f"axis {axis} is out of range for "
                          f"{ndim} dimensions")
    axes = tuple(int(a) % ndim for a in axes)
    if len(set(axes)) != len(axes):
        raise shape_error(name, [data_of(x)], f"axis {axis} repeats an axis")
    return axes


@implements(np.linalg.norm)
def norm(x, ord=None, axis=None, keepdims=False):
    """A vector norm (``axis`` an int, or a 1-D ``x``) or a matrix norm
    (``axis`` a pair, or a 2-D ``x`` with ``ord`` given), as ``numpy.linalg.norm``;
    with ``ord`` and ``axis`` both None, the 2-norm of all elements.

    Vector ``ord``: any number, ``inf``, ``-inf``, 0 (the count of non-zeros).
    Matrix ``ord``: None or 'fro', 'nuc', 1, -1, 2, -2, ``inf``, ``-inf``.

    Example:
        >>> import ndgrad
        >>> ndgrad.norm(ndgrad.tensor([3.0, -4.0])).item()
        5.0
        >>> ndgrad.norm(ndgrad.tensor([[1.0, -2.0], [3.0, 4.0]]), ord=1).item()
        6.0
    """
    x = as_input(x)
    ndim = np.ndim(data_of(x))
    if axis is None:
        if ord is None:
            return _power_norm(x, ord=2, axes=tuple(range(ndim)), keepdims=keepdims)
        if ndim not in (1, 2):
            raise shape_error("norm", [data_of(x)], "with ord given and axis=None, x must be "
                              "1-D or 2-D; pass axis")
        axis = tuple(range(ndim))
    axes = _normalize_axes("norm", x, axis)
    if len(axes) == 1:
        return _vector(x, ord, axes, keepdims)
    if len(axes) == 2:
        return _matrix(x, ord, axes, keepdims)
    raise shape_error("norm", [data_of(x)], f"axis {axis}: give one axis (a vector norm) or "
                      "two (a matrix norm)")


@implements(*numpy_linalg("vector_norm"))
def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """The ``ord`` vector norm over ``axis`` (all axes by default, or a tuple of
    axes taken as one vector).

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.vector_norm(ndgrad.ones((2, 2)), ord=1).item()
        4.0
    """
    x = as_input(x)
    axes = (tuple(range(np.ndim(data_of(x)))) if axis is None
            else _normalize_axes("vector_norm", x, axis))
    return _vector(x, ord, axes, keepdims)


@implements(*numpy_linalg("matrix_norm"))
def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """The ``ord`` matrix norm of the matrices in the last two axes.

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.matrix_norm(ndgrad.tensor([[3.0, 0.0], [0.0, 4.0]]), ord=2).item()
        4.0
    """
    x = as_input(x)
    ndim = np.ndim(data_of(x))
    if ndim < 2:
        raise shape_error("matrix_norm", [data_of(x)], "needs a matrix (shape (..., m, n))")
    return _matrix(x, ord, (ndim - 2, ndim - 1), keepdims)


@implements(np.linalg.cond)
def cond(x, p=None):
    """The condition number of matrices in norm ``p`` (the 2-norm by default:
    the ratio of the largest to the smallest singular value).

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.cond(ndgrad.tensor([[4.0, 0.0], [0.0, 2.0]])).item()
        2.0
    """
    from .decompositions import svdvals
    x = as_input(x)
    if p in (None, 2, -2):
        values = svdvals(x)
        ratio = _max(values, axis=-1) / _min(values, axis=-1)
        return ratio if p in (None, 2) else 1 / ratio
    return matrix_norm(x, ord=p) * matrix_norm(inv(x), ord=p)
