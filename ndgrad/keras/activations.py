"""``keras.activations``: activation functions with Keras 3's signatures, by name.

They are the ``keras.ops`` functions (so symbolic inputs work too) with
Keras's activation defaults: ``relu(x, negative_slope=0.0, max_value=None,
threshold=0.0)``, ``gelu(x, approximate=False)``, ``softmax(x, axis=-1)``.
Layers accept them, or their names, as ``activation=``.

Example:
    >>> import ndgrad
    >>> from ndgrad.keras import activations
    >>> activations.relu(ndgrad.tensor([-1.0, 2.0, 9.0]), max_value=6.0).tolist()
    [0.0, 2.0, 6.0]
    >>> activations.get("softmax")(ndgrad.zeros((1, 2))).tolist()
    [[0.5, 0.5]]
"""

from . import ops
from ._unsupported import module_getattr
from .ops._routing import keras_op

__all__ = ["relu", "relu6", "elu", "selu", "celu", "gelu", "glu", "sigmoid", "hard_sigmoid",
           "hard_silu", "hard_swish", "silu", "swish", "mish", "tanh", "hard_tanh", "softplus",
           "softsign", "softmax", "log_softmax", "log_sigmoid", "leaky_relu", "exponential",
           "linear", "squareplus", "soft_shrink", "hard_shrink", "tanh_shrink", "threshold",
           "sparse_plus", "sparse_sigmoid", "sparsemax", "get", "serialize", "deserialize"]

relu6, selu, celu, glu, sigmoid, hard_sigmoid = (ops.relu6, ops.selu, ops.celu, ops.glu,
                                                 ops.sigmoid, ops.hard_sigmoid)
hard_silu = hard_swish = ops.hard_silu
silu, swish, mish, tanh, hard_tanh = ops.silu, ops.silu, ops.mish, ops.tanh, ops.hard_tanh
softplus, softsign, log_sigmoid, leaky_relu = (ops.softplus, ops.softsign, ops.log_sigmoid,
                                               ops.leaky_relu)
softmax, log_softmax, elu, exponential = ops.softmax, ops.log_softmax, ops.elu, ops.exp
squareplus, soft_shrink, hard_shrink, tanh_shrink, threshold = (
    ops.squareplus, ops.soft_shrink, ops.hard_shrink, ops.tanh_shrink, ops.threshold)
sparse_plus, sparse_sigmoid, sparsemax = ops.sparse_plus, ops.sparse_sigmoid, ops.sparsemax


@keras_op
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """``max(x, 0)``, generalized: ``negative_slope * (x - threshold)`` below
    ``threshold``, capped at ``max_value``.

    Example:
        >>> from ndgrad.keras.activations import relu
        >>> relu([-2.0, 1.0], negative_slope=0.5).tolist()
        [-1.0, 1.0]
    """
    x = ops.convert_to_tensor(x)
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    out = ops.where(x > threshold, x, negative_slope * (x - threshold) if negative_slope else
                    ops.zeros_like(x))
    return out if max_value is None else ops.minimum(out, max_value)


@keras_op
def gelu(x, approximate=False):
    """The Gaussian error linear unit (exact unless ``approximate``; Keras's
    activation default, unlike ``ops.gelu``).

    Example:
        >>> from ndgrad.keras.activations import gelu
        >>> round(gelu([1.0]).item(), 4)
        0.8413
    """
    return ops.gelu(x, approximate=approximate)


def linear(x):
    """The identity.

    Example:
        >>> from ndgrad.keras.activations import linear
        >>> linear(3.0)
        3.0
    """
    return x


_BY_NAME = {name: globals()[name] for name in __all__ if name not in ("get", "serialize",
                                                                       "deserialize")}
_BY_NAME.update({"hard_swish": hard_silu, "swish": silu})


def get(identifier):
    """The activation for a name (``"relu"``, ``"softmax"``, ...), a callable (returned
    as is), or None (``linear``).

    Example:
        >>> from ndgrad.keras.activations import relu
        >>> from ndgrad.keras.activations import linear
        >>> from ndgrad.keras.activations import get
        >>> get(None) is linear, get("relu") is relu
        (True, True)
    """
    if identifier is None:
        return linear
    if callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        identifier = identifier.get("config", {}).get("name", identifier.get("class_name"))
    function = _BY_NAME.get(identifier) if isinstance(identifier, str) else None
    if function is None:
        raise ValueError(f"activations.get: unknown activation {identifier!r}; known: "
                         f"{', '.join(sorted(_BY_NAME))}, or pass a callable")
    return function


def serialize(activation):
    """The name of an activation function.

    Example:
        >>> from ndgrad.keras.activations import relu
        >>> from ndgrad.keras.activations import serialize
        >>> serialize(relu)
        'relu'
    """
    for name, function in _BY_NAME.items():
        if function is activation:
            return name
    return getattr(activation, "__name__", repr(activation))


def deserialize(config, custom_objects=None):
    """The activation for a name (or ``custom_objects[name]``).

    Example:
        >>> from ndgrad.keras.ops import tanh
        >>> from ndgrad.keras.activations import deserialize
        >>> deserialize("tanh") is tanh
        True
    """
    if custom_objects and config in custom_objects:
        return custom_objects[config]
    return get(config)


__getattr__ = module_getattr("keras.activations", {})
