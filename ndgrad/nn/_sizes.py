"""The one check of a layer's size arguments and of what a layer is called on.

Every layer that takes a size (``in_features``, ``units``, ``num_embeddings``,
``hidden_size``, ``num_features``, ...) reads it through :func:`size`, so a bad
size gets the same error everywhere: a ``TypeError`` naming the layer and the
argument for anything that is not an int (floats, strings and bools are refused;
NumPy integers are ints), a ``ValueError`` with the value for one that is too
small. NumPy's "negative dimensions are not allowed" and ``math``'s "math domain
error" never reach the user.

Example:
    >>> size("Linear", "in_features", 3)
    3
    >>> size("Linear", "in_features", 3.5)
    Traceback (most recent call last):
    TypeError: Linear: in_features must be an int, got float 3.5
"""

import numbers

import numpy as np


def size(owner, argument, value, minimum=0):
    """``value`` as a Python int >= ``minimum``, or a clear error naming ``owner``'s
    ``argument`` (TypeError: not an int; ValueError: too small).

    Example:
        >>> size("Dense", "units", np.int64(4), minimum=1)
        4
        >>> size("Embedding", "num_embeddings", -1)
        Traceback (most recent call last):
        ValueError: Embedding: num_embeddings must be >= 0, got -1
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: {argument} must be an int, got "
                        f"{type(value).__name__} {value!r}")
    value = int(value)
    if value < minimum:
        wanted = "a positive int" if minimum == 1 else f">= {minimum}"
        raise ValueError(f"{owner}: {argument} must be {wanted}, got {value}")
    return value


def optional_size(owner, argument, value, minimum=0):
    """:func:`size`, with None passed through.

    Example:
        >>> optional_size("MultiheadAttention", "kdim", None) is None
        True
    """
    return None if value is None else size(owner, argument, value, minimum)


def require_array(layer, value, expected="a tensor or NumPy array"):
    """Refuse an input that is not array-like (None, a string, a plain list...) with
    a TypeError naming the layer and what it expects, before it reaches an op.

    Example:
        >>> import ndgrad
        >>> require_array(ndgrad.nn.Linear(3, 2), None)
        Traceback (most recent call last):
        TypeError: Linear: expected a tensor or NumPy array as input, got NoneType; wrap data in ndgrad.tensor(...)
    """
    if getattr(value, "shape", None) is None or isinstance(value, (str, bytes)):
        name = type(layer).__name__ if not isinstance(layer, str) else layer
        raise TypeError(f"{name}: expected {expected} as input, got {type(value).__name__}; "
                        "wrap data in ndgrad.tensor(...)")
    return value


def refuse_missing(layer, value, argument="input"):
    """Refuse None or a string where a layer needs data (lists of numbers still go on
    to the layer's own conversion), with a TypeError naming the layer.

    Example:
        >>> import ndgrad
        >>> refuse_missing(ndgrad.nn.LSTM(3, 2), None)
        Traceback (most recent call last):
        TypeError: LSTM: input must be a tensor or array of numbers, got NoneType
    """
    if value is None or isinstance(value, (str, bytes)):
        name = type(layer).__name__ if not isinstance(layer, str) else layer
        raise TypeError(f"{name}: {argument} must be a tensor or array of numbers, got "
                        f"{type(value).__name__}")
    return value


def is_array_like(value):
    """Whether ``value`` has a shape (a tensor, a NumPy array, a symbolic input...).

    Example:
        >>> is_array_like(np.zeros(2)), is_array_like([1.0])
        (True, False)
    """
    return getattr(value, "shape", None) is not None
