"""NumPy's polynomial functions on coefficient tensors (highest power first):
``poly``, ``polyadd``, ``polysub``, ``polymul``, ``polydiv``, ``polyder``,
``polyint``, ``polyfit``, ``roots`` and ``vander`` (``polyval`` is in
``ndgrad.ops.statistics``).

All but ``roots`` are compositions of differentiable ops (sums, products,
pads, a least-squares solve), so their gradients, of every order, follow. A
root ``r`` of ``p`` moves by ``-r**(n-1-i) / p'(r)`` per unit of ``p[i]``
(implicit differentiation of ``p(r) = 0``): exact for simple roots; a multiple
root has no derivative. Complex coefficients work where the underlying ops do
(``roots``, ``poly``, ``polyadd``, ``polymul``, ``polyder``...); ``polyfit``
of complex tensors that need a gradient is refused by name (``lstsq``).

Example:
    >>> import numpy as np, ndgrad
    >>> p = ndgrad.Variable([1.0, -3.0, 2.0], dtype="float64")    # (x - 1)(x - 2)
    >>> r = np.roots(p)
    >>> r.tolist()
    [2.0, 1.0]
    >>> r[0].backward(); p.grad.tolist()                         # d(root 2)/dp
    [-4.0, -2.0, -1.0]
"""

import warnings

import numpy as np

from ..autograd.primitive import as_input, data_of, primitive
from ..errors import shape_error
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .arrange import pad
from .complex_numbers import conj, differentiates_complex, real
from .creation import ones, zeros_like
from .diagonals import trace
from .join import concatenate, stack
from .linalg import matmul
from .linear_systems import inv, lstsq
from .shape import flip
from .statistics import convolve

__all__ = ["poly", "polyadd", "polysub", "polymul", "polydiv", "polyder", "polyint",
           "polyfit", "roots", "vander"]


def _coefficients(name, p, ndim=1):
    if isinstance(p, np.poly1d):
        raise TypeError(f"{name}: numpy.poly1d objects are not supported with tensors; pass "
                        "the coefficient array (p.coeffs)")
    p = as_tensor(as_input(p))
    if p.ndim == 0:
        p = p.reshape(1)
    if p.ndim > ndim:
        raise shape_error(name, [p], f"the coefficients must be {ndim}-D")
    return p


def _aligned(name, a1, a2):
    a1, a2 = _coefficients(name, a1), _coefficients(name, a2)
    n1, n2 = a1.shape[0], a2.shape[0]
    return pad(a1, (max(n2 - n1, 0), 0)), pad(a2, (max(n1 - n2, 0), 0))


@implements(np.polyadd)
def polyadd(a1, a2):
    """The sum of two polynomials (shorter one padded with leading zeros).

    Example:
        >>> import ndgrad
        >>> ndgrad.polyadd(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([1.0, 0.0, 1.0])).tolist()
        [1.0, 1.0, 3.0]
    """
    a1, a2 = _aligned("polyadd", a1, a2)
    return a1 + a2


@implements(np.polysub)
def polysub(a1, a2):
    """The difference of two polynomials (shorter one padded with leading zeros).

    Example:
        >>> import ndgrad
        >>> ndgrad.polysub(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([1.0, 0.0, 1.0])).tolist()
        [-1.0, 1.0, 1.0]
    """
    a1, a2 = _aligned("polysub", a1, a2)
    return a1 - a2


@implements(np.polymul)
def polymul(a1, a2):
    """The product of two polynomials (the convolution of their coefficients).

    Example:
        >>> import ndgrad
        >>> ndgrad.polymul(ndgrad.tensor([1.0, 1.0]), ndgrad.tensor([1.0, -1.0])).tolist()
        [1.0, 0.0, -1.0]
    """
    a1, a2 = _coefficients("polymul", a1), _coefficients("polymul", a2)
    if a1.dtype.kind != "c" and a2.dtype.kind != "c":
        return convolve(a1, a2)
    n1, n2 = a1.shape[0], a2.shape[0]       # complex: a sum of shifted copies
    total = None
    for j in range(n2):
        term = pad(a1 * a2[j], (j, n2 - 1 - j))
        total = term if total is None else total + term
    return total


@implements(np.polydiv)
def polydiv(u, v):
    """``(quotient, remainder)`` of polynomial long division, as NumPy computes
    them (leading remainder terms within 1e-8 of zero are dropped).

    Example:
        >>> import ndgrad
        >>> q, r = ndgrad.polydiv(ndgrad.tensor([1.0, 0.0, -1.0]), ndgrad.tensor([1.0, 1.0]))
        >>> q.tolist(), r.tolist()
        ([1.0, -1.0], [0.0])
    """
    u, v = _coefficients("polydiv", u) + 0.0, _coefficients("polydiv", v) + 0.0
    m, n = u.shape[0] - 1, v.shape[0] - 1
    scale = 1.0 / v[0]
    quotient, remainder = [], u
    for k in range(m - n + 1):
        d = scale * remainder[k]
        quotient.append(d)
        remainder = remainder - pad(d * v, (k, m - n - k))
    quotient = stack(quotient) if quotient else zeros_like(u[:1])
    while np.allclose(remainder._data[0], 0, rtol=1e-14) and remainder.shape[0] > 1:
        remainder = remainder[1:]
    return quotient, remainder


def _ramp(length, dtype):
    """``length, length - 1, ..., 1`` in ``dtype`` (float32 stays float32)."""
    kind = np.dtype(dtype).kind
    return np.arange(length, 0, -1).astype(dtype if kind in "fc" else np.float64)


@implements(np.polyder)
def polyder(p, m=1):
    """The ``m``-th derivative of the polynomial ``p``.

    Example:
        >>> import ndgrad
        >>> ndgrad.polyder(ndgrad.tensor([1.0, 1.0, 1.0, 1.0]), 2).tolist()
        [6.0, 2.0]
    """
    if int(m) != m or m < 0:
        raise ValueError(f"polyder: the order m must be a non-negative integer, got {m!r}")
    p = _coefficients("polyder", p)
    for _ in range(int(m)):
        p = p[:-1] * _ramp(p.shape[0] - 1, p.dtype)
    return p


@implements(np.polyint)
def polyint(p, m=1, k=None):
    """The ``m``-th antiderivative of ``p``; ``k`` gives the integration
    constants (tensors get gradients), zero by default.

    Example:
        >>> import ndgrad
        >>> ndgrad.polyint(ndgrad.tensor([3.0, 2.0]), k=5.0).tolist()      # 1.5 x**2 + 2 x + 5
        [1.5, 2.0, 5.0]
    """
    if int(m) != m or m < 0:
        raise ValueError(f"polyint: the order m must be a non-negative integer, got {m!r}")
    m = int(m)
    p = _coefficients("polyint", p)
    if k is None:
        constants = [0.0] * m
    elif np.ndim(data_of(as_input(k))) == 0:
        constants = [k] * m
    else:
        k = as_tensor(as_input(k))
        if k.shape[0] < m:
            raise ValueError(f"polyint: k has {k.shape[0]} constants; {m} are needed")
        constants = [k[i] for i in range(m)]
    for constant in constants:
        constant = as_tensor(as_input(constant)).reshape(1)
        divided = p / _ramp(p.shape[0], p.dtype)
        p = concatenate([divided, constant.astype(divided.dtype)])
    return p


def _powers(x, columns):
    """The columns ``x**(columns-1), ..., x, 1`` (products, exact at 0)."""
    column = ones(x.shape, dtype=x.dtype)
    found = []
    for _ in range(columns):
        found.append(column)
        column = column * x
    return flip(stack(found, axis=1), axis=1) if found else Tensor._wrap(
        np.zeros(x.shape + (0,), dtype=x.dtype))


@implements(np.vander)
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix: columns ``x**(N-1), ..., x, 1`` (reversed when
    ``increasing``); ``x`` keeps its float dtype.

    Example:
        >>> import ndgrad
        >>> ndgrad.vander(ndgrad.tensor([2.0, 3.0]), 3).tolist()
        [[4.0, 2.0, 1.0], [9.0, 3.0, 1.0]]
    """
    x = as_tensor(as_input(x))
    if x.ndim != 1:
        raise shape_error("vander", [x], "x must be a one-dimensional array or sequence")
    columns = x.shape[0] if N is None else int(N)
    if columns < 0:
        raise ValueError(f"vander: N must be non-negative, got {N}")
    matrix = _powers(x, columns)
    return flip(matrix, axis=1) if increasing and columns else matrix


def _characteristic(a):
    """The characteristic polynomial of the square ``a`` (Faddeev-LeVerrier):
    real for a real matrix, as NumPy's ``poly`` (conjugate eigenvalue pairs)."""
    n = a.shape[0]
    identity = np.eye(n, dtype=a.dtype)
    coefficients, m = [ones((), dtype=a.dtype)], identity
    for k in range(1, n + 1):
        product = matmul(a, m)
        c = -trace(product) / k
        coefficients.append(c)
        m = product + c * identity
    return stack(coefficients)


@implements(np.poly)
def poly(seq_of_zeros):
    """The coefficients of the monic polynomial with the given roots, or the
    characteristic polynomial of a square matrix.

    Complex roots that come in conjugate pairs give real coefficients, as NumPy.

    Example:
        >>> import ndgrad
        >>> ndgrad.poly(ndgrad.tensor([1.0, 2.0])).tolist()
        [1.0, -3.0, 2.0]
    """
    zeros = as_tensor(as_input(seq_of_zeros))
    if zeros.ndim == 0:
        zeros = zeros.reshape(1)
    shape = zeros.shape
    if len(shape) == 2 and shape[0] == shape[1] and shape[0] != 0:
        return _characteristic(zeros)
    if len(shape) != 1:
        raise ValueError("poly: input must be 1d or non-empty square 2d array.")
    if shape[0] == 0:
        return 1.0
    if zeros.dtype.kind not in "fc":
        zeros = zeros.astype(np.float64)
    coefficients = ones(1, dtype=zeros.dtype)
    for i in range(shape[0]):
        coefficients = pad(coefficients, (0, 1)) - zeros[i] * pad(coefficients, (1, 0))
    if coefficients.dtype.kind == "c":
        values = zeros._data.astype(complex)
        if np.all(np.sort(values) == np.sort(values.conjugate())):
            return real(coefficients)
    return coefficients


@primitive(name="roots", saves_output=True, reads=(0,))
def _roots(p):
    return np.roots(p)


@_roots.defvjp
def _roots_vjp(g, out, p):
    data = data_of(p)
    nonzero = np.flatnonzero(data)
    if out.shape[0] == 0:
        return zeros_like(p)
    lead = int(nonzero[0])
    q = p[lead:]
    slope = matmul(vander(out, q.shape[0] - 1), polyder(q))
    if np.any(data_of(slope) == 0):
        raise ValueError("roots: a multiple root (p'(r) = 0) has no derivative; the "
                         "gradient of np.roots does not exist at these coefficients")
    jacobian = -vander(out, q.shape[0]) / slope.reshape(-1, 1)
    jacobian = jacobian if jacobian.dtype.kind != "c" else conj(jacobian)
    return pad(matmul(g, jacobian), (lead, 0))


differentiates_complex(_roots)


@implements(np.roots)
def roots(p):
    """The roots of the polynomial ``p`` (NumPy's: the companion matrix's
    eigenvalues, complex when any root is); differentiable where the roots are
    simple.

    Example:
        >>> import ndgrad
        >>> ndgrad.roots(ndgrad.tensor([1.0, 0.0, -4.0], dtype="float64")).numpy().round(6).tolist()
        [-2.0, 2.0]
    """
    return _roots(_coefficients("roots", p))


@implements(np.polyfit)
def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """The least-squares polynomial fit of degree ``deg`` (NumPy's steps:
    scaled Vandermonde columns, ``lstsq``); differentiable in ``x``, ``y``
    and ``w``. ``full`` and ``cov`` return what NumPy returns.

    Example:
        >>> import ndgrad
        >>> x = ndgrad.tensor([0.0, 1.0, 2.0], dtype="float64")
        >>> ndgrad.polyfit(x, 2 * x + 1, 1).numpy().round(6).tolist()
        [2.0, 1.0]
    """
    order = int(deg) + 1
    x, y = as_tensor(as_input(x)) + 0.0, as_tensor(as_input(y)) + 0.0
    if deg < 0:
        raise ValueError("polyfit: expected deg >= 0")
    if x.ndim != 1 or x.shape[0] == 0:
        raise TypeError("polyfit: expected a non-empty 1-D vector for x")
    if y.ndim not in (1, 2) or y.shape[0] != x.shape[0]:
        raise TypeError("polyfit: expected y 1-D or 2-D with as many rows as x has entries")
    rcond = x.shape[0] * np.finfo(x.dtype).eps if rcond is None else rcond
    lhs, rhs = vander(x, order), y
    if w is not None:
        w = as_tensor(as_input(w)) + 0.0
        if w.ndim != 1 or w.shape[0] != y.shape[0]:
            raise TypeError("polyfit: expected a 1-D w as long as y")
        lhs = lhs * w.reshape(-1, 1)
        rhs = rhs * (w.reshape(-1, 1) if rhs.ndim == 2 else w)
    scale = (lhs * lhs).sum(axis=0) ** 0.5
    lhs = lhs / scale
    c, residuals, rank, s = lstsq(lhs, rhs, rcond)
    c = (c.T / scale).T
    if rank != order and not full:
        warnings.warn("Polyfit may be poorly conditioned", np.exceptions.RankWarning,
                      stacklevel=3)
    if full:
        return c, residuals, rank, s, rcond
    if not cov:
        return c
    base = inv(matmul(lhs.T, lhs)) / (scale.reshape(-1, 1) * scale.reshape(1, -1))
    if cov == "unscaled":
        factor = 1.0
    else:
        if x.shape[0] <= order:
            raise ValueError("polyfit: the number of data points must exceed order to "
                             "scale the covariance matrix")
        factor = residuals / (x.shape[0] - order)
    return c, (base * factor if y.ndim == 1 else base.reshape(order, order, 1) * factor)
