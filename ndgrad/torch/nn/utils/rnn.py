"""``torch.nn.utils.rnn``: ``pad_sequence``; packed sequences are not supported.

ndgrad's recurrent layers take padded batches: pad the sequences to one
length with :func:`pad_sequence` and pass the padded tensor.

Example:
    >>> import ndgrad.torch as torch
    >>> from ndgrad.torch.nn.utils.rnn import pad_sequence
    >>> pad_sequence([torch.ones(2), torch.ones(3)], batch_first=True).tolist()
    [[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
"""

from ....ops import pad, stack
from ..._unsupported import unsupported

__all__ = ["pad_sequence"]


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack tensors of shape ``(L_i, *)`` into ``(max L, B, *)`` (or ``(B, max L, *)``
    with ``batch_first``), padding with ``padding_value`` (differentiable).

    Example:
        >>> import ndgrad.torch as torch
        >>> from ndgrad.torch.nn.utils.rnn import pad_sequence
        >>> pad_sequence([torch.ones(1, 2), torch.ones(3, 2)]).shape
        (3, 2, 2)
    """
    sequences = list(sequences)
    if not sequences:
        raise ValueError("pad_sequence: got no sequences")
    if padding_side not in ("left", "right"):
        raise ValueError(f"pad_sequence: padding_side must be 'left' or 'right'; got "
                         f"{padding_side!r}")
    length = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        missing = length - s.shape[0]
        widths = [(0, missing) if padding_side == "right" else (missing, 0)]
        widths += [(0, 0)] * (len(s.shape) - 1)
        padded.append(pad(s, widths, constant_values=padding_value))
    return stack(padded, axis=0 if batch_first else 1)


_PACKED = ("packed sequences are not supported; pad the batch with pad_sequence and pass "
           "the padded tensor (mask the padding in the loss)")

__getattr__ = unsupported(__name__, {
    "pack_padded_sequence": _PACKED, "pad_packed_sequence": _PACKED,
    "pack_sequence": _PACKED, "PackedSequence": _PACKED, "unpad_sequence": _PACKED,
    "unpack_sequence": _PACKED,
})
