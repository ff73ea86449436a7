"""Reductions with PyTorch's signatures: ``torch.sum(x, dim=1, keepdim=True)``.

``max``, ``min``, ``std`` and ``var`` are the tensor methods (``torch.max(x,
1)`` is ``x.max(1)``, a ``(values, indices)`` pair; ``torch.std`` is unbiased),
so their meaning lives in one place, the Tensor class (rule D1 in
``ndgrad.torch``). The others have one meaning in NumPy and PyTorch and are the
core ops with ``dim``/``keepdim`` for ``axis``/``keepdims``.

Example:
    >>> import ndgrad.torch as torch
    >>> x = torch.tensor([[1.0, 5.0], [7.0, 2.0]])
    >>> torch.max(x, 1).indices.tolist(), torch.sum(x, dim=0).tolist()
    ([1, 0], [8.0, 7.0])
"""

from .. import ops
from ..tensor import as_tensor
from ._arguments import dtype_of, refuse_out
from ._delegate import method_functions

_X = "torch.tensor([[1.0, 5.0], [7.0, 2.0]])"

DELEGATED = method_functions(__name__, [
    ("max", "the largest value; with ``dim``, ``(values, indices)``; with a tensor, the "
     "elementwise maximum", f"torch.max({_X}, 1).values.tolist()", "[5.0, 7.0]"),
    ("min", "the smallest value; with ``dim``, ``(values, indices)``; with a tensor, the "
     "elementwise minimum", f"torch.min({_X}, dim=0)[1].tolist()", "[0, 1]"),
    ("std", "the standard deviation, unbiased by default (``correction=1``)",
     "torch.std(torch.tensor([1.0, 2.0, 3.0])).item()", "1.0"),
    ("var", "the variance, unbiased by default (``correction=1``)",
     "f'{torch.var(torch.tensor([1.0, 2.0, 3.0]), unbiased=False).item():.4f}'", "'0.6667'"),])
globals().update(DELEGATED)
__test__ = dict(DELEGATED)

__all__ = [*DELEGATED, "sum", "mean", "prod", "amax", "amin", "argmax", "argmin", "all", "any",
           "logsumexp", "cumsum", "cumprod", "std_mean", "var_mean", "norm", "count_nonzero"]


def _axis(dim):
    return tuple(dim) if isinstance(dim, (list, tuple)) else dim


def _cast(function, input, dtype):
    x = as_tensor(input)
    return x if dtype is None else x.astype(dtype_of(function, dtype))


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):  # noqa: A001
    """The sum over ``dim`` (an int or a tuple; all elements when None).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.sum(torch.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1, keepdim=True).tolist()
        [[6.0], [9.0]]
    """
    refuse_out("torch.sum", out)
    return ops.sum(_cast("torch.sum", input, dtype), axis=_axis(dim), keepdims=keepdim)


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """The mean over ``dim``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.mean(torch.tensor([[1.0, 5.0], [7.0, 2.0]]), 0).tolist()
        [4.0, 3.5]
    """
    refuse_out("torch.mean", out)
    return ops.mean(_cast("torch.mean", input, dtype), axis=_axis(dim), keepdims=keepdim)


def prod(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """The product over ``dim`` (an int, or all elements when None).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.prod(torch.tensor([[1.0, 5.0], [7.0, 2.0]]), 1).tolist()
        [5.0, 14.0]
    """
    refuse_out("torch.prod", out)
    return ops.prod(_cast("torch.prod", input, dtype), axis=dim, keepdims=keepdim)


def amax(input, dim=(), keepdim=False, *, out=None):
    """The largest values over ``dim`` (all dims when empty), values only.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.amax(torch.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1).tolist()
        [5.0, 7.0]
    """
    refuse_out("torch.amax", out)
    return ops.amax(input, axis=_axis(dim) if dim != () else None, keepdims=keepdim)


def amin(input, dim=(), keepdim=False, *, out=None):
    """The smallest values over ``dim`` (all dims when empty), values only.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.amin(torch.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1).tolist()
        [1.0, 2.0]
    """
    refuse_out("torch.amin", out)
    return ops.amin(input, axis=_axis(dim) if dim != () else None, keepdims=keepdim)


def argmax(input, dim=None, keepdim=False):
    """The index of the largest value along ``dim`` (of the flattened tensor when None).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.argmax(torch.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1).tolist()
        [1, 0]
    """
    return ops.argmax(input, axis=dim, keepdims=keepdim)


def argmin(input, dim=None, keepdim=False):
    """The index of the smallest value along ``dim`` (of the flattened tensor when None).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.argmin(torch.tensor([[1.0, 5.0], [7.0, 2.0]])).item()
        0
    """
    return ops.argmin(input, axis=dim, keepdims=keepdim)


def all(input, dim=None, keepdim=False, *, out=None):  # noqa: A001
    """True where every element (over ``dim``) is non-zero.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.all(torch.tensor([True, False])).item()
        False
    """
    refuse_out("torch.all", out)
    return ops.all(input, axis=_axis(dim), keepdims=keepdim)


def any(input, dim=None, keepdim=False, *, out=None):  # noqa: A001
    """True where some element (over ``dim``) is non-zero.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.any(torch.tensor([[True, False]]), dim=1).tolist()
        [True]
    """
    refuse_out("torch.any", out)
    return ops.any(input, axis=_axis(dim), keepdims=keepdim)


def logsumexp(input, dim, keepdim=False, *, out=None):
    """``log(sum(exp(input)))`` over ``dim``, computed stably.

    Example:
        >>> import ndgrad.torch as torch
        >>> round(torch.logsumexp(torch.zeros(2), dim=0).item(), 4)
        0.6931
    """
    refuse_out("torch.logsumexp", out)
    return ops.logsumexp(input, axis=_axis(dim), keepdims=keepdim)


def cumsum(input, dim, *, dtype=None, out=None):
    """The running sum along ``dim``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.cumsum(torch.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1).tolist()
        [[1.0, 6.0], [7.0, 9.0]]
    """
    refuse_out("torch.cumsum", out)
    return ops.cumsum(_cast("torch.cumsum", input, dtype), axis=dim)


def cumprod(input, dim, *, dtype=None, out=None):
    """The running product along ``dim``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.cumprod(torch.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=0).tolist()
        [[1.0, 5.0], [7.0, 10.0]]
    """
    refuse_out("torch.cumprod", out)
    return ops.cumprod(_cast("torch.cumprod", input, dtype), axis=dim)


def _mean_like(input, args, kwargs):
    dim = kwargs.get("dim", args[0] if args and not isinstance(args[0], bool) else None)
    return mean(input, dim, kwargs.get("keepdim", False))


def std_mean(input, *args, **kwargs):
    """``(torch.std(input, ...), torch.mean(input, dim, keepdim))``.

    Example:
        >>> import ndgrad.torch as torch
        >>> [round(t.item(), 4) for t in torch.std_mean(torch.tensor([1.0, 3.0]))]
        [1.4142, 2.0]
    """
    return DELEGATED["std"](input, *args, **kwargs), _mean_like(input, args, kwargs)


def var_mean(input, *args, **kwargs):
    """``(torch.var(input, ...), torch.mean(input, dim, keepdim))``.

    Example:
        >>> import ndgrad.torch as torch
        >>> [t.item() for t in torch.var_mean(torch.tensor([1.0, 3.0]))]
        [2.0, 2.0]
    """
    return DELEGATED["var"](input, *args, **kwargs), _mean_like(input, args, kwargs)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The ``p``-norm: of all elements as one vector without ``dim``, along
    ``dim`` (an int) as vectors, or of matrices for a pair of dims.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.norm(torch.tensor([[3.0, 0.0], [0.0, 4.0]])).item()
        5.0
        >>> torch.norm(torch.tensor([[3.0, -4.0]]), p=1, dim=1).tolist()
        [7.0]
    """
    x = _cast("torch.norm", input, dtype)
    if p == "nuc":
        raise ValueError("torch.norm: the nuclear norm is not supported; use "
                         "torch.linalg.svdvals(x).sum()")
    vector = dim is None or isinstance(dim, int) or len(dim) == 1
    order = (2 if vector else None) if p == "fro" else p
    if dim is None:
        result = ops.norm(ops.reshape(x, (-1,)), ord=order)
        return ops.reshape(result, (1,) * x.ndim) if keepdim else result
    return ops.norm(x, ord=order, axis=_axis(dim), keepdims=keepdim)


def count_nonzero(input, dim=None):
    """The number of non-zero elements (over ``dim``).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.count_nonzero(torch.tensor([[0, 1], [2, 3]]), dim=0).tolist()
        [1, 2]
    """
    return ops.count_nonzero(input, axis=_axis(dim))
