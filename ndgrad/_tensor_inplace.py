"""PyTorch's in-place methods of :class:`ndgrad.Tensor` (``add_``, ``zero_``, ``copy_``, ...).

Every one goes through ``ndgrad.ops.inplace``, the mechanism of ``x += y``:

- outside the graph (no input requires grad, or under ``no_grad``) the new
  values are written into the tensor's own memory and its storage's version is
  bumped, so a graph that saved the old values (through this tensor or any view
  or alias of it) refuses to backward through them;
- on a result in the graph the op is recorded and the tensor rebased onto it;
  on a view, the op is recorded on its base's graph and written into the base
  (``ndgrad.ops.writes``);
- on a leaf that requires grad (or a view of one), while recording, it is
  refused with an error that says what to do (``no_grad``, or write through
  ``.data``), as PyTorch.

``p.data.add_(...)`` writes through ``.data``: a detached tensor sharing the
array, so it is allowed and unrecorded; unlike PyTorch it counts as a write to
``p`` (one counter per storage), so a graph that saved ``p`` refuses instead of
giving a wrong gradient. The elementwise math forms (``exp_``, ``sigmoid_``,
...) are in ``_tensor_inplace_math``.

Example:
    >>> import ndgrad
    >>> w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    >>> with ndgrad.no_grad():
    ...     _ = w.mul_(2).add_(ndgrad.ones(2), alpha=0.5)
    >>> w.tolist()
    [2.5, 4.5]
    >>> w.data.zero_() is not None, w.tolist()
    (True, [0.0, 0.0])
"""

import numpy as np

from ._backend import xp

_ops = None     # ndgrad.ops, bound by ndgrad/ops/__init__.py
Tensor = None   # ndgrad.tensor.Tensor, bound by ndgrad/tensor.py


def inplace(tensor, name, compute, other=None):
    """``tensor = compute(tensor, other)`` written into ``tensor`` (``ops.inplace``);
    ``other`` is the one input besides ``tensor`` that may require grad, and
    ``compute`` must return a new array of its own (not a view of an input)."""
    def step(x, given):
        return compute(x, given)
    step.__name__ = name          # ops.inplace names the op in its errors by this
    return _ops.inplace(tensor, step, other)


def _scaled(other, alpha):
    if alpha == 1:
        return other
    return _ops.multiply(other, alpha) if isinstance(other, Tensor) else other * alpha


def _constant(x, array):
    """``array`` (x's shape) in place of ``x``: a result that, in the graph, stays
    connected to ``x`` with a zero gradient, as PyTorch's fills do."""
    return _ops.where(True, Tensor._wrap(array.astype(x.dtype, copy=False)), x)


def _filled(x, value):
    """``value`` broadcast to ``x``'s shape, in ``x``'s dtype, in an array of its own."""
    if isinstance(value, Tensor):
        value = _ops.astype(value, x.dtype, copy=False)
    elif x.dtype.kind != "f":
        value = xp.asarray(value).astype(x.dtype)
    return _ops.where(True, value, x)


def _rng(generator, what):
    from . import random as _random
    if generator is None:
        return _random.generator()
    if hasattr(generator, "standard_normal"):       # a NumPy Generator
        return generator
    raise TypeError(f"{what}: generator must be None or a NumPy Generator, got "
                    f"{type(generator).__name__}")


class TensorInplace:
    """In-place fills, copies and arithmetic: each one is ``ops.inplace``."""

    __slots__ = ()

    def zero_(self):
        """Fill with zeros in place; returns this tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).zero_().tolist()
            [0.0, 0.0]
        """
        return inplace(self, "zero_", lambda x, _: _ops.where(True, 0, x))

    def fill_(self, value):
        """Fill with ``value`` (a number or a 0-d tensor) in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(2).fill_(3).tolist()
            [3.0, 3.0]
        """
        if isinstance(value, Tensor) and value.ndim:
            raise ValueError(f"fill_: the value must be a number or a 0-d tensor, got shape "
                             f"{value.shape}; use copy_ to copy a tensor")
        return inplace(self, "fill_", _filled, value)

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        """Fill with draws from a normal distribution (ndgrad's generator, seeded
        by ``ndgrad.random.seed``, unless a NumPy ``generator`` is given).

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(1000).normal_(2.0, 0.5).mean().item() > 1.9
            True
        """
        rng = _rng(generator, "normal_")
        return inplace(self, "normal_",
                       lambda x, _: _constant(x, rng.normal(mean, std, size=x.shape)))

    def uniform_(self, low=0.0, high=1.0, *, generator=None, **bounds):
        """Fill with draws from ``uniform(low, high)``; PyTorch's ``from=`` / ``to=``
        keywords are read too.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.zeros(100).uniform_(-0.1, 0.1)
            >>> bool((x.abs() <= 0.1).all())
            True
        """
        low, high = bounds.pop("from", low), bounds.pop("to", high)
        if bounds:
            raise TypeError(f"uniform_: unexpected keyword argument(s) {sorted(bounds)}")
        rng = _rng(generator, "uniform_")
        return inplace(self, "uniform_",
                       lambda x, _: _constant(x, rng.uniform(low, high, size=x.shape)))

    def bernoulli_(self, p=0.5, *, generator=None):
        """Fill with 1 with probability ``p``, else 0.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(4).bernoulli_(1.0).tolist()
            [1.0, 1.0, 1.0, 1.0]
        """
        rng = _rng(generator, "bernoulli_")
        return inplace(self, "bernoulli_",
                       lambda x, _: _constant(x, rng.random(x.shape) < p))

    def copy_(self, src, non_blocking=False):
        """Copy ``src`` (broadcast, converted to this dtype) into this tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(2).copy_(ndgrad.tensor([1, 2])).tolist()
            [1.0, 2.0]
        """
        src = src if isinstance(src, Tensor) else Tensor._wrap(np.asarray(src))
        try:
            fits = np.broadcast_shapes(src.shape, self.shape) == self.shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"copy_: src of shape {src.shape} does not broadcast to the "
                             f"tensor's shape {self.shape}")
        return inplace(self, "copy_", _filled, src)

    def add_(self, other, alpha=1):
        """``self += alpha * other`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).add_(ndgrad.ones(2), alpha=-0.5).tolist()
            [0.5, 0.5]
        """
        return inplace(self, "add_", _ops.add, _scaled(other, alpha))

    def sub_(self, other, alpha=1):
        """``self -= alpha * other`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).sub_(2.0).tolist()
            [-1.0, -1.0]
        """
        return inplace(self, "sub_", _ops.subtract, _scaled(other, alpha))

    def mul_(self, other):
        """``self *= other`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).mul_(3).tolist()
            [3.0, 3.0]
        """
        return inplace(self, "mul_", _ops.multiply, other)

    def div_(self, other, rounding_mode=None):
        """``self /= other`` in place (``rounding_mode`` as :meth:`div`).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).div_(4).tolist()
            [0.25, 0.25]
        """
        return inplace(self, "div_", lambda x, o: x.div(o, rounding_mode=rounding_mode), other)

    def pow_(self, exponent):
        """``self **= exponent`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([3.0]).pow_(2).tolist()
            [9.0]
        """
        return inplace(self, "pow_", _ops.power, exponent)

    def clamp_(self, min=None, max=None):
        """Limit values to ``[min, max]`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0, 2.0]).clamp_(-1, 1).tolist()
            [-1.0, 1.0]
        """
        return inplace(self, "clamp_", lambda x, _: _ops.clip(x, min, max))

    clip_ = clamp_

    def clamp_min_(self, min):
        """``max(self, min)`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0, 2.0]).clamp_min_(0).tolist()
            [0.0, 2.0]
        """
        return inplace(self, "clamp_min_", lambda x, _: _ops.clip(x, min, None))

    def clamp_max_(self, max):
        """``min(self, max)`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0, 2.0]).clamp_max_(0).tolist()
            [-2.0, 0.0]
        """
        return inplace(self, "clamp_max_", lambda x, _: _ops.clip(x, None, max))

    def addcmul_(self, tensor1, tensor2, value=1):
        """``self += value * tensor1 * tensor2`` in place.

        Example:
            >>> import ndgrad
            >>> a, b = ndgrad.tensor([2.0]), ndgrad.tensor([3.0])
            >>> ndgrad.ones(1).addcmul_(a, b, value=0.5).tolist()
            [4.0]
        """
        return inplace(self, "addcmul_", _ops.add,
                       _scaled(_ops.multiply(tensor1, tensor2), value))

    def addcdiv_(self, tensor1, tensor2, value=1):
        """``self += value * tensor1 / tensor2`` in place (Adam's update).

        Example:
            >>> import ndgrad
            >>> a, b = ndgrad.tensor([3.0]), ndgrad.tensor([2.0])
            >>> ndgrad.ones(1).addcdiv_(a, b, value=-1).tolist()
            [-0.5]
        """
        return inplace(self, "addcdiv_", _ops.add, _scaled(_ops.divide(tensor1, tensor2), value))

    def lerp_(self, end, weight):
        """``self += weight * (end - self)`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(1).lerp_(ndgrad.tensor([8.0]), 0.25).tolist()
            [2.0]
        """
        keep = _ops.subtract(1, weight) if isinstance(weight, Tensor) else 1 - weight
        return inplace(self, "lerp_", lambda x, pulled: _ops.add(_ops.multiply(x, keep), pulled),
                       _ops.multiply(end, weight))

    def masked_fill_(self, mask, value):
        """Write ``value`` where ``mask`` is true, in place.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([1.0, -2.0]); x.masked_fill_(x < 0, 0.0).tolist()
            [1.0, 0.0]
        """
        return inplace(self, "masked_fill_", lambda x, v: x.masked_fill(mask, v), value)

    def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
        """:meth:`scatter` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(3).scatter_(0, ndgrad.tensor([2]), 5.0).tolist()
            [0.0, 0.0, 5.0]
        """
        given = src if src is not None else value
        return inplace(self, "scatter_",
                       lambda x, s: x.scatter(dim, index, s, reduce=reduce), given)

    def scatter_add_(self, dim, index, src):
        """:meth:`scatter_add` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(2).scatter_add_(0, ndgrad.tensor([1, 1]), ndgrad.ones(2)).tolist()
            [0.0, 2.0]
        """
        return inplace(self, "scatter_add_",
                       lambda x, s: x.scatter_add(dim, index, s), src)

    def index_add_(self, dim, index, source, *, alpha=1):
        """:meth:`index_add` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(2).index_add_(0, ndgrad.tensor([0]), ndgrad.tensor([4.0])).tolist()
            [4.0, 0.0]
        """
        return inplace(self, "index_add_",
                       lambda x, s: x.index_add(dim, index, s, alpha=alpha), source)
