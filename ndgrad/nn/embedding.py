"""Embeddings: ``nn.Embedding`` (PyTorch) and ``layers.Embedding`` (Keras).

A lookup ``weight[indices]`` for integer indices of any shape, as one
primitive. Its gradient adds each output row back into the row it came from
(repeated indices accumulate), except the ``padding_idx`` row, which gets no
gradient, as in PyTorch. The scatter is itself a primitive whose gradient is
the lookup, so higher orders work. Indices outside ``[0, num_embeddings)``
are refused with the offending index named, before anything is computed.

Example:
    >>> import ndgrad
    >>> table = ndgrad.nn.Embedding(10, 3)
    >>> table(ndgrad.tensor([[1, 2], [3, 4]], dtype="int64")).shape
    (2, 2, 3)
"""

import numpy as np

from ..devices import check_device
from .. import random
from ..autograd.primitive import primitive
from ..tensor import Tensor
from ._sizes import size
from .module import Module, keras_exports
from .parameter import Parameter

__all__ = ["Embedding"]
FUNCTIONAL = ["embedding"]


@primitive(name="embedding", reads=())
def _lookup(weight, indices, padding_idx):
    return weight.take(indices, axis=0)


@_lookup.defvjp
def _lookup_vjp(g, out, weight, indices, padding_idx):
    return _scatter_rows(g, rows=weight.shape[0], indices=indices, padding_idx=padding_idx)


_RANK_ROUNDS = 8


@primitive(name="embedding_backward", reads=())
def _scatter_rows(g, rows, indices, padding_idx):
    """A (rows, dim) array with each row of ``g`` added at its index.

    The indices are sorted and each occurrence gets its rank among equal
    indices; occurrences of equal rank hit distinct rows, so each rank is one
    collision-free fancy-index add. A few rounds cover typical batches (3x
    faster than ``np.add.at``); occurrences beyond them (a padding token
    repeated many times) go through ``np.add.at`` on the flat array."""
    dim = g.shape[-1]
    out = np.zeros((rows, dim), dtype=g.dtype)
    flat = indices.reshape(-1)
    if flat.size == 0:
        return out
    order = np.argsort(flat, kind="stable")
    ordered, values = flat[order], g.reshape(-1, dim)[order]
    first = np.empty(flat.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    positions = np.arange(flat.size)
    rank = positions - np.maximum.accumulate(np.where(first, positions, 0))
    out[ordered[first]] = values[first]
    for k in range(1, min(int(rank.max()) + 1, _RANK_ROUNDS)):
        chosen = rank == k
        out[ordered[chosen]] += values[chosen]
    rest = rank >= _RANK_ROUNDS
    if rest.any():
        columns = (ordered[rest][:, None] * dim + np.arange(dim)).reshape(-1)
        np.add.at(out.reshape(-1), columns, values[rest].reshape(-1))
    if padding_idx is not None:
        out[padding_idx] = 0
    return out


@_scatter_rows.defvjp
def _scatter_rows_vjp(gg, out, g, rows, indices, padding_idx):
    looked_up = _lookup(gg, indices=indices, padding_idx=padding_idx)
    if padding_idx is None:
        return looked_up
    return looked_up * (indices != padding_idx)[..., None]


def _index_array(name, indices, num_embeddings, allow_float=False):
    """The indices as an integer array, checked against ``num_embeddings``."""
    array = indices._data if isinstance(indices, Tensor) else np.asarray(indices)
    if array.size == 0 and array.dtype.kind == "f":
        array = array.astype(np.int64)          # np.asarray([]) is float64
    if array.dtype.kind == "f" and allow_float:
        if not np.all(np.mod(array, 1) == 0):
            raise TypeError(f"{name}: indices must be whole numbers, got non-integer values "
                            f"in a {array.dtype} input")
        array = array.astype(np.int64)
    if array.dtype.kind not in "iu":
        raise TypeError(f"{name}: indices must be integers, got {array.dtype}; convert them "
                        "with .astype('int64')")
    if array.size:
        bad = (array < 0) | (array >= num_embeddings)
        if bad.any():
            index = array[bad].flat[0]
            raise IndexError(f"{name}: index {index} is out of range for num_embeddings="
                             f"{num_embeddings} (valid indices are 0 to {num_embeddings - 1})")
    return array


def embedding(indices, weight, padding_idx=None):
    """Rows of ``weight`` (num_embeddings, dim) at integer ``indices`` of any shape:
    the result has shape ``indices.shape + (dim,)``. The ``padding_idx`` row gets
    no gradient.

    Args:
        indices: an integer tensor, array or nested list.
        weight: the (num_embeddings, embedding_dim) table.
        padding_idx: a row that receives no gradient (negative counts from the end).

    Example:
        >>> from ndgrad.nn.functional import embedding
        >>> import ndgrad
        >>> weight = ndgrad.Variable([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])
        >>> embedding([2, 1, 2], weight).tolist()
        [[3.0, 4.0], [1.0, 2.0], [3.0, 4.0]]
    """
    rows = weight.shape[0]
    padding_idx = _padding_index("embedding", padding_idx, rows)
    array = _index_array("embedding", indices, rows)
    return _lookup(weight, indices=array, padding_idx=padding_idx)


def _padding_index(name, padding_idx, rows):
    if padding_idx is None:
        return None
    if not -rows <= padding_idx < rows:
        raise ValueError(f"{name}: padding_idx {padding_idx} must be within num_embeddings "
                         f"({rows})")
    return int(padding_idx) % rows


class Embedding(Module):
    """A lookup table of ``num_embeddings`` vectors, as ``torch.nn.Embedding``:
    ``weight`` is (num_embeddings, embedding_dim), initialized from N(0, 1), with
    the ``padding_idx`` row zero and never trained.

    Args:
        num_embeddings: the number of rows (vocabulary size).
        embedding_dim: the size of each vector.
        padding_idx: a row kept at zero that gets no gradient.
        max_norm, norm_type: renormalizing looked-up rows is not supported
            (``max_norm`` must be None; ``norm_type`` is then unused).
        scale_grad_by_freq: False only (True would change the gradient).
        sparse: accepted; the gradient is computed dense, with the same
            values a sparse one would hold.
        _weight: an initial table to use instead of random values.
        _freeze: True makes the table untrainable.
        device: None or the CPU.

    Example:
        >>> import ndgrad
        >>> table = ndgrad.nn.Embedding(4, 2, padding_idx=0)
        >>> table([0, 0]).tolist()
        [[0.0, 0.0], [0.0, 0.0]]
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
                 norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None,
                 _freeze=False, device=None, dtype=None, name=None):
        check_device(device, "Embedding")
        if max_norm is not None:
            raise NotImplementedError("Embedding: max_norm is not supported; renormalize the "
                                      "weight yourself under ndgrad.no_grad()")
        if scale_grad_by_freq:
            raise NotImplementedError("Embedding: scale_grad_by_freq=True is not supported; "
                                      "divide the loss terms by the index counts yourself")
        super().__init__(name=name, dtype=dtype)
        self.num_embeddings = size("Embedding", "num_embeddings", num_embeddings)
        self.embedding_dim = size("Embedding", "embedding_dim", embedding_dim)
        self.padding_idx = _padding_index("Embedding", padding_idx, self.num_embeddings)
        shape = (self.num_embeddings, self.embedding_dim)
        if _weight is None:
            value = random.normal(shape, dtype=self.dtype)._data
            if self.padding_idx is not None:
                value[self.padding_idx] = 0
        else:
            value = np.asarray(getattr(_weight, "_data", _weight), dtype=self.dtype)
            if value.shape != shape:
                raise ValueError(f"Embedding: _weight has shape {value.shape}, expected {shape}")
        self.weight = Parameter(value)
        self.sparse = bool(sparse)
        if _freeze:
            self.weight.trainable = False

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None):
        """An Embedding holding a copy of ``embeddings`` (rows, dim), frozen by default.

        Example:
            >>> import ndgrad
            >>> table = ndgrad.nn.Embedding.from_pretrained([[1.0, 2.0], [3.0, 4.0]])
            >>> table([1]).tolist(), table.weight.trainable
            ([[3.0, 4.0]], False)
        """
        array = np.asarray(getattr(embeddings, "_data", embeddings), dtype=np.float32)
        if array.ndim != 2:
            raise ValueError(f"Embedding.from_pretrained: embeddings must be 2-D, got shape "
                             f"{array.shape}")
        layer = cls(array.shape[0], array.shape[1], padding_idx=padding_idx, _weight=array)
        layer.weight.trainable = not freeze
        return layer

    def forward(self, indices):
        array = _index_array("Embedding", indices, self.num_embeddings)
        return _lookup(self.weight, indices=array, padding_idx=self.padding_idx)

    def extra_repr(self):
        extra = f", padding_idx={self.padding_idx}" if self.padding_idx is not None else ""
        return f"{self.num_embeddings}, {self.embedding_dim}{extra}"


class EmbeddingKeras(Module):
    """Keras's ``Embedding(input_dim, output_dim)``: ``embeddings`` is
    (input_dim, output_dim), initialized uniformly in [-0.05, 0.05].

    Args:
        input_dim: the vocabulary size.
        output_dim: the size of each vector.
        embeddings_initializer: "uniform" (Keras's RandomUniform(-0.05, 0.05)),
            another initializer name or object.
        mask_zero: False only. ``True`` (index 0 marks padding, and Keras
            passes a mask to the layers after) is refused: no ndgrad layer
            reads Keras masks, so the padded steps would silently count.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.Embedding(10, 4)        # ndgrad.layers.Embedding
        >>> layer(ndgrad.tensor([[1, 2, 3]], dtype="int32")).shape, layer.embeddings.shape
        ((1, 3, 4), (10, 4))
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 mask_zero=False, **kwargs):
        kwargs.pop("input_length", None)          # Keras 2's argument, no longer needed
        if mask_zero:
            raise NotImplementedError(
                "Embedding(mask_zero=True): Keras masks are not supported by ndgrad (no layer "
                "reads or propagates them, so the padded steps would silently count as data). "
                "Use mask_zero=False and weight the loss with sample_weight, batch sequences "
                "of equal length together, or slice each output at its real length")
        super().__init__(**kwargs)
        self.training = False
        self.input_dim = size(type(self).__name__, "input_dim", input_dim, minimum=1)
        self.output_dim = size(type(self).__name__, "output_dim", output_dim, minimum=1)
        self.embeddings_initializer = embeddings_initializer
        self.mask_zero = bool(mask_zero)
        self.embeddings = self.add_weight("embeddings", (self.input_dim, self.output_dim),
                                          initializer=embeddings_initializer)
        self.built = True

    def call(self, inputs, training=None):
        array = _index_array("Embedding", inputs, self.input_dim, allow_float=True)
        return _lookup(self.embeddings, indices=array, padding_idx=None)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim, "mask_zero": self.mask_zero}


KERAS_EXPORTS = keras_exports({"Embedding": EmbeddingKeras})
