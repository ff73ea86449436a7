"""Keras's ``layers.MultiHeadAttention``: the same batched-heads attention as
``nn.MultiheadAttention``, with Keras's arguments and weights.

Each projection is a small sub-layer with Keras's einsum-style kernel:
``query/kernel`` (dim, num_heads, key_dim), ``query/bias`` (num_heads, key_dim),
likewise ``key`` and ``value`` (value_dim), and ``attention_output/kernel``
(num_heads, value_dim, output_dim). Inputs are batch-major (batch, time, dim);
masks are boolean with True where attention IS allowed (Keras's convention).
Only the default ``attention_axes`` (the time axis of 3-D inputs) is supported.

Example:
    >>> from ndgrad import layers
    >>> import ndgrad
    >>> layer = layers.MultiHeadAttention(num_heads=2, key_dim=3)
    >>> out, scores = layer(ndgrad.ones((4, 5, 6)), ndgrad.ones((4, 7, 6)),
    ...                     return_attention_scores=True)
    >>> out.shape, scores.shape, layer.query_dense.kernel.shape
    ((4, 5, 6), (4, 2, 5, 7), (6, 2, 3))
"""

import math

import numpy as np

from ..errors import shape_error
from ..tensor import as_tensor
from ._sizes import size
from ..ops.attention_fused import fused_attention
from .attention import _additive, _attend
from .cells import dropout_mask
from .module import Module, unique_name

__all__ = []


def _shape(x):
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else as_tensor(x).shape


class _HeadProjection(Module):
    """``x @ kernel + bias`` with the kernel split by heads (Keras's EinsumDense)."""

    def __init__(self, name, heads_shape, kernel_initializer, bias_initializer, use_bias,
                 dtype=None, input_first=True):
        super().__init__(name=name, dtype=dtype)
        self.heads_shape, self.input_first = tuple(heads_shape), input_first
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.use_bias = use_bias
        self.kernel = self.bias = None

    def build(self, input_shape):
        # Query/key/value kernels read the last axis: (dim, heads, size). The output
        # kernel reads (heads, value_dim) and writes its last entry: (heads, size, out).
        shape = ((input_shape[-1],) + self.heads_shape if self.input_first
                 else self.heads_shape)
        self.kernel = self.add_weight("kernel", shape, initializer=self.kernel_initializer)
        if self.use_bias:
            bias_shape = self.heads_shape if self.input_first else self.heads_shape[-1:]
            self.bias = self.add_weight("bias", bias_shape, initializer=self.bias_initializer)

    def forward(self, x):
        if self.input_first:
            flat = self.kernel.reshape(self.kernel.shape[0], -1)
            out = (x @ flat).reshape(x.shape[:-1] + self.heads_shape)
        else:
            out = x.reshape(x.shape[:-2] + (-1,)) @ self.kernel.reshape(-1, self.heads_shape[-1])
        return out if self.bias is None else out + self.bias


class MultiHeadAttentionKeras(Module):
    """Keras's ``MultiHeadAttention(num_heads, key_dim, ...)``.

    Args:
        num_heads: number of heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default key_dim).
        dropout: dropout on the attention weights, in training.
        use_bias: learn the projections' biases.
        output_shape: last dimension of the output (default: the query's).
        attention_axes: only None (the time axis) is supported.
        kernel_initializer, bias_initializer: names or initializer objects.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.MultiHeadAttention(num_heads=2, key_dim=4)
        >>> x = ndgrad.ones((3, 5, 8))
        >>> layer(x, x).shape, layer.count_params()     # 3 * (8*8 + 8) + 8*8 + 8
        ((3, 5, 8), 288)
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        num_heads = size("MultiHeadAttention", "num_heads", num_heads, minimum=1)
        key_dim = size("MultiHeadAttention", "key_dim", key_dim, minimum=1)
        if value_dim is not None:
            value_dim = size("MultiHeadAttention", "value_dim", value_dim, minimum=1)
        if attention_axes not in (None, 1, (1,), [1]):
            raise NotImplementedError("MultiHeadAttention: only the default attention_axes "
                                      f"(the time axis) is supported, got {attention_axes}")
        kwargs.setdefault("name", unique_name("multi_head_attention"))
        super().__init__(**kwargs)
        self.training = False
        self.num_heads, self.key_dim = int(num_heads), int(key_dim)
        self.value_dim = int(value_dim) if value_dim is not None else self.key_dim
        self.dropout, self.use_bias = float(dropout), bool(use_bias)
        self.output_dim = output_shape if output_shape is None else int(
            np.prod(output_shape))
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.query_dense = self.key_dense = self.value_dense = self.output_dense = None

    def _projection(self, name, heads_shape, input_first=True):
        return _HeadProjection(f"{self.name}/{name}", heads_shape, self.kernel_initializer,
                               self.bias_initializer, self.use_bias, self.dtype, input_first)

    def build(self, input_shape):
        """Build from the query's shape, or from ``[query_shape, value_shape(, key_shape)]``."""
        shapes = list(input_shape) if isinstance(input_shape[0], (tuple, list)) else [input_shape]
        query_shape = shapes[0]
        value_shape = shapes[1] if len(shapes) > 1 else query_shape
        key_shape = shapes[2] if len(shapes) > 2 else value_shape
        self.query_dense = self._projection("query", (self.num_heads, self.key_dim))
        self.key_dense = self._projection("key", (self.num_heads, self.key_dim))
        self.value_dense = self._projection("value", (self.num_heads, self.value_dim))
        output_dim = self.output_dim or query_shape[-1]
        self.output_dense = self._projection(
            "attention_output", (self.num_heads, self.value_dim, output_dim), input_first=False)
        for layer, shape in ((self.query_dense, query_shape), (self.key_dense, key_shape),
                             (self.value_dense, value_shape), (self.output_dense, None)):
            layer.build(shape)
        if not self._trainable:
            self.trainable = False

    def __call__(self, query, value, key=None, **kwargs):
        if not self.built:          # shapes only: the inputs may be symbolic (keras.Input)
            shapes = [_shape(query), _shape(value)]
            self.build(shapes + ([] if key is None else [_shape(key)]))
        return super().__call__(query, value, key, **kwargs)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        """Attend from ``query`` (batch, T, dim) to ``value`` (batch, S, dim).

        Args:
            query, value: batch-major inputs; ``key`` defaults to ``value``.
            query_mask (batch, T), value_mask / key_mask (batch, S),
            attention_mask (batch, T, S): boolean, True where attention is allowed.
            return_attention_scores: also return the weights (batch, heads, T, S).
            training: apply ``dropout`` to the weights.
            use_causal_mask: let query position i see value positions <= i only.
        """
        query, value = as_tensor(query), as_tensor(value)
        key = value if key is None else as_tensor(key)
        if query.ndim != 3 or value.ndim != 3 or key.shape[:2] != value.shape[:2]:
            raise shape_error("MultiHeadAttention", [query, value, key],
                              "expected (batch, time, dim) inputs, key and value of the same "
                              "batch and length")
        T, S = query.shape[1], value.shape[1]
        allowed = self._allowed(attention_mask, query_mask, value_mask, key_mask,
                                use_causal_mask, query.shape[0], T, S)
        q = self.query_dense(query)                        # (B, T, heads, key_dim)
        k, v = self.key_dense(key), self.value_dense(value)
        mask = None if allowed is None else _additive(allowed[:, None], q.dtype, False,
                                                      "MultiHeadAttention")
        scale = 1.0 / math.sqrt(self.key_dim)
        training = self.training_mode(training)
        if return_attention_scores:
            context, scores = _attend(q.swapaxes(1, 2), k.swapaxes(1, 2), v.swapaxes(1, 2),
                                      [mask], scale, self.dropout, training)
            return self.output_dense(context.swapaxes(1, 2)), scores
        # One fused op on the projections' (B, T, heads, dim) layout: no copies.
        keep = None
        if self.dropout > 0.0 and training:
            keep = dropout_mask((q.shape[0], self.num_heads, T, S), self.dropout, q.dtype)
        context = fused_attention(q, k, v, mask, scale=scale, layout="tokens", keep=keep)
        return self.output_dense(context)

    @staticmethod
    def _allowed(attention_mask, query_mask, value_mask, key_mask, causal, batch, T, S):
        """The combined boolean (B, T, S) mask of allowed pairs, or None."""
        parts = []
        if attention_mask is not None:
            parts.append(np.asarray(getattr(attention_mask, "_data", attention_mask), bool))
        for mask, axis in ((query_mask, 2), (value_mask, 1), (key_mask, 1)):
            if mask is not None:
                parts.append(np.expand_dims(np.asarray(getattr(mask, "_data", mask), bool), axis))
        if causal:
            parts.append(np.tril(np.ones((T, S), bool)))
        if not parts:
            return None
        allowed = np.ones((batch, T, S), bool)
        for part in parts:
            try:
                allowed = allowed & part
            except ValueError:
                raise shape_error("MultiHeadAttention", [part], f"masks must broadcast to "
                                  f"(batch, query length, value length) = {(batch, T, S)}")
        return allowed

    def get_config(self):
        return {**super().get_config(), "num_heads": self.num_heads, "key_dim": self.key_dim,
                "value_dim": self.value_dim, "dropout": self.dropout, "use_bias": self.use_bias,
                "output_shape": self.output_dim}

    def extra_repr(self):
        return f"num_heads={self.num_heads}, key_dim={self.key_dim}"
