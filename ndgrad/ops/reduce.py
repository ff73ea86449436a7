"""Reductions over axes (``axis``, ``keepdims`` as in NumPy): each forward with
its VJP right below.

``max``/``min`` send the gradient to the maximal elements, shared equally
between ties. ``argmax``/``argmin`` return indices and carry no gradient.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> x.mean(axis=0).sum().backward()
    >>> x.grad.tolist()
    [[0.5, 0.5], [0.5, 0.5]]
"""

import builtins as _py

import numpy as np

from ..autograd.primitive import nondifferentiable, primitive
from ..dtypes import as_dtype
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .complex_numbers import conj_of, differentiates_complex, real
from .shape import reshape

__all__ = ["sum", "mean", "prod", "max", "min", "amax", "amin", "var", "std",
           "logsumexp", "cumsum", "cumprod", "argmax", "argmin"]


def _axes(axis, ndim):
    """``axis`` as a sorted tuple of non-negative axes (all when None)."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(sorted(a % ndim if ndim else a for a in axis))


def _expand(g, x_shape, axis, keepdims):
    """Reshape a reduced gradient so it broadcasts against the input again."""
    if keepdims or g.ndim == len(x_shape):
        return g
    axes = _axes(axis, len(x_shape))
    kept = tuple(1 if i in axes else n for i, n in enumerate(x_shape))
    return g.reshape(kept)       # a tensor's or an array's own method


def _float_dtype(dtype):
    return as_dtype(dtype) if dtype is not None else None


@primitive(name="sum", reads=())
def _sum(x, axis=None, keepdims=False, dtype=None):
    return np.sum(x, axis=axis, keepdims=keepdims, dtype=dtype)


@_sum.defvjp(arrays=True)
def _sum_vjp(g, out, x, axis=None, keepdims=False, dtype=None):
    return np.broadcast_to(_expand(g, np.shape(x), axis, keepdims), np.shape(x))


differentiates_complex(_sum)


@implements(np.sum)
def sum(x, axis=None, keepdims=False, dtype=None):
    """The sum over ``axis`` (all axes by default).

    Example:
        >>> import ndgrad
        >>> ndgrad.sum(ndgrad.ones((2, 3)), axis=1).tolist()
        [3.0, 3.0]
    """
    return _sum(x, axis=_axis_arg(axis), keepdims=keepdims, dtype=_float_dtype(dtype))


def _axis_arg(axis):
    return tuple(axis) if isinstance(axis, list) else axis


@primitive(name="mean", reads=())
def _mean(x, axis=None, keepdims=False, dtype=None):
    return np.mean(x, axis=axis, keepdims=keepdims, dtype=dtype)


@_mean.defvjp(arrays=True)
def _mean_vjp(g, out, x, axis=None, keepdims=False, dtype=None):
    count = np.size(x) // _py.max(np.size(g), 1)
    return np.broadcast_to(_expand(g, np.shape(x), axis, keepdims), np.shape(x)) / count


differentiates_complex(_mean)


@implements(np.mean)
def mean(x, axis=None, keepdims=False, dtype=None):
    """The mean over ``axis`` (all axes by default).

    Example:
        >>> import ndgrad
        >>> ndgrad.mean(ndgrad.tensor([1.0, 2.0, 6.0])).item()
        3.0
    """
    return _mean(x, axis=_axis_arg(axis), keepdims=keepdims, dtype=_float_dtype(dtype))


@primitive(name="max", saves_output=True)
def _amax(x, axis=None, keepdims=False):
    return np.amax(x, axis=axis, keepdims=keepdims)


@primitive(name="min", saves_output=True)
def _amin(x, axis=None, keepdims=False):
    return np.amin(x, axis=axis, keepdims=keepdims)


def _extremum_vjp(g, out, x, axis=None, keepdims=False):
    """Gradient of max/min: to the elements equal to the result, ties share it."""
    from .selection import where
    hit = x == _expand(out, x.shape, axis, keepdims)
    count = sum(hit.astype(x.dtype), axis=axis, keepdims=True)
    share = _expand(g, x.shape, axis, keepdims) / count
    return where(hit, share, 0)


_amax.defvjp(_extremum_vjp)
_amin.defvjp(_extremum_vjp)


@implements(np.max, np.amax)
def max(x, axis=None, keepdims=False):
    """The maximum over ``axis``; ties share the gradient equally.

    Example:
        >>> import ndgrad
        >>> ndgrad.max(ndgrad.tensor([[1.0, 5.0], [7.0, 2.0]]), axis=1).tolist()
        [5.0, 7.0]
    """
    return _amax(x, axis=_axis_arg(axis), keepdims=keepdims)


@implements(np.min, np.amin)
def min(x, axis=None, keepdims=False):
    """The minimum over ``axis``; ties share the gradient equally.

    Example:
        >>> import ndgrad
        >>> ndgrad.min(ndgrad.tensor([3.0, 1.0, 2.0])).item()
        1.0
    """
    return _amin(x, axis=_axis_arg(axis), keepdims=keepdims)


amax = max
amin = min


@implements(np.var)
def var(x, axis=None, ddof=0, keepdims=False):
    """The variance over ``axis`` with ``ddof`` delta degrees of freedom.

    Example:
        >>> import ndgrad
        >>> ndgrad.var(ndgrad.tensor([1.0, 3.0])).item()
        1.0
    """
    x = as_tensor(x)
    centered = x - mean(x, axis=axis, keepdims=True)
    if getattr(centered, "dtype", None) is not None and centered.dtype.kind == "c":
        # NumPy: the mean of |x - mean|^2, a real number (smooth, unlike |.| squared).
        total = sum(real(centered * conj_of(centered)), axis=axis, keepdims=keepdims)
    else:
        total = sum(centered * centered, axis=axis, keepdims=keepdims)
    count = int(np.prod([x.shape[a] for a in _axes(axis, x.ndim)], dtype=np.int64))
    return total / _py.max(count - ddof, 0)


@implements(np.std)
def std(x, axis=None, ddof=0, keepdims=False):
    """The standard deviation over ``axis`` with ``ddof``. Where it is zero (a
    constant input) the gradient is zero, as PyTorch's, not ``0 * inf = NaN``.

    Example:
        >>> import ndgrad
        >>> ndgrad.std(ndgrad.tensor([1.0, 3.0])).item()
        1.0
        >>> x = ndgrad.tensor([2.0, 2.0], requires_grad=True)
        >>> ndgrad.std(x).backward(); x.grad.tolist()
        [0.0, 0.0]
    """
    return _root_of_variance(var(x, axis=axis, ddof=ddof, keepdims=keepdims))


@primitive(name="std", saves_output=True, reads=())
def _root_of_variance(variance):
    return np.sqrt(variance)


@_root_of_variance.defvjp(arrays=True)
def _root_of_variance_vjp(g, out, variance):
    zero = out == 0      # PyTorch's std rule: no gradient where the deviation is zero
    return np.where(zero, 0, g / (2 * np.where(zero, 1, out)))


def logsumexp(x, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, computed without overflow.

    Example:
        >>> import ndgrad
        >>> round(ndgrad.logsumexp(ndgrad.tensor([1000.0, 1000.0])).item(), 3)
        1000.693
    """
    from .elementwise import exp, log
    data = x._data if isinstance(x, Tensor) else np.asarray(x)
    # The shift is a constant: the result does not depend on it, so no gradient.
    shift = np.max(data, axis=axis, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0).astype(data.dtype)
    total = sum(exp(x - shift), axis=axis, keepdims=True)
    out = log(total) + shift
    if not keepdims:
        out = reshape(out, tuple(n for i, n in enumerate(x.shape)
                                 if i not in _axes(axis, x.ndim)))
    return out


@implements(np.prod)
@primitive(saves_output=True)
def prod(x, axis=None, keepdims=False):
    """The product over ``axis``; the gradient is exact with zeros present.

    Example:
        >>> import ndgrad
        >>> ndgrad.prod(ndgrad.tensor([2.0, 3.0, 4.0])).item()
        24.0
    """
    return np.prod(x, axis=axis, keepdims=keepdims)


@prod.defvjp
def _prod_vjp(g, out, x, axis=None, keepdims=False):
    g = _expand(g, x.shape, axis, keepdims)
    if not (x._data == 0).any():
        return g * conj_of(_expand(out, x.shape, axis, keepdims) / x)
    # With zeros present, never divide: the product of the other elements comes
    # from cumulative products from both ends (exact for any number of zeros).
    axes = _axes(axis, x.ndim)
    order = list(axes) + [i for i in range(x.ndim) if i not in axes]
    moved = x.transpose(order)
    flat = moved.reshape((-1,) + moved.shape[len(axes):])
    others = _exclusive_product(flat).reshape(moved.shape).transpose(tuple(np.argsort(order)))
    return g * conj_of(others)


def _exclusive_product(flat):
    """For each row i of ``flat``, the product of all the other rows."""
    from .creation import ones_like
    from .join import concatenate
    one = ones_like(flat[:1])
    before = cumprod(concatenate([one, flat[:-1]], axis=0), axis=0)
    after = cumprod(concatenate([one, flat[::-1][:-1]], axis=0), axis=0)[::-1]
    return before * after


@implements(np.cumsum)
@primitive(reads=())
def cumsum(x, axis=None):
    """Cumulative sum along ``axis`` (of the flattened input when None).

    Example:
        >>> import ndgrad
        >>> ndgrad.cumsum(ndgrad.tensor([1.0, 2.0, 3.0])).tolist()
        [1.0, 3.0, 6.0]
    """
    return np.cumsum(x, axis=axis)


@cumsum.defvjp
def _cumsum_vjp(g, out, x, axis=None):
    if axis is None:
        return reshape(cumsum(g[::-1])[::-1], x.shape)
    index = [slice(None)] * g.ndim
    index[axis] = slice(None, None, -1)
    index = tuple(index)
    return cumsum(g[index], axis=axis)[index]


@implements(np.cumprod)
@primitive(saves_output=True)
def cumprod(x, axis=None):
    """Cumulative product along ``axis`` (of the flattened input when None).

    Example:
        >>> import ndgrad
        >>> ndgrad.cumprod(ndgrad.tensor([1.0, 2.0, 3.0])).tolist()
        [1.0, 2.0, 6.0]
    """
    return np.cumprod(x, axis=axis)


@cumprod.defvjp
def _cumprod_vjp(g, out, x, axis=None):
    if axis is None:
        return reshape(_cumprod_vjp(reshape(g, (-1,)), None, reshape(x, (-1,)), axis=0), x.shape)
    index = [slice(None)] * g.ndim
    index[axis] = slice(None, None, -1)
    index = tuple(index)
    if not (x._data == 0).any():
        return cumsum((g * conj_of(cumprod(x, axis=axis)))[index], axis=axis)[index] / conj_of(x)
    # grad_k = sum_{j >= k} g_j * prod_{i <= j, i != k} x_i: one cumulative
    # product per position with x_k replaced by 1 (exact with zeros, O(n^2)).
    from .selection import where
    from .join import stack
    from .shape import moveaxis
    n = x.shape[axis]
    positions = np.arange(n).reshape([n if i == axis else 1 for i in range(x.ndim)])
    columns = []
    for k in range(n):
        without_k = cumprod(where(positions == k, 1, x), axis=axis)
        tail = (g * conj_of(without_k))[tuple(slice(k, None) if i == axis else slice(None)
                                     for i in range(x.ndim))]
        columns.append(sum(tail, axis=axis))
    return moveaxis(stack(columns, axis=0), 0, axis)


# Linear (cumsum) or g * conj(d out / d x) (prod, cumprod): right for complex numbers.
differentiates_complex(prod, cumsum, cumprod)

argmax = implements(np.argmax)(nondifferentiable(np.argmax, example=(
    ">>> ndgrad.argmax(ndgrad.tensor([[1.0, 5.0], [7.0, 2.0]]), axis=1).tolist()", "[1, 0]")))
argmin = implements(np.argmin)(nondifferentiable(np.argmin, example=(
    ">>> ndgrad.argmin(ndgrad.tensor([[1.0, 5.0], [7.0, 2.0]]), axis=1).tolist()", "[0, 1]")))


# ufunc.reduce / ufunc.accumulate spellings of the same reductions
implements(np.add, method="reduce")(sum)
implements(np.multiply, method="reduce")(prod)
implements(np.maximum, method="reduce")(max)
implements(np.minimum, method="reduce")(min)
implements(np.add, method="accumulate")(cumsum)
implements(np.multiply, method="accumulate")(cumprod)
