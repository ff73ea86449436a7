"""``keras.saving``: saving and loading models, and making user classes loadable.

``save_model`` / ``load_model`` write and read ``.keras`` files (JSON and
safetensors in a zip, never pickle); ``register_keras_serializable`` and
``custom_objects`` make user layers and functions loadable by name;
``serialize_keras_object`` / ``deserialize_keras_object`` convert single
objects to and from their JSON-ready form.

Example:
    >>> import ndgrad
    >>> from ndgrad.keras import saving
    >>> @saving.register_keras_serializable(package="Docs")
    ... class Scale(ndgrad.layers.Layer):
    ...     def __init__(self, factor=2.0, **kwargs):
    ...         super().__init__(**kwargs)
    ...         self.factor = factor
    ...     def call(self, inputs):
    ...         return inputs * self.factor
    >>> form = saving.serialize_keras_object(Scale(3.0, name="triple"))
    >>> form["registered_name"], form["config"]["factor"]
    ('Docs>Scale', 3.0)
    >>> saving.deserialize_keras_object(form).factor
    3.0
"""

from ..io.model_archive import load_model, save_model
from ..nn.serialization import deserialize_value, serialize_value
from ..nn.serialization_registry import (CustomObjectScope, custom_object_scope,
                                         get_custom_objects, get_registered_name,
                                         get_registered_object, register_keras_serializable)

__all__ = ["load_model", "save_model", "register_keras_serializable", "get_registered_name",
           "get_registered_object", "get_custom_objects", "CustomObjectScope",
           "custom_object_scope", "serialize_keras_object", "deserialize_keras_object"]


def serialize_keras_object(obj):
    """``obj`` in its JSON-ready form: ``{"module", "class_name", "config", ...}`` for a
    layer or another configurable object, the name for an activation, plain values as
    they are.

    Example:
        >>> from ndgrad.keras.utils import serialize_keras_object
        >>> import ndgrad
        >>> serialize_keras_object(ndgrad.layers.Dense(2))["class_name"]
        'Dense'
    """
    return serialize_value(obj, "serialize_keras_object")


def deserialize_keras_object(config, custom_objects=None):
    """The object :func:`serialize_keras_object` described (user classes from
    ``custom_objects`` or the registry).

    Example:
        >>> from ndgrad.keras.utils import serialize_keras_object
        >>> from ndgrad.keras.utils import deserialize_keras_object
        >>> import ndgrad
        >>> layer = deserialize_keras_object(serialize_keras_object(ndgrad.layers.Dense(2)))
        >>> layer.units
        2
    """
    return deserialize_value(config, custom_objects)


def __getattr__(name):
    raise AttributeError(f"keras.saving.{name} is not supported by ndgrad (yet); the supported "
                         f"names are {', '.join(__all__)}")
