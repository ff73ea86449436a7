"""Reductions of :class:`ndgrad.Tensor`, in NumPy's and PyTorch's spelling.

Every reduction takes ``dim=`` / ``keepdim=`` as well as ``axis=`` /
``keepdims=`` (a list of dims is a tuple). Where the two vocabularies differ
the rule of the ``Tensor`` docstring applies: ``max(dim)`` / ``min(dim)``
return ``(values, indices)``; ``std()`` / ``var()`` are unbiased unless called
NumPy's way (``axis=``, ``keepdims=`` or ``ddof=``); ``norm(p, dim)`` is
PyTorch's vector norm, ``norm(ord=..., axis=...)`` NumPy's.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([[1.0, 5.0], [3.0, 2.0]])
    >>> x.sum(dim=1, keepdim=True).tolist(), x.max(1).indices.tolist(), x.max(axis=1).tolist()
    ([[6.0], [5.0]], [1, 0], [5.0, 3.0])
"""

import numpy as np

from . import return_types
from .size import dimension

_ops = None     # ndgrad.ops, bound by ndgrad/ops/__init__.py
Tensor = None   # ndgrad.tensor.Tensor, bound by ndgrad/tensor.py


def _axis(axis, dim, what):
    """The axis from NumPy's ``axis=`` or PyTorch's ``dim=`` (a list becomes a tuple)."""
    if dim is not None:
        if axis is not None:
            raise TypeError(f"{what}: pass dim= (PyTorch's) or axis= (NumPy's), not both")
        axis = dim
    return tuple(axis) if isinstance(axis, list) else axis


def _keep(keepdims, keepdim):
    return bool(keepdims) if keepdim is None else bool(keepdim)


def with_indices(tensor, dim, keepdim, choose, result, what):
    """``result(values, indices)``: ``choose(array, axis)`` picks one index per
    line along ``dim`` (kept as a length-one axis); the values are gathered
    from ``tensor`` with a gradient to exactly the chosen elements."""
    x = tensor if tensor.ndim else _ops.reshape(tensor, (1,))
    axis = dimension(x.shape, dim, what)
    indices = choose(x._data, axis)
    values = _ops.take_along_axis(x, indices, axis)
    if not keepdim or tensor.ndim == 0:
        values = _ops.squeeze(values, axis)
        indices = np.squeeze(indices, axis)
    return result(values, Tensor._wrap(indices.astype(np.int64, copy=False)))


def _argmax(array, axis):
    return np.expand_dims(np.argmax(array, axis=axis), axis)


def _argmin(array, axis):
    return np.expand_dims(np.argmin(array, axis=axis), axis)


def _extremum(tensor, name, args, dim, keepdim, axis, keepdims):
    """``max``/``min`` in all their forms (see the ``Tensor`` docstring)."""
    reduce = _ops.max if name == "max" else _ops.min
    if len(args) > 2:
        raise TypeError(f"{name}: takes (dim, keepdim) or (other,); got {len(args)} arguments")
    if args and isinstance(args[0], Tensor):
        if len(args) > 1 or dim is not None or axis is not None:
            raise TypeError(f"{name}: the elementwise form takes only the other tensor")
        return (_ops.maximum if name == "max" else _ops.minimum)(tensor, args[0])
    if args:
        if dim is not None:
            raise TypeError(f"{name}: dim given twice")
        dim = args[0]
        if len(args) == 2:
            keepdim = args[1]
    if axis is not None or (dim is not None and not isinstance(dim, (int, np.integer))):
        return reduce(tensor, axis=_axis(axis, dim, name), keepdims=_keep(keepdims, keepdim))
    if dim is None:
        return reduce(tensor, keepdims=_keep(keepdims, None))
    return with_indices(tensor, dim, bool(keepdim), _argmax if name == "max" else _argmin,
                        getattr(return_types, name), name)


def _ddof(name, ddof, correction, unbiased, numpy_way):
    given = [v is not None for v in (ddof, correction, unbiased)]
    if sum(given) > 1:
        raise TypeError(f"{name}: pass one of ddof= (NumPy's), correction= or unbiased=")
    if ddof is not None:
        return ddof
    if correction is not None:
        return correction
    if unbiased is not None:
        return 1 if unbiased else 0
    return 0 if numpy_way else 1


def _spread(tensor, name, dim, unbiased, keepdim, correction, axis, ddof, keepdims):
    if isinstance(dim, bool):                        # PyTorch's std(unbiased)
        dim, unbiased = None, dim
    numpy_way = axis is not None or keepdims is not None
    delta = _ddof(name, ddof, correction, unbiased, numpy_way)
    function = _ops.std if name == "std" else _ops.var
    return function(tensor, axis=_axis(axis, dim, name), ddof=delta,
                    keepdims=_keep(keepdims, keepdim))


class TensorReductions:
    """The reduction surface: sums, extremes, spreads, norms, arg-extremes."""

    __slots__ = ()

    def sum(self, axis=None, keepdims=False, dtype=None, *, dim=None, keepdim=None):
        """The sum over ``axis`` / ``dim`` (all by default).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.ones((2, 3))
            >>> x.sum(axis=0).tolist(), x.sum(1, keepdim=True).tolist(), x.sum([0, 1]).item()
            ([2.0, 2.0, 2.0], [[3.0], [3.0]], 6.0)
        """
        if dim is None and keepdim is None and type(axis) is not list:
            return _ops.sum(self, axis=axis, keepdims=keepdims, dtype=dtype)
        return _ops.sum(self, axis=_axis(axis, dim, "sum"), keepdims=_keep(keepdims, keepdim),
                        dtype=dtype)

    def mean(self, axis=None, keepdims=False, dtype=None, *, dim=None, keepdim=None):
        """The mean over ``axis`` / ``dim``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 3.0], [5.0, 7.0]]).mean(dim=0).tolist()
            [3.0, 5.0]
        """
        if dim is None and keepdim is None and type(axis) is not list:
            return _ops.mean(self, axis=axis, keepdims=keepdims, dtype=dtype)
        return _ops.mean(self, axis=_axis(axis, dim, "mean"), keepdims=_keep(keepdims, keepdim),
                         dtype=dtype)

    def prod(self, axis=None, keepdims=False, dtype=None, *, dim=None, keepdim=None):
        """The product over ``axis`` / ``dim``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.0, 3.0]).prod().item()
            6.0
        """
        out = _ops.prod(self, axis=_axis(axis, dim, "prod"), keepdims=_keep(keepdims, keepdim))
        return out if dtype is None else out.astype(dtype)

    def max(self, *args, dim=None, keepdim=None, axis=None, keepdims=None):
        """The maximum: of all elements (a 0-d tensor); ``max(dim, keepdim=False)``
        gives ``(values, indices)`` (PyTorch's); ``max(axis=..., keepdims=...)`` the
        values (NumPy's); ``max(other)`` the elementwise maximum.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[1.0, 5.0], [3.0, 2.0]])
            >>> x.max().item(), x.max(axis=0).tolist()
            (5.0, [3.0, 5.0])
            >>> values, indices = x.max(dim=1); values.tolist(), indices.tolist()
            ([5.0, 3.0], [1, 0])
        """
        return _extremum(self, "max", args, dim, keepdim, axis, keepdims)

    def min(self, *args, dim=None, keepdim=None, axis=None, keepdims=None):
        """The minimum, in the forms of :meth:`max`.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[1.0, 5.0], [3.0, 2.0]])
            >>> x.min().item(), x.min(1).indices.tolist(), x.min(ndgrad.ones(2) * 2).tolist()
            (1.0, [0, 1], [[1.0, 2.0], [2.0, 2.0]])
        """
        return _extremum(self, "min", args, dim, keepdim, axis, keepdims)

    def amax(self, dim=None, keepdim=None, *, axis=None, keepdims=None):
        """The maximum values over ``dim`` (one or several; all by default).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 5.0], [3.0, 2.0]]).amax(1).tolist()
            [5.0, 3.0]
        """
        dim = _axis(axis, dim, "amax")
        return _ops.max(self, axis=dim if dim != () else None, keepdims=_keep(keepdims, keepdim))

    def amin(self, dim=None, keepdim=None, *, axis=None, keepdims=None):
        """The minimum values over ``dim`` (one or several; all by default).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 5.0], [3.0, 2.0]]).amin(0).tolist()
            [1.0, 2.0]
        """
        dim = _axis(axis, dim, "amin")
        return _ops.min(self, axis=dim if dim != () else None, keepdims=_keep(keepdims, keepdim))

    def var(self, dim=None, unbiased=None, keepdim=None, *, correction=None, axis=None,
            ddof=None, keepdims=None):
        """The variance, unbiased by default (PyTorch's ``correction=1``); ``unbiased=``
        and ``correction=`` are read; ``ddof=``, or NumPy's ``axis=``/``keepdims=``
        spelling, gives NumPy's (``ddof=0`` unless given).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([1.0, 3.0])
            >>> x.var().item(), x.var(unbiased=False).item(), x.var(ddof=0).item()
            (2.0, 1.0, 1.0)
        """
        return _spread(self, "var", dim, unbiased, keepdim, correction, axis, ddof, keepdims)

    def std(self, dim=None, unbiased=None, keepdim=None, *, correction=None, axis=None,
            ddof=None, keepdims=None):
        """The standard deviation, in the forms of :meth:`var` (unbiased by default).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[1.0, 3.0], [5.0, 9.0]])
            >>> x.std(1).tolist(), x.std(axis=1).tolist(), x.std(1, correction=0).tolist()
            ([1.4142135381698608, 2.8284270763397217], [1.0, 2.0], [1.0, 2.0])
        """
        return _spread(self, "std", dim, unbiased, keepdim, correction, axis, ddof, keepdims)

    def cumsum(self, axis=None, dtype=None, *, dim=None):
        """The cumulative sum along ``axis`` / ``dim`` (of the flattened tensor when None).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]]).cumsum(dim=1).tolist()
            [[1.0, 3.0], [3.0, 7.0]]
        """
        out = _ops.cumsum(self, axis=_axis(axis, dim, "cumsum"))
        return out if dtype is None else out.astype(dtype)

    def cumprod(self, axis=None, dtype=None, *, dim=None):
        """The cumulative product along ``axis`` / ``dim``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.0, 3.0]).cumprod(0).tolist()
            [2.0, 6.0]
        """
        out = _ops.cumprod(self, axis=_axis(axis, dim, "cumprod"))
        return out if dtype is None else out.astype(dtype)

    def logsumexp(self, dim=None, keepdim=None, *, axis=None, keepdims=None):
        """``log(sum(exp(x)))`` over ``dim``, computed without overflow.

        Example:
            >>> import ndgrad
            >>> round(ndgrad.tensor([0.0, 0.0]).logsumexp(0).item(), 4)
            0.6931
        """
        return _ops.logsumexp(self, axis=_axis(axis, dim, "logsumexp"),
                              keepdims=_keep(keepdims, keepdim))

    def norm(self, p="fro", dim=None, keepdim=None, dtype=None, *, ord=None, axis=None,
             keepdims=None):
        """PyTorch's norm: a number ``p`` (or ``'fro'``, the 2-norm) is the vector norm
        of the elements over ``dim`` (all of them by default), ``'nuc'`` the nuclear
        norm of matrices. NumPy's spelling (``ord=``, ``axis=``) is ``ndgrad.norm``.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([[3.0, 4.0], [0.0, 0.0]])
            >>> x.norm().item(), x.norm(1).item(), x.norm(dim=1).tolist(), x.norm(ord=1).item()
            (5.0, 7.0, [5.0, 0.0], 4.0)
        """
        if ord is not None or axis is not None:
            if dim is not None or p != "fro":
                raise TypeError("norm: use p=/dim= (PyTorch's) or ord=/axis= (NumPy's), not both")
            out = _ops.norm(self, ord=ord, axis=axis, keepdims=bool(keepdims))
        elif p == "nuc":
            out = _ops.norm(self, ord="nuc", axis=(-2, -1) if dim is None else tuple(dim),
                            keepdims=_keep(keepdims, keepdim))
        else:
            from .ops.norms import vector_norm
            out = vector_norm(self, ord=2 if p == "fro" else p, axis=_axis(None, dim, "norm"),
                              keepdims=_keep(keepdims, keepdim))
        return out if dtype is None else out.astype(dtype)

    def argmax(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """The index of the maximum over ``axis`` / ``dim`` (of the flattened tensor
        when None); no gradient.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 3.0], [4.0, 2.0]]).argmax(dim=1).tolist()
            [1, 0]
        """
        return _ops.argmax(self, axis=_axis(axis, dim, "argmax"),
                           keepdims=_keep(keepdims, keepdim))

    def argmin(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """The index of the minimum over ``axis`` / ``dim``; no gradient.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 3.0]).argmin().item()
            0
        """
        return _ops.argmin(self, axis=_axis(axis, dim, "argmin"),
                           keepdims=_keep(keepdims, keepdim))

    def all(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """Whether all elements (along ``axis`` / ``dim``) are true.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 0.0], [1.0, 1.0]]).all(dim=1).tolist()
            [False, True]
        """
        return _ops.all(self, axis=_axis(axis, dim, "all"), keepdims=_keep(keepdims, keepdim))

    def any(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """Whether any element (along ``axis`` / ``dim``) is true.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 0.0]).any().item()
            True
        """
        return _ops.any(self, axis=_axis(axis, dim, "any"), keepdims=_keep(keepdims, keepdim))

    def count_nonzero(self, dim=None, *, axis=None):
        """The number of non-zero elements (along ``dim``).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1.0, 0.0], [2.0, 3.0]]).count_nonzero(dim=1).tolist()
            [1, 2]
        """
        return _ops.count_nonzero(self, axis=_axis(axis, dim, "count_nonzero"))
