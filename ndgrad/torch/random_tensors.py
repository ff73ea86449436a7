"""Random tensors with PyTorch's signatures: ``torch.randn(2, 3)``,
``torch.randint(0, 10, (5,))``, ``torch.normal(mean, std)``, ``torch.multinomial``.

Each draws from ``generator`` (a ``torch.Generator``) or, by default, from
ndgrad's generator, which ``torch.manual_seed`` seeds; floats are float32
unless ``dtype`` says otherwise, integers int64. A complex ``dtype`` draws the
real and imaginary parts independently, as PyTorch does: ``rand`` each uniform
on ``[0, 1)``, ``randn`` each normal with variance 1/2 (so that ``E|z|^2 = 1``),
``normal`` each with variance ``std**2 / 2`` around the parts of ``mean``.

Example:
    >>> import ndgrad.torch as torch
    >>> _ = torch.manual_seed(0)
    >>> torch.randn(2, 3).shape, torch.randint(5, (4,)).dtype
    ((2, 3), dtype('int64'))
"""

import operator

import numpy as np

from ..tensor import Tensor
from ._arguments import dtype_of, finish, refuse_out, rng_of, size_of

__all__ = ["randn", "rand", "randint", "randperm", "normal", "rand_like", "randn_like",
           "randint_like", "bernoulli", "multinomial"]


def _drawn_dtype(function, dtype, default="float32"):
    dtype = dtype_of(function, dtype) or np.dtype(default)
    if dtype.kind not in "fc":
        raise TypeError(f"{function}: needs a floating or complex dtype; got {dtype}")
    return dtype


def _pairs(shape, dtype):
    """The shape to draw for ``dtype``: a trailing axis of 2 (real, imaginary) if complex."""
    return tuple(shape) + (2,) if dtype.kind == "c" else tuple(shape)


def _drawn(function, values, dtype, requires_grad, device):
    """``values`` (float64 draws of ``_pairs(shape, dtype)``) as a tensor of ``dtype``."""
    if dtype.kind == "c":
        parts = np.ascontiguousarray(values, dtype=np.finfo(dtype).dtype)
        values = parts.view(dtype)[..., 0]
    return finish(function, Tensor._wrap(values.astype(dtype, copy=False)), requires_grad,
                  device)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False, **keywords):
    """Standard normal samples of the given size (complex: real and imaginary
    parts each normal with variance 1/2).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.randn(2, 3).shape, torch.randn((4,), dtype=torch.float64).dtype
        ((2, 3), dtype('float64'))
        >>> torch.randn(2, dtype=torch.complex64).dtype
        dtype('complex64')
    """
    refuse_out("torch.randn", out)
    shape = size_of("torch.randn", size, keywords.pop("size", None))
    dtype = _drawn_dtype("torch.randn", dtype)
    scale = np.sqrt(0.5) if dtype.kind == "c" else 1.0
    values = rng_of("torch.randn", generator).normal(0.0, scale, _pairs(shape, dtype))
    return _drawn("torch.randn", values, dtype, requires_grad, device)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False, **keywords):
    """Uniform samples on ``[0, 1)`` of the given size (complex: real and
    imaginary parts each uniform on ``[0, 1)``).

    Example:
        >>> import ndgrad.torch as torch
        >>> x = torch.rand(100); bool((x >= 0).all() and (x < 1).all())
        True
    """
    refuse_out("torch.rand", out)
    shape = size_of("torch.rand", size, keywords.pop("size", None))
    dtype = _drawn_dtype("torch.rand", dtype)
    values = rng_of("torch.rand", generator).uniform(0.0, 1.0, _pairs(shape, dtype))
    return _drawn("torch.rand", values, dtype, requires_grad, device)


def randint(*bounds_and_size, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, **keywords):
    """Integers drawn uniformly from ``[low, high)``: ``randint(high, size)`` or
    ``randint(low, high, size)``; int64 unless ``dtype`` says otherwise.

    Example:
        >>> import ndgrad.torch as torch
        >>> x = torch.randint(3, 10, (50,)); x.dtype, int(x.min()) >= 3, int(x.max()) < 10
        (dtype('int64'), True, True)
    """
    refuse_out("torch.randint", out)
    args = list(bounds_and_size)
    low = keywords.pop("low", None)
    high = keywords.pop("high", None)
    size = keywords.pop("size", None)
    if keywords:
        raise TypeError(f"torch.randint: unexpected arguments {sorted(keywords)}")
    if size is None and args and isinstance(args[-1], (tuple, list)):
        size = args.pop()
    if high is None and args:
        high = args.pop()
    if low is None:
        low = args.pop() if args else 0
    if args or high is None or size is None:
        raise TypeError("torch.randint: call it as randint(high, size) or "
                        "randint(low, high, size), with size a tuple such as (3,)")
    shape = size_of("torch.randint", (size,))
    values = rng_of("torch.randint", generator).integers(int(low), int(high), shape)
    out = Tensor._wrap(values.astype(dtype_of("torch.randint", dtype) or np.int64, copy=False))
    return finish("torch.randint", out, requires_grad, device)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """A random permutation of ``0 .. n-1`` (int64).

    Example:
        >>> import ndgrad.torch as torch
        >>> sorted(torch.randperm(5).tolist())
        [0, 1, 2, 3, 4]
    """
    refuse_out("torch.randperm", out)
    values = rng_of("torch.randperm", generator).permutation(operator.index(n))
    out = Tensor._wrap(values.astype(dtype_of("torch.randperm", dtype) or np.int64, copy=False))
    return finish("torch.randperm", out, requires_grad, device)


def _array(value):
    return value.detach().numpy() if isinstance(value, Tensor) else np.asarray(value)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None,
           layout=None, device=None, requires_grad=False):
    """Normal samples with ``mean`` and ``std`` (numbers or tensors, broadcast
    together), or of ``size`` when both are numbers.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.normal(torch.zeros(3), 1.0).shape, torch.normal(2.0, 0.5, size=(2, 2)).shape
        ((3,), (2, 2))
    """
    refuse_out("torch.normal", out)
    mean_array, std_array = _array(mean), _array(std)
    if std_array.dtype.kind == "c":
        raise TypeError("torch.normal: std is complex; a standard deviation is real (a "
                        "complex mean or dtype gives complex samples)")
    if (std_array < 0).any():
        raise ValueError("torch.normal: std must be >= 0")
    if size is not None:
        shape = size_of("torch.normal", (size,))
    else:
        shape = np.broadcast_shapes(mean_array.shape, std_array.shape)
    tensors = [value for value in (mean, std) if isinstance(value, Tensor)]
    if dtype is None and tensors:
        dtype = tensors[0].dtype
    dtype = _drawn_dtype("torch.normal", dtype)
    if mean_array.dtype.kind == "c" and dtype.kind != "c":
        raise TypeError(f"torch.normal: mean is complex and dtype {dtype} is not; pass a "
                        "complex dtype or a real mean")
    if dtype.kind == "c":       # each part: variance std**2 / 2 around the mean's part
        mean_array = np.stack([mean_array.real, mean_array.imag], axis=-1)
        std_array = std_array[..., None] * np.sqrt(0.5)
    values = rng_of("torch.normal", generator).normal(mean_array, std_array,
                                                      _pairs(shape, dtype))
    return _drawn("torch.normal", values, dtype, requires_grad, device)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Uniform samples on ``[0, 1)`` shaped (and typed) like ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.rand_like(torch.zeros(2, dtype=torch.float64)).dtype
        dtype('float64')
    """
    return rand(input.shape, dtype=dtype or input.dtype, device=device,
                requires_grad=requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Standard normal samples shaped (and typed) like ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.randn_like(torch.zeros(2, 3)).shape
        (2, 3)
    """
    return randn(input.shape, dtype=dtype or input.dtype, device=device,
                 requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None,
                 requires_grad=False, memory_format=None):
    """Integers from ``[low, high)`` (``randint_like(x, high)`` also) shaped like ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.randint_like(torch.zeros(3), 5).shape
        (3,)
    """
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype, device=device,
                   requires_grad=requires_grad)


def bernoulli(input, p=None, *, generator=None, out=None):
    """1 with probability ``input`` (or ``p``) per element, else 0; dtype of ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.bernoulli(torch.tensor([0.0, 1.0])).tolist()
        [0.0, 1.0]
    """
    refuse_out("torch.bernoulli", out)
    probability = _array(input if p is None else p)
    if ((probability < 0) | (probability > 1)).any():
        raise ValueError("torch.bernoulli: probabilities must be in [0, 1]")
    shape = np.shape(input)
    draws = rng_of("torch.bernoulli", generator).random(shape) < probability
    return Tensor._wrap(draws.astype(np.asarray(input).dtype if isinstance(input, Tensor)
                                     else np.float32))


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """``num_samples`` category indices per row, drawn with probability
    proportional to the (non-negative) weights in ``input`` (1-D or 2-D).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.multinomial(torch.tensor([0.0, 1.0, 0.0]), 2, replacement=True).tolist()
        [1, 1]
    """
    refuse_out("torch.multinomial", out)
    weights = _array(input).astype(np.float64)
    if weights.ndim not in (1, 2) or (weights < 0).any() or not np.isfinite(weights).all():
        raise ValueError("torch.multinomial: input must be a 1-D or 2-D tensor of finite, "
                         f"non-negative weights; got shape {weights.shape}")
    rows = weights.reshape(-1, weights.shape[-1])
    totals = rows.sum(axis=1, keepdims=True)
    if (totals <= 0).any():
        raise ValueError("torch.multinomial: every row needs a positive total weight")
    if not replacement and num_samples > (rows > 0).sum(axis=1).min():
        raise ValueError(f"torch.multinomial: cannot draw {num_samples} samples without "
                         "replacement from fewer categories with non-zero weight")
    rng = rng_of("torch.multinomial", generator)
    picks = np.stack([rng.choice(rows.shape[1], num_samples, replace=replacement,
                                 p=row / total) for row, total in zip(rows, totals[:, 0])])
    return Tensor._wrap(picks.reshape(weights.shape[:-1] + (num_samples,)).astype(np.int64))
