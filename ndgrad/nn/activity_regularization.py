"""``layers.ActivityRegularization``: the identity that adds an L1/L2 penalty on
its input to ``losses`` (Keras).

Example:
    >>> import ndgrad
    >>> layer = ndgrad.layers.ActivityRegularization(l1=0.5)
    >>> layer(ndgrad.tensor([[1.0, -2.0]])).tolist(), [loss.item() for loss in layer.losses]
    ([[1.0, -2.0]], [1.5])
"""

from . import regularizers
from .module import Module, keras_exports

__all__ = []


class ActivityRegularization(Module):
    """Returns its input unchanged and records ``l1 * sum(|x|) + l2 * sum(x ** 2)``
    as an added loss (``layer.losses``; ``fit`` trains on it).

    Args:
        l1: the L1 factor (default 0). l2: the L2 factor (default 0).
        **kwargs: ``name``, ``input_shape``, ... as any layer.

    Example:
        >>> from ndgrad.layers import ActivityRegularization
        >>> import ndgrad
        >>> layer = ActivityRegularization(l2=0.1)       # ndgrad.layers.ActivityRegularization
        >>> _ = layer(ndgrad.ones((2, 5))); round(layer.losses[0].item(), 4)
        1.0
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        if "activity_regularizer" in kwargs:
            raise TypeError("ActivityRegularization: takes l1= and l2=, not "
                            "activity_regularizer=")
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = self.activity_regularizer.l1, self.activity_regularizer.l2

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {"name": self.name, "l1": self.l1, "l2": self.l2}

    def extra_repr(self):
        return f"l1={self.l1}, l2={self.l2}"


KERAS_EXPORTS = keras_exports({"ActivityRegularization": ActivityRegularization})
