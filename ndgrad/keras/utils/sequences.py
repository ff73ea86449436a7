"""``keras.utils.pad_sequences``: variable-length sequences to one 2-D array.

Example:
    >>> from ndgrad.keras.utils import pad_sequences
    >>> pad_sequences([[1], [2, 3]], padding="post").tolist()
    [[1, 0], [2, 3]]
"""

import numpy as np

from ...autograd.primitive import data_of

__all__ = ["pad_sequences"]


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """Pad (or cut) each sequence to ``maxlen``, as Keras's ``pad_sequences``.

    Args:
        sequences: a list of sequences (lists or arrays of numbers, or of
            equal-shaped arrays).
        maxlen: the length (default: the longest sequence).
        dtype: the result's dtype (default int32).
        padding: ``"pre"`` (default) or ``"post"``: where the padding goes.
        truncating: ``"pre"`` (default: drop the start) or ``"post"`` (drop the end).
        value: the padding value.

    Returns:
        A NumPy array ``(len(sequences), maxlen, *sample_shape)``.

    Example:
        >>> from ndgrad.keras.utils import pad_sequences
        >>> pad_sequences([[1, 2, 3, 4], [5]], maxlen=3, truncating="post", value=-1).tolist()
        [[1, 2, 3], [-1, -1, 5]]
    """
    for label, setting in (("padding", padding), ("truncating", truncating)):
        if setting not in ("pre", "post"):
            raise ValueError(f"pad_sequences: {label} must be 'pre' or 'post'; got {setting!r}")
    if not hasattr(sequences, "__len__"):
        raise ValueError("pad_sequences: sequences must be a list of sequences")
    rows = []
    for index, sequence in enumerate(sequences):
        if not hasattr(sequence, "__len__"):
            raise ValueError(f"pad_sequences: sequence {index} is {sequence!r}, not a sequence "
                             "(pass a list of lists)")
        rows.append(np.asarray(data_of(sequence)))
    lengths = [len(row) for row in rows]
    maxlen = max(lengths, default=0) if maxlen is None else int(maxlen)
    sample_shape = next((row.shape[1:] for row in rows if len(row)), ())
    out = np.full((len(rows), maxlen) + tuple(sample_shape), value, dtype=dtype)
    for index, row in enumerate(rows):
        if not len(row) or maxlen == 0:
            continue
        kept = row[-maxlen:] if truncating == "pre" else row[:maxlen]
        if kept.shape[1:] != tuple(sample_shape):
            raise ValueError(f"pad_sequences: sequence {index} has elements of shape "
                             f"{kept.shape[1:]}, unlike the others' {tuple(sample_shape)}")
        if padding == "post":
            out[index, :len(kept)] = kept
        else:
            out[index, maxlen - len(kept):] = kept
    return out
