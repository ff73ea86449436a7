"""Activations by name, as Keras layers take them (``Dense(64, activation="relu")``).

Example:
    >>> import ndgrad
    >>> ndgrad.nn.activation_names.get("relu")(ndgrad.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
"""

from .. import ops


# Named functions rather than lambdas, so a layer holding one can be saved by name.
def _linear(x):
    return x


def _log_softmax_last(x):
    return ops.log_softmax(x, axis=-1)


def _softmax_last(x):
    return ops.softmax(x, axis=-1)


_ACTIVATIONS = {
    "linear": _linear,
    "relu": ops.relu,
    "relu6": ops.relu6,
    "leaky_relu": ops.leaky_relu,
    "elu": ops.elu,
    "selu": ops.selu,
    "gelu": ops.gelu,
    "sigmoid": ops.sigmoid,
    "hard_sigmoid": ops.hard_sigmoid,
    "tanh": ops.tanh,
    "softplus": ops.softplus,
    "softsign": ops.softsign,
    "silu": ops.silu,
    "swish": ops.silu,
    "mish": ops.mish,
    "exponential": ops.exp,
    "log_softmax": _log_softmax_last,
    "softmax": _softmax_last,
}


def get(activation):
    """The activation function for a name, a callable, or None (identity).

    Example:
        >>> import ndgrad
        >>> get(None)(ndgrad.tensor([-1.0])).tolist()
        [-1.0]
    """
    if activation is None:
        return _ACTIVATIONS["linear"]
    if callable(activation):
        return activation
    try:
        return _ACTIVATIONS[activation]
    except KeyError:
        raise ValueError(f"unknown activation {activation!r}; known: "
                         f"{', '.join(sorted(_ACTIVATIONS))}, or pass a callable") from None


def name_of(activation):
    """The name under which ``activation`` is known (for configs and summaries).

    Example:
        >>> name_of("relu")
        'relu'
    """
    if activation is None or isinstance(activation, str):
        return activation or "linear"
    for name, function in _ACTIVATIONS.items():
        if function is activation:
            return name
    return getattr(activation, "__name__", repr(activation))
