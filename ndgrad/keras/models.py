"""``keras.models``: the model classes and whole-model saving (Keras 3's names).

Everything here is ndgrad's core: ``Model`` (subclassed or functional,
``ndgrad.Model``), ``Sequential`` (``ndgrad.Sequential``), and the ``.keras``
file functions of :mod:`ndgrad.io.model_archive`.

Example:
    >>> import os, tempfile, ndgrad
    >>> from ndgrad.keras import models
    >>> inputs = ndgrad.Input(shape=(3,))
    >>> model = models.Model(inputs, ndgrad.layers.Dense(2)(inputs))
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> model.save(path)
    >>> models.load_model(path).output_shape
    (None, 2)
"""

from ..models import Model, Sequential, clone_model, load_model, model_from_json, save_model

__all__ = ["Model", "Sequential", "load_model", "save_model", "model_from_json", "clone_model"]


def __getattr__(name):
    raise AttributeError(f"keras.models.{name} is not supported by ndgrad (yet); the supported "
                         f"names are {', '.join(__all__)}")
