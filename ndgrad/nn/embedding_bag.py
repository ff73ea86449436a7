"""``nn.EmbeddingBag`` and ``F.embedding_bag``: the sum, mean or maximum of bags
of embeddings, without materializing the (bag, length, dim) lookups, as PyTorch.

Bags are given as a 2-D (B, L) index tensor (B bags of L indices each) or as a
1-D index tensor with ``offsets``, the start of each bag (``include_last_offset``:
one more entry, the end of the last bag). The looked-up rows (only those not
equal to ``padding_idx``) are multiplied by ``per_sample_weights`` when given,
then reduced per bag with one ``add.reduceat`` (sum, mean) or
``maximum.reduceat`` (max, the first maximum of each column getting the
gradient). An empty bag gives zeros. The per-bag sum is a primitive whose
gradient hands each row its bag's gradient, so every order of gradient works.

Example:
    >>> import ndgrad
    >>> bag = ndgrad.nn.EmbeddingBag(10, 3, mode="sum")
    >>> bag(ndgrad.tensor([1, 2, 4, 5, 4, 3]), ndgrad.tensor([0, 4])).shape
    (2, 3)
"""

import numpy as np

from ..devices import check_device
from .. import random
from ..autograd.primitive import as_input, data_of, primitive
from ..errors import shape_error
from ..ops.index import _scatter_add, getitem
from ..tensor import Tensor
from ._sizes import size
from .embedding import _index_array, _lookup, _padding_index
from .module import Module
from .parameter import Parameter

__all__ = ["EmbeddingBag"]
FUNCTIONAL = ["embedding_bag"]
MODES = ("sum", "mean", "max")


@primitive(name="bag_sum", reads=())
def _bag_sum(rows, starts, bags, count):
    """(count, dim) zeros with the sum of each run of ``rows`` (beginning at ``starts``)
    written at its bag ``bags``."""
    out = np.zeros((count,) + rows.shape[1:], dtype=rows.dtype)
    if starts.size:
        out[bags] = np.add.reduceat(rows, starts, axis=0)
    return out


@_bag_sum.defvjp
def _bag_sum_vjp(g, out, rows, starts, bags, count):
    lengths = np.diff(np.append(starts, rows.shape[0]))
    return getitem(g, np.repeat(bags, lengths))


def _bags(name, indices, offsets, include_last_offset, per_sample_weights):
    """(flat indices, bag of each index, number of bags, flat weights)."""
    weights = None if per_sample_weights is None else as_input(per_sample_weights)
    if indices.ndim == 2:
        if offsets is not None:
            raise ValueError(f"{name}: offsets must be None for a 2-D input (each row is a bag "
                             "of fixed length)")
        bags, length = indices.shape
        if weights is not None and tuple(weights.shape) != indices.shape:
            raise shape_error(name, [indices, weights], "per_sample_weights must have the "
                              "input's shape")
        flat_weights = None if weights is None else weights.reshape(-1)
        return indices.reshape(-1), np.repeat(np.arange(bags), length), bags, flat_weights
    if indices.ndim != 1:
        raise shape_error(name, [indices], f"expected a 1-D (with offsets) or 2-D input, got "
                          f"{indices.ndim}-D")
    if offsets is None:
        raise ValueError(f"{name}: a 1-D input needs offsets (the start of each bag)")
    starts = np.asarray(data_of(as_input(offsets)))
    if starts.ndim != 1 or starts.dtype.kind not in "iu":
        raise TypeError(f"{name}: offsets must be a 1-D integer tensor, got shape "
                        f"{starts.shape} and dtype {starts.dtype}")
    if starts.size and starts[0] != 0:
        raise ValueError(f"{name}: offsets[0] must be 0 (the first bag starts the input), got "
                         f"{starts[0]}")
    if np.any(np.diff(starts) < 0) or (starts.size and starts[-1] > indices.size):
        raise ValueError(f"{name}: offsets must be non-decreasing and at most the input's "
                         f"length {indices.size}, got {starts.tolist()}")
    end = indices.size
    if include_last_offset:
        end = int(starts[-1]) if starts.size else 0
        starts = starts[:-1]
    if weights is not None and tuple(weights.shape) != indices.shape:
        raise shape_error(name, [indices, weights], "per_sample_weights must have the input's "
                          "shape")
    bag_of = np.searchsorted(starts, np.arange(end), side="right") - 1
    flat_weights = None if weights is None else weights[:end]
    return indices[:end], bag_of, starts.size, flat_weights


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2,
                  scale_grad_by_freq=False, mode="mean", sparse=False, per_sample_weights=None,
                  include_last_offset=False, padding_idx=None):
    """Reduce bags of rows of ``weight``, as ``torch.nn.functional.embedding_bag``.

    Args:
        input: (B, L) indices (B bags), or 1-D indices with ``offsets``.
        weight: the (num_embeddings, dim) table.
        offsets: the start of each bag in a 1-D input.
        mode: "sum", "mean" or "max".
        per_sample_weights: one weight per index, multiplying its row ("sum" only).
        include_last_offset: ``offsets`` also holds the end of the last bag.
        padding_idx: indices equal to it are left out of their bags.
        max_norm, scale_grad_by_freq, sparse: not supported (refused).

    Example:
        >>> from ndgrad.nn.functional import embedding_bag
        >>> import ndgrad
        >>> weight = ndgrad.tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])
        >>> embedding_bag(ndgrad.tensor([[1, 2], [2, 2]]), weight).tolist()
        [[2.0, 3.0], [3.0, 4.0]]
    """
    name = "embedding_bag"
    if mode not in MODES:
        raise ValueError(f"{name}: mode must be 'sum', 'mean' or 'max', got {mode!r}")
    for flag, value, hint in (("max_norm", max_norm is not None, "renormalize the weight "
                               "yourself under ndgrad.no_grad()"),
                              ("scale_grad_by_freq", bool(scale_grad_by_freq), "scale the "
                               "gradient yourself"),
                              ("sparse", bool(sparse), "gradients are dense (the same values)")):
        if value:
            raise NotImplementedError(f"{name}: {flag} is not supported; {hint}")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"{name}: per_sample_weights is only supported for "
                                  f"mode='sum' (as in PyTorch), got mode={mode!r}")
    weight = as_input(weight)
    rows_count, dim = weight.shape
    indices = _index_array(name, input, rows_count)
    padding_idx = _padding_index(name, padding_idx, rows_count)
    flat, bag_of, bags, sample_weights = _bags(name, indices, offsets, include_last_offset,
                                               per_sample_weights)
    kept = np.ones(flat.shape, bool) if padding_idx is None else flat != padding_idx
    rows = _lookup(weight, indices=flat[kept], padding_idx=padding_idx)
    if sample_weights is not None:
        rows = rows * getitem(sample_weights, kept).reshape(-1, 1)
    bag_of = bag_of[kept]
    starts = np.flatnonzero(np.r_[True, bag_of[1:] != bag_of[:-1]]) if bag_of.size else \
        np.zeros(0, np.int64)
    filled = bag_of[starts]
    if mode == "max":
        if not starts.size:
            return Tensor(np.zeros((bags, dim), weight.dtype))
        values = np.asarray(data_of(rows))
        maxima = np.maximum.reduceat(values, starts, axis=0)
        lengths = np.diff(np.append(starts, values.shape[0]))
        at_maximum = values == np.repeat(maxima, lengths, axis=0)
        positions = np.where(at_maximum, np.arange(values.shape[0])[:, None], values.shape[0])
        first = np.minimum.reduceat(positions, starts, axis=0)    # each column's first maximum
        best = getitem(rows, (first, np.arange(dim)[None, :]))
        return _scatter_add(best, shape=(bags, dim), index=(filled,))
    total = _bag_sum(rows, starts=starts, bags=filled, count=bags)
    if mode == "sum":
        return total
    counts = np.bincount(bag_of, minlength=bags).astype(total.dtype)
    return total / np.maximum(counts, 1)[:, None]


class EmbeddingBag(Module):
    """Sums, means or maxima of bags of embeddings, as ``torch.nn.EmbeddingBag``:
    ``weight`` (num_embeddings, embedding_dim) from N(0, 1), the ``padding_idx``
    row zero. Called as ``bag(input, offsets=None, per_sample_weights=None)``.

    Args:
        num_embeddings, embedding_dim: the table's shape.
        mode: "mean" (default), "sum" or "max".
        include_last_offset: ``offsets`` holds the end of the last bag too.
        padding_idx: an index left out of every bag (its row stays zero).
        _weight: an initial table.
        max_norm, scale_grad_by_freq, sparse: not supported (refused).
        norm_type: accepted (the norm of ``max_norm``, which is refused).

    Example:
        >>> import ndgrad
        >>> bag = ndgrad.nn.EmbeddingBag(10, 3)
        >>> bag, bag(ndgrad.tensor([[1, 2], [3, 4]])).shape
        (EmbeddingBag(10, 3, mode='mean'), (2, 3))
    """

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, mode="mean", sparse=False, _weight=None,
                 include_last_offset=False, padding_idx=None, device=None, dtype=None,
                 name=None):
        check_device(device, "EmbeddingBag")
        if mode not in MODES:
            raise ValueError(f"EmbeddingBag: mode must be 'sum', 'mean' or 'max', got {mode!r}")
        for flag, value in (("max_norm", max_norm is not None),
                            ("scale_grad_by_freq", bool(scale_grad_by_freq)),
                            ("sparse", bool(sparse))):
            if value:
                raise NotImplementedError(f"EmbeddingBag: {flag} is not supported (dense "
                                          "gradients, no renormalization)")
        super().__init__(name=name, dtype=dtype)
        self.num_embeddings = size("EmbeddingBag", "num_embeddings", num_embeddings)
        self.embedding_dim = size("EmbeddingBag", "embedding_dim", embedding_dim)
        self.max_norm, self.norm_type, self.scale_grad_by_freq = None, norm_type, False
        self.mode, self.sparse, self.include_last_offset = mode, False, bool(include_last_offset)
        self.padding_idx = _padding_index("EmbeddingBag", padding_idx, self.num_embeddings)
        shape = (self.num_embeddings, self.embedding_dim)
        if _weight is None:
            value = random.normal(shape, dtype=self.dtype)._data
            if self.padding_idx is not None:
                value[self.padding_idx] = 0
        else:
            value = np.asarray(getattr(_weight, "_data", _weight), dtype=self.dtype)
            if value.shape != shape:
                raise ValueError(f"EmbeddingBag: _weight has shape {value.shape}, expected "
                                 f"{shape}")
        self.weight = Parameter(value)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, mode="mean", sparse=False,
                        include_last_offset=False, padding_idx=None):
        """An EmbeddingBag holding a copy of ``embeddings`` (rows, dim), frozen by default.

        Example:
            >>> import ndgrad
            >>> bag = ndgrad.nn.EmbeddingBag.from_pretrained([[1.0, 2.0], [3.0, 4.0]], mode="sum")
            >>> bag(ndgrad.tensor([[0, 1]])).tolist(), bag.weight.trainable
            ([[4.0, 6.0]], False)
        """
        array = np.asarray(getattr(embeddings, "_data", embeddings), dtype=np.float32)
        if array.ndim != 2:
            raise ValueError(f"EmbeddingBag.from_pretrained: embeddings must be 2-D, got shape "
                             f"{array.shape}")
        layer = cls(array.shape[0], array.shape[1], max_norm, norm_type, scale_grad_by_freq,
                    mode, sparse, array, include_last_offset, padding_idx)
        layer.weight.trainable = not freeze
        return layer

    def forward(self, input, offsets=None, per_sample_weights=None):
        return embedding_bag(input, self.weight, offsets, mode=self.mode,
                             per_sample_weights=per_sample_weights,
                             include_last_offset=self.include_last_offset,
                             padding_idx=self.padding_idx)

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type!r}"
        text += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx!r}"
        return text
