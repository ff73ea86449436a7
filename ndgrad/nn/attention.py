"""Attention: ``scaled_dot_product_attention``, ``multi_head_attention_forward`` and
``nn.MultiheadAttention`` (PyTorch face).

The heads are batched: q, k and v become (batch, heads, length, head_dim) and
each product is one batched matmul, so there is no loop over heads or over the
batch. Without the weights (``need_weights=False``, as the Transformer layers
call it, and ``scaled_dot_product_attention``) the attention is one fused op
(``ndgrad.ops.attention_fused``) that reads the heads as strided views of the
single in-projection's output, so no head is copied; with the weights it is
computed op by op, so that a gradient through the returned weights is exact.

Masks follow PyTorch: in ``MultiheadAttention`` a boolean ``attn_mask`` or
``key_padding_mask`` is True where attention is NOT allowed, a float mask is
added to the scores; in ``scaled_dot_product_attention`` a boolean mask is True
where attention IS allowed. Masks are converted once to additive float masks
in the scores' dtype (float32 stays float32). A query whose every key is masked
gets NaN, as in PyTorch.

Parameters are PyTorch's: ``in_proj_weight`` (3E, E) and ``in_proj_bias`` (3E,),
or ``q_proj_weight``/``k_proj_weight``/``v_proj_weight`` when ``kdim``/``vdim``
differ from ``embed_dim``, and ``out_proj.weight``/``out_proj.bias``; a PyTorch
state_dict loads as it is.

Example:
    >>> import ndgrad
    >>> attention = ndgrad.nn.MultiheadAttention(8, num_heads=2, batch_first=True)
    >>> x = ndgrad.ones((3, 5, 8))
    >>> output, weights = attention(x, x, x)
    >>> output.shape, weights.shape
    ((3, 5, 8), (3, 5, 5))
"""

import math

import numpy as np

from ..devices import check_device
from .. import random
from ..errors import shape_error
from ..ops.activations import softmax
from ..ops.attention_fused import fused_attention
from ..ops.join import concatenate
from ..ops.reduce import mean
from ..ops.shape import broadcast_to
from ..tensor import Tensor, as_tensor
from . import init
from ._sizes import size
from .cells import dropout_mask
from .linear import Linear, linear
from .module import Module, keras_exports
from .parameter import Parameter

__all__ = ["MultiheadAttention"]
FUNCTIONAL = ["scaled_dot_product_attention", "multi_head_attention_forward"]


def _additive(mask, dtype, true_means_blocked, name):
    """A mask as a tensor to add to the scores: booleans become 0 / -inf."""
    if mask is None:
        return None
    if not isinstance(mask, Tensor):
        mask = Tensor._wrap(np.asarray(mask))
    if mask.dtype == np.bool_:
        blocked = mask._data if true_means_blocked else ~mask._data
        return Tensor._wrap(np.where(blocked, -np.inf, 0.0).astype(dtype))
    if mask.dtype.kind != "f":
        raise TypeError(f"{name}: masks must be boolean or floating, got {mask.dtype}")
    return mask if mask.dtype == dtype else mask.astype(dtype)


def _causal(length, source_length, dtype):
    blocked = np.triu(np.ones((length, source_length), bool), k=1)
    return Tensor._wrap(np.where(blocked, -np.inf, 0.0).astype(dtype))


def _attend(q, k, v, masks, scale, dropout_p, training):
    """``softmax(q k^T * scale + masks) v`` and the weights; q (..., L, d), k (..., S, d)."""
    scores = (q * scale) @ k.swapaxes(-1, -2)
    for mask in masks:
        if mask is not None:
            scores = scores + mask
    weights = softmax(scores, axis=-1)
    if dropout_p > 0.0 and training:
        weights = weights * dropout_mask(weights.shape, dropout_p, weights.dtype)
    return weights @ v, weights


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None):
    """``softmax(Q K^T / sqrt(d) + mask) V`` over the last two axes, as PyTorch's.

    Args:
        query: (..., L, d); key: (..., S, d); value: (..., S, d_v).
        attn_mask: boolean (True = may attend) or float (added), broadcastable
            to (..., L, S).
        dropout_p: dropout on the attention weights (always applied when > 0,
            as in PyTorch; pass 0.0 in evaluation).
        is_causal: let position i attend only to positions <= i.
        scale: the score scale (default 1 / sqrt(d)).

    Example:
        >>> from ndgrad.nn.functional import scaled_dot_product_attention
        >>> import ndgrad
        >>> q = ndgrad.ones((1, 2, 4))
        >>> scaled_dot_product_attention(q, q, ndgrad.ones((1, 2, 3))).shape
        (1, 2, 3)
    """
    query, key, value = as_tensor(query), as_tensor(key), as_tensor(value)
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise shape_error("scaled_dot_product_attention", [query, key, value],
                          "query and key need the same last dimension, key and value the "
                          "same length (axis -2)")
    dtype = query.dtype
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    masks = [_additive(attn_mask, dtype, False, "scaled_dot_product_attention"),
             _causal(query.shape[-2], key.shape[-2], dtype) if is_causal else None]
    keep = None
    if float(dropout_p) > 0.0:
        batch = np.broadcast_shapes(*(t.shape[:-2] for t in (query, key, value)),
                                    *(m.shape[:-2] for m in masks if m is not None))
        keep = dropout_mask(batch + (query.shape[-2], key.shape[-2]), float(dropout_p), dtype)
    return fused_attention(query, key, value, *masks, scale=scale, keep=keep)


def _check_mask(mask, expected, what):
    if mask is not None and tuple(mask.shape) not in expected:
        raise shape_error("MultiheadAttention", [mask], f"{what} must have shape "
                          + " or ".join(str(e) for e in expected))


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """Multi-head attention on sequence-first inputs, PyTorch's functional form.

    Args:
        query: (L, N, E) or unbatched (L, E); key, value: (S, N, kdim/vdim).
        embed_dim_to_check: E, checked against the query.
        num_heads: heads; E must divide evenly.
        in_proj_weight, in_proj_bias: packed (3E, E) and (3E,) projections, or
            ``use_separate_proj_weight`` with ``q/k/v_proj_weight``.
        bias_k, bias_v: (1, 1, E) extra key/value appended to the sequence, or None.
        add_zero_attn: append a zero key/value.
        dropout_p, training: dropout on the weights, in training only.
        out_proj_weight, out_proj_bias: the output projection.
        key_padding_mask: (N, S), True (or -inf) for keys to ignore.
        need_weights, average_attn_weights: return the weights, averaged over heads.
        attn_mask: (L, S) or (N * num_heads, L, S), True (or -inf) where not allowed.
        is_causal: without ``attn_mask``, mask the future (a causal mask is made).

    Returns:
        ``(output (L, N, E), weights (N, L, S) or (N, heads, L, S), or None)``.

    Example:
        >>> from ndgrad.nn.functional import multi_head_attention_forward
        >>> import ndgrad
        >>> e = 4
        >>> x = ndgrad.ones((3, 2, e))
        >>> out, w = multi_head_attention_forward(
        ...     x, x, x, e, 2, ndgrad.ones((3 * e, e)), None, None, None, False, 0.0,
        ...     ndgrad.ones((e, e)), None)
        >>> out.shape, w.shape
        ((3, 2, 4), (2, 3, 3))
    """
    return _multi_head_attention(
        query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias, bias_k,
        bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias, training,
        key_padding_mask, need_weights, attn_mask, use_separate_proj_weight, q_proj_weight,
        k_proj_weight, v_proj_weight, static_k, static_v, average_attn_weights, is_causal,
        batch_first=False)


def _multi_head_attention(query, key, value, embed_dim_to_check, num_heads, in_proj_weight,
                          in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p,
                          out_proj_weight, out_proj_bias, training, key_padding_mask,
                          need_weights, attn_mask, use_separate_proj_weight, q_proj_weight,
                          k_proj_weight, v_proj_weight, static_k, static_v,
                          average_attn_weights, is_causal, batch_first):
    """``multi_head_attention_forward`` on batch-first 3-D inputs too (``batch_first``),
    so that ``MultiheadAttention(batch_first=True)`` swaps no axes."""
    if static_k is not None or static_v is not None:
        raise NotImplementedError("multi_head_attention_forward: static_k/static_v are not "
                                  "supported; pass the keys and values as key and value")
    query, key, value = as_tensor(query), as_tensor(key), as_tensor(value)
    batched = query.ndim == 3
    if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
        raise shape_error("MultiheadAttention", [query, key, value],
                          "query, key and value must all be 3-D (length, batch, features) or "
                          "all 2-D unbatched (length, features)")
    self_attention = query is key and key is value
    # Batch-major from here: (N, length, features).
    if not batched:
        q_in, k_in, v_in = query[None], key[None], value[None]
        if key_padding_mask is not None:
            key_padding_mask = as_tensor(key_padding_mask)[None]
    elif batch_first:
        q_in, k_in, v_in = query, key, value
    else:
        q_in, k_in, v_in = query.swapaxes(0, 1), key.swapaxes(0, 1), value.swapaxes(0, 1)
    N, L, E = q_in.shape
    S = k_in.shape[1]
    if E != embed_dim_to_check or E % num_heads:
        raise shape_error("MultiheadAttention", [query], f"the query's last dimension must be "
                          f"embed_dim={embed_dim_to_check}, divisible by num_heads={num_heads}")
    if k_in.shape[:2] != (N, S) or v_in.shape[:2] != (N, S):
        raise shape_error("MultiheadAttention", [query, key, value],
                          "key and value must have the same length and batch as each other "
                          "and the query's batch")
    heads, head_dim = num_heads, E // num_heads
    dtype = q_in.dtype
    attn_mask = _additive(attn_mask, dtype, True, "MultiheadAttention")
    if attn_mask is None and is_causal:
        attn_mask = _causal(L, S, dtype)
    key_padding_mask = _additive(key_padding_mask, dtype, True, "MultiheadAttention")
    _check_mask(attn_mask, [(L, S), (N * heads, L, S)] if batched else [(L, S), (heads, L, S)],
                "attn_mask")
    _check_mask(key_padding_mask, [(N, S)], "key_padding_mask")
    if attn_mask is not None and attn_mask.ndim == 3:
        attn_mask = attn_mask.reshape(N, heads, L, S)
    if key_padding_mask is not None:
        key_padding_mask = key_padding_mask.reshape(N, 1, 1, S)
    dropout_p = float(dropout_p) if training else 0.0
    packed = self_attention and not use_separate_proj_weight
    if packed:
        projected = linear(q_in, in_proj_weight, in_proj_bias)      # one matmul for q, k, v
    else:
        if use_separate_proj_weight:
            weights = (q_proj_weight, k_proj_weight, v_proj_weight)
        else:
            weights = (in_proj_weight[:E], in_proj_weight[E:2 * E], in_proj_weight[2 * E:])
        biases = (None,) * 3 if in_proj_bias is None else (
            in_proj_bias[:E], in_proj_bias[E:2 * E], in_proj_bias[2 * E:])
        q, k, v = (linear(x, w, b) for x, w, b in zip((q_in, k_in, v_in), weights, biases))
    scale = 1.0 / math.sqrt(head_dim)
    attention = None
    if not need_weights and bias_k is None and not add_zero_attn:
        # The fused op reads the heads as strided views and writes merged rows.
        keep = (dropout_mask((N, heads, L, S), dropout_p, dtype) if dropout_p > 0.0
                else None)
        if packed:
            context = fused_attention(projected, None, None, attn_mask, key_padding_mask,
                                      scale=scale, layout="packed", heads=heads, keep=keep)
        else:
            context = fused_attention(q, k, v, attn_mask, key_padding_mask, scale=scale,
                                      layout="merged", heads=heads, keep=keep)
    else:
        if packed:
            q, k, v = projected[..., :E], projected[..., E:2 * E], projected[..., 2 * E:]
        context, attention = _split_heads_attention(
            q, k, v, attn_mask, key_padding_mask, bias_k, bias_v, add_zero_attn, heads,
            scale, dropout_p, need_weights)
    output = linear(context, out_proj_weight, out_proj_bias)
    if not batched:
        output = output[0]
    elif not batch_first:
        output = output.swapaxes(0, 1)
    if need_weights and average_attn_weights:
        attention = mean(attention, axis=1)
    if need_weights and not batched:
        attention = attention[0]
    return output, (attention if need_weights else None)


def _split_heads_attention(q, k, v, attn_mask, key_padding_mask, bias_k, bias_v,
                           add_zero_attn, heads, scale, dropout_p, need_weights):
    """Attention on (N, heads, length, head_dim) tensors, with the extra keys of
    ``bias_k``/``bias_v``/``add_zero_attn``; the weights are computed op by op when
    they are returned. Gives the (N, L, E) context and the weights (or None)."""
    N, L, E = q.shape
    head_dim = E // heads
    dtype = q.dtype
    if bias_k is not None and bias_v is not None:
        k = concatenate([k, broadcast_to(bias_k.reshape(1, 1, E), (N, 1, E))], axis=1)
        v = concatenate([v, broadcast_to(bias_v.reshape(1, 1, E), (N, 1, E))], axis=1)
        attn_mask, key_padding_mask = _pad_masks(attn_mask, key_padding_mask, dtype)
    split = lambda t: t.reshape(N, t.shape[1], heads, head_dim).swapaxes(1, 2)
    q, k, v = split(q), split(k), split(v)
    if add_zero_attn:
        zeros = Tensor._wrap(np.zeros((N, heads, 1, head_dim), dtype))
        k, v = concatenate([k, zeros], axis=2), concatenate([v, zeros], axis=2)
        attn_mask, key_padding_mask = _pad_masks(attn_mask, key_padding_mask, dtype)
    if need_weights:
        context, attention = _attend(q, k, v, [attn_mask, key_padding_mask], scale,
                                     dropout_p, True)
    else:
        keep = (dropout_mask((N, heads, L, k.shape[2]), dropout_p, dtype) if dropout_p > 0.0
                else None)
        context = fused_attention(q, k, v, attn_mask, key_padding_mask, scale=scale,
                                  keep=keep)
        attention = None
    return context.swapaxes(1, 2).reshape(N, L, E), attention


def _pad_masks(attn_mask, key_padding_mask, dtype):
    """One more key (bias_k or a zero key): both masks get a column of zeros."""
    pad = lambda m: None if m is None else concatenate(
        [m, Tensor._wrap(np.zeros(m.shape[:-1] + (1,), dtype))], axis=-1)
    return pad(attn_mask), pad(key_padding_mask)


def _xavier_uniform(shape, dtype):
    bound = math.sqrt(6.0 / (shape[0] + shape[1]))
    return Parameter(random.uniform(shape, -bound, bound, dtype))


class MultiheadAttention(Module):
    """Multi-head attention, PyTorch's ``nn.MultiheadAttention``.

    Args:
        embed_dim: E, the query's (and output's) features.
        num_heads: heads; E must divide evenly (head_dim = E // num_heads).
        dropout: dropout on the attention weights, in training mode.
        bias: learn ``in_proj_bias`` and ``out_proj.bias``.
        add_bias_kv: learn ``bias_k`` and ``bias_v``, appended to the keys/values.
        add_zero_attn: append a zero key and value.
        kdim, vdim: key and value features (default E; different values use
            separate ``q/k/v_proj_weight``).
        batch_first: inputs and outputs are (N, L, E) instead of (L, N, E).

    Example:
        >>> import ndgrad
        >>> attention = ndgrad.nn.MultiheadAttention(4, 2)
        >>> [n for n, _ in attention.named_parameters()]
        ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None,
                 dtype=None, name=None):
        check_device(device, "MultiheadAttention")
        embed_dim = size("MultiheadAttention", "embed_dim", embed_dim, minimum=1)
        num_heads = size("MultiheadAttention", "num_heads", num_heads, minimum=1)
        if embed_dim <= 0 or num_heads <= 0 or embed_dim % num_heads:
            raise ValueError(f"MultiheadAttention: embed_dim ({embed_dim}) must be a positive "
                             f"multiple of num_heads ({num_heads})")
        if not 0.0 <= float(dropout) <= 1.0:
            raise ValueError(f"MultiheadAttention: dropout must be in [0, 1], got {dropout}")
        super().__init__(name=name, dtype=dtype)
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.kdim = size("MultiheadAttention", "kdim", kdim) if kdim is not None else embed_dim
        self.vdim = size("MultiheadAttention", "vdim", vdim) if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.head_dim = embed_dim // num_heads
        self.dropout, self.batch_first = float(dropout), bool(batch_first)
        self.add_zero_attn = bool(add_zero_attn)
        if self._qkv_same_embed_dim:
            self.in_proj_weight = _xavier_uniform((3 * embed_dim, embed_dim), self.dtype)
            self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        else:
            self.q_proj_weight = _xavier_uniform((embed_dim, embed_dim), self.dtype)
            self.k_proj_weight = _xavier_uniform((embed_dim, self.kdim), self.dtype)
            self.v_proj_weight = _xavier_uniform((embed_dim, self.vdim), self.dtype)
            self.in_proj_weight = None
        self.in_proj_bias = (Parameter(np.zeros(3 * embed_dim, self.dtype)) if bias else None)
        if add_bias_kv:
            std = math.sqrt(1.0 / embed_dim)          # xavier_normal on (1, 1, E)
            self.bias_k = Parameter(random.normal((1, 1, embed_dim), 0.0, std, self.dtype))
            self.bias_v = Parameter(random.normal((1, 1, embed_dim), 0.0, std, self.dtype))
        else:
            self.bias_k = self.bias_v = None
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, dtype=self.dtype)
        if bias:
            init.zeros_(self.out_proj.bias)             # PyTorch zeroes it after Linear's init

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        """Attend from ``query`` to ``key``/``value``.

        Args:
            query: (L, N, E) ((N, L, E) if batch_first, (L, E) unbatched).
            key, value: (S, N, kdim) and (S, N, vdim), laid out as the query.
            key_padding_mask: (N, S), True (or -inf) for keys to ignore.
            need_weights: also return the attention weights (else None).
            attn_mask: (L, S) or (N * num_heads, L, S), True (or -inf) where not allowed.
            average_attn_weights: average the returned weights over heads.
            is_causal: mask the future when no ``attn_mask`` is given.

        Returns:
            ``(attn_output, attn_weights)``.
        """
        output, weights = _multi_head_attention(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight,
            self.in_proj_bias, self.bias_k, self.bias_v, self.add_zero_attn, self.dropout,
            self.out_proj.weight, self.out_proj.bias, self.training_mode(), key_padding_mask,
            need_weights, attn_mask, not self._qkv_same_embed_dim, self.q_proj_weight,
            self.k_proj_weight, self.v_proj_weight, None, None, average_attn_weights,
            is_causal, batch_first=self.batch_first)
        return output, weights


from .attention_keras import MultiHeadAttentionKeras  # noqa: E402  (it builds on _attend)

KERAS_EXPORTS = keras_exports({"MultiHeadAttention": MultiHeadAttentionKeras})
