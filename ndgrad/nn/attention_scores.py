"""Keras's single-head attention layers: ``layers.Attention`` (Luong, dot-product or
"concat" scores) and ``layers.AdditiveAttention`` (Bahdanau, additive scores).

Both are called on ``[query, value]`` or ``[query, value, key]`` (key defaults
to value), batch first: query (batch, Tq, dim), value (batch, Tv, dim). The
scores (batch, Tq, Tv) go through a softmax over Tv and weight the values:
``softmax(scores) @ value``. Scores:

- ``Attention(score_mode="dot")``: ``query @ key^T``, times the learned scalar
  ``scale`` with ``use_scale=True``;
- ``Attention(score_mode="concat")``: ``concat_score_weight *
  sum(tanh(scale * (query_i + key_j)))`` over dim;
- ``AdditiveAttention``: ``sum(scale * tanh(query_i + key_j))`` over dim, with
  a learned ``scale`` of shape (dim,) when ``use_scale`` (the default).

Masks are given explicitly (ndgrad layers do not pass Keras masks along):
``mask=[query_mask, value_mask]`` (booleans, True = a real position); a
masked value position gets a score 1e9 lower, a masked query position an
output of zeros. ``use_causal_mask=True`` lets position i see only j <= i.

Example:
    >>> from ndgrad import layers
    >>> import ndgrad
    >>> layer = layers.Attention()                     # ndgrad.layers.Attention
    >>> out, scores = layer([ndgrad.ones((2, 3, 4)), ndgrad.ones((2, 5, 4))],
    ...                     return_attention_scores=True)
    >>> out.shape, scores.shape
    ((2, 3, 4), (2, 3, 5))
"""

import numpy as np

from ..errors import shape_error
from ..ops.activations import softmax
from ..ops.selection import where
from ..ops.shape import expand_dims
from ..ops.trigonometric import tanh
from ..tensor import Tensor, as_tensor
from .module import Module, keras_exports
from .regularization import dropout

__all__ = []

_BLOCKED = 1.0e9      # subtracted from the score of a masked position (Keras's constant)


def _boolean(mask, owner, expected_ndim):
    array = np.asarray(getattr(mask, "_data", mask))
    if array.ndim != expected_ndim:
        raise ValueError(f"{owner}: a mask must be (batch, time) booleans, got shape "
                         f"{array.shape}")
    return array.astype(bool)


def _describe(inputs):
    if not isinstance(inputs, (list, tuple)):
        return f"a {type(inputs).__name__}"
    if all(isinstance(item, int) or item is None for item in inputs):
        return f"one tensor of shape {tuple(inputs)}"
    return f"a list of {len(inputs)}"


class _ScoresAttention(Module):
    """The call both layers share; subclasses compute the scores."""

    def __init__(self, use_scale=False, dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.training = False
        owner = type(self).__name__
        if isinstance(dropout, bool) or not 0.0 <= float(dropout) <= 1.0:
            raise ValueError(f"{owner}: dropout must be in [0, 1], got {dropout!r}")
        self.use_scale, self.dropout, self.seed = bool(use_scale), float(dropout), seed
        self._generator = np.random.default_rng(seed) if seed is not None else None
        self.scale = None

    def _unpack(self, inputs, shapes=False):
        owner = type(self).__name__
        wrong = not isinstance(inputs, (list, tuple)) or not 2 <= len(inputs) <= 3
        if shapes and not wrong:
            wrong = not all(isinstance(shape, (list, tuple)) for shape in inputs)
        if wrong:
            raise ValueError(f"{owner}: call it on a list [query, value] or [query, value, "
                             f"key]; got {_describe(inputs)}")
        return list(inputs)

    def build(self, input_shape):
        shapes = self._unpack(input_shape, shapes=True)
        owner = type(self).__name__
        query, value = shapes[0], shapes[1]
        key = shapes[2] if len(shapes) > 2 else value
        if len(query) < 2 or query[-1] != key[-1]:
            raise ValueError(f"{owner}: the query and the key must end in the same dimension; "
                             f"got shapes {tuple(query)} and {tuple(key)}")
        self._build_scores(query[-1])

    def call(self, inputs, mask=None, training=None, return_attention_scores=False,
             use_causal_mask=False):
        """``softmax(scores) @ value`` (and the attention weights when
        ``return_attention_scores``)."""
        owner = type(self).__name__
        query, value, *key = (as_tensor(t) for t in self._unpack(inputs))
        key = key[0] if key else value
        if query.ndim < 3 or value.ndim != query.ndim or key.shape[:-1] != value.shape[:-1]:
            raise shape_error(owner, [query, value, key], "expected query (batch, Tq, dim), "
                              "value (batch, Tv, value_dim) and key (batch, Tv, dim)")
        scores = self._scores(query, key)
        query_mask = value_mask = None
        if mask is not None:
            if not isinstance(mask, (list, tuple)) or not 2 <= len(mask) <= 3:
                raise ValueError(f"{owner}: mask must be a list [query_mask, value_mask]")
            query_mask, value_mask = mask[0], mask[1]
        blocked = None
        if value_mask is not None:
            blocked = ~_boolean(value_mask, owner, 2)[:, None, :]
        if use_causal_mask:
            rows, columns = scores.shape[-2], scores.shape[-1]
            future = np.arange(columns)[None, :] > np.arange(rows)[:, None]
            blocked = future[None] if blocked is None else (blocked | future[None])
        if blocked is not None:
            scores = where(blocked, scores - _BLOCKED, scores)
        weights = softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = dropout(weights, self.dropout, True, generator=self._generator)
        output = weights @ value
        if query_mask is not None:
            keep = _boolean(query_mask, owner, 2)[:, :, None]
            output = where(keep, output, Tensor._wrap(np.zeros((), output.dtype)))
        return (output, weights) if return_attention_scores else output

    def extra_repr(self):
        return f"use_scale={self.use_scale}"


class AttentionKeras(_ScoresAttention):
    """Keras's ``Attention(use_scale=False, score_mode="dot", dropout=0.0, seed=None)``:
    Luong-style attention.

    Args:
        use_scale: learn a scalar ``scale`` (ones) multiplying the scores.
        score_mode: "dot" (``query @ key^T``) or "concat" (``sum(tanh(query + key))``
            times a learned scalar ``concat_score_weight``).
        dropout: dropout on the attention weights, in training.
        seed: an integer giving the dropout its own generator.

    Call: ``layer([query, value(, key)], mask=None, training=None,
    return_attention_scores=False, use_causal_mask=False)``.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.Attention(use_scale=True, score_mode="concat")
        >>> layer([ndgrad.ones((1, 2, 3)), ndgrad.ones((1, 4, 3))]).shape, layer.count_params()
        ((1, 2, 3), 2)
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"Attention: score_mode must be 'dot' or 'concat', got "
                             f"{score_mode!r}")
        super().__init__(use_scale, dropout, seed, **kwargs)
        self.score_mode = score_mode
        self.concat_score_weight = None

    def _build_scores(self, dim):
        if self.use_scale:
            self.scale = self.add_weight("scale", (), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight("concat_score_weight", (),
                                                       initializer="ones")

    def _scores(self, query, key):
        if self.score_mode == "dot":
            scores = query @ key.swapaxes(-1, -2)
            return scores * self.scale if self.scale is not None else scores
        pairs = expand_dims(query, -2) + expand_dims(key, -3)
        if self.scale is not None:
            pairs = self.scale * pairs
        return self.concat_score_weight * tanh(pairs).sum(axis=-1)


class AdditiveAttention(_ScoresAttention):
    """Keras's ``AdditiveAttention(use_scale=True, dropout=0.0)``: Bahdanau-style
    attention, scores ``sum(scale * tanh(query_i + key_j))`` over the feature axis.

    Args:
        use_scale: learn ``scale`` of shape (dim,) (glorot_uniform), else 1.
        dropout: dropout on the attention weights, in training.

    Call as :class:`AttentionKeras`.

    Example:
        >>> from ndgrad.layers import AdditiveAttention
        >>> import ndgrad
        >>> layer = AdditiveAttention()
        >>> layer([ndgrad.ones((2, 3, 4)), ndgrad.ones((2, 5, 4))]).shape, layer.scale.shape
        ((2, 3, 4), (4,))
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale, dropout, **kwargs)

    def _build_scores(self, dim):
        if self.use_scale:
            self.scale = self.add_weight("scale", (dim,), initializer="glorot_uniform")

    def _scores(self, query, key):
        pairs = tanh(expand_dims(query, -2) + expand_dims(key, -3))
        if self.scale is not None:
            pairs = self.scale * pairs
        return pairs.sum(axis=-1)


KERAS_EXPORTS = keras_exports({"Attention": AttentionKeras,
                               "AdditiveAttention": AdditiveAttention})
