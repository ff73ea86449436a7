"""Optimizers by name, where Keras takes a string: ``compile(optimizer="adam")``.

Example:
    >>> import ndgrad
    >>> optimizer = ndgrad.optim.get("rmsprop")
    >>> type(optimizer).__name__, optimizer.learning_rate, optimizer.rho
    ('RMSprop', 0.001, 0.9)
"""

from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .nadam import NAdam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

OPTIMIZERS = {"sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad,
              "adadelta": Adadelta, "adamax": Adamax, "nadam": NAdam}


def get(identifier):
    """An optimizer from a name, a config, or an optimizer (returned as is).

    A name gives a new instance with Keras's default hyper-parameters (Keras
    face: it learns its variables from ``apply_gradients`` or a model).

    Args:
        identifier: ``"adam"``, ``"sgd"``, ``"rmsprop"``, ``"adagrad"``,
            ``"adadelta"``, ``"adamax"``, ``"nadam"``, ``"adamw"`` (any case),
            an :class:`Optimizer`, or ``{"class_name": ..., "config": ...}``.

    Example:
        >>> import ndgrad
        >>> ndgrad.optim.get("Adam").epsilon, ndgrad.optim.get("sgd").learning_rate
        (1e-07, 0.01)
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = OPTIMIZERS.get(identifier.lower())
        if cls is None:
            raise ValueError(f"optim.get: unknown optimizer {identifier!r}; known: "
                             f"{', '.join(sorted(OPTIMIZERS))}")
        return cls()
    if isinstance(identifier, dict) and "class_name" in identifier:
        name = str(identifier["class_name"]).lower()
        if name not in OPTIMIZERS:
            raise ValueError(f"optim.get: unknown optimizer {identifier['class_name']!r}; "
                             f"known: {', '.join(sorted(OPTIMIZERS))}")
        return OPTIMIZERS[name].from_config(identifier.get("config", {}))
    raise TypeError(f"optim.get: expected an optimizer name, an Optimizer or a "
                    f"{{'class_name', 'config'}} dict, got {type(identifier).__name__}")
