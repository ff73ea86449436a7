"""``keras.preprocessing.sequence``: ``pad_sequences`` (the function of ``keras.utils``).

Example:
    >>> from ndgrad.keras.preprocessing.sequence import pad_sequences
    >>> pad_sequences([[1, 2, 3]], maxlen=2).tolist()
    [[2, 3]]
"""

from ..utils.sequences import pad_sequences

__all__ = ["pad_sequences"]
