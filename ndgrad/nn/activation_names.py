"""Activations by name, as Keras layers take them (``Dense(64, activation="relu")``):
every name of Keras 3's ``keras.activations``, with Keras's defaults
(``leaky_relu`` has slope 0.2, ``gelu`` is exact, ``hard_sigmoid`` is
``relu6(x + 3) / 6``, ``softmax``, ``log_softmax``, ``glu`` and ``sparsemax``
work on the last axis, ``squareplus`` has ``b = 4``, the shrinks 0.5).

Example:
    >>> import ndgrad
    >>> ndgrad.nn.activation_names.get("relu")(ndgrad.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    >>> get("leaky_relu")(ndgrad.tensor([-10.0])).tolist()
    [-2.0]
"""

from .. import ops
from ..ops import activations_keras


def _extra(name, **arguments):
    """The PyTorch-named function ``name`` of ``activation_extras`` with Keras's
    arguments (imported at the first call: that module imports the layers)."""
    def activation(x):
        from . import activation_extras
        return getattr(activation_extras, name)(x, **arguments)
    activation.__name__ = f"_{name}"
    return activation


_ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": ops.relu,
    "relu6": ops.relu6,
    "leaky_relu": lambda x: ops.leaky_relu(x, 0.2),
    "elu": ops.elu,
    "selu": ops.selu,
    "celu": ops.celu,
    "gelu": ops.gelu,
    "glu": _extra("glu", dim=-1),
    "sigmoid": ops.sigmoid,
    "hard_sigmoid": ops.hard_sigmoid,
    "log_sigmoid": ops.log_sigmoid,
    "sparse_sigmoid": activations_keras.sparse_sigmoid,
    "tanh": ops.tanh,
    "hard_tanh": ops.hard_tanh,
    "tanh_shrink": _extra("tanhshrink"),
    "soft_shrink": _extra("softshrink", lambd=0.5),
    "hard_shrink": _extra("hardshrink", lambd=0.5),
    "softplus": ops.softplus,
    "softsign": ops.softsign,
    "squareplus": activations_keras.squareplus,
    "sparse_plus": activations_keras.sparse_plus,
    "silu": ops.silu,
    "swish": ops.silu,
    "hard_silu": _extra("hardswish"),
    "mish": ops.mish,
    "exponential": ops.exp,
    "log_softmax": lambda x: ops.log_softmax(x, axis=-1),
    "softmax": lambda x: ops.softmax(x, axis=-1),
    "sparsemax": activations_keras.sparsemax,
}
_ACTIVATIONS["hard_swish"] = _ACTIVATIONS["hard_silu"]
_NEEDS_ARGUMENTS = {"threshold": "it needs threshold= and default_value=; use layers.ReLU("
                                 "threshold=...) or a Lambda calling keras.activations.threshold"}


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
    except (KeyError, TypeError):
        if activation in _NEEDS_ARGUMENTS:
            raise ValueError(f"activation {activation!r} cannot be given by name: "
                             f"{_NEEDS_ARGUMENTS[activation]}") from None
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
