"""Parameter: the PyTorch face of a trainable Variable.

Example:
    >>> import ndgrad
    >>> p = ndgrad.nn.Parameter(ndgrad.zeros(2, 2))
    >>> p.trainable, p.requires_grad, isinstance(p, ndgrad.Variable)
    (True, True, True)
"""

from ..variable import Variable


class Parameter(Variable):
    """A trainable Variable that Modules register when it is assigned as an attribute.

    Args:
        value: the initial value (a tensor, array or nested lists; copied).
        requires_grad: whether it is trainable (default True).

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.Parameter([1.0, 2.0], requires_grad=False).trainable
        False
    """

    __slots__ = ()

    def __init__(self, value, requires_grad=True, name=None):
        super().__init__(value, trainable=requires_grad, name=name)
        self._is_parameter = True     # a frozen Parameter is still a parameter
