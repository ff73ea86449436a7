"""Models: ``Model`` (subclassed or functional), ``Sequential``, and whole-model saving.

``Model(inputs, outputs)`` builds a functional model from the graph recorded
by calling layers on ``ndgrad.Input`` tensors; ``Sequential`` stacks layers;
``save_model`` / ``load_model`` write and read Keras 3's ``.keras`` layout
(JSON and safetensors in a zip, never pickle); ``model_from_json`` and
``clone_model`` rebuild an architecture with fresh weights.

Example:
    >>> import ndgrad
    >>> inputs = ndgrad.Input(shape=(4,))
    >>> outputs = ndgrad.layers.Dense(2)(ndgrad.layers.Dense(8, activation="relu")(inputs))
    >>> model = ndgrad.models.Model(inputs, outputs)
    >>> clone = ndgrad.models.clone_model(model)
    >>> [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    True
"""

from ..io.model_archive import clone_model, load_model, model_from_json, save_model
from ..nn.containers import Sequential
from .model import Functional, Model

__all__ = ["Model", "Functional", "Sequential", "save_model", "load_model", "model_from_json",
           "clone_model"]
