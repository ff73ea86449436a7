"""Transformer stacks, as PyTorch's: ``TransformerEncoder``, ``TransformerDecoder``
and ``Transformer`` (an encoder and a decoder, "Attention Is All You Need").

A stack holds ``num_layers`` deep copies of the layer it is given, in
``layers`` (so ``layers.0.self_attn.in_proj_weight`` and the rest of PyTorch's
state_dict names hold), and an optional final ``norm``. ``Transformer`` builds
both stacks, each with a final LayerNorm, and initializes every weight matrix
with Xavier-uniform, as PyTorch does.

Masks: ``Transformer.generate_square_subsequent_mask(n)`` is the causal mask
(0 on and below the diagonal, -inf above); boolean masks are True where
attention is NOT allowed; key padding masks are (batch, length). Padded
positions of the output hold computed values, as PyTorch's training path gives
(PyTorch's inference fast path with nested tensors gives zeros there).

Example:
    >>> import ndgrad
    >>> model = ndgrad.nn.Transformer(d_model=8, nhead=2, num_encoder_layers=2,
    ...                               num_decoder_layers=1, dim_feedforward=16,
    ...                               batch_first=True)
    >>> source, target = ndgrad.ones((3, 7, 8)), ndgrad.ones((3, 5, 8))
    >>> mask = model.generate_square_subsequent_mask(5)
    >>> model(source, target, tgt_mask=mask).shape
    (3, 5, 8)
"""

import copy

import numpy as np

from ..devices import check_device
from ..dtypes import as_dtype, float32
from ..errors import shape_error
from ..tensor import Tensor
from . import init
from .containers import ModuleList
from .module import Module
from .normalization import LayerNorm
from .transformer_layers import TransformerDecoderLayer, TransformerEncoderLayer

__all__ = ["TransformerEncoder", "TransformerDecoder", "Transformer",
           "TransformerEncoderLayer", "TransformerDecoderLayer"]


def _clones(layer, count, stack):
    if not isinstance(layer, Module):
        raise TypeError(f"{stack}: expected a layer (a Module) to copy, got "
                        f"{type(layer).__name__}")
    if int(count) < 0:
        raise ValueError(f"{stack}: num_layers must be >= 0, got {count}")
    return ModuleList([copy.deepcopy(layer) for _ in range(int(count))])


class TransformerEncoder(Module):
    """A stack of ``num_layers`` copies of ``encoder_layer``, PyTorch's
    ``nn.TransformerEncoder``.

    Args:
        encoder_layer: a :class:`TransformerEncoderLayer` (or any module with its
            call signature); each layer is a deep copy, so all start equal.
        num_layers: how many.
        norm: a module applied to the last layer's output (e.g. LayerNorm), or None.
        enable_nested_tensor, mask_check: PyTorch's switches for its inference fast
            path; accepted, and without effect (ndgrad has one path).

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.TransformerEncoderLayer(4, 2, dim_feedforward=8)
        >>> encoder = ndgrad.nn.TransformerEncoder(layer, num_layers=2)
        >>> encoder(ndgrad.ones((5, 3, 4))).shape, len(encoder.layers)
        ((5, 3, 4), 2)
    """

    def __init__(self, encoder_layer, num_layers, norm=None, enable_nested_tensor=True,
                 mask_check=True, name=None):
        super().__init__(name=name)
        self.layers = _clones(encoder_layer, num_layers, "TransformerEncoder")
        self.num_layers = int(num_layers)
        self.norm = norm
        self.enable_nested_tensor, self.mask_check = bool(enable_nested_tensor), bool(mask_check)

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal=None):
        """Run ``src`` through every layer, then ``norm``.

        Args:
            src: (length, batch, E), or (batch, length, E) for batch_first layers.
            mask: the self-attention mask, (length, length).
            src_key_padding_mask: (batch, length), True (or -inf) for padding.
            is_causal: causal self-attention where ``mask`` is None.
        """
        output = src
        for layer in self.layers:
            output = layer(output, src_mask=mask, src_key_padding_mask=src_key_padding_mask,
                           is_causal=bool(is_causal))
        return output if self.norm is None else self.norm(output)


class TransformerDecoder(Module):
    """A stack of ``num_layers`` copies of ``decoder_layer``, PyTorch's
    ``nn.TransformerDecoder``.

    Args:
        decoder_layer: a :class:`TransformerDecoderLayer`; each layer is a deep copy.
        num_layers: how many.
        norm: a module applied to the last layer's output, or None.

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.TransformerDecoderLayer(4, 2, dim_feedforward=8)
        >>> decoder = ndgrad.nn.TransformerDecoder(layer, num_layers=2)
        >>> decoder(ndgrad.ones((5, 3, 4)), ndgrad.ones((6, 3, 4))).shape
        (5, 3, 4)
    """

    def __init__(self, decoder_layer, num_layers, norm=None, name=None):
        super().__init__(name=name)
        self.layers = _clones(decoder_layer, num_layers, "TransformerDecoder")
        self.num_layers = int(num_layers)
        self.norm = norm

    def forward(self, tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False):
        """Run ``tgt`` through every layer (each attending to ``memory``), then ``norm``.

        Args: as :meth:`TransformerDecoderLayer.forward`.
        """
        output = tgt
        for layer in self.layers:
            output = layer(output, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                           tgt_key_padding_mask=tgt_key_padding_mask,
                           memory_key_padding_mask=memory_key_padding_mask,
                           tgt_is_causal=bool(tgt_is_causal),
                           memory_is_causal=bool(memory_is_causal))
        return output if self.norm is None else self.norm(output)


class Transformer(Module):
    """An encoder-decoder Transformer, PyTorch's ``nn.Transformer``.

    Args:
        d_model: the features of each position (512).
        nhead: attention heads (8).
        num_encoder_layers, num_decoder_layers: stack depths (6 each).
        dim_feedforward: the feed-forward networks' hidden width (2048).
        dropout: dropout in every layer (0.1).
        activation: 'relu' (default), 'gelu' or a callable.
        custom_encoder, custom_decoder: modules to use instead of the stacks.
        layer_norm_eps: the LayerNorms' eps (1e-5).
        batch_first: inputs and output are (batch, length, E).
        norm_first: pre-norm layers.
        bias: learn biases in the Linear, attention and LayerNorm layers.
        device: None or 'cpu'. dtype: the weights' dtype (float32).

    Example:
        >>> import ndgrad
        >>> model = ndgrad.nn.Transformer(d_model=4, nhead=2, num_encoder_layers=1,
        ...                               num_decoder_layers=1, dim_feedforward=8)
        >>> sorted({n.split(".")[0] for n, _ in model.named_parameters()})
        ['decoder', 'encoder']
        >>> model(ndgrad.ones((6, 2, 4)), ndgrad.ones((5, 2, 4))).shape
        (5, 2, 4)
    """

    def __init__(self, d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
                 dim_feedforward=2048, dropout=0.1, activation="relu", custom_encoder=None,
                 custom_decoder=None, layer_norm_eps=1e-5, batch_first=False, norm_first=False,
                 bias=True, device=None, dtype=None, name=None):
        super().__init__(name=name, dtype=dtype)
        check_device(device, "Transformer")
        settings = dict(dim_feedforward=dim_feedforward, dropout=dropout, activation=activation,
                        layer_norm_eps=layer_norm_eps, batch_first=batch_first,
                        norm_first=norm_first, bias=bias, dtype=self.dtype)
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            self.encoder = TransformerEncoder(
                TransformerEncoderLayer(d_model, nhead, **settings), num_encoder_layers,
                LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=self.dtype))
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            self.decoder = TransformerDecoder(
                TransformerDecoderLayer(d_model, nhead, **settings), num_decoder_layers,
                LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=self.dtype))
        for parameter in self.parameters():
            if parameter.ndim > 1:
                init.xavier_uniform_(parameter)
        self.d_model, self.nhead, self.batch_first = int(d_model), int(nhead), bool(batch_first)

    def forward(self, src, tgt, src_mask=None, tgt_mask=None, memory_mask=None,
                src_key_padding_mask=None, tgt_key_padding_mask=None,
                memory_key_padding_mask=None, src_is_causal=None, tgt_is_causal=None,
                memory_is_causal=False):
        """Encode ``src``, then decode ``tgt`` attending to the encoding.

        Args:
            src: (S, batch, E) ((batch, S, E) if batch_first, (S, E) unbatched).
            tgt: (T, batch, E), laid out as ``src``.
            src_mask (S, S), tgt_mask (T, T), memory_mask (T, S): attention masks,
                boolean (True = not allowed) or float (added to the scores).
            src_key_padding_mask, tgt_key_padding_mask, memory_key_padding_mask:
                (batch, S), (batch, T), (batch, S); True (or -inf) for padding.
            src_is_causal, tgt_is_causal, memory_is_causal: causal attention where
                the matching mask is None.

        Returns:
            (T, batch, E) ((batch, T, E) if batch_first).
        """
        batch_axis = 0 if self.batch_first else 1
        src_shape, tgt_shape = getattr(src, "shape", ()), getattr(tgt, "shape", ())
        if len(src_shape) == 3 and len(tgt_shape) == 3 and \
                src_shape[batch_axis] != tgt_shape[batch_axis]:
            raise shape_error("Transformer", [src, tgt], f"src and tgt must have the same batch "
                              f"size (axis {batch_axis}, batch_first={self.batch_first})")
        if not src_shape or src_shape[-1] != self.d_model or \
                not tgt_shape or tgt_shape[-1] != self.d_model:
            raise shape_error("Transformer", [src, tgt], f"src and tgt must have d_model="
                              f"{self.d_model} features in their last dimension")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask,
                              is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask,
                            tgt_is_causal=tgt_is_causal, memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz, device=None, dtype=None):
        """The causal mask for ``sz`` positions: 0.0 where position i may attend to j
        (j <= i), -inf above the diagonal.

        Example:
            >>> import ndgrad
            >>> ndgrad.nn.Transformer.generate_square_subsequent_mask(3).tolist()
            [[0.0, -inf, -inf], [0.0, 0.0, -inf], [0.0, 0.0, 0.0]]
        """
        check_device(device, "generate_square_subsequent_mask")
        dtype = as_dtype(dtype) or float32
        size = int(sz)
        if size < 0:
            raise ValueError(f"generate_square_subsequent_mask: size must be >= 0, got {sz}")
        blocked = np.triu(np.ones((size, size), dtype=bool), k=1)
        return Tensor(np.where(blocked, -np.inf, 0.0).astype(dtype))
