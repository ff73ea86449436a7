"""One Transformer block each: ``TransformerEncoderLayer`` (self-attention, then a
feed-forward network) and ``TransformerDecoderLayer`` (self-attention, attention
over the encoder's output, then a feed-forward network), as PyTorch's.

Each sub-block is wrapped in a residual connection and a LayerNorm: after the
sum (``norm_first=False``, the original "post-norm" Transformer) or before the
sub-block (``norm_first=True``, "pre-norm"). In the post-norm form each
``norm(x + sublayer(x))`` is one op (``ndgrad.ops.residual_layer_norm``) when
the norm is a plain LayerNorm without hooks. Attention is
:class:`ndgrad.nn.MultiheadAttention`; masks follow it (boolean: True where
attention is NOT allowed; float: added to the scores). Sub-module and
parameter names are PyTorch's (``self_attn.in_proj_weight``, ``linear1.weight``,
``norm1.bias``, ...), so a PyTorch state_dict loads as it is.

Example:
    >>> import ndgrad
    >>> layer = ndgrad.nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16,
    ...                                           batch_first=True)
    >>> layer(ndgrad.ones((3, 5, 8))).shape
    (3, 5, 8)
"""

from ..devices import check_device
from ..ops.activations import gelu, relu
from ..ops.residual_layer_norm import add_layer_norm
from ._sizes import size
from .attention import MultiheadAttention
from .linear import Linear
from .module import Module
from .normalization import LayerNorm
from .regularization import Dropout

__all__ = ["TransformerEncoderLayer", "TransformerDecoderLayer"]


def _activation(activation, layer):
    """'relu', 'gelu' or a callable (a function or a module) -> the callable."""
    if isinstance(activation, str):
        known = {"relu": relu, "gelu": gelu}
        if activation not in known:
            raise ValueError(f"{layer}: activation should be 'relu', 'gelu' or a callable, "
                             f"not {activation!r}")
        return known[activation]
    if not callable(activation):
        raise TypeError(f"{layer}: activation should be 'relu', 'gelu' or a callable, got "
                        f"{type(activation).__name__}")
    return activation


class _TransformerBlock(Module):
    """What both layers share: the settings, the feed-forward block and its norms."""

    def _setup(self, d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
               batch_first, norm_first, bias, device, dtype, cross_attention):
        layer = type(self).__name__
        check_device(device, layer)
        if not 0.0 <= float(dropout) <= 1.0:
            raise ValueError(f"{layer}: dropout must be in [0, 1], got {dropout}")
        d_model = size(layer, "d_model", d_model, minimum=1)
        dim_feedforward = size(layer, "dim_feedforward", dim_feedforward, minimum=1)
        if dim_feedforward <= 0:
            raise ValueError(f"{layer}: dim_feedforward must be positive, got {dim_feedforward}")
        dtype = self.dtype
        # Assigned in PyTorch's order, so parameters list in PyTorch's order.
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                            batch_first=batch_first, dtype=dtype)
        if cross_attention:
            self.multihead_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                                     batch_first=batch_first, dtype=dtype)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype)
        self.norm_first = bool(norm_first)
        norms = 3 if cross_attention else 2
        for i in range(1, norms + 1):
            setattr(self, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias,
                                                dtype=dtype))
        for i in range(1, norms + 1):
            setattr(self, f"dropout{i}", Dropout(dropout))
        self.activation = _activation(activation, layer)
        self.batch_first = bool(batch_first)

    def _self_attention(self, x, mask, key_padding_mask, is_causal):
        x = self.self_attn(x, x, x, attn_mask=mask, key_padding_mask=key_padding_mask,
                           need_weights=False, is_causal=is_causal)[0]
        return self.dropout1(x)

    @staticmethod
    def _add_norm(norm, x, residual):
        """``norm(x + residual)``, as one op when ``norm`` is a plain LayerNorm (no hooks)."""
        if type(norm) is LayerNorm and norm._module_hooks is None:
            return add_layer_norm(x, residual, norm.normalized_shape, norm.weight, norm.bias,
                                  norm.eps)
        return norm(x + residual)

    def _feed_forward(self, x, output_dropout):
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return output_dropout(x)


class TransformerEncoderLayer(_TransformerBlock):
    """Self-attention and a feed-forward network, PyTorch's ``nn.TransformerEncoderLayer``.

    Args:
        d_model: the features of each position (E).
        nhead: attention heads (d_model must divide evenly).
        dim_feedforward: the hidden width of the feed-forward network (2048).
        dropout: dropout after attention, inside and after the feed-forward network (0.1).
        activation: 'relu' (default), 'gelu', or a callable (function or module).
        layer_norm_eps: the LayerNorms' eps (1e-5).
        batch_first: inputs are (batch, length, E) instead of (length, batch, E).
        norm_first: LayerNorm before each sub-block instead of after the residual sum.
        bias: learn biases in the Linear, attention and LayerNorm layers.
        device: None or 'cpu'. dtype: the weights' dtype (float32).

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.TransformerEncoderLayer(4, 2, dim_feedforward=8)
        >>> [n for n, _ in layer.named_parameters()][:4]
        ['self_attn.in_proj_weight', 'self_attn.in_proj_bias',
         'self_attn.out_proj.weight', 'self_attn.out_proj.bias']
        >>> mask = ndgrad.nn.Transformer.generate_square_subsequent_mask(5)
        >>> layer(ndgrad.ones((5, 3, 4)), src_mask=mask).shape
        (5, 3, 4)
    """

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True,
                 device=None, dtype=None, name=None):
        super().__init__(name=name, dtype=dtype)
        self._setup(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                    batch_first, norm_first, bias, device, dtype, cross_attention=False)

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal=False):
        """Encode ``src``.

        Args:
            src: (length, batch, E), (batch, length, E) if batch_first, or (length, E).
            src_mask: (length, length) or (batch * nhead, length, length): True (or
                -inf) where a position may not attend.
            src_key_padding_mask: (batch, length): True (or -inf) for padding.
            is_causal: each position attends only to itself and earlier ones
                (used when ``src_mask`` is None; with a mask, the mask decides).

        Returns:
            a tensor shaped like ``src``.
        """
        x = src
        if self.norm_first:
            x = x + self._self_attention(self.norm1(x), src_mask, src_key_padding_mask,
                                         is_causal)
            x = x + self._feed_forward(self.norm2(x), self.dropout2)
        else:
            x = self._add_norm(self.norm1, x, self._self_attention(x, src_mask,
                                                                   src_key_padding_mask,
                                                                   is_causal))
            x = self._add_norm(self.norm2, x, self._feed_forward(x, self.dropout2))
        return x


class TransformerDecoderLayer(_TransformerBlock):
    """Self-attention, attention over the encoder's output (``memory``) and a
    feed-forward network, PyTorch's ``nn.TransformerDecoderLayer``.

    Args:
        d_model (int): the features of each position (E).
        nhead (int): attention heads; ``d_model`` must divide by it.
        dim_feedforward (int, default 2048): the hidden width of the feed-forward network.
        dropout (float, default 0.1): dropout after each attention block and inside and
            after the feed-forward network.
        activation (default "relu"): "relu", "gelu", or a callable (function or module).
        layer_norm_eps (float, default 1e-5): the LayerNorms' eps.
        batch_first (bool, default False): inputs are (batch, length, E) instead of
            (length, batch, E).
        norm_first (bool, default False): LayerNorm before each sub-block instead of
            after the residual sum.
        bias (bool, default True): learn biases in the Linear, attention and LayerNorm
            layers.
        dtype: the weights' dtype (default float32).

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.TransformerDecoderLayer(4, 2, dim_feedforward=8, batch_first=True)
        >>> target, memory = ndgrad.ones((3, 5, 4)), ndgrad.ones((3, 7, 4))
        >>> layer(target, memory, tgt_is_causal=True).shape
        (3, 5, 4)
    """

    def __init__(self, d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
                 layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True,
                 device=None, dtype=None, name=None):
        super().__init__(name=name, dtype=dtype)
        self._setup(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                    batch_first, norm_first, bias, device, dtype, cross_attention=True)

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False):
        """Decode ``tgt`` attending to ``memory``.

        Args:
            tgt: (T, batch, E), (batch, T, E) if batch_first, or (T, E).
            memory: the encoder's output, (S, batch, E) laid out as ``tgt``.
            tgt_mask: (T, T) mask of the self-attention; memory_mask: (T, S).
            tgt_key_padding_mask: (batch, T); memory_key_padding_mask: (batch, S).
            tgt_is_causal, memory_is_causal: causal attention where the matching
                mask is None.

        Returns:
            a tensor shaped like ``tgt``.
        """
        x = tgt
        if self.norm_first:
            x = x + self._self_attention(self.norm1(x), tgt_mask, tgt_key_padding_mask,
                                         tgt_is_causal)
            x = x + self._cross_attention(self.norm2(x), memory, memory_mask,
                                          memory_key_padding_mask, memory_is_causal)
            x = x + self._feed_forward(self.norm3(x), self.dropout3)
        else:
            x = self._add_norm(self.norm1, x, self._self_attention(x, tgt_mask,
                                                                   tgt_key_padding_mask,
                                                                   tgt_is_causal))
            x = self._add_norm(self.norm2, x, self._cross_attention(
                x, memory, memory_mask, memory_key_padding_mask, memory_is_causal))
            x = self._add_norm(self.norm3, x, self._feed_forward(x, self.dropout3))
        return x

    def _cross_attention(self, x, memory, mask, key_padding_mask, is_causal):
        x = self.multihead_attn(x, memory, memory, attn_mask=mask,
                                key_padding_mask=key_padding_mask, need_weights=False,
                                is_causal=is_causal)[0]
        return self.dropout2(x)
