"""Activations by name, as Keras layers take them (``Dense(64, activation="relu")``):
every name of Keras 3's ``keras.activations``, with Keras's defaults
(``leaky_relu`` has slope 0.2, ``gelu`` is exact, ``hard_sigmoid`` is
``relu6(x + 3) / 6``, ``softmax``, ``log_softmax``, ``glu`` and ``sparsemax``
work on the last axis, ``squareplus`` has ``b = 4``, the shrinks 0.5).

Example:
    >>> from ndgrad.nn.activation_names import get
    >>> import ndgrad
    >>> ndgrad.nn.activation_names.get("relu")(ndgrad.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    >>> get("leaky_relu")(ndgrad.tensor([-10.0])).tolist()
    [-2.0]
"""

from .. import ops
from ..ops import activations_keras


# Named module-level functions rather than lambdas or closures, so that a layer
# holding one can be saved by name (torch.save, .keras files).
def _linear(x):
    return x


def _log_softmax_last(x):
    return ops.log_softmax(x, axis=-1)


def _softmax_last(x):
    return ops.softmax(x, axis=-1)


def _leaky_relu_keras(x):
    return ops.leaky_relu(x, 0.2)        # Keras's default slope


# The PyTorch-named functions of activation_extras with Keras's arguments (imported
# at the call: that module imports the layers).
def _glu_last(x):
    from . import activation_extras
    return activation_extras.glu(x, dim=-1)


def _tanh_shrink(x):
    from . import activation_extras
    return activation_extras.tanhshrink(x)


def _soft_shrink(x):
    from . import activation_extras
    return activation_extras.softshrink(x, lambd=0.5)


def _hard_shrink(x):
    from . import activation_extras
    return activation_extras.hardshrink(x, lambd=0.5)


def _hard_silu(x):
    from . import activation_extras
    return activation_extras.hardswish(x)


_ACTIVATIONS = {
    "linear": _linear,
    "relu": ops.relu,
    "relu6": ops.relu6,
    "leaky_relu": _leaky_relu_keras,
    "elu": ops.elu,
    "selu": ops.selu,
    "celu": ops.celu,
    "gelu": ops.gelu,
    "glu": _glu_last,
    "sigmoid": ops.sigmoid,
    "hard_sigmoid": ops.hard_sigmoid,
    "log_sigmoid": ops.log_sigmoid,
    "sparse_sigmoid": activations_keras.sparse_sigmoid,
    "tanh": ops.tanh,
    "hard_tanh": ops.hard_tanh,
    "tanh_shrink": _tanh_shrink,
    "soft_shrink": _soft_shrink,
    "hard_shrink": _hard_shrink,
    "softplus": ops.softplus,
    "softsign": ops.softsign,
    "squareplus": activations_keras.squareplus,
    "sparse_plus": activations_keras.sparse_plus,
    "silu": ops.silu,
    "swish": ops.silu,
    "hard_silu": _hard_silu,
    "mish": ops.mish,
    "exponential": ops.exp,
    "log_softmax": _log_softmax_last,
    "softmax": _softmax_last,
    "sparsemax": activations_keras.sparsemax,
}
_ACTIVATIONS["hard_swish"] = _ACTIVATIONS["hard_silu"]
_NEEDS_ARGUMENTS = {"threshold": "it needs threshold= and default_value=; use layers.ReLU("
                                 "threshold=...) or a Lambda calling keras.activations.threshold"}


def get(activation):
    """The activation function for a name, a callable, or None (identity).

    Example:
        >>> from ndgrad.nn.activation_names import get
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
        >>> from ndgrad.nn.activation_names import name_of
        >>> name_of("relu")
        'relu'
    """
    if activation is None or isinstance(activation, str):
        return activation or "linear"
    for name, function in _ACTIVATIONS.items():
        if function is activation:
            return name
    return getattr(activation, "__name__", repr(activation))
