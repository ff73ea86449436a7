"""Layer names as Keras gives them: snake_case of the class name, made unique
with a counter (``dense``, ``dense_1``, ...), and the Keras spelling of the
Keras-face classes (``Conv2DKeras`` -> ``Conv2D``).

Example:
    >>> from ndgrad.nn.layer_names import unique_name
    >>> unique_name("layer_names_example"), unique_name("layer_names_example")
    ('layer_names_example', 'layer_names_example_1')
"""

import collections
import re

__all__ = ["unique_name", "reset_names", "keras_exports"]

_name_counts = collections.Counter()


def _snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base):
    """``base``, then ``base_1``, ``base_2``, ... (Keras's layer names).

    Example:
        >>> from ndgrad.models.model import unique_name
        >>> unique_name("doc_example_layer"), unique_name("doc_example_layer")
        ('doc_example_layer', 'doc_example_layer_1')
    """
    count = _name_counts[base]
    _name_counts[base] += 1
    return base if count == 0 else f"{base}_{count}"


def reset_names():
    """Restart layer naming (``dense``, ``dense_1``, ...) from scratch.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.reset_names(); ndgrad.nn.Module().name
        'module'
    """
    _name_counts.clear()


def keras_exports(classes):
    """Name Keras-face classes as Keras does and return them for ``ndgrad.layers``.

    A family module defines e.g. ``Conv2DKeras`` beside ``Conv2d``; renaming it
    ``Conv2D`` makes reprs, summaries and default layer names (``conv2d``) Keras's.

    Example:
        >>> from ndgrad.nn.activation_layers import keras_exports
        >>> from ndgrad.nn import Module
        >>> class DemoKeras(Module):
        ...     pass
        >>> keras_exports({"Demo": DemoKeras})["Demo"].__name__
        'Demo'
    """
    for keras_name, layer_class in classes.items():
        layer_class.__name__ = layer_class.__qualname__ = keras_name
    return classes
