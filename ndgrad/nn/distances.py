"""Normalising and comparing vectors: ``F.normalize``, ``F.cosine_similarity``,
``F.pairwise_distance`` and the modules ``nn.CosineSimilarity``,
``nn.PairwiseDistance``, with PyTorch's arguments and results.

All are compositions of differentiable ops (a ``p``-norm along one dim,
a clamp, a division), so their gradients come from those ops' rules.
The small constants are PyTorch's: ``normalize`` divides by the norm clamped
to at least ``eps``; ``cosine_similarity`` divides each input by its own
clamped norm before the dot product, which keeps the result in ``[-1, 1]``;
``pairwise_distance`` adds ``eps`` to the difference so the gradient at zero
distance is finite.

Example:
    >>> import ndgrad
    >>> from ndgrad.nn import functional as F
    >>> F.normalize(ndgrad.tensor([[3.0, 4.0]]), dim=1).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    >>> F.cosine_similarity(ndgrad.tensor([[1.0, 0.0]]), ndgrad.tensor([[1.0, 1.0]])).item()
    0.7071067690849304
"""

import numbers

from ..errors import shape_error
from ..ops.arithmetic import add, divide, multiply, subtract
from ..ops.arrange import broadcast_arrays
from ..ops.norms import norm
from ..ops.reduce import sum as _sum
from ..ops.selection import clip
from ..tensor import Tensor
from .module import Module

__all__ = ["CosineSimilarity", "PairwiseDistance"]
FUNCTIONAL = ["normalize", "cosine_similarity", "pairwise_distance"]


def _as_tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


def _check_dim(function, x, dim):
    if not isinstance(dim, numbers.Integral) or not -max(x.ndim, 1) <= dim < max(x.ndim, 1):
        raise shape_error(function, [x], f"dim={dim!r} is out of range for an input with "
                          f"{x.ndim} dimension(s)")
    return int(dim)


def _vector_norm(x, p, dim, keepdim):
    return norm(x, ord=p, axis=dim, keepdims=keepdim)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """``input`` divided by its ``p``-norm along ``dim`` (the norm clamped to at
    least ``eps``), as ``torch.nn.functional.normalize``.

    Example:
        >>> import ndgrad
        >>> from ndgrad.nn import functional as F
        >>> F.normalize(ndgrad.tensor([[1.0, 1.0], [0.0, 0.0]]), p=1, dim=1).tolist()
        [[0.5, 0.5], [0.0, 0.0]]
    """
    if out is not None:
        raise TypeError("normalize: out= is not supported; assign the result")
    x = _as_tensor(input)
    dim = _check_dim("normalize", x, dim)
    return divide(x, clip(_vector_norm(x, p, dim, True), min=eps))


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """The cosine of the angle between ``x1`` and ``x2`` (broadcast together)
    along ``dim``, as ``torch.nn.functional.cosine_similarity``.

    Example:
        >>> import ndgrad
        >>> from ndgrad.nn import functional as F
        >>> F.cosine_similarity(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([-2.0, 1.0]), dim=0).item()
        0.0
    """
    a, b = broadcast_arrays(_as_tensor(x1), _as_tensor(x2))
    dim = _check_dim("cosine_similarity", a, dim)
    unit_a = divide(a, clip(_vector_norm(a, 2, dim, True), min=eps))
    unit_b = divide(b, clip(_vector_norm(b, 2, dim, True), min=eps))
    return _sum(multiply(unit_a, unit_b), axis=dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The ``p``-norm of ``x1 - x2 + eps`` along the last dim, as
    ``torch.nn.functional.pairwise_distance``.

    Example:
        >>> import ndgrad
        >>> from ndgrad.nn import functional as F
        >>> d = F.pairwise_distance(ndgrad.tensor([[0.0, 0.0]]), ndgrad.tensor([[3.0, 4.0]]))
        >>> f"{d.item():.4f}"
        '5.0000'
    """
    difference = add(subtract(_as_tensor(x1), _as_tensor(x2)), eps)
    if difference.ndim == 0:
        raise shape_error("pairwise_distance", [difference], "the inputs need at least one "
                          "dimension")
    return _vector_norm(difference, p, -1, keepdim)


class CosineSimilarity(Module):
    """``cosine_similarity(x1, x2, dim, eps)`` as a module (``torch.nn.CosineSimilarity``).

    Args:
        dim (int, default 1): the axis the cosine is taken along (it disappears from
            the output).
        eps (float, default 1e-8): the smallest norm divided by, so zero vectors give 0.

    Example:
        >>> from ndgrad.nn import CosineSimilarity
        >>> import ndgrad
        >>> similarity = CosineSimilarity(dim=1)(ndgrad.ones((2, 3)), ndgrad.ones((2, 3)))
        >>> [f"{v:.4f}" for v in similarity.tolist()]
        ['1.0000', '1.0000']
    """

    def __init__(self, dim=1, eps=1e-8, name=None):
        super().__init__(name=name)
        self.dim, self.eps = int(dim), float(eps)

    def forward(self, x1, x2):
        return cosine_similarity(x1, x2, self.dim, self.eps)

    def extra_repr(self):
        return f"dim={self.dim}, eps={self.eps}"


class PairwiseDistance(Module):
    """``pairwise_distance(x1, x2, p, eps, keepdim)`` as a module
    (``torch.nn.PairwiseDistance``).

    Args:
        p (float, default 2.0): the norm of the distance along the last axis.
        eps (float, default 1e-6): added to the differences, so equal rows still have a
            gradient.
        keepdim (bool, default False): keep the reduced last axis with size 1.

    Example:
        >>> from ndgrad.nn import PairwiseDistance
        >>> import ndgrad
        >>> PairwiseDistance(p=1, eps=0.0)(ndgrad.zeros((1, 2)), ndgrad.ones((1, 2))).tolist()
        [2.0]
    """

    def __init__(self, p=2.0, eps=1e-6, keepdim=False, name=None):
        super().__init__(name=name)
        self.norm, self.eps, self.keepdim = float(p), float(eps), bool(keepdim)

    def forward(self, x1, x2):
        return pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)

    def extra_repr(self):
        return f"p={self.norm}, eps={self.eps}, keepdim={self.keepdim}"
