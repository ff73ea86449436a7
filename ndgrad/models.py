"""``Model`` and ``Sequential``: the model classes of both faces.

``Model`` is a Module meant to be subclassed, Keras style (``call``) or PyTorch
style (``forward``); its ``layers`` are its direct sub-modules.

Example:
    >>> import ndgrad
    >>> class TwoLayers(ndgrad.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = ndgrad.layers.Dense(8, activation="relu")
    ...         self.out = ndgrad.layers.Dense(1)
    ...     def call(self, inputs, training=None):
    ...         return self.out(self.hidden(inputs))
    >>> model = TwoLayers()
    >>> model(ndgrad.ones((2, 3))).shape, len(model.layers)
    ((2, 1), 2)
"""

from .nn.containers import Sequential
from .nn.module import Module
from .nn.training import CompileMixin


class Model(Module, CompileMixin):
    """A subclassable model; ``layers`` lists its direct sub-modules.

    Example:
        >>> import ndgrad
        >>> ndgrad.Model(name="empty").layers
        []
    """

    @property
    def layers(self):
        """The direct sub-modules, in assignment order."""
        return self.children()


__all__ = ["Model", "Sequential"]
