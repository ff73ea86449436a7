"""``keras.optimizers``: ndgrad's optimizers (``ndgrad.optim``) with Keras's names
and arguments: ``Adam(learning_rate=1e-3)``, ``SGD(learning_rate=0.01,
momentum=0.9, nesterov=True)``, ``RMSprop``, ``Adagrad``, ``Adadelta``,
``Adamax``, ``Nadam``, ``AdamW``; ``clipnorm``/``clipvalue``/``global_clipnorm``.

The Keras way of updating: ``optimizer.apply(grads, trainable_variables)`` or
``optimizer.apply_gradients(zip(grads, trainable_variables))``; the optimizer
learns its variables from the first call. ``optimizer.learning_rate`` reads and
sets the rate (a float or a :mod:`schedule <ndgrad.keras.optimizers.schedules>`);
``optimizer.iterations`` counts the updates. The arithmetic is
``torch.optim``'s (see each class). One difference from Keras: ``weight_decay``
is torch's (added to the gradient) except for ``AdamW``, where it is decoupled
as in Keras.

Example:
    >>> import ndgrad
    >>> from ndgrad import keras
    >>> w = ndgrad.Variable([1.0, 2.0])
    >>> optimizer = keras.optimizers.SGD(learning_rate=0.5)
    >>> optimizer.apply([ndgrad.tensor([2.0, 2.0])], [w])
    >>> w.tolist(), optimizer.iterations
    ([0.0, 1.0], 1)
"""

from ...optim import (SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, Nadam, Optimizer, RMSprop,
                      get as _get)
from ...optim.registry import OPTIMIZERS as _OPTIMIZERS
from .._unsupported import module_getattr
from . import schedules

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax",
           "Nadam", "schedules", "get", "serialize", "deserialize"]


def get(identifier):
    """An optimizer from a name (``"adam"``: a new one with Keras's defaults), a
    config dict, or an optimizer (returned as is).

    Example:
        >>> from ndgrad.keras.optimizers import get
        >>> type(get("rmsprop")).__name__, get("sgd").learning_rate
        ('RMSprop', 0.01)
    """
    return _get(identifier)


def serialize(optimizer):
    """``{"class_name": ..., "config": ...}`` for an optimizer.

    Example:
        >>> from ndgrad.optim import SGD
        >>> from ndgrad.keras.optimizers import serialize
        >>> serialize(SGD(learning_rate=0.1))["config"]["learning_rate"]
        0.1
    """
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config, custom_objects=None):
    """The optimizer that :func:`serialize` describes (``custom_objects`` for yours).

    Example:
        >>> from ndgrad.keras.optimizers import deserialize
        >>> type(deserialize({"class_name": "Adam", "config": {"learning_rate": 0.01}})).__name__
        'Adam'
    """
    name = config.get("class_name")
    if custom_objects and name in custom_objects:
        return custom_objects[name].from_config(dict(config.get("config") or {}))
    if str(name).lower() not in _OPTIMIZERS:
        raise ValueError(f"optimizers.deserialize: unknown optimizer {name!r}; known: "
                         f"{', '.join(sorted(_OPTIMIZERS))} (custom_objects for your own)")
    return _get(config)


__getattr__ = module_getattr("keras.optimizers", {
    "Adafactor": "use Adam or RMSprop", "Ftrl": "use Adagrad or Adam",
    "Lamb": "use AdamW", "Lion": "use AdamW", "Muon": "use AdamW",
    "LossScaleOptimizer": "ndgrad trains in float32; no loss scaling is needed",
    "legacy": "use the optimizers of keras.optimizers"})
